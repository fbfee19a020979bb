/*
 * search-cost.c - the CPU cost of one search: thread CPU time of vind_search
 * (and of turning its results into JSON) for each request of a list, as
 * vind-searchd would run it (facets on, snippets on). Timing only, never
 * pass/fail: bench/search-cost.sh runs it in `make bench`.
 *
 *   search-cost DB PATHS [ROUNDS]
 *
 * PATHS holds one request a line, in the form bench/searchd-queries.py
 * writes for wrk: "/api/search?q=zorg&theme=Wonen&year=2021&sort=date&page=2".
 * Each request runs ROUNDS times (default 3, the first round warms the page
 * cache and is not counted). Prints the median, p90, p99 and mean per
 * search. Each round starts with the searcher's read cache empty (the first
 * without one), so a round is a stream of distinct queries, as a site's
 * visitors send them: what one query read may serve a later one, but no
 * query meets its own earlier answer's reads. Uses the public API only,
 * like every program of vind.
 *
 * Under callgrind, the statistics are zeroed when the second round starts
 * (the third with SEARCH_COST_KEEP_CACHE, below) and dumped when the last
 * one ends ("steady state"), so a profile holds only the rounds where every
 * plan is a kept one and every spelling walk's answer is kept, as for wrk
 * replaying the list against the daemon:
 *   valgrind --tool=callgrind --dump-instr=no search-cost DB PATHS 3
 * writes callgrind.out.PID.1 (the steady rounds) and callgrind.out.PID (the
 * rest).
 */
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <vind/vind.h>

/* Debian's valgrind package has the header; without it the rounds are
 * simply not marked (the requests are no-ops outside valgrind anyway). */
#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
#else
#define CALLGRIND_ZERO_STATS
#define CALLGRIND_DUMP_STATS_AT(name)
#endif

typedef struct {
    char *query;
    GPtrArray *filters[VIND_FACET_LAST];
    char *from, *to;
    vind_sort_t sort;
    size_t offset, limit;
    GPtrArray *owned; /* every decoded value; the fields above point into it */
} bench_request_t;

/* One request's cost in the last round: the slowest are listed (the tail
 * that sets a loaded daemon's p99). */
typedef struct {
    double ms;
    guint request;
} timed_t;

static int slower_first(const void *a, const void *b)
{
    const timed_t *x = a, *y = b;
    return (x->ms < y->ms) - (x->ms > y->ms);
}

static void report_slowest(GArray *timed, GPtrArray *requests, guint n)
{
    g_array_sort(timed, slower_first);
    printf("  slowest requests (vind_search, last round):\n");
    for (guint i = 0; i < n && i < timed->len; i++) {
        const timed_t *t = &g_array_index(timed, timed_t, i);
        const bench_request_t *r = requests->pdata[t->request];
        int filtered = r->from || r->to;
        for (int f = 0; f < VIND_FACET_LAST; f++)
            filtered |= r->filters[f] && r->filters[f]->len > 0;
        printf("    %7.3f ms  %s%s\n", t->ms, r->query ? r->query : "", filtered ? "  (+ filters)" : "");
    }
}

static double thread_cpu_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void take_parameter(bench_request_t *r, const char *key, char *value, size_t *page)
{
    g_ptr_array_add(r->owned, value);
    int facet = vind_facet_from_name(key);
    if (facet >= 0) {
        g_ptr_array_add(r->filters[facet], value);
        return;
    }
    if (strcmp(key, "q") == 0)
        r->query = value;
    else if (strcmp(key, "from") == 0)
        r->from = value;
    else if (strcmp(key, "to") == 0)
        r->to = value;
    else if (strcmp(key, "sort") == 0)
        r->sort = strcmp(value, "date") == 0       ? VIND_SORT_DATE_DESC
                  : strcmp(value, "date-asc") == 0 ? VIND_SORT_DATE_ASC
                                                   : VIND_SORT_RELEVANCE;
    else if (strcmp(key, "page") == 0)
        *page = strtoul(value, NULL, 10);
    else if (strcmp(key, "size") == 0)
        r->limit = strtoul(value, NULL, 10);
}

/* One request path into a request; NULL when it is not an /api/search. */
static bench_request_t *parse_path(const char *path)
{
    const char *query = strchr(path, '?');
    if (!query || strncmp(path, "/api/search", 11) != 0)
        return NULL;
    bench_request_t *r = g_new0(bench_request_t, 1);
    for (int f = 0; f < VIND_FACET_LAST; f++)
        r->filters[f] = g_ptr_array_new();
    r->owned = g_ptr_array_new_with_free_func(g_free);
    r->limit = 10;
    size_t page = 1;
    char **pairs = g_strsplit(query + 1, "&", -1);
    for (char **pair = pairs; *pair; pair++) {
        char *eq = strchr(*pair, '=');
        if (!eq)
            continue;
        *eq = '\0';
        g_strdelimit(eq + 1, "+", ' ');
        char *value = g_uri_unescape_string(eq + 1, NULL);
        if (value)
            take_parameter(r, *pair, value, &page);
    }
    g_strfreev(pairs);
    r->offset = (page ? page - 1 : 0) * r->limit;
    return r;
}

static void request_free(bench_request_t *r)
{
    for (int f = 0; f < VIND_FACET_LAST; f++)
        g_ptr_array_free(r->filters[f], TRUE);
    g_ptr_array_free(r->owned, TRUE);
    g_free(r);
}

static void fill(const bench_request_t *r, vind_search_request_t *req)
{
    vind_search_request_init(req);
    req->query = r->query;
    for (int f = 0; f < VIND_FACET_LAST; f++) {
        req->filters[f] = (const char *const *)r->filters[f]->pdata;
        req->n_filters[f] = r->filters[f]->len;
    }
    req->from = r->from;
    req->to = r->to;
    req->sort = r->sort;
    req->offset = r->offset;
    req->limit = r->limit;
    req->facets = 1;
    req->snippets = 1;
}

/* The stages of vind_results_explain's line, each timed apart. */
static const char *const stages[] = {"plan", "titles", "rank", "count", "hits", "suggest", "runs"};
enum { N_STAGES = sizeof stages / sizeof stages[0] };

/* Adds each stage's ms of an explain line ("plan 0.21ms lookups 2; rank 1
 * run 0.30ms; ...; runs 2 total 3456") to per_stage; for "runs", the number
 * of Xapian runs. A stage that did not run counts 0. */
static void take_explain(const char *line, GArray *per_stage[N_STAGES])
{
    double found[N_STAGES] = {0};
    char **parts = g_strsplit(line, "; ", -1);
    for (char **part = parts; *part; part++) {
        char **words = g_strsplit(*part, " ", -1);
        for (int s = 0; words[0] && s < N_STAGES; s++) {
            if (strcmp(words[0], stages[s]) != 0)
                continue;
            for (char **w = words + 1; *w; w++)
                if (s == N_STAGES - 1 ? w == words + 1 : g_str_has_suffix(*w, "ms"))
                    found[s] = g_ascii_strtod(*w, NULL);
        }
        g_strfreev(words);
    }
    g_strfreev(parts);
    for (int s = 0; s < N_STAGES; s++)
        g_array_append_val(per_stage[s], found[s]);
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void report(const char *label, GArray *ms)
{
    if (ms->len == 0)
        return;
    g_array_sort(ms, by_value);
    double sum = 0;
    for (guint i = 0; i < ms->len; i++)
        sum += g_array_index(ms, double, i);
    double *v = (double *)ms->data;
    printf("  %-30s n %5u  median %7.3f ms  p90 %7.3f ms  p99 %7.3f ms  mean %7.3f ms\n", label,
           ms->len, v[ms->len / 2], v[ms->len * 90 / 100], v[ms->len * 99 / 100], sum / ms->len);
}

/*
 * What a search box's completions cost: vind_suggest for the first 1-5
 * characters (whole UTF-8 characters) of each request's query, as typed key
 * by key, after one untimed call that lets the searcher keep its sorted
 * titles (lib/titles.h) as a daemon's worker does after its first.
 */
static void time_completions(vind_searcher_t *searcher, GPtrArray *requests)
{
    GArray *ms = g_array_new(FALSE, FALSE, sizeof(double));
    char **warm = NULL;
    vind_suggest(searcher, "a", 10, &warm, NULL);
    vind_strv_free(warm);
    for (guint i = 0; i < requests->len; i++) {
        const char *query = ((bench_request_t *)requests->pdata[i])->query;
        if (!query || !g_utf8_validate(query, -1, NULL))
            continue;
        const char *end = query;
        for (int typed = 1; typed <= 5 && *end; typed++) {
            end = g_utf8_next_char(end);
            char *prefix = g_strndup(query, (gsize)(end - query));
            char **completions = NULL;
            double t0 = thread_cpu_ms();
            vind_status_t status = vind_suggest(searcher, prefix, 10, &completions, NULL);
            double t1 = thread_cpu_ms();
            if (status == VIND_OK)
                g_array_append_val(ms, (double){t1 - t0});
            vind_strv_free(completions);
            g_free(prefix);
        }
    }
    printf("  completions (vind_suggest, the first 1-5 characters of each query):\n");
    report("  vind_suggest", ms);
    g_array_free(ms, TRUE);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: search-cost DB PATHS [ROUNDS]\n");
        return 2;
    }
    int rounds = argc > 3 ? atoi(argv[3]) : 3;
    char *text = NULL, *errmsg = NULL;
    if (!g_file_get_contents(argv[2], &text, NULL, NULL)) {
        fprintf(stderr, "search-cost: cannot read %s\n", argv[2]);
        return 1;
    }
    vind_lexicon_t *lexicon = NULL;
    vind_searcher_t *searcher = NULL;
    if (vind_lexicon_open(NULL, &lexicon, &errmsg) != VIND_OK ||
        vind_searcher_open(argv[1], lexicon, &searcher, &errmsg) != VIND_OK) {
        fprintf(stderr, "search-cost: %s\n", errmsg ? errmsg : "cannot open");
        return 1;
    }
    /* SEARCH_COST_NO_COLLAPSE=1: near-duplicates listed one by one, to see
     * what collapsing them costs (docs/ranking.md). */
    const char *no_collapse = getenv("SEARCH_COST_NO_COLLAPSE");
    if (no_collapse && *no_collapse && strcmp(no_collapse, "0") != 0)
        vind_searcher_set_collapse(searcher, 0);
    /* SEARCH_COST_READ_CACHE=BYTES: the searcher's cache of stored text and
     * records (default VIND_READ_CACHE_BYTES; 0: every hit read from the
     * index, as before the cache). */
    const char *read_cache = getenv("SEARCH_COST_READ_CACHE");
    size_t cache_bytes = read_cache && *read_cache ? (size_t)strtoull(read_cache, NULL, 10)
                                                   : VIND_READ_CACHE_BYTES;
    GPtrArray *requests = g_ptr_array_new_with_free_func((GDestroyNotify)request_free);
    char **lines = g_strsplit(text, "\n", -1);
    for (char **line = lines; *line; line++) {
        bench_request_t *r = parse_path(*line);
        if (r)
            g_ptr_array_add(requests, r);
    }
    g_strfreev(lines);
    g_free(text);

    GArray *search_ms = g_array_new(FALSE, FALSE, sizeof(double));
    GArray *json_ms = g_array_new(FALSE, FALSE, sizeof(double));
    GArray *timed = g_array_new(FALSE, FALSE, sizeof(timed_t));
    GArray *per_stage[N_STAGES];
    for (int s = 0; s < N_STAGES; s++)
        per_stage[s] = g_array_new(FALSE, FALSE, sizeof(double));
    size_t failed = 0;
    /* SEARCH_COST_KEEP_CACHE=1: the read cache is kept from the second
     * round on, as a daemon's searcher keeps it while wrk replays the list
     * (the steady state of bench/searchd.sh); by default each round starts
     * with it empty, as a stream of new queries would. */
    const char *keep = getenv("SEARCH_COST_KEEP_CACHE");
    int keep_cache = keep && *keep && strcmp(keep, "0") != 0;
    for (int round = 0; round < rounds; round++) {
        if (!keep_cache || round < 2) {
            vind_searcher_set_cache_size(searcher, 0); /* empties it */
            vind_searcher_set_cache_size(searcher, round > 0 || rounds == 1 ? cache_bytes : 0);
        }
        if (round == (keep_cache ? 2 : 1)) /* the steady state: plans kept (and the cache warm) */
            CALLGRIND_ZERO_STATS;
        for (guint i = 0; i < requests->len; i++) {
            vind_search_request_t req;
            fill(requests->pdata[i], &req);
            vind_results_t *results = NULL;
            double t0 = thread_cpu_ms();
            vind_status_t status = vind_search(searcher, &req, &results, NULL);
            double t1 = thread_cpu_ms();
            char *json = status == VIND_OK ? vind_results_to_json(results) : NULL;
            double t2 = thread_cpu_ms();
            if (status != VIND_OK)
                failed++;
            else if (round > 0 || rounds == 1) {
                g_array_append_val(search_ms, (double){t1 - t0});
                if (round == rounds - 1)
                    g_array_append_val(timed, ((timed_t){t1 - t0, i}));
                double json_cost = t2 - t1;
                g_array_append_val(json_ms, json_cost);
                take_explain(vind_results_explain(results), per_stage);
            }
            free(json);
            vind_results_free(results);
        }
    }
    if (rounds > 1)
        CALLGRIND_DUMP_STATS_AT("steady state: the rounds after the first");
    printf("search-cost: %u requests x %d rounds on %s (thread CPU time, facets and snippets on)\n",
           requests->len, rounds, argv[1]);
    report("vind_search", search_ms);
    report("vind_results_to_json", json_ms);
    printf("  per stage (vind_results_explain; \"runs\": Xapian runs, not ms):\n");
    for (int s = 0; s < N_STAGES; s++) {
        char label[32];
        snprintf(label, sizeof label, "  %s", stages[s]);
        report(label, per_stage[s]);
        g_array_free(per_stage[s], TRUE);
    }
    report_slowest(timed, requests, 8);
    g_array_free(timed, TRUE);
    time_completions(searcher, requests);
    if (failed)
        printf("  %zu searches failed\n", failed);
    g_array_free(search_ms, TRUE);
    g_array_free(json_ms, TRUE);
    g_ptr_array_free(requests, TRUE);
    vind_searcher_close(searcher);
    vind_lexicon_close(lexicon);
    return 0;
}
