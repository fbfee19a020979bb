/*
 * doc_pack.h - (private) an extracted record in the binary form an
 * extraction worker sends its parent (lib/isolate.c): the fields in a fixed
 * order, strings as length and bytes, numbers as they are in memory. Only
 * between a process and its own fork (same build, same machine): never
 * stored, never read from elsewhere. Why not the JSON of vind_doc_to_json:
 * encoding and parsing a page's text were ~1 M instructions a page of the
 * shared site, a copy is a few thousand.
 */
#ifndef VIND_LIB_DOC_PACK_H
#define VIND_LIB_DOC_PACK_H

#include <stddef.h>
#include <vind/doc.h>

/* The record packed; *len its length. NULL when out of memory. free(). Text
 * that is not UTF-8 is made valid (U+FFFD) as vind_doc_to_json does, so
 * that the parent sees what it read from the JSON. */
char *vind_doc_pack(const vind_doc_t *doc, size_t *len);

/* The record back. VIND_OK, VIND_CORRUPT_FILE (truncated, a value out of
 * range) or VIND_NOMEM. */
vind_status_t vind_doc_unpack(const char *data, size_t len, vind_doc_t **out, char **errmsg);

#endif
