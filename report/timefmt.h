/*
 * timefmt.h - capture times and durations as text, without the C library's
 * time zone machinery.
 *
 * Reports must be byte-for-byte reproducible, so nothing here reads TZ, the
 * locale or the wall clock: times are converted from nanoseconds since the
 * epoch with integer calendar arithmetic, which also keeps negative times and
 * years past 2038 right whatever the platform's time_t.
 */
#ifndef TCPAUTOPSY_REPORT_TIMEFMT_H
#define TCPAUTOPSY_REPORT_TIMEFMT_H

#include <stddef.h>
#include <stdint.h>

/* Enough for "-1677-09-21T00:12:43.145224Z" and any duration text. */
#define TIMEFMT_LEN 40

/* Writes "2026-11-21T10:04:40.123456Z" (UTC, floored to the microsecond) into
 * buf. Returns buf; an empty string if len is too small. */
char *timefmt_iso(int64_t ns, char *buf, size_t len);

/* Writes a duration for people: "850 us", "12 ms", "3.2 s", "1 min 4 s",
 * "2 h 3 min", "3 d 4 h". Each unit is truncated, never rounded up, so 59.97 s
 * reads "59.9 s" rather than a misleading "60.0 s". Returns buf. */
char *timefmt_duration(int64_t ns, char *buf, size_t len);

/* Floor division by a positive divisor: timefmt_floor_div(-1, 1000) is -1. */
int64_t timefmt_floor_div(int64_t a, int64_t b);

#endif
