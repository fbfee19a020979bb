/*
 * lexicon.h - (private) the Dutch lexicon behind the analyzer: lemmas of
 * inflected forms and the word set used to split compounds, both derived at
 * build time from OpenTaal's word list and affix rules (lexicon/, Debian's
 * wdutch and hunspell-nl), plus the stop-word lists.
 *
 * All keys are normalised forms (vind_normalize: lower case, diacritics
 * folded), so "cliënten" and "clienten" look up the same entry. The lexicon
 * is immutable after vind_lexicon_open() and safe to share between threads.
 */
#ifndef VIND_LIB_LEXICON_H
#define VIND_LIB_LEXICON_H

#include <stddef.h>
#include <stdint.h>
#include <vind/analyze.h>

/*
 * The lemma (dictionary form, normalised) of a normalised Dutch word form:
 * "organisaties" -> "organisatie", "huizen" -> "huis", "kinderen" -> "kind",
 * "gebruikt" -> "gebruiken", "gemaakt" -> "maken". Returns NULL when the form
 * is unknown or is its own lemma. The string is owned by the lexicon.
 */
const char *vind_lexicon_lemma(const vind_lexicon_t *lexicon, const char *form);

/* Whether the normalised form is a known Dutch word (any form, any class). */
int vind_lexicon_has_word(const vind_lexicon_t *lexicon, const char *form);

/*
 * Splits a normalised Dutch compound into its parts, using the lexicon's
 * word set and the linking morphemes -s-, -en-, -e-: "verpleeghuiszorg" ->
 * {"verpleeghuis", "zorg"}, "zorgkantoren" -> {"zorg", "kantoren"},
 * "onderwijsvernieuwing" -> {"onderwijs", "vernieuwing"}. Parts are the
 * surface parts (not lemmatised: the caller lemmatises and stems each).
 * Writes at most max_parts malloc'd strings to parts[] and returns their
 * number; 0 when the word is not a compound (or is too short or unknown).
 * The caller frees each part.
 */
size_t vind_compound_split(const vind_lexicon_t *lexicon, const char *form, char **parts,
                           size_t max_parts);

/*
 * vind_compound_split, and for each part the bytes of form it takes as
 * written, its linker included, into written[k] (NULL: not wanted): the
 * part "gegeven" of "gegevensbescherming" is written "gegevens", whose
 * lemma ("gegeven", the noun) is the part's term; the lemma of "gegeven"
 * alone is the verb "geven" (lib/analyze.c).
 */
size_t vind_compound_split_written(const vind_lexicon_t *lexicon, const char *form, char **parts,
                                   size_t *written, size_t max_parts);

/*
 * A fingerprint of what decides the terms: nl.lex's content checksum (written
 * by the builder into its header) and the stop-word lists. Two lexicons with
 * the same fingerprint make the same terms (lib/schema.h, vind_analyzer_stamp).
 */
uint32_t vind_lexicon_fingerprint(const vind_lexicon_t *lexicon);

/* The lexicon the analyzer was made with (lib/analyze.c). */
const vind_lexicon_t *vind_analyzer_lexicon(const vind_analyzer_t *analyzer);

/*
 * vind_analyze without the word analysis: the same tokens (offsets,
 * positions, flags, surfaces and forms), but each token's lemma and stem are
 * its form and it has no extra terms. For matching form prefixes
 * (lib/snippet.c: a `voor*` query's snippet), where the lexicon, stemmer and
 * compound splitting of every new word were two thirds of the analysis.
 */
vind_status_t vind_analyze_forms(vind_analyzer_t *analyzer, const char *text, size_t len,
                                 vind_lang_t lang, vind_tokens_t **out, char **errmsg);

/* The data directory the lexicon was loaded from (owned by the lexicon). */
const char *vind_lexicon_datadir(const vind_lexicon_t *lexicon);

/* $(PREFIX)/share/vind of the build (lib/datadir.c): the last place
 * vind_lexicon_open looks. */
const char *vind_installed_datadir(void);

#endif
