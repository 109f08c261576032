/*
 * json_finding.c - findings and their roll-ups as JSON objects.
 *
 * A finding carries everything a reader needs (frames, figures, words); a
 * roll-up carries the counts per listener or host and points at its findings
 * and connections by id (the first AGG_MAX_IDS of them).
 */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>

#include "analyzer/classify.h"
#include "analyzer/conn.h"
#include "report/json_finding.h"
#include "report/json_value.h"

static cJSON *json_evidence_value(const struct evidence *e)
{
	switch (e->type) {
	case EVIDENCE_INT:
		return json_i64(e->v.i);
	case EVIDENCE_REAL:
		/* cJSON prints a non-finite number as null, which is what it is. */
		return cJSON_CreateNumber(e->v.r);
	case EVIDENCE_TEXT:
		return json_string(e->v.text, sizeof(e->v.text));
	case EVIDENCE_BOOL:
		return cJSON_CreateBool(e->v.b);
	}
	return cJSON_CreateNull();
}

static bool json_finding_evidence(cJSON *o, const struct finding *f)
{
	cJSON *ev = cJSON_AddObjectToObject(o, "evidence");

	for (uint32_t i = 0; ev && i < f->nevidence && i < FINDING_MAX_EVIDENCE; i++) {
		const struct evidence *e = &f->evidence[i];

		/* A repeated name would make the key ambiguous: the first wins. */
		if (!e->name || cJSON_GetObjectItemCaseSensitive(ev, e->name))
			continue;
		if (!json_add(ev, e->name, json_evidence_value(e)))
			return false;
	}
	return ev != NULL;
}

/* Confidence with 3 decimals, rounded half away from zero; null if not a number. */
static cJSON *json_confidence(double c)
{
	if (!(c >= -1e9 && c <= 1e9))
		return cJSON_CreateNull();
	return json_fixed((int64_t)(c * 1000.0 + (c >= 0 ? 0.5 : -0.5)), 3);
}

static bool json_finding_head(cJSON *o, const struct finding *f)
{
	return json_add_u64(o, "id", f->id) && json_add_str(o, "kind", f->kind, 128) &&
	       json_add_str(o, "scope", f->scope ? f->scope : "connection", 32) &&
	       json_add_str(o, "severity", severity_name(f->severity), 32) &&
	       json_add(o, "confidence", json_confidence(f->confidence)) &&
	       json_add_time(o, "first_ts", f->first_ts_ns) &&
	       json_add_time(o, "last_ts", f->last_ts_ns) &&
	       json_add_u64_or_null(o, "connection", f->connection != 0, f->connection) &&
	       json_add_u64_or_null(o, "related", f->related != 0, f->related);
}

static bool json_finding_where(cJSON *o, const struct finding *f)
{
	cJSON *frames;

	if (!json_add(o, "client", f->has_client ? json_address(&f->client, f->client_port, false)
						 : cJSON_CreateNull()) ||
	    !json_add(o, "server", f->server.family ? json_address(&f->server, f->server_port, true)
						     : cJSON_CreateNull()) ||
	    !json_add_u64(o, "capture", f->capture))
		return false;
	frames = cJSON_AddArrayToObject(o, "frames");
	for (uint32_t i = 0; frames && i < f->nframes && i < FINDING_MAX_FRAMES; i++)
		if (!json_push(frames, json_u64(f->frames[i])))
			return false;
	return frames != NULL;
}

/* --- packet notes, for the ladder diagram ------------------------------------ */

/* The TCP flags set, in header order: ["SYN", "ACK"]. */
static cJSON *json_packet_flags(uint16_t flags)
{
	static const struct {
		uint16_t bit;
		const char *name;
	} names[] = { { TH_FIN, "FIN" }, { TH_SYN, "SYN" }, { TH_RST, "RST" }, { TH_PUSH, "PSH" },
		      { TH_ACK, "ACK" }, { TH_URG, "URG" }, { TH_ECE, "ECE" }, { TH_CWR, "CWR" } };
	cJSON *arr = cJSON_CreateArray();

	for (size_t i = 0; arr && i < sizeof(names) / sizeof(names[0]); i++)
		if ((flags & names[i].bit) && !json_push(arr, cJSON_CreateString(names[i].name)))
			return json_done(arr, false);
	return arr;
}

/* The SEG_* events, in bit order: ["retransmission", "fin"]. */
static cJSON *json_packet_events(uint32_t events)
{
	cJSON *arr = cJSON_CreateArray();

	for (uint32_t bit = 1; arr && bit; bit <<= 1) {
		const char *name = (events & bit) ? seg_event_name(bit) : NULL;

		if (name && !json_push(arr, cJSON_CreateString(name)))
			return json_done(arr, false);
	}
	return arr;
}

/* What the header said: flags, seq, ack (null without ACK), length, window. */
static bool json_packet_header(cJSON *o, const struct packet_note *p)
{
	return json_add(o, "flags", json_packet_flags(p->flags)) &&
	       json_add_u64(o, "seq", p->seq) &&
	       json_add_bool(o, "seq_relative", p->seq_relative) &&
	       json_add_u64_or_null(o, "ack", p->flags & TH_ACK, p->ack) &&
	       json_add_bool(o, "ack_relative", p->ack_relative) &&
	       json_add_u64(o, "len", p->len) && json_add_u64(o, "window", p->window);
}

static cJSON *json_packet(const struct packet_note *p)
{
	const char *dir = p->dir == DIR_S2C ? "server_to_client" : "client_to_server";
	cJSON *o = cJSON_CreateObject();

	return json_done(o, o && json_add_u64(o, "frame", p->frame) &&
			 json_add_time(o, "ts", p->ts_ns) && json_add_str(o, "direction", dir, 32) &&
			 json_packet_header(o, p) &&
			 json_add(o, "events", json_packet_events(p->events)) &&
			 json_add_state(o, "client_state", (enum tcp_state)p->state_after[CLIENT]) &&
			 json_add_state(o, "server_state", (enum tcp_state)p->state_after[SERVER]));
}

/* The notes known for the frames, in frame order; a frame without one is
 * left out (the log is bounded, packet_log.h). */
static bool json_finding_packets(cJSON *o, const struct finding *f)
{
	cJSON *arr = cJSON_AddArrayToObject(o, "packets");

	for (uint32_t i = 0; arr && i < f->nframes && i < FINDING_MAX_FRAMES; i++) {
		const struct packet_note *p = &f->packets[i];

		if (p->frame != 0 && p->frame == f->frames[i] && !json_push(arr, json_packet(p)))
			return false;
	}
	return arr != NULL;
}

cJSON *json_finding(const struct finding *f)
{
	cJSON *o = cJSON_CreateObject();

	return json_done(o, o && json_finding_head(o, f) && json_finding_where(o, f) &&
			 json_finding_packets(o, f) &&
			 json_add_str(o, "summary", f->summary, sizeof(f->summary)) &&
			 json_add_str(o, "explanation", f->explanation, sizeof(f->explanation)) &&
			 json_finding_evidence(o, f));
}

/* --- aggregates ----------------------------------------------------------- */

/* The leak's count over time: [{"ts": ..., "close_wait": n}, ...]. */
static cJSON *json_leak_series(const struct aggregate *g)
{
	cJSON *arr = cJSON_CreateArray();

	for (uint32_t i = 0; arr && i < g->nseries && i < AGG_SERIES; i++) {
		cJSON *p = cJSON_CreateObject();

		if (!json_push(arr, json_done(p, p && json_add_time(p, "ts", g->series[i].ts_ns) &&
						    json_add(p, "close_wait",
							     json_i64(g->series[i].open))))) {
			cJSON_Delete(arr);
			return NULL;
		}
	}
	return arr;
}

static bool json_leak(cJSON *o, const struct aggregate *g)
{
	if (g->code != KIND_CLOSE_WAIT_LEAK)
		return true;
	return json_add(o, "peak_close_wait", json_i64(g->peak_open)) &&
	       json_add(o, "close_wait_at_end", json_i64(g->open_at_end)) &&
	       json_add(o, "close_wait_over_time", json_leak_series(g));
}

static cJSON *json_ids(const uint64_t *ids, uint32_t n)
{
	cJSON *arr = cJSON_CreateArray();

	for (uint32_t i = 0; arr && i < n && i < AGG_MAX_IDS; i++)
		if (!json_push(arr, json_u64(ids[i]))) {
			cJSON_Delete(arr);
			return NULL;
		}
	return arr;
}

/* Findings per minute over the group's span; null for a single instant. */
static cJSON *json_rate(const struct aggregate *g)
{
	int64_t span = g->last_ts_ns - g->first_ts_ns;

	if (span <= 0)
		return cJSON_CreateNull();
	return json_fixed((int64_t)((double)g->count * 60e9 / (double)span * 100.0 + 0.5), 2);
}

cJSON *json_aggregate(const struct aggregate *g)
{
	cJSON *o = cJSON_CreateObject();

	return json_done(o, o && json_add_str(o, "scope", g->scope, 16) &&
			 json_add_str(o, "kind", g->kind, 128) &&
			 json_add_str(o, "severity", severity_name(g->severity), 32) &&
			 json_add(o, "server", json_address(&g->server, g->server_port, true)) &&
			 json_add_u64(o, "count", g->count) &&
			 (g->server_port || json_add_u64(o, "listeners", g->listeners)) &&
			 json_add_time(o, "first_ts", g->first_ts_ns) &&
			 json_add_time(o, "last_ts", g->last_ts_ns) &&
			 json_add(o, "per_minute", json_rate(g)) &&
			 json_add_u64_or_null(o, "summary_finding", g->summary_finding != 0,
					      g->summary_finding) &&
			 json_add(o, "findings", json_ids(g->finding_ids, g->nids)) &&
			 json_add(o, "connections", json_ids(g->connection_ids, g->nids)) &&
			 json_leak(o, g));
}
