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
#include <string.h>

#include <glib.h>
#include <jansson.h>

#include <vind/search.h>
#include <vind/xapian.h>
#include "hitrecord.h"
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
    int schema; /* the index's schema version (VIND_META_SCHEMA) */
    char database_id[104]; /* "<dev>:<inode>[:<stub inode>]:<MD5 of the UUID>" (vind_searcher_database_id) */
    uint32_t doc_count;
    double time_limit; /* seconds per vind_search, 0: none (vind_searcher_set_time_limit) */
    uint64_t count_limit; /* matches counted exactly, 0: all (vind_searcher_set_count_limit) */
    size_t cache_bytes;   /* the reader's cache of stored text and records (vind_searcher_set_cache_size) */
    unsigned runs;     /* Xapian runs made so far (the explain line counts them per stage) */
    /* The folder the path named when the reader was opened: another one
     * there (a schema upgrade swapped a rebuilt index in) is opened anew;
     * so is a replica whose stub xapian-replicate replaced (stub_ino: the
     * inode of <path>/XAPIANDB, 0 without one). */
    uint64_t folder_dev, folder_ino, stub_ino;
    /* The folder's version file (iamglass) when last looked at: replaced
     * while Xapian's revision stays, another database's files were copied
     * into the folder, and the reader is opened anew (0: none, a stub). */
    uint64_t version_ino;
    int64_t version_ctime_ns;
    /* What the snippets made with this searcher read from the text store
     * and gave the analyzer, in bytes (vind_searcher_snippet_bytes). */
    uint64_t snippet_bytes_read, snippet_bytes_analysed;
    /* Near-duplicates (docs/ranking.md): collapse is the setting
     * (vind_searcher_set_collapse, default on); collapsing is on during a
     * vind_search that lists a page (never for --all, counts or a group);
     * group ("" none) restricts every run to one group
     * (vind_searcher_set_similar); listed is what the last collapsing run
     * left after collapsing; grouped: the index holds a group key (when
     * none does, nothing collapses and no collapse key is set). */
    int collapse, collapsing, grouped;
    /* Every document has the packed facets value (VIND_SLOT_FACETS): the
     * counting pass reads it instead of four slots. */
    int facets_packed;
    char group[17];
    uint64_t listed;
    /* Xapian's spelling suggestion per form ("" none) at a revision of the
     * index: the plan and "Bedoelde je" ask about the same words, and
     * requests about the same typos (lib/suggest.c). */
    struct vind_revision_table *spellings;
    /* The page of hits being filled: the index terms of its match terms and
     * which hits hold each (vind_stored_places_begin, lib/stored.c); NULL
     * when not known (a snippet then looks every term up). */
    struct vind_page_terms *page_terms;
    uint64_t spelling_walks; /* Xapian spelling suggestions asked so far (the explain line) */
    /* lib/related.c's cache of what holds for one revision of the index
     * (term facts, document vectors, neighbours), emptied there when the
     * revision differs and freed with the searcher by related_cache_free;
     * NULL until the first related-documents call. */
    void *related_cache;
    void (*related_cache_free)(void *cache);
    /* lib/titles.c's titles of one revision, sorted for prefixes; freed
     * with the searcher by title_index_free; NULL until the first call or
     * when they do not fit cache_bytes. */
    void *title_index;
    void (*title_index_free)(void *index);
    /* lib/suggest.c's words completing short prefixes, of one revision;
     * freed with the searcher by word_cache_free. */
    void *word_cache;
    void (*word_cache_free)(void *cache);
    /* Which terms the planner asked about are in a document, for one
     * revision of the index (vind_searcher_term_present); NULL until asked. */
    struct vind_revision_table *term_presence;
    /* The planned words of recent query texts at one revision of the index
     * (lib/plan.c, vind_plan_new); NULL until planned. */
    struct vind_revision_table *plans;
    /* Facet values' terms (vind_facet_term) per facet prefix, the last
     * without one (lib/facets.c): they hold whatever the index; NULL until asked. */
    GHashTable *facet_terms[VIND_FACET_LAST + 1];
    /* The query builder's analyses of words (lib/word_memo.h): they hold
     * for the searcher's analyzer whatever the index; NULL until planned. */
    struct vind_word_memo *words;
};

/* What a cache of one revision of the index (lib/related.c, lib/titles.c, lib/suggest.c)
 * remembers of the index it holds for. */
typedef struct {
    uint64_t revision;
    uint32_t doc_count;
    char database_id[sizeof ((vind_searcher_t *)0)->database_id];
} vind_revision_mark_t;

/* Marks *mark with the searcher's index as it is now. */
static inline void vind_revision_mark(const vind_searcher_t *searcher, vind_revision_mark_t *mark)
{
    mark->revision = searcher->revision;
    mark->doc_count = searcher->doc_count;
    memcpy(mark->database_id, searcher->database_id, sizeof mark->database_id);
}

/* 1 when mark is of the searcher's index as it is now (the same database,
 * revision and document count). */
static inline int vind_revision_current(const vind_searcher_t *searcher,
                                        const vind_revision_mark_t *mark)
{
    return mark->revision == searcher->revision && mark->doc_count == searcher->doc_count &&
           memcmp(mark->database_id, searcher->database_id, sizeof mark->database_id) == 0;
}

/* The byte bounds of a searcher's revision tables (session 16): what the
 * planned words, the terms asked and the spelling suggestions hold,
 * 5.5 MB together; vind-searchd keeps two searchers a thread
 * (docs/searchd.md "Security, load and memory").
 *
 * The bytes of planned words a searcher keeps before the table is emptied
 * (vind_revision_table; planned_words_bytes counts them). A bench request's
 * words hold ~2 kB, a query of 64 unknown 58-byte words ~75 kB: until
 * session 16 the bound was 1,024 query texts, whatever they held (a test
 * searcher's heap swung 11-47 MB under 64-word queries of new words). */
#define VIND_PLANS_BYTES (4u << 20)

/* The bytes the terms asked may hold before the table is emptied: 1 MB,
 * ~14,000 terms of ordinary words (72 bytes each with the key's malloc and
 * the hash entry), far more than the distinct terms of a day's queries;
 * ~8,700 of 64-byte terms. Until session 16 the bound was 16,384 terms,
 * whatever their length. */
#define VIND_TERM_PRESENCE_BYTES (1u << 20)

/* The bytes the spelling suggestions may hold before the table is emptied:
 * 512 kB, ~5,000 forms of ordinary words (key, suggestion, malloc headers
 * and the hash entry: ~100 bytes), more than the distinct typos of a day's
 * queries; ~3,000 of 60-byte words. Until session 16 the bound was 4,096
 * forms, whatever their length. */
#define VIND_SPELLINGS_BYTES (512u * 1024u)

/* A table of answers that hold for one revision of the index (which terms
 * it has, Xapian's spelling suggestions, planned words): keys are strings. */
struct vind_revision_table {
    vind_revision_mark_t mark; /* the index the answers hold for */
    GHashTable *table;
    size_t bytes; /* what its entries hold, as vind_revision_table_count adds them */
};

/* The table at *slot (made on first use, values freed by free_value),
 * emptied when the searcher's index is no longer the one it holds for, or
 * when its entries hold max_bytes or more (vind_revision_table_count):
 * bounded in bytes, not entries, since session 16, because a client
 * chooses how long its words are and how many a query has. */
GHashTable *vind_revision_table(vind_searcher_t *searcher, struct vind_revision_table **slot,
                                GDestroyNotify free_value, size_t max_bytes);

/* Counts an entry just put into table under key whose value holds
 * value_bytes: the key's malloc, the hash entry's slots and value_bytes
 * (vind_heap_bytes' way). A key replaced is counted again, never less. */
void vind_revision_table_count(struct vind_revision_table *table, const char *key,
                               size_t value_bytes);

/* Empties table (NULL: nothing) and its count. */
void vind_revision_table_empty(struct vind_revision_table *table);

/* The bytes table's entries hold as counted (0 for NULL). */
size_t vind_revision_table_bytes(const struct vind_revision_table *table);

void vind_revision_table_free(struct vind_revision_table *table);

/* One matching document of a run. */
typedef struct {
    uint32_t docid;
    double weight;
    uint32_t similar; /* near-duplicates collapsed into it (0 when not collapsing) */
    uint64_t group;   /* its group of near-duplicates when collapsing, else 0 */
} vind_match_t;

/* What a pass counts besides its matches (vind_xapian_enquire_count_slots):
 * n slots, and after the pass their counts (free with vind_xapian_facet_free). */
typedef struct {
    vind_xapian_count_slot_t slots[VIND_FACET_LAST];
    size_t n;
    int exclusive;
    vind_xapian_value_test_t test;
    void *data;
    vind_xapian_facet_t *counted[VIND_FACET_LAST];
    uint64_t none[VIND_FACET_LAST];
    uint64_t seen; /* matches the pass counted over: all of them, or fewer past a count limit */
    uint64_t lower, upper; /* Xapian's bounds of the pass's matches */
} vind_counting_t;

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
 * *docid: the document whose URL is url, or url + "/" when url has no
 * trailing slash ("/actueel/x" finds "/actueel/x/", as a site's links and
 * a typed address often leave it off). Only URLs in the index are found.
 * Cost: one or two B-tree look-ups of the URL's unique term.
 * Return value: VIND_OK; VIND_NOT_FOUND (errmsg names url); VIND_XAPIAN;
 * VIND_NOMEM.
 */
vind_status_t vind_searcher_docid_for_url(vind_searcher_t *searcher, const char *url,
                                          uint32_t *docid, char **errmsg);

/*
 * *present: 1 when term (with its prefix) is in a document of the index,
 * else 0. The planner leaves a term no document has out of the query, so
 * that no pass asks Xapian for its statistics or opens its post list.
 * Cost: a hash look-up once the term was asked about at this revision of
 * the index, else one B-tree look-up (remembered: up to 16,384 terms,
 * then forgotten all at once; never at revision 0, unknown: remote shards).
 * Return value: VIND_OK; VIND_XAPIAN; VIND_NOMEM.
 */
vind_status_t vind_searcher_term_present(vind_searcher_t *searcher, const char *term, int *present,
                                         char **errmsg);

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
 * order (pinned is ignored otherwise). *total counts every match; *exact (may
 * be NULL) says whether it is exact (0 past the time budget). counting (may
 * be NULL): slots counted over every match in the same pass (the facets of
 * a request without facet filters). Statuses as vind_searcher_run.
 */
vind_status_t vind_searcher_run_pinned(vind_searcher_t *searcher, const vind_xapian_query_t *query,
                                       vind_sort_t sort, size_t offset, size_t limit,
                                       const vind_match_t *pinned, size_t n_pinned,
                                       vind_match_t **matches, size_t *n_matches, uint64_t *total,
                                       int *exact, vind_counting_t *counting, char **errmsg);

/*
 * The documents matching full (the request's query with its filters) whose
 * title has exactly the words of typed (vind_title_key), best first with
 * their weights; *matches (malloc'd, NULL when none) and *n_matches.
 * Return value: VIND_OK; VIND_INDEX_CHANGED; VIND_XAPIAN; VIND_NOMEM.
 */
vind_status_t vind_exact_title_matches(vind_searcher_t *searcher, const char *typed,
                                       const vind_xapian_query_t *full, vind_match_t **matches,
                                       size_t *n_matches, char **errmsg);

/* Xapian's figures for the matches of a run's query (the query itself:
 * without the filters a counting's test applies). */
typedef struct {
    uint64_t lower, estimated, upper;
} vind_match_bounds_t;

/*
 * The counting pass: runs query once, unweighted, over every match (at_most
 * > 0: over at least that many, then Xapian stops and estimates), counting
 * what counting asks for (may be NULL). *total: the matches passing every
 * filtered slot among those examined (every match when none filters: then
 * Xapian's estimate). bounds (may be NULL): Xapian's figures; lower ==
 * upper when every match was examined. Costs one pass over the matches
 * examined, reading counting->n values of each.
 * Return value: VIND_OK; VIND_INDEX_CHANGED; VIND_XAPIAN; VIND_NOMEM.
 */
vind_status_t vind_searcher_count_pass(vind_searcher_t *searcher, const vind_xapian_query_t *query,
                                       vind_counting_t *counting, uint64_t at_most, uint64_t *total,
                                       vind_match_bounds_t *bounds, char **errmsg);

/* How many matches a run that needs every match for its total and counts
 * examines: every document, or with a count limit the larger of it and
 * needed (what the page needs), so that past the limit Xapian stops. */
static inline uint64_t vind_searcher_checked(const vind_searcher_t *searcher, uint64_t needed)
{
    uint64_t limit = searcher->count_limit;
    if (limit == 0 || limit >= searcher->doc_count)
        return searcher->doc_count;
    return needed > limit ? needed : limit;
}

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

/*
 * The first limit matches of query by BM25 weight (bm25: its parameters,
 * NULL: the searcher's), in Xapian's order (weight, then docid): *matches
 * malloc'd (NULL when none), no total and no tie-breaking by URL (callers
 * that score the matches order them themselves). For related documents.
 * Return value: VIND_OK; VIND_INDEX_CHANGED; VIND_XAPIAN; VIND_NOMEM.
 */
vind_status_t vind_searcher_top(vind_searcher_t *searcher, const vind_xapian_query_t *query,
                                const vind_bm25_t *bm25, size_t limit, vind_match_t **matches,
                                size_t *n_matches, char **errmsg);

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

/* A set of document languages: a bit per vind_lang_t. */
#define VIND_LANG_BIT(lang) (1u << (unsigned)(lang))
#define VIND_LANGS_ALL (VIND_LANG_BIT(VIND_LANG_NL) | VIND_LANG_BIT(VIND_LANG_EN))

/* Before the snippets of a page of hits (docids, n, any order; sorted in
 * place): finds out once, a posting-list walk per match term, which hits
 * hold which terms, so a snippet reads the positions only of the terms its
 * document has (about two in three look-ups were of terms a hit lacks:
 * compound parts and exact forms). langs: the hits' languages
 * (VIND_LANG_BIT; VIND_LANGS_ALL when not known): on schema 4 a prefix's
 * forms are looked up under their stems in those only. A hit of another
 * language looks its terms up itself. vind_stored_places_end forgets it. */
vind_status_t vind_stored_places_begin(vind_searcher_t *searcher, const vind_match_terms_t *terms,
                                       uint32_t *docids, size_t n, unsigned langs, char **errmsg);
void vind_stored_places_end(vind_searcher_t *searcher);

/* The same from the text store alone, for a document of n_pages pages in
 * language lang (a hit record's, lib/hitrecord.h). */
vind_status_t vind_stored_snippet_of(vind_searcher_t *searcher, uint32_t docid, vind_lang_t lang,
                                     size_t n_pages, const vind_match_terms_t *terms,
                                     unsigned target_chars, char **html, unsigned **pages,
                                     size_t *n_pages_out, char **errmsg);

/* The language of a stored "lang" ("en..." -> English, else Dutch). */
vind_lang_t vind_stored_lang_of(const char *lang);

/* The hit record of docid (VIND_SLOT_HIT): *value malloc'd (free it, and
 * record's tags and themes), which record's strings point into; *value
 * NULL when the document has none (an index written before it). */
vind_status_t vind_searcher_hit_record(vind_searcher_t *searcher, uint32_t docid, char **value,
                                       vind_hit_record_t *record, char **errmsg);

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

/* "Bedoelde je": the corrected query text (malloc'd) or NULL (lib/suggest.c);
 * *searched 1 when the results already hold the correction. */
vind_status_t vind_spelling_suggestion(vind_searcher_t *searcher, const vind_search_request_t *req,
                                       const vind_query_plan_t *plan, uint64_t total,
                                       char **suggestion, int *searched, char **errmsg);

/*
 * The spelling correction of a query word (lib/suggest.c), looked up before
 * a query is planned (lib/plan.c): for a word no document has in any form
 * ("draagmoedershap") - with rare set, also for a word whose form is in at
 * most two documents when the correction is in ten times as many - the
 * index form within two edits ("draagmoederschap"), malloc'd into
 * *correction; else NULL.
 * Return value: VIND_OK; VIND_INDEX_CHANGED; VIND_XAPIAN (a failed read).
 */
vind_status_t vind_spelling_lookup(vind_searcher_t *searcher, const vind_token_t *token, int rare,
                                   char **correction, char **errmsg);

/* *absent = 1 when no document holds word in any form: no stem, compound
 * part, exact form or English stem in the index, nor (a compound) every
 * one of its parts (up to four term look-ups and one per part). */
vind_status_t vind_spelling_absent(vind_searcher_t *searcher, const vind_query_word_t *word,
                                   int *absent, char **errmsg);

/* Called at each attempt of a search: forgets the spelling suggestions of
 * the request before when the index's revision is not known (else they
 * hold until the revision changes: lib/suggest.c spelling_suggestion). */
void vind_spelling_forget(vind_searcher_t *searcher);

#endif
