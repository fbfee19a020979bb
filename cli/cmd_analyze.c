/*
 * cmd_analyze.c - `vind analyze`: shows what the analyzer makes of a text,
 * token by token (position, surface, form, lemma, stem, extra terms, flags),
 * as readable text or JSON. It calls vind_analyze(), the very code path of
 * indexing and querying, so what it prints is what the index holds.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <jansson.h>
#include <vind/analyze.h>
#include <vind/limits.h>
#include <vind/vind.h>
#include "commands.h"

typedef enum { FORMAT_TEXT, FORMAT_JSON } output_format_t;

typedef struct {
    vind_lang_t lang;
    output_format_t format;
    const char *datadir;
    GString *text;
    int read_stdin;
} options_t;

static void usage(FILE *out)
{
    fprintf(out,
            "usage: vind analyze [--lang nl|en] [--format text|json] [--datadir DIR] [TEXT...]\n"
            "\n"
            "Shows the tokens of TEXT and the index terms vind makes of them: position,\n"
            "surface, normalised form, lemma, stem, extra terms (compound parts, joined\n"
            "hyphenated words, elliptic completions) and flags. The words of TEXT are\n"
            "joined with spaces; without TEXT, or when TEXT is '-', the text is read\n"
            "from standard input.\n"
            "\n"
            "  --lang nl|en          language of the text (default nl)\n"
            "  --format text|json    output format (default text)\n"
            "  --datadir DIR         lexicon and stop words (default: $VIND_DATADIR,\n"
            "                        else beside the program, else the installed data)\n"
            "  --help                this text\n");
}

/* The value of "--name VALUE" or "--name=VALUE" at argv[*i], advancing *i;
 * NULL when argv[*i] is not that option or the value is missing. */
static const char *option_value(int argc, char **argv, int *i, const char *name, int *missing)
{
    size_t n = strlen(name);
    const char *arg = argv[*i];
    if (strncmp(arg, name, n) != 0)
        return NULL;
    if (arg[n] == '=')
        return arg + n + 1;
    if (arg[n] != '\0')
        return NULL;
    if (*i + 1 >= argc) {
        *missing = 1;
        return NULL;
    }
    return argv[++*i];
}

/* Which of two words value is: 0 the first, 1 the second; -1 when neither,
 * said on stderr with the usage (what: "language", "format"). */
static int one_of_two(const char *value, const char *first, const char *second, const char *what)
{
    if (strcmp(value, first) == 0)
        return 0;
    if (strcmp(value, second) == 0)
        return 1;
    fprintf(stderr, "vind analyze: unknown %s '%s' (%s or %s)\n", what, value, first, second);
    usage(stderr);
    return -1;
}

/* Parses argv; returns -1 to go on, else the exit status (0 for --help, 2). */
static int parse_options(int argc, char **argv, options_t *options)
{
    int only_text = 0;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        int missing = 0;
        const char *value;
        if (!only_text && strcmp(arg, "--") == 0) {
            only_text = 1;
        } else if (!only_text && (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0)) {
            usage(stdout);
            return 0;
        } else if (!only_text && (value = option_value(argc, argv, &i, "--lang", &missing))) {
            int which = one_of_two(value, "nl", "en", "language");
            if (which < 0)
                return 2;
            options->lang = which == 0 ? VIND_LANG_NL : VIND_LANG_EN;
        } else if (!only_text && (value = option_value(argc, argv, &i, "--format", &missing))) {
            int which = one_of_two(value, "text", "json", "format");
            if (which < 0)
                return 2;
            options->format = which == 0 ? FORMAT_TEXT : FORMAT_JSON;
        } else if (!only_text && (value = option_value(argc, argv, &i, "--datadir", &missing))) {
            options->datadir = value;
        } else if (missing) {
            fprintf(stderr, "vind analyze: option %s needs a value\n", arg);
            usage(stderr);
            return 2;
        } else if (!only_text && arg[0] == '-' && arg[1] != '\0') {
            fprintf(stderr, "vind analyze: unknown option '%s'\n", arg);
            usage(stderr);
            return 2;
        } else if (strcmp(arg, "-") == 0) {
            options->read_stdin = 1;
        } else {
            if (options->text->len > 0)
                g_string_append_c(options->text, ' ');
            g_string_append(options->text, arg);
        }
    }
    if (options->text->len == 0)
        options->read_stdin = 1;
    return -1;
}

/* Appends standard input to text; 0 when it is beyond the analyzer's limit. */
static int read_stdin(GString *text)
{
    char buffer[65536];
    size_t n;
    if (text->len > 0)
        g_string_append_c(text, ' ');
    while ((n = fread(buffer, 1, sizeof buffer, stdin)) > 0) {
        g_string_append_len(text, buffer, (gssize)n);
        if (text->len > VIND_MAX_ANALYZE_BYTES)
            return 0;
    }
    return 1;
}

static const char *const flag_names[] = {"stop", "number", "url", "email", "abbrev"};

static void print_text(const vind_tokens_t *tokens)
{
    for (size_t k = 0; k < vind_tokens_count(tokens); k++) {
        const vind_token_t *t = vind_tokens_get(tokens, k);
        /* Pad by characters, not bytes, so "Cliënten" lines up with "bewoners". */
        long width = g_utf8_strlen(t->surface, -1);
        printf("%4u  %s%*s  form %s  lemma %s  stem %s", t->position, t->surface,
               width < 20 ? (int)(20 - width) : 0, "", t->form, t->lemma, t->stem);
        if (t->extra[0]) {
            printf("  extra");
            for (const char *const *e = t->extra; *e; e++)
                printf(" %s", *e);
        }
        if (t->flags) {
            printf("  flags");
            for (unsigned f = 0; f < sizeof flag_names / sizeof flag_names[0]; f++)
                if (t->flags & (1u << f))
                    printf(" %s", flag_names[f]);
        }
        printf("  [%zu,%zu)\n", t->start, t->end);
    }
}

static int print_json(const vind_tokens_t *tokens, vind_lang_t lang)
{
    json_t *list = json_array();
    for (size_t k = 0; k < vind_tokens_count(tokens); k++) {
        const vind_token_t *t = vind_tokens_get(tokens, k);
        json_t *extra = json_array();
        for (const char *const *e = t->extra; *e; e++)
            json_array_append_new(extra, json_string(*e));
        json_t *flags = json_array();
        for (unsigned f = 0; f < sizeof flag_names / sizeof flag_names[0]; f++)
            if (t->flags & (1u << f))
                json_array_append_new(flags, json_string(flag_names[f]));
        json_array_append_new(
            list, json_pack("{s:I, s:I, s:I, s:s, s:s, s:s, s:s, s:o, s:o}", "position",
                            (json_int_t)t->position, "start", (json_int_t)t->start, "end",
                            (json_int_t)t->end, "surface", t->surface, "form", t->form, "lemma",
                            t->lemma, "stem", t->stem, "extra", extra, "flags", flags));
    }
    json_t *root =
        json_pack("{s:s, s:o}", "lang", lang == VIND_LANG_NL ? "nl" : "en", "tokens", list);
    if (root == NULL)
        return 0;
    int ok = json_dumpf(root, stdout, JSON_INDENT(2)) == 0;
    printf("\n");
    json_decref(root);
    return ok;
}

static int run(const options_t *options)
{
    char *errmsg = NULL;
    vind_lexicon_t *lexicon = NULL;
    vind_analyzer_t *analyzer = NULL;
    vind_tokens_t *tokens = NULL;
    int status = 2;
    if (vind_lexicon_open(options->datadir, &lexicon, &errmsg) != VIND_OK ||
        vind_analyzer_new(lexicon, &analyzer, &errmsg) != VIND_OK ||
        vind_analyze(analyzer, options->text->str, options->text->len, options->lang, &tokens,
                     &errmsg) != VIND_OK) {
        fprintf(stderr, "vind analyze: %s\n", errmsg ? errmsg : "out of memory");
        free(errmsg);
    } else if (options->format == FORMAT_JSON ? print_json(tokens, options->lang)
                                              : (print_text(tokens), 1)) {
        status = fflush(stdout) == 0 ? 0 : 2;
    }
    vind_tokens_free(tokens);
    vind_analyzer_free(analyzer);
    vind_lexicon_close(lexicon);
    return status;
}

int cmd_analyze(int argc, char **argv)
{
    options_t options = {.lang = VIND_LANG_NL, .format = FORMAT_TEXT, .text = g_string_new("")};
    int status = parse_options(argc, argv, &options);
    if (status < 0 && options.read_stdin && !read_stdin(options.text)) {
        fprintf(stderr, "vind analyze: standard input is larger than %u bytes\n",
                VIND_MAX_ANALYZE_BYTES);
        status = 2;
    }
    if (status < 0)
        status = run(&options);
    g_string_free(options.text, TRUE);
    return status;
}
