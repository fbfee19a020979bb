/*
 * stored.c - the stored record of a document (the JSON the indexer keeps as
 * its document data: url, title, fields, about 1 kB), read for hits, kwic,
 * related documents and `vind doc`; and its page text from the text store
 * (lib/textstore.h): a hit's snippet, made with the places of the query's
 * words taken from the index's positions, and the whole text (kwic, `vind
 * doc --text`).
 *
 * Cost of a snippet: a position-list read per query term (proportional to
 * the term's occurrences in the document, not to its length), the page
 * maps of the pages with a candidate window, and the 4 kB chunks around the
 * windows: a hit in a 2,000-page PDF reads about what a hit in an article
 * does (bench/snippet-cost.sh, tests/unit/test_textstore.c).
 */
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <jansson.h>
#include <vind/limits.h>

#include "error.h"
#include "hitrecord.h"
#include "lexicon.h"
#include "schema.h"
#include "searcher.h"
#include "snippet.h"
#include "textstore.h"
#include "word_memo.h"

vind_status_t vind_searcher_stored(vind_searcher_t *searcher, uint32_t docid, json_t **out,
                                   char **errmsg)
{
    *out = NULL;
    char *data = NULL;
    size_t length = 0;
    vind_status_t status =
        vind_xapian_reader_get_document_data(searcher->reader, docid, &data, &length, errmsg);
    if (status != VIND_OK)
        return status;
    json_error_t error;
    json_t *record = json_loadb(data, length, 0, &error);
    free(data);
    if (!record || !json_is_object(record)) {
        json_decref(record);
        /* A record we cannot read still is a hit: show it without fields. */
        record = json_object();
        if (!record)
            return vind_error(errmsg, VIND_NOMEM, "out of memory reading document %u", docid);
    }
    *out = record;
    return VIND_OK;
}

vind_lang_t vind_stored_lang_of(const char *lang)
{
    return lang && g_ascii_strncasecmp(lang, "en", 2) == 0 ? VIND_LANG_EN : VIND_LANG_NL;
}

vind_lang_t vind_stored_lang(json_t *record)
{
    return vind_stored_lang_of(json_string_value(json_object_get(record, "lang")));
}

/* Cost: one value look-up (a B-tree block most likely cached) and a walk
 * over ~300 bytes; the record's JSON cost ~210,000 instructions a hit. */
vind_status_t vind_searcher_hit_record(vind_searcher_t *searcher, uint32_t docid, char **value,
                                       vind_hit_record_t *record, char **errmsg)
{
    size_t length = 0;
    vind_status_t status =
        vind_xapian_reader_get_value(searcher->reader, docid, VIND_SLOT_HIT, value, &length, errmsg);
    if (status == VIND_OK && *value && !vind_hit_record_decode(*value, length, record)) {
        free(*value); /* not this layout (or no memory): the record answers */
        *value = NULL;
    }
    return status;
}

/* Positions taken per term, the first in text order: the windows are chosen
 * among them, and choosing sorts them, so this bounds a snippet's CPU
 * whatever the document's length ("zorg" occurs 20,000 times in a generated
 * 2,000-page PDF: all of them cost 4-6 ms of sorting per snippet). A rare
 * word has all its places; a common one has plenty near the start, and the
 * regions of words not yet seen are analysed whole, so the word that made
 * the hit is still shown. */
#define MAX_POSITIONS 256u
/* Terms a prefix (`verpleeg*`) expands to when looking up places. */
#define MAX_PREFIX_TERMS 64u

size_t vind_stored_n_pages(json_t *record)
{
    json_t *n = json_object_get(record, "n_pages");
    return json_is_integer(n) && json_integer_value(n) > 0 ? (size_t)json_integer_value(n) : 0;
}

/* Schema 1 kept the text in the record: an array of page strings. The
 * pages in a NULL-terminated array borrowed from record (g_free it). */
static const char **record_pages(json_t *record, size_t *n_pages)
{
    json_t *pages = json_object_get(record, "pages");
    *n_pages = json_is_array(pages) ? json_array_size(pages) : 0;
    const char **texts = g_new0(const char *, *n_pages + 1);
    for (size_t i = 0; i < *n_pages; i++) {
        const char *text = json_string_value(json_array_get(pages, i));
        texts[i] = text ? text : "";
    }
    return texts;
}

vind_status_t vind_stored_text(vind_searcher_t *searcher, uint32_t docid, json_t *record,
                               char ***pages, size_t *n_pages, char **errmsg)
{
    if (json_is_array(json_object_get(record, "pages"))) { /* schema 1 */
        const char **texts = record_pages(record, n_pages);
        *pages = g_new0(char *, *n_pages + 1);
        for (size_t i = 0; i < *n_pages; i++)
            (*pages)[i] = g_strdup(texts[i]);
        g_free(texts);
        return VIND_OK;
    }
    *n_pages = vind_stored_n_pages(record);
    vind_status_t status = vind_text_read_pages(searcher->reader, docid, *n_pages, pages, errmsg);
    if (status != VIND_OK)
        *n_pages = 0;
    return status;
}

typedef struct {
    vind_searcher_t *searcher;
    uint32_t docid;
    vind_lang_t lang; /* the document's: a prefix's place is checked by analysing its word */
    vind_text_t *text;
} source_t;

static vind_status_t source_length(void *rock, size_t page, size_t *length, char **errmsg)
{
    return vind_text_page_length(((source_t *)rock)->text, page, length, errmsg);
}

static vind_status_t source_text(void *rock, size_t page, size_t start, size_t end,
                                 const char **text, char **errmsg)
{
    return vind_text_range(((source_t *)rock)->text, page, start, end, text, errmsg);
}

static vind_status_t source_locate(void *rock, size_t page, size_t position, size_t *start,
                                   size_t *end, char **errmsg)
{
    return vind_text_place(((source_t *)rock)->text, page, (unsigned)position, start, end, errmsg);
}

static vind_status_t source_locate_sorted(void *rock, size_t page, const unsigned *positions,
                                          size_t n, size_t *starts, size_t *ends, char **errmsg)
{
    return vind_text_places(((source_t *)rock)->text, page, positions, n, starts, ends, errmsg);
}

/* A page but the last has positions (and page-map words) for its first
 * VIND_POS_PAGE_STRIDE - 1 words only (lib/index.c): a map with fewer holds
 * every word of its page. The last page has them all since session 12; an
 * index written before has its last page cut like the others, and a map of
 * exactly that many words there is taken as complete: the words past it
 * have no positions either, so no snippet place is lost. */
static int source_complete(void *rock, size_t page)
{
    size_t words = 0;
    const vind_text_t *text = ((source_t *)rock)->text;
    return vind_text_page_words(((source_t *)rock)->text, page, &words, NULL) == VIND_OK &&
           (page + 1 == vind_text_pages(text) || words < VIND_POS_PAGE_STRIDE - 1);
}

/* The page and the place on it of a body position (lib/schema.h,
 * "Positions"); 0 for a title position or past the pages. */
static int body_place(uint32_t position, size_t n_pages, size_t *page, unsigned *place)
{
    if (position < VIND_POS_BODY)
        return 0; /* the title: snippets show the body */
    uint32_t body = position - VIND_POS_BODY;
    *page = body / VIND_POS_PAGE_STRIDE;
    if (*page >= n_pages && n_pages > 0)
        *page = n_pages - 1; /* the last page's words past the stride */
    *place = body - (uint32_t)*page * VIND_POS_PAGE_STRIDE;
    return *page < n_pages;
}

/* A page's candidate words are read in one range when they lie within
 * this many bytes (an article's, a PDF page's): one call instead of one a
 * word (~600 instructions each); farther apart, word by word, so that a
 * long page is not read whole for a few places. */
#define ONE_READ_BYTES (4u * VIND_TEXT_CHUNK_BYTES)

/* Positions of a prefix's stem read to find its forms' places: the stem
 * of "zorg*"'s "zorgde" is "zorgen", whose places hold "gezorgd" too, so
 * more are read than a form keeps (MAX_POSITIONS). */
#define MAX_STEM_POSITIONS (4u * MAX_POSITIONS)

/* Bytes of a word analysed for its form: the analyzer makes a form of a
 * word's first 512 bytes at most (cut to VIND_MAX_TERM_BYTES), so a 1 MB
 * "word" is read and analysed no further than this. */
#define MAX_WORD_BYTES VIND_TEXT_CHUNK_BYTES

/* An ASCII letter in lower case (g_ascii_tolower is a call). */
static inline char ascii_lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c + ('a' - 'A')) : c;
}

/* Whether a word is of ASCII letters only, at most VIND_MAX_TERM_BYTES:
 * the analyzer's form of such a word is the word in lower case
 * (lib/analyze.c, span_form). Cost: a pass over its bytes, against ~1 µs
 * of tokenising it. */
static int ascii_letters(const char *word, size_t length)
{
    if (length == 0 || length > VIND_MAX_TERM_BYTES)
        return 0;
    for (size_t i = 0; i < length; i++)
        if (!g_ascii_isalpha(word[i]))
            return 0;
    return 1;
}

/* A word of ASCII letters only, its form without an analysis; 0 for any
 * other word. */
static int ascii_word_form(const char *word, size_t length, GString *form)
{
    if (!ascii_letters(word, length))
        return 0;
    /* written in place: an append and a g_ascii_tolower call a byte were
     * ~20 instructions a byte */
    g_string_set_size(form, length);
    for (size_t i = 0; i < length; i++)
        form->str[i] = ascii_lower(word[i]);
    return 1;
}

/* The normalised form of the word at [start, end) of a page, analysed as
 * the indexer did (its form only), into form (cleared first). text: the
 * page's text with the word read, or NULL (read here). */
static vind_status_t word_form(source_t *source, size_t page, const char *text, size_t start,
                               size_t end, GString *form, char **errmsg)
{
    g_string_truncate(form, 0);
    if (end - start > MAX_WORD_BYTES)
        end = start + MAX_WORD_BYTES;
    vind_status_t status = VIND_OK;
    if (!text)
        status = vind_text_range(source->text, page, start, end, &text, errmsg);
    if (status == VIND_OK && ascii_word_form(text + start, end - start, form))
        return VIND_OK;
    vind_tokens_t *tokens = NULL;
    if (status == VIND_OK)
        status = vind_analyze_forms(source->searcher->analyzer, text + start, end - start,
                                    source->lang, &tokens, errmsg);
    if (status == VIND_OK && vind_tokens_count(tokens) > 0)
        g_string_assign(form, vind_tokens_get(tokens, 0)->form);
    vind_tokens_free(tokens);
    return status;
}

/*
 * The places of a prefix's forms among a stem's places (schema 4 keeps no
 * positions of the exact forms): each of the stem's body places is
 * located in its page map and its word's form looked up in forms (the
 * forms the prefix expanded to), at most MAX_POSITIONS a form, as the exact
 * forms' own position lists gave them. Cost: the stem's position list, the
 * page maps of its pages, the 4 kB chunks of its words and an analysis of
 * the word's form each (~2 µs); an article's chunks are read for its
 * snippet anyway.
 */
static vind_status_t stem_form_places(source_t *source, const uint32_t *positions, size_t n,
                                      GHashTable *forms, unsigned id,
                                      vind_snippet_places_t *places, char **errmsg)
{
    size_t n_pages = vind_text_pages(source->text);
    unsigned *on_page = g_new(unsigned, n ? n : 1);
    size_t *starts = g_new(size_t, n ? n : 1), *ends = g_new(size_t, n ? n : 1);
    /* the places kept per form: none reaches MAX_POSITIONS of fewer */
    GHashTable *kept =
        n >= MAX_POSITIONS ? g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL) : NULL;
    GString *form = g_string_new(NULL);
    vind_status_t status = VIND_OK;
    for (size_t i = 0; status == VIND_OK && i < n;) {
        size_t page = 0, k = 0;
        unsigned place = 0;
        if (!body_place(positions[i], n_pages, &page, &place)) {
            i++;
            continue;
        }
        /* the run of places on this page (ascending, as positions are) */
        size_t run_page = page;
        for (; i < n && body_place(positions[i], n_pages, &page, &place) && page == run_page; i++)
            on_page[k++] = place;
        status = vind_text_places(source->text, run_page, on_page, k, starts, ends, errmsg);
        size_t first = SIZE_MAX, last = 0;
        for (size_t j = 0; status == VIND_OK && j < k; j++)
            if (starts[j] != SIZE_MAX) {
                first = first < starts[j] ? first : starts[j];
                last = last > ends[j] ? last : ends[j];
            }
        const char *text = NULL;
        if (status == VIND_OK && first < last && last - first <= ONE_READ_BYTES)
            status = vind_text_range(source->text, run_page, first, last, &text, errmsg);
        for (size_t j = 0; status == VIND_OK && j < k; j++) {
            if (starts[j] == SIZE_MAX)
                continue; /* no word there: not a place a form's list held */
            status = word_form(source, run_page, text, starts[j], ends[j], form, errmsg);
            if (status != VIND_OK || !g_hash_table_contains(forms, form->str))
                continue;
            guint count = kept ? GPOINTER_TO_UINT(g_hash_table_lookup(kept, form->str)) : 0;
            if (count >= MAX_POSITIONS)
                continue; /* the form's later ones */
            if (kept)
                g_hash_table_insert(kept, g_strdup(form->str), GUINT_TO_POINTER(count + 1));
            vind_snippet_place(places, run_page, on_page[j], id);
            if (count + 1 == MAX_POSITIONS) /* as a full list of the form's said */
                vind_snippet_places_cut(places);
        }
    }
    g_string_free(form, TRUE);
    if (kept)
        g_hash_table_destroy(kept);
    g_free(on_page);
    g_free(starts);
    g_free(ends);
    return status;
}

/* Whether a word of ASCII letters (ascii_letters: its form is its bytes
 * in lower case) begins with prefix, without making the form: word_form's
 * copy a word was ~170 instructions (23 M of bench/data/prefix-paths.txt's
 * snippets). */
static int lower_has_prefix(const char *word, size_t length, const char *prefix)
{
    for (size_t i = 0; prefix[i]; i++)
        if (i == length || ascii_lower(word[i]) != prefix[i])
            return 0;
    return 1;
}

/* Words of a page located per call in source_prefix_words. */
#define WORDS_A_STEP 64u

/* The first word of a page at or after byte `from`: its position, by a
 * binary search of the page map (positions are a page's words in text
 * order, 0 to words - 1: lib/index.c). */
static vind_status_t first_word_from(source_t *source, size_t page, size_t words, size_t from,
                                     unsigned *first, char **errmsg)
{
    size_t low = 0, high = words;
    while (low < high) {
        size_t mid = low + (high - low) / 2, start = 0, end = 0;
        vind_status_t status =
            vind_text_place(source->text, page, (unsigned)mid, &start, &end, errmsg);
        if (status == VIND_NOT_FOUND)
            return VIND_NOT_FOUND; /* a map with a gap: not the page we know */
        if (status != VIND_OK)
            return status;
        if (start < from)
            low = mid + 1;
        else
            high = mid;
    }
    *first = (unsigned)low;
    return VIND_OK;
}

/*
 * The words of bytes [start, end) of a complete page whose forms begin
 * with a prefix of terms (no stems: the snippet asks only then): each
 * word's form as the indexer made it (word_form), from the page map's
 * byte ranges, which are the analyzer's tokens. These are the matches
 * analysing the bytes finds (term_of: the first prefix a form begins
 * with), for a prefix whose forms are more than the places hold
 * (MAX_PREFIX_TERMS). Cost: a binary search of the map (~10 look-ups), a
 * walk of the region's words and a form each (a pass over an ASCII
 * word's bytes); analysing a region cost ~125,000 instructions (78 M of
 * the 100 requests of bench/data/prefix-paths.txt, callgrind).
 */
static vind_status_t source_prefix_words(void *rock, size_t page, size_t start, size_t end,
                                         const vind_match_terms_t *terms,
                                         void (*word)(void *to, size_t start, size_t end,
                                                      unsigned term),
                                         void *to, char **errmsg)
{
    source_t *source = rock;
    size_t words = 0;
    unsigned first = 0;
    const char *text = NULL;
    vind_status_t status = vind_text_page_words(source->text, page, &words, errmsg);
    if (status == VIND_OK)
        status = first_word_from(source, page, words, start, &first, errmsg);
    size_t before_start = 0, before_end = 0;
    if (status == VIND_OK && first > 0)
        status = vind_text_place(source->text, page, first - 1, &before_start, &before_end, errmsg);
    if (status == VIND_OK && before_end > start)
        status = VIND_NOT_FOUND; /* the region cuts the word before it */
    if (status == VIND_OK)
        status = vind_text_range(source->text, page, start, end, &text, errmsg);
    unsigned positions[WORDS_A_STEP];
    size_t starts[WORDS_A_STEP], ends[WORDS_A_STEP];
    GString *form = g_string_new(NULL);
    size_t n_prefixes = vind_match_terms_prefixes(terms);
    int past = 0;
    for (size_t at = first; status == VIND_OK && !past && at < words; at += WORDS_A_STEP) {
        size_t n = words - at < WORDS_A_STEP ? words - at : WORDS_A_STEP;
        for (size_t i = 0; i < n; i++)
            positions[i] = (unsigned)(at + i);
        status = vind_text_places(source->text, page, positions, n, starts, ends, errmsg);
        for (size_t i = 0; status == VIND_OK && i < n; i++) {
            if (starts[i] != SIZE_MAX && starts[i] >= end) {
                past = 1; /* the region's words are behind */
                break;
            }
            if (starts[i] == SIZE_MAX || ends[i] > end) {
                status = VIND_NOT_FOUND; /* a gap, or a word the region cuts */
                break;
            }
            const char *bytes = text + starts[i];
            size_t length = ends[i] - starts[i];
            int ascii = ascii_letters(bytes, length);
            if (!ascii)
                status = word_form(source, page, text, starts[i], ends[i], form, errmsg);
            for (size_t k = 0; status == VIND_OK && k < n_prefixes; k++) {
                unsigned id = 0;
                const char *prefix = vind_match_terms_prefix(terms, k, &id);
                if (ascii ? lower_has_prefix(bytes, length, prefix)
                          : g_str_has_prefix(form->str, prefix)) {
                    word(to, starts[i], ends[i], id);
                    break;
                }
            }
        }
    }
    g_string_free(form, TRUE);
    return status;
}

/* The body places of one index term in the document; forms: NULL for a
 * query word's term or an exact form with positions (every place is one),
 * else the forms of a prefix whose stem term this is (stem_form_places). */
static vind_status_t term_places(source_t *source, const char *term, unsigned id,
                                 GHashTable *forms, vind_snippet_places_t *places, char **errmsg)
{
    uint32_t *positions = NULL;
    size_t n = 0;
    size_t max = forms ? MAX_STEM_POSITIONS : MAX_POSITIONS;
    vind_status_t status = vind_xapian_reader_positions(source->searcher->reader, source->docid,
                                                        term, max, &positions, &n, errmsg);
    size_t n_pages = vind_text_pages(source->text);
    if (status == VIND_OK && n == max)
        vind_snippet_places_cut(places); /* the later ones are not among them */
    if (status == VIND_OK && forms)
        status = stem_form_places(source, positions, n, forms, id, places, errmsg);
    for (size_t i = 0; status == VIND_OK && !forms && i < n; i++) {
        size_t page = 0;
        unsigned place = 0;
        if (body_place(positions[i], n_pages, &page, &place))
            vind_snippet_place(places, page, place, id);
    }
    free(positions);
    return status;
}

/* Called with each index term a snippet looks for and its word's id;
 * forms: as term_places takes them. */
typedef vind_status_t (*each_term_fn)(void *rock, const char *term, unsigned id, GHashTable *forms,
                                      char **errmsg);

/* Whether an exact form (an "E" term) is worth looking its stems up for:
 * a page's look-up asks which of its hits hold it (page_form_held). */
typedef int (*form_wanted_fn)(void *rock, const char *exact, vind_status_t *status,
                              char **errmsg);

/* The stem of a prefix's form in lang, from the searcher's word memo
 * (lib/word_memo.h: a form's stems do not depend on the index, so they
 * are kept for the searcher's life, not just the page's): a look-up
 * (~150 instructions) where an analysis cost ~13,000 (two a form a page;
 * session 14's schema 4 made them: vind_analyze_word +9.4 M over the
 * 1,000 bench requests). Lent until the memo's next build begins, which
 * no snippet outlives. A searcher that never planned (no memo) analyses
 * into *owned (free it). */
static const char *form_stem(vind_searcher_t *searcher, const char *form, vind_lang_t lang,
                             char **owned)
{
    if (searcher->words)
        return vind_word_memo_stem(searcher->words, form, lang);
    return *owned = vind_analyze_word(searcher->analyzer, form, lang);
}

/*
 * Calls fn with the terms whose positions hold the forms of a prefix.
 * Before schema 4: the exact forms ("E") the index holds, with their own
 * positions (forms NULL: every place is one). Schema 4 keeps no positions
 * of those, and a word's main term is the stem its form analyses to
 * (lib/analyze.c: a word's stem follows from its form and language; a
 * number, address or name is its own form): so each form as a term, and
 * its Dutch and English stem, with the prefix's forms to check each place
 * against (term_places). wanted NULL: every form, each term once; else
 * only the forms wanted, a term once per form that has it (fn merges).
 * A document's words have their places under their stems in its own
 * language only (lib/index.c: a word's unprefixed term is its stem in the
 * document's language), so only the stems in langs are looked up: a page
 * of Dutch hits analyses no form to its English stem, and reads no
 * English stem's places (those hold no word of a Dutch document that is
 * one of the prefix's forms and not at its Dutch stem's places too).
 * Cost: the expansion (a term-list walk), and the Dutch and English stem
 * of each form wanted, two look-ups in the searcher's word memo once it
 * has analysed the form (form_stem).
 */
static vind_status_t each_prefix_term(vind_searcher_t *searcher, const char *prefix, unsigned id,
                                      unsigned langs, each_term_fn fn, form_wanted_fn wanted,
                                      void *rock, int *all_forms, char **errmsg)
{
    char *pattern = g_strconcat(VIND_PREFIX_EXACT, prefix, NULL);
    vind_xapian_terms_t *found = NULL;
    vind_status_t status =
        vind_xapian_reader_all_terms(searcher->reader, pattern, MAX_PREFIX_TERMS, &found, errmsg);
    g_free(pattern);
    if (status != VIND_OK)
        return status;
    if (found->count >= MAX_PREFIX_TERMS)
        *all_forms = 0; /* maybe more forms than these */
    size_t skip = strlen(VIND_PREFIX_EXACT);
    int exact = searcher->schema < 4;
    GHashTable *forms = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    GHashTable *seen = wanted ? NULL : g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    char *owned[2] = {NULL, NULL}; /* stems made without a memo */
    for (size_t f = 0; !exact && f < found->count; f++)
        g_hash_table_add(forms, g_strdup(found->items[f].term + skip));
    for (size_t f = 0; status == VIND_OK && f < found->count; f++) {
        const char *form = found->items[f].term + skip;
        if (exact) {
            status = fn(rock, found->items[f].term, id, NULL, errmsg);
            continue;
        }
        if (wanted && !wanted(rock, found->items[f].term, &status, errmsg))
            continue;
        const char *terms[] = {
            form,
            langs & VIND_LANG_BIT(VIND_LANG_NL) ? form_stem(searcher, form, VIND_LANG_NL, &owned[0])
                                                : NULL,
            langs & VIND_LANG_BIT(VIND_LANG_EN) ? form_stem(searcher, form, VIND_LANG_EN, &owned[1])
                                                : NULL};
        for (size_t k = 0; k < 3; k++) {
            int again = !terms[k] || (k > 0 && strcmp(terms[k], terms[0]) == 0) ||
                        (k > 1 && terms[1] && strcmp(terms[k], terms[1]) == 0) ||
                        (seen && g_hash_table_contains(seen, terms[k]));
            if (!again && status == VIND_OK)
                status = fn(rock, terms[k], id, forms, errmsg);
            if (!again && seen)
                g_hash_table_add(seen, g_strdup(terms[k]));
        }
        free(owned[0]);
        free(owned[1]);
        owned[0] = owned[1] = NULL;
    }
    if (seen)
        g_hash_table_destroy(seen);
    g_hash_table_unref(forms);
    vind_xapian_terms_free(found);
    return status;
}

/* The index terms of the match terms: each stem as a word (no prefix) and
 * as a compound part ("P"), each form prefix through its forms
 * (each_prefix_term). Words come first, then compound parts: where a word
 * is one query word and part of another, the analyzer's match (its stem
 * first) wins. */
static vind_status_t each_match_term(vind_searcher_t *searcher, const vind_match_terms_t *terms,
                                     unsigned langs, each_term_fn fn, form_wanted_fn wanted,
                                     void *rock, int *all_forms, char **errmsg)
{
    *all_forms = 1;
    vind_status_t status = VIND_OK;
    size_t n_stems = vind_match_terms_stems(terms);
    for (size_t i = 0; status == VIND_OK && i < 2 * n_stems; i++) {
        unsigned id = 0;
        const char *stem = vind_match_terms_stem(terms, i % n_stems, &id);
        char *term = g_strconcat(i < n_stems ? "" : VIND_PREFIX_PART, stem, NULL);
        status = fn(rock, term, id, NULL, errmsg);
        g_free(term);
    }
    for (size_t i = 0; status == VIND_OK && i < vind_match_terms_prefixes(terms); i++) {
        unsigned id = 0;
        const char *prefix = vind_match_terms_prefix(terms, i, &id);
        status =
            each_prefix_term(searcher, prefix, id, langs, fn, wanted, rock, all_forms, errmsg);
    }
    return status;
}

/* An index term of the page's match terms, with the hits that hold it. */
typedef struct {
    char *term;
    unsigned id;
    GHashTable *forms;   /* a prefix's forms (term_places), or NULL */
    unsigned char *held; /* per docid of the page (vind_page_terms.docids) */
} page_term_t;

/* The index terms of a page's match terms, expanded and looked up once for
 * the page (vind_stored_places_begin): each_match_term's g_strconcat per
 * term, its prefix expansions (a term-list walk each) and a
 * "<docid> <term>" key printed per term and hit cost ~70,000 instructions
 * a hit (3% of a search) when done per snippet. */
struct vind_page_terms {
    const vind_match_terms_t *of; /* the match terms expanded */
    uint32_t *docids;             /* the page's hits, ascending */
    size_t n;
    GPtrArray *terms;             /* page_term_t, in each_match_term's order */
    GHashTable *by_term; /* term -> its first page_term_t; made when first asked (page_term_of) */
    int all_forms;                /* the prefixes' forms are all among terms */
    unsigned langs;               /* the hits' languages whose stems are among terms */
    unsigned char *form_held;     /* which hits hold the exact form asked last (page_form_held) */
    GHashTable *by_form_term;     /* "<id> <term>" -> page_term_t of a prefix's stem (schema 4) */
    struct vind_page_terms *also; /* the same hits' look-up of other match terms, or NULL */
};

/* The page's look-up of terms (itself or one it keeps), or NULL. An
 * English hit marks the translations too (lib/results.c looks the larger
 * set up after the query's own): the Dutch hits of that page keep theirs,
 * each term's held hits from one array, instead of each snippet walking
 * the terms again (g_strconcat, a hash look-up and the prefixes' term-list
 * walks a term: ~10,000 instructions a snippet). */
static const struct vind_page_terms *page_of_terms(const struct vind_page_terms *page,
                                                   const vind_match_terms_t *terms)
{
    for (; page; page = page->also)
        if (page->of == terms)
            return page;
    return NULL;
}

static void page_term_free(gpointer data)
{
    page_term_t *t = data;
    g_free(t->term);
    if (t->forms)
        g_hash_table_unref(t->forms);
    g_free(t->held);
    g_free(t);
}

/* The index of docid among the page's hits, or n when it is not one. */
static size_t page_hit(const struct vind_page_terms *page, uint32_t docid)
{
    size_t low = 0, high = page->n;
    while (low < high) {
        size_t mid = low + (high - low) / 2;
        if (page->docids[mid] < docid)
            low = mid + 1;
        else
            high = mid;
    }
    return low < page->n && page->docids[low] == docid ? low : page->n;
}

/* The page's first index term `term`, or NULL. The table is made on the
 * first call: only a snippet of terms the page was not looked up for asks
 * (each snippet of a results page takes its own look-up, page_of_terms),
 * and making it for every page was ~2,500 instructions a page. */
static const page_term_t *page_term_of(struct vind_page_terms *page, const char *term)
{
    if (!page->by_term) {
        page->by_term = g_hash_table_new(g_str_hash, g_str_equal);
        for (guint i = 0; i < page->terms->len; i++) {
            page_term_t *t = g_ptr_array_index(page->terms, i);
            if (!g_hash_table_contains(page->by_term, t->term))
                g_hash_table_insert(page->by_term, t->term, t);
        }
    }
    return g_hash_table_lookup(page->by_term, term);
}

/* Whether the page's terms hold a prefix's forms' stems in lang (on
 * schema 4 only the hits' languages': vind_stored_places_begin). */
static int page_has_lang(const struct vind_page_terms *page, vind_lang_t lang)
{
    return (page->langs & VIND_LANG_BIT(lang)) != 0;
}

/* Whether the page's hit `hit` holds term t. */
static int term_held(const struct vind_page_terms *page, const page_term_t *t, size_t hit)
{
    return hit < page->n && t && t->held[hit];
}

typedef struct {
    source_t *source;
    vind_snippet_places_t *places;
    size_t hit; /* the document's index among the page's hits */
} places_rock_t;

/* A term of match terms other than the page's (an English page looked up
 * the translations too, a Dutch hit of it marks only its own terms): held
 * as the page's look-up of the same term says. */
static vind_status_t add_term_places(void *rock, const char *term, unsigned id, GHashTable *forms,
                                     char **errmsg)
{
    places_rock_t *at = rock;
    struct vind_page_terms *page = at->source->searcher->page_terms;
    if (page && page_has_lang(page, at->source->lang) &&
        !term_held(page, page_term_of(page, term), at->hit))
        return VIND_OK; /* the document lacks it: no position-list read */
    return term_places(at->source, term, id, forms, at->places, errmsg);
}

/* Where the match terms are in the document: the position lists of the
 * terms it holds. Cost: one position-list read per term held; the terms
 * and which hits hold them come from the page's look-up. */
static vind_status_t source_places(void *rock, const vind_match_terms_t *terms,
                                   vind_snippet_places_t *places, char **errmsg)
{
    source_t *source = rock;
    const struct vind_page_terms *page = page_of_terms(source->searcher->page_terms, terms);
    if (!page)
        page = source->searcher->page_terms;
    if (page && !page_has_lang(page, source->lang))
        page = NULL; /* a page of other languages' hits: the terms are looked up here */
    places_rock_t at = {source, places, page ? page_hit(page, source->docid) : 0};
    int all_forms = 0;
    if (!page || page->of != terms) {
        vind_status_t status = each_match_term(source->searcher, terms, VIND_LANG_BIT(source->lang),
                                               add_term_places, NULL, &at, &all_forms, errmsg);
        if (status == VIND_OK && all_forms)
            vind_snippet_places_all_forms(places);
        return status;
    }
    if (page->all_forms)
        vind_snippet_places_all_forms(places);
    vind_status_t status = VIND_OK;
    for (guint i = 0; status == VIND_OK && i < page->terms->len; i++) {
        const page_term_t *t = g_ptr_array_index(page->terms, i);
        if (term_held(page, t, at.hit))
            status = term_places(source, t->term, t->id, t->forms, places, errmsg);
    }
    return status;
}

/* Which of the page's hits hold an exact form (into page->form_held):
 * only a form some hit holds has its stems looked up, and a stem is held
 * by the hits that hold one of its forms (add_page_term). Cost: one walk
 * of the form's posting list over the page's docids, as schema 3's look-up
 * of the form's own positions took. */
static int page_form_held(void *rock, const char *exact, vind_status_t *status, char **errmsg)
{
    vind_searcher_t *searcher = rock;
    struct vind_page_terms *page = searcher->page_terms;
    if (!page->form_held)
        page->form_held = g_malloc(page->n);
    memset(page->form_held, 0, page->n);
    *status = vind_xapian_reader_term_in(searcher->reader, exact, page->docids, page->n,
                                         page->form_held, errmsg);
    for (size_t i = 0; *status == VIND_OK && i < page->n; i++)
        if (page->form_held[i])
            return 1;
    return 0;
}

/* Adds an index term to the page, with which of its hits hold it; a
 * prefix's stem (forms set) once per prefix, held by the hits that hold
 * one of its forms (page_form_held, called just before). */
static vind_status_t add_page_term(void *rock, const char *term, unsigned id, GHashTable *forms,
                                   char **errmsg)
{
    vind_searcher_t *searcher = rock;
    struct vind_page_terms *page = searcher->page_terms;
    char *key = forms ? g_strdup_printf("%u %s", id, term) : NULL;
    if (key && !page->by_form_term)
        page->by_form_term = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    page_term_t *t = key ? g_hash_table_lookup(page->by_form_term, key) : NULL;
    if (!t) {
        t = g_new0(page_term_t, 1);
        t->term = g_strdup(term);
        t->id = id;
        t->forms = forms ? g_hash_table_ref(forms) : NULL;
        t->held = g_malloc0(page->n);
        g_ptr_array_add(page->terms, t);
        if (key)
            g_hash_table_insert(page->by_form_term, g_strdup(key), t);
    }
    g_free(key);
    if (!forms)
        return vind_xapian_reader_term_in(searcher->reader, term, page->docids, page->n, t->held,
                                          errmsg);
    for (size_t i = 0; i < page->n; i++)
        t->held[i] |= page->form_held[i];
    return VIND_OK;
}

static int by_docid(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

vind_status_t vind_stored_places_begin(vind_searcher_t *searcher, const vind_match_terms_t *terms,
                                       uint32_t *docids, size_t n, unsigned langs, char **errmsg)
{
    qsort(docids, n, sizeof *docids, by_docid); /* term_in walks each posting list once */
    const struct vind_page_terms *kept = searcher->page_terms;
    /* the look-ups of the same hits are kept (page_of_terms), others go */
    if (n == 0 || (kept && (kept->n != n || memcmp(kept->docids, docids, n * sizeof *docids) != 0)))
        vind_stored_places_end(searcher);
    if (n == 0)
        return VIND_OK;
    struct vind_page_terms *page = g_new0(struct vind_page_terms, 1);
    page->also = searcher->page_terms;
    page->of = terms;
    page->docids = g_memdup2(docids, n * sizeof *docids);
    page->n = n;
    page->langs = langs;
    page->terms = g_ptr_array_new_with_free_func(page_term_free);
    searcher->page_terms = page;
    vind_status_t status =
        each_match_term(searcher, terms, langs, add_page_term, page_form_held, searcher,
                        &page->all_forms, errmsg);
    if (status != VIND_OK)
        vind_stored_places_end(searcher); /* the snippets look every term up */
    return status;
}

void vind_stored_places_end(vind_searcher_t *searcher)
{
    struct vind_page_terms *page = searcher ? searcher->page_terms : NULL;
    while (page) {
        struct vind_page_terms *also = page->also;
        if (page->by_term)
            g_hash_table_destroy(page->by_term);
        if (page->by_form_term)
            g_hash_table_destroy(page->by_form_term);
        g_free(page->form_held);
        g_ptr_array_free(page->terms, TRUE);
        g_free(page->docids);
        g_free(page);
        page = also;
    }
    if (searcher)
        searcher->page_terms = NULL;
}

vind_status_t vind_stored_snippet(vind_searcher_t *searcher, uint32_t docid, json_t *record,
                                  const vind_match_terms_t *terms, unsigned target_chars,
                                  char **html, unsigned **pages, size_t *n_pages, char **errmsg)
{
    if (json_is_array(json_object_get(record, "pages"))) { /* schema 1 */
        size_t n = 0;
        const char **texts = record_pages(record, &n);
        const char *none[] = {"", NULL};
        vind_status_t status = vind_snippet_make(searcher->analyzer, vind_stored_lang(record),
                                                 n ? texts : none, n ? n : 1, terms, target_chars,
                                                 html, pages, n_pages, errmsg);
        g_free(texts);
        return status;
    }
    return vind_stored_snippet_of(searcher, docid, vind_stored_lang(record),
                                  vind_stored_n_pages(record), terms, target_chars, html, pages,
                                  n_pages, errmsg);
}

vind_status_t vind_stored_snippet_of(vind_searcher_t *searcher, uint32_t docid, vind_lang_t lang,
                                     size_t n, const vind_match_terms_t *terms,
                                     unsigned target_chars, char **html, unsigned **pages,
                                     size_t *n_pages, char **errmsg)
{
    source_t rock = {searcher, docid, lang, vind_text_open(searcher->reader, docid, n)};
    if (!rock.text)
        return vind_error(errmsg, VIND_NOMEM, "out of memory making a snippet");
    vind_snippet_source_t source = {&rock,
                                    n,
                                    source_length,
                                    source_text,
                                    source_places,
                                    source_locate,
                                    source_locate_sorted,
                                    source_complete,
                                    source_prefix_words};
    vind_snippet_stats_t stats;
    vind_status_t status =
        vind_snippet_make_from(searcher->analyzer, lang, &source, terms,
                               target_chars, html, pages, n_pages, &stats, errmsg);
    searcher->snippet_bytes_read += vind_text_bytes_read(rock.text);
    searcher->snippet_bytes_analysed += stats.bytes_analysed;
    vind_text_close(rock.text);
    return status;
}

void vind_searcher_snippet_bytes(const vind_searcher_t *searcher, uint64_t *read,
                                 uint64_t *analysed)
{
    *read = searcher ? searcher->snippet_bytes_read : 0;
    *analysed = searcher ? searcher->snippet_bytes_analysed : 0;
}
