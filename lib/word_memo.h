/*
 * word_memo.h - (private) what the query builder asks of the analyzer and
 * the translation list about a word, remembered: the Dutch analysis of a
 * query text, a word's stem in a language, a stem's English translations.
 * None of these answers depends on the index, only on the analyzer and the
 * lists a searcher loaded once, so a searcher keeps one memo for its life
 * (searcher->words) and a plan made without one keeps its own for the
 * build (a word is analysed up to four times in one plan: lib/query.c).
 *
 * Not thread-safe: used as the searcher is, by one thread at a time.
 */
#ifndef VIND_LIB_WORD_MEMO_H
#define VIND_LIB_WORD_MEMO_H

#include <stddef.h>

#include <vind/analyze.h>
#include "synonyms.h"

typedef struct vind_word_memo vind_word_memo_t;

/* A memo for analyzer and synonyms (may be NULL); NULL on NOMEM. */
vind_word_memo_t *vind_word_memo_new(vind_analyzer_t *analyzer, const vind_synonyms_t *synonyms);

/* Frees memo. Accepts NULL. */
void vind_word_memo_free(vind_word_memo_t *memo);

/*
 * Called before a build: empties the memo when it holds its most entries
 * or bytes (8,192 a table, 4 MB: a bound on its memory). Never empties it during a build, so the answers
 * lent below stay valid until the next vind_word_memo_begin.
 */
void vind_word_memo_begin(vind_word_memo_t *memo);

/* About the bytes the memo holds (what its bound counts). */
size_t vind_word_memo_bytes(const vind_word_memo_t *memo);

/* vind_analyze(text, VIND_LANG_NL), lent by the memo; NULL on failure. */
const vind_tokens_t *vind_word_memo_analysis(vind_word_memo_t *memo, const char *text);

/* vind_analyze_word(word, lang), lent by the memo; NULL when it has none. */
const char *vind_word_memo_stem(vind_word_memo_t *memo, const char *word, vind_lang_t lang);

/*
 * The English stems term translates to, as vind_synonyms_translations
 * writes them ("clef\0key\0\0"), lent by the memo; NULL when none.
 */
const char *vind_word_memo_translations(vind_word_memo_t *memo, const char *term);

#endif
