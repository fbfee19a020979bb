/*
 * plan.c - the plan of a request, made once per request (and once more for
 * a rare-word retry): spelling corrections looked up, the query tree
 * analysed into its strict and any-word queries (lib/query.c), the facet
 * filters and date range built. The passes combine its parts.
 *
 * Spelling first: the builder would ask the corrector about every plain
 * word while it plans. Here a first build only records the words it asks
 * about (no index reads); they are then looked up, each with a status, and
 * only when one has a correction is the query built again with that table.
 * Most queries have no misspelt word: one build, and a look-up per word.
 */
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "error.h"
#include "plan.h"
#include "snippet.h"
#include "tokens_memory.h"

static vind_qfield_t facet_field(int facet)
{
    static const vind_qfield_t fields[VIND_FACET_LAST] = {VIND_QFIELD_TAG, VIND_QFIELD_THEME,
                                                          VIND_QFIELD_TYPE, VIND_QFIELD_YEAR};
    return fields[facet];
}

static int has_text(const char *query)
{
    for (const char *p = query; p && *p; p++)
        if (!g_ascii_isspace(*p))
            return 1;
    return 0;
}

/* The spelling table of a plan: form -> correction ("" when none). */
typedef struct {
    vind_searcher_t *searcher;
    GHashTable *table;
    GPtrArray *asked; /* vind_token_t* copies (surface, form, stem) of words not in table */
    vind_status_t status; /* of the first failed term look-up (term_present), and its */
    char *errmsg;         /* message */
} spelling_t;

static void token_free(gpointer data)
{
    vind_token_t *token = data;
    g_free((char *)token->form);
    g_free((char *)token->stem);
    g_free((char *)token->surface);
    g_free(token);
}

/* The corrector the query builder calls: a table look-up, no index read. */
static char *table_correction(void *data, const vind_token_t *token)
{
    spelling_t *spelling = data;
    const char *known = g_hash_table_lookup(spelling->table, token->form);
    if (known)
        return *known ? strdup(known) : NULL;
    vind_token_t *copy = g_new0(vind_token_t, 1);
    *copy = *token;
    copy->form = g_strdup(token->form);
    copy->stem = g_strdup(token->stem);
    copy->surface = g_strdup(token->surface); /* capitals: "NRC" is no typo (lib/suggest.c) */
    copy->lemma = NULL;
    g_ptr_array_add(spelling->asked, copy);
    return NULL;
}

/* Looks up the words the builder asked about; *found 1 when one has a correction. */
static vind_status_t look_up(spelling_t *spelling, int rare, int *found, size_t *lookups,
                             char **errmsg)
{
    *found = 0;
    for (guint i = 0; i < spelling->asked->len; i++) {
        const vind_token_t *token = g_ptr_array_index(spelling->asked, i);
        if (g_hash_table_contains(spelling->table, token->form))
            continue;
        char *better = NULL;
        vind_status_t status =
            vind_spelling_lookup(spelling->searcher, token, rare, &better, errmsg);
        if (status != VIND_OK)
            return status;
        (*lookups)++;
        *found |= better != NULL;
        g_hash_table_insert(spelling->table, g_strdup(token->form), g_strdup(better ? better : ""));
        free(better);
    }
    g_ptr_array_set_size(spelling->asked, 0);
    return VIND_OK;
}

/* The expander the query builder calls for a `word*`: over shards the
 * wrapper expands it against the terms of every shard, so each weighs the
 * same terms (docs/scaling.md, "What degrades over remote shards"); one
 * database leaves it to Xapian. */
static vind_xapian_query_t *shard_wildcard(void *data, const char *pattern, unsigned limit)
{
    spelling_t *spelling = data;
    return vind_xapian_reader_wildcard(spelling->searcher->reader, pattern, limit);
}

/* The builder's question whether a document has a term: not asked when
 * BM25's k2 is set (its query-length factor counts every term of the
 * query), nor after a failed look-up (its status ends the plan). */
static int term_present(void *data, const char *term)
{
    spelling_t *spelling = data;
    if (spelling->status != VIND_OK || spelling->searcher->bm25.k2 != 0)
        return 1;
    int present = 1;
    spelling->status =
        vind_searcher_term_present(spelling->searcher, term, &present, &spelling->errmsg);
    return spelling->status != VIND_OK || present;
}

/* The status of build: its own, else a failed term look-up's. */
static vind_status_t built(vind_status_t status, spelling_t *spelling, char **errmsg)
{
    if (status != VIND_OK || spelling->status == VIND_OK)
        return status;
    if (errmsg) {
        *errmsg = spelling->errmsg;
        spelling->errmsg = NULL;
    }
    return spelling->status;
}

static vind_status_t build(vind_searcher_t *searcher, const vind_qnode_t *tree,
                           spelling_t *spelling, vind_query_plan_t **out, char **errmsg)
{
    if (!searcher->words)
        searcher->words = vind_word_memo_new(searcher->analyzer, searcher->synonyms);
    vind_status_t status = vind_query_plan_corrected(
        searcher->analyzer, searcher->synonyms, &searcher->weights, table_correction,
        shard_wildcard, term_present, spelling, searcher->words, tree, out, errmsg);
    return built(status, spelling, errmsg);
}

/* Plans the words: build, look up what was asked, rebuild when a word has a correction. */
static vind_status_t plan_words(vind_searcher_t *searcher, const vind_qnode_t *tree, int rare,
                                vind_plan_t *plan, char **errmsg)
{
    spelling_t spelling = {.searcher = searcher,
                           .table = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free),
                           .asked = g_ptr_array_new_with_free_func(token_free)};
    int found = 0;
    vind_status_t status = build(searcher, tree, &spelling, &plan->query, errmsg);
    if (status == VIND_OK)
        status = look_up(&spelling, rare, &found, &plan->lookups, errmsg);
    if (status == VIND_OK && found) {
        vind_query_plan_free(plan->query);
        plan->query = NULL;
        status = build(searcher, tree, &spelling, &plan->query, errmsg);
    }
    g_hash_table_destroy(spelling.table);
    g_ptr_array_free(spelling.asked, TRUE);
    free(spelling.errmsg);
    return status;
}

/*
 * The words of a plan as the searcher keeps them for a query text and mode
 * at one revision of the index (what the plan reads of the index, the
 * terms present and the spelling corrections, holds until the revision
 * changes). A search box sends the same words again with another page,
 * filter or sort (260 of the 1,000 bench requests); such a request plans
 * only its filters. Shared by the table and each plan made from it.
 */
struct vind_planned_words {
    unsigned refs;
    vind_query_plan_t *query; /* its queries taken out, as in vind_plan_t */
    vind_xapian_query_t *strict, *strict_matching, *any;
    vind_query_weights_t weights; /* planned with these (and BM25's k2) */
    double k2;
};

static void planned_words_unref(gpointer data)
{
    struct vind_planned_words *words = data;
    if (!words || --words->refs > 0)
        return;
    vind_query_plan_free(words->query);
    vind_xapian_query_free(words->strict);
    vind_xapian_query_free(words->strict_matching);
    vind_xapian_query_free(words->any);
    free(words);
}

/* Whether words were planned with the searcher's weights now (field by
 * field: the struct has padding, which a copy need not keep). */
static int planned_alike(const struct vind_planned_words *words, const vind_searcher_t *searcher)
{
    const vind_query_weights_t *a = &words->weights, *b = &searcher->weights;
    return a->part_weight == b->part_weight && a->synonym_weight == b->synonym_weight &&
           a->exact_boost == b->exact_boost && a->proximity_boost == b->proximity_boost &&
           a->proximity_window_extra == b->proximity_window_extra &&
           a->correction_weight == b->correction_weight && a->split_weight == b->split_weight &&
           a->conversion_weight == b->conversion_weight &&
           a->translation_weight == b->translation_weight && a->joined_boost == b->joined_boost &&
           a->joined_title_boost == b->joined_title_boost && words->k2 == searcher->bm25.k2;
}

/* plan's words from words (a reference taken): the queries are shared, not copied. */
static int lend_words(vind_plan_t *plan, struct vind_planned_words *words)
{
    words->refs++;
    plan->shared = words;
    plan->query = words->query;
    plan->strict = vind_xapian_query_copy(words->strict);
    plan->strict_matching =
        words->strict_matching ? vind_xapian_query_copy(words->strict_matching) : NULL;
    plan->any = words->any ? vind_xapian_query_copy(words->any) : NULL;
    return plan->strict && (plan->strict_matching || !words->strict_matching) &&
           (plan->any || !words->any);
}

/* Bytes of the heap a Xapian query holds per byte of its description
 * (Query::get_description): fitted to what 127 plans of the words of an
 * index free (tests/unit/test_searcher_memory.c checks the whole count
 * against the heap). Only the strict query is described: strict_matching
 * and any are made of its subqueries, which Xapian shares by reference. */
#define QUERY_BYTES_PER_DESCRIBED_BYTE 14u

/* About the heap bytes query holds (0 for NULL). Costs a description of
 * the query, on a plan being kept only (a search that planned its words
 * anew); callgrind of bench/search-cost: +0.8% instructions a round of
 * the bench requests (docs/searchd.md). */
static size_t query_bytes(const vind_xapian_query_t *query)
{
    if (!query)
        return 0;
    char *description = vind_xapian_query_describe(query);
    size_t bytes = description ? strlen(description) * QUERY_BYTES_PER_DESCRIBED_BYTE : 0;
    free(description);
    return bytes;
}

/* About the heap bytes terms hold: each string with its malloc and an
 * entry of ~16 bytes in the set's arrays. */
static size_t match_terms_bytes(const vind_match_terms_t *terms)
{
    if (!terms)
        return 0;
    size_t bytes = 64, id;
    unsigned unused;
    for (id = 0; id < vind_match_terms_stems(terms); id++)
        bytes += vind_heap_bytes(strlen(vind_match_terms_stem(terms, id, &unused)) + 1) + 16;
    for (id = 0; id < vind_match_terms_prefixes(terms); id++)
        bytes += vind_heap_bytes(strlen(vind_match_terms_prefix(terms, id, &unused)) + 1) + 16;
    return bytes;
}

static size_t string_bytes(const char *text)
{
    return text ? vind_heap_bytes(strlen(text) + 1) : 0;
}

static size_t strings_bytes(char *const *texts)
{
    size_t bytes = 0, n = 0;
    for (; texts && texts[n]; n++)
        bytes += string_bytes(texts[n]);
    return texts ? bytes + vind_heap_bytes((n + 1) * sizeof *texts) : 0;
}

/* About the heap bytes words hold, what the plans' bound counts. */
static size_t planned_words_bytes(const struct vind_planned_words *words)
{
    const vind_query_plan_t *query = words->query;
    size_t bytes = vind_heap_bytes(sizeof *words) + vind_heap_bytes(sizeof *query) +
                   query_bytes(words->strict) + string_bytes(query->understood) +
                   string_bytes(query->understood_fallback) +
                   match_terms_bytes(query->match_terms) +
                   match_terms_bytes(query->english_match_terms) +
                   strings_bytes(query->wildcards) + strings_bytes(query->wildcards_typed);
    if (query->n_words)
        bytes += vind_heap_bytes(query->n_words * sizeof *query->words);
    for (size_t i = 0; i < query->n_words; i++)
        bytes += string_bytes(query->words[i].typed) + string_bytes(query->words[i].form) +
                 string_bytes(query->words[i].stem) + string_bytes(query->words[i].correction);
    return bytes;
}

/* Hands plan's words (just planned) to the searcher's table under key: the
 * plan then borrows them. 0 on NOMEM (the plan keeps its own words). */
static int keep_words(vind_searcher_t *searcher, GHashTable *kept, const char *key,
                      vind_plan_t *plan)
{
    struct vind_planned_words *words = calloc(1, sizeof *words);
    if (!words)
        return 0;
    *words = (struct vind_planned_words){.refs = 1,
                                         .query = plan->query,
                                         .strict = vind_xapian_query_copy(plan->strict),
                                         .weights = searcher->weights,
                                         .k2 = searcher->bm25.k2};
    if (plan->strict_matching)
        words->strict_matching = vind_xapian_query_copy(plan->strict_matching);
    if (plan->any)
        words->any = vind_xapian_query_copy(plan->any);
    if (!words->strict || (plan->strict_matching && !words->strict_matching) ||
        (plan->any && !words->any)) {
        words->query = NULL;
        planned_words_unref(words);
        return 0;
    }
    g_hash_table_replace(kept, g_strdup(key), words);
    vind_revision_table_count(searcher->plans, key, planned_words_bytes(words));
    words->refs++;
    plan->shared = words;
    return 1;
}

void vind_plan_free(vind_plan_t *plan)
{
    if (!plan)
        return;
    if (plan->shared)
        planned_words_unref(plan->shared);
    else
        vind_query_plan_free(plan->query);
    vind_xapian_query_free(plan->strict);
    vind_xapian_query_free(plan->strict_matching);
    vind_xapian_query_free(plan->any);
    for (int f = 0; f < VIND_FACET_LAST; f++)
        vind_xapian_query_free(plan->filter[f]);
    vind_xapian_query_free(plan->dates);
    free(plan);
}

/* Plans the words of tree into plan, its queries taken out of plan->query. */
static vind_status_t plan_own_words(vind_searcher_t *searcher, const vind_search_request_t *req,
                                    const vind_qnode_t *tree, vind_plan_t *plan, char **errmsg)
{
    vind_status_t status = plan_words(searcher, tree, plan->mode != 0, plan, errmsg);
    if (status != VIND_OK)
        return status;
    plan->strict = plan->query->query;
    plan->any = plan->query->fallback;
    plan->strict_matching = plan->query->matching;
    plan->query->query = plan->query->fallback = plan->query->matching = NULL;
    if (!plan->strict)
        /* Nothing searchable in what was typed ("---", "*") finds nothing;
         * an empty query (filters only) finds everything. */
        plan->strict = has_text(req->query) ? vind_xapian_query_match_nothing()
                                            : vind_xapian_query_match_all();
    return plan->strict ? VIND_OK
                        : vind_error(errmsg, VIND_NOMEM, "out of memory building the query");
}

/*
 * The words of plan: the searcher's for the same text and mode when it has
 * them (a hash look-up; no spelling look-up, analysis or term look-up),
 * else planned and, with keep, handed to it. Not kept over an index of
 * unknown revision (a remote shard reports none: what it has may change
 * unnoticed), as the term and spelling tables there.
 */
static vind_status_t plan_words_of(vind_searcher_t *searcher, const vind_search_request_t *req,
                                   const vind_qnode_t *tree, int keep, vind_plan_t *plan,
                                   char **errmsg)
{
    GHashTable *kept = keep && searcher->revision != 0
                           ? vind_revision_table(searcher, &searcher->plans, planned_words_unref,
                                                 VIND_PLANS_BYTES)
                           : NULL;
    char *key = kept ? g_strdup_printf("%u %s", plan->mode, req->query ? req->query : "") : NULL;
    struct vind_planned_words *words = key ? g_hash_table_lookup(kept, key) : NULL;
    vind_status_t status = VIND_OK;
    if (words && planned_alike(words, searcher)) {
        if (!lend_words(plan, words))
            status = vind_error(errmsg, VIND_NOMEM, "out of memory building the query");
    } else {
        status = plan_own_words(searcher, req, tree, plan, errmsg);
        if (status == VIND_OK && kept)
            keep_words(searcher, kept, key, plan); /* on NOMEM the plan keeps its own */
    }
    g_free(key);
    return status;
}

/* vind_plan_new; keep 0: the words are planned for this plan alone (its
 * query may be taken: vind_searcher_full_query). */
static vind_status_t plan_new(vind_searcher_t *searcher, const vind_search_request_t *req,
                              const vind_qnode_t *tree, unsigned mode, int keep,
                              vind_plan_t **out, char **errmsg)
{
    *out = NULL;
    vind_plan_t *plan = calloc(1, sizeof *plan);
    if (!plan)
        return vind_error(errmsg, VIND_NOMEM, "out of memory planning the query");
    plan->mode = mode & VIND_QUERY_RARE;
    vind_status_t status = plan_words_of(searcher, req, tree, keep, plan, errmsg);
    if (status != VIND_OK) {
        vind_plan_free(plan);
        return status;
    }
    for (size_t i = 0; i < plan->query->n_words; i++)
        plan->corrections += plan->query->words[i].correction != NULL;
    int failed = 0;
    for (int f = 0; f < VIND_FACET_LAST; f++)
        if (req->n_filters[f] &&
            !(plan->filter[f] = vind_query_filter(facet_field(f), req->filters[f], req->n_filters[f])))
            failed = 1;
    if ((req->from || req->to) && !vind_query_date_range(req->from, req->to, 0, &plan->dates)) {
        vind_plan_free(plan);
        return vind_error(errmsg, VIND_INVALID_ARGUMENT, "the date range is not valid");
    }
    if (failed || ((req->from || req->to) && !plan->dates)) {
        vind_plan_free(plan);
        return vind_error(errmsg, VIND_NOMEM, "out of memory building the query");
    }
    *out = plan;
    return VIND_OK;
}

vind_status_t vind_plan_new(vind_searcher_t *searcher, const vind_search_request_t *req,
                            const vind_qnode_t *tree, unsigned mode, vind_plan_t **out,
                            char **errmsg)
{
    return plan_new(searcher, req, tree, mode, 1, out, errmsg);
}

int vind_plan_has_facet_filter(const vind_plan_t *plan)
{
    for (int f = 0; f < VIND_FACET_LAST; f++)
        if (plan->filter[f])
            return 1;
    return 0;
}

/* words restricted by plan's filters (vind_plan_query's filters). */
static vind_xapian_query_t *filtered(const vind_plan_t *plan, const vind_xapian_query_t *words,
                                     int filters)
{
    /* Values of one facet OR (in each filter), facets AND, dates. */
    vind_xapian_query_t *parts[VIND_FACET_LAST + 2];
    size_t n = 0;
    parts[n++] = vind_xapian_query_copy(words);
    for (int f = 0; filters != VIND_PLAN_NO_FACETS && f < VIND_FACET_LAST; f++)
        if (plan->filter[f] && f != filters - 1)
            parts[n++] = vind_xapian_query_copy(plan->filter[f]);
    if (plan->dates)
        parts[n++] = vind_xapian_query_copy(plan->dates);
    if (n == 1)
        return parts[0];
    /* compound frees every child when one is NULL (and then fails). */
    return vind_xapian_query_compound(VIND_XAPIAN_OP_FILTER, parts, n);
}

vind_xapian_query_t *vind_plan_query(const vind_plan_t *plan, int any_word, int filters)
{
    return filtered(plan, any_word && plan->any ? plan->any : plan->strict, filters);
}

vind_xapian_query_t *vind_plan_count_query(const vind_plan_t *plan, int any_word, int filters)
{
    if (any_word && plan->any)
        return filtered(plan, plan->any, filters);
    return filtered(plan, plan->strict_matching ? plan->strict_matching : plan->strict, filters);
}

vind_status_t vind_searcher_full_query(vind_searcher_t *searcher, const vind_qnode_t *tree,
                                       const vind_search_request_t *req, unsigned mode,
                                       int omit_facet, vind_xapian_query_t **out,
                                       vind_query_plan_t **plan_out, char **errmsg)
{
    *out = NULL;
    if (plan_out)
        *plan_out = NULL;
    vind_plan_t *plan = NULL;
    /* tree need not be req->query's, and the plan's query may be taken: not kept. */
    vind_status_t status = plan_new(searcher, req, tree, mode, 0, &plan, errmsg);
    if (status != VIND_OK)
        return status;
    *out = vind_plan_query(plan, (mode & VIND_QUERY_ANY_WORD) != 0,
                           omit_facet < 0 ? VIND_PLAN_FILTERS : omit_facet + 1);
    if (*out && plan_out) {
        *plan_out = plan->query;
        plan->query = NULL;
    }
    vind_plan_free(plan);
    return *out ? VIND_OK : vind_error(errmsg, VIND_NOMEM, "out of memory building the query");
}
