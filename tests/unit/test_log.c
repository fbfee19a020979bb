/*
 * test_log.c - the programs' levelled logger (lib/log.c): levels, one line
 * per event, control characters escaped, long messages cut.
 */
#include <stdlib.h>
#include <string.h>

#include <vind/log.h>
#include "check.h"

/* Captures what one logger call writes. */
static char *capture(vind_log_level_t logger_level, vind_log_level_t level, const char *message)
{
    char *buffer = NULL;
    size_t size = 0;
    FILE *stream = open_memstream(&buffer, &size);
    vind_log_t log;
    vind_log_init(&log, stream, logger_level);
    VIND_LOG(&log, level, "%s", message);
    fclose(stream);
    return buffer;
}

static int evaluated;
static const char *count_evaluation(void)
{
    evaluated++;
    return "x";
}

int main(void)
{
    char *line = capture(VIND_LOG_INFO, VIND_LOG_INFO, "GET /zoeken 200 3.1ms hits=12");
    CHECK(strstr(line, " info  GET /zoeken 200 3.1ms hits=12\n") != NULL, "info line written");
    CHECK(line[4] == '-' && line[10] == 'T' && strchr(line, 'Z') != NULL, "starts with a UTC time");
    CHECK_INT(strchr(line, '\n') - line + 1, strlen(line), "exactly one line");
    free(line);

    line = capture(VIND_LOG_WARNING, VIND_LOG_INFO, "verborgen");
    CHECK_STR(line, "", "a level above the logger's writes nothing");
    free(line);

    line = capture(VIND_LOG_DEBUG, VIND_LOG_ERROR, "kan index niet openen");
    CHECK(strstr(line, " error kan index niet openen\n") != NULL, "error written at debug level");
    free(line);

    /* A hostile path with a newline must not forge a second log line. */
    line = capture(VIND_LOG_INFO, VIND_LOG_INFO, "GET /zoeken\n2026-01-01T00:00:00Z info  forged");
    CHECK(strstr(line, "\\x0a2026") != NULL, "a newline in the message is written as \\x0a");
    CHECK_INT(strchr(line, '\n') - line + 1, strlen(line), "still one line");
    free(line);

    line = capture(VIND_LOG_INFO, VIND_LOG_INFO, "cli\xc3\xabnten \x1b[31mrood");
    CHECK(strstr(line, "cli\xc3\xabnten \\x1b[31mrood") != NULL, "UTF-8 kept, ESC escaped");
    free(line);

    /* U+009B (C2 9B) is a CSI of its own to a terminal that reads C1 controls. */
    line = capture(VIND_LOG_INFO, VIND_LOG_INFO, "q=\xc2\x9b" "2J\xc2\xa0x");
    CHECK(strstr(line, "q=\\xc2\\x9b2J\xc2\xa0x") != NULL,
          "a C1 control (U+009B) escaped as \\xc2\\x9b, U+00A0 kept");
    free(line);

    char *huge = malloc(100001);
    memset(huge, 'z', 100000);
    huge[100000] = '\0';
    line = capture(VIND_LOG_INFO, VIND_LOG_INFO, huge);
    CHECK(strlen(line) < 4096 && line[strlen(line) - 1] == '\n',
          "a 100 kB message is cut, line ended");
    free(line);
    free(huge);

    line = capture(VIND_LOG_INFO, VIND_LOG_INFO, "");
    CHECK(strstr(line, " info  \n") != NULL, "an empty message is one line");
    free(line);

    vind_log_t quiet;
    vind_log_init(&quiet, stderr, VIND_LOG_ERROR);
    VIND_LOG(&quiet, VIND_LOG_DEBUG, "%s", count_evaluation());
    CHECK_INT(evaluated, 0, "arguments are not evaluated when the level is off");

    CHECK_INT(vind_log_level_from_name("debug"), VIND_LOG_DEBUG, "level name debug");
    CHECK_INT(vind_log_level_from_name("warning"), VIND_LOG_WARNING, "level name warning");
    CHECK_INT(vind_log_level_from_name("luid"), -1, "unknown level name");
    CHECK_INT(vind_log_level_from_name(NULL), -1, "NULL level name");
    return check_done();
}
