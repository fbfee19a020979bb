/*
 * test_ocr.c - OCR of pages without a text layer (lib/ocr.c, lib/extract_pdf.c).
 *
 * Makes its own scan: Dutch text with diacritics and compounds drawn with
 * cairo into a 300 dpi image, put into a PDF that holds only that image
 * (page 2; page 1 has a real text layer). The extractor must find the words
 * on page 2 only through Tesseract.
 *
 * `test_ocr --write-scan OUT.pdf` writes that PDF and exits: the end-to-end
 * test (tests/e2e/test_ocr.py) and bench/ocr.sh index it; --write-rough-scan
 * a copier's version of it (200 dpi, tilted, grey, specks) for bench/ocr.sh.
 */
#include <glib.h>
#include <glib/gstdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cairo-pdf.h>
#include <cairo.h>

#include <vind/doc.h>
#include <vind/extract.h>
#include "check.h"
#include "ocr.h"

/* The text of the scan, line by line; tests/e2e/test_ocr.py and
 * bench/ocr.sh read the same lines (`test_ocr --print-text`). */
static const char *const scan_lines[] = {
    "Nota aan de minister van Landbouw",
    "Onderwerp: coördinatie van de natuurvergunningen",
    "De provincie heeft de financiële gevolgen van het",
    "stikstofbeleid onderzocht. Het waterschapsbestuur",
    "vraagt om één overzicht van alle bedrijfslocaties.",
    "Wij adviseren de reünie van betrokken partijen in",
    "het najaar te organiseren en de uitkomsten te delen",
    "met de Tweede Kamer.",
    NULL,
};

static cairo_status_t append_bytes(void *closure, const unsigned char *data, unsigned int length)
{
    g_byte_array_append(closure, data, length);
    return CAIRO_STATUS_SUCCESS;
}

/* The scanned page: black text on a white A4 image of dpi dots per inch;
 * rough: tilted by 0.8 degrees, grey paper and 2% specks, as a copier makes
 * it (bench/ocr.sh measures both). */
static cairo_surface_t *draw_scan(double dpi, int rough)
{
    const double scale = dpi / 72.0;
    cairo_surface_t *image =
        cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)(595 * scale), (int)(842 * scale));
    cairo_t *cr = cairo_create(image);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_scale(cr, scale, scale);
    if (rough) {
        cairo_set_source_rgb(cr, 0.9, 0.9, 0.88);
        cairo_paint(cr);
        cairo_rotate(cr, 0.8 * G_PI / 180.0);
    }
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_select_font_face(cr, "DejaVu Serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, 13);
    for (int i = 0; scan_lines[i] != NULL; i++) {
        cairo_move_to(cr, 72, 100 + i * 22);
        cairo_show_text(cr, scan_lines[i]);
    }
    cairo_destroy(cr);
    if (rough) { /* specks: the same ones every time */
        GRand *rand = g_rand_new_with_seed(15);
        cairo_surface_flush(image);
        unsigned char *data = cairo_image_surface_get_data(image);
        int width = cairo_image_surface_get_width(image);
        int height = cairo_image_surface_get_height(image);
        int stride = cairo_image_surface_get_stride(image);
        for (int n = 0; n < width * height / 50; n++) {
            int x = g_rand_int_range(rand, 0, width), y = g_rand_int_range(rand, 0, height);
            uint32_t *pixel = (uint32_t *)(data + (size_t)y * (size_t)stride) + x;
            *pixel = g_rand_boolean(rand) ? 0x00404040u : 0x00ffffffu;
        }
        cairo_surface_mark_dirty(image);
        g_rand_free(rand);
    }
    return image;
}

/* A two-page PDF: page 1 with a text layer, page 2 only the scan's image. */
static GByteArray *make_scan_pdf(int rough)
{
    GByteArray *bytes = g_byte_array_new();
    cairo_surface_t *pdf = cairo_pdf_surface_create_for_stream(append_bytes, bytes, 595, 842);
    cairo_t *cr = cairo_create(pdf);
    cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, 12);
    cairo_move_to(cr, 72, 100);
    cairo_show_text(cr, "Voorblad: deze pagina heeft een echte tekstlaag met woorden.");
    cairo_show_page(cr);
    double dpi = rough ? 200.0 : 300.0;
    cairo_surface_t *image = draw_scan(dpi, rough);
    cairo_scale(cr, 72.0 / dpi, 72.0 / dpi);
    cairo_set_source_surface(cr, image, 0, 0);
    cairo_paint(cr);
    cairo_show_page(cr);
    cairo_destroy(cr);
    cairo_surface_destroy(image);
    cairo_surface_finish(pdf);
    cairo_surface_destroy(pdf);
    return bytes;
}

static vind_doc_t *extract(GByteArray *pdf, vind_ocr_mode_t mode, const char *cache,
                           unsigned page_ms)
{
    vind_extract_options_t opts;
    vind_extract_options_init(&opts);
    opts.isolate = 0;
    opts.ocr = mode;
    opts.ocr_cache = cache;
    opts.ocr_page_ms = page_ms;
    vind_doc_t *doc = NULL;
    char *errmsg = NULL;
    vind_status_t status =
        vind_extract_pdf((const char *)pdf->data, pdf->len, "scan.pdf", &opts, &doc, &errmsg);
    if (status != VIND_OK)
        printf("# extract: %s\n", errmsg ? errmsg : vind_status_to_string(status));
    free(errmsg);
    return doc;
}

/* Whether word is in text, case-sensitively. */
static int has(const char *text, const char *word)
{
    return text != NULL && strstr(text, word) != NULL;
}

static void test_without_ocr(GByteArray *pdf)
{
    vind_doc_t *doc = extract(pdf, VIND_OCR_OFF, NULL, 0);
    CHECK(doc != NULL && doc->n_pages == 2, "--ocr off: both pages");
    CHECK(doc != NULL && doc->n_empty_pages == 1, "--ocr off: the scan has no text layer");
    CHECK(doc != NULL && !has(doc->pages[1], "stikstofbeleid"), "--ocr off: nothing of the scan");
    CHECK(doc != NULL && doc->ocr_confidence == NULL, "--ocr off: no page is marked OCR");
    vind_doc_free(doc);
}

static void test_auto(GByteArray *pdf, const char *cache)
{
    vind_doc_t *doc = extract(pdf, VIND_OCR_AUTO, cache, 0);
    CHECK(doc != NULL && doc->n_pages == 2, "auto: both pages");
    if (doc == NULL)
        return;
    CHECK(has(doc->pages[0], "tekstlaag"), "page 1 keeps its text layer");
    CHECK(has(doc->pages[1], "stikstofbeleid"), "OCR reads a plain word on the scan");
    CHECK(has(doc->pages[1], "coördinatie"), "OCR reads a diaeresis (coördinatie)");
    CHECK(has(doc->pages[1], "financiële"), "OCR reads financiële");
    CHECK(has(doc->pages[1], "één"), "OCR reads acute accents (één)");
    CHECK(has(doc->pages[1], "waterschapsbestuur"), "OCR reads a compound (waterschapsbestuur)");
    CHECK(doc->ocr_confidence != NULL && doc->ocr_confidence[0] == -1, "page 1 is not marked OCR");
    CHECK(doc->ocr_confidence != NULL && doc->ocr_confidence[1] >= 60,
          "page 2 is marked OCR with its mean confidence");
    CHECK_INT(doc->ocr_recognised + doc->ocr_cached, 1, "one page went through OCR");
    CHECK_STR(doc->lang, "nl", "the OCR text is detected as Dutch");
    CHECK(doc->warning == NULL, "no warning");
    /* the record survives the trip from the worker */
    char *json = vind_doc_to_json(doc);
    vind_doc_t *back = NULL;
    CHECK(json != NULL && vind_doc_from_json(json, strlen(json), &back, NULL) == VIND_OK &&
              back->ocr_confidence != NULL && back->ocr_confidence[1] == doc->ocr_confidence[1] &&
              back->n_ocr_doubtful == doc->n_ocr_doubtful &&
              back->ocr_recognised == doc->ocr_recognised,
          "the OCR marks survive the JSON of the worker");
    free(json);
    vind_doc_free(back);
    vind_doc_free(doc);
}

static void test_cache(GByteArray *pdf, const char *cache)
{
    vind_doc_t *first = extract(pdf, VIND_OCR_AUTO, cache, 0);
    vind_doc_t *second = extract(pdf, VIND_OCR_AUTO, cache, 0);
    CHECK(first != NULL && second != NULL, "extracted twice");
    if (first == NULL || second == NULL)
        goto done;
    CHECK_INT(second->ocr_recognised, 0, "the second extraction runs no OCR");
    CHECK_INT(second->ocr_cached, 1, "it reads the page from the cache");
    CHECK_STR(second->pages[1], first->pages[1], "with the same text");
    CHECK_INT(second->ocr_confidence[1], first->ocr_confidence[1], "and the same confidence");
done:
    vind_doc_free(first);
    vind_doc_free(second);
}

static void test_time_limit(GByteArray *pdf)
{
    /* 1 ms: Tesseract's monitor stops the recognition at its first check */
    vind_doc_t *doc = extract(pdf, VIND_OCR_AUTO, NULL, 1);
    CHECK(doc != NULL, "a page past the OCR time limit still gives the document");
    if (doc == NULL)
        return;
    CHECK_STR(doc->warning, "page 2: OCR timed out", "the page is reported");
    CHECK(has(doc->pages[0], "tekstlaag"), "the rest of the document is there");
    CHECK_STR(doc->pages[1], "", "the timed-out page has no text");
    CHECK(doc->ocr_confidence == NULL, "and is not marked OCR");
    vind_doc_free(doc);
}

/* Blank pages (tests/e2e/test_hostile_files.py has 50,000): auto does not
 * even render them (no image), force renders them and finds no ink. */
static void test_blank_pages(void)
{
    GByteArray *pdf = g_byte_array_new();
    cairo_surface_t *surface = cairo_pdf_surface_create_for_stream(append_bytes, pdf, 595, 842);
    cairo_t *cr = cairo_create(surface);
    for (int i = 0; i < 3; i++)
        cairo_show_page(cr);
    cairo_destroy(cr);
    cairo_surface_finish(surface);
    cairo_surface_destroy(surface);
    for (int force = 0; force <= 1; force++) {
        vind_doc_t *doc = extract(pdf, force ? VIND_OCR_FORCE : VIND_OCR_AUTO, NULL, 0);
        CHECK(doc != NULL && doc->n_pages == 3 && doc->n_empty_pages == 3,
              force ? "force: three blank pages" : "auto: three blank pages");
        CHECK(doc != NULL && doc->ocr_recognised == 0 && doc->ocr_confidence == NULL &&
                  doc->warning == NULL,
              force ? "force: no OCR of a blank page, no mark, no warning"
                    : "auto: a page without an image is not OCR'd");
        vind_doc_free(doc);
    }
    g_byte_array_unref(pdf);
}

static void test_languages(void)
{
    char *nl = vind_ocr_languages("nl-NL"), *en = vind_ocr_languages("en"),
         *none = vind_ocr_languages(NULL), *de = vind_ocr_languages("de");
    CHECK_STR(nl, "nld", "nl-NL -> nld");
    CHECK_STR(en, "eng", "en -> eng");
    CHECK_STR(none, "nld+eng", "no language -> nld+eng");
    CHECK_STR(de, "nld+eng", "a language without data -> nld+eng");
    g_free(nl);
    g_free(en);
    g_free(none);
    g_free(de);
}

int main(int argc, char **argv)
{
    if (argc == 3 &&
        (strcmp(argv[1], "--write-scan") == 0 || strcmp(argv[1], "--write-rough-scan") == 0)) {
        GByteArray *pdf = make_scan_pdf(strcmp(argv[1], "--write-rough-scan") == 0);
        int ok = g_file_set_contents(argv[2], (const char *)pdf->data, pdf->len, NULL);
        g_byte_array_unref(pdf);
        return ok ? 0 : 1;
    }
    if (argc == 2 && strcmp(argv[1], "--print-text") == 0) {
        for (int i = 0; scan_lines[i] != NULL; i++)
            puts(scan_lines[i]);
        return 0;
    }
    test_languages();
    GByteArray *pdf = make_scan_pdf(0);
    test_without_ocr(pdf);
    if (!vind_ocr_available("nld+eng")) {
        SKIP("Tesseract's Dutch and English data are not installed");
        g_byte_array_unref(pdf);
        vind_ocr_release();
        return check_done();
    }
    char *cache = g_dir_make_tmp("vind-ocr-XXXXXX", NULL);
    test_auto(pdf, NULL);
    test_cache(pdf, cache);
    test_time_limit(pdf);
    test_blank_pages();
    char *command = g_strdup_printf("rm -rf '%s'", cache);
    CHECK(system(command) == 0, "cache removed");
    g_free(command);
    g_free(cache);
    g_byte_array_unref(pdf);
    vind_ocr_release();
    return check_done();
}
