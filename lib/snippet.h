/*
 * snippet.h - (private) which words of a text a query matched, and the best
 * passages of a stored document with those words marked.
 *
 * Matching uses the analyzer (the same terms as the index), so every form of
 * a query word is marked: "bewoners" for "bewoner", "cliënten" for
 * "clienten", "verpleeghuiszorg" for "zorg" (through its compound parts).
 */
#ifndef VIND_LIB_SNIPPET_H
#define VIND_LIB_SNIPPET_H

#include <stddef.h>
#include <stdint.h>
#include <vind/analyze.h>

typedef struct vind_match_terms vind_match_terms_t;

/* An empty set of match terms, or NULL on NOMEM. */
vind_match_terms_t *vind_match_terms_new(void);
void vind_match_terms_free(vind_match_terms_t *terms);

/* Adds a stem (as vind_token_t.stem makes it): a token matches when its stem
 * or one of its extra terms equals it. Copies the string. */
void vind_match_terms_add_stem(vind_match_terms_t *terms, const char *stem);

/* Adds a prefix of normalised forms (from `prefix*` queries): a token matches
 * when its form starts with it. Copies the string. */
void vind_match_terms_add_prefix(vind_match_terms_t *terms, const char *form_prefix);

/* Adds stem as another spelling of of_stem (already added; else as a term of
 * its own): it matches as of_stem's word, with its id. For an English
 * document's translations of a Dutch query word ("key" for "sleutel"). */
void vind_match_terms_add_alias(vind_match_terms_t *terms, const char *stem, const char *of_stem);

/* A copy of terms (the same ids), or NULL on NOMEM. */
vind_match_terms_t *vind_match_terms_copy(const vind_match_terms_t *terms);

/* Whether the token matches any term of the set. */
int vind_match_terms_match(const vind_match_terms_t *terms, const vind_token_t *token);

/* Whether the set is empty (a query of filters only). */
int vind_match_terms_empty(const vind_match_terms_t *terms);

/* The terms of the set, for a source that looks their places up in the
 * index: stems (and their ids) and form prefixes (and theirs). */
size_t vind_match_terms_stems(const vind_match_terms_t *terms);
const char *vind_match_terms_stem(const vind_match_terms_t *terms, size_t i, unsigned *id);
size_t vind_match_terms_prefixes(const vind_match_terms_t *terms);
const char *vind_match_terms_prefix(const vind_match_terms_t *terms, size_t i, unsigned *id);

/* Places of the query's words, filled by a source's places(). */
typedef struct vind_snippet_places vind_snippet_places_t;

/* A word of term id `term` is at word position `position` of page (0-based
 * both; positions as the index numbers a page's words). */
void vind_snippet_place(vind_snippet_places_t *places, size_t page, unsigned position,
                        unsigned term);

/* Some places were left out (a term's positions were cut at a bound): the
 * passages shown are then analysed to mark their words. */
void vind_snippet_places_cut(vind_snippet_places_t *places);

/* Every form of the terms' prefixes has its places among them (none left
 * out at a bound on the forms looked up): a prefix's words are then
 * matched by their places, as a stem's are, and not by analysing the text
 * around them. A source that does not say so has its prefixes' words
 * found by analysis. */
void vind_snippet_places_all_forms(vind_snippet_places_t *places);

/*
 * Where a snippet's text comes from, read as far as the snippet needs: the
 * text store of the index (lib/textstore.h, through lib/search.c) or pages
 * in memory (vind_snippet_make).
 */
typedef struct {
    void *rock;
    size_t n_pages;
    /* The byte length of a page. */
    vind_status_t (*length)(void *rock, size_t page, size_t *length, char **errmsg);
    /* The page's text, length + 1 bytes, with at least [start, end) read;
     * bytes not read are NUL. The buffer lives as long as the source. */
    vind_status_t (*text)(void *rock, size_t page, size_t start, size_t end, const char **text,
                          char **errmsg);
    /* Optional: the places of the terms' words (from the index's positions);
     * NULL: a long text is scanned for them. */
    vind_status_t (*places)(void *rock, const vind_match_terms_t *terms,
                            vind_snippet_places_t *places, char **errmsg);
    /* With places: the byte range [*start, *end) of a page that holds the
     * word at a position (only the few places a snippet looks at). */
    vind_status_t (*locate)(void *rock, size_t page, size_t position, size_t *start, size_t *end,
                            char **errmsg);
    /* With places: locate for the ascending positions[0..n) of a page at
     * once (starts[i] = SIZE_MAX where the page has no word there): a
     * short text's every place. */
    vind_status_t (*locate_sorted)(void *rock, size_t page, const unsigned *positions, size_t n,
                                   size_t *starts, size_t *ends, char **errmsg);
    /* Optional, with places: 1 when every word of a page has a place (the
     * index positions only a page's first words): its passages can then be
     * marked from the places. NULL: none can. */
    int (*complete)(void *rock, size_t page);
    /* Optional, with places and complete: the words of bytes [start, end)
     * of a complete page whose forms begin with one of the terms' prefixes
     * (terms of prefixes only), in text order, each given to word() with
     * its byte range and the first such prefix's term id. NULL: a region
     * of a prefix with more forms than the places hold is analysed. */
    vind_status_t (*prefix_words)(void *rock, size_t page, size_t start, size_t end,
                                  const vind_match_terms_t *terms,
                                  void (*word)(void *to, size_t start, size_t end, unsigned term),
                                  void *to, char **errmsg);
} vind_snippet_source_t;

/* What a snippet cost: the bytes it gave the analyzer (its windows, and
 * once more the passages it marks). The source counts the bytes it read. */
typedef struct {
    uint64_t bytes_analysed;
} vind_snippet_stats_t;

/* vind_snippet_make over a source; stats may be NULL. A text the source
 * cannot read fails the snippet with the source's status. */
vind_status_t vind_snippet_make_from(vind_analyzer_t *analyzer, vind_lang_t lang,
                                     const vind_snippet_source_t *source,
                                     const vind_match_terms_t *terms, unsigned target_chars,
                                     char **html_out, unsigned **pages_out, size_t *n_pages_out,
                                     vind_snippet_stats_t *stats, char **errmsg);

/*
 * The best passage(s) of a document whose text is pages[0..n_pages) (one page
 * for HTML), about target_chars long: windows scored by the number of
 * distinct matched words and their density, joined by " … " when more than
 * one. The result is HTML: all text escaped (& < > " '), matches wrapped in
 * <mark>…</mark>, cut at word boundaries, never inside a UTF-8 sequence.
 * When nothing matches (or terms is empty), the start of the text.
 * *pages_out (malloc'd, may be NULL when n is 0) receives the 1-based page
 * numbers the passages come from, ascending, and *n_pages_out their count.
 *
 * Return value: VIND_OK; VIND_NOMEM.
 */
vind_status_t vind_snippet_make(vind_analyzer_t *analyzer, vind_lang_t lang,
                                const char *const *pages, size_t n_pages,
                                const vind_match_terms_t *terms, unsigned target_chars,
                                char **html_out, unsigned **pages_out, size_t *n_pages_out,
                                char **errmsg);

/* Escapes text for HTML (& < > " '), malloc'd; NULL on NOMEM. */
char *vind_html_escape(const char *text, size_t len);

#endif
