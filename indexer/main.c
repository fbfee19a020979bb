/*
 * main.c - `vind-index`: indexes a site's HTML articles and PDF reports.
 *
 * A thin front over vind_index_run (include/vind/index.h): options, the
 * config file, progress on a terminal, one line per failed file
 * ("path: reason"), the summary, and the exit status:
 *   0  nothing failed
 *   1  some files failed; the rest was committed
 *   2  usage or fatal error; the index is untouched
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <glib.h>

#include <vind/analyze.h>
#include <vind/extract.h>
#include <vind/index.h>
#include <vind/limits.h>
#include <vind/vind.h>

typedef struct {
    int tty;             /* stderr is a terminal: draw a progress bar */
    int quiet;
    int verbose;         /* list every skipped page with its reason */
    double started;
    size_t last_reported;
    GHashTable *skipped; /* kind of skip ("redirect stub") -> count */
    GPtrArray *kinds;    /* those kinds in the order first seen */
    size_t without_text; /* pages indexed under their file names: no title, no word */
} progress_t;

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Prints a path so that a newline or control byte in a file name cannot forge
 * a log line: such bytes are shown as \xNN, and so are the two bytes of a C1
 * control (U+0080-009F: U+009B is a terminal's CSI, as ESC [ is). */
static void print_path(FILE *out, const char *path)
{
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        if (*p < 0x20 || *p == 0x7f || *p == '\\')
            fprintf(out, "\\x%02x", *p);
        else if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)
            fprintf(out, "\\xc2\\x%02x", *++p);
        else
            fputc(*p, out);
    }
}

/* The kind of a skip reason, for the summary: its words before " (":
 * "archive page (body class \"tag\")" -> "archive page". */
static void count_skip(progress_t *progress, const char *reason)
{
    const char *text = reason ? reason : "listing page";
    const char *detail = strstr(text, " (");
    char *kind = g_strndup(text, detail ? (gsize)(detail - text) : strlen(text));
    gpointer count = g_hash_table_lookup(progress->skipped, kind);
    if (!count)
        g_ptr_array_add(progress->kinds, kind);
    g_hash_table_insert(progress->skipped, kind, GSIZE_TO_POINTER(GPOINTER_TO_SIZE(count) + 1));
}

/* "skipped 12 pages: 8 archive page, 3 redirect stub, 1 404 page", the
 * most frequent kind first. */
static int by_count(gconstpointer a, gconstpointer b, gpointer table)
{
    size_t ca = GPOINTER_TO_SIZE(g_hash_table_lookup(table, *(char *const *)a));
    size_t cb = GPOINTER_TO_SIZE(g_hash_table_lookup(table, *(char *const *)b));
    return ca < cb ? 1 : ca > cb ? -1 : 0;
}

static void print_skips(progress_t *progress, size_t total)
{
    if (!total)
        return;
    g_ptr_array_sort_with_data(progress->kinds, by_count, progress->skipped);
    fprintf(stderr, "skipped %zu page%s:", total, total == 1 ? "" : "s");
    for (guint i = 0; i < progress->kinds->len; i++) {
        const char *kind = g_ptr_array_index(progress->kinds, i);
        fprintf(stderr, "%s %zu %s", i ? "," : "",
                GPOINTER_TO_SIZE(g_hash_table_lookup(progress->skipped, kind)), kind);
    }
    fputs(progress->verbose ? "\n" : " (--verbose lists them)\n", stderr);
}

static void on_event(const vind_index_event_t *event, void *rock)
{
    progress_t *progress = rock;
    if (event->outcome == VIND_FILE_SKIPPED) {
        count_skip(progress, event->reason);
        if (progress->verbose) {
            if (progress->tty)
                fputs("\r\033[K", stderr);
            print_path(stderr, event->path);
            fputs(": ", stderr);
            print_path(stderr, event->reason ? event->reason : "listing page");
            fputc('\n', stderr);
        }
    }
    if ((event->outcome == VIND_FILE_INDEXED || event->outcome == VIND_FILE_UPDATED) &&
        event->reason) {
        if (progress->tty)
            fputs("\r\033[K", stderr);
        print_path(stderr, event->path);
        /* "page 3: OCR timed out": the page is named, the rest is indexed */
        fputs(strncmp(event->reason, "page ", 5) == 0 ? ": " : ": indexed, but ", stderr);
        if (strstr(event->reason, "no text: ") != NULL)
            progress->without_text++;
        print_path(stderr, event->reason);
        fputc('\n', stderr);
    }
    if (event->outcome == VIND_FILE_FAILED) {
        if (progress->tty)
            fputs("\r\033[K", stderr);
        /* Library messages usually name the file already: print it once. */
        const char *reason = event->reason ? event->reason : "failed";
        size_t length = strlen(event->path);
        if (strncmp(reason, event->path, length) == 0 && reason[length] == ':')
            reason += length + 1;
        while (*reason == ' ')
            reason++;
        print_path(stderr, event->path);
        fputs(": ", stderr);
        print_path(stderr, reason); /* it may quote another path ("same URL as") */
        fputc('\n', stderr);
    }
    if (progress->quiet)
        return;
    if (event->total == 0) { /* a feed (--from-jsonl): its length is unknown */
        if (event->done % 10000 == 0 && event->done != progress->last_reported)
            fprintf(stderr, "vind-index: %zu records\n", event->done);
        progress->last_reported = event->done;
        return;
    }
    if (progress->tty) {
        double elapsed = now_seconds() - progress->started;
        double rate = elapsed > 0 ? event->done / elapsed : 0;
        double eta = rate > 0 ? (event->total - event->done) / rate : 0;
        int width = 30, filled = (int)(width * event->done / event->total);
        fprintf(stderr, "\r[%.*s%*s] %zu/%zu  %.0f files/s  ETA %.0f s", filled,
                "##############################", width - filled, "", event->done, event->total,
                rate, eta);
        if (event->ocr_pages > 0) /* OCR is the slow part of a run with scans */
            fprintf(stderr, "  ocr %zu pages", event->ocr_pages);
        fputs("\033[K", stderr);
        if (event->done == event->total)
            fputc('\n', stderr);
    } else if (event->done / 1000 != progress->last_reported / 1000) {
        fprintf(stderr, "vind-index: %zu/%zu files", event->done, event->total);
        if (event->ocr_pages > 0)
            fprintf(stderr, ", ocr %zu pages", event->ocr_pages);
        fputc('\n', stderr);
    }
    progress->last_reported = event->done;
}

/* Parses "100M", "1G", "512k" or a plain byte count of 1 to
 * VIND_MAX_FILE_BYTES. Returns 0 on error (nan, inf and sizes past the
 * largest too: a double past SIZE_MAX has no size_t). */
static size_t parse_size(const char *text)
{
    char *end = NULL;
    errno = 0;
    double value = strtod(text, &end);
    if (errno || end == text || !(value > 0) || !isfinite(value))
        return 0;
    switch (*end) {
    case 'k': case 'K': value *= 1024; end++; break;
    case 'm': case 'M': value *= 1024 * 1024; end++; break;
    case 'g': case 'G': value *= 1024.0 * 1024 * 1024; end++; break;
    default: break;
    }
    if (*end == 'B' || *end == 'b')
        end++;
    return *end || value > (double)VIND_MAX_FILE_BYTES ? 0 : (size_t)value;
}

/* Whether an option's value lies in [low, high]; says so when not. */
static int valid_range(const char *where, const char *option, long value, long low, long high)
{
    if (value >= low && value <= high)
        return 1;
    fprintf(stderr, "vind-index: %s%s%s must be %ld to %ld, not %ld\n", where ? where : "",
            where ? ": " : "", option, low, high, value);
    return 0;
}

/* Whether the base URL (--base-url, or where given the config's [site]
 * base_url) makes links that lead back to the files; says why not. Until
 * session 14 any was taken: a typo or a hostile config made every URL of a
 * run "javascript:...", "//evil.example/..." or a control character. */
static int valid_base_url(const char *where, const char *base_url)
{
    char *errmsg = NULL;
    if (vind_base_url_check(base_url, &errmsg) == VIND_OK)
        return 1;
    fprintf(stderr, "vind-index: %s%s '", where ? where : "--base-url", where ? ": [site] base_url" : "");
    print_path(stderr, base_url);
    fprintf(stderr, "' cannot begin the site's URLs: %s; give a path such as / or /site/, or "
                    "https://HOST/\n",
            errmsg ? errmsg : "refused");
    free(errmsg);
    return 0;
}

/* --ocr auto|off|force; force needs Tesseract's data. */
static int parse_ocr(const char *mode, vind_extract_options_t *extract)
{
    if (strcmp(mode, "auto") == 0)
        extract->ocr = VIND_OCR_AUTO;
    else if (strcmp(mode, "off") == 0)
        extract->ocr = VIND_OCR_OFF;
    else if (strcmp(mode, "force") == 0)
        extract->ocr = VIND_OCR_FORCE;
    else {
        fprintf(stderr, "vind-index: --ocr: '%s' is not auto, off or force\n", mode);
        return 0;
    }
    if (extract->ocr == VIND_OCR_FORCE && !vind_ocr_available("nld+eng")) {
        fprintf(stderr, "vind-index: --ocr force: Tesseract's Dutch and English data are not "
                        "installed (apt-get install tesseract-ocr-nld tesseract-ocr-eng)\n");
        return 0;
    }
    return 1;
}

/* Reads the optional config file (GKeyFile): [site] base_url, name;
 * [extract] content, title, date, tags, themes (XPath), index_listings,
 * timeout, max_size, ocr. The strings are g_malloc'd copies: free_config frees them. */
static int load_config(GKeyFile *keys, const char *path, vind_index_options_t *opts,
                       char **base_url)
{
    GError *error = NULL;
    if (!g_key_file_load_from_file(keys, path, G_KEY_FILE_NONE, &error)) {
        fprintf(stderr, "vind-index: %s: %s\n", path, error->message);
        g_error_free(error);
        return 0;
    }
    if (!*base_url)
        *base_url = g_key_file_get_string(keys, "site", "base_url", NULL);
    opts->extract.site_name = g_key_file_get_string(keys, "site", "name", NULL);
    opts->extract.content_xpath = g_key_file_get_string(keys, "extract", "content", NULL);
    opts->extract.title_xpath = g_key_file_get_string(keys, "extract", "title", NULL);
    opts->extract.date_xpath = g_key_file_get_string(keys, "extract", "date", NULL);
    opts->extract.tags_xpath = g_key_file_get_string(keys, "extract", "tags", NULL);
    opts->extract.themes_xpath = g_key_file_get_string(keys, "extract", "themes", NULL);
    opts->extract.index_listings =
        g_key_file_get_boolean(keys, "extract", "index_listings", NULL);
    GError *missing = NULL;
    int timeout = g_key_file_get_integer(keys, "extract", "timeout", &missing);
    if (!missing && !valid_range(path, "[extract] timeout", timeout, 1, VIND_MAX_EXTRACT_SECONDS))
        return 0;
    if (!missing)
        opts->extract.timeout_seconds = (unsigned)timeout;
    g_clear_error(&missing);
    char *ocr = g_key_file_get_string(keys, "extract", "ocr", NULL); /* --ocr overrides it */
    int ocr_ok = !ocr || parse_ocr(ocr, &opts->extract);
    g_free(ocr);
    return ocr_ok;
}

static void free_config(vind_extract_options_t *extract)
{
    const char **strings[] = {&extract->site_name,  &extract->content_xpath,
                              &extract->title_xpath, &extract->date_xpath,
                              &extract->tags_xpath,  &extract->themes_xpath};
    for (size_t i = 0; i < G_N_ELEMENTS(strings); i++) {
        g_free((char *)*strings[i]);
        *strings[i] = NULL;
    }
}

/* The options as parsed; freed on every way out, so that LeakSanitizer
 * leaves the exit status of a usage error as it is (2). */
typedef struct {
    GOptionContext *context;
    GKeyFile *keys;
    char **paths;
    char *db, *base_url, *config, *max_size, *ocr, *from_jsonl;
    vind_extract_options_t *extract; /* its config strings (free_config) */
} parsed_t;

static int parsed_free(parsed_t *parsed, int exit_status)
{
    if (parsed->extract)
        free_config(parsed->extract);
    if (parsed->keys)
        g_key_file_free(parsed->keys);
    g_option_context_free(parsed->context);
    g_strfreev(parsed->paths);
    g_free(parsed->db);
    g_free(parsed->base_url);
    g_free(parsed->config);
    g_free(parsed->max_size);
    g_free(parsed->ocr);
    g_free(parsed->from_jsonl);
    return exit_status;
}

/* "ocr 12 pages in 31 s (3 from the cache)": what OCR cost this run. */
static void print_ocr(const vind_index_report_t *report, const vind_extract_options_t *extract)
{
    if (report->ocr_pages > 0 || report->ocr_cached > 0)
        fprintf(stderr, "ocr %zu pages in %.0f s (%zu from the cache)\n", report->ocr_pages,
                report->ocr_seconds, report->ocr_cached);
    else if (report->empty_pages > 0 && extract->ocr == VIND_OCR_AUTO &&
             !vind_ocr_available("nld+eng"))
        fprintf(stderr, "ocr 0 pages: %zu PDF pages have no text layer, and Tesseract's data is "
                        "not installed (apt-get install tesseract-ocr-nld tesseract-ocr-eng)\n",
                report->empty_pages);
    else if (report->empty_pages > 0 || extract->ocr == VIND_OCR_FORCE)
        fprintf(stderr, "ocr 0 pages\n");
}

/* --compact: the index compacted beside and swapped in (vind_index_compact),
 * with its size before and after. */
static vind_status_t compact(vind_index_t *index, const char *db, int quiet, char **errmsg)
{
    double started = now_seconds();
    uint64_t before = 0, after = 0;
    vind_status_t status = vind_index_compact(index, &before, &after, errmsg);
    if (status == VIND_OK && !quiet)
        fprintf(stderr, "compacted %s: %.1f MB -> %.1f MB in %.1f s\n", db, before / 1e6,
                after / 1e6, now_seconds() - started);
    return status;
}

/* --from-jsonl FILE|-: the feed opened here, indexed by the library. */
static vind_status_t index_feed(vind_index_t *index, const char *file,
                                const vind_index_options_t *opts, vind_index_report_t *report,
                                char **errmsg)
{
    int is_stdin = strcmp(file, "-") == 0;
    FILE *in = is_stdin ? stdin : fopen(file, "r");
    if (!in) {
        *errmsg = g_strdup_printf("%s: %s", file, g_strerror(errno));
        return VIND_IO;
    }
    vind_status_t status = vind_index_records(index, in, file, opts, report, errmsg);
    if (!is_stdin)
        fclose(in);
    return status;
}

int main(int argc, char **argv)
{
    char *db = NULL, *base_url = NULL, *config = NULL, *max_size = NULL, *ocr = NULL;
    char *from_jsonl = NULL;
    /* INT_MIN: not given (0 and -1 are refused, not taken as "default"). */
    int jobs = INT_MIN, full = 0, quiet = 0, verbose = 0, timeout = INT_MIN, version = 0;
    int shards = 0, compact_after = 0;
    char **paths = NULL;
    GOptionEntry entries[] = {
        {"db", 0, 0, G_OPTION_ARG_FILENAME, &db, "Index folder (default $VIND_DB, else ./vind.db)", "DIR"},
        {"base-url", 0, 0, G_OPTION_ARG_STRING, &base_url, "URL prefix of the site (default /)", "URL"},
        {"config", 0, 0, G_OPTION_ARG_FILENAME, &config, "Site config file (docs/indexing.md)", "FILE"},
        {"jobs", 'j', 0, G_OPTION_ARG_INT, &jobs, "Parallel extractions, 1 to 64 (default: cores, at most 64)", "N"},
        {"full", 0, 0, G_OPTION_ARG_NONE, &full, "Rebuild every document", NULL},
        {"shards", 0, 0, G_OPTION_ARG_INT, &shards, "Write a new index as N shards, 2 to 1024, written in parallel (docs/scaling.md)", "N"},
        {"max-size", 0, 0, G_OPTION_ARG_STRING, &max_size, "Skip files larger than SIZE (default 100M)", "SIZE"},
        {"timeout", 0, 0, G_OPTION_ARG_INT, &timeout, "Seconds per file before it is given up, 1 to 3600 (default 60)", "S"},
        {"ocr", 0, 0, G_OPTION_ARG_STRING, &ocr, "OCR of PDF pages: auto (pages without a text layer, when Tesseract's data is installed; default), off, force (every page)", "MODE"},
        {"from-jsonl", 0, 0, G_OPTION_ARG_FILENAME, &from_jsonl, "Index the extracted records of FILE (JSONL, - for stdin) instead of files; the one PATH, if given, is the index (see below)", "FILE"},
        {"compact", 0, 0, G_OPTION_ARG_NONE, &compact_after, "Then compact the index (alone: without PATH), writing it beside and swapping it in (docs/scaling.md, \"Index size\")", NULL},
        {"quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "No progress output", NULL},
        {"verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose, "List every skipped page with its reason", NULL},
        {"version", 0, 0, G_OPTION_ARG_NONE, &version, "Print the version", NULL},
        {G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &paths, NULL, "PATH..."},
        {NULL, 0, 0, 0, NULL, NULL, NULL},
    };
    GOptionContext *context = g_option_context_new("PATH... - index a site's HTML and PDF files");
    g_option_context_add_main_entries(context, entries, NULL);
    g_option_context_set_summary(context,
        "Walks the paths, indexes HTML articles and PDF reports, and maps each file to the URL the\n"
        "site serves it at (base URL + path under the root; x/index.html -> x/). Incremental: only\n"
        "changed files are parsed again; files gone from the paths are removed. Nothing outside\n"
        "the paths is indexed: a symbolic link is followed only to a regular file inside them.\n\n"
        "--from-jsonl FILE|- [DB]: indexes extracted records, one JSON object per line (the\n"
        "fields vind's extraction writes: url, type, title, date, author, description, lang,\n"
        "tags, themes, links, pages...; docs/indexing.md), with no files on disk: a CMS's feed.\n"
        "A record's identity is its \"url\" (required); the last record of a URL wins. A line\n"
        "identical to the one that made the document is skipped as unchanged. {\"url\": U,\n"
        "\"deleted\": true} deletes U's document; documents the feed does not mention stay. A\n"
        "bad line is reported as FILE:LINE: reason, and the other lines are indexed.\n\n"
        "--compact [--db DB]: compacts the index (after a bulk load: a quarter to a half smaller),\n"
        "writing the compacted copy beside it and swapping it in; readers keep serving the old\n"
        "one until then. With PATHs or --from-jsonl, after the run.\n\n"
        "Exit status: 0 all indexed, 1 some files failed (the rest was committed), 2 usage or fatal error.");
    GError *error = NULL;
    int parsed_ok = g_option_context_parse(context, &argc, &argv, &error);
    parsed_t parsed = {.context = context, .paths = paths, .db = db, .base_url = base_url,
                       .config = config, .max_size = max_size, .ocr = ocr,
                       .from_jsonl = from_jsonl};
    if (!parsed_ok) {
        fprintf(stderr, "vind-index: %s (try --help)\n", error->message);
        g_error_free(error);
        return parsed_free(&parsed, 2);
    }
    if (version) {
        printf("vind-index %s\n", VIND_VERSION_STRING);
        return parsed_free(&parsed, 0);
    }
    if (from_jsonl && paths && paths[0] && (db || paths[1])) {
        fprintf(stderr, "vind-index: --from-jsonl takes no PATH but the index (try --help)\n");
        return parsed_free(&parsed, 2);
    }
    if (from_jsonl && paths && paths[0])
        db = parsed.db = g_strdup(paths[0]);
    int compact_only = compact_after && !from_jsonl && (!paths || !paths[0]);
    if (!from_jsonl && !compact_only && (!paths || !paths[0])) {
        fprintf(stderr, "vind-index: no PATH given (try --help)\n");
        return parsed_free(&parsed, 2);
    }

    vind_index_options_t opts;
    vind_index_options_init(&opts);
    parsed.extract = &opts.extract;
    GKeyFile *keys = parsed.keys = g_key_file_new();
    int base_url_given = base_url != NULL; /* else the config's, if any */
    if (config && !load_config(keys, config, &opts, &base_url)) {
        parsed.base_url = base_url;
        return parsed_free(&parsed, 2);
    }
    parsed.base_url = base_url;
    if (!db)
        db = parsed.db = g_strdup(getenv("VIND_DB") && *getenv("VIND_DB") ? getenv("VIND_DB") : "vind.db");
    if (base_url && !valid_base_url(base_url_given ? NULL : config, base_url))
        return parsed_free(&parsed, 2);
    if (base_url)
        opts.base_url = base_url;
    if (jobs != INT_MIN && !valid_range(NULL, "--jobs", jobs, 1, VIND_MAX_INDEX_JOBS))
        return parsed_free(&parsed, 2);
    opts.jobs = jobs == INT_MIN ? 0 : (unsigned)jobs;
    if (shards && !valid_range(NULL, "--shards", shards, 2, 1024))
        return parsed_free(&parsed, 2);
    opts.full = full;
    if (timeout != INT_MIN && !valid_range(NULL, "--timeout", timeout, 1, VIND_MAX_EXTRACT_SECONDS))
        return parsed_free(&parsed, 2);
    if (timeout != INT_MIN)
        opts.extract.timeout_seconds = (unsigned)timeout;
    if (max_size && !(opts.extract.max_bytes = parse_size(max_size))) {
        fprintf(stderr, "vind-index: --max-size: '%s' is not a size of 1 byte to 1024G such as 50M\n",
                max_size);
        return parsed_free(&parsed, 2);
    }

    if (ocr && !parse_ocr(ocr, &opts.extract))
        return parsed_free(&parsed, 2);
    /* A test knob: a tiny per-page OCR limit (tests/e2e/test_ocr.py). */
    const char *page_ms = getenv("VIND_OCR_PAGE_MS");
    if (page_ms && *page_ms)
        opts.extract.ocr_page_ms = (unsigned)strtoul(page_ms, NULL, 10);
    /* One OCR cache for several indexes (VIND_OCR_CACHE=DIR): the test suite
     * indexes the corpus several times and would OCR its scan in each. */
    const char *ocr_cache = getenv("VIND_OCR_CACHE");
    if (ocr_cache && *ocr_cache)
        opts.extract.ocr_cache = ocr_cache;

    progress_t progress = {.tty = isatty(STDERR_FILENO), .quiet = quiet, .verbose = verbose,
                           .started = now_seconds(),
                           .skipped = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL),
                           .kinds = g_ptr_array_new()};
    opts.on_event = on_event;
    opts.rock = &progress;

    char *errmsg = NULL;
    vind_lexicon_t *lexicon = NULL;
    vind_status_t status = vind_lexicon_open(NULL, &lexicon, &errmsg);
    if (status == VIND_OK && compact_only && !g_file_test(db, G_FILE_TEST_IS_DIR)) {
        errmsg = g_strdup_printf("--compact: no index at %s", db);
        status = VIND_NOT_FOUND;
    }
    vind_index_t *index = NULL;
    if (status == VIND_OK)
        status = vind_index_open_shards(db, (unsigned)shards, lexicon, &index, &errmsg);
    vind_index_report_t report = {0};
    if (status == VIND_OK && from_jsonl)
        status = index_feed(index, from_jsonl, &opts, &report, &errmsg);
    else if (status == VIND_OK && !compact_only)
        status = vind_index_run(index, (const char *const *)paths, g_strv_length(paths), &opts,
                                &report, &errmsg);
    if (status == VIND_OK && compact_after)
        status = compact(index, db, quiet, &errmsg);
    vind_index_close(index);
    vind_lexicon_close(lexicon);
    /* A fatal error (a full disk: hardening, issue 8) frees what a good run
     * frees: under ASan, LeakSanitizer turned the exit 2 into an exit 1. */
    int exit_status = report.failed ? 1 : 0;
    if (status != VIND_OK) {
        fprintf(stderr, "vind-index: %s\n", errmsg ? errmsg : vind_status_to_string(status));
        free(errmsg);
        exit_status = 2;
    } else if (!compact_only) {
        print_skips(&progress, report.skipped);
        if (progress.without_text)
            fprintf(stderr,
                    "%zu page%s without text: indexed under their file names (listed above)\n",
                    progress.without_text, progress.without_text == 1 ? "" : "s");
        fprintf(stderr,
                "indexed %zu, updated %zu, unchanged %zu, removed %zu, failed %zu in %.1f s\n",
                report.indexed, report.updated, report.unchanged, report.removed, report.failed,
                report.seconds);
        print_ocr(&report, &opts.extract);
    }
    g_ptr_array_free(progress.kinds, TRUE); /* the kinds are the table's keys */
    g_hash_table_destroy(progress.skipped);
    return parsed_free(&parsed, exit_status);
}
