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
 * Among the valid splits the fewest parts win, then the longest head. Then
 * the longest known parts win: neighbouring parts that together are a word
 * of the list are one part ("wachtwoord" + "beheer", not "wacht" + "woord"
 * + "beheer"; "wijk" + "verpleegkundige"). A suffixoid head makes no
 * compound ("belangrijke", "verpleegkundige"). A listed word whose split
 * needs a short bare verb stem before a short head ("richtlijn": "richt" of
 * "richten") is lexicalised and stays whole. Linkers are dropped from the
 * reported part ("overheids" -> "overheid", "ouderen" -> "ouder"). A
 * listed noun made from a verb whose split has a short head stays whole
 * ("waardering" is waarderen + -ing, no "waarde" + "ring"). A verb's
 * infinitive splits only where its past conjugates the head ("thuiswerken":
 * "werkte"; "handhaven" is no "hand" + "haven": "handhaafde").
 *
 * A word the lexicon does not know at all, which the flags cannot split
 * ("cookiemelding": "cookie" is no compound start in nl.dic), is split when
 * exactly one place divides it into two listed words of at least 4 bytes,
 * a linker -s-, -e- or -en- allowed ("cookie" + "melding", "schermlezer" +
 * "gebruikers"). Its precision was measured on corpus words before it was
 * turned on (tests/data/compound-unknown.tsv, docs/morphology.md).
 * A listed word the flags cannot split ("versiebeheersysteem": nl.dic gives
 * "versie" no compound-start flag) is split the same way, several agreeing
 * places allowed, unless nl.dic has it (or its lemma) as a root of its own
 * ("software", "platform"), its head is a verb or a modifier a particle.
 * Its precision was measured before it was turned on
 * (lexicon/known-splits.tsv, docs/analyzer.md).
 */
#include <limits.h>
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
/* Shortest part of an unknown word split without flags: "cookie" + "melding";
 * 3 bytes let "app", "web" and "ict" in, and with them chance splits of names
 * and English words (measured, docs/morphology.md). */
#define MIN_GUESS_PART_BYTES 4u
/* Shortest listed word that ends an unknown compound without nl.dic's
 * compound-end flag. */
#define GUESS_HEAD_BYTES 6u

/*
 * Adjective-forming suffixoids: "belangrijk" is belang + "rijk" and
 * "regelmatig" regel + "matig" to hunspell, but a search for "rijk" (the
 * state, in government texts) must not find every "belangrijke". Measured
 * on the corpus's 1000 most frequent words (docs/morphology.md).
 */
/* Whether the len bytes at s are one of the words of a NULL-ended list. */
static int in_list(const char *const *list, const char *s, size_t len)
{
    for (int i = 0; list[i]; i++)
        if (strlen(list[i]) == len && memcmp(s, list[i], len) == 0)
            return 1;
    return 0;
}

static int is_suffixoid(const char *word, size_t len)
{
    static const char *const suffixoids[] = {"rijk",    "rijke",  "matig",   "matige",   "vol",
                                             "volle",   "loos",   "loze",    "baar",     "bare",
                                             "zaam",    "zame",   "waardig", "waardige", "achtig",
                                             "achtige", "kundig", "kundige", "kundigen", NULL};
    return in_list(suffixoids, word, len);
}

/* What the lexicon says of one range: its flags (0: unknown) and its lemma
 * (NULL: none, or its own), from one binary search. The tests below take
 * it: most ranges are asked several things (a head: its flags, its lemma,
 * whether it is a suffixoid or a word), each a search of its own before. */
typedef struct {
    uint32_t flags;
    const char *lemma;
} entry_t;

static entry_t look_up(const vind_lexicon_t *lexicon, const char *s, size_t len)
{
    entry_t entry;
    /* VIND_LEX_ENGLISH and VIND_LEX_COGNATE are the analyzer's (it drops the
     * parts of such a word; it keeps a cognate's Dutch stem); to the splitter
     * an English word alone is as unknown as any other. */
    entry.flags = vind_lexicon_entry_range(lexicon, s, len, &entry.lemma) &
                  ~(VIND_LEX_ENGLISH | VIND_LEX_COGNATE);
    return entry;
}

/* Whether entry's range has a lemma of its own with flag (VIND_LEX_HEAD,
 * VIND_LEX_MODIFIER, VIND_LEX_ROOT): one more look-up, of the lemma. */
static int lemma_has(const vind_lexicon_t *lexicon, const entry_t *entry, uint32_t flag)
{
    return entry->lemma &&
           (vind_lexicon_flags(lexicon, entry->lemma, strlen(entry->lemma)) & flag) != 0;
}

/* Whether the len bytes at part (entry: theirs), or their lemma, are a suffixoid. */
static int head_is_suffixoid(const entry_t *entry, const char *part, size_t len)
{
    return is_suffixoid(part, len) ||
           (entry->lemma && is_suffixoid(entry->lemma, strlen(entry->lemma)));
}

/* Whether the range of entry may end a compound. A suffixoid may, for
 * now: "wijk" + "verpleeg" + "kundige" is merged into "wijk" +
 * "verpleegkundige" before suffixoid heads are refused. */
/* Whether entry's range (len bytes) reads as a bare verb stem by its lemma:
 * an infinitive longer than it ("richt" of "richten", "tuur" of "turen"). */
static int lemma_is_longer_infinitive(const entry_t *entry, size_t len)
{
    size_t n = entry->lemma ? strlen(entry->lemma) : 0;
    return n > len && entry->lemma[n - 2] == 'e' && entry->lemma[n - 1] == 'n';
}

/* Whether c is a vowel letter (after normalisation: no accents). */
static int is_vowel(char c)
{
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y';
}

/* Whether the len bytes at s are the stem of infinitive by Dutch spelling:
 * the infinitive less -en, with its consonant doubled ("zet" of "zetten")
 * or its long vowel written twice ("tuur" of "turen", "leef" of "leven",
 * "reis" of "reizen"). Not a past form or a participle ("liep", "gezet"). */
static int is_stem_of(const char *s, size_t len, const char *infinitive)
{
    size_t n = strlen(infinitive) - 2; /* the infinitive less -en */
    if (len < 2 || n < 2 || n > len + 1)
        return 0;
    if (n == len + 1) /* "zet" + t of "zetten" */
        return memcmp(infinitive, s, len) == 0 && infinitive[len] == s[len - 1];
    if (n == len) /* "richt" of "richten" */
        return memcmp(infinitive, s, len) == 0;
    /* a long vowel written twice before the last consonant: "tuur", "leef" */
    if (n + 1 != len || len < 3 || !is_vowel(s[len - 2]) || s[len - 2] != s[len - 3] ||
        memcmp(infinitive, s, len - 2) != 0)
        return 0;
    char last = s[len - 1], voiced = last == 'f' ? 'v' : last == 's' ? 'z' : last;
    return infinitive[n - 1] == last || infinitive[n - 1] == voiced;
}

/* Whether entry's range (len bytes at s) is a bare verb stem: its lemma an
 * infinitive it is the stem of, and no compounding flags of its own ("wet",
 * law, has the linking -s- of "wetsvoorstel": a noun). */
static int is_bare_stem(const entry_t *entry, const char *s, size_t len)
{
    return !(entry->flags & (VIND_LEX_HEAD | VIND_LEX_MODIFIER | VIND_LEX_LINK_S | VIND_LEX_BOUND)) &&
           lemma_is_longer_infinitive(entry, len) && is_stem_of(s, len, entry->lemma);
}

static int is_head(const vind_lexicon_t *lexicon, const entry_t *entry, const char *s, size_t len)
{
    if (entry->flags == 0 || (entry->flags & VIND_LEX_PROPER))
        return 0;
    if (entry->flags & VIND_LEX_HEAD)
        return 1;
    /* A bare verb stem ends no compound through its infinitive: nl.dic lets
     * "turen" end compounds ("sterrenturen"), but "programmatuur" is no
     * "programma" + "tuur" (a suffix, as in "natuur" and "literatuur"). */
    if (is_bare_stem(entry, s, len))
        return 0;
    /* an inflected form of a compound end: "kantoren" of "zorgkantoren" */
    return lemma_has(lexicon, entry, VIND_LEX_HEAD);
}

/* Whether the lemma of entry's range may start a compound. */
static int lemma_is_modifier(const vind_lexicon_t *lexicon, const entry_t *entry)
{
    return lemma_has(lexicon, entry, VIND_LEX_MODIFIER);
}

/* Whether entry's range is a word of the list (not a name). */
static int is_listed(const entry_t *entry)
{
    return (entry->flags & VIND_LEX_LIST) && !(entry->flags & VIND_LEX_PROPER);
}

/* Whether the len bytes at s are a word of the list (not a name). */
static int is_word(const vind_lexicon_t *lexicon, const char *s, size_t len)
{
    entry_t entry = look_up(lexicon, s, len);
    return is_listed(&entry);
}

/*
 * A bare verb stem: no compound end itself, and its lemma is an infinitive
 * longer than it ("richt" of "richten", "meld", "woon", "verpleeg"), not a
 * noun that is also a verb stem ("werk", "slaap", "onderwijs" end compounds).
 */
static int is_verb_stem(const vind_lexicon_t *lexicon, const char *part, size_t len)
{
    entry_t entry = look_up(lexicon, part, len);
    return !(entry.flags & VIND_LEX_HEAD) && lemma_is_longer_infinitive(&entry, len);
}

/* Whether entry's range, or its lemma, is a root of nl.dic: a word of its
 * own ("groepering", "hoofdkwartier"), not one the list has only as a
 * compound ("actiegroep", "versiebeheer"). */
static int is_root_entry(const vind_lexicon_t *lexicon, const entry_t *entry)
{
    if (entry->flags & VIND_LEX_ROOT)
        return 1;
    return lemma_has(lexicon, entry, VIND_LEX_ROOT);
}

/* One part of a split: form[start .. start + keep) is reported. */
typedef struct {
    unsigned char start;
    unsigned char keep;
} part_t;

/* Heads shorter than this after a bare verb stem mark a listed word as
 * lexicalised: "richt|lijn", "draag|vlak", "volg|orde", "leef|tijd", and the
 * chance splits "verwar|ring", "toep|assen", "beperk|tere"; longer heads
 * keep "zoek|machine", "parkeer|plaats", "bewaar|termijn" split. Measured on
 * the corpus's words (docs/morphology.md). */
#define MIN_HEAD_AFTER_STEM 6u
/* Verb stems longer than this are productive ("verzamel|naam", "opstart|tijd",
 * "programmeer|talen", "verpleeg|huis" stay split); the lexicalised ones
 * are old short stems. Measured on i13-measure's tune half of
 * tests/data/compound-splits.tsv. */
#define MAX_LEXICALISED_STEM 6u

/* The length of a head, or of its lemma when that is shorter ("lijnen" ->
 * "lijn"). */
static size_t head_lemma_length(const vind_lexicon_t *lexicon, const char *form, const part_t *head)
{
    const char *lemma = vind_lexicon_lemma_range(lexicon, form + head->start, head->keep);
    return lemma && strlen(lemma) < head->keep ? strlen(lemma) : head->keep;
}

/*
 * Whether a listed word split into parts is one word of its own, kept whole:
 * an nl.dic root whose modifier is a short bare verb stem before a short
 * head ("richtlijn").
 */
static int lexicalised(const vind_lexicon_t *lexicon, const char *form, const entry_t *whole,
                       const part_t *parts, size_t count)
{
    /* A word nl.dic lists as a root of its own ("richtlijn", "volgorde",
     * "leeftijd"; "beperktere" through its lemma), not one the word list
     * has through compounding ("spaargeld", "zoekwoord", "meldpunt"). */
    if (!is_root_entry(lexicon, whole))
        return 0;
    if (head_lemma_length(lexicon, form, &parts[count - 1]) >= MIN_HEAD_AFTER_STEM)
        return 0; /* "lijnen" counts as "lijn" */
    for (size_t k = 0; k + 1 < count; k++)
        if (parts[k].keep <= MAX_LEXICALISED_STEM &&
            is_verb_stem(lexicon, form + parts[k].start, parts[k].keep))
            return 1;
    return 0;
}

/*
 * The length of the part to report when the len bytes at part can start a
 * compound, 0 when they cannot: the whole modifier when it is a compound
 * start itself ("onderwijs", "kinder"), a plural of one without its
 * ending where that is its lemma ("ouderen" -> "ouder", "bewoners" ->
 * "bewoner"; "gegevens" and "kantoren" stay, the analyzer lemmatises them),
 * else without its linking -s- ("arbeid" of "arbeidsmarkt", "overheid" of
 * "overheidsbeleid" although the list has "overheids").
 */
static size_t modifier_length(const vind_lexicon_t *lexicon, const char *part, size_t len,
                              const entry_t *entry)
{
    uint32_t flags = entry->flags;
    if (flags & VIND_LEX_PROPER)
        return 0;
    if (flags & VIND_LEX_MODIFIER)
        return len;
    /* a plural of a compound start: "ouderen" (ouder), "kantoren" */
    if ((flags & VIND_LEX_LIST) && len > 4 &&
        (part[len - 1] == 's' || (part[len - 2] == 'e' && part[len - 1] == 'n')) &&
        lemma_is_modifier(lexicon, entry)) {
        const char *lemma = entry->lemma;
        size_t n = strlen(lemma);
        return n >= MIN_PART_BYTES && n < len && memcmp(lemma, part, n) == 0 ? n : len;
    }
    if (len > MIN_PART_BYTES && part[len - 1] == 's') {
        uint32_t base = vind_lexicon_flags(lexicon, part, len - 1);
        if ((base & VIND_LEX_LINK_S) && !(base & VIND_LEX_PROPER)) {
            /* kept when it is a word of its own ("gegevens", data), dropped
             * when it is a plural of the base ("bewoners") or only a form
             * the list has for compounding ("overheids") */
            const char *lemma = entry->lemma;
            int own = (flags & VIND_LEX_ROOT) ||
                      (lemma && (strlen(lemma) != len - 1 || memcmp(lemma, part, len - 1) != 0));
            return own ? len : len - 1;
        }
    }
    return 0;
}

/* Whether the len bytes of form are a noun by the lexicon: a compound end or
 * start, or a plural in -s, -n or -en has them as lemma ("stellages") or is
 * a compound end ("jongeren" of "jongere"). Up to three look-ups. */
static int is_noun_root(const vind_lexicon_t *lexicon, const char *form, size_t len,
                        uint32_t flags)
{
    if (flags & (VIND_LEX_HEAD | VIND_LEX_MODIFIER))
        return 1;
    static const char *const plurals[] = {"s", "n", "en"};
    char plural[VIND_MAX_TERM_BYTES + 3];
    if (len > VIND_MAX_TERM_BYTES)
        return 0;
    memcpy(plural, form, len);
    for (size_t k = 0; k < sizeof plurals / sizeof plurals[0]; k++) {
        size_t n = strlen(plurals[k]);
        memcpy(plural + len, plurals[k], n);
        const char *lemma = NULL;
        uint32_t plural_flags = vind_lexicon_entry_range(lexicon, plural, len + n, &lemma);
        int its_plural = lemma && strlen(lemma) == len && memcmp(lemma, form, len) == 0;
        /* a plural nl.dic lists as a compound end of its own: "jongeren/CcCa" */
        if ((plural_flags & VIND_LEX_LIST) && (its_plural || (plural_flags & VIND_LEX_HEAD)))
            return 1;
    }
    return 0;
}

/* Whether the tail of form (len bytes) from start on, a head by its lemma,
 * is an adjective's form that ends no compound here: no compound end itself
 * ("blauwe/Cc" is one), in a noun root of nl.dic (no inflected form) whose
 * start + the tail's lemma is no word. A noun's head is a noun, and nl.dic
 * gives the compound end (Cc) of "waar" or "laag" to the noun entry
 * ("waar/CcCaZf", wares), which has no -e form: "hardware/CaCc" is no "hard"
 * + "ware", "stellage/ZaCcCe" no "stel" + "lage", "deurwaarder" no "deur" +
 * "waarder". A tail that is a noun too keeps the split ("hangjongere":
 * "jongeren" is a compound end), and so do "donkerblauwe" of "donkerblauw",
 * the flagless root "vergunningsplichtige" and a word the lexicon has no root
 * of. Cost: a flag test per head; look-ups (the whole, up to three plurals
 * each of whole and tail, start + lemma) only for an adjective's form. */
static int is_adjective_form_of_noun_end(const vind_lexicon_t *lexicon, const char *form,
                                         size_t len, size_t start, const entry_t *tail)
{
    if (!(tail->flags & VIND_LEX_ADJECTIVE_FORM) || (tail->flags & VIND_LEX_HEAD) ||
        tail->lemma == NULL)
        return 0;
    uint32_t whole = vind_lexicon_flags(lexicon, form, len);
    if (!(whole & VIND_LEX_ROOT) || (whole & (VIND_LEX_INFLECTED | VIND_LEX_ADJECTIVE_FORM)) ||
        !is_noun_root(lexicon, form, len, whole) ||
        is_noun_root(lexicon, form + start, len - start, tail->flags))
        return 0;
    char joined[2 * VIND_MAX_TERM_BYTES];
    size_t lemma_len = strlen(tail->lemma);
    if (start + lemma_len > sizeof joined)
        return 1;
    memcpy(joined, form, start);
    memcpy(joined + start, tail->lemma, lemma_len);
    return !(vind_lexicon_flags(lexicon, joined, start + lemma_len) & VIND_LEX_LIST);
}

struct split_state {
    unsigned char parts;    /* parts from here to the end; 0: no valid split */
    unsigned char next;     /* where the next part starts (== len for the head) */
    unsigned char keep;     /* bytes of this part to report */
    unsigned char head_len; /* length of the final part */
    unsigned char weak;     /* this part starts compounds only by nl.dic's Ce */
};

/* Whether a split with a part here of the given weakness, parts_here parts and
 * a head of head_len bytes beats best: the fewest parts, then a start nl.dic
 * flags over one only its Ce flag makes ("volleybal" + "spel", not "volley" +
 * "balspel"), then the longest head. */
static int beats(const struct split_state *best, unsigned parts_here, int weak, size_t head_len)
{
    if (best->parts == 0 || parts_here < best->parts)
        return 1;
    if (parts_here > best->parts)
        return 0;
    if (weak != best->weak)
        return !weak;
    return head_len > best->head_len;
}

/*
 * The split nl.dic's flags allow, fewest parts first, then the longest head,
 * into out[] (at most max_parts); its number of parts, 0 when none.
 * Cost: O(len^2) range look-ups (binary searches), len <= 64.
 */
static size_t flag_split(const vind_lexicon_t *lexicon, const char *form, size_t len,
                         size_t max_parts, part_t *out)
{
    struct split_state state[VIND_MAX_TERM_BYTES + 1];
    memset(state, 0, sizeof state);
    for (size_t i = len - MIN_PART_BYTES + 1; i-- > 0;) {
        struct split_state *best = &state[i];
        entry_t tail = i > 0 ? look_up(lexicon, form + i, len - i) : (entry_t){0, NULL};
        if (i > 0 && is_head(lexicon, &tail, form + i, len - i) &&
            !is_adjective_form_of_noun_end(lexicon, form, len, i, &tail)) {
            *best = (struct split_state){1, (unsigned char)len, (unsigned char)(len - i),
                                         (unsigned char)(len - i), 0};
            continue; /* one part is always the fewest */
        }
        for (size_t j = i + MIN_PART_BYTES; j + MIN_PART_BYTES <= len; j++) {
            const struct split_state *rest = &state[j];
            if (rest->parts == 0 || rest->parts + 1u > max_parts)
                continue;
            unsigned parts_here = rest->parts + 1u;
            if (!beats(best, parts_here, 0, rest->head_len))
                continue; /* not even as a flagged start */
            entry_t piece = look_up(lexicon, form + i, j - i);
            size_t keep = modifier_length(lexicon, form + i, j - i, &piece);
            /* weak too as a plural or with a linker: "acties" of "actieschip" */
            int weak = keep != 0 && ((keep == j - i ? piece.flags
                                                    : vind_lexicon_flags(lexicon, form + i, keep)) &
                                     VIND_LEX_WEAK_START) != 0;
            if (keep == 0 || !beats(best, parts_here, weak, rest->head_len))
                continue;
            *best = (struct split_state){(unsigned char)parts_here, (unsigned char)j,
                                         (unsigned char)keep, rest->head_len, (unsigned char)weak};
        }
    }
    if (state[0].parts < 2)
        return 0;
    size_t count = 0;
    for (size_t i = 0; i < len && count < max_parts; i = state[i].next)
        out[count++] = (part_t){(unsigned char)i, state[i].keep};
    return count;
}

/*
 * The bytes of parts k .. m-1 joined when they are a listed word, with a
 * linking -s- dropped before a later part ("leef" + "tijds" of
 * "leeftijdscategorie" -> "leeftijd"); 0 when they are none.
 */
static size_t group_length(const vind_lexicon_t *lexicon, const char *form, const part_t *parts,
                           size_t k, size_t m, size_t count)
{
    const char *start = form + parts[k].start;
    size_t length = parts[m - 1].start + parts[m - 1].keep - parts[k].start;
    if (is_word(lexicon, start, length))
        return length;
    if (m < count && start[length - 1] == 's' && is_word(lexicon, start, length - 1))
        return length - 1;
    return 0;
}

/* Whether the len bytes at s, or their lemma, are a root of nl.dic. */
static int is_root(const vind_lexicon_t *lexicon, const char *s, size_t len)
{
    entry_t entry = look_up(lexicon, s, len);
    return is_root_entry(lexicon, &entry);
}

/*
 * Joins neighbouring parts that together are a listed word, never all of
 * them: the fewest groups win, then the most groups that are roots of
 * nl.dic, then the longest first group. "wacht" + "woord" + "beheer" ->
 * "wachtwoord" + "beheer"; "actie" + "groep" + "ring" -> "actie" +
 * "groepering" (a root) rather than "actiegroep" + "ring"; "versie" +
 * "beheer" + "systeem" -> "versiebeheer" + "systeem" (neither is a root).
 * Returns the new count.
 */
static size_t merge_known(const vind_lexicon_t *lexicon, const char *form, part_t *parts,
                          size_t count)
{
    unsigned char groups[VIND_MAX_TERM_BYTES + 1]; /* groups from part k to the end */
    unsigned char roots[VIND_MAX_TERM_BYTES + 1];  /* of them, joined groups that are roots */
    unsigned char until[VIND_MAX_TERM_BYTES + 1];  /* part after the first group */
    unsigned char keep[VIND_MAX_TERM_BYTES + 1];   /* bytes of the first group */
    groups[count] = 0;
    roots[count] = 0;
    for (size_t k = count; k-- > 0;) {
        groups[k] = UCHAR_MAX;
        roots[k] = 0;
        /* the longest group first, so that it wins a tie */
        for (size_t m = count; m > k; m--) {
            if (k == 0 && m == count)
                continue; /* the word itself: it was split on purpose */
            size_t length =
                m == k + 1 ? parts[k].keep : group_length(lexicon, form, parts, k, m, count);
            if (length == 0)
                continue;
            unsigned g = groups[m] + 1u;
            unsigned r = roots[m] + (m > k + 1 && is_root(lexicon, form + parts[k].start, length));
            if (g > groups[k] || (g == groups[k] && r <= roots[k]))
                continue;
            groups[k] = (unsigned char)g;
            roots[k] = (unsigned char)r;
            until[k] = (unsigned char)m;
            keep[k] = (unsigned char)length;
        }
    }
    size_t merged = 0;
    for (size_t k = 0; k < count; k = until[k])
        parts[merged++] = (part_t){parts[k].start, keep[k]};
    return merged;
}

/* Whether the len bytes at s may end an unknown compound: a compound end
 * by nl.dic's flags ("melding"), or any listed word of GUESS_HEAD_BYTES or
 * more ("gegevens", "conference"); a short word that is no compound end is
 * mostly the tail of an English or misspelt word ("ping", "ring", "city"). */
static int is_guess_head(const vind_lexicon_t *lexicon, const char *s, size_t len)
{
    entry_t entry = look_up(lexicon, s, len);
    if (head_is_suffixoid(&entry, s, len))
        return 0;
    return is_head(lexicon, &entry, s, len) || (len >= GUESS_HEAD_BYTES && is_listed(&entry));
}

/* The length of a listed word at the start of the len bytes at s, with a
 * linker -s-, -e- or -en- after it allowed; 0 when there is none. */
static size_t guess_modifier(const vind_lexicon_t *lexicon, const char *s, size_t len)
{
    entry_t entry = look_up(lexicon, s, len);
    size_t flagged = modifier_length(lexicon, s, len, &entry); /* "overheids" -> "overheid" */
    if (flagged)
        return flagged;
    if (is_listed(&entry))
        return len;
    if (s[len - 1] == 's' || s[len - 1] == 'e')
        if (len - 1 >= MIN_GUESS_PART_BYTES && is_word(lexicon, s, len - 1))
            return len - 1;
    if (len - 2 >= MIN_GUESS_PART_BYTES && s[len - 2] == 'e' && s[len - 1] == 'n' &&
        is_word(lexicon, s, len - 2))
        return len - 2;
    return 0;
}

/* Whether the len bytes at s, a piece between two places of a guessed
 * split, are a listed word of MIN_GUESS_PART_BYTES or more, linker allowed. */
static int guess_piece(const vind_lexicon_t *lexicon, const char *s, size_t len, size_t *keep)
{
    *keep = len >= MIN_GUESS_PART_BYTES ? guess_modifier(lexicon, s, len) : 0;
    return *keep != 0;
}

/*
 * The split of a word nl.dic's flags cannot split, whether the lexicon
 * lacks it ("cookiemelding") or lists it whole ("versiebeheersysteem":
 * "versie" is no compound start in nl.dic): two listed words (linker
 * allowed), both MIN_GUESS_PART_BYTES or more, at each place that divides
 * it so. For a listed word (known) several places are one split when they
 * agree, every piece between them a listed word too ("versie" + "beheer" +
 * "systeem", by "versie|beheersysteem" and "versiebeheer|systeem"), which
 * merge_known then groups; otherwise, and always for a word the lexicon
 * lacks (whose rule was measured so, docs/morphology.md), more than one
 * place is ambiguous: no split. 0 when there is none.
 * Cost: up to ~5 look-ups (binary searches, ~190 ns each) per place, so some
 * 60 us for a 64-byte word, once per form: the analyzer caches it.
 */
static size_t guess_split(const vind_lexicon_t *lexicon, const char *form, size_t len, int known,
                          size_t max_parts, part_t *out)
{
    size_t count = 0;
    for (size_t i = MIN_GUESS_PART_BYTES; i + MIN_GUESS_PART_BYTES <= len; i++) {
        if (!is_guess_head(lexicon, form + i, len - i))
            continue;
        size_t keep = guess_modifier(lexicon, form, i);
        if (keep == 0)
            continue;
        if (count != 0 && (count + 1 > max_parts || !known))
            return 0; /* a word the lexicon lacks: one place only, as measured */
        if (count == 0) {
            out[count++] = (part_t){0, (unsigned char)keep};
        } else {
            /* the piece from the last place to this one must be a word too */
            size_t start = out[count - 1].start, piece = 0;
            if (!guess_piece(lexicon, form + start, i - start, &piece))
                return 0;
            out[count - 1].keep = (unsigned char)piece;
        }
        out[count++] = (part_t){(unsigned char)i, (unsigned char)(len - i)};
    }
    return count >= 2 ? count : 0;
}

/* Adverbs and prepositions that start particle verbs and their nouns
 * ("terugvloeien", "voorspraak", "onderwerp"): not a modifier of a listed
 * word split without flags. Shorter ones are below MIN_GUESS_PART_BYTES. */
static int is_particle(const char *s, size_t len)
{
    static const char *const particles[] = {"door",  "onder",  "over",   "voor",  "terug",
                                            "voort", "achter", "samen",  "tegen", "binnen",
                                            "buiten", "boven", "langs",  "neer",  "rond",
                                            "mede",  "zelf",   "anders", "weder", "heen",
                                            NULL};
    return in_list(particles, s, len);
}

/* Whether the len bytes at s are, or are a form of, a verb: the lemma ends
 * in -en and is no compound end ("vloeide", "gebouwd", "pingen"; nouns in
 * -en such as "kussen" or "teken" end compounds in nl.dic). */
static int is_verb_form(const vind_lexicon_t *lexicon, const char *s, size_t len)
{
    const char *lemma = vind_lexicon_lemma_range(lexicon, s, len);
    size_t n = lemma ? strlen(lemma) : len;
    const char *word = lemma ? lemma : s;
    return n > 2 && word[n - 2] == 'e' && word[n - 1] == 'n' &&
           !(vind_lexicon_flags(lexicon, word, n) & VIND_LEX_HEAD);
}

/*
 * Whether a guessed split of a listed word is kept. The list holds many
 * words that are one word although two listed words spell them ("software":
 * "soft" + "ware", "platform", "fiatteerde"), and the particle verbs that
 * the lexicon leaves whole: so the head must end compounds by nl.dic's flags
 * and be no verb, and no modifier may be a particle. Measured on a sample
 * of the words it splits (lexicon/known-splits.tsv, docs/analyzer.md).
 */
static int known_guess_kept(const vind_lexicon_t *lexicon, const char *form, const entry_t *whole,
                            const part_t *parts, size_t count)
{
    if (is_root_entry(lexicon, whole))
        return 0;
    const part_t *head = &parts[count - 1];
    if (is_verb_form(lexicon, form + head->start, head->keep))
        return 0;
    for (size_t k = 0; k + 1 < count; k++)
        if (is_particle(form + parts[k].start, parts[k].keep) ||
            is_verb_form(lexicon, form + parts[k].start, parts[k].keep))
            return 0;
    return 1;
}

/*
 * Whether a listed word whose split has a short head is a noun made from a
 * verb, not a compound: "waardering" (waarderen + -ing, not "waarde" +
 * "ring"), "reservering", "combinatie" (combineren + -atie, not "combi" +
 * "natie"). Its lemma ends in -ing with stem + "en", or in -atie with stem
 * + "eren", a word of the lexicon. Long heads ("zorg|verlening") are parts.
 * Measured with nl.dic's Ce compound starts (lexicon/known-splits-2.tsv).
 */
static int verb_derivation(const vind_lexicon_t *lexicon, const char *form, size_t len,
                           const entry_t *whole, const part_t *head)
{
    if (head_lemma_length(lexicon, form, head) >= MIN_HEAD_AFTER_STEM)
        return 0; /* "naties" counts as "natie" */
    const char *word = whole->lemma ? whole->lemma : form;
    size_t n = whole->lemma ? strlen(whole->lemma) : len;
    static const struct {
        const char *suffix, *verb_ending;
    } derivations[] = {{"ing", "en"}, {"atie", "eren"}};
    for (size_t k = 0; k < sizeof derivations / sizeof derivations[0]; k++) {
        size_t s = strlen(derivations[k].suffix), e = strlen(derivations[k].verb_ending);
        if (n <= s + MIN_PART_BYTES || n - s + e > VIND_MAX_TERM_BYTES ||
            memcmp(word + n - s, derivations[k].suffix, s) != 0)
            continue;
        char verb[VIND_MAX_TERM_BYTES + 1];
        memcpy(verb, word, n - s);
        memcpy(verb + n - s, derivations[k].verb_ending, e);
        if (is_word(lexicon, verb, n - s + e)) /* "routeren" is read as a form of "router" */
            return 1;
    }
    return 0;
}

/* Whether form (len bytes) is lemma + an ending of up to 3 bytes: a plural
 * ("deelnamen" of "deelname", "operatoren" of "operator"), an inflected
 * adjective or verb form that keeps its lemma's spelling. */
static int is_ending_of(const char *form, size_t len, const char *lemma)
{
    size_t n = strlen(lemma);
    return n < len && len - n <= 3 && memcmp(form, lemma, n) == 0;
}

/* Whether form (len bytes) is lemma + "n": the plural in -n of a noun in -e
 * ("deelnamen" of "deelname", "werkwijzen" of "werkwijze"). */
static int is_n_plural_of(const char *form, size_t len, const char *lemma)
{
    return form[len - 1] == 'n' && strlen(lemma) + 1 == len && memcmp(form, lemma, len - 1) == 0;
}

/* Whether the len bytes at a and at b are the same word. */
static int same_bytes(const char *a, size_t a_len, const char *b, size_t b_len)
{
    return a_len == b_len && memcmp(a, b, a_len) == 0;
}

/* Whether form (len bytes) is the plural of lemma that writes the lemma's
 * doubled last vowel once: "architecturen" of "architectuur", "uren" of
 * "uur", "ogen" of "oog" (f and s voiced: "graven" of "graaf"). */
static int is_open_syllable_plural_of(const char *form, size_t len, const char *lemma)
{
    size_t n = strlen(lemma);
    if (n < 3 || len != n + 1 || memcmp(form + len - 2, "en", 2) != 0 || !is_vowel(lemma[n - 2]) ||
        lemma[n - 2] != lemma[n - 3] || memcmp(form, lemma, n - 2) != 0)
        return 0;
    char last = lemma[n - 1], voiced = last == 'f' ? 'v' : last == 's' ? 'z' : last;
    return form[n - 2] == last || form[n - 2] == voiced;
}

/* Whether the head of form (len bytes) from start is the plural of a word
 * that is lemma's tail from start: its lemma is that tail ("uur" of
 * "uren"), or it is that tail's plural by spelling and the tail ends
 * compounds by nl.dic's flags ("raden" of "raad", which the lexicon reads
 * as the verb; not "aten" of "aat", bait, which ends none). */
static int head_is_plural_of_tail(const vind_lexicon_t *lexicon, const char *form, size_t len,
                                  size_t start, const char *lemma)
{
    size_t n = strlen(lemma);
    if (start >= n)
        return 0;
    const char *tail = lemma + start;
    size_t tail_len = n - start;
    entry_t head = look_up(lexicon, form + start, len - start);
    if (head.lemma != NULL && same_bytes(head.lemma, strlen(head.lemma), tail, tail_len))
        return 1;
    char tail_word[VIND_MAX_TERM_BYTES + 1];
    memcpy(tail_word, tail, tail_len);
    tail_word[tail_len] = '\0';
    if (!is_open_syllable_plural_of(form + start, len - start, tail_word))
        return 0;
    entry_t tail_entry = look_up(lexicon, tail, tail_len);
    return (tail_entry.flags & VIND_LEX_HEAD) && !(tail_entry.flags & VIND_LEX_PROPER);
}

/* Whether word (len bytes) ends in one short vowel before one consonant
 * ("tor", "mat"): Dutch doubles that consonant before a vowel ending
 * ("torren", "matten"), so a single one there writes a long vowel, another
 * word ("toren"). Not "e" (often unstressed: "kamer" + "en"), nor "ij". */
static int ends_in_short_closed_syllable(const char *word, size_t len)
{
    if (len < 2)
        return 0;
    char last = word[len - 1], vowel = word[len - 2];
    if (is_vowel(last) || !is_vowel(vowel) || vowel == 'e' || (vowel == 'i' && last == 'j'))
        return 0;
    return len == 2 || !is_vowel(word[len - 3]);
}

/* Whether the head (len bytes at head) of a form that is lemma + an ending
 * is the lemma's tail from start, inflected, and no other word the ending
 * made: not a suffixoid ("rijk" of "belangrijkste", "vol" of
 * "succesvoller": "belangrijk" and "succesvol" stay whole), and not a
 * single consonant after a short vowel before a vowel ending ("toren" of
 * "operatoren": "operator" ends in "tor", whose plural is "torren"),
 * unless the lexicon makes the head a form of another word ("dagen" of
 * "feestdagen", "wijzen" of "werkwijzen"). A tail shorter than a part
 * counts only before a consonant ending: "as" + "sen" of "assen", "ei" +
 * "tje", but not "ur" + "en" of "contouren" (no "conto" + "uren"). Up to
 * two look-ups. */
static int head_inflects_tail(const vind_lexicon_t *lexicon, const char *lemma, size_t start,
                              const char *head, size_t len)
{
    size_t n = strlen(lemma);
    if (start >= n || len <= n - start)
        return 0;
    const char *tail = lemma + start;
    size_t tail_len = n - start;
    int vowel_ending = is_vowel(head[tail_len]);
    if (tail_len < MIN_PART_BYTES) /* "as" of "assen", "ei" of "eitje"; not "ur" of "uren" */
        return !vowel_ending;
    entry_t tail_entry = look_up(lexicon, tail, tail_len);
    if (head_is_suffixoid(&tail_entry, tail, tail_len))
        return 0;
    if (!vowel_ending || !ends_in_short_closed_syllable(tail, tail_len))
        return 1;
    entry_t head_entry = look_up(lexicon, head, len);
    return head_entry.lemma != NULL && !same_bytes(head_entry.lemma, strlen(head_entry.lemma), head, len);
}

/* The lemma of the stem (len bytes at stem) + ending, NULL when that is
 * unlisted or its own lemma. One look-up. */
static const char *lemma_with_ending(const vind_lexicon_t *lexicon, const char *stem, size_t len,
                                     const char *ending, char *buffer)
{
    size_t n = strlen(ending);
    if (len + n > VIND_MAX_TERM_BYTES)
        return NULL;
    memcpy(buffer, stem, len);
    memcpy(buffer + len, ending, n);
    return vind_lexicon_lemma_range(lexicon, buffer, len + n);
}

/* Whether the stem (len bytes at stem) + ending has the infinitive (inf_len
 * bytes at inf) as its lemma; the form is left in buffer. One look-up. */
static int form_of(const vind_lexicon_t *lexicon, const char *stem, size_t len, const char *ending,
                   const char *inf, size_t inf_len, char *buffer)
{
    const char *lemma = lemma_with_ending(lexicon, stem, len, ending, buffer);
    return lemma != NULL && same_bytes(lemma, strlen(lemma), inf, inf_len);
}

/* The third person's ending after a stem of len bytes: "t", none after t. */
static const char *third_person_ending(const char *stem, size_t len)
{
    return stem[len - 1] == 't' ? "" : "t";
}

/* Whether the stem (len bytes at stem) is the infinitive's by the lexicon:
 * its third person ("handhaaft", "draagt", "borduurt", "huisvest") or the
 * stem itself has the infinitive as its lemma. Two look-ups at most. */
static int stem_has_infinitive(const vind_lexicon_t *lexicon, const char *stem, size_t len,
                               const char *inf, size_t inf_len)
{
    char form[VIND_MAX_TERM_BYTES + 1];
    return form_of(lexicon, stem, len, third_person_ending(stem, len), inf, inf_len, form) ||
           form_of(lexicon, stem, len, "", inf, inf_len, form);
}

/*
 * The stem of the len bytes at s, a verb's infinitive by the lexicon, into
 * stem (VIND_MAX_TERM_BYTES + 1 bytes); its length, 0 when s is no
 * infinitive. The stem is the one Dutch spelling makes of the infinitive
 * (less -en: "richt" of "richten"; a doubled consonant undoubled: "zet" of
 * "zetten"; an open syllable's vowel written twice, v and z devoiced:
 * "draag" of "dragen", "handhaaf" of "handhaven", "borduur" of "borduren")
 * that has a form with the infinitive as its lemma. A noun plural has none
 * ("uren": no "uurt"). Up to six look-ups (binary searches, ~190 ns each).
 */
static size_t infinitive_stem(const vind_lexicon_t *lexicon, const char *s, size_t len, char *stem)
{
    if (len < 5 || len > VIND_MAX_TERM_BYTES || s[len - 2] != 'e' || s[len - 1] != 'n')
        return 0;
    size_t base = len - 2;
    char last = s[base - 1], vowel = s[base - 2];
    memcpy(stem, s, base);
    if (stem_has_infinitive(lexicon, stem, base, s, len))
        return base;
    if (!is_vowel(last) && last == vowel) /* "zetten" -> "zet" */
        return stem_has_infinitive(lexicon, stem, base - 1, s, len) ? base - 1 : 0;
    if (is_vowel(last) || !is_vowel(vowel) || (base >= 3 && is_vowel(s[base - 3])))
        return 0;
    stem[base - 1] = vowel; /* "dra" + "a" + "g" */
    stem[base] = last == 'v' ? 'f' : last == 'z' ? 's' : last;
    return stem_has_infinitive(lexicon, stem, base + 1, s, len) ? base + 1 : 0;
}

/*
 * Whether a split of form (len bytes), a verb's infinitive that is its own
 * lemma, at head_start has a head that is no verb: the verb's past (stem +
 * -te or -de), else its third person, is listed, but that form's tail from
 * head_start is no word. An inseparable verb made from a noun phrase or a
 * loan ("handhaven": "handhaafde" is no "hand" + "haafde"; "borduren" no
 * "bord" + "uurde"; "huisvesten"), where a compound verb conjugates its head
 * ("thuiswerken": "werkte"; "neerzetten": "zette"; "zorgdragen": "draagt").
 * Look-ups only for a split word in -en that is its own lemma (up to ten).
 */
static int verb_with_noun_head(const vind_lexicon_t *lexicon, const char *form, size_t len,
                               const entry_t *whole, size_t head_start)
{
    char stem[VIND_MAX_TERM_BYTES + 1], conjugated[VIND_MAX_TERM_BYTES + 1];
    size_t stem_len;
    if (whole->lemma != NULL || !is_listed(whole) ||
        (stem_len = infinitive_stem(lexicon, form, len, stem)) <= head_start)
        return 0;
    static const char *const pasts[] = {"te", "de"};
    for (size_t k = 0; k < sizeof pasts / sizeof pasts[0]; k++)
        if (form_of(lexicon, stem, stem_len, pasts[k], form, len, conjugated))
            return !is_word(lexicon, conjugated + head_start, stem_len + 2 - head_start);
    const char *ending = third_person_ending(stem, stem_len);
    size_t third_len = stem_len + strlen(ending);
    if (form_of(lexicon, stem, stem_len, ending, form, len, conjugated))
        return !is_word(lexicon, conjugated + head_start, third_len - head_start);
    return 0;
}

static size_t split_parts(const vind_lexicon_t *lexicon, const char *form, size_t len,
                          size_t max_parts, part_t *found);

/* Whether "ge" + stem (len bytes) + -t or -d has the infinitive (inf_len
 * bytes at inf) as its lemma: an inseparable verb's participle
 * ("genoodzaakt", "gemodelleerd"), where a separable one puts ge- after its
 * particle ("rondgehangen"). Two look-ups at most. */
static int has_ge_participle(const vind_lexicon_t *lexicon, const char *stem, size_t len,
                             const char *inf, size_t inf_len)
{
    char prefixed[VIND_MAX_TERM_BYTES + 1], form[VIND_MAX_TERM_BYTES + 1];
    if (len + 3 > VIND_MAX_TERM_BYTES)
        return 0;
    memcpy(prefixed, "ge", 2);
    memcpy(prefixed + 2, stem, len);
    return form_of(lexicon, prefixed, len + 2, "t", inf, inf_len, form) ||
           form_of(lexicon, prefixed, len + 2, "d", inf, inf_len, form);
}

/*
 * The infinitives whose stem form (len bytes) may be by Dutch spelling, into
 * out (2 x VIND_MAX_TERM_BYTES + 1 bytes), their lengths into lengths: the
 * stem + -en ("waarschuwen"), its last consonant doubled after a short vowel
 * ("zetten"), or its doubled vowel written once, f and s voiced
 * ("noodzaken", "weeklagen"). Returns their number (0 to 2).
 */
static size_t infinitive_spellings(const char *form, size_t len,
                                   char out[][VIND_MAX_TERM_BYTES + 1], size_t *lengths)
{
    if (len < 3 || len + 3 > VIND_MAX_TERM_BYTES || is_vowel(form[len - 1]))
        return 0;
    char last = form[len - 1], vowel = form[len - 2];
    size_t count = 0;
    memcpy(out[count], form, len);
    memcpy(out[count] + len, "en", 2);
    lengths[count++] = len + 2;
    if (is_vowel(vowel) && !is_vowel(form[len - 3])) {
        memcpy(out[count], form, len);
        out[count][len] = last;
        memcpy(out[count] + len + 1, "en", 2);
        lengths[count++] = len + 3;
    } else if (is_vowel(vowel) && vowel == form[len - 3] && (len < 4 || !is_vowel(form[len - 4]))) {
        memcpy(out[count], form, len - 2);
        out[count][len - 2] = last == 'f' ? 'v' : last == 's' ? 'z' : last;
        memcpy(out[count] + len - 1, "en", 2);
        lengths[count++] = len + 1;
    }
    return count;
}

/*
 * Whether form (len bytes), a listed word, is also the bare stem of an
 * inseparable verb that stays whole: then it stays whole too, as the verb's
 * other forms do. "noodzaak" (genoodzaakt, noodzaken) is no "nood" +
 * "zaak", "modelleer" no "model" + "leer", "waarschuw" no "waar" + "schuw".
 * The verb is an infinitive the lexicon lists as its own lemma, whose stem
 * (infinitive_stem) is form. A separable verb puts ge- after its particle
 * ("rondgekeken"), so its stem keeps the split ("rond" + "kijk"), and so does
 * the stem of a verb that splits ("thuiswerk"). Measured on wdutch's forms
 * (docs/morphology.md, "The tenth sample"). Up to ~6 look-ups and a split of
 * the verb, only for a split listed word that ends in a consonant.
 */
static int stem_of_whole_inseparable_verb(const vind_lexicon_t *lexicon, const char *form,
                                          size_t len)
{
    char infinitives[2][VIND_MAX_TERM_BYTES + 1], stem[VIND_MAX_TERM_BYTES + 1];
    size_t lengths[2];
    size_t count = infinitive_spellings(form, len, infinitives, lengths);
    for (size_t k = 0; k < count; k++) {
        const char *inf = infinitives[k];
        entry_t verb = look_up(lexicon, inf, lengths[k]);
        if (verb.lemma != NULL || !is_listed(&verb) ||
            infinitive_stem(lexicon, inf, lengths[k], stem) != len || memcmp(stem, form, len) != 0)
            continue;
        part_t verb_parts[VIND_MAX_TERM_BYTES];
        return has_ge_participle(lexicon, form, len, inf, lengths[k]) &&
               split_parts(lexicon, inf, lengths[k], VIND_MAX_TERM_BYTES, verb_parts) == 0;
    }
    return 0;
}

/* Whether the len bytes at s are an adjective by the lexicon: one of the -e
 * forms Dutch spelling makes of them ("ware" of "waar", "blinde", "lieve")
 * is an adjective's form whose lemma they are (VIND_LEX_ADJECTIVE_FORM). Up
 * to two look-ups. */
static int is_adjective(const vind_lexicon_t *lexicon, const char *s, size_t len)
{
    char infinitives[2][VIND_MAX_TERM_BYTES + 1];
    size_t lengths[2];
    size_t count = infinitive_spellings(s, len, infinitives, lengths);
    for (size_t k = 0; k < count; k++) { /* "waren" -> "ware" */
        entry_t e_form = look_up(lexicon, infinitives[k], lengths[k] - 1);
        if ((e_form.flags & VIND_LEX_ADJECTIVE_FORM) && e_form.lemma != NULL &&
            same_bytes(e_form.lemma, strlen(e_form.lemma), s, len))
            return 1;
    }
    return 0;
}

/* Whether "ge" + stem (len bytes) + -t or -d is a form of the stem's own
 * lemma (the stem itself when it has none): "gewaarborgd" of "waarborg",
 * "gewaarmerkt" of "waarmerk" (lemma "waarmerken"). Three look-ups. */
static int has_own_ge_participle(const vind_lexicon_t *lexicon, const char *stem, size_t len)
{
    const char *lemma = vind_lexicon_lemma_range(lexicon, stem, len);
    return lemma != NULL ? has_ge_participle(lexicon, stem, len, lemma, strlen(lemma))
                         : has_ge_participle(lexicon, stem, len, stem, len);
}

/*
 * Whether form (len bytes), a listed word split with an adjective as its
 * first part, is a form of an inseparable verb made of that adjective and a
 * noun, or of that verb's noun: "waarborg" (gewaarborgd), "waarmerken"
 * (gewaarmerkt), "waarborging", "vrijwaren" (gevrijwaard). An adjective
 * before a verb is its separable particle ("vrijlaten": vrijgelaten, "goed"
 * of "goedkeuren"); one that takes ge- before it has become part of one
 * lexicalised stem, and "waar" (true) + "borg" (bail) is no kind of "borg"
 * nor of "waar" (wares, where). The stems asked: the form, its lemma, its
 * infinitive's stem, the form less -ing. A noun's plural that is also a
 * denominal verb keeps its split when its modifier is a noun ("handballen":
 * docs/morphology.md, "The eleventh sample"). Only for a split listed word
 * whose first part is an adjective (up to two look-ups for that); then up
 * to ~15 look-ups.
 */
static int adjective_verb_stays_whole(const vind_lexicon_t *lexicon, const char *form, size_t len,
                                      const entry_t *whole, const part_t *first)
{
    const char *modifier = form + first->start;
    size_t modifier_len = first->keep;
    if (!is_adjective(lexicon, modifier, modifier_len))
        return 0;
    /* "volks" of "volksdans" is "volk" + a linking -s- before it is the
     * adjective (folksy): a noun's, which keeps the split. */
    if (modifier_len > 3 && modifier[modifier_len - 1] == 's' &&
        (look_up(lexicon, modifier, modifier_len - 1).flags & VIND_LEX_LINK_S))
        return 0;
    char stem[VIND_MAX_TERM_BYTES + 1];
    const char *lemma = whole->lemma != NULL ? whole->lemma : form;
    size_t lemma_len = whole->lemma != NULL ? strlen(whole->lemma) : len;
    size_t stem_len = infinitive_stem(lexicon, lemma, lemma_len, stem);
    return has_own_ge_participle(lexicon, form, len) ||
           (whole->lemma != NULL && has_own_ge_participle(lexicon, lemma, lemma_len)) ||
           (stem_len > 0 && has_own_ge_participle(lexicon, stem, stem_len)) ||
           (len > 3 && memcmp(form + len - 3, "ing", 3) == 0 &&
            has_own_ge_participle(lexicon, form, len - 3));
}

/* The parts of form (len bytes) into found; 0 when it stays whole. */
static size_t split_parts(const vind_lexicon_t *lexicon, const char *form, size_t len,
                          size_t max_parts, part_t *found)
{
    if (len < MIN_COMPOUND_BYTES || len > VIND_MAX_TERM_BYTES)
        return 0;
    size_t count = flag_split(lexicon, form, len, max_parts, found);
    if (count >= 3)
        count = merge_known(lexicon, form, found, count);
    if (count >= 2) {
        const part_t *head = &found[count - 1];
        entry_t tail = look_up(lexicon, form + head->start, head->keep);
        if (head_is_suffixoid(&tail, form + head->start, head->keep))
            return 0; /* "belangrijke", "verpleegkundige" */
    }
    entry_t whole = look_up(lexicon, form, len); /* the word's own, asked up to four times */
    if (count >= 2 && is_listed(&whole) &&
        (lexicalised(lexicon, form, &whole, found, count) ||
         verb_derivation(lexicon, form, len, &whole, &found[count - 1])))
        return 0;
    uint32_t flags = whole.flags;
    if (count == 0 && !(flags & VIND_LEX_PROPER)) {
        count = guess_split(lexicon, form, len, flags != 0, max_parts, found);
        if (count >= 3)
            count = merge_known(lexicon, form, found, count);
        if (count >= 2 && flags != 0 &&
            (!known_guess_kept(lexicon, form, &whole, found, count) ||
             lexicalised(lexicon, form, &whole, found, count)))
            return 0;
    }
    /* An inflected form spelt as its lemma + an ending splits only where its
     * lemma ends in the head's own lemma: "feestdagen" is "feest" + "dagen"
     * ("dag" of "feestdag"), but "operatoren" is no "opera" + "toren" ("tor"
     * of "operator" is another word), and "belangrijkste" no "belang" +
     * "rijkste" ("rijk" of "belangrijk" is a suffixoid, and "belangrijk"
     * stays whole). And where the lemma is whole for a reason of its own:
     * "deelname" stays whole ("name" ends no compound), so "deelnamen" is no
     * "deel" + "namen". Two look-ups more, and one split of the lemma for a
     * listed -n plural. */
    if (count >= 2 && whole.lemma && is_listed(&whole) && is_ending_of(form, len, whole.lemma)) {
        const part_t *head = &found[count - 1];
        if (!head_inflects_tail(lexicon, whole.lemma, head->start, form + head->start, head->keep))
            return 0;
        part_t lemma_parts[VIND_MAX_TERM_BYTES];
        size_t n = strlen(whole.lemma);
        if (is_n_plural_of(form, len, whole.lemma) &&
            split_parts(lexicon, whole.lemma, n, max_parts, lemma_parts) == 0)
            return 0;
    }
    /* A plural that writes its singular's doubled vowel once splits only
     * where its head is the plural of a word that is the singular's tail:
     * "blokuren" is "blok" + "uren" ("uur" of "blokuur"), "wijkraden" "wijk"
     * + "raden" ("raad"), but "klimaten" is no "klim" + "aten" (eten), nor
     * "mandaten" "mand" + "aten": "klimaat" ends in "aat", no word. One or
     * two look-ups, only for such a plural. */
    if (count >= 2 && whole.lemma && is_listed(&whole) &&
        is_open_syllable_plural_of(form, len, whole.lemma) &&
        !head_is_plural_of_tail(lexicon, form, len, found[count - 1].start, whole.lemma))
        return 0;
    if (count >= 2 && verb_with_noun_head(lexicon, form, len, &whole, found[count - 1].start))
        return 0;
    if (count >= 2 && is_listed(&whole) && stem_of_whole_inseparable_verb(lexicon, form, len))
        return 0;
    if (count >= 2 && is_listed(&whole) &&
        adjective_verb_stays_whole(lexicon, form, len, &whole, &found[0]))
        return 0;
    return count;
}

size_t vind_compound_split_written(const vind_lexicon_t *lexicon, const char *form, char **parts,
                                   size_t *written, size_t max_parts)
{
    if (lexicon == NULL || form == NULL || parts == NULL || max_parts < 2)
        return 0;
    size_t len = strlen(form);
    part_t found[VIND_MAX_TERM_BYTES];
    size_t count = split_parts(lexicon, form, len, max_parts, found);
    for (size_t k = 0; k < count; k++) {
        parts[k] = strndup(form + found[k].start, found[k].keep);
        if (parts[k] == NULL) {
            while (k > 0)
                free(parts[--k]);
            return 0;
        }
        if (written)
            written[k] = (k + 1 < count ? found[k + 1].start : len) - found[k].start;
    }
    return count;
}

size_t vind_compound_split(const vind_lexicon_t *lexicon, const char *form, char **parts,
                           size_t max_parts)
{
    return vind_compound_split_written(lexicon, form, parts, NULL, max_parts);
}
