/*
 * main.c - `vind-searchd`: options, start-up, signals and shutdown of the
 * HTTP search service (the HTTP side is server.c).
 *
 *   vind-searchd [--db DIR] [--listen 127.0.0.1:8080] [--threads N] [--http-threads N]
 *                [--template DIR] [--cors ORIGIN] [--log-level LEVEL] ...
 *
 * Signals: the handlers only write the signal's number to a self-pipe; the
 * main thread reads it. SIGTERM/SIGINT: stop accepting, finish requests in
 * flight, exit 0. SIGHUP: every searcher reopens the index at its next
 * request (vind-index commits are picked up anyway within 0.2 s; SIGHUP is
 * for an index folder that was replaced).
 */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <vind/analyze.h>
#include <vind/limits.h>
#include <vind/log.h>
#include <vind/vind.h>
#include "lexicon.h"
#include "admission.h"
#include "costmemo.h"
#include "cache.h"
#include "metrics.h"
#include "page.h"
#include "pool.h"
#include "proxy.h"
#include "respond.h"
#include "server.h"

/* The write end of the self-pipe: the one thing a signal handler may touch.
 * Set once before the handlers are installed. */
static volatile sig_atomic_t signal_pipe_fd = -1;

static void on_signal(int signum)
{
    int saved = errno;
    unsigned char byte = (unsigned char)signum;
    if (signal_pipe_fd >= 0 && write(signal_pipe_fd, &byte, 1) < 0) {
        /* The pipe is full: a signal is already pending, nothing is lost. */
    }
    errno = saved;
}

static int install_signals(int pipe_fds[2])
{
    if (pipe2(pipe_fds, O_NONBLOCK | O_CLOEXEC) != 0)
        return -1;
    signal_pipe_fd = pipe_fds[1];
    struct sigaction action = {0};
    action.sa_handler = on_signal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    sigaction(SIGTERM, &action, NULL);
    sigaction(SIGINT, &action, NULL);
    sigaction(SIGHUP, &action, NULL);
    /* A client that hangs up mid-response must not kill the daemon. */
    signal(SIGPIPE, SIG_IGN);
    return 0;
}

typedef struct {
    char *db;
    char *listen;
    int threads;      /* search threads */
    int http_threads; /* libmicrohttpd workers */
    char *template_dir;
    char *cors;
    char *log_level;
    int max_connections;
    int max_connections_per_ip;
    int timeout;
    int slow_ms;
    int max_searches_per_ip;
    int max_heavy_searches;
    int heavy_search_ms;
    double search_time_limit;
    int count_limit;
    char *cache_size;
    char *read_cache_size;
    gboolean reuse_port;
    char *config;
    char **trusted_proxies; /* --trusted-proxy, repeatable; the config file's list after them */
} options_t;

/* The result cache's default bound: ~2,000 answers of a 10-hit page with
 * snippets and facets (8 kB on average on the corpus, 60 kB at most). */
#define DEFAULT_CACHE_BYTES (16u << 20)

/* "16M", "512K", "1G" or a number of bytes; 0 disables the cache. 1 on
 * success. Bounded at 64 GB so that no suffix can overflow. */
static int parse_size(const char *text, size_t *out)
{
    char *end = NULL;
    errno = 0;
    unsigned long long value = strtoull(text, &end, 10);
    if (errno != 0 || end == text || *text == '-')
        return 0;
    unsigned long long unit = 1;
    if (*end == 'K' || *end == 'k')
        unit = 1ull << 10, end++;
    else if (*end == 'M' || *end == 'm')
        unit = 1ull << 20, end++;
    else if (*end == 'G' || *end == 'g')
        unit = 1ull << 30, end++;
    if (*end != '\0' || value > (64ull << 30) / unit)
        return 0;
    *out = (size_t)(value * unit);
    return 1;
}

/* An integer option that was not given (a --config file or the default
 * fills it in); a negative value given by the user stays an error. */
#define UNSET INT_MIN

/* The default of --threads (search threads); 0 means one per CPU. */
#define DEFAULT_SEARCH_THREADS 4

/* CPUs per HTTP worker by default (--http-threads): one worker per 4 CPUs,
 * at least one. Why: a worker's share of a search request is ~0.07 ms of
 * CPU against ~0.25 ms on a search thread, so one worker keeps up with 3-4
 * cores of searching, and every thread more than the cores only time-slices:
 * on 2 cores, 4 workers gave /api/search a p99 of 90-104 ms at 64
 * connections, 1 worker 23-32 ms with 10% more req/s (docs/searchd.md
 * "Session 20's end"). */
#define CPUS_PER_HTTP_THREAD 4

/* A thread count: 0 is one per CPU. */
static int threads_or_cpus(int count)
{
    return count == 0 ? (int)g_get_num_processors() : count;
}

/* --http-threads when neither the command line nor the config file sets it. */
static int default_http_threads(void)
{
    int workers = (int)g_get_num_processors() / CPUS_PER_HTTP_THREAD;
    return workers > 1 ? workers : 1;
}

/* Fills what neither the command line nor the config file set. */
static void apply_defaults(options_t *o)
{
    o->threads = threads_or_cpus(o->threads == UNSET ? DEFAULT_SEARCH_THREADS : o->threads);
    o->http_threads =
        o->http_threads == UNSET ? default_http_threads() : threads_or_cpus(o->http_threads);
    if (o->max_connections == UNSET)
        o->max_connections = VIND_SEARCHD_MAX_CONNECTIONS;
    if (o->max_connections_per_ip == UNSET)
        o->max_connections_per_ip = VIND_SEARCHD_MAX_CONNECTIONS_PER_IP;
    if (o->timeout == UNSET)
        o->timeout = VIND_SEARCHD_IDLE_SECONDS;
    if (o->slow_ms == UNSET)
        o->slow_ms = 500;
    if (o->max_searches_per_ip == UNSET)
        o->max_searches_per_ip = o->threads > 1 ? o->threads - 1 : 1;
    if (o->max_heavy_searches == UNSET)
        o->max_heavy_searches = o->threads / 4 > 1 ? o->threads / 4 : 1;
    if (o->heavy_search_ms == UNSET)
        o->heavy_search_ms = (int)VIND_SEARCHD_HEAVY_SEARCH_MS;
    if (isnan(o->search_time_limit))
        o->search_time_limit = VIND_SEARCHD_SEARCH_SECONDS;
    if (o->count_limit == UNSET)
        o->count_limit = (int)VIND_COUNT_LIMIT;
}

static void config_string(GKeyFile *file, const char *key, char **target)
{
    if (*target == NULL)
        *target = g_key_file_get_string(file, "searchd", key, NULL);
}

static int config_int(GKeyFile *file, const char *key, int *target, const char *path)
{
    if (*target != UNSET || !g_key_file_has_key(file, "searchd", key, NULL))
        return 0;
    GError *error = NULL;
    int value = g_key_file_get_integer(file, "searchd", key, &error);
    if (error != NULL || value < 0) {
        fprintf(stderr, "vind-searchd: %s: %s must be a number\n", path, key);
        g_clear_error(&error);
        return -1;
    }
    *target = value;
    return 0;
}

/* A number of seconds (fractions allowed), not negative. */
static int config_seconds(GKeyFile *file, const char *key, double *target, const char *path)
{
    if (!isnan(*target) || !g_key_file_has_key(file, "searchd", key, NULL))
        return 0;
    GError *error = NULL;
    double value = g_key_file_get_double(file, "searchd", key, &error);
    if (error != NULL || !(value >= 0)) {
        fprintf(stderr, "vind-searchd: %s: %s must be a number of seconds\n", path, key);
        g_clear_error(&error);
        return -1;
    }
    *target = value;
    return 0;
}

/*
 * A GKeyFile, e.g. /etc/vind/searchd.conf:
 *   [searchd]
 *   db = /var/lib/vind/site.db
 *   listen = 127.0.0.1:8080
 *   threads = 8
 *   http-threads = 2
 * Keys are the long option names; unknown keys are refused (a typo must not
 * silently fall back to a default).
 */
static int read_config_file(const char *path, options_t *o)
{
    static const char *const known[] = {"db",
                                        "listen",
                                        "threads",
                                        "http-threads",
                                        "template",
                                        "cors",
                                        "log-level",
                                        "max-connections",
                                        "max-connections-per-ip",
                                        "timeout",
                                        "slow-ms",
                                        "max-searches-per-ip",
                                        "max-heavy-searches",
                                        "heavy-search-ms",
                                        "search-time-limit",
                                        "count-limit",
                                        "cache-size",
                                        "read-cache-size",
                                        "reuse-port",
                                        "trusted-proxy",
                                        NULL};
    GKeyFile *file = g_key_file_new();
    GError *error = NULL;
    int rc = 0;
    if (!g_key_file_load_from_file(file, path, G_KEY_FILE_NONE, &error)) {
        fprintf(stderr, "vind-searchd: %s: %s\n", path, error->message);
        g_error_free(error);
        g_key_file_free(file);
        return -1;
    }
    gchar **keys = g_key_file_get_keys(file, "searchd", NULL, NULL);
    for (gchar **key = keys; key && *key; key++)
        if (!g_strv_contains(known, *key)) {
            fprintf(stderr, "vind-searchd: %s: unknown setting '%s'\n", path, *key);
            rc = -1;
        }
    g_strfreev(keys);
    config_string(file, "db", &o->db);
    config_string(file, "listen", &o->listen);
    config_string(file, "template", &o->template_dir);
    config_string(file, "cors", &o->cors);
    config_string(file, "log-level", &o->log_level);
    config_string(file, "cache-size", &o->cache_size);
    config_string(file, "read-cache-size", &o->read_cache_size);
    if (config_int(file, "threads", &o->threads, path) != 0 ||
        config_int(file, "http-threads", &o->http_threads, path) != 0 ||
        config_int(file, "max-connections", &o->max_connections, path) != 0 ||
        config_int(file, "max-connections-per-ip", &o->max_connections_per_ip, path) != 0 ||
        config_int(file, "timeout", &o->timeout, path) != 0 ||
        config_int(file, "slow-ms", &o->slow_ms, path) != 0 ||
        config_int(file, "max-searches-per-ip", &o->max_searches_per_ip, path) != 0 ||
        config_int(file, "max-heavy-searches", &o->max_heavy_searches, path) != 0 ||
        config_int(file, "heavy-search-ms", &o->heavy_search_ms, path) != 0 ||
        config_seconds(file, "search-time-limit", &o->search_time_limit, path) != 0 ||
        config_int(file, "count-limit", &o->count_limit, path) != 0)
        rc = -1;
    if (o->trusted_proxies == NULL)
        o->trusted_proxies =
            g_key_file_get_string_list(file, "searchd", "trusted-proxy", NULL, NULL);
    if (!o->reuse_port && g_key_file_get_boolean(file, "searchd", "reuse-port", NULL))
        o->reuse_port = TRUE;
    g_key_file_free(file);
    return rc;
}

/* The log's pipe or socket, written without blocking (log_stream). The
 * count is atomic though only the stream's holder touches it: stdio's lock
 * (flockfile) is invisible to ThreadSanitizer, which reported it as a race. */
static struct {
    int fd;
    atomic_ulong dropped; /* lines its reader had no room for, not yet reported */
} log_sink = {-1, 0};

/* The log stream's write (fopencookie): the whole line, or nothing when the
 * reader has no room (EAGAIN); it always reports the line written, so stdio
 * keeps nothing back to prepend to the next one. A line (at most ~2.1 kB,
 * lib/log.c) is within PIPE_BUF: a pipe takes it whole or not at all; a
 * socket may take a part (rare: its buffer all but full). Once lines were
 * dropped, the next line that goes through is preceded by a note saying
 * how many. Under the stream's lock (vind_log_write), so never concurrent. */
static ssize_t write_or_drop(void *cookie, const char *data, size_t size)
{
    (void)cookie;
    unsigned long dropped = atomic_load_explicit(&log_sink.dropped, memory_order_relaxed);
    if (dropped) {
        char note[96];
        int length = snprintf(note, sizeof note,
                              "vind-searchd: %lu log lines dropped: the log's reader was full\n",
                              dropped);
        if (write(log_sink.fd, note, (size_t)length) == length)
            atomic_store_explicit(&log_sink.dropped, 0, memory_order_relaxed);
    }
    if (write(log_sink.fd, data, size) < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
        atomic_fetch_add_explicit(&log_sink.dropped, 1, memory_order_relaxed);
    return (ssize_t)size;
}

/* Where the log goes: stderr, but a pipe or a socket there (journald's
 * stream, `| logger`) is written without blocking. A reader that stopped
 * reading filled the pipe, and then every worker waited on the log's lock:
 * 1,147 requests, then no answer to anyone, and SIGTERM unheeded (the
 * hostile probe of session 19); now the lines it has no room for are
 * dropped and counted. A pipe is reopened through /proc/self/fd/2 (a
 * description of its own: the flag reaches no one else's end); a socket is
 * set non-blocking itself (a service's journald stream is its own). A file
 * or a terminal is written as before. */
static FILE *log_stream(void)
{
    struct stat st;
    if (fstat(STDERR_FILENO, &st) != 0 || !(S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode)))
        return stderr;
    int fd = S_ISFIFO(st.st_mode) ? open("/proc/self/fd/2", O_WRONLY | O_NONBLOCK | O_CLOEXEC)
                                  : fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
    int flags = fd >= 0 ? fcntl(fd, F_GETFL) : -1;
    if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) != 0) {
        if (fd >= 0)
            close(fd);
        return stderr;
    }
    log_sink.fd = fd;
    FILE *stream = fopencookie(NULL, "w", (cookie_io_functions_t){.write = write_or_drop});
    if (stream == NULL) {
        close(fd);
        return stderr;
    }
    setvbuf(stream, NULL, _IONBF, 0);
    return stream;
}

/* --trusted-proxy's networks into config->trusted_proxies: 1, or 0 after
 * printing which one is wrong and why. */
static int parse_trusted_proxies(char **specs, vind_config_t *config)
{
    vind_proxies_t *proxies = g_new0(vind_proxies_t, 1);
    for (char **spec = specs; *spec; spec++) {
        const char *why = NULL;
        if (!vind_proxies_add(proxies, g_strstrip(*spec), &why)) {
            fprintf(stderr, "vind-searchd: --trusted-proxy %s: %s\n", *spec, why);
            g_free(proxies);
            return 0;
        }
    }
    config->trusted_proxies = proxies;
    return 1;
}

/* Parses argv into config; 0 on success, else prints why and returns 2. */
static int parse_options(int *argc, char ***argv, vind_config_t *config)
{
    options_t o = {.threads = UNSET,
                   .http_threads = UNSET,
                   .max_connections = UNSET,
                   .max_connections_per_ip = UNSET,
                   .timeout = UNSET,
                   .slow_ms = UNSET,
                   .max_searches_per_ip = UNSET,
                   .max_heavy_searches = UNSET,
                   .heavy_search_ms = UNSET,
                   .search_time_limit = NAN, /* NAN: not given */
                   .count_limit = UNSET};
    GOptionEntry entries[] = {
        {"config", 0, 0, G_OPTION_ARG_FILENAME, &o.config,
         "Settings file: a [searchd] group with the long option names as keys; options given "
         "on the command line win",
         "FILE"},
        {"db", 0, 0, G_OPTION_ARG_FILENAME, &o.db,
         "Index folder (default $VIND_DB, else ./vind.db)", "DIR"},
        {"listen", 0, 0, G_OPTION_ARG_STRING, &o.listen,
         "Address and port (default 127.0.0.1:8080; port 0 picks a free one)", "HOST:PORT"},
        {"reuse-port", 0, 0, G_OPTION_ARG_NONE, &o.reuse_port,
         "Share the port with other daemons (SO_REUSEPORT; the kernel splits connections "
         "between them). Without it a taken address is refused",
         NULL},
        {"threads", 0, 0, G_OPTION_ARG_INT, &o.threads,
         "Search threads, each with its own searcher: searches run at once (default 4; 0: one "
         "per CPU)",
         "N"},
        {"http-threads", 0, 0, G_OPTION_ARG_INT, &o.http_threads,
         "HTTP worker threads: each reads requests and writes answers for its share of the "
         "connections, and answers /health, /metrics and the assets (default one per 4 CPUs, at least 1; 0: one "
         "per CPU)",
         "N"},
        {"template", 0, 0, G_OPTION_ARG_FILENAME, &o.template_dir,
         "Folder with page.html, style.css, search.js (default <datadir>/templates)", "DIR"},
        {"cors", 0, 0, G_OPTION_ARG_STRING, &o.cors,
         "Allow this origin to call the API from a browser (e.g. https://www.example.nl)",
         "ORIGIN"},
        {"log-level", 0, 0, G_OPTION_ARG_STRING, &o.log_level,
         "error, warning, info (default: one access line per request) or debug", "LEVEL"},
        {"max-connections", 0, 0, G_OPTION_ARG_INT, &o.max_connections,
         "Connections at once (default 512)", "N"},
        {"max-connections-per-ip", 0, 0, G_OPTION_ARG_INT, &o.max_connections_per_ip,
         "Connections at once from one address (default 64)", "N"},
        {"timeout", 0, 0, G_OPTION_ARG_INT, &o.timeout,
         "Seconds an idle connection stays open (default 15)", "SECONDS"},
        {"slow-ms", 0, 0, G_OPTION_ARG_INT, &o.slow_ms,
         "Log searches slower than this as slow queries (default 500)", "MS"},
        {"max-searches-per-ip", 0, 0, G_OPTION_ARG_INT, &o.max_searches_per_ip,
         "Searches at once from one address; more get 429 (default: threads - 1, at least 1)", "N"},
        {"max-heavy-searches", 0, 0, G_OPTION_ARG_INT, &o.max_heavy_searches,
         "Searches at once from all heavy addresses (those whose search took --heavy-search-ms "
         "of CPU in the last 10 s); more get 429 (default: threads / 4, at least 1; 0: off)",
         "N"},
        {"heavy-search-ms", 0, 0, G_OPTION_ARG_INT, &o.heavy_search_ms,
         "CPU milliseconds from which a search makes its address heavy (default 20; 0: every "
         "search)",
         "MS"},
        {"search-time-limit", 0, 0, G_OPTION_ARG_DOUBLE, &o.search_time_limit,
         "Seconds one search may take; then it answers what it has, marked partial "
         "(default 0.5; 0: no limit)",
         "SECONDS"},
        {"count-limit", 0, 0, G_OPTION_ARG_INT, &o.count_limit,
         "Matches a search counts exactly; past them the total is an estimate (\"ongeveer\") "
         "and facet counts are lower bounds (default 10000; 0: count all)",
         "N"},
        {"cache-size", 0, 0, G_OPTION_ARG_STRING, &o.cache_size,
         "Bytes of /api/search answers kept for repeated searches, e.g. 64M (default 16M; "
         "0: no cache). A new index revision empties it",
         "BYTES"},
        {"trusted-proxy", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o.trusted_proxies,
         "A proxy in front (repeatable; an address or a network, e.g. 127.0.0.1 or 10.0.0.0/8): "
         "from it, the client is the rightmost address of X-Forwarded-For that is no trusted "
         "proxy, for the per-client limits. Other peers' X-Forwarded-For is never read",
         "ADDR[/PREFIX]"},
        {"read-cache-size", 0, 0, G_OPTION_ARG_STRING, &o.read_cache_size,
         "Bytes of stored page text and hit records each worker keeps for later searches, "
         "e.g. 64M (default 16M; 0: none). A new index revision empties it",
         "BYTES"},
        {NULL, 0, 0, 0, NULL, NULL, NULL}};
    GOptionContext *context = g_option_context_new("- the vind HTTP search service");
    g_option_context_set_summary(
        context, "Serves /api/search, /api/suggest, /api/doc, /health, /metrics and the Dutch\n"
                 "search page /zoeken over a vind index. Reloads the index after each\n"
                 "vind-index commit; SIGHUP reopens it; SIGTERM finishes requests and exits.");
    g_option_context_add_main_entries(context, entries, NULL);
    GError *error = NULL;
    int rc = 2, level;
    int ok = g_option_context_parse(context, argc, argv, &error);
    g_option_context_free(context);
    if (!ok) {
        fprintf(stderr, "vind-searchd: %s (see --help)\n", error->message);
        g_error_free(error);
        goto fail;
    }
    if (*argc > 1) {
        fprintf(stderr, "vind-searchd: unexpected argument '%s' (see --help)\n", (*argv)[1]);
        goto fail;
    }
    if (o.config && read_config_file(o.config, &o) != 0)
        goto fail;
    apply_defaults(&o);
    level = o.log_level ? vind_log_level_from_name(o.log_level) : VIND_LOG_INFO;
    if (level < 0) {
        fprintf(stderr, "vind-searchd: --log-level must be error, warning, info or debug\n");
        goto fail;
    }
    if (o.threads < 1 || o.threads > (int)VIND_SEARCHD_MAX_THREADS || o.http_threads < 1 ||
        o.http_threads > (int)VIND_SEARCHD_MAX_THREADS || o.max_connections < 1 ||
        o.max_connections_per_ip < 1 || o.timeout < 1 || o.slow_ms < 0 ||
        o.max_searches_per_ip < 1 || o.max_heavy_searches < 0 || o.heavy_search_ms < 0 ||
        !(o.search_time_limit >= 0) || o.search_time_limit > 3600 || o.count_limit < 0) {
        fprintf(stderr,
                "vind-searchd: --threads and --http-threads must be 0..%u; connection and "
                "search limits, "
                "--timeout must be positive; --search-time-limit 0..3600 seconds; "
                "--count-limit 0 or more\n",
                VIND_SEARCHD_MAX_THREADS);
        goto fail;
    }
    config->cache_bytes = DEFAULT_CACHE_BYTES;
    if (o.cache_size && !parse_size(o.cache_size, &config->cache_bytes)) {
        fprintf(stderr, "vind-searchd: --cache-size must be a number of bytes, e.g. 16M, 512K "
                        "or 0 (no cache)\n");
        goto fail;
    }
    config->read_cache_bytes = VIND_READ_CACHE_BYTES;
    if (o.read_cache_size && !parse_size(o.read_cache_size, &config->read_cache_bytes)) {
        fprintf(stderr, "vind-searchd: --read-cache-size must be a number of bytes, e.g. 16M, "
                        "512K or 0 (none)\n");
        goto fail;
    }
    if (o.trusted_proxies && !parse_trusted_proxies(o.trusted_proxies, config))
        goto fail;
    const char *env_db = getenv("VIND_DB");
    config->db_path = g_strdup(o.db ? o.db : env_db && *env_db ? env_db : "vind.db");
    config->listen = g_strdup(o.listen ? o.listen : "127.0.0.1:8080");
    config->threads = (unsigned)o.threads;
    config->http_threads = (unsigned)o.http_threads;
    config->template_dir = o.template_dir ? g_strdup(o.template_dir) : NULL;
    config->cors_origin = o.cors && *o.cors ? g_strdup(o.cors) : NULL;
    config->max_connections = (unsigned)o.max_connections;
    config->max_connections_per_ip = (unsigned)o.max_connections_per_ip;
    config->idle_seconds = (unsigned)o.timeout;
    config->request_seconds = VIND_SEARCHD_REQUEST_SECONDS;
    config->slow_ms = (unsigned)o.slow_ms;
    config->reuse_port = o.reuse_port;
    config->max_searches_per_ip = (unsigned)o.max_searches_per_ip;
    config->max_heavy_searches = (unsigned)o.max_heavy_searches;
    config->heavy_search_ms = (unsigned)o.heavy_search_ms;
    config->search_seconds = o.search_time_limit;
    config->count_limit = (uint64_t)o.count_limit;
    /* Tests only: each search waits this long first, so that a test can
     * hold searches in flight without timing assumptions (handlers.c). */
    const char *delay = getenv("VIND_SEARCHD_TEST_DELAY_MS");
    config->test_delay_ms = delay ? (unsigned)strtoul(delay, NULL, 10) : 0;
    /* The known-cheap bound (costmemo.h, limits.h); unset or 0: off, every
     * search goes to a search thread. */
    const char *cheap = getenv("VIND_SEARCHD_CHEAP_SEARCH_US");
    config->cheap_search_us = cheap ? (unsigned)strtoul(cheap, NULL, 10) : 0;
    vind_log_init(&config->log, log_stream(), (vind_log_level_t)level);
    rc = 0;
fail:
    g_free(o.db), g_free(o.listen), g_free(o.template_dir), g_free(o.cors), g_free(o.log_level);
    g_free(o.config), g_free(o.cache_size), g_free(o.read_cache_size);
    g_strfreev(o.trusted_proxies);
    return rc;
}

static void free_config(vind_config_t *config)
{
    g_free(config->db_path);
    g_free(config->listen);
    g_free(config->template_dir);
    g_free(config->cors_origin);
    g_free(config->trusted_proxies);
}

/* The read check of a new index revision (pool.c): logged once per
 * revision that fails it; /health then says "degraded". */
static void check_index(vind_server_t *server)
{
    char *reason = NULL;
    vind_pool_check(server->pool, &reason);
    if (reason)
        VIND_LOG(server->log, VIND_LOG_ERROR, "the index is damaged: %s", reason);
    free(reason);
}

/* Waits for signals, sweeping slow connections and checking a new index
 * revision once a second. Returns on SIGTERM or SIGINT. */
static void run_until_stopped(vind_server_t *server, int signal_fd)
{
    for (;;) {
        struct pollfd fd = {.fd = signal_fd, .events = POLLIN};
        int ready = poll(&fd, 1, 1000);
        int stop = 0;
        unsigned char signum;
        while (ready > 0 && read(signal_fd, &signum, 1) == 1) {
            if (signum == SIGHUP) {
                vind_pool_invalidate(server->pool);
                VIND_LOG(server->log, VIND_LOG_INFO, "SIGHUP: reopening the index");
            } else {
                VIND_LOG(server->log, VIND_LOG_INFO, "%s: finishing requests, then stopping",
                         signum == SIGINT ? "SIGINT" : "SIGTERM");
                stop = 1;
            }
        }
        if (stop)
            return;
        vind_server_sweep(server);
        check_index(server);
    }
}

int main(int argc, char **argv)
{
    vind_config_t config = {0};
    int rc = parse_options(&argc, &argv, &config);
    if (rc != 0)
        return rc;
    const vind_log_t *log = &config.log;
    json_object_seed(0); /* seed jansson's hashing once, before any thread */

    vind_lexicon_t *lexicon = NULL;
    vind_page_t *page = NULL;
    vind_metrics_t *metrics = NULL;
    vind_server_t server = {.config = &config, .log = log};
    int signal_fds[2] = {-1, -1};
    char *errmsg = NULL;
    rc = 1;

    if (vind_lexicon_open(NULL, &lexicon, &errmsg) != VIND_OK) {
        vind_log_write(log, VIND_LOG_ERROR, "cannot load the Dutch lexicon: %s", errmsg);
        goto out;
    }
    char *template_dir = config.template_dir
                             ? g_strdup(config.template_dir)
                             : g_build_filename(vind_lexicon_datadir(lexicon), "templates", NULL);
    vind_status_t status = vind_page_load(template_dir, &page, &errmsg);
    g_free(template_dir);
    if (status != VIND_OK) {
        vind_log_write(log, VIND_LOG_ERROR, "cannot load the page template: %s", errmsg);
        goto out;
    }
    metrics = vind_metrics_new(vind_server_route_count());
    server.metrics = metrics;
    server.page = page;
    server.pool =
        vind_pool_new(config.db_path, lexicon, vind_server_searcher_count(&config), metrics);
    if (server.pool)
        vind_pool_set_read_cache(server.pool, config.read_cache_bytes);
    server.responses = vind_responses_new(config.cors_origin, page);
    server.cache = vind_cache_new(config.cache_bytes);
    int admission_failed = 0;
    server.admission = vind_admission_new(
        config.max_heavy_searches, (int64_t)config.heavy_search_ms * 1000,
        (int64_t)VIND_SEARCHD_HEAVY_SECONDS * G_TIME_SPAN_SECOND, &admission_failed);
    int memo_failed = 0;
    server.cost_memo = vind_cost_memo_new(VIND_SEARCHD_COST_MEMO_ENTRIES,
                                          (int64_t)config.cheap_search_us, &memo_failed);
    if (metrics == NULL || server.pool == NULL || server.responses == NULL ||
        server.cache == NULL || admission_failed || memo_failed) {
        vind_log_write(log, VIND_LOG_ERROR, "out of memory");
        goto out;
    }
    if (install_signals(signal_fds) != 0) {
        vind_log_write(log, VIND_LOG_ERROR, "cannot create the signal pipe: %s", strerror(errno));
        goto out;
    }
    unsigned port = 0;
    if (vind_server_start(&server, &port, &errmsg) != VIND_OK) {
        vind_log_write(log, VIND_LOG_ERROR, "%s", errmsg);
        goto out;
    }
    /* Open one searcher now so that a missing index shows in the log at once
     * (the daemon still starts: /health says 503 until vind-index has run). */
    vind_pool_slot_t *slot = NULL;
    if (vind_pool_checkout(server.pool, &slot, &errmsg) != VIND_OK) {
        vind_log_write(log, VIND_LOG_WARNING, "index not available yet: %s", errmsg);
        free(errmsg);
        errmsg = NULL;
    }
    vind_pool_checkin(server.pool, slot);
    check_index(&server); /* before "listening": /health is right from the first request */
    char *host = g_strndup(config.listen, (gsize)(strrchr(config.listen, ':') - config.listen));
    vind_log_write(log, VIND_LOG_INFO,
                   "vind-searchd " VIND_VERSION_STRING " listening on http://%s:%u/ (index %s, "
                   "%u HTTP workers, %u search threads, result cache %zu kB%s)",
                   host, port, config.db_path, config.http_threads, config.threads,
                   config.cache_bytes >> 10,
                   config.trusted_proxies ? ", clients behind --trusted-proxy from X-Forwarded-For"
                                          : "");
    g_free(host);

    run_until_stopped(&server, signal_fds[0]);
    vind_server_stop(&server);
    vind_log_write(log, VIND_LOG_INFO, "stopped");
    rc = 0;
out:
    free(errmsg);
    vind_responses_free(server.responses);
    vind_cache_free(server.cache);
    vind_admission_free(server.admission);
    vind_cost_memo_free(server.cost_memo);
    vind_pool_free(server.pool);
    vind_metrics_free(metrics);
    vind_page_free(page);
    vind_lexicon_close(lexicon);
    free_config(&config);
    if (signal_fds[0] >= 0) {
        signal_pipe_fd = -1;
        close(signal_fds[0]);
        close(signal_fds[1]);
    }
    return rc;
}
