/*
 * cmd_kwic.c - `vind kwic`: every occurrence of the query's words in every
 * matching document, with the text around it (a concordance), aligned on
 * the keyword in text, or as CSV / JSON for analysis elsewhere. A thin
 * client of vind_kwic().
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <vind/limits.h>
#include "commands.h"
#include "common.h"
#include "print.h"

static const vind_command_help_t help = {
    "kwic",
    "QUERY...",
    "Keyword in context: every occurrence of a word of QUERY, in any of its forms\n"
    "(\"bewoners\" for bewoner), in every matching document, with --width\n"
    "characters of text on each side, the document's URL and (for a PDF) the\n"
    "page. Lines follow the ranking, then the order in the document; at most\n"
    "100,000. The filters of `vind search` apply.\n"
    "\n"
    "Examples:\n"
    "  vind kwic wachtlijst\n"
    "  vind kwic --width 60 --type pdf --format csv \"persoonlijk budget\"",
    "1 nothing matched, ",
};

static const vind_column_t columns[] = {
    {"left", VIND_COLUMN_STRING, 1, 0},  {"match", VIND_COLUMN_STRING, 0, 1},
    {"right", VIND_COLUMN_STRING, 0, 0}, {"url", VIND_COLUMN_STRING, 0, 0},
    {"page", VIND_COLUMN_INTEGER, 0, 0},
};

/* The first n characters of text (all of it when shorter), malloc'd. */
static char *first_chars(const char *text, size_t n)
{
    const char *end = text;
    for (size_t i = 0; i < n && *end; i++)
        end = g_utf8_next_char(end);
    return g_strndup(text, (gsize)(end - text));
}

static size_t chars(const char *text)
{
    return (size_t)g_utf8_strlen(text, -1);
}

/*
 * Text, laid out as ptx does: the left context right-aligned in width
 * characters, two spaces, then the keyword at that fixed column and the
 * right context straight after it (so "privacy-by-design" reads as one
 * word), the two together cut to width characters, then the URL and the
 * page. A long match (a URL) is cut with "…" and pads no other line: every
 * line is at most 2 * width + 4 characters before its URL.
 */
static void print_text(const vind_kwic_t *kwic, size_t width)
{
    int tty = vind_stdout_is_tty();
    GString *line = g_string_new("");
    for (size_t i = 0; i < vind_kwic_count(kwic); i++) {
        const vind_kwic_line_t *kl = vind_kwic_get(kwic, i);
        char *left = vind_clean_text(kl->left);
        char *match = vind_clean_text(kl->match);
        char *right = vind_clean_text(kl->right);
        size_t match_chars = chars(match);
        char *shown_match = match_chars > width ? first_chars(match, width - 1) : g_strdup(match);
        size_t room = match_chars >= width ? 0 : width - match_chars;
        char *shown_right = first_chars(right, room);
        g_string_truncate(line, 0);
        for (size_t pad = chars(left); pad < width; pad++)
            g_string_append_c(line, ' ');
        g_string_append_printf(line, "%s  %s%s%s%s%s", left, vind_highlight_on(tty), shown_match,
                               match_chars > width ? "…" : "", vind_highlight_off(tty),
                               shown_right);
        size_t used = (match_chars > width ? width : match_chars) + chars(shown_right);
        for (size_t pad = used; pad < width; pad++)
            g_string_append_c(line, ' ');
        /* a feed's URL may hold ESC; "-": no link of the site, withheld */
        char *url = vind_clean_text(vind_url_as_link(kl->url) ? kl->url : "-");
        g_string_append_printf(line, "  %s", url);
        free(url);
        if (kl->page)
            g_string_append_printf(line, "  p. %u", kl->page);
        printf("%s\n", line->str);
        g_free(shown_match);
        g_free(shown_right);
        free(left), free(match), free(right);
    }
    g_string_free(line, TRUE);
    fflush(stdout);
}

static void print_lines(const vind_kwic_t *kwic, vind_format_t format, size_t width)
{
    if (format == VIND_FORMAT_TEXT) {
        print_text(kwic, width);
        return;
    }
    vind_printer_t *printer = vind_printer_new(stdout, format, columns, G_N_ELEMENTS(columns));
    for (size_t i = 0; i < vind_kwic_count(kwic); i++) {
        const vind_kwic_line_t *line = vind_kwic_get(kwic, i);
        char page[16];
        snprintf(page, sizeof page, "%u", line->page);
        const char *values[] = {line->left, line->match, line->right, vind_url_as_link(line->url),
                                page};
        vind_printer_row(printer, values);
    }
    vind_printer_finish(printer);
}

int cmd_kwic(int argc, char **argv)
{
    vind_filter_options_t filters;
    vind_filter_options_init(&filters);
    vind_cli_index_t index = {0};
    const char *format_name = NULL, *sort_name = NULL;
    size_t width = 40, limit = 0;
    const vind_option_t table[] = {
        {"width", VIND_OPTION_COUNT, &width, "N",
         "characters of context on each side (default 40)"},
        {"limit", VIND_OPTION_COUNT, &limit, "N", "only the N best documents (default: all)"},
        {"sort", VIND_OPTION_STRING, &sort_name, "ORDER",
         "document order: relevance (default), date or date-asc"},
        VIND_FILTER_OPTION_ROWS(&filters),
        {"format", VIND_OPTION_STRING, &format_name, "FORMAT",
         "text (default), json, jsonl or csv"},
        {NULL, 0, NULL, NULL, NULL},
    };
    const char **args = NULL;
    size_t n_args = 0;
    vind_format_t format;
    int exit_code = vind_cli_parse_formatted(
        &help, table, &index, argc, argv, &args, &n_args,
        VIND_FORMAT_TEXT | VIND_FORMAT_JSON | VIND_FORMAT_JSONL | VIND_FORMAT_CSV, &format);
    vind_search_request_t request;
    vind_search_request_init(&request);
    if (exit_code == VIND_CLI_CONTINUE) {
        if (width == 0 || width > VIND_MAX_KWIC_WIDTH)
            exit_code = vind_cli_usage_error(&help, "--width must be 1 to %u", VIND_MAX_KWIC_WIDTH);
        else if (n_args == 0)
            exit_code = vind_cli_usage_error(&help, "give a QUERY");
        else
            exit_code = vind_cli_sort(&help, sort_name, &request.sort);
    }
    char *query = vind_cli_join(args, n_args);
    vind_session_t session = {0};
    if (exit_code == VIND_CLI_CONTINUE)
        exit_code = vind_cli_open(&index, &session);
    if (exit_code == VIND_CLI_CONTINUE) {
        request.query = query;
        request.limit = limit;
        request.snippets = 0;
        vind_filter_options_apply(&filters, &request);
        vind_kwic_t *kwic = NULL;
        char *errmsg = NULL;
        /* vind-index committing meanwhile is the library's retry. */
        vind_status_t status =
            vind_kwic(session.searcher, &request, (unsigned)width, &kwic, &errmsg);
        if (status != VIND_OK) {
            exit_code = vind_cli_fail(status, errmsg);
        } else {
            print_lines(kwic, format, width);
            if (vind_kwic_count(kwic) >= VIND_MAX_KWIC_LINES)
                fprintf(stderr,
                        "vind: kwic stopped at %u lines; narrow the query or use "
                        "--limit\n",
                        VIND_MAX_KWIC_LINES);
            exit_code = vind_kwic_count(kwic) ? VIND_EXIT_OK : VIND_EXIT_NOTHING;
        }
        vind_kwic_free(kwic);
        vind_cli_close(&session);
    }
    free(query);
    free(args);
    vind_filter_options_clear(&filters);
    return exit_code;
}
