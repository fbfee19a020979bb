/*
 * log.h - a small levelled logger for vind's programs (vind-index,
 * vind-searchd). The library itself never logs: it reports through
 * vind_status_t and *errmsg, and a program decides what to print.
 *
 * One call writes one whole line ("2026-11-28T02:10:00Z info  GET /zoeken
 * 200 3.1ms hits=12"), so lines from worker threads never interleave. The
 * VIND_LOG macro checks the level before any argument is formatted (as
 * Redis's serverLog does), so a debug line costs nothing when it is off.
 */
#ifndef VIND_LOG_H
#define VIND_LOG_H

#include <stdio.h>
#include <vind/common.h>

VIND_BEGIN_DECLS

typedef enum {
    VIND_LOG_ERROR = 0,
    VIND_LOG_WARNING = 1,
    VIND_LOG_INFO = 2,
    VIND_LOG_DEBUG = 3,
} vind_log_level_t;

/*
 * A logger: where lines go and the most verbose level written. A plain
 * struct the program owns (no global state); set it up with vind_log_init
 * before threads start and only read it afterwards.
 */
typedef struct {
    FILE *stream;
    vind_log_level_t level;
} vind_log_t;

/* Sets log to write lines of level and below to stream (stderr when NULL). */
VIND_API void vind_log_init(vind_log_t *log, FILE *stream, vind_log_level_t level);

/*
 * The level named "error", "warning", "info" or "debug"; -1 for any other
 * name (or NULL).
 */
VIND_API int vind_log_level_from_name(const char *name);

/*
 * Writes one line: UTC time, level, then the formatted message. Control
 * characters in the message (a newline in a hostile URL) are written as
 * \xNN so that one event is always one line.
 * Thread: safe; a line is written with one locked write.
 */
VIND_API void vind_log_write(const vind_log_t *log, vind_log_level_t level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Logs only when level is enabled; the arguments are not evaluated otherwise. */
#define VIND_LOG(log, lvl, ...)                                                                    \
    do {                                                                                           \
        if ((log) != NULL && (lvl) <= (log)->level)                                                \
            vind_log_write((log), (lvl), __VA_ARGS__);                                             \
    } while (0)

VIND_END_DECLS

#endif
