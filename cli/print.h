/*
 * print.h - how `vind` prints: output formats (text, JSON, JSONL, CSV), a
 * row printer that writes the same rows in each of them (as notmuch's
 * sprinter writes one structure through several back ends), and the text
 * helpers that make snippets and stored strings safe and readable in a
 * terminal.
 */
#ifndef VIND_CLI_PRINT_H
#define VIND_CLI_PRINT_H

#include <stddef.h>
#include <stdio.h>

typedef enum {
    VIND_FORMAT_TEXT = 1u << 0,
    VIND_FORMAT_JSON = 1u << 1,
    VIND_FORMAT_JSONL = 1u << 2,
    VIND_FORMAT_CSV = 1u << 3,
} vind_format_t;

/* Reads a --format value ("text", "json", "jsonl", "csv"; NULL = text) among
 * the allowed ones (a mask of vind_format_t); 0 when it is not one of them. */
int vind_format_parse(const char *name, unsigned allowed, vind_format_t *out);

/* The allowed names joined by '|' for a message ("text|json|csv"). */
const char *vind_format_names(unsigned allowed);

typedef enum {
    VIND_COLUMN_STRING,
    VIND_COLUMN_INTEGER, /* printed as a JSON number, right-aligned in text */
    VIND_COLUMN_NUMBER,
} vind_column_type_t;

typedef struct {
    const char *name; /* CSV header and JSON key */
    vind_column_type_t type;
    int align_right; /* text: right-align (a left context) */
    int highlight;   /* text on a terminal: bold (a keyword) */
} vind_column_t;

typedef struct vind_printer vind_printer_t;

/*
 * A printer of rows with the given columns (borrowed: they must outlive it)
 * to out. text: columns aligned (rows are kept until vind_printer_finish),
 * separated by two spaces, NULL shown as "-"; csv: RFC 4180 with a header
 * row and CRLF line ends; json: an array of objects; jsonl: one object per
 * line. NULL on NOMEM.
 */
vind_printer_t *vind_printer_new(FILE *out, vind_format_t format, const vind_column_t *columns,
                                 size_t n_columns);

/* One row: n_columns values (strings; numbers as their text; NULL = absent). */
void vind_printer_row(vind_printer_t *printer, const char *const *values);

/* Writes what is pending and frees the printer. Accepts NULL. */
void vind_printer_finish(vind_printer_t *printer);

/* Writes one CSV record (RFC 4180: quoted when needed, quotes doubled, CRLF;
 * a cell beginning with = + - @, tab or CR gets a leading ' against formula
 * injection). */
void vind_csv_record(FILE *out, const char *const *fields, size_t n_fields);

/*
 * A snippet (HTML: escaped text, <mark>…</mark>) as terminal text, malloc'd:
 * entities decoded, tags dropped; when tty, marks shown bold and coloured
 * (bold only under $NO_COLOR). Control characters become spaces, so text
 * from a document can never drive the terminal.
 */
char *vind_snippet_text(const char *html, int tty);

/* A stored string (title, URL) fit for a terminal line: control characters
 * and line breaks become spaces, invalid UTF-8 is repaired. malloc'd. */
char *vind_clean_text(const char *text);

/* The length of the control character at at (1 or 2 bytes), else 0: C0 but
 * the bytes of kept, DEL, and C1 (U+0080-009F, C2 80-9F in UTF-8: U+009B is
 * a terminal's CSI). For text shown as it is but for those: a page of
 * `vind doc --text`, a CSV cell. */
size_t vind_control_at(const char *at, const char *kept);

/* Whether colour and bold go to standard output (a terminal). */
int vind_stdout_is_tty(void);

/* The bold-on and bold-off sequences for a terminal ("" when not). */
const char *vind_highlight_on(int tty);
const char *vind_highlight_off(int tty);

/*
 * Prints a JSON text and a newline: indented on a terminal, else as given.
 * < > & inside strings are written as \u003c \u003e \u0026, C1 controls
 * (U+0080-009F) and U+2028/2029 as \u0080 … \u2028 \u2029 (the same data
 * to any parser; a title "<script>…" cannot become markup where a script
 * pastes it into a page, nor a C1 CSI move a terminal's cursor, nor a line
 * separator cut a JSONL line for str.splitlines). _line never indents (JSONL).
 */
void vind_print_json(FILE *out, const char *json_text);
/* json_text with < > &, C1 controls and U+2028/2029 written as \u escapes
 * (what vind_print_json writes), malloc'd; NULL when out of memory. */
char *vind_json_safe(const char *json_text);
void vind_print_json_line(FILE *out, const char *json_text);

#endif
