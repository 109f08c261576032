/*
 * liveness_zero_window.c - a receiver that stops reading (zero_window_stall,
 * kernel-signatures.md §5.2, §8.4, §8.5): R advertises a zero window, the
 * sender S probes it with backing-off empty segments, and R's application is
 * too slow or stuck.
 *
 * Per receiving side, the episode in progress (struct liveness_zw_episode);
 * per connection, the longest finished one. One finding per connection, for
 * that longest stall, whichever side it was.
 */
#include "config.h"

#include <string.h>

#include "analyzer/analyzer.h"
#include "analyzer/classify.h"
#include "analyzer/detectors/explain.h"
#include "analyzer/detectors/liveness_int.h"
#include "analyzer/seq.h"

/* Linux answers at most one out-of-window segment per 500 ms per socket
 * (tcp_invalid_ratelimit, kernel-signatures.md §0.2). */
#define LIVENESS_RATELIMIT_NS (500 * NS_PER_MS)

static void liveness_zw_begin(struct liveness_zw_episode *e, const struct tcp_conn *c,
			      const struct seg_view *v)
{
	const struct tcp_endpoint *s = &c->ep[!v->dir];

	memset(e, 0, sizeof(*e));
	e->active = true;
	e->side = (unsigned int)v->dir;
	liveness_states(e->state, v);
	liveness_mark_seg(&e->start, v->seg);
	e->last_zero = e->start;
	e->ack = v->seg->ack;
	if (s->seq_known && seq_gt(s->nxt, v->seg->ack))
		e->outstanding = (uint32_t)seq_diff(s->nxt, v->seg->ack);
}

static int64_t liveness_zw_duration(const struct liveness_zw_episode *e)
{
	return (e->end == LIVENESS_ZW_OPEN ? e->last_zero.ts : e->end_ts) - e->start.ts;
}

/* The sender was really held back: it probed, or sent data once it could. */
static bool liveness_zw_blocked(const struct liveness_zw_episode *e)
{
	return e->probes > 0 || e->resumed;
}

/* Keeps the longest episode; counts every finished one. */
static void liveness_zw_commit(struct liveness_zw *zw, int r, const struct detect_config *d)
{
	struct liveness_zw_episode *e = &zw->cur[r];
	int64_t len;

	if (!e->start.frame)
		return;
	len = liveness_zw_duration(e);
	zw->episodes++;
	if (liveness_reached(len, d->zero_window_stall_ns) && liveness_zw_blocked(e))
		zw->stalls++;
	if (!zw->best.start.frame || liveness_zw_blocked(e) > liveness_zw_blocked(&zw->best) ||
	    (liveness_zw_blocked(e) == liveness_zw_blocked(&zw->best) &&
	     len > liveness_zw_duration(&zw->best)))
		zw->best = *e;
	memset(e, 0, sizeof(*e));
}

static void liveness_zw_end(struct liveness_zw_episode *e, const struct seg_view *v, uint8_t how)
{
	e->active = false;
	e->end = how;
	e->end_ts = v->seg->ts_ns;
	e->end_frame = v->seg->frame;
}

/* A segment from R, the endpoint whose window this is. */
static void liveness_zw_from_receiver(struct analyzer *a, struct tcp_conn *c,
				      const struct seg_view *v)
{
	struct liveness_zw *zw = &c->det.liveness.zw;
	struct liveness_zw_episode *e = &zw->cur[v->dir];
	const struct tcp_segment *seg = v->seg;

	if (seg->flags & TH_RST) {
		if (e->active)
			liveness_zw_end(e, v, LIVENESS_ZW_RESET);
		return;
	}
	if (seg->flags & TH_SYN)
		return;
	if (v->events & SEG_ZERO_WINDOW) {
		if (!e->active) {
			liveness_zw_commit(zw, v->dir, &analyzer_config(a)->detect);
			liveness_zw_begin(e, c, v);
			return;
		}
		liveness_mark_seg(&e->last_zero, seg);
		if (e->probe_pending) {
			e->probe_pending = false;
			e->answered++;
			e->last_answer_ts = seg->ts_ns;
		}
	} else if (e->active && seg->window != 0) {
		liveness_zw_end(e, v, LIVENESS_ZW_REOPENED);
		e->reopen_window = c->ep[v->dir].window;
	}
}

/* A segment from S, the endpoint sending into R's window. */
static void liveness_zw_from_sender(struct tcp_conn *c, const struct seg_view *v)
{
	struct liveness_zw_episode *e = &c->det.liveness.zw.cur[!v->dir];
	const struct tcp_segment *seg = v->seg;

	if (!e->active) {
		if (e->end == LIVENESS_ZW_REOPENED && (v->events & SEG_NEW_DATA))
			e->resumed = true;
		if (e->end == LIVENESS_ZW_REOPENED && (seg->flags & TH_RST) && !e->resumed &&
		    !e->reset_frame)
			e->reset_frame = seg->frame;
		return;
	}
	if (seg->flags & TH_RST) {
		liveness_zw_end(e, v, LIVENESS_ZW_RESET);
		return;
	}
	if (!(v->events & SEG_ZERO_WINDOW_PROBE))
		return;
	if (e->probes && seg->ts_ns - e->last_probe.ts < LIVENESS_COPY_NS)
		return;
	/* The previous probe went unanswered: normal when R had answered
	 * something else less than 500 ms before it. */
	if (e->probe_pending && e->last_answer_ts &&
	    e->last_probe.ts - e->last_answer_ts < LIVENESS_RATELIMIT_NS)
		e->rate_limited++;
	if (!e->probes)
		liveness_mark_seg(&e->first_probe, seg);
	else
		e->probe_gap = seg->ts_ns - e->last_probe.ts;
	e->probes++;
	e->probe_pending = true;
	liveness_mark_seg(&e->last_probe, seg);
}

void liveness_zw_segment(struct analyzer *a, struct tcp_conn *c, const struct seg_view *v)
{
	liveness_zw_from_receiver(a, c, v);
	liveness_zw_from_sender(c, v);
}

/* Probes back off like the retransmission timer (§8.4): an overdue one means
 * the sender gave up (§5.1: an orphan, or TCP_USER_TIMEOUT). */
static bool liveness_zw_sender_quit(const struct liveness_zw_episode *e)
{
	return e->probes >= 2 && e->end != LIVENESS_ZW_OPEN &&
	       liveness_overdue(e->probe_gap, e->end_ts - e->last_probe.ts);
}

/* How it ended, and what the sender did meanwhile. */
static void liveness_zw_outcome(struct finding *f, const struct liveness_zw_episode *e,
				int64_t len, uint32_t after)
{
	unsigned long long end = e->end_frame;

	if (e->end == LIVENESS_ZW_REOPENED)
		finding_explain(f, "The window reopened after %.3f s (frame %llu, %u bytes)%s. ",
				explain_secs(len), end, e->reopen_window,
				after ? " and the sender went on sending" : "");
	else if (e->end == LIVENESS_ZW_RESET)
		finding_explain(f, "The connection was reset (frame %llu) %.3f s after the window "
				"closed, still closed. ", end, explain_secs(len));
	else
		finding_explain(f, "The window was still zero at the last advertisement (frame "
				"%llu, %.3f s after it closed) and the capture shows no reopening: "
				"the stall was going on. ",
				(unsigned long long)e->last_zero.frame, explain_secs(len));
	if (liveness_zw_sender_quit(e))
		finding_explain(f, "The sender had stopped probing %.3f s before that (last probe "
				"frame %llu, the next was due after about %.3f s): it had given "
				"up (an orphaned socket after close() out of tcp_orphan_retries, "
				"or TCP_USER_TIMEOUT). ",
				explain_secs(e->end_ts - e->last_probe.ts),
				(unsigned long long)e->last_probe.frame,
				explain_secs(2 * e->probe_gap));
	if (e->reset_frame)
		finding_explain(f, "The sender's host answered the reopened window with a reset "
				"(frame %llu): its socket was gone. ",
				(unsigned long long)e->reset_frame);
}

static void liveness_zw_explain(struct finding *f, const struct tcp_conn *c, int r,
				const struct liveness_zw_episode *e, uint32_t after)
{
	char rb[EXPLAIN_ADDR_MAX], sb[EXPLAIN_ADDR_MAX];
	int64_t len = liveness_zw_duration(e);

	explain_ep(rb, c, r);
	explain_ep(sb, c, !r);
	finding_summary(f, "%s advertised a zero window for %.3f s: its application stopped "
			"reading", rb, explain_secs(len));
	finding_explain(f,
		"%s (the receiver, %s) advertised a zero receive window from frame %llu on: its "
		"kernel's receive buffer was full because the application did not read from the "
		"socket. %s (the sender, %s) had more data to send and could not: ",
		rb, liveness_state(e->state[r]), (unsigned long long)e->start.frame, sb,
		liveness_state(e->state[!r]));
	if (e->probes)
		finding_explain(f, "it sent %u zero-window probes (empty segments, backing off "
				"like its retransmission timer), %u answered with the window still "
				"zero. ",
				e->probes, e->answered);
	else
		finding_explain(f, "it waited for the window to open. ");
	if (e->rate_limited)
		finding_explain(f, "%u unanswered probe(s) came within 500 ms of the previous "
				"answer: Linux answers at most one per 500 ms "
				"(net.ipv4.tcp_invalid_ratelimit), not a loss. ", e->rate_limited);
	if (e->outstanding)
		finding_explain(f, "%u bytes sent beyond the closed window waited for an "
				"acknowledgement. ", e->outstanding);
	liveness_zw_outcome(f, e, len, after);
	finding_explain(f,
		"%sThe network is not at fault: the application on %s is too slow or stuck "
		"(blocked elsewhere, not calling read()/recv(), a worker pool exhausted). Check "
		"its read loop, `ss -tnmi` there (a Recv-Q that stays full), SO_RCVBUF and "
		"net.ipv4.tcp_rmem, `nstat -az TcpExtTCPZeroWindowDrop`.",
		explain_vantage(c), rb);
}

/* One finding per connection: the longest stall, whichever side it was. */
void liveness_zw_report(struct analyzer *a, struct tcp_conn *c)
{
	const struct detect_config *d = &analyzer_config(a)->detect;
	struct liveness_zw *zw = &c->det.liveness.zw;
	const struct liveness_zw_episode *e = &zw->best;
	const struct tcp_endpoint *s;
	uint32_t after = 0, waited;
	struct finding f;
	int64_t len;
	int r;

	for (r = CLIENT; r <= SERVER; r++) {
		if (zw->cur[r].active)
			zw->cur[r].end = LIVENESS_ZW_OPEN;
		liveness_zw_commit(zw, r, d);
	}
	r = (int)e->side;
	s = &c->ep[!r];
	len = liveness_zw_duration(e);
	if (!e->start.frame || !liveness_zw_blocked(e) ||
	    !liveness_reached(len, d->zero_window_stall_ns))
		return;
	waited = e->ack + e->outstanding;
	if (e->end == LIVENESS_ZW_REOPENED && s->seq_known && seq_gt(s->nxt, waited))
		after = (uint32_t)seq_diff(s->nxt, waited);

	finding_init(&f, KIND_ZERO_WINDOW_STALL, c);
	if (liveness_reached(len, d->zero_window_critical_ns))
		f.severity = SEV_CRITICAL;
	f.confidence = e->answered || e->end == LIVENESS_ZW_REOPENED ? 1.0 : 0.8;
	finding_frame(&f, e->start.frame, e->start.ts);
	finding_frame(&f, e->first_probe.frame, e->first_probe.ts);
	finding_frame(&f, e->last_probe.frame, e->last_probe.ts);
	finding_frame(&f, e->last_zero.frame, e->last_zero.ts);
	if (e->end != LIVENESS_ZW_OPEN)
		finding_frame(&f, e->end_frame, e->end_ts);
	finding_secs(&f, "zero_window_s", len);
	finding_int(&f, "probes", e->probes);
	finding_int(&f, "probes_answered", e->answered);
	finding_int(&f, "probes_rate_limited", e->rate_limited);
	finding_bool(&f, "reopened", e->end == LIVENESS_ZW_REOPENED);
	if (e->end == LIVENESS_ZW_REOPENED) {
		finding_int(&f, "reopen_frame", (int64_t)e->end_frame);
		finding_int(&f, "reopen_window", e->reopen_window);
		finding_int(&f, "bytes_sent_after_reopen", after);
	}
	finding_int(&f, "receiver_ack", e->ack);
	finding_int(&f, "bytes_outstanding", e->outstanding);
	finding_int(&f, "zero_window_episodes", zw->episodes);
	finding_int(&f, "stalls", zw->stalls);
	finding_text(&f, "slow_side", explain_role(r));
	liveness_zw_explain(&f, c, r, e, after);
	analyzer_report(a, c, &f);
}
