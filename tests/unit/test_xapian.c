/*
 * test_xapian.c - the C face of Xapian (include/vind/xapian.h): writing,
 * reading, queries, ranking, sorting, facets, expand, spelling, synonyms,
 * metadata, transactions and every error path, on small Dutch documents in a
 * temporary directory.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <vind/xapian.h>
#include "check.h"
#include "temp_tree.h"

static char base_dir[] = "/tmp/vind-test-xapian-XXXXXX";

static char *database_path(const char *name)
{
    static char path[4096];
    snprintf(path, sizeof path, "%s/%s", base_dir, name);
    return path;
}

/* Adds the space-separated words of text at positions from first_position on. */
static int add_words(vind_xapian_document_t *document, const char *text, uint32_t first_position)
{
    char *copy = strdup(text);
    int ok = copy != NULL;
    uint32_t position = first_position;
    char *save = NULL;
    for (char *word = strtok_r(copy, " ", &save); ok && word != NULL;
         word = strtok_r(NULL, " ", &save))
        ok = vind_xapian_document_add_posting(document, word, position++, 1, NULL) == VIND_OK;
    free(copy);
    return ok;
}

typedef struct {
    const char *url;
    const char *body;
    const char *date;
    const char *type;
    const char *tags; /* 0x1F-joined */
} sample_t;

/* A document as lib/index.c would make it: unique term, words, type term, values, data. */
static vind_xapian_document_t *make_document(const sample_t *sample)
{
    vind_xapian_document_t *document = vind_xapian_document_new();
    if (document == NULL)
        return NULL;
    char term[512];
    int ok = 1;
    snprintf(term, sizeof term, "Q%s", sample->url);
    ok = ok && vind_xapian_document_add_boolean_term(document, term, NULL) == VIND_OK;
    ok = ok && add_words(document, sample->body, 1000);
    snprintf(term, sizeof term, "XTYPE%s", sample->type);
    ok = ok && vind_xapian_document_add_boolean_term(document, term, NULL) == VIND_OK;
    ok = ok && vind_xapian_document_add_value(document, 0, sample->date, strlen(sample->date),
                                              NULL) == VIND_OK;
    ok = ok && vind_xapian_document_add_value(document, 2, sample->type, strlen(sample->type),
                                              NULL) == VIND_OK;
    if (sample->tags != NULL) {
        ok = ok && vind_xapian_document_add_value(document, 3, sample->tags, strlen(sample->tags),
                                                  NULL) == VIND_OK;
        /* Tag terms: "K" + each tag, lower-cased by hand here. */
        char tags[256];
        snprintf(tags, sizeof tags, "%s", sample->tags);
        char *save = NULL;
        for (char *tag = strtok_r(tags, "\x1f", &save); ok && tag != NULL;
             tag = strtok_r(NULL, "\x1f", &save)) {
            snprintf(term, sizeof term, "K%s", tag);
            for (char *c = term + 1; *c; c++)
                if (*c >= 'A' && *c <= 'Z')
                    *c = (char)(*c - 'A' + 'a');
            ok = vind_xapian_document_add_boolean_term(document, term, NULL) == VIND_OK;
        }
    }
    ok = ok && vind_xapian_document_add_value(document, 5, sample->url, strlen(sample->url),
                                              NULL) == VIND_OK;
    char data[512];
    snprintf(data, sizeof data, "{\"url\":\"%s\"}", sample->url);
    ok = ok && vind_xapian_document_set_data(document, data, strlen(data), NULL) == VIND_OK;
    if (!ok) {
        vind_xapian_document_free(document);
        return NULL;
    }
    return document;
}

static const sample_t samples[] = {
    {"https://example.nl/ouderenzorg", "de zorg voor ouderen in het verpleeghuis", "20210101",
     "article", "Zorg\x1fWonen"},
    {"https://example.nl/kosten.pdf", "verpleeghuis zorg kosten stijgen", "20220505", "pdf",
     "Zorg"},
    {"https://example.nl/wijk", "wonen en zorg in de wijk", "20200303", "article",
     "Wonen\x1fWijk\x1fWonen"},
    {"https://example.nl/belasting", "belasting aangifte doen", "20230101", "page", NULL},
};
#define SAMPLE_COUNT (sizeof samples / sizeof samples[0])

static int add_sample(vind_xapian_writer_t *writer, const sample_t *sample, uint32_t *docid)
{
    vind_xapian_document_t *document = make_document(sample);
    char term[512];
    snprintf(term, sizeof term, "Q%s", sample->url);
    char *message = NULL;
    vind_status_t status =
        vind_xapian_writer_replace_document_by_term(writer, term, document, docid, &message);
    if (status != VIND_OK)
        printf("# add %s: %s\n", sample->url, message ? message : "?");
    free(message);
    vind_xapian_document_free(document);
    return status == VIND_OK;
}

/* Runs query over reader (consuming it) and returns the docids, in order, as "1 2 3". */
static char *run_query(vind_xapian_reader_t *reader, vind_xapian_query_t *query)
{
    static _Thread_local char text[1024]; /* per thread: test_threads */
    text[0] = '\0';
    vind_xapian_enquire_t *enquire = NULL;
    vind_xapian_mset_t *mset = NULL;
    if (query == NULL || vind_xapian_enquire_new(reader, &enquire, NULL) != VIND_OK ||
        vind_xapian_enquire_set_query(enquire, query, NULL) != VIND_OK ||
        vind_xapian_enquire_run(enquire, 0, 100, 100, &mset, NULL) != VIND_OK) {
        snprintf(text, sizeof text, "error");
    } else {
        for (size_t i = 0; i < mset->count; i++) {
            size_t used = strlen(text);
            snprintf(text + used, sizeof text - used, "%s%u", i ? " " : "", mset->docids[i]);
        }
    }
    vind_xapian_mset_free(mset);
    vind_xapian_enquire_free(enquire);
    vind_xapian_query_free(query);
    return text;
}

/* Sorted docids of a query, so that tests of matching do not depend on ranking. */
static char *run_query_sorted(vind_xapian_reader_t *reader, vind_xapian_query_t *query)
{
    char *text = run_query(reader, query);
    unsigned ids[64];
    size_t count = 0;
    char *save = NULL;
    char copy[1024];
    snprintf(copy, sizeof copy, "%s", text);
    if (strcmp(copy, "error") == 0)
        return text;
    for (char *id = strtok_r(copy, " ", &save); id && count < 64; id = strtok_r(NULL, " ", &save))
        ids[count++] = (unsigned)strtoul(id, NULL, 10);
    for (size_t i = 1; i < count; i++)
        for (size_t j = i; j > 0 && ids[j - 1] > ids[j]; j--) {
            unsigned swap = ids[j];
            ids[j] = ids[j - 1];
            ids[j - 1] = swap;
        }
    text[0] = '\0';
    for (size_t i = 0; i < count; i++) {
        size_t used = strlen(text);
        snprintf(text + used, 1024 - used, "%s%u", i ? " " : "", ids[i]);
    }
    return text;
}

static vind_xapian_query_t *term(const char *word)
{
    return vind_xapian_query_term(word, 1, 0);
}

static vind_xapian_query_t *phrase2(const char *first, const char *second, uint32_t window,
                                    int near)
{
    vind_xapian_query_t *children[2] = {vind_xapian_query_term(first, 1, 1),
                                        vind_xapian_query_term(second, 1, 2)};
    return near ? vind_xapian_query_near(children, 2, window)
                : vind_xapian_query_phrase(children, 2, window);
}

static vind_xapian_query_t *combine2(vind_xapian_op_t op, vind_xapian_query_t *left,
                                     vind_xapian_query_t *right)
{
    vind_xapian_query_t *children[2] = {left, right};
    return vind_xapian_query_compound(op, children, 2);
}

static void test_sortable(void)
{
    char small[VIND_XAPIAN_SORTABLE_MAX], large[VIND_XAPIAN_SORTABLE_MAX];
    size_t small_length = vind_xapian_sortable_serialise(-3.5, small);
    size_t large_length = vind_xapian_sortable_serialise(2021.0, large);
    CHECK(small_length >= 1 && small_length <= VIND_XAPIAN_SORTABLE_MAX,
          "sortable_serialise writes 1-9 bytes");
    size_t common = small_length < large_length ? small_length : large_length;
    int order = memcmp(small, large, common);
    CHECK(order < 0 || (order == 0 && small_length < large_length),
          "sortable_serialise: byte order follows numeric order");
    CHECK(vind_xapian_sortable_unserialise(large, large_length) == 2021.0,
          "sortable_unserialise inverts sortable_serialise");
    CHECK(vind_xapian_sortable_unserialise(NULL, 0) == 0.0, "sortable_unserialise(NULL) is 0");
    CHECK(strncmp(vind_xapian_version(), "1.", 2) == 0, "vind_xapian_version names Xapian 1.x");
}

/* A new writer on database_path(name), or NULL after a failed CHECK(0, what). */
static vind_xapian_writer_t *new_writer(const char *name, const char *what)
{
    vind_xapian_writer_t *writer = NULL;
    if (vind_xapian_writer_open(database_path(name), 1, &writer, NULL) != VIND_OK)
        CHECK(0, what);
    return writer;
}

/* writer_set_value changes one value of a stored document and nothing else;
 * reader_value_count counts the documents with a value in a slot (the
 * near-duplicate group keys: lib/index.c, lib/searcher.c). */
static void test_set_value(void)
{
    const char *path = database_path("set-value");
    vind_xapian_writer_t *writer = new_writer("set-value", "writer_open for set_value");
    if (!writer)
        return;
    uint32_t docids[SAMPLE_COUNT] = {0};
    for (size_t i = 0; i < SAMPLE_COUNT; i++)
        add_sample(writer, &samples[i], &docids[i]);
    CHECK_INT(vind_xapian_writer_set_value(writer, docids[1], 10, "0123456789abcdef", 16, NULL),
              VIND_OK, "writer_set_value");
    CHECK_INT(vind_xapian_writer_set_value(writer, 77, 10, "x", 1, NULL), VIND_NOT_FOUND,
              "writer_set_value of a missing docid: VIND_NOT_FOUND");
    CHECK_INT(vind_xapian_writer_commit(writer, NULL), VIND_OK, "commit");
    vind_xapian_reader_t *reader = NULL;
    CHECK_INT(vind_xapian_reader_open(path, &reader, NULL), VIND_OK, "reader_open");
    uint32_t count = 99;
    CHECK_INT(vind_xapian_reader_value_count(reader, 10, &count, NULL), VIND_OK,
              "reader_value_count");
    CHECK_INT(count, 1, "one document has a value in slot 10");
    vind_xapian_reader_value_count(reader, 3, &count, NULL);
    CHECK_INT(count, 3, "three documents have tags (slot 3)");
    char *value = NULL;
    size_t length = 0;
    vind_xapian_reader_get_value(reader, docids[1], 10, &value, &length, NULL);
    CHECK(value && length == 16 && strcmp(value, "0123456789abcdef") == 0, "the value set");
    free(value);
    value = NULL;
    vind_xapian_reader_get_value(reader, docids[1], 5, &value, &length, NULL);
    CHECK_STR(value, samples[1].url, "the document's other values stay");
    free(value);
    uint32_t docid = 0;
    vind_xapian_writer_docid_for_term(writer, "Qhttps://example.nl/kosten.pdf", &docid, NULL);
    CHECK_INT(docid, docids[1], "its terms stay");
    vind_xapian_reader_close(reader);
    vind_xapian_writer_close(writer);
}

/* Writes n metadata values of `size` bytes ("vind:text:test:<i>", each
 * filled with the letter 'a' + i % 26) and commits. */
static int write_values(vind_xapian_writer_t *writer, int n, size_t size)
{
    char *text = malloc(size);
    int ok = text != NULL;
    for (int i = 0; ok && i < n; i++) {
        char key[64];
        snprintf(key, sizeof key, "vind:text:test:%d", i);
        memset(text, 'a' + i % 26, size);
        ok = vind_xapian_writer_set_metadata(writer, key, text, size, NULL) == VIND_OK;
    }
    free(text);
    return ok && vind_xapian_writer_commit(writer, NULL) == VIND_OK;
}

/* Whether the reader reads value i as written by write_values (letter, size). */
static int reads_back(vind_xapian_reader_t *reader, int i, char letter, size_t size)
{
    char key[64], *value = NULL;
    size_t length = 0;
    snprintf(key, sizeof key, "vind:text:test:%d", i);
    int ok = vind_xapian_reader_get_metadata(reader, key, &value, &length, NULL) == VIND_OK &&
             length == size && value[0] == letter && value[size - 1] == letter;
    free(value);
    return ok;
}

/* Issue 12: the reader's cache stays within its byte budget whatever is
 * read, keeps no value over a quarter of it, and forgets everything when a
 * reopen finds a new revision (a value changed since reads as changed). */
static void test_read_cache(void)
{
    const char *path = database_path("read-cache");
    vind_xapian_writer_t *writer = NULL;
    vind_xapian_reader_t *reader = NULL;
    if (vind_xapian_writer_open(path, 1, &writer, NULL) != VIND_OK ||
        !write_values(writer, 100, 1000) ||
        vind_xapian_reader_open(path, &reader, NULL) != VIND_OK) {
        CHECK(0, "a database of 100 values of 1,000 bytes");
        vind_xapian_writer_close(writer);
        return;
    }
    CHECK_INT(vind_xapian_reader_cache_bytes(reader), 0, "no cache unless asked for");
    vind_xapian_reader_set_cache(reader, 20000);
    int all = 1;
    size_t most = 0;
    for (int round = 0; round < 3; round++)
        for (int i = 0; i < 100; i++) {
            all &= reads_back(reader, i, (char)('a' + i % 26), 1000);
            size_t used = vind_xapian_reader_cache_bytes(reader);
            most = used > most ? used : most;
        }
    CHECK(all, "300 reads through a cache of 20 kB answer what was written");
    CHECK(most > 10000 && most <= 20000,
          "the cache fills up to its budget of 20,000 bytes, never past it");
    vind_xapian_reader_set_cache(reader, 3000);
    size_t before = vind_xapian_reader_cache_bytes(reader);
    CHECK(reads_back(reader, 7, 'h', 1000) && vind_xapian_reader_cache_bytes(reader) == before,
          "a value over a quarter of the budget is read, not kept");
    vind_xapian_reader_set_cache(reader, 20000);
    CHECK(reads_back(reader, 1, 'b', 1000) && vind_xapian_reader_cache_bytes(reader) > 0, "cached");
    CHECK(write_values(writer, 2, 500), "two values rewritten and committed");
    int changed = 0;
    CHECK(vind_xapian_reader_reopen(reader, &changed, NULL) == VIND_OK && changed &&
              vind_xapian_reader_cache_bytes(reader) == 0,
          "a reopen onto the new revision empties the cache");
    CHECK(reads_back(reader, 1, 'b', 500), "the rewritten value reads as rewritten");
    vind_xapian_reader_close(reader);
    vind_xapian_writer_close(writer);
}

/* Whether metadata i of write_values reads into a buffer of room bytes
 * (read_metadata) as written: the first min(room, size) bytes, the whole
 * length told, and the bytes past them untouched. */
static int reads_into(vind_xapian_reader_t *reader, int i, char letter, size_t size, size_t room)
{
    char key[64], buffer[1100];
    size_t length = 0, copied = room < size ? room : size;
    snprintf(key, sizeof key, "vind:text:test:%d", i);
    memset(buffer, '#', sizeof buffer);
    int ok = vind_xapian_reader_read_metadata(reader, key, buffer, room, &length, NULL) ==
                 VIND_OK &&
             length == size;
    for (size_t k = 0; ok && k < copied; k++)
        ok = buffer[k] == letter;
    return ok && buffer[copied] == '#';
}

/* Issue 12: read_metadata copies straight into the caller's buffer, cached
 * or not, and its cache (open addressing, an entry per allocation) answers
 * what was written whatever the order of reads and evictions: 2,000 reads
 * in a scattered order through a budget that holds ~10 of 100 entries
 * (every read may evict; a table that lost an entry, or answered another's
 * value, fails), document values and metadata of the same bytes kept apart,
 * and an absent key told as such. */
static void test_read_metadata(void)
{
    const char *path = database_path("read-metadata");
    vind_xapian_writer_t *writer = NULL;
    vind_xapian_reader_t *reader = NULL;
    vind_xapian_document_t *document = vind_xapian_document_new();
    uint32_t docid = 0;
    int made = vind_xapian_writer_open(path, 1, &writer, NULL) == VIND_OK &&
               write_values(writer, 100, 1000) && document &&
               vind_xapian_document_add_value(document, 7, "seven", 5, NULL) == VIND_OK &&
               vind_xapian_writer_add_document(writer, document, &docid, NULL) == VIND_OK &&
               vind_xapian_writer_commit(writer, NULL) == VIND_OK &&
               vind_xapian_reader_open(path, &reader, NULL) == VIND_OK;
    vind_xapian_document_free(document);
    if (!made) {
        CHECK(0, "a database of 100 metadata values of 1,000 bytes and a document");
        vind_xapian_writer_close(writer);
        return;
    }
    const size_t budgets[] = {0, 12000, 1 << 20};
    for (size_t b = 0; b < sizeof budgets / sizeof *budgets; b++) {
        vind_xapian_reader_set_cache(reader, budgets[b]);
        int all = 1, found_again = 1;
        size_t most = 0;
        for (int n = 0; n < 2000; n++) {
            int i = (n * 37 + n / 100) % 100; /* every value, in a scattered order */
            size_t room = n % 3 == 0 ? 1000 : n % 3 == 1 ? 1100 : 10;
            all &= reads_into(reader, i, (char)('a' + i % 26), 1000, room);
            size_t used = vind_xapian_reader_cache_bytes(reader);
            most = used > most ? used : most;
            /* read again at once: found (nothing kept anew), never lost to an eviction */
            all &= reads_back(reader, i, (char)('a' + i % 26), 1000);
            found_again &= vind_xapian_reader_cache_bytes(reader) == used;
        }
        printf("# budget %zu: at most %zu bytes cached\n", budgets[b], most);
        CHECK(all, "2,000 reads into buffers of 10, 1,000 and 1,100 bytes answer what was written "
                   "(read cache 0, 12 kB, 1 MB)");
        CHECK(most <= budgets[b], "the cache stays within its budget");
        CHECK(found_again, "a value just read is found in the cache when read again");
        char *value = NULL;
        size_t length = 0;
        CHECK(vind_xapian_reader_get_value(reader, docid, 7, &value, &length, NULL) == VIND_OK &&
                  length == 5 && strcmp(value, "seven") == 0,
              "a document value beside the metadata reads as written");
        free(value);
    }
    char buffer[8] = "#######";
    size_t length = 99;
    CHECK(vind_xapian_reader_read_metadata(reader, "vind:text:test:none", buffer, sizeof buffer,
                                           &length, NULL) == VIND_NOT_FOUND &&
              length == 0 && buffer[0] == '#',
          "an absent key: VIND_NOT_FOUND, length 0, the buffer untouched");
    CHECK(vind_xapian_reader_read_metadata(reader, "vind:text:test:1", NULL, 4, &length, NULL) ==
              VIND_INVALID_ARGUMENT,
          "no buffer for 4 bytes: an invalid argument");
    CHECK(reads_into(reader, 1, 'b', 1000, 1000), "cached");
    CHECK(write_values(writer, 2, 500), "two values rewritten and committed");
    int changed = 0;
    CHECK(vind_xapian_reader_reopen(reader, &changed, NULL) == VIND_OK && changed &&
              reads_into(reader, 1, 'b', 500, 1000),
          "after a reopen onto the new revision the rewritten value reads as rewritten");
    vind_xapian_reader_close(reader);
    vind_xapian_writer_close(writer);
}

/* Whether a value lent by lend_metadata holds what write_values wrote. */
static int lent_holds(const char *value, size_t length, char letter, size_t size)
{
    int ok = value != NULL && length == size && value[size] == '\0'; /* a C string too */
    for (size_t k = 0; ok && k < size; k++)
        ok = value[k] == letter;
    return ok;
}

/* Issue 12: a lent value (a page map a snippet holds while it reads the
 * page's text) stays as it was while the reader reads on: past the
 * eviction of its cache entry, the emptying of the cache by a reopen onto
 * a new revision, and the reader's close; uncached (budget 0) it is the
 * reader's own read, held alone. Run under valgrind (make
 * check-valgrind), an entry freed while lent fails as a read of freed
 * memory. */
static void test_lend_metadata(void)
{
    const char *path = database_path("lend-metadata");
    vind_xapian_writer_t *writer = NULL;
    vind_xapian_reader_t *reader = NULL;
    if (vind_xapian_writer_open(path, 1, &writer, NULL) != VIND_OK ||
        !write_values(writer, 50, 1000) ||
        vind_xapian_reader_open(path, &reader, NULL) != VIND_OK) {
        CHECK(0, "a database of 50 metadata values of 1,000 bytes");
        vind_xapian_writer_close(writer);
        return;
    }
    const char *uncached = NULL, *cached = NULL, *again = NULL, *absent = NULL;
    size_t uncached_length = 0, cached_length = 0, again_length = 0, absent_length = 9;
    vind_xapian_lent_t *uncached_lent = NULL, *cached_lent = NULL, *again_lent = NULL,
                       *absent_lent = NULL;
    CHECK(vind_xapian_reader_lend_metadata(reader, "vind:text:test:3", &uncached,
                                           &uncached_length, &uncached_lent, NULL) == VIND_OK &&
              lent_holds(uncached, uncached_length, 'd', 1000),
          "lent without a cache");
    vind_xapian_reader_set_cache(reader, 12000);
    CHECK(vind_xapian_reader_lend_metadata(reader, "vind:text:test:4", &cached, &cached_length,
                                           &cached_lent, NULL) == VIND_OK &&
              vind_xapian_reader_cache_bytes(reader) > 0 &&
              vind_xapian_reader_lend_metadata(reader, "vind:text:test:4", &again, &again_length,
                                               &again_lent, NULL) == VIND_OK &&
              again == cached,
          "lent from the cache: a second lend of the key lends the same bytes");
    vind_xapian_lent_free(again_lent);
    int all = 1;
    for (int i = 5; i < 50; i++) /* ~10 entries fit: value 4's is evicted */
        all &= reads_back(reader, i, (char)('a' + i % 26), 1000);
    CHECK(all && lent_holds(cached, cached_length, 'e', 1000) &&
              lent_holds(uncached, uncached_length, 'd', 1000),
          "45 reads through the cache later (its entry evicted) the lent values are unchanged");
    CHECK(vind_xapian_reader_lend_metadata(reader, "vind:text:test:none", &absent,
                                           &absent_length, &absent_lent, NULL) ==
                  VIND_NOT_FOUND &&
              absent == NULL && absent_length == 0 && absent_lent == NULL,
          "an absent key: VIND_NOT_FOUND and nothing lent");
    CHECK(vind_xapian_reader_lend_metadata(reader, "vind:text:test:6", &again, &again_length,
                                           &again_lent, NULL) == VIND_OK,
          "lent again from the cache");
    int changed = 0;
    CHECK(write_values(writer, 7, 500) &&
              vind_xapian_reader_reopen(reader, &changed, NULL) == VIND_OK && changed &&
              vind_xapian_reader_cache_bytes(reader) == 0 &&
              lent_holds(again, again_length, 'g', 1000) && reads_back(reader, 6, 'g', 500),
          "a reopen empties the cache: the lent value is the old revision's, a new read the new");
    vind_xapian_reader_close(reader);
    CHECK(lent_holds(again, again_length, 'g', 1000) && lent_holds(cached, cached_length, 'e', 1000),
          "lent values outlive the reader's close");
    vind_xapian_lent_free(again_lent);
    vind_xapian_lent_free(cached_lent);
    vind_xapian_lent_free(uncached_lent);
    vind_xapian_lent_free(NULL);
    vind_xapian_writer_close(writer);
}

static int equals_filter(void *data, size_t index, const char *value, size_t length);

/* A document of test_facet_ordinals: four facets, each in a slot of its
 * own (100-103) and packed as fields of slot 9 (0x1E between fields, 0x1F
 * between the tags). */
static int add_faceted(vind_xapian_writer_t *writer, int i, int variant)
{
    char unique[32], year[8], tags[16], theme[8], packed[64];
    snprintf(unique, sizeof unique, "Q%d", i);
    snprintf(year, sizeof year, "%d", variant ? 1999 : 2000 + i % 3);
    snprintf(tags, sizeof tags, "t%d\x1ft%d", variant ? 9 : i % 4, (i + 1) % 4);
    /* variant 2: the themes change too (th2 for th1) */
    snprintf(theme, sizeof theme, i % 5 == 0 ? "" : "th%d", variant == 2 && i % 2 ? 2 : i % 2);
    const char *type = i % 2 ? "pdf" : "page";
    snprintf(packed, sizeof packed, "%s\x1e%s\x1e%s\x1e%s", year, type, tags, theme);
    vind_xapian_document_t *document = vind_xapian_document_new();
    int ok = document != NULL &&
             vind_xapian_document_add_boolean_term(document, unique, NULL) == VIND_OK &&
             vind_xapian_document_add_boolean_term(document, "Xall", NULL) == VIND_OK &&
             vind_xapian_document_add_value(document, 100, year, strlen(year), NULL) == VIND_OK &&
             vind_xapian_document_add_value(document, 101, type, strlen(type), NULL) == VIND_OK &&
             vind_xapian_document_add_value(document, 102, tags, strlen(tags), NULL) == VIND_OK &&
             (!*theme ||
              vind_xapian_document_add_value(document, 103, theme, strlen(theme), NULL) == VIND_OK) &&
             vind_xapian_document_add_value(document, 9, packed, strlen(packed), NULL) == VIND_OK &&
             vind_xapian_writer_replace_document_by_term(writer, unique, document, NULL, NULL) ==
                 VIND_OK;
    vind_xapian_document_free(document);
    return ok;
}

/* Every count of a counting pass over all documents with tag t1 and type
 * pdf filtered (multi-select), as one string: packed 1 counts the packed
 * fields (facet ordinals), 0 the slots one by one. */
static char *counted(vind_xapian_reader_t *reader, int packed)
{
    const char *filters[4] = {"", "pdf", "t1", ""};
    vind_xapian_count_slot_t slots[4] = {{100, 0, 0, 0, 9}, {101, 0, 1, 0, 9},
                                         {102, 1, 1, 0, 9}, {103, 0, 0, 0, 9}};
    for (int i = 0; i < 4; i++)
        slots[i].packed_field = packed ? i + 1 : 0;
    vind_xapian_enquire_t *enquire = NULL;
    vind_xapian_mset_t *mset = NULL;
    vind_xapian_query_t *all = term("Xall");
    GString *out = g_string_new(NULL);
    if (vind_xapian_enquire_new(reader, &enquire, NULL) == VIND_OK &&
        vind_xapian_enquire_set_query(enquire, all, NULL) == VIND_OK &&
        vind_xapian_enquire_set_boolean(enquire, NULL) == VIND_OK &&
        vind_xapian_enquire_count_slots(enquire, slots, 4, 0, equals_filter, filters, NULL) ==
            VIND_OK &&
        vind_xapian_enquire_run(enquire, 0, 0, 1000, &mset, NULL) == VIND_OK) {
        g_string_append_printf(out, "passed %u;", (unsigned)vind_xapian_enquire_passed(enquire));
        for (size_t i = 0; i < 4; i++) {
            vind_xapian_facet_t *facet = NULL;
            uint64_t none = 0;
            vind_xapian_enquire_slot_counts(enquire, i, &facet, &none, NULL);
            g_string_append_printf(out, " none %u:", (unsigned)none);
            for (size_t k = 0; facet && k < facet->count; k++)
                g_string_append_printf(out, " %s=%u", facet->items[k].value,
                                       facet->items[k].count);
            vind_xapian_facet_free(facet);
        }
    }
    vind_xapian_mset_free(mset);
    vind_xapian_query_free(all);
    vind_xapian_enquire_free(enquire);
    return g_string_free(out, FALSE);
}

/* A database of 60 documents of add_faceted, its writer kept open in
 * *writer, and a reader of it; NULL (a failed check) when it cannot be made. */
static vind_xapian_reader_t *open_faceted(const char *name, vind_xapian_writer_t **writer)
{
    const char *path = database_path(name);
    vind_xapian_reader_t *reader = NULL;
    int ok = vind_xapian_writer_open(path, 1, writer, NULL) == VIND_OK;
    for (int i = 0; ok && i < 60; i++)
        ok = add_faceted(*writer, i, 0);
    if (!ok || vind_xapian_writer_commit(*writer, NULL) != VIND_OK ||
        vind_xapian_reader_open(path, &reader, NULL) != VIND_OK) {
        CHECK(0, "a database of 60 documents with four facets");
        vind_xapian_writer_close(*writer);
        return NULL;
    }
    return reader;
}

/* Issue 12: facet counts by ordinal (one counter per distinct packed value)
 * equal the counts of every slot read per document: with the reader's
 * ordinals (cache on, twice: the second pass reads no value), with a pass's
 * own (cache off), with a table too small to hold them, and after a reopen
 * onto a revision where documents kept their docids but changed their
 * values (fails when the reader's ordinals outlive the revision). */
static void test_facet_ordinals(void)
{
    vind_xapian_writer_t *writer = NULL;
    vind_xapian_reader_t *reader = open_faceted("facet-ordinals", &writer);
    if (!reader)
        return;
    int ok = 1;
    char *slot_by_slot = counted(reader, 0);
    CHECK(strstr(slot_by_slot, "passed ") && strstr(slot_by_slot, "t1="),
          "counted slot by slot");
    printf("# slot by slot: %s\n", slot_by_slot);
    /* 300, 1,500 and 2,500 bytes: a table full after a few values, the
     * rest counted one by one and merged with the flush (session 16). */
    const size_t budgets[] = {0, 1 << 20, 1 << 20, 300, 1500, 2500};
    for (size_t b = 0; b < sizeof budgets / sizeof *budgets; b++) {
        vind_xapian_reader_set_cache(reader, budgets[b]);
        char *by_ordinal = counted(reader, 1);
        if (strcmp(by_ordinal, slot_by_slot) != 0)
            printf("# read cache %zu bytes, by ordinal: %s\n", budgets[b], by_ordinal);
        CHECK(strcmp(by_ordinal, slot_by_slot) == 0,
              "by ordinal (read cache 0, 1 MB, 1 MB again, 300, 1,500, 2,500 bytes): the same counts");
        g_free(by_ordinal);
    }
    for (int i = 0; ok && i < 60; i += 3)
        ok = add_faceted(writer, i, 1); /* the same docids, other years and tags */
    int changed = 0;
    vind_xapian_reader_set_cache(reader, 1 << 20);
    g_free(counted(reader, 1)); /* the reader's ordinals hold every document */
    CHECK(ok && vind_xapian_writer_commit(writer, NULL) == VIND_OK &&
              vind_xapian_reader_reopen(reader, &changed, NULL) == VIND_OK && changed,
          "half the documents rewritten in place, the reader reopened");
    char *after = counted(reader, 0), *after_ordinal = counted(reader, 1);
    printf("# after the reopen: %s\n", after);
    CHECK(strcmp(after, slot_by_slot) != 0 && strcmp(after_ordinal, after) == 0,
          "after the reopen, counts by ordinal follow the new values");
    g_free(after);
    g_free(after_ordinal);
    g_free(slot_by_slot);
    vind_xapian_reader_close(reader);
    vind_xapian_writer_close(writer);
}

static int sign(int x)
{
    return (x > 0) - (x < 0);
}

/* Whether the reader's ranks of slot order the 60 documents of
 * add_faceted as strcmp orders their values (a missing value as ""). */
static int ranks_follow_values(vind_xapian_reader_t *reader, uint32_t slot)
{
    uint32_t docids[60], ranks[60];
    char *values[60] = {0};
    int ranked = 0, ok = 1;
    for (uint32_t i = 0; i < 60; i++) {
        docids[i] = i + 1;
        ok = ok && vind_xapian_reader_get_value(reader, docids[i], slot, &values[i], NULL, NULL) ==
                       VIND_OK;
    }
    ok = ok && vind_xapian_reader_value_ranks(reader, slot, docids, 60, ranks, &ranked, NULL) ==
                   VIND_OK &&
         ranked;
    for (int i = 0; ok && i < 60; i++)
        for (int j = 0; ok && j < 60; j++)
            ok = sign(strcmp(values[i], values[j])) ==
                 sign((ranks[i] > ranks[j]) - (ranks[i] < ranks[j]));
    for (int i = 0; i < 60; i++)
        free(values[i]);
    return ok;
}

/* Issue 12: ties are ordered by URL ranks, one int per document built once
 * per revision; comparing two ranks must answer what strcmp of the values
 * answers (equal values equal, a missing value lowest), no table without a
 * read cache, and after a reopen onto rewritten values the ranks follow
 * them (fails when the table outlives its revision). */
static void test_value_ranks(void)
{
    vind_xapian_writer_t *writer = NULL;
    vind_xapian_reader_t *reader = open_faceted("value-ranks", &writer);
    if (!reader)
        return;
    int ok = 1;
    uint32_t docid = 1, rank = 77;
    int ranked = 1;
    CHECK(vind_xapian_reader_value_ranks(reader, 102, &docid, 1, &rank, &ranked, NULL) == VIND_OK &&
              !ranked && rank == 77,
          "no read cache: no ranks, the caller compares values");
    vind_xapian_reader_set_cache(reader, 1 << 20);
    CHECK(ranks_follow_values(reader, 102), "ranks of the tags order as strcmp of the tags");
    CHECK(ranks_follow_values(reader, 103), "ranks of the themes (some missing) order as strcmp");
    vind_xapian_reader_set_cache(reader, 100);
    CHECK(vind_xapian_reader_value_ranks(reader, 102, &docid, 1, &rank, &ranked, NULL) == VIND_OK &&
              !ranked,
          "a cache smaller than the table (60 x 4 bytes): no ranks");
    vind_xapian_reader_set_cache(reader, 1 << 20);
    CHECK(ranks_follow_values(reader, 102), "ranks again with a cache");
    for (int i = 0; ok && i < 60; i += 3)
        ok = add_faceted(writer, i, 1); /* the same docids, other tags */
    int changed = 0;
    CHECK(ok && vind_xapian_writer_commit(writer, NULL) == VIND_OK &&
              vind_xapian_reader_reopen(reader, &changed, NULL) == VIND_OK && changed,
          "a third of the documents rewritten in place, the reader reopened");
    CHECK(ranks_follow_values(reader, 102), "after the reopen, the ranks follow the new tags");
    vind_xapian_reader_close(reader);
    vind_xapian_writer_close(writer);
}

/* The page of a match-all run over the 60 documents of add_faceted,
 * collapsed on slot 103 (themes: none for every fifth, else th0 or th1),
 * as "docid/collapsed ..." with the listed and matched counts. */
static vind_xapian_enquire_t *collapsing_enquire(vind_xapian_reader_t *reader)
{
    vind_xapian_enquire_t *enquire = NULL;
    vind_xapian_query_t *query = term("Xall");
    if (vind_xapian_enquire_new(reader, &enquire, NULL) != VIND_OK ||
        vind_xapian_enquire_set_query(enquire, query, NULL) != VIND_OK ||
        vind_xapian_enquire_set_collapse_key(enquire, 103, NULL) != VIND_OK) {
        vind_xapian_enquire_free(enquire);
        enquire = NULL;
    }
    vind_xapian_query_free(query);
    return enquire;
}

/* The page of limit of a collapsing enquire's run, as collapsed_page gives it; frees enquire. */
static char *collapsed_run(vind_xapian_enquire_t *enquire, uint32_t limit)
{
    vind_xapian_mset_t *mset = NULL;
    GString *out = g_string_new(NULL);
    if (enquire && vind_xapian_enquire_run(enquire, 0, limit, 1000, &mset, NULL) == VIND_OK) {
        for (size_t i = 0; i < mset->count; i++)
            g_string_append_printf(out, "%u/%u ", mset->docids[i],
                                   mset->collapse_counts ? mset->collapse_counts[i] : 99);
        g_string_append_printf(out, "listed %llu of %llu", (unsigned long long)mset->listed_estimated,
                               (unsigned long long)mset->matches_estimated);
    }
    vind_xapian_mset_free(mset);
    vind_xapian_enquire_free(enquire);
    return g_string_free(out, FALSE);
}

static char *collapsed_page(vind_xapian_reader_t *reader, uint32_t limit)
{
    return collapsed_run(collapsing_enquire(reader), limit);
}

/* Issue 12: one local database collapses after the run, from the match
 * counter's keys, not with Xapian's collapser; the page must be what the
 * collapser gives: the best of each key, the others counted, every
 * unkeyed match. A page of 3 comes from the fetched head (26 matches);
 * a page of 10 needs more than the head holds (8 left of 26), so the run
 * is made again with the collapser: both must list the same order. */
static void test_collapse_after_run(void)
{
    vind_xapian_writer_t *writer = NULL;
    vind_xapian_reader_t *reader = open_faceted("collapse-after", &writer);
    if (!reader)
        return;
    char *three = collapsed_page(reader, 3), *ten = collapsed_page(reader, 10);
    printf("# collapsed: %s; %s\n", three, ten);
    CHECK_STR(three, "1/0 2/23 3/23 listed 14 of 60",
              "a page of 3: docid 1 (no theme), the best th1 and th0 with 23 others each");
    CHECK_STR(ten, "1/0 2/23 3/23 6/0 11/0 16/0 21/0 26/0 31/0 36/0 listed 14 of 60",
              "a page of 10: then only the documents without a theme");
    /* Session 15: with a read cache the match counter walks the reader's
     * table of the keyed documents instead of the slot's value stream; the
     * pages must not change, and after a reopen onto rewritten keys the
     * table must follow them (fails when it outlives its revision). */
    vind_xapian_reader_set_cache(reader, 1 << 20);
    char *three_kept = collapsed_page(reader, 3), *ten_kept = collapsed_page(reader, 10);
    CHECK_STR(three_kept, three, "a page of 3 with the keyed documents' table: the same");
    CHECK_STR(ten_kept, ten, "a page of 10 with the table: the same");
    int ok = 1;
    for (int i = 1; ok && i < 60; i += 4)
        ok = add_faceted(writer, i, 2); /* half the th1 documents become th2 */
    int changed = 0;
    CHECK(ok && vind_xapian_writer_commit(writer, NULL) == VIND_OK &&
              vind_xapian_reader_reopen(reader, &changed, NULL) == VIND_OK && changed,
          "half the th1 documents rewritten as th2, the reader reopened");
    char *ten_after = collapsed_page(reader, 10);
    vind_xapian_reader_set_cache(reader, 0);
    char *ten_streamed = collapsed_page(reader, 10);
    printf("# collapsed after the rewrite: %s\n", ten_after);
    CHECK_STR(ten_after, ten_streamed,
              "after the reopen the table's page is the value stream's (the new keys)");
    CHECK(strstr(ten_after, "listed 15 of 60") != NULL, "th2 is a group of its own: 15 listed");
    /* An enquire made while the table is kept, run after the reader
     * emptied it: the stream then (fails when a run trusts an emptied table). */
    vind_xapian_reader_set_cache(reader, 1 << 20);
    vind_xapian_enquire_t *early = collapsing_enquire(reader);
    vind_xapian_reader_set_cache(reader, 0);
    char *ten_emptied = collapsed_run(early, 10);
    CHECK_STR(ten_emptied, ten_streamed, "the table emptied before the run: the stream's page");
    g_free(ten_emptied);
    /* Percents off: the run orders the matches itself, every match (a
     * match-all query weighs them alike: ascending docids). */
    vind_xapian_enquire_t *own = collapsing_enquire(reader);
    if (own)
        vind_xapian_enquire_set_percents(own, 0, NULL);
    char *ten_own = collapsed_run(own, 10);
    CHECK_STR(ten_own, ten_streamed, "percents off: the page collapsed after the run is the same");
    g_free(ten_own);
    own = collapsing_enquire(reader);
    if (own)
        vind_xapian_enquire_set_percents(own, 0, NULL);
    char *three_own = collapsed_run(own, 3);
    vind_xapian_enquire_t *xapian = collapsing_enquire(reader);
    char *three_xapian = collapsed_run(xapian, 3);
    CHECK_STR(three_own, three_xapian, "percents off: a page of 3 collapsed after the run, the same");
    g_free(three_own);
    g_free(three_xapian);
    g_free(three);
    g_free(ten);
    g_free(three_kept);
    g_free(ten_kept);
    g_free(ten_after);
    g_free(ten_streamed);
    vind_xapian_reader_close(reader);
    vind_xapian_writer_close(writer);
}

/* The page of a run of query over reader as "docid:weight% ..." with
 * its bounds (weights to 17 digits: the answers print them so). */
static char *ranked_page(vind_xapian_reader_t *reader, const vind_xapian_query_t *query,
                         int percents, uint32_t offset, uint32_t limit, int *all_zero)
{
    vind_xapian_enquire_t *enquire = NULL;
    vind_xapian_mset_t *mset = NULL;
    GString *out = g_string_new(NULL);
    if (vind_xapian_enquire_new(reader, &enquire, NULL) == VIND_OK &&
        vind_xapian_enquire_set_query(enquire, query, NULL) == VIND_OK &&
        vind_xapian_enquire_set_percents(enquire, percents, NULL) == VIND_OK &&
        vind_xapian_enquire_run(enquire, offset, limit, 1000, &mset, NULL) == VIND_OK) {
        for (size_t i = 0; i < mset->count; i++) {
            g_string_append_printf(out, "%u:%.17g ", mset->docids[i], mset->weights[i]);
            *all_zero &= mset->percents[i] == 0;
        }
        g_string_append_printf(out, "of %llu-%llu-%llu", (unsigned long long)mset->matches_lower,
                               (unsigned long long)mset->matches_estimated,
                               (unsigned long long)mset->matches_upper);
    }
    vind_xapian_mset_free(mset);
    vind_xapian_enquire_free(enquire);
    return g_string_free(out, FALSE);
}

/* Issue 12, session 17: with percents off a relevance run that examines
 * every match orders the matches itself from a spy's weights instead of
 * Xapian keeping and sorting them. The pages must be Xapian's to the bit:
 * the same docids in the same order (equal weights by ascending docid:
 * documents 1-4 and 21-24 are copies), the same weights and bounds, at
 * every offset; percents 0. Fails when the order or a weight differs. */
static void test_percents_off(void)
{
    const char *path = database_path("percents-off");
    vind_xapian_writer_t *writer = NULL;
    vind_xapian_reader_t *reader = NULL;
    int ok = vind_xapian_writer_open(path, 1, &writer, NULL) == VIND_OK;
    for (int i = 1; ok && i <= 40; i++) {
        vind_xapian_document_t *document = vind_xapian_document_new();
        int copy = i <= 4 || (i > 20 && i <= 24); /* equal weights */
        ok = document != NULL &&
             vind_xapian_document_add_term(document, "zorg", copy ? 2 : 1 + i % 7, NULL) ==
                 VIND_OK &&
             (i % 3 != 0 ||
              vind_xapian_document_add_term(document, "wonen", 1 + i % 4, NULL) == VIND_OK) &&
             vind_xapian_document_add_term(document, "rest", copy ? 5 : 1 + i % 11, NULL) ==
                 VIND_OK &&
             vind_xapian_writer_add_document(writer, document, NULL, NULL) == VIND_OK;
        vind_xapian_document_free(document);
    }
    ok = ok && vind_xapian_writer_commit(writer, NULL) == VIND_OK &&
         vind_xapian_reader_open(path, &reader, NULL) == VIND_OK;
    CHECK(ok, "40 documents of varied weights");
    vind_xapian_query_t *query = combine2(VIND_XAPIAN_OP_OR, term("zorg"), term("wonen"));
    const uint32_t pages[][2] = {{0, 5}, {0, 40}, {3, 4}, {20, 10}, {38, 10}, {50, 5}};
    int all_zero = 1, percents_kept = 1;
    for (size_t i = 0; ok && i < sizeof pages / sizeof pages[0]; i++) {
        char *xapian = ranked_page(reader, query, 1, pages[i][0], pages[i][1], &percents_kept);
        char *itself = ranked_page(reader, query, 0, pages[i][0], pages[i][1], &all_zero);
        if (i == 0)
            printf("# ranked: %s\n", itself);
        if (strcmp(xapian, itself) != 0)
            printf("# offset %u limit %u: Xapian %s; itself %s\n", pages[i][0], pages[i][1],
                   xapian, itself);
        CHECK(strcmp(xapian, itself) == 0 && strstr(xapian, "of 40-40-40") != NULL,
              "a page's own order is Xapian's (offsets 0, 3, 20, 38, 50)");
        g_free(xapian);
        g_free(itself);
    }
    CHECK(ok && all_zero, "percents off: every percent 0");
    CHECK(ok && !percents_kept, "percents on: Xapian's percents");
    vind_xapian_query_free(query);
    vind_xapian_reader_close(reader);
    vind_xapian_writer_close(writer);
}

/* Which documents of a list hold a term: one posting-list walk. */
static void test_term_in(void)
{
    const char *path = database_path("term-in");
    vind_xapian_writer_t *writer = NULL;
    if (vind_xapian_writer_open(path, 1, &writer, NULL) != VIND_OK) {
        CHECK(0, "writer_open for term_in");
        return;
    }
    uint32_t docids[SAMPLE_COUNT] = {0};
    for (size_t i = 0; i < SAMPLE_COUNT; i++)
        add_sample(writer, &samples[i], &docids[i]);
    vind_xapian_writer_commit(writer, NULL);
    vind_xapian_reader_t *reader = NULL;
    CHECK_INT(vind_xapian_reader_open(path, &reader, NULL), VIND_OK, "reader_open");
    unsigned char present[SAMPLE_COUNT] = {9, 9, 9, 9};
    CHECK_INT(
        vind_xapian_reader_term_in(reader, "verpleeghuis", docids, SAMPLE_COUNT, present, NULL),
        VIND_OK, "term_in");
    CHECK(present[0] == 1 && present[1] == 1 && present[2] == 0 && present[3] == 0,
          "term_in: verpleeghuis is in the first two documents only");
    uint32_t last_two[2] = {docids[2], docids[3]};
    vind_xapian_reader_term_in(reader, "zorg", last_two, 2, present, NULL);
    CHECK(present[0] == 1 && present[1] == 0, "term_in: zorg in the third, not the fourth");
    vind_xapian_reader_term_in(reader, "nergens", docids, SAMPLE_COUNT, present, NULL);
    CHECK(!present[0] && !present[1] && !present[2] && !present[3], "term_in: an absent term");
    CHECK_INT(vind_xapian_reader_term_in(reader, "zorg", NULL, 0, NULL, NULL), VIND_OK,
              "term_in of no documents");
    /* With a read cache a short posting list is read whole once and kept:
     * the same answers, the first time and from the cache. */
    vind_xapian_reader_set_cache(reader, 1u << 20);
    for (int round = 0; round < 2; round++) {
        memset(present, 9, sizeof present);
        vind_xapian_reader_term_in(reader, "verpleeghuis", docids, SAMPLE_COUNT, present, NULL);
        CHECK(present[0] == 1 && present[1] == 1 && present[2] == 0 && present[3] == 0,
              "term_in, cached: verpleeghuis is in the first two documents only");
        memset(present, 9, sizeof present);
        vind_xapian_reader_term_in(reader, "zorg", last_two, 2, present, NULL);
        CHECK(present[0] == 1 && present[1] == 0, "term_in, cached: zorg in the third only");
        uint32_t unknown[2] = {docids[3] + 1000, docids[3] + 1001};
        memset(present, 9, sizeof present);
        vind_xapian_reader_term_in(reader, "zorg", unknown, 2, present, NULL);
        CHECK(present[0] == 0 && present[1] == 0, "term_in, cached: docids past the list");
        memset(present, 9, sizeof present);
        vind_xapian_reader_term_in(reader, "nergens", docids, SAMPLE_COUNT, present, NULL);
        CHECK(!present[0] && !present[1] && !present[2] && !present[3],
              "term_in, cached: an absent term");
    }
    vind_xapian_reader_close(reader);
    vind_xapian_writer_close(writer);
}

/* A counting pass over a term every document holds, after deletions from
 * its posting list of several chunks: Xapian 1.4.22's boolean pass threw
 * "Unexpected end of posting list" (1,200 documents, 2 deleted). */
static void test_count_after_deletions(void)
{
    const char *path = database_path("count-after-deletions");
    vind_xapian_writer_t *writer = NULL;
    if (vind_xapian_writer_open(path, 1, &writer, NULL) != VIND_OK) {
        CHECK(0, "writer_open for the counting pass");
        return;
    }
    int added = 1;
    for (int i = 0; added && i < 1500; i++) {
        vind_xapian_document_t *document = vind_xapian_document_new();
        char unique[32];
        snprintf(unique, sizeof unique, "Qdoc%d", i);
        uint32_t docid = 0;
        added =
            document && vind_xapian_document_add_posting(document, "zorg", 1, 1, NULL) == VIND_OK &&
            vind_xapian_writer_replace_document_by_term(writer, unique, document, &docid, NULL) ==
                VIND_OK;
        vind_xapian_document_free(document);
    }
    vind_xapian_writer_commit(writer, NULL);
    for (uint32_t docid = 2; docid < 80; docid += 7)
        vind_xapian_writer_delete_document(writer, docid, NULL);
    vind_xapian_writer_commit(writer, NULL);
    vind_xapian_writer_close(writer);
    vind_xapian_reader_t *reader = NULL;
    vind_xapian_enquire_t *enquire = NULL;
    vind_xapian_mset_t *mset = NULL;
    char *message = NULL;
    vind_status_t status = vind_xapian_reader_open(path, &reader, &message);
    if (status == VIND_OK)
        status = vind_xapian_enquire_new(reader, &enquire, &message);
    vind_xapian_query_t *query = vind_xapian_query_term("zorg", 1, 0);
    if (status == VIND_OK)
        status = vind_xapian_enquire_set_query(enquire, query, &message);
    vind_xapian_query_free(query);
    if (status == VIND_OK)
        status = vind_xapian_enquire_set_boolean(enquire, &message);
    if (status == VIND_OK)
        status = vind_xapian_enquire_run(enquire, 0, 0, 1500, &mset, &message);
    CHECK(added && status == VIND_OK && mset && mset->matches_lower == 1488 &&
              mset->matches_upper == 1488,
          "a counting pass over a term every document holds, after deletions: 1,488 exactly");
    if (message)
        printf("# %s\n", message);
    free(message);
    /* A posting list longer than the read cache keeps for term_in (1,024
     * docids) is walked, cached or not: the deleted docids lack it. */
    uint32_t asked[4] = {1, 2, 1499, 1500};
    for (int cached = 0; reader && cached < 2; cached++) {
        vind_xapian_reader_set_cache(reader, cached ? 1u << 20 : 0);
        for (int round = 0; round < 2; round++) {
            unsigned char present[4] = {9, 9, 9, 9};
            CHECK_INT(vind_xapian_reader_term_in(reader, "zorg", asked, 4, present, NULL),
                      VIND_OK, "term_in of a long list");
            CHECK(present[0] == 1 && present[1] == 0 && present[2] == 1 && present[3] == 1,
                  "term_in of a long list: docid 2 was deleted, 1, 1499 and 1500 hold it");
        }
    }
    vind_xapian_mset_free(mset);
    vind_xapian_enquire_free(enquire);
    vind_xapian_reader_close(reader);
}

static void test_open_missing(void)
{
    vind_xapian_writer_t *writer = (vind_xapian_writer_t *)1;
    char *message = NULL;
    CHECK_INT(vind_xapian_writer_open(database_path("missing"), 0, &writer, &message),
              VIND_NOT_FOUND, "writer_open of a missing database without create: VIND_NOT_FOUND");
    CHECK(writer == NULL, "writer is NULL on failure");
    CHECK(message != NULL && strstr(message, "missing") != NULL, "the message names the path");
    free(message);
    message = NULL;

    vind_xapian_reader_t *reader = (vind_xapian_reader_t *)1;
    CHECK_INT(vind_xapian_reader_open(database_path("missing"), &reader, &message), VIND_NOT_FOUND,
              "reader_open of a missing database: VIND_NOT_FOUND");
    CHECK(reader == NULL, "reader is NULL on failure");
    CHECK(message != NULL && strstr(message, "missing") != NULL, "the message names the path");
    free(message);
    message = NULL;

    /* A directory that exists but holds no database. */
    mkdir(database_path("empty-dir"), 0700);
    vind_status_t status = vind_xapian_reader_open(database_path("empty-dir"), &reader, &message);
    CHECK(status == VIND_NOT_FOUND || status == VIND_XAPIAN,
          "reader_open of an empty directory: VIND_NOT_FOUND or VIND_XAPIAN");
    CHECK(reader == NULL && message != NULL, "an empty directory gives a message and no reader");
    free(message);
}

static void test_write_and_read(void)
{
    const char *path = database_path("main");
    vind_xapian_writer_t *writer = NULL;
    char *message = NULL;
    CHECK_INT(vind_xapian_writer_open(path, 1, &writer, &message), VIND_OK,
              "writer_open creates a database");
    if (writer == NULL) {
        printf("# %s\n", message ? message : "?");
        free(message);
        return;
    }

    vind_xapian_reader_t *reader = NULL;
    CHECK_INT(vind_xapian_reader_open(path, &reader, NULL), VIND_OK,
              "a reader opens the new database before any commit");
    uint32_t count = 99;
    CHECK_INT(vind_xapian_reader_doc_count(reader, &count, NULL), VIND_OK, "reader_doc_count");
    CHECK_INT(count, 0, "a new database is empty");
    uint64_t first_revision = 99;
    CHECK_INT(vind_xapian_reader_revision(reader, &first_revision, NULL), VIND_OK,
              "reader_revision");

    uint32_t docids[SAMPLE_COUNT] = {0};
    int all_added = 1;
    for (size_t i = 0; i < SAMPLE_COUNT; i++)
        all_added &= add_sample(writer, &samples[i], &docids[i]);
    CHECK(all_added, "four Dutch documents added with replace_document_by_term");
    CHECK(docids[0] == 1 && docids[3] == 4, "docids are 1..4");

    CHECK_INT(vind_xapian_writer_doc_count(writer, &count, NULL), VIND_OK, "writer_doc_count");
    CHECK_INT(count, 4, "the writer sees its uncommitted documents");
    uint32_t docid = 0;
    CHECK_INT(vind_xapian_writer_docid_for_term(writer, "Qhttps://example.nl/wijk", &docid, NULL),
              VIND_OK, "writer_docid_for_term finds an uncommitted document");
    CHECK_INT(docid, 3, "writer_docid_for_term gives its docid");
    int exists = 0;
    vind_xapian_writer_term_exists(writer, "verpleeghuis", &exists, NULL);
    CHECK_INT(exists, 1, "writer_term_exists: verpleeghuis");
    vind_xapian_writer_term_exists(writer, "ziekenhuis", &exists, NULL);
    CHECK_INT(exists, 0, "writer_term_exists: ziekenhuis is absent");

    /* A reader over the writer sees the uncommitted data. */
    vind_xapian_reader_t *own = NULL;
    CHECK_INT(vind_xapian_writer_reader(writer, &own, NULL), VIND_OK, "writer_reader");
    vind_xapian_reader_doc_count(own, &count, NULL);
    CHECK_INT(count, 4, "the writer's reader sees uncommitted documents");
    vind_xapian_reader_close(own);

    vind_xapian_reader_doc_count(reader, &count, NULL);
    CHECK_INT(count, 0, "another reader sees nothing before the commit");
    int changed = 5;
    CHECK_INT(vind_xapian_reader_reopen(reader, &changed, NULL), VIND_OK, "reopen before commit");
    CHECK_INT(changed, 0, "reopen before commit changes nothing");

    CHECK_INT(vind_xapian_writer_set_metadata(writer, "vind:schema", "1", 1, NULL), VIND_OK,
              "set_metadata");
    CHECK_INT(vind_xapian_writer_add_spelling(writer, "verpleeghuis", 3, NULL), VIND_OK,
              "add_spelling");
    CHECK_INT(vind_xapian_writer_add_spelling(writer, "verpleging", 1, NULL), VIND_OK,
              "add_spelling of a second word");
    CHECK_INT(vind_xapian_writer_add_synonym(writer, "huis", "woning", NULL), VIND_OK,
              "add_synonym huis -> woning");
    CHECK_INT(vind_xapian_writer_add_synonym(writer, "huis", "pand", NULL), VIND_OK,
              "add_synonym huis -> pand");
    CHECK_INT(vind_xapian_writer_add_synonym(writer, "auto", "wagen", NULL), VIND_OK,
              "add_synonym auto -> wagen");
    CHECK_INT(vind_xapian_writer_clear_synonyms(writer, "auto", NULL), VIND_OK, "clear_synonyms");
    CHECK_INT(vind_xapian_writer_commit(writer, NULL), VIND_OK, "commit");

    CHECK_INT(vind_xapian_reader_reopen(reader, &changed, NULL), VIND_OK, "reopen after commit");
    CHECK_INT(changed, 1, "reopen after commit loads a new revision");
    uint64_t revision = 0;
    vind_xapian_reader_revision(reader, &revision, NULL);
    CHECK(revision > first_revision, "the revision went up");
    uint64_t writer_revision = 0;
    CHECK_INT(vind_xapian_writer_revision(writer, &writer_revision, NULL), VIND_OK,
              "writer_revision");
    CHECK(writer_revision == revision, "writer and reader agree on the revision");
    vind_xapian_reader_doc_count(reader, &count, NULL);
    CHECK_INT(count, 4, "the reader sees four documents after the commit");
    double average = 0;
    CHECK_INT(vind_xapian_reader_average_length(reader, &average, NULL), VIND_OK, "average_length");
    CHECK(average > 3.0 && average < 8.0, "average length is the mean word count");

    /* Data, values, terms. */
    char *data = NULL;
    size_t length = 0;
    CHECK_INT(vind_xapian_reader_get_document_data(reader, 3, &data, &length, NULL), VIND_OK,
              "get_document_data");
    CHECK_STR(data, "{\"url\":\"https://example.nl/wijk\"}", "stored data comes back");
    CHECK_INT(length, strlen("{\"url\":\"https://example.nl/wijk\"}"), "with its length");
    free(data);
    data = (char *)1;
    message = NULL;
    CHECK_INT(vind_xapian_reader_get_document_data(reader, 77, &data, NULL, &message),
              VIND_NOT_FOUND, "get_document_data of a missing docid: VIND_NOT_FOUND");
    CHECK(data == NULL && message != NULL, "no data and a message");
    free(message);
    CHECK_INT(vind_xapian_reader_get_document_data(reader, 0, &data, NULL, NULL), VIND_NOT_FOUND,
              "docid 0 is never found");

    char *value = NULL;
    CHECK_INT(vind_xapian_reader_get_value(reader, 2, 0, &value, &length, NULL), VIND_OK,
              "get_value");
    CHECK_STR(value, "20220505", "the date value of the PDF");
    free(value);
    CHECK_INT(vind_xapian_reader_get_value(reader, 4, 3, &value, &length, NULL), VIND_OK,
              "get_value of an empty slot");
    CHECK(value != NULL && length == 0 && value[0] == '\0', "an empty slot gives \"\"");
    free(value);

    vind_xapian_values_t *values = NULL;
    CHECK_INT(vind_xapian_reader_values(reader, 3, &values, NULL), VIND_OK, "reader_values");
    CHECK(values != NULL && values->count == 3, "three documents have tags");
    if (values != NULL && values->count == 3) {
        CHECK_INT(values->items[0].docid, 1, "values come in docid order");
        CHECK(values->items[0].length == strlen("Zorg\x1fWonen") &&
                  memcmp(values->items[0].value, "Zorg\x1fWonen", values->items[0].length) == 0,
              "a multi-valued slot comes back whole");
    }
    vind_xapian_values_free(values);

    CHECK_INT(
        vind_xapian_reader_docid_for_term(reader, "Qhttps://example.nl/kosten.pdf", &docid, NULL),
        VIND_OK, "reader_docid_for_term");
    CHECK_INT(docid, 2, "the PDF is document 2");
    message = NULL;
    CHECK_INT(
        vind_xapian_reader_docid_for_term(reader, "Qhttps://example.nl/nergens", &docid, &message),
        VIND_NOT_FOUND, "docid_for_term of an unknown url: VIND_NOT_FOUND");
    CHECK(docid == 0 && message != NULL, "docid 0 and a message");
    free(message);

    uint32_t frequency = 0;
    vind_xapian_reader_term_frequency(reader, "zorg", &frequency, NULL);
    CHECK_INT(frequency, 3, "term_frequency(zorg) = 3 documents");
    uint64_t collection = 0;
    vind_xapian_reader_collection_frequency(reader, "zorg", &collection, NULL);
    CHECK_INT(collection, 3, "collection_frequency(zorg) = 3");
    vind_xapian_reader_term_exists(reader, "belasting", &exists, NULL);
    CHECK_INT(exists, 1, "reader_term_exists(belasting)");
    vind_xapian_reader_term_exists(reader, "", &exists, NULL);
    CHECK_INT(exists, 0, "the empty term never exists");

    vind_xapian_terms_t *terms = NULL;
    CHECK_INT(vind_xapian_reader_document_terms(reader, 1, "K", &terms, NULL), VIND_OK,
              "document_terms with prefix K");
    CHECK(terms != NULL && terms->count == 2, "document 1 has two tag terms");
    if (terms != NULL && terms->count == 2) {
        CHECK_STR(terms->items[0].term, "Kwonen", "tag terms in byte order (Kwonen < Kzorg)");
        CHECK_STR(terms->items[1].term, "Kzorg", "second tag term");
        CHECK_INT(terms->items[1].frequency, 2, "Kzorg is in two documents");
    }
    vind_xapian_terms_free(terms);
    CHECK_INT(vind_xapian_reader_document_terms(reader, 1, NULL, &terms, NULL), VIND_OK,
              "document_terms without prefix");
    int found_zorg = 0;
    for (size_t i = 0; terms != NULL && i < terms->count; i++)
        if (strcmp(terms->items[i].term, "zorg") == 0)
            found_zorg = terms->items[i].wdf == 1;
    CHECK(found_zorg, "document 1 contains zorg with wdf 1");
    vind_xapian_terms_free(terms);
    /* document_wdfs: the same terms and wdfs, no frequency (lib/related.c looks it up once) */
    CHECK_INT(vind_xapian_reader_document_wdfs(reader, 1, "K", &terms, NULL), VIND_OK,
              "document_wdfs with prefix K");
    CHECK(terms != NULL && terms->count == 2 && strcmp(terms->items[1].term, "Kzorg") == 0 &&
              terms->items[1].frequency == 0 && terms->items[1].wdf == 0,
          "document_wdfs: Kwonen, Kzorg (boolean: wdf 0), frequency left 0");
    vind_xapian_terms_free(terms);
    CHECK_INT(vind_xapian_reader_document_wdfs(reader, 9999, NULL, &terms, NULL), VIND_NOT_FOUND,
              "document_wdfs of a missing document: not found");
    vind_xapian_terms_free(terms);

    CHECK_INT(vind_xapian_reader_all_terms(reader, "verpl", 0, &terms, NULL), VIND_OK,
              "all_terms with prefix verpl");
    CHECK(terms != NULL && terms->count == 1 && strcmp(terms->items[0].term, "verpleeghuis") == 0 &&
              terms->items[0].frequency == 2,
          "all_terms: verpleeghuis, in 2 documents");
    vind_xapian_terms_free(terms);
    CHECK_INT(vind_xapian_reader_all_terms(reader, "", 3, &terms, NULL), VIND_OK,
              "all_terms limited to 3");
    CHECK(terms != NULL && terms->count == 3, "max_terms is respected");
    vind_xapian_terms_free(terms);
    CHECK_INT(vind_xapian_reader_all_terms(reader, "qqq", 0, &terms, NULL), VIND_OK,
              "all_terms with an unknown prefix");
    CHECK(terms != NULL && terms->count == 0 && terms->items == NULL, "gives an empty list");
    vind_xapian_terms_free(terms);

    /* Metadata. */
    value = NULL;
    CHECK_INT(vind_xapian_reader_get_metadata(reader, "vind:schema", &value, &length, NULL),
              VIND_OK, "reader_get_metadata");
    CHECK_STR(value, "1", "the schema version comes back");
    free(value);
    value = (char *)1;
    CHECK_INT(vind_xapian_reader_get_metadata(reader, "vind:absent", &value, NULL, NULL),
              VIND_NOT_FOUND, "absent metadata: VIND_NOT_FOUND");
    CHECK(value == NULL, "absent metadata gives NULL");

    /* Spelling and synonyms. */
    char *suggestion = NULL;
    CHECK_INT(vind_xapian_reader_spelling_suggestion(reader, "verplegehuis", 2, &suggestion, NULL),
              VIND_OK, "spelling_suggestion");
    CHECK_STR(suggestion, "verpleeghuis", "verplegehuis -> verpleeghuis");
    free(suggestion);
    suggestion = (char *)1;
    CHECK_INT(vind_xapian_reader_spelling_suggestion(reader, "verpleeghuis", 2, &suggestion, NULL),
              VIND_OK, "spelling_suggestion of a correct word");
    CHECK(suggestion == NULL, "a correct word gives no suggestion");
    suggestion = (char *)1;
    vind_xapian_reader_spelling_suggestion(reader, "xyzzyq", 2, &suggestion, NULL);
    CHECK(suggestion == NULL, "a word far from everything gives no suggestion");
    vind_xapian_reader_spelling_suggestion(reader, "", 2, &suggestion, NULL);
    CHECK(suggestion == NULL, "the empty word gives no suggestion");

    vind_xapian_terms_t *synonyms = NULL;
    CHECK_INT(vind_xapian_reader_synonyms(reader, "huis", &synonyms, NULL), VIND_OK, "synonyms");
    CHECK(synonyms != NULL && synonyms->count == 2 &&
              strcmp(synonyms->items[0].term, "pand") == 0 &&
              strcmp(synonyms->items[1].term, "woning") == 0,
          "huis has synonyms pand and woning");
    vind_xapian_terms_free(synonyms);
    CHECK_INT(vind_xapian_reader_synonyms(reader, "auto", &synonyms, NULL), VIND_OK,
              "synonyms after clear");
    CHECK(synonyms != NULL && synonyms->count == 0, "cleared synonyms are gone");
    vind_xapian_terms_free(synonyms);

    /* Replace and delete by unique term. */
    sample_t replacement = samples[1];
    replacement.body = "verpleeghuis zorg kosten dalen";
    replacement.date = "20220606";
    CHECK(add_sample(writer, &replacement, &docid), "replace the PDF by its unique term");
    CHECK_INT(docid, 2, "replace keeps the docid");
    CHECK_INT(
        vind_xapian_writer_delete_documents_by_term(writer, "Qhttps://example.nl/belasting", NULL),
        VIND_OK, "delete_documents_by_term");
    CHECK_INT(
        vind_xapian_writer_delete_documents_by_term(writer, "Qhttps://example.nl/nergens", NULL),
        VIND_OK, "deleting an absent term is not an error");
    CHECK_INT(vind_xapian_writer_delete_document(writer, 999, NULL), VIND_NOT_FOUND,
              "delete_document of a missing docid: VIND_NOT_FOUND");
    CHECK_INT(vind_xapian_writer_commit(writer, NULL), VIND_OK, "commit the replace and delete");
    vind_xapian_reader_reopen(reader, &changed, NULL);
    vind_xapian_reader_doc_count(reader, &count, NULL);
    CHECK_INT(count, 3, "three documents remain");
    vind_xapian_reader_term_exists(reader, "dalen", &exists, NULL);
    CHECK_INT(exists, 1, "the replacement's words are indexed");
    vind_xapian_reader_term_exists(reader, "stijgen", &exists, NULL);
    CHECK_INT(exists, 0, "the replaced words are gone");
    vind_xapian_reader_docid_for_term(reader, "Qhttps://example.nl/belasting", &docid, NULL);
    CHECK_INT(docid, 0, "the deleted document is gone");

    /* Queries. */
    CHECK_STR(run_query_sorted(reader, phrase2("zorg", "voor", 0, 0)), "1",
              "phrase \"zorg voor\" matches the ouderenzorg article only");
    CHECK_STR(run_query_sorted(reader, phrase2("voor", "zorg", 0, 0)), "",
              "phrase \"voor zorg\" (wrong order) matches nothing");
    CHECK_STR(run_query_sorted(reader, phrase2("verpleeghuis", "zorg", 0, 0)), "2",
              "phrase \"verpleeghuis zorg\" matches the PDF");
    CHECK_STR(run_query_sorted(reader, phrase2("zorg", "verpleeghuis", 6, 1)), "1 2",
              "near(zorg, verpleeghuis, 6) matches both orders");
    CHECK_STR(run_query_sorted(reader, phrase2("zorg", "verpleeghuis", 2, 1)), "2",
              "near(zorg, verpleeghuis, 2) needs them adjacent");
    CHECK_STR(
        run_query_sorted(reader, combine2(VIND_XAPIAN_OP_AND_NOT, term("zorg"), term("wonen"))),
        "1 2", "zorg AND_NOT wonen");
    CHECK_STR(run_query_sorted(reader,
                               combine2(VIND_XAPIAN_OP_FILTER, term("zorg"), term("XTYPEarticle"))),
              "1 3", "zorg FILTER type article");
    CHECK_STR(
        run_query_sorted(reader, combine2(VIND_XAPIAN_OP_OR, term("belasting"), term("wijk"))), "3",
        "belasting OR wijk (belasting was deleted)");
    CHECK_STR(run_query_sorted(reader, combine2(VIND_XAPIAN_OP_AND, term("zorg"), term("wijk"))),
              "3", "zorg AND wijk");
    CHECK_STR(
        run_query_sorted(reader, combine2(VIND_XAPIAN_OP_SYNONYM, term("ouderen"), term("kosten"))),
        "1 2", "SYNONYM(ouderen, kosten)");
    CHECK_STR(
        run_query_sorted(reader, vind_xapian_query_value_range(0, "20210101", 8, "20221231", 8)),
        "1 2", "date range 2021-2022");
    CHECK_STR(run_query_sorted(reader, vind_xapian_query_value_range(0, NULL, 0, "20201231", 8)),
              "3", "date range open at the start");
    CHECK_STR(run_query_sorted(reader, vind_xapian_query_value_ge(0, "20220101", 8)), "2",
              "value_ge");
    CHECK_STR(run_query_sorted(reader, vind_xapian_query_value_le(0, "20210101", 8)), "1 3",
              "value_le (inclusive)");
    CHECK_STR(run_query_sorted(reader, vind_xapian_query_value_range(3, NULL, 0, NULL, 0)), "1 2 3",
              "a fully open range matches documents with a value");
    CHECK_STR(run_query_sorted(reader, vind_xapian_query_wildcard("verpl", 10)), "1 2",
              "wildcard verpl*");
    CHECK_STR(run_query_sorted(reader, vind_xapian_query_wildcard("wo", 0)), "3",
              "wildcard wo* without limit (wonen; not the tag term Kwonen)");
    CHECK_STR(run_query_sorted(reader, vind_xapian_query_match_all()), "1 2 3",
              "match_all matches every document");
    CHECK_STR(run_query_sorted(reader, vind_xapian_query_match_nothing()), "",
              "match_nothing matches nothing");
    CHECK_STR(run_query_sorted(reader, vind_xapian_query_compound(VIND_XAPIAN_OP_AND, NULL, 0)), "",
              "an empty compound matches nothing");
    CHECK_STR(
        run_query_sorted(reader, combine2(VIND_XAPIAN_OP_AND_MAYBE, term("zorg"), term("ouderen"))),
        "1 2 3", "zorg AND_MAYBE ouderen matches all zorg documents");
    CHECK_STR(run_query(reader,
                        combine2(VIND_XAPIAN_OP_AND_MAYBE, term("zorg"), term("ouderen")))[0] == '1'
                  ? "first"
                  : "other",
              "first", "AND_MAYBE ranks the document with ouderen first");

    /* Elite set, max, scale weight. */
    vind_xapian_query_t *elite_children[3] = {term("zorg"), term("wijk"), term("kosten")};
    CHECK_STR(run_query_sorted(reader, vind_xapian_query_elite_set(elite_children, 3, 3)), "1 2 3",
              "elite set of 3 of 3 terms acts as OR");
    CHECK_STR(run_query_sorted(reader, combine2(VIND_XAPIAN_OP_MAX, term("wijk"), term("dalen"))),
              "2 3", "MAX(wijk, dalen)");
    CHECK_STR(
        run_query_sorted(reader, combine2(VIND_XAPIAN_OP_ELITE_SET, term("wijk"), term("dalen"))),
        "2 3", "ELITE_SET through compound");

    vind_xapian_query_t *scaled = vind_xapian_query_scale_weight(term("zorg"), 2.5);
    char *description = vind_xapian_query_describe(scaled);
    CHECK(description != NULL && strstr(description, "2.5") != NULL &&
              strstr(description, "zorg") != NULL,
          "describe shows the scaled term");
    free(description);
    vind_xapian_query_free(scaled);
    CHECK(vind_xapian_query_scale_weight(term("zorg"), -1.0) == NULL,
          "a negative scale factor fails (and consumes its child)");

    vind_xapian_query_t *phrase = phrase2("zorg", "voor", 0, 0);
    description = vind_xapian_query_describe(phrase);
    CHECK(description != NULL && strstr(description, "PHRASE") != NULL,
          "describe names the PHRASE operator");
    free(description);
    vind_xapian_query_free(phrase);
    vind_xapian_query_t *all = vind_xapian_query_match_all();
    description = vind_xapian_query_describe(all);
    CHECK(description != NULL && strstr(description, "<alldocuments>") != NULL,
          "match_all is the empty term (<alldocuments>)");
    free(description);
    vind_xapian_query_free(all);

    /* Hostile and NULL query input: NULL, never a crash; children consumed. */
    CHECK(vind_xapian_query_term(NULL, 1, 0) == NULL, "query_term(NULL) is NULL");
    CHECK(vind_xapian_query_term("", 1, 0) == NULL, "query_term(\"\") is NULL");
    vind_xapian_query_t *with_null[2] = {term("zorg"), NULL};
    CHECK(vind_xapian_query_compound(VIND_XAPIAN_OP_AND, with_null, 2) == NULL,
          "a compound with a NULL child is NULL (the other child is freed)");
    vind_xapian_query_t *bad_op[1] = {term("zorg")};
    CHECK(vind_xapian_query_compound((vind_xapian_op_t)99, bad_op, 1) == NULL,
          "an unknown operator is NULL");
    CHECK(vind_xapian_query_wildcard("", 10) == NULL, "an empty wildcard is NULL");
    CHECK(vind_xapian_query_value_range(VIND_XAPIAN_NO_SLOT, "a", 1, "b", 1) == NULL,
          "VIND_XAPIAN_NO_SLOT is refused");
    CHECK(vind_xapian_query_describe(NULL) == NULL, "describe(NULL) is NULL");
    vind_xapian_query_free(NULL);

    vind_xapian_reader_close(reader);
    vind_xapian_writer_close(writer);
}

/* Ranking, sorting, facets and expand over a second database. */
/* The count_slots test of test_filtered_counts: data holds the one value
 * each slot's filter takes. */
static int equals_filter(void *data, size_t index, const char *value, size_t length)
{
    const char *wanted = ((const char *const *)data)[index];
    return strlen(wanted) == length && memcmp(wanted, value, length) == 0;
}

/* Tag Wonen and type page filtered, in one pass: a document counts for a
 * slot when it passes every filter but that slot's (multi-select), and into
 * passed when it passes both; exclusive counts only those passing both. */
static void test_filtered_counts(vind_xapian_reader_t *reader)
{
    const char *filters[2] = {"Wonen", "page"};
    vind_xapian_count_slot_t slots[2] = {{3, 1, 1, 0, 0}, {2, 0, 1, 0, 0}};
    for (int exclusive = 0; exclusive < 2; exclusive++) {
        vind_xapian_enquire_t *enquire = NULL;
        vind_xapian_mset_t *mset = NULL;
        vind_xapian_query_t *all = vind_xapian_query_match_all();
        CHECK_INT(vind_xapian_enquire_new(reader, &enquire, NULL), VIND_OK, "enquire to count");
        vind_xapian_enquire_set_query(enquire, all, NULL);
        vind_xapian_query_free(all);
        CHECK_INT(vind_xapian_enquire_set_boolean(enquire, NULL), VIND_OK, "set_boolean");
        CHECK_INT(vind_xapian_enquire_count_slots(enquire, slots, 2, exclusive, equals_filter,
                                                  filters, NULL),
                  VIND_OK, "count_slots with two filters");
        CHECK_INT(vind_xapian_enquire_run(enquire, 0, 0, 5, &mset, NULL), VIND_OK, "count run");
        vind_xapian_mset_free(mset);
        CHECK_INT(vind_xapian_enquire_passed(enquire), 1, "only d is a page tagged Wonen");
        vind_xapian_facet_t *tags = NULL, *types = NULL;
        uint64_t none = 0;
        vind_xapian_enquire_slot_counts(enquire, 0, &tags, &none, NULL);
        vind_xapian_enquire_slot_counts(enquire, 1, &types, &none, NULL);
        /* Tags of the pages (d: Zorg Wonen Wijk; e has none); types of the
         * documents tagged Wonen (a article, c pdf, d page). Exclusive: d only. */
        CHECK(tags && tags->count == 3 && tags->items[0].count == 1,
              exclusive ? "exclusive: the tags of d" : "tags counted without the tag filter");
        CHECK(types && types->count == (exclusive ? 1u : 3u) && types->items[0].count == 1,
              exclusive ? "exclusive: the type of d" : "types counted without the type filter");
        vind_xapian_facet_free(tags);
        vind_xapian_facet_free(types);
        vind_xapian_enquire_free(enquire);
    }
}

static void test_enquire(void)
{
    const char *path = database_path("ranking");
    vind_xapian_writer_t *writer = NULL;
    if (vind_xapian_writer_open(path, 1, &writer, NULL) != VIND_OK) {
        CHECK(0, "open the ranking database");
        return;
    }
    const sample_t ranking[] = {
        {"https://example.nl/a", "zorg in de wijk en wonen met buren", "20200101", "article",
         "Zorg\x1fWonen"},
        {"https://example.nl/b", "zorg zorg zorg thuiszorg", "20230101", "article", "Zorg"},
        {"https://example.nl/c", "wonen in een huurhuis van de woningcorporatie", "20210101", "pdf",
         "Wonen\x1fHuur"},
        {"https://example.nl/d", "de wijk en de zorg voor ouderen en mantelzorg en wonen",
         "20220101", "page", "Zorg\x1fWonen\x1fWijk"},
        {"https://example.nl/e", "belasting", "20190101", "page", NULL},
    };
    int all_added = 1;
    for (size_t i = 0; i < sizeof ranking / sizeof ranking[0]; i++)
        all_added &= add_sample(writer, &ranking[i], NULL);
    CHECK(all_added && vind_xapian_writer_commit(writer, NULL) == VIND_OK,
          "five documents for ranking committed");
    vind_xapian_writer_close(writer);

    vind_xapian_reader_t *reader = NULL;
    vind_xapian_reader_open(path, &reader, NULL);
    vind_xapian_enquire_t *enquire = NULL;
    CHECK_INT(vind_xapian_enquire_new(reader, &enquire, NULL), VIND_OK, "enquire_new");
    if (enquire == NULL) {
        vind_xapian_reader_close(reader);
        return;
    }
    vind_xapian_query_t *query = term("zorg");
    CHECK_INT(vind_xapian_enquire_set_query(enquire, query, NULL), VIND_OK, "set_query");
    vind_xapian_query_free(query); /* the enquire keeps its own copy */
    CHECK_INT(vind_xapian_enquire_set_bm25(enquire, 1.2, 0, 1, 0.75, 0.5, NULL), VIND_OK,
              "set_bm25");
    CHECK_INT(vind_xapian_enquire_set_bm25(enquire, -1, 0, 1, 0.75, 0.5, NULL),
              VIND_INVALID_ARGUMENT, "a negative k1 is refused");

    vind_xapian_mset_t *mset = NULL;
    CHECK_INT(vind_xapian_enquire_run(enquire, 0, 10, 5, &mset, NULL), VIND_OK, "run");
    CHECK(mset != NULL && mset->count == 3, "zorg matches three documents");
    if (mset != NULL && mset->count == 3) {
        CHECK_INT(mset->docids[0], 2, "BM25: \"zorg zorg zorg\" ranks first");
        CHECK(mset->weights[0] > mset->weights[1] && mset->weights[1] >= mset->weights[2],
              "weights descend");
        CHECK_INT(mset->percents[0], 100, "the best match is 100%");
        CHECK(mset->matches_lower == 3 && mset->matches_upper == 3 && mset->matches_estimated == 3,
              "exact match counts with check_at_least = doc count");
    }
    vind_xapian_mset_free(mset);

    CHECK_INT(vind_xapian_enquire_run(enquire, 1, 1, 5, &mset, NULL), VIND_OK, "run a page");
    CHECK(mset != NULL && mset->count == 1 && mset->matches_estimated == 3,
          "offset 1 limit 1 gives one result of three");
    vind_xapian_mset_free(mset);

    /* A shared tree runs as its deep copy does: the same documents with
     * bit-equal weights (a searcher's runs share their plan's tree). */
    vind_xapian_mset_t *copied = NULL;
    vind_xapian_enquire_run(enquire, 0, 10, 5, &copied, NULL);
    query = term("zorg");
    CHECK_INT(vind_xapian_enquire_set_query_shared(enquire, query, NULL), VIND_OK,
              "set_query_shared");
    CHECK_INT(vind_xapian_enquire_run(enquire, 0, 10, 5, &mset, NULL), VIND_OK,
              "run a shared query");
    int same = copied != NULL && mset != NULL && copied->count == 3 && mset->count == 3;
    for (size_t i = 0; same && i < mset->count; i++)
        same = copied->docids[i] == mset->docids[i] &&
               memcmp(&copied->weights[i], &mset->weights[i], sizeof(double)) == 0;
    CHECK(same, "a shared query gives the copy's documents and bit-equal weights");
    vind_xapian_mset_free(copied);
    vind_xapian_mset_free(mset);
    vind_xapian_query_free(query); /* after the runs: the enquire shares its tree */

    /* Sort by date, newest first, then ascending. */
    CHECK_INT(vind_xapian_enquire_sort_by_value_then_relevance(enquire, 0, 1, NULL), VIND_OK,
              "sort_by_value_then_relevance");
    vind_xapian_enquire_run(enquire, 0, 10, 5, &mset, NULL);
    CHECK(mset != NULL && mset->count == 3 && mset->docids[0] == 2 && mset->docids[1] == 4 &&
              mset->docids[2] == 1,
          "newest first: 2023, 2022, 2020");
    vind_xapian_mset_free(mset);
    vind_xapian_enquire_sort_by_value_then_relevance(enquire, 0, 0, NULL);
    vind_xapian_enquire_run(enquire, 0, 10, 5, &mset, NULL);
    CHECK(mset != NULL && mset->count == 3 && mset->docids[0] == 1 && mset->docids[2] == 2,
          "oldest first: 2020 ... 2023");
    vind_xapian_mset_free(mset);
    CHECK_INT(vind_xapian_enquire_sort_by_relevance(enquire, NULL), VIND_OK, "sort_by_relevance");
    CHECK_INT(vind_xapian_enquire_set_docid_order(enquire, VIND_XAPIAN_DOCID_DESCENDING, NULL),
              VIND_OK, "set_docid_order");
    CHECK_INT(vind_xapian_enquire_set_docid_order(enquire, (vind_xapian_docid_order_t)42, NULL),
              VIND_INVALID_ARGUMENT, "an unknown docid order is refused");
    CHECK_INT(vind_xapian_enquire_set_cutoff(enquire, 0, NULL), VIND_OK, "set_cutoff 0");
    CHECK_INT(vind_xapian_enquire_set_cutoff(enquire, 101, NULL), VIND_INVALID_ARGUMENT,
              "a cutoff above 100 is refused");

    /* Counted slots (facets) over every document. */
    vind_xapian_count_slot_t slots[2] = {{3, 1, 0, 0, 0}, {2, 0, 0, 0, 0}};
    size_t tags_facet = 0, type_facet = 1;
    CHECK_INT(vind_xapian_enquire_count_slots(enquire, slots, 2, 0, NULL, NULL, NULL), VIND_OK,
              "count_slots tags (multi-valued) and type");
    CHECK_INT(vind_xapian_enquire_count_slots(enquire, slots, 2, 0, NULL, NULL, NULL),
              VIND_INVALID_ARGUMENT, "slots are counted once per enquire");
    vind_xapian_facet_t *facet = NULL;
    uint64_t none = 9;
    CHECK_INT(vind_xapian_enquire_slot_counts(enquire, 0, &facet, &none, NULL), VIND_OK,
              "counts before a run");
    CHECK(facet != NULL && facet->count == 0 && none == 0, "no counts before a run");
    vind_xapian_facet_free(facet);

    query = vind_xapian_query_match_all();
    vind_xapian_enquire_set_query(enquire, query, NULL);
    vind_xapian_query_free(query);
    vind_xapian_enquire_run(enquire, 0, 2, 5, &mset, NULL);
    CHECK(mset != NULL && mset->count == 2 && mset->matches_lower == 5,
          "match_all: a page of 2, exactly 5 matches");
    vind_xapian_mset_free(mset);
    CHECK_INT(vind_xapian_enquire_passed(enquire), 5, "no filter: every match passes");

    CHECK_INT(vind_xapian_enquire_slot_counts(enquire, tags_facet, &facet, &none, NULL), VIND_OK,
              "counts of tags");
    /* Zorg: a b d = 3; Wonen: a c d = 3; Huur: c; Wijk: d. */
    CHECK(facet != NULL && facet->count == 4, "four distinct tags");
    if (facet != NULL && facet->count == 4) {
        CHECK(strcmp(facet->items[0].value, "Wonen") == 0 && facet->items[0].count == 3,
              "Wonen 3 (ties by value: Wonen < Zorg)");
        CHECK(strcmp(facet->items[1].value, "Zorg") == 0 && facet->items[1].count == 3, "Zorg 3");
        CHECK(strcmp(facet->items[2].value, "Huur") == 0 && facet->items[2].count == 1, "Huur 1");
        CHECK(strcmp(facet->items[3].value, "Wijk") == 0 && facet->items[3].count == 1, "Wijk 1");
    }
    CHECK_INT(none, 1, "one document without a tag (e)");
    vind_xapian_facet_free(facet);
    CHECK_INT(vind_xapian_enquire_slot_counts(enquire, type_facet, &facet, &none, NULL), VIND_OK,
              "counts of type");
    CHECK(facet != NULL && facet->count == 3 && strcmp(facet->items[0].value, "article") == 0 &&
              facet->items[0].count == 2 && strcmp(facet->items[1].value, "page") == 0 &&
              facet->items[1].count == 2 && facet->items[2].count == 1,
          "type: article 2, page 2, pdf 1");
    vind_xapian_facet_free(facet);
    CHECK_INT(vind_xapian_enquire_slot_counts(enquire, 2, &facet, &none, NULL),
              VIND_INVALID_ARGUMENT, "an unknown slot index is refused");

    /* A second run resets the counts: only wonen documents. */
    query = term("wonen");
    vind_xapian_enquire_set_query(enquire, query, NULL);
    vind_xapian_query_free(query);
    vind_xapian_enquire_run(enquire, 0, 0, 5, &mset, NULL);
    CHECK(mset != NULL && mset->count == 0 && mset->matches_lower == 3,
          "limit 0 still counts three matches");
    vind_xapian_mset_free(mset);
    vind_xapian_enquire_slot_counts(enquire, tags_facet, &facet, &none, NULL);
    CHECK(facet != NULL && facet->count == 4 && facet->items[0].count == 3 &&
              strcmp(facet->items[0].value, "Wonen") == 0 && facet->items[1].count == 2,
          "counts are recounted per run (Wonen 3, Zorg 2), also with limit 0");
    vind_xapian_facet_free(facet);
    test_filtered_counts(reader);

    /* Collapse on type: one result per type. */
    query = vind_xapian_query_match_all();
    vind_xapian_enquire_set_query(enquire, query, NULL);
    vind_xapian_query_free(query);
    CHECK_INT(vind_xapian_enquire_set_collapse_key(enquire, 2, NULL), VIND_OK, "set_collapse_key");
    vind_xapian_enquire_run(enquire, 0, 10, 5, &mset, NULL);
    CHECK(mset != NULL && mset->count == 3, "collapsing on type leaves three documents");
    vind_xapian_mset_free(mset);
    vind_xapian_enquire_set_collapse_key(enquire, VIND_XAPIAN_NO_SLOT, NULL);

    /* Expand: words of the two wonen/zorg documents, no prefixed terms. */
    uint32_t relevant[2] = {1, 4};
    vind_xapian_terms_t *terms = NULL;
    CHECK_INT(vind_xapian_enquire_expand(enquire, relevant, 2, 5, NULL,
                                         "ABCDEFGHIJKLMNOPQRSTUVWXYZ", &terms, NULL),
              VIND_OK, "expand");
    int clean = terms != NULL && terms->count > 0 && terms->count <= 5;
    int has_wijk = 0;
    for (size_t i = 0; clean && i < terms->count; i++) {
        if (terms->items[i].term[0] >= 'A' && terms->items[i].term[0] <= 'Z')
            clean = 0;
        if (i > 0 && terms->items[i].weight > terms->items[i - 1].weight)
            clean = 0;
        if (strcmp(terms->items[i].term, "wijk") == 0)
            has_wijk = 1;
    }
    CHECK(clean, "expand gives up to 5 unprefixed terms, best first");
    CHECK(has_wijk, "wijk (in both documents) is an expand term");
    vind_xapian_terms_free(terms);
    CHECK_INT(vind_xapian_enquire_expand(enquire, relevant, 2, 10, "K", NULL, &terms, NULL),
              VIND_OK, "expand with prefix K");
    clean = terms != NULL && terms->count > 0;
    for (size_t i = 0; clean && i < terms->count; i++)
        clean = terms->items[i].term[0] == 'K';
    CHECK(clean, "expand with prefix K gives only tag terms");
    vind_xapian_terms_free(terms);
    CHECK_INT(vind_xapian_enquire_expand(enquire, relevant, 0, 10, NULL, NULL, &terms, NULL),
              VIND_OK, "expand of no documents");
    CHECK(terms != NULL && terms->count == 0, "gives an empty list");
    vind_xapian_terms_free(terms);
    uint32_t missing[1] = {999};
    CHECK_INT(vind_xapian_enquire_expand(enquire, missing, 1, 10, NULL, NULL, &terms, NULL),
              VIND_NOT_FOUND, "expand of a missing docid: VIND_NOT_FOUND");
    CHECK(terms == NULL, "no terms on failure");

    vind_xapian_enquire_free(enquire);
    vind_xapian_reader_close(reader);
}

static void test_transactions(void)
{
    const char *path = database_path("transactions");
    vind_xapian_writer_t *writer = NULL;
    if (vind_xapian_writer_open(path, 1, &writer, NULL) != VIND_OK) {
        CHECK(0, "open the transactions database");
        return;
    }
    add_sample(writer, &samples[0], NULL);
    vind_xapian_writer_commit(writer, NULL);

    CHECK_INT(vind_xapian_writer_begin_transaction(writer, NULL), VIND_OK, "begin_transaction");
    CHECK_INT(vind_xapian_writer_begin_transaction(writer, NULL), VIND_INVALID_ARGUMENT,
              "transactions do not nest");
    CHECK_INT(vind_xapian_writer_commit(writer, NULL), VIND_INVALID_ARGUMENT,
              "commit inside a transaction is refused");
    add_sample(writer, &samples[1], NULL);
    vind_xapian_writer_set_metadata(writer, "vind:last-run", "2024-01-01", 10, NULL);
    uint32_t count = 0;
    vind_xapian_writer_doc_count(writer, &count, NULL);
    CHECK_INT(count, 2, "two documents inside the transaction");
    CHECK_INT(vind_xapian_writer_cancel_transaction(writer, NULL), VIND_OK, "cancel_transaction");
    vind_xapian_writer_doc_count(writer, &count, NULL);
    CHECK_INT(count, 1, "cancel leaves the document out");
    char *value = (char *)1;
    CHECK_INT(vind_xapian_writer_get_metadata(writer, "vind:last-run", &value, NULL, NULL),
              VIND_NOT_FOUND, "cancel leaves the metadata out");
    CHECK_INT(vind_xapian_writer_cancel_transaction(writer, NULL), VIND_INVALID_ARGUMENT,
              "cancel without a transaction is refused");
    CHECK_INT(vind_xapian_writer_commit_transaction(writer, NULL), VIND_INVALID_ARGUMENT,
              "commit_transaction without a transaction is refused");

    vind_xapian_writer_begin_transaction(writer, NULL);
    add_sample(writer, &samples[2], NULL);
    CHECK_INT(vind_xapian_writer_commit_transaction(writer, NULL), VIND_OK, "commit_transaction");
    vind_xapian_reader_t *reader = NULL;
    vind_xapian_reader_open(path, &reader, NULL);
    vind_xapian_reader_doc_count(reader, &count, NULL);
    CHECK_INT(count, 2, "a committed transaction is visible to a new reader");

    /* Uncommitted work is lost when the writer closes (and the lock goes). */
    add_sample(writer, &samples[3], NULL);
    vind_xapian_writer_set_metadata(writer, "vind:uncommitted", "x", 1, NULL);
    vind_xapian_writer_add_spelling(writer, "mantelzorg", 5, NULL);
    vind_xapian_writer_add_synonym(writer, "zorg", "verzorging", NULL);
    vind_xapian_writer_close(writer);
    writer = NULL;
    int changed = 0;
    vind_xapian_reader_reopen(reader, &changed, NULL);
    vind_xapian_reader_doc_count(reader, &count, NULL);
    CHECK_INT(count, 2, "closing without commit discards the uncommitted document");
    value = (char *)1;
    CHECK_INT(vind_xapian_reader_get_metadata(reader, "vind:uncommitted", &value, NULL, NULL),
              VIND_NOT_FOUND, "and the uncommitted metadata");
    char *suggestion = (char *)1;
    vind_xapian_reader_spelling_suggestion(reader, "mantelzorh", 2, &suggestion, NULL);
    CHECK(suggestion == NULL, "and the uncommitted spelling word");
    vind_xapian_terms_t *synonyms = NULL;
    vind_xapian_reader_synonyms(reader, "zorg", &synonyms, NULL);
    CHECK(synonyms != NULL && synonyms->count == 0, "and the uncommitted synonym");
    vind_xapian_terms_free(synonyms);
    vind_xapian_reader_close(reader);

    CHECK_INT(vind_xapian_writer_open(path, 0, &writer, NULL), VIND_OK,
              "the database opens again after close (lock released)");
    vind_xapian_writer_doc_count(writer, &count, NULL);
    CHECK_INT(count, 2, "and still holds two documents");
    vind_xapian_writer_close(writer);
}

static void test_lock(void)
{
    const char *path = database_path("locked");
    vind_xapian_writer_t *first = NULL, *second = (vind_xapian_writer_t *)1;
    CHECK_INT(vind_xapian_writer_open(path, 1, &first, NULL), VIND_OK, "first writer");
    char *message = NULL;
    CHECK_INT(vind_xapian_writer_open(path, 1, &second, &message), VIND_LOCKED,
              "a second writer: VIND_LOCKED");
    CHECK(second == NULL, "no second writer");
    CHECK(message != NULL && strstr(message, "locked") != NULL && strstr(message, path) != NULL,
          "the message says locked and names the path");
    if (message != NULL)
        printf("# %s\n", message);
    free(message);
    vind_xapian_reader_t *reader = NULL;
    CHECK_INT(vind_xapian_reader_open(path, &reader, NULL), VIND_OK,
              "a reader opens a database that a writer holds");
    vind_xapian_reader_close(reader);
    vind_xapian_writer_close(first);
}

/* Overwrites every file of directory path with garbage (or truncates them). */
static void damage_database(const char *path, int truncate_only)
{
    DIR *dir = opendir(path);
    if (dir == NULL)
        return;
    struct dirent *entry;
    while ((entry = readdir(dir)) != NULL) {
        if (entry->d_name[0] == '.' || strcmp(entry->d_name, "flintlock") == 0)
            continue;
        char file[8192];
        snprintf(file, sizeof file, "%s/%s", path, entry->d_name);
        int fd = open(file, O_WRONLY | (truncate_only ? O_TRUNC : 0));
        if (fd < 0)
            continue;
        if (!truncate_only) {
            char garbage[8192];
            for (size_t i = 0; i < sizeof garbage; i++)
                garbage[i] = (char)(i * 131 + 7);
            if (write(fd, garbage, sizeof garbage) < 0)
                perror("write");
        }
        close(fd);
    }
    closedir(dir);
}

static void test_corrupt(void)
{
    for (int truncate_only = 0; truncate_only <= 1; truncate_only++) {
        const char *path = database_path(truncate_only ? "truncated" : "corrupt");
        vind_xapian_writer_t *writer = NULL;
        vind_xapian_writer_open(path, 1, &writer, NULL);
        for (size_t i = 0; i < SAMPLE_COUNT; i++)
            add_sample(writer, &samples[i], NULL);
        vind_xapian_writer_commit(writer, NULL);
        vind_xapian_writer_close(writer);
        damage_database(path, truncate_only);

        /* Either open fails cleanly or a read does: never a crash. */
        vind_xapian_reader_t *reader = NULL;
        char *message = NULL;
        vind_status_t status = vind_xapian_reader_open(path, &reader, &message);
        if (status == VIND_OK) {
            uint32_t docid = 0;
            status = vind_xapian_reader_docid_for_term(reader, "Qhttps://example.nl/wijk", &docid,
                                                       &message);
            if (status == VIND_OK) {
                char *data = NULL;
                status = vind_xapian_reader_get_document_data(reader, docid, &data, NULL, &message);
                free(data);
            }
        }
        if (message != NULL)
            printf("# %s\n", message);
        CHECK(status == VIND_INDEX_CORRUPT || status == VIND_XAPIAN || status == VIND_NOT_FOUND,
              truncate_only ? "a truncated database: VIND_INDEX_CORRUPT or VIND_XAPIAN"
                            : "a database full of garbage: VIND_INDEX_CORRUPT or VIND_XAPIAN");
        CHECK(message != NULL, "with a message");
        free(message);
        vind_xapian_reader_close(reader);

        message = NULL;
        status = vind_xapian_writer_open(path, 0, &writer, &message);
        CHECK(status != VIND_OK && writer == NULL && message != NULL,
              "a writer refuses the damaged database with a message");
        if (status == VIND_OK)
            vind_xapian_writer_close(writer);
        free(message);
    }
}

static void test_null_arguments(void)
{
    char *message = NULL;
    CHECK_INT(vind_xapian_writer_open(NULL, 1, NULL, &message), VIND_INVALID_ARGUMENT,
              "writer_open(NULL)");
    CHECK(message != NULL, "with a message");
    free(message);
    vind_xapian_writer_t *writer = (vind_xapian_writer_t *)1;
    CHECK_INT(vind_xapian_writer_open("", 1, &writer, NULL), VIND_INVALID_ARGUMENT,
              "writer_open(\"\")");
    CHECK(writer == NULL, "writer NULL after a refused open");
    vind_xapian_reader_t *reader = (vind_xapian_reader_t *)1;
    CHECK_INT(vind_xapian_reader_open(NULL, &reader, NULL), VIND_INVALID_ARGUMENT,
              "reader_open(NULL)");
    CHECK_INT(vind_xapian_writer_commit(NULL, NULL), VIND_INVALID_ARGUMENT, "commit(NULL)");
    uint32_t count = 7;
    CHECK_INT(vind_xapian_reader_doc_count(NULL, &count, NULL), VIND_INVALID_ARGUMENT,
              "reader_doc_count(NULL)");
    CHECK_INT(count, 0, "output zeroed on failure");
    CHECK_INT(vind_xapian_writer_add_document(NULL, NULL, NULL, NULL), VIND_INVALID_ARGUMENT,
              "add_document(NULL)");
    CHECK_INT(vind_xapian_document_add_posting(NULL, "zorg", 1, 1, NULL), VIND_INVALID_ARGUMENT,
              "add_posting(NULL document)");
    vind_xapian_document_t *document = vind_xapian_document_new();
    CHECK_INT(vind_xapian_document_add_posting(document, "", 1, 1, NULL), VIND_INVALID_ARGUMENT,
              "add_posting of an empty term");
    CHECK_INT(vind_xapian_document_add_posting(document, "zorg", 0, 1, NULL), VIND_INVALID_ARGUMENT,
              "add_posting at position 0");
    CHECK_INT(vind_xapian_document_add_value(document, 1, NULL, 3, NULL), VIND_INVALID_ARGUMENT,
              "add_value with NULL bytes");
    CHECK_INT(vind_xapian_document_set_data(document, NULL, 0, NULL), VIND_OK,
              "set_data(NULL, 0) clears the data");
    vind_xapian_document_free(document);
    vind_xapian_enquire_t *enquire = (vind_xapian_enquire_t *)1;
    CHECK_INT(vind_xapian_enquire_new(NULL, &enquire, NULL), VIND_INVALID_ARGUMENT,
              "enquire_new(NULL)");
    CHECK(enquire == NULL, "enquire NULL on failure");
    vind_xapian_mset_t *mset = (vind_xapian_mset_t *)1;
    CHECK_INT(vind_xapian_enquire_run(NULL, 0, 10, 10, &mset, NULL), VIND_INVALID_ARGUMENT,
              "run(NULL)");
    CHECK(mset == NULL, "mset NULL on failure");
    CHECK_INT(vind_xapian_enquire_set_query(NULL, NULL, NULL), VIND_INVALID_ARGUMENT,
              "set_query(NULL)");
    CHECK_INT(vind_xapian_enquire_set_query_shared(NULL, NULL, NULL), VIND_INVALID_ARGUMENT,
              "set_query_shared(NULL)");
    vind_xapian_writer_close(NULL);
    vind_xapian_reader_close(NULL);
    vind_xapian_enquire_free(NULL);
    vind_xapian_document_free(NULL);
    vind_xapian_terms_free(NULL);
    vind_xapian_values_free(NULL);
    vind_xapian_facet_free(NULL);
    vind_xapian_mset_free(NULL);
    CHECK(1, "every free and close accepts NULL");
}

/*
 * A reader holds an old revision while a writer commits again and again:
 * glass reuses the old revision's blocks, and the reader's next read fails
 * with DatabaseModifiedError, which must come back as VIND_INDEX_CHANGED and
 * go away after a reopen.
 */
static void test_index_changed(void)
{
    const char *path = database_path("changed");
    vind_xapian_writer_t *writer = NULL;
    if (vind_xapian_writer_open(path, 1, &writer, NULL) != VIND_OK) {
        CHECK(0, "open the changed database");
        return;
    }
    /* Enough documents that the reader's B-trees have more than a root
     * block (a root-only tree stays cached and never notices). */
    enum { DOCUMENTS = 1500 };
    for (int copy = 0; copy < DOCUMENTS; copy++) {
        sample_t sample = samples[copy % SAMPLE_COUNT];
        char url[128];
        snprintf(url, sizeof url, "https://example.nl/nummer/%d", copy);
        sample.url = url;
        add_sample(writer, &sample, NULL);
    }
    vind_xapian_writer_commit(writer, NULL);
    vind_xapian_reader_t *reader = NULL;
    vind_xapian_reader_open(path, &reader, NULL);

    vind_status_t status = VIND_OK;
    char *message = NULL;
    for (int round = 0; round < 5 && status == VIND_OK; round++) {
        /* Rewrite every document, so every block of the old revision is freed. */
        for (int copy = 0; copy < DOCUMENTS; copy++) {
            sample_t sample = samples[(copy + round + 1) % SAMPLE_COUNT];
            char url[128];
            snprintf(url, sizeof url, "https://example.nl/nummer/%d", copy);
            sample.url = url;
            add_sample(writer, &sample, NULL);
        }
        vind_xapian_writer_commit(writer, NULL);
        vind_xapian_terms_t *terms = NULL;
        status = vind_xapian_reader_all_terms(reader, "Q", 0, &terms, &message);
        vind_xapian_terms_free(terms);
        for (uint32_t docid = 1; docid <= DOCUMENTS && status == VIND_OK; docid += 97) {
            char *data = NULL;
            status = vind_xapian_reader_get_document_data(reader, docid, &data, NULL, &message);
            free(data);
        }
    }
    if (status == VIND_OK) {
        SKIP("Xapian did not report a modified database in 5 rewrites");
    } else {
        CHECK_INT(status, VIND_INDEX_CHANGED, "a stale reader: VIND_INDEX_CHANGED");
        CHECK(message != NULL, "with a message");
        int changed = 0;
        CHECK_INT(vind_xapian_reader_reopen(reader, &changed, NULL), VIND_OK, "reopen");
        CHECK_INT(changed, 1, "reopen moves to the new revision");
        char *data = NULL;
        CHECK_INT(vind_xapian_reader_get_document_data(reader, 2, &data, NULL, NULL), VIND_OK,
                  "the read works after reopen");
        free(data);
    }
    free(message);
    vind_xapian_reader_close(reader);
    vind_xapian_writer_close(writer);
}

/*
 * searchd's pattern: each thread its own reader, enquire and queries, match-all
 * included (the static Xapian MatchAll would race here; run under TSan).
 */
typedef struct {
    const char *path;
    int failures;
} search_thread_t;

static void *search_thread(void *argument)
{
    search_thread_t *job = argument;
    vind_xapian_reader_t *reader = NULL;
    if (vind_xapian_reader_open(job->path, &reader, NULL) != VIND_OK) {
        job->failures++;
        return NULL;
    }
    for (int i = 0; i < 100; i++) {
        const char *all = run_query_sorted(reader, vind_xapian_query_match_all());
        if (strcmp(all, "1 2 3 4") != 0)
            job->failures++;
        vind_xapian_query_t *children[2] = {vind_xapian_query_match_all(), term("zorg")};
        const char *filtered = run_query_sorted(
            reader, vind_xapian_query_compound(VIND_XAPIAN_OP_FILTER, children, 2));
        if (strcmp(filtered, "1 2 3") != 0)
            job->failures++;
    }
    vind_xapian_reader_close(reader);
    return NULL;
}

static void test_threads(void)
{
    const char *path = database_path("threads");
    vind_xapian_writer_t *writer = NULL;
    if (vind_xapian_writer_open(path, 1, &writer, NULL) != VIND_OK) {
        CHECK(0, "open the threads database");
        return;
    }
    for (size_t i = 0; i < SAMPLE_COUNT; i++)
        add_sample(writer, &samples[i], NULL);
    vind_xapian_writer_commit(writer, NULL);
    vind_xapian_writer_close(writer);

    enum { THREADS = 4 };
    pthread_t threads[THREADS];
    search_thread_t jobs[THREADS];
    int started = 0;
    for (int i = 0; i < THREADS; i++) {
        jobs[i] = (search_thread_t){path, 0};
        if (pthread_create(&threads[i], NULL, search_thread, &jobs[i]) == 0)
            started++;
        else
            break;
    }
    int failures = 0;
    for (int i = 0; i < started; i++) {
        pthread_join(threads[i], NULL);
        failures += jobs[i].failures;
    }
    CHECK_INT(started, THREADS, "four search threads started");
    CHECK_INT(failures, 0, "four threads x 200 searches (match_all, FILTER) all correct");
}

/* A term longer than Xapian's 245-byte limit fails when the document is added. */
static void test_long_term(void)
{
    vind_xapian_writer_t *writer = NULL;
    if (vind_xapian_writer_open(database_path("long"), 1, &writer, NULL) != VIND_OK) {
        CHECK(0, "open the long-term database");
        return;
    }
    char long_term[400];
    memset(long_term, 'a', sizeof long_term - 1);
    long_term[sizeof long_term - 1] = '\0';
    vind_xapian_document_t *document = vind_xapian_document_new();
    vind_xapian_document_add_posting(document, long_term, 1, 1, NULL);
    char *message = NULL;
    vind_status_t status = vind_xapian_writer_add_document(writer, document, NULL, &message);
    if (status == VIND_OK)
        status = vind_xapian_writer_commit(writer, &message);
    CHECK_INT(status, VIND_XAPIAN, "a 399-byte term: VIND_XAPIAN");
    CHECK(message != NULL && strstr(message, "too long") != NULL, "the message says too long");
    free(message);
    vind_xapian_document_free(document);
    vind_xapian_writer_close(writer);
}

/*
 * Fault injection runs in a fresh process (this program run again with
 * --fault-child), because VIND_XAPIAN_FAIL_AFTER is read once per process and
 * this one has long read it. The child reports through its exit code.
 */
static int fault_child(const char *path)
{
    vind_xapian_writer_t *writer = NULL;
    if (vind_xapian_writer_open(path, 1, &writer, NULL) != VIND_OK) /* call 1 */
        return 10;
    uint32_t count = 0;
    if (vind_xapian_writer_doc_count(writer, &count, NULL) != VIND_OK) /* call 2 */
        return 11;
    char *message = NULL;
    if (vind_xapian_writer_commit(writer, &message) != VIND_XAPIAN) /* call 3: fails */
        return 12;
    if (message == NULL || strstr(message, "injected fault") == NULL ||
        strstr(message, path) == NULL)
        return 13;
    free(message);
    message = NULL;
    if (vind_xapian_writer_add_spelling(writer, "zorg", 1, &message) != VIND_XAPIAN) /* call 4 */
        return 14;
    free(message);
    vind_xapian_writer_close(writer);
    return 0;
}

static void test_fault_injection(void)
{
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        setenv("VIND_XAPIAN_FAIL_AFTER", "3", 1);
        execl("/proc/self/exe", "test_xapian", "--fault-child", database_path("fault"),
              (char *)NULL);
        _exit(127);
    }
    int status = 0;
    CHECK(child > 0 && waitpid(child, &status, 0) == child, "fault-injection child ran");
    CHECK(WIFEXITED(status), "the child did not crash");
    CHECK_INT(WEXITSTATUS(status), 0,
              "VIND_XAPIAN_FAIL_AFTER=3: calls 1-2 succeed, 3 and 4 give VIND_XAPIAN "
              "\"injected fault\" naming the path");
}

/* vind_xapian_writer_store_document_by_term leaves an unsharded writer's
 * document to the caller (the indexer frees it on its analysis thread),
 * adds, then replaces by the term, and refuses a missing document. */
static void test_store_document_by_term(void)
{
    vind_xapian_writer_t *writer =
        new_writer("store-document", "writer_open for store_document_by_term");
    if (!writer)
        return;
    vind_xapian_document_t *document = vind_xapian_document_new();
    vind_xapian_document_t *kept = document;
    uint32_t first = 0, second = 0;
    int added_first = 0, added_second = 1;
    vind_status_t status =
        document ? vind_xapian_document_add_posting(document, "zorg", 1, 1, NULL) : VIND_NOMEM;
    if (status == VIND_OK)
        status = vind_xapian_document_add_boolean_term(document, "Qone", NULL);
    if (status == VIND_OK)
        status = vind_xapian_writer_store_document_by_term(writer, "Qone", &document, &first,
                                                           &added_first, NULL);
    CHECK(status == VIND_OK && document == kept && first == 1 && added_first,
          "store_document_by_term adds docid 1 and leaves the document to the caller");
    if (status == VIND_OK)
        status = vind_xapian_writer_store_document_by_term(writer, "Qone", &document, &second,
                                                           &added_second, NULL);
    CHECK(status == VIND_OK && document == kept && second == 1 && !added_second,
          "stored again by the same term: replaced (docid 1, not added)");
    vind_xapian_document_free(document);
    vind_xapian_document_t *none = NULL;
    char *message = NULL;
    CHECK(vind_xapian_writer_store_document_by_term(writer, "Qtwo", &none, NULL, NULL,
                                                    &message) == VIND_INVALID_ARGUMENT &&
              message != NULL,
          "store_document_by_term without a document: VIND_INVALID_ARGUMENT, with a message");
    free(message);
    vind_xapian_writer_commit(writer, NULL);
    vind_xapian_writer_close(writer);
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--fault-child") == 0)
        return fault_child(argv[2]);
    if (mkdtemp(base_dir) == NULL) {
        perror("mkdtemp");
        return 1;
    }
    test_sortable();
    test_open_missing();
    test_write_and_read();
    test_set_value();
    test_read_cache();
    test_read_metadata();
    test_lend_metadata();
    test_facet_ordinals();
    test_value_ranks();
    test_collapse_after_run();
    test_percents_off();
    test_term_in();
    test_count_after_deletions();
    test_store_document_by_term();
    test_enquire();
    test_transactions();
    test_lock();
    test_corrupt();
    test_null_arguments();
    test_index_changed();
    test_threads();
    test_long_term();
    test_fault_injection();
    remove_tree(base_dir);
    return check_done();
}
