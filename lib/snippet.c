/*
 * snippet.c - the words of a stored text that a query matched, and the best
 * passage(s) of it with those words marked, HTML-escaped, with the PDF pages
 * they come from.
 *
 * A match is what the analyzer says (the same stems and compound parts as
 * the index), so "bewoners" is marked for the query "bewoner", "Cliënten"
 * for "clienten" and "verpleeghuiszorg" for "zorg". Running the analyzer
 * costs ~7 ms per 50 kB, and snippets are made for every hit of a results
 * page, while a PDF's text can be 300 pages (the corpus's Duidingsrapportage
 * is 330 kB). So a long text is first scanned cheaply for candidate places:
 * the query's stems (and their plural spellings, "huis" -> "huiz" of
 * "huizen") are looked up as plain bytes in a lower-cased, diacritic-folded
 * copy of each page, and only a few regions around the densest candidates
 * are analysed. Short texts (a news article) are analysed whole.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h> /* 16 ASCII bytes a test (ascii_16) */
#endif

#include <glib.h>

#include "error.h"
#include "lexicon.h"
#include "snippet.h"

/* Texts up to this size are analysed whole (~2 ms): exact for every article
 * of the corpus, whatever form a match takes. */
#define FULL_ANALYSIS_BYTES (16u * 1024u)
/* When no candidate place turns up in a long text (a match only the lexicon
 * sees, "liep" for "lopen"), this much of its start is analysed. */
#define FALLBACK_ANALYSIS_BYTES (32u * 1024u)
/* Regions analysed around candidate places: first the densest, then ones
 * holding a query word not yet confirmed, up to the total. */
#define FIRST_REGIONS 4u
#define MAX_REGIONS 12u
/* Candidate places kept per probe and in all: "zorg" occurs ~2,000 times in
 * the longest PDF; more places would not change the best one. */
#define MAX_OCCURRENCES_PER_PROBE 4000u
#define MAX_OCCURRENCES 20000u
/* The places and matches a snippet's arrays have room for from the start:
 * a query word's places in a document (MAX_POSITIONS a term in
 * lib/stored.c) grew them from nothing by doubling, a realloc every few
 * places. */
#define PLACES_ROOM 256u
/* Probe look-ups per text: a 64-word query still costs one pass per probe. */
#define MAX_PROBES 48u
/* Items of a snippet's small arrays kept on the stack (a query's words,
 * a document's pages, a page's places): a malloc and a free cost ~150
 * instructions, and a snippet made six of them (~8 M instructions of the
 * 1,000 bench requests). Larger ones are malloc'd (small_array). */
#define SMALL_ITEMS 64u
/* Bounds on the asked snippet length, in characters. */
#define MIN_TARGET_CHARS 40u
#define MAX_TARGET_CHARS 4000u
/* The shortest passage when two share the target length. */
#define MIN_PASSAGE_CHARS 60u
/* How far a cut looks for white space before it cuts a word (a 1 MB "word"
 * of base64 must not make it scan the whole text). */
#define MAX_BOUNDARY_SCAN 64u

/* ---- match terms ---- */

struct vind_match_terms {
    GHashTable *stems;    /* stem -> term id + 1 */
    GPtrArray *stem_list; /* the stems in the order added (probes) */
    GPtrArray *prefixes;  /* normalised form prefixes */
    GArray *prefix_ids;   /* their term ids */
    unsigned n_terms;
};

vind_match_terms_t *vind_match_terms_new(void)
{
    vind_match_terms_t *terms = calloc(1, sizeof *terms);
    if (!terms)
        return NULL;
    terms->stems = g_hash_table_new(g_str_hash, g_str_equal);
    terms->stem_list = g_ptr_array_new_with_free_func(g_free);
    terms->prefixes = g_ptr_array_new_with_free_func(g_free);
    terms->prefix_ids = g_array_new(FALSE, FALSE, sizeof(unsigned));
    return terms;
}

void vind_match_terms_free(vind_match_terms_t *terms)
{
    if (!terms)
        return;
    g_hash_table_destroy(terms->stems);
    g_ptr_array_free(terms->stem_list, TRUE);
    g_ptr_array_free(terms->prefixes, TRUE);
    g_array_free(terms->prefix_ids, TRUE);
    free(terms);
}

void vind_match_terms_add_stem(vind_match_terms_t *terms, const char *stem)
{
    if (!terms || !stem || !*stem || g_hash_table_contains(terms->stems, stem))
        return;
    char *copy = g_strdup(stem);
    g_ptr_array_add(terms->stem_list, copy);
    g_hash_table_insert(terms->stems, copy, GUINT_TO_POINTER(terms->n_terms + 1));
    terms->n_terms++;
}

void vind_match_terms_add_alias(vind_match_terms_t *terms, const char *stem, const char *of_stem)
{
    if (!terms || !stem || !*stem || g_hash_table_contains(terms->stems, stem))
        return;
    gpointer id = of_stem ? g_hash_table_lookup(terms->stems, of_stem) : NULL;
    if (!id) {
        vind_match_terms_add_stem(terms, stem);
        return;
    }
    char *copy = g_strdup(stem);
    g_ptr_array_add(terms->stem_list, copy);
    g_hash_table_insert(terms->stems, copy, id);
}

vind_match_terms_t *vind_match_terms_copy(const vind_match_terms_t *terms)
{
    vind_match_terms_t *copy = vind_match_terms_new();
    if (!copy || !terms)
        return copy;
    for (guint i = 0; i < terms->stem_list->len; i++) {
        const char *stem = g_ptr_array_index(terms->stem_list, i);
        char *mine = g_strdup(stem);
        g_ptr_array_add(copy->stem_list, mine);
        g_hash_table_insert(copy->stems, mine, g_hash_table_lookup(terms->stems, stem));
    }
    for (guint i = 0; i < terms->prefixes->len; i++) {
        g_ptr_array_add(copy->prefixes, g_strdup(g_ptr_array_index(terms->prefixes, i)));
        g_array_append_val(copy->prefix_ids, g_array_index(terms->prefix_ids, unsigned, i));
    }
    copy->n_terms = terms->n_terms;
    return copy;
}

void vind_match_terms_add_prefix(vind_match_terms_t *terms, const char *form_prefix)
{
    if (!terms || !form_prefix || !*form_prefix)
        return;
    for (guint i = 0; i < terms->prefixes->len; i++)
        if (strcmp(g_ptr_array_index(terms->prefixes, i), form_prefix) == 0)
            return;
    g_ptr_array_add(terms->prefixes, g_strdup(form_prefix));
    g_array_append_val(terms->prefix_ids, terms->n_terms);
    terms->n_terms++;
}

/* The id of the first term the token matches, or -1. */
static int term_of(const vind_match_terms_t *terms, const vind_token_t *token)
{
    /* no stems (a prefix query): no hash of each word of a region to look
     * up in an empty table */
    if (g_hash_table_size(terms->stems) > 0) {
        gpointer id = g_hash_table_lookup(terms->stems, token->stem);
        if (id)
            return (int)GPOINTER_TO_UINT(id) - 1;
        for (const char *const *extra = token->extra; extra && *extra; extra++)
            if ((id = g_hash_table_lookup(terms->stems, *extra)))
                return (int)GPOINTER_TO_UINT(id) - 1;
    }
    for (guint i = 0; i < terms->prefixes->len; i++)
        if (g_str_has_prefix(token->form, g_ptr_array_index(terms->prefixes, i)))
            return (int)g_array_index(terms->prefix_ids, unsigned, i);
    return -1;
}

int vind_match_terms_match(const vind_match_terms_t *terms, const vind_token_t *token)
{
    return terms && token && term_of(terms, token) >= 0;
}

int vind_match_terms_empty(const vind_match_terms_t *terms)
{
    return !terms || terms->n_terms == 0;
}

size_t vind_match_terms_stems(const vind_match_terms_t *terms)
{
    return terms ? terms->stem_list->len : 0;
}

const char *vind_match_terms_stem(const vind_match_terms_t *terms, size_t i, unsigned *id)
{
    const char *stem = g_ptr_array_index(terms->stem_list, i);
    *id = GPOINTER_TO_UINT(g_hash_table_lookup(terms->stems, stem)) - 1;
    return stem;
}

size_t vind_match_terms_prefixes(const vind_match_terms_t *terms)
{
    return terms ? terms->prefixes->len : 0;
}

const char *vind_match_terms_prefix(const vind_match_terms_t *terms, size_t i, unsigned *id)
{
    *id = g_array_index(terms->prefix_ids, unsigned, i);
    return g_ptr_array_index(terms->prefixes, i);
}

/* bytes of room: the stack's (stack_bytes of it) when they fit, else
 * malloc's (NULL on NOMEM); small_free frees the latter. */
static void *small_array(void *stack, size_t stack_bytes, size_t bytes)
{
    return bytes <= stack_bytes ? stack : malloc(bytes);
}

static void small_free(void *array, const void *stack)
{
    if (array != stack)
        free(array);
}

/* ---- UTF-8 and white space ---- */

static int is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' || c == 0;
}

static int is_continuation(unsigned char c)
{
    return (c & 0xC0) == 0x80;
}

/* Start of the character after position (invalid bytes count as one). */
static size_t next_char(const char *text, size_t length, size_t position)
{
    if (position >= length)
        return length;
    position++;
    for (unsigned n = 0;
         n < 3 && position < length && is_continuation((unsigned char)text[position]); n++)
        position++;
    return position;
}

static size_t previous_char(const char *text, size_t position)
{
    if (position == 0)
        return 0;
    position--;
    for (unsigned n = 0; n < 3 && position > 0 && is_continuation((unsigned char)text[position]);
         n++)
        position--;
    return position;
}

/* Whether the 8 bytes at p are all ASCII (no lead or continuation byte). */
static inline int ascii_8(const char *p)
{
    uint64_t eight;
    memcpy(&eight, p, 8);
    return !(eight & 0x8080808080808080u);
}

/* The same for 16 bytes (two ascii_8 tests). */
static inline int ascii_16(const char *p)
{
#ifdef __SSE2__
    return !_mm_movemask_epi8(_mm_loadu_si128((const __m128i *)p));
#else
    return ascii_8(p) && ascii_8(p + 8);
#endif
}

/*
 * Moves forward *n characters from position, as *n next_char(text, length,
 * ...) steps taken while the position is before stop; *n is left with the
 * steps not taken. Cost: under 1 instruction a character of ASCII text, 16
 * or 8 at a time (a step is 8 ASCII bytes when the 8 bytes after the
 * position are ASCII: none is a continuation byte; 16 at once saved 1.2 M
 * of the 1,000 bench requests); next_char a character at a time was
 * ~10, and passages are placed and measured by stepping ~200 characters
 * (~25 M instructions of the 1,000 bench requests, callgrind).
 */
static size_t forward_chars(const char *text, size_t length, size_t stop, size_t position,
                            size_t *n)
{
    size_t bound = stop < length ? stop : length;
    while (*n > 0 && position < stop) {
        /* two steps of 8 at once: ~6 instructions for 16 characters */
        if (*n >= 16 && position + 16 < bound && ascii_16(text + position + 1)) {
            position += 16;
            *n -= 16;
            continue;
        }
        if (*n >= 8 && position + 8 < bound && ascii_8(text + position + 1)) {
            position += 8;
            *n -= 8;
            continue;
        }
        position = next_char(text, length, position);
        (*n)--;
    }
    return position;
}

/* Moves back *n characters from position, as *n previous_char steps taken
 * while the position is after 0; *n is left with the steps not taken. 8
 * ASCII bytes before the position are 8 steps (see forward_chars). */
static size_t backward_chars(const char *text, size_t position, size_t *n)
{
    while (*n > 0 && position > 0) {
        if (*n >= 8 && position >= 8 && ascii_8(text + position - 8)) {
            position -= 8;
            *n -= 8;
            continue;
        }
        position = previous_char(text, position);
        (*n)--;
    }
    return position;
}

static size_t count_chars(const char *text, size_t start, size_t end)
{
    size_t left = SIZE_MAX;
    forward_chars(text, end, end, start, &left);
    return SIZE_MAX - left;
}

/* Whether a cut at position falls between words. */
static int is_boundary(const char *text, size_t length, size_t position)
{
    return position == 0 || position >= length || is_space((unsigned char)text[position - 1]) ||
           is_space((unsigned char)text[position]);
}

/* Moves a passage start to the start of a word: back to the word's start
 * (a little more context), else forward (never past limit, the first
 * match); a word too long to scan ("GraphQL-client" is not; base64 is) is
 * cut at a character boundary. Leading white space is skipped. */
static size_t snap_start(const char *text, size_t length, size_t position, size_t limit)
{
    size_t p = position;
    for (unsigned n = 0; p > 0 && n < MAX_BOUNDARY_SCAN && !is_boundary(text, length, p); n++)
        p--;
    if (!is_boundary(text, length, p)) {
        p = position;
        for (unsigned n = 0; p < limit && n < MAX_BOUNDARY_SCAN && !is_boundary(text, length, p);
             n++)
            p++;
        if (!is_boundary(text, length, p))
            p = position;
    }
    while (p < limit && is_continuation((unsigned char)text[p]))
        p++;
    while (p < limit && is_space((unsigned char)text[p]))
        p++;
    return p;
}

/* Moves a passage end to the end of a word: forward to finish the word,
 * else back (never before limit, the end of the last match). Trailing white
 * space is dropped. */
static size_t snap_end(const char *text, size_t length, size_t position, size_t limit)
{
    size_t p = position;
    for (unsigned n = 0; p < length && n < MAX_BOUNDARY_SCAN && !is_boundary(text, length, p); n++)
        p++;
    if (!is_boundary(text, length, p)) {
        p = position;
        for (unsigned n = 0; p > limit && n < MAX_BOUNDARY_SCAN && !is_boundary(text, length, p);
             n++)
            p--;
        if (!is_boundary(text, length, p))
            p = position;
    }
    while (p > limit && p < length && is_continuation((unsigned char)text[p]))
        p--;
    while (p > limit && is_space((unsigned char)text[p - 1]))
        p--;
    return p;
}

/* Widens [*start, *end) outward to word boundaries (for analysis regions). */
static void widen_to_words(const char *text, size_t length, size_t *start, size_t *end)
{
    for (unsigned n = 0; *start > 0 && n < MAX_BOUNDARY_SCAN; n++) {
        if (is_boundary(text, length, *start))
            break;
        (*start)--;
    }
    while (*start > 0 && is_continuation((unsigned char)text[*start]))
        (*start)--;
    for (unsigned n = 0; *end < length && n < MAX_BOUNDARY_SCAN; n++) {
        if (is_boundary(text, length, *end))
            break;
        (*end)++;
    }
    while (*end < length && is_continuation((unsigned char)text[*end]))
        (*end)++;
}

/* ---- HTML escaping ---- */

/* Whether an ASCII byte is copied to a snippet as it is: printable, no
 * HTML special character, and no space when spaces collapse; as a table
 * (PLAIN_KEPT: plain when spaces are kept, PLAIN_COLLAPSED: when they
 * collapse), a load and a test a byte where the comparisons cost ~8
 * instructions a byte of every snippet. */
#define PLAIN_KEPT 1u
#define PLAIN_COLLAPSED 2u
#define PLAIN_BYTE(c)                                                                             \
    ((c) > 0x20 && (c) < 0x7F && (c) != '&' && (c) != '<' && (c) != '>' && (c) != '"' &&          \
             (c) != '\''                                                                          \
         ? PLAIN_KEPT | PLAIN_COLLAPSED                                                           \
         : (c) == ' ' ? PLAIN_KEPT : 0u)
#define PLAIN_4(c) PLAIN_BYTE(c), PLAIN_BYTE((c) + 1), PLAIN_BYTE((c) + 2), PLAIN_BYTE((c) + 3)
#define PLAIN_16(c) PLAIN_4(c), PLAIN_4((c) + 4), PLAIN_4((c) + 8), PLAIN_4((c) + 12)
#define PLAIN_64(c) PLAIN_16(c), PLAIN_16((c) + 16), PLAIN_16((c) + 32), PLAIN_16((c) + 48)
static const unsigned char plain_bytes[256] = {PLAIN_64(0), PLAIN_64(64), PLAIN_64(128),
                                               PLAIN_64(192)};

static inline int is_plain(unsigned char c, unsigned plain_mask)
{
    return plain_bytes[c] & plain_mask;
}

#ifdef __SSE2__
/* The bytes of the 16 at p that are plain under plain_mask (is_plain), one
 * bit each: printable ASCII (a space too when spaces are kept; a byte of
 * 0x80 or more is negative as a signed char) but no HTML special. */
static inline unsigned plain_16(const char *p, unsigned plain_mask)
{
    const __m128i v = _mm_loadu_si128((const __m128i *)p);
    const __m128i printable =
        _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8(plain_mask == PLAIN_KEPT ? 0x1F : 0x20)),
                      _mm_cmplt_epi8(v, _mm_set1_epi8(0x7F)));
    const __m128i special = _mm_or_si128(
        _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('&')), _mm_cmpeq_epi8(v, _mm_set1_epi8('<'))),
        _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('>')),
                     _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')),
                                  _mm_cmpeq_epi8(v, _mm_set1_epi8('\'')))));
    return (unsigned)_mm_movemask_epi8(_mm_andnot_si128(special, printable));
}

/* The spaces of the 16 bytes at p, one bit each. */
static inline unsigned spaces_16(const char *p)
{
    return (unsigned)_mm_movemask_epi8(
        _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)p), _mm_set1_epi8(' ')));
}
#endif

/*
 * Where a run of bytes copied as they are, starting at p, ends: plain
 * bytes, and when spaces collapse a single space before a plain byte (one
 * space between words stays one space). 16 bytes a test while all of them
 * are in the run (~25 instructions), then four and one at a time: the run
 * was ~3 instructions a byte, 14.5 M of the ~2 MB of the snippets of the
 * 1,000 bench requests (callgrind), where a run is a passage's text between
 * its marks.
 */
static inline const char *plain_run_end(const char *p, const char *end, int collapse,
                                        unsigned plain)
{
    for (;;) {
#ifdef __SSE2__
        /* p[16] is looked at for a space at p[15] */
        while (end - p >= 17) {
            unsigned in_run = plain_16(p, plain);
            if (collapse)
                in_run |= spaces_16(p) & plain_16(p + 1, plain);
            if (in_run != 0xFFFFu)
                break;
            p += 16;
        }
#endif
        /* four bytes a test while they are all plain (~3 instructions a
         * byte, ~5 one at a time; eight a test first cost more: a word is
         * ~7 bytes) */
        while (end - p >= 4 &&
               (plain_bytes[(unsigned char)p[0]] & plain_bytes[(unsigned char)p[1]] &
                plain_bytes[(unsigned char)p[2]] & plain_bytes[(unsigned char)p[3]] & plain))
            p += 4;
        while (p < end && is_plain((unsigned char)*p, plain))
            p++;
        if (!(collapse && end - p >= 2 && p[0] == ' ' && (unsigned char)p[1] > 0x20 &&
              is_plain((unsigned char)p[1], plain)))
            return p;
        p++;
    }
}

/* Appends n bytes to out: in place while out has room (GString's fields
 * are public; this is what GLib's own g_string_append_c does inline), else
 * through g_string_append_len. A snippet makes ~15 appends of a few bytes
 * (runs of plain text, marks, entities): the call and its checks were ~45
 * instructions each. */
static inline void append_bytes(GString *out, const char *bytes, size_t n)
{
    if (out->len + n < out->allocated_len) {
        memcpy(out->str + out->len, bytes, n);
        out->len += n;
        out->str[out->len] = '\0';
    } else
        g_string_append_len(out, bytes, (gssize)n);
}

#define APPEND_LITERAL(out, literal) append_bytes((out), (literal), sizeof(literal) - 1)

/*
 * Appends len bytes of text, HTML-escaped. collapse: every run of white
 * space (and control characters, NULs, line breaks of PDF text) becomes one
 * space; *pending_space carries a run across calls. Invalid UTF-8 becomes
 * U+FFFD; soft hyphens and zero-width spaces (PDF text is full of them:
 * "verpleeg\u00ADhuis") are dropped.
 */
static void append_escaped(GString *out, const char *text, size_t len, int collapse,
                           int *pending_space)
{
    const char *p = text, *end = text + len;
    const unsigned plain = collapse ? PLAIN_COLLAPSED : PLAIN_KEPT;
    while (p < end) {
        unsigned char c = (unsigned char)*p;
        if (c < 0x80) {
            if (c < 0x20 || c == 0x7F || (collapse && c == ' ')) {
                if (collapse || (c != '\n' && c != '\t' && c != '\r')) {
                    if (collapse)
                        *pending_space = 1;
                    else
                        g_string_append_c(out, ' ');
                } else
                    g_string_append_c(out, (char)c);
                p++;
                continue;
            }
            if (collapse && *pending_space) {
                if (out->len)
                    g_string_append_c(out, ' ');
                *pending_space = 0;
            }
            if (is_plain(c, plain)) {
                /* a run of bytes copied as they are, single spaces
                 * between words included: one append (a byte at a time
                 * cost ~35 instructions a byte of a snippet) */
                const char *run = p;
                p = plain_run_end(p, end, collapse, plain);
                append_bytes(out, run, (size_t)(p - run));
                continue;
            }
            switch (c) {
            case '&':
                APPEND_LITERAL(out, "&amp;");
                break;
            case '<':
                APPEND_LITERAL(out, "&lt;");
                break;
            case '>':
                APPEND_LITERAL(out, "&gt;");
                break;
            case '"':
                APPEND_LITERAL(out, "&quot;");
                break;
            case '\'':
                APPEND_LITERAL(out, "&#39;");
                break;
            default:
                g_string_append_c(out, (char)c);
            }
            p++;
            continue;
        }
        gunichar ch = g_utf8_get_char_validated(p, end - p);
        if (ch == (gunichar)-1 || ch == (gunichar)-2) {
            ch = 0xFFFD;
            p++;
        } else
            p = g_utf8_next_char(p);
        if (ch == 0xAD || ch == 0x200B || ch == 0x200C || ch == 0x200D || ch == 0xFEFF)
            continue;
        if (collapse && (g_unichar_isspace(ch) || ch == 0x85)) {
            *pending_space = 1;
            continue;
        }
        if (collapse && *pending_space) {
            if (out->len)
                g_string_append_c(out, ' ');
            *pending_space = 0;
        }
        g_string_append_unichar(out, ch);
    }
}

char *vind_html_escape(const char *text, size_t len)
{
    if (!text)
        len = 0;
    GString *out = g_string_sized_new(len + len / 8 + 1);
    int pending = 0;
    append_escaped(out, text ? text : "", len, 0, &pending);
    char *result = strdup(out->str);
    g_string_free(out, TRUE);
    return result;
}

/* ---- matches ---- */

/*
 * Defines list_t, an array of item_t appended inline (add: 0 on NOMEM, the
 * list as it was), empty when zeroed; free its items. A GArray's
 * g_array_append_val was a call and a copy by size, ~70 instructions an
 * item (the places and matches of the 1,000 bench requests: ~130,000),
 * and a GArray two allocations.
 */
#define DEFINE_LIST(list_t, item_t, add)                                                           \
    typedef struct {                                                                               \
        item_t *items;                                                                             \
        size_t len, room;                                                                          \
    } list_t;                                                                                      \
    static inline int add(list_t *list, item_t item)                                               \
    {                                                                                              \
        if (list->len == list->room) {                                                             \
            size_t room = list->room ? 2 * list->room : PLACES_ROOM;                               \
            item_t *items = realloc(list->items, room * sizeof *items);                            \
            if (!items)                                                                            \
                return 0;                                                                          \
            list->items = items;                                                                   \
            list->room = room;                                                                     \
        }                                                                                          \
        list->items[list->len++] = item;                                                           \
        return 1;                                                                                  \
    }

/* A word of the text that matched: byte range in its page, and the term. */
typedef struct {
    size_t page;
    size_t start, end;
    unsigned term;
} hit_t;

DEFINE_LIST(hits_t, hit_t, hits_add)

typedef struct {
    vind_analyzer_t *analyzer;
    vind_lang_t lang;
    const vind_snippet_source_t *source;
    size_t n_pages;
    size_t *lengths; /* per page, SIZE_MAX until asked */
    const vind_match_terms_t *terms;
    size_t target; /* characters */
    hits_t hits;   /* in text order per analysed region */
    vind_status_t status; /* the first failure reading text: the snippet's status */
    uint64_t analysed;    /* bytes given to the analyzer */
    int placed; /* hits holds every match of the text (every place located): marks come from it */
    int prefix_places; /* the places hold every match of the prefixes too (all_forms) */
    GArray *spans; /* region_t: regions whose every match is in hits (a long text's); NULL: none */
    size_t *located; /* a long text's places: per occurrence its start and end, once located */
    char **errmsg;
} job_t;

/* Bytes read around a range so that a cut or a boundary scan (at most
 * MAX_BOUNDARY_SCAN bytes) never looks at text not read. */
#define SCAN_SLACK (MAX_BOUNDARY_SCAN + 4u)

static void job_failed(job_t *job, vind_status_t status)
{
    if (job->status == VIND_OK)
        job->status = status;
}

/* The errmsg for a read: only the first failure is reported. */
static char **read_errmsg(job_t *job)
{
    return job->status == VIND_OK ? job->errmsg : NULL;
}

/* Appends a match; on NOMEM the snippet fails (job->status). */
static void add_hit(job_t *job, hit_t hit)
{
    if (!hits_add(&job->hits, hit))
        job_failed(job, vind_error(read_errmsg(job), VIND_NOMEM, "out of memory making a snippet"));
}

static size_t page_length(job_t *job, size_t page)
{
    if (job->lengths[page] == SIZE_MAX) {
        size_t length = 0;
        vind_status_t status =
            job->source->length(job->source->rock, page, &length, read_errmsg(job));
        if (status != VIND_OK)
            job_failed(job, status);
        job->lengths[page] = length;
    }
    return job->lengths[page];
}

/* Whether every word of the page has a place (the source says so). */
static int page_complete(job_t *job, size_t page)
{
    return job->source->complete && job->source->complete(job->source->rock, page);
}

/* The page's text with at least [start, end) read (with SCAN_SLACK bytes on
 * both sides); unread bytes are NUL, which reads as white space. Cost: the
 * source's chunks not read before (the text store, lib/textstore.h). */
static const char *page_range(job_t *job, size_t page, size_t start, size_t end)
{
    const char *text = "";
    size_t length = page_length(job, page);
    start = start > SCAN_SLACK ? start - SCAN_SLACK : 0;
    end = end < length - (length < SCAN_SLACK ? length : SCAN_SLACK) ? end + SCAN_SLACK : length;
    vind_status_t status =
        job->source->text(job->source->rock, page, start, end, &text, read_errmsg(job));
    if (status != VIND_OK)
        job_failed(job, status);
    return text ? text : "";
}

/* The tokens of len bytes of text for matching: with no stem among the terms
 * (a `voor*` query) a token matches by its form alone, so the word analysis
 * (lexicon, stemmer, compound parts) is skipped: the same matches, for about
 * half the instructions (the analysis of a prefix query's regions and
 * passages was ~230 M instructions of the 1,000 bench requests, callgrind). */
static vind_status_t analyse_for_terms(job_t *job, const char *text, size_t len,
                                       vind_tokens_t **tokens)
{
    if (vind_match_terms_stems(job->terms) == 0)
        return vind_analyze_forms(job->analyzer, text, len, job->lang, tokens, job->errmsg);
    return vind_analyze(job->analyzer, text, len, job->lang, tokens, job->errmsg);
}

/* Analyses bytes [start, end) of a page and records the words that match. */
static vind_status_t analyse_region(job_t *job, size_t page, size_t start, size_t end)
{
    if (end <= start)
        return VIND_OK;
    vind_tokens_t *tokens = NULL;
    const char *text = page_range(job, page, start, end);
    job->analysed += end - start;
    vind_status_t status = analyse_for_terms(job, text + start, end - start, &tokens);
    if (status != VIND_OK)
        return status;
    size_t n = vind_tokens_count(tokens);
    for (size_t i = 0; i < n; i++) {
        const vind_token_t *token = vind_tokens_get(tokens, i);
        int term = term_of(job->terms, token);
        if (term < 0)
            continue;
        hit_t hit = {page, start + token->start, start + token->end, (unsigned)term};
        add_hit(job, hit);
    }
    vind_tokens_free(tokens);
    return VIND_OK;
}

/* ---- cheap candidate scan for long texts ---- */

/* Latin-1 letters (the second byte of C3 xx) folded as the analyzer folds
 * them; "" where the character is not a letter. */
static const char *const latin1_fold[64] = {
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
    "d", "n", "o", "o", "o", "o", "o",  "",  "o", "u", "u", "u", "u", "y", "",  "ss",
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
    "d", "n", "o", "o", "o", "o", "o",  "",  "o", "u", "u", "u", "u", "y", "",  "y",
};

/* The f-ligatures of U+FB00..U+FB06 (PDF text layers use them: "ofﬁcieel"). */
static const char *const ligature_fold[7] = {"ff", "fi", "fl", "ffi", "ffl", "st", "st"};

typedef struct {
    char *bytes;      /* folded page: ASCII lower case, Latin-1 diacritics dropped */
    uint32_t *origin; /* byte offset in the page of each folded byte */
    size_t length, room;
} folded_t;

static void folded_put(folded_t *f, const char *s, size_t origin)
{
    for (; *s; s++) {
        f->bytes[f->length] = *s;
        f->origin[f->length] = (uint32_t)origin;
        f->length++;
    }
}

/* Folds a page; 0 on NOMEM. Pages of 4 GB and more are not folded (they
 * cannot come from vind_analyze's 64 MB bound anyway). */
static int fold_page(folded_t *f, const char *text, size_t length)
{
    /* "ß" -> "ss" and ligatures grow: at most 3 bytes out per byte in. */
    size_t need = length * 3 / 2 + 4;
    if (length >= UINT32_MAX)
        return 0;
    if (need > f->room) {
        char *bytes = realloc(f->bytes, need);
        if (bytes)
            f->bytes = bytes;
        uint32_t *origin = realloc(f->origin, need * sizeof *origin);
        if (origin)
            f->origin = origin;
        if (!bytes || !origin)
            return 0;
        f->room = need;
    }
    f->length = 0;
    const unsigned char *t = (const unsigned char *)text;
    for (size_t i = 0; i < length;) {
        unsigned char c = t[i];
        char one[2] = {0, 0};
        if (c < 0x80) {
            one[0] = (char)g_ascii_tolower((char)c);
            folded_put(f, one, i);
            i++;
        } else if (c == 0xC3 && i + 1 < length && is_continuation(t[i + 1])) {
            folded_put(f, latin1_fold[t[i + 1] - 0x80], i);
            i += 2;
        } else if (c == 0xC2 && i + 1 < length && t[i + 1] == 0xAD) {
            i += 2; /* soft hyphen */
        } else if (c == 0xE2 && i + 2 < length && t[i + 1] == 0x80 && t[i + 2] >= 0x8B &&
                   t[i + 2] <= 0x8D) {
            i += 3; /* zero-width space and joiners */
        } else if (c == 0xEF && i + 2 < length && t[i + 1] == 0xAC && t[i + 2] <= 0x86) {
            folded_put(f, ligature_fold[t[i + 2] - 0x80], i);
            i += 3;
        } else {
            one[0] = (char)c;
            folded_put(f, one, i);
            i++;
        }
        if (f->length + 4 > f->room)
            break;
    }
    return 1;
}

typedef struct {
    char *text;
    unsigned term;
} probe_t;

static int is_vowel(char c)
{
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}

static void add_probe(GArray *probes, const char *text, unsigned term)
{
    if (strlen(text) < 2 || probes->len >= MAX_PROBES)
        return;
    for (guint i = 0; i < probes->len; i++)
        if (strcmp(g_array_index(probes, probe_t, i).text, text) == 0)
            return;
    probe_t probe = {g_strdup(text), term};
    g_array_append_val(probes, probe);
}

/*
 * The byte strings that announce a stem in folded text. The stem itself
 * almost always starts the word (Snowball cuts endings), but the lexicon
 * gives a plural the stem of its singular: "huizen" -> "huis", "brieven" ->
 * "brief", "jaren" -> "jaar". So also: final s -> z, f -> v, and the last
 * doubled vowel single.
 */
static void add_stem_probes(GArray *probes, const char *stem, unsigned term)
{
    add_probe(probes, stem, term);
    char *variant = g_strdup(stem);
    size_t n = strlen(variant);
    int changed = 0;
    if (n >= 3 && variant[n - 1] == 's')
        variant[n - 1] = 'z', changed = 1;
    else if (n >= 3 && variant[n - 1] == 'f')
        variant[n - 1] = 'v', changed = 1;
    if (changed)
        add_probe(probes, variant, term);
    for (size_t i = n; i >= 2; i--) {
        if (variant[i - 1] == variant[i - 2] && is_vowel(variant[i - 1]) && variant[i - 1] != 'i') {
            memmove(variant + i - 1, variant + i, n - i + 1);
            if (strlen(variant) >= 3)
                add_probe(probes, variant, term);
            break;
        }
    }
    g_free(variant);
}

typedef struct {
    size_t page;
    size_t offset; /* byte offset in the page; a word position for a source's places */
    unsigned term;
} occurrence_t;

DEFINE_LIST(occurrences_t, occurrence_t, occurrences_add)

/* Places of query words handed in by a source (vind_snippet_place). */
struct vind_snippet_places {
    occurrences_t *occurrences;
    unsigned n_terms;
    int cut; /* some places were left out (vind_snippet_places_cut, MAX_OCCURRENCES) */
    int all_forms; /* every form of a prefix has its places (vind_snippet_places_all_forms) */
};

/*
 * Defines name(items, n), a stable sort of n items of type by compare
 * (GLib's g_array_sort, used before, is stable too: the order is the same): nothing to
 * do when it is in order already, as the places of a one-word query are;
 * else a natural merge sort, its runs (each term's places come ascending)
 * merged pairwise, compare inlined. Cost: ~n log(runs) inlined
 * comparisons and copies; g_array_sort's merge sort called compare through
 * a pointer and copied elements by size, ~4,400 instructions a sort (11.7 M
 * of the 1,000 bench requests). On NOMEM, an insertion sort (stable too).
 */
#define DEFINE_RUN_SORT(name, type, compare)                                                       \
    static void name(type *a, size_t n)                                                            \
    {                                                                                              \
        size_t sorted = 1;                                                                         \
        while (sorted < n && compare(&a[sorted - 1], &a[sorted]) <= 0)                             \
            sorted++;                                                                              \
        if (sorted >= n)                                                                           \
            return;                                                                                \
        type *buffer = malloc(n * sizeof *buffer);                                                 \
        if (!buffer) {                                                                             \
            for (size_t i = 1; i < n; i++)                                                         \
                for (size_t j = i; j > 0 && compare(&a[j], &a[j - 1]) < 0; j--) {                  \
                    type swap = a[j];                                                              \
                    a[j] = a[j - 1];                                                               \
                    a[j - 1] = swap;                                                               \
                }                                                                                  \
            return;                                                                                \
        }                                                                                          \
        type *from = a, *to = buffer;                                                              \
        for (;;) {                                                                                 \
            size_t merges = 0;                                                                     \
            for (size_t lo = 0; lo < n; merges++) {                                                \
                size_t mid = lo + 1;                                                               \
                while (mid < n && compare(&from[mid - 1], &from[mid]) <= 0)                        \
                    mid++;                                                                         \
                size_t hi = mid < n ? mid + 1 : n;                                                 \
                while (hi < n && compare(&from[hi - 1], &from[hi]) <= 0)                           \
                    hi++;                                                                          \
                size_t i = lo, j = mid, k = lo;                                                    \
                while (i < mid && j < hi) /* a tie takes the left one: stable */                   \
                    to[k++] = compare(&from[j], &from[i]) < 0 ? from[j++] : from[i++];             \
                while (i < mid)                                                                    \
                    to[k++] = from[i++];                                                           \
                while (j < hi)                                                                     \
                    to[k++] = from[j++];                                                           \
                lo = hi;                                                                           \
            }                                                                                      \
            type *swap = from;                                                                     \
            from = to;                                                                             \
            to = swap;                                                                             \
            if (merges <= 1)                                                                       \
                break; /* one merge made the whole array one run */                                \
        }                                                                                          \
        if (from != a)                                                                             \
            memcpy(a, from, n * sizeof *a);                                                        \
        free(buffer);                                                                              \
    }

static int compare_occurrences(const void *a, const void *b)
{
    const occurrence_t *x = a, *y = b;
    if (x->page != y->page)
        return x->page < y->page ? -1 : 1;
    if (x->offset != y->offset)
        return x->offset < y->offset ? -1 : 1;
    return (x->term > y->term) - (x->term < y->term);
}

DEFINE_RUN_SORT(sort_occurrences, occurrence_t, compare_occurrences)

/* Occurrences by page and place only (a stable sort keeps the first named
 * of a word first). */
static int compare_occurrence_places(const void *a, const void *b)
{
    const occurrence_t *x = a, *y = b;
    if (x->page != y->page)
        return x->page < y->page ? -1 : 1;
    return (x->offset > y->offset) - (x->offset < y->offset);
}

DEFINE_RUN_SORT(sort_occurrence_places, occurrence_t, compare_occurrence_places)

/* Finds the probes in every page; 0 on NOMEM. */
static int find_occurrences(job_t *job, GArray *probes, occurrences_t *occurrences)
{
    folded_t folded = {0};
    int ok = 1;
    for (size_t page = 0; page < job->n_pages && ok; page++) {
        size_t length = page_length(job, page);
        if (length == 0)
            continue;
        const char *text = page_range(job, page, 0, length);
        if (!fold_page(&folded, text, length)) {
            ok = 0;
            break;
        }
        for (guint i = 0; ok && i < probes->len && occurrences->len < MAX_OCCURRENCES; i++) {
            probe_t *probe = &g_array_index(probes, probe_t, i);
            size_t probe_length = strlen(probe->text);
            const char *at = folded.bytes;
            const char *end = folded.bytes + folded.length;
            unsigned found = 0;
            while (found < MAX_OCCURRENCES_PER_PROBE && occurrences->len < MAX_OCCURRENCES &&
                   (at = memmem(at, (size_t)(end - at), probe->text, probe_length))) {
                occurrence_t occurrence = {page, folded.origin[at - folded.bytes], probe->term};
                if (!occurrences_add(occurrences, occurrence)) {
                    ok = 0;
                    break;
                }
                found++;
                at += probe_length;
            }
        }
    }
    free(folded.bytes);
    free(folded.origin);
    return ok;
}

/* A candidate region: the distinct terms, the pairs of different terms
 * close together (a phrase: "toelichting blijkt onvoldoende"), and all
 * places in target bytes from one occurrence on. */
typedef struct {
    size_t first, last; /* occurrence indexes, inclusive */
    unsigned distinct, near, count;
} anchor_t;

/* Two occurrences this close (starts, in bytes) may be neighbouring words. */
#define NEAR_BYTES 24u
/* The same in word positions (places from the index), and the bytes of a
 * word with its space in Dutch prose, to turn a window of target bytes into
 * positions. */
#define NEAR_POSITIONS 3u
#define WORD_BYTES 7u

static int compare_anchors(const void *a, const void *b)
{
    const anchor_t *x = a, *y = b;
    if (x->distinct != y->distinct)
        return x->distinct > y->distinct ? -1 : 1;
    if (x->near != y->near)
        return x->near > y->near ? -1 : 1;
    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    return (x->first > y->first) - (x->first < y->first);
}

/* Anchors are ordered by a 64-bit key of 16-bit fields when they fit (all
 * but a text of 65,536 places or a query of as many words): fewer
 * distinct, near and count order later, then the later first; first is an
 * anchor's own index (score_anchors), unique, so the order is
 * compare_anchors' whatever the method. */
#define ANCHOR_FIELD 0xFFFFu

/* The anchors in compare_anchors order, ranked as far as asked
 * (anchor_at): the regions take the first few (FIRST_REGIONS, then up to
 * MAX_REGIONS while a query word is unconfirmed) of one an occurrence. A
 * binary heap of the keys (made in a pass, a pop ~2 log n compares) ranks
 * only those; a merge sort of every key was ~5 M instructions of the 1,000
 * bench requests (~2,000 a long text's snippet), a qsort of them ~5,500,
 * of the 32-byte anchors ~12,000. */
typedef struct {
    const anchor_t *anchors; /* as scored */
    uint64_t *heap;          /* the keys not ranked yet, a min-heap of heap_n */
    size_t heap_n;
    anchor_t *ranked; /* the first n_ranked in order */
    size_t n, n_ranked;
} anchor_queue_t;

static void sift_down(uint64_t *heap, size_t n, size_t i)
{
    uint64_t key = heap[i];
    for (;;) {
        size_t child = 2 * i + 1;
        if (child >= n)
            break;
        if (child + 1 < n && heap[child + 1] < heap[child])
            child++;
        if (heap[child] >= key)
            break;
        heap[i] = heap[child];
        i = child;
    }
    heap[i] = key;
}

/* Ranks n anchors (score_anchors'); 0 on NOMEM. */
static int anchor_queue_init(anchor_queue_t *q, const anchor_t *anchors, size_t n,
                             unsigned n_terms)
{
    *q = (anchor_queue_t){.anchors = anchors, .n = n};
    q->ranked = malloc((n ? n : 1) * sizeof *q->ranked);
    if (!q->ranked)
        return 0;
    q->heap = n <= ANCHOR_FIELD && n_terms <= ANCHOR_FIELD ? malloc(n * sizeof *q->heap) : NULL;
    if (!q->heap) { /* too many for the keys' fields, or NOMEM: all at once */
        memcpy(q->ranked, anchors, n * sizeof *anchors);
        qsort(q->ranked, n, sizeof *q->ranked, compare_anchors);
        q->n_ranked = n;
        return 1;
    }
    for (size_t i = 0; i < n; i++)
        q->heap[i] = (uint64_t)(ANCHOR_FIELD - anchors[i].distinct) << 48 |
                     (uint64_t)(ANCHOR_FIELD - anchors[i].near) << 32 |
                     (uint64_t)(ANCHOR_FIELD - anchors[i].count) << 16 | anchors[i].first;
    q->heap_n = n;
    for (size_t i = n / 2; i-- > 0;)
        sift_down(q->heap, n, i);
    return 1;
}

/* The anchor of rank i (0: the densest), or NULL past the last. */
static const anchor_t *anchor_at(anchor_queue_t *q, size_t i)
{
    while (q->n_ranked <= i && q->heap_n > 0) {
        q->ranked[q->n_ranked++] = q->anchors[q->heap[0] & ANCHOR_FIELD];
        q->heap[0] = q->heap[--q->heap_n];
        sift_down(q->heap, q->heap_n, 0);
    }
    return i < q->n_ranked ? &q->ranked[i] : NULL;
}

static void anchor_queue_free(anchor_queue_t *q)
{
    free(q->heap);
    free(q->ranked);
}

typedef struct {
    size_t page, start, end;
} region_t;

static int regions_overlap(const GArray *regions, const region_t *candidate)
{
    for (guint i = 0; i < regions->len; i++) {
        const region_t *r = &g_array_index(regions, region_t, i);
        if (r->page == candidate->page && r->start < candidate->end && candidate->start < r->end)
            return 1;
    }
    return 0;
}

/* Sliding windows of target bytes over the sorted occurrences. */
static anchor_t *score_anchors(const occurrences_t *occurrences, unsigned n_terms, size_t target,
                               size_t near_distance)
{
    size_t n = occurrences->len;
    anchor_t *anchors = calloc(n, sizeof *anchors);
    unsigned *counts = calloc(n_terms ? n_terms : 1, sizeof *counts);
    if (!anchors || !counts) {
        free(anchors);
        free(counts);
        return NULL;
    }
    const occurrence_t *o = occurrences->items;
    size_t j = 0;
    unsigned distinct = 0;
    for (size_t i = 0; i < n; i++) {
        if (j < i)
            j = i;
        while (j < n && o[j].page == o[i].page && o[j].offset < o[i].offset + target) {
            if (counts[o[j].term]++ == 0)
                distinct++;
            j++;
        }
        unsigned near = 0;
        for (size_t k = i + 1; k < j; k++)
            if (o[k].term != o[k - 1].term && o[k].offset - o[k - 1].offset <= near_distance)
                near++;
        anchors[i] = (anchor_t){i, j - 1, distinct, near, (unsigned)(j - i)};
        if (--counts[o[i].term] == 0)
            distinct--;
    }
    free(counts);
    return anchors;
}

/* job->located: a place not located yet, and one the page map lacks. */
#define PLACE_UNKNOWN SIZE_MAX
#define PLACE_MISSING (SIZE_MAX - 1)

/* The byte range of the word at occurrence i of a long text's sorted
 * places (a word position), as the source's locate answers it (0, 0 when
 * VIND_NOT_FOUND): located once and kept in job->located. The regions of
 * a page each took its places from the page's first on (place_region),
 * and around an anchor (region_around): a locate each, ~350 instructions
 * (~25 M of the 1,000 bench requests, callgrind). */
static vind_status_t locate_occurrence(job_t *job, const occurrence_t *o, size_t i, size_t *start,
                                       size_t *end)
{
    size_t *kept = job->located ? &job->located[2 * i] : NULL;
    if (kept && kept[0] != PLACE_UNKNOWN) {
        int missing = kept[0] == PLACE_MISSING;
        *start = missing ? 0 : kept[0];
        *end = missing ? 0 : kept[1];
        return missing ? VIND_NOT_FOUND : VIND_OK;
    }
    *start = *end = 0;
    vind_status_t status = job->source->locate(job->source->rock, o[i].page, o[i].offset, start,
                                               end, read_errmsg(job));
    if (status == VIND_NOT_FOUND)
        *start = *end = 0;
    if (kept && (status == VIND_OK || status == VIND_NOT_FOUND)) {
        kept[0] = status == VIND_OK ? *start : PLACE_MISSING;
        kept[1] = *end;
    }
    return status;
}

static region_t region_around(job_t *job, const occurrence_t *o, size_t first, size_t last)
{
    size_t page = o[first].page;
    size_t length = page_length(job, page);
    size_t margin = job->target + job->target / 2;
    size_t from = o[first].offset, to = o[last].offset;
    if (job->source->places) {
        /* word positions: the byte ranges that hold them (the page map) */
        size_t ignored = 0;
        from = to = 0; /* a place the page map lacks: the page's start */
        vind_status_t status = locate_occurrence(job, o, first, &from, &ignored);
        if (status == VIND_OK || status == VIND_NOT_FOUND)
            status = locate_occurrence(job, o, last, &ignored, &to);
        if (status != VIND_OK && status != VIND_NOT_FOUND)
            job_failed(job, status);
    }
    size_t start = from > margin ? from - margin : 0;
    size_t end = to + margin < length ? to + margin : length;
    const char *text = page_range(job, page, start, end);
    widen_to_words(text, length, &start, &end);
    return (region_t){page, start, end};
}

/* Marks a query word confirmed (a match found), counting the words of
 * the query (below n_terms) newly confirmed into *n_confirmed. */
static void confirm(int *confirmed, unsigned n_terms, unsigned term, unsigned *n_confirmed)
{
    if (!confirmed[term] && term < n_terms)
        ++*n_confirmed;
    confirmed[term] = 1;
}

/* Whether the anchor's window holds an occurrence of a term not yet seen. */
static int anchor_has_missing(const anchor_t *anchor, const occurrence_t *o, const int *confirmed)
{
    for (size_t k = anchor->first; k <= anchor->last; k++)
        if (!confirmed[o[k].term])
            return 1;
    return 0;
}

/*
 * The matches of a region from a source's places: the words of the page's
 * places that lie inside it, each once (sorted places: the lowest term of a
 * word wins). The index's positions are the analyzer's words, so these are
 * the matches analysing the region finds, without analysing it: a region
 * cost ~0.4 M instructions of analysis (a long text's snippet analysed 4-12
 * of them: a quarter of all a search did), a place costs a binary search
 * in a page map decoded once.
 */
static vind_status_t place_region(job_t *job, const occurrences_t *occurrences, const region_t *r)
{
    const occurrence_t *o = occurrences->items;
    size_t n = occurrences->len, low = 0, high = n;
    while (low < high) { /* the page's first place */
        size_t mid = low + (high - low) / 2;
        if (o[mid].page < r->page)
            low = mid + 1;
        else
            high = mid;
    }
    size_t previous = SIZE_MAX;
    for (size_t i = low; i < n && o[i].page == r->page; i++) {
        size_t start = 0, end = 0;
        vind_status_t found = locate_occurrence(job, o, i, &start, &end);
        if (found == VIND_NOT_FOUND)
            continue;
        if (found != VIND_OK) {
            job_failed(job, found);
            break;
        }
        if (start >= r->end)
            break;
        if (start < r->start || end > r->end || start == previous)
            continue;
        previous = start;
        hit_t hit = {o[i].page, start, end, o[i].term};
        add_hit(job, hit);
    }
    return VIND_OK;
}

/* A region whose every match is in job->hits: a passage inside it is
 * marked from them (render_passage). */
static void add_span(job_t *job, const region_t *r)
{
    if (!job->spans)
        job->spans = g_array_new(FALSE, FALSE, sizeof(region_t));
    g_array_append_val(job->spans, *r);
}

/* Where a source's words go (prefix_words_of). */
typedef struct {
    hits_t *hits;
    size_t page;
    int nomem;
} word_sink_t;

static void add_prefix_word(void *to, size_t start, size_t end, unsigned term)
{
    word_sink_t *sink = to;
    if (!hits_add(sink->hits, (hit_t){sink->page, start, end, term}))
        sink->nomem = 1;
}

/* The matches of bytes [start, end) of a page for a query of prefixes
 * only whose places lack some forms, appended to hits in text order from
 * the source's words (prefix_words): the words analysing the bytes finds,
 * without analysing them. VIND_NOT_FOUND (hits as they were) when the
 * source cannot say: no such callback, stems among the terms, a page
 * without every word placed, a word the range cuts; the bytes are then
 * analysed. */
static vind_status_t prefix_words_of(job_t *job, size_t page, size_t start, size_t end,
                                     hits_t *hits)
{
    if (!job->source->prefix_words || job->terms->prefixes->len == 0 ||
        vind_match_terms_stems(job->terms) > 0 || !page_complete(job, page))
        return VIND_NOT_FOUND;
    size_t before = hits->len;
    word_sink_t sink = {hits, page, 0};
    vind_status_t status = job->source->prefix_words(job->source->rock, page, start, end,
                                                     job->terms, add_prefix_word, &sink,
                                                     read_errmsg(job));
    if (status == VIND_OK && sink.nomem)
        status = vind_error(read_errmsg(job), VIND_NOMEM, "out of memory making a snippet");
    if (status == VIND_NOT_FOUND)
        hits->len = before;
    return status;
}

/* A region's matches: from the places when the source has them all, else
 * by analysing it. A prefix's places can be those of only its first
 * MAX_PREFIX_TERMS forms (lib/stored.c): "voor*" would miss "voorstel"
 * where the analyser marks it, and choose another window; so a prefix's
 * region is analysed unless the source has every form's places (an
 * analysed region cost ~125,000 instructions, a prefix query's snippets
 * ~2 M: 18% of all snippets' instructions for 3.5% of the bench requests). */
static vind_status_t match_region(job_t *job, const occurrences_t *occurrences, const region_t *r,
                                  int cut)
{
    if (job->source->places && job->terms->prefixes->len > 0 && !job->prefix_places) {
        /* the region's every match, so a passage inside it is marked from them */
        vind_status_t status = prefix_words_of(job, r->page, r->start, r->end, &job->hits);
        if (status == VIND_OK)
            add_span(job, r);
        else if (status != VIND_NOT_FOUND)
            job_failed(job, status);
        if (status != VIND_NOT_FOUND)
            return VIND_OK;
    }
    if (!job->source->places || (job->terms->prefixes->len > 0 && !job->prefix_places))
        return analyse_region(job, r->page, r->start, r->end);
    /* Every place of the text taken (none cut off) and a page whose words
     * all have positions: the region's matches are complete, and a passage
     * inside it is marked from them (render_passage). */
    if (!cut && page_complete(job, r->page))
        add_span(job, r);
    return place_region(job, occurrences, r);
}

static vind_status_t match_regions(job_t *job, const occurrences_t *occurrences, GArray *regions,
                                   int cut)
{
    for (guint i = 0; i < regions->len; i++) {
        vind_status_t status =
            match_region(job, occurrences, &g_array_index(regions, region_t, i), cut);
        if (status != VIND_OK)
            return status;
    }
    return VIND_OK;
}

/* Analyses the start of the text up to the fallback budget. */
static vind_status_t analyse_start(job_t *job, size_t budget)
{
    for (size_t page = 0; page < job->n_pages && budget > 0; page++) {
        size_t length = page_length(job, page);
        const char *text = page_range(job, page, 0, length < budget ? length : budget);
        size_t end = length;
        if (end > budget) {
            end = snap_end(text, length, budget, 0);
            if (end == 0)
                end = budget;
            widen_to_words(text, length, &(size_t){0}, &end);
        }
        vind_status_t status = analyse_region(job, page, 0, end);
        if (status != VIND_OK)
            return status;
        budget -= end < budget ? end : budget;
    }
    return VIND_OK;
}

static vind_status_t scan_long_text(job_t *job)
{
    GArray *probes = g_array_new(FALSE, FALSE, sizeof(probe_t));
    occurrences_t list = {0}, *occurrences = &list;
    GArray *regions = g_array_new(FALSE, FALSE, sizeof(region_t));
    const vind_match_terms_t *terms = job->terms;
    vind_status_t status = VIND_OK;
    anchor_t *anchors = NULL;
    anchor_queue_t queue = {0};
    int *confirmed = calloc(terms->n_terms + 1, sizeof *confirmed);
    if (!confirmed) {
        status = vind_error(job->errmsg, VIND_NOMEM, "out of memory making a snippet");
        goto done;
    }

    /* The probes find places in text a source has no places for: with the
     * index's places they were made (a copy and a variant or two a stem,
     * with this and term_of's look-ups in an empty table: ~8 M
     * instructions of the 1,000 bench requests) for nothing. */
    for (guint i = 0; !job->source->places && i < terms->stem_list->len; i++) {
        const char *stem = g_ptr_array_index(terms->stem_list, i);
        add_stem_probes(probes, stem,
                        GPOINTER_TO_UINT(g_hash_table_lookup(terms->stems, stem)) - 1);
    }
    for (guint i = 0; !job->source->places && i < terms->prefixes->len; i++)
        add_probe(probes, g_ptr_array_index(terms->prefixes, i),
                  g_array_index(terms->prefix_ids, unsigned, i));
    int cut = 0;
    if (job->source->places) {
        vind_snippet_places_t places = {occurrences, terms->n_terms, 0, 0};
        status = job->source->places(job->source->rock, terms, &places, job->errmsg);
        cut = places.cut;
        job->prefix_places = places.all_forms;
        if (status != VIND_OK)
            goto done;
    } else if (!find_occurrences(job, probes, occurrences)) {
        status = vind_error(job->errmsg, VIND_NOMEM, "out of memory scanning a text for a snippet");
        goto done;
    }
    if (occurrences->len == 0) {
        /* The index's places are exact: none in the body means no word of
         * the body matches (a hit by its title or tags shows the start). */
        if (!job->source->places)
            status = analyse_start(job, FALLBACK_ANALYSIS_BYTES);
        goto done;
    }
    sort_occurrences(occurrences->items, occurrences->len);
    if (job->source->places)
        anchors = score_anchors(occurrences, terms->n_terms, job->target / WORD_BYTES + 1,
                                NEAR_POSITIONS);
    else
        anchors = score_anchors(occurrences, terms->n_terms, job->target, NEAR_BYTES);
    if (!anchors) {
        status = vind_error(job->errmsg, VIND_NOMEM, "out of memory scanning a text for a snippet");
        goto done;
    }
    if (!anchor_queue_init(&queue, anchors, occurrences->len, terms->n_terms)) {
        status = vind_error(job->errmsg, VIND_NOMEM, "out of memory scanning a text for a snippet");
        goto done;
    }
    const occurrence_t *o = occurrences->items;
    if (job->source->places) {
        /* every place unknown (PLACE_UNKNOWN); without room, each is located as asked */
        job->located = malloc(2 * occurrences->len * sizeof *job->located);
        if (job->located)
            memset(job->located, 0xFF, 2 * occurrences->len * sizeof *job->located);
    }

    /* The densest places first. */
    const anchor_t *anchor;
    for (size_t i = 0; regions->len < FIRST_REGIONS && (anchor = anchor_at(&queue, i)); i++) {
        region_t region = region_around(job, o, anchor->first, anchor->last);
        if (!regions_overlap(regions, &region))
            g_array_append_val(regions, region);
    }
    status = match_regions(job, occurrences, regions, cut);
    if (status != VIND_OK)
        goto done;

    /* Then places of query words the first regions did not confirm (a probe
     * can be a false lead: "zorg" inside "zorgvuldig" is not "zorg"). */
    unsigned n_confirmed = 0;
    for (size_t i = 0; i < job->hits.len; i++)
        confirm(confirmed, terms->n_terms, job->hits.items[i].term, &n_confirmed);
    /* (every word confirmed: no anchor has one missing, none need be ranked) */
    for (size_t i = 0; n_confirmed < terms->n_terms && regions->len < MAX_REGIONS &&
                       (anchor = anchor_at(&queue, i));
         i++) {
        if (!anchor_has_missing(anchor, o, confirmed))
            continue;
        region_t region = region_around(job, o, anchor->first, anchor->last);
        if (regions_overlap(regions, &region))
            continue;
        g_array_append_val(regions, region);
        size_t before = job->hits.len;
        status = match_region(job, occurrences, &region, cut);
        if (status != VIND_OK)
            goto done;
        for (size_t k = before; k < job->hits.len; k++)
            confirm(confirmed, terms->n_terms, job->hits.items[k].term, &n_confirmed);
    }
    if (job->hits.len == 0 && !job->source->places)
        status = analyse_start(job, FALLBACK_ANALYSIS_BYTES);

done:
    for (guint i = 0; i < probes->len; i++)
        g_free(g_array_index(probes, probe_t, i).text);
    g_array_free(probes, TRUE);
    free(list.items);
    g_array_free(regions, TRUE);
    anchor_queue_free(&queue);
    free(anchors);
    free(confirmed);
    free(job->located);
    job->located = NULL;
    return status;
}

/* ---- choosing passages ---- */

typedef struct {
    size_t first, last; /* hit indexes, inclusive */
    unsigned distinct, adjacent, count, fresh;
} window_t;

static int compare_hits(const void *a, const void *b)
{
    const hit_t *x = a, *y = b;
    if (x->page != y->page)
        return x->page < y->page ? -1 : 1;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    return (x->end > y->end) - (x->end < y->end);
}

/* Hits by page and start only (one word, whatever its end or term). */
static int compare_hit_places(const void *a, const void *b)
{
    const hit_t *x = a, *y = b;
    if (x->page != y->page)
        return x->page < y->page ? -1 : 1;
    return (x->start > y->start) - (x->start < y->start);
}

DEFINE_RUN_SORT(sort_hits, hit_t, compare_hits)
DEFINE_RUN_SORT(sort_hit_places, hit_t, compare_hit_places)

/* Whether window a beats b: more new words (for a second passage), more
 * distinct words, more of them side by side (where a phrase query matched:
 * its page is the one to show), then more matches; ties go to the earlier
 * place. */
static int window_better(const window_t *a, const window_t *b)
{
    if (a->fresh != b->fresh)
        return a->fresh > b->fresh;
    if (a->distinct != b->distinct)
        return a->distinct > b->distinct;
    if (a->adjacent != b->adjacent)
        return a->adjacent > b->adjacent;
    if (a->count != b->count)
        return a->count > b->count;
    return a->first < b->first;
}

/*
 * The best window of hits no longer than target bytes. covered (may be
 * NULL) marks the terms a previous passage showed: windows are then scored
 * by terms not covered first, and must not overlap `avoid`.
 */
static int best_window(const hit_t *hits, const unsigned char *adjacent, size_t n, unsigned n_terms,
                       size_t target, const int *covered, const window_t *avoid, window_t *best)
{
    unsigned stack[SMALL_ITEMS];
    unsigned *counts = small_array(stack, sizeof stack, (n_terms ? n_terms : 1) * sizeof *counts);
    if (!counts)
        return -1;
    int found = 0;
    for (size_t i = 0; i < n; i++) {
        memset(counts, 0, (n_terms ? n_terms : 1) * sizeof *counts);
        window_t w = {i, i, 0, 0, 0, 0};
        for (size_t j = i; j < n && hits[j].page == hits[i].page &&
                           (j == i || hits[j].end <= hits[i].start + target);
             j++) {
            w.last = j;
            w.count++;
            if (j > i && adjacent[j])
                w.adjacent++;
            if (counts[hits[j].term]++ == 0) {
                w.distinct++;
                if (covered && !covered[hits[j].term])
                    w.fresh++;
            }
        }
        if (avoid && hits[i].page == hits[avoid->first].page &&
            hits[i].start < hits[avoid->last].end + 1 &&
            hits[avoid->first].start < hits[w.last].end + 1)
            continue;
        if (covered && w.fresh == 0)
            continue;
        if (!found || window_better(&w, best)) {
            *best = w;
            found = 1;
        }
    }
    small_free(counts, stack);
    return found;
}

/* ---- rendering ---- */

typedef struct {
    size_t page, start, end;
} passage_t;

/* The passage around core [core_start, core_end) of a page: about chars
 * characters, context split around the core, cut between words. */
static passage_t passage_around(const char *text, size_t length, size_t page, size_t core_start,
                                size_t core_end, size_t chars)
{
    size_t core_chars = count_chars(text, core_start, core_end);
    size_t start = core_start, end = core_end;
    if (core_chars < chars) {
        size_t extra = chars - core_chars;
        size_t left = extra / 3, right = extra - left;
        start = backward_chars(text, start, &left);
        right += left; /* what the start of the page left over */
        end = forward_chars(text, length, length, end, &right);
        start = backward_chars(text, start, &right);
    }
    start = snap_start(text, length, start, core_start);
    end = snap_end(text, length, end, core_end);
    return (passage_t){page, start, end};
}

/* Appends text [done, start) escaped and [start, end) marked. */
static void append_marked(GString *out, const char *text, size_t done, size_t start, size_t end,
                          int *pending)
{
    append_escaped(out, text + done, start - done, 1, pending);
    if (*pending && out->len)
        g_string_append_c(out, ' ');
    *pending = 0;
    APPEND_LITERAL(out, "<mark>");
    append_escaped(out, text + start, end - start, 1, pending);
    APPEND_LITERAL(out, "</mark>");
    *pending = 0;
}

/* A passage marked from hits that hold all its matches (job->placed, a
 * span, a prefix's words: prefix_words_of), without analysing it. Cost: a
 * walk over the hits; the analysis costs ~150,000 instructions a passage
 * (a fifth of a search, bench/search-cost under callgrind). */
static void render_placed(const hits_t *placed, const passage_t *passage, const char *text,
                          GString *out)
{
    const hit_t *hits = placed->items;
    int pending = 0;
    size_t done = passage->start;
    for (size_t i = 0; i < placed->len; i++) {
        const hit_t *h = &hits[i];
        if (h->page != passage->page || h->start < done || h->start >= passage->end)
            continue;
        /* a word cut at the passage's end (choose_passages) is marked up to the cut */
        size_t end = h->end < passage->end ? h->end : passage->end;
        append_marked(out, text, done, h->start, end, &pending);
        done = end;
    }
    append_escaped(out, text + done, passage->end - done, 1, &pending);
}

/* Whether the passage lies inside a region whose matches are all hits. */
static int in_span(const job_t *job, const passage_t *passage)
{
    for (guint i = 0; job->spans && i < job->spans->len; i++) {
        const region_t *r = &g_array_index(job->spans, region_t, i);
        if (r->page == passage->page && r->start <= passage->start && passage->end <= r->end)
            return 1;
    }
    return 0;
}

/* Appends one passage: escaped text, its matches marked: from the hits
 * when they are every match of the text, else re-analysed over exactly the
 * passage, so marks never depend on which region found it. */
static vind_status_t render_passage(job_t *job, const passage_t *passage, GString *out)
{
    const char *text = page_range(job, passage->page, passage->start, passage->end);
    if (job->placed || in_span(job, passage)) {
        render_placed(&job->hits, passage, text, out);
        return VIND_OK;
    }
    /* places that may lack some of its matches (a prefix's forms past the
     * places', places cut at a bound): a query of prefixes only takes its
     * marks from the source's words */
    hits_t words = {0};
    vind_status_t found = job->source->places ? prefix_words_of(job, passage->page, passage->start,
                                                                passage->end, &words)
                                              : VIND_NOT_FOUND;
    if (found == VIND_OK)
        render_placed(&words, passage, text, out);
    free(words.items);
    if (found != VIND_NOT_FOUND)
        return found;
    job->analysed += passage->end - passage->start;
    vind_tokens_t *tokens = NULL;
    vind_status_t status =
        analyse_for_terms(job, text + passage->start, passage->end - passage->start, &tokens);
    if (status != VIND_OK)
        return status;
    int pending = 0;
    size_t done = passage->start;
    size_t n = vind_tokens_count(tokens);
    for (size_t i = 0; i < n; i++) {
        const vind_token_t *token = vind_tokens_get(tokens, i);
        size_t start = passage->start + token->start, end = passage->start + token->end;
        if (start < done || end > passage->end || term_of(job->terms, token) < 0)
            continue;
        append_marked(out, text, done, start, end, &pending);
        done = end;
    }
    append_escaped(out, text + done, passage->end - done, 1, &pending);
    vind_tokens_free(tokens);
    return VIND_OK;
}

static int is_blank_range(const char *text, size_t start, size_t end)
{
    for (size_t i = start; i < end; i++)
        if (!is_space((unsigned char)text[i]))
            return 0;
    return 1;
}

/* Whether bytes [start, end) of a page are all white space. The bytes next
 * to the passage are looked at first: text there (the common case) answers
 * without reading further. */
static int page_blank(job_t *job, size_t page, size_t start, size_t end, int from_end)
{
    if (end <= start)
        return 1;
    size_t near_start = from_end && end - start > SCAN_SLACK ? end - SCAN_SLACK : start;
    size_t near_end = !from_end && end - start > SCAN_SLACK ? start + SCAN_SLACK : end;
    const char *text = page_range(job, page, near_start, near_end);
    if (!is_blank_range(text, near_start, near_end))
        return 0;
    text = page_range(job, page, start, end);
    return is_blank_range(text, start, end);
}

/* The first non-blank byte of a page at or after from, read a chunk's worth
 * at a time; 0 when the rest of the page is blank. */
static int first_text(job_t *job, size_t page, size_t from, size_t *at)
{
    size_t length = page_length(job, page);
    for (size_t step = 4096; from < length; from += step) {
        size_t to = from + step < length ? from + step : length;
        const char *text = page_range(job, page, from, to);
        for (size_t i = from; i < to; i++)
            if (!is_space((unsigned char)text[i])) {
                *at = i;
                return 1;
            }
    }
    return 0;
}

/* The passage when nothing matched: the start of the first page with text. */
static int start_passage(job_t *job, passage_t *passage)
{
    for (size_t page = 0; page < job->n_pages; page++) {
        size_t start = 0;
        if (!first_text(job, page, 0, &start))
            continue;
        size_t length = page_length(job, page);
        /* target characters of at most 4 bytes each */
        const char *text = page_range(job, page, start, start + job->target * 4);
        size_t steps = job->target;
        size_t end = forward_chars(text, length, length, start, &steps);
        size_t cut = snap_end(text, length, end, start);
        *passage = (passage_t){page, start, cut > start ? cut : end};
        return 1;
    }
    return 0;
}

static vind_status_t render(job_t *job, const passage_t *passages, size_t n, char **html_out,
                            unsigned **pages_out, size_t *n_pages_out)
{
    GString *out = g_string_sized_new(job->target * 2);
    unsigned *pages = n ? calloc(n, sizeof *pages) : NULL;
    if (n && !pages) {
        g_string_free(out, TRUE);
        return vind_error(job->errmsg, VIND_NOMEM, "out of memory making a snippet");
    }
    size_t n_pages = 0;
    for (size_t i = 0; i < n; i++) {
        const passage_t *p = &passages[i];
        size_t length = page_length(job, p->page);
        int cut_before = p->start > 0 && !page_blank(job, p->page, 0, p->start, 1);
        if (i > 0)
            g_string_append(out, " … ");
        else if (cut_before)
            g_string_append(out, "… ");
        vind_status_t status = render_passage(job, p, out);
        if (status != VIND_OK) {
            g_string_free(out, TRUE);
            free(pages);
            return status;
        }
        if (i + 1 == n && p->end < length && !page_blank(job, p->page, p->end, length, 0))
            g_string_append(out, " …");
        if (n_pages == 0 || pages[n_pages - 1] != (unsigned)(p->page + 1))
            pages[n_pages++] = (unsigned)(p->page + 1);
    }
    char *html = strdup(out->str);
    g_string_free(out, TRUE);
    if (!html) {
        free(pages);
        return vind_error(job->errmsg, VIND_NOMEM, "out of memory making a snippet");
    }
    if (n_pages == 0) {
        free(pages);
        pages = NULL;
    }
    *html_out = html;
    *pages_out = pages;
    *n_pages_out = n_pages;
    return VIND_OK;
}

/* The passages of the best window(s) of the hits: one, or two when a second
 * place shows query words the first lacks ("zorg" at the top of a page,
 * "verpleeghuis" further on). */
static vind_status_t choose_passages(job_t *job, passage_t *passages, size_t *n_passages)
{
    const hit_t *hits = job->hits.items;
    size_t n = job->hits.len;
    unsigned n_terms = job->terms->n_terms;
    window_t first, second;
    *n_passages = 0;
    /* adjacent[k]: hit k follows hit k - 1 with only spaces and punctuation
     * between them, and is another word of the query. */
    unsigned char stack_adjacent[4 * SMALL_ITEMS];
    unsigned char *adjacent = small_array(stack_adjacent, sizeof stack_adjacent, n ? n : 1);
    if (!adjacent)
        return vind_error(job->errmsg, VIND_NOMEM, "out of memory making a snippet");
    memset(adjacent, 0, n ? n : 1);
    for (size_t k = 1; k < n; k++) {
        if (hits[k].page != hits[k - 1].page || hits[k].term == hits[k - 1].term ||
            hits[k].start < hits[k - 1].end || hits[k].start - hits[k - 1].end > 8)
            continue;
        const char *text = page_range(job, hits[k].page, hits[k - 1].end, hits[k].start);
        int words_between = 0;
        for (size_t b = hits[k - 1].end; b < hits[k].start; b++)
            words_between |= g_ascii_isalnum(text[b]) || (unsigned char)text[b] >= 0x80;
        adjacent[k] = !words_between;
    }
    int found = best_window(hits, adjacent, n, n_terms, job->target, NULL, NULL, &first);
    int stack_covered[SMALL_ITEMS];
    size_t covered_bytes = (n_terms ? n_terms : 1) * sizeof(int);
    int *covered =
        found > 0 ? small_array(stack_covered, sizeof stack_covered, covered_bytes) : NULL;
    if (covered)
        memset(covered, 0, covered_bytes);
    if (found <= 0 || !covered) {
        small_free(adjacent, stack_adjacent);
        return found == 0 ? VIND_OK
                          : vind_error(job->errmsg, VIND_NOMEM, "out of memory making a snippet");
    }
    for (size_t k = first.first; k <= first.last; k++)
        covered[hits[k].term] = 1;
    int two =
        best_window(hits, adjacent, n, n_terms, job->target / 2, covered, &first, &second) > 0;
    small_free(covered, stack_covered);
    small_free(adjacent, stack_adjacent);

    size_t chars = two ? job->target / 2 : job->target;
    if (chars < MIN_PASSAGE_CHARS)
        chars = MIN_PASSAGE_CHARS;
    window_t windows[2] = {first, second};
    size_t count = two ? 2 : 1;
    if (two && compare_hits(&hits[second.first], &hits[first.first]) < 0) {
        windows[0] = second;
        windows[1] = first;
    }
    for (size_t i = 0; i < count; i++) {
        const hit_t *a = &hits[windows[i].first], *b = &hits[windows[i].last];
        /* The window and the context passage_around adds: chars characters
         * of at most 4 bytes on either side. */
        size_t length = page_length(job, a->page);
        const char *text = page_range(job, a->page, a->start > chars * 4 ? a->start - chars * 4 : 0,
                                      b->end + chars * 4);
        size_t core_end = b->end;
        /* A window of one passage's length at most: a long first window
         * shared with a second passage keeps its first matches. */
        while (core_end > a->end && count_chars(text, a->start, core_end) > chars) {
            size_t k = windows[i].last;
            while (k > windows[i].first && hits[k].end >= core_end)
                k--;
            core_end = hits[k].end;
        }
        /* A first match longer than the passage (a 1 MB "word" a prefix or
         * its 64-byte term matched: its place spans the whole word) is cut
         * to the passage's length: it was the snippet, 1 MB in every
         * answer listing the page. The cut is an ellipsis (render). Cost:
         * at most chars steps a passage (~200), beside count_chars above. */
        size_t steps = chars;
        core_end = forward_chars(text, length, core_end, a->start, &steps);
        passages[i] = passage_around(text, length, a->page, a->start, core_end, chars);
    }
    if (count == 2 && passages[0].page == passages[1].page &&
        passages[0].end >= passages[1].start) {
        passages[0].end = passages[1].end; /* they touch: one passage */
        count = 1;
    }
    *n_passages = count;
    return VIND_OK;
}

/* The hits of the places: in text order (a stable sort, so the first
 * named of a word stays first), each page's located in one walk of its map
 * (locate_sorted). Cost: the map's blocks up to the last place, ~2
 * instructions a word, and ~10 a place; a look-up of each place in the
 * map's blocks was ~1,200 a place (~38 M instructions of the 1,000 bench
 * requests, callgrind). */
static vind_status_t locate_places(job_t *job, occurrences_t *occurrences)
{
    sort_occurrence_places(occurrences->items, occurrences->len);
    const occurrence_t *o = occurrences->items;
    size_t n = occurrences->len;
    unsigned stack_positions[4 * SMALL_ITEMS];
    size_t stack_starts[8 * SMALL_ITEMS];
    unsigned *positions =
        small_array(stack_positions, sizeof stack_positions, n * sizeof *positions);
    size_t *starts = small_array(stack_starts, sizeof stack_starts, 2 * n * sizeof *starts);
    if (n && (!positions || !starts)) {
        small_free(positions, stack_positions);
        small_free(starts, stack_starts);
        return vind_error(job->errmsg, VIND_NOMEM, "out of memory making a snippet");
    }
    size_t *ends = starts + n;
    for (size_t i = 0; i < n; i++)
        positions[i] = (unsigned)o[i].offset;
    for (size_t first = 0, last; first < n; first = last) {
        for (last = first + 1; last < n && o[last].page == o[first].page; last++)
            ;
        vind_status_t found = job->source->locate_sorted(
            job->source->rock, o[first].page, positions + first, last - first, starts + first,
            ends + first, read_errmsg(job));
        if (found != VIND_OK) {
            job_failed(job, found);
            job->placed = 0;
            break;
        }
        for (size_t i = first; i < last; i++) {
            if (starts[i] == SIZE_MAX)
                continue; /* no word there */
            hit_t hit = {o[i].page, starts[i], ends[i], o[i].term};
            add_hit(job, hit);
        }
    }
    small_free(positions, stack_positions);
    small_free(starts, stack_starts);
    return VIND_OK;
}

/* The matches of a short text from a source's places: each place's word
 * from the page map, once (the first term named for it wins, as the
 * analyzer's first match does). */
static vind_status_t hits_from_places(job_t *job)
{
    occurrences_t list = {0}, *occurrences = &list;
    vind_snippet_places_t places = {occurrences, job->terms->n_terms, 0, 0};
    vind_status_t status =
        job->source->places(job->source->rock, job->terms, &places, job->errmsg);
    /* Every place, none cut off, and no prefix or every form of each
     * (a prefix's places can be only some of its forms'): the hits are
     * every match the analyzer finds. */
    job->placed = status == VIND_OK && !places.cut &&
                  (job->terms->prefixes->len == 0 || places.all_forms);
    for (size_t page = 0; job->placed && page < job->n_pages; page++)
        job->placed = page_complete(job, page);
    if (status == VIND_OK)
        status = locate_places(job, occurrences);
    /* Each word once: a stable sort by place keeps the first named of a
     * word first, and the others go (a hash set of the places seen cost
     * ~1,700 instructions a snippet; the hits are sorted anyway). */
    sort_hit_places(job->hits.items, job->hits.len);
    hit_t *hits = job->hits.items;
    size_t kept = 0;
    for (size_t i = 0; i < job->hits.len; i++)
        if (kept == 0 || compare_hit_places(&hits[kept - 1], &hits[i]) != 0)
            hits[kept++] = hits[i];
    job->hits.len = kept;
    free(list.items);
    return status;
}

void vind_snippet_places_cut(vind_snippet_places_t *places)
{
    places->cut = 1;
}

void vind_snippet_places_all_forms(vind_snippet_places_t *places)
{
    places->all_forms = 1;
}

void vind_snippet_place(vind_snippet_places_t *places, size_t page, unsigned position,
                        unsigned term)
{
    if (places->occurrences->len >= MAX_OCCURRENCES)
        places->cut = 1;
    if (places->occurrences->len >= MAX_OCCURRENCES || term >= places->n_terms)
        return;
    if (!occurrences_add(places->occurrences, (occurrence_t){page, position, term}))
        places->cut = 1; /* NOMEM: some places are left out */
}

vind_status_t vind_snippet_make_from(vind_analyzer_t *analyzer, vind_lang_t lang,
                                     const vind_snippet_source_t *source,
                                     const vind_match_terms_t *terms, unsigned target_chars,
                                     char **html_out, unsigned **pages_out, size_t *n_pages_out,
                                     vind_snippet_stats_t *stats, char **errmsg)
{
    if (html_out)
        *html_out = NULL;
    if (pages_out)
        *pages_out = NULL;
    if (n_pages_out)
        *n_pages_out = 0;
    if (stats)
        memset(stats, 0, sizeof *stats);
    if (!analyzer || !html_out || !pages_out || !n_pages_out || !source || !source->length ||
        !source->text || (source->places && (!source->locate || !source->locate_sorted)))
        return vind_error(errmsg, VIND_INVALID_ARGUMENT,
                          "a snippet needs an analyzer, the pages and places for its results");
    size_t target = target_chars ? target_chars : 200;
    if (target < MIN_TARGET_CHARS)
        target = MIN_TARGET_CHARS;
    if (target > MAX_TARGET_CHARS)
        target = MAX_TARGET_CHARS;
    size_t stack_lengths[SMALL_ITEMS];
    job_t job = {.analyzer = analyzer,
                 .lang = lang,
                 .source = source,
                 .n_pages = source->n_pages,
                 .lengths = small_array(stack_lengths, sizeof stack_lengths,
                                        (source->n_pages ? source->n_pages : 1) * sizeof(size_t)),
                 .terms = terms,
                 .target = target,
                 .errmsg = errmsg};
    if (!job.lengths)
        return vind_error(errmsg, VIND_NOMEM, "out of memory making a snippet");
    for (size_t page = 0; page < job.n_pages; page++)
        job.lengths[page] = SIZE_MAX;

    vind_status_t status = VIND_OK;
    if (!vind_match_terms_empty(terms)) {
        size_t total = 0;
        for (size_t page = 0; page < job.n_pages && total <= FULL_ANALYSIS_BYTES; page++)
            total += page_length(&job, page);
        /* With places from the index, a short text is not analysed at all:
         * its matches are the places, their bytes from the page maps, the
         * same words the analysis finds (an article's 16 kB cost ~2 ms). */
        if (total <= FULL_ANALYSIS_BYTES && source->places) {
            status = hits_from_places(&job);
        } else if (total <= FULL_ANALYSIS_BYTES) {
            for (size_t page = 0; page < job.n_pages && status == VIND_OK; page++)
                status = analyse_region(&job, page, 0, page_length(&job, page));
        } else
            status = scan_long_text(&job);
        if (status == VIND_OK)
            sort_hits(job.hits.items, job.hits.len);
    }
    passage_t passages[2];
    size_t n_passages = 0;
    if (status == VIND_OK && job.hits.len)
        status = choose_passages(&job, passages, &n_passages);
    if (status == VIND_OK && n_passages == 0 && start_passage(&job, &passages[0]))
        n_passages = 1;
    if (status == VIND_OK)
        status = render(&job, passages, n_passages, html_out, pages_out, n_pages_out);
    if (status == VIND_OK && job.status != VIND_OK) {
        /* text that could not be read: no snippet rather than a wrong one */
        free(*html_out);
        free(*pages_out);
        *html_out = NULL;
        *pages_out = NULL;
        *n_pages_out = 0;
        status = job.status;
    }
    if (stats)
        stats->bytes_analysed = job.analysed;
    free(job.hits.items);
    if (job.spans)
        g_array_free(job.spans, TRUE);
    small_free(job.lengths, stack_lengths);
    return status;
}

/* ---- pages in memory ---- */

static vind_status_t memory_length(void *rock, size_t page, size_t *length, char **errmsg)
{
    (void)errmsg;
    const char *const *pages = rock;
    *length = pages[page] ? strlen(pages[page]) : 0;
    return VIND_OK;
}

static vind_status_t memory_text(void *rock, size_t page, size_t start, size_t end,
                                 const char **text, char **errmsg)
{
    (void)start, (void)end, (void)errmsg;
    const char *const *pages = rock;
    *text = pages[page] ? pages[page] : "";
    return VIND_OK;
}

vind_status_t vind_snippet_make(vind_analyzer_t *analyzer, vind_lang_t lang,
                                const char *const *pages, size_t n_pages,
                                const vind_match_terms_t *terms, unsigned target_chars,
                                char **html_out, unsigned **pages_out, size_t *n_pages_out,
                                char **errmsg)
{
    if (n_pages && !pages) {
        if (html_out)
            *html_out = NULL;
        return vind_error(errmsg, VIND_INVALID_ARGUMENT,
                          "a snippet needs an analyzer, the pages and places for its results");
    }
    vind_snippet_source_t source = {(void *)pages, n_pages, memory_length, memory_text,
                                    NULL,          NULL,    NULL,          NULL,
                                    NULL};
    return vind_snippet_make_from(analyzer, lang, &source, terms, target_chars, html_out,
                                  pages_out, n_pages_out, NULL, errmsg);
}
