/*
 * kwic.c - keyword in context for researchers: every occurrence of every
 * query word in every matching document, with the words around it. A
 * match is what the analyzer says it is (vind_match_terms_match), so
 * "bewoner" lines up "bewoners", "Bewoner" and "bewonersraad" alike, just
 * as the search itself matched them.
 */
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include <vind/limits.h>
#include "error.h"
#include "searcher.h"
#include "snippet.h"

struct vind_kwic {
    vind_kwic_line_t *lines;
    size_t count, room;
    GPtrArray *owned;
};

size_t vind_kwic_count(const vind_kwic_t *kwic)
{
    return kwic ? kwic->count : 0;
}

const vind_kwic_line_t *vind_kwic_get(const vind_kwic_t *kwic, size_t i)
{
    return kwic && i < kwic->count ? &kwic->lines[i] : NULL;
}

void vind_kwic_free(vind_kwic_t *kwic)
{
    if (!kwic)
        return;
    free(kwic->lines);
    if (kwic->owned)
        g_ptr_array_free(kwic->owned, TRUE);
    free(kwic);
}

static const char *own(vind_kwic_t *kwic, char *text)
{
    g_ptr_array_add(kwic->owned, text);
    return text;
}

/* bytes of text as one line: valid UTF-8, every run of white space one
 * space (PDF text is full of line breaks), malloc'd. */
static char *one_line(const char *text, size_t length)
{
    gchar *valid = g_utf8_make_valid(text, (gssize)length);
    GString *out = g_string_sized_new(length);
    int space = 0;
    for (const char *p = valid; *p; p++) {
        if (g_ascii_isspace(*p)) {
            space = 1;
            continue;
        }
        if (space)
            g_string_append_c(out, ' ');
        space = 0;
        g_string_append_c(out, *p);
    }
    if (space)
        g_string_append_c(out, ' ');
    g_free(valid);
    char *line = strdup(out->str);
    g_string_free(out, TRUE);
    return line;
}

/* The last width characters of line (a suffix: the left context). */
static char *keep_last(char *line, unsigned width)
{
    glong chars = g_utf8_strlen(line, -1);
    if (chars <= (glong)width)
        return line;
    char *start = g_utf8_offset_to_pointer(line, chars - (glong)width);
    char *kept = strdup(start);
    free(line);
    return kept;
}

/* The first width characters of line (the right context). */
static char *keep_first(char *line, unsigned width)
{
    glong chars = g_utf8_strlen(line, -1);
    if (chars <= (glong)width)
        return line;
    *g_utf8_offset_to_pointer(line, (glong)width) = '\0';
    return line;
}

/* A window of about 4 * width bytes before start / after end, cut at a
 * character boundary (a character is at most 4 bytes). */
static size_t window_start(const char *text, size_t start, unsigned width)
{
    size_t span = (size_t)width * 4 + 4;
    size_t from = start > span ? start - span : 0;
    while (from > 0 && from < start && ((unsigned char)text[from] & 0xC0) == 0x80)
        from++;
    return from;
}

static size_t window_end(const char *text, size_t length, size_t end, unsigned width)
{
    size_t span = (size_t)width * 4 + 4;
    size_t to = end + span < length ? end + span : length;
    while (to < length && to > end && ((unsigned char)text[to] & 0xC0) == 0x80)
        to--;
    return to;
}

/* Whether the character at p (inside text[0..length)) is a letter or digit. */
static int word_char_at(const char *text, size_t length, size_t p)
{
    gunichar c = g_utf8_get_char_validated(text + p, (gssize)(length - p));
    return c != (gunichar)-1 && c != (gunichar)-2 && g_unichar_isalnum(c);
}

/* The start of the character before p. */
static size_t previous_char(const char *text, size_t p)
{
    do
        p--;
    while (p > 0 && ((unsigned char)text[p] & 0xC0) == 0x80);
    return p;
}

/*
 * Widens [*start, *end) to the whole hyphenated word it is part of:
 * "privacy" in "privacy-by-design" is shown as "privacy-by-design", not as
 * "privacy" with a right context "-by-design". Parts are letters and digits
 * joined by single hyphens; a hyphen at a space ("privacy - en") joins nothing.
 */
static void whole_hyphenated(const char *text, size_t length, size_t *start, size_t *end)
{
    size_t e = *end;
    while (e + 1 < length && text[e] == '-' && word_char_at(text, length, e + 1)) {
        e++;
        while (e < length && word_char_at(text, length, e))
            e = (size_t)(g_utf8_next_char(text + e) - text);
    }
    size_t b = *start;
    while (b >= 2 && text[b - 1] == '-' && word_char_at(text, length, previous_char(text, b - 1))) {
        b--;
        while (b > 0 && word_char_at(text, length, previous_char(text, b)))
            b = previous_char(text, b);
    }
    *start = b;
    *end = e;
}

static vind_status_t add_line(vind_kwic_t *kwic, const char *text, size_t length, size_t start,
                              size_t end, unsigned width, const char *url, unsigned page,
                              char **errmsg)
{
    if (kwic->count == kwic->room) {
        size_t room = kwic->room ? kwic->room * 2 : 64;
        vind_kwic_line_t *lines = realloc(kwic->lines, room * sizeof *lines);
        if (!lines)
            return vind_error(errmsg, VIND_NOMEM, "out of memory making keyword-in-context lines");
        kwic->lines = lines;
        kwic->room = room;
    }
    size_t from = window_start(text, start, width);
    size_t to = window_end(text, length, end, width);
    char *left = keep_last(one_line(text + from, start - from), width);
    char *right = keep_first(one_line(text + end, to - end), width);
    char *match = one_line(text + start, end - start);
    if (!left || !right || !match) {
        free(left), free(right), free(match);
        return vind_error(errmsg, VIND_NOMEM, "out of memory making keyword-in-context lines");
    }
    kwic->lines[kwic->count++] = (vind_kwic_line_t){
        .left = own(kwic, left),
        .match = own(kwic, match),
        .right = own(kwic, right),
        .url = url,
        .page = page,
    };
    return VIND_OK;
}

/* The lines of one document (english_terms: an English document's match
 * terms, with the translations of Dutch words; may be NULL). */
static vind_status_t document_lines(vind_searcher_t *searcher, const vind_match_terms_t *terms,
                                    const vind_match_terms_t *english_terms, uint32_t docid,
                                    unsigned width, vind_kwic_t *kwic, char **errmsg)
{
    json_t *record = NULL;
    vind_status_t status = vind_searcher_stored(searcher, docid, &record, errmsg);
    if (status != VIND_OK)
        return status;
    const char *url_value = json_string_value(json_object_get(record, "url"));
    const char *url = own(kwic, strdup(url_value ? url_value : ""));
    const char *type = json_string_value(json_object_get(record, "type"));
    int is_pdf = type && strcmp(type, "pdf") == 0;
    vind_lang_t lang = vind_stored_lang(record);
    if (lang == VIND_LANG_EN && english_terms)
        terms = english_terms;
    size_t n_pages = 0;
    char **pages = NULL;
    status = vind_stored_text(searcher, docid, record, &pages, &n_pages, errmsg);
    for (size_t p = 0; status == VIND_OK && p < n_pages; p++) {
        size_t length = strlen(pages[p]);
        if (length > VIND_MAX_ANALYZE_BYTES)
            length = VIND_MAX_ANALYZE_BYTES;
        vind_tokens_t *tokens = NULL;
        status = vind_analyze(searcher->analyzer, pages[p], length, lang, &tokens, errmsg);
        size_t shown_to = 0; /* the end of the last match shown: one line per hyphenated word */
        for (size_t t = 0; status == VIND_OK && t < vind_tokens_count(tokens); t++) {
            if (kwic->count >= VIND_MAX_KWIC_LINES)
                break;
            const vind_token_t *token = vind_tokens_get(tokens, t);
            if (token->start < shown_to || !vind_match_terms_match(terms, token))
                continue;
            size_t start = token->start, end = token->end;
            whole_hyphenated(pages[p], length, &start, &end);
            shown_to = end;
            status = add_line(kwic, pages[p], length, start, end, width, url,
                              is_pdf ? (unsigned)p + 1 : 0, errmsg);
        }
        vind_tokens_free(tokens);
    }
    g_strfreev(pages);
    json_decref(record);
    return status;
}

/* What one attempt of vind_kwic works with. */
typedef struct {
    const vind_search_request_t *req;
    const vind_qnode_t *tree;
    unsigned width;
    vind_kwic_t *kwic; /* the attempt's; NULL after a failed one */
} kwic_attempt_t;

/* One attempt; VIND_INDEX_CHANGED makes vind_searcher_retry reopen and retry. */
static vind_status_t kwic_attempt(vind_searcher_t *searcher, void *data, char **errmsg)
{
    kwic_attempt_t *a = data;
    const vind_search_request_t *req = a->req;
    vind_xapian_query_t *query = NULL;
    vind_query_plan_t *plan = NULL;
    vind_status_t status =
        vind_searcher_full_query(searcher, a->tree, req, 0, -1, &query, &plan, errmsg);
    vind_match_t *matches = NULL;
    size_t n_matches = 0;
    uint64_t total = 0;
    if (status == VIND_OK)
        status = vind_searcher_run(searcher, query, req->sort, req->offset, req->limit, &matches,
                                   &n_matches, &total, errmsg);
    vind_xapian_query_free(query);
    vind_kwic_t *kwic = calloc(1, sizeof *kwic);
    if (status == VIND_OK && !kwic)
        status = vind_error(errmsg, VIND_NOMEM, "out of memory");
    if (kwic)
        kwic->owned = g_ptr_array_new_with_free_func(free);
    /* A query of filters only has no words to show in context. */
    int has_words = plan && !vind_match_terms_empty(plan->match_terms);
    for (size_t i = 0; status == VIND_OK && has_words && i < n_matches; i++) {
        if (kwic->count >= VIND_MAX_KWIC_LINES)
            break;
        status = document_lines(searcher, plan->match_terms, plan->english_match_terms,
                                matches[i].docid, a->width, kwic, errmsg);
    }
    free(matches);
    vind_query_plan_free(plan);
    if (status != VIND_OK) {
        vind_kwic_free(kwic);
        return status;
    }
    a->kwic = kwic;
    return VIND_OK;
}

vind_status_t vind_kwic(vind_searcher_t *searcher, const vind_search_request_t *req, unsigned width,
                        vind_kwic_t **out, char **errmsg)
{
    if (!out)
        return vind_error(errmsg, VIND_INVALID_ARGUMENT, "vind_kwic: out is NULL");
    *out = NULL;
    if (!searcher || !req)
        return vind_error(errmsg, VIND_INVALID_ARGUMENT, "vind_kwic: no searcher or request");
    if (width == 0)
        width = 40;
    if (width > VIND_MAX_KWIC_WIDTH)
        width = VIND_MAX_KWIC_WIDTH;
    const char *text = req->query ? req->query : "";
    vind_qnode_t *tree = NULL;
    vind_status_t status = vind_search_request_check(req, errmsg);
    if (status == VIND_OK)
        status = vind_query_parse(text, strlen(text), &tree, errmsg);
    if (status != VIND_OK)
        return status;
    kwic_attempt_t a = {.req = req, .tree = tree, .width = width};
    status = vind_searcher_retry(searcher, kwic_attempt, &a, errmsg);
    vind_qnode_free(tree);
    if (status != VIND_OK)
        return status;
    *out = a.kwic;
    return VIND_OK;
}
