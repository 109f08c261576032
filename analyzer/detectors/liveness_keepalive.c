/*
 * liveness_keepalive.c - a keep-alive prober whose peer is gone
 * (keepalive_dead_peer, kernel-signatures.md §6.1-6.3): probes at a constant
 * interval on an idle connection, none answered, then the prober's reset.
 *
 * Per prober, the current run of unanswered probes (struct liveness_ka).
 */
#include "config.h"

#include "analyzer/analyzer.h"
#include "analyzer/classify.h"
#include "analyzer/detectors/explain.h"
#include "analyzer/detectors/liveness_int.h"

static void liveness_ka_from_prober(struct analyzer *a, struct tcp_conn *c,
				    const struct seg_view *v)
{
	struct liveness_ka *k = &c->det.liveness.ka[v->dir];
	const struct tcp_segment *seg = v->seg;
	int64_t gap;

	if (k->dead)
		return;
	if (seg->flags & TH_RST) {
		if (k->unanswered >= (uint32_t)analyzer_config(a)->detect.keepalive_dead) {
			k->dead = true;
			liveness_mark_seg(&k->rst, seg);
			k->rst_ack = !!(seg->flags & TH_ACK);
		}
		return;
	}
	if (!(v->events & SEG_KEEPALIVE)) {
		/* Data or anything else: the connection is not idle. A copy of the
		 * latest probe is no new segment. */
		if (!(k->unanswered && seg->ts_ns - k->last_ts < LIVENESS_COPY_NS))
			k->unanswered = 0;
		return;
	}
	gap = seg->ts_ns - k->last_ts;
	if (k->unanswered && gap < LIVENESS_COPY_NS)
		return;
	if (!k->unanswered) {
		k->min_gap = k->max_gap = 0;
		liveness_states(k->state, v);
	} else {
		if (!k->min_gap || gap < k->min_gap)
			k->min_gap = gap;
		if (gap > k->max_gap)
			k->max_gap = gap;
	}
	/* The first probe of a run starts the list again. */
	liveness_frames_add(&k->frames, k->unanswered, seg->frame, seg->ts_ns);
	k->unanswered++;
	k->last_ts = seg->ts_ns;
}

static void liveness_ka_from_peer(struct tcp_conn *c, const struct seg_view *v)
{
	struct liveness_ka *k = &c->det.liveness.ka[!v->dir];

	if (k->dead)
		return;
	if (k->unanswered) {
		k->answered += k->unanswered;
		k->unanswered = 0;
	}
	k->last_answer_ts = v->seg->ts_ns;
}

void liveness_ka_segment(struct analyzer *a, struct tcp_conn *c, const struct seg_view *v)
{
	liveness_ka_from_prober(a, c, v);
	liveness_ka_from_peer(c, v);
}

/* Constant spacing: the keep-alive interval, not a backoff (§6.3). */
static bool liveness_ka_constant(const struct tcp_conn *c, const struct liveness_ka *k)
{
	int64_t slack = liveness_tolerance(k->min_gap);

	if (c->handshake_rtt_ns > 0)
		slack += c->handshake_rtt_ns;
	return k->unanswered < 2 || k->max_gap - k->min_gap <= slack;
}

static void liveness_ka_explain(struct finding *f, const struct tcp_conn *c, int s,
				const struct liveness_ka *k, int64_t interval)
{
	char sb[EXPLAIN_ADDR_MAX], pb[EXPLAIN_ADDR_MAX];

	explain_ep(sb, c, s);
	explain_ep(pb, c, !s);
	finding_explain(f,
		"%s (the prober, %s) uses TCP keep-alive (SO_KEEPALIVE): on the idle connection "
		"its kernel sent probes (empty ACKs one byte below its next sequence number) "
		"every %.3f s. ",
		sb, liveness_state(k->state[s]), explain_secs(interval));
	if (k->answered)
		finding_explain(f, "The first %u were answered: the peer was alive then. ",
				k->answered);
	finding_explain(f,
		"The last %u got no answer at all from %s (presumed %s), and %s then reset the "
		"connection (frame %llu, %.3f s after the last probe): after tcp_keepalive_probes "
		"unanswered probes its kernel declares the peer dead, sends the reset and fails "
		"the socket with ETIMEDOUT. ",
		k->unanswered, pb, liveness_state(k->state[!s]), sb,
		(unsigned long long)k->rst.frame, explain_secs(k->rst.ts - k->last_ts));
	if (explain_at(c, !s))
		finding_explain(f, "The capture was taken at the peer: the probes reached its "
				"host, which is up but did not answer, so a firewall on it or its "
				"stack (a hung host) dropped them; a host without the socket would "
				"have answered with a reset. ");
	else
		finding_explain(f, "%s%s is gone or unreachable: crashed or rebooted, cut off "
				"from the network, or a firewall, NAT or load balancer on the path "
				"dropped the idle connection's state. ", explain_vantage(c), pb);
	finding_explain(f,
		"If it is still up it believes the connection ESTABLISHED (half-open) and probably "
		"never got the reset. Check that %s is up and reachable, the idle timeouts of "
		"middleboxes between the hosts (the keep-alive interval must be shorter), the "
		"prober's TCP_KEEPIDLE/TCP_KEEPINTVL/TCP_KEEPCNT (or net.ipv4.tcp_keepalive_*) "
		"and `nstat -az TcpExtTCPKeepAlive`.",
		pb);
}

void liveness_ka_report(struct analyzer *a, struct tcp_conn *c, int s)
{
	const struct liveness_ka *k = &c->det.liveness.ka[s];
	const struct tcp_endpoint *p = &c->ep[!s];
	struct finding f;
	char sb[EXPLAIN_ADDR_MAX];
	int64_t interval;

	if (!k->dead || !liveness_ka_constant(c, k))
		return;
	interval = k->unanswered >= 2 ? k->min_gap : k->rst.ts - k->last_ts;
	finding_init(&f, KIND_KEEPALIVE_DEAD_PEER, c);
	f.confidence = p->packets ? 1.0 : 0.5;
	liveness_frames_report(&f, &k->frames, k->unanswered, k->last_ts);
	finding_frame(&f, k->rst.frame, k->rst.ts);
	finding_int(&f, "unanswered_probes", k->unanswered);
	finding_int(&f, "answered_probes", k->answered);
	finding_secs(&f, "probe_interval_s", interval);
	finding_secs(&f, "reset_after_s", k->rst.ts - k->last_ts);
	if (k->last_answer_ts)
		finding_secs(&f, "peer_silent_s", k->rst.ts - k->last_answer_ts);
	finding_text(&f, "reset_flags", k->rst_ack ? "R." : "R");
	finding_text(&f, "prober", explain_role(s));
	explain_ep(sb, c, s);
	finding_summary(&f, "%u keep-alive probes from %s went unanswered, then it reset the "
			"connection: the peer is gone", k->unanswered, sb);
	liveness_ka_explain(&f, c, s, k, interval);
	if (!p->packets)
		finding_explain(&f, " The peer was never seen in this capture, so its answers "
				"may take another path (lower confidence).");
	analyzer_report(a, c, &f);
}
