/*
 * metrics.c - vind-searchd's /metrics: requests by route and status, two
 * latency histograms per route (the whole request, and its answer alone:
 * server.c's request_times), and the index revision and size, in the
 * Prometheus text format (version 0.0.4).
 *
 * Counters are plain atomics in one allocation: recording a request takes
 * no lock, so the metrics never slow the workers down.
 */
#include <glib.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "metrics.h"

/* The statuses vind-searchd sends; anything else is counted as "other". */
static const unsigned status_codes[] = {200, 204, 302, 304, 400, 404, 405,
                                        413, 414, 431, 500, 501, 503};
#define N_STATUS (sizeof status_codes / sizeof status_codes[0] + 1)

/* Latency bucket bounds in seconds (a search over the corpus takes ~1-50 ms). */
static const double bucket_bounds[] = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                       0.1,   0.25,   0.5,   1.0,  2.5,   5.0};
#define N_BUCKETS (sizeof bucket_bounds / sizeof bucket_bounds[0])

typedef struct {
    atomic_uint_fast64_t buckets[N_BUCKETS]; /* not cumulative; summed when rendered */
    atomic_uint_fast64_t count;
    atomic_uint_fast64_t micros_sum;
} histogram_t;

typedef struct {
    atomic_uint_fast64_t by_status[N_STATUS];
    histogram_t duration; /* request line read to the last byte sent */
    histogram_t answer;   /* the whole request in to the answer made */
} route_counters_t;

struct vind_metrics {
    atomic_uint_fast64_t revision;
    atomic_uint_fast64_t documents;
    atomic_int index_seen;
    char *(*more)(const void *cls); /* vind_metrics_set_more's source, or NULL */
    const void *more_cls;
    size_t n_routes; /* plus one "other" */
    route_counters_t routes[];
};

vind_metrics_t *vind_metrics_new(size_t n_routes)
{
    vind_metrics_t *metrics =
        calloc(1, sizeof *metrics + (n_routes + 1) * sizeof(route_counters_t));
    if (metrics == NULL)
        return NULL;
    metrics->n_routes = n_routes;
    return metrics;
}

void vind_metrics_free(vind_metrics_t *metrics)
{
    free(metrics);
}

void vind_metrics_set_more(vind_metrics_t *metrics, char *(*more)(const void *cls), const void *cls)
{
    metrics->more = more;
    metrics->more_cls = cls;
}

static size_t status_index(unsigned http_status)
{
    for (size_t i = 0; i < N_STATUS - 1; i++)
        if (status_codes[i] == http_status)
            return i;
    return N_STATUS - 1;
}

static void observe(histogram_t *histogram, double seconds)
{
    atomic_fetch_add(&histogram->count, 1);
    atomic_fetch_add(&histogram->micros_sum, (uint_fast64_t)(seconds * 1e6));
    for (size_t b = 0; b < N_BUCKETS; b++)
        if (seconds <= bucket_bounds[b]) {
            atomic_fetch_add(&histogram->buckets[b], 1);
            break;
        }
}

void vind_metrics_record(vind_metrics_t *metrics, size_t route, unsigned http_status,
                         double seconds, double answer_seconds)
{
    if (route > metrics->n_routes)
        route = metrics->n_routes;
    route_counters_t *counters = &metrics->routes[route];
    atomic_fetch_add(&counters->by_status[status_index(http_status)], 1);
    observe(&counters->duration, seconds);
    observe(&counters->answer, answer_seconds);
}

void vind_metrics_set_index(vind_metrics_t *metrics, uint64_t revision, uint64_t documents)
{
    atomic_store(&metrics->revision, revision);
    atomic_store(&metrics->documents, documents);
    atomic_store(&metrics->index_seen, 1);
}

/* Route paths are ours ("/api/search"), so they need no label escaping. */
static void render_route(GString *out, const route_counters_t *counters, const char *name)
{
    for (size_t s = 0; s < N_STATUS; s++) {
        uint_fast64_t n = atomic_load(&counters->by_status[s]);
        if (n == 0)
            continue;
        if (s < N_STATUS - 1)
            g_string_append_printf(out,
                                   "vind_http_requests_total{route=\"%s\",status=\"%u\"} %llu\n",
                                   name, status_codes[s], (unsigned long long)n);
        else
            g_string_append_printf(out,
                                   "vind_http_requests_total{route=\"%s\",status=\"other\"} %llu\n",
                                   name, (unsigned long long)n);
    }
}

static void render_histogram(GString *out, const histogram_t *histogram, const char *metric,
                             const char *name)
{
    uint_fast64_t count = atomic_load(&histogram->count);
    if (count == 0)
        return;
    uint_fast64_t cumulative = 0;
    for (size_t b = 0; b < N_BUCKETS; b++) {
        cumulative += atomic_load(&histogram->buckets[b]);
        g_string_append_printf(out, "%s_bucket{route=\"%s\",le=\"%g\"} %llu\n", metric, name,
                               bucket_bounds[b], (unsigned long long)cumulative);
    }
    g_string_append_printf(out, "%s_bucket{route=\"%s\",le=\"+Inf\"} %llu\n", metric, name,
                           (unsigned long long)count);
    g_string_append_printf(out, "%s_sum{route=\"%s\"} %.6f\n", metric, name,
                           (double)atomic_load(&histogram->micros_sum) / 1e6);
    g_string_append_printf(out, "%s_count{route=\"%s\"} %llu\n", metric, name,
                           (unsigned long long)count);
}

char *vind_metrics_render(const vind_metrics_t *metrics, const char *(*route_name)(size_t))
{
    GString *out = g_string_sized_new(4096);
    g_string_append(out, "# HELP vind_http_requests_total HTTP requests by route and status.\n"
                         "# TYPE vind_http_requests_total counter\n");
    for (size_t r = 0; r <= metrics->n_routes; r++)
        render_route(out, &metrics->routes[r], r < metrics->n_routes ? route_name(r) : "other");
    g_string_append(out, "# HELP vind_http_request_duration_seconds Time from the request line "
                         "read to the answer's last byte sent (with the client's time to send "
                         "and to read).\n"
                         "# TYPE vind_http_request_duration_seconds histogram\n");
    for (size_t r = 0; r <= metrics->n_routes; r++)
        render_histogram(out, &metrics->routes[r].duration, "vind_http_request_duration_seconds",
                         r < metrics->n_routes ? route_name(r) : "other");
    g_string_append(out, "# HELP vind_http_answer_duration_seconds Time from the whole request "
                         "in to its answer made (the server's own, without the client's).\n"
                         "# TYPE vind_http_answer_duration_seconds histogram\n");
    for (size_t r = 0; r <= metrics->n_routes; r++)
        render_histogram(out, &metrics->routes[r].answer, "vind_http_answer_duration_seconds",
                         r < metrics->n_routes ? route_name(r) : "other");
    if (atomic_load(&metrics->index_seen)) {
        g_string_append_printf(out,
                               "# HELP vind_index_revision Index revision the searchers see.\n"
                               "# TYPE vind_index_revision gauge\n"
                               "vind_index_revision %llu\n"
                               "# HELP vind_index_documents Documents in the index.\n"
                               "# TYPE vind_index_documents gauge\n"
                               "vind_index_documents %llu\n",
                               (unsigned long long)atomic_load(&metrics->revision),
                               (unsigned long long)atomic_load(&metrics->documents));
    }
    if (metrics->more) {
        char *more = metrics->more(metrics->more_cls);
        if (more)
            g_string_append(out, more);
        g_free(more);
    }
    char *text = strdup(out->str);
    g_string_free(out, TRUE);
    return text;
}
