/*
 * cache.h - (searchd, private) the result cache of /api/search: answers
 * (the JSON body) keyed by the normalised search parameters and the index
 * the searcher saw (pool generation, revision), least recently used out
 * first, bounded by total bytes. Thread: every function is safe.
 */
#ifndef VIND_SEARCHD_CACHE_H
#define VIND_SEARCHD_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include "server.h"

typedef struct vind_cache vind_cache_t;

/* A cache of at most max_bytes (0: disabled, every call a no-op). NULL on NOMEM. */
vind_cache_t *vind_cache_new(size_t max_bytes);
void vind_cache_free(vind_cache_t *cache);

/* 1 when the cache keeps answers (max_bytes > 0). */
int vind_cache_enabled(const vind_cache_t *cache);

/* The key of a search: every parameter that changes the answer, parsed
 * (defaults filled in, empty values and unknown names dropped), so
 * "q=zorg&page=1" and "page=1&q=zorg&utm_source=x" are one key. malloc'd. */
char *vind_cache_key(const vind_search_params_t *search);

/* The answer stored under key for the index at (generation, database,
 * revision): 1 and *body (malloc'd copy) and *hits set; 0 on a miss. An
 * index newer than the cache's (or another database) empties it. */
int vind_cache_get(vind_cache_t *cache, const char *key, unsigned generation,
                   const char *database_id, uint64_t revision, char **body, long long *hits);

/* Stores a complete answer (never a partial one: the caller checks) for the
 * index at (generation, database, revision); an answer for an older
 * index than the cache holds, or larger than the whole cache, is not kept. */
void vind_cache_put(vind_cache_t *cache, const char *key, unsigned generation,
                    const char *database_id, uint64_t revision, const char *body, long long hits);

/* The cache's counters in the Prometheus text format (malloc'd); "" for NULL. */
char *vind_cache_metrics(vind_cache_t *cache);

#endif
