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
#include "walk.h"

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

static int has_html_name(const char *path)
{
    return has_suffix(path, ".html") || has_suffix(path, ".htm") || has_suffix(path, ".xhtml");
}

/* "%PDF-" in the first kilobyte, as PDF readers look for it (a PDF may
 * have bytes before its header). */
static int has_pdf_header(const char *data, size_t len)
{
    size_t n = len < 1024 ? len : 1024;
    for (size_t i = 0; i + 5 <= n; i++)
        if (memcmp(data + i, "%PDF-", 5) == 0)
            return 1;
    return 0;
}

/* A PDF by its header, unless the file is named as HTML and is markup from
 * its first byte: that is what a browser shows of it. Until session 19 an
 * article that said "%PDF-1.7" in its first kilobyte (its title, a
 * paragraph about PDF files) was read as a PDF and lost: "damaged PDF".
 * A PDF named .html (its header first) is still read as the PDF. */
static file_kind_t sniff(const char *path, const char *data, size_t len)
{
    int markup = looks_like_markup(data, len);
    if (has_pdf_header(data, len) && !(markup && has_html_name(path)))
        return KIND_PDF;
    if (has_suffix(path, ".pdf"))
        return KIND_PDF; /* vind_extract_pdf says why it is not one */
    if (has_html_name(path) || markup)
        return KIND_HTML;
    return KIND_OTHER;
}

/* Reads the whole of fd (size bytes were announced by fstat). */
static vind_status_t read_fd(int fd, const char *path, size_t size, char **out, size_t *out_len,
                             char **errmsg)
{
    char *data = malloc(size + 1);
    if (data == NULL)
        return vind_error(errmsg, VIND_NOMEM, "%s: out of memory reading %zu bytes", path, size);
    size_t total = 0;
    while (total < size) {
        ssize_t n = read(fd, data + total, size - total);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int error = errno;
            free(data);
            return vind_error(errmsg, VIND_IO, "%s: cannot read: %s", path, strerror(error));
        }
        if (n == 0)
            break; /* shrank while reading: use what is there */
        total += (size_t)n;
    }
    data[total] = '\0';
    *out = data;
    *out_len = total;
    return VIND_OK;
}

typedef struct {
    const char *path;
    const vind_file_id_t *id; /* the file the walk saw, or NULL */
    const vind_extract_options_t *opts;
} job_t;

/*
 * Opens the file (only a regular one, and when id is given only that very
 * file: vind_walk_open), checks its size on the open descriptor and reads
 * it: the checks and the read are on one file, whatever happens to the path.
 */
static vind_status_t read_checked(const job_t *job, char **data, size_t *len, char **errmsg)
{
    char *reason = NULL;
    int fd = vind_walk_open(job->path, job->id, &reason);
    if (fd < 0) {
        vind_status_t status = reason && strcmp(reason, strerror(ENOENT)) == 0 ? VIND_NOT_FOUND
                               : reason && strstr(reason, "not indexed")       ? VIND_UNSUPPORTED_FILE
                                                                               : VIND_IO;
        vind_error(errmsg, status, "%s: %s%s", job->path,
                   status == VIND_UNSUPPORTED_FILE ? "" : "cannot open: ",
                   reason ? reason : "unknown error");
        free(reason);
        return status;
    }
    struct stat info;
    size_t max_bytes =
        job->opts->max_bytes > 0 ? job->opts->max_bytes : VIND_DEFAULT_MAX_FILE_BYTES;
    vind_status_t status = VIND_OK;
    if (fstat(fd, &info) != 0)
        status = vind_error(errmsg, VIND_IO, "%s: %s", job->path, strerror(errno));
    else if (info.st_size == 0)
        status = vind_error(errmsg, VIND_UNSUPPORTED_FILE, "%s: empty file", job->path);
    else if ((unsigned long long)info.st_size > max_bytes)
        status = vind_error(errmsg, VIND_TOO_LARGE, "%s: %lld bytes, more than the limit of %zu",
                            job->path, (long long)info.st_size, max_bytes);
    else
        status = read_fd(fd, job->path, (size_t)info.st_size, data, len, errmsg);
    close(fd);
    return status;
}

static vind_status_t extract_job(void *arg, vind_doc_t **out, char **errmsg)
{
    const job_t *job = arg;
    char *data = NULL;
    size_t len = 0;
    vind_status_t status = read_checked(job, &data, &len, errmsg);
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
    return vind_extract_walked(path, NULL, opts, out, errmsg);
}

vind_status_t vind_extract_walked(const char *path, const vind_file_id_t *id,
                                  const vind_extract_options_t *opts, vind_doc_t **out,
                                  char **errmsg)
{
    *out = NULL;
    vind_extract_options_t defaults;
    if (opts == NULL) {
        vind_extract_options_init(&defaults);
        opts = &defaults;
    }
    /* Every check is made in the child, on the descriptor it reads. */
    job_t job = {path, id, opts};
    if (!opts->isolate)
        return extract_job(&job, out, errmsg);
    unsigned long long memory =
        opts->memory_bytes > 0 ? opts->memory_bytes : VIND_DEFAULT_EXTRACT_MEMORY_BYTES;
    return vind_isolate_run(extract_job, &job, path, opts->timeout_seconds, memory, out, errmsg);
}
