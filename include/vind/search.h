/*
 * search.h - searching an index: the searcher handle, search requests,
 * ranked results with facets, snippets and spelling suggestions, and the
 * researcher's views (counts, keyword-in-context, stored documents, stats).
 *
 * A vind_searcher_t is a read-only view of one index plus its own analyzer;
 * it belongs to one thread at a time (searchd keeps one per worker).
 * Everything a search returns is owned by its vind_results_t.
 */
#ifndef VIND_SEARCH_H
#define VIND_SEARCH_H

#include <stddef.h>
#include <stdint.h>
#include <vind/analyze.h>
#include <vind/common.h>
#include <vind/status.h>

VIND_BEGIN_DECLS

typedef struct vind_searcher vind_searcher_t;
typedef struct vind_results vind_results_t;

/*
 * Opens the index at db_path read-only. lexicon is borrowed and must outlive
 * the searcher.
 *
 * Return value: VIND_OK; VIND_NOT_FOUND (no index at db_path);
 * VIND_SCHEMA_MISMATCH (written by another schema version: reindex with
 * --full); VIND_INDEX_CORRUPT; VIND_XAPIAN; VIND_NOMEM.
 * Thread: the searcher belongs to one thread at a time.
 */
VIND_API vind_status_t vind_searcher_open(const char *db_path, const vind_lexicon_t *lexicon,
                                          vind_searcher_t **out, char **errmsg);

/* Closes the searcher. Accepts NULL. */
VIND_API void vind_searcher_close(vind_searcher_t *searcher);

/*
 * Moves the searcher to the newest committed revision. *changed (may be
 * NULL) is 1 when the revision changed. Results obtained before stay valid.
 * Return value: VIND_OK; VIND_INDEX_CORRUPT; VIND_XAPIAN.
 */
VIND_API vind_status_t vind_searcher_reopen(vind_searcher_t *searcher, int *changed,
                                            char **errmsg);

/*
 * A read check of the revision the searcher sees: the blocks searches read
 * (document lengths and records, the term list, the first and last
 * documents' terms) are read once, so an index whose blocks are damaged
 * shows at open instead of failing searches one by one. Costs one pass over
 * the postlist and docdata tables (~10 ms for 700 articles). A damaged block that holds one word's
 * postings only is found when that word is searched (VIND_INDEX_CORRUPT).
 * Return value: VIND_OK; VIND_INDEX_CORRUPT (errmsg says what); VIND_XAPIAN.
 */
VIND_API vind_status_t vind_searcher_check(vind_searcher_t *searcher, char **errmsg);

/*
 * The time each vind_search over searcher may take, in seconds (0, the
 * default: no limit). Past it Xapian stops counting matches exactly and the
 * remaining hits get no snippet; the search still answers, and
 * vind_results_partial() says so. A setting of the searcher rather than of
 * the request, so that vind_search_request_t keeps its size (callers
 * allocate it). vind-searchd: --search-time-limit.
 */
VIND_API void vind_searcher_set_time_limit(vind_searcher_t *searcher, double seconds);

/*
 * How many matches each vind_search and vind_count over searcher counts
 * exactly (default VIND_COUNT_LIMIT; 0: every match). Counting reads a value
 * per match, so its cost grows with a common word's matches; past the limit
 * Xapian stops after that many: the total is its estimate, between bounds
 * (vind_results_total_exact, vind_results_total_bounds), and the facet
 * counts are counts among the matches examined, lower bounds
 * (vind_results_facets_exact). Below it, everything is exact as without
 * it. vind-searchd, vind search and vind count: --count-limit.
 */
VIND_API void vind_searcher_set_count_limit(vind_searcher_t *searcher, uint64_t matches);

/*
 * How many bytes of stored page text, word maps, hit records and hits'
 * term positions the searcher keeps between searches (default VIND_READ_CACHE_BYTES; 0: none).
 * A hit's snippet and record are otherwise read from the index each time
 * (Xapian keeps no block cache), and a site's popular documents are the
 * hits of many searches. The least recently used go first; whatever was
 * read of an older revision is dropped when the searcher moves to a new
 * one, so answers are the same with or without it. An index with a remote
 * shard is never cached. The same bound, apart, holds the facet ordinals of
 * a plain database (each document's packed facets value as a small number:
 * a counting pass then counts per distinct value, not per match). 0 keeps
 * neither. vind-searchd: --read-cache-size.
 */
VIND_API void vind_searcher_set_cache_size(vind_searcher_t *searcher, size_t bytes);

/*
 * The identity of the database the searcher reads: its folder's device and
 * inode, for a replica kept by xapian-replicate the inode of its stub file,
 * and a digest of the database's UUID ("<dev>:<inode>[:<stub inode>]:<MD5>").
 * A rebuild swapped in at the same path (a schema upgrade), a full copy a
 * replica switched to, or another database's files copied into the folder,
 * is another database whose revisions may start again: the identity and the
 * revision together name one state of an index (vind-searchd's result cache).
 */
VIND_API const char *vind_searcher_database_id(const vind_searcher_t *searcher);

/*
 * Near-duplicates (docs/ranking.md). With collapse on (the default) a
 * vind_search that lists a page shows the best document of each group of
 * near-duplicates the indexer found, with hit->similar the number of other
 * matching documents of its group; totals, facets, vind_count and a search
 * of every match (limit 0: `--all`) still count and list every document.
 * Off: every document is listed. A setting of the searcher, as the time
 * limit is, so that vind_search_request_t keeps its size.
 */
VIND_API void vind_searcher_set_collapse(vind_searcher_t *searcher, int on);

/*
 * Restricts the searcher's searches and counts to one group of
 * near-duplicates (hit->group, 16 hex digits), not collapsed: "show the N
 * similar documents". NULL or "" lifts it.
 * Return value: VIND_OK; VIND_INVALID_ARGUMENT (not a group key).
 */
VIND_API vind_status_t vind_searcher_set_similar(vind_searcher_t *searcher, const char *group,
                                                 char **errmsg);

/* The index revision the searcher sees, and its number of documents. */
VIND_API uint64_t vind_searcher_revision(const vind_searcher_t *searcher);
VIND_API uint64_t vind_searcher_doc_count(const vind_searcher_t *searcher);

typedef enum {
    VIND_SORT_RELEVANCE = 0,
    VIND_SORT_DATE_DESC = 1, /* newest first; undated last */
    VIND_SORT_DATE_ASC = 2,
} vind_sort_t;

typedef enum {
    VIND_FACET_TAG = 0,
    VIND_FACET_THEME = 1,
    VIND_FACET_TYPE = 2,
    VIND_FACET_YEAR = 3,
    VIND_FACET_LAST
} vind_facet_t;

/*
 * A search request. Filters: several values of one facet combine with OR,
 * facets combine with AND; a facet's own counts are computed without its
 * own filter (multi-select). Strings are borrowed for the call.
 */
typedef struct {
    const char *query;                        /* the user's query (query language in docs/query.md) */
    const char *const *filters[VIND_FACET_LAST]; /* values per facet (display form) */
    size_t n_filters[VIND_FACET_LAST];
    const char *from;                         /* ISO date "YYYY-MM-DD" (or "YYYY"), inclusive, or NULL */
    const char *to;
    vind_sort_t sort;
    size_t offset;                            /* first hit to return (0-based) */
    size_t limit;                             /* hits to return; 0 = all matches */
    int facets;                               /* 1: count facets; VIND_FACETS_COUNT: see below */
    int snippets;                             /* 1: make a snippet per returned hit */
    unsigned snippet_chars;                   /* target snippet length (0 = 200) */
} vind_search_request_t;

/*
 * req->facets = VIND_FACETS_COUNT counts what `vind count --by` shows: every
 * filter applies to every facet (no multi-select), a selected value without
 * a match is not listed, and each facet's list ends with a value "" that
 * counts the matches without one (no theme, no date), so that a
 * single-valued facet adds up to the total.
 */
#define VIND_FACETS_COUNT 2

/* Fills req with defaults: relevance, offset 0, limit 10, snippets on, facets off. */
VIND_API void vind_search_request_init(vind_search_request_t *req);

/* One hit. Strings are owned by the results; absent values are NULL. */
typedef struct {
    const char *url;
    const char *title;
    const char *type;          /* "article" | "pdf" | "page" */
    const char *date;          /* "YYYY-MM-DD" */
    const char *author;
    const char *description;
    const char *parent;        /* for a PDF: the article it belongs to */
    const char *const *tags;
    size_t n_tags;
    const char *const *themes;
    size_t n_themes;
    double score;              /* relevance weight (0 when sorted by date) */
    unsigned rank;             /* 1-based rank over all matches */
    const char *snippet;       /* HTML: text escaped, matches in <mark>…</mark>; NULL if not asked */
    const unsigned *pages;     /* PDF page numbers (1-based) of the snippet's passages */
    size_t n_pages;
    /* Near-duplicates (vind_searcher_set_collapse): the number of other
     * matching documents of its group collapsed into this hit, and the
     * group's key for vind_searcher_set_similar (NULL when none collapsed). */
    unsigned similar;
    const char *group;
    int ocr;                   /* 1: a page of the snippet is OCR text (a scan), which may
                                * hold misread words */
} vind_hit_t;

typedef struct {
    const char *value;         /* display form ("Coördinatoren", "2021", "pdf") */
    uint64_t count;            /* exact number of matches with this value */
    int selected;              /* 1 when the request filters on it */
} vind_facet_value_t;

/*
 * Runs a search. The query is parsed leniently (unbalanced quotes and
 * parentheses, lone operators and invalid UTF-8 are repaired). Sorted by
 * relevance, the documents with every word are followed by those with only
 * some of the words (words joined by spaces only): a page that reaches the
 * end of the full matches lists them, and vind_results_fallback_total()
 * counts them; sorted by date, only when no document has every word.
 * Without a limit (req->limit 0, an export) only documents with every word.
 *
 * Return value: VIND_OK; VIND_BAD_QUERY (beyond VIND_MAX_QUERY_* limits, with
 * a message fit for the user); VIND_INVALID_ARGUMENT (a bad date, a bad
 * filter); VIND_INDEX_CHANGED (reopen and retry); VIND_XAPIAN; VIND_NOMEM.
 */
VIND_API vind_status_t vind_search(vind_searcher_t *searcher, const vind_search_request_t *req,
                                   vind_results_t **out, char **errmsg);

/*
 * Counts the documents that have every word, without ranking or hits: the
 * total and (req->facets) the facet counts, in one unweighted pass over the
 * matches (two when none has every word and a rare word is corrected). The
 * documents with only some of the words that vind_search lists after them
 * are not counted. req's offset, limit, sort and snippets are ignored.
 * `vind count` uses it. Statuses as vind_search.
 */
VIND_API vind_status_t vind_count(vind_searcher_t *searcher, const vind_search_request_t *req,
                                  vind_results_t **out, char **errmsg);

/*
 * One line saying how the results were made, for a debug or access log and
 * `vind search --explain`: per stage (plan, titles, rank, count, hits,
 * suggest) the Xapian runs and wall time, then the runs in all, e.g.
 * "plan 0.21ms lookups 2; titles 0.01ms; rank 1 run 0.30ms; count 1 run
 * 0.25ms; hits 10 2.80ms; suggest 0.02ms; runs 2 total 3456". Owned by
 * results; "" on NOMEM.
 */
VIND_API const char *vind_results_explain(vind_results_t *results);

/* Frees results. Accepts NULL. */
VIND_API void vind_results_free(vind_results_t *results);

/* Exact number of documents that have every word (the strict meaning, as
 * vind_count; near-duplicates collapsed into a hit included); the documents
 * with only some of the words that the list continues with are
 * vind_results_fallback_total(). */
VIND_API uint64_t vind_results_total(const vind_results_t *results);

/* The length of the ranked list after collapsing near-duplicates (what
 * pages run over); the total when nothing was collapsed. */
VIND_API uint64_t vind_results_listed(const vind_results_t *results);

/* Number of hits returned (this page), and hit i of them. */
VIND_API size_t vind_results_count(const vind_results_t *results);
VIND_API const vind_hit_t *vind_results_get(const vind_results_t *results, size_t i);

/* The query as understood (readable, e.g. `zorg AND (client OR klant)`). */
VIND_API const char *vind_results_understood(const vind_results_t *results);

/* 1 when the list goes on past the documents with every word with
 * documents that have only some of them (all of it when no document has
 * every word). */
VIND_API int vind_results_fallback(const vind_results_t *results);

/*
 * The number of those documents with only some of the words: results
 * total + fallback_total form the list a pager walks. Counted when the
 * request's page reaches the end of the full matches, or when fewer than 10
 * documents have every word; else 0 (the first page of a query with many
 * full matches stays one ranked pass).
 */
VIND_API uint64_t vind_results_fallback_total(const vind_results_t *results);

/* 1 when the search ran out of its time limit: the hits are the best
 * found, but the total and the facet counts may be estimates. */
VIND_API int vind_results_partial(const vind_results_t *results);

/* 1 when total + fallback_total is exact: 0 past the searcher's count limit
 * (or the time limit), when it is Xapian's estimate ("ongeveer N"). */
VIND_API int vind_results_total_exact(const vind_results_t *results);

/* Bounds of total + fallback_total: *lower <= the true count <= *upper
 * (both that sum when exact). Either pointer may be NULL. */
VIND_API void vind_results_total_bounds(const vind_results_t *results, uint64_t *lower,
                                        uint64_t *upper);

/* 1 when the facet counts are exact; 0 when they were counted over the
 * matches examined before the count limit: each is then a lower bound. */
VIND_API int vind_results_facets_exact(const vind_results_t *results);

/* Notices for the user about how the query was searched, in English (e.g.
 * "zo* matches more words than the 6 most frequent searched"): their
 * number and notice i. */
VIND_API size_t vind_results_notice_count(const vind_results_t *results);
VIND_API const char *vind_results_notice(const vind_results_t *results, size_t i);

/*
 * The query's words that no document holds in any form (no stem, compound
 * part, exact form or English stem in the index) and that were not searched
 * with a spelling correction, as typed: their number and word i. Only
 * looked up when no document has every word of a query of two or more
 * words, so a page can say which word finds nothing ("Geen resultaat bevat
 * ‘kapper’") instead of "not all of them".
 */
VIND_API size_t vind_results_absent_count(const vind_results_t *results);
VIND_API const char *vind_results_absent(const vind_results_t *results, size_t i);

/* "Bedoelde je …?": the corrected query, or NULL. */
VIND_API const char *vind_results_suggestion(const vind_results_t *results);

/* 1 when the results were searched with the suggestion's corrections already
 * (a word no document has was replaced): a page says "Resultaten voor
 * <suggestion>; je zocht <query>" rather than "Bedoelde je …?". */
VIND_API int vind_results_corrected(const vind_results_t *results);

/* Facet values (only when req->facets), sorted by count desc then value. */
VIND_API size_t vind_results_facet_count(const vind_results_t *results, vind_facet_t facet);
VIND_API const vind_facet_value_t *vind_results_facet_get(const vind_results_t *results,
                                                          vind_facet_t facet, size_t i);

/* The facet's name ("tag", "theme", "type", "year") and back (-1 when unknown). */
VIND_API const char *vind_facet_name(vind_facet_t facet);
VIND_API int vind_facet_from_name(const char *name);

/*
 * Results as JSON text (malloc'd): the shape documented in docs/api.md,
 * shared by `vind search --format json` and GET /api/search. vind_hit_to_json
 * gives one hit (for JSONL). NULL on NOMEM.
 */
VIND_API char *vind_results_to_json(const vind_results_t *results);
VIND_API char *vind_hit_to_json(const vind_hit_t *hit);

/*
 * The same with each facet's list cut to its max_values most frequent
 * values, followed by "facets_more": how many each left out ({"tag": 28,
 * "theme": 0, ...}; absent when the answer has no facets). For a web
 * answer: a theme or tag facet can have thousands of values. NULL on NOMEM.
 */
VIND_API char *vind_results_to_json_capped(const vind_results_t *results, size_t max_values);

/*
 * json_text (malloc'd, taken: freed or returned) with C1 controls
 * (U+0080-009F; U+009B is a terminal's CSI) and U+2028/2029 (line breaks to
 * Python's str.splitlines and older JavaScript) as \u escapes (lower-case
 * hex: \u009b, \u2028), as vind_results_to_json writes them: for JSON that
 * jansson wrote (it escapes only C0), e.g. vind-searchd's /api/suggest. The
 * same data to any parser (these bytes only occur inside strings). NULL when
 * json_text is NULL or on NOMEM. Cost: one pass (memchr for C2 and E2), a
 * copy only when there is something to escape.
 */
VIND_API char *vind_json_escape_controls(char *json_text);

/* One keyword-in-context line. */
typedef struct {
    const char *left;          /* plain text before the match (width chars at most) */
    const char *match;         /* the matched text as written */
    const char *right;         /* plain text after it */
    const char *url;
    unsigned page;             /* PDF page (1-based), 0 for HTML */
} vind_kwic_line_t;

typedef struct vind_kwic vind_kwic_t;

/*
 * Keyword-in-context lines for every match of every word of the query in
 * all matching documents (ordered by document rank, then position).
 * width: characters of context each side (0 = 40).
 */
VIND_API vind_status_t vind_kwic(vind_searcher_t *searcher, const vind_search_request_t *req,
                                 unsigned width, vind_kwic_t **out, char **errmsg);
VIND_API size_t vind_kwic_count(const vind_kwic_t *kwic);
VIND_API const vind_kwic_line_t *vind_kwic_get(const vind_kwic_t *kwic, size_t i);
VIND_API void vind_kwic_free(vind_kwic_t *kwic);

/*
 * The stored record of the document at url as JSON text (malloc'd): url,
 * title, type, date, author, description, lang, tags, themes, pages (count),
 * parent, attachments; with_text adds "text" (pages' text).
 * Return value: VIND_OK; VIND_NOT_FOUND; VIND_XAPIAN; VIND_NOMEM.
 */
VIND_API vind_status_t vind_searcher_document(vind_searcher_t *searcher, const char *url,
                                              int with_text, char **json_out, char **errmsg);

/*
 * Autocomplete: up to max completions (titles and index words) for prefix,
 * most frequent first. *out is a malloc'd NULL-terminated array of malloc'd
 * strings (free with vind_strv_free).
 */
VIND_API vind_status_t vind_suggest(vind_searcher_t *searcher, const char *prefix, size_t max,
                                    char ***out, char **errmsg);

/* Index statistics as JSON text (malloc'd): documents, counts per type, tag,
 * theme and year, index size in bytes, revision. */
VIND_API vind_status_t vind_searcher_stats(vind_searcher_t *searcher, char **json_out,
                                           char **errmsg);

/* Frees a NULL-terminated array of strings. Accepts NULL. */
VIND_API void vind_strv_free(char **strv);

VIND_END_DECLS

#endif
