/*
 * handlers.c - one function per vind-searchd endpoint: the JSON API
 * (/api/search, /api/suggest, /api/related, /api/doc), /health, /metrics,
 * the search page /zoeken and its assets.
 *
 * The guards in server.c have already refused anything malformed, so a
 * handler is straight-line work: call the library (the same calls as the
 * `vind` command line), answer through respond.h.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <vind/limits.h>
#include <vind/vind.h>
#include "admission.h"
#include "cache.h"
#include "costmemo.h"
#include "handlers.h"
#include "metrics.h"
#include "page.h"
#include "pool.h"
#include "respond.h"

static int has_filter(const vind_search_params_t *search)
{
    for (int f = 0; f < VIND_FACET_LAST; f++)
        if (search->filters[f] && search->filters[f]->len)
            return 1;
    return search->from != NULL || search->to != NULL;
}

/* Whether the search parameters ask for anything (a query or a filter). */
static int has_criteria(const vind_search_params_t *search)
{
    return (search->query && *search->query) || has_filter(search);
}

static void fill_request(const vind_search_params_t *search, vind_search_request_t *out)
{
    vind_search_request_init(out);
    out->query = search->query;
    for (int f = 0; f < VIND_FACET_LAST; f++)
        if (search->filters[f]) {
            out->filters[f] = (const char *const *)search->filters[f]->pdata;
            out->n_filters[f] = search->filters[f]->len;
        }
    out->from = search->from;
    out->to = search->to;
    out->sort = search->sort;
    out->offset = (size_t)(search->page - 1) * search->size;
    out->limit = search->size;
    out->facets = 1;
    out->snippets = 1;
}

/* Tests only: holds the search in flight (answered from the cache or not). */
static void hold_for_tests(const vind_request_t *req)
{
    if (req->server->config->test_delay_ms)
        g_usleep((gulong)req->server->config->test_delay_ms * 1000);
}

/* vind_search with the request's near-duplicate settings (collapse=0,
 * similar=<group>), put back to the defaults after: the pool's searchers
 * serve every request. A commit of vind-index while it runs
 * (VIND_INDEX_CHANGED) is the library's one retry (vind_searcher_retry
 * reopens the searcher, also onto an upgraded index swapped in): no second
 * retry layer here. */
static vind_status_t search_as_asked(vind_request_t *req, vind_searcher_t *searcher,
                                     const vind_search_request_t *request,
                                     vind_results_t **results, char **errmsg)
{
    vind_searcher_set_time_limit(searcher, req->server->config->search_seconds);
    vind_searcher_set_count_limit(searcher, req->server->config->count_limit);
    vind_searcher_set_collapse(searcher, !req->search.no_collapse);
    /* Hot path: a searcher here has no group between requests (it is put
     * back below), so a request without similar= leaves it alone: setting
     * and clearing it cost two snprintf calls, ~1,100 instructions a search
     * (callgrind of the daemon over the 1,000 bench requests). */
    int similar = req->search.similar != NULL;
    vind_status_t status =
        similar ? vind_searcher_set_similar(searcher, req->search.similar, errmsg) : VIND_OK;
    if (status == VIND_OK)
        status = vind_search(searcher, request, results, errmsg);
    vind_searcher_set_collapse(searcher, 1);
    if (similar)
        vind_searcher_set_similar(searcher, NULL, NULL);
    return status;
}

/* The thread's CPU time so far (user and system) and the times it slept
 * (voluntary switches: a wait for the disk, a lock, the test delay).
 * getrusage(RUSAGE_THREAD): a system call, ~0.6 us. */
typedef struct {
    int64_t cpu_us;
    long sleeps;
} thread_usage_t;

static thread_usage_t thread_usage(void)
{
    thread_usage_t out = {0, 0};
    struct rusage usage;
    if (getrusage(RUSAGE_THREAD, &usage) == 0) {
        out.cpu_us = (int64_t)(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1000000;
        out.cpu_us += usage.ru_utime.tv_usec + usage.ru_stime.tv_usec;
        out.sleeps = usage.ru_nvcsw;
    }
    return out;
}

/* A search admitted by server->admission (admission.h), between
 * admission_begin and admission_end. */
typedef struct {
    unsigned char key[VIND_CLIENT_KEY_BYTES];
    int keyed; /* the client has an address (not a socket pair in a test) */
    vind_admit_t admitted;
    thread_usage_t start; /* only when keyed */
    int64_t wall_start_us;
} admission_ticket_t;

/* 0: the client is a heavy address and --max-heavy-searches of them run
 * already; the caller answers 429. Only a search that really runs comes
 * here: a cached answer is never refused. */
static int admission_begin(vind_request_t *req, admission_ticket_t *ticket)
{
    ticket->admitted = VIND_ADMIT_NORMAL;
    ticket->keyed =
        req->server->admission != NULL && vind_request_client_key(req, ticket->key);
    ticket->wall_start_us = g_get_monotonic_time();
    if (ticket->keyed) {
        ticket->admitted = vind_admission_enter(req->server->admission, ticket->key,
                                                ticket->wall_start_us, req->heavy_when_queued);
        ticket->start = thread_usage();
    }
    return ticket->admitted != VIND_ADMIT_REFUSED;
}

/* The search's CPU time decides whether its address is heavy from now on.
 * Returned: how long it would hold a worker's other connections, for the
 * known-cheap memo (costmemo.h): its CPU time, or its time on the clock when
 * it slept (a wait for the disk or a lock holds a worker as long as work
 * does; a preemption does not count, it delays any thread).
 * A thread's CPU time never exceeds the time on the clock: a search that
 * took less than both bounds on the clock (nearly all) took less CPU too,
 * and the clock's time is passed instead of reading the usage again (a
 * system call, ~3 us on this VM: 1% of a search's CPU under wrk). Without
 * an address (a socket pair in a test) the usage was not read at the start:
 * the clock's time, which is never less. */
static int64_t admission_end(vind_request_t *req, const admission_ticket_t *ticket)
{
    int64_t now_us = g_get_monotonic_time(), wall_us = now_us - ticket->wall_start_us;
    if (!ticket->keyed)
        return wall_us;
    int64_t heavy_us = (int64_t)req->server->config->heavy_search_ms * 1000;
    int64_t cheap_us = vind_cost_memo_cheap_us(req->server->cost_memo);
    int64_t cpu_us = wall_us, hold_us = wall_us;
    if (wall_us >= heavy_us || wall_us >= cheap_us) {
        thread_usage_t end = thread_usage();
        cpu_us = end.cpu_us - ticket->start.cpu_us;
        hold_us = end.sleeps != ticket->start.sleeps ? wall_us : cpu_us;
    }
    vind_admission_leave(req->server->admission, ticket->key, ticket->admitted, cpu_us, now_us);
    return hold_us;
}

static vind_status_t run_search(vind_request_t *req, vind_results_t **results, char **errmsg)
{
    vind_search_request_t request;
    fill_request(&req->search, &request);
    hold_for_tests(req);
    vind_searcher_t *searcher = vind_pool_searcher(req->slot);
    return search_as_asked(req, searcher, &request, results, errmsg);
}

/* Answers a failed library call: the user's own mistakes with the library's
 * message (written for users), everything else with a generic one (the
 * details go to the log, not to the client). */
static enum MHD_Result respond_failure(vind_request_t *req, vind_status_t status, char *errmsg)
{
    vind_pool_note_failure(req->server->pool, status, errmsg);
    unsigned http = vind_respond_http_status(status);
    VIND_LOG(req->server->log, http >= 500 ? VIND_LOG_WARNING : VIND_LOG_DEBUG, "%s %s: %s",
             req->method, req->path, errmsg ? errmsg : vind_status_to_string(status));
    const char *message = NULL;
    if (http < 500)
        message = errmsg;
    else if (status == VIND_INDEX_CHANGED)
        message = "the index changed during the search: try again";
    else if (status == VIND_UNAVAILABLE)
        message = "a shard of the index is unreachable: try again";
    else if (http == 500)
        message = "internal error";
    enum MHD_Result result = vind_respond_error(req, http, message);
    free(errmsg);
    return result;
}

/* value in decimal at text (at most 10 bytes, no NUL); its length. */
static size_t unsigned_text(unsigned value, char *text)
{
    char digits[10];
    size_t n = 0;
    do
        digits[n++] = (char)('0' + value % 10);
    while ((value /= 10) != 0);
    for (size_t i = 0; i < n; i++)
        text[i] = digits[n - 1 - i];
    return n;
}

/* The library's JSON (the shape of `vind search --format json`), facets
 * cut to VIND_SEARCHD_MAX_FACET_VALUES with "facets_more", then page and
 * size. NULL on NOMEM.
 * Hot path: the library writes the answer straight into one buffer
 * (vind_results_to_json_capped: 2.5-3% of the daemon's CPU a search,
 * docs/searchd.md "Session 19: a search request's cost in the daemon"); the
 * answer used to be dumped whole, its facets parsed back, cut and dumped
 * again (0.05 ms more per answer on the corpus). */
static char *search_json(const vind_results_t *results, const vind_search_params_t *search,
                         size_t *length)
{
    char *text = vind_results_to_json_capped(results, VIND_SEARCHD_MAX_FACET_VALUES);
    size_t len = text ? strlen(text) : 0;
    if (len < 2 || text[len - 1] != '}') {
        free(text);
        return NULL;
    }
    /* "{...}" -> "{...,"page":P,"size":S}", malloc'd as respond.h wants it.
     * Hot path: written by hand, as snprintf took ~1,100 instructions an
     * answer; the realloc nearly always stays in the writer's block (its
     * capacity is a power of two past the text) and copies nothing. */
    char tail[64] = ",\"page\":";
    size_t n = 8;
    n += unsigned_text(search->page, tail + n);
    memcpy(tail + n, ",\"size\":", 8);
    n += 8;
    n += unsigned_text(search->size, tail + n);
    tail[n++] = '}';
    tail[n] = '\0';
    char *out = realloc(text, len + n);
    if (out == NULL) {
        free(text);
        return NULL;
    }
    memcpy(out + len - 1, tail, n + 1);
    *length = len - 1 + n;
    return out;
}

/* The answer to this search from the result cache, for the index the
 * checked-out searcher sees; NULL on a miss. hold: on a search thread,
 * where the test delay holds it as it holds a search (never on a worker). */
static char *cached_answer(vind_request_t *req, const char *key, int hold)
{
    char *json = NULL;
    vind_searcher_t *searcher = vind_pool_searcher(req->slot);
    if (!vind_cache_get(req->server->cache, key, vind_pool_generation(req->slot),
                        vind_searcher_database_id(searcher), vind_searcher_revision(searcher), &json,
                        &req->hits))
        return NULL;
    if (hold)
        hold_for_tests(req);
    return json;
}

/* Whether the checked-out searcher's index says which state it is at. Over
 * remote shards Xapian 1.4 reports no revision, and a replica behind
 * xapian-tcpsrv can switch copies without a reopen noticing: the library
 * then says 0, and no answer is cached. Every local index has revision 1 or
 * more from its first commit on. */
static int revision_known(vind_request_t *req)
{
    return vind_searcher_revision(vind_pool_searcher(req->slot)) != 0;
}

/* The search's key (vind_cache_key), made once a request: the worker's
 * look-ups (result cache, cost memo) and the search thread's stores share
 * it (~1 us). NULL on NOMEM. */
static const char *request_key(vind_request_t *req)
{
    if (req->search_key == NULL)
        req->search_key = vind_cache_key(&req->search);
    return req->search_key;
}

/* The result cache's key of this search, or NULL when the cache is off or
 * the checked-out searcher's index does not say its state. */
static const char *search_cache_key(vind_request_t *req)
{
    return vind_cache_enabled(req->server->cache) && revision_known(req) ? request_key(req) : NULL;
}

/* Keeps what a complete search cost for the worker's next look-up
 * (vind_search_known_cheap), for the index the searcher saw after it. */
static void note_cost(vind_request_t *req, int64_t cost_us)
{
    if (req->server->cost_memo == NULL || !revision_known(req))
        return;
    vind_searcher_t *searcher = vind_pool_searcher(req->slot);
    vind_cost_memo_note(req->server->cost_memo, request_key(req), vind_pool_generation(req->slot),
                        vind_searcher_database_id(searcher), vind_searcher_revision(searcher),
                        cost_us);
}

int vind_search_known_cheap(vind_request_t *req)
{
    if (req->server->cost_memo == NULL || !has_criteria(&req->search) || !revision_known(req))
        return 0;
    vind_searcher_t *searcher = vind_pool_searcher(req->slot);
    return vind_cost_memo_is_cheap(
        req->server->cost_memo, request_key(req), vind_pool_generation(req->slot),
        vind_searcher_database_id(searcher), vind_searcher_revision(searcher));
}

int vind_search_from_cache(vind_request_t *req, enum MHD_Result *result)
{
    if (!vind_cache_enabled(req->server->cache) || !has_criteria(&req->search))
        return 0;
    const char *key = search_cache_key(req);
    char *json = key ? cached_answer(req, key, 0) : NULL;
    if (json == NULL) {
        req->cache_missed = 1;
        return 0;
    }
    *result = vind_respond_json(req, 200, json);
    return 1;
}

/* Hot path: with the cache on, a repeated search costs the key (~1 us), one
 * locked lookup and a copy of the body; a new one costs the search (0.5-15 ms
 * of CPU), its JSON and a copy into the cache. A partial answer (the time
 * limit cut it short) is never kept: the next try may complete. The revision
 * is read after the search, since a retry may have reopened the searcher. */
enum MHD_Result handle_search(vind_request_t *req)
{
    if (!has_criteria(&req->search))
        return vind_respond_error(req, 400, "missing parameter: q (or a filter)");
    vind_cache_t *cache = req->server->cache;
    const char *key = search_cache_key(req);
    /* Looked up once: on the worker (vind_search_from_cache), or here */
    char *json = key && !req->cache_missed ? cached_answer(req, key, 1) : NULL;
    if (json != NULL)
        return vind_respond_json(req, 200, json);
    admission_ticket_t ticket;
    if (!admission_begin(req, &ticket))
        return vind_respond_busy(req);
    vind_results_t *results = NULL;
    char *errmsg = NULL;
    vind_status_t status = run_search(req, &results, &errmsg);
    int64_t cost_us = admission_end(req, &ticket);
    if (status != VIND_OK)
        return respond_failure(req, status, errmsg);
    if (!vind_results_partial(results))
        note_cost(req, cost_us);
    req->hits = (long long)vind_page_listed(results);
    /* How it ran (passes, counts, CPU per stage), for --log-level debug. */
    VIND_LOG(req->server->log, VIND_LOG_DEBUG, "search: %s", vind_results_explain(results));
    size_t length = 0;
    json = search_json(results, &req->search, &length);
    if (key && json && !vind_results_partial(results) && revision_known(req))
        vind_cache_put(cache, key, vind_pool_generation(req->slot),
                       vind_searcher_database_id(vind_pool_searcher(req->slot)),
                       vind_searcher_revision(vind_pool_searcher(req->slot)), json, req->hits);
    vind_results_free(results);
    if (json == NULL)
        return vind_respond_error(req, 500, "out of memory");
    return vind_respond_json_sized(req, 200, json, length);
}

enum MHD_Result handle_suggest(vind_request_t *req)
{
    const char *prefix = req->search.query;
    char **suggestions = NULL;
    if (*prefix) {
        char *errmsg = NULL;
        vind_status_t status = vind_suggest(vind_pool_searcher(req->slot), prefix,
                                            VIND_SEARCHD_MAX_SUGGESTIONS, &suggestions, &errmsg);
        if (status != VIND_OK)
            return respond_failure(req, status, errmsg);
    }
    json_t *list = json_array();
    for (size_t i = 0; suggestions && suggestions[i] && i < VIND_SEARCHD_MAX_SUGGESTIONS; i++)
        json_array_append_new(list, json_string(suggestions[i]));
    req->hits = (long long)json_array_size(list);
    vind_strv_free(suggestions);
    json_t *body = json_pack("{s:s,s:o}", "query", prefix, "suggestions", list);
    char *text = body ? vind_json_escape_controls(json_dumps(body, JSON_COMPACT)) : NULL;
    json_decref(body);
    return vind_respond_json(req, 200, text);
}

/* vind_related, reopening and retrying once when the index changed under it,
 * as run_search does. */
static vind_status_t run_related(vind_request_t *req, const vind_related_options_t *opts,
                                 vind_related_list_t **list, char **errmsg)
{
    vind_status_t status =
        vind_related(vind_pool_searcher(req->slot), req->url_param, opts, list, errmsg);
    if (status != VIND_INDEX_CHANGED)
        return status;
    free(*errmsg);
    *errmsg = NULL;
    status = vind_pool_reopen(req->server->pool, req->slot, errmsg);
    if (status != VIND_OK)
        return status;
    return vind_related(vind_pool_searcher(req->slot), req->url_param, opts, list, errmsg);
}

enum MHD_Result handle_related(vind_request_t *req)
{
    if (req->url_param == NULL || *req->url_param == '\0')
        return vind_respond_error(req, 400, "missing parameter: url");
    vind_related_options_t opts;
    vind_related_options_init(&opts);
    if (req->limit)
        opts.limit = req->limit;
    /* Under the same admission as a search: related links of a long
     * document cost as much as a costly search (a 4 MB page: 30-36 ms of
     * CPU; a 131-page PDF 12 ms; bench/searchd-route-cost.py). */
    admission_ticket_t ticket;
    if (!admission_begin(req, &ticket))
        return vind_respond_busy(req);
    vind_related_list_t *list = NULL;
    char *errmsg = NULL;
    vind_status_t status = run_related(req, &opts, &list, &errmsg);
    admission_end(req, &ticket);
    if (status == VIND_NOT_FOUND) {
        free(errmsg);
        return vind_respond_error(req, 404, "no document with this url in the index");
    }
    if (status != VIND_OK)
        return respond_failure(req, status, errmsg);
    char *json = vind_related_to_json(list);
    vind_related_free(list);
    if (json == NULL)
        return respond_failure(req, VIND_NOMEM, NULL);
    return vind_respond_json(req, 200, json);
}

enum MHD_Result handle_doc(vind_request_t *req)
{
    if (req->url_param == NULL || *req->url_param == '\0')
        return vind_respond_error(req, 400, "missing parameter: url");
    char *json = NULL, *errmsg = NULL;
    vind_status_t status =
        vind_searcher_document(vind_pool_searcher(req->slot), req->url_param, 0, &json, &errmsg);
    if (status == VIND_NOT_FOUND) {
        free(errmsg);
        return vind_respond_error(req, 404, "no document with this url in the index");
    }
    if (status != VIND_OK)
        return respond_failure(req, status, errmsg);
    return vind_respond_json(req, 200, json);
}

enum MHD_Result handle_health(vind_request_t *req)
{
    char *errmsg = NULL;
    vind_status_t status = vind_pool_checkout(req->server->pool, &req->slot, &errmsg);
    json_t *body;
    unsigned http;
    char reason[256];
    if (status == VIND_OK) {
        /* Degraded: the index opens, but its read check (or a search) met
         * damaged blocks; searches may fail. 503, so that a load balancer
         * or monitor takes it out, with the reason for the operator. */
        int degraded = vind_pool_degraded(req->server->pool, reason, sizeof reason);
        vind_searcher_t *searcher = vind_pool_searcher(req->slot);
        body =
            json_pack("{s:s,s:I,s:I,s:s}", "status", degraded ? "degraded" : "ok", "documents",
                      (json_int_t)vind_searcher_doc_count(searcher), "revision",
                      (json_int_t)vind_searcher_revision(searcher), "version", VIND_VERSION_STRING);
        if (degraded && body) {
            VIND_LOG(req->server->log, VIND_LOG_WARNING, "health: degraded: %s", reason);
            json_object_set_new(body, "reason", json_string(reason));
        }
        http = degraded ? 503 : 200;
    } else {
        VIND_LOG(req->server->log, VIND_LOG_DEBUG, "health: %s",
                 errmsg ? errmsg : vind_status_to_string(status));
        body = json_pack("{s:s,s:{s:i,s:s}}", "status", "unavailable", "error", "status", 503,
                         "message", "the index is not available");
        http = 503;
    }
    free(errmsg);
    char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
    json_decref(body);
    return vind_respond_json(req, http, text);
}

enum MHD_Result handle_metrics(vind_request_t *req)
{
    char *requests = vind_metrics_render(req->server->metrics, vind_server_route_name);
    char *cache = vind_cache_metrics(req->server->cache);
    char *admission = vind_admission_metrics(req->server->admission);
    char *memo = vind_cost_memo_metrics(req->server->cost_memo);
    char *text =
        requests && cache && admission && memo
            ? malloc(strlen(requests) + strlen(cache) + strlen(admission) + strlen(memo) + 1)
            : NULL;
    if (text)
        strcat(strcat(strcat(strcpy(text, requests), cache), admission), memo);
    free(requests);
    g_free(cache);
    g_free(admission);
    g_free(memo);
    if (text == NULL)
        return vind_respond_error(req, 500, "out of memory");
    return vind_respond_text(req, 200, text, "text/plain; version=0.0.4; charset=utf-8");
}

/* A filtered page search that found nothing: the total without the filters
 * (the page offers that search), or -1. Costs a second search, only then. */
static long long unfiltered_total(vind_request_t *req)
{
    vind_search_request_t request;
    fill_request(&req->search, &request);
    for (int f = 0; f < VIND_FACET_LAST; f++)
        request.filters[f] = NULL, request.n_filters[f] = 0;
    request.from = request.to = NULL;
    request.offset = 0;
    request.limit = 1;
    request.facets = request.snippets = 0;
    vind_results_t *results = NULL;
    char *errmsg = NULL;
    long long total = -1;
    if (vind_search(vind_pool_searcher(req->slot), &request, &results, &errmsg) == VIND_OK)
        total = (long long)vind_page_listed(results);
    vind_results_free(results);
    free(errmsg);
    return total;
}

enum MHD_Result handle_page(vind_request_t *req)
{
    const vind_page_t *page = req->server->page;
    vind_page_form_t form;
    if (!vind_page_read_form(&req->search, &form))
        return vind_respond_html(req, 400,
                                 vind_page_render_form(page, &req->search, NULL, NULL, &form));
    if (!has_criteria(&req->search))
        return vind_respond_html(req, 200,
                                 vind_page_render_form(page, &req->search, NULL, NULL, &form));
    char *errmsg = NULL;
    vind_status_t status = vind_pool_checkout(req->server->pool, &req->slot, &errmsg);
    if (status != VIND_OK) {
        VIND_LOG(req->server->log, VIND_LOG_WARNING, "index unavailable: %s",
                 errmsg ? errmsg : vind_status_to_string(status));
        free(errmsg);
        return vind_respond_html(
            req, 503,
            vind_page_render_form(
                page, &req->search, NULL,
                "Zoeken is op dit moment niet beschikbaar. Probeer het later opnieuw.", &form));
    }
    admission_ticket_t ticket;
    if (!admission_begin(req, &ticket))
        return vind_respond_busy(req);
    vind_results_t *results = NULL;
    status = run_search(req, &results, &errmsg);
    if (status != VIND_OK) {
        admission_end(req, &ticket);
        vind_pool_note_failure(req->server->pool, status, errmsg);
        unsigned http = vind_respond_http_status(status);
        VIND_LOG(req->server->log, http >= 500 ? VIND_LOG_WARNING : VIND_LOG_DEBUG, "%s %s: %s",
                 req->method, req->path, errmsg ? errmsg : vind_status_to_string(status));
        free(errmsg);
        const char *message = http < 500
                                  ? "Deze zoekopdracht kon niet worden verwerkt. Probeer het "
                                    "met minder of andere woorden."
                                  : "Er ging iets mis bij het zoeken. Probeer het opnieuw.";
        return vind_respond_html(req, http,
                                 vind_page_render_form(page, &req->search, NULL, message, &form));
    }
    req->hits = (long long)vind_page_listed(results);
    if (req->hits == 0 && req->search.query && *req->search.query && has_filter(&req->search))
        form.unfiltered_total = unfiltered_total(req);
    admission_end(req, &ticket);
    char *html = vind_page_render_form(page, &req->search, results, NULL, &form);
    vind_results_free(results);
    return vind_respond_html(req, 200, html);
}

enum MHD_Result handle_asset(vind_request_t *req)
{
    const char *name = req->path + strlen(req->route->path);
    const vind_asset_t *asset = vind_page_asset(req->server->page, name);
    if (asset == NULL)
        return vind_respond_error(req, 404, NULL);
    return vind_respond_asset(req, asset);
}

enum MHD_Result handle_root(vind_request_t *req)
{
    return vind_respond_redirect(req, "/zoeken");
}
