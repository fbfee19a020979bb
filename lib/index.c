/*
 * index.c - an indexing run: walk -> decide -> extract (in parallel, each
 * file isolated) -> analyse -> one writer -> relate attachments -> commit.
 *
 * NOTES ON THE COMMIT PROTOCOL
 *
 * 1. Every change of a run happens inside Xapian transactions of at most
 *    VIND_INDEX_BATCH_DOCS documents. Xapian makes a commit atomic: a reader
 *    (vind, vind-searchd) sees the revision before a commit or after it,
 *    never a half-written document.
 * 2. A crash (kill -9, power loss) before a commit loses that batch only;
 *    the index opens at its last commit. The next run finds the lost files
 *    new or changed (their signatures were never committed) and redoes them.
 * 3. The schema version is written in the first commit of a new index and
 *    checked on every open (VIND_SCHEMA_MISMATCH otherwise).
 * 4. A failure of the index itself (full disk, lock lost) cancels the open
 *    transaction and ends the run with an error; earlier commits stay.
 *
 * Per-file problems never stop a run: they become VIND_FILE_FAILED events.
 *
 * Determinism: files are walked in path order and added in that order
 * whatever order the parallel extractions finish in, so two runs over the
 * same files give the same documents with the same ids.
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include <glib.h>
#include <jansson.h>

#include <vind/analyze.h>
#include <vind/doc.h>
#include <vind/extract.h>
#include <vind/index.h>
#include <vind/limits.h>
#include <vind/xapian.h>

#include "date.h"
#include "doc_json.h"
#include "error.h"
#include "folder.h"
#include "schema.h"
#include "prints.h"
#include "simhash.h"
#include "hitrecord.h"
#include "isolate.h"
#include "textstore.h"
#include "tokenize.h"
#include "walk.h"

struct vind_index {
    char *path;
    const vind_lexicon_t *lexicon;
    vind_analyzer_t *analyzer;
    vind_xapian_writer_t *writer;
    vind_xapian_reader_t *reader; /* the writer's own view, uncommitted changes included */
    unsigned shards;              /* shards of the index (0: one database; docs/scaling.md) */
    int in_transaction;
    int schema_version;           /* of the index as opened */
    int write_version;            /* the schema this run writes (schema_to_write) */
    int analyzer_stale;           /* the index's terms come from another analyzer or lexicon */
    size_t batch;                 /* documents changed in the open transaction */
    size_t batch_replaced;        /* of those, stored over another (VIND_INDEX_BATCH_REPLACED) */
    uint64_t pending_bytes;       /* text added in it (check_disk_room, count_change) */
    /* Near-duplicates: the fingerprints of the index (loaded at the first
     * need), those of the document last built, and the document it joined
     * when that one had no key yet (0: none; docs/schema.md). */
    vind_prints_t *prints;
    vind_print_t built;
    uint32_t joined;
    /* Spelling words of the open transaction (form -> documents that have
     * it, minus the replaced or deleted documents that had it: gint),
     * added to or removed from Xapian once per form at the commit
     * (flush_spellings). */
    GHashTable *spellings;
    GPtrArray *built_spellings;   /* the document last built's, in strcmp order */
    /* Those of the batches committed since the spelling table's last update,
     * also in VIND_META_SPELLING_PENDING (commit_changes). */
    GHashTable *spelling_pending;
    int pending_stored;           /* VIND_META_SPELLING_PENDING may be in the index */
    uint64_t spelling_bytes;      /* text committed since that update */
    gint64 run_started_us;        /* wall clock at this run's start: VIND_META_LAST_RUN */
    vind_index_t *replacing;      /* a rebuild's: the index it is to replace (rebuild) */
};

static vind_status_t load_pending(vind_index_t *index, char **errmsg);

/* ---- options and URLs --------------------------------------------------- */

void vind_index_options_init(vind_index_options_t *opts)
{
    memset(opts, 0, sizeof *opts);
    opts->base_url = "/";
    vind_extract_options_init(&opts->extract);
}

/*
 * Appends a file's relative path to a URL, percent-encoding every byte a URL
 * path cannot hold raw: what is not RFC 3986 unreserved, a sub-delim, ':',
 * '@' or '/'. So "hash#frag.html" no longer links to "/hash", "vraag?x=1.html"
 * to "/vraag", "pct%41.html" to "/pctA.html" (another file), and a folder
 * "\attacker.example" no longer makes "/\attacker.example/", which browsers
 * read as a link to another host (issue 11); control bytes ("regel\neinde")
 * and bytes that are not UTF-8 ("ongeldig-\xff") are encoded too (issue 8).
 * Visible UTF-8 beyond ASCII ("cliënten.html") stays as it is: an IRI, which
 * browsers and web servers treat as its %XX form; invisible characters
 * (U+00A0, U+202E, U+200B) are encoded. Cost: one pass over the
 * path, per file and per link compared in relate_attachments.
 */
static int url_path_byte(unsigned char c)
{
    return g_ascii_isalnum(c) || (c != '\0' && strchr("-._~!$&'()*+,;=:@/", c) != NULL);
}

/* A character beyond ASCII stays raw when it is visible: a letter, digit,
 * mark or punctuation. Spaces (U+00A0), bidi and zero-width controls and
 * unassigned code points are encoded, so a URL shows what it links to. */
static int url_path_char(gunichar c)
{
    switch (g_unichar_type(c)) {
    case G_UNICODE_CONTROL:
    case G_UNICODE_FORMAT:
    case G_UNICODE_UNASSIGNED:
    case G_UNICODE_PRIVATE_USE:
    case G_UNICODE_SURROGATE:
    case G_UNICODE_LINE_SEPARATOR:
    case G_UNICODE_PARAGRAPH_SEPARATOR:
    case G_UNICODE_SPACE_SEPARATOR:
        return 0;
    default:
        return 1;
    }
}

static void append_url_path(GString *url, const char *path)
{
    const char *p = path;
    while (*p) {
        const char *end = NULL;
        if (g_utf8_validate(p, -1, &end)) /* the rest is valid */
            end = p + strlen(p);
        while (p < end) {
            unsigned char c = (unsigned char)*p;
            const char *next = c >= 0x80 ? g_utf8_next_char(p) : p + 1;
            int raw = c >= 0x80 ? url_path_char(g_utf8_get_char(p)) : url_path_byte(c);
            for (; p < next; p++)
                if (raw)
                    g_string_append_c(url, *p);
                else
                    g_string_append_printf(url, "%%%02X", (unsigned char)*p);
        }
        if (*p) /* the first byte of an invalid sequence */
            g_string_append_printf(url, "%%%02X", (unsigned char)*p++);
    }
}

char *vind_index_url_for(const char *base_url, const char *root, const char *path)
{
    if (!base_url)
        base_url = "/";
    const char *relative = path;
    size_t root_length = strlen(root);
    while (root_length > 1 && root[root_length - 1] == '/')
        root_length--;
    if (strncmp(path, root, root_length) == 0 &&
        (path[root_length] == '/' || path[root_length] == '\0')) {
        relative = path + root_length;
        if (*relative == '\0') /* the root is the file itself */
            relative = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    }
    while (*relative == '/')
        relative++;
    GString *url = g_string_new(base_url);
    if (url->len == 0 || url->str[url->len - 1] != '/')
        g_string_append_c(url, '/');
    append_url_path(url, relative);
    /* "x/index.html" is served as "x/". */
    const char *suffixes[] = {"index.html", "index.htm"};
    for (size_t i = 0; i < G_N_ELEMENTS(suffixes); i++) {
        size_t n = strlen(suffixes[i]);
        if (url->len >= n && strcmp(url->str + url->len - n, suffixes[i]) == 0 &&
            (url->len == n || url->str[url->len - n - 1] == '/')) {
            g_string_truncate(url, url->len - n);
            break;
        }
    }
    char *result = strdup(url->str);
    g_string_free(url, TRUE);
    return result;
}

/* ---- open and close ----------------------------------------------------- */

/*
 * The schema an index is written in: VIND_SCHEMA_VERSION, or with
 * VIND_INDEX_WRITE_SCHEMA=1 or 3 in the environment an older one (1: page
 * text inside the record, no text store; 3: the exact forms with their
 * positions): a test knob, so that the upgrade of an old index is tested
 * on an index as the previous vind wrote it (tests/e2e/test_schema_upgrade.py,
 * tests/e2e/test_prefix_snippets.py).
 */
static int schema_to_write(void)
{
    const char *knob = getenv("VIND_INDEX_WRITE_SCHEMA");
    if (knob && (strcmp(knob, "1") == 0 || strcmp(knob, "3") == 0))
        return atoi(knob);
    return VIND_SCHEMA_VERSION;
}

/* Writes the schema version and commits it at once, so that even an index
 * of an empty folder opens for searching. */
static vind_status_t write_schema(vind_index_t *index, char **errmsg)
{
    char text[16];
    snprintf(text, sizeof text, "%d", index->write_version);
    vind_status_t status = vind_xapian_writer_set_metadata(index->writer, VIND_META_SCHEMA, text,
                                                           strlen(text), errmsg);
    char *stamp = vind_analyzer_stamp(index->lexicon);
    if (stamp == NULL && status == VIND_OK)
        status = vind_error(errmsg, VIND_NOMEM, "out of memory");
    if (status == VIND_OK)
        status = vind_xapian_writer_set_metadata(index->writer, VIND_META_ANALYZER, stamp,
                                                 strlen(stamp), errmsg);
    g_free(stamp);
    if (status == VIND_OK)
        status = vind_xapian_writer_commit(index->writer, errmsg);
    if (status == VIND_OK)
        index->schema_version = index->write_version;
    return status;
}

/*
 * Whether the index's terms were made by this analyzer and lexicon: an index
 * with documents whose stamp (VIND_META_ANALYZER) differs or is missing is
 * rebuilt like one of another schema (vind_index_run), so that a query's
 * terms meet the indexed ones. Costs one metadata read per open.
 */
static vind_status_t check_analyzer(vind_index_t *index, uint32_t documents, char **errmsg)
{
    char *value = NULL;
    size_t length = 0;
    vind_status_t status = vind_xapian_writer_get_metadata(index->writer, VIND_META_ANALYZER,
                                                           &value, &length, NULL);
    if (status != VIND_OK && status != VIND_NOT_FOUND)
        return vind_error(errmsg, status, "%s: cannot read the analyzer stamp", index->path);
    char *stamp = vind_analyzer_stamp(index->lexicon);
    if (stamp == NULL) {
        free(value);
        return vind_error(errmsg, VIND_NOMEM, "out of memory");
    }
    int same = value && length == strlen(stamp) && memcmp(value, stamp, length) == 0;
    free(value);
    g_free(stamp);
    if (same)
        return VIND_OK;
    if (documents == 0) /* nothing to rebuild: stamp it now */
        return write_schema(index, errmsg);
    index->analyzer_stale = 1;
    return VIND_OK;
}

static vind_status_t check_schema(vind_index_t *index, char **errmsg)
{
    index->analyzer_stale = 0;
    uint32_t documents = 0;
    vind_status_t status = vind_xapian_writer_doc_count(index->writer, &documents, errmsg);
    if (status != VIND_OK)
        return status;
    char *value = NULL;
    size_t length = 0;
    status = vind_xapian_writer_get_metadata(index->writer, VIND_META_SCHEMA, &value, &length,
                                             NULL);
    if (status == VIND_NOT_FOUND)
        status = VIND_OK;
    if (status != VIND_OK)
        return vind_error(errmsg, status, "%s: cannot read the index schema version", index->path);
    int version = value && length ? atoi(value) : 0;
    free(value);
    index->schema_version = version;
    if (version == index->write_version)
        return check_analyzer(index, documents, errmsg);
    if (version == 0 && documents == 0)
        return write_schema(index, errmsg);
    /* Another version: vind_index_run rebuilds it beside and swaps it in. */
    return VIND_OK;
}

vind_status_t vind_index_open(const char *db_path, const vind_lexicon_t *lexicon,
                              vind_index_t **out, char **errmsg)
{
    return vind_index_open_shards(db_path, 0, lexicon, out, errmsg);
}

/* Opens the writer of an index: shards > 1 opens or creates that many
 * shards; 0 opens what is there (one database or a stub's shards),
 * creating one database. */
static vind_status_t open_writer(const char *db_path, unsigned shards,
                                 vind_xapian_writer_t **writer, char **errmsg)
{
    if (shards > 1)
        return vind_xapian_writer_open_shards(db_path, shards, writer, errmsg);
    return vind_xapian_writer_open(db_path, 1, writer, errmsg);
}

vind_status_t vind_index_open_shards(const char *db_path, unsigned shards,
                                     const vind_lexicon_t *lexicon, vind_index_t **out,
                                     char **errmsg)
{
    *out = NULL;
    if (!db_path || !lexicon)
        return vind_error(errmsg, VIND_INVALID_ARGUMENT, "vind_index_open: no path or lexicon");
    vind_index_t *index = calloc(1, sizeof *index);
    if (!index || !(index->path = strdup(db_path))) {
        free(index);
        return vind_error(errmsg, VIND_NOMEM, "out of memory");
    }
    index->lexicon = lexicon;
    index->write_version = schema_to_write();
    index->spellings = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    index->built_spellings = g_ptr_array_new_with_free_func(g_free);
    index->spelling_pending = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    vind_status_t status = vind_analyzer_new(lexicon, &index->analyzer, errmsg);
    /* Like `mkdir -p`: --db may name a folder whose parents do not exist yet. */
    char *parent = g_path_get_dirname(db_path);
    if (status == VIND_OK && g_mkdir_with_parents(parent, 0755) != 0)
        status = vind_error(errmsg, VIND_IO, "%s: cannot create the folder %s: %s", db_path,
                            parent, strerror(errno));
    g_free(parent);
    if (status == VIND_OK && shards == 1)
        status = vind_error(errmsg, VIND_INVALID_ARGUMENT, "%s: 1 shard is one database: leave "
                            "out the number of shards", db_path);
    if (status == VIND_OK)
        status = open_writer(db_path, shards, &index->writer, errmsg);
    if (status == VIND_OK)
        index->shards = vind_xapian_writer_shards(index->writer);
    if (status == VIND_OK)
        status = check_schema(index, errmsg);
    if (status == VIND_OK)
        status = load_pending(index, errmsg);
    if (status == VIND_OK)
        status = vind_xapian_writer_reader(index->writer, &index->reader, errmsg);
    if (status != VIND_OK) {
        vind_index_close(index);
        return status;
    }
    *out = index;
    return VIND_OK;
}

void vind_index_close(vind_index_t *index)
{
    if (!index)
        return;
    if (index->in_transaction)
        vind_xapian_writer_cancel_transaction(index->writer, NULL);
    vind_xapian_reader_close(index->reader);
    vind_xapian_writer_close(index->writer);
    vind_analyzer_free(index->analyzer);
    vind_prints_free(index->prints);
    if (index->spellings)
        g_hash_table_destroy(index->spellings);
    if (index->built_spellings)
        g_ptr_array_free(index->built_spellings, TRUE);
    if (index->spelling_pending)
        g_hash_table_destroy(index->spelling_pending);
    free(index->path);
    free(index);
}

/* ---- transactions ------------------------------------------------------- */

static vind_status_t begin_change(vind_index_t *index, char **errmsg)
{
    if (index->in_transaction)
        return VIND_OK;
    vind_status_t status = vind_xapian_writer_begin_transaction(index->writer, errmsg);
    if (status == VIND_OK) {
        index->in_transaction = 1;
        index->batch = 0;
        index->batch_replaced = 0;
    }
    return status;
}

/*
 * Free disk space a commit needs, per byte of text added in the open
 * transaction, plus a margin. Why the check exists at all (hardening, issue
 * 8): libxapian 1.4 aborts the whole process (std::terminate, exit 134) when
 * a write fails while it merges pending value changes, which a value stream
 * read on the writer does (relate_attachments) and a commit does too: the
 * ENOSPC exception is thrown during unwinding inside
 * Database::valuestream_begin (glass's ValueUpdater writes its last chunk in
 * its destructor). An index of the sample site on a 3 MB tmpfs died that way
 * instead of exiting 2 (tests/e2e/test_full_disk.py); an LD_PRELOAD shim that
 * fails writes after 10.5 MB does it too. So the run stops with a clean
 * VIND_IO before the disk is that full; failed writes elsewhere in Xapian are
 * ordinary exceptions. The index stays at its last commit even after the
 * abort. Measured: an index takes 4.4 (corpus) to 5.7 (sample site x16) bytes
 * per byte of text, the stored text included; with the text store (schema 2:
 * text uncompressed in metadata, a word map of ~3 bytes a word) 6.6 to 7.2.
 */
#define DISK_BYTES_PER_TEXT_BYTE 10u
#define DISK_MARGIN_BYTES (2u * 1024u * 1024u)

static vind_status_t check_disk_room(vind_index_t *index, char **errmsg)
{
    struct statvfs disk;
    if (index->batch == 0 && index->pending_bytes == 0)
        return VIND_OK; /* nothing to merge: metadata alone never aborts */
    if (statvfs(index->path, &disk) != 0)
        return VIND_OK; /* cannot tell: Xapian reports what happens */
    uint64_t free_bytes = (uint64_t)disk.f_bavail * disk.f_frsize;
    uint64_t needed = index->pending_bytes * DISK_BYTES_PER_TEXT_BYTE + DISK_MARGIN_BYTES;
    if (free_bytes >= needed)
        return VIND_OK;
    return vind_error(errmsg, VIND_IO,
                      "%s: no space left on device: %" G_GUINT64_FORMAT
                      " bytes free, about %" G_GUINT64_FORMAT " needed to commit",
                      index->path, free_bytes, needed);
}

/* Byte order of two strings held by pointer (a qsort or GPtrArray array). */
static int compare_strings(gconstpointer a, gconstpointer b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/*
 * Adds the pending spelling words (this batch's and those of the batches
 * since the last update, commit_changes) to Xapian, each once with the
 * number of documents that have it (or removes them, by the number of
 * replaced or deleted documents that had it, when that is more), and drops
 * VIND_META_SPELLING_PENDING.
 * Why not one add_spelling per word and document, as the words come: each
 * is a look-up in Xapian's spelling table and its change maps (15% of a
 * bulk load's CPU, perf, 2,000 generated documents); counted here first, a
 * form costs one GHashTable increment per document and one add_spelling
 * per update. The spelling data is the same (frequencies add up). Nothing
 * reads the spelling data during a run.
 */
static vind_status_t flush_spellings(vind_index_t *index, char **errmsg)
{
    /* In byte order, the order of Xapian's keys ("W" + word): each
     * add_spelling of a known word reads its entry, and in key order the
     * look-ups walk the table's leaves once instead of jumping between
     * them (hash order read an 8 KB block per word: 1,000 changed documents
     * into 20,000 made ~70,000 block reads here, docs/scaling.md). */
    guint n = 0;
    gpointer *forms = g_hash_table_get_keys_as_array(index->spelling_pending, &n);
    qsort(forms, n, sizeof *forms, compare_strings);
    vind_status_t status = VIND_OK;
    for (guint i = 0; status == VIND_OK && i < n; i++) {
        const gint count = *(const gint *)g_hash_table_lookup(index->spelling_pending, forms[i]);
        if (count > 0)
            status = vind_xapian_writer_add_spelling(index->writer, forms[i], (uint32_t)count,
                                                     errmsg);
        else if (count < 0)
            status = vind_xapian_writer_remove_spelling(index->writer, forms[i],
                                                        (uint32_t)-count, errmsg);
    }
    g_free(forms);
    g_hash_table_remove_all(index->spelling_pending);
    if (status == VIND_OK && index->pending_stored)
        status = vind_xapian_writer_set_metadata(index->writer, VIND_META_SPELLING_PENDING, "", 0,
                                                 errmsg);
    index->pending_stored = 0;
    index->spelling_bytes = 0;
    return status;
}

/* Adds n (negative: takes away) to a form's count in counts (form -> gint). */
static void add_count(GHashTable *counts, const char *form, gint n)
{
    gint *count = g_hash_table_lookup(counts, form);
    if (!count) {
        count = g_new0(gint, 1);
        g_hash_table_insert(counts, g_strdup(form), count);
    }
    *count += n;
}

/* Counts one document's spelling word for the commit (flush_spellings). */
static void spell_later(vind_index_t *index, const char *form)
{
    add_count(index->spellings, form, 1);
}

/*
 * Takes the spelling words of document docid, about to be replaced or
 * deleted, out of the counts of the commit (the words it stored,
 * vind_text_put_spellings): the spelling table then holds what a fresh
 * index of the same documents holds, and a word only a deleted page had
 * is no longer offered as a correction. A document of an index written
 * before session 13 stored none: its words stay (docs/schema.md,
 * "Spelling words"). Cost: one metadata read and a hash update per word.
 */
static vind_status_t unspell(vind_index_t *index, uint32_t docid, char **errmsg)
{
    char **forms = NULL;
    vind_status_t status = vind_text_spellings(index->writer, docid, &forms, errmsg);
    for (char **form = forms; status == VIND_OK && *form; form++)
        add_count(index->spellings, *form, -1);
    g_strfreev(forms);
    return status;
}

/* Writes the counts of index->spelling_pending as VIND_META_SPELLING_PENDING,
 * into the transaction about to be committed. Cost: its size (~15 bytes a
 * form) per batch commit, against a rewrite of the spelling table. */
static vind_status_t store_pending(vind_index_t *index, char **errmsg)
{
    GString *text = g_string_sized_new(16 * g_hash_table_size(index->spelling_pending) + 1);
    GHashTableIter it;
    gpointer form, count;
    g_hash_table_iter_init(&it, index->spelling_pending);
    while (g_hash_table_iter_next(&it, &form, &count))
        if (*(gint *)count != 0)
            g_string_append_printf(text, "%s\t%d\n", (const char *)form, *(gint *)count);
    vind_status_t status = vind_xapian_writer_set_metadata(
        index->writer, VIND_META_SPELLING_PENDING, text->str, text->len, errmsg);
    g_string_free(text, TRUE);
    index->pending_stored = 1;
    return status;
}

/* index->spelling_pending := the counts the index's last commit holds in
 * VIND_META_SPELLING_PENDING (none: empty). A line that is no
 * "<form>\t<count>" is skipped: the words are suggestions only. */
static vind_status_t load_pending(vind_index_t *index, char **errmsg)
{
    g_hash_table_remove_all(index->spelling_pending);
    index->pending_stored = 0;
    char *value = NULL, *why = NULL;
    size_t length = 0;
    vind_status_t status = vind_xapian_writer_get_metadata(
        index->writer, VIND_META_SPELLING_PENDING, &value, &length, &why);
    if (status != VIND_OK) {
        if (status != VIND_NOT_FOUND && errmsg)
            *errmsg = why;
        else
            free(why);
        return status == VIND_NOT_FOUND ? VIND_OK : status;
    }
    index->pending_stored = 1;
    char **lines = g_strsplit(value, "\n", -1);
    for (char **line = lines; *line; line++) {
        char *tab = strchr(*line, '\t');
        long count = tab ? strtol(tab + 1, NULL, 10) : 0;
        if (!tab || tab == *line || count == 0 || count > G_MAXINT || count < -G_MAXINT)
            continue;
        *tab = '\0';
        add_count(index->spelling_pending, *line, (gint)count);
    }
    g_strfreev(lines);
    free(value);
    return VIND_OK;
}

/*
 * Commits the open transaction. Its spelling words join those of the
 * run's earlier batches; the spelling table gets them all at the end of a
 * run (batch_end 0) or once VIND_INDEX_SPELLING_BYTES of text has been
 * committed since its last update; in between they are committed as
 * VIND_META_SPELLING_PENDING, so the commit holds every word of its
 * documents, in the table or there, and the next run that commits adds
 * those a crash left there (vind_index_open_shards loads them). Readers
 * see the spelling table of the last update meanwhile.
 */
static vind_status_t commit_changes(vind_index_t *index, int batch_end, char **errmsg)
{
    if (!index->in_transaction)
        return VIND_OK;
    vind_status_t status = check_disk_room(index, errmsg);
    if (status != VIND_OK)
        return status;
    GHashTableIter it;
    gpointer form, count;
    g_hash_table_iter_init(&it, index->spellings);
    while (g_hash_table_iter_next(&it, &form, &count))
        add_count(index->spelling_pending, form, *(gint *)count);
    g_hash_table_remove_all(index->spellings);
    index->spelling_bytes += index->pending_bytes;
    if (!batch_end || index->spelling_bytes >= VIND_INDEX_SPELLING_BYTES)
        status = flush_spellings(index, errmsg);
    else if (g_hash_table_size(index->spelling_pending) > 0)
        status = store_pending(index, errmsg);
    if (status != VIND_OK)
        return status;
    index->in_transaction = 0;
    index->pending_bytes = 0;
    return vind_xapian_writer_commit_transaction(index->writer, errmsg);
}

/* Counts one changed document; commits when the batch is full: of
 * documents, of text (VIND_INDEX_BATCH_BYTES, include/vind/limits.h), or of
 * documents stored over another (VIND_INDEX_BATCH_REPLACED: Xapian's queued
 * position-list changes). */
static vind_status_t count_change(vind_index_t *index, char **errmsg)
{
    /* Checked per document, so a full disk ends the run early, not at its end. */
    vind_status_t status = check_disk_room(index, errmsg);
    if (status != VIND_OK || (++index->batch < VIND_INDEX_BATCH_DOCS &&
                              index->pending_bytes < VIND_INDEX_BATCH_BYTES &&
                              index->batch_replaced < VIND_INDEX_BATCH_REPLACED))
        return status;
    status = commit_changes(index, 1, errmsg);
    return status == VIND_OK ? begin_change(index, errmsg) : status;
}

/* Deletes a document and its page text (lib/textstore.h) in the open
 * transaction. A document gone already is no error: VIND_OK, and the
 * message the look-up wrote is freed (callers free *errmsg on failures only). */
static vind_status_t delete_document(vind_index_t *index, uint32_t docid, char **errmsg)
{
    if (index->prints)
        vind_prints_remove(index->prints, docid);
    vind_status_t status = unspell(index, docid, errmsg);
    if (status != VIND_OK)
        return status;
    status = vind_xapian_writer_delete_document(index->writer, docid, errmsg);
    if (status == VIND_NOT_FOUND && errmsg) {
        free(*errmsg);
        *errmsg = NULL;
    }
    if (status != VIND_OK && status != VIND_NOT_FOUND)
        return status;
    return vind_text_delete(index->writer, docid, errmsg);
}

/* ---- building a Xapian document ----------------------------------------- */

/* Everything the document builder needs besides the extracted record. */
typedef struct {
    const char *signature;   /* "<size> <mtime_ns> <sha256>" */
    const char *parent;      /* url of the parent article, or NULL */
    char **attachments;      /* urls of attached PDFs */
    size_t n_attachments;
    char **inherited_tags;   /* from the parent */
    size_t n_inherited_tags;
    char **inherited_themes;
    size_t n_inherited_themes;
} relations_t;

typedef struct {
    vind_index_t *index;     /* only finish_document's part: the index's state */
    vind_analyzer_t *analyzer;
    int write_version;
    vind_xapian_document_t *document;
    GHashTable *spellings;   /* forms already added to the spelling data */
    GHashTable *doubtful;    /* forms of OCR words below VIND_OCR_SPELL_CONFIDENCE, or NULL */
    GArray **checkpoints;    /* per page: the text store's page map (guint32) */
    vind_simhash_t *simhash; /* the body's fingerprint being made (NULL: not this field) */
    char **errmsg;
    vind_status_t status;
} builder_t;

static vind_lang_t doc_language(const vind_doc_t *doc)
{
    return doc->lang && g_ascii_strncasecmp(doc->lang, "en", 2) == 0 ? VIND_LANG_EN : VIND_LANG_NL;
}

static void add_posting(builder_t *b, const char *prefix, const char *term, uint32_t position,
                        int positional, uint32_t wdf)
{
    if (b->status != VIND_OK || !term || !*term)
        return;
    /* prefix + term, cut as snprintf would cut it: two memcpy instead of a
     * format per posting (~2 postings a word; snprintf was ~1% of a bulk
     * load's CPU, perf) */
    char buffer[VIND_MAX_TERM_BYTES + 16];
    size_t n_prefix = strlen(prefix), n_term = strlen(term);
    if (n_prefix > sizeof buffer - 1)
        n_prefix = sizeof buffer - 1;
    if (n_term > sizeof buffer - 1 - n_prefix)
        n_term = sizeof buffer - 1 - n_prefix;
    memcpy(buffer, prefix, n_prefix);
    memcpy(buffer + n_prefix, term, n_term);
    buffer[n_prefix + n_term] = '\0';
    if (positional)
        b->status =
            vind_xapian_document_add_posting(b->document, buffer, position, wdf, b->errmsg);
    else
        b->status = vind_xapian_document_add_term(b->document, buffer, wdf, b->errmsg);
}

static void add_boolean(builder_t *b, const char *prefix, const char *value)
{
    if (b->status != VIND_OK || !value || !*value)
        return;
    char *term = strcmp(prefix, VIND_PREFIX_UNIQUE) == 0 ? vind_unique_term(value)
                                                         : vind_facet_term(prefix, value);
    if (!term) {
        b->status = vind_error(b->errmsg, VIND_NOMEM, "out of memory");
        return;
    }
    b->status = vind_xapian_document_add_boolean_term(b->document, term, b->errmsg);
    free(term);
}

/* The title-key term (VIND_PREFIX_TITLE_KEY) of a normalised title: the
 * searcher pins a document whose title is exactly what was typed through
 * it, with no candidate run. */
static void add_title_key(builder_t *b, const char *title)
{
    int nomem = 0;
    char *term = b->status == VIND_OK && title ? vind_title_term(title, &nomem) : NULL;
    if (nomem)
        b->status = vind_error(b->errmsg, VIND_NOMEM, "out of memory");
    else if (term)
        b->status = vind_xapian_document_add_boolean_term(b->document, term, b->errmsg);
    free(term);
}

/* Whether a form is worth offering as a spelling correction: letters only,
 * 3 to 30 bytes (no numbers, codes or URLs). */
static int spelling_candidate(const vind_token_t *token)
{
    if (token->flags & (VIND_TOKEN_STOP | VIND_TOKEN_NUMBER | VIND_TOKEN_URL | VIND_TOKEN_EMAIL))
        return 0;
    size_t length = strlen(token->form);
    if (length < 3 || length > 30)
        return 0;
    for (const char *p = token->form; *p; p++)
        if (!g_ascii_isalpha(*p))
            return 0;
    return 1;
}

/* Where one field's text is cut for the analyzer: texts up to this size are
 * analysed whole. The analyzer's tokens cost ~24 bytes of memory per byte of
 * text (a token, its forms and spans), so a 64 MB page analysed whole peaked
 * at ~1.5 GB in the indexing process; in parts the tokens of one part are
 * alive at a time (~24 MB). */
#define ANALYZE_PART_BYTES (1024u * 1024u)

/* The length of the next part of text[0, length): up to ANALYZE_PART_BYTES,
 * cut after the last paragraph break in it, else after the last line break,
 * else after the last space, so that no word (and no word group the analyzer
 * reads across a space, "in- en uitvoer") is cut in two unless a paragraph
 * ends there. Text without any of these is one part, however long: it is
 * analysed as before. */
static size_t analyze_part_length(const char *text, size_t length)
{
    if (length <= ANALYZE_PART_BYTES)
        return length;
    static const char *const breaks[] = {"\n\n", "\n", " "};
    for (size_t k = 0; k < sizeof breaks / sizeof *breaks; k++) {
        size_t width = strlen(breaks[k]);
        for (size_t end = ANALYZE_PART_BYTES; end >= width; end--)
            if (memcmp(text + end - width, breaks[k], width) == 0)
                return end;
    }
    const char *space = memchr(text + ANALYZE_PART_BYTES, ' ', length - ANALYZE_PART_BYTES);
    return space ? (size_t)(space - text) + 1 : length;
}

/* Indexes the tokens of one part of a field's text: offset is the part's
 * first byte in the text, first_position its first word's position. */
static void index_tokens(builder_t *b, const vind_tokens_t *tokens, size_t offset,
                         uint32_t first_position, const char *prefix_copy, uint32_t base,
                         uint32_t limit, int positional, uint32_t wdf, int spell, GArray *words)
{
    size_t count = vind_tokens_count(tokens);
    for (size_t i = 0; i < count && b->status == VIND_OK; i++) {
        const vind_token_t *token = vind_tokens_get(tokens, i);
        uint32_t word = first_position + token->position;
        int has_position = positional && word < limit;
        uint32_t position = base + word;
        if (words && has_position) /* the page map of the text store */
            vind_text_word_add(words, word, offset + token->start, offset + token->end);
        if (words && b->simhash) /* the body's forms, not its stems (lib/simhash.h) */
            vind_simhash_add_token(b->simhash, token);
        add_posting(b, "", token->stem, position, has_position, wdf);
        /* the exact form without its position (schema 4): the exact-form
         * boost and prefix* expansion read its postings only, and a prefix
         * snippet places its forms through their stems (lib/stored.c);
         * its positions were a fifth of the index and what an update reads */
        add_posting(b, VIND_PREFIX_EXACT, token->form, position,
                    has_position && b->write_version < 4, 1);
        if (prefix_copy)
            add_posting(b, prefix_copy, token->stem, position, has_position, 1);
        for (const char *const *extra = token->extra; extra && *extra; extra++) {
            add_posting(b, VIND_PREFIX_PART, *extra, position, has_position, 1);
            if (prefix_copy)
                add_posting(b, prefix_copy, *extra, position, has_position, 1);
        }
        /* spell 2, an OCR page: a word Tesseract was unsure of is no suggestion;
         * finish_document counts them for the spelling data */
        if (spell && spelling_candidate(token) &&
            !g_hash_table_contains(b->spellings, token->form) &&
            !(spell == 2 && b->doubtful && g_hash_table_contains(b->doubtful, token->form)))
            g_hash_table_add(b->spellings, g_strdup(token->form));
    }
}

/*
 * Indexes one field's text, in parts of about ANALYZE_PART_BYTES (one part
 * for nearly every page: the same tokens as one analysis of the whole).
 * prefix_copy: the field's own prefix (title, author) or NULL for the body.
 * base: the position of the text's first word; positional 0 adds terms
 * without positions (tags and themes).
 */
static void index_text(builder_t *b, const char *text, vind_lang_t lang, const char *prefix_copy,
                       uint32_t base, uint32_t limit, int positional, uint32_t wdf, int spell,
                       GArray *words)
{
    if (b->status != VIND_OK || !text || !*text)
        return;
    size_t length = strlen(text);
    if (length > VIND_MAX_ANALYZE_BYTES)
        length = VIND_MAX_ANALYZE_BYTES;
    uint32_t first_position = 0;
    for (size_t offset = 0; offset < length && b->status == VIND_OK;) {
        size_t part = analyze_part_length(text + offset, length - offset);
        vind_tokens_t *tokens = NULL;
        b->status = vind_analyze(b->analyzer, text + offset, part, lang, &tokens, b->errmsg);
        if (b->status != VIND_OK)
            return;
        index_tokens(b, tokens, offset, first_position, prefix_copy, base, limit, positional, wdf,
                     spell, words);
        first_position += (uint32_t)vind_tokens_count(tokens);
        vind_tokens_free(tokens);
        offset += part;
    }
}

/* ---- groups of near-duplicates (docs/schema.md) ----------------------- */

static void add_value(builder_t *b, unsigned slot, const char *value);

/* The fingerprints the index holds (lib/prints.h), read once per run from
 * three value streams and kept up to date as documents are stored and
 * deleted. A document without a group key is alone: its label is its own
 * fingerprint. */
static vind_status_t load_prints(vind_index_t *index, char **errmsg)
{
    if (index->prints)
        return VIND_OK;
    vind_xapian_values_t *lists[3] = {NULL, NULL, NULL};
    static const uint32_t slots[3] = {VIND_SLOT_SIMHASH, VIND_SLOT_GROUP, VIND_SLOT_URL};
    vind_status_t status = VIND_OK;
    for (int i = 0; i < 3 && status == VIND_OK; i++)
        status = vind_xapian_reader_values(index->reader, slots[i], &lists[i], errmsg);
    vind_prints_t *prints = status == VIND_OK ? vind_prints_new() : NULL;
    if (status == VIND_OK && !prints)
        status = vind_error(errmsg, VIND_NOMEM, "out of memory");
    for (size_t i = 0; status == VIND_OK && i < lists[0]->count; i++) {
        const vind_xapian_value_t *v = &lists[0]->items[i];
        vind_print_t print = {0};
        if (!vind_simhash_parse(v->value, v->length, &print.fingerprint))
            continue;
        print.group = print.fingerprint;
        if (!vind_prints_put(prints, v->docid, &print))
            status = vind_error(errmsg, VIND_NOMEM, "out of memory");
    }
    for (size_t i = 0; status == VIND_OK && i < lists[1]->count; i++) {
        const vind_xapian_value_t *v = &lists[1]->items[i];
        vind_print_t *print = vind_prints_get(prints, v->docid);
        if (print && vind_simhash_parse(v->value, v->length, &print->group))
            print->keyed = 1;
    }
    for (size_t i = 0; status == VIND_OK && i < lists[2]->count; i++) {
        const vind_xapian_value_t *v = &lists[2]->items[i];
        vind_print_t *print = vind_prints_get(prints, v->docid);
        if (print && !(print->url = strdup(v->value)))
            status = vind_error(errmsg, VIND_NOMEM, "out of memory");
    }
    for (int i = 0; i < 3; i++)
        vind_xapian_values_free(lists[i]);
    if (status != VIND_OK) {
        vind_prints_free(prints);
        return status;
    }
    index->prints = prints;
    return VIND_OK;
}

/* The fingerprint's value and the group: the nearest document's, keyed
 * (slot 10), else a new one named by this fingerprint and not keyed: a
 * document alone costs the ranked pass nothing (docs/schema.md).
 * index->built says which, and index->joined the unkeyed document joined,
 * for store_document to record and key. */
static void add_group(builder_t *b, uint64_t fingerprint, const char *url)
{
    if (b->status == VIND_OK)
        b->status = load_prints(b->index, b->errmsg);
    if (b->status != VIND_OK)
        return;
    uint32_t docid = 0;
    const vind_print_t *nearest = vind_prints_nearest(b->index->prints, fingerprint, url, &docid);
    b->index->built = (vind_print_t){.fingerprint = fingerprint,
                                     .group = nearest ? nearest->group : fingerprint,
                                     .keyed = nearest != NULL};
    b->index->joined = nearest && !nearest->keyed ? docid : 0;
    char hex[17];
    vind_simhash_hex(fingerprint, hex);
    add_value(b, VIND_SLOT_SIMHASH, hex);
    if (!nearest)
        return;
    vind_simhash_hex(b->index->built.group, hex);
    add_value(b, VIND_SLOT_GROUP, hex);
}

/* Gives the document index->joined (alone until the one just stored
 * joined it) its group key: a value update of one stored document, once per
 * group. */
static vind_status_t key_joined(vind_index_t *index, char **errmsg)
{
    vind_print_t *print = index->joined ? vind_prints_get(index->prints, index->joined) : NULL;
    if (!print || print->keyed)
        return VIND_OK;
    char hex[17];
    vind_simhash_hex(print->group, hex);
    vind_status_t status = vind_xapian_writer_set_value(index->writer, index->joined,
                                                        VIND_SLOT_GROUP, hex, 16, errmsg);
    if (status == VIND_OK)
        print->keyed = 1;
    return status;
}

/* Records the fingerprint of the document just stored as docid (none when
 * it has none: a short text), so later documents of the run find it. */
static vind_status_t remember_print(vind_index_t *index, uint32_t docid, const char *url,
                                    char **errmsg)
{
    if (!index->prints)
        return VIND_OK;
    if (!index->built.fingerprint) {
        vind_prints_remove(index->prints, docid);
        return VIND_OK;
    }
    vind_status_t status = key_joined(index, errmsg);
    if (status != VIND_OK)
        return status;
    vind_print_t print = index->built;
    print.url = (char *)url; /* copied by the set */
    if (!vind_prints_put(index->prints, docid, &print))
        return vind_error(errmsg, VIND_NOMEM, "out of memory");
    return VIND_OK;
}

/* The analysed forms of the OCR words Tesseract was unsure of (NULL when
 * none): what index_text leaves out of the spelling data on OCR pages. */
static GHashTable *doubtful_forms(builder_t *b, const vind_doc_t *doc, vind_lang_t lang)
{
    if (doc->n_ocr_doubtful == 0)
        return NULL;
    GHashTable *forms = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    for (size_t i = 0; i < doc->n_ocr_doubtful; i++) {
        vind_tokens_t *tokens = NULL;
        const char *word = doc->ocr_doubtful[i];
        if (vind_analyze(b->analyzer, word, strlen(word), lang, &tokens, NULL) != VIND_OK)
            continue;
        for (size_t t = 0; t < vind_tokens_count(tokens); t++)
            g_hash_table_add(forms, g_strdup(vind_tokens_get(tokens, t)->form));
        vind_tokens_free(tokens);
    }
    return forms;
}

static json_t *string_array(char **values, size_t count)
{
    json_t *array = json_array();
    for (size_t i = 0; i < count; i++)
        if (values[i] && g_utf8_validate(values[i], -1, NULL))
            json_array_append_new(array, json_string(values[i]));
    return array;
}

static void set_string(json_t *object, const char *key, const char *value)
{
    if (value && g_utf8_validate(value, -1, NULL))
        json_object_set_new(object, key, json_string(value));
}

/* Merged display values: own first, then inherited ones not already present
 * (compared after normalisation, so "Coördinatoren" = "coordinatoren"). */
static GPtrArray *merge_values(char **own, size_t n_own, char **inherited, size_t n_inherited)
{
    GPtrArray *merged = g_ptr_array_new();
    GHashTable *seen = g_hash_table_new_full(g_str_hash, g_str_equal, free, NULL);
    char **lists[2] = {own, inherited};
    size_t counts[2] = {n_own, n_inherited};
    for (int l = 0; l < 2; l++)
        for (size_t i = 0; i < counts[l]; i++) {
            char *key = vind_facet_term("", lists[l][i]);
            if (!key || !*key || g_hash_table_contains(seen, key)) {
                free(key);
                continue;
            }
            g_hash_table_add(seen, key);
            g_ptr_array_add(merged, lists[l][i]);
        }
    g_hash_table_destroy(seen);
    return merged;
}

static char *join_values(GPtrArray *values)
{
    GString *joined = g_string_new(NULL);
    for (guint i = 0; i < values->len; i++) {
        if (i)
            g_string_append_c(joined, VIND_VALUE_SEPARATOR);
        g_string_append(joined, g_ptr_array_index(values, i));
    }
    return g_string_free(joined, FALSE);
}

static void add_value(builder_t *b, unsigned slot, const char *value)
{
    if (b->status == VIND_OK && value && *value)
        b->status =
            vind_xapian_document_add_value(b->document, slot, value, strlen(value), b->errmsg);
}

/* A field as the stored record keeps it: valid UTF-8, else left out. */
static const char *valid(const char *text)
{
    return text && g_utf8_validate(text, -1, NULL) ? text : NULL;
}

static const char **valid_list(GPtrArray *values, size_t *n)
{
    const char **list = g_new0(const char *, values->len + 1);
    *n = 0;
    for (guint i = 0; i < values->len; i++)
        if (valid(g_ptr_array_index(values, i)))
            list[(*n)++] = g_ptr_array_index(values, i);
    return list;
}

/* The hit record (lib/hitrecord.h): what a results page shows, read without
 * parsing the stored record. Schema 1 keeps the text in the record, which
 * its snippets read: no hit record there. */
/* The 1-based pages of doc whose text is OCR (malloc'd, *n of them), or
 * NULL when none: the hit record carries them, so a snippet from a scan is
 * labelled without reading the stored record. */
static unsigned *ocr_page_list(const vind_doc_t *doc, size_t *n)
{
    *n = 0;
    if (!doc->ocr_confidence || doc->n_pages == 0)
        return NULL;
    unsigned *pages = calloc(doc->n_pages, sizeof *pages);
    for (size_t page = 0; pages && page < doc->n_pages; page++)
        if (doc->ocr_confidence[page] >= 0)
            pages[(*n)++] = (unsigned)page + 1;
    return pages;
}

/* The four facets in one value (VIND_SLOT_FACETS, in the order year, type,
 * tags, themes): the counting pass of a search then reads one value per
 * match instead of four (each read a value-stream look-up in Xapian, ~650
 * instructions; 13% of a search's instructions went there). Written for
 * every document, also with every field empty, so that a searcher can tell
 * from the slot's value count that the whole index has it. */
static void add_packed_facets(builder_t *b, const vind_doc_t *doc, const char *year,
                              const char *tags, const char *themes)
{
    /* A field holding the separator would shift the others: then this
     * document has no packed value, and searchers read the four slots. */
    if ((tags && strchr(tags, VIND_FACETS_SEPARATOR)) ||
        (themes && strchr(themes, VIND_FACETS_SEPARATOR)))
        return;
    char *packed = g_strdup_printf("%s%c%s%c%s%c%s", year, VIND_FACETS_SEPARATOR,
                                   vind_doc_type_name(doc->type), VIND_FACETS_SEPARATOR,
                                   tags ? tags : "", VIND_FACETS_SEPARATOR, themes ? themes : "");
    add_value(b, VIND_SLOT_FACETS, packed);
    g_free(packed);
}

static void add_hit_value(builder_t *b, const vind_doc_t *doc, const relations_t *rel,
                          GPtrArray *tags, GPtrArray *themes)
{
    if (b->status != VIND_OK || b->write_version < 2)
        return;
    vind_hit_record_t hit = {.url = valid(doc->url),
                             .title = valid(doc->title),
                             .type = vind_doc_type_name(doc->type),
                             .date = valid(doc->date),
                             .author = valid(doc->author),
                             .description = valid(doc->description),
                             .parent = valid(rel->parent),
                             .lang = valid(doc->lang),
                             .n_pages = doc->n_pages};
    hit.tags = valid_list(tags, &hit.n_tags);
    hit.themes = valid_list(themes, &hit.n_themes);
    unsigned *ocr_pages = ocr_page_list(doc, &hit.n_ocr_pages);
    hit.ocr_pages = ocr_pages;
    size_t length = 0;
    char *value = vind_hit_record_encode(&hit, &length);
    b->status = value ? vind_xapian_document_add_value(b->document, VIND_SLOT_HIT, value, length,
                                                       b->errmsg)
                      : vind_error(b->errmsg, VIND_NOMEM, "out of memory");
    free(value);
    g_free(hit.tags);
    g_free(hit.themes);
    free(ocr_pages);
}

static char *stored_data(const vind_doc_t *doc, const relations_t *rel, GPtrArray *tags,
                         GPtrArray *themes, int write_version)
{
    json_t *object = json_object();
    set_string(object, "url", doc->url);
    set_string(object, "path", doc->path);
    set_string(object, "type", vind_doc_type_name(doc->type));
    set_string(object, "title", doc->title);
    set_string(object, "date", doc->date);
    set_string(object, "author", doc->author);
    set_string(object, "description", doc->description);
    set_string(object, "lang", doc->lang);
    set_string(object, "canonical", doc->canonical);
    set_string(object, "section", doc->section);
    json_object_set_new(object, "tags", string_array((char **)tags->pdata, tags->len));
    json_object_set_new(object, "themes", string_array((char **)themes->pdata, themes->len));
    json_object_set_new(object, "own_tags", string_array(doc->tags, doc->n_tags));
    json_object_set_new(object, "own_themes", string_array(doc->themes, doc->n_themes));
    json_object_set_new(object, "links", string_array(doc->links, doc->n_links));
    /* The text lives in the text store (lib/textstore.h): a record stays ~1 kB.
     * Schema 1 kept it here (schema_to_write). */
    if (write_version == 1)
        json_object_set_new(object, "pages", string_array(doc->pages, doc->n_pages));
    else
        json_object_set_new(object, "n_pages", json_integer((json_int_t)doc->n_pages));
    json_object_set_new(object, "n_empty_pages", json_integer((json_int_t)doc->n_empty_pages));
    if (doc->ocr_confidence) { /* which pages are OCR, with what mean confidence */
        json_t *pages = json_array(), *confidence = json_array();
        for (size_t page = 0; page < doc->n_pages; page++)
            if (doc->ocr_confidence[page] >= 0) {
                json_array_append_new(pages, json_integer((json_int_t)page + 1));
                json_array_append_new(confidence, json_integer(doc->ocr_confidence[page]));
            }
        json_object_set_new(object, "ocr_pages", pages);
        json_object_set_new(object, "ocr_confidence", confidence);
        /* kept for a rebuild of the document from this record (relate_attachments):
         * without them its doubtful words would enter the spelling data */
        json_object_set_new(object, "ocr_doubtful",
                            string_array(doc->ocr_doubtful, doc->n_ocr_doubtful));
    }
    set_string(object, "parent", rel->parent);
    json_object_set_new(object, "attachments", string_array(rel->attachments, rel->n_attachments));
    char *text = json_dumps(object, JSON_COMPACT);
    json_decref(object);
    return text;
}

static void free_checkpoints(GArray **checkpoints, size_t n_pages)
{
    for (size_t page = 0; checkpoints && page < n_pages; page++)
        g_array_free(checkpoints[page], TRUE);
    g_free(checkpoints);
}

/* A record analysed into its Xapian document, before the index's own state
 * (the near-duplicate group, the spelling data) is consulted: what an
 * analysis thread can make (analyse_document) while the writer stores the
 * one before (finish_document). */
typedef struct {
    vind_xapian_document_t *document;
    GArray **checkpoints;  /* per page: the text store's page map */
    GHashTable *spellings; /* the forms for the spelling data */
    uint64_t fingerprint;
    int has_fingerprint;
} analysed_t;

static void analysed_clear(analysed_t *a, size_t n_pages)
{
    vind_xapian_document_free(a->document);
    free_checkpoints(a->checkpoints, n_pages);
    if (a->spellings)
        g_hash_table_destroy(a->spellings);
    memset(a, 0, sizeof *a);
}

/* Whether a page's words get positions: its positions (from VIND_POS_BODY,
 * VIND_POS_PAGE_STRIDE a page) must fit 32 bits. */
static int page_has_positions(size_t page)
{
    return VIND_POS_BODY + (uint64_t)page * VIND_POS_PAGE_STRIDE + VIND_POS_PAGE_STRIDE <
           UINT32_MAX;
}

/* How many pages get positions (429,496). */
static size_t positional_pages(void)
{
    return (size_t)((UINT32_MAX - 1 - VIND_POS_BODY) / VIND_POS_PAGE_STRIDE);
}

/* Analyses an extracted record into its Xapian document (lib/schema.h) and
 * the page maps of its text. Touches nothing of the index: safe in another
 * thread with its own analyzer. */
static vind_status_t analyse_document(vind_analyzer_t *analyzer, int write_version,
                                      const vind_doc_t *doc, const relations_t *rel,
                                      analysed_t *out, char **errmsg)
{
    memset(out, 0, sizeof *out);
    builder_t b = {.analyzer = analyzer, .write_version = write_version,
                   .document = vind_xapian_document_new(), .errmsg = errmsg};
    if (!b.document)
        return vind_error(errmsg, VIND_NOMEM, "out of memory");
    b.checkpoints = g_new0(GArray *, doc->n_pages + 1);
    for (size_t page = 0; page < doc->n_pages; page++)
        b.checkpoints[page] = g_array_new(FALSE, FALSE, sizeof(vind_text_word_t));
    b.spellings = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    vind_lang_t lang = doc_language(doc);
    GPtrArray *tags = merge_values(doc->tags, doc->n_tags, rel->inherited_tags,
                                   rel->n_inherited_tags);
    GPtrArray *themes = merge_values(doc->themes, doc->n_themes, rel->inherited_themes,
                                     rel->n_inherited_themes);

    b.doubtful = doubtful_forms(&b, doc, lang);
    index_text(&b, doc->title, lang, VIND_PREFIX_TITLE, VIND_POS_TITLE,
               VIND_POS_BODY - VIND_POS_TITLE - 1, 1, VIND_WDF_TITLE, 1, NULL);
    index_text(&b, doc->author, lang, VIND_PREFIX_AUTHOR, 0, 0, 0, 1, 0, NULL);
    for (guint i = 0; i < tags->len; i++)
        index_text(&b, g_ptr_array_index(tags, i), lang, NULL, 0, 0, 0, VIND_WDF_TAXONOMY, 1,
                   NULL);
    for (guint i = 0; i < themes->len; i++)
        index_text(&b, g_ptr_array_index(themes, i), lang, NULL, 0, 0, 0, VIND_WDF_TAXONOMY, 1,
                   NULL);
    vind_simhash_t simhash;
    vind_simhash_init(&simhash);
    b.simhash = write_version >= 3 ? &simhash : NULL;
    for (size_t page = 0; page < doc->n_pages; page++) {
        /* Pages past what 32-bit positions can hold are indexed without positions. */
        uint64_t base = VIND_POS_BODY + (uint64_t)page * VIND_POS_PAGE_STRIDE;
        int positional = page_has_positions(page);
        int ocr = doc->ocr_confidence && doc->ocr_confidence[page] >= 0;
        /* The last page (an article's only one) has positions to its end: no
         * page follows whose positions its words could take (lib/stored.c
         * reads a position past the stride as the last page's). */
        uint32_t limit = page + 1 == doc->n_pages && positional
                             ? (uint32_t)(UINT32_MAX - base)
                             : VIND_POS_PAGE_STRIDE - 1;
        index_text(&b, doc->pages[page], lang, NULL, positional ? (uint32_t)base : 0, limit,
                   positional, VIND_WDF_BODY, ocr ? 2 : 1, b.checkpoints[page]);
    }

    add_boolean(&b, VIND_PREFIX_UNIQUE, doc->url);
    add_boolean(&b, VIND_PREFIX_TYPE, vind_doc_type_name(doc->type));
    add_boolean(&b, VIND_PREFIX_LANG, lang == VIND_LANG_EN ? "en" : "nl");
    add_boolean(&b, VIND_PREFIX_PARENT, rel->parent);
    for (guint i = 0; i < tags->len; i++)
        add_boolean(&b, VIND_PREFIX_TAG, g_ptr_array_index(tags, i));
    for (guint i = 0; i < themes->len; i++)
        add_boolean(&b, VIND_PREFIX_THEME, g_ptr_array_index(themes, i));
    char year[5] = ""; /* "" undated: no year facet */
    if (doc->date && strlen(doc->date) >= 10) {
        char compact[9];
        memcpy(year, doc->date, 4);
        year[4] = '\0';
        snprintf(compact, sizeof compact, "%.4s%.2s%.2s", doc->date, doc->date + 5,
                 doc->date + 8);
        add_boolean(&b, VIND_PREFIX_YEAR, year);
        add_value(&b, VIND_SLOT_DATE, compact);
        add_value(&b, VIND_SLOT_YEAR, year);
    }
    add_value(&b, VIND_SLOT_TYPE, vind_doc_type_name(doc->type));
    char *joined_tags = join_values(tags), *joined_themes = join_values(themes);
    add_value(&b, VIND_SLOT_TAGS, joined_tags);
    add_value(&b, VIND_SLOT_THEMES, joined_themes);
    add_packed_facets(&b, doc, year, joined_tags, joined_themes);
    g_free(joined_tags);
    g_free(joined_themes);
    add_value(&b, VIND_SLOT_URL, doc->url);
    add_value(&b, VIND_SLOT_SIGNATURE, rel->signature);
    add_value(&b, VIND_SLOT_PATH, doc->path);
    if (doc->title) {
        char *title = vind_normalize(doc->title, strlen(doc->title));
        add_value(&b, VIND_SLOT_TITLE, title);
        add_title_key(&b, title);
        free(title);
    }
    out->has_fingerprint = b.simhash && vind_simhash_result(b.simhash, &out->fingerprint);
    add_hit_value(&b, doc, rel, tags, themes);
    if (b.status == VIND_OK) {
        char *data = stored_data(doc, rel, tags, themes, write_version);
        b.status = data ? vind_xapian_document_set_data(b.document, data, strlen(data), errmsg)
                        : vind_error(errmsg, VIND_NOMEM, "out of memory");
        free(data);
    }
    g_ptr_array_free(tags, TRUE);
    g_ptr_array_free(themes, TRUE);
    if (b.doubtful)
        g_hash_table_destroy(b.doubtful);
    out->document = b.document;
    out->checkpoints = b.checkpoints;
    out->spellings = b.spellings;
    if (b.status != VIND_OK)
        analysed_clear(out, doc->n_pages);
    return b.status;
}

/* The writer's part of building a document: its near-duplicate group
 * (index->built, index->joined for store_document) and its spelling words. */
static vind_status_t finish_document(vind_index_t *index, const vind_doc_t *doc, analysed_t *a,
                                     char **errmsg)
{
    builder_t b = {.index = index, .document = a->document, .errmsg = errmsg};
    index->built = (vind_print_t){0};
    index->joined = 0;
    if (a->has_fingerprint)
        add_group(&b, a->fingerprint, doc->url);
    GHashTableIter it;
    gpointer form;
    g_ptr_array_set_size(index->built_spellings, 0);
    g_hash_table_iter_init(&it, a->spellings);
    while (b.status == VIND_OK && g_hash_table_iter_next(&it, &form, NULL)) {
        spell_later(index, form);
        g_ptr_array_add(index->built_spellings, g_strdup(form));
    }
    g_ptr_array_sort(index->built_spellings, compare_strings);
    return b.status;
}

/* Builds the Xapian document of an extracted record, and the page maps of
 * its text (*checkpoints_out, one GArray per page: free with
 * free_checkpoints). */
static vind_status_t build_document(vind_index_t *index, const vind_doc_t *doc,
                                    const relations_t *rel, vind_xapian_document_t **out,
                                    GArray ***checkpoints_out, char **errmsg)
{
    *out = NULL;
    *checkpoints_out = NULL;
    analysed_t a;
    vind_status_t status =
        analyse_document(index->analyzer, index->write_version, doc, rel, &a, errmsg);
    if (status == VIND_OK)
        status = finish_document(index, doc, &a, errmsg);
    if (status != VIND_OK) {
        analysed_clear(&a, doc->n_pages);
        return status;
    }
    g_hash_table_destroy(a.spellings);
    *out = a.document;
    *checkpoints_out = a.checkpoints;
    return VIND_OK;
}

/* Replaces (or adds) the document with the unique term, and its page text,
 * in the open transaction. *document is the caller's to free afterwards
 * unless a sharded writer's thread took it (then NULL):
 * vind_xapian_writer_store_document_by_term. *docid (may be NULL) receives
 * its id. */
static vind_status_t store_document(vind_index_t *index, const char *unique, const vind_doc_t *doc,
                                    vind_xapian_document_t **document, GArray **checkpoints,
                                    uint32_t *docid, char **errmsg)
{
    uint32_t id = 0;
    int added = 0;
    vind_status_t status = vind_xapian_writer_store_document_by_term(index->writer, unique,
                                                                    document, &id, &added, errmsg);
    /* The same docid may have held longer text: drop the old pages first.
     * A new docid has none (Xapian never reuses one), and the look-up
     * would wait for a sharded writer's thread to add the document. */
    if (status == VIND_OK && !added) {
        index->batch_replaced++;
        status = unspell(index, id, errmsg);
    }
    if (status == VIND_OK && !added)
        status = vind_text_delete(index->writer, id, errmsg);
    if (status == VIND_OK && index->write_version > 1)
        status = vind_text_put(index->writer, id, doc->pages, doc->n_pages, checkpoints, errmsg);
    if (status == VIND_OK)
        status = vind_text_put_spellings(index->writer, id, (char *const *)index->built_spellings->pdata,
                                         index->built_spellings->len, errmsg);
    if (status == VIND_OK)
        status = remember_print(index, id, doc->url, errmsg);
    if (docid)
        *docid = id;
    return status;
}

/* ---- reading what the index already holds -------------------------------- */

typedef struct {
    uint32_t docid;
    char *signature;
    char *url;
    int seen;
} existing_t;

static void existing_free(gpointer data)
{
    existing_t *e = data;
    free(e->signature);
    free(e->url);
    free(e);
}

/* path -> existing_t for every document in the index. */
static vind_status_t load_existing(vind_index_t *index, GHashTable **out, char **errmsg)
{
    vind_xapian_values_t *paths = NULL, *signatures = NULL, *urls = NULL;
    vind_status_t status = vind_xapian_reader_values(index->reader, VIND_SLOT_PATH, &paths, errmsg);
    if (status == VIND_OK)
        status = vind_xapian_reader_values(index->reader, VIND_SLOT_SIGNATURE, &signatures, errmsg);
    if (status == VIND_OK)
        status = vind_xapian_reader_values(index->reader, VIND_SLOT_URL, &urls, errmsg);
    if (status != VIND_OK) {
        vind_xapian_values_free(paths);
        vind_xapian_values_free(signatures);
        return status;
    }
    GHashTable *existing = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, existing_free);
    size_t s = 0, u = 0;
    for (size_t i = 0; i < paths->count; i++) {
        existing_t *e = calloc(1, sizeof *e);
        e->docid = paths->items[i].docid;
        /* The lists ascend by docid: walk them together. */
        while (s < signatures->count && signatures->items[s].docid < e->docid)
            s++;
        if (s < signatures->count && signatures->items[s].docid == e->docid)
            e->signature = strdup(signatures->items[s].value);
        while (u < urls->count && urls->items[u].docid < e->docid)
            u++;
        if (u < urls->count && urls->items[u].docid == e->docid)
            e->url = strdup(urls->items[u].value);
        g_hash_table_replace(existing, g_strdup(paths->items[i].value), e);
    }
    vind_xapian_values_free(paths);
    vind_xapian_values_free(signatures);
    vind_xapian_values_free(urls);
    *out = existing;
    return VIND_OK;
}

/* "<size> <mtime_ns>": the cheap part of a signature. */
static char *quick_signature(const vind_walk_file_t *file)
{
    return g_strdup_printf("%" G_GUINT64_FORMAT " %" G_GINT64_FORMAT, file->size, file->mtime_ns);
}

/* The SHA-256 of a file's content, hex; NULL when unreadable. Only the
 * file the walk saw is read (vind_walk_open): never a FIFO, a device or a
 * file swapped in since. */
static char *content_hash(const vind_walk_file_t *file)
{
    char *reason = NULL;
    int fd = vind_walk_open(file->path, &file->id, &reason);
    free(reason);
    FILE *f = fd >= 0 ? fdopen(fd, "rb") : NULL;
    if (!f) {
        if (fd >= 0)
            close(fd);
        return NULL;
    }
    GChecksum *checksum = g_checksum_new(G_CHECKSUM_SHA256);
    unsigned char buffer[65536];
    size_t n;
    while ((n = fread(buffer, 1, sizeof buffer, f)) > 0)
        g_checksum_update(checksum, buffer, n);
    int failed = ferror(f);
    fclose(f);
    char *hash = failed ? NULL : g_strdup(g_checksum_get_string(checksum));
    g_checksum_free(checksum);
    return hash;
}

/*
 * Files that produced no document (listing pages, failures) are remembered
 * in metadata, keyed by the SHA-1 of their path (keys are limited in
 * length), as "<signature>\t<outcome>\t<status>\t<reason>": an unchanged one
 * is not parsed again, and a failure is reported again from the record.
 */
static char *file_record_key(const char *path)
{
    gchar *digest = g_compute_checksum_for_string(G_CHECKSUM_SHA1, path, -1);
    char *key = g_strdup_printf("vind:file:%s", digest);
    g_free(digest);
    return key;
}

static vind_status_t remember_file(vind_index_t *index, const char *path, const char *signature,
                                   vind_file_outcome_t outcome, vind_status_t status,
                                   const char *reason, char **errmsg)
{
    char *key = file_record_key(path);
    char *value = signature ? g_strdup_printf("%s\t%d\t%d\t%s", signature, (int)outcome,
                                              (int)status, reason ? reason : "")
                            : g_strdup("");
    vind_status_t result = vind_xapian_writer_set_metadata(index->writer, key, value,
                                                           strlen(value), errmsg);
    g_free(key);
    g_free(value);
    return result;
}

/* The record of a file without a document, or NULL. g_malloc'd. */
static char *recall_file(vind_index_t *index, const char *path)
{
    char *key = file_record_key(path), *value = NULL;
    size_t length = 0;
    if (vind_xapian_writer_get_metadata(index->writer, key, &value, &length, NULL) != VIND_OK ||
        length == 0) {
        free(value);
        value = NULL;
    }
    g_free(key);
    char *copy = value ? g_strdup(value) : NULL;
    free(value);
    return copy;
}

/* ---- parallel extraction -------------------------------------------------- */

typedef struct {
    size_t number;              /* position in the run's job list */
    const vind_walk_file_t *file;
    char *url;
    char *signature;
    uint32_t old_docid;         /* 0 for a new file */
    int recorded;               /* a record of an earlier skip or failure exists */
    /* Filled by the worker: */
    int completed;              /* extraction finished: doc or status/errmsg are set */
    vind_doc_t *doc;
    vind_status_t status;
    char *errmsg;
} job_t;

/* A listing page's verdict alone: store_job reads nothing else of it. */
static void keep_listing_verdict(vind_doc_t **doc)
{
    vind_doc_t *verdict = vind_doc_new();
    if (verdict == NULL)
        return; /* the whole document goes, as before */
    verdict->is_listing = 1;
    verdict->listing_reason = (*doc)->listing_reason;
    (*doc)->listing_reason = NULL;
    vind_doc_free(*doc);
    *doc = verdict;
}

/* In an extraction worker process (lib/isolate.c): the extractor itself,
 * in-process, since the worker is the isolation. Of a listing page (41% of
 * the shared site's pages) only the verdict goes back: its text, links and
 * metadata were JSON encoded, piped and decoded for nothing. */
static vind_status_t extract_in_worker(void *context, const char *path, const vind_file_id_t *id,
                                       vind_doc_t **out, char **errmsg)
{
    vind_extract_options_t options = *(const vind_extract_options_t *)context;
    options.isolate = 0;
    vind_status_t status = vind_extract_walked(path, id, &options, out, errmsg);
    if (status == VIND_OK && *out != NULL && (*out)->is_listing)
        keep_listing_verdict(out);
    return status;
}

static void job_free(job_t *job)
{
    if (!job)
        return;
    free(job->url);
    g_free(job->signature);
    vind_doc_free(job->doc);
    free(job->errmsg);
    free(job);
}

/* ---- the run -------------------------------------------------------------- */

typedef struct {
    vind_index_t *index;
    const vind_index_options_t *opts;
    vind_index_report_t *report;
    size_t done, total;
    /* Files whose status changed since then (ctime) get their content
     * compared even when size and mtime are the old ones (last_run_ns). */
    int64_t changed_since_ns;
    /* Documents stored in this run (docids): a file that vanished while
     * another took over its URL (x/index.htm deleted, x/index.html next in
     * line) had its document replaced in place by the other's, and
     * remove_vanished must not delete it then. */
    GHashTable *stored;
} run_t;

static void emit(run_t *run, const char *path, const char *url, vind_file_outcome_t outcome,
                 vind_status_t status, const char *reason)
{
    switch (outcome) {
    case VIND_FILE_INDEXED: run->report->indexed++; break;
    case VIND_FILE_UPDATED: run->report->updated++; break;
    case VIND_FILE_UNCHANGED: run->report->unchanged++; break;
    case VIND_FILE_REMOVED: run->report->removed++; break;
    case VIND_FILE_SKIPPED: run->report->skipped++; break;
    case VIND_FILE_FAILED: run->report->failed++; break;
    }
    if (outcome != VIND_FILE_REMOVED)
        run->done++;
    if (!run->opts->on_event)
        return;
    vind_index_event_t event = {.path = path, .url = url, .outcome = outcome, .status = status,
                                .reason = reason, .done = run->done, .total = run->total,
                                .ocr_pages = run->report->ocr_pages};
    run->opts->on_event(&event, run->opts->rock);
}

/* Cuts text to at most max bytes, at a UTF-8 character boundary. Returns
 * whether it cut. */
static int cut_utf8(char *text, size_t max)
{
    if (!text || strlen(text) <= max)
        return 0;
    size_t n = max;
    while (n > 0 && ((unsigned char)text[n] & 0xC0) == 0x80)
        n--;
    text[n] = '\0';
    return 1;
}

/* Drops values past max and cuts each to VIND_MAX_TAXONOMY_BYTES; appends
 * what it did to note. */
static void cap_values(char **values, size_t *count, size_t max, const char *what, GString *note)
{
    size_t cut = 0;
    for (size_t i = 0; i < *count; i++)
        cut += (size_t)cut_utf8(values[i], VIND_MAX_TAXONOMY_BYTES);
    if (*count > max) {
        g_string_append_printf(note, "%s%zu %s kept of %zu", note->len ? "; " : "", max, what,
                               *count);
        for (size_t i = max; i < *count; i++)
            free(values[i]);
        *count = max;
    }
    if (cut)
        g_string_append_printf(note, "%s%zu %s cut to %u bytes", note->len ? "; " : "", cut, what,
                               VIND_MAX_TAXONOMY_BYTES);
}

/* A record's date must be a day that exists, "YYYY-MM-DD": its first four
 * bytes are the year facet and its digits the date slot, so a --from-jsonl
 * record's "<script>" was the year "<scr" and "2021-02-30" sorted as a day.
 * The extractors write only such days; a feed's other dates are left out,
 * and said (the value itself is not echoed: it may hold anything). */
static void check_date(vind_doc_t *doc, GString *note)
{
    if (doc->date == NULL)
        return;
    size_t length = strlen(doc->date);
    char why[96] = "is not a day like 2024-03-01";
    if (length == 10 && vind_date_filter_valid(doc->date, length, why, sizeof why))
        return;
    if (length == 10 && strncmp(why, "is not a date", 13) == 0)
        snprintf(why, sizeof why, "is not a day like 2024-03-01");
    g_string_append_printf(note, "%sdate %s, left out", note->len ? "; " : "", why);
    free(doc->date);
    doc->date = NULL;
}

/* Pages of doc but the last whose words past the first VIND_POS_PAGE_STRIDE - 1
 * get no position (analyse_document: the next page's positions begin there),
 * said in note: found by a word, but on no page number and in no phrase. The
 * words are the tokenizer's spans (the analyser's positions, but for a span
 * of combining marks only, which has none). Cost: a tokenization of a page
 * but the last of at least VIND_POS_PAGE_STRIDE - 1 bytes only (a span takes
 * a byte at least): a page of 10,050 three-letter words 7.6 M instructions,
 * 6% of its analyse_document's 135 M (callgrind); a PDF page of common
 * words passes 9,999 bytes at ~1,500 words. */
static void note_pages_past_stride(const vind_doc_t *doc, GString *note)
{
    vind_spans_t spans = {0};
    size_t first = 0, count = 0, most = 0;
    for (size_t page = 0; page + 1 < doc->n_pages; page++) {
        size_t length = doc->pages[page] ? strlen(doc->pages[page]) : 0;
        if (length < VIND_POS_PAGE_STRIDE - 1)
            continue;
        if (length > VIND_MAX_ANALYZE_BYTES)
            length = VIND_MAX_ANALYZE_BYTES;
        if (vind_tokenize(doc->pages[page], length, doc_language(doc), &spans, NULL) != VIND_OK ||
            spans.count <= VIND_POS_PAGE_STRIDE - 1)
            continue;
        first = first ? first : page + 1;
        most = spans.count > most ? spans.count : most;
        count++;
    }
    vind_spans_release(&spans);
    if (count == 1) /* not "page N ...": the report would read it as a page's failure */
        g_string_append_printf(note, "%sthe words of page %zu past its first %u (of %zu) have no "
                               "page number and no phrase search", note->len ? "; " : "", first,
                               (unsigned)VIND_POS_PAGE_STRIDE - 1, most);
    else if (count > 1)
        g_string_append_printf(note, "%sthe words of %zu pages past their first %u (page %zu "
                               "first, up to %zu words) have no page number and no phrase search",
                               note->len ? "; " : "", count, (unsigned)VIND_POS_PAGE_STRIDE - 1,
                               first, most);
}

/*
 * Bounds the stored fields every answer carries (limits.h): title,
 * description, author and language lengths, the number and length of tags and themes;
 * a date that is not a day is left out; a page's text past what the search
 * analyses is said.
 * What was cut joins doc->warning, so the file is reported "indexed, but".
 */
static void cap_fields(vind_doc_t *doc)
{
    GString *note = g_string_new(NULL);
    check_date(doc, note);
    struct {
        char *text;
        size_t max;
        const char *name;
    } fields[] = {{doc->title, VIND_MAX_TITLE_BYTES, "title"},
                  {doc->description, VIND_MAX_DESCRIPTION_BYTES, "description"},
                  {doc->author, VIND_MAX_AUTHOR_BYTES, "author"},
                  {doc->lang, VIND_MAX_LANG_BYTES, "lang"}};
    for (size_t i = 0; i < G_N_ELEMENTS(fields); i++) {
        size_t length = fields[i].text ? strlen(fields[i].text) : 0;
        if (cut_utf8(fields[i].text, fields[i].max))
            g_string_append_printf(note, "%s%s cut from %zu to %zu bytes", note->len ? "; " : "",
                                   fields[i].name, length, strlen(fields[i].text));
    }
    cap_values(doc->tags, &doc->n_tags, VIND_MAX_DOC_TAGS, "tags", note);
    cap_values(doc->themes, &doc->n_themes, VIND_MAX_DOC_THEMES, "themes", note);
    /* index_text analyses a page's first VIND_MAX_ANALYZE_BYTES only: the
     * rest of a 70 MB page was not searchable, and nothing said so. Cost: a
     * strlen of each page, far below its analysis. */
    for (size_t page = 0; page < doc->n_pages; page++) {
        size_t length = doc->pages[page] ? strlen(doc->pages[page]) : 0;
        if (length > VIND_MAX_ANALYZE_BYTES)
            g_string_append_printf(note, "%sthe text of page %zu is %zu bytes: the words past "
                                   "its first %u are not searchable", note->len ? "; " : "",
                                   page + 1, length, (unsigned)VIND_MAX_ANALYZE_BYTES);
    }
    note_pages_past_stride(doc, note);
    /* Their words are found, but shown on page 1 and in no phrase: said. */
    if (doc->n_pages > 0 && !page_has_positions(doc->n_pages - 1))
        g_string_append_printf(note, "%sthe words of its pages past %zu (of %zu) have no page "
                               "number and no phrase search", note->len ? "; " : "",
                               positional_pages(), doc->n_pages);
    if (note->len) {
        char *warning = doc->warning ? g_strdup_printf("%s; %s", doc->warning, note->str)
                                     : g_strdup(note->str);
        free(doc->warning);
        doc->warning = strdup(warning);
        g_free(warning);
    }
    g_string_free(note, TRUE);
}

/* A record without a section gets the first path segment of its URL:
 * "/actueel/x/" -> "actueel". */
static void derive_section(vind_doc_t *doc)
{
    if (doc->section || !doc->url)
        return;
    const char *p = strstr(doc->url, "://");
    p = p ? strchr(p + 3, '/') : doc->url;
    while (p && *p == '/')
        p++;
    if (p && *p && strchr(p, '/'))
        doc->section = strndup(p, (size_t)(strchr(p, '/') - p));
}

/* Counts a stored document in the report, and its text in what the next
 * commit writes (check_disk_room). */
static void count_stored(run_t *run, const vind_doc_t *doc, uint64_t source_bytes)
{
    if (doc->type == VIND_DOC_PDF) {
        run->report->pdf_pages += doc->n_pages;
        run->report->empty_pages += doc->n_empty_pages;
        run->report->ocr_pages += doc->ocr_recognised;
        run->report->ocr_cached += doc->ocr_cached;
        run->report->ocr_seconds += doc->ocr_seconds;
    }
    run->report->bytes += source_bytes;
    run->index->pending_bytes += doc->title ? strlen(doc->title) : 0;
    for (size_t page = 0; page < doc->n_pages; page++)
        run->index->pending_bytes += doc->pages[page] ? strlen(doc->pages[page]) : 0;
}

/* Adds or replaces the document of one finished job. A failure of the index
 * itself is returned; a failure of the file is an event. */
static vind_status_t store_job(run_t *run, job_t *job, char **errmsg)
{
    vind_index_t *index = run->index;
    const char *path = job->file->path;
    vind_status_t status = begin_change(index, errmsg);
    if (status != VIND_OK)
        return status;
    if (job->status == VIND_IO && job->old_docid) {
        /* The file could not be read now (EACCES, EIO): it has not broken,
         * and a transient error must not lose its page. Its document and
         * signature stay, so the next run reads it again. */
        char *reason = g_strdup_printf("%s; its indexed document is kept until it can be read",
                                       job->errmsg ? job->errmsg : "cannot be read");
        emit(run, path, job->url, VIND_FILE_FAILED, job->status, reason);
        g_free(reason);
        return VIND_OK;
    }
    if (job->status != VIND_OK) {
        const char *reason = job->errmsg ? job->errmsg : vind_status_to_string(job->status);
        /* A file that broke keeps no stale document. */
        if (job->old_docid)
            status = delete_document(index, job->old_docid, errmsg);
        if (status == VIND_NOT_FOUND)
            status = VIND_OK;
        if (status == VIND_OK)
            status = remember_file(index, path, job->signature, VIND_FILE_FAILED, job->status,
                                   reason, errmsg);
        emit(run, path, job->url, VIND_FILE_FAILED, job->status, reason);
        return status;
    }
    vind_doc_t *doc = job->doc;
    if (doc->is_listing) {
        /* A page that became a listing page leaves the index. */
        const char *reason = doc->listing_reason ? doc->listing_reason : "listing page";
        if (job->old_docid)
            status = delete_document(index, job->old_docid, errmsg);
        if (status == VIND_NOT_FOUND)
            status = VIND_OK;
        if (status == VIND_OK)
            status = remember_file(index, path, job->signature, VIND_FILE_SKIPPED, VIND_OK,
                                   reason, errmsg);
        if (status == VIND_OK)
            emit(run, path, job->url, VIND_FILE_SKIPPED, VIND_OK, reason);
        return status;
    }
    if (job->recorded)
        status = remember_file(index, path, NULL, VIND_FILE_INDEXED, VIND_OK, NULL, errmsg);
    if (status != VIND_OK)
        return status;
    free(doc->url);
    doc->url = strdup(job->url);
    free(doc->path);
    doc->path = strdup(path);
    derive_section(doc);
    cap_fields(doc);
    relations_t rel = {.signature = job->signature};
    vind_xapian_document_t *document = NULL;
    GArray **checkpoints = NULL;
    status = build_document(index, doc, &rel, &document, &checkpoints, errmsg);
    if (status != VIND_OK)
        return status;
    char *unique = vind_unique_term(doc->url);
    uint32_t docid = 0;
    /* The same path under another URL (a new --base-url): drop the old one. */
    uint32_t by_url = 0;
    if (job->old_docid &&
        vind_xapian_writer_docid_for_term(index->writer, unique, &by_url, NULL) == VIND_OK &&
        by_url != job->old_docid)
        status = delete_document(index, job->old_docid, errmsg);
    else if (job->old_docid && by_url == 0)
        status = delete_document(index, job->old_docid, errmsg);
    if (status == VIND_NOT_FOUND)
        status = VIND_OK;
    if (status == VIND_OK)
        status = store_document(index, unique, doc, &document, checkpoints, &docid, errmsg);
    if (status == VIND_OK && run->stored)
        g_hash_table_add(run->stored, GUINT_TO_POINTER(docid));
    free(unique);
    vind_xapian_document_free(document);
    free_checkpoints(checkpoints, doc->n_pages);
    if (status != VIND_OK)
        return status;
    count_stored(run, doc, job->file->size);
    /* A repaired file (invalid UTF-8, a wrong charset) is indexed and reported. */
    emit(run, path, job->url, job->old_docid ? VIND_FILE_UPDATED : VIND_FILE_INDEXED, VIND_OK,
         doc->warning);
    return count_change(index, errmsg);
}

/* The paths of existing in strcmp order, made the first time a run asks
 * (*sorted NULL until then; the caller frees it): the documents under a
 * folder are then one run of it, found by bisection. */
static GPtrArray *sorted_paths(GHashTable *existing, GPtrArray **sorted)
{
    if (*sorted)
        return *sorted;
    *sorted = g_ptr_array_sized_new(g_hash_table_size(existing));
    GHashTableIter iter;
    gpointer key;
    g_hash_table_iter_init(&iter, existing);
    while (g_hash_table_iter_next(&iter, &key, NULL))
        g_ptr_array_add(*sorted, key);
    g_ptr_array_sort(*sorted, compare_strings);
    return *sorted;
}

/* Marks every document indexed under folder as seen, so that the removal of
 * vanished files keeps it: a folder that cannot be read now (chmod 000, EIO,
 * an unmounted disk) has not lost its pages. Returns how many. Cost: one
 * sort of the paths per run (sorted), then O(log documents + those under
 * folder) per folder: a walk of every document per folder made 10,000
 * unreadable folders over a million documents 10^10 comparisons. */
static size_t keep_under(GHashTable *existing, GPtrArray **sorted, const char *folder)
{
    size_t n = strlen(folder), kept = 0;
    while (n > 1 && folder[n - 1] == '/')
        n--;
    char *prefix = g_strdup_printf("%.*s/", (int)n, folder); /* the paths under it start so */
    GPtrArray *paths = sorted_paths(existing, sorted);
    size_t low = 0, high = paths->len;
    while (low < high) { /* the first path not before prefix */
        size_t middle = low + (high - low) / 2;
        if (strcmp(g_ptr_array_index(paths, middle), prefix) < 0)
            low = middle + 1;
        else
            high = middle;
    }
    for (size_t i = low; i < paths->len; i++) {
        const char *path = g_ptr_array_index(paths, i);
        if (strncmp(path, prefix, n + 1) != 0)
            break;
        existing_t *old = g_hash_table_lookup(existing, path);
        if (!old->seen) {
            old->seen = 1;
            kept++;
        }
    }
    g_free(prefix);
    return kept;
}

/* A root folder in which the walk found nothing, while the index holds
 * documents under it, is far more likely an unmounted disk or an emptied
 * mount point than a site whose every page was deleted: its documents are
 * kept and the run fails for it, instead of removing them all. Whoever
 * means to empty the site deletes the index. */
/* Whether the walk found anything under root r but folders it could not read. */
static int root_found(const vind_walk_t *walk, size_t r)
{
    for (size_t i = 0; i < walk->count; i++)
        if (walk->files[i].root == r && !walk->files[i].subtree)
            return 1;
    return 0;
}

static void keep_empty_roots(run_t *run, const vind_walk_t *walk, const char *const *roots,
                             size_t n_roots, GHashTable *existing)
{
    GPtrArray *sorted = NULL;
    for (size_t r = 0; r < n_roots; r++) {
        size_t kept = root_found(walk, r) ? 0 : keep_under(existing, &sorted, roots[r]);
        if (!kept)
            continue;
        char *reason = g_strdup_printf("no HTML or PDF file found, but %zu document%s indexed "
                                       "under it (an unmounted disk?): kept, not removed; to "
                                       "empty the index, delete it",
                                       kept, kept == 1 ? " is" : "s are");
        emit(run, roots[r], NULL, VIND_FILE_FAILED, VIND_IO, reason);
        g_free(reason);
    }
    if (sorted)
        g_ptr_array_free(sorted, TRUE);
}

/* A rebuild (a schema upgrade) replaces the whole index, so what its walk
 * cannot see now would leave with the old index: a folder it cannot read,
 * or an empty root, under which old holds documents stops the rebuild. The
 * old index stays and serves (this vind reads its schema); the next run
 * tries again. */
static vind_status_t check_rebuild_sees_all(const vind_walk_t *walk, const char *const *roots,
                                            size_t n_roots, vind_index_t *old, char **errmsg)
{
    GHashTable *previous = NULL;
    GPtrArray *sorted = NULL;
    vind_status_t status = load_existing(old, &previous, errmsg);
    for (size_t i = 0; status == VIND_OK && i < walk->count; i++) {
        const vind_walk_file_t *file = &walk->files[i];
        size_t kept = file->subtree ? keep_under(previous, &sorted, file->path) : 0;
        if (kept)
            status = vind_error(errmsg, VIND_IO, "%s: %s, and %zu document%s of %s under it: the "
                                "index is not rebuilt until it can be read, and stays as it is",
                                file->path, file->reason, kept, kept == 1 ? "" : "s", old->path);
    }
    for (size_t r = 0; status == VIND_OK && r < n_roots; r++) {
        size_t kept = root_found(walk, r) ? 0 : keep_under(previous, &sorted, roots[r]);
        if (kept)
            status = vind_error(errmsg, VIND_IO, "%s: no HTML or PDF file found, but %zu "
                                "document%s of %s under it (an unmounted disk?): the index is not "
                                "rebuilt, and stays as it is", roots[r], kept,
                                kept == 1 ? "" : "s", old->path);
    }
    if (sorted)
        g_ptr_array_free(sorted, TRUE);
    if (previous)
        g_hash_table_destroy(previous);
    return status;
}

/*
 * The URL of a walked file. x/index.htm is served as x/ only when x/ has no
 * index.html: nginx and Apache (DirectoryIndex index.html ... index.htm)
 * serve index.html there, and index.htm at x/index.htm. Until session 11
 * both were given x/: index.htm, first in walk order, kept it, and the page
 * the server shows at x/ (index.html) was reported as a collision and never
 * indexed. walked: the paths of the walk's readable files.
 */
static char *url_of_walked(const char *base_url, const char *root, const char *path,
                           GHashTable *walked)
{
    char *url = vind_index_url_for(base_url, root, path);
    size_t n = strlen(path), u = strlen(url);
    if (n >= 10 && strcmp(path + n - 10, "/index.htm") == 0 && u && url[u - 1] == '/') {
        char *html = g_strconcat(path, "l", NULL);
        int shadowed = g_hash_table_contains(walked, html);
        g_free(html);
        if (shadowed) {
            char *own = g_strconcat(url, "index.htm", NULL);
            free(url);
            url = strdup(own);
            g_free(own);
        }
    }
    return url;
}

/* Decides for each walked file: unchanged, failed, or a job to extract. */
static vind_status_t plan(run_t *run, const vind_walk_t *walk, const char *const *roots,
                          GHashTable *existing, GPtrArray *jobs)
{
    const vind_index_options_t *opts = run->opts;
    /* url -> the path that has it: the first file in walk order keeps a URL
     * (root a/ before root b/), in every run, so an incremental run never
     * swaps which one the index holds. */
    GHashTable *claimed = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    GHashTable *walked = g_hash_table_new(g_str_hash, g_str_equal);
    for (size_t i = 0; i < walk->count; i++)
        if (!walk->files[i].unreadable)
            g_hash_table_add(walked, walk->files[i].path);
    GPtrArray *sorted = NULL; /* existing's paths, sorted when a folder cannot be read */
    vind_status_t result = VIND_OK;
    for (size_t i = 0; i < walk->count && result == VIND_OK; i++) {
        const vind_walk_file_t *file = &walk->files[i];
        existing_t *old = g_hash_table_lookup(existing, file->path);
        /* Also a loser's: its document may be the winner's to replace. A
         * hidden page's is not seen: the index drops it (removed, counted),
         * as the walk does the page (skipped, with its reason); so is one
         * that is no page now (a link out of the site, a broken link, a
         * FIFO: until session 18 its old text stayed searchable while the
         * run said "not indexed"). */
        if (old && !file->hidden && !file->refused)
            old->seen = 1;
        char *url = url_of_walked(opts->base_url, roots[file->root], file->path, walked);
        if (file->unreadable) {
            size_t kept = file->subtree ? keep_under(existing, &sorted, file->path) : 0;
            /* An entry the walk could not tell (EACCES or EIO on a link's
             * target) keeps its document (seen above): said as a file that
             * could not be read says it (store_job). Until session 18 the
             * report gave the system's error alone. */
            int kept_page = !file->subtree && old && old->seen && !file->skipped;
            char *reason = kept ? g_strdup_printf("%s; kept until it can be read: %zu "
                                                  "document%s indexed under it",
                                                  file->reason, kept, kept == 1 ? "" : "s")
                           : kept_page ? g_strdup_printf("%s; its indexed document is kept until "
                                                         "it can be read",
                                                         file->reason)
                                       : NULL;
            emit(run, file->path, url, file->skipped ? VIND_FILE_SKIPPED : VIND_FILE_FAILED,
                 file->skipped ? VIND_OK : VIND_IO, reason ? reason : file->reason);
            g_free(reason);
            free(url);
            continue;
        }
        const char *owner = g_hash_table_lookup(claimed, url);
        if (owner) {
            char *reason = g_strdup_printf("same URL as %s, not indexed", owner);
            emit(run, file->path, url, VIND_FILE_FAILED, VIND_INVALID_ARGUMENT, reason);
            g_free(reason);
            free(url);
            continue;
        }
        g_hash_table_insert(claimed, g_strdup(url), file->path);
        char *quick = quick_signature(file);
        char *signature = NULL;
        int unchanged = 0;
        char *record = old ? NULL : recall_file(run->index, file->path);
        const char *old_signature = old ? old->signature : NULL;
        if (record && strchr(record, '\t'))
            *strchr(record, '\t') = '\0'; /* the signature part; the rest follows the NUL */
        if (record)
            old_signature = record;
        /* A file whose URL changed (encoded since issue 11, another
         * --base-url) is indexed again under its new URL. */
        int moved = old && old->url && strcmp(old->url, url) != 0;
        if (old_signature && !opts->full && !moved) {
            size_t quick_length = strlen(quick);
            if (strncmp(old_signature, quick, quick_length) == 0 &&
                old_signature[quick_length] == ' ' && file->ctime_ns < run->changed_since_ns) {
                unchanged = 1;
            } else {
                /* Touched but maybe not changed: compare contents. */
                char *hash = content_hash(file);
                const char *old_hash = strrchr(old_signature, ' ');
                unchanged = hash && old_hash && strcmp(old_hash + 1, hash) == 0;
                signature = hash ? g_strdup_printf("%s %s", quick, hash) : NULL;
                g_free(hash);
            }
        }
        if (unchanged) {
            int outcome = 0, status = 0;
            char reason[1024] = "";
            const char *rest = record ? record + strlen(record) + 1 : NULL;
            /* A failure is reported again, and a skipped page is counted
             * again with its reason: every run's summary accounts for it. */
            if (rest && sscanf(rest, "%d\t%d\t%1023[^\n]", &outcome, &status, reason) >= 2 &&
                (outcome == VIND_FILE_FAILED || outcome == VIND_FILE_SKIPPED))
                emit(run, file->path, url, (vind_file_outcome_t)outcome, (vind_status_t)status,
                     reason);
            else
                emit(run, file->path, url, VIND_FILE_UNCHANGED, VIND_OK, NULL);
            free(url);
            g_free(quick);
            g_free(signature);
            g_free(record);
            continue;
        }
        if (!signature) {
            char *hash = file->size <= (opts->extract.max_bytes ? opts->extract.max_bytes
                                                                : VIND_DEFAULT_MAX_FILE_BYTES)
                             ? content_hash(file)
                             : NULL;
            signature = g_strdup_printf("%s %s", quick, hash ? hash : "-");
            g_free(hash);
        }
        g_free(quick);
        job_t *job = calloc(1, sizeof *job);
        if (!job) {
            free(url);
            g_free(signature);
            g_free(record);
            result = VIND_NOMEM;
            break;
        }
        job->number = jobs->len;
        job->file = file;
        job->url = url;
        job->signature = signature;
        job->old_docid = old ? old->docid : 0;
        job->recorded = record != NULL;
        g_free(record);
        g_ptr_array_add(jobs, job);
    }
    if (sorted)
        g_ptr_array_free(sorted, TRUE);
    g_hash_table_destroy(walked);
    g_hash_table_destroy(claimed);
    return result;
}

/* After the document of a file over this size, the memory its text took
 * goes back to the system (release_free_memory). */
#define VIND_RELEASE_AFTER_FILE_BYTES (16u << 20)

/* tcmalloc, vind-index's allocator, keeps the spans a large document freed.
 * A worker the pool forks later (after one was killed at its limit) starts
 * as a copy of this process: after a 50 MB page both held ~1.45 GB, and
 * tests/e2e/test_hostile_files.py's tree peaked at 3,183 MB (its bound is
 * 3 GB), 2,061 MB with the release. Looked up by name, so libvind does not
 * depend on tcmalloc; without it (glibc malloc, the ASan build) nothing is
 * done. One call per such file, a few milliseconds. */
static void release_free_memory(void)
{
    static void (*release)(void);
    static int looked_up;
    if (!looked_up) {
        release = (void (*)(void))dlsym(RTLD_DEFAULT, "MallocExtension_ReleaseFreeMemory");
        looked_up = 1;
    }
    if (release)
        release();
}

/* Stores every finished job that is next in walk order. */
static vind_status_t store_ready(run_t *run, GPtrArray *jobs, size_t *next, char **errmsg)
{
    vind_status_t status = VIND_OK;
    job_t *job;
    while (status == VIND_OK && *next < jobs->len &&
           (job = g_ptr_array_index(jobs, *next))->completed) {
        status = store_job(run, job, errmsg);
        vind_doc_free(job->doc);
        job->doc = NULL;
        if (job->file->size > VIND_RELEASE_AFTER_FILE_BYTES)
            release_free_memory();
        (*next)++;
    }
    return status;
}

/*
 * Extracts the jobs in worker processes (--jobs of them, forked now while
 * this process has no other thread) and stores them in walk order while
 * the workers go on: analysis and writing overlap with extraction.
 */
static vind_status_t extract_and_store(run_t *run, GPtrArray *jobs, char **errmsg)
{
    if (jobs->len == 0)
        return VIND_OK;
    vind_extract_options_t *extract = (vind_extract_options_t *)&run->opts->extract;
    size_t next = 0;
    if (!extract->isolate) {
        /* In-process (tests, fuzzing): one file after another. */
        vind_status_t status = VIND_OK;
        for (guint i = 0; status == VIND_OK && i < jobs->len; i++) {
            job_t *job = g_ptr_array_index(jobs, i);
            job->status = vind_extract_walked(job->file->path, &job->file->id, extract, &job->doc,
                                              &job->errmsg);
            job->completed = 1;
            status = store_ready(run, jobs, &next, errmsg);
        }
        return status;
    }
    unsigned workers = run->opts->jobs ? run->opts->jobs : g_get_num_processors();
    if (workers > VIND_MAX_INDEX_JOBS) /* the default on a machine with many cores */
        workers = VIND_MAX_INDEX_JOBS;
    if (workers > jobs->len)
        workers = jobs->len;
    vind_isolate_pool_t *pool = NULL;
    vind_status_t status = vind_isolate_pool_new(extract_in_worker, extract, workers,
                                                 extract->timeout_seconds, extract->memory_bytes,
                                                 &pool, errmsg);
    if (status != VIND_OK)
        return status;
    /* Keep at most a few jobs ahead of the writer, so that memory stays
     * bounded by the documents waiting for their turn, not by the site. */
    size_t window = workers * 4, submitted = 0;
    while (status == VIND_OK && next < jobs->len) {
        while (status == VIND_OK && submitted < jobs->len && submitted < next + window &&
               vind_isolate_pool_idle(pool) > 0) {
            job_t *job = g_ptr_array_index(jobs, submitted++);
            status = vind_isolate_pool_submit(pool, job->file->path, &job->file->id, job, errmsg);
        }
        if (status != VIND_OK)
            break;
        void *tag = NULL;
        vind_status_t job_status = VIND_OK;
        vind_doc_t *doc = NULL;
        char *job_errmsg = NULL;
        status = vind_isolate_pool_wait(pool, &tag, &job_status, &doc, &job_errmsg, errmsg);
        if (status != VIND_OK)
            break;
        job_t *job = tag;
        job->status = job_status;
        job->doc = doc;
        job->errmsg = job_errmsg;
        job->completed = 1;
        status = store_ready(run, jobs, &next, errmsg);
    }
    vind_isolate_pool_free(pool);
    return status;
}

/* Whether path lies under one of the roots (or is one). */
static int under_roots(const char *path, const char *const *roots, size_t n_roots)
{
    for (size_t i = 0; i < n_roots; i++) {
        size_t n = strlen(roots[i]);
        while (n > 1 && roots[i][n - 1] == '/')
            n--;
        if (strncmp(path, roots[i], n) == 0 && (path[n] == '/' || path[n] == '\0'))
            return 1;
    }
    return 0;
}

static vind_status_t remove_vanished(run_t *run, GHashTable *existing, const char *const *roots,
                                     size_t n_roots, char **errmsg)
{
    GList *paths = g_list_sort(g_hash_table_get_keys(existing), (GCompareFunc)strcmp);
    vind_status_t status = VIND_OK;
    for (GList *l = paths; l && status == VIND_OK; l = l->next) {
        existing_t *old = g_hash_table_lookup(existing, l->data);
        if (old->seen || !under_roots(l->data, roots, n_roots))
            continue;
        status = begin_change(run->index, errmsg);
        /* Its document may hold another file's page now (the new holder of
         * its URL, stored over it in place): then only the path is gone. */
        if (status == VIND_OK && !g_hash_table_contains(run->stored, GUINT_TO_POINTER(old->docid)))
            status = delete_document(run->index, old->docid, errmsg);
        if (status == VIND_NOT_FOUND)
            status = VIND_OK;
        if (status == VIND_OK) {
            emit(run, l->data, NULL, VIND_FILE_REMOVED, VIND_OK, NULL);
            status = count_change(run->index, errmsg);
        }
    }
    g_list_free(paths);
    return status;
}

/* ---- attachments: PDFs linked from articles --------------------------------
 *
 * After the files are stored, every article's links are matched against the
 * PDFs in the index. A PDF linked from an article gets it as its parent (the
 * first such article by URL, so the choice is deterministic) and inherits its
 * tags and themes; the article lists its attachments. Only documents whose
 * relations changed are rewritten, so an unchanged site rewrites nothing.
 */

/* The length of url's "scheme://host" (0 for a URL without a host). */
static size_t origin_length(const char *url)
{
    const char *scheme = url ? strstr(url, "://") : NULL;
    if (!scheme)
        return 0;
    const char *slash = strchr(scheme + 3, '/');
    return slash ? (size_t)(slash - url) : strlen(url);
}

/* The path part of a URL or href, resolved against base's path:
 * "https://x.nl/a/b.pdf" -> "/a/b.pdf"; "../r.pdf" on "/actueel/x/" ->
 * "/actueel/r.pdf". Query and fragment dropped. g_malloc'd. */
static char *url_path(const char *href, const char *base)
{
    size_t origin = origin_length(href);
    GString *path = g_string_new(NULL);
    if (origin) {
        g_string_append(path, href[origin] ? href + origin : "/");
    } else if (href[0] == '/') {
        g_string_append(path, href);
    } else {
        char *base_path = base ? url_path(base, NULL) : g_strdup("/");
        char *last = strrchr(base_path, '/');
        if (last)
            last[1] = '\0';
        g_string_append(path, base_path);
        g_string_append(path, href);
        g_free(base_path);
    }
    for (char *cut = path->str; *cut; cut++)
        if (*cut == '?' || *cut == '#') {
            g_string_truncate(path, (gsize)(cut - path->str));
            break;
        }
    /* Resolve "." and ".." segments. */
    gchar **parts = g_strsplit(path->str, "/", -1);
    GPtrArray *kept = g_ptr_array_new();
    for (gchar **p = parts; *p; p++) {
        if (**p == '\0' || strcmp(*p, ".") == 0)
            continue;
        if (strcmp(*p, "..") == 0) {
            if (kept->len)
                g_ptr_array_remove_index(kept, kept->len - 1);
            continue;
        }
        g_ptr_array_add(kept, *p);
    }
    /* One spelling per path: a link written "a b.pdf" or "a%20b.pdf" meets
     * the stored "/a%20b.pdf" (each segment decoded, then encoded as URLs
     * made from file names are; a segment that does not decode stays). */
    GString *resolved = g_string_new(NULL);
    for (guint i = 0; i < kept->len; i++) {
        const char *segment = g_ptr_array_index(kept, i);
        char *decoded = g_uri_unescape_string(segment, "/");
        g_string_append_c(resolved, '/');
        if (decoded)
            append_url_path(resolved, decoded);
        else
            g_string_append(resolved, segment);
        g_free(decoded);
    }
    if (resolved->len == 0 || (path->len && path->str[path->len - 1] == '/'))
        g_string_append_c(resolved, '/');
    g_ptr_array_free(kept, TRUE);
    g_strfreev(parts);
    g_string_free(path, TRUE);
    return g_string_free(resolved, FALSE);
}

typedef struct {
    uint32_t docid;
    char *url;
    int is_pdf;
    json_t *data;           /* stored record */
    char *parent;           /* desired parent (PDFs), borrowed from an article's url */
    GPtrArray *attachments; /* desired attachments (articles), borrowed urls */
} stored_t;

static void stored_free(stored_t *s)
{
    free(s->url);
    json_decref(s->data);
    if (s->attachments)
        g_ptr_array_free(s->attachments, TRUE);
    free(s);
}

static int stored_by_url(gconstpointer a, gconstpointer b)
{
    return strcmp((*(stored_t *const *)a)->url, (*(stored_t *const *)b)->url);
}

static char **json_strings(json_t *array, size_t *count)
{
    *count = json_is_array(array) ? json_array_size(array) : 0;
    char **values = calloc(*count + 1, sizeof *values);
    for (size_t i = 0; i < *count; i++) {
        const char *v = json_string_value(json_array_get(array, i));
        values[i] = strdup(v ? v : "");
    }
    return values;
}

static void free_strings(char **values, size_t count)
{
    for (size_t i = 0; i < count; i++)
        free(values[i]);
    free(values);
}

/* The record as the extractor made it, from stored data (own tags only)
 * and the text store. NULL when its text cannot be read. */
static vind_doc_t *doc_from_stored(vind_index_t *index, uint32_t docid, json_t *data,
                                   char **errmsg)
{
    vind_doc_t *doc = vind_doc_new();
    struct {
        const char *key;
        char **field;
    } strings[] = {{"url", &doc->url},       {"path", &doc->path},
                   {"title", &doc->title},   {"date", &doc->date},
                   {"author", &doc->author}, {"description", &doc->description},
                   {"lang", &doc->lang},     {"canonical", &doc->canonical},
                   {"section", &doc->section}};
    for (size_t i = 0; i < G_N_ELEMENTS(strings); i++) {
        const char *v = json_string_value(json_object_get(data, strings[i].key));
        *strings[i].field = v ? strdup(v) : NULL;
    }
    const char *type = json_string_value(json_object_get(data, "type"));
    doc->type = type && strcmp(type, "pdf") == 0       ? VIND_DOC_PDF
                : type && strcmp(type, "article") == 0 ? VIND_DOC_ARTICLE
                                                       : VIND_DOC_PAGE;
    doc->tags = json_strings(json_object_get(data, "own_tags"), &doc->n_tags);
    doc->themes = json_strings(json_object_get(data, "own_themes"), &doc->n_themes);
    doc->links = json_strings(json_object_get(data, "links"), &doc->n_links);
    if (json_is_array(json_object_get(data, "pages"))) { /* schema 1 */
        doc->pages = json_strings(json_object_get(data, "pages"), &doc->n_pages);
        return doc;
    }
    doc->n_pages = (size_t)json_integer_value(json_object_get(data, "n_pages"));
    if (vind_text_read_pages(index->reader, docid, doc->n_pages, &doc->pages, errmsg) != VIND_OK) {
        doc->n_pages = 0;
        vind_doc_free(doc);
        return NULL;
    }
    doc->n_empty_pages = (size_t)json_integer_value(json_object_get(data, "n_empty_pages"));
    json_t *ocr_pages = json_object_get(data, "ocr_pages");
    if (json_array_size(ocr_pages) > 0 && doc->n_pages > 0 &&
        (doc->ocr_confidence = malloc(doc->n_pages * sizeof *doc->ocr_confidence)) != NULL) {
        for (size_t page = 0; page < doc->n_pages; page++)
            doc->ocr_confidence[page] = -1;
        for (size_t i = 0; i < json_array_size(ocr_pages); i++) {
            json_int_t page = json_integer_value(json_array_get(ocr_pages, i));
            json_t *confidence = json_array_get(json_object_get(data, "ocr_confidence"), i);
            if (page >= 1 && (size_t)page <= doc->n_pages)
                doc->ocr_confidence[page - 1] = (int)json_integer_value(confidence);
        }
    }
    doc->ocr_doubtful = json_strings(json_object_get(data, "ocr_doubtful"), &doc->n_ocr_doubtful);
    return doc;
}

/* Whether a JSON array of strings equals the given list. */
static int same_strings(json_t *array, char **values, size_t count)
{
    if (!json_is_array(array))
        return count == 0;
    if (json_array_size(array) != count)
        return 0;
    for (size_t i = 0; i < count; i++) {
        const char *v = json_string_value(json_array_get(array, i));
        if (!v || strcmp(v, values[i]) != 0)
            return 0;
    }
    return 1;
}

/* Rewrites one document with new relations. */
static vind_status_t rewrite(vind_index_t *index, stored_t *s, stored_t *parent, char **errmsg)
{
    vind_doc_t *doc = doc_from_stored(index, s->docid, s->data, errmsg);
    if (!doc)
        return VIND_IO;
    char *signature = NULL;
    vind_status_t status = vind_xapian_reader_get_value(index->reader, s->docid,
                                                        VIND_SLOT_SIGNATURE, &signature, NULL,
                                                        errmsg);
    relations_t rel = {.signature = signature};
    if (s->attachments) {
        rel.attachments = (char **)s->attachments->pdata;
        rel.n_attachments = s->attachments->len;
    }
    if (parent) {
        rel.parent = parent->url;
        rel.inherited_tags = json_strings(json_object_get(parent->data, "own_tags"),
                                          &rel.n_inherited_tags);
        rel.inherited_themes = json_strings(json_object_get(parent->data, "own_themes"),
                                            &rel.n_inherited_themes);
    }
    vind_xapian_document_t *document = NULL;
    GArray **checkpoints = NULL;
    if (status == VIND_OK)
        status = begin_change(index, errmsg);
    if (status == VIND_OK)
        status = build_document(index, doc, &rel, &document, &checkpoints, errmsg);
    if (status == VIND_OK) {
        char *unique = vind_unique_term(s->url);
        status = store_document(index, unique, doc, &document, checkpoints, NULL, errmsg);
        free(unique);
    }
    if (status == VIND_OK)
        status = count_change(index, errmsg);
    vind_xapian_document_free(document);
    free_checkpoints(checkpoints, doc->n_pages);
    if (parent) {
        free_strings(rel.inherited_tags, rel.n_inherited_tags);
        free_strings(rel.inherited_themes, rel.n_inherited_themes);
    }
    free(signature);
    vind_doc_free(doc);
    return status;
}

/* Whether a PDF's stored tags/themes are its own plus its parent's. */
static int inheritance_current(stored_t *pdf, stored_t *parent)
{
    size_t n_tags = 0, n_themes = 0, n_own_tags = 0, n_own_themes = 0;
    char **parent_tags = json_strings(json_object_get(parent->data, "own_tags"), &n_tags);
    char **parent_themes = json_strings(json_object_get(parent->data, "own_themes"), &n_themes);
    char **own_tags = json_strings(json_object_get(pdf->data, "own_tags"), &n_own_tags);
    char **own_themes = json_strings(json_object_get(pdf->data, "own_themes"), &n_own_themes);
    GPtrArray *tags = merge_values(own_tags, n_own_tags, parent_tags, n_tags);
    GPtrArray *themes = merge_values(own_themes, n_own_themes, parent_themes, n_themes);
    int same = same_strings(json_object_get(pdf->data, "tags"), (char **)tags->pdata, tags->len) &&
               same_strings(json_object_get(pdf->data, "themes"), (char **)themes->pdata,
                            themes->len);
    g_ptr_array_free(tags, TRUE);
    g_ptr_array_free(themes, TRUE);
    free_strings(parent_tags, n_tags);
    free_strings(parent_themes, n_themes);
    free_strings(own_tags, n_own_tags);
    free_strings(own_themes, n_own_themes);
    return same;
}

/* Whether href, a link of article, may name one of the site's own files: a
 * link without a host does; one with a host only when it is the host of the
 * article's own URL or of its canonical URL. Without this,
 * https://other.example/x.pdf made the site's /x.pdf the article's
 * attachment (session 10's probe). */
static int same_site(const char *href, const stored_t *article)
{
    size_t n = origin_length(href);
    if (n == 0)
        return 1;
    const char *own[] = {article->url,
                         json_string_value(json_object_get(article->data, "canonical"))};
    for (size_t i = 0; i < G_N_ELEMENTS(own); i++)
        if (origin_length(own[i]) == n && g_ascii_strncasecmp(own[i], href, n) == 0)
            return 1;
    return 0;
}

static vind_status_t relate_attachments(vind_index_t *index, char **errmsg)
{
    vind_xapian_values_t *urls = NULL, *types = NULL;
    vind_status_t status = vind_xapian_reader_values(index->reader, VIND_SLOT_URL, &urls, errmsg);
    if (status == VIND_OK)
        status = vind_xapian_reader_values(index->reader, VIND_SLOT_TYPE, &types, errmsg);
    GPtrArray *docs = g_ptr_array_new_with_free_func((GDestroyNotify)stored_free);
    GHashTable *pdfs = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    size_t t = 0;
    for (size_t i = 0; status == VIND_OK && i < urls->count; i++) {
        stored_t *s = calloc(1, sizeof *s);
        s->docid = urls->items[i].docid;
        s->url = strdup(urls->items[i].value);
        while (t < types->count && types->items[t].docid < s->docid)
            t++;
        s->is_pdf = t < types->count && types->items[t].docid == s->docid &&
                    strcmp(types->items[t].value, "pdf") == 0;
        char *data = NULL;
        size_t length = 0;
        status = vind_xapian_reader_get_document_data(index->reader, s->docid, &data, &length,
                                                      errmsg);
        s->data = data ? json_loadb(data, length, 0, NULL) : NULL;
        free(data);
        if (!s->data)
            s->data = json_object();
        g_ptr_array_add(docs, s);
        if (s->is_pdf)
            g_hash_table_insert(pdfs, url_path(s->url, NULL), s);
    }
    vind_xapian_values_free(urls);
    vind_xapian_values_free(types);
    g_ptr_array_sort(docs, stored_by_url);

    /* Desired relations, articles in URL order. */
    for (guint i = 0; status == VIND_OK && i < docs->len; i++) {
        stored_t *article = g_ptr_array_index(docs, i);
        if (article->is_pdf)
            continue;
        article->attachments = g_ptr_array_new();
        json_t *links = json_object_get(article->data, "links");
        for (size_t l = 0; l < json_array_size(links); l++) {
            const char *href = json_string_value(json_array_get(links, l));
            if (!href || !same_site(href, article))
                continue;
            char *path = url_path(href, article->url);
            stored_t *pdf = g_hash_table_lookup(pdfs, path);
            g_free(path);
            if (!pdf)
                continue;
            int listed = 0;
            for (guint a = 0; a < article->attachments->len; a++)
                listed |= g_ptr_array_index(article->attachments, a) == (gpointer)pdf->url;
            if (!listed)
                g_ptr_array_add(article->attachments, pdf->url);
            if (!pdf->parent)
                pdf->parent = article->url;
        }
        g_ptr_array_sort(article->attachments, (GCompareFunc)g_strcmp0);
    }
    GHashTable *by_url = g_hash_table_new(g_str_hash, g_str_equal);
    for (guint i = 0; i < docs->len; i++) {
        stored_t *s = g_ptr_array_index(docs, i);
        g_hash_table_insert(by_url, s->url, s);
    }
    /* Rewrite what changed. */
    for (guint i = 0; status == VIND_OK && i < docs->len; i++) {
        stored_t *s = g_ptr_array_index(docs, i);
        if (s->is_pdf) {
            const char *current = json_string_value(json_object_get(s->data, "parent"));
            stored_t *parent = s->parent ? g_hash_table_lookup(by_url, s->parent) : NULL;
            int same = g_strcmp0(current, s->parent) == 0 &&
                       (!parent || inheritance_current(s, parent));
            if (!same)
                status = rewrite(index, s, parent, errmsg);
        } else if (!same_strings(json_object_get(s->data, "attachments"),
                                 (char **)s->attachments->pdata, s->attachments->len)) {
            status = rewrite(index, s, NULL, errmsg);
        }
    }
    g_hash_table_destroy(by_url);
    g_hash_table_destroy(pdfs);
    g_ptr_array_free(docs, TRUE);
    return status;
}

/* A failure of the index itself names the index and says what became of the
 * run, whatever the layer below said: Xapian's "cannot set metadata
 * vind:file:53e4...: Error writing block 36 (No space left on device)" named
 * a metadata key and no file. */
static void name_the_index(vind_index_t *index, char **errmsg)
{
    if (!errmsg || !*errmsg || strstr(*errmsg, "last commit"))
        return;
    char *reason = *errmsg;
    *errmsg = NULL;
    if (strncmp(reason, index->path, strlen(index->path)) == 0)
        vind_error(errmsg, VIND_OK, "%s; the index stays at its last commit", reason);
    else
        vind_error(errmsg, VIND_OK, "%s: %s; the index stays at its last commit", index->path,
                   reason);
    free(reason);
}

/* ---- a schema upgrade: rebuild beside, swap in -------------------------- */

static int is_database(const char *folder);

/* Whether a folder holds only what Xapian writes while it builds a
 * database: a compaction killed before its end leaves tables and a lock
 * without "iamglass" (written last), or shard-N folders without the stub;
 * a database whose creation failed (a full disk, a kill) leaves its lock
 * and "v.tmp", the version file before its rename to "iamglass" (until
 * session 15 such a <db>.rebuild-<pid> stayed beside the index for good). */
static int is_partial_database(const char *folder)
{
    GDir *dir = g_dir_open(folder, 0, NULL);
    if (!dir)
        return 0;
    int only_xapian = 1;
    const char *name;
    while (only_xapian && (name = g_dir_read_name(dir))) {
        char *path = g_build_filename(folder, name, NULL);
        if (g_str_has_prefix(name, "shard-"))
            only_xapian = is_database(path);
        else
            only_xapian = strcmp(name, "flintlock") == 0 || g_str_has_suffix(name, ".glass") ||
                          strcmp(name, "XAPIANDB.tmp") == 0 || strcmp(name, "v.tmp") == 0;
        g_free(path);
    }
    g_dir_close(dir);
    return only_xapian;
}

/* Whether a folder is a Xapian database (only those are ever removed):
 * glass, or vind's shards (a stub XAPIANDB beside shard-N folders), whole
 * or as a build left them (is_partial_database). */
static int is_database(const char *folder)
{
    char *glass = g_build_filename(folder, "iamglass", NULL);
    char *stub = g_build_filename(folder, "XAPIANDB", NULL);
    int yes = g_file_test(glass, G_FILE_TEST_EXISTS) || g_file_test(stub, G_FILE_TEST_EXISTS);
    g_free(glass);
    g_free(stub);
    return yes || is_partial_database(folder);
}

/* Whether path is a folder itself, not a symbolic link to one. */
static int is_real_folder(const char *path)
{
    struct stat info;
    return lstat(path, &info) == 0 && S_ISDIR(info.st_mode);
}

static int is_symbolic_link(const char *path)
{
    struct stat info;
    return lstat(path, &info) == 0 && S_ISLNK(info.st_mode);
}

/* Whether one of the real paths a and b is the other or inside it. */
static int paths_overlap(const char *a, const char *b)
{
    size_t na = strlen(a), nb = strlen(b), n = na < nb ? na : nb;
    return strncmp(a, b, n) == 0 && (na == nb || (na < nb ? b : a)[n] == '/' || n == 1);
}

/* Whether the index at live (its folder, or a link to it) keeps anything at
 * the real path real: its folder overlaps it, or one of its shard-N leads
 * there. */
static int live_shard_at(const char *live, const char *real)
{
    char *live_real = realpath(live, NULL);
    int found = live_real == NULL || paths_overlap(live_real, real);
    free(live_real);
    GDir *dir = found ? NULL : g_dir_open(live, 0, NULL);
    const char *name;
    while (!found && dir && (name = g_dir_read_name(dir))) {
        if (!g_str_has_prefix(name, "shard-"))
            continue;
        char *shard = g_build_filename(live, name, NULL);
        char *shard_real = realpath(shard, NULL);
        found = shard_real != NULL && paths_overlap(shard_real, real);
        free(shard_real);
        g_free(shard);
    }
    if (dir)
        g_dir_close(dir);
    return found;
}

static void remove_database(const char *folder, const char *live);

/* A shard of an index being removed (an old one, or an unfinished copy)
 * that is a symbolic link to a folder on another disk: the folder is that
 * index's shard and goes with it, unless the live index's own shard leads
 * there too; then the link. Left behind (until session 14), each
 * compaction or rebuild left a stale copy of the shard whose room was
 * never freed. Only a Xapian database is removed (remove_database); live
 * NULL: the link alone. */
static void remove_linked_shard(const char *link, const char *live)
{
    char *real = live != NULL ? realpath(link, NULL) : NULL;
    if (real != NULL && !live_shard_at(live, real))
        remove_database(real, live);
    free(real);
    unlink(link);
}

/* Removes a database folder (Xapian keeps no subfolders; vind's shards are
 * glass folders inside the stub's, removed the same way). A symbolic link
 * is removed itself, never what it leads to: an index whose --db was a
 * link, swapped aside by a compaction, had its target's files deleted
 * through the link by the next run (session 10's probe). A shard kept on
 * another disk goes with its index (remove_linked_shard). live: the index
 * that stays, whose folders are never removed; NULL for a folder vind did
 * not name (is_own_leftover): its shard links are removed, not followed. */
static void remove_database(const char *folder, const char *live)
{
    if (is_symbolic_link(folder)) {
        unlink(folder);
        return;
    }
    if (!is_real_folder(folder) || !is_database(folder))
        return;
    GDir *dir = g_dir_open(folder, 0, NULL);
    const char *name;
    while (dir && (name = g_dir_read_name(dir))) {
        char *file = g_build_filename(folder, name, NULL);
        if (g_str_has_prefix(name, "shard-") && is_real_folder(file))
            remove_database(file, live);
        else if (g_str_has_prefix(name, "shard-") && is_symbolic_link(file))
            remove_linked_shard(file, live);
        else
            unlink(file);
        g_free(file);
    }
    if (dir)
        g_dir_close(dir);
    rmdir(folder);
}

/* Removes what earlier upgrades left beside the index: a rebuild a kill
 * interrupted (<db>.rebuild-*) and the old index kept for the readers
 * still on it (<db>.old-*). The caller holds the index's write lock, so no
 * other vind-index is building one. */
/* Where a rebuilt or compacted index is built and swapped in: the folder
 * itself, where --db is a symbolic link to it (g_malloc'd). Swapped at the
 * link, the link would go aside and a folder take its name: the index
 * would leave the disk the operator put it on, and its old place stay
 * behind, stale. */
static char *swap_place(const char *db_path)
{
    struct stat info;
    char *real = lstat(db_path, &info) == 0 && S_ISLNK(info.st_mode) ? realpath(db_path, NULL)
                                                                       : NULL;
    char *place = g_strdup(real ? real : db_path);
    free(real);
    return place;
}

static void remove_leftovers_beside(const char *db_path);

/* The name of a shard's new folder beside its old one: "shard-1" ->
 * "shard-1.vind-T-P-N" (T the time, P the process, N its count of such
 * folders: a schema upgrade and a compaction in one run of one second would
 * otherwise pick one name), and a name made so before keeps its stem
 * ("shard-1.vind-T-P-N" -> "shard-1.vind-T2-P2-N2"), not growing with each
 * compaction. g_malloc'd. */
static char *next_shard_folder(const char *real)
{
    static gint made; /* folders named by this process */
    char *parent = g_path_get_dirname(real), *base = g_path_get_basename(real);
    char *suffix = g_strrstr(base, ".vind-");
    if (suffix != NULL && suffix != base && strspn(suffix + 6, "0123456789-") == strlen(suffix + 6))
        *suffix = '\0';
    char *name = g_strdup_printf("%s.vind-%ld-%ld-%d", base, (long)time(NULL), (long)getpid(),
                                 g_atomic_int_add(&made, 1));
    char *folder = g_build_filename(parent, name, NULL);
    g_free(name);
    g_free(base);
    g_free(parent);
    return folder;
}

/*
 * A sharded index whose shard-N is a symbolic link (a shard kept on
 * another disk): the compacted or rebuilt copy of that shard is written on
 * that disk, beside the folder the link leads to (next_shard_folder), and
 * fresh/shard-N is made a link to it; fresh is then swapped in whole
 * (swap_in), so a reader finds the old shards or the new ones, never a mix,
 * and the old folder goes with the old index at the next run
 * (remove_linked_shard). Until session 14 the copy was written into fresh:
 * the shard left its disk for the index's, and its old folder stayed
 * behind, stale, never freed. Does nothing for an index without such a
 * link; otherwise creates fresh.
 */
static vind_status_t link_shards_beside(const char *place, const char *fresh, char **errmsg)
{
    GDir *dir = g_dir_open(place, 0, NULL);
    const char *name;
    vind_status_t status = VIND_OK;
    while (status == VIND_OK && dir && (name = g_dir_read_name(dir))) {
        char *shard = g_build_filename(place, name, NULL);
        char *real = g_str_has_prefix(name, "shard-") && is_symbolic_link(shard)
                         ? realpath(shard, NULL)
                         : NULL;
        if (real != NULL) {
            char *folder = next_shard_folder(real), *link = g_build_filename(fresh, name, NULL);
            /* The link first: a kill between the two leaves a link (dangling,
             * or to an empty folder) in fresh, which the next run removes
             * with fresh, and never a folder nothing leads to. */
            if ((mkdir(fresh, 0755) != 0 && errno != EEXIST) || symlink(folder, link) != 0 ||
                mkdir(folder, 0755) != 0)
                status = vind_error(errmsg, VIND_IO,
                                    "%s: cannot make the new folder %s of its shard %s: %s",
                                    place, folder, name, strerror(errno));
            g_free(link);
            g_free(folder);
        }
        free(real);
        g_free(shard);
    }
    if (dir)
        g_dir_close(dir);
    return status;
}

/* Beside --db, and beside the folder it leads to when it is a symbolic
 * link (where compactions and rebuilds are swapped in: swap_place). */
static void remove_leftovers(const char *db_path)
{
    char *place = swap_place(db_path);
    remove_leftovers_beside(db_path);
    if (strcmp(place, db_path) != 0)
        remove_leftovers_beside(place);
    g_free(place);
}

/* Whether name (beside the index base) is one vind gives its copies:
 * base.rebuild-<pid>, base.old-compact-<time>, base.old-v<version>-<time>.
 * Only those have their shards on other disks removed with them: a folder
 * the operator named base.old-backup may link to databases of their own. */
static int is_own_leftover(const char *name, const char *base)
{
    static const char *const kinds[] = {".rebuild-", ".old-compact-", ".old-v"};
    size_t n = strlen(base);
    if (strncmp(name, base, n) != 0)
        return 0;
    for (size_t k = 0; k < G_N_ELEMENTS(kinds); k++) {
        const char *rest = name + n;
        if (!g_str_has_prefix(rest, kinds[k]))
            continue;
        rest += strlen(kinds[k]);
        size_t digits = strspn(rest, "0123456789");
        if (k == 2 && digits > 0 && rest[digits] == '-')
            rest += digits + 1, digits = strspn(rest, "0123456789");
        return digits > 0 && rest[digits] == '\0';
    }
    return 0;
}

static void remove_leftovers_beside(const char *db_path)
{
    char *parent = g_path_get_dirname(db_path), *base = g_path_get_basename(db_path);
    char *rebuild = g_strconcat(base, ".rebuild-", NULL), *old = g_strconcat(base, ".old-", NULL);
    GDir *dir = g_dir_open(parent, 0, NULL);
    const char *name;
    while (dir && (name = g_dir_read_name(dir))) {
        if (!g_str_has_prefix(name, rebuild) && !g_str_has_prefix(name, old))
            continue;
        char *folder = g_build_filename(parent, name, NULL);
        remove_database(folder, is_own_leftover(name, base) ? db_path : NULL);
        g_free(folder);
    }
    if (dir)
        g_dir_close(dir);
    g_free(rebuild);
    g_free(old);
    g_free(parent);
    g_free(base);
}

/*
 * Puts the database at fresh in the place of the index, atomically: a
 * reader opening the index path finds the old database or the new one,
 * never none (renameat2 RENAME_EXCHANGE swaps the two folders' names in one
 * step). The old one goes to old_path, where searchers still on it finish.
 * A file system without RENAME_EXCHANGE gets two renames: a reader opening
 * between them finds no index for a moment (and retries).
 */
static vind_status_t swap_in(const char *db_path, const char *fresh, const char *old_path,
                             char **errmsg)
{
    if (renameat2(AT_FDCWD, fresh, AT_FDCWD, db_path, RENAME_EXCHANGE) == 0) {
        if (rename(fresh, old_path) != 0)
            remove_database(fresh, db_path); /* the old index: not worth failing the run for */
        return VIND_OK;
    }
    if (errno != EINVAL && errno != ENOSYS)
        return vind_error(errmsg, VIND_IO, "%s: cannot swap in the rebuilt index %s: %s", db_path,
                          fresh, strerror(errno));
    if (rename(db_path, old_path) != 0 || rename(fresh, db_path) != 0)
        return vind_error(errmsg, VIND_IO, "%s: cannot move the rebuilt index %s in: %s", db_path,
                          fresh, strerror(errno));
    return VIND_OK;
}

/* Reopens the index's own writer and reader at its path (after a swap). */
static vind_status_t reopen_writer(vind_index_t *index, char **errmsg)
{
    vind_prints_free(index->prints); /* another database: its own fingerprints */
    index->prints = NULL;
    vind_xapian_reader_close(index->reader);
    vind_xapian_writer_close(index->writer);
    index->reader = NULL;
    index->writer = NULL;
    vind_status_t status = open_writer(index->path, index->shards, &index->writer, errmsg);
    if (status == VIND_OK)
        status = check_schema(index, errmsg);
    if (status == VIND_OK)
        status = load_pending(index, errmsg);
    if (status == VIND_OK)
        status = vind_xapian_writer_reader(index->writer, &index->reader, errmsg);
    return status;
}

/* Swaps a database built at fresh (status: whether that went well) in for
 * the index, the old one going to old_path, and reopens the index's writer
 * on it; removes fresh when it was not built whole. */
static vind_status_t put_in_place(vind_index_t *index, const char *place, const char *fresh,
                                  const char *old_path, vind_status_t status, char **errmsg)
{
    if (status == VIND_OK)
        status = swap_in(place, fresh, old_path, errmsg);
    if (status == VIND_OK)
        return reopen_writer(index, errmsg);
    remove_database(fresh, place);
    return status;
}

/*
 * An index of another schema version is rebuilt, not changed in place:
 * every file is indexed into <db>.rebuild-<pid> beside it while readers
 * (vind-searchd) go on searching the old one, then the new one is swapped
 * in (swap_in) and readers move to it at their next reopen (they notice
 * the path holds another database). A kill during the rebuild leaves the old
 * index as it was; the next run removes the partial rebuild and starts over.
 * docs/schema.md, "Upgrading".
 */
static vind_status_t rebuild(vind_index_t *index, const char *const *roots, size_t n_roots,
                             const vind_index_options_t *opts, vind_index_report_t *report,
                             char **errmsg)
{
    char *place = swap_place(index->path);
    char *fresh = g_strdup_printf("%s.rebuild-%ld", place, (long)getpid());
    char *old_path = g_strdup_printf("%s.old-v%d-%ld", place, index->schema_version,
                                     (long)time(NULL));
    vind_index_t *next = NULL;
    /* A sharded index is rebuilt with as many shards, each on its own disk. */
    vind_status_t status = link_shards_beside(place, fresh, errmsg);
    if (status == VIND_OK)
        status = vind_index_open_shards(fresh, index->shards, index->lexicon, &next, errmsg);
    if (status == VIND_OK) {
        next->replacing = index;
        status = vind_index_run(next, roots, n_roots, opts, report, errmsg);
    }
    vind_index_close(next);
    status = put_in_place(index, place, fresh, old_path, status, errmsg);
    g_free(place);
    g_free(fresh);
    g_free(old_path);
    return status;
}

/*
 * A bulk load leaves Xapian's B-trees with blocks part full (5,000
 * documents: a quarter smaller compacted when written in one batch, 46% in
 * two: docs/scaling.md, "Index size"). The compacted copy is written beside as <db>.rebuild-<pid>
 * and swapped in as a schema upgrade's rebuild is, so a reader finds the
 * old index or the compacted one, and a kill or a full disk during the
 * compaction leaves the old one serving (the next run removes the partial
 * copy). Readers notice the new folder at their next reopen. Costs a read
 * of the index and a write of the copy, and disk room for both.
 */
vind_status_t vind_index_compact(vind_index_t *index, uint64_t *bytes_before,
                                 uint64_t *bytes_after, char **errmsg)
{
    if (!index)
        return vind_error(errmsg, VIND_INVALID_ARGUMENT, "vind_index_compact: no index");
    if (index->in_transaction) /* the copy is of the last commit */
        return vind_error(errmsg, VIND_INVALID_ARGUMENT,
                          "%s: uncommitted changes: finish the run before compacting", index->path);
    remove_leftovers(index->path);
    char *place = swap_place(index->path);
    char *fresh = g_strdup_printf("%s.rebuild-%ld", place, (long)getpid());
    char *old_path = g_strdup_printf("%s.old-compact-%ld", place, (long)time(NULL));
    if (bytes_before)
        *bytes_before = vind_folder_bytes(index->path, 1);
    vind_status_t status = link_shards_beside(place, fresh, errmsg);
    if (status == VIND_OK)
        status = vind_xapian_writer_compact(index->writer, fresh, errmsg);
    status = put_in_place(index, place, fresh, old_path, status, errmsg);
    if (status == VIND_OK && bytes_after)
        *bytes_after = vind_folder_bytes(index->path, 1);
    g_free(place);
    g_free(fresh);
    g_free(old_path);
    return status;
}

static vind_status_t run_index(vind_index_t *index, const char *const *roots, size_t n_roots,
                               const vind_index_options_t *opts, vind_index_report_t *report,
                               char **errmsg);

/* The report a run fills: the caller's, or scratch when it wants none. */
static vind_index_report_t *clear_report(vind_index_report_t *report,
                                         vind_index_report_t *scratch)
{
    if (!report)
        report = scratch;
    memset(report, 0, sizeof *report);
    return report;
}

/* The end of a run that got to status: stamps and commits a run that
 * changed something, or cancels the open transaction of a failed one (the
 * index stays at its last commit, and the message says so). */
/* The start of the last run that changed the index (VIND_META_LAST_RUN),
 * less VIND_CTIME_MARGIN_NS for clocks of network file systems; 0 when
 * unknown. A file whose ctime is later may have been written since, even
 * with its old size and mtime (touch -r, rsync -t, an editor that keeps the
 * time): its content is compared, one SHA-256 of it. A file written during
 * that run, after it was read, has a later ctime than its start too. */
#define VIND_CTIME_MARGIN_NS (2 * G_GINT64_CONSTANT(1000000000))
static int64_t last_run_ns(vind_index_t *index)
{
    char *value = NULL;
    size_t length = 0;
    if (vind_xapian_writer_get_metadata(index->writer, VIND_META_LAST_RUN, &value, &length,
                                        NULL) != VIND_OK || !value)
        return 0;
    char *stamp = g_strndup(value, length);
    free(value);
    GDateTime *time = g_date_time_new_from_iso8601(stamp, NULL);
    g_free(stamp);
    if (!time)
        return 0;
    int64_t ns = g_date_time_to_unix(time) * G_GINT64_CONSTANT(1000000000) +
                 (int64_t)g_date_time_get_microsecond(time) * 1000 - VIND_CTIME_MARGIN_NS;
    g_date_time_unref(time);
    return ns > 0 ? ns : 0;
}

static vind_status_t finish_run(vind_index_t *index, vind_status_t status, char **errmsg)
{
    if (status == VIND_OK && index->in_transaction) {
        /* Only a run that changed something makes a new revision. Its
         * start, not its end: a file written while it ran is compared
         * again by the next (last_run_ns). */
        gint64 started = index->run_started_us ? index->run_started_us : g_get_real_time();
        GDateTime *second = g_date_time_new_from_unix_utc(started / G_USEC_PER_SEC);
        GDateTime *now = g_date_time_add(second, started % G_USEC_PER_SEC);
        g_date_time_unref(second);
        gchar *stamp = g_date_time_format_iso8601(now);
        status = vind_xapian_writer_set_metadata(index->writer, VIND_META_LAST_RUN, stamp,
                                                 strlen(stamp), errmsg);
        g_free(stamp);
        g_date_time_unref(now);
    }
    if (status == VIND_OK)
        status = commit_changes(index, 0, errmsg);
    if (status != VIND_OK) {
        if (index->in_transaction)
            vind_xapian_writer_cancel_transaction(index->writer, NULL);
        index->in_transaction = 0;
        index->pending_bytes = 0;
        g_hash_table_remove_all(index->spellings);
        /* back to what the last commit holds (a failed commit's words
         * were merged into the pending ones already) */
        if (load_pending(index, NULL) != VIND_OK)
            g_hash_table_remove_all(index->spelling_pending);
    }
    if (status != VIND_OK) /* after the walk, every failure is the index's */
        name_the_index(index, errmsg);
    return status;
}

/* The OCR cache lives beside the index, "<db>.ocr-cache": a --full run and
 * a schema upgrade (which builds <db>.rebuild-<pid> and swaps it in: the
 * cache is named after the index it upgrades) find the pages recognised
 * before. */
vind_status_t vind_index_run(vind_index_t *index, const char *const *roots, size_t n_roots,
                             const vind_index_options_t *opts, vind_index_report_t *report,
                             char **errmsg)
{
    if (!index || !opts || opts->extract.ocr_cache)
        return run_index(index, roots, n_roots, opts, report, errmsg);
    vind_index_options_t with_cache = *opts;
    char *cache = g_strconcat(index->path, ".ocr-cache", NULL);
    with_cache.extract.ocr_cache = cache;
    vind_status_t status = run_index(index, roots, n_roots, &with_cache, report, errmsg);
    g_free(cache);
    return status;
}

static vind_status_t run_index(vind_index_t *index, const char *const *roots, size_t n_roots,
                               const vind_index_options_t *opts, vind_index_report_t *report,
                               char **errmsg)
{
    vind_index_report_t scratch;
    report = clear_report(report, &scratch);
    if (!index || !roots || !opts)
        return vind_error(errmsg, VIND_INVALID_ARGUMENT, "vind_index_run: missing argument");
    if (opts->jobs > VIND_MAX_INDEX_JOBS)
        return vind_error(errmsg, VIND_INVALID_ARGUMENT,
                          "%u parallel extractions: at most %u (each is a process)", opts->jobs,
                          VIND_MAX_INDEX_JOBS);
    if (opts->extract.timeout_seconds > VIND_MAX_EXTRACT_SECONDS)
        return vind_error(errmsg, VIND_INVALID_ARGUMENT,
                          "a time limit of %u s per file: at most %u", opts->extract.timeout_seconds,
                          VIND_MAX_EXTRACT_SECONDS);
    /* Under the write lock: what an earlier upgrade left beside the index
     * (the old index its readers have long left, an interrupted rebuild). */
    remove_leftovers(index->path);
    if (index->schema_version != index->write_version || index->analyzer_stale)
        return rebuild(index, roots, n_roots, opts, report, errmsg);
    double started = g_get_monotonic_time() / 1e6;
    /* Before the walk: a file written after its stat is newer than this. */
    index->run_started_us = g_get_real_time();

    vind_walk_t walk;
    vind_status_t status = vind_walk(roots, n_roots, &walk, errmsg);
    if (status != VIND_OK)
        return status;
    run_t run = {.index = index, .opts = opts, .report = report, .total = walk.count,
                 .changed_since_ns = last_run_ns(index),
                 .stored = g_hash_table_new(g_direct_hash, g_direct_equal)};
    GHashTable *existing = NULL;
    GPtrArray *jobs = g_ptr_array_new_with_free_func((GDestroyNotify)job_free);
    status = load_existing(index, &existing, errmsg);
    if (status == VIND_OK)
        status = plan(&run, &walk, roots, existing, jobs);
    if (status == VIND_OK)
        keep_empty_roots(&run, &walk, roots, n_roots, existing);
    if (status == VIND_OK && index->replacing)
        status = check_rebuild_sees_all(&walk, roots, n_roots, index->replacing, errmsg);
    if (status == VIND_NOMEM)
        vind_error(errmsg, status, "out of memory");
    if (status == VIND_OK)
        status = extract_and_store(&run, jobs, errmsg);
    if (status == VIND_OK)
        status = remove_vanished(&run, existing, roots, n_roots, errmsg);
    /* relate_attachments reads a value stream, which makes Xapian merge the
     * pending value changes: the same abort on a full disk as a commit. */
    if (status == VIND_OK)
        status = check_disk_room(index, errmsg);
    if (status == VIND_OK)
        status = relate_attachments(index, errmsg);
    status = finish_run(index, status, errmsg);
    g_ptr_array_free(jobs, TRUE);
    g_hash_table_destroy(run.stored);
    if (existing)
        g_hash_table_destroy(existing);
    vind_walk_free(&walk);
    report->seconds = g_get_monotonic_time() / 1e6 - started;
    return status;
}

/* ---- a feed of extracted records (vind_index_records) ---------------------
 *
 * One line at a time: read (bounded), parse, compare its hash with the
 * document's signature, analyse, store. The writer, the batches and the
 * commit are those of a run over files; only the walk, the extraction and
 * the removal of vanished files are not there.
 *
 * With more than one job, one analysis thread reads, parses and analyses
 * the lines (prepare_item, with its own analyzer and its own reader of the
 * last commit, to skip analysing unchanged lines) while the calling thread
 * stores the line before (consume_item): the Xapian writer and the
 * analysis, about half of a record's CPU each (perf), run on two cores. The
 * lines are stored in feed order either way, so the index is the same.
 */

typedef struct {
    run_t *run;
    const char *name;     /* the feed, in events */
    char where[64 + 32];  /* "<name>:<line>": every event's path */
} feed_t;

/* One line, as the analysis side leaves it for the writer. */
typedef struct {
    size_t line;          /* 1-based; 0: the end of the feed */
    int read_error;       /* errno of a read error (the end of the feed) */
    char *failure;        /* why the line is not a record (g_malloc'd), or NULL */
    vind_status_t failure_status;
    char *url;            /* the record's url, when it has one */
    int deleted;          /* {"url": U, "deleted": true} */
    vind_doc_t *doc;
    char *signature;      /* "jsonl <sha256 of the line>" */
    size_t bytes;
    int analysed;         /* a holds the analysis */
    analysed_t a;
    vind_status_t analysis_status; /* a failure of the analysis itself (NOMEM) */
    char *analysis_errmsg;
} item_t;

static void item_free(item_t *item)
{
    if (!item)
        return;
    if (item->analysed)
        analysed_clear(&item->a, item->doc ? item->doc->n_pages : 0);
    g_free(item->failure);
    g_free(item->url);
    g_free(item->signature);
    free(item->analysis_errmsg);
    vind_doc_free(item->doc);
    g_free(item);
}

/* A feed's read buffer: lines are cut at '\n' by memchr, so a NUL byte in
 * a line spoils that line only (fgets would have lost its newline too). */
typedef struct {
    FILE *in;
    char data[65536];
    size_t start, end;
} line_reader_t;

/*
 * Reads one line into line (without its newline). A line longer than max is
 * read to its end but not kept: *too_long is set. Returns 0 at the end of
 * the feed, -1 on a read error, else 1. Cost: one fread per 64 kB.
 */
static int read_line(line_reader_t *r, GString *line, size_t max, int *too_long)
{
    g_string_truncate(line, 0);
    *too_long = 0;
    int got = 0;
    for (;;) {
        if (r->start == r->end) {
            r->start = 0;
            r->end = fread(r->data, 1, sizeof r->data, r->in);
            if (r->end == 0)
                break;
        }
        got = 1;
        char *newline = memchr(r->data + r->start, '\n', r->end - r->start);
        size_t n = (newline ? (size_t)(newline - r->data) : r->end) - r->start;
        if (!*too_long && line->len + n > max) {
            *too_long = 1;
            g_string_truncate(line, 0);
        }
        if (!*too_long)
            g_string_append_len(line, r->data + r->start, (gssize)n);
        r->start += n + (newline ? 1 : 0);
        if (newline)
            break;
    }
    if (!got && ferror(r->in))
        return -1;
    if (line->len > 0 && line->str[line->len - 1] == '\r')
        g_string_truncate(line, line->len - 1);
    return got;
}

/* The record's "type" as the extractors write it (an integer); a feed may
 * leave it out (an article) or name it. 0 when it is neither. */
static int normalise_type(json_t *object)
{
    json_t *type = json_object_get(object, "type");
    if (!type)
        return json_object_set_new(object, "type", json_integer(VIND_DOC_ARTICLE)) == 0;
    if (!json_is_string(type))
        return 1; /* vind_doc_from_object checks an integer's range */
    static const char *const names[] = {"article", "pdf", "page"};
    for (int i = 0; i < 3; i++)
        if (strcmp(json_string_value(type), names[i]) == 0)
            return json_object_set_new(object, "type", json_integer(i)) == 0;
    return 0;
}

/* Parses one line into item: a record (item->doc), a deletion, or a failure. */
static void parse_record(const GString *line, item_t *item)
{
    json_error_t error;
    json_t *object = json_loadb(line->str, line->len, 0, &error);
    json_t *url = object ? json_object_get(object, "url") : NULL;
    if (json_is_string(url))
        item->url = g_strdup(json_string_value(url));
    item->failure_status = VIND_CORRUPT_FILE;
    if (!object)
        item->failure = g_strdup_printf("not JSON: %s (column %d)", error.text, error.column);
    else if (!json_is_object(object))
        item->failure = g_strdup("not a JSON object");
    else if (!item->url || !*item->url)
        item->failure = g_strdup("no \"url\" (a record's identity: a non-empty string)");
    else if (json_is_true(json_object_get(object, "deleted")))
        item->deleted = 1;
    else if (!vind_url_is_link(item->url)) /* sites and feeds link it: no javascript: */
        item->failure = g_strdup("\"url\" is not http(s) or a path of the site (/...), or holds "
                                 "a backslash or a control character: not indexed");
    else if (!normalise_type(object))
        item->failure = g_strdup("\"type\" is not 0, 1, 2, \"article\", \"pdf\" or \"page\"");
    else {
        char *why = NULL;
        if (vind_doc_from_object(object, &item->doc, &why) != VIND_OK)
            item->failure = g_strdup(why ? why : "not a document record");
        free(why);
    }
    json_decref(object);
}

/* The analysis side of a feed: its own analyzer, and its own reader of the
 * index's last commit for a first look at a line's signature. */
typedef struct {
    vind_index_t *index;   /* read only: path, lexicon, write_version */
    const vind_index_options_t *opts;
    line_reader_t *lines;
    size_t max;            /* the longest line read */
    size_t line;
    GString *buffer;
    vind_analyzer_t *analyzer;
    vind_xapian_reader_t *reader; /* NULL: every changed-looking line is analysed */
} reader_side_t;

/* Whether the last commit holds url's document with this signature: a hint
 * only (the writer decides), so any error says no. */
static int committed_same(reader_side_t *side, const char *url, const char *signature)
{
    if (!side->reader || side->opts->full)
        return 0;
    char *unique = vind_unique_term(url), *value = NULL;
    uint32_t docid = 0;
    size_t length = 0;
    int same = 0, changed = 0;
    vind_status_t status = vind_xapian_reader_docid_for_term(side->reader, unique, &docid, NULL);
    if (status == VIND_OK && docid)
        status = vind_xapian_reader_get_value(side->reader, docid, VIND_SLOT_SIGNATURE, &value,
                                              &length, NULL);
    if (status == VIND_OK && value)
        same = length == strlen(signature) && memcmp(value, signature, length) == 0;
    /* The writer's commits outran this reader (Xapian's DatabaseModifiedError):
     * the next look-up reads the newest revision. */
    if (status != VIND_OK && status != VIND_NOT_FOUND && side->reader != side->index->reader)
        vind_xapian_reader_reopen(side->reader, &changed, NULL);
    free(unique);
    free(value);
    return same;
}

/* A record made ready for the writer: its defaults, caps, and the analysis
 * (unless the last commit has this very line already). */
static void prepare_record(reader_side_t *side, const GString *line, item_t *item)
{
    vind_doc_t *doc = item->doc;
    gchar *hash = g_compute_checksum_for_data(G_CHECKSUM_SHA256, (const guchar *)line->str,
                                              line->len);
    item->signature = g_strconcat("jsonl ", hash, NULL);
    g_free(hash);
    item->bytes = line->len;
    if (!doc->path)
        doc->path = strdup(doc->url);
    derive_section(doc);
    cap_fields(doc);
    if (doc->is_listing || committed_same(side, doc->url, item->signature))
        return;
    relations_t rel = {.signature = item->signature};
    item->analysis_status = analyse_document(side->analyzer, side->index->write_version, doc,
                                             &rel, &item->a, &item->analysis_errmsg);
    item->analysed = item->analysis_status == VIND_OK;
}

/* Reads and prepares the next line: an item, or one with line 0 at the end. */
static item_t *prepare_item(reader_side_t *side)
{
    item_t *item = g_new0(item_t, 1);
    int too_long = 0, got;
    do {
        got = read_line(side->lines, side->buffer, side->max, &too_long);
        if (got > 0)
            side->line++;
    } while (got > 0 && !too_long && side->buffer->len == 0); /* empty lines are allowed */
    if (got <= 0) {
        item->read_error = got < 0 ? (errno ? errno : EIO) : 0;
        return item;
    }
    item->line = side->line;
    if (too_long) {
        item->failure = g_strdup_printf("a line longer than %zu bytes, not read", side->max);
        item->failure_status = VIND_TOO_LARGE;
        return item;
    }
    parse_record(side->buffer, item);
    if (item->doc && !item->failure)
        prepare_record(side, side->buffer, item);
    return item;
}

static void feed_emit(feed_t *feed, const char *url, vind_file_outcome_t outcome,
                      vind_status_t status, const char *reason)
{
    emit(feed->run, feed->where, url, outcome, status, reason);
}

/* {"url": U, "deleted": true}: removes U's document, if it is there. */
static vind_status_t delete_record(feed_t *feed, const char *url, char **errmsg)
{
    vind_index_t *index = feed->run->index;
    char *unique = vind_unique_term(url);
    uint32_t docid = 0;
    if (vind_xapian_writer_docid_for_term(index->writer, unique, &docid, NULL) != VIND_OK)
        docid = 0; /* absent (VIND_NOT_FOUND) */
    free(unique);
    if (docid == 0) {
        feed_emit(feed, url, VIND_FILE_UNCHANGED, VIND_OK, "not indexed: nothing to delete");
        return VIND_OK;
    }
    vind_status_t status = begin_change(index, errmsg);
    if (status == VIND_OK)
        status = delete_document(index, docid, errmsg);
    if (status == VIND_NOT_FOUND)
        status = VIND_OK;
    if (status != VIND_OK)
        return status;
    feed_emit(feed, url, VIND_FILE_REMOVED, VIND_OK, NULL);
    return count_change(index, errmsg);
}

/* The document a URL has (0: none) and whether its signature is this one,
 * as the writer sees it (this run's changes included). */
static uint32_t indexed_as(vind_index_t *index, const char *unique, const char *signature,
                           int *same)
{
    uint32_t docid = 0;
    *same = 0;
    if (vind_xapian_writer_docid_for_term(index->writer, unique, &docid, NULL) != VIND_OK ||
        !docid)
        return 0;
    char *value = NULL;
    size_t length = 0;
    if (vind_xapian_reader_get_value(index->reader, docid, VIND_SLOT_SIGNATURE, &value, &length,
                                     NULL) == VIND_OK && value)
        *same = length == strlen(signature) && memcmp(value, signature, length) == 0;
    free(value);
    return docid;
}

/* Adds or replaces one prepared record's document. */
static vind_status_t store_record(feed_t *feed, item_t *item, char **errmsg)
{
    vind_index_t *index = feed->run->index;
    vind_doc_t *doc = item->doc;
    char *unique = vind_unique_term(doc->url);
    int same = 0;
    uint32_t old = indexed_as(index, unique, item->signature, &same);
    int unchanged = same && !feed->run->opts->full;
    /* only a change opens a transaction: an unchanged feed makes no revision */
    vind_status_t status = unchanged ? VIND_OK : begin_change(index, errmsg);
    if (status == VIND_OK && unchanged) {
        feed_emit(feed, doc->url, VIND_FILE_UNCHANGED, VIND_OK, NULL);
    } else if (status == VIND_OK && doc->is_listing) {
        if (old)
            status = delete_document(index, old, errmsg);
        if (status == VIND_NOT_FOUND)
            status = VIND_OK;
        if (status == VIND_OK)
            feed_emit(feed, doc->url, VIND_FILE_SKIPPED, VIND_OK,
                      doc->listing_reason ? doc->listing_reason : "listing page");
    } else if (status == VIND_OK) {
        if (!item->analysed && item->analysis_status == VIND_OK) {
            /* the analysis side took it for unchanged (it read the last
             * commit; this run changed the document since) */
            relations_t rel = {.signature = item->signature};
            status = analyse_document(index->analyzer, index->write_version, doc, &rel,
                                      &item->a, errmsg);
            item->analysed = status == VIND_OK;
        } else if (item->analysis_status != VIND_OK) {
            status = vind_error(errmsg, item->analysis_status, "%s",
                                item->analysis_errmsg ? item->analysis_errmsg : "analysis failed");
        }
        if (status == VIND_OK)
            status = finish_document(index, doc, &item->a, errmsg);
        if (status == VIND_OK)
            status = store_document(index, unique, doc, &item->a.document, item->a.checkpoints,
                                    NULL, errmsg);
        if (status == VIND_OK) {
            count_stored(feed->run, doc, item->bytes);
            feed_emit(feed, doc->url, old ? VIND_FILE_UPDATED : VIND_FILE_INDEXED, VIND_OK,
                      doc->warning);
            status = count_change(index, errmsg);
        }
    }
    free(unique);
    return status;
}

/* The writer's part of one line: an event, a deletion or a stored record.
 * Only a failure of the index is returned. */
static vind_status_t consume_item(feed_t *feed, item_t *item, char **errmsg)
{
    snprintf(feed->where, sizeof feed->where, "%.64s:%zu", feed->name, item->line);
    if (item->failure) {
        feed_emit(feed, item->url, VIND_FILE_FAILED, item->failure_status, item->failure);
        return VIND_OK;
    }
    if (item->deleted)
        return delete_record(feed, item->url, errmsg);
    return store_record(feed, item, errmsg);
}

static vind_status_t read_error(feed_t *feed, const item_t *end, char **errmsg)
{
    if (!end->read_error)
        return VIND_OK;
    return vind_error(errmsg, VIND_IO, "%s: read error after line %s: %s", feed->name,
                      feed->where[0] ? strrchr(feed->where, ':') + 1 : "0",
                      strerror(end->read_error));
}

/* One thread: prepare a line, store it, the next. */
static vind_status_t read_feed_inline(feed_t *feed, reader_side_t *side, char **errmsg)
{
    vind_status_t status = VIND_OK;
    while (status == VIND_OK) {
        item_t *item = prepare_item(side);
        if (item->line == 0) {
            status = read_error(feed, item, errmsg);
            item_free(item);
            break;
        }
        status = consume_item(feed, item, errmsg);
        item_free(item);
    }
    return status;
}

/* Items prepared ahead of the writer at most: bounds the memory to a few
 * analysed records (a 100-page PDF's document is a few MB). */
#define FEED_AHEAD 8

typedef struct {
    reader_side_t *side;
    GAsyncQueue *ready;   /* item_t, in feed order; the last has line 0 */
    /* One entry per item the analysis side may prepare ahead: CREDIT, or an
     * item the writer is done with, which the analysis side frees (below). */
    GAsyncQueue *credits;
    gint stop;            /* the writer failed: prepare no more */
} pipeline_t;

/* A credit that is no item (a queue holds no NULL). */
static char credit_token;
#define CREDIT ((gpointer)&credit_token)

/* Frees what the writer returned in place of a credit. Why here: the
 * analysis thread made the item (its Xapian document alone is ~2,000
 * nodes of maps), and the writer thread is the one a bulk load waits for
 * (two thirds of its CPU, docs/scaling.md "Bulk load, session 17"); freed
 * on the thread that allocated it, the memory also stays in that
 * thread's allocator cache instead of going back through tcmalloc's
 * central lists. */
static void take_credit(gpointer credit)
{
    if (credit != CREDIT)
        item_free(credit);
}

static gpointer analysis_thread(gpointer data)
{
    pipeline_t *p = data;
    for (;;) {
        take_credit(g_async_queue_pop(p->credits));
        item_t *item = g_atomic_int_get(&p->stop) ? g_new0(item_t, 1) : prepare_item(p->side);
        /* Read before the push: once pushed, the writer may free the item
         * (ASan saw a use after free of the end item here). */
        int last = item->line == 0;
        g_async_queue_push(p->ready, item);
        if (last)
            return NULL;
    }
}

/* Two threads: the analysis thread prepares, this one stores in order and
 * hands each item back for the analysis thread to free (take_credit). */
static vind_status_t read_feed_pipelined(feed_t *feed, reader_side_t *side, char **errmsg)
{
    pipeline_t p = {.side = side, .ready = g_async_queue_new(), .credits = g_async_queue_new()};
    /* one more than FEED_AHEAD: the item being stored is handed back only
     * once it is stored */
    for (int i = 0; i < FEED_AHEAD + 1; i++)
        g_async_queue_push(p.credits, CREDIT);
    GThread *thread = g_thread_new("vind-feed", analysis_thread, &p);
    vind_status_t status = VIND_OK;
    for (;;) {
        item_t *item = g_async_queue_pop(p.ready);
        if (item->line == 0) {
            if (status == VIND_OK)
                status = read_error(feed, item, errmsg);
            item_free(item);
            break;
        }
        if (status == VIND_OK)
            status = consume_item(feed, item, errmsg);
        if (status != VIND_OK)
            g_atomic_int_set(&p.stop, 1); /* drain what is prepared, then end */
        g_async_queue_push(p.credits, item);
    }
    g_thread_join(thread);
    for (gpointer credit; (credit = g_async_queue_try_pop(p.credits)) != NULL;)
        take_credit(credit);
    g_async_queue_unref(p.ready);
    g_async_queue_unref(p.credits);
    return status;
}

static vind_status_t read_feed(feed_t *feed, FILE *in, char **errmsg)
{
    vind_index_t *index = feed->run->index;
    const vind_index_options_t *opts = feed->run->opts;
    /* JSON escaping at most doubles most text: twice the file limit (a
     * limit past SIZE_MAX / 2 is no limit, not a wrapped one). */
    size_t file_max = opts->extract.max_bytes ? opts->extract.max_bytes
                                              : VIND_DEFAULT_MAX_FILE_BYTES;
    size_t max = file_max > SIZE_MAX / 2 ? SIZE_MAX : 2 * file_max;
    unsigned jobs = opts->jobs ? opts->jobs : g_get_num_processors();
    line_reader_t *lines = g_new0(line_reader_t, 1);
    lines->in = in;
    reader_side_t side = {.index = index, .opts = opts, .lines = lines, .max = max,
                          .buffer = g_string_sized_new(65536), .analyzer = index->analyzer};
    vind_status_t status = VIND_OK;
    if (jobs > 1) {
        status = vind_analyzer_new(index->lexicon, &side.analyzer, errmsg);
        if (status == VIND_OK && vind_xapian_reader_open(index->path, &side.reader, NULL) != VIND_OK)
            side.reader = NULL; /* then the writer's view decides alone */
    } else {
        side.reader = index->reader; /* the writer's own view: the hint is the answer */
    }
    if (status == VIND_OK)
        status = jobs > 1 ? read_feed_pipelined(feed, &side, errmsg)
                          : read_feed_inline(feed, &side, errmsg);
    if (side.analyzer != index->analyzer)
        vind_analyzer_free(side.analyzer);
    if (side.reader != index->reader)
        vind_xapian_reader_close(side.reader);
    g_string_free(side.buffer, TRUE);
    g_free(lines);
    return status;
}

vind_status_t vind_index_records(vind_index_t *index, FILE *in, const char *name,
                                 const vind_index_options_t *opts, vind_index_report_t *report,
                                 char **errmsg)
{
    vind_index_report_t scratch;
    report = clear_report(report, &scratch);
    if (!index || !in || !opts)
        return vind_error(errmsg, VIND_INVALID_ARGUMENT, "vind_index_records: missing argument");
    if (opts->jobs > VIND_MAX_INDEX_JOBS)
        return vind_error(errmsg, VIND_INVALID_ARGUMENT, "%u jobs: at most %u", opts->jobs,
                          VIND_MAX_INDEX_JOBS);
    if (index->schema_version != index->write_version || index->analyzer_stale)
        return vind_error(errmsg, VIND_SCHEMA_MISMATCH,
                          "%s must be rebuilt (another schema or analyzer): run vind-index "
                          "over the files, or index the feed into a new index",
                          index->path);
    double started = g_get_monotonic_time() / 1e6;
    index->run_started_us = g_get_real_time();
    run_t run = {.index = index, .opts = opts, .report = report};
    feed_t feed = {.run = &run, .name = name ? name : "-"};
    vind_status_t status = finish_run(index, read_feed(&feed, in, errmsg), errmsg);
    report->seconds = g_get_monotonic_time() / 1e6 - started;
    return status;
}
