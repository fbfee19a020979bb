/*
 * textstore.h - (private) the text store: the text of every page of a
 * document, kept beside its small stored record (docs/schema.md, "Page
 * text"), read only as far as a snippet, a kwic line or `vind doc --text`
 * needs.
 *
 * Layout: Xapian user metadata of the same database, so a page's text is
 * written, replaced and deleted in the same transaction as its document (one
 * atomic commit) and never counts as a document (doc counts, BM25 statistics,
 * facets and related articles see the real documents only):
 *   vind:text:<docid>:<page>        the page map: varint byte length of the
 *                                   page, varint number of words, then per
 *                                   word (in text order) three varints: its
 *                                   position minus the previous word's, its
 *                                   start offset minus the previous word's,
 *                                   its length in bytes (positions relative
 *                                   to the page's first, lib/schema.h);
 *                                   then its skip table: per 64 words after
 *                                   the first 64, the position and start of
 *                                   the word before them and the byte offset
 *                                   of their first in the map (three 32-bit
 *                                   little-endian numbers), the number of
 *                                   entries (32 bits) and the bytes
 *                                   "vsk" 0xA5 (absent in an index written
 *                                   before it, whose maps are walked; a map
 *                                   without one ends with a varint's last
 *                                   byte, below 0x80)
 *   vind:text:<docid>:<page>:<k>    bytes [k * CHUNK, (k + 1) * CHUNK) of the
 *                                   page's text (the last chunk shorter)
 *   vind:text:<docid>:spell         the document's spelling words (what it
 *                                   added to the spelling table), sorted,
 *                                   front-coded: per word one byte of the
 *                                   length it shares with the word before
 *                                   (at most 255), the rest of its bytes and
 *                                   '\0'; read when the document is replaced
 *                                   or deleted, to take its words out again
 *                                   (absent in an index written before
 *                                   session 13, and for a document without
 *                                   spelling words)
 *   vind:text:<docid>:pages         the page directory of a document of
 *                                   several pages: varint number of pages,
 *                                   then per page varint byte length and
 *                                   varint number of map words (a snippet
 *                                   learns the pages' lengths in one read;
 *                                   absent in an index written before it,
 *                                   where the maps tell)
 */
#ifndef VIND_LIB_TEXTSTORE_H
#define VIND_LIB_TEXTSTORE_H

#include <stddef.h>
#include <stdint.h>

#include <glib.h>
#include <vind/status.h>
#include <vind/xapian.h>

/* Bytes per chunk: a snippet window (~1 kB) costs one or two chunk reads,
 * and a chunk fits a Xapian B-tree block (8 kB). */
#define VIND_TEXT_CHUNK_BYTES 4096u
/* A page map holds every positioned word: a snippet finds the exact bytes
 * of the words the index's positions name without analysing the text. It
 * costs about 3 bytes per word (half the text's size). */
typedef struct {
    guint32 position, start, end;
} vind_text_word_t;

/* ---- writing (lib/index.c) ---- */

/* The words of one page's map as the indexer meets them: call add for
 * every positioned word in text order (0-based position, byte range). */
void vind_text_word_add(GArray *words, unsigned position, size_t start, size_t end);

/* Stores the pages of document docid (replacing what it had: call
 * vind_text_delete first when the document existed). words[p] is a GArray
 * of vind_text_word_t (may be NULL: no map). */
vind_status_t vind_text_put(vind_xapian_writer_t *writer, uint32_t docid, char *const *pages,
                            size_t n_pages, GArray *const *words, char **errmsg);

/* Stores the spelling words of document docid: forms[0..n) in strcmp
 * order (none: nothing is stored). Cost: one metadata write of about half
 * the words' bytes. */
vind_status_t vind_text_put_spellings(vind_xapian_writer_t *writer, uint32_t docid,
                                      char *const *forms, size_t n, char **errmsg);

/* The spelling words stored for document docid as a NULL-terminated array
 * (free with g_strfreev; empty when none were stored). */
vind_status_t vind_text_spellings(vind_xapian_writer_t *writer, uint32_t docid, char ***forms,
                                  char **errmsg);

/* Deletes the text of document docid and its spelling words (nothing when
 * it has none). */
vind_status_t vind_text_delete(vind_xapian_writer_t *writer, uint32_t docid, char **errmsg);

/* ---- reading ---- */

typedef struct vind_text vind_text_t;

/* The text of document docid, which has n_pages pages (its record's
 * "n_pages"); nothing is read yet. NULL on NOMEM. */
vind_text_t *vind_text_open(vind_xapian_reader_t *reader, uint32_t docid, size_t n_pages);
void vind_text_close(vind_text_t *text);
size_t vind_text_pages(const vind_text_t *text);

/* The byte length of a page (reads its map once). */
vind_status_t vind_text_page_length(vind_text_t *text, size_t page, size_t *length,
                                    char **errmsg);

/*
 * The one way page text is read. *page_text = the page's text (length + 1
 * bytes, NUL-terminated, owned by text) with at least bytes [start, end)
 * read; bytes not read yet are NUL. Cost: the chunks covering the range that
 * were not read before. On failure *page_text is still a buffer of the
 * page's length (NULs where nothing could be read).
 */
vind_status_t vind_text_range(vind_text_t *text, size_t page, size_t start, size_t end,
                              const char **page_text, char **errmsg);

/* The byte range [*start, *end) of the word at body position `position`
 * of a page (relative to the page's first position); VIND_NOT_FOUND when
 * the map has no word there. */
vind_status_t vind_text_place(vind_text_t *text, size_t page, unsigned position, size_t *start,
                              size_t *end, char **errmsg);

/* The byte ranges of the words at positions[0..n) of a page, ascending
 * (as vind_text_place answers each; starts[i] = ends[i] = SIZE_MAX where
 * the map has no word). Cost: one walk of the map up to the last position,
 * whole blocks skipped with two sums: a short text's every place located
 * in one pass instead of a block look-up each. */
vind_status_t vind_text_places(vind_text_t *text, size_t page, const unsigned *positions, size_t n,
                               size_t *starts, size_t *ends, char **errmsg);

/* The number of words in a page's map (reads its map once; decodes none). */
vind_status_t vind_text_page_words(vind_text_t *text, size_t page, size_t *words, char **errmsg);

/* Bytes of text and maps read so far. */
uint64_t vind_text_bytes_read(const vind_text_t *text);

/* Every page whole, malloc'd strings in a malloc'd array of n_pages + 1
 * (NULL-terminated): kwic, `vind doc --text`, the indexer's rewrites. */
vind_status_t vind_text_read_pages(vind_xapian_reader_t *reader, uint32_t docid, size_t n_pages,
                                   char ***pages_out, char **errmsg);

#endif
