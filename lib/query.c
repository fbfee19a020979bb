/*
 * query.c - turns a parsed query tree into a Xapian query through the
 * wrapper. Every word goes through vind_analyze, so the query makes exactly
 * the terms the indexer made (lib/schema.h): "Cliënten" and "clienten" both
 * become the stem "client", "bewoner" finds a text that only says
 * "bewoners", and "zorg" finds "verpleeghuiszorg" through its compound part
 * P<stem>, ranked below a whole-word match.
 *
 * Steps: prune (drop stop words outside phrases, empty groups) -> build the
 * strict query (every plain word) and, when the query joins words by spaces,
 * the relaxed fallback (any word) -> add the boosts (exact form, proximity)
 * -> describe the pruned tree for "understood". A plain word also finds its
 * compound parts as separate words ("beveiligingsonderzoeken": onderzoek
 * naar de beveiliging) and, when the searcher's corrector says no document
 * has it, its spelling correction ("draagmoedershap": draagmoederschap).
 */
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include <vind/limits.h>
#include "error.h"
#include "lexicon.h"
#include "lexicon_format.h"
#include "lexicon_lookup.h"
#include "normalize.h"
#include "query.h"
#include "schema.h"
#include "word_memo.h"

void vind_query_weights_default(vind_query_weights_t *weights)
{
    /* Figures: docs/ranking.md. */
    weights->part_weight = 0.1;
    weights->synonym_weight = 0.8;
    weights->exact_boost = 0.5;
    weights->proximity_boost = 1.0;
    weights->proximity_window_extra = 4;
    weights->correction_weight = 1.0;
    weights->split_weight = 0.1;
    weights->conversion_weight = 0.5;
    weights->joined_boost = 3.0;
    weights->joined_title_boost = 12.0;
    weights->translation_weight = 0.8;
}

typedef struct {
    vind_analyzer_t *analyzer;
    const vind_synonyms_t *synonyms;
    const vind_query_weights_t *weights;
    vind_query_corrector_t correct; /* spelling of unknown words, or NULL */
    vind_query_expander_t expand;   /* `word*` against the index's terms, or NULL */
    vind_query_present_t present;   /* whether a document has a term, or NULL */
    void *correct_data;
    vind_word_memo_t *memo; /* the analyses of words, kept by the searcher or for this build */
    int keep_stops; /* the query has only stop words: search them anyway */
    int translate;  /* Dutch words also look for their English translations */
    int collect;    /* strict pass: collect match terms, boosts, spelling words */
    int negated;    /* inside a NOT: collect nothing */
    int failed;     /* a wrapper constructor ran out of memory */
    vind_match_terms_t *match_terms;
    GPtrArray *translations; /* char*: English stem, then the Dutch stem it translates */
    GPtrArray *exact_forms;  /* char*: E<form> boost terms */
    GPtrArray *proximity;    /* char*: stems of plain words, for the proximity boost */
    GArray *words;           /* vind_query_word_t */
    unsigned wildcard_limit; /* terms per `word*` (the query's share of the budget) */
    GPtrArray *wildcards;    /* char*: the patterns built, for the plan */
    GPtrArray *wildcards_typed;
} builder_t;

/* ------------------------------------------------------------------ */
/* Analysis helpers                                                    */

/* The Dutch analysis of text, lent by the memo until the build ends. */
static const vind_tokens_t *analyze(builder_t *b, const char *text)
{
    return vind_word_memo_analysis(b->memo, text);
}

/* Whether text yields a token that is not a stop word. */
static int has_content(builder_t *b, const char *text)
{
    const vind_tokens_t *tokens = analyze(b, text);
    int found = 0;
    for (size_t i = 0; tokens && i < vind_tokens_count(tokens); i++)
        if (!(vind_tokens_get(tokens, i)->flags & VIND_TOKEN_STOP))
            found = 1;
    return found;
}

static int has_tokens(builder_t *b, const char *text)
{
    const vind_tokens_t *tokens = analyze(b, text);
    return tokens && vind_tokens_count(tokens) > 0;
}

/* Normalised text with spaces collapsed (synonym keys, wildcard prefixes). */
static char *normalised(const char *text)
{
    return vind_normalize_collapsed(text, strlen(text));
}

static const char *field_prefix(vind_qfield_t field)
{
    switch (field) {
    case VIND_QFIELD_TITLE:
        return VIND_PREFIX_TITLE;
    case VIND_QFIELD_AUTHOR:
        return VIND_PREFIX_AUTHOR;
    default:
        return "";
    }
}

/* ------------------------------------------------------------------ */
/* Pruning                                                             */

static void add_child(vind_qnode_t *parent, vind_qnode_t *child)
{
    parent->children = g_renew(vind_qnode_t *, parent->children, parent->n_children + 1);
    parent->children[parent->n_children++] = child;
}

static size_t count_wildcards(const vind_qnode_t *node)
{
    size_t count = node->kind == VIND_QNODE_WORD && node->prefix;
    for (size_t i = 0; i < node->n_children; i++)
        count += count_wildcards(node->children[i]);
    return count;
}

/* Each wildcard's share of VIND_MAX_WILDCARD_TERMS_PER_QUERY. A hot path
 * only in the sense that it decides the cost of the search: 64 wildcards
 * get 6 terms each instead of 200. */
static unsigned wildcard_share(const vind_qnode_t *tree)
{
    size_t n = tree ? count_wildcards(tree) : 0;
    size_t share = n ? VIND_MAX_WILDCARD_TERMS_PER_QUERY / n : VIND_MAX_WILDCARD_TERMS;
    if (share > VIND_MAX_WILDCARD_TERMS)
        share = VIND_MAX_WILDCARD_TERMS;
    return share < VIND_MIN_WILDCARD_TERMS ? VIND_MIN_WILDCARD_TERMS : (unsigned)share;
}

/* A GPtrArray of g_strdup'd strings as a NULL-terminated malloc'd array of
 * malloc'd strings (NULL when empty); the array is freed. */
static char **plain_strv(GPtrArray *array, int *failed)
{
    char **out = NULL;
    if (array->len && (out = calloc(array->len + 1, sizeof *out)) == NULL)
        *failed = 1;
    for (guint i = 0; out && i < array->len; i++)
        if ((out[i] = strdup(g_ptr_array_index(array, i))) == NULL)
            *failed = 1;
    g_ptr_array_free(array, TRUE);
    return out;
}

static int any_content_word(builder_t *b, const vind_qnode_t *node)
{
    if (node->kind == VIND_QNODE_WORD)
        return node->prefix || has_content(b, node->text);
    if (node->kind == VIND_QNODE_PHRASE || node->kind == VIND_QNODE_FILTER ||
        node->kind == VIND_QNODE_RANGE)
        return 1;
    for (size_t i = 0; i < node->n_children; i++)
        if (any_content_word(b, node->children[i]))
            return 1;
    return 0;
}

/* 1 when the token is an English word: no Dutch headword of the dictionary
 * (it has no translation), and its English stem is a word of the English
 * side ("source", "day"). The Dutch word list cannot tell: it holds
 * loanwords such as "source" and "manager". */
static int is_english_word(builder_t *b, const vind_token_t *token)
{
    if (token->flags & (VIND_TOKEN_STOP | VIND_TOKEN_NUMBER | VIND_TOKEN_URL | VIND_TOKEN_EMAIL))
        return 0;
    if (vind_word_memo_translations(b->memo, token->stem))
        return 0;
    return vind_synonyms_is_english(b->synonyms,
                                    vind_word_memo_stem(b->memo, token->form, VIND_LANG_EN));
}

/*
 * 1 when a plain word or phrase of the query is English ("manager
 * overtuigen van open source", "korting css day"). Such a query reaches
 * English documents in the user's own words already; translating its
 * Dutch words as well made English documents full matches through words
 * they use in passing ("persuade" in a code review, make eval's multiword
 * kind lost). Costs one more analysis of the query's words.
 */
static int speaks_english(builder_t *b, const vind_qnode_t *node)
{
    if ((node->kind == VIND_QNODE_WORD && !node->prefix) || node->kind == VIND_QNODE_PHRASE) {
        const vind_tokens_t *tokens = analyze(b, node->text);
        int english = 0;
        for (size_t i = 0; tokens && !english && i < vind_tokens_count(tokens); i++)
            english = is_english_word(b, vind_tokens_get(tokens, i));
        return english;
    }
    for (size_t i = 0; i < node->n_children; i++)
        if (speaks_english(b, node->children[i]))
            return 1;
    return 0;
}

/* A copy of node without what searches nothing: stop words outside phrases
 * ("de zorg" is "zorg"), words the analyzer finds no token in ("---"),
 * groups left empty. NULL when nothing is left. */
static vind_qnode_t *prune(builder_t *b, const vind_qnode_t *node)
{
    vind_qnode_t *copy;
    switch (node->kind) {
    case VIND_QNODE_WORD:
        if (!node->prefix &&
            !(b->keep_stops ? has_tokens(b, node->text) : has_content(b, node->text)))
            return NULL;
        if (node->prefix) {
            char *form = normalised(node->text);
            int empty = !form || !*form;
            g_free(form);
            if (empty)
                return NULL;
        }
        copy = vind_qnode_new(node->kind);
        copy->field = node->field;
        copy->text = g_strdup(node->text);
        copy->prefix = node->prefix;
        return copy;
    case VIND_QNODE_PHRASE:
        if (!has_tokens(b, node->text))
            return NULL;
        copy = vind_qnode_new(node->kind);
        copy->field = node->field;
        copy->text = g_strdup(node->text);
        return copy;
    case VIND_QNODE_FILTER:
        copy = vind_qnode_new(node->kind);
        copy->field = node->field;
        copy->values = g_new0(char *, node->n_values);
        for (size_t i = 0; i < node->n_values; i++)
            copy->values[i] = g_strdup(node->values[i]);
        copy->n_values = node->n_values;
        return copy;
    case VIND_QNODE_RANGE:
        copy = vind_qnode_new(node->kind);
        copy->field = node->field;
        copy->from = g_strdup(node->from);
        copy->to = g_strdup(node->to);
        return copy;
    case VIND_QNODE_NOT:
    case VIND_QNODE_AND:
    case VIND_QNODE_OR:
    case VIND_QNODE_NEAR:
        break;
    }
    copy = vind_qnode_new(node->kind);
    copy->implicit = node->implicit;
    copy->distance = node->distance;
    size_t positives = 0;
    for (size_t i = 0; i < node->n_children; i++) {
        vind_qnode_t *child = prune(b, node->children[i]);
        if (!child)
            continue;
        if (child->kind != VIND_QNODE_NOT)
            positives++;
        add_child(copy, child);
    }
    int single = copy->n_children == 1 && positives == 1 && copy->kind != VIND_QNODE_NOT;
    if (copy->n_children == 0 || single) {
        vind_qnode_t *only = single ? copy->children[0] : NULL;
        copy->n_children = 0;
        vind_qnode_free(copy);
        return only;
    }
    return copy;
}

static int is_filter(const vind_qnode_t *node)
{
    return node->kind == VIND_QNODE_FILTER || node->kind == VIND_QNODE_RANGE;
}

/* A copy with every implicit AND turned into an OR: the any-word fallback.
 * *relaxed is set when some AND had two positive children to relax. */
static vind_qnode_t *relax(const vind_qnode_t *node, int *relaxed)
{
    vind_qnode_t *copy = vind_qnode_new(node->kind);
    copy->field = node->field;
    copy->text = g_strdup(node->text);
    copy->prefix = node->prefix;
    copy->implicit = node->implicit;
    copy->distance = node->distance;
    copy->from = g_strdup(node->from);
    copy->to = g_strdup(node->to);
    if (node->n_values) {
        copy->values = g_new0(char *, node->n_values);
        for (size_t i = 0; i < node->n_values; i++)
            copy->values[i] = g_strdup(node->values[i]);
        copy->n_values = node->n_values;
    }
    size_t words = 0;
    for (size_t i = 0; i < node->n_children; i++) {
        vind_qnode_kind_t kind = node->children[i]->kind;
        if (kind != VIND_QNODE_NOT && kind != VIND_QNODE_FILTER && kind != VIND_QNODE_RANGE)
            words++;
    }
    if (node->kind != VIND_QNODE_AND || !node->implicit || words < 2) {
        for (size_t i = 0; i < node->n_children; i++)
            add_child(copy, relax(node->children[i], relaxed));
        return copy;
    }
    /* zorg wonen -ggz tag:x -> (zorg OR wonen) AND NOT ggz AND tag:x */
    *relaxed = 1;
    vind_qnode_t *any = vind_qnode_new(VIND_QNODE_OR);
    for (size_t i = 0; i < node->n_children; i++) {
        const vind_qnode_t *child = node->children[i];
        if (child->kind != VIND_QNODE_NOT && !is_filter(child))
            add_child(any, relax(child, relaxed));
    }
    add_child(copy, any);
    for (size_t i = 0; i < node->n_children; i++) {
        const vind_qnode_t *child = node->children[i];
        if (child->kind == VIND_QNODE_NOT || is_filter(child))
            add_child(copy, relax(child, relaxed));
    }
    if (copy->n_children == 1) {
        copy->n_children = 0;
        vind_qnode_free(copy);
        return any;
    }
    return copy;
}

/* ------------------------------------------------------------------ */
/* Building                                                            */

static vind_xapian_query_t *checked(builder_t *b, vind_xapian_query_t *query)
{
    if (!query)
        b->failed = 1;
    return query;
}

/* A term no document has is searched as match-nothing (vind_query_present_t):
 * no pass then asks Xapian for its statistics or opens its post list. */
static vind_xapian_query_t *term_query(builder_t *b, const char *prefix, const char *term)
{
    char *full = g_strconcat(prefix, term, NULL);
    vind_xapian_query_t *query =
        checked(b, b->present && !b->present(b->correct_data, full)
                       ? vind_xapian_query_match_nothing()
                       : vind_xapian_query_term(full, 1, 0));
    g_free(full);
    return query;
}

/* Combines the queries in children (consumed); NULL when there are none. */
static vind_xapian_query_t *combine(builder_t *b, vind_xapian_op_t op, GPtrArray *children)
{
    vind_xapian_query_t *result = NULL;
    if (children->len == 1 && (op == VIND_XAPIAN_OP_AND || op == VIND_XAPIAN_OP_OR))
        result = g_ptr_array_index(children, 0);
    else if (children->len > 0)
        result = checked(b, vind_xapian_query_compound(
                                op, (vind_xapian_query_t *const *)children->pdata, children->len));
    g_ptr_array_free(children, TRUE);
    return result;
}

static vind_xapian_query_t *pair(builder_t *b, vind_xapian_op_t op, vind_xapian_query_t *first,
                                 vind_xapian_query_t *second)
{
    if (!second)
        return first;
    if (!first) {
        vind_xapian_query_free(second);
        b->failed = 1;
        return NULL;
    }
    vind_xapian_query_t *children[2] = {first, second};
    return checked(b, vind_xapian_query_compound(op, children, 2));
}

static vind_xapian_query_t *scaled(builder_t *b, vind_xapian_query_t *query, double factor)
{
    if (!query)
        return NULL;
    return checked(b, vind_xapian_query_scale_weight(query, factor));
}

/*
 * The English stem of a token's form when it differs from its Dutch term,
 * else NULL (g_malloc'd). English documents (8 of the corpus PDFs) are
 * indexed with English stems; a query is typed in no declared language, so
 * each word also looks for its English stem: "evaluations" finds the
 * English "evaluation" report as well as the Dutch "evaluatie". Not when
 * a Dutch word's English stem is another Dutch word: "kans" must not find
 * "kan" (Dutch terms are lemmas, lib/analyze.c, so they would meet).
 * An English stem that is the typed form itself is no other word, though:
 * "backend" (Dutch lemma "backen", a verb's participle) must still find the
 * English "backend" (make eval's `load test backend` lost its answer).
 */
static char *english_stem(builder_t *b, const vind_token_t *token)
{
    if (token->flags & (VIND_TOKEN_NUMBER | VIND_TOKEN_URL | VIND_TOKEN_EMAIL))
        return NULL;
    const char *stem = vind_word_memo_stem(b->memo, token->form, VIND_LANG_EN);
    const vind_lexicon_t *lexicon = vind_analyzer_lexicon(b->analyzer);
    if (stem && strcmp(stem, token->stem) != 0 &&
        (strcmp(stem, token->form) == 0 ||
         !(vind_lexicon_has_word(lexicon, token->form) && vind_lexicon_has_word(lexicon, stem))))
        return g_strdup(stem);
    return NULL;
}

/* A stop word is a match term only in a query of nothing else ("de"):
 * then it is searched, so kwic and snippets show it too, as count finds it. */
static void collect_stem(builder_t *b, const vind_token_t *token)
{
    if (!b->collect || b->negated || ((token->flags & VIND_TOKEN_STOP) && !b->keep_stops))
        return;
    vind_match_terms_add_stem(b->match_terms, token->stem);
    char *english = english_stem(b, token);
    if (english)
        vind_match_terms_add_stem(b->match_terms, english);
    g_free(english);
}

/* The term of a token under prefix, with its English stem as an alternative:
 * SYNONYM for a plain word (one term for BM25), OR inside phrases and NEAR
 * (Xapian's positional operators take terms or ORs of terms only). */
static vind_xapian_query_t *stem_query_op(builder_t *b, const char *prefix,
                                          const vind_token_t *token, vind_xapian_op_t op)
{
    vind_xapian_query_t *dutch = term_query(b, prefix, token->stem);
    char *english = english_stem(b, token);
    if (!english)
        return dutch;
    vind_xapian_query_t *query = pair(b, op, dutch, term_query(b, prefix, english));
    g_free(english);
    return query;
}

static vind_xapian_query_t *stem_query(builder_t *b, const char *prefix, const vind_token_t *token)
{
    return stem_query_op(b, prefix, token, VIND_XAPIAN_OP_SYNONYM);
}

static vind_xapian_query_t *positional_stem_query(builder_t *b, const char *prefix,
                                                  const vind_token_t *token)
{
    return stem_query_op(b, prefix, token, VIND_XAPIAN_OP_OR);
}

/* A phrase of the tokens' stems under prefix (a single token: its term). */
static vind_xapian_query_t *phrase_of(builder_t *b, const vind_tokens_t *tokens, const char *prefix,
                                      int skip_stops)
{
    GPtrArray *children = g_ptr_array_new();
    unsigned first = 0, last = 0;
    for (size_t i = 0; i < vind_tokens_count(tokens); i++) {
        const vind_token_t *token = vind_tokens_get(tokens, i);
        if (skip_stops && (token->flags & VIND_TOKEN_STOP))
            continue;
        if (children->len == 0)
            first = token->position;
        last = token->position;
        g_ptr_array_add(children, positional_stem_query(b, prefix, token));
        collect_stem(b, token);
    }
    if (children->len <= 1)
        return combine(b, VIND_XAPIAN_OP_OR, children);
    size_t count = children->len;
    unsigned window = last - first + 1;
    if (window < count)
        window = (unsigned)count;
    vind_xapian_query_t *query = checked(
        b, vind_xapian_query_phrase((vind_xapian_query_t *const *)children->pdata, count, window));
    g_ptr_array_free(children, TRUE);
    return query;
}

/* Another text (a synonym's expansion or an acronym) as a weaker alternative. */
static vind_xapian_query_t *alternative(builder_t *b, const char *text)
{
    const vind_tokens_t *tokens = analyze(b, text);
    if (!tokens)
        return NULL;
    vind_xapian_query_t *query = NULL;
    if (vind_tokens_count(tokens) > 0)
        query = scaled(b, phrase_of(b, tokens, "", 0), b->weights->synonym_weight);
    return query;
}

/* OR(query, alternatives): ggz OR "geestelijke gezondheidszorg". */
static vind_xapian_query_t *with_alternatives(builder_t *b, vind_xapian_query_t *query,
                                              const char *const *alternatives)
{
    if (!alternatives || !query)
        return query;
    GPtrArray *children = g_ptr_array_new();
    g_ptr_array_add(children, query);
    for (const char *const *a = alternatives; *a; a++) {
        vind_xapian_query_t *alt = alternative(b, *a);
        if (alt)
            g_ptr_array_add(children, alt);
    }
    return combine(b, VIND_XAPIAN_OP_OR, children);
}

/*
 * A Dutch word's English translations (vind_synonyms_translations: Debian's
 * dict-freedict-nld-eng) as FILTER(SYNONYM(term, English stems), L=en), at
 * the translation weight: only an ENGLISH document can match it, so a Dutch
 * document that happens to use "meeting" or "discount" ranks as without it
 * (the dictionary as plain synonyms lost on three query kinds,
 * docs/ranking.md), and an English document can only gain. The Dutch term
 * is in the SYNONYM so that a translation weighs as an occurrence of the
 * word: English words are rare in a Dutch collection, and with their own
 * idf a dictionary's stray sense ("zorgen": "see") put three English
 * reports above every Dutch answer to `zorg`. NULL when the word has no
 * translation. Costs one hash look-up, and in the match a few term lists,
 * each cut to English documents by the L=en list.
 */
/* The translations of a collected word, marked in English documents'
 * snippets as the word itself (plan->english_match_terms). */
static void collect_translations(builder_t *b, const char *stem, const char *stems)
{
    if (!b->collect || b->negated)
        return;
    for (const char *english = stems; *english; english += strlen(english) + 1) {
        g_ptr_array_add(b->translations, g_strdup(english));
        g_ptr_array_add(b->translations, g_strdup(stem));
    }
}

/* op(stem, its English stems), or NULL when the stem has no translation. */
static vind_xapian_query_t *translated_stem(builder_t *b, const char *stem, vind_xapian_op_t op)
{
    const char *stems = vind_word_memo_translations(b->memo, stem);
    if (!stems)
        return NULL;
    GPtrArray *children = g_ptr_array_new();
    g_ptr_array_add(children, term_query(b, "", stem));
    for (const char *english = stems; *english; english += strlen(english) + 1)
        if (strcmp(english, stem) != 0)
            g_ptr_array_add(children, term_query(b, "", english));
    vind_xapian_query_t *any = combine(b, op, children);
    if (any)
        collect_translations(b, stem, stems);
    return any;
}

/*
 * A compound the dictionary lacks, translated part by part: "broncode"
 * (bron + code) as the English phrase "source code", each part any of its
 * translations (PHRASE(OR(bron, fountain, sourc, spring), OR(code))). The
 * parts stay in their order and side by side, as English writes a compound
 * of two nouns ("source code", "password manager"): the parts' common senses
 * anywhere in a long English report ("year" and "report" for "jaarverslag")
 * would match far too much. NULL unless the word has two parts or more and
 * every part has a translation. Costs a translation look-up per part, only
 * for a compound with no translation of its own, and in the passes the
 * phrase's position lists: 1.0% of vind_search over the 1,000 bench requests
 * (callgrind, docs/ranking.md "Query kinds against the engine before issue 13").
 */
static vind_xapian_query_t *translated_parts(builder_t *b, const vind_token_t *token)
{
    if (!token->extra[0] || !token->extra[1])
        return NULL;
    for (const char *const *part = token->extra; *part; part++)
        if (!vind_word_memo_translations(b->memo, *part))
            return NULL;
    GPtrArray *parts = g_ptr_array_new();
    for (const char *const *part = token->extra; *part; part++)
        g_ptr_array_add(parts, translated_stem(b, *part, VIND_XAPIAN_OP_OR));
    unsigned count = parts->len;
    vind_xapian_query_t *phrase = checked(
        b, vind_xapian_query_phrase((vind_xapian_query_t *const *)parts->pdata, count, count));
    g_ptr_array_free(parts, TRUE);
    return phrase;
}

/* A word's English translations, or its parts' when the word has none. The
 * parts' phrase sits in a SYNONYM with the compound's own term, so that it
 * weighs as an occurrence of the word, as a translation does: with each
 * English stem's own idf, the ROS code review, which says "administrator
 * changes" once, ranked above the article titled "Bestuurswijzigingen" for
 * that word (23.4 against 14.7; in the SYNONYM 4.1). */
static vind_xapian_query_t *translation_query(builder_t *b, const vind_token_t *token)
{
    if (b->weights->translation_weight <= 0)
        return NULL;
    vind_xapian_query_t *any = translated_stem(b, token->stem, VIND_XAPIAN_OP_SYNONYM);
    if (!any) {
        vind_xapian_query_t *phrase = translated_parts(b, token);
        if (phrase)
            any = pair(b, VIND_XAPIAN_OP_SYNONYM, term_query(b, "", token->stem), phrase);
    }
    if (!any)
        return NULL;
    vind_xapian_query_t *english_only =
        pair(b, VIND_XAPIAN_OP_FILTER, any, term_query(b, VIND_PREFIX_LANG, "en"));
    return scaled(b, english_only, b->weights->translation_weight);
}

/* One token of a plain word: its stem, or a compound part at lower weight. */
static vind_xapian_query_t *token_query(builder_t *b, const vind_token_t *token)
{
    vind_xapian_query_t *whole = stem_query(b, "", token);
    vind_xapian_query_t *part =
        scaled(b, term_query(b, VIND_PREFIX_PART, token->stem), b->weights->part_weight);
    return pair(b, VIND_XAPIAN_OP_OR, whole, part);
}

/* A compound's parts as separate words, weaker than the compound itself:
 * "beveiligingsonderzoeken" also finds a report on "onderzoek naar de
 * beveiliging". NULL for a word that is no compound. */
static vind_xapian_query_t *split_query(builder_t *b, const vind_token_t *token)
{
    if (b->weights->split_weight <= 0 || !token->extra[0] || !token->extra[1])
        return NULL;
    GPtrArray *parts = g_ptr_array_new();
    for (const char *const *part = token->extra; *part; part++)
        g_ptr_array_add(parts, term_query(b, "", *part));
    return scaled(b, combine(b, VIND_XAPIAN_OP_AND, parts), b->weights->split_weight);
}

static int is_vowel(char c)
{
    return c && strchr("aeiou", c) != NULL;
}

/*
 * The noun a Dutch verb is made from, or made into, by conversion: the
 * verb's stem (the infinitive without -en, spelt as a word: a short open
 * vowel doubled, a doubled consonant single, v -> f, z -> s), when the
 * lexicon has that word as its own lemma: downloaden -> download, beheren
 * -> beheer, onderzoeken -> onderzoek, bouwen -> bouw. Lemma terms keep
 * the noun and the verb apart (issue 13), so `gedownload` no longer found
 * the factsheet's "downloads" nor the English "downloaded" (make eval's
 * `hoe vaak is coronamelder gedownload`). NULL for anything else (g_malloc'd).
 * A verb whose stem is another word's form (lopen: "loop" is a form of
 * lopen) gets nothing: the stem must analyse to itself; nor does a verb the
 * lexicon flags as another word than that noun (VIND_LEX_VERB_TOO).
 * Costs one lexicon look-up and one vind_analyze_word for each query word
 * whose term ends in -en.
 */
static char *converted_noun(builder_t *b, const char *verb)
{
    size_t n = strlen(verb);
    if (n < 6 || strcmp(verb + n - 2, "en") != 0 || is_vowel(verb[n - 3]))
        return NULL;
    /* The lexicon keeps this verb off the noun its infinitive is the plural
     * of: another word ("geboekt" is no "boek"; docs/morphology.md). */
    const vind_lexicon_t *lexicon = vind_analyzer_lexicon(b->analyzer);
    if (lexicon && (vind_lexicon_flags(lexicon, verb, n) & VIND_LEX_VERB_TOO))
        return NULL;
    GString *noun = g_string_new_len(verb, (gssize)(n - 2));
    size_t m = noun->len;
    char last = noun->str[m - 1];
    if (noun->str[m - 2] == last) {
        g_string_truncate(noun, m - 1); /* bakken -> bak */
    } else if (m >= 3 && is_vowel(noun->str[m - 2]) && !is_vowel(noun->str[m - 3]) &&
               noun->str[m - 2] != 'i') {
        g_string_insert_c(noun, (gssize)(m - 2), noun->str[m - 2]); /* beheren -> beheer */
    }
    m = noun->len;
    if (noun->str[m - 1] == 'v')
        noun->str[m - 1] = 'f';
    else if (noun->str[m - 1] == 'z')
        noun->str[m - 1] = 's';
    const char *term = vind_word_memo_stem(b->memo, noun->str, VIND_LANG_NL);
    int own = term && strcmp(term, noun->str) == 0 &&
              !vind_is_stopword(vind_analyzer_lexicon(b->analyzer), noun->str, VIND_LANG_NL);
    return g_string_free(noun, !own);
}

/* The converted noun of a verb token as a weaker alternative, or NULL. */
static vind_xapian_query_t *converted_query(builder_t *b, const vind_token_t *token)
{
    double weight = b->weights->conversion_weight;
    char *noun = weight > 0 ? converted_noun(b, token->stem) : NULL;
    if (!noun)
        return NULL;
    vind_xapian_query_t *query = scaled(b, term_query(b, "", noun), weight);
    if (b->collect && !b->negated)
        vind_match_terms_add_stem(b->match_terms, noun);
    g_free(noun);
    return query;
}

/*
 * The two readings of an infinitive that is also the plural of a noun of
 * another meaning (VIND_LEX_VERB_TOO: "kiezen", "tonen", "boeken"), which
 * the index keeps apart (docs/morphology.md, "Verb and noun"):
 *  - the word typed as such is the verb as much as the noun: it also
 *    searches the infinitive's own term, which the verb's other forms have
 *    ("kiezen" finds "gekozen", "tonen" finds "toont");
 *  - a form of such a verb ("gekozen", term "kiezen") also searches the
 *    infinitive written as a word, which the analyzer gives the extra term
 *    P"kiezen" (no compound part has it), at full weight, not a part's.
 * NULL for any other word. Costs one or two lexicon look-ups per query word.
 */
static vind_xapian_query_t *verb_reading_query(builder_t *b, const vind_token_t *token)
{
    const vind_lexicon_t *lexicon = vind_analyzer_lexicon(b->analyzer);
    if (!lexicon)
        return NULL;
    const char *infinitive = NULL;
    const char *prefix = "";
    if (strcmp(token->form, token->stem) != 0 &&
        (vind_lexicon_flags(lexicon, token->form, strlen(token->form)) & VIND_LEX_VERB_TOO)) {
        infinitive = token->form;
    } else if (vind_lexicon_flags(lexicon, token->stem, strlen(token->stem)) & VIND_LEX_VERB_TOO) {
        infinitive = token->stem;
        prefix = VIND_PREFIX_PART;
    }
    if (!infinitive)
        return NULL;
    if (b->collect && !b->negated)
        vind_match_terms_add_stem(b->match_terms, infinitive);
    return term_query(b, prefix, infinitive);
}

/* corrected: the token searched in its place (an unknown word's
 * correction), or NULL. The boosts use what is searched: an unknown stem
 * would keep the proximity boost from ever matching. */
static void remember_word(builder_t *b, const char *typed, const vind_token_t *token,
                          const vind_token_t *corrected)
{
    if (!b->collect || b->negated)
        return;
    const vind_token_t *searched = corrected ? corrected : token;
    g_ptr_array_add(b->exact_forms, g_strconcat(VIND_PREFIX_EXACT, searched->form, NULL));
    g_ptr_array_add(b->proximity, g_strdup(searched->stem));
    vind_query_word_t word = {.typed = strdup(typed),
                              .form = strdup(token->form),
                              .stem = strdup(token->stem),
                              .correction = corrected ? strdup(corrected->form) : NULL};
    if (!word.typed || !word.form || !word.stem || (corrected && !word.correction))
        b->failed = 1;
    g_array_append_val(b->words, word);
}

/*
 * The correction of an unknown plain word as tokens holding exactly one
 * token ("kubernets" -> "kubernetes"), or NULL: no corrector, an excluded
 * word (excluding a guess would drop documents nobody asked to drop), or
 * nothing to offer.
 */
static const vind_tokens_t *correction_of(builder_t *b, const vind_token_t *token)
{
    if (!b->correct || b->negated ||
        (token->flags & (VIND_TOKEN_NUMBER | VIND_TOKEN_URL | VIND_TOKEN_EMAIL)))
        return NULL;
    char *better = b->correct(b->correct_data, token);
    if (!better)
        return NULL;
    const vind_tokens_t *tokens = analyze(b, better);
    free(better);
    return tokens && vind_tokens_count(tokens) == 1 ? tokens : NULL;
}

/* A plain word searched in any field: its token, or (unknown in the index)
 * also its spelling correction. */
static vind_xapian_query_t *plain_word_query(builder_t *b, const char *typed,
                                             const vind_token_t *token)
{
    vind_xapian_query_t *query = token_query(b, token);
    collect_stem(b, token);
    query = pair(b, VIND_XAPIAN_OP_OR, query, split_query(b, token));
    query = pair(b, VIND_XAPIAN_OP_OR, query, converted_query(b, token));
    query = pair(b, VIND_XAPIAN_OP_OR, query, verb_reading_query(b, token));
    const vind_tokens_t *correction = correction_of(b, token);
    const vind_token_t *corrected = correction ? vind_tokens_get(correction, 0) : NULL;
    if (corrected) {
        query = pair(b, VIND_XAPIAN_OP_OR, query,
                     scaled(b, token_query(b, corrected), b->weights->correction_weight));
        collect_stem(b, corrected);
    }
    remember_word(b, typed, token, corrected);
    return query;
}

/*
 * A word of several tokens ("niet-rokers", "Noord-Holland", "e-mailadres",
 * "COVID-19"): the phrase of all its parts, stop words included, as Omega
 * does: "niet-rokers" is not "rokers", and the indexer gave "niet" its
 * position. Or the parts written as one word ("nietrokers"), the joined term
 * the indexer adds to the first part (lib/analyze.c).
 */
static vind_xapian_query_t *hyphenated_query(builder_t *b, const vind_tokens_t *tokens,
                                             const char *prefix)
{
    vind_xapian_query_t *query = phrase_of(b, tokens, prefix, 0);
    GString *joined = g_string_new(NULL);
    for (size_t i = 0; i < vind_tokens_count(tokens); i++)
        g_string_append(joined, vind_tokens_get(tokens, i)->form);
    const char *stem = vind_word_memo_stem(b->memo, joined->str, VIND_LANG_NL);
    g_string_free(joined, TRUE);
    if (stem) {
        vind_xapian_query_t *whole = term_query(b, prefix, stem);
        if (!*prefix) /* the first part's extra term when written with hyphens */
            whole = pair(b, VIND_XAPIAN_OP_OR, whole, term_query(b, VIND_PREFIX_PART, stem));
        query = pair(b, VIND_XAPIAN_OP_OR, query, whole);
    }
    return query;
}

static vind_xapian_query_t *build_prefix(builder_t *b, const vind_qnode_t *node)
{
    char *form = normalised(node->text);
    const char *prefix =
        node->field == VIND_QFIELD_ANY ? VIND_PREFIX_EXACT : field_prefix(node->field);
    char *pattern = g_strconcat(prefix, form, NULL);
    vind_xapian_query_t *query =
        checked(b, b->expand ? b->expand(b->correct_data, pattern, b->wildcard_limit)
                             : vind_xapian_query_wildcard(pattern, b->wildcard_limit));
    if (b->collect && !b->negated)
        vind_match_terms_add_prefix(b->match_terms, form);
    if (b->collect) {
        g_ptr_array_add(b->wildcards, pattern);
        g_ptr_array_add(b->wildcards_typed, g_strconcat(node->text, "*", NULL));
        pattern = NULL;
    }
    g_free(pattern);
    g_free(form);
    return query;
}

static vind_xapian_query_t *build_word(builder_t *b, const vind_qnode_t *node)
{
    if (node->prefix)
        return build_prefix(b, node);
    const vind_tokens_t *tokens = analyze(b, node->text);
    if (!tokens)
        return NULL;
    vind_xapian_query_t *query = NULL;
    const char *prefix = field_prefix(node->field);
    size_t kept = 0;
    const vind_token_t *only = NULL;
    for (size_t i = 0; i < vind_tokens_count(tokens); i++) {
        const vind_token_t *token = vind_tokens_get(tokens, i);
        if (!b->keep_stops && (token->flags & VIND_TOKEN_STOP))
            continue;
        kept++;
        only = token;
    }
    if (kept >= 1 && vind_tokens_count(tokens) > 1) {
        query = hyphenated_query(b, tokens, prefix);
    } else if (kept == 1 && node->field == VIND_QFIELD_ANY) {
        query = plain_word_query(b, node->text, only);
        if (b->translate)
            query = pair(b, VIND_XAPIAN_OP_OR, query, translation_query(b, only));
    } else if (kept == 1) {
        query = stem_query(b, prefix, only);
        collect_stem(b, only);
    }
    if (node->field == VIND_QFIELD_ANY) {
        char *key = normalised(node->text);
        query = with_alternatives(b, query, vind_synonyms_expansions(b->synonyms, key));
        g_free(key);
    }
    return query;
}

static vind_xapian_query_t *build_phrase(builder_t *b, const vind_qnode_t *node)
{
    const vind_tokens_t *tokens = analyze(b, node->text);
    if (!tokens)
        return NULL;
    vind_xapian_query_t *query = NULL;
    if (vind_tokens_count(tokens) > 0)
        query = phrase_of(b, tokens, field_prefix(node->field), 0);
    if (node->field == VIND_QFIELD_ANY) {
        /* "geestelijke gezondheidszorg" also finds "ggz". */
        char *key = normalised(node->text);
        query = with_alternatives(b, query, vind_synonyms_keys_for(b->synonyms, key));
        g_free(key);
    }
    return query;
}

static vind_xapian_query_t *build_near(builder_t *b, const vind_qnode_t *node)
{
    GPtrArray *children = g_ptr_array_new();
    for (size_t i = 0; i < node->n_children; i++) {
        const vind_qnode_t *child = node->children[i];
        const vind_tokens_t *tokens = child->text ? analyze(b, child->text) : NULL;
        const char *prefix = field_prefix(child->field);
        for (size_t k = 0; tokens && k < vind_tokens_count(tokens); k++) {
            const vind_token_t *token = vind_tokens_get(tokens, k);
            if (token->flags & VIND_TOKEN_STOP)
                continue;
            g_ptr_array_add(children, positional_stem_query(b, prefix, token));
            collect_stem(b, token);
        }
    }
    if (children->len < 2)
        return combine(b, VIND_XAPIAN_OP_AND, children);
    size_t count = children->len;
    vind_xapian_query_t *query =
        checked(b, vind_xapian_query_near((vind_xapian_query_t *const *)children->pdata, count,
                                          node->distance + (unsigned)count));
    g_ptr_array_free(children, TRUE);
    return query;
}

vind_xapian_query_t *vind_query_filter(vind_qfield_t field, const char *const *values,
                                       size_t n_values)
{
    const char *prefix;
    switch (field) {
    case VIND_QFIELD_TAG:
        prefix = VIND_PREFIX_TAG;
        break;
    case VIND_QFIELD_THEME:
        prefix = VIND_PREFIX_THEME;
        break;
    case VIND_QFIELD_TYPE:
        prefix = VIND_PREFIX_TYPE;
        break;
    case VIND_QFIELD_YEAR:
        prefix = VIND_PREFIX_YEAR;
        break;
    default:
        return NULL;
    }
    if (n_values == 0)
        return vind_xapian_query_match_nothing();
    vind_xapian_query_t **children = calloc(n_values, sizeof *children);
    if (!children)
        return NULL;
    for (size_t i = 0; i < n_values; i++) {
        char *term = vind_facet_term(prefix, values[i]);
        children[i] = term ? vind_xapian_query_term(term, 1, 0) : NULL;
        free(term);
    }
    vind_xapian_query_t *any = vind_xapian_query_compound(VIND_XAPIAN_OP_OR, children, n_values);
    free(children);
    /* A filter ranks nothing: weight 0 makes it purely boolean. */
    return any ? vind_xapian_query_scale_weight(any, 0.0) : NULL;
}

/* "2019" -> "20190101" (low) or "20191231" (high); "2019-06" -> "20190601"
 * or "20190631" (byte order only needs to stay within the month). */
static int date_key(const char *date, int high, int year_only, char out[9])
{
    size_t len = strlen(date);
    if (len != 4 && len != 7 && len != 10)
        return 0;
    for (size_t i = 0; i < len; i++) {
        int dash = (i == 4 || i == 7);
        if (dash ? date[i] != '-' : !g_ascii_isdigit(date[i]))
            return 0;
    }
    if (year_only) {
        memcpy(out, date, 4);
        out[4] = '\0';
        return 1;
    }
    memcpy(out, date, 4);
    memcpy(out + 4, len >= 7 ? date + 5 : (high ? "12" : "01"), 2);
    memcpy(out + 6, len == 10 ? date + 8 : (high ? "31" : "01"), 2);
    out[8] = '\0';
    return 1;
}

int vind_query_date_range(const char *from, const char *to, int year_slot,
                          vind_xapian_query_t **out)
{
    char low[9], high[9];
    if (from && !date_key(from, 0, year_slot, low))
        return 0;
    if (to && !date_key(to, 1, year_slot, high))
        return 0;
    unsigned slot = year_slot ? VIND_SLOT_YEAR : VIND_SLOT_DATE;
    *out = vind_xapian_query_value_range(slot, from ? low : NULL, from ? strlen(low) : 0,
                                         to ? high : NULL, to ? strlen(high) : 0);
    return 1;
}

static vind_xapian_query_t *build(builder_t *b, const vind_qnode_t *node);

static vind_xapian_query_t *build_and(builder_t *b, const vind_qnode_t *node)
{
    GPtrArray *positives = g_ptr_array_new();
    GPtrArray *filters = g_ptr_array_new();
    GPtrArray *negatives = g_ptr_array_new();
    for (size_t i = 0; i < node->n_children; i++) {
        const vind_qnode_t *child = node->children[i];
        GPtrArray *into = child->kind == VIND_QNODE_NOT ? negatives
                          : is_filter(child)            ? filters
                                                        : positives;
        vind_xapian_query_t *query;
        if (child->kind == VIND_QNODE_NOT) {
            b->negated++;
            query = build(b, child->children[0]);
            b->negated--;
        } else
            query = build(b, child);
        if (query)
            g_ptr_array_add(into, query);
    }
    vind_xapian_query_t *query = combine(b, VIND_XAPIAN_OP_AND, positives);
    if (!query && (filters->len || negatives->len))
        query = checked(b, vind_xapian_query_match_all());
    if (filters->len) {
        vind_xapian_query_t *filter = combine(b, VIND_XAPIAN_OP_AND, filters);
        query = pair(b, VIND_XAPIAN_OP_FILTER, query, filter);
    } else
        g_ptr_array_free(filters, TRUE);
    if (negatives->len) {
        vind_xapian_query_t *excluded = combine(b, VIND_XAPIAN_OP_OR, negatives);
        query = pair(b, VIND_XAPIAN_OP_AND_NOT, query, excluded);
    } else
        g_ptr_array_free(negatives, TRUE);
    return query;
}

static vind_xapian_query_t *build(builder_t *b, const vind_qnode_t *node)
{
    switch (node->kind) {
    case VIND_QNODE_WORD:
        return build_word(b, node);
    case VIND_QNODE_PHRASE:
        return build_phrase(b, node);
    case VIND_QNODE_NEAR:
        return build_near(b, node);
    case VIND_QNODE_FILTER:
        return checked(
            b, vind_query_filter(node->field, (const char *const *)node->values, node->n_values));
    case VIND_QNODE_RANGE: {
        vind_xapian_query_t *range = NULL;
        if (!vind_query_date_range(node->from, node->to, node->field == VIND_QFIELD_YEAR, &range))
            return checked(b, vind_xapian_query_match_nothing());
        return checked(b, range);
    }
    case VIND_QNODE_NOT: {
        /* A NOT outside an AND ("-wonen", "a OR -b"): everything without it. */
        b->negated++;
        vind_xapian_query_t *excluded = build(b, node->children[0]);
        b->negated--;
        if (!excluded)
            return NULL;
        return pair(b, VIND_XAPIAN_OP_AND_NOT, checked(b, vind_xapian_query_match_all()), excluded);
    }
    case VIND_QNODE_AND:
        return build_and(b, node);
    case VIND_QNODE_OR: {
        GPtrArray *children = g_ptr_array_new();
        for (size_t i = 0; i < node->n_children; i++) {
            vind_xapian_query_t *query = build(b, node->children[i]);
            if (query)
                g_ptr_array_add(children, query);
        }
        return combine(b, VIND_XAPIAN_OP_OR, children);
    }
    }
    return NULL;
}

/* Longest form joined (a compound of two words longer than this is no
 * compound a reader types apart). */
#define JOINED_FORM_BYTES 64
/* Shortest part joined: "de zorg" is no "dezorg". */
#define MIN_JOINED_PART_BYTES 4

/* Adds the exact-form term of first and second written as one word, with
 * link between them ("" or "s"; none when first already ends in it), to
 * terms, and to titles (NULL: none) the title term of that compound: first,
 * link and the stem of second, since a compound inflects at its end
 * ("reageer knoppen": Sreageerknop). Built, not analysed: analysing the
 * four joined words of a pair cost ~350,000 instructions (callgrind, the
 * judged multi-word queries), some 10% of a search. */
static void add_joined(builder_t *b, GPtrArray *terms, GPtrArray *titles, const char *first,
                       const char *second, const char *second_stem, const char *link)
{
    size_t n = strlen(first);
    if (*link && n && first[n - 1] == *link)
        return;
    if (n + strlen(link) + strlen(second) > JOINED_FORM_BYTES)
        return;
    char *term = g_strconcat(VIND_PREFIX_EXACT, first, link, second, NULL);
    g_ptr_array_add(terms, term_query(b, "", term));
    g_free(term);
    if (titles) {
        term = g_strconcat(VIND_PREFIX_TITLE, first, link, second_stem, NULL);
        g_ptr_array_add(titles, term_query(b, "", term));
        g_free(term);
    }
}

/*
 * Dutch writes a compound as one word, and users type its parts apart, in
 * either order ("effectbeoordeling gegevensbescherming" for the
 * "gegevensbeschermingseffectbeoordeling" a DPIA is called). A document
 * with that one word matches already (the parts are index terms of it,
 * at the part weight); this boost ranks it as a document that has the
 * query's words side by side. Each pair of adjacent words gives four exact
 * forms (both orders, with and without a linking s); a form no document
 * has costs one term look-up in the ranked pass and matches nothing.
 * *in_title gets the title terms of the same four compounds:
 * a document titled with the compound is the one the words name, above
 * a document that has the compound once and one of the words throughout
 * (the DPIA, titled Gegevensbeschermingseffectbeoordeling, against the
 * Raad van State's letter with "gegevensbescherming" twenty times;
 * docs/ranking.md). Costs four more term look-ups per pair in the ranked
 * pass (~86,000 instructions, 2% of a multi-word search, callgrind).
 */
static vind_xapian_query_t *joined_forms(builder_t *b, vind_xapian_query_t **in_title)
{
    GPtrArray *terms = g_ptr_array_new();
    GPtrArray *titles = b->weights->joined_title_boost > 0 ? g_ptr_array_new() : NULL;
    size_t prefix = strlen(VIND_PREFIX_EXACT);
    for (guint i = 0; i + 1 < b->exact_forms->len; i++) {
        const char *x = (const char *)g_ptr_array_index(b->exact_forms, i) + prefix;
        const char *y = (const char *)g_ptr_array_index(b->exact_forms, i + 1) + prefix;
        if (strlen(x) < MIN_JOINED_PART_BYTES || strlen(y) < MIN_JOINED_PART_BYTES)
            continue;
        const char *x_stem = g_ptr_array_index(b->proximity, i);
        const char *y_stem = g_ptr_array_index(b->proximity, i + 1);
        add_joined(b, terms, titles, x, y, y_stem, "");
        add_joined(b, terms, titles, x, y, y_stem, "s");
        add_joined(b, terms, titles, y, x, x_stem, "");
        add_joined(b, terms, titles, y, x, x_stem, "s");
    }
    *in_title = titles ? combine(b, VIND_XAPIAN_OP_OR, titles) : NULL; /* NULL when none */
    return combine(b, VIND_XAPIAN_OP_OR, terms); /* NULL when none */
}

/* The strict query with its boosts: AND_MAYBE(query, exact forms,
 * proximity, joined forms). */
static vind_xapian_query_t *with_boosts(builder_t *b, vind_xapian_query_t *query)
{
    if (!query || b->exact_forms->len == 0)
        return query;
    GPtrArray *children = g_ptr_array_new();
    g_ptr_array_add(children, query);
    GPtrArray *forms = g_ptr_array_new();
    for (guint i = 0; i < b->exact_forms->len; i++)
        g_ptr_array_add(forms, term_query(b, "", g_ptr_array_index(b->exact_forms, i)));
    g_ptr_array_add(children,
                    scaled(b, combine(b, VIND_XAPIAN_OP_OR, forms), b->weights->exact_boost));
    if (b->proximity->len >= 2) {
        GPtrArray *near = g_ptr_array_new();
        for (guint i = 0; i < b->proximity->len; i++)
            g_ptr_array_add(near, term_query(b, "", g_ptr_array_index(b->proximity, i)));
        size_t count = near->len;
        vind_xapian_query_t *close = checked(
            b, vind_xapian_query_near((vind_xapian_query_t *const *)near->pdata, count,
                                      (unsigned)count + b->weights->proximity_window_extra));
        g_ptr_array_free(near, TRUE);
        g_ptr_array_add(children, scaled(b, close, b->weights->proximity_boost));
    }
    if (b->exact_forms->len >= 2 && b->weights->joined_boost > 0) {
        vind_xapian_query_t *in_title = NULL;
        g_ptr_array_add(children, scaled(b, joined_forms(b, &in_title), b->weights->joined_boost));
        g_ptr_array_add(children, scaled(b, in_title, b->weights->joined_title_boost));
    }
    for (guint i = 0; i < children->len; i++)
        if (!g_ptr_array_index(children, i))
            g_ptr_array_remove_index(children, i--);
    return combine(b, VIND_XAPIAN_OP_AND_MAYBE, children);
}

void vind_query_plan_free(vind_query_plan_t *plan)
{
    if (!plan)
        return;
    vind_xapian_query_free(plan->query);
    vind_xapian_query_free(plan->fallback);
    vind_xapian_query_free(plan->matching);
    free(plan->understood);
    free(plan->understood_fallback);
    vind_match_terms_free(plan->match_terms);
    vind_match_terms_free(plan->english_match_terms);
    for (size_t i = 0; i < plan->n_words; i++) {
        free(plan->words[i].typed);
        free(plan->words[i].form);
        free(plan->words[i].stem);
        free(plan->words[i].correction);
    }
    free(plan->words);
    for (char **w = plan->wildcards; w && *w; w++)
        free(*w);
    for (char **w = plan->wildcards_typed; w && *w; w++)
        free(*w);
    free(plan->wildcards);
    free(plan->wildcards_typed);
    free(plan);
}

/* The match terms of an English document: the query's and the translations
 * of its Dutch words (NULL when none was translated). */
static vind_match_terms_t *english_match_terms(builder_t *b)
{
    if (b->translations->len == 0)
        return NULL;
    vind_match_terms_t *terms = vind_match_terms_copy(b->match_terms);
    if (!terms) {
        b->failed = 1;
        return NULL;
    }
    for (guint i = 0; i + 1 < b->translations->len; i += 2)
        vind_match_terms_add_alias(terms, g_ptr_array_index(b->translations, i),
                                   g_ptr_array_index(b->translations, i + 1));
    return terms;
}

static void builder_clear(builder_t *b)
{
    g_ptr_array_free(b->exact_forms, TRUE);
    g_ptr_array_free(b->proximity, TRUE);
    g_ptr_array_free(b->translations, TRUE);
    if (b->words)
        g_array_free(b->words, TRUE);
}

vind_status_t vind_query_plan(vind_analyzer_t *analyzer, const vind_synonyms_t *synonyms,
                              const vind_query_weights_t *weights, const vind_qnode_t *tree,
                              vind_query_plan_t **out, char **errmsg)
{
    return vind_query_plan_corrected(analyzer, synonyms, weights, NULL, NULL, NULL, NULL, NULL,
                                     tree, out, errmsg);
}

vind_status_t vind_query_plan_corrected(vind_analyzer_t *analyzer, const vind_synonyms_t *synonyms,
                                        const vind_query_weights_t *weights,
                                        vind_query_corrector_t correct,
                                        vind_query_expander_t expand,
                                        vind_query_present_t present, void *data,
                                        vind_word_memo_t *memo, const vind_qnode_t *tree,
                                        vind_query_plan_t **out, char **errmsg)
{
    *out = NULL;
    vind_query_weights_t defaults;
    if (!weights) {
        vind_query_weights_default(&defaults);
        weights = &defaults;
    }
    vind_word_memo_t *own_memo = memo ? NULL : vind_word_memo_new(analyzer, synonyms);
    vind_query_plan_t *plan = calloc(1, sizeof *plan);
    if (!plan || !(plan->match_terms = vind_match_terms_new())) {
        free(plan);
        vind_word_memo_free(own_memo);
        return vind_error(errmsg, VIND_NOMEM, "out of memory planning the query");
    }
    if (memo)
        vind_word_memo_begin(memo);
    builder_t b = {.analyzer = analyzer,
                   .synonyms = synonyms,
                   .weights = weights,
                   .correct = correct,
                   .expand = expand,
                   .present = present,
                   .correct_data = data,
                   .memo = memo ? memo : own_memo,
                   .collect = 1,
                   .match_terms = plan->match_terms,
                   .translations = g_ptr_array_new_with_free_func(g_free),
                   .exact_forms = g_ptr_array_new_with_free_func(g_free),
                   .proximity = g_ptr_array_new_with_free_func(g_free),
                   .words = g_array_new(FALSE, TRUE, sizeof(vind_query_word_t)),
                   .wildcard_limit = wildcard_share(tree),
                   .wildcards = g_ptr_array_new_with_free_func(g_free),
                   .wildcards_typed = g_ptr_array_new_with_free_func(g_free)};
    vind_qnode_t *pruned = NULL;
    if (tree) {
        b.keep_stops = !any_content_word(&b, tree);
        pruned = prune(&b, tree);
        b.translate = pruned && !speaks_english(&b, pruned);
    }
    plan->understood = vind_qnode_describe(pruned);
    if (pruned) {
        vind_xapian_query_t *matching = build(&b, pruned);
        if (matching && b.exact_forms->len > 0 && !(plan->matching = vind_xapian_query_copy(matching)))
            b.failed = 1;
        plan->query = with_boosts(&b, matching);
        int relaxed = 0;
        vind_qnode_t *any = relax(pruned, &relaxed);
        if (relaxed) {
            b.collect = 0;
            plan->fallback = build(&b, any);
            /* "understood" names the relaxed operator: zorg OR wonen. */
            plan->understood_fallback = vind_qnode_describe(any);
        }
        vind_qnode_free(any);
    }
    vind_qnode_free(pruned);
    plan->english_match_terms = english_match_terms(&b);
    plan->wildcard_limit = b.wildcard_limit;
    plan->wildcards = plain_strv(b.wildcards, &b.failed);
    plan->wildcards_typed = plain_strv(b.wildcards_typed, &b.failed);
    plan->n_words = b.words->len;
    plan->words = (vind_query_word_t *)g_array_free(b.words, FALSE);
    b.words = NULL;
    if (plan->n_words == 0) {
        g_free(plan->words);
        plan->words = NULL;
    } else {
        /* Hand out plain malloc memory. */
        vind_query_word_t *copy = malloc(plan->n_words * sizeof *copy);
        if (copy)
            memcpy(copy, plan->words, plan->n_words * sizeof *copy);
        g_free(plan->words);
        plan->words = copy;
        if (!copy)
            b.failed = 1, plan->n_words = 0;
    }
    builder_clear(&b);
    vind_word_memo_free(own_memo);
    if (b.failed || !plan->understood) {
        vind_query_plan_free(plan);
        return vind_error(errmsg, VIND_NOMEM, "out of memory building the query");
    }
    *out = plan;
    return VIND_OK;
}
