/*
 * plan.h - (private) the plan of one search request, made once: the query
 * tree analysed and spelling-corrected (lib/query.c), its strict and
 * any-word queries, the request's facet filters and date range. The passes
 * of a search (lib/search.c) combine these parts; none is planned twice.
 */
#ifndef VIND_LIB_PLAN_H
#define VIND_LIB_PLAN_H

#include "searcher.h"

typedef struct {
    vind_query_plan_t *query;    /* words, understood, match terms (its queries taken out) */
    vind_xapian_query_t *strict; /* every word; match-all for filters only, match-nothing for "---" */
    vind_xapian_query_t *strict_matching; /* strict without its boosts: its matches, for counting */
    vind_xapian_query_t *any;    /* any word; NULL when there is nothing to relax */
    vind_xapian_query_t *filter[VIND_FACET_LAST]; /* a facet's filter, NULL when none */
    vind_xapian_query_t *dates;                   /* the from/to range, NULL when none */
    unsigned mode;       /* the VIND_QUERY_* flags it was planned with (RARE or 0) */
    size_t corrections;  /* words searched with their spelling correction */
    size_t lookups;      /* spelling look-ups made before planning */
    struct vind_planned_words *shared; /* query is lent by the searcher's plans (NULL: owned) */
} vind_plan_t;

/* Which filters vind_plan_query adds. */
#define VIND_PLAN_FILTERS 0     /* every facet filter and the dates */
#define VIND_PLAN_NO_FACETS (-1) /* only the dates (the counting pass tests facets itself) */

/*
 * Plans tree for req (mode: 0 or VIND_QUERY_RARE); tree is req->query
 * parsed. The spelling corrections of the query's words are looked up
 * first (index reads, with their status); the query builder then only
 * reads that table. The words' part is kept by the searcher per query text
 * and mode at the index's revision (another page or filter of the same
 * words plans only its filters).
 * Return value: VIND_OK; VIND_INVALID_ARGUMENT (bad date range); VIND_XAPIAN
 * (a failed look-up); VIND_NOMEM.
 */
vind_status_t vind_plan_new(vind_searcher_t *searcher, const vind_search_request_t *req,
                            const vind_qnode_t *tree, unsigned mode, vind_plan_t **out,
                            char **errmsg);

/* Frees plan. Accepts NULL. */
void vind_plan_free(vind_plan_t *plan);

/*
 * A new query from plan's parts: its strict query (any_word: the any-word
 * one, when there is one) restricted by filters: VIND_PLAN_FILTERS (all),
 * VIND_PLAN_NO_FACETS (dates only) or facet + 1 for all but that facet's.
 * Cheap: the parts are shared, not copied. NULL on NOMEM.
 */
vind_xapian_query_t *vind_plan_query(const vind_plan_t *plan, int any_word, int filters);

/*
 * vind_plan_query for a counting pass: the same matches, without the strict
 * query's boosts, which a counting pass never reads but Xapian would
 * evaluate for every match (the proximity boost reads positions). NULL on
 * NOMEM.
 */
vind_xapian_query_t *vind_plan_count_query(const vind_plan_t *plan, int any_word, int filters);

/* 1 when the request filters on any facet. */
int vind_plan_has_facet_filter(const vind_plan_t *plan);

#endif
