/* test_tokenize.c - where tokens are and what kind: Dutch words, apostrophe
 * plurals, hyphenated and elliptic words, abbreviations, numbers, addresses,
 * and hostile bytes. */
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <vind/analyze.h>
#include "tokenize.h"
#include "check.h"

/*
 * Renders the spans of text as "kind:surface" joined by spaces, kind one of
 * W N U E A P(name) C(clitic); "[form]" follows when the form is shorter
 * than the surface, "+" marks a hyphen to the next part, "~" an elliptic
 * word and "^" the part after an elliptic hyphen.
 */
static char *render(const char *text, size_t len, vind_lang_t lang)
{
    static const char kinds[] = "WNUEAPC";
    vind_spans_t spans = {0};
    GString *out = g_string_new("");
    if (vind_tokenize(text, len, lang, &spans, NULL) != VIND_OK)
        g_string_append(out, "NOMEM");
    for (size_t k = 0; k < spans.count; k++) {
        const vind_span_t *s = &spans.items[k];
        if (k > 0)
            g_string_append_c(out, ' ');
        g_string_append_printf(out, "%c:%.*s", kinds[s->kind], (int)(s->end - s->start),
                               text + s->start);
        if (s->form_end != s->end)
            g_string_append_printf(out, "[%.*s]", (int)(s->form_end - s->start), text + s->start);
        if (s->hyphen_next)
            g_string_append_c(out, '+');
        if (s->elliptic)
            g_string_append_c(out, '~');
        if (s->elliptic_tail)
            g_string_append_c(out, '^');
    }
    vind_spans_release(&spans);
    return g_string_free(out, FALSE);
}

static void check_tokens(const char *text, const char *expected, const char *what)
{
    char *got = render(text, strlen(text), VIND_LANG_NL);
    CHECK_STR(got, expected, what);
    g_free(got);
}

static void test_words(void)
{
    check_tokens("", "", "empty text: no tokens");
    check_tokens("  ,;!  ", "", "only punctuation: no tokens");
    check_tokens("Cliënten, bewoners en organisaties.", "W:Cliënten W:bewoners W:en W:organisaties",
                 "plain words, punctuation dropped");
    check_tokens("auto's foto's cliënt's risico’s",
                 "W:auto's[auto] W:foto's[foto] W:cliënt's[cliënt] W:risico’s[risico]",
                 "apostrophe plurals and genitives: form without 's");
    check_tokens("zo'n m'n", "W:zo'n W:m'n", "zo'n and m'n stay whole");
    check_tokens("GGD’en API's", "W:GGD’en[GGD] W:API's[API]", "acronym plurals: GGD’en, API's");
    check_tokens("Rik'en", "W:Rik'en", "'en only after an acronym");
    check_tokens("in 't Gooi, 's avonds", "W:in C:'t W:Gooi C:'s W:avonds",
                 "'t and 's are words of their own");
    check_tokens("naar ’s-Hertogenbosch en 's-Gravenhage.",
                 "W:naar P:’s-Hertogenbosch W:en P:'s-Gravenhage", "'s-names are one token");
    check_tokens("‘Dit’", "W:Dit", "quotes around a word are not clitics");
    check_tokens("verpleeg\xc2\xadhuis", "W:verpleeg\xc2\xadhuis",
                 "a soft hyphen keeps the word whole");
    check_tokens("a\xef\x82\xb7"
                 "b",
                 "W:a W:b", "private-use bullet separates");
}

static void test_hyphens(void)
{
    check_tokens("e-mailadres Noord-Holland Corona-Melder",
                 "W:e+ W:mailadres W:Noord+ W:Holland W:Corona+ W:Melder",
                 "hyphenated words: parts marked as joined");
    check_tokens("COVID-19", "W:COVID+ N:19", "word and number joined");
    check_tokens("2020–2021", "N:2020 N:2021", "en dash separates");
    check_tokens("zorg- en onderwijsvernieuwing", "W:zorg-[zorg]~ W:en W:onderwijsvernieuwing",
                 "elliptic compound: zorg- marked");
    check_tokens("bron- en contactonderzoek", "W:bron-[bron]~ W:en W:contactonderzoek",
                 "elliptic compound: bron-");
    check_tokens("in- en uitvoer", "W:in-[in]~ W:en W:uitvoer", "elliptic compound: in-");
    check_tokens("zorg-, welzijns- en onderwijsvernieuwing",
                 "W:zorg-[zorg]~ W:welzijns-[welzijns]~ W:en W:onderwijsvernieuwing",
                 "elliptic chain");
    check_tokens("onderwijsvernieuwing en -beleid", "W:onderwijsvernieuwing W:en W:beleid^",
                 "elliptic tail: -beleid");
    check_tokens("- item", "W:item", "a list dash is no ellipsis");
    check_tokens("en/of", "W:en W:of", "en/of is two words");
}

static void test_abbreviations(void)
{
    check_tokens("o.a. bijv. t/m d.w.z. m.b.t. N.V.",
                 "A:o.a. A:bijv. A:t/m A:d.w.z. A:m.b.t. A:N.V.",
                 "abbreviations are one token each");
    check_tokens("Dat is het huis.", "W:Dat W:is W:het W:huis",
                 "a sentence-final dot is no abbreviation");
    check_tokens("zie art. 5", "W:zie A:art. N:5", "art. is an abbreviation");
    check_tokens("einde.Nieuwe zin", "W:einde W:Nieuwe W:zin", "missing space after a dot splits");
    char *english = render("bijv. etc.", 10, VIND_LANG_EN);
    CHECK_STR(english, "W:bijv W:etc", "the Dutch dot list is Dutch only");
    g_free(english);
}

static void test_numbers(void)
{
    check_tokens("2021 3,5 1.000 35 538", "N:2021 N:3,5 N:1.000 N:35 538", "numbers and years");
    check_tokens("35\xc2\xa0"
                 "538 mensen",
                 "N:35\xc2\xa0"
                 "538 W:mensen",
                 "no-break space groups digits");
    check_tokens("in 2020 150 mensen", "W:in N:2020 N:150 W:mensen",
                 "a four-digit number does not take a group");
    check_tokens("1,2 en 3.", "N:1,2 W:en N:3", "a trailing dot is not part of a number");
    check_tokens("zorg,welzijn", "W:zorg W:welzijn", "a comma joins digits only");
}

static void test_addresses(void)
{
    check_tokens("mail info@rivm.nl of j.jansen@minvws.nl.",
                 "W:mail E:info@rivm.nl W:of E:j.jansen@minvws.nl", "e-mail addresses");
    check_tokens("zie https://www.rivm.nl/corona?x=1&y=2.",
                 "W:zie U:https://www.rivm.nl/corona?x=1&y=2",
                 "URL with query, final dot left out");
    check_tokens("(zie https://nl.wikipedia.org/wiki/Foo)",
                 "W:zie U:https://nl.wikipedia.org/wiki/Foo", "closing parenthesis left out");
    check_tokens("op www.coronamelder.nl en coronamelder.nl/faq staat",
                 "W:op U:www.coronamelder.nl W:en U:coronamelder.nl/faq W:staat",
                 "www and bare domains");
    check_tokens("de app.De gebruiker", "W:de W:app W:De W:gebruiker",
                 "\"de\" is not taken for a top-level domain");
    check_tokens("a@b", "W:a W:b", "an @ without a domain splits");
    check_tokens("ASP.NET en Coronamelder.nl", "W:ASP W:NET W:en U:Coronamelder.nl",
                 "a capitalised last label is a product name, not a domain");
}

/* Every span lies inside the text, on character boundaries, in order. */
static int spans_are_sane(const char *text, size_t len)
{
    vind_spans_t spans = {0};
    if (vind_tokenize(text, len, VIND_LANG_NL, &spans, NULL) != VIND_OK)
        return 0;
    int sane = 1;
    size_t previous_end = 0;
    for (size_t k = 0; k < spans.count && sane; k++) {
        const vind_span_t *s = &spans.items[k];
        sane = s->start < s->end && s->end <= len && s->start >= previous_end &&
               s->form_end > s->start && s->form_end <= s->end &&
               g_utf8_validate(text + s->start, (gssize)(s->end - s->start), NULL);
        previous_end = s->end;
    }
    vind_spans_release(&spans);
    return sane;
}

static void test_hostile(void)
{
    check_tokens("a\xff\xfe"
                 "b",
                 "W:a W:b", "bytes 0xff 0xfe separate words");
    check_tokens("caf\xc3", "W:caf", "truncated sequence at the end");
    check_tokens("x\xc0\xafy", "W:x W:y", "overlong '/' separates and is no slash");
    char with_nul[] = "zorg\0huis";
    char *got = render(with_nul, sizeof with_nul - 1, VIND_LANG_NL);
    CHECK_STR(got, "W:zorg W:huis", "NUL byte separates words");
    g_free(got);

    size_t big = 1024 * 1024;
    char *huge = malloc(big);
    memset(huge, 'a', big);
    vind_spans_t spans = {0};
    CHECK(vind_tokenize(huge, big, VIND_LANG_NL, &spans, NULL) == VIND_OK && spans.count == 1 &&
              spans.items[0].end == big,
          "a 1 MB word is one token");
    for (size_t k = 0; k < big; k++)
        huge[k] = "a-.'/@,1"[k % 8];
    CHECK(vind_tokenize(huge, big, VIND_LANG_NL, &spans, NULL) == VIND_OK,
          "1 MB of connectors tokenises");
    CHECK(spans_are_sane(huge, big), "1 MB of connectors: spans sane");
    vind_spans_release(&spans);
    free(huge);

    unsigned seed = 99;
    int sane = 1;
    char buffer[300];
    const char *pieces[] = {"a", "é",    "-",    "'",        "’",
                            ".", ",",    "/",    "@",        " ",
                            "1", "\xff", "\xc3", "\xc2\xad", "\xef\x82\xb7",
                            "s", "t",    "www.", ".nl",      "http://"};
    for (int round = 0; round < 5000 && sane; round++) {
        size_t len = 0;
        int parts = round % 40 + 1;
        for (int p = 0; p < parts; p++) {
            seed = seed * 1103515245u + 12345u;
            const char *piece = pieces[(seed >> 16) % (sizeof pieces / sizeof pieces[0])];
            size_t n = strlen(piece);
            if (len + n >= sizeof buffer)
                break;
            memcpy(buffer + len, piece, n);
            len += n;
        }
        sane = spans_are_sane(buffer, len);
        if (!sane)
            printf("# insane spans for \"%.*s\"\n", (int)len, buffer);
    }
    CHECK(sane, "5000 random texts: spans inside the text, ordered, on UTF-8 boundaries");
}

int main(void)
{
    test_words();
    test_hyphens();
    test_abbreviations();
    test_numbers();
    test_addresses();
    test_hostile();
    return check_done();
}
