/*
 * lexicon_lookup.h - (private) the entry lookup lib/compound.c needs beyond
 * lib/lexicon.h: flags of a form given as a byte range, so that a compound
 * splitter can test "zorg" inside "jeugdzorg" without copying it.
 */
#ifndef VIND_LIB_LEXICON_LOOKUP_H
#define VIND_LIB_LEXICON_LOOKUP_H

#include <stddef.h>
#include <stdint.h>
#include <vind/analyze.h>

/*
 * The VIND_LEX_* flags (lib/lexicon_format.h) of the normalised form made of
 * the len bytes at form (not NUL-terminated), or 0 when it is not in the
 * lexicon. Lemma offsets are resolved by vind_lexicon_lemma.
 */
uint32_t vind_lexicon_flags(const vind_lexicon_t *lexicon, const char *form, size_t len);

/* Like vind_lexicon_lemma but for a byte range; NULL when unknown or its own lemma. */
const char *vind_lexicon_lemma_range(const vind_lexicon_t *lexicon, const char *form, size_t len);

/*
 * Both of one range from one binary search: its flags (the return value, as
 * vind_lexicon_flags) and *lemma (as vind_lexicon_lemma_range). The compound
 * splitter asks both of most ranges it tries; two searches were a fifth of
 * its look-ups (session 9, docs/scaling.md).
 */
uint32_t vind_lexicon_entry_range(const vind_lexicon_t *lexicon, const char *form, size_t len,
                                  const char **lemma);

#endif
