/*
 * cmd_suggest.c - `vind suggest`: the completions the search box would
 * offer for a prefix (index words and titles), one per line or as JSON.
 * A thin client of vind_suggest().
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
    "suggest",
    "PREFIX...",
    "Prints up to --limit completions of PREFIX, most useful first: index words\n"
    "completing the last word typed, then titles starting with PREFIX.\n"
    "\n"
    "Example:\n"
    "  vind suggest verplee",
    "1 no completion, ",
};

int cmd_suggest(int argc, char **argv)
{
    vind_cli_index_t index = {0};
    const char *format_name = NULL;
    size_t limit = 10;
    const vind_option_t table[] = {
        {"limit", VIND_OPTION_COUNT, &limit, "N",
         "at most N completions (default 10, at most 100)"},
        {"format", VIND_OPTION_STRING, &format_name, "FORMAT", "text (default) or json"},
        {NULL, 0, NULL, NULL, NULL},
    };
    const char **args = NULL;
    size_t n_args = 0;
    vind_format_t format;
    int exit_code = vind_cli_parse_formatted(&help, table, &index, argc, argv, &args, &n_args,
                                             VIND_FORMAT_TEXT | VIND_FORMAT_JSON, &format);
    if (exit_code == VIND_CLI_CONTINUE) {
        if (n_args == 0)
            exit_code = vind_cli_usage_error(&help, "give a PREFIX");
        else if (limit == 0 || limit > 100)
            exit_code = vind_cli_usage_error(&help, "--limit must be 1 to 100");
    }
    char *prefix = vind_cli_join(args, n_args);
    vind_session_t session = {0};
    if (exit_code == VIND_CLI_CONTINUE)
        exit_code = vind_cli_open(&index, &session);
    if (exit_code == VIND_CLI_CONTINUE) {
        char **completions = NULL, *errmsg = NULL;
        vind_status_t status = vind_suggest(session.searcher, prefix, limit, &completions, &errmsg);
        if (status != VIND_OK) {
            exit_code = vind_cli_fail(status, errmsg);
        } else {
            size_t n = 0;
            json_t *array = json_array();
            for (char **c = completions; c && *c; c++, n++) {
                if (format == VIND_FORMAT_JSON) {
                    json_array_append_new(array, json_string(*c));
                } else {
                    char *clean = vind_clean_text(*c);
                    printf("%s\n", clean);
                    free(clean);
                }
            }
            if (format == VIND_FORMAT_JSON) {
                char *text = json_dumps(array, JSON_COMPACT);
                vind_print_json(stdout, text);
                free(text);
            }
            json_decref(array);
            exit_code = n ? VIND_EXIT_OK : VIND_EXIT_NOTHING;
        }
        vind_strv_free(completions);
        vind_cli_close(&session);
    }
    free(prefix);
    free(args);
    return exit_code;
}
