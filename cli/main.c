/*
 * main.c - `vind`, the command line for researchers: a thin client of
 * libvind. It dispatches through one table of subcommands (as notmuch.c does);
 * each subcommand lives in cli/cmd_<name>.c.
 */
#include <stdio.h>
#include <string.h>

#include <vind/vind.h>
#include "commands.h"

const vind_command_t vind_commands[] = {
    {"search", cmd_search, "search the index: text, JSON, JSONL or CSV"},
    {"count", cmd_count, "count matches, per year, tag, theme or type"},
    {"kwic", cmd_kwic, "every match in its context (keyword in context)"},
    {"doc", cmd_doc, "the stored record of a document"},
    {"suggest", cmd_suggest, "completions of a prefix"},
    {"stats", cmd_stats, "what the index holds"},
    {"analyze", cmd_analyze, "show the tokens and index terms of a text"},
    {"related", cmd_related, "documents related to a page, or a site's related.json"},
    {NULL, NULL, NULL},
};

static void usage(FILE *out)
{
    fprintf(out, "usage: vind COMMAND [OPTIONS] [ARGS]\n\n"
                 "vind " VIND_VERSION_STRING " - Dutch full-text search, command line.\n\n"
                 "Commands:\n");
    for (const vind_command_t *c = vind_commands; c->name; c++)
        fprintf(out, "  %-10s %s\n", c->name, c->summary);
    fprintf(out, "\nRun `vind COMMAND --help` for a command's options.\n");
}

int main(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("vind %s\n", VIND_VERSION_STRING);
        return 0;
    }
    for (const vind_command_t *c = vind_commands; c->name; c++)
        if (strcmp(argv[1], c->name) == 0)
            return c->run(argc - 1, argv + 1);
    fprintf(stderr, "vind: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return 2;
}
