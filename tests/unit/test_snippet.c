/* test_snippet.c - snippets: every form of a query word marked, everything
 * escaped, cuts between words and never inside a UTF-8 sequence, PDF pages,
 * empty and unmatched texts, hostile texts, and the time a 1 MB text and a
 * 300-page text take. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <glib.h>
#include <vind/analyze.h>
#include "snippet.h"
#include "check.h"

static vind_analyzer_t *analyzer;

/* Timings are printed as diagnostics only: a pass/fail test never asserts
 * one (make bench measures; test_textstore bounds the bytes a snippet reads). */

/* Match terms for the words of a query, as lib/query.c collects them. */
static vind_match_terms_t *terms_for(const char *words, const char *prefix)
{
    vind_match_terms_t *terms = vind_match_terms_new();
    gchar **list = g_strsplit(words, " ", -1);
    for (gchar **w = list; *w; w++) {
        if (!**w)
            continue;
        char *stem = vind_analyze_word(analyzer, *w, VIND_LANG_NL);
        if (stem)
            vind_match_terms_add_stem(terms, stem);
        free(stem);
    }
    g_strfreev(list);
    if (prefix)
        vind_match_terms_add_prefix(terms, prefix);
    return terms;
}

typedef struct {
    char *html;
    unsigned *pages;
    size_t n_pages;
    double ms;
    vind_status_t status;
} snippet_t;

static snippet_t make(const char *const *pages, size_t n_pages, const char *words,
                      const char *prefix, unsigned target)
{
    snippet_t s = {0};
    vind_match_terms_t *terms = terms_for(words, prefix);
    char *errmsg = NULL;
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    s.status = vind_snippet_make(analyzer, VIND_LANG_NL, pages, n_pages, terms, target, &s.html,
                                 &s.pages, &s.n_pages, &errmsg);
    clock_gettime(CLOCK_MONOTONIC, &b);
    s.ms = (double)(b.tv_sec - a.tv_sec) * 1e3 + (double)(b.tv_nsec - a.tv_nsec) / 1e6;
    if (s.status != VIND_OK)
        printf("# vind_snippet_make: %s\n", errmsg ? errmsg : "?");
    free(errmsg);
    vind_match_terms_free(terms);
    return s;
}

static snippet_t make_one(const char *text, const char *words)
{
    const char *pages[] = {text};
    return make(pages, 1, words, NULL, 200);
}

static void clear(snippet_t *s)
{
    free(s->html);
    free(s->pages);
}

static int contains(const char *haystack, const char *needle)
{
    return haystack && strstr(haystack, needle) != NULL;
}

/* No markup in the snippet except <mark> and </mark>. */
static int only_marks(const char *html)
{
    for (const char *p = html; p && (p = strchr(p, '<')); p++)
        if (strncmp(p, "<mark>", 6) != 0 && strncmp(p, "</mark>", 7) != 0)
            return 0;
    return html && !strchr(html, '"') && !strchr(html, '\'');
}

static size_t count_of(const char *haystack, const char *needle)
{
    size_t n = 0;
    for (const char *p = haystack; p && (p = strstr(p, needle)); p += strlen(needle))
        n++;
    return n;
}

static void test_forms(void)
{
    snippet_t s = make_one("De bewoners van het verpleeghuis en één Bewoner die alleen woont. "
                           "Cliënten en clienten krijgen verpleeghuiszorg.",
                           "bewoner clienten zorg");
    CHECK(s.status == VIND_OK, "a snippet is made");
    CHECK(contains(s.html, "<mark>bewoners</mark>"), "bewoner marks the plural bewoners");
    CHECK(contains(s.html, "<mark>Bewoner</mark>"), "bewoner marks Bewoner (capital)");
    CHECK(contains(s.html, "<mark>Cliënten</mark>"), "clienten marks Cliënten (diaeresis)");
    CHECK(contains(s.html, "<mark>clienten</mark>"), "clienten marks clienten");
    CHECK(contains(s.html, "<mark>verpleeghuiszorg</mark>"),
          "zorg marks the compound verpleeghuiszorg");
    CHECK(!contains(s.html, "<mark>verpleeghuis</mark>"), "verpleeghuis alone is not marked");
    CHECK(!contains(s.html, "…"), "a short text is shown whole, without ellipsis");
    printf("# %s\n", s.html);
    clear(&s);

    const char *pages[] = {"Het verpleegkundig team en de verpleeghuizen werken samen."};
    s = make(pages, 1, "", "verpleeg", 200);
    CHECK(contains(s.html, "<mark>verpleegkundig</mark>") &&
              contains(s.html, "<mark>verpleeghuizen</mark>"),
          "a prefix (verpleeg*) marks every word it starts");
    clear(&s);
}

static void test_escaping(void)
{
    snippet_t s = make_one("Titel <script>alert('x')</script> & <img src=x onerror=\"alert(1)\"> "
                           "over de bewoners <b>vet</b>.",
                           "bewoner script img");
    CHECK(s.status == VIND_OK && only_marks(s.html),
          "markup, quotes and apostrophes of the text are escaped");
    CHECK(contains(s.html, "&lt;") && contains(s.html, "&amp;") && contains(s.html, "&quot;") &&
              contains(s.html, "&#39;"),
          "& < \" ' become entities");
    CHECK(contains(s.html, "<mark>bewoners</mark>"), "the match is still marked");
    CHECK(contains(s.html, "<mark>script</mark>"), "a word inside markup is marked as text");
    printf("# %s\n", s.html);
    clear(&s);

    char *e = vind_html_escape("a<b>&\"c'\n", 9);
    CHECK_STR(e, "a&lt;b&gt;&amp;&quot;c&#39;\n", "vind_html_escape escapes & < > \" '");
    free(e);
    e = vind_html_escape("ok\xff\xfe", 4);
    CHECK(e && g_utf8_validate(e, -1, NULL) && contains(e, "\xef\xbf\xbd"),
          "vind_html_escape repairs invalid UTF-8");
    free(e);
    e = vind_html_escape(NULL, 0);
    CHECK_STR(e, "", "vind_html_escape of nothing is empty");
    free(e);
}

static void test_cuts(void)
{
    GString *text = g_string_new("");
    for (int i = 0; i < 60; i++)
        g_string_append(text, "één cliënté ça déjà vu “citaat” naïeve coöperatie ");
    g_string_append(text, "hier wonen de bewoners van het huis. ");
    for (int i = 0; i < 60; i++)
        g_string_append(text, "één cliënté ça déjà vu “citaat” naïeve coöperatie ");
    snippet_t s = make_one(text->str, "bewoner");
    CHECK(s.html && g_utf8_validate(s.html, -1, NULL), "a cut text stays valid UTF-8");
    CHECK(contains(s.html, "<mark>bewoners</mark>"), "the match in the middle is shown");
    CHECK(g_str_has_prefix(s.html, "… ") && g_str_has_suffix(s.html, " …"),
          "a passage inside the text starts and ends with an ellipsis");
    long chars = g_utf8_strlen(s.html, -1) - 2 * (long)strlen("<mark></mark>") / 2;
    CHECK(chars > 120 && chars < 260, "about 200 characters");
    printf("# %ld chars: %s\n", chars, s.html);
    /* Every word of the passage is a whole word of the text. */
    gchar **words = g_strsplit(s.html, " ", -1);
    int whole = 1;
    for (gchar **w = words; *w; w++) {
        const char *word = *w;
        if (!*word || strcmp(word, "…") == 0 || g_str_has_prefix(word, "<mark>"))
            continue;
        char *pattern = g_strdup_printf(" %s ", word);
        if (!strstr(text->str, pattern))
            whole = 0, printf("# cut word: %s\n", word);
        g_free(pattern);
    }
    g_strfreev(words);
    CHECK(whole, "the passage is cut between words");
    clear(&s);
    g_string_free(text, TRUE);

    snippet_t lines = make_one("regel een\n\n  regel   twee\tmet\r\nde bewoners\n", "bewoner");
    CHECK_STR(lines.html, "regel een regel twee met de <mark>bewoners</mark>",
              "white space and line breaks become single spaces");
    clear(&lines);

    snippet_t bad = make_one("de bewoners \xff\xfe van \xc3 het huis", "bewoner");
    CHECK(bad.html && g_utf8_validate(bad.html, -1, NULL) && contains(bad.html, "<mark>"),
          "invalid UTF-8 in the text gives a valid snippet with its match");
    clear(&bad);
}

static void test_pages(void)
{
    const char *pages[] = {"Inleiding over het onderzoek naar de zorg.",
                           "Op deze pagina staan de bewoners van Utrecht centraal.",
                           "Bijlagen en tabellen."};
    snippet_t s = make(pages, 3, "bewoner", NULL, 200);
    CHECK(s.n_pages == 1 && s.pages && s.pages[0] == 2, "a match on page 2 reports page 2");
    CHECK(contains(s.html, "<mark>bewoners</mark>"), "and shows it");
    clear(&s);

    GString *filler = g_string_new("");
    for (int i = 0; i < 40; i++)
        g_string_append(filler, "Dit rapport beschrijft de resultaten van het onderzoek. ");
    char *first = g_strdup_printf("%s De coördinatoren overleggen. %s", filler->str, filler->str);
    char *third = g_strdup_printf("%s Het verpleeghuis sluit. %s", filler->str, filler->str);
    const char *two[] = {first, filler->str, third};
    s = make(two, 3, "coordinator verpleeghuis", NULL, 200);
    CHECK(s.n_pages == 2 && s.pages[0] == 1 && s.pages[1] == 3,
          "two words far apart: two passages, pages 1 and 3");
    CHECK(contains(s.html, "<mark>coördinatoren</mark>") &&
              contains(s.html, "<mark>verpleeghuis</mark>") && count_of(s.html, " … ") >= 1,
          "both marked, joined by an ellipsis");
    printf("# %s\n", s.html);
    clear(&s);
    g_free(first);
    g_free(third);
    g_string_free(filler, TRUE);

    /* A phrase query ("toelichting blijkt onvoldoende") matched where its
     * words stand side by side: that page wins over a page where they are
     * scattered, even more often. */
    const char *phrase[] = {"De toelichting is kort. Het blijkt dat de toelichting op punten "
                            "onvoldoende is, en het blijkt ook onvoldoende.",
                            "Uit de stukken: toelichting blijkt onvoldoende voor een oordeel."};
    s = make(phrase, 2, "toelichting blijkt onvoldoende", NULL, 200);
    CHECK(s.n_pages == 1 && s.pages[0] == 2 &&
              contains(s.html, "<mark>toelichting</mark> <mark>blijkt</mark> "
                               "<mark>onvoldoende</mark>"),
          "words side by side (a phrase) beat the same words scattered");
    clear(&s);
}

static void test_empty(void)
{
    snippet_t s = make(NULL, 0, "bewoner", NULL, 200);
    CHECK(s.status == VIND_OK && s.html && strcmp(s.html, "") == 0 && s.n_pages == 0 && !s.pages,
          "no pages: an empty snippet and no page numbers");
    clear(&s);
    const char *blank[] = {"", "  \n "};
    s = make(blank, 2, "bewoner", NULL, 200);
    CHECK_STR(s.html, "", "blank pages: an empty snippet");
    clear(&s);
    s = make_one("", "");
    CHECK_STR(s.html, "", "empty text, empty query: empty snippet");
    clear(&s);

    GString *text = g_string_new("");
    for (int i = 0; i < 30; i++)
        g_string_append_printf(text, "Zin nummer %d over het weer in Nederland. ", i);
    s = make_one(text->str, "bewoner");
    CHECK(s.html && g_str_has_prefix(s.html, "Zin nummer 0") && !contains(s.html, "<mark>") &&
              g_str_has_suffix(s.html, " …"),
          "no match: the start of the text, cut with an ellipsis");
    clear(&s);
    s = make_one(text->str, "");
    CHECK(s.html && g_str_has_prefix(s.html, "Zin nummer 0"), "no query words: the start");
    clear(&s);
    const char *later[] = {"", "Tweede pagina begint hier."};
    s = make(later, 2, "bewoner", NULL, 200);
    CHECK(s.n_pages == 1 && s.pages[0] == 2 && contains(s.html, "Tweede"),
          "no match: the first page with text, and its number");
    clear(&s);
    g_string_free(text, TRUE);
}

static void test_large(void)
{
    /* 1 MB of text, the only match near the end. */
    GString *text = g_string_new("");
    while (text->len < 1024 * 1024)
        g_string_append(text, "Het onderzoek beschrijft de gevolgen van het beleid voor "
                              "gemeenten en hun inwoners in de periode daarna. ");
    g_string_append(text, "Tot slot: de bewoners van het verpleeghuis zijn tevreden. Einde.");
    snippet_t s = make_one(text->str, "bewoner verpleeghuis");
    CHECK(contains(s.html, "<mark>bewoners</mark>") &&
              contains(s.html, "<mark>verpleeghuis</mark>"),
          "1 MB text: the match at the end is found");
    printf("# 1 MB text: %.1f ms\n", s.ms);
    clear(&s);

    /* Many matches of a frequent word, and the plural by the lexicon only. */
    s = make_one(text->str, "gemeente onderzoek");
    CHECK(contains(s.html, "<mark>gemeenten</mark>") && contains(s.html, "<mark>onderzoek</mark>"),
          "1 MB text full of matches: both words in one passage");
    printf("# 1 MB text, frequent words: %.1f ms\n", s.ms);
    clear(&s);
    g_string_free(text, TRUE);

    /* A 1 MB "word" (base64 in a text layer) and 1 MB of NULs. */
    char *word = malloc(1024 * 1024 + 1);
    memset(word, 'a', 1024 * 1024);
    word[1024 * 1024] = '\0';
    s = make_one(word, "bewoner");
    CHECK(s.status == VIND_OK && s.html && strlen(s.html) < 2000,
          "a 1 MB word: a bounded snippet, no hang");
    printf("# 1 MB word: %.1f ms\n", s.ms);
    clear(&s);
    /* The 1 MB word is the match (a prefix query, or its 64-byte term): the
     * passage held the whole token, a 1 MB snippet in every answer that
     * listed the page (session 9's probe: /api/search?q=w* was 1 MB a hit). */
    const char *pages_of_word[] = {word};
    s = make(pages_of_word, 1, "", "aaaa", 200);
    CHECK(s.status == VIND_OK && s.html && strlen(s.html) < 2000 &&
              g_str_has_prefix(s.html, "<mark>a") && g_str_has_suffix(s.html, "</mark> …"),
          "a 1 MB word that matches (prefix aaaa*): a snippet of ~200 characters, marked, "
          "cut with an ellipsis");
    printf("# 1 MB matching word: %zu bytes\n", s.html ? strlen(s.html) : 0);
    clear(&s);
    char *term = g_strndup(word, 64);
    GString *around = g_string_new("Voor het woord ");
    g_string_append(around, word);
    g_string_append(around, " en erna.");
    s = make_one(around->str, term);
    CHECK(s.status == VIND_OK && s.html && strlen(s.html) < 2000 && contains(s.html, "<mark>a"),
          "a 1 MB word that matches its 64-byte term: a bounded snippet, marked");
    clear(&s);
    g_string_free(around, TRUE);
    g_free(term);
    free(word);

    /* 300 pages of 3 kB; the plural "huizen" (stem of "huis" by the lexicon)
     * on page 250 only. */
    GString *page = g_string_new("");
    while (page->len < 3000)
        g_string_append(page, "De resultaten van de enquête worden per regio besproken. ");
    char **pages = calloc(300, sizeof *pages);
    for (int i = 0; i < 300; i++)
        pages[i] = i == 249
                       ? g_strdup_printf("%s Nieuwe huizen in de wijk. %s", page->str, page->str)
                       : g_strdup(page->str);
    s = make((const char *const *)pages, 300, "huis", NULL, 200);
    CHECK(contains(s.html, "<mark>huizen</mark>") && s.n_pages == 1 && s.pages[0] == 250,
          "300 pages: huizen for huis found on page 250");
    printf("# 300 pages: %.1f ms\n", s.ms);
    clear(&s);
    for (int i = 0; i < 300; i++)
        g_free(pages[i]);
    free(pages);
    g_string_free(page, TRUE);
}

/* The longest PDF text of the shared corpus, when it is there. */
static void test_corpus(void)
{
    const char *corpus = getenv("CORPUS");
    char *path = g_strdup_printf("%s/pdf/text/coronamelder-duidingsrapportage-2020-09-28.pdf.txt",
                                 corpus ? corpus : "/work/shared/corpus");
    gchar *text = NULL;
    gsize length = 0;
    if (!g_file_get_contents(path, &text, &length, NULL)) {
        SKIP("corpus PDF text not found (set CORPUS)");
        g_free(path);
        return;
    }
    /* pdftotext separates pages with form feeds. */
    gchar **pages = g_strsplit(text, "\f", -1);
    size_t n = g_strv_length(pages);
    const char *queries[] = {"privacy", "bluetooth gezondheid", "ggd besmetting melding",
                             "zzzonbekend"};
    double worst = 0;
    for (size_t q = 0; q < G_N_ELEMENTS(queries); q++) {
        snippet_t s = make((const char *const *)pages, n, queries[q], NULL, 200);
        if (s.ms > worst)
            worst = s.ms;
        printf("# %zu pages, \"%s\": %.1f ms, page %u: %s\n", n, queries[q], s.ms,
               s.n_pages ? s.pages[0] : 0, s.html ? s.html : "(null)");
        CHECK(s.status == VIND_OK && s.html && g_utf8_validate(s.html, -1, NULL),
              "a corpus PDF gives a valid snippet");
        clear(&s);
    }
    printf("# the longest corpus PDF: slowest snippet %.1f ms (timings are for make bench)\n", worst);
    g_strfreev(pages);
    g_free(text);
    g_free(path);
}

/* Issue 13: an English document's match terms are the query's (a copy with
 * the same ids) plus each translation as an alias of its Dutch word: one
 * term id, so a snippet counts "key" and "sleutel" as one query word. */
static void test_aliases(void)
{
    vind_match_terms_t *terms = vind_match_terms_new();
    vind_match_terms_add_stem(terms, "sleutel");
    vind_match_terms_add_prefix(terms, "publi");
    vind_match_terms_add_stem(terms, "open");
    vind_match_terms_t *english = vind_match_terms_copy(terms);
    vind_match_terms_add_alias(english, "key", "sleutel");
    vind_match_terms_add_alias(english, "lock", "ontbreekt"); /* no such word: a term of its own */
    unsigned id = 0, key_id = 0, lock_id = 0, open_id = 0, copied_open = 0;
    CHECK(vind_match_terms_stems(terms) == 2 && vind_match_terms_stems(english) == 4,
          "the copy has the query's 2 stems and 2 more");
    CHECK_STR(vind_match_terms_stem(english, 0, &id), "sleutel", "the copy keeps the order");
    vind_match_terms_stem(english, 2, &key_id);
    vind_match_terms_stem(english, 3, &lock_id);
    vind_match_terms_stem(terms, 1, &open_id);
    vind_match_terms_stem(english, 1, &copied_open);
    CHECK(key_id == id, "key has the id of sleutel");
    CHECK(copied_open == open_id && lock_id > open_id && lock_id != 1,
          "ids are kept; an alias of an absent word gets an id of its own");
    CHECK(vind_match_terms_prefixes(english) == 1, "the copy keeps the prefix");
    vind_tokens_t *tokens = NULL;
    const char *text = "the public key";
    int key_in_english = 0, key_in_dutch = 0;
    if (vind_analyze(analyzer, text, strlen(text), VIND_LANG_EN, &tokens, NULL) == VIND_OK) {
        for (size_t i = 0; i < vind_tokens_count(tokens); i++) {
            const vind_token_t *token = vind_tokens_get(tokens, i);
            if (strcmp(token->form, "key") == 0) {
                key_in_english = vind_match_terms_match(english, token);
                key_in_dutch = vind_match_terms_match(terms, token);
            }
        }
        vind_tokens_free(tokens);
    }
    CHECK(key_in_english && !key_in_dutch, "'key' matches the English set only");
    vind_match_terms_free(english);
    vind_match_terms_free(terms);
}

int main(void)
{
    vind_lexicon_t *lexicon = NULL;
    char *errmsg = NULL;
    if (vind_lexicon_open(NULL, &lexicon, &errmsg) != VIND_OK ||
        vind_analyzer_new(lexicon, &analyzer, &errmsg) != VIND_OK) {
        printf("# %s\n", errmsg ? errmsg : "no lexicon");
        free(errmsg);
        SKIP("no lexicon data (run make first)");
        vind_lexicon_close(lexicon);
        return check_done();
    }
    vind_match_terms_t *terms = vind_match_terms_new();
    CHECK(vind_match_terms_empty(terms), "a new set of match terms is empty");
    vind_match_terms_add_stem(terms, "bewoner");
    vind_match_terms_add_stem(terms, "bewoner");
    CHECK(!vind_match_terms_empty(terms), "after a stem it is not");
    vind_match_terms_free(terms);
    vind_match_terms_free(NULL);

    test_forms();
    test_aliases();
    test_escaping();
    test_cuts();
    test_pages();
    test_empty();
    test_large();
    test_corpus();
    vind_analyzer_free(analyzer);
    vind_lexicon_close(lexicon);
    return check_done();
}
