/*
 * facets.c - the counting pass of a search: the exact total and the tag,
 * theme, type and year counts over all matches, in one unweighted Xapian
 * pass. Multi-select: a facet's counts are computed without its own filter,
 * so that choosing "pdf" still shows how many articles there are, while the
 * other facets' filters apply. The query runs without the facet filters;
 * the pass tests each document's facet values against them (a spy of
 * lib/xapian_wrap.cc): a document counts for facet g when it passes every
 * filter but g's, and into the total when it passes all (docs/api.md).
 */
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "error.h"
#include "schema.h"
#include "plan.h"
#include "results.h"

static const unsigned facet_slots[VIND_FACET_LAST] = {VIND_SLOT_TAGS, VIND_SLOT_THEMES,
                                                      VIND_SLOT_TYPE, VIND_SLOT_YEAR};
static const char *const facet_prefixes[VIND_FACET_LAST] = {VIND_PREFIX_TAG, VIND_PREFIX_THEME,
                                                            VIND_PREFIX_TYPE, VIND_PREFIX_YEAR};

/* Facet values whose terms a searcher keeps per prefix before emptying
 * them: an index has a few hundred distinct values. */
#define FACET_TERMS_MAX 4096

/*
 * The term of an index's facet value under the prefix of facet (VIND_FACET_LAST:
 * none), as vind_facet_term makes it, remembered by the searcher: a function of
 * the value alone, which every counting pass with a filter asked again for each
 * distinct value it counted, and the filtered facet's list for each of its values
 * (~1,000 instructions to normalise; 16,448 of them in the 1,000 bench requests,
 * 1.7% of their vind_search). Lent until the next call; NULL on NOMEM. Only for
 * values read from the index (a bounded set), never for what a request sends.
 */
static const char *facet_term_of(vind_searcher_t *searcher, int facet, const char *value)
{
    GHashTable **table = &searcher->facet_terms[facet];
    if (!*table)
        *table = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, free);
    const char *known = g_hash_table_lookup(*table, value);
    if (known)
        return known;
    if (g_hash_table_size(*table) >= FACET_TERMS_MAX)
        g_hash_table_remove_all(*table);
    char *term = vind_facet_term(facet < VIND_FACET_LAST ? facet_prefixes[facet] : "", value);
    if (term)
        g_hash_table_insert(*table, g_strdup(value), term);
    return term;
}
static const int facet_multi[VIND_FACET_LAST] = {1, 1, 0, 0};

/* The request's filter values of a facet, normalised (vind_facet_term:
 * "coordinatoren" selects "Coördinatoren"), made once per facet; and which
 * of them a counted value stood for. */
typedef struct {
    vind_searcher_t *searcher; /* keeps the counted values' terms */
    char **keys; /* n_filters, NULL-terminated; NULL for the facets without a filter */
    int *seen;   /* per filter: a counted value has its key */
} wanted_t;

static void wanted_free(wanted_t *wanted)
{
    vind_strv_free(wanted->keys);
    free(wanted->seen);
}

static vind_status_t wanted_new(vind_searcher_t *searcher, const vind_search_request_t *req,
                                int facet, wanted_t *wanted, char **errmsg)
{
    *wanted = (wanted_t){.searcher = searcher};
    size_t n = req->n_filters[facet];
    if (n == 0)
        return VIND_OK;
    wanted->keys = calloc(n + 1, sizeof *wanted->keys);
    wanted->seen = calloc(n, sizeof *wanted->seen);
    for (size_t i = 0; wanted->keys && wanted->seen && i < n; i++)
        if (!(wanted->keys[i] = vind_facet_term("", req->filters[facet][i])))
            break;
    if (!wanted->keys || !wanted->seen || !wanted->keys[n - 1]) {
        wanted_free(wanted);
        return vind_error(errmsg, VIND_NOMEM, "out of memory counting facets");
    }
    return VIND_OK;
}

/* Whether value is one of the filter values of its facet, marking which.
 * Most facets have no filter: no key to make (a facet of 300 tags cost 300
 * normalisations, 5% of a search's instructions, for nothing); with one,
 * one normalisation per value (the filters' are made once: wanted_new). */
static int is_selected(wanted_t *wanted, const char *value)
{
    if (!wanted->keys)
        return 0;
    const char *key = facet_term_of(wanted->searcher, VIND_FACET_LAST, value);
    int found = 0;
    for (size_t i = 0; key && wanted->keys[i]; i++)
        if (strcmp(key, wanted->keys[i]) == 0)
            found = wanted->seen[i] = 1;
    return found;
}

static int compare_values(const void *a, const void *b)
{
    const vind_facet_value_t *x = a, *y = b;
    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    return strcmp(x->value, y->value);
}

/* Whether values is in compare_values order. */
static int in_order(const vind_facet_value_t *values, size_t n)
{
    for (size_t i = 1; i < n; i++)
        if (compare_values(&values[i - 1], &values[i]) > 0)
            return 0;
    return 1;
}

/* A copy of value that results own (results->owned), or NULL on NOMEM. */
static const char *owned_copy(vind_results_t *results, const char *value)
{
    char *copy = strdup(value);
    if (copy)
        g_ptr_array_add(results->owned, copy);
    return copy;
}

/* Converts the wrapper's counts, marks the selected values and adds a
 * selected value with no match (count 0), so a chosen filter never vanishes
 * from the list it was chosen in. VIND_FACETS_COUNT: no such value, and
 * at the end a value "" for the matches without one (*none, unless 0).
 * The values point into *counted's block, which results take (*counted
 * NULL): a copy and a free of each cost ~150 instructions, for some 57,000
 * values of the 1,000 bench requests. */
static vind_status_t convert(vind_searcher_t *searcher, const vind_search_request_t *req,
                             int facet, vind_xapian_facet_t **take, const uint64_t *none,
                             vind_results_t *results, char **errmsg)
{
    vind_xapian_facet_t *counted = *take;
    int exact = req->facets == VIND_FACETS_COUNT;
    wanted_t wanted;
    vind_status_t status = wanted_new(searcher, req, facet, &wanted, errmsg);
    if (status != VIND_OK)
        return status;
    size_t room = counted->count + req->n_filters[facet] + 1;
    vind_facet_value_t *values = calloc(room ? room : 1, sizeof *values);
    if (!values) {
        wanted_free(&wanted);
        return vind_error(errmsg, VIND_NOMEM, "out of memory counting facets");
    }
    size_t n = 0;
    for (size_t i = 0; i < counted->count; i++, n++) {
        values[n].value = counted->items[i].value;
        values[n].count = counted->items[i].count;
        values[n].selected = is_selected(&wanted, values[n].value);
    }
    /* A filter no counted value stood for (same term: is_selected) is added. */
    for (size_t i = 0; !exact && i < req->n_filters[facet]; i++) {
        if (!wanted.seen[i] && (values[n].value = owned_copy(results, req->filters[facet][i]))) {
            values[n].count = 0;
            values[n].selected = 1;
            n++;
        }
    }
    wanted_free(&wanted);
    /* The wrapper's counts come most first, equal counts by value: sorted
     * already unless filters were added (qsort cost ~3,000 instructions a
     * facet of the 1,000 bench requests for nothing). */
    if (!in_order(values, n))
        qsort(values, n, sizeof *values, compare_values);
    if (exact && none && none[facet] && (values[n].value = owned_copy(results, "")))
        values[n++].count = none[facet];
    vind_results_set_facet(results, (vind_facet_t)facet, values, n, counted);
    *take = NULL;
    return VIND_OK;
}

/* The filter terms of one facet, to test a document's values against
 * (compared as the filter query compares them: through vind_facet_term). */
typedef struct {
    vind_searcher_t *searcher; /* keeps the values' terms */
    int facet;
    char **keys; /* NULL-terminated */
} facet_filter_t;

static int value_passes(void *data, size_t index, const char *value, size_t length)
{
    const facet_filter_t *filter = (const facet_filter_t *)data + index;
    char *text = g_strndup(value, length);
    const char *key = facet_term_of(filter->searcher, filter->facet, text);
    g_free(text);
    int found = 0;
    for (char **k = filter->keys; key && k && *k && !found; k++)
        found = strcmp(*k, key) == 0;
    return found;
}

static vind_status_t filters_new(vind_searcher_t *searcher, const vind_search_request_t *req,
                                 facet_filter_t filters[VIND_FACET_LAST], char **errmsg)
{
    for (int f = 0; f < VIND_FACET_LAST; f++) {
        filters[f].searcher = searcher;
        filters[f].facet = f;
        filters[f].keys = calloc(req->n_filters[f] + 1, sizeof *filters[f].keys);
        if (!filters[f].keys)
            return vind_error(errmsg, VIND_NOMEM, "out of memory counting facets");
        for (size_t i = 0; i < req->n_filters[f]; i++)
            if (!(filters[f].keys[i] = vind_facet_term(facet_prefixes[f], req->filters[f][i])))
                return vind_error(errmsg, VIND_NOMEM, "out of memory counting facets");
    }
    return VIND_OK;
}

static void filters_free(facet_filter_t filters[VIND_FACET_LAST])
{
    for (int f = 0; f < VIND_FACET_LAST; f++) {
        vind_strv_free(filters[f].keys);
        filters[f].keys = NULL;
    }
}

/* A request's facet counting: the spec handed to a pass, and the filters its test reads. */
typedef struct {
    vind_counting_t counting; /* first: vind_facets_begin hands out its address */
    facet_filter_t filters[VIND_FACET_LAST];
} facets_t;

vind_status_t vind_facets_begin(vind_searcher_t *searcher, const vind_search_request_t *req,
                                const vind_plan_t *plan, vind_counting_t **out, char **errmsg)
{
    *out = NULL;
    facets_t *f = calloc(1, sizeof *f);
    if (!f)
        return vind_error(errmsg, VIND_NOMEM, "out of memory counting facets");
    f->counting.n = VIND_FACET_LAST;
    f->counting.exclusive = req->facets == VIND_FACETS_COUNT;
    f->counting.test = value_passes;
    f->counting.data = f->filters;
    for (int i = 0; i < VIND_FACET_LAST; i++)
        f->counting.slots[i] =
            (vind_xapian_count_slot_t){facet_slots[i], facet_multi[i], plan->filter[i] != NULL, 0, 0};
    vind_status_t status = filters_new(searcher, req, f->filters, errmsg);
    if (status != VIND_OK) {
        vind_facets_free(&f->counting);
        return status;
    }
    *out = &f->counting;
    return VIND_OK;
}

vind_status_t vind_facets_end(vind_counting_t *counting, const vind_search_request_t *req,
                              vind_results_t *results, char **errmsg)
{
    vind_status_t status = VIND_OK;
    vind_searcher_t *searcher = ((facets_t *)counting)->filters[0].searcher;
    for (int f = 0; status == VIND_OK && f < VIND_FACET_LAST; f++)
        status = convert(searcher, req, f, &counting->counted[f], counting->none, results, errmsg);
    return status;
}

void vind_facets_free(vind_counting_t *counting)
{
    if (!counting)
        return;
    facets_t *f = (facets_t *)counting;
    for (int i = 0; i < VIND_FACET_LAST; i++)
        vind_xapian_facet_free(counting->counted[i]);
    filters_free(f->filters);
    free(f);
}

/*
 * The count of a pass from what it examined (counting: its spy, NULL
 * without one). Exact when Xapian examined every match, or knew the count
 * without (one word: its document frequency; counts then cover fewer,
 * vind_count_t.complete 0). Past the count limit: without a facet filter
 * Xapian's estimate and bounds; with one (tested per document, not in the
 * query) the share of the examined matches that passed, applied to Xapian's
 * estimate: at least the ones that passed, at most the query's upper bound
 * less the examined ones that failed.
 */
static vind_count_t bounded(uint64_t counted, const vind_match_bounds_t *b,
                            const vind_counting_t *counting, int filtering)
{
    int known = b->lower == b->upper;
    int complete = counting ? counting->seen >= b->upper : known;
    if (complete || (known && !filtering))
        return (vind_count_t){counted, counted, counted, 1, complete};
    if (!filtering)
        return (vind_count_t){b->estimated, b->lower, b->upper, 0, 0};
    uint64_t seen = counting->seen > counted ? counting->seen : counted;
    uint64_t estimate = seen ? (uint64_t)((double)b->estimated * counted / seen + 0.5) : 0;
    uint64_t upper = b->upper - (seen - counted);
    estimate = estimate < counted ? counted : estimate > upper ? upper : estimate;
    return (vind_count_t){estimate, counted, upper, 0, 0};
}

vind_status_t vind_facets_count(vind_searcher_t *searcher, const vind_search_request_t *req,
                                const vind_plan_t *plan, int any_word, vind_results_t *results,
                                vind_count_t *total, char **errmsg)
{
    *total = (vind_count_t){0, 0, 0, 1, 1};
    vind_counting_t *counting = NULL;
    vind_status_t status =
        req->facets ? vind_facets_begin(searcher, req, plan, &counting, errmsg) : VIND_OK;
    if (status != VIND_OK)
        return status;
    /* Facet filters are tested per document only when the facets are
     * counted (multi-select needs each one left out in turn); otherwise
     * they stay in the query, where Xapian skips what they exclude. */
    vind_xapian_query_t *query =
        vind_plan_count_query(plan, any_word, counting ? VIND_PLAN_NO_FACETS : VIND_PLAN_FILTERS);
    uint64_t counted = 0;
    vind_match_bounds_t bounds = {0};
    /* Past the count limit the pass stops: its cost is bounded by the
     * limit, not by a common word's matches. A spy ends it (lib/xapian_wrap.cc):
     * without facets one that counts no slot. */
    vind_counting_t stopper = {.n = 0};
    vind_counting_t *spy = counting ? counting : &stopper;
    status = query ? vind_searcher_count_pass(searcher, query, spy, searcher->count_limit, &counted,
                                              &bounds, errmsg)
                   : vind_error(errmsg, VIND_NOMEM, "out of memory counting");
    vind_xapian_query_free(query);
    int filtering = 0;
    for (size_t i = 0; counting && i < counting->n; i++)
        filtering |= counting->slots[i].filtered;
    if (status == VIND_OK)
        *total = bounded(counted, &bounds, spy, filtering);
    if (status == VIND_OK && counting) {
        status = vind_facets_end(counting, req, results, errmsg);
        results->facets_lower |= !total->complete;
    }
    vind_facets_free(counting);
    return status;
}
