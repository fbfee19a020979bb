/*
 * prints.c - the near-duplicate fingerprints of an index and the look-up
 * of the nearest one, by bands (lib/prints.h).
 *
 * Why bands: the indexer looks up every document it stores. The walk over
 * every fingerprint of the index that did it before (a hash table, a cache
 * miss per print) cost 0.2-0.5 ms a document at 20,000 fingerprints, 5-7 ms
 * at 100,000 and 87 ms at a million (bench/print-cost): more than the rest
 * of indexing from ~10,000 on.
 *
 * How: the 64 bits are four bands of 16. Two prints at most
 * VIND_SIMHASH_MAX_DISTANCE (12) bits apart differ in band 0 by at most 3
 * bits or in one of bands 1-3 by at most 2: else they would differ in
 * 4 + 3 + 3 + 3 = 13 bits or more (the general pigeonhole principle: radii
 * r_i with sum(r_i + 1) = 12 + 1 leave no near print out). So a look-up
 * probes, per band, the buckets of the band's values within its radius of
 * the fingerprint's (697 + 3 x 137 buckets) and measures the whole distance
 * of the prints filed there only. Thirteen bands of 4-5 bits that must match
 * exactly (the plain pigeonhole) would make most prints candidates; four
 * bands with radii 3,2,2,2 make ~1.7% of them candidates (uniform bits:
 * 697/65536 + 3 x 137/65536).
 */
#include "prints.h"

#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "simhash.h"

#define BANDS 4u
#define BAND_BITS 16u
#define BUCKETS (1u << BAND_BITS)
#define MAX_RADIUS 3u
/* Values of 16 bits with at most 0, 1, 2, 3 bits set: 1, 17, 137, 697. */
#define MASKS 697u

/* The radius of each band; their sum plus BANDS is the distance plus one. */
static const unsigned band_radius[BANDS] = {3, 2, 2, 2};
_Static_assert(3 + 2 + 2 + 2 + BANDS == VIND_SIMHASH_MAX_DISTANCE + 1,
               "the band radii must cover VIND_SIMHASH_MAX_DISTANCE exactly");

typedef struct {
    vind_print_t print;
    uint32_t docid;
} node_t;

/* The prints a bucket files: one block of their fingerprints (size of
 * them, count used) followed by their nodes (size of them), so that the
 * scan of a bucket reads 8 bytes a candidate and chases no pointer unless
 * the candidate is near. */
typedef struct {
    uint64_t *fingerprints;
    uint32_t count, size;
} bucket_t;

struct vind_prints {
    GHashTable *nodes; /* docid -> node_t */
    bucket_t *buckets; /* BANDS x BUCKETS, by band then the band's bits */
    /* A bit per bucket that files a print: a probe of an empty bucket reads
     * this 32 kB map, not the 4 MB of bucket heads (most probes below
     * ~100,000 prints). */
    uint64_t occupied[BANDS][BUCKETS / 64];
    uint16_t masks[MASKS];           /* by number of bits set: those of radius r come first */
    unsigned probes[MAX_RADIUS + 1]; /* masks of at most r bits */
};

static void node_free(gpointer data)
{
    node_t *node = data;
    free(node->print.url);
    free(node);
}

/* The XOR masks of 16 bits with at most MAX_RADIUS bits set, fewest first. */
static void make_masks(vind_prints_t *set)
{
    unsigned n = 0;
    for (unsigned bits = 0; bits <= MAX_RADIUS; bits++) {
        for (unsigned mask = 0; mask < BUCKETS; mask++)
            if ((unsigned)__builtin_popcount(mask) == bits)
                set->masks[n++] = (uint16_t)mask;
        set->probes[bits] = n;
    }
}

vind_prints_t *vind_prints_new(void)
{
    vind_prints_t *set = calloc(1, sizeof *set);
    if (!set)
        return NULL;
    set->buckets = calloc((size_t)BANDS * BUCKETS, sizeof *set->buckets);
    if (!set->buckets) {
        free(set);
        return NULL;
    }
    set->nodes = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, node_free);
    make_masks(set);
    return set;
}

void vind_prints_free(vind_prints_t *set)
{
    if (!set)
        return;
    for (size_t i = 0; i < (size_t)BANDS * BUCKETS; i++)
        free(set->buckets[i].fingerprints);
    free(set->buckets);
    g_hash_table_destroy(set->nodes);
    free(set);
}

size_t vind_prints_count(const vind_prints_t *set)
{
    return g_hash_table_size(set->nodes);
}

static unsigned band_bits(uint64_t fingerprint, unsigned band)
{
    return (unsigned)(fingerprint >> (band * BAND_BITS)) & (BUCKETS - 1u);
}

static bucket_t *bucket_of(const vind_prints_t *set, unsigned band, unsigned bits)
{
    return &set->buckets[(size_t)band * BUCKETS + bits];
}

static node_t **bucket_nodes(const bucket_t *bucket)
{
    return (node_t **)(bucket->fingerprints + bucket->size);
}

/* Room for one more print in bucket; 0 when out of memory. */
static int bucket_reserve(bucket_t *bucket)
{
    if (bucket->count < bucket->size)
        return 1;
    uint32_t size = bucket->size ? bucket->size * 2u : 2u;
    uint64_t *block = realloc(bucket->fingerprints, size * (sizeof *block + sizeof(node_t *)));
    if (!block)
        return 0;
    /* The nodes follow the fingerprints: they move up by the new room. */
    memmove(block + size, block + bucket->size, bucket->count * sizeof(node_t *));
    bucket->fingerprints = block;
    bucket->size = size;
    return 1;
}

static int occupied(const vind_prints_t *set, unsigned band, unsigned bits)
{
    return (int)(set->occupied[band][bits >> 6] >> (bits & 63u) & 1u);
}

static void mark(vind_prints_t *set, unsigned band, unsigned bits, int occupied)
{
    uint64_t bit = (uint64_t)1 << (bits & 63u);
    if (occupied)
        set->occupied[band][bits >> 6] |= bit;
    else
        set->occupied[band][bits >> 6] &= ~bit;
}

/* Takes node out of its bucket of band (the last print takes its place:
 * the order of a bucket means nothing, vind_prints_nearest orders candidates). */
static void bucket_drop(vind_prints_t *set, unsigned band, const node_t *node)
{
    unsigned bits = band_bits(node->print.fingerprint, band);
    bucket_t *bucket = bucket_of(set, band, bits);
    node_t **nodes = bucket_nodes(bucket);
    for (uint32_t i = 0; i < bucket->count; i++)
        if (nodes[i] == node) {
            bucket->count--;
            bucket->fingerprints[i] = bucket->fingerprints[bucket->count];
            nodes[i] = nodes[bucket->count];
            break;
        }
    if (!bucket->count)
        mark(set, band, bits, 0);
}

void vind_prints_remove(vind_prints_t *set, uint32_t docid)
{
    node_t *node = g_hash_table_lookup(set->nodes, GUINT_TO_POINTER(docid));
    if (!node)
        return;
    for (unsigned band = 0; band < BANDS; band++)
        bucket_drop(set, band, node);
    g_hash_table_remove(set->nodes, GUINT_TO_POINTER(docid));
}

int vind_prints_put(vind_prints_t *set, uint32_t docid, const vind_print_t *print)
{
    vind_prints_remove(set, docid);
    uint64_t fingerprint = print->fingerprint;
    for (unsigned band = 0; band < BANDS; band++)
        if (!bucket_reserve(bucket_of(set, band, band_bits(fingerprint, band))))
            return 0;
    node_t *node = calloc(1, sizeof *node);
    if (!node)
        return 0;
    node->print = *print;
    node->docid = docid;
    if (print->url && !(node->print.url = strdup(print->url))) {
        free(node);
        return 0;
    }
    for (unsigned band = 0; band < BANDS; band++) {
        unsigned bits = band_bits(fingerprint, band);
        bucket_t *bucket = bucket_of(set, band, bits);
        bucket_nodes(bucket)[bucket->count] = node;
        bucket->fingerprints[bucket->count++] = fingerprint;
        mark(set, band, bits, 1);
    }
    g_hash_table_insert(set->nodes, GUINT_TO_POINTER(docid), node);
    return 1;
}

vind_print_t *vind_prints_get(const vind_prints_t *set, uint32_t docid)
{
    node_t *node = g_hash_table_lookup(set->nodes, GUINT_TO_POINTER(docid));
    return node ? &node->print : NULL;
}

/* Whether node, distance bits away, comes before best (best_distance away;
 * NULL: none yet): nearer, then the lower group, then the lower docid. */
static int comes_before(const node_t *node, unsigned distance, const node_t *best,
                        unsigned best_distance)
{
    if (!best || distance != best_distance)
        return !best || distance < best_distance;
    if (node->print.group != best->print.group)
        return node->print.group < best->print.group;
    return node->docid < best->docid;
}

/* Hot path: once per document stored. Cost in prints.h. A print filed in
 * two probed buckets is measured twice: the order is total, so the answer
 * is the same. */
const vind_print_t *vind_prints_nearest(const vind_prints_t *set, uint64_t fingerprint,
                                        const char *url, uint32_t *docid)
{
    const node_t *best = NULL;
    unsigned best_distance = VIND_SIMHASH_MAX_DISTANCE;
    for (unsigned band = 0; band < BANDS; band++) {
        unsigned bits = band_bits(fingerprint, band);
        unsigned probes = set->probes[band_radius[band]];
        /* The probes' buckets lie anywhere in 1 MB of heads, and their prints
         * in blocks of their own: each one a cache miss. Asked for all
         * at once, the misses overlap instead of following one another
         * (unconditionally: asking the bitmap first cost more in mispredicted
         * branches than it saved, 10 -> 17-20 us at 20,000). */
        for (unsigned p = 0; p < probes; p++)
            __builtin_prefetch(bucket_of(set, band, bits ^ set->masks[p]));
        for (unsigned p = 0; p < probes; p++)
            __builtin_prefetch(bucket_of(set, band, bits ^ set->masks[p])->fingerprints);
        for (unsigned p = 0; p < probes; p++) {
            unsigned probe = bits ^ set->masks[p];
            if (!occupied(set, band, probe))
                continue;
            const bucket_t *bucket = bucket_of(set, band, probe);
            for (uint32_t i = 0; i < bucket->count; i++) {
                unsigned distance =
                    (unsigned)__builtin_popcountll(fingerprint ^ bucket->fingerprints[i]);
                if (distance > best_distance)
                    continue;
                const node_t *node = bucket_nodes(bucket)[i];
                if (!node->print.group ||
                    (url && node->print.url && strcmp(node->print.url, url) == 0))
                    continue;
                if (comes_before(node, distance, best, best_distance)) {
                    best = node;
                    best_distance = distance;
                }
            }
        }
    }
    if (best)
        *docid = best->docid;
    return best ? &best->print : NULL;
}
