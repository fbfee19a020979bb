/*
 * results.h - (private) the insides of vind_results_t, shared by the search
 * policy that decides them (lib/search.c), the components that fill them
 * (lib/results.c, lib/facets.c) and JSON (lib/json.c).
 */
#ifndef VIND_LIB_RESULTS_H
#define VIND_LIB_RESULTS_H

#include <glib.h>

#include "searcher.h"

struct vind_results {
    char *query;
    size_t offset, limit;
    uint64_t total;
    int fallback;
    int partial;       /* the time limit ran out (vind_results_partial) */
    GPtrArray *notices; /* char* (malloc'd), or NULL */
    char *understood;
    char *suggestion;
    int corrected; /* the suggestion was searched (vind_results_corrected) */
    vind_hit_t *hits;
    size_t n_hits;
    GPtrArray *owned; /* every string and array the hits point to */
    vind_facet_value_t *facets[VIND_FACET_LAST];
    size_t n_facets[VIND_FACET_LAST];
    int has_facets;
};

/* New results for req (the query echoed, made valid UTF-8); NULL on NOMEM. */
vind_results_t *vind_results_new(const vind_search_request_t *req);

/*
 * Fills the n_matches hits of results from their stored records (fields,
 * and with req->snippets a snippet marking terms; past the searcher's time
 * budget the rest without one), ranked from req->offset + 1.
 * Return value: VIND_OK; VIND_INDEX_CHANGED; VIND_XAPIAN; VIND_NOMEM.
 */
vind_status_t vind_results_fill(vind_results_t *results, vind_searcher_t *searcher,
                                const vind_search_request_t *req, const vind_match_terms_t *terms,
                                const vind_match_t *matches, size_t n_matches, char **errmsg);

/* Sets the facet values of results (takes ownership of values, malloc'd with
 * malloc'd strings). */
void vind_results_set_facet(vind_results_t *results, vind_facet_t facet, vind_facet_value_t *values,
                            size_t count);

/* What JSON needs beyond the public accessors: the query as given (valid
 * UTF-8), the page asked for, and whether facets were counted. */
const char *vind_results_query(const vind_results_t *results);
size_t vind_results_offset(const vind_results_t *results);
size_t vind_results_limit(const vind_results_t *results);
int vind_results_has_facets(const vind_results_t *results);

#endif
