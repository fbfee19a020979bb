/*
 * common.c - the option parser, index opening and status reporting that
 * every index command of `vind` shares (cli/common.h). Statuses become exit
 * codes here and nowhere else.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include "common.h"

static void print_option(FILE *out, const char *name, const char *metavar, const char *help)
{
    char left[64];
    snprintf(left, sizeof left, "--%s%s%s", name, metavar ? " " : "", metavar ? metavar : "");
    if (strlen(left) > 22)
        fprintf(out, "  %s\n  %-22s %s\n", left, "", help);
    else
        fprintf(out, "  %-22s %s\n", left, help);
}

static void print_help(FILE *out, const vind_command_help_t *help, const vind_option_t *options)
{
    fprintf(out, "usage: vind %s [OPTIONS] %s\n\n%s\n\nOptions:\n", help->name, help->synopsis,
            help->description);
    for (const vind_option_t *o = options; o && o->name; o++) {
        char *line = g_strconcat(o->help, o->kind == VIND_OPTION_LIST ? " (repeatable)" : "", NULL);
        print_option(out, o->name, o->metavar, line);
        g_free(line);
    }
    print_option(out, "db", "DIR", "the index (default: $VIND_DB, else ./vind.db)");
    print_option(out, "datadir", "DIR",
                 "lexicon and stop words (default: $VIND_DATADIR, else "
                 "beside the program)");
    print_option(out, "help", NULL, "this text");
    fprintf(out, "\nExit status: 0 success, %s2 usage or fatal error.\n",
            help->exit_note ? help->exit_note : "");
}

int vind_cli_usage_error(const vind_command_help_t *help, const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    char *message = g_strdup_vprintf(fmt, args);
    va_end(args);
    fprintf(stderr, "vind %s: %s (see vind %s --help)\n", help->name, message, help->name);
    g_free(message);
    return VIND_EXIT_ERROR;
}

/* Reads a count: digits only ("10"), no sign, no overflow. */
static int parse_count(const char *text, size_t *out)
{
    if (!text || !*text)
        return 0;
    size_t value = 0;
    for (const char *p = text; *p; p++) {
        if (*p < '0' || *p > '9')
            return 0;
        if (value > (SIZE_MAX - 9) / 10)
            return 0;
        value = value * 10 + (size_t)(*p - '0');
    }
    *out = value;
    return 1;
}

static int set_option(const vind_command_help_t *help, const vind_option_t *o, const char *value)
{
    switch (o->kind) {
    case VIND_OPTION_FLAG:
        *(int *)o->target = 1;
        return 1;
    case VIND_OPTION_STRING:
        *(const char **)o->target = value;
        return 1;
    case VIND_OPTION_LIST:
        g_ptr_array_add((GPtrArray *)o->target, (gpointer)value);
        return 1;
    case VIND_OPTION_COUNT:
        if (!parse_count(value, (size_t *)o->target)) {
            vind_cli_usage_error(help, "--%s wants a whole number, not '%s'", o->name, value);
            return 0;
        }
        return 1;
    }
    return 0;
}

/* "-f": vind has no short options but -h. The message names the long
 * option the letter most likely meant and says how to exclude a word. */
static int unknown_short_option(const vind_command_help_t *help, const vind_option_t *options,
                                const char *arg)
{
    GString *meant = g_string_new("");
    for (const vind_option_t *o = options; arg[2] == '\0' && o && o->name; o++)
        if (o->name[0] == arg[1])
            g_string_append_printf(meant, "%s--%s", meant->len ? " or " : "did you mean ", o->name);
    if (meant->len)
        g_string_append(meant, "? ");
    int code = vind_cli_usage_error(help,
                                    "unknown option '%s' (%sto exclude a word, put the query "
                                    "after --: vind %s -- %s)",
                                    arg, meant->str, help->name, arg);
    g_string_free(meant, TRUE);
    return code;
}

int vind_cli_parse(const vind_command_help_t *help, const vind_option_t *options,
                   vind_cli_index_t *index, int argc, char **argv, const char ***args,
                   size_t *n_args)
{
    const vind_option_t common[] = {
        {"db", VIND_OPTION_STRING, &index->db, "DIR", NULL},
        {"datadir", VIND_OPTION_STRING, &index->datadir, "DIR", NULL},
        {NULL, 0, NULL, NULL, NULL},
    };
    *args = calloc((size_t)argc + 1, sizeof **args);
    *n_args = 0;
    int only_args = 0;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        /* Before "--", every argument that starts with a dash is an option
         * (a lone "-" is not): "-f csv" must not become the query "NOT f
         * csv". A word to exclude goes after "--". */
        if (only_args || arg[0] != '-' || arg[1] == '\0') {
            (*args)[(*n_args)++] = arg;
            continue;
        }
        if (strcmp(arg, "--") == 0) {
            only_args = 1;
            continue;
        }
        if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
            print_help(stdout, help, options);
            return VIND_EXIT_OK;
        }
        if (arg[1] != '-')
            return unknown_short_option(help, options, arg);
        const char *name = arg + 2;
        const char *equals = strchr(name, '=');
        size_t name_length = equals ? (size_t)(equals - name) : strlen(name);
        const vind_option_t *found = NULL;
        for (int table = 0; table < 2 && !found; table++)
            for (const vind_option_t *o = table ? common : options; o && o->name; o++)
                if (strlen(o->name) == name_length && strncmp(o->name, name, name_length) == 0) {
                    found = o;
                    break;
                }
        if (!found)
            return vind_cli_usage_error(help, "unknown option '%.*s'", (int)name_length + 2, arg);
        const char *value = NULL;
        if (found->kind == VIND_OPTION_FLAG) {
            if (equals)
                return vind_cli_usage_error(help, "--%s takes no value", found->name);
        } else if (equals) {
            value = equals + 1;
        } else if (i + 1 < argc) {
            value = argv[++i];
        } else {
            return vind_cli_usage_error(help, "--%s needs a value (%s)", found->name,
                                        found->metavar ? found->metavar : "VALUE");
        }
        if (!set_option(help, found, value))
            return VIND_EXIT_ERROR;
    }
    if (!index->db) {
        const char *environment = getenv("VIND_DB");
        index->db = environment && *environment ? environment : "vind.db";
    }
    return VIND_CLI_CONTINUE;
}

int vind_cli_fail(vind_status_t status, char *errmsg)
{
    const char *message = errmsg && *errmsg ? errmsg : vind_status_to_string(status);
    /* Every line of a message (a library message is one line; be sure). */
    fprintf(stderr, "vind: ");
    for (const char *p = message; *p; p++)
        fputc(*p == '\n' || *p == '\r' ? ' ' : *p, stderr);
    fputc('\n', stderr);
    free(errmsg);
    return status == VIND_OK ? VIND_EXIT_OK : VIND_EXIT_ERROR;
}

int vind_cli_open(const vind_cli_index_t *index, vind_session_t *session)
{
    *session = (vind_session_t){NULL, NULL};
    char *errmsg = NULL;
    vind_status_t status = vind_lexicon_open(index->datadir, &session->lexicon, &errmsg);
    if (status != VIND_OK)
        return vind_cli_fail(status, errmsg);
    status = vind_searcher_open(index->db, session->lexicon, &session->searcher, &errmsg);
    if (status == VIND_NOT_FOUND) {
        char *message = g_strdup_printf("%s (give --db DIR or set VIND_DB; vind-index makes an "
                                        "index)",
                                        errmsg ? errmsg : index->db);
        free(errmsg);
        errmsg = strdup(message);
        g_free(message);
    }
    if (status != VIND_OK) {
        vind_lexicon_close(session->lexicon);
        session->lexicon = NULL;
        return vind_cli_fail(status, errmsg);
    }
    return VIND_CLI_CONTINUE;
}

void vind_cli_count_limit(vind_session_t *session, size_t limit)
{
    if (limit != SIZE_MAX)
        vind_searcher_set_count_limit(session->searcher, limit);
}

void vind_cli_close(vind_session_t *session)
{
    vind_searcher_close(session->searcher);
    vind_lexicon_close(session->lexicon);
    *session = (vind_session_t){NULL, NULL};
}

int vind_cli_search(vind_session_t *session, const vind_search_request_t *request,
                    vind_results_t **results)
{
    char *errmsg = NULL;
    /* vind-index committing meanwhile is the library's retry (vind_searcher_retry). */
    vind_status_t status = vind_search(session->searcher, request, results, &errmsg);
    if (status != VIND_OK)
        return vind_cli_fail(status, errmsg);
    return VIND_CLI_CONTINUE;
}

void vind_filter_options_init(vind_filter_options_t *filters)
{
    *filters = (vind_filter_options_t){0};
    filters->tags = g_ptr_array_new();
    filters->themes = g_ptr_array_new();
    filters->years = g_ptr_array_new();
}

void vind_filter_options_clear(vind_filter_options_t *filters)
{
    g_ptr_array_free(filters->tags, TRUE);
    g_ptr_array_free(filters->themes, TRUE);
    g_ptr_array_free(filters->years, TRUE);
    *filters = (vind_filter_options_t){0};
}

static void set_filter(vind_search_request_t *request, vind_facet_t facet, GPtrArray *values)
{
    request->filters[facet] = (const char *const *)values->pdata;
    request->n_filters[facet] = values->len;
}

void vind_filter_options_apply(vind_filter_options_t *filters, vind_search_request_t *request)
{
    set_filter(request, VIND_FACET_TAG, filters->tags);
    set_filter(request, VIND_FACET_THEME, filters->themes);
    set_filter(request, VIND_FACET_YEAR, filters->years);
    if (filters->type) {
        filters->type_list[0] = filters->type;
        request->filters[VIND_FACET_TYPE] = filters->type_list;
        request->n_filters[VIND_FACET_TYPE] = 1;
    }
    request->from = filters->from;
    request->to = filters->to;
}

int vind_filter_options_any(const vind_filter_options_t *filters)
{
    return filters->tags->len || filters->themes->len || filters->years->len || filters->type ||
           filters->from || filters->to;
}

char *vind_cli_join(const char *const *args, size_t n_args)
{
    GString *query = g_string_new("");
    for (size_t i = 0; i < n_args; i++)
        g_string_append_printf(query, "%s%s", i ? " " : "", args[i]);
    char *result = strdup(query->str);
    g_string_free(query, TRUE);
    return result;
}

int vind_cli_format(const vind_command_help_t *help, const char *name, unsigned allowed,
                    vind_format_t *format)
{
    if (vind_format_parse(name, allowed, format))
        return VIND_CLI_CONTINUE;
    return vind_cli_usage_error(help, "unknown format '%s' (%s)", name, vind_format_names(allowed));
}

int vind_cli_parse_formatted(const vind_command_help_t *help, const vind_option_t *options,
                             vind_cli_index_t *index, int argc, char **argv, const char ***args,
                             size_t *n_args, unsigned allowed, vind_format_t *format)
{
    *format = VIND_FORMAT_TEXT;
    int exit_code = vind_cli_parse(help, options, index, argc, argv, args, n_args);
    if (exit_code != VIND_CLI_CONTINUE)
        return exit_code;
    const char *name = NULL;
    for (const vind_option_t *o = options; o && o->name; o++)
        if (strcmp(o->name, "format") == 0 && o->kind == VIND_OPTION_STRING)
            name = *(const char **)o->target;
    return vind_cli_format(help, name, allowed, format);
}

int vind_cli_sort(const vind_command_help_t *help, const char *name, vind_sort_t *sort)
{
    if (!name || strcmp(name, "relevance") == 0)
        *sort = VIND_SORT_RELEVANCE;
    else if (strcmp(name, "date") == 0)
        *sort = VIND_SORT_DATE_DESC;
    else if (strcmp(name, "date-asc") == 0)
        *sort = VIND_SORT_DATE_ASC;
    else
        return vind_cli_usage_error(help, "unknown sort order '%s' (relevance|date)", name);
    return VIND_CLI_CONTINUE;
}

int vind_cli_print_record(vind_status_t status, char *errmsg, char *json, vind_format_t format,
                          void (*print_text)(json_t *record), const char *not_json)
{
    int exit_code = VIND_EXIT_OK;
    if (status != VIND_OK) {
        exit_code = vind_cli_fail(status, errmsg);
    } else if (format == VIND_FORMAT_JSON) {
        vind_print_json(stdout, json);
    } else {
        json_t *record = json_loads(json, 0, NULL);
        if (record)
            print_text(record);
        json_decref(record);
        if (!record)
            exit_code = vind_cli_fail(VIND_INTERNAL, strdup(not_json));
    }
    free(json);
    return exit_code;
}
