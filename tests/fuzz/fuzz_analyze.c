/*
 * fuzz_analyze.c - libFuzzer target for the Dutch analyzer: normalise,
 * tokenise, stop words, lemma, stem and compound split (vind_analyze), plus
 * the single-word and normalise-only entry points built on the same steps.
 *
 * Input: byte 0 picks the language (bit 0: English), the rest is the text,
 * any bytes (the analyzer promises to repair invalid UTF-8 and treat NUL as
 * a separator). Properties checked beyond "no crash, no leak, no UB": token
 * offsets lie inside the text and grow, strings are valid UTF-8, `extra` is
 * never NULL, the normalised text is valid UTF-8 and normalising it again
 * changes nothing.
 */
#include <glib.h>
#include <stdlib.h>
#include <string.h>

#include <vind/analyze.h>
#include "common.h"
#include "lexicon.h"

/* Compound parts asked for per token: the analyzer's own bound is lower. */
#define FUZZ_MAX_PARTS 16

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    fuzz_analyzer();
    return 0;
}

static void check_string(const char *text, const char *what)
{
    fuzz_require(text != NULL, what);
    fuzz_require(g_utf8_validate(text, -1, NULL), what);
}

static void check_compound(const char *form)
{
    char *parts[FUZZ_MAX_PARTS];
    size_t n = vind_compound_split(fuzz_lexicon(), form, parts, FUZZ_MAX_PARTS);
    fuzz_require(n <= FUZZ_MAX_PARTS, "compound split returned more parts than asked");
    for (size_t i = 0; i < n; i++) {
        check_string(parts[i], "compound part is not UTF-8");
        fuzz_require(parts[i][0] != '\0', "empty compound part");
        free(parts[i]);
    }
}

static void check_tokens(const vind_tokens_t *tokens, size_t len)
{
    size_t count = vind_tokens_count(tokens);
    unsigned last_position = 0;
    for (size_t i = 0; i < count; i++) {
        const vind_token_t *token = vind_tokens_get(tokens, i);
        fuzz_require(token != NULL, "token is NULL");
        fuzz_require(token->start <= token->end && token->end <= len, "token outside the text");
        fuzz_require(i == 0 || token->position >= last_position, "token positions go back");
        last_position = token->position;
        check_string(token->surface, "surface");
        check_string(token->form, "form");
        check_string(token->lemma, "lemma");
        check_string(token->stem, "stem");
        fuzz_require(token->extra != NULL, "extra is NULL");
        for (size_t e = 0; token->extra[e] != NULL; e++)
            check_string(token->extra[e], "extra term");
        check_compound(token->form);
    }
}

static void check_normalize(const char *text, size_t len)
{
    char *once = vind_normalize(text, len);
    fuzz_require(once != NULL, "vind_normalize returned NULL");
    check_string(once, "normalised text is not UTF-8");
    char *twice = vind_normalize(once, strlen(once));
    fuzz_require(twice != NULL, "vind_normalize returned NULL");
    fuzz_require(strcmp(once, twice) == 0, "normalising twice changes the text");
    free(twice);
    free(once);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    vind_lang_t lang = (data[0] & 1) ? VIND_LANG_EN : VIND_LANG_NL;
    const char *text = (const char *)data + 1;
    size_t len = size - 1;

    vind_tokens_t *tokens = NULL;
    char *errmsg = NULL;
    vind_status_t status = vind_analyze(fuzz_analyzer(), text, len, lang, &tokens, &errmsg);
    if (status == VIND_OK) {
        check_tokens(tokens, len);
        vind_tokens_free(tokens);
    } else {
        fuzz_require(tokens == NULL, "tokens set on failure");
        fuzz_require(status == VIND_TOO_LARGE, "vind_analyze failed on an input it should take");
        free(errmsg);
    }

    check_normalize(text, len);

    /* The one-word entry point takes a C string: the text up to its first NUL. */
    char *word = g_strndup(text, len);
    char *stem = vind_analyze_word(fuzz_analyzer(), word, lang);
    if (stem != NULL)
        check_string(stem, "vind_analyze_word result is not UTF-8");
    free(stem);
    char *form = vind_normalize(word, strlen(word));
    if (form != NULL) {
        (void)vind_is_stopword(fuzz_lexicon(), form, lang);
        (void)vind_lexicon_lemma(fuzz_lexicon(), form);
        check_compound(form);
    }
    free(form);
    g_free(word);
    return 0;
}
