/*
 * log.c - the levelled logger of vind's programs (include/vind/log.h).
 * Nothing in the library calls it.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <vind/log.h>

/* Longest line written; a longer message is cut (a 100 kB URL is not worth a
 * 100 kB log line). */
#define LOG_LINE_BYTES 2048

void vind_log_init(vind_log_t *log, FILE *stream, vind_log_level_t level)
{
    log->stream = stream ? stream : stderr;
    log->level = level;
}

int vind_log_level_from_name(const char *name)
{
    static const char *const names[] = {"error", "warning", "info", "debug"};
    if (name == NULL)
        return -1;
    for (int i = 0; i < 4; i++)
        if (strcmp(name, names[i]) == 0)
            return i;
    return -1;
}

static const char *level_name(vind_log_level_t level)
{
    switch (level) {
    case VIND_LOG_ERROR:
        return "error";
    case VIND_LOG_WARNING:
        return "warn ";
    case VIND_LOG_INFO:
        return "info ";
    case VIND_LOG_DEBUG:
        return "debug";
    }
    return "?    ";
}

/* Copies message into line, writing control bytes as \xNN; returns the new length. */
static size_t append_escaped(char *line, size_t used, size_t size, const char *message)
{
    for (const unsigned char *p = (const unsigned char *)message; *p && used + 5 < size; p++) {
        if (*p < 0x20 || *p == 0x7f)
            used += (size_t)snprintf(line + used, size - used, "\\x%02x", *p);
        else
            line[used++] = (char)*p;
    }
    line[used] = '\0';
    return used;
}

void vind_log_write(const vind_log_t *log, vind_log_level_t level, const char *fmt, ...)
{
    if (log == NULL || level > log->level)
        return;
    char message[LOG_LINE_BYTES];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);

    char line[LOG_LINE_BYTES + 64];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    size_t used = strftime(line, sizeof line, "%Y-%m-%dT%H:%M:%SZ ", &tm);
    used += (size_t)snprintf(line + used, sizeof line - used, "%s ", level_name(level));
    used = append_escaped(line, used, sizeof line - 1, message);
    line[used++] = '\n';
    /* One fwrite of the whole line under the stream's lock: no interleaving. */
    flockfile(log->stream);
    fwrite(line, 1, used, log->stream);
    fflush(log->stream);
    funlockfile(log->stream);
}
