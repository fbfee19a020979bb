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
 *                                   page, varint number of checkpoints, then
 *                                   the checkpoints delta-encoded (varints):
 *                                   checkpoint k is the byte offset of the
 *                                   first word at position >= k * STRIDE of
 *                                   the page (body positions, lib/schema.h)
 *   vind:text:<docid>:<page>:<k>    bytes [k * CHUNK, (k + 1) * CHUNK) of the
 *                                   page's text (the last chunk shorter)
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
/* Word positions per checkpoint: a position maps to a byte range of about
 * 32 words (~250 bytes), and a 10,000-word page costs ~600 bytes of map. */
#define VIND_TEXT_CHECKPOINT_STRIDE 32u

/* ---- writing (lib/index.c) ---- */

/* The checkpoints of one page as the indexer meets its words: call add for
 * every word in text order with its 0-based position and byte offset. */
void vind_text_checkpoint_add(GArray *checkpoints, unsigned position, size_t offset);

/* Stores the pages of document docid (replacing what it had: call
 * vind_text_delete first when the document existed). checkpoints[p] is a
 * GArray of guint32 (may be NULL: no checkpoints). */
vind_status_t vind_text_put(vind_xapian_writer_t *writer, uint32_t docid, char *const *pages,
                            size_t n_pages, GArray *const *checkpoints, char **errmsg);

/* Deletes the text of document docid (nothing when it has none). */
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

/* The byte range [*start, *end) of a page that holds the word at body
 * position `position` (relative to the page's first position). */
vind_status_t vind_text_place(vind_text_t *text, size_t page, unsigned position, size_t *start,
                              size_t *end, char **errmsg);

/* Bytes of text and maps read so far. */
uint64_t vind_text_bytes_read(const vind_text_t *text);

/* Every page whole, malloc'd strings in a malloc'd array of n_pages + 1
 * (NULL-terminated): kwic, `vind doc --text`, the indexer's rewrites. */
vind_status_t vind_text_read_pages(vind_xapian_reader_t *reader, uint32_t docid, size_t n_pages,
                                   char ***pages_out, char **errmsg);

#endif
