/*
 * hitrecord.c - the hit record of a document (layout and reasons:
 * hitrecord.h): written by the indexer, read for every hit of a results page.
 * Decoding is a walk over ~300 bytes: no allocation but the two lists.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "hitrecord.h"

#define LAYOUT '1'

static void put_varint(GString *out, uint64_t value)
{
    while (value >= 0x80) {
        g_string_append_c(out, (char)(0x80 | (value & 0x7F)));
        value >>= 7;
    }
    g_string_append_c(out, (char)value);
}

static void put_field(GString *out, const char *text)
{
    size_t length = text ? strlen(text) : 0;
    put_varint(out, length);
    g_string_append_len(out, text ? text : "", (gssize)length);
    g_string_append_c(out, '\0');
}

static void put_list(GString *out, const char *const *items, size_t n)
{
    put_varint(out, n);
    for (size_t i = 0; i < n; i++)
        put_field(out, items[i]);
}

char *vind_hit_record_encode(const vind_hit_record_t *r, size_t *length)
{
    GString *out = g_string_sized_new(256);
    g_string_append_c(out, LAYOUT);
    const char *fields[] = {r->url,         r->title,  r->type, r->date, r->author,
                            r->description, r->parent, r->lang};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        put_field(out, fields[i]);
    put_varint(out, r->n_pages);
    put_list(out, r->tags, r->n_tags);
    put_list(out, r->themes, r->n_themes);
    if (r->n_ocr_pages) {
        put_varint(out, r->n_ocr_pages);
        for (size_t i = 0; i < r->n_ocr_pages; i++)
            put_varint(out, r->ocr_pages[i]);
    }
    *length = out->len;
    char *value = malloc(out->len);
    if (value)
        memcpy(value, out->str, out->len);
    g_string_free(out, TRUE);
    return value;
}

typedef struct {
    char *p, *end;
} reader_t;

static int get_long_varint(reader_t *r, uint64_t *value)
{
    uint64_t v = 0;
    for (unsigned shift = 0; r->p < r->end && shift < 64; shift += 7) {
        unsigned char c = (unsigned char)*r->p++;
        v |= (uint64_t)(c & 0x7F) << shift;
        if (!(c & 0x80)) {
            *value = v;
            return 1;
        }
    }
    return 0;
}

/* A varint; the one-byte case (a field's length, a count) inline: a hit
 * record's ~12 varints were a call each (~35 instructions; the records of
 * the 1,000 bench requests: 69,303 decodes). */
static inline int get_varint(reader_t *r, uint64_t *value)
{
    if (r->p < r->end && !((unsigned char)*r->p & 0x80)) {
        *value = (unsigned char)*r->p++;
        return 1;
    }
    return get_long_varint(r, value);
}

/* One field in place; *text NULL when empty. 0 when the bytes end early. */
static inline int get_field(reader_t *r, const char **text)
{
    uint64_t length = 0;
    if (!get_varint(r, &length) || length >= (uint64_t)(r->end - r->p) || r->p[length] != '\0')
        return 0;
    *text = length ? r->p : NULL;
    r->p += length + 1;
    return 1;
}

static int get_list(reader_t *r, const char ***items, size_t *n)
{
    uint64_t count = 0;
    *items = NULL;
    *n = 0;
    if (!get_varint(r, &count) || count > (uint64_t)(r->end - r->p))
        return 0;
    if (count == 0)
        return 1;
    if (!(*items = calloc(count, sizeof **items)))
        return 0;
    for (size_t i = 0; i < count; i++) {
        const char *item = NULL;
        if (!get_field(r, &item))
            return 0;
        if (item)
            (*items)[(*n)++] = item;
    }
    return 1;
}

/* The optional OCR pages at the end (none when the value ends first). */
static int get_pages(reader_t *r, const unsigned **pages, size_t *n)
{
    uint64_t count = 0;
    *pages = NULL;
    *n = 0;
    if (r->p == r->end)
        return 1;
    if (!get_varint(r, &count) || count > (uint64_t)(r->end - r->p))
        return 0;
    if (count == 0)
        return 1;
    unsigned *list = calloc(count, sizeof *list);
    if (!list)
        return 0;
    *pages = list;
    for (size_t i = 0; i < count; i++) {
        uint64_t page = 0;
        if (!get_varint(r, &page) || page > UINT32_MAX)
            return 0;
        list[(*n)++] = (unsigned)page;
    }
    return 1;
}

int vind_hit_record_decode(char *value, size_t length, vind_hit_record_t *record)
{
    memset(record, 0, sizeof *record);
    if (!value || length == 0 || value[0] != LAYOUT)
        return 0;
    reader_t r = {value + 1, value + length};
    const char **fields[] = {&record->url,         &record->title,  &record->type,
                             &record->date,        &record->author, &record->description,
                             &record->parent,      &record->lang};
    uint64_t n_pages = 0;
    int ok = 1;
    for (size_t i = 0; ok && i < sizeof fields / sizeof fields[0]; i++)
        ok = get_field(&r, fields[i]);
    ok = ok && get_varint(&r, &n_pages) && get_list(&r, &record->tags, &record->n_tags) &&
         get_list(&r, &record->themes, &record->n_themes) &&
         get_pages(&r, &record->ocr_pages, &record->n_ocr_pages);
    record->n_pages = (size_t)n_pages;
    if (!ok) {
        free(record->tags);
        free(record->themes);
        free((unsigned *)record->ocr_pages);
        memset(record, 0, sizeof *record);
    }
    return ok;
}
