/*
 * date.h - (private) the one check of a date a user gives as a filter
 * ("YYYY", "YYYY-MM" or "YYYY-MM-DD": --from, --to, from=, to=, date:),
 * shared by the query parser and the search request so that both refuse
 * 2021-02-29 with the same words. Lives in lib/date_nl.c beside the
 * calendar of vind_parse_date.
 */
#ifndef VIND_LIB_DATE_H
#define VIND_LIB_DATE_H

#include <stddef.h>

/*
 * Whether text[0..len) is a date filter of a day that exists (2020-02-29 is,
 * 2021-02-29 and 2021-04-31 are not; years 1000 to 9999). When it is not,
 * and why is not NULL, writes why (at most why_size bytes, for "the date X
 * <why>"): "is not a date (use YYYY, YYYY-MM or YYYY-MM-DD)", "has no month
 * 13 (months are 01 to 12)" or "does not exist (month 02 of 2021 has 28
 * days)".
 */
int vind_date_filter_valid(const char *text, size_t len, char *why, size_t why_size);

#endif
