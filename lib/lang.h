/*
 * lang.h - (private) a document's language, Dutch or English, from its
 * declaration and its text: the declared language stands unless the text
 * clearly says the other one (docs/indexing.md, "A page's language from its
 * text"). One rule for HTML (declared by <html lang>, JSON-LD, og:locale)
 * and PDF (declared by its XMP dc:language).
 */
#ifndef VIND_LIB_LANG_H
#define VIND_LIB_LANG_H

#include <stddef.h>

/* Function words (lib/lang.c's lists) a text needs before it may overrule a
 * declaration, and the share of them that must be the other language's.
 * Chosen on the shared corpus, LibreOffice's Dutch help (2,561 pages) and
 * tests/data (session 14, docs/ranking.md): the 16 English pages declared
 * Dutch have 29 such words or more and an English share of 0.983 or more;
 * the Dutch pages nearest to flipping have 0.888 (517 words, mostly English
 * code comments under a Dutch text) or 8 words (code only). A Dutch page
 * read as English costs more than the reverse: the share sits nearer the
 * English pages. */
#define VIND_LANG_MIN_WORDS 20u
#define VIND_LANG_MIN_PERCENT 95u
/* Without a declaration the majority decides, from this many words on
 * (else no language, which is analysed as Dutch). */
#define VIND_LANG_GUESS_MIN_WORDS 10u
/* Only the first bytes of a document's text are read: the share settles
 * long before, and a 100 MB text costs no more than a 1 MB one. */
#define VIND_LANG_SCAN_BYTES (1u << 20)

/* The primary subtag of a language tag, lower case: "nl-NL" -> "nl",
 * "nl_NL" -> "nl" (g_malloc'd); NULL for none, and for the tags that name no
 * language: "x-..." (private), "und" (undetermined), "mul", "zxx". */
char *vind_lang_primary(const char *tag);

/* The Dutch and English function words of a text. */
typedef struct {
    size_t dutch;
    size_t english;
} vind_lang_votes_t;

/* Adds the function words of text[0..len) to *votes. Cost: one pass over the
 * bytes and a binary search of ~200 short words per word of 2-8 letters. */
void vind_lang_count(const char *text, size_t len, vind_lang_votes_t *votes);

/* The language a document is analysed in: declared (a primary tag, "nl",
 * "en", "fr" or NULL) unless the votes clearly say the other of Dutch and
 * English ("en..." is English, anything else Dutch), then "nl" or "en".
 * Returns declared itself or a static string; *overruled is set to 1 when
 * the text replaced a declaration. */
const char *vind_lang_choose(const char *declared, const vind_lang_votes_t *votes, int *overruled);

/*
 * The language of a document's pages (the first VIND_LANG_SCAN_BYTES) given
 * its declaration: g_malloc'd, or NULL (none declared, too little text to
 * tell). When the text overrules the declaration, *note (g_malloc'd, else
 * NULL) says so for the indexer's "indexed, but ..." line: a site owner
 * learns which page declares the wrong language.
 */
char *vind_lang_settle(const char *declared, char *const *pages, size_t n_pages, char **note);

#endif
