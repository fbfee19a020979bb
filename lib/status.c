/*
 * status.c - names of statuses, and the helper that fills *errmsg.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include <vind/status.h>
#include "error.h"

const char *vind_status_to_string(vind_status_t status)
{
    static const char *const names[VIND_STATUS_LAST] = {
        [VIND_OK] = "success",
        [VIND_NOMEM] = "out of memory",
        [VIND_INVALID_ARGUMENT] = "invalid argument",
        [VIND_BAD_UTF8] = "invalid UTF-8",
        [VIND_BAD_QUERY] = "bad query",
        [VIND_TOO_LARGE] = "too large",
        [VIND_UNSUPPORTED_FILE] = "unsupported file",
        [VIND_ENCRYPTED] = "encrypted file",
        [VIND_CORRUPT_FILE] = "corrupt file",
        [VIND_TIMEOUT] = "time limit exceeded",
        [VIND_CRASHED] = "worker crashed",
        [VIND_IO] = "input/output error",
        [VIND_NOT_FOUND] = "not found",
        [VIND_LOCKED] = "index locked",
        [VIND_INDEX_CORRUPT] = "index corrupt",
        [VIND_SCHEMA_MISMATCH] = "index schema mismatch (reindex with --full)",
        [VIND_INDEX_CHANGED] = "index changed",
        [VIND_XAPIAN] = "Xapian error",
        [VIND_INTERNAL] = "internal error",
        [VIND_UNAVAILABLE] = "a shard of the index is unreachable",
    };
    if ((unsigned)status >= VIND_STATUS_LAST || names[status] == NULL)
        return "unknown status";
    return names[status];
}

vind_status_t vind_error(char **errmsg, vind_status_t status, const char *fmt, ...)
{
    if (errmsg == NULL)
        return status;
    va_list ap;
    va_start(ap, fmt);
    char *message = NULL;
    if (vasprintf(&message, fmt, ap) < 0)
        message = NULL;
    va_end(ap);
    *errmsg = message;
    return status;
}
