/*
 * tokenize.c - finds the tokens of a text: where each starts and ends in
 * the original bytes and what kind it is. Offsets always refer to the text
 * as given, because snippets highlight the original.
 *
 * One pass over code points. A token begins at a letter or digit and runs
 * on over letters, digits and the connectors . , / @ - ' (and invisible
 * characters such as soft hyphens) that stand between two of them; the run
 * is then classified, in this order: e-mail address, URL or domain, number,
 * abbreviation, and otherwise words split at the connectors (hyphens keep
 * the parts together as one hyphenated word). Apostrophes before a word
 * start the Dutch clitics "'t", "'s", "'n" and names like "'s-Hertogenbosch".
 */
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include "error.h"
#include "normalize.h"
#include "tokenize.h"

typedef enum {
    CLASS_SEPARATOR = 0,
    CLASS_LETTER,
    CLASS_DIGIT,
    CLASS_APOSTROPHE,
    CLASS_HYPHEN,
    CLASS_DOT,
    CLASS_COMMA,
    CLASS_SLASH,
    CLASS_AT,
    CLASS_INVISIBLE,
    CLASS_SPACE, /* a space that may group digits: "35 538", "35\u00A0538" */
} char_class_t;

typedef struct {
    const char *text;
    size_t len;
    vind_lang_t lang;
    vind_spans_t *spans;
    int failed; /* out of memory */
} scanner_t;

static char_class_t classify(gunichar cp)
{
    if (cp < 0x80) {
        if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z'))
            return CLASS_LETTER;
        if (cp >= '0' && cp <= '9')
            return CLASS_DIGIT;
        switch (cp) {
        case '\'':
            return CLASS_APOSTROPHE;
        case '-':
            return CLASS_HYPHEN;
        case '.':
            return CLASS_DOT;
        case ',':
            return CLASS_COMMA;
        case '/':
            return CLASS_SLASH;
        case '@':
            return CLASS_AT;
        case ' ':
            return CLASS_SPACE;
        default:
            return CLASS_SEPARATOR;
        }
    }
    if (cp == VIND_REPLACEMENT_CHARACTER || vind_char_is_private_use(cp))
        return CLASS_SEPARATOR; /* the symbol-font bullet U+F0B7 of Word lists in PDFs */
    if (vind_char_is_invisible(cp))
        return CLASS_INVISIBLE;
    if (vind_char_is_apostrophe(cp) && cp != 0x00B4)
        return CLASS_APOSTROPHE;
    if (vind_char_is_hyphen(cp))
        return CLASS_HYPHEN;
    if (cp == 0x00A0 || cp == 0x202F || cp == 0x2009)
        return CLASS_SPACE;
    if (g_unichar_isdigit(cp))
        return CLASS_DIGIT;
    if (g_unichar_isalnum(cp) || g_unichar_ismark(cp))
        return CLASS_LETTER;
    return CLASS_SEPARATOR;
}

/* Class of the character at i (CLASS_SEPARATOR at the end); *n = its length.
 * Cost: called several times a character of every text analysed; ASCII
 * letters and digits (most characters) answer before classify's tests. */
static inline char_class_t class_at(const scanner_t *s, size_t i, size_t *n)
{
    if (i >= s->len) {
        *n = 0;
        return CLASS_SEPARATOR;
    }
    unsigned char b = (unsigned char)s->text[i];
    if (b < 0x80) {
        *n = 1;
        if ((unsigned)((b | 0x20) - 'a') < 26u)
            return CLASS_LETTER;
        if ((unsigned)(b - '0') < 10u)
            return CLASS_DIGIT;
        return classify(b);
    }
    gunichar cp;
    *n = vind_utf8_decode(s->text, s->len, i, &cp);
    return classify(cp);
}

static int is_word_class(char_class_t c)
{
    return c == CLASS_LETTER || c == CLASS_DIGIT;
}

static int lower_ascii(int c)
{
    return (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c;
}

static int starts_with_nocase(const scanner_t *s, size_t i, const char *prefix)
{
    size_t n = strlen(prefix);
    if (s->len - i < n)
        return 0;
    for (size_t k = 0; k < n; k++)
        if (lower_ascii((unsigned char)s->text[i + k]) != prefix[k])
            return 0;
    return 1;
}

/* Whether a URL with its scheme starts at i. Asked at every word: the first
 * letter decides for nearly all of them before three prefix compares (~1%
 * of the analysis, callgrind over the shared site). */
static int starts_url_scheme(const scanner_t *s, size_t i)
{
    int first = lower_ascii((unsigned char)s->text[i]);
    if (first == 'h')
        return starts_with_nocase(s, i, "http://") || starts_with_nocase(s, i, "https://");
    return first == 'f' && starts_with_nocase(s, i, "ftp://");
}

static vind_span_t *push_span(scanner_t *s, size_t start, size_t end, vind_span_kind_t kind)
{
    vind_spans_t *spans = s->spans;
    if (spans->count == spans->capacity) {
        size_t capacity = spans->capacity ? spans->capacity * 2 : 256;
        vind_span_t *items = realloc(spans->items, capacity * sizeof *items);
        if (items == NULL) {
            s->failed = 1;
            return NULL;
        }
        spans->items = items;
        spans->capacity = capacity;
    }
    vind_span_t *span = &spans->items[spans->count++];
    memset(span, 0, sizeof *span);
    span->start = start;
    span->end = end;
    span->form_end = end;
    span->kind = (unsigned char)kind;
    return span;
}

/*
 * The end of a word run starting at i: letters and digits, joined by one
 * connector between two of them. A comma joins only digits ("3,5" but not
 * "zorg,welzijn"); soft hyphens and zero-width characters join anything.
 */
static size_t scan_run(const scanner_t *s, size_t i)
{
    size_t j = i;
    char_class_t last = CLASS_SEPARATOR;
    for (;;) {
        size_t n;
        char_class_t c = class_at(s, j, &n);
        if (is_word_class(c)) {
            last = c;
            j += n;
            continue;
        }
        if (c != CLASS_APOSTROPHE && c != CLASS_HYPHEN && c != CLASS_DOT && c != CLASS_COMMA &&
            c != CLASS_SLASH && c != CLASS_AT && c != CLASS_INVISIBLE)
            return j;
        size_t k = j + n, m;
        char_class_t next = class_at(s, k, &m);
        while (c == CLASS_INVISIBLE && next == CLASS_INVISIBLE) {
            k += m;
            next = class_at(s, k, &m);
        }
        if (!is_word_class(next))
            return j;
        if (c == CLASS_COMMA && !(last == CLASS_DIGIT && next == CLASS_DIGIT))
            return j;
        j = k;
    }
}

/* Whether the n bytes at text, ASCII lower-cased, are one of the n_words
 * words, none longer than longest (at most 15). Cost: a longer text stops at
 * the length check; else a copy of n bytes and a strcmp per word. */
static int is_listed_lower(const char *text, size_t n, const char *const *words, size_t n_words,
                           size_t longest)
{
    char lower[16];
    if (n == 0 || n > longest || n >= sizeof lower)
        return 0;
    for (size_t k = 0; k < n; k++)
        lower[k] = (char)lower_ascii((unsigned char)text[k]);
    lower[n] = '\0';
    for (size_t k = 0; k < n_words; k++)
        if (strcmp(lower, words[k]) == 0)
            return 1;
    return 0;
}

/* Top-level domains recognised in bare domain names ("coronamelder.nl").
 * Short TLDs that are also Dutch or English words ("de", "in", "is", "at",
 * "me", "to") are left out: "de app.De gebruiker" is not a domain. */
static int is_known_tld(const char *label, size_t n)
{
    static const char *const tlds[] = {"nl",  "com", "org", "net", "eu",   "be",  "gov",      "edu",
                                       "io",  "int", "uk",  "app", "info", "frl", "nu",       "biz",
                                       "dev", "ch",  "fr",  "es",  "se",   "dk",  "amsterdam"};
    return is_listed_lower(label, n, tlds, sizeof tlds / sizeof tlds[0], 9);
}

/* Whether [start, end) is a domain name: ASCII labels of letters, digits and
 * hyphens, at least two, the last a known TLD and the one before it at
 * least two characters long. */
static int is_domain(const scanner_t *s, size_t start, size_t end)
{
    if (!memchr(s->text + start, '.', end - start))
        return 0; /* one label (every plain word): none of the tests below */
    size_t labels = 0, label_start = start, previous_length = 0;
    for (size_t k = start; k <= end; k++) {
        unsigned char b = k < end ? (unsigned char)s->text[k] : '.';
        if (b == '.') {
            size_t length = k - label_start;
            if (length == 0)
                return 0;
            if (k == end)
                return labels >= 1 && previous_length >= 2 &&
                       is_known_tld(s->text + label_start, length);
            labels++;
            previous_length = length;
            label_start = k + 1;
            continue;
        }
        if (!((b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') ||
              b == '-'))
            return 0;
    }
    return 0;
}

/* "ASP.NET", "Node.JS": a bare name whose last label has capitals is a
 * product name, not a domain; domains in running text are lower case. */
static int has_upper_case_tld(const scanner_t *s, size_t start, size_t end)
{
    for (size_t k = end; k > start && s->text[k - 1] != '.'; k--)
        if (s->text[k - 1] >= 'A' && s->text[k - 1] <= 'Z')
            return 1;
    return 0;
}

/* Characters that end a URL: white space, controls, the delimiters of RFC
 * 3986 appendix C, and anything not ASCII (a URL in running text is
 * followed by a space or a typographic quote). */
static int ends_url(unsigned char b)
{
    return b <= ' ' || b >= 0x7F || b == '"' || b == '<' || b == '>' || b == '{' || b == '}' ||
           b == '|' || b == '\\' || b == '^' || b == '`';
}

/* The end of a URL running from i, without trailing sentence punctuation
 * ("zie https://www.rivm.nl/corona." ends before the dot) and without a
 * closing parenthesis that has no opening one inside the URL. */
static size_t scan_url(const scanner_t *s, size_t i)
{
    size_t j = i;
    while (j < s->len && !ends_url((unsigned char)s->text[j]))
        j++;
    while (j > i) {
        unsigned char last = (unsigned char)s->text[j - 1];
        if (strchr(".,;:!?'*", last) || last == ']') {
            j--;
            continue;
        }
        if (last == ')' && memchr(s->text + i, '(', j - i) == NULL) {
            j--;
            continue;
        }
        break;
    }
    return j;
}

/* "local@domain.tld": one '@', something before it, a domain after it. */
static int is_email(const scanner_t *s, size_t start, size_t end)
{
    const char *at = memchr(s->text + start, '@', end - start);
    if (at == NULL || at == s->text + start)
        return 0;
    size_t domain = (size_t)(at - s->text) + 1;
    if (memchr(s->text + domain, '@', end - domain) != NULL)
        return 0;
    return is_domain(s, domain, end);
}

/* Whether [start, end) is all digits with dots and commas between them. */
static int is_number_run(const scanner_t *s, size_t start, size_t end)
{
    size_t k = start, n;
    while (k < end) {
        char_class_t c = class_at(s, k, &n);
        if (c != CLASS_DIGIT && c != CLASS_DOT && c != CLASS_COMMA)
            return 0;
        k += n;
    }
    return 1;
}

/* Dutch abbreviations written with one final dot; a sentence ending in one
 * of these words is rare ("bijv." is never the end of a Dutch sentence). */
static int is_dutch_dot_abbreviation(const scanner_t *s, size_t start, size_t end)
{
    static const char *const words[] = {
        "bijv", "bv",  "blz", "nr",   "nrs", "art",  "ca",   "dhr",  "mevr", "mw",  "drs",
        "dr",   "ir",  "ing", "prof", "mr",  "resp", "incl", "excl", "evt",  "enz", "etc",
        "vgl",  "zgn", "jl",  "ong",  "afd", "tel",  "fig",  "hfst", "pag",  "vs",  "st",
        "jr",   "sr",  "mln", "mld",  "mrd", "nl",   "aug",  "sept", "okt",  "dec", "jan",
        "feb",  "apr", "max", "min",  "gem", "wo",   "nov",
    };
    return is_listed_lower(s->text + start, end - start, words, sizeof words / sizeof words[0], 5);
}

/*
 * Dotted abbreviations: groups of one to three ASCII letters joined by dots,
 * at least two groups, followed by a final dot ("o.a.", "d.w.z.", "m.b.t.",
 * "t.a.v.", "N.V.") or made of single letters ("o.a" at the end of a text).
 * Returns the end including the final dot, or 0.
 */
static size_t dotted_abbreviation_end(const scanner_t *s, size_t start, size_t end)
{
    size_t groups = 0, group_length = 0, longest = 0;
    for (size_t k = start; k <= end; k++) {
        unsigned char b = k < end ? (unsigned char)s->text[k] : '.';
        if (b == '.') {
            if (group_length == 0)
                return 0;
            groups++;
            if (group_length > longest)
                longest = group_length;
            group_length = 0;
            continue;
        }
        if (!((b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z')))
            return 0;
        if (++group_length > 3)
            return 0;
    }
    if (groups < 2)
        return 0;
    if (end < s->len && s->text[end] == '.')
        return end + 1;
    return longest == 1 ? end : 0;
}

/* "t/m", "v/h", "s/m": one letter, a slash, one letter. */
static int is_slash_abbreviation(const scanner_t *s, size_t start, size_t end)
{
    if (end - start != 3 || s->text[start + 1] != '/')
        return 0;
    unsigned char a = (unsigned char)lower_ascii((unsigned char)s->text[start]);
    unsigned char b = (unsigned char)lower_ascii((unsigned char)s->text[start + 2]);
    return a >= 'a' && a <= 'z' && b >= 'a' && b <= 'z';
}

/* "35 538", "1 000 000": a number of one to three digits followed by groups
 * of exactly three digits after a single (no-break, thin) space. */
static size_t extend_digit_groups(const scanner_t *s, size_t start, size_t end)
{
    size_t first = end - start;
    for (size_t k = start; k < end; k++)
        if (s->text[k] < '0' || s->text[k] > '9')
            return end;
    if (first > 3)
        return end;
    for (;;) {
        size_t n, m;
        if (class_at(s, end, &n) != CLASS_SPACE)
            return end;
        size_t k = end + n, digits = 0;
        while (digits < 4 && class_at(s, k, &m) == CLASS_DIGIT && m == 1)
            k++, digits++;
        char_class_t after = class_at(s, k, &m);
        if (digits != 3 || is_word_class(after))
            return end;
        if ((after == CLASS_DOT || after == CLASS_COMMA) && class_at(s, k + m, &n) == CLASS_DIGIT)
            return end;
        end = k;
    }
}

/* The byte offset of an apostrophe that ends just before end (one to three
 * bytes back) and is preceded by something, or 0. */
static size_t apostrophe_before(const scanner_t *s, size_t start, size_t end)
{
    for (size_t back = 1; back <= 3 && back < end - start; back++) {
        gunichar cp;
        size_t n = vind_utf8_decode(s->text, s->len, end - back, &cp);
        if (n == back && classify(cp) == CLASS_APOSTROPHE)
            return end - back;
    }
    return 0;
}

static int is_acronym(const scanner_t *s, size_t start, size_t end)
{
    for (size_t k = start; k < end; k++) {
        unsigned char b = (unsigned char)s->text[k];
        if (!((b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9')))
            return 0;
    }
    return 1;
}

/*
 * Apostrophe plurals and genitives: "auto's", "foto's", "cliënt's",
 * "risico’s" (form "auto", "foto", "cliënt", "risico"), and the plural of
 * acronyms "GGD’en", "API's" (form "GGD", "API"). Other apostrophes stay in
 * the word: "zo'n", "m'n", "don't".
 */
static void set_apostrophe_form(const scanner_t *s, vind_span_t *span)
{
    size_t start = span->start, end = span->end;
    if (end - start >= 3 && lower_ascii((unsigned char)s->text[end - 1]) == 's') {
        size_t apostrophe = apostrophe_before(s, start, end - 1);
        if (apostrophe)
            span->form_end = apostrophe;
        return;
    }
    if (end - start >= 4 && s->text[end - 1] == 'n' && s->text[end - 2] == 'e') {
        size_t apostrophe = apostrophe_before(s, start, end - 2);
        if (apostrophe && is_acronym(s, start, apostrophe))
            span->form_end = apostrophe;
    }
}

/* Splits a run that is no address, number or abbreviation into words at its
 * connectors; parts joined by hyphens are marked as one hyphenated word. */
static void split_run(scanner_t *s, size_t start, size_t end)
{
    size_t segment = start, k = start, n;
    while (k <= end) {
        char_class_t c = k < end ? class_at(s, k, &n) : (n = 0, CLASS_SEPARATOR);
        if (k < end && c != CLASS_HYPHEN && c != CLASS_DOT && c != CLASS_COMMA &&
            c != CLASS_SLASH && c != CLASS_AT) {
            k += n;
            continue;
        }
        if (c == CLASS_COMMA && k < end) { /* digits only: "3,5" inside "a-3,5" */
            k += n;
            continue;
        }
        if (k > segment) {
            vind_span_kind_t kind =
                is_number_run(s, segment, k) ? VIND_SPAN_NUMBER : VIND_SPAN_WORD;
            vind_span_t *span = push_span(s, segment, k, kind);
            if (span == NULL)
                return;
            if (kind == VIND_SPAN_WORD)
                set_apostrophe_form(s, span);
            span->hyphen_next = (c == CLASS_HYPHEN && k < end);
        }
        if (k == end)
            break;
        k += n;
        segment = k;
    }
}

/* Classifies the run [start, end) and pushes its spans; returns where
 * scanning goes on (past a final abbreviation dot or URL path). */
static size_t emit_run(scanner_t *s, size_t start, size_t end)
{
    if (memchr(s->text + start, '@', end - start) && is_email(s, start, end)) {
        push_span(s, start, end, VIND_SPAN_EMAIL);
        return end;
    }
    const char *slash = memchr(s->text + start, '/', end - start);
    size_t host_end = slash ? (size_t)(slash - s->text) : end;
    if (starts_with_nocase(s, start, "www.") ||
        (is_domain(s, start, host_end) && !has_upper_case_tld(s, start, host_end))) {
        size_t url_end = end;
        if (host_end < end || (end < s->len && (s->text[end] == '/' || s->text[end] == ':')))
            url_end = scan_url(s, start);
        if (url_end < end)
            url_end = end;
        push_span(s, start, url_end, VIND_SPAN_URL);
        return url_end;
    }
    size_t n;
    if (class_at(s, start, &n) == CLASS_DIGIT && is_number_run(s, start, end)) {
        size_t number_end = extend_digit_groups(s, start, end);
        push_span(s, start, number_end, VIND_SPAN_NUMBER);
        return number_end;
    }
    size_t abbreviation_end = dotted_abbreviation_end(s, start, end);
    if (abbreviation_end) {
        push_span(s, start, abbreviation_end, VIND_SPAN_ABBREV);
        return abbreviation_end;
    }
    if (is_slash_abbreviation(s, start, end)) {
        push_span(s, start, end, VIND_SPAN_ABBREV);
        return end;
    }
    if (s->lang == VIND_LANG_NL && end < s->len && s->text[end] == '.' &&
        is_dutch_dot_abbreviation(s, start, end)) {
        push_span(s, start, end + 1, VIND_SPAN_ABBREV);
        return end + 1;
    }
    size_t before = s->spans->count;
    split_run(s, start, end);
    if (s->failed || s->spans->count == before)
        return end;
    /* "zorg- en onderwijsvernieuwing": a word followed by a hyphen and then
     * no word character. The analyzer checks for the conjunction. */
    vind_span_t *last = &s->spans->items[s->spans->count - 1];
    size_t m;
    if (last->kind == VIND_SPAN_WORD && class_at(s, end, &n) == CLASS_HYPHEN &&
        !is_word_class(class_at(s, end + n, &m))) {
        last->elliptic = 1;
        last->end = end + n;
        return end + n;
    }
    return end;
}

/*
 * At an apostrophe that follows no word character: the clitics "'t", "'s"
 * and "'n" ("in 't Gooi", "'s avonds"), and names that begin with "'s-"
 * ("'s-Hertogenbosch", "'s-Gravenhage"). Returns the end of what it pushed,
 * or 0.
 */
static size_t emit_apostrophe_word(scanner_t *s, size_t i, size_t apostrophe_length)
{
    size_t k = i + apostrophe_length, n, m;
    if (k >= s->len)
        return 0;
    int letter = lower_ascii((unsigned char)s->text[k]);
    if (letter != 't' && letter != 's' && letter != 'n')
        return 0;
    char_class_t after = class_at(s, k + 1, &n);
    if (letter == 's' && after == CLASS_HYPHEN && class_at(s, k + 1 + n, &m) == CLASS_LETTER) {
        size_t end = scan_run(s, k + 1 + n);
        /* The run may carry on with more hyphenated parts; the name is them all
         * up to a connector other than a hyphen. */
        size_t name_end = k + 1 + n;
        while (name_end < end) {
            char_class_t c = class_at(s, name_end, &m);
            if (c != CLASS_LETTER && c != CLASS_DIGIT && c != CLASS_HYPHEN &&
                c != CLASS_INVISIBLE && c != CLASS_APOSTROPHE)
                break;
            name_end += m;
        }
        push_span(s, i, name_end, VIND_SPAN_NAME);
        return name_end;
    }
    if (is_word_class(after) || after == CLASS_APOSTROPHE)
        return 0;
    push_span(s, i, k + 1, VIND_SPAN_CLITIC);
    return k + 1;
}

vind_status_t vind_tokenize(const char *text, size_t len, vind_lang_t lang, vind_spans_t *spans,
                            char **errmsg)
{
    spans->count = 0;
    scanner_t s = {.text = text, .len = len, .lang = lang, .spans = spans, .failed = 0};
    size_t i = 0;
    char_class_t previous = CLASS_SEPARATOR;
    int tail_pending = 0;
    while (i < len && !s.failed) {
        size_t n;
        char_class_t c = class_at(&s, i, &n);
        if (is_word_class(c)) {
            size_t before = spans->count;
            size_t next;
            if (starts_url_scheme(&s, i)) {
                next = scan_url(&s, i);
                push_span(&s, i, next, VIND_SPAN_URL);
            } else {
                next = emit_run(&s, i, scan_run(&s, i));
            }
            if (tail_pending && spans->count > before &&
                spans->items[before].kind == VIND_SPAN_WORD)
                spans->items[before].elliptic_tail = 1;
            tail_pending = 0;
            previous = CLASS_LETTER;
            i = next > i ? next : i + n;
            continue;
        }
        if (c == CLASS_APOSTROPHE && !is_word_class(previous)) {
            size_t next = emit_apostrophe_word(&s, i, n);
            if (next) {
                previous = CLASS_LETTER;
                tail_pending = 0;
                i = next;
                continue;
            }
        }
        /* "onderwijsvernieuwing en -beleid": a hyphen after a space, before a letter. */
        size_t m;
        tail_pending = c == CLASS_HYPHEN &&
                       (previous == CLASS_SPACE || previous == CLASS_SEPARATOR) && i > 0 &&
                       class_at(&s, i + n, &m) == CLASS_LETTER;
        previous = c;
        i += n;
    }
    if (s.failed) {
        spans->count = 0;
        return vind_error(errmsg, VIND_NOMEM, "cannot tokenise %zu bytes of text: out of memory",
                          len);
    }
    return VIND_OK;
}

void vind_spans_release(vind_spans_t *spans)
{
    if (spans == NULL)
        return;
    free(spans->items);
    spans->items = NULL;
    spans->count = spans->capacity = 0;
}
