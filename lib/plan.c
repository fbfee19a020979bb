/*
 * plan.c - the Xapian query of a request: the query tree planned (analysed,
 * spelling-corrected: lib/query.c), in its strict or any-word form,
 * restricted by the request's facet filters and dates.
 */
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "error.h"
#include "searcher.h"

static vind_qfield_t facet_field(int facet)
{
    static const vind_qfield_t fields[VIND_FACET_LAST] = {VIND_QFIELD_TAG, VIND_QFIELD_THEME,
                                                          VIND_QFIELD_TYPE, VIND_QFIELD_YEAR};
    return fields[facet];
}

static int has_text(const char *query)
{
    for (const char *p = query; p && *p; p++)
        if (!g_ascii_isspace(*p))
            return 1;
    return 0;
}

vind_status_t vind_searcher_full_query(vind_searcher_t *searcher, const vind_qnode_t *tree,
                                       const vind_search_request_t *req, unsigned mode,
                                       int omit_facet, vind_xapian_query_t **out,
                                       vind_query_plan_t **plan_out, char **errmsg)
{
    *out = NULL;
    if (plan_out)
        *plan_out = NULL;
    vind_query_plan_t *plan = NULL;
    vind_corrector_t corrector = {.searcher = searcher, .rare = (mode & VIND_QUERY_RARE) != 0};
    vind_status_t status =
        vind_query_plan_corrected(searcher->analyzer, searcher->synonyms, &searcher->weights,
                                  vind_spelling_correction, &corrector, tree, &plan, errmsg);
    if (status != VIND_OK)
        return status;
    int any_word = (mode & VIND_QUERY_ANY_WORD) != 0;
    vind_xapian_query_t **taken = any_word && plan->fallback ? &plan->fallback : &plan->query;
    vind_xapian_query_t *query = *taken;
    *taken = NULL;
    if (!query)
        /* Nothing searchable in what was typed ("---", "*") finds nothing;
         * an empty query (filters only) finds everything. */
        query = has_text(req->query) ? vind_xapian_query_match_nothing()
                                     : vind_xapian_query_match_all();
    /* Request filters: values of one facet OR, facets AND, dates. */
    GPtrArray *filters = g_ptr_array_new();
    for (int f = 0; f < VIND_FACET_LAST; f++) {
        if (f == omit_facet || req->n_filters[f] == 0)
            continue;
        g_ptr_array_add(filters,
                        vind_query_filter(facet_field(f), req->filters[f], req->n_filters[f]));
    }
    if (req->from || req->to) {
        vind_xapian_query_t *range = NULL;
        if (!vind_query_date_range(req->from, req->to, 0, &range)) {
            for (guint i = 0; i < filters->len; i++)
                vind_xapian_query_free(g_ptr_array_index(filters, i));
            g_ptr_array_free(filters, TRUE);
            vind_xapian_query_free(query);
            vind_query_plan_free(plan);
            return vind_error(errmsg, VIND_INVALID_ARGUMENT, "the date range is not valid");
        }
        g_ptr_array_add(filters, range);
    }
    if (filters->len && query) {
        g_ptr_array_insert(filters, 0, query);
        query = vind_xapian_query_compound(
            VIND_XAPIAN_OP_FILTER, (vind_xapian_query_t *const *)filters->pdata, filters->len);
    } else {
        for (guint i = 0; i < filters->len; i++)
            vind_xapian_query_free(g_ptr_array_index(filters, i));
    }
    g_ptr_array_free(filters, TRUE);
    if (!query) {
        vind_query_plan_free(plan);
        return vind_error(errmsg, VIND_NOMEM, "out of memory building the query");
    }
    *out = query;
    if (plan_out)
        *plan_out = plan;
    else
        vind_query_plan_free(plan);
    return VIND_OK;
}
