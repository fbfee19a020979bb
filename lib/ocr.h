/*
 * ocr.h - recognises the text of one PDF page that has no text layer, with
 * Tesseract's C API (tesseract/capi.h), inside an extraction worker.
 *
 * The page is rendered by poppler (cairo) to 8-bit grey pixels in memory,
 * hashed, and looked up in the OCR cache (a folder beside the index: one file
 * per page, named by the SHA-256 of the pixels and the languages) before
 * Tesseract runs: a re-run, a --full rebuild and a schema upgrade never
 * recognise the same page twice.
 */
#ifndef VIND_OCR_H
#define VIND_OCR_H

#include <stddef.h>
#include <poppler.h>
#include <vind/status.h>

/* Words Tesseract is less sure of than this (0-100) are indexed, but never
 * offered as spelling corrections: OCR noise must not become "Bedoelde je". */
#define VIND_OCR_SPELL_CONFIDENCE 80

/* Rendering resolution: Tesseract reads 10-12 pt print best at 300 dpi. */
#define VIND_OCR_DPI 300.0

/* A page larger than this many pixels is rendered at a lower resolution:
 * 40 Mpx of grey is 40 MB, an A3 page at 300 dpi is 17 Mpx. */
#define VIND_OCR_MAX_PIXELS (40u * 1000u * 1000u)

typedef struct {
    char *text;      /* recognised text (malloc'd), "" when none */
    int confidence;  /* Tesseract's mean word confidence, 0-100 */
    char **doubtful; /* words below VIND_OCR_SPELL_CONFIDENCE (malloc'd, NULL-ended) */
    int from_cache;  /* 1: read from the cache, Tesseract did not run */
} vind_ocr_page_t;

typedef struct vind_ocr vind_ocr_t;

/* Tesseract for languages ("nld+eng"). VIND_UNSUPPORTED_FILE when its data
 * is not installed; VIND_NOMEM. */
vind_status_t vind_ocr_new(const char *languages, vind_ocr_t **out, char **errmsg);
void vind_ocr_free(vind_ocr_t *ocr);

/*
 * The renderer of one document's pages: a helper child (lib/isolate.h),
 * forked at the first page vind_ocr_page renders, that renders each page
 * within a time limit of its own (an image that takes poppler minutes to
 * decode costs its page, not the document). pdf is the caller's, and must
 * outlive the renderer. VIND_OK; VIND_NOMEM.
 */
typedef struct vind_ocr_renderer vind_ocr_renderer_t;
vind_status_t vind_ocr_renderer_new(PopplerDocument *pdf, vind_ocr_renderer_t **out,
                                    char **errmsg);
/* Stops its child. Accepts NULL. */
void vind_ocr_renderer_free(vind_ocr_renderer_t *renderer);

/*
 * Recognises one page: page, the page_index-th (from 0) of the renderer's
 * document. cache: the cache folder or NULL. render_ms: the time limit of
 * the page's rendering in the renderer's child, at most VIND_OCR_RENDER_MS. page_ms: the time limit of Tesseract's recognition. more_time (NULL: none) is called with
 * the time a page that has text needs beyond its caller's budget: page_ms
 * and 10 s of layout analysis just before Tesseract runs, or, for a page
 * read from the cache, the time its rendering took. A blank page asks for
 * none: it costs its caller's own time. VIND_OK, VIND_NOT_FOUND (a blank
 * page: Tesseract not run), VIND_TIMEOUT (the limit was reached: nothing of
 * the page is kept), VIND_TOO_LARGE (not rendered within render_ms: *errmsg
 * says so, the page is not read), VIND_CRASHED (the rendering died: its
 * memory limit, a crash in poppler), VIND_NOMEM, VIND_IO (no fork),
 * VIND_CORRUPT_FILE (a page size out of bounds).
 */
vind_status_t vind_ocr_page(vind_ocr_t *ocr, vind_ocr_renderer_t *renderer, PopplerPage *page,
                            int page_index, const char *cache, unsigned render_ms, unsigned page_ms,
                            void (*more_time)(unsigned milliseconds), vind_ocr_page_t *out,
                            char **errmsg);
void vind_ocr_page_clear(vind_ocr_page_t *page);

/* Frees the engine extract_pdf.c keeps for the process's next documents
 * (tests; a worker _exit()s without it). Tesseract's shared model cache
 * complains of a leak at exit when an engine outlives main(). */
void vind_ocr_release(void);

/* "nld" for "nl", "eng" for "en-GB", ...: the Tesseract languages for a
 * document language, or "nld+eng" when it has none or one we lack. g_malloc'd. */
char *vind_ocr_languages(const char *lang);

#endif
