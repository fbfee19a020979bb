/*
 * isolate.h - (private) runs one extraction in a forked child with a time
 * and memory limit, and carries the resulting document back as JSON.
 */
#ifndef VIND_LIB_ISOLATE_H
#define VIND_LIB_ISOLATE_H

#include <sys/types.h>
#include <vind/doc.h>
#include <vind/status.h>
#include "walk.h"

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
/*
 * In a child or worker, during fn: asks the parent for milliseconds more
 * before its time limit (the OCR of one page, lib/extract_pdf.c), so that a
 * long scan is not killed at the per-file limit meant for a hanging parser.
 * The parent grants at most VIND_MAX_EXTRACT_SECONDS in all per job. Does
 * nothing outside a child.
 */
void vind_isolate_more_time(unsigned milliseconds);

/*
 * A helper child of one extraction (a PDF page's rendering, the check of a
 * document's images, lib/ocr.c and lib/extract_pdf.c): work that may run
 * for minutes on hostile input (poppler decodes every pixel an image
 * declares) and is given a time limit of its own, so that one page fails
 * alone and the document's other pages are kept.
 *
 * vind_isolate_helper_fork forks with a connected pair of sockets. In the
 * parent it returns the child's pid and *read_fd; in the child it returns 0
 * and *write_fd (the child does its work, writes its answers and _exit()s;
 * it dies with its parent, PR_SET_PDEATHSIG). Each end is read and written
 * both ways: a helper may take requests (send them with MSG_NOSIGNAL).
 * -1 when socketpair or fork failed (nothing to end).
 * Costs a fork of the calling process (copy on write: ~1 ms for a worker
 * holding Tesseract's models).
 */
pid_t vind_isolate_helper_fork(int *read_fd, int *write_fd);

/* Milliseconds of CLOCK_MONOTONIC: the clock of vind_isolate_helper_read's deadline. */
long long vind_isolate_now_ms(void);

/* In the parent: reads the helper's next byte into *byte, waiting until
 * deadline_ms (vind_isolate_now_ms). 1 when read; 0 when the time is up or
 * the child ended (or crashed) without writing it. */
int vind_isolate_helper_read(int read_fd, long long deadline_ms, unsigned char *byte);

/* In the parent: closes read_fd, kills the helper (SIGKILL) and reaps it. */
void vind_isolate_helper_end(pid_t child, int read_fd);

vind_status_t vind_isolate_run(vind_isolate_fn fn, void *arg, const char *name,
                               unsigned timeout_seconds, unsigned long long memory_bytes,
                               vind_doc_t **out, char **errmsg);


/*
 * A pool of long-lived extraction worker processes (see isolate.c for why
 * not a fork per file). Create it while the process has no other threads:
 * workers are forked then, and again (from the same thread) when one must
 * be replaced. In a worker, fn(context, path) does the extraction; context
 * is the parent's, copied by fork (it is never shared at run time).
 * The calling process ignores SIGPIPE from then on, so that a worker that
 * died cannot kill it through a write to its pipe.
 */
typedef struct vind_isolate_pool vind_isolate_pool_t;
typedef vind_status_t (*vind_isolate_path_fn)(void *context, const char *path,
                                              const vind_file_id_t *id, vind_doc_t **out,
                                              char **errmsg);

/* Starts n_workers workers. Return value: VIND_OK; VIND_IO; VIND_NOMEM. */
vind_status_t vind_isolate_pool_new(vind_isolate_path_fn fn, void *context, size_t n_workers,
                                    unsigned timeout_seconds, unsigned long long memory_bytes,
                                    vind_isolate_pool_t **out, char **errmsg);

/* Stops every worker (killing busy ones). Accepts NULL. */
void vind_isolate_pool_free(vind_isolate_pool_t *pool);

/* Number of workers without a job. */
size_t vind_isolate_pool_idle(const vind_isolate_pool_t *pool);

/* Gives path (and the identity of the file the walk saw there, which the
 * worker checks before it reads) to an idle worker; tag comes back from
 * vind_isolate_pool_wait.
 * Return value: VIND_OK; VIND_INVALID_ARGUMENT (none idle); VIND_IO. */
vind_status_t vind_isolate_pool_submit(vind_isolate_pool_t *pool, const char *path,
                                       const vind_file_id_t *id, void *tag, char **errmsg);

/*
 * Waits until one job ends and returns it: *tag as submitted, *job_status
 * and either *doc (VIND_OK) or *job_errmsg (malloc'd), with the statuses of
 * vind_isolate_run. The function's own return value is VIND_OK, or an error
 * of the pool itself (no job in progress, poll failed).
 */
vind_status_t vind_isolate_pool_wait(vind_isolate_pool_t *pool, void **tag,
                                     vind_status_t *job_status, vind_doc_t **doc,
                                     char **job_errmsg, char **errmsg);

#endif
