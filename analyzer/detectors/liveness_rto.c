/*
 * liveness_rto.c - a sender that gives up re-sending into silence
 * (retransmission_timeout_death, kernel-signatures.md §7.4, §8.3): one segment
 * re-sent with the retransmission timer's doubling gaps, nothing at all from
 * the peer, then silence past the next re-send.
 *
 * Per sender, the oldest unacknowledged new data (what a timer re-sends) and
 * the current run of re-sends of one segment (struct liveness_rto).
 */
#include "config.h"

#include <stdio.h>

#include "analyzer/analyzer.h"
#include "analyzer/classify.h"
#include "analyzer/detectors/explain.h"
#include "analyzer/detectors/liveness_int.h"
#include "analyzer/seq.h"

/* Frames of the run so far: the original, when listed, and every re-send. */
static uint64_t liveness_rto_listed(const struct liveness_rto *r)
{
	return (uint64_t)r->count + r->from_original;
}

static bool liveness_rto_candidate(const struct tcp_endpoint *s, const struct seg_view *v)
{
	const struct tcp_segment *seg = v->seg;

	/* A FIN re-sent by a closer is orphan_fin_wait1_stall's (§5.3). */
	return seg->payload_len > 0 && !(seg->flags & (TH_SYN | TH_FIN | TH_RST)) &&
	       (v->events & SEG_RETRANSMISSION) && !(v->events & SEG_SPURIOUS_RETRANS) &&
	       !s->fin_sent;
}

static void liveness_rto_gap(struct liveness_rto *r, int64_t gap)
{
	if (r->ngaps == 0)
		r->first_gap = gap;
	else if (gap + liveness_tolerance(r->last_gap) < r->last_gap)
		r->backoff_ok = false;
	r->last_gap = gap;
	if (r->ngaps < LIVENESS_FRAMES)
		r->gaps_ms[r->ngaps++] = (uint32_t)((gap + NS_PER_MS / 2) / NS_PER_MS);
}

static void liveness_rto_start(struct liveness_rto *r, const struct tcp_conn *c,
			       const struct seg_view *v)
{
	const struct tcp_segment *seg = v->seg;
	const struct tcp_endpoint *s = &c->ep[v->dir], *p = &c->ep[!v->dir];

	r->count = 0;
	r->ngaps = 0;
	r->backoff_ok = true;
	r->seq = seg->seq;
	r->len = seg->payload_len;
	liveness_states(r->state, v);
	r->outstanding = p->ack_known && seq_gt(s->nxt, p->ack)
				 ? (uint32_t)seq_diff(s->nxt, p->ack) : 0;
	r->from_original = r->head_valid && r->head_seq == seg->seq;
	r->first_ts = r->last_ts = r->from_original ? r->head.ts : seg->ts_ns;
	if (r->from_original)
		liveness_frames_add(&r->frames, 0, r->head.frame, r->head.ts);
}

/* When the next re-send was due: the gap doubles up to TCP_RTO_MAX. */
static int64_t liveness_rto_next(const struct liveness_rto *r)
{
	int64_t gap = 2 * r->last_gap;

	return gap > LIVENESS_RTO_MAX_NS ? LIVENESS_RTO_MAX_NS : gap;
}

static bool liveness_rto_qualifies(const struct liveness_rto *r, const struct detect_config *d)
{
	if (r->count < (uint32_t)d->rto_death || !r->backoff_ok || r->ngaps < 2)
		return false;
	/* Doubling: the schedule grew, unless it already sat at TCP_RTO_MAX. */
	return r->last_gap >= r->first_gap + r->first_gap / 2 ||
	       r->first_gap >= LIVENESS_RTO_MAX_NS - liveness_tolerance(LIVENESS_RTO_MAX_NS);
}

/* Something that would end the run: keep it if the sender had already given up. */
static void liveness_rto_interrupt(struct analyzer *a, struct liveness_rto *r,
				   const struct seg_view *v, bool from_peer)
{
	if (!r->count || r->dead)
		return;
	if (liveness_rto_qualifies(r, &analyzer_config(a)->detect) &&
	    liveness_overdue(r->last_gap, v->seg->ts_ns - r->last_ts)) {
		r->dead = true;
		if (from_peer)
			liveness_mark_seg(&r->peer_later, v->seg);
		return;
	}
	r->count = 0;
}

static void liveness_rto_from_sender(struct analyzer *a, struct tcp_conn *c,
				     const struct seg_view *v)
{
	struct liveness_rto *r = &c->det.liveness.rto[v->dir];
	const struct tcp_segment *seg = v->seg;
	int64_t gap;

	if (r->dead)
		return;
	if (seg->flags & TH_RST) {
		liveness_rto_interrupt(a, r, v, false);
		return;
	}
	if ((v->events & SEG_NEW_DATA) && seg->payload_len && !r->head_valid) {
		r->head_valid = true;
		r->head_seq = seg->seq;
		liveness_mark_seg(&r->head, seg);
	}
	if (!liveness_rto_candidate(&c->ep[v->dir], v))
		return;
	if (!r->count || seg->seq != r->seq) {
		/* A copy of the original transmission is no re-send. */
		if (r->head_valid && r->head_seq == seg->seq &&
		    seg->ts_ns - r->head.ts < LIVENESS_COPY_NS)
			return;
		liveness_rto_start(r, c, v);
	}
	gap = seg->ts_ns - r->last_ts;
	if (r->count && gap < LIVENESS_COPY_NS)
		return;
	if (r->count || r->from_original)
		liveness_rto_gap(r, gap);
	liveness_frames_add(&r->frames, liveness_rto_listed(r), seg->frame, seg->ts_ns);
	r->count++;
	r->last_ts = seg->ts_ns;
}

/* A segment from the peer of sender r: an acknowledgement, or any sign of life. */
static void liveness_rto_from_peer(struct analyzer *a, struct tcp_conn *c,
				   const struct seg_view *v)
{
	struct liveness_rto *r = &c->det.liveness.rto[!v->dir];
	const struct tcp_segment *seg = v->seg;

	if ((seg->flags & TH_ACK) && r->head_valid && seq_gt(seg->ack, r->head_seq))
		r->head_valid = false;
	/* Acknowledged: an ordinary retransmission that worked. */
	if (r->count && !r->dead && (seg->flags & TH_ACK) && seq_gt(seg->ack, r->seq)) {
		r->count = 0;
		return;
	}
	liveness_rto_interrupt(a, r, v, true);
}

void liveness_rto_segment(struct analyzer *a, struct tcp_conn *c, const struct seg_view *v)
{
	liveness_rto_from_sender(a, c, v);
	liveness_rto_from_peer(a, c, v);
}

static void liveness_rto_schedule(char *buf, size_t len, const struct liveness_rto *r)
{
	size_t used = 0;

	buf[0] = '\0';
	for (uint8_t i = 0; i < r->ngaps && used + 13 < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%u.%03u", i ? "," : "",
					 r->gaps_ms[i] / 1000, r->gaps_ms[i] % 1000);
	if (r->count - 1 + r->from_original > r->ngaps && used + 4 < len)
		snprintf(buf + used, len - used, ",...");
}

static void liveness_rto_explain(struct finding *f, const struct tcp_conn *c, int s,
				 const struct liveness_rto *r, bool unresolved, int64_t silence,
				 int64_t next)
{
	char sb[EXPLAIN_ADDR_MAX], pb[EXPLAIN_ADDR_MAX], sched[64];
	int64_t life = r->last_ts - r->first_ts + next;

	explain_ep(sb, c, s);
	explain_ep(pb, c, !s);
	liveness_rto_schedule(sched, sizeof(sched), r);
	finding_explain(f,
		"%s (the sender, %s) sent %u bytes at seq %u and never got them acknowledged: it "
		"re-sent them %u times, at gaps of %s s %s, its retransmission timer doubling "
		"each time, and %s (the receiver, presumed %s) sent nothing at all, no "
		"acknowledgement, no reset. ",
		sb, liveness_state(r->state[s]), r->len, r->seq, r->count, sched,
		r->from_original ? "from the first transmission on" : "between re-sends", pb,
		liveness_state(r->state[!s]));
	if (unresolved)
		finding_explain(f, "The capture ends %.3f s after the last re-send, before the "
				"next was due (after about %.3f s): whether the sender kept "
				"trying, got an answer or gave up is not in the capture "
				"(unresolved). ",
				explain_secs(silence), explain_secs(next));
	else
		finding_explain(f, "Then the sender went silent for %.3f s though its next re-send "
				"was due after about %.3f s: it gave up, about %.3f s after the "
				"first transmission. Linux does so without a packet when "
				"tcp_retries2 (default 15, about 924.6 s) or the socket's "
				"TCP_USER_TIMEOUT runs out; the application gets ETIMEDOUT "
				"(tcp_write_timeout() in net/ipv4/tcp_timer.c).%s ",
				explain_secs(silence), explain_secs(next), explain_secs(life),
				life < 600 * NS_PER_S ? " Giving up that soon means tcp_retries2 "
				"was lowered or TCP_USER_TIMEOUT is set." : "");
	if (r->peer_later.frame)
		finding_explain(f, "When the receiver sent again (frame %llu) the sender had "
				"already given up. ", (unsigned long long)r->peer_later.frame);
	if (explain_at(c, !s))
		finding_explain(f, "The capture was taken at the receiver: the re-sends reached "
				"its host and went unanswered, so its own stack or a firewall on "
				"it dropped them (a filter, lost conntrack state, a hung host). ");
	else
		finding_explain(f, "%sThe receiver or the path to it went dark: host down or "
				"rebooted, link or route cut, a firewall or NAT that lost the "
				"connection's state or filters it. ", explain_vantage(c));
	finding_explain(f,
		"If alive, the receiver may still believe the connection open. Check that %s is "
		"reachable (ping, `ip route get`), the firewalls and conntrack between the hosts, "
		"and on %s `nstat -az TcpExtTCPAbortOnTimeout` and `sysctl net.ipv4.tcp_retries2`.",
		pb, sb);
}

void liveness_rto_report(struct analyzer *a, struct tcp_conn *c, int s)
{
	const struct detect_config *d = &analyzer_config(a)->detect;
	struct liveness_rto *r = &c->det.liveness.rto[s];
	const struct tcp_endpoint *p = &c->ep[!s];
	int64_t now = liveness_now(a, c), next, silence;
	bool unresolved;
	struct finding f;
	char sb[EXPLAIN_ADDR_MAX], sched[64];

	if (!r->count || !liveness_rto_qualifies(r, d))
		return;
	next = liveness_rto_next(r);
	silence = (r->dead && r->peer_later.frame ? r->peer_later.ts : now) - r->last_ts;
	unresolved = !r->dead && !liveness_overdue(r->last_gap, silence);

	finding_init(&f, KIND_RETRANSMISSION_TIMEOUT_DEATH, c);
	f.confidence = unresolved ? 0.5 : p->packets ? 1.0 : 0.6;
	if (unresolved)
		f.severity = SEV_WARNING;
	liveness_frames_report(&f, &r->frames, liveness_rto_listed(r), r->last_ts);
	finding_int(&f, "retransmissions", r->count);
	finding_int(&f, "seq", r->seq);
	finding_int(&f, "len", r->len);
	finding_int(&f, "bytes_outstanding", r->outstanding);
	finding_secs(&f, "first_gap_s", r->first_gap);
	finding_secs(&f, "last_gap_s", r->last_gap);
	finding_secs(&f, "retransmitting_s", r->last_ts - r->first_ts);
	finding_secs(&f, "silence_s", silence);
	finding_secs(&f, "next_due_s", next);
	finding_bool(&f, "unresolved", unresolved);
	finding_bool(&f, "peer_seen", p->packets > 0);
	liveness_rto_schedule(sched, sizeof(sched), r);
	finding_text(&f, "schedule_s", sched);
	explain_ep(sb, c, s);
	if (unresolved)
		finding_summary(&f, "%s re-sent one segment %u times with growing gaps and got no "
				"answer before the capture ended", sb, r->count);
	else
		finding_summary(&f, "%s re-sent one segment %u times into silence and gave up: "
				"the peer or the path went dark", sb, r->count);
	liveness_rto_explain(&f, c, s, r, unresolved, silence, next);
	if (!p->packets)
		finding_explain(&f, " The receiver was never seen in this capture at all, so "
				"its answers may simply take another path (lower confidence).");
	analyzer_report(a, c, &f);
}
