/* test_stem.c - lib/stem.c: the Snowball stems vind indexes and searches
 * with. They come from Xapian's stemmers since libstemmer cost every process
 * start 84 pages of relocations; this checks that they are libstemmer's
 * stems, word for word, over OpenTaal's Dutch word list (wdutch, a build
 * dependency) in both languages, so no index term changed with the swap. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libstemmer.h>
#include <vind/analyze.h>
#include "normalize.h"
#include "stem.h"
#include "check.h"

#define WORDLIST "/usr/share/dict/dutch"

static char *stem_of(vind_stemmer_t *stemmer, const char *word)
{
    size_t length = 0;
    const char *stem = vind_stemmer_stem(stemmer, word, strlen(word), &length);
    return stem ? strndup(stem, length) : NULL;
}

static void test_known_stems(void)
{
    vind_stemmer_t *nl = NULL, *en = NULL;
    CHECK(vind_stemmer_new(VIND_LANG_NL, &nl, NULL) == VIND_OK, "Dutch stemmer");
    CHECK(vind_stemmer_new(VIND_LANG_EN, &en, NULL) == VIND_OK, "English stemmer");
    struct {
        vind_stemmer_t *stemmer;
        const char *word, *stem;
    } cases[] = {
        {nl, "woningen", "woning"},         {nl, "bewoners", "bewoner"},
        {nl, "gemeentelijke", "gemeent"},    {en, "running", "run"},
        {en, "accessibility", "access"},     {nl, "", ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *got = stem_of(cases[i].stemmer, cases[i].word);
        char what[96];
        snprintf(what, sizeof what, "stem of '%s'", cases[i].word);
        CHECK_STR(got, cases[i].stem, what);
        free(got);
    }
    /* The stem is the stemmer's until its next call, and the word need not end in NUL. */
    size_t length = 0;
    const char *stem = vind_stemmer_stem(nl, "bewonersraad", 8, &length);
    CHECK(stem && length == 7 && memcmp(stem, "bewoner", 7) == 0 && stem[7] == '\0',
          "a byte range is stemmed, NUL-terminated");
    vind_stemmer_t *none = NULL;
    char *message = NULL;
    CHECK(vind_stemmer_new((vind_lang_t)99, &none, &message) == VIND_INVALID_ARGUMENT && !none,
          "no stemmer for an unknown language");
    free(message);
    vind_stemmer_free(nl);
    vind_stemmer_free(en);
    vind_stemmer_free(NULL);
}

/* Counts the words of the list whose stem (as written, and normalised as
 * the analyzer stems it) differs from libstemmer's; reports the first few. */
static long count_differences(FILE *list, vind_stemmer_t *ours, struct sb_stemmer *theirs,
                              const char *language, long *words)
{
    char line[512];
    long differ = 0;
    while (fgets(line, sizeof line, list)) {
        line[strcspn(line, "\r\n")] = '\0';
        char *normal = vind_normalize(line, strlen(line));
        const char *forms[] = {line, normal};
        for (size_t k = 0; k < 2 && forms[k]; k++) {
            (*words)++;
            const sb_symbol *want =
                sb_stemmer_stem(theirs, (const sb_symbol *)forms[k], (int)strlen(forms[k]));
            size_t want_length = (size_t)sb_stemmer_length(theirs), length = 0;
            const char *got = vind_stemmer_stem(ours, forms[k], strlen(forms[k]), &length);
            if (got && want && length == want_length && memcmp(got, want, length) == 0)
                continue;
            if (differ++ < 5)
                printf("#   %s '%s': vind '%.*s', libstemmer '%.*s'\n", language, forms[k],
                       got ? (int)length : 0, got ? got : "", (int)want_length,
                       want ? (const char *)want : "");
        }
        free(normal);
    }
    return differ;
}

static void test_same_as_libstemmer(void)
{
    static const struct {
        vind_lang_t lang;
        const char *algorithm;
    } languages[] = {{VIND_LANG_NL, "dutch"}, {VIND_LANG_EN, "english"}};
    FILE *list = fopen(WORDLIST, "r");
    if (!list) {
        const char *ci = getenv("CI");
        if (ci && strcmp(ci, "true") == 0)
            CHECK(0, WORDLIST " (Debian wdutch, a build dependency) is there on CI");
        else
            SKIP(WORDLIST " is absent (Debian wdutch)");
        return;
    }
    for (size_t i = 0; i < 2; i++) {
        vind_stemmer_t *ours = NULL;
        vind_stemmer_new(languages[i].lang, &ours, NULL);
        struct sb_stemmer *theirs = sb_stemmer_new(languages[i].algorithm, "UTF_8");
        rewind(list);
        long words = 0;
        long differ = count_differences(list, ours, theirs, languages[i].algorithm, &words);
        char what[128];
        snprintf(what, sizeof what, "%s: the stems of %ld words are libstemmer's", languages[i].algorithm,
                 words);
        CHECK(words > 100000 && differ == 0, what);
        sb_stemmer_delete(theirs);
        vind_stemmer_free(ours);
    }
    fclose(list);
}

int main(void)
{
    test_known_stems();
    test_same_as_libstemmer();
    return check_done();
}
