/*
 * main.c - `vind`, the command line for researchers: a thin client of
 * libvind. It dispatches through one table of subcommands (as notmuch.c does);
 * each subcommand lives in cli/cmd_<name>.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include <vind/vind.h>
#include "commands.h"

const vind_command_t vind_commands[] = {
    {"search", cmd_search, 1, "search the index: text, JSON, JSONL or CSV"},
    {"count", cmd_count, 1, "count matches, per year, tag, theme or type"},
    {"kwic", cmd_kwic, 1, "every match in its context (keyword in context)"},
    {"doc", cmd_doc, 1, "the stored record of a document"},
    {"suggest", cmd_suggest, 1, "completions of a prefix"},
    {"stats", cmd_stats, 1, "what the index holds"},
    {"analyze", cmd_analyze, 0, "show the tokens and index terms of a text"},
    {"related", cmd_related, 1, "documents related to a page, or a site's related.json"},
    {NULL, NULL, 0, NULL},
};

static void usage(FILE *out)
{
    fprintf(out, "usage: vind [GLOBAL OPTIONS] COMMAND [OPTIONS] [ARGS]\n\n"
                 "vind " VIND_VERSION_STRING " - Dutch full-text search, command line.\n\n"
                 "Commands:\n");
    for (const vind_command_t *c = vind_commands; c->name; c++)
        fprintf(out, "  %-10s %s\n", c->name, c->summary);
    fprintf(out, "\nGlobal options (before the command; the command's own options win):\n"
                 "  --db DIR               the index (default: $VIND_DB, else ./vind.db)\n"
                 "  --datadir DIR          lexicon and stop words\n"
                 "  --format FORMAT        the output format, where the command has it\n"
                 "  --help                 this text\n"
                 "  --version              the version\n"
                 "\nRun `vind COMMAND --help` for a command's options.\n");
}

/* The options that may come before the command, and take a value. */
static const char *const global_options[] = {"db", "datadir", "format"};
enum { N_GLOBAL = sizeof global_options / sizeof global_options[0] };

/* Reads the global options at argv[1...] into values; returns the index of
 * the command, or -1 after a usage error on stderr. */
static int parse_globals(int argc, char **argv, const char *values[N_GLOBAL])
{
    int i = 1;
    while (i < argc && argv[i][0] == '-' && strcmp(argv[i], "--help") != 0 &&
           strcmp(argv[i], "-h") != 0 && strcmp(argv[i], "--version") != 0) {
        const char *arg = argv[i];
        size_t k = 0;
        const char *value = NULL;
        for (; k < N_GLOBAL; k++) {
            size_t n = strlen(global_options[k]);
            if (strncmp(arg, "--", 2) != 0 || strncmp(arg + 2, global_options[k], n) != 0)
                continue;
            if (arg[2 + n] == '=')
                value = arg + 3 + n;
            else if (arg[2 + n] == '\0' && i + 1 < argc)
                value = argv[++i];
            else if (arg[2 + n] != '\0')
                continue;
            break;
        }
        if (k == N_GLOBAL) {
            fprintf(stderr, "vind: unknown global option '%s' (before the command: --db, "
                            "--datadir, --format, --help, --version)\n", arg);
            return -1;
        }
        if (!value) {
            fprintf(stderr, "vind: --%s needs a value\n", global_options[k]);
            return -1;
        }
        values[k] = value;
        i++;
    }
    return i;
}

/* Runs command with the global options put first among its own, so that
 * its own (later: the last one wins) override them. */
static int run_command(const vind_command_t *command, int argc, char **argv,
                       const char *values[N_GLOBAL])
{
    char **args = calloc((size_t)argc + 2 * N_GLOBAL + 1, sizeof *args);
    if (!args) {
        fprintf(stderr, "vind: out of memory\n");
        return 2;
    }
    int n = 0;
    args[n++] = argv[0];
    char *owned[N_GLOBAL] = {NULL};
    for (size_t k = 0; k < N_GLOBAL; k++) {
        if (!values[k] || (k == 0 && !command->takes_db))
            continue; /* `vind analyze` reads no index */
        owned[k] = g_strdup_printf("--%s=%s", global_options[k], values[k]);
        args[n++] = owned[k];
    }
    for (int i = 1; i < argc; i++)
        args[n++] = argv[i];
    int code = command->run(n, args);
    for (size_t k = 0; k < N_GLOBAL; k++)
        g_free(owned[k]);
    free(args);
    return code;
}

int main(int argc, char **argv)
{
    const char *values[N_GLOBAL] = {NULL};
    int first = parse_globals(argc, argv, values);
    if (first < 0)
        return 2;
    if (first >= argc || strcmp(argv[first], "--help") == 0 || strcmp(argv[first], "-h") == 0) {
        usage(first >= argc ? stderr : stdout);
        return first >= argc ? 2 : 0;
    }
    if (strcmp(argv[first], "--version") == 0) {
        printf("vind %s\n", VIND_VERSION_STRING);
        return 0;
    }
    for (const vind_command_t *c = vind_commands; c->name; c++)
        if (strcmp(argv[first], c->name) == 0)
            return run_command(c, argc - first, argv + first, values);
    fprintf(stderr, "vind: unknown command '%s'\n", argv[first]);
    usage(stderr);
    return 2;
}
