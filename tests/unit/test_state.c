/*
 * test_state.c - both endpoints' RFC 9293 states (analyzer/tcp_state.c) and
 * their timelines (analyzer/conn.c).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "tests/unit/check.h"
#include "tests/unit/conn_builder.h"

#define C_ISN 1000u
#define S_ISN 5000u
#define CD    (C_ISN + 1) /* client's first data byte */
#define SD    (S_ISN + 1)

#define CST(b) ((b)->c.ep[CLIENT].state)
#define SST(b) ((b)->c.ep[SERVER].state)

/* Both states at once, by name, so a failure says what they were. */
#define CHECK_STATES(b, cs, ss)                                                                    \
	do {                                                                                       \
		CHECK_STR(tcp_state_name(CST(b)), cs);                                             \
		CHECK_STR(tcp_state_name(SST(b)), ss);                                             \
	} while (0)

/* Handshake, then 10 request bytes and 20 answer bytes, both ACKed. */
static void established(struct cb *b)
{
	cb_init(b);
	cb_handshake(b, C_ISN, S_ISN);
	cb_send(b, DIR_C2S, F_PA, CD, SD, 10, 502);
	cb_send(b, DIR_S2C, F_PA, SD, CD + 10, 20, 509);
	cb_send(b, DIR_C2S, F_A, CD + 10, SD + 20, 0, 502);
}

static void test_names(void)
{
	CHECK_STR(tcp_state_name(TCP_SYN_SENT), "SYN-SENT");
	CHECK_STR(tcp_state_name(TCP_FIN_WAIT_1), "FIN-WAIT-1");
	CHECK_STR(tcp_state_name(TCP_CLOSE_WAIT), "CLOSE-WAIT");
	CHECK_STR(tcp_state_name(TCP_TIME_WAIT), "TIME-WAIT");
	CHECK_STR(tcp_state_name(TCP_STATE_COUNT), "UNKNOWN");
	CHECK(!tcp_state_synchronized(TCP_SYN_RECEIVED));
	CHECK(tcp_state_synchronized(TCP_ESTABLISHED));
	CHECK(tcp_state_synchronized(TCP_TIME_WAIT));
	CHECK(!tcp_state_synchronized(TCP_CLOSED));
	CHECK_STR(conn_end_name(END_CAPTURE), "capture_end");
	CHECK_STR(conn_end_name(END_REUSED), "reused");
	CHECK_STR(conn_end_name(END_EVICTED), "evicted");
}

static void test_handshake(void)
{
	struct cb b;

	cb_init(&b);
	cb_send(&b, DIR_C2S, F_S, C_ISN, 0, 0, 64240);
	CHECK_STATES(&b, "SYN-SENT", "CLOSED");
	cb_send(&b, DIR_S2C, F_SA, S_ISN, C_ISN + 1, 0, 65160);
	CHECK_STATES(&b, "ESTABLISHED", "SYN-RECEIVED");
	CHECK(endpoint_presumed(&b.c.ep[CLIENT]));
	cb_send(&b, DIR_C2S, F_A, CD, SD, 0, 502);
	CHECK_STATES(&b, "ESTABLISHED", "ESTABLISHED");
	CHECK(!endpoint_presumed(&b.c.ep[CLIENT]));
	CHECK(endpoint_presumed(&b.c.ep[SERVER]));
	cb_send(&b, DIR_S2C, F_A, SD, CD, 0, 509);
	CHECK(!endpoint_presumed(&b.c.ep[SERVER]));
	CHECK_INT(b.c.ep[CLIENT].timeline.count, 2);
	CHECK_INT(b.c.ep[CLIENT].timeline.at[0].state, TCP_SYN_SENT);
	CHECK_INT(b.c.ep[CLIENT].timeline.at[0].frame, 1);
	CHECK_INT(b.c.ep[CLIENT].timeline.at[1].frame, 2);
}

static void test_client_first_close(void)
{
	struct cb b;

	established(&b);
	cb_send(&b, DIR_C2S, F_FA, CD + 10, SD + 20, 0, 502);
	CHECK_STATES(&b, "FIN-WAIT-1", "CLOSE-WAIT");
	CHECK(endpoint_presumed(&b.c.ep[SERVER]));
	cb_send(&b, DIR_S2C, F_A, SD + 20, CD + 11, 0, 509);
	CHECK_STATES(&b, "FIN-WAIT-2", "CLOSE-WAIT");
	CHECK(!endpoint_presumed(&b.c.ep[SERVER]));
	cb_send(&b, DIR_S2C, F_FA, SD + 20, CD + 11, 0, 509);
	CHECK_STATES(&b, "TIME-WAIT", "LAST-ACK");
	cb_send(&b, DIR_C2S, F_A, CD + 11, SD + 21, 0, 502);
	CHECK_STATES(&b, "TIME-WAIT", "CLOSED");
	CHECK(!endpoint_presumed(&b.c.ep[CLIENT]));
	CHECK(endpoint_presumed(&b.c.ep[SERVER]));
}

static void test_server_first_close(void)
{
	struct cb b;

	established(&b);
	cb_send(&b, DIR_S2C, F_FA, SD + 20, CD + 10, 0, 509);
	CHECK_STATES(&b, "CLOSE-WAIT", "FIN-WAIT-1");
	/* FIN+ACK acknowledging the server's FIN: FIN-WAIT-2 then TIME-WAIT
	 * at once for the server. */
	cb_send(&b, DIR_C2S, F_FA, CD + 10, SD + 21, 0, 502);
	CHECK_STATES(&b, "LAST-ACK", "TIME-WAIT");
	cb_send(&b, DIR_S2C, F_A, SD + 21, CD + 11, 0, 509);
	CHECK_STATES(&b, "CLOSED", "TIME-WAIT");
	CHECK_INT(b.c.ep[SERVER].timeline.at[b.c.ep[SERVER].timeline.count - 2].state,
		  TCP_FIN_WAIT_2);
}

static void test_simultaneous_close(void)
{
	struct cb b;

	established(&b);
	/* Both FINs cross: neither acknowledges the other. */
	cb_send(&b, DIR_C2S, F_FA, CD + 10, SD + 20, 0, 502);
	cb_send(&b, DIR_S2C, F_FA, SD + 20, CD + 10, 0, 509);
	CHECK_STATES(&b, "CLOSING", "CLOSING");
	cb_send(&b, DIR_C2S, F_A, CD + 11, SD + 21, 0, 502);
	cb_send(&b, DIR_S2C, F_A, SD + 21, CD + 11, 0, 509);
	CHECK_STATES(&b, "TIME-WAIT", "TIME-WAIT");
	/* The server's last ACK confirms its own TIME-WAIT; the client's is
	 * presumed from that ACK. */
	CHECK(!endpoint_presumed(&b.c.ep[SERVER]));
	CHECK(endpoint_presumed(&b.c.ep[CLIENT]));
	/* The server's timeline: SYN-RECEIVED, ESTABLISHED, FIN-WAIT-1 (its
	 * FIN), CLOSING, TIME-WAIT; its presumed CLOSE-WAIT was taken back. */
	CHECK_INT(b.c.ep[SERVER].timeline.at[2].state, TCP_FIN_WAIT_1);
	CHECK_INT(b.c.ep[SERVER].timeline.at[3].state, TCP_CLOSING);
	CHECK_INT(b.c.ep[SERVER].timeline.at[4].state, TCP_TIME_WAIT);
	CHECK_INT(b.c.ep[SERVER].timeline.count, 5);
	CHECK_INT(b.c.ep[CLIENT].timeline.at[3].state, TCP_CLOSING);
}

static void test_half_close(void)
{
	struct cb b;

	established(&b);
	cb_send(&b, DIR_C2S, F_FA, CD + 10, SD + 20, 0, 502);
	cb_send(&b, DIR_S2C, F_A, SD + 20, CD + 11, 0, 509);
	for (uint32_t i = 0; i < 5; i++) {
		cb_wait(&b, 1 * CB_SEC);
		cb_send(&b, DIR_S2C, F_PA, SD + 20 + i * 100, CD + 11, 100, 509);
		CHECK_STATES(&b, "FIN-WAIT-2", "CLOSE-WAIT");
		cb_send(&b, DIR_C2S, F_A, CD + 11, SD + 120 + i * 100, 0, 502);
		CHECK_STATES(&b, "FIN-WAIT-2", "CLOSE-WAIT");
	}
	cb_send(&b, DIR_S2C, F_FA, SD + 520, CD + 11, 0, 509);
	CHECK_STATES(&b, "TIME-WAIT", "LAST-ACK");
	cb_send(&b, DIR_C2S, F_A, CD + 11, SD + 521, 0, 502);
	CHECK_STATES(&b, "TIME-WAIT", "CLOSED");
}

static void test_stale_close_wait(void)
{
	struct cb b;

	established(&b);
	cb_send(&b, DIR_C2S, F_FA, CD + 10, SD + 20, 0, 502);
	cb_send(&b, DIR_S2C, F_A, SD + 20, CD + 11, 0, 509);
	cb_wait(&b, 300 * CB_SEC);
	tcp_state_expire(&b.c, b.now);
	CHECK_STATES(&b, "FIN-WAIT-2", "CLOSE-WAIT");
}

static void test_refused(void)
{
	struct cb b;

	cb_init(&b);
	cb_send(&b, DIR_C2S, F_S, C_ISN, 0, 0, 64240);
	cb_send(&b, DIR_S2C, F_RA, 0, C_ISN + 1, 0, 0);
	CHECK_STATES(&b, "CLOSED", "CLOSED");
	CHECK(endpoint_presumed(&b.c.ep[CLIENT]));
	CHECK_INT(b.c.ep[SERVER].timeline.count, 0);
	/* A client that tries again never took the RST: taken back. */
	cb_wait(&b, 500 * CB_MS);
	cb_send(&b, DIR_C2S, F_S, C_ISN, 0, 0, 64240);
	CHECK_STATES(&b, "SYN-SENT", "CLOSED");
	CHECK_INT(b.c.ep[CLIENT].timeline.count, 1);

	/* An RST whose ACK does not cover the SYN is not a refusal. */
	cb_init(&b);
	cb_send(&b, DIR_C2S, F_S, C_ISN, 0, 0, 64240);
	cb_send(&b, DIR_S2C, F_RA, 0, C_ISN + 7, 0, 0);
	CHECK_STATES(&b, "SYN-SENT", "CLOSED");
}

static void test_accept_queue_overflow(void)
{
	struct cb b;

	cb_init(&b);
	cb_handshake(&b, C_ISN, S_ISN);
	cb_send(&b, DIR_C2S, F_PA, CD, SD, 100, 502);
	CHECK_STATES(&b, "ESTABLISHED", "ESTABLISHED");
	/* The server's timer re-sends the identical SYN-ACK: it never took the
	 * handshake ACK. */
	cb_wait(&b, 1 * CB_SEC);
	CHECK(cb_has(cb_send(&b, DIR_S2C, F_SA, S_ISN, C_ISN + 1, 0, 65160),
		     SEG_SYNACK_RETRANS_TIMER));
	CHECK_STATES(&b, "ESTABLISHED", "SYN-RECEIVED");
	CHECK_INT(b.c.ep[SERVER].timeline.count, 1);
	CHECK(!endpoint_presumed(&b.c.ep[SERVER]));
	CHECK(!endpoint_presumed(&b.c.ep[CLIENT]));
	/* The client answers and retransmits: having seen the server drop
	 * one handshake ACK, we no longer presume it takes the next ones (or
	 * the final state would depend on which packet the capture ends on). */
	cb_send(&b, DIR_C2S, F_A, CD + 100, SD, 0, 502);
	CHECK_STATES(&b, "ESTABLISHED", "SYN-RECEIVED");
	cb_send(&b, DIR_C2S, F_PA, CD, SD, 100, 502);
	cb_wait(&b, 2 * CB_SEC);
	cb_send(&b, DIR_S2C, F_SA, S_ISN, C_ISN + 1, 0, 65160);
	CHECK_STATES(&b, "ESTABLISHED", "SYN-RECEIVED");
	/* The client's FIN meets the same full queue. */
	cb_send(&b, DIR_C2S, F_FA, CD + 100, SD, 0, 502);
	CHECK_STATES(&b, "FIN-WAIT-1", "SYN-RECEIVED");
	cb_wait(&b, 4 * CB_SEC);
	cb_send(&b, DIR_S2C, F_SA, S_ISN, C_ISN + 1, 0, 65160);
	CHECK_STATES(&b, "FIN-WAIT-1", "SYN-RECEIVED");
	CHECK_INT(b.c.ep[SERVER].timeline.count, 1);
	/* The queue drained: the server ACKs the data from its own socket. */
	cb_send(&b, DIR_C2S, F_PA, CD, SD, 100, 502);
	cb_send(&b, DIR_S2C, F_A, SD, CD + 100, 0, 509);
	CHECK_STATES(&b, "FIN-WAIT-1", "ESTABLISHED");
	CHECK(!endpoint_presumed(&b.c.ep[SERVER]));
}

static void test_lost_synack(void)
{
	struct cb b;

	cb_init(&b);
	cb_send(&b, DIR_C2S, F_S, C_ISN, 0, 0, 64240);
	cb_send(&b, DIR_S2C, F_SA, S_ISN, C_ISN + 1, 0, 65160);
	CHECK_STATES(&b, "ESTABLISHED", "SYN-RECEIVED");
	/* The SYN again: the SYN-ACK never reached the client. */
	cb_wait(&b, 1 * CB_SEC);
	cb_send(&b, DIR_C2S, F_S, C_ISN, 0, 0, 64240);
	CHECK_STATES(&b, "SYN-SENT", "SYN-RECEIVED");
	CHECK_INT(b.c.ep[CLIENT].timeline.count, 1);
}

static void test_rst_in_syn_sent(void)
{
	struct cb b;

	/* A new SYN meets the tuple's stale socket: challenge ACK from the old
	 * sequence space, the client's RST, the SYN again. */
	cb_init(&b);
	b.c.prev.id = 3;
	b.c.prev.nxt[SERVER] = 7000;
	b.c.prev.ack[SERVER] = 3001;
	b.c.prev.seq_known[SERVER] = true;
	b.c.prev.ack_known[SERVER] = true;
	cb_send(&b, DIR_C2S, F_S, C_ISN, 0, 0, 64240);
	cb_send(&b, DIR_S2C, F_A, 7000, 3001, 0, 509);
	CHECK_STATES(&b, "SYN-SENT", "CLOSED");
	cb_send(&b, DIR_C2S, F_R, 3001, 0, 0, 0);
	CHECK_STATES(&b, "SYN-SENT", "CLOSED");
	CHECK_INT(b.c.ep[CLIENT].timeline.count, 1);
	CHECK_INT(b.c.ep[SERVER].timeline.count, 0);
	cb_wait(&b, 2 * CB_MS);
	cb_send(&b, DIR_C2S, F_S, C_ISN, 0, 0, 64240);
	cb_send(&b, DIR_S2C, F_SA, S_ISN, C_ISN + 1, 0, 65160);
	cb_send(&b, DIR_C2S, F_A, CD, SD, 0, 502);
	CHECK_STATES(&b, "ESTABLISHED", "ESTABLISHED");

	/* Linux answers an unacceptable SYN-ACK with an RST and stays
	 * SYN-SENT. */
	cb_init(&b);
	cb_send(&b, DIR_C2S, F_S, C_ISN, 0, 0, 64240);
	cb_send(&b, DIR_S2C, F_SA, S_ISN, C_ISN + 77, 0, 65160);
	CHECK_STATES(&b, "SYN-SENT", "SYN-RECEIVED");
	cb_send(&b, DIR_C2S, F_R, C_ISN + 77, 0, 0, 0);
	CHECK_STR(tcp_state_name(CST(&b)), "SYN-SENT");
}

static void test_rst_kills_established(void)
{
	struct cb b;

	established(&b);
	CHECK(cb_has(cb_send(&b, DIR_C2S, F_RA, CD + 10, SD + 20, 0, 502), SEG_RST_EXACT));
	CHECK_STATES(&b, "CLOSED", "CLOSED");
	CHECK(!endpoint_presumed(&b.c.ep[CLIENT]));
	CHECK(endpoint_presumed(&b.c.ep[SERVER]));
	/* The server sends on: it never got that RST. */
	cb_send(&b, DIR_S2C, F_PA, SD + 20, CD + 10, 10, 509);
	CHECK_STATES(&b, "CLOSED", "ESTABLISHED");
	CHECK(!endpoint_presumed(&b.c.ep[SERVER]));
}

static void test_inexact_rst(void)
{
	struct cb b;

	established(&b);
	/* In the window, not at rcv_nxt: Linux sends a challenge ACK. */
	CHECK(cb_has(cb_send(&b, DIR_C2S, F_RA, CD + 5000, SD + 20, 0, 502), SEG_RST_IN_WINDOW));
	CHECK_STATES(&b, "CLOSED", "ESTABLISHED");
	CHECK(cb_has(cb_send(&b, DIR_S2C, F_A, SD + 20, CD + 10, 0, 509), SEG_CHALLENGE_ACK));
	CHECK_STATES(&b, "CLOSED", "ESTABLISHED");
	/* Out of the window: dropped. */
	cb_send(&b, DIR_C2S, F_RA, CD + 10 + 100000000, SD + 20, 0, 502);
	CHECK_STATES(&b, "CLOSED", "ESTABLISHED");
	/* The peer, with no socket, answers the challenge exactly. */
	cb_send(&b, DIR_C2S, F_R, CD + 10, 0, 0, 0);
	CHECK_STATES(&b, "CLOSED", "CLOSED");
}

static void test_rst_close_wait_minus_one(void)
{
	struct cb b;

	/* OS X: FIN, then RST at the FIN's seq; CLOSE-WAIT takes it. */
	established(&b);
	cb_send(&b, DIR_C2S, F_FA, CD + 10, SD + 20, 0, 502);
	cb_send(&b, DIR_S2C, F_A, SD + 20, CD + 11, 0, 509);
	cb_send(&b, DIR_C2S, F_RA, CD + 10, SD + 20, 0, 502);
	CHECK_STATES(&b, "CLOSED", "CLOSED");
}

static void test_time_wait_expiry(void)
{
	struct cb b;
	const struct timeline *t = &b.c.ep[CLIENT].timeline;
	int64_t tw;

	established(&b);
	cb_send(&b, DIR_C2S, F_FA, CD + 10, SD + 20, 0, 502);
	cb_send(&b, DIR_S2C, F_FA, SD + 20, CD + 11, 0, 509);
	tw = b.now;
	cb_send(&b, DIR_C2S, F_A, CD + 11, SD + 21, 0, 502);
	CHECK_STATES(&b, "TIME-WAIT", "CLOSED");
	tcp_state_expire(&b.c, tw + 59 * CB_SEC);
	CHECK_STATES(&b, "TIME-WAIT", "CLOSED");
	tcp_state_expire(&b.c, tw + 75 * CB_SEC);
	CHECK_STATES(&b, "CLOSED", "CLOSED");
	CHECK_INT(t->at[t->count - 1].ts_ns, tw + 60 * CB_SEC);
	CHECK_INT(t->at[t->count - 1].frame, 0);
	CHECK_INT(t->at[t->count - 1].state, TCP_CLOSED);
}

static void test_timeline_compaction(void)
{
	struct tcp_endpoint ep;
	const struct timeline *t = &ep.timeline;
	enum tcp_state want[40];
	int n = 30;

	memset(&ep, 0, sizeof(ep));
	/* 30 changes through states 1..9 in turn; the last six presumed. */
	for (int i = 0; i < n; i++) {
		want[i] = (enum tcp_state)(1 + i % 9);
		endpoint_set_state(&ep, want[i], (int64_t)i * CB_SEC, (uint64_t)i + 1, 0,
				   i >= n - 6);
	}
	CHECK_INT(t->count, TIMELINE_MAX);
	CHECK_INT(t->elided, n - TIMELINE_MAX);
	CHECK_INT(ep.state, want[n - 1]);
	for (int i = 0; i < TIMELINE_MAX / 2; i++)
		CHECK_INT(t->at[i].frame, i + 1);
	for (int i = TIMELINE_MAX / 2; i < TIMELINE_MAX; i++)
		CHECK_INT(t->at[i].frame, n - TIMELINE_MAX + i + 1);
	/* Taking back the six presumed ones walks back through the window and
	 * into the compacted stretch. */
	for (int k = 1; k <= 6; k++) {
		CHECK(endpoint_retract(&ep));
		CHECK_INT(ep.state, want[n - 1 - k]);
	}
	CHECK(!endpoint_retract(&ep));
	CHECK_INT(ep.state, want[n - 7]);
	/* And it carries on appending. */
	endpoint_set_state(&ep, TCP_CLOSED, 99 * CB_SEC, 99, 0, false);
	CHECK_INT(ep.state, TCP_CLOSED);
	CHECK_INT(t->at[t->count - 1].frame, 99);
}

static void test_retraction(void)
{
	struct tcp_endpoint ep;

	memset(&ep, 0, sizeof(ep));
	CHECK(!endpoint_retract(&ep));
	endpoint_set_state(&ep, TCP_SYN_RECEIVED, 1, 1, 0, false);
	CHECK(!endpoint_retract(&ep));
	endpoint_set_state(&ep, TCP_ESTABLISHED, 2, 2, 0, true);
	CHECK(endpoint_presumed(&ep));
	CHECK(endpoint_retract(&ep));
	CHECK_INT(ep.state, TCP_SYN_RECEIVED);
	CHECK_INT(ep.timeline.count, 1);
	/* Setting the state a presumed change came from undoes it. */
	endpoint_set_state(&ep, TCP_ESTABLISHED, 3, 3, 0, true);
	endpoint_set_state(&ep, TCP_SYN_RECEIVED, 4, 4, 0, false);
	CHECK_INT(ep.state, TCP_SYN_RECEIVED);
	CHECK_INT(ep.timeline.count, 1);
	/* Confirming makes it stick. */
	endpoint_set_state(&ep, TCP_ESTABLISHED, 5, 5, 0, true);
	endpoint_confirm(&ep);
	CHECK(!endpoint_retract(&ep));
	CHECK_INT(ep.state, TCP_ESTABLISHED);
	/* The same state again, not presumed, confirms too. */
	endpoint_set_state(&ep, TCP_CLOSE_WAIT, 6, 6, 0, true);
	endpoint_set_state(&ep, TCP_CLOSE_WAIT, 7, 7, 0, false);
	CHECK(!endpoint_presumed(&ep));
	CHECK_INT(ep.timeline.count, 3);
}

static void test_midstream(void)
{
	struct cb b;

	cb_init(&b);
	for (int i = 0; i < 2; i++)
		endpoint_set_state(&b.c.ep[i], TCP_ESTABLISHED, b.now, 1, 0, true);
	cb_send(&b, DIR_C2S, F_PA, 70000, 90000, 100, 502);
	cb_send(&b, DIR_S2C, F_A, 90000, 70100, 0, 509);
	CHECK_STATES(&b, "ESTABLISHED", "ESTABLISHED");
	CHECK(!endpoint_presumed(&b.c.ep[CLIENT]));
	CHECK(!endpoint_presumed(&b.c.ep[SERVER]));
	cb_send(&b, DIR_S2C, F_FA, 90000, 70100, 0, 509);
	cb_send(&b, DIR_C2S, F_FA, 70100, 90001, 0, 502);
	cb_send(&b, DIR_S2C, F_A, 90001, 70101, 0, 509);
	CHECK_STATES(&b, "CLOSED", "TIME-WAIT");
}

static void test_synack_first(void)
{
	struct cb b;
	struct tcp_endpoint *cl = &b.c.ep[CLIENT];

	/* What analyzer.c does when the first segment is a SYN-ACK. */
	cb_init(&b);
	endpoint_set_state(cl, TCP_SYN_SENT, b.now, 1, 0, true);
	cl->isn = C_ISN;
	cl->isn_known = true;
	cl->nxt = C_ISN + 1;
	cl->seq_known = true;
	cb_send(&b, DIR_S2C, F_SA, S_ISN, C_ISN + 1, 0, 65160);
	CHECK_STATES(&b, "ESTABLISHED", "SYN-RECEIVED");
	cb_send(&b, DIR_C2S, F_A, CD, SD, 0, 502);
	CHECK_STATES(&b, "ESTABLISHED", "ESTABLISHED");
}

static void test_simultaneous_open(void)
{
	struct cb b;

	cb_init(&b);
	cb_send(&b, DIR_C2S, F_S, C_ISN, 0, 0, 64240);
	cb_send(&b, DIR_S2C, F_S, S_ISN, 0, 0, 64240);
	CHECK_STATES(&b, "SYN-SENT", "SYN-SENT");
	cb_send(&b, DIR_C2S, F_SA, C_ISN, S_ISN + 1, 0, 64240);
	cb_send(&b, DIR_S2C, F_SA, S_ISN, C_ISN + 1, 0, 64240);
	cb_send(&b, DIR_C2S, F_A, CD, SD, 0, 502);
	cb_send(&b, DIR_S2C, F_A, SD, CD, 0, 502);
	CHECK_STATES(&b, "ESTABLISHED", "ESTABLISHED");
}

static void test_self_connect(void)
{
	struct cb b;
	struct ip_addr a;
	struct tcp_segment s;

	cb_init(&b);
	cb_addr(&a, 9);
	conn_init(&b.c, 1, &a, 45000, &a, 45000);
	CHECK(b.c.flags & CONN_SELF);
	s = cb_seg(&b, DIR_C2S, F_S, C_ISN, 0, 0, 65495);
	CHECK_INT(conn_dir(&b.c, &s), DIR_C2S);
	cb_feed(&b, &s);
	cb_send(&b, DIR_C2S, F_SA, C_ISN, C_ISN + 1, 0, 65483);
	cb_send(&b, DIR_C2S, F_A, CD, CD, 0, 512);
	cb_send(&b, DIR_C2S, F_PA, CD, CD, 5, 512);
	cb_send(&b, DIR_C2S, F_A, CD + 5, CD + 5, 0, 512);
	CHECK(CST(&b) < TCP_STATE_COUNT && SST(&b) < TCP_STATE_COUNT);
	CHECK(b.c.ep[CLIENT].timeline.count <= TIMELINE_MAX);
}

int main(void)
{
	RUN(test_names);
	RUN(test_handshake);
	RUN(test_client_first_close);
	RUN(test_server_first_close);
	RUN(test_simultaneous_close);
	RUN(test_half_close);
	RUN(test_stale_close_wait);
	RUN(test_refused);
	RUN(test_accept_queue_overflow);
	RUN(test_lost_synack);
	RUN(test_rst_in_syn_sent);
	RUN(test_rst_kills_established);
	RUN(test_inexact_rst);
	RUN(test_rst_close_wait_minus_one);
	RUN(test_time_wait_expiry);
	RUN(test_timeline_compaction);
	RUN(test_retraction);
	RUN(test_midstream);
	RUN(test_synack_first);
	RUN(test_simultaneous_open);
	RUN(test_self_connect);
	return check_done("test_state");
}
