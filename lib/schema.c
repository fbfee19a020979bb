/*
 * schema.c - the few computed parts of the schema (lib/schema.h): the unique
 * term of a URL, facet terms, and the names of document types.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include <vind/analyze.h>
#include "normalize.h"
#include "schema.h"

/* Xapian refuses terms longer than 245 bytes; URLs can be longer. Such a URL
 * gets the SHA-1 of its text instead, which both the indexer and the
 * searcher compute the same way. */
#define MAX_TERM_BYTES 240u

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

const char *vind_doc_type_name(int type)
{
    switch (type) {
    case 0: return "article";
    case 1: return "pdf";
    case 2: return "page";
    default: return "page";
    }
}
