/* test_normalize.c - vind_normalize and UTF-8 repair: the folding every index
 * term and query word goes through. */
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <vind/analyze.h>
#include "normalize.h"
#include "check.h"

/* vind_normalize over len bytes of text, compared and freed. */
static void check_normalize_bytes(const char *text, size_t len, const char *expected,
                                  const char *what)
{
    char *got = vind_normalize(text, len);
    CHECK_STR(got, expected, what);
    free(got);
}

/* The same over a NUL-terminated literal. */
static void check_normalize(const char *text, const char *expected, const char *what)
{
    check_normalize_bytes(text, strlen(text), expected, what);
}

static void test_diacritics_and_case(void)
{
    check_normalize("Cliënten", "clienten", "diaeresis folded and lower case: Cliënten");
    check_normalize("beïnvloeden", "beinvloeden", "diaeresis on i: beïnvloeden");
    check_normalize("crèche", "creche", "grave accent: crèche");
    check_normalize("één", "een", "acute accents: één = een");
    check_normalize("ÉÉN", "een", "upper-case accented: ÉÉN");
    check_normalize("Clie\xcc\x88nten", "clienten", "decomposed diaeresis (NFD input) folded too");
    check_normalize("NOORD-HOLLAND", "noord-holland", "ASCII upper case folded, hyphen kept");
    check_normalize("Straße", "strasse", "sharp s case-folds to ss");
    check_normalize("Søren Łódź", "soren lodz", "letters with strokes lose them");
    check_normalize("Ĳsselmeer", "ijsselmeer", "the ij ligature letter becomes i j");
}

static void test_quotes_and_ligatures(void)
{
    check_normalize("risico’s", "risico's", "right single quote is an apostrophe: risico’s");
    check_normalize("‘t huis", "'t huis", "left single quote: ‘t");
    check_normalize("auto′s", "auto's", "prime as apostrophe: auto′s");
    check_normalize("„laag” “hoog”", "\"laag\" \"hoog\"", "Dutch low-high and curly double quotes");
    check_normalize("‚x‛", "'x'", "low-9 and reversed single quotes");
    check_normalize("ﬁnanciën", "financien", "fi ligature expanded (PDF text)");
    check_normalize("ﬂexibel", "flexibel", "fl ligature");
    check_normalize("eﬀect", "effect", "ff ligature");
    check_normalize("eﬃciënt", "efficient", "ffi ligature");
    check_normalize("aﬄuent", "affluent", "ffl ligature");
    check_normalize("a\xc2\xa0"
                    "b",
                    "a b", "no-break space becomes a space (NFKC)");
    check_normalize("co\xe2\x80\x91operatie", "co-operatie", "non-breaking hyphen becomes '-'");
}

static void test_invisible_and_private_use(void)
{
    check_normalize("verpleeg\xc2\xadhuis", "verpleeghuis", "soft hyphen dropped");
    check_normalize("a\xe2\x80\x8b"
                    "b\xe2\x80\x8c"
                    "c\xe2\x80\x8d"
                    "d",
                    "abcd", "zero-width space, non-joiner, joiner dropped");
    check_normalize("a\xe2\x81\xa0"
                    "b\xef\xbb\xbf"
                    "c",
                    "abc", "word joiner and BOM dropped");
    check_normalize("\xef\xbb\xbfTitel", "titel", "leading BOM dropped");
    check_normalize("a\xef\x82\xb7"
                    "b",
                    "a b", "private-use bullet U+F0B7 separates");
    check_normalize("\xf3\xb0\x80\x80x", " x", "supplementary private use separates");
}

static void test_hostile_bytes(void)
{
    check_normalize_bytes("", 0, "", "empty input gives empty output");
    char *empty = vind_normalize(NULL, 0);
    CHECK_STR(empty, "", "NULL with length 0 is empty");
    free(empty);
    CHECK(vind_normalize(NULL, 5) == NULL, "NULL with a length is refused");
    check_normalize_bytes("a\0b", 3, "a b", "NUL byte separates");
    check_normalize_bytes("a\xff\xfe"
                          "b",
                          4, "a  b", "bytes 0xff 0xfe become separators");
    check_normalize_bytes("caf\xc3", 4, "caf ", "truncated sequence at the end");
    check_normalize_bytes("\xe2\x82x", 3, "  x", "truncated three-byte sequence");
    check_normalize_bytes("\xc0\xaf", 2, "  ", "overlong '/' (C0 AF) refused");
    check_normalize_bytes("\xe0\x80\xaf", 3, "   ", "overlong three-byte '/' refused");
    check_normalize_bytes("\xed\xa0\x80", 3, "   ", "encoded surrogate refused");
    check_normalize_bytes("\xf4\x90\x80\x80", 4, "    ", "beyond U+10FFFF refused");
    check_normalize_bytes("\xef\xbf\xbd", 3, " ", "U+FFFD itself separates");
    check_normalize_bytes("a\x01\x7f"
                          "b",
                          4, "a  b", "control characters separate");

    /* Random bytes: never a crash, always valid UTF-8 out. */
    unsigned seed = 12345;
    int all_valid = 1;
    char buffer[257];
    for (int round = 0; round < 2000; round++) {
        size_t len = (size_t)(round % 256) + 1;
        for (size_t k = 0; k < len; k++) {
            seed = seed * 1103515245u + 12345u;
            buffer[k] = (char)(seed >> 16);
        }
        char *out = vind_normalize(buffer, len);
        if (out == NULL || !g_utf8_validate(out, -1, NULL))
            all_valid = 0;
        free(out);
    }
    CHECK(all_valid, "2000 random byte strings give valid UTF-8");
}

static void test_decode(void)
{
    gunichar cp = 0;
    CHECK_INT(vind_utf8_decode("\xc3\xab", 2, 0, &cp), 2, "ë is two bytes");
    CHECK_INT(cp, 0xEB, "ë decodes to U+00EB");
    CHECK_INT(vind_utf8_decode("\xf0\x9f\x98\x80", 4, 0, &cp), 4, "emoji is four bytes");
    CHECK_INT(cp, 0x1F600, "emoji decodes to U+1F600");
    CHECK_INT(vind_utf8_decode("\xf0\x9f\x98", 3, 0, &cp), 1, "truncated emoji: one byte");
    CHECK_INT(cp, VIND_REPLACEMENT_CHARACTER, "truncated emoji: U+FFFD");
    CHECK_INT(vind_utf8_decode("\x80", 1, 0, &cp), 1, "stray continuation: one byte");
    CHECK_INT(cp, VIND_REPLACEMENT_CHARACTER, "stray continuation: U+FFFD");
    CHECK(vind_char_is_apostrophe(0x2019) && vind_char_is_apostrophe('\''),
          "’ and ' are apostrophes");
    CHECK(!vind_char_is_hyphen(0x2013), "en dash is no joining hyphen (2020–2021)");
}

/* vind_normalize_collapsed: white space runs made one space, ends trimmed
 * (collapsed in place since the ASCII path, so both paths are checked). */
static void test_collapsed(void)
{
    static const struct {
        const char *text, *expected, *what;
    } cases[] = {
        {"  Wonen \t en\n\nZorg  ", "wonen en zorg", "ASCII: runs, tabs, newlines, ends"},
        {"Cli\xc3\xabnten   \xe2\x80\x99s  ", "clienten 's", "non-ASCII folded, then collapsed"},
        {" \t\r\n ", "", "only white space gives an empty string"},
        {"", "", "empty stays empty"},
        {"VWS", "vws", "one word"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *got = vind_normalize_collapsed(cases[i].text, strlen(cases[i].text));
        CHECK_STR(got, cases[i].expected, cases[i].what);
        g_free(got);
    }
}

int main(void)
{
    test_diacritics_and_case();
    test_quotes_and_ligatures();
    test_invisible_and_private_use();
    test_hostile_bytes();
    test_decode();
    test_collapsed();
    return check_done();
}
