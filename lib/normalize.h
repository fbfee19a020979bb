/*
 * normalize.h - (private) UTF-8 decoding with repair, and the character
 * folding shared by vind_normalize(), the tokenizer and the analyzer.
 */
#ifndef VIND_LIB_NORMALIZE_H
#define VIND_LIB_NORMALIZE_H

#include <stddef.h>
#include <glib.h>

/* What a bad byte decodes to: it separates words, as the contract says. */
#define VIND_REPLACEMENT_CHARACTER 0xFFFDu

/*
 * Decodes the code point at text[i] (i < len) into *cp and returns its
 * length in bytes (1..4). A byte that does not start a valid sequence
 * (stray continuation byte, 0xC0/0xC1/0xF5..0xFF, truncated, overlong or
 * surrogate sequence, beyond U+10FFFF) gives U+FFFD and length 1, so a
 * caller always advances and never reads past len.
 */
size_t vind_utf8_decode(const char *text, size_t len, size_t i, gunichar *cp);

/* Whether cp is dropped by normalisation: soft hyphen U+00AD and the
 * zero-width characters U+200B-U+200D, U+2060, U+FEFF. */
int vind_char_is_invisible(gunichar cp);

/* Whether cp is a private-use code point (symbol-font bullets like U+F0B7):
 * a separator, never part of a word. */
int vind_char_is_private_use(gunichar cp);

/* Whether cp is one of the apostrophes unified to ' (’ ‘ ‛ ′ ´ ʼ and '). */
int vind_char_is_apostrophe(gunichar cp);

/* Whether cp is a word-joining hyphen: '-', U+2010, U+2011 (not the dashes,
 * which separate: "2020–2021"). */
int vind_char_is_hyphen(gunichar cp);

/*
 * Appends the normalised form of len bytes of text to out: NFKC, case fold,
 * diacritics dropped, typographic quotes unified to ' and ", ligatures
 * expanded, invisible characters dropped, private-use code points, NUL
 * bytes, other control characters and invalid bytes turned into spaces.
 * ASCII input is folded in place without allocating; other text goes
 * through g_utf8_casefold() and g_utf8_normalize().
 */
void vind_normalize_append(GString *out, const char *text, size_t len);

/*
 * vind_normalize(text, len) with every run of white space made one space and
 * the ends trimmed: the key of a facet value, a synonym, a wildcard or
 * completion prefix ("Wonen  en Zorg " -> "wonen en zorg"). g_malloc'd (free
 * with g_free); never NULL (an empty string when nothing is left).
 */
char *vind_normalize_collapsed(const char *text, size_t len);

#endif
