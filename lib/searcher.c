/*
 * searcher.c - the searcher handle (open, reopen, schema check, counts) and
 * every Xapian run a search makes: the only code of the search side that
 * creates a Xapian Enquire, and the one place that retries after the index
 * changed under a run (vind_searcher_retry). Above it: the search policy
 * (lib/search.c) and its components (lib/plan.c, lib/facets.c,
 * lib/exact_title.c, lib/suggest.c, lib/results.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <glib.h>
#include <vind/limits.h>

#include "error.h"
#include "lexicon.h"
#include "schema.h"
#include "searcher.h"
#include "word_memo.h"
#include "simhash.h"

#include "searcher.h"
#include "snippet.h"
#include "tokens_memory.h"

/* Matches fetched beyond the page when sorting by relevance, so that a run
 * of equal weights crossing the page end is still ordered by URL. */
#define TIE_EXTRA 20u

/* Weights closer than this (relative) count as equal: a document and its
 * copy under another URL must tie exactly, whatever the float rounding. */
#define TIE_EPSILON 1e-9

/* ------------------------------------------------------------------ */
/* The handle                                                          */

static void bm25_default(vind_bm25_t *bm25)
{
    /* docs/ranking.md: tuned on tests/relevance/queries.tsv. */
    *bm25 = (vind_bm25_t){.k1 = 1.2, .k2 = 0.0, .k3 = 1.0, .b = 0.3, .min_normlen = 0.5};
}

/* *version: the index's schema version (lib/stored.c places a prefix's
 * forms by it). */
static vind_status_t check_schema(vind_xapian_reader_t *reader, const char *path, int *version_out,
                                  char **errmsg)
{
    char *value = NULL;
    vind_status_t status =
        vind_xapian_reader_get_metadata(reader, VIND_META_SCHEMA, &value, NULL, NULL);
    if (status == VIND_NOT_FOUND)
        return vind_error(errmsg, VIND_SCHEMA_MISMATCH,
                          "the index %s has no schema version: reindex with --full", path);
    if (status != VIND_OK)
        return vind_error(errmsg, status, "cannot read the schema version of the index %s", path);
    int version = atoi(value);
    free(value);
    *version_out = version;
    if (version < VIND_SCHEMA_MIN_READ || version > VIND_SCHEMA_VERSION)
        return vind_error(errmsg, VIND_SCHEMA_MISMATCH,
                          "the index %s has schema version %d, this vind reads %d to %d: run "
                          "vind-index to rebuild it",
                          path, version, VIND_SCHEMA_MIN_READ, VIND_SCHEMA_VERSION);
    return VIND_OK;
}

static vind_status_t load_counts(vind_searcher_t *searcher, char **errmsg)
{
    vind_status_t status =
        vind_xapian_reader_revision(searcher->reader, &searcher->revision, errmsg);
    if (status == VIND_OK)
        status = vind_xapian_reader_doc_count(searcher->reader, &searcher->doc_count, errmsg);
    uint32_t keyed = 0;
    if (status == VIND_OK)
        status = vind_xapian_reader_value_count(searcher->reader, VIND_SLOT_GROUP, &keyed, errmsg);
    searcher->grouped = keyed > 0;
    uint32_t packed = 0;
    if (status == VIND_OK)
        status = vind_xapian_reader_value_count(searcher->reader, VIND_SLOT_FACETS, &packed, errmsg);
    searcher->facets_packed = packed > 0 && packed == searcher->doc_count;
    return status;
}

/* What the path names: its folder's device and inode, and the inode of the
 * stub file XAPIANDB in it (0 without one). xapian-replicate keeps a replica
 * as such a folder with two sub-folders and a stub naming the live one; a
 * full copy goes into the other sub-folder, the stub is replaced by a
 * rename (a new inode) and the old sub-folder removed at once, so the
 * folder stays the same while the database changes (docs/scaling.md).
 * version: the inode and change time of the folder's version file
 * (iamglass; 0 without one), which every commit replaces: see
 * vind_searcher_reopen for the files of another database copied into the
 * folder. */
struct identity {
    uint64_t dev, ino, stub_ino;
    uint64_t version_ino;
    int64_t version_ctime_ns;
};

/* Cost: two or three stat(2) calls. */
static struct identity identity_of(const char *path)
{
    struct identity id = {0, 0, 0, 0, 0};
    struct stat st;
    if (stat(path, &st) != 0)
        return id;
    id.dev = (uint64_t)st.st_dev;
    id.ino = (uint64_t)st.st_ino;
    if (S_ISDIR(st.st_mode)) {
        char *stub = g_build_filename(path, "XAPIANDB", NULL);
        if (stat(stub, &st) == 0)
            id.stub_ino = (uint64_t)st.st_ino;
        g_free(stub);
        char *version = g_build_filename(path, "iamglass", NULL);
        if (id.stub_ino == 0 && stat(version, &st) == 0) {
            id.version_ino = (uint64_t)st.st_ino;
            id.version_ctime_ns = (int64_t)st.st_ctim.tv_sec * 1000000000 + st.st_ctim.tv_nsec;
        }
        g_free(version);
    }
    return id;
}

/* The same folder (and stub), whatever its version file. */
static int same_identity(struct identity a, struct identity b)
{
    return a.dev == b.dev && a.ino == b.ino && a.stub_ino == b.stub_ino;
}

static int same_version_file(struct identity a, struct identity b)
{
    return a.version_ino == b.version_ino && a.version_ctime_ns == b.version_ctime_ns;
}

/* "<dev>:<inode>[:<stub inode>]:<MD5 of the UUID>" of the database the
 * reader opened at id: a database built anew and copied into the same
 * folder has another UUID, so nothing remembered of the old one (the
 * result cache, the revision marks) is taken for it. */
static void set_database_id(vind_searcher_t *searcher, vind_xapian_reader_t *reader,
                            struct identity id)
{
    char *uuid = NULL;
    if (vind_xapian_reader_uuid(reader, &uuid, NULL) != VIND_OK)
        uuid = NULL; /* a remote shard may tell none: the folder alone */
    gchar *digest = g_compute_checksum_for_string(G_CHECKSUM_MD5, uuid ? uuid : "", -1);
    memset(searcher->database_id, 0, sizeof searcher->database_id);
    if (id.stub_ino)
        snprintf(searcher->database_id, sizeof searcher->database_id, "%llu:%llu:%llu:%s",
                 (unsigned long long)id.dev, (unsigned long long)id.ino,
                 (unsigned long long)id.stub_ino, digest ? digest : "");
    else
        snprintf(searcher->database_id, sizeof searcher->database_id, "%llu:%llu:%s",
                 (unsigned long long)id.dev, (unsigned long long)id.ino, digest ? digest : "");
    g_free(digest);
    free(uuid);
}

/* Attempts at opening while the path keeps changing under the open. */
#define OPEN_ATTEMPTS 3

/* Opens the database at the searcher's path as its reader, checked. The
 * folder is looked at first: when a swap happens in between, the next
 * reopen sees another folder and opens again. An open that fails while
 * the path changed under it (xapian-replicate removed the sub-folder the
 * stub named a moment before) is made again on what the path names now:
 * a replica switching copies is never "no index". */
static vind_status_t open_reader(vind_searcher_t *searcher, vind_xapian_reader_t **reader,
                                 char **errmsg)
{
    struct identity id = identity_of(searcher->path);
    vind_status_t status = VIND_OK;
    for (int attempt = 1;; attempt++) {
        char *why = NULL;
        status = vind_xapian_reader_open(searcher->path, reader, &why);
        if (status == VIND_OK)
            status = check_schema(*reader, searcher->path, &searcher->schema, &why);
        if (status == VIND_OK) {
            free(why);
            break;
        }
        vind_xapian_reader_close(*reader);
        *reader = NULL;
        struct identity now = identity_of(searcher->path);
        if (attempt == OPEN_ATTEMPTS || same_identity(now, id)) {
            if (errmsg)
                *errmsg = why;
            else
                free(why);
            return status;
        }
        free(why);
        id = now;
    }
    vind_xapian_reader_set_cache(*reader, searcher->cache_bytes);
    searcher->folder_dev = id.dev;
    searcher->folder_ino = id.ino;
    searcher->stub_ino = id.stub_ino;
    searcher->version_ino = id.version_ino;
    searcher->version_ctime_ns = id.version_ctime_ns;
    set_database_id(searcher, *reader, id);
    return VIND_OK;
}

vind_status_t vind_searcher_open(const char *db_path, const vind_lexicon_t *lexicon,
                                 vind_searcher_t **out, char **errmsg)
{
    if (!out)
        return vind_error(errmsg, VIND_INVALID_ARGUMENT, "vind_searcher_open: out is NULL");
    *out = NULL;
    if (!db_path || !lexicon)
        return vind_error(errmsg, VIND_INVALID_ARGUMENT,
                          "vind_searcher_open: the index path and the lexicon are required");
    vind_searcher_t *searcher = calloc(1, sizeof *searcher);
    if (!searcher || !(searcher->path = strdup(db_path))) {
        free(searcher);
        return vind_error(errmsg, VIND_NOMEM, "out of memory opening the index %s", db_path);
    }
    searcher->lexicon = lexicon;
    searcher->collapse = 1;
    searcher->count_limit = VIND_COUNT_LIMIT;
    searcher->cache_bytes = VIND_READ_CACHE_BYTES;
    vind_query_weights_default(&searcher->weights);
    bm25_default(&searcher->bm25);
    vind_status_t status = open_reader(searcher, &searcher->reader, errmsg);
    if (status == VIND_OK)
        status = load_counts(searcher, errmsg);
    if (status == VIND_OK)
        status = vind_analyzer_new(lexicon, &searcher->analyzer, errmsg);
    if (status == VIND_OK) /* queries' and snippets' words only (limits.h) */
        vind_analyzer_set_cache_bytes(searcher->analyzer, VIND_SEARCHER_ANALYZER_CACHE_BYTES);
    if (status == VIND_OK) {
        /* A missing list means no synonyms (docs/synonyms.md). */
        const char *datadir = vind_lexicon_datadir(lexicon);
        char *path = g_build_filename(datadir ? datadir : ".", "synonyms", "nl.txt", NULL);
        status = vind_synonyms_load(path, &searcher->synonyms, errmsg);
        g_free(path);
    }
    if (status != VIND_OK) {
        vind_searcher_close(searcher);
        return status;
    }
    *out = searcher;
    return VIND_OK;
}

/* ------------------------------------------------------------------ */
/* Which terms are in the index                                        */

GHashTable *vind_revision_table(vind_searcher_t *searcher, struct vind_revision_table **slot,
                                GDestroyNotify free_value, size_t max_bytes)
{
    struct vind_revision_table *t = *slot;
    if (!t) {
        t = *slot = g_new0(struct vind_revision_table, 1);
        t->table = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, free_value);
        vind_revision_mark(searcher, &t->mark);
    }
    if (!vind_revision_current(searcher, &t->mark) || t->bytes >= max_bytes) {
        vind_revision_table_empty(t);
        vind_revision_mark(searcher, &t->mark);
    }
    return t->table;
}

void vind_revision_table_count(struct vind_revision_table *table, const char *key,
                               size_t value_bytes)
{
    table->bytes += vind_heap_bytes(strlen(key) + 1) + VIND_HASH_ENTRY_BYTES + value_bytes;
}

void vind_revision_table_empty(struct vind_revision_table *table)
{
    if (!table)
        return;
    g_hash_table_remove_all(table->table);
    table->bytes = 0;
}

size_t vind_revision_table_bytes(const struct vind_revision_table *table)
{
    return table ? table->bytes : 0;
}

void vind_revision_table_free(struct vind_revision_table *table)
{
    if (!table)
        return;
    g_hash_table_destroy(table->table);
    g_free(table);
}

vind_status_t vind_searcher_docid_for_url(vind_searcher_t *searcher, const char *url,
                                          uint32_t *docid, char **errmsg)
{
    vind_status_t status = VIND_NOT_FOUND;
    for (int attempt = 0; attempt < 2 && status == VIND_NOT_FOUND; attempt++) {
        size_t length = strlen(url);
        if (attempt == 1 && (length == 0 || url[length - 1] == '/'))
            break;
        char *candidate = attempt == 0 ? g_strdup(url) : g_strconcat(url, "/", NULL);
        char *unique = vind_unique_term(candidate);
        g_free(candidate);
        if (!unique)
            return vind_error(errmsg, VIND_NOMEM, "out of memory looking up %s", url);
        status = vind_xapian_reader_docid_for_term(searcher->reader, unique, docid, errmsg);
        free(unique);
        if (status == VIND_NOT_FOUND && errmsg) {
            free(*errmsg);
            *errmsg = NULL;
        }
    }
    if (status == VIND_NOT_FOUND)
        return vind_error(errmsg, VIND_NOT_FOUND, "no document with the url %s in the index", url);
    return status;
}

vind_status_t vind_searcher_term_present(vind_searcher_t *searcher, const char *term, int *present,
                                         char **errmsg)
{
    if (searcher->revision == 0)
        /* Unknown (a remote shard reports no revision): a term absent now
         * may be committed there unnoticed, so nothing is remembered. */
        return vind_xapian_reader_term_exists(searcher->reader, term, present, errmsg);
    /* term -> GINT_TO_POINTER(1 present, 2 absent) */
    GHashTable *asked =
        vind_revision_table(searcher, &searcher->term_presence, NULL, VIND_TERM_PRESENCE_BYTES);
    int known = GPOINTER_TO_INT(g_hash_table_lookup(asked, term));
    if (known) {
        *present = known == 1;
        return VIND_OK;
    }
    vind_status_t status = vind_xapian_reader_term_exists(searcher->reader, term, present, errmsg);
    if (status == VIND_OK) {
        g_hash_table_insert(asked, g_strdup(term), GINT_TO_POINTER(*present ? 1 : 2));
        vind_revision_table_count(searcher->term_presence, term, 0);
    }
    return status;
}

void vind_searcher_close(vind_searcher_t *searcher)
{
    if (!searcher)
        return;
    vind_synonyms_free(searcher->synonyms);
    vind_analyzer_free(searcher->analyzer);
    vind_xapian_reader_close(searcher->reader);
    vind_revision_table_free(searcher->spellings);
    vind_stored_places_end(searcher);
    if (searcher->related_cache_free)
        searcher->related_cache_free(searcher->related_cache);
    if (searcher->title_index_free)
        searcher->title_index_free(searcher->title_index);
    if (searcher->word_cache_free)
        searcher->word_cache_free(searcher->word_cache);
    vind_revision_table_free(searcher->term_presence);
    vind_revision_table_free(searcher->plans);
    for (int i = 0; i <= VIND_FACET_LAST; i++)
        if (searcher->facet_terms[i])
            g_hash_table_destroy(searcher->facet_terms[i]);
    vind_word_memo_free(searcher->words);
    free(searcher->path);
    free(searcher);
}

/* The reader opened anew at the searcher's path (the old one closed once
 * the new one is open): *changed = 1. */
static vind_status_t reopen_anew(vind_searcher_t *searcher, int *changed, char **errmsg)
{
    vind_xapian_reader_t *fresh = NULL;
    vind_status_t status = open_reader(searcher, &fresh, errmsg);
    if (status != VIND_OK)
        return status;
    vind_xapian_reader_close(searcher->reader);
    searcher->reader = fresh;
    status = load_counts(searcher, errmsg);
    if (status == VIND_OK && changed)
        *changed = 1;
    return status;
}

vind_status_t vind_searcher_reopen(vind_searcher_t *searcher, int *changed, char **errmsg)
{
    if (changed)
        *changed = 0;
    if (!searcher)
        return vind_error(errmsg, VIND_INVALID_ARGUMENT, "vind_searcher_reopen: no searcher");
    int moved = 0;
    struct identity opened = {searcher->folder_dev, searcher->folder_ino, searcher->stub_ino,
                              searcher->version_ino, searcher->version_ctime_ns};
    /* Looked at before Xapian's reopen: a commit in between makes the
     * next check open anew once, never miss a change. */
    struct identity now = identity_of(searcher->path);
    if (!same_identity(now, opened))
        /* Another database at the path (a schema upgrade swapped it in, or
         * xapian-replicate switched the replica to a full copy): Xapian's
         * reopen would read the new folder's files with the old one's
         * tables, or the removed sub-folder, so the reader is opened anew.
         * Cost: two or three stat(2) per reopen. */
        return reopen_anew(searcher, changed, errmsg);
    vind_status_t status = vind_xapian_reader_reopen(searcher->reader, &moved, errmsg);
    if (status == VIND_OK && !moved && !same_version_file(now, opened))
        /* The version file replaced while the revision stayed: the files
         * of another database copied into the folder (rsync, cp), which
         * Xapian's reopen takes for the same revision and never reads
         * (the hostile probe of session 18: the old database was served
         * until the next commit). */
        return reopen_anew(searcher, changed, errmsg);
    searcher->version_ino = now.version_ino;
    searcher->version_ctime_ns = now.version_ctime_ns;
    if (status == VIND_OK && moved)
        status = check_schema(searcher->reader, searcher->path, &searcher->schema, errmsg);
    if (status == VIND_OK && moved) /* the same after a commit; another database's files copied
                                     * in at another revision: its own */
        set_database_id(searcher, searcher->reader, now);
    if (status == VIND_OK)
        status = load_counts(searcher, errmsg);
    if (status == VIND_OK && changed)
        *changed = moved;
    return status;
}

void vind_searcher_set_time_limit(vind_searcher_t *searcher, double seconds)
{
    if (searcher)
        searcher->time_limit = seconds > 0 ? seconds : 0;
}

vind_status_t vind_searcher_check(vind_searcher_t *searcher, char **errmsg)
{
    if (!searcher)
        return vind_error(errmsg, VIND_INVALID_ARGUMENT, "vind_searcher_check: no searcher");
    return vind_xapian_reader_check(searcher->reader, errmsg);
}

void vind_searcher_set_collapse(vind_searcher_t *searcher, int on)
{
    if (searcher)
        searcher->collapse = on != 0;
}

vind_status_t vind_searcher_set_similar(vind_searcher_t *searcher, const char *group,
                                        char **errmsg)
{
    uint64_t key = 0;
    if (!searcher)
        return vind_error(errmsg, VIND_INVALID_ARGUMENT, "vind_searcher_set_similar: no searcher");
    if (group && *group && !vind_simhash_parse(group, strlen(group), &key))
        return vind_error(errmsg, VIND_INVALID_ARGUMENT,
                          "similar: %.40s is not a group of similar documents (16 hex digits)",
                          group);
    snprintf(searcher->group, sizeof searcher->group, "%s", group && *group ? group : "");
    return VIND_OK;
}

/* Sets query on enquire, restricted to the searcher's group when it has
 * one (vind_searcher_set_similar): every run of a search, ranked or
 * counting, sees the same documents. The tree is shared, not copied: a
 * searcher serves one thread at a time (its pool hands it over behind a
 * lock), and every enquire of a run is freed before the run returns. */
static vind_status_t set_query_in_group(const vind_searcher_t *searcher,
                                        vind_xapian_enquire_t *enquire,
                                        const vind_xapian_query_t *query, char **errmsg)
{
    if (!searcher->group[0])
        return vind_xapian_enquire_set_query_shared(enquire, query, errmsg);
    vind_xapian_query_t *pair[2] = {
        vind_xapian_query_copy(query),
        vind_xapian_query_value_range(VIND_SLOT_GROUP, searcher->group, 16, searcher->group, 16)};
    vind_xapian_query_t *filtered = vind_xapian_query_compound(VIND_XAPIAN_OP_FILTER, pair, 2);
    vind_status_t status = filtered ? vind_xapian_enquire_set_query_shared(enquire, filtered, errmsg)
                                    : vind_error(errmsg, VIND_NOMEM, "out of memory");
    vind_xapian_query_free(filtered);
    return status;
}

const char *vind_searcher_database_id(const vind_searcher_t *searcher)
{
    return searcher ? searcher->database_id : "";
}

uint64_t vind_searcher_revision(const vind_searcher_t *searcher)
{
    return searcher ? searcher->revision : 0;
}

uint64_t vind_searcher_doc_count(const vind_searcher_t *searcher)
{
    return searcher ? searcher->doc_count : 0;
}

vind_status_t vind_searcher_retry(vind_searcher_t *searcher, vind_searcher_attempt_t attempt,
                                  void *data, char **errmsg)
{
    for (int tries = 0;; tries++) {
        char *message = NULL;
        vind_status_t status = attempt(searcher, data, &message);
        if (status == VIND_OK)
            return VIND_OK;
        if (status != VIND_INDEX_CHANGED || tries > 0 ||
            vind_searcher_reopen(searcher, NULL, NULL) != VIND_OK) {
            if (errmsg)
                *errmsg = message;
            else
                free(message);
            return status;
        }
        free(message);
    }
}

/* ------------------------------------------------------------------ */
/* Runs                                                                */

static vind_status_t new_enquire(vind_searcher_t *searcher, const vind_xapian_query_t *query,
                                 vind_sort_t sort, vind_xapian_enquire_t **out, char **errmsg)
{
    vind_xapian_enquire_t *enquire = NULL;
    searcher->runs++;
    vind_status_t status = vind_xapian_enquire_new(searcher->reader, &enquire, errmsg);
    status = status == VIND_OK ? set_query_in_group(searcher, enquire, query, errmsg) : status;
    /* No percents: a run examining every match by relevance then orders its
     * matches itself rather than Xapian keeping and sorting an item of two
     * strings each (include/vind/xapian.h). */
    status = status == VIND_OK ? vind_xapian_enquire_set_percents(enquire, 0, errmsg) : status;
    /* Near-duplicates: Xapian keeps the best document per group key in the
     * same pass (no extra run); documents without a key are never collapsed.
     * Only documents with a near-duplicate carry a key (docs/schema.md), so
     * per match this costs a value read of a sparse slot, and a map look-up
     * for the few keyed ones; an index without a group sets no key at all. */
    if (status == VIND_OK && searcher->collapsing && searcher->grouped)
        status = vind_xapian_enquire_set_collapse_key(enquire, VIND_SLOT_GROUP, errmsg);
    if (status == VIND_OK) {
        const vind_bm25_t *p = &searcher->bm25;
        status = vind_xapian_enquire_set_bm25(enquire, p->k1, p->k2, p->k3, p->b, p->min_normlen,
                                              errmsg);
    }
    if (status == VIND_OK && sort != VIND_SORT_RELEVANCE)
        /* Undated documents have no value: they sort first ascending, last
         * descending (newest first, undated last). */
        status = vind_xapian_enquire_sort_by_value_then_relevance(
            enquire, VIND_SLOT_DATE, sort == VIND_SORT_DATE_DESC, errmsg);
    if (status != VIND_OK) {
        vind_xapian_enquire_free(enquire);
        return status;
    }
    *out = enquire;
    return VIND_OK;
}

static uint32_t clamp32(uint64_t value)
{
    return value > UINT32_MAX ? UINT32_MAX : (uint32_t)value;
}

typedef struct {
    vind_match_t match;
    uint32_t rank; /* of its URL among every URL (vind_xapian_reader_value_ranks) */
    char *url;     /* read only when the reader keeps no ranks */
} tied_t;

static int compare_tied(const void *a, const void *b)
{
    const tied_t *x = a, *y = b;
    return strcmp(x->url ? x->url : "", y->url ? y->url : "");
}

static int compare_tied_rank(const void *a, const void *b)
{
    const tied_t *x = a, *y = b;
    return (x->rank > y->rank) - (x->rank < y->rank);
}

static int same_weight(double a, double b)
{
    double scale = a > b ? a : b;
    return a == b || (a - b < TIE_EPSILON * scale && b - a < TIE_EPSILON * scale);
}

/* Orders run tied matches by URL: by the reader's URL ranks when it keeps
 * them (an array read per match, the table built once per revision), else
 * by the URLs read (a value read, ~2,000 instructions, per match). */
static vind_status_t order_tied(vind_searcher_t *searcher, tied_t *tied, size_t run,
                                char **errmsg)
{
    uint32_t *docids = malloc(run * sizeof *docids), *ranks = malloc(run * sizeof *ranks);
    int ranked = 0;
    vind_status_t status = docids && ranks ? VIND_OK
                                           : vind_error(errmsg, VIND_NOMEM, "out of memory ordering results");
    for (size_t i = 0; i < run && status == VIND_OK; i++)
        docids[i] = tied[i].match.docid;
    if (status == VIND_OK)
        status = vind_xapian_reader_value_ranks(searcher->reader, VIND_SLOT_URL, docids, run, ranks,
                                                &ranked, errmsg);
    for (size_t i = 0; i < run && status == VIND_OK && ranked; i++)
        tied[i].rank = ranks[i];
    for (size_t i = 0; i < run && status == VIND_OK && !ranked; i++)
        status = vind_xapian_reader_get_value(searcher->reader, tied[i].match.docid, VIND_SLOT_URL,
                                              &tied[i].url, NULL, errmsg);
    free(docids);
    free(ranks);
    if (status == VIND_OK)
        qsort(tied, run, sizeof *tied, ranked ? compare_tied_rank : compare_tied);
    return status;
}

/* Orders each run of equal weights by URL, so that documents tied in
 * relevance (a page and its copy, a filter-only query) come out the same
 * way whatever order they were indexed in. */
static vind_status_t break_ties(vind_searcher_t *searcher, vind_match_t *matches, size_t n,
                                char **errmsg)
{
    size_t start = 0;
    while (start < n) {
        size_t end = start + 1;
        while (end < n && same_weight(matches[start].weight, matches[end].weight))
            end++;
        if (end - start > 1) {
            size_t run = end - start;
            tied_t *tied = calloc(run, sizeof *tied);
            if (!tied)
                return vind_error(errmsg, VIND_NOMEM, "out of memory ordering results");
            for (size_t i = 0; i < run; i++)
                tied[i].match = matches[start + i];
            vind_status_t status = order_tied(searcher, tied, run, errmsg);
            if (status == VIND_OK)
                for (size_t i = 0; i < run; i++)
                    matches[start + i] = tied[i].match;
            for (size_t i = 0; i < run; i++)
                free(tied[i].url);
            free(tied);
            if (status != VIND_OK)
                return status;
        }
        start = end;
    }
    return VIND_OK;
}

/* Runs the enquire for matches [first, first + count) into a new array. */
static vind_status_t fetch(vind_searcher_t *searcher, vind_xapian_enquire_t *enquire,
                           uint64_t first, uint64_t count, uint64_t check_at_least,
                           vind_match_t **out, size_t *n, uint64_t *total, int *exact,
                           char **errmsg)
{
    *out = NULL;
    *n = 0;
    vind_xapian_mset_t *mset = NULL;
    vind_status_t status = vind_xapian_enquire_run(enquire, clamp32(first), clamp32(count),
                                                   clamp32(check_at_least), &mset, errmsg);
    if (status != VIND_OK)
        return status;
    vind_match_t *all = calloc(mset->count ? mset->count : 1, sizeof *all);
    if (!all) {
        vind_xapian_mset_free(mset);
        return vind_error(errmsg, VIND_NOMEM, "out of memory reading results");
    }
    for (size_t i = 0; i < mset->count; i++) {
        all[i] = (vind_match_t){.docid = mset->docids[i], .weight = mset->weights[i]};
        const char *key = mset->collapse_keys ? mset->collapse_keys[i] : NULL;
        if (key && vind_simhash_parse(key, strlen(key), &all[i].group))
            all[i].similar = mset->collapse_counts[i];
    }
    if (mset->collapse_keys || searcher->collapsing)
        searcher->listed = mset->listed_estimated;
    *n = mset->count;
    *total = mset->matches_estimated;
    *exact = mset->matches_lower == mset->matches_upper;
    vind_xapian_mset_free(mset);
    *out = all;
    return VIND_OK;
}

/* Puts pinned first in all (*n entries, room for *n + n_pinned) and drops
 * their other occurrence, and when collapsing the other document of their
 * group (a pinned exact title or strict match stands for its group, with
 * the larger of the two counts); *n becomes the new length. 0 on NOMEM. */
static int pin(vind_match_t *all, size_t *n, const vind_match_t *pinned, size_t n_pinned)
{
    vind_match_t *front = malloc(n_pinned * sizeof *front);
    if (!front)
        return 0;
    memcpy(front, pinned, n_pinned * sizeof *front);
    size_t kept = 0;
    for (size_t i = 0; i < *n; i++) {
        int is_pinned = 0;
        for (size_t p = 0; p < n_pinned; p++) {
            int same_group = all[i].group && front[p].group == all[i].group;
            if (front[p].docid != all[i].docid && !same_group)
                continue;
            is_pinned = 1;
            if (same_group && all[i].similar > front[p].similar)
                front[p].similar = all[i].similar;
        }
        if (!is_pinned)
            all[kept++] = all[i];
    }
    memmove(all + n_pinned, all, kept * sizeof *all);
    memcpy(all, front, n_pinned * sizeof *all);
    free(front);
    *n = kept + n_pinned;
    return 1;
}

/* The field of a facet's slot in the packed facets value (lib/index.c
 * add_packed_facets), or -1. */
static int packed_field(uint32_t slot)
{
    switch (slot) {
    case VIND_SLOT_YEAR: return 0;
    case VIND_SLOT_TYPE: return 1;
    case VIND_SLOT_TAGS: return 2;
    case VIND_SLOT_THEMES: return 3;
    default: return -1;
    }
}

/* Counts what counting asks for over the enquire's next runs (packed: the
 * index has the packed facets value). */
static vind_status_t count_slots(vind_xapian_enquire_t *enquire, vind_counting_t *counting,
                                 int packed, char **errmsg)
{
    if (!counting)
        return VIND_OK;
    /* A counting reused by a later run (a corrected query searched after the
     * typed one) drops the counts of the run before. */
    for (size_t i = 0; i < counting->n; i++) {
        vind_xapian_facet_free(counting->counted[i]);
        counting->counted[i] = NULL, counting->none[i] = 0;
    }
    /* An index with the packed facets value: each counted facet is a field of it. */
    vind_xapian_count_slot_t slots[VIND_FACET_LAST];
    for (size_t i = 0; i < counting->n && i < VIND_FACET_LAST; i++) {
        slots[i] = counting->slots[i];
        slots[i].packed_field = packed ? packed_field(slots[i].slot) + 1 : 0;
        slots[i].packed_slot = VIND_SLOT_FACETS;
    }
    return vind_xapian_enquire_count_slots(enquire, slots, counting->n, counting->exclusive,
                                           counting->test, counting->data, errmsg);
}

/* The counts of the enquire's last run into counting. */
static vind_status_t take_counts(vind_xapian_enquire_t *enquire, vind_counting_t *counting,
                                 char **errmsg)
{
    vind_status_t status = VIND_OK;
    if (counting) {
        counting->seen = vind_xapian_enquire_seen(enquire);
        vind_xapian_enquire_bounds(enquire, &counting->lower, &counting->upper);
    }
    for (size_t i = 0; counting && status == VIND_OK && i < counting->n; i++) {
        vind_xapian_facet_free(counting->counted[i]);
        counting->counted[i] = NULL;
        status = vind_xapian_enquire_slot_counts(enquire, i, &counting->counted[i],
                                                 &counting->none[i], errmsg);
    }
    return status;
}

vind_status_t vind_searcher_run(vind_searcher_t *searcher, const vind_xapian_query_t *query,
                                vind_sort_t sort, size_t offset, size_t limit,
                                vind_match_t **matches, size_t *n_matches, uint64_t *total,
                                char **errmsg)
{
    return vind_searcher_run_pinned(searcher, query, sort, offset, limit, NULL, 0, matches,
                                    n_matches, total, NULL, NULL, errmsg);
}

vind_status_t vind_searcher_run_pinned(vind_searcher_t *searcher, const vind_xapian_query_t *query,
                                       vind_sort_t sort, size_t offset, size_t limit,
                                       const vind_match_t *pinned, size_t n_pinned,
                                       vind_match_t **matches, size_t *n_matches, uint64_t *total,
                                       int *exact, vind_counting_t *counting, char **errmsg)
{
    *matches = NULL;
    *n_matches = 0;
    *total = 0;
    int counted = 0;
    vind_xapian_enquire_t *enquire = NULL;
    vind_status_t status = new_enquire(searcher, query, sort, &enquire, errmsg);
    if (status == VIND_OK)
        status = count_slots(enquire, counting, searcher->facets_packed, errmsg);
    if (status != VIND_OK) {
        vind_xapian_enquire_free(enquire);
        return status;
    }
    uint64_t want = limit ? (uint64_t)limit : searcher->doc_count;
    /* Every match is examined (check_at_least = every document; past the
     * count limit at least that many: vind_searcher_checked), so *total is
     * exact (*exact 0 past the count limit or the time budget). Not only the page and
     * TIE_EXTRA more: Xapian 1.4.22 then stops early on weight bounds, and
     * for "zorg" its top 40 missed the document ranked 20th by the full
     * match (docs/ranking.md). */
    uint64_t count = (uint64_t)offset + want + TIE_EXTRA + n_pinned;
    uint64_t check = vind_searcher_checked(searcher, count);
    vind_match_t *all = NULL;
    size_t n = 0;
    if (sort != VIND_SORT_RELEVANCE) {
        status = fetch(searcher, enquire, offset, want, check, &all, &n, total, &counted, errmsg);
        if (status == VIND_OK)
            status = take_counts(enquire, counting, errmsg);
        vind_xapian_enquire_free(enquire);
        if (status == VIND_OK)
            *matches = all, *n_matches = n;
        if (exact)
            *exact = counted;
        return status;
    }
    status = fetch(searcher, enquire, 0, count, check, &all, &n, total, &counted, errmsg);
    size_t page_end = offset + want + n_pinned < n ? (size_t)(offset + want + n_pinned) : n;
    if (status == VIND_OK && n == count && page_end > 0 &&
        same_weight(all[page_end - 1].weight, all[n - 1].weight)) {
        /* The tie at the page's end runs past what was fetched (a filter-only
         * query weighs everything 0): fetch every match to order it by URL. */
        free(all);
        status = fetch(searcher, enquire, 0, searcher->doc_count, searcher->doc_count, &all, &n,
                       total, &counted, errmsg);
    }
    if (status == VIND_OK)
        status = take_counts(enquire, counting, errmsg);
    vind_xapian_enquire_free(enquire);
    if (status == VIND_OK)
        status = break_ties(searcher, all, n, errmsg);
    if (status == VIND_OK && n_pinned) {
        /* Removing the pinned ones leaves at least offset + want others
         * whenever that many were fetched. */
        vind_match_t *grown = realloc(all, (n + n_pinned) * sizeof *all);
        if (grown)
            all = grown;
        if (!grown || !pin(all, &n, pinned, n_pinned))
            status = vind_error(errmsg, VIND_NOMEM, "out of memory ordering results");
    }
    if (status != VIND_OK) {
        free(all);
        return status;
    }
    size_t skip = offset < n ? offset : n;
    size_t keep = n - skip < want ? n - skip : (size_t)want;
    memmove(all, all + skip, keep * sizeof *all);
    *matches = all;
    *n_matches = keep;
    if (exact)
        *exact = counted;
    return VIND_OK;
}

vind_status_t vind_searcher_top(vind_searcher_t *searcher, const vind_xapian_query_t *query,
                                const vind_bm25_t *bm25, size_t limit, vind_match_t **matches,
                                size_t *n_matches, char **errmsg)
{
    *matches = NULL;
    *n_matches = 0;
    vind_xapian_enquire_t *enquire = NULL;
    vind_status_t status = new_enquire(searcher, query, VIND_SORT_RELEVANCE, &enquire, errmsg);
    if (status == VIND_OK && bm25)
        status = vind_xapian_enquire_set_bm25(enquire, bm25->k1, bm25->k2, bm25->k3, bm25->b,
                                              bm25->min_normlen, errmsg);
    uint64_t total = 0;
    int exact = 0;
    /* check_at_least 0: the matcher may skip documents that cannot reach the
     * top limit on weight bounds, so the cost follows limit, not the number
     * of matches (an OR of many words matches most of a site). */
    if (status == VIND_OK)
        status = fetch(searcher, enquire, 0, limit, 0, matches, n_matches, &total, &exact, errmsg);
    vind_xapian_enquire_free(enquire);
    return status;
}

vind_status_t vind_searcher_count(vind_searcher_t *searcher, const vind_xapian_query_t *query,
                                  uint64_t *total, char **errmsg)
{
    *total = 0;
    vind_xapian_enquire_t *enquire = NULL;
    vind_status_t status = new_enquire(searcher, query, VIND_SORT_RELEVANCE, &enquire, errmsg);
    if (status != VIND_OK)
        return status;
    vind_xapian_mset_t *mset = NULL;
    status = vind_xapian_enquire_run(enquire, 0, 0, searcher->doc_count, &mset, errmsg);
    vind_xapian_enquire_free(enquire);
    if (status == VIND_OK)
        *total = mset->matches_estimated;
    vind_xapian_mset_free(mset);
    return status;
}

vind_status_t vind_searcher_count_pass(vind_searcher_t *searcher, const vind_xapian_query_t *query,
                                       vind_counting_t *counting, uint64_t at_most, uint64_t *total,
                                       vind_match_bounds_t *bounds, char **errmsg)
{
    *total = 0;
    searcher->runs++;
    vind_xapian_enquire_t *enquire = NULL;
    vind_status_t status = vind_xapian_enquire_new(searcher->reader, &enquire, errmsg);
    status = status == VIND_OK ? set_query_in_group(searcher, enquire, query, errmsg) : status;
    if (status == VIND_OK)
        status = vind_xapian_enquire_set_boolean(enquire, errmsg);
    if (status == VIND_OK)
        status = count_slots(enquire, counting, searcher->facets_packed, errmsg);
    vind_xapian_mset_t *mset = NULL;
    uint64_t check = at_most && at_most < searcher->doc_count ? at_most : searcher->doc_count;
    if (status == VIND_OK)
        status = vind_xapian_enquire_run(enquire, 0, 0, clamp32(check), &mset, errmsg);
    if (status == VIND_OK) {
        int filtering = 0;
        for (size_t i = 0; counting && i < counting->n; i++)
            filtering |= counting->slots[i].filtered;
        /* Exact when every document was checked (else an estimate: past
         * at_most or the time budget). */
        *total = filtering ? vind_xapian_enquire_passed(enquire) : mset->matches_estimated;
        if (bounds)
            *bounds = (vind_match_bounds_t){mset->matches_lower, mset->matches_estimated,
                                            mset->matches_upper};
    }
    vind_xapian_mset_free(mset);
    if (status == VIND_OK)
        status = take_counts(enquire, counting, errmsg);
    vind_xapian_enquire_free(enquire);
    return status;
}
