/*
 * fuzz_json.c - libFuzzer target for vind's JSON writers and reader:
 * vind_doc_from_json / vind_doc_to_json (the record an isolated extractor
 * sends the indexer) and vind_hit_to_json (one hit of `vind search --format
 * json`, JSONL and GET /api/search). vind_results_to_json needs a searcher's
 * results and is reached by fuzz_searchd instead.
 *
 * Input: byte 0 picks a mode, the rest drives it:
 *   0: the rest is JSON text for vind_doc_from_json; a record that reads
 *      must write and read back to the same JSON.
 *   1: the rest is cut into fields (0x1f separates them) that fill a
 *      vind_doc_t; the record must survive to_json + from_json field by
 *      field, a string that is not UTF-8 coming back repaired (U+FFFD for
 *      each bad byte, as g_utf8_make_valid does) rather than lost.
 *   2: fields fill a vind_hit_t; the JSON must parse with jansson, name
 *      every key, and carry each valid-UTF-8 string unchanged (the url
 *      only when it is a link of the site, vind_url_is_link; else null).
 */
#include <glib.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <vind/doc.h>
#include <vind/search.h>
#include "common.h"

#define FUZZ_MAX_LIST 8

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void doc_from_text(const char *text, size_t len)
{
    vind_doc_t *doc = NULL;
    char *errmsg = NULL;
    vind_status_t status = vind_doc_from_json(text, len, &doc, &errmsg);
    if (status != VIND_OK) {
        fuzz_require(status == VIND_CORRUPT_FILE && doc == NULL, "from_json failed oddly");
        free(errmsg);
        return;
    }
    fuzz_require_json_round_trip(doc);
    vind_doc_free(doc);
}

/* Next field as a malloc'd string (or NULL when the input ran out); *valid
 * is cleared when it is not valid UTF-8. */
static char *next_string(fuzz_input_t *in, int *valid)
{
    size_t len;
    char *field = fuzz_field(in, &len);
    if (field != NULL && !g_utf8_validate(field, -1, NULL))
        *valid = 0;
    return field;
}

/* Whether read back equals written, repaired the way vind_doc_to_json repairs. */
static int same(const char *written, const char *read_back)
{
    if (written == NULL || read_back == NULL)
        return written == read_back;
    gchar *repaired = g_utf8_make_valid(written, -1);
    int equal = strcmp(repaired, read_back) == 0;
    g_free(repaired);
    return equal;
}

static void doc_from_fields(fuzz_input_t *in)
{
    vind_doc_t *doc = vind_doc_new();
    fuzz_require(doc != NULL, "vind_doc_new");
    int valid = 1;
    doc->type = (vind_doc_type_t)(fuzz_byte(in) % 3);
    doc->is_listing = fuzz_byte(in) & 1;
    doc->n_empty_pages = fuzz_byte(in);
    char **strings[] = {&doc->path,    &doc->url,           &doc->title, &doc->date,
                        &doc->author,  &doc->description,   &doc->lang,  &doc->canonical,
                        &doc->section, &doc->listing_reason};
    for (size_t i = 0; i < sizeof strings / sizeof strings[0]; i++)
        *strings[i] = next_string(in, &valid);
    struct {
        char ***array;
        size_t *count;
    } lists[] = {{&doc->tags, &doc->n_tags},
                 {&doc->themes, &doc->n_themes},
                 {&doc->links, &doc->n_links},
                 {&doc->pages, &doc->n_pages}};
    for (size_t l = 0; l < sizeof lists / sizeof lists[0]; l++) {
        unsigned n = fuzz_byte(in) % FUZZ_MAX_LIST;
        for (unsigned i = 0; i < n; i++) {
            char *value = next_string(in, &valid);
            if (value == NULL)
                break;
            fuzz_require(vind_doc_append(lists[l].array, lists[l].count, value, l < 2) == VIND_OK,
                         "vind_doc_append");
            free(value);
        }
    }

    (void)valid;
    char *json = vind_doc_to_json(doc);
    fuzz_require(json != NULL, "a record does not write");
    vind_doc_t *back = NULL;
    char *errmsg = NULL;
    fuzz_require(vind_doc_from_json(json, strlen(json), &back, &errmsg) == VIND_OK,
                 "a written record does not read back");
    fuzz_require(back->type == doc->type && back->is_listing == doc->is_listing &&
                     back->n_empty_pages == doc->n_empty_pages,
                 "numbers changed in the round trip");
    char **back_strings[] = {&back->path,    &back->url,           &back->title, &back->date,
                             &back->author,  &back->description,   &back->lang,  &back->canonical,
                             &back->section, &back->listing_reason};
    for (size_t i = 0; i < sizeof strings / sizeof strings[0]; i++)
        fuzz_require(same(*strings[i], *back_strings[i]), "a string changed in the round trip");
    fuzz_require(back->n_tags == doc->n_tags && back->n_themes == doc->n_themes &&
                     back->n_links == doc->n_links && back->n_pages == doc->n_pages,
                 "a list changed length in the round trip");
    for (size_t i = 0; i < doc->n_pages; i++)
        fuzz_require(same(doc->pages[i], back->pages[i]), "a page changed in the round trip");
    for (size_t i = 0; i < doc->n_tags; i++)
        fuzz_require(same(doc->tags[i], back->tags[i]), "a tag changed in the round trip");
    vind_doc_free(back);
    free(json);
    vind_doc_free(doc);
}

static void check_member(json_t *object, const char *key, const char *value)
{
    json_t *member = json_object_get(object, key);
    fuzz_require(member != NULL, "a hit key is missing");
    if (value == NULL || !g_utf8_validate(value, -1, NULL))
        fuzz_require(json_is_null(member), "an absent or broken string is not null");
    else
        fuzz_require(json_is_string(member) && strcmp(json_string_value(member), value) == 0,
                     "a hit string changed");
}

static void hit_from_fields(fuzz_input_t *in)
{
    int valid = 1;
    char *strings[7];
    for (size_t i = 0; i < 7; i++)
        strings[i] = next_string(in, &valid);
    char *tags[FUZZ_MAX_LIST], *themes[FUZZ_MAX_LIST];
    size_t n_tags = fuzz_byte(in) % FUZZ_MAX_LIST, n_themes = fuzz_byte(in) % FUZZ_MAX_LIST;
    for (size_t i = 0; i < n_tags; i++)
        tags[i] = next_string(in, &valid);
    for (size_t i = 0; i < n_themes; i++)
        themes[i] = next_string(in, &valid);
    unsigned pages[FUZZ_MAX_LIST];
    size_t n_pages = fuzz_byte(in) % FUZZ_MAX_LIST;
    for (size_t i = 0; i < n_pages; i++)
        pages[i] = (unsigned)fuzz_byte(in) << 16 | fuzz_byte(in);
    double score = 0;
    for (int i = 0; i < 8; i++)
        ((unsigned char *)&score)[i] = fuzz_byte(in);

    vind_hit_t hit = {
        .url = strings[0],
        .title = strings[1],
        .type = strings[2],
        .date = strings[3],
        .author = strings[4],
        .description = strings[5],
        .snippet = strings[6],
        .tags = (const char *const *)tags,
        .n_tags = n_tags,
        .themes = (const char *const *)themes,
        .n_themes = n_themes,
        .score = score,
        .rank = fuzz_byte(in),
        .pages = pages,
        .n_pages = n_pages,
    };
    char *json = vind_hit_to_json(&hit);
    if (json == NULL) {
        /* jansson has no NaN or infinity: the one reason a hit may not write. */
        fuzz_require(!isfinite(score), "a hit did not write");
    } else {
        json_error_t error;
        json_t *object = json_loads(json, 0, &error);
        fuzz_require(object != NULL && json_is_object(object), "a hit's JSON does not parse");
        /* a url that is no link of the site is withheld (session 13) */
        check_member(object, "url", vind_url_as_link(hit.url));
        check_member(object, "title", hit.title);
        check_member(object, "snippet", hit.snippet);
        check_member(object, "parent", NULL);
        json_t *pages_json = json_object_get(object, "pages");
        fuzz_require(json_is_array(pages_json) && json_array_size(pages_json) == n_pages,
                     "the pages list changed");
        json_decref(object);
        free(json);
    }
    for (size_t i = 0; i < 7; i++)
        free(strings[i]);
    for (size_t i = 0; i < n_tags; i++)
        free(tags[i]);
    for (size_t i = 0; i < n_themes; i++)
        free(themes[i]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    fuzz_input_t in = {.data = data, .size = size, .at = 1};
    switch (data[0] % 3) {
    case 0:
        doc_from_text((const char *)data + 1, size - 1);
        break;
    case 1:
        doc_from_fields(&in);
        break;
    default:
        hit_from_fields(&in);
        break;
    }
    return 0;
}
