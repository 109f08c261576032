/*
 * quality.c - what is wrong with the capture rather than the network: data the
 * endpoints exchanged but the capture never saw (capture_missed_packets),
 * connections picked up without their start (capture_midstream), frames cut by
 * the snap length or a file that ends inside a record (capture_truncated), and
 * frames recorded twice, as a mirror port does (capture_duplicates).
 * ANOMALIES.md "Capture quality": reported once per capture file, never per
 * connection, and never as a network problem.
 *
 * Connections add their part when they end; the findings are written at the
 * end of the run, when every capture's counters (dissect_stats, damaged) are
 * final. The per-capture table is bounded: the first QUALITY_CAPTURES files of
 * a run are reported, later ones are not.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "analyzer/analyzer.h"
#include "analyzer/classify.h"
#include "analyzer/detector.h"
#include "analyzer/detectors/explain.h"
#include "analyzer/seq.h"

#define NS_PER_MS 1000000LL

#define QUALITY_CAPTURES 64
#define QUALITY_EXAMPLES 6

/* What a copy is taken for by the sequence analysis. */
#define QUALITY_REPEAT_EVENTS                                                                \
	(SEG_RETRANSMISSION | SEG_SYN_RETRANS | SEG_SYNACK_RETRANS_TIMER |                   \
	 SEG_SYNACK_RETRANS_DUP | SEG_DUP_ACK)

/* A mirror port's copy follows the original within microseconds; no TCP
 * timer re-sends an identical segment (same IP ID) that fast. */
#define QUALITY_DUP_NS NS_PER_MS

/* An ACK more than any window seen beyond what its peer sent (and always one
 * 2^30 ahead, whatever the window) is missed data only if the peer then
 * carries on from there, as in a capture cut to keep a sample of a huge
 * transfer (zeek ftp/bigtransfer); otherwise crafted or invalid. */
#define QUALITY_ACK_ABSURD (1u << 30)
#define QUALITY_MIN_WINDOW 65535u
/* ...unless no link could have carried that much since the peer's last
 * segment: 12.5 bytes/ns is 100 Gbit/s. A gigabyte "sent" in 11 ms is an
 * ACK of another sequence space (tcp-fastopen-10), not missed data. */
#define QUALITY_MAX_BYTES_PER_NS 12.5

extern const struct detector detector_quality;

struct quality_examples {
	uint8_t n;
	uint64_t frame[QUALITY_EXAMPLES];
	int64_t ts[QUALITY_EXAMPLES];
};

/* What the connections of one capture file said about it. */
struct quality_capture {
	const struct capture_info *ci;	/* valid until the run ends */
	uint64_t missed_conns, missed_bytes, missed_gaps, unproven_bytes;
	uint64_t missed_first_conn;
	struct quality_examples missed;
	uint64_t oneway_conns, oneway_bytes, oneway_first_conn;	/* one direction absent */
	uint64_t invalid_acks, invalid_conns;
	struct quality_examples invalid;
	uint64_t mid_conns, mid_first_conn;
	struct quality_examples mid;
	uint64_t truncated;
	struct quality_examples trunc;
	uint64_t dups, dups_strong, dup_conns, dup_first_conn;
	uint64_t dup_retrans;		/* retransmissions counted on those connections */
	uint64_t dup_dupacks;
	uint64_t dup_counted;		/* copies counted as retransmissions or dup ACKs */
	struct quality_examples dup;
};

struct quality_state {
	struct quality_capture cap[QUALITY_CAPTURES];
};

static void *quality_new_state(const struct analyzer *a)
{
	(void)a;
	return calloc(1, sizeof(struct quality_state));
}

static void quality_free_state(void *state)
{
	free(state);
}

/* The record of capture index i (NULL past the table); remembers the
 * current capture's description on the way. */
static struct quality_capture *quality_capture(struct analyzer *a, uint32_t i)
{
	struct quality_state *st = analyzer_detector_state(a, &detector_quality);
	const struct capture_info *ci = analyzer_capture(a);

	if (!st)
		return NULL;
	if (ci && ci->index < QUALITY_CAPTURES)
		st->cap[ci->index].ci = ci;
	return i < QUALITY_CAPTURES ? &st->cap[i] : NULL;
}

static void quality_example(struct quality_examples *ex, uint64_t frame, int64_t ts)
{
	if (ex->n < QUALITY_EXAMPLES) {
		ex->frame[ex->n] = frame;
		ex->ts[ex->n] = ts;
		ex->n++;
	}
}

static void quality_frames(struct finding *f, const struct quality_examples *ex)
{
	for (uint8_t i = 0; i < ex->n; i++)
		finding_frame(f, ex->frame[i], ex->ts[i]);
}

/* --- per segment ------------------------------------------------------------------- */

static void quality_sig_set(struct quality_sig *s, const struct tcp_segment *seg)
{
	s->valid = true;
	s->has_ts = seg->opt.has_timestamps;
	s->ip_id = seg->ip_id;
	s->flags = seg->flags;
	s->window = seg->window;
	s->seq = seg->seq;
	s->ack = seg->ack;
	s->len = seg->payload_len;
	s->tsval = seg->opt.tsval;
	s->tsecr = seg->opt.tsecr;
	s->nsack = seg->opt.sack_count;
	s->sack_left = seg->opt.sack_count ? seg->opt.sack[0].left : 0;
	s->frame = seg->frame;
	s->ts_ns = seg->ts_ns;
}

/* The same segment again, a moment later: every header field the sender
 * would change on a re-send is equal. Returns bit 0 when the rest proves it,
 * bit 1 when the IPv4 ID is non-zero (proof only if the sender varies it:
 * settled at the end of the connection). Without an ID (IPv6, or Linux's ID 0 from its
 * stateless paths, kernel-signatures.md §0.1) two genuine segments can be
 * identical: a stateless RST answering two segments with the same ack (the
 * accept-backlog-reset samples), duplicate ACKs without SACK; only a segment
 * carrying data, SYN, FIN or a timestamp counts then. */
static int quality_copy_of(const struct quality_sig *s, const struct tcp_segment *seg)
{
	int64_t gap = seg->ts_ns - s->ts_ns;

	if (!s->valid || gap < 0 || gap > QUALITY_DUP_NS)
		return 0;
	if (s->ip_id != seg->ip_id || s->flags != seg->flags || s->window != seg->window ||
	    s->seq != seg->seq || s->ack != seg->ack || s->len != seg->payload_len ||
	    s->has_ts != seg->opt.has_timestamps || s->nsack != seg->opt.sack_count ||
	    (s->nsack && s->sack_left != seg->opt.sack[0].left))
		return 0;
	if (s->has_ts && (s->tsval != seg->opt.tsval || s->tsecr != seg->opt.tsecr))
		return 0;
	if (!(s->flags & TH_RST) && (s->has_ts || s->len || (s->flags & (TH_SYN | TH_FIN))))
		return seg->ip_id ? 3 : 1;
	return seg->ip_id ? 2 : 0;
}

/* Whether this sender's IPv4 ID changes from segment to segment. */
static void quality_ip_id(struct quality_conn *q, const struct seg_view *v)
{
	uint16_t id = v->seg->ip_id;

	if (!q->id_seen[v->dir]) {
		q->id_seen[v->dir] = true;
		q->id_first[v->dir] = id;
	} else if (id != q->id_first[v->dir]) {
		q->id_varies[v->dir] = true;
	}
}

static void quality_dup(struct tcp_conn *c, const struct seg_view *v)
{
	struct quality_conn *q = &c->det.quality;
	struct quality_sig *s = &q->last[v->dir];
	int how = quality_copy_of(s, v->seg);
	bool counted = v->events & QUALITY_REPEAT_EVENTS;

	quality_ip_id(q, v);
	if (!how) {
		quality_sig_set(s, v->seg);
		return;
	}
	if (!q->dups)
		q->dup_capture = v->seg->capture;
	q->dups++;
	q->dups_counted += counted;
	if (how & 2)
		q->id_copies[v->dir]++;
	if (how == 2) {
		q->id_only[v->dir]++;
		q->id_only_counted[v->dir] += counted;
	}
	/* Examples only of what is already proven. */
	if (!(how & 1) && !q->id_varies[v->dir])
		return;
	if (q->ndup_frames + 2 <= QUALITY_CONN_EXAMPLES * 2) {
		q->dup_frame[q->ndup_frames] = s->frame;
		q->dup_ts[q->ndup_frames++] = s->ts_ns;
		q->dup_frame[q->ndup_frames] = v->seg->frame;
		q->dup_ts[q->ndup_frames++] = v->seg->ts_ns;
	}
}

/* A proven gap: bytes the endpoints exchanged that the capture lacks. */
static void quality_missed(struct quality_conn *q, uint64_t bytes, uint64_t frame, int64_t ts,
			   uint32_t capture)
{
	if (!q->gaps)
		q->gap_capture = capture;
	q->gaps++;
	q->missed_bytes += bytes;
	if (q->ngap_frames < QUALITY_CONN_EXAMPLES) {
		q->gap_frame[q->ngap_frames] = frame;
		q->gap_ts[q->ngap_frames++] = ts;
	}
}

/* A later segment of the sender covers part of its hole: out of order, or a
 * re-send after a loss upstream of the capture. Either way the bytes are in
 * the file. One hole is remembered, as classify.c does; a fill in the middle
 * keeps the lower part. */
static void quality_fill(struct quality_hole *h, const struct tcp_segment *seg)
{
	uint32_t end = seg->seq + seg->payload_len;

	if (!h->open || !seg->payload_len || seq_leq(end, h->start) || seq_geq(seg->seq, h->end))
		return;
	if (seq_leq(seg->seq, h->start))
		h->start = end;
	else
		h->end = seg->seq;
	h->open = seq_lt(h->start, h->end);
}

static void quality_invalid_ack(struct quality_conn *q, uint64_t frame, int64_t ts,
				uint32_t capture)
{
	if (!q->invalid_acks) {
		q->invalid_frame = frame;
		q->invalid_ts = ts;
		q->invalid_capture = capture;
	}
	q->invalid_acks++;
}

/* An ACK of unseen data: missed packets if within what a window allows; far
 * beyond, wait for the sender's next segment. */
static void quality_acked_unseen(const struct tcp_conn *c, struct quality_conn *q,
				 const struct seg_view *v, uint64_t bytes)
{
	const struct tcp_segment *seg = v->seg;
	struct quality_far *far = &q->far[!v->dir];
	uint32_t limit = q->max_window > QUALITY_MIN_WINDOW ? q->max_window : QUALITY_MIN_WINDOW;
	int64_t since = seg->ts_ns - c->ep[!v->dir].last_ts_ns;

	if (bytes > limit && c->ep[!v->dir].packets &&
	    (double)bytes > QUALITY_MAX_BYTES_PER_NS * (double)(since > 0 ? since : 0)) {
		quality_invalid_ack(q, seg->frame, seg->ts_ns, seg->capture);
	} else if (bytes > limit || bytes > QUALITY_ACK_ABSURD) {
		if (far->open)
			quality_invalid_ack(q, far->frame, far->ts, seg->capture);
		far->open = true;
		far->ack = seg->ack;
		far->bytes = bytes;
		far->frame = seg->frame;
		far->ts = seg->ts_ns;
	} else {
		quality_missed(q, bytes, seg->frame, seg->ts_ns, seg->capture);
	}
}

/* The sender of the data a far ACK claimed speaks again: carrying on from
 * that ACK, it had sent it (the capture missed a long stretch); still
 * behind it, the ACK acknowledged data that never existed. */
static void quality_far_resolve(struct quality_conn *q, const struct seg_view *v)
{
	struct quality_far *far = &q->far[v->dir];

	if (!far->open)
		return;
	far->open = false;
	if (seq_geq(v->seg->seq, far->ack))
		quality_missed(q, far->bytes, far->frame, far->ts, v->seg->capture);
	else
		quality_invalid_ack(q, far->frame, far->ts, v->seg->capture);
}

/*
 * Data the capture never saw (classify.c): a receiver acknowledging bytes of
 * its peer that are not in the file (SEG_ACKED_UNSEEN), or a sender's
 * sequence jumping ahead (SEG_PREV_NOT_CAPTURED). A jump is only a missed
 * packet once the receiver acknowledges the hole and no segment of the file
 * filled it: filled, it was reordering or loss before the capture point, which
 * the re-send repaired.
 */
static void quality_gap(struct tcp_conn *c, const struct seg_view *v)
{
	struct quality_conn *q = &c->det.quality;
	const struct tcp_segment *seg = v->seg;
	const struct tcp_endpoint *s = &c->ep[v->dir], *r = &c->ep[!v->dir];
	struct quality_hole *mine = &q->hole[v->dir], *peer = &q->hole[!v->dir];

	quality_far_resolve(q, v);
	if (v->events & SEG_ACKED_UNSEEN && r->missing_bytes > q->seen_missing[!v->dir])
		quality_acked_unseen(c, q, v, r->missing_bytes - q->seen_missing[!v->dir]);
	if (c->ep[v->dir].window > q->max_window)
		q->max_window = c->ep[v->dir].window;
	if (v->events & (SEG_RETRANSMISSION | SEG_OUT_OF_ORDER))
		quality_fill(mine, seg);
	if ((v->events & SEG_PREV_NOT_CAPTURED) && s->hole) {
		if (mine->open)
			q->unproven_bytes += (uint32_t)seq_diff(mine->end, mine->start);
		mine->open = true;
		mine->start = s->hole_start;
		mine->end = s->hole_end;
		mine->frame = seg->frame;
		mine->ts = seg->ts_ns;
		mine->capture = seg->capture;
	}
	if (peer->open && (seg->flags & TH_ACK) && seq_geq(seg->ack, peer->end)) {
		peer->open = false;
		quality_missed(q, (uint32_t)seq_diff(peer->end, peer->start), peer->frame,
			       peer->ts, peer->capture);
	}
	q->seen_missing[CLIENT] = c->ep[CLIENT].missing_bytes;
	q->seen_missing[SERVER] = c->ep[SERVER].missing_bytes;
}

static void quality_segment(struct analyzer *a, struct tcp_conn *c, const struct seg_view *v)
{
	struct quality_capture *qc = quality_capture(a, v->seg->capture);

	if (qc && v->seg->truncated) {
		qc->truncated++;
		quality_example(&qc->trunc, v->seg->frame, v->seg->ts_ns);
	}
	quality_dup(c, v);
	quality_gap(c, v);
}

/* --- per connection ------------------------------------------------------------------ */

static void quality_conn_invalid(struct analyzer *a, const struct tcp_conn *c)
{
	const struct quality_conn *q = &c->det.quality;
	struct quality_capture *qc;

	if (!q->invalid_acks)
		return;
	qc = quality_capture(a, q->invalid_capture);
	if (!qc)
		return;
	qc->invalid_conns++;
	qc->invalid_acks += q->invalid_acks;
	quality_example(&qc->invalid, q->invalid_frame, q->invalid_ts);
}

static void quality_conn_missed(struct analyzer *a, struct tcp_conn *c)
{
	struct quality_conn *q = &c->det.quality;
	struct quality_capture *qc;

	/* A hole never acknowledged nor filled: missed, or lost on the wire
	 * and the capture ended before the re-send. Not proven. */
	for (int d = 0; d < 2; d++) {
		if (q->hole[d].open)
			q->unproven_bytes += (uint32_t)seq_diff(q->hole[d].end, q->hole[d].start);
		/* The sender never carried on from it: nothing proves the data. */
		if (q->far[d].open)
			quality_invalid_ack(q, q->far[d].frame, q->far[d].ts, q->gap_capture);
	}
	/* A self-connected socket's two directions cannot be told apart. */
	if (c->flags & CONN_SELF)
		return;
	quality_conn_invalid(a, c);
	if (!q->gaps)
		return;
	qc = quality_capture(a, q->gap_capture);
	if (!qc)
		return;
	/* Every segment of one side absent: the capture never had that
	 * direction (asymmetric routing, a one-way tap), not drops. */
	if (!c->ep[CLIENT].packets || !c->ep[SERVER].packets) {
		if (!qc->oneway_conns)
			qc->oneway_first_conn = c->id;
		qc->oneway_conns++;
		qc->oneway_bytes += q->missed_bytes;
		return;
	}
	if (!qc->missed_conns)
		qc->missed_first_conn = c->id;
	qc->missed_conns++;
	qc->missed_bytes += q->missed_bytes;
	qc->missed_gaps += q->gaps;
	qc->unproven_bytes += q->unproven_bytes;
	for (uint8_t i = 0; i < q->ngap_frames && i < 2; i++)
		quality_example(&qc->missed, q->gap_frame[i], q->gap_ts[i]);
}

static void quality_conn_mid(struct analyzer *a, const struct tcp_conn *c)
{
	struct quality_capture *qc;

	if (!(c->flags & CONN_MIDSTREAM))
		return;
	qc = quality_capture(a, c->first_capture);
	if (!qc)
		return;
	if (!qc->mid_conns)
		qc->mid_first_conn = c->id;
	qc->mid_conns++;
	quality_example(&qc->mid, c->first_frame, c->first_ts_ns);
}

static void quality_conn_dups(struct analyzer *a, const struct tcp_conn *c)
{
	const struct quality_conn *q = &c->det.quality;
	struct quality_capture *qc;
	uint32_t dups = q->dups, counted = q->dups_counted, strong = 0;

	for (int d = 0; d < 2; d++) {
		if (q->id_varies[d]) {
			strong += q->id_copies[d];
		} else {
			dups -= q->id_only[d];
			counted -= q->id_only_counted[d];
		}
	}
	if (!dups)
		return;
	qc = quality_capture(a, q->dup_capture);
	if (!qc)
		return;
	if (!qc->dup_conns)
		qc->dup_first_conn = c->id;
	qc->dup_conns++;
	qc->dups += dups;
	qc->dups_strong += strong;
	qc->dup_retrans += c->ep[CLIENT].retransmissions + c->ep[SERVER].retransmissions;
	qc->dup_dupacks += c->ep[CLIENT].dup_acks + c->ep[SERVER].dup_acks;
	qc->dup_counted += counted;
	for (uint8_t i = 0; i + 1 < q->ndup_frames && qc->dup.n + 2 <= QUALITY_EXAMPLES; i += 2) {
		quality_example(&qc->dup, q->dup_frame[i], q->dup_ts[i]);
		quality_example(&qc->dup, q->dup_frame[i + 1], q->dup_ts[i + 1]);
	}
}

static void quality_conn_end(struct analyzer *a, struct tcp_conn *c)
{
	quality_conn_missed(a, c);
	quality_conn_mid(a, c);
	quality_conn_dups(a, c);
}

/* --- per capture, at the end of the run ------------------------------------------- */

static const char *quality_file(const struct quality_capture *qc)
{
	return qc->ci ? qc->ci->file : "the capture";
}

/* A capture finding: scope "capture", no connection, the file's index. */
static void quality_init(struct finding *f, enum finding_kind k, const struct quality_capture *qc,
			 uint32_t index)
{
	finding_init(f, k, NULL);
	f->capture = index;
	if (qc->ci) {
		f->first_ts_ns = qc->ci->first_ts_ns;
		f->last_ts_ns = qc->ci->last_ts_ns;
	}
}

/* The explanation is built sentence by sentence, each ending with a space. */
static void quality_trim(struct finding *f)
{
	size_t n = strlen(f->explanation);

	while (n && f->explanation[n - 1] == ' ')
		f->explanation[--n] = '\0';
}

static void quality_missed_summary(struct finding *f, const struct quality_capture *qc)
{
	if (qc->missed_conns)
		finding_summary(f, "%s missed packets: %llu bytes in %llu gap%s on %llu "
				"connection%s were never captured", quality_file(qc),
				(unsigned long long)qc->missed_bytes,
				(unsigned long long)qc->missed_gaps, explain_s(qc->missed_gaps),
				(unsigned long long)qc->missed_conns, explain_s(qc->missed_conns));
	else if (qc->oneway_conns)
		finding_summary(f, "%s: one direction of the traffic is not in the capture "
				"(%llu connection%s seen one way only)", quality_file(qc),
				(unsigned long long)qc->oneway_conns, explain_s(qc->oneway_conns));
	else
		finding_summary(f, "%s: %llu ACK%s acknowledge%s data that was never sent "
				"(crafted or invalid), not missed packets", quality_file(qc),
				(unsigned long long)qc->invalid_acks, explain_s(qc->invalid_acks),
				qc->invalid_acks == 1 ? "s" : "");
}

static void quality_explain_missed(struct finding *f, const struct quality_capture *qc)
{
	finding_explain(f,
		"This is about the capture, not the network. On %llu connection(s) (the first is "
		"connection %llu) the capture lacks %llu bytes of data that the endpoints did "
		"exchange: the receiver acknowledged bytes that never appear in the file, and no "
		"segment in the file carries them again, so they crossed the wire and only the "
		"capture lost them. A capture-side gap, not loss on the wire: the peer ACKed it. ",
		(unsigned long long)qc->missed_conns, (unsigned long long)qc->missed_first_conn,
		(unsigned long long)qc->missed_bytes);
	if (qc->unproven_bytes)
		finding_explain(f, "Another %llu bytes are in gaps neither acknowledged nor "
				"filled before the connections ended (not counted: they may "
				"also have been lost on the wire). ",
				(unsigned long long)qc->unproven_bytes);
	finding_explain(f,
		"The frames listed are the first segments that revealed a gap. The capturing "
		"host or tap dropped frames: a busy CPU or disk, a capture buffer too small for "
		"bursts, an oversubscribed mirror port. Findings on these connections that rest "
		"on something not being seen (an unanswered segment, a silence) are less certain; "
		"the connections' own state is still followed. Check tcpdump's \"packets dropped "
		"by kernel\" line, give it a larger buffer (-B) or a snap length that only keeps "
		"headers (-s 128), and write to a fast local disk. ");
}

static void quality_explain_oneway(struct finding *f, const struct quality_capture *qc)
{
	finding_explain(f,
		"On %llu connection(s) (the first is connection %llu) the capture holds the "
		"segments of one endpoint only: one direction of the traffic is not in the "
		"capture. The other side's %llu bytes are known only from the ACKs that "
		"acknowledge them; this is not the capture dropping frames but a capture point "
		"that sees one way: asymmetric routing, a one-way tap or mirror session (RX "
		"only), or a filter on one address. Capture where both directions pass, or mirror "
		"both directions. Findings resting on the missing side's segments are "
		"unresolved for these connections. ",
		(unsigned long long)qc->oneway_conns, (unsigned long long)qc->oneway_first_conn,
		(unsigned long long)qc->oneway_bytes);
}

static void quality_explain_invalid(struct finding *f, const struct quality_capture *qc)
{
	finding_explain(f,
		"%llu ACK(s) on %llu connection(s) acknowledge data far beyond anything the peer "
		"sent (more than any window advertised, or over 2^30 bytes ahead) and the peer "
		"never carried on from there: they acknowledge data that never existed. Such "
		"ACKs are crafted (test generators, scanners, attack traffic) or corrupt; a real "
		"receiver discards them (RFC 9293 §3.10.7.4: an ACK of something not yet sent "
		"is answered with an ACK and dropped). They are not counted as missed bytes. ",
		(unsigned long long)qc->invalid_acks, (unsigned long long)qc->invalid_conns);
}

static void quality_report_missed(struct analyzer *a, const struct quality_capture *qc,
				  uint32_t index)
{
	struct finding f;

	if (!qc->missed_conns && !qc->oneway_conns && !qc->invalid_acks)
		return;
	quality_init(&f, KIND_CAPTURE_MISSED_PACKETS, qc, index);
	if (!qc->missed_conns && !qc->oneway_conns)
		f.confidence = 0.5;	/* nothing missed: the file holds crafted ACKs */
	quality_frames(&f, &qc->missed);
	quality_frames(&f, &qc->invalid);
	finding_int(&f, "connections", (int64_t)qc->missed_conns);
	finding_int(&f, "gaps", (int64_t)qc->missed_gaps);
	finding_int(&f, "bytes", (int64_t)qc->missed_bytes);
	finding_int(&f, "bytes_unproven", (int64_t)qc->unproven_bytes);
	finding_int(&f, "first_connection", (int64_t)qc->missed_first_conn);
	finding_int(&f, "one_way_connections", (int64_t)qc->oneway_conns);
	finding_int(&f, "one_way_bytes", (int64_t)qc->oneway_bytes);
	finding_int(&f, "invalid_acks", (int64_t)qc->invalid_acks);
	quality_missed_summary(&f, qc);
	if (qc->missed_conns)
		quality_explain_missed(&f, qc);
	else
		finding_explain(&f, "This is about the capture, not the network. ");
	if (qc->oneway_conns)
		quality_explain_oneway(&f, qc);
	if (qc->invalid_acks)
		quality_explain_invalid(&f, qc);
	quality_trim(&f);
	analyzer_report(a, NULL, &f);
}

static void quality_report_mid(struct analyzer *a, const struct quality_capture *qc,
			       uint32_t index)
{
	struct finding f;

	if (!qc->mid_conns)
		return;
	quality_init(&f, KIND_CAPTURE_MIDSTREAM, qc, index);
	quality_frames(&f, &qc->mid);
	finding_int(&f, "connections", (int64_t)qc->mid_conns);
	finding_int(&f, "first_connection", (int64_t)qc->mid_first_conn);
	finding_summary(&f, "%s: %llu %s picked up mid-stream, without %s handshake",
			quality_file(qc), (unsigned long long)qc->mid_conns,
			qc->mid_conns == 1 ? "connection was" : "connections were",
			qc->mid_conns == 1 ? "its" : "their");
	finding_explain(&f,
		"This is about the capture, not the network. %llu connection(s) (the first is "
		"connection %llu; the frames listed are their first segments in the file) were "
		"already open when the capture started: their SYN and SYN-ACK are not in it. For "
		"them the endpoints' states are presumed (ESTABLISHED from the first segment), "
		"which side is the client is guessed from the ports, and what the handshake "
		"carried is unknown: the window scale (so advertised windows may be read too "
		"small), the MSS, the round-trip time and so the capture's vantage point. "
		"Nothing about how they started (a refusal, a slow handshake, a reused port) can "
		"be said. Start the capture before the connections of interest open, or "
		"capture longer.",
		(unsigned long long)qc->mid_conns, (unsigned long long)qc->mid_first_conn);
	analyzer_report(a, NULL, &f);
}

static uint64_t quality_header_cuts(const struct capture_info *ci)
{
	return ci->stats.malformed[MAL_LINK_TRUNCATED] + ci->stats.malformed[MAL_IP_TRUNCATED] +
	       ci->stats.malformed[MAL_TCP_TRUNCATED];
}

static void quality_explain_truncated(struct finding *f, const struct capture_info *ci,
				      uint64_t cut, uint64_t headers)
{
	finding_explain(f, "This is about the capture, not the network. ");
	if (cut)
		finding_explain(f,
			"%llu TCP segments were cut by the snap length (%u bytes per frame): "
			"their headers are whole, so sequence numbers, flags, windows and "
			"options, everything this analysis uses, are intact, and the payload "
			"length comes from the IP header; only the payload bytes themselves are "
			"missing. The findings are not affected. ",
			(unsigned long long)cut, (unsigned)ci->snaplen);
	if (headers)
		finding_explain(f,
			"%llu frames were cut inside their link, IP or TCP header and could not be "
			"analysed at all: the connections they belonged to miss those segments. "
			"Use a snap length of at least 128 bytes (more with IPv6 or tunnels). ",
			(unsigned long long)headers);
	if (ci->damaged)
		finding_explain(f,
			"Reading stopped after frame %llu (%s): the file ends in the middle of a "
			"record, as when tcpdump is killed or the disk fills up. Everything after "
			"%s is missing: connections still open at the end were open as far as the "
			"capture knows, and a silence at the end of the file proves nothing. "
			"Stop captures cleanly (SIGINT, -c or -G/-W rotation) and check the free "
			"space where they are written. ",
			(unsigned long long)ci->damaged_after_frame, ci->error,
			ci->damaged_after_frame ? "that frame" : "the file header");
}

static void quality_report_truncated(struct analyzer *a, const struct quality_capture *qc,
				     uint32_t index)
{
	const struct capture_info *ci = qc->ci;
	struct finding f;
	uint64_t cut, headers;

	if (!ci)
		return;
	cut = ci->stats.truncated_tcp > qc->truncated ? ci->stats.truncated_tcp : qc->truncated;
	headers = quality_header_cuts(ci);
	if (!cut && !headers && !ci->damaged)
		return;
	quality_init(&f, KIND_CAPTURE_TRUNCATED, qc, index);
	quality_frames(&f, &qc->trunc);
	if (ci->damaged && ci->damaged_after_frame)
		finding_frame(&f, ci->damaged_after_frame, ci->last_ts_ns);
	finding_int(&f, "truncated_segments", (int64_t)cut);
	finding_int(&f, "header_truncated_frames", (int64_t)headers);
	finding_int(&f, "snaplen", ci->snaplen);
	finding_bool(&f, "damaged", ci->damaged);
	if (ci->damaged) {
		finding_int(&f, "damaged_after_frame", (int64_t)ci->damaged_after_frame);
		finding_text(&f, "error", ci->error);
	}
	if (ci->damaged && !cut && !headers)
		finding_summary(&f, "%s ends in the middle of a record, after frame %llu",
				ci->file, (unsigned long long)ci->damaged_after_frame);
	else
		finding_summary(&f, "%s: %llu TCP segments cut by the snap length of %u bytes%s",
				ci->file, (unsigned long long)cut, (unsigned)ci->snaplen,
				ci->damaged ? ", and the file ends in the middle of a record" : "");
	quality_explain_truncated(&f, ci, cut, headers);
	quality_trim(&f);
	analyzer_report(a, NULL, &f);
}

static void quality_report_dups(struct analyzer *a, const struct quality_capture *qc,
				uint32_t index)
{
	struct finding f;

	if (!qc->dups)
		return;
	quality_init(&f, KIND_CAPTURE_DUPLICATES, qc, index);
	f.confidence = qc->dups_strong ? 1.0 : 0.7;
	quality_frames(&f, &qc->dup);
	finding_int(&f, "duplicate_segments", (int64_t)qc->dups);
	finding_int(&f, "proven_by_ip_id", (int64_t)qc->dups_strong);
	finding_int(&f, "connections", (int64_t)qc->dup_conns);
	finding_int(&f, "first_connection", (int64_t)qc->dup_first_conn);
	finding_int(&f, "retransmissions_counted", (int64_t)qc->dup_retrans);
	finding_int(&f, "dup_acks_counted", (int64_t)qc->dup_dupacks);
	finding_int(&f, "copies_counted_as_repeats", (int64_t)qc->dup_counted);
	finding_summary(&f, "%s holds %llu TCP segments twice (a mirror port's copies): "
			"retransmission counts are inflated", quality_file(qc),
			(unsigned long long)qc->dups);
	finding_explain(&f,
		"This is about the capture, not the network. %llu TCP segments on %llu "
		"connection(s) appear twice, the copy less than 1 ms after the original with the "
		"same IP ID, sequence and acknowledgement numbers, flags, window, length and "
		"timestamps (%llu proven by a non-zero IP ID): the endpoints sent them once and "
		"the capture recorded them twice. That is what a mirror (SPAN) port copying both "
		"directions, two mirror sessions, or capturing on a bridge and its member port "
		"at once produce. The frames listed are original/copy pairs. Every count of "
		"repeated segments on these connections is inflated by the copies: %llu "
		"retransmissions (SYNs included) and %llu duplicate ACKs are counted on them, "
		"and %llu of those are copies, not re-sends; do not read them as loss. The "
		"liveness findings ignore copies (no timer re-sends within a millisecond); read "
		"any other finding that counts repeated SYNs, SYN-ACKs or segments on these "
		"connections with the copies in mind. Remove the copies with `editcap -D 10 "
		"in.pcap out.pcap`, or fix the mirror session so each packet is copied once.",
		(unsigned long long)qc->dups, (unsigned long long)qc->dup_conns,
		(unsigned long long)qc->dups_strong, (unsigned long long)qc->dup_retrans,
		(unsigned long long)qc->dup_dupacks, (unsigned long long)qc->dup_counted);
	analyzer_report(a, NULL, &f);
}

static void quality_run_end(struct analyzer *a)
{
	struct quality_state *st = analyzer_detector_state(a, &detector_quality);

	if (!st)
		return;
	quality_capture(a, 0);
	for (uint32_t i = 0; i < QUALITY_CAPTURES; i++) {
		const struct quality_capture *qc = &st->cap[i];

		quality_report_missed(a, qc, i);
		quality_report_mid(a, qc, i);
		quality_report_truncated(a, qc, i);
		quality_report_dups(a, qc, i);
	}
}

const struct detector detector_quality = {
	.name = "quality",
	.new_state = quality_new_state,
	.free_state = quality_free_state,
	.on_segment = quality_segment,
	.on_conn_end = quality_conn_end,
	.on_run_end = quality_run_end,
};
