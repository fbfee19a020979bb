/*
 * fuzz_pdf_clean.c - libFuzzer target for the PDF text cleanup
 * (vind_pdf_clean_pages): running headers and footers, page numbers,
 * line-end hyphenation ("kwaliteits-" + "gelden"), bullets.
 *
 * Input: byte 0 bit 0 set: the pages are passed as they are (invalid UTF-8
 * must give VIND_BAD_UTF8, not a crash); clear: invalid bytes are first
 * repaired, as poppler's output always is valid UTF-8, so most runs reach
 * the cleanup itself. The rest is the pages' text, split on form feeds
 * (pdftotext's page separator), at most FUZZ_MAX_PAGES pages. Properties
 * checked: success keeps the page count, every page is valid UTF-8, and no
 * page grows by more than a small factor (the cleanup only drops and joins).
 */
#include <glib.h>
#include <stdlib.h>
#include <string.h>

#include <vind/extract.h>
#include "common.h"

#define FUZZ_MAX_PAGES 200

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    int raw = data[0] & 1;
    const char *text = (const char *)data + 1;
    size_t len = size - 1;

    char *pages[FUZZ_MAX_PAGES];
    size_t input_len[FUZZ_MAX_PAGES];
    size_t n_pages = 0;
    size_t start = 0;
    for (size_t i = 0; i <= len && n_pages < FUZZ_MAX_PAGES; i++) {
        if (i < len && text[i] != '\f')
            continue;
        size_t n = i - start;
        /* C strings: a NUL ends the page, as it would in poppler's output. */
        char *page = g_strndup(text + start, n);
        if (!raw) {
            char *valid = g_utf8_make_valid(page, -1);
            g_free(page);
            page = valid;
        }
        pages[n_pages] = strdup(page);
        g_free(page);
        fuzz_require(pages[n_pages] != NULL, "strdup");
        input_len[n_pages] = strlen(pages[n_pages]);
        n_pages++;
        start = i + 1;
    }

    char *errmsg = NULL;
    vind_status_t status = vind_pdf_clean_pages(pages, n_pages, &errmsg);
    if (status != VIND_OK) {
        fuzz_require(status == VIND_BAD_UTF8 && raw, "cleanup failed on valid UTF-8");
        free(errmsg);
    } else {
        for (size_t p = 0; p < n_pages; p++) {
            fuzz_require(pages[p] != NULL, "page lost");
            fuzz_require(g_utf8_validate(pages[p], -1, NULL), "cleaned page is not UTF-8");
            fuzz_require(strlen(pages[p]) <= 4 * input_len[p] + 16, "cleaned page grew");
        }
    }
    for (size_t p = 0; p < n_pages; p++)
        free(pages[p]);
    return 0;
}
