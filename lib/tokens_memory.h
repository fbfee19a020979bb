/*
 * tokens_memory.h - (private) what an analysis (vind_tokens_t) and the
 * analyzer's cache of word forms hold in memory, for the caches that keep
 * them and bound their bytes (lib/word_memo.c, a searcher's analyzer).
 * Defined in lib/analyze.c, which owns the arena and the cache.
 */
#ifndef VIND_LIB_TOKENS_MEMORY_H
#define VIND_LIB_TOKENS_MEMORY_H

#include <stddef.h>

#include <vind/analyze.h>

/* The bytes tokens holds: its tokens' room and every arena chunk, used or
 * not (not what the strings take: a cache bounded by that was not). 0 for
 * NULL. Cost: one step per chunk. */
size_t vind_tokens_memory(const vind_tokens_t *tokens);

/* About the heap bytes one malloc of size bytes takes (glibc: an 8-byte
 * header, 16-byte steps, at least 32), the way the caches count. */
static inline size_t vind_heap_bytes(size_t size)
{
    size_t chunk = (size + 8u + 15u) & ~(size_t)15u;
    return chunk < 32u ? 32u : chunk;
}

/* About the bytes one entry of a GHashTable costs beyond its key and
 * value: its key, value and hash slots (8 + 8 + 4 bytes) in tables kept
 * between one and four times their entries. */
#define VIND_HASH_ENTRY_BYTES 40u

/* Bounds the bytes analyzer's cache of word forms keeps, its four tables
 * together (each holds at most a quarter, and 65,536 forms); from the
 * next form it caches on. The analysis never depends on it, its speed
 * does. */
void vind_analyzer_set_cache_bytes(vind_analyzer_t *analyzer, size_t bytes);

/* About the bytes analyzer's cache of word forms holds now (keys, entries,
 * hash slots), what its bound counts. */
size_t vind_analyzer_cache_bytes(const vind_analyzer_t *analyzer);

#endif
