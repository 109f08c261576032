/*
 * test_quality.c - the quality detectors (analyzer/detectors/quality.c), fed with
 * conversations written after reference/kernel-signatures.md.
 */
#include "config.h"

#include "tests/unit/check.h"
#include "tests/unit/feed.h"

/* Segments carry an IPv4 ID from a per-direction counter, as Linux sends them,
 * and each is fed twice 1 us apart when feed.doubled (a mirror port's copy). */
static uint16_t fixed_id;	/* non-zero: every segment carries this IP ID */

static uint64_t tx(const struct feed_tuple *t, int from_c, uint16_t flags, uint32_t seq,
		   uint32_t ack, uint32_t len, int64_t ts)
{
	struct tcp_segment s = feed_seg(t, from_c, flags, seq, ack, len, ts);

	feed_next_ip_id(&s, from_c);
	if (fixed_id)
		s.ip_id = fixed_id;
	return feed_push_copies(&s);
}

static void start(void)
{
	fixed_id = 0;
	feed_start();
}

/* A healthy exchange on cport; `drop_response` leaves the server's answer
 * out of the capture (the client still ACKs it). */
static void exchange(uint16_t cport, int64_t t0, bool drop_response)
{
	struct feed_tuple t = feed_tuple(cport, 8080);
	uint32_t c = 1000, s = 5000;

	tx(&t, FROM_C, TH_SYN, c, 0, 0, t0);
	tx(&t, FROM_S, TH_SYN | TH_ACK, s, c + 1, 0, t0 + 1 * MS);
	tx(&t, FROM_C, TH_ACK, c + 1, s + 1, 0, t0 + 2 * MS);
	tx(&t, FROM_C, TH_ACK | TH_PUSH, c + 1, s + 1, 41, t0 + 3 * MS);
	if (!drop_response)
		tx(&t, FROM_S, TH_ACK | TH_PUSH, s + 1, c + 42, 740, t0 + 4 * MS);
	else
		++feed.ip_ids[FROM_S];
	tx(&t, FROM_C, TH_ACK, c + 42, s + 741, 0, t0 + 5 * MS);
	tx(&t, FROM_S, TH_ACK | TH_FIN, s + 741, c + 42, 0, t0 + 6 * MS);
	tx(&t, FROM_C, TH_ACK | TH_FIN, c + 42, s + 742, 0, t0 + 7 * MS);
	tx(&t, FROM_S, TH_ACK, s + 742, c + 43, 0, t0 + 8 * MS);
}

/* Findings of this file's family, and of the liveness family a copy could fool. */
static int quality_findings(void)
{
	return feed_count("capture_missed_packets") + feed_count("capture_midstream") +
	       feed_count("capture_truncated") + feed_count("capture_duplicates");
}

static int liveness_findings(void)
{
	return feed_count("zero_window_stall") + feed_count("retransmission_timeout_death") +
	       feed_count("keepalive_dead_peer");
}

static const struct evidence *ev(const char *kind, const char *name)
{
	return feed_evidence(feed_find(kind), name);
}

static int64_t ev_int(const char *kind, const char *name)
{
	const struct evidence *e = ev(kind, name);

	return e ? e->v.i : -1;
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

/* The missed-packets sample: responses missing from the capture on two of
 * three connections, each ACKed by the client. One finding for the capture. */
static void test_missed_packets(void)
{
	const struct finding *f;

	start();
	exchange(38476, T0, true);
	exchange(38482, T0 + 100 * MS, false);
	exchange(38484, T0 + 200 * MS, true);
	feed_finish();
	CHECK_INT(quality_findings(), 1);
	CHECK_INT(feed_count("capture_missed_packets"), 1);
	f = feed_find("capture_missed_packets");
	CHECK(f && f->connection == 0 && !f->has_client && f->capture == 0);
	CHECK_STR(f ? f->scope : NULL, "capture");
	CHECK(f && f->severity == SEV_INFO && f->confidence == 1.0);
	/* The client's ACK of the unseen response: frame 5 of each exchange. */
	CHECK(f && f->nframes == 2 && f->frames[0] == 5 && f->frames[1] == 22);
	CHECK_INT(ev_int("capture_missed_packets", "connections"), 2);
	CHECK_INT(ev_int("capture_missed_packets", "bytes"), 1480);
	CHECK_INT(ev_int("capture_missed_packets", "gaps"), 2);
	CHECK_INT(ev_int("capture_missed_packets", "first_connection"), 1);
	CHECK(f && strstr(f->explanation, "not loss on the wire"));
}

/* Reordering at the capture point fills the gap within a millisecond: the
 * bulk sample's case, nothing missed. */
static void test_reordering_is_not_missed(void)
{
	struct feed_tuple t = feed_tuple(42480, 8080);
	uint32_t c = 1000, s = 5000;

	start();
	tx(&t, FROM_C, TH_SYN, c, 0, 0, T0);
	tx(&t, FROM_S, TH_SYN | TH_ACK, s, c + 1, 0, T0 + 1 * MS);
	tx(&t, FROM_C, TH_ACK, c + 1, s + 1, 0, T0 + 2 * MS);
	tx(&t, FROM_C, TH_ACK | TH_PUSH, c + 1, s + 1, 42, T0 + 3 * MS);
	tx(&t, FROM_S, TH_ACK, s + 1, c + 43, 1448, T0 + 4 * MS);
	tx(&t, FROM_S, TH_ACK, s + 2897, c + 43, 1448, T0 + 4 * MS + 10 * US);
	tx(&t, FROM_S, TH_ACK, s + 1449, c + 43, 1448, T0 + 4 * MS + 20 * US);
	tx(&t, FROM_C, TH_ACK, c + 43, s + 4345, 0, T0 + 5 * MS);
	feed_finish();
	CHECK_INT(feed_count("capture_missed_packets"), 0);
}

/*
 * Three server segments, the middle one missing from the file. `resend`: the
 * server re-sends it 200 ms later (lost before the capture point: the network's
 * loss, the file has the bytes). Otherwise the client ACKs over the hole and
 * nothing re-sends it: the capture missed it.
 */
static void hole(bool resend)
{
	struct feed_tuple t = feed_tuple(42480, 8080);
	uint32_t c = 1000, s = 5000;

	tx(&t, FROM_C, TH_SYN, c, 0, 0, T0);
	tx(&t, FROM_S, TH_SYN | TH_ACK, s, c + 1, 0, T0 + 1 * MS);
	tx(&t, FROM_C, TH_ACK, c + 1, s + 1, 0, T0 + 2 * MS);
	tx(&t, FROM_C, TH_ACK | TH_PUSH, c + 1, s + 1, 42, T0 + 3 * MS);
	tx(&t, FROM_S, TH_ACK, s + 1, c + 43, 1448, T0 + 4 * MS);
	tx(&t, FROM_S, TH_ACK, s + 2897, c + 43, 1448, T0 + 4 * MS + 20 * US);
	if (resend) {
		tx(&t, FROM_C, TH_ACK, c + 43, s + 1449, 0, T0 + 5 * MS);
		tx(&t, FROM_S, TH_ACK, s + 1449, c + 43, 1448, T0 + 205 * MS);
	}
	tx(&t, FROM_C, TH_ACK, c + 43, s + 4345, 0, T0 + 206 * MS);
}

static void test_loss_before_capture_is_not_missed(void)
{
	start();
	hole(true);
	feed_finish();
	CHECK_INT(feed_count("capture_missed_packets"), 0);

	start();
	hole(false);
	feed_finish();
	CHECK_INT(feed_count("capture_missed_packets"), 1);
	CHECK_INT(ev_int("capture_missed_packets", "bytes"), 1448);
	CHECK(feed_find("capture_missed_packets") &&
	      feed_find("capture_missed_packets")->frames[0] == 6);
}

/* A connection whose first segment is data (the mid-stream sample): one
 * capture_midstream for the capture, none for the complete connection. */
static void test_midstream(void)
{
	struct feed_tuple t = feed_tuple(59500, 8080);
	const struct finding *f;

	start();
	tx(&t, FROM_C, TH_ACK | TH_PUSH, 3000, 9000, 25, T0);
	tx(&t, FROM_S, TH_ACK | TH_PUSH, 9000, 3025, 340, T0 + 1 * MS);
	tx(&t, FROM_C, TH_ACK, 3025, 9340, 0, T0 + 2 * MS);
	exchange(59508, T0 + 100 * MS, false);
	feed_finish();
	CHECK_INT(quality_findings(), 1);
	f = feed_find("capture_midstream");
	CHECK(f && f->nframes == 1 && f->frames[0] == 1 && f->connection == 0);
	CHECK_INT(ev_int("capture_midstream", "connections"), 1);
	CHECK_INT(ev_int("capture_midstream", "first_connection"), 1);
}

/* Snap length 128 (the bulk sample) and a file cut inside its last record
 * (the truncated-tail sample): one capture_truncated each. */
static void test_truncated(void)
{
	static struct capture_info ci;
	struct feed_tuple t = feed_tuple(42480, 8080);
	struct tcp_segment s;
	const struct finding *f;

	start();
	memset(&ci, 0, sizeof(ci));
	snprintf(ci.file, sizeof(ci.file), "bulk.pcap");
	ci.snaplen = 128;
	ci.first_ts_ns = ci.last_ts_ns = T0;
	analyzer_begin_capture(feed.a, &ci);
	tx(&t, FROM_C, TH_SYN, 1000, 0, 0, T0);
	tx(&t, FROM_S, TH_SYN | TH_ACK, 5000, 1001, 0, T0 + 1 * MS);
	tx(&t, FROM_C, TH_ACK, 1001, 5001, 0, T0 + 2 * MS);
	tx(&t, FROM_C, TH_ACK | TH_PUSH, 1001, 5001, 42, T0 + 3 * MS);
	s = feed_seg(&t, FROM_S, TH_ACK, 5001, 1043, 65160, T0 + 4 * MS);
	s.payload_caplen = 128 - 66;
	s.truncated = true;
	feed_push(&s);
	tx(&t, FROM_C, TH_ACK, 1043, 70161, 0, T0 + 5 * MS);
	ci.stats.truncated_tcp = 1;
	ci.last_ts_ns = T0 + 5 * MS;
	feed_finish();
	CHECK_INT(quality_findings(), 1);
	f = feed_find("capture_truncated");
	CHECK(f && f->nframes == 1 && f->frames[0] == 5);
	CHECK_INT(ev_int("capture_truncated", "truncated_segments"), 1);
	CHECK_INT(ev_int("capture_truncated", "snaplen"), 128);
	CHECK(f && strstr(f->explanation, "not affected"));

	start();
	memset(&ci, 0, sizeof(ci));
	snprintf(ci.file, sizeof(ci.file), "tail.pcap");
	ci.snaplen = 262144;
	ci.first_ts_ns = ci.last_ts_ns = T0;
	analyzer_begin_capture(feed.a, &ci);
	exchange(38476, T0, false);
	ci.last_ts_ns = T0 + 8 * MS;
	ci.damaged = true;
	ci.damaged_after_frame = 9;
	snprintf(ci.error, sizeof(ci.error), "truncated dump file");
	feed_finish();
	CHECK_INT(quality_findings(), 1);
	f = feed_find("capture_truncated");
	CHECK(f && f->nframes == 1 && f->frames[0] == 9);
	CHECK(ev("capture_truncated", "damaged") && ev("capture_truncated", "damaged")->v.b);
	CHECK_INT(ev_int("capture_truncated", "damaged_after_frame"), 9);
	CHECK(f && strstr(f->summary, "middle of a record"));
}

/* The mirror-duplicates sample: every frame twice, 1 us apart. One finding,
 * every copy counted, and nothing else raised by the copies. */
static void test_duplicates(void)
{
	const struct finding *f;

	start();
	feed.doubled = true;
	exchange(38476, T0, false);
	exchange(38482, T0 + 100 * MS, false);
	feed_finish();
	CHECK_INT(quality_findings(), 1);
	CHECK_INT(feed_count("capture_duplicates"), 1);
	CHECK_INT(liveness_findings(), 0);
	f = feed_find("capture_duplicates");
	CHECK(f && f->nframes == 6 && f->frames[0] == 1 && f->frames[1] == 2);
	CHECK_INT(ev_int("capture_duplicates", "duplicate_segments"), 18);
	CHECK_INT(ev_int("capture_duplicates", "proven_by_ip_id"), 18);
	CHECK_INT(ev_int("capture_duplicates", "connections"), 2);
	CHECK(f && strstr(f->explanation, "inflated"));
}

/* Identical segments that are not copies: a stateless RST (ID 0, no options)
 * answering two segments with the same ack (accept-backlog-reset), and a real
 * retransmission 200 ms later with a new IP ID. */
static void test_identical_is_not_duplicate(void)
{
	struct feed_tuple t = feed_tuple(39092, 8080);
	uint32_t c = 1000, s = 5000;

	start();
	tx(&t, FROM_C, TH_SYN, c, 0, 0, T0);
	tx(&t, FROM_S, TH_SYN | TH_ACK, s, c + 1, 0, T0 + 1 * MS);
	tx(&t, FROM_C, TH_ACK, c + 1, s + 1, 0, T0 + 2 * MS);
	tx(&t, FROM_C, TH_ACK | TH_PUSH, c + 1, s + 1, 40, T0 + 2 * MS + 5 * US);
	feed_send(&t, FROM_S, TH_RST, s + 1, 0, 0, T0 + 2 * MS + 20 * US);
	feed_send(&t, FROM_S, TH_RST, s + 1, 0, 0, T0 + 2 * MS + 25 * US);
	feed_finish();
	CHECK_INT(feed_count("capture_duplicates"), 0);

	start();
	tx(&t, FROM_C, TH_SYN, c, 0, 0, T0);
	tx(&t, FROM_S, TH_SYN | TH_ACK, s, c + 1, 0, T0 + 1 * MS);
	tx(&t, FROM_C, TH_ACK, c + 1, s + 1, 0, T0 + 2 * MS);
	tx(&t, FROM_C, TH_ACK | TH_PUSH, c + 1, s + 1, 40, T0 + 3 * MS);
	tx(&t, FROM_C, TH_ACK | TH_PUSH, c + 1, s + 1, 40, T0 + 203 * MS);
	tx(&t, FROM_S, TH_ACK, s + 1, c + 41, 0, T0 + 204 * MS);
	feed_finish();
	CHECK_INT(feed_count("capture_duplicates"), 0);
}

/* A generator that sends IP ID 1 in every frame (the arkime synthetic files,
 * eve-payload-01): the ID proves nothing, pure ACK copies are not counted, the
 * rest are copies by their other fields only. */
static void test_constant_ip_id_is_no_proof(void)
{
	const struct finding *f;

	start();
	feed.doubled = true;
	fixed_id = 1;
	exchange(38476, T0, false);
	feed_finish();
	CHECK_INT(feed_count("capture_duplicates"), 1);
	f = feed_find("capture_duplicates");
	CHECK(f && f->confidence < 1.0);
	CHECK_INT(ev_int("capture_duplicates", "proven_by_ip_id"), 0);
	/* SYN, SYN-ACK, two data segments, two FINs: the three pure ACKs go. */
	CHECK_INT(ev_int("capture_duplicates", "duplicate_segments"), 6);
}

/* A handshake, then `pause` later an ACK from the client far beyond anything
 * the server sent (ack_jump bytes); the server then goes on from
 * `server_next`. */
static void far_ack(uint16_t cport, uint32_t ack_jump, uint32_t server_next, int64_t pause)
{
	struct feed_tuple t = feed_tuple(cport, 8080);
	uint32_t c = 1000, s = 5000;
	int64_t t1 = T0 + pause;

	tx(&t, FROM_C, TH_SYN, c, 0, 0, T0);
	tx(&t, FROM_S, TH_SYN | TH_ACK, s, c + 1, 0, T0 + 1 * MS);
	tx(&t, FROM_C, TH_ACK, c + 1, s + 1, 0, T0 + 2 * MS);
	tx(&t, FROM_C, TH_ACK | TH_PUSH, c + 1, s + 1 + ack_jump, 10, t1 + 3 * MS);
	tx(&t, FROM_S, TH_ACK | TH_PUSH, s + 1 + server_next, c + 11, 100, t1 + 4 * MS);
	tx(&t, FROM_C, TH_ACK | TH_FIN, c + 11, s + 1 + server_next + 100, 0, t1 + 5 * MS);
}

/* Crafted ACKs (arkime tcp_handshake_synthetic, urgent11, tcp-fastopen-10):
 * counted as invalid, never as missed bytes. */
static void test_far_ack_is_invalid(void)
{
	const struct finding *f;

	start();
	far_ack(41000, 10000000, 0, 0);	/* beyond any window, the server stays behind */
	far_ack(41001, 1500000000, 0, 0);	/* beyond 2^30 */
	feed_finish();
	CHECK_INT(feed_count("capture_missed_packets"), 1);
	f = feed_find("capture_missed_packets");
	CHECK_INT(ev_int("capture_missed_packets", "bytes"), 0);
	CHECK_INT(ev_int("capture_missed_packets", "invalid_acks"), 2);
	CHECK(f && f->confidence <= 0.5);
	CHECK(f && strstr(f->summary, "never sent"));
	CHECK(f && f->nframes == 2 && f->frames[0] == 4);
}

/* The same jump a second later, and the server carries on from the ACKed
 * point: the capture did miss a long stretch (zeek ftp/bigtransfer). Not
 * when the jump is faster than any link. */
static void test_far_ack_followed_is_missed(void)
{
	start();
	far_ack(41002, 10000000, 10000000, 1 * NS);
	feed_finish();
	CHECK_INT(ev_int("capture_missed_packets", "bytes"), 10000000);
	CHECK_INT(ev_int("capture_missed_packets", "invalid_acks"), 0);

	/* 100 MB in 2 ms: no link carries that; another sequence space. */
	start();
	far_ack(41003, 100000000, 100000000, 0);
	feed_finish();
	CHECK_INT(ev_int("capture_missed_packets", "bytes"), 0);
	CHECK_INT(ev_int("capture_missed_packets", "invalid_acks"), 1);
}

/* Only the server's segments are in the file (zeek ssh server-side
 * half-duplex): one direction absent, not capture drops. */
static void test_one_direction_absent(void)
{
	struct feed_tuple t = feed_tuple(41003, 22);
	uint32_t c = 1000, s = 5000;
	const struct finding *f;

	start();
	tx(&t, FROM_S, TH_SYN | TH_ACK, s, c + 1, 0, T0 + 1 * MS);
	tx(&t, FROM_S, TH_ACK | TH_PUSH, s + 1, c + 1, 21, T0 + 3 * MS);
	tx(&t, FROM_S, TH_ACK | TH_PUSH, s + 22, c + 31, 40, T0 + 5 * MS);
	tx(&t, FROM_S, TH_ACK | TH_PUSH, s + 62, c + 131, 40, T0 + 7 * MS);
	feed_finish();
	f = feed_find("capture_missed_packets");
	CHECK(f != NULL);
	CHECK(f && strstr(f->summary, "one direction of the traffic is not in the capture"));
	CHECK(f && !strstr(f->explanation, "dropped frames"));
	CHECK_INT(ev_int("capture_missed_packets", "one_way_connections"), 1);
	CHECK_INT(ev_int("capture_missed_packets", "connections"), 0);
}

/* Two capture files, one after the other: one finding per file. */
static void test_one_finding_per_capture(void)
{
	static struct capture_info ci[2];
	struct feed_tuple t = feed_tuple(59500, 8080);

	start();
	memset(ci, 0, sizeof(ci));
	for (int i = 0; i < 2; i++) {
		int64_t t0 = T0 + i * 10 * NS;

		ci[i].index = (uint32_t)i;
		ci[i].first_ts_ns = ci[i].last_ts_ns = t0;
		analyzer_begin_capture(feed.a, &ci[i]);
		t.cport = (uint16_t)(59500 + i);
		for (int k = 0; k < 3; k++) {
			/* Client data, server data, client ACK. */
			struct tcp_segment s = k == 1
				? feed_seg(&t, FROM_S, TH_ACK | TH_PUSH, 9000, 3025, 25, t0 + MS)
				: feed_seg(&t, FROM_C, TH_ACK | (k ? 0 : TH_PUSH), 3000 + 25 * !!k,
					   9000 + 25 * !!k, k ? 0 : 25, t0 + k * MS);

			s.capture = (uint32_t)i;
			feed_push(&s);
		}
		ci[i].last_ts_ns = t0 + 2 * MS;
	}
	feed_finish();
	CHECK_INT(quality_findings(), 2);
	CHECK_INT(feed_count("capture_midstream"), 2);
	for (int i = 0, n = 0; i < feed.nfindings; i++)
		if (strcmp(feed.findings[i].kind, "capture_midstream") == 0)
			CHECK_INT(feed.findings[i].capture, n++);
}

int main(void)
{
	RUN(test_healthy_is_silent);
	RUN(test_missed_packets);
	RUN(test_reordering_is_not_missed);
	RUN(test_loss_before_capture_is_not_missed);
	RUN(test_midstream);
	RUN(test_truncated);
	RUN(test_duplicates);
	RUN(test_identical_is_not_duplicate);
	RUN(test_one_finding_per_capture);
	RUN(test_constant_ip_id_is_no_proof);
	RUN(test_far_ack_is_invalid);
	RUN(test_far_ack_followed_is_missed);
	RUN(test_one_direction_absent);
	return check_done("test_quality");
}
