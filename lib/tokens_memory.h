/*
 * tokens_memory.h - (private) what an analysis (vind_tokens_t) holds in
 * memory, for the caches that keep analyses and bound their bytes
 * (lib/word_memo.c). Defined in lib/analyze.c, which owns the arena.
 */
#ifndef VIND_LIB_TOKENS_MEMORY_H
#define VIND_LIB_TOKENS_MEMORY_H

#include <stddef.h>

#include <vind/analyze.h>

/* The bytes tokens holds: its tokens' room and every arena chunk, used or
 * not (not what the strings take: a cache bounded by that was not). 0 for
 * NULL. Cost: one step per chunk. */
size_t vind_tokens_memory(const vind_tokens_t *tokens);

#endif
