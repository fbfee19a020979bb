/*
 * handlers.h - (searchd, private) one function per endpoint. A handler runs
 * after server.c's guards accepted the request: the method is GET or HEAD,
 * the parameters are valid UTF-8 within their limits and parsed into
 * req->search / req->url_param, and for VIND_ROUTE_INDEX routes req->slot
 * holds a checked-out searcher. Each answers through respond.h.
 */
#ifndef VIND_SEARCHD_HANDLERS_H
#define VIND_SEARCHD_HANDLERS_H

#include "server.h"

enum MHD_Result handle_search(vind_request_t *req);  /* GET /api/search */
enum MHD_Result handle_suggest(vind_request_t *req); /* GET /api/suggest */
enum MHD_Result handle_related(vind_request_t *req); /* GET /api/related (501 for now) */
enum MHD_Result handle_doc(vind_request_t *req);     /* GET /api/doc */
enum MHD_Result handle_health(vind_request_t *req);  /* GET /health */
enum MHD_Result handle_metrics(vind_request_t *req); /* GET /metrics */
enum MHD_Result handle_page(vind_request_t *req);    /* GET /zoeken */
enum MHD_Result handle_asset(vind_request_t *req);   /* GET /assets/NAME, /zoeken/assets/NAME */
enum MHD_Result handle_root(vind_request_t *req);    /* GET /: redirect to /zoeken */

/* On a worker, before the hand-over to a search thread: answers /api/search
 * from the result cache when it holds the answer (1, *result set), else 0
 * with nothing sent (the cache is off, the answer is not there, or the
 * request is one the search thread answers with an error). req->slot must
 * be checked out. Cost: the key and one locked lookup (~1-2 us). */
int vind_search_from_cache(vind_request_t *req, enum MHD_Result *result);

/* On a worker, after a miss of the result cache: 1 when the search was run
 * over the checked-out searcher's index before and cost at most the known-
 * cheap bound (costmemo.h), so the worker may run handle_search itself; 0
 * (the memo is off, the search is new or was costly, the index changed):
 * the hand-over. req->slot must be checked out. Cost: the key (made once a
 * request) and one locked look-up (~0.2 us). */
int vind_search_known_cheap(vind_request_t *req);

#endif
