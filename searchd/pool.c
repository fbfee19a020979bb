/*
 * pool.c - vind-searchd's read-only searchers: one per search thread and
 * one per MHD worker (/health), --threads + --http-threads slots.
 *
 * A vind_searcher_t belongs to one thread at a time (it owns Snowball
 * stemmers and a Xapian database). A search thread checks a slot out,
 * searches and checks it back in; a worker does the same for /health
 * within its callback. So at most one slot per thread is ever busy and a
 * checkout never waits in practice (take_slot waits at most 5 s, then 503).
 *
 * STATES OF A SLOT (every transition happens with the slot checked out, so
 * only its holder touches the searcher; the pool lock guards `busy` only):
 *
 *   closed     no searcher (never opened, or the index was missing or
 *              unreadable). checkout -> open_slot(): fresh, or stays closed
 *              and the request gets 503 (retried at most every
 *              VIND_SEARCHD_REOPEN_MS, so a missing index costs nothing).
 *   fresh      checked against the newest revision less than
 *              VIND_SEARCHD_REOPEN_MS ago, and no SIGHUP since.
 *   stale      the time has passed or vind_pool_invalidate() ran (SIGHUP).
 *              checkout -> reopening.
 *   reopening  vind_searcher_reopen() runs (a cheap check when nothing was
 *              committed); success -> fresh; failure -> the searcher is
 *              closed and opened anew once (-> fresh or closed).
 *
 * A search that meets VIND_INDEX_CHANGED (vind-index committed while it
 * ran) is reopened and retried once by the library (vind_searcher_retry);
 * related documents still call vind_pool_reopen() and retry (handlers.c).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <vind/limits.h>
#include "error.h"
#include "pool.h"

enum slot_state { SLOT_CLOSED, SLOT_FRESH, SLOT_STALE, SLOT_REOPENING };

struct vind_pool_slot {
    vind_searcher_t *searcher;
    enum slot_state state;
    int busy;
    int64_t checked_us;  /* when the revision was last checked (or opening failed) */
    unsigned generation; /* pool generation at that check */
};

struct vind_pool {
    char *db_path;
    const vind_lexicon_t *lexicon;
    vind_metrics_t *metrics;
    /* pthread rather than GMutex: GLib's futex-based locks are invisible to
     * ThreadSanitizer, which then reports every hand-over of a searcher. */
    pthread_mutex_t lock;
    pthread_cond_t returned;
    atomic_uint generation;
    /* The read check (vind_pool_check, main thread only: checker and the
     * checker_ and checked_ fields). Its outcome, or a search that met a
     * corrupt block since, is what /health reports: degraded, under lock. */
    vind_searcher_t *checker;
    unsigned checker_generation;
    int checked;
    uint64_t checked_revision;
    unsigned checked_generation;
    char degraded[256]; /* why the index is damaged, "" when it is fine */
    size_t read_cache_bytes; /* each slot's searcher's (vind_pool_set_read_cache) */
    unsigned size;
    struct vind_pool_slot slots[];
};

vind_pool_t *vind_pool_new(const char *db_path, const vind_lexicon_t *lexicon, unsigned size,
                           vind_metrics_t *metrics)
{
    if (size == 0)
        size = 1;
    vind_pool_t *pool = calloc(1, sizeof *pool + size * sizeof pool->slots[0]);
    if (pool == NULL)
        return NULL;
    pool->db_path = strdup(db_path);
    if (pool->db_path == NULL) {
        free(pool);
        return NULL;
    }
    pool->lexicon = lexicon;
    pool->metrics = metrics;
    pool->size = size;
    pool->read_cache_bytes = VIND_READ_CACHE_BYTES;
    pthread_mutex_init(&pool->lock, NULL);
    pthread_condattr_t attributes;
    pthread_condattr_init(&attributes);
    pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC);
    pthread_cond_init(&pool->returned, &attributes);
    pthread_condattr_destroy(&attributes);
    atomic_init(&pool->generation, 0);
    return pool;
}

void vind_pool_set_read_cache(vind_pool_t *pool, size_t bytes)
{
    pool->read_cache_bytes = bytes;
}

void vind_pool_free(vind_pool_t *pool)
{
    if (pool == NULL)
        return;
    for (unsigned i = 0; i < pool->size; i++)
        vind_searcher_close(pool->slots[i].searcher);
    vind_searcher_close(pool->checker);
    pthread_mutex_destroy(&pool->lock);
    pthread_cond_destroy(&pool->returned);
    free(pool->db_path);
    free(pool);
}

/* Takes an idle slot, preferring one with an open searcher; waits (bounded)
 * when all are busy. NULL after the wait. */
static struct vind_pool_slot *take_slot(vind_pool_t *pool)
{
    struct timespec deadline;
    clock_gettime(CLOCK_MONOTONIC, &deadline);
    deadline.tv_sec += 5;
    pthread_mutex_lock(&pool->lock);
    for (;;) {
        struct vind_pool_slot *idle = NULL;
        for (unsigned i = 0; i < pool->size; i++) {
            struct vind_pool_slot *slot = &pool->slots[i];
            if (slot->busy)
                continue;
            if (idle == NULL || (idle->searcher == NULL && slot->searcher != NULL))
                idle = slot;
        }
        if (idle != NULL) {
            idle->busy = 1;
            pthread_mutex_unlock(&pool->lock);
            return idle;
        }
        if (pthread_cond_timedwait(&pool->returned, &pool->lock, &deadline) != 0) {
            pthread_mutex_unlock(&pool->lock);
            return NULL;
        }
    }
}

static void publish(vind_pool_t *pool, struct vind_pool_slot *slot)
{
    vind_metrics_set_index(pool->metrics, vind_searcher_revision(slot->searcher),
                           vind_searcher_doc_count(slot->searcher));
}

/* Keeps why the index is degraded for /health, with the index's path
 * replaced by "the index": /health is public where the daemon is, and the
 * server's folders are nobody's business. Called with the lock held. */
static void set_degraded(vind_pool_t *pool, const char *why)
{
    GString *text = g_string_new(why);
    g_string_replace(text, pool->db_path, "the index", 0);
    snprintf(pool->degraded, sizeof pool->degraded, "%s", text->str);
    g_string_free(text, TRUE);
}

/* The read check (vind_searcher_check) of each new revision, on the main
 * thread with a searcher of its own: it reads every document's record
 * (~70 ms for 700 articles, ~1 s for 10,000), which no request should wait
 * for. When nothing was committed it costs one revision check. */
void vind_pool_check(vind_pool_t *pool, char **reason)
{
    *reason = NULL;
    unsigned generation = atomic_load(&pool->generation);
    if (pool->checker != NULL && generation != pool->checker_generation) {
        vind_searcher_close(pool->checker); /* SIGHUP: the folder may be another index */
        pool->checker = NULL;
    }
    pool->checker_generation = generation;
    char *why = NULL;
    vind_status_t status = pool->checker == NULL
                               ? vind_searcher_open(pool->db_path, pool->lexicon, &pool->checker, &why)
                               : vind_searcher_reopen(pool->checker, NULL, &why);
    if (status == VIND_OK)
        vind_searcher_set_cache_size(pool->checker, 0);
    if (status != VIND_OK) {
        /* No index (yet), or it does not open: the slots say so themselves. */
        vind_searcher_close(pool->checker);
        pool->checker = NULL;
        pool->checked = 0;
        free(why);
        return;
    }
    uint64_t revision = vind_searcher_revision(pool->checker);
    if (pool->checked && pool->checked_revision == revision &&
        pool->checked_generation == generation)
        return;
    status = vind_searcher_check(pool->checker, &why);
    pthread_mutex_lock(&pool->lock);
    pool->checked = 1;
    pool->checked_revision = revision;
    pool->checked_generation = generation;
    if (status == VIND_OK)
        pool->degraded[0] = '\0';
    else
        set_degraded(pool, why ? why : vind_status_to_string(status));
    pthread_mutex_unlock(&pool->lock);
    if (status != VIND_OK)
        *reason = why ? why : strdup(vind_status_to_string(status));
    else
        free(why);
}

void vind_pool_note_failure(vind_pool_t *pool, vind_status_t status, const char *errmsg)
{
    if (status != VIND_INDEX_CORRUPT)
        return;
    pthread_mutex_lock(&pool->lock);
    set_degraded(pool, errmsg ? errmsg : vind_status_to_string(status));
    pthread_mutex_unlock(&pool->lock);
}

int vind_pool_degraded(vind_pool_t *pool, char *reason, size_t size)
{
    pthread_mutex_lock(&pool->lock);
    int degraded = pool->degraded[0] != '\0';
    if (degraded && size)
        snprintf(reason, size, "%s", pool->degraded);
    pthread_mutex_unlock(&pool->lock);
    return degraded;
}

static vind_status_t open_slot(vind_pool_t *pool, struct vind_pool_slot *slot, char **errmsg)
{
    slot->checked_us = g_get_monotonic_time();
    slot->generation = atomic_load(&pool->generation);
    vind_status_t status =
        vind_searcher_open(pool->db_path, pool->lexicon, &slot->searcher, errmsg);
    if (status != VIND_OK) {
        slot->searcher = NULL;
        slot->state = SLOT_CLOSED;
        return status;
    }
    vind_searcher_set_cache_size(slot->searcher, pool->read_cache_bytes);
    slot->state = SLOT_FRESH;
    publish(pool, slot);
    return VIND_OK;
}

/* reopening: a cheap revision check; on failure, open from scratch once. */
static vind_status_t reopen_slot(vind_pool_t *pool, struct vind_pool_slot *slot, char **errmsg)
{
    slot->state = SLOT_REOPENING;
    slot->checked_us = g_get_monotonic_time();
    slot->generation = atomic_load(&pool->generation);
    char *why = NULL;
    if (vind_searcher_reopen(slot->searcher, NULL, &why) == VIND_OK) {
        slot->state = SLOT_FRESH;
        publish(pool, slot);
        return VIND_OK;
    }
    free(why);
    vind_searcher_close(slot->searcher);
    slot->searcher = NULL;
    return open_slot(pool, slot, errmsg);
}

static int is_stale(vind_pool_t *pool, const struct vind_pool_slot *slot)
{
    if (slot->generation != atomic_load(&pool->generation))
        return 1;
    return g_get_monotonic_time() - slot->checked_us >= (int64_t)VIND_SEARCHD_REOPEN_MS * 1000;
}

vind_status_t vind_pool_checkout(vind_pool_t *pool, vind_pool_slot_t **out, char **errmsg)
{
    *out = NULL;
    struct vind_pool_slot *slot = take_slot(pool);
    if (slot == NULL)
        return vind_error(errmsg, VIND_TIMEOUT, "every searcher of %s is busy", pool->db_path);
    vind_status_t status = VIND_OK;
    if (slot->searcher == NULL) {
        /* closed: a missing index is retried at most every REOPEN_MS. */
        if (slot->checked_us != 0 && !is_stale(pool, slot))
            status =
                vind_error(errmsg, VIND_NOT_FOUND, "the index %s is not available", pool->db_path);
        else
            status = open_slot(pool, slot, errmsg);
    } else if (is_stale(pool, slot)) {
        slot->state = SLOT_STALE;
        status = reopen_slot(pool, slot, errmsg);
    }
    if (status != VIND_OK) {
        vind_pool_checkin(pool, slot);
        return status;
    }
    *out = slot;
    return VIND_OK;
}

vind_searcher_t *vind_pool_searcher(vind_pool_slot_t *slot)
{
    return slot->searcher;
}

unsigned vind_pool_generation(const vind_pool_slot_t *slot)
{
    return slot->generation;
}

vind_status_t vind_pool_reopen(vind_pool_t *pool, vind_pool_slot_t *slot, char **errmsg)
{
    if (slot->searcher == NULL)
        return open_slot(pool, slot, errmsg);
    return reopen_slot(pool, slot, errmsg);
}

void vind_pool_checkin(vind_pool_t *pool, vind_pool_slot_t *slot)
{
    if (slot == NULL)
        return;
    pthread_mutex_lock(&pool->lock);
    slot->busy = 0;
    pthread_cond_signal(&pool->returned);
    pthread_mutex_unlock(&pool->lock);
}

void vind_pool_invalidate(vind_pool_t *pool)
{
    atomic_fetch_add(&pool->generation, 1);
}
