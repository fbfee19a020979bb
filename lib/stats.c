/*
 * stats.c - what a researcher or an operator asks of the index itself: its
 * statistics (documents per type, tag, theme and year; size on disk;
 * revision) and the stored record of one document by URL.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <glib.h>
#include <jansson.h>

#include <vind/doc.h>
#include "error.h"
#include "folder.h"
#include "schema.h"
#include "searcher.h"

uint64_t vind_folder_bytes(const char *path, int depth)
{
    GDir *dir = g_dir_open(path, 0, NULL);
    if (!dir)
        return 0;
    uint64_t total = 0;
    const char *name;
    while ((name = g_dir_read_name(dir))) {
        char *file = g_build_filename(path, name, NULL);
        struct stat st;
        if (lstat(file, &st) == 0 && S_ISREG(st.st_mode))
            total += (uint64_t)st.st_size;
        else if (depth > 0 && stat(file, &st) == 0 && S_ISDIR(st.st_mode) &&
                 (g_str_has_prefix(name, "shard-") ||
                  (lstat(file, &st) == 0 && S_ISDIR(st.st_mode))))
            total += vind_folder_bytes(file, depth - 1); /* a shard may be a link to another disk */
        g_free(file);
    }
    g_dir_close(dir);
    return total;
}

static int compare_items_by_value(const void *a, const void *b)
{
    const vind_xapian_facet_value_t *x = a, *y = b;
    return strcmp(x->value, y->value);
}

/* The counts as [{value, count}]; by_value: in value order (years in time
 * order), else as counted (most frequent first). */
static json_t *counts_array(vind_xapian_facet_t *facet, int by_value)
{
    if (by_value)
        qsort(facet->items, facet->count, sizeof *facet->items, compare_items_by_value);
    json_t *array = json_array();
    for (size_t i = 0; array && i < facet->count; i++) {
        json_t *entry = json_pack("{s:s, s:I}", "value", facet->items[i].value, "count",
                                  (json_int_t)facet->items[i].count);
        if (entry)
            json_array_append_new(array, entry);
    }
    return array;
}

vind_status_t vind_searcher_stats(vind_searcher_t *searcher, char **json_out, char **errmsg)
{
    if (!json_out)
        return vind_error(errmsg, VIND_INVALID_ARGUMENT, "vind_searcher_stats: out is NULL");
    *json_out = NULL;
    if (!searcher)
        return vind_error(errmsg, VIND_INVALID_ARGUMENT, "vind_searcher_stats: no searcher");
    static const struct {
        const char *name;
        unsigned slot;
        int multi;
    } facets[] = {{"types", VIND_SLOT_TYPE, 0},
                  {"tags", VIND_SLOT_TAGS, 1},
                  {"themes", VIND_SLOT_THEMES, 1},
                  {"years", VIND_SLOT_YEAR, 0}};
    enum { N_FACETS = sizeof facets / sizeof facets[0] };
    vind_counting_t counting = {.n = N_FACETS, .exclusive = 1};
    for (size_t f = 0; f < N_FACETS; f++)
        counting.slots[f] = (vind_xapian_count_slot_t){facets[f].slot, facets[f].multi, 0, 0, 0};
    uint64_t total = 0;
    vind_xapian_query_t *all = vind_xapian_query_match_all();
    vind_status_t status =
        all ? vind_searcher_count_pass(searcher, all, &counting, 0, &total, NULL, errmsg)
            : vind_error(errmsg, VIND_NOMEM, "out of memory");
    vind_xapian_query_free(all);
    json_t *object = json_object();
    json_object_set_new(object, "documents", json_integer(searcher->doc_count));
    json_object_set_new(object, "revision", json_integer((json_int_t)searcher->revision));
    json_object_set_new(object, "size_bytes",
                        json_integer((json_int_t)vind_folder_bytes(searcher->path, 1)));
    char *last_run = NULL;
    if (vind_xapian_reader_get_metadata(searcher->reader, VIND_META_LAST_RUN, &last_run, NULL,
                                        NULL) == VIND_OK &&
        g_utf8_validate(last_run, -1, NULL))
        json_object_set_new(object, "last_run", json_string(last_run));
    else
        json_object_set_new(object, "last_run", json_null());
    free(last_run);
    for (size_t f = 0; status == VIND_OK && f < N_FACETS; f++)
        json_object_set_new(object, facets[f].name,
                            counts_array(counting.counted[f], facets[f].slot == VIND_SLOT_YEAR));
    for (size_t f = 0; f < N_FACETS; f++)
        vind_xapian_facet_free(counting.counted[f]);
    if (status == VIND_OK) {
        *json_out = vind_json_escape_controls(json_dumps(object, JSON_COMPACT));
        if (!*json_out)
            status = vind_error(errmsg, VIND_NOMEM, "out of memory");
    }
    json_decref(object);
    return status;
}

static void copy_field(json_t *to, json_t *from, const char *key)
{
    json_t *value = json_object_get(from, key);
    json_object_set(to, key, value ? value : json_null());
}

static void copy_list(json_t *to, json_t *from, const char *key)
{
    json_t *value = json_object_get(from, key);
    if (json_is_array(value))
        json_object_set(to, key, value);
    else
        json_object_set_new(to, key, json_array());
}

/* The record's url and parent become null, its attachments leave out, when
 * they are no link of the site: an index made before session 13 may hold a
 * feed's "javascript:..." (vind_url_as_link). */
static void withhold_non_links(json_t *object)
{
    static const char *const single[] = {"url", "parent"};
    for (size_t i = 0; i < sizeof single / sizeof single[0]; i++) {
        const char *value = json_string_value(json_object_get(object, single[i]));
        if (value && !vind_url_as_link(value))
            json_object_set_new(object, single[i], json_null());
    }
    json_t *attachments = json_object_get(object, "attachments"), *links = json_array();
    size_t i;
    json_t *item;
    json_array_foreach(attachments, i, item)
    {
        if (vind_url_as_link(json_string_value(item)))
            json_array_append(links, item);
    }
    json_object_set_new(object, "attachments", links);
}

vind_status_t vind_searcher_document(vind_searcher_t *searcher, const char *url, int with_text,
                                     char **json_out, char **errmsg)
{
    if (!json_out)
        return vind_error(errmsg, VIND_INVALID_ARGUMENT, "vind_searcher_document: out is NULL");
    *json_out = NULL;
    if (!searcher || !url)
        return vind_error(errmsg, VIND_INVALID_ARGUMENT,
                          "vind_searcher_document: no searcher or URL");
    uint32_t docid = 0;
    vind_status_t status = vind_searcher_docid_for_url(searcher, url, &docid, errmsg);
    if (status != VIND_OK)
        return status;
    json_t *record = NULL;
    status = vind_searcher_stored(searcher, docid, &record, errmsg);
    if (status != VIND_OK)
        return status;
    json_t *object = json_object();
    static const char *const fields[] = {"url",  "title", "type",  "date",
                                         "author", "description", "lang", "parent"};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        copy_field(object, record, fields[i]);
    copy_list(object, record, "tags");
    copy_list(object, record, "themes");
    copy_list(object, record, "attachments");
    withhold_non_links(object);
    size_t n_pages = vind_stored_n_pages(record);
    json_object_set_new(object, "pages", json_integer((json_int_t)n_pages));
    if (json_object_get(record, "ocr_pages")) { /* a scan: which pages are OCR, how sure */
        copy_list(object, record, "ocr_pages");
        copy_list(object, record, "ocr_confidence");
    }
    if (with_text) {
        char **pages = NULL;
        status = vind_stored_text(searcher, docid, record, &pages, &n_pages, errmsg);
        json_t *text = json_array();
        for (size_t p = 0; status == VIND_OK && p < n_pages; p++) {
            json_t *page = json_string(pages[p]);
            json_array_append_new(text, page ? page : json_string(""));
        }
        json_object_set_new(object, "text", text);
        g_strfreev(pages);
        if (status != VIND_OK) {
            json_decref(object);
            json_decref(record);
            return status;
        }
    }
    *json_out = vind_json_escape_controls(json_dumps(object, JSON_COMPACT));
    json_decref(object);
    json_decref(record);
    if (!*json_out)
        return vind_error(errmsg, VIND_NOMEM, "out of memory");
    return VIND_OK;
}
