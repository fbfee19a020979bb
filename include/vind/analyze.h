/*
 * analyze.h - the one Dutch analyzer: text -> tokens -> index terms.
 *
 * The indexer, the query parser, snippets and highlighting all call
 * vind_analyze(), so a word a user types produces exactly the terms its
 * forms produced at index time. Pipeline (lib/analyze.c wires it):
 *
 *   normalise (NFKC, case fold, diacritics and typographic quotes folded,
 *   ligatures expanded, soft hyphens and zero-width characters dropped)
 *   -> tokenise (Dutch words with byte offsets and positions, apostrophe
 *   plurals, hyphenated words, elliptic compounds, abbreviations, numbers,
 *   e-mail addresses and URLs) -> stop words (flagged, not removed)
 *   -> lemma (OpenTaal lexicon) -> Snowball stem -> compound parts.
 *
 * Two kinds of handle:
 *  - vind_lexicon_t: the Dutch lexicon and stop-word lists, loaded once and
 *    read-only afterwards; one may be shared by any number of threads.
 *  - vind_analyzer_t: per thread (it owns Snowball stemmers, whose results
 *    are only valid until their next call).
 */
#ifndef VIND_ANALYZE_H
#define VIND_ANALYZE_H

#include <stddef.h>
#include <vind/common.h>
#include <vind/status.h>

VIND_BEGIN_DECLS

typedef struct vind_lexicon vind_lexicon_t;
typedef struct vind_analyzer vind_analyzer_t;
typedef struct vind_tokens vind_tokens_t;

typedef enum {
    VIND_LANG_NL = 0, /* Dutch: lexicon, Dutch Snowball, stopwords/nl.txt */
    VIND_LANG_EN = 1, /* English: English Snowball, stopwords/en.txt */
} vind_lang_t;

/* Token flags. */
#define VIND_TOKEN_STOP 0x01u   /* a stop word: indexed, but dropped from queries outside phrases */
#define VIND_TOKEN_NUMBER 0x02u /* a number or year ("2021", "3,5") */
#define VIND_TOKEN_URL 0x04u    /* a URL or domain name */
#define VIND_TOKEN_EMAIL 0x08u  /* an e-mail address */
#define VIND_TOKEN_ABBREV 0x10u /* an abbreviation ("o.a.", "t/m") */

/*
 * One token. All strings are NUL-terminated UTF-8 owned by the vind_tokens_t
 * that holds the token, valid until vind_tokens_free().
 */
typedef struct {
    size_t start;       /* byte offset of the token's first byte in the analysed text */
    size_t end;         /* byte offset just past its last byte */
    unsigned position;  /* 0-based word position; parts of "Noord-Holland" take two */
    const char *surface;/* the text as written: "Cliënten" */
    const char *form;   /* normalised form: folded, lower case, no diacritics: "clienten" */
    const char *lemma;  /* dictionary form from the lexicon ("client"), else the form */
    const char *stem;   /* the main index term: Snowball stem of the lemma ("client") */
    /*
     * NULL-terminated list of further index terms at the same position, already
     * stemmed: compound parts ("verpleeghuiszorg" -> "verpleeghuis", "zorg"), the
     * joined whole of a hyphenated word on its first part ("noord" of
     * "Noord-Holland" carries "noordholland"), elliptic completions ("zorg" of
     * "zorg- en onderwijsvernieuwing" carries "zorgvernieuw"). Never NULL.
     */
    const char *const *extra;
    unsigned flags;     /* VIND_TOKEN_* */
} vind_token_t;

/*
 * Loads the Dutch lexicon (nl.lex) and the stop-word lists from datadir.
 * datadir NULL means: $VIND_DATADIR, else <program>/../share/vind, else the
 * $(PREFIX)/share/vind the library was built for (`make install PREFIX=`;
 * `pkg-config --variable=datadir vind`). The result is read-only and may be
 * shared by threads.
 *
 * Return value: VIND_OK; VIND_NOT_FOUND (a data file is missing; *errmsg
 * names it); VIND_IO; VIND_NOMEM.
 * Thread: call before starting threads.
 */
VIND_API vind_status_t vind_lexicon_open(const char *datadir, vind_lexicon_t **out, char **errmsg);

/* Frees the lexicon. Accepts NULL. Every analyzer made from it must be freed first. */
VIND_API void vind_lexicon_close(vind_lexicon_t *lexicon);

/*
 * A new analyzer over lexicon (borrowed: it must outlive the analyzer).
 *
 * Return value: VIND_OK; VIND_INVALID_ARGUMENT (lexicon NULL); VIND_NOMEM.
 * Thread: the analyzer belongs to one thread at a time.
 */
VIND_API vind_status_t vind_analyzer_new(const vind_lexicon_t *lexicon, vind_analyzer_t **out,
                                         char **errmsg);

/* Frees the analyzer. Accepts NULL. */
VIND_API void vind_analyzer_free(vind_analyzer_t *analyzer);

/*
 * Analyses len bytes of text in language lang. Invalid UTF-8 is repaired
 * (each bad byte becomes U+FFFD and separates words); NUL bytes separate
 * words. Empty input gives zero tokens.
 *
 * Return value: VIND_OK with *out set (free with vind_tokens_free);
 * VIND_TOO_LARGE (len beyond VIND_MAX_ANALYZE_BYTES); VIND_NOMEM;
 * VIND_INVALID_ARGUMENT (analyzer NULL, text NULL with len > 0, or an
 * unknown lang). docs/analyzer.md describes every rule.
 */
VIND_API vind_status_t vind_analyze(vind_analyzer_t *analyzer, const char *text, size_t len,
                                    vind_lang_t lang, vind_tokens_t **out, char **errmsg);

/* Number of tokens. */
VIND_API size_t vind_tokens_count(const vind_tokens_t *tokens);

/* Token i (0 <= i < count), owned by tokens. */
VIND_API const vind_token_t *vind_tokens_get(const vind_tokens_t *tokens, size_t i);

/* Frees tokens and all their strings. Accepts NULL. */
VIND_API void vind_tokens_free(vind_tokens_t *tokens);

/*
 * The stem term of a single word as vind_analyze would make it (first
 * token's stem), malloc'd; NULL when the word yields no token. For callers
 * that hold one word (facet values, suggestions).
 */
VIND_API char *vind_analyze_word(vind_analyzer_t *analyzer, const char *word, vind_lang_t lang);

/*
 * Normalises text the way the analyzer does (NFKC, case fold, diacritics and
 * typographic quotes folded, ligatures expanded, invisible characters dropped)
 * without tokenising it; malloc'd, NULL on NOMEM. Used for facet values,
 * exact-title matching and comparisons.
 */
VIND_API char *vind_normalize(const char *text, size_t len);

/* Whether the normalised word is a stop word in lang. */
VIND_API int vind_is_stopword(const vind_lexicon_t *lexicon, const char *form, vind_lang_t lang);

VIND_END_DECLS

#endif
