/*
 * test_packet_notes.c - the packet notes a reported finding carries for its
 * ladder diagram (analyzer.c: analyzer_log_packet(), analyzer_report()):
 * direction, flags, seq and ack relative to the ISNs, scaled window, events
 * and both states after each evidence frame.
 */
#include "config.h"

#include "analyzer/classify.h"
#include "analyzer/conn.h"
#include "analyzer/finding.h"
#include "tests/unit/check.h"
#include "tests/unit/feed.h"

/* The note of frame in f, or NULL when f has none for it. */
static const struct packet_note *note_of(const struct finding *f, uint64_t frame)
{
	for (uint32_t i = 0; f && i < f->nframes; i++)
		if (f->frames[i] == frame && f->packets[i].frame == frame)
			return &f->packets[i];
	return NULL;
}

/* Every evidence frame of f has its note, in the same slot. */
static void check_all_noted(const struct finding *f)
{
	CHECK(f != NULL);
	for (uint32_t i = 0; f && i < f->nframes; i++)
		CHECK_INT(f->packets[i].frame, f->frames[i]);
}

static void check_note(const struct packet_note *n, int dir, uint16_t flags, uint32_t seq,
		       bool seq_rel, uint32_t ack, bool ack_rel, enum tcp_state client,
		       enum tcp_state server)
{
	CHECK(n != NULL);
	if (!n)
		return;
	CHECK_INT(n->dir, dir);
	CHECK_INT(n->flags, flags);
	CHECK_INT(n->seq, seq);
	CHECK_INT(n->seq_relative, seq_rel);
	CHECK_INT(n->ack, ack);
	CHECK_INT(n->ack_relative, ack_rel);
	CHECK_INT(n->state_after[CLIENT], client);
	CHECK_INT(n->state_after[SERVER], server);
}

/*
 * syn_to_close_wait (kernel-signatures.md §2.4): the new SYN, the stale
 * socket's challenge ACK and the client's RST carry the old connection's
 * numbers, so they stay raw; the retried SYN and the SYN-ACK are relative to
 * the new ISNs. States are the new connection's, after each packet.
 */
static void test_close_wait_notes(void)
{
	struct feed_tuple t = feed_tuple(40000, 8080);
	uint32_t c = 1000, s = 5000, nc = 777000, ns = 8000;
	int64_t t1 = T0 + 10 * NS;
	uint64_t syn, chal, rst, retry, synack;
	const struct finding *f;

	feed_start();
	feed_client_closes(&t, c, s, T0);
	syn = feed_send(&t, FROM_C, TH_SYN, nc, 0, 0, t1);
	chal = feed_send(&t, FROM_S, TH_ACK, s + 201, c + 102, 0, t1 + 1 * MS);
	rst = feed_send(&t, FROM_C, TH_RST, c + 102, 0, 0, t1 + 1 * MS + 50 * US);
	retry = feed_send(&t, FROM_C, TH_SYN, nc, 0, 0, t1 + 4 * MS);
	synack = feed_send(&t, FROM_S, TH_SYN | TH_ACK, ns, nc + 1, 0, t1 + 5 * MS);
	feed_send(&t, FROM_C, TH_ACK, nc + 1, ns + 1, 0, t1 + 6 * MS);
	feed_finish();

	f = feed_find("syn_to_close_wait");
	check_all_noted(f);
	check_note(note_of(f, syn), DIR_C2S, TH_SYN, 0, true, 0, false, TCP_SYN_SENT, TCP_CLOSED);
	check_note(note_of(f, chal), DIR_S2C, TH_ACK, s + 201, false, c + 102, false, TCP_SYN_SENT,
		   TCP_CLOSED);
	CHECK(note_of(f, chal) && (note_of(f, chal)->events & SEG_CHALLENGE_ACK));
	check_note(note_of(f, rst), DIR_C2S, TH_RST, c + 102, false, 0, false, TCP_SYN_SENT,
		   TCP_CLOSED);
	check_note(note_of(f, retry), DIR_C2S, TH_SYN, 0, true, 0, false, TCP_SYN_SENT, TCP_CLOSED);
	CHECK(note_of(f, retry) && (note_of(f, retry)->events & SEG_SYN_RETRANS));
	check_note(note_of(f, synack), DIR_S2C, TH_SYN | TH_ACK, 0, true, 1, true, TCP_ESTABLISHED,
		   TCP_SYN_RECEIVED);
	CHECK(note_of(f, synack) && note_of(f, synack)->ts_ns == t1 + 5 * MS);
}

/* A SYN or SYN-ACK offering window scale 7. */
static uint64_t syn_ws7(const struct feed_tuple *t, int from_c, uint16_t flags, uint32_t seq,
			uint32_t ack, int64_t ts)
{
	struct tcp_segment s = feed_seg(t, from_c, flags, seq, ack, 0, ts);

	s.opt.has_wscale = true;
	s.opt.wscale = 7;
	return feed_push(&s);
}

/*
 * A zero-window stall after a long exchange (kernel-signatures.md §8.4): the
 * zero windows, the probes and the window update come long after the first
 * packets and after many plain ones, and still have their notes (notable);
 * windows are scaled by the sender's shift, a SYN's is not.
 */
static void test_zero_window_notes(void)
{
	struct feed_tuple t = feed_tuple(48248, 8080);
	uint32_t c = 1000, s = 5000, acked = c + 1 + 100 * 1000;
	int64_t t0 = T0 + 1 * NS;
	uint64_t syn, zero, probe, update;
	const struct finding *f;

	feed_start();
	syn = syn_ws7(&t, FROM_C, TH_SYN, c, 0, T0);
	syn_ws7(&t, FROM_S, TH_SYN | TH_ACK, s, c + 1, T0 + 1 * MS);
	feed_send_win(&t, FROM_C, TH_ACK, c + 1, s + 1, 0, 512, T0 + 2 * MS);
	for (uint32_t i = 0; i < 100; i++) {
		int64_t at = T0 + 3 * MS + i * MS;

		feed_send_win(&t, FROM_C, TH_ACK | TH_PUSH, c + 1 + i * 1000, s + 1, 1000, 512, at);
		feed_send_win(&t, FROM_S, TH_ACK, s + 1, c + 1 + (i + 1) * 1000, 0, 512,
			      at + 100 * US);
	}
	zero = feed_send_win(&t, FROM_S, TH_ACK, s + 1, acked, 0, 0, t0);
	probe = feed_send_win(&t, FROM_C, TH_ACK, acked - 1, s + 1, 0, 512, t0 + 200 * MS);
	feed_send_win(&t, FROM_S, TH_ACK, s + 1, acked, 0, 0, t0 + 200 * MS + 40 * US);
	for (int64_t p = 600 * MS; p < 6 * NS; p *= 2) {
		feed_send_win(&t, FROM_C, TH_ACK, acked - 1, s + 1, 0, 512, t0 + p);
		feed_send_win(&t, FROM_S, TH_ACK, s + 1, acked, 0, 0, t0 + p + 40 * US);
	}
	update = feed_send_win(&t, FROM_S, TH_ACK, s + 1, acked, 0, 64, t0 + 6 * NS);
	feed_send_win(&t, FROM_C, TH_ACK | TH_PUSH, acked, s + 1, 1000, 512, t0 + 6 * NS + 40 * US);
	feed_send_win(&t, FROM_S, TH_ACK, s + 1, acked + 1000, 0, 512, t0 + 6 * NS + 80 * US);
	feed_finish();

	f = feed_find("zero_window_stall");
	check_all_noted(f);
	check_note(note_of(f, zero), DIR_S2C, TH_ACK, 1, true, acked - c, true, TCP_ESTABLISHED,
		   TCP_ESTABLISHED);
	CHECK(note_of(f, zero) && note_of(f, zero)->window == 0);
	CHECK(note_of(f, zero) && (note_of(f, zero)->events & SEG_ZERO_WINDOW));
	check_note(note_of(f, probe), DIR_C2S, TH_ACK, acked - 1 - c, true, 1, true,
		   TCP_ESTABLISHED, TCP_ESTABLISHED);
	CHECK(note_of(f, probe) && (note_of(f, probe)->events & SEG_ZERO_WINDOW_PROBE));
	CHECK(note_of(f, probe) && note_of(f, probe)->window == 512u << 7);
	check_note(note_of(f, update), DIR_S2C, TH_ACK, 1, true, acked - c, true, TCP_ESTABLISHED,
		   TCP_ESTABLISHED);
	CHECK(note_of(f, update) && note_of(f, update)->window == 64u << 7);
	CHECK(note_of(f, update) && (note_of(f, update)->events & SEG_WINDOW_UPDATE));
	CHECK(note_of(f, syn) == NULL);		/* not evidence here */
}

/* A note of frame in capture, kept in c's log. */
static void log_note(struct tcp_conn *c, uint32_t capture, uint64_t frame, uint32_t seq)
{
	struct packet_note n;

	memset(&n, 0, sizeof(n));
	n.frame = frame;
	n.capture = capture;
	n.seq = seq;
	packet_log_add(&c->plog, &n, true);
}

/*
 * A finding about a reused tuple may cite frames of both incarnations: notes come
 * from the connection and from its live older incarnations, and only from
 * the finding's capture. Without a connection, no note.
 */
static void test_report_looks_in_older_incarnations(void)
{
	static struct tcp_conn oldest, old, nu;
	struct ip_addr cl = feed_v4(0xc0000201), sv = feed_v4(0xc0000202);
	struct finding f;

	conn_init(&oldest, 1, &cl, 40000, &sv, 8080);
	conn_init(&old, 2, &cl, 40000, &sv, 8080);
	conn_init(&nu, 3, &cl, 40000, &sv, 8080);
	nu.links.older = &old;
	old.links.older = &oldest;
	log_note(&oldest, 0, 3, 30);
	log_note(&old, 0, 10, 100);
	log_note(&old, 1, 20, 999);	/* another capture's frame 20 */
	log_note(&nu, 0, 20, 200);

	feed_start();
	finding_init(&f, KIND_TIME_WAIT_REUSE, &nu);
	finding_frame(&f, 20, T0);
	finding_frame(&f, 10, T0);
	finding_frame(&f, 3, T0);
	finding_frame(&f, 15, T0);	/* noted nowhere */
	analyzer_report(feed.a, &nu, &f);
	CHECK_INT(f.packets[0].frame, 20);
	CHECK_INT(f.packets[0].seq, 200);
	CHECK_INT(f.packets[1].frame, 10);
	CHECK_INT(f.packets[1].seq, 100);
	CHECK_INT(f.packets[2].frame, 3);
	CHECK_INT(f.packets[2].seq, 30);
	CHECK_INT(f.packets[3].frame, 0);

	/* In capture 1, only the other capture's frame 20 matches. */
	f.capture = 1;
	analyzer_report(feed.a, &nu, &f);
	CHECK_INT(f.packets[0].frame, 20);
	CHECK_INT(f.packets[0].seq, 999);
	CHECK_INT(f.packets[1].frame, 0);

	/* A listener finding has no connection: whatever was there is cleared. */
	f.capture = 0;
	analyzer_report(feed.a, NULL, &f);
	for (uint32_t i = 0; i < f.nframes; i++)
		CHECK_INT(f.packets[i].frame, 0);
	feed_finish();
}

int main(void)
{
	RUN(test_close_wait_notes);
	RUN(test_zero_window_notes);
	RUN(test_report_looks_in_older_incarnations);
	return check_done("test_packet_notes");
}
