/*
 * extract_pdf.c - one PDF -> vind_doc_t with poppler-glib: the text layer per
 * page (page i is pages[i-1]), cleaned by vind_pdf_clean_pages(), and the
 * metadata that can be trusted (Title only when it is not a Word file name).
 *
 * Runs in-process; vind_extract_file() isolates it in a child, because a
 * hostile PDF can crash or hang poppler.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <poppler.h>

#include <vind/doc.h>
#include <vind/extract.h>
#include "error.h"

/* A page with fewer visible characters than this has no text layer (a scan
 * gives 0-2 stray characters: plooi-blg-1007826-nota-lnv-gescand.pdf). */
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

/* Dutch or English by function words: the analyzer needs to know which
 * stemmer to use, and 8 of the 55 corpus PDFs are English. */
static char *detect_language(char **pages, size_t n_pages)
{
    static const char *const dutch[] = {"de", "het", "een", "en", "van", "is", "niet", "dat", NULL};
    static const char *const english[] = {"the", "and", "of", "is", "not", "that", "to", NULL};
    size_t nl = 0, en = 0;
    for (size_t page = 0; page < n_pages; page++) {
        const char *p = pages[page];
        while (*p != '\0') {
            while (*p != '\0' && !isalpha((unsigned char)*p))
                p++;
            const char *start = p;
            while (isalpha((unsigned char)*p))
                p++;
            size_t n = (size_t)(p - start);
            if (n == 0 || n > 4)
                continue;
            for (size_t i = 0; dutch[i] != NULL; i++)
                nl += strlen(dutch[i]) == n && g_ascii_strncasecmp(start, dutch[i], n) == 0;
            for (size_t i = 0; english[i] != NULL; i++)
                en += strlen(english[i]) == n && g_ascii_strncasecmp(start, english[i], n) == 0;
        }
    }
    if (nl + en < 10)
        return NULL;
    return g_strdup(nl >= en ? "nl" : "en");
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

static vind_status_t read_pages(PopplerDocument *pdf, vind_doc_t *doc)
{
    int n_pages = poppler_document_get_n_pages(pdf);
    for (int i = 0; i < n_pages; i++) {
        PopplerPage *page = poppler_document_get_page(pdf, i);
        char *text = page != NULL ? poppler_page_get_text(page) : NULL;
        if (page != NULL)
            g_object_unref(page);
        const char *value = text != NULL && g_utf8_validate(text, -1, NULL) ? text : "";
        if (visible_chars(value) < MIN_PAGE_TEXT_CHARS) {
            doc->n_empty_pages++;
            value = "";
        }
        vind_status_t status = vind_doc_append(&doc->pages, &doc->n_pages, value, 0);
        g_free(text);
        if (status != VIND_OK)
            return status;
    }
    return VIND_OK;
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
    (void)opts;
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
    if (status == VIND_OK)
        status = read_pages(pdf, doc);
    g_object_unref(pdf);
    if (status == VIND_OK && doc->n_pages > 0)
        status = vind_pdf_clean_pages(doc->pages, doc->n_pages, NULL);
    if (status == VIND_OK && doc->title == NULL) {
        char *title = title_from_text(doc->pages, doc->n_pages);
        status = copy_string(&doc->title, title);
        g_free(title);
    }
    if (status == VIND_OK) {
        char *lang = detect_language(doc->pages, doc->n_pages);
        status = copy_string(&doc->lang, lang);
        g_free(lang);
    }
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
