/*
 * synonyms.c - loads the synonym and acronym list (docs/synonyms.md) into
 * two read-only maps: key -> expansions and expansion -> keys. Both sides
 * are normalised as the analyzer does (vind_normalize), so "VWS", "vws" and
 * "Vws" are one key, and "Wet zorg en dwang" matches "wet zorg en dwang".
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include <vind/analyze.h>
#include <vind/limits.h>
#include "error.h"
#include "normalize.h"
#include "synonyms.h"

/* Lines of the translation file by their start, and whether their first
 * fields are sorted (then bisected; a hand-written file is scanned). */
typedef struct {
    guint32 *starts;
    size_t n, capacity;
    int sorted;
    const char *last; /* the last line's first field, for the order check */
    size_t last_length;
} line_list_t;

struct vind_synonyms {
    GHashTable *expansions; /* normalised key -> GPtrArray of char* (NULL-terminated) */
    GHashTable *keys;       /* normalised expansion -> GPtrArray of char* */
    /* nl-en.txt as read, looked up by bisection over its lines: nothing is
     * parsed when a searcher opens (every `vind search` opens one; hash
     * tables of its ~18,000 terms and ~50,000 stems cost ~26 ms there, a
     * parse into sorted arrays 12 M instructions; finding the line starts
     * costs ~0.3 M). */
    /* A generated file is mapped and bisected by byte offsets: opening a
     * searcher (every `vind` command) reads nothing of it, a look-up ~15
     * lines (~15 page faults at most). */
    GMappedFile *mapped;
    size_t terms_from, terms_to, stems_from, stems_to; /* its lists, in bytes */
    /* Any other file (a hand-written one, the tests'): read, its line starts found. */
    char *translation_text;    /* the file, NUL-terminated */
    line_list_t translations; /* each "term = stem | stem" line */
    line_list_t english;      /* each line of the English stem list */
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
    synonyms->translations.sorted = synonyms->english.sorted = 1;
    return synonyms;
}

void vind_synonyms_free(vind_synonyms_t *synonyms)
{
    if (!synonyms)
        return;
    g_hash_table_destroy(synonyms->expansions);
    g_hash_table_destroy(synonyms->keys);
    g_free(synonyms->translations.starts);
    g_free(synonyms->english.starts);
    g_free(synonyms->translation_text);
    if (synonyms->mapped)
        g_mapped_file_unref(synonyms->mapped);
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

/* The file's lines: "term = stem | stem" (index terms on both sides,
 * already analysed by synonyms/mktranslations.py), comments after '#', and
 * in a generated file the sorted list of every English stem, one a line
 * (a line without '='). */

static int is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

/* The line's first field: the term up to '=' (or the whole stem line),
 * without the spaces around it; *length its bytes. */
static const char *first_field(const char *line, size_t *length)
{
    while (is_blank(*line))
        line++;
    const char *end = line;
    while (*end && *end != '\n' && *end != '=' && *end != '#')
        end++;
    while (end > line && is_blank(end[-1]))
        end--;
    *length = (size_t)(end - line);
    return line;
}

/* strcmp's order of two byte strings of the given lengths. */
static int compare_bytes(const char *a, size_t a_length, const char *b, size_t b_length)
{
    int order = memcmp(a, b, a_length < b_length ? a_length : b_length);
    if (order)
        return order;
    return a_length < b_length ? -1 : a_length > b_length;
}

/* Compares key with the line's first field, as strcmp. */
static int compare_field(const char *key, const char *line)
{
    size_t length = 0;
    const char *field = first_field(line, &length);
    return compare_bytes(key, strlen(key), field, length);
}

/* Adds the line at start (first field field, length bytes) to list,
 * noting whether the order still holds. */
static void add_line_start(line_list_t *list, guint32 start, const char *field, size_t length)
{
    if (list->n == list->capacity) {
        list->capacity = list->capacity ? 2 * list->capacity : 1024;
        list->starts = g_renew(guint32, list->starts, list->capacity);
    }
    list->starts[list->n++] = start;
    if (list->last && compare_bytes(list->last, list->last_length, field, length) > 0)
        list->sorted = 0;
    list->last = field;
    list->last_length = length;
}

/* Finds the start of every translation line and of every stem line in one
 * pass, checking their order: no copy, no table (~0.3 M instructions for
 * the generated file). */
static void add_translations(vind_synonyms_t *synonyms, char *text, size_t length)
{
    synonyms->translation_text = text;
    for (const char *line = text, *stop = text + length; line < stop;) {
        const char *end = memchr(line, '\n', (size_t)(stop - line));
        end = end ? end : stop;
        size_t n = 0;
        const char *field = first_field(line, &n);
        const char *after = field + n;
        while (after < end && is_blank(*after))
            after++;
        if (n && *field != '#')
            add_line_start(*after == '=' ? &synonyms->translations : &synonyms->english,
                           (guint32)(line - text), field, n);
        line = end + 1;
    }
}

/* The first line of a generated file (synonyms/mktranslations.py): where
 * its two sorted lists lie, in bytes. */
#define INDEX_LINE "#vind-translations terms %10zu %10zu stems %10zu %10zu"

/* Whether the offsets name whole lines inside the file. */
static int lines_within(const char *text, size_t length, size_t from, size_t to)
{
    return from <= to && to <= length && from > 0 && text[from - 1] == '\n' &&
           (to == from || text[to - 1] == '\n');
}

/* Maps a generated translation file (one that starts with INDEX_LINE
 * naming whole lines): 1 when done. Any other file is left to the reader. */
static int map_generated(vind_synonyms_t *synonyms, const char *path)
{
    GMappedFile *mapped = g_mapped_file_new(path, FALSE, NULL);
    if (!mapped)
        return 0;
    const char *text = g_mapped_file_get_contents(mapped);
    size_t length = g_mapped_file_get_length(mapped);
    char first[128] = "";
    const char *newline = text ? memchr(text, '\n', length < 127 ? length : 127) : NULL;
    if (newline)
        memcpy(first, text, (size_t)(newline - text));
    size_t a = 0, b = 0, c = 0, d = 0;
    if (length <= VIND_MAX_SYNONYM_FILE_BYTES && sscanf(first, INDEX_LINE, &a, &b, &c, &d) == 4 &&
        lines_within(text, length, a, b) && lines_within(text, length, c, d)) {
        synonyms->mapped = mapped;
        synonyms->terms_from = a, synonyms->terms_to = b;
        synonyms->stems_from = c, synonyms->stems_to = d;
        return 1;
    }
    g_mapped_file_unref(mapped);
    return 0;
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
    contents = NULL; /* the list's text was freed above */
    length = 0;
    if (!map_generated(synonyms, translations))
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

/* The line of lines whose first field is key, or NULL: bisected when the
 * lines are sorted (~15 compares for the generated file), else scanned. */
static const char *find_line(const char *text, const line_list_t *lines, const char *key)
{
    if (!text || !key)
        return NULL;
    size_t low = 0, high = lines->n;
    if (!lines->sorted) {
        for (size_t i = 0; i < lines->n; i++)
            if (compare_field(key, text + lines->starts[i]) == 0)
                return text + lines->starts[i];
        return NULL;
    }
    while (low < high) {
        size_t middle = low + (high - low) / 2;
        const char *line = text + lines->starts[middle];
        int order = compare_field(key, line);
        if (order == 0)
            return line;
        if (order < 0)
            high = middle;
        else
            low = middle + 1;
    }
    return NULL;
}

/* The stems of a translation line into stems (see vind_synonyms_translations). */
static size_t line_stems(const char *line, char *stems, size_t size)
{
    size_t used = 0, count = 0;
    const char *piece = strchr(line, '=') + 1;
    while (*piece && *piece != '\n' && *piece != '#') {
        while (is_blank(*piece))
            piece++;
        const char *end = piece;
        while (*end && *end != '|' && *end != '\n' && *end != '#')
            end++;
        const char *stop = end;
        while (stop > piece && is_blank(stop[-1]))
            stop--;
        size_t n = (size_t)(stop - piece);
        if (n && used + n + 2 <= size) { /* room for it, its NUL and the list's end */
            memcpy(stems + used, piece, n);
            stems[used + n] = '\0';
            used += n + 1;
            count++;
        }
        piece = *end == '|' ? end + 1 : end;
    }
    stems[used] = '\0';
    return count;
}

/* The line between from and to (sorted whole lines of text) whose first
 * field is key, or NULL: a bisection over bytes, each step moved back to
 * the start of its line. */
static const char *bisect_lines(const char *text, size_t from, size_t to, const char *key)
{
    size_t low = from, high = to; /* line starts */
    while (low < high) {
        size_t start = low + (high - low) / 2;
        while (start > low && text[start - 1] != '\n')
            start--;
        int order = compare_field(key, text + start);
        if (order == 0)
            return text + start;
        if (order < 0) {
            high = start;
        } else {
            const char *end = memchr(text + start, '\n', to - start);
            low = end ? (size_t)(end - text) + 1 : to;
        }
    }
    return NULL;
}

size_t vind_synonyms_translations(const vind_synonyms_t *synonyms, const char *term,
                                  char *stems, size_t size)
{
    if (size < 2 || !synonyms || !term)
        return 0;
    const char *line =
        synonyms->mapped
            ? bisect_lines(g_mapped_file_get_contents(synonyms->mapped), synonyms->terms_from,
                           synonyms->terms_to, term)
            : find_line(synonyms->translation_text, &synonyms->translations, term);
    return line ? line_stems(line, stems, size) : 0;
}

/* Whether stem is on the English side: the generated file lists every
 * English stem (bisected); a hand-written one without that list is
 * searched line by line. */
int vind_synonyms_is_english(const vind_synonyms_t *synonyms, const char *stem)
{
    if (!synonyms || !stem || !*stem)
        return 0;
    if (synonyms->mapped)
        return bisect_lines(g_mapped_file_get_contents(synonyms->mapped), synonyms->stems_from,
                            synonyms->stems_to, stem) != NULL;
    if (!synonyms->translation_text)
        return 0;
    if (synonyms->english.n)
        return find_line(synonyms->translation_text, &synonyms->english, stem) != NULL;
    char list[VIND_TRANSLATION_BYTES];
    const line_list_t *lines = &synonyms->translations;
    for (size_t i = 0; i < lines->n; i++) {
        const char *line = synonyms->translation_text + lines->starts[i];
        for (const char *s = list; line_stems(line, list, sizeof list) && *s; s += strlen(s) + 1)
            if (strcmp(s, stem) == 0)
                return 1;
    }
    return 0;
}

/* The first field of a translation line as a string (term, size bytes). */
static int line_term(const char *line, char *term, size_t size)
{
    size_t length = 0;
    const char *field = first_field(line, &length);
    if (length == 0 || length >= size)
        return 0;
    memcpy(term, field, length);
    term[length] = '\0';
    return 1;
}

/* Calls fn with the line at line, unless it is no translation; nonzero stops. */
static int each_line(const char *line, vind_translation_fn fn, void *context)
{
    char term[VIND_TRANSLATION_BYTES], stems[VIND_TRANSLATION_BYTES];
    if (!line_term(line, term, sizeof term))
        return 0;
    size_t count = line_stems(line, stems, sizeof stems);
    return count ? fn(term, stems, count, context) : 0;
}

void vind_synonyms_each_translation(const vind_synonyms_t *synonyms, vind_translation_fn fn,
                                    void *context)
{
    if (!synonyms || !fn)
        return;
    if (synonyms->mapped) {
        const char *text = g_mapped_file_get_contents(synonyms->mapped);
        for (size_t at = synonyms->terms_from; at < synonyms->terms_to;) {
            const char *end = memchr(text + at, '\n', synonyms->terms_to - at);
            if (each_line(text + at, fn, context))
                return;
            at = end ? (size_t)(end - text) + 1 : synonyms->terms_to;
        }
        return;
    }
    for (size_t i = 0; synonyms->translation_text && i < synonyms->translations.n; i++)
        if (each_line(synonyms->translation_text + synonyms->translations.starts[i], fn, context))
            return;
}
