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
#include <vind/analyze.h>
#include <vind/related.h>
#include <vind/search.h>
#include <vind/vind.h>
#include "commands.h"

typedef struct {
    gchar *db;
    gchar *url;
    gboolean all;
    gint limit;
    gchar *format;
    gchar *type;
    gdouble prefer_recent;
    gint half_life;
    gchar *datadir;
    gchar *output;
} options_t;

static void options_clear(options_t *o)
{
    g_free(o->db);
    g_free(o->url);
    g_free(o->format);
    g_free(o->type);
    g_free(o->datadir);
    g_free(o->output);
}

/* Parses argv; returns -1 to go on, else the exit status (0 for --help, 2). */
static int parse_options(int argc, char **argv, options_t *o)
{
    GOptionEntry entries[] = {
        {"db", 0, 0, G_OPTION_ARG_FILENAME, &o->db, "Index folder (default $VIND_DB, else ./vind.db)",
         "DIR"},
        {"url", 0, 0, G_OPTION_ARG_STRING, &o->url, "The page to relate (its URL as indexed)",
         "URL"},
        {"all", 0, 0, G_OPTION_ARG_NONE, &o->all,
         "Every article at once: one JSON object keyed by URL path (the site's data file)", NULL},
        {"limit", 0, 0, G_OPTION_ARG_INT, &o->limit, "Related documents per page (default 5, at most 50)",
         "N"},
        {"format", 0, 0, G_OPTION_ARG_STRING, &o->format, "text or json (default text; --all: json)",
         "FORMAT"},
        {"type", 0, 0, G_OPTION_ARG_STRING, &o->type,
         "Only this type: article, pdf, page or any (default: articles and PDFs)", "TYPE"},
        {"prefer-recent", 0, 0, G_OPTION_ARG_DOUBLE, &o->prefer_recent,
         "0..1: share of the score that halves every --half-life days before the newest document "
         "(default 0)",
         "R"},
        {"half-life", 0, 0, G_OPTION_ARG_INT, &o->half_life, "Recency half-life in days (default 365)",
         "DAYS"},
        {"output", 'o', 0, G_OPTION_ARG_FILENAME, &o->output,
         "Write to FILE (replaced atomically) instead of standard output", "FILE"},
        {"datadir", 0, 0, G_OPTION_ARG_FILENAME, &o->datadir,
         "Lexicon and stop words (default $VIND_DATADIR, else beside the program)", "DIR"},
        {NULL, 0, 0, 0, NULL, NULL, NULL},
    };
    GOptionContext *context = g_option_context_new("- documents related to a page");
    g_option_context_set_summary(
        context, "Examples:\n"
                 "  vind related --db site.db --url /actueel/toegankelijkheid/\n"
                 "  vind related --db site.db --all --format json -o data/related.json");
    g_option_context_add_main_entries(context, entries, NULL);
    GError *error = NULL;
    g_set_prgname("vind related");
    int ok = g_option_context_parse(context, &argc, &argv, &error);
    g_option_context_free(context);
    if (!ok) {
        fprintf(stderr, "vind related: %s (see --help)\n", error->message);
        g_error_free(error);
        return 2;
    }
    if (argc > 1) {
        fprintf(stderr, "vind related: unexpected argument '%s' (see --help)\n", argv[1]);
        return 2;
    }
    if ((o->url != NULL) == (o->all != FALSE)) {
        fprintf(stderr, "vind related: give either --url URL or --all (see --help)\n");
        return 2;
    }
    if (!o->format)
        o->format = g_strdup(o->all ? "json" : "text");
    if (strcmp(o->format, "json") != 0 && (strcmp(o->format, "text") != 0 || o->all)) {
        fprintf(stderr, "vind related: format '%s' is not available here (%s)\n", o->format,
                o->all ? "--all writes json" : "text or json");
        return 2;
    }
    if (o->limit < 0 || o->half_life < 0) {
        fprintf(stderr, "vind related: --limit and --half-life cannot be negative\n");
        return 2;
    }
    if (!o->db)
        o->db = g_strdup(getenv("VIND_DB") && *getenv("VIND_DB") ? getenv("VIND_DB") : "vind.db");
    return -1;
}

static void print_item(GString *out, const vind_related_item_t *item, int with_score)
{
    if (with_score)
        g_string_append_printf(out, "  %6.4f", item->score);
    g_string_append_printf(out, "  %-10s  %-7s  %s", item->date ? item->date : "-",
                           item->type ? item->type : "-", item->url ? item->url : "-");
    if (item->title)
        g_string_append_printf(out, "  %s", item->title);
    if (item->n_shared > 0) {
        g_string_append(out, "  [");
        for (size_t i = 0; i < item->n_shared; i++)
            g_string_append_printf(out, "%s%s", i ? ", " : "", item->shared[i]);
        g_string_append(out, "]");
    }
    g_string_append_c(out, '\n');
}

static char *list_text(const vind_related_list_t *list)
{
    GString *out = g_string_new(NULL);
    const vind_related_item_t *source = vind_related_source(list);
    g_string_append_printf(out, "%s  %s\n", source->url, source->title ? source->title : "");
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
            fprintf(stderr, "vind related: %s\n", error->message);
            g_error_free(error);
            return 0;
        }
        return 1;
    }
    return fputs(text, stdout) >= 0 && fflush(stdout) == 0;
}

static int run(const options_t *o)
{
    char *errmsg = NULL, *text = NULL;
    vind_lexicon_t *lexicon = NULL;
    vind_searcher_t *searcher = NULL;
    vind_related_list_t *list = NULL;
    vind_related_options_t opts;
    vind_related_options_init(&opts);
    opts.limit = (size_t)o->limit;
    opts.type = o->type;
    opts.prefer_recent = o->prefer_recent;
    opts.half_life_days = (unsigned)o->half_life;
    vind_status_t status = vind_lexicon_open(o->datadir, &lexicon, &errmsg);
    if (status == VIND_OK)
        status = vind_searcher_open(o->db, lexicon, &searcher, &errmsg);
    if (status == VIND_OK && o->all)
        status = vind_related_all_json(searcher, &opts, &text, &errmsg);
    else if (status == VIND_OK)
        status = vind_related(searcher, o->url, &opts, &list, &errmsg);
    if (status == VIND_OK && list) {
        if (strcmp(o->format, "json") == 0)
            text = vind_related_to_json(list);
        else {
            gchar *plain = list_text(list);
            text = strdup(plain);
            g_free(plain);
        }
        if (!text)
            status = VIND_NOMEM;
    }
    int exit_status = status == VIND_NOT_FOUND ? 1 : 2;
    if (status != VIND_OK)
        fprintf(stderr, "vind related: %s\n", errmsg ? errmsg : vind_status_to_string(status));
    else if (write_out(o, text))
        exit_status = list && vind_related_count(list) == 0 ? 1 : 0;
    free(errmsg);
    free(text);
    vind_related_free(list);
    vind_searcher_close(searcher);
    vind_lexicon_close(lexicon);
    return exit_status;
}

int cmd_related(int argc, char **argv)
{
    options_t options = {0};
    int status = parse_options(argc, argv, &options);
    if (status < 0)
        status = run(&options);
    options_clear(&options);
    return status;
}
