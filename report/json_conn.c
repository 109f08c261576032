/*
 * json_conn.c - one connection as a JSON object: the element of the JSON
 * report's "connections" array, and the "tcpautopsy.connection" of an NDJSON
 * event line.
 *
 * Built once per connection when it is finalised, printed at once and freed
 * by the writer: nothing here is kept.
 */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>

#include "report/json_conn.h"
#include "report/json_value.h"
#include "report/timefmt.h"

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

cJSON *json_connection(const struct tcp_conn *c)
{
	cJSON *o = cJSON_CreateObject();

	return json_done(o, o && json_conn_identity(o, c) && json_conn_states(o, c) &&
			 json_conn_counters(o, c) && json_conn_previous(o, c) &&
			 json_conn_findings(o, c) && json_conn_endpoints(o, c));
}
