/*
 * textstore.c - the text of every page, in Xapian user metadata beside the
 * document (layout and reasons: textstore.h, docs/schema.md).
 *
 * Why not in the document data: Xapian's get_data reads and inflates the
 * whole blob, so a results page of ten hits read every page of every hit
 * (records of 39 to 305 kB on the corpus) to show ten snippets of 200
 * characters. Why not extra Xapian documents: they would count in
 * get_doccount and in BM25's statistics (average length, N), so rankings,
 * totals and facets would change. Metadata is written in the same
 * transaction as the document, so a commit is still atomic.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h> /* the page maps walked 16 words at a time (walk_block) */
#endif

#include "error.h"
#include "textstore.h"

#define KEY_BYTES 64

/* Keys are made for every map and chunk a snippet reads (~25 a hit):
 * written by hand, as snprintf cost ~1,000 instructions each (1% of a
 * search). */
static char *put_text(char *at, const char *text)
{
    while (*text)
        *at++ = *text++;
    return at;
}

static char *put_number(char *at, size_t value)
{
    char digits[24];
    size_t n = 0;
    do
        digits[n++] = (char)('0' + value % 10);
    while ((value /= 10) != 0);
    while (n)
        *at++ = digits[--n];
    return at;
}

/* "vind:text:<docid>:" (every key starts so); returns where it ends. */
static char *put_prefix(char *key, uint32_t docid)
{
    char *at = put_number(put_text(key, "vind:text:"), docid);
    *at++ = ':';
    return at;
}

/* "<page>" (a map, chunk NO_CHUNK) or "<page>:<chunk>" after a key's
 * prefix at `at`, NUL-terminated. */
#define NO_CHUNK SIZE_MAX

static void put_page_key(char *at, size_t page, size_t chunk)
{
    at = put_number(at, page);
    if (chunk != NO_CHUNK) {
        *at++ = ':';
        at = put_number(at, chunk);
    }
    *at = '\0';
}

static void map_key(char *key, uint32_t docid, size_t page)
{
    put_page_key(put_prefix(key, docid), page, NO_CHUNK);
}

static void chunk_key(char *key, uint32_t docid, size_t page, size_t chunk)
{
    put_page_key(put_prefix(key, docid), page, chunk);
}

static void directory_key(char *key, uint32_t docid)
{
    *put_text(put_prefix(key, docid), "pages") = '\0';
}

static void spellings_key(char *key, uint32_t docid)
{
    *put_text(put_prefix(key, docid), "spell") = '\0';
}

/* ---- varints ---- */

static void put_varint(GString *out, uint64_t value)
{
    while (value >= 0x80) {
        g_string_append_c(out, (char)(0x80 | (value & 0x7F)));
        value >>= 7;
    }
    g_string_append_c(out, (char)value);
}

/* 0 when the bytes end inside a varint. */
static int get_varint(const unsigned char **p, const unsigned char *end, uint64_t *value)
{
    uint64_t v = 0;
    for (unsigned shift = 0; *p < end && shift < 64; shift += 7) {
        unsigned char c = *(*p)++;
        v |= (uint64_t)(c & 0x7F) << shift;
        if (!(c & 0x80)) {
            *value = v;
            return 1;
        }
    }
    return 0;
}

/* ---- writing ---- */

void vind_text_word_add(GArray *words, unsigned position, size_t start, size_t end)
{
    vind_text_word_t word = {position, (guint32)start, (guint32)end};
    g_array_append_val(words, word);
}

/* A page map's skip table (textstore.h): an entry every SKIP_WORDS words,
 * three 32-bit little-endian numbers each, then their count and the
 * trailer SKIP_MAGIC. A map without one ends with a varint's last byte
 * (below 0x80), never with SKIP_MAGIC's last byte: an index written before
 * skip tables is read as before, by walking its maps. */
#define SKIP_WORDS 64u
#define SKIP_ENTRY_BYTES 12u
static const unsigned char SKIP_MAGIC[4] = {'v', 's', 'k', 0xA5};

static void put_u32(GString *out, guint32 value)
{
    for (int i = 0; i < 4; i++)
        g_string_append_c(out, (char)(value >> (8 * i) & 0xFF));
}

static guint32 get_u32(const unsigned char *p)
{
    return (guint32)p[0] | (guint32)p[1] << 8 | (guint32)p[2] << 16 | (guint32)p[3] << 24;
}

static vind_status_t put_page(vind_xapian_writer_t *writer, uint32_t docid, size_t page,
                              const char *text, const GArray *words, char **errmsg)
{
    char key[KEY_BYTES];
    size_t length = text ? strlen(text) : 0;
    vind_status_t status = VIND_OK;
    for (size_t at = 0, k = 0; status == VIND_OK && at < length; at += VIND_TEXT_CHUNK_BYTES, k++) {
        size_t n = length - at < VIND_TEXT_CHUNK_BYTES ? length - at : VIND_TEXT_CHUNK_BYTES;
        chunk_key(key, docid, page, k);
        status = vind_xapian_writer_set_metadata(writer, key, text + at, n, errmsg);
    }
    if (status != VIND_OK)
        return status;
    GString *map = g_string_new(NULL);
    put_varint(map, length);
    size_t n = words ? words->len : 0;
    put_varint(map, n);
    guint32 position = 0, start = 0;
    GString *skips = g_string_new(NULL);
    for (size_t i = 0; i < n; i++) {
        const vind_text_word_t *w = &g_array_index(words, vind_text_word_t, i);
        if (i > 0 && i % SKIP_WORDS == 0) { /* the walk's state before word i */
            put_u32(skips, position);
            put_u32(skips, start);
            put_u32(skips, (guint32)map->len);
        }
        /* words come in text order: positions and starts ascend */
        put_varint(map, w->position - position);
        put_varint(map, w->start - start);
        put_varint(map, w->end - w->start);
        position = w->position;
        start = w->start;
    }
    g_string_append_len(map, skips->str, (gssize)skips->len);
    put_u32(map, (guint32)(skips->len / SKIP_ENTRY_BYTES));
    g_string_append_len(map, (const char *)SKIP_MAGIC, sizeof SKIP_MAGIC);
    g_string_free(skips, TRUE);
    map_key(key, docid, page);
    status = vind_xapian_writer_set_metadata(writer, key, map->str, map->len, errmsg);
    g_string_free(map, TRUE);
    return status;
}

/* The page directory of a document of several pages: varint number of
 * pages, then per page its byte length and its number of map words. A
 * snippet learns every page's length from it in one read instead of one map
 * read per page (a PDF hit read the maps of every page up to its first
 * 16 kB of text, most of them only for their lengths). A one-page document
 * has none: its one map is read anyway. */
static vind_status_t put_directory(vind_xapian_writer_t *writer, uint32_t docid,
                                   char *const *pages, size_t n_pages, GArray *const *words,
                                   char **errmsg)
{
    GString *directory = g_string_new(NULL);
    put_varint(directory, n_pages);
    for (size_t page = 0; page < n_pages; page++) {
        put_varint(directory, pages[page] ? strlen(pages[page]) : 0);
        put_varint(directory, words && words[page] ? words[page]->len : 0);
    }
    char key[KEY_BYTES];
    directory_key(key, docid);
    vind_status_t status =
        vind_xapian_writer_set_metadata(writer, key, directory->str, directory->len, errmsg);
    g_string_free(directory, TRUE);
    return status;
}

vind_status_t vind_text_put(vind_xapian_writer_t *writer, uint32_t docid, char *const *pages,
                            size_t n_pages, GArray *const *words, char **errmsg)
{
    vind_status_t status = VIND_OK;
    for (size_t page = 0; status == VIND_OK && page < n_pages; page++)
        status = put_page(writer, docid, page, pages[page], words ? words[page] : NULL, errmsg);
    if (status == VIND_OK && n_pages > 1)
        status = put_directory(writer, docid, pages, n_pages, words, errmsg);
    return status;
}

static vind_status_t missing_is_empty(vind_status_t status, char **errmsg);

/* Length of the prefix a and b share, at most 255 (one byte). */
static size_t shared_prefix(const char *a, const char *b)
{
    size_t n = 0;
    while (n < 255 && a[n] && a[n] == b[n])
        n++;
    return n;
}

vind_status_t vind_text_put_spellings(vind_xapian_writer_t *writer, uint32_t docid,
                                      char *const *forms, size_t n, char **errmsg)
{
    if (n == 0)
        return VIND_OK;
    GString *out = g_string_sized_new(8 * n);
    const char *previous = "";
    for (size_t i = 0; i < n; i++) {
        size_t shared = shared_prefix(previous, forms[i]);
        g_string_append_c(out, (char)shared);
        g_string_append(out, forms[i] + shared);
        g_string_append_c(out, '\0');
        previous = forms[i];
    }
    char key[KEY_BYTES];
    spellings_key(key, docid);
    vind_status_t status = vind_xapian_writer_set_metadata(writer, key, out->str, out->len, errmsg);
    g_string_free(out, TRUE);
    return status;
}

/* The words of a front-coded list (vind_text_put_spellings); a damaged
 * entry (a shared length past the word before, no final NUL) ends it. */
static char **decode_spellings(const char *value, size_t length)
{
    GPtrArray *forms = g_ptr_array_new();
    const char *previous = "";
    const char *p = value, *end = value + length;
    while (p < end) {
        size_t shared = (unsigned char)*p++;
        const char *nul = memchr(p, '\0', (size_t)(end - p));
        if (!nul || shared > strlen(previous))
            break;
        char *form = g_malloc(shared + (size_t)(nul - p) + 1);
        memcpy(form, previous, shared);
        memcpy(form + shared, p, (size_t)(nul - p) + 1);
        g_ptr_array_add(forms, form);
        previous = form;
        p = nul + 1;
    }
    g_ptr_array_add(forms, NULL);
    return (char **)g_ptr_array_free(forms, FALSE);
}

vind_status_t vind_text_spellings(vind_xapian_writer_t *writer, uint32_t docid, char ***forms,
                                  char **errmsg)
{
    char key[KEY_BYTES];
    spellings_key(key, docid);
    char *value = NULL;
    size_t length = 0;
    vind_status_t status = vind_xapian_writer_get_metadata(writer, key, &value, &length, errmsg);
    *forms = status == VIND_OK ? decode_spellings(value, length) : g_new0(char *, 1);
    free(value);
    return missing_is_empty(status, errmsg);
}

/* A missing metadata key reads as empty: VIND_OK, and the message the
 * look-up wrote is freed (the caller only frees *errmsg on a failure). */
static vind_status_t missing_is_empty(vind_status_t status, char **errmsg)
{
    if (status != VIND_NOT_FOUND)
        return status;
    if (errmsg) {
        free(*errmsg);
        *errmsg = NULL;
    }
    return VIND_OK;
}

vind_status_t vind_text_delete(vind_xapian_writer_t *writer, uint32_t docid, char **errmsg)
{
    char key[KEY_BYTES];
    spellings_key(key, docid); /* deleting a key that is absent is no error */
    vind_status_t status = vind_xapian_writer_set_metadata(writer, key, NULL, 0, errmsg);
    directory_key(key, docid);
    if (status == VIND_OK)
        status = vind_xapian_writer_set_metadata(writer, key, NULL, 0, errmsg);
    /* Pages are numbered from 0 without gaps: the first missing map ends them. */
    for (size_t page = 0; status == VIND_OK; page++) {
        char *map = NULL;
        size_t map_length = 0;
        map_key(key, docid, page);
        status = vind_xapian_writer_get_metadata(writer, key, &map, &map_length, errmsg);
        int missing = status == VIND_NOT_FOUND;
        status = missing_is_empty(status, errmsg);
        if (missing || (status == VIND_OK && map_length == 0)) {
            free(map);
            return VIND_OK;
        }
        uint64_t length = 0;
        const unsigned char *p = (const unsigned char *)map;
        if (status == VIND_OK && !get_varint(&p, p + map_length, &length))
            length = 0;
        free(map);
        if (status == VIND_OK)
            status = vind_xapian_writer_set_metadata(writer, key, NULL, 0, errmsg);
        for (uint64_t k = 0; status == VIND_OK && k * VIND_TEXT_CHUNK_BYTES < length; k++) {
            chunk_key(key, docid, page, (size_t)k);
            status = vind_xapian_writer_set_metadata(writer, key, NULL, 0, errmsg);
        }
    }
    return status;
}

/* ---- reading ---- */

/* A decoded word of a page map: its position, and its bytes as stored
 * (start, size: not yet clamped to the page, which vind_text_place does
 * for the one word it returns). */
typedef struct {
    guint32 position, start, size;
} map_word_t;

/* Words of a page map per block: a block is skipped with two sums, and
 * only the block that holds a place asked for is decoded word by word. */
#define BLOCK_WORDS 16u

/* A block of a page map: where its words start, and the base its deltas
 * add to (the position and start of the word before it). */
typedef struct {
    size_t cursor;      /* byte offset in the map of the block's first word */
    guint32 at, start;  /* the previous word's position and start */
    guint32 last;       /* the position of the block's last word */
    guint32 n;          /* its words (BLOCK_WORDS but in the last block) */
} map_block_t;

typedef struct page page_t;

struct page {
    page_t *next;        /* the text's pages made before it (vind_text_close frees them) */
    int sized;           /* length and n_total are known (from the directory or the map) */
    int mapped;          /* the map was read */
    size_t length;
    const unsigned char *map; /* the map as stored; words are decoded from it on demand */
    size_t map_length;
    size_t words_at;              /* the byte offset of the map's first word */
    const unsigned char *skips;   /* its skip table (n_skips entries), or NULL */
    size_t n_skips;
    vind_xapian_lent_t *map_lent; /* the map, lent by the reader (not copied) */
    size_t n_total;      /* words in the map */
    map_block_t *blocks; /* the blocks walked so far, ascending positions */
    size_t n_blocks, room_blocks;
    size_t covered;      /* the words of those blocks */
    size_t cursor;       /* the map's bytes walked so far */
    guint32 position, start; /* the last walked word's (the next block's base) */
    char *bytes;         /* length + 1, NULs where not read; made on the first range */
    const char *whole;   /* or the page's one chunk, lent whole by the reader (lend_page) */
    vind_xapian_lent_t *whole_lent;
    unsigned char *have; /* per chunk: CHUNK_READ, CHUNK_ZEROED or 0 (not set yet) */
};

/* A page's byte length and map words, as the page directory gives them. */
typedef struct {
    guint32 length, words;
} page_size_t;

/* The pages are made as they are first used (page_of): a snippet of a
 * 300-page PDF uses a few. An array of every page's page_t, zeroed at the
 * open and walked at the close, was ~1,700 instructions a snippet (13 M of
 * the 1,000 bench requests), and parsing the directory into it ~400. The
 * first page made (an article's only one) and the per-page array live in
 * the text's own allocation: their two callocs and frees were ~500
 * instructions a snippet. */
struct vind_text {
    vind_xapian_reader_t *reader;
    uint32_t docid;
    size_t n_pages;
    page_t *made;        /* the pages made, last first (page_t.next) */
    page_t first_made;   /* the first of them (not freed on its own) */
    int first_used;      /* first_made is made */
    page_size_t *sizes;  /* per page, from the directory (NULL: none read, or none valid) */
    int directory_read;  /* the page directory was looked up */
    uint64_t bytes_read;
    /* The key of the map or chunk read last: the document's prefix is
     * written once, at the open (its digits were ~100 instructions a key,
     * ~25 keys a snippet). */
    char key[KEY_BYTES];
    char *key_page; /* where the page's part of key starts */
    page_t *pages[]; /* per page, NULL until used */
};

/* text->key for a page's map (chunk NO_CHUNK) or one of its chunks. */
static const char *page_key(vind_text_t *text, size_t page, size_t chunk)
{
    put_page_key(text->key_page, page, chunk);
    return text->key;
}

vind_text_t *vind_text_open(vind_xapian_reader_t *reader, uint32_t docid, size_t n_pages)
{
    if (n_pages > (SIZE_MAX - sizeof(vind_text_t)) / sizeof(page_t *) - 1)
        return NULL;
    vind_text_t *text = calloc(1, sizeof *text + (n_pages ? n_pages : 1) * sizeof(page_t *));
    if (!text)
        return NULL;
    text->reader = reader;
    text->docid = docid;
    text->n_pages = n_pages;
    text->key_page = put_prefix(text->key, docid);
    return text;
}

void vind_text_close(vind_text_t *text)
{
    if (!text)
        return;
    for (page_t *pg = text->made, *next; pg; pg = next) {
        next = pg->next;
        vind_xapian_lent_free(pg->map_lent);
        free(pg->blocks);
        free(pg->bytes);
        vind_xapian_lent_free(pg->whole_lent);
        free(pg->have);
        if (pg != &text->first_made)
            free(pg);
    }
    free(text->sizes);
    free(text);
}

size_t vind_text_pages(const vind_text_t *text)
{
    return text ? text->n_pages : 0;
}

uint64_t vind_text_bytes_read(const vind_text_t *text)
{
    return text ? text->bytes_read : 0;
}

static vind_status_t out_of_memory(vind_text_t *text, char **errmsg)
{
    return vind_error(errmsg, VIND_NOMEM, "out of memory reading the text of document %u",
                      text->docid);
}

/* Sizes an unsized page from the directory, when it has the page. */
static void size_from_directory(const vind_text_t *text, size_t page, page_t *pg)
{
    if (pg->sized || !text->sizes)
        return;
    pg->sized = 1;
    pg->length = text->sizes[page].length;
    pg->n_total = text->sizes[page].words;
}

/* The page's state, made on its first use; NULL on NOMEM. */
static page_t *page_of(vind_text_t *text, size_t page)
{
    page_t *pg = text->pages[page];
    if (!pg) {
        pg = text->first_used ? calloc(1, sizeof *pg) : &text->first_made;
        if (!pg)
            return NULL;
        text->first_used = 1;
        pg->next = text->made;
        text->made = pg;
        text->pages[page] = pg;
    }
    size_from_directory(text, page, pg);
    return pg;
}

/* The map's skip table, when it ends with one that fits its words (an
 * entry every SKIP_WORDS words): the words then end where it starts. An
 * entry whose offset is not among the words is not used (skip_to). */
static void find_skips(page_t *pg)
{
    size_t bytes = pg->map_length - pg->words_at;
    if (bytes < 8 || memcmp(pg->map + pg->map_length - 4, SKIP_MAGIC, 4) != 0)
        return;
    size_t count = get_u32(pg->map + pg->map_length - 8);
    size_t expected = pg->n_total ? (pg->n_total - 1) / SKIP_WORDS : 0;
    if (count != expected || count > (bytes - 8) / SKIP_ENTRY_BYTES)
        return;
    pg->map_length -= 8 + count * SKIP_ENTRY_BYTES;
    pg->skips = pg->map + pg->map_length;
    pg->n_skips = count;
}

/* Reads a page's map once: its length and word count only. The words are
 * walked as far as a place asks (walk_block): a page's length (every page
 * before a long text is known to be long) costs one metadata read and two
 * varints, not the ~3 varints per word of the whole map (9% of a search's
 * instructions when every map was decoded whole). A page without a map (an
 * index written before its text) reads as empty. */
static vind_status_t map_page(vind_text_t *text, size_t page, page_t *pg, char **errmsg)
{
    if (pg->mapped)
        return VIND_OK;
    const char *map = NULL;
    size_t map_length = 0;
    vind_xapian_lent_t *lent = NULL;
    /* lent, not copied: a map is ~3 bytes a word of the page (~10 kB), of
     * which a snippet walks the blocks up to its places */
    vind_status_t status = vind_xapian_reader_lend_metadata(
        text->reader, page_key(text, page, NO_CHUNK), &map, &map_length, &lent, errmsg);
    status = missing_is_empty(status, errmsg);
    text->bytes_read += map_length;
    uint64_t length = 0, n = 0;
    const unsigned char *p = (const unsigned char *)map, *end = p + map_length;
    if (status == VIND_OK && map && get_varint(&p, end, &length) && get_varint(&p, end, &n) &&
        n <= map_length && length < UINT32_MAX) {
        pg->map = (const unsigned char *)map;
        pg->map_length = map_length;
        pg->map_lent = lent;
        pg->cursor = pg->words_at = (size_t)(p - (const unsigned char *)map);
        pg->n_total = (size_t)n;
        pg->length = (size_t)length;
        find_skips(pg);
    } else {
        vind_xapian_lent_free(lent);
        pg->n_total = 0; /* no map, no words (the length may come from the directory) */
    }
    pg->mapped = pg->sized = 1;
    return status;
}

/* Parses a page directory into the pages' lengths and word counts
 * (text->sizes); nothing when it does not describe text's pages (or on
 * NOMEM: the maps tell). */
static void parse_directory(vind_text_t *text, const unsigned char *p, const unsigned char *end)
{
    uint64_t n = 0;
    if (!get_varint(&p, end, &n) || n != text->n_pages)
        return;
    page_size_t *sizes = malloc(text->n_pages * sizeof *sizes);
    for (size_t page = 0; sizes && page < text->n_pages; page++) {
        uint64_t length = 0, words = 0;
        if (!get_varint(&p, end, &length) || !get_varint(&p, end, &words) || length >= UINT32_MAX ||
            words >= UINT32_MAX) {
            free(sizes);
            return;
        }
        sizes[page] = (page_size_t){(guint32)length, (guint32)words};
    }
    text->sizes = sizes;
}

/* Looks the page directory up once (only documents of several pages have
 * one). Cost: one metadata read of ~2 varints per page, replacing one map
 * read per page whose length a snippet needs. */
static vind_status_t read_directory(vind_text_t *text, char **errmsg)
{
    if (text->directory_read)
        return VIND_OK;
    text->directory_read = 1;
    if (text->n_pages < 2)
        return VIND_OK;
    char key[KEY_BYTES];
    char *directory = NULL;
    size_t length = 0;
    directory_key(key, text->docid);
    vind_status_t status =
        vind_xapian_reader_get_metadata(text->reader, key, &directory, &length, errmsg);
    status = missing_is_empty(status, errmsg); /* an index written before directories */
    text->bytes_read += length;
    if (status == VIND_OK && directory)
        parse_directory(text, (const unsigned char *)directory,
                        (const unsigned char *)directory + length);
    free(directory);
    return status;
}

/* Makes a page's length and word count known: from the directory, else
 * from its map. *pg = the page (NULL only on NOMEM). */
static vind_status_t size_page(vind_text_t *text, size_t page, page_t **pg, char **errmsg)
{
    *pg = text->pages[page];
    if (*pg && (*pg)->sized)
        return VIND_OK;
    vind_status_t status = read_directory(text, errmsg);
    if (!(*pg = page_of(text, page)))
        return out_of_memory(text, errmsg);
    if (status != VIND_OK || (*pg)->sized)
        return status;
    return map_page(text, page, *pg, errmsg);
}

/* A page's length and words without making the page, when the page is
 * sized already or the directory has it; 0 otherwise (size_page). */
static int known_size(vind_text_t *text, size_t page, size_t *length, size_t *words,
                      vind_status_t *status, char **errmsg)
{
    const page_t *pg = text->pages[page];
    if (pg && pg->sized) {
        *length = pg->length;
        *words = pg->n_total;
        *status = VIND_OK;
        return 1;
    }
    *status = read_directory(text, errmsg);
    if (*status != VIND_OK) { /* as size_page answers it */
        *length = *words = 0;
        return 1;
    }
    if (pg || !text->sizes)
        return 0;
    *length = text->sizes[page].length;
    *words = text->sizes[page].words;
    return 1;
}

/* A varint, the one-byte case (most deltas) inline. */
static inline int next_varint(const unsigned char **p, const unsigned char *end, uint64_t *value)
{
    if (*p < end && !(**p & 0x80)) {
        *value = *(*p)++;
        return 1;
    }
    return get_varint(p, end, value);
}

/* A block of BLOCK_WORDS usual words at p (each field a varint of one
 * byte: no continuation bit in its 3 * BLOCK_WORDS bytes): adds its
 * position steps to *at and its start deltas to *start and returns 1;
 * else 0. With SSE2 the bytes of each field are summed 16 at a time
 * (psadbw: ~2 instructions a word, ~4 a word by bytes). */
static inline int short_block(const unsigned char *p, guint32 *at, guint32 *start)
{
#ifdef __SSE2__
    /* byte k of a 16-byte vector is the field (k + phase) % 3 of a word */
    static const unsigned char phase0[16] = {255, 0, 0, 255, 0, 0, 255, 0,
                                             0,   255, 0, 0, 255, 0, 0, 255};
    static const unsigned char phase1[16] = {0, 255, 0, 0, 255, 0, 0, 255,
                                             0, 0,   255, 0, 0, 255, 0, 0};
    static const unsigned char phase2[16] = {0,   0, 255, 0, 0, 255, 0, 0,
                                             255, 0, 0,   255, 0, 0, 255, 0};
    __m128i v0 = _mm_loadu_si128((const __m128i *)p);
    __m128i v1 = _mm_loadu_si128((const __m128i *)(p + 16));
    __m128i v2 = _mm_loadu_si128((const __m128i *)(p + 32));
    if (_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(v0, v1), v2)) != 0)
        return 0;
    __m128i m0 = _mm_loadu_si128((const __m128i *)phase0);
    __m128i m1 = _mm_loadu_si128((const __m128i *)phase1);
    __m128i m2 = _mm_loadu_si128((const __m128i *)phase2);
    __m128i zero = _mm_setzero_si128();
    /* steps: bytes 0, 3, ... of v0; 16 + 2, ... of v1 (phase 2); 32 + 1, ... of v2 */
    __m128i steps = _mm_add_epi64(
        _mm_add_epi64(_mm_sad_epu8(_mm_and_si128(v0, m0), zero),
                      _mm_sad_epu8(_mm_and_si128(v1, m2), zero)),
        _mm_sad_epu8(_mm_and_si128(v2, m1), zero));
    __m128i deltas = _mm_add_epi64(
        _mm_add_epi64(_mm_sad_epu8(_mm_and_si128(v0, m1), zero),
                      _mm_sad_epu8(_mm_and_si128(v1, m0), zero)),
        _mm_sad_epu8(_mm_and_si128(v2, m2), zero));
    *at += (guint32)(_mm_cvtsi128_si32(steps) + _mm_cvtsi128_si32(_mm_srli_si128(steps, 8)));
    *start +=
        (guint32)(_mm_cvtsi128_si32(deltas) + _mm_cvtsi128_si32(_mm_srli_si128(deltas, 8)));
    return 1;
#else
    uint64_t any = 0;
    for (unsigned k = 0; k < 3u * BLOCK_WORDS; k += 8) {
        uint64_t eight;
        memcpy(&eight, p + k, 8);
        any |= eight;
    }
    if (any & 0x8080808080808080u)
        return 0;
    for (unsigned k = 0; k < 3u * BLOCK_WORDS; k += 3) {
        *at += p[k];
        *start += p[k + 1];
    }
    return 1;
#endif
}

/* Walks the next block of a page map: its base, and its last position
 * from the sums of its position steps (no word stored). 0 when the map
 * has no more words (or is broken there: the words before are all it
 * has), or on NOMEM. Cost: ~4 instructions a word of a usual block;
 * decoding and storing every word up to a place was ~10, the hot loop of
 * a snippet (~115 M instructions of the 1,000 bench requests). */
static int walk_block(page_t *pg, int *nomem)
{
    size_t left = pg->n_total - pg->covered;
    if (left == 0)
        return 0;
    if (pg->n_blocks == pg->room_blocks) {
        /* room for every block of the map at once (n_total is at most the
         * map's bytes, map_page): growing from 8 by doubling was a realloc
         * every few places of a long page (~4 M instructions of the 1,000
         * bench requests) */
        size_t room = pg->room_blocks ? 2 * pg->room_blocks : pg->n_total / BLOCK_WORDS + 1;
        map_block_t *blocks = realloc(pg->blocks, room * sizeof *blocks);
        if (!blocks) {
            *nomem = 1;
            return 0;
        }
        pg->blocks = blocks;
        pg->room_blocks = room;
    }
    const unsigned char *p = pg->map + pg->cursor, *end = pg->map + pg->map_length;
    guint32 at = pg->position, start = pg->start;
    size_t n = left < BLOCK_WORDS ? left : BLOCK_WORDS;
    if (n == BLOCK_WORDS && (size_t)(end - p) >= 3u * BLOCK_WORDS &&
        short_block(p, &at, &start)) {
        p += 3u * BLOCK_WORDS;
    } else {
        size_t k = 0;
        for (; k < n; k++) {
            uint64_t step, delta, size;
            if (!(next_varint(&p, end, &step) && next_varint(&p, end, &delta) &&
                  next_varint(&p, end, &size)))
                break;
            at += (guint32)step;
            start += (guint32)delta;
        }
        if (k < n) {
            /* a map cut short (or broken): the words before are the map */
            pg->n_total = pg->covered + k;
            n = k;
            if (n == 0)
                return 0;
        }
    }
    pg->blocks[pg->n_blocks++] =
        (map_block_t){pg->cursor, pg->position, pg->start, at, (guint32)n};
    pg->covered += n;
    pg->cursor = (size_t)(p - pg->map);
    pg->position = at;
    pg->start = start;
    return 1;
}

/* The first word of block b of a page at position or after, into *word; 0
 * when the block has none. Cost: the block's words up to it (~4
 * instructions a usual word, half a block on average): decoding the whole
 * block into a cache first cost ~12 a word, and places of different terms
 * (each term's ascending, the terms one after another) went back and forth
 * between blocks, so the cache missed on about half of the look-ups
 * (~20 M instructions of the 1,000 bench requests, callgrind). */
static int find_in_block(const page_t *pg, size_t b, guint32 position, map_word_t *word)
{
    const map_block_t *block = &pg->blocks[b];
    const unsigned char *p = pg->map + block->cursor, *end = pg->map + pg->map_length;
    guint32 at = block->at, start = block->start;
    size_t n = 0;
    if (end - p >= 3 * (ptrdiff_t)block->n) /* the usual words, a byte a field */
        for (; n < block->n && !((p[0] | p[1] | p[2]) & 0x80); n++, p += 3) {
            at += p[0];
            start += p[1];
            if (at >= position) {
                *word = (map_word_t){at, start, p[2]};
                return 1;
            }
        }
    for (; n < block->n; n++) {
        uint64_t step, delta, size;
        if (!(next_varint(&p, end, &step) && next_varint(&p, end, &delta) &&
              next_varint(&p, end, &size)))
            break; /* cannot be: walk_block read these words */
        at += (guint32)step;
        start += (guint32)delta;
        if (at >= position) {
            *word = (map_word_t){at, start, size < UINT32_MAX ? (guint32)size : UINT32_MAX};
            return 1;
        }
    }
    return 0;
}

vind_status_t vind_text_page_length(vind_text_t *text, size_t page, size_t *length,
                                    char **errmsg)
{
    *length = 0;
    if (!text || page >= text->n_pages)
        return vind_error(errmsg, VIND_INVALID_ARGUMENT, "no page %zu in this text", page);
    size_t words = 0;
    vind_status_t status = VIND_OK;
    if (known_size(text, page, length, &words, &status, errmsg))
        return status;
    page_t *pg = NULL;
    status = size_page(text, page, &pg, errmsg);
    if (pg && (status == VIND_OK || pg->sized))
        *length = pg->length;
    return status;
}

vind_status_t vind_text_page_words(vind_text_t *text, size_t page, size_t *words, char **errmsg)
{
    *words = 0;
    if (!text || page >= text->n_pages)
        return vind_error(errmsg, VIND_INVALID_ARGUMENT, "no page %zu in this text", page);
    size_t length = 0;
    vind_status_t status = VIND_OK;
    if (known_size(text, page, &length, words, &status, errmsg))
        return status;
    page_t *pg = NULL;
    status = size_page(text, page, &pg, errmsg);
    *words = pg ? pg->n_total : 0;
    return status;
}

/* States of a page's chunk in its buffer (page_t.have). */
enum { CHUNK_UNSET = 0, CHUNK_ZEROED = 1, CHUNK_READ = 2 };

/* Chunks on either side of a range read that are set to NUL too. Readers
 * ask for what they look at, with a little slack (lib/snippet.c's
 * SCAN_SLACK); a look past a range must still find NULs there, as it did
 * when whole pages were zeroed, never garbage: this margin keeps that
 * true 8 kB past any range. */
#define ZEROED_MARGIN_CHUNKS 2u

/* A page's buffer, not zeroed: calloc's memset of whole pages (a 100 kB
 * article for a 200-character snippet) was 2% of a search's instructions.
 * Chunks are zeroed as they come near a range (zero_chunks). */
static vind_status_t page_buffer(vind_text_t *text, page_t *pg, char **errmsg)
{
    if (pg->bytes)
        return VIND_OK;
    pg->bytes = malloc(pg->length + 1);
    pg->have = calloc(pg->length / VIND_TEXT_CHUNK_BYTES + 1, 1);
    if (!pg->bytes || !pg->have) {
        free(pg->bytes);
        free(pg->have);
        pg->bytes = NULL;
        pg->have = NULL;
        return out_of_memory(text, errmsg);
    }
    pg->bytes[pg->length] = '\0';
    return VIND_OK;
}

/* Sets the unset chunks [first, last] of a page (last clipped) to NULs. */
static void zero_chunks(page_t *pg, size_t first, size_t last)
{
    size_t n_chunks = pg->length / VIND_TEXT_CHUNK_BYTES + 1;
    for (size_t k = first; k <= last && k < n_chunks; k++) {
        if (pg->have[k] != CHUNK_UNSET)
            continue;
        size_t at = k * VIND_TEXT_CHUNK_BYTES;
        size_t n = pg->length - at < VIND_TEXT_CHUNK_BYTES ? pg->length - at
                                                            : VIND_TEXT_CHUNK_BYTES;
        memset(pg->bytes + at, 0, n);
        pg->have[k] = CHUNK_ZEROED;
    }
}

/* Reads chunk k of a page into its buffer (NULs where the store has less). */
static vind_status_t read_chunk(vind_text_t *text, size_t page, page_t *pg, size_t k,
                                char **errmsg)
{
    size_t n = 0;
    size_t at = k * VIND_TEXT_CHUNK_BYTES;
    size_t room = pg->length - at < VIND_TEXT_CHUNK_BYTES ? pg->length - at : VIND_TEXT_CHUNK_BYTES;
    /* copied once, from the reader's cache straight into the page */
    vind_status_t status = vind_xapian_reader_read_metadata(text->reader, page_key(text, page, k),
                                                            pg->bytes + at, room, &n, errmsg);
    status = missing_is_empty(status, errmsg); /* reads as blank */
    if (status != VIND_OK)
        n = 0;
    if (n > room)
        n = room;
    memset(pg->bytes + at + n, 0, room - n);
    text->bytes_read += n;
    pg->have[k] = CHUNK_READ;
    return status;
}

/* A page of one chunk, when its chunk holds all of it, lent whole by the
 * reader's cache (a NUL past it): no buffer to make, zero or fill. Most
 * PDF pages are this short (the corpus's: ~1.7 kB of text a page). Any
 * other answer (no chunk, a shorter or longer one, an error) leaves the
 * page to the buffer, which reads it as before. */
static void lend_page(vind_text_t *text, size_t page, page_t *pg)
{
    const char *value = NULL;
    size_t n = 0;
    vind_xapian_lent_t *lent = NULL;
    if (vind_xapian_reader_lend_metadata(text->reader, page_key(text, page, 0), &value, &n, &lent,
                                         NULL) == VIND_OK &&
        n == pg->length) {
        pg->whole = value;
        pg->whole_lent = lent;
        text->bytes_read += n;
        return;
    }
    vind_xapian_lent_free(lent);
}

vind_status_t vind_text_range(vind_text_t *text, size_t page, size_t start, size_t end,
                              const char **page_text, char **errmsg)
{
    static const char empty[1] = "";
    *page_text = empty;
    if (!text || page >= text->n_pages)
        return vind_error(errmsg, VIND_INVALID_ARGUMENT, "no page %zu in this text", page);
    page_t *pg = NULL;
    vind_status_t status = size_page(text, page, &pg, errmsg);
    if (!pg || !pg->sized)
        return status;
    if (status == VIND_OK && !pg->bytes && !pg->whole && pg->length > 0 &&
        pg->length <= VIND_TEXT_CHUNK_BYTES)
        lend_page(text, page, pg);
    if (pg->whole) {
        *page_text = pg->whole;
        return status;
    }
    vind_status_t made = page_buffer(text, pg, errmsg);
    if (made != VIND_OK)
        return made;
    *page_text = pg->bytes;
    if (end > pg->length)
        end = pg->length;
    size_t first = start / VIND_TEXT_CHUNK_BYTES;
    size_t last = end > start ? (end - 1) / VIND_TEXT_CHUNK_BYTES : first;
    zero_chunks(pg, first > ZEROED_MARGIN_CHUNKS ? first - ZEROED_MARGIN_CHUNKS : 0,
                last + ZEROED_MARGIN_CHUNKS);
    for (size_t k = first; status == VIND_OK && start < end && k <= last; k++)
        if (pg->have[k] != CHUNK_READ)
            status = read_chunk(text, page, pg, k, errmsg);
    return status;
}

/* A walk of a page map from its first word or a skip entry (vind_text_places, vind_text_place). */
typedef struct {
    const unsigned char *p, *end;
    size_t left;       /* words to go */
    guint32 at, start; /* the previous word's position and start */
    unsigned by_word;  /* words to decode one by one before skipping blocks again */
} map_walk_t;

/* The first word at or after position into *word; 0 when the map ends
 * first (or is broken there). Whole blocks of usual words that end before
 * position are skipped with short_block's sums; the block that reaches it
 * is decoded word by word. Always inlined: with two callers GCC made it a
 * function, its walk's state in memory (+5.5 M instructions of the 1,000
 * bench requests). */
G_ALWAYS_INLINE static inline int next_word_at(map_walk_t *w, guint32 position, map_word_t *word)
{
    while (w->left > 0) {
        if (w->by_word == 0) {
            guint32 at = w->at, start = w->start;
            if (w->left >= BLOCK_WORDS && w->end - w->p >= 3 * (ptrdiff_t)BLOCK_WORDS &&
                short_block(w->p, &at, &start) && at < position) {
                w->p += 3u * BLOCK_WORDS;
                w->left -= BLOCK_WORDS;
                w->at = at;
                w->start = start;
                continue;
            }
            w->by_word = BLOCK_WORDS;
        }
        uint64_t step, delta, size;
        if (w->end - w->p >= 3 && !((w->p[0] | w->p[1] | w->p[2]) & 0x80)) {
            step = w->p[0]; /* the usual word, a byte a field */
            delta = w->p[1];
            size = w->p[2];
            w->p += 3;
        } else if (!(next_varint(&w->p, w->end, &step) && next_varint(&w->p, w->end, &delta) &&
                     next_varint(&w->p, w->end, &size))) {
            w->left = 0; /* a map cut short (or broken): the words before are the map */
            return 0;
        }
        w->left--;
        w->by_word--;
        w->at += (guint32)step;
        w->start += (guint32)delta;
        if (w->at >= position) {
            *word = (map_word_t){w->at, w->start, size < UINT32_MAX ? (guint32)size : UINT32_MAX};
            return 1;
        }
    }
    return 0;
}

/* Moves a walk of a map with a skip table to the last entry whose word
 * before it is below position, when that is past where the walk is: the
 * words it skips all lie before position. Cost: a look at the next entry,
 * and a binary search over the entries when the walk can skip: a place
 * costs ~SKIP_WORDS / 2 words decoded, not the walk of the map up to it. */
static void skip_to(const page_t *pg, map_walk_t *w, guint32 position)
{
    size_t done = pg->n_total - w->left; /* words walked */
    size_t low = done / SKIP_WORDS;      /* the first entry past them */
    if (!pg->skips || low >= pg->n_skips || get_u32(pg->skips + low * SKIP_ENTRY_BYTES) >= position)
        return;
    size_t high = pg->n_skips; /* the first entry whose word before it is at or past position */
    while (low < high) {
        size_t mid = low + (high - low) / 2;
        if (get_u32(pg->skips + mid * SKIP_ENTRY_BYTES) < position)
            low = mid + 1;
        else
            high = mid;
    }
    const unsigned char *entry = pg->skips + (low - 1) * SKIP_ENTRY_BYTES;
    size_t offset = get_u32(entry + 8);
    if (offset < pg->words_at || offset >= pg->map_length)
        return; /* a broken table: the walk goes on */
    *w = (map_walk_t){pg->map + offset,   w->end, pg->n_total - low * SKIP_WORDS, get_u32(entry),
                      get_u32(entry + 4), 0};
}

/* The page with its map read (*pg, NULL on a failure). */
static vind_status_t mapped_page(vind_text_t *text, size_t page, page_t **pg, char **errmsg)
{
    *pg = NULL;
    if (!text || page >= text->n_pages)
        return vind_error(errmsg, VIND_INVALID_ARGUMENT, "no page %zu in this text", page);
    page_t *made = page_of(text, page);
    if (!made)
        return out_of_memory(text, errmsg);
    vind_status_t status = map_page(text, page, made, errmsg);
    if (status == VIND_OK)
        *pg = made;
    return status;
}

/* A map word's byte range: a map that says more than the page holds is
 * cut to the page. */
static void word_range(const page_t *pg, const map_word_t *word, size_t *start, size_t *end)
{
    uint64_t first = word->start, stop = first + word->size;
    *start = first < pg->length ? first : pg->length;
    *end = stop < pg->length ? stop : pg->length;
}

vind_status_t vind_text_place(vind_text_t *text, size_t page, unsigned position, size_t *start,
                              size_t *end, char **errmsg)
{
    *start = *end = 0;
    page_t *pg = NULL;
    vind_status_t status = mapped_page(text, page, &pg, errmsg);
    if (status != VIND_OK)
        return status;
    if (pg->skips) { /* the entry before it, and at most its words */
        map_walk_t walk = {pg->map + pg->words_at, pg->map + pg->map_length, pg->n_total, 0, 0, 0};
        map_word_t word;
        skip_to(pg, &walk, position);
        if (!next_word_at(&walk, position, &word) || word.position != position)
            return VIND_NOT_FOUND;
        word_range(pg, &word, start, end);
        return VIND_OK;
    }
    int nomem = 0;
    while ((pg->n_blocks == 0 || pg->blocks[pg->n_blocks - 1].last < position) &&
           walk_block(pg, &nomem))
        ;
    if (nomem)
        return out_of_memory(text, errmsg);
    size_t low = 0, high = pg->n_blocks; /* the first block that reaches position */
    while (low < high) {
        size_t mid = low + (high - low) / 2;
        if (pg->blocks[mid].last < position)
            low = mid + 1;
        else
            high = mid;
    }
    if (low == pg->n_blocks)
        return VIND_NOT_FOUND;
    map_word_t word;
    if (!find_in_block(pg, low, position, &word) || word.position != position)
        return VIND_NOT_FOUND;
    word_range(pg, &word, start, end);
    return VIND_OK;
}

vind_status_t vind_text_places(vind_text_t *text, size_t page, const unsigned *positions, size_t n,
                               size_t *starts, size_t *ends, char **errmsg)
{
    for (size_t i = 0; i < n; i++)
        starts[i] = ends[i] = SIZE_MAX;
    page_t *pg = NULL;
    vind_status_t status = mapped_page(text, page, &pg, errmsg);
    if (status != VIND_OK || !pg->map)
        return status;
    map_walk_t walk = {pg->map + pg->words_at, pg->map + pg->map_length, pg->n_total, 0, 0, 0};
    map_word_t word = {0, 0, 0};
    int have = 0; /* word is the first at or after the positions so far */
    for (size_t i = 0; i < n; i++) {
        if (!(have && word.position >= positions[i])) {
            skip_to(pg, &walk, positions[i]);
            if (!(have = next_word_at(&walk, positions[i], &word)))
                break; /* the map ends before it: none of the rest is there */
        }
        if (word.position != positions[i])
            continue;
        word_range(pg, &word, &starts[i], &ends[i]);
    }
    return VIND_OK;
}

vind_status_t vind_text_read_pages(vind_xapian_reader_t *reader, uint32_t docid, size_t n_pages,
                                   char ***pages_out, char **errmsg)
{
    *pages_out = NULL;
    char **pages = calloc(n_pages + 1, sizeof *pages);
    vind_text_t *text = vind_text_open(reader, docid, n_pages);
    if (!pages || !text) {
        free(pages);
        vind_text_close(text);
        return vind_error(errmsg, VIND_NOMEM, "out of memory reading the text of document %u",
                          docid);
    }
    vind_status_t status = VIND_OK;
    for (size_t p = 0; status == VIND_OK && p < n_pages; p++) {
        const char *bytes = NULL;
        status = vind_text_range(text, p, 0, SIZE_MAX, &bytes, errmsg);
        if (status == VIND_OK && !(pages[p] = strdup(bytes)))
            status = vind_error(errmsg, VIND_NOMEM, "out of memory reading document %u", docid);
    }
    vind_text_close(text);
    if (status != VIND_OK) {
        for (size_t p = 0; p < n_pages; p++)
            free(pages[p]);
        free(pages);
        return status;
    }
    *pages_out = pages;
    return VIND_OK;
}
