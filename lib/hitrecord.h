/*
 * hitrecord.h - (private) what a hit shows, in a value slot of its own
 * (VIND_SLOT_HIT, lib/schema.h): url, title, type, date, author,
 * description, parent, language, page count, tags and themes, read for a
 * results page without parsing the stored record.
 *
 * Why: a hit's stored record is JSON (lib/doc.c, lib/index.c; ~0.3-1.3 kB,
 * with links, paths and the document's own tags besides), and reading it
 * (Xapian's document data, then jansson) cost ~210,000 instructions a hit,
 * a quarter of a whole search (bench/search-cost, callgrind). This layout is
 * read with one value look-up and a walk over its bytes.
 *
 * Layout: the byte '1' (the layout's version), then each field in the order
 * above as a varint byte length, the bytes and a NUL (so a field is read in
 * place); the page count as a varint; tags and themes each as a varint
 * count followed by that many fields; then, optionally, the OCR pages (a
 * varint count and that many varint page numbers: absent in a value
 * written before OCR, which reads as none). An empty field reads as NULL. An
 * index written before this slot has no value there: hits read the record.
 */
#ifndef VIND_LIB_HITRECORD_H
#define VIND_LIB_HITRECORD_H

#include <stddef.h>

typedef struct vind_hit_record {
    const char *url, *title, *type, *date, *author, *description, *parent, *lang;
    size_t n_pages;
    const char **tags, **themes;
    size_t n_tags, n_themes;
    const unsigned *ocr_pages; /* 1-based pages whose text is OCR (encode: read; decode: malloc'd) */
    size_t n_ocr_pages;
} vind_hit_record_t;

/* The slot's value for record (malloc'd, *length bytes); NULL on NOMEM. */
char *vind_hit_record_encode(const vind_hit_record_t *record, size_t *length);

/* Reads value (length bytes, which the strings of *record then point into:
 * keep it) into *record; its tags, themes and ocr_pages are malloc'd
 * arrays (free them, may be NULL). 0 when the value is not this layout, or on NOMEM. */
int vind_hit_record_decode(char *value, size_t length, vind_hit_record_t *record);

#endif
