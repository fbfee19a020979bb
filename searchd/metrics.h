/*
 * metrics.h - (searchd, private) request counters by route and status, two
 * latency histograms per route and the index revision, as Prometheus text.
 */
#ifndef VIND_SEARCHD_METRICS_H
#define VIND_SEARCHD_METRICS_H

#include <stddef.h>
#include <stdint.h>

typedef struct vind_metrics vind_metrics_t;

/* Metrics for n_routes routes (index n_routes is "other"). NULL on NOMEM. */
vind_metrics_t *vind_metrics_new(size_t n_routes);
void vind_metrics_free(vind_metrics_t *metrics);

/* Counts one request: seconds from its request line read to its last byte
 * sent, answer_seconds from the whole request in to its answer made.
 * Thread: safe (atomics only). */
void vind_metrics_record(vind_metrics_t *metrics, size_t route, unsigned http_status,
                         double seconds, double answer_seconds);

/* The revision and document count a searcher last saw. Thread: safe. */
void vind_metrics_set_index(vind_metrics_t *metrics, uint64_t revision, uint64_t documents);

/* Another part's Prometheus text, appended to every render: more(cls)
 * returns g_malloc'd text (NULL: none). The server's accept thread gives its
 * gauges this way. Thread: set it before the daemon serves. */
void vind_metrics_set_more(vind_metrics_t *metrics, char *(*more)(const void *cls),
                           const void *cls);

/* Prometheus text exposition (malloc'd); route_name(i) labels route i, then
 * the text of vind_metrics_set_more's source. */
char *vind_metrics_render(const vind_metrics_t *metrics, const char *(*route_name)(size_t));

#endif
