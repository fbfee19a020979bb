/*
 * heap_count.h - the heap bytes in use, for the tests that bound what a
 * cache holds (glibc's count, mallinfo2).
 */
#ifndef VIND_TESTS_HEAP_COUNT_H
#define VIND_TESTS_HEAP_COUNT_H

#include <malloc.h>
#include <stddef.h>

/* The heap bytes in use (glibc's count), or 0 where it has none (ASan's
 * allocator keeps its own). */
static inline size_t heap_in_use(void)
{
#if defined(__GLIBC__) && !defined(__SANITIZE_ADDRESS__)
    struct mallinfo2 info = mallinfo2();
    return info.uordblks + info.hblkhd;
#else
    return 0;
#endif
}

#endif
