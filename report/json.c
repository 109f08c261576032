/*
 * json.c - the JSON document: the contract dashboards and golden tests read.
 *
 * Connections stream: each one is built as a cJSON object when it is
 * finalised, printed at once to an unlinked spool file in $TMPDIR and freed, so
 * memory does not grow with the capture. At the end the document is written
 * key by key by hand, with the spool spliced in as the "connections" array.
 *
 * Deterministic by construction: no wall clock, keys in a fixed order, maps
 * sorted by key, every integer printed exactly from its 64-bit value and every
 * fixed-precision figure printed from a scaled integer (no floating point that
 * could differ between platforms). Every string is made valid UTF-8 first:
 * file names and error texts come from outside and JSON must be UTF-8.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "report/json_finding.h"
#include "report/json_value.h"
#include "report/timefmt.h"
#include "report/writer.h"

#define JSON_SCHEMA_VERSION 1
#define JSON_COPY_CHUNK 65536
struct json_writer {
	FILE *spool;
	char spool_dir[1024];	/* for messages: the spool itself has no name */
	uint64_t spooled;
};

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

/* --- connections --------------------------------------------------------- */

static cJSON *json_endpoint_address(const struct tcp_endpoint *ep)
{
	return json_address(&ep->addr, ep->port, false);
}

static bool json_conn_identity(cJSON *o, const struct tcp_conn *c)
{
	return json_add_u64(o, "id", c->id) &&
	       json_add(o, "client", json_endpoint_address(&c->ep[CLIENT])) &&
	       json_add(o, "server", json_endpoint_address(&c->ep[SERVER])) &&
	       json_add_time(o, "first_ts", c->first_ts_ns) &&
	       json_add_time(o, "last_ts", c->last_ts_ns) &&
	       json_add(o, "duration_s", json_duration(c->first_ts_ns, c->last_ts_ns)) &&
	       json_add_u64(o, "first_frame", c->first_frame) &&
	       json_add_u64(o, "last_frame", c->last_frame) &&
	       json_add_u64(o, "capture", c->first_capture) &&
	       json_add_u64(o, "last_capture", c->last_capture);
}

static cJSON *json_conn_flags(uint32_t flags)
{
	static const struct {
		uint32_t bit;
		const char *name;
	} json_flags[] = {
		{ CONN_MIDSTREAM, "midstream" },
		{ CONN_ROLES_GUESSED, "roles_guessed" },
		{ CONN_SIMULTANEOUS_OPEN, "simultaneous_open" },
		{ CONN_SELF, "self_connect" },
		{ CONN_RESET, "reset" },
		{ CONN_HALF_CLOSE, "half_close" },
	};
	cJSON *arr = cJSON_CreateArray();

	for (size_t i = 0; arr && i < sizeof(json_flags) / sizeof(json_flags[0]); i++) {
		if ((flags & json_flags[i].bit) &&
		    !json_push(arr, cJSON_CreateString(json_flags[i].name))) {
			cJSON_Delete(arr);
			return NULL;
		}
	}
	return arr;
}

static bool json_conn_states(cJSON *o, const struct tcp_conn *c)
{
	size_t hlen = c->history.len < HISTORY_MAX ? c->history.len : HISTORY_MAX;

	return json_add_state(o, "client_state", c->ep[CLIENT].state) &&
	       json_add_state(o, "server_state", c->ep[SERVER].state) &&
	       json_add_str(o, "end", conn_end_name(c->end), 64) &&
	       json_add_str(o, "history", c->history.s, hlen) &&
	       json_add(o, "flags", json_conn_flags(c->flags));
}

static bool json_conn_counters(cJSON *o, const struct tcp_conn *c)
{
	const struct tcp_endpoint *cl = &c->ep[CLIENT], *sv = &c->ep[SERVER];
	bool rtt = c->handshake_rtt_ns >= 0;

	return json_add_pair(o, "packets", cl->packets, sv->packets) &&
	       json_add_pair(o, "bytes", cl->bytes, sv->bytes) &&
	       json_add_pair(o, "retransmissions", cl->retransmissions, sv->retransmissions) &&
	       json_add(o, "handshake_rtt_us",
			rtt ? json_i64(c->handshake_rtt_ns / 1000) : cJSON_CreateNull()) &&
	       json_add_str(o, "vantage", vantage_name(c->vantage), 64);
}

static bool json_conn_previous(cJSON *o, const struct tcp_conn *c)
{
	cJSON *states;

	if (!c->prev.id)
		return json_add(o, "previous", cJSON_CreateNull());
	if (!json_add_u64(o, "previous", c->prev.id) ||
	    !json_add(o, "previous_gap_us", json_i64(timefmt_floor_div(c->prev.gap_ns, 1000))))
		return false;
	states = cJSON_AddObjectToObject(o, "previous_states");
	return states &&
	       json_add_state(states, "client", c->prev.state[CLIENT]) &&
	       json_add_state(states, "server", c->prev.state[SERVER]);
}

static bool json_conn_findings(cJSON *o, const struct tcp_conn *c)
{
	cJSON *arr = cJSON_CreateArray();
	bool ok = json_add(o, "findings", arr);

	for (uint32_t i = 0; ok && i < c->nfindings && i < CONN_MAX_FINDINGS; i++)
		ok = json_push(arr, json_u64(c->findings[i]));
	return ok;
}

static cJSON *json_state_change(const struct state_change *sc)
{
	cJSON *o = cJSON_CreateObject();

	return json_done(o, o && json_add_state(o, "state", (enum tcp_state)sc->state) &&
			 json_add_time(o, "ts", sc->ts_ns) &&
			 json_add_u64_or_null(o, "frame", sc->frame != 0, sc->frame) &&
			 json_add_u64(o, "capture", sc->capture) &&
			 json_add_bool(o, "presumed", sc->presumed));
}

static bool json_endpoint_options(cJSON *o, const struct tcp_endpoint *ep)
{
	return json_add_u64_or_null(o, "isn", ep->isn_known, ep->isn) &&
	       json_add_u64_or_null(o, "mss", ep->mss != 0, ep->mss) &&
	       json_add_u64(o, "wscale", ep->wscale) &&
	       json_add_u64_or_null(o, "wscale_offered", ep->wscale_offered, ep->wscale_offer) &&
	       json_add_bool(o, "sack_permitted", ep->sack_permitted) &&
	       json_add_bool(o, "timestamps", ep->timestamps);
}

static bool json_endpoint_counters(cJSON *o, const struct tcp_endpoint *ep)
{
	return json_add_u64(o, "out_of_order", ep->out_of_order) &&
	       json_add_u64(o, "dup_acks", ep->dup_acks) &&
	       json_add_u64(o, "zero_windows", ep->zero_windows) &&
	       json_add_u64(o, "keepalives", ep->keepalives) &&
	       json_add_u64(o, "window_probes", ep->window_probes) &&
	       json_add_u64(o, "missing_bytes", ep->missing_bytes) &&
	       json_add_u64(o, "syns", ep->syns) && json_add_u64(o, "fins", ep->fins) &&
	       json_add_u64(o, "rsts", ep->rsts) &&
	       json_add_u64_or_null(o, "fin_frame", ep->fin_sent && ep->fin_frame != 0,
				    ep->fin_frame);
}

static bool json_endpoint_timeline(cJSON *o, const struct tcp_endpoint *ep)
{
	const struct timeline *tl = &ep->timeline;
	cJSON *arr = cJSON_CreateArray();
	bool ok = json_add(o, "timeline", arr);

	for (unsigned i = 0; ok && i < tl->count && i < TIMELINE_MAX; i++)
		ok = json_push(arr, json_state_change(&tl->at[i]));
	return ok && json_add_u64(o, "timeline_elided", tl->elided);
}

static cJSON *json_endpoint(const struct tcp_endpoint *ep)
{
	cJSON *o = cJSON_CreateObject();

	return json_done(o, o && json_endpoint_options(o, ep) && json_endpoint_counters(o, ep) &&
			 json_endpoint_timeline(o, ep));
}

static bool json_conn_endpoints(cJSON *o, const struct tcp_conn *c)
{
	cJSON *eps = cJSON_CreateObject();

	return json_add(o, "endpoints", eps) &&
	       json_add(eps, "client", json_endpoint(&c->ep[CLIENT])) &&
	       json_add(eps, "server", json_endpoint(&c->ep[SERVER]));
}

static cJSON *json_connection(const struct tcp_conn *c)
{
	cJSON *o = cJSON_CreateObject();

	return json_done(o, o && json_conn_identity(o, c) && json_conn_states(o, c) &&
			 json_conn_counters(o, c) && json_conn_previous(o, c) &&
			 json_conn_findings(o, c) && json_conn_endpoints(o, c));
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
	uint64_t sev[3] = { 0, 0, 0 };
	cJSON *o = cJSON_CreateObject();

	for (size_t i = 0; i < m->nfindings; i++)
		if ((unsigned)m->findings[i].severity < 3)
			sev[m->findings[i].severity]++;
	return json_done(o, o && json_add_u64(o, "critical", sev[SEV_CRITICAL]) &&
			 json_add_u64(o, "warning", sev[SEV_WARNING]) &&
			 json_add_u64(o, "info", sev[SEV_INFO]));
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
static int json_emit_connections(FILE *out, struct json_writer *jw, char *err, size_t errlen)
{
	char *buf;
	size_t n;

	if (!jw->spooled)
		return json_put(out, "\t\"connections\":\t[],\n", err, errlen);
	if (fflush(jw->spool) != 0 || fseek(jw->spool, 0, SEEK_SET) != 0) {
		snprintf(err, errlen, "rewinding the connection spool in %s: %s", jw->spool_dir,
			 strerror(errno));
		return -1;
	}
	buf = malloc(JSON_COPY_CHUNK);
	if (!buf) {
		snprintf(err, errlen, "copying connections: %s", strerror(ENOMEM));
		return -1;
	}
	if (json_put(out, "\t\"connections\":\t[\n", err, errlen) < 0)
		goto out_free;
	while ((n = fread(buf, 1, JSON_COPY_CHUNK, jw->spool)) > 0) {
		if (fwrite(buf, 1, n, out) != n) {
			snprintf(err, errlen, "writing: %s", strerror(errno ? errno : EIO));
			goto out_free;
		}
	}
	if (ferror(jw->spool)) {
		snprintf(err, errlen, "reading the connection spool in %s: %s", jw->spool_dir,
			 strerror(errno ? errno : EIO));
		goto out_free;
	}
	free(buf);
	return json_put(out, "\n\t],\n", err, errlen);

out_free:
	free(buf);
	return -1;
}

/* --- the writer ---------------------------------------------------------- */

/* The spool is unlinked as soon as it is open: it disappears with the process
 * however the run ends. $TMPDIR lets a user move it off a small /tmp. */
static void *json_open(char *err, size_t errlen)
{
	struct json_writer *jw = calloc(1, sizeof(*jw));
	const char *dir = getenv("TMPDIR");
	char path[sizeof(jw->spool_dir) + 32];
	int fd;

	if (!jw) {
		snprintf(err, errlen, "allocating: %s", strerror(ENOMEM));
		return NULL;
	}
	if (!dir || !*dir)
		dir = "/tmp";
	snprintf(jw->spool_dir, sizeof(jw->spool_dir), "%s", dir);
	snprintf(path, sizeof(path), "%s/tcpautopsy-spool-XXXXXX", jw->spool_dir);
	fd = mkstemp(path);
	if (fd < 0 || unlink(path) != 0 || !(jw->spool = fdopen(fd, "w+"))) {
		snprintf(err, errlen, "creating the connection spool in %s: %s", jw->spool_dir,
			 strerror(errno));
		if (fd >= 0)
			close(fd);
		free(jw);
		return NULL;
	}
	return jw;
}

static int json_on_connection(void *w, const struct report_model *m, const struct tcp_conn *c,
			      char *err, size_t errlen)
{
	struct json_writer *jw = w;

	(void)m;
	errno = 0;
	if ((jw->spooled && fputs(",\n", jw->spool) < 0) || fputs("\t\t", jw->spool) < 0 ||
	    json_emit(jw->spool, json_connection(c), 2, err, errlen) < 0 ||
	    ferror(jw->spool)) {
		/* Name the spool's directory: that is where the disk filled. */
		char why[256];

		snprintf(why, sizeof(why), "%s", errno ? strerror(errno) : "out of memory");
		snprintf(err, errlen, "spooling connection %" PRIu64 " to %s: %s", c->id,
			 jw->spool_dir, why);
		return -1;
	}
	jw->spooled++;
	return 0;
}

static int json_finish(void *w, const struct report_model *m, FILE *out, char *err,
		       size_t errlen)
{
	struct json_writer *jw = w;

	errno = 0;
	if (json_put(out, "{\n", err, errlen) < 0 ||
	    json_emit_member(out, "schema_version", json_u64(JSON_SCHEMA_VERSION), err,
			     errlen) < 0 ||
	    json_emit_member(out, "tool", json_tool(m), err, errlen) < 0 ||
	    json_emit_array(out, "captures", m, m->ncaptures, json_build_capture, false, err,
			    errlen) < 0 ||
	    json_emit_member(out, "summary", json_summary(m), err, errlen) < 0 ||
	    json_emit_connections(out, jw, err, errlen) < 0 ||
	    json_emit_array(out, "findings", m, m->nfindings, json_build_finding, false, err,
			    errlen) < 0 ||
	    json_emit_array(out, "aggregates", m, m->naggregates, json_build_aggregate, true, err,
			    errlen) < 0)
		return -1;
	return json_put(out, "}\n", err, errlen);
}

static void json_free(void *w)
{
	struct json_writer *jw = w;

	if (jw->spool)
		fclose(jw->spool);
	free(jw);
}

const struct writer_ops writer_json = {
	.name = "json",
	.open = json_open,
	.on_connection = json_on_connection,
	.on_finding = NULL,
	.finish = json_finish,
	.free = json_free,
};
