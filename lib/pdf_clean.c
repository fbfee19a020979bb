/*
 * pdf_clean.c - turns poppler's raw page texts into text worth indexing:
 * running headers and footers dropped, words hyphenated at line ends
 * joined, ligatures and symbol-font bullets mapped to plain characters.
 *
 * Measured on /work/shared/corpus/pdf against manifest.json (see the report
 * in tests/unit/test_extract_pdf.c and the extractor brief).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include <vind/extract.h>
#include "error.h"

/* Running headers and footers sit in the first or last lines poppler gives
 * for a page; a line repeated in the middle ("• Geen problemen aangetroffen"
 * in the Firm Ground audits) is content and stays. */
#define EDGE_LINES 4

/* ---- characters ------------------------------------------------------- */

/* Ligature code points (U+FB00-U+FB06) as letters: "ﬁ" in Bijlage I. */
static const char *ligature_letters(gunichar c)
{
    switch (c) {
    case 0xFB00:
        return "ff";
    case 0xFB01:
        return "fi";
    case 0xFB02:
        return "fl";
    case 0xFB03:
        return "ffi";
    case 0xFB04:
        return "ffl";
    case 0xFB05:
        return "st";
    case 0xFB06:
        return "st";
    default:
        return NULL;
    }
}

/* Symbol-font bullets (U+F0B7 in Bijlagen A and B, U+F0A7, U+F0D8, U+F076)
 * become "•"; other private-use glyphs (icons U+E01B in the OpenVWS reports)
 * carry no text and become a space. */
static GString *normalise_characters(const char *text)
{
    GString *out = g_string_sized_new(strlen(text) + 16);
    for (const char *p = text; *p != '\0'; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        const char *letters = ligature_letters(c);
        if (letters != NULL)
            g_string_append(out, letters);
        else if (c == 0xF0B7 || c == 0xF0A7 || c == 0xF0D8 || c == 0xF076 || c == 0xF0FC)
            g_string_append(out, "\xE2\x80\xA2");
        else if ((c >= 0xE000 && c <= 0xF8FF) || c == 0xFFFD)
            g_string_append_c(out, ' ');
        else if (c == '\r' || c == '\f' || c == '\v')
            g_string_append_c(out, '\n');
        else if (c < 0x20 && c != '\n' && c != '\t')
            g_string_append_c(out, ' ');
        else
            g_string_append_unichar(out, c);
    }
    return out;
}

/* ---- repeated lines ---------------------------------------------------- */

/* The line with digits folded to '#' and whitespace collapsed, so that
 * "Pagina 3 van 93" and "Pagina 4 van 93" share one key. */
static char *line_key(const char *line)
{
    GString *key = g_string_new(NULL);
    int space = 0;
    for (const char *p = line; *p != '\0'; p++) {
        unsigned char c = (unsigned char)*p;
        if (isspace(c)) {
            space = key->len > 0;
            continue;
        }
        if (space)
            g_string_append_c(key, ' ');
        space = 0;
        if (isdigit(c)) {
            if (key->len == 0 || key->str[key->len - 1] != '#')
                g_string_append_c(key, '#');
        } else {
            g_string_append_c(key, (char)c);
        }
    }
    return g_string_free(key, FALSE);
}

/* Page numbers however written: "12", "3 / 15", "3/15", "- 4 -", "-4-",
 * "Pagina 3 van 93", "Page 2 of 5", "p. 7". */
static int is_page_number(const char *key)
{
    static const char *const forms[] = {
        "#",      "# / #",       "#/#",  "- # -",  "-#-",     "pagina #",   "pagina # van #",
        "page #", "page # of #", "p. #", "blz. #", "# van #", "pagina #/#", NULL};
    char *lower = g_ascii_strdown(key, -1);
    int found = 0;
    for (size_t i = 0; forms[i] != NULL && !found; i++)
        found = strcmp(lower, forms[i]) == 0;
    g_free(lower);
    return found;
}

/* Whether a line at the edges of count pages out of n_pages is a running
 * header or footer: on half the pages of a long document, on every page of
 * a short one ("Antwoord 1" on 2 of the 3 pages of a Kamervraag is content). */
static int is_running_count(size_t count, size_t n_pages)
{
    if (n_pages < 3 || count < 2)
        return 0;
    if (n_pages < 6)
        return count == n_pages;
    return count * 2 >= n_pages;
}

static size_t count_letters(const char *text)
{
    size_t letters = 0;
    for (const char *p = text; *p != '\0'; p = g_utf8_next_char(p))
        letters += g_unichar_isalpha(g_utf8_get_char(p)) != 0;
    return letters;
}

typedef struct {
    char **lines; /* g_strsplit result, owned */
    size_t n_lines;
    size_t *edge; /* indexes of the first/last EDGE_LINES non-empty lines */
    size_t n_edge;
} page_lines_t;

static void find_edges(page_lines_t *page)
{
    page->edge = g_new(size_t, 2 * EDGE_LINES);
    page->n_edge = 0;
    size_t seen = 0;
    for (size_t i = 0; i < page->n_lines && seen < EDGE_LINES; i++)
        if (*page->lines[i] != '\0')
            page->edge[page->n_edge++] = i, seen++;
    size_t first_count = page->n_edge;
    seen = 0;
    for (size_t i = page->n_lines; i-- > 0 && seen < EDGE_LINES;) {
        if (*page->lines[i] == '\0')
            continue;
        seen++;
        int already = 0;
        for (size_t k = 0; k < first_count; k++)
            already |= page->edge[k] == i;
        if (!already)
            page->edge[page->n_edge++] = i;
    }
}

/* Drops edge lines whose key is on at least half of the pages (at least 3
 * pages), and page numbers at the edges of any multi-page document. */
static void drop_repeated_lines(page_lines_t *pages, size_t n_pages)
{
    GHashTable *counts = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    /* blank pages (scans, separators) neither carry nor break a header */
    size_t text_pages = 0;
    for (size_t p = 0; p < n_pages; p++)
        text_pages += pages[p].n_edge > 0;
    for (size_t p = 0; p < n_pages; p++) {
        GHashTable *seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
        for (size_t e = 0; e < pages[p].n_edge; e++) {
            char *key = line_key(pages[p].lines[pages[p].edge[e]]);
            if (*key == '\0' || g_hash_table_contains(seen, key)) {
                g_free(key);
                continue;
            }
            g_hash_table_add(seen, key);
            size_t count = GPOINTER_TO_SIZE(g_hash_table_lookup(counts, key));
            /* an existing key is kept and the new copy freed by the table */
            g_hash_table_insert(counts, g_strdup(key), GSIZE_TO_POINTER(count + 1));
        }
        g_hash_table_destroy(seen);
    }
    for (size_t p = 0; p < n_pages; p++) {
        for (size_t e = 0; e < pages[p].n_edge; e++) {
            char *line = pages[p].lines[pages[p].edge[e]];
            char *key = line_key(line);
            size_t count = GPOINTER_TO_SIZE(g_hash_table_lookup(counts, key));
            int repeated = is_running_count(count, text_pages);
            if (repeated || (n_pages >= 2 && is_page_number(key)))
                *line = '\0';
            g_free(key);
        }
        /* "- 2 -" and "Pagina 3 van 15" are page numbers wherever poppler puts
         * them (mid-page in the two-column CO-melder manual); a bare "12" is
         * only one at an edge, elsewhere it is a table cell. */
        /* A running header found at the edges also goes where poppler put it
         * mid-page ("© Secura BV," at line 22 of 58 on page 8 of Bijlage J);
         * only keys with words: a running "#" stays a table cell mid-page. */
        for (size_t i = 0; n_pages >= 2 && i < pages[p].n_lines; i++) {
            if (*pages[p].lines[i] == '\0')
                continue;
            char *key = line_key(pages[p].lines[i]);
            size_t count = GPOINTER_TO_SIZE(g_hash_table_lookup(counts, key));
            int running = is_running_count(count, text_pages) && count_letters(key) >= 3;
            if (running || (strcmp(key, "#") != 0 && strcmp(key, "#/#") != 0 &&
                            strcmp(key, "# / #") != 0 && is_page_number(key)))
                *pages[p].lines[i] = '\0';
            g_free(key);
        }
    }
    g_hash_table_destroy(counts);
}

/* ---- hyphenation ------------------------------------------------------- */

/* Words after which a line-end hyphen is a real elision: "bron- en
 * contactonderzoek", "land- of tuinbouw", "voor- tot nazorg". */
static int is_elision_word(const char *word, size_t len)
{
    static const char *const words[] = {"en",  "of",  "tot", "t/m", "noch",  "dan",
                                        "als", "and", "or",  "to",  "en/of", NULL};
    for (size_t i = 0; words[i] != NULL; i++)
        if (strlen(words[i]) == len && strncmp(words[i], word, len) == 0)
            return 1;
    return 0;
}

typedef enum { KEEP, JOIN_DROP_HYPHEN, JOIN_KEEP_HYPHEN } hyphen_rule_t;

/* "POB-" + "vergunning" (Bijlage K), "GGD-" + "test": an acronym keeps its
 * hyphen ("POB-vergunning"), where "kwaliteits-" + "gelden" loses it. */
static int ends_in_acronym(const char *line, const char *last)
{
    const char *previous = g_utf8_find_prev_char(line, last);
    return previous != NULL && g_unichar_isupper(g_utf8_get_char(last)) &&
           g_unichar_isupper(g_utf8_get_char(previous));
}

/*
 * What to do with a line ending in a hyphen, given the next line:
 * "onder-" + "zoekt" -> "onderzoekt" (lower case follows); "Corona-" +
 * "Melder" and "COVID-" + "19" -> one word that keeps its hyphen;
 * "bron-" + "en contactonderzoek" -> unchanged. A soft hyphen always joins.
 */
static hyphen_rule_t hyphen_rule(const char *line, const char *next, size_t *hyphen_bytes)
{
    size_t len = strlen(line);
    if (len >= 2 && (unsigned char)line[len - 2] == 0xC2 && (unsigned char)line[len - 1] == 0xAD) {
        *hyphen_bytes = 2;
        return JOIN_DROP_HYPHEN;
    }
    if (len < 3 || line[len - 1] != '-')
        return KEEP;
    *hyphen_bytes = 1;
    /* the character before the hyphen must be a letter: not "- item", "1999-" */
    const char *before = g_utf8_find_prev_char(line, line + len - 1);
    if (before == NULL || before == line || !g_unichar_isalnum(g_utf8_get_char(before)))
        return KEEP; /* "- item", a one-character line */
    gunichar first = g_utf8_get_char(next);
    size_t word_len = strcspn(next, " \t,.;:");
    if (!g_unichar_isalnum(first) || is_elision_word(next, word_len))
        return KEEP;
    /* "COVID-19-" + "pandemie", "HTML5-" + "technologie": a numeral keeps
     * its hyphen in Dutch compounds */
    if (g_unichar_isdigit(g_utf8_get_char(before)) || g_unichar_isupper(first) ||
        g_unichar_isdigit(first) || ends_in_acronym(line, before))
        return JOIN_KEEP_HYPHEN;
    if (!g_unichar_islower(first))
        return KEEP;
    return JOIN_DROP_HYPHEN;
}

/* Joins hyphenated line ends within one page's remaining lines. */
static GString *join_lines(page_lines_t *page)
{
    GString *out = g_string_new(NULL);
    GString *current = NULL;
    for (size_t i = 0; i < page->n_lines; i++) {
        char *line = page->lines[i];
        if (*line == '\0')
            continue;
        if (current == NULL) {
            current = g_string_new(line);
            continue;
        }
        size_t hyphen_bytes = 0;
        hyphen_rule_t rule = hyphen_rule(current->str, line, &hyphen_bytes);
        if (rule == JOIN_DROP_HYPHEN) {
            g_string_truncate(current, current->len - hyphen_bytes);
            g_string_append(current, line);
            continue;
        }
        if (rule == JOIN_KEEP_HYPHEN) {
            g_string_append(current, line);
            continue;
        }
        if (out->len > 0)
            g_string_append_c(out, '\n');
        g_string_append_len(out, current->str, current->len);
        g_string_assign(current, line);
    }
    if (current != NULL) {
        if (out->len > 0)
            g_string_append_c(out, '\n');
        g_string_append_len(out, current->str, current->len);
        g_string_free(current, TRUE);
    }
    return out;
}

/* ---- entry point -------------------------------------------------------- */

vind_status_t vind_pdf_clean_pages(char **pages, size_t n_pages, char **errmsg)
{
    if (pages == NULL && n_pages > 0)
        return vind_error(errmsg, VIND_INVALID_ARGUMENT, "vind_pdf_clean_pages: pages is NULL");
    for (size_t p = 0; p < n_pages; p++)
        if (pages[p] == NULL || !g_utf8_validate(pages[p], -1, NULL))
            return vind_error(errmsg, VIND_BAD_UTF8, "page %zu of the PDF text is not valid UTF-8",
                              p + 1);
    page_lines_t *split = g_new0(page_lines_t, n_pages > 0 ? n_pages : 1);
    for (size_t p = 0; p < n_pages; p++) {
        GString *normal = normalise_characters(pages[p]);
        split[p].lines = g_strsplit(normal->str, "\n", -1);
        split[p].n_lines = g_strv_length(split[p].lines);
        g_string_free(normal, TRUE);
        for (size_t i = 0; i < split[p].n_lines; i++)
            g_strstrip(split[p].lines[i]);
        find_edges(&split[p]);
    }
    drop_repeated_lines(split, n_pages);
    vind_status_t status = VIND_OK;
    for (size_t p = 0; p < n_pages; p++) {
        GString *joined = join_lines(&split[p]);
        char *copy = strdup(joined->str);
        g_string_free(joined, TRUE);
        if (copy == NULL) {
            status = VIND_NOMEM;
        } else {
            free(pages[p]);
            pages[p] = copy;
        }
        g_strfreev(split[p].lines);
        g_free(split[p].edge);
    }
    g_free(split);
    if (status != VIND_OK)
        return vind_error(errmsg, status, "cleaning PDF text: out of memory");
    return VIND_OK;
}
