/*
 * temp_tree.h - removes a test's temporary directory tree (databases, shard
 * folders) when it is done.
 */
#ifndef VIND_TESTS_TEMP_TREE_H
#define VIND_TESTS_TEMP_TREE_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"

/* Makes a fresh folder /tmp/vind-NAME-XXXXXX for a test's files and puts
 * its path in root (size bytes); SKIPs when it cannot. Returns 1 when made. */
static inline int make_temp_tree(char *root, size_t size, const char *name)
{
    snprintf(root, size, "/tmp/vind-%s-XXXXXX", name);
    if (mkdtemp(root))
        return 1;
    SKIP("mkdtemp failed");
    return 0;
}

static inline void remove_tree(const char *path)
{
    DIR *dir = opendir(path);
    if (dir == NULL) {
        unlink(path);
        return;
    }
    struct dirent *entry;
    while ((entry = readdir(dir)) != NULL) {
        if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0)
            continue;
        char child[8192];
        if (snprintf(child, sizeof child, "%s/%s", path, entry->d_name) >= (int)sizeof child)
            continue; /* never in a test's own folder */
        remove_tree(child);
    }
    closedir(dir);
    rmdir(path);
}

#endif
