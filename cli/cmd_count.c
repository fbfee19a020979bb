/*
 * cmd_count.c - `vind count`: how many documents match, in all or per year,
 * tag, theme or type, for research over time ("how often did 'wachtlijst'
 * come up per year?"). The counts come from vind_count, the counting pass
 * of a search without its ranking, so they equal what `vind search --all`
 * lists.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <jansson.h>
#include "commands.h"
#include "common.h"
#include "print.h"

static const vind_command_help_t help = {
    "count",
    "[QUERY...]",
    "Counts the documents that match QUERY (all documents without one), in all\n"
    "or per value of --by: year (in time order), tag, theme or type (most\n"
    "frequent first). A document with several tags counts once for each; the\n"
    "documents without a date, theme or tag are the row \"(geen datum)\",\n"
    "\"(geen thema)\" or \"(geen tag)\" (an empty value in CSV, null in JSON).\n"
    "The filters of `vind search` apply to every count.\n"
    "\n"
    "Examples:\n"
    "  vind count wachtlijst\n"
    "  vind count --by year wachtlijst\n"
    "  vind count --by tag --year 2021 --format csv",
    "1 nothing matched, ",
};

typedef struct {
    char *value;
    uint64_t count;
} row_t;

/* Years in time order; the row of documents without one ("") last. */
static int compare_values(const void *a, const void *b)
{
    const row_t *x = a, *y = b;
    if (!*x->value || !*y->value)
        return !*x->value - !*y->value;
    return strcmp(x->value, y->value);
}

/* The text label of the row of matches without a value of by. */
static const char *none_label(int by)
{
    switch (by) {
    case VIND_FACET_YEAR:
        return "(geen datum)";
    case VIND_FACET_THEME:
        return "(geen thema)";
    case VIND_FACET_TAG:
        return "(geen tag)";
    default:
        return "(geen type)";
    }
}

/* Past the count limit, on standard error: the total is an estimate within
 * bounds, the counts per value lower bounds. */
static void print_estimate(const vind_results_t *results, int by)
{
    if (vind_results_total_exact(results))
        return;
    uint64_t lower = 0, upper = 0;
    vind_results_total_bounds(results, &lower, &upper);
    fprintf(stderr,
            "ongeveer %llu resultaten (tussen %llu en %llu)%s; --count-limit 0 telt alles\n",
            (unsigned long long)vind_results_total(results), (unsigned long long)lower,
            (unsigned long long)upper,
            by >= 0 ? "; de aantallen per waarde zijn ondergrenzen" : "");
}

/* The estimate's fields of a JSON answer: "exact", and the bounds when not. */
static void add_estimate(json_t *object, const vind_results_t *results)
{
    int exact = vind_results_total_exact(results);
    json_object_set_new(object, "exact", json_boolean(exact));
    if (exact)
        return;
    uint64_t lower = 0, upper = 0;
    vind_results_total_bounds(results, &lower, &upper);
    json_object_set_new(object, "lower", json_integer((json_int_t)lower));
    json_object_set_new(object, "upper", json_integer((json_int_t)upper));
}

/* Prints a JSON answer (NULL when it could not be made) with the estimate's
 * fields, and frees it. */
static void print_json_answer(json_t *object, const vind_results_t *results)
{
    if (object)
        add_estimate(object, results);
    char *text = object ? json_dumps(object, JSON_COMPACT) : NULL;
    vind_print_json(stdout, text);
    free(text);
    json_decref(object);
}

static int print_counts(const vind_results_t *results, const char *query, int by,
                        vind_format_t format)
{
    if (format != VIND_FORMAT_JSON)
        print_estimate(results, by);
    uint64_t total = vind_results_total(results);
    char number[32];
    if (by < 0) {
        snprintf(number, sizeof number, "%llu", (unsigned long long)total);
        static const vind_column_t columns[] = {{"total", VIND_COLUMN_INTEGER, 0, 0}};
        if (format == VIND_FORMAT_TEXT) {
            printf("%s\n", number);
        } else if (format == VIND_FORMAT_JSON) {
            print_json_answer(
                json_pack("{s:s, s:I}", "query", query, "total", (json_int_t)total), results);
        } else {
            vind_printer_t *printer = vind_printer_new(stdout, format, columns, 1);
            const char *values[] = {number};
            vind_printer_row(printer, values);
            vind_printer_finish(printer);
        }
        return total ? VIND_EXIT_OK : VIND_EXIT_NOTHING;
    }
    size_t n = vind_results_facet_count(results, (vind_facet_t)by);
    row_t *rows = calloc(n ? n : 1, sizeof *rows);
    for (size_t i = 0; rows && i < n; i++) {
        const vind_facet_value_t *value = vind_results_facet_get(results, (vind_facet_t)by, i);
        rows[i] = (row_t){(char *)value->value, value->count};
    }
    if (rows && by == VIND_FACET_YEAR)
        qsort(rows, n, sizeof *rows, compare_values);
    if (format == VIND_FORMAT_JSON) {
        json_t *values = json_array();
        for (size_t i = 0; rows && i < n; i++)
            json_array_append_new(values, json_pack("{s:s?, s:I}", "value",
                                                    *rows[i].value ? rows[i].value : NULL,
                                                    "count", (json_int_t)rows[i].count));
        print_json_answer(json_pack("{s:s, s:s, s:I, s:o}", "query", query, "by",
                                    vind_facet_name((vind_facet_t)by), "total", (json_int_t)total,
                                    "values", values),
                          results);
    } else {
        const vind_column_t columns[] = {
            {vind_facet_name((vind_facet_t)by), VIND_COLUMN_STRING, 0, 0},
            {"count", VIND_COLUMN_INTEGER, 0, 0}};
        vind_printer_t *printer = vind_printer_new(stdout, format, columns, 2);
        for (size_t i = 0; rows && i < n; i++) {
            snprintf(number, sizeof number, "%llu", (unsigned long long)rows[i].count);
            /* Text names the row without a value; CSV leaves the cell empty. */
            const char *value = *rows[i].value || format != VIND_FORMAT_TEXT ? rows[i].value
                                                                             : none_label(by);
            const char *values[] = {value, number};
            vind_printer_row(printer, values);
        }
        vind_printer_finish(printer);
        if (format == VIND_FORMAT_TEXT && vind_results_total_exact(results))
            fprintf(stderr, "%llu %s\n", (unsigned long long)total,
                    total == 1 ? "resultaat" : "resultaten");
    }
    free(rows);
    fflush(stdout);
    return total ? VIND_EXIT_OK : VIND_EXIT_NOTHING;
}

int cmd_count(int argc, char **argv)
{
    vind_filter_options_t filters;
    vind_filter_options_init(&filters);
    vind_cli_index_t index = {0};
    const char *by_name = NULL, *format_name = NULL;
    size_t count_limit = SIZE_MAX;
    const vind_option_t table[] = {
        {"by", VIND_OPTION_STRING, &by_name, "FACET", "count per year, tag, theme or type"},
        VIND_FILTER_OPTION_ROWS(&filters),
        VIND_COUNT_LIMIT_OPTION_ROW(&count_limit),
        {"format", VIND_OPTION_STRING, &format_name, "FORMAT", "text (default), json or csv"},
        {NULL, 0, NULL, NULL, NULL},
    };
    const char **args = NULL;
    size_t n_args = 0;
    vind_format_t format;
    int exit_code =
        vind_cli_parse_formatted(&help, table, &index, argc, argv, &args, &n_args,
                                 VIND_FORMAT_TEXT | VIND_FORMAT_JSON | VIND_FORMAT_CSV, &format);
    int by = -1;
    if (exit_code == VIND_CLI_CONTINUE) {
        if (by_name && (by = vind_facet_from_name(by_name)) < 0)
            exit_code =
                vind_cli_usage_error(&help, "cannot count by '%s' (year|tag|theme|type)", by_name);
    }
    char *query = vind_cli_join(args, n_args);
    vind_session_t session = {0};
    if (exit_code == VIND_CLI_CONTINUE)
        exit_code = vind_cli_open(&index, &session);
    if (exit_code == VIND_CLI_CONTINUE) {
        vind_search_request_t request;
        vind_search_request_init(&request);
        request.query = query;
        /* Every filter applies to the counts, and a row counts the matches
         * without a value: the rows of a year or type add up to the total. */
        request.facets = by >= 0 ? VIND_FACETS_COUNT : 0;
        vind_filter_options_apply(&filters, &request);
        vind_results_t *results = NULL;
        char *errmsg = NULL;
        /* A count of its own: no ranking, no hits (the library retries
         * when vind-index commits meanwhile). */
        vind_cli_count_limit(&session, count_limit);
        vind_status_t status = vind_count(session.searcher, &request, &results, &errmsg);
        exit_code = status == VIND_OK ? VIND_CLI_CONTINUE : vind_cli_fail(status, errmsg);
        if (exit_code == VIND_CLI_CONTINUE)
            exit_code = print_counts(results, query, by, format);
        vind_results_free(results);
        vind_cli_close(&session);
    }
    free(query);
    free(args);
    vind_filter_options_clear(&filters);
    return exit_code;
}
