/*
 * status.h - the one status enum every fallible vind function returns.
 *
 * Convention (see docs/design.md): a fallible function returns vind_status_t
 * and takes `char **errmsg` as its last parameter. On failure every output is
 * set to NULL and, when errmsg is non-NULL, *errmsg receives a malloc'd
 * English sentence naming the object (path, query, parameter) and the reason;
 * the caller free()s it. On success *errmsg is left untouched.
 */
#ifndef VIND_STATUS_H
#define VIND_STATUS_H

#include <vind/common.h>

VIND_BEGIN_DECLS

typedef enum {
    /* Success. */
    VIND_OK = 0,
    /* Out of memory. */
    VIND_NOMEM,
    /* A parameter is invalid (NULL where a value is required, out of range). */
    VIND_INVALID_ARGUMENT,
    /* Input text is not valid UTF-8 and could not be used. */
    VIND_BAD_UTF8,
    /* The query could not be parsed or is beyond a limit. */
    VIND_BAD_QUERY,
    /* An input (file, query, request) is larger than a limit allows. */
    VIND_TOO_LARGE,
    /* The file type is not one vind indexes, or the file is unreadable as that type. */
    VIND_UNSUPPORTED_FILE,
    /* The file is encrypted and cannot be read. */
    VIND_ENCRYPTED,
    /* The file is damaged (truncated PDF, binary junk). */
    VIND_CORRUPT_FILE,
    /* An operation ran past its time limit (e.g. PDF extraction). */
    VIND_TIMEOUT,
    /* A worker process crashed. */
    VIND_CRASHED,
    /* An operating-system call failed (open, read, fork, ...). */
    VIND_IO,
    /* Something asked for does not exist (a file, a document, a database). */
    VIND_NOT_FOUND,
    /* The index is locked by another writer. */
    VIND_LOCKED,
    /* The index is damaged. */
    VIND_INDEX_CORRUPT,
    /* The index was written by another schema version: reindex with --full. */
    VIND_SCHEMA_MISMATCH,
    /* The index changed under a reader; reopen and retry. */
    VIND_INDEX_CHANGED,
    /* Any other error reported by Xapian. */
    VIND_XAPIAN,
    /* A bug: an internal invariant failed. */
    VIND_INTERNAL,
    /* A remote shard of the index did not answer (down, or past its
     * timeout): the search has no result; try again (docs/scaling.md). */
    VIND_UNAVAILABLE,
    /* Not a status: the number of statuses. */
    VIND_STATUS_LAST
} vind_status_t;

/*
 * A short English name for status, e.g. "out of memory". Never NULL; an
 * unknown value gives "unknown status". The string is static.
 *
 * Thread: safe.
 */
VIND_API const char *vind_status_to_string(vind_status_t status);

VIND_END_DECLS

#endif
