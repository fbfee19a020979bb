/*
 * print-cost N [FILE] - the CPU time of one near-duplicate look-up in an
 * index of N fingerprints (lib/prints.h), by bands and by the walk over
 * every fingerprint that lib/index.c made before (timing only, never
 * pass/fail; docs/schema.md, "Groups of near-duplicates").
 *
 * The fingerprints are those of FILE (16 hex digits a line, as
 * `xapian-delve -V9` lists them, one per line), then uniform random ones up
 * to N + 1,000. The first N are filed, the last 1,000 looked up in the set
 * of N: that is the cost per document stored once the index holds N. Prints one line:
 *   N bands_us walk_us found
 */
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "prints.h"
#include "simhash.h"

#define QUERIES 1000u

static double cpu_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint64_t next_random(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

/* n fingerprints: FILE's first, then random. */
static uint64_t *read_prints(size_t n, const char *path)
{
    uint64_t *prints = g_new(uint64_t, n);
    size_t count = 0;
    FILE *in = path ? fopen(path, "r") : NULL;
    if (path && !in) {
        perror(path);
        exit(2);
    }
    char line[64];
    while (in && count < n && fgets(line, sizeof line, in))
        if (vind_simhash_parse(line, strcspn(line, "\r\n"), &prints[count]) && prints[count])
            count++;
    if (in)
        fclose(in);
    uint64_t state = 42;
    while (count < n)
        prints[count++] = next_random(&state) | 1u;
    return prints;
}

/* The walk lib/index.c made before the bands: a hash table of every print
 * (docid -> print), one popcount each. */
static const vind_print_t *walk(GHashTable *all, uint64_t fingerprint, const char *url)
{
    const vind_print_t *nearest = NULL;
    unsigned best = VIND_SIMHASH_MAX_DISTANCE + 1;
    GHashTableIter it;
    gpointer key, value;
    g_hash_table_iter_init(&it, all);
    while (g_hash_table_iter_next(&it, &key, &value)) {
        const vind_print_t *print = value;
        unsigned distance = vind_simhash_distance(fingerprint, print->fingerprint);
        if (distance > best || !print->group || (print->url && strcmp(print->url, url) == 0))
            continue;
        if (distance < best || (nearest && print->group < nearest->group))
            nearest = print;
        best = distance;
    }
    return nearest;
}

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: print-cost N [FILE]\n");
        return 2;
    }
    size_t n = strtoul(argv[1], NULL, 10);
    uint64_t *prints = read_prints(n + QUERIES, argc == 3 ? argv[2] : NULL);
    vind_prints_t *set = vind_prints_new();
    GHashTable *all = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
    char url[32];
    for (size_t i = 0; i < n; i++) {
        snprintf(url, sizeof url, "/d%zu/", i);
        /* Filed without a look-up each (the groups do not change the cost):
         * a million look-ups would take minutes. */
        vind_print_t print = {.fingerprint = prints[i], .group = prints[i], .url = url};
        vind_prints_put(set, (uint32_t)i + 1, &print);
        vind_print_t *copy = g_new(vind_print_t, 1);
        *copy = print;
        copy->url = NULL; /* the walk's strcmp is only reached by near prints */
        g_hash_table_insert(all, GUINT_TO_POINTER(i + 1), copy);
    }
    unsigned found = 0, found_walk = 0;
    double start = cpu_seconds();
    for (size_t q = n; q < n + QUERIES; q++) {
        uint32_t docid = 0;
        found += vind_prints_nearest(set, prints[q], "/nieuw/", &docid) != NULL;
    }
    double bands = (cpu_seconds() - start) / QUERIES;
    start = cpu_seconds();
    for (size_t q = n; q < n + QUERIES; q++)
        found_walk += walk(all, prints[q], "/nieuw/") != NULL;
    double walked = (cpu_seconds() - start) / QUERIES;
    printf("%zu %.2f %.2f %u%s\n", n, bands * 1e6, walked * 1e6, found,
           found == found_walk ? "" : " DIFFERENT");
    vind_prints_free(set);
    g_hash_table_destroy(all);
    g_free(prints);
    return found == found_walk ? 0 : 1;
}
