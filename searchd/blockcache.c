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
 * Why a kept block is never stale, each guard enough on its own
 * (tests/e2e/test_searchd_blockcache.py fails with both removed):
 *   - the file behind a descriptor: every open, dup2 and close of a
 *     descriptor bumps its generation, and a block names the descriptor's
 *     generation, so a number reused for another file, or the same file
 *     opened again, never finds the old blocks. Xapian 1.4 opens every
 *     table again when a reader moves to a new revision, so a block read
 *     before a commit is never found by a reader of the commit;
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
 * Sanitizer builds: these four calls are not seen by ASan's and TSan's
 * interceptors (they sit below them).
 * VIND_SEARCHD_BLOCK_CACHE=0 in the environment turns the cache off (every
 * call goes straight to the kernel), for measuring it.
 */
#undef _FORTIFY_SOURCE /* this file defines read and pread themselves */
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
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
    int fd;
    unsigned fd_generation, generation;
    off_t offset;
    unsigned char data[BLOCK_BYTES];
} block_t;

typedef struct {
    uint64_t path_hash;
    uint64_t content_hash;
} version_file_t;

static atomic_uint generation;
static atomic_uint fd_generation[MAX_FDS];
static atomic_uchar fd_kind[MAX_FDS];

static pthread_mutex_t version_lock = PTHREAD_MUTEX_INITIALIZER;
static version_file_t version_files[MAX_VERSION_FILES];
static size_t n_version_files;

static pthread_once_t once = PTHREAD_ONCE_INIT;
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
    for (size_t i = 0; i < SLOTS; i++)
        blocks[i].fd = -1;
    for (size_t i = 0; i < STRIPES; i++)
        pthread_mutex_init(&stripes[i], NULL);
    enabled = 1;
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

/* Descriptor fd now names another file (or none): the blocks kept under
 * its old generation are never found again. */
static void renew_fd(int fd, unsigned char kind)
{
    if (fd < 0 || fd >= MAX_FDS)
        return;
    atomic_fetch_add(&fd_generation[fd], 1);
    atomic_store(&fd_kind[fd], kind);
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

static size_t slot_of(int fd, off_t offset)
{
    uint64_t key = ((uint64_t)offset / BLOCK_BYTES) ^ ((uint64_t)fd << 40);
    return (size_t)((key * 0x9e3779b97f4a7c15u) >> 32) % SLOTS;
}

/* Hot path of every Xapian block read: a hit costs a stripe lock and an
 * 8 kB memcpy (~0.3 us) instead of a system call (~2-3 us on the VM). */
static ssize_t cached_pread(int fd, void *buf, size_t count, off_t offset)
{
    unsigned fd_gen = atomic_load(&fd_generation[fd]), gen = atomic_load(&generation);
    size_t slot = slot_of(fd, offset);
    block_t *block = &blocks[slot];
    pthread_mutex_t *lock = &stripes[slot % STRIPES];
    pthread_mutex_lock(lock);
    if (block->fd == fd && block->offset == offset && block->fd_generation == fd_gen &&
        block->generation == gen) {
        memcpy(buf, block->data, BLOCK_BYTES);
        pthread_mutex_unlock(lock);
        return (ssize_t)count;
    }
    pthread_mutex_unlock(lock);
    ssize_t n = syscall(SYS_pread64, fd, buf, count, offset);
    if (n == BLOCK_BYTES) {
        pthread_mutex_lock(lock);
        block->fd = fd;
        block->offset = offset;
        block->fd_generation = fd_gen;
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
    int fd = (int)syscall(SYS_openat, AT_FDCWD, path, flags, mode);
    if (fd >= 0) {
        renew_fd(fd, ends_with(path, ".glass") ? KIND_TABLE : KIND_OTHER);
        if (ends_with(path, "iamglass"))
            note_version(fd, path);
    }
    return fd;
}

/* libxapian moves a descriptor below 3 up with dup2. */
__attribute__((visibility("default"))) int dup2(int old_fd, int new_fd)
{
    int fd = (int)syscall(SYS_dup2, old_fd, new_fd);
    if (fd >= 0 && fd != old_fd)
        renew_fd(fd, kind_of(old_fd));
    return fd;
}

/* Every close through the PLT (libxapian's, libmicrohttpd's, GLib's). */
__attribute__((visibility("default"))) int close(int fd)
{
    renew_fd(fd, KIND_OTHER);
    return (int)syscall(SYS_close, fd);
}
