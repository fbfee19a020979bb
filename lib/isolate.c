/*
 * isolate.c - runs one extraction in a forked child so that a PDF which
 * crashes poppler, loops forever or eats all memory costs that one file and
 * never the index run.
 *
 * Protocol: the child writes a 16-byte header {status, 0, payload length}
 * and then the payload: the document packed (lib/doc_pack.h) on success,
 * the error message otherwise. The parent reads until it has the announced
 * length, not until EOF: with several indexer threads forking at once, a
 * sibling child may hold a copy of our pipe's write end, and EOF would wait
 * for it.
 *
 * The child may be forked from a multi-threaded parent, where only the
 * forking thread survives and other threads' locks may stay held; glibc's
 * malloc is fork-safe, and a lock that never opens ends in the time limit.
 * The child closes every other descriptor, does only the extraction, writes,
 * and _exit()s (no atexit handlers, no flush of the parent's stdio buffers).
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <fcntl.h>

#include <vind/doc.h>
#include <vind/limits.h>
#include "doc_pack.h"
#include "error.h"
#include "isolate.h"

/* An answer larger than this is refused: a 100 MB page gives ~150 MB of JSON. */
#define MAX_ANSWER_BYTES (1024ull * 1024u * 1024u)

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif

typedef struct {
    uint32_t status;
    uint32_t reserved;
    uint64_t length;
} answer_header_t;

/* A header with this status is no answer but a request for more time:
 * length is milliseconds (vind_isolate_more_time). */
#define MORE_TIME_STATUS 0xfffffffeu

/* In a child: the pipe of the answer being made, for vind_isolate_more_time. */
static int current_answer_fd = -1;

static int write_all(int fd, const void *buffer, size_t length)
{
    const char *p = buffer;
    while (length > 0) {
        ssize_t written = write(fd, p, length);
        if (written < 0 && errno == EINTR)
            continue;
        if (written <= 0)
            return -1;
        p += written;
        length -= (size_t)written;
    }
    return 0;
}

/* What every child does first: default signal dispositions (a crash must
 * end it with its signal, not run a handler the parent installed), stderr
 * to the parent, no descriptor of the parent's but answer_fd and
 * request_fd (-1: none), and the memory limit. */
static void child_setup(int request_fd, int answer_fd, int stderr_fd,
                        unsigned long long memory_bytes)
{
    static const int defaults[] = {SIGSEGV, SIGBUS,  SIGABRT, SIGFPE, SIGILL,
                                   SIGPIPE, SIGALRM, SIGTERM, SIGINT, SIGHUP};
    for (size_t i = 0; i < sizeof defaults / sizeof defaults[0]; i++)
        signal(defaults[i], SIG_DFL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);

    /* poppler and GLib write warnings and "failed to allocate" to stderr:
     * they go to the parent, which keeps the tail for its message. */
    dup2(stderr_fd, STDERR_FILENO);
    /* Keep only stdin/stdout/stderr and the two pipe ends: low numbers first. */
    int keep_low = request_fd >= 0 && request_fd < answer_fd ? request_fd : answer_fd;
    int keep_high = request_fd > answer_fd ? request_fd : answer_fd;
    if (keep_low > 3)
        close_range(3, (unsigned)keep_low - 1, 0);
    if (keep_high > keep_low + 1)
        close_range((unsigned)keep_low + 1, (unsigned)keep_high - 1, 0);
    close_range((unsigned)keep_high + 1, ~0u, 0);
#ifndef UNDER_ASAN
    /* ASan reserves terabytes of address space; the limit would kill it. */
    if (memory_bytes > 0) {
        struct rlimit limit = {(rlim_t)memory_bytes, (rlim_t)memory_bytes};
        setrlimit(RLIMIT_AS, &limit);
    }
#else
    (void)memory_bytes;
#endif
}

/* Runs fn and writes its answer: header, then the document's JSON or the
 * message. Returns 0, or -1 when the pipe is gone. */
static int answer_with(vind_isolate_fn fn, void *arg, int answer_fd);

static void child_main(vind_isolate_fn fn, void *arg, int answer_fd, int stderr_fd,
                       unsigned timeout_seconds, unsigned long long memory_bytes)
{
    child_setup(-1, answer_fd, stderr_fd, memory_bytes);
    /* SIGALRM ends it if the parent is gone. */
    alarm(timeout_seconds + 5);
    _exit(answer_with(fn, arg, answer_fd) == 0 ? 0 : 2);
}

static int answer_with(vind_isolate_fn fn, void *arg, int answer_fd)
{
    vind_doc_t *doc = NULL;
    char *message = NULL;
    current_answer_fd = answer_fd;
    vind_status_t status = fn(arg, &doc, &message);
    current_answer_fd = -1;
    char *payload = NULL;
    size_t length = 0;
    if (status == VIND_OK) {
        payload = vind_doc_pack(doc, &length);
        if (payload == NULL) {
            status = VIND_NOMEM;
            payload = strdup("out of memory while serialising the document");
        }
    } else {
        payload = message != NULL ? message : strdup(vind_status_to_string(status));
    }
    if (status != VIND_OK)
        length = payload != NULL ? strlen(payload) : 0;
    answer_header_t header = {(uint32_t)status, 0, length};
    int failed = write_all(answer_fd, &header, sizeof header) != 0 ||
                 (header.length > 0 && write_all(answer_fd, payload, header.length) != 0);
    free(payload);
    vind_doc_free(doc);
    return failed ? -1 : 0;
}

void vind_isolate_more_time(unsigned milliseconds)
{
    if (current_answer_fd < 0)
        return;
    /* the child's own alarm (child_main) moves with the parent's deadline */
    unsigned alarm_left = alarm(0);
    if (alarm_left > 0)
        alarm(alarm_left + milliseconds / 1000 + 1);
    answer_header_t header = {MORE_TIME_STATUS, 0, milliseconds};
    /* a parent that is gone is noticed when the answer is written */
    (void)write_all(current_answer_fd, &header, sizeof header);
}

static long long now_milliseconds(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (long long)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

long long vind_isolate_now_ms(void)
{
    return now_milliseconds();
}

pid_t vind_isolate_helper_fork(int *read_fd, int *write_fd)
{
    int fds[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0)
        return -1;
    pid_t parent = getpid();
    pid_t child = fork();
    if (child < 0) {
        close(fds[0]);
        close(fds[1]);
        return -1;
    }
    if (child == 0) {
        close(fds[0]);
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent) /* the parent died before the line above */
            _exit(0);
        *write_fd = fds[1];
        return 0;
    }
    close(fds[1]);
    *read_fd = fds[0];
    return child;
}

int vind_isolate_helper_read(int read_fd, long long deadline_ms, unsigned char *byte)
{
    for (;;) {
        long long left_ms = deadline_ms - now_milliseconds();
        if (left_ms <= 0)
            return 0;
        struct pollfd ready = {read_fd, POLLIN, 0};
        int polled = poll(&ready, 1, left_ms > INT32_MAX ? INT32_MAX : (int)left_ms);
        ssize_t got = polled > 0 ? read(read_fd, byte, 1) : 0;
        if ((polled < 0 || got < 0) && errno == EINTR)
            continue;
        if (polled == 0)
            continue; /* poll's own rounding: the loop's test ends it */
        return got == 1;
    }
}

void vind_isolate_helper_end(pid_t child, int read_fd)
{
    close(read_fd);
    kill(child, SIGKILL);
    while (waitpid(child, NULL, 0) < 0 && errno == EINTR)
        ;
}

/* The last bytes the child wrote to stderr. */
typedef struct {
    char text[1024];
    size_t length;
} stderr_tail_t;

/* Reads what is available; returns 0 at EOF or error (stop polling). */
static int read_stderr(int fd, stderr_tail_t *tail)
{
    char buffer[4096];
    ssize_t n = read(fd, buffer, sizeof buffer);
    if (n < 0)
        return errno == EINTR || errno == EAGAIN;
    if (n == 0)
        return 0;
    size_t keep = sizeof tail->text - 1;
    if ((size_t)n >= keep) {
        memcpy(tail->text, buffer + n - keep, keep);
        tail->length = keep;
    } else {
        size_t drop = tail->length + (size_t)n > keep ? tail->length + (size_t)n - keep : 0;
        memmove(tail->text, tail->text + drop, tail->length - drop);
        tail->length -= drop;
        memcpy(tail->text + tail->length, buffer, (size_t)n);
        tail->length += (size_t)n;
    }
    tail->text[tail->length] = '\0';
    return 1;
}

/* The last non-empty line of the tail, trimmed, for a message. */
static const char *last_line(stderr_tail_t *tail)
{
    while (tail->length > 0 &&
           (tail->text[tail->length - 1] == '\n' || tail->text[tail->length - 1] == ' '))
        tail->text[--tail->length] = '\0';
    char *line = strrchr(tail->text, '\n');
    return line != NULL ? line + 1 : tail->text;
}

/* GLib's "failed to allocate N bytes", C++'s std::bad_alloc. */
static int reports_no_memory(const stderr_tail_t *tail)
{
    return strstr(tail->text, "failed to allocate") != NULL ||
           strstr(tail->text, "bad_alloc") != NULL ||
           strstr(tail->text, "Cannot allocate memory") != NULL ||
           strstr(tail->text, "out of memory") != NULL;
}

typedef struct {
    answer_header_t header;
    size_t header_read;
    char *payload;
    size_t payload_read;
    int complete;
    int too_large;
    long long more_ms;   /* time asked for and not yet added to the deadline */
    long long granted_ms; /* time added so far: at most VIND_MAX_EXTRACT_SECONDS */
} answer_t;

/* Adds the time the child asked for to *deadline, within the bound. */
static void grant_more_time(answer_t *answer, long long *deadline)
{
    long long room = (long long)VIND_MAX_EXTRACT_SECONDS * 1000 - answer->granted_ms;
    long long more = answer->more_ms < room ? answer->more_ms : room;
    if (more > 0) {
        *deadline += more;
        answer->granted_ms += more;
    }
    answer->more_ms = 0;
}

/* Consumes bytes from the pipe; 0 = continue, 1 = EOF or complete, -1 = error. */
static int read_answer(int fd, answer_t *answer)
{
    if (answer->header_read < sizeof answer->header) {
        ssize_t n = read(fd, (char *)&answer->header + answer->header_read,
                         sizeof answer->header - answer->header_read);
        if (n < 0)
            return errno == EINTR || errno == EAGAIN ? 0 : -1;
        if (n == 0)
            return 1;
        answer->header_read += (size_t)n;
        if (answer->header_read < sizeof answer->header)
            return 0;
        if (answer->header.status == MORE_TIME_STATUS) { /* not the answer yet */
            answer->more_ms += (long long)(answer->header.length < 3600000 ? answer->header.length
                                                                              : 3600000);
            answer->header_read = 0;
            return 0;
        }
        if (answer->header.length > MAX_ANSWER_BYTES) {
            answer->too_large = 1;
            return 1;
        }
        answer->payload = malloc(answer->header.length + 1);
        if (answer->payload == NULL) {
            answer->too_large = 1;
            return 1;
        }
        if (answer->header.length == 0) {
            answer->payload[0] = '\0';
            answer->complete = 1;
            return 1;
        }
        return 0;
    }
    ssize_t n = read(fd, answer->payload + answer->payload_read,
                     answer->header.length - answer->payload_read);
    if (n < 0)
        return errno == EINTR || errno == EAGAIN ? 0 : -1;
    if (n == 0)
        return 1;
    answer->payload_read += (size_t)n;
    if (answer->payload_read == answer->header.length) {
        answer->payload[answer->payload_read] = '\0';
        answer->complete = 1;
        return 1;
    }
    return 0;
}

/* Reaps the child, killing it at the deadline; returns its wait status. */
static int reap(pid_t pid, long long deadline, struct rusage *usage, int *killed)
{
    int wait_status = 0;
    long pause_nanoseconds = 20 * 1000;
    for (;;) {
        pid_t done = wait4(pid, &wait_status, WNOHANG, usage);
        if (done == pid)
            return wait_status;
        if (done < 0 && errno != EINTR)
            return -1;
        if (now_milliseconds() >= deadline) {
            kill(pid, SIGKILL);
            *killed = 1;
            while (wait4(pid, &wait_status, 0, usage) < 0 && errno == EINTR)
                ;
            return wait_status;
        }
        /* the child exits right after its answer: poll soon, then less often */
        struct timespec pause = {0, pause_nanoseconds};
        nanosleep(&pause, NULL);
        if (pause_nanoseconds < 2 * 1000 * 1000)
            pause_nanoseconds *= 2;
    }
}

static const char *signal_name(int signal_number)
{
    const char *name = sigabbrev_np(signal_number);
    return name != NULL ? name : "unknown";
}

/* The status of one job from what the parent saw: a timeout, a complete
 * answer, or the way the child ended. */
static vind_status_t explain(const char *name, int timed_out, unsigned timeout_seconds,
                             answer_t *answer_in, int wait_status, const struct rusage *usage_in,
                             stderr_tail_t *tail_in, unsigned long long memory_bytes,
                             vind_doc_t **out, char **errmsg)
{
    answer_t answer = *answer_in;
    struct rusage usage = *usage_in;
    stderr_tail_t tail = *tail_in;
    vind_status_t status;
    if (timed_out) {
        status = vind_error(errmsg, VIND_TIMEOUT, "%s: time limit of %u s exceeded", name,
                            timeout_seconds);
    } else if (answer.too_large) {
        status = vind_error(errmsg, VIND_TOO_LARGE, "%s: extracted text larger than %llu bytes",
                            name, (unsigned long long)MAX_ANSWER_BYTES);
    } else if (answer.complete) {
        if (answer.header.status == VIND_OK)
            status = vind_doc_unpack(answer.payload, answer.header.length, out, errmsg);
        else if (answer.header.status < VIND_STATUS_LAST)
            status = vind_error(errmsg, (vind_status_t)answer.header.status, "%s", answer.payload);
        else
            status = vind_error(errmsg, VIND_INTERNAL, "%s: unknown status from the worker", name);
    } else if (wait_status != -1 && WIFSIGNALED(wait_status)) {
        int signal_number = WTERMSIG(wait_status);
        unsigned long long peak = (unsigned long long)usage.ru_maxrss * 1024u;
        /* g_malloc and operator new abort (SIGTRAP, SIGABRT) when RLIMIT_AS
         * refuses memory; a refused 3 GB request leaves a small peak, so the
         * words on stderr decide, and a peak near the limit otherwise. */
        if (memory_bytes > 0 && (reports_no_memory(&tail) || peak * 2 >= memory_bytes))
            status = vind_error(errmsg, VIND_TOO_LARGE,
                                "%s: memory limit of %llu MB exceeded (worker killed by SIG%s: %s)",
                                name, memory_bytes / (1024u * 1024u), signal_name(signal_number),
                                last_line(&tail));
        else
            status =
                vind_error(errmsg, VIND_CRASHED, "%s: worker crashed with signal SIG%s (%s)%s%s",
                           name, signal_name(signal_number), strsignal(signal_number),
                           tail.length > 0 ? ": " : "", last_line(&tail));
    } else {
        status = vind_error(
            errmsg, VIND_CRASHED, "%s: worker exited (status %d) without an answer", name,
            wait_status != -1 && WIFEXITED(wait_status) ? WEXITSTATUS(wait_status) : -1);
    }
    return status;
}


vind_status_t vind_isolate_run(vind_isolate_fn fn, void *arg, const char *name,
                               unsigned timeout_seconds, unsigned long long memory_bytes,
                               vind_doc_t **out, char **errmsg)
{
    if (out == NULL || fn == NULL)
        return vind_error(errmsg, VIND_INVALID_ARGUMENT, "vind_isolate_run: fn or out is NULL");
    *out = NULL;
    if (name == NULL)
        name = "document";
    if (timeout_seconds == 0)
        timeout_seconds = VIND_DEFAULT_EXTRACT_SECONDS;

    int fds[2], errs[2];
    if (pipe2(fds, O_CLOEXEC) != 0)
        return vind_error(errmsg, VIND_IO, "%s: cannot create a pipe: %s", name, strerror(errno));
    if (pipe2(errs, O_CLOEXEC) != 0) {
        int error = errno;
        close(fds[0]);
        close(fds[1]);
        return vind_error(errmsg, VIND_IO, "%s: cannot create a pipe: %s", name, strerror(error));
    }
    pid_t pid = fork();
    if (pid < 0) {
        int error = errno;
        close(fds[0]);
        close(fds[1]);
        close(errs[0]);
        close(errs[1]);
        return vind_error(errmsg, VIND_IO, "%s: cannot fork: %s", name, strerror(error));
    }
    if (pid == 0) {
        close(fds[0]);
        close(errs[0]);
        child_main(fn, arg, fds[1], errs[1], timeout_seconds, memory_bytes);
        _exit(3);
    }
    close(fds[1]);
    close(errs[1]);
    fcntl(errs[0], F_SETFL, fcntl(errs[0], F_GETFL) | O_NONBLOCK);
    stderr_tail_t tail = {{0}, 0};
    int stderr_open = 1;

    long long deadline = now_milliseconds() + (long long)timeout_seconds * 1000;
    answer_t answer = {0};
    int timed_out = 0;
    for (;;) {
        long long remaining = deadline - now_milliseconds();
        if (remaining <= 0) {
            timed_out = 1;
            break;
        }
        struct pollfd poll_fds[2] = {{fds[0], POLLIN, 0}, {stderr_open ? errs[0] : -1, POLLIN, 0}};
        int ready = poll(poll_fds, 2, remaining > 60000 ? 60000 : (int)remaining);
        if (ready < 0 && errno != EINTR)
            break;
        if (ready <= 0)
            continue;
        if (poll_fds[1].revents != 0)
            stderr_open = read_stderr(errs[0], &tail);
        if (poll_fds[0].revents != 0 && read_answer(fds[0], &answer) != 0)
            break;
        grant_more_time(&answer, &deadline);
    }
    close(fds[0]);
    if (timed_out)
        kill(pid, SIGKILL);

    struct rusage usage;
    memset(&usage, 0, sizeof usage);
    int killed = 0;
    /* a child that answered exits at once; give it a second at most */
    int wait_status = reap(pid, timed_out ? 0 : now_milliseconds() + 1000, &usage, &killed);
    /* the child is gone: take what is left, a bounded number of reads */
    for (int i = 0; stderr_open && i < 64; i++) {
        errno = 0;
        stderr_open = read_stderr(errs[0], &tail) && errno != EAGAIN;
    }
    close(errs[0]);

    vind_status_t status = explain(name, timed_out, timeout_seconds, &answer, wait_status, &usage,
                                   &tail, memory_bytes, out, errmsg);
    free(answer.payload);
    (void)killed;
    return status;
}

/* ---- a pool of long-lived worker processes --------------------------------
 *
 * Forking a child per file from a process with threads is fragile: a lock
 * held by another thread at fork time (ASan's allocator, GLib's) stays held
 * in the child forever, and forking a big process costs page-table copies.
 * The pool forks its workers while the caller is single-threaded and keeps
 * them for many files; a worker that crashes, hangs or has served
 * POOL_JOBS_PER_WORKER files is replaced by a new fork of the (still
 * single-threaded) caller.
 */

/*
 * A worker is replaced when its resident memory has grown by more than
 * POOL_WORKER_RSS_BYTES since it was forked, so that memory poppler keeps
 * between documents cannot grow without bound;
 * and after POOL_JOBS_PER_WORKER files when that cannot be read (no /proc),
 * or after POOL_JOBS_PER_WORKER_MAX files in any case.
 *
 * Why not after every 200 files, as before: a new worker is a fork of the
 * indexer, which by then holds Xapian's changes of the open batch (hundreds
 * of MB). The fork copies its page tables, and every page the indexer
 * writes afterwards takes a copy-on-write fault: perf showed 10% of the
 * indexer's CPU in the kernel's fault path (do_wp_page, TLB flushes) on the
 * shared site's HTML, whose workers never grow. Cost of the check: one read
 * of /proc/<pid>/statm per file.
 *
 * Why growth and not the resident size itself: a fresh worker already holds
 * every page of the indexer it was forked from (they count in its RSS until
 * it exits). An indexer past 256 MB (a big Xapian batch; any indexer under
 * ASan, whose shadow memory and quarantine are resident) made every worker
 * "worn" at birth, so each file forked a new one: 853 forks for the corpus's
 * 1,175 HTML files under ASan, 493 s instead of 40 s.
 */
#define POOL_JOBS_PER_WORKER 200u
#define POOL_JOBS_PER_WORKER_MAX 5000u
#define POOL_WORKER_RSS_BYTES (256ull * 1024u * 1024u)

typedef struct {
    pid_t pid;
    int request_fd;  /* parent -> worker: path length (uint32) + path + file id */
    int answer_fd;   /* worker -> parent: answer_header_t + payload */
    int stderr_fd;
    int busy;
    int stderr_open;
    unsigned jobs;
    long long born_resident; /* its RSS right after the fork (the parent's pages), or -1 */
    long long deadline;
    void *tag;
    char *path;
    answer_t answer;
    stderr_tail_t tail;
} worker_t;

struct vind_isolate_pool {
    vind_isolate_path_fn fn;      /* fn(context, path, ...) in the worker */
    void *context;
    unsigned timeout_seconds;
    unsigned long long memory_bytes;
    worker_t *workers;
    size_t n_workers;
};

static int read_exactly(int fd, void *buffer, size_t length)
{
    char *p = buffer;
    while (length > 0) {
        ssize_t n = read(fd, p, length);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        p += n;
        length -= (size_t)n;
    }
    return 0;
}

typedef struct {
    vind_isolate_path_fn fn;
    void *context;
    const char *path;
    const vind_file_id_t *id;
} path_job_t;

static vind_status_t run_path_job(void *arg, vind_doc_t **out, char **errmsg)
{
    path_job_t *job = arg;
    return job->fn(job->context, job->path, job->id, out, errmsg);
}

/* The worker: answers one path after another until the parent closes the
 * request pipe. */
static void worker_main(vind_isolate_path_fn fn, void *context, int request_fd, int answer_fd,
                        int stderr_fd, unsigned long long memory_bytes)
{
    child_setup(request_fd, answer_fd, stderr_fd, memory_bytes);
    for (;;) {
        uint32_t length = 0;
        if (read_exactly(request_fd, &length, sizeof length) != 0 || length > 65536)
            _exit(0);
        char *path = malloc(length + 1);
        vind_file_id_t id;
        if (path == NULL || read_exactly(request_fd, path, length) != 0 ||
            read_exactly(request_fd, &id, sizeof id) != 0)
            _exit(0);
        path[length] = '\0';
        path_job_t job = {fn, context, path, id.dev || id.ino ? &id : NULL};
        int failed = answer_with(run_path_job, &job, answer_fd);
        free(path);
        if (failed)
            _exit(2);
    }
}

static void worker_close_fds(worker_t *w)
{
    if (w->request_fd >= 0)
        close(w->request_fd);
    if (w->answer_fd >= 0)
        close(w->answer_fd);
    if (w->stderr_fd >= 0)
        close(w->stderr_fd);
    w->request_fd = w->answer_fd = w->stderr_fd = -1;
}

/* The resident bytes of a process, or -1 when they cannot be read. */
static long long resident_bytes(pid_t pid)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%ld/statm", (long)pid);
    FILE *f = fopen(path, "r");
    long long size = 0, resident = -1;
    if (f && fscanf(f, "%lld %lld", &size, &resident) != 2)
        resident = -1;
    if (f)
        fclose(f);
    return resident < 0 ? -1 : resident * (long long)sysconf(_SC_PAGESIZE);
}

/* Whether a worker is due for replacement (see POOL_WORKER_RSS_BYTES). */
static int worker_worn(const worker_t *w)
{
    if (w->jobs >= POOL_JOBS_PER_WORKER_MAX)
        return 1;
    if (w->jobs == 0)
        return 0;
    long long resident = resident_bytes(w->pid);
    if (resident < 0 || w->born_resident < 0)
        return w->jobs >= POOL_JOBS_PER_WORKER;
    return resident > w->born_resident &&
           (unsigned long long)(resident - w->born_resident) > POOL_WORKER_RSS_BYTES;
}

static vind_status_t worker_start(vind_isolate_pool_t *pool, worker_t *w, char **errmsg)
{
    int requests[2], answers[2], errs[2];
    if (pipe2(requests, O_CLOEXEC) != 0)
        return vind_error(errmsg, VIND_IO, "cannot create a pipe: %s", strerror(errno));
    if (pipe2(answers, O_CLOEXEC) != 0) {
        close(requests[0]);
        close(requests[1]);
        return vind_error(errmsg, VIND_IO, "cannot create a pipe: %s", strerror(errno));
    }
    if (pipe2(errs, O_CLOEXEC) != 0) {
        close(requests[0]);
        close(requests[1]);
        close(answers[0]);
        close(answers[1]);
        return vind_error(errmsg, VIND_IO, "cannot create a pipe: %s", strerror(errno));
    }
    pid_t pid = fork();
    if (pid < 0) {
        int error = errno;
        int fds[] = {requests[0], requests[1], answers[0], answers[1], errs[0], errs[1]};
        for (size_t i = 0; i < 6; i++)
            close(fds[i]);
        return vind_error(errmsg, VIND_IO, "cannot fork an extraction worker: %s",
                          strerror(error));
    }
    if (pid == 0) {
        worker_main(pool->fn, pool->context, requests[0], answers[1], errs[1],
                    pool->memory_bytes);
        _exit(3);
    }
    close(requests[0]);
    close(answers[1]);
    close(errs[1]);
    memset(w, 0, sizeof *w);
    w->pid = pid;
    w->request_fd = requests[1];
    w->answer_fd = answers[0];
    w->stderr_fd = errs[0];
    w->stderr_open = 1;
    /* fork() has copied the parent's page tables by now: this is what the
     * worker holds before its first file. */
    w->born_resident = resident_bytes(pid);
    fcntl(w->stderr_fd, F_SETFL, fcntl(w->stderr_fd, F_GETFL) | O_NONBLOCK);
    /* A worker that died must not kill the parent with SIGPIPE on the next
     * request: the write fails with EPIPE instead (MSG_NOSIGNAL is for
     * sockets only). */
    signal(SIGPIPE, SIG_IGN);
    return VIND_OK;
}

/* Ends a worker: politely (EOF on its request pipe) or with SIGKILL. */
static int worker_stop(worker_t *w, int kill_it, struct rusage *usage)
{
    if (w->pid <= 0)
        return -1;
    if (kill_it)
        kill(w->pid, SIGKILL);
    if (w->request_fd >= 0) {
        close(w->request_fd);
        w->request_fd = -1;
    }
    int killed = 0;
    int wait_status = reap(w->pid, now_milliseconds() + 2000, usage, &killed);
    for (int i = 0; w->stderr_open && w->stderr_fd >= 0 && i < 64; i++) {
        errno = 0;
        w->stderr_open = read_stderr(w->stderr_fd, &w->tail) && errno != EAGAIN;
    }
    worker_close_fds(w);
    w->pid = 0;
    return wait_status;
}

vind_status_t vind_isolate_pool_new(vind_isolate_path_fn fn, void *context, size_t n_workers,
                                    unsigned timeout_seconds, unsigned long long memory_bytes,
                                    vind_isolate_pool_t **out, char **errmsg)
{
    *out = NULL;
    if (fn == NULL || n_workers == 0)
        return vind_error(errmsg, VIND_INVALID_ARGUMENT, "vind_isolate_pool_new: no function");
    vind_isolate_pool_t *pool = calloc(1, sizeof *pool);
    if (pool == NULL || (pool->workers = calloc(n_workers, sizeof *pool->workers)) == NULL) {
        free(pool);
        return vind_error(errmsg, VIND_NOMEM, "out of memory");
    }
    pool->fn = fn;
    pool->context = context;
    pool->timeout_seconds = timeout_seconds ? timeout_seconds : VIND_DEFAULT_EXTRACT_SECONDS;
    pool->memory_bytes = memory_bytes;
    pool->n_workers = n_workers;
    for (size_t i = 0; i < n_workers; i++) {
        vind_status_t status = worker_start(pool, &pool->workers[i], errmsg);
        if (status != VIND_OK) {
            vind_isolate_pool_free(pool);
            return status;
        }
    }
    *out = pool;
    return VIND_OK;
}

void vind_isolate_pool_free(vind_isolate_pool_t *pool)
{
    if (pool == NULL)
        return;
    for (size_t i = 0; i < pool->n_workers; i++) {
        struct rusage usage;
        worker_stop(&pool->workers[i], pool->workers[i].busy, &usage);
        free(pool->workers[i].path);
        free(pool->workers[i].answer.payload);
    }
    free(pool->workers);
    free(pool);
}

size_t vind_isolate_pool_idle(const vind_isolate_pool_t *pool)
{
    size_t idle = 0;
    for (size_t i = 0; i < pool->n_workers; i++)
        idle += !pool->workers[i].busy;
    return idle;
}

/* One request: the path's length, the path, the file's identity. */
static int send_request(int fd, const char *path, uint32_t length, const vind_file_id_t *id)
{
    vind_file_id_t none = {0, 0};
    return write_all(fd, &length, sizeof length) != 0 || write_all(fd, path, length) != 0 ||
                   write_all(fd, id ? id : &none, sizeof *id) != 0
               ? -1
               : 0;
}

vind_status_t vind_isolate_pool_submit(vind_isolate_pool_t *pool, const char *path,
                                       const vind_file_id_t *id, void *tag, char **errmsg)
{
    size_t length = strlen(path);
    if (length > 65536)
        return vind_error(errmsg, VIND_INVALID_ARGUMENT, "path too long");
    for (size_t i = 0; i < pool->n_workers; i++) {
        worker_t *w = &pool->workers[i];
        if (w->busy)
            continue;
        if (w->pid <= 0 || worker_worn(w)) {
            struct rusage usage;
            worker_stop(w, 0, &usage);
            vind_status_t status = worker_start(pool, w, errmsg);
            if (status != VIND_OK)
                return status;
        }
        if (send_request(w->request_fd, path, (uint32_t)length, id) != 0) {
            /* It died between jobs: start a fresh one and try once more. */
            struct rusage usage;
            worker_stop(w, 1, &usage);
            vind_status_t status = worker_start(pool, w, errmsg);
            if (status != VIND_OK)
                return status;
            if (send_request(w->request_fd, path, (uint32_t)length, id) != 0)
                return vind_error(errmsg, VIND_IO, "%s: cannot reach an extraction worker", path);
        }
        w->busy = 1;
        w->jobs++;
        w->tag = tag;
        w->path = strdup(path);
        w->deadline = now_milliseconds() + (long long)pool->timeout_seconds * 1000;
        memset(&w->answer, 0, sizeof w->answer);
        memset(&w->tail, 0, sizeof w->tail);
        return VIND_OK;
    }
    return vind_error(errmsg, VIND_INVALID_ARGUMENT, "no idle extraction worker");
}

/* Finishes the job of worker w: its status from the answer, or from the way
 * it ended; a worker that did not answer is replaced. */
static vind_status_t finish_job(vind_isolate_pool_t *pool, worker_t *w, int timed_out,
                                void **tag, vind_doc_t **doc, char **job_errmsg)
{
    int wait_status = 0;
    struct rusage usage;
    memset(&usage, 0, sizeof usage);
    if (!w->answer.complete && !w->answer.too_large) {
        wait_status = worker_stop(w, 1, &usage);
        if (timed_out) /* the kill was ours */
            wait_status = 0;
    } else if (w->answer.too_large) {
        worker_stop(w, 1, &usage); /* its pipe holds the rest: start afresh */
    }
    vind_status_t status = explain(w->path, timed_out, pool->timeout_seconds, &w->answer,
                                   wait_status, &usage, &w->tail, pool->memory_bytes, doc,
                                   job_errmsg);
    *tag = w->tag;
    free(w->answer.payload);
    memset(&w->answer, 0, sizeof w->answer);
    free(w->path);
    w->path = NULL;
    w->busy = 0;
    w->tag = NULL;
    return status;
}

vind_status_t vind_isolate_pool_wait(vind_isolate_pool_t *pool, void **tag,
                                     vind_status_t *job_status, vind_doc_t **doc,
                                     char **job_errmsg, char **errmsg)
{
    *tag = NULL;
    *doc = NULL;
    *job_errmsg = NULL;
    size_t n = pool->n_workers;
    struct pollfd *fds = calloc(2 * n, sizeof *fds);
    if (fds == NULL)
        return vind_error(errmsg, VIND_NOMEM, "out of memory");
    vind_status_t status = VIND_INVALID_ARGUMENT;
    for (;;) {
        long long now = now_milliseconds(), wait = -1;
        int busy = 0;
        for (size_t i = 0; i < n; i++) {
            worker_t *w = &pool->workers[i];
            fds[2 * i] = (struct pollfd){w->busy ? w->answer_fd : -1, POLLIN, 0};
            fds[2 * i + 1] =
                (struct pollfd){w->busy && w->stderr_open ? w->stderr_fd : -1, POLLIN, 0};
            if (!w->busy)
                continue;
            busy = 1;
            if (w->deadline <= now) {
                *job_status = finish_job(pool, w, 1, tag, doc, job_errmsg);
                status = VIND_OK;
                goto done;
            }
            if (wait < 0 || w->deadline - now < wait)
                wait = w->deadline - now;
        }
        if (!busy) {
            status = vind_error(errmsg, VIND_INVALID_ARGUMENT, "no extraction in progress");
            goto done;
        }
        int ready = poll(fds, 2 * n, wait > 60000 ? 60000 : (int)wait);
        if (ready < 0 && errno != EINTR) {
            status = vind_error(errmsg, VIND_IO, "poll: %s", strerror(errno));
            goto done;
        }
        for (size_t i = 0; ready > 0 && i < n; i++) {
            worker_t *w = &pool->workers[i];
            if (fds[2 * i + 1].revents != 0)
                w->stderr_open = read_stderr(w->stderr_fd, &w->tail);
            if (fds[2 * i].revents == 0)
                continue;
            int done = read_answer(w->answer_fd, &w->answer);
            grant_more_time(&w->answer, &w->deadline);
            if (done != 0) {
                *job_status = finish_job(pool, w, 0, tag, doc, job_errmsg);
                status = VIND_OK;
                goto done;
            }
        }
    }
done:
    free(fds);
    return status;
}
