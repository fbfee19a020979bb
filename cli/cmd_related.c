/*
 * cmd_related.c - `vind related`: the documents most related to one page
 * (--url), or the data file of a whole site (--all: every article's related
 * list, keyed by its URL path) for a static site generator
 * (docs/site-generators.md). A thin client of include/vind/related.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <vind/related.h>
#include "commands.h"
#include "common.h"

static const vind_command_help_t help = {
    "related",
    "(--url URL | --all)",
    "The documents most related to the page at URL (as indexed): content\n"
    "similarity first, a shared specific theme or tag reorders close ones; best\n"
    "first, ties by URL; the page's own PDFs are listed as its attachments.\n"
    "With --all, every article at once:\n"
    "one JSON object keyed by URL path (by full URL when the index holds more\n"
    "than one host), each value its related list (url, title,\n"
    "type, date, score), the data file of a static site generator\n"
    "(docs/site-generators.md). The same index always gives the same bytes.\n"
    "\n"
    "Examples:\n"
    "  vind related --db site.db --url /actueel/toegankelijkheid/\n"
    "  vind related --db site.db --all --format json --output data/related.json",
    "1 no document at --url or nothing related to it, ",
};

typedef struct {
    const char *url, *format, *type, *prefer_recent, *min_score, *output;
    int all;
    size_t limit, half_life;
} options_t;

/* A number in [low, high] from an option's text. */
static int parse_number(const char *text, double low, double high, double *out)
{
    if (!text)
        return 1;
    char *end = NULL;
    double value = g_ascii_strtod(text, &end);
    if (end == text || *end != '\0' || !(value >= low && value <= high))
        return 0;
    *out = value;
    return 1;
}

/* Checks the combination of options; fills opts. VIND_CLI_CONTINUE or 2. */
static int check_options(options_t *o, vind_related_options_t *opts)
{
    vind_related_options_init(opts);
    if ((o->url != NULL) == (o->all != 0))
        return vind_cli_usage_error(&help, "give either --url URL or --all");
    if (!o->format)
        o->format = o->all ? "json" : "text";
    if (strcmp(o->format, "json") != 0 && (strcmp(o->format, "text") != 0 || o->all))
        return vind_cli_usage_error(&help, "format '%s' is not available here (%s)", o->format,
                                    o->all ? "--all writes json" : "text or json");
    if (o->limit > VIND_RELATED_MAX_LIMIT)
        return vind_cli_usage_error(&help, "--limit %zu is above %u", o->limit,
                                    VIND_RELATED_MAX_LIMIT);
    if (o->type && strcmp(o->type, "article") != 0 && strcmp(o->type, "pdf") != 0 &&
        strcmp(o->type, "page") != 0 && strcmp(o->type, "any") != 0)
        return vind_cli_usage_error(&help, "unknown type '%s' (article, pdf, page or any)",
                                    o->type);
    if (!parse_number(o->prefer_recent, 0.0, 1.0, &opts->prefer_recent))
        return vind_cli_usage_error(&help, "--prefer-recent wants a number from 0 to 1, not '%s'",
                                    o->prefer_recent);
    if (!parse_number(o->min_score, 0.0, 1e9, &opts->min_score))
        return vind_cli_usage_error(&help, "--min-score wants a number of 0 or more, not '%s'",
                                    o->min_score);
    if (o->half_life > 1000000)
        return vind_cli_usage_error(&help, "--half-life %zu days is beyond reason", o->half_life);
    opts->limit = o->limit;
    opts->type = o->type;
    opts->half_life_days = (unsigned)o->half_life;
    return VIND_CLI_CONTINUE;
}

/* Appends a stored string fit for a terminal (vind_clean_text): a title,
 * tag or URL of a hostile page or feed holds ESC or C1 sequences that would
 * recolour or retitle the terminal, and line breaks that forge lines. */
static void append_clean(GString *out, const char *format, const char *text)
{
    char *clean = vind_clean_text(text);
    g_string_append_printf(out, format, clean ? clean : "");
    free(clean);
}

static void print_item(GString *out, const vind_related_item_t *item, int with_score)
{
    if (with_score)
        g_string_append_printf(out, "  %6.4f", item->score);
    append_clean(out, "  %-10s", item->date ? item->date : "-");
    append_clean(out, "  %-7s", item->type ? item->type : "-");
    append_clean(out, "  %s", item->url ? item->url : "-");
    if (item->title)
        append_clean(out, "  %s", item->title);
    if (item->n_shared > 0) {
        g_string_append(out, "  [");
        for (size_t i = 0; i < item->n_shared; i++)
            append_clean(out, i ? ", %s" : "%s", item->shared[i]);
        g_string_append(out, "]");
    }
    g_string_append_c(out, '\n');
}

static char *list_text(const vind_related_list_t *list)
{
    GString *out = g_string_new(NULL);
    const vind_related_item_t *source = vind_related_source(list);
    append_clean(out, "%s", source->url ? source->url : "-"); /* NULL: no link */
    append_clean(out, "  %s\n", source->title ? source->title : "");
    if (vind_related_attachment_count(list) > 0) {
        g_string_append(out, "attachments:\n");
        for (size_t i = 0; i < vind_related_attachment_count(list); i++)
            print_item(out, vind_related_attachment_get(list, i), 0);
    }
    g_string_append(out, "related:\n");
    if (vind_related_count(list) == 0)
        g_string_append(out, "  (none)\n");
    for (size_t i = 0; i < vind_related_count(list); i++)
        print_item(out, vind_related_get(list, i), 1);
    return g_string_free(out, FALSE);
}

/* Writes text to --output (atomically: a site build never reads half a
 * file) or standard output. */
static int write_out(const options_t *o, const char *text)
{
    if (o->output) {
        GError *error = NULL;
        if (!g_file_set_contents(o->output, text, -1, &error)) {
            int code = vind_cli_fail(VIND_IO, strdup(error->message));
            g_error_free(error);
            return code;
        }
        return VIND_EXIT_OK;
    }
    if (fputs(text, stdout) < 0 || fflush(stdout) != 0)
        return vind_cli_fail(VIND_IO, strdup("cannot write to standard output"));
    return VIND_EXIT_OK;
}

static int run(vind_session_t *session, const options_t *o, const vind_related_options_t *opts)
{
    char *errmsg = NULL, *text = NULL;
    vind_related_list_t *list = NULL;
    vind_status_t status;
    if (o->all)
        status = vind_related_all_json(session->searcher, opts, &text, &errmsg);
    else
        status = vind_related(session->searcher, o->url, opts, &list, &errmsg);
    if (status == VIND_NOT_FOUND && !o->all) {
        /* An unknown page is "nothing found" (1), not a failure of the index. */
        vind_cli_fail(status, errmsg);
        return VIND_EXIT_NOTHING;
    }
    if (status != VIND_OK)
        return vind_cli_fail(status, errmsg);
    int json = o->all || strcmp(o->format, "json") == 0;
    if (list) {
        if (json) {
            text = vind_related_to_json(list);
        } else {
            gchar *plain = list_text(list);
            text = strdup(plain);
            g_free(plain);
        }
    }
    if (json && text) {
        /* related.json is pasted into pages by site generators: its titles'
         * < > & as \u003c \u003e \u0026, as every JSON vind prints (until
         * session 15 --all and --format json wrote them raw). */
        char *safe = vind_json_safe(text);
        free(text);
        text = safe;
    }
    int exit_code = text ? write_out(o, text) : vind_cli_fail(VIND_NOMEM, NULL);
    if (exit_code == VIND_EXIT_OK && list && vind_related_count(list) == 0)
        exit_code = VIND_EXIT_NOTHING;
    free(text);
    vind_related_free(list);
    return exit_code;
}

int cmd_related(int argc, char **argv)
{
    vind_cli_index_t index = {0};
    options_t o = {0};
    const vind_option_t table[] = {
        {"url", VIND_OPTION_STRING, &o.url, "URL", "the page to relate (its URL as indexed)"},
        {"all", VIND_OPTION_FLAG, &o.all, NULL,
         "every article at once (JSON keyed by URL path: the site's data file)"},
        {"limit", VIND_OPTION_COUNT, &o.limit, "N",
         "related documents per page (default 5, at most 50)"},
        {"format", VIND_OPTION_STRING, &o.format, "FORMAT", "text (default) or json; --all: json"},
        {"type", VIND_OPTION_STRING, &o.type, "TYPE",
         "only article, pdf, page or any (default: articles and PDFs)"},
        {"prefer-recent", VIND_OPTION_STRING, &o.prefer_recent, "R",
         "0..1: share of the score that halves every half-life before the newest document"},
        {"half-life", VIND_OPTION_COUNT, &o.half_life, "DAYS", "recency half-life (default 365)"},
        {"min-score", VIND_OPTION_STRING, &o.min_score, "S",
         "leave out documents scoring below S (default 0.075; 0 keeps all)"},
        {"output", VIND_OPTION_STRING, &o.output, "FILE",
         "write to FILE (replaced atomically) instead of standard output"},
        {NULL, 0, NULL, NULL, NULL},
    };
    const char **args = NULL;
    size_t n_args = 0;
    vind_related_options_t opts;
    int exit_code = vind_cli_parse(&help, table, &index, argc, argv, &args, &n_args);
    if (exit_code == VIND_CLI_CONTINUE && n_args)
        exit_code = vind_cli_usage_error(&help, "unexpected argument '%s'", args[0]);
    if (exit_code == VIND_CLI_CONTINUE)
        exit_code = check_options(&o, &opts);
    vind_session_t session = {0};
    if (exit_code == VIND_CLI_CONTINUE)
        exit_code = vind_cli_open(&index, &session);
    if (exit_code == VIND_CLI_CONTINUE) {
        exit_code = run(&session, &o, &opts);
        vind_cli_close(&session);
    }
    free(args);
    return exit_code;
}
