/*
 * test_report.c - the report layer against synthetic captures, connections and
 * findings: every JSON field read back with cJSON, the time formats, the
 * atomic replacement of outputs, streaming in bounded memory, hostile strings,
 * and the terminal summary.
 */
#include "config.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "analyzer/aggregate.h"
#include "analyzer/classify.h"
#include "report/report.h"
#include "report/timefmt.h"
#include "tests/unit/check.h"

#define T0 INT64_C(1795255480123456789)	/* 2026-11-21T10:04:40.123456789Z */
#define SEC INT64_C(1000000000)

static char test_dir[256];

/* --- helpers ------------------------------------------------------------- */

static void test_addr(struct ip_addr *a, const char *text)
{
	memset(a, 0, sizeof(*a));
	if (strchr(text, ':')) {
		a->family = AF_INET6;
		inet_pton(AF_INET6, text, a->bytes);
	} else {
		a->family = AF_INET;
		inet_pton(AF_INET, text, a->bytes);
	}
}

static char *test_path(const char *name)
{
	static char path[512];

	snprintf(path, sizeof(path), "%s/%s", test_dir, name);
	return path;
}

static char *test_slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n + 1);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	if (buf)
		buf[n] = '\0';
	if (len)
		*len = (size_t)n;
	fclose(f);
	return buf;
}

static cJSON *test_parse(const char *path)
{
	char *text = test_slurp(path, NULL);
	cJSON *doc = text ? cJSON_Parse(text) : NULL;

	free(text);
	return doc;
}

/* Entries in a directory, "." and ".." aside. */
static int test_count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

static bool test_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

/* The item at a dotted path; numbers index arrays: "connections.0.id". */
static cJSON *jget(const cJSON *root, const char *path)
{
	char buf[256], *save = NULL, *tok;
	const cJSON *cur = root;

	snprintf(buf, sizeof(buf), "%s", path);
	for (tok = strtok_r(buf, ".", &save); cur && tok; tok = strtok_r(NULL, ".", &save)) {
		if (cJSON_IsArray(cur) && tok[0] >= '0' && tok[0] <= '9')
			cur = cJSON_GetArrayItem(cur, atoi(tok));
		else
			cur = cJSON_GetObjectItemCaseSensitive(cur, tok);
	}
	return (cJSON *)cur;
}

static double jnum(const cJSON *root, const char *path)
{
	const cJSON *it = jget(root, path);

	return cJSON_IsNumber(it) ? it->valuedouble : -1e300;
}

static bool near(double got, double want)
{
	double d = got - want;

	return d < 1e-9 && d > -1e-9;
}

static const char *jstr(const cJSON *root, const char *path)
{
	return cJSON_GetStringValue(jget(root, path));
}

static bool jnull(const cJSON *root, const char *path)
{
	return cJSON_IsNull(jget(root, path));
}

static bool jtrue(const cJSON *root, const char *path)
{
	return cJSON_IsTrue(jget(root, path));
}

static bool jfalse(const cJSON *root, const char *path)
{
	return cJSON_IsFalse(jget(root, path));
}

/* True when the object's keys are exactly `keys`, in that order. */
static bool jkeys(const cJSON *obj, const char *const *keys, size_t n)
{
	const cJSON *it;
	size_t i = 0;

	if (!cJSON_IsObject(obj))
		return false;
	cJSON_ArrayForEach(it, obj) {
		if (i >= n || strcmp(it->string, keys[i]) != 0) {
			fprintf(stderr, "key %zu is %s, expected %s\n", i, it->string,
				i < n ? keys[i] : "(end)");
			return false;
		}
		i++;
	}
	return i == n;
}

#define JKEYS(obj, ...)                                                               \
	do {                                                                          \
		static const char *const jk_[] = { __VA_ARGS__ };                     \
		CHECK(jkeys((obj), jk_, sizeof(jk_) / sizeof(jk_[0])));               \
	} while (0)

/* Strict UTF-8 check of a whole file, as a JSON consumer would demand. */
static bool test_valid_utf8(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n;) {
		unsigned c = p[i];
		size_t len = c < 0x80 ? 1 : (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3
			   : (c & 0xf8) == 0xf0 ? 4 : 0;

		if (!len || (len > 1 && c < 0xc2) || i + len > n)
			return false;
		for (size_t k = 1; k < len; k++)
			if ((p[i + k] & 0xc0) != 0x80)
				return false;
		i += len;
	}
	return true;
}

/* --- fixtures ------------------------------------------------------------ */

static void test_capture(struct capture_info *ci)
{
	memset(ci, 0, sizeof(*ci));
	ci->index = 0;
	snprintf(ci->file, sizeof(ci->file), "%s", "lab/server.pcapng");
	snprintf(ci->format, sizeof(ci->format), "%s", "pcapng");
	ci->nanosecond = true;
	ci->snaplen = 262144;
	ci->nlinktypes = 2;
	ci->linktypes[0] = LINKTYPE_ETHERNET;
	ci->linktypes[1] = LINKTYPE_LINUX_SLL2;
	ci->stats.frames = 1000;
	ci->stats.tcp = 900;
	ci->stats.not_tcp = 80;
	ci->stats.fragments = 5;
	ci->stats.unsupported = 3;
	ci->stats.truncated_tcp = 7;
	ci->stats.malformed[MAL_TCP_OPTIONS] = 4;
	ci->stats.malformed[MAL_IP_TRUNCATED] = 8;
	ci->first_ts_ns = T0;
	ci->last_ts_ns = T0 + 64 * SEC + 100;	/* same microsecond */
	ci->vantage_votes[VANTAGE_NEAR_SERVER] = 9;
	ci->vantage_votes[VANTAGE_MID_PATH] = 1;
	ci->damaged = true;
	ci->damaged_after_frame = 1000;
	snprintf(ci->error, sizeof(ci->error), "%s", "truncated dump file; tried to read 16 bytes");
}

static void test_empty_capture(struct capture_info *ci)
{
	memset(ci, 0, sizeof(*ci));
	ci->index = 1;
	snprintf(ci->file, sizeof(ci->file), "%s", "empty.pcap");
	snprintf(ci->format, sizeof(ci->format), "%s", "pcap");
	ci->snaplen = 65535;
	ci->continued = true;
}

static void test_change(struct tcp_endpoint *ep, enum tcp_state s, int64_t ts, uint64_t frame,
			bool presumed)
{
	struct state_change *sc = &ep->timeline.at[ep->timeline.count++];

	sc->state = (uint8_t)s;
	sc->ts_ns = ts;
	sc->frame = frame;
	sc->capture = 0;
	sc->presumed = presumed;
	ep->state = s;
}

/* A connection in every detail: a port reuse that hit a stale CLOSE-WAIT. */
static void test_full_conn(struct tcp_conn *c)
{
	struct tcp_endpoint *cl = &c->ep[CLIENT], *sv = &c->ep[SERVER];

	memset(c, 0, sizeof(*c));
	c->id = 7;
	test_addr(&cl->addr, "192.0.2.1");
	cl->port = 40000;
	test_addr(&sv->addr, "192.0.2.2");
	sv->port = 8080;
	c->first_ts_ns = T0;
	c->last_ts_ns = T0 + 3 * SEC + 200000999;
	c->first_frame = 10;
	c->last_frame = 99;
	c->first_capture = 0;
	c->last_capture = 1;
	c->flags = CONN_RESET | CONN_MIDSTREAM | CONN_HALF_CLOSE;
	c->handshake_rtt_ns = 1234567;
	c->vantage = VANTAGE_NEAR_SERVER;
	c->end = END_RESET;
	snprintf(c->history.s, sizeof(c->history.s), "%s", "ShADadR");
	c->history.len = 7;
	c->prev.id = 3;
	c->prev.gap_ns = 2500000;
	c->prev.state[CLIENT] = TCP_FIN_WAIT_2;
	c->prev.state[SERVER] = TCP_CLOSE_WAIT;
	c->nfindings = 2;
	c->findings[0] = 1;
	c->findings[1] = 4;

	cl->isn_known = true;
	cl->isn = 4000000000u;
	cl->mss = 1460;
	cl->wscale_offered = true;
	cl->wscale_offer = 7;
	cl->wscale = 7;
	cl->sack_permitted = true;
	cl->timestamps = true;
	cl->packets = 50;
	cl->bytes = 10000;
	cl->retransmissions = 2;
	cl->out_of_order = 1;
	cl->dup_acks = 3;
	cl->zero_windows = 4;
	cl->keepalives = 5;
	cl->window_probes = 6;
	cl->missing_bytes = 1448;
	cl->syns = 1;
	cl->fins = 1;
	cl->rsts = 1;
	cl->fin_sent = true;
	cl->fin_frame = 80;
	test_change(cl, TCP_SYN_SENT, T0, 10, false);
	test_change(cl, TCP_ESTABLISHED, T0 + 1000, 12, false);
	test_change(cl, TCP_CLOSED, T0 + 2 * SEC, 0, true);
	cl->timeline.elided = 2;

	sv->packets = 40;
	sv->bytes = 1 << 20;
	sv->retransmissions = 9;
	test_change(sv, TCP_SYN_RECEIVED, T0 + 500, 11, true);
	test_change(sv, TCP_CLOSE_WAIT, T0 + SEC, 81, false);
}

/* The least a connection can be: IPv6, nothing known. */
static void test_bare_conn(struct tcp_conn *c, uint64_t id)
{
	memset(c, 0, sizeof(*c));
	c->id = id;
	test_addr(&c->ep[CLIENT].addr, "2001:db8::1");
	c->ep[CLIENT].port = 5555;
	test_addr(&c->ep[SERVER].addr, "2001:db8::2");
	c->ep[SERVER].port = 443;
	c->first_ts_ns = T0;
	c->last_ts_ns = T0;
	c->handshake_rtt_ns = -1;
	c->ep[CLIENT].state = TCP_ESTABLISHED;
	c->ep[SERVER].state = TCP_ESTABLISHED;
	c->end = END_CAPTURE;
}

static void test_finding_conn(struct finding *f)
{
	memset(f, 0, sizeof(*f));
	f->id = 4;
	f->kind = "syn_into_close_wait";
	f->severity = SEV_CRITICAL;
	f->confidence = 0.9;
	f->first_ts_ns = T0;
	f->last_ts_ns = T0 + SEC;
	f->connection = 7;
	f->related = 3;
	f->has_client = true;
	test_addr(&f->client, "192.0.2.1");
	f->client_port = 40000;
	test_addr(&f->server, "192.0.2.2");
	f->server_port = 8080;
	f->capture = 0;
	/* Frames out of order, each with its note but 11: the report sorts
	 * them and the notes follow. */
	f->nframes = 3;
	f->frames[0] = 12;
	f->frames[1] = 10;
	f->frames[2] = 11;
	f->packets[0] = (struct packet_note){ .frame = 12, .ts_ns = T0 + SEC, .seq = 123456,
					      .flags = TH_RST, .dir = DIR_S2C,
					      .events = SEG_RST_EXACT };
	f->packets[1] = (struct packet_note){
		.frame = 10, .ts_ns = T0, .seq = 1, .ack = 201, .len = 100, .window = 1048576,
		.events = SEG_RETRANSMISSION | SEG_FIN, .flags = TH_FIN | TH_PUSH | TH_ACK,
		.dir = DIR_C2S, .state_after = { TCP_FIN_WAIT_1, TCP_ESTABLISHED },
		.seq_relative = true, .ack_relative = true
	};
	f->nevidence = 4;
	f->evidence[0] = (struct evidence){ .name = "challenge_acks", .type = EVIDENCE_INT,
					    .v.i = -3 };
	f->evidence[1] = (struct evidence){ .name = "ratio", .type = EVIDENCE_REAL, .v.r = 0.25 };
	f->evidence[2] = (struct evidence){ .name = "stale", .type = EVIDENCE_BOOL, .v.b = true };
	f->evidence[3].name = "stale_state";
	f->evidence[3].type = EVIDENCE_TEXT;
	snprintf(f->evidence[3].v.text, sizeof(f->evidence[3].v.text), "%s", "CLOSE-WAIT");
	snprintf(f->summary, sizeof(f->summary), "%s", "New SYN hit a stale CLOSE-WAIT socket");
	snprintf(f->explanation, sizeof(f->explanation), "%s",
		 "The server still held the old connection.\nIt answered with a challenge ACK.");
}

static void test_finding_host(struct finding *f)
{
	memset(f, 0, sizeof(*f));
	f->id = 1;
	f->kind = "close_wait_leak";
	f->severity = SEV_WARNING;
	f->confidence = 0.4567;
	f->first_ts_ns = T0 - SEC;
	f->last_ts_ns = T0;
	test_addr(&f->server, "198.51.100.7");
	snprintf(f->summary, sizeof(f->summary), "%s", "37 connections held in CLOSE-WAIT");
}

/* Writes one report to `name` and parses it back (NULL when anything failed). */
static cJSON *test_write_json(const char *name, struct capture_info *const *caps, size_t ncaps,
			      void (*feed)(struct report *r))
{
	struct report_output out = { REPORT_JSON, test_path(name) };
	struct report_options opts = { .tool_version = "1.2.3-test", .color = 0 };
	struct analyzer_stats stats = { .evicted = 2, .peak_open = 17 };
	char err[512] = "";
	struct report *r = report_new(&out, 1, &opts, err, sizeof(err));
	char path[512];
	int rc;

	CHECK(r != NULL);
	if (!r)
		return NULL;
	snprintf(path, sizeof(path), "%s", out.path);
	feed(r);
	CHECK(!test_exists(path));	/* nothing before the end */
	rc = report_finish(r, caps, ncaps, &stats, err, sizeof(err));
	CHECK_INT(rc, 0);
	if (rc)
		fprintf(stderr, "report_finish: %s\n", err);
	report_free(r);
	return test_parse(path);
}

/* --- tests --------------------------------------------------------------- */

static void test_timefmt(void)
{
	char b[TIMEFMT_LEN];

	CHECK_STR(timefmt_iso(T0, b, sizeof(b)), "2026-11-21T10:04:40.123456Z");
	CHECK_STR(timefmt_iso(0, b, sizeof(b)), "1970-01-01T00:00:00.000000Z");
	CHECK_STR(timefmt_iso(-1, b, sizeof(b)), "1969-12-31T23:59:59.999999Z");
	CHECK_STR(timefmt_iso(999, b, sizeof(b)), "1970-01-01T00:00:00.000000Z");
	CHECK_STR(timefmt_iso(1000, b, sizeof(b)), "1970-01-01T00:00:00.000001Z");
	CHECK_STR(timefmt_iso(-1001, b, sizeof(b)), "1969-12-31T23:59:59.999998Z");
	CHECK_STR(timefmt_iso(INT64_C(2147483648123456789), b, sizeof(b)),
		  "2038-01-19T03:14:08.123456Z");
	CHECK_STR(timefmt_iso(INT64_C(951782400) * SEC, b, sizeof(b)),
		  "2000-02-29T00:00:00.000000Z");
	CHECK_STR(timefmt_iso(INT64_C(4107542400) * SEC, b, sizeof(b)),
		  "2100-03-01T00:00:00.000000Z");
	CHECK_STR(timefmt_iso(INT64_MAX, b, sizeof(b)), "2262-04-11T23:47:16.854775Z");
	CHECK_STR(timefmt_iso(INT64_MIN, b, sizeof(b)), "1677-09-21T00:12:43.145224Z");
	CHECK_STR(timefmt_iso(T0, b, 10), "");

	CHECK_STR(timefmt_duration(3 * SEC + 299999999, b, sizeof(b)), "3.2 s");
	CHECK_STR(timefmt_duration(59 * SEC + 999999999, b, sizeof(b)), "59.9 s");
	CHECK_STR(timefmt_duration(64 * SEC, b, sizeof(b)), "1 min 4 s");
	CHECK_STR(timefmt_duration((2 * 3600 + 3 * 60 + 59) * SEC, b, sizeof(b)), "2 h 3 min");
	CHECK_STR(timefmt_duration((26 * 3600) * SEC, b, sizeof(b)), "1 d 2 h");
	CHECK_STR(timefmt_duration(12345678, b, sizeof(b)), "12 ms");
	CHECK_STR(timefmt_duration(850000, b, sizeof(b)), "850 us");
	CHECK_STR(timefmt_duration(0, b, sizeof(b)), "0 us");
	CHECK_STR(timefmt_duration(-64 * SEC, b, sizeof(b)), "-1 min 4 s");
	CHECK(timefmt_duration(INT64_MIN, b, sizeof(b))[0] == '-');
	CHECK_INT(timefmt_floor_div(-1, 1000), -1);
	CHECK_INT(timefmt_floor_div(1999, 1000), 1);
}

static void test_formats(void)
{
	CHECK_INT(report_format_from_path("out/report.json"), REPORT_JSON);
	CHECK_INT(report_format_from_path("REPORT.JSON"), REPORT_JSON);
	CHECK_INT(report_format_from_path("summary.txt"), REPORT_TEXT);
	CHECK_INT(report_format_from_path("report.html"), REPORT_HTML);
	CHECK_INT(report_format_from_path("Report.HTM"), REPORT_HTML);
	CHECK_INT(report_format_from_path("report.xhtml"), -1);
	CHECK_INT(report_format_from_path("dir.json/report"), -1);
	CHECK_INT(report_format_from_path("-"), -1);
	CHECK_INT(report_format_from_path("events.ndjson"), REPORT_NDJSON);
	CHECK_INT(report_format_from_path("EVENTS.JSONL"), REPORT_NDJSON);
	CHECK_INT(report_format_from_path("events.json.gz"), -1);
	CHECK_STR(report_format_name(REPORT_JSON), "json");
	CHECK_STR(report_format_name(REPORT_NDJSON), "ndjson");
	CHECK_STR(report_format_name(REPORT_TEXT), "text");
	CHECK_STR(report_format_name(REPORT_HTML), "html");
	CHECK_INT(report_format_from_name("json"), REPORT_JSON);
	CHECK_INT(report_format_from_name("ndjson"), REPORT_NDJSON);
	CHECK_INT(report_format_from_name("jsonl"), -1);
	CHECK_INT(report_format_from_name("text"), REPORT_TEXT);
	CHECK_INT(report_format_from_name("html"), REPORT_HTML);
	CHECK_INT(report_format_from_name("xml"), -1);
}

/* A leak roll-up of three sockets on 198.51.100.7:8080, two still open. */
static void test_feed_aggregate(struct report *r)
{
	struct aggregate g;

	memset(&g, 0, sizeof(g));
	g.scope = "listener";
	g.code = KIND_CLOSE_WAIT_LEAK;
	g.kind = "close_wait_leak";
	g.severity = SEV_CRITICAL;
	g.server.family = AF_INET;
	g.server.bytes[0] = 198, g.server.bytes[1] = 51, g.server.bytes[2] = 100;
	g.server.bytes[3] = 7;
	g.server_port = 8080;
	g.count = 3;
	g.first_ts_ns = 1700000000LL * SEC;
	g.last_ts_ns = g.first_ts_ns + 30 * SEC;
	g.nids = 2;
	g.finding_ids[0] = 4, g.finding_ids[1] = 1;
	g.connection_ids[0] = 9, g.connection_ids[1] = 8;
	g.summary_finding = 1;
	g.nseries = 2;
	g.series[0].ts_ns = g.first_ts_ns + SEC, g.series[0].open = 3;
	g.series[1].ts_ns = g.first_ts_ns + 2 * SEC, g.series[1].open = 2;
	g.peak_open = 3;
	g.open_at_end = 2;
	report_aggregate(r, &g);
}

static void test_feed_full(struct report *r)
{
	struct tcp_conn c;
	struct finding f;

	test_full_conn(&c);
	report_connection(r, &c);
	test_bare_conn(&c, 8);
	report_connection(r, &c);
	test_bare_conn(&c, 9);
	c.ep[SERVER].state = TCP_CLOSE_WAIT;
	report_connection(r, &c);
	/* Findings arrive out of id order; the document sorts them. */
	test_finding_conn(&f);
	report_finding(r, &f);
	test_finding_host(&f);
	report_finding(r, &f);
	test_feed_aggregate(r);
}

static void test_json_top(const cJSON *doc)
{
	JKEYS(doc, "schema_version", "tool", "captures", "summary", "connections", "findings",
	      "aggregates");
	CHECK_INT(jnum(doc, "schema_version"), 1);
	CHECK_STR(jstr(doc, "tool.name"), "tcpautopsy");
	CHECK_STR(jstr(doc, "tool.version"), "1.2.3-test");
	CHECK_INT(cJSON_GetArraySize(jget(doc, "aggregates")), 1);
}

static void test_json_aggregates(const cJSON *doc)
{
	const cJSON *g = jget(doc, "aggregates.0");

	JKEYS(g, "scope", "kind", "severity", "server", "count", "first_ts", "last_ts",
	      "per_minute", "summary_finding", "findings", "connections", "peak_close_wait",
	      "close_wait_at_end", "close_wait_over_time");
	CHECK_STR(jstr(g, "scope"), "listener");
	CHECK_STR(jstr(g, "kind"), "close_wait_leak");
	CHECK_STR(jstr(g, "severity"), "critical");
	CHECK_STR(jstr(g, "server.ip"), "198.51.100.7");
	CHECK_INT(jnum(g, "server.port"), 8080);
	CHECK_INT(jnum(g, "count"), 3);
	CHECK(near(jnum(g, "per_minute"), 6.0));
	CHECK_INT(jnum(g, "summary_finding"), 1);
	CHECK_INT(jnum(g, "findings.1"), 1);
	CHECK_INT(jnum(g, "connections.0"), 9);
	CHECK_INT(jnum(g, "close_wait_at_end"), 2);
	CHECK_INT(cJSON_GetArraySize(jget(g, "close_wait_over_time")), 2);
	CHECK_INT(jnum(g, "close_wait_over_time.1.close_wait"), 2);
}

static void test_json_captures(const cJSON *doc, const struct capture_info *jci)
{
	const cJSON *c0 = jget(doc, "captures.0"), *c1 = jget(doc, "captures.1");

	CHECK_INT(cJSON_GetArraySize(jget(doc, "captures")), 2);
	JKEYS(c0, "index", "file", "format", "timestamp_resolution", "snaplen", "link_types",
	      "packets", "filtered_packets", "tcp_packets", "non_tcp_packets", "ip_fragments", "unsupported_frames",
	      "truncated_tcp_segments", "malformed", "first_ts", "last_ts", "duration_s",
	      "continued", "vantage", "vantage_votes", "damaged");
	CHECK_INT(jnum(c0, "index"), 0);
	CHECK_STR(jstr(c0, "file"), "lab/server.pcapng");
	CHECK_STR(jstr(c0, "format"), "pcapng");
	CHECK_STR(jstr(c0, "timestamp_resolution"), "ns");
	CHECK_INT(jnum(c0, "snaplen"), 262144);
	CHECK_INT(jnum(c0, "link_types.0.linktype"), 1);
	CHECK_STR(jstr(c0, "link_types.0.name"), dissect_linktype_description(1));
	CHECK_INT(jnum(c0, "link_types.1.linktype"), 276);
	CHECK_STR(jstr(c0, "link_types.1.name"), dissect_linktype_description(276));
	CHECK_INT(jnum(c0, "packets"), 1000);
	CHECK_INT(jnum(c0, "tcp_packets"), 900);
	CHECK_INT(jnum(c0, "non_tcp_packets"), 80);
	CHECK_INT(jnum(c0, "ip_fragments"), 5);
	CHECK_INT(jnum(c0, "unsupported_frames"), 3);
	CHECK_INT(jnum(c0, "truncated_tcp_segments"), 7);
	CHECK_INT(cJSON_GetArraySize(jget(c0, "malformed")), 2);
	/* Sorted: "ip_truncated" before "tcp_options". */
	CHECK_STR(jget(c0, "malformed")->child->string, dissect_malformed_name(MAL_IP_TRUNCATED));
	CHECK_INT(jnum(c0, "malformed.ip_truncated"), 8);
	CHECK_INT(jnum(c0, "malformed.tcp_options"), 4);
	CHECK_STR(jstr(c0, "first_ts"), "2026-11-21T10:04:40.123456Z");
	CHECK_STR(jstr(c0, "last_ts"), "2026-11-21T10:05:44.123456Z");
	CHECK(near(jnum(c0, "duration_s"), 64.0));
	CHECK(jfalse(c0, "continued"));
	CHECK_STR(jstr(c0, "vantage"), vantage_name(capture_vantage(jci)));
	CHECK_INT(cJSON_GetArraySize(jget(c0, "vantage_votes")), 2);
	CHECK_INT(jnum(c0, "vantage_votes.near_server"), 9);
	CHECK_INT(jnum(c0, "vantage_votes.mid_path"), 1);
	CHECK_INT(jnum(c0, "damaged.after_frame"), 1000);
	CHECK_STR(jstr(c0, "damaged.error"), "truncated dump file; tried to read 16 bytes");

	CHECK_STR(jstr(c1, "timestamp_resolution"), "us");
	CHECK_INT(cJSON_GetArraySize(jget(c1, "link_types")), 0);
	CHECK_INT(cJSON_GetArraySize(jget(c1, "malformed")), 0);
	CHECK(jnull(c1, "first_ts"));
	CHECK(jnull(c1, "last_ts"));
	CHECK(cJSON_IsNumber(jget(c1, "duration_s")));
	CHECK(jtrue(c1, "continued"));
	CHECK_STR(jstr(c1, "vantage"), vantage_name(VANTAGE_UNKNOWN));
	CHECK(jnull(c1, "damaged"));
}

static void test_json_summary(const cJSON *doc)
{
	const cJSON *s = jget(doc, "summary"), *fs = jget(doc, "summary.final_states");
	char est[64], cw[64], closed[64];

	JKEYS(s, "connections", "findings", "by_severity", "final_states", "evicted",
	      "peak_open_connections");
	CHECK_INT(jnum(s, "connections"), 3);
	CHECK_INT(jnum(s, "findings"), 2);
	JKEYS(jget(s, "by_severity"), "critical", "warning", "info");
	CHECK_INT(jnum(s, "by_severity.critical"), 1);
	CHECK_INT(jnum(s, "by_severity.warning"), 1);
	CHECK_INT(jnum(s, "by_severity.info"), 0);
	snprintf(est, sizeof(est), "%s/%s", tcp_state_name(TCP_ESTABLISHED),
		 tcp_state_name(TCP_ESTABLISHED));
	snprintf(cw, sizeof(cw), "%s/%s", tcp_state_name(TCP_ESTABLISHED),
		 tcp_state_name(TCP_CLOSE_WAIT));
	snprintf(closed, sizeof(closed), "%s/%s", tcp_state_name(TCP_CLOSED),
		 tcp_state_name(TCP_CLOSE_WAIT));
	CHECK_INT(cJSON_GetArraySize(fs), 3);
	CHECK_INT(cJSON_GetObjectItemCaseSensitive(fs, est)->valuedouble, 1);
	CHECK_INT(cJSON_GetObjectItemCaseSensitive(fs, cw)->valuedouble, 1);
	CHECK_INT(cJSON_GetObjectItemCaseSensitive(fs, closed)->valuedouble, 1);
	for (const cJSON *a = fs->child; a && a->next; a = a->next)
		CHECK(strcmp(a->string, a->next->string) < 0);
	CHECK_INT(jnum(s, "evicted"), 2);
	CHECK_INT(jnum(s, "peak_open_connections"), 17);
}

static void test_json_full_conn(const cJSON *c)
{
	JKEYS(c, "id", "client", "server", "first_ts", "last_ts", "duration_s", "first_frame",
	      "last_frame", "capture", "last_capture", "client_state", "server_state", "end",
	      "history", "flags", "packets", "bytes", "retransmissions", "handshake_rtt_us",
	      "vantage", "previous", "previous_gap_us", "previous_states", "findings",
	      "endpoints");
	CHECK_INT(jnum(c, "id"), 7);
	CHECK_STR(jstr(c, "client.ip"), "192.0.2.1");
	CHECK_INT(jnum(c, "client.port"), 40000);
	CHECK_STR(jstr(c, "server.ip"), "192.0.2.2");
	CHECK_INT(jnum(c, "server.port"), 8080);
	CHECK_STR(jstr(c, "first_ts"), "2026-11-21T10:04:40.123456Z");
	CHECK_STR(jstr(c, "last_ts"), "2026-11-21T10:04:43.323457Z");
	CHECK(near(jnum(c, "duration_s"), 3.200001));
	CHECK_INT(jnum(c, "first_frame"), 10);
	CHECK_INT(jnum(c, "last_frame"), 99);
	CHECK_INT(jnum(c, "capture"), 0);
	CHECK_INT(jnum(c, "last_capture"), 1);
	CHECK_STR(jstr(c, "client_state"), tcp_state_name(TCP_CLOSED));
	CHECK_STR(jstr(c, "server_state"), tcp_state_name(TCP_CLOSE_WAIT));
	CHECK_STR(jstr(c, "end"), conn_end_name(END_RESET));
	CHECK_STR(jstr(c, "history"), "ShADadR");
	CHECK_INT(cJSON_GetArraySize(jget(c, "flags")), 3);
	CHECK_STR(jstr(c, "flags.0"), "midstream");
	CHECK_STR(jstr(c, "flags.1"), "reset");
	CHECK_STR(jstr(c, "flags.2"), "half_close");
	CHECK_INT(jnum(c, "packets.client"), 50);
	CHECK_INT(jnum(c, "packets.server"), 40);
	CHECK_INT(jnum(c, "bytes.client"), 10000);
	CHECK_INT(jnum(c, "bytes.server"), 1 << 20);
	CHECK_INT(jnum(c, "retransmissions.client"), 2);
	CHECK_INT(jnum(c, "retransmissions.server"), 9);
	CHECK_INT(jnum(c, "handshake_rtt_us"), 1234);
	CHECK_STR(jstr(c, "vantage"), vantage_name(VANTAGE_NEAR_SERVER));
	CHECK_INT(jnum(c, "previous"), 3);
	CHECK_INT(jnum(c, "previous_gap_us"), 2500);
	CHECK_STR(jstr(c, "previous_states.client"), tcp_state_name(TCP_FIN_WAIT_2));
	CHECK_STR(jstr(c, "previous_states.server"), tcp_state_name(TCP_CLOSE_WAIT));
	CHECK_INT(cJSON_GetArraySize(jget(c, "findings")), 2);
	CHECK_INT(jnum(c, "findings.0"), 1);
	CHECK_INT(jnum(c, "findings.1"), 4);
}

static void test_json_endpoints(const cJSON *c)
{
	const cJSON *cl = jget(c, "endpoints.client"), *sv = jget(c, "endpoints.server");

	JKEYS(jget(c, "endpoints"), "client", "server");
	JKEYS(cl, "isn", "mss", "wscale", "wscale_offered", "sack_permitted", "timestamps",
	      "out_of_order", "dup_acks", "zero_windows", "keepalives", "window_probes",
	      "missing_bytes", "syns", "fins", "rsts", "fin_frame", "timeline",
	      "timeline_elided");
	CHECK_INT(jnum(cl, "isn"), 4000000000u);
	CHECK_INT(jnum(cl, "mss"), 1460);
	CHECK_INT(jnum(cl, "wscale"), 7);
	CHECK_INT(jnum(cl, "wscale_offered"), 7);
	CHECK(jtrue(cl, "sack_permitted"));
	CHECK(jtrue(cl, "timestamps"));
	CHECK_INT(jnum(cl, "out_of_order"), 1);
	CHECK_INT(jnum(cl, "dup_acks"), 3);
	CHECK_INT(jnum(cl, "zero_windows"), 4);
	CHECK_INT(jnum(cl, "keepalives"), 5);
	CHECK_INT(jnum(cl, "window_probes"), 6);
	CHECK_INT(jnum(cl, "missing_bytes"), 1448);
	CHECK_INT(jnum(cl, "syns"), 1);
	CHECK_INT(jnum(cl, "fins"), 1);
	CHECK_INT(jnum(cl, "rsts"), 1);
	CHECK_INT(jnum(cl, "fin_frame"), 80);
	CHECK_INT(cJSON_GetArraySize(jget(cl, "timeline")), 3);
	JKEYS(jget(cl, "timeline.0"), "state", "ts", "frame", "capture", "presumed");
	CHECK_STR(jstr(cl, "timeline.0.state"), tcp_state_name(TCP_SYN_SENT));
	CHECK_STR(jstr(cl, "timeline.0.ts"), "2026-11-21T10:04:40.123456Z");
	CHECK_INT(jnum(cl, "timeline.0.frame"), 10);
	CHECK_INT(jnum(cl, "timeline.0.capture"), 0);
	CHECK(jfalse(cl, "timeline.0.presumed"));
	CHECK_STR(jstr(cl, "timeline.1.ts"), "2026-11-21T10:04:40.123457Z");
	CHECK(jnull(cl, "timeline.2.frame"));
	CHECK(jtrue(cl, "timeline.2.presumed"));
	CHECK_INT(jnum(cl, "timeline_elided"), 2);

	CHECK(jnull(sv, "isn"));
	CHECK(jnull(sv, "mss"));
	CHECK_INT(jnum(sv, "wscale"), 0);
	CHECK(jnull(sv, "wscale_offered"));
	CHECK(jfalse(sv, "sack_permitted"));
	CHECK(jfalse(sv, "timestamps"));
	CHECK(jnull(sv, "fin_frame"));
	CHECK_STR(jstr(sv, "timeline.1.state"), tcp_state_name(TCP_CLOSE_WAIT));
	CHECK_INT(jnum(sv, "timeline_elided"), 0);
}

static void test_json_bare_conn(const cJSON *c)
{
	CHECK_INT(jnum(c, "id"), 8);
	CHECK_STR(jstr(c, "client.ip"), "2001:db8::1");
	CHECK_STR(jstr(c, "server.ip"), "2001:db8::2");
	CHECK_INT(jnum(c, "server.port"), 443);
	CHECK(jnum(c, "duration_s") == 0.0);
	CHECK_INT(cJSON_GetArraySize(jget(c, "flags")), 0);
	CHECK(jnull(c, "handshake_rtt_us"));
	CHECK(jnull(c, "previous"));
	CHECK(jget(c, "previous_gap_us") == NULL);
	CHECK(jget(c, "previous_states") == NULL);
	CHECK_INT(cJSON_GetArraySize(jget(c, "findings")), 0);
	CHECK_INT(cJSON_GetArraySize(jget(c, "endpoints.client.timeline")), 0);
}

/* The notes of test_finding_conn() in frame order; frame 11 has none. */
static void test_json_packets(const cJSON *p)
{
	CHECK_INT(cJSON_GetArraySize(p), 2);
	JKEYS(jget(p, "0"), "frame", "ts", "direction", "flags", "seq", "seq_relative", "ack",
	      "ack_relative", "len", "window", "events", "client_state", "server_state");
	CHECK_INT(jnum(p, "0.frame"), 10);
	CHECK_STR(jstr(p, "0.ts"), "2026-11-21T10:04:40.123456Z");
	CHECK_STR(jstr(p, "0.direction"), "client_to_server");
	CHECK_INT(cJSON_GetArraySize(jget(p, "0.flags")), 3);
	CHECK_STR(jstr(p, "0.flags.0"), "FIN");
	CHECK_STR(jstr(p, "0.flags.1"), "PSH");
	CHECK_STR(jstr(p, "0.flags.2"), "ACK");
	CHECK_INT(jnum(p, "0.seq"), 1);
	CHECK(jtrue(p, "0.seq_relative"));
	CHECK_INT(jnum(p, "0.ack"), 201);
	CHECK(jtrue(p, "0.ack_relative"));
	CHECK_INT(jnum(p, "0.len"), 100);
	CHECK_INT(jnum(p, "0.window"), 1048576);
	CHECK_INT(cJSON_GetArraySize(jget(p, "0.events")), 2);
	CHECK_STR(jstr(p, "0.events.0"), "retransmission");
	CHECK_STR(jstr(p, "0.events.1"), "fin");
	CHECK_STR(jstr(p, "0.client_state"), "FIN-WAIT-1");
	CHECK_STR(jstr(p, "0.server_state"), "ESTABLISHED");

	CHECK_INT(jnum(p, "1.frame"), 12);
	CHECK_STR(jstr(p, "1.direction"), "server_to_client");
	CHECK_INT(cJSON_GetArraySize(jget(p, "1.flags")), 1);
	CHECK_STR(jstr(p, "1.flags.0"), "RST");
	CHECK_INT(jnum(p, "1.seq"), 123456);
	CHECK(jfalse(p, "1.seq_relative"));
	CHECK(jnull(p, "1.ack"));
	CHECK(jfalse(p, "1.ack_relative"));
	CHECK_STR(jstr(p, "1.events.0"), "rst_exact");
	CHECK_STR(jstr(p, "1.client_state"), "CLOSED");
}

static void test_json_findings(const cJSON *doc)
{
	const cJSON *f0 = jget(doc, "findings.0"), *f1 = jget(doc, "findings.1");

	CHECK_INT(cJSON_GetArraySize(jget(doc, "findings")), 2);
	JKEYS(f0, "id", "kind", "scope", "severity", "confidence", "first_ts", "last_ts", "connection",
	      "related", "client", "server", "capture", "frames", "packets", "summary",
	      "explanation", "evidence");
	/* Sorted by id: the host finding (1) before the connection's (4). */
	CHECK_INT(jnum(f0, "id"), 1);
	CHECK_STR(jstr(f0, "kind"), "close_wait_leak");
	CHECK_STR(jstr(f0, "severity"), severity_name(SEV_WARNING));
	CHECK(near(jnum(f0, "confidence"), 0.457));
	CHECK(jnull(f0, "connection"));
	CHECK(jnull(f0, "related"));
	CHECK(jnull(f0, "client"));
	CHECK_STR(jstr(f0, "server.ip"), "198.51.100.7");
	CHECK(jnull(f0, "server.port"));
	CHECK_INT(cJSON_GetArraySize(jget(f0, "frames")), 0);
	CHECK_INT(cJSON_GetArraySize(jget(f0, "packets")), 0);
	CHECK_STR(jstr(f0, "explanation"), "");
	CHECK_INT(cJSON_GetArraySize(jget(f0, "evidence")), 0);

	CHECK_INT(jnum(f1, "id"), 4);
	CHECK_STR(jstr(f1, "kind"), "syn_into_close_wait");
	CHECK_STR(jstr(f1, "severity"), severity_name(SEV_CRITICAL));
	CHECK(near(jnum(f1, "confidence"), 0.9));
	CHECK_STR(jstr(f1, "first_ts"), "2026-11-21T10:04:40.123456Z");
	CHECK_STR(jstr(f1, "last_ts"), "2026-11-21T10:04:41.123456Z");
	CHECK_INT(jnum(f1, "connection"), 7);
	CHECK_INT(jnum(f1, "related"), 3);
	CHECK_STR(jstr(f1, "client.ip"), "192.0.2.1");
	CHECK_INT(jnum(f1, "client.port"), 40000);
	CHECK_INT(jnum(f1, "server.port"), 8080);
	CHECK_INT(jnum(f1, "capture"), 0);
	CHECK_INT(cJSON_GetArraySize(jget(f1, "frames")), 3);
	CHECK_INT(jnum(f1, "frames.2"), 12);
	test_json_packets(jget(f1, "packets"));
	CHECK_STR(jstr(f1, "summary"), "New SYN hit a stale CLOSE-WAIT socket");
	CHECK_STR(jstr(f1, "explanation"),
		  "The server still held the old connection.\nIt answered with a challenge ACK.");
	JKEYS(jget(f1, "evidence"), "challenge_acks", "ratio", "stale", "stale_state");
	CHECK_INT(jnum(f1, "evidence.challenge_acks"), -3);
	CHECK(jnum(f1, "evidence.ratio") == 0.25);
	CHECK(jtrue(f1, "evidence.stale"));
	CHECK_STR(jstr(f1, "evidence.stale_state"), "CLOSE-WAIT");
}

static void test_json_document(void)
{
	struct capture_info ci[2];
	struct capture_info *caps[2] = { &ci[0], &ci[1] };
	cJSON *doc;
	char *text;

	test_capture(&ci[0]);
	test_empty_capture(&ci[1]);
	doc = test_write_json("full.json", caps, 2, test_feed_full);
	CHECK(doc != NULL);
	if (!doc)
		return;
	test_json_top(doc);
	test_json_aggregates(doc);
	test_json_captures(doc, &ci[0]);
	test_json_summary(doc);
	CHECK_INT(cJSON_GetArraySize(jget(doc, "connections")), 3);
	test_json_full_conn(jget(doc, "connections.0"));
	test_json_endpoints(jget(doc, "connections.0"));
	test_json_bare_conn(jget(doc, "connections.1"));
	CHECK_INT(jnum(doc, "connections.2.id"), 9);
	test_json_findings(doc);
	cJSON_Delete(doc);
	CHECK_INT(test_count_entries(test_dir), 1);	/* no temporary left */

	/* Fixed-precision figures are written with their decimals. */
	text = test_slurp(test_path("full.json"), NULL);
	CHECK(text && strstr(text, "\"duration_s\":\t3.200001,"));
	CHECK(text && strstr(text, "\"duration_s\":\t64.000000,"));
	CHECK(text && strstr(text, "\"confidence\":\t0.900,"));
	free(text);
	unlink(test_path("full.json"));
}

static void test_feed_nothing(struct report *r)
{
	(void)r;
}

static void test_json_empty(void)
{
	cJSON *doc = test_write_json("empty.json", NULL, 0, test_feed_nothing);

	CHECK(doc != NULL);
	CHECK_INT(cJSON_GetArraySize(jget(doc, "captures")), 0);
	CHECK_INT(cJSON_GetArraySize(jget(doc, "connections")), 0);
	CHECK_INT(cJSON_GetArraySize(jget(doc, "findings")), 0);
	CHECK_INT(cJSON_GetArraySize(jget(doc, "summary.final_states")), 0);
	CHECK_INT(jnum(doc, "summary.connections"), 0);
	cJSON_Delete(doc);
	unlink(test_path("empty.json"));
}

/* File names and texts with quotes, control characters, valid non-ASCII and an
 * invalid UTF-8 byte all come out as valid JSON. */
static const char test_hostile_name[] =
	"caf\xc3\xa9 \"q\"\\ \t\n\x01\x1b[31m \xff\xfe \xf0\x9f\x98\x80\xed\xa0\x80\xc0\xaf end.pcap";

static void test_feed_hostile(struct report *r)
{
	struct finding f;

	test_finding_conn(&f);
	snprintf(f.summary, sizeof(f.summary), "%s", test_hostile_name);
	memset(f.explanation, 'x', sizeof(f.explanation));	/* unterminated */
	report_finding(r, &f);
}

/* U+FFFD replacement characters, one per invalid byte. */
#define R1 "\xef\xbf\xbd"
#define R2 R1 R1
#define R3 R1 R1 R1

static void test_json_strings(void)
{
	struct capture_info ci;
	struct capture_info *caps[1] = { &ci };
	cJSON *doc;
	char *text;
	size_t len = 0;

	test_empty_capture(&ci);
	snprintf(ci.file, sizeof(ci.file), "%s", test_hostile_name);
	doc = test_write_json("strings.json", caps, 1, test_feed_hostile);
	CHECK(doc != NULL);
	CHECK_STR(jstr(doc, "captures.0.file"),
		  "caf\xc3\xa9 \"q\"\\ \t\n\x01\x1b[31m \xef\xbf\xbd\xef\xbf\xbd "
		  "\xf0\x9f\x98\x80" R3 R2 " end.pcap");
	CHECK_STR(jstr(doc, "findings.0.summary"), jstr(doc, "captures.0.file"));
	/* An unterminated buffer is cut at its size, never read past. */
	CHECK(jstr(doc, "findings.0.explanation") != NULL);
	if (jstr(doc, "findings.0.explanation"))
		CHECK_INT(strlen(jstr(doc, "findings.0.explanation")),
			  sizeof(((struct finding *)0)->explanation) - 1);
	cJSON_Delete(doc);
	text = test_slurp(test_path("strings.json"), &len);
	CHECK(text && test_valid_utf8((const unsigned char *)text, len));
	for (size_t i = 0; text && i < len; i++)
		if ((unsigned char)text[i] < 0x20 && text[i] != '\n' && text[i] != '\t')
			CHECK(!"raw control character in JSON");
	free(text);
	unlink(test_path("strings.json"));
}

/* An output that cannot be written fails with its name, leaves no temporary
 * file, and does not stop the other outputs. */
static void test_atomic_failures(void)
{
	struct report_output outs[2];
	struct report_options opts = { .tool_version = "t", .color = 0 };
	char err[512] = "", missing[512], isdir[512], good[512];
	struct report *r;
	struct tcp_conn c;

	snprintf(missing, sizeof(missing), "%s/no/such/dir/out.json", test_dir);
	snprintf(isdir, sizeof(isdir), "%s/taken.json", test_dir);
	snprintf(good, sizeof(good), "%s/good.txt", test_dir);
	CHECK_INT(mkdir(isdir, 0755), 0);

	outs[0] = (struct report_output){ REPORT_JSON, missing };
	r = report_new(outs, 1, &opts, err, sizeof(err));
	CHECK(r != NULL);
	test_bare_conn(&c, 1);
	report_connection(r, &c);
	CHECK_INT(report_finish(r, NULL, 0, NULL, err, sizeof(err)), -1);
	CHECK(strncmp(err, missing, strlen(missing)) == 0);
	CHECK(strstr(err, strerror(ENOENT)) != NULL);
	report_free(r);

	/* The temporary is written, then rename() onto a directory fails. */
	outs[0] = (struct report_output){ REPORT_JSON, isdir };
	outs[1] = (struct report_output){ REPORT_TEXT, good };
	err[0] = '\0';
	r = report_new(outs, 2, &opts, err, sizeof(err));
	CHECK(r != NULL);
	report_connection(r, &c);
	CHECK_INT(report_finish(r, NULL, 0, NULL, err, sizeof(err)), -1);
	CHECK(strncmp(err, isdir, strlen(isdir)) == 0);
	CHECK(strstr(err, "renaming") != NULL);
	report_free(r);
	CHECK(test_exists(good));
	CHECK_INT(test_count_entries(test_dir), 2);	/* taken.json/ and good.txt */
	CHECK_INT(test_count_entries(isdir), 0);
	rmdir(isdir);
	unlink(good);
}

/* "-" writes straight to standard output, with no temporary file. */
static void test_stdout(void)
{
	struct report_output out = { REPORT_JSON, "-" };
	struct report_options opts = { .tool_version = "t", .color = 0 };
	char err[512] = "";
	struct report *r = report_new(&out, 1, &opts, err, sizeof(err));
	struct tcp_conn c;
	int saved, fd;
	cJSON *doc;

	CHECK(r != NULL);
	if (!r)
		return;
	test_bare_conn(&c, 5);
	report_connection(r, &c);
	fflush(stdout);
	saved = dup(STDOUT_FILENO);
	fd = open(test_path("stdout.json"), O_WRONLY | O_CREAT | O_TRUNC, 0644);
	CHECK(saved >= 0 && fd >= 0);
	dup2(fd, STDOUT_FILENO);
	close(fd);
	CHECK_INT(report_finish(r, NULL, 0, NULL, err, sizeof(err)), 0);
	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	report_free(r);
	doc = test_parse(test_path("stdout.json"));
	CHECK_INT(jnum(doc, "connections.0.id"), 5);
	cJSON_Delete(doc);
	CHECK_INT(test_count_entries(test_dir), 1);
	unlink(test_path("stdout.json"));
}

/* The spool goes to $TMPDIR; when that cannot be used, report_new says so. */
static void test_bad_spool_dir(void)
{
	struct report_output out = { REPORT_JSON, test_path("never.json") };
	struct report_options opts = { .tool_version = "t", .color = 0 };
	const char *old = getenv("TMPDIR");
	char saved[512] = "", err[512] = "";
	struct report *r;

	if (old)
		snprintf(saved, sizeof(saved), "%s", old);
	setenv("TMPDIR", "/nonexistent/tcpautopsy-test", 1);
	r = report_new(&out, 1, &opts, err, sizeof(err));
	CHECK(r == NULL);
	CHECK(strstr(err, "/nonexistent/tcpautopsy-test") != NULL);
	CHECK(strncmp(err, out.path, strlen(out.path)) == 0);
	CHECK(strstr(err, "connection spool") != NULL);
	report_free(r);
	if (old)
		setenv("TMPDIR", saved, 1);
	else
		unsetenv("TMPDIR");
	/* A text output needs no spool. */
	out.format = REPORT_TEXT;
	r = report_new(&out, 1, &opts, err, sizeof(err));
	CHECK(r != NULL);
	report_free(r);
	CHECK(!test_exists(out.path));
}

/* Live cJSON allocations, counted through cJSON's hooks. */
static long test_live_allocs;

static void *test_counting_malloc(size_t n)
{
	void *p = malloc(n);

	if (p)
		test_live_allocs++;
	return p;
}

static void test_counting_free(void *p)
{
	if (p)
		test_live_allocs--;
	free(p);
}

/* Counts connection objects in a written document without parsing it whole:
 * each starts with its "id" key at the third level. */
static long test_count_ids(const char *path)
{
	FILE *f = fopen(path, "r");
	char line[256];
	long n = 0;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, "\t\t\t\"id\":\t", 9) == 0)
			n++;
	fclose(f);
	return n;
}

static void test_streaming(void)
{
	cJSON_Hooks hooks = { test_counting_malloc, test_counting_free };
	struct report_output out = { REPORT_JSON, test_path("big.json") };
	struct report_options opts = { .tool_version = "t", .color = 0 };
	struct tcp_conn c;
	char err[512] = "", path[512];
	struct report *r;
	long leaked = 0;

	snprintf(path, sizeof(path), "%s", out.path);
	cJSON_InitHooks(&hooks);
	r = report_new(&out, 1, &opts, err, sizeof(err));
	CHECK(r != NULL);
	if (!r)
		goto out_hooks;
	test_full_conn(&c);
	for (uint64_t id = 1; id <= 100000; id++) {
		c.id = id;
		report_connection(r, &c);
		/* Nothing built for a connection outlives its spooling. */
		if (test_live_allocs != 0)
			leaked++;
	}
	CHECK_INT(leaked, 0);
	CHECK(!test_exists(path));
	CHECK_INT(report_finish(r, NULL, 0, NULL, err, sizeof(err)), 0);
	report_free(r);
	CHECK_INT(test_live_allocs, 0);
	CHECK_INT(test_count_ids(path), 100000);
	unlink(path);
out_hooks:
	cJSON_InitHooks(NULL);
}

static void test_feed_text(struct report *r)
{
	struct tcp_conn c;
	struct finding f;

	for (uint64_t id = 1; id <= 3; id++) {
		test_bare_conn(&c, id);
		report_connection(r, &c);
	}
	test_full_conn(&c);
	report_connection(r, &c);
	test_finding_host(&f);
	f.severity = SEV_INFO;
	report_finding(r, &f);
	test_finding_conn(&f);
	report_finding(r, &f);
	test_finding_host(&f);
	f.id = 2;
	report_finding(r, &f);
	/* A finding about a capture file: no endpoints at all. */
	memset(&f, 0, sizeof(f));
	f.id = 3;
	f.kind = "capture_truncated";
	f.severity = SEV_INFO;
	snprintf(f.summary, sizeof(f.summary), "%s", "the file ends in a record");
	report_finding(r, &f);
}

static char *test_write_text(int color, const char *file)
{
	struct report_output out = { REPORT_TEXT, test_path("summary.txt") };
	struct report_options opts = { .tool_version = "1.2.3", .color = color };
	struct capture_info ci;
	struct capture_info *caps[1] = { &ci };
	char err[512] = "";
	struct report *r = report_new(&out, 1, &opts, err, sizeof(err));
	char *text;

	CHECK(r != NULL);
	if (!r)
		return NULL;
	test_capture(&ci);
	snprintf(ci.file, sizeof(ci.file), "%s", file);
	test_feed_text(r);
	CHECK_INT(report_finish(r, caps, 1, NULL, err, sizeof(err)), 0);
	report_free(r);
	text = test_slurp(test_path("summary.txt"), NULL);
	unlink(test_path("summary.txt"));
	return text;
}

static void test_text(void)
{
	char *text = test_write_text(0, "evil\x1b]0;title\x07.pcap");
	char line[128];
	const char *crit, *warn, *info;

	CHECK(text != NULL);
	if (!text)
		return;
	line[0] = '\0';
	sscanf(text, "%127[^\n]", line);
	CHECK_STR(line, "tcpautopsy 1.2.3: 1 capture, 1000 packets, 900 TCP packets, "
			"4 connections, 4 findings (1 critical, 1 warning, 2 info)");
	CHECK(strchr(text, '\x1b') == NULL && strchr(text, '\x07') == NULL);
	CHECK(strstr(text, "  evil?]0;title?.pcap: pcapng, ") != NULL);
	CHECK(strstr(text, "2026-11-21T10:04:40.123456Z to 2026-11-21T10:05:44.123456Z "
			   "(1 min 4 s)") != NULL);
	CHECK(strstr(text, "12 malformed, 5 IP fragments, 7 truncated TCP segments") != NULL);
	CHECK(strstr(text, "damaged after frame 1000: truncated dump file") != NULL);
	CHECK(strstr(text, "Connections by final state (client / server)") != NULL);
	snprintf(line, sizeof(line), "  %s / %s  3\n", tcp_state_name(TCP_ESTABLISHED),
		 tcp_state_name(TCP_ESTABLISHED));
	CHECK(strstr(text, line) != NULL);
	/* One row per finding, its columns padded to the longest kind and place;
	 * most severe first; a capture finding is placed in its file. */
	crit = strstr(text, "\n  critical  syn_into_close_wait  192.0.2.1:40000 -> 192.0.2.2:8080  "
			    "New SYN hit a stale CLOSE-WAIT socket\n");
	warn = strstr(text, "\n  warning   close_wait_leak      host 198.51.100.7                  "
			    "37 connections held in CLOSE-WAIT\n");
	info = strstr(text, "\n  info      close_wait_leak      host 198.51.100.7                  "
			    "37 connections held in CLOSE-WAIT\n");
	CHECK(crit && warn && info);
	CHECK(crit && warn && crit < warn);
	/* The info finding (id 1) comes after the warning (id 2). */
	CHECK(warn && info && warn < info);
	CHECK(strstr(text, "\n  info      capture_truncated    evil?]0;title?.pcap                "
			   "the file ends in a record\n") != NULL);
	free(text);

	/* Colour marks the severity words, and the headings in bold; nothing else. */
	text = test_write_text(1, "plain.pcap");
	CHECK(text && strstr(text, "(1 \x1b[1;31mcritical\x1b[0m, 1 \x1b[33mwarning\x1b[0m, "
				   "2 \x1b[36minfo\x1b[0m)\n") != NULL);
	CHECK(text && strstr(text, "\n  \x1b[1;31mcritical\x1b[0m  syn_into_close_wait  ") != NULL);
	CHECK(text && strstr(text, "\n\x1b[1mFindings\x1b[0m\n") != NULL);
	free(text);
}

static void test_text_no_findings(void)
{
	struct report_output out = { REPORT_TEXT, test_path("none.txt") };
	struct report_options opts = { .tool_version = "1", .color = 0 };
	char err[512] = "";
	struct report *r = report_new(&out, 1, &opts, err, sizeof(err));
	char *text;

	CHECK(r != NULL);
	if (!r)
		return;
	CHECK_INT(report_finish(r, NULL, 0, NULL, err, sizeof(err)), 0);
	report_free(r);
	text = test_slurp(test_path("none.txt"), NULL);
	CHECK(text && strstr(text, "\nNo findings.\n") != NULL);
	CHECK(text && strstr(text, "Connections by final state") == NULL);
	free(text);
	unlink(test_path("none.txt"));
}

int main(void)
{
	const char *tmp = getenv("TMPDIR");

	snprintf(test_dir, sizeof(test_dir), "%s/test_report.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(test_dir)) {
		perror("mkdtemp");
		return 99;
	}
	RUN(test_timefmt);
	RUN(test_formats);
	RUN(test_json_document);
	RUN(test_json_empty);
	RUN(test_json_strings);
	RUN(test_atomic_failures);
	RUN(test_stdout);
	RUN(test_bad_spool_dir);
	RUN(test_streaming);
	RUN(test_text);
	RUN(test_text_no_findings);
	CHECK_INT(test_count_entries(test_dir), 0);
	rmdir(test_dir);
	return check_done("test_report");
}
