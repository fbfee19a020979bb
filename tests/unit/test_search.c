/* test_search.c - searching a tiny index built by vind_index_run from HTML
 * files written to a temporary folder: forms (clienten = cliënten, bewoner
 * finds bewoners), phrases, exclusion, fallback, facets (exact, multi-select),
 * sorting, spelling, synonyms (ggz), JSON, kwic, completions, stats. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>
#include <jansson.h>
#include <malloc.h>

#include <vind/index.h>
#include <vind/limits.h>
#include <vind/search.h>
#include "query.h"
#include "plan.h"
#include "query_parse.h"
#include "titles.h"
#include "synonyms.h"
#include "check.h"
#include "heap_count.h"
#include "index_folder.h"

typedef struct {
    const char *slug, *title, *date, *tags[3], *theme, *body;
} page_t;

static const page_t pages[] = {
    {"clienten",
     "Cliënten in het verpleeghuis",
     "2021-03-04",
     {"ggz", "Coördinatoren"},
     "Wonen en zorg",
     "De cliënten van het verpleeghuis krijgen langdurige zorg. De bewoners zijn tevreden over "
     "de organisatie."},
    {"wijk",
     "Geestelijke gezondheidszorg in de wijk",
     "2019-06-01",
     {"Wonen"},
     "Wonen en zorg",
     "Over geestelijke gezondheidszorg voor jongeren en ouderen in de wijk."},
    {"verpleeghuiszorg",
     "Verpleeghuiszorg en wonen",
     "2020-01-15",
     {"Coördinatoren"},
     "Zorg",
     "Verpleeghuiszorg voor ouderen. Wonen met zorg en aandacht."},
    {"vernieuwing",
     "Radicale vernieuwing",
     "2022-11-30",
     {"ggz", "radicale vernieuwing langdurige ggz"},
     "Innovatie",
     "De radicale vernieuwing van de langdurige ggz begint bij de cliënt. Clienten praten mee "
     "over de organisatie."},
    {"tuin", "De tuin", "2018-05-05", {"Buiten"}, "Natuur", "Een tuin met bloemen en bomen."},
};

static char root[64];
static char db[128];

static void write_page(const page_t *page)
{
    GString *html = article_page_head(page->title, page->date);
    for (int i = 0; i < 3 && page->tags[i]; i++)
        g_string_append_printf(html, "<meta property=\"article:tag\" content=\"%s\">",
                               page->tags[i]);
    g_string_append_printf(html,
                           "<meta property=\"article:section\" content=\"%s\"></head><body>"
                           "<article><h1>%s</h1><time datetime=\"%s\">%s</time><p>%s</p>"
                           "</article></body></html>",
                           page->theme, page->title, page->date, page->date, page->body);
    write_test_page(root, "site", page->slug, html->str);
    g_string_free(html, TRUE);
}

/* Twelve more pages so that "organisatie" is frequent (spelling). */
static void write_fillers(void)
{
    for (int i = 0; i < 12; i++) {
        char slug[32], title[64];
        snprintf(slug, sizeof slug, "regio-%02d", i);
        snprintf(title, sizeof title, "Regio %d", i);
        page_t page = {slug,      title,     "2017-02-02",
                       {"Regio"}, "Bestuur", "De organisatie van het bestuur in de regio."};
        write_page(&page);
    }
}

static int build_index(vind_lexicon_t *lexicon)
{
    for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++)
        write_page(&pages[i]);
    write_fillers();
    snprintf(db, sizeof db, "%s/db", root);
    char site[128];
    snprintf(site, sizeof site, "%s/site", root);
    vind_index_report_t report;
    return index_folder(lexicon, db, site, &report) &&
           report.indexed == sizeof pages / sizeof pages[0] + 12;
}

/* Runs a query, one page holding every result of the tiny index (documents
 * with some of the words included: an export, limit 0, has only those with
 * every word); returns results (caller frees) or NULL. */
static vind_results_t *search(vind_searcher_t *searcher, const char *query)
{
    return search_test_index(searcher, query, 0, 100, VIND_SORT_RELEVANCE);
}

static int has_url(const vind_results_t *results, const char *slug)
{
    char url[64];
    snprintf(url, sizeof url, "/%s/", slug);
    for (size_t i = 0; i < vind_results_count(results); i++)
        if (strcmp(vind_results_get(results, i)->url, url) == 0)
            return 1;
    return 0;
}

static size_t total_of(vind_searcher_t *searcher, const char *query)
{
    vind_results_t *results = search(searcher, query);
    size_t total = results ? (size_t)vind_results_total(results) : (size_t)-1;
    vind_results_free(results);
    return total;
}

static void test_forms(vind_searcher_t *searcher)
{
    vind_results_t *a = search(searcher, "clienten");
    vind_results_t *b = search(searcher, "cliënten");
    CHECK(a && b && vind_results_total(a) >= 2, "clienten finds documents");
    CHECK(a && b && vind_results_total(a) == vind_results_total(b), "clienten == cliënten");
    CHECK(a && has_url(a, "vernieuwing") && has_url(a, "clienten"),
          "clienten finds both spellings in the text");
    vind_results_free(a);
    vind_results_free(b);

    a = search(searcher, "bewoner");
    CHECK(a && vind_results_total(a) == 1 && has_url(a, "clienten"),
          "bewoner finds the document that only says bewoners");
    vind_results_free(a);

    a = search(searcher, "zorg");
    CHECK(a && has_url(a, "verpleeghuiszorg"), "zorg finds verpleeghuiszorg");
    CHECK(a && vind_results_get(a, 0) && strcmp(vind_results_get(a, 0)->url, "/tuin/") != 0,
          "zorg does not rank the garden first");
    vind_results_free(a);
    CHECK_INT(total_of(searcher, "tuin"), 1, "a word of one document");
    CHECK_INT(total_of(searcher, "onbestaandwoord"), 0, "an unknown word finds nothing");
}

static void test_operators(vind_searcher_t *searcher)
{
    vind_results_t *r = search(searcher, "\"langdurige zorg\"");
    CHECK(r && vind_results_total(r) == 1 && has_url(r, "clienten"), "a phrase");
    vind_results_free(r);
    r = search(searcher, "\"Cliënten van het verpleeghuis\"");
    CHECK(r && has_url(r, "clienten"), "a phrase keeps its stop words");
    vind_results_free(r);
    r = search(searcher, "\"client van het verpleeghuis\"");
    CHECK(r && has_url(r, "clienten"), "a phrase matches across forms (client ~ cliënten)");
    vind_results_free(r);
    CHECK_INT(total_of(searcher, "\"zorg langdurige\""), 0, "a phrase keeps its order");

    size_t zorg = total_of(searcher, "zorg");
    size_t without = total_of(searcher, "zorg -verpleeghuis");
    CHECK(without < zorg, "-word excludes");
    r = search(searcher, "zorg -verpleeghuis");
    CHECK(r && !has_url(r, "clienten"), "-verpleeghuis drops the verpleeghuis document");
    vind_results_free(r);
    CHECK_INT(total_of(searcher, "zorg NOT verpleeghuis"), without, "NOT = -");
    CHECK_INT(total_of(searcher, "tuin OR jongeren"), 2, "OR");
    CHECK_INT(total_of(searcher, "tuin AND jongeren"), 0, "explicit AND");
    CHECK_INT(total_of(searcher, "(tuin OR jongeren) AND wijk"), 1, "parentheses");
    CHECK(total_of(searcher, "verpleeg*") >= 2, "prefix*");
    CHECK_INT(total_of(searcher, "title:tuin"), 1, "title: field");
    CHECK_INT(total_of(searcher, "title:bloemen"), 0, "title: does not search the body");
    CHECK_INT(total_of(searcher, "tag:ggz"), 2, "tag: filter");
    CHECK_INT(total_of(searcher, "tag:coordinatoren"), 2, "tag: ignores diacritics and case");
    CHECK_INT(total_of(searcher, "tag:\"radicale vernieuwing langdurige ggz\""), 1,
              "quoted tag value");
    CHECK_INT(total_of(searcher, "theme:\"Wonen en zorg\""), 2, "quoted theme value");
    CHECK_INT(total_of(searcher, "type:article"), 17, "type: filter");
    CHECK_INT(total_of(searcher, "type:pdf"), 0, "type:pdf in an HTML-only index");
    CHECK_INT(total_of(searcher, "type:pdf|article"), 17, "type alternatives");
    CHECK_INT(total_of(searcher, "year:2021"), 1, "year:");
    CHECK_INT(total_of(searcher, "year:2019..2021"), 3, "year range");
    CHECK_INT(total_of(searcher, "2019..2021"), 3, "bare year range");
    CHECK_INT(total_of(searcher, "date:2019-01-01..2020-06-30"), 2, "date range");
    CHECK_INT(total_of(searcher, "date:2022"), 1, "date of a year");
    CHECK_INT(total_of(searcher, "zorg year:2020"), 1, "words with a filter");
    CHECK_INT(total_of(searcher, "radicale NEAR langdurige"), 1, "NEAR");
    CHECK_INT(total_of(searcher, "radicale NEAR/1 begint"), 0, "NEAR/1 too far");
    CHECK_INT(total_of(searcher, ""), 17, "an empty query finds everything");
    CHECK_INT(total_of(searcher, "---"), 0, "nothing searchable finds nothing");
    CHECK_INT(total_of(searcher, "-tuin"), 16, "a lone exclusion");
    CHECK(total_of(searcher, "de") > 0, "a query of a stop word alone still searches it");
    CHECK_INT(total_of(searcher, "de tuin"), 1, "stop words are dropped beside other words");
}

/* Page offset/limit of query, with the explain line in *explain (g_free). */
static vind_results_t *page_of(vind_searcher_t *searcher, const char *query, size_t offset,
                               size_t limit, char **explain)
{
    vind_search_request_t req;
    vind_search_request_init(&req);
    req.query = query;
    req.offset = offset;
    req.limit = limit;
    vind_results_t *r = NULL;
    vind_search(searcher, &req, &r, NULL);
    *explain = g_strdup(r ? vind_results_explain(r) : "");
    printf("# %s [%zu, +%zu): %s\n", query, offset, limit, *explain);
    return r;
}

/* The twelve regio pages have both words; the verpleeghuis and the
 * vernieuwing have only "organisatie". They follow the twelve on the page
 * that reaches past them, and only there is the any-word query run. */
static void test_fallback_pages(vind_searcher_t *searcher)
{
    char *explain = NULL;
    vind_results_t *r = page_of(searcher, "organisatie bestuur", 0, 10, &explain);
    CHECK(r && vind_results_total(r) == 12 && vind_results_count(r) == 10 &&
              !vind_results_fallback(r) && vind_results_fallback_total(r) == 0,
          "ten or more with every word: the first page has only those");
    CHECK(strstr(explain, "rank 1 run ") && !strstr(explain, "count"),
          "... in one ranked pass, no any-word pass");
    vind_results_free(r);
    g_free(explain);
    r = page_of(searcher, "organisatie bestuur", 10, 10, &explain);
    CHECK(r && vind_results_total(r) == 12 && vind_results_fallback(r) &&
              vind_results_fallback_total(r) == 2 && vind_results_count(r) == 4 &&
              strncmp(vind_results_get(r, 0)->url, "/regio-", 7) == 0 &&
              strncmp(vind_results_get(r, 1)->url, "/regio-", 7) == 0 && has_url(r, "clienten") &&
              has_url(r, "vernieuwing"),
          "page 2: the last two with every word, then the two with only some");
    CHECK(r && vind_results_get(r, 2) && vind_results_get(r, 2)->rank == 13,
          "... ranked after the twelve");
    vind_results_free(r);
    g_free(explain);
    r = page_of(searcher, "organisatie bestuur", 0, 0, &explain);
    CHECK(r && vind_results_total(r) == 12 && vind_results_count(r) == 12 &&
              !vind_results_fallback(r),
          "an export (no limit) keeps the strict meaning");
    vind_results_free(r);
    g_free(explain);
    vind_search_request_t req;
    vind_search_request_init(&req);
    req.query = "organisatie bestuur";
    vind_results_t *counted = NULL;
    vind_count(searcher, &req, &counted, NULL);
    CHECK(counted && vind_results_total(counted) == 12 && !vind_results_fallback(counted),
          "vind_count counts those with every word");
    vind_results_free(counted);
    req.query = "tuin jongeren";
    vind_count(searcher, &req, &counted, NULL);
    CHECK(counted && vind_results_total(counted) == 0,
          "... also when none has every word (the search lists those with some)");
    vind_results_free(counted);
}

static void test_fallback(vind_searcher_t *searcher)
{
    vind_results_t *r = search(searcher, "tuin jongeren");
    CHECK(r && vind_results_fallback(r), "no document has both words: fallback");
    CHECK(r && vind_results_total(r) == 0 && vind_results_fallback_total(r) == 2 &&
              vind_results_count(r) == 2,
          "fallback finds either word (the total counts those with every word: none)");
    CHECK_STR(r ? vind_results_understood(r) : NULL, "tuin OR jongeren", "understood says OR");
    vind_results_free(r);
    r = search(searcher, "tuin bloemen");
    CHECK(r && !vind_results_fallback(r) && vind_results_total(r) == 1, "no fallback needed");
    CHECK_STR(r ? vind_results_understood(r) : NULL, "tuin AND bloemen", "understood says AND");
    vind_results_free(r);
    r = search(searcher, "tuin AND jongeren");
    CHECK(r && !vind_results_fallback(r) && vind_results_total(r) == 0,
          "an explicit AND does not fall back");
    vind_results_free(r);

    /* One document has both words: it comes first, then those with one. */
    r = search(searcher, "(tuin OR jongeren) wijk");
    CHECK(r && vind_results_fallback(r) && vind_results_total(r) == 1 &&
              vind_results_count(r) >= 2 && strcmp(vind_results_get(r, 0)->url, "/wijk/") == 0,
          "fewer than ten with every word: those first, then documents with some, said so");
    CHECK_STR(r ? vind_results_understood(r) : NULL, "(tuin OR jongeren) AND wijk",
              "... understood still says AND");
    vind_results_free(r);
    test_fallback_pages(searcher);
    r = search(searcher, "tuinkabouter zwembad");
    CHECK(r && !vind_results_fallback(r) && vind_results_total(r) == 0,
          "no fallback when no word matches at all");
    CHECK_STR(r ? vind_results_understood(r) : NULL, "tuinkabouter AND zwembad",
              "... and the query stays as typed");
    vind_results_free(r);
    r = search(searcher, "de tuin van");
    CHECK_STR(r ? vind_results_understood(r) : NULL, "tuin", "understood drops stop words");
    vind_results_free(r);
}

static const vind_facet_value_t *facet_value(const vind_results_t *r, vind_facet_t f,
                                             const char *value)
{
    for (size_t i = 0; i < vind_results_facet_count(r, f); i++)
        if (strcmp(vind_results_facet_get(r, f, i)->value, value) == 0)
            return vind_results_facet_get(r, f, i);
    return NULL;
}

static void test_facets(vind_searcher_t *searcher)
{
    vind_search_request_t req;
    vind_search_request_init(&req);
    req.query = "";
    req.facets = 1;
    vind_results_t *r = NULL;
    CHECK_INT(vind_search(searcher, &req, &r, NULL), VIND_OK, "facets over everything");
    const vind_facet_value_t *v = facet_value(r, VIND_FACET_TAG, "ggz");
    CHECK(v && v->count == 2 && !v->selected, "tag ggz counted twice");
    v = facet_value(r, VIND_FACET_TAG, "Coördinatoren");
    CHECK(v && v->count == 2, "tag Coördinatoren in its display form");
    v = facet_value(r, VIND_FACET_TAG, "Regio");
    CHECK(v && v->count == 12, "tag Regio counted exactly");
    CHECK(vind_results_facet_count(r, VIND_FACET_TAG) > 0 &&
              vind_results_facet_get(r, VIND_FACET_TAG, 0)->count == 12,
          "facet values sorted by count");
    v = facet_value(r, VIND_FACET_THEME, "Wonen en zorg");
    CHECK(v && v->count == 2, "theme counted");
    v = facet_value(r, VIND_FACET_YEAR, "2017");
    CHECK(v && v->count == 12, "year counted");
    v = facet_value(r, VIND_FACET_TYPE, "article");
    CHECK(v && v->count == 17, "type counted");
    vind_results_free(r);

    /* Multi-select: two tags OR, a theme AND; the tag facet ignores its own filter. */
    const char *tags[] = {"ggz", "wonen"};
    const char *themes[] = {"wonen en zorg"};
    req.filters[VIND_FACET_TAG] = tags;
    req.n_filters[VIND_FACET_TAG] = 2;
    CHECK_INT(vind_search(searcher, &req, &r, NULL), VIND_OK, "search with two tag filters");
    CHECK_INT(vind_results_total(r), 3, "two values of one facet combine with OR");
    v = facet_value(r, VIND_FACET_TAG, "Regio");
    CHECK(v && v->count == 12, "the tag facet is counted without the tag filter");
    v = facet_value(r, VIND_FACET_TAG, "ggz");
    CHECK(v && v->selected, "a filtered value is marked selected");
    v = facet_value(r, VIND_FACET_YEAR, "2017");
    CHECK(!v, "other facets are counted with the tag filter");
    vind_results_free(r);
    req.filters[VIND_FACET_THEME] = themes;
    req.n_filters[VIND_FACET_THEME] = 1;
    CHECK_INT(vind_search(searcher, &req, &r, NULL), VIND_OK, "tags and a theme");
    CHECK_INT(vind_results_total(r), 2, "facets combine with AND");
    v = facet_value(r, VIND_FACET_THEME, "Innovatie");
    CHECK(v && v->count == 1, "the theme facet ignores the theme filter, keeps the tag filter");
    uint64_t sum = 0;
    for (size_t i = 0; i < vind_results_facet_count(r, VIND_FACET_YEAR); i++)
        sum += vind_results_facet_get(r, VIND_FACET_YEAR, i)->count;
    CHECK_INT(sum, vind_results_total(r), "year counts add up to the total");
    vind_results_free(r);

    const char *bad[] = {""};
    req.filters[VIND_FACET_TAG] = bad;
    req.n_filters[VIND_FACET_TAG] = 1;
    char *msg = NULL;
    CHECK_INT(vind_search(searcher, &req, &r, &msg), VIND_INVALID_ARGUMENT,
              "an empty filter value is refused");
    CHECK(msg != NULL, "... with a message");
    free(msg);
}

/* The runs of an explain line ("...; runs 2 total 3"), or -1. */
static int explained_runs(vind_results_t *results)
{
    /* "; runs ": a stage of two runs says "rank 2 runs 0.03ms" before it. */
    const char *runs = strstr(vind_results_explain(results), "; runs ");
    return runs ? atoi(runs + 7) : -1;
}

/* Issue 12: one plan, a ranked pass and one counting pass for the total and
 * every facet (multi-select included); vind_count counts the same without
 * ranking. */
static void test_passes(vind_searcher_t *searcher)
{
    vind_search_request_t req;
    vind_search_request_init(&req);
    req.query = "";
    req.facets = 1;
    const char *tags[] = {"ggz", "wonen"};
    const char *themes[] = {"wonen en zorg"};
    req.filters[VIND_FACET_TAG] = tags;
    req.n_filters[VIND_FACET_TAG] = 2;
    req.filters[VIND_FACET_THEME] = themes;
    req.n_filters[VIND_FACET_THEME] = 1;
    vind_results_t *searched = NULL, *counted = NULL;
    CHECK_INT(vind_search(searcher, &req, &searched, NULL), VIND_OK, "search with two filters");
    CHECK_INT(explained_runs(searched), 2,
              "two filters and facets: two Xapian runs (ranked, counting)");
    CHECK(strstr(vind_results_explain(searched), "count 1 run") != NULL,
          "the facets of both filtered facets come from one counting run");
    CHECK_INT(vind_count(searcher, &req, &counted, NULL), VIND_OK, "vind_count");
    CHECK_INT(vind_results_total(counted), vind_results_total(searched),
              "vind_count's total is vind_search's");
    CHECK_INT(vind_results_count(counted), 0, "vind_count returns no hits");
    CHECK_INT(explained_runs(counted), 1, "vind_count: one counting run");
    int same = 1;
    for (int f = 0; f < VIND_FACET_LAST; f++) {
        size_t n = vind_results_facet_count(searched, (vind_facet_t)f);
        same &= n == vind_results_facet_count(counted, (vind_facet_t)f);
        for (size_t i = 0; same && i < n; i++) {
            const vind_facet_value_t *a = vind_results_facet_get(searched, (vind_facet_t)f, i);
            const vind_facet_value_t *b = vind_results_facet_get(counted, (vind_facet_t)f, i);
            same &= strcmp(a->value, b->value) == 0 && a->count == b->count &&
                    a->selected == b->selected;
        }
    }
    CHECK(same, "vind_count's facets are vind_search's");
    vind_results_free(searched);
    vind_results_free(counted);

    /* vind count --by: every filter applies, the matches without a value
     * are the row "", a single-valued facet adds up to the total. */
    req.facets = VIND_FACETS_COUNT;
    req.n_filters[VIND_FACET_THEME] = 0;
    CHECK_INT(vind_count(searcher, &req, &counted, NULL), VIND_OK, "vind_count, exclusive facets");
    uint64_t sum = 0;
    for (size_t i = 0; i < vind_results_facet_count(counted, VIND_FACET_YEAR); i++)
        sum += vind_results_facet_get(counted, VIND_FACET_YEAR, i)->count;
    CHECK_INT(sum, vind_results_total(counted), "exclusive year counts add up to the total");
    CHECK(!facet_value(counted, VIND_FACET_TAG, "Regio"),
          "exclusive: the tag facet is counted with the tag filter");
    vind_results_free(counted);

    req.facets = 0;
    req.n_filters[VIND_FACET_TAG] = 0;
    req.query = "zorg";
    CHECK_INT(vind_search(searcher, &req, &searched, NULL), VIND_OK, "a plain search");
    CHECK_INT(explained_runs(searched), 1, "no facets: the ranked run counts the total too");
    vind_results_free(searched);
    req.facets = 1;
    CHECK_INT(vind_search(searcher, &req, &searched, NULL), VIND_OK, "facets, no filter");
    CHECK_INT(explained_runs(searched), 1, "facets without a filter: the ranked run counts them");
    CHECK(facet_value(searched, VIND_FACET_TYPE, "article") != NULL, "... and they are there");
    vind_results_free(searched);

    /* No document has both words: the facets count those with either, in
     * the any-word ranked pass, which sees each of them anyway (session 13:
     * no counting pass of its own). */
    req.query = "tuin jongeren";
    CHECK_INT(vind_search(searcher, &req, &searched, NULL), VIND_OK, "facets, any word");
    CHECK_INT(explained_runs(searched), 2,
              "facets of the any-word matches: two ranked runs (every word, any word), no counting");
    uint64_t typed = 0;
    for (size_t i = 0; i < vind_results_facet_count(searched, VIND_FACET_TYPE); i++)
        typed += vind_results_facet_get(searched, VIND_FACET_TYPE, i)->count;
    CHECK_INT(typed, vind_results_fallback_total(searched),
              "... and the type counts add up to the documents with either word");
    CHECK_INT(vind_results_fallback_total(searched), 2, "... which are two");
    vind_results_free(searched);
}

/* Session 13: the planned words of a query text are kept by the searcher
 * at its index's revision: another page of the same words plans only its
 * filters (no spelling look-up, analysis or term look-up), and plans anew
 * with other weights. */
static void test_planned_words(vind_searcher_t *searcher)
{
    char *first = NULL, *again = NULL, *reweighed = NULL;
    vind_results_t *a = page_of(searcher, "bestuur organisatie", 0, 10, &first);
    vind_results_t *b = page_of(searcher, "bestuur organisatie", 10, 10, &again);
    CHECK(strstr(first, "lookups 2") != NULL, "a new query text looks its two words up");
    CHECK(strstr(again, "lookups") == NULL, "its next page plans from the kept words: no look-up");
    CHECK(a && b && vind_results_total(a) == 12 && vind_results_total(b) == 12 &&
              vind_results_fallback_total(b) == 2 && vind_results_count(b) == 4,
          "... and finds what a plan of its own finds");
    double boost = searcher->weights.exact_boost;
    searcher->weights.exact_boost = boost + 0.25;
    vind_results_t *c = page_of(searcher, "bestuur organisatie", 0, 10, &reweighed);
    searcher->weights.exact_boost = boost;
    CHECK(strstr(reweighed, "lookups 2") != NULL, "other weights: the words are planned anew");
    vind_results_free(a);
    vind_results_free(b);
    vind_results_free(c);
    g_free(first);
    g_free(again);
    g_free(reweighed);
}

static void test_sort_and_page(vind_searcher_t *searcher)
{
    vind_search_request_t req;
    vind_search_request_init(&req);
    req.query = "zorg OR tuin OR ggz";
    req.sort = VIND_SORT_DATE_DESC;
    req.limit = 0;
    vind_results_t *r = NULL;
    CHECK_INT(vind_search(searcher, &req, &r, NULL), VIND_OK, "sort by date");
    int ordered = r && vind_results_count(r) >= 3;
    for (size_t i = 1; r && i < vind_results_count(r); i++)
        if (strcmp(vind_results_get(r, i - 1)->date, vind_results_get(r, i)->date) < 0)
            ordered = 0;
    CHECK(ordered, "newest first");
    CHECK(r && vind_results_count(r) > 0 && vind_results_get(r, 0)->score == 0.0,
          "score 0 when sorted by date");
    vind_results_free(r);
    req.sort = VIND_SORT_DATE_ASC;
    vind_search(searcher, &req, &r, NULL);
    CHECK(r && vind_results_count(r) > 0 && strcmp(vind_results_get(r, 0)->date, "2018-05-05") == 0,
          "oldest first");
    vind_results_free(r);

    /* Ties broken by URL: a filter-only query weighs every document 0. */
    req.query = "tag:Regio";
    req.sort = VIND_SORT_RELEVANCE;
    req.offset = 2;
    req.limit = 3;
    vind_search(searcher, &req, &r, NULL);
    CHECK(r && vind_results_count(r) == 3 && vind_results_total(r) == 12, "a page of 3 of 12");
    CHECK(r && strcmp(vind_results_get(r, 0)->url, "/regio-02/") == 0 &&
              strcmp(vind_results_get(r, 2)->url, "/regio-04/") == 0,
          "equal scores are ordered by URL, across pages");
    CHECK(r && vind_results_get(r, 0)->rank == 3, "rank counts from the first match");
    vind_results_free(r);
    req.offset = 100;
    vind_search(searcher, &req, &r, NULL);
    CHECK(r && vind_results_count(r) == 0 && vind_results_total(r) == 12,
          "an offset past the end gives no hits and the total");
    vind_results_free(r);

    req.offset = 0;
    req.query = "zorg";
    req.from = "2020-13";
    char *msg = NULL;
    CHECK_INT(vind_search(searcher, &req, &r, &msg), VIND_INVALID_ARGUMENT, "a bad date");
    free(msg);
    req.from = "2020";
    req.to = "2021-12-31";
    req.limit = 0;
    vind_search(searcher, &req, &r, NULL);
    CHECK(r && vind_results_total(r) == 2, "from/to restricts by date");
    vind_results_free(r);
}

static void test_spelling_and_synonyms(vind_searcher_t *searcher)
{
    vind_results_t *r = search(searcher, "organsiatie");
    CHECK_STR(r ? vind_results_suggestion(r) : NULL, "organisatie", "Bedoelde je organisatie?");
    vind_results_free(r);
    r = search(searcher, "organisatie");
    CHECK(r && vind_results_suggestion(r) == NULL, "no suggestion for a frequent word");
    CHECK(r && !strstr(vind_results_explain(r), "spellings"),
          "a frequent word is never looked up in the spelling table");
    vind_results_free(r);
    /* Issue 12: the plan and "Bedoelde je" share one look-up per word (an
     * unknown word without a correction was walked twice, the costliest
     * call of such a search). */
    r = search(searcher, "orgnaisatie qxzwvjk");
    CHECK(r && strstr(vind_results_explain(r), "spellings 2;"),
          "two unknown words: two spelling look-ups, not four");
    if (r)
        printf("# explain: %s\n", vind_results_explain(r));
    vind_results_free(r);
    /* Issue 12, session 11: the look-ups hold for the revision of the
     * index: the same typos again, and with a word looked up before, cost
     * no walk (and give the same suggestion). */
    r = search(searcher, "orgnaisatie qxzwvjk");
    CHECK(r && !strstr(vind_results_explain(r), "spellings"),
          "the same unknown words again: no spelling look-up");
    vind_results_free(r);
    r = search(searcher, "organsiatie");
    CHECK_STR(r ? vind_results_suggestion(r) : NULL, "organisatie",
              "a word looked up before: Bedoelde je organisatie? again");
    CHECK(r && !strstr(vind_results_explain(r), "spellings"),
          "a word looked up before: no spelling look-up");
    vind_results_free(r);

    /* Session 8: a compound the dictionary lacks, of words the site has,
     * is correct Dutch searched by its parts: no "Bedoelde je", and no
     * walk of the spelling table for one. */
    r = search(searcher, "organisatiebestuur");
    CHECK(r && vind_results_suggestion(r) == NULL && vind_results_total(r) > 0,
          "a compound of the site's words is searched by its parts, no suggestion");
    CHECK(r && !strstr(vind_results_explain(r), "spellings"),
          "a compound of the site's words is not looked up in the spelling table");
    if (r)
        printf("# explain: %s\n", vind_results_explain(r));
    vind_results_free(r);

    /* Session 8: an English word is correct English, not a typo ("Some sad
     * news" was offered "Some pad news"). */
    r = search(searcher, "seats");
    CHECK(r && vind_results_suggestion(r) == NULL &&
              !strstr(vind_results_explain(r), "spellings"),
          "an English word is not looked up in the spelling table");
    vind_results_free(r);
    /* Session 15: an English word that is its own lemma ("weather", no
     * shorter stem since the English terms are lemmas) is English too. */
    r = search(searcher, "weather");
    CHECK(r && vind_results_suggestion(r) == NULL &&
              !strstr(vind_results_explain(r), "spellings"),
          "an English word that is its own lemma is not looked up in the spelling table");
    vind_results_free(r);

    r = search(searcher, "ggz");
    CHECK(r && has_url(r, "wijk"), "ggz finds \"geestelijke gezondheidszorg\"");
    CHECK(r && has_url(r, "vernieuwing"), "ggz still finds ggz");
    vind_results_free(r);
    r = search(searcher, "\"geestelijke gezondheidszorg\"");
    CHECK(r && has_url(r, "vernieuwing"), "the expansion finds the acronym");
    vind_results_free(r);
    r = search(searcher, "GGZ");
    CHECK(r && has_url(r, "wijk"), "acronyms ignore case");
    vind_results_free(r);
}

static void test_limits(vind_searcher_t *searcher)
{
    GString *many = g_string_new(NULL);
    for (int i = 0; i < 10000; i++)
        g_string_append(many, "zorg ");
    vind_search_request_t req;
    vind_search_request_init(&req);
    req.query = many->str;
    vind_results_t *r = NULL;
    char *msg = NULL;
    CHECK_INT(vind_search(searcher, &req, &r, &msg), VIND_BAD_QUERY, "10,000 words: BAD_QUERY");
    CHECK(msg && *msg, "... with a message for the user");
    CHECK(r == NULL, "... and no results");
    free(msg);
    g_string_free(many, TRUE);
    const char *hostile[] = {"\"unclosed", "((((",   "AND",     "OR NOT", "\xff\xfe zorg",
                             "tag:",       "NEAR/3", "zorg\"(", ")))"};
    int ok = 1;
    for (size_t i = 0; i < sizeof hostile / sizeof hostile[0]; i++) {
        req.query = hostile[i];
        if (vind_search(searcher, &req, &r, NULL) != VIND_OK)
            ok = 0;
        char *json = vind_results_to_json(r);
        if (!json || !g_utf8_validate(json, -1, NULL))
            ok = 0;
        free(json);
        vind_results_free(r);
    }
    CHECK(ok, "hostile queries search leniently and give valid JSON");
}

/* The count limit: past it the total is an estimate within bounds that
 * hold the true count, the facet counts lower bounds; under it exact. */
static void test_count_limit(vind_searcher_t *searcher)
{
    vind_search_request_t req;
    vind_search_request_init(&req);
    req.query = "";
    req.facets = 1;
    const char *regio[] = {"Regio"};
    req.filters[VIND_FACET_TAG] = regio;
    req.n_filters[VIND_FACET_TAG] = 1;
    vind_results_t *r = NULL;
    vind_searcher_set_count_limit(searcher, 3);
    uint64_t lower = 0, upper = 0;
    CHECK(vind_count(searcher, &req, &r, NULL) == VIND_OK && !vind_results_total_exact(r) &&
              !vind_results_facets_exact(r),
          "past a count limit of 3: the 12 documents tagged Regio are counted as an estimate");
    vind_results_total_bounds(r, &lower, &upper);
    CHECK(lower <= 12 && 12 <= upper && lower < upper && lower <= vind_results_total(r) &&
              vind_results_total(r) <= upper,
          "... whose bounds hold the true count");
    printf("# estimate %llu, bounds %llu..%llu\n", (unsigned long long)vind_results_total(r),
           (unsigned long long)lower, (unsigned long long)upper);
    const vind_facet_value_t *v = facet_value(r, VIND_FACET_TAG, "Regio");
    CHECK(v && v->count <= 12, "... and the facet count is a lower bound");
    vind_results_free(r);
    req.n_filters[VIND_FACET_TAG] = 0;
    r = NULL;
    /* (vind_count: a search of every document weighs them all 0 and ranks
     * the tie by URL, so its ranked pass examines every one anyway.) */
    CHECK(vind_count(searcher, &req, &r, NULL) == VIND_OK && vind_results_total_exact(r) &&
              vind_results_total(r) == 17 && !vind_results_facets_exact(r),
          "every document: an exact total (Xapian knows it), facet counts lower bounds");
    vind_results_free(r);
    vind_searcher_set_count_limit(searcher, 17);
    r = NULL;
    CHECK(vind_search(searcher, &req, &r, NULL) == VIND_OK && vind_results_total_exact(r) &&
              vind_results_facets_exact(r) && (v = facet_value(r, VIND_FACET_TAG, "Regio")) &&
              v->count == 12,
          "a limit of every document: exact, as without one");
    vind_results_free(r);
    vind_searcher_set_count_limit(searcher, VIND_COUNT_LIMIT);
}

/* Costly queries are bounded: the wildcards of one query share a budget of
 * terms (and say when a wildcard was cut), and a time limit marks the
 * answer partial instead of running on. */
static void test_costly(vind_searcher_t *searcher)
{
    vind_search_request_t req;
    vind_search_request_init(&req);
    vind_results_t *r = NULL;
    req.query = "v*";
    CHECK(vind_search(searcher, &req, &r, NULL) == VIND_OK && vind_results_notice_count(r) == 0 &&
              !vind_results_partial(r),
          "one wildcard over a small index: no notice, not partial");
    vind_results_free(r);
    GString *many = g_string_new(NULL);
    for (int i = 0; i < 64; i++)
        g_string_append_printf(many, "%c* ", 'a' + i % 26);
    req.query = many->str;
    r = NULL;
    vind_status_t status = vind_search(searcher, &req, &r, NULL);
    const char *notice = vind_results_notice(r, 0);
    char expected[64];
    snprintf(expected, sizeof expected, "* matches more words than the %u most frequent",
             VIND_MAX_WILDCARD_TERMS_PER_QUERY / 64);
    CHECK(status == VIND_OK && notice && strstr(notice, expected) && vind_results_count(r) > 0,
          "64 wildcards share the term budget (6 each) and say so");
    if (notice)
        printf("# %s\n", notice);
    char *json = vind_results_to_json(r);
    json_t *root = json ? json_loads(json, 0, NULL) : NULL;
    CHECK(json_array_size(json_object_get(root, "notices")) > 0 &&
              json_is_false(json_object_get(root, "partial")),
          "... the JSON has the notices, and partial: false");
    json_decref(root);
    free(json);
    vind_results_free(r);
    g_string_free(many, TRUE);

    req.query = "zorg";
    vind_searcher_set_time_limit(searcher, 1e-9); /* cannot be met: the answer must still come */
    r = NULL;
    status = vind_search(searcher, &req, &r, NULL);
    CHECK(status == VIND_OK && vind_results_partial(r) && vind_results_count(r) > 0,
          "a search past its time limit answers what it found, marked partial");
    json = vind_results_to_json(r);
    root = json ? json_loads(json, 0, NULL) : NULL;
    CHECK(json_is_true(json_object_get(root, "partial")), "... \"partial\": true in the JSON");
    json_decref(root);
    free(json);
    vind_results_free(r);
    vind_searcher_set_time_limit(searcher, 0);
    r = NULL;
    CHECK(vind_search(searcher, &req, &r, NULL) == VIND_OK && !vind_results_partial(r),
          "without a time limit: never partial");
    vind_results_free(r);
    char *msg = NULL;
    CHECK_INT(vind_searcher_check(searcher, &msg), VIND_OK, "a sound index passes the read check");
    free(msg);
}

/* A cheap fuzz: random queries from a fixed seed search or refuse cleanly. */
static void test_random_queries(vind_searcher_t *searcher)
{
    static const char *const pieces[] = {
        "zorg",      "cliënten", "\"",  "(",           ")",
        "-",         "*",        "AND", "OR",          "NOT",
        "NEAR/2",    "tag:",     "ggz", "year:2019..", "date:2020-01",
        "type:pdf|", "\xff",     "de",  "title:",      "..",
        " ",         "|"};
    unsigned seed = 4242;
    int ok = 1;
    for (int round = 0; round < 400; round++) {
        GString *query = g_string_new(NULL);
        seed = seed * 1103515245u + 12345u;
        int n = (int)((seed >> 16) % 12);
        for (int i = 0; i < n; i++) {
            seed = seed * 1103515245u + 12345u;
            g_string_append(query, pieces[(seed >> 16) % (sizeof pieces / sizeof pieces[0])]);
            if ((seed >> 8) & 1)
                g_string_append_c(query, ' ');
        }
        vind_search_request_t req;
        vind_search_request_init(&req);
        req.query = query->str;
        req.facets = (seed >> 4) & 1;
        vind_results_t *r = NULL;
        char *msg = NULL;
        vind_status_t status = vind_search(searcher, &req, &r, &msg);
        if (status != VIND_OK && (status != VIND_BAD_QUERY || !msg || !*msg))
            ok = 0;
        char *json = vind_results_to_json(r);
        if (status == VIND_OK && (!json || !g_utf8_validate(json, -1, NULL)))
            ok = 0;
        free(json);
        free(msg);
        vind_results_free(r);
        g_string_free(query, TRUE);
    }
    CHECK(ok, "400 random queries search or are refused with a message");
}

static void test_json(vind_searcher_t *searcher)
{
    vind_search_request_t req;
    vind_search_request_init(&req);
    req.query = "clienten";
    req.facets = 1;
    vind_results_t *r = NULL;
    vind_search(searcher, &req, &r, NULL);
    char *text = vind_results_to_json(r);
    json_error_t error;
    json_t *root_json = text ? json_loads(text, 0, &error) : NULL;
    CHECK(root_json != NULL, "results JSON parses");
    CHECK_STR(json_string_value(json_object_get(root_json, "query")), "clienten", "query echoed");
    CHECK(json_is_integer(json_object_get(root_json, "total")), "total is a number");
    CHECK(json_is_false(json_object_get(root_json, "fallback")), "fallback is a boolean");
    CHECK(json_is_null(json_object_get(root_json, "suggestion")), "no suggestion: null");
    json_t *hits = json_object_get(root_json, "results");
    json_t *first = json_array_get(hits, 0);
    CHECK(json_is_string(json_object_get(first, "url")) &&
              json_is_string(json_object_get(first, "title")) &&
              json_is_array(json_object_get(first, "tags")) &&
              json_is_array(json_object_get(first, "pages")) &&
              json_is_integer(json_object_get(first, "rank")) &&
              json_is_real(json_object_get(first, "score")) &&
              json_object_get(first, "parent") != NULL,
          "a hit has its fields");
    CHECK(json_is_string(json_object_get(first, "snippet")), "a hit has a snippet");
    json_t *facets = json_object_get(root_json, "facets");
    CHECK(json_is_array(json_object_get(facets, "tag")) &&
              json_is_array(json_object_get(facets, "year")),
          "facets in JSON");
    json_decref(root_json);
    free(text);
    /* Capped: each list cut to its most frequent value, the rest counted. */
    size_t n_years = vind_results_facet_count(r, VIND_FACET_YEAR);
    text = vind_results_to_json_capped(r, 1);
    root_json = text ? json_loads(text, 0, NULL) : NULL;
    facets = json_object_get(root_json, "facets");
    json_t *more = json_object_get(root_json, "facets_more");
    const vind_facet_value_t *top = vind_results_facet_get(r, VIND_FACET_YEAR, 0);
    json_t *year = json_array_get(json_object_get(facets, "year"), 0);
    CHECK(n_years > 1 && json_array_size(json_object_get(facets, "year")) == 1 && top &&
              g_strcmp0(json_string_value(json_object_get(year, "value")), top->value) == 0 &&
              json_integer_value(json_object_get(more, "year")) == (json_int_t)(n_years - 1),
          "capped JSON: the most frequent year, facets_more.year the others");
    CHECK(json_object_size(more) == VIND_FACET_LAST && text &&
              strstr(text, "\"facets\":") < strstr(text, "\"facets_more\":"),
          "facets_more names every facet, right after facets");
    json_decref(root_json);
    free(text);
    char *hit = vind_hit_to_json(vind_results_get(r, 0));
    CHECK(hit && strstr(hit, "\"url\"") != NULL, "one hit as JSON");
    free(hit);
    vind_results_free(r);
}

static void test_researcher(vind_searcher_t *searcher)
{
    vind_search_request_t req;
    vind_search_request_init(&req);
    req.query = "bewoner";
    req.limit = 0;
    vind_kwic_t *kwic = NULL;
    CHECK_INT(vind_kwic(searcher, &req, 10, &kwic, NULL), VIND_OK, "kwic runs");
    CHECK_INT(vind_kwic_count(kwic), 1, "one line for bewoners");
    const vind_kwic_line_t *line = vind_kwic_get(kwic, 0);
    CHECK(line && strcmp(line->match, "bewoners") == 0, "the match as written");
    CHECK(line && g_utf8_strlen(line->left, -1) <= 10 && strstr(line->left, "zorg") != NULL,
          "left context of at most width characters");
    CHECK(line && strncmp(line->right, " zijn", 5) == 0, "right context");
    CHECK(line && strcmp(line->url, "/clienten/") == 0 && line->page == 0, "url and page");
    vind_kwic_free(kwic);
    req.query = "organisatie";
    vind_kwic(searcher, &req, 0, &kwic, NULL);
    CHECK_INT(vind_kwic_count(kwic), 14, "kwic covers every matching document");
    vind_kwic_free(kwic);

    char **completions = NULL;
    CHECK_INT(vind_suggest(searcher, "verpleeg", 5, &completions, NULL), VIND_OK, "suggest runs");
    int has_word = 0, has_title = 0;
    for (char **c = completions; c && *c; c++) {
        if (strcmp(*c, "verpleeghuis") == 0)
            has_word = 1;
        if (strcmp(*c, "Verpleeghuiszorg en wonen") == 0)
            has_title = 1;
    }
    CHECK(has_word, "completions hold an index word");
    CHECK(has_title, "completions hold a title");
    vind_strv_free(completions);
    vind_suggest(searcher, "radicale ver", 5, &completions, NULL);
    CHECK(completions && completions[0] && g_str_has_prefix(completions[0], "radicale ver"),
          "the last word of several is completed");
    vind_strv_free(completions);
    vind_suggest(searcher, "", 5, &completions, NULL);
    CHECK(completions && completions[0] == NULL, "no completions for nothing");
    vind_strv_free(completions);

    char *json = NULL;
    CHECK_INT(vind_searcher_document(searcher, "/tuin/", 1, &json, NULL), VIND_OK,
              "document by URL");
    CHECK(json && strstr(json, "\"title\":\"De tuin\"") && strstr(json, "bloemen"),
          "document JSON has the title and the text");
    free(json);
    CHECK_INT(vind_searcher_document(searcher, "/tuin", 0, &json, NULL), VIND_OK,
              "document by URL without its trailing slash, as vind_related finds it");
    CHECK(json && strstr(json, "\"url\":\"/tuin/\""), "... the document of /tuin/");
    free(json);
    json = NULL;
    char *msg = NULL;
    CHECK_INT(vind_searcher_document(searcher, "/nergens/", 0, &json, &msg), VIND_NOT_FOUND,
              "an unknown URL: NOT_FOUND");
    CHECK(msg && strstr(msg, "/nergens/"), "... naming the URL");
    free(msg);
    CHECK_INT(vind_searcher_stats(searcher, &json, NULL), VIND_OK, "stats");
    CHECK(json && strstr(json, "\"documents\":17"), "stats count the documents");
    free(json);
}

/* The description of the plan of query (malloc'd), or NULL. */
static char *plan_described(vind_analyzer_t *analyzer, const vind_synonyms_t *synonyms,
                            const char *query)
{
    vind_qnode_t *tree = NULL;
    vind_query_plan_t *plan = NULL;
    vind_query_parse(query, strlen(query), &tree, NULL);
    vind_query_plan(analyzer, synonyms, NULL, tree, &plan, NULL);
    char *described = plan ? vind_xapian_query_describe(plan->query) : NULL;
    vind_query_plan_free(plan);
    vind_qnode_free(tree);
    return described;
}

/* A counting pass runs the strict query without its boosts: the same
 * matches, and no proximity check (positions read) per match. */
static void test_count_query(vind_searcher_t *searcher)
{
    vind_qnode_t *tree = NULL;
    vind_query_parse("zorg wonen", 10, &tree, NULL);
    vind_search_request_t req;
    vind_search_request_init(&req);
    req.query = "zorg wonen";
    vind_plan_t *plan = NULL;
    CHECK_INT(vind_plan_new(searcher, &req, tree, 0, &plan, NULL), VIND_OK, "a plan");
    vind_xapian_query_t *ranked = plan ? vind_plan_query(plan, 0, VIND_PLAN_FILTERS) : NULL;
    vind_xapian_query_t *counted = plan ? vind_plan_count_query(plan, 0, VIND_PLAN_FILTERS) : NULL;
    char *r = vind_xapian_query_describe(ranked), *c = vind_xapian_query_describe(counted);
    CHECK(r && strstr(r, "NEAR") && strstr(r, "AND_MAYBE"), "the ranked query has its boosts");
    CHECK(c && !strstr(c, "NEAR") && !strstr(c, "AND_MAYBE") && strstr(c, "zorg") &&
              strstr(c, "wonen") && strstr(c, " AND "),
          "the counting query has every word and no boost");
    printf("# count query: %s\n", c ? c : "(null)");
    free(r);
    free(c);
    vind_xapian_query_free(ranked);
    vind_xapian_query_free(counted);
    vind_plan_free(plan);
    vind_qnode_free(tree);
}

/* The ranked query of query's plan, described (malloc'd), or NULL. */
static char *ranked_described(vind_searcher_t *searcher, const char *query)
{
    vind_qnode_t *tree = NULL;
    vind_query_parse(query, strlen(query), &tree, NULL);
    vind_search_request_t req;
    vind_search_request_init(&req);
    req.query = query;
    vind_plan_t *plan = NULL;
    vind_plan_new(searcher, &req, tree, 0, &plan, NULL);
    vind_xapian_query_t *ranked = plan ? vind_plan_query(plan, 0, VIND_PLAN_FILTERS) : NULL;
    char *described = ranked ? vind_xapian_query_describe(ranked) : NULL;
    vind_xapian_query_free(ranked);
    vind_plan_free(plan);
    vind_qnode_free(tree);
    return described;
}

/* Issue 12: a term no document has is left out of the query the passes
 * run (no Xapian statistics or post list for it); the answers stay the
 * same. The analyzer alone still plans every term. */
static void test_absent_terms(vind_searcher_t *searcher, vind_analyzer_t *analyzer)
{
    char *all = plan_described(analyzer, NULL, "zorg wonen");
    char *run = ranked_described(searcher, "zorg wonen");
    CHECK(all && strstr(all, "Szorgwonen") && strstr(all, "Ezorgswonen"),
          "the plan without an index has the joined forms");
    CHECK(run && strstr(run, "zorg") && strstr(run, "wonen") && strstr(run, "NEAR") &&
              !strstr(run, "Szorgwonen") && !strstr(run, "Ezorgswonen") &&
              !strstr(run, "Ewonenzorg"),
          "the run query keeps the words and their proximity, not the joined forms no page has");
    printf("# run query: %s\n", run ? run : "(null)");
    free(all);
    free(run);

    vind_results_t *r = search(searcher, "zorg wonen");
    CHECK(r && vind_results_total(r) == 3 && has_url(r, "verpleeghuiszorg"),
          "zorg wonen still finds its pages");
    vind_results_free(r);

    run = ranked_described(searcher, "qxzwvjk plughmn");
    CHECK(run && strcmp(run, "Query()") == 0, "a query of absent words runs as match-nothing");
    free(run);
    r = search(searcher, "qxzwvjk plughmn");
    CHECK(r && vind_results_total(r) == 0 && vind_results_count(r) == 0,
          "a query of absent words finds nothing");
    CHECK(r && vind_results_absent_count(r) == 2 &&
              strcmp(vind_results_absent(r, 0), "qxzwvjk") == 0,
          "and says which words no page has");
    vind_results_free(r);

    r = search(searcher, "organsiatie regio");
    CHECK_STR(r ? vind_results_suggestion(r) : NULL, "organisatie regio",
              "a misspelt word's suggestion still comes");
    vind_results_free(r);
}

static int collect_docid(void *rock, uint32_t docid)
{
    g_string_append_printf(rock, "%u,", docid);
    return 0;
}

static int compare_uints(const void *a, const void *b)
{
    unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;
    return x < y ? -1 : x > y;
}

/* The documents whose title starts with prefix, sorted ("3,7,"), malloc'd. */
static char *titles_with(vind_searcher_t *searcher, const char *prefix)
{
    GString *found = g_string_new("");
    if (vind_titles_with_prefix(searcher, prefix, collect_docid, found, NULL) != VIND_OK)
        g_string_assign(found, "error");
    unsigned docids[256];
    size_t n = 0;
    for (char *at = found->str; *at && n < 256 && g_ascii_isdigit(*at); at = strchr(at, ',') + 1)
        docids[n++] = (unsigned)strtoul(at, NULL, 10);
    qsort(docids, n, sizeof *docids, compare_uints);
    GString *sorted = g_string_new(n ? "" : found->str);
    for (size_t i = 0; i < n; i++)
        g_string_append_printf(sorted, "%u,", docids[i]);
    g_string_free(found, TRUE);
    return g_string_free(sorted, FALSE);
}

/* Title completions: the first call of a revision walks the titles, the
 * next ones look in the sorted copy kept with the searcher; both find the
 * same documents, and so does a searcher whose budget holds no copy. */
static void test_title_prefixes(vind_searcher_t *searcher)
{
    static const char *const prefixes[] = {"v", "verpleeg", "de ", "de tuin", "", "zzz", "d",
                                           "verpleeghuiszorg en wonen", "verpleeghuiszorg en wonenx"};
    size_t n = sizeof prefixes / sizeof *prefixes;
    vind_searcher_set_cache_size(searcher, 0);
    char *walked[16];
    for (size_t i = 0; i < n; i++)
        walked[i] = titles_with(searcher, prefixes[i]);
    CHECK(!vind_titles_indexed(searcher), "with a budget of 0 no copy of the titles is kept");
    CHECK(strlen(walked[1]) > 0 && strcmp(walked[5], "") == 0 && strlen(walked[4]) > strlen(walked[0]),
          "the walk finds titles by prefix ('' every one, 'zzz' none)");
    vind_searcher_set_cache_size(searcher, 1 << 20);
    int same = 1;
    for (int round = 0; round < 2; round++) {
        for (size_t i = 0; i < n; i++) {
            char *found = titles_with(searcher, prefixes[i]);
            if (strcmp(found, walked[i]) != 0) {
                printf("# '%s': walk %s, round %d %s\n", prefixes[i], walked[i], round, found);
                same = 0;
            }
            free(found);
        }
        CHECK(vind_titles_indexed(searcher), "from the second call the sorted titles are kept");
    }
    CHECK(same, "the sorted titles find the same documents as the walk");
    for (size_t i = 0; i < n; i++)
        free(walked[i]);
}

/* The completions of prefix (limit max) joined by '|', malloc'd. */
static char *completions_of(vind_searcher_t *searcher, const char *prefix, size_t max)
{
    char **found = NULL;
    GString *joined = g_string_new("");
    if (vind_suggest(searcher, prefix, max, &found, NULL) != VIND_OK)
        g_string_assign(joined, "error");
    for (char **c = found; c && *c; c++)
        g_string_append_printf(joined, "%s|", *c);
    vind_strv_free(found);
    return g_string_free(joined, FALSE);
}

/* The words completing a short prefix are kept for the revision: asked
 * again, with a short list or a long one, the answer is what the index
 * gives (a long list past the kept words asks the index again). */
static void test_completion_cache(vind_searcher_t *searcher)
{
    static const char *const prefixes[] = {"v", "ve", "b", "o", "de v", "zo"};
    static const size_t limits[] = {1, 10, 3, 100};
    int same = 1;
    for (size_t p = 0; p < sizeof prefixes / sizeof *prefixes; p++) {
        for (size_t l = 0; l < sizeof limits / sizeof *limits; l++) {
            vind_searcher_set_cache_size(searcher, 0); /* no cache: from the index */
            char *fresh = completions_of(searcher, prefixes[p], limits[l]);
            vind_searcher_set_cache_size(searcher, 1 << 20);
            char *first = completions_of(searcher, prefixes[p], limits[l]);
            char *again = completions_of(searcher, prefixes[p], limits[l]);
            char *other = completions_of(searcher, prefixes[p], limits[(l + 1) % 4]);
            vind_searcher_set_cache_size(searcher, 0);
            char *other_fresh = completions_of(searcher, prefixes[p], limits[(l + 1) % 4]);
            if (strcmp(fresh, first) || strcmp(fresh, again) || strcmp(other, other_fresh)) {
                printf("# '%s' %zu: %s / %s / %s\n", prefixes[p], limits[l], fresh, first, again);
                same = 0;
            }
            g_free(fresh), g_free(first), g_free(again), g_free(other), g_free(other_fresh);
        }
    }
    vind_searcher_set_cache_size(searcher, 1 << 20);
    CHECK(same, "completions from the kept words are those from the index");
}

/* The description of the plan of query made with memo (malloc'd), or NULL. */
static char *plan_described_with(vind_analyzer_t *analyzer, vind_word_memo_t *memo,
                                 const char *query)
{
    vind_qnode_t *tree = NULL;
    vind_query_plan_t *plan = NULL;
    vind_query_parse(query, strlen(query), &tree, NULL);
    vind_query_plan_corrected(analyzer, NULL, NULL, NULL, NULL, NULL, NULL, memo, tree, &plan,
                              NULL);
    char *described = plan ? vind_xapian_query_describe(plan->query) : NULL;
    vind_query_plan_free(plan);
    vind_qnode_free(tree);
    return described;
}

/* A searcher's memo of the words' analyses answers what the analyzer
 * would: a plan made from it, the first time and again, is the plan made
 * without one; and it does remember (the same tokens lent twice). */
static void test_word_memo(vind_analyzer_t *analyzer)
{
    static const char *const queries[] = {"Cliënten -wonen", "niet-rokers beheren",
                                          "\"geestelijke gezondheidszorg\" zorg", "de",
                                          "reageer knoppen", "evaluations"};
    vind_word_memo_t *memo = vind_word_memo_new(analyzer, NULL);
    int same = 1;
    for (int round = 0; round < 2; round++)
        for (size_t i = 0; i < sizeof queries / sizeof *queries; i++) {
            char *alone = plan_described(analyzer, NULL, queries[i]);
            char *remembered = plan_described_with(analyzer, memo, queries[i]);
            if (!alone || !remembered || strcmp(alone, remembered) != 0) {
                printf("# %s: %s / %s\n", queries[i], alone ? alone : "(null)",
                       remembered ? remembered : "(null)");
                same = 0;
            }
            free(alone);
            free(remembered);
        }
    CHECK(same, "plans made with a word memo, first and again, are the plans made without");
    const vind_tokens_t *first = vind_word_memo_analysis(memo, "bewoners");
    CHECK(first && vind_tokens_count(first) == 1 && vind_word_memo_analysis(memo, "bewoners") == first,
          "the memo lends the analysis it made the first time");
    CHECK(vind_word_memo_stem(memo, "evaluations", VIND_LANG_EN) ==
              vind_word_memo_stem(memo, "evaluations", VIND_LANG_EN),
          "... and a word's stem");
    /* Long phrases fill its byte bound: the next build starts it empty. */
    GString *text = g_string_new(NULL);
    for (int i = 0; i < 200 && vind_word_memo_bytes(memo) < (4u << 20); i++) {
        g_string_printf(text, "%d", i);
        while (text->len < 4000)
            g_string_append(text, " bewoners van verpleeghuizen");
        vind_word_memo_analysis(memo, text->str);
    }
    CHECK(vind_word_memo_bytes(memo) >= (4u << 20), "long phrases fill the memo's 4 MB");
    vind_word_memo_begin(memo);
    CHECK_INT((int)vind_word_memo_bytes(memo), 0, "... and the next build starts it empty");
    g_string_free(text, TRUE);
    vind_word_memo_free(memo);
}

/* A client sending distinct words (random words: every query a new one)
 * fills the memo to its bound again and again, as every build begins it:
 * what it holds in memory stays within its 4 MB. Before session 15 each
 * remembered analysis held a 64 kB arena chunk and 64 tokens' room that
 * its count left out: 8,192 one-word queries held 530 MB a searcher, and
 * vind-searchd (8 searchers with --threads 4) grew past 900 MB. */
static void test_word_memo_memory(vind_analyzer_t *analyzer)
{
    if (heap_in_use() == 0) {
        SKIP("the memo's memory: no glibc heap count here (ASan)");
        return;
    }
    vind_word_memo_t *memo = vind_word_memo_new(analyzer, NULL);
    GString *word = g_string_new(NULL);
    for (int i = 0; i < 200; i++) { /* the analyzer's own cache, filled first */
        g_string_printf(word, "warm%d", i);
        vind_word_memo_analysis(memo, word->str);
    }
    size_t before = heap_in_use(), most = 0;
    for (unsigned i = 0; i < 6000; i++) {
        vind_word_memo_begin(memo);
        g_string_truncate(word, 0);
        for (unsigned n = i + 17576; n; n /= 26) /* distinct words of letters: "aaab", ... */
            g_string_append_c(word, (char)('a' + n % 26));
        vind_word_memo_analysis(memo, word->str);
        size_t now = heap_in_use();
        if (now > before && now - before > most)
            most = now - before;
    }
    printf("# 6,000 distinct words: the heap grew by at most %zu bytes (the memo counts %zu)\n",
           most, vind_word_memo_bytes(memo));
    CHECK(most < (6u << 20),
          "6,000 distinct one-word analyses: the memo and the analyzer's cache hold under 6 MB");
    g_string_free(word, TRUE);
    vind_word_memo_free(memo);
}

static void test_plan(vind_searcher_t *searcher, vind_lexicon_t *lexicon)
{
    test_completion_cache(searcher);
    test_title_prefixes(searcher);
    test_count_query(searcher);
    vind_analyzer_t *analyzer = NULL;
    vind_analyzer_new(lexicon, &analyzer, NULL);
    test_absent_terms(searcher, analyzer);
    test_word_memo(analyzer);
    test_word_memo_memory(analyzer);
    vind_qnode_t *tree = NULL;
    vind_query_parse("Cliënten -wonen", 16, &tree, NULL);
    vind_query_plan_t *plan = NULL;
    CHECK_INT(vind_query_plan(analyzer, NULL, NULL, tree, &plan, NULL), VIND_OK, "plan");
    char *described = plan ? vind_xapian_query_describe(plan->query) : NULL;
    CHECK(described && strstr(described, "client") && strstr(described, "AND_NOT") &&
              strstr(described, "Pclient") && strstr(described, "Eclienten"),
          "the query has the stem, the part, the exact form and the exclusion");
    printf("# %s\n", described ? described : "(null)");
    CHECK(plan && plan->n_words == 1 && strcmp(plan->words[0].form, "clienten") == 0,
          "one word for spelling, the excluded one not");
    free(described);
    vind_query_plan_free(plan);
    vind_qnode_free(tree);

    /* One construct each: the fragment its Xapian query must hold. */
    vind_synonyms_t *synonyms = vind_synonyms_new_empty();
    vind_synonyms_free(synonyms);
    char path[256];
    snprintf(path, sizeof path, "%s/syn.txt", root);
    g_file_set_contents(path, "ggz = geestelijke gezondheidszorg # comment\nkapot\n", -1, NULL);
    /* The translations beside it (docs/synonyms.md): Dutch term = English stems. */
    char translations[256];
    snprintf(translations, sizeof translations, "%s/" VIND_TRANSLATIONS_FILE, root);
    g_file_set_contents(translations, "# comment\nsleutel = clef | key | wrench\nnoot = nut | note\n",
                        -1, NULL);
    CHECK_INT(vind_synonyms_load(path, &synonyms, NULL), VIND_OK, "a synonym file loads");
    CHECK_INT(vind_synonyms_count(synonyms), 1, "a line without '=' is skipped");
    char english[64];
    CHECK(vind_synonyms_translations(synonyms, "sleutel", english, sizeof english) == 3 &&
              memcmp(english, "clef\0key\0wrench\0\0", 17) == 0,
          "the translations beside the list load: sleutel = clef | key | wrench");
    CHECK(vind_synonyms_translations(synonyms, "sleutel", english, 11) == 2 &&
              memcmp(english, "clef\0key\0\0", 10) == 0,
          "a short buffer gets the whole stems it holds");
    CHECK(vind_synonyms_translations(synonyms, "slot", english, sizeof english) == 0,
          "a term without translations has none");
    CHECK(vind_synonyms_is_english(synonyms, "note") && !vind_synonyms_is_english(synonyms, "noot"),
          "note is on the English side, noot is not");
    static const struct {
        const char *query, *fragment, *what;
    } cases[] = {
        {"\"langdurige zorg\"", "PHRASE 2", "a phrase is a PHRASE of two stems"},
        {"radicale NEAR/3 vernieuwing", "NEAR 5", "NEAR/3 of two words: window 5"},
        {"verpleeg*", "WILDCARD", "a prefix is a wildcard"},
        {"verpleeg*", "Everpleeg", "... over exact forms"},
        {"tag:Coördinatoren", "0 * Kcoordinatoren", "a tag is a weightless normalised term"},
        {"type:pdf|article", "XTYPEarticle", "type alternatives"},
        {"year:2021", "Y2021", "a year term"},
        {"date:2019-01-01..2020-06", "VALUE_RANGE 0 20190101 20200631", "a date range on slot 0"},
        {"year:2019..", "VALUE_GE 1 2019", "an open year range on slot 1"},
        {"title:tuin", "Stuin", "a title word"},
        {"author:jansen", "Ajans", "an author word (stemmed)"},
        {"ggz", "geestelijk", "a synonym adds its expansion"},
        {"ggz", "0.8", "... at a lower weight"},
        {"\"geestelijke gezondheidszorg\"", "ggz", "an expansion adds its key"},
        {"zorg wonen", "AND_MAYBE", "boosts are AND_MAYBE"},
        {"zorg wonen", "NEAR 6", "... with the words near each other"},
        {"-zorg", "<alldocuments> AND_NOT", "a lone exclusion excludes from everything"},
        /* issue 13: a hyphenated word is the phrase of all its parts, stop words included */
        {"niet-rokers", "niet PHRASE 2 roker", "niet-rokers is the phrase niet rokers, not rokers"},
        {"niet-rokers", "nietroker", "... or the parts written as one word"},
        {"niet-westers", "niet PHRASE 2 wester", "niet-westers keeps its stop word too"},
        {"Noord-Holland", "noord PHRASE 2 holland", "Noord-Holland is a phrase"},
        {"Noord-Holland", "Pnoordholland", "... or the joined term of the indexer"},
        /* i13-rank: a verb also finds the noun of its stem, weaker; an English stem that is the
         * word as typed is searched although both are Dutch words */
        {"gedownload", "0.5 * download)", "gedownload also finds the noun download at 0.5"},
        {"beheren", "0.5 * beheer)", "beheren also finds beheer (open vowel doubled)"},
        {"backend", "backen SYNONYM backend", "backend (lemma backen) keeps its English stem"},
        /* i13-en: a word's translations, in English documents only, weighed as the word */
        {"sleutel", "sleutel SYNONYM clef SYNONYM key SYNONYM wrench) FILTER Len", "sleutel "
         "also finds key, clef, wrench in English documents only"},
        {"sleutel", "0.80000000000000004441 * ((sleutel SYNONYM", "... at the translation weight"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        described = plan_described(analyzer, synonyms, cases[i].query);
        int found = described && strstr(described, cases[i].fragment) != NULL;
        CHECK(found, cases[i].what);
        if (!found)
            printf("#   %s -> %s\n", cases[i].query, described ? described : "(null)");
        free(described);
    }
    /* No noun where the verb's stem is a form of the verb itself, nor kans's English "kan". */
    static const struct {
        const char *query, *absent, *what;
    } absent[] = {
        {"lopen", "loop", "lopen gets no noun loop (a form of lopen)"},
        {"kans", "kan)", "kans does not search the English stem kan"},
        {"sleutel note", "Len", "a query with an English word (note) is not translated"},
        {"title:sleutel", "Len", "a field word is not translated"},
    };
    for (size_t i = 0; i < sizeof absent / sizeof absent[0]; i++) {
        described = plan_described(analyzer, synonyms, absent[i].query);
        int clean = described && strstr(described, absent[i].absent) == NULL;
        CHECK(clean, absent[i].what);
        if (!clean)
            printf("#   %s -> %s\n", absent[i].query, described ? described : "(null)");
        free(described);
    }
    /* Two adjacent words are also looked for written as one compound, in
     * either order, with and without a linking s; short words are not. */
    char *joined = plan_described(analyzer, NULL, "reageer knoppen");
    CHECK(joined && strstr(joined, "Ereageerknoppen") && strstr(joined, "Eknoppenreageer") &&
              strstr(joined, "Ereageersknoppen"),
          "reageer knoppen: the joined forms are boosted");
    /* ... and so is a title with that compound (its stem, a title term). */
    CHECK(joined && strstr(joined, "Sreageerknop") && strstr(joined, "12 * "),
          "reageer knoppen: a title with the joined compound is boosted (12 x)");
    if (joined && !strstr(joined, "Sreageerknop"))
        printf("#   %s\n", joined);
    free(joined);
    joined = plan_described(analyzer, NULL, "de zorg");
    char *alone = plan_described(analyzer, NULL, "zorg");
    CHECK(joined && !strstr(joined, "Edezorg") && alone && !strstr(alone, "Ezorgzorg"),
          "no joined form of a short word, nor of one word");
    free(joined);
    free(alone);
    vind_synonyms_free(synonyms);
    remove(translations);
    vind_analyzer_free(analyzer);
}

/* Threads: one searcher per thread over a shared lexicon (as in searchd). */
typedef struct {
    vind_lexicon_t *lexicon;
    int ok;
} worker_t;

static const char *const thread_queries[] = {"clienten", "zorg -verpleeghuis", "tuin jongeren",
                                             "ggz",      "verpleeg*",          "tag:ggz"};
static const size_t thread_totals[] = {2, 0, 2, 3, 2, 2};

static void *worker(void *arg)
{
    worker_t *w = arg;
    vind_searcher_t *searcher = NULL;
    if (vind_searcher_open(db, w->lexicon, &searcher, NULL) != VIND_OK)
        return NULL;
    w->ok = 1;
    for (int round = 0; round < 20; round++)
        for (size_t q = 0; q < sizeof thread_queries / sizeof thread_queries[0]; q++) {
            vind_search_request_t req;
            vind_search_request_init(&req);
            req.query = thread_queries[q];
            req.facets = 1;
            vind_results_t *r = NULL;
            if (vind_search(searcher, &req, &r, NULL) != VIND_OK ||
                (thread_totals[q] &&
                 vind_results_total(r) + vind_results_fallback_total(r) < thread_totals[q]))
                w->ok = 0;
            vind_results_free(r);
        }
    vind_searcher_close(searcher);
    return NULL;
}

static void test_threads(vind_lexicon_t *lexicon)
{
    enum { THREADS = 4 };
    pthread_t threads[THREADS];
    worker_t workers[THREADS];
    for (int i = 0; i < THREADS; i++) {
        workers[i] = (worker_t){.lexicon = lexicon};
        pthread_create(&threads[i], NULL, worker, &workers[i]);
    }
    int ok = 1;
    for (int i = 0; i < THREADS; i++) {
        pthread_join(threads[i], NULL);
        ok &= workers[i].ok;
    }
    CHECK(ok, "four threads search at once, each with its own searcher");
}

/* Writes page, indexes the site again and reopens searcher: 1 when the
 * searcher then sees a new revision. */
static int rewrite_and_reopen(vind_searcher_t *searcher, vind_lexicon_t *lexicon,
                              const page_t *page)
{
    write_page(page);
    char site[128];
    snprintf(site, sizeof site, "%s/site", root);
    vind_index_report_t report;
    int changed = 0;
    return index_folder(lexicon, db, site, &report) &&
           vind_searcher_reopen(searcher, &changed, NULL) == VIND_OK && changed;
}

/* Ties by URL whatever the indexing order: a page added later (a higher
 * docid) whose URL sorts first must come first among equal scores. */
static void test_ties_after_update(vind_searcher_t *searcher, vind_lexicon_t *lexicon)
{
    page_t late = {"aaa-regio", "Regio laat", "2017-02-02", {"Regio"}, "Bestuur", "Laat erbij."};
    CHECK(rewrite_and_reopen(searcher, lexicon, &late), "a later run is seen after reopen");
    vind_search_request_t req;
    vind_search_request_init(&req);
    req.query = "tag:Regio";
    req.limit = 2;
    vind_results_t *r = NULL;
    vind_search(searcher, &req, &r, NULL);
    CHECK(r && vind_results_total(r) == 13 && vind_results_count(r) == 2 &&
              strcmp(vind_results_get(r, 0)->url, "/aaa-regio/") == 0 &&
              strcmp(vind_results_get(r, 1)->url, "/regio-00/") == 0,
          "equal scores are ordered by URL, not by indexing order");
    vind_results_free(r);
}

/* Every answer (JSON: hits, snippets, facets) of a few queries, joined. */
static char *answers(vind_searcher_t *searcher)
{
    static const char *const queries[] = {"zorg", "clienten", "bewoner*", "tuin jongeren",
                                          "\"langdurige zorg\"", "erbij", "tag:Regio"};
    GString *all = g_string_new(NULL);
    for (size_t i = 0; i < G_N_ELEMENTS(queries); i++) {
        vind_search_request_t req;
        vind_search_request_init(&req);
        req.query = queries[i];
        req.snippets = 1;
        req.facets = 1;
        vind_results_t *r = NULL;
        char *json = vind_search(searcher, &req, &r, NULL) == VIND_OK ? vind_results_to_json(r) : NULL;
        g_string_append(all, json ? json : "(failed)");
        free(json);
        vind_results_free(r);
    }
    return g_string_free(all, FALSE);
}

/* Issue 12: the searcher's cache of stored text and records answers what
 * the index says, whatever its size (none, a few entries evicted all the
 * time, the default), and nothing read at an older revision after a
 * reopen: a page's new text shows in its snippet, not the old one. */
static void test_read_cache(vind_searcher_t *searcher, vind_lexicon_t *lexicon)
{
    vind_searcher_set_cache_size(searcher, 0);
    char *uncached = answers(searcher);
    vind_searcher_set_cache_size(searcher, 3000);
    char *small = answers(searcher);
    vind_searcher_set_cache_size(searcher, VIND_READ_CACHE_BYTES);
    char *cold = answers(searcher), *warm = answers(searcher);
    CHECK(strcmp(uncached, small) == 0 && strcmp(uncached, cold) == 0 &&
              strcmp(uncached, warm) == 0,
          "the same answers with no read cache, a tiny one and the default, cold and warm");
    g_free(uncached), g_free(small), g_free(cold), g_free(warm);

    page_t late = {"aaa-regio", "Regio laat", "2017-02-02", {"Regio"}, "Bestuur",
                   "Sinds vandaag staat de zonnewijzer erbij in de tuin."};
    CHECK(rewrite_and_reopen(searcher, lexicon, &late), "the page's new text is committed and seen");
    vind_search_request_t req;
    vind_search_request_init(&req);
    req.query = "erbij";
    req.snippets = 1;
    vind_results_t *r = NULL;
    vind_search(searcher, &req, &r, NULL);
    const vind_hit_t *hit = r && vind_results_count(r) ? vind_results_get(r, 0) : NULL;
    CHECK(hit && hit->snippet && strstr(hit->snippet, "zonnewijzer") &&
              !strstr(hit->snippet, "Laat erbij"),
          "after a reopen the snippet shows the page's new text, not the cached old one");
    if (hit && hit->snippet)
        printf("# snippet: %s\n", hit->snippet);
    vind_results_free(r);
}

/* A string field of a record as a hit shows it: NULL when absent or "". */
static const char *record_field(json_t *record, const char *key)
{
    const char *value = json_string_value(json_object_get(record, key));
    return value && *value ? value : NULL;
}

static int same_field(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static int same_list(json_t *array, const char *const *items, size_t n)
{
    if (json_array_size(array) != n)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!same_field(json_string_value(json_array_get(array, i)), items[i]))
            return 0;
    return 1;
}

/* Issue 12: hits are filled from the hit record (lib/hitrecord.h), not the
 * stored record's JSON; every field must be what the record says. */
static void test_hit_records(vind_searcher_t *searcher)
{
    vind_search_request_t req;
    vind_search_request_init(&req);
    req.query = "";
    req.limit = 0;
    vind_results_t *r = NULL;
    CHECK_INT(vind_search(searcher, &req, &r, NULL), VIND_OK, "every document");
    size_t same = 0, n = r ? vind_results_count(r) : 0;
    for (size_t i = 0; i < n; i++) {
        const vind_hit_t *hit = vind_results_get(r, i);
        char *text = NULL;
        if (vind_searcher_document(searcher, hit->url, 0, &text, NULL) != VIND_OK)
            continue;
        json_t *record = json_loads(text, 0, NULL);
        free(text);
        const char *parent = json_string_value(json_object_get(json_object_get(record, "parent"), "url"));
        if (!parent)
            parent = record_field(record, "parent");
        int ok = same_field(hit->url, record_field(record, "url")) &&
                 same_field(hit->title, record_field(record, "title")) &&
                 same_field(hit->type, record_field(record, "type")) &&
                 same_field(hit->date, record_field(record, "date")) &&
                 same_field(hit->author, record_field(record, "author")) &&
                 same_field(hit->description, record_field(record, "description")) &&
                 same_field(hit->parent, parent) &&
                 same_list(json_object_get(record, "tags"), hit->tags, hit->n_tags) &&
                 same_list(json_object_get(record, "themes"), hit->themes, hit->n_themes);
        if (!ok)
            printf("# hit %s differs from its record\n", hit->url);
        same += ok;
        json_decref(record);
    }
    CHECK(n == 17 && same == n, "every hit shows what its stored record holds");
    vind_results_free(r);
}

int main(void)
{
    vind_lexicon_t *lexicon = NULL;
    char *errmsg = NULL;
    if (vind_lexicon_open(NULL, &lexicon, &errmsg) != VIND_OK) {
        printf("# %s\n", errmsg ? errmsg : "no lexicon");
        free(errmsg);
        SKIP("no lexicon data (run make first)");
        return check_done();
    }
    snprintf(root, sizeof root, "/tmp/vind-search-XXXXXX");
    if (!mkdtemp(root)) {
        SKIP("mkdtemp failed");
        vind_lexicon_close(lexicon);
        return check_done();
    }
    vind_searcher_t *missing = NULL;
    char *msg = NULL;
    CHECK_INT(vind_searcher_open("/nonexistent/vind-db", lexicon, &missing, &msg), VIND_NOT_FOUND,
              "opening a missing index: NOT_FOUND");
    free(msg);
    CHECK(build_index(lexicon), "the tiny index is built");
    vind_searcher_t *searcher = NULL;
    vind_status_t status = vind_searcher_open(db, lexicon, &searcher, &errmsg);
    CHECK_INT(status, VIND_OK, "searcher opens");
    if (status != VIND_OK) {
        printf("# %s\n", errmsg ? errmsg : "?");
        free(errmsg);
    } else {
        CHECK_INT(vind_searcher_doc_count(searcher), 17, "17 documents");
        test_forms(searcher);
        test_operators(searcher);
        test_fallback(searcher);
        test_facets(searcher);
        test_passes(searcher);
        test_planned_words(searcher);
        test_sort_and_page(searcher);
        test_spelling_and_synonyms(searcher);
        test_limits(searcher);
        test_costly(searcher);
        test_count_limit(searcher);
        test_random_queries(searcher);
        test_json(searcher);
        test_hit_records(searcher);
        test_researcher(searcher);
        test_plan(searcher, lexicon);
        test_threads(lexicon);
        test_ties_after_update(searcher, lexicon);
        test_read_cache(searcher, lexicon);
        int changed = -1;
        CHECK_INT(vind_searcher_reopen(searcher, &changed, NULL), VIND_OK, "reopen");
        CHECK_INT(changed, 0, "nothing changed");
    }
    vind_searcher_close(searcher);
    vind_lexicon_close(lexicon);
    char command[128];
    snprintf(command, sizeof command, "rm -rf '%s'", root);
    if (system(command) != 0)
        printf("# could not remove %s\n", root);
    return check_done();
}
