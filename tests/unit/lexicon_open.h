/* lexicon_open.h - opens the built lexicon for a unit test: NULL after a SKIP
 * (no lexicon built) or, on CI, a failure. */
#ifndef VIND_TESTS_LEXICON_OPEN_H
#define VIND_TESTS_LEXICON_OPEN_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <vind/analyze.h>
#include "check.h"

static vind_lexicon_t *open_test_lexicon(void)
{
    vind_lexicon_t *lexicon = NULL;
    char *errmsg = NULL;
    if (vind_lexicon_open(NULL, &lexicon, &errmsg) == VIND_OK)
        return lexicon;
    const char *ci = getenv("CI");
    if (ci && strcmp(ci, "true") == 0)
        CHECK(0, "the lexicon opens (build it with make)");
    else
        SKIP("no lexicon built: make builds $(BUILD)/share/vind");
    printf("# %s\n", errmsg ? errmsg : "");
    free(errmsg);
    return NULL;
}

#endif
