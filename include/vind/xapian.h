/*
 * xapian.h - (private to lib/, never installed) the C face of Xapian: opaque
 * handles over exactly the parts of Xapian that vind uses, so that no file but
 * lib/xapian_wrap.cc includes C++ (the Cyrus IMAP imap/xapian_wrap.h pattern).
 *
 * Conventions, as in every vind header (include/vind/status.h):
 *   - A fallible function returns vind_status_t and takes `char **errmsg` last.
 *     On failure every output is NULL/0 and *errmsg (when errmsg is non-NULL)
 *     gets a malloc'd sentence naming the path, term or slot and Xapian's
 *     description of the error. No function logs, prints, exits or lets a C++
 *     exception escape.
 *   - Xapian errors map to statuses the same way everywhere:
 *       DatabaseLockError                       -> VIND_LOCKED
 *       DatabaseCorruptError                    -> VIND_INDEX_CORRUPT
 *       DatabaseModifiedError                   -> VIND_INDEX_CHANGED (reopen the reader, retry)
 *       DatabaseNotFoundError, or an opening
 *         error on a path that does not exist  -> VIND_NOT_FOUND
 *       DocNotFoundError                        -> VIND_NOT_FOUND
 *       any other Xapian::Error                 -> VIND_XAPIAN
 *       std::bad_alloc                          -> VIND_NOMEM
 *       anything else                           -> VIND_INTERNAL
 *     A NULL handle or string where one is required gives VIND_INVALID_ARGUMENT.
 *     So every status function below may return VIND_OK, VIND_INVALID_ARGUMENT,
 *     VIND_NOMEM, VIND_XAPIAN and VIND_INTERNAL; each documents only the others.
 *   - Memory handed out is plain malloc memory, freed with free() or with the
 *     matching vind_xapian_*_free function named in its documentation.
 *   - Strings in (terms, prefixes, keys) are NUL-terminated; byte blobs
 *     (values, document data) are pointer + length and may contain NUL bytes;
 *     blobs handed out are additionally NUL-terminated for convenience.
 *
 * Thread: a handle (writer, reader, document, query, enquire) belongs to one
 * thread at a time. Distinct handles may be used from distinct threads at
 * once. In particular a query must not be shared between threads: Xapian
 * reference-counts query internals without atomics (why match-all is built
 * from an empty term, notmuch commit 6273966d).
 *
 * Fault injection (tests/unit/test_xapian.c, tests/fault/): when the
 * environment variable VIND_XAPIAN_FAIL_AFTER=N (N >= 1) is set at the first
 * writer call of the process, the Nth and every later call to a
 * vind_xapian_writer_* function fails as if Xapian had thrown
 * Xapian::DatabaseError, returning VIND_XAPIAN with a message containing
 * "injected fault". The variable is read once per process.
 */
#ifndef VIND_XAPIAN_H
#define VIND_XAPIAN_H

#include <stddef.h>
#include <stdint.h>

#include <vind/common.h>
#include <vind/status.h>

VIND_BEGIN_DECLS

typedef struct vind_xapian_writer vind_xapian_writer_t;
typedef struct vind_xapian_reader vind_xapian_reader_t;
typedef struct vind_xapian_document vind_xapian_document_t;
typedef struct vind_xapian_query vind_xapian_query_t;
typedef struct vind_xapian_enquire vind_xapian_enquire_t;

/* A slot number meaning "no slot" (Xapian::BAD_VALUENO). */
#define VIND_XAPIAN_NO_SLOT 0xffffffffu

/* Longest output of vind_xapian_sortable_serialise (Xapian documents 9 bytes). */
#define VIND_XAPIAN_SORTABLE_MAX 9u

/*
 * One term of a list handed out by the wrapper. Which numbers are filled
 * depends on the function (the others are 0): document terms carry wdf and
 * frequency, database terms frequency, expand terms weight.
 */
typedef struct {
    char *term;         /* NUL-terminated, malloc'd */
    uint32_t wdf;       /* within-document frequency */
    uint32_t frequency; /* number of documents containing the term */
    double weight;      /* expand weight */
} vind_xapian_term_t;

/* A list of terms; free with vind_xapian_terms_free. */
typedef struct {
    size_t count;
    vind_xapian_term_t *items; /* NULL when count is 0 */
} vind_xapian_terms_t;

/* Frees terms, every string in it and the items array. NULL is allowed. */
void vind_xapian_terms_free(vind_xapian_terms_t *terms);

/* A (docid, value) pair of vind_xapian_reader_values. */
typedef struct {
    uint32_t docid;
    char *value; /* malloc'd, NUL-terminated; may contain NUL bytes before length */
    size_t length;
} vind_xapian_value_t;

/* A list of values; free with vind_xapian_values_free. */
typedef struct {
    size_t count;
    vind_xapian_value_t *items; /* ascending docid; NULL when count is 0 */
} vind_xapian_values_t;

/* Frees values, every value in it and the items array. NULL is allowed. */
void vind_xapian_values_free(vind_xapian_values_t *values);

/* The short Xapian version string, e.g. "1.4.22". Static; never NULL. */
const char *vind_xapian_version(void);

/*
 * Xapian::sortable_serialise: writes value as at most VIND_XAPIAN_SORTABLE_MAX
 * bytes to out (not NUL-terminated; may contain NUL bytes) such that the byte
 * order of two outputs is the numeric order of their values, and returns the
 * number of bytes written. Used for numeric value slots and ranges.
 * Thread: safe.
 */
size_t vind_xapian_sortable_serialise(double value, char out[VIND_XAPIAN_SORTABLE_MAX]);

/*
 * Xapian::sortable_unserialise: the number written by
 * vind_xapian_sortable_serialise. Garbage in gives some number, never a crash;
 * NULL or length 0 gives 0.0. Thread: safe.
 */
double vind_xapian_sortable_unserialise(const char *bytes, size_t length);

/*
 * Xapian's Snowball stemmers (Xapian::Stem), for lib/stem.c. They give the
 * same stems as Debian's libstemmer 2.2 (tests/unit/test_stem.c compares the
 * two over the 413,000 words of wdutch), but cost a process nothing to load:
 * libxapian is mapped anyway and keeps its Snowball tables free of
 * relocations, whereas libstemmer.so made the dynamic loader write 10,821
 * pointers into 84 pages of its data at every start of every vind program
 * (~1.5 ms of `vind search`, more than half of the loader's relocations).
 */
typedef struct vind_xapian_stemmer vind_xapian_stemmer_t;

/*
 * The stemmer of language, a Snowball algorithm name ("dutch", "english").
 * Return value: VIND_OK; VIND_INVALID_ARGUMENT (NULL, or a language Xapian
 * has no stemmer for). Thread: a stemmer belongs to one thread at a time.
 */
vind_status_t vind_xapian_stemmer_new(const char *language, vind_xapian_stemmer_t **out,
                                      char **errmsg);

/* Frees the stemmer. NULL is allowed. */
void vind_xapian_stemmer_free(vind_xapian_stemmer_t *stemmer);

/*
 * The stem of the len bytes at word (UTF-8, not NUL-terminated), with its
 * length in *stem_length; NUL-terminated and owned by the stemmer, valid
 * until its next call. NULL when out of memory. Cost: Snowball's work plus
 * two string copies (~0.1 us a word more than libstemmer; the analyzer
 * stems each distinct unknown word once, lib/analyze.c's cache).
 */
const char *vind_xapian_stem(vind_xapian_stemmer_t *stemmer, const char *word, size_t len,
                             size_t *stem_length);

/* ------------------------------------------------------------------------
 * Write side
 *
 * A writer keeps its changes in an open Xapian transaction at all times, so
 * nothing reaches the disk until vind_xapian_writer_commit (Xapian would
 * otherwise commit by itself every 10,000 documents and when the database is
 * closed, and a reader would see half a batch). Consequently closing a writer
 * without committing discards every uncommitted change.
 * ------------------------------------------------------------------------ */

/*
 * Opens the glass database in directory path for writing, creating it (the
 * directory itself, not its parents) when create_if_missing is non-zero and it
 * does not exist. *writer receives a handle to close with
 * vind_xapian_writer_close.
 *
 * Returns VIND_OK; VIND_NOT_FOUND when path does not exist and
 * create_if_missing is 0; VIND_LOCKED when another writer holds the database;
 * VIND_INDEX_CORRUPT when it is damaged; VIND_XAPIAN otherwise (e.g. path is
 * not a database, or cannot be created).
 */
vind_status_t vind_xapian_writer_open(const char *path, int create_if_missing,
                                      vind_xapian_writer_t **writer, char **errmsg);

/*
 * Sharded databases (docs/scaling.md, "Shards"). A folder with a file
 * XAPIANDB (a Xapian stub: "auto shard-0", "remote HOST:PORT" lines), or such
 * a file itself, is one database of several shards to every function here:
 * vind_xapian_writer_open writes its local shards (a document goes to the
 * shard of its unique term, see vind_xapian_writer_replace_document_by_term)
 * and vind_xapian_reader_open reads them as one, with Xapian's interleaved
 * docids (local docid l of shard s of N is (l - 1) * N + s + 1).
 * Metadata whose key is VIND_XAPIAN_DOC_KEY_PREFIX, a docid and ':' belongs
 * to that document: it is stored in the document's shard under its local
 * docid (each shard is a whole vind database). Other metadata is written
 * to every shard and read from the first; the spelling table lives in the
 * first shard. A remote shard that does not answer within
 * VIND_REMOTE_TIMEOUT seconds (environment, default 10) gives
 * VIND_UNAVAILABLE.
 */
#define VIND_XAPIAN_DOC_KEY_PREFIX "vind:text:"
#define VIND_XAPIAN_MAX_SHARDS 1024u

/*
 * Opens the sharded database in folder path for writing, creating it with
 * shards (2 to VIND_XAPIAN_MAX_SHARDS) shards when the folder is absent or
 * empty: path/shard-0 .. path/shard-<shards-1> and the stub path/XAPIANDB.
 * Returns VIND_INVALID_ARGUMENT when path holds one database or another
 * number of shards; otherwise as vind_xapian_writer_open.
 */
vind_status_t vind_xapian_writer_open_shards(const char *path, unsigned shards,
                                             vind_xapian_writer_t **writer, char **errmsg);

/*
 * Writes a compacted copy of writer's last commit into dest, which must not
 * exist (Xapian's compaction, docids kept; a sharded database as the same
 * shards plus a stub), except for a sharded database: a folder whose shard-N
 * are symbolic links to empty folders, where those shards are written (the
 * caller's shards on other disks). The caller swaps it in (docs/scaling.md,
 * "Index size"). Returns VIND_OK; VIND_XAPIAN otherwise (a full disk among
 * them), leaving dest partly written for the caller to remove.
 */
vind_status_t vind_xapian_writer_compact(vind_xapian_writer_t *writer, const char *dest,
                                         char **errmsg);

/* The number of shards writer writes, 0 for a plain database. */
unsigned vind_xapian_writer_shards(const vind_xapian_writer_t *writer);

/*
 * Closes writer and releases its lock. Changes not committed with
 * vind_xapian_writer_commit are discarded. Errors while closing are ignored
 * (nothing is left to commit). NULL is allowed.
 */
void vind_xapian_writer_close(vind_xapian_writer_t *writer);

/*
 * Commits every change since the last commit as one new revision, atomically:
 * a reader (or a crash) sees all of it or none of it. Not allowed inside a
 * user transaction (VIND_INVALID_ARGUMENT).
 */
vind_status_t vind_xapian_writer_commit(vind_xapian_writer_t *writer, char **errmsg);

/*
 * Starts a user transaction: first commits the pending changes (as Xapian's
 * flushed transactions do), then groups what follows so that
 * vind_xapian_writer_cancel_transaction can undo it and
 * vind_xapian_writer_commit_transaction commits it as one revision.
 * Transactions do not nest: VIND_INVALID_ARGUMENT when one is already active.
 */
vind_status_t vind_xapian_writer_begin_transaction(vind_xapian_writer_t *writer, char **errmsg);

/* Commits the user transaction to disk. VIND_INVALID_ARGUMENT when none is active. */
vind_status_t vind_xapian_writer_commit_transaction(vind_xapian_writer_t *writer, char **errmsg);

/* Discards every change since begin_transaction. VIND_INVALID_ARGUMENT when none is active. */
vind_status_t vind_xapian_writer_cancel_transaction(vind_xapian_writer_t *writer, char **errmsg);

/* *count = documents in the database, uncommitted changes included. */
vind_status_t vind_xapian_writer_doc_count(vind_xapian_writer_t *writer, uint32_t *count,
                                           char **errmsg);

/* *revision = the last committed revision (0 for a new database). */
vind_status_t vind_xapian_writer_revision(vind_xapian_writer_t *writer, uint64_t *revision,
                                          char **errmsg);

/*
 * Sets metadata key (non-empty) to the length bytes at value; length 0 deletes
 * the key (Xapian cannot store empty metadata).
 */
vind_status_t vind_xapian_writer_set_metadata(vind_xapian_writer_t *writer, const char *key,
                                              const char *value, size_t length, char **errmsg);

/*
 * *value = a malloc'd, NUL-terminated copy of metadata key (uncommitted
 * changes included), *length its length (length may be NULL).
 * Returns VIND_NOT_FOUND (and *value NULL) when the key is absent.
 */
vind_status_t vind_xapian_writer_get_metadata(vind_xapian_writer_t *writer, const char *key,
                                              char **value, size_t *length, char **errmsg);

/* Adds word to the spelling dictionary, raising its frequency by frequency_increment (>= 1). */
vind_status_t vind_xapian_writer_add_spelling(vind_xapian_writer_t *writer, const char *word,
                                              uint32_t frequency_increment, char **errmsg);

/* Lowers word's spelling frequency by frequency_decrement; at 0 the word is removed. */
vind_status_t vind_xapian_writer_remove_spelling(vind_xapian_writer_t *writer, const char *word,
                                                 uint32_t frequency_decrement, char **errmsg);

/* Adds synonym as a synonym of term (both as indexed terms, e.g. stems). */
vind_status_t vind_xapian_writer_add_synonym(vind_xapian_writer_t *writer, const char *term,
                                             const char *synonym, char **errmsg);

/* Removes every synonym of term. */
vind_status_t vind_xapian_writer_clear_synonyms(vind_xapian_writer_t *writer, const char *term,
                                                char **errmsg);

/*
 * Adds document (not consumed; it may be freed or reused afterwards) as a new
 * document; *docid (may be NULL) receives its id.
 */
vind_status_t vind_xapian_writer_add_document(vind_xapian_writer_t *writer,
                                              const vind_xapian_document_t *document,
                                              uint32_t *docid, char **errmsg);

/*
 * Replaces the document indexed by unique_term (e.g. "Q" + URL) with document
 * (not consumed), or adds it when no document has the term. document should
 * itself contain unique_term (as a boolean term) or it cannot be found by it
 * again. *docid (may be NULL) receives the document's id. With shards the
 * document goes to shard hash(unique_term) mod N (FNV-1a 64, MurmurHash3's
 * finaliser), so a later replacement or deletion by the term finds it; a
 * document added with vind_xapian_writer_add_document goes to the shard of
 * its first term starting with 'Q' (shard 0 without one).
 */
vind_status_t vind_xapian_writer_replace_document_by_term(vind_xapian_writer_t *writer,
                                                          const char *unique_term,
                                                          const vind_xapian_document_t *document,
                                                          uint32_t *docid, char **errmsg);

/*
 * As vind_xapian_writer_replace_document_by_term, but takes document (freed
 * here, whatever happens) and says whether it was added (*added = 1: no
 * document had the term; may be NULL). A sharded writer queues it for the
 * shard's writer thread (docs/scaling.md, "Shards"): the call returns
 * before Xapian has added it, with the docid it gets; a failure of the add
 * is reported by a later call on that shard (a commit at the latest).
 */
vind_status_t vind_xapian_writer_give_document_by_term(vind_xapian_writer_t *writer,
                                                       const char *unique_term,
                                                       vind_xapian_document_t *document,
                                                       uint32_t *docid, int *added,
                                                       char **errmsg);

/*
 * As vind_xapian_writer_give_document_by_term, but *document goes back to
 * the caller unless the writer keeps it: a sharded writer with threads
 * queues it (and sets *document to NULL: freed there); any other writer
 * leaves *document as it was, for the caller to free, in any thread. Why:
 * a bulk load makes each document on its analysis thread, and a document
 * freed there (~2,000 nodes of Xapian's maps) costs the writer thread,
 * the one that limits the load, nothing (docs/scaling.md, "Bulk load,
 * session 17").
 */
vind_status_t vind_xapian_writer_store_document_by_term(vind_xapian_writer_t *writer,
                                                        const char *unique_term,
                                                        vind_xapian_document_t **document,
                                                        uint32_t *docid, int *added,
                                                        char **errmsg);

/* Deletes every document indexed by unique_term; none is not an error. */
vind_status_t vind_xapian_writer_delete_documents_by_term(vind_xapian_writer_t *writer,
                                                          const char *unique_term, char **errmsg);

/* Deletes document docid. Returns VIND_NOT_FOUND when there is no such document. */
vind_status_t vind_xapian_writer_delete_document(vind_xapian_writer_t *writer, uint32_t docid,
                                                 char **errmsg);

/* Sets value slot of document docid to bytes (length bytes), leaving its
 * terms and data as they are. Returns VIND_NOT_FOUND when there is no such
 * document. Costs a read and a rewrite of the document's values. */
vind_status_t vind_xapian_writer_set_value(vind_xapian_writer_t *writer, uint32_t docid,
                                           uint32_t slot, const char *bytes, size_t length,
                                           char **errmsg);

/*
 * *docid = the (lowest) id of a document indexed by unique_term, uncommitted
 * changes included. Returns VIND_NOT_FOUND (and *docid 0) when there is none.
 */
vind_status_t vind_xapian_writer_docid_for_term(vind_xapian_writer_t *writer,
                                                const char *unique_term, uint32_t *docid,
                                                char **errmsg);

/* *exists = 1 when some document (uncommitted changes included) has term, else 0. */
vind_status_t vind_xapian_writer_term_exists(vind_xapian_writer_t *writer, const char *term,
                                             int *exists, char **errmsg);

/*
 * A reader over the writer's own database, seeing its uncommitted changes:
 * every vind_xapian_reader_* function and enquire work on it (reopen does
 * nothing), e.g. to read a stored signature or data during an indexing run.
 * The reader must be closed before the writer, used from the writer's thread,
 * and goes stale (VIND_XAPIAN) if used after the writer is closed.
 */
vind_status_t vind_xapian_writer_reader(vind_xapian_writer_t *writer, vind_xapian_reader_t **reader,
                                        char **errmsg);

/* ------------------------------------------------------------------------
 * Documents (built in memory, then added with a writer)
 * ------------------------------------------------------------------------ */

/* A new empty document, or NULL when out of memory. Free with vind_xapian_document_free. */
vind_xapian_document_t *vind_xapian_document_new(void);

/* Frees document. NULL is allowed. */
void vind_xapian_document_free(vind_xapian_document_t *document);

/*
 * Adds term (non-empty; at most 245 bytes or adding the document fails) at
 * position (>= 1), raising its wdf by wdf_increment.
 */
vind_status_t vind_xapian_document_add_posting(vind_xapian_document_t *document, const char *term,
                                               uint32_t position, uint32_t wdf_increment,
                                               char **errmsg);

/* Adds term without a position, raising its wdf by wdf_increment (0 for none). */
vind_status_t vind_xapian_document_add_term(vind_xapian_document_t *document, const char *term,
                                            uint32_t wdf_increment, char **errmsg);

/* Adds a boolean term (wdf 0, no position), e.g. "Q<url>", "Kzorg", "Y2021". */
vind_status_t vind_xapian_document_add_boolean_term(vind_xapian_document_t *document,
                                                    const char *term, char **errmsg);

/* Sets value slot to the length bytes at bytes (replacing any value; length 0 removes it). */
vind_status_t vind_xapian_document_add_value(vind_xapian_document_t *document, uint32_t slot,
                                             const char *bytes, size_t length, char **errmsg);

/* Sets the document's stored data (vind stores JSON, lib/schema.h). */
vind_status_t vind_xapian_document_set_data(vind_xapian_document_t *document, const char *bytes,
                                            size_t length, char **errmsg);

/* ------------------------------------------------------------------------
 * Read side
 * ------------------------------------------------------------------------ */

/*
 * Opens the glass database in directory path read-only, at its latest
 * committed revision. Close with vind_xapian_reader_close.
 *
 * Returns VIND_OK; VIND_NOT_FOUND when path does not exist (or holds no
 * database); VIND_INDEX_CORRUPT when it is damaged; VIND_XAPIAN otherwise.
 */
vind_status_t vind_xapian_reader_open(const char *path, vind_xapian_reader_t **reader,
                                      char **errmsg);

/*
 * Moves reader to the latest committed revision; *changed (may be NULL) = 1
 * when a newer revision was loaded, 0 when it already was the latest.
 * Enquires and results made before stay valid only if *changed is 0.
 * Returns VIND_INDEX_CORRUPT when the new revision is damaged.
 */
vind_status_t vind_xapian_reader_reopen(vind_xapian_reader_t *reader, int *changed, char **errmsg);

/* Closes reader; every enquire made over it must be freed first. NULL is allowed. */
void vind_xapian_reader_close(vind_xapian_reader_t *reader);

/*
 * The read functions below may also return VIND_INDEX_CHANGED when a writer
 * committed so often that the revision this reader holds was overwritten:
 * reopen and retry.
 */

/* *revision = the revision the reader is at: over shards the sum of
 * theirs, 0 (unknown) when a shard is remote (Xapian's remote databases
 * report none). */
vind_status_t vind_xapian_reader_revision(vind_xapian_reader_t *reader, uint64_t *revision,
                                          char **errmsg);

/* *uuid = the database's UUID as Xapian gives it (over shards, theirs
 * joined; "" when it has none), malloc'd. A database built anew has
 * another UUID; a commit keeps it. */
vind_status_t vind_xapian_reader_uuid(vind_xapian_reader_t *reader, char **uuid, char **errmsg);

/* *count = number of documents with a value in slot (Xapian's value
 * statistics: no documents read). */
vind_status_t vind_xapian_reader_value_count(vind_xapian_reader_t *reader, uint32_t slot,
                                             uint32_t *count, char **errmsg);

/* *count = number of documents. */
vind_status_t vind_xapian_reader_doc_count(vind_xapian_reader_t *reader, uint32_t *count,
                                           char **errmsg);

/* *average = average document length in terms (wdf sum), 0 when empty. */
vind_status_t vind_xapian_reader_average_length(vind_xapian_reader_t *reader, double *average,
                                                char **errmsg);

/*
 * *data = a malloc'd, NUL-terminated copy of document docid's stored data,
 * *length its length (length may be NULL). Returns VIND_NOT_FOUND when there
 * is no document docid.
 */
vind_status_t vind_xapian_reader_get_document_data(vind_xapian_reader_t *reader, uint32_t docid,
                                                   char **data, size_t *length, char **errmsg);

/*
 * *value = a malloc'd, NUL-terminated copy of value slot of document docid
 * ("" with length 0 when the document has no value there), *length its
 * length (may be NULL). Returns VIND_NOT_FOUND when there is no document docid.
 */
vind_status_t vind_xapian_reader_get_value(vind_xapian_reader_t *reader, uint32_t docid,
                                           uint32_t slot, char **value, size_t *length,
                                           char **errmsg);

/*
 * ranks[i] = the rank of docids[i]'s value of slot among every value of
 * that slot (byte order as strcmp; equal values share a rank; no value
 * ranks 0, below every value), from a table built once per revision (4
 * bytes a document). *ranked = 0, ranks untouched, when the reader keeps no
 * such table (no read cache, a cache smaller than the table, shards, or a
 * reader sharing a writer's shards): compare the values themselves then.
 */
vind_status_t vind_xapian_reader_value_ranks(vind_xapian_reader_t *reader, uint32_t slot,
                                             const uint32_t *docids, size_t n, uint32_t *ranks,
                                             int *ranked, char **errmsg);

/*
 * Every document that has a value in slot, with that value, in ascending
 * docid order (e.g. the source paths, to remove documents of vanished
 * files). Free *values with vind_xapian_values_free.
 */
vind_status_t vind_xapian_reader_values(vind_xapian_reader_t *reader, uint32_t slot,
                                        vind_xapian_values_t **values, char **errmsg);

/*
 * *docid = the (lowest) id of a document indexed by unique_term.
 * Returns VIND_NOT_FOUND (and *docid 0) when there is none.
 */
vind_status_t vind_xapian_reader_docid_for_term(vind_xapian_reader_t *reader,
                                                const char *unique_term, uint32_t *docid,
                                                char **errmsg);

/* *frequency = number of documents containing term (0 when absent). */
vind_status_t vind_xapian_reader_term_frequency(vind_xapian_reader_t *reader, const char *term,
                                                uint32_t *frequency, char **errmsg);

/* *frequency = total occurrences (wdf sum) of term over all documents. */
vind_status_t vind_xapian_reader_collection_frequency(vind_xapian_reader_t *reader,
                                                      const char *term, uint64_t *frequency,
                                                      char **errmsg);

/* *exists = 1 when some document contains term, else 0. */
vind_status_t vind_xapian_reader_term_exists(vind_xapian_reader_t *reader, const char *term,
                                             int *exists, char **errmsg);

/*
 * The terms of document docid that start with prefix ("" or NULL: all), in
 * byte order, each with wdf and frequency. Free *terms with
 * vind_xapian_terms_free. Returns VIND_NOT_FOUND when there is no document docid.
 */
vind_status_t vind_xapian_reader_document_terms(vind_xapian_reader_t *reader, uint32_t docid,
                                                const char *prefix, vind_xapian_terms_t **terms,
                                                char **errmsg);

/*
 * As vind_xapian_reader_document_terms, but frequency is left 0: the term
 * frequency is a lookup in the posting-list table per term (a block read
 * each, as a document's terms lie far apart there), which a caller that
 * needs the frequency of only some terms, or caches it, should not pay for
 * every term (lib/related.c: ~90,000 such reads per `vind related --url`).
 */
/*
 * Calls each(term, wdf, context) for every term of the document, in term
 * order, until it returns non-zero; term is valid during the call only.
 * What vind_xapian_reader_document_wdfs lists, without copying the list:
 * a document's ~500 terms cost no allocation (lib/related.c reads ~200
 * candidates' lists per source; the copies were a third of its time).
 */
typedef int (*vind_xapian_term_fn)(const char *term, uint32_t wdf, void *context);
vind_status_t vind_xapian_reader_each_wdf(vind_xapian_reader_t *reader, uint32_t docid,
                                          vind_xapian_term_fn each, void *context,
                                          char **errmsg);

vind_status_t vind_xapian_reader_document_wdfs(vind_xapian_reader_t *reader, uint32_t docid,
                                               const char *prefix, vind_xapian_terms_t **terms,
                                               char **errmsg);

/*
 * A read check of the blocks searches depend on: every document's length
 * and stored record, the value streams of slots 0-15, every term of the
 * term list with its frequency, the first and last documents' terms (of the
 * local shards only: a remote shard is checked on its own machine). Costs one pass over the postlist and
 * docdata tables (~10 ms for the 700-article corpus index; proportional to
 * the index size). Return value: VIND_OK; VIND_INDEX_CORRUPT (errmsg names the
 * damage); VIND_XAPIAN.
 */
vind_status_t vind_xapian_reader_check(vind_xapian_reader_t *reader, char **errmsg);

/*
 * Which of the documents docids (n, ascending) hold term: present[i] = 1 when
 * docids[i] does, else 0. Cost: one walk of the term's posting list,
 * skipping to each document (the chunks holding them are read: a few block
 * reads), instead of a position-list look-up per document (two block reads
 * each, also for a document that lacks the term). Over remote shards a
 * document of a remote shard is always 1 (it may hold the term): a remote
 * posting list cannot be skipped through, only sent whole.
 */
vind_status_t vind_xapian_reader_term_in(vind_xapian_reader_t *reader, const char *term,
                                         const uint32_t *docids, size_t n, unsigned char *present,
                                         char **errmsg);

/*
 * The positions of term in document docid, ascending, at most max_positions
 * (0: all): *positions is malloc'd (NULL when *count is 0). A term the
 * document lacks, or holds without positions, gives VIND_OK and 0. Cost: one
 * position-list read, proportional to the term's occurrences in the document.
 */
vind_status_t vind_xapian_reader_positions(vind_xapian_reader_t *reader, uint32_t docid,
                                           const char *term, size_t max_positions,
                                           uint32_t **positions, size_t *count, char **errmsg);

/*
 * Every word of the spelling dictionary in byte order, each with its
 * frequency (the terms' frequency field), from the first shard, where
 * the spelling table lives. For tests and checks that an updated
 * index holds what a fresh one holds; nothing on the search path reads the
 * whole table. Free *terms with vind_xapian_terms_free.
 */
vind_status_t vind_xapian_reader_spellings(vind_xapian_reader_t *reader,
                                           vind_xapian_terms_t **terms, char **errmsg);

/*
 * The first max_terms (0: all) terms of the database that start with prefix
 * ("" or NULL: all), in byte order, each with its frequency (for
 * autocompletion and wildcards; sort by frequency yourself). Free *terms with
 * vind_xapian_terms_free.
 */
vind_status_t vind_xapian_reader_all_terms(vind_xapian_reader_t *reader, const char *prefix,
                                           size_t max_terms, vind_xapian_terms_t **terms,
                                           char **errmsg);

/*
 * *value = a malloc'd, NUL-terminated copy of metadata key, *length its length
 * (may be NULL). Returns VIND_NOT_FOUND (and *value NULL) when the key is absent.
 */
vind_status_t vind_xapian_reader_get_metadata(vind_xapian_reader_t *reader, const char *key,
                                              char **value, size_t *length, char **errmsg);

/*
 * Metadata key copied straight into the caller's buffer: its first
 * min(room, length) bytes (no NUL added), *length its whole length (more
 * than room: the rest was not copied). Returns VIND_NOT_FOUND (and *length
 * 0) when the key is absent. Cost: one copy of a cached value, no
 * allocation (vind_xapian_reader_get_metadata makes a malloc'd copy the
 * caller then copies and frees: lib/textstore.c reads ~20 page text
 * chunks of 4 kB a search this way).
 */
vind_status_t vind_xapian_reader_read_metadata(vind_xapian_reader_t *reader, const char *key,
                                               char *buffer, size_t room, size_t *length,
                                               char **errmsg);

/*
 * Metadata key lent, not copied: *value (*length bytes and a NUL) stays
 * valid until vind_xapian_lent_free(*lent), whatever the reader reads,
 * evicts or clears meanwhile (and after it is closed). Returns
 * VIND_NOT_FOUND (and NULLs) when the key is absent. Call it and free the
 * lent value on the thread that uses the reader (its hold is not atomic).
 * Cost: one cache look-up and a small allocation for the handle (no copy
 * of the value when cached; the value read from Xapian is moved, not
 * copied, when not); lib/textstore.c holds a page's word map (~10 kB),
 * and the text of a page that fits in one chunk, this way for a snippet.
 */
typedef struct vind_xapian_lent vind_xapian_lent_t;
vind_status_t vind_xapian_reader_lend_metadata(vind_xapian_reader_t *reader, const char *key,
                                               const char **value, size_t *length,
                                               vind_xapian_lent_t **lent, char **errmsg);

/* Lets go of a value lent by vind_xapian_reader_lend_metadata (NULL: nothing). */
void vind_xapian_lent_free(vind_xapian_lent_t *lent);

/* ------------------------------------------------------------------------
 * Spelling, synonyms (metadata: see above)
 * ------------------------------------------------------------------------ */

/*
 * *suggestion = a malloc'd word of the spelling dictionary within
 * max_edit_distance edits of word (Xapian's choice: the most frequent of the
 * nearest), or NULL when there is none or word itself is the best spelling.
 * VIND_OK in both cases.
 */
vind_status_t vind_xapian_reader_spelling_suggestion(vind_xapian_reader_t *reader, const char *word,
                                                     unsigned max_edit_distance, char **suggestion,
                                                     char **errmsg);

/* The synonyms of term, in byte order (count 0 when none). Free with vind_xapian_terms_free. */
vind_status_t vind_xapian_reader_synonyms(vind_xapian_reader_t *reader, const char *term,
                                          vind_xapian_terms_t **synonyms, char **errmsg);

/* ------------------------------------------------------------------------
 * Queries
 *
 * Constructors return a new query, or NULL on failure (out of memory, NULL
 * where a value is required); they never throw. A constructor said to
 * CONSUME its children takes ownership of them, also when it fails: the
 * caller must not use or free them afterwards. Free a query with
 * vind_xapian_query_free.
 * ------------------------------------------------------------------------ */

typedef enum {
    VIND_XAPIAN_OP_AND,       /* all children */
    VIND_XAPIAN_OP_OR,        /* any child */
    VIND_XAPIAN_OP_AND_NOT,   /* the first child but none of the others */
    VIND_XAPIAN_OP_AND_MAYBE, /* the first child; the others only add weight */
    VIND_XAPIAN_OP_FILTER,    /* the first child, restricted by the others, which add no weight */
    VIND_XAPIAN_OP_SYNONYM,   /* any child, weighted as if one term (stem variants, compounds) */
    VIND_XAPIAN_OP_MAX,       /* any child, weighted by the best matching child */
    VIND_XAPIAN_OP_ELITE_SET  /* OR of the 10 most discriminating children */
} vind_xapian_op_t;

/*
 * A query for term (non-empty) with within-query frequency wqf (1 usually)
 * at query position position (0: none; positions order phrase children).
 */
vind_xapian_query_t *vind_xapian_query_term(const char *term, uint32_t wqf, uint32_t position);

/* A query matching every document (built from the empty term, never the shared static MatchAll). */
vind_xapian_query_t *vind_xapian_query_match_all(void);

/* A query matching no document. */
vind_xapian_query_t *vind_xapian_query_match_nothing(void);

/* A copy of query (shares its tree: cheap); NULL when query is NULL or on NOMEM. */
vind_xapian_query_t *vind_xapian_query_copy(const vind_xapian_query_t *query);

/*
 * Combines the count children with op. CONSUMES the children (and frees the
 * array's elements, not the array). NULL children make it fail (returning
 * NULL) after freeing the others. count 0 gives a query matching nothing.
 */
vind_xapian_query_t *vind_xapian_query_compound(vind_xapian_op_t op,
                                                vind_xapian_query_t *const *children, size_t count);

/* OR of the elite_size (>= 1) most discriminating children. CONSUMES the children. */
vind_xapian_query_t *vind_xapian_query_elite_set(vind_xapian_query_t *const *children, size_t count,
                                                 uint32_t elite_size);

/*
 * The children in order, within window positions (0: exactly adjacent, i.e.
 * window = count). The children should be term queries (a phrase over
 * positional terms). CONSUMES the children.
 */
vind_xapian_query_t *vind_xapian_query_phrase(vind_xapian_query_t *const *children, size_t count,
                                              uint32_t window);

/* The children in any order within window positions (0: count). CONSUMES the children. */
vind_xapian_query_t *vind_xapian_query_near(vind_xapian_query_t *const *children, size_t count,
                                            uint32_t window);

/* query with its weights multiplied by factor (>= 0; 0 makes it purely boolean). CONSUMES query. */
vind_xapian_query_t *vind_xapian_query_scale_weight(vind_xapian_query_t *query, double factor);

/*
 * Documents whose value in slot lies within [low, high] in byte order.
 * Either end may be NULL for an open end (its length is then ignored); both
 * NULL matches every document with a non-empty value in slot. Weightless.
 */
vind_xapian_query_t *vind_xapian_query_value_range(uint32_t slot, const char *low,
                                                   size_t low_length, const char *high,
                                                   size_t high_length);

/* Documents whose value in slot is >= the length bytes at low (byte order). */
vind_xapian_query_t *vind_xapian_query_value_ge(uint32_t slot, const char *low, size_t length);

/* Documents whose value in slot is <= the length bytes at high (byte order). */
vind_xapian_query_t *vind_xapian_query_value_le(uint32_t slot, const char *high, size_t length);

/*
 * Any term starting with prefix (non-empty), combined as a synonym; when more
 * than max_expansion (0: unlimited) terms start with it, only the
 * max_expansion most frequent are used (never an error at search time).
 */
vind_xapian_query_t *vind_xapian_query_wildcard(const char *prefix, uint32_t max_expansion);

/*
 * As vind_xapian_query_wildcard, expanded against reader's terms when it
 * has shards (local or remote), so that every shard weighs the same terms:
 * a synonym of the max_expansion most frequent terms over all shards. A
 * plain database (or NULL) gets vind_xapian_query_wildcard. NULL on NOMEM.
 */
vind_xapian_query_t *vind_xapian_reader_wildcard(vind_xapian_reader_t *reader, const char *prefix,
                                                 uint32_t max_expansion);

/* Frees query. NULL is allowed. */
void vind_xapian_query_free(vind_xapian_query_t *query);

/*
 * A malloc'd description of query (Xapian::Query::get_description, e.g.
 * "Query((zorg@1 AND huis@2))"), for tests and "the query as understood";
 * NULL when query is NULL or memory runs out.
 */
char *vind_xapian_query_describe(const vind_xapian_query_t *query);

/* ------------------------------------------------------------------------
 * Enquire: runs a query over a reader
 * ------------------------------------------------------------------------ */

/*
 * Keeps up to `bytes` of what reader reads of stored values, metadata and
 * positions (page text, word maps, hit records, a hit's positions of a
 * term) for later reads at the same revision;
 * the least recently used go first, and a reopen that finds a new revision
 * empties it. 0 (the default) keeps nothing. Only a reader opened with
 * vind_xapian_reader_open on local databases caches; one with a remote
 * shard (a replica may switch copies without a reopen noticing) or made by
 * vind_xapian_writer_reader (its writer changes what it reads) ignores it.
 */
void vind_xapian_reader_set_cache(vind_xapian_reader_t *reader, size_t bytes);

/* The bytes reader's cache holds now (keys, values and bookkeeping, as
 * counted against its budget): for tests. */
size_t vind_xapian_reader_cache_bytes(const vind_xapian_reader_t *reader);

/*
 * A time budget for what follows (one search): a vind_xapian_enquire_run
 * over reader that starts after `seconds` ignores its check_at_least and
 * examines only the page asked for (the match counts become estimates),
 * so a costly query's later runs stop counting instead of running on. A
 * run already under way is not interrupted. 0 removes the budget.
 */
void vind_xapian_reader_set_budget(vind_xapian_reader_t *reader, double seconds);

/* 1 when reader has a budget and its time is up. */
int vind_xapian_reader_budget_spent(const vind_xapian_reader_t *reader);

/*
 * A new enquire over reader (borrowed: it must outlive the enquire), with no
 * query (matches nothing), BM25 defaults, relevance order, ascending docid
 * tie-break. Free with vind_xapian_enquire_free.
 */
vind_status_t vind_xapian_enquire_new(vind_xapian_reader_t *reader, vind_xapian_enquire_t **enquire,
                                      char **errmsg);

/* Frees enquire. NULL is allowed. */
void vind_xapian_enquire_free(vind_xapian_enquire_t *enquire);

/* Sets the query to run. query is copied, not consumed: free it whenever you like. */
vind_status_t vind_xapian_enquire_set_query(vind_xapian_enquire_t *enquire,
                                            const vind_xapian_query_t *query, char **errmsg);

/* Sets the query to run, sharing query's tree (its reference counts, which
 * are not atomic) instead of copying it: for a caller that frees query and
 * enquire, and runs enquire, only from the thread that made the query (or
 * one that took it over behind a lock), as a searcher does its runs. Saves
 * the deep copy's serialisation: ~5,400 instructions a run. */
vind_status_t vind_xapian_enquire_set_query_shared(vind_xapian_enquire_t *enquire,
                                                   const vind_xapian_query_t *query,
                                                   char **errmsg);

/*
 * Uses BM25 with parameters k1, k2, k3, b and min_normlen (Xapian's defaults
 * are 1, 0, 1, 0.5, 0.5). Negative parameters give VIND_INVALID_ARGUMENT.
 */
vind_status_t vind_xapian_enquire_set_bm25(vind_xapian_enquire_t *enquire, double k1, double k2,
                                           double k3, double b, double min_normlen, char **errmsg);

/* Orders results by relevance (the default). */
vind_status_t vind_xapian_enquire_sort_by_relevance(vind_xapian_enquire_t *enquire, char **errmsg);

/*
 * Orders results by the value in slot (byte order; ascending, or descending
 * when reverse is non-zero), then by relevance.
 */
vind_status_t vind_xapian_enquire_sort_by_value_then_relevance(vind_xapian_enquire_t *enquire,
                                                               uint32_t slot, int reverse,
                                                               char **errmsg);

typedef enum {
    VIND_XAPIAN_DOCID_ASCENDING,  /* equal keys: lower docid first (the default) */
    VIND_XAPIAN_DOCID_DESCENDING, /* equal keys: higher docid first */
    VIND_XAPIAN_DOCID_DONT_CARE   /* whatever is fastest */
} vind_xapian_docid_order_t;

/* Sets how documents with equal sort keys are ordered. */
vind_status_t vind_xapian_enquire_set_docid_order(vind_xapian_enquire_t *enquire,
                                                  vind_xapian_docid_order_t order, char **errmsg);

/* Keeps only the best document per distinct value in slot (VIND_XAPIAN_NO_SLOT: off). */
vind_status_t vind_xapian_enquire_set_collapse_key(vind_xapian_enquire_t *enquire, uint32_t slot,
                                                   char **errmsg);

/*
 * Whether the runs fill the pages' percents (on: the default). Off, a run
 * that orders by relevance and examines every match (check_at_least >= the
 * documents, one local database, no cutoff, docids ascending) asks Xapian
 * to keep no match and orders the matches itself from the weights a match
 * spy takes: the same docids, weights, order and counts, and every percent
 * 0. Why: Xapian keeps such a run's every match as an item of two strings
 * and sorts them at its end (~740 instructions a match, docs/searchd.md
 * "Session 17"); vind orders 16-byte pairs and only as far as the page.
 */
vind_status_t vind_xapian_enquire_set_percents(vind_xapian_enquire_t *enquire, int on,
                                               char **errmsg);

/* Drops results below percent (0-100; 0: off) of the best result's score. */
vind_status_t vind_xapian_enquire_set_cutoff(vind_xapian_enquire_t *enquire, int percent,
                                             char **errmsg);

/* One value of a facet and the number of matching documents that have it. */
typedef struct {
    char *value; /* NUL-terminated, in the facet's block of items */
    uint32_t count;
} vind_xapian_facet_value_t;

/* The values of one facet; free with vind_xapian_facet_free. */
typedef struct {
    size_t count;
    vind_xapian_facet_value_t *items; /* count descending, then value ascending; NULL when empty */
} vind_xapian_facet_t;

/* Frees facet, its items and their values (one block). NULL is allowed. */
void vind_xapian_facet_free(vind_xapian_facet_t *facet);

/* Weighs matches as cheaply as Xapian can (no wdf or length read): for a
 * pass that only counts, whose order is never read (not BoolWeight: see
 * lib/xapian_wrap.cc, a Xapian 1.4.22 fault after deletions). */
vind_status_t vind_xapian_enquire_set_boolean(vind_xapian_enquire_t *enquire, char **errmsg);

/* The caller's test of one value (a part of a multi-valued one) of counted
 * slot index: non-zero when it passes that slot's filter. Must not fail. */
typedef int (*vind_xapian_value_test_t)(void *data, size_t index, const char *value,
                                        size_t length);

/* One slot a counting pass counts (a facet) and whether it filters. */
typedef struct {
    uint32_t slot;
    int multi_valued; /* parts joined by 0x1F (VIND_VALUE_SEPARATOR), each counted once */
    int filtered;     /* a document passes only when test passes one of its values */
    /* > 0: the value is field packed_field - 1 (0x1E-separated) of slot
     * packed_slot instead, read once per document for every slot that
     * packs (one value read instead of several); 0: slot itself. */
    int packed_field;
    uint32_t packed_slot;
} vind_xapian_count_slot_t;

/*
 * Counts the n slots over the matches of the next runs in one pass (at most
 * once per enquire; a facet each). A document passes slot i when it is not
 * filtered or test(data, i, part) passes one of its parts (cached per
 * distinct part; test may be NULL when no slot filters). A document passing
 * every slot counts into vind_xapian_enquire_passed and into every slot's
 * values (or, without a value, its none); unless exclusive, a document
 * failing only slot i counts into slot i's values (multi-select). Exact only
 * with check_at_least >= the document count. Cost per match: one value read
 * per slot and a hash look-up per part.
 */
vind_status_t vind_xapian_enquire_count_slots(vind_xapian_enquire_t *enquire,
                                              const vind_xapian_count_slot_t *slots, size_t n,
                                              int exclusive, vind_xapian_value_test_t test,
                                              void *data, char **errmsg);

/* The counts of counted slot index over the last run (none before one):
 * *values (free with vind_xapian_facet_free; count descending, then value)
 * and *none. VIND_INVALID_ARGUMENT for an unknown index. */
vind_status_t vind_xapian_enquire_slot_counts(vind_xapian_enquire_t *enquire, size_t index,
                                              vind_xapian_facet_t **values, uint64_t *none,
                                              char **errmsg);

/* The documents of the last run that passed every counted slot. */
uint64_t vind_xapian_enquire_passed(const vind_xapian_enquire_t *enquire);

/* The documents the last run's counting saw, passing or not: every match
 * only when the run examined every match (not past its check_at_least). */
uint64_t vind_xapian_enquire_seen(const vind_xapian_enquire_t *enquire);

/* Xapian's bounds of the matches of the last run (as its mset's). */
void vind_xapian_enquire_bounds(const vind_xapian_enquire_t *enquire, uint64_t *lower,
                                uint64_t *upper);

/* One page of results; free with vind_xapian_mset_free. */
typedef struct {
    size_t count;               /* entries in the arrays below (<= limit) */
    uint32_t *docids;           /* NULL when count is 0 */
    double *weights;            /* relevance weights */
    int *percents;              /* 0-100, relative to the best match */
    uint64_t matches_lower;     /* at least this many documents match */
    uint64_t matches_estimated; /* best estimate of the matches */
    uint64_t matches_upper;     /* at most this many documents match */
    /* With a collapse key (vind_xapian_enquire_set_collapse_key) the three
     * counts above still count documents, collapsed ones included: exact
     * (counted by a match spy) when every document was checked, else
     * Xapian's uncollapsed estimates; these say what collapsing left.
     * Without one the arrays are NULL and listed_estimated is
     * matches_estimated. */
    uint32_t *collapse_counts;  /* per entry: documents collapsed into it */
    char **collapse_keys;       /* per entry: its key (malloc'd), NULL when it has none */
    uint64_t listed_estimated;  /* entries after collapsing (exact when every match was checked) */
} vind_xapian_mset_t;

/* Frees mset and its arrays. NULL is allowed. */
void vind_xapian_mset_free(vind_xapian_mset_t *mset);

/*
 * Runs the query: *mset receives results offset .. offset+limit-1 in the set
 * order. The match examines at least check_at_least documents (and offset +
 * limit); with check_at_least >= the document count the match counts are
 * exact (lower == estimated == upper) and counted slots cover every match.
 * Slot counts are reset at the start of each run.
 * Returns VIND_INDEX_CHANGED when the reader's revision was overwritten
 * (reopen the reader, make a new enquire, retry).
 */
vind_status_t vind_xapian_enquire_run(vind_xapian_enquire_t *enquire, uint32_t offset,
                                      uint32_t limit, uint32_t check_at_least,
                                      vind_xapian_mset_t **mset, char **errmsg);

/* ------------------------------------------------------------------------
 * Expand (query expansion, related documents)
 * ------------------------------------------------------------------------ */

/*
 * The max_terms terms that best characterise the count documents docids (a
 * Xapian relevance set), best first, each with its expand weight (terms of
 * the enquire's query, if any, are left out). Only terms starting with
 * include_prefix (NULL or "": any) whose first byte is not in
 * exclude_initials (NULL or "": none excluded) are considered: every term
 * prefix of lib/schema.h is a capital, so include_prefix "K" gives tags and
 * exclude_initials "ABCDEFGHIJKLMNOPQRSTUVWXYZ" only unprefixed words. count
 * 0 gives an empty list. Free *terms with vind_xapian_terms_free.
 * Returns VIND_NOT_FOUND when a docid does not exist.
 */
vind_status_t vind_xapian_enquire_expand(vind_xapian_enquire_t *enquire, const uint32_t *docids,
                                         size_t count, size_t max_terms, const char *include_prefix,
                                         const char *exclude_initials, vind_xapian_terms_t **terms,
                                         char **errmsg);

VIND_END_DECLS

#endif
