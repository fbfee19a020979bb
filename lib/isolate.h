/*
 * isolate.h - (private) runs one extraction in a forked child with a time
 * and memory limit, and carries the resulting document back as JSON.
 */
#ifndef VIND_LIB_ISOLATE_H
#define VIND_LIB_ISOLATE_H

#include <vind/doc.h>
#include <vind/status.h>

/* The work done in the child: fills *out or returns a status with *errmsg. */
typedef vind_status_t (*vind_isolate_fn)(void *arg, vind_doc_t **out, char **errmsg);

/*
 * Runs fn(arg) in a fork()ed child with RLIMIT_AS = memory_bytes (0: no
 * limit) and waits at most timeout_seconds (0: VIND_DEFAULT_EXTRACT_SECONDS),
 * then kills it. The child does only fn and the write to the pipe, then
 * _exit()s: no atexit handlers, no stdio flush of the parent's buffers.
 *
 * Return value: the child's own status and message when it finished;
 * VIND_TIMEOUT (killed at the time limit); VIND_CRASHED (killed by a signal,
 * message names it); VIND_TOO_LARGE (crashed near the memory limit, where
 * allocations fail); VIND_IO (fork or pipe failed); VIND_CORRUPT_FILE (the
 * child's answer was unreadable); VIND_NOMEM.
 * name is used in messages ("path: time limit of 60 s exceeded").
 * Thread: safe to call from several threads at once; see isolate.c for what
 * the child may touch.
 */
vind_status_t vind_isolate_run(vind_isolate_fn fn, void *arg, const char *name,
                               unsigned timeout_seconds, unsigned long long memory_bytes,
                               vind_doc_t **out, char **errmsg);

#endif
