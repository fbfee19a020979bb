/*
 * test_isolate.c - extraction in a child process: a hang gives
 * VIND_TIMEOUT, a crash VIND_CRASHED, an allocation beyond the memory limit
 * VIND_TOO_LARGE or VIND_NOMEM, a child's error comes back unchanged, and
 * the parent survives each. Also vind_extract_file's checks before reading
 * (size, empty file, type by magic).
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <glib.h>
#include <vind/doc.h>
#include <vind/extract.h>

#include "check.h"
#include "error.h"
#include "isolate.h"

static vind_status_t sleeps(void *arg, vind_doc_t **out, char **errmsg)
{
    (void)arg;
    (void)out;
    (void)errmsg;
    sleep(30);
    return VIND_OK;
}

static vind_status_t crashes(void *arg, vind_doc_t **out, char **errmsg)
{
    (void)arg;
    (void)out;
    (void)errmsg;
    raise(SIGSEGV);
    return VIND_OK;
}

#if !defined(__SANITIZE_ADDRESS__)
static vind_status_t eats_memory(void *arg, vind_doc_t **out, char **errmsg)
{
    (void)arg;
    (void)out;
    /* like poppler's new[] on a hostile image size: far beyond the limit */
    char *block = g_malloc((gsize)3 * 1024 * 1024 * 1024);
    block[0] = 1;
    return vind_error(errmsg, VIND_INTERNAL, "allocation unexpectedly succeeded (%d)", block[0]);
}

#endif

static vind_status_t fails(void *arg, vind_doc_t **out, char **errmsg)
{
    (void)arg;
    (void)out;
    return vind_error(errmsg, VIND_ENCRYPTED, "geheim.pdf: encrypted PDF, needs a password");
}

static vind_status_t succeeds(void *arg, vind_doc_t **out, char **errmsg)
{
    (void)errmsg;
    vind_doc_t *doc = vind_doc_new();
    doc->title = strdup((const char *)arg);
    vind_doc_append(&doc->pages, &doc->n_pages, "Eerste pagina", 0);
    vind_doc_append(&doc->pages, &doc->n_pages, "", 0);
    doc->n_empty_pages = 1;
    *out = doc;
    return VIND_OK;
}

/* The OCR of a long scan: asks for more time, then takes 2 s under a 1 s limit. */
static vind_status_t asks_more_time(void *arg, vind_doc_t **out, char **errmsg)
{
    for (int i = 0; i < 4; i++) {
        vind_isolate_more_time(1000);
        usleep(500 * 1000);
    }
    return succeeds(arg, out, errmsg);
}

static void test_more_time(void)
{
    vind_doc_t *doc = NULL;
    char *errmsg = NULL;
    vind_status_t status =
        vind_isolate_run(asks_more_time, "Scan", "scan.pdf", 1, 0, &doc, &errmsg);
    CHECK_INT(status, VIND_OK, "a child that asks for more time is not killed at the limit");
    CHECK(doc != NULL && doc->title != NULL && strcmp(doc->title, "Scan") == 0,
          "and its answer arrives after the requests");
    vind_doc_free(doc);
    free(errmsg);
    vind_isolate_more_time(1000); /* outside a child: nothing happens */
    CHECK(1, "vind_isolate_more_time outside a child does nothing");
}

static void test_run(void)
{
    vind_doc_t *doc = (vind_doc_t *)1;
    char *errmsg = NULL;
    time_t start = time(NULL);
    vind_status_t status = vind_isolate_run(sleeps, NULL, "traag.pdf", 1, 0, &doc, &errmsg);
    CHECK_INT(status, VIND_TIMEOUT, "a hanging child: VIND_TIMEOUT");
    CHECK(time(NULL) - start <= 3, "the parent waited about the time limit");
    CHECK(doc == NULL && errmsg != NULL && strstr(errmsg, "traag.pdf") != NULL,
          "timeout: message names the file");
    printf("# %s\n", errmsg ? errmsg : "");
    free(errmsg);

    errmsg = NULL;
    status = vind_isolate_run(crashes, NULL, "kapot.pdf", 10, 0, &doc, &errmsg);
    CHECK_INT(status, VIND_CRASHED, "a crashing child: VIND_CRASHED");
    CHECK(errmsg != NULL && strstr(errmsg, "SIGSEGV") != NULL, "crash: message names SIGSEGV");
    printf("# %s\n", errmsg ? errmsg : "");
    free(errmsg);

#if !defined(__SANITIZE_ADDRESS__)
    errmsg = NULL;
    status =
        vind_isolate_run(eats_memory, NULL, "groot.pdf", 10, 512ull * 1024 * 1024, &doc, &errmsg);
    CHECK(status == VIND_TOO_LARGE || status == VIND_NOMEM,
          "allocation beyond the memory limit: VIND_TOO_LARGE");
    printf("# %s\n", errmsg ? errmsg : "");
    free(errmsg);
#else
    SKIP("memory limit not applied under ASan");
#endif

    errmsg = NULL;
    status = vind_isolate_run(fails, NULL, "geheim.pdf", 10, 0, &doc, &errmsg);
    CHECK_INT(status, VIND_ENCRYPTED, "a child's error status comes back unchanged");
    CHECK_STR(errmsg, "geheim.pdf: encrypted PDF, needs a password", "and its message too");
    free(errmsg);

    errmsg = NULL;
    status = vind_isolate_run(succeeds, "Co\xC3\xB6rdinatoren", "goed.html", 10,
                              512ull * 1024 * 1024, &doc, &errmsg);
    CHECK_INT(status, VIND_OK, "a child's document comes back");
    CHECK(doc != NULL && doc->title && strcmp(doc->title, "Co\xC3\xB6rdinatoren") == 0 &&
              doc->n_pages == 2 && doc->n_empty_pages == 1,
          "document fields survive the pipe");
    vind_doc_free(doc);
    CHECK(1, "the parent is still alive after a timeout, a crash and a memory failure");
}

typedef struct {
    const char *path;
    int failures;
} worker_t;

static void *extract_many(void *arg)
{
    worker_t *worker = arg;
    vind_extract_options_t opts;
    vind_extract_options_init(&opts);
    for (int i = 0; i < 25; i++) {
        vind_doc_t *doc = NULL;
        char *errmsg = NULL;
        vind_status_t status = vind_extract_file(worker->path, &opts, &doc, &errmsg);
        if (status != VIND_OK || doc == NULL || doc->n_pages != 1 ||
            strstr(doc->pages[0], "verpleeghuiszorg") == NULL) {
            worker->failures++;
            printf("# extraction %d: %s: %s\n", i, vind_status_to_string(status),
                   errmsg ? errmsg : "wrong text");
        }
        free(errmsg);
        vind_doc_free(doc);
    }
    return NULL;
}

/* Indexer threads each forking their own children: a sibling child holding
 * a copy of our pipe must not confuse the answer or delay it. */
static void test_threads(const char *path)
{
#if defined(__SANITIZE_ADDRESS__)
    /* A fork from a threaded process can copy ASan's allocator lock held by
     * another thread, and the child then hangs until the time limit (1 run
     * in 5 under load): the very reason vind-index forks its workers while
     * single-threaded (lib/isolate.c). ASan would test ASan here. */
    (void)path;
    SKIP("threads forking children: ASan's allocator lock is copied held (plain build only)");
    return;
#endif

    pthread_t threads[4];
    worker_t workers[4];
    for (int i = 0; i < 4; i++) {
        workers[i] = (worker_t){path, 0};
        pthread_create(&threads[i], NULL, extract_many, &workers[i]);
    }
    int failures = 0;
    for (int i = 0; i < 4; i++) {
        pthread_join(threads[i], NULL);
        failures += workers[i].failures;
    }
    CHECK_INT(failures, 0, "4 threads x 25 isolated extractions: all answers right");
}

static char *write_file(const char *dir, const char *name, const char *data, size_t len)
{
    char *path = g_build_filename(dir, name, NULL);
    g_file_set_contents(path, data, (gssize)len, NULL);
    return path;
}

/* vind_extract_file(path) fails with expected (its message freed). */
static void check_extract_fails(const char *path, const vind_extract_options_t *opts,
                                vind_status_t expected, const char *what)
{
    vind_doc_t *doc = NULL;
    char *errmsg = NULL;
    CHECK_INT(vind_extract_file(path, opts, &doc, &errmsg), expected, what);
    vind_doc_free(doc);
    free(errmsg);
}

static void test_extract_file(const char *dir)
{
    vind_extract_options_t opts;
    vind_extract_options_init(&opts);
    CHECK(opts.isolate == 1 && opts.max_bytes > 0 && opts.timeout_seconds > 0,
          "defaults: isolated, with limits");
    vind_doc_t *doc = NULL;
    char *errmsg = NULL;

    char *empty = write_file(dir, "leeg.html", "", 0);
    CHECK_INT(vind_extract_file(empty, &opts, &doc, &errmsg), VIND_UNSUPPORTED_FILE, "0 bytes");
    CHECK(errmsg != NULL && strstr(errmsg, "empty file") != NULL, "0 bytes: 'empty file'");
    free(errmsg);

    const char *page = "<html lang=\"nl\"><head><title>Zorg</title></head><body><main>"
                       "<p>Radicale vernieuwing in de verpleeghuiszorg.</p></main></body></html>";
    char *html = write_file(dir, "pagina.html", page, strlen(page));
    opts.max_bytes = 10;
    errmsg = NULL;
    CHECK_INT(vind_extract_file(html, &opts, &doc, &errmsg), VIND_TOO_LARGE,
              "larger than max_bytes: refused before reading");
    free(errmsg);
    opts.max_bytes = 0;
    errmsg = NULL;
    CHECK_INT(vind_extract_file(html, &opts, &doc, &errmsg), VIND_OK, "HTML through the child");
    CHECK(doc != NULL && doc->n_pages == 1 && strstr(doc->pages[0], "verpleeghuiszorg") != NULL &&
              doc->path && strcmp(doc->path, html) == 0,
          "HTML text and path came back from the child");
    vind_doc_free(doc);
    doc = NULL;
    test_threads(html);
    opts.isolate = 0;
    CHECK_INT(vind_extract_file(html, &opts, &doc, NULL), VIND_OK, "HTML in process");
    vind_doc_free(doc);
    doc = NULL;
    opts.isolate = 1;

    /* markup without an .html name is HTML; plain text is not */
    char *markup = write_file(dir, "zonder-extensie", page, strlen(page));
    CHECK_INT(vind_extract_file(markup, &opts, &doc, NULL), VIND_OK,
              "markup sniffed without .html");
    vind_doc_free(doc);
    doc = NULL;
    const char *notes = "Gewone aantekeningen, geen opmaak.\n";
    char *text = write_file(dir, "notities.txt", notes, strlen(notes));
    check_extract_fails(text, &opts, VIND_UNSUPPORTED_FILE, "plain text file: unsupported");
    const char *fake = "Dit is geen PDF maar heet wel zo.";
    char *fake_pdf = write_file(dir, "nep.pdf", fake, strlen(fake));
    check_extract_fails(fake_pdf, &opts, VIND_CORRUPT_FILE,
                        "random bytes named .pdf: corrupt (as the corpus's IAmWrongPDF)");
    char *missing = g_build_filename(dir, "bestaat-niet.html", NULL);
    check_extract_fails(missing, &opts, VIND_NOT_FOUND, "missing file");
    check_extract_fails(dir, &opts, VIND_UNSUPPORTED_FILE, "a directory");
    CHECK_INT(vind_extract_file(NULL, &opts, &doc, NULL), VIND_INVALID_ARGUMENT, "NULL path");

    const char *paths[] = {empty, html, markup, text, fake_pdf};
    for (size_t i = 0; i < 5; i++)
        unlink(paths[i]);
    g_free(empty);
    g_free(html);
    g_free(markup);
    g_free(text);
    g_free(fake_pdf);
    g_free(missing);
}

/* A pool job: the worker's pid as the title; "grow" first keeps 300 MB
 * resident (a leak, as poppler's caches between documents). */
static vind_status_t says_pid(void *context, const char *path, const vind_file_id_t *id,
                              vind_doc_t **out, char **errmsg)
{
    (void)context;
    (void)id;
    (void)errmsg;
    if (strcmp(path, "grow") == 0) {
        static volatile char *kept; /* volatile: the writes stay, the pages resident */
        kept = malloc(300u * 1024u * 1024u);
        for (size_t i = 0; kept && i < 300u * 1024u * 1024u; i += 4096)
            kept[i] = 1;
    }
    *out = vind_doc_new();
    (*out)->title = g_strdup_printf("%ld", (long)getpid());
    return VIND_OK;
}

/* The title (pid) of one pool job on path. */
static char *pool_job(vind_isolate_pool_t *pool, const char *path)
{
    void *tag = NULL;
    vind_status_t job_status = VIND_OK;
    vind_doc_t *doc = NULL;
    char *job_errmsg = NULL, *errmsg = NULL;
    char *pid = NULL;
    if (vind_isolate_pool_submit(pool, path, NULL, NULL, &errmsg) == VIND_OK &&
        vind_isolate_pool_wait(pool, &tag, &job_status, &doc, &job_errmsg, &errmsg) == VIND_OK &&
        doc)
        pid = strdup(doc->title);
    vind_doc_free(doc);
    free(job_errmsg);
    free(errmsg);
    return pid;
}

/* A pool worker serves file after file while its memory stays small (a
 * fork of a big indexer costs copy-on-write faults: isolate.c), and is
 * replaced once its resident memory has grown past the limit. */
static void test_pool_recycling(void)
{
    vind_isolate_pool_t *pool = NULL;
    char *errmsg = NULL;
    CHECK(vind_isolate_pool_new(says_pid, NULL, 1, 10, 2048ull * 1024 * 1024, &pool, &errmsg) ==
              VIND_OK,
          "pool: one worker started");
    if (!pool) {
        free(errmsg);
        return;
    }
    GHashTable *pids = g_hash_table_new_full(g_str_hash, g_str_equal, free, NULL);
    for (int i = 0; i < 300; i++) {
        char *pid = pool_job(pool, "small");
        if (pid)
            g_hash_table_add(pids, pid);
    }
    CHECK_INT(g_hash_table_size(pids), 1, "pool: 300 small jobs served by the one worker");
    char *before = pool_job(pool, "grow");
    char *after = pool_job(pool, "small");
    CHECK(before && after && strcmp(before, after) != 0,
          "pool: a worker past 256 MB resident is replaced before its next job");
    free(before);
    free(after);
    g_hash_table_destroy(pids);
    vind_isolate_pool_free(pool);
}

/* A worker forked from a big caller (an indexer with a large Xapian batch;
 * any indexer under ASan) holds the caller's pages from birth: it is still
 * kept for file after file, and replaced only when it has grown itself. */
static void test_pool_big_parent(void)
{
    size_t size = 300u * 1024u * 1024u;
    volatile char *held = malloc(size); /* volatile: the writes stay, the pages resident */
    for (size_t i = 0; held && i < size; i += 4096)
        held[i] = 1;
    vind_isolate_pool_t *pool = NULL;
    char *errmsg = NULL;
    CHECK(held && vind_isolate_pool_new(says_pid, NULL, 1, 10, 4096ull * 1024 * 1024, &pool,
                                        &errmsg) == VIND_OK,
          "pool of a caller holding 300 MB: one worker started");
    GHashTable *pids = g_hash_table_new_full(g_str_hash, g_str_equal, free, NULL);
    for (int i = 0; pool && i < 50; i++) {
        char *pid = pool_job(pool, "small");
        if (pid)
            g_hash_table_add(pids, pid);
    }
    CHECK_INT(g_hash_table_size(pids), 1,
              "pool of a caller holding 300 MB: 50 small jobs served by the one worker");
    char *before = pool ? pool_job(pool, "grow") : NULL;
    char *after = pool ? pool_job(pool, "small") : NULL;
    CHECK(before && after && strcmp(before, after) != 0,
          "pool of a caller holding 300 MB: a worker grown by 300 MB is replaced");
    free(before);
    free(after);
    g_hash_table_destroy(pids);
    vind_isolate_pool_free(pool);
    free(errmsg);
    free((void *)held);
}

/* A record with every field set, a title that is not UTF-8 and an empty page. */
static vind_status_t full_record(void *arg, vind_doc_t **out, char **errmsg)
{
    (void)arg;
    (void)errmsg;
    vind_doc_t *doc = vind_doc_new();
    doc->path = strdup("/site/verslag-\xff.pdf");
    doc->url = strdup("/verslag/");
    doc->type = VIND_DOC_PDF;
    doc->title = strdup("Jaarverslag \xe9\xe9n\x01");
    doc->date = strdup("2021-10-28");
    doc->author = strdup("Gemeente");
    doc->description = strdup("Over \"zorg\"\n\tin de wijk \xc3\xa9");
    doc->lang = strdup("nl");
    doc->canonical = strdup("https://example.nl/verslag/");
    doc->section = strdup("verslag");
    vind_doc_append(&doc->tags, &doc->n_tags, "Zorg", 0);
    vind_doc_append(&doc->tags, &doc->n_tags, "Zorg", 0);
    vind_doc_append(&doc->themes, &doc->n_themes, "Wonen", 0);
    vind_doc_append(&doc->links, &doc->n_links, "/a.pdf", 0);
    vind_doc_append(&doc->pages, &doc->n_pages, "Eerste pagina.\n\nTweede alinea.", 0);
    vind_doc_append(&doc->pages, &doc->n_pages, "", 0);
    doc->n_empty_pages = 1;
    doc->ocr_confidence = calloc(3, sizeof *doc->ocr_confidence);
    doc->ocr_confidence[0] = -1;
    doc->ocr_confidence[1] = 87;
    vind_doc_append(&doc->ocr_doubtful, &doc->n_ocr_doubtful, "wrd", 0);
    doc->ocr_recognised = 1;
    doc->ocr_cached = 2;
    doc->ocr_seconds = 1.0 / 3.0;
    doc->is_listing = 0;
    doc->listing_reason = strdup("geen");
    doc->warning = strdup("bytes that are not UTF-8 were read as windows-1252");
    *out = doc;
    return VIND_OK;
}

/* The parent reads the worker's record as it read it from the JSON the
 * worker sent before (every field, invalid UTF-8 made valid): the packed form
 * is only faster. */
static void test_record_round_trip(void)
{
    vind_doc_t *sent = NULL, *received = NULL, *via_json = NULL;
    char *errmsg = NULL;
    full_record(NULL, &sent, NULL);
    vind_status_t status =
        vind_isolate_run(full_record, NULL, "verslag.pdf", 10, 0, &received, &errmsg);
    CHECK_INT(status, VIND_OK, "record: the worker's full record arrives");
    char *json = vind_doc_to_json(sent);
    CHECK_INT(vind_doc_from_json(json, strlen(json), &via_json, NULL), VIND_OK,
              "record: the same record through JSON");
    char *expected = vind_doc_to_json(via_json);
    char *got = received != NULL ? vind_doc_to_json(received) : NULL;
    CHECK(got != NULL && expected != NULL && strcmp(got, expected) == 0,
          "record: every field as the JSON gave it");
    CHECK(received != NULL && received->ocr_seconds == sent->ocr_seconds &&
              received->ocr_confidence != NULL && received->ocr_confidence[1] == 87,
          "record: numbers exact");
    if (got != NULL && expected != NULL && strcmp(got, expected) != 0)
        printf("# got      %s\n# expected %s\n", got, expected);
    free(json);
    free(expected);
    free(got);
    free(errmsg);
    vind_doc_free(sent);
    vind_doc_free(received);
    vind_doc_free(via_json);
}

int main(void)
{
    char template[] = "/tmp/vind-test-isolate-XXXXXX";
    char *dir = mkdtemp(template);
    test_run();
    test_more_time();
    test_record_round_trip();
    test_pool_recycling();
    test_pool_big_parent();
    if (dir != NULL) {
        test_extract_file(dir);
        rmdir(dir);
    }
    return check_done();
}
