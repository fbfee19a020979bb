/*
 * index_any_base.c - indexes a site with any base URL, as vind-index did
 * until session 14, which refuses one that makes no link ("javascript:...",
 * "/\\host/", a control character: vind_base_url_check). Test-only: built with
 * the unit tests as build/tests/index-any-base (tests/e2e/Makefile.local), so
 * that the tests of what every output withholds (tests/e2e/test_hostile_feed.py,
 * test_searchd_search.py) can still make the index an older vind-index made.
 *
 *   index-any-base DATABASE BASE_URL ROOT
 */
#include <stdio.h>
#include <stdlib.h>

#include <vind/vind.h>

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: index-any-base DATABASE BASE_URL ROOT\n");
        return 2;
    }
    char *errmsg = NULL;
    vind_lexicon_t *lexicon = NULL;
    vind_index_t *index = NULL;
    vind_index_options_t opts;
    vind_index_options_init(&opts);
    opts.base_url = argv[2];
    vind_index_report_t report = {0};
    const char *roots[] = {argv[3]};
    vind_status_t status = vind_lexicon_open(NULL, &lexicon, &errmsg);
    if (status == VIND_OK)
        status = vind_index_open(argv[1], lexicon, &index, &errmsg);
    if (status == VIND_OK)
        status = vind_index_run(index, roots, 1, &opts, &report, &errmsg);
    vind_index_close(index);
    vind_lexicon_close(lexicon);
    if (status != VIND_OK) {
        fprintf(stderr, "index-any-base: %s\n", errmsg ? errmsg : vind_status_to_string(status));
        free(errmsg);
        return 2;
    }
    return report.failed ? 1 : 0;
}
