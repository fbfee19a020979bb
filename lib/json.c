/*
 * json.c - search results as JSON (jansson), the one shape shared by
 * `vind search --format json`, JSONL hits and GET /api/search. Field names
 * and types are documented in docs/api.md; change both together. Absent
 * values are null, never missing keys, so clients need no existence checks.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "results.h"

/* A string or null; text that is not UTF-8 is null rather than a broken document. */
static json_t *string_or_null(const char *value)
{
    json_t *string = value ? json_string(value) : NULL;
    return string ? string : json_null();
}

static json_t *string_list(const char *const *values, size_t count)
{
    json_t *array = json_array();
    for (size_t i = 0; array && i < count; i++) {
        json_t *value = values[i] ? json_string(values[i]) : NULL;
        if (value)
            json_array_append_new(array, value);
    }
    return array;
}

static json_t *hit_object(const vind_hit_t *hit)
{
    json_t *object = json_object();
    if (!object)
        return NULL;
    json_t *pages = json_array();
    for (size_t i = 0; pages && i < hit->n_pages; i++)
        json_array_append_new(pages, json_integer(hit->pages[i]));
    int failed = 0;
    failed |= json_object_set_new(object, "url", string_or_null(hit->url));
    failed |= json_object_set_new(object, "title", string_or_null(hit->title));
    failed |= json_object_set_new(object, "type", string_or_null(hit->type));
    failed |= json_object_set_new(object, "date", string_or_null(hit->date));
    failed |= json_object_set_new(object, "author", string_or_null(hit->author));
    failed |= json_object_set_new(object, "description", string_or_null(hit->description));
    failed |= json_object_set_new(object, "snippet", string_or_null(hit->snippet));
    failed |= json_object_set_new(object, "pages", pages);
    if (hit->ocr) /* only then: the answers of documents with a text layer stay as they were */
        failed |= json_object_set_new(object, "ocr", json_true());
    failed |= json_object_set_new(object, "tags", string_list(hit->tags, hit->n_tags));
    failed |= json_object_set_new(object, "themes", string_list(hit->themes, hit->n_themes));
    failed |= json_object_set_new(object, "parent", string_or_null(hit->parent));
    failed |= json_object_set_new(object, "score", json_real(hit->score));
    failed |= json_object_set_new(object, "rank", json_integer(hit->rank));
    failed |= json_object_set_new(object, "similar", json_integer(hit->similar));
    failed |= json_object_set_new(object, "group", string_or_null(hit->group));
    if (failed) {
        json_decref(object);
        return NULL;
    }
    return object;
}

/* The facet's first max_values values (the library sorts them by count). */
static json_t *facet_list(const vind_results_t *results, vind_facet_t facet, size_t max_values)
{
    json_t *array = json_array();
    size_t count = vind_results_facet_count(results, facet);
    for (size_t i = 0; array && i < count && i < max_values; i++) {
        const vind_facet_value_t *value = vind_results_facet_get(results, facet, i);
        json_t *object = json_object();
        if (!object)
            continue;
        json_object_set_new(object, "value", string_or_null(value->value));
        json_object_set_new(object, "count", json_integer((json_int_t)value->count));
        json_object_set_new(object, "selected", json_boolean(value->selected));
        json_array_append_new(array, object);
    }
    return array;
}

static char *dump(json_t *object)
{
    if (!object)
        return NULL;
    char *text = json_dumps(object, JSON_COMPACT);
    json_decref(object);
    return text;
}

char *vind_hit_to_json(const vind_hit_t *hit)
{
    return hit ? dump(hit_object(hit)) : NULL;
}

/* The facet lists, each cut to max_values; more (may be NULL) gets the
 * counts left out ("facets_more"). */
static json_t *facet_lists(const vind_results_t *results, size_t max_values, json_t *more)
{
    json_t *facets = json_object();
    for (int f = 0; facets && f < VIND_FACET_LAST; f++) {
        size_t count = vind_results_facet_count(results, (vind_facet_t)f);
        json_object_set_new(facets, vind_facet_name((vind_facet_t)f),
                            facet_list(results, (vind_facet_t)f, max_values));
        if (more)
            json_object_set_new(more, vind_facet_name((vind_facet_t)f),
                                json_integer(count > max_values ? (json_int_t)(count - max_values)
                                                                : 0));
    }
    return facets;
}

/* The answer; with capped set, the facets cut to max_values and
 * "facets_more" after them. Hot path of /api/search: one tree of ~120
 * facet values and ten hits, dumped once (0.1 ms median on the corpus). */
static char *results_json(const vind_results_t *results, int capped, size_t max_values)
{
    if (!results)
        return NULL;
    json_t *object = json_object();
    if (!object)
        return NULL;
    json_t *hits = json_array();
    for (size_t i = 0; hits && i < vind_results_count(results); i++) {
        json_t *hit = hit_object(vind_results_get(results, i));
        if (hit)
            json_array_append_new(hits, hit);
    }
    json_t *facets = json_null(), *more = NULL;
    if (vind_results_has_facets(results)) {
        json_decref(facets);
        more = capped ? json_object() : NULL;
        facets = facet_lists(results, capped ? max_values : SIZE_MAX, more);
    }
    json_t *notices = json_array();
    for (size_t i = 0; notices && i < vind_results_notice_count(results); i++)
        json_array_append_new(notices, json_string(vind_results_notice(results, i)));
    int failed = notices == NULL;
    failed |= json_object_set_new(object, "query", string_or_null(vind_results_query(results)));
    failed |= json_object_set_new(object, "understood",
                                  string_or_null(vind_results_understood(results)));
    failed |= json_object_set_new(object, "total",
                                  json_integer((json_int_t)vind_results_total(results)));
    /* total counts documents: near-duplicates collapsed into a hit too;
     * listed is what pages run over after collapsing. */
    failed |= json_object_set_new(object, "total_includes_similar", json_true());
    failed |= json_object_set_new(object, "listed",
                                  json_integer((json_int_t)vind_results_listed(results)));
    failed |= json_object_set_new(object, "offset",
                                  json_integer((json_int_t)vind_results_offset(results)));
    failed |= json_object_set_new(object, "limit",
                                  json_integer((json_int_t)vind_results_limit(results)));
    failed |= json_object_set_new(object, "fallback", json_boolean(vind_results_fallback(results)));
    failed |= json_object_set_new(object, "fallback_total",
                                  json_integer((json_int_t)vind_results_fallback_total(results)));
    failed |= json_object_set_new(object, "partial", json_boolean(vind_results_partial(results)));
    /* Past the count limit total + fallback_total is Xapian's estimate:
     * the bounds hold the true count ("ongeveer N"); equal to it when exact. */
    uint64_t lower = 0, upper = 0;
    vind_results_total_bounds(results, &lower, &upper);
    failed |= json_object_set_new(object, "total_exact",
                                  json_boolean(vind_results_total_exact(results)));
    failed |= json_object_set_new(object, "total_lower", json_integer((json_int_t)lower));
    failed |= json_object_set_new(object, "total_upper", json_integer((json_int_t)upper));
    failed |= json_object_set_new(object, "facets_exact",
                                  json_boolean(vind_results_facets_exact(results)));
    failed |= json_object_set_new(object, "notices", notices);
    json_t *absent = json_array();
    for (size_t i = 0; absent && i < vind_results_absent_count(results); i++)
        json_array_append_new(absent, string_or_null(vind_results_absent(results, i)));
    failed |= absent == NULL || json_object_set_new(object, "absent", absent);
    failed |= json_object_set_new(object, "suggestion",
                                  string_or_null(vind_results_suggestion(results)));
    failed |= json_object_set_new(object, "corrected", json_boolean(vind_results_corrected(results)));
    failed |= json_object_set_new(object, "results", hits);
    failed |= json_object_set_new(object, "facets", facets);
    if (more)
        failed |= json_object_set_new(object, "facets_more", more);
    if (failed) {
        json_decref(object);
        return NULL;
    }
    return dump(object);
}

char *vind_results_to_json(const vind_results_t *results)
{
    return results_json(results, 0, 0);
}

char *vind_results_to_json_capped(const vind_results_t *results, size_t max_values)
{
    return results_json(results, 1, max_values);
}
