/*
 * folder.h - the bytes an index takes on disk (internal).
 */
#ifndef VIND_FOLDER_H
#define VIND_FOLDER_H

#include <stdint.h>

/* Bytes of the files in folder path and, depth levels down, in its
 * subfolders: a sharded index keeps its shards one level down (shard-0,
 * ...), a replica its copy (replica_0), a glass database none. Symbolic
 * links are not followed, but a shard-N that is one (a shard on another
 * disk) is counted (until session 14 it was not: `vind-index --compact`
 * reported such an index as growing). */
uint64_t vind_folder_bytes(const char *path, int depth);

#endif
