/*
 * respond.c - the only place in vind-searchd that builds an HTTP response.
 *
 * Every answer carries the same security headers (a Content-Security-Policy
 * that allows scripts from 'self' only, nosniff, a Referrer-Policy that keeps
 * search words away from other sites) and, with --cors, the CORS headers.
 * Errors always have a body: {"error": {"status": N, "message": "..."}} on
 * API routes and the Dutch search page with a message on /zoeken. The
 * fixed-message errors are built once at start (as libmicrohttpd's demo.c
 * does) and queued as often as needed.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "page.h"
#include "respond.h"

/* default-src 'self' also covers fetch() to /api/ from the page; no inline
 * script or style anywhere, so nothing else needs allowing. */
#define CSP_POLICY                                                                                 \
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "              \
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'self'"

enum {
    CANNED_400,
    CANNED_404,
    CANNED_405,
    CANNED_413,
    CANNED_414,
    CANNED_429,
    CANNED_503,
    N_CANNED
};

static const struct {
    unsigned status;
    const char *message;       /* API (English, like the library's messages) */
    const char *dutch_message; /* the search page */
} canned_spec[N_CANNED] = {
    [CANNED_400] = {400, "bad request", "De zoekopdracht kon niet worden verwerkt."},
    [CANNED_404] = {404, "not found", "Deze pagina bestaat niet."},
    [CANNED_405] = {405, "method not allowed: use GET or HEAD",
                    "Deze pagina kan alleen worden opgevraagd (GET)."},
    [CANNED_413] = {413, "request too large", "Het verzoek is te groot."},
    [CANNED_414] = {414, "request URI too long", "De zoekopdracht is te lang."},
    [CANNED_429] = {429,
                    "too many searches at once from your address: retry after a second",
                    "U zoekt op dit moment te vaak tegelijk. Probeer het over een seconde opnieuw."},
    [CANNED_503] = {503, "the index is not available",
                    "Zoeken is op dit moment niet beschikbaar. Probeer het later opnieuw."},
};

struct vind_responses {
    char *cors_origin;
    struct MHD_Response *json[N_CANNED];
    struct MHD_Response *html[N_CANNED];
};

unsigned vind_respond_http_status(vind_status_t status)
{
    switch (status) {
    case VIND_OK:
        return 200;
    case VIND_BAD_QUERY:
    case VIND_INVALID_ARGUMENT:
    case VIND_BAD_UTF8:
        return 400;
    case VIND_NOT_FOUND:
        return 404;
    case VIND_TOO_LARGE:
        return 413;
    case VIND_LOCKED:
    case VIND_INDEX_CHANGED:
    case VIND_INDEX_CORRUPT:
    case VIND_SCHEMA_MISMATCH:
    case VIND_TIMEOUT:
    case VIND_UNAVAILABLE:
        return 503;
    default:
        return 500;
    }
}

const char *vind_respond_reason(unsigned http_status)
{
    const char *reason = MHD_get_reason_phrase_for(http_status);
    return reason && *reason ? reason : "Unknown";
}

static void add_common_headers(struct MHD_Response *response, const char *content_type,
                               const char *cors_origin, int cacheable)
{
    MHD_add_response_header(response, MHD_HTTP_HEADER_CONTENT_TYPE, content_type);
    MHD_add_response_header(response, "Content-Security-Policy", CSP_POLICY);
    MHD_add_response_header(response, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(response, "Referrer-Policy", "same-origin");
    MHD_add_response_header(response, MHD_HTTP_HEADER_CACHE_CONTROL,
                            cacheable ? "public, max-age=3600" : "no-cache");
    if (cors_origin != NULL) {
        MHD_add_response_header(response, "Access-Control-Allow-Origin", cors_origin);
        MHD_add_response_header(response, MHD_HTTP_HEADER_VARY, "Origin");
    }
}

static const char *allow_header(const char *cors_origin)
{
    return cors_origin ? "GET, HEAD, OPTIONS" : "GET, HEAD";
}

/* {"error": {"status": N, "message": "..."}} as malloc'd text. */
static char *error_json(unsigned http_status, const char *message)
{
    json_t *body = json_pack("{s:{s:i,s:s}}", "error", "status", (int)http_status, "message",
                             message ? message : vind_respond_reason(http_status));
    if (body == NULL) /* a message that is not UTF-8: never ours, but never a crash */
        body = json_pack("{s:{s:i,s:s}}", "error", "status", (int)http_status, "message",
                         vind_respond_reason(http_status));
    char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
    json_decref(body);
    return text;
}

static struct MHD_Response *canned_response(char *body, const char *content_type,
                                            const char *cors_origin, unsigned status)
{
    if (body == NULL)
        return NULL;
    struct MHD_Response *response =
        MHD_create_response_from_buffer(strlen(body), body, MHD_RESPMEM_MUST_COPY);
    free(body);
    if (response == NULL)
        return NULL;
    add_common_headers(response, content_type, cors_origin, 0);
    if (status == 405)
        MHD_add_response_header(response, MHD_HTTP_HEADER_ALLOW, allow_header(cors_origin));
    if (status == 429) /* a search takes at most the time limit: a second is plenty */
        MHD_add_response_header(response, MHD_HTTP_HEADER_RETRY_AFTER, "1");
    return response;
}

vind_responses_t *vind_responses_new(const char *cors_origin, const vind_page_t *page)
{
    vind_responses_t *responses = calloc(1, sizeof *responses);
    if (responses == NULL)
        return NULL;
    if (cors_origin != NULL && (responses->cors_origin = strdup(cors_origin)) == NULL)
        goto fail;
    for (int i = 0; i < N_CANNED; i++) {
        unsigned status = canned_spec[i].status;
        responses->json[i] =
            canned_response(error_json(status, canned_spec[i].message),
                            "application/json; charset=utf-8", responses->cors_origin, status);
        responses->html[i] =
            canned_response(vind_page_render(page, NULL, NULL, canned_spec[i].dutch_message),
                            "text/html; charset=utf-8", responses->cors_origin, status);
        if (responses->json[i] == NULL || responses->html[i] == NULL)
            goto fail;
    }
    return responses;
fail:
    vind_responses_free(responses);
    return NULL;
}

void vind_responses_free(vind_responses_t *responses)
{
    if (responses == NULL)
        return;
    for (int i = 0; i < N_CANNED; i++) {
        if (responses->json[i])
            MHD_destroy_response(responses->json[i]);
        if (responses->html[i])
            MHD_destroy_response(responses->html[i]);
    }
    free(responses->cors_origin);
    free(responses);
}

static int canned_index(unsigned http_status)
{
    for (int i = 0; i < N_CANNED; i++)
        if (canned_spec[i].status == http_status)
            return i;
    return -1;
}

static int wants_html(const vind_request_t *req)
{
    if (req->route != NULL)
        return (req->route->flags & VIND_ROUTE_HTML) != 0;
    /* No route: the page's own folder gets the page, everything else JSON. */
    return req->path != NULL && strncmp(req->path, "/zoeken", 7) == 0;
}

/* Queues response and notes the status for log and metrics; an owned
 * response is destroyed once queued (MHD keeps its own reference), a canned
 * one is not. On a search thread (req->deferred) the connection is
 * suspended and MHD may not be called for it: the response waits in req
 * until the access handler runs again after the resume
 * (vind_respond_deferred). */
static enum MHD_Result queue(vind_request_t *req, unsigned http_status,
                             struct MHD_Response *response, int owned)
{
    req->responded = 1;
    req->http_status = http_status;
    if (req->close_after && owned) /* MHD then closes the connection once it is sent */
        MHD_add_response_header(response, MHD_HTTP_HEADER_CONNECTION, "close");
    if (req->answered_us == 0) /* on a search thread: when the search is done */
        req->answered_us = g_get_monotonic_time();
    if (req->deferred) {
        req->deferred_response = response;
        req->deferred_owned = owned;
        return MHD_YES;
    }
    enum MHD_Result result = MHD_queue_response(req->connection, http_status, response);
    if (owned)
        MHD_destroy_response(response);
    return result;
}

static enum MHD_Result send_sized(vind_request_t *req, unsigned http_status, char *body,
                                  size_t length, const char *content_type, int cacheable);

enum MHD_Result vind_respond_deferred(vind_request_t *req)
{
    req->deferred = 0;
    if (req->deferred_body != NULL) {
        char *body = req->deferred_body;
        req->deferred_body = NULL;
        return send_sized(req, req->http_status, body, req->deferred_length,
                          req->deferred_content_type, req->deferred_cacheable);
    }
    if (req->deferred_response == NULL)
        return MHD_NO; /* the handler failed (out of memory): MHD closes the connection */
    struct MHD_Response *response = req->deferred_response;
    req->deferred_response = NULL;
    return queue(req, req->http_status, response, req->deferred_owned);
}

void vind_respond_drop_deferred(vind_request_t *req)
{
    free(req->deferred_body);
    req->deferred_body = NULL;
    if (req->deferred_response != NULL && req->deferred_owned)
        MHD_destroy_response(req->deferred_response);
    req->deferred_response = NULL;
}

/* Sends the length bytes of body (consumed, malloc'd) with the common headers. */
static enum MHD_Result send_sized(vind_request_t *req, unsigned http_status, char *body,
                                  size_t length, const char *content_type, int cacheable)
{
    if (body == NULL) {
        req->responded = 1;
        req->http_status = 500;
        return MHD_NO; /* out of memory: MHD closes the connection */
    }
    /* Hot path: on a search thread only the body is kept; the worker builds
     * the response when it queues it (vind_respond_deferred). Built here,
     * the response and its five headers' 15 allocations were freed by the
     * worker after the send, moving tcmalloc's free lists between the two
     * threads' caches (~0.8% of the daemon's CPU, docs/searchd.md "Session
     * 19"). */
    if (req->deferred) {
        req->responded = 1;
        req->http_status = http_status;
        if (req->answered_us == 0) /* when the search is done, as queue() notes it */
            req->answered_us = g_get_monotonic_time();
        req->deferred_body = body;
        req->deferred_length = length;
        req->deferred_content_type = content_type;
        req->deferred_cacheable = cacheable;
        return MHD_YES;
    }
    struct MHD_Response *response =
        MHD_create_response_from_buffer(length, body, MHD_RESPMEM_MUST_FREE);
    if (response == NULL) {
        free(body);
        req->responded = 1;
        req->http_status = 500;
        return MHD_NO;
    }
    add_common_headers(response, content_type, req->server->config->cors_origin, cacheable);
    return queue(req, http_status, response, 1);
}

/* Sends body (consumed, malloc'd, NUL-terminated) with the common headers. */
static enum MHD_Result send_body(vind_request_t *req, unsigned http_status, char *body,
                                 const char *content_type, int cacheable)
{
    return send_sized(req, http_status, body, body ? strlen(body) : 0, content_type, cacheable);
}

enum MHD_Result vind_respond_json_sized(vind_request_t *req, unsigned http_status, char *json,
                                        size_t length)
{
    if (json == NULL)
        return vind_respond_error(req, 500, "out of memory");
    return send_sized(req, http_status, json, length, "application/json; charset=utf-8", 0);
}

enum MHD_Result vind_respond_json(vind_request_t *req, unsigned http_status, char *json)
{
    return vind_respond_json_sized(req, http_status, json, json ? strlen(json) : 0);
}

enum MHD_Result vind_respond_html(vind_request_t *req, unsigned http_status, char *html)
{
    return send_body(req, http_status, html, "text/html; charset=utf-8", 0);
}

enum MHD_Result vind_respond_text(vind_request_t *req, unsigned http_status, char *text,
                                  const char *content_type)
{
    return send_body(req, http_status, text, content_type, 0);
}

enum MHD_Result vind_respond_error(vind_request_t *req, unsigned http_status, const char *message)
{
    int html = wants_html(req);
    int canned = canned_index(http_status);
    /* a canned answer is shared: one that closes the connection is its own */
    if (message == NULL && canned >= 0 && !req->close_after) {
        vind_responses_t *responses = req->server->responses;
        return queue(req, http_status, html ? responses->html[canned] : responses->json[canned],
                     0);
    }
    if (html)
        return vind_respond_html(
            req, http_status,
            vind_page_render(req->server->page, NULL, NULL,
                             message                ? message
                             : canned >= 0          ? canned_spec[canned].dutch_message
                                                    : vind_respond_reason(http_status)));
    return vind_respond_json(req, http_status, error_json(http_status, message));
}

enum MHD_Result vind_respond_busy(vind_request_t *req)
{
    return vind_respond_error(req, 429, NULL);
}

enum MHD_Result vind_respond_method_not_allowed(vind_request_t *req)
{
    return vind_respond_error(req, 405, NULL);
}

enum MHD_Result vind_respond_preflight(vind_request_t *req)
{
    struct MHD_Response *response =
        MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
    if (response == NULL)
        return MHD_NO;
    const char *origin = req->server->config->cors_origin;
    MHD_add_response_header(response, "Access-Control-Allow-Origin", origin);
    MHD_add_response_header(response, "Access-Control-Allow-Methods", "GET, HEAD, OPTIONS");
    MHD_add_response_header(response, "Access-Control-Allow-Headers", "Accept, Content-Type");
    MHD_add_response_header(response, "Access-Control-Max-Age", "86400");
    MHD_add_response_header(response, MHD_HTTP_HEADER_VARY, "Origin");
    MHD_add_response_header(response, MHD_HTTP_HEADER_ALLOW, allow_header(origin));
    return queue(req, 204, response, 1);
}

enum MHD_Result vind_respond_redirect(vind_request_t *req, const char *location)
{
    char *body = strdup("");
    if (body == NULL)
        return MHD_NO;
    struct MHD_Response *response = MHD_create_response_from_buffer(0, body, MHD_RESPMEM_MUST_FREE);
    if (response == NULL) {
        free(body);
        return MHD_NO;
    }
    add_common_headers(response, "text/plain; charset=utf-8", req->server->config->cors_origin, 0);
    MHD_add_response_header(response, MHD_HTTP_HEADER_LOCATION, location);
    return queue(req, 302, response, 1);
}

enum MHD_Result vind_respond_asset(vind_request_t *req, const vind_asset_t *asset)
{
    /* The asset lives as long as the page, i.e. the daemon: no copy. */
    struct MHD_Response *response =
        MHD_create_response_from_buffer(asset->size, (void *)asset->data, MHD_RESPMEM_PERSISTENT);
    if (response == NULL)
        return MHD_NO;
    add_common_headers(response, asset->content_type, req->server->config->cors_origin, 1);
    return queue(req, 200, response, 1);
}
