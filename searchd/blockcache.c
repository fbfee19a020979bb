/*
 * blockcache.c - vind-searchd keeps Xapian's 8 kB table blocks in its own
 * memory, so a search reads them again without a system call.
 *
 * Why: Xapian 1.4's glass backend has no block cache: every cursor it opens
 * reads its blocks with pread(2), ~26 a search in the bench's steady state,
 * and 93% of them are blocks the process has read before (strace of 300
 * bench requests: 7,734 reads of 538 distinct blocks). On the 2-core VM a
 * system call costs far more than the 8 kB it copies: the reads were ~22%
 * of the search threads' CPU samples (docs/searchd.md "Session 17: a search
 * request at the system level").
 *
 * How: the executable defines pread, open, dup2 and close, the four of
 * these that libxapian imports, so that its calls come here first (the
 * dynamic linker looks in the executable before any library). Each is
 * passed to the kernel with syscall(2); a read of BLOCK_BYTES from a table
 * file (a path ending in ".glass") is kept in a direct-mapped table of
 * SLOTS blocks. The library and the other programs read as Xapian does.
 *
 * Blocks are kept per file (device and inode, read with fstat when a table
 * is opened), not per descriptor: each searcher (a search thread's, a
 * worker's) opens the tables itself, and a block read through one
 * searcher's descriptor is found through the others' (until session 18
 * each searcher kept its own copy, and the copies pushed each other out).
 *
 * Why a kept block is never stale, each guard enough on its own
 * (tests/e2e/test_searchd_blockcache.py fails with both removed):
 *   - the tables' opens: every open, dup2 and close of a descriptor sets
 *     which file it names (none but a table's), and a block names its file
 *     by device and inode, so a number reused for another file never finds
 *     the old file's blocks. Every open of a table bumps the global
 *     generation below before the opener reads, and Xapian 1.4 opens every
 *     table again when a reader moves to a new revision, so a block kept
 *     before a commit is never found by a reader of the commit (a searcher
 *     opens its tables once a revision: the cache starts over then);
 *   - the revision: a reader learns of a commit by opening the version file
 *     (iamglass), which glass writes after the revision's blocks. When its
 *     first bytes differ from the last ones seen for that path, the global
 *     generation is bumped before open() returns, i.e. before that reader
 *     reads a block of the new revision. A block is kept under the
 *     generation current *before* its pread began, so a read that raced a
 *     commit is never found again;
 *   - a reader still at an older revision may find a newer block, as it
 *     would on disk: Xapian sees the block's revision and reports
 *     DatabaseModifiedError, which the library answers by reopening.
 *
 * Sanitizer builds: open, dup2 and close are passed on to the next
 * definition (dlsym RTLD_NEXT: the sanitizer's interceptor, else libc's),
 * so ThreadSanitizer knows which file a descriptor number names (until
 * session 18 they went to syscall(2), and TSan took a number GLib had
 * closed and Xapian reopened for the old file: a false "data race" in
 * check-searchd-tsan, 2 runs of 4). pread, the hot one, goes to the kernel
 * directly and is not seen by the interceptors.
 * VIND_SEARCHD_BLOCK_CACHE=0 in the environment turns the cache off (every
 * call goes straight to the kernel), for measuring it.
 */
#undef _FORTIFY_SOURCE /* this file defines read and pread themselves */
#include <dlfcn.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define BLOCK_BYTES 8192 /* glass's default block size; other sizes pass through */
#define SLOTS 2048       /* 16 MB */
#define STRIPES 64       /* locks over the slots */
#define MAX_FDS 65536    /* descriptors past this pass through */
#define MAX_VERSION_FILES 64
#define VERSION_BYTES 256 /* the version file's first bytes hold its revision */

enum { KIND_OTHER = 0, KIND_TABLE = 1 };

typedef struct {
    uint64_t device, inode; /* inode 0: empty (no file has it) */
    unsigned generation;
    off_t offset;
    unsigned char data[BLOCK_BYTES];
} block_t;

typedef struct {
    uint64_t path_hash;
    uint64_t content_hash;
} version_file_t;

static atomic_uint generation;
static atomic_uchar fd_kind[MAX_FDS];
/* The table file a KIND_TABLE descriptor names; read only by the thread
 * that uses the descriptor, written when it is opened (relaxed atomics:
 * the descriptor's number passes between threads through the kernel). */
static atomic_uint_fast64_t fd_device[MAX_FDS], fd_inode[MAX_FDS];

static pthread_mutex_t version_lock = PTHREAD_MUTEX_INITIALIZER;
static version_file_t version_files[MAX_VERSION_FILES];
static size_t n_version_files;

static pthread_once_t once = PTHREAD_ONCE_INIT;
static pthread_once_t next_once = PTHREAD_ONCE_INIT;
static int (*next_open)(const char *, int, ...);
static int (*next_dup2)(int, int);
static int (*next_close)(int);
static int enabled;
static block_t *blocks;
static pthread_mutex_t stripes[STRIPES];

static void start(void)
{
    const char *setting = getenv("VIND_SEARCHD_BLOCK_CACHE");
    if (setting && strcmp(setting, "0") == 0)
        return;
    blocks = calloc(SLOTS, sizeof *blocks); /* pages are touched as blocks arrive */
    if (blocks == NULL)
        return;
    for (size_t i = 0; i < STRIPES; i++)
        pthread_mutex_init(&stripes[i], NULL);
    enabled = 1;
}

/* The definitions these replace: a sanitizer's interceptors, else libc's. */
static void find_next(void)
{
    next_open = (int (*)(const char *, int, ...))dlsym(RTLD_NEXT, "open");
    next_dup2 = (int (*)(int, int))dlsym(RTLD_NEXT, "dup2");
    next_close = (int (*)(int))dlsym(RTLD_NEXT, "close");
}

static void find_next_once(void)
{
    pthread_once(&next_once, find_next);
}

static int cache_on(void)
{
    pthread_once(&once, start);
    return enabled;
}

static uint64_t fnv1a(const void *data, size_t n)
{
    const unsigned char *p = data;
    uint64_t hash = 0xcbf29ce484222325u;
    for (size_t i = 0; i < n; i++)
        hash = (hash ^ p[i]) * 0x100000001b3u;
    return hash;
}

static int ends_with(const char *text, const char *suffix)
{
    size_t n = strlen(text), m = strlen(suffix);
    return n >= m && memcmp(text + n - m, suffix, m) == 0;
}

/* Descriptor fd now names another file (or none): a table's device and
 * inode, or KIND_OTHER (its reads pass through). */
static void renew_fd(int fd, unsigned char kind, uint64_t device, uint64_t inode)
{
    if (fd < 0 || fd >= MAX_FDS)
        return;
    atomic_store_explicit(&fd_device[fd], device, memory_order_relaxed);
    atomic_store_explicit(&fd_inode[fd], inode, memory_order_relaxed);
    atomic_store(&fd_kind[fd], kind);
}

/* A table just opened as fd: names it by its file (one fstat a table open,
 * when a searcher opens or moves to a new revision); KIND_OTHER when the
 * file cannot be told (its reads pass through). The global generation is
 * bumped before the opener can read a block: what any reader kept before
 * this open is not found again (the second guard above). */
static void renew_table_fd(int fd)
{
    struct stat info;
    if (syscall(SYS_fstat, fd, &info) != 0 || info.st_ino == 0) {
        renew_fd(fd, KIND_OTHER, 0, 0);
        return;
    }
    atomic_fetch_add(&generation, 1);
    renew_fd(fd, KIND_TABLE, (uint64_t)info.st_dev, (uint64_t)info.st_ino);
}

static unsigned char kind_of(int fd)
{
    return fd >= 0 && fd < MAX_FDS ? atomic_load_explicit(&fd_kind[fd], memory_order_relaxed)
                                   : KIND_OTHER;
}

/* A version file (path) was just opened as fd, before its opener reads
 * it: a new revision (or a path not seen before, or one this table cannot
 * hold) empties the cache. Cost: one pread of VERSION_BYTES a reopen check
 * (every VIND_SEARCHD_REOPEN_MS a searcher). */
static void note_version(int fd, const char *path)
{
    unsigned char start_bytes[VERSION_BYTES];
    ssize_t n = syscall(SYS_pread64, fd, start_bytes, sizeof start_bytes, (off_t)0);
    uint64_t path_hash = fnv1a(path, strlen(path));
    uint64_t content_hash = fnv1a(start_bytes, n > 0 ? (size_t)n : 0);
    pthread_mutex_lock(&version_lock);
    size_t i = 0;
    while (i < n_version_files && version_files[i].path_hash != path_hash)
        i++;
    int changed = 1;
    if (i < n_version_files) {
        changed = version_files[i].content_hash != content_hash;
        version_files[i].content_hash = content_hash;
    } else if (n_version_files < MAX_VERSION_FILES) {
        version_files[n_version_files++] = (version_file_t){path_hash, content_hash};
    }
    if (changed)
        atomic_fetch_add(&generation, 1);
    pthread_mutex_unlock(&version_lock);
}

static size_t slot_of(uint64_t device, uint64_t inode, off_t offset)
{
    uint64_t key = ((uint64_t)offset / BLOCK_BYTES) ^ (inode << 40) ^ (device << 20);
    return (size_t)((key * 0x9e3779b97f4a7c15u) >> 32) % SLOTS;
}

/* Hot path of every Xapian block read: a hit costs a stripe lock and an
 * 8 kB memcpy (~0.3 us) instead of a system call (~2-3 us on the VM). */
static ssize_t cached_pread(int fd, void *buf, size_t count, off_t offset)
{
    uint64_t device = atomic_load_explicit(&fd_device[fd], memory_order_relaxed);
    uint64_t inode = atomic_load_explicit(&fd_inode[fd], memory_order_relaxed);
    unsigned gen = atomic_load(&generation);
    size_t slot = slot_of(device, inode, offset);
    block_t *block = &blocks[slot];
    pthread_mutex_t *lock = &stripes[slot % STRIPES];
    pthread_mutex_lock(lock);
    if (block->inode == inode && block->device == device && block->offset == offset &&
        block->generation == gen) {
        memcpy(buf, block->data, BLOCK_BYTES);
        pthread_mutex_unlock(lock);
        return (ssize_t)count;
    }
    pthread_mutex_unlock(lock);
    ssize_t n = syscall(SYS_pread64, fd, buf, count, offset);
    if (n == BLOCK_BYTES) {
        pthread_mutex_lock(lock);
        block->device = device;
        block->inode = inode;
        block->offset = offset;
        block->generation = gen;
        memcpy(block->data, buf, BLOCK_BYTES);
        pthread_mutex_unlock(lock);
    }
    return n;
}

/* libxapian's block reads. */
__attribute__((visibility("default"))) ssize_t pread(int fd, void *buf, size_t count, off_t offset)
{
    if (count == BLOCK_BYTES && kind_of(fd) == KIND_TABLE && cache_on())
        return cached_pread(fd, buf, count, offset);
    return syscall(SYS_pread64, fd, buf, count, offset);
}

/* libxapian opens its tables and version files here. */
__attribute__((visibility("default"))) int open(const char *path, int flags, ...)
{
    mode_t mode = 0;
    /* A mode is passed only with O_CREAT or O_TMPFILE (whose bits include
     * O_DIRECTORY's, so it is tested whole, as glibc's __OPEN_NEEDS_MODE does). */
    if ((flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE) {
        va_list ap;
        va_start(ap, flags);
        mode = (mode_t)va_arg(ap, int);
        va_end(ap);
    }
    find_next_once();
    int fd = next_open ? next_open(path, flags, mode)
                       : (int)syscall(SYS_openat, AT_FDCWD, path, flags, mode);
    if (fd >= 0) {
        if (ends_with(path, ".glass"))
            renew_table_fd(fd);
        else
            renew_fd(fd, KIND_OTHER, 0, 0);
        if (ends_with(path, "iamglass"))
            note_version(fd, path);
    }
    return fd;
}

/* libxapian moves a descriptor below 3 up with dup2. */
__attribute__((visibility("default"))) int dup2(int old_fd, int new_fd)
{
    find_next_once();
    int fd = next_dup2 ? next_dup2(old_fd, new_fd) : (int)syscall(SYS_dup2, old_fd, new_fd);
    if (fd >= 0 && fd != old_fd && old_fd >= 0 && old_fd < MAX_FDS)
        renew_fd(fd, kind_of(old_fd), atomic_load(&fd_device[old_fd]),
                 atomic_load(&fd_inode[old_fd]));
    else if (fd >= 0 && fd != old_fd)
        renew_fd(fd, KIND_OTHER, 0, 0);
    return fd;
}

/* Every close through the PLT (libxapian's, libmicrohttpd's, GLib's). */
__attribute__((visibility("default"))) int close(int fd)
{
    renew_fd(fd, KIND_OTHER, 0, 0);
    find_next_once();
    return next_close ? next_close(fd) : (int)syscall(SYS_close, fd);
}
