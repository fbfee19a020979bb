/*
 * snippet_stub.c - placeholders for lib/snippet.h while lib/snippet.c is
 * being written (by the CLI helper), so that libvind links. Compiles to
 * nothing once lib/snippet.c exists (synonyms/Makefile.local rebuilds this
 * object then); delete this file at that point.
 */
#if !__has_include("snippet.c")
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "error.h"
#include "snippet.h"

struct vind_match_terms {
    GPtrArray *stems;
    GPtrArray *prefixes;
};

vind_match_terms_t *vind_match_terms_new(void)
{
    vind_match_terms_t *terms = calloc(1, sizeof *terms);
    if (!terms)
        return NULL;
    terms->stems = g_ptr_array_new_with_free_func(g_free);
    terms->prefixes = g_ptr_array_new_with_free_func(g_free);
    return terms;
}

void vind_match_terms_free(vind_match_terms_t *terms)
{
    if (!terms)
        return;
    g_ptr_array_free(terms->stems, TRUE);
    g_ptr_array_free(terms->prefixes, TRUE);
    free(terms);
}

void vind_match_terms_add_stem(vind_match_terms_t *terms, const char *stem)
{
    g_ptr_array_add(terms->stems, g_strdup(stem));
}

void vind_match_terms_add_prefix(vind_match_terms_t *terms, const char *form_prefix)
{
    g_ptr_array_add(terms->prefixes, g_strdup(form_prefix));
}

int vind_match_terms_match(const vind_match_terms_t *terms, const vind_token_t *token)
{
    for (guint i = 0; i < terms->stems->len; i++) {
        const char *stem = g_ptr_array_index(terms->stems, i);
        if (strcmp(stem, token->stem) == 0)
            return 1;
        for (const char *const *extra = token->extra; extra && *extra; extra++)
            if (strcmp(stem, *extra) == 0)
                return 1;
    }
    for (guint i = 0; i < terms->prefixes->len; i++)
        if (g_str_has_prefix(token->form, g_ptr_array_index(terms->prefixes, i)))
            return 1;
    return 0;
}

int vind_match_terms_empty(const vind_match_terms_t *terms)
{
    return terms->stems->len == 0 && terms->prefixes->len == 0;
}

vind_status_t vind_snippet_make(vind_analyzer_t *analyzer, vind_lang_t lang,
                                const char *const *pages, size_t n_pages,
                                const vind_match_terms_t *terms, unsigned target_chars,
                                char **html_out, unsigned **pages_out, size_t *n_pages_out,
                                char **errmsg)
{
    (void)analyzer, (void)lang, (void)terms, (void)errmsg;
    const char *text = n_pages ? pages[0] : "";
    size_t length = strlen(text);
    if (length > target_chars)
        length = target_chars;
    *html_out = vind_html_escape(text, length);
    *pages_out = NULL;
    *n_pages_out = 0;
    return VIND_OK;
}

char *vind_html_escape(const char *text, size_t len)
{
    gchar *valid = g_utf8_make_valid(text, (gssize)len);
    gchar *escaped = g_markup_escape_text(valid, -1);
    char *result = strdup(escaped);
    g_free(valid);
    g_free(escaped);
    return result;
}
#else
typedef int vind_snippet_stub_unused_t;
#endif
