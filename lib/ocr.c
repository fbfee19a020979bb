/*
 * ocr.c - one page without a text layer -> its text, with Tesseract's C API
 * (lib/ocr.h). Runs in an extraction worker (lib/isolate.c): under its
 * memory limit, and Tesseract's recognition under a time limit of its own
 * (an ETEXT_DESC monitor with a deadline, TessMonitorSetDeadlineMSecs).
 * The rendering runs in a helper child of the worker (the renderer below),
 * each page within VIND_OCR_RENDER_MS: one page whose image takes poppler
 * minutes to decode costs that page, not the document.
 *
 * Costs: rendering at 300 dpi is ~0.2 s and 9 MB of grey per A4 page;
 * Tesseract's LSTM takes several seconds a page (bench/ocr.sh). A cache hit
 * costs the rendering and one SHA-256 over the pixels.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cairo.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <jansson.h>
#include <tesseract/capi.h>
#include <vind/limits.h>

#include "error.h"
#include "isolate.h"
#include "ocr.h"

/* Part of every cache key with TessVersion(): a new Tesseract or a new
 * way of rendering gives new entries instead of old text. */
#define CACHE_FORMAT "vind-ocr-1"

struct vind_ocr {
    TessBaseAPI *api;
    char *languages;
};

char *vind_ocr_languages(const char *lang)
{
    if (lang != NULL && g_ascii_strncasecmp(lang, "nl", 2) == 0 &&
        (lang[2] == '\0' || lang[2] == '-' || lang[2] == '_'))
        return g_strdup("nld");
    if (lang != NULL && g_ascii_strncasecmp(lang, "en", 2) == 0 &&
        (lang[2] == '\0' || lang[2] == '-' || lang[2] == '_'))
        return g_strdup("eng");
    return g_strdup("nld+eng");
}

vind_status_t vind_ocr_new(const char *languages, vind_ocr_t **out, char **errmsg)
{
    *out = NULL;
    vind_ocr_t *ocr = calloc(1, sizeof *ocr);
    if (ocr == NULL || (ocr->api = TessBaseAPICreate()) == NULL ||
        (ocr->languages = strdup(languages)) == NULL) {
        vind_ocr_free(ocr);
        return vind_error(errmsg, VIND_NOMEM, "out of memory");
    }
    /* Tesseract prints "Error opening data file" itself; the worker's stderr
     * goes to the parent, which shows only the message below. */
    if (TessBaseAPIInit3(ocr->api, NULL, languages) != 0) {
        vind_ocr_free(ocr);
        return vind_error(errmsg, VIND_UNSUPPORTED_FILE,
                          "no Tesseract data for %s (apt-get install tesseract-ocr-nld "
                          "tesseract-ocr-eng)",
                          languages);
    }
    /* A page is a page: automatic segmentation, no orientation detection. */
    TessBaseAPISetPageSegMode(ocr->api, PSM_AUTO);
    *out = ocr;
    return VIND_OK;
}

void vind_ocr_free(vind_ocr_t *ocr)
{
    if (ocr == NULL)
        return;
    if (ocr->api != NULL) {
        TessBaseAPIEnd(ocr->api);
        TessBaseAPIDelete(ocr->api);
    }
    free(ocr->languages);
    free(ocr);
}

void vind_ocr_page_clear(vind_ocr_page_t *page)
{
    free(page->text);
    for (char **word = page->doubtful; word != NULL && *word != NULL; word++)
        free(*word);
    free(page->doubtful);
    memset(page, 0, sizeof *page);
}

/* ---- rendering ---------------------------------------------------------- */

typedef struct {
    unsigned char *pixels; /* 8-bit grey, width bytes a row */
    int width, height, dpi;
} grey_t;

/* The page's size in pixels at VIND_OCR_DPI (less for a huge page) into
 * out->width, out->height, out->dpi, and the scale from points to pixels. */
static vind_status_t page_pixels(PopplerPage *page, grey_t *out, double *scale, char **errmsg)
{
    double width_pt = 0, height_pt = 0;
    poppler_page_get_size(page, &width_pt, &height_pt);
    if (!(width_pt > 1 && height_pt > 1 && width_pt < 20000 && height_pt < 20000))
        return vind_error(errmsg, VIND_CORRUPT_FILE, "page size %.0f x %.0f pt", width_pt,
                          height_pt);
    *scale = VIND_OCR_DPI / 72.0;
    double pixels = width_pt * *scale * height_pt * *scale;
    if (pixels > VIND_OCR_MAX_PIXELS)
        *scale *= sqrt(VIND_OCR_MAX_PIXELS / pixels);
    *out = (grey_t){NULL, (int)(width_pt * *scale), (int)(height_pt * *scale),
                    (int)(72.0 * *scale + 0.5)};
    if (out->width < 1 || out->height < 1)
        return vind_error(errmsg, VIND_CORRUPT_FILE, "page size %.0f x %.0f pt", width_pt,
                          height_pt);
    return VIND_OK;
}

/*
 * The renderer: a helper child (lib/isolate.h) forked from the extraction
 * at the document's first page to render, that renders the pages asked
 * for, one at a time, into pixels shared with it. Each page has a time
 * limit of its own: poppler decodes every pixel an image declares, and one
 * page of 5 kB of CCITT noise declaring 20,000 x 20,000 pixels held the
 * worker for a minute, past the file's time limit, and the PDF's other
 * pages were lost with it. A child past its page's limit is killed, the
 * page reported, and the next page to render starts another. One child a
 * document, not one a page: a fresh child touches its surface anew (35 MB
 * of page faults a page) and made blank pages 8x slower.
 */
struct vind_ocr_renderer {
    PopplerDocument *pdf;
    pid_t child;           /* 0: none running */
    int fd;                /* the parent's end of the child's sockets */
    unsigned char *pixels; /* VIND_OCR_MAX_PIXELS bytes, MAP_SHARED with the child */
};

typedef struct {
    int index; /* the page, from 0 */
    int width, height;
    double scale;
} render_request_t;

vind_status_t vind_ocr_renderer_new(PopplerDocument *pdf, vind_ocr_renderer_t **out,
                                    char **errmsg)
{
    *out = calloc(1, sizeof **out);
    if (*out == NULL)
        return vind_error(errmsg, VIND_NOMEM, "out of memory");
    void *shared = mmap(NULL, VIND_OCR_MAX_PIXELS, PROT_READ | PROT_WRITE,
                        MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (shared == MAP_FAILED) {
        free(*out);
        *out = NULL;
        return vind_error(errmsg, VIND_NOMEM, "out of memory for a page's pixels");
    }
    (*out)->pdf = pdf;
    (*out)->pixels = shared;
    return VIND_OK;
}

static void renderer_stop(vind_ocr_renderer_t *renderer)
{
    if (renderer->child > 0)
        vind_isolate_helper_end(renderer->child, renderer->fd);
    renderer->child = 0;
}

void vind_ocr_renderer_free(vind_ocr_renderer_t *renderer)
{
    if (renderer == NULL)
        return;
    renderer_stop(renderer);
    munmap(renderer->pixels, VIND_OCR_MAX_PIXELS);
    free(renderer);
}

/* In the child: renders the page on white and turns it to grey into pixels.
 * 0, or -1 when cairo could not make the surface. */
static int render_into(PopplerPage *page, const render_request_t *request, unsigned char *pixels)
{
    cairo_surface_t *surface =
        cairo_image_surface_create(CAIRO_FORMAT_RGB24, request->width, request->height);
    if (cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(surface);
        return -1;
    }
    cairo_t *cr = cairo_create(surface);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_scale(cr, request->scale, request->scale);
    poppler_page_render(page, cr);
    cairo_destroy(cr);
    cairo_surface_flush(surface);
    const unsigned char *data = cairo_image_surface_get_data(surface);
    int stride = cairo_image_surface_get_stride(surface);
    for (int y = 0; y < request->height; y++) {
        const uint32_t *row = (const uint32_t *)(data + (size_t)y * (size_t)stride);
        unsigned char *to = pixels + (size_t)y * (size_t)request->width;
        for (int x = 0; x < request->width; x++) {
            uint32_t p = row[x]; /* 0x00RRGGBB in native order */
            unsigned r = (p >> 16) & 0xff, g = (p >> 8) & 0xff, b = p & 0xff;
            to[x] = (unsigned char)((r * 299 + g * 587 + b * 114) / 1000);
        }
    }
    cairo_surface_destroy(surface);
    return 0;
}

/* The child's loop: a request in, the page rendered, one byte out (0 done,
 * 1 not rendered), until the parent closes its end. */
static void renderer_main(PopplerDocument *pdf, unsigned char *pixels, int fd)
{
    render_request_t request;
    while (recv(fd, &request, sizeof request, MSG_WAITALL) == (ssize_t)sizeof request) {
        PopplerPage *page = poppler_document_get_page(pdf, request.index);
        unsigned char failed = page == NULL || render_into(page, &request, pixels) != 0;
        if (page != NULL)
            g_object_unref(page);
        if (send(fd, &failed, 1, MSG_NOSIGNAL) != 1)
            break;
    }
}

/*
 * Renders the page (the page_index-th of the renderer's document) on white
 * at VIND_OCR_DPI (less for a huge page) and turns it to grey: Tesseract
 * binarises grey itself, and a grey buffer is a quarter of the colour one.
 * out->pixels are the renderer's, valid until its next page. Costs the
 * rendering (~0.2 s an A4 page) and a round trip to the child; a fork for
 * the document's first page and after a page past its limit.
 */
static vind_status_t render_grey(vind_ocr_renderer_t *renderer, PopplerPage *page,
                                 int page_index, unsigned render_ms, grey_t *out, char **errmsg)
{
    render_request_t request = {page_index, 0, 0, 1};
    vind_status_t status = page_pixels(page, out, &request.scale, errmsg);
    if (status != VIND_OK)
        return status;
    if ((size_t)out->width * (size_t)out->height > VIND_OCR_MAX_PIXELS)
        return vind_error(errmsg, VIND_NOMEM, "cannot render a %d x %d page", out->width,
                          out->height);
    request.width = out->width;
    request.height = out->height;
    if (renderer->child == 0) {
        int child_fd = -1;
        pid_t child = vind_isolate_helper_fork(&renderer->fd, &child_fd);
        if (child == 0) {
            renderer_main(renderer->pdf, renderer->pixels, child_fd);
            _exit(0);
        }
        if (child < 0)
            return vind_error(errmsg, VIND_IO, "cannot start the rendering of the pages: %s",
                              strerror(errno));
        renderer->child = child;
    }
    long long deadline = vind_isolate_now_ms() + render_ms;
    unsigned char failed = 1;
    int answered =
        send(renderer->fd, &request, sizeof request, MSG_NOSIGNAL) == (ssize_t)sizeof request &&
        vind_isolate_helper_read(renderer->fd, deadline, &failed);
    if (answered && !failed) {
        out->pixels = renderer->pixels;
        return VIND_OK;
    }
    if (answered)
        return vind_error(errmsg, VIND_NOMEM, "cannot render a %d x %d page", out->width,
                          out->height);
    int late = vind_isolate_now_ms() >= deadline;
    renderer_stop(renderer); /* the next page starts another */
    if (late)
        return vind_error(errmsg, VIND_TOO_LARGE,
                          "not rendered within %.1f s (an image too large to decode?): "
                          "not read by OCR",
                          render_ms / 1000.0);
    return vind_error(errmsg, VIND_CRASHED,
                      "its rendering failed (out of memory, or poppler crashed): "
                      "not read by OCR");
}

/* ---- the cache ------------------------------------------------------------ */

/* <cache>/<first two hex digits>/<sha256 of format, Tesseract's version, languages, size,
 * pixels>.json */
static char *cache_path(const char *cache, const char *languages, const grey_t *grey)
{
    GChecksum *sum = g_checksum_new(G_CHECKSUM_SHA256);
    char header[160];
    int n = snprintf(header, sizeof header, "%s %s %s %dx%d\n", CACHE_FORMAT, TessVersion(),
                     languages, grey->width, grey->height);
    if (n < 0 || (size_t)n >= sizeof header)
        n = (int)strlen(header);
    g_checksum_update(sum, (const guchar *)header, (gssize)n);
    g_checksum_update(sum, grey->pixels, (gssize)((size_t)grey->width * (size_t)grey->height));
    const char *hex = g_checksum_get_string(sum);
    char folder[3] = {hex[0], hex[1], '\0'};
    char *file = g_strconcat(hex, ".json", NULL);
    char *path = g_build_filename(cache, folder, file, NULL);
    g_free(file);
    g_checksum_free(sum);
    return path;
}

static char **strings_from_json(json_t *array)
{
    size_t n = json_is_array(array) ? json_array_size(array) : 0;
    char **list = calloc(n + 1, sizeof *list);
    for (size_t i = 0; list != NULL && i < n; i++) {
        const char *value = json_string_value(json_array_get(array, i));
        list[i] = strdup(value != NULL ? value : "");
    }
    return list;
}

/* The entry at path, or NULL. Only a regular file that is no symbolic link
 * and holds at most VIND_OCR_CACHE_MAX_ENTRY_BYTES is read: a FIFO planted
 * there hung the worker until its time limit, and the scan lost its
 * document (session 10's probe); a link could feed it any file. */
static json_t *cache_load(const char *path)
{
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0)
        return NULL;
    struct stat info;
    json_t *entry = NULL;
    if (fstat(fd, &info) == 0 && S_ISREG(info.st_mode) &&
        (uint64_t)info.st_size <= VIND_OCR_CACHE_MAX_ENTRY_BYTES)
        entry = json_loadfd(fd, 0, NULL);
    close(fd);
    return entry;
}

/* 1 and *out filled when the cache has the page; a damaged entry is a miss. */
static int cache_read(const char *path, vind_ocr_page_t *out)
{
    json_t *entry = cache_load(path);
    const char *text = json_string_value(json_object_get(entry, "text"));
    json_t *confidence = json_object_get(entry, "confidence");
    int found = text != NULL && json_is_integer(confidence);
    if (found) {
        out->text = strdup(text);
        out->confidence = (int)json_integer_value(confidence);
        out->doubtful = strings_from_json(json_object_get(entry, "doubtful"));
        out->from_cache = 1;
        found = out->text != NULL && out->doubtful != NULL;
        if (!found)
            vind_ocr_page_clear(out);
    }
    json_decref(entry);
    return found;
}

/* Writes the entry to a temporary file and renames it into place: a reader
 * (another worker, a killed run) never sees half an entry. A cache that
 * cannot be written costs the next run the OCR again, nothing else. */
static void cache_write(const char *path, const vind_ocr_page_t *page)
{
    char *folder = g_path_get_dirname(path);
    int made = g_mkdir_with_parents(folder, 0755) == 0;
    g_free(folder);
    if (!made)
        return;
    json_t *entry = json_object();
    json_t *doubtful = json_array();
    for (char **word = page->doubtful; word != NULL && *word != NULL; word++)
        json_array_append_new(doubtful, json_string(*word));
    json_object_set_new(entry, "text", json_string(page->text));
    json_object_set_new(entry, "confidence", json_integer(page->confidence));
    json_object_set_new(entry, "doubtful", doubtful);
    /* A new file of its own (O_EXCL, no link followed): a name planted
     * there is not written through; rename replaces a planted entry itself. */
    char *temporary = g_strdup_printf("%s.tmp-%ld", path, (long)getpid());
    unlink(temporary); /* a killed run's, with this pid */
    int fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd >= 0) {
        int failed = json_dumpfd(entry, fd, JSON_COMPACT) != 0;
        failed |= close(fd) != 0;
        if (failed || rename(temporary, path) != 0)
            unlink(temporary);
    }
    g_free(temporary);
    json_decref(entry);
}

/* ---- recognition ---------------------------------------------------------- */

/* The words Tesseract is unsure of, from its word iterator. */
static char **doubtful_words(TessBaseAPI *api)
{
    GPtrArray *words = g_ptr_array_new();
    TessResultIterator *it = TessBaseAPIGetIterator(api);
    if (it != NULL) {
        do {
            char *word = TessResultIteratorGetUTF8Text(it, RIL_WORD);
            float confidence = TessResultIteratorConfidence(it, RIL_WORD);
            if (word != NULL && *word != '\0' && confidence < VIND_OCR_SPELL_CONFIDENCE)
                g_ptr_array_add(words, strdup(word));
            TessDeleteText(word);
        } while (TessResultIteratorNext(it, RIL_WORD));
        TessResultIteratorDelete(it);
    }
    g_ptr_array_add(words, NULL);
    return (char **)g_ptr_array_free(words, FALSE);
}

static vind_status_t recognise(vind_ocr_t *ocr, const grey_t *grey, unsigned page_ms,
                               vind_ocr_page_t *out, char **errmsg)
{
    TessBaseAPISetImage(ocr->api, grey->pixels, grey->width, grey->height, 1, grey->width);
    TessBaseAPISetSourceResolution(ocr->api, grey->dpi);
    /* The deadline is checked between words of the recognition: page
     * layout analysis before it is not covered, the worker's per-file time
     * limit (lib/isolate.c) is. */
    ETEXT_DESC *monitor = TessMonitorCreate();
    if (monitor == NULL)
        return vind_error(errmsg, VIND_NOMEM, "out of memory");
    TessMonitorSetDeadlineMSecs(monitor, (int)page_ms);
    int failed = TessBaseAPIRecognize(ocr->api, monitor) != 0;
    TessMonitorDelete(monitor);
    if (failed) {
        TessBaseAPIClear(ocr->api);
        TessBaseAPIClearAdaptiveClassifier(ocr->api);
        return vind_error(errmsg, VIND_TIMEOUT, "OCR timed out");
    }
    char *text = TessBaseAPIGetUTF8Text(ocr->api);
    out->text = strdup(text != NULL ? text : "");
    TessDeleteText(text);
    out->confidence = TessBaseAPIMeanTextConf(ocr->api);
    if (out->confidence < 0)
        out->confidence = 0;
    out->doubtful = doubtful_words(ocr->api);
    TessBaseAPIClear(ocr->api);
    /* What the legacy classifier learnt on this page must not change the
     * next one: a page reads the same whichever worker had which page before. */
    TessBaseAPIClearAdaptiveClassifier(ocr->api);
    if (out->text == NULL || out->doubtful == NULL) {
        vind_ocr_page_clear(out);
        return vind_error(errmsg, VIND_NOMEM, "out of memory");
    }
    return VIND_OK;
}

/* No pixel darker than mid-grey: nothing for Tesseract (a blank page with
 * --ocr force, a white image). One pass over the pixels, stopping at ink. */
static int is_blank(const grey_t *grey)
{
    size_t n = (size_t)grey->width * (size_t)grey->height;
    for (size_t i = 0; i < n; i++)
        if (grey->pixels[i] < 128)
            return 0;
    return 1;
}

vind_status_t vind_ocr_page(vind_ocr_t *ocr, vind_ocr_renderer_t *renderer, PopplerPage *page,
                            int page_index, const char *cache, unsigned render_ms, unsigned page_ms,
                            void (*more_time)(unsigned milliseconds), vind_ocr_page_t *out,
                            char **errmsg)
{
    memset(out, 0, sizeof *out);
    gint64 started = g_get_monotonic_time();
    grey_t grey = {NULL, 0, 0, 0};
    vind_status_t status = render_grey(renderer, page, page_index, render_ms, &grey, errmsg);
    if (status != VIND_OK)
        return status;
    /* No time for a blank page: a PDF of 90,000 blank image pages (~40 ms
     * each) held its worker for VIND_MAX_EXTRACT_SECONDS, an hour, when
     * every page was granted a recognition's time (session 10's probe). */
    if (is_blank(&grey))
        return VIND_NOT_FOUND;
    char *path = cache != NULL ? cache_path(cache, ocr->languages, &grey) : NULL;
    if (path != NULL && cache_read(path, out)) {
        if (more_time != NULL)
            more_time((unsigned)((g_get_monotonic_time() - started) / 1000 + 1));
    } else {
        /* rendering and layout analysis come on top of the recognition's limit */
        if (more_time != NULL)
            more_time(page_ms + 10000);
        status = recognise(ocr, &grey, page_ms, out, errmsg);
        if (status == VIND_OK && path != NULL)
            cache_write(path, out);
    }
    g_free(path);
    return status;
}
