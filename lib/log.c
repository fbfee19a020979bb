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

/* "2026-12-06T21:24:51Z " (TIME_BYTES) into line. Formatted once a second
 * per thread and copied otherwise: vind-searchd writes an access line per
 * request, and gmtime_r takes glibc's time zone lock (one lock for all the
 * workers) and with strftime cost ~1,700 instructions a line. */
#define TIME_BYTES 21
static size_t put_time(char *line)
{
    static _Thread_local time_t formatted_second = (time_t)-1;
    static _Thread_local char formatted[TIME_BYTES + 1];
    time_t now = time(NULL);
    if (now != formatted_second) {
        struct tm tm;
        gmtime_r(&now, &tm);
        if (strftime(formatted, sizeof formatted, "%Y-%m-%dT%H:%M:%SZ ", &tm) != TIME_BYTES)
            memcpy(formatted, "0000-00-00T00:00:00Z ", TIME_BYTES); /* a year past 9999 */
        formatted_second = now;
    }
    memcpy(line, formatted, TIME_BYTES);
    return TIME_BYTES;
}

/* Copies message into line, writing control bytes as \xNN (both bytes of a
 * C1 control, U+0080-009F: U+009B is a terminal's CSI); returns the new length. */
static size_t append_escaped(char *line, size_t used, size_t size, const char *message)
{
    for (const unsigned char *p = (const unsigned char *)message; *p && used + 9 < size; p++) {
        if (*p < 0x20 || *p == 0x7f)
            used += (size_t)snprintf(line + used, size - used, "\\x%02x", *p);
        else if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)
            used += (size_t)snprintf(line + used, size - used, "\\xc2\\x%02x", *++p);
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
    size_t used = put_time(line);
    memcpy(line + used, level_name(level), 5);
    line[used + 5] = ' ';
    used += 6;
    used = append_escaped(line, used, sizeof line - 1, message);
    line[used++] = '\n';
    /* One fwrite of the whole line under the stream's lock: no interleaving. */
    flockfile(log->stream);
    fwrite(line, 1, used, log->stream);
    fflush(log->stream);
    funlockfile(log->stream);
}
