/*
 * exact_title.c - finds the documents whose title is exactly what was
 * typed, so that vind_search can put them first. A short generic title
 * ("Fronteers congres", "Ik ben een div") otherwise loses to longer
 * articles that use the same words more often; someone who types a title
 * word for word is looking for that page.
 *
 * Titles are compared by their words only: normalised (case, diacritics),
 * punctuation dropped (vind_title_key), so "Fronteers boekenclub" finds the
 * article titled "Fronteers boekenclub?" and "met korting naar
 * performance.now()" finds "Met korting naar performance.now()". The
 * indexer gives every document the term of its title key
 * (VIND_PREFIX_TITLE_KEY, lib/schema.h); the query's key is looked up as
 * that term. Cost: one term-frequency look-up per search, and a run over
 * the few documents with that title only when there are any.
 */
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "schema.h"
#include "searcher.h"

vind_status_t vind_exact_title_matches(vind_searcher_t *searcher, const char *typed,
                                       const vind_xapian_query_t *full, vind_match_t **matches,
                                       size_t *n_matches, char **errmsg)
{
    *matches = NULL;
    *n_matches = 0;
    if (!typed)
        return VIND_OK;
    int nomem = 0;
    char *term = vind_title_term(typed, &nomem);
    if (!term)
        return nomem ? vind_error(errmsg, VIND_NOMEM, "out of memory") : VIND_OK;
    uint32_t frequency = 0;
    vind_status_t status =
        vind_xapian_reader_term_frequency(searcher->reader, term, &frequency, errmsg);
    vind_xapian_query_t *pinned = NULL;
    if (status == VIND_OK && frequency > 0) {
        /* Only those the search itself finds ("div -flexbox", type:pdf, dates),
         * in its own relevance order; identical titles tie and go by URL. */
        vind_xapian_query_t *pair[2] = {vind_xapian_query_copy(full),
                                        vind_xapian_query_term(term, 1, 0)};
        pinned = vind_xapian_query_compound(VIND_XAPIAN_OP_FILTER, pair, 2);
        if (!pinned)
            status = vind_error(errmsg, VIND_NOMEM, "out of memory");
    }
    free(term);
    if (!pinned)
        return status;
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
