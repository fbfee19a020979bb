/*
 * walk.c - finds the HTML and PDF files under a site's roots with fts(3).
 *
 * fts keeps its state in its handle (nftw needs a global callback state),
 * FTS_PHYSICAL keeps symlink loops out, and sorting by name makes runs
 * deterministic whatever the file system's directory order.
 */
#include <errno.h>
#include <fcntl.h>
#include <fts.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "error.h"
#include "walk.h"

int vind_walk_wanted(const char *name)
{
    const char *dot = strrchr(name, '.');
    if (!dot)
        return 0;
    /* .xhtml too: the extractor reads it as HTML (lib/extract.c sniff), and a
     * page of the site the walk passed over was dropped without a word. */
    return strcasecmp(dot, ".html") == 0 || strcasecmp(dot, ".htm") == 0 ||
           strcasecmp(dot, ".xhtml") == 0 || strcasecmp(dot, ".pdf") == 0;
}

static int by_name(const FTSENT **a, const FTSENT **b)
{
    return strcmp((*a)->fts_name, (*b)->fts_name);
}

static vind_status_t push(vind_walk_t *walk, size_t *capacity, const char *path, size_t root,
                          const struct stat *st, const char *reason)
{
    if (walk->count == *capacity) {
        size_t grown = *capacity ? *capacity * 2 : 256;
        vind_walk_file_t *files = realloc(walk->files, grown * sizeof *files);
        if (!files)
            return VIND_NOMEM;
        walk->files = files;
        *capacity = grown;
    }
    vind_walk_file_t *file = &walk->files[walk->count];
    memset(file, 0, sizeof *file);
    file->path = strdup(path);
    file->root = root;
    if (st) {
        file->size = (uint64_t)st->st_size;
        file->mtime_ns = (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec;
        file->ctime_ns = (int64_t)st->st_ctim.tv_sec * 1000000000 + st->st_ctim.tv_nsec;
        file->id.dev = (uint64_t)st->st_dev;
        file->id.ino = (uint64_t)st->st_ino;
    }
    if (reason) {
        file->unreadable = 1;
        file->reason = strdup(reason);
    }
    if (!file->path || (reason && !file->reason)) {
        free(file->path);
        free(file->reason);
        return VIND_NOMEM;
    }
    walk->count++;
    return VIND_OK;
}

static int by_path(const void *a, const void *b)
{
    return strcmp(((const vind_walk_file_t *)a)->path, ((const vind_walk_file_t *)b)->path);
}

/* What a file that is not a regular one is, in words. */
static const char *file_kind(mode_t mode)
{
    if (S_ISDIR(mode))
        return "folder";
    if (S_ISFIFO(mode))
        return "fifo";
    if (S_ISSOCK(mode))
        return "socket";
    if (S_ISCHR(mode))
        return "character device";
    if (S_ISBLK(mode))
        return "block device";
    if (S_ISLNK(mode))
        return "symbolic link";
    return "special file";
}

/* The real path of an open descriptor (/proc/self/fd/N), malloc'd, or NULL. */
static char *fd_path(int fd)
{
    char link[64], target[PATH_MAX + 1];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, target, sizeof target - 1);
    if (n <= 0 || (size_t)n >= sizeof target - 1)
        return NULL;
    target[n] = '\0';
    return strdup(target);
}

/* Whether a real path lies inside one of the roots' real paths. */
static int inside(const char *real, char *const *real_roots, size_t n_roots)
{
    for (size_t i = 0; i < n_roots; i++) {
        if (!real_roots[i])
            continue;
        size_t n = strlen(real_roots[i]);
        if (strncmp(real, real_roots[i], n) == 0 &&
            (real[n] == '/' || (n == 1 && real_roots[i][0] == '/')))
            return 1;
    }
    return 0;
}

/* The reason given for a regular file that is a mount of its own. */
static const char mounted_reason[] =
    "a file mounted into the site from elsewhere (a bind mount), not indexed";

/*
 * Whether the regular file open as fd is the root of a mount of its own:
 * `mount --bind /etc/passwd site/passwd.html` shows another file system's
 * file (or /proc's) inside the site, under a real path inside it, where the
 * real-path check of links cannot see it (the hostile probe of session 20:
 * /etc/passwd indexed and found by "root"). A folder mounted in the site
 * is taken as part of it (a site on two disks). Cost: one statx.
 */
static int mounted_file(int fd)
{
    struct statx stx;
    return statx(fd, "", AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW, STATX_TYPE, &stx) == 0 &&
           S_ISREG(stx.stx_mode) && (stx.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT) &&
           (stx.stx_attributes & STATX_ATTR_MOUNT_ROOT);
}

/*
 * A symbolic link under a wanted name: its target, checked through the
 * descriptor of an O_PATH open (no read, no block on a FIFO), is taken only
 * when it is a regular file inside a root. Returns NULL and fills *st, or
 * the reason it is refused (static or in buffer); *refused is 1 when the
 * link is no page of the site (broken, looping, out of it, not to a regular
 * file), 0 when it could not be told (EACCES, EIO).
 */
static const char *check_link(const char *path, char *const *real_roots, size_t n_roots,
                              struct stat *st, char *buffer, size_t size, int *refused)
{
    *refused = 0;
    int fd = open(path, O_PATH | O_CLOEXEC);
    if (fd < 0) {
        /* ENOTDIR: a target under a file ("a.html/x"), as broken as a missing one. */
        *refused = errno == ENOENT || errno == ELOOP || errno == ENOTDIR;
        return *refused ? "broken or looping symbolic link" : strerror(errno);
    }
    const char *reason = NULL;
    char *real = NULL;
    if (fstat(fd, st) != 0) {
        reason = strerror(errno);
    } else if (!S_ISREG(st->st_mode)) {
        snprintf(buffer, size, "not a regular file (%s), not indexed", file_kind(st->st_mode));
        reason = buffer;
        *refused = 1;
    } else if (!(real = fd_path(fd)) || !inside(real, real_roots, n_roots)) {
        reason = "symbolic link out of the site, not indexed";
        *refused = real != NULL;
    } else if (mounted_file(fd)) {
        reason = mounted_reason;
        *refused = 1;
    }
    free(real);
    close(fd);
    return reason;
}

/*
 * Whether what fts found at path (seen: its lstat) is really inside the
 * site now. fts lists and stats a folder's entries by their full path, so
 * a folder swapped for a symbolic link to /etc between the check of the
 * folder and the listing of its entries makes every entry a file or folder
 * outside the site (a site author's rename loop hits it in a few runs of
 * ten). The entry is opened without following a last link (O_PATH: nothing
 * read, never blocks), must be the inode fts saw, and its real path, read
 * from the descriptor, must lie inside a root; a regular file must not be
 * a mount of its own (mounted_file: mounted_reason). Returns NULL, or the
 * reason it is refused. Cost: four system calls per folder (open, fstat,
 * readlink, close), five per file (and statx); the corpus's unchanged run,
 * which only walks and compares, went from 247.2 to 250.0 M instructions
 * (callgrind) with the four.
 */
static const char *moved_out(const char *path, const struct stat *seen, char *const *real_roots,
                             size_t n_roots)
{
    static const char refused[] =
        "moved out of the site while indexing (a folder swapped for a symbolic link?), not indexed";
    int fd = open(path, O_PATH | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return refused;
    struct stat st;
    char *real = NULL;
    int same = fstat(fd, &st) == 0 && st.st_dev == seen->st_dev && st.st_ino == seen->st_ino;
    if (same) {
        real = fd_path(fd);
        /* Without /proc, the real path of the name: checked a moment
         * later than the open, so the inode is compared once more. */
        if (!real && (real = realpath(path, NULL)) != NULL &&
            (stat(real, &st) != 0 || st.st_dev != seen->st_dev || st.st_ino != seen->st_ino)) {
            free(real);
            real = NULL;
        }
    }
    int ok = same && real && inside(real, real_roots, n_roots);
    int mounted = ok && S_ISREG(seen->st_mode) && mounted_file(fd);
    free(real);
    close(fd);
    return mounted ? mounted_reason : ok ? NULL : refused;
}

/* moved_out of an entry below a root; a root itself (a folder, or a file
 * named on the command line) is what was asked for, and is not checked. */
static const char *moved_out_below_root(const FTSENT *entry, char *const *real_roots,
                                        size_t n_roots)
{
    if (entry->fts_level <= FTS_ROOTLEVEL)
        return NULL;
    return moved_out(entry->fts_accpath, entry->fts_statp, real_roots, n_roots);
}

/* How many bytes longer than the paths fts gives (the root as named, one
 * trailing slash dropped, as fts drops it before a child's name) the real
 * paths under it are: the real root's extra length, or 0. */
static size_t real_path_extra(const char *root, const char *real_root)
{
    size_t named = strlen(root);
    if (named > 1 && root[named - 1] == '/')
        named--;
    size_t real = real_root ? strlen(real_root) : 0;
    return real > named ? real - named : 0;
}

/* The reason given for a page the walk does not index because its name, or
 * a folder's above it, starts with a dot. */
static const char hidden_reason[] = "hidden: name starts with a dot (%s), not indexed";

/*
 * Whether entry lies in a hidden place: its own name, or a folder's between
 * it and the root, starts with a dot. *hidden_level is the level of the
 * hidden folder being listed (-1: none); it is set when such a folder is
 * entered and cleared when it is left or found unreadable. A root itself is never
 * hidden: "./site" or ".public" given on the command line is walked. The
 * dotted name is copied into dotted, for the reason.
 */
static int in_hidden_place(const FTSENT *entry, short *hidden_level, char *dotted, size_t size)
{
    if (*hidden_level >= 0) {
        if (entry->fts_level > *hidden_level)
            return 1;
        *hidden_level = -1;
        /* The folder's own second visit: leaving it (FTS_DP), or it could
         * not be listed (FTS_DNR, FTS_ERR: no FTS_DP follows). */
        if (entry->fts_info == FTS_DP || entry->fts_info == FTS_DNR || entry->fts_info == FTS_ERR)
            return 1;
    }
    if (entry->fts_level <= FTS_ROOTLEVEL || entry->fts_name[0] != '.')
        return 0;
    snprintf(dotted, size, "%s%s", entry->fts_name, entry->fts_info == FTS_D ? "/" : "");
    if (entry->fts_info == FTS_D)
        *hidden_level = entry->fts_level;
    return 1;
}

/*
 * An entry in a hidden place: a page there (a wanted name that is a file or
 * a link) is listed as skipped with the reason, so the run says what it
 * left out; anything else there (folders, other files, unreadable folders,
 * links to folders) is passed over without a word, and nothing is ever
 * opened or checked. Cost: the hidden folders are still listed (fts stats
 * each entry), never read: a .git/ of 5,000 objects beside one page took
 * the run from 67.04 to 71.18 M instructions (callgrind), ~830 and one
 * stat per entry; the corpus's unchanged run (no dot names) 251.187 ->
 * 251.208 M (the name check of every entry).
 */
static vind_status_t push_hidden(vind_walk_t *walk, size_t *capacity, const FTSENT *entry,
                                 size_t root_index, const char *dotted)
{
    int page = entry->fts_info == FTS_F || entry->fts_info == FTS_SL ||
               entry->fts_info == FTS_DEFAULT || entry->fts_info == FTS_NS;
    if (!page || !vind_walk_wanted(entry->fts_name))
        return VIND_OK;
    char reason[PATH_MAX + 64];
    snprintf(reason, sizeof reason, hidden_reason, dotted);
    vind_status_t status = push(walk, capacity, entry->fts_path, root_index, NULL, reason);
    if (status == VIND_OK) {
        walk->files[walk->count - 1].skipped = 1;
        walk->files[walk->count - 1].hidden = 1;
    }
    return status;
}

static vind_status_t walk_root(vind_walk_t *walk, size_t *capacity, const char *root,
                               size_t root_index, char *const *real_roots, size_t n_roots)
{
    char *const argv[] = {(char *)root, NULL};
    FTS *fts = fts_open(argv, FTS_PHYSICAL | FTS_NOCHDIR | FTS_COMFOLLOW, by_name);
    if (!fts)
        return VIND_IO;
    vind_status_t status = VIND_OK;
    FTSENT *entry;
    char reason[PATH_MAX];
    size_t longer = real_path_extra(root, real_roots[root_index]);
    short hidden_level = -1;
    char dotted[NAME_MAX + 2] = "";
    while (status == VIND_OK && (entry = fts_read(fts)) != NULL) {
        if (in_hidden_place(entry, &hidden_level, dotted, sizeof dotted)) {
            status = push_hidden(walk, capacity, entry, root_index, dotted);
            continue;
        }
        int wanted = vind_walk_wanted(entry->fts_name);
        /* The real path's length: the check below reads it (/proc/self/fd),
         * and it is the longer one under a relative root ("site/" is
         * "/srv/www/site/"). Measured on the name as given, a folder whose
         * real path passed PATH_MAX was reported "moved out of the site". */
        size_t length = strlen(entry->fts_path) + longer;
        /* Nothing at a path this long can be opened: say so, and for a folder
         * (whose pages are never seen) too. */
        if (length >= PATH_MAX && entry->fts_info != FTS_DP && (wanted || entry->fts_info == FTS_D ||
                                                                entry->fts_info == FTS_NS)) {
            snprintf(reason, sizeof reason, "path too long (%zu bytes), not indexed", length);
            status = push(walk, capacity, entry->fts_path, root_index, NULL, reason);
            if (entry->fts_info == FTS_D)
                fts_set(fts, entry, FTS_SKIP);
            continue;
        }
        switch (entry->fts_info) {
        case FTS_D: {
            /* A folder that is not inside the site (swapped for a link
             * since its parent was listed) is not walked: its pages are
             * not gone, so the caller keeps what it holds under it. */
            const char *refused = moved_out_below_root(entry, real_roots, n_roots);
            if (refused) {
                fts_set(fts, entry, FTS_SKIP);
                status = push(walk, capacity, entry->fts_path, root_index, NULL, refused);
                if (status == VIND_OK)
                    walk->files[walk->count - 1].subtree = 1;
            }
            break;
        }
        case FTS_F:
            if (wanted) {
                const char *refused = moved_out_below_root(entry, real_roots, n_roots);
                status = push(walk, capacity, entry->fts_path, root_index,
                              refused ? NULL : entry->fts_statp, refused);
                /* A mounted file is no page of the site: what the index
                 * holds of its path goes (a moved-out one is kept). */
                if (status == VIND_OK && refused == mounted_reason)
                    walk->files[walk->count - 1].refused = 1;
            }
            break;
        case FTS_SL: {
            /* Links to folders are not followed, so a link loop cannot make
             * the walk endless; a link to a file must stay inside the site. */
            struct stat st;
            if (wanted) {
                int no_page = 0;
                const char *refused = check_link(entry->fts_accpath, real_roots, n_roots, &st,
                                                 reason, sizeof reason, &no_page);
                status = push(walk, capacity, entry->fts_path, root_index,
                              refused ? NULL : &st, refused);
                if (status == VIND_OK)
                    walk->files[walk->count - 1].refused = no_page;
            } else if (stat(entry->fts_accpath, &st) == 0 && S_ISDIR(st.st_mode)) {
                /* Its pages are not indexed: a skip the run reports, not a
                 * silence (media -> /srv/media lost every PDF unsaid). */
                status = push(walk, capacity, entry->fts_path, root_index, NULL,
                              "symbolic link to a folder, not followed");
                if (status == VIND_OK)
                    walk->files[walk->count - 1].skipped = 1;
            }
            break;
        }
        case FTS_DEFAULT: /* a FIFO, socket or device: never opened */
            if (wanted) {
                snprintf(reason, sizeof reason, "not a regular file (%s), not indexed",
                         file_kind(entry->fts_statp->st_mode));
                status = push(walk, capacity, entry->fts_path, root_index, NULL, reason);
                if (status == VIND_OK)
                    walk->files[walk->count - 1].refused = 1;
            }
            break;
        case FTS_DNR:
        case FTS_ERR:
            /* A folder unreadable for now (chmod 000, EIO): its pages are
             * not gone, so the caller must not remove them. */
            status = push(walk, capacity, entry->fts_path, root_index, NULL,
                          strerror(entry->fts_errno));
            if (status == VIND_OK)
                walk->files[walk->count - 1].subtree = 1;
            break;
        case FTS_NS:
            /* stat failed: a file or a folder, nobody knows. Unless it is
             * gone (ENOENT), it may hold pages the index keeps. */
            if (wanted || entry->fts_errno != ENOENT)
                status = push(walk, capacity, entry->fts_path, root_index, NULL,
                              strerror(entry->fts_errno));
            if (status == VIND_OK && entry->fts_errno != ENOENT &&
                entry->fts_errno != ENAMETOOLONG && walk->count &&
                strcmp(walk->files[walk->count - 1].path, entry->fts_path) == 0)
                walk->files[walk->count - 1].subtree = 1;
            break;
        default:
            break;
        }
    }
    fts_close(fts);
    return status;
}

vind_status_t vind_walk(const char *const *roots, size_t n_roots, vind_walk_t *out, char **errmsg)
{
    memset(out, 0, sizeof *out);
    size_t capacity = 0;
    char **real_roots = calloc(n_roots + 1, sizeof *real_roots);
    if (!real_roots)
        return vind_error(errmsg, VIND_NOMEM, "out of memory");
    vind_status_t status = VIND_OK;
    for (size_t i = 0; i < n_roots && status == VIND_OK; i++) {
        struct stat st;
        if (stat(roots[i], &st) != 0)
            status = vind_error(errmsg, VIND_INVALID_ARGUMENT, "%s: %s", roots[i],
                                strerror(errno));
        /* Links are judged by where they really lead: the roots' real paths. */
        else if (S_ISDIR(st.st_mode))
            real_roots[i] = realpath(roots[i], NULL);
    }
    for (size_t i = 0; i < n_roots && status == VIND_OK; i++) {
        status = walk_root(out, &capacity, roots[i], i, real_roots, n_roots);
        if (status != VIND_OK)
            vind_error(errmsg, status, "%s: cannot walk the folder", roots[i]);
    }
    for (size_t i = 0; i < n_roots; i++)
        free(real_roots[i]);
    free(real_roots);
    if (status != VIND_OK) {
        vind_walk_free(out);
        return status;
    }
    if (out->count)
        qsort(out->files, out->count, sizeof *out->files, by_path);
    return VIND_OK;
}

int vind_walk_open(const char *path, const vind_file_id_t *id, char **reason)
{
    *reason = NULL;
    int probe = open(path, O_PATH | O_CLOEXEC);
    if (probe < 0) {
        *reason = strdup(strerror(errno));
        return -1;
    }
    struct stat st;
    char message[160];
    message[0] = '\0';
    if (fstat(probe, &st) != 0)
        snprintf(message, sizeof message, "%s", strerror(errno));
    else if (!S_ISREG(st.st_mode))
        snprintf(message, sizeof message, "not a regular file (%s), not indexed",
                 file_kind(st.st_mode));
    else if (id && ((uint64_t)st.st_dev != id->dev || (uint64_t)st.st_ino != id->ino))
        snprintf(message, sizeof message, "replaced by another file while indexing, not indexed");
    if (message[0]) {
        close(probe);
        *reason = strdup(message);
        return -1;
    }
    /* Reopen the checked inode itself; without /proc, open the path and
     * check that it is still the same file. */
    char link[64];
    snprintf(link, sizeof link, "/proc/self/fd/%d", probe);
    int fd = open(link, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0 && errno == ENOENT) {
        struct stat again;
        fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
        if (fd >= 0 && (fstat(fd, &again) != 0 || again.st_dev != st.st_dev ||
                        again.st_ino != st.st_ino)) {
            close(fd);
            fd = -1;
            errno = ESTALE;
        }
    }
    int error = errno;
    close(probe);
    if (fd < 0)
        *reason = strdup(strerror(error));
    return fd;
}

void vind_walk_free(vind_walk_t *walk)
{
    for (size_t i = 0; i < walk->count; i++) {
        free(walk->files[i].path);
        free(walk->files[i].reason);
    }
    free(walk->files);
    memset(walk, 0, sizeof *walk);
}
