/*
 * index_folder.h - the one way the unit tests build a test index: a whole
 * vind_index_run over a folder of pages the test wrote, through the public API;
 * then opening and searching it.
 */
#ifndef VIND_TESTS_INDEX_FOLDER_H
#define VIND_TESTS_INDEX_FOLDER_H

#include <stdio.h>
#include <stdlib.h>

#include <glib.h>

#include <vind/index.h>
#include <vind/search.h>
#include "check.h"

/* Writes html as the page at /slug/ of the site in root/site:
 * root/site/slug/index.html, making its folders. */
static inline void write_test_page(const char *root, const char *site, const char *slug,
                                   const char *html)
{
    char *dir = g_strdup_printf("%s/%s/%s", root, site, slug);
    char *path = g_strdup_printf("%s/index.html", dir);
    g_mkdir_with_parents(dir, 0755);
    g_file_set_contents(path, html, -1, NULL);
    g_free(path);
    g_free(dir);
}

/* A new string holding the head of an article page up to its meta tags:
 * title, og:type article, published date; the caller adds the rest. */
static inline GString *article_page_head(const char *title, const char *date)
{
    GString *html = g_string_new(NULL);
    g_string_append_printf(html,
                           "<!DOCTYPE html><html lang=\"nl\"><head><meta charset=\"utf-8\">"
                           "<title>%s</title><meta property=\"og:type\" content=\"article\">"
                           "<meta property=\"article:published_time\" content=\"%s\">",
                           title, date);
    return html;
}

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
