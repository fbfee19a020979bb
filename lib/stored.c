/*
 * stored.c - the stored record of a document (the JSON the indexer keeps as
 * its document data: url, title, fields, the text of its pages), read for
 * hits, kwic, related documents and `vind doc`.
 */
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <jansson.h>

#include "error.h"
#include "searcher.h"

vind_status_t vind_searcher_stored(vind_searcher_t *searcher, uint32_t docid, json_t **out,
                                   char **errmsg)
{
    *out = NULL;
    char *data = NULL;
    size_t length = 0;
    vind_status_t status =
        vind_xapian_reader_get_document_data(searcher->reader, docid, &data, &length, errmsg);
    if (status != VIND_OK)
        return status;
    json_error_t error;
    json_t *record = json_loadb(data, length, 0, &error);
    free(data);
    if (!record || !json_is_object(record)) {
        json_decref(record);
        /* A record we cannot read still is a hit: show it without fields. */
        record = json_object();
        if (!record)
            return vind_error(errmsg, VIND_NOMEM, "out of memory reading document %u", docid);
    }
    *out = record;
    return VIND_OK;
}

const char **vind_stored_pages(json_t *record, size_t *n_pages)
{
    json_t *pages = json_object_get(record, "pages");
    *n_pages = 0;
    if (!json_is_array(pages) || json_array_size(pages) == 0)
        return NULL;
    const char **texts = g_new0(const char *, json_array_size(pages) + 1);
    size_t index;
    json_t *page;
    json_array_foreach(pages, index, page)
    {
        texts[*n_pages] = json_is_string(page) ? json_string_value(page) : "";
        (*n_pages)++;
    }
    return texts;
}

vind_lang_t vind_stored_lang(json_t *record)
{
    const char *lang = json_string_value(json_object_get(record, "lang"));
    return lang && g_ascii_strncasecmp(lang, "en", 2) == 0 ? VIND_LANG_EN : VIND_LANG_NL;
}
