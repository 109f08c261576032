/*
 * listener_overflow.c - the accept queue story (ANOMALIES.md; kernel-signatures.md
 * §1): accept_queue_overflow with its roll-up per listener,
 * accept_queue_overflow_reset and request_unanswered.
 *
 * A full accept queue shows on the wire in three ways: the handshake ACK (and
 * the request) dropped while the server re-sends its SYN-ACK, the ACK answered
 * at once by a reset (tcp_abort_on_overflow=1), or a request the server's
 * kernel acknowledged and nobody answered. listener.c recorded what each
 * connection did; the rules here tell whether it was an overflow, also while
 * the capture is read, so that the listener knows early. Every finding about
 * a listener adds up in its entry (struct lst_sum, the SYN drops of
 * listener_syn.c too), reported once per listener when its entry is evicted
 * or at the end of the run.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "analyzer/aggregate.h"
#include "analyzer/analyzer.h"
#include "analyzer/detectors/explain.h"
#include "analyzer/detectors/listener_int.h"

/* §1.9 rule 3b: client data left unacknowledged this long while S. re-sends go on. */
#define UNACKED_MIN_NS (1 * NS_PER_S)

/* --- is it the accept queue? (§1.9) ------------------------------------------------ */

/* §1.9 rule 3a: a re-sent S. echoed what the server then dropped. */
static bool listener_rule_a(const struct listener_conn *lc)
{
	return lc->bits & LC_TSECR_ACK;
}

/* Rule 3b: the request went unacknowledged for a second or more, through at
 * least one retransmission, while the server re-sent its SYN-ACK. */
static bool listener_rule_b(const struct listener_conn *lc, int64_t now)
{
	int64_t until = lc->data_ack.frame ? lc->data_ack.ts_ns : now;

	return (lc->bits & LC_RESEND_DATA) && lc->ndata >= 2 &&
	       until - lc->data.ts_ns >= UNACKED_MIN_NS;
}

/* Rule 3c: two re-sends or more, each answered by the client. */
static bool listener_rule_c(const struct listener_conn *lc)
{
	return lc->nresend >= 2 && lc->nanswered >= 2;
}

/* TCP_DEFER_ACCEPT ignores a bare ACK but takes data at once (§1.6). */
static bool listener_deferred(const struct tcp_conn *c)
{
	const struct listener_conn *lc = &c->det.listener;
	int64_t rtt = c->handshake_rtt_ns > 0 ? c->handshake_rtt_ns : 0;

	return lc->data.frame && lc->data_ack.frame &&
	       lc->data_ack.ts_ns - lc->data.ts_ns <= rtt + rtt / 2 + 10 * NS_PER_MS;
}

bool listener_is_overflow(const struct tcp_conn *c, int64_t now)
{
	const struct listener_conn *lc = &c->det.listener;

	if (!lc->hs_ack.frame || !lc->nresend || listener_deferred(c))
		return false;
	return listener_rule_a(lc) || listener_rule_b(lc, now) || listener_rule_c(lc);
}

/* §1.9: the handshake ACK or first data answered at once by `R` seq=ISN_s+1
 * (ACK clear, window 0, no options), before the server sent anything else
 * and before the client closed (an RST after a FIN is the close's). */
bool listener_is_reset(const struct tcp_conn *c)
{
	const struct listener_conn *lc = &c->det.listener;
	int64_t rtt = c->handshake_rtt_ns > 0 ? c->handshake_rtt_ns : NS_PER_S;

	return lc->hs_ack.frame && lc->rst.frame && lc->rst.ts_ns >= lc->hs_ack.ts_ns &&
	       !(lc->bits & (LC_RST_ACK | LC_SERVER_SPOKE | LC_CLIENT_FIN)) &&
	       (lc->bits & LC_RST_PLAIN) && !lc->nresend &&
	       lc->rst_seq == c->ep[SERVER].isn + 1 && !lc->data_ack.frame &&
	       !(lc->answer.frame && lc->answer.ts_ns < lc->rst.ts_ns) &&
	       lc->rst_gap_ns <= rtt + rtt / 2 + 5 * NS_PER_MS;
}

/* What a roll-up needs from every finding about its listener. */
void listener_sum_span(struct lst_sum *s, const struct finding *f)
{
	if (!s->first_ts || f->first_ts_ns < s->first_ts)
		s->first_ts = f->first_ts_ns;
	if (f->last_ts_ns > s->last_ts)
		s->last_ts = f->last_ts_ns;
}

/* An overflowing connection (or a reset one) joins its listener's roll-up. */
static void listener_sum_overflow(struct lst_entry *e, const struct tcp_conn *c,
				  const struct finding *f)
{
	const struct listener_conn *lc = &c->det.listener;
	struct lst_sum *s = &e->sum;
	uint64_t fr[3] = { lc->hs_ack.frame,
			   lc->nresend ? lc->synack.frame + lc->resend_frame[0] : 0,
			   lc->recovered.frame ? lc->recovered.frame : lc->rst.frame };

	listener_sum_span(s, f);
	if (s->nids < LST_IDS)
		s->ids[s->nids++] = c->id;
	for (int i = 0; i < 3; i++)
		if (fr[i] && s->nframes < FINDING_MAX_FRAMES)
			s->frames[s->nframes++] = fr[i];
	if (!s->first_overflow_ts || lc->hs_ack.ts_ns < s->first_overflow_ts) {
		s->first_overflow_ts = lc->hs_ack.ts_ns;
		s->queued_then = (lc->bits & LC_SNAPSHOT) ? lc->queued_before : -1;
	}
}

/* --- accept_queue_overflow --------------------------------------------------------- */

static const char *listener_outcome(const struct tcp_conn *c, int64_t *after)
{
	const struct listener_conn *lc = &c->det.listener;

	*after = 0;
	if (lc->recovered.frame) {
		*after = lc->recovered.ts_ns - lc->hs_ack.ts_ns;
		return "recovered";
	}
	if (lc->rst.frame) {
		*after = lc->rst.ts_ns - lc->hs_ack.ts_ns;
		return (lc->bits & LC_RST_ACK) || lc->rst_seq != c->ep[SERVER].isn + 1 ? "reset"
										      : "failed";
	}
	return "unresolved";
}

static void listener_overflow_frames(struct finding *f, const struct listener_conn *lc)
{
	unsigned n = lc->nresend < LISTENER_RESENDS ? lc->nresend : LISTENER_RESENDS;

	finding_frame(f, lc->syn.frame, lc->syn.ts_ns);
	finding_frame(f, lc->synack.frame, lc->synack.ts_ns);
	finding_frame(f, lc->hs_ack.frame, lc->hs_ack.ts_ns);
	finding_frame(f, lc->data.frame, lc->data.ts_ns);
	for (unsigned i = 0; i < n; i++) {
		int64_t t = lc->synack.ts_ns + (int64_t)lc->resend_off_us[i] * 1000;

		finding_frame(f, lc->synack.frame + lc->resend_frame[i], t);
		if (i < lc->nanswered)
			finding_frame(f, lc->synack.frame + lc->answer_frame[i], t);
	}
	finding_frame(f, lc->data_last.frame, lc->data_last.ts_ns);
	finding_frame(f, lc->recovered.frame, lc->recovered.ts_ns);
	finding_frame(f, lc->rst.frame, lc->rst.ts_ns);
}

static void listener_overflow_figures(struct finding *f, const struct tcp_conn *c)
{
	const struct listener_conn *lc = &c->det.listener;
	char buf[64];
	int64_t after, until = lc->data_ack.frame ? lc->data_ack.ts_ns : c->last_ts_ns;
	const char *outcome = listener_outcome(c, &after);
	unsigned n = lc->nresend < LISTENER_RESENDS ? lc->nresend : LISTENER_RESENDS;

	finding_int(f, "synack_resends", lc->nresend);
	finding_text(f, "synack_resend_times", listener_times(buf, sizeof(buf), lc->resend_off_us,
								n, false));
	finding_int(f, "resends_answered", lc->nanswered);
	finding_int(f, "request_bytes_unacked", lc->data_bytes);
	finding_int(f, "request_transmissions", lc->ndata);
	if (lc->data.frame)
		finding_secs(f, "request_unacked_for", until - lc->data.ts_ns);
	if (lc->bits & (LC_TSECR_ACK | LC_TSECR_SYN))
		finding_bool(f, "tsecr_echoes_client_ack", lc->bits & LC_TSECR_ACK);
	finding_text(f, "outcome", outcome);
	if (lc->recovered.frame || lc->rst.frame)
		finding_secs(f, "outcome_after", after);
	if (lc->rst.frame && !lc->recovered.frame)
		finding_int(f, "reset_frame", (int64_t)lc->rst.frame);
	if (lc->recovered.frame && lc->answer.frame)
		finding_secs(f, "answered_after_recovery", lc->answer.ts_ns - lc->recovered.ts_ns);
	if (lc->bits & LC_SNAPSHOT)
		finding_int(f, "handshakes_waiting_before", lc->queued_before);
	finding_text(f, "client_state", "ESTABLISHED");
	finding_text(f, "server_state", "SYN-RECEIVED");
	/* Which of §1.9's rules 3a-3c held. */
	snprintf(buf, sizeof(buf), "%s%s%s", listener_rule_a(lc) ? "+tsecr" : "",
		 listener_rule_b(lc, c->last_ts_ns) ? "+data_unacked" : "",
		 listener_rule_c(lc) ? "+resends_answered" : "");
	finding_text(f, "rules", buf + (buf[0] == '+'));
}

static void listener_overflow_outcome(struct finding *f, const struct tcp_conn *c)
{
	const struct listener_conn *lc = &c->det.listener;
	int64_t after;
	const char *o = listener_outcome(c, &after);

	if (lc->recovered.frame) {
		finding_explain(f, "The queue drained %.3f s after the handshake ACK: the server "
			"took a re-sent segment and acknowledged it (frame %llu); the client had "
			"stalled that long",
			explain_secs(after), (unsigned long long)lc->recovered.frame);
		if (lc->answer.frame)
			finding_explain(f, ", and got its answer %.3f s later",
					explain_secs(lc->answer.ts_ns - lc->recovered.ts_ns));
		finding_explain(f, ". ");
	} else if (strcmp(o, "failed") == 0) {
		finding_explain(f, "The server gave up: the request expired silently "
			"(tcp_synack_retries) and the client's next segment got `R` seq=ISN+1 "
			"(frame %llu, %.3f s after the handshake): ECONNRESET on a connection the "
			"client believed open. ",
			(unsigned long long)lc->rst.frame, explain_secs(after));
	} else if (lc->rst.frame) {
		finding_explain(f, "It ended with an RST from the server (frame %llu). ",
				(unsigned long long)lc->rst.frame);
	} else {
		finding_explain(f, "It was still unresolved when the capture ended. ");
	}
}

static const char *const listener_advice =
	"The fault is on the server: its application accepts connections slower than they "
	"arrive, or its listen() backlog is too small. On it, check `nstat -az "
	"TcpExtListenOverflows TcpExtListenDrops` and `ss -ltn 'sport = :%u'` (Recv-Q: waiting, "
	"Send-Q: backlog); raise the listen() backlog and net.core.somaxconn (its cap), and "
	"accept faster (more acceptor threads, no slow work before accept()).";

void listener_overflow(struct analyzer *a, struct lst_state *st, struct tcp_conn *c)
{
	struct listener_conn *lc = &c->det.listener;
	struct lst_entry *e = listener_entry(a, st, c);
	char cli[EXPLAIN_ADDR_MAX], srv[EXPLAIN_ADDR_MAX], sched[64];
	bool ra = listener_rule_a(lc), rb = listener_rule_b(lc, c->last_ts_ns);
	unsigned n = lc->nresend < LISTENER_RESENDS ? lc->nresend : LISTENER_RESENDS;
	int64_t after;
	const char *outcome = listener_outcome(c, &after);
	struct finding f;

	finding_init(&f, KIND_ACCEPT_QUEUE_OVERFLOW, c);
	f.confidence = ra ? 1.0 : rb && listener_rule_c(lc) ? 0.95 : rb ? 0.85 : 0.75;
	listener_overflow_frames(&f, lc);
	listener_overflow_figures(&f, c);
	explain_ep(cli, c, CLIENT);
	explain_ep(srv, c, SERVER);
	listener_times(sched, sizeof(sched), lc->resend_off_us, n, false);
	finding_summary(&f, "accept queue full: handshake ACK%s dropped, SYN-ACK re-sent %u "
			"time%s; %s", lc->data.frame ? " and request" : "", (unsigned)lc->nresend,
			explain_s(lc->nresend), outcome);
	finding_explain(&f, "The client %s completed the handshake and believed the connection "
		"ESTABLISHED (connect() returned)", cli);
	if (lc->data.frame)
		finding_explain(&f, "; the server never acknowledged its %u request bytes (%u "
			"transmissions)", lc->data_bytes, (unsigned)lc->ndata);
	finding_explain(&f, ". The server %s was still SYN-RECEIVED: it kept only the request and "
		"re-sent the identical SYN-ACK on its timer (%s s after the first), %u answered by "
		"the client. That is Linux with a full accept queue (tcp_abort_on_overflow=0): the "
		"handshake ACK and its data are dropped, nothing is sent back. ", srv, sched,
		(unsigned)lc->nanswered);
	if (ra)
		finding_explain(&f, "The re-sent SYN-ACK echoes the dropped ACK's TSval: the "
			"server's TCP received it (no network loss). ");
	else if (lc->bits & LC_TSECR_SYN)
		finding_explain(&f, "The re-sent SYN-ACKs echo the SYN's TSval, not the ACK's "
			"(Linux 6.x does so even on an overflow): the proof is the ignored "
			"client. ");
	listener_overflow_outcome(&f, c);
	finding_explain(&f, "%s", explain_vantage(c));
	finding_explain(&f, listener_advice, (unsigned)c->ep[SERVER].port);
	analyzer_report(a, c, &f);
	e->sum.overflow++;
	e->sum.recovered += strcmp(outcome, "recovered") == 0;
	e->sum.failed += strcmp(outcome, "failed") == 0;
	listener_sum_overflow(e, c, &f);
}

/* --- accept_queue_overflow_reset --------------------------------------------------- */

void listener_overflow_reset(struct analyzer *a, struct lst_state *st, struct tcp_conn *c)
{
	struct listener_conn *lc = &c->det.listener;
	struct lst_entry *e = listener_entry(a, st, c);
	char cli[EXPLAIN_ADDR_MAX], srv[EXPLAIN_ADDR_MAX];
	struct finding f;

	finding_init(&f, KIND_ACCEPT_QUEUE_OVERFLOW_RESET, c);
	f.confidence = (lc->bits & LC_RST_STATELESS) ? 1.0 : 0.8;
	finding_frame(&f, lc->syn.frame, lc->syn.ts_ns);
	finding_frame(&f, lc->synack.frame, lc->synack.ts_ns);
	finding_frame(&f, lc->hs_ack.frame, lc->hs_ack.ts_ns);
	finding_frame(&f, lc->data.frame, lc->data.ts_ns);
	finding_frame(&f, lc->rst.frame, lc->rst.ts_ns);
	finding_secs(&f, "reset_after", lc->rst.ts_ns - lc->hs_ack.ts_ns);
	finding_int(&f, "reset_seq", lc->rst_seq);
	finding_int(&f, "resets", lc->nrst);
	finding_int(&f, "request_bytes", lc->data_bytes);
	finding_bool(&f, "stateless_format", lc->bits & LC_RST_STATELESS);
	if (lc->bits & LC_SNAPSHOT)
		finding_int(&f, "handshakes_waiting_before", lc->queued_before);
	finding_text(&f, "client_state", "ESTABLISHED");
	finding_text(&f, "server_state", "SYN-RECEIVED");
	explain_ep(cli, c, CLIENT);
	explain_ep(srv, c, SERVER);
	finding_summary(&f, "accept queue full: handshake ACK answered by RST "
			"(tcp_abort_on_overflow)");
	finding_explain(&f, "The client %s completed the handshake and believed the connection "
		"ESTABLISHED (connect() had returned); it sent its ACK%s. %.3f ms later the server "
		"%s answered with `R` (ACK flag clear, seq = its ISN+1 = %u%s), %u time(s) in all. "
		"That is the reset a Linux listener sends, still in SYN-RECEIVED, when its accept "
		"queue is full and net.ipv4.tcp_abort_on_overflow=1 (FreeBSD's default does the "
		"same): it drops the connection instead of keeping it half-open. The client learns "
		"it on its next read or write: ECONNRESET. %s", cli,
		lc->data.frame ? " and its request" : "",
		(double)(lc->rst.ts_ns - lc->hs_ack.ts_ns) / 1e6, srv, lc->rst_seq,
		(lc->bits & LC_RST_STATELESS) ? ", window 0, no options" : "",
		(unsigned)lc->nrst, explain_vantage(c));
	finding_explain(&f, listener_advice, (unsigned)c->ep[SERVER].port);
	analyzer_report(a, c, &f);
	e->sum.reset++;
	listener_sum_overflow(e, c, &f);
}

/* --- request_unanswered ------------------------------------------------------------ */

/* How a request that waited ended: its answer, a close, a reset or nothing. */
static const struct listener_mark *listener_request_end(const struct listener_conn *lc,
							 const char **how)
{
	*how = "no answer in the capture";
	if (lc->rst.frame && lc->rst.ts_ns > lc->wait.ts_ns &&
	    (!lc->answer.frame || lc->rst.ts_ns < lc->answer.ts_ns)) {
		*how = "reset";
		return &lc->rst;
	}
	if (lc->answer.frame)
		*how = (lc->bits & LC_ANSWER_FIN) ? "closed" : "answered";
	return lc->answer.frame ? &lc->answer : NULL;
}

/* ANOMALIES.md: the server's kernel ACKed the request, no answer followed. */
void listener_request(struct analyzer *a, struct lst_state *st, struct tcp_conn *c)
{
	struct listener_conn *lc = &c->det.listener;
	const char *how;
	const struct listener_mark *end = listener_request_end(lc, &how);
	int64_t waited = (end ? end->ts_ns : listener_covered(a, st, c)) - lc->wait.ts_ns;
	char cli[EXPLAIN_ADDR_MAX], srv[EXPLAIN_ADDR_MAX];
	struct lst_entry *e;
	struct finding f;

	/* LC_SRV_MISSED: the server sent bytes the capture lost, maybe the answer. */
	if (!lc->wait.frame || !lc->hs_ack.frame ||
	    (lc->bits & (LC_SERVER_SPOKE | LC_SRV_MISSED)) ||
	    waited < analyzer_config(a)->detect.request_unanswered_ns)
		return;
	e = listener_entry(a, st, c);
	/* Never answered: only worth saying on a listener that answers other
	 * requests or overflows; elsewhere it may be a one-way protocol. */
	if (!end && !e->answered && !e->overflowed)
		return;
	finding_init(&f, KIND_REQUEST_UNANSWERED, c);
	if (e->overflowed)
		f.severity = SEV_WARNING;
	f.confidence = (end ? 0.9 : 0.7) + (e->overflowed ? 0.1 : 0.0);
	finding_frame(&f, lc->hs_ack.frame, lc->hs_ack.ts_ns);
	finding_frame(&f, lc->data.frame, lc->data.ts_ns);
	finding_frame(&f, lc->wait.frame, lc->wait.ts_ns);
	if (end)
		finding_frame(&f, end->frame, end->ts_ns);
	finding_secs(&f, "waited", waited);
	finding_text(&f, "ended_by", how);
	finding_int(&f, "request_bytes", lc->data_bytes);
	if (lc->bits & LC_SNAPSHOT)
		finding_int(&f, "handshakes_waiting_before", lc->queued_before);
	finding_bool(&f, "listener_overflows", e->overflowed);
	finding_text(&f, "client_state", "ESTABLISHED");
	finding_text(&f, "server_state", "ESTABLISHED");
	explain_ep(cli, c, CLIENT);
	explain_ep(srv, c, SERVER);
	if (end)
		finding_summary(&f, "request ACKed by the server's kernel, %s only after %.3f s",
				how, explain_secs(waited));
	else
		finding_summary(&f, "request ACKed by the server's kernel, no answer for %.3f s",
				explain_secs(waited));
	finding_explain(&f, "The handshake completed and the client sent %u bytes; the server's "
		"kernel acknowledged them (frame %llu), so both ends were ESTABLISHED, but no byte "
		"of answer and no close came from %s for %.3f s%s. A kernel ACK only means the "
		"data reached the socket: the application had not read it. Either the connection "
		"was waiting in the accept queue of an application that was not calling accept() "
		"(%d other handshake(s) were waiting on this listener when it completed), or the "
		"application was stuck. ", lc->data_bytes, (unsigned long long)lc->wait.frame, srv,
		explain_secs(waited), end ? "" : " (until the end of what the capture shows)",
		(lc->bits & LC_SNAPSHOT) ? (int)lc->queued_before : 0);
	if (e->overflowed)
		finding_explain(&f, "The same listener overflowed its accept queue in this "
			"capture: this connection was one of those filling it. ");
	finding_explain(&f, "%sCheck the listener's queue with `ss -ltn 'sport = :%u'` (Recv-Q), "
		"the application's accept loop and worker pool, and its response times.",
		explain_vantage(c), (unsigned)c->ep[SERVER].port);
	analyzer_report(a, c, &f);
	e->sum.queued++;
	listener_sum_span(&e->sum, &f);
}

/* --- the roll-up per listener ------------------------------------------------------ */

static void listener_summary_figures(struct finding *f, const struct lst_entry *e)
{
	const struct lst_sum *s = &e->sum;
	char ids[64];
	size_t used = 0;

	finding_int(f, "connections_overflowed", s->overflow);
	finding_int(f, "recovered", s->recovered);
	finding_int(f, "failed", s->failed);
	finding_int(f, "reset_at_once", s->reset);
	finding_int(f, "requests_queued", s->queued);
	finding_int(f, "connections_syns_dropped", s->dropped);
	finding_secs(f, "window", s->last_ts - s->first_ts);
	if (s->queued_then >= 0)
		finding_int(f, "handshakes_waiting_at_first_overflow", s->queued_then);
	if (s->queued_then >= 1)
		finding_int(f, "implied_backlog", s->queued_then - 1);
	finding_int(f, "peak_handshakes_waiting", e->peak_queued);
	ids[0] = '\0';
	for (uint32_t i = 0; i < s->nids && used + 12 < sizeof(ids); i++)
		used += (size_t)snprintf(ids + used, sizeof(ids) - used, "%s%llu", i ? " " : "",
					 (unsigned long long)s->ids[i]);
	finding_text(f, "connections", ids);
}

void listener_summary(struct analyzer *a, struct lst_entry *e)
{
	const struct lst_sum *s = &e->sum;
	struct aggregates *g = analyzer_aggregates(a);
	char srv[EXPLAIN_ADDR_MAX];
	struct finding f;

	finding_init(&f, KIND_ACCEPT_QUEUE_OVERFLOW, NULL);
	f.scope = "listener";
	f.server = e->addr;
	f.server_port = e->port;
	f.confidence = s->overflow + s->reset >= 2 ? 1.0 : 0.9;
	for (uint32_t i = 0; i < s->nframes; i++)
		finding_frame(&f, s->frames[i], s->first_ts);
	f.first_ts_ns = s->first_ts;
	f.last_ts_ns = s->last_ts;
	listener_summary_figures(&f, e);
	explain_addr(srv, &e->addr, e->port);
	finding_summary(&f, "%s: accept queue overflowed: %u connections dropped (%u recovered, "
			"%u failed, %u reset), %u requests queued, %u lost SYNs, over %.1f s", srv,
			s->overflow + s->reset, s->recovered, s->failed, s->reset, s->queued,
			s->dropped, explain_secs(s->last_ts - s->first_ts));
	finding_explain(&f, "On %s the accept queue (connections the kernel completed, waiting "
		"for the application's accept()) was full during %.3f s. ", srv,
		explain_secs(s->last_ts - s->first_ts));
	if (s->overflow)
		finding_explain(&f, "%u handshakes completed into the full queue: the server's "
			"kernel dropped their ACK and request and kept them half-open "
			"(SYN-RECEIVED), re-sending SYN-ACKs while their clients believed them "
			"ESTABLISHED; %u recovered when the queue drained, %u failed with a reset "
			"once the request expired. ", s->overflow, s->recovered, s->failed);
	if (s->reset)
		finding_explain(&f, "%u were reset at once (tcp_abort_on_overflow=1). ", s->reset);
	finding_explain(&f, "Meanwhile %u requests sat unanswered in the queue and %u connections "
		"had their SYNs dropped (Linux drops SYNs while the accept queue is full). ",
		s->queued, s->dropped);
	if (s->queued_then >= 1)
		finding_explain(&f, "When the first overflow happened, %d completed handshakes "
			"were waiting unanswered; Linux holds backlog+1 connections in the "
			"queue, so the effective backlog, min(listen() backlog, "
			"net.core.somaxconn), looks like %d. ",
			(int)s->queued_then, (int)s->queued_then - 1);
	finding_explain(&f, listener_advice, (unsigned)e->port);
	analyzer_report(a, NULL, &f);
	for (uint32_t i = 0; g && i < aggregates_count(g); i++) {
		struct aggregate *ag = aggregates_get(g, i);

		if ((ag->code == KIND_ACCEPT_QUEUE_OVERFLOW ||
		     ag->code == KIND_ACCEPT_QUEUE_OVERFLOW_RESET) && ag->server_port == e->port &&
		    ag->server.family == e->addr.family &&
		    memcmp(ag->server.bytes, e->addr.bytes, sizeof(e->addr.bytes)) == 0)
			aggregate_set_summary(ag, &f);
	}
}
