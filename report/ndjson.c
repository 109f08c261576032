/*
 * ndjson.c - NDJSON for log pipelines: one JSON object per line, one line per
 * connection and per finding, in the Elastic Common Schema (ECS 8.11).
 *
 * Each line is a document an index takes as it is (Elasticsearch, OpenSearch,
 * Loki, ClickHouse, Splunk; doc/ingest.md): the ECS fields a pipeline files
 * and filters on (@timestamp, event.*, rule.*, source.*, destination.*,
 * network.*), and under "tcpautopsy" the very object the JSON report holds
 * for that connection or finding (json_conn.c, json_finding.c), so nothing is
 * lost and nothing is described twice. doc/tcpautopsy-ndjson.schema.json
 * states the contract; tests/ndjson.sh checks it.
 *
 * Connections stream as in json.c: each line goes to the connection spool when
 * the connection is finalised. The findings follow at the end, sorted by id.
 * The per-listener roll-ups are not written: they are counts over the alert
 * lines, which every one of those back ends computes itself from rule.name and
 * destination.*, and they are no ECS "metric" (a measurement taken at one
 * time) either.
 *
 * Deterministic like the JSON report: numbers as exact integers, times from
 * the capture, keys in a fixed order.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <cjson/cJSON.h>

#include "analyzer/capture.h"
#include "analyzer/kinds.h"
#include "report/json_conn.h"
#include "report/json_finding.h"
#include "report/json_value.h"
#include "report/spool.h"
#include "report/writer.h"

#define NDJSON_ECS_VERSION "8.11.0"
/* As much of a capture's name as captures[].file of the JSON report keeps. */
#define NDJSON_FILE_MAX (sizeof(((struct capture_info *)NULL)->file) - 1)
#define NDJSON_MESSAGE_MAX 320

/* What the ECS "event" object says about one line. */
struct ndjson_event {
	const char *kind;	/* "alert" (a finding) or "event" (a connection) */
	const char *type;	/* "connection" or "info" */
	const char *dataset;	/* "tcpautopsy.finding" or "tcpautopsy.connection" */
	const char *id_prefix;	/* the id is "finding-3", "connection-7" */
	uint64_t id;
	int64_t first_ns;
	int64_t last_ns;
	int severity;		/* event.severity; 0 leaves it out */
};

/* ECS leaves event.severity's scale to the source: ours grows with the
 * severity, so a dashboard can filter on event.severity >= 2. */
static int ndjson_severity(enum severity s)
{
	switch (s) {
	case SEV_INFO:
		return 1;
	case SEV_WARNING:
		return 2;
	case SEV_CRITICAL:
		return 3;
	}
	return 0;
}

static cJSON *ndjson_strings1(const char *s)
{
	cJSON *arr = cJSON_CreateArray();

	return json_done(arr, arr && json_push(arr, cJSON_CreateString(s)));
}

static cJSON *ndjson_event(const struct ndjson_event *ev)
{
	char id[64];
	cJSON *o = cJSON_CreateObject();

	snprintf(id, sizeof(id), "%s%" PRIu64, ev->id_prefix, ev->id);
	return json_done(o, o && json_add_str(o, "kind", ev->kind, 16) &&
			 json_add(o, "category", ndjson_strings1("network")) &&
			 json_add(o, "type", ndjson_strings1(ev->type)) &&
			 json_add_str(o, "dataset", ev->dataset, 64) &&
			 json_add_str(o, "id", id, sizeof(id)) &&
			 (!ev->severity || json_add(o, "severity", json_i64(ev->severity))) &&
			 json_add_time(o, "start", ev->first_ns) &&
			 json_add_time(o, "end", ev->last_ns) &&
			 json_add(o, "duration", json_i64(ev->last_ns - ev->first_ns)));
}

/* "@timestamp", "ecs" and "event": the head of every line. */
static bool ndjson_head(cJSON *o, const struct ndjson_event *ev)
{
	cJSON *ecs;

	if (!json_add_time(o, "@timestamp", ev->first_ns))
		return false;
	ecs = cJSON_AddObjectToObject(o, "ecs");
	return ecs && json_add_str(ecs, "version", NDJSON_ECS_VERSION, 16) &&
	       json_add(o, "event", ndjson_event(ev));
}

/* ECS source or destination: {"ip", "port"}; the port left out when unknown. */
static cJSON *ndjson_address(const struct ip_addr *a, uint16_t port, bool has_port)
{
	char ip[JSON_IP_MAX];
	cJSON *o = cJSON_CreateObject();

	ip_addr_format(a, ip, sizeof(ip));
	return json_done(o, o && json_add_str(o, "ip", ip, sizeof(ip)) &&
			 (!has_port || json_add_u64(o, "port", port)));
}

/* ECS network: TCP always; the IP version when an address is known. */
static cJSON *ndjson_network(const struct ip_addr *a)
{
	cJSON *o = cJSON_CreateObject();

	return json_done(o, o && json_add_str(o, "transport", "tcp", 4) &&
			 json_add_str(o, "iana_number", "6", 2) &&
			 (!a || json_add_str(o, "type", a->family == AF_INET6 ? "ipv6" : "ipv4",
					     5)));
}

/* "tcpautopsy": {"capture": file, name: item}; item is consumed. */
static bool ndjson_own(cJSON *o, const struct report_model *m, uint32_t capture,
		       const char *name, cJSON *item)
{
	const struct report_options *opts = m->opts;
	cJSON *t = cJSON_CreateObject();
	cJSON *file = opts->inputs && capture < opts->ninputs
			      ? json_string(opts->inputs[capture], NDJSON_FILE_MAX)
			      : cJSON_CreateNull();

	if (!json_add(o, "tcpautopsy", t)) {
		cJSON_Delete(file);
		cJSON_Delete(item);
		return false;
	}
	if (!json_add(t, "capture", file)) {
		cJSON_Delete(item);
		return false;
	}
	return json_add(t, name, item);
}

/* --- findings: alert lines ------------------------------------------------ */

/* ECS event.type: "connection" for a finding about one connection; "info"
 * for one about a listener, a host or the capture. */
static const char *ndjson_finding_type(const struct finding *f)
{
	return !f->scope || strcmp(f->scope, "connection") == 0 ? "connection" : "info";
}

/* ECS log.level: the source's own word for the severity. */
static bool ndjson_log_level(cJSON *o, enum severity s)
{
	cJSON *log = cJSON_CreateObject();

	return json_add(o, "log", log) && json_add_str(log, "level", severity_name(s), 16);
}

static bool ndjson_rule(cJSON *o, const struct finding *f)
{
	const struct kind_info *ki = kind_info(f->code);
	cJSON *r = cJSON_CreateObject();

	return json_add(o, "rule", r) && json_add_str(r, "name", f->kind, 128) &&
	       json_add_str(r, "category", ki ? ki->family : "unknown", 64) &&
	       json_add_str(r, "description", ki ? ki->line : "unknown", 512);
}

/* The finding's endpoints, and the network they are on. A listener or host
 * finding has no client (no source); a capture finding has neither. */
static bool ndjson_finding_where(cJSON *o, const struct finding *f)
{
	const struct ip_addr *a = f->server.family ? &f->server
				  : f->has_client ? &f->client
						  : NULL;

	return (!f->has_client ||
		json_add(o, "source", ndjson_address(&f->client, f->client_port, true))) &&
	       (!f->server.family ||
		json_add(o, "destination",
			 ndjson_address(&f->server, f->server_port, f->server_port != 0))) &&
	       json_add(o, "network", ndjson_network(a));
}

static cJSON *ndjson_finding_line(const struct report_model *m, const struct finding *f)
{
	struct ndjson_event ev = {
		.kind = "alert",
		.type = ndjson_finding_type(f),
		.dataset = "tcpautopsy.finding",
		.id_prefix = "finding-",
		.id = f->id,
		.first_ns = f->first_ts_ns,
		.last_ns = f->last_ts_ns,
		.severity = ndjson_severity(f->severity),
	};
	cJSON *o = cJSON_CreateObject();

	return json_done(o, o && ndjson_head(o, &ev) && ndjson_log_level(o, f->severity) &&
			 ndjson_rule(o, f) &&
			 json_add_str(o, "message", f->summary, sizeof(f->summary)) &&
			 ndjson_finding_where(o, f) &&
			 ndjson_own(o, m, f->capture, "finding", json_finding(f)));
}

/* --- connections: event lines --------------------------------------------- */

/* A short line for a log viewer: who, how it ended, how much. */
static cJSON *ndjson_conn_message(const struct tcp_conn *c)
{
	const struct tcp_endpoint *cl = &c->ep[CLIENT], *sv = &c->ep[SERVER];
	char from[JSON_IP_MAX + 8], to[JSON_IP_MAX + 8], msg[NDJSON_MESSAGE_MAX];
	int hlen = c->history.len < HISTORY_MAX ? c->history.len : HISTORY_MAX;

	/* A connection's ports are never 0: the dissector refuses such segments. */
	ip_endpoint_format(&cl->addr, cl->port, from, sizeof(from));
	ip_endpoint_format(&sv->addr, sv->port, to, sizeof(to));
	snprintf(msg, sizeof(msg),
		 "%s -> %s: %s/%s, end %s, %" PRIu64 " packets, %" PRIu64
		 " payload bytes, history %.*s",
		 from, to, report_state_slot_name(report_state_slot(cl->state)),
		 report_state_slot_name(report_state_slot(sv->state)), conn_end_name(c->end),
		 cl->packets + sv->packets, cl->bytes + sv->bytes, hlen, c->history.s);
	return json_string(msg, sizeof(msg));
}

/* ECS source/destination with the bytes and packets that endpoint sent. */
static cJSON *ndjson_conn_endpoint(const struct tcp_endpoint *ep)
{
	cJSON *o = ndjson_address(&ep->addr, ep->port, true);

	return json_done(o, o && json_add_u64(o, "bytes", ep->bytes) &&
			 json_add_u64(o, "packets", ep->packets));
}

static bool ndjson_conn_network(cJSON *o, const struct tcp_conn *c)
{
	const struct tcp_endpoint *cl = &c->ep[CLIENT], *sv = &c->ep[SERVER];
	cJSON *net = ndjson_network(&sv->addr);

	return json_add(o, "network", net) && json_add_u64(net, "bytes", cl->bytes + sv->bytes) &&
	       json_add_u64(net, "packets", cl->packets + sv->packets);
}

static cJSON *ndjson_connection_line(const struct report_model *m, const struct tcp_conn *c)
{
	struct ndjson_event ev = {
		.kind = "event",
		.type = "connection",
		.dataset = "tcpautopsy.connection",
		.id_prefix = "connection-",
		.id = c->id,
		.first_ns = c->first_ts_ns,
		.last_ns = c->last_ts_ns,
	};
	cJSON *o = cJSON_CreateObject();

	return json_done(o, o && ndjson_head(o, &ev) &&
			 json_add(o, "message", ndjson_conn_message(c)) &&
			 json_add(o, "source", ndjson_conn_endpoint(&c->ep[CLIENT])) &&
			 json_add(o, "destination", ndjson_conn_endpoint(&c->ep[SERVER])) &&
			 ndjson_conn_network(o, c) &&
			 ndjson_own(o, m, c->first_capture, "connection", json_connection(c)));
}

/* --- printing and the writer ---------------------------------------------- */

/* Prints item (and frees it) as one line. cJSON escapes every control
 * character inside strings, so the newline that ends it is the only one;
 * NULL is an allocation that failed. */
static int ndjson_put_line(FILE *out, cJSON *item, char *err, size_t errlen)
{
	char *text = item ? cJSON_PrintUnformatted(item) : NULL;
	int rc = 0;

	cJSON_Delete(item);
	if (!text) {
		snprintf(err, errlen, "formatting JSON: %s", strerror(ENOMEM));
		return -1;
	}
	if (fputs(text, out) < 0 || putc('\n', out) == EOF) {
		snprintf(err, errlen, "writing: %s", strerror(errno ? errno : EIO));
		rc = -1;
	}
	cJSON_free(text);
	return rc;
}

/* The writer's state is the connection spool: the connection lines. */
static void *ndjson_open(char *err, size_t errlen)
{
	return spool_new(err, errlen);
}

static int ndjson_on_connection(void *w, const struct report_model *m,
				const struct tcp_conn *c, char *err, size_t errlen)
{
	struct spool *spool = w;

	errno = 0;
	if (ndjson_put_line(spool->f, ndjson_connection_line(m, c), err, errlen) < 0 ||
	    ferror(spool->f)) {
		spool_write_error(spool, c->id, err, errlen);
		return -1;
	}
	spool->items++;
	return 0;
}

static int ndjson_finish(void *w, const struct report_model *m, FILE *out, char *err,
			 size_t errlen)
{
	struct spool *spool = w;

	errno = 0;
	if (spool->items && spool_copy(spool, out, err, errlen) < 0)
		return -1;
	for (size_t i = 0; i < m->nfindings; i++)
		if (ndjson_put_line(out, ndjson_finding_line(m, &m->findings[i]), err, errlen) < 0)
			return -1;
	return 0;
}

static void ndjson_free(void *w)
{
	spool_free(w);
}

const struct writer_ops writer_ndjson = {
	.name = "ndjson",
	.open = ndjson_open,
	.on_connection = ndjson_on_connection,
	.finish = ndjson_finish,
	.free = ndjson_free,
};
