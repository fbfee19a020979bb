/*
 * results.h - (private) the insides of vind_results_t, shared by the search
 * policy that decides them (lib/search.c), the components that fill them
 * (lib/results.c, lib/facets.c) and JSON (lib/json.c).
 */
#ifndef VIND_LIB_RESULTS_H
#define VIND_LIB_RESULTS_H

#include <glib.h>

#include "plan.h"
#include "searcher.h"

/* The stages of a search the explain line reports (vind_results_explain). */
typedef enum {
    VIND_STAGE_PLAN,    /* parse, spelling look-ups, plan (and a rare-word plan) */
    VIND_STAGE_TITLES,  /* exact-title look-up (and its run, when a title matches) */
    VIND_STAGE_RANK,    /* ranked passes */
    VIND_STAGE_COUNT,   /* counting pass: total and facets */
    VIND_STAGE_HITS,    /* the page's stored records and snippets */
    VIND_STAGE_SUGGEST, /* "Bedoelde je" */
    VIND_STAGE_LAST
} vind_stage_t;

typedef struct {
    unsigned calls; /* times the stage ran */
    unsigned runs;  /* Xapian runs it made */
    double ms;      /* thread CPU time */
} vind_stage_cost_t;

struct vind_results {
    char *query;
    size_t offset, limit;
    uint64_t total;          /* documents with every word (vind_results_total) */
    uint64_t fallback_total; /* documents with only some, listed after them */
    uint64_t listed;         /* vind_results_listed */
    int fallback;
    int partial;       /* the time limit ran out (vind_results_partial) */
    /* Past the count limit: total + fallback_total is an estimate within
     * [total_lower, total_upper], the facet counts lower bounds. */
    int total_estimated, facets_lower;
    uint64_t total_lower, total_upper;
    GPtrArray *notices; /* char* (malloc'd), or NULL */
    GPtrArray *absent;  /* the query's words no document has (vind_results_absent), or NULL */
    char *understood;
    char *suggestion;
    int corrected; /* the suggestion was searched (vind_results_corrected) */
    vind_hit_t *hits;
    size_t n_hits;
    GPtrArray *owned; /* every string and array the hits point to */
    vind_facet_value_t *facets[VIND_FACET_LAST];
    size_t n_facets[VIND_FACET_LAST];
    /* per facet, the counted values' block its values point into, or NULL */
    vind_xapian_facet_t *facet_blocks[VIND_FACET_LAST];
    int has_facets;
    vind_stage_cost_t stages[VIND_STAGE_LAST];
    size_t plan_lookups; /* spelling look-ups made before planning */
    uint64_t spelling_walks; /* Xapian spelling suggestions asked (once per word and request) */
    char *explain;       /* made on demand (vind_results_explain) */
};

/* New results for req (the query echoed, made valid UTF-8); NULL on NOMEM. */
vind_results_t *vind_results_new(const vind_search_request_t *req);

/*
 * Fills the n_matches hits of results from their stored records (fields,
 * and with req->snippets a snippet marking terms, in an English document
 * english_terms when not NULL; past the searcher's time budget the rest
 * without one), ranked from req->offset + 1.
 * Return value: VIND_OK; VIND_INDEX_CHANGED; VIND_XAPIAN; VIND_NOMEM.
 */
vind_status_t vind_results_fill(vind_results_t *results, vind_searcher_t *searcher,
                                const vind_search_request_t *req, const vind_match_terms_t *terms,
                                const vind_match_terms_t *english_terms,
                                const vind_match_t *matches, size_t n_matches, char **errmsg);

/*
 * The counting pass of plan (any_word: its any-word query) over every match,
 * or up to the searcher's count limit (lib/facets.c): *total, and with
 * req->facets the facet lists of results (marked lower bounds when the pass
 * stopped at the limit).
 * Return value: VIND_OK; VIND_INDEX_CHANGED; VIND_XAPIAN; VIND_NOMEM.
 */
/* A count and its bounds (lower == upper == count when exact); complete:
 * the pass examined every match (so counts made in it are exact too). */
typedef struct {
    uint64_t count, lower, upper;
    int exact, complete;
} vind_count_t;

vind_status_t vind_facets_count(vind_searcher_t *searcher, const vind_search_request_t *req,
                                const vind_plan_t *plan, int any_word, vind_results_t *results,
                                vind_count_t *total, char **errmsg);

/*
 * The facet counting of req for a pass over plan's matches (lib/facets.c):
 * vind_facets_begin makes it (*out), a pass fills it (vind_searcher_count_pass,
 * or the ranked pass when the request has no facet filter), vind_facets_end
 * turns its counts into results' facet lists; free with vind_facets_free.
 */
vind_status_t vind_facets_begin(vind_searcher_t *searcher, const vind_search_request_t *req,
                                const vind_plan_t *plan, vind_counting_t **out, char **errmsg);
vind_status_t vind_facets_end(vind_counting_t *counting, const vind_search_request_t *req,
                              vind_results_t *results, char **errmsg);
void vind_facets_free(vind_counting_t *counting);

/* Sets the facet values of results: takes values (malloc'd) and block (the
 * wrapper's counts most of the values point into, or NULL); a value not in
 * block is a string of results->owned. */
void vind_results_set_facet(vind_results_t *results, vind_facet_t facet, vind_facet_value_t *values,
                            size_t count, vind_xapian_facet_t *block);

/* What JSON needs beyond the public accessors: the query as given (valid
 * UTF-8), the page asked for, and whether facets were counted. */
const char *vind_results_query(const vind_results_t *results);
size_t vind_results_offset(const vind_results_t *results);
size_t vind_results_limit(const vind_results_t *results);
int vind_results_has_facets(const vind_results_t *results);

#endif
