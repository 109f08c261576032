/*
 * timefmt.c - ISO 8601 UTC times and human durations by integer arithmetic.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>

#include "report/timefmt.h"

#define NS_PER_US INT64_C(1000)
#define NS_PER_MS INT64_C(1000000)
#define NS_PER_S INT64_C(1000000000)
#define US_PER_S INT64_C(1000000)
#define S_PER_DAY INT64_C(86400)

int64_t timefmt_floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;

	/* C truncates toward zero; a time before the epoch must round down so
	 * that -1 ns is 23:59:59.999999 of the day before, not 00:00:00. */
	if (a % b != 0 && (a < 0) != (b < 0))
		q--;
	return q;
}

struct timefmt_civil {
	int64_t year;
	unsigned month;	/* 1..12 */
	unsigned day;	/* 1..31 */
};

/*
 * Days since 1970-01-01 -> proleptic Gregorian date. The calendar repeats
 * every 400 years (146097 days), so the day is first placed in its 400-year
 * era, counted from a March 1st so that the leap day falls at the end of each
 * year; then the year of the era and the day of that year follow from the
 * 365/4/100/400 rules, and the month from the 153-day five-month pattern
 * (31+30+31+30+31) that March..July and August..December share.
 */
static struct timefmt_civil timefmt_civil_from_days(int64_t days)
{
	struct timefmt_civil c;
	int64_t z = days + 719468;	/* days from 0000-03-01 to 1970-01-01 */
	int64_t era = timefmt_floor_div(z, 146097);
	int64_t doe = z - era * 146097;			/* [0, 146096] */
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);	/* [0, 365] */
	int64_t mp = (5 * doy + 2) / 153;			/* 0 = March */

	c.day = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
	c.month = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
	c.year = yoe + era * 400 + (c.month <= 2);
	return c;
}

char *timefmt_iso(int64_t ns, char *buf, size_t len)
{
	int64_t us = timefmt_floor_div(ns, NS_PER_US);
	int64_t secs = timefmt_floor_div(us, US_PER_S);
	int64_t frac = us - secs * US_PER_S;
	int64_t days = timefmt_floor_div(secs, S_PER_DAY);
	int64_t sod = secs - days * S_PER_DAY;
	struct timefmt_civil c = timefmt_civil_from_days(days);
	int n;

	n = snprintf(buf, len, "%04" PRId64 "-%02u-%02uT%02u:%02u:%02u.%06" PRId64 "Z",
		     c.year, c.month, c.day, (unsigned)(sod / 3600),
		     (unsigned)(sod / 60 % 60), (unsigned)(sod % 60), frac);
	if (len > 0 && (n < 0 || (size_t)n >= len))
		buf[0] = '\0';
	return buf;
}

/* The two largest units that matter, each truncated. */
static int timefmt_duration_abs(uint64_t ns, char *buf, size_t len)
{
	uint64_t s = ns / NS_PER_S;

	if (ns < (uint64_t)NS_PER_MS)
		return snprintf(buf, len, "%" PRIu64 " us", ns / NS_PER_US);
	if (ns < (uint64_t)NS_PER_S)
		return snprintf(buf, len, "%" PRIu64 " ms", ns / NS_PER_MS);
	if (s < 60)
		return snprintf(buf, len, "%" PRIu64 ".%" PRIu64 " s", s,
				ns % NS_PER_S / (NS_PER_S / 10));
	if (s < 3600)
		return snprintf(buf, len, "%" PRIu64 " min %" PRIu64 " s", s / 60, s % 60);
	if (s < (uint64_t)S_PER_DAY)
		return snprintf(buf, len, "%" PRIu64 " h %" PRIu64 " min", s / 3600,
				s / 60 % 60);
	return snprintf(buf, len, "%" PRIu64 " d %" PRIu64 " h", s / S_PER_DAY,
			s / 3600 % 24);
}

char *timefmt_duration(int64_t ns, char *buf, size_t len)
{
	/* Negated through unsigned so that INT64_MIN does not overflow. */
	uint64_t mag = ns < 0 ? 0 - (uint64_t)ns : (uint64_t)ns;
	size_t off = 0;
	int n;

	if (len == 0)
		return buf;
	if (ns < 0 && len > 1) {
		buf[0] = '-';
		off = 1;
	}
	n = timefmt_duration_abs(mag, buf + off, len - off);
	if (n < 0 || (size_t)n >= len - off)
		buf[0] = '\0';
	return buf;
}
