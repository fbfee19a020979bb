/*
 * simhash.h - (private) near-duplicate fingerprints: a 64-bit simhash of the
 * word 4-shingles of a document's body text (its normalised surface words,
 * not the analyzer's terms: vind_simhash_add_token), and the groups of
 * near-duplicates the indexer assigns from them (docs/schema.md, "Groups of
 * near-duplicates"; docs/ranking.md has the figures).
 */
#ifndef VIND_LIB_SIMHASH_H
#define VIND_LIB_SIMHASH_H

#include <stddef.h>
#include <stdint.h>

#include <vind/analyze.h>

/* Words per shingle. */
#define VIND_SIMHASH_SHINGLE 4u
/* Texts with fewer shingles get no fingerprint: a short article shares
 * its sentences of boilerplate with others and would look like a copy.
 * Counted without stop words (the shingles such a text would have of its
 * other words; vind_simhash_add_token), as before session 15: with them,
 * 21 more pages of the corpus and a generated 60-word article would get one. */
#define VIND_SIMHASH_MIN_SHINGLES 40u
/* Fingerprints this many bits apart or fewer are near-duplicates. Measured
 * on the corpus (docs/ranking.md): successive versions of one report are 0-16
 * bits apart, unrelated texts 14 and more (most 25-40); every pair at 13 or
 * less was a real near-duplicate, by stems and (session 15) by forms. Too far for exact banding (the plain
 * pigeonhole would need 13 bands of 4-5 bits, matching most documents): the
 * look-up probes four 16-bit bands within 3,2,2,2 bits instead (lib/prints.h). */
#define VIND_SIMHASH_MAX_DISTANCE 12u

/* A fingerprint being made: feed it the words in text order. */
typedef struct {
    uint32_t set[64]; /* per bit: the shingles that have it set (the rest vote against it) */
    uint64_t recent[VIND_SIMHASH_SHINGLE - 1]; /* hashes of the last words, oldest first */
    size_t words;
    size_t shingles;
    size_t content_words; /* words that are not stop words: what the minimum counts */
} vind_simhash_t;

void vind_simhash_init(vind_simhash_t *s);

/* Adds the next word (len bytes), a word that is no stop word. Cost: one
 * hash of the word, one of the shingle and an increment per set bit of it
 * (~32). */
void vind_simhash_add(vind_simhash_t *s, const char *word, size_t len);

/*
 * Adds the next analysed word of a body: its normalised form (lower case,
 * diacritics folded: "clienten"), not its lemma or stem, and stop words
 * too. Why: a near-duplicate is a property of the text. The stems change
 * with every analyzer rule, and before session 15 such a change moved
 * groups (analyzer 9's "samen" rule put two versions of one audit past the
 * distance, docs/morphology.md); the forms change only when the tokenizer
 * or the folding does. Stop words count since then as well: whether a word
 * is one is the stop list's say, and with them the shingles cover the text
 * (on the corpus 39 of the 52 pairs of versions CORPUS.md names are grouped,
 * 26 without them; docs/ranking.md); only the minimum counts without them
 * (VIND_SIMHASH_MIN_SHINGLES). Cost: that of vind_simhash_add per word,
 * stop words too: 1.8% of vind-index's instructions over 80 corpus
 * articles and 2 PDFs, 1.0% with the stems alone (callgrind, session 15).
 */
void vind_simhash_add_token(vind_simhash_t *s, const vind_token_t *token);

/* The fingerprint into *out; 0 (no fingerprint) when the text's words
 * that are not stop words make fewer than VIND_SIMHASH_MIN_SHINGLES
 * shingles, else 1. */
int vind_simhash_result(const vind_simhash_t *s, uint64_t *out);

/* The number of bits in which a and b differ. */
unsigned vind_simhash_distance(uint64_t a, uint64_t b);

/* A fingerprint as 16 lower-case hex digits (out: 17 bytes); and back (0 on
 * anything else). */
void vind_simhash_hex(uint64_t fingerprint, char out[17]);
int vind_simhash_parse(const char *hex, size_t len, uint64_t *out);

#endif
