/*
 * titles.h - (private) the documents whose normalised title (VIND_SLOT_TITLE)
 * starts with a prefix: the title completions of vind_suggest, asked at
 * every keystroke of a search box.
 *
 * Walking every document's title value per keystroke costs time linear in
 * the index (2,400 documents: 0.8 M instructions; a million: ~350 M). So
 * at the second call of a revision its titles are read into an array sorted
 * by their bytes, kept with the searcher, and a prefix is then a binary
 * search and a walk over the titles it starts (the first call walks the
 * values: a one-off process does not pay for a sort it would not use). The array is kept while it fits the
 * searcher's read-cache budget (vind_searcher_set_cache_size: ~76 bytes a
 * document, so the default 16 MB holds ~200,000); past it, or with a
 * budget of 0, each call walks the values as before, with the same answer.
 */
#ifndef VIND_LIB_TITLES_H
#define VIND_LIB_TITLES_H

#include "searcher.h"

/* Called with each document whose title starts with the prefix; a non-zero
 * return stops the walk. */
typedef int (*vind_titles_fn)(void *rock, uint32_t docid);

/*
 * Calls fn for every document whose normalised title starts with prefix
 * (bytes compared; "" matches every title), in no order a caller may rely
 * on. Reads the title values once per revision while they fit the budget.
 * Return value: VIND_OK; VIND_INDEX_CHANGED; VIND_XAPIAN; VIND_NOMEM.
 */
vind_status_t vind_titles_with_prefix(vind_searcher_t *searcher, const char *prefix,
                                      vind_titles_fn fn, void *rock, char **errmsg);

/* Test aid: 1 when the searcher holds the sorted titles of its revision. */
int vind_titles_indexed(const vind_searcher_t *searcher);

#endif
