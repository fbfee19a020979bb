/*
 * page.h - (searchd, private) the Dutch search page at /zoeken: the page
 * template and assets loaded once from the template folder, and the
 * server-side rendering of a search (works with JavaScript off).
 */
#ifndef VIND_SEARCHD_PAGE_H
#define VIND_SEARCHD_PAGE_H

#include "respond.h"
#include "server.h"

/*
 * Loads page.html and the assets (files named like "style.css": lower-case
 * letters, digits, '-', '_', one dot and a known extension; regular files
 * only, no symbolic links) from template_dir. Requests never touch the file
 * system afterwards: the set of servable files is fixed at start.
 *
 * Return value: VIND_OK; VIND_NOT_FOUND (no page.html); VIND_IO;
 * VIND_TOO_LARGE (a file beyond VIND_SEARCHD_MAX_ASSET_BYTES);
 * VIND_INVALID_ARGUMENT (an unknown {{placeholder}} in page.html).
 */
vind_status_t vind_page_load(const char *template_dir, vind_page_t **out, char **errmsg);
void vind_page_free(vind_page_t *page);

/* The asset called name, or NULL. */
const vind_asset_t *vind_page_asset(const vind_page_t *page, const char *name);

/*
 * What the page knows beyond the search parameters. The page's date fields
 * take Dutch dates ("28-10-2021", "1-2-2021", "10-2021") as well as ISO
 * ones; vind_page_read_form converts them before the search and keeps what
 * was typed and a Dutch error per field. After the search, handle_page sets
 * unfiltered_total when a filtered search found nothing (the page then
 * says how many the query finds without its filters).
 */
typedef struct {
    const char *typed[2];       /* from, to as typed (NULL: empty) */
    char iso[2][11];            /* the converted dates params->from/to point to */
    const char *error[2];       /* Dutch message at the field, or NULL */
    long long unfiltered_total; /* -1: not known */
} vind_page_form_t;

/*
 * Reads params->from and params->to (Dutch or ISO dates) into form and
 * points them at the ISO dates. Returns 1 when both are fine; 0 when a field
 * has an error (both are then NULL: show the form with its errors, don't
 * search). Cost: a few string scans, no allocation.
 */
int vind_page_read_form(vind_search_params_t *params, vind_page_form_t *form);

/* The list a search's pages walk: the documents with every word
 * (vind_results_total), then those with only some of them. */
uint64_t vind_page_listed(const vind_results_t *results);

/*
 * The page (malloc'd HTML) for a search: params NULL or an empty query
 * without filters gives the bare form; results NULL with a message gives
 * that (Dutch) message in place of results. Everything is escaped except
 * the snippets, which the library already escaped. NULL on NOMEM.
 * Thread: safe (page is read-only).
 */
char *vind_page_render(const vind_page_t *page, const vind_search_params_t *params,
                       const vind_results_t *results, const char *message);

/* vind_page_render with what vind_page_read_form read (NULL: nothing typed
 * beyond params), the field errors and the unfiltered total. */
char *vind_page_render_form(const vind_page_t *page, const vind_search_params_t *params,
                            const vind_results_t *results, const char *message,
                            const vind_page_form_t *form);

#endif
