/*
 * walk.c - finds the HTML and PDF files under a site's roots with fts(3).
 *
 * fts keeps its state in its handle (nftw needs a global callback state),
 * FTS_PHYSICAL keeps symlink loops out, and sorting by name makes runs
 * deterministic whatever the file system's directory order.
 */
#include <errno.h>
#include <fts.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "error.h"
#include "walk.h"

int vind_walk_wanted(const char *name)
{
    const char *dot = strrchr(name, '.');
    if (!dot)
        return 0;
    return strcasecmp(dot, ".html") == 0 || strcasecmp(dot, ".htm") == 0 ||
           strcasecmp(dot, ".pdf") == 0;
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

static vind_status_t walk_root(vind_walk_t *walk, size_t *capacity, const char *root,
                               size_t root_index)
{
    char *const argv[] = {(char *)root, NULL};
    FTS *fts = fts_open(argv, FTS_PHYSICAL | FTS_NOCHDIR | FTS_COMFOLLOW, by_name);
    if (!fts)
        return VIND_IO;
    vind_status_t status = VIND_OK;
    FTSENT *entry;
    while (status == VIND_OK && (entry = fts_read(fts)) != NULL) {
        switch (entry->fts_info) {
        case FTS_F:
            if (vind_walk_wanted(entry->fts_name))
                status = push(walk, capacity, entry->fts_path, root_index, entry->fts_statp, NULL);
            break;
        case FTS_SL: {
            /* A link to a regular file is indexed; links to folders are not
             * followed, so a link loop cannot make the walk endless. */
            struct stat st;
            if (vind_walk_wanted(entry->fts_name)) {
                if (stat(entry->fts_accpath, &st) == 0 && S_ISREG(st.st_mode))
                    status = push(walk, capacity, entry->fts_path, root_index, &st, NULL);
                else
                    status = push(walk, capacity, entry->fts_path, root_index, NULL,
                                  "broken or looping symbolic link");
            }
            break;
        }
        case FTS_DNR:
        case FTS_ERR:
            status = push(walk, capacity, entry->fts_path, root_index, NULL,
                          strerror(entry->fts_errno));
            break;
        case FTS_NS:
            if (vind_walk_wanted(entry->fts_name))
                status = push(walk, capacity, entry->fts_path, root_index, NULL,
                              strerror(entry->fts_errno));
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
    for (size_t i = 0; i < n_roots; i++) {
        struct stat st;
        if (stat(roots[i], &st) != 0) {
            vind_walk_free(out);
            return vind_error(errmsg, VIND_INVALID_ARGUMENT, "%s: %s", roots[i], strerror(errno));
        }
        vind_status_t status = walk_root(out, &capacity, roots[i], i);
        if (status != VIND_OK) {
            vind_walk_free(out);
            return vind_error(errmsg, status, "%s: cannot walk the folder", roots[i]);
        }
    }
    if (out->count)
        qsort(out->files, out->count, sizeof *out->files, by_path);
    return VIND_OK;
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
