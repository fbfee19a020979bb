/*
 * cache.c - the result cache of /api/search (cache.h).
 *
 * One hash table (key -> entry) and one doubly-linked list in use order,
 * under one mutex: a lookup is a hash, a strcmp and a copy of the body
 * (~2-60 kB, a few microseconds), far below the cost of the search it saves
 * (0.5-15 ms). The lock is held only for that copy, never during a search.
 *
 * Invalidation is by the index's identity, not by time: every entry belongs
 * to the (pool generation, index revision) the cache holds. A searcher at a
 * newer revision (vind-index committed) or generation (SIGHUP) empties the
 * cache at its first lookup or store; a searcher still at an older one (it
 * reopens within VIND_SEARCHD_REOPEN_MS) neither reads nor writes it. So an
 * answer from before a commit is never given for a searcher after it.
 *
 * Bytes are counted per entry as its key, its body and a fixed overhead for
 * the entry and the hash table's slot; the total never exceeds max_bytes.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "cache.h"

/* What an entry costs beyond its key and body: the struct, the hash table's
 * node and malloc's headers, rounded up. */
#define ENTRY_OVERHEAD 128

typedef struct entry {
    struct entry *prev, *next; /* prev: more recently used */
    char *key;
    char *body;
    size_t body_len;
    size_t bytes;
    long long hits;
} entry_t;

struct vind_cache {
    /* pthread rather than GMutex: visible to ThreadSanitizer (pool.c says why). */
    pthread_mutex_t lock;
    GHashTable *table; /* key (owned by the entry) -> entry */
    entry_t *newest, *oldest;
    size_t bytes, max_bytes, entries;
    int has_index;
    unsigned generation;
    char *database_id; /* the database: a swapped-in rebuild has another */
    uint64_t revision;
    atomic_uint_fast64_t hits, misses, stores, evictions, flushes;
};

vind_cache_t *vind_cache_new(size_t max_bytes)
{
    vind_cache_t *cache = calloc(1, sizeof *cache);
    if (cache == NULL)
        return NULL;
    cache->max_bytes = max_bytes;
    cache->table = g_hash_table_new(g_str_hash, g_str_equal);
    pthread_mutex_init(&cache->lock, NULL);
    return cache;
}

static void entry_free(entry_t *e)
{
    free(e->key);
    free(e->body);
    free(e);
}

/* Drops every entry. Lock held. */
static void clear(vind_cache_t *cache)
{
    for (entry_t *e = cache->newest, *next; e; e = next) {
        next = e->next;
        entry_free(e);
    }
    g_hash_table_remove_all(cache->table);
    cache->newest = cache->oldest = NULL;
    cache->bytes = cache->entries = 0;
}

void vind_cache_free(vind_cache_t *cache)
{
    if (cache == NULL)
        return;
    clear(cache);
    free(cache->database_id);
    g_hash_table_destroy(cache->table);
    pthread_mutex_destroy(&cache->lock);
    free(cache);
}

int vind_cache_enabled(const vind_cache_t *cache)
{
    return cache != NULL && cache->max_bytes > 0;
}

/* Appends "<length>:<text>": no separator a value could contain. */
static void append_field(GString *key, const char *text)
{
    text = text ? text : "";
    g_string_append_printf(key, "%zu:%s", strlen(text), text);
}

char *vind_cache_key(const vind_search_params_t *search)
{
    GString *key = g_string_sized_new(64);
    append_field(key, search->query);
    /* Filter values keep the order they were given in: the library reads
     * them as given, and an answer must be the one that order gets. */
    for (int f = 0; f < VIND_FACET_LAST; f++) {
        guint n = search->filters[f] ? search->filters[f]->len : 0;
        g_string_append_printf(key, "|%u", n);
        for (guint i = 0; i < n; i++)
            append_field(key, search->filters[f]->pdata[i]);
    }
    g_string_append_c(key, '|');
    append_field(key, search->from);
    append_field(key, search->to);
    g_string_append_printf(key, "|%d|%u|%u|%d", (int)search->sort, search->page, search->size,
                           search->no_collapse);
    append_field(key, search->similar);
    char *out = strdup(key->str);
    g_string_free(key, TRUE);
    return out;
}

/* Compares (generation, database, revision) with the index the cache holds:
 * -1 older, 0 the same, 1 newer (the cache is emptied and takes it). Another
 * database (a rebuild swapped in) counts as newer: its revisions start anew,
 * so comparing them with the old one's would serve old answers. Lock held. */
static int adopt_index(vind_cache_t *cache, unsigned generation, const char *database_id,
                       uint64_t revision)
{
    int same_database = cache->database_id && strcmp(database_id, cache->database_id) == 0;
    if (cache->has_index && generation == cache->generation && same_database &&
        revision == cache->revision)
        return 0;
    if (cache->has_index &&
        (generation < cache->generation ||
         (generation == cache->generation && same_database && revision < cache->revision)))
        return -1;
    char *copy = strdup(database_id);
    if (copy == NULL)
        return -1;
    if (cache->entries)
        atomic_fetch_add(&cache->flushes, 1);
    clear(cache);
    free(cache->database_id);
    cache->database_id = copy;
    cache->has_index = 1;
    cache->generation = generation;
    cache->revision = revision;
    return 1;
}

static void unlink_entry(vind_cache_t *cache, entry_t *e)
{
    if (e->prev)
        e->prev->next = e->next;
    else
        cache->newest = e->next;
    if (e->next)
        e->next->prev = e->prev;
    else
        cache->oldest = e->prev;
    e->prev = e->next = NULL;
}

static void push_newest(vind_cache_t *cache, entry_t *e)
{
    e->next = cache->newest;
    if (cache->newest)
        cache->newest->prev = e;
    cache->newest = e;
    if (cache->oldest == NULL)
        cache->oldest = e;
}

int vind_cache_get(vind_cache_t *cache, const char *key, unsigned generation,
                   const char *database_id, uint64_t revision, char **body, long long *hits)
{
    *body = NULL;
    if (!vind_cache_enabled(cache))
        return 0;
    pthread_mutex_lock(&cache->lock);
    entry_t *e = adopt_index(cache, generation, database_id, revision) == 0
                     ? g_hash_table_lookup(cache->table, key)
                     : NULL;
    if (e != NULL && (*body = malloc(e->body_len + 1)) != NULL) {
        memcpy(*body, e->body, e->body_len + 1);
        *hits = e->hits;
        unlink_entry(cache, e);
        push_newest(cache, e);
    }
    pthread_mutex_unlock(&cache->lock);
    atomic_fetch_add(*body ? &cache->hits : &cache->misses, 1);
    return *body != NULL;
}

/* Evicts the least recently used entries until `more` bytes fit. Lock held. */
static void make_room(vind_cache_t *cache, size_t more)
{
    while (cache->oldest && cache->bytes + more > cache->max_bytes) {
        entry_t *e = cache->oldest;
        unlink_entry(cache, e);
        g_hash_table_remove(cache->table, e->key);
        cache->bytes -= e->bytes;
        cache->entries--;
        entry_free(e);
        atomic_fetch_add(&cache->evictions, 1);
    }
}

void vind_cache_put(vind_cache_t *cache, const char *key, unsigned generation,
                    const char *database_id, uint64_t revision, const char *body, long long hits)
{
    if (!vind_cache_enabled(cache) || body == NULL)
        return;
    size_t body_len = strlen(body);
    size_t bytes = strlen(key) + 1 + body_len + 1 + ENTRY_OVERHEAD;
    if (bytes > cache->max_bytes)
        return;
    entry_t *e = calloc(1, sizeof *e);
    if (e == NULL || (e->key = strdup(key)) == NULL || (e->body = strdup(body)) == NULL) {
        if (e)
            entry_free(e);
        return; /* out of memory: the answer is simply not kept */
    }
    e->body_len = body_len;
    e->bytes = bytes;
    e->hits = hits;
    pthread_mutex_lock(&cache->lock);
    /* Another worker may have stored the same search meanwhile: keep it. */
    if (adopt_index(cache, generation, database_id, revision) < 0 ||
        g_hash_table_contains(cache->table, key)) {
        pthread_mutex_unlock(&cache->lock);
        entry_free(e);
        return;
    }
    make_room(cache, bytes);
    g_hash_table_insert(cache->table, e->key, e);
    push_newest(cache, e);
    cache->bytes += bytes;
    cache->entries++;
    pthread_mutex_unlock(&cache->lock);
    atomic_fetch_add(&cache->stores, 1);
}

char *vind_cache_metrics(vind_cache_t *cache)
{
    if (cache == NULL) /* a server made without one (tests/fuzz/fuzz_searchd.c) */
        return g_strdup("");
    pthread_mutex_lock(&cache->lock);
    size_t bytes = cache->bytes, entries = cache->entries;
    pthread_mutex_unlock(&cache->lock);
    return g_strdup_printf(
        "# HELP vind_cache_hits_total /api/search answers given from the result cache.\n"
        "# TYPE vind_cache_hits_total counter\n"
        "vind_cache_hits_total %llu\n"
        "# HELP vind_cache_misses_total /api/search lookups the cache could not answer.\n"
        "# TYPE vind_cache_misses_total counter\n"
        "vind_cache_misses_total %llu\n"
        "# HELP vind_cache_stores_total Answers put into the cache.\n"
        "# TYPE vind_cache_stores_total counter\n"
        "vind_cache_stores_total %llu\n"
        "# HELP vind_cache_evictions_total Answers dropped to stay within --cache-size.\n"
        "# TYPE vind_cache_evictions_total counter\n"
        "vind_cache_evictions_total %llu\n"
        "# HELP vind_cache_flushes_total Times the cache was emptied for a new index revision.\n"
        "# TYPE vind_cache_flushes_total counter\n"
        "vind_cache_flushes_total %llu\n"
        "# HELP vind_cache_bytes Bytes the cached answers take (keys and overhead included).\n"
        "# TYPE vind_cache_bytes gauge\n"
        "vind_cache_bytes %zu\n"
        "# HELP vind_cache_max_bytes The cache's bound (--cache-size; 0: disabled).\n"
        "# TYPE vind_cache_max_bytes gauge\n"
        "vind_cache_max_bytes %zu\n"
        "# HELP vind_cache_entries Answers in the cache.\n"
        "# TYPE vind_cache_entries gauge\n"
        "vind_cache_entries %zu\n",
        (unsigned long long)atomic_load(&cache->hits),
        (unsigned long long)atomic_load(&cache->misses),
        (unsigned long long)atomic_load(&cache->stores),
        (unsigned long long)atomic_load(&cache->evictions),
        (unsigned long long)atomic_load(&cache->flushes), bytes, cache->max_bytes, entries);
}
