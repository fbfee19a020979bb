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

#include <vind/extract.h>

static int is_leap_year(int year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

/* "31 februari" is rejected: the day must exist in that month. */
static int date_is_valid(int year, int month, int day)
{
    static const int days_in_month[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (year < 1000 || year > 9999 || month < 1 || month > 12 || day < 1)
        return 0;
    int last = days_in_month[month - 1] + (month == 2 && is_leap_year(year));
    return day <= last;
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
