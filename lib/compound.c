/*
 * compound.c - splits Dutch compounds into the words they are made of, so
 * that "verpleeghuiszorg" is also found by "zorg" and "zorgkantoren" by
 * "kantoor".
 *
 * A part counts only when OpenTaal's hunspell data allows it in that place
 * (the flags nl.dic gives compounding, copied into nl.lex): a head must be a
 * compound end (COMPOUNDEND, "zorg", "bescherming", or an inflected form of
 * one, "kantoren"), a modifier a compound start ("verpleeghuis", "jeugd",
 * "kinder" of "kinderboek"), with a linking -s- only where nl.dic gives one
 * ("bewoner" of "bewonersraad", "gegeven" of "gegevensbescherming") and
 * -en-/-s- plurals of starts ("ouderen" of "ouderenzorg"). Flags, not mere
 * word-list membership, keep "kinderen" (kind + "eren", a verb that is no
 * compound end), "organisatie" (organ + "isatie") and "ministerie" whole.
 *
 * Among the valid splits the fewest parts win, then the longest head.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <vind/limits.h>
#include "lexicon.h"
#include "lexicon_format.h"
#include "lexicon_lookup.h"

/* Shortest part: "zorg", "wet", "ei" is too short to trust ("kinderen" ends in "en"). */
#define MIN_PART_BYTES 3u
/* Shortest word worth splitting: "jeugdzorg" (9), "zorgwet" (7). */
#define MIN_COMPOUND_BYTES 6u

/*
 * Adjective-forming suffixoids: "belangrijk" is belang + "rijk" and
 * "regelmatig" regel + "matig" to hunspell, but a search for "rijk" (the
 * state, in government texts) must not find every "belangrijke". Measured
 * on the corpus's 1000 most frequent words (docs/morphology.md).
 */
static int is_suffixoid(const char *word, size_t len)
{
    static const char *const suffixoids[] = {
        "rijk", "rijke", "matig", "matige",  "vol",      "volle",  "loos",    "loze", "baar",
        "bare", "zaam",  "zame",  "waardig", "waardige", "achtig", "achtige", NULL};
    for (int i = 0; suffixoids[i]; i++)
        if (strlen(suffixoids[i]) == len && memcmp(word, suffixoids[i], len) == 0)
            return 1;
    return 0;
}

static int is_head(const vind_lexicon_t *lexicon, const char *part, size_t len)
{
    uint32_t flags = vind_lexicon_flags(lexicon, part, len);
    if (flags == 0 || (flags & VIND_LEX_PROPER))
        return 0;
    const char *head_lemma = vind_lexicon_lemma_range(lexicon, part, len);
    if (is_suffixoid(part, len) || (head_lemma && is_suffixoid(head_lemma, strlen(head_lemma))))
        return 0;
    if (flags & VIND_LEX_HEAD)
        return 1;
    /* an inflected form of a compound end: "kantoren" of "zorgkantoren" */
    return head_lemma &&
           (vind_lexicon_flags(lexicon, head_lemma, strlen(head_lemma)) & VIND_LEX_HEAD);
}

/* Whether the lemma of the len bytes at part may start a compound. */
static int lemma_is_modifier(const vind_lexicon_t *lexicon, const char *part, size_t len)
{
    const char *lemma = vind_lexicon_lemma_range(lexicon, part, len);
    return lemma && (vind_lexicon_flags(lexicon, lemma, strlen(lemma)) & VIND_LEX_MODIFIER);
}

/*
 * The length of the part to report when the len bytes at part can start a
 * compound, 0 when they cannot: the whole modifier when it is a word itself
 * ("ouderen", "gegevens", "onderwijs"), else without its linking -s-
 * ("arbeid" of "arbeidsmarkt").
 */
static size_t modifier_length(const vind_lexicon_t *lexicon, const char *part, size_t len)
{
    uint32_t flags = vind_lexicon_flags(lexicon, part, len);
    if (flags & VIND_LEX_PROPER)
        return 0;
    if (flags & VIND_LEX_MODIFIER)
        return len;
    /* a plural of a compound start: "ouderen" (ouder), "kantoren" */
    if ((flags & VIND_LEX_LIST) && len > 4 &&
        (part[len - 1] == 's' || (part[len - 2] == 'e' && part[len - 1] == 'n')) &&
        lemma_is_modifier(lexicon, part, len))
        return len;
    if (len > MIN_PART_BYTES && part[len - 1] == 's') {
        uint32_t base = vind_lexicon_flags(lexicon, part, len - 1);
        if ((base & VIND_LEX_LINK_S) && !(base & VIND_LEX_PROPER))
            return (flags & VIND_LEX_LIST) ? len : len - 1;
    }
    return 0;
}

struct split_state {
    unsigned char parts;    /* parts from here to the end; 0: no valid split */
    unsigned char next;     /* where the next part starts (== len for the head) */
    unsigned char keep;     /* bytes of this part to report */
    unsigned char head_len; /* length of the final part */
};

size_t vind_compound_split(const vind_lexicon_t *lexicon, const char *form, char **parts,
                           size_t max_parts)
{
    if (lexicon == NULL || form == NULL || parts == NULL || max_parts < 2)
        return 0;
    size_t len = strlen(form);
    if (len < MIN_COMPOUND_BYTES || len > VIND_MAX_TERM_BYTES)
        return 0;
    struct split_state state[VIND_MAX_TERM_BYTES + 1];
    memset(state, 0, sizeof state);
    for (size_t i = len - MIN_PART_BYTES + 1; i-- > 0;) {
        struct split_state *best = &state[i];
        if (i > 0 && is_head(lexicon, form + i, len - i)) {
            *best = (struct split_state){1, (unsigned char)len, (unsigned char)(len - i),
                                         (unsigned char)(len - i)};
            continue; /* one part is always the fewest */
        }
        for (size_t j = i + MIN_PART_BYTES; j + MIN_PART_BYTES <= len; j++) {
            const struct split_state *rest = &state[j];
            if (rest->parts == 0 || rest->parts + 1u > max_parts)
                continue;
            unsigned parts_here = rest->parts + 1u;
            if (best->parts != 0 &&
                (parts_here > best->parts ||
                 (parts_here == best->parts && rest->head_len <= best->head_len)))
                continue;
            size_t keep = modifier_length(lexicon, form + i, j - i);
            if (keep == 0)
                continue;
            *best = (struct split_state){(unsigned char)parts_here, (unsigned char)j,
                                         (unsigned char)keep, rest->head_len};
        }
    }
    if (state[0].parts < 2)
        return 0;
    size_t count = 0;
    for (size_t i = 0; i < len && count < max_parts; i = state[i].next) {
        parts[count] = strndup(form + i, state[i].keep);
        if (parts[count] == NULL) {
            while (count > 0)
                free(parts[--count]);
            return 0;
        }
        count++;
    }
    return count;
}
