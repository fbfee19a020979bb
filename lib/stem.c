/*
 * stem.c - Snowball stems: "organisaties" -> "organisatie", "bewoners" ->
 * "bewoner". The Dutch algorithm runs on the lemma the lexicon found, so
 * irregular plurals ("huizen" -> "huis") meet their singular first.
 *
 * The stemmers are Xapian's (lib/xapian_wrap.cc, Xapian::Stem), not
 * libstemmer's: the same algorithms and stems (tests/unit/test_stem.c), but
 * libstemmer.so cost every process start 10,821 relocations in 84 pages
 * (include/vind/xapian.h says more).
 */
#include <stdlib.h>

#include <vind/xapian.h>
#include "error.h"
#include "stem.h"

struct vind_stemmer {
    vind_xapian_stemmer_t *snowball;
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
    vind_status_t status = vind_xapian_stemmer_new(algorithm, &stemmer->snowball, errmsg);
    if (status != VIND_OK) {
        free(stemmer);
        return status;
    }
    *out = stemmer;
    return VIND_OK;
}

void vind_stemmer_free(vind_stemmer_t *stemmer)
{
    if (stemmer == NULL)
        return;
    vind_xapian_stemmer_free(stemmer->snowball);
    free(stemmer);
}

const char *vind_stemmer_stem(vind_stemmer_t *stemmer, const char *word, size_t len,
                              size_t *stem_length)
{
    return vind_xapian_stem(stemmer->snowball, word, len, stem_length);
}
