/* lexicon_open.h - opens the built lexicon for a unit test: NULL after a SKIP
 * (no lexicon built) or, on CI, a failure. */
#ifndef VIND_TESTS_LEXICON_OPEN_H
#define VIND_TESTS_LEXICON_OPEN_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <vind/analyze.h>
#include "check.h"
#include "temp_tree.h"

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

/* The start of a test over a tiny index of its own: the lexicon
 * (open_test_lexicon) and a fresh folder in root (make_temp_tree: root is
 * size bytes, NAME names /tmp/vind-NAME-XXXXXX). NULL, with nothing left
 * open, when either fails (after its SKIP, or on CI its failure). */
static inline vind_lexicon_t *open_lexicon_and_temp_tree(char *root, size_t size, const char *name)
{
    vind_lexicon_t *lexicon = open_test_lexicon();
    if (lexicon && !make_temp_tree(root, size, name)) {
        vind_lexicon_close(lexicon);
        return NULL;
    }
    return lexicon;
}

#endif
