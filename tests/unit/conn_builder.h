/*
 * conn_builder.h - build segments and connections tersely in the analyzer's
 * unit tests, and feed them through the same three calls analyzer.c makes per
 * segment (classify_segment, tcp_state_update, history_add).
 *
 * A struct cb holds one connection and a clock: every segment built gets the
 * current time and the next frame number; cb_wait() moves the clock. The
 * client is 192.0.2.1:40000 and the server 192.0.2.2:80 (RFC 5737 addresses).
 * Nothing allocates; a struct cb lives on the test's stack.
 */
#ifndef TCPAUTOPSY_TESTS_CONN_BUILDER_H
#define TCPAUTOPSY_TESTS_CONN_BUILDER_H

#include <string.h>
#include <sys/socket.h>

#include "analyzer/classify.h"
#include "analyzer/conn.h"
#include "analyzer/tcp_state.h"

#define CB_MS  1000000LL
#define CB_SEC 1000000000LL

/* TCP flag shorthands, as tcpdump prints them. */
#define F_S  TH_SYN
#define F_SA (TH_SYN | TH_ACK)
#define F_A  TH_ACK
#define F_PA (TH_PUSH | TH_ACK)
#define F_FA (TH_FIN | TH_ACK)
#define F_R  TH_RST
#define F_RA (TH_RST | TH_ACK)

struct cb {
	struct tcp_conn c;
	int64_t now;
	uint64_t frame;
};

static inline void cb_addr(struct ip_addr *a, uint8_t last)
{
	memset(a, 0, sizeof(*a));
	a->family = AF_INET;
	a->bytes[0] = 192;
	a->bytes[1] = 0;
	a->bytes[2] = 2;
	a->bytes[3] = last;
}

static inline void cb_init(struct cb *b)
{
	struct ip_addr cl, sv;

	memset(b, 0, sizeof(*b));
	cb_addr(&cl, 1);
	cb_addr(&sv, 2);
	conn_init(&b->c, 1, &cl, 40000, &sv, 80);
	b->now = 1700000000LL * CB_SEC;
}

static inline void cb_wait(struct cb *b, int64_t ns)
{
	b->now += ns;
}

/* A segment from the client (DIR_C2S) or the server (DIR_S2C), no options. */
static inline struct tcp_segment cb_seg(struct cb *b, int dir, uint16_t flags, uint32_t seq,
					uint32_t ack, uint32_t len, uint16_t win)
{
	struct tcp_segment s;
	const struct tcp_endpoint *from = &b->c.ep[dir], *to = &b->c.ep[!dir];

	memset(&s, 0, sizeof(s));
	s.frame = ++b->frame;
	s.ts_ns = b->now;
	s.src = from->addr;
	s.sport = from->port;
	s.dst = to->addr;
	s.dport = to->port;
	s.flags = flags;
	s.seq = seq;
	s.ack = (flags & TH_ACK) ? ack : 0;
	s.payload_len = len;
	s.payload_caplen = len;
	s.window = win;
	return s;
}

/* The options a modern Linux SYN carries; wscale < 0 leaves window scaling out. */
static inline void cb_syn_opts(struct tcp_segment *s, uint16_t mss, int wscale)
{
	s->opt.has_mss = true;
	s->opt.mss = mss;
	s->opt.sack_permitted = true;
	s->opt.has_timestamps = true;
	s->opt.tsval = 1000;
	if (wscale >= 0) {
		s->opt.has_wscale = true;
		s->opt.wscale = (uint8_t)wscale;
	}
}

/* What analyzer.c does per segment, in its order. */
static inline uint32_t cb_feed(struct cb *b, const struct tcp_segment *s)
{
	int dir = conn_dir(&b->c, s);
	uint32_t ev = classify_segment(&b->c, dir, s);

	tcp_state_update(&b->c, dir, s, ev);
	history_add(&b->c.history, dir, s, ev);
	return ev;
}

static inline uint32_t cb_send(struct cb *b, int dir, uint16_t flags, uint32_t seq, uint32_t ack,
			       uint32_t len, uint16_t win)
{
	struct tcp_segment s = cb_seg(b, dir, flags, seq, ack, len, win);

	return cb_feed(b, &s);
}

/* SYN, SYN-ACK, ACK, 10 ms apart, both offering window scale 7. Afterwards the
 * client's next seq is cisn+1 and the server's sisn+1. */
static inline void cb_handshake(struct cb *b, uint32_t cisn, uint32_t sisn)
{
	struct tcp_segment s;

	s = cb_seg(b, DIR_C2S, F_S, cisn, 0, 0, 64240);
	cb_syn_opts(&s, 1460, 7);
	cb_feed(b, &s);
	cb_wait(b, 10 * CB_MS);
	s = cb_seg(b, DIR_S2C, F_SA, sisn, cisn + 1, 0, 65160);
	cb_syn_opts(&s, 1460, 7);
	cb_feed(b, &s);
	cb_wait(b, 10 * CB_MS);
	cb_send(b, DIR_C2S, F_A, cisn + 1, sisn + 1, 0, 502);
	cb_wait(b, 1 * CB_MS);
}

/* True when every bit of `want` is among `got`. */
static inline int cb_has(uint32_t got, uint32_t want)
{
	return (got & want) == want;
}

#endif
