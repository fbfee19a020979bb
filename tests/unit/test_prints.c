/*
 * test_prints.c - the near-duplicate look-up by bands (lib/prints.c) answers
 * what a walk over every fingerprint answers:
 *   - every split of up to 12 differing bits over the four bands is found,
 *     13 never (the pigeonhole radii 3,2,2,2 leave no near print out);
 *   - on 20,000 random prints with planted neighbours at 0-14 bits, ties of
 *     distance (several groups, several members of one group), group 0 and
 *     the replaced document's own url, the same print as a walk in the
 *     order (distance, group, docid), and the same group and distance as
 *     the walk lib/index.c made before (nearest_print, copied below);
 *   - the same after removing prints and putting others under old docids.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prints.h"
#include "simhash.h"

#include "check.h"

static uint64_t rng_state = 0x9e3779b97f4a7c15u;

/* splitmix64: deterministic. */
static uint64_t next_random(void)
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

/* n distinct random bits among bits [from, from + width). */
static uint64_t random_bits(unsigned n, unsigned from, unsigned width)
{
    uint64_t mask = 0;
    while ((unsigned)__builtin_popcountll(mask) < n)
        mask |= (uint64_t)1 << (from + next_random() % width);
    return mask;
}

/* The model: what the set should hold, docid i at models[i]. */
typedef struct {
    int present;
    vind_print_t print;
} model_t;

#define MAX_DOCS 40000u
static model_t models[MAX_DOCS];
static char urls[MAX_DOCS][16];

/* lib/index.c's nearest_print before the bands, over the model in its own
 * order (the hash table's then): the nearest, ties to the lower group, and
 * of one group whichever came first. */
static const vind_print_t *todays_walk(uint64_t fingerprint, const char *url, uint32_t *docid)
{
    const vind_print_t *nearest = NULL;
    unsigned best = VIND_SIMHASH_MAX_DISTANCE + 1;
    for (uint32_t key = 0; key < MAX_DOCS; key++) {
        if (!models[key].present)
            continue;
        const vind_print_t *print = &models[key].print;
        unsigned distance = vind_simhash_distance(fingerprint, print->fingerprint);
        if (distance > best || !print->group || (print->url && strcmp(print->url, url) == 0))
            continue;
        if (distance < best || (nearest && print->group < nearest->group)) {
            nearest = print;
            *docid = key;
        }
        best = distance;
    }
    return nearest;
}

/* The whole order vind_prints_nearest promises: distance, group, docid. */
static const vind_print_t *ordered_walk(uint64_t fingerprint, const char *url, uint32_t *docid,
                                        unsigned *distance_out)
{
    const vind_print_t *nearest = NULL;
    unsigned best = 0;
    for (uint32_t key = 0; key < MAX_DOCS; key++) {
        const vind_print_t *print = &models[key].print;
        if (!models[key].present || !print->group || (print->url && !strcmp(print->url, url)))
            continue;
        unsigned distance = vind_simhash_distance(fingerprint, print->fingerprint);
        if (distance > VIND_SIMHASH_MAX_DISTANCE)
            continue;
        if (!nearest || distance < best || (distance == best && print->group < nearest->group)) {
            nearest = print; /* docids ascend: the first of equals is the lowest */
            *docid = key;
            best = distance;
        }
    }
    *distance_out = best;
    return nearest;
}

static void model_put(vind_prints_t *set, uint32_t docid, uint64_t fingerprint, uint64_t group,
                      int keyed, const char *url)
{
    snprintf(urls[docid], sizeof urls[docid], "%s", url);
    models[docid] = (model_t){
        .present = 1,
        .print = {.fingerprint = fingerprint, .group = group, .keyed = keyed, .url = urls[docid]}};
    if (!vind_prints_put(set, docid, &models[docid].print))
        abort();
}

static void model_remove(vind_prints_t *set, uint32_t docid)
{
    models[docid].present = 0;
    vind_prints_remove(set, docid);
}

/* Looks fingerprint up in the set and in both walks; counts what differs. */
typedef struct {
    unsigned queries, found, differ_ordered, differ_today;
} tally_t;

static void compare(const vind_prints_t *set, uint64_t fingerprint, const char *url, tally_t *t)
{
    uint32_t got_docid = 0, want_docid = 0, today_docid = 0;
    unsigned want_distance = 0;
    const vind_print_t *got = vind_prints_nearest(set, fingerprint, url, &got_docid);
    const vind_print_t *want = ordered_walk(fingerprint, url, &want_docid, &want_distance);
    const vind_print_t *today = todays_walk(fingerprint, url, &today_docid);
    t->queries++;
    t->found += want != NULL;
    if (!got != !want ||
        (got && (got_docid != want_docid || got->group != want->group ||
                 got->fingerprint != want->fingerprint || got->keyed != want->keyed)))
        t->differ_ordered++;
    if (!got != !today ||
        (got && (got->group != today->group ||
                 vind_simhash_distance(fingerprint, got->fingerprint) != want_distance ||
                 vind_simhash_distance(fingerprint, today->fingerprint) != want_distance)))
        t->differ_today++;
}

static void clear_models(void)
{
    memset(models, 0, sizeof models);
}

/* Every split of d differing bits over the four bands, d <= 13. */
static void test_every_split(void)
{
    clear_models();
    vind_prints_t *set = vind_prints_new();
    uint64_t base = next_random() | 1u;
    model_put(set, 1, base, base, 0, "/basis/");
    for (uint32_t docid = 2; docid < 2000; docid++) {
        uint64_t other = next_random() | 1u;
        model_put(set, docid, other, other, 0, "/ander/");
    }
    unsigned near = 0, near_found = 0, far = 0, far_found = 0;
    tally_t t = {0};
    for (unsigned a = 0; a <= 13; a++)
        for (unsigned b = 0; a + b <= 13; b++)
            for (unsigned c = 0; a + b + c <= 13; c++)
                for (unsigned d = 0; a + b + c + d <= 13; d++) {
                    uint64_t query = base ^ random_bits(a, 0, 16) ^ random_bits(b, 16, 16) ^
                                     random_bits(c, 32, 16) ^ random_bits(d, 48, 16);
                    uint32_t docid = 0;
                    const vind_print_t *got = vind_prints_nearest(set, query, "/nieuw/", &docid);
                    int is_base = got && docid == 1;
                    if (a + b + c + d <= VIND_SIMHASH_MAX_DISTANCE) {
                        near++;
                        near_found += is_base;
                    } else {
                        far++;
                        far_found += is_base;
                    }
                    compare(set, query, "/nieuw/", &t);
                }
    CHECK_INT(near_found, near, "every split of at most 12 bits over the bands is found");
    CHECK_INT(far_found, 0, "13 bits away is not near");
    CHECK(near == 1820 && far == 560, "every split was tried (C(16,4) near, C(16,3) at 13 bits)");
    CHECK_INT(t.differ_ordered, 0, "the splits: the same print as a walk over all of them");
    CHECK_INT(t.differ_today, 0, "the splits: the same group as lib/index.c's walk before");
    vind_prints_free(set);
}

/* Ties: equal distances go to the lower group, then the lower docid; group 0
 * and the url being replaced are left out. */
static void test_ties(void)
{
    clear_models();
    vind_prints_t *set = vind_prints_new();
    uint64_t query = 0x0123456789abcdefu;
    model_put(set, 9, query ^ 0x3u, 5, 1, "/a/");
    model_put(set, 7, query ^ 0x30000u, 3, 1, "/b/");
    model_put(set, 4, query ^ 0x300000000u, 3, 0, "/c/");
    model_put(set, 12, query ^ 0x1u, 0, 1, "/groep-nul/");
    model_put(set, 13, query, 2, 1, "/zelf/");
    uint32_t docid = 0;
    const vind_print_t *got = vind_prints_nearest(set, query, "/zelf/", &docid);
    CHECK(got && docid == 4 && got->group == 3 && !got->keyed,
          "equal distances: the lower group, then the lower docid; group 0 and the own url out");
    model_remove(set, 4);
    got = vind_prints_nearest(set, query, "/zelf/", &docid);
    CHECK(got && docid == 7 && got->group == 3, "removed: the next of the group");
    got = vind_prints_nearest(set, query, "/ander/", &docid);
    CHECK(got && docid == 13 && got->group == 2, "another url: the same fingerprint, 0 bits");
    model_put(set, 13, query ^ 0xf000000000000000u, 2, 1, "/zelf/");
    got = vind_prints_nearest(set, query, "/ander/", &docid);
    CHECK(got && docid == 7, "a docid put again is filed by its new fingerprint only");
    CHECK_INT(vind_prints_count(set), 4, "count after a remove and a replacement");
    CHECK(vind_prints_get(set, 4) == NULL && vind_prints_get(set, 9) != NULL, "get");
    vind_prints_remove(set, 4); /* gone already: nothing */
    CHECK(!vind_prints_nearest(set, ~query, "/x/", &docid), "nothing near: NULL");
    vind_prints_free(set);
}

/* A random print of docid: a new group of one, or a member of an earlier
 * print's group (keyed), now and then group 0; urls repeat now and then. */
static void random_print(vind_prints_t *set, uint32_t docid, uint64_t fingerprint)
{
    uint64_t group = fingerprint;
    int keyed = 0;
    uint64_t dice = next_random() % 100;
    if (dice < 30 && docid > 1) {
        uint32_t other = 1 + (uint32_t)(next_random() % (docid - 1));
        if (models[other].present) {
            group = models[other].print.group;
            keyed = 1;
        }
    } else if (dice < 31) {
        group = 0;
    }
    char url[16];
    snprintf(url, sizeof url, "/d%u/", dice < 33 ? docid / 2 : docid);
    model_put(set, docid, fingerprint, group, keyed, url);
}

/* 20,000 prints: a third of them planted near an earlier one (0-14 bits),
 * a share at equal distances; queries near existing prints. */
static void test_random(void)
{
    clear_models();
    vind_prints_t *set = vind_prints_new();
    const uint32_t n = 20000;
    for (uint32_t docid = 1; docid <= n; docid++) {
        uint64_t fingerprint = next_random();
        if (docid > 10 && next_random() % 3 == 0) {
            uint32_t other = 1 + (uint32_t)(next_random() % (docid - 1));
            fingerprint = models[other].print.fingerprint ^ random_bits(next_random() % 15, 0, 64);
        }
        random_print(set, docid, fingerprint ? fingerprint : 1);
    }
    tally_t t = {0};
    for (unsigned q = 0; q < 3000; q++) {
        uint32_t near = 1 + (uint32_t)(next_random() % n);
        uint64_t query = models[near].print.fingerprint ^ random_bits(next_random() % 15, 0, 64);
        const char *url = q % 5 == 0 ? models[near].print.url : "/nieuw/";
        compare(set, query, url, &t);
    }
    CHECK(t.found > 1500, "most queries have a near print");
    CHECK_INT(t.differ_ordered, 0, "20,000 prints: the same print as a walk over all of them");
    CHECK_INT(t.differ_today, 0, "20,000 prints: the same group as lib/index.c's walk before");

    /* Deletions and replacements, as an incremental run makes them. */
    for (uint32_t docid = 1; docid <= n; docid++) {
        uint64_t dice = next_random() % 10;
        if (dice < 2)
            model_remove(set, docid);
        else if (dice < 3)
            random_print(set, docid, models[1 + next_random() % n].print.fingerprint ^ 0x10u);
    }
    tally_t after = {0};
    for (unsigned q = 0; q < 3000; q++) {
        uint32_t near = 1 + (uint32_t)(next_random() % n);
        uint64_t query = models[near].print.fingerprint ^ random_bits(next_random() % 15, 0, 64);
        compare(set, query, q % 5 == 0 ? urls[near] : "/nieuw/", &after);
    }
    CHECK_INT(after.differ_ordered, 0, "after removals and replacements: the same print");
    CHECK_INT(after.differ_today, 0, "after removals and replacements: the same group");
    vind_prints_free(set);
}

int main(void)
{
    test_ties();
    test_every_split();
    test_random();
    return check_done();
}
