/*
 * test_date.c - vind_parse_date: Dutch month names and abbreviations, the
 * seeds' "Geplaatst op" with a NO-BREAK SPACE, ISO timestamps taken as
 * written, numeric dates, and dates that do not exist.
 */
#include <string.h>

#include <vind/extract.h>

#include "date.h"

#include "check.h"

static const char *parsed(const char *text)
{
    static char out[11];
    if (!vind_parse_date(text, out))
        return NULL;
    return out;
}

/* The date filters a user types (--from, --to, date:): a day that exists,
 * and why not in words. */
static void filter_refused(const char *date, const char *expected, const char *what)
{
    char why[96] = "";
    CHECK(!vind_date_filter_valid(date, strlen(date), why, sizeof why) && strstr(why, expected),
          what);
}

static void test_filter_dates(void)
{
    CHECK(vind_date_filter_valid("2021", 4, NULL, 0), "a year is a date filter");
    CHECK(vind_date_filter_valid("2021-02", 7, NULL, 0), "a month is a date filter");
    CHECK(vind_date_filter_valid("2020-02-29", 10, NULL, 0), "a leap day is a date filter");
    CHECK(vind_date_filter_valid("2000-02-29", 10, NULL, 0), "2000 was a leap year");
    filter_refused("2021-02-29", "does not exist (month 02 of 2021 has 28 days)",
                   "2021-02-29 does not exist");
    filter_refused("1900-02-29", "has 28 days", "1900 was no leap year");
    filter_refused("2021-04-31", "month 04 of 2021 has 30 days", "2021-04-31 does not exist");
    filter_refused("2021-13-01", "has no month 13", "2021-13-01: no month 13");
    filter_refused("2021-00", "has no month 00", "month 00");
    filter_refused("2021-01-00", "does not exist", "day 00");
    filter_refused("20x1", "is not a date (use YYYY, YYYY-MM or YYYY-MM-DD)", "not digits");
    filter_refused("2021-1-1", "is not a date", "one-digit month and day");
    filter_refused("0999", "is not a date", "a year before 1000");
}

int main(void)
{
    CHECK_STR(parsed("28 oktober 2021"), "2021-10-28", "full Dutch month name");
    CHECK_STR(parsed("Geplaatst op\xC2\xA0"
                     "28 oktober 2021"),
              "2021-10-28", "Geplaatst op with a NO-BREAK SPACE (seed 000)");
    CHECK_STR(parsed("Geplaatst op 5 dec. 2022"), "2022-12-05", "abbreviation with a dot");
    CHECK_STR(parsed("1 mrt 2020"), "2020-03-01", "mrt");
    CHECK_STR(parsed("3 sept. 2019"), "2019-09-03", "sept.");
    CHECK_STR(parsed("3 sep 2019"), "2019-09-03", "sep");
    CHECK_STR(parsed("12 Mei 2021"), "2021-05-12", "capitalised month");
    CHECK_STR(parsed("31 januari 2020"), "2020-01-31", "januari");
    CHECK_STR(parsed("2021-10-28T00:00:00+02:00"), "2021-10-28",
              "ISO with offset: the date as written, not UTC (would be the 27th)");
    CHECK_STR(parsed("2020-09-29T12:34:54Z"), "2020-09-29", "ISO with Z");
    CHECK_STR(parsed("2021-10-28"), "2021-10-28", "ISO date");
    CHECK_STR(parsed("28-10-2021"), "2021-10-28", "dd-mm-yyyy");
    CHECK_STR(parsed("28/10/2021"), "2021-10-28", "dd/mm/yyyy");
    CHECK_STR(parsed("vergadering van 3-11-2008 om 20.00"), "2008-11-03",
              "numeric date in a sentence");
    CHECK_STR(parsed("29 februari 2020"), "2020-02-29", "leap day in a leap year");
    CHECK(parsed("29 februari 2021") == NULL, "29 februari 2021 does not exist");
    CHECK(parsed("31 februari 2021") == NULL, "31 februari rejected");
    CHECK(parsed("31 april 2021") == NULL, "31 april rejected");
    CHECK(parsed("2021-13-01") == NULL, "month 13 rejected");
    CHECK(parsed("00-10-2021") == NULL, "day 0 rejected");
    CHECK(parsed("28 brumaire 2021") == NULL, "unknown month name");
    CHECK(parsed("") == NULL, "empty text");
    CHECK(parsed("Geplaatst op") == NULL, "no date after the phrase");
    CHECK(parsed("versie 2.4.1 van 123456") == NULL, "version numbers are no date");
    CHECK(vind_parse_date(NULL, NULL) == 0, "NULL input");
    CHECK_STR(parsed("Nr. 4, 28 oktober 2021 en 1 november 2021"), "2021-10-28", "first date wins");
    test_filter_dates();
    return check_done();
}
