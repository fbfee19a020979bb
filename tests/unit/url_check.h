/*
 * url_check.h - checks the URL vind_index_url_for gives a file under a root
 * (test_index and test_index_hardening).
 */
#ifndef VIND_TESTS_URL_CHECK_H
#define VIND_TESTS_URL_CHECK_H

#include <stdlib.h>

#include <vind/index.h>
#include "check.h"

/* CHECKs that path under root, served at base, gets the URL expected. */
static inline void check_url_for(const char *base, const char *root, const char *path,
                                 const char *expected, const char *what)
{
    char *url = vind_index_url_for(base, root, path);
    CHECK_STR(url, expected, what);
    free(url);
}

#endif
