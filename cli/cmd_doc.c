/*
 * cmd_doc.c - `vind doc`: the stored record of one document (title, type,
 * date, tags, themes, pages ... and with --text its text per page), as the
 * index holds it: what a researcher checks when a hit looks odd. A thin
 * client of vind_searcher_document().
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <jansson.h>
#include "commands.h"
#include "common.h"
#include "print.h"

static const vind_command_help_t help = {
    "doc",
    "URL",
    "Prints the stored record of the document at URL (as indexed, e.g.\n"
    "/actueel/wachtlijsten/ or /rapport.pdf): url, title, type, date, author,\n"
    "description, language, parent article, tags, themes, attachments and\n"
    "number of pages; with --text also its text, page by page.\n"
    "\n"
    "Examples:\n"
    "  vind doc /actueel/wachtlijsten/\n"
    "  vind doc --text /rapport.pdf | less",
    "",
};

static void print_field(const char *label, json_t *value)
{
    char *clean = NULL;
    if (json_is_string(value))
        clean = vind_clean_text(json_string_value(value));
    else if (json_is_integer(value))
        clean = g_strdup_printf("%lld", (long long)json_integer_value(value));
    else if (json_is_array(value)) {
        GString *list = g_string_new("");
        size_t i;
        json_t *item;
        json_array_foreach(value, i, item)
        {
            if (json_is_string(item))
                g_string_append_printf(list, "%s%s", list->len ? ", " : "",
                                       json_string_value(item));
        }
        char *text = g_string_free(list, FALSE);
        clean = vind_clean_text(text);
        g_free(text);
    }
    printf("%-12s %s\n", label, clean && *clean ? clean : "-");
    free(clean);
}

/* "ocr:         pagina 1 (93%), 2 (88%)": the scanned pages and their mean
 * word confidence, when there are any. */
static void print_ocr(json_t *record)
{
    json_t *pages = json_object_get(record, "ocr_pages");
    json_t *confidence = json_object_get(record, "ocr_confidence");
    if (json_array_size(pages) == 0)
        return;
    printf("%-12s %s", "ocr:", json_array_size(pages) == 1 ? "pagina" : "pagina's");
    for (size_t i = 0; i < json_array_size(pages); i++)
        printf("%s %lld (%lld%%)", i ? "," : "", (long long)json_integer_value(json_array_get(pages, i)),
               (long long)json_integer_value(json_array_get(confidence, i)));
    printf("\n");
}

static void print_text(json_t *record)
{
    static const char *const fields[] = {"url",    "title",       "type",        "date",
                                         "author", "description", "lang",        "parent",
                                         "tags",   "themes",      "attachments", "pages"};
    for (size_t i = 0; i < G_N_ELEMENTS(fields); i++) {
        char label[32];
        snprintf(label, sizeof label, "%s:", fields[i]);
        print_field(label, json_object_get(record, fields[i]));
    }
    print_ocr(record);
    json_t *text = json_object_get(record, "text");
    if (!json_is_array(text))
        return;
    size_t n = json_array_size(text);
    for (size_t i = 0; i < n; i++) {
        const char *page = json_string_value(json_array_get(text, i));
        if (n > 1)
            printf("\n--- pagina %zu ---\n", i + 1);
        else
            printf("\n");
        /* Line breaks and tabs are kept; other control characters, C1 ones
         * too, become spaces. */
        gchar *valid = g_utf8_make_valid(page ? page : "", -1);
        for (char *p = valid; *p;) {
            size_t control = vind_control_at(p, "\n\t");
            if (control)
                memset(p, ' ', control);
            p += control ? control : 1;
        }
        printf("%s\n", valid);
        g_free(valid);
    }
}

int cmd_doc(int argc, char **argv)
{
    vind_cli_index_t index = {0};
    const char *format_name = NULL;
    int with_text = 0;
    const vind_option_t table[] = {
        {"text", VIND_OPTION_FLAG, &with_text, NULL, "also print the text, page by page"},
        {"format", VIND_OPTION_STRING, &format_name, "FORMAT", "text (default) or json"},
        {NULL, 0, NULL, NULL, NULL},
    };
    const char **args = NULL;
    size_t n_args = 0;
    vind_format_t format;
    int exit_code = vind_cli_parse_formatted(&help, table, &index, argc, argv, &args, &n_args,
                                             VIND_FORMAT_TEXT | VIND_FORMAT_JSON, &format);
    if (exit_code == VIND_CLI_CONTINUE) {
        if (n_args != 1)
            exit_code = vind_cli_usage_error(&help, "give one URL");
    }
    vind_session_t session = {0};
    if (exit_code == VIND_CLI_CONTINUE)
        exit_code = vind_cli_open(&index, &session);
    if (exit_code == VIND_CLI_CONTINUE) {
        char *json = NULL, *errmsg = NULL;
        vind_status_t status =
            vind_searcher_document(session.searcher, args[0], with_text, &json, &errmsg);
        exit_code = vind_cli_print_record(status, errmsg, json, format, print_text,
                                          "the stored record is not JSON");
        vind_cli_close(&session);
    }
    free(args);
    return exit_code;
}
