/*
 * search.c - the smallest useful program on libvind: open an index, search
 * it, print the hits. Copy it as the start of your own.
 *
 *   cc search.c $(pkg-config --cflags --libs vind) -o search
 *   ./search site.db 'mantelzorg'
 *
 * (vind installed elsewhere than /usr/local: PKG_CONFIG_PATH=PREFIX/lib/pkgconfig,
 * and -Wl,-rpath,PREFIX/lib so that the program finds libvind.so.0.)
 *
 * The index comes from `vind-index --db site.db public/`. Every libvind call
 * that can fail returns a vind_status_t and takes `char **errmsg` last: on
 * failure *errmsg is a malloc'd sentence that says what went wrong (free it).
 * Only the public header <vind/vind.h> is used.
 */
#include <stdio.h>
#include <stdlib.h>

#include <vind/vind.h>

/* Prints what failed and gives the exit status for main. */
static int fail(const char *what, vind_status_t status, char *errmsg)
{
    fprintf(stderr, "search: %s: %s\n", what, errmsg ? errmsg : vind_status_to_string(status));
    free(errmsg);
    return 1;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s INDEX QUERY\n", argv[0]);
        return 2;
    }
    const char *db_path = argv[1], *query = argv[2];
    char *errmsg = NULL;

    /* 1. The Dutch lexicon and stop words. NULL: the library's own data
     *    directory ($VIND_DATADIR when set, else where `make install` put it). */
    vind_lexicon_t *lexicon = NULL;
    vind_status_t status = vind_lexicon_open(NULL, &lexicon, &errmsg);
    if (status != VIND_OK)
        return fail("lexicon", status, errmsg);

    /* 2. The index, read-only. The lexicon must outlive the searcher. */
    vind_searcher_t *searcher = NULL;
    status = vind_searcher_open(db_path, lexicon, &searcher, &errmsg);
    if (status != VIND_OK) {
        vind_lexicon_close(lexicon);
        return fail(db_path, status, errmsg);
    }

    /* 3. A request: the defaults are the first 10 hits by relevance, with
     *    snippets. Filters, dates, sorting and facets are fields of req
     *    (include/vind/search.h). */
    vind_search_request_t req;
    vind_search_request_init(&req);
    req.query = query;
    vind_results_t *results = NULL;
    status = vind_search(searcher, &req, &results, &errmsg);
    if (status != VIND_OK) {
        vind_searcher_close(searcher);
        vind_lexicon_close(lexicon);
        return fail(query, status, errmsg);
    }

    /* 4. The hits. Their strings belong to results: copy what must live longer. */
    printf("%llu results for %s\n", (unsigned long long)vind_results_total(results), query);
    if (vind_results_suggestion(results) != NULL)
        printf("did you mean: %s\n", vind_results_suggestion(results));
    for (size_t i = 0; i < vind_results_count(results); i++) {
        const vind_hit_t *hit = vind_results_get(results, i);
        printf("%u. %s\n   %s (%s%s%s)\n", hit->rank, hit->title ? hit->title : "(no title)",
               hit->url, hit->type, hit->date ? ", " : "", hit->date ? hit->date : "");
        /* The snippet is HTML: text escaped, the matches in <mark>...</mark>. */
        if (hit->snippet != NULL)
            printf("   %s\n", hit->snippet);
    }

    /* 5. Free in reverse order of opening. */
    vind_results_free(results);
    vind_searcher_close(searcher);
    vind_lexicon_close(lexicon);
    return 0;
}
