/*
 * costmemo.h - (searchd, private) which /api/search requests are known to be
 * cheap: the last cost of a search, kept by its key (the result cache's key,
 * cache.h: every parameter that changes the answer) and the index it ran on
 * (pool generation, database, revision).
 *
 * Off unless $VIND_SEARCHD_CHEAP_SEARCH_US sets the bound (limits.h says
 * why). A search the memo knows as cheap runs on the libmicrohttpd worker
 * that read it, without the hand-over to a search thread and back
 * (server.c: two thread switches, the queue's futex and libmicrohttpd's
 * resume eventfd).
 * Every other search (a new key, a costly one, the index changed since)
 * takes the hand-over, so a slow search still holds only its own connection
 * (docs/searchd.md "Threads"). The memo never gives an answer: the search
 * runs in full either way, only the thread differs.
 *
 * Direct-mapped by the key's hash: a newer key takes its entry. Keys longer
 * than VIND_COST_MEMO_KEY_BYTES are never kept (their searches take the
 * hand-over). Pure logic, no clock of its own (the caller passes the cost),
 * so tests/unit/test_costmemo.c tests it directly.
 */
#ifndef VIND_SEARCHD_COSTMEMO_H
#define VIND_SEARCHD_COSTMEMO_H

#include <stdint.h>

/* The longest key kept (bytes, without the NUL). */
#define VIND_COST_MEMO_KEY_BYTES 200u

typedef struct vind_cost_memo vind_cost_memo_t;

/* A memo of `entries` searches (rounded up to a power of two) in which a
 * search is cheap when it cost at most cheap_us (thread CPU, or the clock's
 * time, which is never less). NULL when entries or cheap_us is 0 (off: every
 * call below accepts NULL as "off") or on NOMEM (*failed set to 1, else 0).
 * Memory: ~entries x 240 bytes. */
vind_cost_memo_t *vind_cost_memo_new(unsigned entries, int64_t cheap_us, int *failed);
void vind_cost_memo_free(vind_cost_memo_t *memo);

/* The cost up to which a search is cheap; INT64_MAX when the memo is off. */
int64_t vind_cost_memo_cheap_us(const vind_cost_memo_t *memo);

/* 1 when the last search of key over the index at (generation, database_id,
 * revision) cost at most the memo's cheap_us, and counts it as run on a
 * worker (the caller runs it there); 0 otherwise (never searched, costly,
 * another index, forgotten). Thread: safe. Cost: a hash of the key, one
 * striped lock and a compare of the key (~100-200 ns). */
int vind_cost_memo_is_cheap(vind_cost_memo_t *memo, const char *key, unsigned generation,
                            const char *database_id, uint64_t revision);

/* Keeps the cost of a complete search of key over the index at (generation,
 * database_id, revision), replacing whatever the entry held. Thread: safe;
 * same cost as vind_cost_memo_is_cheap. */
void vind_cost_memo_note(vind_cost_memo_t *memo, const char *key, unsigned generation,
                         const char *database_id, uint64_t revision, int64_t cost_us);

/* Prometheus text: vind_worker_searches_total, the searches run on a worker
 * because the memo knew them cheap (g_malloc'd; "" when the memo is off).
 * NULL on NOMEM. */
char *vind_cost_memo_metrics(vind_cost_memo_t *memo);

#endif
