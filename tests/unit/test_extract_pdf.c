/*
 * test_extract_pdf.c - the PDF extractor on PDFs drawn here with cairo
 * (running header and footer, a hyphenated line break, an empty page, junk
 * metadata), a truncated and an encrypted PDF, and vind_pdf_clean_pages on
 * texts shaped like the corpus reports.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cairo-pdf.h>
#include <cairo.h>
#include <glib.h>
#include <vind/extract.h>

#include "check.h"

static void draw_lines(cairo_t *cr, const char *const *lines, double y)
{
    for (size_t i = 0; lines[i] != NULL; i++, y += 16) {
        cairo_move_to(cr, 72, y);
        cairo_show_text(cr, lines[i]);
    }
}

/*
 * Four A4 pages: "Vertrouwelijk" on top and "Pagina N van 4" below on pages
 * 1-3, body text with "kwaliteits-" / "gelden" and "bron-" / "en
 * contactonderzoek" line breaks, page 4 empty (a scan without text layer).
 */
static void make_report(const char *path, const char *title)
{
    cairo_surface_t *surface = cairo_pdf_surface_create(path, 595, 842);
    if (title != NULL)
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, title);
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_AUTHOR, "Radicale vernieuwing");
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE,
                                   "2021-10-28T10:00:00+02:00");
    cairo_t *cr = cairo_create(surface);
    cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, 11);
    static const char *const page1[] = {
        "Evaluatie van de beweging",
        "De organisaties verantwoorden hoe de kwaliteits-",
        "gelden worden besteed aan de zorg voor bewoners.",
        NULL,
    };
    static const char *const page2[] = {
        "Het team doet bron-",
        "en contactonderzoek bij elke melding in de regio.",
        "De app heet Corona-",
        "Melder in de eerste versie van het rapport.",
        NULL,
    };
    static const char *const page3[] = {
        "Tot slot onder-",
        "zoekt de commissie de effecten op langere termijn.",
        NULL,
    };
    const char *const *bodies[3] = {page1, page2, page3};
    for (int page = 0; page < 3; page++) {
        cairo_move_to(cr, 72, 50);
        cairo_show_text(cr, "Vertrouwelijk");
        draw_lines(cr, bodies[page], 120);
        char footer[40];
        snprintf(footer, sizeof footer, "Pagina %d van 4", page + 1);
        cairo_move_to(cr, 260, 800);
        cairo_show_text(cr, footer);
        cairo_show_page(cr);
    }
    cairo_show_page(cr); /* page 4: nothing drawn */
    cairo_destroy(cr);
    cairo_surface_finish(surface);
    cairo_surface_destroy(surface);
}

static vind_doc_t *extract_path(const char *path, vind_status_t *status, char **errmsg)
{
    char *data = NULL;
    gsize len = 0;
    if (!g_file_get_contents(path, &data, &len, NULL)) {
        *status = VIND_IO;
        return NULL;
    }
    vind_doc_t *doc = NULL;
    *status = vind_extract_pdf(data, len, path, NULL, &doc, errmsg);
    g_free(data);
    return doc;
}

static void test_generated_report(const char *dir)
{
    char path[512];
    snprintf(path, sizeof path, "%s/rapport.pdf", dir);
    make_report(path, "Microsoft Word - rapport_def.docx");
    vind_status_t status;
    char *errmsg = NULL;
    vind_doc_t *doc = extract_path(path, &status, &errmsg);
    CHECK_INT(status, VIND_OK, "generated PDF extracted");
    if (errmsg != NULL)
        printf("# %s\n", errmsg);
    free(errmsg);
    if (doc == NULL)
        return;
    CHECK_INT(doc->type, VIND_DOC_PDF, "type PDF");
    CHECK_INT(doc->n_pages, 4, "four pages, numbering kept");
    CHECK_INT(doc->n_empty_pages, 1, "the blank page counts as empty");
    CHECK(doc->n_pages == 4 && doc->pages[3][0] == '\0', "page 4 text is empty");
    CHECK_STR(doc->title, "Evaluatie van de beweging",
              "junk 'Microsoft Word - x.docx' title replaced by the first line");
    CHECK_STR(doc->author, "Radicale vernieuwing", "author from metadata");
    CHECK_STR(doc->date, "2021-10-28", "creation date as written");
    CHECK_STR(doc->lang, "nl", "language detected as Dutch");
    if (doc->n_pages < 3) {
        vind_doc_free(doc);
        return;
    }
    printf("# page 1: %s\n# page 2: %s\n", doc->pages[0], doc->pages[1]);
    CHECK(strstr(doc->pages[0], "kwaliteitsgelden worden besteed") != NULL,
          "kwaliteits- + gelden joined");
    CHECK(strstr(doc->pages[2], "onderzoekt de commissie") != NULL, "onder- + zoekt joined");
    CHECK(strstr(doc->pages[1], "bron-\nen contactonderzoek") != NULL ||
              strstr(doc->pages[1], "bron- en contactonderzoek") != NULL,
          "bron- en contactonderzoek stays a real elision");
    CHECK(strstr(doc->pages[1], "Corona-Melder") != NULL, "Corona- + Melder keeps its hyphen");
    int header_left = 0;
    for (size_t i = 0; i < 3; i++)
        header_left += strstr(doc->pages[i], "Vertrouwelijk") != NULL ||
                       strstr(doc->pages[i], "Pagina ") != NULL;
    CHECK_INT(header_left, 0, "running header and 'Pagina N van 4' footer dropped");
    vind_doc_free(doc);

    make_report(path, "Evaluatie Radicale vernieuwing 2021");
    doc = extract_path(path, &status, NULL);
    CHECK(doc != NULL && doc->title &&
              strcmp(doc->title, "Evaluatie Radicale vernieuwing 2021") == 0,
          "a real metadata title is kept");
    vind_doc_free(doc);

    /* truncated: the first half of a valid file */
    char *data = NULL;
    gsize len = 0;
    g_file_get_contents(path, &data, &len, NULL);
    doc = (vind_doc_t *)1;
    errmsg = NULL;
    status = vind_extract_pdf(data, len / 2, "half.pdf", NULL, &doc, &errmsg);
    CHECK_INT(status, VIND_CORRUPT_FILE, "truncated PDF is corrupt");
    CHECK(doc == NULL && errmsg != NULL && strstr(errmsg, "half.pdf") != NULL,
          "truncated: message names the file");
    if (errmsg)
        printf("# %s\n", errmsg);
    free(errmsg);

    /* the encrypted copy, when qpdf is installed */
    char encrypted[600], command[1400];
    snprintf(encrypted, sizeof encrypted, "%s/versleuteld.pdf", dir);
    snprintf(command, sizeof command, "qpdf --encrypt geheim eigenaar 256 -- '%s' '%s' 2>/dev/null",
             path, encrypted);
    if (system(command) == 0) {
        errmsg = NULL;
        doc = extract_path(encrypted, &status, &errmsg);
        CHECK_INT(status, VIND_ENCRYPTED, "password-protected PDF is encrypted");
        if (errmsg)
            printf("# %s\n", errmsg);
        free(errmsg);
        vind_doc_free(doc);
        unlink(encrypted);
    } else {
        SKIP("qpdf not installed");
    }

    static const char not_pdf[] = "%PDX-1.4 geen pdf";
    errmsg = NULL;
    CHECK_INT(vind_extract_pdf(not_pdf, sizeof not_pdf - 1, "x.pdf", NULL, &doc, &errmsg),
              VIND_CORRUPT_FILE, "no %PDF- header: corrupt");
    free(errmsg);
    static const char header_only[] = "%PDF-1.7\n%%EOF\n";
    errmsg = NULL;
    CHECK_INT(vind_extract_pdf(header_only, sizeof header_only - 1, "y.pdf", NULL, &doc, &errmsg),
              VIND_CORRUPT_FILE, "a header and nothing else: corrupt");
    free(errmsg);
    CHECK_INT(vind_extract_pdf("", 0, "leeg.pdf", NULL, &doc, NULL), VIND_UNSUPPORTED_FILE,
              "empty input");
    g_free(data);
    unlink(path);
}

/* ---- vind_pdf_clean_pages on text ---- */

static char **pages_of(const char *const *texts, size_t n)
{
    char **pages = calloc(n, sizeof *pages);
    for (size_t i = 0; i < n; i++)
        pages[i] = strdup(texts[i]);
    return pages;
}

static void free_pages(char **pages, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(pages[i]);
    free(pages);
}

static void test_clean(void)
{
    static const char *const texts[] = {
        "Vertrouwelijk\nDe \xEF\xAC\x81nanci\xC3\xABle analyse van\n\xEF\x82\xB7 punt een\nPagina "
        "1 van 93",
        "Vertrouwelijk\nDe verwerkings-\nverantwoordelijkheid ligt bij de GGD-\nteams en "
        "POB-\nvergunning.\nPagina 2 van 93",
        "Vertrouwelijk\nVoor- en nazorg, land-\nof tuinbouw, COVID-\n19 en 2020-\n2021.\nPagina 3 "
        "van 93",
        "Vertrouwelijk\nDe Corona-\nMelder meldt \xEE\x80\x9B icoon.\n12\nPagina 4 van 93",
    };
    char **pages = pages_of(texts, 4);
    char *errmsg = NULL;
    CHECK_INT(vind_pdf_clean_pages(pages, 4, &errmsg), VIND_OK, "clean: OK");
    for (size_t i = 0; i < 4; i++)
        printf("# cleaned %zu: %s\n", i + 1, pages[i]);
    CHECK(strstr(pages[0], "Vertrouwelijk") == NULL && strstr(pages[3], "Pagina") == NULL,
          "clean: running header and footer gone");
    CHECK(strstr(pages[0], "De financi\xC3\xABle analyse") != NULL, "clean: ligature fi expanded");
    CHECK(strstr(pages[0], "\xE2\x80\xA2 punt een") != NULL, "clean: U+F0B7 becomes a bullet");
    CHECK(strstr(pages[1], "verwerkingsverantwoordelijkheid ligt") != NULL,
          "clean: verwerkings- + verantwoordelijkheid joined");
    CHECK(strstr(pages[1], "GGD-teams en POB-vergunning") != NULL,
          "clean: an acronym keeps its hyphen (GGD-teams, POB-vergunning)");
    CHECK(strstr(pages[2], "land-\nof tuinbouw") != NULL, "clean: 'land- of' kept");
    CHECK(strstr(pages[2], "COVID-19") != NULL, "clean: COVID- + 19 keeps its hyphen");
    CHECK(strstr(pages[3], "Corona-Melder meldt") != NULL, "clean: Corona-Melder");
    CHECK(strstr(pages[3], "\xEE\x80\x9B") == NULL, "clean: private-use icon removed");
    CHECK(strstr(pages[3], "\n12") == NULL, "clean: bare page number at the edge dropped");
    free_pages(pages, 4);

    static const char *const content[] = {
        "Intro\n• Geen problemen aangetroffen\nEinde een",
        "Intro twee\nMidden\n• Geen problemen aangetroffen\nEen\nTwee\nDrie\nVier\nEinde twee",
    };
    pages = pages_of(content, 2);
    vind_pdf_clean_pages(pages, 2, NULL);
    CHECK(strstr(pages[0], "Geen problemen") != NULL,
          "clean: with two pages nothing counts as a running header");
    free_pages(pages, 2);

    static const char *const footer[] = {
        "Een\nTwee\nDrie\nVier\nVijf\nZes\n\xC2\xA9 Secura BV,\nZeven\nAcht\nNegen\nTien\nElf",
        "Tekst a\n\xC2\xA9 Secura BV,",
        "Tekst b\n\xC2\xA9 Secura BV,",
        "Tekst c\n\xC2\xA9 Secura BV,",
        "Tekst d\n\xC2\xA9 Secura BV,",
        "Tekst e\n\xC2\xA9 Secura BV,",
    };
    pages = pages_of(footer, 6);
    vind_pdf_clean_pages(pages, 6, NULL);
    int secura = 0;
    for (size_t i = 0; i < 6; i++)
        secura += strstr(pages[i], "Secura") != NULL;
    CHECK_INT(secura, 0, "clean: a running footer is also dropped where it sits mid-page");
    CHECK(strstr(pages[0], "Zes\nZeven") != NULL, "clean: the lines around it stay");
    free_pages(pages, 6);

    CHECK_INT(vind_pdf_clean_pages(NULL, 0, NULL), VIND_OK, "clean: zero pages");
    static const char *const empty[] = {"", "", ""};
    pages = pages_of(empty, 3);
    CHECK_INT(vind_pdf_clean_pages(pages, 3, NULL), VIND_OK, "clean: empty pages");
    CHECK_STR(pages[1], "", "clean: empty stays empty");
    free_pages(pages, 3);
    static const char *const bad[] = {"goed", "kapot \xC3\x28"};
    pages = pages_of(bad, 2);
    errmsg = NULL;
    CHECK_INT(vind_pdf_clean_pages(pages, 2, &errmsg), VIND_BAD_UTF8, "clean: invalid UTF-8");
    free(errmsg);
    free_pages(pages, 2);
    static const char *const hyphens[] = {"-\n-\n- -\nx-\n-y\n\xC2\xAD\nab\xC2\xAD\ncd"};
    pages = pages_of(hyphens, 1);
    CHECK_INT(vind_pdf_clean_pages(pages, 1, NULL), VIND_OK, "clean: hostile hyphen lines");
    CHECK(strstr(pages[0], "abcd") != NULL, "clean: soft hyphen at a line end joins");
    free_pages(pages, 1);
}

/*
 * A page of fewer than 20 visible characters ("Bijlage: tarieven", a cover,
 * a last line) and no image: no scan, so OCR has nothing to replace it
 * with. Its text layer was thrown away all the same, and the words were
 * found nowhere (a PDF of one short line lost all of its text).
 */
static void test_short_page(const char *dir)
{
    char path[512];
    snprintf(path, sizeof path, "%s/kort.pdf", dir);
    cairo_surface_t *surface = cairo_pdf_surface_create(path, 595, 842);
    cairo_t *cr = cairo_create(surface);
    cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, 11);
    static const char *const long_page[] = {"De gemeente betaalt de zorgkosten van bewoners.", NULL};
    static const char *const short_page[] = {"Bijlage: tarieven", NULL};
    draw_lines(cr, long_page, 120);
    cairo_show_page(cr);
    draw_lines(cr, short_page, 120);
    cairo_show_page(cr);
    cairo_destroy(cr);
    cairo_surface_finish(surface);
    cairo_surface_destroy(surface);
    vind_status_t status;
    char *errmsg = NULL;
    vind_doc_t *doc = extract_path(path, &status, &errmsg);
    CHECK_INT(status, VIND_OK, "short page: extracted");
    CHECK(doc != NULL && doc->n_pages == 2 && strstr(doc->pages[1], "Bijlage: tarieven") != NULL,
          "a page of 17 characters without an image keeps its text layer (no OCR replaces it)");
    CHECK(doc != NULL && doc->n_empty_pages == 1,
          "it still counts as a page without a text layer (the OCR summary's count)");
    vind_doc_free(doc);
    free(errmsg);
    unlink(path);
}

/* A PDF of the given objects (1 0 obj is the catalog), with its xref. */
static GString *hand_made_pdf(const char *const *objects, size_t n)
{
    GString *pdf = g_string_new("%PDF-1.4\n");
    size_t *offsets = g_new(size_t, n);
    for (size_t i = 0; i < n; i++) {
        offsets[i] = pdf->len;
        g_string_append_printf(pdf, "%zu 0 obj\n%s\nendobj\n", i + 1, objects[i]);
    }
    size_t xref = pdf->len;
    g_string_append_printf(pdf, "xref\n0 %zu\n0000000000 65535 f \n", n + 1);
    for (size_t i = 0; i < n; i++)
        g_string_append_printf(pdf, "%010zu 00000 n \n", offsets[i]);
    g_string_append_printf(pdf, "trailer\n<< /Size %zu /Root 1 0 R >>\nstartxref\n%zu\n%%%%EOF\n",
                           n + 1, xref);
    g_free(offsets);
    return pdf;
}

static vind_doc_t *extract_bytes(const GString *pdf, const char *name, vind_status_t *status)
{
    vind_doc_t *doc = NULL;
    char *errmsg = NULL;
    *status = vind_extract_pdf(pdf->str, pdf->len, name, NULL, &doc, &errmsg);
    if (*status != VIND_OK)
        printf("# %s\n", errmsg ? errmsg : "?");
    free(errmsg);
    return doc;
}

/*
 * Words a page shows outside its content stream: a text field's value and
 * a FreeText annotation (typewriter text over a flat form), without
 * appearance streams, so poppler_page_get_text reads neither. Until
 * session 11 such a PDF was indexed without a word of them, unreported; a
 * link annotation to file:///etc/passwd brings nothing. A PDF of 0 pages
 * was indexed as an empty document without a word either.
 */
static void test_shown_outside_the_text(void)
{
    static const char *const form[] = {
        "<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [5 0 R] /NeedAppearances true >> >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Annots [4 0 R 5 0 R 7 0 R]"
        " /Resources << /Font << /F1 6 0 R >> >> >>",
        "<< /Type /Annot /Subtype /FreeText /Rect [50 700 400 750] /DA (/F1 12 Tf 0 g)"
        " /Contents (Typemachinewoord in een notitie over de zorg) >>",
        "<< /Type /Annot /Subtype /Widget /FT /Tx /T (naam) /V (Formulierwoord in een veld)"
        " /Rect [50 600 400 650] /DA (/F1 12 Tf 0 g) /F 4 >>",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        "<< /Type /Annot /Subtype /Link /Rect [50 500 400 550]"
        " /A << /S /URI /URI (file:///etc/passwd) >> >>",
    };
    GString *pdf = hand_made_pdf(form, G_N_ELEMENTS(form));
    vind_status_t status;
    vind_doc_t *doc = extract_bytes(pdf, "formulier.pdf", &status);
    CHECK(status == VIND_OK && doc != NULL && doc->n_pages == 1 &&
              strstr(doc->pages[0], "Formulierwoord in een veld") != NULL,
          "a text field's value is the page's text");
    CHECK(doc != NULL && doc->n_pages == 1 &&
              strstr(doc->pages[0], "Typemachinewoord in een notitie") != NULL,
          "a FreeText annotation's words are the page's text");
    CHECK(doc != NULL && doc->n_pages == 1 && strstr(doc->pages[0], "passwd") == NULL,
          "a link annotation brings no text");
    vind_doc_free(doc);
    g_string_free(pdf, TRUE);

    static const char *const empty[] = {"<< /Type /Catalog /Pages 2 0 R >>",
                                        "<< /Type /Pages /Kids [] /Count 0 >>"};
    pdf = hand_made_pdf(empty, G_N_ELEMENTS(empty));
    doc = extract_bytes(pdf, "leeg.pdf", &status);
    CHECK(status == VIND_OK && doc != NULL && doc->n_pages == 0 && doc->warning != NULL &&
              strstr(doc->warning, "no pages") != NULL,
          "a PDF of 0 pages is indexed and said: 'the PDF has no pages'");
    vind_doc_free(doc);
    g_string_free(pdf, TRUE);
}

int main(void)
{
    char template[] = "/tmp/vind-test-pdf-XXXXXX";
    char *dir = mkdtemp(template);
    if (dir == NULL) {
        CHECK(0, "mkdtemp");
        return check_done();
    }
    test_generated_report(dir);
    test_short_page(dir);
    test_shown_outside_the_text();
    test_clean();
    rmdir(dir);
    /* cairo's toy fonts keep fontconfig data until told to let go (LSan) */
    cairo_debug_reset_static_data();
    void (*fontconfig_fini)(void) = (void (*)(void))dlsym(RTLD_DEFAULT, "FcFini");
    if (fontconfig_fini != NULL)
        fontconfig_fini();
    return check_done();
}
