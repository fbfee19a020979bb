/*
 * facets.c - tag, theme, type and year counts over all matches of a search,
 * exact (the match examines every document) and multi-select: a facet's
 * counts are computed without its own filter, so that choosing "pdf" still
 * shows how many articles there are, while the other facets' filters apply.
 * One run counts every facet without a filter; each facet with a filter
 * gets one more run (docs/api.md).
 */
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "error.h"
#include "schema.h"
#include "results.h"

static const unsigned facet_slots[VIND_FACET_LAST] = {VIND_SLOT_TAGS, VIND_SLOT_THEMES,
                                                      VIND_SLOT_TYPE, VIND_SLOT_YEAR};
static const int facet_multi[VIND_FACET_LAST] = {1, 1, 0, 0};

/* Whether value is one of the request's filter values of facet (compared
 * normalised: "coordinatoren" selects "Coördinatoren"). */
static int is_selected(const vind_search_request_t *req, int facet, const char *value)
{
    char *key = vind_facet_term("", value);
    int found = 0;
    for (size_t i = 0; key && !found && i < req->n_filters[facet]; i++) {
        char *other = vind_facet_term("", req->filters[facet][i]);
        found = other && strcmp(key, other) == 0;
        free(other);
    }
    free(key);
    return found;
}

static int compare_values(const void *a, const void *b)
{
    const vind_facet_value_t *x = a, *y = b;
    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    return strcmp(x->value, y->value);
}

/* Converts the wrapper's counts, marks the selected values and adds a
 * selected value with no match (count 0), so a chosen filter never vanishes
 * from the list it was chosen in. VIND_FACETS_COUNT: no such value, and
 * at the end a value "" for the matches without one (*none, unless 0). */
static vind_status_t convert(const vind_search_request_t *req, int facet,
                             const vind_xapian_facet_t *counted, const uint64_t *none,
                             vind_results_t *results, char **errmsg)
{
    int exact = req->facets == VIND_FACETS_COUNT;
    size_t room = counted->count + req->n_filters[facet] + 1;
    vind_facet_value_t *values = calloc(room ? room : 1, sizeof *values);
    if (!values)
        return vind_error(errmsg, VIND_NOMEM, "out of memory counting facets");
    size_t n = 0;
    for (size_t i = 0; i < counted->count; i++) {
        values[n].value = strdup(counted->items[i].value);
        values[n].count = counted->items[i].count;
        values[n].selected = is_selected(req, facet, counted->items[i].value);
        if (values[n].value)
            n++;
    }
    for (size_t i = 0; !exact && i < req->n_filters[facet]; i++) {
        const char *wanted = req->filters[facet][i];
        char *key = vind_facet_term("", wanted);
        int present = 0;
        for (size_t k = 0; key && k < n && !present; k++) {
            char *other = vind_facet_term("", values[k].value);
            present = other && strcmp(key, other) == 0;
            free(other);
        }
        free(key);
        if (!present && (values[n].value = strdup(wanted))) {
            values[n].count = 0;
            values[n].selected = 1;
            n++;
        }
    }
    qsort(values, n, sizeof *values, compare_values);
    if (exact && none && none[facet] && (values[n].value = strdup("")))
        values[n++].count = none[facet];
    vind_results_set_facet(results, (vind_facet_t)facet, values, n);
    return VIND_OK;
}

/* Runs query once (no hits) and counts the facets flagged in wanted. */
static vind_status_t count_run(vind_searcher_t *searcher, const vind_xapian_query_t *query,
                               const int wanted[VIND_FACET_LAST], const uint64_t *none,
                               const vind_search_request_t *req, vind_results_t *results,
                               char **errmsg)
{
    uint32_t slots[VIND_FACET_LAST];
    int multi[VIND_FACET_LAST], which[VIND_FACET_LAST];
    size_t n = 0;
    for (int f = 0; f < VIND_FACET_LAST; f++)
        if (wanted[f]) {
            slots[n] = facet_slots[f];
            multi[n] = facet_multi[f];
            which[n++] = f;
        }
    vind_xapian_facet_t *counted[VIND_FACET_LAST] = {NULL};
    vind_status_t status =
        vind_searcher_count_values(searcher, query, slots, multi, n, counted, NULL, errmsg);
    for (size_t i = 0; status == VIND_OK && i < n; i++)
        status = convert(req, which[i], counted[i], none, results, errmsg);
    for (size_t i = 0; i < n; i++)
        vind_xapian_facet_free(counted[i]);
    return status;
}

/* The number of matches of the search that have no value in facet's slot
 * (every value is >= "\0"; an empty bound would match every document).
 * One more exact run of the query per facet: `vind count` only. */
static vind_status_t count_none(vind_searcher_t *searcher, const vind_qnode_t *tree,
                                const vind_search_request_t *req, int fallback, int facet,
                                uint64_t *none, char **errmsg)
{
    vind_xapian_query_t *query = NULL;
    vind_status_t status =
        vind_searcher_full_query(searcher, tree, req, fallback, -1, &query, NULL, errmsg);
    if (status != VIND_OK)
        return status;
    vind_xapian_query_t *pair[2] = {query, vind_xapian_query_value_ge(facet_slots[facet], "\0", 1)};
    query = vind_xapian_query_compound(VIND_XAPIAN_OP_AND_NOT, pair, 2);
    if (!query)
        return vind_error(errmsg, VIND_NOMEM, "out of memory counting facets");
    status = vind_searcher_count_values(searcher, query, NULL, NULL, 0, NULL, none, errmsg);
    vind_xapian_query_free(query);
    return status;
}

/* VIND_FACETS_COUNT: one run with every filter counts every facet, and one
 * run per facet counts the matches without a value. */
static vind_status_t count_exact(vind_searcher_t *searcher, const vind_qnode_t *tree,
                                 const vind_search_request_t *req, int fallback,
                                 vind_results_t *results, char **errmsg)
{
    uint64_t none[VIND_FACET_LAST] = {0};
    vind_status_t status = VIND_OK;
    for (int f = 0; status == VIND_OK && f < VIND_FACET_LAST; f++)
        status = count_none(searcher, tree, req, fallback, f, &none[f], errmsg);
    const int all[VIND_FACET_LAST] = {1, 1, 1, 1};
    vind_xapian_query_t *query = NULL;
    if (status == VIND_OK)
        status = vind_searcher_full_query(searcher, tree, req, fallback, -1, &query, NULL, errmsg);
    if (status == VIND_OK)
        status = count_run(searcher, query, all, none, req, results, errmsg);
    vind_xapian_query_free(query);
    return status;
}

vind_status_t vind_facets_compute(vind_searcher_t *searcher, const vind_qnode_t *tree,
                                  const vind_search_request_t *req, int fallback,
                                  vind_results_t *results, char **errmsg)
{
    if (req->facets == VIND_FACETS_COUNT)
        return count_exact(searcher, tree, req, fallback, results, errmsg);
    int unfiltered[VIND_FACET_LAST] = {0};
    int any_unfiltered = 0;
    for (int f = 0; f < VIND_FACET_LAST; f++)
        if (req->n_filters[f] == 0)
            unfiltered[f] = any_unfiltered = 1;
    vind_status_t status = VIND_OK;
    if (any_unfiltered) {
        vind_xapian_query_t *query = NULL;
        status = vind_searcher_full_query(searcher, tree, req, fallback, -1, &query, NULL, errmsg);
        if (status == VIND_OK)
            status = count_run(searcher, query, unfiltered, NULL, req, results, errmsg);
        vind_xapian_query_free(query);
    }
    for (int f = 0; status == VIND_OK && f < VIND_FACET_LAST; f++) {
        if (req->n_filters[f] == 0)
            continue;
        int only[VIND_FACET_LAST] = {0};
        only[f] = 1;
        vind_xapian_query_t *query = NULL;
        status = vind_searcher_full_query(searcher, tree, req, fallback, f, &query, NULL, errmsg);
        if (status == VIND_OK)
            status = count_run(searcher, query, only, NULL, req, results, errmsg);
        vind_xapian_query_free(query);
    }
    return status;
}
