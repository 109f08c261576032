/*
 * json_value.c - the JSON values of the report (see json_value.h).
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dissect/dissect.h"
#include "report/json_value.h"
#include "report/timefmt.h"
#include "report/utf8.h"
#include "report/writer.h"

/* A string item from at most max bytes of s, each invalid UTF-8 byte replaced
 * by U+FFFD. cJSON escapes quotes, backslashes and control characters. */
cJSON *json_string(const char *s, size_t max)
{
	const char *p = s ? s : "unknown";
	size_t len = strnlen(p, max);
	char *buf;
	cJSON *item;

	if (len < max && utf8_clean_already(p, len, 0))
		return cJSON_CreateString(p);
	buf = utf8_clean(p, len, 0);
	if (!buf)
		return NULL;
	item = cJSON_CreateString(buf);
	free(buf);
	return item;
}

/* Integers are raw text so that a 64-bit counter is never rounded through a
 * double nor printed with an exponent. */
cJSON *json_u64(uint64_t v)
{
	char num[JSON_NUM_MAX];

	snprintf(num, sizeof(num), "%" PRIu64, v);
	return cJSON_CreateRaw(num);
}

cJSON *json_i64(int64_t v)
{
	char num[JSON_NUM_MAX];

	snprintf(num, sizeof(num), "%" PRId64, v);
	return cJSON_CreateRaw(num);
}

/* v / 10^decimals with exactly that many decimals: 3200000, 6 -> 3.200000. */
cJSON *json_fixed(int64_t v, unsigned decimals)
{
	char num[JSON_NUM_MAX];
	uint64_t mag = v < 0 ? 0 - (uint64_t)v : (uint64_t)v, scale = 1;

	for (unsigned i = 0; i < decimals; i++)
		scale *= 10;
	snprintf(num, sizeof(num), "%s%" PRIu64 ".%0*" PRIu64, v < 0 ? "-" : "",
		 mag / scale, (int)decimals, mag % scale);
	return cJSON_CreateRaw(num);
}

cJSON *json_time(int64_t ns)
{
	char buf[TIMEFMT_LEN];

	return cJSON_CreateString(timefmt_iso(ns, buf, sizeof(buf)));
}

/* Seconds between two times, floored to the microsecond like the times shown. */
cJSON *json_duration(int64_t first_ns, int64_t last_ns)
{
	return json_fixed(timefmt_floor_div(last_ns, 1000) - timefmt_floor_div(first_ns, 1000),
			  6);
}

/* Returns o when it was built whole; otherwise frees what there is. */
cJSON *json_done(cJSON *o, bool ok)
{
	if (ok)
		return o;
	cJSON_Delete(o);
	return NULL;
}

/* Adds item under key; frees it when it cannot be added. NULL (a failed
 * allocation) fails too, so callers chain additions with &&. */
bool json_add(cJSON *obj, const char *key, cJSON *item)
{
	if (!item)
		return false;
	if (!cJSON_AddItemToObject(obj, key, item)) {
		cJSON_Delete(item);
		return false;
	}
	return true;
}

bool json_push(cJSON *arr, cJSON *item)
{
	if (!item)
		return false;
	if (!cJSON_AddItemToArray(arr, item)) {
		cJSON_Delete(item);
		return false;
	}
	return true;
}

bool json_add_u64(cJSON *obj, const char *key, uint64_t v)
{
	return json_add(obj, key, json_u64(v));
}

/* The value, or null when it means "not known". */
bool json_add_u64_or_null(cJSON *obj, const char *key, bool known, uint64_t v)
{
	return json_add(obj, key, known ? json_u64(v) : cJSON_CreateNull());
}

bool json_add_bool(cJSON *obj, const char *key, bool v)
{
	return json_add(obj, key, cJSON_CreateBool(v));
}

bool json_add_str(cJSON *obj, const char *key, const char *s, size_t max)
{
	return json_add(obj, key, json_string(s, max));
}

bool json_add_time(cJSON *obj, const char *key, int64_t ns)
{
	return json_add(obj, key, json_time(ns));
}

bool json_add_state(cJSON *obj, const char *key, enum tcp_state s)
{
	return json_add_str(obj, key, report_state_slot_name(report_state_slot(s)), 64);
}

/* {"client": a, "server": b} */
bool json_add_pair(cJSON *obj, const char *key, uint64_t client, uint64_t server)
{
	cJSON *pair = cJSON_CreateObject();

	return json_add(obj, key, pair) && json_add_u64(pair, "client", client) &&
	       json_add_u64(pair, "server", server);
}

/* {"ip": "192.0.2.1", "port": 80}; the port null when 0 means "whole host". */
cJSON *json_address(const struct ip_addr *a, uint16_t port, bool zero_is_null)
{
	char ip[JSON_IP_MAX];
	cJSON *o = cJSON_CreateObject();

	ip_addr_format(a, ip, sizeof(ip));
	return json_done(o, o && json_add_str(o, "ip", ip, sizeof(ip)) &&
			 json_add_u64_or_null(o, "port", port || !zero_is_null, port));
}

static int json_cmp_count(const void *a, const void *b)
{
	return strcmp(((const struct json_count *)a)->name, ((const struct json_count *)b)->name);
}

/* {name: n} for the non-zero counts, keys sorted. Sorts counts in place. */
cJSON *json_counts(struct json_count *counts, size_t n)
{
	cJSON *o = cJSON_CreateObject();

	qsort(counts, n, sizeof(*counts), json_cmp_count);
	for (size_t i = 0; o && i < n; i++) {
		if (counts[i].n && !json_add_u64(o, counts[i].name, counts[i].n)) {
			cJSON_Delete(o);
			return NULL;
		}
	}
	return o;
}
