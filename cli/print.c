/*
 * print.c - the output back ends of `vind` (cli/print.h): one row printer for
 * text, JSON, JSONL and CSV, and the helpers that turn snippets and stored
 * strings into safe terminal text.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>
#include <jansson.h>
#include <vind/search.h>
#include "print.h"

static const struct {
    const char *name;
    vind_format_t format;
} formats[] = {
    {"text", VIND_FORMAT_TEXT},
    {"json", VIND_FORMAT_JSON},
    {"jsonl", VIND_FORMAT_JSONL},
    {"csv", VIND_FORMAT_CSV},
};

int vind_format_parse(const char *name, unsigned allowed, vind_format_t *out)
{
    if (!name)
        name = "text";
    for (size_t i = 0; i < G_N_ELEMENTS(formats); i++)
        if (strcmp(name, formats[i].name) == 0 && (allowed & formats[i].format)) {
            *out = formats[i].format;
            return 1;
        }
    return 0;
}

const char *vind_format_names(unsigned allowed)
{
    static const char *const names[16] = {
        "",          "text",           "json",           "text|json",
        "jsonl",     "text|jsonl",     "json|jsonl",     "text|json|jsonl",
        "csv",       "text|csv",       "json|csv",       "text|json|csv",
        "jsonl|csv", "text|jsonl|csv", "json|jsonl|csv", "text|json|jsonl|csv",
    };
    return names[allowed & 15u];
}

/* ---- terminal text ---- */

int vind_stdout_is_tty(void)
{
    return isatty(STDOUT_FILENO);
}

const char *vind_highlight_on(int tty)
{
    if (!tty)
        return "";
    const char *no_color = getenv("NO_COLOR");
    return no_color && *no_color ? "\033[1m" : "\033[1;31m";
}

const char *vind_highlight_off(int tty)
{
    return tty ? "\033[0m" : "";
}

/* Appends text with control characters (C0, DEL, C1: an escape sequence in a
 * title could recolour or retitle the terminal) as spaces, runs of white
 * space as one. */
static void append_clean(GString *out, const char *text, size_t length)
{
    gchar *valid = g_utf8_make_valid(text, (gssize)length);
    for (const char *p = valid; *p;) {
        const char *next = g_utf8_next_char(p);
        gunichar c = (unsigned char)*p < 0x80 ? (gunichar)(unsigned char)*p : g_utf8_get_char(p);
        if (c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0) || c == 0x2028 || c == 0x2029)
            c = ' ';
        if (c == ' ' && out->len && out->str[out->len - 1] == ' ') {
            p = next;
            continue;
        }
        /* A kept character is copied as its bytes (valid UTF-8 here): ten
         * hits' snippets re-encoded one code point at a time were 0.4 M
         * instructions of `vind search` (callgrind), a tenth of its own. */
        if (c == ' ' || c < 0x80)
            g_string_append_c(out, (gchar)c);
        else
            g_string_append_len(out, p, next - p);
        p = next;
    }
    g_free(valid);
}

char *vind_clean_text(const char *text)
{
    GString *out = g_string_new("");
    if (text)
        append_clean(out, text, strlen(text));
    char *result = strdup(out->str);
    g_string_free(out, TRUE);
    return result;
}

/* The character of an entity starting at p ("&amp;", "&#233;", "&#x2026;"),
 * and its length; 0 when it is not one (then '&' is shown as it is). */
static gunichar entity(const char *p, size_t *length)
{
    static const struct {
        const char *name;
        gunichar c;
    } named[] = {{"&amp;", '&'},  {"&lt;", '<'},    {"&gt;", '>'},    {"&quot;", '"'},
                 {"&#39;", '\''}, {"&apos;", '\''}, {"&nbsp;", 0xA0}, {"&hellip;", 0x2026}};
    for (size_t i = 0; i < G_N_ELEMENTS(named); i++)
        if (strncmp(p, named[i].name, strlen(named[i].name)) == 0) {
            *length = strlen(named[i].name);
            return named[i].c;
        }
    if (p[1] != '#')
        return 0;
    int hex = p[2] == 'x' || p[2] == 'X';
    char *end = NULL;
    unsigned long value = strtoul(p + (hex ? 3 : 2), &end, hex ? 16 : 10);
    if (!end || *end != ';' || end == p + (hex ? 3 : 2) || value == 0 || value > 0x10FFFF ||
        !g_unichar_validate((gunichar)value))
        return 0;
    *length = (size_t)(end - p) + 1;
    return (gunichar)value;
}

char *vind_snippet_text(const char *html, int tty)
{
    GString *decoded = g_string_new("");
    GString *out = g_string_new("");
    const char *p = html ? html : "";
    while (*p) {
        if (*p == '<' && (strncmp(p, "<mark>", 6) == 0 || strncmp(p, "</mark>", 7) == 0)) {
            int opening = p[1] != '/';
            append_clean(out, decoded->str, decoded->len);
            g_string_truncate(decoded, 0);
            g_string_append(out, opening ? vind_highlight_on(tty) : vind_highlight_off(tty));
            p += opening ? 6 : 7;
        } else if (*p == '<') {
            /* Another tag cannot come from vind_snippet_make; drop it whole. */
            const char *close = strchr(p, '>');
            p = close ? close + 1 : p + strlen(p);
        } else if (*p == '&') {
            size_t length = 0;
            gunichar c = entity(p, &length);
            if (c) {
                g_string_append_unichar(decoded, c);
                p += length;
            } else
                g_string_append_c(decoded, *p++);
        } else
            g_string_append_c(decoded, *p++);
    }
    append_clean(out, decoded->str, decoded->len);
    g_string_free(decoded, TRUE);
    char *result = strdup(out->str);
    g_string_free(out, TRUE);
    return result;
}

/* The escape of an HTML-special byte (< > &), else NULL. */
static const char *html_special_escape(char c)
{
    return c == '<' ? "\\u003c" : c == '>' ? "\\u003e" : c == '&' ? "\\u0026" : NULL;
}

/* JSON text with < > & as \u003c \u003e \u0026, and C1 controls and
 * U+2028/2029 as \u escapes (the library's vind_json_escape_controls, the one
 * place that decides which characters those are; malloc'd; NULL on NOMEM):
 * the same data to any parser, but a title like "<script>…" pasted into a web
 * page by a researcher's script or a site generator (related.json) cannot
 * become markup, and a hostile title cannot move a terminal's cursor (U+009B
 * is a terminal's CSI; U+2028 cuts a JSONL line for Python's splitlines).
 * The library's JSON escapes the controls already, but the pretty print for a
 * terminal (vind_print_json) is jansson's dump again, which writes them raw,
 * so this pass stays. These bytes only occur inside JSON strings, so a
 * byte-wise rewrite is exact. Cost: two passes over the text. */
char *vind_json_safe(const char *json_text)
{
    char *controls_escaped = vind_json_escape_controls(strdup(json_text));
    if (!controls_escaped)
        return NULL;
    GString *out = g_string_sized_new(strlen(controls_escaped) + 64);
    for (const char *p = controls_escaped; *p; p++) {
        const char *escape = html_special_escape(*p);
        if (escape)
            g_string_append(out, escape);
        else
            g_string_append_c(out, *p);
    }
    free(controls_escaped);
    char *safe = strdup(out->str);
    g_string_free(out, TRUE);
    return safe;
}

static void write_json_safe(FILE *out, const char *json_text)
{
    char *safe = vind_json_safe(json_text);
    fputs(safe ? safe : "null", out);
    free(safe);
}

void vind_print_json_line(FILE *out, const char *json_text)
{
    write_json_safe(out, json_text ? json_text : "null");
    fputc('\n', out);
}

void vind_print_json(FILE *out, const char *json_text)
{
    if (!json_text)
        return;
    if (out == stdout && vind_stdout_is_tty()) {
        json_t *value = json_loads(json_text, JSON_DECODE_ANY, NULL);
        char *pretty = value ? json_dumps(value, JSON_INDENT(2) | JSON_ENCODE_ANY) : NULL;
        json_decref(value);
        if (pretty) {
            vind_print_json_line(out, pretty);
            free(pretty);
            return;
        }
    }
    vind_print_json_line(out, json_text);
}

/* ---- CSV ---- */

/* Whether a spreadsheet would read a cell starting with c as a formula:
 * = + - @, a tab or a carriage return (OWASP's list for CSV injection; a
 * title "=HYPERLINK(...)" from a crawled page must stay text). */
static int csv_formula_start(char c)
{
    return c && strchr("=+-@\t\r", c) != NULL;
}

/* Where a cell a spreadsheet may see begins at start (the field's start, or
 * just past a ';' or a tab in it), where its formula character is, else
 * NULL. A ';' or a tab inside a field starts a cell too when the file is
 * opened with another separator: Excel with Dutch regional settings splits
 * a .csv at ';' (the list separator of nl-NL), and LibreOffice offers ';'
 * and tab; OWASP warns of exactly this. Spaces and quotes before the
 * character are skipped (LibreOffice's "trim spaces", a quoted cell). */
static const char *csv_formula_at(const char *start)
{
    const char *p = start;
    if (p[0] == '\t' || p[0] == '\r')
        return p;
    while (*p == ' ' || *p == '"')
        p++;
    return csv_formula_start(*p) ? p : NULL;
}

/* field with a "'" before each formula character that begins a cell (as
 * OWASP advises: the spreadsheet shows it as text, and a reader sees what
 * was changed); NULL when nothing needs it. Cost: one pass over the field. */
static char *csv_defused(const char *field)
{
    GString *out = NULL;
    const char *copied = field;
    for (const char *cell = field;;) {
        const char *formula = csv_formula_at(cell);
        if (formula) {
            if (!out)
                out = g_string_sized_new(strlen(field) + 8);
            g_string_append_len(out, copied, formula - copied);
            g_string_append_c(out, '\'');
            copied = formula;
        }
        const char *separator = strpbrk(cell, ";\t");
        if (!separator)
            break;
        cell = separator + 1;
    }
    if (!out)
        return NULL;
    g_string_append(out, copied);
    return g_string_free(out, FALSE);
}

size_t vind_control_at(const char *at, const char *kept)
{
    const unsigned char *p = (const unsigned char *)at;
    if ((*p < 0x20 && *p != '\0' && !strchr(kept, *p)) || *p == 0x7f)
        return 1;
    return p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f ? 2 : 0;
}

/* The control characters a CSV cell keeps: the tab and line breaks (quoted). */
#define CSV_KEPT "\t\r\n"

/* field with its control characters as spaces (an ESC [ of a hostile title
 * reached the terminal of whoever looked at the CSV), NULL when it has
 * none. Cost: one pass over the field. */
static char *csv_visible(const char *field)
{
    const char *p = field;
    while (*p && !vind_control_at(p, CSV_KEPT))
        p++;
    if (!*p)
        return NULL;
    GString *out = g_string_new_len(field, p - field);
    while (*p) {
        size_t control = vind_control_at(p, CSV_KEPT);
        g_string_append_c(out, control ? ' ' : *p);
        p += control ? control : 1;
    }
    return g_string_free(out, FALSE);
}

static void csv_field(FILE *out, const char *field)
{
    if (!field)
        return;
    char *visible = csv_visible(field);
    if (visible)
        field = visible;
    char *defused = csv_defused(field);
    if (defused)
        field = defused;
    /* Quoted when it holds a separator, a quote or a line break, or begins
     * or ends with white space a spreadsheet would trim. */
    size_t length = strlen(field);
    int quote = strpbrk(field, ",\"\r\n") != NULL ||
                (length && (field[0] == ' ' || field[length - 1] == ' '));
    if (!quote) {
        fputs(field, out);
    } else {
        fputc('"', out);
        for (const char *p = field; *p; p++) {
            if (*p == '"')
                fputc('"', out);
            fputc(*p, out);
        }
        fputc('"', out);
    }
    g_free(defused);
    g_free(visible);
}

void vind_csv_record(FILE *out, const char *const *fields, size_t n_fields)
{
    for (size_t i = 0; i < n_fields; i++) {
        if (i)
            fputc(',', out);
        csv_field(out, fields[i]);
    }
    fputs("\r\n", out);
}

/* ---- rows ---- */

struct vind_printer {
    FILE *out;
    vind_format_t format;
    const vind_column_t *columns;
    size_t n_columns;
    size_t rows;
    int tty;
    GPtrArray *pending; /* text: rows (char ** of n_columns) until finish */
};

vind_printer_t *vind_printer_new(FILE *out, vind_format_t format, const vind_column_t *columns,
                                 size_t n_columns)
{
    vind_printer_t *printer = calloc(1, sizeof *printer);
    if (!printer)
        return NULL;
    *printer = (vind_printer_t){out, format, columns, n_columns, 0, 0, NULL};
    printer->tty = out == stdout && vind_stdout_is_tty();
    if (format == VIND_FORMAT_TEXT)
        printer->pending = g_ptr_array_new();
    if (format == VIND_FORMAT_CSV) {
        const char **names = calloc(n_columns ? n_columns : 1, sizeof *names);
        for (size_t i = 0; names && i < n_columns; i++)
            names[i] = columns[i].name;
        if (names)
            vind_csv_record(out, names, n_columns);
        free(names);
    }
    if (format == VIND_FORMAT_JSON)
        fputs("[", out);
    return printer;
}

static json_t *row_object(const vind_printer_t *printer, const char *const *values)
{
    json_t *object = json_object();
    for (size_t i = 0; i < printer->n_columns; i++) {
        const char *v = values[i];
        json_t *value = NULL;
        if (v && printer->columns[i].type == VIND_COLUMN_INTEGER)
            value = json_integer(strtoll(v, NULL, 10));
        else if (v && printer->columns[i].type == VIND_COLUMN_NUMBER)
            value = json_real(strtod(v, NULL));
        else if (v)
            value = json_string(v);
        json_object_set_new(object, printer->columns[i].name, value ? value : json_null());
    }
    return object;
}

void vind_printer_row(vind_printer_t *printer, const char *const *values)
{
    if (!printer)
        return;
    if (printer->format == VIND_FORMAT_CSV) {
        vind_csv_record(printer->out, values, printer->n_columns);
    } else if (printer->format == VIND_FORMAT_TEXT) {
        char **row = calloc(printer->n_columns ? printer->n_columns : 1, sizeof *row);
        for (size_t i = 0; row && i < printer->n_columns; i++)
            row[i] = vind_clean_text(values[i] ? values[i] : "-");
        if (row)
            g_ptr_array_add(printer->pending, row);
    } else {
        json_t *object = row_object(printer, values);
        char *text = json_dumps(object, JSON_COMPACT);
        json_decref(object);
        if (printer->format == VIND_FORMAT_JSON)
            fputs(printer->rows ? ",\n" : "\n", printer->out);
        write_json_safe(printer->out, text ? text : "null");
        if (printer->format == VIND_FORMAT_JSONL)
            fputc('\n', printer->out);
        free(text);
    }
    printer->rows++;
}

static size_t display_width(const char *text)
{
    return (size_t)g_utf8_strlen(text, -1);
}

static void pad(GString *line, size_t n)
{
    for (size_t i = 0; i < n; i++)
        g_string_append_c(line, ' ');
}

static void finish_text(vind_printer_t *printer)
{
    size_t *widths = calloc(printer->n_columns ? printer->n_columns : 1, sizeof *widths);
    if (!widths)
        return;
    for (guint r = 0; r < printer->pending->len; r++) {
        char **row = g_ptr_array_index(printer->pending, r);
        for (size_t i = 0; i < printer->n_columns; i++)
            if (display_width(row[i]) > widths[i])
                widths[i] = display_width(row[i]);
    }
    GString *line = g_string_new("");
    for (guint r = 0; r < printer->pending->len; r++) {
        char **row = g_ptr_array_index(printer->pending, r);
        g_string_truncate(line, 0);
        for (size_t i = 0; i < printer->n_columns; i++) {
            const vind_column_t *column = &printer->columns[i];
            int right = column->align_right || column->type != VIND_COLUMN_STRING;
            size_t gap = widths[i] - display_width(row[i]);
            if (i)
                g_string_append(line, "  ");
            if (right)
                pad(line, gap);
            g_string_append_printf(line, "%s%s%s",
                                   column->highlight ? vind_highlight_on(printer->tty) : "", row[i],
                                   column->highlight ? vind_highlight_off(printer->tty) : "");
            if (!right)
                pad(line, gap);
            free(row[i]);
        }
        while (line->len && line->str[line->len - 1] == ' ')
            g_string_truncate(line, line->len - 1);
        fprintf(printer->out, "%s\n", line->str);
        free(row);
    }
    g_string_free(line, TRUE);
    free(widths);
}

void vind_printer_finish(vind_printer_t *printer)
{
    if (!printer)
        return;
    if (printer->format == VIND_FORMAT_TEXT) {
        finish_text(printer);
        g_ptr_array_free(printer->pending, TRUE);
    }
    if (printer->format == VIND_FORMAT_JSON)
        fputs(printer->rows ? "\n]\n" : "]\n", printer->out);
    fflush(printer->out);
    free(printer);
}
