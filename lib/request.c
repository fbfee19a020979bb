/*
 * request.c - a search request: its defaults, the check of what it filters
 * on before anything is searched, and the names of the facets.
 */
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include <vind/limits.h>
#include "date.h"
#include "error.h"
#include "searcher.h"

void vind_search_request_init(vind_search_request_t *req)
{
    *req = (vind_search_request_t){.limit = 10, .snippets = 1};
}

const char *vind_facet_name(vind_facet_t facet)
{
    static const char *const names[VIND_FACET_LAST] = {"tag", "theme", "type", "year"};
    return (unsigned)facet < VIND_FACET_LAST ? names[facet] : NULL;
}

int vind_facet_from_name(const char *name)
{
    if (!name)
        return -1;
    for (int f = 0; f < VIND_FACET_LAST; f++)
        if (strcmp(vind_facet_name((vind_facet_t)f), name) == 0)
            return f;
    return -1;
}

/* A request's from or to: a day that exists, or VIND_INVALID_ARGUMENT
 * saying why ("the date \"2021-02-29\" does not exist (...)"). */
static vind_status_t check_date(const char *date, char **errmsg)
{
    char why[96];
    if (!date || vind_date_filter_valid(date, strlen(date), why, sizeof why))
        return VIND_OK;
    return vind_error(errmsg, VIND_INVALID_ARGUMENT, "the date \"%s\" %s", date, why);
}

vind_status_t vind_search_request_check(const vind_search_request_t *req, char **errmsg)
{
    vind_status_t status = check_date(req->from, errmsg);
    if (status == VIND_OK)
        status = check_date(req->to, errmsg);
    if (status != VIND_OK)
        return status;
    for (int f = 0; f < VIND_FACET_LAST; f++) {
        if (req->n_filters[f] && !req->filters[f])
            return vind_error(errmsg, VIND_INVALID_ARGUMENT, "the %s filter has no values",
                              vind_facet_name((vind_facet_t)f));
        for (size_t i = 0; i < req->n_filters[f]; i++) {
            const char *value = req->filters[f][i];
            if (!value || !*value || !g_utf8_validate(value, -1, NULL) ||
                strlen(value) > VIND_MAX_QUERY_BYTES)
                return vind_error(errmsg, VIND_INVALID_ARGUMENT,
                                  "a %s filter value is empty, too long or not UTF-8",
                                  vind_facet_name((vind_facet_t)f));
            if (f == VIND_FACET_TYPE && !vind_qfield_type_known(value))
                return vind_error(errmsg, VIND_INVALID_ARGUMENT,
                                  "unknown type \"%s\" (the types are %s)", value,
                                  VIND_QFIELD_TYPES);
            if (f == VIND_FACET_YEAR && !vind_qfield_year_valid(value))
                return vind_error(errmsg, VIND_INVALID_ARGUMENT,
                                  "the year \"%s\" is not a year (use YYYY)", value);
        }
    }
    return VIND_OK;
}
