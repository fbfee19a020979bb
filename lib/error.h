/*
 * error.h - (private) the one helper that fills a caller's `char **errmsg`.
 */
#ifndef VIND_LIB_ERROR_H
#define VIND_LIB_ERROR_H

#include <vind/status.h>

/*
 * Sets *errmsg (when errmsg is non-NULL) to a malloc'd message formatted from
 * fmt, replacing nothing the caller owns (*errmsg must not hold a string the
 * caller still needs), and returns status so that callers can write
 * `return vind_error(errmsg, VIND_IO, "cannot open %s: %s", path, why);`.
 */
vind_status_t vind_error(char **errmsg, vind_status_t status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
