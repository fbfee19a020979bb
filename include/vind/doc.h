/*
 * doc.h - an extracted document: what the extractors (extract.h) produce and
 * the indexer consumes.
 *
 * A plain record. Every string and array is malloc'd and owned by the
 * record; vind_doc_free() frees them all. Absent values are NULL (strings)
 * or zero-length arrays.
 */
#ifndef VIND_DOC_H
#define VIND_DOC_H

#include <stddef.h>
#include <vind/common.h>
#include <vind/status.h>

VIND_BEGIN_DECLS

typedef enum {
    VIND_DOC_ARTICLE = 0, /* an HTML article page */
    VIND_DOC_PDF = 1,     /* a PDF report */
    VIND_DOC_PAGE = 2,    /* any other HTML page with content (not a listing) */
} vind_doc_type_t;

typedef struct {
    char *path;        /* the file it came from */
    char *url;         /* the URL the site serves it at (set by the indexer) */
    vind_doc_type_t type;
    char *title;       /* display title, whitespace collapsed */
    char *date;        /* publication date, ISO "YYYY-MM-DD", or NULL */
    char *author;
    char *description;
    char *lang;        /* "nl", "en", ... (from <html lang>, or detected) */
    char *canonical;   /* canonical URL from the page, if any */
    char *section;     /* first path segment of the URL ("actueel") */
    char **tags;       /* tags ("Trefwoorden:", rel=tag, article:tag, JSON-LD keywords) */
    size_t n_tags;
    char **themes;     /* themes ("Thema's:", article:section, categories) */
    size_t n_themes;
    char **links;      /* hrefs found in the page (as written), for PDF attachments */
    size_t n_links;
    char **pages;      /* text per page (one page for HTML), paragraphs separated by "\n\n" */
    size_t n_pages;
    size_t n_empty_pages; /* pages without a text layer (scans) */
    int *ocr_confidence;  /* NULL, or one per page: -1 text layer (or none), else the page's
                           * text is OCR (lib/ocr.c) with this mean word confidence, 0-100 */
    char **ocr_doubtful;  /* OCR words below VIND_OCR_SPELL_CONFIDENCE: indexed, but never
                           * spelling suggestions */
    size_t n_ocr_doubtful;
    size_t ocr_recognised; /* pages Tesseract recognised in this extraction (not cached) */
    size_t ocr_cached;     /* OCR pages read from the OCR cache */
    double ocr_seconds;    /* time spent on OCR (rendering included) */
    int is_listing;    /* 1: a listing page (taxonomy, archive, home, 404, feed): not to be indexed */
    char *listing_reason; /* why it is a listing page, for the log */
    char *warning;     /* a repair made to read the file ("invalid UTF-8 replaced"), or NULL:
                        * the document is indexed and the indexer reports the file */
} vind_doc_t;

/* A new empty record (type ARTICLE), or NULL when out of memory. */
VIND_API vind_doc_t *vind_doc_new(void);

/* Frees the record and everything it holds. Accepts NULL. */
VIND_API void vind_doc_free(vind_doc_t *doc);

/* Appends a copy of value to one of the doc's string arrays (tags, themes,
 * links, pages). Skips duplicates for tags and themes. VIND_OK or VIND_NOMEM. */
VIND_API vind_status_t vind_doc_append(char ***array, size_t *count, const char *value, int unique);

/*
 * The record as a JSON text (malloc'd, NULL on NOMEM) and back. Used to carry
 * a document from an isolated extraction process to the indexer.
 * vind_doc_from_json returns VIND_OK, VIND_CORRUPT_FILE (not a record) or VIND_NOMEM.
 */
VIND_API char *vind_doc_to_json(const vind_doc_t *doc);
VIND_API vind_status_t vind_doc_from_json(const char *json, size_t len, vind_doc_t **out,
                                          char **errmsg);

/*
 * Whether url may become a link of the site's pages: an http(s) URL or a path
 * of the site ("/...", not "//host"), without a backslash or a control
 * character anywhere. Browsers read "/\\host" as "//host", drop tabs and line
 * breaks and trim leading spaces, so "javascript:", " javascript:", "data:",
 * "//evil.example/" and "/\\evil.example/" are not links. vind-index refuses
 * a --from-jsonl record whose url is not one; the search page links only
 * such URLs (searchd/page.c; search.js's safeLink applies the same rule).
 */
VIND_API int vind_url_is_link(const char *url);

/*
 * url when it is a link of the site (vind_url_is_link), else NULL: what every
 * output emits (since session 13). An index made before session 13 may hold a
 * feed record's "javascript:..." url; the JSON of /api/..., `vind` in every
 * format and related.json withhold it (null, empty, "-" or the item left out;
 * docs/api.md "URLs that are no link").
 */
VIND_API const char *vind_url_as_link(const char *url);

/*
 * Whether base_url may begin every URL vind-index makes from a file name
 * (--base-url, [site] base_url): "/", a path of the site ("/site/") or
 * "http(s)://HOST[:PORT]/..." whose URLs are links (vind_url_is_link) that
 * lead back to the file: no space, control character or backslash, no user
 * before the host ("https://site.example@evil.example/" is evil.example), no
 * query or fragment, no "." or ".." segment, no "%" but an escape. "" is
 * taken as "/" (vind_index_url_for).
 * Return value: VIND_OK; VIND_INVALID_ARGUMENT, *errmsg saying why (without
 * the value, which the caller shows escaped).
 */
VIND_API vind_status_t vind_base_url_check(const char *base_url, char **errmsg);

VIND_END_DECLS

#endif
