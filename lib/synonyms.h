/*
 * synonyms.h - (private) the synonym and acronym list a searcher expands
 * query words with: "ggz" also finds "geestelijke gezondheidszorg", and the
 * phrase "geestelijke gezondheidszorg" also finds "ggz". The file format is
 * in docs/synonyms.md; the list shipped is synonyms/nl.txt.
 */
#ifndef VIND_LIB_SYNONYMS_H
#define VIND_LIB_SYNONYMS_H

#include <vind/status.h>

typedef struct vind_synonyms vind_synonyms_t;

/*
 * Loads the list at path, and the translations beside it
 * (VIND_TRANSLATIONS_FILE, below). A missing file gives an empty list (no synonyms)
 * and VIND_OK; malformed lines (no '=', an empty side) are skipped.
 * Return value: VIND_OK; VIND_IO (the file exists but cannot be read);
 * VIND_TOO_LARGE (over VIND_MAX_SYNONYM_FILE_BYTES).
 * Thread: the list is read-only after loading.
 */
vind_status_t vind_synonyms_load(const char *path, vind_synonyms_t **out, char **errmsg);

/* An empty list. */
vind_synonyms_t *vind_synonyms_new_empty(void);

/* Frees the list. Accepts NULL. */
void vind_synonyms_free(vind_synonyms_t *synonyms);

/* Number of entries (key = expansion pairs). */
size_t vind_synonyms_count(const vind_synonyms_t *synonyms);

/*
 * The expansions of a normalised word ("ggz" -> {"geestelijke
 * gezondheidszorg"}), NULL-terminated and owned by the list, or NULL.
 */
const char *const *vind_synonyms_expansions(const vind_synonyms_t *synonyms,
                                            const char *normalised_word);

/*
 * The keys (acronyms) whose expansion is the normalised phrase ("geestelijke
 * gezondheidszorg" -> {"ggz"}), NULL-terminated and owned by the list, or NULL.
 */
const char *const *vind_synonyms_keys_for(const vind_synonyms_t *synonyms,
                                          const char *normalised_phrase);

/* The file beside the list with the Dutch -> English translations. */
#define VIND_TRANSLATIONS_FILE "nl-en.txt"

/* Bytes a caller gives vind_synonyms_translations: the longest list of
 * the generated file is ~200 bytes. */
#define VIND_TRANSLATION_BYTES 1024

/*
 * The English stems a Dutch term translates to, written to stems
 * ("sleutel" -> "clef\0key\0wrench\0\0": each NUL-terminated, the list
 * ended by an empty string; next stem: s + strlen(s) + 1) as far as size
 * bytes hold whole stems; their number, 0 when the term has none. From
 * VIND_TRANSLATIONS_FILE beside the list (built from Debian's
 * dict-freedict-nld-eng by synonyms/mktranslations.py), bisected as read;
 * the query planner asks them only of ENGLISH documents (lib/query.c).
 */
size_t vind_synonyms_translations(const vind_synonyms_t *synonyms, const char *term,
                                  char *stems, size_t size);

/* 1 when stem is the English stem of some translation ("sourc"): a word of
 * the dictionary's English side. */
int vind_synonyms_is_english(const vind_synonyms_t *synonyms, const char *stem);
/* Called with each translation line's Dutch term and its English stems
 * (as vind_synonyms_translations writes them; count of them); nonzero stops. */
typedef int (*vind_translation_fn)(const char *term, const char *stems, size_t count,
                                   void *context);
/*
 * Calls fn with every translation of the list, in the file's order: the
 * English -> Dutch direction (lib/related.c) is built from it once. Cost:
 * one pass over the file (~18,000 lines of the generated one).
 */
void vind_synonyms_each_translation(const vind_synonyms_t *synonyms, vind_translation_fn fn,
                                    void *context);

#endif
