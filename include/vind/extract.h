/*
 * extract.h - HTML and PDF files -> vind_doc_t.
 *
 * vind_extract_file() is what the indexer calls: it picks the extractor by
 * content (magic bytes, then file name), runs it in a child process with a
 * time and memory limit (lib/isolate.c), so that a PDF that crashes or hangs
 * poppler costs that one file and never the index run.
 */
#ifndef VIND_EXTRACT_H
#define VIND_EXTRACT_H

#include <stddef.h>
#include <vind/common.h>
#include <vind/doc.h>
#include <vind/status.h>

VIND_BEGIN_DECLS

/* OCR of PDF pages (lib/ocr.c). AUTO: pages without a text layer, when
 * Tesseract's data is installed; FORCE: every page, its OCR text replacing
 * the text layer; OFF: never. */
typedef enum { VIND_OCR_AUTO = 0, VIND_OCR_OFF = 1, VIND_OCR_FORCE = 2 } vind_ocr_mode_t;

typedef struct {
    /* Site-specific XPath selectors (from the config file); NULL = built-in heuristics. */
    const char *content_xpath;
    const char *title_xpath;
    const char *date_xpath;
    const char *tags_xpath;
    const char *themes_xpath;
    /* Suffix to strip from <title> ("Radicale vernieuwing"), NULL = guess " – X" / " | X". */
    const char *site_name;
    /* 1: index listing pages too (taxonomy, archives); default 0. */
    int index_listings;
    /* Files larger than this are refused with VIND_TOO_LARGE (0 = VIND_DEFAULT_MAX_FILE_BYTES). */
    size_t max_bytes;
    /* Per-file time limit in seconds for the isolated child (0 = default). */
    unsigned timeout_seconds;
    /* Per-file address-space limit of the child in bytes (0 = default). */
    unsigned long long memory_bytes;
    /* 0: run extractors in this process (tests, fuzzing); 1: isolate in a child. */
    int isolate;
    /* (after isolate: tests/e2e/test_extract_corpus.py sets it by its offset) */
    /* OCR of pages without a text layer (default VIND_OCR_AUTO). */
    vind_ocr_mode_t ocr;
    /* The OCR cache folder (vind_index_run: "<db>.ocr-cache"); NULL: no cache. */
    const char *ocr_cache;
    /* Time limit of one page's OCR in milliseconds (0 = VIND_DEFAULT_OCR_PAGE_MS). */
    unsigned ocr_page_ms;
} vind_extract_options_t;

/* Fills opts with the defaults (isolate = 1). */
VIND_API void vind_extract_options_init(vind_extract_options_t *opts);

/*
 * Extracts the file at path. On failure *out is NULL and *errmsg says why in
 * words fit for "path: reason" log lines.
 *
 * Return value: VIND_OK; VIND_UNSUPPORTED_FILE (neither HTML nor PDF, binary
 * junk, empty file); VIND_TOO_LARGE; VIND_ENCRYPTED; VIND_CORRUPT_FILE;
 * VIND_TIMEOUT; VIND_CRASHED; VIND_IO; VIND_NOMEM.
 * Thread: safe (no shared state).
 */
VIND_API vind_status_t vind_extract_file(const char *path, const vind_extract_options_t *opts,
                                         vind_doc_t **out, char **errmsg);

/*
 * Extracts an HTML document held in memory (len bytes, any declared charset;
 * invalid bytes are repaired). path names it in messages and may be NULL.
 * Runs in this process.
 */
VIND_API vind_status_t vind_extract_html(const char *data, size_t len, const char *path,
                                         const vind_extract_options_t *opts, vind_doc_t **out,
                                         char **errmsg);

/* Extracts a PDF held in memory, in this process. */
VIND_API vind_status_t vind_extract_pdf(const char *data, size_t len, const char *path,
                                        const vind_extract_options_t *opts, vind_doc_t **out,
                                        char **errmsg);

/*
 * Cleans the text of a PDF's pages in place of poppler's raw output: drops
 * lines that repeat on most pages (running headers/footers, page numbers),
 * joins words hyphenated at line ends ("kwaliteits-" + "gelden"), keeps real
 * hyphenated words ("bron- en contactonderzoek"), maps symbol-font bullets
 * (U+F0B7) to "•" and other private-use code points to spaces. pages[] is
 * replaced by the cleaned texts. Exposed for tests and fuzzing.
 */
/* Whether Tesseract and its data for languages ("nld+eng") are installed. */
VIND_API int vind_ocr_available(const char *languages);

VIND_API vind_status_t vind_pdf_clean_pages(char **pages, size_t n_pages, char **errmsg);

/*
 * Parses a Dutch or ISO date ("28 oktober 2021", "Geplaatst op 28 okt. 2021",
 * "2021-10-28T10:00:00+02:00", "28-10-2021") into "YYYY-MM-DD" (out must hold
 * 11 bytes). Returns 1 when a date was found, else 0.
 */
VIND_API int vind_parse_date(const char *text, char out[11]);

VIND_END_DECLS

#endif
