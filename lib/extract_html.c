/*
 * extract_html.c - one HTML page -> vind_doc_t: the main text without the
 * site's chrome, its metadata (title, date, author, tags, themes, ...), and
 * whether it is a real content page or a listing (taxonomy, archive, home,
 * 404, feed, redirect stub) that must not be indexed as a document.
 *
 * Parsing is libxml2's HTML parser in recover mode, fed with UTF-8 that this
 * file has made valid first (charset.c-style repair below), and never with
 * entity substitution or network access. libxml2 caps the tree depth at 256,
 * and every walk here is iterative, so a page of 100 000 nested <div>s costs
 * a truncated text, never the stack.
 */
#include <ctype.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <glib.h>
#include <jansson.h>
#include <libxml/HTMLparser.h>
#include <libxml/xpath.h>

#include <vind/doc.h>
#include <vind/extract.h>
#include <vind/limits.h>
#include "error.h"
#include "lang.h"

#define SNIFF_BYTES 4096u

/* ======================================================================
 * Bytes -> valid UTF-8
 * ====================================================================== */

/* Windows-1252 for the bytes 0x80-0x9F (0 = undefined); 0xA0-0xFF are Latin-1.
 * Invalid UTF-8 in a Dutch page is nearly always a cp1252 "é" or "’". */
static const unsigned short cp1252_high[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178,
};

static gunichar cp1252_char(unsigned char byte)
{
    if (byte >= 0x80 && byte < 0xA0)
        return cp1252_high[byte - 0x80] != 0 ? cp1252_high[byte - 0x80] : 0xFFFD;
    return byte;
}

/* What repair_utf8 changed: bytes that are not UTF-8 (read as
 * windows-1252) and NUL bytes (read as spaces; valid UTF-8, but no text:
 * until session 18 they were reported as "not UTF-8"). */
typedef struct {
    size_t not_utf8;
    size_t nul;
} repairs_t;

/* Keeps every valid UTF-8 sequence, reads every other byte as windows-1252,
 * and turns NUL and other C0 controls into spaces (libxml2 stops at them). */
static GString *repair_utf8(const char *data, size_t len, repairs_t *repairs)
{
    GString *out = g_string_sized_new(len + 16);
    const char *p = data;
    const char *end = data + len;
    while (p < end) {
        const char *valid_end;
        g_utf8_validate(p, end - p, &valid_end);
        /* The valid run in one copy, its controls blanked in place: a
         * byte at a time through g_string_append_c was ~30 instructions a
         * byte of every page. */
        size_t at = out->len, n = (size_t)(valid_end - p);
        g_string_append_len(out, p, (gssize)n);
        char *run = out->str + at;
        for (size_t i = 0; i < n; i++)
            if ((unsigned char)run[i] < 0x20 && run[i] != '\t' && run[i] != '\n' && run[i] != '\r')
                run[i] = ' ';
        p = valid_end;
        if (p < end) {
            unsigned char c = (unsigned char)*p++;
            if (c >= 0x80)
                repairs->not_utf8++;
            else if (c == 0)
                repairs->nul++;
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
                g_string_append_c(out, ' ');
            else
                g_string_append_unichar(out, cp1252_char(c));
        }
    }
    return out;
}

/* The charset named in the first bytes: <meta charset=x>, content="...;
 * charset=x", or <?xml encoding="x"?>. NULL when none. Caller frees. */
static char *declared_charset(const char *data, size_t len)
{
    size_t n = len < SNIFF_BYTES ? len : SNIFF_BYTES;
    static const char *const keys[] = {"charset=", "encoding="};
    for (size_t k = 0; k < 2; k++) {
        size_t key_len = strlen(keys[k]);
        for (size_t i = 0; i + key_len < n; i++) {
            if (strncasecmp(data + i, keys[k], key_len) != 0)
                continue;
            size_t j = i + key_len;
            while (j < n && (data[j] == '"' || data[j] == '\'' || data[j] == ' '))
                j++;
            size_t start = j;
            while (j < n && (isalnum((unsigned char)data[j]) || strchr("-_.:", data[j]) != NULL))
                j++;
            if (j > start && j - start < 40)
                return g_strndup(data + start, j - start);
        }
    }
    return NULL;
}

static int charset_is_utf8(const char *charset)
{
    return g_ascii_strcasecmp(charset, "utf-8") == 0 || g_ascii_strcasecmp(charset, "utf8") == 0;
}

static int has_high_bytes(const char *data, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)data[i] >= 0x80)
            return 1;
    return 0;
}

/*
 * The page as valid UTF-8. The declared charset is honoured, except when the
 * bytes cannot be in it (conversion fails) or when a single-byte charset is
 * declared over bytes that are valid multi-byte UTF-8: a page saved as UTF-8
 * with a stale <meta charset="iso-8859-1"> would otherwise read "geÃ¯nteresseerd".
 */
static GString *to_utf8_counting(const char *data, size_t len, repairs_t *repairs,
                                 const char **warning);

/* As to_utf8_counting; *nuls counts the NUL bytes read as spaces. */
static GString *to_utf8(const char *data, size_t len, const char **warning, size_t *nuls)
{
    repairs_t repairs = {0, 0};
    GString *out = to_utf8_counting(data, len, &repairs, warning);
    *nuls = repairs.nul;
    if (repairs.not_utf8 > 0 && *warning == NULL)
        *warning = "bytes that are not UTF-8 were read as windows-1252";
    return out;
}

/* The text in encoding (a g_convert name) as repaired UTF-8; NULL when it
 * does not convert (the caller reads the bytes another way). */
static GString *convert_to_utf8(const char *data, size_t len, const char *encoding,
                                repairs_t *repairs)
{
    gsize written = 0;
    char *converted = g_convert(data, (gssize)len, "UTF-8", encoding, NULL, &written, NULL);
    if (converted == NULL)
        return NULL;
    GString *out = repair_utf8(converted, written, repairs);
    g_free(converted);
    return out;
}

static GString *to_utf8_counting(const char *data, size_t len, repairs_t *repairs,
                                 const char **warning)
{
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        return repair_utf8(data + 3, len - 3, repairs);
    GString *out = NULL;
    if (len >= 2 && ((unsigned char)data[0] == 0xFF && (unsigned char)data[1] == 0xFE))
        out = convert_to_utf8(data + 2, len - 2, "UTF-16LE", repairs);
    else if (len >= 2 && ((unsigned char)data[0] == 0xFE && (unsigned char)data[1] == 0xFF))
        out = convert_to_utf8(data + 2, len - 2, "UTF-16BE", repairs);
    if (out != NULL)
        return out;
    char *charset = declared_charset(data, len);
    if (charset == NULL || charset_is_utf8(charset) ||
        (has_high_bytes(data, len) && g_utf8_validate(data, (gssize)len, NULL))) {
        if (charset != NULL && !charset_is_utf8(charset))
            *warning = "declared charset is wrong: the bytes are UTF-8";
        g_free(charset);
        return repair_utf8(data, len, repairs);
    }
    /* HTML5: "iso-8859-1" and "us-ascii" mean windows-1252. */
    const char *from = charset;
    if (g_ascii_strcasecmp(charset, "iso-8859-1") == 0 ||
        g_ascii_strcasecmp(charset, "latin1") == 0 ||
        g_ascii_strcasecmp(charset, "us-ascii") == 0 || g_ascii_strcasecmp(charset, "ascii") == 0)
        from = "WINDOWS-1252";
    out = convert_to_utf8(data, len, from, repairs);
    g_free(charset);
    if (out == NULL) {
        *warning = "bytes invalid in the declared charset were repaired";
        return repair_utf8(data, len, repairs);
    }
    return out;
}

/*
 * UTF-32 (with or without its byte order mark) and UTF-16 without one: the
 * encodings to_utf8 cannot see by a BOM or a declaration, whose NUL bytes
 * looks_binary would refuse. Without a BOM the page must open with '<' or
 * white space in that encoding (00 00 00 3C is "<" in UTF-32BE, 3C 00 00 00
 * in UTF-32LE, 00 3C and 3C 00 in UTF-16). The name for g_convert, the
 * BOM's length in *bom, or NULL. UTF-16 with a BOM is to_utf8's.
 */
static const char *wide_encoding(const char *data, size_t len, size_t *bom)
{
    const unsigned char *b = (const unsigned char *)data;
    *bom = 0;
    if (len < 4)
        return NULL;
    if (b[0] == 0xFF && b[1] == 0xFE && b[2] == 0 && b[3] == 0)
        return *bom = 4, "UTF-32LE";
    if (b[0] == 0 && b[1] == 0 && b[2] == 0xFE && b[3] == 0xFF)
        return *bom = 4, "UTF-32BE";
    if ((b[0] == 0xFF && b[1] == 0xFE) || (b[0] == 0xFE && b[1] == 0xFF))
        return NULL;
    static const char opening[] = "< \t\r\n";
    if (b[0] == 0 && b[1] == 0 && b[2] == 0 && b[3] != 0 && strchr(opening, b[3]) != NULL)
        return "UTF-32BE";
    if (b[0] != 0 && strchr(opening, b[0]) != NULL && b[1] == 0 && b[2] == 0 && b[3] == 0)
        return "UTF-32LE";
    if (b[0] == 0 && b[1] != 0 && strchr(opening, b[1]) != NULL && b[2] == 0 && b[3] != 0)
        return "UTF-16BE";
    if (b[0] != 0 && strchr(opening, b[0]) != NULL && b[1] == 0 && b[2] != 0 && b[3] == 0)
        return "UTF-16LE";
    return NULL;
}

/* EBCDIC's '<' and its white space (space, newline, line feed, return). */
static int ebcdic_opening(unsigned char byte)
{
    return byte == 0x4C || byte == 0x40 || byte == 0x15 || byte == 0x25 || byte == 0x0D;
}

/*
 * Whether the page is EBCDIC markup (a mainframe's export: no ASCII '<' in
 * its first kilobytes, and read as IBM500 they open with a tag), and if so
 * the charset it declares, when that charset is an EBCDIC one iconv knows
 * (it reads byte 4C as '<'); NULL when it declares none or another. Caller
 * g_frees. Cost: a scan of the first SNIFF_BYTES, only for a page that opens
 * with an EBCDIC '<' or space.
 */
static char *ebcdic_charset(const char *data, size_t len, int *is_ebcdic)
{
    size_t n = len < SNIFF_BYTES ? len : SNIFF_BYTES;
    *is_ebcdic = 0;
    if (n == 0 || !ebcdic_opening((unsigned char)data[0]) || memchr(data, '<', n) != NULL)
        return NULL;
    gsize written = 0;
    char *head = g_convert(data, (gssize)n, "UTF-8", "IBM500", NULL, &written, NULL);
    if (head == NULL)
        return NULL;
    char *lower = g_ascii_strdown(head, (gssize)written);
    *is_ebcdic = strstr(lower, "<html") != NULL || strstr(lower, "<!doctype") != NULL ||
                 strstr(lower, "<?xml") != NULL || strstr(lower, "<head") != NULL ||
                 strstr(lower, "<body") != NULL;
    char *declared = *is_ebcdic ? declared_charset(head, written) : NULL;
    g_free(lower);
    g_free(head);
    char *lt = declared != NULL ? g_convert("\x4C", 1, "UTF-8", declared, NULL, NULL, NULL) : NULL;
    int reads_ebcdic = lt != NULL && strcmp(lt, "<") == 0;
    g_free(lt);
    if (!reads_ebcdic) {
        g_free(declared);
        return NULL;
    }
    return declared;
}

/* The page in a charset found by its bytes, as valid UTF-8; NULL when the
 * bytes are not that charset. */
static GString *decode_found(const char *data, size_t len, const char *charset)
{
    gsize written = 0;
    char *converted = g_convert(data, (gssize)len, "UTF-8", charset, NULL, &written, NULL);
    if (converted == NULL)
        return NULL;
    repairs_t repairs = {0, 0}; /* decoded from a wide or EBCDIC charset: not reported */
    GString *out = repair_utf8(converted, written, &repairs);
    g_free(converted);
    return out;
}

/* Binary junk named .html: NUL bytes or many C0 controls in the first
 * kilobytes (a text page has none; UTF-16 was handled by its BOM). */
static int looks_binary(const char *data, size_t len)
{
    if (len >= 2 && (((unsigned char)data[0] == 0xFF && (unsigned char)data[1] == 0xFE) ||
                     ((unsigned char)data[0] == 0xFE && (unsigned char)data[1] == 0xFF)))
        return 0;
    size_t n = len < SNIFF_BYTES ? len : SNIFF_BYTES;
    size_t nul = 0, control = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)data[i];
        if (c == 0)
            nul++;
        else if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') || c == 0x7F)
            control++;
    }
    return nul >= 4 || (nul + control) * 20 > n;
}

/* ======================================================================
 * Tree helpers
 * ====================================================================== */

static int is_element(xmlNodePtr node, const char *name)
{
    /* The first letters first (equal in any case, or the names differ): most
     * calls are the 24 of is_dropped_element for every element of a page. */
    return node != NULL && node->type == XML_ELEMENT_NODE && node->name != NULL &&
           (node->name[0] | 0x20) == (name[0] | 0x20) &&
           g_ascii_strcasecmp((const char *)node->name, name) == 0;
}

/* The attribute's value as stored in the tree (not a copy), or NULL. */
static const char *attribute(xmlNodePtr node, const char *name)
{
    if (node == NULL || node->type != XML_ELEMENT_NODE)
        return NULL;
    for (xmlAttrPtr attr = node->properties; attr != NULL; attr = attr->next) {
        if (attr->name == NULL || (attr->name[0] | 0x20) != (name[0] | 0x20) ||
            g_ascii_strcasecmp((const char *)attr->name, name) != 0)
            continue;
        if (attr->children != NULL && attr->children->type == XML_TEXT_NODE &&
            attr->children->content != NULL)
            return (const char *)attr->children->content;
        return "";
    }
    return NULL;
}

/* Whether the space-separated list has the token (case-insensitive). */
static int has_token(const char *list, const char *token)
{
    if (list == NULL)
        return 0;
    size_t token_len = strlen(token);
    const char *p = list;
    while (*p != '\0') {
        while (*p != '\0' && isspace((unsigned char)*p))
            p++;
        const char *start = p;
        while (*p != '\0' && !isspace((unsigned char)*p))
            p++;
        if ((size_t)(p - start) == token_len && g_ascii_strncasecmp(start, token, token_len) == 0)
            return 1;
    }
    return 0;
}

/* Whether any token of the list contains one of the fragments. */
static int tokens_contain(const char *list, const char *const *fragments)
{
    if (list == NULL || *list == '\0')
        return 0;
    char *lower = g_ascii_strdown(list, -1);
    int found = 0;
    for (size_t i = 0; fragments[i] != NULL && !found; i++)
        found = strstr(lower, fragments[i]) != NULL;
    g_free(lower);
    return found;
}

/* Next node in document order within root; descend = enter node's children. */
static xmlNodePtr next_in_tree(xmlNodePtr node, xmlNodePtr root, int descend)
{
    if (descend && node->children != NULL)
        return node->children;
    while (node != NULL && node != root) {
        if (node->next != NULL)
            return node->next;
        node = node->parent;
    }
    return NULL;
}

/* Elements whose whole subtree is never content. */
static int is_dropped_element(xmlNodePtr node)
{
    static const char *const names[] = {
        "nav",      "header",   "footer", "aside",  "form",   "script", "style",
        "noscript", "template", "svg",    "iframe", "button", "select", "textarea",
        "input",    "object",   "embed",  "canvas", "head",   "title",  "meta",
        "link",     "dialog",   "math",   NULL,
    };
    for (size_t i = 0; names[i] != NULL; i++)
        if (is_element(node, names[i]))
            return 1;
    return 0;
}

/* Class/id fragments of page chrome. Each was seen on real pages: the
 * theme's "comments-area" ("Praat mee!", "Het e-mailadres wordt niet
 * gepubliceerd"), "widget_nieuwsbrief" with the honeypot in
 * "gform_validation_container", "breadcrumbs", cookie banners. */
static const char *const chrome_fragments[] = {
    "cookie",      "consent",       "gdpr",       "sidebar",         "widget",
    "nieuwsbrief", "newsletter",    "comment",    "respond",         "share",
    "social",      "breadcrumb",    "kruimelpad", "related",         "gerelateerd",
    "skip-link",   "screen-reader", "sr-only",    "visually-hidden", "gform_validation",
    "honeypot",    "nav-links",     "pagination", "paginering",      "post-taxonomies",
    "entry-meta",  "entry-footer",  "tags-links", "cat-links",       "advert",
    NULL,
};

/* Whether the element and its subtree are not text: chrome by element or
 * role, hidden, or marked data-vind-ignore. No guess from class names. */
static int is_not_text(xmlNodePtr node)
{
    if (node->type != XML_ELEMENT_NODE)
        return 0;
    if (is_dropped_element(node) || attribute(node, "data-vind-ignore") != NULL)
        return 1;
    if (attribute(node, "hidden") != NULL)
        return 1;
    const char *aria_hidden = attribute(node, "aria-hidden");
    if (aria_hidden != NULL && g_ascii_strcasecmp(aria_hidden, "true") == 0)
        return 1;
    const char *style = attribute(node, "style");
    if (style != NULL) {
        char *compact = g_ascii_strdown(style, -1);
        char *w = compact;
        for (char *r = compact; *r != '\0'; r++)
            if (!isspace((unsigned char)*r))
                *w++ = *r;
        *w = '\0';
        int hidden =
            strstr(compact, "display:none") != NULL || strstr(compact, "visibility:hidden") != NULL;
        g_free(compact);
        if (hidden)
            return 1;
    }
    const char *role = attribute(node, "role");
    if (role != NULL && (has_token(role, "navigation") || has_token(role, "banner") ||
                         has_token(role, "contentinfo") || has_token(role, "complementary") ||
                         has_token(role, "search") || has_token(role, "dialog")))
        return 1;
    return 0;
}

/* Whether the element and its subtree are chrome, hidden or not text. */
static int is_removed(xmlNodePtr node)
{
    return is_not_text(node) ||
           (node->type == XML_ELEMENT_NODE &&
            (tokens_contain(attribute(node, "class"), chrome_fragments) ||
             tokens_contain(attribute(node, "id"), chrome_fragments)));
}

/* Whether a link sits in a sidebar, menu or widget (its tags are not the
 * page's: "Deelnemende organisaties" links to tag pages too). */
static int in_chrome_container(xmlNodePtr node)
{
    static const char *const fragments[] = {"sidebar", "widget", "menu", NULL};
    for (xmlNodePtr p = node->parent; p != NULL && p->type == XML_ELEMENT_NODE; p = p->parent) {
        if (is_element(p, "aside") || is_element(p, "nav"))
            return 1;
        if (tokens_contain(attribute(p, "class"), fragments) ||
            tokens_contain(attribute(p, "id"), fragments))
            return 1;
    }
    return 0;
}

/* ======================================================================
 * Text
 * ====================================================================== */

typedef struct {
    GString *text;
    int pending_space;
    int pending_breaks; /* 1: "\n", 2: "\n\n" */
    int in_pre;
} text_builder_t;

static void flush_pending(text_builder_t *builder)
{
    if (builder->text->len > 0) {
        if (builder->pending_breaks >= 2)
            g_string_append(builder->text, "\n\n");
        else if (builder->pending_breaks == 1)
            g_string_append_c(builder->text, '\n');
        else if (builder->pending_space)
            g_string_append_c(builder->text, ' ');
    }
    builder->pending_space = 0;
    builder->pending_breaks = 0;
}

static void request_break(text_builder_t *builder, int breaks)
{
    if (builder->pending_breaks < breaks)
        builder->pending_breaks = breaks;
}

/* Appends a text node: whitespace runs (also NO-BREAK SPACE) become one
 * space; in <pre> line breaks are kept. */
static void append_text(text_builder_t *builder, const char *text)
{
    for (const char *p = text; *p != '\0';) {
        /* A run of bytes above space but 0xC2 (the lead byte of NO-BREAK
         * SPACE and the other U+0080-U+00BF) is whole characters that are no
         * space: copied at once, not a character at a time. */
        if ((unsigned char)*p > 0x20 && (unsigned char)*p != 0xC2) {
            const char *run = p;
            while ((unsigned char)*p > 0x20 && (unsigned char)*p != 0xC2)
                p++;
            flush_pending(builder);
            g_string_append_len(builder->text, run, p - run);
            continue;
        }
        gunichar c = g_utf8_get_char(p);
        const char *next = g_utf8_next_char(p);
        if (builder->in_pre && c == '\n') {
            request_break(builder, 1);
        } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0xA0 ||
                   c < 0x20) {
            builder->pending_space = 1;
        } else {
            flush_pending(builder);
            g_string_append_len(builder->text, p, next - p);
        }
        p = next;
    }
}

/* Paragraph breaks ("\n\n") for blocks, one newline for items and rows. */
static int breaks_for(xmlNodePtr node)
{
    static const char *const paragraph[] = {
        "p",       "div",     "h1",     "h2",         "h3",    "h4",         "h5",
        "h6",      "ul",      "ol",     "dl",         "table", "blockquote", "pre",
        "section", "article", "figure", "figcaption", "hr",    "address",    "details",
        "summary", "main",    "center", "fieldset",   "body",  "caption",    NULL,
    };
    static const char *const line[] = {"li", "dt", "dd", "tr", "br", "option", NULL};
    for (size_t i = 0; paragraph[i] != NULL; i++)
        if (is_element(node, paragraph[i]))
            return 2;
    for (size_t i = 0; line[i] != NULL; i++)
        if (is_element(node, line[i]))
            return 1;
    return 0;
}

static void open_element(text_builder_t *builder, xmlNodePtr node)
{
    int breaks = breaks_for(node);
    if (breaks > 0)
        request_break(builder, breaks);
    else if (is_element(node, "td") || is_element(node, "th"))
        builder->pending_space = 1;
    if (is_element(node, "pre"))
        builder->in_pre++;
}

static void close_element(text_builder_t *builder, xmlNodePtr node)
{
    int breaks = breaks_for(node);
    if (breaks > 0 && !is_element(node, "br"))
        request_break(builder, breaks);
    else if (is_element(node, "td") || is_element(node, "th"))
        builder->pending_space = 1;
    if (is_element(node, "pre") && builder->in_pre > 0)
        builder->in_pre--;
}

/* The visible text under root (root itself is never judged as chrome: a
 * configured content_xpath may point at anything). marked: root is a
 * data-vind-body, whose author said what is content: class names ("share",
 * "related", ...) are not taken for chrome there. Iterative. */
static void collect_text(xmlNodePtr root, text_builder_t *builder, int marked)
{
    xmlNodePtr node = root->children;
    while (node != NULL) {
        int descend = 0;
        if (node->type == XML_ELEMENT_NODE) {
            if (!(marked ? is_not_text(node) : is_removed(node))) {
                open_element(builder, node);
                if (node->children != NULL)
                    descend = 1;
                else
                    close_element(builder, node);
            }
        } else if ((node->type == XML_TEXT_NODE || node->type == XML_CDATA_SECTION_NODE) &&
                   node->content != NULL) {
            append_text(builder, (const char *)node->content);
        }
        if (descend) {
            node = node->children;
            continue;
        }
        while (node != NULL && node->next == NULL) {
            node = node->parent;
            if (node == NULL || node == root)
                return;
            close_element(builder, node);
        }
        node = node != NULL ? node->next : NULL;
    }
}

static char *text_of(xmlNodePtr root)
{
    text_builder_t builder = {g_string_new(NULL), 0, 0, 0};
    collect_text(root, &builder, 0);
    return g_string_free(builder.text, FALSE);
}

/* All text under node, whitespace collapsed, chrome included (for labels
 * and titles). Caller g_free()s. */
static char *plain_text_of(xmlNodePtr root)
{
    text_builder_t builder = {g_string_new(NULL), 0, 0, 0};
    xmlNodePtr node = root;
    if (root->type == XML_TEXT_NODE && root->content != NULL)
        append_text(&builder, (const char *)root->content);
    while ((node = next_in_tree(node, root, 1)) != NULL)
        if ((node->type == XML_TEXT_NODE || node->type == XML_CDATA_SECTION_NODE) && node->content)
            append_text(&builder, (const char *)node->content);
    return g_string_free(builder.text, FALSE);
}

/* Collapses whitespace (NO-BREAK SPACE included) and trims. Caller g_free()s. */
static char *collapse(const char *value)
{
    text_builder_t builder = {g_string_new(NULL), 0, 0, 0};
    append_text(&builder, value);
    return g_string_free(builder.text, FALSE);
}

/* ======================================================================
 * Finding elements
 *
 * Every look-up of the heuristics below ("//meta[@name='x']", "//article",
 * ".//a[@href]" under the region, ...) is a scan of the page's elements,
 * listed once in document order, with a C test that answers as the XPath
 * expression written in its comment. Why not XPath: each evaluation walked
 * the whole tree and built a node set; the ~40 of a page were two thirds of
 * an HTML extraction's instructions. Cost now: one walk to list the
 * elements, then per look-up a pass over an array of pointers, no
 * allocation. XPath is left for the expressions a site configures.
 *
 * The tests compare names and attribute values exactly, as XPath does;
 * libxml2's HTML parser lowercases element and attribute names.
 * ====================================================================== */

typedef struct {
    xmlDocPtr doc;
    xmlXPathContextPtr xpath; /* only for configured expressions; made on first use */
    xmlNodePtr *elements;     /* every element in document order (owned) */
    size_t n_elements;
    int is_marked; /* some element has a data-vind-* attribute */
    const vind_extract_options_t *opts;
    const char *path;
    json_t *jsonld_root; /* owns */
    json_t *article_ld;  /* borrowed from jsonld_root: the Article object */
    xmlNodePtr content;  /* the main content element */
    xmlNodePtr region;   /* the article (or main) around it: metadata links */
    int is_article;
    int marked_type;     /* data-vind-type: MARKED_NONE, _ARTICLE, _PAGE, _LISTING */
} page_t;

enum { MARKED_NONE, MARKED_ARTICLE, MARKED_PAGE, MARKED_LISTING };

/* Evaluates a configured XPath expression; NULL when it fails or finds nothing. */
static xmlXPathObjectPtr find_nodes(page_t *page, const char *expression)
{
    if (page->xpath == NULL)
        page->xpath = xmlXPathNewContext(page->doc);
    if (page->xpath == NULL)
        return NULL;
    page->xpath->node = (xmlNodePtr)page->doc;
    xmlXPathObjectPtr result = xmlXPathEvalExpression((const xmlChar *)expression, page->xpath);
    if (result == NULL)
        return NULL;
    if (result->type != XPATH_NODESET || result->nodesetval == NULL ||
        result->nodesetval->nodeNr == 0) {
        xmlXPathFreeObject(result);
        return NULL;
    }
    return result;
}

static xmlNodePtr find_first(page_t *page, const char *expression)
{
    xmlXPathObjectPtr result = find_nodes(page, expression);
    if (result == NULL)
        return NULL;
    xmlNodePtr node = result->nodesetval->nodeTab[0];
    xmlXPathFreeObject(result);
    return node;
}

/* Lists the page's elements in document order (XPath's descendant axis of
 * the document node). */
static void list_elements(page_t *page)
{
    GPtrArray *elements = g_ptr_array_new();
    xmlNodePtr root = (xmlNodePtr)page->doc;
    xmlNodePtr node = root;
    while ((node = next_in_tree(node, root, node == root || node->type != XML_DTD_NODE)) != NULL) {
        if (node->type != XML_ELEMENT_NODE)
            continue;
        g_ptr_array_add(elements, node);
        for (xmlAttrPtr attr = node->properties; attr != NULL && !page->is_marked;
             attr = attr->next)
            page->is_marked = attr->name != NULL &&
                              g_ascii_strncasecmp((const char *)attr->name, "data-vind-", 10) == 0;
    }
    page->n_elements = elements->len;
    page->elements = (xmlNodePtr *)g_ptr_array_free(elements, FALSE);
}

/* A test of one element; arg is the test's own (a name, a token, ...). */
typedef int (*element_test_t)(xmlNodePtr node, const void *arg);

/* A scan over the elements below within (its descendants, not itself), or
 * over the whole page when within is NULL, in document order. */
typedef struct {
    const page_t *page;
    xmlNodePtr within;
    xmlNodePtr at;
    size_t index;
} scan_t;

static scan_t scan_of(const page_t *page, xmlNodePtr within)
{
    scan_t scan = {page, within, within, 0};
    return scan;
}

/* The next element that passes test (NULL: every element), or NULL. */
static xmlNodePtr scan_next(scan_t *scan, element_test_t test, const void *arg)
{
    for (;;) {
        xmlNodePtr node;
        if (scan->within == NULL) {
            if (scan->index >= scan->page->n_elements)
                return NULL;
            node = scan->page->elements[scan->index++];
        } else {
            scan->at = next_in_tree(scan->at, scan->within, 1);
            if (scan->at == NULL)
                return NULL;
            node = scan->at;
            if (node->type != XML_ELEMENT_NODE)
                continue;
        }
        if (test == NULL || test(node, arg))
            return node;
    }
}

static xmlNodePtr first_element(const page_t *page, xmlNodePtr within, element_test_t test,
                                const void *arg)
{
    scan_t scan = scan_of(page, within);
    return scan_next(&scan, test, arg);
}

static size_t count_elements(const page_t *page, element_test_t test, const void *arg)
{
    scan_t scan = scan_of(page, NULL);
    size_t count = 0;
    while (scan_next(&scan, test, arg) != NULL)
        count++;
    return count;
}

/* XPath's name test "x": an element named x without a namespace. */
static int named(xmlNodePtr node, const void *name)
{
    return node->ns == NULL && node->name != NULL &&
           strcmp((const char *)node->name, (const char *)name) == 0;
}

/* "[@name]" */
static int has_attribute(xmlNodePtr node, const void *name)
{
    return attribute(node, name) != NULL;
}

/* "[@name='value']" */
static int attribute_is(xmlNodePtr node, const char *name, const char *value)
{
    const char *actual = attribute(node, name);
    return actual != NULL && strcmp(actual, value) == 0;
}

/* "[contains(concat(' ', normalize-space(@name), ' '), ' token ')]": the
 * attribute's list, split at XPath's white space, holds token exactly. */
static int attribute_has_token(xmlNodePtr node, const char *name, const char *token)
{
    const char *list = attribute(node, name);
    if (list == NULL)
        return 0;
    size_t token_len = strlen(token);
    for (const char *p = list; *p != '\0';) {
        while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
            p++;
        const char *start = p;
        while (*p != '\0' && *p != ' ' && *p != '\t' && *p != '\r' && *p != '\n')
            p++;
        if ((size_t)(p - start) == token_len && memcmp(start, token, token_len) == 0)
            return 1;
    }
    return 0;
}

/* CLASS_IS(token), "contains(concat(' ', normalize-space(@class), ' '), ' token ')" */
static int has_class(xmlNodePtr node, const void *token)
{
    return attribute_has_token(node, "class", token);
}

/* "ancestor::name": an element ancestor named name. */
static int has_ancestor_named(xmlNodePtr node, const char *name)
{
    for (xmlNodePtr p = node->parent; p != NULL; p = p->parent)
        if (p->type == XML_ELEMENT_NODE && named(p, name))
            return 1;
    return 0;
}

/* The text value of a node from an XPath: attribute value or element text. */
static char *node_value(xmlNodePtr node)
{
    if (node->type == XML_ATTRIBUTE_NODE) {
        xmlChar *value = xmlNodeGetContent(node);
        char *copy = collapse(value != NULL ? (const char *)value : "");
        xmlFree(value);
        return copy;
    }
    return plain_text_of(node);
}

/* "//meta[@property=key or @name=key or @itemprop=key][@content]" */
static int is_meta_of(xmlNodePtr node, const void *key)
{
    return named(node, "meta") &&
           (attribute_is(node, "property", key) || attribute_is(node, "name", key) ||
            attribute_is(node, "itemprop", key)) &&
           attribute(node, "content") != NULL;
}

/* <meta property|name|itemprop=key content=...>: the first value that is
 * not blank, or NULL. g_free. */
static char *meta_content(page_t *page, const char *key)
{
    scan_t scan = scan_of(page, NULL);
    xmlNodePtr meta;
    while ((meta = scan_next(&scan, is_meta_of, key)) != NULL) {
        char *value = collapse(attribute(meta, "content"));
        if (*value != '\0')
            return value;
        g_free(value);
    }
    return NULL;
}

/* ======================================================================
 * JSON-LD
 * ====================================================================== */

static int type_is_article(json_t *type)
{
    static const char *const types[] = {
        "Article",          "NewsArticle",        "BlogPosting",         "Report", "TechArticle",
        "ScholarlyArticle", "OpinionNewsArticle", "AnalysisNewsArticle", NULL};
    if (json_is_array(type)) {
        size_t index;
        json_t *item;
        json_array_foreach(type, index, item) if (type_is_article(item)) return 1;
        return 0;
    }
    if (!json_is_string(type))
        return 0;
    for (size_t i = 0; types[i] != NULL; i++)
        if (strcmp(json_string_value(type), types[i]) == 0)
            return 1;
    return 0;
}

/* The Article object in a JSON-LD value (object, array, or @graph). */
static json_t *find_article_ld(json_t *value, int depth)
{
    if (value == NULL || depth > 4)
        return NULL;
    if (json_is_array(value)) {
        size_t index;
        json_t *item;
        json_array_foreach(value, index, item)
        {
            json_t *found = find_article_ld(item, depth + 1);
            if (found != NULL)
                return found;
        }
        return NULL;
    }
    if (!json_is_object(value))
        return NULL;
    if (type_is_article(json_object_get(value, "@type")))
        return value;
    return find_article_ld(json_object_get(value, "@graph"), depth + 1);
}

/* "//script[@type='application/ld+json']" */
static int is_jsonld_script(xmlNodePtr node, const void *unused)
{
    (void)unused;
    return named(node, "script") && attribute_is(node, "type", "application/ld+json");
}

static void load_jsonld(page_t *page)
{
    scan_t scan = scan_of(page, NULL);
    xmlNodePtr script = scan_next(&scan, is_jsonld_script, NULL);
    if (script == NULL)
        return;
    json_t *all = json_array();
    for (; script != NULL; script = scan_next(&scan, is_jsonld_script, NULL)) {
        xmlChar *text = xmlNodeGetContent(script);
        if (text == NULL)
            continue;
        json_t *value = json_loads((const char *)text, 0, NULL);
        xmlFree(text);
        if (value != NULL)
            json_array_append_new(all, value);
    }
    page->jsonld_root = all;
    page->article_ld = find_article_ld(all, 0);
}

/* A JSON-LD field as one string: a string, {name}, or a list joined by ", ". */
static char *ld_string(json_t *value)
{
    if (json_is_string(value))
        return collapse(json_string_value(value));
    if (json_is_object(value))
        return ld_string(json_object_get(value, "name"));
    if (!json_is_array(value))
        return NULL;
    GString *joined = g_string_new(NULL);
    size_t index;
    json_t *item;
    json_array_foreach(value, index, item)
    {
        char *part = ld_string(item);
        if (part != NULL && *part != '\0') {
            if (joined->len > 0)
                g_string_append(joined, ", ");
            g_string_append(joined, part);
        }
        g_free(part);
    }
    if (joined->len == 0) {
        g_string_free(joined, TRUE);
        return NULL;
    }
    return g_string_free(joined, FALSE);
}

/* Appends a JSON-LD list (array of strings, or "a, b" string) to an array. */
static vind_status_t append_ld_list(json_t *value, char ***array, size_t *count)
{
    if (json_is_string(value)) {
        char **parts = g_strsplit(json_string_value(value), ",", -1);
        vind_status_t status = VIND_OK;
        for (size_t i = 0; parts[i] != NULL && status == VIND_OK; i++) {
            char *item = collapse(parts[i]);
            if (*item != '\0')
                status = vind_doc_append(array, count, item, 0);
            g_free(item);
        }
        g_strfreev(parts);
        return status;
    }
    if (!json_is_array(value))
        return VIND_OK;
    size_t index;
    json_t *item;
    json_array_foreach(value, index, item)
    {
        char *text = ld_string(item);
        vind_status_t status = VIND_OK;
        if (text != NULL && *text != '\0')
            status = vind_doc_append(array, count, text, 0);
        g_free(text);
        if (status != VIND_OK)
            return status;
    }
    return VIND_OK;
}

/* ======================================================================
 * Content
 * ====================================================================== */

static size_t text_length(xmlNodePtr root)
{
    size_t length = 0;
    xmlNodePtr node = root;
    while ((node = next_in_tree(node, root, node == root || !is_removed(node))) != NULL)
        if (node->type == XML_TEXT_NODE && node->content != NULL)
            for (const xmlChar *c = node->content; *c; c++)
                length += !isspace(*c);
    return length;
}

static int has_removed_ancestor(xmlNodePtr node)
{
    for (xmlNodePtr p = node->parent; p != NULL && p->type == XML_ELEMENT_NODE; p = p->parent)
        if (is_removed(p))
            return 1;
    return 0;
}

/* Readability's idea, kept small: every paragraph scores its text length for
 * its parent and half for its grandparent; the best-scoring element holds
 * the article. Used when no known container matched. */
/* "//p|//pre|//td|//blockquote" */
static int is_paragraph(xmlNodePtr node, const void *unused)
{
    (void)unused;
    return named(node, "p") || named(node, "pre") || named(node, "td") || named(node, "blockquote");
}

static xmlNodePtr densest_element(page_t *page)
{
    scan_t scan = scan_of(page, NULL);
    xmlNodePtr paragraph = scan_next(&scan, is_paragraph, NULL);
    if (paragraph == NULL)
        return NULL;
    GHashTable *scores = g_hash_table_new(g_direct_hash, g_direct_equal);
    xmlNodePtr best = NULL;
    size_t best_score = 0;
    for (; paragraph != NULL; paragraph = scan_next(&scan, is_paragraph, NULL)) {
        if (has_removed_ancestor(paragraph) || is_removed(paragraph))
            continue;
        size_t length = text_length(paragraph);
        if (length < 20)
            continue;
        xmlNodePtr parents[2] = {paragraph->parent,
                                 paragraph->parent ? paragraph->parent->parent : NULL};
        for (int level = 0; level < 2; level++) {
            xmlNodePtr parent = parents[level];
            if (parent == NULL || parent->type != XML_ELEMENT_NODE)
                continue;
            size_t score = GPOINTER_TO_SIZE(g_hash_table_lookup(scores, parent)) +
                           (level == 0 ? length : length / 2);
            g_hash_table_insert(scores, parent, GSIZE_TO_POINTER(score));
            if (score > best_score) {
                best_score = score;
                best = parent;
            }
        }
    }
    g_hash_table_destroy(scores);
    return best;
}

/* "descendant::*[@name='value']", arg {name, value} */
static int has_attribute_value(xmlNodePtr node, const void *arg)
{
    const char *const *pair = arg;
    return attribute_is(node, pair[0], pair[1]);
}

/* "//main//article" */
static int is_article_in_main(xmlNodePtr node, const void *unused)
{
    (void)unused;
    return named(node, "article") && has_ancestor_named(node, "main");
}

/* Where the content is, by what sites call it, most certain first: the
 * first element that passes the test of the first candidate that finds one. */
typedef struct {
    element_test_t test;
    const void *arg;
    int is_article; /* several found: a listing, and this candidate fails */
} candidate_t;

static xmlNodePtr choose_content(page_t *page)
{
    if (page->opts != NULL && page->opts->content_xpath != NULL) {
        xmlNodePtr configured = find_first(page, page->opts->content_xpath);
        if (configured != NULL && configured->type == XML_ELEMENT_NODE)
            return configured;
    }
    static const char *const item_prop[] = {"itemprop", "articleBody"};
    static const char *const role_main[] = {"role", "main"};
    static const char *const id_content[] = {"id", "content"};
    static const char *const id_main[] = {"id", "main"};
    static const candidate_t candidates[] = {
        {has_attribute_value, item_prop, 0}, /* descendant::*[@itemprop='articleBody'] */
        {has_class, "entry-content", 0},     /* descendant::*[CLASS_IS("entry-content")] ... */
        {has_class, "post-content", 0},
        {has_class, "article-content", 0},
        {has_class, "article-body", 0},
        {has_class, "post-body", 0},
        {has_class, "node__content", 0},
        {is_article_in_main, NULL, 1},        /* //main//article */
        {named, "article", 1},                /* //article */
        {named, "main", 0},                   /* //main */
        {has_attribute_value, role_main, 0},  /* descendant::*[@role='main'] */
        {has_attribute_value, id_content, 0}, /* descendant::*[@id='content'] */
        {has_attribute_value, id_main, 0},    /* descendant::*[@id='main'] */
        {has_class, "content", 0},            /* descendant::*[CLASS_IS("content")] */
    };
    for (size_t i = 0; i < G_N_ELEMENTS(candidates); i++) {
        scan_t scan = scan_of(page, NULL);
        xmlNodePtr node = scan_next(&scan, candidates[i].test, candidates[i].arg);
        if (node == NULL)
            continue;
        /* Several articles: a listing; one of them is not "the" content. */
        if (candidates[i].is_article && scan_next(&scan, candidates[i].test, candidates[i].arg))
            continue;
        if (has_removed_ancestor(node) || text_length(node) == 0)
            continue;
        return node;
    }
    xmlNodePtr dense = densest_element(page);
    if (dense != NULL)
        return dense;
    return first_element(page, NULL, named, "body");
}

/* The <article> (else <main>) around the content: where the page's own tag
 * and theme links and its PDF link live (outside .entry-content). */
static xmlNodePtr choose_region(page_t *page)
{
    for (xmlNodePtr p = page->content; p != NULL && p->type == XML_ELEMENT_NODE; p = p->parent)
        if (is_element(p, "article"))
            return p;
    for (xmlNodePtr p = page->content; p != NULL && p->type == XML_ELEMENT_NODE; p = p->parent)
        if (is_element(p, "main") ||
            (attribute(p, "role") && has_token(attribute(p, "role"), "main")))
            return p;
    return page->content;
}

/* ======================================================================
 * Metadata
 * ====================================================================== */

static vind_status_t set_field(char **field, char *value)
{
    if (value == NULL || *value == '\0' || *field != NULL) {
        g_free(value);
        return VIND_OK;
    }
    *field = strdup(value);
    g_free(value);
    return *field != NULL ? VIND_OK : VIND_NOMEM;
}

/* ======================================================================
 * data-vind-* attributes: the site says what a page holds (docs/indexing.md)
 *
 * For sites that look like neither WordPress nor Hugo, as Pagefind's
 * data-pagefind-*: data-vind-body (the content; several allowed),
 * data-vind-ignore (not content), data-vind-title, data-vind-date,
 * data-vind-tag and data-vind-theme (several allowed), data-vind-type
 * ("article", "page", "listing"). What they mark wins over every guess.
 * Cost: one scan of the page's elements per attribute (six per page), as
 * each of the guesses costs; none on a page without any data-vind-*
 * attribute (list_elements notes whether there is one).
 * ====================================================================== */

/* What a marked element gives: the attribute's own value when not empty,
 * else a <meta>'s content or a <time>'s datetime, else its text. g_free. */
static char *marked_value(xmlNodePtr node, const char *name)
{
    const char *value = attribute(node, name);
    if (value == NULL || *value == '\0')
        value = attribute(node, "content");
    if (value == NULL || *value == '\0')
        value = attribute(node, "datetime");
    return value != NULL && *value != '\0' ? collapse(value) : plain_text_of(node);
}

/* The non-empty values of every element with the attribute, in document
 * order: a g_strv (g_strfreev), NULL when there is none. */
static char **marked_values(page_t *page, const char *name)
{
    if (!page->is_marked)
        return NULL;
    scan_t scan = scan_of(page, NULL);
    xmlNodePtr node = scan_next(&scan, has_attribute, name); /* descendant::*[@name] */
    if (node == NULL)
        return NULL;
    GPtrArray *values = g_ptr_array_new();
    for (; node != NULL; node = scan_next(&scan, has_attribute, name)) {
        char *value = marked_value(node, name);
        if (*value != '\0')
            g_ptr_array_add(values, value);
        else
            g_free(value);
    }
    if (values->len == 0) {
        g_ptr_array_free(values, TRUE);
        return NULL;
    }
    g_ptr_array_add(values, NULL);
    return (char **)g_ptr_array_free(values, FALSE);
}

/* Appends every marked value to a tag or theme list. */
static vind_status_t append_marked(page_t *page, const char *name, char ***array, size_t *count)
{
    char **values = marked_values(page, name);
    vind_status_t status = VIND_OK;
    for (size_t i = 0; values != NULL && values[i] != NULL && status == VIND_OK; i++)
        status = vind_doc_append(array, count, values[i], 0);
    g_strfreev(values);
    return status;
}

/* The first marked value, or NULL (a title). g_free. */
static char *first_marked(page_t *page, const char *name)
{
    char **values = marked_values(page, name);
    char *first = values != NULL ? g_strdup(values[0]) : NULL;
    g_strfreev(values);
    return first;
}

/* data-vind-type="article" | "page" | "listing" (any case); MARKED_NONE otherwise. */
static int marked_type(page_t *page)
{
    static const char *const names[] = {"article", "page", "listing"};
    static const int types[] = {MARKED_ARTICLE, MARKED_PAGE, MARKED_LISTING};
    char *value = first_marked(page, "data-vind-type");
    int type = MARKED_NONE;
    for (size_t i = 0; value != NULL && i < G_N_ELEMENTS(names); i++)
        if (g_ascii_strcasecmp(value, names[i]) == 0)
            type = types[i];
    g_free(value);
    return type;
}

/* "[spotlight] – Radicale vernieuwing" -> "[spotlight]": strips the site name
 * after the last " – ", " — ", " | ", " - " or " · " when it is the configured
 * site name or og:site_name, or, with neither known, when a prefix remains. */
static char *strip_site_suffix(char *title, const char *site_name)
{
    static const char *const separators[] = {" \xE2\x80\x93 ", " \xE2\x80\x94 ", " | ", " - ",
                                             " \xC2\xB7 ",     " :: ",           NULL};
    char *best = NULL;
    size_t best_separator = 0;
    for (size_t i = 0; separators[i] != NULL; i++) {
        const char *found = NULL;
        for (const char *p = strstr(title, separators[i]); p != NULL;
             p = strstr(p + 1, separators[i]))
            found = p;
        if (found != NULL && (best == NULL || found > best)) {
            best = (char *)found;
            best_separator = strlen(separators[i]);
        }
    }
    if (best == NULL || best == title)
        return title;
    const char *suffix = best + best_separator;
    if (site_name != NULL && *site_name != '\0') {
        if (strcmp(suffix, site_name) != 0)
            return title;
    }
    *best = '\0';
    return title;
}

static vind_status_t find_title(page_t *page, vind_doc_t *doc)
{
    if (set_field(&doc->title, first_marked(page, "data-vind-title")) != VIND_OK)
        return VIND_NOMEM;
    if (page->opts != NULL && page->opts->title_xpath != NULL) {
        xmlNodePtr node = find_first(page, page->opts->title_xpath);
        if (node != NULL && set_field(&doc->title, node_value(node)) != VIND_OK)
            return VIND_NOMEM;
    }
    if (set_field(&doc->title, meta_content(page, "og:title")) != VIND_OK)
        return VIND_NOMEM;
    if (doc->title == NULL && page->region != NULL) {
        xmlNodePtr h1 = first_element(page, page->region, named, "h1");
        if (h1 != NULL && set_field(&doc->title, plain_text_of(h1)) != VIND_OK)
            return VIND_NOMEM;
    }
    if (doc->title == NULL && page->article_ld != NULL &&
        set_field(&doc->title, ld_string(json_object_get(page->article_ld, "headline"))) != VIND_OK)
        return VIND_NOMEM;
    if (doc->title == NULL) {
        xmlNodePtr title = first_element(page, NULL, named, "title");
        if (title != NULL) {
            char *site_name = NULL;
            const char *name = page->opts != NULL ? page->opts->site_name : NULL;
            if (name == NULL)
                name = site_name = meta_content(page, "og:site_name");
            char *text = strip_site_suffix(plain_text_of(title), name);
            g_free(site_name);
            if (set_field(&doc->title, text) != VIND_OK)
                return VIND_NOMEM;
        }
    }
    if (doc->title == NULL) {
        xmlNodePtr h1 = first_element(page, NULL, named, "h1");
        if (h1 != NULL && set_field(&doc->title, plain_text_of(h1)) != VIND_OK)
            return VIND_NOMEM;
    }
    return VIND_OK;
}

static vind_status_t set_date(vind_doc_t *doc, char *text)
{
    char date[11];
    int found = text != NULL && vind_parse_date(text, date);
    g_free(text);
    if (!found || doc->date != NULL)
        return VIND_OK;
    doc->date = strdup(date);
    return doc->date != NULL ? VIND_OK : VIND_NOMEM;
}

/* "descendant::*[contains(text(), phrase)]": the element's first text child (the
 * string value of the node set text()) holds the phrase. */
static int first_text_has(xmlNodePtr node, const void *phrase)
{
    for (xmlNodePtr child = node->children; child != NULL; child = child->next)
        if (child->type == XML_TEXT_NODE || child->type == XML_CDATA_SECTION_NODE)
            return child->content != NULL &&
                   strstr((const char *)child->content, (const char *)phrase) != NULL;
    return 0;
}

/* "Geplaatst op 28 oktober 2021" (NO-BREAK SPACE after "op" on the seeds). */
static char *posted_on_text(page_t *page)
{
    static const char *const phrases[] = {
        "Geplaatst op", "Gepubliceerd op", "Geplaatst:", "Gepubliceerd:", "Datum:", NULL};
    for (size_t i = 0; phrases[i] != NULL; i++) {
        scan_t scan = scan_of(page, NULL);
        char *found = NULL;
        xmlNodePtr node;
        while (found == NULL && (node = scan_next(&scan, first_text_has, phrases[i])) != NULL) {
            if (is_element(node, "script") || is_element(node, "style") ||
                in_chrome_container(node))
                continue;
            char *text = plain_text_of(node);
            char *at = strstr(text, phrases[i]);
            char date[11];
            if (at != NULL && vind_parse_date(at, date))
                found = g_strdup(at);
            g_free(text);
        }
        if (found != NULL)
            return found;
    }
    return NULL;
}

/* "time[@datetime]" */
static int is_dated_time(xmlNodePtr node, const void *unused)
{
    (void)unused;
    return named(node, "time") && attribute(node, "datetime") != NULL;
}

static vind_status_t find_date(page_t *page, vind_doc_t *doc)
{
    char **marked = marked_values(page, "data-vind-date");
    vind_status_t status = VIND_OK;
    for (size_t i = 0; marked != NULL && marked[i] != NULL && status == VIND_OK; i++)
        status = set_date(doc, g_strdup(marked[i]));
    g_strfreev(marked);
    if (status != VIND_OK)
        return status;
    if (page->opts != NULL && page->opts->date_xpath != NULL) {
        xmlNodePtr node = find_first(page, page->opts->date_xpath);
        if (node != NULL) {
            const char *datetime = attribute(node, "datetime");
            if (set_date(doc, datetime ? g_strdup(datetime) : node_value(node)) != VIND_OK)
                return VIND_NOMEM;
        }
    }
    if (set_date(doc, meta_content(page, "article:published_time")) != VIND_OK)
        return VIND_NOMEM;
    if (doc->date == NULL && page->article_ld != NULL &&
        set_date(doc, ld_string(json_object_get(page->article_ld, "datePublished"))) != VIND_OK)
        return VIND_NOMEM;
    if (doc->date == NULL && page->region != NULL) {
        xmlNodePtr time = first_element(page, page->region, is_dated_time, NULL);
        if (time != NULL && set_date(doc, g_strdup(attribute(time, "datetime"))) != VIND_OK)
            return VIND_NOMEM;
    }
    if (doc->date == NULL && set_date(doc, posted_on_text(page)) != VIND_OK)
        return VIND_NOMEM;
    if (doc->date == NULL && set_date(doc, meta_content(page, "date")) != VIND_OK)
        return VIND_NOMEM;
    return VIND_OK;
}

/* Appends a value that is not blank (g_free'd here). */
static vind_status_t append_value(char *value, char ***array, size_t *count)
{
    vind_status_t status = *value != '\0' ? vind_doc_append(array, count, value, 0) : VIND_OK;
    g_free(value);
    return status;
}

/* Appends the text of each element or attribute a configured XPath finds. */
static vind_status_t append_configured(page_t *page, const char *expression, char ***array,
                                       size_t *count)
{
    xmlXPathObjectPtr result = find_nodes(page, expression);
    if (result == NULL)
        return VIND_OK;
    vind_status_t status = VIND_OK;
    for (int i = 0; i < result->nodesetval->nodeNr && status == VIND_OK; i++)
        status = append_value(node_value(result->nodesetval->nodeTab[i]), array, count);
    xmlXPathFreeObject(result);
    return status;
}

/* Appends the text of each element below within (NULL: the page) that
 * passes test, but those in a sidebar or menu when skip_chrome. */
static vind_status_t append_texts(page_t *page, xmlNodePtr within, element_test_t test,
                                  const void *arg, int skip_chrome, char ***array, size_t *count)
{
    scan_t scan = scan_of(page, within);
    vind_status_t status = VIND_OK;
    xmlNodePtr node;
    while (status == VIND_OK && (node = scan_next(&scan, test, arg)) != NULL)
        if (!skip_chrome || !in_chrome_container(node))
            status = append_value(plain_text_of(node), array, count);
    return status;
}

/* Appends the content of each <meta property=key content=...>:
 * "//meta[@property=key]/@content". */
static vind_status_t append_meta_property(page_t *page, const char *key, char ***array,
                                          size_t *count)
{
    scan_t scan = scan_of(page, NULL);
    vind_status_t status = VIND_OK;
    xmlNodePtr node;
    while (status == VIND_OK && (node = scan_next(&scan, named, "meta")) != NULL)
        if (attribute_is(node, "property", key) && attribute(node, "content") != NULL)
            status = append_value(collapse(attribute(node, "content")), array, count);
    return status;
}

/* The first non-blank text under root, or NULL. */
static const char *first_text(xmlNodePtr root)
{
    xmlNodePtr node = root;
    while ((node = next_in_tree(node, root, 1)) != NULL) {
        if (node->type != XML_TEXT_NODE || node->content == NULL)
            continue;
        const char *c = (const char *)node->content;
        while (*c != '\0' && isspace((unsigned char)*c))
            c++;
        if (*c != '\0')
            return c;
    }
    return NULL;
}

static int starts_with_label(xmlNodePtr node, const char *const *labels)
{
    const char *text = first_text(node);
    if (text == NULL)
        return 0;
    for (size_t l = 0; labels[l] != NULL; l++)
        if (g_str_has_prefix(text, labels[l]))
            return 1;
    return 0;
}

static int is_ancestor(xmlNodePtr ancestor, xmlNodePtr node)
{
    for (xmlNodePtr p = node->parent; p != NULL; p = p->parent)
        if (p == ancestor)
            return 1;
    return 0;
}

/* The links after a label such as "Trefwoorden:" or "Thema's:" / "Thema’s:":
 * the innermost element that starts with the label and holds links (the
 * theme's <p class="tags-links"><span>Trefwoorden:</span> <a>…</a>). */
static int is_labelled_list(xmlNodePtr node, const void *labels)
{
    /* The label first: it is cheap and rare, ".//a" walks the subtree. */
    return !is_element(node, "html") && !is_element(node, "body") &&
           starts_with_label(node, labels) && !named(node, "a") &&
           first_element(NULL, node, named, "a") != NULL && !in_chrome_container(node);
}

static vind_status_t append_labelled_links(page_t *page, const char *const *labels, char ***array,
                                           size_t *count)
{
    /* "descendant::*[not(self::a)][.//a]" that starts with a label */
    scan_t scan = scan_of(page, NULL);
    GPtrArray *matches = g_ptr_array_new();
    xmlNodePtr node;
    while ((node = scan_next(&scan, is_labelled_list, labels)) != NULL)
        g_ptr_array_add(matches, node);
    vind_status_t status = VIND_OK;
    for (guint i = 0; i < matches->len && status == VIND_OK; i++) {
        xmlNodePtr node = g_ptr_array_index(matches, i);
        /* document order: a nested match follows its ancestor */
        if (i + 1 < matches->len && is_ancestor(node, g_ptr_array_index(matches, i + 1)))
            continue;
        status = append_texts(page, node, named, "a", 0, array, count);
    }
    g_ptr_array_free(matches, TRUE);
    return status;
}

/* ".//a[rel has the token tag, not category]" */
static int is_tag_link(xmlNodePtr node, const void *unused)
{
    (void)unused;
    return named(node, "a") && attribute_has_token(node, "rel", "tag") &&
           !attribute_has_token(node, "rel", "category");
}

/* ".//a[rel has the token]" */
static int is_rel_link(xmlNodePtr node, const void *token)
{
    return named(node, "a") && attribute_has_token(node, "rel", token);
}

static vind_status_t find_tags(page_t *page, vind_doc_t *doc)
{
    static const char *const labels[] = {"Trefwoorden:", "Tags:", "Trefwoord:", "Labels:", NULL};
    const char *configured = page->opts != NULL ? page->opts->tags_xpath : NULL;
    vind_status_t status = append_marked(page, "data-vind-tag", &doc->tags, &doc->n_tags);
    if (status == VIND_OK && doc->n_tags == 0 && configured != NULL)
        status = append_configured(page, configured, &doc->tags, &doc->n_tags);
    if (status == VIND_OK && doc->n_tags == 0)
        status = append_meta_property(page, "article:tag", &doc->tags, &doc->n_tags);
    if (status == VIND_OK && doc->n_tags == 0 && page->article_ld != NULL)
        status =
            append_ld_list(json_object_get(page->article_ld, "keywords"), &doc->tags, &doc->n_tags);
    if (status == VIND_OK && doc->n_tags == 0 && page->region != NULL)
        status = append_texts(page, page->region, is_tag_link, NULL, 1, &doc->tags, &doc->n_tags);
    if (status == VIND_OK && doc->n_tags == 0)
        status = append_labelled_links(page, labels, &doc->tags, &doc->n_tags);
    return status;
}

static vind_status_t find_themes(page_t *page, vind_doc_t *doc)
{
    static const char *const labels[] = {
        "Thema's:",   "Thema\xE2\x80\x99s:", "Thema:", "Categorie\xC3\xABn:",
        "Categorie:", "Categories:",         NULL};
    const char *configured = page->opts != NULL ? page->opts->themes_xpath : NULL;
    vind_status_t status = append_marked(page, "data-vind-theme", &doc->themes, &doc->n_themes);
    if (status == VIND_OK && doc->n_themes == 0 && configured != NULL)
        status = append_configured(page, configured, &doc->themes, &doc->n_themes);
    if (status == VIND_OK && doc->n_themes == 0 && page->article_ld != NULL)
        status = append_ld_list(json_object_get(page->article_ld, "articleSection"), &doc->themes,
                                &doc->n_themes);
    if (status == VIND_OK && doc->n_themes == 0 && page->region != NULL)
        status = append_texts(page, page->region, is_rel_link, "category", 1, &doc->themes,
                              &doc->n_themes);
    if (status == VIND_OK && doc->n_themes == 0)
        status = append_labelled_links(page, labels, &doc->themes, &doc->n_themes);
    if (status == VIND_OK && doc->n_themes == 0)
        status = append_meta_property(page, "article:section", &doc->themes, &doc->n_themes);
    return status;
}

/* "//a[rel has the token author]|descendant::*[CLASS_IS("author")]" */
static int is_author(xmlNodePtr node, const void *unused)
{
    (void)unused;
    return is_rel_link(node, "author") || has_class(node, "author");
}

static vind_status_t find_author(page_t *page, vind_doc_t *doc)
{
    if (set_field(&doc->author, meta_content(page, "author")) != VIND_OK)
        return VIND_NOMEM;
    if (doc->author == NULL && page->article_ld != NULL &&
        set_field(&doc->author, ld_string(json_object_get(page->article_ld, "author"))) != VIND_OK)
        return VIND_NOMEM;
    if (doc->author == NULL) {
        xmlNodePtr node = first_element(page, NULL, is_author, NULL);
        if (node != NULL && !in_chrome_container(node) && !is_element(node, "input") &&
            set_field(&doc->author, plain_text_of(node)) != VIND_OK)
            return VIND_NOMEM;
    }
    return VIND_OK;
}

static vind_status_t find_language(page_t *page, vind_doc_t *doc)
{
    xmlNodePtr root = xmlDocGetRootElement(page->doc);
    const char *lang = attribute(root, "lang");
    if (lang == NULL)
        lang = attribute(root, "xml:lang");
    if (set_field(&doc->lang, vind_lang_primary(lang)) != VIND_OK)
        return VIND_NOMEM;
    if (doc->lang == NULL && page->article_ld != NULL) {
        json_t *language = json_object_get(page->article_ld, "inLanguage");
        if (json_is_string(language) &&
            set_field(&doc->lang, vind_lang_primary(json_string_value(language))) != VIND_OK)
            return VIND_NOMEM;
    }
    if (doc->lang == NULL) {
        char *locale = meta_content(page, "og:locale");
        vind_status_t status = set_field(&doc->lang, vind_lang_primary(locale));
        g_free(locale);
        if (status != VIND_OK)
            return status;
    }
    return VIND_OK;
}

/* The first path segment of an absolute or root-relative URL ("actueel"). */
static char *first_path_segment(const char *url)
{
    if (url == NULL)
        return NULL;
    const char *p = strstr(url, "://");
    p = p != NULL ? strchr(p + 3, '/') : (url[0] == '/' ? url : NULL);
    if (p == NULL)
        return NULL;
    p++;
    size_t n = strcspn(p, "/?#");
    return n > 0 ? g_strndup(p, n) : NULL;
}

/* "//base[@href]" (browsers take the first) */
static int is_base_with_href(xmlNodePtr node, const void *unused)
{
    (void)unused;
    return named(node, "base") && attribute(node, "href") != NULL;
}

/* The origin that stands for the site's own while a link is resolved under
 * a <base href> of a path ("/", "/docs/"); never a real host. */
#define SITE_ORIGIN "http://vind.invalid"

/* The absolute URL against which the page's links resolve, as a browser
 * resolves them (malloc'd), or NULL: no <base href>, or a relative one
 * ("docs/", "../": the links are kept as written). A path is taken under
 * SITE_ORIGIN, "//host/" as https. */
static char *base_for_links(const page_t *page)
{
    xmlNodePtr base = first_element(page, NULL, is_base_with_href, NULL);
    char *href = base != NULL ? collapse(attribute(base, "href")) : NULL;
    char *absolute = NULL;
    if (href == NULL || *href == '\0')
        ; /* none */
    else if (href[0] == '/' && href[1] == '/')
        absolute = g_strconcat("https:", href, NULL);
    else if (href[0] == '/')
        absolute = g_strconcat(SITE_ORIGIN, href, NULL);
    else if (g_uri_peek_scheme(href) != NULL)
        absolute = g_strdup(href);
    g_free(href);
    return absolute;
}

/* href resolved against base (RFC 3986, g_uri_resolve_relative): an
 * absolute URL, or for SITE_ORIGIN a path of the site; NULL when it cannot
 * be resolved (then it is no link of the page's). */
static char *resolve_link(const char *base, const char *href)
{
    char *resolved = g_uri_resolve_relative(base, href, G_URI_FLAGS_ENCODED, NULL);
    size_t site = strlen(SITE_ORIGIN);
    if (resolved != NULL && strncmp(resolved, SITE_ORIGIN, site) == 0 && resolved[site] == '/')
        memmove(resolved, resolved + site, strlen(resolved + site) + 1);
    return resolved;
}

/* The page's links, each as its reader's browser resolves it: under a
 * <base href> (session 20: until then `<base href="https://other.example/">`
 * with `<a href="rapport.pdf">` made the site's rapport.pdf beside the page
 * its attachment, a file the page does not link, and `<base href="/">` the
 * wrong one of two rapport.pdf files). lib/index.c reads links of another
 * host as none of the site's. */
static vind_status_t find_links(page_t *page, vind_doc_t *doc)
{
    char *base = base_for_links(page);
    /* ".//a[@href]" in the region, else in the page */
    scan_t scan = scan_of(page, page->region);
    vind_status_t status = VIND_OK;
    xmlNodePtr link;
    while (status == VIND_OK && (link = scan_next(&scan, named, "a")) != NULL) {
        const char *href = attribute(link, "href");
        if (href == NULL || *href == '\0' || *href == '#' || in_chrome_container(link))
            continue;
        char *resolved = base != NULL ? resolve_link(base, href) : NULL;
        if (base == NULL || resolved != NULL)
            status = vind_doc_append(&doc->links, &doc->n_links, resolved ? resolved : href, 0);
        g_free(resolved);
    }
    g_free(base);
    return status;
}

/* "//link[@rel='canonical'][@href]" */
static int is_canonical_link(xmlNodePtr node, const void *unused)
{
    (void)unused;
    return named(node, "link") && attribute_is(node, "rel", "canonical") &&
           attribute(node, "href") != NULL;
}

/* Drops the repeats of a list, each first value kept in its place. The
 * lists are appended to without vind_doc_append's check, which compares a
 * value with every one kept: a page of 100,000 JSON-LD keywords cost 22 s
 * of a worker, 300,000 keywords and links passed the time limit (session
 * 9's probe). Cost: one hash look-up a value. */
static void drop_repeats(char **values, size_t *count)
{
    GHashTable *seen = g_hash_table_new(g_str_hash, g_str_equal);
    size_t kept = 0;
    for (size_t i = 0; i < *count; i++) {
        if (g_hash_table_contains(seen, values[i])) {
            free(values[i]);
            continue;
        }
        g_hash_table_add(seen, values[i]);
        values[kept++] = values[i];
    }
    g_hash_table_destroy(seen);
    *count = kept;
}

static vind_status_t find_metadata(page_t *page, vind_doc_t *doc)
{
    vind_status_t status = find_title(page, doc);
    if (status == VIND_OK)
        status = find_date(page, doc);
    if (status == VIND_OK)
        status = find_author(page, doc);
    if (status == VIND_OK)
        status = set_field(&doc->description, meta_content(page, "description"));
    if (status == VIND_OK)
        status = set_field(&doc->description, meta_content(page, "og:description"));
    if (status == VIND_OK && page->article_ld != NULL)
        status = set_field(&doc->description,
                           ld_string(json_object_get(page->article_ld, "description")));
    if (status == VIND_OK) {
        xmlNodePtr canonical = first_element(page, NULL, is_canonical_link, NULL);
        status = set_field(&doc->canonical,
                           canonical != NULL ? collapse(attribute(canonical, "href")) : NULL);
    }
    if (status == VIND_OK)
        status = set_field(&doc->canonical, meta_content(page, "og:url"));
    if (status == VIND_OK)
        status = set_field(&doc->section, first_path_segment(doc->canonical));
    if (status == VIND_OK)
        status = find_language(page, doc);
    if (status == VIND_OK)
        status = find_tags(page, doc);
    if (status == VIND_OK)
        status = find_themes(page, doc);
    if (status == VIND_OK)
        status = find_links(page, doc);
    drop_repeats(doc->tags, &doc->n_tags);
    drop_repeats(doc->themes, &doc->n_themes);
    drop_repeats(doc->links, &doc->n_links);
    return status;
}

/* ======================================================================
 * Listing pages
 * ====================================================================== */

/* Feeds and sitemaps: XML whose root is rss/feed/urlset/sitemapindex/RDF. */
static const char *feed_kind(const char *data, size_t len)
{
    size_t n = len < 1024 ? len : 1024;
    char *head = g_ascii_strdown(data, (gssize)n);
    const char *kind = NULL;
    if (strstr(head, "<html") == NULL) {
        if (strstr(head, "<rss") != NULL || strstr(head, "<feed") != NULL ||
            strstr(head, "<rdf:rdf") != NULL)
            kind = "feed (RSS/Atom)";
        else if (strstr(head, "<urlset") != NULL || strstr(head, "<sitemapindex") != NULL)
            kind = "sitemap";
    }
    g_free(head);
    return kind;
}

/* Taxonomy and archive URLs: /thema/x/, /trefwoord/x/, /tags/, /page/2/ ... */
static int is_listing_path(const char *path)
{
    static const char *const segments[] = {
        "/thema/",    "/themas/",     "/trefwoord/", "/trefwoorden/", "/tag/",    "/tags/",
        "/category/", "/categories/", "/categorie/", "/author/",      "/auteur/", NULL};
    if (path == NULL)
        return 0;
    for (size_t i = 0; segments[i] != NULL; i++)
        if (strstr(path, segments[i]) != NULL)
            return 1;
    for (const char *p = strstr(path, "/page/"); p != NULL; p = strstr(p + 1, "/page/")) {
        const char *q = p + 6;
        if (isdigit((unsigned char)*q)) {
            while (isdigit((unsigned char)*q))
                q++;
            if (*q == '/' || *q == '\0')
                return 1;
        }
    }
    return 0;
}

/* A redirect stub moves on at once: a refresh after at most this many
 * seconds. A longer delay is a reload timer or a slow "you will be taken
 * to" page, which has content of its own. */
#define REDIRECT_MAX_DELAY_SECONDS 1.0
/* ... and has no content of its own: fewer words than this in its text
 * ("Deze pagina is verhuisd. Klik hier als u niet wordt doorgestuurd."). */
#define REDIRECT_MAX_OWN_WORDS 25

/* The URL of a refresh content "0; url='x'", or NULL when there is none; the
 * delay in *delay. g_free. */
static char *refresh_target(const char *content, double *delay)
{
    char *end = NULL;
    *delay = g_ascii_strtod(content, &end);
    if (end == content)
        return NULL;
    const char *p = end;
    while (*p == ' ' || *p == '\t' || *p == ';' || *p == ',')
        p++;
    if (g_ascii_strncasecmp(p, "url", 3) != 0)
        return NULL;
    p += 3;
    while (*p == ' ' || *p == '\t')
        p++;
    if (*p++ != '=')
        return NULL;
    while (*p == ' ' || *p == '\t')
        p++;
    char quote = *p == '\'' || *p == '"' ? *p++ : '\0';
    size_t n = quote ? strcspn(p, quote == '"' ? "\"" : "'") : strlen(p);
    char *target = g_strstrip(g_strndup(p, n));
    if (*target == '\0') {
        g_free(target);
        return NULL;
    }
    return target;
}

/* Whether a refresh target is this page itself (a reload): "", "#x", its
 * own file name. */
static int is_reload(const char *target, const char *path)
{
    if (target[0] == '#')
        return 1;
    const char *name = path != NULL && strrchr(path, '/') != NULL ? strrchr(path, '/') + 1 : path;
    return name != NULL && strcmp(target, name) == 0;
}

static size_t count_words(const char *text)
{
    size_t words = 0;
    int in_word = 0;
    for (const char *p = text != NULL ? text : ""; *p; p++) {
        int space = g_ascii_isspace(*p);
        words += !space && !in_word;
        in_word = !space;
    }
    return words;
}

/* Whether node holds any text at all, hidden or chrome included. */
static int has_any_text(xmlNodePtr node)
{
    if (node == NULL)
        return 0;
    char *text = plain_text_of(node);
    int any = count_words(text) > 0;
    g_free(text);
    return any;
}

/*
 * Whether the page is a redirect stub: a meta refresh that leaves at once
 * (REDIRECT_MAX_DELAY_SECONDS) for another URL, on a page without content of
 * its own (REDIRECT_MAX_OWN_WORDS; no text at all for a refresh in <noscript>).
 * A reload timer (content="600") is not one, nor a page with content whose
 * <noscript> sends browsers without scripts elsewhere: every page of LibreOffice's help does that, and all of
 * them but one were dropped as redirect stubs (issue 11). g_free.
 */
/* "//meta[@http-equiv]" */
static int is_http_equiv(xmlNodePtr node, const void *unused)
{
    (void)unused;
    return named(node, "meta") && attribute(node, "http-equiv") != NULL;
}

static char *redirect_stub(page_t *page, const vind_doc_t *doc)
{
    /* Own words: of the chosen content, or of the whole body when that has
     * more (a content region the heuristics missed is content too). */
    size_t words = count_words(doc->n_pages > 0 ? doc->pages[0] : NULL);
    xmlNodePtr body = first_element(page, NULL, named, "body");
    if (words < REDIRECT_MAX_OWN_WORDS && body != NULL) {
        char *text = text_of(body);
        size_t body_words = count_words(text);
        g_free(text);
        words = body_words > words ? body_words : words;
    }
    if (words >= REDIRECT_MAX_OWN_WORDS)
        return NULL;
    char *reason = NULL;
    scan_t scan = scan_of(page, NULL);
    xmlNodePtr meta;
    while (reason == NULL && (meta = scan_next(&scan, is_http_equiv, NULL)) != NULL) {
        const char *content = attribute(meta, "content");
        if (g_ascii_strcasecmp(attribute(meta, "http-equiv"), "refresh") != 0 || content == NULL)
            continue;
        /* In <noscript> it moves only browsers without scripts; the page is
         * a stub only when it has no text at all, hidden text included (a
         * LibreOffice help page of 14 words sends them to "noscript.html",
         * and 12 of them hide all their text until a script shows it). */
        if (has_ancestor_named(meta, "noscript") && has_any_text(body))
            continue;
        double delay = 0;
        char *target = refresh_target(content, &delay);
        if (target != NULL && delay >= 0 && delay <= REDIRECT_MAX_DELAY_SECONDS &&
            !is_reload(target, page->path))
            reason = g_strdup_printf("redirect stub (meta refresh: %s)", content);
        g_free(target);
    }
    return reason;
}

/* "//article[not(ancestor::article)]" */
static int is_outer_article(xmlNodePtr node, const void *unused)
{
    (void)unused;
    return named(node, "article") && !has_ancestor_named(node, "article");
}

/* "//link[@rel='next' or @rel='prev']
 *  |descendant::*[CLASS_IS("pagination") or CLASS_IS("nav-links")]" */
static int is_pagination(xmlNodePtr node, const void *unused)
{
    (void)unused;
    return (named(node, "link") &&
            (attribute_is(node, "rel", "next") || attribute_is(node, "rel", "prev"))) ||
           has_class(node, "pagination") || has_class(node, "nav-links");
}

/* <meta name="robots" content=...>, the name in any case (an HTML attribute
 * value the robots rules compare without case: <META NAME="ROBOTS">). */
static int is_robots_meta(xmlNodePtr node, const void *unused)
{
    (void)unused;
    const char *name = attribute(node, "name");
    if (name == NULL)
        name = attribute(node, "property");
    return named(node, "meta") && name != NULL && g_ascii_strcasecmp(name, "robots") == 0 &&
           attribute(node, "content") != NULL;
}

/*
 * Whether a robots <meta> of the page says noindex: in any case, and "none"
 * (noindex, nofollow), in any of them. Until session 11 only the first
 * <meta name="robots"> spelled in lower case counted, so an old editor's
 * <META NAME="ROBOTS" CONTENT="NOINDEX"> and content="none" were indexed
 * against the owner's word.
 */
static int robots_noindex(page_t *page)
{
    scan_t scan = scan_of(page, NULL);
    xmlNodePtr meta;
    int noindex = 0;
    while (!noindex && (meta = scan_next(&scan, is_robots_meta, NULL)) != NULL) {
        char *content = g_ascii_strdown(attribute(meta, "content"), -1);
        gchar **tokens = g_strsplit_set(content, ", \t\r\n", -1);
        noindex = strstr(content, "noindex") != NULL;
        for (gchar **token = tokens; !noindex && *token != NULL; token++)
            noindex = strcmp(*token, "none") == 0;
        g_strfreev(tokens);
        g_free(content);
    }
    return noindex;
}

/* Why this page is a listing, or NULL for a content page. g_free. */
static char *listing_reason(page_t *page, const vind_doc_t *doc)
{
    char *refresh = redirect_stub(page, doc);
    if (refresh != NULL)
        return refresh;

    if (robots_noindex(page))
        return g_strdup("robots noindex");

    if (page->opts != NULL && page->opts->index_listings)
        return NULL;
    /* data-vind-type said what the page is: no guessing. */
    if (page->marked_type == MARKED_LISTING)
        return g_strdup("marked as a listing (data-vind-type)");
    if (page->marked_type != MARKED_NONE)
        return NULL;

    xmlNodePtr body = first_element(page, NULL, named, "body");
    const char *body_class = attribute(body, "class");
    if (has_token(body_class, "error404") || first_element(page, NULL, has_class, "error-404"))
        return g_strdup("404 page");
    xmlNodePtr title = first_element(page, NULL, named, "title");
    if (title != NULL) {
        char *text = plain_text_of(title);
        int is_404 = g_str_has_prefix(text, "404 ");
        g_free(text);
        if (is_404)
            return g_strdup("404 page");
    }
    if (has_token(body_class, "home"))
        return g_strdup("home page");
    static const char *const archive_classes[] = {
        "archive", "blog",           "category", "tag",      "author", "date",
        "search",  "search-results", "paged",    "taxonomy", NULL};
    for (size_t i = 0; archive_classes[i] != NULL; i++)
        if (has_token(body_class, archive_classes[i]))
            return g_strdup_printf("archive page (body class \"%s\")", archive_classes[i]);
    if (is_listing_path(page->path))
        return g_strdup("taxonomy or archive path");
    if (!page->is_article) {
        size_t articles = count_elements(page, is_outer_article, NULL);
        if (articles >= 2)
            return g_strdup_printf("list of article summaries (%zu)", articles);
        if (first_element(page, NULL, is_pagination, NULL) != NULL)
            return g_strdup("paginated list");
    }
    return NULL;
}

/* "//article//name" */
static int is_in_article(xmlNodePtr node, const void *name)
{
    return named(node, name) && has_ancestor_named(node, "article");
}

static int looks_like_article(page_t *page)
{
    char *type = meta_content(page, "og:type");
    int article = type != NULL && g_ascii_strcasecmp(type, "article") == 0;
    g_free(type);
    if (article || page->article_ld != NULL)
        return 1;
    /* An article-like structure: one <article> with a heading and a date,
     * or one <h1> and a "Geplaatst op" line (WordPress themes without
     * metadata, as the captured seed pages). */
    size_t articles = count_elements(page, named, "article");
    if (articles == 1 && first_element(page, NULL, is_in_article, "h1") != NULL &&
        first_element(page, NULL, is_in_article, "time") != NULL)
        return 1;
    if (articles > 1 || count_elements(page, named, "h1") != 1)
        return 0;
    char *posted = posted_on_text(page);
    g_free(posted);
    return posted != NULL;
}

/* ======================================================================
 * Entry point
 * ====================================================================== */

/* "descendant::*[@data-vind-body][not(ancestor::*[@data-vind-body])]" */
static int is_outer_body(xmlNodePtr node, const void *unused)
{
    (void)unused;
    if (attribute(node, "data-vind-body") == NULL)
        return 0;
    for (xmlNodePtr p = node->parent; p != NULL; p = p->parent)
        if (p->type == XML_ELEMENT_NODE && attribute(p, "data-vind-body") != NULL)
            return 0;
    return 1;
}

/* The text of every data-vind-body element, paragraphs apart. */
static char *text_of_bodies(page_t *page)
{
    text_builder_t builder = {g_string_new(NULL), 0, 0, 0};
    scan_t scan = scan_of(page, NULL);
    xmlNodePtr body;
    while ((body = scan_next(&scan, is_outer_body, NULL)) != NULL) {
        request_break(&builder, 2);
        collect_text(body, &builder, 1);
    }
    return g_string_free(builder.text, FALSE);
}

static vind_status_t build_doc(page_t *page, const char *feed, vind_doc_t *doc, char **errmsg)
{
    const char *name = page->path != NULL ? page->path : "HTML document";
    page->marked_type = marked_type(page);
    page->is_article = page->marked_type != MARKED_NONE ? page->marked_type == MARKED_ARTICLE
                                                        : looks_like_article(page);
    doc->type = page->is_article ? VIND_DOC_ARTICLE : VIND_DOC_PAGE;
    /* data-vind-body: only the marked elements (the outermost ones) are content. */
    xmlNodePtr body = page->is_marked ? first_element(page, NULL, is_outer_body, NULL) : NULL;
    page->content = body != NULL ? body : choose_content(page);
    page->region = page->content != NULL ? choose_region(page) : NULL;

    char *text = NULL;
    if (find_metadata(page, doc) == VIND_OK)
        text = body != NULL            ? text_of_bodies(page)
               : page->content != NULL ? text_of(page->content)
                                       : g_strdup("");
    if (text == NULL)
        return vind_error(errmsg, VIND_NOMEM, "%s: out of memory", name);
    vind_status_t status = vind_doc_append(&doc->pages, &doc->n_pages, text, 0);
    g_free(text);
    if (status != VIND_OK)
        return vind_error(errmsg, VIND_NOMEM, "%s: out of memory", name);

    char *reason = feed != NULL ? g_strdup(feed) : listing_reason(page, doc);
    if (reason != NULL) {
        doc->is_listing = 1;
        doc->listing_reason = strdup(reason);
        g_free(reason);
        if (doc->listing_reason == NULL)
            return vind_error(errmsg, VIND_NOMEM, "%s: out of memory", name);
    }
    return VIND_OK;
}

/* The node after node (just visited: an element counted in *depth) in
 * document order under top, descending only into elements; *depth drops by
 * the elements left. NULL past the last. Iterative: the tree may be
 * 100,000 levels deep. */
static xmlNodePtr tree_step(xmlNodePtr node, xmlNodePtr top, unsigned *depth)
{
    if (node->type == XML_ELEMENT_NODE && node->children != NULL)
        return node->children;
    if (node->type == XML_ELEMENT_NODE)
        (*depth)--;
    while (node != top && node->next == NULL) {
        node = node->parent;
        (*depth)--; /* a parent is always an element */
    }
    return node == top ? NULL : node->next;
}

/* How deep elements nest under node (node itself is level 1), counted up
 * to limit + 1 at most. */
static unsigned element_depth(xmlNodePtr node, unsigned limit)
{
    unsigned depth = 0, deepest = 0;
    for (xmlNodePtr top = node; node != NULL; node = tree_step(node, top, &depth)) {
        if (node->type == XML_ELEMENT_NODE) {
            depth++;
            if (depth > deepest && (deepest = depth) > limit)
                return deepest;
        }
    }
    return deepest;
}

/* Removes the elements deeper than limit levels under root (root is level
 * 1), with their text, so that a page nested too deep keeps all its text
 * above that level, after the deep part too. Iterative (tree_step;
 * xmlFreeNode frees a subtree without recursion). Cost: one walk of the
 * tree, for such pages only. */
static void prune_deeper(xmlNodePtr root, unsigned limit)
{
    unsigned depth = 0;
    for (xmlNodePtr node = root; node != NULL; node = tree_step(node, root, &depth)) {
        if (node->type != XML_ELEMENT_NODE || ++depth != limit)
            continue;
        for (xmlNodePtr child = node->children, next; child != NULL; child = next) {
            next = child->next;
            if (child->type == XML_ELEMENT_NODE) {
                xmlUnlinkNode(child);
                xmlFreeNode(child);
            }
        }
    }
}

/* One parse of the page with options; *halted says libxml2 stopped before
 * its end (xmlHaltParser: an element 256 levels deep, or a text node, a
 * title or a script past 10,000,000 bytes, its XML_MAX_LOOKUP_LIMIT without
 * XML_PARSE_HUGE). NULL when the parser cannot be made. */
static htmlDocPtr read_html(const GString *utf8, int options, int *halted)
{
    *halted = 0;
    htmlParserCtxtPtr context = htmlNewParserCtxt();
    if (context == NULL)
        return NULL;
    htmlDocPtr html =
        htmlCtxtReadMemory(context, utf8->str, (int)utf8->len, NULL, "UTF-8", options);
    *halted = context->disableSAX != 0;
    htmlFreeParserCtxt(context);
    return html;
}

/*
 * The page's tree. libxml2 stops at an element 256 levels deep (its
 * xmlParserMaxDepth), and at a run of text (a <pre>, a paragraph, a title)
 * longer than 10,000,000 bytes, and drops the rest of the page without a
 * word (until session 18 an 11 MB <pre> lost its end and every paragraph
 * after it, reported as indexed whole). A parse that stopped early or whose
 * tree reaches that depth is done again without the limits (XML_PARSE_HUGE)
 * and kept whole when it nests at most VIND_MAX_HTML_DEPTH levels; deeper,
 * its elements past the 256th level are dropped and *cut says so (until
 * session 18 the first tree was kept, which also lost all that followed
 * the deep part or a long text before it). Cost: one more parse, only for such
 * pages (none of the corpus's 1,241 HTML files, which nest 13 levels at most
 * and stop nowhere).
 */
static htmlDocPtr parse_html(const GString *utf8, int *cut)
{
    /* NONET and no NOENT: no fetching, no DTD entity expansion. */
    const int options =
        HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET;
    const unsigned libxml_depth = 256;
    *cut = 0;
    int halted = 0;
    htmlDocPtr html = read_html(utf8, options, &halted);
    xmlNodePtr root = html != NULL ? xmlDocGetRootElement(html) : NULL;
    if (!halted && (root == NULL || element_depth(root, libxml_depth) < libxml_depth))
        return html;
    htmlDocPtr whole = read_html(utf8, options | XML_PARSE_HUGE, &halted);
    xmlNodePtr whole_root = whole != NULL ? xmlDocGetRootElement(whole) : NULL;
    if (whole_root == NULL) {
        if (whole != NULL)
            xmlFreeDoc(whole);
        *cut = 1;
        return html;
    }
    if (element_depth(whole_root, VIND_MAX_HTML_DEPTH) > VIND_MAX_HTML_DEPTH) {
        prune_deeper(whole_root, libxml_depth);
        *cut = 1;
    }
    if (html != NULL)
        xmlFreeDoc(html);
    return whole;
}

/* Joins a note (printf's format and arguments) to the page's warning
 * ("a; b"), so that the file is reported "indexed, but a; b". */
static vind_status_t add_warning(vind_doc_t *doc, const char *format, ...) G_GNUC_PRINTF(2, 3);
static vind_status_t add_warning(vind_doc_t *doc, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    char *note = g_strdup_vprintf(format, args);
    va_end(args);
    char *joined = doc->warning != NULL ? g_strdup_printf("%s; %s", doc->warning, note) : note;
    if (joined != note)
        g_free(note);
    free(doc->warning);
    doc->warning = strdup(joined);
    g_free(joined);
    return doc->warning != NULL ? VIND_OK : VIND_NOMEM;
}

/* The declared language stays unless the text clearly says the other of
 * Dutch and English (lib/lang.h); then the file is reported, so that its
 * site can fix the declaration. Cost: one pass over the text (at most its
 * first 1 MB) with a binary search a short word. */
static vind_status_t settle_language(vind_doc_t *doc)
{
    char *note = NULL;
    char *lang = vind_lang_settle(doc->lang, doc->pages, doc->n_pages, &note);
    free(doc->lang);
    doc->lang = NULL;
    vind_status_t status = set_field(&doc->lang, lang);
    if (status == VIND_OK && note != NULL)
        status = add_warning(doc, "%s", note);
    g_free(note);
    return status;
}

static int has_word_character(const char *text)
{
    for (const char *p = text; p != NULL && *p != '\0'; p = g_utf8_next_char(p))
        if (g_unichar_isalnum(g_utf8_get_char(p)))
            return 1;
    return 0;
}

/* The file's name without its folder and its .html, .htm or .xhtml, as
 * valid UTF-8 (a name is any bytes). Caller g_frees. */
static char *title_from_file_name(const char *path)
{
    char *base = g_path_get_basename(path);
    char *dot = strrchr(base, '.');
    if (dot != NULL && dot != base &&
        (g_ascii_strcasecmp(dot, ".html") == 0 || g_ascii_strcasecmp(dot, ".htm") == 0 ||
         g_ascii_strcasecmp(dot, ".xhtml") == 0))
        *dot = '\0';
    char *title = g_utf8_make_valid(base, -1);
    g_free(base);
    return title;
}

/*
 * A page without a title and without a word (an <svg> named .html, a page
 * that is only markup or images) is indexed under its file name, so that it
 * stays listed and can be found, and reported: nobody would otherwise know
 * that a search never brings it up. A page with a title, or with text, is
 * found by it and said nothing about.
 */
static vind_status_t name_empty_page(vind_doc_t *doc, const char *path)
{
    if (doc->is_listing || path == NULL || has_word_character(doc->title))
        return VIND_OK;
    for (size_t i = 0; i < doc->n_pages; i++)
        if (has_word_character(doc->pages[i]))
            return VIND_OK;
    char *title = title_from_file_name(path);
    free(doc->title);
    doc->title = strdup(title);
    g_free(title);
    if (doc->title == NULL)
        return VIND_NOMEM;
    return add_warning(doc, "no text: the page has no title and no words, indexed under its "
                            "file name");
}

/*
 * How many bytes of the page (UTF-8) may be parsed within budget bytes of
 * memory, by the estimate VIND_HTML_BYTES_COST per byte plus
 * VIND_HTML_TAG_COST per tag (include/vind/limits.h): all of it, or the
 * bytes before the '<' where the estimate passes the budget. Cost: nothing
 * for a page of under budget / 164 bytes (3 MB of the default 512 MB: every
 * page of the corpus), else one memchr pass over the bytes.
 */
static size_t parsable_prefix(const char *text, size_t len, unsigned long long budget)
{
    const unsigned long long most_per_byte = VIND_HTML_BYTES_COST + VIND_HTML_TAG_COST;
    if ((unsigned long long)len * most_per_byte <= budget)
        return len;
    unsigned long long tags = 0;
    for (const char *p = text; (p = memchr(p, '<', len - (size_t)(p - text))) != NULL; p++) {
        size_t at = (size_t)(p - text);
        tags++;
        if ((unsigned long long)at * VIND_HTML_BYTES_COST + tags * VIND_HTML_TAG_COST > budget)
            return at;
    }
    return len; /* text without tags costs its bytes, which --max-size bounds */
}

/* A quarter of the worker's memory limit (see VIND_HTML_TAG_COST). */
static unsigned long long parse_budget(const vind_extract_options_t *opts)
{
    unsigned long long memory = opts != NULL && opts->memory_bytes > 0
                                    ? opts->memory_bytes
                                    : VIND_DEFAULT_EXTRACT_MEMORY_BYTES;
    return memory / 4;
}

/* libxml2 2.9 wants xmlInitParser() once before threads parse at the same
 * time (vind-index may extract in process from several threads). */
static void init_libxml(void)
{
    xmlInitParser();
}

vind_status_t vind_extract_html(const char *data, size_t len, const char *path,
                                const vind_extract_options_t *opts, vind_doc_t **out, char **errmsg)
{
    if (out == NULL)
        return vind_error(errmsg, VIND_INVALID_ARGUMENT, "vind_extract_html: out is NULL");
    *out = NULL;
    const char *name = path != NULL ? path : "HTML document";
    if (data == NULL || len == 0)
        return vind_error(errmsg, VIND_UNSUPPORTED_FILE, "%s: empty file", name);
    if (len > (size_t)INT32_MAX)
        return vind_error(errmsg, VIND_TOO_LARGE, "%s: larger than 2 GB", name);
    size_t bom = 0;
    int is_ebcdic = 0;
    const char *wide = wide_encoding(data, len, &bom);
    char *ebcdic = wide == NULL ? ebcdic_charset(data, len, &is_ebcdic) : NULL;
    if (is_ebcdic && ebcdic == NULL)
        return vind_error(errmsg, VIND_UNSUPPORTED_FILE,
                          "%s: EBCDIC text without a declared EBCDIC charset (such as "
                          "<meta charset=\"IBM037\">), not indexed",
                          name);
    if (!is_ebcdic && wide == NULL && looks_binary(data, len))
        return vind_error(errmsg, VIND_UNSUPPORTED_FILE, "%s: binary data, not HTML", name);
    const char *found = wide != NULL ? wide : ebcdic;
    GString *utf8 = found != NULL ? decode_found(data + bom, len - bom, found) : NULL;
    if (found != NULL && utf8 == NULL) {
        vind_status_t status = vind_error(errmsg, VIND_UNSUPPORTED_FILE,
                                          "%s: bytes invalid in %s, which the page looks like, "
                                          "not indexed",
                                          name, found);
        g_free(ebcdic);
        return status;
    }
    g_free(ebcdic);

    static pthread_once_t libxml_once = PTHREAD_ONCE_INIT;
    pthread_once(&libxml_once, init_libxml);
    const char *warning = NULL;
    size_t nuls = 0;
    if (utf8 == NULL)
        utf8 = to_utf8(data, len, &warning, &nuls);
    size_t whole_len = utf8->len;
    /* The bytes past the budget are never parsed (the tree is the page's
     * cost: 22 times a table page's bytes); the rest is reported below. */
    size_t parsed_len = parsable_prefix(utf8->str, utf8->len, parse_budget(opts));
    g_string_truncate(utf8, parsed_len);
    int cut = 0;
    htmlDocPtr html = parse_html(utf8, &cut);
    const char *feed = feed_kind(utf8->str, utf8->len);
    g_string_free(utf8, TRUE);
    if (html == NULL || xmlDocGetRootElement(html) == NULL) {
        if (html != NULL)
            xmlFreeDoc(html);
        return vind_error(errmsg, VIND_UNSUPPORTED_FILE, "%s: no HTML content could be parsed",
                          name);
    }
    page_t page = {.doc = html, .opts = opts, .path = path};
    vind_doc_t *doc = vind_doc_new();
    int noted = doc != NULL && (warning == NULL || add_warning(doc, "%s", warning) == VIND_OK) &&
                (nuls == 0 || add_warning(doc, "%zu NUL byte%s (no text) read as %s", nuls,
                                          nuls == 1 ? "" : "s",
                                          nuls == 1 ? "a space" : "spaces") == VIND_OK) &&
                (!cut || add_warning(doc,
                                     "nested deeper than %u elements: the text past its 256th "
                                     "level is not indexed",
                                     VIND_MAX_HTML_DEPTH) == VIND_OK) &&
                (parsed_len == whole_len ||
                 add_warning(doc,
                             "%zu bytes of markup, more than its worker's memory can parse: the "
                             "text past its first %zu bytes is not indexed",
                             whole_len, parsed_len) == VIND_OK);
    if (!noted) {
        xmlFreeDoc(html);
        vind_doc_free(doc);
        return vind_error(errmsg, VIND_NOMEM, "%s: out of memory", name);
    }
    list_elements(&page);
    load_jsonld(&page);
    vind_status_t status = build_doc(&page, feed, doc, errmsg);
    if (status == VIND_OK && !doc->is_listing && settle_language(doc) != VIND_OK)
        status = vind_error(errmsg, VIND_NOMEM, "%s: out of memory", name);
    if (status == VIND_OK && path != NULL && (doc->path = strdup(path)) == NULL)
        status = vind_error(errmsg, VIND_NOMEM, "%s: out of memory", name);
    if (status == VIND_OK && name_empty_page(doc, path) != VIND_OK)
        status = vind_error(errmsg, VIND_NOMEM, "%s: out of memory", name);
    json_decref(page.jsonld_root);
    g_free(page.elements);
    xmlXPathFreeContext(page.xpath);
    xmlFreeDoc(html);
    if (status != VIND_OK) {
        vind_doc_free(doc);
        return status;
    }
    *out = doc;
    return VIND_OK;
}
