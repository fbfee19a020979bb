/*
 * simhash.c - 64-bit simhash of word 4-shingles (lib/simhash.h).
 *
 * Each shingle (four consecutive words: their normalised forms) is hashed to 64 bits; bit i
 * of the fingerprint is 1 when more shingles have bit i set than not.
 * Documents that share most of their shingles get fingerprints a few bits
 * apart (Charikar 2002; Manku, Jain & Das Sarma 2007 use 64 bits and a
 * distance of 3 for web pages).
 */
#include <stdio.h>
#include <string.h>

#include "simhash.h"

/* FNV-1a, 64 bits: GLib's string hashes are 32 bits. */
static uint64_t fnv1a(const void *bytes, size_t len, uint64_t hash)
{
    const unsigned char *p = bytes;
    for (size_t i = 0; i < len; i++) {
        hash ^= p[i];
        hash *= 0x100000001b3ull;
    }
    return hash;
}

#define FNV_OFFSET 0xcbf29ce484222325ull

/* A 64-bit finaliser (splitmix64's): FNV's high bits vary too little for
 * the short inputs a shingle of word hashes is, and every bit votes. */
static uint64_t mix(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ull;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebull;
    x ^= x >> 31;
    return x;
}

void vind_simhash_init(vind_simhash_t *s)
{
    memset(s, 0, sizeof *s);
}

/* Adds a word to the shingles (the minimum's count is the caller's). */
static void add_word(vind_simhash_t *s, const char *word, size_t len)
{
    uint64_t h = fnv1a(word, len, FNV_OFFSET);
    const size_t before = VIND_SIMHASH_SHINGLE - 1;
    if (s->words >= before) {
        uint64_t shingle = FNV_OFFSET;
        for (size_t i = 0; i < before; i++)
            shingle = fnv1a(&s->recent[i], sizeof s->recent[i], shingle);
        shingle = mix(fnv1a(&h, sizeof h, shingle));
        /* only the set bits are counted, one step each: a +1/-1 vote on all
         * 64 bits was ~45% of this function (callgrind, session 9) */
        for (uint64_t bits = shingle; bits != 0; bits &= bits - 1)
            s->set[__builtin_ctzll(bits)]++;
        s->shingles++;
    }
    memmove(s->recent, s->recent + 1, (before - 1) * sizeof s->recent[0]);
    s->recent[before - 1] = h;
    s->words++;
}

void vind_simhash_add(vind_simhash_t *s, const char *word, size_t len)
{
    add_word(s, word, len);
    s->content_words++;
}

void vind_simhash_add_token(vind_simhash_t *s, const vind_token_t *token)
{
    add_word(s, token->form, strlen(token->form));
    if (!(token->flags & VIND_TOKEN_STOP))
        s->content_words++;
}

int vind_simhash_result(const vind_simhash_t *s, uint64_t *out)
{
    *out = 0;
    if (s->content_words < VIND_SIMHASH_MIN_SHINGLES + VIND_SIMHASH_SHINGLE - 1)
        return 0;
    /* a bit is set when more shingles have it set than not */
    for (unsigned bit = 0; bit < 64; bit++)
        if (2 * (uint64_t)s->set[bit] > s->shingles)
            *out |= (uint64_t)1 << bit;
    return 1;
}

unsigned vind_simhash_distance(uint64_t a, uint64_t b)
{
    return (unsigned)__builtin_popcountll(a ^ b);
}

void vind_simhash_hex(uint64_t fingerprint, char out[17])
{
    snprintf(out, 17, "%016llx", (unsigned long long)fingerprint);
}

int vind_simhash_parse(const char *hex, size_t len, uint64_t *out)
{
    *out = 0;
    if (len != 16)
        return 0;
    for (size_t i = 0; i < len; i++) {
        char c = hex[i];
        unsigned digit;
        if (c >= '0' && c <= '9')
            digit = (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f')
            digit = (unsigned)(c - 'a' + 10);
        else
            return 0;
        *out = *out << 4 | digit;
    }
    return 1;
}
