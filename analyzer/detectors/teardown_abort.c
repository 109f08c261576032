/*
 * teardown_abort.c - connections that ended without a close (ANOMALIES.md;
 * kernel-signatures.md §0.1, §5, §7): the orphan its kernel killed in
 * FIN-WAIT-1 (orphan_fin_wait1_stall), the reset an application sent instead
 * of a FIN (abortive_close) and the reset of a host that no longer had the
 * socket (rst_no_socket).
 *
 * teardown.c recorded the FIN re-sends and zero-window probes, the reset the
 * orphan's host sent once it was gone (struct teardown_dead) and the first
 * reset of each other kind (struct teardown_rst).
 */
#include "config.h"

#include <string.h>

#include "analyzer/analyzer.h"
#include "analyzer/detectors/explain.h"
#include "analyzer/detectors/teardown_int.h"

/* Linux TCP_RTO_MAX: no re-send or probe interval grows beyond it (§8.4). */
#define TEARDOWN_RTO_MAX_NS (120 * NS_PER_S)

/* Default orphan budget (tcp_orphan_retries 0 = 8): the last FIN re-send about
 * 51 s after the FIN, death at 102.2 s (§5.1). */
#define TEARDOWN_ORPHAN_LAST_NS (51 * NS_PER_S)

/* A backed-off timer that should have fired again by now: the next interval
 * doubles (capped at TCP_RTO_MAX), with half of it again as slack. */
static bool teardown_overdue(int64_t last_gap_ns, int64_t silence_ns)
{
	int64_t next = last_gap_ns * 2;

	if (next > TEARDOWN_RTO_MAX_NS)
		next = TEARDOWN_RTO_MAX_NS;
	return silence_ns >= next + next / 2 + 200 * NS_PER_MS;
}

/* --- findings: orphan FIN-WAIT-1 (§5) ----------------------------------------------- */

static const char *teardown_orphan_end(const struct tcp_conn *c, int x, int64_t silence)
{
	const struct teardown_conn *td = &c->det.teardown;

	if (td->dead.rst.frame && td->dead.side == x)
		return "reset_when_peer_sent";
	if (c->ep[x].last_flags & TH_RST)
		return "reset";
	return teardown_overdue(td->side[x].fin_gap_last_ns, silence) ? "silent" : "capture_end";
}

static void teardown_orphan_fin_explain(struct finding *f, const struct tcp_conn *c, int x,
					const char *ended, int64_t silence)
{
	const struct teardown_conn *td = &c->det.teardown;
	const struct teardown_side *s = &td->side[x];
	const struct tcp_endpoint *e = &c->ep[x];
	int64_t to_last = s->fin_last.ts_ns - e->fin_ts_ns;
	bool default_budget = to_last > TEARDOWN_ORPHAN_LAST_NS * 8 / 10 &&
			      to_last < TEARDOWN_ORPHAN_LAST_NS * 12 / 10;
	char xs[EXPLAIN_ADDR_MAX + 16], ys[EXPLAIN_ADDR_MAX + 16];

	teardown_intro(xs, c, x, true);
	teardown_intro(ys, c, !x, false);
	finding_explain(f,
		"%s sent its FIN at frame %llu and re-sent it (or the data queued before it) %u "
		"times with growing gaps (the first after %.3f s, the last gap %.3f s); %s never "
		"acknowledged it. %s was in FIN-WAIT-1 all along; %s, as far as the capture shows, "
		"never got the FIN and still believes the connection is ESTABLISHED. ",
		xs, (unsigned long long)e->fin_frame, (unsigned)s->fin_resends,
		explain_secs(s->fin_gap_first_ns), explain_secs(s->fin_gap_last_ns), ys,
		teardown_Who(x), teardown_who(!x));
	if (strcmp(ended, "reset_when_peer_sent") == 0)
		finding_explain(f, "When %s sent again (frame %llu), %s's host answered with a "
				"reset without ACK (frame %llu): it no longer had a socket. ",
				teardown_who(!x), (unsigned long long)td->dead.trigger.frame,
				teardown_who(x), (unsigned long long)td->dead.rst.frame);
	else if (strcmp(ended, "reset") == 0)
		finding_explain(f, "%s then sent a reset (frame %llu): its kernel gave up on the "
				"orphan (it resets under memory or orphan-count pressure). ",
				teardown_Who(x), (unsigned long long)e->last_frame);
	else if (strcmp(ended, "silent") == 0)
		finding_explain(f, "After its last re-send %s fell silent for %.1f s, which the "
				"capture covers, and sent no RST: its kernel gave up. ",
				teardown_who(x), explain_secs(silence));
	else
		finding_explain(f, "The capture ended %.1f s after the last re-send, before the "
				"outcome (unresolved). ", explain_secs(silence));
	finding_explain(f,
		"A socket whose application already called close() (an orphan) is retried only "
		"net.ipv4.tcp_orphan_retries times (0 means 8, about 102 s on Linux), then dropped "
		"without a packet; after shutdown() the limit is tcp_retries2 (about 15 min)%s. "
		"%sThe fault is on the path to %s or on its host: nothing came back for the FIN "
		"(host down, or a firewall dropping %s's segments). Check that %s is reachable "
		"from %s (firewall and conntrack rules on the path), and on %s nstat "
		"TCPAbortOnTimeout and `ss -tan state fin-wait-1`. %s keeps a connection nobody "
		"will close until it sends and gets a reset, or its keep-alive fails.",
		default_budget ? "; the re-sends here follow the default orphan budget" : "",
		explain_vantage(c), teardown_who(!x), teardown_who(x), teardown_who(!x),
		teardown_who(x), teardown_who(x), teardown_Who(!x));
}

static void teardown_orphan_fin(struct analyzer *a, struct tcp_conn *c, int x)
{
	const struct teardown_conn *td = &c->det.teardown;
	const struct teardown_side *s = &td->side[x];
	const struct tcp_endpoint *e = &c->ep[x];
	int64_t silence = teardown_coverage(a, c) - e->last_ts_ns;
	const char *ended = teardown_orphan_end(c, x, silence);
	char xs[EXPLAIN_ADDR_MAX];
	struct finding f;

	finding_init(&f, KIND_ORPHAN_FIN_WAIT1_STALL, c);
	f.confidence = strcmp(ended, "capture_end") == 0 ? 0.6
		       : strcmp(ended, "silent") == 0 ? 0.9 : 0.95;
	finding_frame(&f, e->fin_frame, e->fin_ts_ns);
	for (uint32_t i = 0; i < s->fin_resends && i < TEARDOWN_RESEND_FRAMES; i++)
		finding_frame(&f, s->fin_frames[i], s->fin_last.ts_ns);
	teardown_frame(&f, &s->fin_last);
	if (strcmp(ended, "reset_when_peer_sent") == 0) {
		teardown_frame(&f, &td->dead.trigger);
		teardown_frame(&f, &td->dead.rst);
	} else if (strcmp(ended, "reset") == 0) {
		finding_frame(&f, e->last_frame, e->last_ts_ns);
	}
	finding_text(&f, "closer", explain_role(x));
	finding_int(&f, "fin_seq", e->fin_seq);
	finding_int(&f, "fin_resends", s->fin_resends);
	finding_secs(&f, "first_resend_after", s->fin_gap_first_ns);
	finding_secs(&f, "last_resend_gap", s->fin_gap_last_ns);
	finding_secs(&f, "fin_to_last_resend", s->fin_last.ts_ns - e->fin_ts_ns);
	finding_secs(&f, "silent_for", silence);
	finding_text(&f, "ended", ended);
	finding_bool(&f, "unresolved", strcmp(ended, "capture_end") == 0);
	finding_summary(&f, "%s's FIN was re-sent %u times and never acknowledged (orphan in FIN-WAIT-1), %s",
			explain_ep(xs, c, x), (unsigned)s->fin_resends,
			strcmp(ended, "silent") == 0 ? "then silence"
			: strcmp(ended, "capture_end") == 0 ? "still re-sending at the end"
							     : "then a reset");
	teardown_orphan_fin_explain(&f, c, x, ended, silence);
	analyzer_report(a, c, &f);
}

static void teardown_orphan_zw_explain(struct finding *f, const struct tcp_conn *c, int x,
				       bool dead, int64_t silence)
{
	const struct teardown_conn *td = &c->det.teardown;
	const struct teardown_side *s = &td->side[x];
	char xs[EXPLAIN_ADDR_MAX + 16], ys[EXPLAIN_ADDR_MAX + 16];

	teardown_intro(xs, c, x, false);
	teardown_intro(ys, c, !x, false);
	finding_explain(f,
		"The receive window of %s was zero, so %s could not send the data it still had. It "
		"sent %u zero-window probes (the last gap %.3f s); %s answered %u with window 0: "
		"alive, but not reading. Then %s stopped probing, though the window was still "
		"zero. A socket still held by its application probes as long as the peer answers "
		"(RFC 1122 §4.2.2.17); one that stops is an orphan: %s's application had called "
		"close() with data unsent, its FIN queued behind it (FIN-WAIT-1, the FIN never on "
		"the wire), and the kernel killed it when the probe back-off reached "
		"net.ipv4.tcp_orphan_retries (TCP_USER_TIMEOUT does the same to an open socket). ",
		ys, xs, (unsigned)s->probes, explain_secs(s->probe_gap_ns), teardown_who(!x),
		(unsigned)s->probe_answers, teardown_who(x), teardown_who(x));
	if (dead)
		finding_explain(f, "%.1f s after the last probe %s opened its window (frame %llu) "
				"and %s's host answered with a reset without ACK (frame %llu): no "
				"socket any more; %s's application gets ECONNRESET. ",
				explain_secs(silence), teardown_who(!x),
				(unsigned long long)td->dead.trigger.frame, teardown_who(x),
				(unsigned long long)td->dead.rst.frame, teardown_who(!x));
	else
		finding_explain(f, "The capture covers %.1f s of silence after the last probe. ",
				explain_secs(silence));
	finding_explain(f,
		"What %s's application wrote and the kernel had not sent is lost, though close() "
		"succeeded. At fault: %s's application, which stopped reading, and %s's, which "
		"closed before its data was delivered. %sCheck the Recv-Q of %s (`ss -tn`) and why "
		"it does not read; on %s, shutdown(SHUT_WR) and wait for the peer's FIN (or "
		"SO_LINGER with a timeout) before close(); nstat TCPAbortOnTimeout.",
		teardown_who(x), teardown_who(!x), teardown_who(x), explain_vantage(c),
		teardown_who(!x), teardown_who(x));
}

/* Zero-window orphan (§5.1, §5.2): its FIN never reaches the wire, it waits behind
 * unsent data; the probing stops while the peer still answers with window 0. */
static void teardown_orphan_zw(struct analyzer *a, struct tcp_conn *c, int x)
{
	const struct teardown_conn *td = &c->det.teardown;
	const struct teardown_side *s = &td->side[x];
	bool dead = td->dead.rst.frame && td->dead.side == x;
	int64_t until = dead ? td->dead.trigger.ts_ns : teardown_coverage(a, c);
	int64_t silence = until - s->probe_last.ts_ns;
	char xs[EXPLAIN_ADDR_MAX], ys[EXPLAIN_ADDR_MAX];
	struct finding f;

	if (!dead && (c->ep[x].last_frame != s->probe_last.frame || c->ep[!x].window_raw != 0 ||
		      !teardown_overdue(s->probe_gap_ns, silence)))
		return;
	finding_init(&f, KIND_ORPHAN_FIN_WAIT1_STALL, c);
	f.confidence = dead ? 0.85 : 0.6;
	for (uint32_t i = 0; i < s->probes && i < TEARDOWN_RESEND_FRAMES; i++)
		finding_frame(&f, s->probe_frames[i], s->probe_first_ns);
	teardown_frame(&f, &s->probe_last);
	if (dead) {
		teardown_frame(&f, &td->dead.trigger);
		teardown_frame(&f, &td->dead.rst);
	}
	finding_text(&f, "closer", explain_role(x));
	finding_bool(&f, "fin_seen", false);
	finding_int(&f, "zero_window_probes", s->probes);
	finding_int(&f, "zero_window_answers", s->probe_answers);
	finding_secs(&f, "last_probe_gap", s->probe_gap_ns);
	finding_secs(&f, "silent_for", silence);
	finding_text(&f, "ended", dead ? "reset_when_peer_sent" : "silent");
	finding_bool(&f, "unresolved", false);
	finding_summary(&f, "%s stopped probing %s's zero window and vanished: an orphan killed in FIN-WAIT-1%s",
			explain_ep(xs, c, x), explain_ep(ys, c, !x),
			dead ? ", reset when the window opened" : "");
	teardown_orphan_zw_explain(&f, c, x, dead, silence);
	analyzer_report(a, c, &f);
}

void teardown_report_orphans(struct analyzer *a, struct tcp_conn *c)
{
	int64_t min = analyzer_config(a)->detect.orphan_fin;

	for (int x = 0; x < 2; x++) {
		const struct teardown_side *s = &c->det.teardown.side[x];

		if (c->ep[x].fin_sent && !s->fin_acked && s->fin_resends >= min)
			teardown_orphan_fin(a, c, x);
		else if (s->probes >= min && s->probe_answers)
			teardown_orphan_zw(a, c, x);
	}
}

/* --- findings: resets (§7) ---------------------------------------------------------- */

static void teardown_abort_explain(struct finding *f, const struct tcp_conn *c, bool unread)
{
	const struct teardown_rst *r = &c->det.teardown.abort;
	int X = r->side, Y = !X;
	char xs[EXPLAIN_ADDR_MAX + 16], ys[EXPLAIN_ADDR_MAX + 16];

	teardown_intro(xs, c, X, true);
	teardown_intro(ys, c, Y, false);
	finding_explain(f,
		"%s (%s) ended the connection with a reset carrying ACK (frame %llu, seq = its "
		"next sequence number %u) instead of a FIN: an abortive close, with no FIN before "
		"it; %s believed the connection was established. ",
		xs, tcp_state_name((enum tcp_state)r->state), (unsigned long long)r->rst.frame,
		(unsigned)r->seq, ys);
	if (unread)
		finding_explain(f,
			"%s had sent %u bytes after the last data of %s (from frame %llu); %s's "
			"kernel acknowledged them but its application never answered: it closed "
			"the socket with them unread, and Linux then resets instead of closing "
			"(RFC 2525 §2.17; nstat TCPAbortOnClose). The fault is this application: "
			"it closed without reading what the peer sent (a request body, pipelined "
			"requests). Read (drain) the input before close(), or shutdown(SHUT_WR) "
			"and read until EOF. ",
			teardown_Who(Y), (unsigned)r->unread, teardown_who(X),
			(unsigned long long)r->unread_first.frame, teardown_who(X));
	else
		finding_explain(f,
			"Nothing from %s was left unanswered%s, so this is most likely close() "
			"with SO_LINGER set to a zero timeout, which resets and skips TIME-WAIT "
			"(nstat TCPAbortOnData): common in load balancers and proxies (Go "
			"SetLinger(0), nginx reset_timedout_connection), and usually deliberate. ",
			teardown_who(Y),
			r->unread ? " (the bytes it had sent answered the last request)" : "");
	if (r->in_flight > 0)
		finding_explain(f, "%d bytes %s had in flight were never acknowledged and are "
				"lost. ", r->in_flight, teardown_who(Y));
	finding_explain(f,
		"The application of %s gets ECONNRESET on its next read or write. %sCheck the "
		"close path of %s's application (SO_LINGER, early close on error).",
		teardown_who(Y), explain_vantage(c), teardown_who(X));
}

void teardown_report_abort(struct analyzer *a, struct tcp_conn *c)
{
	const struct teardown_rst *r = &c->det.teardown.abort;
	int X = r->side, Y = !X;
	bool unread;
	char xs[EXPLAIN_ADDR_MAX], ys[EXPLAIN_ADDR_MAX];
	struct finding f;

	if (!r->rst.frame || c->det.teardown.side[X].after_rst)
		return;
	/* §7.2: bytes that answer X's own request were likely read (SO_LINGER 0);
	 * bytes a server never answered, or sent to a side that never spoke, were not. */
	unread = r->unread > 0 && (X == SERVER || !r->sent_data);
	finding_init(&f, KIND_ABORTIVE_CLOSE, c);
	if (unread || r->in_flight > 0)
		f.severity = SEV_WARNING;
	f.confidence = unread ? 0.9 : 0.8;
	teardown_frame(&f, &r->unread_first);
	teardown_frame(&f, &r->before);
	teardown_frame(&f, &r->rst);
	finding_text(&f, "rst_sender", explain_role(X));
	finding_text(&f, "sender_state", tcp_state_name((enum tcp_state)r->state));
	finding_int(&f, "rst_seq", r->seq);
	finding_bool(&f, "unread_data", unread);
	finding_int(&f, "peer_bytes_after_last_send", r->unread);
	finding_int(&f, "peer_bytes_lost_in_flight", r->in_flight);
	finding_bool(&f, "linger0_likely", !unread);
	if (unread)
		finding_summary(&f, "%s reset the connection with %u bytes from %s unread (close() with unread data)",
				explain_ep(xs, c, X), (unsigned)r->unread, explain_ep(ys, c, Y));
	else
		finding_summary(&f, "%s closed with RST instead of FIN (SO_LINGER 0 likely)",
				explain_ep(xs, c, X));
	teardown_abort_explain(&f, c, unread);
	analyzer_report(a, c, &f);
}

static void teardown_nosock_explain(struct finding *f, const struct tcp_conn *c, const char *reason)
{
	const struct teardown_rst *r = &c->det.teardown.nosock;
	int X = r->side, Y = !X;
	char xs[EXPLAIN_ADDR_MAX + 16], ys[EXPLAIN_ADDR_MAX + 16];

	teardown_intro(xs, c, X, false);
	teardown_intro(ys, c, Y, true);
	finding_explain(f,
		"%s sent a segment (frame %llu, %u bytes) on a connection the capture had seen "
		"working (%s was %s as far as the packets show), and the host of %s answered with "
		"a reset that has no ACK, a zero window and no options, seq = that segment's ack "
		"(%u, frame %llu): the reset a kernel sends when it has no socket for the "
		"connection. Its side was gone although the capture saw no FIN or RST from it",
		ys, (unsigned long long)r->trigger.frame, (unsigned)r->trigger_len,
		teardown_who(X), tcp_state_name((enum tcp_state)r->state), xs, (unsigned)r->seq,
		(unsigned long long)r->rst.frame);
	if (r->before.frame)
		finding_explain(f, " (its last segment was frame %llu, %.1f s before)",
				(unsigned long long)r->before.frame,
				explain_secs(r->trigger.ts_ns - r->before.ts_ns));
	if (strcmp(reason, "after_time_wait") == 0)
		finding_explain(f, ": its TIME-WAIT had ended. ");
	else if (strcmp(reason, "after_retries_exhausted") == 0)
		finding_explain(f, ": its last segments were re-sends, so its kernel had given up "
				"silently (tcp_retries2, TCP_USER_TIMEOUT). ");
	else
		finding_explain(f, ": the host rebooted or failed over, the socket was destroyed "
				"(ss -K, a killed process whose reset was lost or filtered) or a "
				"firewall dropped the state. ");
	finding_explain(f,
		"%s believed the connection was established; its application gets ECONNRESET and "
		"what it sent is lost. %sCheck on %s: restarts, the application's logs, nstat "
		"TcpOutRsts and TcpEstabResets; on %s, whether idle pooled connections are "
		"checked, or retried after ECONNRESET.",
		teardown_Who(Y), explain_vantage(c), teardown_who(X), teardown_who(Y));
}

void teardown_report_nosock(struct analyzer *a, struct tcp_conn *c)
{
	const struct teardown_rst *r = &c->det.teardown.nosock;
	int X = r->side, Y = !X;
	const char *reason;
	char xs[EXPLAIN_ADDR_MAX], ys[EXPLAIN_ADDR_MAX];
	struct finding f;

	if (!r->rst.frame || c->det.teardown.side[X].after_rst)
		return;
	reason = r->state == TCP_TIME_WAIT ? "after_time_wait"
		 : r->timer_gone ? "after_retries_exhausted" : "socket_gone";
	finding_init(&f, KIND_RST_NO_SOCKET, c);
	f.confidence = (c->flags & CONN_MIDSTREAM) ? 0.8 : 0.9;
	teardown_frame(&f, &r->before);
	teardown_frame(&f, &r->trigger);
	teardown_frame(&f, &r->rst);
	finding_text(&f, "rst_sender", explain_role(X));
	finding_text(&f, "sender_state_believed", tcp_state_name((enum tcp_state)r->state));
	finding_int(&f, "rst_seq", r->seq);
	finding_int(&f, "trigger_bytes", r->trigger_len);
	if (r->before.frame)
		finding_secs(&f, "idle_before", r->trigger.ts_ns - r->before.ts_ns);
	finding_secs(&f, "rst_delay", r->rst.ts_ns - r->trigger.ts_ns);
	finding_text(&f, "reason", reason);
	finding_summary(&f, "%s's host answered %s with a stateless RST: it no longer had the connection",
			explain_ep(xs, c, X), explain_ep(ys, c, Y));
	teardown_nosock_explain(&f, c, reason);
	analyzer_report(a, c, &f);
}
