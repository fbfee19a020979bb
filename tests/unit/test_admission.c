/*
 * test_admission.c - costly-search admission (searchd/admission.c): an
 * address becomes heavy only by a search that cost at least the threshold,
 * stays heavy for the set time after its last costly search and is normal
 * again after it; at most max_heavy searches of heavy addresses run at once
 * (one more is refused and counted), while other addresses are never
 * refused; a full table forgets the address whose mark ends first; the
 * class a request is queued by, and a request queued while its address was
 * heavy admitted as heavy; an ended entry beside a live one; which queries
 * may be costly before they run (a wildcard, more than 12 words); an
 * address's recent CPU, the order of the search queues; off (max_heavy 0)
 * admits everything.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <vind/limits.h>

#include "../../searchd/admission.h"
#include "check.h"

#define MS 1000 /* microseconds */

static void address_key(unsigned char key[VIND_CLIENT_KEY_BYTES], unsigned n)
{
    memset(key, 0, VIND_CLIENT_KEY_BYTES);
    key[0] = 2; /* AF_INET */
    key[1] = 10;
    key[2] = (unsigned char)(n >> 16);
    key[3] = (unsigned char)(n >> 8);
    key[4] = (unsigned char)n;
}

/* One search of address `n` at `now` costing cpu_us; returns how it was admitted. */
static vind_admit_t search(vind_admission_t *admission, unsigned n, int64_t now, int64_t cpu_us)
{
    unsigned char key[VIND_CLIENT_KEY_BYTES];
    address_key(key, n);
    vind_admit_t admitted = vind_admission_enter(admission, key, now, 0);
    vind_admission_leave(admission, key, admitted, cpu_us, now);
    return admitted;
}

static void test_heavy_marks_and_decay(void)
{
    int failed = 1;
    vind_admission_t *admission = vind_admission_new(1, 50 * MS, 10000 * MS, &failed);
    CHECK(admission != NULL && failed == 0, "admission made");
    CHECK_INT(search(admission, 1, 1000 * MS, 49 * MS), VIND_ADMIT_NORMAL,
              "a first search is admitted as normal");
    CHECK_INT(search(admission, 1, 1001 * MS, 1 * MS), VIND_ADMIT_NORMAL,
              "a search under the threshold leaves the address normal");
    CHECK_INT(search(admission, 1, 1002 * MS, 50 * MS), VIND_ADMIT_NORMAL,
              "the costly search itself ran as normal");
    CHECK_INT(search(admission, 1, 1003 * MS, 1 * MS), VIND_ADMIT_HEAVY,
              "after a search of the threshold's cost the address is heavy");
    CHECK_INT(search(admission, 1, 11001 * MS, 1 * MS), VIND_ADMIT_HEAVY,
              "still heavy just before the period after its last costly search ends");
    CHECK_INT(search(admission, 1, 11002 * MS, 1 * MS), VIND_ADMIT_NORMAL,
              "normal again once the period ended (cheap searches do not extend it)");
    CHECK_INT(search(admission, 2, 11003 * MS, 1 * MS), VIND_ADMIT_NORMAL,
              "another address was never heavy");
    vind_admission_free(admission);
}

static void test_global_bound(void)
{
    int failed = 1;
    vind_admission_t *admission = vind_admission_new(2, 0, 10000 * MS, &failed);
    unsigned char a[VIND_CLIENT_KEY_BYTES], b[VIND_CLIENT_KEY_BYTES], c[VIND_CLIENT_KEY_BYTES];
    address_key(a, 1), address_key(b, 2), address_key(c, 3);
    search(admission, 1, 1, 0); /* threshold 0: every search makes its address heavy */
    search(admission, 2, 1, 0);
    vind_admit_t first = vind_admission_enter(admission, a, 2, 0);
    vind_admit_t second = vind_admission_enter(admission, b, 2, 0);
    CHECK(first == VIND_ADMIT_HEAVY && second == VIND_ADMIT_HEAVY,
          "two heavy searches of two addresses run at once (max 2)");
    CHECK_INT(vind_admission_enter(admission, a, 3, 0), VIND_ADMIT_REFUSED,
              "a third heavy search is refused");
    CHECK_INT(vind_admission_enter(admission, b, 3, 0), VIND_ADMIT_REFUSED,
              "from either heavy address");
    CHECK_INT(vind_admission_enter(admission, c, 3, 0), VIND_ADMIT_NORMAL,
              "a normal address is admitted meanwhile");
    vind_admission_leave(admission, c, VIND_ADMIT_NORMAL, 0, 3);
    char *metrics = vind_admission_metrics(admission);
    CHECK(metrics && strstr(metrics, "vind_heavy_refused_total 2\n") &&
              strstr(metrics, "vind_heavy_searches 2\n"),
          "/metrics counts the 2 refusals and the 2 heavy searches running");
    free(metrics);
    vind_admission_leave(admission, a, first, 0, 4);
    CHECK_INT(vind_admission_enter(admission, b, 5, 0), VIND_ADMIT_HEAVY,
              "a freed heavy slot admits the next heavy search");
    vind_admission_leave(admission, b, VIND_ADMIT_HEAVY, 0, 5);
    vind_admission_leave(admission, b, second, 0, 5);
    metrics = vind_admission_metrics(admission);
    CHECK(metrics && strstr(metrics, "vind_heavy_searches 0\n"), "every slot given back");
    free(metrics);
    vind_admission_free(admission);
}

static void test_full_table(void)
{
    int failed = 1;
    vind_admission_t *admission = vind_admission_new(1, 0, 10000 * MS, &failed);
    /* One heavy address more than the table holds, address n marked at n ms:
     * the last one pushes out address 1, whose mark ends first. */
    unsigned last = VIND_SEARCHD_HEAVY_ADDRESSES + 1;
    for (unsigned n = 1; n <= last; n++)
        search(admission, n, n * MS, 0);
    CHECK_INT(search(admission, last, (last + 1) * MS, 0), VIND_ADMIT_HEAVY,
              "the newest heavy address is in the table");
    CHECK_INT(search(admission, 2, (last + 2) * MS, 0), VIND_ADMIT_HEAVY,
              "so is the second oldest");
    CHECK_INT(search(admission, 1, (last + 3) * MS, 0), VIND_ADMIT_NORMAL,
              "the oldest mark was forgotten: the table stays bounded");
    vind_admission_free(admission);
}

/* Session 18: the class a request is queued by (heavy, then remembered as
 * costly for VIND_SEARCHD_COSTLY_MEMO_SECONDS, then normal), and a request
 * queued while its address was heavy is admitted as heavy after the mark
 * ended (a queue longer than the mark no longer ends it). */
static void test_classes_and_queued_heavy(void)
{
    int failed = 1;
    vind_admission_t *admission = vind_admission_new(1, 50 * MS, 10000 * MS, &failed);
    unsigned char a[VIND_CLIENT_KEY_BYTES], b[VIND_CLIENT_KEY_BYTES];
    address_key(a, 1), address_key(b, 2);
    int64_t memo = (int64_t)VIND_SEARCHD_COSTLY_MEMO_SECONDS * 1000 * MS;
    CHECK_INT(vind_admission_class(admission, a, 1000 * MS), VIND_ADDRESS_NORMAL,
              "an address never seen is normal");
    search(admission, 1, 1000 * MS, 50 * MS);
    CHECK_INT(vind_admission_class(admission, a, 1001 * MS), VIND_ADDRESS_HEAVY,
              "after a costly search: heavy");
    CHECK_INT(vind_admission_class(admission, b, 1001 * MS), VIND_ADDRESS_NORMAL,
              "another address stays normal");
    CHECK_INT(vind_admission_class(admission, a, 11000 * MS), VIND_ADDRESS_COSTLY,
              "its mark ended: costly (remembered), no longer heavy");
    CHECK_INT(vind_admission_class(admission, a, 1000 * MS + memo - 1), VIND_ADDRESS_COSTLY,
              "still remembered just before the memo ends");
    CHECK_INT(vind_admission_class(admission, a, 1000 * MS + memo), VIND_ADDRESS_NORMAL,
              "normal once the memo ended");
    search(admission, 2, 2000 * MS, 50 * MS); /* b heavy until 12000 ms */
    vind_admit_t running = vind_admission_enter(admission, b, 2001 * MS, 0);
    CHECK_INT(running, VIND_ADMIT_HEAVY, "a heavy search of b runs (the one heavy slot)");
    CHECK_INT(vind_admission_enter(admission, a, 20000 * MS, 1), VIND_ADMIT_REFUSED,
              "a's search, queued while a was heavy, is refused after its mark ended");
    CHECK_INT(vind_admission_enter(admission, a, 20000 * MS, 0), VIND_ADMIT_NORMAL,
              "(queued after the mark: normal)");
    vind_admission_leave(admission, a, VIND_ADMIT_NORMAL, 0, 20000 * MS);
    vind_admission_leave(admission, b, running, 0, 20000 * MS);
    vind_admit_t queued = vind_admission_enter(admission, a, 20001 * MS, 1);
    CHECK_INT(queued, VIND_ADMIT_HEAVY, "with the slot free it runs as heavy");
    vind_admission_leave(admission, a, queued, 0, 20001 * MS);
    CHECK_INT(vind_admission_class(NULL, a, 1), VIND_ADDRESS_NORMAL, "off: every address normal");
    vind_admission_free(admission);
}

static void test_off(void)
{
    int failed = 1;
    vind_admission_t *admission = vind_admission_new(0, 0, 10000 * MS, &failed);
    CHECK(admission == NULL && failed == 0, "max_heavy 0: off, and no failure");
    CHECK_INT(search(NULL, 1, 1, 0), VIND_ADMIT_NORMAL, "off: a search is admitted");
    CHECK_INT(search(NULL, 1, 2, 0), VIND_ADMIT_NORMAL, "off: and the next one too");
    char *metrics = vind_admission_metrics(NULL);
    CHECK_STR(metrics, "", "off: no metrics lines");
    free(metrics);
}

/* One look-up serves the class and the admission (session 19: two near-twin
 * scans before): an address whose mark ended beside one whose mark lasts,
 * each found for what it is, and an ended entry marked again. */
static void test_ended_and_live_entries(void)
{
    int failed = 1;
    vind_admission_t *admission = vind_admission_new(1, 50 * MS, 10000 * MS, &failed);
    unsigned char a[VIND_CLIENT_KEY_BYTES], b[VIND_CLIENT_KEY_BYTES];
    address_key(a, 1), address_key(b, 2);
    search(admission, 1, 1000 * MS, 50 * MS); /* a: heavy until 11000 ms */
    search(admission, 2, 5000 * MS, 50 * MS); /* b: heavy until 15000 ms */
    CHECK_INT(vind_admission_class(admission, a, 12000 * MS), VIND_ADDRESS_COSTLY,
              "a's mark ended, b's lasts: a is costly");
    CHECK_INT(vind_admission_class(admission, b, 12000 * MS), VIND_ADDRESS_HEAVY,
              "... and b heavy");
    vind_admit_t a_admitted = vind_admission_enter(admission, a, 12000 * MS, 0);
    CHECK_INT(a_admitted, VIND_ADMIT_NORMAL, "a's search (its mark ended) is admitted as normal");
    vind_admit_t b_admitted = vind_admission_enter(admission, b, 12000 * MS, 0);
    CHECK_INT(b_admitted, VIND_ADMIT_HEAVY, "b's search takes the one heavy slot");
    vind_admission_leave(admission, a, a_admitted, 50 * MS, 12000 * MS); /* a heavy again */
    CHECK_INT(vind_admission_class(admission, a, 13000 * MS), VIND_ADDRESS_HEAVY,
              "a's ended entry marked again: heavy");
    CHECK_INT(vind_admission_enter(admission, a, 13000 * MS, 0), VIND_ADMIT_REFUSED,
              "... and its next search refused while b holds the slot");
    vind_admission_leave(admission, b, b_admitted, 0, 13000 * MS);
    CHECK_INT(vind_admission_class(admission, a, 23000 * MS), VIND_ADDRESS_COSTLY,
              "a's second mark ended at 22000 ms: costly");
    CHECK_INT(vind_admission_class(admission, b, 23000 * MS), VIND_ADDRESS_COSTLY,
              "b's ended at 15000 ms: costly");
    vind_admission_free(admission);
}

/* A search that may be costly before it runs: a wildcard anywhere in the
 * query (server.c queues it later, whichever address asks). */
static void test_query_may_be_costly(void)
{
    CHECK_INT(vind_admission_query_may_be_costly("zorg"), 0, "a word: not costly");
    CHECK_INT(vind_admission_query_may_be_costly("zorg OR wonen NEAR gemeente"), 0,
              "operators: not costly");
    CHECK_INT(vind_admission_query_may_be_costly(""), 0, "an empty query: not costly");
    CHECK_INT(vind_admission_query_may_be_costly(NULL), 0, "no query: not costly");
    CHECK_INT(vind_admission_query_may_be_costly("zorg*"), 1, "a wildcard: may be costly");
    CHECK_INT(vind_admission_query_may_be_costly("wonen title:verpleeg*"), 1,
              "a field's wildcard: may be costly");
    CHECK_INT(vind_admission_query_may_be_costly("aa* ab* ac*"), 1, "three wildcards");
    CHECK_INT(vind_admission_query_may_be_costly("a b c d e f g h i j k l"), 0,
              "12 words: not costly");
    CHECK_INT(vind_admission_query_may_be_costly("a b c d e f g h i j k l m"), 1,
              "13 words: may be costly");
    CHECK_INT(vind_admission_query_may_be_costly("a OR b OR c OR d OR e OR f OR g OR h OR i OR j "
                                                 "OR k OR l"),
              0, "12 words OR'd: the operators are no words");
    CHECK_INT(vind_admission_query_may_be_costly("(a OR b) NEAR/3 c NOT d AND \"e f g\" XOR h i "
                                                 "j k l"),
              0, "12 words with every operator, parentheses and a phrase: not costly");
    CHECK_INT(vind_admission_query_may_be_costly("a OR b OR c OR d OR e OR f OR g OR h OR i OR j "
                                                 "OR k OR l OR m"),
              1, "13 words OR'd: may be costly");
    CHECK_INT(vind_admission_query_may_be_costly("\t a\tb\nc  d e f g h i j k l m "), 1,
              "13 words between tabs, newlines and runs of spaces");
    CHECK_INT(vind_admission_query_may_be_costly("ORANGE ANDROID NOTE NEARBY w e f g h i j k l"), 1,
              "words that begin like operators are words (13)");
    CHECK_INT(vind_admission_query_cost_us("zorg"), VIND_SEARCHD_WORD_COST_US,
              "the expected cost of one word");
    CHECK_INT(vind_admission_query_cost_us("zorg OR wonen NEAR/3 wijk"),
              3 * VIND_SEARCHD_WORD_COST_US, "three words and two operators: three words' cost");
    CHECK_INT(vind_admission_query_cost_us(NULL), 0, "no query: no cost");
    CHECK_INT(vind_admission_query_cost_us(""), 0, "an empty query: no cost");
}

/* The recent CPU of an address, by which server.c's queues serve the
 * address that used least first (session 20): the sum of its searches',
 * decayed by half every VIND_SEARCHD_USAGE_HALF_LIFE_SECONDS; 0 for an
 * address never seen; every search counts, cheap ones too (each under the
 * heavy threshold); a table far past its size keeps the addresses that used
 * most; 0 with admission off. */
static void test_recent_cpu(void)
{
    int failed = 1;
    const int64_t half_life = (int64_t)VIND_SEARCHD_USAGE_HALF_LIFE_SECONDS * 1000000;
    vind_admission_t *admission = vind_admission_new(1, 20 * MS, 10000 * MS, &failed);
    unsigned char key[VIND_CLIENT_KEY_BYTES];
    address_key(key, 7);
    CHECK_INT(vind_admission_recent_cpu(admission, key, 1000 * MS), 0,
              "an address never seen has used nothing");
    for (int i = 0; i < 10; i++)
        search(admission, 7, 1000 * MS, 15 * MS);
    CHECK_INT(vind_admission_recent_cpu(admission, key, 1000 * MS), 150 * MS,
              "ten searches of 15 ms (each under the heavy threshold): 150 ms");
    int64_t later = vind_admission_recent_cpu(admission, key, 1000 * MS + half_life);
    CHECK(later >= 75 * MS - 1 && later <= 75 * MS, "one half-life later: half of it");
    search(admission, 8, 1000 * MS, 1 * MS);
    address_key(key, 8);
    CHECK_INT(vind_admission_recent_cpu(admission, key, 1000 * MS), 1 * MS,
              "another address's own use, apart");
    /* Every address far past the table's size: the one that used most stays. */
    search(admission, 9, 2000 * MS, 500 * MS);
    for (unsigned n = 100; n < 100 + 4 * VIND_SEARCHD_USAGE_ADDRESSES; n++)
        search(admission, n, 2000 * MS, 1 * MS);
    address_key(key, 9);
    CHECK_INT(vind_admission_recent_cpu(admission, key, 2000 * MS), 500 * MS,
              "16,384 addresses of 1 ms each later, the one of 500 ms is remembered");
    vind_admission_free(admission);
    CHECK_INT(vind_admission_recent_cpu(NULL, key, 2000 * MS), 0, "admission off: 0");
}

int main(void)
{
    test_heavy_marks_and_decay();
    test_global_bound();
    test_full_table();
    test_classes_and_queued_heavy();
    test_ended_and_live_entries();
    test_query_may_be_costly();
    test_recent_cpu();
    test_off();
    return check_done();
}
