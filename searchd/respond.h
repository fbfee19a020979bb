/*
 * respond.h - (searchd, private) the only code that builds HTTP responses:
 * status, headers (security, CORS, caching), JSON/HTML/text bodies, canned
 * errors, and the vind_status_t -> HTTP status mapping.
 */
#ifndef VIND_SEARCHD_RESPOND_H
#define VIND_SEARCHD_RESPOND_H

#include "server.h"

/* An asset loaded from the template folder (page.c owns it). */
typedef struct {
    const char *name;
    const char *content_type;
    const char *data;
    size_t size;
} vind_asset_t;

/*
 * Builds the canned error responses (400, 404, 405, 413, 414, 503 with fixed
 * messages, as JSON and as the HTML page) once, at start. cors_origin may be
 * NULL. page is borrowed. Returns NULL on NOMEM.
 */
vind_responses_t *vind_responses_new(const char *cors_origin, const vind_page_t *page);
void vind_responses_free(vind_responses_t *responses);

/* The HTTP status for a library status: 400 for what the user asked
 * (BAD_QUERY, INVALID_ARGUMENT, BAD_UTF8), 404 NOT_FOUND, 413/414
 * TOO_LARGE, 503 for an unavailable index, 500 for the rest. */
unsigned vind_respond_http_status(vind_status_t status);

/* The HTTP reason phrase ("Not Found"). */
const char *vind_respond_reason(unsigned http_status);

/* Sends json (consumed: malloc'd) with http_status. NULL json is a 500. */
enum MHD_Result vind_respond_json(vind_request_t *req, unsigned http_status, char *json);

/* The same, of json's length bytes (known already: no strlen of the answer,
 * ~16 kB for a search). */
enum MHD_Result vind_respond_json_sized(vind_request_t *req, unsigned http_status, char *json,
                                        size_t length);

/* Sends html (consumed: malloc'd) with http_status. */
enum MHD_Result vind_respond_html(vind_request_t *req, unsigned http_status, char *html);

/* Sends text (consumed) with content_type. */
enum MHD_Result vind_respond_text(vind_request_t *req, unsigned http_status, char *text,
                                  const char *content_type);

/*
 * An error: {"error": {"status": N, "message": "..."}} on API routes, the
 * search page with the (Dutch) message on HTML routes. message NULL uses
 * the canned response for http_status.
 */
enum MHD_Result vind_respond_error(vind_request_t *req, unsigned http_status, const char *message);

/* 429 with Retry-After: 1 (JSON or the page, as for errors): the client
 * runs as many searches at once as --max-searches-per-ip allows. */
enum MHD_Result vind_respond_busy(vind_request_t *req);

/* 405 with Allow: GET, HEAD (and OPTIONS with --cors). */
enum MHD_Result vind_respond_method_not_allowed(vind_request_t *req);

/* 204 answer to a CORS preflight (OPTIONS) when --cors is set. */
enum MHD_Result vind_respond_preflight(vind_request_t *req);

/* 302 to location (a fixed path of ours). */
enum MHD_Result vind_respond_redirect(vind_request_t *req, const char *location);

/* A static asset, cacheable for an hour. */
enum MHD_Result vind_respond_asset(vind_request_t *req, const vind_asset_t *asset);

/* On the access handler's call after a search thread resumed the
 * connection: queues the answer the handler left in req, building its
 * response here on the worker when the handler left a body (MHD_NO when it
 * left none: out of memory, the connection is closed). */
enum MHD_Result vind_respond_deferred(vind_request_t *req);

/* Drops an answer left in req that was never queued (the request ended
 * first). */
void vind_respond_drop_deferred(vind_request_t *req);

#endif
