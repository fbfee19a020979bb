/*
 * fuzz_searchd.c - libFuzzer target for vind-searchd's request layer: the
 * request line, query string and headers of one HTTP request through
 * libmicrohttpd, the route table, guard_request() (method, URI length, body
 * size, every parameter), the handlers, the search itself and the JSON and
 * HTML answers.
 *
 * searchd has no parsing function that works without a socket: the
 * parameters are read by a static callback (server.c, scan_parameter) from
 * MHD's connection. So this target starts the real server in-process on
 * 127.0.0.1 (any free port, one worker thread) over a small index it builds
 * at start, and sends each input as one request over loopback.
 *
 * Input: byte 0 picks the method (bits 0-1) and the route (the rest); then
 * fields separated by 0x1f: the query string (bytes that would end the
 * request line are %-escaped, everything else goes as it is, so %00, %FF and
 * broken escapes reach the server), up to FUZZ_MAX_HEADERS header lines (CR
 * and LF become spaces), and a body. Properties checked: the server answers
 * within FUZZ_REPLY_SECONDS, never with 500, a 200 from /api/ is JSON, and
 * no HTML reply carries the markup "<vindxss" a request smuggled in (the
 * seeds put it in q, tag, sort, page...: whatever echoes a parameter into
 * HTML must escape it; JSON may hold it as a string).
 * FUZZ_SEARCHD_VERBOSE=1 prints each request line and the status it got.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <glib.h>
#include <jansson.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <vind/extract.h>
#include <vind/index.h>
#include <vind/limits.h>
#include "../../searchd/metrics.h"
#include "../../searchd/page.h"
#include "../../searchd/pool.h"
#include "../../searchd/respond.h"
#include "../../searchd/server.h"
#include "common.h"

#define FUZZ_MAX_HEADERS 8
#define FUZZ_REPLY_SECONDS 8
#define FUZZ_MAX_REPLY (4u * 1024u * 1024u)

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const methods[] = {"GET", "HEAD", "POST", "OPTIONS"};
static const char *const routes[] = {
    "/api/search",       "/zoeken",
    "/api/suggest",      "/api/doc",
    "/api/related",      "/health",
    "/metrics",          "/",
    "/assets/style.css", "/zoeken/assets/search.js",
    "/api/search",       "/api/search",
    "/zoeken",           "/assets/../page.html",
    "/nergens",
};

/* Three small Dutch pages: enough for hits, facets, snippets and suggestions. */
static const struct {
    const char *name;
    const char *html;
} pages[] = {
    {"zorg.html",
     "<html lang=\"nl\"><head><title>Langdurige zorg voor ouderen</title>"
     "<meta name=\"author\" content=\"Jan de Vries\">"
     "<meta property=\"article:published_time\" content=\"2021-10-28\">"
     "<meta property=\"article:tag\" content=\"Wonen en zorg\">"
     "<meta property=\"article:section\" content=\"Zorg\"></head><body><main><article>"
     "<h1>Langdurige zorg voor ouderen</h1><p>De cliënten van het verpleeghuis kregen "
     "verpleeghuiszorg van het zorgkantoor. Geestelijke gezondheidszorg (ggz) hoort erbij.</p>"
     "<p>Bron- en contactonderzoek in Noord-Holland, o.a. door coördinatoren.</p>"
     "</article></main></body></html>"},
    {"wonen.html",
     "<html lang=\"nl\"><head><title>Wonen en welzijn</title>"
     "<meta property=\"article:published_time\" content=\"2019-03-01\">"
     "<meta property=\"article:tag\" content=\"Wonen\"></head><body><main><article>"
     "<h1>Wonen en welzijn</h1><p>Ouderen willen langer thuis wonen. Gemeenten zorgen voor "
     "onderwijsvernieuwing en kwaliteitsgelden in 2019.</p></article></main></body></html>"},
    {"privacy.html",
     "<html lang=\"nl\"><head><title>Privacy van de CoronaMelder-app</title>"
     "<meta property=\"article:published_time\" content=\"2020-09-28\"></head><body><main>"
     "<article><h1>Privacy</h1><p>De app bewaart geen persoonsgegevens; de DPIA beschrijft de "
     "risico's. Mail privacy@example.nl of kijk op https://example.nl/privacy.</p>"
     "</article></main></body></html>"},
};

/* The server and its parts, for the process's life (libFuzzer never returns
 * from its loop; the OS cleans up). */
static vind_config_t config;
static vind_server_t server;
static unsigned port;
static int verbose;
static char temp_dir[] = "/tmp/vind-fuzz-searchd-XXXXXX";

static void die(const char *what, char *errmsg)
{
    fprintf(stderr, "fuzz_searchd: %s: %s\n", what, errmsg ? errmsg : "?");
    abort();
}

static void build_index(const char *db_path)
{
    char *site = g_build_filename(temp_dir, "site", NULL);
    fuzz_require(g_mkdir_with_parents(site, 0700) == 0, "mkdir site");
    for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++) {
        char *path = g_build_filename(site, pages[i].name, NULL);
        fuzz_require(g_file_set_contents(path, pages[i].html, -1, NULL), "write a page");
        g_free(path);
    }
    vind_index_t *index = NULL;
    char *errmsg = NULL;
    if (vind_index_open(db_path, fuzz_lexicon(), &index, &errmsg) != VIND_OK)
        die("cannot create the index", errmsg);
    vind_index_options_t opts;
    vind_index_options_init(&opts);
    opts.jobs = 1;
    opts.extract.isolate = 0;
    const char *roots[] = {site};
    vind_index_report_t report;
    if (vind_index_run(index, roots, 1, &opts, &report, &errmsg) != VIND_OK)
        die("cannot index the pages", errmsg);
    fuzz_require(report.indexed == sizeof pages / sizeof pages[0], "not every page was indexed");
    vind_index_close(index);
    g_free(site);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    json_object_seed(0);
    verbose = getenv("FUZZ_SEARCHD_VERBOSE") != NULL;
    fuzz_require(mkdtemp(temp_dir) != NULL, "mkdtemp");
    char *db_path = g_build_filename(temp_dir, "vind.db", NULL);
    build_index(db_path);

    config.db_path = db_path;
    config.listen = "127.0.0.1:0";
    config.threads = 1;
    config.max_connections = VIND_SEARCHD_MAX_CONNECTIONS;
    config.max_connections_per_ip = VIND_SEARCHD_MAX_CONNECTIONS_PER_IP;
    config.idle_seconds = 2;
    config.request_seconds = 2;
    config.slow_ms = 100000;
    /* Errors only: an access-log line per input would drown libFuzzer's output. */
    vind_log_init(&config.log, stderr, VIND_LOG_ERROR);

    char *errmsg = NULL;
    char *template_dir = g_build_filename(fuzz_datadir(), "templates", NULL);
    if (vind_page_load(template_dir, &server.page, &errmsg) != VIND_OK)
        die("cannot load the page template", errmsg);
    g_free(template_dir);
    server.config = &config;
    server.log = &config.log;
    server.metrics = vind_metrics_new(vind_server_route_count());
    server.pool = vind_pool_new(config.db_path, fuzz_lexicon(), vind_server_searcher_count(&config),
                                server.metrics);
    server.responses = vind_responses_new(NULL, server.page);
    fuzz_require(server.metrics && server.pool && server.responses, "server parts");
    if (vind_server_start(&server, &port, &errmsg) != VIND_OK)
        die("cannot start the server", errmsg);
    return 0;
}

/* Appends text, %-escaping the bytes that would end or split the request line. */
static void append_target(GString *out, const char *text, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c <= 0x20 || c == 0x7f)
            g_string_append_printf(out, "%%%02X", c);
        else
            g_string_append_c(out, (char)c);
    }
}

static void append_header(GString *out, const char *text, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        char c = text[i];
        g_string_append_c(out, c == '\r' || c == '\n' || c == '\0' ? ' ' : c);
    }
    g_string_append(out, "\r\n");
}

static int connect_server(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    fuzz_require(fd >= 0, "socket");
    struct timeval timeout = {.tv_sec = FUZZ_REPLY_SECONDS};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
    /* Close with a reset: a TIME_WAIT per input would use up the ports. */
    struct linger linger = {.l_onoff = 1, .l_linger = 0};
    setsockopt(fd, SOL_SOCKET, SO_LINGER, &linger, sizeof linger);
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    fuzz_require(connect(fd, (struct sockaddr *)&address, sizeof address) == 0, "connect");
    return fd;
}

/* Sends request, reads the reply until the server closes. */
static GString *exchange(const GString *request)
{
    int fd = connect_server();
    size_t sent = 0;
    while (sent < request->len) {
        ssize_t n = send(fd, request->str + sent, request->len - sent, MSG_NOSIGNAL);
        if (n <= 0)
            break; /* the server may refuse and close before reading everything */
        sent += (size_t)n;
    }
    shutdown(fd, SHUT_WR);
    GString *reply = g_string_new(NULL);
    char buffer[65536];
    for (;;) {
        ssize_t n = recv(fd, buffer, sizeof buffer, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            fuzz_require(0, "the server did not answer in time");
        if (n <= 0)
            break;
        g_string_append_len(reply, buffer, n);
        fuzz_require(reply->len <= FUZZ_MAX_REPLY, "the reply is unbounded");
    }
    close(fd);
    return reply;
}

static void check_reply(const GString *reply, const char *method, const char *route)
{
    if (reply->len == 0)
        return; /* MHD closed a request it could not parse: allowed */
    unsigned status = 0;
    fuzz_require(sscanf(reply->str, "HTTP/1.%*d %u", &status) == 1, "the reply is not HTTP");
    if (status == 500) {
        fprintf(stderr, "%.*s\n", (int)MIN(reply->len, 2000), reply->str);
        fuzz_require(0, "the server answered 500");
    }
    const char *end_of_headers = strstr(reply->str, "\r\n\r\n");
    size_t header_bytes = end_of_headers ? (size_t)(end_of_headers - reply->str) : reply->len;
    int html = g_strstr_len(reply->str, (gssize)header_bytes, "Content-Type: text/html") != NULL;
    if (html && g_strstr_len(reply->str, (gssize)reply->len, "<vindxss") != NULL) {
        fprintf(stderr, "%.*s\n", (int)MIN(reply->len, 4000), reply->str);
        fuzz_require(0, "a parameter reached the reply unescaped");
    }
    if (status != 200 || strcmp(method, "GET") != 0 || strncmp(route, "/api/", 5) != 0)
        return;
    const char *body = strstr(reply->str, "\r\n\r\n");
    fuzz_require(body != NULL, "a 200 without a body");
    body += 4;
    json_error_t error;
    json_t *json = json_loadb(body, reply->len - (size_t)(body - reply->str), 0, &error);
    if (json == NULL) {
        fprintf(stderr, "%.*s\n", (int)MIN(reply->len, 2000), reply->str);
        fuzz_require(0, "a 200 from /api/ is not JSON");
    }
    json_decref(json);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    fuzz_input_t in = {.data = data, .size = size, .at = 1};
    const char *method = methods[data[0] & 3];
    const char *route = routes[(data[0] >> 2) % (sizeof routes / sizeof routes[0])];

    GString *request = g_string_new(NULL);
    g_string_append_printf(request, "%s %s", method, route);
    size_t len;
    char *query = fuzz_field(&in, &len);
    if (query != NULL) {
        g_string_append_c(request, '?');
        append_target(request, query, len);
    }
    free(query);
    g_string_append(request, " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
    for (int h = 0; h < FUZZ_MAX_HEADERS && in.at < in.size; h++) {
        char *header = fuzz_field(&in, &len);
        if (header == NULL)
            break;
        if (len == 0) { /* an empty field ends the headers: the rest is the body */
            free(header);
            break;
        }
        append_header(request, header, len);
        free(header);
    }
    g_string_append(request, "\r\n");
    if (in.at < in.size)
        g_string_append_len(request, (const char *)in.data + in.at, (gssize)(in.size - in.at));

    GString *reply = exchange(request);
    if (verbose)
        fprintf(stderr, "fuzz_searchd: %.*s -> %.*s\n", (int)MIN(strcspn(request->str, "\r"), 300),
                request->str, (int)strcspn(reply->str, "\r"), reply->str);
    check_reply(reply, method, route);
    g_string_free(reply, TRUE);
    g_string_free(request, TRUE);
    return 0;
}
