/*
 * classify.h - per-segment analysis against both sides' sequence space.
 *
 * classify_segment() looks at one segment from c->ep[dir] against what that
 * sender has sent before and what its peer has acknowledged and advertised, and
 * returns what the segment is as SEG_* bits. It then records the segment in the
 * sender's bookkeeping (highest seq, ISN, window scale, timestamps, counters).
 * Window scaling and wrap-safe comparisons are applied throughout.
 *
 * The bits are the events detectors consume; a segment can carry several
 * (a retransmitted FIN that also advertises a zero window).
 */
#ifndef TCPAUTOPSY_ANALYZER_CLASSIFY_H
#define TCPAUTOPSY_ANALYZER_CLASSIFY_H

#include <stdint.h>

#include "dissect/segment.h"

enum seg_event {
	SEG_NEW_DATA = 1u << 0,		/* payload (or SYN/FIN) at the next expected seq */
	SEG_RETRANSMISSION = 1u << 1,	/* payload/FIN the sender already sent */
	SEG_SPURIOUS_RETRANS = 1u << 2, /* ...and the peer had already acknowledged it */
	SEG_OUT_OF_ORDER = 1u << 3,	/* fills a hole soon after later data was seen */
	SEG_PREV_NOT_CAPTURED = 1u << 4,/* starts beyond the next expected seq: a gap */
	SEG_ACKED_UNSEEN = 1u << 5,	/* acknowledges data of the peer we never saw */
	SEG_DUP_ACK = 1u << 6,		/* same ack, same window, no data, peer has data out */
	SEG_WINDOW_UPDATE = 1u << 7,	/* no data, same seq/ack, window changed */
	SEG_ZERO_WINDOW = 1u << 8,	/* advertises a zero receive window */
	SEG_ZERO_WINDOW_PROBE = 1u << 9,/* probes a peer that advertised a zero window */
	SEG_KEEPALIVE = 1u << 10,	/* seq = snd_nxt - 1, 0 or 1 byte, peer window open */
	SEG_KEEPALIVE_ACK = 1u << 11,	/* bare ACK answering a keep-alive */
	SEG_CHALLENGE_ACK = 1u << 12,	/* bare ACK with the sender's old snd_nxt/rcv_nxt,
					 * answering a SYN or an inexact RST (RFC 5961) */
	SEG_RST_EXACT = 1u << 13,	/* RST with seq == receiver's rcv_nxt */
	SEG_RST_IN_WINDOW = 1u << 14,	/* RST inside the receive window but not exact */
	SEG_RST_OUT_OF_WINDOW = 1u << 15,/* RST outside the receive window */
	SEG_RST_STATELESS = 1u << 16,	/* RST without ACK, window 0, no options: sent by a
					 * stack that had no socket (or answered statelessly) */
	SEG_SYN_RETRANS = 1u << 17,	/* SYN with the ISN already sent */
	SEG_SYNACK_RETRANS_TIMER = 1u << 18, /* SYN-ACK re-sent by the server's timer */
	SEG_SYNACK_RETRANS_DUP = 1u << 19,   /* SYN-ACK re-sent to answer a repeated SYN */
	SEG_FIN = 1u << 20,		/* carries FIN (first time or again) */
	SEG_WINDOW_FULL = 1u << 21,	/* data fills the peer's advertised window */
	SEG_BAD_FLAGS = 1u << 22,	/* SYN+FIN, SYN+RST, FIN+RST or no flags at all */
};

struct tcp_conn;

uint32_t classify_segment(struct tcp_conn *c, int dir, const struct tcp_segment *seg);

struct tcp_endpoint;

/* The window seg advertises, in bytes, from its sender s: scaled by s->wscale
 * except on a SYN (RFC 7323 §2.2). */
uint32_t classify_window_bytes(const struct tcp_endpoint *s, const struct tcp_segment *seg);

/* Stable names ("retransmission", "zero_window", ...) for each bit, for debug
 * output and tests. Returns NULL for a bit that is not a SEG_* value. */
const char *seg_event_name(uint32_t bit);

#endif
