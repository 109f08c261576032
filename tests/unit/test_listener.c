/*
 * test_listener.c - the listener detectors (analyzer/detectors/listener*.c), fed with
 * conversations written after reference/kernel-signatures.md.
 *
 * Server vantage unless said otherwise: the server's own segments leave tens of
 * microseconds after what triggers them, the client's arrive one RTT (200 ms)
 * after the server's segment they answer. TSvals tick in milliseconds.
 */
#include "config.h"

#include "tests/unit/check.h"
#include "tests/unit/feed.h"

#define RTT (200 * MS)

static uint32_t tv_c(int64_t ts)
{
	return (uint32_t)((ts - T0) / MS) + 1000;
}

static uint32_t tv_s(int64_t ts)
{
	return (uint32_t)((ts - T0) / MS) + 700000;
}

/* One segment with the timestamp option: TSval from the sender's clock. */
static uint64_t tsend(const struct feed_tuple *t, int from_c, uint16_t flags, uint32_t seq,
		      uint32_t ack, uint32_t len, int64_t ts, uint32_t tsecr)
{
	struct tcp_segment s = feed_seg(t, from_c, flags, seq, ack, len, ts);

	feed_opt_ts(&s, from_c ? tv_c(ts) : tv_s(ts), tsecr);
	return feed_push(&s);
}

/* SYN at `at`, SYN-ACK 20 us later, the client's ACK one RTT later and, when
 * len, its request right behind it. */
static void handshake(const struct feed_tuple *t, uint32_t c, uint32_t s, int64_t at, uint32_t len)
{
	tsend(t, FROM_C, TH_SYN, c, 0, 0, at, 0);
	tsend(t, FROM_S, TH_SYN | TH_ACK, s, c + 1, 0, at + 20 * US, tv_c(at));
	tsend(t, FROM_C, TH_ACK, c + 1, s + 1, 0, at + RTT, tv_s(at + 20 * US));
	if (len)
		tsend(t, FROM_C, TH_ACK | TH_PUSH, c + 1, s + 1, len, at + RTT + 50 * US,
		      tv_s(at + 20 * US));
}

/* A queued request: the handshake, the request, ACKed at once by the kernel. */
static void queued_start(const struct feed_tuple *t, uint32_t c, uint32_t s, int64_t at)
{
	handshake(t, c, s, at, 39);
	tsend(t, FROM_S, TH_ACK, s + 1, c + 40, 0, at + RTT + 70 * US, tv_c(at + RTT));
}

/* ...answered at `when`, then closed by the client. */
static void queued_end(const struct feed_tuple *t, uint32_t c, uint32_t s, int64_t when)
{
	tsend(t, FROM_S, TH_ACK | TH_PUSH, s + 1, c + 40, 340, when, tv_c(when - NS));
	tsend(t, FROM_C, TH_ACK | TH_FIN, c + 40, s + 341, 0, when + RTT, tv_s(when));
	tsend(t, FROM_S, TH_ACK | TH_FIN, s + 341, c + 41, 0, when + RTT + MS, tv_c(when + RTT));
	tsend(t, FROM_C, TH_ACK, c + 41, s + 342, 0, when + 2 * RTT, tv_s(when + RTT));
}

static void queued(const struct feed_tuple *t, uint32_t c, uint32_t s, int64_t at, int64_t after)
{
	queued_start(t, c, s, at);
	queued_end(t, c, s, at + RTT + 70 * US + after);
}

/* The classic overflow (kernel-signatures.md §1.4 A): handshake ACK and request
 * dropped, SYN-ACK re-sent at +1 and +3 s (TSecr = the SYN's TSval, as Linux 6.18
 * does), each answered by a challenge ACK, the request re-sent and never ACKed.
 * Returns the time of the last thing written. */
static int64_t overflowing(const struct feed_tuple *t, uint32_t c, uint32_t s, int64_t at,
			   uint32_t echo)
{
	int64_t sa = at + 20 * US;

	handshake(t, c, s, at, 39);
	tsend(t, FROM_C, TH_ACK | TH_PUSH, c + 1, s + 1, 39, at + RTT + 640 * MS, tv_s(sa));
	tsend(t, FROM_S, TH_SYN | TH_ACK, s, c + 1, 0, sa + 1 * NS, echo);
	tsend(t, FROM_C, TH_ACK, c + 40, s + 1, 0, sa + 1 * NS + RTT, tv_s(sa));
	tsend(t, FROM_C, TH_ACK | TH_PUSH, c + 1, s + 1, 39, at + RTT + 1240 * MS, tv_s(sa));
	tsend(t, FROM_S, TH_SYN | TH_ACK, s, c + 1, 0, sa + 3 * NS, echo);
	tsend(t, FROM_C, TH_ACK, c + 40, s + 1, 0, sa + 3 * NS + RTT, tv_s(sa));
	tsend(t, FROM_C, TH_ACK | TH_PUSH, c + 1, s + 1, 39, at + RTT + 2460 * MS, tv_s(sa));
	return at + RTT + 2460 * MS;
}

static const struct finding *find_conn(const char *kind, uint64_t conn)
{
	for (int i = 0; i < feed.nfindings; i++)
		if (strcmp(feed.findings[i].kind, kind) == 0 && feed.findings[i].connection == conn)
			return &feed.findings[i];
	return NULL;
}

static const struct finding *find_scope(const char *kind, const char *scope)
{
	for (int i = 0; i < feed.nfindings; i++)
		if (strcmp(feed.findings[i].kind, kind) == 0 &&
		    strcmp(feed.findings[i].scope, scope) == 0)
			return &feed.findings[i];
	return NULL;
}

static int sev(const struct finding *f)
{
	return f ? (int)f->severity : -1;
}

static int64_t ev_int(const struct finding *f, const char *name)
{
	const struct evidence *e = feed_evidence(f, name);

	return e && e->type == EVIDENCE_INT ? e->v.i : -999;
}

static const char *ev_text(const struct finding *f, const char *name)
{
	const struct evidence *e = feed_evidence(f, name);

	return e && e->type == EVIDENCE_TEXT ? e->v.text : NULL;
}

static int ev_bool(const struct finding *f, const char *name)
{
	const struct evidence *e = feed_evidence(f, name);

	return e && e->type == EVIDENCE_BOOL ? e->v.b : -1;
}

static double ev_real(const struct finding *f, const char *name)
{
	const struct evidence *e = feed_evidence(f, name);

	return e && e->type == EVIDENCE_REAL ? e->v.r : -999.0;
}

/* A healthy request/response, closed by the client: nothing to report. */
static void test_healthy_is_silent(void)
{
	struct feed_tuple t = feed_tuple(40000, 8080);
	uint32_t c = 1000, s = 5000;

	feed_start();
	feed_healthy(&t, c, s, T0);
	feed_finish();
	CHECK_INT(feed.nfindings, 0);
	CHECK_INT(feed.nconns, 1);
}

/* Three requests queued, then one handshake into the full queue that recovers
 * when the queue drains: the server finally ACKs a re-sent request. */
static void test_overflow_recovers(void)
{
	struct feed_tuple q1 = feed_tuple(40001, 8080), q2 = feed_tuple(40002, 8080);
	struct feed_tuple q3 = feed_tuple(40003, 8080), o = feed_tuple(40010, 8080);
	const struct finding *f, *l;
	int64_t at = T0 + 300 * MS, last;
	uint64_t rec;

	feed_start();
	queued_start(&q1, 100, 900, T0);
	queued_start(&q2, 200, 800, T0 + 60 * MS);
	queued_start(&q3, 300, 700, T0 + 120 * MS);
	last = overflowing(&o, 1000, 5000, at, tv_c(at));
	queued_end(&q1, 100, 900, last + 1 * NS);
	tsend(&o, FROM_C, TH_ACK | TH_PUSH, 1001, 5001, 39, last + 2 * NS, tv_s(at));
	rec = tsend(&o, FROM_S, TH_ACK, 5001, 1040, 0, last + 2 * NS + 40 * US,
		    tv_c(last + 2 * NS));
	queued_end(&q2, 200, 800, last + 3 * NS);
	queued_end(&q3, 300, 700, last + 4 * NS);
	tsend(&o, FROM_S, TH_ACK | TH_PUSH, 5001, 1040, 340, last + 5 * NS, tv_c(last + 2 * NS));
	feed_finish();

	f = find_conn("accept_queue_overflow", 4);
	CHECK(f != NULL);
	CHECK_INT(sev(f), SEV_CRITICAL);
	CHECK_STR(ev_text(f, "outcome"), "recovered");
	CHECK_INT(ev_int(f, "synack_resends"), 2);
	CHECK_INT(ev_int(f, "resends_answered"), 2);
	CHECK_INT(ev_int(f, "request_bytes_unacked"), 39);
	CHECK_INT(ev_bool(f, "tsecr_echoes_client_ack"), 0);
	CHECK_STR(ev_text(f, "server_state"), "SYN-RECEIVED");
	CHECK_INT(ev_int(f, "handshakes_waiting_before"), 3);
	CHECK(f && f->frames[f->nframes - 1] == rec);
	CHECK(f && f->confidence > 0.9 && f->confidence < 1.0);
	/* The queued requests wait 6-8 s on a listener that overflows. */
	CHECK_INT(feed_count("request_unanswered"), 3);
	CHECK_INT(sev(find_conn("request_unanswered", 1)), SEV_WARNING);
	l = find_scope("accept_queue_overflow", "listener");
	CHECK(l != NULL);
	CHECK(l && !l->has_client && l->connection == 0 && l->server_port == 8080);
	CHECK_INT(ev_int(l, "connections_overflowed"), 1);
	CHECK_INT(ev_int(l, "recovered"), 1);
	CHECK_INT(ev_int(l, "requests_queued"), 3);
	CHECK_INT(ev_int(l, "implied_backlog"), 2);
	CHECK_INT(feed_count("accept_queue_overflow"), 2);
}

/* The request expires on the server: the client's next re-send gets `R`
 * seq = ISN_s+1 (ACK clear, window 0). */
static void test_overflow_fails(void)
{
	struct feed_tuple o = feed_tuple(40010, 8080);
	const struct finding *f;
	int64_t last;
	uint64_t rst;

	feed_start();
	last = overflowing(&o, 1000, 5000, T0, tv_c(T0));
	tsend(&o, FROM_C, TH_ACK | TH_PUSH, 1001, 5001, 39, last + 5 * NS, tv_s(T0));
	rst = feed_send(&o, FROM_S, TH_RST, 5001, 0, 0, last + 5 * NS + 30 * US);
	feed_finish();

	f = find_conn("accept_queue_overflow", 1);
	CHECK(f != NULL);
	CHECK_STR(ev_text(f, "outcome"), "failed");
	CHECK_INT(ev_int(f, "reset_frame"), (int64_t)rst);
	CHECK_STR(ev_text(f, "client_state"), "ESTABLISHED");
	CHECK_INT(feed_count("accept_queue_overflow_reset"), 0);
	CHECK_INT(feed_count("request_unanswered"), 0);
	/* One connection alone is not a listener's story. */
	CHECK(find_scope("accept_queue_overflow", "listener") == NULL);
}

/* tcp_abort_on_overflow=1: the handshake ACK and the request right behind it
 * are each answered by `R` seq=ISN_s+1 within microseconds. */
static void test_overflow_reset(void)
{
	struct feed_tuple o = feed_tuple(40010, 8080);
	const struct finding *f, *l;

	feed_start();
	handshake(&o, 1000, 5000, T0, 0);
	feed_send(&o, FROM_S, TH_RST, 5001, 0, 0, T0 + RTT + 25 * US);
	tsend(&o, FROM_C, TH_ACK | TH_PUSH, 1001, 5001, 39, T0 + RTT + 100 * US, tv_s(T0));
	feed_send(&o, FROM_S, TH_RST, 5001, 0, 0, T0 + RTT + 110 * US);
	feed_finish();

	f = find_conn("accept_queue_overflow_reset", 1);
	CHECK(f != NULL);
	CHECK_INT(sev(f), SEV_CRITICAL);
	CHECK_INT(ev_int(f, "reset_seq"), 5001);
	CHECK_INT(ev_int(f, "resets"), 2);
	CHECK_INT(ev_bool(f, "stateless_format"), 1);
	CHECK(f && f->confidence == 1.0);
	CHECK(find_conn("accept_queue_overflow", 1) == NULL);
	/* One connection is not a listener's story: no roll-up. */
	l = find_scope("accept_queue_overflow", "listener");
	CHECK(l == NULL);
}

/* A server-speaks-first exchange whose first handshake ACK was lost: ONE
 * timer-driven SYN-ACK re-send, answered, then a normal connection. That is
 * handshake_ack_lost (another family), never an overflow. */
static void test_single_lost_ack(void)
{
	struct feed_tuple t = feed_tuple(40000, 8080);
	uint32_t c = 1000, s = 5000;
	int64_t sa = T0 + 20 * US, re = sa + 1 * NS;

	feed_start();
	handshake(&t, c, s, T0, 0);
	tsend(&t, FROM_S, TH_SYN | TH_ACK, s, c + 1, 0, re, tv_c(T0));
	tsend(&t, FROM_C, TH_ACK, c + 1, s + 1, 0, re + RTT, tv_s(sa));
	tsend(&t, FROM_S, TH_ACK | TH_PUSH, s + 1, c + 1, 24, re + RTT + 200 * US, tv_c(re + RTT));
	tsend(&t, FROM_C, TH_ACK | TH_PUSH, c + 1, s + 25, 6, re + 2 * RTT, tv_s(re));
	tsend(&t, FROM_S, TH_ACK | TH_PUSH, s + 25, c + 7, 9, re + 2 * RTT + 50 * US, tv_c(re));
	tsend(&t, FROM_S, TH_ACK | TH_FIN, s + 34, c + 7, 0, re + 2 * RTT + 60 * US, tv_c(re));
	tsend(&t, FROM_C, TH_ACK | TH_FIN, c + 7, s + 35, 0, re + 3 * RTT, tv_s(re));
	tsend(&t, FROM_S, TH_ACK, s + 35, c + 8, 0, re + 3 * RTT + 20 * US, tv_c(re));
	feed_finish();
	CHECK_INT(feed_count("accept_queue_overflow"), 0);
	CHECK_INT(feed_count("accept_queue_overflow_reset"), 0);
	CHECK_INT(feed_count("request_unanswered"), 0);
	CHECK_INT(feed_count("listener_syn_drop"), 0);
}

/* §1.5: one re-send whose TSecr echoes the handshake ACK's TSval proves the
 * server's TCP received and dropped it: an overflow on its own (rule 3a). The
 * same re-send echoing the SYN is a lost ACK. */
static void test_tsecr_proof(void)
{
	for (int proof = 0; proof < 2; proof++) {
		struct feed_tuple t = feed_tuple(40000, 8080);
		uint32_t c = 1000, s = 5000;
		int64_t sa = T0 + 20 * US, re = sa + 1 * NS;
		const struct finding *f;

		feed_start();
		handshake(&t, c, s, T0, 0);
		/* Echoing the handshake ACK (sent at T0 + RTT), or the SYN. */
		tsend(&t, FROM_S, TH_SYN | TH_ACK, s, c + 1, 0, re,
		      proof ? tv_c(T0 + RTT) : tv_c(T0));
		tsend(&t, FROM_C, TH_ACK, c + 1, s + 1, 0, re + RTT, tv_s(sa));
		tsend(&t, FROM_S, TH_ACK | TH_PUSH, s + 1, c + 1, 24, re + RTT + 200 * US,
		      tv_c(re + RTT));
		feed_finish();
		f = find_conn("accept_queue_overflow", 1);
		CHECK_INT(feed_count("accept_queue_overflow"), proof ? 1 : 0);
		if (!proof)
			continue;
		CHECK(f != NULL);
		CHECK_INT(ev_bool(f, "tsecr_echoes_client_ack"), 1);
		CHECK(f && f->confidence == 1.0);
		CHECK_STR(ev_text(f, "outcome"), "recovered");
	}
}

/* A live listener ignores a client's SYNs (its queue is full): SYNs at 0, 1,
 * 2, 3 s, the fourth answered with a TSecr echoing it. */
static void test_syn_drop(void)
{
	struct feed_tuple busy = feed_tuple(40001, 8080), d = feed_tuple(40002, 8080);
	const struct finding *f;
	int64_t at = T0 + 500 * MS;

	feed_start();
	handshake(&busy, 100, 900, T0, 0);
	for (int i = 0; i < 4; i++)
		tsend(&d, FROM_C, TH_SYN, 2000, 0, 0, at + i * NS, 0);
	tsend(&d, FROM_S, TH_SYN | TH_ACK, 6000, 2001, 0, at + 3 * NS + 20 * US, tv_c(at + 3 * NS));
	tsend(&d, FROM_C, TH_ACK, 2001, 6001, 0, at + 3 * NS + RTT, tv_s(at + 3 * NS));
	feed_finish();

	f = find_conn("listener_syn_drop", 2);
	CHECK(f != NULL);
	CHECK_INT(sev(f), SEV_WARNING);
	CHECK_INT(ev_int(f, "syns_unanswered"), 3);
	CHECK_INT(ev_bool(f, "synack_echoes_last_syn"), 1);
	CHECK_INT(ev_bool(f, "other_handshakes_nearby"), 1);
	CHECK(ev_real(f, "connect_delay") > 2.99 && ev_real(f, "connect_delay") < 3.01);
	CHECK_INT(feed_count("syn_unanswered"), 0);
}

/* Five connections losing SYNs on one listener within 10 s: critical. */
static void test_syn_drop_burst(void)
{
	struct feed_tuple busy = feed_tuple(40001, 8080);

	feed_start();
	handshake(&busy, 100, 900, T0, 0);
	for (int i = 0; i < 3; i++) {
		for (int k = 0; k < 5; k++) {
			struct feed_tuple d = feed_tuple((uint16_t)(41000 + k), 8080);
			int64_t at = T0 + 300 * MS + k * 60 * MS + i * NS;
			uint32_t isn = 10000u * (uint32_t)(k + 1);

			tsend(&d, FROM_C, TH_SYN, isn, 0, 0, at, 0);
			if (i == 2)
				tsend(&d, FROM_S, TH_SYN | TH_ACK, isn + 5, isn + 1, 0,
				      at + 20 * US, tv_c(at));
		}
	}
	feed_finish();
	/* Five per connection, warnings, and the burst in one critical roll-up. */
	CHECK_INT(feed_count("listener_syn_drop"), 6);
	for (int i = 0; i < feed.nfindings; i++)
		if (strcmp(feed.findings[i].kind, "listener_syn_drop") == 0)
			CHECK_INT(feed.findings[i].severity,
				  feed.findings[i].connection ? SEV_WARNING : SEV_CRITICAL);
	CHECK_INT(ev_int(find_scope("listener_syn_drop", "listener"), "peak_connections_in_10s"),
		  5);
}

/* SYNs to a port nothing shows alive: syn_unanswered, with the schedule read
 * as Linux >= 6.5 (1 s linear); the same SYNs next to a live listener's
 * handshakes, never answered: a SYN drop. */
static void test_syn_unanswered_vs_drop(void)
{
	struct feed_tuple dead = feed_tuple(40000, 8082), busy = feed_tuple(40001, 8080);
	struct feed_tuple d = feed_tuple(40002, 8080);
	const struct finding *f;

	feed_start();
	for (int i = 0; i < 6; i++)
		tsend(&dead, FROM_C, TH_SYN, 1000, 0, 0, T0 + i * (NS + 10 * MS), 0);
	/* Other traffic from the server host, and the capture runs on. */
	handshake(&busy, 100, 900, T0 + 20 * NS, 0);
	for (int i = 0; i < 3; i++)
		tsend(&d, FROM_C, TH_SYN, 3000, 0, 0, T0 + 21 * NS + i * NS, 0);
	tsend(&busy, FROM_C, TH_ACK | TH_PUSH, 101, 901, 10, T0 + 30 * NS, tv_s(T0));
	tsend(&busy, FROM_S, TH_ACK, 901, 111, 0, T0 + 30 * NS + 20 * US, tv_c(T0 + 30 * NS));
	feed_finish();

	f = find_conn("syn_unanswered", 1);
	CHECK(f != NULL);
	CHECK_INT(sev(f), SEV_WARNING);
	CHECK_INT(ev_int(f, "syn_transmissions"), 6);
	CHECK_STR(ev_text(f, "client_stack"), "Linux >= 6.5 (linear 1 s retries) or macOS/BSD");
	CHECK_INT(ev_bool(f, "client_gave_up"), 1);
	CHECK_INT(ev_bool(f, "server_host_seen_sending"), 1);
	CHECK(f && f->confidence == 1.0);
	f = find_conn("listener_syn_drop", 3);
	CHECK(f != NULL);
	CHECK_INT(ev_bool(f, "connected"), 0);
	CHECK_INT(feed_count("syn_unanswered"), 1);
}

/* Doubling from 1 s, and the capture ending right after the last SYN. */
static void test_syn_unanswered_schedule(void)
{
	struct feed_tuple t = feed_tuple(40000, 8082);
	const struct finding *f;

	feed_start();
	tsend(&t, FROM_C, TH_SYN, 1000, 0, 0, T0, 0);
	tsend(&t, FROM_C, TH_SYN, 1000, 0, 0, T0 + 1 * NS, 0);
	tsend(&t, FROM_C, TH_SYN, 1000, 0, 0, T0 + 3 * NS, 0);
	feed_finish();
	f = find_conn("syn_unanswered", 1);
	CHECK(f != NULL);
	CHECK_STR(ev_text(f, "client_stack"), "Linux 3.1-6.4 (doubling from 1 s)");
	CHECK_INT(ev_bool(f, "client_gave_up"), 0);
	CHECK(f && f->confidence < 0.7);	/* and nothing at all came from the server */
}

/* The kernel's refusal (§7.3): R. seq 0, window 0, no options. */
static void refuse(const struct feed_tuple *t, uint32_t ack, int64_t ts)
{
	struct tcp_segment s = feed_seg(t, FROM_S, TH_RST | TH_ACK, 0, ack, 0, ts);

	s.window = 0;
	feed_push(&s);
}

/* Refused on a port that accepts nothing: info. Refused while the same port
 * accepted a connection 2 s earlier (a restart): warning. */
static void test_refused(void)
{
	struct feed_tuple closed = feed_tuple(40000, 8081), ok = feed_tuple(40001, 8080);
	struct feed_tuple gone = feed_tuple(40002, 8080);
	const struct finding *f;

	feed_start();
	feed_send(&closed, FROM_C, TH_SYN, 1000, 0, 0, T0);
	refuse(&closed, 1001, T0 + 20 * US);
	handshake(&ok, 100, 900, T0 + 1 * NS, 0);
	feed_send(&gone, FROM_C, TH_SYN, 3000, 0, 0, T0 + 3 * NS);
	refuse(&gone, 3001, T0 + 3 * NS + 20 * US);
	feed_finish();

	CHECK_INT(feed_count("connection_refused"), 2);
	f = find_conn("connection_refused", 1);
	CHECK_INT(sev(f), SEV_INFO);
	CHECK_INT(ev_bool(f, "port_accepted_nearby"), 0);
	f = find_conn("connection_refused", 3);
	CHECK_INT(sev(f), SEV_WARNING);
	CHECK_INT(ev_bool(f, "port_accepted_nearby"), 1);
	CHECK(ev_real(f, "last_accept_before") > 1.9 && ev_real(f, "last_accept_before") < 2.1);
	CHECK_INT(feed_count("syn_unanswered"), 0);
}

/* One queued request answered after `after`, on a listener that answers other
 * requests at once; `thr` overrides the threshold when not 0. */
static int request_case(int64_t after, int64_t thr)
{
	struct feed_tuple fast = feed_tuple(40001, 8080), slow = feed_tuple(40002, 8080);

	analyzer_config_default(&feed.cfg);
	if (thr)
		feed.cfg.detect.request_unanswered_ns = thr;
	feed_start_cfg();
	queued(&fast, 100, 900, T0, 2 * MS);
	queued(&slow, 200, 800, T0 + 1 * NS, after);
	feed_finish();
	return feed_count("request_unanswered");
}

static void test_request_threshold(void)
{
	const struct finding *f;

	CHECK_INT(request_case(1500 * MS, 0), 0);
	CHECK_INT(request_case(2500 * MS, 0), 1);
	f = find_conn("request_unanswered", 2);
	CHECK_INT(sev(f), SEV_INFO);
	CHECK_STR(ev_text(f, "ended_by"), "answered");
	CHECK(ev_real(f, "waited") > 2.49 && ev_real(f, "waited") < 2.51);
	CHECK_INT(ev_int(f, "request_bytes"), 39);
	CHECK_INT(request_case(2500 * MS, 3 * NS), 0);
	CHECK_INT(request_case(3500 * MS, 3 * NS), 1);
}

/* A single connection that sends a line and is never answered (a one-way
 * protocol, a heartbeat): not a finding. */
static void test_one_way_is_silent(void)
{
	struct feed_tuple t = feed_tuple(40000, 9000);

	feed_start();
	handshake(&t, 100, 900, T0, 11);
	tsend(&t, FROM_S, TH_ACK, 901, 112, 0, T0 + RTT + 70 * US, tv_c(T0 + RTT));
	tsend(&t, FROM_C, TH_ACK, 111, 901, 0, T0 + 10 * NS, tv_s(T0));
	tsend(&t, FROM_S, TH_ACK, 901, 112, 0, T0 + 10 * NS + 20 * US, tv_c(T0 + 10 * NS));
	feed_finish();
	CHECK_INT(feed.nfindings, 0);
}

/* Mirror-port copies of a SYN are not retransmissions. */
static void test_duplicate_syn(void)
{
	struct feed_tuple busy = feed_tuple(40001, 8080), t = feed_tuple(40002, 8080);

	feed_start();
	handshake(&busy, 100, 900, T0, 0);
	tsend(&t, FROM_C, TH_SYN, 1000, 0, 0, T0 + 300 * MS, 0);
	tsend(&t, FROM_C, TH_SYN, 1000, 0, 0, T0 + 300 * MS + 1 * US, 0);
	tsend(&t, FROM_S, TH_SYN | TH_ACK, 5000, 1001, 0, T0 + 300 * MS + 20 * US,
	      tv_c(T0 + 300 * MS));
	feed_finish();
	CHECK_INT(feed_count("listener_syn_drop"), 0);
	CHECK_INT(feed_count("syn_unanswered"), 0);
}

/* Client vantage: the listener answers others, this client's SYNs are never
 * answered. From here a drop cannot be told from loss or a filter: syn_unanswered
 * (§1.9). Two SYNs lost then answered is not enough for a drop either. */
static void test_syn_drop_client_side(void)
{
	struct feed_tuple busy = feed_tuple(40001, 8080), d = feed_tuple(40002, 8080);
	struct feed_tuple two = feed_tuple(40003, 8080);

	feed_start();
	for (int i = 0; i < 4; i++) {
		struct feed_tuple o = feed_tuple((uint16_t)(42000 + i), 8080);
		int64_t at = T0 + i * 2 * NS;

		tsend(&o, FROM_C, TH_SYN, 100, 0, 0, at, 0);
		tsend(&o, FROM_S, TH_SYN | TH_ACK, 900, 101, 0, at + RTT, tv_c(at));
		tsend(&o, FROM_C, TH_ACK, 101, 901, 0, at + RTT + 20 * US, tv_s(at + RTT));
	}
	(void)busy;
	for (int i = 0; i < 6; i++)
		tsend(&d, FROM_C, TH_SYN, 3000, 0, 0, T0 + 500 * MS + i * NS, 0);
	tsend(&two, FROM_C, TH_SYN, 5000, 0, 0, T0 + 700 * MS, 0);
	tsend(&two, FROM_C, TH_SYN, 5000, 0, 0, T0 + 1700 * MS, 0);
	tsend(&two, FROM_S, TH_SYN | TH_ACK, 7000, 5001, 0, T0 + 1900 * MS, tv_c(T0 + 1700 * MS));
	tsend(&two, FROM_C, TH_ACK, 5001, 7001, 0, T0 + 1900 * MS + 20 * US, tv_s(T0));
	tsend(&d, FROM_C, TH_SYN, 9000, 0, 0, T0 + 30 * NS, 0);
	feed_finish();
	CHECK_INT(feed_count("listener_syn_drop"), 0);
	CHECK(find_conn("syn_unanswered", 5) != NULL);
}

/* A SYN copied by a mirror port 0.4 ms later, with another TSval (a TAP's
 * clock): one transmission, not a re-send. */
static void test_mirror_syn_copy(void)
{
	struct feed_tuple busy = feed_tuple(40001, 8080), t = feed_tuple(40002, 8080);

	feed_start();
	handshake(&busy, 100, 900, T0, 0);
	for (int i = 0; i < 3; i++) {
		struct tcp_segment s = feed_seg(&t, FROM_C, TH_SYN, 1000, 0, 0,
						T0 + 300 * MS + i * NS + 400 * US);
		struct tcp_segment m = feed_seg(&t, FROM_C, TH_SYN, 1000, 0, 0,
						T0 + 300 * MS + i * NS);

		feed_opt_ts(&m, 5000 + (uint32_t)i * 7, 0);
		feed_push(&m);
		feed_opt_ts(&s, 5001 + (uint32_t)i * 7, 0);
		feed_push(&s);
	}
	tsend(&t, FROM_S, TH_SYN | TH_ACK, 5000, 1001, 0, T0 + 2300 * MS + 20 * US, 5015);
	feed_finish();
	CHECK_INT(feed_count("listener_syn_drop"), 1);
	CHECK_INT(ev_int(find_conn("listener_syn_drop", 2), "syn_transmissions"), 3);
}

/* §1.9: the overflow reset has window 0 and no options, and never follows a
 * client FIN (that RST answers the close). */
static void test_overflow_reset_format(void)
{
	struct feed_tuple fin = feed_tuple(40010, 8080), win = feed_tuple(40011, 8080);
	struct tcp_segment r;

	feed_start();
	tsend(&fin, FROM_C, TH_SYN, 1000, 0, 0, T0, 0);
	tsend(&fin, FROM_S, TH_SYN | TH_ACK, 5000, 1001, 0, T0 + 20 * US, tv_c(T0));
	tsend(&fin, FROM_C, TH_ACK | TH_FIN, 1001, 5001, 0, T0 + RTT, tv_s(T0));
	feed_send(&fin, FROM_S, TH_RST, 5001, 0, 0, T0 + RTT + 25 * US);
	handshake(&win, 2000, 6000, T0 + NS, 0);
	r = feed_seg(&win, FROM_S, TH_RST, 6001, 0, 0, T0 + NS + RTT + 25 * US);
	r.window = 512;
	feed_push(&r);
	feed_finish();
	CHECK_INT(feed_count("accept_queue_overflow_reset"), 0);
	CHECK_INT(feed_count("accept_queue_overflow"), 0);
}

/* An injected RST.ACK with options or a window is not the kernel's refusal; a
 * refusal followed by a handshake on the same ISN was not one; a port that
 * accepted only after the refusal did not "go away". */
static void test_refused_lookalikes(void)
{
	struct feed_tuple inj = feed_tuple(40000, 8081), redo = feed_tuple(40001, 8082);
	struct feed_tuple early = feed_tuple(40002, 8083), ok = feed_tuple(40003, 8083);
	struct tcp_segment r;
	const struct finding *f;

	feed_start();
	feed_send(&inj, FROM_C, TH_SYN, 1000, 0, 0, T0);
	r = feed_seg(&inj, FROM_S, TH_RST | TH_ACK, 0, 1001, 0, T0 + 20 * US);
	r.window = 0;
	feed_opt_ts(&r, 1, 0);
	feed_push(&r);
	feed_send(&inj, FROM_C, TH_SYN, 1000, 0, 0, T0 + NS);
	feed_send(&inj, FROM_S, TH_RST | TH_ACK, 0, 1001, 0, T0 + NS + 20 * US);
	feed_send(&redo, FROM_C, TH_SYN, 2000, 0, 0, T0);
	refuse(&redo, 2001, T0 + 10 * US);
	feed_send(&redo, FROM_S, TH_SYN | TH_ACK, 7000, 2001, 0, T0 + 30 * US);
	feed_send(&redo, FROM_C, TH_ACK, 2001, 7001, 0, T0 + RTT);
	feed_send(&early, FROM_C, TH_SYN, 3000, 0, 0, T0);
	refuse(&early, 3001, T0 + 20 * US);
	handshake(&ok, 100, 900, T0 + 2 * NS, 0);
	feed_finish();
	CHECK_INT(feed_count("connection_refused"), 1);
	f = find_conn("connection_refused", 3);
	CHECK(f != NULL);
	CHECK(f && strstr(f->explanation, "went away") == NULL);
}

/* The client ACKs a server sequence the capture never showed (one direction
 * captured): the SYN was answered. SYNs with other SACK blocks are separate
 * attempts, not re-sends. */
static void test_syn_answered_unseen(void)
{
	struct feed_tuple t = feed_tuple(40000, 22), sk = feed_tuple(40001, 80);

	feed_start();
	tsend(&t, FROM_C, TH_SYN, 1000, 0, 0, T0, 0);
	tsend(&t, FROM_C, TH_SYN, 1000, 0, 0, T0 + NS, 0);
	tsend(&t, FROM_C, TH_SYN, 1000, 0, 0, T0 + 3 * NS, 0);
	tsend(&t, FROM_C, TH_ACK, 1001, 4242, 0, T0 + 3 * NS + RTT, 1);
	tsend(&t, FROM_C, TH_ACK | TH_PUSH, 1001, 4242, 20, T0 + 3 * NS + RTT + MS, 1);
	for (int i = 0; i < 4; i++) {
		struct tcp_segment s = feed_seg(&sk, FROM_C, TH_SYN, 500, 0, 0, T0 + i * NS);

		s.opt.sack_count = 1;
		s.opt.sack[0].left = 10u * (uint32_t)i;
		s.opt.sack[0].right = 10u * (uint32_t)i + 5;
		feed_push(&s);
	}
	feed_finish();
	CHECK_INT(feed_count("syn_unanswered"), 0);
	CHECK_INT(feed_count("listener_syn_drop"), 0);
}

/* The server's FIN far beyond what the capture showed: its answer was sent
 * and missed by the capture, so the request was not unanswered. */
static void test_request_missed_answer(void)
{
	struct feed_tuple fast = feed_tuple(40001, 8080), slow = feed_tuple(40002, 8080);

	feed_start();
	queued(&fast, 100, 900, T0, 2 * MS);
	queued_start(&slow, 200, 800, T0 + 1 * NS);
	tsend(&slow, FROM_S, TH_ACK | TH_FIN, 801 + 2902, 240, 0, T0 + 5 * NS, tv_c(T0));
	feed_finish();
	CHECK_INT(feed_count("request_unanswered"), 0);
}

/* The first SYN got a stale challenge ACK (§2.2) and the client's RST; the
 * re-sent SYN connected and its 517-byte request waited: request_bytes = 517,
 * not 0 (the stale ACK acknowledges none of it). */
static void test_request_bytes_after_stale_ack(void)
{
	struct feed_tuple t = feed_tuple(40002, 443);
	const struct finding *f;

	feed_start();
	feed_send(&t, FROM_C, TH_SYN, 1000, 0, 0, T0);
	feed_send(&t, FROM_S, TH_ACK, 77777, 900000, 0, T0 + 30 * MS);
	feed_send(&t, FROM_C, TH_RST, 900000, 0, 0, T0 + 30 * MS + 100 * US);
	feed_send(&t, FROM_C, TH_SYN, 1000, 0, 0, T0 + 3 * NS);
	feed_send(&t, FROM_S, TH_SYN | TH_ACK, 5000, 1001, 0, T0 + 3 * NS + 30 * MS);
	feed_send(&t, FROM_C, TH_ACK, 1001, 5001, 0, T0 + 3 * NS + 31 * MS);
	feed_send(&t, FROM_C, TH_ACK | TH_PUSH, 1001, 5001, 517, T0 + 3 * NS + 32 * MS);
	feed_send(&t, FROM_S, TH_ACK, 5001, 1518, 0, T0 + 3 * NS + 60 * MS);
	feed_send(&t, FROM_S, TH_ACK | TH_PUSH, 5001, 1518, 300, T0 + 18 * NS);
	feed_send(&t, FROM_C, TH_ACK, 1518, 5301, 0, T0 + 18 * NS + 30 * MS);
	feed_finish();
	f = feed_find("request_unanswered");
	CHECK(f != NULL);
	CHECK_INT(ev_int(f, "request_bytes"), 517);
}

/* More listeners than the table holds: the least recently used ones are
 * forgotten, the roll-up of an overflowing one is still reported once. */
static void test_listener_table_bounded(void)
{
	struct feed_tuple o = feed_tuple(40010, 8080), o2 = feed_tuple(40011, 8080);
	int64_t last;

	/* A short linger finalises the overflow before its listener is evicted,
	 * so the roll-up goes out at the eviction. */
	analyzer_config_default(&feed.cfg);
	feed.cfg.linger_ns = 1 * NS;
	feed_start_cfg();
	overflowing(&o2, 2000, 6000, T0, tv_c(T0));
	last = overflowing(&o, 1000, 5000, T0, tv_c(T0));
	tsend(&o, FROM_C, TH_ACK | TH_PUSH, 1001, 5001, 39, last + 5 * NS, tv_s(T0));
	feed_send(&o, FROM_S, TH_RST, 5001, 0, 0, last + 5 * NS + 30 * US);
	feed_send(&o2, FROM_S, TH_RST | TH_ACK, 6001, 2040, 0, last + 5 * NS + 40 * US);
	for (int k = 0; k < 5000; k++) {
		struct feed_tuple t = feed_tuple(40000, (uint16_t)(10000 + k));

		handshake(&t, 100, 900, last + 6 * NS + k * MS, 0);
	}
	feed_finish();
	CHECK_INT(feed_count("accept_queue_overflow"), 3);
	CHECK(find_scope("accept_queue_overflow", "listener") != NULL);
	CHECK_INT(ev_int(find_scope("accept_queue_overflow", "listener"), "connections_overflowed"),
		  2);
	CHECK_INT(feed.nfindings, 3);
}

int main(void)
{
	RUN(test_healthy_is_silent);
	RUN(test_overflow_recovers);
	RUN(test_overflow_fails);
	RUN(test_overflow_reset);
	RUN(test_single_lost_ack);
	RUN(test_tsecr_proof);
	RUN(test_syn_drop);
	RUN(test_syn_drop_burst);
	RUN(test_syn_unanswered_vs_drop);
	RUN(test_syn_unanswered_schedule);
	RUN(test_refused);
	RUN(test_request_threshold);
	RUN(test_one_way_is_silent);
	RUN(test_duplicate_syn);
	RUN(test_syn_drop_client_side);
	RUN(test_mirror_syn_copy);
	RUN(test_overflow_reset_format);
	RUN(test_refused_lookalikes);
	RUN(test_syn_answered_unseen);
	RUN(test_request_missed_answer);
	RUN(test_request_bytes_after_stale_ack);
	RUN(test_listener_table_bounded);
	return check_done("test_listener");
}
