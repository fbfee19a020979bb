/*
 * test_textstore.c - page text lives in the text store (lib/textstore.h),
 * not in the stored record, and a snippet reads only its window: on a
 * generated 2,000-page PDF (scripts/mkpdf.py) a search's snippets read and
 * analyse a bounded number of bytes, as few as for a 2-page PDF; the text
 * comes back whole through vind_searcher_document; the documents counted
 * are the real ones; a deleted document's text goes with it, and so do
 * the spelling words it stored (session 13).
 */
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>
#include <jansson.h>

#include <vind/index.h>
#include <vind/search.h>
#include "check.h"
#include "index_folder.h"
#include "searcher.h"
#include "snippet.h"
#include "textstore.h"

/* A snippet's text bytes read plus bytes analysed, per search of two hits:
 * a few windows of ~1 kB and the 4 kB chunks around them. The big PDF's
 * text is ~2 MB; the whole-text scan this replaces analysed 16-32 kB and
 * folded all of it. */
#define SNIPPET_BYTES_BOUND (64u * 1024u)

static char root[64];
static char mkpdf[512];

static const char *const words[] = {"de",      "zorg",     "wonen",   "bewoners", "gemeente",
                                    "rapport", "kwaliteit", "wijk",   "budget",   "personeel"};

/* paragraphs of four words, one rare word in paragraph `rare_at` */
static int write_pdf(const char *name, size_t paragraphs, size_t rare_at)
{
    char text[300], pdf[300];
    snprintf(text, sizeof text, "%s/%s.txt", root, name);
    snprintf(pdf, sizeof pdf, "%s/site/%s.pdf", root, name);
    FILE *f = fopen(text, "w");
    if (!f)
        return 0;
    unsigned seed = 7;
    for (size_t i = 0; i < paragraphs; i++) {
        for (int w = 0; w < 4; w++) {
            seed = seed * 1103515245u + 12345u;
            fprintf(f, "%s%s", w ? " " : "", i == rare_at && w == 2 ? "mantelzorgtoeslag"
                                                                   : words[(seed >> 16) % 10]);
        }
        fprintf(f, ".\n\n");
    }
    fclose(f);
    char *command = g_strdup_printf("python3 '%s' '%s' --title 'Rapport %s' '%s' >/dev/null",
                                    mkpdf, pdf, name, text);
    int ok = system(command) == 0;
    g_free(command);
    return ok;
}

/* A search with the request's defaults: the first 10 by relevance. */
static vind_results_t *search(vind_searcher_t *searcher, const char *query)
{
    return search_test_index(searcher, query, 0, 10, VIND_SORT_RELEVANCE);
}

static const vind_hit_t *hit_of(const vind_results_t *results, const char *url)
{
    for (size_t i = 0; results && i < vind_results_count(results); i++)
        if (strcmp(vind_results_get(results, i)->url, url) == 0)
            return vind_results_get(results, i);
    return NULL;
}

/* An article whose matches take every form: plural, compound part, diacritics;
 * and forms of one stem that a prefix splits ("loopt" and "liep" of "lopen",
 * "stad" and "steden", "gezorgd" and "zorgden"). */
static const char article[] =
    "<!DOCTYPE html><html lang=\"nl\"><head><meta charset=\"utf-8\"><title>Wonen</title></head>"
    "<body><article><h1>Wonen in het verpleeghuis</h1>"
    "<p>De bewoners van het verpleeghuis en één Bewoner die alleen woont. Cliënten en clienten "
    "krijgen verpleeghuiszorg. Over de wijk en het budget gaat dit stuk niet.</p>"
    "<p>Later in de tekst: de zorg voor bewoners, de thuiszorg in de wijk, de mantelzorg van "
    "familie, en nog eens verpleeghuizen en cliënten op een rij.</p>"
    "<p>Wie liep naar de stad, loopt nu door de steden; zij hebben gezorgd en zorgden voor "
    "elkaar.</p></article></body></html>";

/* An English article: its words have their places under English stems
 * ("running" and "runs" under "run", "runners" under "runner"), which a
 * prefix's Dutch stems do not hold (lib/stored.c, each_prefix_term). */
static const char english_article[] =
    "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Running</title></head>"
    "<body><article><h1>Running in the city</h1>"
    "<p>The runners ran through the cities. Running is what she runs for; the city cared, "
    "and caring runners are running still.</p></article></body></html>";

/* The stored snippet (matches from the index's places and the page maps)
 * equals the one made from the whole text in memory. A stem ending in '*'
 * is a form prefix. */
static void same_snippet(vind_searcher_t *searcher, const char *url, const char *const *stems,
                         const char *what)
{
    vind_match_terms_t *terms = vind_match_terms_new();
    for (const char *const *stem = stems; *stem; stem++) {
        size_t n = strlen(*stem);
        if (n > 1 && (*stem)[n - 1] == '*') {
            char *prefix = g_strndup(*stem, n - 1);
            vind_match_terms_add_prefix(terms, prefix);
            g_free(prefix);
        } else
            vind_match_terms_add_stem(terms, *stem);
    }
    char *unique = g_strconcat("Q", url, NULL);
    uint32_t docid = 0;
    json_t *record = NULL;
    char **pages = NULL, *stored = NULL, *memory = NULL;
    size_t n_pages = 0, n1 = 0, n2 = 0;
    unsigned *p1 = NULL, *p2 = NULL;
    if (vind_xapian_reader_docid_for_term(searcher->reader, unique, &docid, NULL) == VIND_OK &&
        vind_searcher_stored(searcher, docid, &record, NULL) == VIND_OK &&
        vind_stored_text(searcher, docid, record, &pages, &n_pages, NULL) == VIND_OK) {
        vind_stored_snippet(searcher, docid, record, terms, 200, &stored, &p1, &n1, NULL);
        vind_snippet_make(searcher->analyzer, vind_stored_lang(record), (const char *const *)pages,
                          n_pages,
                          terms, 200, &memory, &p2, &n2, NULL);
    }
    printf("# %s: %s\n", what, stored ? stored : "(none)");
    CHECK_STR(stored, memory, what);
    g_strfreev(pages);
    json_decref(record);
    free(stored);
    free(memory);
    free(p1);
    free(p2);
    g_free(unique);
    vind_match_terms_free(terms);
}

/* The snippet bytes (read + analysed) of one search. */
static uint64_t snippet_bytes(vind_searcher_t *searcher, const char *query,
                              vind_results_t **results)
{
    uint64_t read0, analysed0, read1, analysed1;
    vind_searcher_snippet_bytes(searcher, &read0, &analysed0);
    *results = search(searcher, query);
    vind_searcher_snippet_bytes(searcher, &read1, &analysed1);
    printf("# %s: %llu bytes read, %llu analysed\n", query,
           (unsigned long long)(read1 - read0), (unsigned long long)(analysed1 - analysed0));
    return (read1 - read0) + (analysed1 - analysed0);
}

/* The 1-based page of the stored text that holds word, 0 when none. */
static unsigned page_with(vind_searcher_t *searcher, const char *url, const char *word,
                          size_t *n_pages)
{
    char *json = NULL;
    unsigned page = 0;
    *n_pages = 0;
    if (vind_searcher_document(searcher, url, 1, &json, NULL) != VIND_OK)
        return 0;
    json_t *doc = json_loads(json, 0, NULL);
    json_t *text = json_object_get(doc, "text");
    *n_pages = json_array_size(text);
    for (size_t i = 0; i < *n_pages && !page; i++)
        if (strstr(json_string_value(json_array_get(text, i)), word))
            page = (unsigned)i + 1;
    json_decref(doc);
    free(json);
    return page;
}

/* Issue 12: every page length of a document of several pages comes from
 * its page directory in one read, not from a map read per page; and the
 * lengths are the pages' own. */
static void page_lengths_from_directory(vind_searcher_t *searcher, const char *url)
{
    char *json = NULL;
    uint32_t docid = 0;
    char term[300];
    snprintf(term, sizeof term, "Q%s", url);
    CHECK(vind_searcher_document(searcher, url, 1, &json, NULL) == VIND_OK &&
              vind_xapian_reader_docid_for_term(searcher->reader, term, &docid, NULL) == VIND_OK,
          "the PDF's text and docid");
    json_t *doc = json_loads(json ? json : "{}", 0, NULL);
    json_t *pages = json_object_get(doc, "text");
    size_t n = json_array_size(pages), same = 0;
    vind_text_t *text = vind_text_open(searcher->reader, docid, n);
    for (size_t i = 0; text && i < n; i++) {
        size_t length = 0;
        if (vind_text_page_length(text, i, &length, NULL) == VIND_OK &&
            length == strlen(json_string_value(json_array_get(pages, i))))
            same++;
    }
    uint64_t bytes = vind_text_bytes_read(text);
    printf("# %s: %zu pages, their lengths read in %llu bytes\n", url, n,
           (unsigned long long)bytes);
    CHECK(n > 1 && same == n, "every page's length is its text's");
    CHECK(bytes <= 8 * n + 8, "read from the page directory (a few bytes a page), not the maps");
    vind_text_close(text);
    json_decref(doc);
    free(json);
}

/* A reader of a new database under root/name that holds one page of
 * document docid (words: its map, may be NULL); NULL when that failed. */
static vind_xapian_reader_t *stored_page(const char *name, uint32_t docid, char *page,
                                         GArray *words)
{
    char path[128];
    snprintf(path, sizeof path, "%s/%s", root, name);
    vind_xapian_writer_t *writer = NULL;
    vind_xapian_reader_t *reader = NULL;
    char *pages[] = {page, NULL};
    GArray *maps[] = {words};
    int stored = vind_xapian_writer_open(path, 1, &writer, NULL) == VIND_OK &&
                 vind_text_put(writer, docid, pages, 1, maps, NULL) == VIND_OK &&
                 vind_xapian_writer_commit(writer, NULL) == VIND_OK;
    vind_xapian_writer_close(writer);
    if (stored && vind_xapian_reader_open(path, &reader, NULL) != VIND_OK)
        reader = NULL;
    return reader;
}

/* Issue 12: a range read fills the chunks it covers; the bytes near it that
 * were not read are NUL (readers may look a little past their range, and
 * must find white space there, never garbage), and a later read of the
 * whole page gives the text. */
static void range_reads(void)
{
    enum { LENGTH = 40000 };
    char *page = malloc(LENGTH + 1);
    for (size_t i = 0; i < LENGTH; i++)
        page[i] = (char)('a' + i % 26);
    page[LENGTH] = '\0';
    vind_xapian_reader_t *reader = stored_page("ranges", 7, page, NULL);
    CHECK(reader != NULL, "a 40 kB page is stored and read back");
    if (!reader) {
        free(page);
        return;
    }
    vind_text_t *text = vind_text_open(reader, 7, 1);
    const char *bytes = NULL;
    CHECK(vind_text_range(text, 0, 20000, 20010, &bytes, NULL) == VIND_OK &&
              memcmp(bytes + 20000, page + 20000, 10) == 0,
          "a range in the middle of it reads its bytes");
    CHECK(bytes && bytes[20000 - 4096 - 100] == '\0' && bytes[20010 + 4096 + 100] == '\0' &&
              bytes[LENGTH] == '\0',
          "the bytes near it not read are NUL");
    CHECK(vind_text_bytes_read(text) <= 4096 + 16, "only the chunk that holds it (and the map) was read");
    CHECK(vind_text_range(text, 0, 0, SIZE_MAX, &bytes, NULL) == VIND_OK &&
              strcmp(bytes, page) == 0,
          "the whole page, read after it, is the text");
    vind_text_close(text);
    vind_xapian_reader_close(reader);
    free(page);
}

/* Rewrites the map of page 0 of document docid in root/name without its
 * skip table (its last 8 bytes: the count of 12-byte entries before them
 * and the trailer), as an index written before skip tables has it; 1 when
 * done. */
static int strip_skips(const char *name, uint32_t docid)
{
    char path[128], key[64];
    snprintf(path, sizeof path, "%s/%s", root, name);
    snprintf(key, sizeof key, "vind:text:%u:0", docid);
    vind_xapian_writer_t *writer = NULL;
    char *map = NULL;
    size_t length = 0;
    int done = vind_xapian_writer_open(path, 0, &writer, NULL) == VIND_OK &&
               vind_xapian_writer_get_metadata(writer, key, &map, &length, NULL) == VIND_OK &&
               length >= 8 && (unsigned char)map[length - 1] == 0xA5;
    if (done) {
        const unsigned char *count = (const unsigned char *)map + length - 8;
        size_t entries = count[0] | count[1] << 8 | count[2] << 16 | (size_t)count[3] << 24;
        done = 12 * entries + 8 <= length &&
               vind_xapian_writer_set_metadata(writer, key, map, length - 8 - 12 * entries, NULL) ==
                   VIND_OK &&
               vind_xapian_writer_commit(writer, NULL) == VIND_OK;
    }
    free(map);
    vind_xapian_writer_close(writer);
    return done;
}

/* Issue 12: a page map's words are decoded four at a time where their
 * varints are one byte each: words with steps, deltas and sizes of one and
 * of several bytes, looked up in ascending and in descending order, give
 * the ranges they were stored with (cut to the page), and a position
 * without a word gives none. */
static void map_places(int runs, int skips)
{
    enum { LENGTH = 60000, WORDS = 1000 };
    /* runs: long varints only now and then, so that most blocks of 16
     * words are walked by their sums (lib/textstore.c, walk_block) */
    unsigned step_every = runs ? 37 : 7, delta_every = runs ? 41 : 11, size_every = runs ? 43 : 13;
    char *page = malloc(LENGTH + 1);
    memset(page, 'x', LENGTH);
    page[LENGTH] = '\0';
    GArray *words = g_array_new(FALSE, FALSE, sizeof(vind_text_word_t));
    unsigned position = 0;
    size_t start = 0;
    for (unsigned i = 0; i < WORDS; i++) {
        position += i % step_every == 0 ? 300 : 1;        /* a step of two bytes now and then */
        start += i % delta_every == 0 ? 200 : 40 + i % 3; /* and a delta */
        size_t size = i == WORDS - 1 ? 100000 : i % size_every == 0 ? 150 : 5; /* and a size; past the page */
        vind_text_word_add(words, position, start, start + size);
    }
    vind_xapian_reader_t *reader = stored_page("maps", 3, page, words);
    CHECK(reader != NULL, runs ? "a page of 1,000 mapped words, long varints rare, is stored"
                               : "a page of 1,000 mapped words is stored and read back");
    if (reader && !skips) {
        /* as an index written before skip tables: the maps are walked */
        vind_xapian_reader_close(reader);
        reader = NULL;
        char path[128];
        snprintf(path, sizeof path, "%s/maps", root);
        CHECK(strip_skips("maps", 3) && vind_xapian_reader_open(path, &reader, NULL) == VIND_OK,
              runs ? "and its map without the skip table, long varints rare"
                   : "and its map without the skip table");
    }
    if (!reader) {
        g_array_free(words, TRUE);
        free(page);
        return;
    }
    int same = 1, missing = 1;
    for (int order = 0; order < 2; order++) {
        vind_text_t *text = vind_text_open(reader, 3, 1);
        for (unsigned k = 0; k < WORDS; k++) {
            unsigned i = order ? WORDS - 1 - k : k;
            const vind_text_word_t *w = &g_array_index(words, vind_text_word_t, i);
            size_t from = 0, to = 0;
            size_t want_to = w->end < LENGTH ? w->end : LENGTH;
            same &= vind_text_place(text, 0, w->position, &from, &to, NULL) == VIND_OK &&
                    from == w->start && to == want_to;
            missing &= vind_text_place(text, 0, w->position + 1, &from, &to, NULL) ==
                           VIND_NOT_FOUND ||
                       (i + 1 < WORDS &&
                        g_array_index(words, vind_text_word_t, i + 1).position == w->position + 1);
        }
        vind_text_close(text);
    }
    CHECK(same, runs ? "every word's range, in both orders, long varints rare"
                     : "every word's range, in both orders (the last cut to the page)");
    CHECK(missing, runs ? "a position without a word has no range, long varints rare"
                        : "a position without a word has no range");
    /* vind_text_places: every word's position, the one after it and the
     * first again (ascending, repeats), in one walk, answers what
     * vind_text_place answers for each; and so does a walk of one word. */
    size_t n = 3 * WORDS;
    unsigned *positions = malloc(n * sizeof *positions);
    size_t *starts = malloc(n * sizeof *starts), *ends = malloc(n * sizeof *ends);
    for (unsigned i = 0; i < WORDS; i++) {
        unsigned at = g_array_index(words, vind_text_word_t, i).position;
        positions[3 * i] = positions[3 * i + 1] = at;
        positions[3 * i + 2] = at + 1;
    }
    vind_text_t *text = vind_text_open(reader, 3, 1);
    int sorted_same = vind_text_places(text, 0, positions, n, starts, ends, NULL) == VIND_OK;
    for (size_t k = 0; k < n; k++) {
        size_t from = 0, to = 0;
        vind_status_t found = vind_text_place(text, 0, positions[k], &from, &to, NULL);
        sorted_same &= found == VIND_OK ? starts[k] == from && ends[k] == to
                                        : starts[k] == SIZE_MAX && ends[k] == SIZE_MAX;
    }
    /* far apart: whole blocks skipped between them */
    size_t sparse = 0;
    for (unsigned i = 5; i < WORDS; i += 29) {
        unsigned at = g_array_index(words, vind_text_word_t, i).position;
        positions[sparse++] = at;
        positions[sparse++] = at + 1;
    }
    sorted_same &= vind_text_places(text, 0, positions, sparse, starts, ends, NULL) == VIND_OK;
    for (size_t k = 0; k < sparse; k++) {
        size_t from = 0, to = 0;
        vind_status_t found = vind_text_place(text, 0, positions[k], &from, &to, NULL);
        sorted_same &= found == VIND_OK ? starts[k] == from && ends[k] == to
                                        : starts[k] == SIZE_MAX && ends[k] == SIZE_MAX;
    }
    positions[0] = g_array_index(words, vind_text_word_t, WORDS - 1).position;
    sorted_same &= vind_text_places(text, 0, positions, 1, starts, ends, NULL) == VIND_OK &&
                   starts[0] == g_array_index(words, vind_text_word_t, WORDS - 1).start &&
                   ends[0] == LENGTH;
    CHECK(sorted_same, runs ? "the ranges of ascending positions in one walk, long varints rare"
                            : "the ranges of ascending positions in one walk (repeats, misses)");
    vind_text_close(text);
    free(positions);
    free(starts);
    free(ends);
    vind_xapian_reader_close(reader);
    g_array_free(words, TRUE);
    free(page);
}

/* Whether forms (NULL-terminated) are expected[0..n). */
static int same_forms(char **forms, const char *const *expected, size_t n)
{
    size_t i = 0;
    while (forms && forms[i] && i < n && strcmp(forms[i], expected[i]) == 0)
        i++;
    return forms && i == n && forms[i] == NULL;
}

/* A document's spelling words (session 13): stored front-coded, read back
 * whole (also past a shared prefix of 255 bytes), gone with its text; a
 * damaged list ends at the damage. */
static void stored_spellings(void)
{
    char path[160];
    snprintf(path, sizeof path, "%s/spellings", root);
    vind_xapian_writer_t *writer = NULL;
    if (vind_xapian_writer_open(path, 1, &writer, NULL) != VIND_OK) {
        CHECK(0, "a database for the spelling words opens");
        return;
    }
    char *long_a = g_strnfill(300, 'x'), *long_b = g_strnfill(300, 'x');
    long_a[299] = 'a';
    long_b[299] = 'b';
    const char *forms[] = {"dijk", "kade", "kades", "kadestrook", long_a, long_b};
    size_t n = G_N_ELEMENTS(forms);
    char **read = NULL;
    CHECK(vind_text_put_spellings(writer, 9, (char *const *)forms, n, NULL) == VIND_OK &&
              vind_text_spellings(writer, 9, &read, NULL) == VIND_OK && same_forms(read, forms, n),
          "a document's spelling words are read back as stored (a shared prefix past 255 bytes)");
    g_strfreev(read);
    read = NULL;
    CHECK(vind_text_spellings(writer, 10, &read, NULL) == VIND_OK && same_forms(read, forms, 0),
          "a document that stored none has none");
    g_strfreev(read);
    read = NULL;
    CHECK(vind_text_delete(writer, 9, NULL) == VIND_OK &&
              vind_text_spellings(writer, 9, &read, NULL) == VIND_OK && same_forms(read, forms, 0),
          "deleting a document's text deletes its spelling words");
    g_strfreev(read);
    read = NULL;
    /* "dijk", then a word sharing 9 bytes of it (4 long), then one without its NUL */
    static const char damaged[] = "\0dijk\0\tkade\0\0kades";
    CHECK(vind_xapian_writer_set_metadata(writer, "vind:text:11:spell", damaged,
                                          sizeof damaged - 1, NULL) == VIND_OK &&
              vind_text_spellings(writer, 11, &read, NULL) == VIND_OK &&
              same_forms(read, forms, 1),
          "a damaged list of spelling words ends at the damage");
    g_strfreev(read);
    g_free(long_a);
    g_free(long_b);
    vind_xapian_writer_close(writer);
}

int main(int argc, char **argv)
{
    (void)argc;
    char *copy = strdup(argv[0]);
    snprintf(mkpdf, sizeof mkpdf, "%s/../../scripts/mkpdf.py", dirname(copy));
    free(copy);
    if (access(mkpdf, R_OK) != 0)
        snprintf(mkpdf, sizeof mkpdf, "scripts/mkpdf.py");
    snprintf(root, sizeof root, "/tmp/vind-textstore-XXXXXX");
    if (!mkdtemp(root))
        return 1;
    char site[128], db[128];
    snprintf(site, sizeof site, "%s/site", root);
    snprintf(db, sizeof db, "%s/db", root);
    g_mkdir_with_parents(site, 0755);
    range_reads();
    stored_spellings();
    map_places(0, 1);
    map_places(1, 1);
    map_places(0, 0);
    map_places(1, 0);
    vind_lexicon_t *lexicon = NULL;
    char *errmsg = NULL;
    if (vind_lexicon_open(NULL, &lexicon, &errmsg) != VIND_OK) {
        printf("Bail out! %s\n", errmsg);
        return 1;
    }
    /* ~27 paragraphs a page: 2,000 pages, and 2 */
    CHECK(write_pdf("groot", 54000, 50000) && write_pdf("klein", 40, 30),
          "scripts/mkpdf.py writes a 2,000-page and a 2-page PDF");
    char article_path[300];
    snprintf(article_path, sizeof article_path, "%s/wonen.html", site);
    g_file_set_contents(article_path, article, -1, NULL);
    snprintf(article_path, sizeof article_path, "%s/running.html", site);
    g_file_set_contents(article_path, english_article, -1, NULL);
    vind_index_report_t report;
    CHECK(index_folder(lexicon, db, site, &report) && report.indexed == 4, "all four are indexed");

    vind_searcher_t *searcher = NULL;
    CHECK(vind_searcher_open(db, lexicon, &searcher, &errmsg) == VIND_OK, "the index opens");
    CHECK(vind_searcher_doc_count(searcher) == 4,
          "the text store adds no documents: the index counts 4");
    same_snippet(searcher, "/wonen.html", (const char *const[]){"bewoner", "zorg", NULL},
                 "two words, compound parts: the stored snippet is the whole-text one");
    same_snippet(searcher, "/wonen.html", (const char *const[]){"client", "wijk", "budget", NULL},
                 "three words, diacritics: the same");
    same_snippet(searcher, "/wonen.html", (const char *const[]){"verpleeghuis", NULL},
                 "plural and compound: the same");
    same_snippet(searcher, "/klein.pdf",
                 (const char *const[]){"mantelzorgtoeslag", "rapport", "wijk", NULL},
                 "a 2-page PDF: the same");
    same_snippet(searcher, "/wonen.html", (const char *const[]){"verpleeg*", NULL},
                 "a prefix, every form of it with places: the same");
    same_snippet(searcher, "/wonen.html", (const char *const[]){"bewoner", "cli*", NULL},
                 "a word and a prefix: the same");
    /* Schema 4 keeps no positions of the exact forms: a prefix's places are
     * its stems' places whose word is one of its forms (lib/stored.c). The
     * stem "lopen" of "loopt" is at "liep" too, "stad" of "stad" at
     * "steden", "zorg" of "zorgden" at "gezorgd": none of those is marked. */
    same_snippet(searcher, "/wonen.html", (const char *const[]){"loop*", NULL},
                 "a prefix of one form of a stem: only that form is a place");
    same_snippet(searcher, "/wonen.html", (const char *const[]){"ste*", NULL},
                 "a prefix of a plural whose singular differs: the same");
    same_snippet(searcher, "/wonen.html", (const char *const[]){"zorg*", "gezorgd*", NULL},
                 "two prefixes whose forms share a stem: the same");
    same_snippet(searcher, "/wonen.html", (const char *const[]){"lopen", "stad*", NULL},
                 "a word and a prefix of another stem's form: the same");
    /* An English document's places of a prefix are under its forms'
     * English stems only ("runn*": "running" and "runners", not "runs" or
     * "ran" of the same stems): taken from those, the Dutch ones left out. */
    same_snippet(searcher, "/running.html", (const char *const[]){"runn*", NULL},
                 "an English document, a prefix of forms whose stems hold others: the same");
    same_snippet(searcher, "/running.html", (const char *const[]){"cit*", "car*", NULL},
                 "an English document, two prefixes: the same");

    /* Issue 12: a short text's places are all its matches: its passage is
     * marked from them, not analysed (the analysis was a fifth of a search). */
    uint64_t read0, analysed0, read1, analysed1;
    vind_searcher_snippet_bytes(searcher, &read0, &analysed0);
    vind_results_t *article = search(searcher, "verpleeghuis");
    vind_searcher_snippet_bytes(searcher, &read1, &analysed1);
    const vind_hit_t *wonen = hit_of(article, "/wonen.html");
    CHECK(wonen && wonen->snippet && strstr(wonen->snippet, "<mark>"), "the article's passage is marked");
    CHECK(vind_results_count(article) == 1 && analysed1 == analysed0,
          "without analysing a byte of it");
    vind_results_free(article);
    /* A prefix whose forms the index lists in full (fewer than
     * MAX_PREFIX_TERMS): its places are every match too. */
    vind_searcher_snippet_bytes(searcher, &read0, &analysed0);
    article = search(searcher, "verpleeg*");
    vind_searcher_snippet_bytes(searcher, &read1, &analysed1);
    wonen = hit_of(article, "/wonen.html");
    CHECK(wonen && wonen->snippet && strstr(wonen->snippet, "<mark>verpleeghuis</mark>"),
          "a prefix query's passage is marked");
    CHECK(analysed1 == analysed0, "without analysing a byte of it either");
    vind_results_free(article);
    /* The page's look-up gives an English hit its forms' English stems
     * (each_prefix_term): "running" and "runners" marked, "runs" not. */
    article = search(searcher, "runn*");
    const vind_hit_t *running = hit_of(article, "/running.html");
    printf("# runn*: %s\n", running && running->snippet ? running->snippet : "(none)");
    CHECK(running && running->snippet && strstr(running->snippet, "<mark>Running</mark>") &&
              strstr(running->snippet, "<mark>runners</mark>") &&
              !strstr(running->snippet, "<mark>runs</mark>"),
          "an English hit of a prefix query marks its forms, not the other words of their stems");
    vind_results_free(article);

    size_t n_pages = 0, n_small = 0;
    unsigned page = page_with(searcher, "/groot.pdf", "mantelzorgtoeslag", &n_pages);
    unsigned small_page = page_with(searcher, "/klein.pdf", "mantelzorgtoeslag", &n_small);
    printf("# groot.pdf: %zu pages, the rare word on page %u; klein.pdf: %zu pages\n", n_pages,
           page, n_small);
    CHECK(n_pages >= 1900 && page > 1000, "vind doc --text gives every page of the big PDF");
    CHECK(n_small == 2 && small_page == 2, "and of the small one");

    page_lengths_from_directory(searcher, "/groot.pdf");
    page_lengths_from_directory(searcher, "/klein.pdf");

    vind_results_t *results = NULL;
    uint64_t rare = snippet_bytes(searcher, "mantelzorgtoeslag", &results);
    const vind_hit_t *big = hit_of(results, "/groot.pdf");
    CHECK(big && big->snippet && strstr(big->snippet, "<mark>mantelzorgtoeslag</mark>"),
          "the big PDF's snippet marks the word on its page deep inside");
    CHECK(big && big->n_pages == 1 && big->pages[0] == page,
          "with the page number the text store gives");
    CHECK(rare < SNIPPET_BYTES_BOUND, "a rare word's snippets read and analyse a bounded amount");
    vind_results_free(results);

    uint64_t common = snippet_bytes(searcher, "zorg bewoners", &results);
    big = hit_of(results, "/groot.pdf");
    CHECK(big && big->snippet && strstr(big->snippet, "<mark>zorg</mark>") &&
              strstr(big->snippet, "<mark>bewoners</mark>"),
          "a common word's snippet marks both words");
    CHECK(common < SNIPPET_BYTES_BOUND,
          "words on every one of 2,000 pages: the snippets still read a bounded amount");
    vind_results_free(results);

    uint64_t small = snippet_bytes(searcher, "mantelzorgtoeslag type:pdf klein", &results);
    CHECK(hit_of(results, "/klein.pdf") != NULL, "the small PDF is found");
    printf("# 2,000 pages: %llu bytes, 2 pages: %llu bytes\n", (unsigned long long)rare,
           (unsigned long long)small);
    vind_results_free(results);

    /* A deleted document takes its text along. */
    uint32_t docid = 0;
    CHECK(vind_xapian_reader_docid_for_term(searcher->reader, "Q/klein.pdf", &docid, NULL) ==
              VIND_OK,
          "the small PDF has a docid");
    vind_searcher_close(searcher);
    char small_pdf[300];
    snprintf(small_pdf, sizeof small_pdf, "%s/klein.pdf", site);
    unlink(small_pdf);
    CHECK(index_folder(lexicon, db, site, &report) && report.removed == 1,
          "removing the file removes its document");
    CHECK(vind_searcher_open(db, lexicon, &searcher, &errmsg) == VIND_OK, "the index opens");
    char key[64], *value = NULL;
    snprintf(key, sizeof key, "vind:text:%u:0", docid);
    CHECK(vind_xapian_reader_get_metadata(searcher->reader, key, &value, NULL, NULL) ==
              VIND_NOT_FOUND,
          "and its page text with it");
    snprintf(key, sizeof key, "vind:text:%u:0:0", docid);
    CHECK(vind_xapian_reader_get_metadata(searcher->reader, key, &value, NULL, NULL) ==
              VIND_NOT_FOUND,
          "chunks included");
    snprintf(key, sizeof key, "vind:text:%u:pages", docid);
    CHECK(vind_xapian_reader_get_metadata(searcher->reader, key, &value, NULL, NULL) ==
              VIND_NOT_FOUND,
          "and the page directory");
    free(value);
    vind_searcher_close(searcher);
    vind_lexicon_close(lexicon);
    char *command = g_strdup_printf("rm -rf '%s'", root);
    if (system(command) != 0)
        printf("# could not remove %s\n", root);
    g_free(command);
    return check_done();
}
