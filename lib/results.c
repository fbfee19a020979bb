/*
 * results.c - the results of a search: the page of hits filled from their
 * stored records (fields, snippet), the facet lists, and the accessors of
 * include/vind/search.h. The results own every string their hits point to.
 * JSON is in lib/json.c.
 */
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <jansson.h>

#include <vind/limits.h>
#include "error.h"
#include "hitrecord.h"
#include "results.h"
#include "schema.h"
#include "simhash.h"
#include "snippet.h"

static const char *own(vind_results_t *results, char *string)
{
    if (string)
        g_ptr_array_add(results->owned, string);
    return string;
}

static const char *own_field(vind_results_t *results, json_t *record, const char *key)
{
    const char *value = json_string_value(json_object_get(record, key));
    return value && *value ? own(results, strdup(value)) : NULL;
}

static const char *const *own_list(vind_results_t *results, json_t *record, const char *key,
                                   size_t *count)
{
    json_t *array = json_object_get(record, key);
    *count = 0;
    if (!json_is_array(array) || json_array_size(array) == 0)
        return NULL;
    const char **list = calloc(json_array_size(array), sizeof *list);
    if (!list)
        return NULL;
    own(results, (char *)list);
    size_t index;
    json_t *item;
    json_array_foreach(array, index, item)
    {
        if (json_is_string(item))
            list[(*count)++] = own(results, strdup(json_string_value(item)));
    }
    return list;
}

static const char *stored_type(vind_results_t *results, json_t *record)
{
    json_t *type = json_object_get(record, "type");
    if (json_is_integer(type))
        return vind_doc_type_name((int)json_integer_value(type));
    return own_field(results, record, "type");
}

/* Whether one of pages (n) is among the OCR pages (n_ocr): a snippet with
 * a passage from a scanned page is labelled as such. */
static int any_ocr_page(const unsigned *ocr, size_t n_ocr, const unsigned *pages, size_t n)
{
    for (size_t i = 0; i < n_ocr; i++)
        for (size_t p = 0; p < n; p++)
            if (ocr[i] == pages[p])
                return 1;
    return 0;
}

/* The same, from the stored record's "ocr_pages" (lib/index.c, docs/schema.md). */
static int any_ocr_page_in_record(json_t *record, const unsigned *pages, size_t n)
{
    json_t *list = json_object_get(record, "ocr_pages");
    size_t n_ocr = json_array_size(list);
    unsigned *ocr = n_ocr ? calloc(n_ocr, sizeof *ocr) : NULL;
    for (size_t i = 0; ocr && i < n_ocr; i++)
        ocr[i] = (unsigned)json_integer_value(json_array_get(list, i));
    int found = ocr && any_ocr_page(ocr, n_ocr, pages, n);
    free(ocr);
    return found;
}

/* The hit's snippet (req->snippets): from the text store for a hit record
 * (record NULL), else as the stored record says (schema 1: its pages). */
static vind_status_t fill_snippet(vind_searcher_t *searcher, const vind_search_request_t *req,
                                  const vind_match_terms_t *terms, vind_results_t *results,
                                  const vind_match_t *match, json_t *record, vind_lang_t lang,
                                  size_t n_pages, vind_hit_t *hit, char **errmsg)
{
    char *html = NULL;
    unsigned *page_numbers = NULL;
    size_t n_page_numbers = 0;
    unsigned chars = req->snippet_chars ? req->snippet_chars : 200;
    vind_status_t status =
        record ? vind_stored_snippet(searcher, match->docid, record, terms, chars, &html,
                                     &page_numbers, &n_page_numbers, errmsg)
               : vind_stored_snippet_of(searcher, match->docid, lang, n_pages, terms, chars, &html,
                                        &page_numbers, &n_page_numbers, errmsg);
    if (status != VIND_OK)
        return status;
    hit->snippet = own(results, html);
    /* HTML pages have one page: page numbers only mean something for PDFs. */
    int is_pdf = hit->type && strcmp(hit->type, "pdf") == 0;
    if (is_pdf && n_page_numbers) {
        hit->pages = page_numbers;
        hit->n_pages = n_page_numbers;
        own(results, (char *)page_numbers);
    } else
        free(page_numbers);
    return VIND_OK;
}

/* A hit from its stored record's JSON (an index written before hit records). */
static vind_status_t fill_hit_from_record(vind_searcher_t *searcher,
                                          const vind_search_request_t *req,
                                          const vind_match_terms_t *terms, vind_results_t *results,
                                          const vind_match_t *match, vind_hit_t *hit, char **errmsg)
{
    json_t *record = NULL;
    vind_status_t status = vind_searcher_stored(searcher, match->docid, &record, errmsg);
    if (status != VIND_OK)
        return status;
    hit->url = own_field(results, record, "url");
    hit->title = own_field(results, record, "title");
    hit->type = stored_type(results, record);
    hit->date = own_field(results, record, "date");
    hit->author = own_field(results, record, "author");
    hit->description = own_field(results, record, "description");
    hit->parent = own_field(results, record, "parent");
    hit->tags = own_list(results, record, "tags", &hit->n_tags);
    hit->themes = own_list(results, record, "themes", &hit->n_themes);
    if (req->snippets) {
        status = fill_snippet(searcher, req, terms, results, match, record, VIND_LANG_NL, 0, hit,
                              errmsg);
        hit->ocr = any_ocr_page_in_record(record, hit->pages, hit->n_pages);
    }
    json_decref(record);
    return status;
}

/* What a hit's snippet needs of its hit record (the snippet pass). */
typedef struct {
    int has_record;  /* read from a hit record (else filled whole from the stored record) */
    vind_lang_t lang;
    size_t n_pages;
    const unsigned *ocr_pages;
    size_t n_ocr_pages;
} hit_text_t;

/* A hit's fields from its hit record (one value look-up, ~10,000
 * instructions), or, in an index written before hit records, the whole
 * hit with its snippet from the stored record. */
static vind_status_t fill_hit(vind_searcher_t *searcher, const vind_search_request_t *req,
                              const vind_match_terms_t *terms, vind_results_t *results,
                              const vind_match_t *match, vind_hit_t *hit, hit_text_t *text,
                              char **errmsg)
{
    hit->score = req->sort == VIND_SORT_RELEVANCE ? match->weight : 0.0;
    hit->similar = match->similar;
    if (match->similar) {
        char *group = malloc(17);
        if (group)
            vind_simhash_hex(match->group, group);
        hit->group = own(results, group);
    }
    char *value = NULL;
    vind_hit_record_t record;
    vind_status_t status = vind_searcher_hit_record(searcher, match->docid, &value, &record, errmsg);
    if (status != VIND_OK)
        return status;
    if (!value)
        return fill_hit_from_record(searcher, req, terms, results, match, hit, errmsg);
    /* The strings point into value, which the results keep. */
    own(results, value);
    own(results, (char *)record.tags);
    own(results, (char *)record.themes);
    own(results, (char *)record.ocr_pages);
    hit->url = record.url;
    hit->title = record.title;
    hit->type = record.type;
    hit->date = record.date;
    hit->author = record.author;
    hit->description = record.description;
    hit->parent = record.parent;
    hit->tags = record.tags;
    hit->n_tags = record.n_tags;
    hit->themes = record.themes;
    hit->n_themes = record.n_themes;
    *text = (hit_text_t){1, vind_stored_lang_of(record.lang), record.n_pages, record.ocr_pages,
                         record.n_ocr_pages};
    return VIND_OK;
}

/* The snippet of a hit filled from its hit record (the text store). */
static vind_status_t fill_hit_snippet(vind_searcher_t *searcher, const vind_search_request_t *req,
                                      const vind_match_terms_t *terms, vind_results_t *results,
                                      const vind_match_t *match, vind_hit_t *hit,
                                      const hit_text_t *text, char **errmsg)
{
    vind_status_t status = fill_snippet(searcher, req, terms, results, match, NULL, text->lang,
                                        text->n_pages, hit, errmsg);
    hit->ocr = any_ocr_page(text->ocr_pages, text->n_ocr_pages, hit->pages, hit->n_pages);
    return status;
}

void vind_results_free(vind_results_t *results)
{
    if (!results)
        return;
    free(results->query);
    free(results->understood);
    free(results->suggestion);
    free(results->explain);
    free(results->hits);
    if (results->owned)
        g_ptr_array_free(results->owned, TRUE);
    if (results->notices)
        g_ptr_array_free(results->notices, TRUE);
    if (results->absent)
        g_ptr_array_free(results->absent, TRUE);
    for (int f = 0; f < VIND_FACET_LAST; f++) {
        free(results->facets[f]);
        vind_xapian_facet_free(results->facet_blocks[f]);
    }
    free(results);
}

void vind_results_set_facet(vind_results_t *results, vind_facet_t facet, vind_facet_value_t *values,
                            size_t count, vind_xapian_facet_t *block)
{
    free(results->facets[facet]);
    vind_xapian_facet_free(results->facet_blocks[facet]);
    results->facet_blocks[facet] = block;
    results->facets[facet] = values;
    results->n_facets[facet] = count;
    results->has_facets = 1;
}

vind_results_t *vind_results_new(const vind_search_request_t *req)
{
    vind_results_t *results = calloc(1, sizeof *results);
    if (!results)
        return NULL;
    results->owned = g_ptr_array_new_with_free_func(free);
    const char *query = req->query ? req->query : "";
    /* Echoed in JSON, so it must be valid UTF-8 whatever was sent. */
    gchar *valid = g_utf8_make_valid(query, (gssize)strnlen(query, VIND_MAX_QUERY_BYTES + 1));
    results->query = strdup(valid);
    g_free(valid);
    results->offset = req->offset;
    results->limit = req->limit;
    if (!results->query) {
        vind_results_free(results);
        return NULL;
    }
    return results;
}

/* order = the indexes of matches by ascending docid (a results page: ten
 * to a hundred, insertion sort). */
static void docid_order(const vind_match_t *matches, size_t n, size_t *order)
{
    for (size_t i = 0; i < n; i++) {
        size_t j = i;
        for (; j > 0 && matches[order[j - 1]].docid > matches[i].docid; j--)
            order[j] = order[j - 1];
        order[j] = i;
    }
}

/* Whether a hit of the page is an English document with a hit record. */
static int any_english(const hit_text_t *texts, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (texts[i].has_record && texts[i].lang == VIND_LANG_EN)
            return 1;
    return 0;
}

/* The languages of the page's hits (VIND_LANG_BIT); all when a hit has no
 * hit record (its language is in the stored record). */
static unsigned page_langs(const hit_text_t *texts, size_t n)
{
    unsigned langs = 0;
    for (size_t i = 0; i < n; i++)
        langs |= texts[i].has_record ? VIND_LANG_BIT(texts[i].lang) : VIND_LANGS_ALL;
    return langs;
}

/* Which hits hold which match terms, found once for the page's snippets;
 * langs: the hits' languages (vind_stored_places_begin). */
static vind_status_t begin_places(vind_searcher_t *searcher, const vind_match_terms_t *terms,
                                  const vind_match_t *matches, size_t n_matches, unsigned langs,
                                  char **errmsg)
{
    uint32_t *docids = g_new(uint32_t, n_matches ? n_matches : 1);
    for (size_t i = 0; i < n_matches; i++)
        docids[i] = matches[i].docid;
    vind_status_t status =
        vind_stored_places_begin(searcher, terms, docids, n_matches, langs, errmsg);
    g_free(docids);
    return status;
}

vind_status_t vind_results_fill(vind_results_t *results, vind_searcher_t *searcher,
                                const vind_search_request_t *req, const vind_match_terms_t *terms,
                                const vind_match_terms_t *english_terms,
                                const vind_match_t *matches, size_t n_matches, char **errmsg)
{
    results->hits = calloc(n_matches ? n_matches : 1, sizeof *results->hits);
    if (!results->hits)
        return vind_error(errmsg, VIND_NOMEM, "out of memory filling results");
    /* Past the time budget the remaining hits come without a snippet:
     * snippets are most of a costly query's time (64 wildcards, size 100:
     * ~80%, each word of each hit checked against every prefix), and the
     * answer is marked partial anyway. */
    vind_search_request_t late = *req;
    late.snippets = 0;
    hit_text_t *texts = calloc(n_matches ? n_matches : 1, sizeof *texts);
    size_t *order = malloc((n_matches ? n_matches : 1) * sizeof *order);
    if (!texts || !order) {
        free(texts);
        free(order);
        return vind_error(errmsg, VIND_NOMEM, "out of memory filling results");
    }
    docid_order(matches, n_matches, order);
    /* Schema 4 looks a prefix's forms up under their stems in the hits'
     * languages, known from their records: the look-up waits for those
     * (a page of Dutch hits, most of them, then analyses no form to its
     * English stem: half the analyses of a prefix* page). Before, the
     * records come with their snippets (an index without hit records),
     * so it comes first. */
    int records_first = searcher->schema >= 4;
    vind_status_t status =
        req->snippets && !records_first
            ? begin_places(searcher, terms, matches, n_matches, VIND_LANGS_ALL, errmsg)
            : VIND_OK;
    /* The records first, in docid order, then the snippets in rank order
     * (past the budget the last ranks go without). Hit records are values,
     * kept in the same B-tree as page text, and Xapian's cursor keeps the
     * last path it read: records read one after another in key order share
     * blocks (the 1,000 bench queries: 109,979 -> 103,245 preads, ~3 us
     * each on this machine; snippets in docid order too saved 1.6% more,
     * not worth giving the first ranks' snippets up under a spent budget). */
    for (size_t k = 0; status == VIND_OK && k < n_matches; k++) {
        size_t i = order[k];
        results->hits[i].rank = (unsigned)(req->offset + i + 1);
        const vind_search_request_t *asked =
            req->snippets && vind_xapian_reader_budget_spent(searcher->reader) ? &late : req;
        status = fill_hit(searcher, asked, terms, results, &matches[i], &results->hits[i],
                          &texts[i], errmsg);
    }
    if (status == VIND_OK && req->snippets && records_first)
        status = begin_places(searcher, terms, matches, n_matches, page_langs(texts, n_matches),
                              errmsg);
    /* An English hit marks the translations too: which hits hold them is
     * looked up again for the larger set (english_terms hold terms and
     * more), only on a page that has one (most pages have none, and most
     * Dutch words have translations: two posting-list walks each). */
    if (status == VIND_OK && req->snippets && english_terms &&
        any_english(texts, n_matches))
        status = begin_places(searcher, english_terms, matches, n_matches,
                              VIND_LANG_BIT(VIND_LANG_EN), errmsg);
    for (size_t i = 0; status == VIND_OK && req->snippets && i < n_matches; i++) {
        const vind_search_request_t *asked =
            vind_xapian_reader_budget_spent(searcher->reader) ? &late : req;
        const vind_match_terms_t *marked =
            english_terms && texts[i].lang == VIND_LANG_EN ? english_terms : terms;
        if (texts[i].has_record && asked->snippets)
            status = fill_hit_snippet(searcher, asked, marked, results, &matches[i],
                                      &results->hits[i], &texts[i], errmsg);
    }
    results->n_hits = n_matches; /* every hit is zeroed or filled: safe to free */
    free(texts);
    free(order);
    vind_stored_places_end(searcher);
    return status;
}

const char *vind_results_explain(vind_results_t *results)
{
    static const char *const names[VIND_STAGE_LAST] = {"plan",  "titles", "rank",
                                                       "count", "hits",   "suggest"};
    if (!results)
        return "";
    free(results->explain);
    GString *line = g_string_new(NULL);
    unsigned runs = 0;
    for (int i = 0; i < VIND_STAGE_LAST; i++) {
        const vind_stage_cost_t *stage = &results->stages[i];
        if (!stage->calls)
            continue;
        g_string_append_printf(line, "%s%s", line->len ? "; " : "", names[i]);
        if (i == VIND_STAGE_HITS)
            g_string_append_printf(line, " %zu", results->n_hits);
        else if (stage->runs)
            g_string_append_printf(line, " %u run%s", stage->runs, stage->runs == 1 ? "" : "s");
        g_string_append_printf(line, " %.2fms", stage->ms);
        if (i == VIND_STAGE_PLAN && results->plan_lookups)
            g_string_append_printf(line, " lookups %zu", results->plan_lookups);
        runs += stage->runs;
    }
    if (results->spelling_walks)
        g_string_append_printf(line, "%sspellings %llu", line->len ? "; " : "",
                               (unsigned long long)results->spelling_walks);
    g_string_append_printf(line, "%sruns %u total %llu", line->len ? "; " : "", runs,
                           (unsigned long long)results->total);
    if (results->fallback)
        g_string_append_printf(line, " any-word %llu", (unsigned long long)results->fallback_total);
    results->explain = strdup(line->str);
    g_string_free(line, TRUE);
    return results->explain ? results->explain : "";
}

uint64_t vind_results_total(const vind_results_t *results)
{
    return results ? results->total : 0;
}

uint64_t vind_results_listed(const vind_results_t *results)
{
    return !results ? 0 : results->listed ? results->listed : results->total;
}

size_t vind_results_count(const vind_results_t *results)
{
    return results ? results->n_hits : 0;
}

const vind_hit_t *vind_results_get(const vind_results_t *results, size_t i)
{
    return results && i < results->n_hits ? &results->hits[i] : NULL;
}

const char *vind_results_understood(const vind_results_t *results)
{
    return results && results->understood ? results->understood : "";
}

int vind_results_partial(const vind_results_t *results)
{
    return results ? results->partial : 0;
}

int vind_results_total_exact(const vind_results_t *results)
{
    return results ? !results->total_estimated : 1;
}

void vind_results_total_bounds(const vind_results_t *results, uint64_t *lower, uint64_t *upper)
{
    uint64_t sum = results ? results->total + results->fallback_total : 0;
    int estimated = results && results->total_estimated;
    if (lower)
        *lower = estimated ? results->total_lower : sum;
    if (upper)
        *upper = estimated ? results->total_upper : sum;
}

int vind_results_facets_exact(const vind_results_t *results)
{
    return results ? !results->facets_lower : 1;
}

size_t vind_results_absent_count(const vind_results_t *results)
{
    return results && results->absent ? results->absent->len : 0;
}

const char *vind_results_absent(const vind_results_t *results, size_t i)
{
    return i < vind_results_absent_count(results) ? g_ptr_array_index(results->absent, i) : NULL;
}

size_t vind_results_notice_count(const vind_results_t *results)
{
    return results && results->notices ? results->notices->len : 0;
}

const char *vind_results_notice(const vind_results_t *results, size_t i)
{
    return i < vind_results_notice_count(results) ? g_ptr_array_index(results->notices, i) : NULL;
}

int vind_results_fallback(const vind_results_t *results)
{
    return results ? results->fallback : 0;
}

uint64_t vind_results_fallback_total(const vind_results_t *results)
{
    return results ? results->fallback_total : 0;
}

const char *vind_results_suggestion(const vind_results_t *results)
{
    return results ? results->suggestion : NULL;
}

int vind_results_corrected(const vind_results_t *results)
{
    return results && results->suggestion ? results->corrected : 0;
}

size_t vind_results_facet_count(const vind_results_t *results, vind_facet_t facet)
{
    return results && (unsigned)facet < VIND_FACET_LAST ? results->n_facets[facet] : 0;
}

const vind_facet_value_t *vind_results_facet_get(const vind_results_t *results, vind_facet_t facet,
                                                 size_t i)
{
    if (!results || (unsigned)facet >= VIND_FACET_LAST || i >= results->n_facets[facet])
        return NULL;
    return &results->facets[facet][i];
}

const char *vind_results_query(const vind_results_t *results)
{
    return results && results->query ? results->query : "";
}

size_t vind_results_offset(const vind_results_t *results)
{
    return results ? results->offset : 0;
}

size_t vind_results_limit(const vind_results_t *results)
{
    return results ? results->limit : 0;
}

int vind_results_has_facets(const vind_results_t *results)
{
    return results ? results->has_facets : 0;
}

void vind_strv_free(char **strv)
{
    if (!strv)
        return;
    for (char **s = strv; *s; s++)
        free(*s);
    free(strv);
}

