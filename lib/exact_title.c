/*
 * exact_title.c - finds the documents whose title is exactly what was
 * typed, so that vind_search can put them first. A short generic title
 * ("Fronteers congres", "Ik ben een div") otherwise loses to longer
 * articles that use the same words more often; someone who types a title
 * word for word is looking for that page.
 *
 * Titles are compared by their words only: normalised (case, diacritics),
 * punctuation dropped, so "Fronteers boekenclub" finds the article titled
 * "Fronteers boekenclub?" and "met korting naar performance.now()" finds
 * "Met korting naar performance.now()". The candidates are the documents
 * with every query word in their title (the S<stem> terms of lib/schema.h);
 * only their titles (VIND_SLOT_TITLE) are read and compared.
 */
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "error.h"
#include "schema.h"
#include "searcher.h"

/* Candidates whose title is read: documents with every query word in their
 * title. "nieuwjaarsborrel" has a dozen; a title of common words a few
 * hundred at most in a site of thousands of pages. */
#define TITLE_CANDIDATES 2000u

char *vind_title_key(const char *text)
{
    char *folded = vind_normalize(text, strlen(text));
    if (!folded)
        return NULL;
    GString *key = g_string_new(NULL);
    int gap = 0;
    for (const char *p = folded; *p; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char_validated(p, -1);
        if (c == (gunichar)-1 || c == (gunichar)-2)
            break; /* vind_normalize repairs UTF-8; stop rather than guess */
        if (!g_unichar_isalnum(c)) {
            gap = key->len > 0;
            continue;
        }
        if (gap)
            g_string_append_c(key, ' ');
        gap = 0;
        g_string_append_unichar(key, c);
    }
    free(folded);
    char *out = strdup(key->str);
    g_string_free(key, TRUE);
    return out;
}

static vind_xapian_query_t *title_term(const char *stem)
{
    char *term = g_strconcat(VIND_PREFIX_TITLE, stem, NULL);
    vind_xapian_query_t *query = vind_xapian_query_term(term, 1, 0);
    g_free(term);
    return query;
}

/*
 * Every word of key in the title: AND of S<stem>, each OR its English stem
 * (English documents index English stems). Weightless: only membership
 * counts. NULL when key has no token or memory runs out (*failed set).
 */
static vind_xapian_query_t *candidates_query(vind_searcher_t *searcher, const char *key,
                                             int *failed)
{
    vind_tokens_t *tokens = NULL;
    if (vind_analyze(searcher->analyzer, key, strlen(key), VIND_LANG_NL, &tokens, NULL) !=
        VIND_OK) {
        *failed = 1;
        return NULL;
    }
    size_t count = vind_tokens_count(tokens);
    vind_xapian_query_t **words = count ? calloc(count, sizeof *words) : NULL;
    for (size_t i = 0; words && i < count; i++) {
        const vind_token_t *token = vind_tokens_get(tokens, i);
        words[i] = title_term(token->stem);
        char *english = vind_analyze_word(searcher->analyzer, token->form, VIND_LANG_EN);
        if (english && strcmp(english, token->stem) != 0) {
            vind_xapian_query_t *pair[2] = {words[i], title_term(english)};
            words[i] = vind_xapian_query_compound(VIND_XAPIAN_OP_OR, pair, 2);
        }
        free(english);
    }
    vind_tokens_free(tokens);
    if (!words) {
        *failed = count > 0;
        return NULL;
    }
    vind_xapian_query_t *all = vind_xapian_query_compound(VIND_XAPIAN_OP_AND, words, count);
    free(words);
    all = all ? vind_xapian_query_scale_weight(all, 0.0) : NULL;
    if (!all)
        *failed = 1;
    return all;
}

/* The candidates (in docid order) whose title key equals key, appended to out. */
static vind_status_t equal_titles(vind_searcher_t *searcher, vind_xapian_query_t *candidates,
                                  const char *key, GArray *out, char **errmsg)
{
    uint32_t *docids = NULL;
    size_t n = 0;
    vind_status_t status =
        vind_searcher_docids(searcher, candidates, TITLE_CANDIDATES, &docids, &n, errmsg);
    for (size_t i = 0; status == VIND_OK && i < n; i++) {
        char *title = NULL;
        status = vind_xapian_reader_get_value(searcher->reader, docids[i], VIND_SLOT_TITLE, &title,
                                              NULL, errmsg);
        char *title_key = status == VIND_OK ? vind_title_key(title) : NULL;
        if (status == VIND_OK && !title_key)
            status = vind_error(errmsg, VIND_NOMEM, "out of memory comparing titles");
        if (title_key && strcmp(title_key, key) == 0)
            g_array_append_val(out, docids[i]);
        free(title_key);
        free(title);
    }
    free(docids);
    return status;
}

/* OR of the unique terms of docids: exactly those documents. */
static vind_status_t documents_query(vind_searcher_t *searcher, const GArray *docids,
                                     vind_xapian_query_t **out, char **errmsg)
{
    *out = NULL;
    vind_xapian_query_t **terms = calloc(docids->len, sizeof *terms);
    if (!terms)
        return vind_error(errmsg, VIND_NOMEM, "out of memory");
    vind_status_t status = VIND_OK;
    for (guint i = 0; i < docids->len; i++) {
        char *url = NULL;
        if (status == VIND_OK)
            status =
                vind_xapian_reader_get_value(searcher->reader, g_array_index(docids, uint32_t, i),
                                             VIND_SLOT_URL, &url, NULL, errmsg);
        char *term = url ? vind_unique_term(url) : NULL;
        terms[i] = term ? vind_xapian_query_term(term, 1, 0) : NULL;
        free(term);
        free(url);
    }
    /* compound frees every child when one is NULL (and then fails). */
    vind_xapian_query_t *any = vind_xapian_query_compound(VIND_XAPIAN_OP_OR, terms, docids->len);
    free(terms);
    if (status != VIND_OK) {
        vind_xapian_query_free(any);
        return status;
    }
    if (!any)
        return vind_error(errmsg, VIND_NOMEM, "out of memory");
    *out = any;
    return VIND_OK;
}

vind_status_t vind_exact_title_matches(vind_searcher_t *searcher, const vind_search_request_t *req,
                                       const vind_qnode_t *tree, unsigned mode,
                                       vind_match_t **matches, size_t *n_matches, char **errmsg)
{
    *matches = NULL;
    *n_matches = 0;
    if (!req->query || !tree)
        return VIND_OK;
    char *key = vind_title_key(req->query);
    if (!key)
        return vind_error(errmsg, VIND_NOMEM, "out of memory");
    int failed = 0;
    vind_xapian_query_t *candidates = *key ? candidates_query(searcher, key, &failed) : NULL;
    GArray *equal = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    vind_status_t status = failed ? vind_error(errmsg, VIND_NOMEM, "out of memory") : VIND_OK;
    if (status == VIND_OK && candidates)
        status = equal_titles(searcher, candidates, key, equal, errmsg);
    vind_xapian_query_free(candidates);
    free(key);
    vind_xapian_query_t *full = NULL, *those = NULL;
    if (status == VIND_OK && equal->len > 0)
        status = vind_searcher_full_query(searcher, tree, req, mode, -1, &full, NULL, errmsg);
    if (status == VIND_OK && full)
        status = documents_query(searcher, equal, &those, errmsg);
    g_array_free(equal, TRUE);
    if (status != VIND_OK || !full) {
        vind_xapian_query_free(full);
        return status;
    }
    /* Only those the search itself finds ("div -flexbox", type:pdf, dates),
     * in its own relevance order; identical titles tie and go by URL. */
    vind_xapian_query_t *pair[2] = {full, those};
    vind_xapian_query_t *pinned = vind_xapian_query_compound(VIND_XAPIAN_OP_FILTER, pair, 2);
    if (!pinned)
        return vind_error(errmsg, VIND_NOMEM, "out of memory");
    uint64_t total = 0;
    status = vind_searcher_run(searcher, pinned, VIND_SORT_RELEVANCE, 0, 0, matches, n_matches,
                               &total, errmsg);
    vind_xapian_query_free(pinned);
    if (status == VIND_OK && *n_matches == 0) {
        free(*matches);
        *matches = NULL;
    }
    return status;
}
