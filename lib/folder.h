/*
 * folder.h - the bytes an index takes on disk (internal).
 */
#ifndef VIND_FOLDER_H
#define VIND_FOLDER_H

#include <stdint.h>

/* Bytes of the files in folder path and, depth levels down, in its
 * subfolders: a sharded index keeps its shards one level down (shard-0,
 * ...), a replica its copy (replica_0), a glass database none. Symbolic
 * links are not followed. */
uint64_t vind_folder_bytes(const char *path, int depth);

#endif
