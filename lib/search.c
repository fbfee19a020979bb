/*
 * search.c - the search policy, vind_search and vind_count: which passes a
 * request needs and in what order. The request is planned once
 * (lib/plan.c). A plain search then makes one or two Xapian passes: the
 * ranked pass of the strict query (every match examined: the exact total;
 * documents whose title is exactly the query pinned first,
 * lib/exact_title.c), which also counts the facets when no facet filter is
 * set, else a counting pass (lib/facets.c: every facet count, multi-select,
 * in one unweighted pass). Only when nothing has every word are rare words
 * corrected and planned again. The documents with only some of the words
 * follow those with every word: the any-word query runs only when the page
 * reaches the end of the full matches (its ranked pass only when the page
 * reaches past them) or fewer than FILL_BELOW documents have every word
 * (then the facets count it: in its ranked pass when no facet filter is
 * set, which sees every match anyway). The page's hits are filled
 * by lib/results.c, "Bedoelde je" by lib/suggest.c. A listed page collapses
 * near-duplicates in its ranked pass (the indexer's group key as Xapian's
 * collapse key, lib/searcher.c): no pass of its own; counts, --all and a
 * group's list do not collapse. Every Xapian run is
 * made in lib/searcher.c. Calls go one way: policy -> components ->
 * searcher -> wrapper.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <glib.h>

#include "error.h"
#include "plan.h"
#include "results.h"
#include "searcher.h"

/* Fewer documents with every word than this (a first page): the facets count
 * the documents with some of the words too: docs/ranking.md has the figures
 * ("bijeenkomst rotterdam 2009" finds one meeting with all three words; the
 * other Rotterdam meetings are what the searcher wants next). */
#define FILL_BELOW 10u

/* A search at work: what its stages share, and their costs for the explain line. */
typedef struct {
    vind_searcher_t *searcher;
    const vind_search_request_t *req;
    vind_results_t *results;
    double started; /* monotonic ms at the stage's start */
    unsigned runs;  /* the searcher's runs then */
} search_t;

/* Monotonic time in ms, for the explain line's stages. Why not the thread's
 * CPU time: CLOCK_THREAD_CPUTIME_ID is a system call (~3 us on this VM,
 * 15 of them a search: 6% of its CPU, bench/search-cost), CLOCK_MONOTONIC
 * is read in user space (vDSO, ~20 ns). A stage's wall time also shows
 * what it waited for. */
static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void stage_start(search_t *s)
{
    s->started = now_ms();
    s->runs = s->searcher->runs;
}

static void stage_end(search_t *s, vind_stage_t stage)
{
    s->results->stages[stage].ms += now_ms() - s->started;
    s->results->stages[stage].runs += s->searcher->runs - s->runs;
    s->results->stages[stage].calls++;
}

/* The matches of a ranked pass: for relevance from the first match (relaxing
 * pins every strict match; the page is sliced from them), sorted by date
 * the page itself. */
typedef struct {
    vind_match_t *matches;
    size_t n;
    uint64_t total; /* exact when exact, else an estimate (>= what was fetched) */
    int exact;
} ranked_t;

static size_t page_end(const vind_search_request_t *req)
{
    return req->limit ? req->offset + req->limit : 0;
}

/* The ranked pass of plan's strict query, with the documents whose title is
 * exactly the query pinned first. For relevance at least FILL_BELOW matches
 * from the first, so that relaxing has every strict match. */
static vind_status_t rank_strict(search_t *s, const vind_plan_t *plan, ranked_t *out,
                                 vind_counting_t *counting, char **errmsg)
{
    const vind_search_request_t *req = s->req;
    *out = (ranked_t){0};
    vind_xapian_query_t *full = vind_plan_query(plan, 0, VIND_PLAN_FILTERS);
    if (!full)
        return vind_error(errmsg, VIND_NOMEM, "out of memory building the query");
    vind_match_t *pinned = NULL;
    size_t n_pinned = 0;
    vind_status_t status = VIND_OK;
    if (req->sort == VIND_SORT_RELEVANCE) {
        stage_start(s);
        status = vind_exact_title_matches(s->searcher, req->query, full, &pinned, &n_pinned, errmsg);
        stage_end(s, VIND_STAGE_TITLES);
    }
    stage_start(s);
    if (status == VIND_OK && req->sort == VIND_SORT_RELEVANCE) {
        size_t end = page_end(req);
        size_t limit = end == 0 ? 0 : end > FILL_BELOW ? end : FILL_BELOW;
        status = vind_searcher_run_pinned(s->searcher, full, req->sort, 0, limit, pinned, n_pinned,
                                          &out->matches, &out->n, &out->total, &out->exact,
                                          counting, errmsg);
    } else if (status == VIND_OK)
        status = vind_searcher_run_pinned(s->searcher, full, req->sort, req->offset, req->limit,
                                          NULL, 0, &out->matches, &out->n, &out->total,
                                          &out->exact, counting, errmsg);
    stage_end(s, VIND_STAGE_RANK);
    free(pinned);
    vind_xapian_query_free(full);
    return status;
}

/*
 * Nothing has every word: before relaxing to any word, correct rare words
 * too. "kubernets haven" finds nothing because "kubernets" shares its stem
 * only with English texts; "kubernetes haven" finds the Haven articles.
 * On success *plan is the plan to keep (the rare corrections are kept for
 * the any-word fallback even when they find nothing by themselves:
 * "kubernetes OR haven" beats "kubernets OR haven").
 */
static vind_status_t retry_rare(search_t *s, const vind_qnode_t *tree, vind_plan_t **plan,
                                ranked_t *ranked, vind_counting_t *counting, char **errmsg)
{
    vind_plan_t *rare = NULL;
    stage_start(s);
    vind_status_t status =
        vind_plan_new(s->searcher, s->req, tree, VIND_QUERY_RARE, &rare, errmsg);
    stage_end(s, VIND_STAGE_PLAN);
    if (status != VIND_OK)
        return status;
    if (rare->corrections <= (*plan)->corrections) {
        vind_plan_free(rare);
        return VIND_OK;
    }
    vind_plan_free(*plan);
    *plan = rare;
    free(ranked->matches);
    return rank_strict(s, rare, ranked, counting, errmsg);
}

/* The page [offset, offset + limit) of a relevance list from the first. */
static void slice(const vind_search_request_t *req, ranked_t *ranked)
{
    size_t skip = req->offset < ranked->n ? req->offset : ranked->n;
    size_t keep = ranked->n - skip;
    if (req->limit && keep > req->limit)
        keep = req->limit;
    if (keep > 0 && skip > 0) /* no matches: matches may be NULL */
        memmove(ranked->matches, ranked->matches + skip, keep * sizeof *ranked->matches);
    ranked->n = keep;
}

/*
 * The page reaches the end of the documents with every word (strict, all
 * of them fetched, perhaps none): those come first, then the documents with
 * only some of the words, by relevance (sorted by date: only when none has
 * every word). "hoe vaak is coronamelder gedownload" has one document with
 * every word; the factsheet with the download count never says "vaak" and
 * would otherwise not be found at all. The any-word ranked pass runs only
 * when the page reaches past the strict matches; *page receives the page.
 * counting (or NULL): the facets to count in that pass, which examines
 * every match; *counted 1 when it ran and saw them all (its total exact).
 */
static vind_status_t relax(search_t *s, const vind_plan_t *plan, ranked_t *strict, ranked_t *page,
                           vind_counting_t *counting, int *counted, char **errmsg)
{
    *counted = 0;
    const vind_search_request_t *req = s->req;
    *page = (ranked_t){0};
    size_t end = page_end(req);
    if (req->sort == VIND_SORT_RELEVANCE && end != 0 && end <= strict->n) {
        *page = *strict;
        *strict = (ranked_t){0};
        slice(req, page);
        page->exact = 0; /* the total is the any-word one: the counting pass gives it */
        return VIND_OK;
    }
    vind_xapian_query_t *any = vind_plan_query(plan, 1, VIND_PLAN_FILTERS);
    if (!any)
        return vind_error(errmsg, VIND_NOMEM, "out of memory building the query");
    stage_start(s);
    vind_status_t status = vind_searcher_run_pinned(
        s->searcher, any, req->sort, req->offset, req->limit, strict->matches, strict->n,
        &page->matches, &page->n, &page->total, &page->exact, counting, errmsg);
    stage_end(s, VIND_STAGE_RANK);
    vind_xapian_query_free(any);
    *counted = counting && status == VIND_OK && page->exact;
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

/* The words of a query no document has every word of that no document
 * has at all (and that were not searched with a correction): a page names
 * them. Costs up to four term look-ups per word, only on this path. */
static vind_status_t note_absent(vind_searcher_t *searcher, const vind_query_plan_t *query,
                                 vind_results_t *results, char **errmsg)
{
    for (size_t i = 0; i < query->n_words; i++) {
        const vind_query_word_t *word = &query->words[i];
        int absent = 0;
        vind_status_t status = word->correction
                                   ? VIND_OK
                                   : vind_spelling_absent(searcher, word, &absent, errmsg);
        if (status != VIND_OK)
            return status;
        if (!absent)
            continue;
        if (!results->absent)
            results->absent = g_ptr_array_new_with_free_func(g_free);
        int seen = 0;
        for (guint j = 0; j < results->absent->len; j++)
            seen |= strcmp(g_ptr_array_index(results->absent, j), word->typed) == 0;
        if (!seen)
            g_ptr_array_add(results->absent, g_strdup(word->typed));
    }
    return VIND_OK;
}

/* Whether documents with only some of the words are counted and listed. */
typedef struct {
    int any_facets; /* the facets (and a total) count documents with any word */
    int tail;       /* the page lists them after the documents with every word */
} relaxing_t;

/*
 * Sorted by relevance, documents with only some of the words follow the
 * full matches on every page that reaches their end: a first page of a
 * query with more full matches than the page stays one ranked pass. The
 * facets count them only when fewer than FILL_BELOW documents have every
 * word (the sidebar would be near empty), the same for every page of a
 * query. Sorted by date they would bury the full matches under whatever is
 * newest: only when none has every word. An export (no limit) keeps the
 * strict meaning, and a total that is not exact (the time budget ran out)
 * never relaxes.
 */
static relaxing_t relaxing(const vind_search_request_t *req, const vind_plan_t *plan,
                           const ranked_t *strict)
{
    relaxing_t r = {0};
    if (!strict->exact || !plan->any || req->limit == 0)
        return r;
    if (req->sort != VIND_SORT_RELEVANCE) {
        r.any_facets = r.tail = strict->total == 0;
        return r;
    }
    r.any_facets = strict->total < FILL_BELOW;
    r.tail = page_end(req) >= strict->total;
    return r;
}

/* One counting pass of plan (any_word: its any-word query) into s->results,
 * with the facets when facets is set and the request asks for them. */
static vind_status_t count_pass(search_t *s, const vind_plan_t *plan, int any_word, int facets,
                                vind_count_t *total, char **errmsg)
{
    vind_search_request_t req = *s->req;
    if (!facets)
        req.facets = 0;
    stage_start(s);
    vind_status_t status =
        vind_facets_count(s->searcher, &req, plan, any_word, s->results, total, errmsg);
    stage_end(s, VIND_STAGE_COUNT);
    return status;
}

/* The totals of a search: documents with every word, and with any word
 * (estimates with bounds past the count limit or the time budget). */
typedef struct {
    vind_count_t strict, any;
    int any_known;
} totals_t;

/* A ranked pass's total: exact, or an estimate a counting pass replaces. */
static vind_count_t ranked_count(const ranked_t *ranked)
{
    uint64_t n = ranked->total;
    return (vind_count_t){n, n, n, ranked->exact, ranked->exact};
}

/* The total of a ranked pass that stopped early (past the count limit or
 * the time budget), from the bounds its counting saw: at least the matches
 * it examined. */
static vind_count_t rank_estimate(const vind_counting_t *in_rank, uint64_t estimated)
{
    uint64_t lower = in_rank->lower > in_rank->seen ? in_rank->lower : in_rank->seen;
    uint64_t upper = in_rank->upper > lower ? in_rank->upper : lower;
    uint64_t n = estimated < lower ? lower : estimated > upper ? upper : estimated;
    return (vind_count_t){n, lower, upper, lower == upper, 0};
}

/* Marks results' total (total + fallback_total, counted as shown) as an
 * estimate within shown's bounds when it is one. */
static void mark_estimate(vind_results_t *results, const vind_count_t *shown)
{
    if (shown->exact)
        return;
    results->total_estimated = 1;
    results->total_lower = shown->lower;
    results->total_upper = shown->upper;
}

/*
 * What the ranked passes did not give: the facets (counted by the strict
 * ranked pass when they count its matches, by the any-word ranked pass when
 * they count those and it saw them all (any_counted), else by a counting
 * pass, of the any-word query when they count that, which gives its total
 * too), the
 * strict total past the time budget, and the any-word total when the page
 * needs it and no pass gave it.
 */
static vind_status_t count_rest(search_t *s, const vind_plan_t *plan, vind_counting_t *in_rank,
                                int any_counted, relaxing_t relax_as, totals_t *totals,
                                char **errmsg)
{
    const vind_search_request_t *req = s->req;
    vind_status_t status = VIND_OK;
    if (in_rank && relax_as.any_facets && any_counted) {
        /* The any-word ranked pass examined every match of the query the
         * counting pass would run (no facet filter: the same documents) and
         * counted the facets on the way: no second pass over them. */
        stage_start(s);
        status = vind_facets_end(in_rank, req, s->results, errmsg);
        stage_end(s, VIND_STAGE_COUNT);
    } else if (in_rank && !relax_as.any_facets) {
        stage_start(s);
        status = vind_facets_end(in_rank, req, s->results, errmsg);
        /* Past the count limit the ranked pass examined at least that many
         * matches and counted them: no second pass over as many again. Its
         * counts are lower bounds, its total Xapian's estimate, at least
         * what it saw. (A one-word total is exact there: its document
         * frequency.) */
        if (!totals->strict.exact)
            totals->strict = rank_estimate(in_rank, totals->strict.count);
        s->results->facets_lower |= in_rank->seen < totals->strict.count;
        stage_end(s, VIND_STAGE_COUNT);
    } else if (req->facets && relax_as.any_facets) {
        status = count_pass(s, plan, 1, 1, &totals->any, errmsg);
        totals->any_known = 1;
    } else if (req->facets || !totals->strict.exact)
        status = count_pass(s, plan, 0, 1, &totals->strict, errmsg);
    if (status == VIND_OK && (relax_as.tail || relax_as.any_facets) && !totals->any_known) {
        status = count_pass(s, plan, 1, 0, &totals->any, errmsg);
        totals->any_known = 1;
    }
    return status;
}

/* One attempt at a search; VIND_INDEX_CHANGED makes vind_search reopen and retry. */
static vind_status_t search_once(search_t *s, const vind_qnode_t *tree, char **errmsg)
{
    const vind_search_request_t *req = s->req;
    vind_results_t *results = s->results;
    vind_plan_t *plan = NULL;
    stage_start(s);
    vind_status_t status = vind_plan_new(s->searcher, req, tree, 0, &plan, errmsg);
    stage_end(s, VIND_STAGE_PLAN);
    if (status != VIND_OK)
        return status;
    ranked_t ranked = {0}, page = {0};
    /* Without a facet filter the ranked pass, which examines every match,
     * counts the facets too: one pass. Multi-select needs the documents a
     * facet filter drops, so with one a counting pass of its own does. */
    vind_counting_t *in_rank = NULL;
    if (req->facets && !vind_plan_has_facet_filter(plan))
        status = vind_facets_begin(s->searcher, req, plan, &in_rank, errmsg);
    if (status == VIND_OK)
        status = rank_strict(s, plan, &ranked, in_rank, errmsg);
    if (status == VIND_OK && ranked.exact && ranked.total == 0)
        status = retry_rare(s, tree, &plan, &ranked, in_rank, errmsg);
    if (status == VIND_OK)
        status = note_wildcards(s->searcher, plan->query, results, errmsg);
    relaxing_t relax_as = status == VIND_OK ? relaxing(req, plan, &ranked) : (relaxing_t){0};
    totals_t totals = {.strict = ranked_count(&ranked)};
    int any_counted = 0;
    if (relax_as.tail) {
        status = relax(s, plan, &ranked, &page, relax_as.any_facets ? in_rank : NULL,
                       &any_counted, errmsg);
        totals.any = ranked_count(&page);
        totals.any_known = page.exact; /* not when the page held only full matches */
    } else {
        page = ranked;
        ranked = (ranked_t){0};
        if (req->sort == VIND_SORT_RELEVANCE)
            slice(req, &page);
    }
    free(ranked.matches);
    if (status == VIND_OK)
        status = count_rest(s, plan, in_rank, any_counted, relax_as, &totals, errmsg);
    vind_facets_free(in_rank);
    if (status == VIND_OK) {
        results->total = totals.strict.count;
        int more = totals.any_known && totals.any.count > totals.strict.count;
        if (more)
            results->fallback_total = totals.any.count - totals.strict.count;
        mark_estimate(results, more ? &totals.any : &totals.strict);
        /* Documents with only some of the words follow: say so. "understood"
         * names the OR only when no document has every word. When no word
         * matches either, the query stays as typed. */
        results->fallback = results->fallback_total > 0;
        /* Pages run over the collapsed list when the page's run collapsed
         * and counted every match, else over the documents; a page of the
         * strict run still goes on with the partial matches after it. */
        int collapsed = s->searcher->collapsing && page.exact;
        results->listed = (collapsed ? s->searcher->listed : totals.strict.count) +
                          (collapsed && relax_as.tail ? 0 : results->fallback_total);
        const char *understood = plan->query->understood;
        if (totals.strict.count == 0 && results->fallback)
            understood = plan->query->understood_fallback;
        if (!(results->understood = strdup(understood ? understood : "")))
            status = vind_error(errmsg, VIND_NOMEM, "out of memory filling results");
    }
    if (status == VIND_OK) {
        stage_start(s);
        status = vind_results_fill(results, s->searcher, req, plan->query->match_terms,
                                   plan->query->english_match_terms, page.matches, page.n,
                                   errmsg);
        stage_end(s, VIND_STAGE_HITS);
    }
    free(page.matches);
    if (status == VIND_OK && totals.strict.count == 0 && plan->query->n_words > 1)
        status = note_absent(s->searcher, plan->query, results, errmsg);
    if (status == VIND_OK) {
        stage_start(s);
        status = vind_spelling_suggestion(s->searcher, req, plan->query, totals.strict.count,
                                          &results->suggestion, &results->corrected, errmsg);
        stage_end(s, VIND_STAGE_SUGGEST);
    }
    results->plan_lookups += plan->lookups;
    vind_plan_free(plan);
    return status;
}

/* One attempt of vind_count: the counting pass of the strict query, and of
 * the rare-word plan when nothing has every word. The documents with only
 * some of the words that vind_search lists after those are not counted:
 * a count keeps the strict meaning. No ranked pass, no hits. */
static vind_status_t count_once(search_t *s, const vind_qnode_t *tree, char **errmsg)
{
    vind_plan_t *plan = NULL, *rare = NULL;
    stage_start(s);
    vind_status_t status = vind_plan_new(s->searcher, s->req, tree, 0, &plan, errmsg);
    stage_end(s, VIND_STAGE_PLAN);
    if (status != VIND_OK)
        return status;
    vind_count_t total = {0};
    status = count_pass(s, plan, 0, 1, &total, errmsg);
    if (status == VIND_OK && total.count == 0) {
        stage_start(s);
        status = vind_plan_new(s->searcher, s->req, tree, VIND_QUERY_RARE, &rare, errmsg);
        stage_end(s, VIND_STAGE_PLAN);
        if (status == VIND_OK && rare->corrections > plan->corrections) {
            vind_plan_free(plan);
            plan = rare;
            rare = NULL;
            status = count_pass(s, plan, 0, 1, &total, errmsg);
        }
        vind_plan_free(rare);
    }
    const char *understood = plan->query ? plan->query->understood : NULL;
    if (status == VIND_OK) {
        s->results->total = total.count;
        mark_estimate(s->results, &total);
        if (!(s->results->understood = strdup(understood ? understood : "")))
            status = vind_error(errmsg, VIND_NOMEM, "out of memory counting");
    }
    vind_plan_free(plan);
    return status;
}

/* What one attempt of vind_search or vind_count works with. */
typedef struct {
    const vind_search_request_t *req;
    const vind_qnode_t *tree;
    vind_results_t *results; /* the attempt's; NULL after a failed one */
    int count_only;          /* vind_count */
} attempt_t;

/* One attempt, within the searcher's time budget. */
static vind_status_t attempt(vind_searcher_t *searcher, void *data, char **errmsg)
{
    attempt_t *a = data;
    vind_results_free(a->results);
    a->results = vind_results_new(a->req);
    if (!a->results)
        return vind_error(errmsg, VIND_NOMEM, "out of memory searching");
    search_t s = {.searcher = searcher, .req = a->req, .results = a->results};
    vind_spelling_forget(searcher);
    uint64_t walks = searcher->spelling_walks;
    vind_xapian_reader_set_budget(searcher->reader, searcher->time_limit);
    /* Near-duplicates are collapsed in a listed page only: a count, a
     * search of every match (--all) and a group's own list show them all. */
    searcher->collapsing =
        searcher->collapse && !a->count_only && a->req->limit != 0 && !searcher->group[0];
    searcher->listed = 0;
    vind_status_t status =
        a->count_only ? count_once(&s, a->tree, errmsg) : search_once(&s, a->tree, errmsg);
    searcher->collapsing = 0;
    a->results->partial = vind_xapian_reader_budget_spent(searcher->reader);
    a->results->spelling_walks = searcher->spelling_walks - walks;
    vind_xapian_reader_set_budget(searcher->reader, 0);
    return status;
}

/* vind_search and vind_count: check, parse, and the attempts. */
static vind_status_t run(vind_searcher_t *searcher, const vind_search_request_t *req,
                         int count_only, vind_results_t **out, char **errmsg)
{
    if (!out)
        return vind_error(errmsg, VIND_INVALID_ARGUMENT, "vind_search: out is NULL");
    *out = NULL;
    if (!searcher || !req)
        return vind_error(errmsg, VIND_INVALID_ARGUMENT, "vind_search: no searcher or request");
    vind_status_t status = vind_search_request_check(req, errmsg);
    if (status != VIND_OK)
        return status;
    double started = now_ms();
    const char *text = req->query ? req->query : "";
    vind_qnode_t *tree = NULL;
    status = vind_query_parse(text, strlen(text), &tree, errmsg);
    if (status != VIND_OK)
        return status;
    double parsed = now_ms() - started;
    attempt_t a = {.req = req, .tree = tree, .count_only = count_only};
    status = vind_searcher_retry(searcher, attempt, &a, errmsg);
    vind_qnode_free(tree);
    if (status != VIND_OK) {
        vind_results_free(a.results);
        return status;
    }
    a.results->stages[VIND_STAGE_PLAN].ms += parsed;
    *out = a.results;
    return VIND_OK;
}

void vind_searcher_set_count_limit(vind_searcher_t *searcher, uint64_t matches)
{
    if (searcher)
        searcher->count_limit = matches;
}

void vind_searcher_set_cache_size(vind_searcher_t *searcher, size_t bytes)
{
    if (!searcher)
        return;
    searcher->cache_bytes = bytes;
    vind_xapian_reader_set_cache(searcher->reader, bytes);
}

vind_status_t vind_search(vind_searcher_t *searcher, const vind_search_request_t *req,
                          vind_results_t **out, char **errmsg)
{
    return run(searcher, req, 0, out, errmsg);
}

vind_status_t vind_count(vind_searcher_t *searcher, const vind_search_request_t *req,
                         vind_results_t **out, char **errmsg)
{
    return run(searcher, req, 1, out, errmsg);
}
