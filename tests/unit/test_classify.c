/*
 * test_classify.c - the per-segment sequence analysis (analyzer/classify.c)
 * and the history string (analyzer/history.c).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "tests/unit/check.h"
#include "tests/unit/conn_builder.h"

#define C_ISN 1000u
#define S_ISN 5000u

static void test_handshake_options(void)
{
	struct cb b;
	struct tcp_endpoint *cl = &b.c.ep[CLIENT], *sv = &b.c.ep[SERVER];

	cb_init(&b);
	cb_handshake(&b, C_ISN, S_ISN);
	CHECK(cl->isn_known && cl->isn == C_ISN);
	CHECK(sv->isn_known && sv->isn == S_ISN);
	CHECK_INT(cl->nxt, C_ISN + 1);
	CHECK_INT(sv->nxt, S_ISN + 1);
	CHECK_INT(cl->mss, 1460);
	CHECK(cl->sack_permitted && cl->timestamps);
	CHECK_INT(cl->wscale, 7);
	CHECK_INT(sv->wscale, 7);
	CHECK_INT(cl->syns, 1);
	/* The SYN-ACK's window is never scaled; the client's ACK is. */
	CHECK_INT(sv->window, 65160);
	CHECK_INT(cl->window, 502u << 7);
	CHECK_INT(cl->window_raw, 502);
	CHECK_INT(sv->ack, C_ISN + 1);
	CHECK_INT(cl->ack, S_ISN + 1);
	CHECK_STR(b.c.history.s, "ShA");
}

static void test_wscale_one_side(void)
{
	struct cb b;
	struct tcp_segment s;
	uint32_t ev;

	cb_init(&b);
	s = cb_seg(&b, DIR_C2S, F_S, C_ISN, 0, 0, 64240);
	cb_syn_opts(&s, 1460, 7);
	cb_feed(&b, &s);
	s = cb_seg(&b, DIR_S2C, F_SA, S_ISN, C_ISN + 1, 0, 8192);
	cb_syn_opts(&s, 1400, -1);
	cb_feed(&b, &s);
	CHECK_INT(b.c.ep[CLIENT].wscale, 0);
	CHECK_INT(b.c.ep[SERVER].wscale, 0);
	CHECK_INT(b.c.ep[SERVER].mss, 1400);
	ev = cb_send(&b, DIR_C2S, F_A, C_ISN + 1, S_ISN + 1, 0, 502);
	CHECK_INT(ev, 0);
	CHECK_INT(b.c.ep[CLIENT].window, 502);

	/* RFC 7323: a shift above 14 counts as 14. */
	cb_init(&b);
	s = cb_seg(&b, DIR_C2S, F_S, C_ISN, 0, 0, 64240);
	cb_syn_opts(&s, 1460, 15);
	cb_feed(&b, &s);
	s = cb_seg(&b, DIR_S2C, F_SA, S_ISN, C_ISN + 1, 0, 8192);
	cb_syn_opts(&s, 1460, 2);
	cb_feed(&b, &s);
	CHECK_INT(b.c.ep[CLIENT].wscale, 14);
	CHECK_INT(b.c.ep[SERVER].wscale, 2);
	cb_send(&b, DIR_S2C, F_A, S_ISN + 1, C_ISN + 1, 0, 100);
	CHECK_INT(b.c.ep[SERVER].window, 400);
}

static void test_new_data_and_gso(void)
{
	struct cb b;
	uint32_t ev;

	cb_init(&b);
	cb_handshake(&b, C_ISN, S_ISN);
	ev = cb_send(&b, DIR_C2S, F_PA, C_ISN + 1, S_ISN + 1, 100, 502);
	CHECK_INT(ev, SEG_NEW_DATA);
	CHECK_INT(b.c.ep[CLIENT].nxt, C_ISN + 101);
	/* A GSO super-frame captured on the sender: 64000 bytes in one. */
	ev = cb_send(&b, DIR_C2S, F_A, C_ISN + 101, S_ISN + 1, 64000, 502);
	CHECK_INT(ev, SEG_NEW_DATA);
	CHECK_INT(b.c.ep[CLIENT].nxt, C_ISN + 64101);
	ev = cb_send(&b, DIR_C2S, F_A, C_ISN + 64101, S_ISN + 1, 1448, 502);
	CHECK_INT(ev, SEG_NEW_DATA);
	CHECK_INT(b.c.ep[CLIENT].bytes, 100 + 64000 + 1448);
	CHECK_INT(b.c.ep[CLIENT].retransmissions, 0);
	CHECK_STR(b.c.history.s, "ShAD");
}

static void test_retrans_reorder_gap(void)
{
	struct cb b;
	struct tcp_endpoint *cl = &b.c.ep[CLIENT];
	uint32_t ev, d = C_ISN + 1;

	cb_init(&b);
	cb_handshake(&b, C_ISN, S_ISN);
	cb_send(&b, DIR_C2S, F_A, d, S_ISN + 1, 1000, 502);
	/* 1000 bytes skipped: a gap. */
	ev = cb_send(&b, DIR_C2S, F_A, d + 2000, S_ISN + 1, 1000, 502);
	CHECK_INT(ev, SEG_PREV_NOT_CAPTURED);
	CHECK_INT(cl->missing_bytes, 1000);
	CHECK_INT(cl->nxt, d + 3000);
	/* The missing bytes 1 ms later: reordering, not a retransmission. */
	cb_wait(&b, 1 * CB_MS);
	ev = cb_send(&b, DIR_C2S, F_A, d + 1000, S_ISN + 1, 1000, 502);
	CHECK_INT(ev, SEG_OUT_OF_ORDER);
	CHECK_INT(cl->out_of_order, 1);
	CHECK_INT(cl->missing_bytes, 0);
	CHECK(!cl->hole);
	CHECK_INT(cl->retransmissions, 0);
	/* The first segment again: a retransmission. */
	ev = cb_send(&b, DIR_C2S, F_A, d, S_ISN + 1, 1000, 502);
	CHECK_INT(ev, SEG_RETRANSMISSION);
	CHECK_INT(cl->retransmissions, 1);

	/* A hole filled 50 ms later, handshake RTT unknown: retransmission. */
	ev = cb_send(&b, DIR_C2S, F_A, d + 4000, S_ISN + 1, 500, 502);
	CHECK_INT(ev, SEG_PREV_NOT_CAPTURED);
	cb_wait(&b, 50 * CB_MS);
	ev = cb_send(&b, DIR_C2S, F_A, d + 3000, S_ISN + 1, 1000, 502);
	CHECK_INT(ev, SEG_RETRANSMISSION);
	CHECK_INT(cl->missing_bytes, 1000);

	/* ...but with a 100 ms handshake RTT, 50 ms is still reordering; half
	 * the hole first, then the other half. */
	b.c.handshake_rtt_ns = 100 * CB_MS;
	ev = cb_send(&b, DIR_C2S, F_A, d + 6500, S_ISN + 1, 500, 502);
	CHECK_INT(ev, SEG_PREV_NOT_CAPTURED);
	CHECK_INT(cl->missing_bytes, 3000);
	cb_wait(&b, 50 * CB_MS);
	ev = cb_send(&b, DIR_C2S, F_A, d + 4500, S_ISN + 1, 1000, 502);
	CHECK_INT(ev, SEG_OUT_OF_ORDER);
	ev = cb_send(&b, DIR_C2S, F_A, d + 5500, S_ISN + 1, 1000, 502);
	CHECK_INT(ev, SEG_OUT_OF_ORDER);
	CHECK_INT(cl->missing_bytes, 1000);
	CHECK_INT(cl->out_of_order, 3);

	/* Partly old, partly new: a retransmission that moves nxt. */
	ev = cb_send(&b, DIR_C2S, F_A, d + 6500, S_ISN + 1, 1000, 502);
	CHECK_INT(ev, SEG_RETRANSMISSION);
	CHECK_INT(cl->nxt, d + 7500);
	CHECK_STR(b.c.history.s, "ShADGT");
}

static void test_spurious_and_acked_unseen(void)
{
	struct cb b;
	uint32_t ev;

	cb_init(&b);
	cb_handshake(&b, C_ISN, S_ISN);
	cb_send(&b, DIR_C2S, F_PA, C_ISN + 1, S_ISN + 1, 100, 502);
	ev = cb_send(&b, DIR_S2C, F_A, S_ISN + 1, C_ISN + 101, 0, 509);
	CHECK_INT(ev, 0);
	ev = cb_send(&b, DIR_C2S, F_PA, C_ISN + 1, S_ISN + 1, 100, 502);
	CHECK_INT(ev, SEG_RETRANSMISSION | SEG_SPURIOUS_RETRANS);

	/* The server acks 300 client bytes the capture never had. */
	ev = cb_send(&b, DIR_S2C, F_A, S_ISN + 1, C_ISN + 401, 0, 509);
	CHECK_INT(ev, SEG_ACKED_UNSEEN);
	CHECK_INT(b.c.ep[CLIENT].missing_bytes, 300);
	CHECK_INT(b.c.ep[CLIENT].nxt, C_ISN + 401);
	ev = cb_send(&b, DIR_C2S, F_PA, C_ISN + 401, S_ISN + 1, 10, 502);
	CHECK_INT(ev, SEG_NEW_DATA);
}

static void test_dup_ack_window_update(void)
{
	struct cb b;
	uint32_t ev;

	cb_init(&b);
	cb_handshake(&b, C_ISN, S_ISN);
	cb_send(&b, DIR_C2S, F_A, C_ISN + 1, S_ISN + 1, 1000, 502);
	cb_send(&b, DIR_C2S, F_A, C_ISN + 1001, S_ISN + 1, 1000, 502);
	cb_send(&b, DIR_C2S, F_A, C_ISN + 2001, S_ISN + 1, 1000, 502);
	ev = cb_send(&b, DIR_S2C, F_A, S_ISN + 1, C_ISN + 1001, 0, 500);
	CHECK_INT(ev, 0);
	ev = cb_send(&b, DIR_S2C, F_A, S_ISN + 1, C_ISN + 1001, 0, 500);
	CHECK_INT(ev, SEG_DUP_ACK);
	ev = cb_send(&b, DIR_S2C, F_A, S_ISN + 1, C_ISN + 1001, 0, 500);
	CHECK_INT(ev, SEG_DUP_ACK);
	CHECK_INT(b.c.ep[SERVER].dup_acks, 2);
	/* Same seq and ack, another window: an update, not a dup ACK. */
	ev = cb_send(&b, DIR_S2C, F_A, S_ISN + 1, C_ISN + 1001, 0, 800);
	CHECK_INT(ev, SEG_WINDOW_UPDATE);
	/* Everything acked: the same ACK again is not a dup ACK. */
	cb_send(&b, DIR_S2C, F_A, S_ISN + 1, C_ISN + 3001, 0, 800);
	ev = cb_send(&b, DIR_S2C, F_A, S_ISN + 1, C_ISN + 3001, 0, 800);
	CHECK_INT(ev, 0);
}

static void test_window_full(void)
{
	struct cb b;
	uint32_t ev;

	cb_init(&b);
	cb_handshake(&b, C_ISN, S_ISN);
	/* Server advertises 10 << 7 = 1280 bytes. */
	cb_send(&b, DIR_S2C, F_A, S_ISN + 1, C_ISN + 1, 0, 10);
	ev = cb_send(&b, DIR_C2S, F_A, C_ISN + 1, S_ISN + 1, 1000, 502);
	CHECK_INT(ev, SEG_NEW_DATA);
	ev = cb_send(&b, DIR_C2S, F_A, C_ISN + 1001, S_ISN + 1, 280, 502);
	CHECK_INT(ev, SEG_NEW_DATA | SEG_WINDOW_FULL);
}

static void test_zero_window_probes(void)
{
	struct cb b;
	struct tcp_endpoint *cl = &b.c.ep[CLIENT];
	uint32_t ev, nxt = C_ISN + 1001;

	cb_init(&b);
	cb_handshake(&b, C_ISN, S_ISN);
	cb_send(&b, DIR_C2S, F_A, C_ISN + 1, S_ISN + 1, 1000, 502);
	ev = cb_send(&b, DIR_S2C, F_A, S_ISN + 1, nxt, 0, 0);
	CHECK_INT(ev, SEG_ZERO_WINDOW);
	CHECK_INT(b.c.ep[SERVER].zero_windows, 1);
	/* Linux persist probe: 0 bytes at snd_una - 1. */
	cb_wait(&b, 200 * CB_MS);
	ev = cb_send(&b, DIR_C2S, F_A, nxt - 1, S_ISN + 1, 0, 502);
	CHECK_INT(ev, SEG_ZERO_WINDOW_PROBE);
	CHECK_INT(cl->window_probes, 1);
	CHECK_INT(cl->keepalives, 0);
	ev = cb_send(&b, DIR_S2C, F_A, S_ISN + 1, nxt, 0, 0);
	CHECK_INT(ev, SEG_ZERO_WINDOW);
	/* BSD/Windows persist probe: 1 byte of new data at snd_nxt, then the
	 * same byte again. */
	ev = cb_send(&b, DIR_C2S, F_A, nxt, S_ISN + 1, 1, 502);
	CHECK_INT(ev, SEG_ZERO_WINDOW_PROBE);
	CHECK_INT(cl->nxt, nxt + 1);
	ev = cb_send(&b, DIR_S2C, F_A, S_ISN + 1, nxt, 0, 0);
	CHECK_INT(ev, SEG_ZERO_WINDOW);
	ev = cb_send(&b, DIR_C2S, F_A, nxt, S_ISN + 1, 1, 502);
	CHECK_INT(ev, SEG_ZERO_WINDOW_PROBE);
	CHECK_INT(cl->window_probes, 3);
	CHECK_INT(cl->retransmissions, 0);
	/* Window opens: the byte is acked, data flows on. */
	ev = cb_send(&b, DIR_S2C, F_A, S_ISN + 1, nxt + 1, 0, 100);
	CHECK_INT(ev, 0);
	ev = cb_send(&b, DIR_C2S, F_A, nxt + 1, S_ISN + 1, 100, 502);
	CHECK_INT(ev, SEG_NEW_DATA);
	CHECK_STR(b.c.history.s, "ShADaw");
}

static void test_keepalive(void)
{
	struct cb b;
	uint32_t ev;

	cb_init(&b);
	cb_handshake(&b, C_ISN, S_ISN);
	cb_send(&b, DIR_C2S, F_PA, C_ISN + 1, S_ISN + 1, 10, 502);
	cb_send(&b, DIR_S2C, F_A, S_ISN + 1, C_ISN + 11, 0, 509);
	cb_wait(&b, 7200 * CB_SEC);
	ev = cb_send(&b, DIR_C2S, F_A, C_ISN + 10, S_ISN + 1, 0, 502);
	CHECK_INT(ev, SEG_KEEPALIVE);
	CHECK_INT(b.c.ep[CLIENT].keepalives, 1);
	ev = cb_send(&b, DIR_S2C, F_A, S_ISN + 1, C_ISN + 11, 0, 509);
	CHECK_INT(ev, SEG_KEEPALIVE_ACK);
	/* Windows: 1 byte at snd_una - 1; not a retransmission. */
	cb_wait(&b, 1 * CB_SEC);
	ev = cb_send(&b, DIR_C2S, F_A, C_ISN + 10, S_ISN + 1, 1, 502);
	CHECK_INT(ev, SEG_KEEPALIVE);
	CHECK_INT(b.c.ep[CLIENT].retransmissions, 0);
	ev = cb_send(&b, DIR_S2C, F_A, S_ISN + 1, C_ISN + 11, 0, 509);
	CHECK_INT(ev, SEG_KEEPALIVE_ACK);
	/* A second ACK is no answer to anything. */
	ev = cb_send(&b, DIR_S2C, F_A, S_ISN + 1, C_ISN + 11, 0, 509);
	CHECK_INT(ev, 0);
	/* The last byte again before it was acknowledged: a retransmission. */
	cb_send(&b, DIR_C2S, F_PA, C_ISN + 11, S_ISN + 1, 1, 502);
	ev = cb_send(&b, DIR_C2S, F_PA, C_ISN + 11, S_ISN + 1, 1, 502);
	CHECK_INT(ev, SEG_RETRANSMISSION);
}

static void test_rst_classes(void)
{
	struct cb b;
	struct tcp_segment s;
	uint32_t ev;

	/* Exact: at the receiver's rcv_nxt. */
	cb_init(&b);
	cb_handshake(&b, C_ISN, S_ISN);
	cb_send(&b, DIR_S2C, F_A, S_ISN + 1, C_ISN + 1, 0, 509);
	ev = cb_send(&b, DIR_C2S, F_RA, C_ISN + 1, S_ISN + 1, 0, 502);
	CHECK_INT(ev, SEG_RST_EXACT);
	CHECK_INT(b.c.ep[CLIENT].rsts, 1);

	/* In the window (509 << 7) but not exact; then out of it. */
	cb_init(&b);
	cb_handshake(&b, C_ISN, S_ISN);
	cb_send(&b, DIR_S2C, F_A, S_ISN + 1, C_ISN + 1, 0, 509);
	ev = cb_send(&b, DIR_C2S, F_RA, C_ISN + 1 + 1000, S_ISN + 1, 0, 502);
	CHECK_INT(ev, SEG_RST_IN_WINDOW);
	ev = cb_send(&b, DIR_C2S, F_RA, C_ISN + 1 + 1000000, S_ISN + 1, 0, 502);
	CHECK_INT(ev, SEG_RST_OUT_OF_WINDOW);
	ev = cb_send(&b, DIR_C2S, F_RA, C_ISN, S_ISN + 1, 0, 502);
	CHECK_INT(ev, SEG_RST_OUT_OF_WINDOW);

	/* Stateless: ACK clear, window 0, no options. */
	cb_init(&b);
	cb_handshake(&b, C_ISN, S_ISN);
	cb_send(&b, DIR_C2S, F_PA, C_ISN + 1, S_ISN + 1, 10, 502);
	ev = cb_send(&b, DIR_S2C, F_R, C_ISN + 11 - 10, 0, 0, 0);
	CHECK_INT(ev, SEG_RST_STATELESS | SEG_RST_OUT_OF_WINDOW);
	ev = cb_send(&b, DIR_S2C, F_R, S_ISN + 1, 0, 0, 0);
	CHECK_INT(ev, SEG_RST_STATELESS | SEG_RST_EXACT);
	/* The same with a timestamp option is not stateless. */
	s = cb_seg(&b, DIR_S2C, F_R, S_ISN + 1, 0, 0, 0);
	s.opt.has_timestamps = true;
	ev = cb_feed(&b, &s);
	CHECK_INT(ev, SEG_RST_EXACT);
	CHECK_STR(b.c.history.s, "ShADrr");
}

static void test_refused_and_syn_retrans(void)
{
	struct cb b;
	uint32_t ev;

	cb_init(&b);
	ev = cb_send(&b, DIR_C2S, F_S, C_ISN, 0, 0, 64240);
	CHECK_INT(ev, 0);
	cb_wait(&b, 1 * CB_SEC);
	ev = cb_send(&b, DIR_C2S, F_S, C_ISN, 0, 0, 64240);
	CHECK_INT(ev, SEG_SYN_RETRANS);
	CHECK_INT(b.c.ep[CLIENT].retransmissions, 1);
	CHECK_INT(b.c.ep[CLIENT].syns, 2);
	ev = cb_send(&b, DIR_S2C, F_RA, 0, C_ISN + 1, 0, 0);
	CHECK_INT(ev, SEG_RST_EXACT);
	CHECK_STR(b.c.history.s, "Sr");
}

/* SYN at 0, SYN-ACK at 50 ms, the client's ACK; a second SYN-ACK at `when`
 * after the first, with an optional client SYN `syn_before` ahead of it. */
static uint32_t synack_again(int64_t syn_before, int64_t when)
{
	struct cb b;
	int64_t t0;

	cb_init(&b);
	cb_send(&b, DIR_C2S, F_S, C_ISN, 0, 0, 64240);
	cb_wait(&b, 50 * CB_MS);
	t0 = b.now;
	cb_send(&b, DIR_S2C, F_SA, S_ISN, C_ISN + 1, 0, 65160);
	if (syn_before) {
		b.now = t0 + when - syn_before;
		cb_send(&b, DIR_C2S, F_S, C_ISN, 0, 0, 64240);
	}
	b.now = t0 + when;
	return cb_send(&b, DIR_S2C, F_SA, S_ISN, C_ISN + 1, 0, 65160);
}

static void test_synack_timer_vs_dup(void)
{
	CHECK_INT(synack_again(0, 1 * CB_SEC), SEG_SYNACK_RETRANS_TIMER);
	/* Client vantage: the SYN went out 50 ms (one RTT) before. */
	CHECK_INT(synack_again(50 * CB_MS, 1 * CB_SEC), SEG_SYNACK_RETRANS_DUP);
	/* Server vantage: microseconds. */
	CHECK_INT(synack_again(20000, 3 * CB_SEC), SEG_SYNACK_RETRANS_DUP);
	/* A SYN 500 ms earlier did not cause it: max(200 ms, 1.5 * 50 ms). */
	CHECK_INT(synack_again(500 * CB_MS, 1 * CB_SEC), SEG_SYNACK_RETRANS_TIMER);
}

static void test_wrap(void)
{
	struct cb b;
	struct tcp_endpoint *cl = &b.c.ep[CLIENT];
	uint32_t ev, isn = 0xFFFFFF00u;

	cb_init(&b);
	cb_handshake(&b, isn, S_ISN);
	ev = cb_send(&b, DIR_C2S, F_A, isn + 1, S_ISN + 1, 0x200, 502);
	CHECK_INT(ev, SEG_NEW_DATA);
	CHECK_INT(cl->nxt, 0x101u);
	ev = cb_send(&b, DIR_C2S, F_A, 0x101u, S_ISN + 1, 0x100, 502);
	CHECK_INT(ev, SEG_NEW_DATA);
	ev = cb_send(&b, DIR_C2S, F_A, isn + 1, S_ISN + 1, 0x200, 502);
	CHECK_INT(ev, SEG_RETRANSMISSION);
	ev = cb_send(&b, DIR_S2C, F_A, S_ISN + 1, 0x201u, 0, 509);
	CHECK_INT(ev, 0);
	ev = cb_send(&b, DIR_C2S, F_A, isn + 1, S_ISN + 1, 0x200, 502);
	CHECK_INT(ev, SEG_RETRANSMISSION | SEG_SPURIOUS_RETRANS);
	cb_wait(&b, 100 * CB_MS);
	ev = cb_send(&b, DIR_C2S, F_A, 0x301u, S_ISN + 1, 0x100, 502);
	CHECK_INT(ev, SEG_PREV_NOT_CAPTURED);
	CHECK_INT(cl->missing_bytes, 0x100);

	/* An ACK across the wrap acknowledging unseen data. */
	cb_init(&b);
	cb_handshake(&b, C_ISN, 0xFFFFFFF0u);
	ev = cb_send(&b, DIR_C2S, F_A, C_ISN + 1, 0x10u, 0, 502);
	CHECK_INT(ev, SEG_ACKED_UNSEEN);
	CHECK_INT(b.c.ep[SERVER].missing_bytes, 0x1F);
}

/* A new SYN on a tuple whose old server socket sits in CLOSE-WAIT with
 * snd_nxt 7000 and rcv_nxt 3001 (kernel-signatures.md §2.4). */
static void stale_setup(struct cb *b, bool with_prev)
{
	cb_init(b);
	if (with_prev) {
		b->c.prev.id = 7;
		b->c.prev.nxt[SERVER] = 7000;
		b->c.prev.ack[SERVER] = 3001;
		b->c.prev.seq_known[SERVER] = true;
		b->c.prev.ack_known[SERVER] = true;
	}
	cb_send(b, DIR_C2S, F_S, C_ISN, 0, 0, 64240);
}

static void test_challenge_ack_new_syn(void)
{
	struct cb b;
	struct tcp_endpoint *cl = &b.c.ep[CLIENT], *sv = &b.c.ep[SERVER];
	uint32_t ev;

	for (int with_prev = 1; with_prev >= 0; with_prev--) {
		stale_setup(&b, with_prev);
		ev = cb_send(&b, DIR_S2C, F_A, 7000, 3001, 0, 509);
		CHECK_INT(ev, SEG_CHALLENGE_ACK);
		CHECK_INT(sv->packets, 1);
		CHECK(!sv->isn_known && !sv->seq_known && !sv->ack_known);
		CHECK_INT(sv->window, 0);
		CHECK_INT(cl->nxt, C_ISN + 1);
		CHECK_INT(cl->missing_bytes, 0);
		/* The client's RST carries the challenge's ack. */
		ev = cb_send(&b, DIR_C2S, F_R, 3001, 0, 0, 0);
		CHECK_INT(ev, SEG_RST_EXACT | SEG_RST_STATELESS);
		CHECK(!cl->ack_known);
		CHECK_INT(cl->nxt, C_ISN + 1);
		CHECK_INT(cl->rsts, 1);
		CHECK_INT(cl->packets, 2);
		/* The SYN again, then a normal handshake. */
		cb_wait(&b, 2 * CB_MS);
		ev = cb_send(&b, DIR_C2S, F_S, C_ISN, 0, 0, 64240);
		CHECK_INT(ev, SEG_SYN_RETRANS);
		ev = cb_send(&b, DIR_S2C, F_SA, S_ISN, C_ISN + 1, 0, 65160);
		CHECK_INT(ev, 0);
		CHECK(sv->isn_known && sv->isn == S_ISN);
		ev = cb_send(&b, DIR_C2S, F_A, C_ISN + 1, S_ISN + 1, 0, 502);
		CHECK_INT(ev, 0);
		CHECK_STR(b.c.history.s, "SaRhA");
	}

	/* A server whose SYN-ACK the capture missed, ACKing data, is no
	 * challenge: the client's last segment was not a SYN. */
	stale_setup(&b, false);
	cb_send(&b, DIR_C2S, F_PA, C_ISN + 1, S_ISN + 1, 10, 502);
	ev = cb_send(&b, DIR_S2C, F_A, S_ISN + 1, C_ISN + 11, 0, 509);
	CHECK(!(ev & SEG_CHALLENGE_ACK));
}

static void test_challenge_ack_inexact_rst(void)
{
	struct cb b;
	uint32_t ev;

	cb_init(&b);
	cb_handshake(&b, C_ISN, S_ISN);
	cb_send(&b, DIR_C2S, F_PA, C_ISN + 1, S_ISN + 1, 100, 502);
	cb_send(&b, DIR_S2C, F_A, S_ISN + 1, C_ISN + 101, 0, 509);
	ev = cb_send(&b, DIR_C2S, F_RA, C_ISN + 301, S_ISN + 1, 0, 502);
	CHECK_INT(ev, SEG_RST_IN_WINDOW);
	ev = cb_send(&b, DIR_S2C, F_A, S_ISN + 1, C_ISN + 101, 0, 509);
	CHECK_INT(ev, SEG_CHALLENGE_ACK);
	ev = cb_send(&b, DIR_C2S, F_R, C_ISN + 101, 0, 0, 0);
	CHECK_INT(ev, SEG_RST_EXACT | SEG_RST_STATELESS);
}

static void test_bad_flags(void)
{
	struct cb b;

	cb_init(&b);
	CHECK(cb_has(cb_send(&b, DIR_C2S, TH_SYN | TH_FIN, C_ISN, 0, 0, 100), SEG_BAD_FLAGS));
	CHECK(cb_has(cb_send(&b, DIR_S2C, TH_FIN | TH_RST, 0, 0, 0, 0), SEG_BAD_FLAGS));
	CHECK(cb_has(cb_send(&b, DIR_S2C, 0, 0, 0, 0, 0), SEG_BAD_FLAGS));
	CHECK(cb_has(cb_send(&b, DIR_C2S, TH_SYN | TH_RST, C_ISN, 0, 0, 100), SEG_BAD_FLAGS));
	CHECK(!cb_has(cb_send(&b, DIR_C2S, F_A, C_ISN + 1, 0, 0, 100), SEG_BAD_FLAGS));
	CHECK_STR(b.c.history.s, "QiA");
}

static void test_event_names(void)
{
	CHECK_STR(seg_event_name(SEG_RETRANSMISSION), "retransmission");
	CHECK_STR(seg_event_name(SEG_ZERO_WINDOW), "zero_window");
	CHECK_STR(seg_event_name(SEG_CHALLENGE_ACK), "challenge_ack");
	CHECK_STR(seg_event_name(SEG_BAD_FLAGS), "bad_flags");
	CHECK(seg_event_name(0) == NULL);
	CHECK(seg_event_name(SEG_FIN | SEG_NEW_DATA) == NULL);
	CHECK(seg_event_name(1u << 30) == NULL);
	for (uint32_t bit = 1; bit <= SEG_BAD_FLAGS; bit <<= 1)
		CHECK(seg_event_name(bit) != NULL);
}

static void test_history(void)
{
	struct cb b;
	struct history *h = &b.c.history;
	uint32_t d = C_ISN + 1;

	cb_init(&b);
	cb_handshake(&b, C_ISN, S_ISN);
	cb_send(&b, DIR_C2S, F_PA, d, S_ISN + 1, 10, 502);
	cb_send(&b, DIR_S2C, F_PA, S_ISN + 1, d + 10, 20, 509);
	cb_send(&b, DIR_C2S, F_FA, d + 10, S_ISN + 21, 0, 502);
	cb_send(&b, DIR_C2S, F_FA, d + 10, S_ISN + 21, 0, 502);
	cb_send(&b, DIR_S2C, F_FA, S_ISN + 21, d + 11, 0, 509);
	cb_send(&b, DIR_C2S, F_A, d + 11, S_ISN + 22, 0, 502);
	CHECK_STR(h->s, "ShADdFTf");

	/* Retransmissions on a log scale: 1st, 10th, 100th. */
	cb_init(&b);
	cb_handshake(&b, C_ISN, S_ISN);
	cb_send(&b, DIR_C2S, F_A, d, S_ISN + 1, 10, 502);
	for (int i = 0; i < 100; i++)
		cb_send(&b, DIR_C2S, F_A, d, S_ISN + 1, 10, 502);
	CHECK_STR(h->s, "ShADTTT");

	/* The guessed-roles mark goes first, once. */
	history_mark_guessed(h);
	history_mark_guessed(h);
	CHECK_STR(h->s, "^ShADTTT");

	/* Full: stops at HISTORY_MAX - 1, NUL-terminated. */
	cb_init(&b);
	for (uint32_t i = 0; i < 200; i++)
		cb_send(&b, (int)(i & 1), F_S, i, 0, 0, 100);
	CHECK_INT(h->len, HISTORY_MAX - 1);
	CHECK_INT(strlen(h->s), HISTORY_MAX - 1);
	CHECK(h->s[0] == 'S' && h->s[1] == 's');
	history_mark_guessed(h);
	CHECK_INT(strlen(h->s), HISTORY_MAX - 1);
	CHECK(h->s[0] == '^' && h->s[1] == 'S');
}

int main(void)
{
	RUN(test_handshake_options);
	RUN(test_wscale_one_side);
	RUN(test_new_data_and_gso);
	RUN(test_retrans_reorder_gap);
	RUN(test_spurious_and_acked_unseen);
	RUN(test_dup_ack_window_update);
	RUN(test_window_full);
	RUN(test_zero_window_probes);
	RUN(test_keepalive);
	RUN(test_rst_classes);
	RUN(test_refused_and_syn_retrans);
	RUN(test_synack_timer_vs_dup);
	RUN(test_wrap);
	RUN(test_challenge_ack_new_syn);
	RUN(test_challenge_ack_inexact_rst);
	RUN(test_bad_flags);
	RUN(test_event_names);
	RUN(test_history);
	return check_done("test_classify");
}
