/*
 * test_shards.c - sharded databases in the wrapper (include/vind/xapian.h,
 * docs/scaling.md "Shards"): a stub folder of glass shards written through
 * one writer with global (interleaved) docids, documents routed by their
 * unique term, a document's metadata kept in its shard under its local
 * docid, the index's own metadata in every shard, and the reader that sees
 * the shards as one database.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <vind/xapian.h>
#include "check.h"
#include "temp_tree.h"

#define SHARDS 3
#define DOCS 40

static char base_dir[] = "/tmp/vind-test-shards-XXXXXX";

static char *path_of(const char *name)
{
    static char path[4096];
    snprintf(path, sizeof path, "%s/%s", base_dir, name);
    return path;
}

/* Document i: unique term Q/doc/<i>/, the word "zorg", its number as a value. */
static uint32_t put_document(vind_xapian_writer_t *writer, int i)
{
    char unique[64], number[16];
    snprintf(unique, sizeof unique, "Q/doc/%d/", i);
    snprintf(number, sizeof number, "%d", i);
    vind_xapian_document_t *document = vind_xapian_document_new();
    uint32_t docid = 0;
    if (vind_xapian_document_add_boolean_term(document, unique, NULL) == VIND_OK &&
        vind_xapian_document_add_posting(document, "zorg", 1, 1, NULL) == VIND_OK &&
        vind_xapian_document_add_value(document, 5, number, strlen(number), NULL) == VIND_OK)
        vind_xapian_writer_replace_document_by_term(writer, unique, document, &docid, NULL);
    vind_xapian_document_free(document);
    return docid;
}

static void text_key(char *key, size_t size, uint32_t docid)
{
    snprintf(key, size, VIND_XAPIAN_DOC_KEY_PREFIX "%u:0:0", docid);
}

static void test_write(uint32_t *docids)
{
    vind_xapian_writer_t *writer = NULL;
    CHECK_INT(vind_xapian_writer_open_shards(path_of("db"), SHARDS, &writer, NULL), VIND_OK,
              "a new folder is created as 3 shards");
    CHECK_INT(vind_xapian_writer_shards(writer), SHARDS, "the writer writes 3 shards");
    int all = 1;
    for (int i = 0; i < DOCS; i++) {
        docids[i] = put_document(writer, i);
        char key[64], text[32];
        text_key(key, sizeof key, docids[i]);
        snprintf(text, sizeof text, "tekst van %d", i);
        all = all && docids[i] != 0 &&
              vind_xapian_writer_set_metadata(writer, key, text, strlen(text), NULL) == VIND_OK;
    }
    CHECK(all, "40 documents and their text stored");
    CHECK_INT(vind_xapian_writer_set_metadata(writer, "vind:schema", "3", 1, NULL), VIND_OK,
              "the index's own metadata stored");
    CHECK_INT(vind_xapian_writer_commit(writer, NULL), VIND_OK, "the shards commit");
    /* An update finds the document in its shard: same docid. */
    CHECK_INT(put_document(writer, 7), docids[7], "a replaced document keeps its global docid");
    uint32_t count = 0;
    vind_xapian_writer_doc_count(writer, &count, NULL);
    CHECK_INT(count, DOCS, "the writer counts every shard's documents");
    uint32_t found = 0;
    vind_xapian_writer_docid_for_term(writer, "Q/doc/13/", &found, NULL);
    CHECK_INT(found, docids[13], "a unique term gives the global docid");
    CHECK_INT(vind_xapian_writer_delete_document(writer, docids[20], NULL), VIND_OK,
              "a document deleted by its global docid");
    CHECK_INT(vind_xapian_writer_set_value(writer, docids[21], 10, "groep", 5, NULL), VIND_OK,
              "a value set by global docid");
    CHECK_INT(vind_xapian_writer_commit(writer, NULL), VIND_OK, "the change commits");
    vind_xapian_writer_close(writer);

    writer = NULL;
    CHECK_INT(vind_xapian_writer_open_shards(path_of("db"), 2, &writer, NULL),
              VIND_INVALID_ARGUMENT, "another number of shards is refused");
    CHECK_INT(vind_xapian_writer_open(path_of("db"), 0, &writer, NULL), VIND_OK,
              "vind_xapian_writer_open opens the stub's shards");
    CHECK_INT(vind_xapian_writer_shards(writer), SHARDS, "and finds 3");
    vind_xapian_writer_close(writer);
}

static void test_read(const uint32_t *docids)
{
    vind_xapian_reader_t *reader = NULL;
    CHECK_INT(vind_xapian_reader_open(path_of("db"), &reader, NULL), VIND_OK,
              "the stub folder opens for reading");
    uint32_t count = 0;
    vind_xapian_reader_doc_count(reader, &count, NULL);
    CHECK_INT(count, DOCS - 1, "the reader sees every shard");
    int texts = 1, spread[SHARDS] = {0};
    for (int i = 0; i < DOCS; i++) {
        if (i == 20)
            continue;
        char key[64], expected[32], *value = NULL;
        text_key(key, sizeof key, docids[i]);
        snprintf(expected, sizeof expected, "tekst van %d", i);
        texts = texts && vind_xapian_reader_get_metadata(reader, key, &value, NULL, NULL) == VIND_OK &&
                strcmp(value, expected) == 0;
        free(value);
        spread[(docids[i] - 1) % SHARDS]++;
    }
    /* Docid 1 is local docid 1 of shard 0: its key reads the same in both
     * numberings, and was once taken for the index's own metadata. */
    CHECK(texts, "every document's text is read from its shard by its global docid");
    CHECK(spread[0] > 0 && spread[1] > 0 && spread[2] > 0, "the hash spreads documents over every shard");
    char *value = NULL;
    CHECK_INT(vind_xapian_reader_get_metadata(reader, "vind:schema", &value, NULL, NULL), VIND_OK,
              "the index's own metadata reads from the first shard");
    free(value);
    value = NULL;
    size_t length = 0;
    vind_xapian_reader_get_value(reader, docids[21], 10, &value, &length, NULL);
    CHECK(value && strcmp(value, "groep") == 0, "the value set by global docid reads back");
    free(value);
    uint64_t revision = 0;
    CHECK_INT(vind_xapian_reader_revision(reader, &revision, NULL), VIND_OK,
              "a sharded reader has a revision");
    CHECK(revision >= SHARDS, "the sum of its shards' revisions (each committed once at least)");
    vind_xapian_reader_close(reader);

    /* Each shard is a whole database: its document's text under the local docid. */
    char shard[4200];
    uint32_t local = (docids[5] - 1) / SHARDS + 1;
    snprintf(shard, sizeof shard, "%s/shard-%u", path_of("db"), (docids[5] - 1) % SHARDS);
    CHECK_INT(vind_xapian_reader_open(shard, &reader, NULL), VIND_OK, "a shard opens alone");
    char key[64];
    text_key(key, sizeof key, local);
    value = NULL;
    vind_xapian_reader_get_metadata(reader, key, &value, NULL, NULL);
    CHECK(value && strcmp(value, "tekst van 5") == 0, "a shard holds its document's text under the local docid");
    free(value);
    value = NULL;
    CHECK_INT(vind_xapian_reader_get_metadata(reader, "vind:schema", &value, NULL, NULL), VIND_OK,
              "every shard holds the index's own metadata");
    free(value);
    vind_xapian_reader_close(reader);
}

static void test_refusals(void)
{
    vind_xapian_writer_t *writer = NULL;
    CHECK_INT(vind_xapian_writer_open(path_of("one"), 1, &writer, NULL), VIND_OK, "one database");
    vind_xapian_writer_close(writer);
    writer = NULL;
    CHECK_INT(vind_xapian_writer_open_shards(path_of("one"), 2, &writer, NULL),
              VIND_INVALID_ARGUMENT, "one database is not opened as shards");
    CHECK_INT(vind_xapian_writer_open_shards(path_of("x"), 1, &writer, NULL),
              VIND_INVALID_ARGUMENT, "one shard is refused");
    mkdir(path_of("remote"), 0755);
    FILE *stub = fopen(path_of("remote/XAPIANDB"), "w");
    if (stub) {
        fputs("remote 127.0.0.1:1\n", stub);
        fclose(stub);
    }
    CHECK_INT(vind_xapian_writer_open(path_of("remote"), 0, &writer, NULL), VIND_XAPIAN,
              "a stub of remote shards is not written");
    vind_xapian_reader_t *reader = NULL;
    CHECK_INT(vind_xapian_reader_open(path_of("remote"), &reader, NULL), VIND_UNAVAILABLE,
              "a remote shard nobody serves: VIND_UNAVAILABLE");
    /* Stubs that misplace the shards of db (3 of them): every reader and
     * writer refuses, naming the shard; a shard listed twice was served
     * with each of its documents twice (session 10's probe). */
    static const char *const misplaced[][2] = {
        {"auto %1$s/shard-0\nauto %1$s/shard-0\nauto %1$s/shard-2\n", "a shard listed twice"},
        {"auto %1$s/shard-1\nauto %1$s/shard-0\nauto %1$s/shard-2\n", "shards in another order"},
        {"auto %1$s/shard-0\nauto %1$s/shard-1\n", "a shard left out"},
        {"auto %1$s/shard-0\nauto %1$s/shard-1\nauto %1$s/shard-2\nauto %1$s/shard-2\n",
         "a shard too many"},
    };
    mkdir(path_of("misplaced"), 0755);
    for (size_t i = 0; i < sizeof misplaced / sizeof *misplaced; i++) {
        char db[4096];
        snprintf(db, sizeof db, "%s", path_of("db"));
        stub = fopen(path_of("misplaced/XAPIANDB"), "w");
        if (stub) {
            fprintf(stub, misplaced[i][0], db);
            fclose(stub);
        }
        char *errmsg = NULL;
        reader = NULL;
        vind_status_t status = vind_xapian_reader_open(path_of("misplaced"), &reader, &errmsg);
        char what[200];
        snprintf(what, sizeof what, "%s: the reader refuses, saying so", misplaced[i][1]);
        CHECK(status != VIND_OK && errmsg && strstr(errmsg, "lists each shard of one index once"),
              what);
        free(errmsg);
        vind_xapian_reader_close(reader);
        errmsg = NULL;
        writer = NULL;
        status = vind_xapian_writer_open(path_of("misplaced"), 0, &writer, &errmsg);
        snprintf(what, sizeof what, "%s: the writer refuses", misplaced[i][1]);
        CHECK(status != VIND_OK, what);
        free(errmsg);
        vind_xapian_writer_close(writer);
    }
}

/*
 * term_in over a stub whose first shard is remote (xapian-progsrv, the
 * remote protocol over a pipe): a remote posting list cannot be skipped
 * through, only sent whole, so a document of the remote shard "may hold"
 * the term (1: the caller looks its positions up), and one of a local shard
 * is checked on that shard's list.
 */
static void test_term_in_remote(const uint32_t *docids)
{
    if (access("/usr/bin/xapian-progsrv", X_OK) != 0) {
        SKIP("term_in over a remote shard: no xapian-progsrv (xapian-tools)");
        return;
    }
    mkdir(path_of("mixed"), 0755);
    FILE *stub = fopen(path_of("mixed/XAPIANDB"), "w");
    if (stub) {
        fprintf(stub, "remote /usr/bin/xapian-progsrv %s/shard-0\n", path_of("db"));
        fprintf(stub, "auto %s/shard-1\nauto %s/shard-2\n", path_of("db"), path_of("db"));
        fclose(stub);
    }
    vind_xapian_reader_t *reader = NULL;
    CHECK_INT(vind_xapian_reader_open(path_of("mixed"), &reader, NULL), VIND_OK,
              "a stub of a remote and two local shards opens");
    uint32_t sorted[DOCS];
    size_t n = 0;
    for (uint32_t docid = 1; n < DOCS && docid <= 3 * DOCS; docid++)
        for (int i = 0; i < DOCS; i++)
            if (i != 20 && docids[i] == docid)
                sorted[n++] = docid;
    unsigned char present[DOCS];
    CHECK_INT(vind_xapian_reader_term_in(reader, "Q/doc/13/", sorted, n, present, NULL), VIND_OK,
              "term_in over the mixed stub");
    int right = 1, remote = 0;
    for (size_t i = 0; i < n; i++) {
        int in_remote = (sorted[i] - 1) % SHARDS == 0;
        remote += in_remote;
        right = right && present[i] == (in_remote || sorted[i] == docids[13]);
    }
    CHECK(right && remote > 0,
          "a local shard's documents are checked (only document 13 holds its unique term), a "
          "remote shard's may hold it");
    vind_xapian_reader_close(reader);
}

int main(void)
{
    if (mkdtemp(base_dir) == NULL) {
        perror("mkdtemp");
        return 1;
    }
    uint32_t docids[DOCS] = {0};
    test_write(docids);
    test_read(docids);
    test_refusals();
    test_term_in_remote(docids);
    remove_tree(base_dir);
    return check_done();
}
