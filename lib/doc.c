/*
 * doc.c - the extracted-document record: allocation, string arrays, and its
 * JSON form (jansson), which carries a document from the isolated extraction
 * child (lib/isolate.c) back to the indexer.
 */
#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <jansson.h>

#include <vind/doc.h>
#include "doc_json.h"
#include "doc_pack.h"
#include "error.h"

vind_doc_t *vind_doc_new(void)
{
    vind_doc_t *doc = calloc(1, sizeof *doc);
    if (doc != NULL)
        doc->type = VIND_DOC_ARTICLE;
    return doc;
}

static void free_array(char **array, size_t count)
{
    for (size_t i = 0; i < count; i++)
        free(array[i]);
    free(array);
}

void vind_doc_free(vind_doc_t *doc)
{
    if (doc == NULL)
        return;
    free(doc->path);
    free(doc->url);
    free(doc->title);
    free(doc->date);
    free(doc->author);
    free(doc->description);
    free(doc->lang);
    free(doc->canonical);
    free(doc->section);
    free_array(doc->tags, doc->n_tags);
    free_array(doc->themes, doc->n_themes);
    free_array(doc->links, doc->n_links);
    free_array(doc->pages, doc->n_pages);
    free(doc->ocr_confidence);
    free_array(doc->ocr_doubtful, doc->n_ocr_doubtful);
    free(doc->listing_reason);
    free(doc->warning);
    free(doc);
}

/* array (count elements, allocated by anyone) with room for one more, or
 * NULL. Why geometric: a PDF of 400,000 pages appends its pages one at a
 * time, and a realloc of one more element each time copied the whole array
 * whenever the allocator could not grow it in place: quadratic, and always
 * so under ASan, whose realloc moves every block (tests/e2e/
 * test_hostile_feed.py's 429,497 pages: 1 s plain, over 300 s under ASan).
 * malloc_usable_size tells the room an earlier call reserved, whoever
 * allocated the array, so no capacity is kept beside the count. Cost: one
 * malloc_usable_size per append, one realloc per doubling. */
static char **reserve_one_more(char **array, size_t count)
{
    size_t need = (count + 1) * sizeof *array;
    if (array != NULL && malloc_usable_size(array) >= need)
        return array;
    size_t room = count < 4 ? 4 : count * 2;
    if (room > SIZE_MAX / sizeof *array)
        return NULL;
    return realloc(array, room * sizeof *array);
}

vind_status_t vind_doc_append(char ***array, size_t *count, const char *value, int unique)
{
    if (array == NULL || count == NULL || value == NULL)
        return VIND_INVALID_ARGUMENT;
    if (unique) {
        for (size_t i = 0; i < *count; i++)
            if (strcmp((*array)[i], value) == 0)
                return VIND_OK;
    }
    char *copy = strdup(value);
    if (copy == NULL)
        return VIND_NOMEM;
    char **grown = reserve_one_more(*array, *count);
    if (grown == NULL) {
        free(copy);
        return VIND_NOMEM;
    }
    grown[*count] = copy;
    *array = grown;
    (*count)++;
    return VIND_OK;
}

/* ---- to JSON ---------------------------------------------------------- */

/* A JSON string of value; bytes that are not UTF-8 (a file name such as
 * "ongeldig-\xff\xfe.html", a title from a broken page) become U+FFFD rather
 * than losing the whole document. NULL only when out of memory. */
static json_t *valid_string(const char *value)
{
    json_t *string = json_string(value);
    if (string != NULL)
        return string;
    gchar *repaired = g_utf8_make_valid(value, -1);
    string = json_string(repaired);
    g_free(repaired);
    return string;
}

/* json_string rejects invalid UTF-8; extractors only store valid UTF-8, but a
 * lost field is better than a lost document, so the caller checks. */
static int set_string(json_t *object, const char *key, const char *value)
{
    if (value == NULL)
        return 0;
    json_t *string = valid_string(value);
    if (string == NULL)
        return -1;
    return json_object_set_new(object, key, string);
}

static int set_array(json_t *object, const char *key, char **array, size_t count)
{
    json_t *list = json_array();
    if (list == NULL)
        return -1;
    for (size_t i = 0; i < count; i++) {
        json_t *string = valid_string(array[i] != NULL ? array[i] : "");
        if (string == NULL || json_array_append_new(list, string) != 0) {
            json_decref(list);
            return -1;
        }
    }
    return json_object_set_new(object, key, list);
}

char *vind_doc_to_json(const vind_doc_t *doc)
{
    if (doc == NULL)
        return NULL;
    json_t *object = json_object();
    if (object == NULL)
        return NULL;
    int failed = 0;
    failed |= set_string(object, "path", doc->path);
    failed |= set_string(object, "url", doc->url);
    failed |= json_object_set_new(object, "type", json_integer(doc->type));
    failed |= set_string(object, "title", doc->title);
    failed |= set_string(object, "date", doc->date);
    failed |= set_string(object, "author", doc->author);
    failed |= set_string(object, "description", doc->description);
    failed |= set_string(object, "lang", doc->lang);
    failed |= set_string(object, "canonical", doc->canonical);
    failed |= set_string(object, "section", doc->section);
    failed |= set_array(object, "tags", doc->tags, doc->n_tags);
    failed |= set_array(object, "themes", doc->themes, doc->n_themes);
    failed |= set_array(object, "links", doc->links, doc->n_links);
    failed |= set_array(object, "pages", doc->pages, doc->n_pages);
    failed |=
        json_object_set_new(object, "n_empty_pages", json_integer((json_int_t)doc->n_empty_pages));
    if (doc->ocr_confidence != NULL) {
        json_t *confidence = json_array();
        for (size_t i = 0; confidence != NULL && i < doc->n_pages; i++)
            failed |= json_array_append_new(confidence, json_integer(doc->ocr_confidence[i]));
        failed |= json_object_set_new(object, "ocr_confidence", confidence);
    }
    failed |= set_array(object, "ocr_doubtful", doc->ocr_doubtful, doc->n_ocr_doubtful);
    failed |= json_object_set_new(object, "ocr_recognised",
                                  json_integer((json_int_t)doc->ocr_recognised));
    failed |= json_object_set_new(object, "ocr_cached", json_integer((json_int_t)doc->ocr_cached));
    failed |= json_object_set_new(object, "ocr_seconds", json_real(doc->ocr_seconds));
    failed |= json_object_set_new(object, "is_listing", json_boolean(doc->is_listing));
    failed |= set_string(object, "listing_reason", doc->listing_reason);
    failed |= set_string(object, "warning", doc->warning);
    char *text = failed ? NULL : json_dumps(object, JSON_COMPACT);
    json_decref(object);
    return text;
}

/* ---- from JSON -------------------------------------------------------- */

static vind_status_t get_string(json_t *object, const char *key, char **out)
{
    json_t *value = json_object_get(object, key);
    if (value == NULL || json_is_null(value))
        return VIND_OK;
    if (!json_is_string(value))
        return VIND_CORRUPT_FILE;
    *out = strdup(json_string_value(value));
    return *out != NULL ? VIND_OK : VIND_NOMEM;
}

static vind_status_t get_array(json_t *object, const char *key, char ***array, size_t *count)
{
    json_t *list = json_object_get(object, key);
    if (list == NULL)
        return VIND_OK;
    if (!json_is_array(list))
        return VIND_CORRUPT_FILE;
    size_t index;
    json_t *value;
    json_array_foreach(list, index, value)
    {
        if (!json_is_string(value))
            return VIND_CORRUPT_FILE;
        vind_status_t status = vind_doc_append(array, count, json_string_value(value), 0);
        if (status != VIND_OK)
            return status;
    }
    return VIND_OK;
}

/* The OCR fields: one confidence per page (or none), the run's counts. */
static vind_status_t get_ocr_counts(json_t *object, vind_doc_t *doc)
{
    json_t *confidence = json_object_get(object, "ocr_confidence");
    if (confidence != NULL) {
        if (!json_is_array(confidence) || json_array_size(confidence) != doc->n_pages)
            return VIND_CORRUPT_FILE;
        doc->ocr_confidence = calloc(doc->n_pages + 1, sizeof *doc->ocr_confidence);
        if (doc->ocr_confidence == NULL)
            return VIND_NOMEM;
        for (size_t i = 0; i < doc->n_pages; i++) {
            json_t *value = json_array_get(confidence, i);
            if (!json_is_integer(value) || json_integer_value(value) < -1 ||
                json_integer_value(value) > 100)
                return VIND_CORRUPT_FILE;
            doc->ocr_confidence[i] = (int)json_integer_value(value);
        }
    }
    json_t *recognised = json_object_get(object, "ocr_recognised");
    json_t *cached = json_object_get(object, "ocr_cached");
    if (json_is_integer(recognised) && json_integer_value(recognised) >= 0)
        doc->ocr_recognised = (size_t)json_integer_value(recognised);
    if (json_is_integer(cached) && json_integer_value(cached) >= 0)
        doc->ocr_cached = (size_t)json_integer_value(cached);
    if (json_is_number(json_object_get(object, "ocr_seconds")))
        doc->ocr_seconds = json_number_value(json_object_get(object, "ocr_seconds"));
    return VIND_OK;
}

static vind_status_t fill_doc(json_t *object, vind_doc_t *doc)
{
    json_t *type = json_object_get(object, "type");
    if (!json_is_integer(type) || json_integer_value(type) < VIND_DOC_ARTICLE ||
        json_integer_value(type) > VIND_DOC_PAGE)
        return VIND_CORRUPT_FILE;
    doc->type = (vind_doc_type_t)json_integer_value(type);
    json_t *empty = json_object_get(object, "n_empty_pages");
    if (json_is_integer(empty) && json_integer_value(empty) >= 0)
        doc->n_empty_pages = (size_t)json_integer_value(empty);
    doc->is_listing = json_is_true(json_object_get(object, "is_listing"));

    struct {
        const char *key;
        char **field;
    } strings[] = {
        {"path", &doc->path},       {"url", &doc->url},
        {"title", &doc->title},     {"date", &doc->date},
        {"author", &doc->author},   {"description", &doc->description},
        {"lang", &doc->lang},       {"canonical", &doc->canonical},
        {"section", &doc->section}, {"listing_reason", &doc->listing_reason},
        {"warning", &doc->warning},
    };
    for (size_t i = 0; i < sizeof strings / sizeof strings[0]; i++) {
        vind_status_t status = get_string(object, strings[i].key, strings[i].field);
        if (status != VIND_OK)
            return status;
    }
    vind_status_t status = get_array(object, "tags", &doc->tags, &doc->n_tags);
    if (status == VIND_OK)
        status = get_array(object, "themes", &doc->themes, &doc->n_themes);
    if (status == VIND_OK)
        status = get_array(object, "links", &doc->links, &doc->n_links);
    if (status == VIND_OK)
        status = get_array(object, "pages", &doc->pages, &doc->n_pages);
    if (status == VIND_OK)
        status = get_array(object, "ocr_doubtful", &doc->ocr_doubtful, &doc->n_ocr_doubtful);
    if (status == VIND_OK)
        status = get_ocr_counts(object, doc);
    return status;
}

/* Whether any byte of the 8 in word is a control character, DEL or a
 * backslash: the classic test for a zero byte ((x - 0x01..) & ~x, high
 * bits), on the word minus 0x20 (below it) and xor'd with DEL and with the
 * backslash. Exact for "any": a borrow only passes a byte that is itself
 * found. ~12 instructions. */
static inline int word_has_unlinkable_byte(uint64_t word)
{
    const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
    uint64_t del = word ^ (ones * 0x7f), backslash = word ^ (ones * '\\');
    return ((((word - ones * 0x20) & ~word) | ((del - ones) & ~del) |
             ((backslash - ones) & ~backslash)) &
            highs) != 0;
}

/* Whether any of the n bytes at text is a control character, DEL or a
 * backslash: 8 bytes a test (the last 8 overlapping the ones before, never
 * past text + n), byte by byte only below 8. The byte order does not
 * matter for "any". */
static int has_unlinkable_byte(const char *text, size_t n)
{
    uint64_t word;
    if (n < 8) {
        for (size_t i = 0; i < n; i++) {
            unsigned char c = (unsigned char)text[i];
            if (c < 0x20 || c == 0x7f || c == '\\')
                return 1;
        }
        return 0;
    }
    for (size_t i = 0; i + 8 < n; i += 8) {
        memcpy(&word, text + i, sizeof word);
        if (word_has_unlinkable_byte(word))
            return 1;
    }
    memcpy(&word, text + n - 8, sizeof word);
    return word_has_unlinkable_byte(word);
}

/* Cost: the prefix, strlen and a test per 8 bytes (two links an answer's
 * hit: ~100 instructions for a 60-byte path, ~270 byte by byte). */
int vind_url_is_link(const char *url)
{
    if (url == NULL || *url == '\0')
        return 0;
    int scheme_or_path = url[0] == '/' ? url[1] != '/'
                                       : g_ascii_strncasecmp(url, "http://", 7) == 0 ||
                                             g_ascii_strncasecmp(url, "https://", 8) == 0;
    return scheme_or_path && !has_unlinkable_byte(url, strlen(url));
}

const char *vind_url_as_link(const char *url)
{
    return vind_url_is_link(url) ? url : NULL;
}

/* Whether host[0..length) is a host name, an IPv4 address or an IPv6 one in
 * brackets, with an optional :port: what follows "http(s)://" in a base URL.
 * "site.example@evil.example" (a user) and an empty host are not. */
static int is_host_and_port(const char *host, size_t length)
{
    size_t end = length;
    const char *colon = memrchr(host, ':', length);
    if (colon && !memchr(colon, ']', length - (size_t)(colon - host))) {
        unsigned long port = 0;
        for (const char *p = colon + 1; p < host + length; p++)
            if (!g_ascii_isdigit(*p) || (port = port * 10 + (unsigned long)(*p - '0')) > 65535)
                return 0;
        if (colon + 1 == host + length)
            return 0;
        end = (size_t)(colon - host);
    }
    if (end == 0)
        return 0;
    int bracketed = host[0] == '[';
    if (bracketed && (end < 3 || host[end - 1] != ']'))
        return 0;
    for (size_t i = bracketed; i < end - bracketed; i++) {
        char c = host[i];
        if (!(g_ascii_isalnum(c) || c == '.' || c == '-' || (bracketed && c == ':')))
            return 0;
    }
    return 1;
}

/* Whether segment[0..length) is "." or "..", also spelled %2e: browsers
 * resolve it, so that the URL leads elsewhere than the file. */
static int is_dot_segment(const char *segment, size_t length)
{
    size_t dots = 0;
    for (size_t i = 0; i < length; dots++) {
        if (segment[i] == '.')
            i++;
        else if (length - i >= 3 && g_ascii_strncasecmp(segment + i, "%2e", 3) == 0)
            i += 3;
        else
            return 0;
    }
    return dots == 1 || dots == 2;
}

/* The path of a base URL: nothing a browser would read otherwise than as
 * the path the file names are appended to. */
static const char *base_path_problem(const char *path)
{
    if (strpbrk(path, "?#"))
        return "it holds a query or a fragment (? or #), which every URL would end in";
    for (const char *p = path; *p; p++)
        if (*p == '%' && !(g_ascii_isxdigit(p[1]) && g_ascii_isxdigit(p[2])))
            return "it holds a % that is not followed by two hexadecimal digits";
    for (const char *segment = path; *segment;) {
        segment += *segment == '/';
        size_t length = strcspn(segment, "/");
        if (is_dot_segment(segment, length))
            return "it holds a . or .. segment, which browsers resolve to another folder";
        segment += length;
    }
    return NULL;
}

/* Cost: a few passes over base_url's bytes, once a run. */
vind_status_t vind_base_url_check(const char *base_url, char **errmsg)
{
    if (base_url == NULL)
        return vind_error(errmsg, VIND_INVALID_ARGUMENT, "no base URL");
    if (*base_url == '\0') /* vind_index_url_for reads it as "/" */
        return VIND_OK;
    if (!g_utf8_validate(base_url, -1, NULL))
        return vind_error(errmsg, VIND_INVALID_ARGUMENT, "it is not UTF-8");
    for (const unsigned char *p = (const unsigned char *)base_url; *p; p++) {
        if (*p < ' ' || *p == 0x7f || (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f))
            return vind_error(errmsg, VIND_INVALID_ARGUMENT,
                              "it holds a control character, which browsers drop or stop at");
        if (*p == ' ')
            return vind_error(errmsg, VIND_INVALID_ARGUMENT, "it holds a space (write %%20)");
        if (*p == '\\')
            return vind_error(errmsg, VIND_INVALID_ARGUMENT,
                              "it holds a backslash, which browsers read as /");
    }
    if (!vind_url_is_link(base_url))
        return vind_error(errmsg, VIND_INVALID_ARGUMENT,
                          "it is neither http(s)://HOST/... nor a path of the site (/..., not //...)");
    const char *path = base_url;
    const char *scheme_end = strstr(base_url, "://");
    if (base_url[0] != '/' && scheme_end) {
        const char *host = scheme_end + 3;
        size_t length = strcspn(host, "/?#");
        if (!is_host_and_port(host, length))
            return vind_error(errmsg, VIND_INVALID_ARGUMENT,
                              "what follows :// is not a host (a name, an address, :port), so "
                              "browsers would go elsewhere (USER@HOST goes to HOST)");
        path = host + length;
    }
    const char *problem = base_path_problem(path);
    return problem ? vind_error(errmsg, VIND_INVALID_ARGUMENT, "%s", problem) : VIND_OK;
}

vind_status_t vind_doc_from_json(const char *json, size_t len, vind_doc_t **out, char **errmsg)
{
    if (out == NULL)
        return vind_error(errmsg, VIND_INVALID_ARGUMENT, "vind_doc_from_json: out is NULL");
    *out = NULL;
    if (json == NULL)
        return vind_error(errmsg, VIND_INVALID_ARGUMENT, "vind_doc_from_json: json is NULL");
    json_error_t error;
    json_t *object = json_loadb(json, len, 0, &error);
    if (object == NULL)
        return vind_error(errmsg, VIND_CORRUPT_FILE, "document record is not JSON: %s (line %d)",
                          error.text, error.line);
    vind_status_t status = vind_doc_from_object(object, out, errmsg);
    json_decref(object);
    return status;
}

vind_status_t vind_doc_from_object(json_t *object, vind_doc_t **out, char **errmsg)
{
    *out = NULL;
    if (!json_is_object(object))
        return vind_error(errmsg, VIND_CORRUPT_FILE, "document record is not a JSON object");
    vind_doc_t *doc = vind_doc_new();
    if (doc == NULL)
        return vind_error(errmsg, VIND_NOMEM, "document record: out of memory");
    vind_status_t status = fill_doc(object, doc);
    if (status != VIND_OK) {
        vind_doc_free(doc);
        return vind_error(errmsg, status, "document record: %s",
                          status == VIND_NOMEM ? "out of memory" : "a field has the wrong type");
    }
    *out = doc;
    return VIND_OK;
}

/* ---- packed (lib/doc_pack.h) ------------------------------------------- */

#define NO_STRING UINT64_MAX

static void pack_u64(GString *out, uint64_t value)
{
    g_string_append_len(out, (const char *)&value, sizeof value);
}

/* A string as its length and bytes (NO_STRING for NULL), made valid UTF-8
 * as valid_string makes it for the JSON. */
static void pack_string(GString *out, const char *value)
{
    if (value == NULL) {
        pack_u64(out, NO_STRING);
        return;
    }
    size_t len = strlen(value);
    gchar *repaired =
        g_utf8_validate(value, (gssize)len, NULL) ? NULL : g_utf8_make_valid(value, -1);
    if (repaired != NULL) {
        value = repaired;
        len = strlen(repaired);
    }
    pack_u64(out, len);
    g_string_append_len(out, value, (gssize)len);
    g_free(repaired);
}

/* An array; a NULL item is "", as in the JSON. */
static void pack_array(GString *out, char **array, size_t count)
{
    pack_u64(out, count);
    for (size_t i = 0; i < count; i++)
        pack_string(out, array[i] != NULL ? array[i] : "");
}

char *vind_doc_pack(const vind_doc_t *doc, size_t *len)
{
    if (doc == NULL || len == NULL)
        return NULL;
    GString *out = g_string_sized_new(4096);
    char *const strings[] = {
        doc->path, doc->url,       doc->title,   doc->date,           doc->author, doc->description,
        doc->lang, doc->canonical, doc->section, doc->listing_reason, doc->warning};
    for (size_t i = 0; i < G_N_ELEMENTS(strings); i++)
        pack_string(out, strings[i]);
    pack_u64(out, (uint64_t)doc->type);
    pack_u64(out, (uint64_t)(doc->is_listing != 0));
    pack_array(out, doc->tags, doc->n_tags);
    pack_array(out, doc->themes, doc->n_themes);
    pack_array(out, doc->links, doc->n_links);
    pack_array(out, doc->pages, doc->n_pages);
    pack_array(out, doc->ocr_doubtful, doc->n_ocr_doubtful);
    pack_u64(out, doc->n_empty_pages);
    pack_u64(out, doc->ocr_confidence != NULL);
    for (size_t i = 0; doc->ocr_confidence != NULL && i < doc->n_pages; i++)
        pack_u64(out, (uint64_t)(int64_t)doc->ocr_confidence[i]);
    pack_u64(out, doc->ocr_recognised);
    pack_u64(out, doc->ocr_cached);
    g_string_append_len(out, (const char *)&doc->ocr_seconds, sizeof doc->ocr_seconds);
    *len = out->len;
    /* malloc'd for free(), as the JSON text was */
    char *packed = malloc(out->len > 0 ? out->len : 1);
    if (packed != NULL)
        memcpy(packed, out->str, out->len);
    g_string_free(out, TRUE);
    return packed;
}

typedef struct {
    const char *at;
    const char *end;
    vind_status_t status;
} unpacker_t;

static uint64_t unpack_u64(unpacker_t *in)
{
    uint64_t value = 0;
    if (in->status != VIND_OK || (size_t)(in->end - in->at) < sizeof value) {
        if (in->status == VIND_OK)
            in->status = VIND_CORRUPT_FILE;
        return 0;
    }
    memcpy(&value, in->at, sizeof value);
    in->at += sizeof value;
    return value;
}

static void unpack_string(unpacker_t *in, char **out)
{
    uint64_t len = unpack_u64(in);
    if (in->status != VIND_OK || len == NO_STRING)
        return;
    if (len > (uint64_t)(in->end - in->at)) {
        in->status = VIND_CORRUPT_FILE;
        return;
    }
    *out = strndup(in->at, (size_t)len);
    in->at += len;
    if (*out == NULL)
        in->status = VIND_NOMEM;
}

static void unpack_array(unpacker_t *in, char ***array, size_t *count)
{
    uint64_t n = unpack_u64(in);
    /* each item takes at least its length */
    if (in->status == VIND_OK && n > (uint64_t)(in->end - in->at) / sizeof(uint64_t))
        in->status = VIND_CORRUPT_FILE;
    for (uint64_t i = 0; in->status == VIND_OK && i < n; i++) {
        char *item = NULL;
        unpack_string(in, &item);
        if (in->status == VIND_OK && item == NULL)
            in->status = VIND_CORRUPT_FILE;
        if (in->status == VIND_OK)
            in->status = vind_doc_append(array, count, item, 0);
        free(item);
    }
}

static void unpack_fields(unpacker_t *in, vind_doc_t *doc)
{
    char **const strings[] = {&doc->path,           &doc->url,       &doc->title,
                              &doc->date,           &doc->author,    &doc->description,
                              &doc->lang,           &doc->canonical, &doc->section,
                              &doc->listing_reason, &doc->warning};
    for (size_t i = 0; i < G_N_ELEMENTS(strings); i++)
        unpack_string(in, strings[i]);
    uint64_t type = unpack_u64(in);
    if (type > VIND_DOC_PAGE)
        in->status = VIND_CORRUPT_FILE;
    doc->type = (vind_doc_type_t)type;
    doc->is_listing = unpack_u64(in) != 0;
    unpack_array(in, &doc->tags, &doc->n_tags);
    unpack_array(in, &doc->themes, &doc->n_themes);
    unpack_array(in, &doc->links, &doc->n_links);
    unpack_array(in, &doc->pages, &doc->n_pages);
    unpack_array(in, &doc->ocr_doubtful, &doc->n_ocr_doubtful);
    doc->n_empty_pages = (size_t)unpack_u64(in);
    if (unpack_u64(in) && in->status == VIND_OK) {
        doc->ocr_confidence = calloc(doc->n_pages + 1, sizeof *doc->ocr_confidence);
        if (doc->ocr_confidence == NULL)
            in->status = VIND_NOMEM;
        for (size_t i = 0; in->status == VIND_OK && i < doc->n_pages; i++) {
            int64_t confidence = (int64_t)unpack_u64(in);
            if (confidence < -1 || confidence > 100)
                in->status = VIND_CORRUPT_FILE;
            doc->ocr_confidence[i] = (int)confidence;
        }
    }
    doc->ocr_recognised = (size_t)unpack_u64(in);
    doc->ocr_cached = (size_t)unpack_u64(in);
    if (in->status == VIND_OK && (size_t)(in->end - in->at) == sizeof doc->ocr_seconds)
        memcpy(&doc->ocr_seconds, in->at, sizeof doc->ocr_seconds);
    else if (in->status == VIND_OK)
        in->status = VIND_CORRUPT_FILE;
}

vind_status_t vind_doc_unpack(const char *data, size_t len, vind_doc_t **out, char **errmsg)
{
    if (out == NULL || data == NULL)
        return vind_error(errmsg, VIND_INVALID_ARGUMENT, "vind_doc_unpack: no record or no out");
    *out = NULL;
    vind_doc_t *doc = vind_doc_new();
    if (doc == NULL)
        return vind_error(errmsg, VIND_NOMEM, "document record: out of memory");
    unpacker_t in = {data, data + len, VIND_OK};
    unpack_fields(&in, doc);
    if (in.status != VIND_OK) {
        vind_doc_free(doc);
        return vind_error(errmsg, in.status, "document record: %s",
                          in.status == VIND_NOMEM ? "out of memory" : "truncated or out of range");
    }
    *out = doc;
    return VIND_OK;
}
