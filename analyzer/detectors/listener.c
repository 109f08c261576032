/*
 * listener.c - the listener detector's bookkeeping and hooks (ANOMALIES.md;
 * kernel-signatures.md §1, §7.3, §8.1-8.2): the table of listeners, and what
 * each connection's handshake and first request did.
 *
 * on_segment records what each connection's handshake and first request did
 * (listener.h), and per listener (server address and port) what only several
 * connections show together: the seconds in which it answered new SYNs (a
 * silent SYN to a live listener is a drop, to a dead one a filter), the
 * handshakes waiting for an answer (the accept queue seen from outside) and
 * the recent connections whose SYNs went unanswered. The listener table is
 * capped (least recently used entries go first).
 *
 * on_conn_end decides which story a connection tells, and on_run_end sums up
 * each listener whose accept queue overflowed; the findings themselves are
 * written apart: the accept queue's (accept_queue_overflow and its roll-up per
 * listener, accept_queue_overflow_reset, request_unanswered) in
 * listener_overflow.c, the SYNs' (listener_syn_drop, syn_unanswered,
 * connection_refused) in listener_syn.c. listener_int.h holds what the three
 * files share.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer/analyzer.h"
#include "analyzer/classify.h"
#include "analyzer/detector.h"
#include "analyzer/detectors/listener_int.h"
#include "analyzer/seq.h"

const struct detector detector_listener;

/* --- the listener table -------------------------------------------------------- */

static uint32_t lst_hash(const struct ip_addr *addr, uint16_t port)
{
	uint32_t h = 2166136261u ^ addr->family;

	for (size_t i = 0; i < sizeof(addr->bytes); i++)
		h = (h ^ addr->bytes[i]) * 16777619u;
	h = (h ^ (port & 0xff)) * 16777619u;
	return ((h ^ (uint32_t)(port >> 8)) * 16777619u) & (LST_BUCKETS - 1);
}

static bool lst_same(const struct lst_entry *e, const struct ip_addr *addr, uint16_t port)
{
	return e->port == port && e->addr.family == addr->family &&
	       memcmp(e->addr.bytes, addr->bytes, sizeof(addr->bytes)) == 0;
}

static void lst_unlink(struct lst_state *st, uint32_t i)
{
	struct lst_entry *e = &st->e[i];

	if (e->older)
		st->e[e->older - 1].newer = e->newer;
	else
		st->oldest = e->newer;
	if (e->newer)
		st->e[e->newer - 1].older = e->older;
	else
		st->newest = e->older;
	e->older = e->newer = 0;
	e->linked = false;
}

/* Makes entry i the most recently used. */
static void lst_touch(struct lst_state *st, uint32_t i)
{
	struct lst_entry *e = &st->e[i];

	if (st->newest == i + 1)
		return;
	if (e->linked)
		lst_unlink(st, i);
	e->older = st->newest;
	if (st->newest)
		st->e[st->newest - 1].newer = i + 1;
	else
		st->oldest = i + 1;
	st->newest = i + 1;
	e->linked = true;
}

/* Frees the least recently used entry, reporting its roll-up first. */
static uint32_t lst_evict(struct analyzer *a, struct lst_state *st)
{
	uint32_t i = st->oldest - 1;
	struct lst_entry *e = &st->e[i];
	uint32_t *p = &st->bucket[lst_hash(&e->addr, e->port)];

	lst_summaries(a, e);
	while (*p && *p != i + 1)
		p = &st->e[*p - 1].chain;
	if (*p)
		*p = e->chain;
	lst_unlink(st, i);
	return i;
}

uint32_t lst_get(struct analyzer *a, struct lst_state *st, const struct ip_addr *addr,
		 uint16_t port)
{
	uint32_t h = lst_hash(addr, port), i;
	struct lst_entry *e;

	for (i = st->bucket[h]; i; i = st->e[i - 1].chain) {
		if (lst_same(&st->e[i - 1], addr, port)) {
			lst_touch(st, i - 1);
			return i - 1;
		}
	}
	i = st->n < LST_MAX ? st->n++ : lst_evict(a, st);
	e = &st->e[i];
	memset(e, 0, sizeof(*e));
	e->addr = *addr;
	e->port = port;
	e->gen = ++st->gen ? st->gen : ++st->gen;
	e->sum.queued_then = -1;
	e->chain = st->bucket[h];
	st->bucket[h] = i + 1;
	lst_touch(st, i);
	return i;
}

/* The connection's listener, found once and then reached by its slot. */
struct lst_entry *listener_entry(struct analyzer *a, struct lst_state *st, struct tcp_conn *c)
{
	struct listener_conn *lc = &c->det.listener;

	if (lc->gen && st->e[lc->slot].gen == lc->gen) {
		lst_touch(st, lc->slot);
		return &st->e[lc->slot];
	}
	lc->slot = lst_get(a, st, &c->ep[SERVER].addr, c->ep[SERVER].port);
	lc->gen = st->e[lc->slot].gen;
	return &st->e[lc->slot];
}

static void lst_alive_mark(struct lst_entry *e, int64_t ts)
{
	int64_t s = ts / NS_PER_S;

	if (ts < 0)
		return;
	if (!e->alive_set) {
		e->alive_set = true;
		e->alive_top = s;
	}
	if (s >= e->alive_top + LST_SECS) {
		memset(e->alive, 0, sizeof(e->alive));
		e->alive_top = s;
	} else if (s > e->alive_top) {
		for (int64_t k = e->alive_top + 1; k <= s; k++)
			e->alive[(k % LST_SECS) / 64] &= ~(1ull << (k % 64));
		e->alive_top = s;
	} else if (s <= e->alive_top - LST_SECS) {
		return;
	}
	e->alive[(s % LST_SECS) / 64] |= 1ull << (s % 64);
}

/* Did the listener answer a new SYN in [from, to] (to the second)? */
bool lst_alive_any(const struct lst_entry *e, int64_t from, int64_t to)
{
	int64_t s = from > 0 ? from / NS_PER_S : 0;

	if (!e->alive_set)
		return false;
	if (s <= e->alive_top - LST_SECS)
		s = e->alive_top - LST_SECS + 1;
	for (; s <= to / NS_PER_S && s <= e->alive_top; s++)
		if (e->alive[(s % LST_SECS) / 64] & (1ull << (s % 64)))
			return true;
	return false;
}

/* §1.9: one roll-up per listener for a full accept queue (an overflow and
 * at least one more connection in the story), one for a burst of SYN drops. */
void lst_summaries(struct analyzer *a, struct lst_entry *e)
{
	const struct lst_sum *s = &e->sum;

	if (s->overflow + s->reset >= 1 && s->overflow + s->reset + s->queued + s->dropped >= 2)
		listener_summary(a, e);
	if (e->dpeak_n >= BURST_MIN)
		listener_syn_summary(a, e);
}

/* The most silent-SYN connections in one 10 s window holding ts (ts's own included). */
uint8_t lst_burst(const struct lst_entry *e, int64_t ts)
{
	uint32_t n = e->ncand < LST_CANDS ? e->ncand : LST_CANDS, best = 0;
	bool self = false;

	for (uint32_t i = 0; i < n; i++)
		self |= e->cand[i] == ts;
	for (uint32_t i = 0; i <= n; i++) {
		int64_t s = i < n ? e->cand[i] : ts;
		uint32_t k = self ? 0 : 1;

		if (s < ts - BURST_NS || s > ts)
			continue;
		for (uint32_t j = 0; j < n; j++)
			k += e->cand[j] >= s && e->cand[j] <= s + BURST_NS;
		best = k > best ? k : best;
	}
	return (uint8_t)(best > 255 ? 255 : best);
}

/* Handshakes completed and not answered: children in the accept queue, as far
 * as the wire shows (an application that accepted but has not answered yet
 * counts too). */
static void listener_queue_enter(struct analyzer *a, struct lst_state *st, struct tcp_conn *c)
{
	struct listener_conn *lc = &c->det.listener;
	struct lst_entry *e;

	if (lc->bits & LC_QUEUED)
		return;
	e = listener_entry(a, st, c);
	if (!(lc->bits & LC_SNAPSHOT))
		lc->queued_before = e->queued;
	e->queued++;
	if (e->queued > e->peak_queued)
		e->peak_queued = e->queued;
	lc->qgen = e->gen;
	lc->bits |= LC_QUEUED | LC_SNAPSHOT;
}

static void listener_queue_leave(struct lst_state *st, struct tcp_conn *c)
{
	struct listener_conn *lc = &c->det.listener;
	struct lst_entry *e = &st->e[lc->slot];

	if (!(lc->bits & LC_QUEUED))
		return;
	lc->bits &= ~LC_QUEUED;
	if (e->gen == lc->qgen && e->queued > 0)
		e->queued--;
}

/* --- per segment ------------------------------------------------------------------ */

static void mark(struct listener_mark *m, const struct tcp_segment *seg)
{
	m->frame = seg->frame;
	m->ts_ns = seg->ts_ns;
}

static uint32_t off_us(int64_t ns)
{
	return ns <= 0 ? 0 : ns / 1000 > UINT32_MAX ? UINT32_MAX : (uint32_t)(ns / 1000);
}

/* A frame as an offset from an earlier one of the same connection. */
static uint32_t listener_fdelta(uint64_t frame, uint64_t base)
{
	if (frame <= base)
		return 0;
	return frame - base > UINT32_MAX ? UINT32_MAX : (uint32_t)(frame - base);
}

/* When the server last sent its SYN-ACK (the first, or the latest re-send kept). */
static int64_t listener_last_synack(const struct listener_conn *lc)
{
	unsigned n = lc->nresend < LISTENER_RESENDS ? lc->nresend : LISTENER_RESENDS;

	return lc->synack.ts_ns + (n ? (int64_t)lc->resend_off_us[n - 1] * 1000 : 0);
}

/* A copy of the previous segment made by a mirror port, not a re-send: at
 * most a millisecond later, sooner than any retransmission timer
 * (TCP_TIMEOUT_MIN is 2 ms), or with the same TSval. */
static bool listener_duplicate(const struct tcp_segment *seg, int64_t prev_ts, uint32_t prev_tsval)
{
	if (seg->ts_ns - prev_ts <= NS_PER_MS)
		return true;
	return seg->opt.has_timestamps && seg->opt.tsval == prev_tsval;
}

/* A SYN's options but its timestamp: a re-send carries the same ones (a
 * crafted SYN with other SACK blocks or MSS is another attempt). Window
 * scaling and SACK-permitted are left out: Windows drops wscale from its
 * third SYN, other stacks fall back the same way. */
static uint32_t listener_optsig(const struct tcp_options *o)
{
	uint32_t h = (2166136261u ^ (o->has_mss ? o->mss + 1u : 0)) * 16777619u;

	h = (h ^ o->sack_count ^ (o->bad ? 0x100u : 0)) * 16777619u;
	for (unsigned i = 0; i < o->sack_count && i < TCP_MAX_SACK_BLOCKS; i++)
		h = ((h ^ o->sack[i].left) * 16777619u ^ o->sack[i].right) * 16777619u;
	return h;
}

/* Silent-SYN connections in tumbling 10 s windows: uncapped, unlike cand[]. */
static void listener_cwin(struct lst_entry *e, int64_t ts)
{
	if (!e->cwin_n || ts - e->cwin_start > BURST_NS || ts < e->cwin_start) {
		e->cwin_start = ts;
		e->cwin_n = 0;
	}
	e->cwin_n++;
}

static void listener_syn(struct analyzer *a, struct lst_state *st, struct tcp_conn *c,
			 const struct tcp_segment *seg, uint32_t events)
{
	struct listener_conn *lc = &c->det.listener;
	uint32_t k, sig = listener_optsig(&seg->opt);

	if (!(events & SEG_SYN_RETRANS) || !lc->nsyn || sig != lc->syn_optsig) {
		lc->nsyn = lc->nsyn_silent = 0;
		lc->syn_optsig = sig;
		lc->cli_isn1 = seg->seq + 1;
		mark(&lc->syn, seg);
	} else if (listener_duplicate(seg, listener_syn_ts(lc, listener_kept(lc->nsyn) - 1),
				      lc->syn_tsval_last)) {
		return;
	}
	k = lc->nsyn < LISTENER_SYNS ? lc->nsyn : LISTENER_SYNS - 1;
	lc->syn_off_us[k] = off_us(seg->ts_ns - lc->syn.ts_ns);
	lc->syn_frame[k] = listener_fdelta(seg->frame, lc->syn.frame);
	lc->nsyn += lc->nsyn < 255;
	lc->syn_tsval_last = seg->opt.tsval;
	if (!lc->reply_frame)
		lc->nsyn_silent = lc->nsyn;
	if (lc->nsyn_silent == 2 && !(lc->bits & LC_CANDIDATE)) {
		struct lst_entry *e = listener_entry(a, st, c);

		e->cand[e->ncand++ % LST_CANDS] = lc->syn.ts_ns;
		listener_cwin(e, lc->syn.ts_ns);
		lc->bits |= LC_CANDIDATE;
	}
}

static void listener_client(struct analyzer *a, struct lst_state *st, struct tcp_conn *c,
			    const struct seg_view *v)
{
	struct listener_conn *lc = &c->det.listener;
	const struct tcp_segment *seg = v->seg;
	const struct tcp_endpoint *cl = &c->ep[CLIENT], *sv = &c->ep[SERVER];

	lc->last_c_ts_ns = seg->ts_ns;
	if ((seg->flags & (TH_SYN | TH_ACK)) == TH_SYN) {
		listener_syn(a, st, c, seg, v->events);
		return;
	}
	if ((seg->flags & TH_FIN) && !lc->rst.frame)
		lc->bits |= LC_CLIENT_FIN;
	/* An ACK of server bytes the capture never showed: they were sent. */
	if ((seg->flags & (TH_ACK | TH_RST | TH_SYN)) == TH_ACK) {
		if (!lc->reply_frame && lc->nsyn)
			lc->bits |= LC_CLIENT_ACKED;
		else if ((lc->bits & LC_SRV_NXT) && !lc->answer.frame &&
			 seq_gt(seg->ack, lc->srv_nxt))
			lc->bits |= LC_SRV_MISSED;
	}
	if (seg->flags & TH_RST)
		listener_queue_leave(st, c);
	if ((seg->flags & (TH_RST | TH_ACK)) != TH_ACK || !lc->synack.frame || !sv->isn_known)
		return;
	/* The client's answer to a re-sent SYN-ACK is a bare ACK (a challenge
	 * ACK, §1.2); its data retransmissions run on its own timer. */
	if (lc->nanswered < lc->nresend && !seg->payload_len) {
		if (lc->nanswered < LISTENER_RESENDS)
			lc->answer_frame[lc->nanswered] =
				listener_fdelta(seg->frame, lc->synack.frame);
		lc->nanswered++;
	}
	if (!lc->hs_ack.frame && seg->ack == sv->isn + 1) {
		mark(&lc->hs_ack, seg);
		lc->tsval_ack = seg->opt.tsval;
		if (!lc->answer.frame && !lc->rst.frame)
			listener_queue_enter(a, st, c);
	}
	if (cl->isn_known && seg->seq == cl->isn + 1 && seg->ack == sv->isn + 1)
		lc->tsval_isn1 = seg->opt.tsval;
	if (!seg->payload_len)
		return;
	if (!lc->data.frame) {
		mark(&lc->data, seg);
		lc->tsval_data = seg->opt.tsval;
	}
	/* Bytes counted from the SYN this detector saw (the endpoint's ISN may
	 * not be known to it yet). */
	if (!lc->data_ack.frame && (lc->syn.frame || cl->isn_known)) {
		uint32_t end = seg->seq + seg->payload_len -
			       (lc->syn.frame ? lc->cli_isn1 : cl->isn + 1);

		lc->ndata += lc->ndata < 255;
		mark(&lc->data_last, seg);
		if (end < (1u << 31) && end > lc->data_bytes)
			lc->data_bytes = end;
	}
	if (!lc->answer.frame)
		lc->wait.frame = 0;	/* still sending: not waiting for an answer yet */
}

/* §1.5: the TSecr of a re-sent SYN-ACK names the client segment the server's
 * TCP last took in: its ACK or request (dropped by the overflow) or its SYN. */
static void listener_resend_tsecr(struct tcp_conn *c, const struct tcp_segment *seg)
{
	struct listener_conn *lc = &c->det.listener;
	uint32_t e = seg->opt.tsecr;
	bool client;

	if (!seg->opt.has_timestamps || !c->ep[CLIENT].timestamps)
		return;
	client = e == lc->tsval_ack || (lc->data.frame && e == lc->tsval_data) ||
		 (lc->tsval_isn1 && e == lc->tsval_isn1);
	if (client && e != lc->syn_tsval_last)
		lc->bits |= LC_TSECR_ACK;
	else if (e == lc->syn_tsval_last)
		lc->bits |= LC_TSECR_SYN;
}

static void listener_synack(struct analyzer *a, struct lst_state *st, struct tcp_conn *c,
			    const struct seg_view *v)
{
	struct listener_conn *lc = &c->det.listener;
	const struct tcp_segment *seg = v->seg;
	struct lst_entry *e;

	if (!lc->synack.frame) {
		mark(&lc->synack, seg);
		if (seg->opt.has_timestamps && c->ep[CLIENT].timestamps &&
		    seg->opt.tsecr == lc->syn_tsval_last)
			lc->bits |= LC_ECHO_LAST;
		e = listener_entry(a, st, c);
		/* Others answered while this one's SYNs waited (its own answer
		 * is recorded only after the look). */
		if (lc->nsyn_silent >= 2 && lst_alive_any(e, lc->syn.ts_ns - ALIVE_NS, seg->ts_ns))
			lc->bits |= LC_ALIVE;
		if (lc->bits & LC_CANDIDATE)
			lc->burst = lst_burst(e, lc->syn.ts_ns);
		lst_alive_mark(e, seg->ts_ns);
		e->last_accept_ns = seg->ts_ns;
		if (lc->nsyn && seg->ts_ns - listener_syn_ts(lc, listener_kept(lc->nsyn) - 1) <
				NS_PER_MS)
			e->near_server = true;
		return;
	}
	if (!(v->events & SEG_SYNACK_RETRANS_TIMER) || !lc->hs_ack.frame || lc->recovered.frame ||
	    lc->answer.frame)
		return;
	if (seg->ts_ns - listener_last_synack(lc) < NS_PER_MS)
		return;		/* a mirror copy (see listener_duplicate) */
	if (lc->nresend < LISTENER_RESENDS) {
		lc->resend_off_us[lc->nresend] = off_us(seg->ts_ns - lc->synack.ts_ns);
		lc->resend_frame[lc->nresend] = listener_fdelta(seg->frame, lc->synack.frame);
	}
	lc->nresend += lc->nresend < 255;
	listener_queue_leave(st, c);
	if (lc->data.frame && !lc->data_ack.frame)
		lc->bits |= LC_RESEND_DATA;
	listener_resend_tsecr(c, seg);
}

static void listener_rst(struct analyzer *a, struct lst_state *st, struct tcp_conn *c,
			 const struct seg_view *v)
{
	struct listener_conn *lc = &c->det.listener;
	const struct tcp_segment *seg = v->seg;
	const struct tcp_endpoint *cl = &c->ep[CLIENT];

	lc->nrst += lc->nrst < 255;
	listener_queue_leave(st, c);
	if (lc->rst.frame)
		return;
	mark(&lc->rst, seg);
	lc->rst_seq = seg->seq;
	lc->rst_gap_ns = lc->last_c_ts_ns ? seg->ts_ns - lc->last_c_ts_ns : 0;
	if (seg->flags & TH_ACK)
		lc->bits |= LC_RST_ACK;
	/* §0.1: a kernel's RST has window 0 and no options; others are injected. */
	if (!seg->window && !seg->opt.has_mss && !seg->opt.has_wscale && !seg->opt.sack_permitted &&
	    !seg->opt.has_timestamps && !seg->opt.sack_count)
		lc->bits |= LC_RST_PLAIN;
	if (v->events & SEG_RST_STATELESS)
		lc->bits |= LC_RST_STATELESS;
	/* §7.3: a SYN to a port nobody listens on gets R. seq 0 ack ISN+1. */
	if (!lc->synack.frame && lc->nsyn && (seg->flags & TH_ACK) && cl->isn_known &&
	    seg->ack == cl->isn + 1 && (lc->bits & LC_RST_PLAIN)) {
		lc->bits |= LC_REFUSED;
		if (seg->seq == 0 && seg->window == 0)
			lc->bits |= LC_REFUSED_EXACT;
		lc->accept_before_ns = listener_entry(a, st, c)->last_accept_ns;
	}
	/* Tell the listener now: requests finalised before this connection are
	 * judged against it (request_unanswered's severity). */
	if (listener_is_reset(c))
		listener_entry(a, st, c)->overflowed = true;
}

/* The server's sequence space as far as the capture shows it: a segment
 * beyond it, up to its first answer seen, proves bytes the capture missed
 * (maybe the answer). Later gaps say nothing about the wait. */
static void listener_srv_seq(struct listener_conn *lc, const struct tcp_segment *seg)
{
	uint32_t end = seg->seq + seg->payload_len + !!(seg->flags & TH_SYN) +
		       !!(seg->flags & TH_FIN);

	if (seg->flags & TH_RST)
		return;
	if (!(lc->bits & LC_SRV_NXT)) {
		if (seg->flags & TH_SYN) {
			lc->srv_nxt = end;
			lc->bits |= LC_SRV_NXT;
		}
		return;
	}
	if (seq_gt(seg->seq, lc->srv_nxt) && !lc->answer.frame)
		lc->bits |= LC_SRV_MISSED;
	if (seq_gt(end, lc->srv_nxt))
		lc->srv_nxt = end;
}

/* Does ack cover client request bytes? Only bytes the client sent: a stale
 * ACK (a challenge ACK to the SYN, §2.2) acknowledges nothing of this one. */
static bool listener_acks_data(const struct listener_conn *lc, const struct tcp_endpoint *cl,
			       uint32_t ack)
{
	if (!lc->syn.frame)
		return cl->isn_known && seq_gt(ack, cl->isn + 1);
	return lc->data.frame && seq_gt(ack, lc->cli_isn1) &&
	       seq_leq(ack, lc->cli_isn1 + lc->data_bytes);
}

static void listener_server(struct analyzer *a, struct lst_state *st, struct tcp_conn *c,
			    const struct seg_view *v)
{
	struct listener_conn *lc = &c->det.listener;
	const struct tcp_segment *seg = v->seg;
	const struct tcp_endpoint *cl = &c->ep[CLIENT];

	if (!lc->reply_frame)
		lc->reply_frame = seg->frame;
	listener_srv_seq(lc, seg);
	if (!(lc->bits & LC_HOST)) {
		lc->bits |= LC_HOST;
		st->e[lst_get(a, st, &c->ep[SERVER].addr, 0)].sent = true;
	}
	if ((seg->flags & (TH_SYN | TH_ACK)) == (TH_SYN | TH_ACK)) {
		listener_synack(a, st, c, v);
		return;
	}
	if (seg->flags & (TH_SYN | TH_RST)) {
		if (seg->flags & TH_RST)
			listener_rst(a, st, c, v);
		return;
	}
	/* Anything else from it means a full socket exists (§1.3). */
	if (lc->nresend && !lc->recovered.frame) {
		mark(&lc->recovered, seg);
		if (!lc->answer.frame)
			listener_queue_enter(a, st, c);
	}
	if ((seg->flags & TH_ACK) && !lc->data_ack.frame && listener_acks_data(lc, cl, seg->ack))
		mark(&lc->data_ack, seg);
	if (seg->payload_len || (seg->flags & TH_FIN)) {
		if (!lc->data.frame && !lc->answer.frame)
			lc->bits |= LC_SERVER_SPOKE;
		if (!lc->answer.frame) {
			mark(&lc->answer, seg);
			if (!seg->payload_len)
				lc->bits |= LC_ANSWER_FIN;
			listener_queue_leave(st, c);
			if (lc->wait.frame)
				listener_entry(a, st, c)->answered++;
		}
		return;
	}
	if (!lc->answer.frame && lc->data.frame && !lc->wait.frame && (seg->flags & TH_ACK) &&
	    cl->seq_known && seq_geq(seg->ack, cl->nxt))
		mark(&lc->wait, seg);
}

static void listener_segment(struct analyzer *a, struct tcp_conn *c, const struct seg_view *v)
{
	struct lst_state *st = analyzer_detector_state(a, &detector_listener);
	struct listener_conn *lc = &c->det.listener;

	if (!st)
		return;
	if (v->seg->ts_ns > st->now)
		st->now = v->seg->ts_ns;
	if (c->flags & (CONN_SELF | CONN_SIMULTANEOUS_OPEN))
		return;
	if (v->dir == DIR_C2S)
		listener_client(a, st, c, v);
	else
		listener_server(a, st, c, v);
	if (!(lc->bits & LC_OVERFLOW) && lc->nresend && listener_is_overflow(c, v->seg->ts_ns)) {
		lc->bits |= LC_OVERFLOW;
		listener_entry(a, st, c)->overflowed = true;
	}
}

/* --- shared by the findings -------------------------------------------------------- */

/* Until when the capture shows this connection's silence (ANOMALIES.md: silence
 * is evidence only where the capture covers it). */
int64_t listener_covered(struct analyzer *a, const struct lst_state *st, const struct tcp_conn *c)
{
	const struct capture_info *ci = analyzer_capture(a);
	int64_t end = c->last_ts_ns;

	if (c->end == END_IDLE)
		return end + analyzer_config(a)->idle_timeout_ns;
	if (c->end != END_CAPTURE)
		return end;
	if (st->now > end)
		end = st->now;
	return ci && ci->last_ts_ns > end ? ci->last_ts_ns : end;
}

/* Offsets in seconds ("1.012 1.024 ..."), each from the previous one (gaps) or
 * all from the first. */
const char *listener_times(char *buf, size_t len, const uint32_t *off_us, unsigned n, bool gaps)
{
	size_t used = 0;

	buf[0] = '\0';
	for (unsigned i = gaps ? 1 : 0; i < n && used + 8 < len; i++) {
		uint32_t d = off_us[i] - (gaps ? off_us[i - 1] : 0);
		int w = snprintf(buf + used, len - used, "%s%.3f", used ? " " : "", d / 1e6);

		if (w < 0)
			break;
		used += (size_t)w;
	}
	return buf;
}

/* --- hooks ------------------------------------------------------------------------- */

static void listener_conn_end(struct analyzer *a, struct tcp_conn *c)
{
	struct lst_state *st = analyzer_detector_state(a, &detector_listener);
	struct listener_conn *lc = &c->det.listener;

	if (!st)
		return;
	listener_queue_leave(st, c);
	if (c->flags & (CONN_SELF | CONN_SIMULTANEOUS_OPEN | CONN_MIDSTREAM | CONN_ROLES_GUESSED))
		return;
	if (lc->bits & LC_REFUSED) {
		/* A handshake on the same ISN completed afterwards: not refused. */
		if (!lc->hs_ack.frame)
			listener_refused(a, st, c);
		return;
	}
	if (lc->nsyn_silent >= 2)
		listener_silent_syns(a, st, c);
	if (listener_is_overflow(c, c->last_ts_ns))
		listener_overflow(a, st, c);
	else if (listener_is_reset(c))
		listener_overflow_reset(a, st, c);
	else
		listener_request(a, st, c);
}

static void listener_run_end(struct analyzer *a)
{
	struct lst_state *st = analyzer_detector_state(a, &detector_listener);

	for (uint32_t i = 0; st && i < st->n; i++)
		lst_summaries(a, &st->e[i]);
}

static void *listener_new_state(const struct analyzer *a)
{
	(void)a;
	return calloc(1, sizeof(struct lst_state));
}

const struct detector detector_listener = {
	.name = "listener",
	.new_state = listener_new_state,
	.free_state = free,
	.on_segment = listener_segment,
	.on_conn_end = listener_conn_end,
	.on_run_end = listener_run_end,
};
