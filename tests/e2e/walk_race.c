/*
 * walk_race.c - an LD_PRELOAD shim that loses vind-index's walk race on
 * purpose: after fts_read(3) has handed the program the folder VIND_SWAP_DIR
 * (in preorder: the walk has seen and checked it, fts has not listed it
 * yet), the next fts_read call first makes the folder and VIND_SWAP_WITH (a
 * symbolic link to a folder outside the site) trade places, once, with
 * renameat2(RENAME_EXCHANGE); fts then lists and stats the entries through
 * the link.
 *
 * Why: a site author who can rename in the site can swap a folder for a
 * link at any moment while vind-index runs (a loop in a second process);
 * the walk then lists and stats the files through the link. A loop hits
 * that moment in a few runs of ten; the shim hits it in every run, so
 * tests/e2e/test_indexer.py can assert what is read then.
 *
 * Built by the tests themselves: cc -shared -fPIC -o walk_race.so walk_race.c -ldl
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <fts.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1)
#endif

FTSENT *fts_read(FTS *fts)
{
    static FTSENT *(*real_fts_read)(FTS *);
    if (!real_fts_read)
        real_fts_read = (FTSENT * (*)(FTS *)) dlsym(RTLD_NEXT, "fts_read");
    static int seen, swapped;
    const char *folder = getenv("VIND_SWAP_DIR"), *with = getenv("VIND_SWAP_WITH");
    if (seen && !swapped && folder && with) {
        swapped = 1;
        if (syscall(SYS_renameat2, AT_FDCWD, folder, AT_FDCWD, with, RENAME_EXCHANGE) != 0)
            perror("walk_race: renameat2");
    }
    FTSENT *entry = real_fts_read(fts);
    if (entry && folder && entry->fts_info == FTS_D && strcmp(entry->fts_path, folder) == 0)
        seen = 1;
    return entry;
}
