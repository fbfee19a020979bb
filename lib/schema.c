/*
 * schema.c - the few computed parts of the schema (lib/schema.h): the unique
 * term of a URL, facet terms, title keys, and the names of document types.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include <vind/analyze.h>
#include "lexicon.h"
#include "normalize.h"
#include "schema.h"

/* Xapian refuses terms longer than 245 bytes; URLs can be longer. Such a URL
 * gets the SHA-1 of its text instead, which both the indexer and the
 * searcher compute the same way. */
#define MAX_TERM_BYTES 240u

char *vind_analyzer_stamp(const vind_lexicon_t *lexicon)
{
    return g_strdup_printf("%d-%08x", VIND_ANALYZER_VERSION, vind_lexicon_fingerprint(lexicon));
}

char *vind_unique_term(const char *url)
{
    size_t length = strlen(url);
    if (length + 1 <= MAX_TERM_BYTES) {
        char *term = malloc(length + 2);
        if (term) {
            term[0] = 'Q';
            memcpy(term + 1, url, length + 1);
        }
        return term;
    }
    gchar *digest = g_compute_checksum_for_string(G_CHECKSUM_SHA1, url, (gssize)length);
    char *term = malloc(strlen(digest) + 4);
    if (term)
        sprintf(term, "Q#%s", digest);
    g_free(digest);
    return term;
}

char *vind_facet_term(const char *prefix, const char *value)
{
    /* Collapse runs of white space so "Wonen  en zorg" = "Wonen en zorg". */
    char *key = vind_normalize_collapsed(value, strlen(value));
    GString *term = g_string_new(prefix);
    g_string_append(term, key);
    g_free(key);
    if (term->len > MAX_TERM_BYTES) {
        /* Cut at a UTF-8 boundary: never leave half a character. */
        size_t cut = MAX_TERM_BYTES;
        while (cut > 0 && ((unsigned char)term->str[cut] & 0xC0) == 0x80)
            cut--;
        g_string_truncate(term, cut);
    }
    char *result = strdup(term->str);
    g_string_free(term, TRUE);
    return result;
}

char *vind_title_key(const char *text)
{
    char *folded = vind_normalize(text, strlen(text));
    if (!folded)
        return NULL;
    GString *key = g_string_new(NULL);
    int gap = 0;
    for (const char *p = folded; *p; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char_validated(p, -1);
        if (c == (gunichar)-1 || c == (gunichar)-2)
            break; /* vind_normalize repairs UTF-8; stop rather than guess */
        if (!g_unichar_isalnum(c)) {
            gap = key->len > 0;
            continue;
        }
        if (gap)
            g_string_append_c(key, ' ');
        gap = 0;
        g_string_append_unichar(key, c);
    }
    free(folded);
    char *out = strdup(key->str);
    g_string_free(key, TRUE);
    return out;
}

char *vind_title_term(const char *text, int *nomem)
{
    *nomem = 0;
    char *key = vind_title_key(text);
    if (!key || !*key) {
        *nomem = !key;
        free(key);
        return NULL;
    }
    size_t prefix = strlen(VIND_PREFIX_TITLE_KEY), length = strlen(key);
    char *term = NULL;
    if (prefix + length <= MAX_TERM_BYTES) {
        term = g_strconcat(VIND_PREFIX_TITLE_KEY, key, NULL);
    } else {
        gchar *digest = g_compute_checksum_for_string(G_CHECKSUM_SHA1, key, (gssize)length);
        term = g_strconcat(VIND_PREFIX_TITLE_KEY, "#", digest, NULL);
        g_free(digest);
    }
    free(key);
    /* g_strconcat aborts rather than fail; the copy keeps malloc/free pairs. */
    char *out = term ? strdup(term) : NULL;
    g_free(term);
    *nomem = !out;
    return out;
}

const char *vind_doc_type_name(int type)
{
    switch (type) {
    case 0: return "article";
    case 1: return "pdf";
    case 2: return "page";
    default: return "page";
    }
}
