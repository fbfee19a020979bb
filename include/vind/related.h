/*
 * related.h - related documents: for one page of a site, the few articles
 * and reports most related to it ("Gerelateerde artikelen" under an
 * article), for a static site generator's data file, `vind related` and
 * GET /api/related.
 *
 * Relatedness is content first: the document's most distinctive words
 * (TF-IDF over its term list) searched with BM25 find the candidates, each
 * scored by the cosine of the two documents' TF-IDF vectors, times small
 * bonuses for the most specific theme or tag and pair of title words they
 * share and for a candidate that has the document among its own first
 * neighbours, optionally preferring newer documents. What one revision of
 * the index gives (vectors, neighbours) is kept with the searcher for its
 * next call. A document is never related to itself, to its own attachments
 * (an article's PDF is listed as its attachment instead) or to its parent
 * article. The output depends only on the index: scores are rounded to four
 * decimals and ties ordered by URL, recency is measured from the newest date
 * in the index (never the clock), so the same index gives the same bytes.
 * docs/site-generators.md explains the computation, docs/relevance.md how
 * the weights were chosen on a blind-judged set.
 */
#ifndef VIND_RELATED_H
#define VIND_RELATED_H

#include <stddef.h>
#include <vind/common.h>
#include <vind/search.h>
#include <vind/status.h>

VIND_BEGIN_DECLS

/* Related documents per source when the options say 0: an article footer
 * shows a handful, more is a second list nobody reads. */
#define VIND_RELATED_DEFAULT_LIMIT 5u
/* The most a caller may ask for: the candidates come from the best
 * VIND_RELATED_CANDIDATES content matches, and a list longer than a page of
 * search results is no longer "the most related". */
#define VIND_RELATED_MAX_LIMIT 50u
/* Content matches considered per source before scoring (docs/site-generators.md:
 * beyond 200 no candidate ever reached the top 5 on the shared corpus). */
#define VIND_RELATED_CANDIDATES 200u
/* Query words taken from the source: enough to describe an article, few
 * enough that a long report's side topics do not dominate. */
#define VIND_RELATED_TERMS 40u
/* Recency half-life when the options say 0: a year, the rhythm of the news
 * sites vind serves (a congress announcement ages within one). */
#define VIND_RELATED_DEFAULT_HALF_LIFE_DAYS 365u

/* The default least score: below it a "related" article shares a word or two
 * by chance (the fixture site's vegetable-garden post and a congress post
 * dated in May score 0.05), and an article footer is better with fewer
 * links. Chosen for the content-first scores of issue 13 on the judged
 * set's tuned part: 0.075 left out two unrelated links and nothing else;
 * 0.1 also left out related ones (nDCG@5 0.860 -> 0.831; docs/relevance.md).
 * Kept for the cosine content score of session 6: 26 of the corpus's 3,460
 * links score below it, none on the tuned part. */
#define VIND_RELATED_DEFAULT_MIN_SCORE 0.075

typedef struct {
    size_t limit;            /* related documents per source: 0 = VIND_RELATED_DEFAULT_LIMIT,
                                at most VIND_RELATED_MAX_LIMIT */
    const char *type;        /* only documents of this type: "article", "pdf", "page" or "any";
                                NULL = articles and PDFs (never the site's other pages) */
    double prefer_recent;    /* 0 (off) .. 1: share of the score that decays with age */
    unsigned half_life_days; /* age (before the newest document) at which that share halves;
                                0 = VIND_RELATED_DEFAULT_HALF_LIFE_DAYS */
    double min_score;        /* leave out documents scoring below this (default
                                VIND_RELATED_DEFAULT_MIN_SCORE; 0 keeps every candidate) */
} vind_related_options_t;

/* Fills opts with the defaults: limit 5, articles and PDFs, no recency
 * preference, least score VIND_RELATED_DEFAULT_MIN_SCORE. */
VIND_API void vind_related_options_init(vind_related_options_t *opts);

/* One related document (or attachment). Strings are owned by the list;
 * absent values are NULL. */
typedef struct {
    const char *url;
    const char *title;
    const char *type;          /* "article" | "pdf" | "page" */
    const char *date;          /* "YYYY-MM-DD" */
    double score;              /* rounded to 4 decimals; 0 for attachments */
    const char *const *shared; /* themes and tags it shares with the source (display form,
                                  sorted); NULL-terminated */
    size_t n_shared;
} vind_related_item_t;

typedef struct vind_related_list vind_related_list_t;

/*
 * The documents most related to the document at url (as indexed, e.g.
 * "/actueel/toegankelijkheid/"; a missing final "/" is added when only that
 * form exists), best first, ties by URL. *out receives a list to free with
 * vind_related_free (possibly empty: a document with no words in common with
 * any other). A related page or attachment whose url is no link of the site
 * (vind_url_as_link: an index made before session 13 may hold a feed's
 * "javascript:...") is left out, the next taking its place; such a source's
 * url is NULL.
 *
 * Return value: VIND_OK; VIND_INVALID_ARGUMENT (NULL searcher, url or out, a
 * limit above VIND_RELATED_MAX_LIMIT, an unknown type, prefer_recent outside
 * 0..1, a negative min_score); VIND_NOT_FOUND (no document at url); VIND_INDEX_CHANGED (reopen the
 * searcher and retry); VIND_XAPIAN; VIND_NOMEM.
 * Thread: uses the searcher, which belongs to one thread at a time.
 */
VIND_API vind_status_t vind_related(vind_searcher_t *searcher, const char *url,
                                    const vind_related_options_t *opts, vind_related_list_t **out,
                                    char **errmsg);

/* Frees list. Accepts NULL. */
VIND_API void vind_related_free(vind_related_list_t *list);

/* The source document: url, title, type and date (score 0, nothing shared). */
VIND_API const vind_related_item_t *vind_related_source(const vind_related_list_t *list);

/* The number of related documents, and document i of them (NULL when i is
 * out of range). */
VIND_API size_t vind_related_count(const vind_related_list_t *list);
VIND_API const vind_related_item_t *vind_related_get(const vind_related_list_t *list, size_t i);

/* The source's own attachments (an article's PDFs), by URL; NULL when i is
 * out of range. */
VIND_API size_t vind_related_attachment_count(const vind_related_list_t *list);
VIND_API const vind_related_item_t *vind_related_attachment_get(const vind_related_list_t *list,
                                                                size_t i);

/*
 * The list as JSON text (malloc'd; NULL on NOMEM), keys sorted, indented:
 *   {"attachments": [{"date","title","type","url"}...],
 *    "related": [{"date","score","title","type","url"}...],
 *    "source": {"date","title","type","url"}}
 * (absent values are null). Shared by `vind related --url` and GET /api/related.
 */
VIND_API char *vind_related_to_json(const vind_related_list_t *list);

/*
 * Bytes of document vectors the searcher keeps for related documents
 * between calls: at most its read cache's budget (vind_searcher_set_cache_size),
 * emptied when the index changes. For tests and memory accounting.
 */
VIND_API size_t vind_related_cache_bytes(const vind_searcher_t *searcher);

/*
 * The related documents of every article in the index as one JSON object
 * (malloc'd text, keys sorted, indented, ending in a newline): keyed by the
 * article's URL path ("/actueel/toegankelijkheid/", also when the index was
 * built with an absolute base URL, so that a site generator finds it by its
 * page's relative permalink; by the full URL when the articles' http(s) URLs
 * have more than one host, whose paths may collide), each value the "related"
 * list of vind_related_to_json. An article whose url is no link of the site
 * has no key. This is the site generator's data file.
 *
 * Return value: VIND_OK; VIND_INVALID_ARGUMENT (as vind_related);
 * VIND_INDEX_CHANGED (reopen and retry); VIND_XAPIAN; VIND_NOMEM.
 * Thread: uses the searcher, which belongs to one thread at a time.
 */
VIND_API vind_status_t vind_related_all_json(vind_searcher_t *searcher,
                                             const vind_related_options_t *opts, char **json_out,
                                             char **errmsg);

VIND_END_DECLS

#endif
