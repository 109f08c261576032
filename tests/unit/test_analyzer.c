/*
 * test_analyzer.c - the analyzer's incarnation and finalisation logic, fed
 * with hand-built segments: expiry (linger, idle), eviction, role guessing,
 * SYN-ACK first, port reuse, the stale CLOSE-WAIT sequence, capture restarts,
 * the end-of-run order; and the small naming and voting helpers.
 */
#include "config.h"

#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#include "analyzer/analyzer.h"
#include "tests/unit/check.h"

#define NS 1000000000LL
#define MS 1000000LL
#define T0 (1700000000LL * NS)
#define MAX_SEEN 64

/* --- a sink that keeps copies of what it is given ------------------------------- */

struct seen {
	int nconns;
	struct tcp_conn conns[MAX_SEEN];
	int nfindings;
};

static struct seen seen;

static void test_on_conn(void *ctx, const struct tcp_conn *c)
{
	struct seen *s = ctx;

	if (s->nconns < MAX_SEEN)
		s->conns[s->nconns] = *c;
	s->nconns++;
}

static void test_on_finding(void *ctx, const struct finding *f)
{
	struct seen *s = ctx;

	(void)f;
	s->nfindings++;
}

static struct analyzer *test_new(uint32_t max_conns)
{
	struct analyzer_config cfg;
	struct analyzer_sink sink = { &seen, test_on_conn, test_on_finding, NULL };

	memset(&seen, 0, sizeof(seen));
	analyzer_config_default(&cfg);
	if (max_conns)
		cfg.max_connections = max_conns;
	return analyzer_new(&cfg, &sink);
}

/* The finalised connection with this id, or NULL. */
static const struct tcp_conn *test_conn(uint64_t id)
{
	for (int i = 0; i < seen.nconns && i < MAX_SEEN; i++) {
		if (seen.conns[i].id == id)
			return &seen.conns[i];
	}
	return NULL;
}

static const struct state_change *test_last_change(const struct tcp_endpoint *ep)
{
	return ep->timeline.count ? &ep->timeline.at[ep->timeline.count - 1] : NULL;
}

/* --- segments ------------------------------------------------------------------ */

static struct ip_addr test_v4(uint32_t a)
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

/* One conversation: who is where, and the frame counter of its capture. */
struct tuple {
	struct ip_addr c, s;
	uint16_t cport, sport;
};

static uint64_t test_frame;
static uint32_t test_capture;

static struct tuple test_tuple(uint32_t caddr, uint16_t cport, uint32_t saddr, uint16_t sport)
{
	struct tuple t = { test_v4(caddr), test_v4(saddr), cport, sport };

	return t;
}

/* A segment from the client (from_client) or the server of t. */
static struct tcp_segment test_seg(const struct tuple *t, bool from_client, uint16_t flags,
				   uint32_t seq, uint32_t ack, uint32_t len, int64_t ts)
{
	struct tcp_segment s;

	memset(&s, 0, sizeof(s));
	s.frame = ++test_frame;
	s.capture = test_capture;
	s.ts_ns = ts;
	s.src = from_client ? t->c : t->s;
	s.dst = from_client ? t->s : t->c;
	s.sport = from_client ? t->cport : t->sport;
	s.dport = from_client ? t->sport : t->cport;
	s.seq = seq;
	s.ack = (flags & TH_ACK) ? ack : 0;
	s.flags = flags;
	s.window = (flags & TH_RST) && !(flags & TH_ACK) ? 0 : 65535;
	s.ip_ttl = 64;
	s.payload_len = len;
	s.payload_caplen = len;
	return s;
}

/* Feeds one segment; returns its frame number. */
static uint64_t test_send(struct analyzer *a, const struct tuple *t, bool from_client,
			  uint16_t flags, uint32_t seq, uint32_t ack, uint32_t len, int64_t ts)
{
	struct tcp_segment s = test_seg(t, from_client, flags, seq, ack, len, ts);

	analyzer_segment(a, &s);
	return s.frame;
}

/* SYN (ISN cisn), SYN-ACK (ISN sisn) 10 ms later, ACK 100 us after that. */
static void test_handshake(struct analyzer *a, const struct tuple *t, uint32_t cisn,
			   uint32_t sisn, int64_t ts)
{
	test_send(a, t, true, TH_SYN, cisn, 0, 0, ts);
	test_send(a, t, false, TH_SYN | TH_ACK, sisn, cisn + 1, 0, ts + 10 * MS);
	test_send(a, t, true, TH_ACK, cisn + 1, sisn + 1, 0, ts + 10 * MS + 100000);
}

/* Handshake, 100 bytes each way, client closes first, server follows; the
 * last frame is at ts + 50 ms. */
static void test_full_conn(struct analyzer *a, const struct tuple *t, uint32_t cisn,
			   uint32_t sisn, int64_t ts)
{
	uint32_t c = cisn + 1, s = sisn + 1;

	test_handshake(a, t, cisn, sisn, ts);
	test_send(a, t, true, TH_ACK | TH_PUSH, c, s, 100, ts + 20 * MS);
	test_send(a, t, false, TH_ACK | TH_PUSH, s, c + 100, 100, ts + 30 * MS);
	test_send(a, t, true, TH_ACK | TH_FIN, c + 100, s + 100, 0, ts + 40 * MS);
	test_send(a, t, false, TH_ACK | TH_FIN, s + 100, c + 101, 0, ts + 45 * MS);
	test_send(a, t, true, TH_ACK, c + 101, s + 101, 0, ts + 50 * MS);
}

/* --- the tests ------------------------------------------------------------------ */

static void test_normal_close(void)
{
	struct analyzer *a = test_new(0);
	struct tuple t = test_tuple(0x0a000001, 40000, 0x0a000002, 80);
	struct capture_info ci;
	const struct tcp_conn *c;

	memset(&ci, 0, sizeof(ci));
	ci.first_ts_ns = T0;
	analyzer_begin_capture(a, &ci);
	test_full_conn(a, &t, 1000, 5000, T0);

	/* Closed on both sides, but it lingers for late segments. */
	analyzer_clock(a, T0 + 30 * NS);
	CHECK_INT(seen.nconns, 0);
	analyzer_clock(a, T0 + 50 * MS + 60 * NS - 1);
	CHECK_INT(seen.nconns, 0);
	analyzer_clock(a, T0 + 61 * NS);
	CHECK_INT(seen.nconns, 1);

	c = test_conn(1);
	CHECK(c != NULL);
	if (c) {
		CHECK_INT(c->end, END_CLOSED);
		CHECK_INT(c->first_ts_ns, T0);
		CHECK_INT(c->last_ts_ns, T0 + 50 * MS);
		CHECK_INT(c->first_frame + 7, c->last_frame);
		CHECK_INT(c->handshake_rtt_ns, 10 * MS + 100000);
		CHECK_INT(c->vantage, VANTAGE_NEAR_CLIENT);
		CHECK_INT(c->ep[CLIENT].port, 40000);
		CHECK_INT(c->ep[SERVER].port, 80);
		/* TIME-WAIT ran out before the connection was finalised. */
		CHECK_INT(c->ep[CLIENT].state, TCP_CLOSED);
		CHECK_INT(c->ep[SERVER].state, TCP_CLOSED);
		CHECK_INT(c->flags & (CONN_MIDSTREAM | CONN_ROLES_GUESSED), 0);
	}
	CHECK_INT(ci.vantage_votes[VANTAGE_NEAR_CLIENT], 1);
	CHECK_INT(analyzer_stats(a)->connections, 1);
	CHECK_INT(analyzer_stats(a)->segments, 8);
	CHECK_INT(analyzer_stats(a)->peak_open, 1);
	analyzer_finish(a);
	CHECK_INT(seen.nconns, 1);
	analyzer_free(a);
}

static void test_idle_expiry(void)
{
	struct analyzer *a = test_new(0);
	struct tuple t = test_tuple(0x0a000001, 40001, 0x0a000002, 80);
	struct tuple u = test_tuple(0x0a000003, 40002, 0x0a000002, 80);

	test_handshake(a, &t, 1, 100, T0);
	test_handshake(a, &u, 1, 100, T0 + 300 * NS);
	analyzer_clock(a, T0 + 599 * NS);
	CHECK_INT(seen.nconns, 0);
	analyzer_clock(a, T0 + 601 * NS);
	CHECK_INT(seen.nconns, 1);
	CHECK_INT(seen.conns[0].id, 1);
	CHECK_INT(seen.conns[0].end, END_IDLE);
	CHECK_INT(seen.conns[0].ep[CLIENT].state, TCP_ESTABLISHED);

	/* Time never runs backwards: an early frame does not bring back the
	 * clock, and the connection it creates is already idle. */
	struct tuple v = test_tuple(0x0a000004, 40003, 0x0a000002, 80);
	analyzer_clock(a, T0 + 2000 * NS);
	CHECK_INT(seen.nconns, 2);
	test_send(a, &v, true, TH_SYN, 7, 0, 0, T0 + 1000 * NS);
	analyzer_clock(a, T0 + 1500 * NS);
	CHECK_INT(seen.nconns, 3);
	analyzer_finish(a);
	CHECK_INT(seen.nconns, 3);
	analyzer_free(a);
}

static void test_eviction(void)
{
	struct analyzer *a = test_new(3);
	struct tuple t[5];

	for (int i = 0; i < 5; i++)
		t[i] = test_tuple(0x0a000001, (uint16_t)(41000 + i), 0x0a000002, 80);
	test_send(a, &t[0], true, TH_SYN, 1, 0, 0, T0);
	test_send(a, &t[1], true, TH_SYN, 1, 0, 0, T0 + 1 * MS);
	/* Refused: closing, so the first to go when room is needed. */
	test_send(a, &t[1], false, TH_RST | TH_ACK, 0, 2, 0, T0 + 2 * MS);
	test_send(a, &t[2], true, TH_SYN, 1, 0, 0, T0 + 3 * MS);
	test_send(a, &t[0], true, TH_SYN, 1, 0, 0, T0 + 4 * MS);
	CHECK_INT(seen.nconns, 0);

	test_send(a, &t[3], true, TH_SYN, 1, 0, 0, T0 + 5 * MS);
	CHECK_INT(seen.nconns, 1);
	CHECK_INT(seen.conns[0].id, 2);
	CHECK_INT(seen.conns[0].end, END_EVICTED);

	/* Then the least recently active open one: conn 3 (conn 1 was touched). */
	test_send(a, &t[4], true, TH_SYN, 1, 0, 0, T0 + 6 * MS);
	CHECK_INT(seen.nconns, 2);
	CHECK_INT(seen.conns[1].id, 3);
	CHECK_INT(seen.conns[1].end, END_EVICTED);
	CHECK_INT(analyzer_stats(a)->evicted, 2);
	CHECK_INT(analyzer_stats(a)->peak_open, 3);

	analyzer_finish(a);
	CHECK_INT(seen.nconns, 5);
	CHECK_INT(seen.conns[2].id, 1);
	CHECK_INT(seen.conns[3].id, 4);
	CHECK_INT(seen.conns[4].id, 5);
	CHECK_INT(seen.conns[4].end, END_CAPTURE);
	analyzer_free(a);
}

/* The first segment seen is data from 10.0.0.1:sport to 10.0.0.2:dport; the
 * port of the end that became the server (told apart by address, so that equal
 * ports still say which end it was). */
static uint16_t test_guessed_server_port(uint16_t sport, uint16_t dport)
{
	struct analyzer *a = test_new(0);
	struct tuple t = test_tuple(0x0a000001, sport, 0x0a000002, dport);
	uint16_t port = 0;

	test_send(a, &t, true, TH_ACK | TH_PUSH, 5000, 9000, 10, T0);
	analyzer_finish(a);
	if (seen.nconns == 1)
		port = seen.conns[0].ep[SERVER].addr.bytes[3] == 2 ? dport : sport;
	analyzer_free(a);
	return port;
}

static void test_midstream(void)
{
	struct analyzer *a = test_new(0);
	struct tuple t = test_tuple(0x0a000001, 45000, 0x0a000002, 8080);
	const struct tcp_conn *c;

	/* The server speaks first: roles come from the ports, not the order. */
	test_send(a, &t, false, TH_ACK | TH_PUSH, 9000, 5000, 100, T0);
	test_send(a, &t, true, TH_ACK, 5000, 9100, 0, T0 + 1 * MS);
	analyzer_finish(a);
	CHECK_INT(seen.nconns, 1);
	c = test_conn(1);
	CHECK(c != NULL);
	if (c) {
		CHECK_INT(c->ep[SERVER].port, 8080);
		CHECK_INT(c->ep[CLIENT].port, 45000);
		CHECK(c->flags & CONN_MIDSTREAM);
		CHECK(c->flags & CONN_ROLES_GUESSED);
		CHECK_INT(c->ep[CLIENT].state, TCP_ESTABLISHED);
		CHECK_INT(c->ep[SERVER].state, TCP_ESTABLISHED);
		CHECK(c->ep[SERVER].timeline.count >= 1);
		CHECK_INT(c->ep[SERVER].timeline.at[0].state, TCP_ESTABLISHED);
		CHECK_INT(c->ep[SERVER].timeline.at[0].ts_ns, T0);
		CHECK_INT(c->handshake_rtt_ns, -1);
		CHECK_INT(c->vantage, VANTAGE_UNKNOWN);
		CHECK(c->history.len > 0 && c->history.s[0] == '^');
	}
	analyzer_free(a);

	CHECK_INT(test_guessed_server_port(50000, 22), 22);	/* well-known port */
	CHECK_INT(test_guessed_server_port(22, 50000), 22);
	CHECK_INT(test_guessed_server_port(40000, 5432), 5432);	/* outside the range */
	CHECK_INT(test_guessed_server_port(3306, 33000), 3306);
	CHECK_INT(test_guessed_server_port(6000, 5000), 5000);	/* lower port */
	CHECK_INT(test_guessed_server_port(40001, 40002), 40001);
	CHECK_INT(test_guessed_server_port(7000, 7001), 7000);
	/* Equal ports: the receiver of the first segment. */
	CHECK(test_guessed_server_port(7000, 7000) == 7000 &&
	      seen.conns[0].ep[SERVER].addr.bytes[3] == 2);
	CHECK(test_guessed_server_port(179, 179) == 179 &&
	      seen.conns[0].ep[SERVER].addr.bytes[3] == 2);
}

static void test_synack_first(void)
{
	struct analyzer *a = test_new(0);
	struct tuple t = test_tuple(0x0a000001, 40010, 0x0a000002, 443);
	const struct tcp_conn *c;

	test_send(a, &t, false, TH_SYN | TH_ACK, 9000, 3001, 0, T0);
	test_send(a, &t, true, TH_ACK, 3001, 9001, 0, T0 + 1 * MS);
	/* A SYN with the ISN the SYN-ACK implied is a retransmission. */
	test_send(a, &t, true, TH_SYN, 3000, 0, 0, T0 + 2 * MS);
	analyzer_finish(a);
	CHECK_INT(seen.nconns, 1);
	c = test_conn(1);
	CHECK(c != NULL);
	if (c) {
		CHECK_INT(c->ep[CLIENT].port, 40010);
		CHECK_INT(c->ep[SERVER].port, 443);
		CHECK(c->ep[CLIENT].isn_known);
		CHECK_INT(c->ep[CLIENT].isn, 3000);
		CHECK_INT(c->ep[CLIENT].timeline.at[0].state, TCP_SYN_SENT);
		CHECK_INT(c->ep[CLIENT].timeline.at[0].presumed, 1);
		CHECK_INT(c->ep[CLIENT].timeline.at[0].frame, test_frame - 2);
		CHECK_INT(c->flags & CONN_MIDSTREAM, 0);
		CHECK_INT(c->prev.id, 0);
	}
	analyzer_free(a);
}

static void test_port_reuse(void)
{
	struct analyzer *a = test_new(0);
	struct tuple t = test_tuple(0x0a000001, 40020, 0x0a000002, 80);
	struct tuple r = test_tuple(0x0a000002, 80, 0x0a000001, 40020);
	const struct tcp_conn *c;

	test_full_conn(a, &t, 1000, 5000, T0);
	/* Same client port 5 s later, a new ISN: the next incarnation. */
	test_handshake(a, &t, 900000, 700000, T0 + 50 * MS + 5 * NS);
	test_send(a, &t, true, TH_ACK | TH_FIN, 900001, 700001, 0, T0 + 6 * NS);
	/* And once more, the other way round: the old server connects out. */
	test_send(a, &r, true, TH_SYN, 123456, 0, 0, T0 + 7 * NS);
	analyzer_finish(a);

	CHECK_INT(seen.nconns, 3);
	CHECK_INT(seen.conns[0].id, 1);
	CHECK_INT(seen.conns[1].id, 2);
	CHECK_INT(seen.conns[2].id, 3);
	CHECK_INT(seen.conns[0].end, END_REUSED);

	c = test_conn(2);
	CHECK(c != NULL);
	if (c) {
		CHECK_INT(c->prev.id, 1);
		CHECK_INT(c->prev.gap_ns, 5 * NS);
		CHECK_INT(c->prev.end_ts_ns, T0 + 50 * MS);
		CHECK_INT(c->prev.state[CLIENT], TCP_TIME_WAIT);
		CHECK_INT(c->prev.state[SERVER], TCP_CLOSED);
		CHECK(c->prev.seq_known[CLIENT] && c->prev.ack_known[SERVER]);
		CHECK_INT(c->prev.nxt[CLIENT], 1102);
		CHECK_INT(c->prev.ack[SERVER], 1102);
		CHECK_INT(c->prev.nxt[SERVER], 5102);
		CHECK_INT(c->handshake_rtt_ns, 10 * MS + 100000);
	}
	c = test_conn(3);
	CHECK(c != NULL);
	if (c) {
		/* Mapped by address onto the new roles: the new client is the
		 * old server, which had sent its FIN. */
		CHECK_INT(c->ep[CLIENT].port, 80);
		CHECK_INT(c->prev.id, 2);
		CHECK_INT(c->prev.state[CLIENT], TCP_CLOSE_WAIT);
		CHECK_INT(c->prev.state[SERVER], TCP_FIN_WAIT_1);
		CHECK_INT(c->prev.nxt[SERVER], 900002);
		CHECK_INT(c->prev.ack[CLIENT], 900001);
		CHECK_INT(c->prev.nxt[CLIENT], 700001);
	}
	analyzer_free(a);
}

/*
 * kernel-signatures.md §2.4: the server leaked a CLOSE-WAIT socket; the
 * client's new SYN on the same port gets a challenge ACK with the old numbers,
 * the client resets the stale socket with seq = that ack, retries its SYN and
 * connects.
 */
static void test_stale_close_wait(void)
{
	struct analyzer *a = test_new(0);
	struct tuple t = test_tuple(0x0a000001, 40030, 0x0a000002, 8080);
	const struct tcp_conn *c1, *c2;
	const struct state_change *sc;
	uint64_t syn_frame, rst_frame;
	int64_t t1 = T0 + 120 * NS;

	test_handshake(a, &t, 1000, 5000, T0);
	test_send(a, &t, true, TH_ACK | TH_PUSH, 1001, 5001, 100, T0 + 20 * MS);
	test_send(a, &t, false, TH_ACK, 5001, 1101, 0, T0 + 30 * MS);
	test_send(a, &t, true, TH_ACK | TH_FIN, 1101, 5001, 0, T0 + 40 * MS);
	test_send(a, &t, false, TH_ACK, 5001, 1102, 0, T0 + 50 * MS);

	syn_frame = test_send(a, &t, true, TH_SYN, 777000, 0, 0, t1);
	test_send(a, &t, false, TH_ACK, 5001, 1102, 0, t1 + 1 * MS);
	rst_frame = test_send(a, &t, true, TH_RST, 1102, 0, 0, t1 + 1 * MS + 50000);
	CHECK_INT(seen.nconns, 0);
	test_send(a, &t, true, TH_SYN, 777000, 0, 0, t1 + 4 * MS);
	test_send(a, &t, false, TH_SYN | TH_ACK, 8000, 777001, 0, t1 + 5 * MS);
	/* The SYN-ACK proved the stale socket gone: the old one is done. */
	CHECK_INT(seen.nconns, 1);
	test_send(a, &t, true, TH_ACK, 777001, 8001, 0, t1 + 5 * MS + 100000);
	analyzer_finish(a);

	CHECK_INT(seen.nconns, 2);
	c1 = test_conn(1);
	c2 = test_conn(2);
	CHECK(c1 && c2);
	if (!c1 || !c2) {
		analyzer_free(a);
		return;
	}
	CHECK_INT(c1->end, END_REUSED);
	CHECK_INT(c1->ep[CLIENT].state, TCP_CLOSED);
	sc = test_last_change(&c1->ep[CLIENT]);
	CHECK(sc != NULL);
	if (sc) {
		CHECK_INT(sc->state, TCP_CLOSED);
		CHECK_INT(sc->frame, syn_frame);
		CHECK_INT(sc->presumed, 0);
	}
	CHECK_INT(c1->ep[SERVER].state, TCP_CLOSED);
	sc = test_last_change(&c1->ep[SERVER]);
	CHECK(sc != NULL);
	if (sc) {
		CHECK_INT(sc->state, TCP_CLOSED);
		CHECK_INT(sc->frame, rst_frame);
		CHECK_INT(sc->ts_ns, t1 + 1 * MS + 50000);
	}
	/* Its server sat in CLOSE-WAIT until then. */
	CHECK(c1->ep[SERVER].timeline.count >= 2);
	if (c1->ep[SERVER].timeline.count >= 2)
		CHECK_INT(c1->ep[SERVER].timeline.at[c1->ep[SERVER].timeline.count - 2].state,
			  TCP_CLOSE_WAIT);

	CHECK_INT(c2->prev.id, 1);
	CHECK_INT(c2->prev.state[SERVER], TCP_CLOSE_WAIT);
	CHECK_INT(c2->prev.state[CLIENT], TCP_FIN_WAIT_2);
	CHECK_INT(c2->prev.ack[SERVER], 1102);
	CHECK_INT(c2->prev.nxt[SERVER], 5001);
	CHECK_INT(c2->prev.gap_ns, 120 * NS - 50 * MS);
	CHECK_INT(c2->end, END_CAPTURE);
	CHECK_INT(c2->ep[CLIENT].state, TCP_ESTABLISHED);
	CHECK_INT(c2->ep[SERVER].state, TCP_ESTABLISHED);
	CHECK_INT(c2->ep[CLIENT].isn, 777000);
	CHECK_INT(c2->flags & CONN_RESET, 0);
	CHECK_INT(c2->handshake_rtt_ns, 1 * MS + 100000);
	analyzer_free(a);
}

/*
 * A stale socket the new handshake does not resolve: it idles out on its own
 * (its last packet is the oldest), or goes first, as replaced, when its
 * successor is finalised before it.
 */
static void test_older_incarnation_end(void)
{
	struct analyzer *a = test_new(0);
	struct tuple t = test_tuple(0x0a000001, 40040, 0x0a000002, 8080);
	struct tuple u = test_tuple(0x0a000001, 40041, 0x0a000002, 8080);

	/* Tuple t: the new SYN is never answered; both idle out. */
	test_handshake(a, &t, 1000, 5000, T0);
	test_send(a, &t, true, TH_ACK | TH_FIN, 1001, 5001, 0, T0 + 40 * MS);
	test_send(a, &t, false, TH_ACK, 5001, 1002, 0, T0 + 50 * MS);
	test_send(a, &t, true, TH_SYN, 424242, 0, 0, T0 + 10 * NS);
	test_send(a, &t, true, TH_SYN, 424242, 0, 0, T0 + 11 * NS);
	/* Tuple u: the new SYN is refused; the refused one lingers 60 s. */
	test_handshake(a, &u, 1000, 5000, T0 + 20 * NS);
	test_send(a, &u, true, TH_ACK | TH_FIN, 1001, 5001, 0, T0 + 21 * NS);
	test_send(a, &u, false, TH_ACK, 5001, 1002, 0, T0 + 21 * NS);
	test_send(a, &u, true, TH_SYN, 31337, 0, 0, T0 + 30 * NS);
	test_send(a, &u, false, TH_RST | TH_ACK, 0, 31338, 0, T0 + 30 * NS + 1 * MS);

	analyzer_clock(a, T0 + 90 * NS);
	CHECK_INT(seen.nconns, 0);
	analyzer_clock(a, T0 + 91 * NS);
	CHECK_INT(seen.nconns, 2);
	CHECK_INT(seen.conns[0].id, 3);
	CHECK_INT(seen.conns[0].end, END_REUSED);
	CHECK_INT(seen.conns[0].ep[SERVER].state, TCP_CLOSE_WAIT);
	CHECK_INT(seen.conns[0].ep[CLIENT].state, TCP_CLOSED);
	CHECK_INT(seen.conns[1].id, 4);
	CHECK_INT(seen.conns[1].end, END_RESET);
	CHECK(seen.conns[1].flags & CONN_RESET);

	analyzer_clock(a, T0 + 700 * NS);
	CHECK_INT(seen.nconns, 4);
	CHECK_INT(seen.conns[2].id, 1);
	CHECK_INT(seen.conns[2].end, END_IDLE);
	CHECK_INT(seen.conns[2].ep[SERVER].state, TCP_CLOSE_WAIT);
	CHECK_INT(seen.conns[2].ep[CLIENT].state, TCP_CLOSED);
	CHECK_INT(seen.conns[3].id, 2);
	CHECK_INT(seen.conns[3].end, END_IDLE);
	analyzer_finish(a);
	analyzer_free(a);
}

static void test_capture_restart(void)
{
	struct analyzer *a = test_new(0);
	struct tuple t = test_tuple(0x0a000001, 40050, 0x0a000002, 80);
	struct tuple u = test_tuple(0x0a000001, 40051, 0x0a000002, 80);
	struct capture_info ci[3];

	memset(ci, 0, sizeof(ci));
	for (uint32_t i = 0; i < 3; i++)
		ci[i].index = i;

	/* File 0, then file 1 continuing the timeline: conn 1 spans both. */
	test_capture = 0;
	ci[0].first_ts_ns = T0;
	analyzer_begin_capture(a, &ci[0]);
	CHECK(!ci[0].continued);
	test_handshake(a, &t, 1, 100, T0);
	ci[0].last_ts_ns = T0 + 10 * MS + 100000;

	test_capture = 1;
	ci[1].first_ts_ns = T0 + 5 * NS;
	analyzer_begin_capture(a, &ci[1]);
	CHECK(ci[1].continued);
	CHECK(analyzer_capture(a) == &ci[1]);
	test_send(a, &t, true, TH_ACK | TH_PUSH, 2, 101, 10, T0 + 5 * NS);
	test_handshake(a, &u, 1, 100, T0 + 6 * NS);
	ci[1].last_ts_ns = T0 + 7 * NS;
	CHECK_INT(seen.nconns, 0);

	/* File 2 starts earlier: another view; everything open is finalised. */
	test_capture = 2;
	ci[2].first_ts_ns = T0 + 1 * NS;
	analyzer_begin_capture(a, &ci[2]);
	CHECK(!ci[2].continued);
	CHECK_INT(seen.nconns, 2);
	CHECK_INT(seen.conns[0].id, 1);
	CHECK_INT(seen.conns[0].end, END_CAPTURE);
	CHECK_INT(seen.conns[0].first_capture, 0);
	CHECK_INT(seen.conns[0].last_capture, 1);
	CHECK_INT(seen.conns[1].id, 2);

	/* The same tuple starts afresh, and the clock went back with it: a
	 * connection at T0 + 1 s is not idle. */
	test_handshake(a, &t, 1, 100, T0 + 1 * NS);
	analyzer_clock(a, T0 + 2 * NS);
	CHECK_INT(seen.nconns, 2);
	test_capture = 0;
	analyzer_finish(a);
	CHECK_INT(seen.nconns, 3);
	CHECK_INT(seen.conns[2].id, 3);
	CHECK_INT(seen.conns[2].prev.id, 0);
	CHECK_INT(seen.conns[2].first_capture, 2);
	CHECK_INT(ci[0].vantage_votes[VANTAGE_NEAR_CLIENT], 1);
	CHECK_INT(ci[1].vantage_votes[VANTAGE_NEAR_CLIENT], 1);
	CHECK_INT(ci[2].vantage_votes[VANTAGE_NEAR_CLIENT], 1);
	analyzer_free(a);
}

static void test_finish_order(void)
{
	struct analyzer *a = test_new(0);
	struct finding f;
	struct tuple t[4];

	memset(&f, 0, sizeof(f));
	f.kind = "test";
	analyzer_report(a, NULL, &f);
	CHECK_INT(f.id, 1);
	analyzer_report(a, NULL, &f);
	CHECK_INT(f.id, 2);
	CHECK_INT(seen.nfindings, 2);
	CHECK_INT(analyzer_stats(a)->findings, 2);

	for (int i = 0; i < 4; i++)
		t[i] = test_tuple(0x0a000001 + (uint32_t)(3 - i), 40060, 0x0a000002, 80);
	for (int i = 0; i < 4; i++)
		test_send(a, &t[i], true, TH_SYN, 1, 0, 0, T0 + i * MS);
	/* Activity order now 2, 4, 1 and conn 3 on the closing list. */
	test_send(a, &t[2], false, TH_RST | TH_ACK, 0, 2, 0, T0 + 10 * MS);
	test_send(a, &t[3], true, TH_SYN, 1, 0, 0, T0 + 11 * MS);
	test_send(a, &t[0], true, TH_SYN, 1, 0, 0, T0 + 12 * MS);
	/* A new incarnation on conn 2's tuple: conn 5 with conn 2 older. */
	test_send(a, &t[1], true, TH_SYN, 99, 0, 0, T0 + 13 * MS);
	analyzer_finish(a);
	CHECK_INT(seen.nconns, 5);
	for (int i = 0; i < 5 && i < seen.nconns; i++) {
		CHECK_INT(seen.conns[i].id, i + 1);
		CHECK_INT(seen.conns[i].end, END_CAPTURE);
	}
	CHECK_INT(seen.conns[4].prev.id, 2);
	CHECK_INT(seen.conns[4].ep[CLIENT].isn, 99);
	CHECK_INT(seen.conns[1].ep[CLIENT].state, TCP_CLOSED);
	CHECK_INT(analyzer_stats(a)->connections, 5);
	/* Finishing twice does nothing more. */
	analyzer_finish(a);
	CHECK_INT(seen.nconns, 5);
	analyzer_free(a);
}

static void test_self_and_simultaneous(void)
{
	struct analyzer *a = test_new(0);
	struct tuple self = test_tuple(0x7f000001, 50000, 0x7f000001, 50000);
	struct tuple t = test_tuple(0x0a000001, 6000, 0x0a000002, 7000);

	test_send(a, &self, true, TH_SYN, 10, 0, 0, T0);
	test_send(a, &self, true, TH_SYN | TH_ACK, 10, 11, 0, T0 + 1000);
	test_send(a, &t, true, TH_SYN, 10, 0, 0, T0 + 1 * MS);
	test_send(a, &t, false, TH_SYN, 20, 0, 0, T0 + 2 * MS);
	analyzer_finish(a);
	CHECK_INT(seen.nconns, 2);
	CHECK(seen.conns[0].flags & CONN_SELF);
	CHECK_INT(seen.conns[0].vantage, VANTAGE_SAME_HOST);
	CHECK(seen.conns[1].flags & CONN_SIMULTANEOUS_OPEN);
	CHECK_INT(seen.conns[1].ep[CLIENT].port, 6000);
	analyzer_free(a);
}

/* --- helpers of the analyzer's other files ------------------------------------------ */

static void test_vantage(void)
{
	struct tcp_conn c;

	memset(&c, 0, sizeof(c));
	c.ep[CLIENT].addr = test_v4(0x0a000001);
	c.ep[SERVER].addr = test_v4(0x0a000002);
	CHECK_INT(vantage_infer(&c), VANTAGE_UNKNOWN);
	c.syn_ts_ns = T0;
	c.synack_ts_ns = T0 + 40 * MS;
	c.hs_ack_ts_ns = T0 + 40 * MS + 1000;
	CHECK_INT(vantage_infer(&c), VANTAGE_NEAR_CLIENT);
	c.synack_ts_ns = T0 + 1000;
	c.hs_ack_ts_ns = T0 + 40 * MS;
	CHECK_INT(vantage_infer(&c), VANTAGE_NEAR_SERVER);
	c.synack_ts_ns = T0 + 20 * MS;
	CHECK_INT(vantage_infer(&c), VANTAGE_MID_PATH);
	c.synack_ts_ns = T0 + 8 * MS;	/* d1 = 8, d2 = 32: 4x exactly */
	CHECK_INT(vantage_infer(&c), VANTAGE_NEAR_SERVER);
	c.hs_ack_ts_ns = 0;
	CHECK_INT(vantage_infer(&c), VANTAGE_UNKNOWN);
	c.ep[SERVER].addr = test_v4(0x0a000001);
	CHECK_INT(vantage_infer(&c), VANTAGE_SAME_HOST);
	c.ep[CLIENT].addr = test_v4(0x7f000001);
	c.ep[SERVER].addr = test_v4(0x7f000035);
	CHECK_INT(vantage_infer(&c), VANTAGE_SAME_HOST);
	memset(&c.ep[CLIENT].addr, 0, sizeof(c.ep[CLIENT].addr));
	c.ep[CLIENT].addr.family = AF_INET6;
	c.ep[CLIENT].addr.bytes[15] = 1;
	c.ep[SERVER].addr = c.ep[CLIENT].addr;
	c.ep[SERVER].addr.bytes[15] = 2;
	CHECK_INT(vantage_infer(&c), VANTAGE_UNKNOWN);

	CHECK_STR(vantage_name(VANTAGE_UNKNOWN), "unknown");
	CHECK_STR(vantage_name(VANTAGE_NEAR_CLIENT), "near_client");
	CHECK_STR(vantage_name(VANTAGE_NEAR_SERVER), "near_server");
	CHECK_STR(vantage_name(VANTAGE_MID_PATH), "mid_path");
	CHECK_STR(vantage_name(VANTAGE_SAME_HOST), "same_host");
	CHECK_STR(vantage_name(VANTAGE_MIXED), "mixed");
}

static void test_capture_helpers(void)
{
	struct capture_info ci;

	memset(&ci, 0, sizeof(ci));
	CHECK_INT(capture_vantage(&ci), VANTAGE_UNKNOWN);
	ci.vantage_votes[VANTAGE_UNKNOWN] = 50;
	CHECK_INT(capture_vantage(&ci), VANTAGE_UNKNOWN);
	ci.vantage_votes[VANTAGE_NEAR_SERVER] = 8;
	ci.vantage_votes[VANTAGE_MID_PATH] = 2;
	CHECK_INT(capture_vantage(&ci), VANTAGE_NEAR_SERVER);
	ci.vantage_votes[VANTAGE_MID_PATH] = 3;
	CHECK_INT(capture_vantage(&ci), VANTAGE_MIXED);

	CHECK(capture_add_linktype(&ci, 1));
	CHECK(!capture_add_linktype(&ci, 1));
	CHECK(capture_add_linktype(&ci, 276));
	CHECK_INT(ci.nlinktypes, 2);
	for (int i = 0; i < 20; i++)
		capture_add_linktype(&ci, 1000 + i);
	CHECK_INT(ci.nlinktypes, CAPTURE_MAX_LINKTYPES);
	CHECK_INT(ci.linktypes[1], 276);

	CHECK_STR(severity_name(SEV_INFO), "info");
	CHECK_STR(severity_name(SEV_WARNING), "warning");
	CHECK_STR(severity_name(SEV_CRITICAL), "critical");
}

int main(void)
{
	RUN(test_normal_close);
	RUN(test_idle_expiry);
	RUN(test_eviction);
	RUN(test_midstream);
	RUN(test_synack_first);
	RUN(test_port_reuse);
	RUN(test_stale_close_wait);
	RUN(test_older_incarnation_end);
	RUN(test_capture_restart);
	RUN(test_finish_order);
	RUN(test_self_and_simultaneous);
	RUN(test_vantage);
	RUN(test_capture_helpers);
	return check_done("test_analyzer");
}
