/*
 * searcher.h - (private) the searcher handle's insides and the helpers the
 * search-side files share. Calls go one way: the policy (lib/search.c) ->
 * components (lib/plan.c, lib/facets.c, lib/exact_title.c, lib/suggest.c,
 * lib/results.c, lib/stored.c; lib/kwic.c, lib/stats.c) -> the searcher
 * (lib/searcher.c: the handle and every Xapian run) -> the wrapper.
 */
#ifndef VIND_LIB_SEARCHER_H
#define VIND_LIB_SEARCHER_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include <vind/search.h>
#include <vind/xapian.h>
#include "query.h"
#include "query_parse.h"

/* BM25 parameters (docs/ranking.md has the figures behind them). */
typedef struct {
    double k1, k2, k3, b, min_normlen;
} vind_bm25_t;

struct vind_searcher {
    char *path;
    const vind_lexicon_t *lexicon;
    vind_analyzer_t *analyzer;
    vind_xapian_reader_t *reader;
    vind_synonyms_t *synonyms;
    vind_query_weights_t weights;
    vind_bm25_t bm25;
    uint64_t revision;
    uint32_t doc_count;
    double time_limit; /* seconds per vind_search, 0: none (vind_searcher_set_time_limit) */
    /* The folder the path named when the reader was opened: another one
     * there (a schema upgrade swapped a rebuilt index in) is opened anew. */
    uint64_t folder_dev, folder_ino;
    /* What the snippets made with this searcher read from the text store
     * and gave the analyzer, in bytes (vind_searcher_snippet_bytes). */
    uint64_t snippet_bytes_read, snippet_bytes_analysed;
};

/* One matching document of a run. */
typedef struct {
    uint32_t docid;
    double weight;
} vind_match_t;

/* How vind_searcher_full_query reads the tree (flags; 0: every word, only
 * unknown words spell-corrected). */
#define VIND_QUERY_ANY_WORD 1u /* the any-word fallback instead of every word */
#define VIND_QUERY_RARE                                                                            \
    2u /* also correct rare words ("kubernets": its stem                                           \
          "kubernet" occurs, but only in English texts) */

/*
 * The full query of a request: the tree's strict (or, with
 * VIND_QUERY_ANY_WORD in mode, its any-word) query, restricted by the
 * request's facet filters (all but omit_facet; -1 omits none) and its
 * from/to dates. *out is NULL only on failure. *plan_out (may be NULL)
 * receives the plan (whose query fields have been taken).
 * Return value: VIND_OK; VIND_INVALID_ARGUMENT (bad date or filter); VIND_NOMEM.
 */
vind_status_t vind_searcher_full_query(vind_searcher_t *searcher, const vind_qnode_t *tree,
                                       const vind_search_request_t *req, unsigned mode,
                                       int omit_facet, vind_xapian_query_t **out,
                                       vind_query_plan_t **plan_out, char **errmsg);

/*
 * Runs query sorted as req asks, returning matches [offset, offset + limit)
 * (limit 0: all) with relevance ties broken by URL, and the exact total.
 * Return value: VIND_OK; VIND_INDEX_CHANGED; VIND_XAPIAN; VIND_NOMEM.
 */
vind_status_t vind_searcher_run(vind_searcher_t *searcher, const vind_xapian_query_t *query,
                                vind_sort_t sort, size_t offset, size_t limit,
                                vind_match_t **matches, size_t *n_matches, uint64_t *total,
                                char **errmsg);

/*
 * vind_searcher_run with the n_pinned matches pinned (in that order, with
 * their weights) before all others: they must match query; the rest follow in relevance
 * order, each document once, so every page agrees. Only for relevance
 * order (pinned is ignored otherwise). Statuses as vind_searcher_run.
 */
vind_status_t vind_searcher_run_pinned(vind_searcher_t *searcher, const vind_xapian_query_t *query,
                                       vind_sort_t sort, size_t offset, size_t limit,
                                       const vind_match_t *pinned, size_t n_pinned,
                                       vind_match_t **matches, size_t *n_matches, uint64_t *total,
                                       char **errmsg);

/*
 * The words of text as exact-title matching compares them (lib/exact_title.c):
 * normalised, every run of characters other than letters and digits one
 * space, ends trimmed. "Fronteers boekenclub?" -> "fronteers boekenclub".
 * malloc'd; NULL on NOMEM.
 */
char *vind_title_key(const char *text);

/*
 * The documents found by the search of tree in mode (VIND_QUERY_* flags)
 * whose title has exactly the words of req->query (vind_title_key), best
 * first with their weights; *matches (malloc'd, NULL when none) and *n_matches.
 * Return value: VIND_OK; VIND_INDEX_CHANGED; VIND_XAPIAN; VIND_NOMEM.
 */
vind_status_t vind_exact_title_matches(vind_searcher_t *searcher, const vind_search_request_t *req,
                                       const vind_qnode_t *tree, unsigned mode,
                                       vind_match_t **matches, size_t *n_matches, char **errmsg);

/*
 * Runs query once, unweighted, over every match: the values of the n slots
 * slots (multi[i]: split at VIND_VALUE_SEPARATOR) counted into counted[i]
 * (free each with vind_xapian_facet_free), the exact number of matches into
 * *total (may be NULL). Costs one pass over all matches reading n values each.
 * Return value: VIND_OK; VIND_INDEX_CHANGED; VIND_XAPIAN; VIND_NOMEM.
 */
vind_status_t vind_searcher_count_values(vind_searcher_t *searcher,
                                         const vind_xapian_query_t *query, const uint32_t *slots,
                                         const int *multi, size_t n, vind_xapian_facet_t **counted,
                                         uint64_t *total, char **errmsg);

/* The first max documents matching query, unweighted (docid order):
 * *docids malloc'd (NULL when none). Statuses as vind_searcher_count_values. */
vind_status_t vind_searcher_docids(vind_searcher_t *searcher, const vind_xapian_query_t *query,
                                   size_t max, uint32_t **docids, size_t *n, char **errmsg);

/* One attempt of a call that reads the index (data is the caller's). */
typedef vind_status_t (*vind_searcher_attempt_t)(vind_searcher_t *searcher, void *data,
                                                 char **errmsg);

/*
 * Runs attempt; when the index changed under it (VIND_INDEX_CHANGED: the
 * revision it read was overwritten by a commit), reopens the searcher and
 * runs it once more. The one retry layer of the library's search calls.
 */
vind_status_t vind_searcher_retry(vind_searcher_t *searcher, vind_searcher_attempt_t attempt,
                                  void *data, char **errmsg);

/* The exact number of documents matching query. */
vind_status_t vind_searcher_count(vind_searcher_t *searcher, const vind_xapian_query_t *query,
                                  uint64_t *total, char **errmsg);

/* The stored record of docid as a jansson object (new reference). */
vind_status_t vind_searcher_stored(vind_searcher_t *searcher, uint32_t docid, json_t **out,
                                   char **errmsg);

/* The number of pages of a stored record (its "n_pages"). */
size_t vind_stored_n_pages(json_t *record);

/* The whole text of document docid (record: its stored record), page by
 * page from the text store: *pages malloc'd, NULL-terminated, malloc'd
 * strings; *n_pages their count. For kwic and `vind doc --text`. */
vind_status_t vind_stored_text(vind_searcher_t *searcher, uint32_t docid, json_t *record,
                               char ***pages, size_t *n_pages, char **errmsg);

/* The snippet of document docid for terms (vind_snippet_make_from over the
 * text store, with the places of the words from the index's positions):
 * only the windows shown are read and analysed. */
vind_status_t vind_stored_snippet(vind_searcher_t *searcher, uint32_t docid, json_t *record,
                                  const vind_match_terms_t *terms, unsigned target_chars,
                                  char **html, unsigned **pages, size_t *n_pages, char **errmsg);

/* Test and debug aid: the bytes the searcher's snippets have read from the
 * text store and given the analyzer since it was opened. */
void vind_searcher_snippet_bytes(const vind_searcher_t *searcher, uint64_t *read,
                                 uint64_t *analysed);

/* Checks what a request filters on before it is searched: from and to are
 * days that exist, years are years, types are types, values are UTF-8.
 * Return value: VIND_OK; VIND_INVALID_ARGUMENT saying what is wrong and
 * what is valid (searchd answers it with 400). */
vind_status_t vind_search_request_check(const vind_search_request_t *req, char **errmsg);

/* The analyzer language of a stored record ("en" -> English, else Dutch). */
vind_lang_t vind_stored_lang(json_t *record);

/* Facets: fills results' facet lists (lib/facets.c). fallback holds the
 * VIND_QUERY_* mode flags of the search whose results they count. */
vind_status_t vind_facets_compute(vind_searcher_t *searcher, const vind_qnode_t *tree,
                                  const vind_search_request_t *req, int fallback,
                                  vind_results_t *results, char **errmsg);

/* "Bedoelde je": the corrected query text (malloc'd) or NULL (lib/suggest.c);
 * *searched 1 when the results already hold the correction. */
vind_status_t vind_spelling_suggestion(vind_searcher_t *searcher, const vind_search_request_t *req,
                                       const vind_query_plan_t *plan, uint64_t total,
                                       char **suggestion, int *searched, char **errmsg);

/* What the query corrector of lib/suggest.c works with. */
typedef struct {
    vind_searcher_t *searcher;
    int rare; /* correct rare words too, not only unknown ones */
} vind_corrector_t;

/*
 * The query corrector (a vind_query_corrector_t; data: a vind_corrector_t):
 * for a word no document has in any form ("draagmoedershap") - with rare
 * set, also for a word whose form is in at most two documents when the
 * correction is in ten times as many - the index form within two edits
 * ("draagmoederschap"), malloc'd; else NULL (lib/suggest.c).
 */
char *vind_spelling_correction(void *data, const vind_token_t *token);

#endif
