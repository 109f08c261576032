/*
 * test_liveness.c - the liveness detectors (analyzer/detectors/liveness.c), fed with
 * conversations written after reference/kernel-signatures.md.
 */
#include "config.h"

#include "tests/unit/check.h"
#include "tests/unit/feed.h"

/* Segments carry an IPv4 ID from a per-direction counter, as Linux sends them,
 * and each is fed twice 1 us apart when feed.doubled (a mirror port's copy). */
static uint64_t tx_win(const struct feed_tuple *t, int from_c, uint16_t flags, uint32_t seq,
			 uint32_t ack, uint32_t len, uint16_t window, int64_t ts)
{
	struct tcp_segment s = feed_seg(t, from_c, flags, seq, ack, len, ts);

	s.window = window;
	feed_next_ip_id(&s, from_c);
	return feed_push_copies(&s);
}

static uint64_t tx(const struct feed_tuple *t, int from_c, uint16_t flags, uint32_t seq,
		     uint32_t ack, uint32_t len, int64_t ts)
{
	return tx_win(t, from_c, flags, seq, ack, len,
			(flags & TH_RST) && !(flags & TH_ACK) ? 0 : 65535, ts);
}

static void handshake(const struct feed_tuple *t, uint32_t c, uint32_t s, int64_t t0)
{
	tx(t, FROM_C, TH_SYN, c, 0, 0, t0);
	tx(t, FROM_S, TH_SYN | TH_ACK, s, c + 1, 0, t0 + 1 * MS);
	tx(t, FROM_C, TH_ACK, c + 1, s + 1, 0, t0 + 2 * MS);
}

/* Another connection exchanging keep-alives every second until `until`: the
 * capture covers the time (the :9000 heartbeat of the samples). */
static void heartbeat(int64_t from, int64_t until)
{
	struct feed_tuple h = feed_tuple(41000, 9000);
	uint32_t c = 7000, s = 9000;

	handshake(&h, c, s, from);
	tx(&h, FROM_C, TH_ACK | TH_PUSH, c + 1, s + 1, 11, from + 3 * MS);
	tx(&h, FROM_S, TH_ACK, s + 1, c + 12, 0, from + 4 * MS);
	for (int64_t t = from + 1 * NS; t <= until; t += 1 * NS) {
		tx(&h, FROM_C, TH_ACK, c + 11, s + 1, 0, t);
		tx(&h, FROM_S, TH_ACK, s + 1, c + 12, 0, t + 40 * US);
	}
}

static const struct evidence *ev(const char *kind, const char *name)
{
	return feed_evidence(feed_find(kind), name);
}

static const char *ev_text(const char *kind, const char *name)
{
	const struct evidence *e = ev(kind, name);

	return e ? e->v.text : NULL;
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

/*
 * The zero-window sample's shape (kernel-signatures.md §8.4): the client
 * fills the server's window, the server advertises 0 for `zero` ns, the
 * client probes at seq = snd_una - 1 with doubling gaps from 200 ms, each
 * probe answered with window 0 unless it comes < 500 ms after the previous
 * answer; then a window update and the rest of the data.
 */
static void zero_window(int64_t zero)
{
	struct feed_tuple t = feed_tuple(48248, 8080);
	uint32_t c = 1000, s = 5000, acked = c + 1 + 20000;
	int64_t t0 = T0 + 10 * MS, probe = 200 * MS, last_answer = t0 - 1 * NS;

	handshake(&t, c, s, T0);
	tx(&t, FROM_C, TH_ACK | TH_PUSH, c + 1, s + 1, 20000, t0 - 1 * MS);
	tx_win(&t, FROM_S, TH_ACK, s + 1, acked, 0, 0, t0);
	for (int64_t p = t0 + probe; p < t0 + zero; probe *= 2, p += probe) {
		tx(&t, FROM_C, TH_ACK, acked - 1, s + 1, 0, p);
		if (p - last_answer >= 500 * MS) {
			tx_win(&t, FROM_S, TH_ACK, s + 1, acked, 0, 0, p + 40 * US);
			last_answer = p;
		}
	}
	tx_win(&t, FROM_S, TH_ACK, s + 1, acked, 0, 8192, t0 + zero);
	tx(&t, FROM_C, TH_ACK | TH_PUSH, acked, s + 1, 8192, t0 + zero + 40 * US);
	tx(&t, FROM_S, TH_ACK, s + 1, acked + 8192, 0, t0 + zero + 80 * US);
}

static void test_zero_window_stall(void)
{
	const struct finding *f;

	feed_start();
	zero_window(6 * NS);
	feed_finish();
	CHECK_INT(feed_count("zero_window_stall"), 1);
	f = feed_find("zero_window_stall");
	CHECK(f && f->severity == SEV_WARNING);
	CHECK(f && f->confidence == 1.0);
	CHECK(f && f->nframes >= 3 && f->frames[0] == 5);
	CHECK(ev("zero_window_stall", "zero_window_s") &&
	      ev("zero_window_stall", "zero_window_s")->v.r == 6.0);
	/* Probes at 0.2, 0.6, 1.4, 3.0 s: the 2nd one within 500 ms of an answer. */
	CHECK(ev("zero_window_stall", "probes") && ev("zero_window_stall", "probes")->v.i == 4);
	CHECK(ev("zero_window_stall", "probes_answered") &&
	      ev("zero_window_stall", "probes_answered")->v.i == 3);
	CHECK(ev("zero_window_stall", "probes_rate_limited") &&
	      ev("zero_window_stall", "probes_rate_limited")->v.i == 1);
	CHECK(ev("zero_window_stall", "reopened") && ev("zero_window_stall", "reopened")->v.b);
	CHECK_STR(ev_text("zero_window_stall", "slow_side"), "server");
	CHECK(f && strstr(f->explanation, "500 ms"));
}

/* A 4.9 s zero window from a reader that slept 5 s reaches the 5 s threshold
 * within the timing tolerance (the zero-window sample is such a case). */
static void test_zero_window_tolerance(void)
{
	feed_start();
	zero_window(4914 * MS);
	feed_finish();
	CHECK_INT(feed_count("zero_window_stall"), 1);

	feed_start();
	zero_window(4 * NS);
	feed_finish();
	CHECK_INT(feed_count("zero_window_stall"), 0);
}

static void test_zero_window_critical(void)
{
	feed_start();
	zero_window(70 * NS);
	feed_finish();
	CHECK_INT(feed_count("zero_window_stall"), 1);
	CHECK(feed_find("zero_window_stall") &&
	      feed_find("zero_window_stall")->severity == SEV_CRITICAL);
}

static void test_zero_window_threshold(void)
{
	analyzer_config_default(&feed.cfg);
	feed.cfg.detect.zero_window_stall_ns = 1 * NS;
	feed_start_cfg();
	zero_window(2 * NS);
	feed_finish();
	CHECK_INT(feed_count("zero_window_stall"), 1);
}

/*
 * The server's window closes at +0.01 s for `server_zero`, then the client's
 * for `client_zero`; each time the sender probes from 200 ms on, doubling,
 * answered with the window still zero.
 */
static void zero_windows(int64_t server_zero, int64_t client_zero)
{
	struct feed_tuple t = feed_tuple(48250, 8080);
	uint32_t c = 1000, s = 5000, cs = c + 1 + 20000, ss = s + 1 + 30000;
	int64_t t0 = T0 + 10 * MS, tc = t0 + server_zero + 1 * NS;

	handshake(&t, c, s, T0);
	tx(&t, FROM_C, TH_ACK | TH_PUSH, c + 1, s + 1, 20000, t0 - 2 * MS);
	tx(&t, FROM_S, TH_ACK | TH_PUSH, s + 1, cs, 30000, t0 - 1 * MS);
	tx_win(&t, FROM_S, TH_ACK, ss, cs, 0, 0, t0);
	for (int64_t p = t0 + 200 * MS, gap = 200 * MS; p < t0 + server_zero; p += gap *= 2) {
		tx(&t, FROM_C, TH_ACK, cs - 1, ss, 0, p);
		tx_win(&t, FROM_S, TH_ACK, ss, cs, 0, 0, p + 40 * US);
	}
	tx_win(&t, FROM_S, TH_ACK, ss, cs, 0, 8192, t0 + server_zero);
	tx_win(&t, FROM_C, TH_ACK, cs, ss, 0, 0, tc);
	for (int64_t p = tc + 200 * MS, gap = 200 * MS; p < tc + client_zero; p += gap *= 2) {
		tx(&t, FROM_S, TH_ACK, ss - 1, cs, 0, p);
		tx_win(&t, FROM_C, TH_ACK, cs, ss, 0, 0, p + 40 * US);
	}
	tx_win(&t, FROM_C, TH_ACK, cs, ss, 0, 8192, tc + client_zero);
}

/* One finding per connection, for its longest stall, whichever side and
 * whichever came first; every stall counted. */
static void test_zero_window_longest(void)
{
	const struct evidence *e;

	feed_start();
	zero_windows(6 * NS, 8 * NS);
	feed_finish();
	CHECK_INT(feed_count("zero_window_stall"), 1);
	CHECK_STR(ev_text("zero_window_stall", "slow_side"), "client");
	e = ev("zero_window_stall", "zero_window_s");
	CHECK(e && e->v.r == 8.0);
	CHECK(ev("zero_window_stall", "stalls") && ev("zero_window_stall", "stalls")->v.i == 2);

	feed_start();
	zero_windows(9 * NS, 7 * NS);
	feed_finish();
	CHECK_INT(feed_count("zero_window_stall"), 1);
	CHECK_STR(ev_text("zero_window_stall", "slow_side"), "server");
	e = ev("zero_window_stall", "zero_window_s");
	CHECK(e && e->v.r == 9.0);
}

/*
 * Both applications write and neither reads: the server's window closes at
 * t0 for 9 s, the client probing it; the client's at t0 + 10 ms for 6 s, so
 * the client's probes advertise a zero window too. Once the client's window
 * reopens the server sends on. One finding, for the longer stall; both counted.
 */
static void test_zero_window_both_sides(void)
{
	struct feed_tuple t = feed_tuple(48252, 8080);
	uint32_t c = 1000, s = 5000, cs = c + 1 + 20000, ss = s + 1 + 30000;
	int64_t t0 = T0 + 10 * MS, gap = 200 * MS;
	const struct evidence *e;
	uint16_t cwin = 0;

	feed_start();
	handshake(&t, c, s, T0);
	tx(&t, FROM_C, TH_ACK | TH_PUSH, c + 1, s + 1, 20000, t0 - 2 * MS);
	tx(&t, FROM_S, TH_ACK | TH_PUSH, s + 1, cs, 30000, t0 - 1 * MS);
	tx_win(&t, FROM_S, TH_ACK, ss, cs, 0, 0, t0);
	tx_win(&t, FROM_C, TH_ACK, cs, ss, 0, 0, t0 + 10 * MS);
	for (int64_t p = t0 + 200 * MS; p < t0 + 9 * NS; p += gap *= 2) {
		if (!cwin && p > t0 + 6010 * MS) {
			cwin = 8192;
			tx_win(&t, FROM_C, TH_ACK, cs, ss, 0, cwin, t0 + 6010 * MS);
			tx_win(&t, FROM_S, TH_ACK | TH_PUSH, ss, cs, 1000, 0, t0 + 6020 * MS);
			ss += 1000;
		}
		tx_win(&t, FROM_C, TH_ACK, cs - 1, ss, 0, cwin, p);
		tx_win(&t, FROM_S, TH_ACK, ss, cs, 0, 0, p + 40 * US);
	}
	tx_win(&t, FROM_S, TH_ACK, ss, cs, 0, 8192, t0 + 9 * NS);
	feed_finish();
	CHECK_INT(feed_count("zero_window_stall"), 1);
	CHECK_STR(ev_text("zero_window_stall", "slow_side"), "server");
	e = ev("zero_window_stall", "zero_window_s");
	CHECK(e && e->v.r == 9.0);
	CHECK(ev("zero_window_stall", "zero_window_episodes") &&
	      ev("zero_window_stall", "zero_window_episodes")->v.i == 2);
	CHECK(ev("zero_window_stall", "stalls") && ev("zero_window_stall", "stalls")->v.i == 2);
}

/* The slow-reader trap: many short zero windows (100-450 ms), the transfer
 * goes on each time. Ordinary flow control: nothing at all. */
static void test_slow_reader_is_silent(void)
{
	struct feed_tuple t = feed_tuple(43046, 8080);
	uint32_t c = 1000, s = 5000, seq = c + 1;
	int64_t ts = T0 + 10 * MS;

	feed_start();
	handshake(&t, c, s, T0);
	for (int i = 0; i < 8; i++) {
		int64_t pause = (100 + 50 * i) * MS;

		tx(&t, FROM_C, TH_ACK | TH_PUSH, seq, s + 1, 65536, ts);
		seq += 65536;
		tx_win(&t, FROM_S, TH_ACK, s + 1, seq, 0, 0, ts + 1 * MS);
		if (pause > 200 * MS)
			tx(&t, FROM_C, TH_ACK, seq - 1, s + 1, 0, ts + 201 * MS);
		tx_win(&t, FROM_S, TH_ACK, s + 1, seq, 0, 64000, ts + 1 * MS + pause);
		ts += pause + 2 * MS;
	}
	tx(&t, FROM_C, TH_ACK | TH_FIN, seq, s + 1, 0, ts);
	tx(&t, FROM_S, TH_ACK | TH_FIN, s + 1, seq + 1, 0, ts + 1 * MS);
	tx(&t, FROM_C, TH_ACK, seq + 1, s + 2, 0, ts + 2 * MS);
	feed_finish();
	CHECK_INT(feed.nfindings, 0);
}

/*
 * The rto-death sample (kernel-signatures.md §8.3, §7.4): three exchanges,
 * then a request re-sent at +0.2 (TLP), +0.4, +0.8, +1.6, +3.2 s and silence,
 * no RST. `covered` is how long the capture goes on after the first send.
 */
static void rto_death(int64_t covered, bool acked_at_end, bool peer_talks)
{
	struct feed_tuple t = feed_tuple(43510, 8080);
	uint32_t c = 1000, s = 5000;
	int64_t t1 = T0 + 1 * NS, gap = 200 * MS, at = t1;

	handshake(&t, c, s, T0);
	tx(&t, FROM_C, TH_ACK | TH_PUSH, c + 1, s + 1, 44, T0 + 3 * MS);
	tx(&t, FROM_S, TH_ACK | TH_PUSH, s + 1, c + 45, 340, T0 + 4 * MS);
	tx(&t, FROM_C, TH_ACK, c + 45, s + 341, 0, T0 + 5 * MS);
	tx(&t, FROM_C, TH_ACK | TH_PUSH, c + 45, s + 341, 47, t1);
	for (int i = 0; i < 5; i++) {
		at += i == 0 ? gap : (gap *= 2);
		tx(&t, FROM_C, TH_ACK | TH_PUSH, c + 45, s + 341, 47, at);
		/* The server is alive but does not take the data (a full
		 * accept queue, a host firewall on one port): not a dead peer. */
		if (peer_talks && i == 2)
			tx(&t, FROM_S, TH_ACK | TH_PUSH, s + 341, c + 45, 10, at + 50 * MS);
	}
	if (acked_at_end)
		tx(&t, FROM_S, TH_ACK, s + 341, c + 92, 0, at + 1 * MS);
	heartbeat(T0 + 100 * MS, t1 + covered);
}

static void test_rto_death(void)
{
	const struct finding *f;

	feed_start();
	rto_death(20 * NS, false, false);
	feed_finish();
	CHECK_INT(feed_count("retransmission_timeout_death"), 1);
	f = feed_find("retransmission_timeout_death");
	CHECK(f && f->severity == SEV_CRITICAL && f->confidence == 1.0);
	CHECK(f && f->connection == 1);
	CHECK(f && f->nframes == 6);
	CHECK(ev("retransmission_timeout_death", "retransmissions") &&
	      ev("retransmission_timeout_death", "retransmissions")->v.i == 5);
	CHECK(ev("retransmission_timeout_death", "bytes_outstanding") &&
	      ev("retransmission_timeout_death", "bytes_outstanding")->v.i == 47);
	CHECK(ev("retransmission_timeout_death", "unresolved") &&
	      !ev("retransmission_timeout_death", "unresolved")->v.b);
	CHECK_STR(ev_text("retransmission_timeout_death", "schedule_s"),
		  "0.200,0.400,0.800,1.600,3.200");
	CHECK(f && strstr(f->explanation, "tcp_retries2"));
}

/*
 * Eight re-sends, from 0.2 s doubling to 25.6 s, then silence: the finding
 * lists the original, the first four re-sends and the last one, and its time
 * span runs from the original to the last re-send.
 */
static void test_rto_death_long(void)
{
	struct feed_tuple t = feed_tuple(43512, 8080);
	uint32_t c = 1000, s = 5000;
	int64_t t1 = T0 + 1 * NS, at = t1, gap = 200 * MS;
	uint64_t first, fifth = 0, last = 0;
	const struct finding *f;

	feed_start();
	handshake(&t, c, s, T0);
	tx(&t, FROM_C, TH_ACK | TH_PUSH, c + 1, s + 1, 44, T0 + 3 * MS);
	tx(&t, FROM_S, TH_ACK, s + 1, c + 45, 0, T0 + 4 * MS);
	first = tx(&t, FROM_C, TH_ACK | TH_PUSH, c + 45, s + 1, 47, t1);
	for (int i = 0; i < 8; i++, gap *= 2) {
		last = tx(&t, FROM_C, TH_ACK | TH_PUSH, c + 45, s + 1, 47, at += gap);
		if (i == 3)
			fifth = last;
	}
	heartbeat(T0 + 100 * MS, at + 120 * NS);
	feed_finish();
	CHECK_INT(feed_count("retransmission_timeout_death"), 1);
	f = feed_find("retransmission_timeout_death");
	CHECK(f && f->nframes == 6 && f->frames[0] == first && f->frames[4] == fifth &&
	      f->frames[5] == last);
	CHECK(f && f->first_ts_ns == t1 && f->last_ts_ns == at);
	CHECK(ev("retransmission_timeout_death", "retransmissions") &&
	      ev("retransmission_timeout_death", "retransmissions")->v.i == 8);
	CHECK_STR(ev_text("retransmission_timeout_death", "schedule_s"),
		  "0.200,0.400,0.800,1.600,3.200,6.400,...");
}

/* The capture stops before the next re-send was due: unresolved. */
static void test_rto_death_unresolved(void)
{
	const struct finding *f;

	feed_start();
	rto_death(6500 * MS, false, false);
	feed_finish();
	f = feed_find("retransmission_timeout_death");
	CHECK(f && f->severity == SEV_WARNING && f->confidence < 0.9);
	CHECK(ev("retransmission_timeout_death", "unresolved") &&
	      ev("retransmission_timeout_death", "unresolved")->v.b);
}

/* Re-sent with backoff, then ACKed: an ordinary retransmission. Or the peer
 * keeps talking while the re-sends go unacknowledged: it is not dark. */
static void test_rto_acked_is_silent(void)
{
	feed_start();
	rto_death(20 * NS, true, false);
	feed_finish();
	CHECK_INT(feed_count("retransmission_timeout_death"), 0);

	feed_start();
	rto_death(20 * NS, false, true);
	feed_finish();
	CHECK_INT(feed_count("retransmission_timeout_death"), 0);
}

/* A closer's FIN re-sent into silence is orphan_fin_wait1_stall's (§5.3). */
static void test_rto_fin_is_not_ours(void)
{
	struct feed_tuple t = feed_tuple(41940, 8080);
	uint32_t c = 1000, s = 5000;
	int64_t at = T0 + 1 * NS, gap = 200 * MS;

	feed_start();
	handshake(&t, c, s, T0);
	tx(&t, FROM_C, TH_ACK | TH_PUSH, c + 1, s + 1, 44, T0 + 3 * MS);
	tx(&t, FROM_S, TH_ACK | TH_PUSH, s + 1, c + 45, 340, T0 + 4 * MS);
	tx(&t, FROM_C, TH_ACK | TH_FIN, c + 45, s + 341, 0, at);
	for (int i = 0; i < 5; i++, gap *= 2)
		tx(&t, FROM_C, TH_ACK | TH_FIN, c + 45, s + 341, 0, at += gap);
	heartbeat(T0 + 100 * MS, T0 + 20 * NS);
	feed_finish();
	CHECK_INT(feed_count("retransmission_timeout_death"), 0);
}

/* Every frame twice, 1 us apart (mirror port): the copies are not re-sends. */
static void test_rto_death_doubled(void)
{
	feed_start();
	feed.doubled = true;
	rto_death(20 * NS, false, false);
	feed_finish();
	CHECK_INT(feed_count("retransmission_timeout_death"), 1);
	CHECK(ev("retransmission_timeout_death", "retransmissions") &&
	      ev("retransmission_timeout_death", "retransmissions")->v.i == 5);
	CHECK_INT(feed_count("zero_window_stall"), 0);
	CHECK_INT(feed_count("keepalive_dead_peer"), 0);

	feed_start();
	feed.doubled = true;
	zero_window(6 * NS);
	feed_finish();
	CHECK(ev("zero_window_stall", "probes") && ev("zero_window_stall", "probes")->v.i == 4);
	CHECK(ev("zero_window_stall", "probes_answered") &&
	      ev("zero_window_stall", "probes_answered")->v.i == 3);
}

/*
 * The keepalive-dead-peer sample (§6.1-6.3): two exchanges, 2 keep-alives
 * answered, then `unanswered` probes 1.024 s apart with no answer and the
 * prober's `R.` one interval later.
 */
static void keepalive(int unanswered, bool reset)
{
	struct feed_tuple t = feed_tuple(57200, 8080);
	uint32_t c = 1000, s = 5000;
	int64_t at = T0 + 1 * NS;

	handshake(&t, c, s, T0);
	tx(&t, FROM_C, TH_ACK | TH_PUSH, c + 1, s + 1, 44, T0 + 3 * MS);
	tx(&t, FROM_S, TH_ACK | TH_PUSH, s + 1, c + 45, 340, T0 + 4 * MS);
	tx(&t, FROM_C, TH_ACK, c + 45, s + 341, 0, T0 + 5 * MS);
	for (int i = 0; i < 2; i++, at += 1024 * MS) {
		tx(&t, FROM_C, TH_ACK, c + 44, s + 341, 0, at);
		tx(&t, FROM_S, TH_ACK, s + 341, c + 45, 0, at + 40 * US);
	}
	for (int i = 0; i < unanswered; i++, at += 1024 * MS)
		tx(&t, FROM_C, TH_ACK, c + 44, s + 341, 0, at);
	if (reset)
		tx(&t, FROM_C, TH_RST | TH_ACK, c + 45, s + 341, 0, at);
}

static void test_keepalive_dead_peer(void)
{
	const struct finding *f;

	feed_start();
	keepalive(3, true);
	feed_finish();
	CHECK_INT(feed_count("keepalive_dead_peer"), 1);
	f = feed_find("keepalive_dead_peer");
	CHECK(f && f->severity == SEV_WARNING && f->nframes == 4);
	CHECK(ev("keepalive_dead_peer", "unanswered_probes") &&
	      ev("keepalive_dead_peer", "unanswered_probes")->v.i == 3);
	CHECK(ev("keepalive_dead_peer", "answered_probes") &&
	      ev("keepalive_dead_peer", "answered_probes")->v.i == 2);
	CHECK(ev("keepalive_dead_peer", "probe_interval_s") &&
	      ev("keepalive_dead_peer", "probe_interval_s")->v.r == 1.024);
	CHECK_STR(ev_text("keepalive_dead_peer", "reset_flags"), "R.");
	CHECK_INT(feed_count("retransmission_timeout_death"), 0);

	feed_start();
	feed.doubled = true;
	keepalive(3, true);
	feed_finish();
	CHECK(ev("keepalive_dead_peer", "unanswered_probes") &&
	      ev("keepalive_dead_peer", "unanswered_probes")->v.i == 3);
}

/* Eight unanswered probes: the first five, the last and the reset are listed. */
static void test_keepalive_long(void)
{
	const struct finding *f;

	feed_start();
	keepalive(8, true);
	feed_finish();
	f = feed_find("keepalive_dead_peer");
	CHECK(f && f->nframes == 7);
	/* Frames 1-10: the handshake, the exchange and two answered probes. */
	CHECK(f && f->frames[0] == 11 && f->frames[4] == 15 && f->frames[5] == 18 &&
	      f->frames[6] == 19);
	CHECK(f && f->last_ts_ns - f->first_ts_ns == 8 * 1024 * MS);
	CHECK(ev("keepalive_dead_peer", "unanswered_probes") &&
	      ev("keepalive_dead_peer", "unanswered_probes")->v.i == 8);
}

/* The keepalive.pcap trap: probes answered, then more traffic. And a reset
 * after a single unanswered probe is below the threshold (2). */
static void test_keepalive_answered_is_silent(void)
{
	feed_start();
	keepalive(0, false);
	feed_finish();
	CHECK_INT(feed.nfindings, 0);

	feed_start();
	keepalive(1, true);
	feed_finish();
	CHECK_INT(feed_count("keepalive_dead_peer"), 0);

	/* Unanswered probes but no reset from the prober: not this finding. */
	feed_start();
	keepalive(4, false);
	feed_finish();
	CHECK_INT(feed_count("keepalive_dead_peer"), 0);
}

int main(void)
{
	RUN(test_healthy_is_silent);
	RUN(test_zero_window_stall);
	RUN(test_zero_window_tolerance);
	RUN(test_zero_window_critical);
	RUN(test_zero_window_threshold);
	RUN(test_zero_window_longest);
	RUN(test_zero_window_both_sides);
	RUN(test_slow_reader_is_silent);
	RUN(test_rto_death);
	RUN(test_rto_death_long);
	RUN(test_rto_death_unresolved);
	RUN(test_rto_acked_is_silent);
	RUN(test_rto_fin_is_not_ours);
	RUN(test_rto_death_doubled);
	RUN(test_keepalive_dead_peer);
	RUN(test_keepalive_long);
	RUN(test_keepalive_answered_is_silent);
	return check_done("test_liveness");
}
