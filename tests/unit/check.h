/*
 * check.h - tiny TAP assertions for vind's C unit tests.
 *
 * Each test program prints "ok N - what" or "not ok N - what" per assertion
 * and returns check_done(), non-zero when anything failed. tests/run.sh
 * counts the lines.
 */
#ifndef VIND_TESTS_CHECK_H
#define VIND_TESTS_CHECK_H

#include <stdio.h>
#include <string.h>

static int check_count_;
static int check_failed_;

static inline int check_report_(int passed, const char *file, int line, const char *what)
{
    check_count_++;
    if (!passed)
        check_failed_++;
    printf("%sok %d - %s\n", passed ? "" : "not ", check_count_, what);
    if (!passed)
        printf("#   failed at %s:%d\n", file, line);
    fflush(stdout);
    return passed;
}

/* CHECK(condition, "what it shows") */
#define CHECK(cond, what) check_report_((cond) ? 1 : 0, __FILE__, __LINE__, (what))

/* CHECK_STR(actual, expected, "what"): NULL-safe string equality, prints both on failure. */
#define CHECK_STR(actual, expected, what)                                                          \
    do {                                                                                           \
        const char *a_ = (actual), *e_ = (expected);                                               \
        int same_ = (a_ == NULL && e_ == NULL) || (a_ && e_ && strcmp(a_, e_) == 0);               \
        if (!check_report_(same_, __FILE__, __LINE__, (what)))                                     \
            printf("#   got      \"%s\"\n#   expected \"%s\"\n", a_ ? a_ : "(null)",             \
                   e_ ? e_ : "(null)");                                                            \
    } while (0)

/* CHECK_INT(actual, expected, "what") */
#define CHECK_INT(actual, expected, what)                                                          \
    do {                                                                                           \
        long long a_ = (long long)(actual), e_ = (long long)(expected);                            \
        if (!check_report_(a_ == e_, __FILE__, __LINE__, (what)))                                  \
            printf("#   got %lld, expected %lld\n", a_, e_);                                       \
    } while (0)

/* SKIP("why"): a test that cannot run here, counted as skipped. */
#define SKIP(why) (check_count_++, printf("ok %d # SKIP %s\n", check_count_, (why)))

static inline int check_done(void)
{
    printf("1..%d\n", check_count_);
    return check_failed_ ? 1 : 0;
}

#endif
