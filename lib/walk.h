/*
 * walk.h - (private) finding the files of a site: the HTML and PDF files
 * under the given roots, in a deterministic order.
 */
#ifndef VIND_LIB_WALK_H
#define VIND_LIB_WALK_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <vind/status.h>

typedef struct {
    char *path;       /* as found: root + relative path */
    size_t root;      /* index of the root it was found under */
    uint64_t size;
    int64_t mtime_ns; /* modification time, nanoseconds since the epoch */
    int unreadable;   /* 1: stat or permission problem; reason holds why */
    char *reason;
} vind_walk_file_t;

typedef struct {
    vind_walk_file_t *files;
    size_t count;
} vind_walk_t;

/*
 * Lists the candidate files under roots (each a folder or a single file):
 * names ending in .html, .htm or .pdf (any case). Symbolic links are not
 * followed into folders (no loops); a link to a regular file is taken.
 * Unreadable entries are listed with unreadable = 1 and a reason, so the
 * caller can report them. Files are sorted by path.
 *
 * Return value: VIND_OK; VIND_INVALID_ARGUMENT (a root does not exist:
 * *errmsg names it); VIND_NOMEM.
 */
vind_status_t vind_walk(const char *const *roots, size_t n_roots, vind_walk_t *out,
                        char **errmsg);

/* Frees what vind_walk filled in. */
void vind_walk_free(vind_walk_t *walk);

/* Whether a file name has an extension vind indexes. */
int vind_walk_wanted(const char *name);

#endif
