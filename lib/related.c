/*
 * related.c - related documents (include/vind/related.h): the source's most
 * distinctive words searched with BM25 find the candidates, scored as the
 * cosine of the two documents' TF-IDF vectors over their lemmas times
 * small bonuses for a shared specific theme or tag, a title pair and the
 * next entry of a numbered series (and, on request, recency), the first 10
 * reordered by a mutual-neighbour check,
 * ordered deterministically, one version of a near-duplicate text a year.
 *
 * What is read per document (URL, type, date, tags, themes from the value
 * slots; the title from the stored record) is read once per call and kept
 * in a table, so that `vind related --all` reads every document at most once
 * however often it turns up as a candidate. Its TF-IDF vector, the term
 * facts and its first neighbours hold for the index revision: they are kept
 * with the searcher (cache_t) for the calls that follow.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <jansson.h>

#include <vind/doc.h>
#include <vind/related.h>
#include "error.h"
#include "schema.h"
#include "searcher.h"
#include "synonyms.h"

/*
 * Score = content * (1 + TAXONOMY_WEIGHT * specificity + TITLE_WEIGHT *
 * series + NEXT_WEIGHT * next entry) [* EDITION_FACTOR for another edition
 * of the source's event, when its own edition is near], where content is
 * the cosine of the source's and the candidate's TF-IDF vectors over all
 * their lemmas (1 = the same text, comparable from source to source;
 * content_matches says why not BM25), and specificity
 * that of the most specific theme or tag the two share, log(N / df) /
 * log(N): 1 for a tag on one document, 0.35 for a theme on a tenth of the
 * site, 0 for one on every document. The bonus
 * multiplies the content score, so it reorders close candidates and never
 * lifts one with nothing in common. Issue 13 replaced "content + 0.3 x the
 * share of the source's themes": for a source with one broad theme (a
 * yearly series, "Vereniging") that added 0.3 to every article of the theme,
 * more than the content score of most good matches (median about 0.12), and
 * a blind-judged set ranked it below a plain TF-IDF "more like this"
 * (docs/relevance.md has the figures and how the weights were chosen).
 * series is the specificity of a pair of title words the two share (below),
 * next entry 1 for the next or previous entry of a numbered series
 * (next_entries).
 */
/* 0.25 since session 6, beside the title pairs: 0 / 0.15 / 0.25 / 0.5 / 1.0
 * gave tuned nDCG@5 0.850 / 0.861 / 0.866 / 0.854 / 0.836 (0.5 before). Over
 * the cosine content score (title pairs 2.0, parts 0.25) 0 / 0.25 / 0.5 gave
 * 0.855 / 0.852 / 0.840: kept at 0.25, within one link of 0. */
#ifndef TAXONOMY_WEIGHT /* overridable only to tune: make CFLAGS=-DTAXONOMY_WEIGHT=0 */
#define TAXONOMY_WEIGHT 0.25
#endif

/* BM25's length normalisation for candidates: full (b = 1), not the 0.3 of
 * search (docs/ranking.md). A search wants a long report that mentions the
 * words; a related link wants a text about them, and with b = 0.3 the long
 * PDFs, which hold most words of any article, crowded the lists (judged set,
 * tuned part: nDCG@5 0.808 at 0.3, 0.836 at 0.75, 0.844 at 1.0). */
#ifndef RELATED_BM25_B
#define RELATED_BM25_B 1.0
#endif

/*
 * Series and same-event links (session 6): a candidate whose title shares a
 * pair of adjacent title words with the source's that few titles have
 * ("Fronteers 2011", "ALV 2016", "data workshops", "Fronteers Boekenclub")
 * is the next entry of a series, the report of a meeting announced or
 * another post on the same event: score x (1 + TITLE_WEIGHT x its
 * specificity). A content match of the same size does not say "the same
 * congress": the 2010 congress posts shared more words with "Fronteers
 * 2011: welke spreker" than the 2011 ones. Like the taxonomy bonus it
 * multiplies the content score, so it never lifts a candidate with nothing
 * in common. docs/relevance.md has the judged figures.
 */
/* 2.0 since the cosine content score (session 6, i13-rel2): 0.5 / 1.0 / 2.0
 * gave tuned nDCG@5 0.832 / 0.837 / 0.846 (with compound parts at 0.25:
 * 0.846 at 1.0, 0.852 at 2.0); 1.0 was best over the BM25 content score. */
#ifndef TITLE_WEIGHT /* overridable only to tune: make CFLAGS=-DTITLE_WEIGHT=0 */
#define TITLE_WEIGHT 2.0
#endif
/* A pair in this many titles or more says little ("bijeenkomst bij" on
 * hundreds of meetups): its query stops there and the pair is ignored. */
#define TITLE_PAIR_CAP 30u
/* Pairs tried per source: a title has a handful; a PDF's file-name title can
 * have dozens of words and each pair costs a query. */
#define TITLE_PAIRS_MAX 12u
/* The next and the previous entry of a numbered series (next_entries):
 * score x (1 + NEXT_WEIGHT). On the 165 sources judged before session 8
 * (docs/relevance.md, all judgements), with whole-word title pairs: first
 * link graded 2 for 67 sources at 0, 70 at 0.5, 71 at 1.0 (nDCG@5 0.843 /
 * 0.846 / 0.847); main had 66. */
#ifndef NEXT_WEIGHT /* overridable only to tune: make CFLAGS=-DNEXT_WEIGHT=0 */
#define NEXT_WEIGHT 1.0
#endif
/* How far the previous entry's last number may follow its word:
 * "Webrichtlijn 44, 45, 46 &amp; 47" has 47 five positions after it. */
#define NEXT_WINDOW 6u
/* Phrase queries per source: two per numbered run of its title. */
#define NEXT_QUERIES 4u

/* A compound's parts (P terms) in a document's vector, at this share of a
 * word's weight and as the same component as the word: "bewonersavond"
 * counts a little towards "bewoner". Tuned nDCG@5 0 / 0.25 / 0.5: 0.837 /
 * 0.846 / 0.844 (docs/relevance.md). The query leaves them out (0 beat 0.1
 * there in session 5). */
#ifndef PART_WEIGHT /* overridable only to tune: make CFLAGS=-DPART_WEIGHT=0 */
#define PART_WEIGHT 0.25
#endif

/*
 * Mutual neighbours (session 7): each of the first MUTUAL_CANDIDATES
 * candidates by score is asked for its own list (the same scoring, from its
 * side), and one that has the source at rank r of its first MUTUAL_DEPTH
 * gets score x (1 + MUTUAL_WEIGHT / r). A document close to the source and
 * to little else (the announcement of the meeting reported, the other half
 * of one discussion) has the source near the top of its own list; a generic
 * one (another year's entry of a series, a broad essay, a long report) is
 * close to many documents and has the source further down or not at all.
 * On the 125 sources of the judged set (docs/relevance.md, all judgements):
 * first link graded 2 for 51 -> 55 sources, nDCG@5 0.815 -> 0.836; weight
 * 0.2 / 0.25 / 0.35 / 0.5 gave 54 / 54 / 55 / 53 first links, checking only
 * the first 5 gave 55 and nDCG@5 0.823, the first 20 the same as 10.
 */
#ifndef MUTUAL_WEIGHT /* overridable only to tune: make CFLAGS=-DMUTUAL_WEIGHT=0 */
#define MUTUAL_WEIGHT 0.35
#endif
#define MUTUAL_CANDIDATES 10u
#define MUTUAL_DEPTH 10u

/* Scores are rounded to this many decimals before ties are broken by URL:
 * float noise in the last bits must not reorder two equal documents. */
#define SCORE_SCALE 10000.0

/* Every prefix in lib/schema.h is a capital: excluding capitals leaves the
 * unprefixed body words ("toegankelijk", "congres"). */
#define CAPITALS "ABCDEFGHIJKLMNOPQRSTUVWXYZ"

/* A sparse TF-IDF vector: ids (run_t.term_ids) ascending. */
typedef struct {
    size_t n;
    uint32_t *ids;
    float *weights; /* (1 + log wdf) * log(N / df) of each */
    double norm;    /* length of the whole vector */
    int english;    /* the document's language term is Len */
} vector_t;

/* The years of one title kept (doc_t.title_years): more is never seen. */
#define TITLE_YEARS_MAX 8u

/* What the scoring needs of one document. */
typedef struct {
    char *url;
    char *type;
    char *date;        /* "YYYY-MM-DD" or NULL */
    char *group;       /* its group of near-duplicates (VIND_SLOT_GROUP), NULL when it has none */
    long day;          /* Julian day of date, -1 when undated */
    GPtrArray *keys;   /* facet terms of its tags and themes ("Kwcag", "XTHEMEcongres"), sorted */
    GHashTable *names; /* facet term -> display form */
    int has_record;    /* title, parent and attachments read from the stored record */
    char *title;
    char *parent;
    GPtrArray *attachments; /* urls (g_free) */
    const vector_t *body;   /* its TF-IDF vector (cache_t.vectors), read on first use */
    int years_read;         /* title_years filled (doc_title_years) */
    size_t n_years;
    char title_years[TITLE_YEARS_MAX][5]; /* the years its title names ("2011") */
} doc_t;

/* One call (or one --all run): the searcher, the options and the table. */
typedef struct {
    vind_searcher_t *searcher;
    vind_related_options_t opts;
    GHashTable *docs;        /* GUINT_TO_POINTER(docid) -> doc_t* */
    GHashTable *specific;    /* facet term -> double* (log(N / df) / log(N)) */
    struct cache *cache;     /* the searcher's (cache_t), borrowed */
    GHashTable *pending;     /* --all: docid -> pending_t*, NULL in a single call */
    long newest_day;         /* newest date in the index (recency), -1 unknown */
    /* cosine's source side: spread's weights at their term ids, 0 at every
     * other id below dense_size. Keyed by the vector's address, which holds
     * within a run: the cache frees vectors only between calls. */
    const vector_t *spread;
    float *dense;
    size_t dense_size;
} run_t;

/* A document's first candidates by score, before the mutual check. */
typedef struct {
    size_t n;
    uint32_t docids[MUTUAL_DEPTH];
} neighbours_t;

/*
 * What holds for one revision of the index, kept with the searcher
 * (vind_searcher.related_cache) so that the next call does not work it out
 * again: /api/related starts a run per request, and a run used to read
 * ~200 candidates' term lists (a vector each) every time. Emptied when the
 * searcher's revision, document count or database differs from the one it
 * was filled for (a reopen that saw a change), or when its vectors pass
 * kept_bytes() at the end of a call (it is then refilled by the calls that
 * follow).
 */
typedef struct cache {
    vind_revision_mark_t mark; /* the index it holds for */
    size_t bytes;            /* of the vectors */
    GHashTable *term_ids;    /* body term -> GUINT_TO_POINTER(id + 1), of every vector read */
    GHashTable *frequencies; /* term -> GUINT_TO_POINTER(its document frequency + 1) */
    GHashTable *vector_terms; /* term as listed (a part with its P) -> vector_term_t */
    GHashTable *vectors;     /* GUINT_TO_POINTER(docid) -> vector_t* */
    GPtrArray *id_terms;     /* id -> body term (term_ids' keys, borrowed) */
    GHashTable *dutch_of;    /* English stem -> GPtrArray of Dutch terms; NULL until needed */
    GHashTable *views;       /* docid of an English document -> its Dutch view (vector_t*) */
    GHashTable *english_df;  /* body term -> GUINT_TO_POINTER(English documents with it + 1); NULL until needed */
    uint32_t n_english;      /* English documents (Len) */
    char *scored_with;       /* the options the neighbours were scored with (options_key) */
    GHashTable *neighbours;  /* docid -> neighbours_t*: its first MUTUAL_DEPTH candidates */
} cache_t;

/* The bytes of vectors a searcher keeps between calls: its read cache's
 * budget (vind_searcher_set_cache_size; vind-searchd --read-cache-size,
 * 16 MB by default, ~12,500 average pages at 8 bytes a vector term), so
 * that a worker's memory has one bound; 0 keeps nothing. Within one call
 * (`--all` is one) the cache holds what the call reads. */
static size_t kept_bytes(const vind_searcher_t *searcher)
{
    return searcher->cache_bytes;
}

typedef struct {
    uint32_t docid;
    double score;
    doc_t *doc;
    GPtrArray *shared; /* display forms, borrowed */
} scored_t;

/* `--all`: an article's sorted candidates, scored when it was a neighbour
 * of an earlier source (the mutual check), kept until its own turn as a
 * source so that they are not scored twice; at most PENDING_MAX at once
 * (~100 bytes a candidate), the rest are scored again. */
typedef struct {
    scored_t *scored;
    size_t n;
} pending_t;
#define PENDING_MAX 1024u

struct vind_related_list {
    vind_related_item_t source;
    vind_related_item_t *items;
    size_t n_items;
    vind_related_item_t *attachments;
    size_t n_attachments;
    GPtrArray *owned; /* every string and array the items point to (free) */
};

static const char *const NO_STRINGS[] = {NULL};

/* ------------------------------------------------------------------ */
/* Options                                                             */

void vind_related_options_init(vind_related_options_t *opts)
{
    if (!opts)
        return;
    *opts = (vind_related_options_t){.limit = VIND_RELATED_DEFAULT_LIMIT,
                                     .type = NULL,
                                     .prefer_recent = 0.0,
                                     .half_life_days = VIND_RELATED_DEFAULT_HALF_LIFE_DAYS,
                                     .min_score = VIND_RELATED_DEFAULT_MIN_SCORE};
}

static int known_type(const char *type)
{
    return strcmp(type, "article") == 0 || strcmp(type, "pdf") == 0 || strcmp(type, "page") == 0 ||
           strcmp(type, "any") == 0;
}

static vind_status_t check_options(const vind_related_options_t *given,
                                   vind_related_options_t *opts, char **errmsg)
{
    vind_related_options_init(opts);
    if (given)
        *opts = *given;
    if (opts->limit == 0)
        opts->limit = VIND_RELATED_DEFAULT_LIMIT;
    if (opts->half_life_days == 0)
        opts->half_life_days = VIND_RELATED_DEFAULT_HALF_LIFE_DAYS;
    if (opts->limit > VIND_RELATED_MAX_LIMIT)
        return vind_error(errmsg, VIND_INVALID_ARGUMENT,
                          "related documents: a limit of %zu is above the maximum of %u",
                          opts->limit, VIND_RELATED_MAX_LIMIT);
    if (opts->type && !known_type(opts->type))
        return vind_error(errmsg, VIND_INVALID_ARGUMENT,
                          "related documents: unknown type '%s' (article, pdf, page or any)",
                          opts->type);
    if (!(opts->prefer_recent >= 0.0 && opts->prefer_recent <= 1.0))
        return vind_error(errmsg, VIND_INVALID_ARGUMENT,
                          "related documents: prefer_recent %g is outside 0..1",
                          opts->prefer_recent);
    if (!(opts->min_score >= 0.0))
        return vind_error(errmsg, VIND_INVALID_ARGUMENT,
                          "related documents: min_score %g is negative", opts->min_score);
    return VIND_OK;
}

/* ------------------------------------------------------------------ */
/* The document table                                                  */

static void doc_free(gpointer data)
{
    doc_t *doc = data;
    if (!doc)
        return;
    free(doc->url);
    free(doc->type);
    free(doc->group);
    g_free(doc->date);
    if (doc->keys)
        g_ptr_array_free(doc->keys, TRUE);
    if (doc->names)
        g_hash_table_destroy(doc->names);
    g_free(doc->title);
    g_free(doc->parent);
    if (doc->attachments)
        g_ptr_array_free(doc->attachments, TRUE);
    g_free(doc);
}

static void vector_free(gpointer data)
{
    vector_t *vector = data;
    if (!vector)
        return;
    g_free(vector->ids);
    g_free(vector->weights);
    g_free(vector);
}

static void cache_free(void *data)
{
    cache_t *cache = data;
    if (!cache)
        return;
    g_hash_table_destroy(cache->term_ids);
    g_hash_table_destroy(cache->frequencies);
    g_hash_table_destroy(cache->vector_terms);
    g_hash_table_destroy(cache->vectors);
    g_hash_table_destroy(cache->views);
    g_ptr_array_free(cache->id_terms, TRUE);
    if (cache->dutch_of)
        g_hash_table_destroy(cache->dutch_of);
    if (cache->english_df)
        g_hash_table_destroy(cache->english_df);
    g_hash_table_destroy(cache->neighbours);
    g_free(cache->scored_with);
    g_free(cache);
}

static cache_t *cache_new(const vind_searcher_t *searcher)
{
    cache_t *cache = g_new0(cache_t, 1);
    vind_revision_mark(searcher, &cache->mark);
    cache->term_ids = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    cache->frequencies = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    cache->vector_terms = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    cache->vectors = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, vector_free);
    cache->views = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, vector_free);
    cache->id_terms = g_ptr_array_new();
    cache->neighbours = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
    return cache;
}

/* What the neighbours depend on besides the index: the types and recency. */
static char *options_key(const vind_related_options_t *opts)
{
    return g_strdup_printf("%s|%.17g|%u", opts->type ? opts->type : "", opts->prefer_recent,
                           (unsigned)opts->half_life_days);
}

/* The searcher's cache, made or emptied when it does not hold for the
 * searcher's index as it is now (or has grown past kept_bytes()); its
 * neighbours emptied when they were scored with other options. */
static cache_t *cache_of(vind_searcher_t *searcher, const vind_related_options_t *opts)
{
    cache_t *cache = searcher->related_cache;
    if (cache && (!vind_revision_current(searcher, &cache->mark) ||
                  cache->bytes > kept_bytes(searcher))) {
        cache_free(cache);
        cache = NULL;
    }
    if (!cache) {
        cache = cache_new(searcher);
        searcher->related_cache = cache;
        searcher->related_cache_free = cache_free;
    }
    char *key = options_key(opts);
    if (!cache->scored_with || strcmp(cache->scored_with, key) != 0) {
        g_hash_table_remove_all(cache->neighbours);
        g_free(cache->scored_with);
        cache->scored_with = key;
    } else {
        g_free(key);
    }
    return cache;
}

static void run_clear(run_t *run)
{
    if (run->docs)
        g_hash_table_destroy(run->docs);
    if (run->specific)
        g_hash_table_destroy(run->specific);
    if (run->pending)
        g_hash_table_destroy(run->pending);
    g_free(run->dense);
    vind_searcher_t *searcher = run->searcher;
    if (searcher && searcher->related_cache &&
        ((cache_t *)searcher->related_cache)->bytes > kept_bytes(searcher)) {
        cache_free(searcher->related_cache); /* past the bound between calls */
        searcher->related_cache = NULL;
    }
    memset(run, 0, sizeof *run);
}

size_t vind_related_cache_bytes(const vind_searcher_t *searcher)
{
    const cache_t *cache = searcher ? searcher->related_cache : NULL;
    return cache ? cache->bytes : 0;
}

static vind_status_t run_init(run_t *run, vind_searcher_t *searcher,
                              const vind_related_options_t *opts, char **errmsg)
{
    memset(run, 0, sizeof *run);
    if (!searcher)
        return vind_error(errmsg, VIND_INVALID_ARGUMENT, "related documents: no searcher");
    vind_status_t status = check_options(opts, &run->opts, errmsg);
    if (status != VIND_OK)
        return status;
    run->searcher = searcher;
    run->newest_day = -1;
    run->docs = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, doc_free);
    run->specific = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    run->cache = cache_of(searcher, &run->opts);
    return VIND_OK;
}

/* "20211028" -> its Julian day; -1 when it is not a valid date. */
static long day_of(const char *compact)
{
    if (!compact || strlen(compact) != 8)
        return -1;
    for (int i = 0; i < 8; i++)
        if (!g_ascii_isdigit(compact[i]))
            return -1;
    int year = atoi((char[]){compact[0], compact[1], compact[2], compact[3], 0});
    int month = atoi((char[]){compact[4], compact[5], 0});
    int day = atoi((char[]){compact[6], compact[7], 0});
    if (!g_date_valid_dmy((GDateDay)day, (GDateMonth)month, (GDateYear)year))
        return -1;
    GDate date;
    g_date_clear(&date, 1);
    g_date_set_dmy(&date, (GDateDay)day, (GDateMonth)month, (GDateYear)year);
    return (long)g_date_get_julian(&date);
}

/* Adds the facet terms of a 0x1F-joined list of display forms. */
static vind_status_t add_keys(doc_t *doc, const char *prefix, const char *joined, char **errmsg)
{
    if (!joined || !*joined)
        return VIND_OK;
    gchar **values = g_strsplit(joined, (char[]){VIND_VALUE_SEPARATOR, 0}, -1);
    vind_status_t status = VIND_OK;
    for (gchar **v = values; *v && status == VIND_OK; v++) {
        if (**v == '\0')
            continue;
        char *term = vind_facet_term(prefix, *v);
        if (!term) {
            status = vind_error(errmsg, VIND_NOMEM, "out of memory reading tags of %s", doc->url);
            break;
        }
        if (strlen(term) == strlen(prefix) || g_hash_table_contains(doc->names, term)) {
            free(term); /* a value that normalises to nothing, or a repeat */
            continue;
        }
        char *key = g_strdup(term);
        free(term);
        g_ptr_array_add(doc->keys, key);
        g_hash_table_insert(doc->names, key, g_strdup(*v));
    }
    g_strfreev(values);
    return status;
}

static int compare_strings(gconstpointer a, gconstpointer b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Reads the value slots of docid into a new doc_t. */
static vind_status_t doc_read(run_t *run, uint32_t docid, doc_t **out, char **errmsg)
{
    vind_xapian_reader_t *reader = run->searcher->reader;
    doc_t *doc = g_new0(doc_t, 1);
    doc->day = -1;
    doc->keys = g_ptr_array_new(); /* keys are owned by names */
    doc->names = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    char *date = NULL, *tags = NULL, *themes = NULL;
    vind_status_t status =
        vind_xapian_reader_get_value(reader, docid, VIND_SLOT_URL, &doc->url, NULL, errmsg);
    if (status == VIND_OK)
        status =
            vind_xapian_reader_get_value(reader, docid, VIND_SLOT_TYPE, &doc->type, NULL, errmsg);
    if (status == VIND_OK)
        status = vind_xapian_reader_get_value(reader, docid, VIND_SLOT_DATE, &date, NULL, errmsg);
    if (status == VIND_OK)
        status = vind_xapian_reader_get_value(reader, docid, VIND_SLOT_TAGS, &tags, NULL, errmsg);
    if (status == VIND_OK)
        status =
            vind_xapian_reader_get_value(reader, docid, VIND_SLOT_THEMES, &themes, NULL, errmsg);
    if (status == VIND_OK)
        status =
            vind_xapian_reader_get_value(reader, docid, VIND_SLOT_GROUP, &doc->group, NULL, errmsg);
    if (status == VIND_OK && doc->group && !*doc->group) {
        free(doc->group); /* "": no near-duplicate */
        doc->group = NULL;
    }
    if (status == VIND_OK)
        status = add_keys(doc, VIND_PREFIX_TAG, tags, errmsg);
    if (status == VIND_OK)
        status = add_keys(doc, VIND_PREFIX_THEME, themes, errmsg);
    if (status == VIND_OK) {
        doc->day = day_of(date);
        if (doc->day >= 0)
            doc->date = g_strdup_printf("%.4s-%.2s-%.2s", date, date + 4, date + 6);
        g_ptr_array_sort(doc->keys, compare_strings);
    }
    free(date);
    free(tags);
    free(themes);
    if (status != VIND_OK) {
        doc_free(doc);
        return status;
    }
    *out = doc;
    return VIND_OK;
}

/* The table's entry for docid, read on first use. */
static vind_status_t doc_get(run_t *run, uint32_t docid, doc_t **out, char **errmsg)
{
    *out = g_hash_table_lookup(run->docs, GUINT_TO_POINTER(docid));
    if (*out)
        return VIND_OK;
    vind_status_t status = doc_read(run, docid, out, errmsg);
    if (status == VIND_OK)
        g_hash_table_insert(run->docs, GUINT_TO_POINTER(docid), *out);
    return status;
}

/* Title, parent and attachments from the stored record (read on first use:
 * a PDF's record holds all its text, so only documents shown are read). */
static vind_status_t doc_record(run_t *run, uint32_t docid, doc_t *doc, char **errmsg)
{
    if (doc->has_record)
        return VIND_OK;
    json_t *record = NULL;
    vind_status_t status = vind_searcher_stored(run->searcher, docid, &record, errmsg);
    if (status != VIND_OK)
        return status;
    const char *title = json_string_value(json_object_get(record, "title"));
    const char *parent = json_string_value(json_object_get(record, "parent"));
    doc->title = title && *title ? g_strdup(title) : NULL;
    doc->parent = parent && *parent ? g_strdup(parent) : NULL;
    doc->attachments = g_ptr_array_new_with_free_func(g_free);
    size_t index;
    json_t *value;
    json_array_foreach(json_object_get(record, "attachments"), index, value)
    {
        if (json_is_string(value) && *json_string_value(value))
            g_ptr_array_add(doc->attachments, g_strdup(json_string_value(value)));
    }
    g_ptr_array_sort(doc->attachments, compare_strings);
    json_decref(record);
    doc->has_record = 1;
    return VIND_OK;
}

/* How specific a theme or tag is: log(N / df) / log(N), 0..1. A theme on a
 * tenth of the site ("Congres") says little (0.35), a tag on three articles
 * ("WCAG") much (0.83). */
static vind_status_t specificity(run_t *run, const char *key, double *out, char **errmsg)
{
    double *known = g_hash_table_lookup(run->specific, key);
    if (known) {
        *out = *known;
        return VIND_OK;
    }
    uint32_t frequency = 0;
    vind_status_t status =
        vind_xapian_reader_term_frequency(run->searcher->reader, key, &frequency, errmsg);
    if (status != VIND_OK)
        return status;
    double n = (double)run->searcher->doc_count;
    double *value = g_new(double, 1);
    *value = n > 1.0 ? log(n / (frequency ? frequency : 1)) / log(n) : 0.0;
    *value = *value < 0.0 ? 0.0 : *value > 1.0 ? 1.0 : *value;
    g_hash_table_insert(run->specific, g_strdup(key), value);
    *out = *value;
    return VIND_OK;
}

/* The newest date in the index, once: recency is relative to it, never to
 * the clock, so that a site rebuilt tomorrow gets the same links. */
static vind_status_t newest_day(run_t *run, char **errmsg)
{
    if (run->newest_day >= 0)
        return VIND_OK;
    vind_xapian_values_t *dates = NULL;
    vind_status_t status =
        vind_xapian_reader_values(run->searcher->reader, VIND_SLOT_DATE, &dates, errmsg);
    if (status != VIND_OK)
        return status;
    for (size_t i = 0; i < dates->count; i++) {
        long day = day_of(dates->items[i].value);
        if (day > run->newest_day)
            run->newest_day = day;
    }
    vind_xapian_values_free(dates);
    return VIND_OK;
}

/* ------------------------------------------------------------------ */
/* Queries                                                             */

static vind_xapian_query_t *term_query(const char *prefix, const char *value)
{
    char *term = strcmp(prefix, VIND_PREFIX_UNIQUE) == 0 ? vind_unique_term(value)
                                                         : vind_facet_term(prefix, value);
    vind_xapian_query_t *query = term ? vind_xapian_query_term(term, 1, 0) : NULL;
    free(term);
    return query;
}

/* The source's query: the OR of its distinctive terms, each weighted by its
 * TF-IDF weight relative to the best: its most characteristic words count
 * most. */
static vind_xapian_query_t *terms_query(const vind_xapian_terms_t *terms)
{
    vind_xapian_query_t **children = g_new0(vind_xapian_query_t *, terms->count);
    double best = terms->items[0].weight > 0 ? terms->items[0].weight : 1.0;
    for (size_t i = 0; i < terms->count; i++) {
        double factor = terms->items[i].weight > 0 ? terms->items[i].weight / best : 0.0;
        vind_xapian_query_t *term = vind_xapian_query_term(terms->items[i].term, 1, 0);
        children[i] = term ? vind_xapian_query_scale_weight(term, factor) : NULL;
    }
    vind_xapian_query_t *query =
        vind_xapian_query_compound(VIND_XAPIAN_OP_OR, children, terms->count);
    g_free(children);
    return query;
}

/* The types a candidate may have: NULL for "any". */
static vind_xapian_query_t *type_filter(const char *type)
{
    if (type && strcmp(type, "any") == 0)
        return NULL;
    if (type)
        return term_query(VIND_PREFIX_TYPE, type);
    vind_xapian_query_t *children[2] = {term_query(VIND_PREFIX_TYPE, "article"),
                                        term_query(VIND_PREFIX_TYPE, "pdf")};
    return vind_xapian_query_compound(VIND_XAPIAN_OP_OR, children, 2);
}

/* What may never be related to the source: itself, its parent article, its
 * attachments (by the list it stores and by their XPARENT term). */
static vind_xapian_query_t *excluded(const doc_t *source)
{
    GPtrArray *children = g_ptr_array_new();
    g_ptr_array_add(children, term_query(VIND_PREFIX_UNIQUE, source->url));
    g_ptr_array_add(children, term_query(VIND_PREFIX_PARENT, source->url));
    if (source->parent)
        g_ptr_array_add(children, term_query(VIND_PREFIX_UNIQUE, source->parent));
    for (guint i = 0; i < source->attachments->len; i++)
        g_ptr_array_add(children,
                        term_query(VIND_PREFIX_UNIQUE, g_ptr_array_index(source->attachments, i)));
    vind_xapian_query_t *query = vind_xapian_query_compound(
        VIND_XAPIAN_OP_OR, (vind_xapian_query_t *const *)children->pdata, children->len);
    g_ptr_array_free(children, TRUE);
    return query;
}

/* query (consumed) restricted to what may be related to source: the types
 * asked for, not the source, its parent or its attachments. */
static vind_xapian_query_t *candidates_only(const run_t *run, const doc_t *source,
                                            vind_xapian_query_t *query)
{
    vind_xapian_query_t *types = type_filter(run->opts.type);
    if (types)
        query = vind_xapian_query_compound(VIND_XAPIAN_OP_FILTER,
                                           (vind_xapian_query_t *[]){query, types}, 2);
    return vind_xapian_query_compound(VIND_XAPIAN_OP_AND_NOT,
                                      (vind_xapian_query_t *[]){query, excluded(source)}, 2);
}

/* Runs query (consumed) for its first limit matches (lib/searcher.c). */
static vind_status_t run_query(run_t *run, vind_xapian_query_t *query, uint32_t limit,
                               vind_match_t **matches, size_t *n, char **errmsg)
{
    *matches = NULL;
    *n = 0;
    if (!query)
        return vind_error(errmsg, VIND_NOMEM, "out of memory building a related-documents query");
    vind_bm25_t bm25 = run->searcher->bm25;
    bm25.b = RELATED_BM25_B;
    vind_status_t status =
        vind_searcher_top(run->searcher, query, &bm25, limit, matches, n, errmsg);
    vind_xapian_query_free(query);
    return status;
}

/* ------------------------------------------------------------------ */
/* Scoring                                                             */

/* The specificity of the most specific theme or tag doc shares with the
 * source (0 when none); fills shared with the display forms of all shared. */
static vind_status_t taxonomy(run_t *run, const doc_t *source, const doc_t *doc, double *best,
                              GPtrArray *shared, char **errmsg)
{
    *best = 0.0;
    for (guint i = 0; i < source->keys->len; i++) {
        const char *key = g_ptr_array_index(source->keys, i);
        if (!g_hash_table_contains(doc->names, key))
            continue;
        double weight = 0.0;
        vind_status_t status = specificity(run, key, &weight, errmsg);
        if (status != VIND_OK)
            return status;
        if (weight > *best)
            *best = weight;
        g_ptr_array_add(shared, g_hash_table_lookup(doc->names, key));
    }
    return VIND_OK;
}

static double recency(const run_t *run, const doc_t *doc)
{
    double r = run->opts.prefer_recent;
    if (r <= 0.0)
        return 1.0;
    if (doc->day < 0 || run->newest_day < 0)
        return 1.0 - r; /* undated: as if very old */
    double age = (double)(run->newest_day - doc->day);
    return (1.0 - r) + r * exp2(-age / (double)run->opts.half_life_days);
}

static int compare_scored(const void *a, const void *b)
{
    const scored_t *x = a, *y = b;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    return strcmp(x->doc->url ? x->doc->url : "", y->doc->url ? y->doc->url : "");
}

static void scored_clear(scored_t *scored, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (scored[i].shared)
            g_ptr_array_free(scored[i].shared, TRUE);
    g_free(scored);
}

/* Whether a term says what a text is about: not a stop word (a
 * short article's "je", "heeft", "bij" weigh as much as its topic in a
 * small index; both lists, for the English posts on a Dutch site), not a
 * number (the "2021", "03", "04" of every page's date line). */
static int topical(const run_t *run, const char *term)
{
    if (term[strspn(term, "0123456789")] == '\0')
        return 0;
    const vind_lexicon_t *lexicon = run->searcher->lexicon;
    return !vind_is_stopword(lexicon, term, VIND_LANG_NL) &&
           !vind_is_stopword(lexicon, term, VIND_LANG_EN);
}

/* A title word that is a year: four digits ("2011" in "Fronteers 2011"). */
static int is_year(const char *word)
{
    return strlen(word) == 4 && word[strspn(word, "0123456789")] == '\0';
}

/* A word of the source's title that can make a series pair: not a stop
 * word, at least two letters; of numbers only a year ("2011" in "Fronteers
 * 2011"), never a day of the month (two meetups "op 23 oktober" are not one
 * series). */
static int pair_word(const run_t *run, const char *word)
{
    size_t length = strlen(word);
    if (length < 2)
        return 0;
    if (word[strspn(word, "0123456789")] == '\0')
        return is_year(word);
    const vind_lexicon_t *lexicon = run->searcher->lexicon;
    return !vind_is_stopword(lexicon, word, VIND_LANG_NL) &&
           !vind_is_stopword(lexicon, word, VIND_LANG_EN);
}

typedef struct {
    uint32_t position;
    char *term; /* borrowed from the term list */
} placed_t;

static int compare_placed(const void *a, const void *b)
{
    const placed_t *x = a, *y = b;
    if (x->position != y->position)
        return x->position < y->position ? -1 : 1;
    return strcmp(x->term, y->term);
}

/* The source's title words (VIND_PREFIX_TITLE terms), one per position, in
 * title order. Where a compound's parts share its position ("ledenuitje":
 * "ledenui", "lid", "ui"), only the word itself, the longest, is kept: a
 * part makes no series ("Verslag actieve ledenuitje 2010" and "Meld je aan
 * voor de Algemene Ledenvergadering 2010" share the pair "lid 2010" through
 * their parts, and nothing else). Cost: one position-list read per title
 * term. */
static vind_status_t placed_title(run_t *run, uint32_t docid, const vind_xapian_terms_t *terms,
                                  GArray *placed, char **errmsg)
{
    for (size_t i = 0; i < terms->count; i++) {
        char *term = terms->items[i].term;
        uint32_t *positions = NULL;
        size_t count = 0;
        vind_status_t status = vind_xapian_reader_positions(run->searcher->reader, docid, term, 8,
                                                            &positions, &count, errmsg);
        if (status != VIND_OK)
            return status;
        for (size_t k = 0; k < count; k++)
            g_array_append_val(placed, ((placed_t){positions[k], term}));
        free(positions);
    }
    g_array_sort(placed, compare_placed);
    guint kept = 0;
    for (guint i = 0; i < placed->len; i++) {
        placed_t *at = &g_array_index(placed, placed_t, i);
        placed_t *last = kept ? &g_array_index(placed, placed_t, kept - 1) : NULL;
        if (last && last->position == at->position) {
            if (strlen(at->term) > strlen(last->term))
                *last = *at;
            continue;
        }
        g_array_index(placed, placed_t, kept++) = *at;
    }
    g_array_set_size(placed, kept);
    return VIND_OK;
}

/* The documents (of the types asked for, not the source's own) whose title
 * has the phrase "a b", at most TITLE_PAIR_CAP. */
static vind_status_t pair_matches(run_t *run, const doc_t *source, const char *a, const char *b,
                                  vind_match_t **matches, size_t *n, char **errmsg)
{
    vind_xapian_query_t *words[2] = {vind_xapian_query_term(a, 1, 1),
                                     vind_xapian_query_term(b, 1, 2)};
    vind_xapian_query_t *query =
        candidates_only(run, source, vind_xapian_query_phrase(words, 2, 2));
    return run_query(run, query, TITLE_PAIR_CAP, matches, n, errmsg);
}

/* Records spec as the series specificity of each match (the best of its pairs). */
static void note_series(GHashTable *series, const vind_match_t *matches, size_t n, double spec)
{
    for (size_t i = 0; i < n; i++) {
        gpointer key = GUINT_TO_POINTER(matches[i].docid);
        double *known = g_hash_table_lookup(series, key);
        if (!known) {
            known = g_new0(double, 1);
            g_hash_table_insert(series, key, known);
        }
        if (spec > *known)
            *known = spec;
    }
}

/* A number of a numbered series in a title: digits, or digits with dots
 * ("83", "1.3"), the last part at most 3 digits; never a year (4 digits:
 * "Fronteers 2011" makes a series pair above, and 2012 is another edition,
 * not the next entry). Sets *last to the last part's value and *stem to the
 * length before it ("1." of "1.3"). */
static int series_number(const char *word, long *last, size_t *stem)
{
    if (!g_ascii_isdigit(word[0]) || word[strspn(word, "0123456789.")] != '\0')
        return 0;
    if (is_year(word))
        return 0;
    const char *dot = strrchr(word, '.');
    const char *tail = dot ? dot + 1 : word;
    if (*tail == '\0' || strlen(tail) > 3)
        return 0;
    *last = strtol(tail, NULL, 10);
    *stem = (size_t)(tail - word);
    return 1;
}

/* Between the numbers of one entry: "t/m", "&amp;", "en" ("Webrichtlijn 59
 * t/m 62", "22, 23 &amp; 24", "84 en 85"). */
static int number_joiner(const run_t *run, const char *word)
{
    return strlen(word) <= 3 || vind_is_stopword(run->searcher->lexicon, word, VIND_LANG_NL);
}

/* Marks in next the candidates whose title has word followed by number
 * (the source's) with its last part moved by step: the next entry's first
 * number right after the word ("webrichtlijn 84" for "Webrichtlijn 83"),
 * the previous entry's last number within NEXT_WINDOW positions of it
 * ("Webrichtlijn 19, 20 &amp; 21" for "Webrichtlijn 22, 23 &amp; 24"). */
static vind_status_t neighbour_entry(run_t *run, const doc_t *source, const char *word,
                                     const char *number, long step, GHashTable *next,
                                     char **errmsg)
{
    long last = 0;
    size_t stem = 0, prefix = strlen(VIND_PREFIX_TITLE);
    series_number(number + prefix, &last, &stem);
    if (last + step < 0)
        return VIND_OK;
    char *term = g_strdup_printf("%.*s%ld", (int)(prefix + stem), number, last + step);
    vind_xapian_query_t *words[2] = {vind_xapian_query_term(word, 1, 1),
                                     vind_xapian_query_term(term, 1, 2)};
    g_free(term);
    vind_xapian_query_t *query =
        candidates_only(run, source, vind_xapian_query_phrase(words, 2, step > 0 ? 2 : NEXT_WINDOW));
    vind_match_t *matches = NULL;
    size_t n = 0;
    vind_status_t status = run_query(run, query, TITLE_PAIR_CAP, &matches, &n,
                                     errmsg);
    if (status == VIND_OK && n < TITLE_PAIR_CAP)
        note_series(next, matches, n, 1.0);
    free(matches);
    return status;
}

/*
 * The next and the previous entry of a numbered series (session 8): a title
 * word followed by a number that is not a year ("Webrichtlijn 83",
 * "Boekenclub 4", "Richtlijn 1.2"), possibly a run of them ("Webrichtlijn
 * 22, 23 &amp; 24"); a candidate whose title has the same word followed by
 * the number before the first or after the last ("Webrichtlijn 19, 20
 * &amp; 21", "Webrichtlijn 25 &amp; 26") is the entry a reader of the series
 * reads next, where the series pair above cannot tell it from the other
 * forty entries (a number is not a pair word) and content often prefers an
 * entry further away. Marks them in next (docid -> double*). Cost: two
 * phrase queries over the title terms per numbered run of the title (most
 * titles have none), at most NEXT_QUERIES.
 */
static vind_status_t next_entries(run_t *run, const doc_t *source, const GArray *placed,
                                  GHashTable *next, char **errmsg)
{
    size_t prefix = strlen(VIND_PREFIX_TITLE), queries = 0;
    long last = 0;
    size_t stem = 0;
    vind_status_t status = VIND_OK;
    for (guint i = 0; status == VIND_OK && i + 1 < placed->len && queries < NEXT_QUERIES; i++) {
        const placed_t *word = &g_array_index(placed, placed_t, i);
        const placed_t *first = &g_array_index(placed, placed_t, i + 1);
        const char *w = word->term + prefix;
        if (first->position != word->position + 1 || w[strspn(w, "0123456789.")] == '\0' ||
            !pair_word(run, w) || !series_number(first->term + prefix, &last, &stem))
            continue;
        guint end = i + 1; /* the run's last number */
        for (guint j = i + 2; j < placed->len; j++) {
            const placed_t *at = &g_array_index(placed, placed_t, j);
            if (at->position != g_array_index(placed, placed_t, j - 1).position + 1)
                break;
            if (series_number(at->term + prefix, &last, &stem))
                end = j;
            else if (!number_joiner(run, at->term + prefix))
                break;
        }
        status = neighbour_entry(run, source, word->term, first->term, -1, next, errmsg);
        if (status == VIND_OK)
            status = neighbour_entry(run, source, word->term,
                                     g_array_index(placed, placed_t, end).term, +1, next, errmsg);
        queries += 2;
        i = end;
    }
    return status;
}

/* The years a title names ("2010" of "Algemene Ledenvergadering 2010"), at
 * most YEARS_MAX, as title terms. */
#define YEARS_MAX 4u
typedef struct {
    size_t n;
    const char *terms[YEARS_MAX]; /* borrowed */
} years_t;

static int names_year(const years_t *years, const char *term)
{
    for (size_t i = 0; i < years->n; i++)
        if (strcmp(years->terms[i], term) == 0)
            return 1;
    return 0;
}

/* Whether years names the year digits ("2011"). */
static int names_year_digits(const years_t *years, const char *digits)
{
    size_t prefix = strlen(VIND_PREFIX_TITLE);
    for (size_t i = 0; i < years->n; i++)
        if (strcmp(years->terms[i] + prefix, digits) == 0)
            return 1;
    return 0;
}

/* Fills doc->title_years from docid's title terms, once per run: a source
 * whose title names a year asks it of up to 200 candidates, and most
 * documents are a candidate of many sources. Cost: one title term-list read
 * per document. */
static vind_status_t doc_title_years(run_t *run, uint32_t docid, doc_t *doc, char **errmsg)
{
    if (doc->years_read)
        return VIND_OK;
    vind_xapian_terms_t *terms = NULL;
    vind_status_t status = vind_xapian_reader_document_wdfs(run->searcher->reader, docid,
                                                            VIND_PREFIX_TITLE, &terms, errmsg);
    if (status != VIND_OK)
        return status;
    size_t prefix = strlen(VIND_PREFIX_TITLE);
    for (size_t i = 0; i < terms->count && doc->n_years < TITLE_YEARS_MAX; i++)
        if (is_year(terms->items[i].term + prefix))
            g_strlcpy(doc->title_years[doc->n_years++], terms->items[i].term + prefix, 5);
    vind_xapian_terms_free(terms);
    doc->years_read = 1;
    return VIND_OK;
}

/* A candidate's edition, against the years the source's title names. */
typedef enum {
    EDITION_UNKNOWN,    /* its title names no year and it has no date */
    EDITION_SAME,       /* its title names one of them, or names none and its date is in one */
    EDITION_OTHER,      /* its title names years, none of them */
    EDITION_OTHER_DATE, /* its title names no year and its date is in another */
} edition_t;

/*
 * Which edition docid is of (session 9): another edition of the source's
 * event when its title names a year, or else its date is in a year, and
 * none of the years the source's title names. A series pair it shares with the source
 * ("bestuursleden gezocht" of "ALV 2015: 3 december - bestuursleden
 * gezocht" under "ALV 2016: ma 28 november - bestuursleden gezocht") then
 * says "the same kind of event", which the taxonomy already says, not "the
 * same event": it lifted last year's call over this year's sign-up ("Meld
 * je nu aan voor de ALV 2016", the pair "ALV 2016"). Cost: a table
 * lookup once the candidate's title years are read (doc_title_years).
 */
static vind_status_t edition_of(run_t *run, const years_t *years, uint32_t docid, edition_t *out,
                                char **errmsg)
{
    *out = EDITION_UNKNOWN;
    doc_t *doc = NULL;
    vind_status_t status = doc_get(run, docid, &doc, errmsg);
    if (status == VIND_OK)
        status = doc_title_years(run, docid, doc, errmsg);
    if (status != VIND_OK)
        return status;
    int same = 0;
    for (size_t i = 0; i < doc->n_years; i++)
        same |= names_year_digits(years, doc->title_years[i]);
    if (doc->n_years > 0) {
        *out = same ? EDITION_SAME : EDITION_OTHER;
    } else if (doc->date) {
        char digits[5];
        g_snprintf(digits, sizeof digits, "%.4s", doc->date);
        *out = names_year_digits(years, digits) ? EDITION_SAME : EDITION_OTHER_DATE;
    }
    return VIND_OK;
}

/*
 * Another edition of the source's event scores x EDITION_FACTOR (session
 * 10), beside losing its series bonus (session 9). Dropping the bonus was
 * not enough where the editions' texts are alike ("Meld je aan voor de
 * Algemene Ledenvergadering 2011" under "... 2010") or share no title pair
 * ("Fronteers 2013 kaartverkoop start op 25 april" under "Start kaartverkoop
 * Fronteers 2014"): last year's post stayed first above this year's. On
 * the 245 judged sources of session 10 (docs/relevance.md) x 0.75 put 109
 * first links on-subject against 105, nDCG@5 0.8574 -> 0.8576, at the cost
 * of 6 more unrelated links and of yearly series whose other editions a
 * reader wants too (the advent calendar).
 */
#ifndef EDITION_FACTOR /* overridable only to tune: make CFLAGS=-DEDITION_FACTOR=1 */
#define EDITION_FACTOR 0.75
#endif
/*
 * ... and only when the source's own edition is near: a candidate of it
 * (EDITION_SAME) among the first EDITION_NEAR by score before the factor
 * (session 11). The factor is there to put this year's post above last
 * year's; where no post of this year is close, it only let unrelated posts
 * pass the other editions, which a reader of a yearly series wants ("Schrijf
 * mee aan de Fronteers Adventskalender 2022!" lost "Adventskalender 2011",
 * "Congresvideo's 2015 nu beschikbaar ..." the 2012 congress). On the 285
 * judged sources (docs/relevance.md): nDCG@5 0.8607 -> 0.8626, unrelated
 * links 253 -> 251, first links graded 2 127 both; the first 5 / 10 / 20
 * gave 0.8623 / 0.8626 / 0.8621, a post of this year's sharing a title pair
 * (not only naming or dated in the year) 0.8618 and two first links fewer.
 */
#ifndef EDITION_NEAR /* overridable only to tune: make CFLAGS=-DEDITION_NEAR=1000 */
#define EDITION_NEAR 10u
#endif

/*
 * When the source's title names a year: drops from series the candidates of
 * another edition (edition_of, its date standing in for a title without
 * a year) and adds them to editions, with every other candidate whose title
 * names only other years, and adds to own the candidates of the source's
 * own edition. Cost, for such a source only: a look at each candidate's
 * title years (at most 200; doc_title_years reads them once).
 */
static vind_status_t other_editions(run_t *run, const GArray *placed, GHashTable *series,
                                    const vind_match_t *matches, size_t n_matches,
                                    GHashTable *editions, GHashTable *own, char **errmsg)
{
    years_t years = {0};
    size_t prefix = strlen(VIND_PREFIX_TITLE);
    for (guint i = 0; i < placed->len && years.n < YEARS_MAX; i++) {
        const char *term = g_array_index(placed, placed_t, i).term;
        if (is_year(term + prefix) && !names_year(&years, term))
            years.terms[years.n++] = term;
    }
    if (years.n == 0)
        return VIND_OK;
    GHashTableIter iter;
    gpointer key;
    g_hash_table_iter_init(&iter, series);
    vind_status_t status = VIND_OK;
    while (status == VIND_OK && g_hash_table_iter_next(&iter, &key, NULL)) {
        edition_t edition = EDITION_UNKNOWN;
        status = edition_of(run, &years, GPOINTER_TO_UINT(key), &edition, errmsg);
        if (status == VIND_OK && (edition == EDITION_OTHER || edition == EDITION_OTHER_DATE)) {
            g_hash_table_add(editions, key);
            g_hash_table_iter_remove(&iter);
        }
    }
    for (size_t i = 0; status == VIND_OK && EDITION_FACTOR != 1.0 && i < n_matches; i++) {
        gpointer docid = GUINT_TO_POINTER(matches[i].docid);
        edition_t edition = EDITION_UNKNOWN;
        if (!g_hash_table_contains(editions, docid))
            status = edition_of(run, &years, matches[i].docid, &edition, errmsg);
        if (status == VIND_OK && edition == EDITION_OTHER) /* its date alone does not count here */
            g_hash_table_add(editions, docid);
        else if (status == VIND_OK && edition == EDITION_SAME)
            g_hash_table_add(own, docid);
    }
    return status;
}

/*
 * Fills series (docid -> double*) with the candidates that share a specific
 * pair of adjacent title words with the source, each with the specificity
 * of its best pair, log(N / df) / log(N) over the titles that have it (the
 * source included), editions and own (sets of docids) with the candidates
 * (matches) of another edition of the source's event and of its own
 * (other_editions).
 * Cost: at most TITLE_PAIRS_MAX phrase queries over the title terms, each
 * stopping at TITLE_PAIR_CAP matches.
 */
static vind_status_t series_of(run_t *run, uint32_t docid, const doc_t *source, GHashTable *series,
                               GHashTable *next, const vind_match_t *matches, size_t n_matches,
                               GHashTable *editions, GHashTable *own, char **errmsg)
{
    vind_xapian_terms_t *terms = NULL;
    vind_status_t status = vind_xapian_reader_document_terms(run->searcher->reader, docid,
                                                             VIND_PREFIX_TITLE, &terms, errmsg);
    if (status != VIND_OK)
        return status;
    GArray *placed = g_array_new(FALSE, FALSE, sizeof(placed_t));
    status = placed_title(run, docid, terms, placed, errmsg);
    double n_docs = (double)run->searcher->doc_count;
    size_t prefix = strlen(VIND_PREFIX_TITLE), tried = 0;
    for (guint i = 0; status == VIND_OK && i + 1 < placed->len && tried < TITLE_PAIRS_MAX; i++) {
        const placed_t *a = &g_array_index(placed, placed_t, i);
        const placed_t *b = &g_array_index(placed, placed_t, i + 1);
        if (b->position != a->position + 1 || !pair_word(run, a->term + prefix) ||
            !pair_word(run, b->term + prefix))
            continue;
        vind_match_t *matches = NULL;
        size_t n = 0;
        status = pair_matches(run, source, a->term, b->term, &matches, &n, errmsg);
        tried++;
        if (status == VIND_OK && n > 0 && n < TITLE_PAIR_CAP && n_docs > 1.0)
            note_series(series, matches, n, log(n_docs / (double)(n + 1)) / log(n_docs));
        free(matches);
    }
    if (status == VIND_OK)
        status = other_editions(run, placed, series, matches, n_matches, editions, own, errmsg);
    if (status == VIND_OK && NEXT_WEIGHT > 0.0)
        status = next_entries(run, source, placed, next, errmsg);
    g_array_free(placed, TRUE);
    vind_xapian_terms_free(terms);
    return status;
}

/* A word's weight in a TF-IDF vector, in source_terms' query as in the
 * vectors and the judged set's baseline: (1 + log wdf) * log(N / df), for a
 * word that says something of the subject (vector_term: no prefixed term,
 * stop word or number). */
static double tfidf_weight(uint32_t wdf, uint32_t frequency, double documents)
{
    return (1.0 + log((double)wdf)) * log(documents / (double)frequency);
}

/* The id of a body term, the same for every document of the run: vectors
 * are compared as sorted arrays of small integers, not of strings. */
static uint32_t term_id(run_t *run, const char *term)
{
    gpointer known = g_hash_table_lookup(run->cache->term_ids, term);
    if (known)
        return GPOINTER_TO_UINT(known) - 1u;
    uint32_t id = g_hash_table_size(run->cache->term_ids);
    char *kept = g_strdup(term);
    g_hash_table_insert(run->cache->term_ids, kept, GUINT_TO_POINTER(id + 1u));
    g_ptr_array_add(run->cache->id_terms, kept);
    return id;
}

/* The number of documents with term, looked up once per run: a lookup is a
 * block read in the posting-list table, and the candidates of a source
 * share most of their words (one `vind related --url` on the shared corpus:
 * ~10,000 distinct terms among ~90,000 of its candidates' term lists). */
static vind_status_t frequency(run_t *run, const char *term, uint32_t *out, char **errmsg)
{
    gpointer known = g_hash_table_lookup(run->cache->frequencies, term);
    if (known) {
        *out = GPOINTER_TO_UINT(known) - 1u;
        return VIND_OK;
    }
    vind_status_t status =
        vind_xapian_reader_term_frequency(run->searcher->reader, term, out, errmsg);
    if (status == VIND_OK)
        g_hash_table_insert(run->cache->frequencies, g_strdup(term), GUINT_TO_POINTER(*out + 1u));
    return status;
}

typedef struct {
    uint32_t id;
    float weight;
} component_t;

/* What a term of a term list is to a vector, worked out once per run:
 * whether it counts (a word or a compound part, not a prefixed term, a stop
 * word or a number), its id and its document frequency. */
typedef struct {
    int counts;
    int part;           /* a compound part: it counts for its word, at PART_WEIGHT */
    uint32_t id;        /* of the word (term_id) */
    uint32_t frequency; /* documents with the term as listed */
} vector_term_t;

/* The vector facts of a listed term. Cost: one hash look-up once the term
 * was met in the run (~90,000 listed terms per `vind related --url`, ~10,000
 * distinct), where each term used to cost two stop-word look-ups twice, a
 * frequency and an id look-up. */
static vind_status_t vector_term(run_t *run, const char *listed, const vector_term_t **out,
                                 char **errmsg)
{
    *out = g_hash_table_lookup(run->cache->vector_terms, listed);
    if (*out)
        return VIND_OK;
    vector_term_t *facts = g_new0(vector_term_t, 1);
    facts->part = listed[0] == 'P' && listed[1] && !strchr(CAPITALS, listed[1]);
    const char *word = facts->part ? listed + 1 : listed;
    facts->counts = !(facts->part && !(PART_WEIGHT > 0.0)) && !strchr(CAPITALS, word[0]) &&
                    topical(run, word);
    vind_status_t status = VIND_OK;
    if (facts->counts) {
        status = frequency(run, listed, &facts->frequency, errmsg);
        facts->id = term_id(run, word);
    }
    if (status != VIND_OK) {
        g_free(facts);
        return status;
    }
    g_hash_table_insert(run->cache->vector_terms, g_strdup(listed), facts);
    *out = facts;
    return VIND_OK;
}

/*
 * Sorts parts[0..n) by id, stably (a compound part and its word, which share
 * an id, keep the term list's order, so their weights are summed in the same
 * order as ever). An LSD radix sort over the id's bytes, one pass per byte
 * the largest id needs (2-3 for a site's ids), through scratch of n
 * components. Cost: linear in n; glibc's qsort (a merge sort calling the
 * comparison through a pointer) took 40% of the instructions of a one-off
 * `vind related --url` (~90,000 components over 200 candidates).
 */
static void sort_components(component_t *parts, component_t *scratch, size_t n)
{
    uint32_t largest = 0;
    for (size_t i = 0; i < n; i++)
        largest = parts[i].id > largest ? parts[i].id : largest;
    component_t *from = parts, *to = scratch;
    for (unsigned shift = 0; shift < 32 && (largest >> shift) != 0; shift += 8) {
        size_t start[257] = {0};
        for (size_t i = 0; i < n; i++)
            start[((from[i].id >> shift) & 0xffu) + 1]++;
        for (size_t b = 1; b <= 256; b++)
            start[b] += start[b - 1];
        for (size_t i = 0; i < n; i++)
            to[start[(from[i].id >> shift) & 0xffu]++] = from[i];
        component_t *swap = from;
        from = to;
        to = swap;
    }
    if (from != parts)
        memcpy(parts, from, n * sizeof *parts);
}

/* doc_vector's walk over a term list: the components so far. */
typedef struct {
    run_t *run;
    GArray *parts; /* component_t */
    double documents;
    int english; /* its language term Len was met */
    vind_status_t status;
    char **errmsg;
} vector_walk_t;

/* A term of the list into its component, if it counts (vind_xapian_term_fn). */
static int add_component(const char *term, uint32_t wdf, void *context)
{
    vector_walk_t *walk = context;
    if (term[0] == VIND_PREFIX_LANG[0] && strcmp(term + 1, "en") == 0)
        walk->english = 1;
    /* A prefixed term other than a compound part (E exact forms, S title
     * words, Q, XTYPE, ...) never counts: skipping it before the hash
     * look-up halves the look-ups of a term-list walk. */
    if (strchr(CAPITALS, term[0]) && term[0] != 'P')
        return 0;
    const vector_term_t *facts = NULL;
    walk->status = vector_term(walk->run, term, &facts, walk->errmsg);
    if (walk->status != VIND_OK)
        return 1;
    if (!facts->counts || wdf == 0 || facts->frequency == 0)
        return 0;
    /* its checks made once in facts */
    double weight = tfidf_weight(wdf, facts->frequency, walk->documents);
    weight = facts->part ? PART_WEIGHT * weight : weight;
    if (weight > 0.0) {
        component_t part = {facts->id, (float)weight};
        g_array_append_val(walk->parts, part);
    }
    return 0;
}

/* components (freed) as a vector: sorted by id, a compound part and the
 * word itself summed into one component. */
static void vector_make(GArray *components, vector_t *out)
{
    size_t n = components->len;
    component_t *parts = (component_t *)(void *)g_array_free(components, FALSE);
    if (n > 1) { /* an empty GArray's data may be NULL */
        component_t *scratch = g_new(component_t, n);
        sort_components(parts, scratch, n);
        g_free(scratch);
    }
    size_t kept = 0;
    for (size_t i = 0; i < n; i++) {
        if (kept > 0 && parts[kept - 1].id == parts[i].id)
            parts[kept - 1].weight += parts[i].weight;
        else
            parts[kept++] = parts[i];
    }
    double sum = 0.0;
    out->ids = g_new(uint32_t, kept ? kept : 1);
    out->weights = g_new(float, kept ? kept : 1);
    for (size_t i = 0; i < kept; i++) {
        out->ids[i] = parts[i].id;
        out->weights[i] = parts[i].weight;
        sum += (double)parts[i].weight * (double)parts[i].weight;
    }
    g_free(parts);
    out->n = kept;
    out->norm = sqrt(sum);
}

/*
 * doc's TF-IDF vector over ALL its body terms (read once per run and kept in
 * the document table). The terms are the analyzer's lemmas, so "bewoner" and
 * "bewoners", "vond" and "gevonden" are one component, which a vector of raw
 * words cannot do. Terms only doc has stay in: they match nothing but make
 * the vector longer, so a text whose words are mostly its own is close to
 * nothing. Cost: one term-list walk of doc without copying it or its term
 * frequencies, a hash look-up per term (vector_term; a frequency lookup per
 * topical term not seen before in the run), 8 bytes a term kept.
 */
static vind_status_t doc_vector(run_t *run, uint32_t docid, doc_t *doc, char **errmsg)
{
    if (doc->body)
        return VIND_OK;
    doc->body = g_hash_table_lookup(run->cache->vectors, GUINT_TO_POINTER(docid));
    if (doc->body)
        return VIND_OK;
    vector_walk_t walk = {run, g_array_new(FALSE, FALSE, sizeof(component_t)),
                          (double)run->searcher->doc_count, 0, VIND_OK, errmsg};
    vind_status_t status = vind_xapian_reader_each_wdf(run->searcher->reader, docid,
                                                       add_component, &walk, errmsg);
    if (status == VIND_OK)
        status = walk.status;
    if (status != VIND_OK) {
        g_array_free(walk.parts, TRUE);
        return status;
    }
    vector_t *vector = g_new0(vector_t, 1);
    vector_make(walk.parts, vector);
    vector->english = walk.english;
    run->cache->bytes += sizeof *vector + vector->n * (sizeof *vector->ids + sizeof *vector->weights);
    g_hash_table_insert(run->cache->vectors, GUINT_TO_POINTER(docid), vector);
    doc->body = vector;
    return VIND_OK;
}

/* One past the largest term id of vector (its ids ascend). */
static size_t id_bound(const vector_t *vector)
{
    return vector->n ? (size_t)vector->ids[vector->n - 1] + 1 : 0;
}

/* Makes run->dense hold a's weights at their ids, 0 at every other id below
 * size. Cost: once per source (its vector's length, and the last source's
 * to clear), the array grown to the run's largest id (4 bytes an id). */
static void spread(run_t *run, const vector_t *a, size_t size)
{
    if (size > run->dense_size) {
        size_t grown = size > 2 * run->dense_size ? size : 2 * run->dense_size;
        run->dense = g_renew(float, run->dense, grown);
        memset(run->dense + run->dense_size, 0, (grown - run->dense_size) * sizeof *run->dense);
        run->dense_size = grown;
    }
    if (run->spread == a)
        return;
    for (size_t i = 0; run->spread && i < run->spread->n; i++)
        run->dense[run->spread->ids[i]] = 0.0f;
    for (size_t i = 0; i < a->n; i++)
        run->dense[a->ids[i]] = a->weights[i];
    run->spread = a;
}

/* The cosine of two vectors (0..1), a the source's side. Cost: one pass over
 * b's components, each a look-up of a's weight at its id in run->dense
 * (spread). Until session 16 a merge of the two sorted id arrays, whose
 * unpredictable branches were a fifth of the instructions of `vind related
 * --all`; the products are the same and summed in the same order (by id,
 * a 0 product adding nothing), so the scores are the same to the bit. */
static double cosine(run_t *run, const vector_t *a, const vector_t *b)
{
    if (a->norm <= 0.0 || b->norm <= 0.0)
        return 0.0;
    size_t bound = id_bound(b);
    spread(run, a, id_bound(a) > bound ? id_bound(a) : bound);
    const float *dense = run->dense;
    double dot = 0.0;
    for (size_t j = 0; j < b->n; j++)
        dot += (double)dense[b->ids[j]] * (double)b->weights[j];
    return dot / (a->norm * b->norm);
}

/*
 * Across languages (session 15, issue 13): an English page's terms are
 * English lemmas (docs/analyzer.md), so it shares few terms with its Dutch
 * neighbours and a Dutch page did not find it. The nl-en dictionary the
 * query planner uses (docs/synonyms.md, "Translations") is read the other
 * way once per index revision (English stem -> the Dutch terms it
 * translates), and an English document is compared with any other through
 * its Dutch view:
 *   - an English term with translations in the index becomes them: each
 *     weighed as that Dutch word at the same wdf (its own idf), times the
 *     square root of its share of the translations' document frequencies
 *     (the senses the site's Dutch texts use get the weight, a stray sense
 *     of the dictionary little; the shares sum to 1);
 *   - a term without one (a name, jargon: "wordpress", "css") stays;
 *   - every term's weight is first scaled by how specific it is among the
 *     English documents, (log(E / e) / log(E))^0.5 for e of the E English
 *     documents: on a Dutch site every English word is rare, so "going",
 *     "lot" and "look" (and their translations) weighed as a subject and
 *     the English pages were each other's first links whatever their
 *     subject (docs/relevance.md has the figures; ^1 cut too many links
 *     below min_score).
 * Two Dutch documents compare as before.
 */
/* Candidates a source's translated query adds to its own query's: English
 * pages for a Dutch source, Dutch pages for an English one. */
#define TRANSLATED_CANDIDATES 50u
/* The power of the English specificity (above): 1 halved the English
 * sources' scores and left 3 of the 5 English articles nobody judged with
 * fewer than 5 links; 0.5 kept them. */
#define ENGLISH_SPECIFICITY_POWER 0.5

/* Adds a translation line to the English -> Dutch table (vind_translation_fn). */
static int note_translation(const char *term, const char *stems, size_t count, void *context)
{
    (void)count;
    GHashTable *dutch_of = context;
    for (const char *stem = stems; *stem; stem += strlen(stem) + 1) {
        GPtrArray *terms = g_hash_table_lookup(dutch_of, stem);
        if (!terms) {
            terms = g_ptr_array_new_with_free_func(g_free);
            g_hash_table_insert(dutch_of, g_strdup(stem), terms);
        }
        g_ptr_array_add(terms, g_strdup(term));
    }
    return 0;
}

static void ptr_array_free(gpointer array)
{
    g_ptr_array_free(array, TRUE);
}

/* The Dutch terms an English stem translates (NULL: none), the table read
 * from the dictionary on first use. Cost: once per index revision, one pass
 * over the dictionary (~18,000 lines, ~50,000 small strings, ~1.5 MB). */
static const GPtrArray *dutch_terms(run_t *run, const char *stem)
{
    cache_t *cache = run->cache;
    if (!cache->dutch_of) {
        cache->dutch_of = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, ptr_array_free);
        vind_synonyms_each_translation(run->searcher->synonyms, note_translation, cache->dutch_of);
    }
    return g_hash_table_lookup(cache->dutch_of, stem);
}

/* Counts a body term of an English document (vind_xapian_term_fn). */
static int count_english(const char *term, uint32_t wdf, void *context)
{
    (void)wdf;
    if (strchr(CAPITALS, term[0]))
        return 0;
    GHashTable *counts = context;
    guint count = GPOINTER_TO_UINT(g_hash_table_lookup(counts, term));
    g_hash_table_replace(counts, g_strdup(term), GUINT_TO_POINTER(count ? count + 1u : 2u));
    return 0;
}

/* How many English documents have term (*out), and how many there are
 * (*english): counted once per index revision over the English documents'
 * term lists. Cost: one term-list walk per English document (24 of the
 * shared corpus's ~1,100), once. */
static vind_status_t english_frequency(run_t *run, const char *term, uint32_t *out,
                                       uint32_t *english, char **errmsg)
{
    cache_t *cache = run->cache;
    vind_status_t status = VIND_OK;
    if (!cache->english_df) {
        cache->english_df = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
        vind_match_t *matches = NULL;
        size_t n = 0;
        status = run_query(run, vind_xapian_query_term(VIND_PREFIX_LANG "en", 1, 0),
                           run->searcher->doc_count, &matches, &n, errmsg);
        for (size_t i = 0; i < n && status == VIND_OK; i++)
            status = vind_xapian_reader_each_wdf(run->searcher->reader, matches[i].docid,
                                                 count_english, cache->english_df, errmsg);
        cache->n_english = (uint32_t)n;
        free(matches);
        if (status != VIND_OK) { /* a partial count is not kept: the next call walks again */
            g_hash_table_destroy(cache->english_df);
            cache->english_df = NULL;
            return status;
        }
    }
    *english = cache->n_english;
    *out = GPOINTER_TO_UINT(g_hash_table_lookup(cache->english_df, term));
    *out = *out ? *out - 1u : 0u;
    return status;
}

/* An English document's term weight scaled by the term's specificity
 * among the English documents (see above). */
static vind_status_t english_specific(run_t *run, const char *term, double *weight, char **errmsg)
{
    uint32_t english_df = 0, english = 0;
    vind_status_t status = english_frequency(run, term, &english_df, &english, errmsg);
    if (status == VIND_OK && english > 1 && english_df > 0)
        *weight *= pow(log((double)english / (double)english_df) / log((double)english),
                       ENGLISH_SPECIFICITY_POWER);
    return status;
}

/* log(N / df) of a body term, 0 when no document has it. */
static vind_status_t idf(run_t *run, const char *term, double *out, char **errmsg)
{
    uint32_t df = 0;
    vind_status_t status = frequency(run, term, &df, errmsg);
    double n = (double)run->searcher->doc_count;
    *out = status == VIND_OK && df > 0 ? log(n / (double)df) : 0.0;
    return status;
}

/* Appends the translations of an English term (weight, its idf own_idf)
 * found in the index to parts, each at the square root of its share of
 * their document frequencies; *added how many. */
static vind_status_t translations_of(run_t *run, const GPtrArray *dutch, double weight,
                                     double own_idf, GArray *parts, size_t *added, char **errmsg)
{
    uint32_t dfs[64];
    size_t n = dutch->len < G_N_ELEMENTS(dfs) ? dutch->len : G_N_ELEMENTS(dfs);
    double total = 0.0;
    vind_status_t status = VIND_OK;
    for (size_t i = 0; i < n && status == VIND_OK; i++) {
        dfs[i] = 0;
        if (topical(run, g_ptr_array_index(dutch, i)))
            status = frequency(run, g_ptr_array_index(dutch, i), &dfs[i], errmsg);
        total += dfs[i];
    }
    double documents = (double)run->searcher->doc_count;
    *added = 0;
    for (size_t i = 0; i < n && status == VIND_OK; i++) {
        if (dfs[i] == 0 || dfs[i] >= documents)
            continue;
        double share = weight * sqrt(dfs[i] / total) * log(documents / dfs[i]) / own_idf;
        component_t part = {term_id(run, g_ptr_array_index(dutch, i)), (float)share};
        g_array_append_val(parts, part);
        ++*added;
    }
    return status;
}

/* Appends the Dutch view's components of one English term id of weight to
 * parts (see above). */
static vind_status_t view_components(run_t *run, uint32_t id, float weight, GArray *parts,
                                     char **errmsg)
{
    const char *term = g_ptr_array_index(run->cache->id_terms, id);
    const GPtrArray *dutch = dutch_terms(run, term);
    double own_idf = 0.0, scaled = weight;
    size_t added = 0;
    vind_status_t status = english_specific(run, term, &scaled, errmsg);
    if (status == VIND_OK && dutch)
        status = idf(run, term, &own_idf, errmsg);
    if (status == VIND_OK && dutch && own_idf > 0.0)
        status = translations_of(run, dutch, scaled, own_idf, parts, &added, errmsg);
    if (status == VIND_OK && added == 0 && scaled > 0.0) {
        component_t own = {id, (float)scaled};
        g_array_append_val(parts, own);
    }
    return status;
}

/* The Dutch view of the English document docid (vector english), made once
 * per index revision and kept with the vectors. Cost: a hash look-up per
 * term, a frequency look-up per translation not met before. */
static vind_status_t dutch_view(run_t *run, uint32_t docid, const vector_t *english,
                                const vector_t **out, char **errmsg)
{
    *out = g_hash_table_lookup(run->cache->views, GUINT_TO_POINTER(docid));
    if (*out)
        return VIND_OK;
    GArray *parts = g_array_new(FALSE, FALSE, sizeof(component_t));
    vind_status_t status = VIND_OK;
    for (size_t i = 0; i < english->n && status == VIND_OK; i++)
        status = view_components(run, english->ids[i], english->weights[i], parts, errmsg);
    if (status != VIND_OK) {
        g_array_free(parts, TRUE);
        return status;
    }
    vector_t *view = g_new0(vector_t, 1);
    vector_make(parts, view);
    view->english = 1;
    run->cache->bytes += sizeof *view + view->n * (sizeof *view->ids + sizeof *view->weights);
    g_hash_table_insert(run->cache->views, GUINT_TO_POINTER(docid), view);
    *out = view;
    return VIND_OK;
}

/* The content score of documents a and b: the cosine of their vectors, an
 * English one's Dutch view in place of its own. */
static vind_status_t content_cosine(run_t *run, uint32_t a_id, const vector_t *a, uint32_t b_id,
                                    const vector_t *b, double *out, char **errmsg)
{
    vind_status_t status = VIND_OK;
    if (a->english)
        status = dutch_view(run, a_id, a, &a, errmsg);
    if (status == VIND_OK && b->english)
        status = dutch_view(run, b_id, b, &b, errmsg);
    *out = status == VIND_OK ? cosine(run, a, b) : 0.0;
    return status;
}

/* A weighted word of the source (source_terms): its id (term_id) and its
 * tfidf_weight. */
typedef struct {
    uint32_t id;
    double weight;
} query_word_t;

/* source_terms' walk over the source's term list. */
typedef struct {
    run_t *run;
    GArray *words; /* query_word_t */
    vind_status_t status;
    char **errmsg;
} query_walk_t;

/* Adds term's tfidf_weight to the walk when it is a word in two documents
 * or more, its facts (vector_term) in place of a term frequency read per
 * term. */
static int add_query_word(const char *term, uint32_t wdf, void *context)
{
    query_walk_t *walk = context;
    if (strchr(CAPITALS, term[0]))
        return 0; /* prefixed: no body word */
    const vector_term_t *facts = NULL;
    walk->status = vector_term(walk->run, term, &facts, walk->errmsg);
    if (walk->status != VIND_OK)
        return 1;
    if (!facts->counts || wdf == 0 || facts->frequency < 2)
        return 0; /* a word only the source has matches nothing */
    double weight =
        tfidf_weight(wdf, facts->frequency, (double)walk->run->searcher->doc_count);
    if (weight > 0.0) {
        query_word_t word = {facts->id, weight};
        g_array_append_val(walk->words, word);
    }
    return 0;
}

/* Best weight first, ties by the word (ids are assigned in the order met). */
static int compare_query_words(const void *a, const void *b, void *context)
{
    const query_word_t *x = a, *y = b;
    const GPtrArray *id_terms = context;
    if (x->weight != y->weight)
        return x->weight > y->weight ? -1 : 1;
    return strcmp(g_ptr_array_index(id_terms, x->id), g_ptr_array_index(id_terms, y->id));
}

/*
 * The source's most distinctive words: its unprefixed terms weighted
 * (1 + log wdf) * log(N / df), as a TF-IDF "more like this" does (a title
 * word counts five times in wdf, so title words come first), the best
 * VIND_RELATED_TERMS topical ones in at least two documents: the query that
 * finds the candidates. A word only the source has matches nothing: Xapian's
 * ESet over the relevance set {source} (before issue 13) ranks exactly those
 * words first, a name or a URL once in the text above the subject. Cost: one
 * term-list walk of the source (source->body, its vector, is made first:
 * every word's facts are then known, and the ids are assigned in the
 * vector's order) and a hash look-up per unprefixed term. Until session 16
 * it copied the term list with each term's document frequency, read from
 * the index per term: 18% of the instructions of `vind related --all`.
 */
static vind_status_t source_terms(run_t *run, uint32_t docid, doc_t *source,
                                  vind_xapian_terms_t **out, char **errmsg)
{
    *out = NULL;
    vind_status_t status = doc_vector(run, docid, source, errmsg);
    query_walk_t walk = {run, g_array_new(FALSE, FALSE, sizeof(query_word_t)), VIND_OK, errmsg};
    if (status == VIND_OK)
        status = vind_xapian_reader_each_wdf(run->searcher->reader, docid, add_query_word, &walk,
                                             errmsg);
    if (status == VIND_OK)
        status = walk.status;
    vind_xapian_terms_t *terms = status == VIND_OK ? calloc(1, sizeof *terms) : NULL;
    size_t n = status == VIND_OK && walk.words->len < VIND_RELATED_TERMS ? walk.words->len
                                                                          : VIND_RELATED_TERMS;
    if (terms && n > 0)
        terms->items = calloc(n, sizeof *terms->items);
    if (status == VIND_OK && (!terms || (n > 0 && !terms->items))) {
        free(terms);
        terms = NULL;
        status = vind_error(errmsg, VIND_NOMEM, "out of memory choosing the query of a document");
    }
    if (status == VIND_OK) {
        g_array_sort_with_data(walk.words, compare_query_words, run->cache->id_terms);
        for (; terms->count < n; terms->count++) {
            const query_word_t *word = &g_array_index(walk.words, query_word_t, terms->count);
            vind_xapian_term_t *t = &terms->items[terms->count];
            t->term = strdup(g_ptr_array_index(run->cache->id_terms, word->id));
            t->weight = word->weight;
            if (!t->term) {
                vind_xapian_terms_free(terms);
                terms = NULL;
                status = vind_error(errmsg, VIND_NOMEM, "out of memory choosing the query");
                break;
            }
        }
    }
    g_array_free(walk.words, TRUE);
    *out = terms;
    return status;
}

/* One word of the translated query: term at factor (consumed into children). */
static void add_translated_term(GPtrArray *children, const char *term, double factor)
{
    vind_xapian_query_t *query = vind_xapian_query_term(term, 1, 0);
    if (query)
        g_ptr_array_add(children, vind_xapian_query_scale_weight(query, factor));
}

/* The source's query in the other language, or NULL when none of its words
 * has a translation: for an English source the Dutch terms of its
 * distinctive words, for a Dutch source their English stems searched in
 * English documents (Len) only; each at its word's factor / sqrt(k) for k
 * translations. Cost: a hash look-up (English) or a bisection of the
 * dictionary (~15 lines, Dutch) per word of the source's query. */
static vind_xapian_query_t *translated_query(run_t *run, int english,
                                             const vind_xapian_terms_t *terms)
{
    GPtrArray *children = g_ptr_array_new();
    double best = terms->items[0].weight > 0 ? terms->items[0].weight : 1.0;
    char stems[VIND_TRANSLATION_BYTES];
    for (size_t i = 0; i < terms->count; i++) {
        double factor = terms->items[i].weight > 0 ? terms->items[i].weight / best : 0.0;
        if (english) {
            const GPtrArray *dutch = dutch_terms(run, terms->items[i].term);
            for (guint j = 0; dutch && j < dutch->len; j++)
                add_translated_term(children, g_ptr_array_index(dutch, j),
                                    factor / sqrt((double)dutch->len));
            continue;
        }
        size_t k = vind_synonyms_translations(run->searcher->synonyms, terms->items[i].term,
                                              stems, sizeof stems);
        for (const char *stem = stems; k && *stem; stem += strlen(stem) + 1)
            add_translated_term(children, stem, factor / sqrt((double)k));
    }
    vind_xapian_query_t *query =
        children->len ? vind_xapian_query_compound(VIND_XAPIAN_OP_OR,
                                                   (vind_xapian_query_t *const *)children->pdata,
                                                   children->len)
                      : NULL;
    g_ptr_array_free(children, TRUE);
    if (query && !english) {
        vind_xapian_query_t *in_english = vind_xapian_query_term(VIND_PREFIX_LANG "en", 1, 0);
        query = vind_xapian_query_compound(VIND_XAPIAN_OP_FILTER,
                                           (vind_xapian_query_t *[]){query, in_english}, 2);
    }
    return query;
}

/* Appends to matches[0..*n) the best TRANSLATED_CANDIDATES of the source's
 * translated query that are not among them yet (their order: the query's). */
static vind_status_t add_translated(run_t *run, const doc_t *source,
                                    const vind_xapian_terms_t *terms, vind_match_t **matches,
                                    size_t *n, char **errmsg)
{
    /* A Dutch source of a site with few English documents takes them all:
     * one posting list, where its translated query (~150 English stems)
     * cost 1,100 M instructions of `vind related --all` (+19%). */
    uint32_t ignored = 0, english = 0;
    vind_status_t status = source->body->english
                               ? VIND_OK
                               : english_frequency(run, "", &ignored, &english, errmsg);
    if (status != VIND_OK)
        return status;
    vind_xapian_query_t *query =
        !source->body->english && english <= TRANSLATED_CANDIDATES
            ? (english ? vind_xapian_query_term(VIND_PREFIX_LANG "en", 1, 0) : NULL)
            : translated_query(run, source->body->english, terms);
    if (!query)
        return VIND_OK;
    vind_match_t *extra = NULL;
    size_t n_extra = 0;
    status = run_query(run, candidates_only(run, source, query),
                                     TRANSLATED_CANDIDATES, &extra, &n_extra, errmsg);
    if (status != VIND_OK || n_extra == 0) {
        free(extra);
        return status;
    }
    vind_match_t *all = realloc(*matches, (*n + n_extra) * sizeof *all);
    if (!all) {
        free(extra);
        return vind_error(errmsg, VIND_NOMEM, "out of memory listing related documents");
    }
    *matches = all;
    GHashTable *seen = g_hash_table_new(g_direct_hash, g_direct_equal);
    for (size_t i = 0; i < *n; i++)
        g_hash_table_add(seen, GUINT_TO_POINTER(all[i].docid));
    for (size_t i = 0; i < n_extra; i++)
        if (g_hash_table_add(seen, GUINT_TO_POINTER(extra[i].docid)))
            all[(*n)++] = extra[i];
    g_hash_table_destroy(seen);
    free(extra);
    return VIND_OK;
}

/*
 * The candidates, each with its content score: the cosine of its TF-IDF
 * vector and the source's over all their lemmas (session 6, issue 13).
 * The candidates are the best VIND_RELATED_CANDIDATES documents for the
 * source's query (BM25, b = 1): every document with much of the source's
 * distinctive vocabulary is among them. Until session 6 the content score
 * was that BM25 weight over the source's own; but 40 query words drop the
 * long tail that makes two texts on one subject alike, and BM25 rates a
 * document's match to a query, not the likeness of two documents: on the
 * parts of the judged set nobody tuned on, a plain cosine over all words
 * did as well (docs/relevance.md). Cost: one query, then one term-list
 * read per candidate not read before in the run and one merge per candidate.
 */
static vind_status_t content_matches(run_t *run, uint32_t docid, doc_t *source,
                                     const vind_xapian_terms_t *terms, vind_match_t **matches,
                                     size_t *n, char **errmsg)
{
    *matches = NULL;
    *n = 0;
    vind_status_t status = doc_vector(run, docid, source, errmsg);
    if (status != VIND_OK)
        return status;
    vind_xapian_query_t *query = candidates_only(run, source, terms_query(terms));
    status = run_query(run, query, VIND_RELATED_CANDIDATES, matches, n, errmsg);
    if (status == VIND_OK)
        status = add_translated(run, source, terms, matches, n, errmsg);
    for (size_t i = 0; status == VIND_OK && i < *n; i++) {
        doc_t *doc = NULL;
        status = doc_get(run, (*matches)[i].docid, &doc, errmsg);
        if (status == VIND_OK)
            status = doc_vector(run, (*matches)[i].docid, doc, errmsg);
        if (status == VIND_OK)
            status = content_cosine(run, docid, source->body, (*matches)[i].docid, doc->body,
                                    &(*matches)[i].weight, errmsg);
    }
    return status;
}

/* Whether a candidate of the source's own edition (own) is among the first
 * EDITION_NEAR of scored[0..n) by score before the edition factor: fewer
 * than EDITION_NEAR score above the best of them. Cost: two passes over the
 * candidates (at most 200), a set look-up each, for every source; own is
 * empty unless the source's title names a year. */
static int own_edition_near(const scored_t *scored, size_t n, GHashTable *own)
{
    if (g_hash_table_size(own) == 0)
        return 0;
    double best = -1.0;
    for (size_t i = 0; i < n; i++)
        if (scored[i].score > best && g_hash_table_contains(own, GUINT_TO_POINTER(scored[i].docid)))
            best = scored[i].score;
    size_t above = 0;
    for (size_t i = 0; i < n; i++)
        above += scored[i].score > best;
    return best >= 0.0 && above < EDITION_NEAR;
}

/* The candidates of the source, scored and sorted (best first, ties by URL). */
static vind_status_t score_candidates(run_t *run, uint32_t docid, doc_t *source, scored_t **out,
                                      size_t *n_out, char **errmsg)
{
    *out = NULL;
    *n_out = 0;
    vind_xapian_terms_t *terms = NULL;
    vind_status_t status = source_terms(run, docid, source, &terms, errmsg);
    if (status != VIND_OK || terms->count == 0) {
        vind_xapian_terms_free(terms);
        return status;
    }
    vind_match_t *matches = NULL;
    size_t n_matches = 0;
    status = content_matches(run, docid, source, terms, &matches, &n_matches, errmsg);
    vind_xapian_terms_free(terms);
    if (status == VIND_OK && run->opts.prefer_recent > 0.0)
        status = newest_day(run, errmsg);
    if (status != VIND_OK) {
        free(matches);
        return status;
    }
    GHashTable *series = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
    GHashTable *next = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
    GHashTable *editions = g_hash_table_new(g_direct_hash, g_direct_equal);
    GHashTable *own = g_hash_table_new(g_direct_hash, g_direct_equal);
    if (status == VIND_OK && (TITLE_WEIGHT > 0.0 || NEXT_WEIGHT > 0.0))
        status =
            series_of(run, docid, source, series, next, matches, n_matches, editions, own, errmsg);
    if (status != VIND_OK) {
        g_hash_table_destroy(series);
        g_hash_table_destroy(next);
        g_hash_table_destroy(editions);
        g_hash_table_destroy(own);
        free(matches);
        return status;
    }
    scored_t *scored = g_new0(scored_t, n_matches ? n_matches : 1);
    size_t n = 0;
    for (size_t i = 0; i < n_matches && status == VIND_OK; i++) {
        scored_t *s = &scored[n];
        s->docid = matches[i].docid;
        s->shared = g_ptr_array_new();
        status = doc_get(run, s->docid, &s->doc, errmsg);
        double specific = 0.0;
        if (status == VIND_OK)
            status = taxonomy(run, source, s->doc, &specific, s->shared, errmsg);
        n++;
        if (status != VIND_OK)
            break;
        double content = matches[i].weight;
        const double *same = g_hash_table_lookup(series, GUINT_TO_POINTER(s->docid));
        double bonus = TAXONOMY_WEIGHT * specific + (same ? TITLE_WEIGHT * *same : 0.0) +
                       (g_hash_table_contains(next, GUINT_TO_POINTER(s->docid)) ? NEXT_WEIGHT : 0.0);
        s->score = content * (1.0 + bonus) * recency(run, s->doc);
    }
    int near = own_edition_near(scored, n, own);
    for (size_t i = 0; i < n; i++) {
        double score = scored[i].score;
        if (near && g_hash_table_contains(editions, GUINT_TO_POINTER(scored[i].docid)))
            score *= EDITION_FACTOR;
        scored[i].score = round(score * SCORE_SCALE) / SCORE_SCALE;
    }
    free(matches);
    g_hash_table_destroy(series);
    g_hash_table_destroy(next);
    g_hash_table_destroy(editions);
    g_hash_table_destroy(own);
    if (status != VIND_OK) {
        scored_clear(scored, n);
        return status;
    }
    qsort(scored, n, sizeof *scored, compare_scored);
    *out = scored;
    *n_out = n;
    return VIND_OK;
}

/* Keeps the first MUTUAL_DEPTH of docid's sorted candidates for the
 * mutual check (once per document and run). */
static const neighbours_t *note_neighbours(run_t *run, uint32_t docid, const scored_t *scored,
                                           size_t n)
{
    neighbours_t *top = g_hash_table_lookup(run->cache->neighbours, GUINT_TO_POINTER(docid));
    if (top)
        return top;
    top = g_new0(neighbours_t, 1);
    for (top->n = 0; top->n < n && top->n < MUTUAL_DEPTH; top->n++)
        top->docids[top->n] = scored[top->n].docid;
    g_hash_table_insert(run->cache->neighbours, GUINT_TO_POINTER(docid), top);
    return top;
}

/* docid's first candidates, scored from its side. Cost: a whole
 * score_candidates of docid the first time in the run (its query, its
 * candidates' vectors not read yet, its title pairs), a look-up after. */
static vind_status_t neighbours_of(run_t *run, uint32_t docid, const neighbours_t **out,
                                   char **errmsg)
{
    *out = g_hash_table_lookup(run->cache->neighbours, GUINT_TO_POINTER(docid));
    if (*out)
        return VIND_OK;
    doc_t *doc = NULL;
    vind_status_t status = doc_get(run, docid, &doc, errmsg);
    if (status == VIND_OK)
        status = doc_record(run, docid, doc, errmsg); /* its parent and attachments */
    scored_t *scored = NULL;
    size_t n = 0;
    if (status == VIND_OK)
        status = score_candidates(run, docid, doc, &scored, &n, errmsg);
    if (status == VIND_OK)
        *out = note_neighbours(run, docid, scored, n);
    if (status == VIND_OK && run->pending && g_hash_table_size(run->pending) < PENDING_MAX &&
        doc->type && strcmp(doc->type, "article") == 0) {
        pending_t *kept = g_new(pending_t, 1);
        *kept = (pending_t){scored, n};
        g_hash_table_insert(run->pending, GUINT_TO_POINTER(docid), kept);
        return VIND_OK;
    }
    scored_clear(scored, n);
    return status;
}

static void pending_free(gpointer data)
{
    pending_t *kept = data;
    if (kept)
        scored_clear(kept->scored, kept->n);
    g_free(kept);
}

/* The sorted candidates of docid kept by neighbours_of, if any (ownership
 * passes to the caller). */
static int take_pending(run_t *run, uint32_t docid, scored_t **scored, size_t *n)
{
    pending_t *kept = run->pending ? g_hash_table_lookup(run->pending, GUINT_TO_POINTER(docid))
                                   : NULL;
    if (!kept)
        return 0;
    g_hash_table_steal(run->pending, GUINT_TO_POINTER(docid));
    *scored = kept->scored;
    *n = kept->n;
    g_free(kept);
    return 1;
}

/* The mutual check (MUTUAL_WEIGHT above): the first MUTUAL_CANDIDATES of
 * the source's sorted candidates gain when the source is among their own
 * first MUTUAL_DEPTH; scored is sorted again. Cost: up to
 * MUTUAL_CANDIDATES more score_candidates per source not in the searcher's
 * cache yet (in `--all` an article's are kept for its own turn, pending_t:
 * `--all` on the shared corpus costs about what it cost without the check). */
static vind_status_t mutual(run_t *run, uint32_t docid, scored_t *scored, size_t n, char **errmsg)
{
    note_neighbours(run, docid, scored, n);
    if (!(MUTUAL_WEIGHT > 0.0))
        return VIND_OK;
    for (size_t i = 0; i < n && i < MUTUAL_CANDIDATES; i++) {
        const neighbours_t *top = NULL;
        vind_status_t status = neighbours_of(run, scored[i].docid, &top, errmsg);
        if (status != VIND_OK)
            return status;
        for (size_t rank = 1; rank <= top->n; rank++)
            if (top->docids[rank - 1] == docid) {
                double score = scored[i].score * (1.0 + MUTUAL_WEIGHT / (double)rank);
                scored[i].score = round(score * SCORE_SCALE) / SCORE_SCALE;
                break;
            }
    }
    if (n > 1) /* scored is NULL when there is no candidate (qsort's argument must not be) */
        qsort(scored, n, sizeof *scored, compare_scored);
    return VIND_OK;
}

/* ------------------------------------------------------------------ */
/* The list                                                            */

static const char *own(vind_related_list_t *list, const char *string)
{
    if (!string)
        return NULL;
    char *copy = strdup(string);
    if (copy)
        g_ptr_array_add(list->owned, copy);
    return copy;
}

/* Fills item from doc (title from its record); shared may be NULL. */
static vind_status_t fill_item(run_t *run, vind_related_list_t *list, vind_related_item_t *item,
                               uint32_t docid, doc_t *doc, double score, GPtrArray *shared,
                               char **errmsg)
{
    vind_status_t status = doc_record(run, docid, doc, errmsg);
    if (status != VIND_OK)
        return status;
    item->url = own(list, doc->url);
    item->title = own(list, doc->title);
    item->type = own(list, doc->type);
    item->date = own(list, doc->date);
    item->score = score;
    item->shared = (const char *const *)NO_STRINGS;
    item->n_shared = 0;
    int ok = (!doc->url || item->url) && (!doc->title || item->title) &&
             (!doc->type || item->type) && (!doc->date || item->date);
    if (ok && shared && shared->len > 0) {
        const char **names = calloc(shared->len + 1, sizeof *names);
        ok = names != NULL;
        if (ok) {
            g_ptr_array_add(list->owned, names);
            for (guint i = 0; i < shared->len; i++)
                ok &= (names[i] = own(list, g_ptr_array_index(shared, i))) != NULL;
            qsort(names, shared->len, sizeof *names, compare_strings);
            item->shared = names;
            item->n_shared = shared->len;
        }
    }
    return ok ? VIND_OK : vind_error(errmsg, VIND_NOMEM, "out of memory listing related documents");
}

static vind_related_list_t *list_new(void)
{
    vind_related_list_t *list = calloc(1, sizeof *list);
    if (list)
        list->owned = g_ptr_array_new_with_free_func(free);
    return list;
}

void vind_related_free(vind_related_list_t *list)
{
    if (!list)
        return;
    free(list->items);
    free(list->attachments);
    g_ptr_array_free(list->owned, TRUE);
    free(list);
}

/* The attachments of source that are in the index, by URL. */
static vind_status_t fill_attachments(run_t *run, vind_related_list_t *list, const doc_t *source,
                                      char **errmsg)
{
    list->attachments = calloc(source->attachments->len + 1, sizeof *list->attachments);
    if (!list->attachments)
        return vind_error(errmsg, VIND_NOMEM, "out of memory listing attachments");
    for (guint i = 0; i < source->attachments->len; i++) {
        const char *url = g_ptr_array_index(source->attachments, i);
        char *unique = vind_unique_term(url);
        if (!unique)
            return vind_error(errmsg, VIND_NOMEM, "out of memory listing attachments");
        uint32_t docid = 0;
        vind_status_t status =
            vind_xapian_reader_docid_for_term(run->searcher->reader, unique, &docid, NULL);
        free(unique);
        if (status == VIND_NOT_FOUND)
            continue; /* linked but not indexed (failed, or outside the roots) */
        if (status != VIND_OK)
            return vind_error(errmsg, status, "cannot look up the attachment %s", url);
        doc_t *doc = NULL;
        status = doc_get(run, docid, &doc, errmsg);
        vind_related_item_t *item = &list->attachments[list->n_attachments];
        if (status == VIND_OK)
            status = fill_item(run, list, item, docid, doc, 0.0, NULL, errmsg);
        if (status != VIND_OK)
            return status;
        list->n_attachments += vind_url_as_link(item->url) != NULL; /* see related_of */
    }
    return VIND_OK;
}

/*
 * Versions of one text (session 16): the indexer groups near-duplicates
 * (VIND_SLOT_GROUP, docs/schema.md), and a list shows one of a group per
 * year, the best scored. On the shared corpus four automatic audit reports
 * of one app ("WCAG 2.1 onderzoek", one title four times) filled up to four
 * of the five links of seven articles' lists, and the versions of one
 * audit (v1.0, v1.1, v2.0, ...) each other's whole lists. The same text in
 * another year is another edition of a yearly post (two years'
 * "Vooraankondiging ALV"), which the edition rules order: both stay.
 * Undated documents count as one year.
 */
static int another_version(const doc_t *a, const doc_t *b)
{
    if (!a->group || !b->group || strcmp(a->group, b->group) != 0)
        return 0;
    if (!a->date || !b->date)
        return !a->date && !b->date;
    return strncmp(a->date, b->date, 4) == 0;
}

/* Whether doc is another version (another_version) of an item listed. */
static int version_listed(const doc_t *const *listed, size_t n_listed, const doc_t *doc)
{
    for (size_t i = 0; i < n_listed; i++)
        if (another_version(listed[i], doc))
            return 1;
    return 0;
}

/* The related list of the document docid. */
static vind_status_t related_of(run_t *run, uint32_t docid, vind_related_list_t **out,
                                char **errmsg)
{
    *out = NULL;
    doc_t *source = NULL;
    vind_status_t status = doc_get(run, docid, &source, errmsg);
    if (status == VIND_OK)
        status = doc_record(run, docid, source, errmsg);
    if (status != VIND_OK)
        return status;
    vind_related_list_t *list = list_new();
    if (!list)
        return vind_error(errmsg, VIND_NOMEM, "out of memory listing related documents");
    scored_t *scored = NULL;
    size_t n = 0;
    status = fill_item(run, list, &list->source, docid, source, 0.0, NULL, errmsg);
    /* A url that is no link of the site (an index made before session 13 may
     * hold a feed's "javascript:...") is never given out: the source's is
     * withheld (NULL), a related page or attachment with one is left out. */
    list->source.url = vind_url_as_link(list->source.url);
    if (status == VIND_OK)
        status = fill_attachments(run, list, source, errmsg);
    if (status == VIND_OK && !take_pending(run, docid, &scored, &n))
        status = score_candidates(run, docid, source, &scored, &n, errmsg);
    if (status == VIND_OK)
        status = mutual(run, docid, scored, n, errmsg);
    size_t keep = 0; /* scored is sorted: the first below min_score ends the list */
    while (keep < n && scored[keep].score >= run->opts.min_score)
        keep++;
    if (status == VIND_OK) {
        list->items = calloc((keep < run->opts.limit ? keep : run->opts.limit) + 1,
                             sizeof *list->items);
        if (!list->items)
            status = vind_error(errmsg, VIND_NOMEM, "out of memory listing related documents");
    }
    const doc_t *listed[VIND_RELATED_MAX_LIMIT]; /* the documents of list->items */
    for (size_t i = 0; i < keep && list->n_items < run->opts.limit && status == VIND_OK; i++) {
        if (version_listed(listed, list->n_items, scored[i].doc))
            continue; /* another version of a text listed: the next takes its place */
        vind_related_item_t *item = &list->items[list->n_items];
        status = fill_item(run, list, item, scored[i].docid, scored[i].doc, scored[i].score,
                           scored[i].shared, errmsg);
        /* no link of the site: left out, the next takes its place */
        if (status == VIND_OK && vind_url_as_link(item->url) != NULL)
            listed[list->n_items++] = scored[i].doc;
    }
    scored_clear(scored, n);
    if (status != VIND_OK) {
        vind_related_free(list);
        return status;
    }
    *out = list;
    return VIND_OK;
}

vind_status_t vind_related(vind_searcher_t *searcher, const char *url,
                           const vind_related_options_t *opts, vind_related_list_t **out,
                           char **errmsg)
{
    if (!out)
        return vind_error(errmsg, VIND_INVALID_ARGUMENT, "vind_related: out is NULL");
    *out = NULL;
    if (!url)
        return vind_error(errmsg, VIND_INVALID_ARGUMENT, "vind_related: url is NULL");
    run_t run;
    vind_status_t status = run_init(&run, searcher, opts, errmsg);
    uint32_t docid = 0;
    if (status == VIND_OK)
        status = vind_searcher_docid_for_url(searcher, url, &docid, errmsg);
    if (status == VIND_OK)
        status = related_of(&run, docid, out, errmsg);
    run_clear(&run);
    return status;
}

const vind_related_item_t *vind_related_source(const vind_related_list_t *list)
{
    return list ? &list->source : NULL;
}

size_t vind_related_count(const vind_related_list_t *list)
{
    return list ? list->n_items : 0;
}

const vind_related_item_t *vind_related_get(const vind_related_list_t *list, size_t i)
{
    return list && i < list->n_items ? &list->items[i] : NULL;
}

size_t vind_related_attachment_count(const vind_related_list_t *list)
{
    return list ? list->n_attachments : 0;
}

const vind_related_item_t *vind_related_attachment_get(const vind_related_list_t *list, size_t i)
{
    return list && i < list->n_attachments ? &list->attachments[i] : NULL;
}

/* ------------------------------------------------------------------ */
/* JSON                                                                */

/* Scores are already rounded to 4 decimals; 10 significant digits print
 * them as written (0.4321, not 0.43209999999999998). */
#define JSON_FLAGS (JSON_SORT_KEYS | JSON_INDENT(2) | JSON_REAL_PRECISION(10))

static json_t *string_or_null(const char *value)
{
    return value ? json_string(value) : json_null();
}

static json_t *item_json(const vind_related_item_t *item, int with_score)
{
    json_t *object = json_object();
    if (!object)
        return NULL;
    int failed = json_object_set_new(object, "url", string_or_null(item->url)) ||
                 json_object_set_new(object, "title", string_or_null(item->title)) ||
                 json_object_set_new(object, "type", string_or_null(item->type)) ||
                 json_object_set_new(object, "date", string_or_null(item->date)) ||
                 (with_score && json_object_set_new(object, "score", json_real(item->score)));
    if (failed) {
        json_decref(object);
        return NULL;
    }
    return object;
}

static json_t *items_json(const vind_related_item_t *items, size_t n, int with_score)
{
    json_t *array = json_array();
    for (size_t i = 0; array && i < n; i++)
        if (json_array_append_new(array, item_json(&items[i], with_score)) != 0) {
            json_decref(array);
            return NULL;
        }
    return array;
}

/* root as text ending in a newline (a data file is a text file); takes root. */
static char *dump(json_t *root)
{
    if (!root)
        return NULL;
    char *text = vind_json_escape_controls(json_dumps(root, JSON_FLAGS));
    json_decref(root);
    if (!text)
        return NULL;
    size_t length = strlen(text);
    char *result = realloc(text, length + 2);
    if (!result) {
        free(text);
        return NULL;
    }
    memcpy(result + length, "\n", 2);
    return result;
}

char *vind_related_to_json(const vind_related_list_t *list)
{
    if (!list)
        return NULL;
    json_t *root = json_object();
    if (!root || json_object_set_new(root, "source", item_json(&list->source, 0)) != 0 ||
        json_object_set_new(root, "attachments",
                            items_json(list->attachments, list->n_attachments, 0)) != 0 ||
        json_object_set_new(root, "related", items_json(list->items, list->n_items, 1)) != 0) {
        json_decref(root);
        return NULL;
    }
    return dump(root);
}

/* "https://example.nl/actueel/x/" -> "/actueel/x/"; a path stays as it is. */
static const char *url_path(const char *url)
{
    const char *scheme = strstr(url, "://");
    if (!scheme)
        return url;
    const char *slash = strchr(scheme + 3, '/');
    return slash ? slash : "/";
}

/* The host of an http(s) URL, lower-cased ("" for a path); g_free it. */
static char *url_host(const char *url)
{
    const char *scheme = strstr(url, "://");
    if (!scheme)
        return g_strdup("");
    return g_ascii_strdown(scheme + 3, (gssize)(url_path(url) - (scheme + 3)));
}

/* related.json's keys: each article's path, as a site generator's page knows
 * its own URL ("/actueel/x/"); but when the articles' http(s) URLs have more
 * than one host (a feed of two sites), paths would collide
 * (https://a.example/x/ and https://b.example/x/ one key, one list): then
 * every key is the full URL as indexed. So too when two articles share a
 * path otherwise (session 14): "/x/" and "https://site.example/x/" (a feed
 * that gave one page twice), or http:// and https:// of one host. by_url
 * takes the lists, keyed by full URL; by_full_url: whether to keep it. */
static json_t *keyed_for_site(json_t *by_url, int by_full_url)
{
    if (by_full_url)
        return by_url;
    json_t *by_path = json_object();
    const char *url;
    json_t *related;
    json_object_foreach(by_url, url, related)
    {
        if (!by_path || json_object_set(by_path, url_path(url), related) != 0) {
            json_decref(by_path);
            by_path = NULL;
            break;
        }
    }
    json_decref(by_url);
    return by_path;
}

vind_status_t vind_related_all_json(vind_searcher_t *searcher, const vind_related_options_t *opts,
                                    char **json_out, char **errmsg)
{
    if (!json_out)
        return vind_error(errmsg, VIND_INVALID_ARGUMENT, "vind_related_all_json: json_out is NULL");
    *json_out = NULL;
    run_t run;
    vind_status_t status = run_init(&run, searcher, opts, errmsg);
    if (status == VIND_OK)
        run.pending = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, pending_free);
    vind_xapian_values_t *types = NULL;
    if (status == VIND_OK)
        status = vind_xapian_reader_values(searcher->reader, VIND_SLOT_TYPE, &types, errmsg);
    json_t *root = status == VIND_OK ? json_object() : NULL;
    if (status == VIND_OK && !root)
        status = vind_error(errmsg, VIND_NOMEM, "out of memory listing related documents");
    GHashTable *hosts = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    GHashTable *paths = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    int paths_collide = 0;
    for (size_t i = 0; status == VIND_OK && i < types->count; i++) {
        if (strcmp(types->items[i].value, "article") != 0)
            continue;
        vind_related_list_t *list = NULL;
        status = related_of(&run, types->items[i].docid, &list, errmsg);
        if (status != VIND_OK)
            break;
        /* source.url NULL: no link of the site (related_of), no key */
        if (list->source.url) {
            char *host = url_host(list->source.url);
            if (*host)
                g_hash_table_add(hosts, host);
            else
                g_free(host);
            json_t *related = items_json(list->items, list->n_items, 1);
            if (!related || json_object_set_new(root, list->source.url, related) != 0)
                status = vind_error(errmsg, VIND_NOMEM, "out of memory listing related documents");
            if (!g_hash_table_add(paths, g_strdup(url_path(list->source.url))))
                paths_collide = 1;
        }
        vind_related_free(list);
    }
    if (status == VIND_OK) {
        root = keyed_for_site(root, g_hash_table_size(hosts) > 1 || paths_collide);
        if (!root)
            status = vind_error(errmsg, VIND_NOMEM, "out of memory listing related documents");
    }
    g_hash_table_destroy(paths);
    g_hash_table_destroy(hosts);
    vind_xapian_values_free(types);
    run_clear(&run);
    if (status != VIND_OK) {
        json_decref(root);
        return status;
    }
    *json_out = dump(root);
    return *json_out ? VIND_OK
                     : vind_error(errmsg, VIND_NOMEM, "out of memory writing related documents");
}
