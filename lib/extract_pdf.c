/*
 * extract_pdf.c - one PDF -> vind_doc_t with poppler-glib: the text layer per
 * page (page i is pages[i-1]), cleaned by vind_pdf_clean_pages(), and the
 * metadata that can be trusted (Title only when it is not a Word file name).
 *
 * Runs in-process; vind_extract_file() isolates it in a child, because a
 * hostile PDF can crash or hang poppler.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>
#include <poppler.h>

#include <vind/doc.h>
#include <vind/extract.h>
#include <vind/limits.h>
#include "error.h"
#include "isolate.h"
#include "lang.h"
#include "ocr.h"

/* A page with fewer visible characters than this has no text layer (a scan
 * gives 0-2 stray characters: plooi-blg-1007826-nota-lnv-gescand.pdf): OCR
 * reads it when it draws an image. */
#define MIN_PAGE_TEXT_CHARS 20

static size_t visible_chars(const char *text)
{
    size_t count = 0;
    for (const char *p = text; *p != '\0'; p = g_utf8_next_char(p))
        if (!g_unichar_isspace(g_utf8_get_char(p)))
            count++;
    return count;
}

/*
 * Whether a Title from the metadata is junk: a producer's file name
 * ("Microsoft Word - 20200928 Duidingsrapportage Coronamelder.docx",
 * "CBFC28_MN_NL_V2.cdr"), a placeholder ("untitled", "Document1"), or no
 * letters at all.
 */
static int title_is_junk(const char *title)
{
    static const char *const prefixes[] = {"microsoft word",
                                           "microsoft powerpoint",
                                           "microsoft excel",
                                           "untitled",
                                           "naamloos",
                                           "document",
                                           "presentation",
                                           "pdf",
                                           NULL};
    static const char *const extensions[] = {".doc", ".docx", ".cdr",  ".pdf", ".indd", ".odt",
                                             ".rtf", ".ppt",  ".pptx", ".xls", ".xlsx", ".qxd",
                                             ".ai",  ".tex",  ".dvi",  NULL};
    if (title == NULL)
        return 1;
    size_t letters = 0;
    for (const char *p = title; *p != '\0'; p = g_utf8_next_char(p))
        letters += g_unichar_isalpha(g_utf8_get_char(p)) != 0;
    if (letters < 3)
        return 1;
    char *lower = g_utf8_strdown(title, -1);
    int junk = 0;
    for (size_t i = 0; prefixes[i] != NULL && !junk; i++) {
        size_t n = strlen(prefixes[i]);
        /* "Document3" and "Document 3" are placeholders, "Documentatie" is not */
        junk = strncmp(lower, prefixes[i], n) == 0 &&
               (lower[n] == '\0' || lower[n] == ' ' || isdigit((unsigned char)lower[n]) ||
                lower[n] == '-' || lower[n] == ':');
    }
    for (size_t i = 0; extensions[i] != NULL && !junk; i++)
        junk = g_str_has_suffix(lower, extensions[i]);
    /* No space and an underscore: a file name ("CBFC28_MN_NL_V2") */
    if (!junk && strchr(lower, ' ') == NULL && strchr(lower, '_') != NULL)
        junk = 1;
    g_free(lower);
    return junk;
}

/* Whether the line ends in a word that cannot end a title ("van", "and"). */
static int ends_with_function_word(const char *line)
{
    static const char *const words[] = {" van", " de", " het", " een",  " en",  " voor",
                                        " op",  " in", " met", " of",   " and", " the",
                                        " for", " to", " bij", " over", NULL};
    for (size_t i = 0; words[i] != NULL; i++)
        if (g_str_has_suffix(line, words[i]))
            return 1;
    return 0;
}

/* The first heading-like line of the first page with text: 3-150
 * characters, mostly letters, not a page number or a date-only line. */
static char *title_from_text(char **pages, size_t n_pages)
{
    for (size_t page = 0; page < n_pages && page < 3; page++) {
        char **lines = g_strsplit(pages[page], "\n", -1);
        char *found = NULL;
        for (size_t i = 0; lines[i] != NULL && found == NULL && i < 40; i++) {
            char *line = g_strstrip(lines[i]);
            glong length = g_utf8_strlen(line, -1);
            if (length < 3 || length > 150)
                continue;
            size_t letters = 0, total = 0;
            for (const char *p = line; *p != '\0'; p = g_utf8_next_char(p)) {
                gunichar c = g_utf8_get_char(p);
                if (g_unichar_isspace(c))
                    continue;
                total++;
                letters += g_unichar_isalpha(c) != 0;
            }
            /* "> Retouradres Postbus 20301" is an address block, not a title */
            if (letters < 3 || letters * 2 < total || !g_unichar_isalnum(g_utf8_get_char(line)))
                continue;
            found = g_strdup(line);
            /* a heading broken over two lines: "Cryptographic Framework and" */
            if (lines[i + 1] != NULL && ends_with_function_word(found)) {
                char *next = g_strstrip(lines[i + 1]);
                if (*next != '\0' && g_utf8_strlen(next, -1) < 100) {
                    char *joined = g_strconcat(found, " ", next, NULL);
                    g_free(found);
                    found = joined;
                }
            }
        }
        g_strfreev(lines);
        if (found != NULL)
            return found;
    }
    return NULL;
}

static vind_status_t copy_string(char **field, const char *value)
{
    if (value == NULL || *value == '\0')
        return VIND_OK;
    char *collapsed = g_strstrip(g_strdup(value));
    if (*collapsed != '\0' && g_utf8_validate(collapsed, -1, NULL))
        *field = strdup(collapsed);
    int failed = *collapsed != '\0' && g_utf8_validate(collapsed, -1, NULL) && *field == NULL;
    g_free(collapsed);
    return failed ? VIND_NOMEM : VIND_OK;
}

/* Joins a note to the document's warning ("a; b"): it is reported
 * "indexed, but a; b". */
static vind_status_t join_warning(vind_doc_t *doc, const char *note)
{
    char *joined =
        doc->warning != NULL ? g_strdup_printf("%s; %s", doc->warning, note) : g_strdup(note);
    free(doc->warning);
    doc->warning = strdup(joined);
    g_free(joined);
    return doc->warning != NULL ? VIND_OK : VIND_NOMEM;
}

/* Metadata: Title (unless junk), Author, CreationDate as written. */
static vind_status_t read_metadata(PopplerDocument *pdf, vind_doc_t *doc)
{
    char *title = poppler_document_get_title(pdf);
    vind_status_t status = VIND_OK;
    if (title != NULL && !title_is_junk(title))
        status = copy_string(&doc->title, title);
    g_free(title);
    char *author = poppler_document_get_author(pdf);
    if (status == VIND_OK)
        status = copy_string(&doc->author, author);
    g_free(author);
    GDateTime *created = poppler_document_get_creation_date_time(pdf);
    if (created != NULL) {
        /* the date in the document's own offset: "2020-08-24T13:26:09+02" */
        char *date = g_date_time_format(created, "%Y-%m-%d");
        if (status == VIND_OK && date != NULL && (doc->date = strdup(date)) == NULL)
            status = VIND_NOMEM;
        g_free(date);
        g_date_time_unref(created);
    }
    return status;
}

/* ---- OCR of pages without a text layer (lib/ocr.c) ---------------------- */

/* One Tesseract per worker process, kept across its documents: loading the
 * Dutch and English models costs ~0.3 s. Worker processes are
 * single-threaded; the lock is for in-process extraction (tests). */
static GMutex ocr_lock;
static vind_ocr_t *ocr_engine;

static char *ocr_loaded; /* the languages of ocr_engine */

/* How long the parent may wait for a worker loading Tesseract: 0.3 s on an
 * idle machine, 4 s under ASan on the loaded test machine, and past 30 s
 * there once when four other indexing runs shared its two cores. Granted
 * once a worker (the engine is kept), on top of the file's own time. */
#define OCR_LOAD_MS 60000u

/* The milliseconds the worker's parent granted this thread's extraction
 * (vind_isolate_more_time), which move the file's own deadline. */
static _Thread_local gint64 granted_ms;

static vind_ocr_t *ocr_for(const char *languages, char **errmsg)
{
    if (ocr_engine != NULL && ocr_loaded != NULL && strcmp(ocr_loaded, languages) == 0)
        return ocr_engine;
    /* A load is the worker's, once, not the file's: the parent waits for it
     * (up to OCR_LOAD_MS), and the file's own time moves by what it took,
     * so that its pages keep their time (a file of --timeout 5 spent it
     * all on the load under ASan, and was killed before its first page). */
    gint64 started = g_get_monotonic_time();
    vind_isolate_more_time(OCR_LOAD_MS);
    vind_ocr_free(ocr_engine);
    ocr_engine = NULL;
    free(ocr_loaded);
    ocr_loaded = NULL;
    if (vind_ocr_new(languages, &ocr_engine, errmsg) == VIND_OK)
        ocr_loaded = strdup(languages);
    granted_ms += (g_get_monotonic_time() - started) / 1000;
    return ocr_engine;
}

void vind_ocr_release(void)
{
    g_mutex_lock(&ocr_lock);
    vind_ocr_free(ocr_engine);
    ocr_engine = NULL;
    free(ocr_loaded);
    ocr_loaded = NULL;
    g_mutex_unlock(&ocr_lock);
}

/* Loads Tesseract to see (0.3 s), and lets it go: the caller is usually
 * the indexer's parent process, which never recognises a page itself. */
int vind_ocr_available(const char *languages)
{
    vind_ocr_t *probe = NULL;
    if (vind_ocr_new(languages != NULL ? languages : "nld+eng", &probe, NULL) != VIND_OK)
        return 0;
    vind_ocr_free(probe);
    return 1;
}

/* The document's language from its XMP metadata (<dc:language>), or NULL:
 * poppler-glib has no getter for the catalogue's /Lang. */
static char *metadata_language(PopplerDocument *pdf)
{
    char *xmp = poppler_document_get_metadata(pdf);
    const char *block = xmp != NULL ? strstr(xmp, "<dc:language>") : NULL;
    const char *item = block != NULL ? strstr(block, "<rdf:li") : NULL;
    const char *value = item != NULL ? strchr(item, '>') : NULL;
    char *lang = NULL;
    if (value != NULL) {
        value++;
        size_t n = strcspn(value, "<");
        if (n > 0 && n < 16)
            lang = g_strndup(value, n);
    }
    g_free(xmp);
    return lang;
}

/* The OCR state of one document's extraction. */
typedef struct {
    const vind_extract_options_t *opts;
    int wanted;             /* OCR is on and its data was not found missing */
    char *languages;        /* "nld+eng": the engine is loaded at the first page that needs it */
    vind_ocr_t *engine;
    vind_ocr_renderer_t *renderer; /* made at the first page to render */
    gint64 file_deadline;   /* g_get_monotonic_time() microseconds */
    gint64 own_deadline;    /* the file's --timeout from the start, moved by each grant */
    GArray *blank_images;   /* int: pages that draw an image and rendered blank */
    int n_late, first_late, last_late; /* pages left unread: the file's own time was up */
    GString *warnings;      /* "page 3: OCR timed out; page 4: ..." */
    GPtrArray *doubtful;
} ocr_run_t;

static void ocr_warn(ocr_run_t *run, int page_number, const char *what)
{
    g_string_append_printf(run->warnings, "%spage %d: %s", run->warnings->len ? "; " : "",
                           page_number, what);
}

/* Whether an image the page draws cannot be decoded. poppler's cairo output
 * leaves such an image out without a word, so the page renders blank and
 * was indexed without its text, unreported (the hostile probe of session 14:
 * a 2400 dpi A4 scan, or A0 at 600 dpi, 19834 x 28067 pixels, is a 2.2 GB
 * cairo surface, past the worker's memory limit). A damaged stream poppler
 * decodes anyway (as grey or white) is not told from a white image. Called
 * only for a page that draws an image and rendered blank: costs a decode of
 * each of its images, as its rendering did (5 s for the 2400 dpi page). */
static int has_undecodable_image(PopplerPage *page)
{
    GList *images = poppler_page_get_image_mapping(page);
    int failed = 0;
    for (GList *item = images; item != NULL && !failed; item = item->next) {
        const PopplerImageMapping *mapping = item->data;
        cairo_surface_t *image = poppler_page_get_image(page, mapping->image_id);
        failed = image == NULL || cairo_surface_status(image) != CAIRO_STATUS_SUCCESS;
        if (image != NULL)
            cairo_surface_destroy(image);
    }
    poppler_page_free_image_mapping(images);
    return failed;
}

static void grant_more_time(unsigned milliseconds)
{
    granted_ms += milliseconds;
    vind_isolate_more_time(milliseconds);
}

/* The file's own time limit (--timeout). */
static unsigned own_seconds(const vind_extract_options_t *opts)
{
    return opts->timeout_seconds ? opts->timeout_seconds : VIND_DEFAULT_EXTRACT_SECONDS;
}

/* How long a helper child of the OCR (a page's rendering, the check of a
 * blank page's images) may take: at most cap_ms, and a second less than
 * what is left of the file's own time (the parent kills the worker at it).
 * 0: no time for it. */
static unsigned child_ms(const ocr_run_t *run, unsigned cap_ms)
{
    gint64 left_ms = (run->own_deadline - g_get_monotonic_time()) / 1000 + granted_ms - 1000;
    if (left_ms <= 0)
        return 0;
    return left_ms < cap_ms ? (unsigned)left_ms : cap_ms;
}

static const char UNDECODABLE[] =
    "an image of the page could not be decoded (too large or damaged): not read by OCR";

/* Child side of check_blank_images: one byte a page, in order, 1 when an
 * image of it cannot be decoded. */
static void check_in_child(PopplerDocument *pdf, const GArray *pages, int fd)
{
    for (guint i = 0; i < pages->len; i++) {
        PopplerPage *page = poppler_document_get_page(pdf, g_array_index(pages, int, i) - 1);
        unsigned char failed = page == NULL || has_undecodable_image(page);
        if (page != NULL)
            g_object_unref(page);
        if (write(fd, &failed, 1) != 1)
            return;
    }
}

/*
 * Reports the pages that rendered blank although they draw an image
 * (run->blank_images) when an image of theirs cannot be decoded. poppler
 * decodes every declared pixel: an image of 200,000 x 200,000 from 1 kB of
 * data held the worker for minutes, past the file's time limit, and the PDF's
 * text pages were lost with it (session 17's probe). So the check runs in one
 * helper child for the whole document, for at most child_ms(); the page it
 * is on when the time is up (or when it crashes) counts as one that could
 * not be decoded, the pages after it are not checked. Costs one fork per
 * document with such pages (one per page made 200 blank pages 9x slower),
 * and the decodes.
 */
static void check_blank_images(ocr_run_t *run, PopplerDocument *pdf)
{
    GArray *pages = run->blank_images;
    unsigned ms = pages->len > 0 ? child_ms(run, VIND_OCR_IMAGE_CHECK_MS) : 0;
    if (pages->len > 0 && ms == 0) { /* said, not silently skipped (session 19) */
        g_string_append_printf(run->warnings,
                               "%s%u pages from page %d to %d draw an image and rendered blank, "
                               "not checked for an image too large to decode: the file's time "
                               "limit (--timeout %u s) was used up",
                               run->warnings->len ? "; " : "", pages->len,
                               g_array_index(pages, int, 0),
                               g_array_index(pages, int, pages->len - 1), own_seconds(run->opts));
        return;
    }
    int read_fd = -1, write_fd = -1;
    pid_t child = ms > 0 ? vind_isolate_helper_fork(&read_fd, &write_fd) : -1;
    if (child == 0) {
        check_in_child(pdf, pages, write_fd);
        _exit(0);
    }
    if (child < 0)
        return;
    long long deadline = vind_isolate_now_ms() + ms;
    guint answered = 0;
    unsigned char failed = 0;
    while (answered < pages->len && vind_isolate_helper_read(read_fd, deadline, &failed)) {
        if (failed)
            ocr_warn(run, g_array_index(pages, int, answered), UNDECODABLE);
        answered++;
    }
    if (answered < pages->len) /* the time is up, or the child crashed */
        ocr_warn(run, g_array_index(pages, int, answered), UNDECODABLE);
    vind_isolate_helper_end(child, read_fd);
}

/* OCRs one page into *text (replacing it); confidence, or -1 when the page
 * keeps what it had (a timeout, a failure, no time left). */
static int ocr_one_page(ocr_run_t *run, PopplerDocument *pdf, PopplerPage *page, int page_number,
                        vind_doc_t *doc, char **text)
{
    if (run->engine == NULL) { /* the first page of the document that needs OCR */
        char *message = NULL;
        run->engine = ocr_for(run->languages, &message);
        if (run->engine == NULL) {
            run->wanted = 0; /* no data: auto says nothing, force reports it once */
            if (run->opts->ocr == VIND_OCR_FORCE)
                g_string_append_printf(run->warnings, "no OCR: %s", message);
            free(message);
            return -1;
        }
    }
    gint64 now = g_get_monotonic_time();
    gint64 left_ms = (run->file_deadline - now) / 1000;
    if (left_ms < 1000) {
        ocr_warn(run, page_number, "OCR skipped, the document's OCR time is used up");
        return -1;
    }
    unsigned page_ms = run->opts->ocr_page_ms ? run->opts->ocr_page_ms : VIND_DEFAULT_OCR_PAGE_MS;
    if ((gint64)page_ms > left_ms)
        page_ms = (unsigned)left_ms;
    /* The rendering spends the file's own time (--timeout): a page past it
     * is left unread and counted (late_pages_warning), and the worker is
     * not killed with the document's other pages. */
    unsigned render_ms = child_ms(run, VIND_OCR_RENDER_MS);
    if (render_ms == 0) {
        if (run->n_late++ == 0)
            run->first_late = page_number;
        run->last_late = page_number;
        return -1;
    }
    /* A page with text asks the worker's parent for its time; a blank one
     * spends the file's own (--timeout). */
    vind_ocr_page_t result;
    char *message = NULL;
    vind_status_t status =
        run->renderer != NULL ? VIND_OK : vind_ocr_renderer_new(pdf, &run->renderer, &message);
    if (status == VIND_OK)
        status = vind_ocr_page(run->engine, run->renderer, page, page_number - 1,
                               run->opts->ocr_cache, render_ms, page_ms, grant_more_time,
                               &result, &message);
    doc->ocr_seconds += (double)(g_get_monotonic_time() - now) / 1e6;
    if (status == VIND_NOT_FOUND) { /* a blank page: checked at the end (check_blank_images) */
        g_array_append_val(run->blank_images, page_number);
        return -1;
    }
    if (status == VIND_TOO_LARGE || status == VIND_CRASHED) { /* its rendering: the message says */
        ocr_warn(run, page_number, message != NULL ? message : "not rendered");
        if (status == VIND_TOO_LARGE && render_ms < VIND_OCR_RENDER_MS)
            g_string_append(run->warnings, " (the time left of the file's --timeout)");
        free(message);
        return -1;
    }
    if (status != VIND_OK) {
        ocr_warn(run, page_number, status == VIND_TIMEOUT ? "OCR timed out" : "OCR failed");
        if (status != VIND_TIMEOUT && message != NULL)
            g_string_append_printf(run->warnings, " (%s)", message);
        free(message);
        return -1;
    }
    if (result.from_cache)
        doc->ocr_cached++;
    else
        doc->ocr_recognised++;
    g_free(*text);
    *text = g_strdup(result.text);
    for (char **word = result.doubtful; *word != NULL; word++)
        g_ptr_array_add(run->doubtful, *word); /* takes the string */
    free(result.doubtful);
    result.doubtful = NULL;
    int confidence = result.confidence;
    vind_ocr_page_clear(&result);
    return confidence;
}

/* Whether the page draws an image: a scan does; a blank page (50,000 of
 * them in tests/e2e/test_hostile_files.py) or a page of vector lines does
 * not, and is not worth the ~0.2 s of rendering. Costs a parse of the
 * page's content stream. */
static int has_image(PopplerPage *page)
{
    GList *images = poppler_page_get_image_mapping(page);
    int found = images != NULL;
    poppler_page_free_image_mapping(images);
    return found;
}

/* Form field values and FreeText notes read per page: a real form has a few
 * hundred at most, and each costs a search of the page's text (a hostile page
 * of poppler's 10,000 annotations over 1 MB of text: 10^10 comparisons). */
#define MAX_SHOWN_FIELDS 1000

typedef struct {
    const char *page_text; /* poppler's text of the page, or NULL */
    GString *shown;        /* the values added, each after a blank line */
    GHashTable *seen;      /* the values added, to add each once */
    int count;             /* values looked at */
} shown_t;

/* Adds value (taken) unless the page's text already holds it: poppler's
 * text of a page includes what an appearance stream of a field draws, and
 * a value must not count twice. */
static void add_shown(shown_t *shown, char *value)
{
    if (value != NULL && shown->count++ < MAX_SHOWN_FIELDS) {
        g_strstrip(value);
        if (*value != '\0' && g_utf8_validate(value, -1, NULL) &&
            (shown->page_text == NULL || strstr(shown->page_text, value) == NULL) &&
            g_hash_table_add(shown->seen, value)) {
            g_string_append_printf(shown->shown, "\n\n%s", value);
            return; /* kept by seen */
        }
    }
    g_free(value);
}

/*
 * The text a page shows outside its content stream: the values of its text
 * form fields and the contents of its FreeText annotations (a form filled
 * in, typewriter text over a flat form), which poppler_page_get_text does
 * not read when they have no appearance stream. Until session 11 a PDF whose
 * words were all there was indexed without a word of them, and without a
 * report. Pop-up notes are not shown on the page and are left out. Cost: a
 * walk of the page's annotations, nothing for a page without any.
 */
static char *with_shown_fields(ocr_run_t *run, PopplerPage *page, int page_number, char *text)
{
    shown_t shown = {.page_text = text, .shown = g_string_new(NULL),
                     .seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL)};
    GList *fields = poppler_page_get_form_field_mapping(page);
    for (GList *f = fields; f != NULL; f = f->next) {
        PopplerFormField *field = ((PopplerFormFieldMapping *)f->data)->field;
        if (poppler_form_field_get_field_type(field) == POPPLER_FORM_FIELD_TEXT)
            add_shown(&shown, poppler_form_field_text_get_text(field));
    }
    poppler_page_free_form_field_mapping(fields);
    GList *annots = poppler_page_get_annot_mapping(page);
    for (GList *a = annots; a != NULL; a = a->next) {
        PopplerAnnot *annot = ((PopplerAnnotMapping *)a->data)->annot;
        if (poppler_annot_get_annot_type(annot) == POPPLER_ANNOT_FREE_TEXT)
            add_shown(&shown, poppler_annot_get_contents(annot));
    }
    poppler_page_free_annot_mapping(annots);
    if (shown.count > MAX_SHOWN_FIELDS)
        ocr_warn(run, page_number, "form fields and notes past the first 1000 not read");
    g_hash_table_destroy(shown.seen);
    if (shown.shown->len == 0) {
        g_string_free(shown.shown, TRUE);
        return text;
    }
    /* Past an empty text layer, without the leading blank line. */
    const char *added = shown.shown->str + (text != NULL && *text != '\0' ? 0 : 2);
    char *joined = g_strconcat(text != NULL ? text : "", added, NULL);
    g_string_free(shown.shown, TRUE);
    g_free(text);
    return joined;
}

/*
 * Whether poppler's text of the page stops at a NUL character: a font
 * whose ToUnicode map gives a glyph U+0000 puts one in it, and
 * poppler_page_get_text returns a C string, so the page's text after it was
 * lost without a word (the hostile probe of session 19: 'cmapwaard' and a
 * line of 900 characters after the NUL, 3 characters indexed). The text
 * layout has one rectangle per character of the whole text: as many as
 * the text has on each of the corpus's 1,695 PDF pages. Costs a second walk
 * over the page's words (poppler keeps them from the text) and 32 bytes a
 * character for a moment.
 */
static int text_stops_at_nul(PopplerPage *page, const char *text)
{
    PopplerRectangle *rectangles = NULL;
    guint n_rectangles = 0;
    if (text == NULL || !poppler_page_get_text_layout(page, &rectangles, &n_rectangles))
        return 0;
    g_free(rectangles);
    return (glong)n_rectangles > g_utf8_strlen(text, -1);
}

static vind_status_t read_pages(PopplerDocument *pdf, vind_doc_t *doc, ocr_run_t *run)
{
    int n_pages = poppler_document_get_n_pages(pdf);
    vind_status_t status = VIND_OK;
    if (run->wanted && n_pages > 0 &&
        (doc->ocr_confidence = malloc((size_t)n_pages * sizeof *doc->ocr_confidence)) == NULL)
        return VIND_NOMEM;
    for (int i = 0; i < n_pages && status == VIND_OK; i++) {
        PopplerPage *page = poppler_document_get_page(pdf, i);
        char *text = page != NULL ? poppler_page_get_text(page) : NULL;
        if (text != NULL && !g_utf8_validate(text, -1, NULL)) {
            g_free(text);
            text = NULL;
        }
        /* A short text layer is kept: OCR replaces it when it reads the
         * page, and a page it does not read (no image, OCR off or not
         * installed) keeps its few words ("Bijlage: tarieven" was lost). */
        int no_layer = text == NULL || visible_chars(text) < MIN_PAGE_TEXT_CHARS;
        if (no_layer)
            doc->n_empty_pages++;
        int confidence = -1;
        int stops = page != NULL && text_stops_at_nul(page, text);
        if (page != NULL && run->wanted &&
            ((no_layer && has_image(page)) || stops || run->opts->ocr == VIND_OCR_FORCE))
            confidence = ocr_one_page(run, pdf, page, i + 1, doc, &text);
        if (stops) /* OCR reads what the page shows; else what is before the NUL is kept */
            ocr_warn(run, i + 1,
                     confidence >= 0 ? "its text layer stops at a NUL character (a font maps a "
                                       "glyph to U+0000): read by OCR"
                                     : "its text layer stops at a NUL character (a font maps a "
                                       "glyph to U+0000): the text after it is not indexed");
        if (doc->ocr_confidence != NULL)
            doc->ocr_confidence[i] = confidence;
        if (page != NULL) {
            text = with_shown_fields(run, page, i + 1, text);
            g_object_unref(page);
        }
        status = vind_doc_append(&doc->pages, &doc->n_pages, text != NULL ? text : "", 0);
        g_free(text);
    }
    if (status == VIND_OK)
        check_blank_images(run, pdf);
    if (run->n_late > 0)
        g_string_append_printf(run->warnings,
                               "%s%d pages from page %d to %d not read by OCR: the file's "
                               "time limit (--timeout %u s) was used up",
                               run->warnings->len ? "; " : "", run->n_late, run->first_late,
                               run->last_late, own_seconds(run->opts));
    return status;
}

/* Starts the OCR of a document: its languages; the engine is loaded (once
 * per worker) when a page needs it, so a worker that meets only text layers
 * never holds Tesseract's ~100 MB of models. */
static void ocr_start(ocr_run_t *run, PopplerDocument *pdf, const vind_extract_options_t *opts)
{
    *run = (ocr_run_t){.opts = opts};
    run->warnings = g_string_new(NULL);
    run->doubtful = g_ptr_array_new();
    run->blank_images = g_array_new(FALSE, FALSE, sizeof(int));
    if (opts == NULL || opts->ocr == VIND_OCR_OFF)
        return;
    /* Each page asks the worker's parent for its time (vind_isolate_more_time);
     * the parent grants VIND_MAX_EXTRACT_SECONDS in all, and so do we. */
    run->file_deadline = g_get_monotonic_time() + (gint64)VIND_MAX_EXTRACT_SECONDS * 1000000;
    run->own_deadline = g_get_monotonic_time() + (gint64)own_seconds(opts) * 1000000;
    granted_ms = 0;
    char *lang = metadata_language(pdf);
    run->languages = vind_ocr_languages(lang);
    g_free(lang);
    run->wanted = 1;
    g_mutex_lock(&ocr_lock);
}

/* Ends it: the warnings and the doubtful words go into the record. */
static vind_status_t ocr_finish(ocr_run_t *run, vind_doc_t *doc, vind_status_t status)
{
    if (run->opts != NULL && run->opts->ocr != VIND_OCR_OFF)
        g_mutex_unlock(&ocr_lock);
    if (status == VIND_OK && run->warnings->len > 0 &&
        (doc->warning = strdup(run->warnings->str)) == NULL)
        status = VIND_NOMEM;
    g_string_free(run->warnings, TRUE);
    g_array_free(run->blank_images, TRUE);
    vind_ocr_renderer_free(run->renderer);
    g_free(run->languages);
    size_t n = run->doubtful->len;
    g_ptr_array_add(run->doubtful, NULL);
    char **words = (char **)g_ptr_array_free(run->doubtful, FALSE);
    if (status == VIND_OK && n > 0) {
        doc->ocr_doubtful = words;
        doc->n_ocr_doubtful = n;
    } else {
        for (size_t i = 0; i < n; i++)
            free(words[i]);
        g_free(words);
    }
    /* A document whose pages all have a text layer carries no OCR marks. */
    int any = 0;
    for (size_t i = 0; doc->ocr_confidence != NULL && i < doc->n_pages; i++)
        any |= doc->ocr_confidence[i] >= 0;
    if (!any) {
        free(doc->ocr_confidence);
        doc->ocr_confidence = NULL;
    }
    return status;
}

static vind_status_t open_error(GError *error, const char *name, char **errmsg)
{
    vind_status_t status = VIND_CORRUPT_FILE;
    if (error != NULL && error->domain == POPPLER_ERROR && error->code == POPPLER_ERROR_ENCRYPTED)
        status = VIND_ENCRYPTED;
    vind_status_t result =
        vind_error(errmsg, status, "%s: %s (poppler: %s)", name,
                   status == VIND_ENCRYPTED ? "encrypted PDF, needs a password" : "damaged PDF",
                   error != NULL ? error->message : "unknown error");
    if (error != NULL)
        g_error_free(error);
    return result;
}

static int has_pdf_magic(const char *data, size_t len)
{
    size_t n = len < 1024 ? len : 1024;
    for (size_t i = 0; i + 5 <= n; i++)
        if (memcmp(data + i, "%PDF-", 5) == 0)
            return 1;
    return 0;
}

vind_status_t vind_extract_pdf(const char *data, size_t len, const char *path,
                               const vind_extract_options_t *opts, vind_doc_t **out, char **errmsg)
{
    if (out == NULL)
        return vind_error(errmsg, VIND_INVALID_ARGUMENT, "vind_extract_pdf: out is NULL");
    *out = NULL;
    const char *name = path != NULL ? path : "PDF document";
    if (data == NULL || len == 0)
        return vind_error(errmsg, VIND_UNSUPPORTED_FILE, "%s: empty file", name);
    if (!has_pdf_magic(data, len))
        return vind_error(errmsg, VIND_CORRUPT_FILE, "%s: not a PDF (no %%PDF- header)", name);

    /* poppler reads the bytes in place; the caller keeps them alive. */
    GBytes *bytes = g_bytes_new_static(data, len);
    GError *error = NULL;
    PopplerDocument *pdf = poppler_document_new_from_bytes(bytes, NULL, &error);
    g_bytes_unref(bytes);
    if (pdf == NULL)
        return open_error(error, name, errmsg);

    vind_doc_t *doc = vind_doc_new();
    vind_status_t status = doc != NULL ? VIND_OK : VIND_NOMEM;
    if (status == VIND_OK) {
        doc->type = VIND_DOC_PDF;
        status = read_metadata(pdf, doc);
    }
    char *declared_tag = metadata_language(pdf);
    char *declared = vind_lang_primary(declared_tag);
    g_free(declared_tag);
    if (status == VIND_OK) {
        ocr_run_t run;
        ocr_start(&run, pdf, opts);
        vind_status_t read = read_pages(pdf, doc, &run);
        /* A document of 0 pages opens, but holds nothing to find: said. */
        if (read == VIND_OK && doc->n_pages == 0)
            g_string_append(run.warnings, "the PDF has no pages");
        status = ocr_finish(&run, doc, read);
    }
    g_object_unref(pdf);
    if (status == VIND_OK && doc->n_pages > 0)
        status = vind_pdf_clean_pages(doc->pages, doc->n_pages, NULL);
    if (status == VIND_OK && doc->title == NULL) {
        char *title = title_from_text(doc->pages, doc->n_pages);
        status = copy_string(&doc->title, title);
        g_free(title);
    }
    if (status == VIND_OK) {
        /* the XMP's language, unless the text clearly says the other of
         * Dutch and English; none declared: the text's majority (lib/lang.h) */
        char *note = NULL;
        char *lang = vind_lang_settle(declared, doc->pages, doc->n_pages, &note);
        status = copy_string(&doc->lang, lang);
        if (status == VIND_OK && note != NULL)
            status = join_warning(doc, note);
        g_free(lang);
        g_free(note);
    }
    g_free(declared);
    if (status == VIND_OK && path != NULL && (doc->path = strdup(path)) == NULL)
        status = VIND_NOMEM;
    if (status != VIND_OK) {
        vind_doc_free(doc);
        if (status == VIND_NOMEM)
            return vind_error(errmsg, VIND_NOMEM, "%s: out of memory", name);
        return status;
    }
    *out = doc;
    return VIND_OK;
}
