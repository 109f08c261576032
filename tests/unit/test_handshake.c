/*
 * test_handshake.c - the handshake detectors (analyzer/detectors/handshake.c), fed with
 * conversations written after reference/kernel-signatures.md.
 */
#include "config.h"

#include "tests/unit/check.h"
#include "tests/unit/feed.h"

/* --- helpers --------------------------------------------------------------------- */

/* A SYN or SYN-ACK with the options Linux puts in it. */
static uint64_t hs_syn(const struct feed_tuple *t, int from_c, uint16_t flags, uint32_t seq,
		       uint32_t ack, int64_t ts, bool wscale, bool sack, bool tstamps,
		       uint32_t tsval, uint32_t tsecr, uint16_t mss)
{
	struct tcp_segment s = feed_seg(t, from_c, flags, seq, ack, 0, ts);

	s.opt.has_mss = true;
	s.opt.mss = mss;
	s.opt.has_wscale = wscale;
	s.opt.wscale = wscale ? 7 : 0;
	s.opt.sack_permitted = sack;
	if (tstamps)
		feed_opt_ts(&s, tsval, tsecr);
	return feed_push(&s);
}

static int64_t hs_int(const struct finding *f, const char *name, int64_t otherwise)
{
	const struct evidence *e = feed_evidence(f, name);

	return e ? e->v.i : otherwise;
}

static bool hs_bool(const struct finding *f, const char *name)
{
	const struct evidence *e = feed_evidence(f, name);

	return e && e->v.b;
}

static const char *hs_text(const struct finding *f, const char *name)
{
	const struct evidence *e = feed_evidence(f, name);

	return e ? e->v.text : "";
}

/* None of the family's kinds. */
static int hs_count_family(void)
{
	return feed_count("handshake_ack_lost") + feed_count("syncookie_handshake") +
	       feed_count("self_connect") + feed_count("simultaneous_open");
}

/* --- healthy -------------------------------------------------------------------- */

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

/* Healthy handshakes with every option and timestamps that follow the clock:
 * no SYN cookie is suspected. */
static void test_healthy_options_are_silent(void)
{
	uint32_t c = 1000, s = 5000;

	feed_start();
	for (int i = 0; i < 3; i++) {
		struct feed_tuple t = feed_tuple((uint16_t)(40000 + i), 8080);
		int64_t t0 = T0 + i * NS;
		uint32_t tv = 700000 + (uint32_t)i * 1000;

		hs_syn(&t, FROM_C, TH_SYN, c, 0, t0, true, true, true, 100, 0, 1460);
		hs_syn(&t, FROM_S, TH_SYN | TH_ACK, s, c + 1, t0 + 20 * US, true, true, true, tv,
		       100, 1460);
		feed_send_ts(&t, FROM_C, TH_ACK, c + 1, s + 1, 0, t0 + 120 * US, 100, tv);
		feed_send_ts(&t, FROM_C, TH_ACK | TH_PUSH, c + 1, s + 1, 50, t0 + 200 * US, 100,
			     tv);
		feed_send_ts(&t, FROM_S, TH_ACK, s + 1, c + 51, 0, t0 + 2 * MS, tv + 2, 100);
		feed_send_ts(&t, FROM_S, TH_ACK | TH_PUSH, s + 1, c + 51, 300, t0 + 3 * MS, tv + 3,
			     100);
	}
	feed_finish();
	CHECK_INT(hs_count_family(), 0);
}

/* --- handshake_ack_lost ------------------------------------------------------------ */

/*
 * Server-speaks-first, like samples/handshake-ack-lost: the client's ACK is
 * dropped, the server's timer re-sends the SYN-ACK 1 s later (TSecr still the
 * SYN's), the client ACKs again and the banner follows at once.
 */
static void test_ack_lost_server_speaks_first(void)
{
	struct feed_tuple t = feed_tuple(54106, 8080);
	uint32_t c = 1000, s = 5000;
	uint64_t syn, ack, resend, answer, banner;
	const struct finding *f;

	feed_start();
	syn = hs_syn(&t, FROM_C, TH_SYN, c, 0, T0, true, true, true, 100, 0, 1460);
	hs_syn(&t, FROM_S, TH_SYN | TH_ACK, s, c + 1, T0 + 30 * US, true, true, true, 900, 100,
	       1460);
	ack = feed_send_ts(&t, FROM_C, TH_ACK, c + 1, s + 1, 0, T0 + 100 * US, 101, 900);
	resend = hs_syn(&t, FROM_S, TH_SYN | TH_ACK, s, c + 1, T0 + 1018 * MS, true, true, true,
			1918, 100, 1460);
	answer = feed_send_ts(&t, FROM_C, TH_ACK, c + 1, s + 1, 0, T0 + 1018 * MS + 60 * US, 1119,
			      900);
	banner = feed_send_ts(&t, FROM_S, TH_ACK | TH_PUSH, s + 1, c + 1, 24, T0 + 1019 * MS, 1919,
			      1119);
	feed_send_ts(&t, FROM_C, TH_ACK, c + 1, s + 25, 0, T0 + 1020 * MS, 1120, 1919);
	feed_send_ts(&t, FROM_C, TH_ACK | TH_PUSH, c + 1, s + 25, 6, T0 + 1021 * MS, 1121, 1919);
	feed_send_ts(&t, FROM_S, TH_ACK | TH_FIN, s + 25, c + 7, 0, T0 + 1022 * MS, 1922, 1121);
	feed_send_ts(&t, FROM_C, TH_ACK | TH_FIN, c + 7, s + 26, 0, T0 + 1023 * MS, 1123, 1922);
	feed_send_ts(&t, FROM_S, TH_ACK, s + 26, c + 8, 0, T0 + 1024 * MS, 1924, 1123);
	feed_finish();

	CHECK_INT(feed_count("handshake_ack_lost"), 1);
	CHECK_INT(feed_count("syncookie_handshake"), 0);
	f = feed_find("handshake_ack_lost");
	CHECK(f != NULL);
	if (!f)
		return;
	CHECK_INT(f->severity, SEV_INFO);
	CHECK(f->confidence >= 0.85);
	CHECK(hs_bool(f, "first_ack_seen"));
	CHECK(hs_bool(f, "linux_first_resend_timing"));
	CHECK_INT(hs_int(f, "synack_resend_tsecr", -1), 100);
	CHECK_STR(hs_text(f, "tsecr_echoes"), "syn");
	CHECK(feed_evidence(f, "added_delay") != NULL);
	if (feed_evidence(f, "added_delay"))
		CHECK(feed_evidence(f, "added_delay")->v.r > 1.0 &&
		      feed_evidence(f, "added_delay")->v.r < 1.05);
	CHECK(feed_has_frame(f, syn) && feed_has_frame(f, ack) && feed_has_frame(f, resend));
	CHECK(feed_has_frame(f, answer) && feed_has_frame(f, banner));
	CHECK_INT(f->first_ts_ns, T0);
	CHECK(f->explanation[0] != '\0' && f->summary[0] != '\0');
	CHECK(strlen(f->explanation) < sizeof(f->explanation) - 1);
}

/* No ACK of the first SYN-ACK in the capture: still one timer re-send, then
 * normal; reported with less confidence and first_ack_seen false. */
static void test_ack_lost_none_seen(void)
{
	struct feed_tuple t = feed_tuple(40001, 25);
	uint32_t c = 1000, s = 5000;
	const struct finding *f;

	feed_start();
	feed_send(&t, FROM_C, TH_SYN, c, 0, 0, T0);
	feed_send(&t, FROM_S, TH_SYN | TH_ACK, s, c + 1, 0, T0 + 20 * US);
	feed_send(&t, FROM_S, TH_SYN | TH_ACK, s, c + 1, 0, T0 + 1 * NS);
	feed_send(&t, FROM_C, TH_ACK, c + 1, s + 1, 0, T0 + 1 * NS + 40 * MS);
	feed_send(&t, FROM_S, TH_ACK | TH_PUSH, s + 1, c + 1, 24, T0 + 1 * NS + 41 * MS);
	feed_send(&t, FROM_C, TH_ACK, c + 1, s + 25, 0, T0 + 1 * NS + 80 * MS);
	feed_finish();

	CHECK_INT(feed_count("handshake_ack_lost"), 1);
	f = feed_find("handshake_ack_lost");
	if (!f)
		return;
	CHECK(!hs_bool(f, "first_ack_seen"));
	CHECK(f->confidence < 0.85);
	CHECK(strlen(f->explanation) < sizeof(f->explanation) - 1);
	CHECK(feed_evidence(f, "tsecr_echoes") == NULL);
}

/* The re-sent SYN-ACK echoes the ACK's TSval (not the SYN's): the server's TCP
 * got the ACK and threw it away; still one re-send and normal, so reported,
 * with that said and less confidence. */
static void test_ack_lost_tsecr_names_the_ack(void)
{
	struct feed_tuple t = feed_tuple(40002, 8080);
	uint32_t c = 1000, s = 5000;
	const struct finding *f;

	feed_start();
	hs_syn(&t, FROM_C, TH_SYN, c, 0, T0, true, true, true, 100, 0, 1460);
	hs_syn(&t, FROM_S, TH_SYN | TH_ACK, s, c + 1, T0 + 10 * MS, true, true, true, 900, 100,
	       1460);
	feed_send_ts(&t, FROM_C, TH_ACK, c + 1, s + 1, 0, T0 + 10 * MS + 50 * US, 110, 900);
	hs_syn(&t, FROM_S, TH_SYN | TH_ACK, s, c + 1, T0 + 1010 * MS, true, true, true, 1900,
	       110, 1460);
	feed_send_ts(&t, FROM_C, TH_ACK, c + 1, s + 1, 0, T0 + 1010 * MS + 50 * US, 1110, 900);
	feed_send_ts(&t, FROM_S, TH_ACK | TH_PUSH, s + 1, c + 1, 24, T0 + 1021 * MS, 1911, 1110);
	feed_finish();

	CHECK_INT(feed_count("handshake_ack_lost"), 1);
	f = feed_find("handshake_ack_lost");
	if (!f)
		return;
	CHECK_STR(hs_text(f, "tsecr_echoes"), "handshake_ack");
	CHECK(f->confidence < 0.85);
}

/* A single re-send far off Linux's 1 s timer (here 7 s, as TCP_DEFER_ACCEPT
 * would hold a bare ACK): still the lost-ACK shape, but said with doubt. */
static void test_ack_lost_off_grid_lower_confidence(void)
{
	struct feed_tuple t = feed_tuple(40007, 8080);
	uint32_t c = 1000, s = 5000;
	const struct finding *f;

	feed_start();
	feed_handshake(&t, c, s, T0, T0 + 20 * US, T0 + 100 * US);
	feed_send(&t, FROM_S, TH_SYN | TH_ACK, s, c + 1, 0, T0 + 7 * NS);
	feed_send(&t, FROM_C, TH_ACK, c + 1, s + 1, 0, T0 + 7 * NS + 100 * US);
	feed_send(&t, FROM_S, TH_ACK | TH_PUSH, s + 1, c + 1, 24, T0 + 7 * NS + 300 * US);
	feed_finish();
	CHECK_INT(feed_count("handshake_ack_lost"), 1);
	f = feed_find("handshake_ack_lost");
	if (!f)
		return;
	CHECK(f->confidence <= 0.6);
	CHECK(feed_evidence(f, "linux_first_resend_timing") &&
	      !hs_bool(f, "linux_first_resend_timing"));
	CHECK(strstr(f->explanation, "TCP_DEFER_ACCEPT") != NULL);
	CHECK(strlen(f->explanation) < sizeof(f->explanation) - 1);
}

/*
 * The SYN-ACK was lost, not the ACK: the client re-sends its SYN and the
 * server answers it within microseconds (inet_rtx_syn_ack(), §8.2). That
 * re-send is not timer-driven and is not a lost handshake ACK.
 */
static void test_dup_syn_resend_is_not_ack_lost(void)
{
	struct feed_tuple t = feed_tuple(40003, 8080);
	uint32_t c = 1000, s = 5000;

	feed_start();
	feed_send(&t, FROM_C, TH_SYN, c, 0, 0, T0);
	feed_send(&t, FROM_S, TH_SYN | TH_ACK, s, c + 1, 0, T0 + 20 * US);
	feed_send(&t, FROM_C, TH_SYN, c, 0, 0, T0 + 1 * NS);
	feed_send(&t, FROM_S, TH_SYN | TH_ACK, s, c + 1, 0, T0 + 1 * NS + 20 * US);
	feed_send(&t, FROM_C, TH_ACK, c + 1, s + 1, 0, T0 + 1 * NS + 40 * MS);
	feed_send(&t, FROM_C, TH_ACK | TH_PUSH, c + 1, s + 1, 40, T0 + 1 * NS + 41 * MS);
	feed_send(&t, FROM_S, TH_ACK, s + 1, c + 41, 0, T0 + 1 * NS + 41 * MS + 20 * US);
	feed_finish();
	CHECK_INT(feed_count("handshake_ack_lost"), 0);
	CHECK_INT(feed_count("syncookie_handshake"), 0);
}

/* Every frame twice, as a mirror port delivers them: the SYN-ACK's copy is no
 * timer re-send (and no reason to deny a cookie either). */
static void test_duplicated_frames_are_not_ack_lost(void)
{
	struct feed_tuple t = feed_tuple(64702, 888);
	uint32_t c = 1000, s = 5000;

	feed_start();
	for (int i = 0; i < 2; i++)
		feed_send(&t, FROM_C, TH_SYN, c, 0, 0, T0);
	for (int i = 0; i < 2; i++)
		feed_send(&t, FROM_S, TH_SYN | TH_ACK, s, c + 1, 0, T0 + 20 * MS);
	for (int i = 0; i < 2; i++)
		feed_send(&t, FROM_C, TH_ACK, c + 1, s + 1, 0, T0 + 21 * MS);
	for (int i = 0; i < 2; i++)
		feed_send(&t, FROM_S, TH_ACK | TH_PUSH, s + 1, c + 1, 13, T0 + 100 * MS);
	feed_finish();
	CHECK_INT(feed_count("handshake_ack_lost"), 0);
}

/* A full accept queue (§1.4 A): two timer re-sends, each answered, the
 * request never ACKed. The listener family's accept_queue_overflow, not ours. */
static void test_two_resends_are_not_ack_lost(void)
{
	struct feed_tuple t = feed_tuple(40004, 8080);
	uint32_t c = 1000, s = 5000;

	feed_start();
	feed_handshake(&t, c, s, T0, T0 + 20 * US, T0 + 200 * MS);
	feed_send(&t, FROM_C, TH_ACK | TH_PUSH, c + 1, s + 1, 39, T0 + 200 * MS + 20 * US);
	feed_send(&t, FROM_S, TH_SYN | TH_ACK, s, c + 1, 0, T0 + 1020 * MS);
	feed_send(&t, FROM_C, TH_ACK, c + 40, s + 1, 0, T0 + 1220 * MS);
	feed_send(&t, FROM_S, TH_SYN | TH_ACK, s, c + 1, 0, T0 + 3040 * MS);
	feed_send(&t, FROM_C, TH_ACK, c + 40, s + 1, 0, T0 + 3240 * MS);
	feed_send(&t, FROM_C, TH_ACK | TH_PUSH, c + 1, s + 1, 39, T0 + 5 * NS);
	feed_send(&t, FROM_S, TH_ACK, s + 1, c + 40, 0, T0 + 5 * NS + 40 * US);
	feed_finish();
	CHECK_INT(feed_count("handshake_ack_lost"), 0);
}

/*
 * Like accept-backlog connection #11: the request reached the server before
 * its single SYN-ACK re-send and was not ACKed; after the client's answer the
 * server stayed silent until the request came again. Overflow, not a lost ACK.
 */
static void test_single_resend_with_dropped_request_is_not_ack_lost(void)
{
	struct feed_tuple t = feed_tuple(56818, 8080);
	uint32_t c = 1000, s = 5000;

	feed_start();
	feed_handshake(&t, c, s, T0, T0 + 30 * US, T0 + 200 * MS);
	feed_send(&t, FROM_C, TH_ACK | TH_PUSH, c + 1, s + 1, 40, T0 + 200 * MS + 20 * US);
	feed_send(&t, FROM_C, TH_ACK | TH_PUSH, c + 1, s + 1, 40, T0 + 832 * MS);
	feed_send(&t, FROM_S, TH_SYN | TH_ACK, s, c + 1, 0, T0 + 1020 * MS);
	feed_send(&t, FROM_C, TH_ACK, c + 41, s + 1, 0, T0 + 1220 * MS);
	feed_send(&t, FROM_C, TH_ACK | TH_PUSH, c + 1, s + 1, 40, T0 + 1440 * MS);
	feed_send(&t, FROM_S, TH_ACK, s + 1, c + 41, 0, T0 + 1440 * MS + 40 * US);
	feed_send(&t, FROM_S, TH_ACK | TH_PUSH, s + 1, c + 41, 340, T0 + 1441 * MS);
	feed_finish();
	CHECK_INT(feed_count("handshake_ack_lost"), 0);
}

/* One re-send answered, but the server's next word is a reset: not normal. */
static void test_resend_then_reset_is_not_ack_lost(void)
{
	struct feed_tuple t = feed_tuple(40005, 8080);
	uint32_t c = 1000, s = 5000;

	feed_start();
	feed_handshake(&t, c, s, T0, T0 + 20 * US, T0 + 100 * US);
	feed_send(&t, FROM_S, TH_SYN | TH_ACK, s, c + 1, 0, T0 + 1 * NS);
	feed_send(&t, FROM_C, TH_ACK, c + 1, s + 1, 0, T0 + 1 * NS + 100 * US);
	feed_send(&t, FROM_S, TH_RST, s + 1, 0, 0, T0 + 1 * NS + 120 * US);
	feed_finish();
	CHECK_INT(feed_count("handshake_ack_lost"), 0);
}

/* --- syncookie_handshake ------------------------------------------------------------ */

/* c = 1000 -> s = 5000 with every option and timestamps: the SYN-ACK at T0 + 10 us
 * (TSval tv; SACK only when synack_sack), the ACK and a 41-byte request, then the
 * server's ACK at answer_at with TSval answer_tsval. */
static void ts_conn(const struct feed_tuple *t, uint32_t tv, bool synack_sack, int64_t answer_at,
		    uint32_t answer_tsval)
{
	uint32_t c = 1000, s = 5000;

	hs_syn(t, FROM_C, TH_SYN, c, 0, T0, true, true, true, 100, 0, 1460);
	hs_syn(t, FROM_S, TH_SYN | TH_ACK, s, c + 1, T0 + 10 * US, true, synack_sack, true, tv,
	       100, 1460);
	feed_send_ts(t, FROM_C, TH_ACK, c + 1, s + 1, 0, T0 + 60 * US, 100, tv);
	feed_send_ts(t, FROM_C, TH_ACK | TH_PUSH, c + 1, s + 1, 41, T0 + 150 * US, 100, tv);
	feed_send_ts(t, FROM_S, TH_ACK, s + 1, c + 42, 0, answer_at, answer_tsval, 100);
}

/* One exchange whose server answers at clock `tv` and later at tv + 1. */
static void hs_exchange(uint16_t cport, int64_t t0, bool client_ts, bool synack_opts,
			uint32_t tv)
{
	struct feed_tuple t = feed_tuple(cport, 8080);
	uint32_t c = 1000, s = 5000;
	bool ts = client_ts && synack_opts;

	hs_syn(&t, FROM_C, TH_SYN, c, 0, t0, true, true, client_ts, 100, 0, 1460);
	hs_syn(&t, FROM_S, TH_SYN | TH_ACK, s, c + 1, t0 + 20 * US, synack_opts, synack_opts, ts,
	       tv, 100, 1460);
	if (ts) {
		feed_send_ts(&t, FROM_C, TH_ACK, c + 1, s + 1, 0, t0 + 120 * US, 100, tv);
		feed_send_ts(&t, FROM_C, TH_ACK | TH_PUSH, c + 1, s + 1, 41, t0 + 200 * US, 100,
			     tv);
		feed_send_ts(&t, FROM_S, TH_ACK, s + 1, c + 42, 0, t0 + 1 * MS, tv + 1, 100);
	} else {
		feed_send(&t, FROM_C, TH_ACK, c + 1, s + 1, 0, t0 + 120 * US);
		feed_send(&t, FROM_C, TH_ACK | TH_PUSH, c + 1, s + 1, 41, t0 + 200 * US);
		feed_send(&t, FROM_S, TH_ACK, s + 1, c + 42, 0, t0 + 1 * MS);
	}
}

/* Like samples/syncookie: a client without timestamps gets a SYN-ACK with
 * only MSS, while the listener gave another client wscale and SACK. */
static void test_syncookie_options_dropped(void)
{
	const struct finding *f;

	feed_start();
	hs_exchange(41000, T0, true, true, 5000);
	hs_exchange(41001, T0 + 1 * NS, false, false, 0);
	feed_finish();

	CHECK_INT(feed_count("syncookie_handshake"), 1);
	f = feed_find("syncookie_handshake");
	if (!f)
		return;
	CHECK_INT(f->connection, 2);
	CHECK_INT(f->severity, SEV_INFO);
	CHECK(f->confidence >= 0.85);
	CHECK(!hs_bool(f, "synack_wscale") && !hs_bool(f, "synack_sack"));
	CHECK(hs_bool(f, "client_offered_wscale") && hs_bool(f, "client_offered_sack"));
	CHECK_INT(hs_int(f, "listener_synacks_with_options", -1), 1);
	CHECK_INT(f->nframes, 2);
	CHECK(strlen(f->explanation) < sizeof(f->explanation) - 1);
}

/* The listener's only SYN-ACK lacks the options: a middlebox, an old stack or
 * the listener's settings as often as a cookie (corpus: many-protocols,
 * Teredo), so nothing is claimed. */
static void test_syncookie_single_synack_is_silent(void)
{
	feed_start();
	hs_exchange(41002, T0, false, false, 0);
	feed_finish();
	CHECK_INT(feed_count("syncookie_handshake"), 0);
}

/* The MSS-only SYN-ACK comes with another TTL than the listener's SYN-ACKs
 * with options: another box answered for the address, so less confidence. */
static void test_syncookie_other_ttl_lower_confidence(void)
{
	struct feed_tuple t = feed_tuple(41020, 8080);
	struct tcp_segment sa = feed_seg(&t, FROM_S, TH_SYN | TH_ACK, 5000, 1001, 0,
					 T0 + 2 * NS + 1 * MS);
	const struct finding *f;

	feed_start();
	hs_exchange(41018, T0, false, true, 0);
	hs_exchange(41019, T0 + 1 * NS, false, true, 0);
	hs_syn(&t, FROM_C, TH_SYN, 1000, 0, T0 + 2 * NS, true, true, false, 0, 0, 1460);
	sa.frame = ++feed.frame;
	sa.opt.has_mss = true;
	sa.opt.mss = 1460;
	sa.ip_ttl = 53;
	feed_push(&sa);
	feed_send(&t, FROM_C, TH_ACK, 1001, 5001, 0, T0 + 2 * NS + 2 * MS);
	feed_finish();
	CHECK_INT(feed_count("syncookie_handshake"), 1);
	f = feed_find("syncookie_handshake");
	if (!f)
		return;
	CHECK(f->confidence <= 0.5);
	CHECK_INT(hs_int(f, "synack_ttl", -1), 53);
	CHECK(strstr(f->explanation, "TTL 53") != NULL);
}

/* A listener that never returns the options (every SYN-ACK alike) is
 * configured so, or is an old stack or a load balancer: no cookie claimed. */
static void test_syncookie_listener_never_returns_options(void)
{
	feed_start();
	hs_exchange(41003, T0, false, false, 0);
	hs_exchange(41004, T0 + 1 * NS, false, false, 0);
	hs_exchange(41005, T0 + 2 * NS, false, false, 0);
	feed_finish();
	CHECK_INT(feed_count("syncookie_handshake"), 0);
}

/* The client offered timestamps and the SYN-ACK has none of the options: a
 * cookie only on a server with timestamps off, so believed (less) only when
 * the listener returned the options to others; a lone one is not claimed. */
static void test_syncookie_timestamp_client(void)
{
	const struct finding *f;

	feed_start();
	hs_exchange(41013, T0, true, false, 0);
	feed_finish();
	CHECK_INT(feed_count("syncookie_handshake"), 0);

	feed_start();
	hs_exchange(41014, T0, true, true, 5000);
	hs_exchange(41015, T0 + 1 * NS, true, false, 0);
	feed_finish();
	CHECK_INT(feed_count("syncookie_handshake"), 1);
	f = feed_find("syncookie_handshake");
	if (!f)
		return;
	CHECK_INT(f->connection, 2);
	CHECK(f->confidence > 0.5 && f->confidence < 0.85);
	CHECK(strstr(f->explanation, "tcp_timestamps=0") != NULL);
}

/* A SYN-ACK re-sent by its timer belongs to a request sock: no cookie, even
 * without the options. */
static void test_syncookie_never_resent(void)
{
	struct feed_tuple t = feed_tuple(41006, 8080);
	uint32_t c = 1000, s = 5000;

	feed_start();
	hs_exchange(41007, T0, true, true, 5000);
	hs_syn(&t, FROM_C, TH_SYN, c, 0, T0 + 1 * NS, true, true, false, 0, 0, 1460);
	hs_syn(&t, FROM_S, TH_SYN | TH_ACK, s, c + 1, T0 + 1 * NS + 20 * US, false, false, false,
	       0, 0, 1460);
	hs_syn(&t, FROM_S, TH_SYN | TH_ACK, s, c + 1, T0 + 2 * NS + 20 * US, false, false, false,
	       0, 0, 1460);
	feed_send(&t, FROM_C, TH_ACK, c + 1, s + 1, 0, T0 + 2 * NS + 100 * US);
	feed_send(&t, FROM_S, TH_ACK | TH_PUSH, s + 1, c + 1, 20, T0 + 2 * NS + 200 * US);
	feed_finish();
	CHECK_INT(feed_count("syncookie_handshake"), 0);
}

/* Window scale returned, SACK not: a server with tcp_sack=0 (or a middlebox),
 * not a cookie, which drops both when it has no timestamps. */
static void test_syncookie_partial_strip_is_settings(void)
{
	struct feed_tuple t = feed_tuple(41011, 8080);
	uint32_t c = 1000, s = 5000;

	feed_start();
	hs_exchange(41012, T0, true, true, 5000);
	hs_syn(&t, FROM_C, TH_SYN, c, 0, T0 + 1 * NS, true, true, false, 0, 0, 1460);
	hs_syn(&t, FROM_S, TH_SYN | TH_ACK, s, c + 1, T0 + 1 * NS + 20 * US, true, false, false,
	       0, 0, 1460);
	feed_send(&t, FROM_C, TH_ACK, c + 1, s + 1, 0, T0 + 1 * NS + 100 * US);
	feed_finish();
	CHECK_INT(feed_count("syncookie_handshake"), 0);
}

/* More listeners than the memory holds: records are taken over, nothing grows,
 * and the cookies whose listener is still remembered are reported. */
static void test_listener_memory_is_bounded(void)
{
	feed_start();
	for (int i = 0; i < 5000; i++) {
		struct feed_tuple t = feed_tuple(42000, (uint16_t)(1000 + i));
		struct feed_tuple o = feed_tuple(42001, (uint16_t)(1000 + i));

		hs_syn(&o, FROM_C, TH_SYN, 1000, 0, T0 + i * MS, true, true, false, 0, 0, 1460);
		hs_syn(&o, FROM_S, TH_SYN | TH_ACK, 5000, 1001, T0 + i * MS + 10 * US, true,
		       true, false, 0, 0, 1460);
		feed_send(&o, FROM_C, TH_ACK, 1001, 5001, 0, T0 + i * MS + 15 * US);
		hs_syn(&t, FROM_C, TH_SYN, 1000, 0, T0 + i * MS, true, true, false, 0, 0, 1460);
		hs_syn(&t, FROM_S, TH_SYN | TH_ACK, 5000, 1001, T0 + i * MS + 20 * US, false,
		       false, false, 0, 0, 1460);
		feed_send(&t, FROM_C, TH_ACK, 1001, 5001, 0, T0 + i * MS + 100 * US);
	}
	feed_finish();
	CHECK_INT(feed.nfindings, FEED_MAX);
	CHECK(feed_count("syncookie_handshake") > 0);
}

/* With timestamps a cookie keeps the options; only its TSval, rounded down to
 * carry them, lags the server's clock: a weak, low-confidence clue. */
static void test_syncookie_tsval_behind(void)
{
	struct feed_tuple t = feed_tuple(41008, 8080);
	uint32_t tv = 1839205573u;
	const struct finding *f;

	feed_start();
	ts_conn(&t, tv, true, T0 + 160 * US, tv + 21);
	feed_finish();
	CHECK_INT(feed_count("syncookie_handshake"), 1);
	f = feed_find("syncookie_handshake");
	if (!f)
		return;
	CHECK(f->confidence <= 0.5);
	CHECK_INT(hs_int(f, "synack_tsval_behind_ms", -1), 20);
}

/* The same with the client's options in the SYN-ACK TSval's low 6 bits as
 * cookie_init_timestamp() puts them (wscale 7 | SACK = 0x17): near-certain,
 * as in zeek/echo-connections (kernel-signatures.md §1.7). */
static void test_syncookie_tsval_decodes(void)
{
	struct feed_tuple t = feed_tuple(41021, 8080);
	uint32_t tv = (1048986459u & ~63u) | 0x17;
	const struct finding *f;

	feed_start();
	ts_conn(&t, tv, true, T0 + 160 * US, tv + 21);
	feed_finish();
	CHECK_INT(feed_count("syncookie_handshake"), 1);
	f = feed_find("syncookie_handshake");
	if (!f)
		return;
	CHECK(f->confidence >= 0.95);
	CHECK(hs_bool(f, "synack_tsval_decodes"));
	CHECK_INT(hs_int(f, "cookie_option_bits", -1), 0x17);
	CHECK(strstr(f->summary, "possibly") == NULL);
}

/* The same bits with SACK refused by the server (0x7 expected): no decode. */
static void test_syncookie_tsval_bits_must_match(void)
{
	struct feed_tuple t = feed_tuple(41022, 8080);
	uint32_t tv = (1048986459u & ~63u) | 0x17;
	const struct finding *f;

	feed_start();
	ts_conn(&t, tv, false, T0 + 160 * US, tv + 21);
	feed_finish();
	f = feed_find("syncookie_handshake");
	CHECK(f != NULL);
	if (!f)
		return;
	CHECK(f->confidence <= 0.5);
	CHECK(!hs_bool(f, "synack_tsval_decodes"));
	CHECK_INT(hs_int(f, "cookie_option_bits", -1), 0x7);
}

/* The same with a TSval that keeps up with the clock: nothing. */
static void test_syncookie_tsval_in_step_is_silent(void)
{
	struct feed_tuple t = feed_tuple(41009, 8080);
	uint32_t tv = 1839205573u;

	feed_start();
	ts_conn(&t, tv, true, T0 + 1500 * US, tv + 2);
	feed_finish();
	CHECK_INT(feed_count("syncookie_handshake"), 0);
}

/* The child's MSS comes from the cookie table: a client offering 1380 gets
 * full segments of 1300 - 12 (timestamps) bytes. */
static void test_syncookie_mss_table(void)
{
	struct feed_tuple t = feed_tuple(41010, 8080);
	uint32_t c = 1000, s = 5000, tv = 5000;
	const struct finding *f;

	feed_start();
	hs_syn(&t, FROM_C, TH_SYN, c, 0, T0, true, true, true, 100, 0, 1380);
	hs_syn(&t, FROM_S, TH_SYN | TH_ACK, s, c + 1, T0 + 10 * US, true, true, true, tv, 100,
	       1460);
	feed_send_ts(&t, FROM_C, TH_ACK, c + 1, s + 1, 0, T0 + 60 * US, 100, tv);
	feed_send_ts(&t, FROM_C, TH_ACK | TH_PUSH, c + 1, s + 1, 41, T0 + 150 * US, 100, tv);
	for (uint32_t i = 0; i < 4; i++)
		feed_send_ts(&t, FROM_S, TH_ACK, s + 1 + i * 1288, c + 42, 1288,
		      T0 + (1 + (int64_t)i) * MS, tv + 1 + i, 100);
	feed_finish();
	CHECK_INT(feed_count("syncookie_handshake"), 1);
	f = feed_find("syncookie_handshake");
	if (!f)
		return;
	CHECK_INT(hs_int(f, "server_segment_mss", -1), 1300);
	CHECK_INT(hs_int(f, "client_mss", -1), 1380);
	CHECK(f->confidence <= 0.6);
}

/* --- self_connect ------------------------------------------------------------------ */

/* Like samples/self-connect: one socket on 192.0.2.1:50000 talks to itself. */
static void test_self_connect(void)
{
	struct feed_tuple t = feed_tuple(50000, 50000);
	uint32_t x = 3375407675u;
	const struct finding *f;
	uint64_t syn;

	t.s = t.c;
	feed_start();
	syn = feed_send(&t, FROM_C, TH_SYN, x, 0, 0, T0);
	feed_send(&t, FROM_C, TH_SYN | TH_ACK, x, x + 1, 0, T0 + 11 * US);
	feed_send(&t, FROM_C, TH_ACK, x + 1, x + 1, 0, T0 + 22 * US);
	feed_send(&t, FROM_C, TH_ACK | TH_PUSH, x + 1, x + 1, 11, T0 + 200 * MS);
	feed_send(&t, FROM_C, TH_ACK, x + 12, x + 12, 0, T0 + 200 * MS + 13 * US);
	feed_send(&t, FROM_C, TH_ACK | TH_FIN, x + 12, x + 12, 0, T0 + 400 * MS);
	feed_send(&t, FROM_C, TH_ACK, x + 13, x + 13, 0, T0 + 400 * MS + 17 * US);
	feed_finish();

	CHECK_INT(feed_count("self_connect"), 1);
	CHECK_INT(feed_count("simultaneous_open"), 0);
	CHECK_INT(feed_count("handshake_ack_lost"), 0);
	CHECK_INT(feed_count("syncookie_handshake"), 0);
	f = feed_find("self_connect");
	if (!f)
		return;
	CHECK_INT(f->severity, SEV_WARNING);
	CHECK(f->confidence >= 0.99);
	CHECK(hs_bool(f, "synack_repeats_syn_isn"));
	CHECK(hs_bool(f, "port_in_default_ephemeral_range"));
	CHECK_INT(hs_int(f, "port", -1), 50000);
	CHECK(feed_has_frame(f, syn));
	CHECK(strstr(f->explanation, "ip_local_reserved_ports") != NULL);
}

/* A lone SYN with equal ends (a LAND-style packet): still reported, with less
 * confidence, since nothing shows a socket answering itself. */
static void test_self_connect_lone_syn(void)
{
	struct feed_tuple t = feed_tuple(8080, 8080);
	const struct finding *f;

	t.s = t.c;
	feed_start();
	feed_send(&t, FROM_C, TH_SYN, 77, 0, 0, T0);
	feed_finish();
	CHECK_INT(feed_count("self_connect"), 1);
	f = feed_find("self_connect");
	if (f) {
		CHECK(f->confidence < 0.9);
		CHECK(!hs_bool(f, "synack_repeats_syn_isn"));
		CHECK(!hs_bool(f, "port_in_default_ephemeral_range"));
		CHECK(strstr(f->explanation, "LAND") != NULL);
		CHECK(strlen(f->explanation) < sizeof(f->explanation) - 1);
	}
}

/* --- simultaneous_open --------------------------------------------------------------- */

/* RFC 9293 figure: SYNs cross, each end answers with a SYN-ACK, both
 * ESTABLISHED (< 6.11 Linux adds the challenge ACKs). */
static void test_simultaneous_open(void)
{
	struct feed_tuple t = feed_tuple(40001, 40002);
	uint32_t a = 100, b = 300;
	const struct finding *f;

	feed_start();
	feed_send(&t, FROM_C, TH_SYN, a, 0, 0, T0);
	feed_send(&t, FROM_S, TH_SYN, b, 0, 0, T0 + 100 * MS);
	feed_send(&t, FROM_C, TH_SYN | TH_ACK, a, b + 1, 0, T0 + 100 * MS + 10 * US);
	feed_send(&t, FROM_S, TH_SYN | TH_ACK, b, a + 1, 0, T0 + 200 * MS);
	feed_send(&t, FROM_C, TH_ACK, a + 1, b + 1, 0, T0 + 200 * MS + 10 * US);
	feed_send(&t, FROM_S, TH_ACK, b + 1, a + 1, 0, T0 + 300 * MS);
	feed_send(&t, FROM_C, TH_ACK | TH_PUSH, a + 1, b + 1, 14, T0 + 300 * MS + 200 * US);
	feed_send(&t, FROM_S, TH_ACK, b + 1, a + 15, 0, T0 + 400 * MS);
	feed_finish();

	CHECK_INT(feed_count("simultaneous_open"), 1);
	CHECK_INT(feed_count("handshake_ack_lost"), 0);
	CHECK_INT(feed_count("syncookie_handshake"), 0);
	CHECK_INT(feed_count("self_connect"), 0);
	f = feed_find("simultaneous_open");
	if (!f)
		return;
	CHECK_INT(f->severity, SEV_INFO);
	CHECK(f->confidence >= 0.99);
	CHECK(hs_bool(f, "both_isns_acknowledged"));
	CHECK_INT(hs_int(f, "first_syn_isn", -1), a);
	CHECK_INT(hs_int(f, "second_syn_isn", -1), b);
	CHECK_INT(f->nframes, 4);
}

/* The "split handshake" (S, S, S., .): the passive side answers with a bare
 * SYN and the opener sends the SYN-ACK. Same RFC path, said as such. */
static void test_split_handshake(void)
{
	struct feed_tuple t = feed_tuple(12345, 80);
	const struct finding *f;

	feed_start();
	feed_send(&t, FROM_C, TH_SYN, 1000, 0, 0, T0);
	feed_send(&t, FROM_S, TH_SYN, 3000, 0, 0, T0 + 500 * US);
	feed_send(&t, FROM_C, TH_SYN | TH_ACK, 1000, 3001, 0, T0 + 1 * MS);
	feed_send(&t, FROM_S, TH_ACK, 3001, 1001, 0, T0 + 1500 * US);
	feed_send(&t, FROM_C, TH_ACK | TH_PUSH, 1001, 3001, 4, T0 + 2 * MS);
	feed_finish();
	CHECK_INT(feed_count("simultaneous_open"), 1);
	f = feed_find("simultaneous_open");
	if (!f)
		return;
	CHECK(hs_bool(f, "split_handshake"));
	CHECK(!hs_bool(f, "both_isns_acknowledged"));
	CHECK(f->confidence >= 0.85);
	CHECK(strstr(f->summary, "split handshake") != NULL);
}

/* An MSS-only SYN-ACK with TTL 128 or 255, alone: an appliance or another
 * stack, not a Linux cookie. */
static void test_syncookie_lone_non_linux_ttl(void)
{
	struct feed_tuple t = feed_tuple(41016, 80);
	struct tcp_segment sa = feed_seg(&t, FROM_S, TH_SYN | TH_ACK, 5000, 1001, 0, T0 + 1 * MS);

	feed_start();
	hs_syn(&t, FROM_C, TH_SYN, 1000, 0, T0, true, true, false, 0, 0, 1460);
	sa.frame = ++feed.frame;
	sa.opt.has_mss = true;
	sa.opt.mss = 1380;
	sa.ip_ttl = 245;
	feed_push(&sa);
	feed_send(&t, FROM_C, TH_ACK, 1001, 5001, 0, T0 + 2 * MS);
	feed_finish();
	CHECK_INT(feed_count("syncookie_handshake"), 0);
}

/* A listener that answers while the client's SYN is in flight is an ordinary
 * open, not a simultaneous one. */
static void test_ordinary_open_is_not_simultaneous(void)
{
	struct feed_tuple t = feed_tuple(40006, 8080);

	feed_start();
	feed_send(&t, FROM_C, TH_SYN, 100, 0, 0, T0);
	feed_send(&t, FROM_S, TH_SYN | TH_ACK, 300, 101, 0, T0 + 1 * MS);
	feed_send(&t, FROM_C, TH_ACK, 101, 301, 0, T0 + 1 * MS + 10 * US);
	feed_finish();
	CHECK_INT(hs_count_family(), 0);
}

int main(void)
{
	RUN(test_healthy_is_silent);
	RUN(test_healthy_options_are_silent);
	RUN(test_ack_lost_server_speaks_first);
	RUN(test_ack_lost_none_seen);
	RUN(test_ack_lost_tsecr_names_the_ack);
	RUN(test_ack_lost_off_grid_lower_confidence);
	RUN(test_dup_syn_resend_is_not_ack_lost);
	RUN(test_duplicated_frames_are_not_ack_lost);
	RUN(test_two_resends_are_not_ack_lost);
	RUN(test_single_resend_with_dropped_request_is_not_ack_lost);
	RUN(test_resend_then_reset_is_not_ack_lost);
	RUN(test_syncookie_options_dropped);
	RUN(test_syncookie_single_synack_is_silent);
	RUN(test_syncookie_other_ttl_lower_confidence);
	RUN(test_syncookie_tsval_decodes);
	RUN(test_syncookie_tsval_bits_must_match);
	RUN(test_syncookie_listener_never_returns_options);
	RUN(test_syncookie_timestamp_client);
	RUN(test_syncookie_never_resent);
	RUN(test_syncookie_partial_strip_is_settings);
	RUN(test_listener_memory_is_bounded);
	RUN(test_syncookie_tsval_behind);
	RUN(test_syncookie_tsval_in_step_is_silent);
	RUN(test_syncookie_mss_table);
	RUN(test_self_connect);
	RUN(test_self_connect_lone_syn);
	RUN(test_simultaneous_open);
	RUN(test_split_handshake);
	RUN(test_ordinary_open_is_not_simultaneous);
	RUN(test_syncookie_lone_non_linux_ttl);
	return check_done("test_handshake");
}
