/*
 * server.h - (searchd, private) the daemon's state, its configuration and
 * the per-request context every searchd file passes around.
 *
 * There is no global mutable state: main.c fills one vind_config_t, the
 * server builds one vind_server_t and hands it to libmicrohttpd as the
 * closure of every callback; each request gets a vind_request_t, allocated
 * on MHD's first callback and freed in its request-completed callback.
 */
#ifndef VIND_SEARCHD_SERVER_H
#define VIND_SEARCHD_SERVER_H

#include <glib.h>
#include <microhttpd.h>
#include <stdatomic.h>
#include <stdint.h>

#include <vind/analyze.h>
#include <vind/log.h>
#include <vind/search.h>

#include "admission.h" /* VIND_CLIENT_KEY_BYTES */

typedef struct vind_pool vind_pool_t;
typedef struct vind_pool_slot vind_pool_slot_t;
typedef struct vind_metrics vind_metrics_t;
typedef struct vind_page vind_page_t;
typedef struct vind_responses vind_responses_t;
typedef struct vind_connection_list vind_connection_list_t;
typedef struct vind_client_table vind_client_table_t;
typedef struct vind_cache vind_cache_t;
typedef struct vind_admission vind_admission_t;
typedef struct vind_cost_memo vind_cost_memo_t;
typedef struct vind_search_threads vind_search_threads_t;
typedef struct vind_proxies vind_proxies_t;
typedef struct vind_acceptor vind_acceptor_t;
typedef struct vind_worker vind_worker_t;

/* Everything main.c reads from the command line (and the environment). */
typedef struct {
    char *db_path;      /* --db, else $VIND_DB, else ./vind.db */
    char *listen;       /* --listen HOST:PORT (port 0: any free port) */
    int reuse_port;     /* --reuse-port: SO_REUSEPORT, share the port with other daemons */
    unsigned threads;   /* --threads: search threads, each with a searcher */
    unsigned http_threads; /* --http-threads: libmicrohttpd workers, one thread each */
    char *template_dir; /* --template, else <datadir>/templates */
    char *cors_origin;  /* --cors ORIGIN, or NULL: no CORS headers */
    unsigned max_connections;
    unsigned max_connections_per_ip;
    unsigned idle_seconds;        /* MHD_OPTION_CONNECTION_TIMEOUT */
    unsigned request_seconds;     /* whole time to send one request */
    unsigned slow_ms;             /* slow-query log threshold */
    unsigned max_searches_per_ip; /* --max-searches-per-ip: searches at once from one address */
    unsigned max_heavy_searches;  /* --max-heavy-searches: of heavy addresses at once (0: off) */
    unsigned heavy_search_ms;     /* --heavy-search-ms: CPU that makes an address heavy */
    double search_seconds;        /* --search-time-limit: each search's budget (0: none) */
    uint64_t count_limit;         /* --count-limit: matches counted exactly (0: all) */
    size_t cache_bytes;           /* --cache-size: the result cache's bound (0: no cache) */
    size_t read_cache_bytes;      /* --read-cache-size: each worker's stored text and records */
    unsigned test_delay_ms;       /* $VIND_SEARCHD_TEST_DELAY_MS: tests only, see handlers.c */
    unsigned cheap_search_us; /* $VIND_SEARCHD_CHEAP_SEARCH_US: known-cheap bound (0, unset: off) */
    vind_proxies_t *trusted_proxies; /* --trusted-proxy (proxy.h); NULL: none */
    vind_log_t log;
} vind_config_t;

/* The daemon: shared, read-only after start except for the atomics and the
 * structures that lock themselves (pool, metrics, connection list). */
typedef struct {
    const vind_config_t *config;
    const vind_log_t *log;
    vind_pool_t *pool;
    vind_metrics_t *metrics;
    vind_page_t *page;
    vind_responses_t *responses;
    vind_cache_t *cache; /* /api/search answers (cache.h); locks itself */
    vind_connection_list_t *connections;
    vind_client_table_t *clients;    /* searches in flight per client address */
    vind_admission_t *admission;     /* costly-search admission (admission.h); NULL: off */
    vind_cost_memo_t *cost_memo;     /* known-cheap searches (costmemo.h); NULL: off */
    vind_search_threads_t *searches; /* --threads search threads: every route that searches */
    /* --http-threads libmicrohttpd daemons of one thread each, no listening
     * socket of their own: the acceptor hands each connection to the one
     * with the fewest (acceptor.h). */
    vind_worker_t *workers;
    unsigned n_workers;
    vind_acceptor_t *acceptor;
    int listen_fd; /* -1 when not listening */
    atomic_uint in_flight; /* requests between first callback and completion */
    atomic_int stopping;   /* set by vind_server_stop: new connections are refused */
} vind_server_t;

typedef struct vind_request vind_request_t;
typedef enum MHD_Result (*vind_handler_fn)(vind_request_t *req);

/* Route flags. */
#define VIND_ROUTE_PREFIX 0x01u /* path is a prefix ("/assets/") */
#define VIND_ROUTE_HTML 0x02u   /* errors are answered as an HTML page */
#define VIND_ROUTE_SEARCH 0x04u /* takes the search parameters (q, tag, ..., page, size) */
#define VIND_ROUTE_INDEX 0x08u  /* needs a searcher checked out of the pool */
#define VIND_ROUTE_CACHED 0x10u /* its answers may come from the result cache (tried on the worker) */

/* One entry of the one route table (server.c). Every route answers GET and
 * HEAD; max_value_bytes bounds each query-string value. */
typedef struct {
    const char *method;
    const char *path;
    vind_handler_fn handler;
    unsigned flags;
    size_t max_value_bytes;
} vind_route_t;

/* The parsed search parameters of /api/search and /zoeken. Strings borrow
 * MHD's copies of the query string, valid until the request completes. */
typedef struct {
    const char *query;                   /* q ("" when absent) */
    GPtrArray *filters[VIND_FACET_LAST]; /* tag=, theme=, type=, year= (const char *) */
    const char *from;
    const char *to;
    const char *sort_name; /* as given, for links; NULL = relevance */
    vind_sort_t sort;
    unsigned page; /* 1-based */
    unsigned size;
    const char *similar; /* similar=<group>: list one group of near-duplicates, or NULL */
    int no_collapse;     /* collapse=0: list near-duplicates one by one */
} vind_search_params_t;

struct vind_request {
    vind_server_t *server;
    struct MHD_Connection *connection;
    const vind_route_t *route; /* NULL: no route matched */
    int route_index;           /* metrics label; the route count for "other" */
    const char *method;        /* copies, valid until completion (for the log) */
    const char *path;
    char *method_copy;
    char *path_copy;
    size_t uri_bytes; /* the raw request target, before unescaping */
    int bad_escape;   /* the raw target has a '%' not followed by two hex digits */
    int raw_nul;      /* the raw target holds a NUL byte (MHD's C string stops there) */
    int too_many_parameters; /* past VIND_SEARCHD_MAX_PARAMETERS: cut before MHD parsed them */
    int client_held;  /* counts in server->clients (released when the handler is done) */
    int counted;      /* counted in server->in_flight */
    int head;         /* HEAD: MHD sends headers only */
    int64_t start_us;    /* the request line read */
    int64_t received_us; /* the whole request in (headers, then the body); 0: not yet */
    int64_t answered_us; /* the answer made, ready to send (respond.c); 0: none */
    size_t body_bytes;
    int responded; /* a response is queued */
    int close_after; /* the answer says Connection: close (a request whose framing is ambiguous) */
    unsigned http_status;
    long long hits;         /* for the access log; -1: not a search */
    vind_pool_slot_t *slot; /* checked out searcher, returned at completion */
    vind_search_params_t search;
    const char *url_param; /* url= of /api/doc and /api/related */
    unsigned limit;        /* limit= of /api/related */
    char *log_query;       /* q, for the slow-query line (malloc'd) */
    char *search_key;      /* vind_cache_key of search, made once (handlers.c; malloc'd) */
    /* Run on a search thread (server.c): the connection is suspended, the
     * answer waits here until the access handler queues it after the resume. */
    int dispatched;                   /* handed to a search thread */
    int cache_missed;                 /* the worker found no answer in the result cache */
    struct vind_request *next_search; /* the search threads' queue (server.c) */
    int heavy_when_queued;            /* its address was heavy then (admission.h) */
    int64_t queue_rank; /* its address's recent CPU then + its query's cost: least served first */
    int queue_keyed;    /* queue_key holds its address's key (admission on) */
    unsigned char queue_key[VIND_CLIENT_KEY_BYTES]; /* its address's key when it was queued */
    int client_keyed;                 /* vind_request_client_key: 0 not yet, 1 made, -1 none */
    unsigned char client_key[17];
    int deferred;                     /* answers are kept, not queued */
    struct MHD_Response *deferred_response;
    int deferred_owned; /* destroy it once queued (not a canned one) */
    /* Or, for a body with the common headers (respond.c's send_sized), the
     * body alone: its response is built by the worker that sends and frees
     * it, so the response and its headers never cross threads. */
    char *deferred_body;
    size_t deferred_length;
    const char *deferred_content_type; /* static text */
    int deferred_cacheable;
};

/* The key of the request's client, made once per request: the peer's
 * (family byte + address bytes, the port left out; an IPv6 address's first
 * 64 bits, a client's /64: proxy.h's vind_proxy_client_key), or, when the peer is a trusted proxy
 * (--trusted-proxy), the client its X-Forwarded-For names (proxy.h). Every
 * per-client decision about a request (--max-searches-per-ip, costly-search
 * admission and its queue) takes this key; the connection limits, made
 * before any header is read, take the peer's. 1, or 0 when the connection
 * has no address. Thread: the request's holder. Cost: the first call, a
 * trusted peer's: a pass over the headers and at most
 * VIND_SEARCHD_MAX_FORWARDED_HOPS parses (~1 us); after it, a copy. */
int vind_request_client_key(vind_request_t *req, unsigned char key[17]);

/* The searchers the pool needs (vind_pool_new's size): one per search thread
 * and one per worker, for /health, which must never wait for a search. */
unsigned vind_server_searcher_count(const vind_config_t *config);

/* The route count (metrics label "other" has this index) and route i's path. */
size_t vind_server_route_count(void);
const char *vind_server_route_name(size_t i);

/*
 * Starts the daemon on config->listen with config->http_threads workers and
 * config->threads search threads; *port
 * receives the bound port. Return value: VIND_OK; VIND_INVALID_ARGUMENT (a
 * bad --listen); VIND_IO (bind failed: *errmsg says why).
 */
vind_status_t vind_server_start(vind_server_t *server, unsigned *port, char **errmsg);

/* Cuts off connections that took longer than config->request_seconds to
 * send their request (a client sending one byte a second). Called about
 * once a second by main.c. */
void vind_server_sweep(vind_server_t *server);

/* Stops accepting, waits up to VIND_SEARCHD_DRAIN_SECONDS for requests in
 * flight, then stops the daemon. */
void vind_server_stop(vind_server_t *server);

/* The connection list behind vind_server_sweep (allocated by start). */
void vind_server_free_connections(vind_server_t *server);

#endif
