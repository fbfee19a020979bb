/*
 * normalize.c - folds text to the one form every index term and query word
 * is made from: NFKC, case fold, no diacritics ("cliënten" = "clienten",
 * "één" = "een", "crèche" = "creche"), one apostrophe and one double quote
 * ("risico’s" = "risico's"), ligatures expanded ("ﬁnanciën" from PDFs =
 * "financien"), soft hyphens and zero-width characters dropped
 * ("verpleeg\u00ADhuis" from hyphenated HTML = "verpleeghuis").
 *
 * Most Dutch text is ASCII, so ASCII is folded byte by byte with no
 * allocation; only a run holding other characters goes through GLib's
 * g_utf8_normalize() and g_utf8_casefold().
 */
#include <stdlib.h>
#include <string.h>

#include <vind/analyze.h>
#include "normalize.h"

size_t vind_utf8_decode(const char *text, size_t len, size_t i, gunichar *cp)
{
    const unsigned char *s = (const unsigned char *)text + i;
    size_t left = len - i;
    unsigned char b = s[0];
    if (b < 0x80) {
        *cp = b;
        return 1;
    }
    size_t need;
    gunichar value, minimum;
    if (b >= 0xC2 && b <= 0xDF) {
        need = 2, value = b & 0x1F, minimum = 0x80;
    } else if (b >= 0xE0 && b <= 0xEF) {
        need = 3, value = b & 0x0F, minimum = 0x800;
    } else if (b >= 0xF0 && b <= 0xF4) {
        need = 4, value = b & 0x07, minimum = 0x10000;
    } else {
        *cp = VIND_REPLACEMENT_CHARACTER; /* continuation byte, 0xC0/0xC1 overlong, 0xF5.. */
        return 1;
    }
    if (left < need) {
        *cp = VIND_REPLACEMENT_CHARACTER;
        return 1;
    }
    for (size_t k = 1; k < need; k++) {
        if ((s[k] & 0xC0) != 0x80) {
            *cp = VIND_REPLACEMENT_CHARACTER;
            return 1;
        }
        value = (value << 6) | (s[k] & 0x3F);
    }
    /* Overlong forms ("\xE0\x80\xAF" for '/') would smuggle ASCII past checks;
     * surrogates and values beyond U+10FFFF are not characters. */
    if (value < minimum || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) {
        *cp = VIND_REPLACEMENT_CHARACTER;
        return 1;
    }
    *cp = value;
    return need;
}

int vind_char_is_invisible(gunichar cp)
{
    return cp == 0x00AD || (cp >= 0x200B && cp <= 0x200D) || cp == 0x2060 || cp == 0xFEFF;
}

int vind_char_is_private_use(gunichar cp)
{
    return (cp >= 0xE000 && cp <= 0xF8FF) || cp >= 0xF0000;
}

int vind_char_is_apostrophe(gunichar cp)
{
    switch (cp) {
    case '\'':
    case 0x2018: /* ‘ */
    case 0x2019: /* ’ : Word turns "auto's" into "auto’s" */
    case 0x201A: /* ‚ */
    case 0x201B: /* ‛ */
    case 0x2032: /* ′ : PDFs set "risico′s" with a prime */
    case 0x00B4: /* ´ */
    case 0x02BC: /* ʼ */
        return 1;
    default:
        return 0;
    }
}

int vind_char_is_hyphen(gunichar cp)
{
    return cp == '-' || cp == 0x2010 || cp == 0x2011;
}

/*
 * The replacement of a non-ASCII character that needs no Unicode tables:
 * a single ASCII byte, 0 to drop it, or -1 when it is an ordinary character
 * for GLib to fold.
 */
static int special_replacement(gunichar cp)
{
    if (vind_char_is_invisible(cp))
        return 0;
    if (vind_char_is_apostrophe(cp))
        return '\'';
    if (vind_char_is_hyphen(cp))
        return '-';
    if (vind_char_is_private_use(cp) || cp == VIND_REPLACEMENT_CHARACTER)
        return ' ';
    if (cp >= 0x80 && cp <= 0x9F) /* C1 controls, from Latin-1 text read as Windows-1252 */
        return ' ';
    switch (cp) {
    case 0x201C: /* “ */
    case 0x201D: /* ” */
    case 0x201E: /* „ : Dutch opening quote */
    case 0x201F: /* ‟ */
    case 0x2033: /* ″ */
    case 0x00AB: /* « */
    case 0x00BB: /* » */
        return '"';
    default:
        return -1;
    }
}

/* Letters that neither decompose nor case-fold to ASCII but that a Dutch
 * reader types without their stroke: "Søren" is searched as "soren". */
static const char *letter_replacement(gunichar cp)
{
    switch (cp) {
    case 0x00F8: /* ø */
        return "o";
    case 0x0142: /* ł */
        return "l";
    case 0x0111: /* đ */
        return "d";
    case 0x00E6: /* æ */
        return "ae";
    case 0x0153: /* œ */
        return "oe";
    case 0x0131: /* ı */
        return "i";
    case 0x00DF: /* ß, in case casefold left it */
        return "ss";
    default:
        return NULL;
    }
}

static char fold_ascii(unsigned char b)
{
    if (b >= 'A' && b <= 'Z')
        b = (unsigned char)(b - 'A' + 'a');
    else if ((b < 0x20 && b != '\t' && b != '\n' && b != '\r') || b == 0x7F)
        b = ' '; /* NUL and other controls separate words */
    return (char)b;
}

static void append_ascii(GString *out, unsigned char b)
{
    g_string_append_c(out, fold_ascii(b));
}

/*
 * Folds the non-ASCII characters of a run already cleaned by the first
 * pass (valid UTF-8, no specials): NFKD, case fold, combining marks
 * dropped, then NFC so that scripts whose letters decompose into letters
 * (Hangul) come back whole.
 */
static void fold_with_glib(GString *out, size_t from)
{
    gchar *decomposed =
        g_utf8_normalize(out->str + from, (gssize)(out->len - from), G_NORMALIZE_NFKD);
    if (decomposed == NULL)
        return; /* cannot happen: the first pass wrote valid UTF-8 */
    gchar *folded = g_utf8_casefold(decomposed, -1);
    g_free(decomposed);
    g_string_truncate(out, from);
    int non_ascii = 0;
    for (const gchar *p = folded; *p; p = g_utf8_next_char(p)) {
        /* Unicode case-folds Cherokee small letters to capitals (U+ABA7 ->
         * U+13D7) while GLib folds the capitals with tolower (U+13D7 ->
         * U+ABA7), so a fold of a fold flipped back and the two cases of one
         * letter never matched (fuzz input
         * tests/fuzz/regressions/analyze/cherokee-casefold). Lower-casing the
         * folded letter makes both cases end on the small letter. */
        gunichar cp = g_unichar_tolower(g_utf8_get_char(p));
        if (cp < 0x80) {
            append_ascii(out, (unsigned char)cp);
            continue;
        }
        if (g_unichar_type(cp) == G_UNICODE_NON_SPACING_MARK)
            continue; /* the diaeresis of "cliënten", the accent of "crèche" */
        int special = special_replacement(cp);
        if (special > 0)
            g_string_append_c(out, (gchar)special);
        if (special >= 0)
            continue;
        const char *letter = letter_replacement(cp);
        if (letter) {
            g_string_append(out, letter);
            continue;
        }
        g_string_append_unichar(out, cp);
        non_ascii = 1;
    }
    g_free(folded);
    if (!non_ascii)
        return;
    gchar *composed = g_utf8_normalize(out->str + from, (gssize)(out->len - from), G_NORMALIZE_NFC);
    if (composed == NULL)
        return;
    g_string_truncate(out, from);
    g_string_append(out, composed);
    g_free(composed);
}

void vind_normalize_append(GString *out, const char *text, size_t len)
{
    size_t from = out->len;
    int needs_glib = 0;
    size_t i = 0;
    while (i < len) {
        unsigned char b = (unsigned char)text[i];
        if (b < 0x80) {
            append_ascii(out, b);
            i++;
            continue;
        }
        gunichar cp;
        size_t n = vind_utf8_decode(text, len, i, &cp);
        int special = special_replacement(cp);
        if (special > 0)
            g_string_append_c(out, (gchar)special);
        if (special < 0) {
            g_string_append_len(out, text + i, (gssize)n);
            needs_glib = 1;
        }
        i += n;
    }
    if (needs_glib)
        fold_with_glib(out, from);
}

/* An ASCII text folded byte by byte straight into its result, or NULL when
 * text holds another byte (or no memory). Every stop word and synonym is
 * ASCII, and opening a searcher normalises ~400 of them: without a GString
 * each costs ~100 instructions instead of ~460 (`vind search` opens one). */
static char *normalize_ascii(const char *text, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)text[i] >= 0x80)
            return NULL;
    char *result = malloc(len + 1);
    if (result == NULL)
        return NULL;
    for (size_t i = 0; i < len; i++)
        result[i] = fold_ascii((unsigned char)text[i]);
    result[len] = '\0';
    return result;
}

char *vind_normalize(const char *text, size_t len)
{
    if (text == NULL && len > 0)
        return NULL;
    char *ascii = normalize_ascii(text ? text : "", len);
    if (ascii)
        return ascii;
    GString *out = g_string_sized_new(len + 1);
    vind_normalize_append(out, text ? text : "", len);
    char *result = malloc(out->len + 1);
    if (result)
        memcpy(result, out->str, out->len + 1);
    g_string_free(out, TRUE);
    return result;
}

char *vind_normalize_collapsed(const char *text, size_t len)
{
    char *folded = vind_normalize(text, len);
    if (folded == NULL)
        return g_strdup("");
    /* Collapsed in place: the result is never longer than the folded text. */
    size_t n = 0;
    int space = 0;
    for (const char *p = folded; *p; p++) {
        if (g_ascii_isspace(*p)) {
            space = n > 0;
            continue;
        }
        if (space)
            folded[n++] = ' ';
        space = 0;
        folded[n++] = *p;
    }
    folded[n] = '\0';
    return folded;
}
