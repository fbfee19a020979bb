/* test_spelling.c - what spelling does with a query word, by what OpenTaal's
 * dictionary says of it (lib/suggest.c): a typo the dictionary lacks is
 * searched with its correction or offered; a correct Dutch word is never
 * searched as another word, gets no "Bedoelde je" when the site has it and at
 * most the offer of another dictionary word when the site lacks it; names and
 * acronyms are never corrected. Over a tiny index built for the purpose. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include <vind/index.h>
#include <vind/search.h>
#include "check.h"
#include "index_folder.h"
#include "lexicon_open.h"
#include "temp_tree.h"

static char root[64];
static char db[128];

static void write_page(const char *slug, const char *body)
{
    char *html = g_strdup_printf("<!DOCTYPE html><html lang=\"nl\"><head><meta charset=\"utf-8\">"
                                 "<title>%s</title></head><body><article><h1>%s</h1><p>%s</p>"
                                 "</article></body></html>",
                                 slug, slug, body);
    write_test_page(root, "site", slug, html);
    g_free(html);
}

/* Twelve pages make "gemaakt", "organisatie", "kasper", "bakker", "irc",
 * "congres" and "speelgoed" frequent; two rare words each have one page. */
static int build_index(vind_lexicon_t *lexicon)
{
    for (int i = 0; i < 12; i++) {
        char slug[32];
        snprintf(slug, sizeof slug, "verslag-%02d", i);
        write_page(slug, "Het plan is gemaakt door de organisatie met Kasper, de bakker, op IRC "
                         "tijdens het congres, met speelgoed.");
    }
    write_page("staking", "Het werk is gestaakt. Zie ook PFCongres. De groep speelt.");
    write_page("tikfout", "Een organistaie in de regio.");
    snprintf(db, sizeof db, "%s/db", root);
    char site[128];
    snprintf(site, sizeof site, "%s/site", root);
    vind_index_report_t report;
    return index_folder(lexicon, db, site, &report) && report.indexed == 14;
}

/* The first page (10 results), as vind_search_request_init asks for. */
static vind_results_t *search(vind_searcher_t *searcher, const char *query)
{
    return search_test_index(searcher, query, 0, 10, VIND_SORT_RELEVANCE);
}

/* Checks one query: the documents it lists (with every word, then with
 * some), its suggestion (NULL: none) and whether that was searched. */
static void expect(vind_searcher_t *searcher, const char *query, uint64_t listed,
                   const char *suggestion, int corrected, const char *what)
{
    vind_results_t *r = search(searcher, query);
    int ok = r && vind_results_total(r) + vind_results_fallback_total(r) == listed &&
             vind_results_corrected(r) == corrected &&
             ((!suggestion && !vind_results_suggestion(r)) ||
              (suggestion && vind_results_suggestion(r) &&
               strcmp(vind_results_suggestion(r), suggestion) == 0));
    if (!CHECK(ok, what) && r)
        printf("#   \"%s\": total %llu + %llu, suggestion \"%s\", corrected %d\n", query,
               (unsigned long long)vind_results_total(r),
               (unsigned long long)vind_results_fallback_total(r),
               vind_results_suggestion(r) ? vind_results_suggestion(r) : "(null)",
               vind_results_corrected(r));
    vind_results_free(r);
}

static void test_typos(vind_searcher_t *searcher)
{
    expect(searcher, "organsiatie", 12, "organisatie", 1,
           "a typo no document has is searched with its correction");
    expect(searcher, "organistaie", 1, "organisatie", 0,
           "a rare typo the site has is offered its correction, not searched");
    expect(searcher, "irx", 12, "irc", 1, "an unlisted word typed in lower case is a typo");
    expect(searcher, "pfcongres", 1, "congres", 0, "so is a rare one in lower case");
    expect(searcher, "ORGANSIATIE", 12, "organisatie", 1,
           "a long word in capitals is no acronym: still a typo");
}

static void test_dutch_words(vind_searcher_t *searcher)
{
    expect(searcher, "kapper", 0, NULL, 0,
           "kapper, which the site lacks, is not searched as the name kasper: no results");
    expect(searcher, "gestaakt", 1, NULL, 0,
           "gestaakt, which the site has, gets no \"Bedoelde je gemaakt?\"");
    expect(searcher, "bakken", 0, "bakker", 0,
           "a Dutch word the site lacks may be offered another dictionary word, not searched");
    expect(searcher, "speelgroep", 1, NULL, 0,
           "a compound the site has only in parts is searched by them: no \"speelgoed?\"");
    expect(searcher, "kapper bakker", 12, NULL, 0,
           "with another word, the missing one relaxes to any word rather than a look-alike");
}

/* The words no document has, as vind_results_absent lists them ("" none). */
static void expect_absent(vind_searcher_t *searcher, const char *query, const char *absent,
                          const char *what)
{
    vind_results_t *r = search(searcher, query);
    GString *found = g_string_new(NULL);
    for (size_t i = 0; r && i < vind_results_absent_count(r); i++)
        g_string_append_printf(found, "%s%s", i ? " " : "", vind_results_absent(r, i));
    if (!CHECK(r && strcmp(found->str, absent) == 0, what))
        printf("#   \"%s\": absent \"%s\", expected \"%s\"\n", query, found->str, absent);
    g_string_free(found, TRUE);
    vind_results_free(r);
}

static void test_absent(vind_searcher_t *searcher)
{
    expect_absent(searcher, "kapper bakker", "kapper",
                  "no document has every word: the one no document has is named (kapper)");
    expect_absent(searcher, "Kapper kniptang bakker", "Kapper kniptang",
                  "each such word, as typed, in query order");
    expect_absent(searcher, "speelgroep kapper", "kapper",
                  "a compound whose parts the site has is not named (speelgroep)");
    expect_absent(searcher, "organsiatie kapper", "kapper",
                  "nor a typo searched with its correction (organsiatie)");
    expect_absent(searcher, "bakker congres", "", "every word found: nothing named");
    expect_absent(searcher, "kapper", "", "one word: 'Geen resultaten voor kapper' names it");
}

static void test_names(vind_searcher_t *searcher)
{
    expect(searcher, "NRC", 0, NULL, 0, "a name of the dictionary is not corrected (irc)");
    expect(searcher, "nrc", 0, NULL, 0, "nor when typed in lower case");
    expect(searcher, "IRX", 0, NULL, 0, "an acronym as typed is not corrected");
    expect(searcher, "PFCongres", 1, NULL, 0, "nor a name with capitals inside");
}

int main(void)
{
    vind_lexicon_t *lexicon = open_lexicon_and_temp_tree(root, sizeof root, "spelling");
    if (!lexicon)
        return check_done();
    CHECK(build_index(lexicon), "the tiny index is built");
    vind_searcher_t *searcher = open_built_index(db, lexicon);
    if (searcher) {
        test_typos(searcher);
        test_dutch_words(searcher);
        test_names(searcher);
    test_absent(searcher);
    }
    vind_searcher_close(searcher);
    vind_lexicon_close(lexicon);
    remove_tree(root);
    return check_done();
}
