/*
 * extract.c - vind_extract_file(): checks the file (size, emptiness), picks
 * the extractor by content ("%PDF-" magic, else HTML by name or markup), and
 * runs it in an isolated child (lib/isolate.c) unless told not to.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <vind/extract.h>
#include <vind/limits.h>
#include "error.h"
#include "isolate.h"

void vind_extract_options_init(vind_extract_options_t *opts)
{
    if (opts == NULL)
        return;
    memset(opts, 0, sizeof *opts);
    opts->max_bytes = VIND_DEFAULT_MAX_FILE_BYTES;
    opts->timeout_seconds = VIND_DEFAULT_EXTRACT_SECONDS;
    opts->memory_bytes = VIND_DEFAULT_EXTRACT_MEMORY_BYTES;
    opts->isolate = 1;
}

typedef enum { KIND_PDF, KIND_HTML, KIND_OTHER } file_kind_t;

static int has_suffix(const char *path, const char *suffix)
{
    size_t path_len = strlen(path), suffix_len = strlen(suffix);
    return path_len >= suffix_len && strcasecmp(path + path_len - suffix_len, suffix) == 0;
}

/* Markup: after a BOM and white space the text starts with '<', and one of
 * the usual openings is in the first kilobyte. */
static int looks_like_markup(const char *data, size_t len)
{
    size_t n = len < 1024 ? len : 1024;
    size_t i = 0;
    if (n >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    while (i < n && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n'))
        i++;
    if (i >= n || data[i] != '<')
        return 0;
    static const char *const openings[] = {"<!doctype html", "<html",   "<head",  "<body",
                                           "<?xml",          "<meta",   "<title", "<rss",
                                           "<feed",          "<urlset", NULL};
    for (size_t k = 0; openings[k] != NULL; k++) {
        size_t opening_len = strlen(openings[k]);
        for (size_t j = i; j + opening_len <= n; j++)
            if (strncasecmp(data + j, openings[k], opening_len) == 0)
                return 1;
    }
    return 0;
}

static file_kind_t sniff(const char *path, const char *data, size_t len)
{
    size_t n = len < 1024 ? len : 1024;
    for (size_t i = 0; i + 5 <= n; i++)
        if (memcmp(data + i, "%PDF-", 5) == 0)
            return KIND_PDF;
    if (has_suffix(path, ".pdf"))
        return KIND_PDF; /* vind_extract_pdf says why it is not one */
    if (has_suffix(path, ".html") || has_suffix(path, ".htm") || has_suffix(path, ".xhtml") ||
        looks_like_markup(data, len))
        return KIND_HTML;
    return KIND_OTHER;
}

/* Reads the whole file; size was checked against the limit by the caller. */
static vind_status_t read_file(const char *path, size_t size, char **out, size_t *out_len,
                               char **errmsg)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return vind_error(errmsg, VIND_IO, "%s: cannot open: %s", path, strerror(errno));
    char *data = malloc(size + 1);
    if (data == NULL) {
        close(fd);
        return vind_error(errmsg, VIND_NOMEM, "%s: out of memory reading %zu bytes", path, size);
    }
    size_t total = 0;
    while (total < size) {
        ssize_t n = read(fd, data + total, size - total);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int error = errno;
            free(data);
            close(fd);
            return vind_error(errmsg, VIND_IO, "%s: cannot read: %s", path, strerror(error));
        }
        if (n == 0)
            break; /* shrank while reading: use what is there */
        total += (size_t)n;
    }
    close(fd);
    data[total] = '\0';
    *out = data;
    *out_len = total;
    return VIND_OK;
}

typedef struct {
    const char *path;
    size_t size;
    const vind_extract_options_t *opts;
} job_t;

static vind_status_t extract_job(void *arg, vind_doc_t **out, char **errmsg)
{
    const job_t *job = arg;
    char *data = NULL;
    size_t len = 0;
    vind_status_t status = read_file(job->path, job->size, &data, &len, errmsg);
    if (status != VIND_OK)
        return status;
    if (len == 0) {
        free(data);
        return vind_error(errmsg, VIND_UNSUPPORTED_FILE, "%s: empty file", job->path);
    }
    switch (sniff(job->path, data, len)) {
    case KIND_PDF:
        status = vind_extract_pdf(data, len, job->path, job->opts, out, errmsg);
        break;
    case KIND_HTML:
        status = vind_extract_html(data, len, job->path, job->opts, out, errmsg);
        break;
    default:
        status = vind_error(errmsg, VIND_UNSUPPORTED_FILE, "%s: neither HTML nor PDF", job->path);
        break;
    }
    free(data);
    return status;
}

vind_status_t vind_extract_file(const char *path, const vind_extract_options_t *opts,
                                vind_doc_t **out, char **errmsg)
{
    if (out == NULL)
        return vind_error(errmsg, VIND_INVALID_ARGUMENT, "vind_extract_file: out is NULL");
    *out = NULL;
    if (path == NULL)
        return vind_error(errmsg, VIND_INVALID_ARGUMENT, "vind_extract_file: path is NULL");
    vind_extract_options_t defaults;
    if (opts == NULL) {
        vind_extract_options_init(&defaults);
        opts = &defaults;
    }
    struct stat info;
    if (stat(path, &info) != 0)
        return vind_error(errmsg, errno == ENOENT ? VIND_NOT_FOUND : VIND_IO, "%s: %s", path,
                          strerror(errno));
    if (!S_ISREG(info.st_mode))
        return vind_error(errmsg, VIND_UNSUPPORTED_FILE, "%s: not a regular file", path);
    if (info.st_size == 0)
        return vind_error(errmsg, VIND_UNSUPPORTED_FILE, "%s: empty file", path);
    size_t max_bytes = opts->max_bytes > 0 ? opts->max_bytes : VIND_DEFAULT_MAX_FILE_BYTES;
    if ((unsigned long long)info.st_size > max_bytes)
        return vind_error(errmsg, VIND_TOO_LARGE, "%s: %lld bytes, more than the limit of %zu",
                          path, (long long)info.st_size, max_bytes);

    job_t job = {path, (size_t)info.st_size, opts};
    if (!opts->isolate)
        return extract_job(&job, out, errmsg);
    unsigned long long memory =
        opts->memory_bytes > 0 ? opts->memory_bytes : VIND_DEFAULT_EXTRACT_MEMORY_BYTES;
    return vind_isolate_run(extract_job, &job, path, opts->timeout_seconds, memory, out, errmsg);
}
