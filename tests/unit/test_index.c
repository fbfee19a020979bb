/* test_index.c - URLs of files, the file walk, and the relation of PDFs to
 * the articles that link them (issue 3). */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <vind/index.h>
#include "walk.h"
#include "check.h"

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

static void test_urls(void)
{
    char *url = vind_index_url_for("/", "site", "site/actueel/x/index.html");
    CHECK_STR(url, "/actueel/x/", "x/index.html is served as x/");
    free(url);
    url = vind_index_url_for("https://example.nl", "site/", "site/rapporten/a.pdf");
    CHECK_STR(url, "https://example.nl/rapporten/a.pdf", "base URL without slash, root with one");
    free(url);
    url = vind_index_url_for("/", "site", "site/index.html");
    CHECK_STR(url, "/", "the home page is /");
    free(url);
    url = vind_index_url_for("/pdf/", "reports/a.pdf", "reports/a.pdf");
    CHECK_STR(url, "/pdf/a.pdf", "a root that is a single file keeps its name");
    free(url);
    url = vind_index_url_for("/", "site", "site/over-ons.html");
    CHECK_STR(url, "/over-ons.html", "other HTML files keep their name");
    free(url);
}

static void test_walk(void)
{
    char dir[] = "/tmp/vind-walk-XXXXXX";
    if (!mkdtemp(dir)) {
        SKIP("mkdtemp failed");
        return;
    }
    char path[512];
    snprintf(path, sizeof path, "%s/b", dir);
    mkdir(path, 0755);
    snprintf(path, sizeof path, "%s/b/index.html", dir);
    write_file(path, "<p>b</p>");
    snprintf(path, sizeof path, "%s/a.PDF", dir);
    write_file(path, "%PDF-1.4");
    snprintf(path, sizeof path, "%s/style.css", dir);
    write_file(path, "p{}");
    snprintf(path, sizeof path, "%s/loop", dir);
    symlink(dir, path); /* a link back to the root must not loop */

    const char *roots[] = {dir};
    vind_walk_t walk;
    char *errmsg = NULL;
    CHECK_INT(vind_walk(roots, 1, &walk, &errmsg), VIND_OK, "walk succeeds over a symlink loop");
    CHECK_INT(walk.count, 2, "walk finds the HTML and the upper-case .PDF, not the CSS");
    if (walk.count == 2) {
        CHECK(strstr(walk.files[0].path, "a.PDF") != NULL, "files come sorted by path");
        CHECK(walk.files[1].size == 8, "size is recorded");
    }
    vind_walk_free(&walk);

    const char *missing[] = {"/nonexistent/vind"};
    CHECK_INT(vind_walk(missing, 1, &walk, &errmsg), VIND_INVALID_ARGUMENT, "a missing root fails");
    CHECK(errmsg && strstr(errmsg, "/nonexistent/vind"), "the message names the missing root");
    free(errmsg);

    char command[600];
    snprintf(command, sizeof command, "rm -rf '%s'", dir);
    if (system(command) != 0)
        printf("# could not remove %s\n", dir);
}

int main(void)
{
    test_urls();
    test_walk();
    return check_done();
}
