/*
 * date_nl.c - finds a date in a Dutch or ISO text ("Geplaatst op 28 oktober
 * 2021", "28 okt. 2021", "2021-10-28T00:00:00+02:00", "28-10-2021") and
 * writes it as "YYYY-MM-DD".
 *
 * ISO timestamps keep the date as written: "2021-10-28T00:00:00+02:00" is
 * local midnight in Amsterdam, converting it to UTC would give 2021-10-27.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include <stdio.h>

#include <vind/extract.h>
#include "date.h"

static int is_leap_year(int year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

static int days_in_month(int year, int month)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return days[month - 1] + (month == 2 && is_leap_year(year));
}

/* "31 februari" is rejected: the day must exist in that month. */
static int date_is_valid(int year, int month, int day)
{
    if (year < 1000 || year > 9999 || month < 1 || month > 12 || day < 1)
        return 0;
    return day <= days_in_month(year, month);
}

/* The number of the two digits at p. */
static int two_digits(const char *p)
{
    return (p[0] - '0') * 10 + (p[1] - '0');
}

int vind_date_filter_valid(const char *text, size_t len, char *why, size_t why_size)
{
    char scratch[1];
    if (!why || why_size == 0)
        why = scratch, why_size = sizeof scratch;
    int shape = len == 4 || len == 7 || len == 10;
    for (size_t i = 0; shape && i < len; i++)
        shape = (i == 4 || i == 7) ? text[i] == '-' : isdigit((unsigned char)text[i]) != 0;
    int year = shape ? two_digits(text) * 100 + two_digits(text + 2) : 0;
    if (!shape || year < 1000) {
        snprintf(why, why_size, "is not a date (use YYYY, YYYY-MM or YYYY-MM-DD)");
        return 0;
    }
    int month = len >= 7 ? two_digits(text + 5) : 1;
    if (month < 1 || month > 12) {
        snprintf(why, why_size, "has no month %02d (months are 01 to 12)", month);
        return 0;
    }
    int day = len == 10 ? two_digits(text + 8) : 1;
    if (day < 1 || day > days_in_month(year, month)) {
        snprintf(why, why_size, "does not exist (month %02d of %d has %d days)", month, year,
                 days_in_month(year, month));
        return 0;
    }
    return 1;
}

static int write_date(int year, int month, int day, char out[11])
{
    if (!date_is_valid(year, month, day))
        return 0;
    const int digits[8] = {year / 1000, year / 100 % 10, year / 10 % 10, year % 10,
                           month / 10,  month % 10,      day / 10,       day % 10};
    static const int positions[8] = {0, 1, 2, 3, 5, 6, 8, 9};
    for (int i = 0; i < 8; i++)
        out[positions[i]] = (char)('0' + digits[i]);
    out[4] = out[7] = '-';
    out[10] = '\0';
    return 1;
}

/* Reads up to max_digits digits at *p; returns the count read (0 = none). */
static int read_number(const char **p, int max_digits, int *value)
{
    int digits = 0;
    int result = 0;
    while (digits < max_digits && isdigit((unsigned char)**p)) {
        result = result * 10 + (**p - '0');
        (*p)++;
        digits++;
    }
    if (digits > 0 && isdigit((unsigned char)**p))
        return 0; /* longer than allowed: "123456" is no day */
    *value = result;
    return digits;
}

/* Dutch month names and their abbreviations; "sept" and "mrt" as newspapers
 * write them, "maart" in full. */
static int month_from_word(const char *word, size_t len)
{
    static const struct {
        const char *name;
        int month;
    } months[] = {
        {"januari", 1}, {"jan", 1},       {"februari", 2},  {"feb", 2},  {"maart", 3},
        {"mrt", 3},     {"mar", 3},       {"april", 4},     {"apr", 4},  {"mei", 5},
        {"juni", 6},    {"jun", 6},       {"juli", 7},      {"jul", 7},  {"augustus", 8},
        {"aug", 8},     {"september", 9}, {"sept", 9},      {"sep", 9},  {"oktober", 10},
        {"okt", 10},    {"oct", 10},      {"november", 11}, {"nov", 11}, {"december", 12},
        {"dec", 12},
    };
    for (size_t i = 0; i < sizeof months / sizeof months[0]; i++)
        if (strlen(months[i].name) == len && strncasecmp(months[i].name, word, len) == 0)
            return months[i].month;
    return 0;
}

/* Skips spaces, including the NO-BREAK SPACE (C2 A0) of the seed pages
 * ("Geplaatst op\u00a028 oktober 2021"). */
static const char *skip_spaces(const char *p)
{
    for (;;) {
        if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
            p++;
        else if ((unsigned char)p[0] == 0xC2 && (unsigned char)p[1] == 0xA0)
            p += 2;
        else
            return p;
    }
}

/* ISO "2021-10-28" (optionally followed by a time), at p. */
static int parse_iso(const char *p, char out[11])
{
    int year, month, day;
    if (read_number(&p, 4, &year) != 4 || *p != '-')
        return 0;
    p++;
    if (read_number(&p, 2, &month) < 1 || *p != '-')
        return 0;
    p++;
    if (read_number(&p, 2, &day) < 1)
        return 0;
    return write_date(year, month, day, out);
}

/* Numeric "28-10-2021", "28/10/2021", "28.10.2021" at p. */
static int parse_numeric(const char *p, char out[11])
{
    int year, month, day;
    if (read_number(&p, 2, &day) < 1)
        return 0;
    char separator = *p;
    if (separator != '-' && separator != '/' && separator != '.')
        return 0;
    p++;
    if (read_number(&p, 2, &month) < 1 || *p != separator)
        return 0;
    p++;
    if (read_number(&p, 4, &year) != 4)
        return 0;
    return write_date(year, month, day, out);
}

/* "28 oktober 2021", "28 okt. 2021", "1 mrt 2020" at p. */
static int parse_dutch(const char *p, char out[11])
{
    int day, year;
    if (read_number(&p, 2, &day) < 1)
        return 0;
    const char *word = skip_spaces(p);
    if (word == p)
        return 0;
    p = word;
    while (isalpha((unsigned char)*p))
        p++;
    int month = month_from_word(word, (size_t)(p - word));
    if (month == 0)
        return 0;
    if (*p == '.')
        p++;
    const char *number = skip_spaces(p);
    if (number == p)
        return 0;
    p = number;
    if (read_number(&p, 4, &year) != 4)
        return 0;
    return write_date(year, month, day, out);
}

int vind_parse_date(const char *text, char out[11])
{
    if (text == NULL || out == NULL)
        return 0;
    /* The first position where a date starts wins; a number glued to a
     * preceding digit ("2021" inside "12021") is not a start. */
    for (const char *p = text; *p != '\0'; p++) {
        if (!isdigit((unsigned char)*p) || (p > text && isdigit((unsigned char)p[-1])))
            continue;
        if (parse_iso(p, out) || parse_numeric(p, out) || parse_dutch(p, out))
            return 1;
    }
    return 0;
}
