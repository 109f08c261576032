/*
 * json_value.h - report/ internals: the JSON values every JSON part builds.
 *
 * Integers go out as raw text so a 64-bit counter is never rounded through a
 * double, times with microseconds like the terminal shows them, strings as
 * valid UTF-8 whatever the capture held. Every builder returns NULL on
 * allocation failure, and every json_add*() frees what it could not add, so
 * callers chain them with && and check once (json_done()).
 */
#ifndef TCPAUTOPSY_REPORT_JSON_VALUE_H
#define TCPAUTOPSY_REPORT_JSON_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "analyzer/tcp_state.h"
#include "dissect/segment.h"

#define JSON_NUM_MAX 48		/* "-9223372036854775808.000000" and more */
#define JSON_IP_MAX 64		/* ip_addr_format wants at least 46 */

/* A named count, for the maps whose keys are sorted. */
struct json_count {
	char name[64];
	uint64_t n;
};

/* A string item from at most max bytes of s, each invalid UTF-8 byte replaced
 * by U+FFFD. cJSON escapes quotes, backslashes and control characters. */
cJSON *json_string(const char *s, size_t max);
/* Integers are raw text so that a 64-bit counter is never rounded through a
 * double nor printed with an exponent. */
cJSON *json_u64(uint64_t v);
cJSON *json_i64(int64_t v);
/* v / 10^decimals with exactly that many decimals: 3200000, 6 -> 3.200000. */
cJSON *json_fixed(int64_t v, unsigned decimals);
cJSON *json_time(int64_t ns);
/* Seconds between two times, floored to the microsecond like the times shown. */
cJSON *json_duration(int64_t first_ns, int64_t last_ns);
/* Returns o when it was built whole; otherwise frees what there is. */
cJSON *json_done(cJSON *o, bool ok);
/* Adds item under key; frees it when it cannot be added. NULL (a failed
 * allocation) fails too, so callers chain additions with &&. */
bool json_add(cJSON *obj, const char *key, cJSON *item);
bool json_push(cJSON *arr, cJSON *item);
bool json_add_u64(cJSON *obj, const char *key, uint64_t v);
/* The value, or null when it means "not known". */
bool json_add_u64_or_null(cJSON *obj, const char *key, bool known, uint64_t v);
bool json_add_bool(cJSON *obj, const char *key, bool v);
bool json_add_str(cJSON *obj, const char *key, const char *s, size_t max);
bool json_add_time(cJSON *obj, const char *key, int64_t ns);
bool json_add_state(cJSON *obj, const char *key, enum tcp_state s);
/* {"client": a, "server": b} */
bool json_add_pair(cJSON *obj, const char *key, uint64_t client, uint64_t server);
/* {"ip": "192.0.2.1", "port": 80}; the port null when 0 means "whole host". */
cJSON *json_address(const struct ip_addr *a, uint16_t port, bool zero_is_null);
/* {name: n} for the non-zero counts, keys sorted. Sorts counts in place. */
cJSON *json_counts(struct json_count *counts, size_t n);

#endif
