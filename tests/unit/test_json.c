/*
 * test_json.c - the answer's JSON (lib/json.c, written directly into one
 * buffer) is byte for byte what jansson's json_dumps(JSON_COMPACT) made
 * of the same values before (issue 12): every escape, UTF-8 that is not
 * valid (null, or left out of a list), integers and reals of every size.
 * The reference is built here with jansson, the way lib/json.c did.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include <vind/vind.h>

#include "check.h"
#include "results.h"

static json_t *string_or_null(const char *value)
{
    json_t *string = value ? json_string(value) : NULL;
    return string ? string : json_null();
}

static json_t *string_list(const char *const *values, size_t count)
{
    json_t *array = json_array();
    for (size_t i = 0; i < count; i++) {
        json_t *value = values[i] ? json_string(values[i]) : NULL;
        if (value)
            json_array_append_new(array, value);
    }
    return array;
}

/* jansson's text (taken, freed) with what it writes raw and lib/json.c
 * escapes since session 17 as lower-case \u escapes: C1 controls (C2 80-9F)
 * and U+2028/2029 (E2 80 A8/A9). A byte-wise rewrite is exact: these bytes
 * only occur inside strings. NULL stays NULL. */
static char *escape_unsafe(char *jansson_text)
{
    if (!jansson_text)
        return NULL;
    char *out = malloc(3 * strlen(jansson_text) + 1), *at = out;
    const unsigned char *p = (const unsigned char *)jansson_text;
    while (out && *p) {
        if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
            at += sprintf(at, "\\u00%02x", p[1]);
            p += 2;
        } else if (p[0] == 0xe2 && p[1] == 0x80 && (p[2] == 0xa8 || p[2] == 0xa9)) {
            at += sprintf(at, "\\u%s", p[2] == 0xa8 ? "2028" : "2029");
            p += 3;
        } else
            *at++ = (char)*p++;
    }
    if (out)
        *at = '\0';
    free(jansson_text);
    return out;
}

/* What jansson writes for hit (the shape of docs/api.md), C1 controls and
 * U+2028/2029 escaped (escape_unsafe). */
static char *reference(const vind_hit_t *hit)
{
    json_t *o = json_object(), *pages = json_array();
    for (size_t i = 0; i < hit->n_pages; i++)
        json_array_append_new(pages, json_integer(hit->pages[i]));
    json_object_set_new(o, "url", string_or_null(hit->url));
    json_object_set_new(o, "title", string_or_null(hit->title));
    json_object_set_new(o, "type", string_or_null(hit->type));
    json_object_set_new(o, "date", string_or_null(hit->date));
    json_object_set_new(o, "author", string_or_null(hit->author));
    json_object_set_new(o, "description", string_or_null(hit->description));
    json_object_set_new(o, "snippet", string_or_null(hit->snippet));
    json_object_set_new(o, "pages", pages);
    if (hit->ocr)
        json_object_set_new(o, "ocr", json_true());
    json_object_set_new(o, "tags", string_list(hit->tags, hit->n_tags));
    json_object_set_new(o, "themes", string_list(hit->themes, hit->n_themes));
    json_object_set_new(o, "parent", string_or_null(hit->parent));
    json_object_set_new(o, "score", json_real(hit->score));
    json_object_set_new(o, "rank", json_integer(hit->rank));
    json_object_set_new(o, "similar", json_integer(hit->similar));
    json_object_set_new(o, "group", string_or_null(hit->group));
    char *text = escape_unsafe(json_dumps(o, JSON_COMPACT));
    json_decref(o);
    return text;
}

static int same_as_jansson(const vind_hit_t *hit, const char *what)
{
    char *ours = vind_hit_to_json(hit), *theirs = reference(hit);
    int same = ours && theirs && strcmp(ours, theirs) == 0;
    if (!same)
        printf("# %s\n#  ours:    %s\n#  jansson: %s\n", what, ours ? ours : "(null)",
               theirs ? theirs : "(null)");
    CHECK(same, what);
    free(ours), free(theirs);
    return same;
}

static void test_strings(void)
{
    static const char *const tags[] = {"zorg", "a\"b\\c", "\xc3\x28", "Coördinatoren", "ok/ja"};
    static const unsigned pages[] = {1, 7, 2000};
    vind_hit_t hit = {.url = "/actueel/één/?q=a&b=<c>",
                      .title = "Tab\there, new\nline, \r\b\f, bell \x07, esc \x1b, del \x7f",
                      .type = "pdf",
                      .date = "2021-03-04",
                      .author = NULL,
                      .description = "\"quoted\" \\ back / slash \xe2\x80\xa8 sep \xf0\x9f\x98\x80",
                      .snippet = "… <mark>bewoners</mark> &amp; cliënten …",
                      .parent = "\xed\xa0\x80 (a surrogate: not UTF-8)",
                      .tags = tags,
                      .n_tags = 5,
                      .themes = tags,
                      .n_themes = 2,
                      .score = 1.260007057980263,
                      .rank = 4000000000u,
                      .pages = pages,
                      .n_pages = 3,
                      .similar = 3,
                      .group = "\xc0\xaf (overlong)",
                      .ocr = 1};
    same_as_jansson(&hit,
                    "escapes, control characters, non-ASCII, invalid UTF-8 as null or left out");
    hit.ocr = 0;
    hit.n_pages = 0;
    hit.n_tags = 0;
    hit.url = hit.title = hit.snippet = hit.group = NULL;
    same_as_jansson(&hit, "nulls, empty lists, no ocr key");
}

/* Issue 12: the writer's buffer grows past its first 8 kB, with escapes
 * spread over the text and a run at its end. */
static void test_long(void)
{
    enum { LENGTH = 50000 };
    char *text = malloc(LENGTH + 1);
    for (size_t i = 0; i < LENGTH; i++)
        text[i] = i % 97 == 0 ? '\n' : i % 89 == 0 ? '"' : (char)('a' + i % 26);
    text[LENGTH] = '\0';
    vind_hit_t hit = {.snippet = text, .description = text + LENGTH - 300, .rank = 1};
    same_as_jansson(&hit, "a 50 kB snippet with escapes all through it");
    free(text);
}

/* 1 when hit is written as reference() writes it, else 0 and both printed
 * (for loops over many strings: no check of their own). */
static int written_as_reference(const vind_hit_t *hit)
{
    char *ours = vind_hit_to_json(hit), *theirs = reference(hit);
    int same = ours && theirs && strcmp(ours, theirs) == 0;
    if (!same)
        printf("# differs: %s\n#  ours:    %s\n", theirs ? theirs : "?", ours ? ours : "(null)");
    free(ours), free(theirs);
    return same;
}

/* Issue 12: the writer tests 16 bytes at a time for a byte to escape and
 * for a byte past ASCII, and the last 4 to 15 as two overlapping words:
 * one at every place of strings of every length up to 40, and bytes around the ones it looks for ('!' and '#' around '"',
 * 0x1F and ' ', '[' and ']' around the backslash), bytes that are not
 * UTF-8 (a lone continuation, 0xFF, a lead without its continuation) and
 * a two-byte character ("ë", the last special), are written as jansson
 * writes them (a string that is not UTF-8 as null). */
static void test_every_place(void)
{
    static const char specials[] = {'"', '\\', '\n', '\x01', '\x1f', ' ',    '!',
                                    '#', '[',  ']',  '\x80', '\xff', '\xc3', '\xab'};
    int all = 1;
    char text[48];
    for (size_t length = 1; length <= 40; length++)
        for (size_t at = 0; at < length; at++)
            for (size_t s = 0; s < sizeof specials; s++) {
                memset(text, 'a', length);
                memcpy(text, "\xc3\xab", length >= 2 ? 2 : 0);
                text[at] = specials[s];
                if (specials[s] == '\xab' && at > 0)
                    text[at - 1] = '\xc3'; /* "ë" ending at this place */
                text[length] = '\0';
                vind_hit_t hit = {.title = text};
                all &= written_as_reference(&hit);
            }
    CHECK(all, "a byte to escape at every place of strings up to 40 bytes");
}

/* Issue 12: two- and three-byte characters are checked by the writer
 * itself, the others by GLib: every first byte past ASCII with every
 * second byte that needs no escape and third bytes around the edges of
 * the continuations, between ASCII letters, is written as is exactly when
 * jansson takes it as UTF-8, else null. */
static void test_characters(void)
{
    static const unsigned char thirds[] = {'a', 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xff};
    size_t wrong = 0, valid = 0;
    for (unsigned first = 0x80; first <= 0xff; first++)
        for (unsigned second = 0x20; second <= 0xff; second++)
            for (size_t t = 0; t < sizeof thirds; t++) {
                if (second == '"' || second == '\\')
                    continue;
                char text[8] = {'a', 'b', (char)first, (char)second, (char)thirds[t], 'c', 'd', '\0'};
                char expected[64];
                json_t *string = json_string(text);
                char *escaped = escape_unsafe(strdup(text));
                snprintf(expected, sizeof expected, string ? "\"title\":\"%s\"," : "\"title\":null,",
                         escaped ? escaped : "?");
                free(escaped);
                valid += string != NULL;
                json_decref(string);
                vind_hit_t hit = {.title = text};
                char *ours = vind_hit_to_json(&hit);
                if (!ours || !strstr(ours, expected)) {
                    if (wrong++ < 5)
                        printf("# %02x %02x %02x: %s\n", first, second, thirds[t],
                               ours ? ours : "(null)");
                }
                free(ours);
            }
    printf("# %zu of the sequences are UTF-8\n", valid);
    CHECK(wrong == 0 && valid > 0, "characters past ASCII written as is exactly when UTF-8");
}

/* Session 17: C1 controls (U+0080-009F: U+0085 NEL, U+009B CSI) and
 * U+2028/2029 are written as \u escapes, as the command line's JSON writes
 * them (a `curl` of an answer into a terminal must not pass on a CSI, nor a
 * line of JSONL split for str.splitlines); their neighbours (U+00A0,
 * U+2027, U+202A, the "…" U+2026) as they are. Each at every place of
 * strings up to 40 bytes (the block test, the overlapping tail words), and
 * once spelt out. */
static void test_unsafe_characters(void)
{
    static const char *const characters[] = {"\xc2\x80",     "\xc2\x85",     "\xc2\x9b",
                                             "\xc2\x9f",     "\xc2\xa0",     "\xe2\x80\xa6",
                                             "\xe2\x80\xa7", "\xe2\x80\xa8", "\xe2\x80\xa9",
                                             "\xe2\x80\xaa"};
    int all = 1;
    char text[48];
    for (size_t length = 3; length <= 40; length++)
        for (size_t c = 0; c < sizeof characters / sizeof characters[0]; c++) {
            size_t width = strlen(characters[c]);
            for (size_t at = 0; at + width <= length; at++) {
                memset(text, 'a', length);
                memcpy(text + at, characters[c], width);
                text[length] = '\0';
                vind_hit_t hit = {.title = text, .tags = (const char *[]){text}, .n_tags = 1};
                all &= written_as_reference(&hit);
            }
        }
    CHECK(all, "C1 controls and U+2028/2029 escaped at every place of strings up to 40 bytes");
    vind_hit_t hit = {.title = "a\xc2\x9b" "1m\xc2\x85" "b\xe2\x80\xa8" "c\xe2\x80\xa9" "d\xc2\xa0" "e"};
    char *ours = vind_hit_to_json(&hit);
    printf("# %s\n", ours ? ours : "(null)");
    CHECK(ours && strstr(ours, "\"title\":\"a\\u009b1m\\u0085b\\u2028c\\u2029d\xc2\xa0" "e\""),
          "CSI, NEL, U+2028, U+2029 as \\u009b \\u0085 \\u2028 \\u2029; U+00A0 as it is");
    free(ours);
}

/* vind_json_escape_controls (for what jansson writes: /api/suggest,
 * /api/related, /api/doc) escapes the same characters as the writer, leaves
 * their neighbours, a lone C2 or E2 at the end and the rest as they are. */
static void test_escape_controls(void)
{
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"{\"t\":\"a\xc2\x9b" "b\xc2\x85\xe2\x80\xa8\xe2\x80\xa9\xc2\xa0\xe2\x80\xa6\"}",
         "{\"t\":\"a\\u009bb\\u0085\\u2028\\u2029\xc2\xa0\xe2\x80\xa6\"}"},
        {"[\"\xc2\x80\xc2\x9f\xc2\xa0\xe2\x80\xa7\xe2\x80\xaa\"]",
         "[\"\\u0080\\u009f\xc2\xa0\xe2\x80\xa7\xe2\x80\xaa\"]"},
        {"[\"nothing\"]", "[\"nothing\"]"},
        {"\xe2\x80", "\xe2\x80"},
        {"\xc2", "\xc2"},
        {"", ""},
    };
    int all = 1;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *out = vind_json_escape_controls(strdup(cases[i].in));
        if (!out || strcmp(out, cases[i].out) != 0) {
            printf("# case %zu: %s\n", i, out ? out : "(null)");
            all = 0;
        }
        free(out);
    }
    CHECK(all, "vind_json_escape_controls: C1 and U+2028/2029 as \\u escapes, the rest as is");
    CHECK(vind_json_escape_controls(NULL) == NULL, "vind_json_escape_controls(NULL): NULL");
}

static void test_reals(void)
{
    static const double values[] = {0.0,
                                    1.0,
                                    -1.0,
                                    0.1,
                                    1.5,
                                    2.0 / 3.0,
                                    1e-7,
                                    1.5e-300,
                                    1e20,
                                    1e22,
                                    123456789012345678.0,
                                    3.0e100,
                                    -0.0,
                                    4.9406564584124654e-324,
                                    1.7976931348623157e308};
    int all = 1;
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        vind_hit_t hit = {.score = values[i]};
        char what[64];
        snprintf(what, sizeof what, "score %.17g as jansson writes it", values[i]);
        all &= same_as_jansson(&hit, what);
    }
    CHECK(all, "every real as jansson writes it");
    vind_hit_t nan_hit = {.score = NAN};
    char *text = vind_hit_to_json(&nan_hit);
    CHECK(text && strstr(text, "\"score\":null"), "a score that is not a number is null");
    free(text);
}

/* Session 11: a real from 1e-3 to 1e15 (a score) is converted by hand, 17
 * digits from 128-bit integers, no longer by snprintf: over 100,000 values
 * of every exponent in and around that range (random 53-bit mantissas, a
 * fixed seed), and the values at its edges and where the 17th digit rounds
 * up to a new power of ten, each written as jansson writes it. */
static void test_many_reals(void)
{
    static const double edges[] = {1e-3,
                                   0.00099999999999999999,
                                   0.0010000000000000002,
                                   1e15,
                                   999999999999999.9,
                                   999999999999999.88,
                                   99999999999999.992,
                                   9.9999999999999995,
                                   9.99999999999999999,
                                   0.099999999999999992,
                                   0.5,
                                   0.25,
                                   1.0 / 3.0,
                                   76.407,
                                   17.025679086783175,
                                   1.260065661050944,
                                   123456789012345.67,
                                   -2.5,
                                   -0.0015,
                                   4503599627370495.5,
                                   1e-4,
                                   1e16};
    int all = 1;
    for (size_t i = 0; i < sizeof edges / sizeof edges[0] && all; i++) {
        vind_hit_t hit = {.score = edges[i]};
        all &= same_as_jansson(&hit, "a real at an edge of the range as jansson writes it");
    }
    uint64_t state = 0x9e3779b97f4a7c15u;
    size_t differ = 0;
    for (int i = 0; i < 100000; i++) {
        state ^= state << 13, state ^= state >> 7, state ^= state << 17; /* xorshift64 */
        double mantissa =
            (double)((state >> 11) | (1ull << 52)) / 9007199254740992.0; /* [0.5, 1) */
        int exponent = (int)(state % 70) - 15; /* 2^-15 .. 2^54: 3e-5 .. 1.8e16 */
        vind_hit_t hit = {.score = ldexp(mantissa, exponent) * (i % 7 == 0 ? -1 : 1)};
        char *ours = vind_hit_to_json(&hit), *theirs = reference(&hit);
        if (!ours || !theirs || strcmp(ours, theirs) != 0) {
            if (differ++ < 3)
                printf("# differs: %.17g\n#  ours:    %s\n#  jansson: %s\n", hit.score,
                       ours ? ours : "(null)", theirs ? theirs : "(null)");
        }
        free(ours), free(theirs);
    }
    CHECK(all && differ == 0,
          "100,000 random reals of every exponent around 1e-3..1e15 as jansson writes them");
}

static void test_results_null(void)
{
    CHECK(vind_results_to_json(NULL) == NULL, "no results: NULL");
    CHECK(vind_hit_to_json(NULL) == NULL, "no hit: NULL");
}

/* A facet's values, written in one piece each (lib/json.c, facet_value),
 * are what jansson writes of {"value","count","selected"}: escapes, a
 * value that is not UTF-8 or missing as null, counts past 2^32, the
 * selected one true; the other facets empty lists. */
static void test_facets(void)
{
    static const char *const texts[] = {"zorg", "a \"quoted\" \\ tab\t", "caf\xc3\xa9",
                                        "bad \xff utf-8", NULL, ""};
    size_t n = sizeof texts / sizeof texts[0];
    vind_search_request_t req;
    vind_search_request_init(&req);
    vind_results_t *results = vind_results_new(&req);
    vind_facet_value_t *values = calloc(n, sizeof *values);
    json_t *facets = json_object(), *list = json_array();
    for (size_t i = 0; results && values && i < n; i++) {
        char *copy = texts[i] ? strdup(texts[i]) : NULL;
        if (copy) /* a value outside a counted block: the results own it */
            g_ptr_array_add(results->owned, copy);
        values[i].value = copy;
        values[i].count = i == 2 ? 5000000000u : (uint64_t)(i * 7);
        values[i].selected = i == 1;
        json_t *o = json_object();
        json_object_set_new(o, "value", string_or_null(texts[i]));
        json_object_set_new(o, "count", json_integer((json_int_t)values[i].count));
        json_object_set_new(o, "selected", json_boolean(values[i].selected));
        json_array_append_new(list, o);
    }
    for (int f = 0; f < VIND_FACET_LAST; f++)
        json_object_set_new(facets, vind_facet_name((vind_facet_t)f),
                            f == VIND_FACET_TAG ? json_incref(list) : json_array());
    if (results && values)
        vind_results_set_facet(results, VIND_FACET_TAG, values, n, NULL);
    char *ours = vind_results_to_json(results);
    char *theirs = escape_unsafe(json_dumps(facets, JSON_COMPACT | JSON_PRESERVE_ORDER));
    char *expected = theirs ? malloc(strlen(theirs) + 16) : NULL;
    if (expected)
        sprintf(expected, "\"facets\":%s}", theirs);
    const char *found = ours && expected ? strstr(ours, "\"facets\":") : NULL;
    printf("# ours:    %s\n# jansson: %s\n", found ? found : "(none)", expected ? expected : "");
    CHECK(found && strcmp(found, expected) == 0,
          "facet values as jansson writes them (escapes, not UTF-8 or missing: null, selected)");
    free(ours), free(theirs), free(expected);
    json_decref(list), json_decref(facets);
    vind_results_free(results);
}

int main(void)
{
    test_strings();
    test_long();
    test_every_place();
    test_characters();
    test_unsafe_characters();
    test_escape_controls();
    test_reals();
    test_many_reals();
    test_results_null();
    test_facets();
    return check_done();
}
