/*
 * teardown.c - the teardown detector's bookkeeping and hooks: how connections
 * end badly (ANOMALIES.md; kernel-signatures.md §0.1, §4, §5, §7).
 *
 * on_segment only records (teardown.h): the half-closed period after the first
 * acknowledged FIN and the other side's silences in it, FIN re-sends and
 * zero-window probes, and the first RST this family can explain. Findings are
 * made when the connection is finalised, when its whole story is known, and
 * written apart: the half-closed period's (fin_wait2_stall,
 * fin_wait2_expired_rst, data_after_close_reset) in teardown_fin_wait2.c, the
 * orphans' and the resets' (orphan_fin_wait1_stall, abortive_close,
 * rst_no_socket) in teardown_abort.c; teardown_int.h holds what they share.
 * Segments in the previous incarnation's sequence space (challenge ACKs and the
 * RSTs answering them) belong to the reuse family and are ignored here, and so
 * is the RST a full accept queue sends (the listener family's).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "analyzer/analyzer.h"
#include "analyzer/classify.h"
#include "analyzer/detector.h"
#include "analyzer/detectors/explain.h"
#include "analyzer/detectors/teardown_int.h"
#include "analyzer/seq.h"

struct teardown_state {
	int64_t latest_ns;		/* latest segment seen in the current timeline */
	const struct capture_info *ci;	/* the capture it belongs to */
};

extern const struct detector detector_teardown;

/* --- bookkeeping helpers ------------------------------------------------------ */

static struct teardown_mark teardown_mark(const struct tcp_segment *seg)
{
	struct teardown_mark m = { seg->frame, seg->ts_ns };

	return m;
}

/* Payload that is the application's, not a 1-byte keep-alive or probe. */
static bool teardown_is_data(const struct tcp_segment *seg, uint32_t events)
{
	return seg->payload_len > 0 && !teardown_is_probe(events);
}

/* --- on_segment: sides ----------------------------------------------------------- */

static void teardown_track_data(struct teardown_conn *td, int x, const struct seg_view *v)
{
	struct teardown_side *s = &td->side[x], *p = &td->side[!x];
	const struct tcp_segment *seg = v->seg;

	if (!teardown_is_data(seg, v->events) ||
	    !(v->events & (SEG_NEW_DATA | SEG_PREV_NOT_CAPTURED)))
		return;
	s->sent_data = true;
	s->rcvd_since_send = 0;
	s->probes = 0;
	s->probe_answers = 0;
	if (!p->rcvd_since_send)
		p->rcvd_first = teardown_mark(seg);
	p->rcvd_since_send += seg->payload_len;
}

/* Re-sends of an unacknowledged FIN, or of data queued before it (§5.1). */
static void teardown_track_fin(struct tcp_conn *c, int x, const struct seg_view *v)
{
	struct teardown_side *s = &c->det.teardown.side[x];
	const struct tcp_endpoint *e = &c->ep[x], *peer = &c->ep[!x];
	const struct tcp_segment *seg = v->seg;
	int64_t gap;

	/* This segment acknowledges the peer's FIN. */
	if (peer->fin_sent && (seg->flags & TH_ACK) && seq_geq(seg->ack, peer->fin_seq + 1))
		c->det.teardown.side[!x].fin_acked = true;
	if (!e->fin_sent || s->fin_acked || seg->frame == e->fin_frame ||
	    !(v->events & SEG_RETRANSMISSION) || (v->events & SEG_SPURIOUS_RETRANS))
		return;
	gap = seg->ts_ns - (s->fin_resends ? s->fin_last.ts_ns : e->fin_ts_ns);
	if (!s->fin_resends)
		s->fin_gap_first_ns = gap;
	s->fin_gap_last_ns = gap;
	if (s->fin_resends < TEARDOWN_RESEND_FRAMES)
		s->fin_frames[s->fin_resends] = seg->frame;
	if (s->fin_resends < UINT16_MAX)
		s->fin_resends++;
	s->fin_last = teardown_mark(seg);
}

/* Zero-window probes, and the peer's zero-window answers to them. */
static void teardown_track_probes(struct teardown_conn *td, int x, const struct seg_view *v)
{
	struct teardown_side *s = &td->side[x], *p = &td->side[!x];
	const struct tcp_segment *seg = v->seg;

	if (v->events & SEG_ZERO_WINDOW_PROBE) {
		if (s->probes)
			s->probe_gap_ns = seg->ts_ns - s->probe_last.ts_ns;
		else
			s->probe_first_ns = seg->ts_ns;
		if (s->probes < TEARDOWN_RESEND_FRAMES)
			s->probe_frames[s->probes] = seg->frame;
		if (s->probes < UINT16_MAX)
			s->probes++;
		s->probe_last = teardown_mark(seg);
	}
	if ((v->events & SEG_ZERO_WINDOW) && p->probes && seg->ts_ns >= p->probe_last.ts_ns &&
	    p->probe_answers < UINT16_MAX)
		p->probe_answers++;
}

static void teardown_remember(struct teardown_conn *td, int x, const struct seg_view *v)
{
	struct teardown_side *s = &td->side[x];
	const struct tcp_segment *seg = v->seg;

	s->last = teardown_mark(seg);
	s->last_ack = seg->ack;
	s->last_seq = seg->seq;
	s->last_len = seg->payload_len;
	s->last_events = v->events;
	s->last_flags = seg->flags;
	/* An answer from the peer ends a run of unanswered timer segments. */
	s->timer_driven = v->events & (SEG_KEEPALIVE | SEG_ZERO_WINDOW_PROBE | SEG_RETRANSMISSION);
	td->side[!x].timer_driven = false;
}

/* --- on_segment: the half-closed period (§4) ------------------------------------------ */

static void teardown_hc_gap(struct teardown_halfclose *h, const struct teardown_mark *to)
{
	int64_t g = to->ts_ns - h->mark.ts_ns;

	h->last_gap_ns = g;
	if (!h->gap_to.frame || g > h->gap_to.ts_ns - h->gap_from.ts_ns) {
		h->gap_from = h->mark;
		h->gap_to = *to;
	}
}

static void teardown_hc_end(struct teardown_halfclose *h, const struct teardown_mark *m,
			    enum teardown_hc_end why)
{
	if (m->frame != h->mark.frame)	/* late data already ended its silence */
		teardown_hc_gap(h, m);
	h->end = *m;
	h->ended_by = (uint8_t)why;
	h->state = HC_DONE;
}

/* The first segment that acknowledges a FIN while its sender has not closed
 * yet opens the half-closed period: its sender is in CLOSE-WAIT from here. */
static void teardown_hc_open(struct tcp_conn *c, int x, const struct seg_view *v)
{
	struct teardown_halfclose *h = &c->det.teardown.hc;
	const struct tcp_endpoint *closer = &c->ep[!x];
	const struct tcp_segment *seg = v->seg;

	if (!(seg->flags & TH_ACK) || !closer->fin_sent || !seq_geq(seg->ack, closer->fin_seq + 1))
		return;
	if (c->ep[x].fin_sent) {
		h->state = HC_NEVER;	/* both closed: an ordinary or simultaneous close */
		return;
	}
	h->state = HC_OPEN;
	h->closer = (uint8_t)!x;
	h->fin_ack = teardown_mark(seg);
	h->mark = h->fin_ack;
	h->open_nxt = seg->seq;
	if (teardown_is_data(seg, v->events))
		h->data_segs++;
}

static void teardown_halfclose(struct tcp_conn *c, int x, const struct seg_view *v)
{
	struct teardown_halfclose *h = &c->det.teardown.hc;
	const struct tcp_segment *seg = v->seg;
	struct teardown_mark m = teardown_mark(seg);

	if (h->state == HC_NONE) {
		teardown_hc_open(c, x, v);
		return;
	}
	if (h->state != HC_OPEN)
		return;
	if (x == h->closer) {
		/* Legitimate half-close: the closer still reads (§4.3). */
		if (h->data_segs && (seg->flags & TH_ACK) && seq_gt(seg->ack, h->open_nxt))
			h->data_acked = true;
		return;
	}
	if (seg->flags & TH_FIN) {
		teardown_hc_end(h, &m, HC_END_FIN);
	} else if (teardown_is_data(seg, v->events)) {
		teardown_hc_gap(h, &m);
		h->mark = m;
		h->data_segs++;
	}
}

/* --- on_segment: RSTs ---------------------------------------------------------------- */

/* The closer's host answering a late segment with `R` at its FIN + 1 (§4.1, §4.3):
 * recorded for fin_wait2_expired_rst / data_after_close_reset. */
static bool teardown_late_reset(struct tcp_conn *c, int x, const struct seg_view *v)
{
	struct teardown_conn *td = &c->det.teardown;
	struct teardown_halfclose *h = &td->hc;
	const struct teardown_side *b = &td->side[!x];

	if ((h->state != HC_OPEN && h->state != HC_DONE) || x != h->closer ||
	    !(v->events & SEG_RST_STATELESS) || v->seg->seq != c->ep[x].fin_seq + 1)
		return false;
	if (h->late_rst.frame || !b->last.frame)
		return true;
	h->late_rst = teardown_mark(v->seg);
	h->late_seg = b->last;
	h->late_len = b->last_len;
	h->late_flags = b->last_flags;
	h->late_events = b->last_events;
	if (h->state == HC_OPEN)
		teardown_hc_end(h, &b->last, HC_END_LATE_RESET);
	return true;
}

/* The orphan's host answering the peer once the orphan is gone (§5.2): its
 * probing stopped, or its FIN was never acknowledged. */
static bool teardown_dead(struct tcp_conn *c, int x, const struct seg_view *v)
{
	struct teardown_conn *td = &c->det.teardown;
	const struct teardown_side *s = &td->side[x], *p = &td->side[!x];

	if (td->dead.rst.frame)
		return td->dead.side == x;
	if (!s->probes && !(c->ep[x].fin_sent && !s->fin_acked && s->fin_resends))
		return false;
	if (!(p->last_flags & TH_ACK) || p->last_ack != v->seg->seq)
		return false;
	td->dead.side = (uint8_t)x;
	td->dead.rst = teardown_mark(v->seg);
	td->dead.trigger = p->last;
	return true;
}

/* The listener family's: `R` seq = ISN_s + 1 from a server that never got
 * beyond its SYN-ACK (accept_queue_overflow_reset, an expired request, §1). */
static bool teardown_listener_reset(const struct tcp_conn *c, int x, const struct tcp_segment *seg)
{
	const struct tcp_endpoint *sv = &c->ep[SERVER];

	return x == SERVER && sv->isn_known && seg->seq == sv->isn + 1 && sv->nxt == sv->isn + 1;
}

/* A stateless RST leaves the host within microseconds of the segment it
 * answers, so it is seen at most about one round trip later (the capture near
 * the peer); without a timed handshake, 1 s bounds it. */
#define TEARDOWN_NOSOCK_SLACK_NS (20 * NS_PER_MS)
#define TEARDOWN_NOSOCK_UNTIMED_NS NS_PER_S

static bool teardown_nosock_prompt(const struct tcp_conn *c, const struct teardown_side *p,
				   const struct tcp_segment *seg)
{
	int64_t limit = c->handshake_rtt_ns > 0 ?
				2 * c->handshake_rtt_ns + TEARDOWN_NOSOCK_SLACK_NS :
				TEARDOWN_NOSOCK_UNTIMED_NS;

	return seg->ts_ns - p->last.ts_ns <= limit;
}

/*
 * Not a socket that is gone, though the RST is at the trigger's ack: the
 * sender had sent its FIN and the trigger is data after it (a closed socket
 * resetting late data, data_after_close_reset, §4.5); the sender's previous
 * segment was its own FIN, or it leaves the peer's earlier data
 * unacknowledged (an abortive close, §7.1); or the connection was picked up
 * mid-stream, so nothing shows that it was ever established here.
 */
static bool teardown_nosock_lookalike(const struct tcp_conn *c, int x, const struct seg_view *v)
{
	const struct teardown_side *s = &c->det.teardown.side[x], *p = &c->det.teardown.side[!x];
	const struct tcp_endpoint *e = &c->ep[x], *peer = &c->ep[!x];
	const struct tcp_segment *seg = v->seg;

	if (c->flags & CONN_MIDSTREAM)
		return true;
	if (e->fin_sent && p->last_len && v->before[x] != TCP_TIME_WAIT)
		return true;
	if (s->last.frame && (s->last_flags & TH_FIN))
		return true;
	if ((seg->flags & TH_ACK) && peer->seq_known && seq_lt(seg->ack, peer->nxt))
		return true;
	return e->ack_known && seq_lt(e->ack, p->last_seq);
}

static void teardown_stateless(struct tcp_conn *c, int x, const struct seg_view *v)
{
	struct teardown_conn *td = &c->det.teardown;
	const struct teardown_side *s = &td->side[x], *p = &td->side[!x];
	struct teardown_rst *r = &td->nosock;

	if (teardown_dead(c, x, v) || teardown_listener_reset(c, x, v->seg))
		return;
	if (td->nosock.rst.frame || td->abort.rst.frame || !(v->events & SEG_RST_EXACT) ||
	    !tcp_state_synchronized(v->before[x]))
		return;
	/* §7.3: seq = the ack of the segment it answers. */
	if (!(p->last_flags & TH_ACK) || p->last_ack != v->seg->seq)
		return;
	if (!teardown_nosock_prompt(c, p, v->seg) || teardown_nosock_lookalike(c, x, v))
		return;
	r->side = (uint8_t)x;
	r->state = (uint8_t)v->before[x];
	r->rst = teardown_mark(v->seg);
	r->trigger = p->last;
	r->trigger_len = p->last_len;
	r->before = s->last;
	r->seq = v->seg->seq;
	r->timer_gone = s->last_events & SEG_RETRANSMISSION;
}

/* `R.` at snd_nxt from an endpoint that never sent FIN (§7.1, §7.2). */
static void teardown_active(struct tcp_conn *c, int x, const struct seg_view *v)
{
	struct teardown_conn *td = &c->det.teardown;
	const struct teardown_side *s = &td->side[x];
	const struct tcp_endpoint *e = &c->ep[x], *peer = &c->ep[!x];
	const struct tcp_segment *seg = v->seg;
	struct teardown_rst *r = &td->abort;

	if (r->rst.frame || td->nosock.rst.frame || e->fin_sent || !e->seq_known ||
	    seg->seq != e->nxt)
		return;
	if (v->before[x] != TCP_ESTABLISHED && v->before[x] != TCP_CLOSE_WAIT)
		return;
	/* A reset after unanswered keep-alives or re-sends is the timer's
	 * (keepalive_dead_peer, §6.1), not the application's. */
	if (s->timer_driven)
		return;
	r->side = (uint8_t)x;
	r->state = (uint8_t)v->before[x];
	r->rst = teardown_mark(seg);
	r->before = s->last;
	r->seq = seg->seq;
	r->unread = s->rcvd_since_send;
	r->unread_first = s->rcvd_first;
	r->sent_data = s->sent_data;
	if (peer->seq_known && seq_gt(peer->nxt, seg->ack))
		r->in_flight = seq_diff(peer->nxt, seg->ack);
}

static void teardown_rst(struct tcp_conn *c, int x, const struct seg_view *v)
{
	struct teardown_halfclose *h = &c->det.teardown.hc;
	struct teardown_mark m = teardown_mark(v->seg);

	if (teardown_late_reset(c, x, v))
		return;
	if (h->state == HC_OPEN)
		teardown_hc_end(h, &m, x == h->closer ? HC_END_CLOSER_RST : HC_END_RST);
	if (v->events & SEG_RST_STATELESS)
		teardown_stateless(c, x, v);
	else if (v->seg->flags & TH_ACK)
		teardown_active(c, x, v);
}

/* --- on_segment --------------------------------------------------------------------- */

static void teardown_clock(struct analyzer *a, const struct tcp_segment *seg)
{
	struct teardown_state *st = analyzer_detector_state(a, &detector_teardown);
	const struct capture_info *ci = analyzer_capture(a);

	if (!st)
		return;
	/* Another view of the traffic starts the timeline afresh (analyzer.h). */
	if (ci != st->ci) {
		if (ci && !ci->continued)
			st->latest_ns = 0;
		st->ci = ci;
	}
	if (seg->ts_ns > st->latest_ns)
		st->latest_ns = seg->ts_ns;
}

static void teardown_segment(struct analyzer *a, struct tcp_conn *c, const struct seg_view *v)
{
	struct teardown_conn *td = &c->det.teardown;
	int x = v->dir == DIR_C2S ? CLIENT : SERVER;

	teardown_clock(a, v->seg);
	/* The previous incarnation's challenge ACK and the RST answering it. */
	if (c->ep[x].last_old_space)
		return;
	if (v->seg->flags & TH_RST) {
		teardown_rst(c, x, v);
		return;
	}
	/* It lived on after its own RST: that RST closed nothing. */
	if ((td->abort.rst.frame && td->abort.side == x) ||
	    (td->nosock.rst.frame && td->nosock.side == x))
		td->side[x].after_rst = true;
	teardown_track_data(td, x, v);
	teardown_track_fin(c, x, v);
	teardown_track_probes(td, x, v);
	teardown_halfclose(c, x, v);
	teardown_remember(td, x, v);
}

/* --- shared by the findings -------------------------------------------------------- */

/* The end of the time the capture is known to cover, for this connection:
 * other traffic (a heartbeat) proves silence, the connection's own last
 * segment does not reach beyond itself. */
int64_t teardown_coverage(struct analyzer *a, const struct tcp_conn *c)
{
	const struct teardown_state *st = analyzer_detector_state(a, &detector_teardown);
	const struct capture_info *ci = analyzer_capture(a);
	int64_t end = c->last_ts_ns;

	if (st && st->latest_ns > end)
		end = st->latest_ns;
	if (c->end == END_CAPTURE && ci && ci->last_ts_ns > end)
		end = ci->last_ts_ns;
	if (c->end == END_IDLE && c->last_ts_ns + analyzer_config(a)->idle_timeout_ns > end)
		end = c->last_ts_ns + analyzer_config(a)->idle_timeout_ns;
	return end;
}

/* "the client 192.0.2.1:50952" (or "The client ...") into buf (EXPLAIN_ADDR_MAX + 16). */
const char *teardown_intro(char *buf, const struct tcp_conn *c, int side, bool cap)
{
	char addr[EXPLAIN_ADDR_MAX];

	snprintf(buf, EXPLAIN_ADDR_MAX + 16, "%s %s", cap ? teardown_Who(side) : teardown_who(side),
		 explain_ep(addr, c, side));
	return buf;
}

/* --- hooks ---------------------------------------------------------------------------- */

static void teardown_conn_end(struct analyzer *a, struct tcp_conn *c)
{
	bool leaked;

	teardown_report_orphans(a, c);
	leaked = teardown_report_stall(a, c);
	teardown_report_late(a, c, leaked);
	teardown_report_abort(a, c);
	teardown_report_nosock(a, c);
}

static void *teardown_new_state(const struct analyzer *a)
{
	(void)a;
	return calloc(1, sizeof(struct teardown_state));
}

const struct detector detector_teardown = {
	.name = "teardown",
	.new_state = teardown_new_state,
	.free_state = free,
	.on_segment = teardown_segment,
	.on_conn_end = teardown_conn_end,
};
