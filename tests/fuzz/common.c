/*
 * common.c - the shared pieces of the fuzz targets (see common.h).
 */
#include "common.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FUZZ_FIELD_SEPARATOR 0x1f

/* One lexicon and analyzer for the whole run: loading the lexicon takes
 * longer than thousands of inputs, and libFuzzer is single-threaded. */
static char datadir[PATH_MAX];
static vind_lexicon_t *lexicon;
static vind_analyzer_t *analyzer;

const char *fuzz_datadir(void)
{
    if (datadir[0] != '\0')
        return datadir;
    const char *env = getenv("VIND_DATADIR");
    if (env != NULL && *env != '\0') {
        snprintf(datadir, sizeof datadir, "%s", env);
        return datadir;
    }
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        snprintf(exe, sizeof exe, ".");
    else
        exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (slash != NULL)
        *slash = '\0';
    snprintf(datadir, sizeof datadir, "%s/share/vind", exe);
    return datadir;
}

void fuzz_require(int condition, const char *message)
{
    if (condition)
        return;
    fprintf(stderr, "fuzz: property violated: %s\n", message);
    abort();
}

const vind_lexicon_t *fuzz_lexicon(void)
{
    if (lexicon != NULL)
        return lexicon;
    char *errmsg = NULL;
    if (vind_lexicon_open(fuzz_datadir(), &lexicon, &errmsg) != VIND_OK) {
        fprintf(stderr,
                "fuzz: cannot open the lexicon in %s: %s (build it with make, or set "
                "VIND_DATADIR)\n",
                fuzz_datadir(), errmsg ? errmsg : "?");
        abort();
    }
    return lexicon;
}

vind_analyzer_t *fuzz_analyzer(void)
{
    if (analyzer != NULL)
        return analyzer;
    char *errmsg = NULL;
    if (vind_analyzer_new(fuzz_lexicon(), &analyzer, &errmsg) != VIND_OK) {
        fprintf(stderr, "fuzz: cannot make an analyzer: %s\n", errmsg ? errmsg : "?");
        abort();
    }
    return analyzer;
}

uint8_t fuzz_byte(fuzz_input_t *in)
{
    if (in->at >= in->size)
        return 0;
    return in->data[in->at++];
}

char *fuzz_field(fuzz_input_t *in, size_t *len)
{
    if (in->at >= in->size) {
        *len = 0;
        return NULL;
    }
    const uint8_t *start = in->data + in->at;
    size_t left = in->size - in->at;
    const uint8_t *end = memchr(start, FUZZ_FIELD_SEPARATOR, left);
    size_t n = end != NULL ? (size_t)(end - start) : left;
    in->at += n + (end != NULL ? 1 : 0);
    char *copy = malloc(n + 1);
    fuzz_require(copy != NULL, "malloc");
    memcpy(copy, start, n);
    copy[n] = '\0';
    *len = n;
    return copy;
}

/*
 * ASan's strstr interceptor measures the whole haystack on every call, so
 * g_strsplit (strstr per piece) turns quadratic under ASan alone: 65,000
 * empty lines of "PDF text" took 7.7 s in fuzz_pdf_clean against 0.005 s
 * unsanitised (tests/fuzz/regressions/pdf_clean/many-empty-lines). strstr is
 * libc's, uninstrumented either way; every access in vind's code stays checked.
 */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return "intercept_strstr=0";
}

void fuzz_require_json_round_trip(const vind_doc_t *doc)
{
    char *json = vind_doc_to_json(doc);
    fuzz_require(json != NULL, "the document does not become JSON");
    vind_doc_t *back = NULL;
    char *errmsg = NULL;
    fuzz_require(vind_doc_from_json(json, strlen(json), &back, &errmsg) == VIND_OK,
                 "the document's JSON does not read back");
    char *again = vind_doc_to_json(back);
    fuzz_require(again != NULL && strcmp(json, again) == 0,
                 "the document changed in its JSON round trip");
    free(again);
    vind_doc_free(back);
    free(json);
}
