/*
 * walk.h - (private) finding the files of a site: the HTML and PDF files
 * under the given roots, in a deterministic order.
 */
#ifndef VIND_LIB_WALK_H
#define VIND_LIB_WALK_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <vind/extract.h>
#include <vind/status.h>

/* Which file the walk saw: the extraction reads exactly that one
 * (vind_walk_open), so a file swapped for a link to /etc/passwd between the
 * walk and the read is refused, not read. */
typedef struct {
    uint64_t dev;
    uint64_t ino;
} vind_file_id_t;

typedef struct {
    char *path;       /* as found: root + relative path */
    size_t root;      /* index of the root it was found under */
    uint64_t size;
    int64_t mtime_ns; /* modification time, nanoseconds since the epoch */
    int64_t ctime_ns; /* status change time: set by every write, and not
                       * settable (touch -r and rsync -t set only mtime) */
    vind_file_id_t id; /* of the regular file (a link's target) */
    int unreadable;   /* 1: refused or unreadable; reason holds why */
    int skipped;      /* 1: not a page (a link to a folder): skipped, not failed */
    int hidden;       /* 1: its name or a folder's above it starts with a dot: skipped,
                       * and a document the index holds for it is removed */
    int subtree;      /* 1: a folder (or an entry whose kind stat could not tell) that
                       * could not be read: what the index holds under it is not gone */
    int refused;      /* 1: no page of the site now (a symbolic link out of it, a broken
                       * or looping one, a FIFO, socket or device): a document the index
                       * holds for it is removed (until session 18 it was kept, unsaid) */
    char *reason;
} vind_walk_file_t;

typedef struct {
    vind_walk_file_t *files;
    size_t count;
} vind_walk_t;

/*
 * Lists the candidate files under roots (each a folder or a single file):
 * names ending in .html, .htm, .xhtml or .pdf (any case). Symbolic links are not
 * followed into folders (no loops); a link to a regular file is taken only
 * when that file lies inside one of the roots ("symbolic link out of the
 * site, not indexed" otherwise): nothing outside the site is indexed. Every
 * file and folder below a root must really lie inside one when the walk
 * sees it (a folder swapped for a link while fts lists it: "moved out of
 * the site while indexing", a folder also with subtree = 1).
 * Refused and unreadable entries (a FIFO or a device under a wanted name, a
 * path longer than PATH_MAX, a folder that cannot be read) are listed with
 * unreadable = 1 and a reason, so the caller can report them; a folder
 * that cannot be read (or an entry stat fails on) also with subtree = 1,
 * so the caller keeps what it holds under it; a symbolic
 * link to a folder (any name) also with skipped = 1; nothing but
 * a regular file is ever opened for reading. Files are sorted by path.
 * Hidden places are not indexed: a page whose name, or a folder's between
 * it and its root, starts with a dot (.git/, .svn/, .cache/, .drafts/,
 * .well-known/, .page.html) is listed with unreadable = 1, skipped = 1,
 * hidden = 1 and the reason "hidden: name starts with a dot (.git/), not
 * indexed"; nothing else in a hidden folder is listed, checked or read. A
 * root itself is walked whatever its name ("./site", ".public").
 *
 * Return value: VIND_OK; VIND_INVALID_ARGUMENT (a root does not exist:
 * *errmsg names it); VIND_NOMEM.
 */
vind_status_t vind_walk(const char *const *roots, size_t n_roots, vind_walk_t *out,
                        char **errmsg);

/* Frees what vind_walk filled in. */
void vind_walk_free(vind_walk_t *walk);

/*
 * Opens for reading the regular file the walk saw at path (id), or returns
 * -1 with *reason (malloc'd) saying why not: gone, no longer a regular file,
 * or another file now (a swap between walk and read). The file is first
 * opened with O_PATH, which reads nothing and never blocks (a FIFO), checked
 * with fstat, and only then reopened for reading through /proc/self/fd: the
 * check and the read are on one inode. id NULL: any regular file.
 */
int vind_walk_open(const char *path, const vind_file_id_t *id, char **reason);

/* vind_extract_file of the file the walk saw at path (id; NULL: any regular
 * file there): lib/extract.c. */
vind_status_t vind_extract_walked(const char *path, const vind_file_id_t *id,
                                  const vind_extract_options_t *opts, vind_doc_t **out,
                                  char **errmsg);

/* Whether a file name has an extension vind indexes. */
int vind_walk_wanted(const char *name);

#endif
