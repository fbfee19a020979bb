/* test_index_hardening.c - the index's defences against hostile file names
 * and a full disk (issue 8): URLs of names with control bytes or bytes that
 * are not UTF-8, and a run whose index cannot be written. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>

#include <vind/analyze.h>
#include <vind/index.h>
#include "check.h"
#include "url_check.h"

static void test_hostile_names(void)
{
    check_url_for("/", "site", "site/regel\neinde.html", "/regel%0Aeinde.html",
                  "a newline in a file name is percent-encoded");
    check_url_for("/", "site", "site/ongeldig-\xff\xfe.html", "/ongeldig-%FF%FE.html",
                  "bytes that are not UTF-8 are percent-encoded");
    check_url_for("/", "site", "site/cli\xc3\xabnten/co\xc3\xb6rdinatoren.pdf",
                  "/cli\xc3\xabnten/co\xc3\xb6rdinatoren.pdf",
                  "valid UTF-8 (cliënten, coördinatoren) stays as it is");
    check_url_for("/", "site", "site/half-\xc3.pdf", "/half-%C3.pdf",
                  "a UTF-8 sequence cut short is encoded");
    check_url_for("/", "site", "site/tab\there/index.html", "/tab%09here/",
                  "a tab is encoded and index.html still becomes /");
    check_url_for("/", "site", "site/jaarverslag 2023.pdf", "/jaarverslag%202023.pdf",
                  "a space is percent-encoded (issue 11)");
    char *url = vind_index_url_for("/", "site", "site");
    CHECK(url != NULL, "a root that is the path itself gives a URL");
    free(url);
}

/* A run over a folder whose index folder was removed under it: the failure
 * names the index and says the index stays at its last commit. */
static void test_index_failure_message(void)
{
    char folder[] = "/tmp/vind-hardening-XXXXXX";
    if (!mkdtemp(folder)) {
        SKIP("no temporary folder");
        return;
    }
    char *site = g_build_filename(folder, "site", NULL);
    char *db = g_build_filename(folder, "db", NULL);
    g_mkdir_with_parents(site, 0755);
    char *page = g_build_filename(site, "a.html", NULL);
    g_file_set_contents(page,
                        "<html lang=\"nl\"><head><title>Zorg</title></head><body><main><h1>Zorg"
                        "</h1><p>De bewoners en hun naasten.</p></main></body></html>",
                        -1, NULL);
    char *errmsg = NULL;
    vind_lexicon_t *lexicon = NULL;
    vind_index_t *index = NULL;
    if (vind_lexicon_open(NULL, &lexicon, &errmsg) != VIND_OK ||
        vind_index_open(db, lexicon, &index, &errmsg) != VIND_OK) {
        SKIP("no lexicon or index here");
        free(errmsg);
        vind_lexicon_close(lexicon);
        return;
    }
    /* Pull the index's files from under it: the commit cannot succeed. */
    char *command = g_strdup_printf("rm -rf '%s'", db);
    int removed = system(command);
    g_free(command);
    vind_index_options_t opts;
    vind_index_options_init(&opts);
    opts.jobs = 1;
    opts.extract.isolate = 0;
    const char *roots[] = {site};
    vind_index_report_t report;
    vind_status_t status = vind_index_run(index, roots, 1, &opts, &report, &errmsg);
    if (removed != 0 || status == VIND_OK) {
        /* Xapian keeps the files open: on some systems the run still succeeds. */
        SKIP("the index survived the removal of its folder here");
    } else {
        CHECK(errmsg && strncmp(errmsg, db, strlen(db)) == 0, "the failure names the index first");
        CHECK(errmsg && strstr(errmsg, "stays at its last commit"),
              "and says the index stays at its last commit");
        if (errmsg)
            printf("# %s\n", errmsg);
    }
    free(errmsg);
    vind_index_close(index);
    vind_lexicon_close(lexicon);
    command = g_strdup_printf("rm -rf '%s'", folder);
    if (system(command) != 0)
        printf("# could not remove %s\n", folder);
    g_free(command);
    g_free(page);
    g_free(site);
    g_free(db);
}

int main(void)
{
    test_hostile_names();
    test_index_failure_message();
    return check_done();
}
