/*
 * teardown_fin_wait2.c - the half-closed period gone wrong (ANOMALIES.md;
 * kernel-signatures.md §4, §6.3): fin_wait2_stall (the CLOSE-WAIT side never
 * closes), and the closer's reset when that side finally sends:
 * fin_wait2_expired_rst or data_after_close_reset.
 *
 * teardown.c recorded the period (struct teardown_halfclose) and its silences.
 * A socket its application left in CLOSE-WAIT is marked as leaked on the
 * finding; leak.c rolls those up per listener (close_wait_leak).
 */
#include "config.h"

#include <string.h>

#include "analyzer/aggregate.h"
#include "analyzer/analyzer.h"
#include "analyzer/classify.h"
#include "analyzer/detectors/explain.h"
#include "analyzer/detectors/teardown_int.h"

/* A CLOSE-WAIT socket whose application stayed silent this long counts toward
 * close_wait_leak; a server that closes a few ms after the peer's FIN never does. */
#define TEARDOWN_LEAK_MIN_NS (1 * NS_PER_S)

/* The shortest gap between the ACK of the FIN and the late segment that a
 * FIN-WAIT-2 timer could have covered (§4.6): the orphan lives
 * max(tcp_fin_timeout or TCP_LINGER2, 3.5 x RTO), 60 s by default, and the
 * values operators set by hand are 5 s and up (samples/fin-wait2-stall.pcap:
 * about 10 s). An RST sooner than this comes from a socket that still existed
 * and reset the late data because it had closed (data_after_close_reset), or,
 * for a FIN or an ACK, is no expiry at all and gets no finding from this rule. */
#define TEARDOWN_EXPIRY_MIN_NS (5 * NS_PER_S)

/* Has the server's address and port already shown another socket left in
 * CLOSE-WAIT, so that this one makes a close_wait_leak? */
static bool teardown_port_leaking(struct analyzer *a, const struct tcp_conn *c)
{
	struct aggregates *g = analyzer_aggregates(a);
	const struct tcp_endpoint *sv = &c->ep[SERVER];
	int64_t min = analyzer_config(a)->detect.close_wait_leak;

	for (uint32_t i = 0; i < aggregates_count(g); i++) {
		const struct aggregate *ag = aggregates_get(g, i);

		if (ag->code == KIND_CLOSE_WAIT_LEAK && strcmp(ag->scope, "listener") == 0 &&
		    ag->server_port == sv->port &&
		    ag->server.family == sv->addr.family &&
		    memcmp(ag->server.bytes, sv->addr.bytes, sizeof(sv->addr.bytes)) == 0)
			return (int64_t)ag->count + 1 >= min;
	}
	return min <= 1;
}

/* --- findings: the half-closed period (§4, §6.3) ------------------------------------ */

static const char *teardown_hc_ended(const struct tcp_conn *c, const struct teardown_halfclose *h)
{
	switch (h->ended_by) {
	case HC_END_FIN:
		return "fin";
	case HC_END_RST:
		return "rst";
	case HC_END_LATE_RESET:
		return "late_segment_reset";
	case HC_END_CLOSER_RST:
		return "closer_reset";
	default:
		return c->end == END_IDLE ? "idle_timeout" : "capture_end";
	}
}

static void teardown_stall_ending(struct finding *f, const struct tcp_conn *c,
				  const struct teardown_halfclose *h)
{
	unsigned long long fr = (unsigned long long)h->end.frame;
	int A = h->closer, B = !A;

	switch (h->ended_by) {
	case HC_END_FIN:
		finding_explain(f, "It finally sent its FIN at frame %llu. ", fr);
		break;
	case HC_END_RST:
		finding_explain(f, "It finally reset the connection at frame %llu. ", fr);
		break;
	case HC_END_LATE_RESET:
		finding_explain(f, "It finally sent again at frame %llu and %s's host answered "
				"with a reset: %s had given up. ", fr, teardown_who(A),
				teardown_who(A));
		break;
	case HC_END_CLOSER_RST:
		finding_explain(f, "%s finally reset the connection at frame %llu, which killed "
				"%s's socket. ", teardown_Who(A), fr, teardown_who(B));
		break;
	default:
		finding_explain(f, "%s was still in CLOSE-WAIT when the %s. ", teardown_Who(B),
				c->end == END_IDLE ? "analyzer's idle limit ended the connection"
						   : "capture ended");
	}
}

static void teardown_stall_explain(struct finding *f, const struct tcp_conn *c, int64_t idle,
				   bool unresolved, int64_t thr)
{
	const struct teardown_halfclose *h = &c->det.teardown.hc;
	int A = h->closer, B = !A;
	char as[EXPLAIN_ADDR_MAX + 16], bs[EXPLAIN_ADDR_MAX + 16];

	if (unresolved)
		finding_summary(f, "%s still in CLOSE-WAIT when the capture ended, idle %.1f s after %s's FIN (unresolved)",
				explain_ep(bs, c, B), explain_secs(idle), explain_ep(as, c, A));
	else
		finding_summary(f, "%s left in CLOSE-WAIT: no FIN, RST or data for %.1f s after %s's FIN",
				explain_ep(bs, c, B), explain_secs(idle), explain_ep(as, c, A));
	teardown_intro(as, c, A, true);
	teardown_intro(bs, c, B, false);
	finding_explain(f,
		"%s closed its side (FIN at frame %llu) and %s acknowledged it at frame %llu: %s "
		"was then in FIN-WAIT-2 waiting for the FIN of %s, in CLOSE-WAIT, whose kernel "
		"waited for the application to call close() (read() had returned 0). For %.1f s %s "
		"sent no FIN, no RST and no data%s. ",
		as, (unsigned long long)c->ep[A].fin_frame, bs,
		(unsigned long long)h->fin_ack.frame, teardown_who(A), teardown_who(B),
		explain_secs(idle), teardown_who(B),
		h->data_segs ? " (it had sent data earlier in the half-close)" : "");
	teardown_stall_ending(f, c, h);
	if (unresolved)
		finding_explain(f, "That is shorter than the %.0f s threshold: a stall cannot be "
				"told from an application about to close (unresolved). If it "
				"stays so, ",
				explain_secs(thr));
	finding_explain(f,
		"%s's application is at fault: it did not close the socket after the peer closed "
		"(a code path that returns without close(), often on an error or timeout, a "
		"connection pool that never notices the peer closed, a stuck thread); each such "
		"socket holds a file descriptor. %s, if it used close(), keeps FIN-WAIT-2 only "
		"net.ipv4.tcp_fin_timeout (60 s by default), then forgets the connection silently "
		"and resets anything sent later. %sCheck on %s: `ss -tanop state close-wait '( "
		"sport = :%u )'`, the process's descriptor count against its limit, and the code "
		"that handles read() returning 0.",
		unresolved ? teardown_who(B) : teardown_Who(B), teardown_Who(A), explain_vantage(c),
		teardown_who(B), (unsigned)c->ep[B].port);
}

/* Returns whether the finding it made marks the socket as leaked. */
bool teardown_report_stall(struct analyzer *a, struct tcp_conn *c)
{
	const struct teardown_halfclose *h = &c->det.teardown.hc;
	const struct detect_config *d = &analyzer_config(a)->detect;
	int A = h->closer, B = !A;
	bool open = h->state == HC_OPEN, stall, unresolved, leaky;
	int64_t end, idle, final, closed = 0;
	struct finding f;

	/* Still open when a new SYN took the tuple, or its socket killed by the RST of
	 * the new incarnation's client: the reuse family's (syn_to_close_wait). */
	if ((!open && h->state != HC_DONE) ||
	    (open && (c->end == END_REUSED || c->ep[B].state == TCP_CLOSED)))
		return false;
	end = open ? teardown_coverage(a, c) : h->end.ts_ns;
	final = open ? end - h->mark.ts_ns : h->last_gap_ns;
	if (final < 0)
		final = 0;
	if (h->gap_to.frame)
		closed = h->gap_to.ts_ns - h->gap_from.ts_ns;
	idle = final > closed ? final : closed;
	stall = idle >= d->fin_wait2_stall_ns;
	unresolved = !stall && open && final >= TEARDOWN_LEAK_MIN_NS;
	if (!stall && !unresolved)
		return false;
	/* Data the closer acknowledged is a legitimate half-close (§4.5); after it only
	 * a real stall counts toward the leak. The roll-up blames the server. */
	leaky = B == SERVER &&
		final >= (h->data_acked ? d->fin_wait2_stall_ns : TEARDOWN_LEAK_MIN_NS);

	finding_init(&f, KIND_FIN_WAIT2_STALL, c);
	if (unresolved)
		f.severity = SEV_INFO;
	else if (idle >= d->fin_wait2_critical_ns || (leaky && teardown_port_leaking(a, c)))
		f.severity = SEV_CRITICAL;
	if (unresolved)
		f.confidence = 0.5;
	else if (open)
		f.confidence = c->end == END_EVICTED ? 0.7 : 0.9;
	else
		f.confidence = c->ep[B].missing_bytes ? 0.9 : 1.0;
	finding_frame(&f, c->ep[A].fin_frame, c->ep[A].fin_ts_ns);
	teardown_frame(&f, &h->fin_ack);
	if (closed >= final) {
		teardown_frame(&f, &h->gap_from);
		teardown_frame(&f, &h->gap_to);
	}
	teardown_frame(&f, open ? &h->mark : &h->end);
	teardown_frame(&f, &h->late_rst);
	finding_text(&f, "closer", explain_role(A));
	finding_text(&f, "close_wait_side", explain_role(B));
	finding_secs(&f, "idle", idle);
	finding_secs(&f, "close_wait_for", end - h->fin_ack.ts_ns);
	finding_secs(&f, "threshold", d->fin_wait2_stall_ns);
	finding_bool(&f, "unresolved", unresolved);
	finding_bool(&f, "still_close_wait", open);
	finding_text(&f, "ended_by", teardown_hc_ended(c, h));
	finding_int(&f, "half_close_data_segments", h->data_segs);
	finding_int(&f, "closer_fin_seq", c->ep[A].fin_seq);
	if (leaky) {
		f.leaked = true;
		f.leaked_since_ns = h->fin_ack.ts_ns;
		f.leaked_until_ns = open ? 0 : h->end.ts_ns;
	}
	teardown_stall_explain(&f, c, idle, unresolved, d->fin_wait2_stall_ns);
	analyzer_report(a, c, &f);
	return leaky;
}

/* --- findings: the closer's late reset (§4.3, §4.6) --------------------------------- */

static const char *teardown_late_what(const struct teardown_halfclose *h, bool data)
{
	if (data)
		return "data";
	if (h->late_flags & TH_FIN)
		return "fin";
	return (h->late_events & SEG_KEEPALIVE) ? "keepalive" : "ack";
}

static const char teardown_late_fault_expired[] =
	"The fault is the CLOSE-WAIT side's application, which kept the socket open long after "
	"the peer closed. Check its code path for read() returning 0, `ss -tan state "
	"close-wait` on its host, and nstat TcpEstabResets there and TcpOutRsts on the closer's "
	"host.";

static const char teardown_late_fault_data[] =
	"Either the closer should half-close with shutdown(SHUT_WR) and read until the peer's "
	"FIN, or the other side's protocol should not write after the peer's FIN. Check nstat "
	"TcpOutRsts on the closer's host.";

static void teardown_late_explain(struct finding *f, const struct tcp_conn *c, bool expired,
				  bool data, int64_t gap)
{
	const struct teardown_halfclose *h = &c->det.teardown.hc;
	int A = h->closer, B = !A;
	char as[EXPLAIN_ADDR_MAX + 16], bs[EXPLAIN_ADDR_MAX + 16];
	const char *what = data ? "data" : (h->late_flags & TH_FIN) ? "its FIN"
				  : (h->late_events & SEG_KEEPALIVE) ? "a keep-alive" : "an ACK";

	if (expired)
		finding_summary(f, "%s sent %s %.1f s after %s's FIN; the reset says its FIN-WAIT-2 had expired",
				explain_ep(bs, c, B), what, explain_secs(gap),
				explain_ep(as, c, A));
	else
		finding_summary(f, "%s sent %u bytes %.1f s after %s had closed; its host answered RST (data after close())",
				explain_ep(bs, c, B), (unsigned)h->late_len, explain_secs(gap),
				explain_ep(as, c, A));
	teardown_intro(as, c, A, true);
	teardown_intro(bs, c, B, false);
	finding_explain(f,
		"%s closed first (FIN at frame %llu) and %s acknowledged it at frame %llu, "
		"entering CLOSE-WAIT while %s waited in FIN-WAIT-2. %.1f s later %s sent %s (frame "
		"%llu) and the host of %s answered with a reset that has no ACK, a zero window and "
		"no options (frame %llu), seq = its FIN + 1 (%u): the reset a kernel sends for a "
		"connection it accepts nothing on any more. ",
		as, (unsigned long long)c->ep[A].fin_frame, bs,
		(unsigned long long)h->fin_ack.frame, teardown_who(A), explain_secs(gap),
		teardown_who(B), what, (unsigned long long)h->late_seg.frame, teardown_who(A),
		(unsigned long long)h->late_rst.frame, (unsigned)(c->ep[A].fin_seq + 1));
	if (expired)
		finding_explain(f,
			"So %s had given up: a socket whose application called close() waits in "
			"FIN-WAIT-2 only net.ipv4.tcp_fin_timeout (60 s by default, less when "
			"tuned or with TCP_LINGER2), then disappears without a packet. %s",
			teardown_who(A), data ? "As the late segment carried data, the same reset "
			"would have come even before the timer expired (data_after_close_reset): "
			"the data was lost either way. " : "");
	else
		finding_explain(f,
			"%s had used close(), not shutdown(SHUT_WR): it can no longer deliver data "
			"to anyone, so its kernel resets data arriving after the close (RFC 1122), "
			"at once. ", teardown_Who(A));
	finding_explain(f,
		"%s believed the connection was still half-open (CLOSE-WAIT); it gets ECONNRESET "
		"or EPIPE on its next call, and what it sent was never delivered. %s%s",
		teardown_Who(B), explain_vantage(c),
		expired ? teardown_late_fault_expired : teardown_late_fault_data);
}

void teardown_report_late(struct analyzer *a, struct tcp_conn *c, bool leak_marked)
{
	const struct teardown_halfclose *h = &c->det.teardown.hc;
	bool data = h->late_len > 0 && !teardown_is_probe(h->late_events), expired;
	int64_t gap = h->late_seg.ts_ns - h->fin_ack.ts_ns;
	struct finding f;

	/* The ACK of the FIN itself reset at once: TCP_LINGER2 < 0 on the closer, a
	 * deliberate setting (§4.1), not a stale socket. */
	if (!h->late_rst.frame || (!data && h->late_seg.frame == h->fin_ack.frame))
		return;
	/* §4.6: only an expired FIN-WAIT-2 resets a FIN, an ACK or a keep-alive, and only
	 * after a gap its timer could cover; data is reset either way, so its timing
	 * decides (TEARDOWN_EXPIRY_MIN_NS). */
	if (!data && gap < TEARDOWN_EXPIRY_MIN_NS)
		return;
	expired = gap >= TEARDOWN_EXPIRY_MIN_NS && (!data || !h->data_acked);
	finding_init(&f, expired ? KIND_FIN_WAIT2_EXPIRED_RST : KIND_DATA_AFTER_CLOSE_RESET, c);
	f.confidence = expired ? (data ? 0.8 : 0.95) : 0.9;
	finding_frame(&f, c->ep[h->closer].fin_frame, c->ep[h->closer].fin_ts_ns);
	teardown_frame(&f, &h->fin_ack);
	teardown_frame(&f, &h->late_seg);
	teardown_frame(&f, &h->late_rst);
	finding_text(&f, "closer", explain_role(h->closer));
	finding_secs(&f, "gap", gap);
	finding_text(&f, "late_segment", teardown_late_what(h, data));
	finding_int(&f, "late_data_bytes", data ? h->late_len : 0);
	finding_int(&f, "rst_seq", (uint32_t)(c->ep[h->closer].fin_seq + 1));
	finding_bool(&f, "fin_wait2_expired", expired);
	finding_bool(&f, "closer_used_close", data || expired);
	/* The CLOSE-WAIT side took long before its late send: one more leaked socket,
	 * unless the stall finding already counted it. */
	if (!leak_marked && h->closer == CLIENT && !h->data_acked &&
	    h->last_gap_ns >= TEARDOWN_LEAK_MIN_NS) {
		f.leaked = true;
		f.leaked_since_ns = h->fin_ack.ts_ns;
		f.leaked_until_ns = h->late_seg.ts_ns;
	}
	teardown_late_explain(&f, c, expired, data, gap);
	analyzer_report(a, c, &f);
}
