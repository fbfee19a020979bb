/*
 * synonyms.c - loads the synonym and acronym list (docs/synonyms.md) into
 * two read-only maps: key -> expansions and expansion -> keys. Both sides
 * are normalised as the analyzer does (vind_normalize), so "VWS", "vws" and
 * "Vws" are one key, and "Wet zorg en dwang" matches "wet zorg en dwang".
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include <vind/analyze.h>
#include <vind/limits.h>
#include "error.h"
#include "normalize.h"
#include "synonyms.h"

struct vind_synonyms {
    GHashTable *expansions; /* normalised key -> GPtrArray of char* (NULL-terminated) */
    GHashTable *keys;       /* normalised expansion -> GPtrArray of char* */
    /* nl-en.txt, parsed in place: a per-entry allocation made the ~18,000
     * lines cost ~50 ms at every searcher open (one `vind search`). */
    GHashTable *translations; /* Dutch term -> stems "clef\0key\0wrench\0\0" (in lists) */
    GHashTable *english;      /* set: every English stem of the lists */
    char *translation_text;   /* the file, terms NUL-terminated in place */
    char *translation_lists;  /* the stem lists, one after the other */
    size_t count;
};

static void ptr_array_free(gpointer array)
{
    g_ptr_array_free(array, TRUE);
}

vind_synonyms_t *vind_synonyms_new_empty(void)
{
    vind_synonyms_t *synonyms = g_new0(vind_synonyms_t, 1);
    synonyms->expansions = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, ptr_array_free);
    synonyms->keys = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, ptr_array_free);
    synonyms->translations = g_hash_table_new(g_str_hash, g_str_equal);
    synonyms->english = g_hash_table_new(g_str_hash, g_str_equal);
    return synonyms;
}

void vind_synonyms_free(vind_synonyms_t *synonyms)
{
    if (!synonyms)
        return;
    g_hash_table_destroy(synonyms->expansions);
    g_hash_table_destroy(synonyms->keys);
    g_hash_table_destroy(synonyms->translations);
    g_hash_table_destroy(synonyms->english);
    g_free(synonyms->translation_text);
    g_free(synonyms->translation_lists);
    g_free(synonyms);
}

size_t vind_synonyms_count(const vind_synonyms_t *synonyms)
{
    return synonyms ? synonyms->count : 0;
}

/* Normalised, with runs of spaces collapsed and ends trimmed; NULL when empty. */
static char *normalise_side(const char *text, size_t len)
{
    char *side = vind_normalize_collapsed(text, len);
    if (*side == '\0') {
        g_free(side);
        return NULL;
    }
    return side;
}

/* Appends value to the NULL-terminated array under key (once). */
static void map_add(GHashTable *map, const char *key, const char *value)
{
    GPtrArray *values = g_hash_table_lookup(map, key);
    if (!values) {
        values = g_ptr_array_new_with_free_func(g_free);
        g_ptr_array_add(values, NULL);
        g_hash_table_insert(map, g_strdup(key), values);
    }
    for (guint i = 0; i + 1 < values->len; i++)
        if (strcmp(g_ptr_array_index(values, i), value) == 0)
            return;
    values->pdata[values->len - 1] = g_strdup(value);
    g_ptr_array_add(values, NULL);
}

/* "key = expansion | expansion" (a '|' separates expansions, because
 * "ministerie van Volksgezondheid, Welzijn en Sport" holds a comma). */
static void add_line(vind_synonyms_t *synonyms, const char *line)
{
    const char *equals = strchr(line, '=');
    if (!equals)
        return;
    char *key = normalise_side(line, (size_t)(equals - line));
    if (!key)
        return;
    char **expansions = g_strsplit(equals + 1, "|", -1);
    for (char **e = expansions; *e; e++) {
        char *expansion = normalise_side(*e, strlen(*e));
        if (!expansion || strcmp(expansion, key) == 0) {
            g_free(expansion);
            continue;
        }
        map_add(synonyms->expansions, key, expansion);
        map_add(synonyms->keys, expansion, key);
        synonyms->count++;
        g_free(expansion);
    }
    g_strfreev(expansions);
    g_free(key);
}

/* Reads the file at path into *contents (NUL-terminated). A missing file
 * gives *contents NULL and VIND_OK. */
static vind_status_t read_file(const char *path, char **contents, gsize *length, char **errmsg)
{
    GError *error = NULL;
    *contents = NULL;
    if (!g_file_get_contents(path, contents, length, &error)) {
        int missing = g_error_matches(error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
        vind_status_t status = VIND_OK;
        if (!missing)
            status = vind_error(errmsg, VIND_IO, "cannot read the synonym list %s: %s", path,
                                error->message);
        g_error_free(error);
        *contents = NULL;
        return status;
    }
    if (*length > VIND_MAX_SYNONYM_FILE_BYTES) {
        g_free(*contents);
        *contents = NULL;
        return vind_error(errmsg, VIND_TOO_LARGE,
                          "the synonym list %s is too large: %zu bytes (at most %u)", path,
                          (size_t)*length, VIND_MAX_SYNONYM_FILE_BYTES);
    }
    return VIND_OK;
}

/* "term = stem | stem" (line NUL-terminated, a writable part of the
 * file): index terms on both sides, already analysed by
 * synonyms/mktranslations.py, so they are taken as they are. The term is
 * cut in place; its stems are copied to *out, each NUL-terminated, the
 * list ended by an empty string. One line per term. */
static void add_translation_line(vind_synonyms_t *synonyms, char *line, char **out)
{
    char *hash = strchr(line, '#');
    if (hash)
        *hash = '\0';
    char *equals = strchr(line, '=');
    if (!equals)
        return;
    *equals = '\0';
    char *term = g_strstrip(line);
    char *list = *out;
    for (char *piece = equals + 1; *term && piece;) {
        char *bar = strchr(piece, '|');
        if (bar)
            *bar++ = '\0';
        char *stem = g_strstrip(piece);
        size_t n = strlen(stem);
        if (n) {
            memcpy(*out, stem, n + 1);
            g_hash_table_add(synonyms->english, *out);
            *out += n + 1;
        }
        piece = bar;
    }
    if (*out > list) {
        *(*out)++ = '\0';
        g_hash_table_insert(synonyms->translations, term, list);
    }
}

/* The lists never need more than the file and a byte per line: a line
 * gives at most its stems, a NUL each and one more. */
static void add_translations(vind_synonyms_t *synonyms, char *text, size_t length)
{
    synonyms->translation_text = text;
    char *out = synonyms->translation_lists = g_malloc(2 * length + 2);
    for (char *line = text; line;) {
        char *next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        add_translation_line(synonyms, line, &out);
        line = next;
    }
}

vind_status_t vind_synonyms_load(const char *path, vind_synonyms_t **out, char **errmsg)
{
    *out = NULL;
    char *contents = NULL;
    gsize length = 0;
    vind_status_t status = read_file(path, &contents, &length, errmsg);
    if (status != VIND_OK)
        return status;
    vind_synonyms_t *synonyms = vind_synonyms_new_empty();
    if (contents) {
        char **lines = g_strsplit(contents, "\n", -1);
        for (char **line = lines; *line; line++) {
            char *hash = strchr(*line, '#');
            if (hash)
                *hash = '\0';
            add_line(synonyms, *line);
        }
        g_strfreev(lines);
        g_free(contents);
    }
    /* The translations live beside the list (docs/synonyms.md). */
    char *dir = g_path_get_dirname(path);
    char *translations = g_build_filename(dir, VIND_TRANSLATIONS_FILE, NULL);
    status = read_file(translations, &contents, &length, errmsg);
    g_free(translations);
    g_free(dir);
    if (status != VIND_OK) {
        vind_synonyms_free(synonyms);
        return status;
    }
    if (contents)
        add_translations(synonyms, contents, length);
    *out = synonyms;
    return VIND_OK;
}

static const char *const *lookup(GHashTable *map, const char *key)
{
    if (!key)
        return NULL;
    GPtrArray *values = g_hash_table_lookup(map, key);
    return values ? (const char *const *)values->pdata : NULL;
}

const char *const *vind_synonyms_expansions(const vind_synonyms_t *synonyms,
                                            const char *normalised_word)
{
    return synonyms ? lookup(synonyms->expansions, normalised_word) : NULL;
}

const char *const *vind_synonyms_keys_for(const vind_synonyms_t *synonyms,
                                          const char *normalised_phrase)
{
    return synonyms ? lookup(synonyms->keys, normalised_phrase) : NULL;
}

const char *vind_synonyms_translations(const vind_synonyms_t *synonyms, const char *term)
{
    return synonyms && term ? g_hash_table_lookup(synonyms->translations, term) : NULL;
}

int vind_synonyms_is_english(const vind_synonyms_t *synonyms, const char *stem)
{
    return synonyms && stem && g_hash_table_contains(synonyms->english, stem);
}
