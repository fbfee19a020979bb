/* test_lexicon.c - opening the data directory, lemmas of Dutch inflected
 * forms (nouns, verbs, adjectives), the word set and the stop-word lists. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <vind/analyze.h>
#include "lexicon.h"
#include "lexicon_format.h"
#include "lexicon_lookup.h"
#include "check.h"

static void check_lemma(const vind_lexicon_t *lexicon, const char *form, const char *expected)
{
    char what[160];
    snprintf(what, sizeof what, "lemma of %s is %s", form, expected ? expected : "itself");
    CHECK_STR(vind_lexicon_lemma(lexicon, form), expected, what);
}

/* Whether two forms share their final lemma (a form without one is its own):
 * "werkt" and "werken" both end at "werk", since "werken" is also its plural. */
static void check_same_lemma(const vind_lexicon_t *lexicon, const char *a, const char *b)
{
    const char *la = vind_lexicon_lemma(lexicon, a), *lb = vind_lexicon_lemma(lexicon, b);
    char what[160];
    snprintf(what, sizeof what, "%s and %s share a lemma", a, b);
    CHECK_STR(la ? la : a, lb ? lb : b, what);
}

static void test_open_errors(void)
{
    vind_lexicon_t *lexicon = (vind_lexicon_t *)&lexicon; /* must be reset to NULL */
    char *errmsg = NULL;
    vind_status_t status = vind_lexicon_open("/nonexistent/vind-data", &lexicon, &errmsg);
    CHECK_INT(status, VIND_NOT_FOUND, "missing datadir: VIND_NOT_FOUND");
    CHECK(lexicon == NULL, "missing datadir: *out is NULL");
    CHECK(errmsg && strstr(errmsg, "/nonexistent/vind-data/nl.lex"),
          "missing datadir: the message names the path");
    free(errmsg);

    CHECK_INT(vind_lexicon_open(NULL, NULL, NULL), VIND_INVALID_ARGUMENT, "NULL out refused");

    /* A damaged nl.lex is refused, not read. */
    char dir[] = "/tmp/vind-lexicon-XXXXXX";
    if (mkdtemp(dir) == NULL) {
        SKIP("cannot make a temporary directory");
        return;
    }
    char path[256];
    snprintf(path, sizeof path, "%s/nl.lex", dir);
    FILE *file = fopen(path, "w");
    fputs("VINDLEX\nthis is not a lexicon", file);
    fclose(file);
    errmsg = NULL;
    status = vind_lexicon_open(dir, &lexicon, &errmsg);
    CHECK_INT(status, VIND_IO, "damaged nl.lex: VIND_IO");
    CHECK(errmsg && strstr(errmsg, path), "damaged nl.lex: the message names the file");
    free(errmsg);
    unlink(path);
    rmdir(dir);

    /* $VIND_DATADIR is used when datadir is NULL. */
    setenv("VIND_DATADIR", "/nonexistent/from-env", 1);
    errmsg = NULL;
    status = vind_lexicon_open(NULL, &lexicon, &errmsg);
    CHECK_INT(status, VIND_NOT_FOUND, "VIND_DATADIR pointing nowhere: VIND_NOT_FOUND");
    CHECK(errmsg && strstr(errmsg, "/nonexistent/from-env"), "VIND_DATADIR is the one tried");
    free(errmsg);
    unsetenv("VIND_DATADIR");
}

static void test_lemmas(const vind_lexicon_t *lexicon)
{
    /* Noun plurals Snowball misses: -s, -en with spelling changes, -'s, -eren. */
    check_lemma(lexicon, "organisaties", "organisatie");
    check_lemma(lexicon, "verpleeghuizen", "verpleeghuis");
    check_lemma(lexicon, "huizen", "huis");
    check_lemma(lexicon, "kinderen", "kind");
    check_lemma(lexicon, "eieren", "ei");
    check_lemma(lexicon, "auto's", "auto");
    check_lemma(lexicon, "clienten", "client"); /* "cliënten", normalised */
    check_lemma(lexicon, "kantoren", "kantoor");
    check_lemma(lexicon, "bewoners", "bewoner");
    check_lemma(lexicon, "zorgkantoren", "zorgkantoor"); /* through its head */
    /* Diminutives and adjectives. */
    check_lemma(lexicon, "huisje", "huis");
    check_lemma(lexicon, "groter", "groot");
    check_lemma(lexicon, "mooiste", "mooi");
    /* Verbs: participles, present and past, to the infinitive. */
    check_same_lemma(lexicon, "gebruikt", "gebruiken");
    check_same_lemma(lexicon, "gebruikte", "gebruik");
    check_lemma(lexicon, "gemaakt", "maken");
    check_lemma(lexicon, "gemaakte", "maken"); /* chains resolved: not "gemaakt" */
    check_same_lemma(lexicon, "gewerkt", "werken");
    check_same_lemma(lexicon, "werkt", "werken");
    check_same_lemma(lexicon, "werkte", "gewerkt");
    check_lemma(lexicon, "maakte", "maken");
    check_lemma(lexicon, "maakten", "maken");
    check_lemma(lexicon, "beoordeeld", "beoordelen");
    check_lemma(lexicon, "verbeterd", "verbeteren");
    check_lemma(lexicon, "ontwikkeld", "ontwikkelen");
    check_lemma(lexicon, "opgelost", "oplossen");
    check_lemma(lexicon, "gezet", "zetten");
    check_lemma(lexicon, "leefde", "leven");
    /* voicing after a long vowel: reis -> reizen. The verb's forms end there:
     * FreeDict glosses "reizen" (travel) and "reis" (journey, trip) with no
     * word in common, so they no longer go on to the noun (docs/morphology.md,
     * "Verb and noun": a known loss of that rule). */
    check_lemma(lexicon, "reisde", "reizen");
    check_lemma(lexicon, "gelopen", "lopen");
    check_same_lemma(lexicon, "afgewerkt", "afwerken");
    check_same_lemma(lexicon, "voorgesteld", "voorstellen"); /* separable, -d */
    /* Not merged: a noun is no comparative ("rechter", judge), a beard no
     * participle of "baren". */
    check_lemma(lexicon, "rechter", NULL);
    check_lemma(lexicon, "baard", NULL);
    /* Base forms are their own lemma; an adjective is not a participle. */
    check_lemma(lexicon, "organisatie", NULL);
    check_lemma(lexicon, "maken", NULL);
    check_lemma(lexicon, "gezond", NULL); /* not ge-zon-d of "zonnen" */
    /* Nor one with a superlative of its own and no Ve (i13-prec11): "gereed"
     * is not ge-ree-d of "reden", so it meets no "redenen" (reasons). */
    check_lemma(lexicon, "gereed", NULL);
    check_lemma(lexicon, "gerust", "rusten"); /* nl.dic's Ve: a participle too */
    /* A plural in -heden is the plural of the noun in -heid, not of the
     * adjective hunspell also reads in it (i13-prec11). */
    check_lemma(lexicon, "waarheden", "waarheid");
    check_lemma(lexicon, "zekerheden", "zekerheid");
    check_lemma(lexicon, "bezigheden", "bezigheid");
    check_lemma(lexicon, "mogelijkheden", "mogelijkheid");
    check_lemma(lexicon, "meisje", NULL); /* lexicalised, not "meis" */
    /* Unknown, empty and hostile input. */
    check_lemma(lexicon, "xqzwvbnm", NULL);
    check_lemma(lexicon, "", NULL);
    CHECK(vind_lexicon_lemma(lexicon, NULL) == NULL, "NULL form has no lemma");
    CHECK(vind_lexicon_lemma(NULL, "huizen") == NULL, "NULL lexicon has no lemma");
    size_t big_len = 1024 * 1024;
    char *big = malloc(big_len + 1);
    memset(big, 'a', big_len);
    big[big_len] = '\0';
    CHECK(vind_lexicon_lemma(lexicon, big) == NULL, "1 MB string: no lemma, no crash");
    CHECK(!vind_lexicon_has_word(lexicon, big), "1 MB string: not a word");
    free(big);
}

static void test_words(const vind_lexicon_t *lexicon)
{
    CHECK(vind_lexicon_has_word(lexicon, "verpleeghuis"), "verpleeghuis is a word");
    CHECK(vind_lexicon_has_word(lexicon, "kinderen"), "an inflected form is a word");
    CHECK(vind_lexicon_has_word(lexicon, "clienten"), "keys are normalised (cliënten)");
    CHECK(!vind_lexicon_has_word(lexicon, "cliënten"), "unnormalised keys are not found");
    CHECK(!vind_lexicon_has_word(lexicon, "xqzwvbnm"), "nonsense is not a word");
    CHECK(!vind_lexicon_has_word(lexicon, ""), "the empty string is not a word");
    CHECK(!vind_lexicon_has_word(lexicon, NULL), "NULL is not a word");
    /* English words that Dutch words spell by chance carry a flag, no word */
    CHECK(vind_lexicon_flags(lexicon, "variables", 9) == VIND_LEX_ENGLISH,
          "variables: flagged English, nothing else");
    CHECK(!vind_lexicon_has_word(lexicon, "variables"), "an English-only entry is no Dutch word");
    CHECK((vind_lexicon_flags(lexicon, "discovering", 11) & VIND_LEX_ENGLISH) &&
              vind_lexicon_has_word(lexicon, "discovering"),
          "discovering: English, and an nl.dic root (a forbidden word) as before");
    CHECK(!(vind_lexicon_flags(lexicon, "logotypes", 9) & VIND_LEX_ENGLISH),
          "logotypes (logo + types, two English words) is not flagged");
    CHECK(!(vind_lexicon_flags(lexicon, "website", 7) & VIND_LEX_ENGLISH),
          "a word of the Dutch list is not flagged");
    /* An English gloss of a Dutch word, spelt as it plus -e, -s or a doubled
     * letter, is its cognate: a flag, no word (FreeDict nld-eng) */
    CHECK(vind_lexicon_flags(lexicon, "process", 7) == VIND_LEX_COGNATE,
          "process: a cognate of proces, nothing else");
    CHECK(!vind_lexicon_has_word(lexicon, "process"), "a cognate-only entry is no Dutch word");
    CHECK(vind_lexicon_flags(lexicon, "role", 4) & VIND_LEX_COGNATE, "role: a cognate of rol");
    CHECK(!(vind_lexicon_flags(lexicon, "note", 4) & VIND_LEX_COGNATE),
          "note is no cognate (noot, noteren: not its spelling less -e)");
    CHECK(!(vind_lexicon_flags(lexicon, "less", 4) & VIND_LEX_COGNATE),
          "less is no cognate (les glosses lesson)");
}

static void test_stopwords(const vind_lexicon_t *lexicon)
{
    CHECK(vind_is_stopword(lexicon, "de", VIND_LANG_NL), "de is a Dutch stop word");
    CHECK(vind_is_stopword(lexicon, "het", VIND_LANG_NL), "het is a Dutch stop word");
    CHECK(vind_is_stopword(lexicon, "een", VIND_LANG_NL), "een is a Dutch stop word");
    CHECK(!vind_is_stopword(lexicon, "zorg", VIND_LANG_NL), "zorg is not a stop word");
    CHECK(!vind_is_stopword(lexicon, "the", VIND_LANG_NL), "the is not a Dutch stop word");
    CHECK(vind_is_stopword(lexicon, "the", VIND_LANG_EN), "the is an English stop word");
    CHECK(vind_is_stopword(lexicon, "don't", VIND_LANG_EN), "don't is an English stop word");
    CHECK(!vind_is_stopword(lexicon, "de", VIND_LANG_EN), "de is not an English stop word");
    CHECK(!vind_is_stopword(lexicon, "", VIND_LANG_NL), "empty is not a stop word");
    CHECK(!vind_is_stopword(lexicon, NULL, VIND_LANG_NL), "NULL is not a stop word");
    CHECK(!vind_is_stopword(lexicon, "de", (vind_lang_t)7), "unknown language: no stop words");
    CHECK(!vind_is_stopword(NULL, "de", VIND_LANG_NL), "NULL lexicon: no stop words");
    CHECK(!vind_is_stopword(lexicon, "# Dutch", VIND_LANG_NL), "comments are not stop words");
}

/* The entry of form in the raw tables by a plain bisection of all of them
 * (what version 1 did), or NULL: the reference for the fenced look-up. */
static const struct vind_lex_entry *reference_find(const struct vind_lex_entry *entries,
                                                   uint32_t count, const char *pool,
                                                   const char *form)
{
    size_t low = 0, high = count;
    while (low < high) {
        size_t middle = low + (high - low) / 2;
        int c = strcmp(form, pool + entries[middle].form);
        if (c == 0)
            return &entries[middle];
        if (c < 0)
            high = middle;
        else
            low = middle + 1;
    }
    return NULL;
}

/* Writes nl.lex bytes and the stop lists of from into a new datadir; its path. */
static char *datadir_with(const char *from, const char *lex, size_t size)
{
    char *dir = g_dir_make_tmp("vind-lex-XXXXXX", NULL);
    char *stop = g_build_filename(dir, "stopwords", NULL);
    g_mkdir(stop, 0700);
    for (int k = 0; k < 2; k++) {
        const char *name = k ? "en.txt" : "nl.txt";
        char *source = g_build_filename(from, "stopwords", name, NULL), *text = NULL;
        gsize length = 0;
        char *target = g_build_filename(stop, name, NULL);
        if (g_file_get_contents(source, &text, &length, NULL))
            g_file_set_contents(target, text, (gssize)length, NULL);
        g_free(text);
        g_free(source);
        g_free(target);
    }
    char *path = g_build_filename(dir, "nl.lex", NULL);
    g_file_set_contents(path, lex, (gssize)size, NULL);
    g_free(path);
    g_free(stop);
    return dir;
}

static void remove_datadir(char *dir)
{
    const char *names[] = {"stopwords/nl.txt", "stopwords/en.txt", "nl.lex", "stopwords", ""};
    for (size_t i = 0; i < G_N_ELEMENTS(names); i++) {
        char *path = g_build_filename(dir, names[i], NULL);
        g_remove(path);
        g_free(path);
    }
    g_free(dir);
}

/* Version 2's fences (lib/lexicon_format.h): every form and a near miss of
 * every 7th are found as a bisection of the whole table finds them; a
 * version 1 file (no fences) is still read; a damaged fence count refused. */
static void test_fences(const vind_lexicon_t *lexicon)
{
    const char *datadir = vind_lexicon_datadir(lexicon);
    char *path = g_build_filename(datadir, "nl.lex", NULL), *file = NULL;
    gsize size = 0;
    if (!g_file_get_contents(path, &file, &size, NULL) || size < sizeof(struct vind_lex_header)) {
        CHECK(0, "nl.lex readable");
        g_free(path);
        return;
    }
    struct vind_lex_header header;
    memcpy(&header, file, sizeof header);
    CHECK(header.version == 2 && header.fence_count == (header.entry_count + VIND_LEX_FENCE_STEP - 1) /
                                                          VIND_LEX_FENCE_STEP,
          "nl.lex is version 2 with a fence per 128 entries");
    const struct vind_lex_entry *entries = (const void *)(file + sizeof header);
    const char *pool = (const char *)(entries + header.entry_count);
    long wrong = 0, probes = 0;
    for (uint32_t i = 0; i < header.entry_count; i++) {
        const char *form = pool + entries[i].form;
        if (vind_lexicon_flags(lexicon, form, strlen(form)) != entries[i].flags ||
            vind_lexicon_has_word(lexicon, form) !=
                ((entries[i].flags & ~(VIND_LEX_ENGLISH | VIND_LEX_COGNATE)) != 0))
            wrong++;
        if (i % 7 == 0) {
            char *probe = g_strconcat(form, i % 2 ? "q" : "", "e", NULL);
            const struct vind_lex_entry *want = reference_find(entries, header.entry_count, pool, probe);
            wrong += vind_lexicon_flags(lexicon, probe, strlen(probe)) != (want ? want->flags : 0);
            probes++;
            g_free(probe);
        }
    }
    char what[128];
    snprintf(what, sizeof what, "all %u forms and %ld near misses found as by a full bisection",
             header.entry_count, probes);
    CHECK(wrong == 0, what);
    CHECK(!vind_lexicon_has_word(lexicon, "\x01") && !vind_lexicon_has_word(lexicon, "\xf4\x8f"),
          "forms before the first and after the last entry are absent");

    /* Version 1: the same tables without fences, read by bisecting all of them. */
    size_t v1_size = sizeof header + header.entry_count * sizeof *entries + header.string_bytes;
    struct vind_lex_header v1 = header;
    v1.version = 1;
    v1.fence_count = 0;
    memcpy(file, &v1, sizeof v1);
    char *dir = datadir_with(datadir, file, v1_size);
    vind_lexicon_t *old = NULL;
    CHECK(vind_lexicon_open(dir, &old, NULL) == VIND_OK, "a version 1 nl.lex opens");
    CHECK(old && vind_lexicon_has_word(old, "zorg") && vind_lexicon_fingerprint(old) ==
                                                         vind_lexicon_fingerprint(lexicon),
          "version 1: same words, same fingerprint (fences are not in the checksum)");
    CHECK_STR(old ? vind_lexicon_lemma(old, "huizen") : NULL, "huis", "version 1: lemmas as before");
    vind_lexicon_close(old);
    remove_datadir(dir);

    /* A fence count that does not fit the entries: damaged, refused. */
    struct vind_lex_header bad = header;
    bad.fence_count = header.fence_count + 1;
    memcpy(file, &bad, sizeof bad);
    dir = datadir_with(datadir, file, size);
    vind_lexicon_t *damaged = NULL;
    char *errmsg = NULL;
    CHECK(vind_lexicon_open(dir, &damaged, &errmsg) == VIND_IO && damaged == NULL && errmsg &&
              strstr(errmsg, "damaged"),
          "a wrong fence count is refused as damaged");
    free(errmsg);
    remove_datadir(dir);
    g_free(file);
    g_free(path);
}

int main(void)
{
    test_open_errors();

    vind_lexicon_t *lexicon = NULL;
    char *errmsg = NULL;
    vind_status_t status = vind_lexicon_open(NULL, &lexicon, &errmsg);
    if (status != VIND_OK) {
        printf("# %s\n", errmsg ? errmsg : "?");
        free(errmsg);
        SKIP("no nl.lex beside the test (run make first)");
        return check_done();
    }
    const char *datadir = vind_lexicon_datadir(lexicon);
    CHECK(datadir && strstr(datadir, "share/vind"), "datadir found beside the program");
    test_lemmas(lexicon);
    test_words(lexicon);
    test_stopwords(lexicon);
    test_fences(lexicon);
    vind_lexicon_close(lexicon);
    vind_lexicon_close(NULL);
    CHECK(1, "closing NULL is allowed");
    return check_done();
}
