/*
 * lexicon.c - opens the data directory: mmaps nl.lex (lemmas and the word
 * set, lib/lexicon_format.h) and reads the stop-word lists, then answers
 * lookups without locks, since nothing changes after vind_lexicon_open().
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <vind/analyze.h>
#include "error.h"
#include "lexicon.h"
#include "lexicon_format.h"
#include "lexicon_lookup.h"

/* A stop-word list: sorted normalised words for bsearch. */
struct word_list {
    char **words;
    size_t count;
};

struct vind_lexicon {
    char *datadir;
    void *map; /* the whole of nl.lex */
    size_t map_size;
    const struct vind_lex_entry *entries;
    uint32_t entry_count;
    const char *strings;
    uint32_t string_bytes;
    const uint32_t *fences; /* version 2: offsets into fence_forms, or NULL */
    uint32_t fence_count;
    const char *fence_forms;
    size_t fence_bytes;
    /* fence_start[c]: the first fence whose form's first byte is c or more
     * (fence_start[256] = fence_count); set with the fences */
    uint32_t fence_start[257];
    struct word_list stopwords[2]; /* indexed by vind_lang_t */
    uint32_t checksum;             /* of nl.lex, from its header */
};

static int is_directory(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/*
 * <directory of the running program>/../share/vind when it exists: build/bin
 * and build/tests both find build/share/vind, so programs and unit tests run
 * from the build tree without installing.
 */
static char *datadir_beside_program(void)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return NULL;
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (slash == NULL)
        return NULL;
    *slash = '\0';
    char candidate[PATH_MAX + 32];
    snprintf(candidate, sizeof candidate, "%s/../share/vind", exe);
    return is_directory(candidate) ? strdup(candidate) : NULL;
}

/* The datadir the caller asked for, else $VIND_DATADIR, else beside the program, else installed. */
static char *choose_datadir(const char *datadir)
{
    if (datadir != NULL)
        return strdup(datadir);
    const char *env = getenv("VIND_DATADIR");
    if (env != NULL && env[0] != '\0')
        return strdup(env);
    char *beside = datadir_beside_program();
    if (beside != NULL)
        return beside;
    return strdup(vind_installed_datadir());
}

static int compare_words(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void free_word_list(struct word_list *list)
{
    for (size_t i = 0; i < list->count; i++)
        free(list->words[i]);
    free(list->words);
    list->words = NULL;
    list->count = 0;
}

/* Appends the normalised, trimmed line (without its comment) to list; 0 on NOMEM. */
static int add_stopword(struct word_list *list, size_t *capacity, char *line)
{
    char *hash = strchr(line, '#');
    if (hash)
        *hash = '\0';
    size_t start = strspn(line, " \t\r\n");
    size_t end = strlen(line);
    while (end > start && strchr(" \t\r\n", line[end - 1]))
        end--;
    if (end == start)
        return 1;
    char *word = vind_normalize(line + start, end - start);
    if (word == NULL)
        return 0;
    if (list->count == *capacity) {
        size_t grown = *capacity ? *capacity * 2 : 256;
        char **words = realloc(list->words, grown * sizeof *words);
        if (words == NULL) {
            free(word);
            return 0;
        }
        list->words = words;
        *capacity = grown;
    }
    list->words[list->count++] = word;
    return 1;
}

/* Reads <datadir>/stopwords/<name>.txt: one word a line, '#' comments. */
static vind_status_t load_stopwords(const char *datadir, const char *name, struct word_list *list,
                                    char **errmsg)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/stopwords/%s.txt", datadir, name);
    FILE *file = fopen(path, "r");
    if (file == NULL)
        return vind_error(errmsg, errno == ENOENT ? VIND_NOT_FOUND : VIND_IO,
                          "cannot open stop-word list %s: %s", path, strerror(errno));
    size_t capacity = 0;
    char *line = NULL;
    size_t line_size = 0;
    int ok = 1;
    while (ok && getline(&line, &line_size, file) >= 0)
        ok = add_stopword(list, &capacity, line);
    int read_error = ferror(file);
    free(line);
    fclose(file);
    if (!ok)
        return vind_error(errmsg, VIND_NOMEM, "out of memory reading stop-word list %s", path);
    if (read_error)
        return vind_error(errmsg, VIND_IO, "cannot read stop-word list %s", path);
    if (list->count > 0)
        qsort(list->words, list->count, sizeof *list->words, compare_words);
    return VIND_OK;
}

static const char *fence_string(const vind_lexicon_t *lexicon, uint32_t k);

/* Sets fence_start from the fences' first bytes: one pass over them at open
 * (~3,100 fences, ~45 kB that the first look-ups touch anyway). In a damaged
 * file whose fences are out of order the indices stay within the fences. */
static void index_fences(vind_lexicon_t *lexicon)
{
    uint32_t k = 0;
    for (unsigned c = 0; c < 256; c++) {
        while (k < lexicon->fence_count && (unsigned char)fence_string(lexicon, k)[0] < c)
            k++;
        lexicon->fence_start[c] = k;
    }
    lexicon->fence_start[256] = lexicon->fence_count;
}

/* Checks the header of a mapped nl.lex and points the lexicon's tables into it. */
static vind_status_t attach_map(vind_lexicon_t *lexicon, const char *path, char **errmsg)
{
    const struct vind_lex_header *header = lexicon->map;
    if (lexicon->map_size < sizeof *header ||
        memcmp(header->magic, VIND_LEX_MAGIC, sizeof header->magic) != 0)
        return vind_error(errmsg, VIND_IO, "%s is not a vind lexicon (bad magic)", path);
    int fenced = header->version == VIND_LEX_VERSION;
    if (header->byte_order != VIND_LEX_BYTE_ORDER || (!fenced && header->version != 1))
        return vind_error(errmsg, VIND_IO,
                          "%s was made by another version or machine of vind: rebuild it", path);
    uint64_t entries_bytes = (uint64_t)header->entry_count * sizeof(struct vind_lex_entry);
    uint64_t need = sizeof *header + entries_bytes + header->string_bytes;
    uint64_t fences_at = (need + 3) / 4 * 4;
    uint64_t fence_count = (header->entry_count + VIND_LEX_FENCE_STEP - 1) / VIND_LEX_FENCE_STEP;
    /* Version 2: the fences follow, their pool (at least one byte) up to the end. */
    int size_ok = fenced ? header->fence_count == fence_count &&
                               lexicon->map_size >= fences_at + 4 * fence_count + (fence_count > 0)
                         : lexicon->map_size == need;
    if (!size_ok || header->string_bytes == 0)
        return vind_error(errmsg, VIND_IO, "%s is truncated or damaged (size %zu, expected %s%llu)",
                          path, lexicon->map_size, fenced ? "at least " : "",
                          (unsigned long long)(fenced ? fences_at + 4 * fence_count + 1 : need));
    const char *base = lexicon->map;
    lexicon->entries = (const struct vind_lex_entry *)(base + sizeof *header);
    lexicon->entry_count = header->entry_count;
    lexicon->strings = base + sizeof *header + entries_bytes;
    lexicon->string_bytes = header->string_bytes;
    lexicon->checksum = header->checksum;
    if (lexicon->strings[lexicon->string_bytes - 1] != '\0')
        return vind_error(errmsg, VIND_IO, "%s is damaged (string pool not terminated)", path);
    if (fenced && fence_count > 0) {
        lexicon->fences = (const uint32_t *)(base + fences_at);
        lexicon->fence_count = (uint32_t)fence_count;
        lexicon->fence_forms = base + fences_at + 4 * fence_count;
        lexicon->fence_bytes = lexicon->map_size - (size_t)(fences_at + 4 * fence_count);
        if (lexicon->fence_forms[lexicon->fence_bytes - 1] != '\0')
            return vind_error(errmsg, VIND_IO, "%s is damaged (fences not terminated)", path);
        index_fences(lexicon);
    }
    return VIND_OK;
}

static vind_status_t map_lexicon(vind_lexicon_t *lexicon, char **errmsg)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/nl.lex", lexicon->datadir);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return vind_error(errmsg, errno == ENOENT ? VIND_NOT_FOUND : VIND_IO,
                          "cannot open Dutch lexicon %s: %s", path, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0 || st.st_size <= 0) {
        close(fd);
        return vind_error(errmsg, VIND_IO, "%s is empty or unreadable", path);
    }
    void *map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    int saved_errno = errno;
    close(fd);
    if (map == MAP_FAILED)
        return vind_error(errmsg, saved_errno == ENOMEM ? VIND_NOMEM : VIND_IO, "cannot map %s: %s",
                          path, strerror(saved_errno));
    lexicon->map = map;
    lexicon->map_size = (size_t)st.st_size;
    return attach_map(lexicon, path, errmsg);
}

vind_status_t vind_lexicon_open(const char *datadir, vind_lexicon_t **out, char **errmsg)
{
    if (out == NULL)
        return vind_error(errmsg, VIND_INVALID_ARGUMENT, "vind_lexicon_open: out is NULL");
    *out = NULL;
    vind_lexicon_t *lexicon = calloc(1, sizeof *lexicon);
    if (lexicon == NULL)
        return vind_error(errmsg, VIND_NOMEM, "out of memory opening the lexicon");
    lexicon->datadir = choose_datadir(datadir);
    if (lexicon->datadir == NULL) {
        free(lexicon);
        return vind_error(errmsg, VIND_NOMEM, "out of memory opening the lexicon");
    }
    vind_status_t status = map_lexicon(lexicon, errmsg);
    if (status == VIND_OK)
        status = load_stopwords(lexicon->datadir, "nl", &lexicon->stopwords[VIND_LANG_NL], errmsg);
    if (status == VIND_OK)
        status = load_stopwords(lexicon->datadir, "en", &lexicon->stopwords[VIND_LANG_EN], errmsg);
    if (status != VIND_OK) {
        vind_lexicon_close(lexicon);
        return status;
    }
    *out = lexicon;
    return VIND_OK;
}

void vind_lexicon_close(vind_lexicon_t *lexicon)
{
    if (lexicon == NULL)
        return;
    if (lexicon->map != NULL)
        munmap(lexicon->map, lexicon->map_size);
    free_word_list(&lexicon->stopwords[VIND_LANG_NL]);
    free_word_list(&lexicon->stopwords[VIND_LANG_EN]);
    free(lexicon->datadir);
    free(lexicon);
}

uint32_t vind_lexicon_fingerprint(const vind_lexicon_t *lexicon)
{
    if (lexicon == NULL)
        return 0;
    uint32_t hash = vind_lex_fnv1a(VIND_LEX_FNV_SEED, &lexicon->checksum, sizeof lexicon->checksum);
    for (int lang = VIND_LANG_NL; lang <= VIND_LANG_EN; lang++) {
        const struct word_list *list = &lexicon->stopwords[lang];
        for (size_t i = 0; i < list->count; i++)
            hash = vind_lex_fnv1a(hash, list->words[i], strlen(list->words[i]) + 1);
        hash = vind_lex_fnv1a(hash, "|", 1);
    }
    return hash;
}

const char *vind_lexicon_datadir(const vind_lexicon_t *lexicon)
{
    return lexicon ? lexicon->datadir : NULL;
}

int vind_is_stopword(const vind_lexicon_t *lexicon, const char *form, vind_lang_t lang)
{
    if (lexicon == NULL || form == NULL || (lang != VIND_LANG_NL && lang != VIND_LANG_EN))
        return 0;
    const struct word_list *list = &lexicon->stopwords[lang];
    if (list->count == 0)
        return 0;
    return bsearch(&form, list->words, list->count, sizeof *list->words, compare_words) != NULL;
}

/* A string of the pool, or "" for an offset outside it (a damaged file must not crash us). */
static const char *pool_string(const vind_lexicon_t *lexicon, uint32_t offset)
{
    return offset < lexicon->string_bytes ? lexicon->strings + offset : "";
}

/* strcmp() of the len bytes at key against the NUL-terminated word. Hot:
 * a binary search makes ~19 of these per look-up, and compound splitting
 * looks up every candidate head (a fifth of a bulk load's analysis); two
 * strings of a search usually differ in their first bytes, so one loop
 * beats strnlen + memcmp (7% of the analysis thread's CPU, perf). Reads
 * word no further than its NUL. */
static int compare_range(const char *key, size_t len, const char *word)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char a = (unsigned char)key[i], b = (unsigned char)word[i];
        if (b == '\0')
            return 1; /* word is a prefix of key (or key has a NUL there) */
        if (a != b)
            return a < b ? -1 : 1;
    }
    return word[len] == '\0' ? 0 : -1;
}

/* The fence's form, or "" for an offset outside the fence pool (damaged file). */
static const char *fence_string(const vind_lexicon_t *lexicon, uint32_t k)
{
    uint32_t offset = lexicon->fences[k];
    return offset < lexicon->fence_bytes ? lexicon->fence_forms + offset : "";
}

/* Narrows [*low, *high) to the block of entries the form can be in: the last
 * fence not after it names the block's first entry. Touches the fences only,
 * which lie together (lib/lexicon_format.h says why). The fences that start
 * with the form's first byte are all it bisects (fence_start): ~7 steps
 * instead of ~12 of a look-up's ~19 (session 9, docs/scaling.md). */
static void fence_block(const vind_lexicon_t *lexicon, const char *form, size_t len, size_t *low,
                        size_t *high)
{
    /* the first fence after form lies in [a, b]: every fence with a smaller
     * first byte is before it, every one with a greater after it */
    unsigned char first = (unsigned char)form[0];
    size_t a = lexicon->fence_start[first], b = lexicon->fence_start[first + 1];
    while (a < b) {
        size_t middle = a + (b - a) / 2;
        if (compare_range(form, len, fence_string(lexicon, (uint32_t)middle)) < 0)
            b = middle;
        else
            a = middle + 1;
    }
    if (a == 0) { /* before the first entry */
        *low = *high = 0;
        return;
    }
    *low = (a - 1) * (size_t)VIND_LEX_FENCE_STEP;
    size_t end = *low + VIND_LEX_FENCE_STEP;
    *high = end < lexicon->entry_count ? end : lexicon->entry_count;
}

static const struct vind_lex_entry *find_entry(const vind_lexicon_t *lexicon, const char *form,
                                               size_t len)
{
    if (lexicon == NULL || lexicon->entries == NULL || form == NULL || len == 0)
        return NULL;
    size_t low = 0, high = lexicon->entry_count;
    if (lexicon->fences)
        fence_block(lexicon, form, len, &low, &high);
    while (low < high) {
        size_t middle = low + (high - low) / 2;
        const struct vind_lex_entry *entry = &lexicon->entries[middle];
        int c = compare_range(form, len, pool_string(lexicon, entry->form));
        if (c == 0)
            return entry;
        if (c < 0)
            high = middle;
        else
            low = middle + 1;
    }
    return NULL;
}

/* The lemma of an entry found, or NULL (none, its own, or outside the pool). */
static const char *entry_lemma(const vind_lexicon_t *lexicon, const struct vind_lex_entry *entry)
{
    if (entry == NULL || entry->lemma == VIND_LEX_NO_LEMMA || entry->lemma >= lexicon->string_bytes)
        return NULL;
    return lexicon->strings + entry->lemma;
}

const char *vind_lexicon_lemma_range(const vind_lexicon_t *lexicon, const char *form, size_t len)
{
    return entry_lemma(lexicon, find_entry(lexicon, form, len));
}

uint32_t vind_lexicon_entry_range(const vind_lexicon_t *lexicon, const char *form, size_t len,
                                  const char **lemma)
{
    const struct vind_lex_entry *entry = find_entry(lexicon, form, len);
    *lemma = entry_lemma(lexicon, entry);
    return entry ? entry->flags : 0;
}

const char *vind_lexicon_lemma(const vind_lexicon_t *lexicon, const char *form)
{
    if (form == NULL)
        return NULL;
    return vind_lexicon_lemma_range(lexicon, form, strlen(form));
}

uint32_t vind_lexicon_flags(const vind_lexicon_t *lexicon, const char *form, size_t len)
{
    const struct vind_lex_entry *entry = find_entry(lexicon, form, len);
    return entry ? entry->flags : 0;
}

int vind_lexicon_has_word(const vind_lexicon_t *lexicon, const char *form)
{
    if (form == NULL)
        return 0;
    const struct vind_lex_entry *entry = find_entry(lexicon, form, strlen(form));
    /* An English word is no Dutch one, nor is a cognate the Dutch list lacks. */
    return entry != NULL && (entry->flags & ~(VIND_LEX_ENGLISH | VIND_LEX_COGNATE)) != 0;
}
