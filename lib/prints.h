/*
 * prints.h - (private) the near-duplicate fingerprints of an index's
 * documents and the look-up of the nearest one (docs/schema.md, "Groups of
 * near-duplicates"). The indexer keeps one set per run (lib/index.c).
 *
 * The look-up does not walk every fingerprint: each is filed under its four
 * 16-bit bands, and a look-up probes only the bands' values a near
 * fingerprint can have (the general pigeonhole principle below), then
 * verifies each candidate's whole distance. It answers exactly what a walk
 * over every fingerprint answers (tests/unit/test_prints.c).
 */
#ifndef VIND_LIB_PRINTS_H
#define VIND_LIB_PRINTS_H

#include <stddef.h>
#include <stdint.h>

/* A fingerprinted document. */
typedef struct {
    uint64_t fingerprint; /* never 0 (vind_simhash_result) */
    uint64_t group;       /* its group's label: its own fingerprint while alone */
    int keyed;            /* the label is in its slot 10 (it has had a near-duplicate) */
    char *url;            /* malloc'd, owned by the set; NULL: not known */
} vind_print_t;

typedef struct vind_prints vind_prints_t;

/* An empty set. Cost: 4 MB of bucket heads (four bands of 65,536), zeroed
 * lazily by the kernel. */
vind_prints_t *vind_prints_new(void);
void vind_prints_free(vind_prints_t *set);

size_t vind_prints_count(const vind_prints_t *set);

/* Files a copy of *print (its url copied too, when not NULL) as docid's,
 * replacing docid's earlier one. 0 when out of memory (the set holds no
 * print of docid then), else 1. */
int vind_prints_put(vind_prints_t *set, uint32_t docid, const vind_print_t *print);

/* Forgets docid's print (none: nothing). */
void vind_prints_remove(vind_prints_t *set, uint32_t docid);

/* docid's print, NULL when none. Its group, keyed and url may be changed in
 * place (url: malloc'd, the set frees it); its fingerprint may not (the
 * bands file it by its bits: put it again instead). */
vind_print_t *vind_prints_get(const vind_prints_t *set, uint32_t docid);

/*
 * The nearest print at most VIND_SIMHASH_MAX_DISTANCE bits from fingerprint,
 * leaving out a print whose group is 0 and the one whose url is url (the
 * document being replaced); its docid in *docid. NULL when none is near.
 * Of prints at the same distance, the lowest group wins (the group then does
 * not depend on docids), and of those the lowest docid (which member of one
 * group is returned only matters when one of them is not keyed; lib/index.c).
 * Cost: 1,108 bucket probes (697 of band 0, 137 of each other band) and one
 * popcount per candidate, which is a print sharing a band with fingerprint
 * up to 3 (band 0) or 2 bits: ~1.7% of uniformly spread prints. At 20,000
 * prints that is ~340 popcounts instead of 20,000 (bench/print-cost, CPU:
 * ~11 us at 20,000, ~35 us at 100,000, 0.24 ms at 1,000,000).
 */
const vind_print_t *vind_prints_nearest(const vind_prints_t *set, uint64_t fingerprint,
                                        const char *url, uint32_t *docid);

#endif
