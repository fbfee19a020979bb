/*
 * english.c - the English lemma list (english.h): a sorted text file,
 * "word" or "word<TAB>lemma" a line, mapped and bisected by byte offsets,
 * so opening an analyzer reads nothing of it (as lib/synonyms.c does with
 * nl-en.txt).
 */
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include "english.h"
#include "error.h"

struct vind_english {
    GMappedFile *mapped;
    const char *text;
    size_t size;
};

vind_status_t vind_english_open(const char *datadir, vind_english_t **out, char **errmsg)
{
    if (out == NULL)
        return vind_error(errmsg, VIND_INVALID_ARGUMENT,
                          "cannot open the English lemmas: no output");
    *out = NULL;
    char *path = g_build_filename(datadir ? datadir : ".", "en-lemmas.txt", NULL);
    GError *error = NULL;
    GMappedFile *mapped = g_mapped_file_new(path, FALSE, &error);
    if (mapped == NULL) {
        int absent = g_error_matches(error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
        vind_status_t status =
            absent ? VIND_OK
                   : vind_error(errmsg, VIND_IO, "cannot read %s: %s", path, error->message);
        g_error_free(error);
        g_free(path);
        return status;
    }
    g_free(path);
    vind_english_t *english = calloc(1, sizeof *english);
    if (english == NULL) {
        g_mapped_file_unref(mapped);
        return vind_error(errmsg, VIND_NOMEM, "cannot open the English lemmas: out of memory");
    }
    english->mapped = mapped;
    english->text = g_mapped_file_get_contents(mapped);
    english->size = g_mapped_file_get_length(mapped);
    *out = english;
    return VIND_OK;
}

void vind_english_free(vind_english_t *english)
{
    if (english == NULL)
        return;
    if (english->mapped)
        g_mapped_file_unref(english->mapped);
    free(english);
}

/* The start of the line that holds byte at. */
static size_t line_start(const vind_english_t *english, size_t at)
{
    while (at > 0 && english->text[at - 1] != '\n')
        at--;
    return at;
}

/* Compares word (len bytes) with the first field of the line at start. */
static int compare_line(const vind_english_t *english, size_t start, const char *word, size_t len,
                        size_t *field_end)
{
    size_t end = start;
    while (end < english->size && english->text[end] != '\t' && english->text[end] != '\n')
        end++;
    *field_end = end;
    size_t field_length = end - start;
    int c = memcmp(word, english->text + start, len < field_length ? len : field_length);
    if (c != 0)
        return c;
    return len < field_length ? -1 : len > field_length ? 1 : 0;
}

int vind_english_lemma(const vind_english_t *english, const char *word, size_t len,
                       const char **lemma, size_t *lemma_length)
{
    if (english == NULL || len == 0)
        return 0;
    size_t low = 0, high = english->size; /* the line sought starts in [low, high) */
    while (low < high) {
        size_t start = line_start(english, low + (high - low) / 2);
        size_t field_end = 0;
        int c = compare_line(english, start, word, len, &field_end);
        const char *next = memchr(english->text + field_end, '\n', english->size - field_end);
        size_t line_end = next ? (size_t)(next - english->text) + 1 : english->size;
        if (c == 0) {
            int has_lemma = field_end < english->size && english->text[field_end] == '\t';
            size_t lemma_from = has_lemma ? field_end + 1 : start;
            size_t lemma_to = has_lemma ? line_end - (next != NULL) : field_end;
            *lemma = english->text + lemma_from;
            *lemma_length = lemma_to - lemma_from;
            return 1;
        }
        if (c < 0)
            high = start;
        else
            low = line_end;
    }
    return 0;
}
