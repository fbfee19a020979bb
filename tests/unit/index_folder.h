/*
 * index_folder.h - the one way the unit tests build a test index: a whole
 * vind_index_run over a folder of pages the test wrote, through the public API;
 * then opening and searching it.
 */
#ifndef VIND_TESTS_INDEX_FOLDER_H
#define VIND_TESTS_INDEX_FOLDER_H

#include <stdio.h>
#include <stdlib.h>

#include <vind/index.h>
#include <vind/search.h>
#include "check.h"

/* Indexes folder into db (created when absent) with the default options,
 * then closes the index; fills *report and prints the counts and any error as
 * "# " lines. Returns 1 when the run succeeded. */
static inline int index_folder(const vind_lexicon_t *lexicon, const char *db, const char *folder,
                               vind_index_report_t *report)
{
    vind_index_t *index = NULL;
    char *errmsg = NULL;
    vind_status_t status = vind_index_open(db, lexicon, &index, &errmsg);
    if (status == VIND_OK) {
        const char *roots[] = {folder};
        vind_index_options_t opts;
        vind_index_options_init(&opts);
        status = vind_index_run(index, roots, 1, &opts, report, &errmsg);
    }
    if (status != VIND_OK)
        printf("# indexing %s: %s\n", folder, errmsg ? errmsg : vind_status_to_string(status));
    else
        printf("# indexed %zu, failed %zu, skipped %zu\n", report->indexed, report->failed,
               report->skipped);
    free(errmsg);
    vind_index_close(index);
    return status == VIND_OK;
}

/* Opens a searcher over db, the index a test built; CHECKs that it opens and
 * prints why not. Returns NULL when it did not. */
static inline vind_searcher_t *open_built_index(const char *db, const vind_lexicon_t *lexicon)
{
    vind_searcher_t *searcher = NULL;
    char *errmsg = NULL;
    vind_status_t status = vind_searcher_open(db, lexicon, &searcher, &errmsg);
    CHECK_INT(status, VIND_OK, "the searcher opens the test's index");
    if (status != VIND_OK)
        printf("# %s\n", errmsg ? errmsg : "?");
    free(errmsg);
    return status == VIND_OK ? searcher : NULL;
}

/* One search of a test's index: limit results from offset in sort order.
 * Prints the error and returns NULL when the search fails. */
static inline vind_results_t *search_test_index(vind_searcher_t *searcher, const char *query,
                                                size_t offset, size_t limit, vind_sort_t sort)
{
    vind_search_request_t req;
    vind_search_request_init(&req);
    req.query = query;
    req.offset = offset;
    req.limit = limit;
    req.sort = sort;
    vind_results_t *results = NULL;
    char *errmsg = NULL;
    if (vind_search(searcher, &req, &results, &errmsg) != VIND_OK)
        printf("# search \"%s\": %s\n", query, errmsg ? errmsg : "?");
    free(errmsg);
    return results;
}

#endif
