/*
 * enospc.c - an LD_PRELOAD shim that fills the disk for one folder: once
 * VIND_ENOSPC_AFTER bytes have been written to files under VIND_ENOSPC_DIR,
 * every further write to them fails with ENOSPC.
 *
 * Why: tests/e2e/test_full_disk.py needs a full disk under vind-index. A
 * small tmpfs is the real thing, but mounting may be refused (no root, a
 * container without CAP_SYS_ADMIN); this shim works everywhere the dynamic
 * linker does. Xapian writes its tables with pwrite() and its version file
 * with write(), so those and their vector forms are covered.
 *
 * Built by the test itself: cc -shared -fPIC -o enospc.so enospc.c -ldl
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

static atomic_llong written_bytes;

/* Whether fd is a file under VIND_ENOSPC_DIR. */
static int watched(int fd)
{
    const char *dir = getenv("VIND_ENOSPC_DIR");
    if (!dir || !*dir)
        return 0;
    char link[64], target[PATH_MAX];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t length = readlink(link, target, sizeof target - 1);
    if (length <= 0)
        return 0;
    target[length] = '\0';
    size_t dir_length = strlen(dir);
    return strncmp(target, dir, dir_length) == 0 &&
           (target[dir_length] == '/' || target[dir_length] == '\0');
}

/* Whether writing count more bytes to fd must fail; counts them otherwise. */
static int disk_full(int fd, size_t count)
{
    if (!watched(fd))
        return 0;
    const char *after = getenv("VIND_ENOSPC_AFTER");
    long long limit = after ? atoll(after) : 0;
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
