/*
 * admission.h - (searchd, private) admission of costly searches (/api/search,
 * /zoeken and, since session 12, /api/related): no set of client addresses
 * can hold every search thread with requests that cost a lot of CPU, each
 * address staying within --max-searches-per-ip.
 *
 * An address whose search took at least --heavy-search-ms of thread CPU is
 * "heavy" for VIND_SEARCHD_HEAVY_SECONDS after that search (each costly
 * search starts the period again; an address that stops sending them is
 * normal again after it). At most --max-heavy-searches searches of heavy
 * addresses run at once across all addresses; one more is refused (429),
 * so the other search threads stay free for everyone else. Searches of other
 * addresses are never refused by this. Pure logic over a bounded table: no
 * libmicrohttpd, no clock of its own (the caller passes the times), so
 * tests/unit/test_admission.c tests it directly.
 */
#ifndef VIND_SEARCHD_ADMISSION_H
#define VIND_SEARCHD_ADMISSION_H

#include <stdint.h>

/* A client address as a key: family byte + up to 16 address bytes. */
#define VIND_CLIENT_KEY_BYTES 17

typedef struct vind_admission vind_admission_t;

typedef enum {
    VIND_ADMIT_NORMAL,  /* not a heavy address: runs, holds nothing */
    VIND_ADMIT_HEAVY,   /* a heavy address: runs, holds one of the heavy slots */
    VIND_ADMIT_REFUSED, /* a heavy address and every heavy slot taken: answer 429 */
} vind_admit_t;

/* max_heavy: heavy searches at once (0: admission off, NULL is returned and
 * every call below accepts NULL as "off"); heavy_cpu_us: the CPU time from
 * which a search makes its address heavy (0: every search); heavy_us: how
 * long an address stays heavy after its last costly search. *failed is set
 * to 1 on NOMEM (else 0). */
vind_admission_t *vind_admission_new(unsigned max_heavy, int64_t heavy_cpu_us, int64_t heavy_us,
                                     int *failed);
void vind_admission_free(vind_admission_t *admission);

/* What the table knows of an address when its request is queued. */
typedef enum {
    VIND_ADDRESS_NORMAL, /* no costly search remembered */
    VIND_ADDRESS_COSTLY, /* a costly search within VIND_SEARCHD_COSTLY_MEMO_SECONDS, no mark now */
    VIND_ADDRESS_HEAVY,  /* heavy now */
} vind_address_class_t;

/* The class of the address `key` at now_us: server.c queues the requests of
 * a costly or heavy address behind the others, and a request of a heavy
 * one is admitted as heavy (vind_admission_enter's heavy_when_queued)
 * however long it waited. NORMAL when admission is off. Thread: safe.
 * Cost: as vind_admission_enter. */
vind_address_class_t vind_admission_class(vind_admission_t *admission,
                                          const unsigned char key[VIND_CLIENT_KEY_BYTES],
                                          int64_t now_us);

/* 1 when a search of `query` may be costly before it has run, whoever asks:
 * it holds a wildcard ('*') or, since session 20, more than
 * VIND_SEARCHD_COSTLY_QUERY_WORDS words (operators not counted). The class
 * above knows an address only after its first costly search, so each fresh
 * address ran one costly search from the first queue: 200 of them held a
 * normal client's first search 54 s (docs/security.md, "The hostile probe
 * of session 19, the daemon").
 * Over the corpus every search that cost --heavy-search-ms (20 ms) had
 * wildcards (8 one-letter ones, size 100: 46 ms; 64 two-letter ones: 40-66
 * ms); the costliest without one measured 15 ms (64 words OR'd, size 100),
 * and 200 fresh addresses looping those held a normal client ~10 s (the
 * session 19 probe's known limit; session 20 counts words). server.c
 * queues such a search later, as a costly address's, so it never holds a
 * search of a few words; it is not refused for it. Works with
 * admission off (behind a proxy): it reads the query, not the address.
 * Thread: safe. Cost: one strchr and one pass over the query's first
 * words (at most 4 kB). */
int vind_admission_query_may_be_costly(const char *query);

/* What a search of `query` is expected to cost before it has run (us):
 * VIND_SEARCHD_WORD_COST_US a word (operators not counted, at most
 * VIND_MAX_QUERY_TERMS), 0 without a query. Added to the address's recent
 * CPU for its rank in the queue (server.c), so that among addresses that
 * used alike (fresh ones: 0) the shorter query goes first: a normal
 * client's first one-word search before the 12-word ones of 200 fresh
 * addresses queued before it (session 20). Thread: safe. Cost: one pass
 * over the query's words. */
int64_t vind_admission_query_cost_us(const char *query);

/* The search CPU time (us) the address `key` used lately, at now_us: each
 * search's, as vind_admission_leave was given it, decayed by half every
 * VIND_SEARCHD_USAGE_HALF_LIFE_SECONDS; 0 for an address not remembered,
 * and always 0 when admission is off. server.c's queues serve the address
 * that used least first (ties in arrival order), and of its waiting
 * searches the first queued (an address's own are never reordered): a client
 * that searches now and then goes before addresses that loop searches
 * each under --heavy-search-ms, however many (200 of them held a normal
 * client's every search ~10 s in arrival order: docs/security.md, "The
 * hostile probe of session 19, the daemon"). Thread: safe. Cost: one lock,
 * a hash of the key and at most VIND_SEARCHD_USAGE_PROBES compares, an
 * exp2 (~0.1 us). */
int64_t vind_admission_recent_cpu(vind_admission_t *admission,
                                  const unsigned char key[VIND_CLIENT_KEY_BYTES], int64_t now_us);

/* Before a search of the address `key` at now_us (a monotonic clock):
 * heavy when the address is heavy now, or was when the request was queued
 * (heavy_when_queued: a queue longer than the mark must not end it; until
 * session 18 it did, and no search was refused). A VIND_ADMIT_HEAVY answer
 * must be given back to vind_admission_leave. Thread: safe. Cost: one lock
 * and, only while some address is heavy, a scan of the table
 * (VIND_SEARCHD_HEAVY_ADDRESSES entries, ~1 us). */
vind_admit_t vind_admission_enter(vind_admission_t *admission,
                                  const unsigned char key[VIND_CLIENT_KEY_BYTES], int64_t now_us,
                                  int heavy_when_queued);

/* After the search admitted as `admitted` (not REFUSED), which took cpu_us
 * of thread CPU: frees its heavy slot, marks the address heavy when the
 * search cost at least the threshold, and adds cpu_us to the address's
 * recent CPU (vind_admission_recent_cpu). A full table forgets the address
 * whose mark ends first. Thread: safe; same cost as enter, plus the recent
 * CPU's look-up (~0.1 us). */
void vind_admission_leave(vind_admission_t *admission,
                          const unsigned char key[VIND_CLIENT_KEY_BYTES], vind_admit_t admitted,
                          int64_t cpu_us, int64_t now_us);

/* Prometheus text: refusals so far and heavy searches running (malloc'd;
 * "" when admission is off). NULL on NOMEM. */
char *vind_admission_metrics(vind_admission_t *admission);

#endif
