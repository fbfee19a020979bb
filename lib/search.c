/*
 * search.c - the search policy, vind_search: which runs a request needs and
 * in what order. It runs the strict query (exact titles pinned first),
 * retries with rare words corrected when nothing has every word, relaxes to
 * any word when fewer than FILL_BELOW documents have them all, and hands
 * the page to the components: lib/results.c (hits), lib/facets.c,
 * lib/suggest.c ("Bedoelde je"). The queries come from lib/plan.c, every
 * Xapian run from lib/searcher.c. Calls go one way: policy -> components ->
 * searcher -> wrapper.
 */
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "error.h"
#include "results.h"
#include "searcher.h"

/* Fewer documents with every word than this (a first page) are followed by
 * documents with some of the words: docs/ranking.md has the figures
 * ("bijeenkomst rotterdam 2009" finds one meeting with all three words; the
 * other Rotterdam meetings are what the searcher wants next). */
#define FILL_BELOW 10u

/* Runs the query of tree in mode (its strict form: the exact-title
 * matches go first). */
static vind_status_t run_strict(vind_searcher_t *searcher, const vind_search_request_t *req,
                                const vind_qnode_t *tree, unsigned mode,
                                const vind_xapian_query_t *query, vind_match_t **matches,
                                size_t *n_matches, uint64_t *total, char **errmsg)
{
    vind_match_t *pinned = NULL;
    size_t n_pinned = 0;
    vind_status_t status = VIND_OK;
    if (req->sort == VIND_SORT_RELEVANCE)
        status = vind_exact_title_matches(searcher, req, tree, mode, &pinned, &n_pinned, errmsg);
    if (status == VIND_OK)
        status = vind_searcher_run_pinned(searcher, query, req->sort, req->offset, req->limit,
                                          pinned, n_pinned, matches, n_matches, total, errmsg);
    free(pinned);
    return status;
}

static size_t count_corrections(const vind_query_plan_t *plan)
{
    size_t count = 0;
    for (size_t i = 0; i < plan->n_words; i++)
        count += plan->words[i].correction != NULL;
    return count;
}

/*
 * Nothing has every word: before relaxing to any word, correct rare words
 * too. "kubernets haven" finds nothing because "kubernets" shares its stem
 * only with English texts; "kubernetes haven" finds the Haven articles.
 * On success *plan and *mode are those of the search to keep (the rare
 * corrections are kept for the any-word fallback even when they find
 * nothing by themselves: "kubernetes OR haven" beats "kubernets OR haven").
 */
static vind_status_t retry_rare(vind_searcher_t *searcher, const vind_search_request_t *req,
                                const vind_qnode_t *tree, vind_query_plan_t **plan, unsigned *mode,
                                vind_match_t **matches, size_t *n_matches, uint64_t *total,
                                char **errmsg)
{
    vind_xapian_query_t *query = NULL;
    vind_query_plan_t *rare = NULL;
    vind_status_t status =
        vind_searcher_full_query(searcher, tree, req, VIND_QUERY_RARE, -1, &query, &rare, errmsg);
    if (status != VIND_OK)
        return status;
    if (count_corrections(rare) > count_corrections(*plan)) {
        free(*matches);
        *matches = NULL;
        status = run_strict(searcher, req, tree, VIND_QUERY_RARE, query, matches, n_matches, total,
                            errmsg);
        vind_query_plan_free(*plan);
        *plan = rare;
        *mode = VIND_QUERY_RARE;
    } else
        vind_query_plan_free(rare);
    vind_xapian_query_free(query);
    return status;
}

/*
 * Fewer than FILL_BELOW documents have every word (strict_total, perhaps
 * none): those come first, then the documents with only some of the words,
 * by relevance (sorted by date: only when none has every word). "hoe vaak is coronamelder
 * gedownload" has one document with every word; the factsheet with the download count never says
 * "vaak" and would otherwise not be found at all.
 */
static vind_status_t relax(vind_searcher_t *searcher, const vind_search_request_t *req,
                           const vind_qnode_t *tree, unsigned mode, uint64_t strict_total,
                           vind_match_t **matches, size_t *n_matches, uint64_t *total,
                           char **errmsg)
{
    vind_match_t *strict = NULL;
    size_t n_strict = 0;
    vind_xapian_query_t *query = NULL;
    vind_status_t status = VIND_OK;
    if (strict_total > 0) {
        /* Every document with every word, in the order asked for. */
        vind_search_request_t every = *req;
        every.offset = 0;
        every.limit = 0;
        uint64_t count = 0;
        status = vind_searcher_full_query(searcher, tree, req, mode, -1, &query, NULL, errmsg);
        if (status == VIND_OK)
            status =
                run_strict(searcher, &every, tree, mode, query, &strict, &n_strict, &count, errmsg);
        vind_xapian_query_free(query);
        query = NULL;
    }
    if (status == VIND_OK)
        status = vind_searcher_full_query(searcher, tree, req, mode | VIND_QUERY_ANY_WORD, -1,
                                          &query, NULL, errmsg);
    if (status == VIND_OK) {
        free(*matches);
        *matches = NULL;
        *n_matches = 0;
        status = vind_searcher_run_pinned(searcher, query, req->sort, req->offset, req->limit,
                                          strict, n_strict, matches, n_matches, total, errmsg);
    }
    vind_xapian_query_free(query);
    free(strict);
    return status;
}

/* 1 when strv[i] occurs in strv[0..i) ("a* a*" gets one notice). */
static int seen_before(char *const *strv, size_t i)
{
    for (size_t j = 0; j < i; j++)
        if (strcmp(strv[j], strv[i]) == 0)
            return 1;
    return 0;
}

/* A notice for each wildcard that matches more index words than it was
 * given (plan->wildcard_limit, the most frequent): the user sees why
 * "zo*" did not find a rare "zonnepaneel". Costs one term-list walk of at
 * most wildcard_limit + 1 terms per wildcard. */
static vind_status_t note_wildcards(vind_searcher_t *searcher, const vind_query_plan_t *plan,
                                    vind_results_t *results, char **errmsg)
{
    for (size_t i = 0; plan->wildcards && plan->wildcards[i]; i++) {
        vind_xapian_terms_t *terms = NULL;
        vind_status_t status = vind_xapian_reader_all_terms(
            searcher->reader, plan->wildcards[i], plan->wildcard_limit + 1u, &terms, errmsg);
        if (status != VIND_OK)
            return status;
        size_t found = terms->count;
        vind_xapian_terms_free(terms);
        if (found <= plan->wildcard_limit || seen_before(plan->wildcards, i))
            continue;
        if (!results->notices)
            results->notices = g_ptr_array_new_with_free_func(g_free);
        g_ptr_array_add(results->notices,
                        g_strdup_printf("%s matches more words than the %u most frequent that "
                                        "were searched: make it longer to find the others",
                                        plan->wildcards_typed[i], plan->wildcard_limit));
    }
    return VIND_OK;
}

/* One attempt at a search; VIND_INDEX_CHANGED makes vind_search reopen and retry. */
static vind_status_t search_once(vind_searcher_t *searcher, const vind_search_request_t *req,
                                 const vind_qnode_t *tree, vind_results_t *results, char **errmsg)
{
    vind_xapian_query_t *query = NULL;
    vind_query_plan_t *plan = NULL;
    unsigned mode = 0;
    vind_status_t status =
        vind_searcher_full_query(searcher, tree, req, mode, -1, &query, &plan, errmsg);
    if (status != VIND_OK)
        return status;
    vind_match_t *matches = NULL;
    size_t n_matches = 0;
    status =
        run_strict(searcher, req, tree, mode, query, &matches, &n_matches, &results->total, errmsg);
    vind_xapian_query_free(query);
    if (status == VIND_OK && results->total == 0)
        status = retry_rare(searcher, req, tree, &plan, &mode, &matches, &n_matches,
                            &results->total, errmsg);
    if (status == VIND_OK)
        status = note_wildcards(searcher, plan, results, errmsg);
    const char *understood = plan->understood;
    uint64_t strict_total = results->total;
    unsigned counted = mode; /* the query the facets count */
    /* Sorted by date, documents with only some words would bury those with
     * all of them under whatever is newest: there, only none at all relaxes. */
    uint64_t fill_below = req->sort == VIND_SORT_RELEVANCE ? FILL_BELOW : 1;
    if (status == VIND_OK && strict_total < fill_below && plan->fallback) {
        status = relax(searcher, req, tree, mode, strict_total, &matches, &n_matches,
                       &results->total, errmsg);
        counted = mode | VIND_QUERY_ANY_WORD;
        /* Documents with only some of the words were added: say so, as the
         * any-word fallback does (results->fallback); "understood" names the
         * OR only when no document has every word. When no word matches
         * either, the query stays as typed. */
        results->fallback = status == VIND_OK && results->total > strict_total;
        if (status == VIND_OK && strict_total == 0 && results->total > 0)
            understood = plan->understood_fallback;
    }
    if (status == VIND_OK && !(results->understood = strdup(understood ? understood : "")))
        status = vind_error(errmsg, VIND_NOMEM, "out of memory filling results");
    if (status == VIND_OK)
        status = vind_results_fill(results, searcher, req, plan->match_terms, matches, n_matches,
                                   errmsg);
    free(matches);
    if (status == VIND_OK && req->facets)
        status = vind_facets_compute(searcher, tree, req, (int)counted, results, errmsg);
    if (status == VIND_OK)
        status = vind_spelling_suggestion(searcher, req, plan, strict_total, &results->suggestion,
                                          &results->corrected, errmsg);
    vind_query_plan_free(plan);
    return status;
}

/* What one attempt of vind_search works with. */
typedef struct {
    const vind_search_request_t *req;
    const vind_qnode_t *tree;
    vind_results_t *results; /* the attempt's; NULL after a failed one */
} attempt_t;

/* One attempt at a search, within the searcher's time budget. */
static vind_status_t attempt(vind_searcher_t *searcher, void *data, char **errmsg)
{
    attempt_t *a = data;
    vind_results_free(a->results);
    a->results = vind_results_new(a->req);
    if (!a->results)
        return vind_error(errmsg, VIND_NOMEM, "out of memory searching");
    vind_xapian_reader_set_budget(searcher->reader, searcher->time_limit);
    vind_status_t status = search_once(searcher, a->req, a->tree, a->results, errmsg);
    a->results->partial = vind_xapian_reader_budget_spent(searcher->reader);
    vind_xapian_reader_set_budget(searcher->reader, 0);
    return status;
}

vind_status_t vind_search(vind_searcher_t *searcher, const vind_search_request_t *req,
                          vind_results_t **out, char **errmsg)
{
    if (!out)
        return vind_error(errmsg, VIND_INVALID_ARGUMENT, "vind_search: out is NULL");
    *out = NULL;
    if (!searcher || !req)
        return vind_error(errmsg, VIND_INVALID_ARGUMENT, "vind_search: no searcher or request");
    vind_status_t status = vind_search_request_check(req, errmsg);
    if (status != VIND_OK)
        return status;
    const char *text = req->query ? req->query : "";
    vind_qnode_t *tree = NULL;
    status = vind_query_parse(text, strlen(text), &tree, errmsg);
    if (status != VIND_OK)
        return status;
    attempt_t a = {.req = req, .tree = tree};
    status = vind_searcher_retry(searcher, attempt, &a, errmsg);
    vind_qnode_free(tree);
    if (status != VIND_OK) {
        vind_results_free(a.results);
        return status;
    }
    *out = a.results;
    return VIND_OK;
}
