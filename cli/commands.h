/*
 * commands.h - the subcommands of `vind`, one file each (cli/cmd_<name>.c).
 *
 * Each takes the arguments after the subcommand name (argv[0] is the name)
 * and returns the process exit status: 0 success, 1 nothing found or a
 * partial failure, 2 usage or fatal error.
 */
#ifndef VIND_CLI_COMMANDS_H
#define VIND_CLI_COMMANDS_H

typedef int (*vind_command_fn)(int argc, char **argv);

typedef struct {
    const char *name;
    vind_command_fn run;
    int takes_db; /* it reads an index: the global --db goes to it */
    const char *summary;
} vind_command_t;

/* cli/cmd_analyze.c: `vind analyze [--lang nl|en] [--format text|json] TEXT...` */
int cmd_analyze(int argc, char **argv);

/* cli/cmd_related.c: `vind related (--url URL | --all) [--limit N] [--format json|text]` */
int cmd_related(int argc, char **argv);

/* cli/cmd_search.c: `vind search QUERY [filters] [--sort] [--limit N | --all] [--format F]` */
int cmd_search(int argc, char **argv);

/* cli/cmd_count.c: `vind count QUERY [--by year|tag|theme|type] [--format text|json|csv]` */
int cmd_count(int argc, char **argv);

/* cli/cmd_kwic.c: `vind kwic QUERY [--width N] [--format text|json|jsonl|csv]` */
int cmd_kwic(int argc, char **argv);

/* cli/cmd_doc.c: `vind doc URL [--format text|json] [--text]` */
int cmd_doc(int argc, char **argv);

/* cli/cmd_suggest.c: `vind suggest PREFIX [--limit N] [--format text|json]` */
int cmd_suggest(int argc, char **argv);

/* cli/cmd_stats.c: `vind stats [--format text|json]` */
int cmd_stats(int argc, char **argv);

/* The table, defined in cli/main.c; ends with a NULL name. */
extern const vind_command_t vind_commands[];

#endif
