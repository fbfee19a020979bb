/*
 * cmd_stats.c - `vind stats`: what the index holds (documents in all and per
 * type, tag, theme and year; size on disk; revision; last indexing run), as
 * text or as the JSON of vind_searcher_stats().
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
    "stats",
    "",
    "Prints what the index holds: the number of documents, counts per type, tag,\n"
    "theme and year, its size on disk, its revision and when it was last\n"
    "indexed. The JSON has the fields documents, revision, size_bytes, last_run,\n"
    "types, tags, themes and years (lists of {value, count}).\n"
    "\n"
    "Example:\n"
    "  vind stats --db site.db --format json",
    "",
};

static void print_counts(const char *label, json_t *list)
{
    printf("\n%s:\n", label);
    size_t i;
    json_t *item;
    size_t width = 0;
    json_array_foreach(list, i, item)
    {
        const char *value = json_string_value(json_object_get(item, "value"));
        size_t length = value ? (size_t)g_utf8_strlen(value, -1) : 0;
        if (length > width)
            width = length;
    }
    json_array_foreach(list, i, item)
    {
        char *value = vind_clean_text(json_string_value(json_object_get(item, "value")));
        size_t length = (size_t)g_utf8_strlen(value, -1);
        printf("  %s%*s  %6lld\n", value, (int)(width - length), "",
               (long long)json_integer_value(json_object_get(item, "count")));
        free(value);
    }
}

static void print_text(json_t *stats)
{
    json_int_t bytes = json_integer_value(json_object_get(stats, "size_bytes"));
    const char *last_run = json_string_value(json_object_get(stats, "last_run"));
    printf("documents:  %lld\n",
           (long long)json_integer_value(json_object_get(stats, "documents")));
    printf("revision:   %lld\n", (long long)json_integer_value(json_object_get(stats, "revision")));
    printf("size:       %.1f MB (%lld bytes)\n", (double)bytes / (1024.0 * 1024.0),
           (long long)bytes);
    printf("last run:   %s\n", last_run ? last_run : "-");
    static const char *const lists[][2] = {
        {"types", "per type"}, {"years", "per year"}, {"themes", "per theme"}, {"tags", "per tag"}};
    for (size_t i = 0; i < G_N_ELEMENTS(lists); i++) {
        json_t *list = json_object_get(stats, lists[i][0]);
        if (json_is_array(list) && json_array_size(list))
            print_counts(lists[i][1], list);
    }
}

int cmd_stats(int argc, char **argv)
{
    vind_cli_index_t index = {0};
    const char *format_name = NULL;
    const vind_option_t table[] = {
        {"format", VIND_OPTION_STRING, &format_name, "FORMAT", "text (default) or json"},
        {NULL, 0, NULL, NULL, NULL},
    };
    const char **args = NULL;
    size_t n_args = 0;
    vind_format_t format;
    int exit_code = vind_cli_parse_formatted(&help, table, &index, argc, argv, &args, &n_args,
                                             VIND_FORMAT_TEXT | VIND_FORMAT_JSON, &format);
    if (exit_code == VIND_CLI_CONTINUE) {
        if (n_args)
            exit_code = vind_cli_usage_error(&help, "unexpected argument '%s'", args[0]);
    }
    vind_session_t session = {0};
    if (exit_code == VIND_CLI_CONTINUE)
        exit_code = vind_cli_open(&index, &session);
    if (exit_code == VIND_CLI_CONTINUE) {
        char *json = NULL, *errmsg = NULL;
        vind_status_t status = vind_searcher_stats(session.searcher, &json, &errmsg);
        exit_code = vind_cli_print_record(status, errmsg, json, format, print_text,
                                          "the statistics are not JSON");
        vind_cli_close(&session);
    }
    free(args);
    return exit_code;
}
