/*
 * page.c - the Dutch search page at /zoeken, rendered on the server so that
 * it works with JavaScript off (search.js only enhances it).
 *
 * Templating is deliberately tiny: page.html holds {{placeholders}}, and the
 * C code fills each with a fragment it rendered and escaped itself. A site
 * restyles the page by copying the template folder, editing page.html and
 * style.css, and starting vind-searchd with --template DIR. The fragments'
 * markup (class names, ids) is documented in docs/embedding.md; search.js
 * renders the same markup from /api/search.
 *
 * Everything that comes from the index or the request is escaped here,
 * except the snippets: the library hands them over already escaped, with
 * only <mark> added.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <vind/doc.h>
#include <vind/limits.h>
#include "error.h"
#include "page.h"

enum placeholder {
    PH_TITLE,
    PH_ASSETS,
    PH_QUERY,
    PH_MAX_QUERY,
    PH_SORT_OPTIONS,
    PH_FROM,
    PH_TO,
    PH_FROM_STATE,
    PH_TO_STATE,
    PH_FROM_ERROR,
    PH_TO_ERROR,
    PH_FILTERS_OPEN,
    PH_FILTER_COUNT,
    PH_ACTIVE_FILTERS,
    PH_HIDDEN,
    PH_STATUS,
    PH_SUGGESTION,
    PH_RESULTS,
    PH_FACETS,
    PH_PAGINATION,
    N_PLACEHOLDERS
};

static const char *const placeholder_names[N_PLACEHOLDERS] = {
    [PH_TITLE] = "title",
    [PH_ASSETS] = "assets",
    [PH_QUERY] = "query",
    [PH_MAX_QUERY] = "max_query",
    [PH_SORT_OPTIONS] = "sort_options",
    [PH_FROM] = "from",
    [PH_TO] = "to",
    [PH_FROM_STATE] = "from_state",
    [PH_TO_STATE] = "to_state",
    [PH_FROM_ERROR] = "from_error",
    [PH_TO_ERROR] = "to_error",
    [PH_FILTERS_OPEN] = "filters_open",
    [PH_FILTER_COUNT] = "filter_count",
    [PH_ACTIVE_FILTERS] = "active_filters",
    [PH_HIDDEN] = "hidden",
    [PH_STATUS] = "status",
    [PH_SUGGESTION] = "suggestion",
    [PH_RESULTS] = "results",
    [PH_FACETS] = "facets",
    [PH_PAGINATION] = "pagination",
};

/* Where the page's own assets are served (also under /assets/): keeping them
 * below /zoeken means a site proxies only /zoeken and /api/ (docs/nginx.conf). */
#define ASSETS_URL "/zoeken/assets"

/* Facet values shown before "Meer …" (the rest sit in a <details>). */
#define FACET_VISIBLE 10

typedef struct {
    char *literal; /* NULL: a placeholder */
    enum placeholder placeholder;
} segment_t;

struct vind_page {
    segment_t *segments;
    size_t n_segments;
    vind_asset_t *assets;
    size_t n_assets;
};

/* ---- loading ---- */

static vind_status_t read_regular_file(const char *path, char **data, size_t *size, char **errmsg)
{
    struct stat st;
    *data = NULL;
    if (lstat(path, &st) != 0)
        return vind_error(errmsg, errno == ENOENT ? VIND_NOT_FOUND : VIND_IO, "cannot read %s: %s",
                          path, g_strerror(errno));
    if (!S_ISREG(st.st_mode))
        return vind_error(errmsg, VIND_IO, "%s is not a regular file (symbolic links are refused)",
                          path);
    if ((unsigned long long)st.st_size > VIND_SEARCHD_MAX_ASSET_BYTES)
        return vind_error(errmsg, VIND_TOO_LARGE, "%s is %llu bytes, over the %u-byte limit",
                          path, (unsigned long long)st.st_size, VIND_SEARCHD_MAX_ASSET_BYTES);
    gchar *contents = NULL;
    gsize length = 0;
    GError *error = NULL;
    if (!g_file_get_contents(path, &contents, &length, &error)) {
        vind_status_t status =
            vind_error(errmsg, VIND_IO, "cannot read %s: %s", path, error->message);
        g_error_free(error);
        return status;
    }
    *data = malloc(length + 1);
    if (*data == NULL) {
        g_free(contents);
        return vind_error(errmsg, VIND_NOMEM, "out of memory reading %s", path);
    }
    memcpy(*data, contents, length + 1);
    *size = length;
    g_free(contents);
    return VIND_OK;
}

static vind_status_t add_segment(vind_page_t *page, char *literal, enum placeholder placeholder)
{
    segment_t *grown = realloc(page->segments, (page->n_segments + 1) * sizeof *grown);
    if (grown == NULL)
        return VIND_NOMEM;
    page->segments = grown;
    page->segments[page->n_segments++] = (segment_t){literal, placeholder};
    return VIND_OK;
}

/* Splits the template into literal text and {{placeholder}} segments. */
static vind_status_t parse_template(vind_page_t *page, const char *text, const char *path,
                                    char **errmsg)
{
    const char *p = text;
    while (*p) {
        const char *open = strstr(p, "{{");
        const char *close = open ? strstr(open + 2, "}}") : NULL;
        const char *end = close ? open : p + strlen(p);
        if (end > p) {
            char *literal = g_strndup(p, (gsize)(end - p));
            char *copy = strdup(literal);
            g_free(literal);
            if (copy == NULL || add_segment(page, copy, 0) != VIND_OK) {
                free(copy);
                return vind_error(errmsg, VIND_NOMEM, "out of memory loading %s", path);
            }
        }
        if (close == NULL)
            break;
        char *name = g_strstrip(g_strndup(open + 2, (gsize)(close - open - 2)));
        int found = -1;
        for (int i = 0; i < N_PLACEHOLDERS; i++)
            if (strcmp(name, placeholder_names[i]) == 0)
                found = i;
        if (found < 0) {
            vind_status_t status = vind_error(errmsg, VIND_INVALID_ARGUMENT,
                                              "%s: unknown placeholder {{%s}}", path, name);
            g_free(name);
            return status;
        }
        g_free(name);
        if (add_segment(page, NULL, (enum placeholder)found) != VIND_OK)
            return vind_error(errmsg, VIND_NOMEM, "out of memory loading %s", path);
        p = close + 2;
    }
    return VIND_OK;
}

/* Asset names: [a-z0-9_-]+ "." known extension; nothing else is ever served,
 * so "..", "/", "%2e" and dot files cannot name a file. */
static const char *asset_content_type(const char *name)
{
    static const struct {
        const char *extension, *content_type;
    } types[] = {
        {"css", "text/css; charset=utf-8"},
        {"js", "text/javascript; charset=utf-8"},
        {"svg", "image/svg+xml"},
        {"png", "image/png"},
        {"ico", "image/x-icon"},
        {"woff2", "font/woff2"},
    };
    const char *p = name;
    while ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' || *p == '_')
        p++;
    if (p == name || *p != '.')
        return NULL;
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        if (strcmp(p + 1, types[i].extension) == 0)
            return types[i].content_type;
    return NULL;
}

static vind_status_t load_assets(vind_page_t *page, const char *dir, char **errmsg)
{
    GError *error = NULL;
    GDir *folder = g_dir_open(dir, 0, &error);
    if (folder == NULL) {
        vind_status_t status =
            vind_error(errmsg, VIND_IO, "cannot list %s: %s", dir, error->message);
        g_error_free(error);
        return status;
    }
    vind_status_t status = VIND_OK;
    const char *name;
    while (status == VIND_OK && (name = g_dir_read_name(folder)) != NULL) {
        const char *content_type = asset_content_type(name);
        if (content_type == NULL)
            continue;
        char *path = g_build_filename(dir, name, NULL);
        char *data = NULL;
        size_t size = 0;
        char *why = NULL;
        vind_status_t read = read_regular_file(path, &data, &size, &why);
        if (read == VIND_TOO_LARGE) {
            /* A stylesheet that is silently missing breaks the page in a
             * way nobody connects to its size: refuse to start instead. */
            status = vind_error(errmsg, read, "%s", why);
            free(why);
            g_free(path);
            break;
        }
        if (read != VIND_OK) {
            free(why); /* a symbolic link is skipped, not served */
            g_free(path);
            continue;
        }
        g_free(path);
        vind_asset_t *grown = realloc(page->assets, (page->n_assets + 1) * sizeof *grown);
        char *name_copy = strdup(name);
        if (grown == NULL || name_copy == NULL) {
            free(data);
            free(name_copy);
            if (grown)
                page->assets = grown;
            status = vind_error(errmsg, VIND_NOMEM, "out of memory loading %s", dir);
            break;
        }
        page->assets = grown;
        page->assets[page->n_assets++] = (vind_asset_t){name_copy, content_type, data, size};
    }
    g_dir_close(folder);
    return status;
}

vind_status_t vind_page_load(const char *template_dir, vind_page_t **out, char **errmsg)
{
    *out = NULL;
    vind_page_t *page = calloc(1, sizeof *page);
    if (page == NULL)
        return vind_error(errmsg, VIND_NOMEM, "out of memory");
    char *path = g_build_filename(template_dir, "page.html", NULL);
    char *text = NULL;
    size_t size = 0;
    vind_status_t status = read_regular_file(path, &text, &size, errmsg);
    if (status == VIND_OK && !g_utf8_validate(text, (gssize)size, NULL))
        status = vind_error(errmsg, VIND_BAD_UTF8, "%s is not UTF-8", path);
    if (status == VIND_OK)
        status = parse_template(page, text, path, errmsg);
    if (status == VIND_OK)
        status = load_assets(page, template_dir, errmsg);
    free(text);
    g_free(path);
    if (status != VIND_OK) {
        vind_page_free(page);
        return status;
    }
    *out = page;
    return VIND_OK;
}

void vind_page_free(vind_page_t *page)
{
    if (page == NULL)
        return;
    for (size_t i = 0; i < page->n_segments; i++)
        free(page->segments[i].literal);
    free(page->segments);
    for (size_t i = 0; i < page->n_assets; i++) {
        free((char *)page->assets[i].name);
        free((char *)page->assets[i].data);
    }
    free(page->assets);
    free(page);
}

const vind_asset_t *vind_page_asset(const vind_page_t *page, const char *name)
{
    if (page == NULL || name == NULL || asset_content_type(name) == NULL)
        return NULL;
    for (size_t i = 0; i < page->n_assets; i++)
        if (strcmp(page->assets[i].name, name) == 0)
            return &page->assets[i];
    return NULL;
}

/* ---- rendering helpers ---- */

static void append_escaped(GString *out, const char *text)
{
    if (text == NULL)
        return;
    char *escaped = g_markup_escape_text(text, -1);
    g_string_append(out, escaped);
    g_free(escaped);
}

/* 12345 -> "12.345" (Dutch digit grouping). */
static void append_count(GString *out, unsigned long long n)
{
    char digits[32];
    int len = snprintf(digits, sizeof digits, "%llu", n);
    for (int i = 0; i < len; i++) {
        if (i > 0 && (len - i) % 3 == 0)
            g_string_append_c(out, '.');
        g_string_append_c(out, digits[i]);
    }
}

static const char *const dutch_months[] = {"januari",   "februari", "maart",    "april",
                                           "mei",       "juni",     "juli",     "augustus",
                                           "september", "oktober",  "november", "december"};

/* "2021-10-28" -> "28 oktober 2021", "2021-10" -> "oktober 2021"; anything
 * else as given. */
static void append_dutch_date(GString *out, const char *iso)
{
    int year, month, day;
    size_t n = iso ? strlen(iso) : 0;
    if (n == 10 && sscanf(iso, "%4d-%2d-%2d", &year, &month, &day) == 3 && month >= 1 &&
        month <= 12 && day >= 1 && day <= 31)
        g_string_append_printf(out, "%d %s %d", day, dutch_months[month - 1], year);
    else if (n == 7 && sscanf(iso, "%4d-%2d", &year, &month) == 2 && month >= 1 && month <= 12)
        g_string_append_printf(out, "%s %d", dutch_months[month - 1], year);
    else
        append_escaped(out, iso);
}

/* ---- the date fields ---- */

#define DATE_FORMAT_ERROR                                                                          \
    "Vul een datum in als dd-mm-jjjj, bijvoorbeeld 28-10-2021, of alleen een maand (10-2021) "     \
    "of jaar (2021)."
#define DATE_IMPOSSIBLE_ERROR                                                                      \
    "Deze datum bestaat niet. Vul een datum in als dd-mm-jjjj, bijvoorbeeld 28-10-2021."
#define DATE_ORDER_ERROR                                                                           \
    "Deze datum ligt v\xc3\xb3\xc3\xb3r de datum bij \xe2\x80\x98Van\xe2\x80\x99."

/* Splits "28-10-2021" (parts separated by '-', '/' or '.', spaces around
 * allowed) into at most three numbers and their digit counts; the count of
 * parts, or 0 when it is no such thing. */
static int date_parts(const char *text, unsigned value[3], size_t digits[3])
{
    const char *p = text;
    int n = 0;
    while (*p == ' ')
        p++;
    for (;;) {
        if (n == 3)
            return 0;
        value[n] = 0;
        digits[n] = 0;
        while (*p >= '0' && *p <= '9' && digits[n] < 5)
            value[n] = value[n] * 10 + (unsigned)(*p++ - '0'), digits[n]++;
        if (digits[n] == 0 || digits[n] > 4)
            return 0;
        n++;
        if (*p != '-' && *p != '/' && *p != '.')
            break;
        p++;
    }
    while (*p == ' ')
        p++;
    return *p == '\0' ? n : 0;
}

/* Reads a date as typed in the page's fields: dd-mm-jjjj, d-m-jjjj,
 * mm-jjjj, jjjj, and the ISO jjjj-mm(-dd), into iso ("2021-10-28",
 * "2021-10", "2021"). Returns NULL, or the Dutch error for the field. */
static const char *read_date(const char *text, char iso[11])
{
    unsigned value[3];
    size_t digits[3];
    int n = date_parts(text, value, digits);
    if (n == 0)
        return DATE_FORMAT_ERROR;
    int year_first = digits[0] == 4;
    int y = year_first ? 0 : n - 1;
    if (digits[y] != 4)
        return DATE_FORMAT_ERROR;
    for (int i = 0; i < n; i++)
        if (i != y && digits[i] > 2)
            return DATE_FORMAT_ERROR;
    unsigned year = value[y];
    unsigned month = n >= 2 ? value[year_first ? 1 : n - 2] : 0;
    unsigned day = n == 3 ? value[year_first ? 2 : 0] : 0;
    if (year == 0 || (n >= 2 && (month < 1 || month > 12)))
        return DATE_IMPOSSIBLE_ERROR;
    if (n == 3 && !g_date_valid_dmy((GDateDay)day, (GDateMonth)month, (GDateYear)year))
        return DATE_IMPOSSIBLE_ERROR;
    /* The digit counts above bound year, month and day to 4 and 2 digits;
     * the % says so to gcc -O1 (make check-searchd-tsan), which otherwise
     * warns that the text may not fit. */
    year %= 10000u, month %= 100u, day %= 100u;
    if (n == 1)
        snprintf(iso, 11, "%04u", year);
    else if (n == 2)
        snprintf(iso, 11, "%04u-%02u", year, month);
    else
        snprintf(iso, 11, "%04u-%02u-%02u", year, month, day);
    return NULL;
}

/* Whether the period from..to is empty: from's first day after to's last. */
static int dates_reversed(const char *from, const char *to)
{
    char low[11], high[11];
    snprintf(low, sizeof low, "%s%s", from, "-01-01" + (strlen(from) - 4));
    snprintf(high, sizeof high, "%s%s", to, "-12-31" + (strlen(to) - 4));
    return strcmp(low, high) > 0;
}

int vind_page_read_form(vind_search_params_t *params, vind_page_form_t *form)
{
    memset(form, 0, sizeof *form);
    form->unfiltered_total = -1;
    const char **fields[2] = {&params->from, &params->to};
    int ok = 1;
    for (int i = 0; i < 2; i++) {
        const char *typed = *fields[i];
        *fields[i] = NULL;
        if (typed == NULL || typed[strspn(typed, " ")] == '\0')
            continue;
        form->typed[i] = typed;
        form->error[i] = read_date(typed, form->iso[i]);
        ok &= form->error[i] == NULL;
    }
    if (ok && form->typed[0] && form->typed[1] && dates_reversed(form->iso[0], form->iso[1])) {
        form->error[1] = DATE_ORDER_ERROR;
        ok = 0;
    }
    for (int i = 0; ok && i < 2; i++)
        if (form->typed[i])
            *fields[i] = form->iso[i];
    return ok;
}

/* Only http(s) and site-relative links become href (vind_url_is_link): a
 * "javascript:" URL in a hostile page's canonical link must never be
 * clickable, nor "/\\attacker.example/", which browsers read as another
 * host. search.js's safeLink applies the same rule. */
static void append_link(GString *out, const char *url, const char *fragment, const char *text)
{
    if (!vind_url_is_link(url)) {
        append_escaped(out, text);
        return;
    }
    g_string_append(out, "<a href=\"");
    append_escaped(out, url);
    if (fragment)
        append_escaped(out, fragment);
    g_string_append(out, "\">");
    append_escaped(out, text);
    g_string_append(out, "</a>");
}

static void append_parameter(GString *url, const char *key, const char *value)
{
    if (value == NULL || *value == '\0')
        return;
    char *escaped = g_uri_escape_string(value, NULL, FALSE);
    g_string_append_printf(url, "%s%s=%s", strchr(url->str, '?') ? "&" : "?", key, escaped);
    g_free(escaped);
}

/* What a link leaves out of the current search: nothing (KEEP), every
 * filter (OMIT_ALL), a date, or (a facet number) one value of that facet. */
enum { KEEP = -1, OMIT_ALL = -2, OMIT_FROM = -3, OMIT_TO = -4 };

/*
 * The /zoeken URL for params with some changes: query (NULL: keep), page
 * (0: none), omit (above; a facet leaves out its value number omit_index).
 * Returned raw (caller escapes it for HTML).
 */
static GString *page_url(const vind_search_params_t *params, const char *query, unsigned page,
                         int omit, guint omit_index)
{
    static const char *const keys[VIND_FACET_LAST] = {"tag", "theme", "type", "year"};
    GString *url = g_string_new("/zoeken");
    append_parameter(url, "q", query ? query : params->query);
    if (omit != OMIT_ALL) {
        for (int f = 0; f < VIND_FACET_LAST; f++)
            for (guint i = 0; params->filters[f] && i < params->filters[f]->len; i++)
                if (!(f == omit && i == omit_index))
                    append_parameter(url, keys[f], g_ptr_array_index(params->filters[f], i));
        if (omit != OMIT_FROM)
            append_parameter(url, "from", params->from);
        if (omit != OMIT_TO)
            append_parameter(url, "to", params->to);
    }
    append_parameter(url, "sort", params->sort_name);
    append_parameter(url, "similar", params->similar);
    if (params->no_collapse)
        append_parameter(url, "collapse", "0");
    if (params->size != VIND_SEARCHD_DEFAULT_PAGE_SIZE) {
        char size[16];
        snprintf(size, sizeof size, "%u", params->size);
        append_parameter(url, "size", size);
    }
    if (page > 1) {
        char number[16];
        snprintf(number, sizeof number, "%u", page);
        append_parameter(url, "page", number);
    }
    return url;
}

static void append_url_attribute(GString *out, GString *url)
{
    append_escaped(out, url->str);
    g_string_free(url, TRUE);
}

/* The number of filters on: facet values and dates. */
static unsigned count_filters(const vind_search_params_t *params)
{
    unsigned n = (params->from != NULL) + (params->to != NULL);
    for (int f = 0; f < VIND_FACET_LAST; f++)
        n += params->filters[f] ? params->filters[f]->len : 0;
    return n;
}

static int has_filters(const vind_search_params_t *params)
{
    return count_filters(params) > 0;
}

/* ---- fragments ---- */

static const char *type_label(const char *type)
{
    if (type == NULL)
        return NULL;
    if (strcmp(type, "article") == 0)
        return "Artikel";
    if (strcmp(type, "pdf") == 0)
        return "PDF";
    if (strcmp(type, "page") == 0)
        return "Pagina";
    return type;
}

/* "3 vergelijkbare documenten": the near-duplicates collapsed into hit,
 * with a link listing its group for the same query (similar=<group>). */
static void render_similar(GString *out, const vind_search_params_t *params, const vind_hit_t *hit)
{
    if (hit->similar == 0 || !hit->group)
        return;
    vind_search_params_t group = *params;
    group.similar = hit->group;
    group.page = 1;
    g_string_append(out, "<p class=\"vind-hit-similar\"><a data-vind-nav href=\"");
    append_url_attribute(out, page_url(&group, NULL, 1, KEEP, 0));
    g_string_append_printf(out, "\">%u %s</a></p>\n", hit->similar,
                           hit->similar == 1 ? "vergelijkbaar document" : "vergelijkbare documenten");
}

static void render_hit(GString *out, const vind_search_params_t *params, const vind_hit_t *hit)
{
    /* NULL: no link of the site, withheld as in the JSON (vind_url_as_link) */
    const char *url = vind_url_as_link(hit->url);
    const char *title = hit->title && *hit->title ? hit->title : url ? url : "(zonder titel)";
    char fragment[32] = "";
    if (hit->n_pages > 0 && hit->type && strcmp(hit->type, "pdf") == 0)
        snprintf(fragment, sizeof fragment, "#page=%u", hit->pages[0]);
    g_string_append(out, "<li class=\"vind-hit\">\n<h3 class=\"vind-hit-title\">");
    append_link(out, hit->url, fragment[0] ? fragment : NULL, title);
    g_string_append(out, "</h3>\n<p class=\"vind-hit-meta\">");
    if (hit->type) {
        g_string_append(out, "<span class=\"vind-hit-type\">");
        append_escaped(out, type_label(hit->type));
        g_string_append(out, "</span>");
    }
    if (hit->date) {
        g_string_append(out, " <time datetime=\"");
        append_escaped(out, hit->date);
        g_string_append(out, "\">");
        append_dutch_date(out, hit->date);
        g_string_append(out, "</time>");
    }
    if (hit->n_pages > 0) {
        g_string_append(out, " <span class=\"vind-hit-pages\">pagina ");
        for (size_t i = 0; i < hit->n_pages; i++)
            g_string_append_printf(out, "%s%u", i ? ", " : "", hit->pages[i]);
        g_string_append(out, "</span>");
    }
    if (hit->ocr) /* the reader should know the words may be misread */
        g_string_append(out, " <span class=\"vind-hit-ocr\" title=\"Tekst van een gescande "
                             "pagina, herkend met OCR: woorden kunnen verkeerd gelezen zijn\">"
                             "gescand (OCR)</span>");
    g_string_append(out, "</p>\n");
    if (hit->snippet && *hit->snippet) /* already escaped by the library, with <mark> */
        g_string_append_printf(out, "<p class=\"vind-snippet\">%s</p>\n", hit->snippet);
    if (url) {
        g_string_append(out, "<p class=\"vind-hit-url\">");
        append_escaped(out, url);
        g_string_append(out, "</p>\n");
    }
    render_similar(out, params, hit);
    if (vind_url_as_link(hit->parent)) { /* withheld as in the JSON */
        g_string_append(out, "<p class=\"vind-hit-parent\">Bijlage bij ");
        append_link(out, hit->parent, NULL, hit->parent);
        g_string_append(out, "</p>\n");
    }
    if (hit->n_tags > 0) {
        g_string_append(out, "<ul class=\"vind-hit-tags\" aria-label=\"Trefwoorden\">");
        for (size_t i = 0; i < hit->n_tags; i++) {
            g_string_append(out, "<li>");
            append_escaped(out, hit->tags[i]);
            g_string_append(out, "</li>");
        }
        g_string_append(out, "</ul>\n");
    }
    g_string_append(out, "</li>\n");
}

/* " met 2 filters": the status says filters are on, or a search that keeps
 * a forgotten filter would say "Geen resultaten" for a query that has them. */
static void append_filter_note(GString *out, const vind_search_params_t *params)
{
    unsigned n = count_filters(params);
    if (n > 0)
        g_string_append_printf(out, " met %u filter%s", n, n == 1 ? "" : "s");
}

static void append_quoted(GString *out, const char *text)
{
    g_string_append(out, "\xe2\x80\x98");
    append_escaped(out, text);
    g_string_append(out, "\xe2\x80\x99");
}

/* The query the results are for: the correction when it was searched. */
static const char *searched_query(const vind_search_params_t *params, const vind_results_t *results)
{
    const char *suggestion = vind_results_suggestion(results);
    return vind_results_corrected(results) && suggestion && *suggestion ? suggestion
                                                                        : params->query;
}

static void render_no_results(GString *out, const vind_search_params_t *params,
                              const vind_results_t *results, const vind_page_form_t *form)
{
    g_string_append(out, "<div class=\"vind-empty\">\n<h2>Geen resultaten");
    if (*params->query) {
        g_string_append(out, " voor ");
        append_quoted(out, searched_query(params, results));
    }
    append_filter_note(out, params);
    g_string_append(out, "</h2>\n");
    long long unfiltered = form ? form->unfiltered_total : -1;
    int offer = has_filters(params) && *params->query && unfiltered != 0;
    if (offer && unfiltered > 0) {
        /* The filters hide what the query finds: say so first. */
        g_string_append(out, "<p class=\"vind-unfiltered\">Zonder filters zijn er ");
        append_count(out, (unsigned long long)unfiltered);
        g_string_append(out, unfiltered == 1 ? " resultaat" : " resultaten");
        g_string_append(out, ". <a href=\"");
        append_url_attribute(out, page_url(params, NULL, 0, OMIT_ALL, 0));
        g_string_append(out, "\">Zoek zonder filters</a></p>\n");
        offer = 0;
    }
    g_string_append(out, "<p>Misschien helpt een van deze tips:</p>\n<ul>\n"
                         "<li>Controleer de spelling van de zoekwoorden.</li>\n"
                         "<li>Gebruik minder woorden, of algemenere woorden.</li>\n"
                         "<li>Zoek op een deel van een woord met een sterretje, bijvoorbeeld "
                         "<kbd>zorg*</kbd>.</li>\n");
    if (offer) {
        g_string_append(out, "<li><a href=\"");
        append_url_attribute(out, page_url(params, NULL, 0, OMIT_ALL, 0));
        g_string_append(out, "\">Zoek zonder filters</a>.</li>\n");
    }
    g_string_append(out, "</ul>\n</div>\n");
}

uint64_t vind_page_listed(const vind_results_t *results)
{
    /* The collapsed list, the partial matches after the full ones included. */
    return vind_results_listed(results);
}

static void render_results(GString *out, const vind_search_params_t *params,
                           const vind_results_t *results, const vind_page_form_t *form)
{
    size_t count = vind_results_count(results);
    if (vind_page_listed(results) == 0) {
        render_no_results(out, params, results, form);
        return;
    }
    if (count == 0) {
        g_string_append(out, "<div class=\"vind-empty\"><h2>Geen resultaten op deze pagina</h2>"
                             "<p><a href=\"");
        append_url_attribute(out, page_url(params, NULL, 1, KEEP, 0));
        g_string_append(out, "\">Naar de eerste pagina</a></p></div>\n");
        return;
    }
    g_string_append_printf(out, "<ol class=\"vind-hits\" start=\"%u\">\n",
                           (params->page - 1) * params->size + 1);
    for (size_t i = 0; i < count; i++)
        render_hit(out, params, vind_results_get(results, i));
    g_string_append(out, "</ol>\n");
}

/* Documents with only some of the words follow those with every word:
 * ". 15 met alle woorden; daarna resultaten met een deel ervan". */
static void append_fallback_note(GString *out, const vind_results_t *results)
{
    if (!vind_results_fallback(results))
        return;
    uint64_t strict = vind_results_total(results);
    size_t absent = vind_results_absent_count(results);
    if (strict == 0) {
        g_string_append(out, ". Geen resultaat bevat ");
        /* the words no document has, by name: "‘kapper’ en ‘kniptang’" */
        for (size_t i = 0; i < absent; i++) {
            if (i > 0)
                g_string_append(out, i + 1 < absent ? ", " : " en ");
            append_quoted(out, vind_results_absent(results, i));
        }
        g_string_append(out, absent ? "; die met de andere woorden staan bovenaan"
                                    : "alle woorden; die met de meeste woorden staan bovenaan");
        return;
    }
    g_string_append(out, ". ");
    append_count(out, strict);
    g_string_append(out, " met alle woorden; daarna resultaten met een deel ervan");
}

static void render_status(GString *out, const vind_search_params_t *params,
                          const vind_results_t *results)
{
    /* The list runs over the collapsed entries; the count of documents
     * follows when near-duplicates were collapsed. */
    uint64_t total = vind_page_listed(results);
    uint64_t documents = vind_results_total(results) + vind_results_fallback_total(results);
    size_t count = vind_results_count(results);
    size_t first = (size_t)(params->page - 1) * params->size + 1;
    if (documents == 0)
        total = 0;
    /* A search stopped by its time budget or its count limit counted what
     * it saw: an estimate. */
    int estimate = vind_results_partial(results) || !vind_results_total_exact(results);
    const char *about = estimate ? "ongeveer " : "";
    if (total == 0)
        g_string_append(out, "Geen resultaten");
    else if (count > 0 && (first > 1 || count < total)) {
        g_string_append_printf(out, "Resultaten %zu\xe2\x80\x93%zu van %s", first, first + count - 1,
                               about);
        append_count(out, total);
    } else {
        g_string_append(out, about);
        append_count(out, total);
        g_string_append(out, total == 1 ? " resultaat" : " resultaten");
    }
    if (*params->query) {
        g_string_append(out, " voor ");
        append_quoted(out, searched_query(params, results));
    }
    append_filter_note(out, params);
    if (total > 0 && documents > total)
        g_string_append_printf(out, " (%llu documenten; vergelijkbare samengevoegd)",
                               (unsigned long long)documents);
    if (params->similar) {
        vind_search_params_t all = *params;
        all.similar = NULL;
        g_string_append(out, ", vergelijkbare documenten (<a data-vind-nav href=\"");
        append_url_attribute(out, page_url(&all, NULL, 1, KEEP, 0));
        g_string_append(out, "\">alle resultaten</a>)");
    }
    append_fallback_note(out, results);
}

/* Whether word is letters and digits only (quoting it changes nothing else). */
static int is_plain_word(const char *word)
{
    if (*word == '\0' || !g_utf8_validate(word, -1, NULL))
        return 0;
    for (const char *p = word; *p; p = g_utf8_next_char(p))
        if (!g_unichar_isalnum(g_utf8_get_char(p)))
            return 0;
    return 1;
}

/* The typed query with each corrected word in quotes, which the library
 * never corrects ("Zoek toch naar verpleegkunidge"); NULL when the words of
 * query and correction do not line up one to one. g_free the result. */
static char *forced_query(const char *query, const char *corrected)
{
    gchar **typed = g_strsplit(query, " ", -1);
    gchar **fixed = g_strsplit(corrected, " ", -1);
    GString *out = NULL;
    if (g_strv_length(typed) == g_strv_length(fixed)) {
        out = g_string_new(NULL);
        for (guint i = 0; out && typed[i]; i++) {
            int differs = strcmp(typed[i], fixed[i]) != 0;
            if (differs && !is_plain_word(typed[i])) {
                g_string_free(out, TRUE);
                out = NULL;
                break;
            }
            g_string_append_printf(out, differs ? "%s\"%s\"" : "%s%s", i ? " " : "", typed[i]);
        }
    }
    g_strfreev(typed);
    g_strfreev(fixed);
    return out ? g_string_free(out, FALSE) : NULL;
}

/* A correction that was searched is reported as such ("Resultaten voor
 * verpleegkundige; je zocht verpleegkunidge", with "Zoek toch naar …", the
 * typed words quoted so that they are not corrected); one that was not is
 * offered ("Bedoelde je …?"). */
static void render_suggestion(GString *out, const vind_search_params_t *params,
                              const vind_results_t *results)
{
    const char *suggestion = vind_results_suggestion(results);
    if (suggestion == NULL || *suggestion == '\0')
        return;
    if (vind_results_corrected(results)) {
        g_string_append(out, "<p class=\"vind-corrected\">Resultaten voor <strong>");
        append_escaped(out, suggestion);
        g_string_append(out, "</strong>; je zocht <strong>");
        append_escaped(out, params->query);
        g_string_append(out, "</strong>");
        char *forced = forced_query(params->query, suggestion);
        if (forced) {
            g_string_append(out, ". <a class=\"vind-force\" href=\"");
            append_url_attribute(out, page_url(params, forced, 0, KEEP, 0));
            g_string_append(out, "\">Zoek toch naar ");
            append_escaped(out, params->query);
            g_string_append(out, "</a>");
            g_free(forced);
        }
        g_string_append(out, "</p>\n");
        return;
    }
    g_string_append(out, "<p class=\"vind-suggestion\">Bedoelde je <a href=\"");
    append_url_attribute(out, page_url(params, suggestion, 0, KEEP, 0));
    g_string_append(out, "\">");
    append_escaped(out, suggestion);
    g_string_append(out, "</a>?</p>\n");
}

/* What the library could not do in full: a search stopped by its time
 * budget (partial), a count stopped at the count limit, and wildcards cut
 * to their most frequent words. */
static void render_limits(GString *out, const vind_results_t *results)
{
    if (vind_results_partial(results))
        g_string_append(out, "<p class=\"vind-notice\">Deze zoekopdracht kostte te veel tijd: "
                             "het aantal resultaten is een schatting en niet elk resultaat heeft "
                             "een fragment.</p>\n");
    else if (!vind_results_total_exact(results)) {
        uint64_t lower = 0, upper = 0;
        vind_results_total_bounds(results, &lower, &upper);
        g_string_append(out, "<p class=\"vind-notice\">Te veel resultaten om precies te tellen: "
                             "het aantal is een schatting, tussen ");
        append_count(out, lower);
        g_string_append(out, " en ");
        append_count(out, upper);
        g_string_append(out, ". Bij de filters staat hoeveel er minstens zijn.</p>\n");
    }
    if (vind_results_notice_count(results) > 0)
        g_string_append(out, "<p class=\"vind-notice\">Een woorddeel met * past op te veel "
                             "woorden: alleen de meest voorkomende zijn gezocht. Maak het langer "
                             "om ook de andere te vinden.</p>\n");
}

/* One active filter: a link to the same search without it. */
static void append_active_filter(GString *out, GString *url, const char *name, const char *value,
                                 int is_date)
{
    g_string_append(out, "<li><a class=\"vind-chip\" href=\"");
    append_url_attribute(out, url);
    g_string_append(out, "\"><span class=\"vind-visually-hidden\">Filter verwijderen: </span>");
    g_string_append(out, name);
    g_string_append(out, ": ");
    if (is_date)
        append_dutch_date(out, value);
    else
        append_escaped(out, value);
    g_string_append(out,
                    "<span class=\"vind-chip-x\" aria-hidden=\"true\"> \xc3\x97</span></a></li>\n");
}

/* The filters that are on, each with a remove link, and "Alle filters
 * wissen": results right under them, so a forgotten filter is seen.
 * iso_from/iso_to: the dates as searched (for their Dutch labels). */
static void render_active_filters(GString *out, const vind_search_params_t *params,
                                  const char *iso_from, const char *iso_to)
{
    static const char *const names[VIND_FACET_LAST] = {"Trefwoord", "Thema", "Soort", "Jaar"};
    if (!has_filters(params))
        return;
    g_string_append(out, "<div class=\"vind-active\">\n<p id=\"vind-active-title\" "
                         "class=\"vind-active-title\">Actieve filters</p>\n"
                         "<ul aria-labelledby=\"vind-active-title\">\n");
    for (int f = 0; f < VIND_FACET_LAST; f++)
        for (guint i = 0; params->filters[f] && i < params->filters[f]->len; i++) {
            const char *value = g_ptr_array_index(params->filters[f], i);
            append_active_filter(out, page_url(params, NULL, 0, f, i), names[f],
                                 f == VIND_FACET_TYPE ? type_label(value) : value, 0);
        }
    if (params->from)
        append_active_filter(out, page_url(params, NULL, 0, OMIT_FROM, 0), "Vanaf",
                             iso_from ? iso_from : params->from, 1);
    if (params->to)
        append_active_filter(out, page_url(params, NULL, 0, OMIT_TO, 0), "Tot en met",
                             iso_to ? iso_to : params->to, 1);
    g_string_append(out, "<li><a class=\"vind-clear\" href=\"");
    append_url_attribute(out, page_url(params, NULL, 0, OMIT_ALL, 0));
    g_string_append(out, "\">Alle filters wissen</a></li>\n</ul>\n</div>\n");
}

static const char *facet_title(vind_facet_t facet)
{
    static const char *const titles[VIND_FACET_LAST] = {"Trefwoorden", "Thema\xe2\x80\x99s",
                                                        "Soort", "Jaar"};
    return titles[facet];
}

/* lower: the count is a lower bound (past the count limit): "(812+)". */
static void render_facet_value(GString *out, vind_facet_t facet, size_t i,
                               const vind_facet_value_t *value, int lower)
{
    const char *name = vind_facet_name(facet);
    g_string_append_printf(out,
                           "<li><input type=\"checkbox\" id=\"vind-f-%s-%zu\" name=\"%s\" value=\"",
                           name, i, name);
    append_escaped(out, value->value);
    g_string_append_printf(out, "\"%s><label for=\"vind-f-%s-%zu\">",
                           value->selected ? " checked" : "", name, i);
    append_escaped(out, facet == VIND_FACET_TYPE ? type_label(value->value) : value->value);
    g_string_append(out, " <span class=\"vind-count\">(");
    append_count(out, value->count);
    g_string_append(out, lower ? "+)</span></label></li>\n" : ")</span></label></li>\n");
}

/* Selected values and the FACET_VISIBLE most frequent are listed; the rest
 * sit in a <details> that works without JavaScript. */
static int facet_value_visible(const vind_facet_value_t *value, size_t i)
{
    return value->selected || i < FACET_VISIBLE;
}

/* Selected values and the VIND_SEARCHD_MAX_FACET_VALUES most frequent are on
 * the page at all, as in /api/search; the rest are counted ("N andere").
 * Until session 16 the page listed every value: a feed of 300 records of
 * 100 tags of 200 bytes made each search page 16.6 MB (2.7 s to render),
 * and 40 connections that read nothing held the daemon at 823 MB. */
static int facet_value_listed(const vind_facet_value_t *value, size_t i)
{
    return value->selected || i < VIND_SEARCHD_MAX_FACET_VALUES;
}

/* The values of facet that are not on the page (facet_value_listed). */
static size_t facet_values_left_out(const vind_results_t *results, vind_facet_t facet)
{
    size_t n = vind_results_facet_count(results, facet), left_out = 0;
    for (size_t i = 0; i < n; i++) {
        const vind_facet_value_t *value = vind_results_facet_get(results, facet, i);
        left_out += value && !facet_value_listed(value, i);
    }
    return left_out;
}

static void render_facet_list(GString *out, const vind_results_t *results, vind_facet_t facet,
                              int visible)
{
    size_t n = vind_results_facet_count(results, facet);
    g_string_append(out, "<ul>\n");
    for (size_t i = 0; i < n; i++) {
        const vind_facet_value_t *value = vind_results_facet_get(results, facet, i);
        if (value && facet_value_listed(value, i) && facet_value_visible(value, i) == visible)
            render_facet_value(out, facet, i, value, !vind_results_facets_exact(results));
    }
    g_string_append(out, "</ul>\n");
}

/* "N andere" after a facet's list when values were left out. */
static void render_left_out(GString *out, const vind_results_t *results, vind_facet_t facet)
{
    size_t left_out = facet_values_left_out(results, facet);
    if (left_out > 0) {
        g_string_append(out, "<p class=\"vind-left-out\">");
        append_count(out, left_out);
        g_string_append(out, " andere</p>\n");
    }
}

/* Years read as a time line, newest first, all of them (a site has a few
 * dozen at most): "2024 (3), 2023 (5)" rather than ordered by count. */
static int by_year_descending(const void *a, const void *b)
{
    const vind_facet_value_t *x = *(const vind_facet_value_t *const *)a;
    const vind_facet_value_t *y = *(const vind_facet_value_t *const *)b;
    return strcmp(y->value, x->value);
}

static void render_year_list(GString *out, const vind_results_t *results)
{
    size_t n = vind_results_facet_count(results, VIND_FACET_YEAR);
    const vind_facet_value_t **values = calloc(n ? n : 1, sizeof *values);
    if (values == NULL)
        return;
    size_t used = 0;
    for (size_t i = 0; i < n; i++)
        if ((values[used] = vind_results_facet_get(results, VIND_FACET_YEAR, i)) != NULL &&
            facet_value_listed(values[used], i))
            used++;
    qsort(values, used, sizeof *values, by_year_descending);
    g_string_append(out, "<ul>\n");
    for (size_t k = 0; k < used; k++) {
        /* The id keeps the library's index, as search.js does. */
        size_t index = 0;
        while (index < n && vind_results_facet_get(results, VIND_FACET_YEAR, index) != values[k])
            index++;
        render_facet_value(out, VIND_FACET_YEAR, index, values[k],
                           !vind_results_facets_exact(results));
    }
    g_string_append(out, "</ul>\n");
    free(values);
}

static void render_facets(GString *out, const vind_results_t *results)
{
    static const char *const more[VIND_FACET_LAST] = {"Meer trefwoorden", "Meer thema\xe2\x80\x99s",
                                                      "Meer soorten", "Meer jaren"};
    for (int f = 0; f < VIND_FACET_LAST; f++) {
        size_t n = vind_results_facet_count(results, (vind_facet_t)f);
        if (n == 0)
            continue;
        g_string_append_printf(out, "<fieldset class=\"vind-facet\" data-facet=\"%s\">\n<legend>",
                               vind_facet_name((vind_facet_t)f));
        append_escaped(out, facet_title((vind_facet_t)f));
        g_string_append(out, "</legend>\n");
        if (f == VIND_FACET_YEAR) {
            render_year_list(out, results);
            render_left_out(out, results, VIND_FACET_YEAR);
            g_string_append(out, "</fieldset>\n");
            continue;
        }
        render_facet_list(out, results, (vind_facet_t)f, 1);
        size_t hidden = 0;
        for (size_t i = 0; i < n; i++) {
            const vind_facet_value_t *value = vind_results_facet_get(results, (vind_facet_t)f, i);
            hidden += value && facet_value_listed(value, i) && !facet_value_visible(value, i);
        }
        if (hidden > 0) {
            g_string_append_printf(out, "<details class=\"vind-more\"><summary>%s</summary>\n",
                                   more[f]);
            render_facet_list(out, results, (vind_facet_t)f, 0);
            render_left_out(out, results, (vind_facet_t)f);
            g_string_append(out, "</details>\n");
        }
        g_string_append(out, "</fieldset>\n");
    }
}

static void render_pagination(GString *out, const vind_search_params_t *params,
                              const vind_results_t *results)
{
    uint64_t total = vind_page_listed(results); /* pages of the collapsed list */
    uint64_t pages = (total + params->size - 1) / params->size;
    if (pages > VIND_SEARCHD_MAX_PAGE)
        pages = VIND_SEARCHD_MAX_PAGE;
    if (pages <= 1)
        return;
    unsigned current = params->page;
    g_string_append(out, "<ul class=\"vind-pages\">\n");
    if (current > 1) {
        g_string_append(out, "<li><a rel=\"prev\" href=\"");
        append_url_attribute(out, page_url(params, NULL, current - 1, KEEP, 0));
        g_string_append(out, "\">Vorige</a></li>\n");
    }
    unsigned last_shown = 0;
    for (unsigned p = 1; p <= pages; p++) {
        int near = p + 2 >= current && p <= current + 2;
        if (p != 1 && p != pages && !near)
            continue;
        if (last_shown && p > last_shown + 1)
            g_string_append(out, "<li class=\"vind-gap\" aria-hidden=\"true\">\xe2\x80\xa6</li>\n");
        if (p == current)
            g_string_append_printf(out, "<li><a aria-current=\"page\" href=\"");
        else
            g_string_append(out, "<li><a href=\"");
        append_url_attribute(out, page_url(params, NULL, p, KEEP, 0));
        g_string_append_printf(
            out, "\"><span class=\"vind-visually-hidden\">Pagina </span>%u</a></li>\n", p);
        last_shown = p;
    }
    if (current < pages) {
        g_string_append(out, "<li><a rel=\"next\" href=\"");
        append_url_attribute(out, page_url(params, NULL, current + 1, KEEP, 0));
        g_string_append(out, "\">Volgende</a></li>\n");
    }
    g_string_append(out, "</ul>\n");
}

static void render_sort_options(GString *out, const vind_search_params_t *params)
{
    static const struct {
        vind_sort_t sort;
        const char *value, *label;
    } options[] = {{VIND_SORT_RELEVANCE, "relevance", "Relevantie"},
                   {VIND_SORT_DATE_DESC, "date", "Nieuwste eerst"},
                   {VIND_SORT_DATE_ASC, "date-asc", "Oudste eerst"}};
    for (size_t i = 0; i < 3; i++)
        g_string_append_printf(out, "<option value=\"%s\"%s>%s</option>", options[i].value,
                               params && params->sort == options[i].sort ? " selected" : "",
                               options[i].label);
}

/* ---- the page ---- */

/* The date fields: the value as typed, aria attributes and the error at
 * the field (GOV.UK's pattern: message above the input, named by it). */
static void render_date_field(GString *fragments[], int i, const char *typed, const char *error)
{
    static const char *const names[2] = {"from", "to"};
    static const enum placeholder value[2] = {PH_FROM, PH_TO};
    static const enum placeholder state[2] = {PH_FROM_STATE, PH_TO_STATE};
    static const enum placeholder message[2] = {PH_FROM_ERROR, PH_TO_ERROR};
    append_escaped(fragments[value[i]], typed);
    if (error == NULL) {
        g_string_append(fragments[state[i]], " aria-describedby=\"vind-date-hint\"");
        return;
    }
    g_string_append_printf(
        fragments[state[i]],
        " aria-invalid=\"true\" aria-describedby=\"vind-%s-error vind-date-hint\"", names[i]);
    g_string_append_printf(fragments[message[i]],
                           "<p id=\"vind-%s-error\" class=\"vind-field-error\"><span "
                           "class=\"vind-visually-hidden\">Fout: </span>%s</p>",
                           names[i], error);
}

/* In place of results when a date field is wrong: what to fix, linked to
 * the field (the filters are opened so that the field is visible). */
static void render_form_errors(GString *out, const vind_page_form_t *form)
{
    static const char *const labels[2] = {"Van", "Tot en met"};
    static const char *const ids[2] = {"vind-from", "vind-to"};
    g_string_append(out, "<div class=\"vind-message\" role=\"alert\">\n"
                         "<h2>Controleer de periode</h2>\n<ul>\n");
    for (int i = 0; i < 2; i++)
        if (form->error[i])
            g_string_append_printf(out, "<li><a href=\"#%s\">%s: %s</a></li>\n", ids[i], labels[i],
                                   form->error[i]);
    g_string_append(out, "</ul>\n</div>\n");
}

char *vind_page_render(const vind_page_t *page, const vind_search_params_t *params,
                       const vind_results_t *results, const char *message)
{
    return vind_page_render_form(page, params, results, message, NULL);
}

char *vind_page_render_form(const vind_page_t *page, const vind_search_params_t *params,
                            const vind_results_t *results, const char *message,
                            const vind_page_form_t *form)
{
    GString *fragments[N_PLACEHOLDERS];
    for (int i = 0; i < N_PLACEHOLDERS; i++)
        fragments[i] = g_string_new(NULL);
    const char *query = params && params->query ? params->query : "";
    /* Links and fields carry the dates as typed ("01-01-2019"), the labels
     * the dates as searched. */
    vind_search_params_t shown;
    if (params) {
        shown = *params;
        if (form) {
            shown.from = form->typed[0];
            shown.to = form->typed[1];
        }
        params = &shown;
    }
    int form_errors = form && (form->error[0] || form->error[1]);

    if (form_errors) /* the title is read first: say that the page is an error */
        g_string_append(fragments[PH_TITLE], "Fout: ");
    if (*query) {
        g_string_append(fragments[PH_TITLE], "\xe2\x80\x98");
        append_escaped(fragments[PH_TITLE], query);
        g_string_append(fragments[PH_TITLE], "\xe2\x80\x99 \xe2\x80\x93 Zoeken");
    } else
        g_string_append(fragments[PH_TITLE], "Zoeken");
    g_string_append(fragments[PH_ASSETS], ASSETS_URL);
    append_escaped(fragments[PH_QUERY], query);
    g_string_append_printf(fragments[PH_MAX_QUERY], "%u", VIND_MAX_QUERY_BYTES / 4);
    render_sort_options(fragments[PH_SORT_OPTIONS], params);
    for (int i = 0; i < 2; i++)
        render_date_field(fragments, i, params ? (i ? params->to : params->from) : NULL,
                          form ? form->error[i] : NULL);
    if (form_errors)
        g_string_append(fragments[PH_FILTERS_OPEN], " open");
    if (params) {
        if (params->size != VIND_SEARCHD_DEFAULT_PAGE_SIZE)
            g_string_append_printf(fragments[PH_HIDDEN],
                                   "<input type=\"hidden\" name=\"size\" value=\"%u\">",
                                   params->size);
        if (has_filters(params))
            g_string_append_printf(fragments[PH_FILTER_COUNT],
                                   " <span class=\"vind-filter-count\">(%u actief)</span>",
                                   count_filters(params));
    }
    if (message) {
        g_string_append(fragments[PH_RESULTS], "<div class=\"vind-message\" role=\"alert\"><p>");
        append_escaped(fragments[PH_RESULTS], message);
        g_string_append(fragments[PH_RESULTS], "</p></div>\n");
    } else if (form_errors)
        render_form_errors(fragments[PH_RESULTS], form);
    else if (params && results) {
        render_status(fragments[PH_STATUS], params, results);
        render_active_filters(fragments[PH_ACTIVE_FILTERS], params, form ? form->iso[0] : NULL,
                              form ? form->iso[1] : NULL);
        render_limits(fragments[PH_SUGGESTION], results);
        render_suggestion(fragments[PH_SUGGESTION], params, results);
        render_results(fragments[PH_RESULTS], params, results, form);
        render_facets(fragments[PH_FACETS], results);
        render_pagination(fragments[PH_PAGINATION], params, results);
    }

    GString *html = g_string_sized_new(16384);
    for (size_t i = 0; page && i < page->n_segments; i++) {
        const segment_t *segment = &page->segments[i];
        if (segment->literal)
            g_string_append(html, segment->literal);
        else
            g_string_append_len(html, fragments[segment->placeholder]->str,
                                (gssize)fragments[segment->placeholder]->len);
    }
    for (int i = 0; i < N_PLACEHOLDERS; i++)
        g_string_free(fragments[i], TRUE);
    char *out = strdup(html->str);
    g_string_free(html, TRUE);
    return out;
}
