/*
 * costmemo.c - which /api/search requests are known to be cheap (costmemo.h).
 *
 * A direct-mapped table: a key's 64-bit FNV-1a hash picks its entry, and the
 * entry holds the whole key, so a colliding key is told apart (it replaces
 * the entry when noted, it is never taken for it). Entries are guarded by
 * VIND_COST_MEMO_STRIPES locks, chosen by entry: a worker's look-up and a
 * search thread's note rarely meet on one.
 */
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "costmemo.h"

#define VIND_COST_MEMO_STRIPES 64u

typedef struct {
    uint64_t hash;     /* the key's; 0: empty */
    uint64_t revision; /* the index the cost was measured on */
    uint64_t database; /* its database id's hash */
    unsigned generation;
    unsigned key_len;
    int64_t cost_us;
    char key[VIND_COST_MEMO_KEY_BYTES];
} entry_t;

struct vind_cost_memo {
    /* pthread rather than GMutex: visible to ThreadSanitizer (pool.c says why). */
    pthread_mutex_t locks[VIND_COST_MEMO_STRIPES];
    int64_t cheap_us;
    size_t mask; /* entries - 1 */
    atomic_uint_fast64_t worker_searches;
    entry_t entries[];
};

/* FNV-1a, 64 bits; never 0 (0 marks an empty entry). Hot path: ~1 ns a
 * byte, a search's key is 20-100 bytes. */
static uint64_t hash_of(const char *text, size_t length)
{
    uint64_t hash = 14695981039346656037ull;
    for (size_t i = 0; i < length; i++) {
        hash ^= (unsigned char)text[i];
        hash *= 1099511628211ull;
    }
    return hash ? hash : 1;
}

vind_cost_memo_t *vind_cost_memo_new(unsigned entries, int64_t cheap_us, int *failed)
{
    *failed = 0;
    if (entries == 0 || cheap_us <= 0)
        return NULL;
    size_t size = 1;
    while (size < entries)
        size <<= 1;
    vind_cost_memo_t *memo = calloc(1, sizeof *memo + size * sizeof memo->entries[0]);
    if (memo == NULL) {
        *failed = 1;
        return NULL;
    }
    for (unsigned i = 0; i < VIND_COST_MEMO_STRIPES; i++)
        pthread_mutex_init(&memo->locks[i], NULL);
    memo->cheap_us = cheap_us;
    memo->mask = size - 1;
    atomic_init(&memo->worker_searches, 0);
    return memo;
}

void vind_cost_memo_free(vind_cost_memo_t *memo)
{
    if (memo == NULL)
        return;
    for (unsigned i = 0; i < VIND_COST_MEMO_STRIPES; i++)
        pthread_mutex_destroy(&memo->locks[i]);
    free(memo);
}

int64_t vind_cost_memo_cheap_us(const vind_cost_memo_t *memo)
{
    return memo ? memo->cheap_us : INT64_MAX;
}

/* Where key lives: its entry and the entry's lock; 0 when the key is too
 * long to be kept. */
typedef struct {
    entry_t *entry;
    pthread_mutex_t *lock;
    uint64_t hash, database;
    size_t key_len;
} place_t;

static int place_of(vind_cost_memo_t *memo, const char *key, const char *database_id,
                    place_t *place)
{
    place->key_len = strlen(key);
    if (place->key_len > VIND_COST_MEMO_KEY_BYTES)
        return 0;
    place->hash = hash_of(key, place->key_len);
    place->database = database_id ? hash_of(database_id, strlen(database_id)) : 0;
    size_t index = (size_t)place->hash & memo->mask;
    place->entry = &memo->entries[index];
    place->lock = &memo->locks[index % VIND_COST_MEMO_STRIPES];
    return 1;
}

int vind_cost_memo_is_cheap(vind_cost_memo_t *memo, const char *key, unsigned generation,
                            const char *database_id, uint64_t revision)
{
    place_t place;
    if (memo == NULL || key == NULL || !place_of(memo, key, database_id, &place))
        return 0;
    const entry_t *e = place.entry;
    pthread_mutex_lock(place.lock);
    int cheap = e->hash == place.hash && e->key_len == place.key_len &&
                e->generation == generation && e->revision == revision &&
                e->database == place.database && e->cost_us <= memo->cheap_us &&
                memcmp(e->key, key, place.key_len) == 0;
    pthread_mutex_unlock(place.lock);
    if (cheap)
        atomic_fetch_add(&memo->worker_searches, 1);
    return cheap;
}

void vind_cost_memo_note(vind_cost_memo_t *memo, const char *key, unsigned generation,
                         const char *database_id, uint64_t revision, int64_t cost_us)
{
    place_t place;
    if (memo == NULL || key == NULL || !place_of(memo, key, database_id, &place))
        return;
    entry_t *e = place.entry;
    pthread_mutex_lock(place.lock);
    e->hash = place.hash;
    e->key_len = (unsigned)place.key_len;
    memcpy(e->key, key, place.key_len);
    e->generation = generation;
    e->revision = revision;
    e->database = place.database;
    e->cost_us = cost_us;
    pthread_mutex_unlock(place.lock);
}

char *vind_cost_memo_metrics(vind_cost_memo_t *memo)
{
    if (memo == NULL)
        return g_strdup("");
    return g_strdup_printf(
        "# HELP vind_worker_searches_total Searches run on a libmicrohttpd worker, known to be "
        "cheap from their last run, without the hand-over to a search thread.\n"
        "# TYPE vind_worker_searches_total counter\n"
        "vind_worker_searches_total %llu\n",
        (unsigned long long)atomic_load(&memo->worker_searches));
}
