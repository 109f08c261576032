/*
 * test_teardown.c - the teardown detectors (analyzer/detectors/teardown*.c), fed with
 * conversations written after reference/kernel-signatures.md.
 */
#include "config.h"

#include "tests/unit/check.h"
#include "tests/unit/feed.h"

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

/* --- helpers ------------------------------------------------------------------- */

static const char *const teardown_kinds[] = {
	"fin_wait2_stall", "fin_wait2_expired_rst", "data_after_close_reset",
	"orphan_fin_wait1_stall", "abortive_close", "rst_no_socket",
};

/* Findings of this family at or above a severity (other families may speak too). */
static int family_at_least(enum severity sev)
{
	int n = 0;

	for (int i = 0; i < feed.nfindings; i++)
		for (size_t k = 0; k < sizeof(teardown_kinds) / sizeof(teardown_kinds[0]); k++)
			n += strcmp(feed.findings[i].kind, teardown_kinds[k]) == 0 &&
			     feed.findings[i].severity >= sev;
	return n;
}

static int family_count(void)
{
	return family_at_least(SEV_INFO);
}

/* A heartbeat on :9000 that shows capture time passing: handshake at t0, then
 * one 10-byte line per tick, ACKed. */
static struct feed_tuple hb;
static uint32_t hb_c, hb_s;

static void hb_start(int64_t t0)
{
	hb = feed_tuple(51000, 9000);
	hb_c = 7000;
	hb_s = 9000;
	feed_handshake(&hb, hb_c, hb_s, t0, t0 + 1 * US, t0 + 2 * US);
	hb_c++;
	hb_s++;
}

static void hb_tick(int64_t t)
{
	feed_send(&hb, FROM_C, TH_ACK | TH_PUSH, hb_c, hb_s, 10, t);
	hb_c += 10;
	feed_send(&hb, FROM_S, TH_ACK, hb_s, hb_c, 0, t + 10 * US);
}

/* Heartbeat ticks every second in [from, to]. */
static void hb_run(int64_t from, int64_t to)
{
	for (int64_t t = from; t <= to; t += 1 * NS)
		hb_tick(t);
}

/* --- fin_wait2_stall ------------------------------------------------------------- */

/* §4.6: the server ACKs the client's FIN and sends nothing for 70 s, then its FIN. */
static void test_stall_then_fin(void)
{
	struct feed_tuple t = feed_tuple(40000, 8080);
	uint32_t c = 1000, s = 5000;
	const struct finding *f;
	uint64_t ack, fin;

	feed_start();
	ack = feed_client_closes(&t, c, s, T0);
	fin = feed_send(&t, FROM_S, TH_ACK | TH_FIN, s + 201, c + 102, 0, T0 + 70 * NS + 46 * MS);
	feed_send(&t, FROM_C, TH_ACK, c + 102, s + 202, 0, T0 + 70 * NS + 47 * MS);
	feed_finish();
	CHECK_INT(feed_count("fin_wait2_stall"), 1);
	f = feed_find("fin_wait2_stall");
	CHECK(f && f->severity == SEV_WARNING);
	CHECK(f && f->confidence > 0.95);
	CHECK(feed_has_frame(f, ack) && feed_has_frame(f, fin));
	feed_check_ms(f, "idle", 70000);
	feed_check_text(f, "closer", "client");
	feed_check_text(f, "ended_by", "fin");
	feed_check_bool(f, "unresolved", false);
	CHECK(f && f->leaked);
	CHECK(f && f->leaked_since_ns == T0 + 46 * MS);
	CHECK(f && f->leaked_until_ns == T0 + 70 * NS + 46 * MS);
	CHECK_INT(family_count(), 1);
}

/* Past fin_wait2_critical (300 s) the stall is critical. */
static void test_stall_critical(void)
{
	struct feed_tuple t = feed_tuple(40000, 8080);
	uint32_t c = 1000, s = 5000;
	const struct finding *f;

	feed_start();
	feed_client_closes(&t, c, s, T0);
	feed_send(&t, FROM_S, TH_ACK | TH_FIN, s + 201, c + 102, 0, T0 + 310 * NS);
	feed_send(&t, FROM_C, TH_ACK, c + 102, s + 202, 0, T0 + 310 * NS + 1 * MS);
	feed_finish();
	f = feed_find("fin_wait2_stall");
	CHECK(f && f->severity == SEV_CRITICAL);
}

/* A second leaked socket on the same server port makes the stall critical. */
static void test_stall_critical_when_leaking(void)
{
	struct feed_tuple t1 = feed_tuple(40000, 8080), t2 = feed_tuple(40002, 8080);
	int crit = 0;

	feed_start();
	feed_client_closes(&t1, 1000, 5000, T0);
	feed_client_closes(&t2, 3000, 8000, T0 + 10 * MS);
	feed_send(&t1, FROM_S, TH_ACK | TH_FIN, 5201, 1102, 0, T0 + 80 * NS);
	feed_send(&t2, FROM_S, TH_ACK | TH_FIN, 8201, 3102, 0, T0 + 80 * NS + 1 * MS);
	feed_finish();
	CHECK_INT(feed_count("fin_wait2_stall"), 2);
	for (int i = 0; i < feed.nfindings; i++)
		crit += strcmp(feed.findings[i].kind, "fin_wait2_stall") == 0 &&
			feed.findings[i].severity == SEV_CRITICAL;
	CHECK_INT(crit, 1);
	CHECK_INT(feed_count("close_wait_leak"), 1);
}

/* Still CLOSE-WAIT when the capture ends, idle 65 s covered by a heartbeat: a
 * stall, not resolved, leaked with no end. */
static void test_stall_open_at_end(void)
{
	struct feed_tuple t = feed_tuple(40000, 8080);
	const struct finding *f;

	feed_start();
	hb_start(T0 - 1 * NS);
	feed_client_closes(&t, 1000, 5000, T0);
	hb_run(T0 + 1 * NS, T0 + 65 * NS);
	feed_finish();
	f = feed_find("fin_wait2_stall");
	CHECK(f && f->severity == SEV_WARNING);
	feed_check_bool(f, "still_close_wait", true);
	feed_check_bool(f, "unresolved", false);
	feed_check_text(f, "ended_by", "capture_end");
	CHECK(f && f->leaked && f->leaked_until_ns == 0);
}

/* The capture ends 3 s after the FIN was ACKed (a heartbeat shows the time):
 * unresolved, info, lower confidence, still counted as leaked. */
static void test_unresolved_at_capture_end(void)
{
	struct feed_tuple t = feed_tuple(40000, 8080);
	const struct finding *f;

	feed_start();
	hb_start(T0 - 1 * NS);
	feed_client_closes(&t, 1000, 5000, T0);
	hb_run(T0 + 1 * NS + 46 * MS, T0 + 3 * NS + 46 * MS);
	feed_finish();
	CHECK_INT(feed_count("fin_wait2_stall"), 1);
	f = feed_find("fin_wait2_stall");
	CHECK(f && f->severity == SEV_INFO);
	CHECK(f && f->confidence < 0.7);
	feed_check_bool(f, "unresolved", true);
	feed_check_ms(f, "idle", 3000);
	CHECK(f && f->leaked && f->leaked_until_ns == 0);
	CHECK_INT(family_at_least(SEV_WARNING), 0);
}

/* Without other traffic the connection's own last segment is the end of what
 * the capture proves: 40 ms of silence is nothing. */
static void test_no_coverage_no_finding(void)
{
	struct feed_tuple t = feed_tuple(40000, 8080);

	feed_start();
	feed_client_closes(&t, 1000, 5000, T0);
	feed_finish();
	CHECK_INT(family_count(), 0);
}

/* The trap: the server closes 5 ms after ACKing the client's FIN. */
static void test_fast_close_not_leaked(void)
{
	struct feed_tuple t = feed_tuple(40000, 8080);
	uint32_t c = 1000, s = 5000;

	feed_start();
	hb_start(T0 - 1 * NS);
	feed_client_closes(&t, c, s, T0);
	feed_send(&t, FROM_S, TH_ACK | TH_FIN, s + 201, c + 102, 0, T0 + 51 * MS);
	feed_send(&t, FROM_C, TH_ACK, c + 102, s + 202, 0, T0 + 52 * MS);
	hb_run(T0 + 1 * NS, T0 + 90 * NS);
	feed_finish();
	CHECK_INT(family_count(), 0);
	for (int i = 0; i < feed.nfindings; i++)
		CHECK(!feed.findings[i].leaked);
}

/* The trap: half-close (§4.3). The client shut down its side; the server keeps
 * sending data for 2 s, each chunk ACKed, then its FIN. */
static void test_half_close_is_not_a_stall(void)
{
	struct feed_tuple t = feed_tuple(40000, 8080);
	uint32_t c = 1000, s = 5000;

	feed_start();
	feed_handshake(&t, c, s, T0, T0 + 1 * MS, T0 + 2 * MS);
	feed_send(&t, FROM_C, TH_ACK | TH_PUSH, c + 1, s + 1, 39, T0 + 3 * MS);
	feed_send(&t, FROM_C, TH_ACK | TH_FIN, c + 40, s + 1, 0, T0 + 3 * MS + 40 * US);
	feed_send(&t, FROM_S, TH_ACK, s + 1, c + 41, 0, T0 + 4 * MS);
	for (int i = 0; i < 7; i++) {
		int64_t at = T0 + 300 * MS * (i + 1);

		feed_send(&t, FROM_S, TH_ACK | TH_PUSH, s + 1 + 414 * i, c + 41, 414, at);
		feed_send(&t, FROM_C, TH_ACK, c + 41, s + 1 + 414 * (i + 1), 0, at + 50 * US);
	}
	feed_send(&t, FROM_S, TH_ACK | TH_FIN, s + 1 + 414 * 7, c + 41, 0, T0 + 2400 * MS);
	feed_send(&t, FROM_C, TH_ACK, c + 41, s + 2 + 414 * 7, 0, T0 + 2400 * MS + 50 * US);
	feed_finish();
	CHECK_INT(family_at_least(SEV_WARNING), 0);
	CHECK_INT(feed_count("fin_wait2_stall"), 0);
	for (int i = 0; i < feed.nfindings; i++)
		CHECK(!feed.findings[i].leaked);
}

/* The server closes first and the client's application never does: a stall on
 * the client, which the per-listener leak roll-up does not count. */
static void test_client_close_wait_not_leaked(void)
{
	struct feed_tuple t = feed_tuple(40000, 8080);
	uint32_t c = 1000, s = 5000;
	const struct finding *f;

	feed_start();
	feed_exchange(&t, c, s, T0);
	feed_send(&t, FROM_S, TH_ACK | TH_FIN, s + 201, c + 101, 0, T0 + 6 * MS);
	feed_send(&t, FROM_C, TH_ACK, c + 101, s + 202, 0, T0 + 7 * MS);
	feed_send(&t, FROM_C, TH_ACK | TH_FIN, c + 101, s + 202, 0, T0 + 90 * NS);
	feed_send(&t, FROM_S, TH_ACK, s + 202, c + 102, 0, T0 + 90 * NS + 1 * MS);
	feed_finish();
	f = feed_find("fin_wait2_stall");
	CHECK(f && f->severity == SEV_WARNING);
	feed_check_text(f, "closer", "server");
	feed_check_text(f, "close_wait_side", "client");
	CHECK(f && !f->leaked);
}

/* --- late resets -------------------------------------------------------------------- */

/* The fin-wait2-stall sample: 10 s of CLOSE-WAIT, then 33 bytes from the server
 * answered at once by `R` seq = client FIN + 1, win 0 (§4.3). */
static void test_expired_rst_on_late_data(void)
{
	struct feed_tuple t = feed_tuple(40000, 8080);
	uint32_t c = 1000, s = 5000;
	const struct finding *f;
	uint64_t data, rst;

	feed_start();
	hb_start(T0 - 1 * NS);
	feed_client_closes(&t, c, s, T0);
	hb_run(T0 + 1 * NS, T0 + 9 * NS);
	data = feed_send(&t, FROM_S, TH_ACK | TH_PUSH, s + 201, c + 102, 33,
			 T0 + 10 * NS + 46 * MS);
	rst = feed_send(&t, FROM_C, TH_RST, c + 102, 0, 0, T0 + 10 * NS + 46 * MS + 30 * US);
	hb_run(T0 + 11 * NS, T0 + 12 * NS);
	feed_finish();
	CHECK_INT(feed_count("fin_wait2_expired_rst"), 1);
	CHECK_INT(feed_count("data_after_close_reset"), 0);
	CHECK_INT(feed_count("rst_no_socket"), 0);
	CHECK_INT(feed_count("fin_wait2_stall"), 0);
	f = feed_find("fin_wait2_expired_rst");
	CHECK(f && f->severity == SEV_WARNING);
	CHECK(feed_has_frame(f, data) && feed_has_frame(f, rst));
	feed_check_ms(f, "gap", 10000);
	feed_check_text(f, "late_segment", "data");
	feed_check_int(f, "late_data_bytes", 33);
	feed_check_int(f, "rst_seq", c + 102);
	CHECK(f && f->leaked);
	CHECK(f && f->leaked_since_ns == T0 + 46 * MS);
	CHECK(f && f->leaked_until_ns == T0 + 10 * NS + 46 * MS);
}

/* The server's FIN after 70 s gets the reset: a stall and an expiry, the socket
 * counted once toward the leak. */
static void test_expired_rst_on_late_fin(void)
{
	struct feed_tuple t = feed_tuple(40000, 8080);
	uint32_t c = 1000, s = 5000;
	const struct finding *f;
	int leaked = 0;

	feed_start();
	feed_client_closes(&t, c, s, T0);
	feed_send(&t, FROM_S, TH_ACK | TH_FIN, s + 201, c + 102, 0, T0 + 70 * NS);
	feed_send(&t, FROM_C, TH_RST, c + 102, 0, 0, T0 + 70 * NS + 30 * US);
	feed_finish();
	CHECK_INT(feed_count("fin_wait2_stall"), 1);
	CHECK_INT(feed_count("fin_wait2_expired_rst"), 1);
	f = feed_find("fin_wait2_expired_rst");
	feed_check_text(f, "late_segment", "fin");
	CHECK(f && f->confidence > 0.9);
	for (int i = 0; i < feed.nfindings; i++)
		leaked += feed.findings[i].leaked;
	CHECK_INT(leaked, 1);
}

/* ctu-64702-888: the server's FIN 97 ms after its ACK of the client's FIN
 * is reset; no FIN-WAIT-2 timer is that short (TEARDOWN_EXPIRY_MIN_NS): no
 * expiry, and no data, so no finding from the late-reset rule at all. */
static void test_short_gap_fin_no_expiry(void)
{
	struct feed_tuple t = feed_tuple(40000, 8080);
	uint32_t c = 1000, s = 5000;

	feed_start();
	feed_client_closes(&t, c, s, T0);
	feed_send(&t, FROM_S, TH_ACK | TH_FIN, s + 201, c + 102, 0, T0 + 143 * MS);
	feed_send(&t, FROM_C, TH_RST, c + 102, 0, 0, T0 + 143 * MS + 30 * US);
	feed_finish();
	CHECK_INT(feed_count("fin_wait2_expired_rst"), 0);
	CHECK_INT(feed_count("data_after_close_reset"), 0);
}

/* §4.5: data 0.5 s after the FIN, answered by the reset: the closer used close(). */
static void test_data_after_close_reset(void)
{
	struct feed_tuple t = feed_tuple(40000, 8080);
	uint32_t c = 1000, s = 5000;
	const struct finding *f;

	feed_start();
	feed_client_closes(&t, c, s, T0);
	feed_send(&t, FROM_S, TH_ACK | TH_PUSH, s + 201, c + 102, 500, T0 + 546 * MS);
	feed_send(&t, FROM_C, TH_RST, c + 102, 0, 0, T0 + 546 * MS + 30 * US);
	feed_finish();
	CHECK_INT(feed_count("data_after_close_reset"), 1);
	CHECK_INT(feed_count("fin_wait2_expired_rst"), 0);
	CHECK_INT(feed_count("rst_no_socket"), 0);
	f = feed_find("data_after_close_reset");
	CHECK(f && f->severity == SEV_WARNING);
	feed_check_int(f, "late_data_bytes", 500);
	CHECK(f && !f->leaked);
}

/* --- orphan_fin_wait1_stall ------------------------------------------------------- */

/* §5.2: the client's FIN re-sent 5 times with doubling gaps, never ACKed, then
 * silence the heartbeat covers. */
static void test_orphan_fin_silent(void)
{
	struct feed_tuple t = feed_tuple(40000, 8080);
	uint32_t c = 1000, s = 5000;
	const struct finding *f;
	int64_t at = T0 + 1 * NS, gap = 200 * MS;
	uint64_t first;

	feed_start();
	hb_start(T0 - 1 * NS);
	feed_exchange(&t, c, s, T0);
	first = feed_send(&t, FROM_C, TH_ACK | TH_FIN, c + 101, s + 201, 0, at);
	for (int i = 0; i < 5; i++) {
		at += gap;
		gap *= 2;
		feed_send(&t, FROM_C, TH_ACK | TH_FIN, c + 101, s + 201, 0, at);
	}
	hb_run(T0 + 2 * NS, T0 + 20 * NS);
	feed_finish();
	CHECK_INT(feed_count("orphan_fin_wait1_stall"), 1);
	f = feed_find("orphan_fin_wait1_stall");
	CHECK(f && f->severity == SEV_WARNING);
	CHECK(feed_has_frame(f, first));
	feed_check_int(f, "fin_resends", 5);
	feed_check_text(f, "ended", "silent");
	feed_check_ms(f, "last_resend_gap", 3200);
	CHECK_INT(feed_count("rst_no_socket"), 0);
}

/* The trap: a FIN lost twice and then ACKed is only a lossy path. */
static void test_fin_resent_then_acked(void)
{
	struct feed_tuple t = feed_tuple(40000, 8080);
	uint32_t c = 1000, s = 5000;

	feed_start();
	feed_exchange(&t, c, s, T0);
	feed_send(&t, FROM_C, TH_ACK | TH_FIN, c + 101, s + 201, 0, T0 + 1 * NS);
	feed_send(&t, FROM_C, TH_ACK | TH_FIN, c + 101, s + 201, 0, T0 + 1200 * MS);
	feed_send(&t, FROM_C, TH_ACK | TH_FIN, c + 101, s + 201, 0, T0 + 1600 * MS);
	feed_send(&t, FROM_S, TH_ACK | TH_FIN, s + 201, c + 102, 0, T0 + 1601 * MS);
	feed_send(&t, FROM_C, TH_ACK, c + 102, s + 202, 0, T0 + 1602 * MS);
	feed_finish();
	CHECK_INT(family_count(), 0);
}

/* §5.1 zero-window orphan: probes answered with window 0 stop; the window
 * update 6 s later gets `R` from the client's host. */
static void test_orphan_zero_window(void)
{
	struct feed_tuple t = feed_tuple(40000, 8080);
	uint32_t c = 1000, s = 5000, una;
	const struct finding *f;
	int64_t at = T0 + 100 * MS;
	uint64_t rst;

	feed_start();
	hb_start(T0 - 1 * NS);
	feed_handshake(&t, c, s, T0, T0 + 1 * MS, T0 + 2 * MS);
	feed_send(&t, FROM_C, TH_ACK | TH_PUSH, c + 1, s + 1, 60000, T0 + 3 * MS);
	una = c + 60001;
	feed_send_win(&t, FROM_S, TH_ACK, s + 1, una, 0, 0, T0 + 50 * MS);
	for (int i = 0; i < 5; i++) {
		at += 200 * MS << (i < 3 ? i : 2);
		feed_send(&t, FROM_C, TH_ACK, una - 1, s + 1, 0, at);
		feed_send_win(&t, FROM_S, TH_ACK, s + 1, una, 0, 0, at + 40 * US);
	}
	hb_run(T0 + 1 * NS, T0 + 9 * NS);
	feed_send(&t, FROM_S, TH_ACK, s + 1, una, 0, T0 + 9500 * MS);
	rst = feed_send(&t, FROM_C, TH_RST, una, 0, 0, T0 + 9500 * MS + 20 * US);
	feed_finish();
	CHECK_INT(feed_count("orphan_fin_wait1_stall"), 1);
	CHECK_INT(feed_count("rst_no_socket"), 0);
	f = feed_find("orphan_fin_wait1_stall");
	CHECK(feed_has_frame(f, rst));
	feed_check_int(f, "zero_window_probes", 5);
	feed_check_text(f, "ended", "reset_when_peer_sent");
	feed_check_bool(f, "fin_seen", false);
}

/* The trap (zero-window.pcap): probes, then the window opens and data flows. */
static void test_zero_window_recovers(void)
{
	struct feed_tuple t = feed_tuple(40000, 8080);
	uint32_t c = 1000, s = 5000, una = c + 60001;
	int64_t at = T0 + 100 * MS;

	feed_start();
	feed_handshake(&t, c, s, T0, T0 + 1 * MS, T0 + 2 * MS);
	feed_send(&t, FROM_C, TH_ACK | TH_PUSH, c + 1, s + 1, 60000, T0 + 3 * MS);
	feed_send_win(&t, FROM_S, TH_ACK, s + 1, una, 0, 0, T0 + 50 * MS);
	for (int i = 0; i < 4; i++) {
		at += 200 * MS << i;
		feed_send(&t, FROM_C, TH_ACK, una - 1, s + 1, 0, at);
		feed_send_win(&t, FROM_S, TH_ACK, s + 1, una, 0, 0, at + 40 * US);
	}
	feed_send(&t, FROM_S, TH_ACK, s + 1, una, 0, T0 + 4 * NS);
	feed_send(&t, FROM_C, TH_ACK | TH_PUSH, una, s + 1, 1000, T0 + 4 * NS + 1 * MS);
	feed_send(&t, FROM_C, TH_ACK | TH_FIN, una + 1000, s + 1, 0, T0 + 4 * NS + 2 * MS);
	feed_send(&t, FROM_S, TH_ACK | TH_FIN, s + 1, una + 1001, 0, T0 + 4 * NS + 3 * MS);
	feed_send(&t, FROM_C, TH_ACK, una + 1001, s + 2, 0, T0 + 4 * NS + 4 * MS);
	feed_finish();
	CHECK_INT(family_count(), 0);
}

/* --- abortive_close ------------------------------------------------------------------ */

/* §7.1: the client sends 64 more bytes, the server ACKs them and resets 0.3 s
 * later with `R.` seq = its snd_nxt: close() with unread data. */
static void test_abortive_unread(void)
{
	struct feed_tuple t = feed_tuple(40000, 8080);
	uint32_t c = 1000, s = 5000;
	const struct finding *f;
	uint64_t extra, rst;

	feed_start();
	feed_exchange(&t, c, s, T0);
	extra = feed_send(&t, FROM_C, TH_ACK | TH_PUSH, c + 101, s + 201, 64, T0 + 6 * MS);
	feed_send(&t, FROM_S, TH_ACK, s + 201, c + 165, 0, T0 + 46 * MS);
	rst = feed_send(&t, FROM_S, TH_RST | TH_ACK, s + 201, c + 165, 0, T0 + 306 * MS);
	feed_finish();
	CHECK_INT(feed_count("abortive_close"), 1);
	f = feed_find("abortive_close");
	CHECK(f && f->severity == SEV_WARNING);
	CHECK(feed_has_frame(f, extra) && feed_has_frame(f, rst));
	feed_check_bool(f, "unread_data", true);
	feed_check_int(f, "peer_bytes_after_last_send", 64);
	feed_check_text(f, "rst_sender", "server");
	CHECK_INT(feed_count("rst_no_socket"), 0);
}

/* §7.2: the client, its answer received, closes with SO_LINGER {1, 0}. */
static void test_abortive_linger0(void)
{
	struct feed_tuple t = feed_tuple(40000, 8080);
	uint32_t c = 1000, s = 5000;
	const struct finding *f;

	feed_start();
	feed_exchange(&t, c, s, T0);
	feed_send(&t, FROM_C, TH_RST | TH_ACK, c + 101, s + 201, 0, T0 + 6 * MS);
	feed_finish();
	CHECK_INT(feed_count("abortive_close"), 1);
	f = feed_find("abortive_close");
	CHECK(f && f->severity == SEV_INFO);
	feed_check_bool(f, "unread_data", false);
	feed_check_bool(f, "linger0_likely", true);
	feed_check_text(f, "rst_sender", "client");
}

/* The trap: unanswered keep-alives, then the prober's `R.` (keepalive_dead_peer). */
static void test_keepalive_reset_not_abortive(void)
{
	struct feed_tuple t = feed_tuple(40000, 8080);
	uint32_t c = 1000, s = 5000;

	feed_start();
	feed_exchange(&t, c, s, T0);
	for (int i = 1; i <= 3; i++)
		feed_send(&t, FROM_C, TH_ACK, c + 100, s + 201, 0, T0 + i * NS);
	feed_send(&t, FROM_C, TH_RST | TH_ACK, c + 101, s + 201, 0, T0 + 4 * NS);
	feed_finish();
	CHECK_INT(feed_count("abortive_close"), 0);
	CHECK_INT(feed_count("rst_no_socket"), 0);
}

/* --- rst_no_socket --------------------------------------------------------------------- */

/* §7.3: the server's socket is gone (ss -K, its RST lost); the client's next
 * request 2 s later is answered by `R` seq = the request's ack. */
static void test_rst_no_socket(void)
{
	struct feed_tuple t = feed_tuple(40000, 8080);
	uint32_t c = 1000, s = 5000;
	const struct finding *f;
	uint64_t req, rst;

	feed_start();
	feed_exchange(&t, c, s, T0);
	req = feed_send(&t, FROM_C, TH_ACK | TH_PUSH, c + 101, s + 201, 47, T0 + 2 * NS);
	rst = feed_send(&t, FROM_S, TH_RST, s + 201, 0, 0, T0 + 2 * NS + 30 * US);
	feed_finish();
	CHECK_INT(feed_count("rst_no_socket"), 1);
	f = feed_find("rst_no_socket");
	CHECK(f && f->severity == SEV_WARNING);
	CHECK(feed_has_frame(f, req) && feed_has_frame(f, rst));
	feed_check_text(f, "rst_sender", "server");
	feed_check_text(f, "reason", "socket_gone");
	feed_check_ms(f, "idle_before", 1996);
	feed_check_int(f, "trigger_bytes", 47);
	CHECK_INT(feed_count("abortive_close"), 0);
}

/* pcapplusplus example.pcap: the server had sent its FIN; the client's data
 * after it is reset by the closed socket (data_after_close_reset), not by a
 * host that lost the connection. */
static void test_nosock_not_after_own_fin(void)
{
	struct feed_tuple t = feed_tuple(40000, 8080);
	uint32_t c = 1000, s = 5000;

	feed_start();
	feed_exchange(&t, c, s, T0);
	feed_send(&t, FROM_S, TH_ACK | TH_FIN, s + 201, c + 101, 0, T0 + 10 * MS);
	feed_send(&t, FROM_C, TH_ACK | TH_PUSH, c + 101, s + 202, 30, T0 + 11 * MS);
	feed_send(&t, FROM_S, TH_RST, s + 202, 0, 0, T0 + 11 * MS + 30 * US);
	feed_finish();
	CHECK_INT(feed_count("rst_no_socket"), 0);
}

/* An RST that leaves the peer's earlier data unacknowledged is an abortive
 * close (tcp-fastopen-11-reject-syn-data), not a lost socket. */
static void test_nosock_not_unacked_data(void)
{
	struct feed_tuple t = feed_tuple(40000, 8080);
	uint32_t c = 1000, s = 5000;

	feed_start();
	feed_exchange(&t, c, s, T0);
	feed_send(&t, FROM_C, TH_ACK | TH_PUSH, c + 101, s + 201, 50, T0 + 10 * MS);
	feed_send(&t, FROM_C, TH_ACK | TH_PUSH, c + 151, s + 201, 50, T0 + 11 * MS);
	feed_send(&t, FROM_S, TH_RST, s + 201, 0, 0, T0 + 11 * MS + 30 * US);
	feed_finish();
	CHECK_INT(feed_count("rst_no_socket"), 0);
}

/* An RST long after its supposed trigger (here 300 ms, the round trip is
 * 2 ms) does not answer it; nor is a mid-stream pick-up known established. */
static void test_nosock_needs_prompt_and_established(void)
{
	struct feed_tuple t = feed_tuple(40000, 8080);
	uint32_t c = 1000, s = 5000;

	feed_start();
	feed_exchange(&t, c, s, T0);
	feed_send(&t, FROM_C, TH_ACK | TH_PUSH, c + 101, s + 201, 47, T0 + 2 * NS);
	feed_send(&t, FROM_S, TH_RST, s + 201, 0, 0, T0 + 2 * NS + 300 * MS);
	feed_finish();
	CHECK_INT(feed_count("rst_no_socket"), 0);

	feed_start();
	feed_send(&t, FROM_C, TH_ACK | TH_PUSH, c + 101, s + 201, 47, T0);
	feed_send(&t, FROM_S, TH_ACK | TH_PUSH, s + 201, c + 148, 10, T0 + 1 * MS);
	feed_send(&t, FROM_C, TH_ACK | TH_PUSH, c + 148, s + 211, 47, T0 + 2 * NS);
	feed_send(&t, FROM_S, TH_RST, s + 211, 0, 0, T0 + 2 * NS + 30 * US);
	feed_finish();
	CHECK_INT(feed_count("rst_no_socket"), 0);
}

/* The trap (listener family's): the handshake ACK into a full accept queue is
 * answered by `R` seq = ISN_s + 1 (tcp_abort_on_overflow). */
static void test_overflow_reset_not_ours(void)
{
	struct feed_tuple t = feed_tuple(40000, 8080);
	uint32_t c = 1000, s = 5000;

	feed_start();
	feed_handshake(&t, c, s, T0, T0 + 1 * MS, T0 + 2 * MS);
	feed_send(&t, FROM_S, TH_RST, s + 1, 0, 0, T0 + 2 * MS + 20 * US);
	feed_send(&t, FROM_C, TH_ACK | TH_PUSH, c + 1, s + 1, 40, T0 + 2 * MS + 30 * US);
	feed_send(&t, FROM_S, TH_RST, s + 1, 0, 0, T0 + 2 * MS + 50 * US);
	feed_finish();
	CHECK_INT(family_count(), 0);
}

/* The trap (reuse family's): the old socket of a reused tuple still in
 * CLOSE-WAIT answers the new SYN with a challenge ACK, the client's `R` kills
 * it and the SYN retried connects. The old connection raises nothing here. */
static void test_close_wait_reuse_not_ours(void)
{
	struct feed_tuple t = feed_tuple(40000, 8080);
	uint32_t c = 1000, s = 5000, c2 = 90000, s2 = 70000;

	feed_start();
	hb_start(T0 - 1 * NS);
	feed_client_closes(&t, c, s, T0);
	hb_run(T0 + 1 * NS, T0 + 4 * NS);
	feed_send(&t, FROM_C, TH_SYN, c2, 0, 0, T0 + 4 * NS + 500 * MS);
	feed_send(&t, FROM_S, TH_ACK, s + 201, c + 102, 0, T0 + 4 * NS + 500 * MS + 30 * US);
	feed_send(&t, FROM_C, TH_RST, c + 102, 0, 0, T0 + 4 * NS + 500 * MS + 45 * US);
	feed_handshake(&t, c2, s2, T0 + 4 * NS + 510 * MS, T0 + 4 * NS + 510 * MS + 20 * US,
		       T0 + 4 * NS + 510 * MS + 40 * US);
	feed_send(&t, FROM_C, TH_ACK | TH_FIN, c2 + 1, s2 + 1, 0, T0 + 4 * NS + 520 * MS);
	feed_send(&t, FROM_S, TH_ACK | TH_FIN, s2 + 1, c2 + 2, 0, T0 + 4 * NS + 521 * MS);
	feed_send(&t, FROM_C, TH_ACK, c2 + 2, s2 + 2, 0, T0 + 4 * NS + 522 * MS);
	hb_run(T0 + 5 * NS, T0 + 6 * NS);
	feed_finish();
	CHECK_INT(family_count(), 0);
}

int main(void)
{
	RUN(test_healthy_is_silent);
	RUN(test_stall_then_fin);
	RUN(test_stall_critical);
	RUN(test_stall_critical_when_leaking);
	RUN(test_stall_open_at_end);
	RUN(test_unresolved_at_capture_end);
	RUN(test_no_coverage_no_finding);
	RUN(test_fast_close_not_leaked);
	RUN(test_half_close_is_not_a_stall);
	RUN(test_client_close_wait_not_leaked);
	RUN(test_expired_rst_on_late_data);
	RUN(test_expired_rst_on_late_fin);
	RUN(test_data_after_close_reset);
	RUN(test_short_gap_fin_no_expiry);
	RUN(test_orphan_fin_silent);
	RUN(test_fin_resent_then_acked);
	RUN(test_orphan_zero_window);
	RUN(test_zero_window_recovers);
	RUN(test_abortive_unread);
	RUN(test_abortive_linger0);
	RUN(test_keepalive_reset_not_abortive);
	RUN(test_rst_no_socket);
	RUN(test_nosock_not_after_own_fin);
	RUN(test_nosock_not_unacked_data);
	RUN(test_nosock_needs_prompt_and_established);
	RUN(test_overflow_reset_not_ours);
	RUN(test_close_wait_reuse_not_ours);
	return check_done("test_teardown");
}
