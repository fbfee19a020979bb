/*
 * test_searcher_memory.c - what a searcher keeps under a client sending
 * distinct words is bounded in bytes (session 15, docs/security.md "The
 * hostile probe of session 15, second part").
 *
 * Until session 15 the analyzer's cache of word forms was bounded by a count
 * (2 x 65,536 forms a language), not by bytes: 60-byte unknown words made
 * it ~45 MB a searcher, and vind-searchd keeps two searchers a thread. Now a
 * searcher's analyzer keeps at most VIND_SEARCHER_ANALYZER_CACHE_BYTES and
 * its word memo 4 MB (counted with malloc's headers and hash slots); the
 * tests read the counters the bounds use, and glibc's heap count.
 *
 * The heap is glibc's count (mallinfo2); under ASan, which keeps its own,
 * those checks are skipped and the counters' are kept.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <vind/analyze.h>
#include <vind/limits.h>
#include <vind/search.h>
#include "check.h"
#include "heap_count.h"
#include "index_folder.h"
#include "lexicon_open.h"
#include "searcher.h"
#include "temp_tree.h"
#include "tokens_memory.h"
#include "word_memo.h"

/* The n-th of distinct unknown words of about 60 bytes, letters only
 * ("baaa...qzvk"): what a hostile client's random words look like to the
 * analyzer (no lemma, a long stem, compound splitting tried). */
static void hostile_word_of(GString *word, unsigned n, size_t length)
{
    g_string_truncate(word, 0);
    for (unsigned k = n + 1; k; k /= 26)
        g_string_append_c(word, (char)('a' + k % 26));
    while (word->len < length)
        g_string_append(word, "qzvk");
}

static void hostile_word(GString *word, unsigned n)
{
    hostile_word_of(word, n, 58);
}

/* An analyzer bounded to 1 MB: after 150,000 distinct words its counter
 * and the heap stay there, and the words it analyses are the words a fresh
 * analyzer makes (the bound changes its speed, never its answers). */
static void test_analyzer_bound(const vind_lexicon_t *lexicon)
{
    vind_analyzer_t *analyzer = NULL, *fresh = NULL;
    if (vind_analyzer_new(lexicon, &analyzer, NULL) != VIND_OK ||
        vind_analyzer_new(lexicon, &fresh, NULL) != VIND_OK) {
        CHECK(0, "analyzers are made");
        return;
    }
    vind_analyzer_set_cache_bytes(analyzer, 1u << 20);
    GString *word = g_string_new(NULL);
    size_t before = heap_in_use(), most_heap = 0, most_counted = 0;
    for (unsigned i = 0; i < 150000; i++) {
        hostile_word(word, i);
        vind_tokens_t *tokens = NULL;
        if (vind_analyze(analyzer, word->str, word->len, VIND_LANG_NL, &tokens, NULL) == VIND_OK)
            vind_tokens_free(tokens);
        size_t counted = vind_analyzer_cache_bytes(analyzer), now = heap_in_use();
        most_counted = counted > most_counted ? counted : most_counted;
        if (now > before && now - before > most_heap)
            most_heap = now - before;
    }
    printf("# 150,000 distinct 58-byte words, a 1 MB bound: counted at most %zu bytes, the heap "
           "grew by at most %zu\n",
           most_counted, most_heap);
    CHECK(most_counted <= (1u << 20) + 4096,
          "150,000 distinct words: an analyzer bounded to 1 MB counts at most 1 MB");
    if (heap_in_use() == 0)
        SKIP("the analyzer's heap: no glibc heap count here (ASan)");
    else
        CHECK(most_heap < (3u << 20) / 2,
              "... and the heap grows by less than 1.5 MB (the count is about what it holds)");
    const char *texts[] = {"Cliënten van verpleeghuiszorg", "zorg- en onderwijsvernieuwing",
                           "Noord-Holland, o.a. t/m 2021"};
    int same = 1;
    for (size_t t = 0; t < G_N_ELEMENTS(texts); t++) {
        vind_tokens_t *a = NULL, *b = NULL;
        vind_analyze(analyzer, texts[t], strlen(texts[t]), VIND_LANG_NL, &a, NULL);
        vind_analyze(fresh, texts[t], strlen(texts[t]), VIND_LANG_NL, &b, NULL);
        same &= a && b && vind_tokens_count(a) == vind_tokens_count(b);
        for (size_t k = 0; same && k < vind_tokens_count(a); k++) {
            const vind_token_t *x = vind_tokens_get(a, k), *y = vind_tokens_get(b, k);
            same &= strcmp(x->stem, y->stem) == 0 && strcmp(x->lemma, y->lemma) == 0;
            for (size_t e = 0; same && (x->extra[e] || y->extra[e]); e++)
                same &= x->extra[e] && y->extra[e] && strcmp(x->extra[e], y->extra[e]) == 0;
        }
        vind_tokens_free(a);
        vind_tokens_free(b);
    }
    CHECK(same, "... and after many turns of its cache it analyses as a fresh analyzer does");
    g_string_free(word, TRUE);
    vind_analyzer_free(analyzer);
    vind_analyzer_free(fresh);
}

/* What emptying table frees of the heap, against what its count says it
 * holds: the count is an estimate (Xapian's queries are counted from their
 * description), and must stay about what the entries hold. */
static void check_count_near_heap(struct vind_revision_table *table, const char *what)
{
    size_t counted = vind_revision_table_bytes(table), before = heap_in_use();
    vind_revision_table_empty(table);
    size_t after = heap_in_use(), freed = before > after ? before - after : 0;
    printf("# %s: counted %zu bytes, emptying freed %zu\n", what, counted, freed);
    if (before == 0) {
        SKIP("the count against the heap: no glibc heap count here (ASan)");
        return;
    }
    char name[160];
    snprintf(name, sizeof name, "%s: the count is between half and twice what the heap frees", what);
    CHECK(counted > 0 && freed / 2 <= counted && counted <= freed * 2, name);
}

/* A client sending queries of 64 distinct unknown words (4 kB, the most a
 * query may be) to one searcher: 1,100 queries are 70,400 forms, past a
 * table of the old count bounds. What the searcher's analyzer, word memo,
 * plans, terms asked and spellings hold stays within their bounds (their
 * counters, as the bounds count), and so does the heap: until session 16
 * the plans (1,024 texts), terms (16,384) and spellings (4,096) were
 * bounded by count, and the heap grew by up to 46.8 MB (2917ba0's code). */
static void test_searcher_under_distinct_words(const vind_lexicon_t *lexicon)
{
    char root[64], site[96], db[96];
    if (!make_temp_tree(root, sizeof root, "searcher-memory"))
        return;
    snprintf(site, sizeof site, "%s/site", root);
    snprintf(db, sizeof db, "%s/db", root);
    char page[160];
    snprintf(page, sizeof page, "%s/a.html", site);
    FILE *file = NULL;
    vind_index_report_t report = {0};
    if (g_mkdir_with_parents(site, 0755) != 0 || (file = fopen(page, "w")) == NULL) {
        CHECK(0, "the test's site is written");
        remove_tree(root);
        return;
    }
    fputs("<html lang=\"nl\"><head><title>Zorg</title></head><body><p>Bewoners van "
          "verpleeghuizen krijgen zorg.</p></body></html>\n",
          file);
    fclose(file);
    vind_searcher_t *searcher =
        index_folder(lexicon, db, site, &report) ? open_built_index(db, lexicon) : NULL;
    if (searcher == NULL) {
        remove_tree(root);
        return;
    }
    GString *query = g_string_new(NULL), *word = g_string_new(NULL);
    size_t before = heap_in_use(), most = 0, most_analyzer = 0, most_memo = 0, most_plans = 0,
           most_terms = 0, most_spellings = 0;
    unsigned n = 0;
    for (unsigned q = 0; q < 1100; q++) {
        g_string_truncate(query, 0);
        for (int w = 0; w < 64; w++) {
            hostile_word(word, n++);
            g_string_append_printf(query, "%s%s", w ? " " : "", word->str);
        }
        vind_results_free(search_test_index(searcher, query->str, 0, 10, VIND_SORT_RELEVANCE));
        size_t now = heap_in_use(), analyzer = vind_analyzer_cache_bytes(searcher->analyzer),
               memo = searcher->words ? vind_word_memo_bytes(searcher->words) : 0;
        most = now > before && now - before > most ? now - before : most;
        most_analyzer = analyzer > most_analyzer ? analyzer : most_analyzer;
        most_memo = memo > most_memo ? memo : most_memo;
        size_t plans = vind_revision_table_bytes(searcher->plans),
               terms = vind_revision_table_bytes(searcher->term_presence),
               spellings = vind_revision_table_bytes(searcher->spellings);
        most_plans = plans > most_plans ? plans : most_plans;
        most_terms = terms > most_terms ? terms : most_terms;
        most_spellings = spellings > most_spellings ? spellings : most_spellings;
        if (q == 1040) {
            /* the spelling table's longest keys: words of 38-41 bytes
             * (longer words are never spell-checked, lib/suggest.c) */
            for (unsigned extra = 0; extra < 100; extra++) {
                g_string_truncate(query, 0);
                for (int w = 0; w < 64; w++) {
                    hostile_word_of(word, n++, 38);
                    g_string_append_printf(query, "%s%s", w ? " " : "", word->str);
                }
                vind_results_free(
                    search_test_index(searcher, query->str, 0, 10, VIND_SORT_RELEVANCE));
                spellings = vind_revision_table_bytes(searcher->spellings);
                most_spellings = spellings > most_spellings ? spellings : most_spellings;
            }
            check_count_near_heap(searcher->spellings, "the spellings of 6,400 words of 38 bytes");
        }
        if (q == 40) {
            /* a few plans in: each one's count against the heap it frees */
            check_count_near_heap(searcher->plans, "41 plans of 64 words");
            check_count_near_heap(searcher->term_presence, "the terms asked by 41 queries");
        }
    }
    printf("# 1,200 queries of 64 distinct words (%u words): the analyzer's cache held at most "
           "%zu bytes, the memo %zu, the heap grew by at most %zu\n",
           n, most_analyzer, most_memo, most);
    CHECK(most_analyzer <= VIND_SEARCHER_ANALYZER_CACHE_BYTES + 4096,
          "70,400 distinct query words: the searcher's analyzer holds at most its 4 MB");
    CHECK(most_memo <= (4u << 20) + (1u << 20),
          "... and its word memo at most 4 MB and one query's analyses");
    printf("# the plans held at most %zu bytes, the terms asked %zu, the spellings %zu\n",
           most_plans, most_terms, most_spellings);
    CHECK(most_plans > 0 && most_plans <= VIND_PLANS_BYTES + (512u << 10),
          "... its plans at most their 4 MB and one query's");
    CHECK(most_terms > 0 && most_terms <= VIND_TERM_PRESENCE_BYTES + (64u << 10),
          "... the terms asked at most their 1 MB and one query's");
    CHECK(most_spellings > 0 && most_spellings <= VIND_SPELLINGS_BYTES + (64u << 10),
          "... the spellings at most their 512 kB and one query's");
    /* every bound above together (4 + 5 + 4.5 + 1.1 + 0.6 MB), and 4 MB for
     * the rest: the read cache's pages of a one-page index, malloc's slack */
    if (heap_in_use() == 0)
        SKIP("the searcher's heap: no glibc heap count here (ASan)");
    else
        CHECK(most < (19u << 20),
              "... and the heap grows by less than 19 MB (2917ba0's code: 46.8 MB)");
    /* plans of words the index has (their Xapian queries hold terms, where
     * unknown words' fold to nothing): distinct texts of the page's words */
    static const char *const known[] = {"bewoners", "verpleeghuizen", "krijgen", "zorg", "van",
                                        "zorg*", "\"krijgen zorg\""};
    vind_revision_table_empty(searcher->plans);
    for (unsigned q = 1; q < 128; q++) {
        g_string_truncate(query, 0);
        for (unsigned k = 0; k < G_N_ELEMENTS(known); k++)
            if (q & (1u << k))
                g_string_append_printf(query, "%s%s ", known[k], q & 1u << 7 ? "" : "");
        g_string_append_printf(query, "%s", q % 2 ? "bewoner" : "verpleeghuis");
        vind_results_free(search_test_index(searcher, query->str, 0, 10, VIND_SORT_RELEVANCE));
    }
    check_count_near_heap(searcher->plans, "127 plans of the page's words");
    g_string_free(query, TRUE);
    g_string_free(word, TRUE);
    vind_searcher_close(searcher);
    remove_tree(root);
}

int main(void)
{
    vind_lexicon_t *lexicon = open_test_lexicon();
    if (lexicon == NULL)
        return check_done();
    test_analyzer_bound(lexicon);
    test_searcher_under_distinct_words(lexicon);
    vind_lexicon_close(lexicon);
    return check_done();
}
