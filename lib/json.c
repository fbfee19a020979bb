/*
 * json.c - search results as JSON, the one shape shared by `vind search
 * --format json`, JSONL hits and GET /api/search. Field names and types
 * are documented in docs/api.md; change both together. Absent values are
 * null, never missing keys, so clients need no existence checks.
 *
 * Why yajl's generator and not jansson (which vind uses everywhere else,
 * for trees it reads and edits): this is the hot path of /api/search, and
 * jansson first builds a tree of the answer (~500 nodes: ten hits and ~90
 * facet values, each a small hash table), then dumps it one code point at a
 * time and frees it: 1.17 M instructions an answer, a third of a whole
 * search's (callgrind, bench/search-cost, 200 bench queries). yajl writes
 * the same bytes as the answer is walked, with no tree: 0.39 M. The
 * output is byte for byte jansson's JSON_COMPACT (tests/unit/test_json.c
 * compares the two on every kind of value): the same escapes, integers
 * with %lld, reals as jansson 2.14 prints them.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <yajl/yajl_gen.h>

#include "results.h"

/* The text being written: a malloc'd buffer the caller frees with free(). */
typedef struct {
    char *bytes;
    size_t length, capacity;
    int failed; /* out of memory, or a generator error: the answer is NULL */
} output_t;

/* yajl's print callback: appends len bytes, doubling the buffer. */
static void append(void *context, const char *text, size_t len)
{
    output_t *out = context;
    if (out->failed)
        return;
    if (out->length + len + 1 > out->capacity) {
        size_t capacity = out->capacity ? out->capacity : 4096;
        while (capacity < out->length + len + 1)
            capacity *= 2;
        char *grown = realloc(out->bytes, capacity);
        if (!grown) {
            out->failed = 1;
            return;
        }
        out->bytes = grown;
        out->capacity = capacity;
    }
    memcpy(out->bytes + out->length, text, len);
    out->length += len;
}

typedef struct {
    yajl_gen gen;
    output_t out;
} writer_t;

static int writer_open(writer_t *w)
{
    w->out = (output_t){0};
    w->gen = yajl_gen_alloc(NULL);
    if (!w->gen)
        return 0;
    yajl_gen_config(w->gen, yajl_gen_print_callback, append, &w->out);
    return 1;
}

/* The text written, NUL-terminated; NULL (and nothing kept) when any step failed. */
static char *writer_close(writer_t *w)
{
    yajl_gen_free(w->gen);
    append(&w->out, "", 0);
    if (w->out.failed || !w->out.bytes) {
        free(w->out.bytes);
        return NULL;
    }
    w->out.bytes[w->out.length] = '\0';
    return w->out.bytes;
}

static void check(writer_t *w, yajl_gen_status status)
{
    if (status != yajl_gen_status_ok)
        w->out.failed = 1;
}

static void key(writer_t *w, const char *name)
{
    check(w, yajl_gen_string(w->gen, (const unsigned char *)name, strlen(name)));
}

/* Whether value is a string jansson would take: valid UTF-8 (GLib checks
 * the same: no overlong forms, surrogates or code points past U+10FFFF). */
static int is_text(const char *value)
{
    return value && g_utf8_validate(value, -1, NULL);
}

/* A string known to be text (is_text). */
static void text(writer_t *w, const char *value)
{
    check(w, yajl_gen_string(w->gen, (const unsigned char *)value, strlen(value)));
}

/* A string or null; text that is not UTF-8 is null rather than a broken document. */
static void string_or_null(writer_t *w, const char *value)
{
    if (is_text(value))
        text(w, value);
    else
        check(w, yajl_gen_null(w->gen));
}

static void integer(writer_t *w, int64_t value)
{
    check(w, yajl_gen_integer(w->gen, (long long)value));
}

static void boolean(writer_t *w, int value)
{
    check(w, yajl_gen_bool(w->gen, value != 0));
}

/* A real as jansson 2.14 prints it: %.17g, ".0" added to a number without
 * a dot or exponent, the exponent without '+' or leading zeros. */
static void real(writer_t *w, double value)
{
    if (!isfinite(value)) {
        check(w, yajl_gen_null(w->gen));
        return;
    }
    char text[40];
    int length = snprintf(text, sizeof text - 3, "%.17g", value);
    if (length < 0 || (size_t)length >= sizeof text - 3) {
        w->out.failed = 1;
        return;
    }
    if (!strchr(text, '.') && !strchr(text, 'e')) {
        memcpy(text + length, ".0", 3);
        length += 2;
    }
    char *exponent = strchr(text, 'e');
    if (exponent) {
        char *digits = exponent + 1, *from = digits + 1;
        if (*digits == '-')
            digits++;
        while (*from == '0')
            from++;
        if (from != digits) {
            memmove(digits, from, strlen(from) + 1);
            length = (int)strlen(text);
        }
    }
    check(w, yajl_gen_number(w->gen, text, (size_t)length));
}

/* The valid strings of values, in order (jansson's arrays skip the others). */
static void string_list(writer_t *w, const char *const *values, size_t count)
{
    check(w, yajl_gen_array_open(w->gen));
    for (size_t i = 0; i < count; i++)
        if (is_text(values[i]))
            text(w, values[i]);
    check(w, yajl_gen_array_close(w->gen));
}

static void hit_object(writer_t *w, const vind_hit_t *hit)
{
    check(w, yajl_gen_map_open(w->gen));
    key(w, "url"), string_or_null(w, hit->url);
    key(w, "title"), string_or_null(w, hit->title);
    key(w, "type"), string_or_null(w, hit->type);
    key(w, "date"), string_or_null(w, hit->date);
    key(w, "author"), string_or_null(w, hit->author);
    key(w, "description"), string_or_null(w, hit->description);
    key(w, "snippet"), string_or_null(w, hit->snippet);
    key(w, "pages");
    check(w, yajl_gen_array_open(w->gen));
    for (size_t i = 0; i < hit->n_pages; i++)
        integer(w, hit->pages[i]);
    check(w, yajl_gen_array_close(w->gen));
    if (hit->ocr) /* only then: the answers of documents with a text layer stay as they were */
        key(w, "ocr"), boolean(w, 1);
    key(w, "tags"), string_list(w, hit->tags, hit->n_tags);
    key(w, "themes"), string_list(w, hit->themes, hit->n_themes);
    key(w, "parent"), string_or_null(w, hit->parent);
    key(w, "score"), real(w, hit->score);
    key(w, "rank"), integer(w, hit->rank);
    key(w, "similar"), integer(w, hit->similar);
    key(w, "group"), string_or_null(w, hit->group);
    check(w, yajl_gen_map_close(w->gen));
}

/* The facet's first max_values values (the library sorts them by count). */
static void facet_list(writer_t *w, const vind_results_t *results, vind_facet_t facet,
                       size_t max_values)
{
    check(w, yajl_gen_array_open(w->gen));
    size_t count = vind_results_facet_count(results, facet);
    for (size_t i = 0; i < count && i < max_values; i++) {
        const vind_facet_value_t *value = vind_results_facet_get(results, facet, i);
        check(w, yajl_gen_map_open(w->gen));
        key(w, "value"), string_or_null(w, value->value);
        key(w, "count"), integer(w, (int64_t)value->count);
        key(w, "selected"), boolean(w, value->selected);
        check(w, yajl_gen_map_close(w->gen));
    }
    check(w, yajl_gen_array_close(w->gen));
}

char *vind_hit_to_json(const vind_hit_t *hit)
{
    writer_t w;
    if (!hit || !writer_open(&w))
        return NULL;
    hit_object(&w, hit);
    return writer_close(&w);
}

/* The facet lists, each cut to max_values. */
static void facet_lists(writer_t *w, const vind_results_t *results, size_t max_values)
{
    check(w, yajl_gen_map_open(w->gen));
    for (int f = 0; f < VIND_FACET_LAST; f++) {
        key(w, vind_facet_name((vind_facet_t)f));
        facet_list(w, results, (vind_facet_t)f, max_values);
    }
    check(w, yajl_gen_map_close(w->gen));
}

/* "facets_more": per facet the values left out past max_values. */
static void facets_more(writer_t *w, const vind_results_t *results, size_t max_values)
{
    check(w, yajl_gen_map_open(w->gen));
    for (int f = 0; f < VIND_FACET_LAST; f++) {
        size_t count = vind_results_facet_count(results, (vind_facet_t)f);
        key(w, vind_facet_name((vind_facet_t)f));
        integer(w, count > max_values ? (int64_t)(count - max_values) : 0);
    }
    check(w, yajl_gen_map_close(w->gen));
}

/* The totals and flags before the lists: how many, exact or not. */
static void counts(writer_t *w, const vind_results_t *results)
{
    key(w, "total"), integer(w, (int64_t)vind_results_total(results));
    /* total counts documents: near-duplicates collapsed into a hit too;
     * listed is what pages run over after collapsing. */
    key(w, "total_includes_similar"), boolean(w, 1);
    key(w, "listed"), integer(w, (int64_t)vind_results_listed(results));
    key(w, "offset"), integer(w, (int64_t)vind_results_offset(results));
    key(w, "limit"), integer(w, (int64_t)vind_results_limit(results));
    key(w, "fallback"), boolean(w, vind_results_fallback(results));
    key(w, "fallback_total"), integer(w, (int64_t)vind_results_fallback_total(results));
    key(w, "partial"), boolean(w, vind_results_partial(results));
    /* Past the count limit total + fallback_total is Xapian's estimate:
     * the bounds hold the true count ("ongeveer N"); equal to it when exact. */
    uint64_t lower = 0, upper = 0;
    vind_results_total_bounds(results, &lower, &upper);
    key(w, "total_exact"), boolean(w, vind_results_total_exact(results));
    key(w, "total_lower"), integer(w, (int64_t)lower);
    key(w, "total_upper"), integer(w, (int64_t)upper);
    key(w, "facets_exact"), boolean(w, vind_results_facets_exact(results));
}

/* The answer; with capped set, the facets cut to max_values and
 * "facets_more" after them. Hot path of /api/search: ten hits and ~90
 * facet values written in one pass (~0.4 M instructions on the corpus,
 * half of it the UTF-8 checks and escapes of ~12 kB of text). */
static char *results_json(const vind_results_t *results, int capped, size_t max_values)
{
    writer_t w;
    if (!results || !writer_open(&w))
        return NULL;
    check(&w, yajl_gen_map_open(w.gen));
    key(&w, "query"), string_or_null(&w, vind_results_query(results));
    key(&w, "understood"), string_or_null(&w, vind_results_understood(results));
    counts(&w, results);
    key(&w, "notices");
    check(&w, yajl_gen_array_open(w.gen));
    for (size_t i = 0; i < vind_results_notice_count(results); i++)
        if (is_text(vind_results_notice(results, i)))
            text(&w, vind_results_notice(results, i));
    check(&w, yajl_gen_array_close(w.gen));
    key(&w, "absent");
    check(&w, yajl_gen_array_open(w.gen));
    for (size_t i = 0; i < vind_results_absent_count(results); i++)
        string_or_null(&w, vind_results_absent(results, i));
    check(&w, yajl_gen_array_close(w.gen));
    key(&w, "suggestion"), string_or_null(&w, vind_results_suggestion(results));
    key(&w, "corrected"), boolean(&w, vind_results_corrected(results));
    key(&w, "results");
    check(&w, yajl_gen_array_open(w.gen));
    for (size_t i = 0; i < vind_results_count(results); i++)
        hit_object(&w, vind_results_get(results, i));
    check(&w, yajl_gen_array_close(w.gen));
    key(&w, "facets");
    if (vind_results_has_facets(results))
        facet_lists(&w, results, capped ? max_values : SIZE_MAX);
    else
        check(&w, yajl_gen_null(w.gen));
    if (capped && vind_results_has_facets(results))
        key(&w, "facets_more"), facets_more(&w, results, max_values);
    check(&w, yajl_gen_map_close(w.gen));
    return writer_close(&w);
}

char *vind_results_to_json(const vind_results_t *results)
{
    return results_json(results, 0, 0);
}

char *vind_results_to_json_capped(const vind_results_t *results, size_t max_values)
{
    return results_json(results, 1, max_values);
}
