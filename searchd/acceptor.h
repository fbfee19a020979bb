/*
 * acceptor.h - (searchd, private) the accept thread: takes each connection
 * off the listening socket and hands it to the libmicrohttpd daemon (one per
 * worker, each with one thread) that has the fewest open connections.
 *
 * Why not libmicrohttpd's own thread pool: its workers all poll the one
 * listening socket, accept up to 10 connections a wake-up, and keep each
 * connection for life, so 64 connections landed 0 on one worker and 20+ on
 * another (docs/searchd.md "Session 19: connections assigned by vind").
 * MHD_add_connection on a pool picks the worker by the socket's number
 * (fd % workers), which balances only as far as the numbers happen to.
 *
 * The acceptor counts what it handed to each worker and never has more than
 * max_connections open in all: at the limit it stops accepting, and new
 * connections wait in the listening socket's backlog until one closes, as
 * they did when libmicrohttpd's workers accepted (a full worker took the
 * listening socket out of its epoll set). Each connection is offered to the
 * caller's check first (the per-address limit, the stopping daemon):
 * refused ones are closed at once, unread. libmicrohttpd then does all of
 * HTTP.
 *
 * The thread never reads from a client and never blocks on one: the
 * listening socket is non-blocking, MHD_add_connection only queues the
 * socket for its worker and wakes it. When the process or the system runs
 * out of descriptors (EMFILE, ENFILE) or memory (ENOBUFS, ENOMEM) it leaves
 * the waiting connections in the kernel's backlog and tries again after
 * VIND_ACCEPTOR_BACKOFF_MS, so it never spins.
 */
#ifndef VIND_SEARCHD_ACCEPTOR_H
#define VIND_SEARCHD_ACCEPTOR_H

#include <microhttpd.h>
#include <sys/socket.h>

#include <vind/log.h>
#include <vind/status.h>

/* How long the acceptor waits after running out of descriptors or memory. */
#define VIND_ACCEPTOR_BACKOFF_MS 100

typedef struct vind_acceptor vind_acceptor_t;

/* The caller's verdict on a new connection, before it is handed on. */
typedef enum {
    VIND_ACCEPT_OK,       /* hand it to a worker */
    VIND_ACCEPT_STOPPING, /* the daemon is stopping: close it */
    VIND_ACCEPT_ADDRESS,  /* its address has its limit of connections: close it */
} vind_accept_verdict_t;

/* Called on the accept thread for each accepted connection; must not block.
 * A connection it admits may be counted by it: release is called for one
 * that libmicrohttpd then refused. */
typedef vind_accept_verdict_t (*vind_accept_check_fn)(void *cls, const struct sockaddr *address,
                                                      socklen_t length);
typedef void (*vind_accept_release_fn)(void *cls, const struct sockaddr *address, socklen_t length);

typedef struct {
    int listen_fd;               /* non-blocking, listening; the caller closes it */
    struct MHD_Daemon **workers; /* one daemon a worker, MHD_USE_NO_LISTEN_SOCKET | MHD_USE_ITC */
    unsigned n_workers;          /* at least 1 */
    unsigned max_connections;    /* open connections in all, over every worker (>= 1) */
    vind_accept_check_fn admit;  /* may be NULL: every connection is admitted */
    vind_accept_release_fn release; /* may be NULL; called with admit_cls */
    void *admit_cls;
    const vind_log_t *log; /* accept errors (rate-limited: one line an episode) */
} vind_acceptor_config_t;

/* An acceptor over config (copied; workers is copied too), not yet
 * accepting: store it where vind_acceptor_closed's callers find it, then
 * vind_acceptor_start. Returns VIND_NOMEM or VIND_IO (no eventfd) with
 * *errmsg. */
vind_status_t vind_acceptor_new(const vind_acceptor_config_t *config, vind_acceptor_t **out,
                                char **errmsg);

/* Starts the accept thread. Returns VIND_IO with *errmsg when it cannot. */
vind_status_t vind_acceptor_start(vind_acceptor_t *acceptor, char **errmsg);

/* A connection of worker `worker` closed (libmicrohttpd's
 * MHD_CONNECTION_NOTIFY_CLOSED): one fewer open there. Thread: safe, any
 * thread (two atomic decrements; an eventfd write when max_connections were
 * open). */
void vind_acceptor_closed(vind_acceptor_t *acceptor, unsigned worker);

/* Open connections handed to worker `worker` and not yet closed. Thread: safe. */
unsigned vind_acceptor_open(const vind_acceptor_t *acceptor, unsigned worker);

/* Prometheus text (g_malloc'd; NULL on NOMEM): vind_worker_connections by
 * worker, vind_connections_refused_total by reason, vind_accept_full_total,
 * vind_accept_errors_total.
 * Thread: safe. */
char *vind_acceptor_metrics(const vind_acceptor_t *acceptor);

/* Stops and joins the accept thread (a connection accepted meanwhile is
 * handed on or closed; none is left half-taken). The listening socket stays
 * open: waiting connections stay in its backlog until the caller closes it.
 * Safe on an acceptor never started, and twice. */
void vind_acceptor_stop(vind_acceptor_t *acceptor);

/* Stops it if needed and frees it. NULL is fine. */
void vind_acceptor_free(vind_acceptor_t *acceptor);

#endif
