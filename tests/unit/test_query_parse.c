/* test_query_parse.c - the query language's syntax: every construct, and
 * hostile input that must parse leniently or be refused with a message. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include <vind/limits.h>
#include "query_parse.h"
#include "check.h"

/* Parses q and returns its description (malloc'd), or "ERROR:<status>". */
static char *parsed(const char *q, size_t len)
{
    vind_qnode_t *tree = NULL;
    char *msg = NULL;
    vind_status_t st = vind_query_parse(q, len, &tree, &msg);
    if (st != VIND_OK) {
        char buf[64];
        snprintf(buf, sizeof buf, "ERROR:%d", (int)st);
        free(msg);
        return strdup(buf);
    }
    char *text = vind_qnode_describe(tree);
    vind_qnode_free(tree);
    return text;
}

static void check_parse(const char *q, const char *expected, const char *what)
{
    char *got = parsed(q, strlen(q));
    CHECK_STR(got, expected, what);
    free(got);
}

/* q is refused with VIND_BAD_QUERY and a message holding expected. */
static void check_refused(const char *q, const char *expected, const char *what)
{
    vind_qnode_t *tree = NULL;
    char *msg = NULL;
    vind_status_t st = vind_query_parse(q, strlen(q), &tree, &msg);
    CHECK(st == VIND_BAD_QUERY && !tree && msg && strstr(msg, expected), what);
    if (!(msg && strstr(msg, expected)))
        printf("#   got %s\n", msg ? msg : "(no message)");
    free(msg);
    vind_qnode_free(tree);
}

static void check_kind(const char *q, vind_qnode_kind_t kind, const char *what)
{
    vind_qnode_t *tree = NULL;
    CHECK(vind_query_parse(q, strlen(q), &tree, NULL) == VIND_OK && tree && tree->kind == kind,
          what);
    vind_qnode_free(tree);
}

static void test_constructs(void)
{
    check_parse("zorg", "zorg", "one word");
    check_parse("zorg wonen", "zorg AND wonen", "spaces mean AND");
    check_kind("zorg wonen", VIND_QNODE_AND, "spaces give an AND node");
    vind_qnode_t *tree = NULL;
    vind_query_parse("zorg wonen", 10, &tree, NULL);
    CHECK(tree && tree->implicit == 1, "an AND of spaces is implicit (fallback allowed)");
    vind_qnode_free(tree);
    vind_query_parse("zorg AND wonen", 14, &tree, NULL);
    CHECK(tree && tree->implicit == 0, "an explicit AND is not implicit");
    vind_qnode_free(tree);

    check_parse("\"langdurige zorg\"", "\"langdurige zorg\"", "a phrase");
    check_parse("\"de zorg voor ouderen\" wonen", "\"de zorg voor ouderen\" AND wonen",
                "a phrase keeps its stop words, then a word");
    check_parse("zorg -wonen", "zorg AND NOT wonen", "-word excludes");
    check_parse("zorg NOT wonen", "zorg AND NOT wonen", "NOT excludes");
    check_parse("zorg -\"geestelijke gezondheidszorg\"",
                "zorg AND NOT \"geestelijke gezondheidszorg\"", "-\"phrase\" excludes a phrase");
    check_parse("zorg OR welzijn", "zorg OR welzijn", "OR");
    check_parse("a b OR c", "(a AND b) OR c", "AND binds tighter than OR");
    check_parse("zorg AND (client OR klant)", "zorg AND (client OR klant)", "parentheses");
    check_parse("-(a b) c", "NOT (a AND b) AND c", "negated group");
    check_parse("zorg of welzijn", "zorg AND of AND welzijn", "lower-case 'of' is a word");
    check_parse("zorg or welzijn en wonen", "zorg AND or AND welzijn AND en AND wonen",
                "lower-case 'or' and 'en' are words");
    check_parse("verpleeg*", "verpleeg*", "prefix");
    vind_query_parse("verpleeg*", 9, &tree, NULL);
    CHECK(tree && tree->kind == VIND_QNODE_WORD && tree->prefix == 1 &&
              strcmp(tree->text, "verpleeg") == 0,
          "prefix flag and text without the star");
    vind_qnode_free(tree);
    check_parse("title:ggz", "title:ggz", "title field");
    check_parse("titel:ggz", "title:ggz", "Dutch field name titel");
    check_parse("TITLE:ggz", "title:ggz", "field names ignore case");
    check_parse("title:\"radicale vernieuwing\"", "title:\"radicale vernieuwing\"", "title phrase");
    check_kind("title:\"radicale vernieuwing\"", VIND_QNODE_PHRASE, "title phrase is a PHRASE");
    check_parse("author:jansen", "author:jansen", "author field");
    check_parse("tag:ggz", "tag:ggz", "tag filter");
    check_kind("tag:ggz", VIND_QNODE_FILTER, "tag gives a FILTER");
    check_parse("tag:\"radicale vernieuwing langdurige ggz\"",
                "tag:\"radicale vernieuwing langdurige ggz\"", "quoted tag value");
    check_parse("theme:\"Wonen en zorg\"", "theme:\"Wonen en zorg\"", "quoted theme value");
    check_parse("thema:\"Wonen en zorg\"", "theme:\"Wonen en zorg\"", "Dutch thema");
    check_parse("tag: \"Wonen en zorg\"", "tag:\"Wonen en zorg\"", "value after a space");
    check_parse("type:pdf", "type:pdf", "type filter");
    check_parse("type:pdf|article", "type:pdf|article", "type alternatives");
    vind_query_parse("type:pdf|article", 16, &tree, NULL);
    CHECK(tree && tree->kind == VIND_QNODE_FILTER && tree->n_values == 2 &&
              strcmp(tree->values[1], "article") == 0,
          "type:pdf|article has two values");
    vind_qnode_free(tree);
    check_parse("year:2021", "year:2021", "year filter");
    check_kind("year:2021", VIND_QNODE_FILTER, "year:2021 is a FILTER");
    check_parse("year:2019..2021", "year:2019..2021", "year range");
    check_kind("year:2019..2021", VIND_QNODE_RANGE, "year range is a RANGE");
    check_parse("2019..2021", "year:2019..2021", "bare range of years");
    check_parse("zorg 2019..", "zorg AND year:2019..", "open-ended range");
    check_parse("date:2019-01-01..2020-06-30", "date:2019-01-01..2020-06-30", "date range");
    check_parse("date:2019", "date:2019", "a date of one year");
    /* A value a field cannot take is refused, saying what it takes (it was
     * searched as a word, or found nothing, without a word why). */
    check_refused("date:2019-13-01..2020", "has no month 13 (months are 01 to 12)",
                  "a bad month in a date range is refused");
    check_refused("date:2020-13", "date:2020-13: the date \"2020-13\" has no month 13",
                  "date:2020-13 is refused");
    check_refused("zorg date:2021-02-29", "does not exist (month 02 of 2021 has 28 days)",
                  "date:2021-02-29 does not exist");
    check_refused("date:2021-04-31", "month 04 of 2021 has 30 days", "date:2021-04-31 is refused");
    check_refused("date:gisteren", "use YYYY, YYYY-MM or YYYY-MM-DD", "date:gisteren is refused");
    check_parse("date:2020-02-29", "date:2020-02-29", "a leap day is a date");
    check_refused("year:abc", "\"abc\" is not a year (year: takes YYYY", "year:abc is refused");
    check_refused("year:20x5", "\"20x5\" is not a year", "year:20x5 is refused");
    check_refused("jaar:2021|20x5", "\"20x5\" is not a year", "a bad year among alternatives");
    check_refused("year:2019..20x1", "\"20x1\" is not a year", "a bad year in a range");
    check_refused("type:boek zorg", "unknown type \"boek\" (the types are article, pdf or page)",
                  "type:boek is refused with the valid types");
    check_refused("type:pdf|boek", "unknown type \"boek\"", "a bad type among alternatives");
    check_parse("type:PDF", "type:PDF", "a type in capitals is a type");
    check_parse("zorg NEAR wonen", "zorg NEAR wonen", "NEAR");
    check_parse("zorg NEAR/3 wonen", "zorg NEAR/3 wonen", "NEAR/n");
    check_kind("zorg NEAR wonen", VIND_QNODE_NEAR, "NEAR node");
    check_parse("zorg NEAR \"langdurige zorg\" NEAR ggz", "zorg NEAR \"langdurige zorg\" NEAR ggz",
                "NEAR chain with a phrase");
    check_parse("(a OR b) NEAR c", "(a OR b) AND c", "NEAR of a group falls back to AND");
    check_parse("http://example.nl/zorg", "http://example.nl/zorg", "unknown field: a word");
    check_parse("10:30", "10:30", "a time is a word");
    check_parse("„zorg thuis”", "\"zorg thuis\"", "typographic quotes make a phrase");
    check_parse("tag:ggz zorg -type:pdf", "tag:ggz AND zorg AND NOT type:pdf", "mixed filters");
    check_parse("+zorg", "zorg", "+word is a plain word");
}

static void test_lenient(void)
{
    check_parse("", "", "empty query: no tree");
    check_parse("   ", "", "only spaces");
    check_parse("\"unclosed phrase", "\"unclosed phrase\"", "an unclosed quote runs to the end");
    check_parse("\"", "", "a lone quote");
    check_parse("\"\"", "", "an empty phrase");
    check_parse("zorg (wonen", "zorg AND wonen", "an unclosed parenthesis");
    check_parse("zorg) wonen", "zorg AND wonen", "a stray closing parenthesis");
    check_parse("()", "", "empty parentheses");
    check_parse(")))(((", "", "only parentheses");
    check_parse("zorg AND", "zorg", "trailing AND");
    check_parse("OR zorg", "zorg", "leading OR");
    check_parse("zorg OR", "zorg", "trailing OR");
    check_parse("zorg NOT", "zorg", "trailing NOT");
    check_parse("NOT NOT zorg", "zorg", "double negation");
    check_parse("zorg NEAR", "zorg", "trailing NEAR");
    check_parse("AND", "\"AND\"", "only an operator: searched as a word");
    check_parse("AND OR NOT", "\"AND\" AND \"OR\" AND \"NOT\"", "only operators: words");
    check_parse("-", "", "a lone minus");
    check_parse("zorg - welzijn", "zorg AND welzijn", "a spaced minus means nothing");
    check_parse("*", "", "a lone star");
    check_parse("title:", "", "a field without a value");
    check_parse("tag:|", "", "a filter of empty alternatives");
    check_parse("zorg\tthuis\nwonen", "zorg AND thuis AND wonen", "tabs and newlines separate");

    const char nul[] = "zorg\0wonen";
    char *got = parsed(nul, sizeof nul - 1);
    CHECK_STR(got, "zorg AND wonen", "a NUL byte separates words");
    free(got);

    got = parsed("zo\xffrg \xc3", 7);
    CHECK(strncmp(got, "ERROR", 5) != 0 && g_utf8_validate(got, -1, NULL),
          "invalid UTF-8 is repaired into valid text");
    CHECK(strstr(got, "\xEF\xBF\xBD") != NULL, "a bad byte becomes U+FFFD");
    free(got);

    got = parsed("\xe0\x80\xaf", 3);
    CHECK(g_utf8_validate(got, -1, NULL), "an overlong sequence is repaired");
    free(got);
}

static void test_limits(void)
{
    /* 10,000 nested parentheses: refused with a message, no stack overflow. */
    size_t n = 10000;
    char *deep = malloc(n + 5);
    memset(deep, '(', n);
    strcpy(deep + n, "zorg");
    vind_qnode_t *tree = NULL;
    char *msg = NULL;
    vind_status_t st = vind_query_parse(deep, strlen(deep), &tree, &msg);
    CHECK_INT(st, VIND_BAD_QUERY, "10,000 parentheses: VIND_BAD_QUERY");
    CHECK(msg && strlen(msg) > 10, "... with a message");
    CHECK(tree == NULL, "... and no tree");
    free(msg);

    /* Within the byte limit but deeper than allowed. */
    size_t depth = 4000;
    memset(deep, '(', depth);
    strcpy(deep + depth, "zorg");
    msg = NULL;
    st = vind_query_parse(deep, strlen(deep), &tree, &msg);
    CHECK_INT(st, VIND_BAD_QUERY, "4,000 parentheses (under the byte limit): VIND_BAD_QUERY");
    CHECK(msg && strstr(msg, "parenthes") != NULL, "... naming the parentheses");
    free(msg);

    /* Exactly at the depth limit: accepted. */
    memset(deep, '(', VIND_MAX_QUERY_DEPTH);
    strcpy(deep + VIND_MAX_QUERY_DEPTH, "zorg");
    memset(deep + VIND_MAX_QUERY_DEPTH + 4, ')', VIND_MAX_QUERY_DEPTH);
    deep[2 * VIND_MAX_QUERY_DEPTH + 4] = '\0';
    char *got = parsed(deep, strlen(deep));
    CHECK_STR(got, "zorg", "parentheses at the depth limit are accepted");
    free(got);
    free(deep);

    /* 10,000 words. */
    GString *many = g_string_new(NULL);
    for (int i = 0; i < 10000; i++)
        g_string_append(many, "zorg ");
    got = parsed(many->str, many->len);
    CHECK_STR(got, "ERROR:4", "10,000 words: VIND_BAD_QUERY (too long)");
    free(got);
    g_string_truncate(many, 0);
    for (unsigned i = 0; i < VIND_MAX_QUERY_TERMS + 1; i++)
        g_string_append(many, "a ");
    msg = NULL;
    st = vind_query_parse(many->str, many->len, &tree, &msg);
    CHECK_INT(st, VIND_BAD_QUERY, "one word over the limit: VIND_BAD_QUERY");
    CHECK(msg && strstr(msg, "too many words") != NULL, "... saying too many words");
    free(msg);
    g_string_truncate(many, 0);
    for (unsigned i = 0; i < VIND_MAX_QUERY_TERMS; i++)
        g_string_append(many, "a ");
    st = vind_query_parse(many->str, many->len, &tree, NULL);
    CHECK(st == VIND_OK && tree && tree->n_children == VIND_MAX_QUERY_TERMS,
          "words at the limit are accepted");
    vind_qnode_free(tree);
    g_string_free(many, TRUE);

    /* Hostile mixes never crash and always give valid UTF-8. */
    const char *hostile[] = {"((((\"",
                             "\"(((",
                             "NOT",
                             "-(",
                             "-\"",
                             "NEAR/999999999 x",
                             "NEAR/0 a NEAR/0 b",
                             "a NEAR/2",
                             "tag:\"",
                             "year:..",
                             "date:..2020",
                             "type:|||",
                             "**** ***",
                             "(((a OR) AND) NOT)",
                             ":::",
                             "title::"};
    int all_ok = 1;
    for (size_t i = 0; i < sizeof hostile / sizeof hostile[0]; i++) {
        got = parsed(hostile[i], strlen(hostile[i]));
        if (!got || !g_utf8_validate(got, -1, NULL) || strncmp(got, "ERROR", 5) == 0)
            all_ok = 0;
        free(got);
    }
    CHECK(all_ok, "hostile mixes parse leniently");
    check_parse("date:..2020", "date:..2020", "open-start date range");
    check_parse("-(-xx", "NOT (NOT xx)", "a negated group of a NOT keeps its parentheses");
    check_parse("NOT (NOT xx)", "NOT (NOT xx)", "... and parses back to itself");
    check_parse("a NEAR/0 b", "a NEAR/1 b", "NEAR/0 is read as NEAR/1");
}

static void test_random_bytes(void)
{
    /* A cheap fuzz: random bytes from a fixed seed never crash the parser. */
    unsigned seed = 12345;
    int all_ok = 1;
    char buf[300];
    const char alphabet[] = "ab \"()-*:|.AND OR NOT NEAR/2\xc3\xab\xff\x00tag:year:2019";
    for (int round = 0; round < 3000; round++) {
        size_t len = (size_t)(seed % sizeof buf);
        for (size_t i = 0; i < len; i++) {
            seed = seed * 1103515245u + 12345u;
            buf[i] = alphabet[(seed >> 16) % (sizeof alphabet - 1)];
        }
        seed = seed * 1103515245u + 12345u;
        char *got = parsed(buf, len);
        if (!got || !g_utf8_validate(got, -1, NULL))
            all_ok = 0;
        free(got);
    }
    CHECK(all_ok, "3,000 random queries parse to valid text");
}

int main(void)
{
    test_constructs();
    test_lenient();
    test_limits();
    test_random_bytes();
    return check_done();
}
