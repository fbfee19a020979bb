/*
 * mklexicon.c - builds nl.lex, vind's Dutch lemma table and word set, from
 * OpenTaal's word list (wdutch: /usr/share/dict/dutch, 413k forms) and its
 * affix rules (hunspell-nl: nl.aff, nl.dic), and two data files with their
 * sources (5. below). Run by lexicon/Makefile.local (usage at the end of this
 * comment).
 *
 * Snowball's Dutch stemmer leaves "huizen"/"huis", "kinderen"/"kind" and
 * "gemaakt"/"maken" apart; the analyzer indexes lemma(form) for the words
 * this table knows, so it decides what conflates. Every rule below proposes a
 * lemma and keeps it only when the word list confirms it (the lemma is a
 * real word of the right class): no hand-made exception list.
 *
 * Sources of lemmas, in order of trust (docs/morphology.md has the figures):
 *  1. hunspell's analysis of the form (Hunspell_analyze): "kantoren" st:kantoor
 *     ts:NN2, "werkte" st:werk ts:VBh1, "auto's" st:auto, "groter" st:groot.
 *     Analyses through compounding ("jeugdzorg" pa:jeugd pa:zorg) and
 *     derivations ("deskundigheid" st:deskundig ts:NN1) are refused: a lemma
 *     must be the same word.
 *  2. Verb stems become infinitives by Dutch spelling rules, validated by an
 *     infinitive entry (flag Vi) in nl.dic: "maak" -> "maken" (vowel
 *     undoubling), "zet" -> "zetten" (consonant doubling), "leef" -> "leven",
 *     "reis" -> "reizen", "ga" -> "gaan".
 *  3. Past participles, which nl.dic lists as separate roots without a link:
 *     ge-X-t/d ("gemaakt" -> "maken"), separable ("opgelost" -> "oplossen"),
 *     inseparable prefixes ("beoordeeld" -> "beoordelen"), strong ge-X-en with
 *     the infinitive's vowel ("gelopen" -> "lopen").
 *  4. Plurals in -eren ("kinderen" -> "kind", "eieren" -> "ei"), which nl.dic
 *     also lists as separate roots.
 *  5. Data with a source, for what no rule can see: lexicon/strong-verbs.tsv
 *     (the Taalunie's strong and irregular verbs: "liep" -> "lopen",
 *     "genomen" -> "nemen"), from which prefixed and separable verbs are
 *     derived by rule ("ondernam" -> "ondernemen", "opgenomen" -> "opnemen"),
 *     and lexicon/irregular-forms.tsv ("leden" -> "lid", "beter" -> "goed").
 *
 *  6. English glosses (Debian's dict-freedict-nld-eng, by lexicon/mkglosses.py)
 *     tell a verb from a noun of another meaning that its infinitive is the
 *     plural of: "geboekt" -> "boeken" stays off "boek" (verb_joins_noun).
 *
 *   mklexicon WORDLIST AFF DIC STRONG-VERBS IRREGULAR-FORMS GLOSSES OUT.lex [--dump]
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <hunspell.h>

#include <vind/analyze.h>
#include "lexicon_format.h"
#include "dic_flags.h"

/* A normalised word and what we learn about it. */
struct word {
    char *form;
    uint32_t flags;    /* VIND_LEX_* */
    char *dic_flags;   /* nl.dic flags of every root entry, "V3Vp/ViPb", or NULL */
    const char *lemma; /* chosen lemma (another word's form), or NULL */
    int reading;       /* enum reading of the chosen lemma (READ_NONE for rules) */
    const char *rule;  /* the rule that first gave a lemma (for --dump) */
};

/* Builder-only flag bits, cleared before writing. */
#define CAPITAL_SEEN 0x10000u
#define LOWER_SEEN 0x20000u
#define CAPITALISED 0x40000u /* the list writes it with a capital (too): "Pool", "Brabant" */
#define FLAGGED_START 0x80000u /* an nl.dic entry of it has Ca or Cb */
#define CE_START 0x100000u     /* one has Ce, read as a start (read_dic) */
#define BUILDER_FLAGS (CAPITAL_SEEN | LOWER_SEEN | CAPITALISED | FLAGGED_START | CE_START)
/* Shortest nl.dic root whose Ce flag makes it a compound start (read_dic). */
#define MIN_CE_MODIFIER_BYTES 5u

struct builder {
    Hunhandle *hunspell;
    GHashTable *words; /* normalised form -> struct word */
    GStringChunk *strings;
    int dump;
    const char *rule;     /* the rule of root_lemma's last answer (for --dump) */
    GHashTable *glosses;  /* normalised headword -> " gloss gloss " (FreeDict nld-eng) */
};

/* Separable verb particles: the PFX P* flags of nl.aff plus the common
 * particles that nl.dic writes out in full ("opgelost", "ingevuld"). */
static const char *const particles[] = {
    "aaneen", "aan",    "achtereen", "achterna", "achterop", "achterover", "achteruit", "achterom",
    "achter", "af",     "uiteen",    "bij",      "over",     "voor",       "binnen",    "door",
    "dicht",  "mee",    "na",        "uit",      "op",       "in",         "om",        "onder",
    "toe",    "terug",  "weg",       "samen",    "vast",     "tegen",      "neer",      "rond",
    "voort",  "bekend", "teweeg",    "thuis",    "vrij",     "los",        "open",      "mis",
    "goed",   "plaats", NULL,
};

/* Whether the n bytes at start are one of the particles above ("in" of
 * "ingezette"). */
static int is_particle(const char *start, size_t n)
{
    for (int i = 0; particles[i]; i++)
        if (strlen(particles[i]) == n && strncmp(start, particles[i], n) == 0)
            return 1;
    return 0;
}

static char *normalize(const char *text)
{
    char *n = vind_normalize(text, strlen(text));
    if (n == NULL) {
        fprintf(stderr, "mklexicon: out of memory\n");
        exit(1);
    }
    return n;
}

static struct word *find(struct builder *b, const char *form)
{
    return g_hash_table_lookup(b->words, form);
}

static struct word *intern(struct builder *b, const char *form)
{
    struct word *w = find(b, form);
    if (w)
        return w;
    w = g_new0(struct word, 1);
    w->form = g_string_chunk_insert_const(b->strings, form);
    g_hash_table_insert(b->words, w->form, w);
    return w;
}

/* Whether nl.dic gave the word the two-letter flag (checked per entry, in pairs). */
static int has_flag(const struct word *w, const char *flag)
{
    return w != NULL && dic_flags_have(w->dic_flags, flag);
}

/* Whether any of the word's flags starts with the letter (Z* plurals, Y* diminutives, A*
 * adjectives). */
static int has_flag_class(const struct word *w, char letter)
{
    return w != NULL && dic_flags_have_class(w->dic_flags, letter);
}

/* Whether one nl.dic entry of the word has both flags. */
static int has_entry_with(const struct word *w, const char *one, const char *other)
{
    if (w == NULL || w->dic_flags == NULL)
        return 0;
    gchar **entries = g_strsplit(w->dic_flags, "/", -1);
    int found = 0;
    for (int i = 0; entries[i] && !found; i++) {
        struct word single = {.dic_flags = entries[i]};
        found = has_flag(&single, one) && has_flag(&single, other);
    }
    g_strfreev(entries);
    return found;
}

static int is_verb_stem(const struct word *w)
{
    return has_flag(w, "V3") || has_flag(w, "Vp") || has_flag(w, "Vq") || has_flag(w, "Va") ||
           has_flag(w, "Vb");
}

static int is_infinitive(const struct word *w)
{
    return has_flag(w, "Vi");
}

/*
 * Whether nl.dic gives the word a plural or a diminutive: "geheugen" (memory)
 * is a noun, not ge-heugen of "heugen". Zm ("gemaaktheid") and Zk
 * ("deskundige") derive nouns from adjectives and participles, so they do not count.
 */
static int is_noun(const struct word *w)
{
    const char *at = w != NULL && w->dic_flags != NULL ? w->dic_flags : "";
    for (const char *f; (f = next_dic_flag(&at)) != NULL;)
        if (f[0] == 'Y' || (f[0] == 'Z' && f[1] != 'm' && f[1] != 'k'))
            return 1;
    return 0;
}

/* Whether the word is a noun only as an adjective's -e form: its only
 * noun flags are the -n plurals Zi/Zj ("de aanwezige(n)", "deskundige"),
 * so "aanwezige" stays a form of "aanwezig". */
static int is_nominalised_adjective(const struct word *w)
{
    if (w == NULL || w->dic_flags == NULL || has_flag_class(w, 'Y'))
        return 0;
    int nominal = 0;
    const char *at = w->dic_flags;
    for (const char *f; (f = next_dic_flag(&at)) != NULL;) {
        if (f[0] == 'Z') {
            if (f[1] != 'i' && f[1] != 'j')
                return 0;
            nominal = 1;
        }
    }
    return nominal;
}

/* Whether one nl.dic entry of the word has compound flags only (C*), one
 * of them Cc (it may end a compound): "beheer/CcCaCb", "opvang/CcCaCbC4". */
static int is_compound_noun(const struct word *w)
{
    if (w == NULL || w->dic_flags == NULL)
        return 0;
    gchar **entries = g_strsplit(w->dic_flags, "/", -1);
    int found = 0;
    for (int i = 0; entries[i] && !found; i++) {
        const char *e = entries[i];
        size_t n = strlen(e);
        int only_c = n >= 2 && n % 2 == 0;
        for (size_t k = 0; only_c && k < n; k += 2)
            only_c = e[k] == 'C';
        struct word single = {.dic_flags = entries[i]};
        found = only_c && has_flag(&single, "Cc");
    }
    g_strfreev(entries);
    return found;
}

static int is_noun_or_adjective(const struct word *w)
{
    return has_flag_class(w, 'Z') || has_flag_class(w, 'Y') || has_flag_class(w, 'A');
}

static int is_vowel(char c)
{
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y';
}

static int known_infinitive(struct builder *b, const char *candidate)
{
    return is_infinitive(find(b, candidate));
}

#define MAX_INFINITIVES 4

/* Adds candidate to out[] when nl.dic knows it as an infinitive (flag Vi). */
static void add_infinitive(struct builder *b, const char *candidate, const char **out, int *count)
{
    struct word *w = find(b, candidate);
    if (!is_infinitive(w) || *count >= MAX_INFINITIVES)
        return;
    for (int i = 0; i < *count; i++)
        if (out[i] == w->form)
            return;
    out[(*count)++] = w->form;
}

/*
 * The infinitives a verb stem may have by Dutch spelling, each confirmed by
 * nl.dic, most regular first: "werk" -> "werken", "maak" -> "maken"
 * (a long vowel is written once in an open syllable), "beoordeel" ->
 * "beoordelen", "leef" -> "leven" and "reis" -> "reizen" (voiced after a
 * long vowel), "zet" -> "zetten" and "los" -> "lossen" (a short vowel keeps
 * its syllable closed), "ga" -> "gaan", "doe" -> "doen". Returns the count.
 */
static int infinitives_of(struct builder *b, const char *stem, const char **out)
{
    int count = 0;
    size_t n = strlen(stem);
    if (n < 2 || n > 60)
        return 0;
    char candidate[80];
    char last = stem[n - 1];
    char voiced = last == 'f' ? 'v' : last == 's' ? 'z' : 0;
    int closed = !is_vowel(last);
    int double_vowel = closed && n >= 3 && is_vowel(stem[n - 2]) && stem[n - 2] == stem[n - 3] &&
                       stem[n - 2] != 'i';
    int diphthong =
        closed && n >= 3 && is_vowel(stem[n - 2]) && is_vowel(stem[n - 3]) && !double_vowel;
    int short_vowel = closed && is_vowel(stem[n - 2]) && (n < 3 || !is_vowel(stem[n - 3]));
    int after_consonant = closed && !is_vowel(stem[n - 2]);

    /* werk -> werken. But one short vowel before one consonant keeps its
     * syllable closed by doubling: "wet" is "wetten" before "weten" (whose
     * stem is "weet"); "kom" -> "komen" stays, as "kommen" is no verb. */
    int vowel_groups = 0;
    for (size_t k = 0; k < n; k++)
        vowel_groups += is_vowel(stem[k]) && (k == 0 || !is_vowel(stem[k - 1]));
    if (short_vowel && vowel_groups == 1 && last != 'w' && last != 'x') {
        snprintf(candidate, sizeof candidate, "%s%cen", stem, last);
        add_infinitive(b, candidate, out, &count);
    }
    snprintf(candidate, sizeof candidate, "%sen", stem);
    add_infinitive(b, candidate, out, &count);
    if (voiced && (diphthong || after_consonant)) { /* reis -> reizen, durf -> durven */
        snprintf(candidate, sizeof candidate, "%.*s%cen", (int)(n - 1), stem, voiced);
        add_infinitive(b, candidate, out, &count);
    }
    if (double_vowel) { /* maak -> maken, leef -> leven */
        snprintf(candidate, sizeof candidate, "%.*s%cen", (int)(n - 2), stem,
                 voiced ? voiced : last);
        add_infinitive(b, candidate, out, &count);
    }
    if (short_vowel && last != 'w' && last != 'x') { /* zet -> zetten, los -> lossen */
        snprintf(candidate, sizeof candidate, "%s%cen", stem, last);
        add_infinitive(b, candidate, out, &count);
    }
    if (!closed) { /* doe -> doen, zie -> zien; ga -> gaan */
        snprintf(candidate, sizeof candidate, "%sn", stem);
        add_infinitive(b, candidate, out, &count);
        snprintf(candidate, sizeof candidate, "%s%cn", stem, last);
        add_infinitive(b, candidate, out, &count);
    }
    return count;
}

static const char *infinitive_of(struct builder *b, const char *stem)
{
    const char *found[MAX_INFINITIVES];
    return infinitives_of(b, stem, found) > 0 ? found[0] : NULL;
}

/* particle + infinitive, when the word list has it: "op" + "lossen". */
static const char *with_particle(struct builder *b, const char *particle, const char *infinitive)
{
    if (infinitive == NULL)
        return NULL;
    if (particle[0] == '\0')
        return infinitive;
    char joined[160];
    snprintf(joined, sizeof joined, "%s%s", particle, infinitive);
    struct word *w = find(b, joined);
    return w && (w->flags & VIND_LEX_LIST) ? w->form : NULL;
}

/*
 * The infinitive behind a weak participle body (the participle without ge-
 * and -t/-d) after particle, with the t/d checked against the verb's past
 * tense ('t kofschip: Vq "maakte" goes with "gemaakt", Vp "leefde" with
 * "geleefd") and particle + infinitive confirmed by the word list.
 */
static const char *weak_infinitive(struct builder *b, const char *particle, const char *body,
                                   char ending, int dental_stem)
{
    struct word *stem = find(b, body);
    if (!is_verb_stem(stem))
        return NULL;
    if (!dental_stem) {
        if (ending == 't' && !has_flag(stem, "Vq") && !has_flag(stem, "Vb"))
            return NULL;
        if (ending == 'd' && !has_flag(stem, "Vp") && !has_flag(stem, "Va"))
            return NULL;
    }
    const char *found[MAX_INFINITIVES];
    int count = infinitives_of(b, body, found);
    for (int i = 0; i < count; i++) {
        const char *result = with_particle(b, particle, found[i]);
        if (result)
            return result;
    }
    return NULL;
}

/* The weak readings of rest (after particle and ge-): "maakt" -> "maak" + t;
 * a stem that ends in t or d takes no second one: "zet" of "gezet". */
static const char *weak_readings(struct builder *b, const char *particle, const char *rest,
                                 size_t rest_len)
{
    char body[72];
    char ending = rest[rest_len - 1];
    snprintf(body, sizeof body, "%.*s", (int)(rest_len - 1), rest);
    const char *result = weak_infinitive(b, particle, body, ending, 0);
    if (result)
        return result;
    snprintf(body, sizeof body, "%.*s", (int)rest_len, rest);
    return weak_infinitive(b, particle, body, ending, 1);
}

/*
 * Whether the form starts with a prefix that takes no ge- in the participle:
 * "beoordeeld", "verbeterd", "ontwikkeld", "gebruikt", "ondersteund",
 * "overtuigd", "misbruikt". Without one, a stem + t/d is no participle:
 * "baard" is a beard, not a form of "baren".
 */
/* The first six are never separable; the rest are separable in other verbs
 * ("volhouden", "weergeven", "misgaan"). */
#define NEVER_SEPARABLE_PREFIXES 6
static const char *const inseparable_prefixes[] = {
    "be", "ge", "her", "ont", "ver", "er", "mis", "onder", "over", "door", "om", "achter",
    "vol", "weer", "voor", NULL,
};

static int has_inseparable_prefix(const char *form)
{
    for (int i = 0; inseparable_prefixes[i]; i++)
        if (strncmp(form, inseparable_prefixes[i], strlen(inseparable_prefixes[i])) == 0)
            return 1;
    return 0;
}

/* Whether the first n bytes of form are exactly a prefix that is never
 * separable: "ver", "be", "ont" (not "vol", "weer"). */
static int is_never_separable_prefix(const char *form, size_t n)
{
    for (int i = 0; i < NEVER_SEPARABLE_PREFIXES; i++)
        if (strlen(inseparable_prefixes[i]) == n && strncmp(form, inseparable_prefixes[i], n) == 0)
            return 1;
    return 0;
}

/*
 * Whether the infinitive is a weak verb: a stem that spells it (the stems
 * infinitives_of would take to it) has a weak past (Vp "boorde", Vq
 * "bakte"). Its participle ends in -d/-t ("geboord"), so ge-X-en is no form
 * of it: "geboren" (born) is no participle of "boren" (to drill). The mixed
 * verbs ("gebakken", "gelachen") are in strong-verbs.tsv, which links them.
 */
static int is_weak_verb(struct builder *b, const char *infinitive)
{
    size_t n = strlen(infinitive);
    if (n < 4 || n > 60 || strcmp(infinitive + n - 2, "en") != 0)
        return 0;
    char stems[3][72];
    size_t m = n - 2;
    snprintf(stems[0], sizeof stems[0], "%.*s", (int)m, infinitive); /* werk(en) */
    stems[1][0] = stems[2][0] = '\0';
    char last = infinitive[m - 1];
    if (m >= 2 && last == infinitive[m - 2] && !is_vowel(last)) /* zet(ten) */
        snprintf(stems[1], sizeof stems[1], "%.*s", (int)(m - 1), infinitive);
    if (m >= 2 && !is_vowel(last) &&
        is_vowel(infinitive[m - 2])) { /* boor <- boren, leef <- leven */
        char devoiced = last == 'v' ? 'f' : last == 'z' ? 's' : last;
        snprintf(stems[2], sizeof stems[2], "%.*s%c%c", (int)(m - 1), infinitive, infinitive[m - 2],
                 devoiced);
    }
    for (int i = 0; i < 3; i++) {
        struct word *stem = stems[i][0] ? find(b, stems[i]) : NULL;
        if ((has_flag(stem, "Vp") || has_flag(stem, "Vq")) && infinitive_of(b, stems[i]) &&
            strcmp(infinitive_of(b, stems[i]), infinitive) == 0)
            return 1;
    }
    return 0;
}

/*
 * The infinitive of a past participle: "gemaakt" -> "maken", "opgelost" ->
 * "oplossen", "beoordeeld" -> "beoordelen", "gezet" -> "zetten",
 * "gelopen" -> "lopen", "gezien" -> "zien". NULL when no rule is confirmed.
 */
static const char *participle_infinitive(struct builder *b, const char *form)
{
    size_t n = strlen(form);
    if (n < 5 || n > 60)
        return NULL;
    char ending = form[n - 1];
    int weak = ending == 't' || ending == 'd';
    int strong = n >= 6 && form[n - 2] == 'e' && ending == 'n';
    if (!weak && !strong)
        return NULL;
    for (int i = 0; i == 0 || particles[i - 1] != NULL; i++) {
        const char *particle = i == 0 ? "" : particles[i - 1];
        size_t p = strlen(particle);
        if (strncmp(form, particle, p) != 0 || strncmp(form + p, "ge", 2) != 0)
            continue;
        const char *rest = form + p + 2;
        size_t rest_len = n - p - 2;
        if (rest_len < 2)
            continue;
        const char *result = NULL;
        if (weak)
            result = weak_readings(b, particle, rest, rest_len);
        else if (known_infinitive(b, rest) && !is_weak_verb(b, rest)) /* gelopen, gegeven */
            result = with_particle(b, particle, find(b, rest)->form);
        if (result)
            return result;
    }
    /* No ge-: be-, ver-, ont-, her-, er- verbs and loans: "beoordeeld",
     * "ontwikkeld", "gebruikt" (the ge- of "gebruiken" is part of the stem). */
    if (!weak || !has_inseparable_prefix(form))
        return NULL;
    /* Only stem + t/d here: a dental stem without ge- is the stem itself
     * ("beeld"), which the verb-stem rule handles with its noun guard. */
    char body[72];
    snprintf(body, sizeof body, "%.*s", (int)(n - 1), form);
    return weak_infinitive(b, "", body, ending, 0);
}

/*
 * The plural in -eren of a noun that nl.dic lists as its own root:
 * "kinderen" -> "kind", "eieren" -> "ei", "bladeren" -> "blad",
 * "lammeren" -> "lam", "kalveren" -> "kalf", "beenderen" -> "been".
 * The base must be a noun (it has a plural or a diminutive, flags Z*, Y*)
 * and the form neither an adjective ("koperen" is not the plural of "kop")
 * nor a verb.
 */
static const char *eren_singular(struct builder *b, const char *form)
{
    /* "exporteren", "baseren", "bladeren" (to leaf) are verbs, not plurals of "export". */
    /* A verb that nl.dic also lists as a noun root ("kalveren/CaCcCb" beside
     * "kalveren/Vi", to calve; "volkeren", "bladeren") is the plural first. */
    struct word *self = find(b, form);
    if (has_flag_class(self, 'A') ||
        ((is_infinitive(self) || is_verb_stem(self)) && !is_compound_noun(self)))
        return NULL;
    /* nl.dic lists the real ones as roots with flags ("kinderen/CaCcCb");
     * flagless "shockeren", "zoneren" are verbs, "Tongeren" a town. */
    if (self == NULL || self->dic_flags == NULL || self->dic_flags[0] == '\0' ||
        (self->flags & VIND_LEX_PROPER))
        return NULL;
    /* "bakkeren", "manieren": the -en plural of a word in -er ("bakker", "manier");
     * nl.dic marks "kinder" of "kinderboek" as a compound part only (Cx). */
    char er_form[72];
    snprintf(er_form, sizeof er_form, "%.*s", (int)(strlen(form) - 2), form);
    /* For a noun root, a name ("Volker" of "volkeren/CaCcCb") or the stem
     * of its verb ("blader" of "bladeren") is no -er word. */
    struct word *er_word = find(b, er_form);
    if (er_word && (er_word->flags & VIND_LEX_LIST) && !has_flag(er_word, "Cx") &&
        !(is_compound_noun(self) && ((er_word->flags & VIND_LEX_PROPER) ||
                                     (is_verb_stem(er_word) && !is_noun(er_word)))))
        return NULL;
    size_t n = strlen(form);
    if (n < 6 || n > 60 || strcmp(form + n - 4, "eren") != 0)
        return NULL;
    char base[72];
    size_t m = n - 4;
    const char *variants[4] = {NULL};
    char v1[72], v2[72], v3[72];
    snprintf(base, sizeof base, "%.*s", (int)m, form);
    variants[0] = base;
    if (m >= 3 && base[m - 1] == base[m - 2] && !is_vowel(base[m - 1])) { /* lammeren */
        snprintf(v1, sizeof v1, "%.*s", (int)(m - 1), form);
        variants[1] = v1;
    }
    if (m >= 4 && base[m - 1] == 'd' && base[m - 2] == 'n') { /* beenderen, hoenderen */
        snprintf(v2, sizeof v2, "%.*s", (int)(m - 1), form);
        variants[2] = v2;
    }
    if (m >= 3 && base[m - 1] == 'v') { /* kalveren */
        snprintf(v3, sizeof v3, "%.*sf", (int)(m - 1), form);
        variants[3] = v3;
    }
    for (int i = 0; i < 4; i++) {
        if (variants[i] == NULL || strlen(variants[i]) < 2)
            continue;
        struct word *w = find(b, variants[i]);
        if (w && (has_flag_class(w, 'Y') || has_flag_class(w, 'Z')))
            return w->form;
    }
    return NULL;
}

/*
 * The infinitive of a finite form that nl.dic lists as a root of its own
 * ("belichaamt", "aandraaft"): stem + t (V3), + te/ten (Vq), + de/den (Vp).
 */
static const char *finite_infinitive(struct builder *b, const char *form)
{
    static const struct {
        const char *ending, *flag;
    } endings[] = {{"ten", "Vq"}, {"den", "Vp"}, {"te", "Vq"}, {"de", "Vp"}, {"t", "V3"}};
    size_t n = strlen(form);
    for (size_t i = 0; i < sizeof endings / sizeof endings[0]; i++) {
        size_t e = strlen(endings[i].ending);
        if (n < e + 3 || n > 60 || strcmp(form + n - e, endings[i].ending) != 0)
            continue;
        char body[72];
        snprintf(body, sizeof body, "%.*s", (int)(n - e), form);
        struct word *stem = find(b, body);
        int fits = endings[i].flag[1] == '3' ? is_verb_stem(stem) : has_flag(stem, endings[i].flag);
        if (fits) {
            const char *infinitive = infinitive_of(b, body);
            if (infinitive)
                return infinitive;
        }
    }
    return NULL;
}

/*
 * A separable verb form nl.dic lists whole: particle + finite form
 * ("afschaft" -> "afschaffen") or particle + participle without ge-
 * ("toevertrouwd" -> "toevertrouwen"), confirmed by the word list.
 */
static const char *particle_verb_infinitive(struct builder *b, const char *form)
{
    for (int i = 0; particles[i]; i++) {
        size_t p = strlen(particles[i]);
        if (strncmp(form, particles[i], p) != 0 || strlen(form) < p + 4)
            continue;
        const char *rest = form + p;
        const char *infinitive = finite_infinitive(b, rest);
        if (infinitive == NULL && strncmp(rest, "ge", 2) != 0)
            infinitive = participle_infinitive(b, rest);
        const char *result = with_particle(b, particles[i], infinitive);
        if (result)
            return result;
    }
    return NULL;
}

/*
 * A participle whose stem nl.dic lists without verb flags ("overtuigd/VeAb"
 * of "overtuigen", "overtuig/CaCb"): nl.dic marks it a participle (Ve), so
 * the form minus its t/d with the infinitive by spelling that the word list
 * has (flag Vi). Not for nouns or names. (Trying every flagless word as a
 * verb stem this way was tried and dropped: "opeen" -> "openen", "genoeg"
 * -> "genoegen".)
 */
static const char *flagless_verb_form(struct builder *b, const struct word *w)
{
    size_t n = strlen(w->form);
    if (n < 5 || n > 60 || (w->flags & VIND_LEX_PROPER) || is_noun(w) || is_compound_noun(w))
        return NULL;
    char last = w->form[n - 1];
    if (!has_flag(w, "Ve") || (last != 't' && last != 'd'))
        return NULL;
    char body[72];
    snprintf(body, sizeof body, "%.*s", (int)(n - 1), w->form);
    return infinitive_of(b, body);
}

/* Whether nl.dic lets the word start a compound (Ca/Cb). Such a root is a
 * word of its own, which no finite verb form is: "maart" (March,
 * "maartnummer") is no "maar" + t of "maren", a reading that put the month
 * on the term of the conjunction "maar". */
static int starts_compounds(const struct word *w)
{
    return has_flag(w, "Ca") || has_flag(w, "Cb");
}

/* The lemma a root (a form nl.dic lists) resolves to on its own, or NULL for itself. */
static const char *root_lemma(struct builder *b, const char *root)
{
    struct word *w = find(b, root);
    if (w == NULL)
        return NULL;
    if (is_infinitive(w))
        return NULL;
    /* "gezond" fits ge-zon-d ("zonnen"), but nl.dic also lists it as a full
     * adjective of its own (one entry with Aa "gezonde" and Ab "gezonder") and
     * gives it no particle flags as it does "gemaakt" ("afgemaakt"). */
    if (has_entry_with(w, "Aa", "Ab") && !has_flag_class(w, 'P'))
        return NULL;
    /* Nor is "gereed" (ready) ge-ree-d of the archaic "reden" (to fit out),
     * which put it on the term of "redenen" (reasons): nl.dic gives it a
     * superlative of its own (Ad/Ae: "gereedst") and none of the Ve that
     * marks a participle used as an adjective ("gerust", "gepast"). Its
     * particle flags ("uitgereed") do not make it a participle. */
    if (has_entry_with(w, "Ad", "Ae") && !has_flag(w, "Ve"))
        return NULL;
    /* A noun ("geheugen", "gebied") is no participle unless nl.dic also marks
     * it as one (Ve, or particle flags as "gericht" of "gericht op" has). */
    /* A noun with a diminutive ("geluid", "geluidje": a sound) stays a noun
     * even so: nl.dic's Ve for "geluid" (rung) is the rarer reading. */
    int participle_evidence =
        (has_flag(w, "Ve") || has_flag_class(w, 'P')) && !has_flag_class(w, 'Y');
    const char *infinitive =
        is_noun(w) && !participle_evidence ? NULL : participle_infinitive(b, root);
    b->rule = "participle";
    if (infinitive)
        return infinitive;
    /* "maak" -> "maken", and a stem that nl.dic also marks as a participle
     * used as an adjective (Ve): "verkort" -> "verkorten" (hij verkort, het is
     * verkort). But "beheer", "opvang", "bouw" are also nouns: nl.dic
     * lists them in an entry of compound flags alone that may end a compound
     * ("wachtwoordbeheer", "kinderopvang"), so they are no verb form. */
    int verbal_adjective = has_flag(w, "Ve") && !is_noun(w); /* "verkort", "verlicht" */
    b->rule = "verb-stem";
    if (is_verb_stem(w) && (!is_noun_or_adjective(w) || verbal_adjective) && !is_compound_noun(w))
        return infinitive_of(b, root);
    b->rule = "finite";
    if (!is_noun_or_adjective(w) && !starts_compounds(w)) {
        infinitive = finite_infinitive(b, root) ?: particle_verb_infinitive(b, root);
        if (infinitive)
            return infinitive;
    }
    b->rule = "flagless-participle";
    return flagless_verb_form(b, w);
}

/* Length of the common start of two strings. */
static size_t common_prefix(const char *a, const char *b)
{
    size_t i = 0;
    while (a[i] && a[i] == b[i])
        i++;
    return i;
}

/* Whether the stem's first syllable is a vowel written double that the form
 * writes once before its ending ("oog"/"ogen", "uur"/"uren"): Dutch spelling
 * of an open syllable, where the two share a single letter. */
static int shares_open_syllable(const char *form, const char *stem)
{
    size_t common = common_prefix(form, stem);
    if (common != 1 || !is_vowel(stem[0]) || stem[1] != stem[0])
        return 0;
    size_t rest = strlen(stem + 2);
    return rest > 0 && strncmp(form + 1, stem + 2, rest) == 0;
}

/* Whether stem can be the root of form by suffixing alone: "kantoren"/"kantoor",
 * "musea"/"museum", "ogen"/"oog", never "verpleeghuiszorg"/"verpleeghuis". */
static int suffix_related(const char *form, const char *stem)
{
    size_t f = strlen(form), s = strlen(stem);
    size_t common = common_prefix(form, stem);
    if ((common < 2 && !shares_open_syllable(form, stem)) || common + 3 < s)
        return 0;
    return f <= s + 6;
}

/* Readings by trust. READ_DEGREE (a comparative or superlative of another
 * root: "groter" of "groot") ranks below the positive of a root of its own
 * ("laatste" is the -e form of "laatst" before it is the superlative of
 * "laat"). READ_DIMINUTIVE ranks as a noun but prefers the longer base
 * (below). */
enum reading { READ_NONE, READ_VERB, READ_DEGREE, READ_ADJECTIVE, READ_DIMINUTIVE, READ_NOUN };

struct candidate {
    enum reading reading;
    const char *lemma;
};

/* Whether the two words differ only in one vowel written double in one of
 * them: "boom"/"bom", "raad"/"rad". */
static int differ_by_long_vowel(const char *a, const char *b)
{
    size_t i = common_prefix(a, b);
    size_t la = strlen(a), lb = strlen(b);
    if (la == lb + 1)
        return i > 0 && is_vowel(a[i]) && a[i] == a[i - 1] && strcmp(a + i + 1, b + i) == 0;
    if (lb == la + 1)
        return i > 0 && is_vowel(b[i]) && b[i] == b[i - 1] && strcmp(b + i + 1, a + i) == 0;
    return 0;
}

/* Keeps the better of two candidates: nouns before adjectives before verbs
 * ("huizen" is the plural of "huis" before it is the verb "huizen";
 * "voorstellen" goes with "voorstel"), then the shorter, then strcmp order. */
static void consider(struct candidate *best, enum reading reading, const char *lemma)
{
    if (lemma == NULL)
        return;
    if (best->lemma != NULL) {
        if (reading < best->reading)
            return;
        if (reading == best->reading) {
            size_t a = strlen(lemma), c = strlen(best->lemma);
            /* A diminutive takes the longest base: "kaartje" is kaart + je
             * before it is kaar + tje, "lijstje" lijst + je, not "lijs": the
             * longer base explains the word with the plainer suffix. A plural
             * takes the long vowel: "bomen" is the plural of "boom" before
             * that of "bom" (a short vowel lengthens in a few words only,
             * "dag"/"dagen"; "bom" makes "bommen"); so does an -e form: "hele"
             * is "heel" before "hel" ("hel" makes "helle"). An -e form takes
             * the longest base too: "lekkere" is lekker + e before it is the
             * comparative of "lek" (hunspell tags both AJce). */
            if (((reading == READ_DIMINUTIVE || reading == READ_ADJECTIVE) && a != c) ||
                ((reading == READ_NOUN || reading == READ_ADJECTIVE) &&
                 differ_by_long_vowel(lemma, best->lemma))) {
                if (a < c)
                    return;
            } else if (a > c || (a == c && strcmp(lemma, best->lemma) >= 0)) {
                return;
            }
        }
    }
    best->reading = reading;
    best->lemma = lemma;
}

static enum reading reading_of_tag(const char *tag)
{
    static const char *const nouns[] = {"NN2", "DT", NULL};
    static const char *const diminutives[] = {"NN2r", "NN1r", NULL};
    /* AJce is an -e form with a changed consonant ("lieve" of "lief"), no
     * comparative; AJcn, AJsn and AJse are degrees ("groter", "grootste"). */
    static const char *const adjectives[] = {"AJe", "AJce", "AJci", NULL};
    static const char *const degrees[] = {"AJc", "AJcn", "AJsn", "AJse", NULL};
    static const char *const verbs[] = {"VB3", "VBh", "VBh1", "VBpe", "PPn", "PPe", NULL};
    /* in this order: the first list holding the tag gives the reading */
    static const struct {
        const char *const *tags;
        enum reading reading;
    } readings[] = {
        {nouns, READ_NOUN},     {diminutives, READ_DIMINUTIVE},
        {degrees, READ_DEGREE}, {adjectives, READ_ADJECTIVE},
        {verbs, READ_VERB},
    };
    for (size_t r = 0; r < sizeof readings / sizeof readings[0]; r++)
        for (int i = 0; readings[r].tags[i]; i++)
            if (strcmp(tag, readings[r].tags[i]) == 0)
                return readings[r].reading;
    return READ_NONE; /* NN1 "deskundigheid", NN1d "Eindhovenaar", i "groots": derivations */
}

/* The lemma of a verbal stem from hunspell: a stem ("werk") gives its
 * infinitive, a participle ("gemaakt" of "gemaakte") its verb. */
static const char *verbal_lemma(struct builder *b, const char *stem)
{
    struct word *w = find(b, stem);
    if (is_infinitive(w))
        return w->form;
    const char *infinitive = is_verb_stem(w) ? infinitive_of(b, stem) : NULL;
    if (infinitive)
        return infinitive;
    infinitive = participle_infinitive(b, stem);
    if (infinitive)
        return infinitive;
    infinitive = w ? root_lemma(b, stem) : NULL; /* "terugbetaald" of "terugbetaalde" */
    if (infinitive)
        return infinitive;
    return w ? w->form : NULL;
}

static int is_real_noun(const struct word *w);

/* heid_singular's answer for a plural in -heden whose noun in -heid the
 * word list lacks: no lemma from that analysis. */
static const char HEDEN_NO_SINGULAR[] = "";

/*
 * The singular in -heid of form when form is a plural in -heden that hunspell
 * reads as the plural of stem, a word that does not end in -heid ("waarheden"
 * st:waar): "waarheid", HEDEN_NO_SINGULAR when the list lacks it; NULL for any
 * other form or reading (the stem already "mogelijkheid").
 */
static const char *heid_singular(struct builder *b, const char *form, const char *stem)
{
    size_t n = strlen(form), m = strlen(stem);
    if (n < 8 || n > 60 || strcmp(form + n - 5, "heden") != 0 ||
        (m >= 4 && strcmp(stem + m - 4, "heid") == 0))
        return NULL;
    char singular[72];
    snprintf(singular, sizeof singular, "%.*sheid", (int)(n - 5), form);
    struct word *w = find(b, singular);
    return w != NULL && (w->flags & VIND_LEX_LIST) ? w->form : HEDEN_NO_SINGULAR;
}

/* Reads one analysis ("af st:gewerkt fl:Pj", " st:kantoor ts:NN2") into the candidate. */
static void consider_analysis(struct builder *b, const char *form, const char *analysis,
                              struct candidate *best)
{
    char prefix[64] = "", stem_raw[256] = "", tag[16] = "";
    int compound = 0, compound_flag = 0;
    gchar **fields = g_strsplit_set(analysis, " \t", -1);
    for (int i = 0; fields[i]; i++) {
        const char *f = fields[i];
        if (f[0] == '\0')
            continue;
        if (strncmp(f, "st:", 3) == 0 && stem_raw[0] == '\0')
            snprintf(stem_raw, sizeof stem_raw, "%s", f + 3);
        else if (strncmp(f, "ts:", 3) == 0 && tag[0] == '\0')
            snprintf(tag, sizeof tag, "%s", f + 3);
        else if (strncmp(f, "pa:", 3) == 0)
            compound = 1;
        else if (strncmp(f, "fl:C", 4) == 0)
            compound_flag = 1;
        else if (strchr(f, ':') == NULL && stem_raw[0] == '\0')
            snprintf(prefix, sizeof prefix, "%s", f);
    }
    g_strfreev(fields);
    if (compound || compound_flag || stem_raw[0] == '\0')
        return;
    /* DT is the -s of a name (a genitive, or a people's plural): hunspell
     * reads "Als" as the genitive of the name "Al" and "Els" as the name
     * "El"'s, which made the conjunction "als" a form of "al". It gives no
     * lemma to a word the list also writes in lower case. */
    struct word *self_entry = find(b, form);
    if (strcmp(tag, "DT") == 0 && g_unichar_isupper(g_utf8_get_char(stem_raw)) &&
        self_entry != NULL && !(self_entry->flags & VIND_LEX_PROPER))
        return;
    char *stem = normalize(stem_raw);
    char *particle = normalize(prefix);
    struct word *root = find(b, stem);
    /* Nor is a name (a noun the list writes only capitalised) the lemma of a
     * plural or diminutive the list writes in lower case: the list's "Samen"
     * (the Sami, plural of "Same") made the adverb "samen" a form of "same",
     * so every English "same" found "samen" (issue 13, the fifth sample).
     * A capitalised stem the list also writes in lower case still counts
     * ("IJzeren" -> "ijzer"), and so does an adjective of a name ("romeinse"
     * -> "romeins"). */
    enum reading tag_reading = reading_of_tag(tag);
    if (root != NULL && (root->flags & VIND_LEX_PROPER) && self_entry != NULL &&
        !(self_entry->flags & VIND_LEX_PROPER) &&
        (tag_reading == READ_NOUN || tag_reading == READ_DIMINUTIVE)) {
        free(stem);
        free(particle);
        return;
    }
    if (particle[0] != '\0') {
        /* "afgewerkt" = af + "gewerkt": lemma "af" + lemma of the rest. */
        const char *rest = root ? root_lemma(b, stem) : NULL;
        if (rest == NULL) /* "afschaft" = af + "schaft", a form no list has alone */
            rest = finite_infinitive(b, stem);
        if (rest == NULL)
            rest = participle_infinitive(b, stem);
        const char *verb = with_particle(b, particle, rest ? rest : (root ? root->form : NULL));
        /* A noun in its own right is no particle verb's stem: "natuur" is no
         * "na" + "tuur" (naturen), "voorwerp" no "voor" + "werp". */
        if (verb && strcmp(verb, form) != 0 && !is_real_noun(find(b, form)))
            consider(best, READ_VERB, verb);
    } else if (tag[0] != '\0' && root != NULL && strcmp(stem, form) != 0 &&
               suffix_related(form, stem)) {
        enum reading reading = reading_of_tag(tag);
        /* A noun in its own right keeps itself against adjective and verb
         * readings: "rechter" (judge) is no comparative of "recht". */
        struct word *self = find(b, form);
        if (reading < READ_DIMINUTIVE && (has_flag_class(self, 'Z') || has_flag_class(self, 'Y')) &&
            !(reading == READ_ADJECTIVE && is_nominalised_adjective(self)))
            reading = READ_NONE;
        if (strcmp(tag, "VB3") == 0 && starts_compounds(self)) /* "maart" */
            reading = READ_NONE;
        /* An infinitive in -den that nl.dic lists is a verb of its own, no
         * past plural of another: "luiden" (luidt, to read/sound) is no "lui"
         * + den of "luien" (to laze), "wenden" none of "wennen", "breiden"
         * none of "breien", "rijden" none of "rijen". Not -ten: there the
         * past is often the commoner word ("misten" of "missen" before "misten",
         * to fog, whose stem "mist" is mostly "misses" in the corpus, 13 of
         * 14). "zetten", the past plural of itself, keeps that reading. */
        size_t length = strlen(form);
        if (reading == READ_VERB && strcmp(tag, "VBh") == 0 && is_infinitive(self) &&
            length > 3 && strcmp(form + length - 3, "den") == 0 &&
            strcmp(verbal_lemma(b, stem), form) != 0)
            reading = READ_NONE;
        /* An adjective in its own right (nl.dic gives it A* flags) is no
         * degree of another: "laatst" is not "laat", "eerder" not "eer". */
        if (reading == READ_DEGREE && has_flag_class(self, 'A'))
            reading = READ_NONE;
        /* Nor is an adjective in -s the plural of a name or a people's noun:
         * "pools" (Polish) is no plural of "Pool"/"pool", "frans" none of
         * "Fran", "brabants" none of "Brabant". */
        if (reading == READ_NOUN && has_flag_class(self, 'A') && form[strlen(form) - 1] == 's' &&
            (root->flags & CAPITALISED))
            reading = READ_NONE;
        /* A plural in -heden is that of the noun in -heid: hunspell also
         * reads "waarheden" as st:waar ts:NN2 (and "bezigheden" as "bezig",
         * "zekerheden" as "zeker"), which put the truths on the term of
         * "waar" (where, true) while "waarheid" kept its own. */
        const char *singular = reading == READ_NOUN ? heid_singular(b, form, stem) : NULL;
        if (singular == HEDEN_NO_SINGULAR)
            reading = READ_NONE;
        else if (singular != NULL)
            root = find(b, singular);
        if (reading == READ_VERB)
            consider(best, reading, verbal_lemma(b, stem));
        else if (reading != READ_NONE)
            consider(best, reading, root->form);
    }
    free(stem);
    free(particle);
}

/* singular when it is a noun of the word list (compound-end or noun flags, no
 * infinitive) and form, its plural by an ending nl.dic does not link, has no
 * adjective or verb reading of its own (the two plural rules below). */
static const char *listed_noun_of_plural(struct builder *b, const char *form,
                                         const char *singular)
{
    struct word *w = find(b, singular);
    if (w == NULL || !(w->flags & VIND_LEX_LIST) || (w->flags & VIND_LEX_PROPER) ||
        !(has_flag(w, "Cc") || is_noun(w)) || is_infinitive(w))
        return NULL;
    struct word *self = find(b, form);
    if (self && (has_flag_class(self, 'A') || is_verb_stem(self) || is_infinitive(self)))
        return NULL;
    return w->form;
}

/*
 * The singular of a plural in -s that nl.dic lists as a root of its own, so
 * that no affix rule links it ("meisjes", "meisje/Cc"): the form minus -s
 * when that is a noun in the word list (nl.dic gives it compound-end or
 * plural/diminutive flags) and ends where Dutch writes the -s plural: an
 * unstressed -e, -el, -em, -en, -er, -je, not -ee ("oorlogswees" is an
 * orphan). Snowball used to join these before lemmas became the terms.
 */
static const char *s_plural_singular(struct builder *b, const char *form)
{
    size_t n = strlen(form);
    if (n < 5 || n > 60 || form[n - 1] != 's')
        return NULL;
    char singular[72];
    snprintf(singular, sizeof singular, "%.*s", (int)(n - 1), form);
    size_t m = n - 1;
    int ending =
        (singular[m - 1] == 'e' && !is_vowel(singular[m - 2])) ||
        (singular[m - 2] == 'e' && strchr("lmnr", singular[m - 1]) && !is_vowel(singular[m - 3]));
    return ending ? listed_noun_of_plural(b, form, singular) : NULL;
}

/*
 * The singular of a plural in -n after an unstressed -e that no affix rule
 * links (nl.dic lists "deelnamen" flagless beside "deelname/CcCeZa", whose
 * rule gives only "deelnames"): the form minus -n when that is a noun of the
 * list ending in consonant + e. Without it the splitter read the word as
 * "deel" + "namen" (issue 13, i13-prec3). Nouns in -e take -s or -n alike
 * ("ziektes", "ziekten"); a form that is a verb, adjective or noun of its own
 * keeps its own reading.
 */
static const char *n_plural_singular(struct builder *b, const char *form)
{
    size_t n = strlen(form);
    if (n < 6 || n > 60 || strcmp(form + n - 2, "en") != 0 || is_vowel(form[n - 3]))
        return NULL;
    /* A form with noun or participle flags of its own is another word:
     * "heiden/Zb" (heathens) is no plural of "heide" (heath), "sneden/Pb.."
     * is a past of "snijden". */
    struct word *self = find(b, form);
    if (self && (is_noun_or_adjective(self) || has_flag_class(self, 'P')))
        return NULL;
    char singular[72];
    snprintf(singular, sizeof singular, "%.*s", (int)(n - 1), form);
    return listed_noun_of_plural(b, form, singular);
}

/* Whether w is a noun in the word list that may have the plural in -en. */
static struct word *noun_in_list(struct builder *b, const char *form)
{
    struct word *w = find(b, form);
    if (w == NULL || !(w->flags & VIND_LEX_LIST) || (w->flags & VIND_LEX_PROPER) ||
        strlen(form) < 3 || !(is_noun(w) || has_flag(w, "Cc")))
        return NULL;
    return w;
}

/*
 * The singular of a plural in -en that nl.dic lists as a root of its own
 * with compound flags ("zorgen/Cc" beside "zorg/CcCaYb", "kosten/Cc"), so
 * that no affix rule links it: the form minus -en, with a doubled
 * consonant made single ("bakken" -> "bak") or a long vowel written double
 * again ("kantoren" -> "kantoor", v -> f, z -> s), when that is a noun in
 * the word list. The verb of the same spelling then ends at the noun too
 * (chains, below), as it did with Snowball's common stem.
 */
static const char *en_plural_singular(struct builder *b, const char *form)
{
    size_t n = strlen(form);
    struct word *self = find(b, form);
    if (n < 6 || n > 60 || strcmp(form + n - 2, "en") != 0 || self == NULL ||
        !has_flag(self, "Cc") || (self->flags & VIND_LEX_PROPER))
        return NULL;
    char base[72];
    size_t m = n - 2;
    snprintf(base, sizeof base, "%.*s", (int)m, form);
    struct word *w = noun_in_list(b, base);
    if (w)
        return w->form;
    char variant[80];
    if (m >= 3 && base[m - 1] == base[m - 2] && !is_vowel(base[m - 1])) {
        snprintf(variant, sizeof variant, "%.*s", (int)(m - 1), base); /* bakken -> bak */
        if ((w = noun_in_list(b, variant)) != NULL)
            return w->form;
    }
    if (m >= 3 && !is_vowel(base[m - 1]) && is_vowel(base[m - 2]) && !is_vowel(base[m - 3])) {
        char last = base[m - 1] == 'v' ? 'f' : base[m - 1] == 'z' ? 's' : base[m - 1];
        snprintf(variant, sizeof variant, "%.*s%c%c", (int)(m - 1), base, base[m - 2], last);
        if ((w = noun_in_list(b, variant)) != NULL) /* kantoren -> kantoor */
            return w->form;
    }
    return NULL;
}

/* A line of the glosses file (lexicon/mkglosses.py): headword, its English
 * glosses separated by spaces. Stored as " a b c " for whole-word look-ups. */
static void gloss_line(struct builder *b, char **fields, int count)
{
    if (count < 2)
        return;
    char *key = normalize(fields[0]);
    char *value = g_strconcat(" ", fields[1], " ", NULL);
    g_hash_table_replace(b->glosses, key, value);
}

/* Whether two English glosses are one word: equal, or one the other with an
 * ending ("differ"/"difference", "judge"/"judgment", "depart"/"departure"):
 * a common start of 4+ letters that leaves at most one letter of the
 * shorter. */
static int same_gloss(const char *one, const char *other)
{
    size_t common = 0;
    while (one[common] && one[common] == other[common])
        common++;
    size_t shorter = MIN(strlen(one), strlen(other));
    return common == shorter || (common >= 4 && common + 1 >= shorter);
}

/* Whether the two headwords share an English gloss; -1 when either has none
 * (FreeDict's 20k headwords do not cover every word). */
static int share_gloss(struct builder *b, const char *one, const char *other)
{
    const char *a = g_hash_table_lookup(b->glosses, one);
    const char *c = g_hash_table_lookup(b->glosses, other);
    if (a == NULL || c == NULL)
        return -1;
    gchar **these = g_strsplit(a, " ", -1);
    gchar **those = g_strsplit(c, " ", -1);
    int shared = 0;
    for (int i = 0; these[i] && !shared; i++)
        for (int k = 0; those[k] && !shared; k++)
            shared = these[i][0] && those[k][0] && same_gloss(these[i], those[k]);
    g_strfreev(these);
    g_strfreev(those);
    return shared;
}

/* Whether an English gloss is a degree of comparison that English does not
 * make with -er/-est: "more ...", "most important", "least", "worse",
 * "further", "former" (a closed class of English grammar). */
static int english_degree_word(const char *gloss)
{
    static const char *const starts[] = {"more",  "most",    "less",    "least",  "better", "best",
                                         "worse", "worst",   "further", "farther", "former", "latter",
                                         "elder", "eldest",  NULL};
    for (const char *const *s = starts; *s; s++)
        if (strncmp(gloss, *s, strlen(*s)) == 0)
            return 1;
    return 0;
}

/*
 * Whether a comparative or superlative reading is another word: FreeDict
 * glosses the form and its base with no English word in common and none of
 * the form's glosses is a degree ("echter": but, however, nevertheless, is
 * no "more echt": genuine, real; "middelste": central, is no degree of
 * "middel": means, waist). A gloss with an -er/-est ending shares its start
 * with the base's ("long"/"longer", same_gloss); "langer" (further, more)
 * and "belangrijkste" (most important) stay degrees.
 */
static int degree_is_other_word(struct builder *b, const char *form, const char *base)
{
    if (share_gloss(b, form, base) != 0)
        return 0;
    const char *glosses = g_hash_table_lookup(b->glosses, form);
    gchar **words = g_strsplit(glosses, " ", -1);
    int degree = 0;
    for (int i = 0; words[i] && !degree; i++)
        degree = english_degree_word(words[i]);
    g_strfreev(words);
    return !degree;
}

static void choose_lemma(struct builder *b, struct word *w, const char *original)
{
    struct candidate best = {READ_NONE, NULL};
    char **analyses = NULL;
    int count = Hunspell_analyze(b->hunspell, &analyses, original);
    for (int i = 0; i < count; i++)
        consider_analysis(b, w->form, analyses[i], &best);
    if (count > 0)
        Hunspell_free_list(b->hunspell, &analyses, count);
    if (best.reading == READ_DEGREE && degree_is_other_word(b, w->form, best.lemma))
        best = (struct candidate){READ_NONE, NULL};
    static const char *const readings[] = {"hunspell-none",       "hunspell-verb",
                                           "hunspell-degree",     "hunspell-adjective",
                                           "hunspell-diminutive", "hunspell-noun"};
    const char *rule = best.lemma ? readings[best.reading] : NULL;
    const char *before = best.lemma;
    consider(&best, READ_NOUN, eren_singular(b, w->form));
    if (best.lemma != before)
        rule = "eren-plural";
    if (best.lemma == NULL && (best.lemma = root_lemma(b, w->form)) != NULL)
        rule = b->rule;
    if (best.lemma == NULL && (best.lemma = s_plural_singular(b, w->form)) != NULL) {
        best.reading = READ_NOUN;
        rule = "s-plural";
    }
    if (best.lemma == NULL && (best.lemma = en_plural_singular(b, w->form)) != NULL) {
        best.reading = READ_NOUN;
        rule = "en-plural";
    }
    if (best.lemma == NULL && (best.lemma = n_plural_singular(b, w->form)) != NULL) {
        best.reading = READ_NOUN;
        rule = "n-plural";
    }
    if (best.lemma != NULL && strcmp(best.lemma, w->form) != 0) {
        w->lemma = best.lemma;
        w->reading = best.reading;
        w->rule = rule;
        w->flags |= VIND_LEX_INFLECTED;
    }
}

/* ---- data with a source: irregular forms and strong verbs ---- */

/* Reads a tab-separated data file ('#' comments), calling fn on each line's
 * fields (at most 8). */
static void read_data(struct builder *b, const char *path,
                      void (*fn)(struct builder *, char **, int))
{
    FILE *file = fopen(path, "r");
    if (file == NULL) {
        perror(path);
        exit(1);
    }
    char *line = NULL;
    size_t size = 0;
    while (getline(&line, &size, file) >= 0) {
        line[strcspn(line, "#\r\n")] = '\0';
        char *fields[8];
        int count = 0;
        for (char *f = strtok(line, "\t"); f && count < 8; f = strtok(NULL, "\t"))
            fields[count++] = f;
        if (count > 0)
            fn(b, fields, count);
    }
    free(line);
    fclose(file);
}

static void set_lemma(struct builder *b, struct word *w, const char *lemma, int reading,
                      const char *why)
{
    w->lemma = lemma;
    w->reading = reading;
    w->rule = why;
    w->flags |= VIND_LEX_INFLECTED;
    if (b->dump)
        printf("%s\t%s\t%s\n", w->form, lemma, why);
}

/* A line of irregular-forms.tsv: lemma, form. The form must be in the word list. */
static void irregular_form(struct builder *b, char **fields, int count)
{
    if (count < 2)
        return;
    char *lemma_form = normalize(fields[0]), *form = normalize(fields[1]);
    struct word *lemma = find(b, lemma_form), *w = find(b, form);
    if (lemma && w && (w->flags & VIND_LEX_LIST) && (lemma->flags & VIND_LEX_LIST))
        set_lemma(b, w, lemma->form, READ_NOUN, "irregular");
    free(lemma_form);
    free(form);
}

/* Whether an nl.dic entry makes the word a noun of its own: a diminutive
 * (Y*), or a plural (Z*) in an entry that may also end a compound ("bond",
 * "stal", "vocht"); "ging/Zb" or "ontving/ZbC4" is no noun anyone uses. */
static int is_real_noun(const struct word *w)
{
    if (w == NULL || w->dic_flags == NULL)
        return 0;
    gchar **entries = g_strsplit(w->dic_flags, "/", -1);
    int found = 0;
    for (int i = 0; entries[i] && !found; i++) {
        struct word single = {.dic_flags = entries[i]};
        found = has_flag_class(&single, 'Y') || (is_noun(&single) && has_flag(&single, "Cc"));
    }
    g_strfreev(entries);
    return found;
}

/*
 * Whether a form of a strong verb may take infinitive as its lemma. Another
 * word of the same spelling wins: a noun or adjective reading ("namen" is
 * the plural of "naam", "bleek" pale, "bond" a union, "wezen" a being), an
 * infinitive of its own ("weten" is no past of "wijten") or a form another
 * verb already has ("weet" of "weten"). Participles follow the guards of
 * the participle rule (root_lemma).
 */
static int may_take_verb(struct builder *b, const struct word *w, const char *infinitive,
                         int participle)
{
    if (w == NULL || !(w->flags & VIND_LEX_LIST) || (w->flags & VIND_LEX_PROPER) ||
        strcmp(w->form, infinitive) == 0 || is_infinitive(w))
        return 0;
    if (w->lemma && w->reading > READ_VERB)
        return 0;
    if (w->lemma && strcmp(w->lemma, infinitive) != 0 && is_infinitive(find(b, w->lemma)))
        return 0;
    if (participle) {
        if (has_entry_with(w, "Aa", "Ab") && !has_flag_class(w, 'P'))
            return 0;
        return !is_noun(w) || has_flag(w, "Ve") || has_flag_class(w, 'P');
    }
    return !is_real_noun(w) && !is_compound_noun(w) && !has_flag_class(w, 'A');
}

/* Prefixes that make a verb without a separable particle: the participle
 * takes no ge- ("bevonden", "ondernomen", "vergeven"). */
static const char *const inseparable[] = {"be",  "ver",   "ont",  "her",  "ge", "er",
                                          "mis", "onder", "over", "door", "om", "achter",
                                          "vol", "weer",  "voor", NULL};

/* Links form (in the word list) to infinitive when may_take_verb allows it
 * and, for a derived verb, the simplex form (simplex_form) is no infinitive
 * of another verb: "afzagen" (saw off) is no past of "afzien", as "zagen" is
 * no past of "zien" (nl.dic gives particle verbs no flags of their own). */
static void link_verb_form(struct builder *b, const char *form, const char *simplex_form,
                           const char *simplex, const char *infinitive, int participle)
{
    struct word *w = find(b, form);
    if (simplex_form != form && strcmp(simplex_form, simplex) != 0 &&
        is_infinitive(find(b, simplex_form)))
        return;
    if (may_take_verb(b, w, infinitive, participle))
        set_lemma(b, w, infinitive, READ_VERB, participle ? "strong-participle" : "strong-past");
}

/* Whether text is one of the "|"-separated alternatives of a field. */
static int is_alternative(const char *field, const char *text)
{
    size_t n = strlen(text);
    for (const char *p = field; p; p = strchr(p, '|')) {
        if (*p == '|')
            p++;
        if (strncmp(p, text, n) == 0 && (p[n] == '\0' || p[n] == '|'))
            return 1;
    }
    return 0;
}

/*
 * The forms of one verb with prefix ("" for the simplex): prefix + each past
 * form, and the participle with the prefix before it ("opgenomen", separable)
 * or in the place of ge- ("ondernomen", "bevonden", inseparable). A derived
 * verb counts only when the word list has prefix + infinitive and that is no
 * form of the simplex ("gegeven" is no verb "ge" + "geven").
 */
static void link_derived(struct builder *b, char **fields, const char *prefix, int separable)
{
    char form[160];
    snprintf(form, sizeof form, "%s%s", prefix, fields[0]);
    struct word *infinitive = find(b, form);
    if (infinitive == NULL || !(infinitive->flags & VIND_LEX_LIST))
        return;
    if (prefix[0] && (is_alternative(fields[3], form) || is_alternative(fields[2], form)))
        return;
    for (int column = 1; column <= 3; column++) {
        char *copy = g_strdup(fields[column]);
        for (char *alt = strtok(copy, "|"); alt; alt = strtok(NULL, "|")) {
            if (strcmp(alt, "-") == 0)
                continue;
            const char *body = alt;
            if (column == 3 && !separable && prefix[0] && strncmp(alt, "ge", 2) == 0)
                body = alt + 2; /* be + (ge)vonden */
            snprintf(form, sizeof form, "%s%s", prefix, body);
            link_verb_form(b, form, prefix[0] ? alt : form, fields[0], infinitive->form,
                           column == 3);
        }
        g_free(copy);
    }
}

/* A line of strong-verbs.tsv: infinitive, past singular, past plural,
 * participle; the simplex and every derived verb the word list has. */
static void strong_verb(struct builder *b, char **fields, int count)
{
    if (count < 4)
        return;
    for (int k = 0; k < 4; k++) {
        char *n = normalize(fields[k]);
        snprintf(fields[k], strlen(fields[k]) + 1, "%s", n); /* folding never grows ASCII */
        free(n);
    }
    link_derived(b, fields, "", 1);
    for (int i = 0; inseparable[i]; i++)
        link_derived(b, fields, inseparable[i], 0);
    for (int i = 0; particles[i]; i++)
        link_derived(b, fields, particles[i], 1);
}

/* Reads nl.dic: "verpleeghuis/ZhCcCa" -> flags of the normalised root. */
static void read_dic(struct builder *b, const char *path)
{
    FILE *file = fopen(path, "r");
    if (file == NULL) {
        perror(path);
        exit(1);
    }
    char *line = NULL;
    size_t size = 0;
    int first = 1;
    while (getline(&line, &size, file) >= 0) {
        line[strcspn(line, "\t\r\n")] = '\0';
        if (first) { /* the entry count */
            first = 0;
            continue;
        }
        char *slash = line;
        while ((slash = strchr(slash, '/')) != NULL && slash > line && slash[-1] == '\\')
            slash++;
        const char *flags = "";
        if (slash) {
            *slash = '\0';
            flags = slash + 1;
        }
        char *space = strchr(line, ' ');
        if (space)
            *space = '\0';
        if (line[0] == '\0')
            continue;
        char *form = normalize(line);
        struct word *w = intern(b, form);
        free(form);
        w->flags |= VIND_LEX_ROOT;
        char *joined = w->dic_flags ? g_strconcat(w->dic_flags, "/", flags, NULL) : g_strdup(flags);
        g_free(w->dic_flags);
        w->dic_flags = joined;
        /* Ce: "SFX Ce 0 /CaCbCp", the word itself (an empty suffix) starts
         * compounds; nl.aff gives it to words ending in a vowel that may
         * take a hyphen ("gemeente" of "gemeenteraad"). Taken only from a
         * word that ends compounds too (Cc, a noun of its own: not the
         * prefixes "infra", "techno", "micro") of 5 bytes or more: shorter
         * ones start chance splits of loans ("data|base", "home|page").
         * Measured (lexicon/known-splits-2.tsv, docs/analyzer.md). */
        if (has_flag(w, "Ca") || has_flag(w, "Cb"))
            w->flags |= VIND_LEX_MODIFIER | FLAGGED_START;
        else if (has_flag(w, "Ce") && has_flag(w, "Cc") && strlen(w->form) >= MIN_CE_MODIFIER_BYTES)
            w->flags |= VIND_LEX_MODIFIER | CE_START;
        if (has_flag(w, "Cc"))
            w->flags |= VIND_LEX_HEAD;
        if (has_flag(w, "Cd") || has_flag(w, "Ch"))
            w->flags |= VIND_LEX_LINK_S;
        if (has_flag(w, "Cx"))
            w->flags |= VIND_LEX_BOUND;
    }
    free(line);
    fclose(file);
}

/* Reads the word list; returns the original spellings (for hunspell) in order. */
static GPtrArray *read_wordlist(struct builder *b, const char *path)
{
    FILE *file = fopen(path, "r");
    if (file == NULL) {
        perror(path);
        exit(1);
    }
    GPtrArray *originals = g_ptr_array_new_with_free_func(g_free);
    char *line = NULL;
    size_t size = 0;
    while (getline(&line, &size, file) >= 0) {
        line[strcspn(line, "\r\n")] = '\0';
        if (line[0] == '\0' || strchr(line, ' '))
            continue; /* "a capella" and other multi-word entries never match one token */
        char *form = normalize(line);
        struct word *w = intern(b, form);
        free(form);
        w->flags |= VIND_LEX_LIST;
        /* Proper only when the list never writes it in lower case: "Markt" (a
         * street) must not hide "markt". */
        w->flags |= g_unichar_isupper(g_utf8_get_char(line)) ? CAPITAL_SEEN : LOWER_SEEN;
        g_ptr_array_add(originals, g_strdup(line));
    }
    free(line);
    fclose(file);
    GHashTableIter iter;
    gpointer key, value;
    g_hash_table_iter_init(&iter, b->words);
    while (g_hash_table_iter_next(&iter, &key, &value)) {
        struct word *w = value;
        if ((w->flags & CAPITAL_SEEN) && !(w->flags & LOWER_SEEN))
            w->flags |= VIND_LEX_PROPER;
        if (w->flags & CAPITAL_SEEN)
            w->flags |= CAPITALISED;
        w->flags &= ~(CAPITAL_SEEN | LOWER_SEEN);
    }
    return originals;
}

/* Whether the first length bytes of form can start a compound: a word of
 * nl.dic or of the list of 3+ letters, no inflected verb form ("kinder" of
 * "kinderboek", "discriminatie"), a part before a hyphen ("tv-"), or such a
 * word with a linker ("volks", "bloemen", "hoogte"). */
static int is_modifier_word(struct builder *b, const char *form, size_t length)
{
    if (length >= 2 && form[length - 1] == '-')
        return 1;
    static const char *const linkers[] = {"", "s", "en", "e", NULL};
    for (int k = 0; linkers[k]; k++) {
        size_t l = strlen(linkers[k]);
        if (length < l + 3 || strncmp(form + length - l, linkers[k], l) != 0)
            continue;
        char part[72];
        snprintf(part, sizeof part, "%.*s", (int)(length - l), form);
        struct word *w = find(b, part);
        /* an inflected verb form is no modifier ("dauwtrapper" is no "dauwt"
         * + "rapper"), a verb stem is ("spreekbuis", "woelmuis") */
        if (w && (w->flags & (VIND_LEX_LIST | VIND_LEX_ROOT)) &&
            !(w->lemma && w->reading <= READ_VERB && !is_verb_stem(w)))
            return 1;
    }
    return 0;
}

/* A participle whose ge- its lemma lacks: "gezocht" -> "zoeken" (not "gebruikt"). */
static int is_ge_participle_head(const struct word *head)
{
    return strncmp(head->form, "ge", 2) == 0 && strncmp(head->lemma, "ge", 2) != 0 &&
           head->reading <= READ_VERB;
}

/*
 * Second pass, for compounds the rules above did not reach because nl.dic
 * lists them as their own roots: the lemma of the head carries over when
 * the word list has the compound with it ("zorgkantoren" = "zorg" +
 * "kantoren" -> "zorgkantoor", "zorgenkinderen" -> "zorgenkind"). The
 * longest head with a lemma wins; the first part keeps at least 2 letters.
 */
static const char *compound_head_lemma(struct builder *b, const struct word *w)
{
    size_t n = strlen(w->form);
    if (n < 6 || n > 60)
        return NULL;
    for (size_t i = 2; i + 3 <= n; i++) {
        struct word *head = find(b, w->form + i);
        if (head == NULL || head->lemma == NULL || (head->flags & VIND_LEX_PROPER))
            continue;
        /* Only heads that shrink to their lemma ("kantoren" -> "kantoor"): a verb
         * stem grows ("leem" -> "lemen" would make "probleem" "problemen"). */
        if (strlen(head->lemma) > strlen(head->form))
            continue;
        /* A comparative head, or a diminutive or adjective head of a word
         * nl.dic lists with flags of its own, needs a word before it:
         * "schipper" is no "sc" + "hipper" (hip), "strijker" no "st" +
         * "rijker", "kapotje" (a condom) no "ka" + "potje". Plural and verb
         * heads may follow any start, as their regular ending gives the same
         * word wherever the split is ("galonneerde" -> "galonneren",
         * "barkrukken" -> "barkruk"; measured: ~45 plurals right to 6 wrong). */
        int own_entry = w->dic_flags != NULL && w->dic_flags[0] != '\0';
        int plural = head->reading == READ_NOUN;
        if ((head->reading == READ_DEGREE || (head->reading > READ_VERB && !plural && own_entry)) &&
            !is_modifier_word(b, w->form, i))
            continue;
        /* A plural that writes its singular's first vowel once ("uren" of
         * "uur", "aken" of "aak") is no head here: after a start it is
         * mostly a chance tail ("afmaken" is no "afm" + "aken", "verleden"
         * no "verl" + "eden"). */
        if (shares_open_syllable(head->form, head->lemma))
            continue;
        /* Whatever the start, a noun nl.dic lists is no comparative
         * ("versteviger" is no "ver" + "steviger"), and an adjective of its
         * own no plural ("engels" is no "eng" + "els"), as for whole words. */
        if ((head->reading == READ_DEGREE && is_noun(w)) ||
            (head->reading == READ_NOUN && has_flag_class(w, 'A') && !is_noun(w)))
            continue;
        /* A participle head with ge- makes a verb of the start only when the
         * start is a separable particle ("opgezocht" -> "opzoeken"): after any
         * other start the joined verb is inseparable and takes no ge-, so this
         * is no form of it ("vergezocht", far-fetched, is no "verzoeken"). */
        if (is_ge_participle_head(head) && is_never_separable_prefix(w->form, i))
            continue;
        char joined[128];
        snprintf(joined, sizeof joined, "%.*s%s", (int)i, w->form, head->lemma);
        struct word *whole = find(b, joined);
        /* After a start that is no word or particle, an adjective's -e form
         * makes no form of a noun that nl.dic lists with no adjective flags:
         * "sprake" ("ter sprake", mention) is no "sp" + "rake" of "spraak"
         * (speech), "genette" no "ge" + "nette" of "genet"; "ingezette" stays
         * "ingezet". */
        if (whole && head->reading == READ_ADJECTIVE && !has_flag_class(whole, 'A') &&
            (is_noun(whole) || is_compound_noun(whole)) && !is_modifier_word(b, w->form, i) &&
            !is_particle(w->form, i))
            continue;
        if (whole && whole != w && (whole->flags & VIND_LEX_LIST)) {
            if (b->dump)
                printf("split\t%s\t%.*s\t%s\n", w->form, (int)i, w->form, head->form);
            return whole->form;
        }
    }
    return NULL;
}

/* Gives each word of found (pairs: word, lemma, gathered in a scan and
 * applied after it, so that a result never feeds another) its lemma; a
 * reading < 0 keeps the word's own. Frees found; returns the pairs. */
static size_t apply_found(struct builder *b, GPtrArray *found, int reading, const char *why)
{
    for (guint i = 0; i < found->len; i += 2) {
        struct word *w = found->pdata[i];
        set_lemma(b, w, found->pdata[i + 1], reading < 0 ? w->reading : reading, why);
    }
    size_t count = found->len / 2;
    g_ptr_array_free(found, TRUE);
    return count;
}

static size_t lemmatise_compounds(struct builder *b)
{
    GPtrArray *found = g_ptr_array_new();
    GHashTableIter iter;
    gpointer key, value;
    g_hash_table_iter_init(&iter, b->words);
    while (g_hash_table_iter_next(&iter, &key, &value)) {
        struct word *w = value;
        if (w->lemma || !(w->flags & VIND_LEX_LIST) || (w->flags & VIND_LEX_PROPER) ||
            is_infinitive(w))
            continue;
        const char *lemma = compound_head_lemma(b, w);
        if (lemma) { /* applied after the scan, so that a result never feeds another */
            g_ptr_array_add(found, w);
            g_ptr_array_add(found, (gpointer)lemma);
        }
    }
    return apply_found(b, found, -1, "compound");
}

/*
 * Verb stems nl.dic lists without verb flags ("overtuig/CaCb", as in "hoe
 * overtuig ik"): a flagless word-list form of 4+ letters, no noun,
 * adjective or name, whose form + t has the lemma form + (consonant) + en
 * ("overtuigt" -> "overtuigen", "afklapt" -> "afklappen"), takes that
 * lemma; "verve" is no stem of "vervetten".
 */
static size_t link_flagless_stems(struct builder *b)
{
    GPtrArray *found = g_ptr_array_new();
    GHashTableIter iter;
    gpointer key, value;
    g_hash_table_iter_init(&iter, b->words);
    while (g_hash_table_iter_next(&iter, &key, &value)) {
        struct word *w = value;
        size_t n = strlen(w->form);
        if (w->lemma || !(w->flags & VIND_LEX_LIST) || (w->flags & VIND_LEX_PROPER) || n < 4 ||
            n > 60 || is_noun_or_adjective(w) || is_compound_noun(w) || is_verb_stem(w) ||
            is_infinitive(w))
            continue;
        char third[72];
        snprintf(third, sizeof third, "%st", w->form);
        struct word *t = find(b, third);
        /* the lemma is the form + en, or + its last consonant doubled + en */
        const char *rest = t && t->lemma && strncmp(t->lemma, w->form, n) == 0 ? t->lemma + n : "";
        int infinitive_of_it =
            strcmp(rest, "en") == 0 || (rest[0] == w->form[n - 1] && strcmp(rest + 1, "en") == 0);
        /* "afwerken" -> "afwerk" (its noun plural) already: no cycle back */
        struct word *infinitive = infinitive_of_it ? find(b, t->lemma) : NULL;
        int cycle = infinitive && infinitive->lemma && strcmp(infinitive->lemma, w->form) == 0;
        if (t && t->reading <= READ_VERB && infinitive_of_it && !cycle) {
            g_ptr_array_add(found, w);
            g_ptr_array_add(found, (gpointer)t->lemma);
        }
    }
    return apply_found(b, found, READ_VERB, "flagless-stem");
}

/*
 * Whether a verb form goes on from its infinitive to the noun that the
 * infinitive is the plural of (the chains below): only when the noun is the
 * verb's own stem, and is the same word. "gebruikt" -> "gebruiken" ->
 * "gebruik", "werkt" -> "werk", "zorgt" -> "zorg": the noun names the
 * verb's act. But
 *  - a noun that is no stem of the verb is another word: "typte" -> "typen"
 *    (stem "typ") is no "type", "geladen" -> "laden" (stem "laad") no "lade"
 *    (drawer): the noun's infinitive by spelling (infinitives_of) must be
 *    this one, and a noun in unstressed -e is no stem;
 *  - a noun and a verb FreeDict's nld-eng glosses with no English word in
 *    common are two words: "boek" (book) / "boeken" (enter, record,
 *    register), "scherm" (screen) / "schermen" (fence), "kies" (molar,
 *    dainty) / "kiezen" (choose); a gloss with an ending counts as the same
 *    ("difference" / "differ"). Where FreeDict lacks either, the chain goes
 *    on as before.
 * The infinitive itself keeps the noun (a plural reading beats a verb's) and
 * is flagged VIND_LEX_VERB_TOO: the analyzer adds the infinitive as an
 * extra term, so "kiezen" and "gekozen" still meet.
 */
static int verb_joins_noun(struct builder *b, const char *infinitive, const struct word *noun,
                           const char **why)
{
    const char *found[MAX_INFINITIVES];
    size_t n = strlen(noun->form);
    /* A Dutch verb stem ends in no unstressed -e ("typ", "laad"), unless
     * nl.dic lists it as one ("update"); spelling alone would make "type"
     * the stem of "typen" as "doe" is of "doen". */
    int schwa = n > 1 && noun->form[n - 1] == 'e' && !is_vowel(noun->form[n - 2]);
    int count = !schwa || is_verb_stem(noun) ? infinitives_of(b, noun->form, found) : 0;
    int stem = 0;
    for (int i = 0; i < count && !stem; i++)
        stem = strcmp(found[i], infinitive) == 0;
    if (!stem) {
        *why = "cut-stem";
        return 0;
    }
    if (share_gloss(b, noun->form, infinitive) == 0) {
        *why = "cut-gloss";
        return 0;
    }
    *why = "kept";
    return 1;
}

/* Whether w, a verb form whose lemma is the infinitive next, stops there
 * (verb_joins_noun); --dump prints each decision. */
static int verb_stops_at_infinitive(struct builder *b, const struct word *w, struct word *next)
{
    if (w->reading > READ_VERB || next->reading != READ_NOUN || !is_infinitive(next))
        return 0;
    struct word *noun = find(b, next->lemma);
    if (noun == NULL)
        return 0;
    const char *why = NULL;
    int joins = verb_joins_noun(b, next->form, noun, &why);
    if (b->dump)
        printf("cross\t%s\t%s\t%s\t%s\n", w->form, next->form, noun->form, why);
    if (!joins)
        next->flags |= VIND_LEX_VERB_TOO; /* the infinitive still finds its verb's forms */
    return !joins;
}

/* Follows lemma chains so that every lemma is final: "gemaakte" -> "gemaakt"
 * -> "maken" becomes "gemaakte" -> "maken". Depth-limited against cycles. */
static void resolve_chains(struct builder *b)
{
    GHashTableIter iter;
    gpointer key, value;
    g_hash_table_iter_init(&iter, b->words);
    while (g_hash_table_iter_next(&iter, &key, &value)) {
        struct word *w = value;
        for (int depth = 0; w->lemma && depth < 4; depth++) {
            struct word *next = find(b, w->lemma);
            if (next == NULL || next->lemma == NULL || next->lemma == w->form ||
                strcmp(next->lemma, w->form) == 0)
                break;
            /* A plural or diminutive ends at its noun: "gegevens" (data) is
             * the plural of the noun "gegeven", which is also the participle
             * of "geven"; the data are no form of giving. */
            if (w->reading >= READ_DIMINUTIVE && is_real_noun(next) &&
                is_infinitive(find(b, next->lemma)))
                break;
            if (verb_stops_at_infinitive(b, w, next))
                break;
            w->lemma = next->lemma;
        }
    }
}

/* --dump: "final", form, final lemma, the rule that gave the first lemma,
 * and the form's nl.dic flags ("-" when nl.dic has no entry of it). */
static void dump_final(struct builder *b)
{
    GHashTableIter iter;
    gpointer key, value;
    g_hash_table_iter_init(&iter, b->words);
    while (g_hash_table_iter_next(&iter, &key, &value)) {
        const struct word *w = value;
        if (w->lemma && (w->flags & VIND_LEX_LIST))
            printf("final\t%s\t%s\t%s\t%s\n", w->form, w->lemma, w->rule ? w->rule : "?",
                   w->dic_flags ? w->dic_flags : "-");
    }
}

/* Whether the len bytes at s are a Dutch word or root of at least 3 bytes:
 * something the splitter could take as a part. */
static int dutch_piece(struct builder *b, const char *s, size_t len)
{
    if (len < 3 || len > 60)
        return 0;
    char piece[64];
    snprintf(piece, sizeof piece, "%.*s", (int)len, s);
    const struct word *w = find(b, piece);
    return w != NULL && (w->flags & (VIND_LEX_LIST | VIND_LEX_ROOT));
}

/* Whether Dutch words spell form as a compound: a piece before and one after
 * some place, a linker of up to two bytes allowed between ("varia" + "bles"). */
static int dutch_spelt(struct builder *b, const char *form)
{
    size_t n = strlen(form);
    for (size_t i = 3; i + 3 <= n; i++)
        for (size_t j = i; j <= i + 2 && j + 3 <= n; j++)
            if (dutch_piece(b, form, i) && dutch_piece(b, form + j, n - j))
                return 1;
    return 0;
}

/* Shortest English word taken as a piece of an English compound: as
 * MIN_GUESS_PART_BYTES of lib/compound.c, since 3 letters spell chance
 * pieces ("dis" + "covering"). */
#define MIN_ENGLISH_PIECE 4u

/* Whether two English words of MIN_ENGLISH_PIECE or more spell form
 * ("logo" + "types", "gene" + "rally"): then a split may be an English one. */
static int english_spelt(GHashTable *english, const char *form)
{
    size_t n = strlen(form);
    char piece[128];
    for (size_t i = MIN_ENGLISH_PIECE; i + MIN_ENGLISH_PIECE <= n && i < sizeof piece; i++) {
        snprintf(piece, sizeof piece, "%.*s", (int)i, form);
        if (g_hash_table_contains(english, piece) && g_hash_table_contains(english, form + i))
            return 1;
    }
    return 0;
}

/*
 * Reads Debian's English word list (wamerican) and flags VIND_LEX_ENGLISH
 * each lower-case word of it that the Dutch word list lacks, that Dutch words
 * could spell as a compound and that no two English words spell: the Dutch
 * rules read "variables" as "varia" + "bles", "tampering" as "tampen" +
 * "ring" and "discovering" as "disco" + "vering", chance splits whose parts
 * the analyzer drops (docs/morphology.md, "The fifth sample"). An English
 * compound ("logo" + "types") keeps its split. nl.dic lists a few such words
 * as forbidden ones ("discovering/Fw"), which gives them a root entry
 * already. Possessives ("'s") and words with capitals are left out. Returns
 * the number of words flagged.
 */
/*
 * Flags VIND_LEX_COGNATE each English word (of english, the lower-case
 * wamerican words) that the Dutch list lacks and that glosses a Dutch word
 * of the list which is the English word less one or two final letters, what
 * Snowball's Dutch stemmer takes off (-e, -s, a doubled consonant): "proces"
 * (process), "rol" (role), "succes" (success), "congres" (congress). Not
 * "note" (of "noot", "noteren"), nor "less" ("les" is lesson). Returns the
 * number flagged.
 */
static size_t flag_cognates(struct builder *b, GHashTable *english)
{
    size_t flagged = 0;
    GHashTableIter iter;
    gpointer key, value;
    g_hash_table_iter_init(&iter, b->glosses);
    while (g_hash_table_iter_next(&iter, &key, &value)) {
        const char *dutch = key;
        const struct word *known = find(b, dutch);
        if (!known || !(known->flags & VIND_LEX_LIST))
            continue;
        gchar **glosses = g_strsplit(value, " ", -1);
        for (gchar **g = glosses; *g; g++) {
            size_t n = strlen(*g), d = strlen(dutch);
            const struct word *listed = find(b, *g);
            if (n <= d || n > d + 2 || !g_hash_table_contains(english, *g) ||
                (listed && (listed->flags & VIND_LEX_LIST)) || strncmp(*g, dutch, d) != 0)
                continue;
            struct word *w = intern(b, *g);
            if (!(w->flags & VIND_LEX_COGNATE))
                flagged++;
            w->flags |= VIND_LEX_COGNATE;
        }
        g_strfreev(glosses);
    }
    return flagged;
}

static size_t read_english(struct builder *b, const char *path, size_t *cognates)
{
    FILE *file = fopen(path, "r");
    if (file == NULL) {
        perror(path);
        exit(1);
    }
    GHashTable *english = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    char *line = NULL;
    size_t size = 0, added = 0;
    while (getline(&line, &size, file) >= 0) {
        line[strcspn(line, "\r\n")] = '\0';
        int lower = line[0] != '\0';
        for (size_t k = 0; lower && line[k]; k++)
            lower = line[k] >= 'a' && line[k] <= 'z';
        if (lower)
            g_hash_table_add(english, g_strdup(line));
    }
    free(line);
    fclose(file);
    GHashTableIter iter;
    gpointer key;
    g_hash_table_iter_init(&iter, english);
    while (g_hash_table_iter_next(&iter, &key, NULL)) {
        const char *form = key;
        const struct word *known = find(b, form);
        if (strlen(form) < 6 || (known && (known->flags & VIND_LEX_LIST)) || /* 6: as the splitter */
            !dutch_spelt(b, form) || english_spelt(english, form))
            continue;
        intern(b, form)->flags |= VIND_LEX_ENGLISH; /* an nl.dic root too: "discovering/Fw" */
        added++;
    }
    *cognates = flag_cognates(b, english);
    g_hash_table_destroy(english);
    return added;
}

static gint compare_forms(gconstpointer a, gconstpointer b)
{
    const struct word *x = *(struct word *const *)a, *y = *(struct word *const *)b;
    return strcmp(x->form, y->form);
}

/* The fence section (lib/lexicon_format.h) of the sorted words, to follow a
 * string pool of pool_bytes: padding, offsets, then the fences' forms. */
static GString *fence_section(GPtrArray *sorted, size_t pool_bytes, uint32_t *count)
{
    GString *section = g_string_new(NULL);
    while ((pool_bytes + section->len) % 4 != 0)
        g_string_append_c(section, '\0');
    *count = (sorted->len + VIND_LEX_FENCE_STEP - 1) / VIND_LEX_FENCE_STEP;
    GString *forms = g_string_new(NULL);
    for (guint i = 0; i < sorted->len; i += VIND_LEX_FENCE_STEP) {
        uint32_t offset = (uint32_t)forms->len;
        g_string_append_len(section, (const char *)&offset, sizeof offset);
        const struct word *w = sorted->pdata[i];
        g_string_append_len(forms, w->form, (gssize)strlen(w->form) + 1);
    }
    g_string_append_len(section, forms->str, (gssize)forms->len);
    g_string_free(forms, TRUE);
    return section;
}

/* Writes the sorted table (lib/lexicon_format.h) to path via a temporary file. */
static void write_lexicon(struct builder *b, const char *path)
{
    GPtrArray *all = g_ptr_array_new();
    GHashTableIter iter;
    gpointer key, value;
    g_hash_table_iter_init(&iter, b->words);
    while (g_hash_table_iter_next(&iter, &key, &value))
        g_ptr_array_add(all, value);
    g_ptr_array_sort(all, compare_forms);

    GHashTable *offsets = g_hash_table_new(g_str_hash, g_str_equal);
    GString *pool = g_string_new(NULL);
    for (guint i = 0; i < all->len; i++) {
        struct word *w = all->pdata[i];
        g_hash_table_insert(offsets, w->form, GUINT_TO_POINTER(pool->len));
        g_string_append_len(pool, w->form, (gssize)strlen(w->form) + 1);
    }
    struct vind_lex_entry *entries = g_new0(struct vind_lex_entry, all->len);
    for (guint i = 0; i < all->len; i++) {
        struct word *w = all->pdata[i];
        entries[i].form = GPOINTER_TO_UINT(g_hash_table_lookup(offsets, w->form));
        entries[i].lemma =
            w->lemma ? GPOINTER_TO_UINT(g_hash_table_lookup(offsets, w->lemma)) : VIND_LEX_NO_LEMMA;
        entries[i].flags = w->flags & ~BUILDER_FLAGS;
        if (w->lemma && (w->reading == READ_ADJECTIVE || w->reading == READ_DEGREE))
            entries[i].flags |= VIND_LEX_ADJECTIVE_FORM;
        if ((w->flags & CE_START) && !(w->flags & FLAGGED_START))
            entries[i].flags |= VIND_LEX_WEAK_START;
    }
    uint32_t checksum = vind_lex_fnv1a(VIND_LEX_FNV_SEED, entries, all->len * sizeof *entries);
    struct vind_lex_header header = {.version = VIND_LEX_VERSION,
                                     .byte_order = VIND_LEX_BYTE_ORDER,
                                     .entry_count = all->len,
                                     .string_bytes = (uint32_t)pool->len,
                                     .checksum = vind_lex_fnv1a(checksum, pool->str, pool->len)};
    memcpy(header.magic, VIND_LEX_MAGIC, sizeof header.magic);
    GString *fences = fence_section(all, pool->len, &header.fence_count);
    char *tmp = g_strconcat(path, ".tmp", NULL);
    FILE *out = fopen(tmp, "wb");
    if (out == NULL || fwrite(&header, sizeof header, 1, out) != 1 ||
        fwrite(entries, sizeof *entries, all->len, out) != all->len ||
        fwrite(pool->str, 1, pool->len, out) != pool->len ||
        fwrite(fences->str, 1, fences->len, out) != fences->len || fclose(out) != 0 ||
        rename(tmp, path) != 0) {
        perror(tmp);
        exit(1);
    }
    fprintf(stderr, "mklexicon: %u entries, %zu string bytes -> %s\n", all->len, pool->len, path);
    g_free(tmp);
    g_free(entries);
    g_string_free(fences, TRUE);
    g_string_free(pool, TRUE);
    g_hash_table_destroy(offsets);
    g_ptr_array_free(all, TRUE);
}

static void free_word(gpointer data)
{
    struct word *w = data;
    g_free(w->dic_flags);
    g_free(w);
}

int main(int argc, char **argv)
{
    if (argc < 9) {
        fprintf(stderr, "usage: mklexicon WORDLIST AFF DIC STRONG-VERBS IRREGULAR-FORMS GLOSSES "
                        "ENGLISH-WORDS OUT.lex [--dump]\n");
        return 2;
    }
    struct builder b = {0};
    b.dump = argc > 9 && strcmp(argv[9], "--dump") == 0;
    b.glosses = g_hash_table_new_full(g_str_hash, g_str_equal, free, g_free);
    b.words = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, free_word);
    b.strings = g_string_chunk_new(1 << 20);
    b.hunspell = Hunspell_create(argv[2], argv[3]);
    if (b.hunspell == NULL) {
        fprintf(stderr, "mklexicon: cannot load %s / %s\n", argv[2], argv[3]);
        return 1;
    }
    read_dic(&b, argv[3]);
    read_data(&b, argv[6], gloss_line); /* before the rules: degrees and chains ask it */
    GPtrArray *originals = read_wordlist(&b, argv[1]);
    size_t lemmas = 0;
    for (guint i = 0; i < originals->len; i++) {
        const char *original = originals->pdata[i];
        char *form = normalize(original);
        struct word *w = find(&b, form);
        free(form);
        if (w->lemma != NULL)
            continue; /* "Één" and "één" fold to one entry: the first spelling decides */
        choose_lemma(&b, w, original);
        if (w->lemma) {
            lemmas++;
            if (b.dump)
                printf("%s\t%s\n", w->form, w->lemma);
        }
    }
    /* The data files come after the rules and before compounds take over
     * their heads' lemmas: "leden" -> "lid", then "ledenlijst" follows. */
    read_data(&b, argv[5], irregular_form);
    read_data(&b, argv[4], strong_verb);
    size_t compounds = lemmatise_compounds(&b);
    link_flagless_stems(&b); /* after compounds: "afwerken" -> "afwerk" is known then */
    resolve_chains(&b);
    if (b.dump)
        dump_final(&b);
    size_t cognates = 0;
    size_t english = read_english(&b, argv[7], &cognates); /* after the rules: never seen */
    fprintf(stderr,
            "mklexicon: %u word-list forms, %zu with a lemma, %zu more through their head; "
            "%zu English words without Dutch parts, %zu cognates of Dutch words\n",
            originals->len, lemmas, compounds, english, cognates);
    write_lexicon(&b, argv[8]);
    g_ptr_array_free(originals, TRUE);
    Hunspell_destroy(b.hunspell);
    g_hash_table_destroy(b.words);
    g_hash_table_destroy(b.glosses);
    g_string_chunk_free(b.strings);
    return 0;
}
