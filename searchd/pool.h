/*
 * pool.h - (searchd, private) one read-only searcher per worker thread,
 * checked out for a request and returned, reopened when the index moves on.
 * States and their transitions are documented in pool.c.
 */
#ifndef VIND_SEARCHD_POOL_H
#define VIND_SEARCHD_POOL_H

#include "metrics.h"
#include "server.h"

/*
 * A pool of at most size searchers over the index at db_path (opened
 * lazily). lexicon and metrics are borrowed and must outlive the pool.
 * NULL on NOMEM.
 */
vind_pool_t *vind_pool_new(const char *db_path, const vind_lexicon_t *lexicon, unsigned size,
                           vind_metrics_t *metrics);
void vind_pool_free(vind_pool_t *pool);

/* Bytes of stored text and records each worker's searcher keeps between
 * searches (vind_searcher_set_cache_size; --read-cache-size). Call before
 * the first checkout. The read check's searcher keeps none: it reads every
 * record once per revision. */
void vind_pool_set_read_cache(vind_pool_t *pool, size_t bytes);

/*
 * Checks out a searcher at the newest revision (opening or reopening it when
 * stale). On failure *slot is NULL and nothing stays checked out.
 * Return value: VIND_OK; VIND_NOT_FOUND (no index yet); VIND_SCHEMA_MISMATCH;
 * VIND_INDEX_CORRUPT; VIND_XAPIAN; VIND_NOMEM; VIND_TIMEOUT (every searcher
 * busy for seconds: cannot happen with one request per thread).
 * Thread: safe.
 */
vind_status_t vind_pool_checkout(vind_pool_t *pool, vind_pool_slot_t **slot, char **errmsg);

/* The checked-out searcher. */
vind_searcher_t *vind_pool_searcher(vind_pool_slot_t *slot);

/* The pool generation (SIGHUP count) the checked-out searcher was opened or
 * last reopened at: with its revision, which index an answer belongs to
 * (the result cache's key, cache.h). */
unsigned vind_pool_generation(const vind_pool_slot_t *slot);

/* Reopens a checked-out searcher now (after VIND_INDEX_CHANGED). */
vind_status_t vind_pool_reopen(vind_pool_t *pool, vind_pool_slot_t *slot, char **errmsg);

/* Returns a searcher. Accepts NULL. Thread: safe. */
void vind_pool_checkin(vind_pool_t *pool, vind_pool_slot_t *slot);

/*
 * Runs the read check (vind_searcher_check) when the index has a revision
 * not checked yet; a failure marks the index degraded (*reason: why,
 * malloc'd, for the log; NULL when fine or already reported), a clean
 * newer revision clears it. Thread: the main thread only (it has a searcher
 * of its own).
 */
void vind_pool_check(vind_pool_t *pool, char **reason);

/* A library call over a checked-out searcher failed: VIND_INDEX_CORRUPT
 * marks the index degraded (errmsg the reason) until a newer revision
 * passes the read check; other statuses are ignored. Thread: safe. */
void vind_pool_note_failure(vind_pool_t *pool, vind_status_t status, const char *errmsg);

/* 1 when the open revision failed its read check (or a search met a
 * corrupt block since): reason receives why. Thread: safe. */
int vind_pool_degraded(vind_pool_t *pool, char *reason, size_t size);

/* Marks every searcher stale (SIGHUP): each reopens at its next checkout.
 * Thread: safe (an atomic counter). */
void vind_pool_invalidate(vind_pool_t *pool);

#endif
