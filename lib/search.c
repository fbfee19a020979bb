/*
 * search.c - the searcher handle and vind_search: parse, plan, filter, run
 * with exact counts, fall back to any word when no document has all of
 * them, and fill the page of hits (stored record, snippet) that the results
 * own. Facets are in lib/facets.c, "Bedoelde je" in lib/suggest.c, JSON in
 * lib/json.c.
 */
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <jansson.h>

#include <vind/limits.h>
#include "date.h"
#include "error.h"
#include "lexicon.h"
#include "schema.h"
#include "searcher.h"
#include "snippet.h"

/* Matches fetched beyond the page when sorting by relevance, so that a run
 * of equal weights crossing the page end is still ordered by URL. */
#define TIE_EXTRA 20u

/* Fewer documents with every word than this (a first page) are followed by
 * documents with some of the words: docs/ranking.md has the figures
 * ("bijeenkomst rotterdam 2009" finds one meeting with all three words; the
 * other Rotterdam meetings are what the searcher wants next). */
#define FILL_BELOW 10u

/* Weights closer than this (relative) count as equal: a document and its
 * copy under another URL must tie exactly, whatever the float rounding. */
#define TIE_EPSILON 1e-9

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

/* ------------------------------------------------------------------ */
/* Searcher                                                            */

static void bm25_default(vind_bm25_t *bm25)
{
    /* docs/ranking.md: tuned on tests/relevance/queries.tsv. */
    *bm25 = (vind_bm25_t){.k1 = 1.2, .k2 = 0.0, .k3 = 1.0, .b = 0.3, .min_normlen = 0.5};
}

static vind_status_t check_schema(vind_xapian_reader_t *reader, const char *path, char **errmsg)
{
    char *value = NULL;
    vind_status_t status =
        vind_xapian_reader_get_metadata(reader, VIND_META_SCHEMA, &value, NULL, NULL);
    if (status == VIND_NOT_FOUND)
        return vind_error(errmsg, VIND_SCHEMA_MISMATCH,
                          "the index %s has no schema version: reindex with --full", path);
    if (status != VIND_OK)
        return vind_error(errmsg, status, "cannot read the schema version of the index %s", path);
    int version = atoi(value);
    free(value);
    if (version != VIND_SCHEMA_VERSION)
        return vind_error(errmsg, VIND_SCHEMA_MISMATCH,
                          "the index %s has schema version %d, this vind reads %d: reindex with "
                          "--full",
                          path, version, VIND_SCHEMA_VERSION);
    return VIND_OK;
}

static vind_status_t load_counts(vind_searcher_t *searcher, char **errmsg)
{
    vind_status_t status =
        vind_xapian_reader_revision(searcher->reader, &searcher->revision, errmsg);
    if (status == VIND_OK)
        status = vind_xapian_reader_doc_count(searcher->reader, &searcher->doc_count, errmsg);
    return status;
}

vind_status_t vind_searcher_open(const char *db_path, const vind_lexicon_t *lexicon,
                                 vind_searcher_t **out, char **errmsg)
{
    if (!out)
        return vind_error(errmsg, VIND_INVALID_ARGUMENT, "vind_searcher_open: out is NULL");
    *out = NULL;
    if (!db_path || !lexicon)
        return vind_error(errmsg, VIND_INVALID_ARGUMENT,
                          "vind_searcher_open: the index path and the lexicon are required");
    vind_searcher_t *searcher = calloc(1, sizeof *searcher);
    if (!searcher || !(searcher->path = strdup(db_path))) {
        free(searcher);
        return vind_error(errmsg, VIND_NOMEM, "out of memory opening the index %s", db_path);
    }
    searcher->lexicon = lexicon;
    vind_query_weights_default(&searcher->weights);
    bm25_default(&searcher->bm25);
    vind_status_t status = vind_xapian_reader_open(db_path, &searcher->reader, errmsg);
    if (status == VIND_OK)
        status = check_schema(searcher->reader, db_path, errmsg);
    if (status == VIND_OK)
        status = load_counts(searcher, errmsg);
    if (status == VIND_OK)
        status = vind_analyzer_new(lexicon, &searcher->analyzer, errmsg);
    if (status == VIND_OK) {
        /* A missing list means no synonyms (docs/synonyms.md). */
        const char *datadir = vind_lexicon_datadir(lexicon);
        char *path = g_build_filename(datadir ? datadir : ".", "synonyms", "nl.txt", NULL);
        status = vind_synonyms_load(path, &searcher->synonyms, errmsg);
        g_free(path);
    }
    if (status != VIND_OK) {
        vind_searcher_close(searcher);
        return status;
    }
    *out = searcher;
    return VIND_OK;
}

void vind_searcher_close(vind_searcher_t *searcher)
{
    if (!searcher)
        return;
    vind_synonyms_free(searcher->synonyms);
    vind_analyzer_free(searcher->analyzer);
    vind_xapian_reader_close(searcher->reader);
    free(searcher->path);
    free(searcher);
}

vind_status_t vind_searcher_reopen(vind_searcher_t *searcher, int *changed, char **errmsg)
{
    if (changed)
        *changed = 0;
    if (!searcher)
        return vind_error(errmsg, VIND_INVALID_ARGUMENT, "vind_searcher_reopen: no searcher");
    int moved = 0;
    vind_status_t status = vind_xapian_reader_reopen(searcher->reader, &moved, errmsg);
    if (status == VIND_OK && moved)
        status = check_schema(searcher->reader, searcher->path, errmsg);
    if (status == VIND_OK)
        status = load_counts(searcher, errmsg);
    if (status == VIND_OK && changed)
        *changed = moved;
    return status;
}

void vind_searcher_set_time_limit(vind_searcher_t *searcher, double seconds)
{
    if (searcher)
        searcher->time_limit = seconds > 0 ? seconds : 0;
}

vind_status_t vind_searcher_check(vind_searcher_t *searcher, char **errmsg)
{
    if (!searcher)
        return vind_error(errmsg, VIND_INVALID_ARGUMENT, "vind_searcher_check: no searcher");
    return vind_xapian_reader_check(searcher->reader, errmsg);
}

uint64_t vind_searcher_revision(const vind_searcher_t *searcher)
{
    return searcher ? searcher->revision : 0;
}

uint64_t vind_searcher_doc_count(const vind_searcher_t *searcher)
{
    return searcher ? searcher->doc_count : 0;
}

void vind_search_request_init(vind_search_request_t *req)
{
    *req = (vind_search_request_t){.limit = 10, .snippets = 1};
}

const char *vind_facet_name(vind_facet_t facet)
{
    static const char *const names[VIND_FACET_LAST] = {"tag", "theme", "type", "year"};
    return (unsigned)facet < VIND_FACET_LAST ? names[facet] : NULL;
}

int vind_facet_from_name(const char *name)
{
    if (!name)
        return -1;
    for (int f = 0; f < VIND_FACET_LAST; f++)
        if (strcmp(vind_facet_name((vind_facet_t)f), name) == 0)
            return f;
    return -1;
}

/* ------------------------------------------------------------------ */
/* Queries and runs                                                    */

/* A request's from or to: a day that exists, or VIND_INVALID_ARGUMENT
 * saying why ("the date \"2021-02-29\" does not exist (...)"). */
static vind_status_t check_date(const char *date, char **errmsg)
{
    char why[96];
    if (!date || vind_date_filter_valid(date, strlen(date), why, sizeof why))
        return VIND_OK;
    return vind_error(errmsg, VIND_INVALID_ARGUMENT, "the date \"%s\" %s", date, why);
}

static vind_qfield_t facet_field(int facet)
{
    static const vind_qfield_t fields[VIND_FACET_LAST] = {VIND_QFIELD_TAG, VIND_QFIELD_THEME,
                                                          VIND_QFIELD_TYPE, VIND_QFIELD_YEAR};
    return fields[facet];
}

vind_status_t vind_search_request_check(const vind_search_request_t *req, char **errmsg)
{
    vind_status_t status = check_date(req->from, errmsg);
    if (status == VIND_OK)
        status = check_date(req->to, errmsg);
    if (status != VIND_OK)
        return status;
    for (int f = 0; f < VIND_FACET_LAST; f++) {
        if (req->n_filters[f] && !req->filters[f])
            return vind_error(errmsg, VIND_INVALID_ARGUMENT, "the %s filter has no values",
                              vind_facet_name((vind_facet_t)f));
        for (size_t i = 0; i < req->n_filters[f]; i++) {
            const char *value = req->filters[f][i];
            if (!value || !*value || !g_utf8_validate(value, -1, NULL) ||
                strlen(value) > VIND_MAX_QUERY_BYTES)
                return vind_error(errmsg, VIND_INVALID_ARGUMENT,
                                  "a %s filter value is empty, too long or not UTF-8",
                                  vind_facet_name((vind_facet_t)f));
            if (f == VIND_FACET_TYPE && !vind_qfield_type_known(value))
                return vind_error(errmsg, VIND_INVALID_ARGUMENT,
                                  "unknown type \"%s\" (the types are %s)", value,
                                  VIND_QFIELD_TYPES);
            if (f == VIND_FACET_YEAR && !vind_qfield_year_valid(value))
                return vind_error(errmsg, VIND_INVALID_ARGUMENT,
                                  "the year \"%s\" is not a year (use YYYY)", value);
        }
    }
    return VIND_OK;
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

static vind_status_t new_enquire(vind_searcher_t *searcher, const vind_xapian_query_t *query,
                                 vind_sort_t sort, vind_xapian_enquire_t **out, char **errmsg)
{
    vind_xapian_enquire_t *enquire = NULL;
    vind_status_t status = vind_xapian_enquire_new(searcher->reader, &enquire, errmsg);
    if (status == VIND_OK)
        status = vind_xapian_enquire_set_query(enquire, query, errmsg);
    if (status == VIND_OK) {
        const vind_bm25_t *p = &searcher->bm25;
        status = vind_xapian_enquire_set_bm25(enquire, p->k1, p->k2, p->k3, p->b, p->min_normlen,
                                              errmsg);
    }
    if (status == VIND_OK && sort != VIND_SORT_RELEVANCE)
        /* Undated documents have no value: they sort first ascending, last
         * descending (newest first, undated last). */
        status = vind_xapian_enquire_sort_by_value_then_relevance(
            enquire, VIND_SLOT_DATE, sort == VIND_SORT_DATE_DESC, errmsg);
    if (status != VIND_OK) {
        vind_xapian_enquire_free(enquire);
        return status;
    }
    *out = enquire;
    return VIND_OK;
}

static uint32_t clamp32(uint64_t value)
{
    return value > UINT32_MAX ? UINT32_MAX : (uint32_t)value;
}

typedef struct {
    vind_match_t match;
    char *url;
} tied_t;

static int compare_tied(const void *a, const void *b)
{
    const tied_t *x = a, *y = b;
    return strcmp(x->url ? x->url : "", y->url ? y->url : "");
}

static int same_weight(double a, double b)
{
    double scale = a > b ? a : b;
    return a == b || (a - b < TIE_EPSILON * scale && b - a < TIE_EPSILON * scale);
}

/* Orders each run of equal weights by URL, so that documents tied in
 * relevance (a page and its copy, a filter-only query) come out the same
 * way whatever order they were indexed in. */
static vind_status_t break_ties(vind_searcher_t *searcher, vind_match_t *matches, size_t n,
                                char **errmsg)
{
    size_t start = 0;
    while (start < n) {
        size_t end = start + 1;
        while (end < n && same_weight(matches[start].weight, matches[end].weight))
            end++;
        if (end - start > 1) {
            size_t run = end - start;
            tied_t *tied = calloc(run, sizeof *tied);
            if (!tied)
                return vind_error(errmsg, VIND_NOMEM, "out of memory ordering results");
            vind_status_t status = VIND_OK;
            for (size_t i = 0; i < run && status == VIND_OK; i++) {
                tied[i].match = matches[start + i];
                status = vind_xapian_reader_get_value(searcher->reader, tied[i].match.docid,
                                                      VIND_SLOT_URL, &tied[i].url, NULL, errmsg);
            }
            if (status == VIND_OK) {
                qsort(tied, run, sizeof *tied, compare_tied);
                for (size_t i = 0; i < run; i++)
                    matches[start + i] = tied[i].match;
            }
            for (size_t i = 0; i < run; i++)
                free(tied[i].url);
            free(tied);
            if (status != VIND_OK)
                return status;
        }
        start = end;
    }
    return VIND_OK;
}

/* Runs the enquire for matches [first, first + count) into a new array. */
static vind_status_t fetch(vind_searcher_t *searcher, vind_xapian_enquire_t *enquire,
                           uint64_t first, uint64_t count, vind_match_t **out, size_t *n,
                           uint64_t *total, char **errmsg)
{
    *out = NULL;
    *n = 0;
    vind_xapian_mset_t *mset = NULL;
    vind_status_t status = vind_xapian_enquire_run(enquire, clamp32(first), clamp32(count),
                                                   searcher->doc_count, &mset, errmsg);
    if (status != VIND_OK)
        return status;
    vind_match_t *all = calloc(mset->count ? mset->count : 1, sizeof *all);
    if (!all) {
        vind_xapian_mset_free(mset);
        return vind_error(errmsg, VIND_NOMEM, "out of memory reading results");
    }
    for (size_t i = 0; i < mset->count; i++)
        all[i] = (vind_match_t){.docid = mset->docids[i], .weight = mset->weights[i]};
    *n = mset->count;
    *total = mset->matches_estimated;
    vind_xapian_mset_free(mset);
    *out = all;
    return VIND_OK;
}

/* Puts pinned first in all (n entries, room for n + n_pinned) and drops
 * their other occurrence; returns the new length. */
static size_t pin(vind_match_t *all, size_t n, const vind_match_t *pinned, size_t n_pinned)
{
    size_t kept = 0;
    for (size_t i = 0; i < n; i++) {
        int is_pinned = 0;
        for (size_t p = 0; p < n_pinned && !is_pinned; p++)
            is_pinned = pinned[p].docid == all[i].docid;
        if (!is_pinned)
            all[kept++] = all[i];
    }
    memmove(all + n_pinned, all, kept * sizeof *all);
    memcpy(all, pinned, n_pinned * sizeof *all);
    return kept + n_pinned;
}

vind_status_t vind_searcher_run(vind_searcher_t *searcher, const vind_xapian_query_t *query,
                                vind_sort_t sort, size_t offset, size_t limit,
                                vind_match_t **matches, size_t *n_matches, uint64_t *total,
                                char **errmsg)
{
    return vind_searcher_run_pinned(searcher, query, sort, offset, limit, NULL, 0, matches,
                                    n_matches, total, errmsg);
}

vind_status_t vind_searcher_run_pinned(vind_searcher_t *searcher, const vind_xapian_query_t *query,
                                       vind_sort_t sort, size_t offset, size_t limit,
                                       const vind_match_t *pinned, size_t n_pinned,
                                       vind_match_t **matches, size_t *n_matches, uint64_t *total,
                                       char **errmsg)
{
    *matches = NULL;
    *n_matches = 0;
    *total = 0;
    vind_xapian_enquire_t *enquire = NULL;
    vind_status_t status = new_enquire(searcher, query, sort, &enquire, errmsg);
    if (status != VIND_OK)
        return status;
    uint64_t want = limit ? (uint64_t)limit : searcher->doc_count;
    vind_match_t *all = NULL;
    size_t n = 0;
    if (sort != VIND_SORT_RELEVANCE) {
        status = fetch(searcher, enquire, offset, want, &all, &n, total, errmsg);
        vind_xapian_enquire_free(enquire);
        if (status == VIND_OK)
            *matches = all, *n_matches = n;
        return status;
    }
    uint64_t count = (uint64_t)offset + want + TIE_EXTRA + n_pinned;
    status = fetch(searcher, enquire, 0, count, &all, &n, total, errmsg);
    size_t page_end = offset + want + n_pinned < n ? (size_t)(offset + want + n_pinned) : n;
    if (status == VIND_OK && n == count && page_end > 0 &&
        same_weight(all[page_end - 1].weight, all[n - 1].weight)) {
        /* The tie at the page's end runs past what was fetched (a filter-only
         * query weighs everything 0): fetch every match to order it by URL. */
        free(all);
        status = fetch(searcher, enquire, 0, *total, &all, &n, total, errmsg);
    }
    vind_xapian_enquire_free(enquire);
    if (status == VIND_OK)
        status = break_ties(searcher, all, n, errmsg);
    if (status == VIND_OK && n_pinned) {
        /* Removing the pinned ones leaves at least offset + want others
         * whenever that many were fetched. */
        vind_match_t *grown = realloc(all, (n + n_pinned) * sizeof *all);
        if (grown) {
            all = grown;
            n = pin(all, n, pinned, n_pinned);
        } else
            status = vind_error(errmsg, VIND_NOMEM, "out of memory ordering results");
    }
    if (status != VIND_OK) {
        free(all);
        return status;
    }
    size_t skip = offset < n ? offset : n;
    size_t keep = n - skip < want ? n - skip : (size_t)want;
    memmove(all, all + skip, keep * sizeof *all);
    *matches = all;
    *n_matches = keep;
    return VIND_OK;
}

vind_status_t vind_searcher_count(vind_searcher_t *searcher, const vind_xapian_query_t *query,
                                  uint64_t *total, char **errmsg)
{
    *total = 0;
    vind_xapian_enquire_t *enquire = NULL;
    vind_status_t status = new_enquire(searcher, query, VIND_SORT_RELEVANCE, &enquire, errmsg);
    if (status != VIND_OK)
        return status;
    vind_xapian_mset_t *mset = NULL;
    status = vind_xapian_enquire_run(enquire, 0, 0, searcher->doc_count, &mset, errmsg);
    vind_xapian_enquire_free(enquire);
    if (status == VIND_OK)
        *total = mset->matches_estimated;
    vind_xapian_mset_free(mset);
    return status;
}

/* ------------------------------------------------------------------ */
/* Stored records                                                      */

vind_status_t vind_searcher_stored(vind_searcher_t *searcher, uint32_t docid, json_t **out,
                                   char **errmsg)
{
    *out = NULL;
    char *data = NULL;
    size_t length = 0;
    vind_status_t status =
        vind_xapian_reader_get_document_data(searcher->reader, docid, &data, &length, errmsg);
    if (status != VIND_OK)
        return status;
    json_error_t error;
    json_t *record = json_loadb(data, length, 0, &error);
    free(data);
    if (!record || !json_is_object(record)) {
        json_decref(record);
        /* A record we cannot read still is a hit: show it without fields. */
        record = json_object();
        if (!record)
            return vind_error(errmsg, VIND_NOMEM, "out of memory reading document %u", docid);
    }
    *out = record;
    return VIND_OK;
}

const char **vind_stored_pages(json_t *record, size_t *n_pages)
{
    json_t *pages = json_object_get(record, "pages");
    *n_pages = 0;
    if (!json_is_array(pages) || json_array_size(pages) == 0)
        return NULL;
    const char **texts = g_new0(const char *, json_array_size(pages) + 1);
    size_t index;
    json_t *page;
    json_array_foreach(pages, index, page)
    {
        texts[*n_pages] = json_is_string(page) ? json_string_value(page) : "";
        (*n_pages)++;
    }
    return texts;
}

vind_lang_t vind_stored_lang(json_t *record)
{
    const char *lang = json_string_value(json_object_get(record, "lang"));
    return lang && g_ascii_strncasecmp(lang, "en", 2) == 0 ? VIND_LANG_EN : VIND_LANG_NL;
}

/* ------------------------------------------------------------------ */
/* Results                                                             */

static const char *own(vind_results_t *results, char *string)
{
    if (string)
        g_ptr_array_add(results->owned, string);
    return string;
}

static const char *own_field(vind_results_t *results, json_t *record, const char *key)
{
    const char *value = json_string_value(json_object_get(record, key));
    return value && *value ? own(results, strdup(value)) : NULL;
}

static const char *const *own_list(vind_results_t *results, json_t *record, const char *key,
                                   size_t *count)
{
    json_t *array = json_object_get(record, key);
    *count = 0;
    if (!json_is_array(array) || json_array_size(array) == 0)
        return NULL;
    const char **list = calloc(json_array_size(array), sizeof *list);
    if (!list)
        return NULL;
    own(results, (char *)list);
    size_t index;
    json_t *item;
    json_array_foreach(array, index, item)
    {
        if (json_is_string(item))
            list[(*count)++] = own(results, strdup(json_string_value(item)));
    }
    return list;
}

static const char *stored_type(vind_results_t *results, json_t *record)
{
    json_t *type = json_object_get(record, "type");
    if (json_is_integer(type))
        return vind_doc_type_name((int)json_integer_value(type));
    return own_field(results, record, "type");
}

static vind_status_t fill_hit(vind_searcher_t *searcher, const vind_search_request_t *req,
                              const vind_match_terms_t *terms, vind_results_t *results,
                              const vind_match_t *match, vind_hit_t *hit, char **errmsg)
{
    json_t *record = NULL;
    vind_status_t status = vind_searcher_stored(searcher, match->docid, &record, errmsg);
    if (status != VIND_OK)
        return status;
    hit->url = own_field(results, record, "url");
    hit->title = own_field(results, record, "title");
    hit->type = stored_type(results, record);
    hit->date = own_field(results, record, "date");
    hit->author = own_field(results, record, "author");
    hit->description = own_field(results, record, "description");
    hit->parent = own_field(results, record, "parent");
    hit->tags = own_list(results, record, "tags", &hit->n_tags);
    hit->themes = own_list(results, record, "themes", &hit->n_themes);
    hit->score = req->sort == VIND_SORT_RELEVANCE ? match->weight : 0.0;
    if (req->snippets) {
        size_t n_pages = 0;
        const char **pages = vind_stored_pages(record, &n_pages);
        const char *none[] = {"", NULL};
        char *html = NULL;
        unsigned *page_numbers = NULL;
        size_t n_page_numbers = 0;
        status = vind_snippet_make(searcher->analyzer, vind_stored_lang(record),
                                   pages ? pages : none, pages ? n_pages : 1, terms,
                                   req->snippet_chars ? req->snippet_chars : 200, &html,
                                   &page_numbers, &n_page_numbers, errmsg);
        g_free(pages);
        if (status == VIND_OK) {
            hit->snippet = own(results, html);
            /* HTML pages have one page: page numbers only mean something for PDFs. */
            int is_pdf = hit->type && strcmp(hit->type, "pdf") == 0;
            if (is_pdf && n_page_numbers) {
                hit->pages = page_numbers;
                hit->n_pages = n_page_numbers;
                own(results, (char *)page_numbers);
            } else
                free(page_numbers);
        }
    }
    json_decref(record);
    return status;
}

void vind_results_free(vind_results_t *results)
{
    if (!results)
        return;
    free(results->query);
    free(results->understood);
    free(results->suggestion);
    free(results->hits);
    if (results->owned)
        g_ptr_array_free(results->owned, TRUE);
    if (results->notices)
        g_ptr_array_free(results->notices, TRUE);
    for (int f = 0; f < VIND_FACET_LAST; f++) {
        for (size_t i = 0; i < results->n_facets[f]; i++)
            free((char *)results->facets[f][i].value);
        free(results->facets[f]);
    }
    free(results);
}

void vind_results_set_facet(vind_results_t *results, vind_facet_t facet, vind_facet_value_t *values,
                            size_t count)
{
    for (size_t i = 0; i < results->n_facets[facet]; i++)
        free((char *)results->facets[facet][i].value);
    free(results->facets[facet]);
    results->facets[facet] = values;
    results->n_facets[facet] = count;
    results->has_facets = 1;
}

static vind_results_t *results_new(const vind_search_request_t *req)
{
    vind_results_t *results = calloc(1, sizeof *results);
    if (!results)
        return NULL;
    results->owned = g_ptr_array_new_with_free_func(free);
    const char *query = req->query ? req->query : "";
    /* Echoed in JSON, so it must be valid UTF-8 whatever was sent. */
    gchar *valid = g_utf8_make_valid(query, (gssize)strnlen(query, VIND_MAX_QUERY_BYTES + 1));
    results->query = strdup(valid);
    g_free(valid);
    results->offset = req->offset;
    results->limit = req->limit;
    if (!results->query) {
        vind_results_free(results);
        return NULL;
    }
    return results;
}

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
    if (status == VIND_OK) {
        results->understood = strdup(understood ? understood : "");
        results->hits = calloc(n_matches ? n_matches : 1, sizeof *results->hits);
        if (!results->understood || !results->hits)
            status = vind_error(errmsg, VIND_NOMEM, "out of memory filling results");
    }
    /* Past the time budget the remaining hits come without a snippet:
     * snippets are most of a costly query's time (64 wildcards, size 100:
     * ~80%, each word of each hit checked against every prefix), and the
     * answer is marked partial anyway. */
    vind_search_request_t late = *req;
    late.snippets = 0;
    for (size_t i = 0; status == VIND_OK && i < n_matches; i++) {
        vind_hit_t *hit = &results->hits[i];
        const vind_search_request_t *asked =
            req->snippets && vind_xapian_reader_budget_spent(searcher->reader) ? &late : req;
        status = fill_hit(searcher, asked, plan->match_terms, results, &matches[i], hit, errmsg);
        hit->rank = (unsigned)(req->offset + i + 1);
        results->n_hits = i + 1;
    }
    free(matches);
    if (status == VIND_OK && req->facets)
        status = vind_facets_compute(searcher, tree, req, (int)counted, results, errmsg);
    if (status == VIND_OK)
        status = vind_spelling_suggestion(searcher, req, plan, strict_total, &results->suggestion,
                                          &results->corrected, errmsg);
    vind_query_plan_free(plan);
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
    for (int attempt = 0;; attempt++) {
        vind_results_t *results = results_new(req);
        if (!results) {
            vind_qnode_free(tree);
            return vind_error(errmsg, VIND_NOMEM, "out of memory searching");
        }
        char *message = NULL;
        vind_xapian_reader_set_budget(searcher->reader, searcher->time_limit);
        status = search_once(searcher, req, tree, results, &message);
        results->partial = vind_xapian_reader_budget_spent(searcher->reader);
        vind_xapian_reader_set_budget(searcher->reader, 0);
        if (status == VIND_OK) {
            vind_qnode_free(tree);
            *out = results;
            return VIND_OK;
        }
        vind_results_free(results);
        if (status != VIND_INDEX_CHANGED || attempt > 0 ||
            vind_searcher_reopen(searcher, NULL, NULL) != VIND_OK) {
            vind_qnode_free(tree);
            if (errmsg)
                *errmsg = message;
            else
                free(message);
            return status;
        }
        free(message);
    }
}

uint64_t vind_results_total(const vind_results_t *results)
{
    return results ? results->total : 0;
}

size_t vind_results_count(const vind_results_t *results)
{
    return results ? results->n_hits : 0;
}

const vind_hit_t *vind_results_get(const vind_results_t *results, size_t i)
{
    return results && i < results->n_hits ? &results->hits[i] : NULL;
}

const char *vind_results_understood(const vind_results_t *results)
{
    return results && results->understood ? results->understood : "";
}

int vind_results_partial(const vind_results_t *results)
{
    return results ? results->partial : 0;
}

size_t vind_results_notice_count(const vind_results_t *results)
{
    return results && results->notices ? results->notices->len : 0;
}

const char *vind_results_notice(const vind_results_t *results, size_t i)
{
    return i < vind_results_notice_count(results) ? g_ptr_array_index(results->notices, i) : NULL;
}

int vind_results_fallback(const vind_results_t *results)
{
    return results ? results->fallback : 0;
}

const char *vind_results_suggestion(const vind_results_t *results)
{
    return results ? results->suggestion : NULL;
}

int vind_results_corrected(const vind_results_t *results)
{
    return results && results->suggestion ? results->corrected : 0;
}

size_t vind_results_facet_count(const vind_results_t *results, vind_facet_t facet)
{
    return results && (unsigned)facet < VIND_FACET_LAST ? results->n_facets[facet] : 0;
}

const vind_facet_value_t *vind_results_facet_get(const vind_results_t *results, vind_facet_t facet,
                                                 size_t i)
{
    if (!results || (unsigned)facet >= VIND_FACET_LAST || i >= results->n_facets[facet])
        return NULL;
    return &results->facets[facet][i];
}

const char *vind_results_query(const vind_results_t *results)
{
    return results && results->query ? results->query : "";
}

size_t vind_results_offset(const vind_results_t *results)
{
    return results ? results->offset : 0;
}

size_t vind_results_limit(const vind_results_t *results)
{
    return results ? results->limit : 0;
}

int vind_results_has_facets(const vind_results_t *results)
{
    return results ? results->has_facets : 0;
}

void vind_strv_free(char **strv)
{
    if (!strv)
        return;
    for (char **s = strv; *s; s++)
        free(*s);
    free(strv);
}
