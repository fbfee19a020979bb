/*
 * index.h - building and updating an index from a site's files.
 *
 * One call, vind_index_run(), does a whole run: walk the roots, skip files
 * whose size, mtime (then content hash) are unchanged, extract the rest in
 * parallel (each in an isolated child process, see extract.h), analyse and
 * add them through one writer, remove documents whose files vanished under
 * the roots, relate PDFs to the articles that link them, and commit.
 * The commit protocol is in docs/design.md: a reader sees either the state
 * before the run or after it (per batch of VIND_INDEX_BATCH_DOCS documents),
 * never a half-written document; a crash leaves the last commit intact.
 */
#ifndef VIND_INDEX_H
#define VIND_INDEX_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <vind/analyze.h>
#include <vind/common.h>
#include <vind/extract.h>
#include <vind/status.h>

VIND_BEGIN_DECLS

typedef struct vind_index vind_index_t;

/* What happened to one file (the events of a run). */
typedef enum {
    VIND_FILE_INDEXED = 0,  /* new document */
    VIND_FILE_UPDATED,      /* changed file, document replaced */
    VIND_FILE_UNCHANGED,    /* not parsed again */
    VIND_FILE_REMOVED,      /* its file vanished: document deleted */
    VIND_FILE_SKIPPED,      /* a listing page or not a document type: not indexed */
    VIND_FILE_FAILED,       /* reported with a reason; the rest goes on */
} vind_file_outcome_t;

typedef struct {
    const char *path;            /* the file (for REMOVED: the path it had) */
    const char *url;             /* its URL, when known */
    vind_file_outcome_t outcome;
    vind_status_t status;        /* for FAILED */
    const char *reason;          /* FAILED, SKIPPED: why, in words; INDEXED, UPDATED: a repair
                                  * made to read the file (vind_doc_t.warning), or NULL */
    size_t done;                 /* files finished so far in this run */
    size_t total;                /* files found by the walk */
    size_t ocr_pages;            /* pages recognised by OCR so far in this run */
} vind_index_event_t;

/* Called from the calling thread only (never from a worker). */
typedef void (*vind_index_event_fn)(const vind_index_event_t *event, void *rock);

typedef struct {
    const char *base_url;        /* prefix of every URL ("/" or "https://example.nl/") */
    int full;                    /* 1: rebuild every document (--full) */
    unsigned jobs;               /* parallel extractions (0 = number of cores, at most
                                  * VIND_MAX_INDEX_JOBS; more is VIND_INVALID_ARGUMENT) */
    vind_extract_options_t extract;
    vind_index_event_fn on_event; /* may be NULL */
    void *rock;
} vind_index_options_t;

/* Fills opts with defaults: base_url "/", jobs 0, extract defaults (isolated). */
VIND_API void vind_index_options_init(vind_index_options_t *opts);

typedef struct {
    size_t indexed, updated, unchanged, removed, skipped, failed;
    size_t pdf_pages;            /* pages of the PDFs extracted in this run */
    size_t empty_pages;          /* of which without a text layer */
    size_t ocr_pages;            /* pages Tesseract recognised in this run */
    size_t ocr_cached;           /* OCR pages whose text came from the OCR cache */
    double ocr_seconds;          /* time the workers spent on OCR (summed over them) */
    uint64_t bytes;              /* bytes of the files extracted in this run */
    double seconds;
} vind_index_report_t;

/*
 * Opens (creating when absent) the index at db_path for writing. lexicon is
 * borrowed and must outlive the handle.
 *
 * Return value: VIND_OK; VIND_LOCKED (another vind-index is writing);
 * VIND_SCHEMA_MISMATCH; VIND_INDEX_CORRUPT; VIND_IO; VIND_XAPIAN; VIND_NOMEM.
 */
VIND_API vind_status_t vind_index_open(const char *db_path, const vind_lexicon_t *lexicon,
                                       vind_index_t **out, char **errmsg);

/*
 * As vind_index_open, for an index of shards (2 to 1024) shards written in
 * parallel (docs/scaling.md, "Shards"): created when db_path is absent or
 * an empty folder as db_path/shard-0 .. shard-<shards-1> plus the Xapian stub
 * db_path/XAPIANDB that every reader opens as one database. A document goes
 * to the shard of the hash of its URL. shards 0 opens what db_path holds
 * (vind_index_open opens a sharded index too); VIND_INVALID_ARGUMENT when
 * db_path holds one database or another number of shards.
 */
VIND_API vind_status_t vind_index_open_shards(const char *db_path, unsigned shards,
                                              const vind_lexicon_t *lexicon, vind_index_t **out,
                                              char **errmsg);

/*
 * Runs one indexing run over roots (files or folders). Per-file problems are
 * events (VIND_FILE_FAILED) and counted in report->failed; they do not make
 * the run fail. The run fails only when the index itself cannot be written
 * (full disk, lock lost): then nothing of this run's uncommitted work is
 * kept and the index stays at its previous commit.
 *
 * Return value: VIND_OK; VIND_INVALID_ARGUMENT (a root does not exist, more
 * than VIND_MAX_INDEX_JOBS jobs, a time limit over VIND_MAX_EXTRACT_SECONDS);
 * VIND_IO; VIND_XAPIAN; VIND_NOMEM.
 */
VIND_API vind_status_t vind_index_run(vind_index_t *index, const char *const *roots,
                                      size_t n_roots, const vind_index_options_t *opts,
                                      vind_index_report_t *report, char **errmsg);

/*
 * Indexes extracted records read from in (a JSONL feed: one JSON object per
 * line, the fields of vind_doc_to_json, include/vind/doc.h), without files
 * on disk: what a CMS publishes, or bench/gen-corpus generates. name names
 * the feed in events ("-" for stdin).
 *
 * A record's identity is its "url" (required, a non-empty string); "type"
 * may be left out (an article) or given as "article", "pdf" or "page";
 * "path" defaults to the url. The last record of a URL wins. Incremental: a
 * record whose line is byte-identical to the one that made the document
 * (SHA-256 in VIND_SLOT_SIGNATURE, "jsonl <hash>") is UNCHANGED and not
 * analysed again, unless opts->full. {"url": U, "deleted": true} deletes
 * U's document (REMOVED; nothing when U is not indexed). Documents a feed
 * does not mention stay: a feed is a list of changes, not the whole site. A
 * record with "is_listing": true is SKIPPED and its URL's document removed.
 * PDF attachments are not related to the articles that link them (that pass
 * reads every stored record; a run over the files does it).
 *
 * Every event's path is "<name>:<line number>". A bad line (not JSON, no
 * url, a field of the wrong type, longer than twice opts->extract.max_bytes)
 * is a FAILED event with its reason, and the other lines are indexed. Only a
 * failure of the index itself (full disk, lock lost, a read error on in)
 * fails the call; the batches committed before it stay (VIND_INDEX_BATCH_DOCS
 * documents each). Memory: one line at a time, plus the near-duplicate
 * fingerprints of the index (~60 bytes a document).
 *
 * Return value: VIND_OK; VIND_INVALID_ARGUMENT; VIND_SCHEMA_MISMATCH (the
 * index needs a rebuild, which only a run over the files can do); VIND_IO;
 * VIND_XAPIAN; VIND_NOMEM.
 */
VIND_API vind_status_t vind_index_records(vind_index_t *index, FILE *in, const char *name,
                                          const vind_index_options_t *opts,
                                          vind_index_report_t *report, char **errmsg);

/*
 * Compacts the index (Xapian's compaction: full B-tree blocks, docids kept),
 * after a bulk load for instance: the compacted copy is written beside it
 * (<db>.rebuild-<pid>, disk room for both) and swapped in atomically, as a
 * schema upgrade's rebuild is (docs/schema.md, "Upgrading"); the old index
 * moves to <db>.old-compact-<time> for the readers still on it and is
 * removed by the next run. A sharded index is compacted shard by shard and
 * stays sharded. A kill or failure before the swap leaves the old index as
 * it was. Call it between runs (no uncommitted changes). *bytes_before and
 * *bytes_after (each may be NULL) receive the index's size on disk before
 * and after.
 *
 * Return value: VIND_OK; VIND_INVALID_ARGUMENT (uncommitted changes; a stub
 * that is a file rather than a folder of shards); VIND_IO (the swap);
 * VIND_XAPIAN (the compaction, a full disk among its causes); VIND_NOMEM.
 */
VIND_API vind_status_t vind_index_compact(vind_index_t *index, uint64_t *bytes_before,
                                          uint64_t *bytes_after, char **errmsg);

/* Closes the index; uncommitted changes are discarded. Accepts NULL. */
VIND_API void vind_index_close(vind_index_t *index);

/* The URL a file is served at: base_url + path under root, "x/index.html" ->
 * "x/". malloc'd. Exposed for tests. */
VIND_API char *vind_index_url_for(const char *base_url, const char *root, const char *path);

VIND_END_DECLS

#endif
