/*
 * stem.h - (private) Snowball stemming (Xapian's stemmers), one stemmer per
 * analyzer and language.
 */
#ifndef VIND_LIB_STEM_H
#define VIND_LIB_STEM_H

#include <stddef.h>
#include <vind/analyze.h>
#include <vind/status.h>

typedef struct vind_stemmer vind_stemmer_t;

/*
 * A Snowball stemmer for lang ("dutch" or "english", UTF-8).
 *
 * Return value: VIND_OK; VIND_INVALID_ARGUMENT (no such language);
 * VIND_NOMEM.
 * Thread: a stemmer belongs to one thread at a time.
 */
vind_status_t vind_stemmer_new(vind_lang_t lang, vind_stemmer_t **out, char **errmsg);

/* Frees the stemmer. Accepts NULL. */
void vind_stemmer_free(vind_stemmer_t *stemmer);

/*
 * The stem of the len bytes of a normalised word, NUL-terminated, with its
 * length in *stem_length. The string is owned by the stemmer and valid only
 * until its next call. NULL when out of memory.
 */
const char *vind_stemmer_stem(vind_stemmer_t *stemmer, const char *word, size_t len,
                              size_t *stem_length);

#endif
