/*
 * common.h - what every index command of `vind` shares: its option parser
 * (one table per command, --help generated from it), --db and --datadir,
 * opening the lexicon and searcher, and the one place where a library
 * status becomes a "vind: <message>" line and an exit code.
 */
#ifndef VIND_CLI_COMMON_H
#define VIND_CLI_COMMON_H

#include "print.h"

#include <stddef.h>
#include <stdio.h>

#include <glib.h>
#include <jansson.h>
#include <vind/analyze.h>
#include <vind/search.h>
#include <vind/vind.h>

/* Exit statuses, as grep: 0 found, 1 nothing matched, 2 usage or fatal error. */
#define VIND_EXIT_OK 0
#define VIND_EXIT_NOTHING 1
#define VIND_EXIT_ERROR 2

/* The parser's result before the command runs: go on, or exit with this. */
#define VIND_CLI_CONTINUE (-1)

typedef enum {
    VIND_OPTION_FLAG,   /* --name: sets an int to 1 */
    VIND_OPTION_STRING, /* --name VALUE: sets a const char * (the last one wins) */
    VIND_OPTION_LIST,   /* --name VALUE, repeatable: appends to a GPtrArray of const char * */
    VIND_OPTION_COUNT,  /* --name N: a non-negative number into a size_t */
} vind_option_kind_t;

typedef struct {
    const char *name; /* without dashes: "limit" */
    vind_option_kind_t kind;
    void *target;        /* int *, const char **, GPtrArray *, size_t * */
    const char *metavar; /* "N", NULL for flags */
    const char *help;    /* one line */
} vind_option_t;

/* What a command says about itself for --help. */
typedef struct {
    const char *name;        /* "search" */
    const char *synopsis;    /* "QUERY..." */
    const char *description; /* a paragraph, lines of at most 78 characters */
    const char *exit_note;   /* extra lines on the exit status, or NULL */
} vind_command_help_t;

/* The options every index command takes (--db, --datadir), set by the parser. */
typedef struct {
    const char *db;
    const char *datadir;
} vind_cli_index_t;

/*
 * Parses argv (argv[0] is the command name) against options (ended by a NULL
 * name) plus --db, --datadir and --help. Arguments that are not options go
 * to args (borrowed from argv). Every argument that begins with a dash is an
 * option (an unknown one is a usage error), except a lone "-"; "--" ends the
 * options, so "-- zorg -ggz" is the query "zorg NOT ggz". --help (or -h)
 * prints the help to stdout. Returns VIND_CLI_CONTINUE, or the exit status after --help (0) or
 * a usage error (2, after one stderr line). *args is malloc'd (free() it)
 * whatever the result.
 */
int vind_cli_parse(const vind_command_help_t *help, const vind_option_t *options,
                   vind_cli_index_t *index, int argc, char **argv, const char ***args,
                   size_t *n_args);

/* Parses a --format value (NULL: text) against the allowed VIND_FORMAT_*
 * bits into *format. Returns VIND_CLI_CONTINUE, or the exit status of the
 * usage error it printed ("unknown format 'x' (text|json)"). */
int vind_cli_format(const vind_command_help_t *help, const char *name, unsigned allowed,
                    vind_format_t *format);

/* The start of every command that prints in several formats: vind_cli_parse,
 * then vind_cli_format on the value of the table's "format" row (a
 * VIND_OPTION_STRING) against the allowed bits. *format is text unless the
 * value names another. Returns as vind_cli_parse. */
int vind_cli_parse_formatted(const vind_command_help_t *help, const vind_option_t *options,
                             vind_cli_index_t *index, int argc, char **argv, const char ***args,
                             size_t *n_args, unsigned allowed, vind_format_t *format);

/* Parses a --sort value (NULL: relevance; "date" newest first, "date-asc")
 * into *sort. Returns VIND_CLI_CONTINUE, or the exit status of the usage
 * error it printed. */
int vind_cli_sort(const vind_command_help_t *help, const char *name, vind_sort_t *sort);

/* Prints "vind NAME: message (see --help)" to stderr and returns 2. */
int vind_cli_usage_error(const vind_command_help_t *help, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * The one place a failed status is reported: prints "vind: <errmsg>" (or
 * the status's name without a message) to stderr, frees errmsg and returns
 * the exit status for it (2).
 */
int vind_cli_fail(vind_status_t status, char *errmsg);

/* The filters search, count and kwic share (--tag, --theme, --year, --type,
 * --from, --to). The lists hold borrowed argv strings. */
typedef struct {
    GPtrArray *tags, *themes, *years;
    const char *type, *from, *to;
    const char *type_list[1];
} vind_filter_options_t;

void vind_filter_options_init(vind_filter_options_t *filters);
void vind_filter_options_clear(vind_filter_options_t *filters);

/* The rows of the filter options for an option table. */
/* clang-format off */
#define VIND_FILTER_OPTION_ROWS(f)                                                                 \
    {"tag", VIND_OPTION_LIST, (f)->tags, "TAG", "only documents with this tag"},                   \
    {"theme", VIND_OPTION_LIST, (f)->themes, "THEME", "only documents with this theme"},           \
    {"year", VIND_OPTION_LIST, (f)->years, "YEAR", "only documents of this year"},                 \
    {"type", VIND_OPTION_STRING, &(f)->type, "TYPE", "only this type: article, pdf or page"},      \
    {"from", VIND_OPTION_STRING, &(f)->from, "DATE",                                               \
     "only documents dated on or after DATE (YYYY, YYYY-MM or YYYY-MM-DD)"},                       \
    {"to", VIND_OPTION_STRING, &(f)->to, "DATE", "only documents dated on or before DATE"}
/* clang-format on */

/* Puts the filters into a request (pointers borrowed from filters). */
void vind_filter_options_apply(vind_filter_options_t *filters, vind_search_request_t *request);

/* Whether any filter is set. */
int vind_filter_options_any(const vind_filter_options_t *filters);

/* The words of args joined by spaces (the query), malloc'd. */
char *vind_cli_join(const char *const *args, size_t n_args);

/* An open index: the lexicon and a searcher over it. */
typedef struct {
    vind_lexicon_t *lexicon;
    vind_searcher_t *searcher;
} vind_session_t;

/*
 * Opens the lexicon (--datadir, else the default) and the index (--db, else
 * $VIND_DB, else ./vind.db). Returns VIND_CLI_CONTINUE, or 2 after reporting
 * the failure (a missing index names the folder and says how to make one).
 */
int vind_cli_open(const vind_cli_index_t *index, vind_session_t *session);
void vind_cli_close(vind_session_t *session);

/* --count-limit N of search and count into a size_t that starts at SIZE_MAX
 * (not given: the library's default, VIND_COUNT_LIMIT). */
#define VIND_COUNT_LIMIT_OPTION_ROW(p)                                                             \
    {"count-limit", VIND_OPTION_COUNT, (p), "N",                                                   \
     "count exactly up to N matches, then estimate (default 10000; 0: all)"}

/* Sets the session's count limit when --count-limit was given (limit not SIZE_MAX). */
void vind_cli_count_limit(vind_session_t *session, size_t limit);

/* Prints the JSON record a library call answered (status, errmsg, json):
 * as it is with --format json, else through print_text; a record that is
 * not JSON fails with not_json. Frees errmsg and json; returns the exit
 * status (0, or 2 after reporting the failure). */
int vind_cli_print_record(vind_status_t status, char *errmsg, char *json, vind_format_t format,
                          void (*print_text)(json_t *record), const char *not_json);

/* Runs a search (retrying once when the index changed under it); reports a
 * failure itself: returns VIND_CLI_CONTINUE with *results set, or 2. */
int vind_cli_search(vind_session_t *session, const vind_search_request_t *request,
                    vind_results_t **results);

#endif
