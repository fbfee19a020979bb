/*
 * server.c - vind-searchd's HTTP side: the libmicrohttpd daemons, the one
 * route table, the request guards (all in guard_request) and the request
 * context's life cycle.
 *
 * Request life cycle (libmicrohttpd's callbacks, all on the connection's worker):
 *   uri_log_callback     request line read: allocate the vind_request_t
 *                        (MHD keeps it as the request's context pointer);
 *                        note a malformed escape or a raw NUL in the target
 *   access_handler #1    headers read: guard_request() checks method, route,
 *                        URI length, body size and every parameter; a
 *                        rejected request is answered at once
 *   access_handler #2..  body bytes (a GET has none): counted and dropped
 *   access_handler last  body done: count the search against its client
 *                        address (429 past --max-searches-per-ip), check out
 *                        a searcher if the route needs one, run the handler
 *                        (a searching route: on a search thread, see below)
 *   request_completed    access-log line, metrics, searcher back to the
 *                        pool, context freed (also for aborted requests)
 *
 * Threads: --http-threads I/O workers (a libmicrohttpd daemon each, one
 * epoll thread, no listening socket: an accept thread hands each connection
 * to the worker with the fewest, acceptor.h), and --threads search threads
 * (a queue of their own, below), counted apart since session 20. A route that
 * searches (VIND_ROUTE_INDEX or VIND_ROUTE_SEARCH) has its connection
 * suspended and its handler run on a search thread, which counts it against
 * its client address, checks a searcher out and back in, keeps the answer
 * in the request and resumes the connection; the worker's next call of the
 * access handler queues it. Every other route (/health, /metrics, assets)
 * is answered on the worker at once. Why: a worker serves its connections
 * in turn, so when it ran searches itself (until session 12) one slow
 * search held every other connection it owned, /health too
 * (docs/searchd.md "Threads" has the figures).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <vind/limits.h>
#include "acceptor.h"
#include "admission.h"
#include "cache.h"
#include "error.h"
#include "handlers.h"
#include "metrics.h"
#include "pool.h"
#include "proxy.h"
#include "respond.h"

/* The one route table. Every route answers GET and HEAD. */
static const vind_route_t routes[] = {
    {"GET", "/api/search", handle_search, VIND_ROUTE_SEARCH | VIND_ROUTE_INDEX | VIND_ROUTE_CACHED,
     VIND_MAX_QUERY_BYTES},
    {"GET", "/api/suggest", handle_suggest, VIND_ROUTE_INDEX, 256},
    {"GET", "/api/related", handle_related, VIND_ROUTE_INDEX, 2048},
    {"GET", "/api/doc", handle_doc, VIND_ROUTE_INDEX, 2048},
    {"GET", "/health", handle_health, 0, 64},
    {"GET", "/metrics", handle_metrics, 0, 64},
    {"GET", "/zoeken", handle_page, VIND_ROUTE_HTML | VIND_ROUTE_SEARCH, VIND_MAX_QUERY_BYTES},
    {"GET", "/zoeken/", handle_page, VIND_ROUTE_HTML | VIND_ROUTE_SEARCH, VIND_MAX_QUERY_BYTES},
    {"GET", "/zoeken/assets/", handle_asset, VIND_ROUTE_PREFIX, 64},
    {"GET", "/assets/", handle_asset, VIND_ROUTE_PREFIX, 64},
    {"GET", "/", handle_root, 0, 64},
};
#define N_ROUTES (sizeof routes / sizeof routes[0])

/* --threads and --http-threads, at least 1 each (main.c checks them; a
 * test's zeroed config still gets a thread of each). */
static unsigned search_thread_count(const vind_config_t *config)
{
    return config->threads ? config->threads : 1;
}

static unsigned http_thread_count(const vind_config_t *config)
{
    return config->http_threads ? config->http_threads : 1;
}

unsigned vind_server_searcher_count(const vind_config_t *config)
{
    return search_thread_count(config) + http_thread_count(config);
}

size_t vind_server_route_count(void)
{
    return N_ROUTES;
}

const char *vind_server_route_name(size_t i)
{
    return i < N_ROUTES ? routes[i].path : "other";
}

/* ---- connections: cutting off clients that send a request too slowly ---- */

/* MHD's idle timeout restarts with every byte, so a client sending one byte a
 * second would hold a connection (and a slot of the per-IP limit) forever.
 * Each connection is listed with the time its current request began; the
 * sweep shuts down the socket of one that is still receiving after
 * request_seconds, and MHD then closes it as if the client had hung up. */
typedef struct connection_record {
    struct connection_record *prev, *next; /* under the list's lock */
    int fd;
    /* Set by the connection's own worker twice a request without the
     * list's lock (one lock for all the workers, taken twice a request,
     * was a point where they met for nothing); the sweep reads them under
     * the lock, which keeps the record alive. since_us is stored before
     * receiving is set, so a sweep that sees receiving sees its time. */
    atomic_int receiving; /* 1 from the end of the previous request until a request is read */
    _Atomic int64_t since_us;
    unsigned char client[17]; /* client_key_of_address; counted in the list's clients */
    int counted;
    /* The request whose context uri_log_callback made and request_completed
     * has not yet taken, touched only by the connection's own worker.
     * libmicrohttpd calls request_completed only for a request that reached
     * the access handler: one it refuses itself while reading (its pool
     * full of a request's parameters or headers: an empty close or its own
     * 4xx) would leak its context (session 16: fuzz_searchd, 320 bytes a
     * request). The connection's close frees it. */
    struct vind_request *unfinished;
} connection_record_t;

struct vind_connection_list {
    pthread_mutex_t lock; /* pthread: visible to ThreadSanitizer (pool.c says why) */
    connection_record_t *head;
    GHashTable *clients; /* GBytes client key -> GUINT_TO_POINTER(open connections) */
};

/* --max-connections-per-ip counts each client: an IPv6 client is its /64
 * (client_key_of_address). The accept thread counts a connection before it
 * hands it over (admit_connection, closing one past the limit at once) and
 * its close takes it off (notify_connection), both under the list's lock.
 * Cost: a hash of 17 bytes per connection. */
static unsigned open_connections_of(vind_server_t *server, const unsigned char client[17])
{
    GBytes *key = g_bytes_new_static(client, 17);
    unsigned count = GPOINTER_TO_UINT(g_hash_table_lookup(server->connections->clients, key));
    g_bytes_unref(key);
    return count;
}

/* Adds delta to the client's open connections; the list's lock is held. */
static void count_client(vind_server_t *server, const unsigned char client[17], int delta)
{
    GHashTable *clients = server->connections->clients;
    unsigned count = open_connections_of(server, client) + (unsigned)delta;
    GBytes *key = g_bytes_new(client, 17);
    if (count == 0)
        g_hash_table_remove(clients, key);
    else
        g_hash_table_replace(clients, g_bytes_ref(key), GUINT_TO_POINTER(count));
    g_bytes_unref(key);
}

/* An address's family and bytes (16 bytes at most, zeros past its own). */
static void address_bytes(const struct sockaddr *address, int *family, unsigned char bytes[16])
{
    *family = address->sa_family;
    memset(bytes, 0, 16);
    if (address->sa_family == AF_INET)
        memcpy(bytes, &((const struct sockaddr_in *)(const void *)address)->sin_addr, 4);
    else if (address->sa_family == AF_INET6)
        memcpy(bytes, &((const struct sockaddr_in6 *)(const void *)address)->sin6_addr, 16);
}

/* The client key of an address (vind_proxy_client_key, also for a trusted
 * proxy's client). An IPv6 client is its /64: a home or a server gets a
 * /64 (or more) and may send from any of its 2^64 addresses, so keyed by
 * the whole address one client passed every per-address limit (the hostile
 * probe of session 14: six searches at once from six addresses of one /64,
 * none refused; --max-searches-per-ip 3). An IPv4-mapped address
 * (::ffff:a.b.c.d) is its IPv4 address. */
static void client_key_of_address(const struct sockaddr *address, unsigned char key[17])
{
    int family;
    unsigned char bytes[16];
    address_bytes(address, &family, bytes);
    vind_proxy_client_key(family, bytes, key);
}

/* The client key of an address the accept thread counts (an IP client's);
 * 0 for any other. */
static int counted_key(const struct sockaddr *address, socklen_t length, unsigned char client[17])
{
    if (length < sizeof address->sa_family ||
        (address->sa_family != AF_INET && address->sa_family != AF_INET6))
        return 0; /* not an IP address: nothing to count */
    client_key_of_address(address, client);
    return 1;
}

/* counted_key of a connection's address (libmicrohttpd's copy of it). */
static int counted_key_of(struct MHD_Connection *connection, unsigned char client[17])
{
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    return info && info->client_addr &&
           counted_key(info->client_addr, sizeof(struct sockaddr_storage), client);
}

/* A connection whose start could not be recorded gives its count back. */
static void uncount_connection(vind_server_t *server, struct MHD_Connection *connection)
{
    unsigned char client[17];
    if (!counted_key_of(connection, client))
        return;
    pthread_mutex_lock(&server->connections->lock);
    count_client(server, client, -1);
    pthread_mutex_unlock(&server->connections->lock);
}

static void request_free(vind_request_t *req);

/* One libmicrohttpd daemon and its one thread. It is the closure of the
 * daemon's connection notifications, so a closed connection is counted off
 * the worker that served it. */
struct vind_worker {
    vind_server_t *server;
    unsigned index;
    struct MHD_Daemon *daemon;
};

static void notify_connection(void *cls, struct MHD_Connection *connection, void **socket_context,
                              enum MHD_ConnectionNotificationCode code)
{
    vind_worker_t *worker = cls;
    vind_server_t *server = worker->server;
    vind_connection_list_t *list = server->connections;
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        connection_record_t *record = calloc(1, sizeof *record);
        const union MHD_ConnectionInfo *info =
            MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CONNECTION_FD);
        if (record == NULL || info == NULL) {
            free(record);
            uncount_connection(server, connection);
            return;
        }
        record->fd = info->connect_fd;
        atomic_init(&record->since_us, g_get_monotonic_time());
        atomic_init(&record->receiving, 1);
        /* counted by the accept thread (admit_connection); given back at CLOSED */
        record->counted = counted_key_of(connection, record->client);
        pthread_mutex_lock(&list->lock);
        record->next = list->head;
        if (list->head)
            list->head->prev = record;
        list->head = record;
        pthread_mutex_unlock(&list->lock);
        *socket_context = record;
        return;
    }
    /* CLOSED runs before MHD closes the socket, so a listed fd is never a
     * reused one. */
    vind_acceptor_closed(server->acceptor, worker->index);
    connection_record_t *record = *socket_context;
    if (record == NULL)
        return;
    request_free(record->unfinished);
    pthread_mutex_lock(&list->lock);
    if (record->counted)
        count_client(server, record->client, -1);
    if (record->prev)
        record->prev->next = record->next;
    else
        list->head = record->next;
    if (record->next)
        record->next->prev = record->prev;
    pthread_mutex_unlock(&list->lock);
    free(record);
    *socket_context = NULL;
}

/* The connection's record (NULL when notify_connection could not make one). */
static connection_record_t *record_of(struct MHD_Connection *connection)
{
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(connection, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return info ? info->socket_context : NULL;
}

static void set_receiving(connection_record_t *record, int receiving)
{
    if (record == NULL)
        return;
    atomic_store_explicit(&record->since_us, g_get_monotonic_time(), memory_order_relaxed);
    atomic_store_explicit(&record->receiving, receiving, memory_order_release);
}

void vind_server_sweep(vind_server_t *server)
{
    if (server->connections == NULL)
        return;
    int64_t limit = (int64_t)server->config->request_seconds * G_TIME_SPAN_SECOND;
    int64_t now = g_get_monotonic_time();
    unsigned cut = 0;
    pthread_mutex_lock(&server->connections->lock);
    for (connection_record_t *r = server->connections->head; r; r = r->next) {
        if (!atomic_load_explicit(&r->receiving, memory_order_acquire) ||
            now - atomic_load_explicit(&r->since_us, memory_order_relaxed) < limit)
            continue;
        shutdown(r->fd, SHUT_RDWR);
        atomic_store(&r->receiving, 0); /* once is enough */
        cut++;
    }
    pthread_mutex_unlock(&server->connections->lock);
    if (cut)
        VIND_LOG(server->log, VIND_LOG_INFO, "cut off %u connection(s) slower than %us", cut,
                 server->config->request_seconds);
}

static void client_table_free(vind_client_table_t *table);

void vind_server_free_connections(vind_server_t *server)
{
    client_table_free(server->clients);
    server->clients = NULL;
    if (server->connections == NULL)
        return;
    pthread_mutex_destroy(&server->connections->lock);
    if (server->connections->clients)
        g_hash_table_destroy(server->connections->clients);
    free(server->connections);
    server->connections = NULL;
}

/* ---- searches in flight per client address ---- */

/* One costly search (64 wildcards, size 100: ~0.2 s of CPU on the corpus,
 * bounded by --search-time-limit) holds its search thread meanwhile; a client with as many
 * connections as there are search threads would hold them all and everyone else would queue behind
 * it. So one address may run at most max_searches_per_ip searches at once (default threads - 1):
 * the rest get 429 at once, and a search thread stays free for other addresses. A search is counted
 * when a search thread (or a worker, for a known-cheap search) takes it up, so at most --threads +
 * --http-threads are counted at once: the table has that many entries and a linear scan under one
 * lock costs less than a microsecond per search. */
typedef struct {
    unsigned char key[17]; /* family byte + up to 16 address bytes */
    unsigned count;
} client_entry_t;

struct vind_client_table {
    pthread_mutex_t lock;
    size_t size;
    client_entry_t entries[];
};

/* A table of `searches_at_once` entries (at least 1). */
static vind_client_table_t *client_table_new(unsigned searches_at_once)
{
    size_t size = searches_at_once ? searches_at_once : 1;
    vind_client_table_t *table = calloc(1, sizeof *table + size * sizeof table->entries[0]);
    if (table == NULL)
        return NULL;
    pthread_mutex_init(&table->lock, NULL);
    table->size = size;
    return table;
}

static void client_table_free(vind_client_table_t *table)
{
    if (table == NULL)
        return;
    pthread_mutex_destroy(&table->lock);
    free(table);
}

/* The peer's address: 1 with its family and bytes, or 0. */
static int peer_address(struct MHD_Connection *connection, int *family, unsigned char bytes[16])
{
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (info == NULL || info->client_addr == NULL)
        return 0;
    address_bytes(info->client_addr, family, bytes);
    return 1;
}

/* The X-Forwarded-For values of a request, the last ones kept. */
typedef struct {
    const char *values[VIND_SEARCHD_MAX_FORWARDED_HOPS];
    size_t count;
} forwarded_t;

static enum MHD_Result collect_forwarded(void *cls, enum MHD_ValueKind kind, const char *name,
                                         const char *value)
{
    (void)kind;
    forwarded_t *forwarded = cls;
    if (value == NULL || g_ascii_strcasecmp(name, "X-Forwarded-For") != 0)
        return MHD_YES;
    if (forwarded->count == VIND_SEARCHD_MAX_FORWARDED_HOPS) {
        memmove(forwarded->values, forwarded->values + 1,
                (VIND_SEARCHD_MAX_FORWARDED_HOPS - 1) * sizeof forwarded->values[0]);
        forwarded->count--;
    }
    forwarded->values[forwarded->count++] = value;
    return MHD_YES;
}

int vind_request_client_key(vind_request_t *req, unsigned char key[17])
{
    if (req->client_keyed == 0) {
        int family;
        unsigned char bytes[16];
        req->client_keyed = peer_address(req->connection, &family, bytes) ? 1 : -1;
        if (req->client_keyed > 0) {
            vind_proxy_client_key(family, bytes, req->client_key);
            const vind_proxies_t *proxies = req->server->config->trusted_proxies;
            if (proxies != NULL && vind_proxies_trusted(proxies, family, bytes)) {
                forwarded_t forwarded = {.count = 0};
                MHD_get_connection_values(req->connection, MHD_HEADER_KIND, collect_forwarded,
                                          &forwarded);
                /* Leaves the peer's key when no entry could be taken. */
                vind_proxies_forwarded_client(proxies, forwarded.values, forwarded.count,
                                              req->client_key);
            }
        }
    }
    if (req->client_keyed < 0)
        return 0;
    memcpy(key, req->client_key, sizeof req->client_key);
    return 1;
}

/* 1 and counted when the client may start one more search; 0 when it has
 * max_searches_per_ip running already. */
static int client_acquire(vind_server_t *server, vind_request_t *req)
{
    unsigned char key[17];
    if (!vind_request_client_key(req, key))
        return 1; /* no address (a socket pair in a test): nothing to count */
    vind_client_table_t *table = server->clients;
    int allowed = 1;
    pthread_mutex_lock(&table->lock);
    client_entry_t *entry = NULL, *empty = NULL;
    for (size_t i = 0; i < table->size; i++) {
        if (table->entries[i].count == 0) {
            if (empty == NULL)
                empty = &table->entries[i];
        } else if (memcmp(table->entries[i].key, key, sizeof key) == 0)
            entry = &table->entries[i];
    }
    if (entry == NULL && (entry = empty) != NULL)
        memcpy(entry->key, key, sizeof key);
    if (entry == NULL || entry->count >= server->config->max_searches_per_ip)
        allowed = 0; /* no free entry: every search thread is searching already */
    else
        entry->count++;
    pthread_mutex_unlock(&table->lock);
    return allowed;
}

static void client_release(vind_request_t *req)
{
    if (!req->client_held)
        return;
    req->client_held = 0;
    unsigned char key[17];
    if (!vind_request_client_key(req, key))
        return;
    vind_client_table_t *table = req->server->clients;
    pthread_mutex_lock(&table->lock);
    for (size_t i = 0; i < table->size; i++)
        if (table->entries[i].count && memcmp(table->entries[i].key, key, sizeof key) == 0) {
            table->entries[i].count--;
            break;
        }
    pthread_mutex_unlock(&table->lock);
}

/* ---- request context ---- */

/* "%zz" or a trailing "%": libmicrohttpd keeps such an escape literally, so
 * q=100%zeker would search for "100%zeker" while the user typed something
 * else. A browser always sends a literal '%' as %25, so a malformed escape
 * is never a form's doing: it is refused (400) rather than guessed at. So is
 * %00 in the path: the unescaped path is a C string, and
 * /assets/style.css%00.js would be served as /assets/style.css. (%00 in a
 * parameter is caught by scan_parameter, which sees the decoded length.) */
static int has_bad_escape(const char *uri)
{
    const char *query = strchr(uri, '?');
    for (const char *p = strchr(uri, '%'); p != NULL; p = strchr(p + 1, '%')) {
        if (!g_ascii_isxdigit(p[1]) || !g_ascii_isxdigit(p[2]))
            return 1;
        if (p[1] == '0' && p[2] == '0' && (query == NULL || p < query))
            return 1;
    }
    return 0;
}

/* A raw NUL byte in the request target ("GET /assets/style.css\0.js"):
 * libmicrohttpd hands the target on as a C string, so everything after the
 * NUL would silently vanish (the stylesheet served for a .js name, a second
 * q= unseen by the "q twice" check). libmicrohttpd 0.9.75 calls this
 * callback with the request line still in its read buffer, the space before
 * the version (the line's last space) and the line end overwritten by NULs:
 * "GET\0/target\0HTTP/1.1\0\0". The target really ends at the last
 * "\0HTTP/" of the line; a NUL before that is the client's. The scan stops
 * at the line end ("\0\0" once a version was seen, a CR or LF) or after
 * VIND_SEARCHD_MAX_URL_BYTES, and only this positive pattern counts: a
 * different layout in another libmicrohttpd version can only miss the NUL
 * (test_searchd_http.py then fails), never refuse a good request. */
static int has_raw_nul(const char *uri)
{
    const char *end = uri + strlen(uri), *version = NULL;
    for (const char *p = end; p - end < (ptrdiff_t)VIND_SEARCHD_MAX_URL_BYTES; p++) {
        if (*p == '\r' || *p == '\n' || (version && p[0] == '\0' && p[1] == '\0'))
            break;
        if (*p == '\0' && strncmp(p + 1, "HTTP/", 5) == 0)
            version = p;
    }
    return version != NULL && version != end;
}

/* A query string of more parameters than VIND_SEARCHD_MAX_PARAMETERS is
 * cut just after its '?' in libmicrohttpd's own buffer (the request line,
 * writable memory of its pool; uri is const only in the callback's type),
 * before libmicrohttpd parses it: 1 when cut, and the guard answers 414
 * as it does past the limit. Why: libmicrohttpd keeps a record per
 * parameter in the connection's pool (VIND_SEARCHD_CONNECTION_MEMORY), and
 * one that no longer fits (~950 short ones, a 6.9 kB URL, within
 * VIND_SEARCHD_MAX_URL_BYTES) left the connection without an answer until
 * the request deadline cut it 10 s later (the hostile probe of session 18;
 * behind a proxy, where every client shares one address, 52 such requests
 * a second held all --max-connections). libmicrohttpd looks for the '?'
 * before or after this callback depending on its version: the '?' stays,
 * so both find an empty query. Cost: one pass over the target. */
static int cut_excess_parameters(const char *uri)
{
    char *query = strchr(uri, '?');
    if (query == NULL)
        return 0;
    size_t parameters = 1;
    for (const char *p = query + 1; *p; p++)
        parameters += *p == '&';
    if (parameters <= VIND_SEARCHD_MAX_PARAMETERS)
        return 0;
    query[1] = '\0';
    return 1;
}

static void *uri_log_callback(void *cls, const char *uri, struct MHD_Connection *connection)
{
    vind_server_t *server = cls;
    vind_request_t *req = calloc(1, sizeof *req);
    if (req == NULL)
        return NULL;
    req->server = server;
    req->connection = connection;
    req->start_us = g_get_monotonic_time();
    req->hits = -1;
    req->route_index = (int)N_ROUTES;
    req->uri_bytes = uri ? strlen(uri) : 0;
    req->bad_escape = uri != NULL && has_bad_escape(uri);
    req->raw_nul = uri != NULL && has_raw_nul(uri);
    req->too_many_parameters = uri != NULL && cut_excess_parameters(uri); /* after has_raw_nul */
    connection_record_t *record = record_of(connection);
    if (record) {
        /* A keep-alive connection's previous request was completed before
         * this line was read, unless libmicrohttpd refused it itself. */
        request_free(record->unfinished);
        record->unfinished = req;
    }
    return req;
}

/* Frees req (NULL: nothing), a request's context. */
static void request_free(vind_request_t *req)
{
    if (req == NULL)
        return;
    for (int f = 0; f < VIND_FACET_LAST; f++)
        if (req->search.filters[f])
            g_ptr_array_free(req->search.filters[f], TRUE);
    free(req->log_query);
    free(req->search_key);
    free(req->path_copy);
    free(req->method_copy);
    free(req);
}

/* A request's times, in ms. answer: from the whole request in to its answer
 * made (the search itself, and its wait for a search thread): what the
 * slow-query line and vind_http_answer_duration_seconds report. send: from
 * the answer made to its last byte handed to the kernel, which a client that
 * reads slowly, or not at all while it pipelines, stretches up to --timeout
 * (session 14's probe: such a client had every answer logged as a slow query
 * of up to 15 s). total: from the request line read to the last byte, as
 * vind_http_request_duration_seconds has always counted, so it also holds the
 * client's time to send its request. A request never answered (the client
 * left) counts its answer time up to now, and no send. */
typedef struct {
    double answer_ms, send_ms, total_ms;
} request_times_t;

/* The access line names the time to send from this on (a client that
 * reads slowly); a send within the kernel's buffers takes ~0.01 ms. */
#define VIND_SEARCHD_LOGGED_SEND_MS 1.0

static request_times_t request_times(const vind_request_t *req, int64_t now_us)
{
    int64_t received = req->received_us ? req->received_us : req->start_us;
    int64_t answered = req->answered_us ? req->answered_us : now_us;
    if (answered < received) /* answered before the body was in (refused at its headers) */
        received = answered;
    request_times_t times = {(double)(answered - received) / 1000.0,
                             (double)(now_us - answered) / 1000.0,
                             (double)(now_us - req->start_us) / 1000.0};
    return times;
}

static void request_completed(void *cls, struct MHD_Connection *connection, void **context,
                              enum MHD_RequestTerminationCode code)
{
    vind_server_t *server = cls;
    vind_request_t *req = *context;
    *context = NULL;
    connection_record_t *record = record_of(connection);
    if (record && record->unfinished == req)
        record->unfinished = NULL;
    set_receiving(record, 1); /* the next request on this connection begins */
    if (req == NULL)
        return;
    vind_pool_checkin(server->pool, req->slot);
    client_release(req);
    vind_respond_drop_deferred(req);
    request_times_t times = request_times(req, g_get_monotonic_time());
    unsigned status = req->responded ? req->http_status : 0;
    vind_metrics_record(server->metrics, (size_t)req->route_index, status, times.total_ms / 1000.0,
                        times.answer_ms / 1000.0);
    const char *method = req->method_copy ? req->method_copy : "-";
    const char *path = req->path_copy ? req->path_copy : "-";
    /* Hot path: a send of 1 ms or more (the client read slowly, or the
     * worker waited for a core: 20 of 1,201 lines over loopback on this
     * loaded 2-core machine) adds " send=X.Xms"; the others keep the line
     * as it was, and its cost: the double formatted always was +1.2 k
     * instructions a request (callgrind of request_completed, 1,000 /health
     * and 200 searches: 4,063 -> 5,285; a search costs ~1 M). */
    char send[40] = "";
    if (times.send_ms >= VIND_SEARCHD_LOGGED_SEND_MS)
        snprintf(send, sizeof send, " send=%.1fms", times.send_ms);
    if (req->hits >= 0)
        VIND_LOG(server->log, VIND_LOG_INFO, "%s %s %u %.1fms hits=%lld%s%s", method, path,
                 status, times.answer_ms, req->hits, send,
                 code == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " aborted");
    else
        VIND_LOG(server->log, VIND_LOG_INFO, "%s %s %u %.1fms%s%s", method, path, status,
                 times.answer_ms, send, code == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " aborted");
    if (req->log_query && times.answer_ms >= server->config->slow_ms)
        VIND_LOG(server->log, VIND_LOG_WARNING, "slow query: %.1fms q=\"%s\"", times.answer_ms,
                 req->log_query);
    if (req->counted)
        atomic_fetch_sub(&server->in_flight, 1);
    request_free(req);
}

/* ---- parameters ---- */

/* Parameters that take one value: a second one is refused, since either
 * choice would be a guess (q=zorg&q=wijkverpleging: which one?). tag=,
 * theme=, type= and year= may repeat: their values are OR-ed. */
enum {
    SEEN_Q = 1u << 0,
    SEEN_FROM = 1u << 1,
    SEEN_TO = 1u << 2,
    SEEN_SORT = 1u << 3,
    SEEN_PAGE = 1u << 4,
    SEEN_SIZE = 1u << 5,
    SEEN_URL = 1u << 6,
    SEEN_LIMIT = 1u << 7,
    SEEN_SIMILAR = 1u << 8,
    SEEN_COLLAPSE = 1u << 9,
};

typedef struct {
    vind_request_t *req;
    size_t count;
    unsigned seen; /* SEEN_* bits of the single-valued parameters met so far */
    size_t max_value_bytes;
    const char *problem; /* first reason to refuse, static text */
    unsigned problem_status;
    char problem_buffer[160];
} parameter_scan_t;

static int parse_unsigned(const char *text, unsigned min, unsigned max, unsigned *out)
{
    if (text == NULL || *text == '\0')
        return 1; /* absent or empty (a form's empty field): keep the default */
    unsigned long long value = 0;
    for (const char *p = text; *p; p++) {
        if (*p < '0' || *p > '9' || p - text > 9)
            return 0;
        value = value * 10 + (unsigned)(*p - '0');
    }
    if (value < min || value > max)
        return 0;
    *out = (unsigned)value;
    return 1;
}

/* "YYYY", "YYYY-MM" or "YYYY-MM-DD" (the forms docs/api.md allows); the
 * library checks the calendar ("2020-13" is its 400). */
static int is_date(const char *text)
{
    size_t n = strlen(text);
    if (n != 4 && n != 7 && n != 10)
        return 0;
    for (size_t i = 0; i < n; i++) {
        int dash = (i == 4 || i == 7);
        if (dash ? text[i] != '-' : (text[i] < '0' || text[i] > '9'))
            return 0;
    }
    return 1;
}

static void refuse(parameter_scan_t *scan, unsigned status, const char *fmt, const char *name)
{
    if (scan->problem)
        return;
    snprintf(scan->problem_buffer, sizeof scan->problem_buffer, fmt, name);
    scan->problem = scan->problem_buffer;
    scan->problem_status = status;
}

/* 1 the first time key (one of SEEN_*) appears; later: refused, 0. */
static int first_time(parameter_scan_t *scan, unsigned bit, const char *key)
{
    if (scan->seen & bit) {
        refuse(scan, 400, "the parameter %.40s is given more than once", key);
        return 0;
    }
    scan->seen |= bit;
    return 1;
}

static void add_filter(vind_search_params_t *search, vind_facet_t facet, const char *value)
{
    if (*value == '\0')
        return;
    if (search->filters[facet] == NULL)
        search->filters[facet] = g_ptr_array_new();
    g_ptr_array_add(search->filters[facet], (gpointer)value);
}

static void take_search_parameter(parameter_scan_t *scan, const char *key, const char *value)
{
    vind_search_params_t *search = &scan->req->search;
    static const char *const facet_keys[VIND_FACET_LAST] = {"tag", "theme", "type", "year"};
    for (int f = 0; f < VIND_FACET_LAST; f++)
        if (strcmp(key, facet_keys[f]) == 0) {
            if (f == VIND_FACET_YEAR && *value && (strlen(value) != 4 || !is_date(value)))
                refuse(scan, 400, "%s must be a year like 2021", key);
            add_filter(search, (vind_facet_t)f, value);
            return;
        }
    if (strcmp(key, "q") == 0) {
        if (first_time(scan, SEEN_Q, key))
            search->query = value;
    } else if (strcmp(key, "from") == 0 || strcmp(key, "to") == 0) {
        if (!first_time(scan, key[0] == 'f' ? SEEN_FROM : SEEN_TO, key))
            return;
        /* The page also takes Dutch dates ("28-10-2021"): page.c reads
         * them and answers a wrong one at its field. */
        if (*value && !is_date(value) && !(scan->req->route->flags & VIND_ROUTE_HTML))
            refuse(scan, 400, "%s must be a date like 2021, 2021-10 or 2021-10-28", key);
        else if (*value)
            *(key[0] == 'f' ? &search->from : &search->to) = value;
    } else if (strcmp(key, "sort") == 0) {
        if (!first_time(scan, SEEN_SORT, key))
            return;
        if (*value == '\0' || strcmp(value, "relevance") == 0)
            search->sort = VIND_SORT_RELEVANCE;
        else if (strcmp(value, "date") == 0)
            search->sort = VIND_SORT_DATE_DESC;
        else if (strcmp(value, "date-asc") == 0)
            search->sort = VIND_SORT_DATE_ASC;
        else
            refuse(scan, 400, "%s must be relevance, date or date-asc", key);
        if (*value && search->sort != VIND_SORT_RELEVANCE)
            search->sort_name = value;
    } else if (strcmp(key, "page") == 0) {
        if (first_time(scan, SEEN_PAGE, key) &&
            !parse_unsigned(value, 1, VIND_SEARCHD_MAX_PAGE, &search->page))
            refuse(scan, 400, "%s must be a number from 1 to 1000", key);
    } else if (strcmp(key, "similar") == 0) {
        /* A group key (vind_searcher_set_similar): 16 hex digits. */
        if (first_time(scan, SEEN_SIMILAR, key) && *value &&
            (strlen(value) != 16 || strspn(value, "0123456789abcdef") != 16))
            refuse(scan, 400, "%s must be a group of similar documents (16 hex digits)", key);
        else if (*value)
            search->similar = value;
    } else if (strcmp(key, "collapse") == 0) {
        if (first_time(scan, SEEN_COLLAPSE, key) && strcmp(value, "0") != 0 &&
            strcmp(value, "1") != 0 && *value)
            refuse(scan, 400, "%s must be 0 or 1", key);
        else
            search->no_collapse = strcmp(value, "0") == 0;
    } else if (strcmp(key, "size") == 0) {
        if (first_time(scan, SEEN_SIZE, key) &&
            !parse_unsigned(value, 1, VIND_SEARCHD_MAX_PAGE_SIZE, &search->size))
            refuse(scan, 400, "%s must be a number from 1 to 100", key);
    }
}

static enum MHD_Result scan_parameter(void *cls, enum MHD_ValueKind kind, const char *key,
                                      size_t key_size, const char *value, size_t value_size)
{
    (void)kind;
    parameter_scan_t *scan = cls;
    if (value == NULL)
        value = "", value_size = 0;
    if (++scan->count > VIND_SEARCHD_MAX_PARAMETERS) {
        refuse(scan, 414, "too many parameters%s", "");
        return MHD_NO;
    }
    /* %00 decodes to a NUL inside the value: C strings would silently cut it. */
    if (strlen(key) != key_size || strlen(value) != value_size) {
        refuse(scan, 400, "a parameter contains a NUL byte%s", "");
        return MHD_NO;
    }
    if (!g_utf8_validate(key, (gssize)key_size, NULL) ||
        !g_utf8_validate(value, (gssize)value_size, NULL)) {
        refuse(scan, 400, "a parameter is not valid UTF-8%s", "");
        return MHD_NO;
    }
    if (value_size > scan->max_value_bytes) {
        refuse(scan, 414, "the parameter %.40s is too long", key);
        return MHD_NO;
    }
    vind_request_t *req = scan->req;
    if (req->route->flags & VIND_ROUTE_SEARCH)
        take_search_parameter(scan, key, value);
    else if (strcmp(key, "url") == 0) {
        if (first_time(scan, SEEN_URL, key))
            req->url_param = value;
    } else if (strcmp(key, "q") == 0) {
        if (first_time(scan, SEEN_Q, key))
            req->search.query = value;
    } else if (strcmp(key, "limit") == 0 && first_time(scan, SEEN_LIMIT, key) &&
               !parse_unsigned(value, 1, 50, &req->limit))
        refuse(scan, 400, "%s must be a number from 1 to 50", key);
    /* Any other name (utm_source=, a site form's hidden field, a cache
     * buster) is ignored: the parameter count and URL length bound them. */
    return scan->problem ? MHD_NO : MHD_YES;
}

/* ---- guards ---- */

static const vind_route_t *find_route(const char *path, int *index)
{
    for (size_t i = 0; i < N_ROUTES; i++) {
        const vind_route_t *route = &routes[i];
        int match = (route->flags & VIND_ROUTE_PREFIX)
                        ? strncmp(path, route->path, strlen(route->path)) == 0
                        : strcmp(path, route->path) == 0;
        if (match) {
            *index = (int)i;
            return route;
        }
    }
    return NULL;
}

static enum MHD_Result add_header_bytes(void *cls, enum MHD_ValueKind kind, const char *key,
                                        size_t key_size, const char *value, size_t value_size)
{
    (void)kind, (void)key, (void)value;
    *(size_t *)cls += key_size + value_size + 4; /* ": " and CRLF */
    return MHD_YES;
}

/* The request's header lines together (VIND_SEARCHD_MAX_HEADER_BYTES). */
static size_t header_bytes(struct MHD_Connection *connection)
{
    size_t bytes = 0;
    MHD_get_connection_values_n(connection, MHD_HEADER_KIND, add_header_bytes, &bytes);
    return bytes;
}

static int has_body_over_limit(struct MHD_Connection *connection)
{
    const char *length =
        MHD_lookup_connection_value(connection, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    if (length == NULL)
        return 0;
    char *end = NULL;
    errno = 0;
    unsigned long long bytes = strtoull(length, &end, 10);
    return errno != 0 || end == length || bytes > VIND_SEARCHD_MAX_BODY_BYTES;
}

/* The headers that say where a request's body ends, counted (RFC 9112
 * 6.1, 6.3), and whether every header name is a token. */
typedef struct {
    unsigned content_lengths, transfer_encodings;
    int chunked;   /* the one Transfer-Encoding is "chunked" */
    int bad_name;  /* a name with a space or another non-token byte */
    int folded;    /* a framing header folded over two lines (below) */
} framing_t;

/* 1 when name (size bytes) is `framing` followed by more: how libmicrohttpd
 * 0.9.75 keeps a header folded over two lines (obsolete line folding, RFC
 * 9112 5.2). It appends the next line, its leading spaces skipped, to the
 * header's NAME: "Transfer-Encoding:\r\n chunked" becomes a header named
 * "Transfer-Encodingchunked", and "Transfer-Encoding: chunked\r\n x" one
 * named "Transfer-Encodingx"; neither it nor vind then sees a
 * Transfer-Encoding, and the body is read by the Content-Length, where a
 * proxy that unfolds the line (as RFC 9112 lets it) reads it chunked: two
 * ends of one body (the hostile probe of session 19). */
static int folded_name(const char *name, size_t size, const char *framing)
{
    size_t length = strlen(framing);
    return size > length && g_ascii_strncasecmp(name, framing, length) == 0;
}

static int is_token(const char *name, size_t size)
{
    if (size == 0)
        return 0;
    for (size_t i = 0; i < size; i++) {
        unsigned char c = (unsigned char)name[i];
        if (!g_ascii_isalnum(c) && !strchr("!#$%&'*+-.^_`|~", c))
            return 0;
    }
    return 1;
}

static enum MHD_Result note_framing(void *cls, enum MHD_ValueKind kind, const char *key,
                                    size_t key_size, const char *value, size_t value_size)
{
    (void)kind;
    framing_t *framing = cls;
    if (!is_token(key, key_size))
        framing->bad_name = 1;
    else if (g_ascii_strcasecmp(key, MHD_HTTP_HEADER_CONTENT_LENGTH) == 0)
        framing->content_lengths++;
    else if (g_ascii_strcasecmp(key, MHD_HTTP_HEADER_TRANSFER_ENCODING) == 0) {
        framing->transfer_encodings++;
        char *coding = g_strstrip(g_strndup(value ? value : "", value ? value_size : 0));
        framing->chunked = g_ascii_strcasecmp(coding, "chunked") == 0;
        g_free(coding);
    } else if (folded_name(key, key_size, MHD_HTTP_HEADER_CONTENT_LENGTH) ||
               folded_name(key, key_size, MHD_HTTP_HEADER_TRANSFER_ENCODING))
        framing->folded = 1;
    return MHD_YES;
}

/*
 * Why a request's body could end at two places, or NULL: two parsers (a
 * proxy in front and libmicrohttpd) reading it each their way see two
 * different next requests, and a request one of them never saw is
 * smuggled in after it. libmicrohttpd takes the first of two
 * Content-Lengths, takes "Content-Length :" for another header, and waits
 * for the end of the connection after an unknown Transfer-Encoding (10 s,
 * no answer), and reads a folded framing header as another header
 * (folded_name). RFC 9112 asks for a 400 and the connection closed. Cost:
 * one pass over the header names (the header-size check makes another).
 */
static const char *ambiguous_framing(struct MHD_Connection *connection)
{
    framing_t framing = {0};
    MHD_get_connection_values_n(connection, MHD_HEADER_KIND, note_framing, &framing);
    if (framing.bad_name)
        return "a header name that is not a token (a space before its colon?)";
    if (framing.folded)
        return "a Content-Length or Transfer-Encoding folded over two lines";
    if (framing.content_lengths > 1)
        return "more than one Content-Length";
    if (framing.content_lengths && framing.transfer_encodings)
        return "both Content-Length and Transfer-Encoding";
    if (framing.transfer_encodings > 1 || (framing.transfer_encodings && !framing.chunked))
        return "a Transfer-Encoding other than one chunked";
    return NULL;
}

/*
 * Every check before a handler runs, in order: framing, route, method, URI length,
 * header size, percent-escapes, body size, parameters. Returns MHD_YES with
 * nothing queued when the request may proceed; otherwise the answer is
 * queued (req->responded).
 */
static enum MHD_Result guard_request(vind_request_t *req, const char *method)
{
    vind_server_t *server = req->server;
    req->route = find_route(req->path, &req->route_index);
    const char *ambiguous = ambiguous_framing(req->connection);
    if (ambiguous) {
        req->close_after = 1; /* what follows on the connection is not read as a request */
        return vind_respond_error(req, 400,
                                  req->route && (req->route->flags & VIND_ROUTE_HTML) ? NULL
                                                                                      : ambiguous);
    }
    if (req->route == NULL)
        return vind_respond_error(req, 404, NULL);
    int is_get = strcmp(method, MHD_HTTP_METHOD_GET) == 0;
    req->head = strcmp(method, MHD_HTTP_METHOD_HEAD) == 0;
    if (strcmp(method, MHD_HTTP_METHOD_OPTIONS) == 0 && server->config->cors_origin)
        return vind_respond_preflight(req);
    if (!is_get && !req->head)
        return vind_respond_method_not_allowed(req);
    if (req->uri_bytes > VIND_SEARCHD_MAX_URL_BYTES)
        return vind_respond_error(req, 414, NULL);
    if (header_bytes(req->connection) > VIND_SEARCHD_MAX_HEADER_BYTES)
        return vind_respond_error(req, 431,
                                  req->route->flags & VIND_ROUTE_HTML
                                      ? "Het verzoek is te groot."
                                      : "request headers too large");
    if (req->raw_nul)
        return vind_respond_error(
            req, 400,
            req->route->flags & VIND_ROUTE_HTML ? NULL : "a NUL byte in the request line");
    if (req->bad_escape)
        return vind_respond_error(req, 400,
                                  req->route->flags & VIND_ROUTE_HTML
                                      ? NULL
                                      : "a malformed percent-escape (or %00 in the path)");
    if (has_body_over_limit(req->connection))
        return vind_respond_error(req, 413, NULL);

    parameter_scan_t scan = {.req = req, .max_value_bytes = req->route->max_value_bytes};
    req->search.sort = VIND_SORT_RELEVANCE;
    req->search.page = 1;
    req->search.size = VIND_SEARCHD_DEFAULT_PAGE_SIZE;
    req->limit = 10;
    if (req->too_many_parameters)
        refuse(&scan, 414, "too many parameters%s", "");
    else
        MHD_get_connection_values_n(req->connection, MHD_GET_ARGUMENT_KIND, scan_parameter, &scan);
    if (scan.problem)
        return vind_respond_error(req, scan.problem_status,
                                  req->route->flags & VIND_ROUTE_HTML ? NULL : scan.problem);
    if (req->search.query == NULL)
        req->search.query = "";
    if (*req->search.query && (req->log_query = strdup(req->search.query)) == NULL)
        return vind_respond_error(req, 500, "out of memory");
    return MHD_YES;
}

/* The index guard, just before the handler: a searcher or a 503. */
static enum MHD_Result checkout_searcher(vind_request_t *req)
{
    char *errmsg = NULL;
    vind_status_t status = vind_pool_checkout(req->server->pool, &req->slot, &errmsg);
    if (status == VIND_OK)
        return MHD_YES;
    VIND_LOG(req->server->log, VIND_LOG_WARNING, "index unavailable: %s",
             errmsg ? errmsg : vind_status_to_string(status));
    free(errmsg);
    return vind_respond_error(req, 503, NULL);
}

static enum MHD_Result serve_search(vind_server_t *server, vind_request_t *req);

/* A search whose answer the result cache holds is answered here, on the
 * worker: a hit costs a searcher checkout, the key and a locked lookup (a
 * few us), against the hand-over to a search thread and back (two thread
 * switches, ~35 us on 2 cores: docs/searchd.md "Threads"), which took 40% off
 * the cached answers' throughput. With $VIND_SEARCHD_CHEAP_SEARCH_US set
 * (off by default), so is a search known to be cheap (its last run over
 * this index cost at most that bound, costmemo.h): the worker runs it,
 * admitted as on a search thread (serve_search), and holds its other
 * connections about that long (docs/searchd.md "Session 18: the
 * hand-over"). A miss, or no searcher, goes on to a search thread, which
 * searches or answers the error. */
static int answer_on_worker(vind_request_t *req, enum MHD_Result *result)
{
    vind_server_t *server = req->server;
    if (!vind_cache_enabled(server->cache) && server->cost_memo == NULL)
        return 0; /* both off: no checkout */
    char *errmsg = NULL;
    if (vind_pool_checkout(server->pool, &req->slot, &errmsg) != VIND_OK) {
        free(errmsg);
        return 0;
    }
    int answered = vind_search_from_cache(req, result);
    if (!answered && vind_search_known_cheap(req)) {
        *result = serve_search(server, req); /* checks the searcher in */
        return 1;
    }
    vind_pool_checkin(server->pool, req->slot);
    req->slot = NULL;
    return answered;
}

/* ---- search threads ---- */

/* Queued requests in arrival order, linked through next_search; length
 * for /metrics' vind_searches_queued. */
typedef struct {
    vind_request_t *head, *tail;
    unsigned length;
} search_queue_t;

/* Of every LATER_TURN requests taken while both queues hold some, one is
 * the later queue's: its requests are never starved by the others. */
#define LATER_TURN 4

/* The search threads and their queues: pthread rather than GThreadPool,
 * whose futex-based queue hides from ThreadSanitizer that a worker filled
 * the request before a search thread takes it (check-searchd-tsan reported
 * GLib's list nodes as races). Two FIFOs (session 18): `later` holds the
 * requests of addresses whose searches were costly lately (admission.h's
 * classes) and, since session 19, every search with a wildcard
 * (vind_admission_query_may_be_costly: a fresh address's first costly
 * search), `first` everyone else's, taken first. In one FIFO, 50
 * addresses each sending costly searches from two connections (within
 * --max-searches-per-ip) queued ~100 of them ahead of every other
 * client's search: a normal client waited 16 s (docs/security.md, "The
 * hostile probe of session 18"). Since session 20 each queue serves the
 * request of the address that used least search CPU lately first
 * (queue_pop). */
struct vind_search_threads {
    pthread_mutex_t lock;
    pthread_cond_t wake;
    search_queue_t first, later;
    unsigned first_taken; /* taken from `first` in a row while `later` waited */
    /* /metrics' gauge: searches running on the search threads (known-cheap
     * searches on a worker are not). Cost: an increment and a decrement
     * under the lock already held. */
    unsigned running;
    int stopping;         /* no more requests; the threads end once the queues are empty */
    vind_server_t *server;
    unsigned count;
    pthread_t threads[];
};

/* Runs the handler of a searching route, counted against its client
 * address (429 past --max-searches-per-ip) with a searcher checked out (the
 * one the worker checked out, or one now; else 503), and gives both back.
 * On a search thread the answer is kept in req (respond.c's queue); on a
 * worker (a known-cheap search) it is queued at once. */
static enum MHD_Result serve_search(vind_server_t *server, vind_request_t *req)
{
    enum MHD_Result result;
    if (!client_acquire(server, req))
        result = vind_respond_busy(req);
    else {
        req->client_held = 1;
        result = MHD_YES;
        if (req->slot == NULL && (req->route->flags & VIND_ROUTE_INDEX))
            result = checkout_searcher(req); /* or a 503 */
        if (!req->responded)
            result = req->route->handler(req);
    }
    vind_pool_checkin(server->pool, req->slot);
    req->slot = NULL;
    client_release(req);
    return result;
}

/* Runs the handler of a suspended request (serve_search), then resumes the
 * connection. The searcher goes back to the pool and the client may start
 * another search before the resume: the worker only queues the answer. */
static void run_search(vind_server_t *server, vind_request_t *req)
{
    serve_search(server, req);
    MHD_resume_connection(req->connection);
}

static void queue_push(search_queue_t *queue, vind_request_t *req)
{
    req->next_search = NULL;
    if (queue->tail)
        queue->tail->next_search = req;
    else
        queue->head = req;
    queue->tail = req;
    queue->length++;
}

/* The request before which req's address has none queued: the first
 * queued of its address (req itself when none is before it). */
static vind_request_t *first_of_address(search_queue_t *queue, vind_request_t *req,
                                        vind_request_t **before_first)
{
    *before_first = NULL;
    if (!req->queue_keyed)
        return req;
    vind_request_t *before = NULL;
    for (vind_request_t *r = queue->head; r != req; before = r, r = r->next_search)
        if (r->queue_keyed && memcmp(r->queue_key, req->queue_key, VIND_CLIENT_KEY_BYTES) == 0) {
            *before_first = before;
            return r;
        }
    return req;
}

/* The next request of the queue: the address of the least rank (its recent
 * search CPU when the request was queued, vind_admission_recent_cpu, plus
 * the query's expected cost) goes first, and of that address the request
 * queued first: per-address fair queueing by cost (session 20), FIFO when
 * every rank is 0 (admission off). Until session 20 the head: 200
 * addresses each looping a search under --heavy-search-ms held a normal
 * client's every search ~10 s.
 *
 * Why the address's first request, not the least-ranked one: one address's
 * ranks are taken at different times, and its recent CPU decays between
 * them (at the bench's saturation ~1.4 ms of it a millisecond), so a later
 * request of a busy address often ranks lower than its earlier ones. Taken
 * by rank alone, one address's requests (a bench, or an office behind one
 * NAT address) were served close to last in, first out, and the oldest
 * waited on. Hot path, under the lock: two passes over the queue (at most
 * one request a connection, --max-connections 512: ~1-2 us at 200). */
static vind_request_t *queue_pop(search_queue_t *queue)
{
    vind_request_t *least = queue->head, *before_least = NULL;
    for (vind_request_t *before = queue->head; before && before->next_search;
         before = before->next_search)
        if (before->next_search->queue_rank < least->queue_rank) {
            least = before->next_search;
            before_least = before;
        }
    if (least == NULL)
        return NULL;
    vind_request_t *before_first;
    vind_request_t *first = first_of_address(queue, least, &before_first);
    if (first != least) {
        least = first;
        before_least = before_first;
    }
    if (before_least)
        before_least->next_search = least->next_search;
    else
        queue->head = least->next_search;
    if (queue->tail == least)
        queue->tail = before_least;
    queue->length--;
    return least;
}

/* The next request to search: the first queue's, but the later queue's
 * once in LATER_TURN while both wait, and whenever the first is empty.
 * NULL when both are empty. Lock held. */
static vind_request_t *take_search(vind_search_threads_t *threads)
{
    int later_turn = threads->later.head &&
                     (threads->first.head == NULL || threads->first_taken + 1 >= LATER_TURN);
    if (later_turn) {
        threads->first_taken = 0;
        return queue_pop(&threads->later);
    }
    if (threads->later.head)
        threads->first_taken++;
    return queue_pop(&threads->first);
}

static void *search_thread(void *arg)
{
    vind_search_threads_t *threads = arg;
    pthread_mutex_lock(&threads->lock);
    for (;;) {
        while (threads->first.head == NULL && threads->later.head == NULL && !threads->stopping)
            pthread_cond_wait(&threads->wake, &threads->lock);
        vind_request_t *req = take_search(threads);
        if (req == NULL)
            break; /* stopping, and nothing left */
        threads->running++;
        pthread_mutex_unlock(&threads->lock);
        run_search(threads->server, req);
        pthread_mutex_lock(&threads->lock);
        threads->running--;
    }
    pthread_mutex_unlock(&threads->lock);
    return NULL;
}

static void stop_search_threads(vind_server_t *server);

static vind_status_t start_search_threads(vind_server_t *server, unsigned count, char **errmsg)
{
    vind_search_threads_t *threads = calloc(1, sizeof *threads + count * sizeof(pthread_t));
    if (threads == NULL)
        return vind_error(errmsg, VIND_NOMEM, "out of memory");
    pthread_mutex_init(&threads->lock, NULL);
    pthread_cond_init(&threads->wake, NULL);
    threads->server = server;
    server->searches = threads;
    for (; threads->count < count; threads->count++) {
        int rc = pthread_create(&threads->threads[threads->count], NULL, search_thread, threads);
        if (rc != 0) {
            stop_search_threads(server);
            return vind_error(errmsg, VIND_NOMEM, "cannot start a search thread: %s",
                              g_strerror(rc));
        }
    }
    return VIND_OK;
}

/* Whether req queues later: its query may be costly (a wildcard, more than
 * 12 words), or its address searched costly lately; notes in req whether
 * the address is heavy now (admitted as heavy however long it waits) and
 * its rank in the queue (the address's recent search CPU plus the query's
 * expected cost). Cost: two passes over the query's words; with admission
 * on, two locks, a hash look-up and, while some address is remembered as
 * costly, a scan of 256 keys (~1 us). */
static int queue_later(vind_request_t *req)
{
    int later = vind_admission_query_may_be_costly(req->search.query);
    unsigned char key[VIND_CLIENT_KEY_BYTES];
    req->queue_rank = 0;
    req->queue_keyed = 0;
    if (req->server->admission == NULL || !vind_request_client_key(req, key))
        return later;
    memcpy(req->queue_key, key, VIND_CLIENT_KEY_BYTES);
    req->queue_keyed = 1;
    int64_t now_us = g_get_monotonic_time();
    vind_address_class_t class = vind_admission_class(req->server->admission, key, now_us);
    req->heavy_when_queued = class == VIND_ADDRESS_HEAVY;
    req->queue_rank = vind_admission_recent_cpu(req->server->admission, key, now_us) +
                      vind_admission_query_cost_us(req->search.query);
    return later || class != VIND_ADDRESS_NORMAL;
}

/* Hands req to a search thread and suspends its connection: 1, or 0 once
 * the search threads are stopping (the daemon is stopping). */
static int dispatch_search(vind_request_t *req)
{
    vind_search_threads_t *threads = req->server->searches;
    int later = queue_later(req);
    pthread_mutex_lock(&threads->lock);
    int dispatched = !threads->stopping;
    if (dispatched) {
        req->dispatched = req->deferred = 1;
        MHD_suspend_connection(req->connection);
        queue_push(later ? &threads->later : &threads->first, req);
    }
    pthread_mutex_unlock(&threads->lock);
    /* Hot path: signalled after the unlock. A thread woken while the lock
     * is still held runs only to block on the lock at once: one more futex
     * wait and wake, and one more thread switch, per search whenever a
     * search thread was idle (strace of one keep-alive client: two futex
     * calls a search fewer). Safe: the queue was changed under the lock, so
     * a thread about to wait sees it; the condition is destroyed
     * (free_search_threads) only after MHD_stop_daemon ended the workers. */
    if (dispatched)
        pthread_cond_signal(&threads->wake);
    return dispatched;
}

/* Prometheus text (g_malloc'd) of the search threads: how many there are,
 * how many search now, how many requests wait in each queue. Takes the
 * queues' lock once (a /metrics request only). */
static char *search_threads_metrics(vind_search_threads_t *threads)
{
    if (threads == NULL)
        return g_strdup("");
    pthread_mutex_lock(&threads->lock);
    unsigned running = threads->running, first = threads->first.length,
             later = threads->later.length;
    pthread_mutex_unlock(&threads->lock);
    return g_strdup_printf(
        "# HELP vind_search_threads Search threads (--threads), each with its own searcher.\n"
        "# TYPE vind_search_threads gauge\n"
        "vind_search_threads %u\n"
        "# HELP vind_searches_running Searches running on the search threads now.\n"
        "# TYPE vind_searches_running gauge\n"
        "vind_searches_running %u\n"
        "# HELP vind_searches_queued Searches waiting for a search thread, by queue (later: a "
        "wildcard, or an address whose searches were costly lately).\n"
        "# TYPE vind_searches_queued gauge\n"
        "vind_searches_queued{queue=\"first\"} %u\n"
        "vind_searches_queued{queue=\"later\"} %u\n",
        threads->count, running, first, later);
}

/* Lets every queued and running search finish, each resuming its
 * connection, and ends the threads; the connection of a search that
 * arrives later is closed (dispatch_search). The structure stays until
 * free_search_threads: a worker may still look at it. */
static void stop_search_threads(vind_server_t *server)
{
    vind_search_threads_t *threads = server->searches;
    if (threads == NULL)
        return;
    pthread_mutex_lock(&threads->lock);
    int already = threads->stopping;
    threads->stopping = 1;
    pthread_cond_broadcast(&threads->wake);
    pthread_mutex_unlock(&threads->lock);
    if (already)
        return;
    for (unsigned i = 0; i < threads->count; i++)
        pthread_join(threads->threads[i], NULL);
}

/* After MHD_stop_daemon (or a failed start): no worker is left. */
static void free_search_threads(vind_server_t *server)
{
    vind_search_threads_t *threads = server->searches;
    if (threads == NULL)
        return;
    stop_search_threads(server);
    pthread_mutex_destroy(&threads->lock);
    pthread_cond_destroy(&threads->wake);
    free(threads);
    server->searches = NULL;
}

static enum MHD_Result access_handler(void *cls, struct MHD_Connection *connection, const char *url,
                                      const char *method, const char *version,
                                      const char *upload_data, size_t *upload_data_size,
                                      void **context)
{
    (void)cls, (void)version, (void)upload_data;
    vind_request_t *req = *context;
    if (req == NULL)
        return MHD_NO; /* the context could not be allocated: close */
    if (req->path == NULL) {
        /* First call: the headers are in. */
        req->path_copy = strdup(url ? url : "");
        req->method_copy = strdup(method ? method : "");
        if (req->path_copy == NULL || req->method_copy == NULL)
            return MHD_NO;
        req->path = req->path_copy;
        req->method = req->method_copy;
        req->received_us = g_get_monotonic_time(); /* again once the body is in */
        /* In flight from here: SIGTERM waits for it (not for a client still
         * dribbling its headers). */
        req->counted = 1;
        atomic_fetch_add(&req->server->in_flight, 1);
        return guard_request(req, req->method);
    }
    if (*upload_data_size != 0) {
        req->body_bytes += *upload_data_size;
        *upload_data_size = 0;
        /* A chunked body announces no length: once past the limit, close
         * rather than read (and drop) an endless stream until the deadline. */
        return req->body_bytes > VIND_SEARCHD_MAX_BODY_BYTES && !req->responded ? MHD_NO : MHD_YES;
    }
    if (req->dispatched)
        return vind_respond_deferred(req); /* resumed by its search thread */
    if (req->responded)
        return MHD_YES;
    set_receiving(record_of(connection), 0);
    req->received_us = g_get_monotonic_time();
    if (req->body_bytes > VIND_SEARCHD_MAX_BODY_BYTES)
        return vind_respond_error(req, 413, NULL);
    if (!(req->route->flags & (VIND_ROUTE_INDEX | VIND_ROUTE_SEARCH)))
        return req->route->handler(req);
    enum MHD_Result answered;
    if ((req->route->flags & VIND_ROUTE_CACHED) && answer_on_worker(req, &answered))
        return answered;
    /* Hot path: a hand-over to a search thread and back (a futex wake and
     * MHD's resume signal, +0.2-0.4% instructions per search). Once the
     * search threads are stopped the daemon is about to close every
     * connection: this one is closed now, as a stopped daemon would. */
    return dispatch_search(req) ? MHD_YES : MHD_NO;
}

static void log_mhd(void *cls, const char *fmt, va_list ap)
{
    vind_server_t *server = cls;
    if (server->log->level < VIND_LOG_WARNING)
        return;
    char *message = g_strdup_vprintf(fmt, ap);
    g_strchomp(message);
    vind_log_write(server->log, VIND_LOG_WARNING, "http: %s", message);
    g_free(message);
}

/* ---- start and stop ---- */

/* While stopping, a new connection is accepted and closed at once. The
 * accept thread checks first (admit_connection); libmicrohttpd asks this
 * policy again in MHD_add_connection, for a connection handed over in the
 * instant stopping was set. (Until session 19 libmicrohttpd accepted itself
 * and this was the check; MHD_quiesce_daemon raced its workers' removal of
 * the listening socket and aborted the process: epoll_ctl(DEL) from both
 * sides, MHD_PANIC on ENOENT.) */
static enum MHD_Result accept_unless_stopping(void *cls, const struct sockaddr *address,
                                              socklen_t length)
{
    (void)address;
    (void)length;
    const vind_server_t *server = cls;
    return atomic_load(&server->stopping) ? MHD_NO : MHD_YES;
}

/* The accept thread's verdict before a connection is handed to a worker:
 * closed while stopping (accept_unless_stopping's rule), and when its
 * address (an IPv6 client: its /64) has --max-connections-per-ip open
 * already; otherwise counted at once, so that a burst from one address is
 * cut here, never on a worker. Cost: a hash of 17 bytes under the
 * connection list's lock, once a connection. */
static vind_accept_verdict_t admit_connection(void *cls, const struct sockaddr *address,
                                              socklen_t length)
{
    vind_server_t *server = cls;
    if (atomic_load(&server->stopping))
        return VIND_ACCEPT_STOPPING;
    unsigned char client[17];
    if (!counted_key(address, length, client))
        return VIND_ACCEPT_OK;
    vind_accept_verdict_t verdict = VIND_ACCEPT_ADDRESS;
    pthread_mutex_lock(&server->connections->lock);
    if (open_connections_of(server, client) < server->config->max_connections_per_ip) {
        count_client(server, client, +1);
        verdict = VIND_ACCEPT_OK;
    }
    pthread_mutex_unlock(&server->connections->lock);
    return verdict;
}

/* An admitted connection libmicrohttpd refused (MHD_add_connection closed
 * it): its count given back. Libmicrohttpd may also drop a connection
 * between the hand-over and its start when it cannot make its memory pool
 * (out of memory; no notification): that count is not given back. */
static void release_connection(void *cls, const struct sockaddr *address, socklen_t length)
{
    vind_server_t *server = cls;
    unsigned char client[17];
    if (!counted_key(address, length, client))
        return;
    pthread_mutex_lock(&server->connections->lock);
    count_client(server, client, -1);
    pthread_mutex_unlock(&server->connections->lock);
}

/* The port of --listen: digits only, 0..65535. getaddrinfo would take
 * "99999" and wrap it (to 34463), so the daemon would listen on a port
 * nobody asked for. 0 is the documented "pick a free port" (the tests use
 * it; the chosen port is logged). */
static int parse_port(const char *text)
{
    if (*text == '\0' || strlen(text) > 5)
        return -1;
    int port = 0;
    for (const char *p = text; *p; p++) {
        if (*p < '0' || *p > '9')
            return -1;
        port = port * 10 + (*p - '0');
    }
    return port <= 65535 ? port : -1;
}

/* "127.0.0.1:8080", "[::1]:8080", "localhost:8080" -> an address to bind. */
static vind_status_t resolve_listen(const char *listen, struct sockaddr_storage *address,
                                    socklen_t *length, char **errmsg)
{
    const char *colon = strrchr(listen, ':');
    if (colon == NULL || colon == listen || colon[1] == '\0')
        return vind_error(errmsg, VIND_INVALID_ARGUMENT,
                          "--listen %s: expected HOST:PORT, e.g. 127.0.0.1:8080", listen);
    if (parse_port(colon + 1) < 0)
        return vind_error(errmsg, VIND_INVALID_ARGUMENT,
                          "--listen %s: the port must be a number from 1 to 65535 (0: any free "
                          "port)",
                          listen);
    char *host = g_strndup(listen, (gsize)(colon - listen));
    if (host[0] == '[' && host[strlen(host) - 1] == ']') {
        memmove(host, host + 1, strlen(host));
        host[strlen(host) - 1] = '\0';
    }
    struct addrinfo hints = {
        .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM, .ai_flags = AI_NUMERICSERV};
    struct addrinfo *found = NULL;
    int rc = getaddrinfo(host, colon + 1, &hints, &found);
    g_free(host);
    if (rc != 0 || found == NULL)
        return vind_error(errmsg, VIND_INVALID_ARGUMENT, "--listen %s: %s", listen,
                          gai_strerror(rc));
    memcpy(address, found->ai_addr, found->ai_addrlen);
    *length = found->ai_addrlen;
    freeaddrinfo(found);
    return VIND_OK;
}

/* The listening socket, made here rather than by libmicrohttpd so that a
 * failed bind says why ("address already in use", not a guess). Only
 * SO_REUSEADDR by default: a restart may bind while old connections sit in
 * TIME_WAIT, but a second daemon on the same address is refused, as nginx
 * does. SO_REUSEPORT (--reuse-port) lets several daemons share the port and
 * the kernel split connections between them: only for identical daemons
 * over the same index, on purpose. */
static vind_status_t open_listen_socket(const vind_config_t *config,
                                        const struct sockaddr_storage *address, socklen_t length,
                                        int *out, char **errmsg)
{
    int fd = socket(address->ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0)
        return vind_error(errmsg, VIND_IO, "cannot listen on %s: %s", config->listen,
                          g_strerror(errno));
    int on = 1;
    if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) != 0 ||
        (config->reuse_port && setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &on, sizeof on) != 0) ||
        (address->ss_family == AF_INET6 &&
         setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof on) != 0) ||
        bind(fd, (const struct sockaddr *)address, length) != 0 || listen(fd, SOMAXCONN) != 0) {
        int saved = errno;
        close(fd);
        return vind_error(errmsg, VIND_IO, "cannot listen on %s: %s%s", config->listen,
                          g_strerror(saved),
                          saved == EADDRINUSE ? " (another vind-searchd or another server has "
                                                "this address; --reuse-port shares it on purpose)"
                                              : "");
    }
    *out = fd;
    return VIND_OK;
}

static unsigned bound_port(int listen_fd)
{
    struct sockaddr_storage address;
    socklen_t length = sizeof address;
    if (getsockname(listen_fd, (struct sockaddr *)&address, &length) != 0)
        return 0;
    if (address.ss_family == AF_INET6)
        return ntohs(((struct sockaddr_in6 *)&address)->sin6_port);
    return ntohs(((struct sockaddr_in *)&address)->sin_port);
}

/* One libmicrohttpd daemon a worker, each with one thread and no listening
 * socket (the acceptor hands it connections; MHD_USE_ITC wakes it for one).
 * Each may hold every connection (--max-connections: the acceptor keeps the
 * sum to it) and --max-connections-per-ip of one address, a bound under the
 * acceptor's and notify_connection's count over all the workers.
 * Suspend and resume: a searching route runs on a search thread (the file's
 * head says why). */
static struct MHD_Daemon *start_worker(vind_worker_t *worker)
{
    vind_server_t *server = worker->server;
    const vind_config_t *config = server->config;
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC |
                     MHD_USE_NO_LISTEN_SOCKET | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG;
    return MHD_start_daemon(
        flags, 0, accept_unless_stopping, server, access_handler, server,
        MHD_OPTION_EXTERNAL_LOGGER, log_mhd, server, MHD_OPTION_CONNECTION_TIMEOUT,
        config->idle_seconds, MHD_OPTION_CONNECTION_LIMIT, config->max_connections,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, config->max_connections_per_ip,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)VIND_SEARCHD_CONNECTION_MEMORY,
        MHD_OPTION_URI_LOG_CALLBACK, uri_log_callback, server, MHD_OPTION_NOTIFY_COMPLETED,
        request_completed, server, MHD_OPTION_NOTIFY_CONNECTION, notify_connection, worker,
        MHD_OPTION_END);
}

/* After the acceptor stopped: each daemon closes its connections and ends
 * its thread. */
static void stop_workers(vind_server_t *server)
{
    for (unsigned i = 0; i < server->n_workers; i++)
        if (server->workers[i].daemon)
            MHD_stop_daemon(server->workers[i].daemon);
    free(server->workers);
    server->workers = NULL;
    server->n_workers = 0;
}

/* /metrics' part from the threads: the workers' connections (acceptor.h)
 * and the search threads'. */
static char *threads_metrics(const void *cls)
{
    const vind_server_t *server = cls;
    char *accepting = vind_acceptor_metrics(server->acceptor);
    char *searching = search_threads_metrics(server->searches);
    char *text = accepting && searching ? g_strconcat(accepting, searching, NULL) : NULL;
    g_free(accepting);
    g_free(searching);
    return text;
}

/* The workers, then the acceptor over them. On failure everything started
 * here is stopped again and *errmsg says why. */
static vind_status_t start_serving(vind_server_t *server, int listen_fd, char **errmsg)
{
    const vind_config_t *config = server->config;
    unsigned n = http_thread_count(config);
    server->workers = calloc(n, sizeof *server->workers);
    struct MHD_Daemon **daemons = calloc(n, sizeof *daemons);
    if (server->workers == NULL || daemons == NULL) {
        free(daemons);
        free(server->workers);
        server->workers = NULL;
        return vind_error(errmsg, VIND_NOMEM, "out of memory");
    }
    server->n_workers = n;
    for (unsigned i = 0; i < n; i++) {
        server->workers[i] = (vind_worker_t){.server = server, .index = i};
        daemons[i] = server->workers[i].daemon = start_worker(&server->workers[i]);
        if (daemons[i] == NULL) {
            free(daemons);
            stop_workers(server);
            return vind_error(errmsg, VIND_IO, "cannot start the HTTP server on %s (see the log)",
                              config->listen);
        }
    }
    vind_acceptor_config_t accepting = {.listen_fd = listen_fd,
                                        .workers = daemons,
                                        .n_workers = n,
                                        .max_connections = config->max_connections,
                                        .admit = admit_connection,
                                        .release = release_connection,
                                        .admit_cls = server,
                                        .log = server->log};
    vind_status_t status = vind_acceptor_new(&accepting, &server->acceptor, errmsg);
    free(daemons);
    if (status == VIND_OK) {
        vind_metrics_set_more(server->metrics, threads_metrics, server);
        status = vind_acceptor_start(server->acceptor, errmsg);
    }
    if (status != VIND_OK) {
        stop_workers(server);
        vind_acceptor_free(server->acceptor);
        server->acceptor = NULL;
    }
    return status;
}

vind_status_t vind_server_start(vind_server_t *server, unsigned *port, char **errmsg)
{
    const vind_config_t *config = server->config;
    struct sockaddr_storage address;
    socklen_t length = 0;
    vind_status_t status = resolve_listen(config->listen, &address, &length, errmsg);
    if (status != VIND_OK)
        return status;
    int listen_fd = -1;
    status = open_listen_socket(config, &address, length, &listen_fd, errmsg);
    if (status != VIND_OK)
        return status;
    server->connections = calloc(1, sizeof *server->connections);
    if (server->connections != NULL) {
        pthread_mutex_init(&server->connections->lock, NULL);
        server->connections->clients = g_hash_table_new_full(
            g_bytes_hash, g_bytes_equal, (GDestroyNotify)g_bytes_unref, NULL);
    }
    server->clients = client_table_new(vind_server_searcher_count(config));
    if (server->connections == NULL || server->clients == NULL) {
        close(listen_fd);
        vind_server_free_connections(server);
        return vind_error(errmsg, VIND_NOMEM, "out of memory");
    }
    status = start_search_threads(server, search_thread_count(config), errmsg);
    if (status != VIND_OK) {
        close(listen_fd);
        free_search_threads(server);
        vind_server_free_connections(server);
        return status;
    }
    atomic_init(&server->in_flight, 0);
    atomic_init(&server->stopping, 0);
    status = start_serving(server, listen_fd, errmsg);
    if (status != VIND_OK) {
        close(listen_fd);
        free_search_threads(server);
        vind_server_free_connections(server);
        return status;
    }
    server->listen_fd = listen_fd;
    *port = bound_port(listen_fd);
    return VIND_OK;
}

void vind_server_stop(vind_server_t *server)
{
    if (server->workers == NULL)
        return;
    atomic_store(&server->stopping, 1); /* the acceptor closes new connections at once */
    int64_t deadline = g_get_monotonic_time() + VIND_SEARCHD_DRAIN_SECONDS * G_TIME_SPAN_SECOND;
    while (atomic_load(&server->in_flight) > 0 && g_get_monotonic_time() < deadline) {
        vind_server_sweep(server);
        g_usleep(10 * 1000);
    }
    if (atomic_load(&server->in_flight) > 0)
        VIND_LOG(server->log, VIND_LOG_WARNING, "stopping with %u request(s) unfinished",
                 atomic_load(&server->in_flight));
    /* Every search finishes and resumes its connection first: MHD must not
     * stop with a connection suspended. */
    stop_search_threads(server);
    vind_acceptor_stop(server->acceptor);
    close(server->listen_fd); /* new connections are refused by the kernel from here */
    server->listen_fd = -1;
    stop_workers(server);
    vind_acceptor_free(server->acceptor); /* after the workers' last CLOSED notification */
    server->acceptor = NULL;
    free_search_threads(server);
    vind_server_free_connections(server);
}
