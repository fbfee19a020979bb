/*
 * limits.h - every hard bound in vind, each with its reason.
 */
#ifndef VIND_LIMITS_H
#define VIND_LIMITS_H

/* Largest text vind_analyze takes in one call: a 50 MB HTML file's text must
 * fit, while a hostile 1 GB text layer must not exhaust memory (tokens cost
 * ~10x the text). */
#define VIND_MAX_ANALYZE_BYTES (64u * 1024u * 1024u)

/* Longest token kept as a term; longer runs (base64, hashes, a 1 MB "word")
 * are cut: Xapian refuses terms over 245 bytes and nobody searches for them. */
#define VIND_MAX_TERM_BYTES 64u

/* Default per-file limits of vind-index (--max-size, time limit): a hostile
 * PDF must neither hang the run nor exhaust memory. */
#define VIND_DEFAULT_MAX_FILE_BYTES (100u * 1024u * 1024u)
#define VIND_DEFAULT_EXTRACT_SECONDS 60u
#define VIND_DEFAULT_EXTRACT_MEMORY_BYTES (2048ull * 1024u * 1024u)

/* Query limits: longer queries are almost certainly not typed by a person and
 * cost time proportional to their length. */
#define VIND_MAX_QUERY_BYTES 4096u
#define VIND_MAX_QUERY_TERMS 64u
#define VIND_MAX_QUERY_DEPTH 32u

/* Documents per commit in a run: a reader sees whole batches; a crash loses at
 * most one batch, and Xapian keeps a batch in memory until it commits. */
#define VIND_INDEX_BATCH_DOCS 5000u

#endif
