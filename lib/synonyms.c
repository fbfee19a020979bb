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
    GHashTable *translations; /* Dutch term -> GPtrArray of English stems (nl-en.txt) */
    GHashTable *english;      /* set: every English stem of translations */
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
    synonyms->translations =
        g_hash_table_new_full(g_str_hash, g_str_equal, g_free, ptr_array_free);
    synonyms->english = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
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

/* "term = stem | stem": index terms on both sides, already analysed by
 * synonyms/mktranslations.py, so they are taken as they are. */
static void add_translation_line(vind_synonyms_t *synonyms, const char *line)
{
    const char *equals = strchr(line, '=');
    if (!equals)
        return;
    char *term = g_strstrip(g_strndup(line, (size_t)(equals - line)));
    char **stems = g_strsplit(equals + 1, "|", -1);
    for (char **stem = stems; *term && *stem; stem++)
        if (*g_strstrip(*stem)) {
            map_add(synonyms->translations, term, *stem);
            g_hash_table_add(synonyms->english, g_strdup(*stem));
        }
    g_strfreev(stems);
    g_free(term);
}

/* Reads the list at path line by line into synonyms (comments dropped). A
 * missing file adds nothing; *found says whether there was one. */
static vind_status_t read_lines(const char *path, vind_synonyms_t *synonyms,
                                void (*add)(vind_synonyms_t *, const char *), int *found,
                                char **errmsg)
{
    char *contents = NULL;
    gsize length = 0;
    GError *error = NULL;
    *found = 0;
    if (!g_file_get_contents(path, &contents, &length, &error)) {
        int missing = g_error_matches(error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
        vind_status_t status = VIND_OK;
        if (!missing)
            status = vind_error(errmsg, VIND_IO, "cannot read the synonym list %s: %s", path,
                                error->message);
        g_error_free(error);
        return status;
    }
    *found = 1;
    if (length > VIND_MAX_SYNONYM_FILE_BYTES) {
        g_free(contents);
        return vind_error(errmsg, VIND_TOO_LARGE,
                          "the synonym list %s is too large: %zu bytes (at most %u)", path,
                          (size_t)length, VIND_MAX_SYNONYM_FILE_BYTES);
    }
    char **lines = g_strsplit(contents, "\n", -1);
    for (char **line = lines; *line; line++) {
        char *hash = strchr(*line, '#');
        if (hash)
            *hash = '\0';
        add(synonyms, *line);
    }
    g_strfreev(lines);
    g_free(contents);
    return VIND_OK;
}

vind_status_t vind_synonyms_load(const char *path, vind_synonyms_t **out, char **errmsg)
{
    *out = NULL;
    vind_synonyms_t *synonyms = vind_synonyms_new_empty();
    int found = 0;
    vind_status_t status = read_lines(path, synonyms, add_line, &found, errmsg);
    if (status == VIND_OK) {
        /* The translations live beside the list (docs/synonyms.md). */
        char *dir = g_path_get_dirname(path);
        char *translations = g_build_filename(dir, VIND_TRANSLATIONS_FILE, NULL);
        status = read_lines(translations, synonyms, add_translation_line, &found, errmsg);
        g_free(translations);
        g_free(dir);
    }
    if (status != VIND_OK) {
        vind_synonyms_free(synonyms);
        return status;
    }
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

const char *const *vind_synonyms_translations(const vind_synonyms_t *synonyms, const char *term)
{
    return synonyms ? lookup(synonyms->translations, term) : NULL;
}

int vind_synonyms_is_english(const vind_synonyms_t *synonyms, const char *stem)
{
    return synonyms && stem && g_hash_table_contains(synonyms->english, stem);
}
