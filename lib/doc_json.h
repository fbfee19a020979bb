/*
 * doc_json.h - (private) an extracted record from a parsed JSON object, for
 * callers that have parsed the JSON already (vind_index_records reads a
 * record's "url" and "deleted" before it builds the record).
 */
#ifndef VIND_LIB_DOC_JSON_H
#define VIND_LIB_DOC_JSON_H

#include <jansson.h>
#include <vind/doc.h>

/* As vind_doc_from_json, from object (borrowed). VIND_OK, VIND_CORRUPT_FILE
 * (not an object, a field of the wrong type) or VIND_NOMEM. */
vind_status_t vind_doc_from_object(json_t *object, vind_doc_t **out, char **errmsg);

#endif
