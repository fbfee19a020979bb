/* test_compound.c - Dutch compound splitting on the built nl.lex: the
 * compounds the issue names split, simple and inflected words stay whole. */
#include <stdlib.h>

#include <vind/analyze.h>
#include "lexicon.h"
#include "check.h"

/* Splits form and returns the parts joined with '+' ("" when not split), malloc'd. */
static char *split(const vind_lexicon_t *lexicon, const char *form)
{
    char *parts[8];
    size_t n = vind_compound_split(lexicon, form, parts, 8);
    size_t total = 1;
    for (size_t i = 0; i < n; i++)
        total += strlen(parts[i]) + 1;
    char *joined = calloc(1, total);
    for (size_t i = 0; i < n; i++) {
        if (i > 0)
            strcat(joined, "+");
        strcat(joined, parts[i]);
        free(parts[i]);
    }
    return joined;
}

static void check_split(const vind_lexicon_t *lexicon, const char *form, const char *expected)
{
    char *got = split(lexicon, form);
    char what[160];
    snprintf(what, sizeof what, "%s -> %s", form, expected[0] ? expected : "(whole)");
    CHECK_STR(got, expected, what);
    free(got);
}

int main(void)
{
    vind_lexicon_t *lexicon = NULL;
    char *errmsg = NULL;
    if (vind_lexicon_open(NULL, &lexicon, &errmsg) != VIND_OK) {
        printf("# %s\n", errmsg ? errmsg : "?");
        free(errmsg);
        SKIP("no nl.lex beside the test (run make first)");
        return check_done();
    }

    /* The compounds of the issue. */
    check_split(lexicon, "verpleeghuiszorg", "verpleeghuis+zorg");
    check_split(lexicon, "zorgkantoren", "zorg+kantoren");
    check_split(lexicon, "onderwijsvernieuwing", "onderwijs+vernieuwing");
    check_split(lexicon, "ouderenzorg", "ouderen+zorg");
    check_split(lexicon, "gegevensbescherming", "gegevens+bescherming");
    check_split(lexicon, "jeugdzorg", "jeugd+zorg");
    /* Linking -s- dropped when the modifier alone is no word. */
    check_split(lexicon, "arbeidsmarkt", "arbeid+markt");
    /* Three parts. */
    check_split(lexicon, "jeugdzorgbeleid", "jeugd+zorg+beleid");
    /* An inflected compound splits as a compound, the head inflected. */
    check_split(lexicon, "verpleeghuizen", "verpleeg+huizen");

    /* Words that are not compounds, or only inflections, stay whole. */
    const char *whole[] = {"bewoners", "organisatie", "kinderen", "ministerie", "gemeente",
                           "informatie", "beveiliging", "huizen", "organisaties", "gebruikt",
                           "ontwikkeling", "medewerkers", "regering", "samenleving",
                           /* suffixoids: no "rijk" in "belangrijke" */
                           "belangrijk", "belangrijke", "regelmatig", "betekenisvolle", NULL};
    for (int i = 0; whole[i]; i++)
        check_split(lexicon, whole[i], "");

    /* Hostile and edge input. */
    char *parts[4];
    CHECK_INT(vind_compound_split(lexicon, "", parts, 4), 0, "empty string: no parts");
    CHECK_INT(vind_compound_split(lexicon, "zorg", parts, 4), 0, "short word: no parts");
    CHECK_INT(vind_compound_split(NULL, "jeugdzorg", parts, 4), 0, "NULL lexicon: no parts");
    CHECK_INT(vind_compound_split(lexicon, NULL, parts, 4), 0, "NULL form: no parts");
    CHECK_INT(vind_compound_split(lexicon, "jeugdzorg", parts, 1), 0,
              "max_parts 1 cannot hold a split");
    size_t three = vind_compound_split(lexicon, "jeugdzorgbeleid", parts, 2);
    CHECK(three != 3, "max_parts 2 never writes a third part");
    for (size_t i = 0; i < three; i++)
        free(parts[i]);
    size_t big_len = 1024 * 1024;
    char *big = malloc(big_len + 1);
    for (size_t i = 0; i < big_len; i++)
        big[i] = "zorgjeugd"[i % 9];
    big[big_len] = '\0';
    CHECK_INT(vind_compound_split(lexicon, big, parts, 4), 0, "1 MB word: no parts, no crash");
    free(big);
    CHECK_INT(vind_compound_split(lexicon, "zorg\xff\xfezorg", parts, 4), 0,
              "invalid bytes: no parts");

    vind_lexicon_close(lexicon);
    return check_done();
}
