/*
 * test_walk.c - the walk under a relative root whose real path is longer
 * than the names fts gives (the hostile probe of session 13): a folder
 * whose real path passes PATH_MAX is reported as a path too long, not as a
 * folder "moved out of the site" (it was: the check of where an entry
 * really is reads its real path, and could not), and the pages above it
 * are walked. Other walk cases: tests/unit/test_index.c.
 */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "walk.h"
#include "check.h"

#define NAME "dddddddddddddddddddddddddddddddddddddddddddddddddd" /* 50 bytes */

/* Writes a small page at name in the folder of dirfd. */
static void write_page(int dirfd, const char *name)
{
    int fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
        static const char page[] = "<html><title>t</title><p>woord</p></html>";
        ssize_t written = write(fd, page, sizeof page - 1);
        (void)written;
        close(fd);
    }
}

/* Nests NAME folders under "site" in the current folder until the relative
 * path is shorter than PATH_MAX by less than the real prefix adds, with a
 * page near the top and one at the bottom. Returns the depth. */
static int make_deep_site(size_t prefix)
{
    mkdir("site", 0755);
    int fd = open("site", O_RDONLY | O_DIRECTORY);
    write_page(fd, "top.html");
    size_t length = strlen("site");
    int depth = 0;
    /* Relative paths stay under PATH_MAX; real ones pass it. */
    while (fd >= 0 && length + 1 + strlen(NAME) + prefix < PATH_MAX + 60 &&
           length + 1 + strlen(NAME) + strlen("/bottom.html") < PATH_MAX) {
        mkdirat(fd, NAME, 0755);
        int next = openat(fd, NAME, O_RDONLY | O_DIRECTORY);
        close(fd);
        fd = next;
        length += 1 + strlen(NAME);
        depth++;
    }
    if (fd >= 0) {
        write_page(fd, "bottom.html");
        close(fd);
    }
    return depth;
}

/* A hidden place (a name starting with a dot, below the root) is listed as
 * skipped and hidden, with the dotted name in its reason; a page beside it
 * is walked; a root named with a dot is walked itself. */
static void check_hidden(void)
{
    mkdir("hsite", 0755);
    mkdir("hsite/.git", 0755);
    mkdir("hsite/.git/objects", 0755);
    int fd = open("hsite", O_RDONLY | O_DIRECTORY);
    write_page(fd, "page.html");
    write_page(fd, ".hidden.html");
    write_page(fd, ".git/objects/x.html");
    write_page(fd, ".git/HEAD");
    close(fd);
    const char *roots[] = {"hsite", "hsite/.git"};
    vind_walk_t walk;
    char *errmsg = NULL;
    CHECK_INT(vind_walk(roots, 2, &walk, &errmsg), VIND_OK, "the walk of a site with dot names");
    int page = 0, dot_file = 0, in_git = 0, in_git_root = 0, other = 0;
    for (size_t i = 0; i < walk.count; i++) {
        const vind_walk_file_t *file = &walk.files[i];
        int hidden = file->hidden && file->skipped && file->unreadable && file->reason;
        if (strcmp(file->path, "hsite/page.html") == 0 && !file->unreadable && !file->hidden)
            page++;
        else if (strcmp(file->path, "hsite/.hidden.html") == 0 && hidden &&
                 strstr(file->reason, "hidden: name starts with a dot (.hidden.html)"))
            dot_file++;
        else if (strcmp(file->path, "hsite/.git/objects/x.html") == 0 && file->root == 0 &&
                 hidden && strstr(file->reason, "(.git/)"))
            in_git++;
        else if (strcmp(file->path, "hsite/.git/objects/x.html") == 0 && file->root == 1 &&
                 !file->unreadable && !file->hidden)
            in_git_root++;
        else
            other++;
    }
    CHECK(page == 1, "a page beside the dot names is walked");
    CHECK(dot_file == 1, "a page whose name starts with a dot is hidden, with its reason");
    CHECK(in_git == 1, "a page in .git/ is hidden, the reason naming .git/");
    CHECK(in_git_root == 1, "a root whose name starts with a dot is walked itself");
    CHECK(other == 0, "nothing else is listed (.git/HEAD is no page)");
    vind_walk_free(&walk);
    free(errmsg);
}

int main(void)
{
    char template[] = "/tmp/vind-walk-XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX";
    char *dir = mkdtemp(template);
    CHECK(dir != NULL, "a temporary folder");
    if (!dir)
        return check_done();
    char here[PATH_MAX];
    CHECK(getcwd(here, sizeof here) != NULL && chdir(dir) == 0, "into it");
    char *real = realpath(dir, NULL);
    size_t prefix = real ? strlen(real) + 1 : strlen(dir) + 1;
    free(real);
    int depth = make_deep_site(prefix);
    CHECK(depth > 10, "a deep site under a relative root");

    const char *roots[] = {"site"};
    vind_walk_t walk;
    char *errmsg = NULL;
    CHECK_INT(vind_walk(roots, 1, &walk, &errmsg), VIND_OK, "the walk succeeds");
    int top = 0, too_long = 0, moved = 0;
    for (size_t i = 0; i < walk.count; i++) {
        const vind_walk_file_t *file = &walk.files[i];
        if (strcmp(file->path, "site/top.html") == 0 && !file->unreadable)
            top = 1;
        if (file->reason && strncmp(file->reason, "path too long (", 15) == 0)
            too_long++;
        if (file->reason && strstr(file->reason, "moved out of the site"))
            moved++;
    }
    CHECK(top, "the page at the top is walked");
    CHECK(too_long == 1, "the first folder whose real path passes PATH_MAX: path too long");
    CHECK(moved == 0, "... and nothing is said to have moved out of the site");
    vind_walk_free(&walk);
    free(errmsg);

    check_hidden();

    CHECK(chdir(here) == 0, "back");
    char command[PATH_MAX + 16];
    snprintf(command, sizeof command, "rm -rf '%s'", dir);
    CHECK(system(command) == 0, "cleaned up");
    return check_done();
}
