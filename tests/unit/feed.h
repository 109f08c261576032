/*
 * feed.h - drives a whole analyzer with hand-built segments and keeps what
 * comes out, for the detector tests.
 *
 * A test writes a conversation the way kernel-signatures.md describes it
 * (feed_send(..., FROM_C, TH_SYN, isn, 0, 0, t)), calls feed_finish(), and
 * looks at the findings with feed_count() / feed_find(). Options (timestamps,
 * MSS, window scale) are set on the segment with the feed_opt_* helpers
 * between feed_seg() and feed_push().
 */
#ifndef TCPAUTOPSY_TESTS_FEED_H
#define TCPAUTOPSY_TESTS_FEED_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#include "analyzer/aggregate.h"
#include "analyzer/analyzer.h"
#include "analyzer/outcome.h"
#include "tests/unit/check.h"

#define NS 1000000000LL
#define MS 1000000LL
#define US 1000LL
#define T0 (1700000000LL * NS)
#define FEED_MAX 256

enum { FROM_S = 0, FROM_C = 1 };

struct feed {
	struct analyzer *a;
	struct analyzer_config cfg;
	uint64_t frame;
	int nfindings;
	struct finding findings[FEED_MAX];
	int nconns;
	uint64_t conn_ids[FEED_MAX];
	enum tcp_state final_state[FEED_MAX][2];
	enum conn_outcome outcome[FEED_MAX];
	int naggregates;
	struct aggregate aggregates[FEED_MAX];
	uint16_t ip_ids[2];	/* last IPv4 ID per direction (feed_next_ip_id) */
	bool doubled;		/* feed_push_copies() feeds every segment twice */
};

static struct feed feed;

struct feed_tuple {
	struct ip_addr c, s;
	uint16_t cport, sport;
};

static inline void feed_on_conn(void *ctx, const struct tcp_conn *c)
{
	struct feed *f = ctx;

	if (f->nconns < FEED_MAX) {
		f->conn_ids[f->nconns] = c->id;
		f->final_state[f->nconns][CLIENT] = c->ep[CLIENT].state;
		f->final_state[f->nconns][SERVER] = c->ep[SERVER].state;
		f->outcome[f->nconns] = conn_outcome(c);
		f->nconns++;
	}
}

static inline void feed_on_finding(void *ctx, const struct finding *fi)
{
	struct feed *f = ctx;

	if (f->nfindings < FEED_MAX)
		f->findings[f->nfindings++] = *fi;
}

static inline void feed_on_aggregate(void *ctx, const struct aggregate *g)
{
	struct feed *f = ctx;

	if (f->naggregates < FEED_MAX)
		f->aggregates[f->naggregates++] = *g;
}

/* Starts a fresh analyzer with the default configuration; change
 * feed.cfg before calling feed_start_cfg() to test thresholds. */
static inline void feed_start_cfg(void)
{
	struct analyzer_sink sink = { &feed, feed_on_conn, feed_on_finding, feed_on_aggregate };
	struct analyzer_config cfg = feed.cfg;

	memset(&feed, 0, sizeof(feed));
	feed.cfg = cfg;
	feed.a = analyzer_new(&feed.cfg, &sink);
}

static inline void feed_start(void)
{
	analyzer_config_default(&feed.cfg);
	feed_start_cfg();
}

static inline struct ip_addr feed_v4(uint32_t a)
{
	struct ip_addr ip;

	memset(&ip, 0, sizeof(ip));
	ip.family = AF_INET;
	ip.bytes[0] = (uint8_t)(a >> 24);
	ip.bytes[1] = (uint8_t)(a >> 16);
	ip.bytes[2] = (uint8_t)(a >> 8);
	ip.bytes[3] = (uint8_t)a;
	return ip;
}

/* 192.0.2.1:cport -> 192.0.2.2:sport */
static inline struct feed_tuple feed_tuple(uint16_t cport, uint16_t sport)
{
	struct feed_tuple t = { feed_v4(0xc0000201), feed_v4(0xc0000202), cport, sport };

	return t;
}

/* A segment of t (from the client when from_c), not yet fed. The window is
 * 65535 unscaled, 0 on an RST without ACK (as Linux sends it). */
static inline struct tcp_segment feed_seg(const struct feed_tuple *t, int from_c, uint16_t flags,
				   uint32_t seq, uint32_t ack, uint32_t len, int64_t ts)
{
	struct tcp_segment s;

	memset(&s, 0, sizeof(s));
	s.frame = ++feed.frame;
	s.ts_ns = ts;
	s.src = from_c ? t->c : t->s;
	s.dst = from_c ? t->s : t->c;
	s.sport = from_c ? t->cport : t->sport;
	s.dport = from_c ? t->sport : t->cport;
	s.seq = seq;
	s.ack = (flags & TH_ACK) ? ack : 0;
	s.flags = flags;
	s.window = (flags & TH_RST) && !(flags & TH_ACK) ? 0 : 65535;
	s.ip_ttl = 64;
	s.payload_len = len;
	s.payload_caplen = len;
	return s;
}

static inline void feed_opt_ts(struct tcp_segment *s, uint32_t tsval, uint32_t tsecr)
{
	s->opt.has_timestamps = true;
	s->opt.tsval = tsval;
	s->opt.tsecr = tsecr;
}

static inline uint64_t feed_push(struct tcp_segment *s)
{
	analyzer_segment(feed.a, s);
	return s->frame;
}

/* Builds and feeds one segment; returns its frame number. */
static inline uint64_t feed_send(const struct feed_tuple *t, int from_c, uint16_t flags, uint32_t seq,
			  uint32_t ack, uint32_t len, int64_t ts)
{
	struct tcp_segment s = feed_seg(t, from_c, flags, seq, ack, len, ts);

	return feed_push(&s);
}

/* feed_send() with the timestamp option (tsval, tsecr); returns the frame. */
static inline uint64_t feed_send_ts(const struct feed_tuple *t, int from_c, uint16_t flags,
				    uint32_t seq, uint32_t ack, uint32_t len, int64_t ts,
				    uint32_t tsval, uint32_t tsecr)
{
	struct tcp_segment s = feed_seg(t, from_c, flags, seq, ack, len, ts);

	feed_opt_ts(&s, tsval, tsecr);
	return feed_push(&s);
}

/* feed_send() advertising `window` (e.g. 0 for a zero window); returns the frame. */
static inline uint64_t feed_send_win(const struct feed_tuple *t, int from_c, uint16_t flags,
				     uint32_t seq, uint32_t ack, uint32_t len, uint16_t window,
				     int64_t ts)
{
	struct tcp_segment s = feed_seg(t, from_c, flags, seq, ack, len, ts);

	s.window = window;
	return feed_push(&s);
}

/* Gives s the next IPv4 ID of its direction, as Linux counts them per socket. */
static inline void feed_next_ip_id(struct tcp_segment *s, int from_c)
{
	s->ip_id = ++feed.ip_ids[from_c ? 1 : 0];
}

/* Feeds s and, when feed.doubled, a copy 1 us later (a mirror port's); returns the first frame. */
static inline uint64_t feed_push_copies(struct tcp_segment *s)
{
	uint64_t frame = feed_push(s);

	if (feed.doubled) {
		s->frame = ++feed.frame;
		s->ts_ns += 1 * US;
		feed_push(s);
	}
	return frame;
}

/* SYN at syn_at (ISN c), SYN-ACK (ISN s) at synack_at, the client's ACK at ack_at. */
static inline void feed_handshake(const struct feed_tuple *t, uint32_t c, uint32_t s,
				  int64_t syn_at, int64_t synack_at, int64_t ack_at)
{
	feed_send(t, FROM_C, TH_SYN, c, 0, 0, syn_at);
	feed_send(t, FROM_S, TH_SYN | TH_ACK, s, c + 1, 0, synack_at);
	feed_send(t, FROM_C, TH_ACK, c + 1, s + 1, 0, ack_at);
}

/* Handshake, 100-byte request, 200-byte answer, the client's ACK at t0 (1 ms
 * steps): established, client nxt c + 101, server nxt s + 201. */
static inline void feed_exchange(const struct feed_tuple *t, uint32_t c, uint32_t s, int64_t t0)
{
	feed_handshake(t, c, s, t0, t0 + 1 * MS, t0 + 2 * MS);
	feed_send(t, FROM_C, TH_ACK | TH_PUSH, c + 1, s + 1, 100, t0 + 3 * MS);
	feed_send(t, FROM_S, TH_ACK | TH_PUSH, s + 1, c + 101, 200, t0 + 4 * MS);
	feed_send(t, FROM_C, TH_ACK, c + 101, s + 201, 0, t0 + 5 * MS);
}

/* A healthy request/response closed by the client, 8 segments 1 ms apart from t0. */
static inline void feed_healthy(const struct feed_tuple *t, uint32_t c, uint32_t s, int64_t t0)
{
	feed_handshake(t, c, s, t0, t0 + 1 * MS, t0 + 2 * MS);
	feed_send(t, FROM_C, TH_ACK | TH_PUSH, c + 1, s + 1, 100, t0 + 3 * MS);
	feed_send(t, FROM_S, TH_ACK | TH_PUSH, s + 1, c + 101, 200, t0 + 4 * MS);
	feed_send(t, FROM_C, TH_ACK | TH_FIN, c + 101, s + 201, 0, t0 + 5 * MS);
	feed_send(t, FROM_S, TH_ACK | TH_FIN, s + 201, c + 102, 0, t0 + 6 * MS);
	feed_send(t, FROM_C, TH_ACK, c + 102, s + 202, 0, t0 + 7 * MS);
}

/* feed_exchange(), the client's FIN at t0 + 6 ms, the server's bare ACK of it at
 * t0 + 46 ms: server CLOSE-WAIT (snd_nxt s + 201, rcv_nxt c + 102). Returns that ACK's frame. */
static inline uint64_t feed_client_closes(const struct feed_tuple *t, uint32_t c, uint32_t s,
					  int64_t t0)
{
	feed_exchange(t, c, s, t0);
	feed_send(t, FROM_C, TH_ACK | TH_FIN, c + 101, s + 201, 0, t0 + 6 * MS);
	return feed_send(t, FROM_S, TH_ACK, s + 201, c + 102, 0, t0 + 46 * MS);
}

/* Ends the run: every connection is finalised, run-end detectors fire. */
static inline void feed_finish(void)
{
	analyzer_finish(feed.a);
	analyzer_free(feed.a);
	feed.a = NULL;
}

/* Findings of a kind ("accept_queue_overflow"). */
static inline int feed_count(const char *kind)
{
	int n = 0;

	for (int i = 0; i < feed.nfindings; i++)
		n += strcmp(feed.findings[i].kind, kind) == 0;
	return n;
}

/* The first finding of a kind, or NULL. */
static inline const struct finding *feed_find(const char *kind)
{
	for (int i = 0; i < feed.nfindings; i++)
		if (strcmp(feed.findings[i].kind, kind) == 0)
			return &feed.findings[i];
	return NULL;
}

/* Findings at or above a severity (for "healthy traffic raises nothing"). */
static inline int feed_count_at_least(enum severity sev)
{
	int n = 0;

	for (int i = 0; i < feed.nfindings; i++)
		n += feed.findings[i].severity >= sev;
	return n;
}

/* An evidence figure of a finding, or NULL. */
static inline const struct evidence *feed_evidence(const struct finding *f, const char *name)
{
	for (uint32_t i = 0; f && i < f->nevidence; i++)
		if (strcmp(f->evidence[i].name, name) == 0)
			return &f->evidence[i];
	return NULL;
}


/* The finding's frames list holds frame. */
static inline bool feed_has_frame(const struct finding *f, uint64_t frame)
{
	for (uint32_t i = 0; f && i < f->nframes; i++)
		if (f->frames[i] == frame)
			return true;
	return false;
}

/* Checks that the finding has the evidence figure `name` with this value: text,
 * integer, seconds (compared in whole ms) or boolean. */
static inline void feed_check_text(const struct finding *f, const char *name, const char *want)
{
	const struct evidence *e = feed_evidence(f, name);

	CHECK(e != NULL);
	if (e)
		CHECK_STR(e->v.text, want);
}

static inline void feed_check_int(const struct finding *f, const char *name, int64_t want)
{
	const struct evidence *e = feed_evidence(f, name);

	CHECK(e != NULL);
	if (e)
		CHECK_INT(e->v.i, want);
}

static inline void feed_check_ms(const struct finding *f, const char *name, int64_t want_ms)
{
	const struct evidence *e = feed_evidence(f, name);

	CHECK(e != NULL);
	if (e)
		CHECK_INT((int64_t)(e->v.r * 1000.0 + (e->v.r >= 0 ? 0.5 : -0.5)), want_ms);
}

static inline void feed_check_bool(const struct finding *f, const char *name, bool want)
{
	const struct evidence *e = feed_evidence(f, name);

	CHECK(e != NULL);
	if (e)
		CHECK_INT(e->v.b, want);
}

#endif
