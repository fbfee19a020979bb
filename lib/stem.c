/*
 * stem.c - Snowball stems via libstemmer: "organisaties" -> "organisatie",
 * "bewoners" -> "bewoner". The Dutch algorithm runs on the lemma the lexicon
 * found, so irregular plurals ("huizen" -> "huis") meet their singular first.
 */
#include <stdlib.h>

#include <libstemmer.h>
#include "error.h"
#include "stem.h"

struct vind_stemmer {
    struct sb_stemmer *snowball;
};

vind_status_t vind_stemmer_new(vind_lang_t lang, vind_stemmer_t **out, char **errmsg)
{
    *out = NULL;
    const char *algorithm = lang == VIND_LANG_NL   ? "dutch"
                            : lang == VIND_LANG_EN ? "english"
                                                   : NULL;
    if (algorithm == NULL)
        return vind_error(errmsg, VIND_INVALID_ARGUMENT, "no stemmer for language %d", (int)lang);
    vind_stemmer_t *stemmer = malloc(sizeof *stemmer);
    if (stemmer == NULL)
        return vind_error(errmsg, VIND_NOMEM, "cannot create the %s stemmer: out of memory",
                          algorithm);
    stemmer->snowball = sb_stemmer_new(algorithm, "UTF_8");
    if (stemmer->snowball == NULL) {
        free(stemmer);
        return vind_error(errmsg, VIND_NOMEM, "cannot create the %s stemmer: out of memory",
                          algorithm);
    }
    *out = stemmer;
    return VIND_OK;
}

void vind_stemmer_free(vind_stemmer_t *stemmer)
{
    if (stemmer == NULL)
        return;
    sb_stemmer_delete(stemmer->snowball);
    free(stemmer);
}

const char *vind_stemmer_stem(vind_stemmer_t *stemmer, const char *word, size_t len,
                              size_t *stem_length)
{
    const sb_symbol *stem = sb_stemmer_stem(stemmer->snowball, (const sb_symbol *)word, (int)len);
    if (stem == NULL)
        return NULL;
    *stem_length = (size_t)sb_stemmer_length(stemmer->snowball);
    return (const char *)stem;
}
