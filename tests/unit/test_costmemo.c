/*
 * test_costmemo.c - the known-cheap search memo (searchd/costmemo.c): a
 * search is known cheap only after a run of that very key over that very
 * index (generation, database, revision) cost at most the bound; a costly
 * run, a newer note, another index or another key (also one whose entry it
 * shares) says no; a key too long to keep is never cheap; off (bound or
 * size 0) says no to everything; the worker searches are counted.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "../../searchd/costmemo.h"
#include "check.h"

static int cheap(vind_cost_memo_t *memo, const char *key)
{
    return vind_cost_memo_is_cheap(memo, key, 1, "db-a", 7);
}

static void test_known_cheap(void)
{
    int failed = 1;
    vind_cost_memo_t *memo = vind_cost_memo_new(64, 1000, &failed);
    CHECK(memo != NULL && failed == 0, "memo made");
    CHECK_INT(vind_cost_memo_cheap_us(memo), 1000, "its bound");
    CHECK_INT(cheap(memo, "4:zorg|0"), 0, "a key never searched is not known cheap");
    vind_cost_memo_note(memo, "4:zorg|0", 1, "db-a", 7, 1000);
    CHECK_INT(cheap(memo, "4:zorg|0"), 1, "a search at the bound is cheap");
    CHECK_INT(cheap(memo, "5:zorgt|0"), 0, "another key is not");
    CHECK_INT(vind_cost_memo_is_cheap(memo, "4:zorg|0", 2, "db-a", 7), 0,
              "nor the same key after a SIGHUP (another generation)");
    CHECK_INT(vind_cost_memo_is_cheap(memo, "4:zorg|0", 1, "db-b", 7), 0,
              "nor over another database");
    CHECK_INT(vind_cost_memo_is_cheap(memo, "4:zorg|0", 1, "db-a", 8), 0,
              "nor at another revision");
    vind_cost_memo_note(memo, "4:zorg|0", 1, "db-a", 7, 1001);
    CHECK_INT(cheap(memo, "4:zorg|0"), 0, "a costly run since: no longer cheap");
    vind_cost_memo_note(memo, "4:zorg|0", 1, "db-a", 7, 10);
    CHECK_INT(cheap(memo, "4:zorg|0"), 1, "cheap again after a cheap run");
    char *metrics = vind_cost_memo_metrics(memo);
    CHECK(strstr(metrics, "\nvind_worker_searches_total 2\n") != NULL,
          "the two searches known cheap are counted");
    g_free(metrics);
    vind_cost_memo_free(memo);
}

/* Every key of a memo of one entry shares it: a note of one key replaces
 * the other's, and neither is taken for the other. */
static void test_shared_entry(void)
{
    int failed = 1;
    vind_cost_memo_t *memo = vind_cost_memo_new(1, 1000, &failed);
    vind_cost_memo_note(memo, "1:a|0", 1, "db-a", 7, 5);
    CHECK_INT(cheap(memo, "1:b|0"), 0, "a key sharing the entry is not taken for the kept one");
    vind_cost_memo_note(memo, "1:b|0", 1, "db-a", 7, 5000);
    CHECK_INT(cheap(memo, "1:a|0"), 0, "the newer note took the entry");
    CHECK_INT(cheap(memo, "1:b|0"), 0, "and its costly run is not cheap");
    vind_cost_memo_free(memo);
}

static void test_long_key(void)
{
    int failed = 1;
    vind_cost_memo_t *memo = vind_cost_memo_new(64, 1000, &failed);
    char key[VIND_COST_MEMO_KEY_BYTES + 2];
    memset(key, 'x', sizeof key - 1);
    key[sizeof key - 1] = '\0';
    vind_cost_memo_note(memo, key, 1, "db-a", 7, 5);
    CHECK_INT(cheap(memo, key), 0, "a key past VIND_COST_MEMO_KEY_BYTES is never kept");
    key[VIND_COST_MEMO_KEY_BYTES] = '\0';
    vind_cost_memo_note(memo, key, 1, "db-a", 7, 5);
    CHECK_INT(cheap(memo, key), 1, "a key of VIND_COST_MEMO_KEY_BYTES is");
    vind_cost_memo_free(memo);
}

static void test_off(void)
{
    int failed = 1;
    CHECK(vind_cost_memo_new(64, 0, &failed) == NULL && failed == 0,
          "bound 0: off, and no failure");
    CHECK(vind_cost_memo_new(0, 1000, &failed) == NULL && failed == 0,
          "no entries: off, and no failure");
    vind_cost_memo_note(NULL, "4:zorg|0", 1, "db-a", 7, 0);
    CHECK_INT(cheap(NULL, "4:zorg|0"), 0, "off: nothing is known cheap");
    CHECK(vind_cost_memo_cheap_us(NULL) == INT64_MAX, "off: no bound");
    char *metrics = vind_cost_memo_metrics(NULL);
    CHECK_STR(metrics, "", "off: no metrics lines");
    g_free(metrics);
}

int main(void)
{
    test_known_cheap();
    test_shared_entry();
    test_long_key();
    test_off();
    return check_done();
}
