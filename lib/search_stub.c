/*
 * search_stub.c - placeholder implementations of include/vind/search.h so
 * that programs link while lib/search.c is written. Deleted when it lands.
 */
#include <stdlib.h>

#include <vind/search.h>
#include "error.h"

#define NOT_YET(errmsg) vind_error(errmsg, VIND_INTERNAL, "searching is not implemented yet")

vind_status_t vind_searcher_open(const char *db_path, const vind_lexicon_t *lexicon,
                                 vind_searcher_t **out, char **errmsg)
{
    (void)db_path, (void)lexicon;
    *out = NULL;
    return NOT_YET(errmsg);
}
void vind_searcher_close(vind_searcher_t *searcher)
{
    (void)searcher;
}
vind_status_t vind_searcher_reopen(vind_searcher_t *searcher, int *changed, char **errmsg)
{
    (void)searcher, (void)changed;
    return NOT_YET(errmsg);
}
uint64_t vind_searcher_revision(const vind_searcher_t *searcher)
{
    (void)searcher;
    return 0;
}
uint64_t vind_searcher_doc_count(const vind_searcher_t *searcher)
{
    (void)searcher;
    return 0;
}
void vind_search_request_init(vind_search_request_t *req)
{
    *req = (vind_search_request_t){.limit = 10, .snippets = 1};
}
vind_status_t vind_search(vind_searcher_t *searcher, const vind_search_request_t *req,
                          vind_results_t **out, char **errmsg)
{
    (void)searcher, (void)req;
    *out = NULL;
    return NOT_YET(errmsg);
}
void vind_results_free(vind_results_t *results)
{
    (void)results;
}
uint64_t vind_results_total(const vind_results_t *results)
{
    (void)results;
    return 0;
}
size_t vind_results_count(const vind_results_t *results)
{
    (void)results;
    return 0;
}
const vind_hit_t *vind_results_get(const vind_results_t *results, size_t i)
{
    (void)results, (void)i;
    return NULL;
}
const char *vind_results_understood(const vind_results_t *results)
{
    (void)results;
    return "";
}
int vind_results_fallback(const vind_results_t *results)
{
    (void)results;
    return 0;
}
const char *vind_results_suggestion(const vind_results_t *results)
{
    (void)results;
    return NULL;
}
size_t vind_results_facet_count(const vind_results_t *results, vind_facet_t facet)
{
    (void)results, (void)facet;
    return 0;
}
const vind_facet_value_t *vind_results_facet_get(const vind_results_t *results,
                                                 vind_facet_t facet, size_t i)
{
    (void)results, (void)facet, (void)i;
    return NULL;
}
const char *vind_facet_name(vind_facet_t facet)
{
    static const char *names[] = {"tag", "theme", "type", "year"};
    return (unsigned)facet < VIND_FACET_LAST ? names[facet] : NULL;
}
int vind_facet_from_name(const char *name)
{
    (void)name;
    return -1;
}
char *vind_results_to_json(const vind_results_t *results)
{
    (void)results;
    return NULL;
}
char *vind_hit_to_json(const vind_hit_t *hit)
{
    (void)hit;
    return NULL;
}
vind_status_t vind_kwic(vind_searcher_t *searcher, const vind_search_request_t *req,
                        unsigned width, vind_kwic_t **out, char **errmsg)
{
    (void)searcher, (void)req, (void)width;
    *out = NULL;
    return NOT_YET(errmsg);
}
size_t vind_kwic_count(const vind_kwic_t *kwic)
{
    (void)kwic;
    return 0;
}
const vind_kwic_line_t *vind_kwic_get(const vind_kwic_t *kwic, size_t i)
{
    (void)kwic, (void)i;
    return NULL;
}
void vind_kwic_free(vind_kwic_t *kwic)
{
    (void)kwic;
}
vind_status_t vind_searcher_document(vind_searcher_t *searcher, const char *url, int with_text,
                                     char **json_out, char **errmsg)
{
    (void)searcher, (void)url, (void)with_text;
    *json_out = NULL;
    return NOT_YET(errmsg);
}
vind_status_t vind_suggest(vind_searcher_t *searcher, const char *prefix, size_t max,
                           char ***out, char **errmsg)
{
    (void)searcher, (void)prefix, (void)max;
    *out = NULL;
    return NOT_YET(errmsg);
}
vind_status_t vind_searcher_stats(vind_searcher_t *searcher, char **json_out, char **errmsg)
{
    (void)searcher;
    *json_out = NULL;
    return NOT_YET(errmsg);
}
void vind_strv_free(char **strv)
{
    if (!strv)
        return;
    for (char **s = strv; *s; s++)
        free(*s);
    free(strv);
}
