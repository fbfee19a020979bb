/* test_ranking.c - the ranking rules beyond BM25 on a tiny index: a page
 * whose title is exactly the query comes first (also across pages, never
 * when excluded or sorted by date), and a misspelt word is searched by its
 * correction ("congers" -> "congres") while "Bedoelde je" says so. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>

#include <vind/index.h>
#include <vind/search.h>
#include "schema.h"
#include "searcher.h"
#include "check.h"
#include "index_folder.h"
#include "lexicon_open.h"
#include "temp_tree.h"

typedef struct {
    const char *slug, *title, *body, *lang; /* lang NULL: nl */
} page_t;

/* "Fronteers congres" is short and says little; the others repeat its
 * words, so plain BM25 ranks them above it. */
static const page_t pages[] = {
    {"fronteers-congres", "Fronteers congres", "Kort bericht: binnenkort meer.", NULL},
    {"spring-conference", "Nieuw congres: Fronteers Spring Conference",
     "Fronteers organiseert een congres. Het Fronteers congres in het voorjaar is het tweede "
     "congres van Fronteers. Kaarten voor het congres van Fronteers zijn er vanaf maart.",
     NULL},
    {"congres-2010", "Fronteers congres 2010",
     "Het Fronteers congres 2010: sprekers, workshops en het congres zelf. Fronteers congres.",
     NULL},
    {"borrel-a", "Nieuwjaarsborrel", "Proost op het nieuwe jaar met Fronteers.", NULL},
    {"borrel-b", "Nieuwjaarsborrel", "Proost op het nieuwe jaar met Fronteers en oliebollen.",
     NULL},
    {"borrel-2015", "Nieuwjaarsborrel 2015",
     "De nieuwjaarsborrel 2015. Nieuwjaarsborrel, nieuwjaarsborrel, nieuwjaarsborrel.", NULL},
    {"boekenclub", "Fronteers boekenclub?", "Zin in een boekenclub? Laat het weten.", NULL},
    {"boekenclub-editie", "De eerste editie van de Fronteers boekenclub",
     "De Fronteers boekenclub las een boek. De boekenclub van Fronteers: de boekenclub.", NULL},
    {"typo", "Tikfout", "Hier staat congers in plaats van het woord dat bedoeld was.", NULL},
    {"lente", "Lente", "Een congres in de lente, met workshops over CSS en Kubernetes.", NULL},
    /* English: indexed with the English stem "kubernet", which is also the
     * Dutch stem of the typo "kubernets" (as in the shared corpus). */
    {"cloud", "Cloud", "Kubernetes clusters in the cloud.", "en"},
};

static char root[64];
static char db[128];

static void write_page(const page_t *page)
{
    char *html =
        g_strdup_printf("<!DOCTYPE html><html lang=\"%s\"><head><meta charset=\"utf-8\">"
                        "<title>%s</title></head><body><article><h1>%s</h1><p>%s</p>"
                        "</article></body></html>",
                        page->lang ? page->lang : "nl", page->title, page->title, page->body);
    write_test_page(root, "site", page->slug, html);
    g_free(html);
}

static int build_index(vind_lexicon_t *lexicon)
{
    for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++)
        write_page(&pages[i]);
    snprintf(db, sizeof db, "%s/db", root);
    char site[128];
    snprintf(site, sizeof site, "%s/site", root);
    vind_index_report_t report;
    return index_folder(lexicon, db, site, &report) &&
           report.indexed == sizeof pages / sizeof pages[0];
}

/* One page holding every result of the small index, documents with only
 * some of the words included (an export, limit 0, has only those with all). */
static vind_results_t *search(vind_searcher_t *searcher, const char *query)
{
    return search_test_index(searcher, query, 0, 100, VIND_SORT_RELEVANCE);
}

/* The whole list a pager walks: every word, then some of them. */
static uint64_t listed(const vind_results_t *results)
{
    return results ? vind_results_total(results) + vind_results_fallback_total(results) : 0;
}

static const char *url_at(const vind_results_t *results, size_t i)
{
    const vind_hit_t *hit = results ? vind_results_get(results, i) : NULL;
    return hit ? hit->url : NULL;
}

static int has_url(const vind_results_t *results, const char *url)
{
    for (size_t i = 0; results && i < vind_results_count(results); i++)
        if (strcmp(vind_results_get(results, i)->url, url) == 0)
            return 1;
    return 0;
}

static void test_title_key(void)
{
    static const struct {
        const char *title, *key, *what;
    } cases[] = {
        {"  Fronteers   boekenclub? ", "fronteers boekenclub", "punctuation and spaces are dropped"},
        {"Met korting naar performance.now()", "met korting naar performance now",
         "a dot separates words"},
        {"Cliënten & Coördinatoren", "clienten coordinatoren", "case and diacritics are folded"},
        {"?!- ...", "", "nothing but punctuation: empty"},
        {"", "", "empty stays empty"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *key = vind_title_key(cases[i].title);
        CHECK_STR(key, cases[i].key, cases[i].what);
        free(key);
    }
}

static void test_exact_titles(vind_searcher_t *searcher)
{
    vind_results_t *r = search(searcher, "Fronteers congres");
    CHECK_STR(url_at(r, 0), "/fronteers-congres/", "the exact title comes first");
    CHECK(r && vind_results_count(r) >= 3 && has_url(r, "/spring-conference/") &&
              has_url(r, "/congres-2010/"),
          "... and the other matches still follow");
    CHECK(r && vind_results_count(r) == listed(r),
          "... each once (the pinned page is not repeated)");
    vind_results_free(r);

    r = search(searcher, "fronteers boekenclub");
    CHECK_STR(url_at(r, 0), "/boekenclub/", "typed without the question mark of the title");
    /* Issue 12: pinned through the title-key term, no candidate run. */
    CHECK(r && strstr(vind_results_explain(r), "titles 1 run") != NULL,
          "an exact title costs one run over its own pages");
    vind_results_free(r);
    r = search(searcher, "boekenclub congres");
    CHECK(r && strstr(vind_results_explain(r), "titles 0.") != NULL,
          "a query that is no title makes no title run");
    vind_results_free(r);
    r = search(searcher, "FRONTEERS: congres!");
    CHECK_STR(url_at(r, 0), "/fronteers-congres/",
              "case and punctuation of the query do not count");
    vind_results_free(r);

    r = search(searcher, "Nieuwjaarsborrel");
    CHECK(r && vind_results_count(r) == 3, "three pages have nieuwjaarsborrel");
    CHECK_STR(url_at(r, 0), "/borrel-a/", "identical titles: both first, ordered by URL");
    CHECK_STR(url_at(r, 1), "/borrel-b/", "... the second one");
    CHECK_STR(url_at(r, 2), "/borrel-2015/", "... then the longer title");
    vind_results_free(r);

    /* Paging agrees with the whole list: the pinned page is on page 1 only,
     * the documents with some of the words after those with all. */
    vind_results_t *all = search(searcher, "Fronteers congres");
    size_t n_all = all ? vind_results_count(all) : 0;
    CHECK(n_all >= 5, "five or more results, one per page below");
    int agree = n_all > 0;
    for (size_t i = 0; all && i < n_all; i++) {
        vind_results_t *one =
            search_test_index(searcher, "Fronteers congres", i, 1, VIND_SORT_RELEVANCE);
        const char *url = url_at(one, 0);
        if (!url || strcmp(url, url_at(all, i)) != 0 || listed(one) != n_all) {
            printf("#   page %zu: %s, expected %s\n", i + 1, url ? url : "(none)", url_at(all, i));
            agree = 0;
        }
        vind_results_free(one);
    }
    CHECK(agree, "page N of one result is the Nth of all, with the same total");
    vind_results_free(all);

    r = search(searcher, "Fronteers congres -kort");
    CHECK(r && !has_url(r, "/fronteers-congres/"), "an excluded page is not pinned back");
    vind_results_free(r);
    r = search(searcher, "Fronteers congres type:pdf");
    CHECK(r && vind_results_total(r) == 0, "a filter excludes the exact title too");
    vind_results_free(r);
    /* By date, documents with some of the words would bury those with all
     * of them under the newest: only the three with both words. */
    r = search_test_index(searcher, "Fronteers congres", 0, 100, VIND_SORT_DATE_DESC);
    CHECK(r && vind_results_total(r) == 3 && has_url(r, "/fronteers-congres/") &&
              has_url(r, "/spring-conference/") && has_url(r, "/congres-2010/"),
          "sorted by date: only the three with every word");
    vind_results_free(r);
    r = search_test_index(searcher, "nieuwjaarsborrel oliebollen 2015", 0, 100,
                          VIND_SORT_DATE_DESC);
    CHECK(r && listed(r) == 3 && vind_results_fallback(r),
          "sorted by date, none with every word: still the any-word fallback");
    vind_results_free(r);
    r = search(searcher, "congres");
    CHECK(r && !(url_at(r, 0) && strcmp(url_at(r, 0), "/fronteers-congres/") == 0),
          "one word of a title pins nothing");
    vind_results_free(r);
    r = search(searcher, "\"Fronteers congres\"");
    CHECK_STR(url_at(r, 0), "/fronteers-congres/", "a quoted title is a title too");
    vind_results_free(r);
}

/* Fewer than ten documents with every word: the others with some follow. */
static void test_fill(vind_searcher_t *searcher)
{
    vind_results_t *r = search(searcher, "nieuwjaarsborrel oliebollen");
    CHECK_STR(url_at(r, 0), "/borrel-b/", "the one document with both words comes first");
    CHECK(r && vind_results_total(r) == 1 && listed(r) == 3 && has_url(r, "/borrel-a/") &&
              has_url(r, "/borrel-2015/"),
          "... then the documents with one of them");
    CHECK(r && vind_results_fallback(r),
          "... and the results say that documents with only some words were added");
    vind_results_free(r);
    r = search(searcher, "nieuwjaarsborrel AND oliebollen");
    CHECK(r && vind_results_total(r) == 1, "an explicit AND is never relaxed");
    vind_results_free(r);
    r = search(searcher, "nieuwjaarsborrel fronteers -oliebollen");
    CHECK(r && url_at(r, 0) && strcmp(url_at(r, 0), "/borrel-a/") == 0 && listed(r) > 1 &&
              !has_url(r, "/borrel-b/"),
          "an exclusion stays an exclusion among the added documents");
    vind_results_free(r);
    r = search(searcher, "nieuwjaarsborrel oliebollen 2015");
    CHECK(r && vind_results_total(r) == 0 && listed(r) == 3 && vind_results_fallback(r),
          "none with every word: the any-word fallback, and said so");
    vind_results_free(r);
}

static void test_corrections(vind_searcher_t *searcher)
{
    /* "workshps" is in no document: its correction is searched instead. */
    vind_results_t *r = search(searcher, "workshps lente");
    CHECK_STR(url_at(r, 0), "/lente/", "an unknown word is searched by its correction");
    CHECK(r && (listed(r) == vind_results_total(r)) == !vind_results_fallback(r),
          "... fallback reported exactly when documents with some words were added");
    CHECK_STR(r ? vind_results_suggestion(r) : NULL, "workshops lente",
              "... and Bedoelde je says what was searched");
    CHECK(r && vind_results_corrected(r), "... reported as searched (vind_results_corrected)");
    vind_results_free(r);

    r = search(searcher, "lente -workshps");
    CHECK(r && vind_results_total(r) == 1, "an excluded unknown word is not corrected");
    vind_results_free(r);

    /* "congers" is a word of the site (a typo in one page): searched as typed. */
    r = search(searcher, "congers");
    CHECK(r && vind_results_total(r) == 1 && has_url(r, "/typo/"),
          "a word of the site is searched as typed");
    CHECK(r && !vind_results_corrected(r), "... and not reported as corrected");
    vind_results_free(r);
    /* "kubernets" shares its stem with the English page only, so it is not
     * unknown; nothing has it and "lente", so it is corrected before
     * relaxing to any word. */
    r = search(searcher, "kubernets");
    CHECK(r && vind_results_total(r) == 1 && has_url(r, "/cloud/"),
          "alone, a word with a known stem finds its stem");
    vind_results_free(r);
    r = search(searcher, "kubernets lente");
    CHECK(r && (listed(r) == vind_results_total(r)) == !vind_results_fallback(r) && url_at(r, 0) &&
              strcmp(url_at(r, 0), "/lente/") == 0,
          "a rare word is corrected when nothing has every word");
    CHECK_STR(r ? vind_results_suggestion(r) : NULL, "kubernetes lente", "... and said so");
    vind_results_free(r);

    r = search(searcher, "xqzwv");
    CHECK(r && vind_results_total(r) == 0 && !vind_results_suggestion(r),
          "a word close to nothing finds nothing and suggests nothing");
    vind_results_free(r);
    r = search(searcher, "2031 lente");
    CHECK(r && !vind_results_suggestion(r), "numbers are not corrected");
    vind_results_free(r);
}

int main(void)
{
    test_title_key();
    vind_lexicon_t *lexicon = open_lexicon_and_temp_tree(root, sizeof root, "ranking");
    if (!lexicon)
        return check_done();
    int built = build_index(lexicon);
    CHECK(built, "the tiny index is built");
    vind_searcher_t *searcher = built ? open_built_index(db, lexicon) : NULL;
    if (searcher) {
        test_exact_titles(searcher);
        test_fill(searcher);
        test_corrections(searcher);
    }
    vind_searcher_close(searcher);
    vind_lexicon_close(lexicon);
    remove_tree(root);
    return check_done();
}
