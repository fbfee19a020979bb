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

/* Whether the token matches any term of the set. */
int vind_match_terms_match(const vind_match_terms_t *terms, const vind_token_t *token);

/* Whether the set is empty (a query of filters only). */
int vind_match_terms_empty(const vind_match_terms_t *terms);

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
