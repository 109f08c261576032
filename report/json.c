/*
 * json.c - the JSON document: the contract dashboards and golden tests read.
 *
 * Connections stream: each one is built as a cJSON object when it is
 * finalised (json_conn.c), printed at once to the connection spool (spool.h)
 * and freed, so memory does not grow with the capture. At the end the document
 * is written key by key by hand, with the spool spliced in as the
 * "connections" array.
 *
 * Deterministic by construction: no wall clock, keys in a fixed order, maps
 * sorted by key, every integer printed exactly from its 64-bit value and every
 * fixed-precision figure printed from a scaled integer (no floating point that
 * could differ between platforms). Every string is made valid UTF-8 first:
 * file names and error texts come from outside and JSON must be UTF-8.
 */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "report/json_conn.h"
#include "report/json_finding.h"
#include "report/json_value.h"
#include "report/spool.h"
#include "report/writer.h"

#define JSON_SCHEMA_VERSION 1

/* --- captures ------------------------------------------------------------ */

static bool json_capture_identity(cJSON *o, const struct capture_info *ci)
{
	bool ok = json_add_u64(o, "index", ci->index) &&
		  json_add_str(o, "file", ci->file, sizeof(ci->file)) &&
		  json_add_str(o, "format", ci->format, sizeof(ci->format)) &&
		  json_add_str(o, "timestamp_resolution", ci->nanosecond ? "ns" : "us", 3) &&
		  json_add_u64(o, "snaplen", ci->snaplen);
	cJSON *links = ok ? cJSON_AddArrayToObject(o, "link_types") : NULL;

	ok = links != NULL;

	for (uint32_t i = 0; ok && i < ci->nlinktypes && i < CAPTURE_MAX_LINKTYPES; i++) {
		cJSON *l = cJSON_CreateObject();

		ok = json_push(links, l) &&
		     json_add(l, "linktype", json_i64(ci->linktypes[i])) &&
		     json_add_str(l, "name", dissect_linktype_description(ci->linktypes[i]),
				  256);
	}
	return ok;
}

static bool json_capture_counts(cJSON *o, const struct capture_info *ci)
{
	const struct dissect_stats *st = &ci->stats;
	struct json_count mal[MAL_COUNT];

	for (int i = 0; i < MAL_COUNT; i++) {
		snprintf(mal[i].name, sizeof(mal[i].name), "%s",
			 dissect_malformed_name((enum dissect_malformed)i));
		mal[i].n = st->malformed[i];
	}
	return json_add_u64(o, "packets", st->frames) &&
	       json_add_u64(o, "filtered_packets", ci->filtered) &&
	       json_add_u64(o, "tcp_packets", st->tcp) &&
	       json_add_u64(o, "non_tcp_packets", st->not_tcp) &&
	       json_add_u64(o, "ip_fragments", st->fragments) &&
	       json_add_u64(o, "unsupported_frames", st->unsupported) &&
	       json_add_u64(o, "truncated_tcp_segments", st->truncated_tcp) &&
	       json_add(o, "malformed", json_counts(mal, MAL_COUNT));
}

static bool json_capture_times(cJSON *o, const struct capture_info *ci)
{
	bool frames = ci->stats.frames > 0;

	return json_add(o, "first_ts", frames ? json_time(ci->first_ts_ns) : cJSON_CreateNull()) &&
	       json_add(o, "last_ts", frames ? json_time(ci->last_ts_ns) : cJSON_CreateNull()) &&
	       json_add(o, "duration_s", frames ? json_duration(ci->first_ts_ns, ci->last_ts_ns)
						: json_fixed(0, 6)) &&
	       json_add_bool(o, "continued", ci->continued);
}

static bool json_capture_vantage(cJSON *o, const struct capture_info *ci)
{
	struct json_count votes[VANTAGE_COUNT];

	for (int i = 0; i < VANTAGE_COUNT; i++) {
		snprintf(votes[i].name, sizeof(votes[i].name), "%s",
			 vantage_name((enum vantage)i));
		votes[i].n = ci->vantage_votes[i];
	}
	return json_add_str(o, "vantage", vantage_name(capture_vantage(ci)), 64) &&
	       json_add(o, "vantage_votes", json_counts(votes, VANTAGE_COUNT));
}

static bool json_capture_damage(cJSON *o, const struct capture_info *ci)
{
	cJSON *d;

	if (!ci->damaged)
		return json_add(o, "damaged", cJSON_CreateNull());
	d = cJSON_CreateObject();
	return json_add(o, "damaged", d) &&
	       json_add_u64(d, "after_frame", ci->damaged_after_frame) &&
	       json_add_str(d, "error", ci->error, sizeof(ci->error));
}

static cJSON *json_capture(const struct capture_info *ci)
{
	cJSON *o = cJSON_CreateObject();

	return json_done(o, o && json_capture_identity(o, ci) && json_capture_counts(o, ci) &&
			 json_capture_times(o, ci) && json_capture_vantage(o, ci) &&
			 json_capture_damage(o, ci));
}

/* --- summary and tool ---------------------------------------------------- */

static cJSON *json_final_states(const struct report_model *m)
{
	struct json_count pairs[REPORT_STATE_SLOTS * REPORT_STATE_SLOTS];
	size_t n = 0;

	for (unsigned c = 0; c < REPORT_STATE_SLOTS; c++) {
		for (unsigned s = 0; s < REPORT_STATE_SLOTS; s++) {
			if (!m->final_states[c][s])
				continue;
			snprintf(pairs[n].name, sizeof(pairs[n].name), "%s/%s",
				 report_state_slot_name(c), report_state_slot_name(s));
			pairs[n++].n = m->final_states[c][s];
		}
	}
	return json_counts(pairs, n);
}

static cJSON *json_by_severity(const struct report_model *m)
{
	cJSON *o = cJSON_CreateObject();

	return json_done(o, o && json_add_u64(o, "critical", m->severities[SEV_CRITICAL]) &&
			 json_add_u64(o, "warning", m->severities[SEV_WARNING]) &&
			 json_add_u64(o, "info", m->severities[SEV_INFO]));
}

static cJSON *json_summary(const struct report_model *m)
{
	cJSON *o = cJSON_CreateObject();

	return json_done(o, o && json_add_u64(o, "connections", m->connections) &&
			 json_add_u64(o, "findings", m->nfindings) &&
			 json_add(o, "by_severity", json_by_severity(m)) &&
			 json_add(o, "final_states", json_final_states(m)) &&
			 json_add_u64(o, "evicted", m->stats->evicted) &&
			 json_add_u64(o, "peak_open_connections", m->stats->peak_open));
}

static cJSON *json_tool(const struct report_model *m)
{
	cJSON *o = cJSON_CreateObject();

	return json_done(o, o && json_add_str(o, "name", "tcpautopsy", 16) &&
			 json_add_str(o, "version", m->opts->tool_version, 256));
}

/* --- printing ------------------------------------------------------------ */

/* Writes text, starting each line after the first with depth tabs: cJSON
 * escapes newlines inside strings, so every newline it prints is layout. */
static int json_put_indented(FILE *out, const char *text, unsigned depth)
{
	static const char tabs[] = "\t\t\t\t";
	const char *nl;

	if (depth > sizeof(tabs) - 1)
		depth = sizeof(tabs) - 1;

	while ((nl = strchr(text, '\n')) != NULL) {
		size_t n = (size_t)(nl - text) + 1;

		if (fwrite(text, 1, n, out) != n || fwrite(tabs, 1, depth, out) != depth)
			return -1;
		text = nl + 1;
	}
	return fputs(text, out) < 0 ? -1 : 0;
}

/* Prints item (and frees it) at depth; NULL is an allocation that failed. */
static int json_emit(FILE *out, cJSON *item, unsigned depth, char *err, size_t errlen)
{
	char *text = item ? cJSON_Print(item) : NULL;
	int rc;

	cJSON_Delete(item);
	if (!text) {
		snprintf(err, errlen, "formatting JSON: %s", strerror(ENOMEM));
		return -1;
	}
	rc = json_put_indented(out, text, depth);
	cJSON_free(text);
	if (rc < 0)
		snprintf(err, errlen, "writing: %s", strerror(errno ? errno : EIO));
	return rc;
}

/* Writes s; with s NULL, reports the write error that just happened. */
static int json_put(FILE *out, const char *s, char *err, size_t errlen)
{
	if (!s || fputs(s, out) < 0) {
		snprintf(err, errlen, "writing: %s", strerror(errno ? errno : EIO));
		return -1;
	}
	return 0;
}

/* "\t"KEY":\tVALUE,\n" with the value at depth 1 (never the last member). */
static int json_emit_member(FILE *out, const char *key, cJSON *item, char *err, size_t errlen)
{
	if (fprintf(out, "\t\"%s\":\t", key) < 0) {
		cJSON_Delete(item);
		return json_put(out, NULL, err, errlen);
	}
	if (json_emit(out, item, 1, err, errlen) < 0)
		return -1;
	return json_put(out, ",\n", err, errlen);
}

static cJSON *json_build_capture(const struct report_model *m, size_t i)
{
	return json_capture(m->captures[i]);
}

static cJSON *json_build_finding(const struct report_model *m, size_t i)
{
	return json_finding(&m->findings[i]);
}

static cJSON *json_build_aggregate(const struct report_model *m, size_t i)
{
	return json_aggregate(&m->aggregates[i]);
}

/* "\tKEY:\t[ item, ... ],\n" with one item per block at depth 2; no comma
 * after the document's last member. */
static int json_emit_array(FILE *out, const char *key, const struct report_model *m, size_t n,
			   cJSON *(*build)(const struct report_model *, size_t), bool last,
			   char *err, size_t errlen)
{
	if (fprintf(out, "\t\"%s\":\t[%s", key, n ? "\n" : "") < 0)
		return json_put(out, NULL, err, errlen);
	for (size_t i = 0; i < n; i++) {
		if (json_put(out, i ? ",\n\t\t" : "\t\t", err, errlen) < 0 ||
		    json_emit(out, build(m, i), 2, err, errlen) < 0)
			return -1;
	}
	if (n && json_put(out, "\n\t", err, errlen) < 0)
		return -1;
	return json_put(out, last ? "]\n" : "],\n", err, errlen);
}

/* Copies the spooled connections, already indented and separated. */
static int json_emit_connections(FILE *out, struct spool *spool, char *err, size_t errlen)
{
	if (!spool->items)
		return json_put(out, "\t\"connections\":\t[],\n", err, errlen);
	if (json_put(out, "\t\"connections\":\t[\n", err, errlen) < 0 ||
	    spool_copy(spool, out, err, errlen) < 0)
		return -1;
	return json_put(out, "\n\t],\n", err, errlen);
}

/* --- the writer ---------------------------------------------------------- */

/* The writer's state is the connection spool: the connections, indented and
 * separated. */
static void *json_open(char *err, size_t errlen)
{
	return spool_new(err, errlen);
}

static int json_on_connection(void *w, const struct report_model *m, const struct tcp_conn *c,
			      char *err, size_t errlen)
{
	struct spool *spool = w;
	FILE *f = spool->f;

	(void)m;
	errno = 0;
	if ((spool->items && fputs(",\n", f) < 0) || fputs("\t\t", f) < 0 ||
	    json_emit(f, json_connection(c), 2, err, errlen) < 0 || ferror(f)) {
		spool_write_error(spool, c->id, err, errlen);
		return -1;
	}
	spool->items++;
	return 0;
}

static int json_finish(void *w, const struct report_model *m, FILE *out, char *err,
		       size_t errlen)
{
	errno = 0;
	if (json_put(out, "{\n", err, errlen) < 0 ||
	    json_emit_member(out, "schema_version", json_u64(JSON_SCHEMA_VERSION), err,
			     errlen) < 0 ||
	    json_emit_member(out, "tool", json_tool(m), err, errlen) < 0 ||
	    json_emit_array(out, "captures", m, m->ncaptures, json_build_capture, false, err,
			    errlen) < 0 ||
	    json_emit_member(out, "summary", json_summary(m), err, errlen) < 0 ||
	    json_emit_connections(out, w, err, errlen) < 0 ||
	    json_emit_array(out, "findings", m, m->nfindings, json_build_finding, false, err,
			    errlen) < 0 ||
	    json_emit_array(out, "aggregates", m, m->naggregates, json_build_aggregate, true, err,
			    errlen) < 0)
		return -1;
	return json_put(out, "}\n", err, errlen);
}

static void json_free(void *w)
{
	spool_free(w);
}

const struct writer_ops writer_json = {
	.name = "json",
	.open = json_open,
	.on_connection = json_on_connection,
	.finish = json_finish,
	.free = json_free,
};
