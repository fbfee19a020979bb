/*
 * query.h - (private) a parsed query tree (lib/query_parse.h) -> analysed
 * terms -> a Xapian query through the wrapper, plus what the rest of a
 * search needs from it: the text "as understood", the any-word fallback,
 * the terms to mark in snippets and the words to check for spelling.
 */
#ifndef VIND_LIB_QUERY_H
#define VIND_LIB_QUERY_H

#include <stddef.h>
#include <vind/analyze.h>
#include <vind/xapian.h>
#include "query_parse.h"
#include "snippet.h"
#include "synonyms.h"
#include "word_memo.h"

/*
 * Ranking weights (docs/ranking.md explains the choice and the figures
 * behind it). They multiply BM25 weights of the parts they name.
 */
typedef struct {
    double part_weight; /* P<stem>: "zorg" inside "verpleeghuiszorg", below a whole word */
    double
        synonym_weight; /* an expansion of an acronym ("geestelijke gezondheidszorg" for "ggz") */
    double exact_boost; /* E<form>: the very form typed ("bewoners" for "bewoners") */
    double proximity_boost;          /* the query's words close together */
    unsigned proximity_window_extra; /* window = words + this */
    double correction_weight;        /* the spelling correction of an unknown word ("kubernets") */
    double split_weight;             /* a query compound's parts as separate words
                                        ("beveiligingsonderzoeken": beveiliging AND onderzoek) */
    double conversion_weight;        /* the noun of a verb's stem ("download" for "gedownload") */
    double translation_weight;       /* a word's English translations, English documents only
                                        ("sleutel": key, towards the English HSM note) */
    double joined_boost;             /* two adjacent query words written as one compound, either
                                        order, with or without a linking s ("effectbeoordeling
                                        gegevensbescherming": gegevensbeschermingseffectbeoordeling) */
    double joined_title_boost;       /* that compound in a title: the document named by the words
                                        typed apart (the DPIA, titled Gegevensbeschermingseffectbeoordeling) */
} vind_query_weights_t;

/* The defaults used by vind_search. */
void vind_query_weights_default(vind_query_weights_t *weights);

/* A positive plain word of the query (a candidate for "Bedoelde je"). */
typedef struct {
    char *typed; /* as typed */
    char *form;  /* normalised form */
    char *stem;
    char *correction; /* the form searched in its place (unknown word), or NULL */
} vind_query_word_t;

/*
 * The spelling correction of a query word no document has (no stem, part,
 * form or English stem in the index): a malloc'd form to search as well, or
 * NULL to search the word as typed. data is the caller's (the searcher).
 */
typedef char *(*vind_query_corrector_t)(void *data, const vind_token_t *token);

/*
 * The query of a `word*`: terms starting with pattern (a term prefix), at
 * most limit of them, the most frequent. data is the corrector's. NULL on
 * NOMEM. Without one, vind_xapian_query_wildcard (Xapian expands it).
 */
typedef vind_xapian_query_t *(*vind_query_expander_t)(void *data, const char *pattern,
                                                       unsigned limit);

/*
 * 0 when no document has term (its prefix included), else 1; data is the
 * corrector's. The builder searches such a term as match-nothing, which
 * Xapian's query constructors fold away (an OR or synonym drops it, an AND,
 * phrase or NEAR of it matches nothing, an AND_MAYBE drops a boost of it).
 * The weights of the rest are unchanged: BM25 without k2 has no
 * query-length factor, and a synonym's frequency estimate from an OR of
 * post lists adds nothing for an empty one (docs/ranking.md).
 */
typedef int (*vind_query_present_t)(void *data, const char *term);

typedef struct {
    vind_xapian_query_t *query;      /* every plain word must match; NULL = match everything */
    vind_xapian_query_t *fallback;   /* any plain word; NULL when there is nothing to relax */
    /* query without its boosts (exact forms, proximity, joined forms): the
     * same matches, so what a counting pass runs (no position read per
     * match for the proximity boost); NULL when query has no boosts. */
    vind_xapian_query_t *matching;
    char *understood;                /* the query as understood ("" for match-everything) */
    char *understood_fallback;       /* the same for the fallback, or NULL */
    vind_match_terms_t *match_terms; /* terms to mark in snippets and kwic */
    /* An English document's: match_terms and the English translations of
     * the Dutch words, each marked as its word; NULL when none was translated. */
    vind_match_terms_t *english_match_terms;
    vind_query_word_t *words;        /* positive plain words, in query order */
    size_t n_words;
    char **wildcards;        /* the term prefixes of the `word*` searched (Xapian form), */
    char **wildcards_typed;  /* and each as typed ("zorg*"): NULL-terminated, or NULL */
    unsigned wildcard_limit; /* terms each of them expands to at most (the most frequent) */
} vind_query_plan_t;

/*
 * Builds the plan of tree (NULL: match everything) with analyzer and
 * synonyms (may be NULL). Stop words are dropped outside phrases unless the
 * query holds nothing else ("de" alone still searches "de").
 *
 * Return value: VIND_OK; VIND_NOMEM.
 */
vind_status_t vind_query_plan(vind_analyzer_t *analyzer, const vind_synonyms_t *synonyms,
                              const vind_query_weights_t *weights, const vind_qnode_t *tree,
                              vind_query_plan_t **out, char **errmsg);

/*
 * vind_query_plan, asking correct (may be NULL; data is passed to it and to
 * expand and present, both may be NULL) about
 * every positive plain word: a word it corrects is searched as
 * OR(word, correction × correction_weight), so "kubernets haven" finds the
 * Haven articles about Kubernetes, and the word's correction is recorded in
 * plan->words for "Bedoelde je". Excluded words are never corrected.
 * memo (NULL: one for this build) remembers the analyses of words across
 * builds; it must be made for the same analyzer and synonyms.
 *
 * Return value: VIND_OK; VIND_NOMEM.
 */
vind_status_t vind_query_plan_corrected(vind_analyzer_t *analyzer, const vind_synonyms_t *synonyms,
                                        const vind_query_weights_t *weights,
                                        vind_query_corrector_t correct,
                                        vind_query_expander_t expand,
                                        vind_query_present_t present, void *data,
                                        vind_word_memo_t *memo, const vind_qnode_t *tree,
                                        vind_query_plan_t **out, char **errmsg);

/* Frees a plan. Accepts NULL. */
void vind_query_plan_free(vind_query_plan_t *plan);

/*
 * The boolean query of a facet filter: any of values (display forms, matched
 * through their normalised terms: K..., XTHEME..., XTYPE..., Y...).
 * field is VIND_QFIELD_TAG, THEME, TYPE or YEAR. NULL on NOMEM.
 */
vind_xapian_query_t *vind_query_filter(vind_qfield_t field, const char *const *values,
                                       size_t n_values);

/*
 * The date range [from, to] ("YYYY", "YYYY-MM" or "YYYY-MM-DD"; either may
 * be NULL) as a query on VIND_SLOT_DATE, or on VIND_SLOT_YEAR when
 * year_slot. Returns 0 when a bound is not a date (*out untouched).
 */
int vind_query_date_range(const char *from, const char *to, int year_slot,
                          vind_xapian_query_t **out);

#endif
