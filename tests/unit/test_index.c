/* test_index.c - URLs of files, the file walk, and the relation of PDFs to
 * the articles that link them (issue 3). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <vind/index.h>
#include "walk.h"
#include "check.h"
#include "url_check.h"

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
    check_url_for("/", "site", "site/actueel/x/index.html", "/actueel/x/",
                  "x/index.html is served as x/");
    check_url_for("https://example.nl", "site/", "site/rapporten/a.pdf",
                  "https://example.nl/rapporten/a.pdf", "base URL without slash, root with one");
    check_url_for("/", "site", "site/index.html", "/", "the home page is /");
    check_url_for("/pdf/", "reports/a.pdf", "reports/a.pdf", "/pdf/a.pdf",
                  "a root that is a single file keeps its name");
    check_url_for("/", "site", "site/over-ons.html", "/over-ons.html",
                  "other HTML files keep their name");
    /* Issue 11: bytes a URL path cannot hold raw are percent-encoded. */
    static const char *const encoded[][2] = {
        {"site/hash#frag.html", "/hash%23frag.html"},
        {"site/vraag?x=1.html", "/vraag%3Fx=1.html"},
        {"site/pct%41.html", "/pct%2541.html"},
        {"site/met spatie.html", "/met%20spatie.html"},
        {"site/\\attacker.example/index.html", "/%5Cattacker.example/"},
        {"site/a\"b<c>`{|}^[].html", "/a%22b%3Cc%3E%60%7B%7C%7D%5E%5B%5D.html"},
        {"site/keep-._~!$&'()*+,;=:@.html", "/keep-._~!$&'()*+,;=:@.html"},
        {"site/cli\xc3\xabnten.html", "/cli\xc3\xabnten.html"},
        /* invisible characters: U+00A0, U+202E (right-to-left override), U+200B */
        {"site/a\xc2\xa0" "b.html", "/a%C2%A0b.html"},
        {"site/\xe2\x80\xaelmth.exe.html", "/%E2%80%AElmth.exe.html"},
        {"site/zero\xe2\x80\x8bwidth.html", "/zero%E2%80%8Bwidth.html"},
    };
    for (size_t i = 0; i < sizeof encoded / sizeof encoded[0]; i++) {
        check_url_for("/", "site", encoded[i][0], encoded[i][1], encoded[i][0]);
    }
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
    /* The link back to the root is listed too, as skipped (below). */
    CHECK_INT(walk.count, 3, "walk finds the HTML and the upper-case .PDF, not the CSS");
    if (walk.count == 3) {
        CHECK(strstr(walk.files[0].path, "a.PDF") != NULL, "files come sorted by path");
        CHECK(walk.files[1].size == 8, "size is recorded");
    }
    vind_walk_free(&walk);

    /* Issue 11: a link to a file outside the roots, a link to a device and a
     * FIFO are listed as refused, with a reason; a link inside is taken. */
    snprintf(path, sizeof path, "%s/passwd.html", dir);
    symlink("/etc/passwd", path);
    snprintf(path, sizeof path, "%s/zero.html", dir);
    symlink("/dev/zero", path);
    snprintf(path, sizeof path, "%s/fifo.html", dir);
    mkfifo(path, 0644);
    snprintf(path, sizeof path, "%s/inside.html", dir);
    symlink("b/index.html", path);
    /* A link to a folder is not followed (no loops, nothing from outside),
     * but its pages are not indexed: said, not silent (session 9: a site's
     * media -> /srv/media lost every PDF without a word). */
    snprintf(path, sizeof path, "%s/media", dir);
    symlink("/usr/share", path);
    CHECK_INT(vind_walk(roots, 1, &walk, &errmsg), VIND_OK, "walk succeeds over links and a FIFO");
    static const char *const expected[][2] = {
        {"/fifo.html", "not a regular file (fifo), not indexed"},
        {"/inside.html", NULL},
        {"/loop", "symbolic link to a folder, not followed"},
        {"/media", "symbolic link to a folder, not followed"},
        {"/passwd.html", "symbolic link out of the site, not indexed"},
        {"/zero.html", "not a regular file (character device), not indexed"},
    };
    for (size_t e = 0; e < sizeof expected / sizeof expected[0]; e++) {
        const vind_walk_file_t *found = NULL;
        for (size_t i = 0; i < walk.count; i++)
            if (strstr(walk.files[i].path, expected[e][0]))
                found = &walk.files[i];
        CHECK(found != NULL, expected[e][0]);
        if (!found)
            continue;
        if (expected[e][1])
            CHECK(found->unreadable && found->reason && strcmp(found->reason, expected[e][1]) == 0 &&
                      found->skipped == (strstr(expected[e][1], "folder") != NULL),
                  expected[e][1]);
        else
            CHECK(!found->unreadable, "a link to a file inside the site is taken");
    }
    /* The reading side opens only the file the walk saw. */
    for (size_t i = 0; i < walk.count; i++) {
        if (!strstr(walk.files[i].path, "/inside.html"))
            continue;
        char *reason = NULL;
        int fd = vind_walk_open(walk.files[i].path, &walk.files[i].id, &reason);
        CHECK(fd >= 0, "the walked file opens");
        if (fd >= 0)
            close(fd);
        unlink(walk.files[i].path);
        symlink("/etc/passwd", walk.files[i].path); /* swapped after the walk */
        fd = vind_walk_open(walk.files[i].path, &walk.files[i].id, &reason);
        CHECK(fd < 0 && reason && strstr(reason, "replaced"),
              "a file swapped for a link out of the site after the walk is not read");
        if (fd >= 0)
            close(fd);
        free(reason);
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
