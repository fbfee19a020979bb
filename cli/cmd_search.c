/*
 * cmd_search.c - `vind search`: a ranked search from the command line, as
 * readable text (title, URL, date, snippet; matches bold on a terminal),
 * JSON and JSONL in the shapes of docs/api.md (the daemon's), or CSV for a
 * spreadsheet. A thin client of vind_search().
 */
#include <errno.h>
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
    "search",
    "QUERY...",
    "Searches the index and prints the best matches: title, URL, date and a\n"
    "snippet with the matched words (bold on a terminal). The words of QUERY are\n"
    "joined with spaces; the query language (\"phrase\", OR, NOT, prefix*,\n"
    "title:, tag:, ...) is described in docs/query.md. A word to exclude with a\n"
    "dash goes after -- (before it, a dash starts an option). Filters of one kind\n"
    "combine with OR (--tag a --tag b), different kinds with AND. A summary\n"
    "line (\"12 resultaten\", \"Bedoelde je ...?\") goes to standard error.\n"
    "Near-duplicates (versions of one report) are shown once, with the number\n"
    "of the others and the option that lists them (--similar GROUP); --all\n"
    "and --no-collapse list every document.\n"
    "\n"
    "Examples:\n"
    "  vind search clienten verpleeghuis\n"
    "  vind search -- zorg -ggz\n"
    "  vind search --tag ggz --year 2021 --sort date zorg\n"
    "  vind search --all --format csv wachtlijst > wachtlijst.csv\n"
    "  vind search --queries vragen.txt --format json > antwoorden.jsonl",
    "1 nothing matched, ",
};

typedef struct {
    vind_filter_options_t filters;
    const char *sort, *format, *similar, *queries;
    size_t limit, offset, snippet_chars, count_limit;
    int all, facets, limit_given, explain, no_collapse;
} options_t;

/* "3, 5" of a hit's PDF pages, or NULL; malloc'd. */
static char *page_list(const vind_hit_t *hit, const char *separator)
{
    if (hit->n_pages == 0)
        return NULL;
    GString *out = g_string_new("");
    for (size_t i = 0; i < hit->n_pages; i++)
        g_string_append_printf(out, "%s%u", i ? separator : "", hit->pages[i]);
    return g_string_free(out, FALSE);
}

static char *joined(const char *const *values, size_t n, const char *separator)
{
    GString *out = g_string_new("");
    for (size_t i = 0; i < n; i++)
        g_string_append_printf(out, "%s%s", i ? separator : "", values[i]);
    return g_string_free(out, FALSE);
}

static void print_text_hit(const vind_hit_t *hit, int tty)
{
    /* "-": a url that is no link of the site is withheld (vind_url_as_link) */
    const char *link = vind_url_as_link(hit->url) ? hit->url : "-";
    char *title = vind_clean_text(hit->title && *hit->title ? hit->title : link);
    char *url = vind_clean_text(link);
    char *pages = page_list(hit, ", ");
    printf("%s%s%s\n", tty ? "\033[1m" : "", title, tty ? "\033[0m" : "");
    printf("  %s", url);
    if (hit->date)
        printf("  %s", hit->date);
    if (hit->type && strcmp(hit->type, "article") != 0)
        printf("  %s", hit->type);
    if (pages)
        printf("  %s %s", hit->n_pages == 1 ? "pagina" : "pagina's", pages);
    if (hit->ocr)
        printf("  (OCR)");
    printf("\n");
    if (hit->snippet && *hit->snippet) {
        char *snippet = vind_snippet_text(hit->snippet, tty);
        printf("  %s\n", snippet);
        free(snippet);
    }
    if (hit->similar && hit->group)
        printf("  + %u %s (--similar %s)\n", hit->similar,
               hit->similar == 1 ? "vergelijkbaar document" : "vergelijkbare documenten",
               hit->group);
    printf("\n");
    free(title);
    free(url);
    g_free(pages);
}

static void print_csv(const vind_results_t *results)
{
    static const char *const header[] = {"url",   "title", "type",   "date",   "score",
                                         "pages", "tags",  "themes", "snippet"};
    vind_csv_record(stdout, header, G_N_ELEMENTS(header));
    for (size_t i = 0; i < vind_results_count(results); i++) {
        const vind_hit_t *hit = vind_results_get(results, i);
        char score[32];
        snprintf(score, sizeof score, "%.4f", hit->score);
        char *pages = page_list(hit, ";");
        char *tags = joined(hit->tags, hit->n_tags, "; ");
        char *themes = joined(hit->themes, hit->n_themes, "; ");
        char *snippet = vind_snippet_text(hit->snippet, 0);
        const char *fields[] = {vind_url_as_link(hit->url), hit->title, hit->type, hit->date, score,
                                pages,    tags,       themes,    snippet};
        vind_csv_record(stdout, fields, G_N_ELEMENTS(fields));
        g_free(pages);
        g_free(tags);
        g_free(themes);
        free(snippet);
    }
}

static void print_facets_text(const vind_results_t *results)
{
    for (int f = 0; f < VIND_FACET_LAST; f++) {
        size_t n = vind_results_facet_count(results, (vind_facet_t)f);
        if (n == 0)
            continue;
        printf("%s:", vind_facet_name((vind_facet_t)f));
        for (size_t i = 0; i < n; i++) {
            const vind_facet_value_t *value = vind_results_facet_get(results, (vind_facet_t)f, i);
            char *clean = vind_clean_text(value->value);
            /* Past the count limit a count is a lower bound: "812+". */
            printf("%s %s%s (%llu%s)", i ? "," : "", value->selected ? "*" : "", clean,
                   (unsigned long long)value->count, vind_results_facets_exact(results) ? "" : "+");
            free(clean);
        }
        printf("\n");
    }
    printf("\n");
}

/* Past the count limit: the bounds of the estimate, and what it means for the facets. */
static void print_bounds(const vind_results_t *results)
{
    if (vind_results_total_exact(results))
        return;
    uint64_t lower = 0, upper = 0;
    vind_results_total_bounds(results, &lower, &upper);
    fprintf(stderr, " (tussen %llu en %llu; --count-limit 0 telt alles)",
            (unsigned long long)lower, (unsigned long long)upper);
}

/* The summary on standard error: count, shown range, spelling, fallback. */
static void print_summary(const vind_results_t *results, const vind_search_request_t *request)
{
    uint64_t strict = vind_results_total(results);
    uint64_t total = strict + vind_results_fallback_total(results);
    size_t shown = vind_results_count(results);
    /* Past the time budget or the count limit the total is an estimate. */
    int exact = vind_results_total_exact(results) && !vind_results_partial(results);
    fprintf(stderr, "%s%llu %s", exact ? "" : "ongeveer ", (unsigned long long)total,
            total == 1 ? "resultaat" : "resultaten");
    print_bounds(results);
    if (shown && shown < total)
        fprintf(stderr, " (%zu-%zu getoond)", request->offset + 1, request->offset + shown);
    fprintf(stderr, "\n");
    size_t absent = vind_results_absent_count(results);
    if (vind_results_fallback(results) && strict == 0 && absent) {
        fprintf(stderr, "Geen resultaat bevat ");
        for (size_t i = 0; i < absent; i++) {
            char *word = vind_clean_text(vind_results_absent(results, i));
            fprintf(stderr, "%s\u2018%s\u2019", i == 0 ? "" : i + 1 < absent ? ", " : " en ",
                    word);
            free(word);
        }
        fprintf(stderr, "; die met de andere woorden staan bovenaan.\n");
    } else if (vind_results_fallback(results) && strict == 0)
        fprintf(stderr, "Geen resultaat bevat alle woorden; die met de meeste woorden staan "
                        "bovenaan.\n");
    else if (vind_results_fallback(results))
        fprintf(stderr, "%llu met alle woorden; daarna resultaten met een deel ervan.\n",
                (unsigned long long)strict);
    const char *suggestion = vind_results_suggestion(results);
    if (suggestion) {
        char *clean = vind_clean_text(suggestion);
        fprintf(stderr, "Bedoelde je: %s?\n", clean);
        free(clean);
    }
}

/* The text format: facets (--facets), the hits, the summary on stderr. */
static void print_text(const vind_results_t *results, const vind_search_request_t *request,
                       int facets)
{
    int tty = vind_stdout_is_tty();
    if (facets)
        print_facets_text(results);
    for (size_t i = 0; i < vind_results_count(results); i++)
        print_text_hit(vind_results_get(results, i), tty);
    print_summary(results, request);
}

static int print_results(const vind_results_t *results, const vind_search_request_t *request,
                         vind_format_t format, int facets)
{
    if (format == VIND_FORMAT_JSON) {
        char *json = vind_results_to_json(results);
        if (!json)
            return vind_cli_fail(VIND_NOMEM, strdup("out of memory printing JSON"));
        vind_print_json(stdout, json);
        free(json);
    } else if (format == VIND_FORMAT_JSONL) {
        for (size_t i = 0; i < vind_results_count(results); i++) {
            char *json = vind_hit_to_json(vind_results_get(results, i));
            if (json)
                vind_print_json_line(stdout, json);
            free(json);
        }
    } else if (format == VIND_FORMAT_CSV) {
        print_csv(results);
    } else
        print_text(results, request, facets);
    fflush(stdout);
    /* Nothing found: no document with every word nor with some of them. */
    return vind_results_total(results) + vind_results_fallback_total(results) ? VIND_EXIT_OK
                                                                              : VIND_EXIT_NOTHING;
}

/* One answer of --queries: a JSON line, or the text hits under "# query". */
static void print_answer(const vind_results_t *results, const vind_search_request_t *request,
                         vind_format_t format, int facets)
{
    if (format == VIND_FORMAT_JSON) {
        char *json = vind_results_to_json(results);
        if (json)
            vind_print_json_line(stdout, json);
        free(json);
        return;
    }
    printf("# %s\n", request->query);
    print_text(results, request, facets);
}

/*
 * Reads one line of in into query (size bytes: the line without its line
 * end, and a NUL). Returns 1; 2 when the line does not fit (the rest is
 * left unread: a line of gigabytes, a file without line ends or /dev/zero
 * costs no memory and no time; until session 18 getline kept it whole, 2 GB
 * before it failed); 0 at the end; -1 on a read error (errno says which).
 * Cost: one getc a byte, for a file of queries.
 */
static int read_query_line(FILE *in, char *query, size_t size)
{
    size_t kept = 0;
    int c;
    while ((c = getc(in)) != EOF && c != '\n') {
        if (kept + 1 == size)
            return 2;
        query[kept++] = (char)c;
    }
    if (kept > 0 && query[kept - 1] == '\r')
        kept--;
    query[kept] = '\0';
    if (c == EOF && ferror(in))
        return -1;
    return c == EOF && kept == 0 ? 0 : 1;
}

/*
 * --queries FILE: every non-empty line a query, with the command's options,
 * answered in turn by this one process. A script's loop of searches then
 * pays the process start, the loader and the opening of the index once
 * instead of once a search (200 bench queries as JSON: 297 ms in one
 * process, 4,028 ms as 200 calls; docs/cli.md). Returns 0 when some query found
 * something, 1 when none did, 2 when one failed (the rest are not run).
 */
static int run_queries(vind_session_t *session, vind_search_request_t *request,
                       const options_t *o, vind_format_t format)
{
    int from_stdin = strcmp(o->queries, "-") == 0;
    FILE *in = from_stdin ? stdin : fopen(o->queries, "r");
    if (!in)
        return vind_cli_fail(VIND_NOT_FOUND,
                             g_strdup_printf("cannot read %s: %s", o->queries, strerror(errno)));
    /* A query's bytes, a '\r' the reader drops and a NUL. */
    char line[VIND_MAX_QUERY_BYTES + 2];
    size_t number = 0;
    int found = 0, exit_code = VIND_CLI_CONTINUE, got;
    while (exit_code == VIND_CLI_CONTINUE && (got = read_query_line(in, line, sizeof line)) > 0) {
        number++;
        if (got == 2 || strlen(line) > VIND_MAX_QUERY_BYTES) {
            exit_code = vind_cli_fail(VIND_BAD_QUERY,
                                      g_strdup_printf("%s:%zu: the query is longer than %u bytes",
                                                      o->queries, number, VIND_MAX_QUERY_BYTES));
            break;
        }
        if (!*line)
            continue;
        request->query = line;
        vind_results_t *results = NULL;
        exit_code = vind_cli_search(session, request, &results);
        if (exit_code == VIND_CLI_CONTINUE) {
            if (o->explain)
                fprintf(stderr, "explain: %s: %s\n", line, vind_results_explain(results));
            print_answer(results, request, format, o->facets);
            found |= vind_results_total(results) + vind_results_fallback_total(results) > 0;
        }
        vind_results_free(results);
    }
    /* A read error (EISDIR: a folder given; EIO) is said, not taken for
     * the end: until session 18 "--queries FOLDER" exited 1 unsaid. */
    if (exit_code == VIND_CLI_CONTINUE && got < 0)
        exit_code = vind_cli_fail(VIND_IO, g_strdup_printf("cannot read %s: %s", o->queries,
                                                           strerror(errno)));
    fflush(stdout);
    request->query = NULL;
    if (!from_stdin)
        fclose(in);
    if (exit_code != VIND_CLI_CONTINUE)
        return exit_code;
    return found ? VIND_EXIT_OK : VIND_EXIT_NOTHING;
}

int cmd_search(int argc, char **argv)
{
    options_t o = {.limit = SIZE_MAX, .count_limit = SIZE_MAX};
    vind_filter_options_init(&o.filters);
    vind_cli_index_t index = {0};
    const vind_option_t table[] = {
        VIND_FILTER_OPTION_ROWS(&o.filters),
        {"sort", VIND_OPTION_STRING, &o.sort, "ORDER",
         "relevance (default), date (newest first) or date-asc"},
        {"limit", VIND_OPTION_COUNT, &o.limit, "N", "show N results (default 10)"},
        {"all", VIND_OPTION_FLAG, &o.all, NULL, "show every result"},
        {"similar", VIND_OPTION_STRING, &o.similar, "GROUP",
         "list the near-duplicates of one group (shown under a hit)"},
        {"no-collapse", VIND_OPTION_FLAG, &o.no_collapse, NULL,
         "list near-duplicates one by one instead of once"},
        {"explain", VIND_OPTION_FLAG, &o.explain, NULL,
         "print how the search ran (passes, counts, time per stage) on stderr"},
        {"offset", VIND_OPTION_COUNT, &o.offset, "N", "skip the first N results (paging)"},
        {"format", VIND_OPTION_STRING, &o.format, "FORMAT", "text (default), json, jsonl or csv"},
        {"facets", VIND_OPTION_FLAG, &o.facets, NULL,
         "also count tags, themes, types and years of the matches"},
        {"snippet-chars", VIND_OPTION_COUNT, &o.snippet_chars, "N",
         "snippet length in characters (default 200)"},
        VIND_COUNT_LIMIT_OPTION_ROW(&o.count_limit),
        {"queries", VIND_OPTION_STRING, &o.queries, "FILE",
         "search every line of FILE (- for standard input) in one process; JSON: one answer a line"},
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
    if (exit_code == VIND_CLI_CONTINUE)
        exit_code = vind_cli_sort(&help, o.sort, &request.sort);
    if (exit_code == VIND_CLI_CONTINUE) {
        o.limit_given = o.limit != SIZE_MAX;
        if (!o.limit_given)
            o.limit = 10;
        if (o.all && o.limit_given)
            exit_code = vind_cli_usage_error(&help, "give --limit N or --all, not both");
        else if (o.limit == 0)
            exit_code = vind_cli_usage_error(&help, "--limit must be 1 or more (--all shows all)");
        else if (o.queries && n_args > 0)
            exit_code = vind_cli_usage_error(&help, "give a QUERY or --queries FILE, not both");
        else if (o.queries && format != VIND_FORMAT_TEXT && format != VIND_FORMAT_JSON)
            exit_code = vind_cli_usage_error(&help, "--queries prints text or json");
        else if (n_args == 0 && !o.queries && !vind_filter_options_any(&o.filters))
            exit_code = vind_cli_usage_error(&help, "give a QUERY or a filter");
    }
    char *query = vind_cli_join(args, n_args);
    vind_session_t session = {0};
    if (exit_code == VIND_CLI_CONTINUE)
        exit_code = vind_cli_open(&index, &session);
    if (exit_code == VIND_CLI_CONTINUE) {
        request.query = query;
        request.limit = o.all ? 0 : o.limit;
        request.offset = o.offset;
        request.facets = o.facets;
        request.snippets = 1;
        request.snippet_chars = (unsigned)(o.snippet_chars > 4000 ? 4000 : o.snippet_chars);
        vind_filter_options_apply(&o.filters, &request);
        vind_results_t *results = NULL;
        vind_searcher_set_collapse(session.searcher, !o.no_collapse);
        /* One search, one process: nothing read is asked for again (its 129
         * block reads are the same with the cache), so keeping copies only
         * cost ~21 page faults of heap and 0.14 M instructions (`vind search
         * zorg`, docs/cli.md). --queries keeps it: its searches share hits. */
        if (!o.queries)
            vind_searcher_set_cache_size(session.searcher, 0);
        vind_cli_count_limit(&session, o.count_limit);
        char *message = NULL;
        if (vind_searcher_set_similar(session.searcher, o.similar, &message) != VIND_OK)
            exit_code = vind_cli_usage_error(&help, "%s", message);
        free(message);
        if (exit_code == VIND_CLI_CONTINUE && o.queries)
            exit_code = run_queries(&session, &request, &o, format);
        else if (exit_code == VIND_CLI_CONTINUE)
            exit_code = vind_cli_search(&session, &request, &results);
        if (exit_code == VIND_CLI_CONTINUE && o.explain)
            fprintf(stderr, "explain: %s\n", vind_results_explain(results));
        if (exit_code == VIND_CLI_CONTINUE)
            exit_code = print_results(results, &request, format, o.facets);
        vind_results_free(results);
        vind_cli_close(&session);
    }
    free(query);
    free(args);
    vind_filter_options_clear(&o.filters);
    return exit_code;
}
