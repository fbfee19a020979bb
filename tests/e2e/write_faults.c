/*
 * write_faults.c - an LD_PRELOAD shim that makes the writes of a program
 * under one folder (VIND_FAULT_DIR) fail the way a disk or a machine does:
 *
 *   VIND_ENOSPC_AFTER=BYTES  once BYTES have been written to files under the
 *                            folder, every further write fails with ENOSPC
 *                            (a full disk);
 *   VIND_KILL_AT=POINT       the process SIGKILLs itself at the VIND_KILL_NTH
 *                            (default 1st) POINT under the folder, as kill -9
 *                            from outside would, but at a chosen step of a
 *                            Xapian commit: "sync" (fsync/fdatasync of a
 *                            table), "version" (the first write of the new
 *                            version file v.tmp), "rename-before" and
 *                            "rename-after" (around the rename of v.tmp to
 *                            iamglass, the commit point).
 *
 * Why: tests/e2e/test_full_disk.py needs a full disk where mounting a small
 * tmpfs is refused (no root, a container), and tests/e2e/test_crash.py needs
 * kills inside the commit, which random moments almost never hit (a commit
 * is the last ~0.1 s of a run). Xapian writes tables with pwrite(), the
 * version file with write(), syncs with fdatasync() and commits with rename().
 *
 * Built by the tests themselves: cc -shared -fPIC -o write_faults.so write_faults.c -ldl
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

static atomic_llong written_bytes;
static atomic_int kill_points_seen;

/* Whether path lies under VIND_FAULT_DIR. */
static int watched_path(const char *path)
{
    const char *dir = getenv("VIND_FAULT_DIR");
    if (!dir || !*dir || !path)
        return 0;
    size_t dir_length = strlen(dir);
    return strncmp(path, dir, dir_length) == 0 &&
           (path[dir_length] == '/' || path[dir_length] == '\0');
}

/* The file behind fd, when it lies under VIND_FAULT_DIR; else "". */
static const char *watched_fd(int fd, char *target, size_t size)
{
    char link[64];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t length = readlink(link, target, size - 1);
    if (length <= 0)
        return "";
    target[length] = '\0';
    return watched_path(target) ? target : "";
}

/* SIGKILLs the process when point is VIND_KILL_AT and this is its Nth time. */
static void maybe_die(const char *point)
{
    const char *at = getenv("VIND_KILL_AT");
    if (!at || strcmp(at, point) != 0)
        return;
    const char *nth = getenv("VIND_KILL_NTH");
    int wanted = nth ? atoi(nth) : 1;
    if (atomic_fetch_add(&kill_points_seen, 1) + 1 == wanted)
        raise(SIGKILL);
}

/* Whether writing count more bytes to fd must fail; counts them otherwise. */
static int disk_full(int fd, size_t count)
{
    char target[PATH_MAX];
    const char *path = watched_fd(fd, target, sizeof target);
    if (!*path)
        return 0;
    size_t length = strlen(path);
    if (length >= 6 && strcmp(path + length - 6, "/v.tmp") == 0)
        maybe_die("version");
    const char *after = getenv("VIND_ENOSPC_AFTER");
    if (!after)
        return 0;
    long long limit = atoll(after);
    if (atomic_fetch_add(&written_bytes, (long long)count) + (long long)count <= limit)
        return 0;
    errno = ENOSPC;
    return 1;
}

static size_t vector_bytes(const struct iovec *vector, int count)
{
    size_t total = 0;
    for (int i = 0; i < count; i++)
        total += vector[i].iov_len;
    return total;
}

ssize_t write(int fd, const void *buffer, size_t count)
{
    static ssize_t (*real)(int, const void *, size_t);
    if (!real)
        real = (ssize_t(*)(int, const void *, size_t))dlsym(RTLD_NEXT, "write");
    return disk_full(fd, count) ? -1 : real(fd, buffer, count);
}

ssize_t pwrite(int fd, const void *buffer, size_t count, off_t offset)
{
    static ssize_t (*real)(int, const void *, size_t, off_t);
    if (!real)
        real = (ssize_t(*)(int, const void *, size_t, off_t))dlsym(RTLD_NEXT, "pwrite");
    return disk_full(fd, count) ? -1 : real(fd, buffer, count, offset);
}

ssize_t pwrite64(int fd, const void *buffer, size_t count, off_t offset)
{
    static ssize_t (*real)(int, const void *, size_t, off_t);
    if (!real)
        real = (ssize_t(*)(int, const void *, size_t, off_t))dlsym(RTLD_NEXT, "pwrite64");
    return disk_full(fd, count) ? -1 : real(fd, buffer, count, offset);
}

ssize_t writev(int fd, const struct iovec *vector, int count)
{
    static ssize_t (*real)(int, const struct iovec *, int);
    if (!real)
        real = (ssize_t(*)(int, const struct iovec *, int))dlsym(RTLD_NEXT, "writev");
    return disk_full(fd, vector_bytes(vector, count)) ? -1 : real(fd, vector, count);
}

ssize_t pwritev(int fd, const struct iovec *vector, int count, off_t offset)
{
    static ssize_t (*real)(int, const struct iovec *, int, off_t);
    if (!real)
        real = (ssize_t(*)(int, const struct iovec *, int, off_t))dlsym(RTLD_NEXT, "pwritev");
    return disk_full(fd, vector_bytes(vector, count)) ? -1 : real(fd, vector, count, offset);
}

/* A sync of fd through real (fsync or fdatasync); a watched fd's sync is a
 * kill point ("sync": maybe_die). */
static int sync_or_die(int fd, int (*real)(int))
{
    char target[PATH_MAX];
    if (*watched_fd(fd, target, sizeof target))
        maybe_die("sync");
    return real(fd);
}

int fdatasync(int fd)
{
    static int (*real)(int);
    if (!real)
        real = (int (*)(int))dlsym(RTLD_NEXT, "fdatasync");
    return sync_or_die(fd, real);
}

int fsync(int fd)
{
    static int (*real)(int);
    if (!real)
        real = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
    return sync_or_die(fd, real);
}

int rename(const char *from, const char *to)
{
    static int (*real)(const char *, const char *);
    if (!real)
        real = (int (*)(const char *, const char *))dlsym(RTLD_NEXT, "rename");
    char resolved[PATH_MAX];
    int watched = realpath(to, resolved) ? watched_path(resolved) : 0;
    if (!watched) { /* the target may not exist yet: resolve its folder */
        char *slash = strrchr(to, '/');
        char folder[PATH_MAX];
        snprintf(folder, sizeof folder, "%.*s", slash ? (int)(slash - to) : 1, slash ? to : ".");
        watched = realpath(folder, resolved) ? watched_path(resolved) : 0;
    }
    if (watched)
        maybe_die("rename-before");
    int result = real(from, to);
    if (watched && result == 0)
        maybe_die("rename-after");
    return result;
}
