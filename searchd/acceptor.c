/*
 * acceptor.c - the accept thread (acceptor.h says what and why).
 */
#include "acceptor.h"

#include <errno.h>
#include <glib.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "error.h"

struct vind_acceptor {
    vind_acceptor_config_t config; /* config.workers points at workers below */
    struct MHD_Daemon **workers;
    atomic_uint *open; /* per worker: handed on and not yet closed */
    atomic_uint total; /* the sum of open[], checked against max_connections */
    unsigned next;     /* where the search for the least loaded starts (ties rotate) */
    atomic_ullong refused_address, refused_stopping, refused_handover;
    atomic_ullong full;          /* times max_connections were open: accepting paused */
    atomic_ullong accept_errors; /* accept(2) out of descriptors or memory */
    int wake_fd; /* eventfd: vind_acceptor_stop, and a close while full, wake the thread */
    atomic_int stopping;
    int started;
    pthread_t thread;
};

vind_status_t vind_acceptor_new(const vind_acceptor_config_t *config, vind_acceptor_t **out,
                                char **errmsg)
{
    *out = NULL;
    vind_acceptor_t *acceptor = calloc(1, sizeof *acceptor);
    if (acceptor == NULL)
        return vind_error(errmsg, VIND_NOMEM, "out of memory");
    acceptor->config = *config;
    acceptor->wake_fd = -1;
    acceptor->workers = calloc(config->n_workers, sizeof *acceptor->workers);
    acceptor->open = calloc(config->n_workers, sizeof *acceptor->open);
    if (acceptor->workers == NULL || acceptor->open == NULL) {
        vind_acceptor_free(acceptor);
        return vind_error(errmsg, VIND_NOMEM, "out of memory");
    }
    memcpy(acceptor->workers, config->workers, config->n_workers * sizeof *acceptor->workers);
    acceptor->config.workers = acceptor->workers;
    for (unsigned i = 0; i < config->n_workers; i++)
        atomic_init(&acceptor->open[i], 0);
    atomic_init(&acceptor->total, 0);
    atomic_init(&acceptor->full, 0);
    atomic_init(&acceptor->refused_address, 0);
    atomic_init(&acceptor->refused_stopping, 0);
    atomic_init(&acceptor->refused_handover, 0);
    atomic_init(&acceptor->accept_errors, 0);
    atomic_init(&acceptor->stopping, 0);
    acceptor->wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (acceptor->wake_fd < 0) {
        int saved = errno;
        vind_acceptor_free(acceptor);
        return vind_error(errmsg, VIND_IO, "cannot make the accept thread's eventfd: %s",
                          g_strerror(saved));
    }
    *out = acceptor;
    return VIND_OK;
}

/* The worker with the fewest open connections; among equals the first from
 * `next`, which then moves past it, so an idle daemon's connections rotate
 * over the workers. Cost: one atomic load per worker (at most
 * VIND_SEARCHD_MAX_THREADS), on the accept thread only. */
static unsigned least_loaded(vind_acceptor_t *acceptor)
{
    unsigned n = acceptor->config.n_workers;
    unsigned best = acceptor->next % n;
    unsigned best_open = atomic_load_explicit(&acceptor->open[best], memory_order_relaxed);
    for (unsigned k = 1; k < n && best_open > 0; k++) {
        unsigned w = (acceptor->next + k) % n;
        unsigned open = atomic_load_explicit(&acceptor->open[w], memory_order_relaxed);
        if (open < best_open)
            best = w, best_open = open;
    }
    acceptor->next = best + 1;
    return best;
}

static void refuse(int fd, atomic_ullong *counter)
{
    close(fd);
    atomic_fetch_add_explicit(counter, 1, memory_order_relaxed);
}

/* Admits fd or closes it; an admitted one goes to the least loaded worker.
 * Counted before MHD_add_connection: its worker may close it (and call
 * vind_acceptor_closed) before the call returns. Cost, once a connection
 * (never a request): the caller's check (a hash under a lock), four atomic
 * additions, and in MHD_add_connection an fcntl or two (non-blocking), the
 * connection's mallocs and the worker's eventfd write. */
static void hand_over(vind_acceptor_t *acceptor, int fd, const struct sockaddr *address,
                      socklen_t length)
{
    const vind_acceptor_config_t *config = &acceptor->config;
    vind_accept_verdict_t verdict =
        config->admit ? config->admit(config->admit_cls, address, length) : VIND_ACCEPT_OK;
    if (verdict == VIND_ACCEPT_STOPPING) {
        refuse(fd, &acceptor->refused_stopping);
        return;
    }
    if (verdict == VIND_ACCEPT_ADDRESS) {
        refuse(fd, &acceptor->refused_address);
        return;
    }
    unsigned worker = least_loaded(acceptor);
    atomic_fetch_add(&acceptor->open[worker], 1);
    atomic_fetch_add(&acceptor->total, 1);
    if (MHD_add_connection(acceptor->workers[worker], fd, address, length) != MHD_YES) {
        /* libmicrohttpd closed it (its own per-address limit, the accept
         * policy, no memory). */
        atomic_fetch_sub(&acceptor->open[worker], 1);
        atomic_fetch_sub(&acceptor->total, 1);
        atomic_fetch_add_explicit(&acceptor->refused_handover, 1, memory_order_relaxed);
        if (config->release)
            config->release(config->admit_cls, address, length);
    }
}

/* accept(2)'s errors that concern one connection only (it went away, or the
 * network under it): the next one is taken at once (accept(2), Linux notes). */
static int is_connection_error(int error)
{
    switch (error) {
    case EINTR:
    case ECONNABORTED:
    case EPROTO:
    case ENETDOWN:
    case ENOPROTOOPT:
    case EHOSTDOWN:
    case ENONET:
    case EHOSTUNREACH:
    case EOPNOTSUPP:
    case ENETUNREACH:
    case EPERM: /* a firewall's verdict */
        return 1;
    default:
        return 0;
    }
}

/* Takes every waiting connection while fewer than max_connections are
 * open. Returns 0 when the backlog is empty, ACCEPT_FULL when the limit is
 * reached (the rest wait in the backlog, as libmicrohttpd's workers left
 * them: a close wakes the thread), or the errno that makes the thread back
 * off (out of descriptors or memory, or a broken listening socket: never
 * retried in a loop). */
enum { ACCEPT_FULL = -1 };
static int accept_waiting(vind_acceptor_t *acceptor)
{
    while (!atomic_load(&acceptor->stopping)) {
        if (atomic_load(&acceptor->total) >= acceptor->config.max_connections) {
            atomic_fetch_add_explicit(&acceptor->full, 1, memory_order_relaxed);
            return ACCEPT_FULL;
        }
        struct sockaddr_storage address;
        socklen_t length = sizeof address;
        int fd = accept4(acceptor->config.listen_fd, (struct sockaddr *)&address, &length,
                         SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd >= 0) {
            hand_over(acceptor, fd, (const struct sockaddr *)&address, length);
            continue;
        }
        if (errno == EAGAIN || errno == EWOULDBLOCK)
            return 0;
        if (!is_connection_error(errno))
            return errno;
    }
    return 0;
}

/* Sleeps until the listening socket has a connection or the wake eventfd
 * was written (stop; a close while full); while full, for the wake eventfd
 * only; while backing off, for the wake eventfd at most
 * VIND_ACCEPTOR_BACKOFF_MS. */
static void wait_for_work(vind_acceptor_t *acceptor, int state)
{
    struct pollfd fds[2] = {{.fd = acceptor->wake_fd, .events = POLLIN},
                            {.fd = acceptor->config.listen_fd, .events = POLLIN}};
    int ready = poll(fds, state == 0 ? 2 : 1, state > 0 ? VIND_ACCEPTOR_BACKOFF_MS : -1);
    uint64_t count;
    if (ready > 0 && (fds[0].revents & POLLIN) &&
        read(acceptor->wake_fd, &count, sizeof count) < 0) {
        /* EAGAIN: another read took it; nothing to do */
    }
}

static void *accept_thread(void *arg)
{
    vind_acceptor_t *acceptor = arg;
    unsigned backoffs = 0; /* in the current episode of errors */
    while (!atomic_load(&acceptor->stopping)) {
        int error = accept_waiting(acceptor);
        if (error <= 0 && backoffs > 0) {
            VIND_LOG(acceptor->config.log, VIND_LOG_WARNING,
                     "accepting connections again after %u wait(s) of %d ms", backoffs,
                     VIND_ACCEPTOR_BACKOFF_MS);
            backoffs = 0;
        } else if (error > 0) {
            atomic_fetch_add_explicit(&acceptor->accept_errors, 1, memory_order_relaxed);
            if (backoffs++ == 0)
                VIND_LOG(acceptor->config.log, VIND_LOG_WARNING,
                         "cannot accept connections: %s; they wait in the backlog, tried again "
                         "every %d ms",
                         g_strerror(error), VIND_ACCEPTOR_BACKOFF_MS);
        }
        wait_for_work(acceptor, error);
    }
    return NULL;
}

vind_status_t vind_acceptor_start(vind_acceptor_t *acceptor, char **errmsg)
{
    int rc = pthread_create(&acceptor->thread, NULL, accept_thread, acceptor);
    if (rc != 0)
        return vind_error(errmsg, VIND_IO, "cannot start the accept thread: %s", g_strerror(rc));
    acceptor->started = 1;
    return VIND_OK;
}

/* Writes the wake eventfd (the counter cannot overflow in practice; a full
 * one means the thread is awake already). */
static void wake(vind_acceptor_t *acceptor)
{
    uint64_t one = 1;
    if (write(acceptor->wake_fd, &one, sizeof one) < 0) {
        /* EAGAIN: the counter is full, the thread awake already */
    }
}

void vind_acceptor_closed(vind_acceptor_t *acceptor, unsigned worker)
{
    if (acceptor == NULL || worker >= acceptor->config.n_workers)
        return;
    atomic_fetch_sub(&acceptor->open[worker], 1);
    if (atomic_fetch_sub(&acceptor->total, 1) >= acceptor->config.max_connections)
        wake(acceptor); /* it may have paused at the limit: a place is free */
}

unsigned vind_acceptor_open(const vind_acceptor_t *acceptor, unsigned worker)
{
    if (acceptor == NULL || worker >= acceptor->config.n_workers)
        return 0;
    return atomic_load(&acceptor->open[worker]);
}

char *vind_acceptor_metrics(const vind_acceptor_t *acceptor)
{
    if (acceptor == NULL)
        return g_strdup("");
    GString *out = g_string_sized_new(1024);
    g_string_append(out, "# HELP vind_worker_connections Open connections by libmicrohttpd "
                         "worker (the accept thread hands each to the least loaded).\n"
                         "# TYPE vind_worker_connections gauge\n");
    for (unsigned i = 0; i < acceptor->config.n_workers; i++)
        g_string_append_printf(out, "vind_worker_connections{worker=\"%u\"} %u\n", i,
                               vind_acceptor_open(acceptor, i));
    g_string_append_printf(
        out,
        "# HELP vind_connections_refused_total Connections closed unread when accepted.\n"
        "# TYPE vind_connections_refused_total counter\n"
        "vind_connections_refused_total{reason=\"max_connections_per_ip\"} %llu\n"
        "vind_connections_refused_total{reason=\"stopping\"} %llu\n"
        "vind_connections_refused_total{reason=\"worker\"} %llu\n"
        "# HELP vind_accept_full_total Times --max-connections were open, so that new "
        "connections waited in the listening socket's backlog until one closed.\n"
        "# TYPE vind_accept_full_total counter\n"
        "vind_accept_full_total %llu\n"
        "# HELP vind_accept_errors_total Times accept(2) ran out of descriptors or memory "
        "(the accept thread then waits %d ms).\n"
        "# TYPE vind_accept_errors_total counter\n"
        "vind_accept_errors_total %llu\n",
        (unsigned long long)atomic_load(&acceptor->refused_address),
        (unsigned long long)atomic_load(&acceptor->refused_stopping),
        (unsigned long long)atomic_load(&acceptor->refused_handover),
        (unsigned long long)atomic_load(&acceptor->full), VIND_ACCEPTOR_BACKOFF_MS,
        (unsigned long long)atomic_load(&acceptor->accept_errors));
    return g_string_free(out, FALSE);
}

void vind_acceptor_stop(vind_acceptor_t *acceptor)
{
    if (acceptor == NULL || !acceptor->started)
        return;
    atomic_store(&acceptor->stopping, 1);
    wake(acceptor);
    pthread_join(acceptor->thread, NULL);
    acceptor->started = 0;
}

void vind_acceptor_free(vind_acceptor_t *acceptor)
{
    if (acceptor == NULL)
        return;
    vind_acceptor_stop(acceptor);
    if (acceptor->wake_fd >= 0)
        close(acceptor->wake_fd);
    free(acceptor->workers);
    free(acceptor->open);
    free(acceptor);
}
