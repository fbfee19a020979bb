/*
 * english.h - (private) the English lemma list of the analyzer's English
 * path (<datadir>/en-lemmas.txt, built by english/mklemmas.py from Debian's
 * wamerican; docs/morphology.md, "English").
 */
#ifndef VIND_LIB_ENGLISH_H
#define VIND_LIB_ENGLISH_H

#include <stddef.h>
#include <vind/analyze.h>
#include <vind/status.h>

typedef struct vind_english vind_english_t;

/*
 * Maps <datadir>/en-lemmas.txt. *out is NULL when the datadir has no such
 * file (a datadir of an older build): the English path is Snowball's alone.
 *
 * Return value: VIND_OK; VIND_IO (the file is there but cannot be read);
 * VIND_NOMEM.
 * Thread: the list is read-only once open; any thread may look up.
 */
vind_status_t vind_english_open(const char *datadir, vind_english_t **out, char **errmsg);

/* Frees the list. Accepts NULL. */
void vind_english_free(vind_english_t *english);

/*
 * Whether the list knows the normalised word (len bytes); if so *lemma
 * points into the list at its lemma (*lemma_length bytes, not
 * NUL-terminated): the word with an inflection undone ("stopped" -> "stop"),
 * or the word itself. Cost: a bisection over ~64,000 lines (~16 string
 * compares); the analyzer caches the result per form.
 */
int vind_english_lemma(const vind_english_t *english, const char *word, size_t len,
                       const char **lemma, size_t *lemma_length);

/*
 * Whether the analyzer's English list knows the normalised word ("maturity"
 * yes, "middl" no): a real English word, not only a stem that Snowball left
 * of one. lib/suggest.c asks it, so that a correct English word that is its
 * own lemma is not taken for a typo. In lib/analyze.c, which owns the list.
 */
int vind_analyzer_knows_english(const vind_analyzer_t *analyzer, const char *word);

#endif
