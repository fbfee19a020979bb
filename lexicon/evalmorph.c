/*
 * evalmorph.c - `make eval-morph`: how often two inflected forms of one
 * Dutch word get the same index term, Snowball alone versus vind's analyzer
 * (Snowball of the lexicon's lemma, vind_analyze_word), and how often two
 * different words are wrongly merged. Prints one table.
 *
 *   evalmorph WORDLIST AFF DIC [CORPUS_TEXT...]
 *
 * Gold pairs (docs/morphology.md says what is independent of nl.lex):
 *  - noun plurals, diminutives, adjective forms, finite verb forms: from
 *    hunspell's own analysis of every word-list form ("kantoren" st:kantoor
 *    ts:NN2). The same data nl.lex starts from, so these rows test the whole
 *    pipeline and show Snowball's gap; they cannot fail vind's rules alone.
 *  - infinitive ~ finite ("maken" ~ "maakt") and participle ~ past
 *    ("gemaakt" ~ "maakte"): generated here from nl.dic's verb flags (V3, Vq,
 *    Vp, Vi) by the textbook paradigm, written separately from mklexicon's
 *    rules and only kept when the word list has both forms.
 *  - wrong merges: pairs of distinct nl.dic noun/adjective roots (no verb,
 *    no name, neither an inflection of the other) that get the same term.
 *  - with CORPUS_TEXT files: the share of corpus tokens that are known
 *    inflected forms, and of ge-...-t/d tokens that get a lemma (held out:
 *    real usage the rules were not tuned on).
 *
 *   evalmorph --terms < WORDS
 *
 * prints, for each input line (one word), the terms lexicon/evalindep.py
 * judges against hand-made data: word, Snowball alone (of the normalised
 * word), vind's term, vind's lemma, vind's further terms (compound parts,
 * space-separated) and 1 when it is a stop word, tab-separated.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <hunspell.h>
#include <libstemmer.h>

#include <vind/analyze.h>
#include "lexicon.h"
#include "dic_flags.h"

enum pair_class {
    NOUN_PLURAL,
    DIMINUTIVE,
    ADJECTIVE,
    VERB_FINITE,
    VERB_INFINITIVE,
    VERB_PARTICIPLE,
    CLASS_COUNT
};

static const char *const class_names[CLASS_COUNT] = {
    "noun plural (hunspell)", "diminutive (hunspell)",     "adjective (hunspell)",
    "verb finite (hunspell)", "infinitive~finite (flags)", "participle~past (flags)",
};

struct evaluator {
    struct sb_stemmer *snowball;
    vind_analyzer_t *analyzer;
    GHashTable *words;     /* normalised word-list forms (set) */
    GHashTable *dic_flags; /* normalised nl.dic root -> "V3Vp/ViPb" */
    GHashTable *seen;      /* "a|b" pairs already counted */
    long pairs[CLASS_COUNT], snowball_same[CLASS_COUNT], vind_same[CLASS_COUNT];
    GPtrArray *misses[CLASS_COUNT];
};

static char *normalize(const char *text)
{
    char *n = vind_normalize(text, strlen(text));
    if (n == NULL)
        abort();
    return n;
}

static char *snowball_term(struct evaluator *e, const char *form)
{
    const sb_symbol *s = sb_stemmer_stem(e->snowball, (const sb_symbol *)form, (int)strlen(form));
    return g_strndup((const char *)s, (gsize)sb_stemmer_length(e->snowball));
}

static char *vind_term(struct evaluator *e, const char *form)
{
    char *t = vind_analyze_word(e->analyzer, form, VIND_LANG_NL);
    char *copy = g_strdup(t ? t : "");
    free(t);
    return copy;
}

static int in_list(struct evaluator *e, const char *form)
{
    return g_hash_table_contains(e->words, form);
}

static void add_pair(struct evaluator *e, enum pair_class c, const char *a, const char *b)
{
    /* Hyphenated words are several tokens, and vind_analyze_word answers
     * for the first ("niet-erkend" -> "niet"): not one word's term. */
    if (strcmp(a, b) == 0 || !in_list(e, a) || !in_list(e, b) || strchr(a, '-') || strchr(b, '-'))
        return;
    char *key = g_strdup_printf("%d|%s|%s", c, a, b);
    if (g_hash_table_contains(e->seen, key)) {
        g_free(key);
        return;
    }
    g_hash_table_add(e->seen, key);
    char *sa = snowball_term(e, a), *sb = snowball_term(e, b);
    char *va = vind_term(e, a), *vb = vind_term(e, b);
    e->pairs[c]++;
    e->snowball_same[c] += strcmp(sa, sb) == 0;
    if (strcmp(va, vb) == 0)
        e->vind_same[c]++;
    else if (e->misses[c]->len < 12)
        g_ptr_array_add(e->misses[c], g_strdup_printf("%s/%s (%s, %s)", a, b, va, vb));
    g_free(sa), g_free(sb), g_free(va), g_free(vb);
}

static enum pair_class class_of_tag(const char *tag)
{
    if (strcmp(tag, "NN2") == 0)
        return NOUN_PLURAL;
    if (strcmp(tag, "NN1r") == 0 || strcmp(tag, "NN2r") == 0)
        return DIMINUTIVE;
    if (strncmp(tag, "AJ", 2) == 0)
        return ADJECTIVE;
    if (strcmp(tag, "VB3") == 0 || strcmp(tag, "VBh") == 0 || strcmp(tag, "VBh1") == 0)
        return VERB_FINITE;
    return CLASS_COUNT;
}

/* Gold pairs from hunspell's analysis of one word-list form. */
static void pairs_from_analysis(struct evaluator *e, Hunhandle *h, const char *original)
{
    char **analyses = NULL;
    int n = Hunspell_analyze(h, &analyses, original);
    char *form = normalize(original);
    for (int i = 0; i < n; i++) {
        const char *a = analyses[i];
        if (strstr(a, "pa:") || strstr(a, "fl:") || a[0] != ' ')
            continue; /* compounds, prefixes, compound-linking forms */
        const char *st = strstr(a, "st:"), *ts = strstr(a, "ts:");
        if (st == NULL || ts == NULL)
            continue;
        char stem_raw[128], tag[16];
        if (sscanf(st + 3, "%127s", stem_raw) != 1 || sscanf(ts + 3, "%15s", tag) != 1)
            continue;
        enum pair_class c = class_of_tag(tag);
        if (c == CLASS_COUNT)
            continue;
        char *stem = normalize(stem_raw);
        /* Only suffixing: "kantoren"/"kantoor", not a compound's first part. */
        size_t common = 0;
        while (stem[common] && stem[common] == form[common])
            common++;
        if (common >= 2 && common + 3 >= strlen(stem) && strlen(form) <= strlen(stem) + 6)
            add_pair(e, c, stem, form);
        free(stem);
    }
    if (n > 0)
        Hunspell_free_list(h, &analyses, n);
    free(form);
}

static const char *flags_of(struct evaluator *e, const char *word)
{
    return g_hash_table_lookup(e->dic_flags, word);
}

static int is_vowel(char c)
{
    return strchr("aeiouy", c) != NULL && c != '\0';
}

/*
 * The textbook paradigm of a weak verb from its infinitive, written apart
 * from mklexicon's rules (this goes infinitive -> stem, they go stem ->
 * infinitive): "maken" -> "maak", "zetten" -> "zet", "leven" -> "leef",
 * "reizen" -> "reis", "werken" -> "werk". Writes the stem to out.
 */
static int stem_of_infinitive(struct evaluator *e, const char *infinitive, char *out, size_t size)
{
    size_t n = strlen(infinitive);
    if (n < 5 || strcmp(infinitive + n - 2, "en") != 0)
        return 0;
    char base[96];
    snprintf(base, sizeof base, "%.*s", (int)(n - 2), infinitive);
    size_t m = n - 2;
    char last = base[m - 1];
    char devoiced = last == 'v' ? 'f' : last == 'z' ? 's' : last;
    char candidates[3][100];
    int count = 0;
    if (m >= 2 && base[m - 1] == base[m - 2] && !is_vowel(last)) /* zetten -> zet */
        snprintf(candidates[count++], 100, "%.*s", (int)(m - 1), base);
    if (m >= 3 && !is_vowel(last) && is_vowel(base[m - 2]) && !is_vowel(base[m - 3]) &&
        base[m - 2] != 'i') /* maken -> maak, leven -> leef */
        snprintf(candidates[count++], 100, "%.*s%c%c", (int)(m - 1), base, base[m - 2], devoiced);
    snprintf(candidates[count++], 100, "%.*s%c", (int)(m - 1), base, devoiced); /* reizen -> reis */
    for (int i = 0; i < count; i++) {
        const char *f = flags_of(e, candidates[i]);
        if (dic_flags_have(f, "V3") || dic_flags_have(f, "Vq") || dic_flags_have(f, "Vp")) {
            g_strlcpy(out, candidates[i], size);
            return 1;
        }
    }
    return 0;
}

static int inseparable(const char *stem)
{
    static const char *const prefixes[] = {"be", "ver", "ont", "her", "er", "ge", NULL};
    for (int i = 0; prefixes[i]; i++)
        if (strncmp(stem, prefixes[i], strlen(prefixes[i])) == 0)
            return 1;
    return 0;
}

/* Gold verb pairs from nl.dic's flags: infinitive ~ 3rd person, participle ~ past. */
static void pairs_from_verb_flags(struct evaluator *e)
{
    GHashTableIter iter;
    gpointer key, value;
    g_hash_table_iter_init(&iter, e->dic_flags);
    while (g_hash_table_iter_next(&iter, &key, &value)) {
        const char *infinitive = key;
        if (!dic_flags_have(value, "Vi"))
            continue;
        char stem[100];
        if (!stem_of_infinitive(e, infinitive, stem, sizeof stem))
            continue;
        const char *f = flags_of(e, stem);
        size_t n = strlen(stem);
        char third[110], past[110], participle[120];
        int dental = stem[n - 1] == 't' || stem[n - 1] == 'd';
        snprintf(third, sizeof third, "%s%s", stem, stem[n - 1] == 't' ? "" : "t");
        add_pair(e, VERB_INFINITIVE, infinitive, third);
        int voiceless = dic_flags_have(f, "Vq");
        if (!voiceless && !dic_flags_have(f, "Vp"))
            continue;
        snprintf(past, sizeof past, "%s%s", stem, voiceless ? "te" : "de");
        snprintf(participle, sizeof participle, "%s%s%s", inseparable(stem) ? "" : "ge", stem,
                 dental      ? ""
                 : voiceless ? "t"
                             : "d");
        add_pair(e, VERB_PARTICIPLE, participle, past);
    }
}

/* Distinct noun/adjective roots that get one term: wrong merges. */
static void wrong_merges(struct evaluator *e, Hunhandle *h, long *roots, long *snowball_pairs,
                         long *vind_pairs, GPtrArray *examples)
{
    GHashTable *by_snowball = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    GHashTable *by_vind = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    GHashTableIter iter;
    gpointer key, value;
    g_hash_table_iter_init(&iter, e->dic_flags);
    while (g_hash_table_iter_next(&iter, &key, &value)) {
        const char *root = key, *f = value;
        if (!in_list(e, root) || strlen(root) < 3 || strchr(root, '-') ||
            dic_flags_have_class(f, 'V') || dic_flags_have_class(f, 'P') ||
            !(dic_flags_have_class(f, 'Z') || dic_flags_have_class(f, 'A')))
            continue;
        /* skip roots hunspell reads as an inflection of another word */
        char **analyses = NULL;
        int n = Hunspell_analyze(h, &analyses, root);
        int inflected = 0;
        for (int i = 0; i < n; i++)
            inflected |= strstr(analyses[i], "ts:") != NULL;
        if (n > 0)
            Hunspell_free_list(h, &analyses, n);
        if (inflected)
            continue;
        (*roots)++;
        char *s = snowball_term(e, root), *v = vind_term(e, root);
        long before = GPOINTER_TO_SIZE(g_hash_table_lookup(by_snowball, s));
        *snowball_pairs += before;
        g_hash_table_replace(by_snowball, s, GSIZE_TO_POINTER(before + 1));
        before = GPOINTER_TO_SIZE(g_hash_table_lookup(by_vind, v));
        *vind_pairs += before;
        if (before > 0 && examples->len < 10 && strcmp(s, v) != 0)
            g_ptr_array_add(examples, g_strdup_printf("%s (%s)", root, v));
        g_hash_table_replace(by_vind, v, GSIZE_TO_POINTER(before + 1));
    }
    g_hash_table_destroy(by_snowball);
    g_hash_table_destroy(by_vind);
}

static void read_dic(struct evaluator *e, const char *path)
{
    FILE *file = fopen(path, "r");
    if (!file) {
        perror(path);
        exit(1);
    }
    char *line = NULL;
    size_t size = 0;
    int first = 1;
    while (getline(&line, &size, file) >= 0) {
        line[strcspn(line, "\t\r\n ")] = '\0';
        if (first) {
            first = 0;
            continue;
        }
        char *slash = strchr(line, '/');
        const char *flags = "";
        if (slash)
            *slash = '\0', flags = slash + 1;
        if (!line[0] || g_unichar_isupper(g_utf8_get_char(line)))
            continue;
        char *root = normalize(line);
        const char *old = g_hash_table_lookup(e->dic_flags, root);
        g_hash_table_replace(e->dic_flags, root,
                             old ? g_strconcat(old, "/", flags, NULL) : g_strdup(flags));
    }
    free(line);
    fclose(file);
}

/* Held-out corpus figures: known inflected tokens and participle-shaped tokens with a lemma. */
static void corpus_check(struct evaluator *e, const vind_lexicon_t *lexicon, int count,
                         char **paths)
{
    long tokens = 0, inflected = 0, participles = 0, participles_lemma = 0;
    GHashTable *missed = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    for (int i = 0; i < count; i++) {
        gchar *text = NULL;
        gsize len = 0;
        if (!g_file_get_contents(paths[i], &text, &len, NULL))
            continue;
        char *norm = vind_normalize(text, len);
        g_free(text);
        for (char *p = norm; p && *p;) {
            while (*p && !g_ascii_isalpha(*p))
                p++;
            char *start = p;
            while (g_ascii_isalpha(*p))
                p++;
            size_t n = (size_t)(p - start);
            if (n < 4 || n > 40)
                continue;
            char word[48];
            memcpy(word, start, n);
            word[n] = '\0';
            tokens++;
            const char *lemma = vind_lexicon_lemma(lexicon, word);
            inflected += lemma != NULL;
            if (n >= 6 && strncmp(word, "ge", 2) == 0 &&
                (word[n - 1] == 't' || word[n - 1] == 'd') &&
                vind_lexicon_has_word(lexicon, word)) {
                participles++;
                participles_lemma += lemma != NULL;
                if (!lemma)
                    g_hash_table_add(missed, g_strdup(word));
            }
        }
        free(norm);
    }
    (void)e;
    printf(
        "\nHeld-out corpus (%d texts): %ld word tokens, %.1f%% are inflected forms with a lemma;\n"
        "%ld known ge-...-t/d tokens, %.1f%% get a lemma (the rest are nouns/adjectives like\n"
        "\"gebied\", \"gezond\", or strong verbs). Some without one:",
        count, tokens, tokens ? 100.0 * inflected / tokens : 0.0, participles,
        participles ? 100.0 * participles_lemma / participles : 0.0);
    GHashTableIter iter;
    gpointer key;
    int shown = 0;
    g_hash_table_iter_init(&iter, missed);
    while (shown < 15 && g_hash_table_iter_next(&iter, &key, NULL))
        printf(" %s", (const char *)key), shown++;
    printf("\n");
    g_hash_table_destroy(missed);
}

/* One line per word: the first token's terms (a hyphenated word is judged
 * by its first part, as vind_analyze_word does). */
static void print_terms(struct evaluator *e, const char *word)
{
    char *norm = normalize(word);
    char *snow = snowball_term(e, norm);
    vind_tokens_t *tokens = NULL;
    char *errmsg = NULL;
    printf("%s\t%s", word, snow);
    if (vind_analyze(e->analyzer, word, strlen(word), VIND_LANG_NL, &tokens, &errmsg) == VIND_OK &&
        vind_tokens_count(tokens) > 0) {
        const vind_token_t *t = vind_tokens_get(tokens, 0);
        printf("\t%s\t%s\t", t->stem, t->lemma);
        for (size_t i = 0; t->extra[i]; i++)
            printf("%s%s", i ? " " : "", t->extra[i]);
        printf("\t%d\n", (t->flags & VIND_TOKEN_STOP) != 0);
    } else {
        printf("\t\t\t\t0\n");
    }
    vind_tokens_free(tokens);
    free(errmsg);
    g_free(snow);
    free(norm);
}

static int terms_mode(struct evaluator *e)
{
    char *line = NULL;
    size_t size = 0;
    while (getline(&line, &size, stdin) >= 0) {
        line[strcspn(line, "\r\n")] = '\0';
        if (line[0])
            print_terms(e, line);
    }
    free(line);
    return fflush(stdout) == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
    int terms = argc == 2 && strcmp(argv[1], "--terms") == 0;
    if (argc < 4 && !terms) {
        fprintf(stderr, "usage: evalmorph WORDLIST AFF DIC [CORPUS_TEXT...] | evalmorph --terms < WORDS\n");
        return 2;
    }
    struct evaluator e = {0};
    vind_lexicon_t *lexicon = NULL;
    char *errmsg = NULL;
    if (vind_lexicon_open(NULL, &lexicon, &errmsg) != VIND_OK ||
        vind_analyzer_new(lexicon, &e.analyzer, &errmsg) != VIND_OK) {
        fprintf(stderr, "evalmorph: %s\n", errmsg ? errmsg : "cannot open the lexicon");
        free(errmsg);
        vind_lexicon_close(lexicon);
        return 1;
    }
    e.snowball = sb_stemmer_new("dutch", NULL);
    if (terms) {
        int rc = terms_mode(&e);
        sb_stemmer_delete(e.snowball);
        vind_analyzer_free(e.analyzer);
        vind_lexicon_close(lexicon);
        return rc;
    }
    e.words = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    e.dic_flags = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    e.seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    for (int c = 0; c < CLASS_COUNT; c++)
        e.misses[c] = g_ptr_array_new_with_free_func(g_free);
    Hunhandle *h = Hunspell_create(argv[2], argv[3]);
    read_dic(&e, argv[3]);

    GPtrArray *originals = g_ptr_array_new_with_free_func(g_free);
    FILE *list = fopen(argv[1], "r");
    if (!list) {
        perror(argv[1]);
        return 1;
    }
    char *line = NULL;
    size_t size = 0;
    while (getline(&line, &size, list) >= 0) {
        line[strcspn(line, "\r\n")] = '\0';
        if (!line[0] || strchr(line, ' ') || g_unichar_isupper(g_utf8_get_char(line)))
            continue; /* names are not inflected words */
        g_hash_table_add(e.words, normalize(line));
        g_ptr_array_add(originals, g_strdup(line));
    }
    free(line);
    fclose(list);
    for (guint i = 0; i < originals->len; i++)
        pairs_from_analysis(&e, h, originals->pdata[i]);
    pairs_from_verb_flags(&e);

    printf("vind eval-morph: same-word pairs that get one index term (OpenTaal data)\n\n");
    printf("%-28s %8s %11s %11s\n", "class", "pairs", "Snowball", "vind");
    long all = 0, all_s = 0, all_v = 0;
    for (int c = 0; c < CLASS_COUNT; c++) {
        long p = e.pairs[c];
        all += p, all_s += e.snowball_same[c], all_v += e.vind_same[c];
        printf("%-28s %8ld %10.1f%% %10.1f%%\n", class_names[c], p,
               p ? 100.0 * e.snowball_same[c] / p : 0.0, p ? 100.0 * e.vind_same[c] / p : 0.0);
    }
    printf("%-28s %8ld %10.1f%% %10.1f%%\n", "all", all, all ? 100.0 * all_s / all : 0.0,
           all ? 100.0 * all_v / all : 0.0);

    long roots = 0, snowball_pairs = 0, vind_pairs = 0;
    GPtrArray *examples = g_ptr_array_new_with_free_func(g_free);
    wrong_merges(&e, h, &roots, &snowball_pairs, &vind_pairs, examples);
    printf(
        "\nWrong merges: pairs of distinct noun/adjective roots with one term, among %ld roots\n",
        roots);
    printf("%-28s %8s %11s %11s\n", "", "", "Snowball", "vind");
    printf("%-28s %8s %11ld %11ld\n", "merged root pairs", "", snowball_pairs, vind_pairs);
    printf("%-28s %8s %10.2f%% %10.2f%%\n", "per root", "",
           roots ? 100.0 * snowball_pairs / roots : 0, roots ? 100.0 * vind_pairs / roots : 0);
    printf("vind-only merges, e.g.:");
    for (guint i = 0; i < examples->len; i++)
        printf(" %s", (const char *)examples->pdata[i]);
    printf("\n\nvind misses, e.g. (form/form (term, term)):\n");
    for (int c = 0; c < CLASS_COUNT; c++) {
        printf("  %s:", class_names[c]);
        for (guint i = 0; i < e.misses[c]->len && i < 6; i++)
            printf(" %s", (const char *)e.misses[c]->pdata[i]);
        printf("\n");
    }
    if (argc > 4)
        corpus_check(&e, lexicon, argc - 4, argv + 4);

    g_ptr_array_free(examples, TRUE);
    g_ptr_array_free(originals, TRUE);
    for (int c = 0; c < CLASS_COUNT; c++)
        g_ptr_array_free(e.misses[c], TRUE);
    g_hash_table_destroy(e.words);
    g_hash_table_destroy(e.dic_flags);
    g_hash_table_destroy(e.seen);
    Hunspell_destroy(h);
    sb_stemmer_delete(e.snowball);
    vind_analyzer_free(e.analyzer);
    vind_lexicon_close(lexicon);
    return 0;
}
