/*
 * test_reuse.c - the reuse detectors (analyzer/detectors/reuse.c), fed with
 * conversations written after reference/kernel-signatures.md.
 */
#include "config.h"

#include "tests/unit/check.h"
#include "tests/unit/feed.h"

/* Every finding of the run has its summary and an explanation that was
 * not cut short by the buffer. */
static void check_texts(void)
{
	for (int i = 0; i < feed.nfindings; i++) {
		const struct finding *f = &feed.findings[i];

		CHECK(f->summary[0] != '\0');
		CHECK(strlen(f->summary) < sizeof(f->summary) - 1);
		CHECK(strlen(f->explanation) < sizeof(f->explanation) - 1);
		CHECK(f->nframes > 0 || f->connection == 0);
	}
}

/* A healthy request/response, closed by the client: nothing to report. */
static void test_healthy_is_silent(void)
{
	struct feed_tuple t = feed_tuple(40000, 8080);
	uint32_t c = 1000, s = 5000;

	feed_start();
	feed_healthy(&t, c, s, T0);
	feed_finish();
	check_texts();
	CHECK_INT(feed.nfindings, 0);
	CHECK_INT(feed.nconns, 1);
}

/* --- helpers ------------------------------------------------------------------- */

/* feed_client_closes() leaves the server in CLOSE-WAIT from t0 + 6 ms with snd_nxt
 * s + 201, rcv_nxt c + 102 (§2.5). */

/* The server closes first and ends in TIME-WAIT from t0 + 7 ms (the client's FIN); its
 * snd_nxt is s + 202, its rcv_nxt c + 102. */
static void time_wait_conn(const struct feed_tuple *t, uint32_t c, uint32_t s, int64_t t0)
{
	feed_exchange(t, c, s, t0);
	feed_send(t, FROM_S, TH_ACK | TH_FIN, s + 201, c + 101, 0, t0 + 6 * MS);
	feed_send(t, FROM_C, TH_ACK | TH_FIN, c + 101, s + 202, 0, t0 + 7 * MS);
	feed_send(t, FROM_S, TH_ACK, s + 202, c + 102, 0, t0 + 8 * MS);
}

/* The rest of a handshake after the SYN-ACK, and a short exchange. */
static void finish_handshake(const struct feed_tuple *t, uint32_t c, uint32_t s, int64_t t0)
{
	feed_send(t, FROM_C, TH_ACK, c + 1, s + 1, 0, t0);
	feed_send(t, FROM_C, TH_ACK | TH_PUSH, c + 1, s + 1, 10, t0 + 1 * MS);
	feed_send(t, FROM_S, TH_ACK | TH_PUSH, s + 1, c + 11, 10, t0 + 2 * MS);
}

/* --- syn_to_close_wait ------------------------------------------------------------- */

/*
 * §2.4: SYN, challenge ACK with the old numbers, R seq = its ack, the same
 * SYN 3 ms later, SYN-ACK: connected, and the stale socket's life is known.
 */
static void test_close_wait_connected(void)
{
	struct feed_tuple t = feed_tuple(40000, 8080);
	uint32_t c = 1000, s = 5000;
	int64_t t1 = T0 + 10 * NS;
	uint64_t syn, synack;
	const struct finding *f;

	feed_start();
	feed_client_closes(&t, c, s, T0);
	syn = feed_send(&t, FROM_C, TH_SYN, 777000, 0, 0, t1);
	feed_send(&t, FROM_S, TH_ACK, s + 201, c + 102, 0, t1 + 1 * MS);
	feed_send(&t, FROM_C, TH_RST, c + 102, 0, 0, t1 + 1 * MS + 50 * US);
	feed_send(&t, FROM_C, TH_SYN, 777000, 0, 0, t1 + 4 * MS);
	synack = feed_send(&t, FROM_S, TH_SYN | TH_ACK, 8000, 777001, 0, t1 + 5 * MS);
	finish_handshake(&t, 777000, 8000, t1 + 5 * MS + 100 * US);
	feed_finish();
	check_texts();

	CHECK_INT(feed_count("syn_to_close_wait"), 1);
	CHECK_INT(feed_count("challenge_ack"), 0);
	CHECK_INT(feed_count("syn_to_stale_socket"), 0);
	CHECK_INT(feed_count("time_wait_reuse"), 0);
	f = feed_find("syn_to_close_wait");
	CHECK(f != NULL);
	if (!f)
		return;
	CHECK_INT(f->severity, SEV_CRITICAL);
	CHECK_INT(f->connection, 2);
	CHECK_INT(f->related, 1);
	CHECK(f->confidence > 0.99);
	CHECK_INT(f->nframes, 5);
	CHECK_INT(f->frames[0], syn);
	CHECK_INT(f->frames[f->nframes - 1], synack);
	CHECK_INT(f->first_ts_ns, t1);
	CHECK_INT(f->last_ts_ns, t1 + 5 * MS);
	CHECK(f->leaked);
	CHECK_INT(f->leaked_since_ns, T0 + 6 * MS);
	CHECK_INT(f->leaked_until_ns, t1 + 1 * MS + 50 * US);
	feed_check_text(f, "outcome", "connected");
	feed_check_text(f, "stale_state", "CLOSE-WAIT");
	feed_check_ms(f, "stale_socket_age", 10 * 1000 - 6);
	feed_check_int(f, "challenge_seq", s + 201);
	feed_check_int(f, "challenge_ack", c + 102);
	feed_check_int(f, "client_resets", 1);
	feed_check_ms(f, "added_delay", 4);
	feed_check_ms(f, "connect_time", 5);
	CHECK(strstr(f->explanation, "close()") != NULL);
}

/* The seed story: one port reused three times, 4 s apart; each SYN meets the
 * previous incarnation, and the listener's roll-up fires. */
static void test_close_wait_seed_rollup(void)
{
	struct feed_tuple t = feed_tuple(40000, 8080);
	uint32_t c = 1000, s = 5000;
	int n = 0;

	feed_start();
	feed_client_closes(&t, c, s, T0);
	for (int i = 1; i <= 3; i++) {
		int64_t ti = T0 + i * 4 * NS;
		uint32_t nc = c + (uint32_t)i * 100000, ns = s + (uint32_t)i * 100000;

		feed_send(&t, FROM_C, TH_SYN, nc, 0, 0, ti);
		feed_send(&t, FROM_S, TH_ACK, s + 201, c + 102, 0, ti + 30 * US);
		feed_send(&t, FROM_C, TH_RST, c + 102, 0, 0, ti + 45 * US);
		/* The retried SYN opens the same handshake feed_exchange() would. */
		feed_handshake(&t, nc, ns, ti + 9 * MS, ti + 9 * MS + 30 * US,
			       ti + 9 * MS + 50 * US);
		feed_send(&t, FROM_C, TH_ACK | TH_PUSH, nc + 1, ns + 1, 100, ti + 10 * MS);
		feed_send(&t, FROM_S, TH_ACK | TH_PUSH, ns + 1, nc + 101, 200, ti + 11 * MS);
		feed_send(&t, FROM_C, TH_ACK | TH_FIN, nc + 101, ns + 201, 0, ti + 12 * MS);
		feed_send(&t, FROM_S, TH_ACK, ns + 201, nc + 102, 0, ti + 57 * MS);
		c = nc;
		s = ns;
	}
	feed_finish();
	check_texts();

	CHECK_INT(feed_count("syn_to_close_wait"), 3);
	for (int i = 0; i < feed.nfindings; i++) {
		const struct finding *f = &feed.findings[i];

		if (strcmp(f->kind, "syn_to_close_wait") != 0)
			continue;
		n++;
		CHECK_INT(f->related, f->connection - 1);
		CHECK(f->leaked);
	}
	CHECK_INT(n, 3);
	CHECK(feed_count("close_wait_leak") >= 1);
	n = 0;
	for (int i = 0; i < feed.naggregates; i++)
		n += feed.aggregates[i].code == KIND_CLOSE_WAIT_LEAK &&
		     feed.aggregates[i].server_port == 8080 && feed.aggregates[i].count >= 3;
	CHECK_INT(n, 1);
}

/*
 * §2.4 failure variant at the server: a challenge ACK leaves for every SYN
 * re-send, no RST ever comes back: connect() times out, the socket survives.
 */
static void test_close_wait_rst_lost(void)
{
	struct feed_tuple t = feed_tuple(40001, 8080);
	uint32_t c = 1000, s = 5000;
	int64_t t1 = T0 + 30 * NS;
	const struct finding *f;

	feed_start();
	feed_client_closes(&t, c, s, T0);
	for (int i = 0; i < 3; i++) {
		int64_t ti = t1 + ((1 << i) - 1) * NS;

		feed_send(&t, FROM_C, TH_SYN, 4242, 0, 0, ti);
		feed_send(&t, FROM_S, TH_ACK, s + 201, c + 102, 0, ti + 20 * US);
	}
	feed_finish();
	check_texts();

	CHECK_INT(feed_count("syn_to_close_wait"), 1);
	f = feed_find("syn_to_close_wait");
	CHECK(f != NULL);
	if (!f)
		return;
	CHECK_INT(f->related, 1);
	feed_check_text(f, "outcome", "timed_out");
	feed_check_int(f, "challenge_acks", 3);
	feed_check_int(f, "client_resets", 0);
	feed_check_int(f, "syn_transmissions", 3);
	CHECK(f->leaked);
	CHECK_INT(f->leaked_until_ns, 0);
	/* SYN, first retry, last SYN; first and last challenge ACK. */
	CHECK_INT(f->nframes, 5);
	CHECK(strstr(f->explanation, "ETIMEDOUT") != NULL);
}

/* The client only sees its SYNs: the challenge ACKs were lost or filtered.
 * Still syn_to_close_wait (the earlier connection proves the stale socket),
 * at lower confidence. */
static void test_close_wait_challenge_lost(void)
{
	struct feed_tuple t = feed_tuple(40002, 8080);
	uint32_t c = 1000, s = 5000;
	int64_t t1 = T0 + 30 * NS;
	const struct finding *f;

	feed_start();
	feed_client_closes(&t, c, s, T0);
	feed_send(&t, FROM_C, TH_SYN, 4242, 0, 0, t1);
	feed_send(&t, FROM_C, TH_SYN, 4242, 0, 0, t1 + 1 * NS);
	feed_send(&t, FROM_C, TH_SYN, 4242, 0, 0, t1 + 3 * NS);
	feed_finish();
	check_texts();

	CHECK_INT(feed_count("syn_to_close_wait"), 1);
	f = feed_find("syn_to_close_wait");
	CHECK(f != NULL);
	if (!f)
		return;
	CHECK(f->confidence < 0.7);
	feed_check_text(f, "outcome", "timed_out");
	CHECK(feed_evidence(f, "challenge_acks") == NULL);
	CHECK_INT(f->nframes, 2);	/* the first and the last SYN */
	CHECK(strstr(f->explanation, "ETIMEDOUT") != NULL);

	/* Two SYNs 100 ms apart: the first challenge ACK may have been the rate
	 * limit's (one per 500 ms), so their silence proves nothing. */
	feed_start();
	feed_client_closes(&t, c, s, T0);
	feed_send(&t, FROM_C, TH_SYN, 4242, 0, 0, t1);
	feed_send(&t, FROM_C, TH_SYN, 4242, 0, 0, t1 + 100 * MS);
	feed_finish();
	CHECK_INT(feed_count("syn_to_close_wait"), 0);
}

/* The client's RSTs never reach the server: every SYN meets the stale
 * socket again (a challenge ACK, an RST, the fast retry swallowed by the
 * rate limit, the next SYN a second later). */
static void test_close_wait_rst_filtered(void)
{
	struct feed_tuple t = feed_tuple(40004, 8080);
	uint32_t c = 1000, s = 5000;
	int64_t t1 = T0 + 30 * NS;
	const struct finding *f;

	feed_start();
	feed_client_closes(&t, c, s, T0);
	for (int i = 0; i < 3; i++) {
		int64_t ti = t1 + i * NS;

		feed_send(&t, FROM_C, TH_SYN, 4242, 0, 0, ti);
		feed_send(&t, FROM_S, TH_ACK, s + 201, c + 102, 0, ti + 1 * MS);
		feed_send(&t, FROM_C, TH_RST, c + 102, 0, 0, ti + 1 * MS + 10 * US);
		feed_send(&t, FROM_C, TH_SYN, 4242, 0, 0, ti + 3 * MS);
	}
	feed_finish();
	check_texts();

	CHECK_INT(feed_count("syn_to_close_wait"), 1);
	f = feed_find("syn_to_close_wait");
	CHECK(f != NULL);
	if (!f)
		return;
	feed_check_text(f, "outcome", "timed_out");
	feed_check_int(f, "client_resets", 3);
	feed_check_int(f, "syn_transmissions", 6);
	CHECK_INT(f->leaked_until_ns, 0);
	CHECK(strstr(f->explanation, "RSTs never reached") != NULL);
}

/* --- syn_to_stale_socket ------------------------------------------------------------ */

/* samples/stale-socket.pcap in miniature: no earlier connection in the
 * capture; the challenge ACK's TSecr is 3739 ms below the SYN's TSval. */
static void test_stale_socket(void)
{
	struct feed_tuple t = feed_tuple(40000, 8080);
	int64_t t1 = T0 + 1 * NS;
	uint64_t chal, rst;
	const struct finding *f;

	feed_start();
	feed_send_ts(&t, FROM_C, TH_SYN, 2752223189u, 0, 0, t1, 230800751, 0);
	chal = feed_send_ts(&t, FROM_S, TH_ACK, 1000, 2693798195u, 0, t1 + 15 * US, 57060526,
			    230797012);
	rst = feed_send(&t, FROM_C, TH_RST, 2693798195u, 0, 0, t1 + 27 * US);
	feed_send_ts(&t, FROM_C, TH_SYN, 2752223189u, 0, 0, t1 + 11700 * US, 230800763, 0);
	feed_send(&t, FROM_S, TH_SYN | TH_ACK, 1646598278u, 2752223190u, 0, t1 + 11750 * US);
	finish_handshake(&t, 2752223189u, 1646598278u, t1 + 11800 * US);
	feed_finish();
	check_texts();

	CHECK_INT(feed_count("syn_to_stale_socket"), 1);
	CHECK_INT(feed_count("syn_to_close_wait"), 0);
	CHECK_INT(feed_count("challenge_ack"), 0);
	f = feed_find("syn_to_stale_socket");
	CHECK(f != NULL);
	if (!f)
		return;
	CHECK_INT(f->severity, SEV_WARNING);
	CHECK_INT(f->related, 0);
	CHECK(f->confidence > 0.65 && f->confidence < 0.75);
	feed_check_ms(f, "estimated_age", 3739);
	feed_check_bool(f, "age_is_estimate", true);
	feed_check_text(f, "outcome", "connected");
	feed_check_ms(f, "added_delay", 12);
	/* Its state is unknown: not counted as a CLOSE-WAIT leak. */
	CHECK(!f->leaked);
	CHECK_INT(feed_count("close_wait_leak"), 0);
	CHECK_INT(f->frames[1], chal);
	CHECK_INT(f->frames[2], rst);
	CHECK(strstr(f->explanation, "estimate") != NULL);
	/* An 11.7 ms retry: the sentence on the client's stack follows it. */
	CHECK(strstr(f->explanation, "since 5.6") != NULL);
	CHECK(strstr(f->explanation, "waits 1 s") == NULL);
}

/* The longest story, over IPv6: a stale socket whose client RSTs never
 * reach it; the explanation must still fit. */
static void test_stale_socket_rsts_lost(void)
{
	struct feed_tuple t = feed_tuple(40000, 8080);
	const struct finding *f;

	t.c.family = t.s.family = AF_INET6;
	memset(t.c.bytes, 0xfe, sizeof(t.c.bytes));
	memset(t.s.bytes, 0xfd, sizeof(t.s.bytes));
	feed_start();
	for (int i = 0; i < 3; i++) {
		int64_t ti = T0 + i * NS;

		feed_send_ts(&t, FROM_C, TH_SYN, 2752223189u, 0, 0, ti,
			     230800751 + (uint32_t)i * 1000, 0);
		feed_send_ts(&t, FROM_S, TH_ACK, 1000, 2693798195u, 0, ti + 15 * US,
			     57060526 + (uint32_t)i * 1000, 230797012);
		feed_send(&t, FROM_C, TH_RST, 2693798195u, 0, 0, ti + 27 * US);
	}
	feed_finish();
	check_texts();

	CHECK_INT(feed_count("syn_to_stale_socket"), 1);
	f = feed_find("syn_to_stale_socket");
	CHECK(f != NULL);
	if (!f)
		return;
	feed_check_text(f, "outcome", "timed_out");
	feed_check_int(f, "client_resets", 3);
	CHECK_INT(f->leaked_until_ns, 0);
	CHECK(strstr(f->explanation, "ETIMEDOUT") != NULL);
	CHECK(strstr(f->explanation, "estimate") != NULL);
}

/* A bare ACK answering a SYN with ack != ISN+1 and no RST from the client:
 * the generic challenge_ack, nothing more specific proven. */
static void test_syn_challenge_generic(void)
{
	struct feed_tuple t = feed_tuple(40003, 8080);
	const struct finding *f;

	feed_start();
	feed_send(&t, FROM_C, TH_SYN, 1000, 0, 0, T0);
	feed_send(&t, FROM_S, TH_ACK, 99000, 55555, 0, T0 + 20 * US);
	feed_finish();
	check_texts();

	CHECK_INT(feed_count("challenge_ack"), 1);
	CHECK_INT(feed_count("syn_to_stale_socket"), 0);
	f = feed_find("challenge_ack");
	CHECK(f != NULL);
	if (!f)
		return;
	CHECK_INT(f->severity, SEV_INFO);
	feed_check_text(f, "trigger", "syn");
	feed_check_int(f, "challenge_ack", 55555);
}

/* --- time_wait_reuse ---------------------------------------------------------------- */

/* §3.4 A: a newer SYN recycles the server's TIME-WAIT; the SYN-ACK's ISN is
 * the old snd_nxt + 65537. */
static void test_time_wait_accepted(void)
{
	struct feed_tuple t = feed_tuple(40000, 8080);
	uint32_t c = 1000, s = 5000, isn = s + 202 + 65537;
	int64_t t1 = T0 + 500 * MS;
	const struct finding *f;

	feed_start();
	time_wait_conn(&t, c, s, T0);
	feed_send(&t, FROM_C, TH_SYN, 900000, 0, 0, t1);
	feed_send(&t, FROM_S, TH_SYN | TH_ACK, isn, 900001, 0, t1 + 20 * US);
	finish_handshake(&t, 900000, isn, t1 + 40 * US);
	feed_finish();
	check_texts();

	CHECK_INT(feed_count("time_wait_reuse"), 1);
	CHECK_INT(feed_count("challenge_ack"), 0);
	f = feed_find("time_wait_reuse");
	CHECK(f != NULL);
	if (!f)
		return;
	CHECK_INT(f->severity, SEV_INFO);
	CHECK_INT(f->related, 1);
	feed_check_text(f, "how", "accepted_via_timewait");
	feed_check_text(f, "time_wait_side", "server");
	feed_check_bool(f, "isn_is_old_plus_65537", true);
	feed_check_ms(f, "time_wait_age", 500 - 7);	/* since the client's FIN */
	feed_check_ms(f, "added_delay", 0);
	CHECK(!f->leaked);
}

/* §3.4 B on a pre-5.6 client: TW ACK, RST, the SYN again after a whole
 * second: a warning. */
static void test_time_wait_ack_reset_retry(void)
{
	struct feed_tuple t = feed_tuple(40000, 8080);
	uint32_t c = 1000, s = 5000;
	int64_t t1 = T0 + 20 * MS;
	struct tcp_segment seg;
	const struct finding *f;

	feed_start();
	time_wait_conn(&t, c, s, T0);
	feed_send(&t, FROM_C, TH_SYN, 500, 0, 0, t1);
	seg = feed_seg(&t, FROM_S, TH_ACK, s + 202, c + 102, 0, t1 + 12 * US);
	seg.ip_df = true;
	seg.ip_id = 0;
	feed_push(&seg);
	feed_send(&t, FROM_C, TH_RST, c + 102, 0, 0, t1 + 20 * US);
	feed_send(&t, FROM_C, TH_SYN, 500, 0, 0, t1 + 1 * NS);
	feed_send(&t, FROM_S, TH_SYN | TH_ACK, 77777, 501, 0, t1 + 1 * NS + 20 * US);
	finish_handshake(&t, 500, 77777, t1 + 1 * NS + 40 * US);
	feed_finish();
	check_texts();

	CHECK_INT(feed_count("time_wait_reuse"), 1);
	CHECK_INT(feed_count("syn_to_close_wait"), 0);
	CHECK_INT(feed_count("syn_to_stale_socket"), 0);
	CHECK_INT(feed_count("challenge_ack"), 0);
	f = feed_find("time_wait_reuse");
	CHECK(f != NULL);
	if (!f)
		return;
	CHECK_INT(f->severity, SEV_WARNING);
	feed_check_text(f, "how", "tw_ack_reset_retry");
	feed_check_bool(f, "tw_ack_ip_id_zero", true);
	feed_check_ms(f, "added_delay", 1000);
	feed_check_int(f, "client_resets", 1);
	CHECK_INT(f->nframes, 5);
}

/* §3.4 C: a FreeBSD-like TIME-WAIT ignores the SYN until it expires. */
static void test_time_wait_silent_drop(void)
{
	struct feed_tuple t = feed_tuple(40000, 8080);
	uint32_t c = 1000, s = 5000;
	int64_t t1 = T0 + 2 * NS;
	const struct finding *f;

	feed_start();
	time_wait_conn(&t, c, s, T0);
	feed_send(&t, FROM_C, TH_SYN, 500, 0, 0, t1);
	feed_send(&t, FROM_C, TH_SYN, 500, 0, 0, t1 + 1 * NS);
	feed_send(&t, FROM_C, TH_SYN, 500, 0, 0, t1 + 3 * NS);
	feed_send(&t, FROM_S, TH_SYN | TH_ACK, 77777, 501, 0, t1 + 3 * NS + 20 * US);
	finish_handshake(&t, 500, 77777, t1 + 3 * NS + 40 * US);
	feed_finish();
	check_texts();

	CHECK_INT(feed_count("time_wait_reuse"), 1);
	f = feed_find("time_wait_reuse");
	CHECK(f != NULL);
	if (!f)
		return;
	CHECK_INT(f->severity, SEV_WARNING);
	feed_check_text(f, "how", "tw_silent_drop");
	feed_check_ms(f, "added_delay", 3000);
}

/* Reuse just inside TIME-WAIT with an ISN that is not old + 65537: accepted
 * (a non-Linux server); after the 60 s it is Wireshark's benign "port
 * reused", nothing to say. */
static void test_late_reuse(void)
{
	struct feed_tuple t = feed_tuple(40000, 8080);
	const struct finding *f;

	feed_start();
	time_wait_conn(&t, 1000, 5000, T0);
	feed_exchange(&t, 900000, 700000, T0 + 59 * NS + 900 * MS);
	feed_finish();
	check_texts();
	CHECK_INT(feed_count("time_wait_reuse"), 1);
	f = feed_find("time_wait_reuse");
	if (f) {
		feed_check_text(f, "how", "accepted");
		CHECK_INT(f->severity, SEV_INFO);
	}

	feed_start();
	time_wait_conn(&t, 1000, 5000, T0);
	feed_exchange(&t, 900000, 700000, T0 + 70 * NS);
	feed_finish();
	check_texts();
	CHECK_INT(feed_count("time_wait_reuse"), 0);
	CHECK_INT(feed_count("challenge_ack"), 0);
}

/* The client closed first and reuses its own TIME-WAIT 4-tuple with
 * ISN = old snd_nxt + 65537 (Linux tcp_tw_reuse, §3.2). */
static void test_time_wait_client_reuse(void)
{
	struct feed_tuple t = feed_tuple(40005, 8080);
	uint32_t c = 1000, s = 5000, isn = c + 102 + 65537;
	const struct finding *f;

	feed_start();
	feed_exchange(&t, c, s, T0);
	feed_send(&t, FROM_C, TH_ACK | TH_FIN, c + 101, s + 201, 0, T0 + 6 * MS);
	feed_send(&t, FROM_S, TH_ACK | TH_FIN, s + 201, c + 102, 0, T0 + 7 * MS);
	feed_send(&t, FROM_C, TH_ACK, c + 102, s + 202, 0, T0 + 8 * MS);
	feed_send(&t, FROM_C, TH_SYN, isn, 0, 0, T0 + 2 * NS);
	feed_send(&t, FROM_S, TH_SYN | TH_ACK, 9000, isn + 1, 0, T0 + 2 * NS + 1 * MS);
	finish_handshake(&t, isn, 9000, T0 + 2 * NS + 2 * MS);
	feed_finish();
	check_texts();

	CHECK_INT(feed_count("time_wait_reuse"), 1);
	f = feed_find("time_wait_reuse");
	CHECK(f != NULL);
	if (!f)
		return;
	CHECK_INT(f->severity, SEV_INFO);
	feed_check_text(f, "how", "client_tw_reuse");
	feed_check_text(f, "time_wait_side", "client");
	CHECK(strstr(f->explanation, "tcp_tw_reuse") != NULL);
}

/* --- challenge_ack (inexact RST) ------------------------------------------------------ */

/* An established connection: client nxt c + 101, server nxt s + 201. */
static void established(const struct feed_tuple *t, uint32_t c, uint32_t s)
{
	feed_exchange(t, c, s, T0);
}

/* §7.5 and samples/challenge-ack-rst.pcap: an injected R at rcv_nxt + 1000 is
 * answered by a challenge ACK and the client keeps talking. */
static void test_inexact_rst(void)
{
	struct feed_tuple t = feed_tuple(57666, 8080);
	uint32_t c = 1000, s = 5000;
	int64_t t1 = T0 + 1 * NS;
	uint64_t rst, ack;
	const struct finding *f;

	feed_start();
	established(&t, c, s);
	rst = feed_send(&t, FROM_C, TH_RST, c + 101 + 1000, 0, 0, t1);
	ack = feed_send(&t, FROM_S, TH_ACK, s + 201, c + 101, 0, t1 + 20 * US);
	feed_send(&t, FROM_C, TH_ACK | TH_PUSH, c + 101, s + 201, 44, t1 + 12 * MS);
	feed_send(&t, FROM_S, TH_ACK | TH_PUSH, s + 201, c + 145, 340, t1 + 13 * MS);
	feed_finish();
	check_texts();

	CHECK_INT(feed_count("challenge_ack"), 1);
	f = feed_find("challenge_ack");
	CHECK(f != NULL);
	if (!f)
		return;
	CHECK_INT(f->severity, SEV_INFO);
	CHECK_INT(f->nframes, 2);
	CHECK_INT(f->frames[0], rst);
	CHECK_INT(f->frames[1], ack);
	feed_check_text(f, "trigger", "inexact_rst");
	feed_check_int(f, "rst_offset", 1000);
	feed_check_int(f, "triggers", 1);
	feed_check_int(f, "challenge_acks", 1);
	feed_check_bool(f, "connection_continued", true);
	feed_check_bool(f, "reset_confirmed", false);
}

/* arkime tcp_handshake_synthetic: the earlier connection never got past
 * SYN-RECEIVED; an ACK with its numbers is no stale socket. */
static void test_stale_prev_syn_received(void)
{
	struct feed_tuple t = feed_tuple(40003, 8080);
	int64_t t1 = T0 + 300 * MS;

	feed_start();
	feed_send(&t, FROM_C, TH_SYN, 3000, 0, 0, T0);
	feed_send(&t, FROM_S, TH_SYN | TH_ACK, 7000, 3001, 0, T0 + 100 * MS);
	feed_send(&t, FROM_C, TH_SYN, 7777777, 0, 0, t1);
	feed_send(&t, FROM_S, TH_ACK, 7001, 3001, 0, t1 + 100 * MS);
	feed_send(&t, FROM_S, TH_SYN | TH_ACK, 9000, 7777778, 0, t1 + 200 * MS);
	feed_finish();
	check_texts();
	CHECK_INT(feed_count("syn_to_stale_socket"), 0);
	CHECK_INT(feed_count("close_wait_leak"), 0);
}

/* zeek syn-then-ack-then-rst: SYN, ACK, RST all with seq and ack 0, made by
 * a packet generator: no finding. */
static void test_stale_crafted(void)
{
	struct feed_tuple t = feed_tuple(13131, 31313);

	feed_start();
	feed_send(&t, FROM_C, TH_SYN, 0, 0, 0, T0);
	feed_send(&t, FROM_S, TH_ACK, 0, 0, 0, T0 + 300 * US);
	feed_send(&t, FROM_C, TH_RST, 0, 0, 0, T0 + 450 * US);
	feed_finish();
	check_texts();
	CHECK_INT(feed_count("syn_to_stale_socket"), 0);
	CHECK_INT(feed_count("challenge_ack"), 0);
}

/* The summary follows the evidence: no RST from the client and a single SYN
 * answered by a SYN-ACK say neither "RST" nor "sent again". */
static void test_stale_summary_matches(void)
{
	struct feed_tuple t = feed_tuple(40004, 8080);
	uint32_t c = 1000, s = 5000;
	int64_t t1 = T0 + 1 * NS;
	const struct finding *f;

	feed_start();
	feed_exchange(&t, c, s, T0);
	feed_send(&t, FROM_C, TH_SYN, 777777, 0, 0, t1);
	feed_send(&t, FROM_S, TH_ACK, s + 201, c + 101, 0, t1 + 1 * MS);
	feed_send(&t, FROM_S, TH_SYN | TH_ACK, 9000, 777778, 0, t1 + 100 * MS);
	feed_finish();
	check_texts();
	f = feed_find("syn_to_stale_socket");
	CHECK(f != NULL);
	if (!f)
		return;
	feed_check_int(f, "client_resets", 0);
	feed_check_text(f, "outcome", "connected");
	CHECK(strstr(f->summary, "RST") == NULL);
	CHECK(strstr(f->summary, "connected") != NULL);
	CHECK(strstr(f->explanation, "sent again") == NULL);
	CHECK(strstr(f->explanation, "without a second SYN") != NULL);
}

/* get-to-ssh-server: the server sends 21 bytes and an RST at their end before
 * the client acknowledges them; exact for the client, no challenge ACK. */
static void test_rst_after_own_data_is_exact(void)
{
	struct feed_tuple t = feed_tuple(57669, 22);
	uint32_t c = 1000, s = 5000;

	feed_start();
	established(&t, c, s);
	feed_send(&t, FROM_S, TH_ACK | TH_PUSH, s + 201, c + 101, 21, T0 + 1 * NS);
	feed_send(&t, FROM_S, TH_RST | TH_ACK, s + 222, c + 101, 0, T0 + 1 * NS + 10 * US);
	feed_send(&t, FROM_C, TH_ACK, c + 101, s + 222, 0, T0 + 1 * NS + 40 * US);
	feed_finish();
	check_texts();
	CHECK_INT(feed_count("challenge_ack"), 0);
}

/* §0.2: a second inexact RST 200 ms later gets no challenge ACK (one per
 * 500 ms per socket); that is the rate limit, not a missing reply. */
static void test_inexact_rst_rate_limited(void)
{
	struct feed_tuple t = feed_tuple(57667, 8080);
	uint32_t c = 1000, s = 5000;
	int64_t t1 = T0 + 1 * NS;
	const struct finding *f;

	feed_start();
	established(&t, c, s);
	feed_send(&t, FROM_C, TH_RST, c + 101 + 1000, 0, 0, t1);
	feed_send(&t, FROM_S, TH_ACK, s + 201, c + 101, 0, t1 + 20 * US);
	feed_send(&t, FROM_C, TH_RST | TH_ACK, c + 101 + 2000, s + 201, 0, t1 + 200 * MS);
	feed_send(&t, FROM_C, TH_ACK | TH_PUSH, c + 101, s + 201, 44, t1 + 400 * MS);
	feed_send(&t, FROM_S, TH_ACK | TH_PUSH, s + 201, c + 145, 340, t1 + 401 * MS);
	feed_finish();
	check_texts();

	CHECK_INT(feed_count("challenge_ack"), 1);
	f = feed_find("challenge_ack");
	CHECK(f != NULL);
	if (!f)
		return;
	feed_check_int(f, "triggers", 2);
	feed_check_int(f, "challenge_acks", 1);
	feed_check_int(f, "rate_limited", 1);
	feed_check_int(f, "unanswered", 0);
}

/* §7.5 roundtrip: the peer really aborted; its RST at the challenge's ack
 * is accepted one round trip after the first. */
static void test_inexact_rst_confirmed(void)
{
	struct feed_tuple t = feed_tuple(57668, 8080);
	uint32_t c = 1000, s = 5000;
	int64_t t1 = T0 + 1 * NS;
	const struct finding *f;

	feed_start();
	established(&t, c, s);
	feed_send(&t, FROM_C, TH_RST | TH_ACK, c + 101 + 1000, s + 201, 0, t1);
	feed_send(&t, FROM_S, TH_ACK, s + 201, c + 101, 0, t1 + 20 * US);
	feed_send(&t, FROM_C, TH_RST, c + 101, 0, 0, t1 + 2 * MS);
	feed_finish();
	check_texts();

	CHECK_INT(feed_count("challenge_ack"), 1);
	f = feed_find("challenge_ack");
	CHECK(f != NULL);
	if (!f)
		return;
	feed_check_bool(f, "reset_confirmed", true);
	CHECK_INT(f->nframes, 3);
}

/* --- traps ------------------------------------------------------------------------ */

/* A refused SYN and keep-alives answered normally: nothing from this family. */
static void test_traps_are_silent(void)
{
	struct feed_tuple t = feed_tuple(43746, 8081);
	struct feed_tuple k = feed_tuple(54334, 8080);
	uint32_t c = 1000, s = 5000;

	feed_start();
	feed_send(&t, FROM_C, TH_SYN, 31337, 0, 0, T0);
	feed_send(&t, FROM_S, TH_RST | TH_ACK, 0, 31338, 0, T0 + 20 * US);
	feed_exchange(&k, c, s, T0 + 1 * NS);
	for (int i = 0; i < 5; i++) {
		int64_t ti = T0 + (3 + i) * NS;

		feed_send(&k, FROM_C, TH_ACK, c + 100, s + 201, 0, ti);
		feed_send(&k, FROM_S, TH_ACK, s + 201, c + 101, 0, ti + 20 * US);
	}
	feed_finish();
	check_texts();
	CHECK_INT(feed_count("challenge_ack"), 0);
	CHECK_INT(feed_count("time_wait_reuse"), 0);
	CHECK_INT(feed_count("syn_to_close_wait"), 0);
	CHECK_INT(feed_count("syn_to_stale_socket"), 0);
}

int main(void)
{
	RUN(test_healthy_is_silent);
	RUN(test_close_wait_connected);
	RUN(test_close_wait_seed_rollup);
	RUN(test_close_wait_rst_lost);
	RUN(test_close_wait_challenge_lost);
	RUN(test_close_wait_rst_filtered);
	RUN(test_stale_socket);
	RUN(test_stale_socket_rsts_lost);
	RUN(test_syn_challenge_generic);
	RUN(test_time_wait_accepted);
	RUN(test_time_wait_ack_reset_retry);
	RUN(test_time_wait_silent_drop);
	RUN(test_late_reuse);
	RUN(test_time_wait_client_reuse);
	RUN(test_inexact_rst);
	RUN(test_stale_prev_syn_received);
	RUN(test_stale_crafted);
	RUN(test_stale_summary_matches);
	RUN(test_rst_after_own_data_is_exact);
	RUN(test_inexact_rst_rate_limited);
	RUN(test_inexact_rst_confirmed);
	RUN(test_traps_are_silent);
	return check_done("test_reuse");
}
