/*
 * json.c - search results as JSON, the one shape shared by `vind search
 * --format json`, JSONL hits and GET /api/search. Field names and types
 * are documented in docs/api.md; change both together. Absent values are
 * null, never missing keys, so clients need no existence checks.
 *
 * Why written here, into one buffer, and not with a library: this is the
 * hot path of /api/search. jansson (which vind uses for every JSON it reads
 * or edits) first builds a tree of the answer (~500 nodes), then dumps it
 * one code point at a time: 1.17 M instructions an answer. yajl's generator
 * wrote it as it was walked, but per byte of text through a switch, per
 * piece (a quote, a comma, a run between escapes) through a print
 * callback, and integers through sprintf: 0.38 M an answer, 15% of a whole
 * search (callgrind, bench/search-cost, the 1,000 bench requests). Written
 * here: runs of bytes that need no escape are found 16 bytes a test and
 * copied whole, each string is checked as UTF-8 in the same pass, integers
 * and the scores' reals are formatted by hand: 0.12 M an answer, 0.059 M
 * since session 11, 0.048 M since session 17 (each string copied straight
 * into the buffer as it is tested, the links checked 8 bytes a test). The output is byte for byte jansson's JSON_COMPACT
 * (tests/unit/test_json.c compares the two on every kind of value): the
 * same escapes, integers as %lld, reals as jansson 2.14 prints them.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include <vind/doc.h>
#include "results.h"

/* Objects and arrays open at once: an answer nests four deep. */
#define MAX_DEPTH 16

/* The text being written: a malloc'd buffer the caller frees with free(). */
typedef struct {
    char *bytes;
    size_t length, capacity;
    int failed; /* out of memory, or nested too deep: the answer is NULL */
    unsigned depth;
    unsigned char started[MAX_DEPTH]; /* per open object or array: a member is written */
    int after_key;                    /* a key was written: its value comes next */
} writer_t;

/* Doubles the buffer until n more bytes and a NUL fit (the bench's
 * answers are ~8 kB, up to ~13 kB: one malloc of 16 kB; 8 kB took 1.6
 * reallocs an answer). 0 once anything failed. */
static int grow(writer_t *w, size_t n)
{
    if (w->failed)
        return 0;
    size_t capacity = w->capacity ? w->capacity : 16384;
    while (capacity < w->length + n + 1)
        capacity *= 2;
    char *grown = realloc(w->bytes, capacity);
    if (!grown) {
        w->failed = 1;
        w->capacity = 0; /* nothing fits any more */
        return 0;
    }
    w->bytes = grown;
    w->capacity = capacity;
    return 1;
}

/* Room for n more bytes and a NUL. Inline: called for every piece written
 * (~500,000 times over the 1,000 bench answers); a failed writer never has
 * room (capacity 0). */
static inline int reserve(writer_t *w, size_t n)
{
    return w->length + n + 1 <= w->capacity || grow(w, n);
}

static inline void put(writer_t *w, const char *text, size_t n)
{
    if (n && reserve(w, n)) {
        memcpy(w->bytes + w->length, text, n);
        w->length += n;
    }
}

static inline void put_c(writer_t *w, char c)
{
    if (reserve(w, 1))
        w->bytes[w->length++] = c;
}

static void writer_open(writer_t *w)
{
    *w = (writer_t){0};
}

/* The text written, NUL-terminated; NULL (and nothing kept) when any step failed. */
static char *writer_close(writer_t *w)
{
    if (w->failed || w->depth || !reserve(w, 0)) {
        free(w->bytes);
        return NULL;
    }
    w->bytes[w->length] = '\0';
    return w->bytes;
}

/* The comma before a member of an object or array (none after a key). */
static inline void separate(writer_t *w)
{
    if (w->after_key) {
        w->after_key = 0;
        return;
    }
    if (w->depth == 0)
        return;
    if (w->started[w->depth - 1])
        put_c(w, ',');
    w->started[w->depth - 1] = 1;
}

/* Opens an object ({) or an array ([). */
static void begin(writer_t *w, char bracket)
{
    separate(w);
    if (w->depth == MAX_DEPTH) {
        w->failed = 1;
        return;
    }
    put_c(w, bracket);
    w->started[w->depth++] = 0;
}

static void end(writer_t *w, char bracket)
{
    put_c(w, bracket);
    if (w->depth)
        w->depth--;
}

/* A value written as is (a number's text, true, false, null). */
static void raw(writer_t *w, const char *text, size_t n)
{
    separate(w);
    put(w, text, n);
}

static void null(writer_t *w)
{
    raw(w, "null", 4);
}

/* The bytes of word that need a closer look, each as its high bit: below
 * 0x20, '"' or '\\' (the bytes a JSON string escapes), or past ASCII (the
 * start or middle of a character to check as UTF-8). The classic tests for
 * a zero byte, on the word as is (minus 0x20: below it) and xor'd with each
 * quote, and the high bits themselves; the lowest bit set is exact (a
 * borrow only reaches the bytes above a true one). */
static inline uint64_t special_bits(uint64_t word)
{
    const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
    uint64_t quote = word ^ (ones * '"'), backslash = word ^ (ones * '\\');
    uint64_t below = (word - ones * 0x20) & ~word;
    return (((quote - ones) & ~quote) | ((backslash - ones) & ~backslash) | below | word) & highs;
}

/* The n (<= 8) bytes at text as a word whose lowest byte is the first one
 * (the order special_bits' lowest bit counts in), the bytes past them 'a'
 * (no closer look). n is a constant where it is called: one load. */
static inline uint64_t word_at(const char *text, size_t n)
{
    char bytes[8] = {'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a'};
    uint64_t word;
    memcpy(bytes, text, n);
    memcpy(&word, bytes, sizeof word);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    word = __builtin_bswap64(word);
#endif
    return word;
}

/* The index of the first byte special_bits marked (bits not 0). */
static inline size_t first_marked(uint64_t bits)
{
    return (size_t)__builtin_ctzll(bits) / 8;
}

/* Whether byte c needs a closer look (special_bits, one byte). */
static inline int special_byte(unsigned char c)
{
    return c < 0x20 || c == '"' || c == '\\' || c >= 0x80;
}

#ifdef __SSE2__
/* The bytes that need a closer look (special_bits) among 16, as the bits
 * of a mask: as signed bytes, the control characters and the bytes past
 * ASCII are both below 0x20. 6 instructions. */
static inline unsigned special_mask(__m128i bytes)
{
    const __m128i below = _mm_set1_epi8(0x20), quote = _mm_set1_epi8('"'),
                  backslash = _mm_set1_epi8('\\');
    __m128i special =
        _mm_or_si128(_mm_cmplt_epi8(bytes, below),
                     _mm_or_si128(_mm_cmpeq_epi8(bytes, quote), _mm_cmpeq_epi8(bytes, backslash)));
    return (unsigned)_mm_movemask_epi8(special);
}
#endif

/* The first byte special_bits marks among the n bytes at text, read as
 * two overlapping words of part bytes (part <= n <= 2 * part: nothing past
 * text + n is read), or n; all n copied to out. With SSE2 both words are
 * tested at once. */
static inline size_t overlapping_words(char *out, const char *text, size_t n, size_t part)
{
    size_t second = n - part;
    uint64_t head = word_at(text, part), tail = word_at(text + second, part);
    memcpy(out, text, part);
    memcpy(out + second, text + second, part);
#ifdef __SSE2__
    unsigned mask = special_mask(_mm_set_epi64x((long long)tail, (long long)head));
    if (!mask)
        return n;
    size_t at = (size_t)__builtin_ctz(mask); /* the words' unread bytes are 'a': never marked */
    return at < 8 ? at : second + (at - 8);
#else
    uint64_t bits = special_bits(head);
    if (bits)
        return first_marked(bits);
    bits = special_bits(tail);
    return bits ? second + first_marked(bits) : n;
#endif
}

/* short_run: ordinary_run of n < 16 bytes, each copied to out too: as two
 * overlapping words of 8 or 4 bytes, the last three bytes one by one, with
 * no call and no padded copy (the tail of every string; most strings are
 * shorter than 16 bytes). ~20 instructions. */
static inline size_t short_run(char *out, const char *text, size_t n)
{
    if (n >= 8)
        return overlapping_words(out, text, n, 8);
    if (n >= 4)
        return overlapping_words(out, text, n, 4);
    size_t i = 0;
    for (; i < n && !special_byte((unsigned char)text[i]); i++)
        out[i] = text[i];
    return i;
}

/* How many of the n bytes of text, from its start, need no closer look
 * (special_bits), copied to out as they are tested (at least those; out
 * has room for n): 16 a test and a store where the machine has SSE2
 * (every x86-64; as signed bytes, the control characters and the bytes
 * past ASCII are both below 0x20), else 8; the last n % 16 by short_run.
 * Cost: ~8 instructions per 16 bytes, ~15 for the tail. */
static inline size_t ordinary_run(char *out, const char *text, size_t n)
{
    size_t i = 0;
#ifdef __SSE2__
    for (; n - i >= 16; i += 16) {
        __m128i bytes = _mm_loadu_si128((const __m128i *)(const void *)(text + i));
        _mm_storeu_si128((__m128i *)(void *)(out + i), bytes);
        unsigned mask = special_mask(bytes);
        if (mask)
            return i + (size_t)__builtin_ctz(mask);
    }
#else
    for (; n - i >= 16; i += 8) {
        uint64_t word = word_at(text + i, 8), bits = special_bits(word);
        memcpy(out + i, text + i, 8);
        if (bits)
            return i + first_marked(bits);
    }
#endif
    return i + short_run(out + i, text + i, n - i);
}

/* The escape of a byte that a JSON string cannot hold as is, as jansson
 * writes it, at out: '"' and '\\' with a backslash, the control
 * characters by their short names or as \u00XX (upper-case hex). Its
 * length (2 or 6). */
static size_t escape_at(char *out, unsigned char c)
{
    static const char hex[] = "0123456789ABCDEF", controls[] = "\b\f\n\r\t", names[] = "bfnrt";
    const char *named = c ? strchr(controls, c) : NULL;
    out[0] = '\\';
    if (named)
        out[1] = names[named - controls];
    else if (c == '"' || c == '\\')
        out[1] = (char)c;
    else {
        memcpy(out + 1, "u00", 3);
        out[4] = hex[c >> 4];
        out[5] = hex[c & 15];
        return 6;
    }
    return 2;
}

static inline int continuation(unsigned char c)
{
    return (c & 0xC0) == 0x80;
}

/* The length of the character at text (its first byte past ASCII; n bytes
 * left) when it is UTF-8 as GLib checks it, 0 when not. A two-byte one,
 * and a three-byte one whose first byte is none of those near the edges
 * GLib guards (E0: overlong forms, ED: surrogates, EF: up to U+FFFF), is
 * checked here in a few instructions (the "…", "ë" and "é" of snippets and
 * titles, ~28 an answer, each a call of ~45 and a memcpy call before); the
 * rest by GLib, as before. */
static inline size_t character_length(const char *text, size_t n)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t length = (size_t)g_utf8_skip[s[0]];
    if (length > n)
        return 0;
    if (length == 2 && s[0] >= 0xC2 && continuation(s[1]))
        return 2;
    if (length == 3 && s[0] != 0xE0 && s[0] != 0xED && s[0] != 0xEF && continuation(s[1]) &&
        continuation(s[2]))
        return 3;
    return g_utf8_validate_len(text, length, NULL) ? length : 0;
}

/* The escape (\u0080-\u009f, \u2028, \u2029, lower-case hex; the command
 * line's vind_json_safe gets them through vind_json_escape_controls) of the
 * valid UTF-8 character of length bytes at s when JSON must not carry it
 * raw, else NULL: a C1 control (C2 80-9F; U+009B is a terminal's CSI, as
 * ESC [ is, so `curl` of an answer could drive the terminal) or U+2028/2029 (E2 80 A8/A9: line breaks to
 * Python's str.splitlines and to JavaScript before ES2019). jansson writes
 * them raw. Cost: two compares for a character past ASCII (~28 an answer). */
static inline const char *unsafe_character_escape(const unsigned char *s, size_t length,
                                                  char c1[7])
{
    static const char hex[] = "0123456789abcdef";
    if (length == 2 && s[0] == 0xC2 && s[1] <= 0x9F) {
        memcpy(c1, "\\u00", 4);
        c1[4] = hex[s[1] >> 4];
        c1[5] = hex[s[1] & 15];
        return c1;
    }
    if (length == 3 && s[0] == 0xE2 && s[1] == 0x80 && (s[2] == 0xA8 || s[2] == 0xA9))
        return s[2] == 0xA8 ? "\\u2028" : "\\u2029";
    return NULL;
}

/* The n bytes of text as a quoted string, when they are text jansson would
 * take: valid UTF-8 (no overlong forms, surrogates or code points past
 * U+10FFFF, as GLib checks); 0 otherwise, and nothing written. Escaped as
 * jansson escapes, and C1 controls and U+2028/2029 too (unsafe_character_escape,
 * since session 17; looked at only among the characters past ASCII, which the
 * block test already sends here). Cost: the
 * hot loop of an answer (~120 strings, ~8 kB of titles, descriptions and
 * snippets; a snippet is HTML-escaped already, so it has no escape): room
 * for the string and its quotes checked once (room for the escapes only
 * at the first one: up to 6 bytes for each left), then one pass that
 * tests 16 bytes and copies them straight into the answer (ordinary_run),
 * GLib's check only for the characters past ASCII. Written piece by piece
 * through put (a check of room and a memcpy call per run, a padded copy of
 * each string's tail) it cost ~200 instructions a string, a third of the
 * answer's. */
static int quoted_text(writer_t *w, const char *text, size_t n)
{
    size_t start = w->length;
    if (!reserve(w, n + 2))
        return 1; /* failed: the answer is NULL whatever this writes */
    char *out = w->bytes + start;
    *out++ = '"';
    int room_for_escapes = 0;
    for (size_t i = 0; i < n;) {
        size_t run = ordinary_run(out, text + i, n - i);
        out += run, i += run;
        if (i == n)
            break;
        unsigned char c = (unsigned char)text[i];
        char c1[7];
        const char *character_escape = NULL;
        size_t length = 1;
        if (c >= 0x80) {
            length = character_length(text + i, n - i);
            if (!length)
                return 0;
            character_escape =
                unsafe_character_escape((const unsigned char *)text + i, length, c1);
            if (!character_escape) {
                for (size_t k = 0; k < length; k++)
                    out[k] = text[i + k];
                out += length, i += length;
                continue;
            }
        }
        if (!room_for_escapes) {
            w->length = (size_t)(out - w->bytes);
            int fits = reserve(w, 6 * (n - i) + 1);
            out = w->bytes + w->length;
            w->length = start;
            if (!fits)
                return 1;
            room_for_escapes = 1;
        }
        if (character_escape) {
            memcpy(out, character_escape, 6);
            out += 6;
        } else
            out += escape_at(out, c);
        i += length;
    }
    *out++ = '"';
    w->length = (size_t)(out - w->bytes);
    return 1;
}

/* The escape of an unsafe character (unsafe_character_escape) at s, of the
 * n bytes left, with *length its bytes; NULL when none starts there. */
static const char *unsafe_escape_at(const char *s, size_t n, size_t *length, char c1[7])
{
    const unsigned char *u = (const unsigned char *)s;
    *length = u[0] == 0xC2 ? 2 : 3;
    if (*length > n || (u[0] != 0xC2 && u[0] != 0xE2))
        return NULL;
    return unsafe_character_escape(u, *length, c1);
}

/* The first byte at or after text that may start an unsafe character (C2
 * or E2), else the end. */
static const char *next_unsafe_lead(const char *text, const char *end)
{
    const char *c2 = memchr(text, 0xC2, (size_t)(end - text));
    const char *e2 = memchr(text, 0xE2, (size_t)((c2 ? c2 : end) - text));
    return e2 ? e2 : c2 ? c2 : end;
}

char *vind_json_escape_controls(char *json_text)
{
    if (!json_text)
        return NULL;
    size_t n = strlen(json_text), extra = 0, length;
    const char *end = json_text + n;
    char c1[7];
    for (const char *p = next_unsafe_lead(json_text, end); p < end;
         p = next_unsafe_lead(p + 1, end))
        if (unsafe_escape_at(p, (size_t)(end - p), &length, c1))
            extra += 6 - length;
    if (!extra)
        return json_text;
    char *escaped = malloc(n + extra + 1), *out = escaped;
    for (const char *p = json_text; escaped && p < end;) {
        const char *lead = next_unsafe_lead(p, end);
        memcpy(out, p, (size_t)(lead - p));
        out += lead - p, p = lead;
        if (p == end)
            break;
        const char *escape = unsafe_escape_at(p, (size_t)(end - p), &length, c1);
        if (escape) {
            memcpy(out, escape, 6);
            out += 6, p += length;
        } else
            *out++ = *p++;
    }
    if (escaped)
        *out = '\0';
    free(json_text);
    return escaped;
}

/* A key: a name of ours (ASCII, nothing to escape), its quotes and colon
 * in one copy (~300,000 keys over the 1,000 bench answers); key() takes
 * the length of a literal name from the compiler. */
static inline void key_n(writer_t *w, const char *name, size_t n)
{
    separate(w);
    if (!reserve(w, n + 3))
        return;
    char *at = w->bytes + w->length;
    at[0] = '"';
    memcpy(at + 1, name, n);
    at[n + 1] = '"';
    at[n + 2] = ':';
    w->length += n + 3;
    w->after_key = 1;
}

#define key(w, name) key_n((w), "" name, sizeof(name) - 1)

/* A string, when value is text (quoted_text): 1, else nothing written (the
 * comma and the quoted part taken back) and 0. */
static int put_text(writer_t *w, const char *value)
{
    if (!value)
        return 0;
    size_t length = w->length;
    int after_key = w->after_key;
    unsigned char started = w->depth ? w->started[w->depth - 1] : 0;
    separate(w);
    if (quoted_text(w, value, strlen(value)))
        return 1;
    w->length = length;
    w->after_key = after_key;
    if (w->depth)
        w->started[w->depth - 1] = started;
    return 0;
}

/* A string or null; text that is not UTF-8 is null rather than a broken document. */
static void string_or_null(writer_t *w, const char *value)
{
    if (!put_text(w, value))
        null(w);
}

/* The text of an integer as %lld writes it, at the end of digits (24
 * bytes): its first byte's index. */
static size_t integer_text(int64_t value, char digits[24])
{
    size_t n = 24;
    uint64_t magnitude = value < 0 ? 0 - (uint64_t)value : (uint64_t)value;
    do
        digits[--n] = (char)('0' + magnitude % 10);
    while ((magnitude /= 10) != 0);
    if (value < 0)
        digits[--n] = '-';
    return n;
}

/* An integer as %lld writes it (sprintf was ~600 instructions each, ~120
 * an answer). */
static void integer(writer_t *w, int64_t value)
{
    char digits[24];
    size_t n = integer_text(value, digits);
    raw(w, digits + n, sizeof digits - n);
}

static void boolean(writer_t *w, int value)
{
    if (value)
        raw(w, "true", 4);
    else
        raw(w, "false", 5);
}

/* 10^k, k = 0..19 (10^19 < 2^64). */
static const uint64_t powers_of_ten[20] = {1u,
                                           10u,
                                           100u,
                                           1000u,
                                           10000u,
                                           100000u,
                                           1000000u,
                                           10000000u,
                                           100000000u,
                                           1000000000u,
                                           10000000000u,
                                           100000000000u,
                                           1000000000000u,
                                           10000000000000u,
                                           100000000000000u,
                                           1000000000000000u,
                                           10000000000000000u,
                                           100000000000000000u,
                                           1000000000000000000u,
                                           10000000000000000000u};

/* The 17 significant digits of value (1e-3 <= value < 1e15), rounded as
 * glibc's printf rounds them (to nearest, ties to even), and the power of
 * ten of the first: value ~ digits * 10^(*exponent - 16). 0 when it does
 * not settle (never seen; the caller falls back to snprintf). Exact: value
 * is mantissa / 2^shift (53 bits, 3 <= shift <= 62), so value * 10^k for
 * k <= 19 is mantissa * 10^k / 2^shift, whose numerator fits 117 bits: the
 * quotient and the remainder are computed whole in 128. */
static int seventeen_digits(double value, uint64_t *digits, int *exponent)
{
    int binary_exponent;
    double fraction =
        frexp(value, &binary_exponent); /* value = fraction * 2^e, 0.5 <= fraction < 1 */
    uint64_t mantissa = (uint64_t)ldexp(fraction, 53);
    int shift = 53 - binary_exponent;
    int decimal = (int)floor(log10(value)); /* an estimate: corrected below */
    for (int tries = 0; tries < 4; tries++) {
        int k = 16 - decimal;
        if (k < 0 || k > 19 || shift < 1 || shift > 64)
            return 0;
        unsigned __int128 product = (unsigned __int128)mantissa * powers_of_ten[k];
        unsigned __int128 quotient = product >> shift;
        if (quotient < powers_of_ten[16]) {
            decimal--;
            continue;
        }
        if (quotient >= powers_of_ten[17]) {
            decimal++;
            continue;
        }
        unsigned __int128 remainder = product - (quotient << shift);
        unsigned __int128 half = (unsigned __int128)1 << (shift - 1);
        if (remainder > half || (remainder == half && (quotient & 1)))
            quotient++;
        if (quotient == powers_of_ten[17]) { /* 99...95 rounded up to 10^17 */
            quotient = powers_of_ten[16];
            decimal++;
        }
        *digits = (uint64_t)quotient;
        *exponent = decimal;
        return 1;
    }
    return 0;
}

/* value as %.17g writes it when 1e-3 <= |value| < 1e15 (a score: the
 * range %g writes without an exponent), into text (40 bytes); its length,
 * 0 outside the range. Cost: ~200 instructions where snprintf's exact
 * conversion took ~1,600 (a fifth of an answer's instructions went to its
 * ten scores). tests/unit/test_json.c compares the two over 300,000
 * values. */
static size_t plain_real(double value, char *text)
{
    size_t length = 0;
    double magnitude = fabs(value);
    uint64_t digits;
    int exponent;
    if (!(magnitude >= 1e-3 && magnitude < 1e15) ||
        !seventeen_digits(magnitude, &digits, &exponent))
        return 0;
    char figures[17];
    for (int i = 16; i >= 0; i--, digits /= 10)
        figures[i] = (char)('0' + digits % 10);
    int last = 16; /* %g drops the fraction's trailing zeros */
    while (last > exponent && last > 0 && figures[last] == '0')
        last--;
    if (value < 0)
        text[length++] = '-';
    if (exponent >= 0) {
        memcpy(text + length, figures, (size_t)exponent + 1);
        length += (size_t)exponent + 1;
        if (last > exponent) {
            text[length++] = '.';
            memcpy(text + length, figures + exponent + 1, (size_t)(last - exponent));
            length += (size_t)(last - exponent);
        }
    } else {
        text[length++] = '0';
        text[length++] = '.';
        for (int i = exponent; i < -1; i++)
            text[length++] = '0';
        memcpy(text + length, figures, (size_t)last + 1);
        length += (size_t)last + 1;
    }
    text[length] = '\0';
    return length;
}

/* A real as jansson 2.14 prints it: %.17g, ".0" added to a number without
 * a dot or exponent, the exponent without '+' or leading zeros. */
static void real(writer_t *w, double value)
{
    if (!isfinite(value)) {
        null(w);
        return;
    }
    char text[40];
    int length = (int)plain_real(value, text);
    if (length == 0)
        length = snprintf(text, sizeof text - 3, "%.17g", value);
    if (length < 0 || (size_t)length >= sizeof text - 3) {
        w->failed = 1;
        return;
    }
    if (!strchr(text, '.') && !strchr(text, 'e')) {
        memcpy(text + length, ".0", 3);
        length += 2;
    }
    char *exponent = strchr(text, 'e');
    if (exponent) {
        char *digits = exponent + 1, *from = digits + 1;
        if (*digits == '-')
            digits++;
        while (*from == '0')
            from++;
        if (from != digits) {
            memmove(digits, from, strlen(from) + 1);
            length = (int)strlen(text);
        }
    }
    raw(w, text, (size_t)length);
}

/* The valid strings of values, in order (jansson's arrays skip the others). */
static void string_list(writer_t *w, const char *const *values, size_t count)
{
    begin(w, '[');
    for (size_t i = 0; i < count; i++)
        put_text(w, values[i]);
    end(w, ']');
}

static void hit_object(writer_t *w, const vind_hit_t *hit)
{
    begin(w, '{');
    /* null: no link of the site (vind_url_as_link; one pass over the url) */
    key(w, "url"), string_or_null(w, vind_url_as_link(hit->url));
    key(w, "title"), string_or_null(w, hit->title);
    key(w, "type"), string_or_null(w, hit->type);
    key(w, "date"), string_or_null(w, hit->date);
    key(w, "author"), string_or_null(w, hit->author);
    key(w, "description"), string_or_null(w, hit->description);
    key(w, "snippet"), string_or_null(w, hit->snippet);
    key(w, "pages");
    begin(w, '[');
    for (size_t i = 0; i < hit->n_pages; i++)
        integer(w, hit->pages[i]);
    end(w, ']');
    if (hit->ocr) /* only then: the answers of documents with a text layer stay as they were */
        key(w, "ocr"), boolean(w, 1);
    key(w, "tags"), string_list(w, hit->tags, hit->n_tags);
    key(w, "themes"), string_list(w, hit->themes, hit->n_themes);
    key(w, "parent"), string_or_null(w, vind_url_as_link(hit->parent));
    key(w, "score"), real(w, hit->score);
    key(w, "rank"), integer(w, hit->rank);
    key(w, "similar"), integer(w, hit->similar);
    key(w, "group"), string_or_null(w, hit->group);
    end(w, '}');
}

/* A facet value, {"value":…,"count":…,"selected":…}, as begin, key,
 * string_or_null, integer, boolean and end write it, its fixed parts in
 * three copies: an answer has ~57 of them, a third of its pieces, and
 * written piece by piece each cost ~170 instructions besides its text
 * (callgrind, the 1,000 bench answers). */
static void facet_value(writer_t *w, const vind_facet_value_t *value)
{
    static const char open[] = "{\"value\":", count[] = ",\"count\":",
                      selected[] = ",\"selected\":true}", unselected[] = ",\"selected\":false}";
    separate(w);
    put(w, open, sizeof open - 1);
    size_t at = w->length;
    if (!value->value || !quoted_text(w, value->value, strlen(value->value))) {
        w->length = at; /* not UTF-8: taken back, as string_or_null does */
        put(w, "null", 4);
    }
    char digits[24];
    size_t n = integer_text((int64_t)value->count, digits);
    put(w, count, sizeof count - 1);
    put(w, digits + n, sizeof digits - n);
    if (value->selected)
        put(w, selected, sizeof selected - 1);
    else
        put(w, unselected, sizeof unselected - 1);
}

/* The facet's first max_values values (the library sorts them by count). */
static void facet_list(writer_t *w, const vind_results_t *results, vind_facet_t facet,
                       size_t max_values)
{
    begin(w, '[');
    size_t count = vind_results_facet_count(results, facet);
    for (size_t i = 0; i < count && i < max_values; i++)
        facet_value(w, vind_results_facet_get(results, facet, i));
    end(w, ']');
}

char *vind_hit_to_json(const vind_hit_t *hit)
{
    writer_t w;
    if (!hit)
        return NULL;
    writer_open(&w);
    hit_object(&w, hit);
    return writer_close(&w);
}

/* A facet's name as a key. */
static void facet_key(writer_t *w, vind_facet_t facet)
{
    const char *name = vind_facet_name(facet);
    key_n(w, name, strlen(name));
}

/* The facet lists, each cut to max_values. */
static void facet_lists(writer_t *w, const vind_results_t *results, size_t max_values)
{
    begin(w, '{');
    for (int f = 0; f < VIND_FACET_LAST; f++) {
        facet_key(w, (vind_facet_t)f);
        facet_list(w, results, (vind_facet_t)f, max_values);
    }
    end(w, '}');
}

/* "facets_more": per facet the values left out past max_values. */
static void facets_more(writer_t *w, const vind_results_t *results, size_t max_values)
{
    begin(w, '{');
    for (int f = 0; f < VIND_FACET_LAST; f++) {
        size_t count = vind_results_facet_count(results, (vind_facet_t)f);
        facet_key(w, (vind_facet_t)f);
        integer(w, count > max_values ? (int64_t)(count - max_values) : 0);
    }
    end(w, '}');
}

/* The totals and flags before the lists: how many, exact or not. */
static void counts(writer_t *w, const vind_results_t *results)
{
    key(w, "total"), integer(w, (int64_t)vind_results_total(results));
    /* total counts documents: near-duplicates collapsed into a hit too;
     * listed is what pages run over after collapsing. */
    key(w, "total_includes_similar"), boolean(w, 1);
    key(w, "listed"), integer(w, (int64_t)vind_results_listed(results));
    key(w, "offset"), integer(w, (int64_t)vind_results_offset(results));
    key(w, "limit"), integer(w, (int64_t)vind_results_limit(results));
    key(w, "fallback"), boolean(w, vind_results_fallback(results));
    key(w, "fallback_total"), integer(w, (int64_t)vind_results_fallback_total(results));
    key(w, "partial"), boolean(w, vind_results_partial(results));
    /* Past the count limit total + fallback_total is Xapian's estimate:
     * the bounds hold the true count ("ongeveer N"); equal to it when exact. */
    uint64_t lower = 0, upper = 0;
    vind_results_total_bounds(results, &lower, &upper);
    key(w, "total_exact"), boolean(w, vind_results_total_exact(results));
    key(w, "total_lower"), integer(w, (int64_t)lower);
    key(w, "total_upper"), integer(w, (int64_t)upper);
    key(w, "facets_exact"), boolean(w, vind_results_facets_exact(results));
}

/* The answer; with capped set, the facets cut to max_values and
 * "facets_more" after them. Hot path of /api/search: ten hits and ~50
 * facet values written in one pass (~0.048 M instructions on the corpus,
 * capped as vind-searchd writes it: 40% the checks and copies of ~8 kB
 * of text in ~120 strings, the rest keys, commas, numbers and the hits'
 * links checked (vind_url_as_link)). */
static char *results_json(const vind_results_t *results, int capped, size_t max_values)
{
    writer_t w;
    if (!results)
        return NULL;
    writer_open(&w);
    begin(&w, '{');
    key(&w, "query"), string_or_null(&w, vind_results_query(results));
    key(&w, "understood"), string_or_null(&w, vind_results_understood(results));
    counts(&w, results);
    key(&w, "notices");
    begin(&w, '[');
    for (size_t i = 0; i < vind_results_notice_count(results); i++)
        put_text(&w, vind_results_notice(results, i));
    end(&w, ']');
    key(&w, "absent");
    begin(&w, '[');
    for (size_t i = 0; i < vind_results_absent_count(results); i++)
        string_or_null(&w, vind_results_absent(results, i));
    end(&w, ']');
    key(&w, "suggestion"), string_or_null(&w, vind_results_suggestion(results));
    key(&w, "corrected"), boolean(&w, vind_results_corrected(results));
    key(&w, "results");
    begin(&w, '[');
    for (size_t i = 0; i < vind_results_count(results); i++)
        hit_object(&w, vind_results_get(results, i));
    end(&w, ']');
    key(&w, "facets");
    if (vind_results_has_facets(results))
        facet_lists(&w, results, capped ? max_values : SIZE_MAX);
    else
        null(&w);
    if (capped && vind_results_has_facets(results))
        key(&w, "facets_more"), facets_more(&w, results, max_values);
    end(&w, '}');
    return writer_close(&w);
}

char *vind_results_to_json(const vind_results_t *results)
{
    return results_json(results, 0, 0);
}

char *vind_results_to_json_capped(const vind_results_t *results, size_t max_values)
{
    return results_json(results, 1, max_values);
}
