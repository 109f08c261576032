/*
 * classify.c - what one segment is, against both sides' sequence space.
 *
 * The sender S = c->ep[dir] is judged against what it sent before (its nxt,
 * the hole it left, its ISN) and against what its peer R = c->ep[!dir]
 * acknowledged and advertised. The answer is a set of SEG_* bits; then the
 * segment is recorded in S's bookkeeping. Every sequence comparison is modulo
 * 2^32 (seq.h), and no size is assumed for a segment: GSO/TSO super-frames
 * captured on the sending host carry many MSS at once.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "analyzer/classify.h"
#include "analyzer/conn.h"
#include "analyzer/seq.h"

#define NS_PER_MS 1000000LL

/* RFC 7323 §2.3: a shift above 14 is treated as 14. */
#define WSCALE_MAX 14

/* A repeated SYN answered this soon is what made the server re-send its
 * SYN-ACK (Linux inet_rtx_syn_ack() from tcp_check_req(); kernel-signatures.md
 * §8.2), unless the first exchange shows a longer round trip. */
#define SYNACK_DUP_MIN_NS (200 * NS_PER_MS)

/* Out-of-order delivery fills a hole within about one round trip; a later
 * fill is the sender's retransmission. */
#define REORDER_MIN_NS (3 * NS_PER_MS)

static uint32_t classify_seg_len(const struct tcp_segment *seg)
{
	return seg->payload_len + !!(seg->flags & TH_SYN) + !!(seg->flags & TH_FIN);
}

static bool classify_is_bare_ack(const struct tcp_segment *seg)
{
	return (seg->flags & (TH_SYN | TH_FIN | TH_RST | TH_ACK)) == TH_ACK &&
	       seg->payload_len == 0;
}

static bool classify_has_options(const struct tcp_options *o)
{
	return o->has_mss || o->has_wscale || o->sack_permitted || o->has_timestamps ||
	       o->sack_count || o->bad;
}

/* An RST as a stack without a socket sends it (kernel-signatures.md §0.1):
 * ACK clear, window 0, no options. */
static bool classify_rst_stateless(const struct tcp_segment *seg)
{
	return !(seg->flags & TH_ACK) && seg->window == 0 && !classify_has_options(&seg->opt);
}

/* R's last advertised window was zero (we saw R advertise it). */
static bool classify_peer_window_zero(const struct tcp_endpoint *r)
{
	return r->ack_known && r->window_raw == 0;
}

static void classify_count(struct tcp_endpoint *s, const struct tcp_segment *seg)
{
	if (!s->packets)
		s->first_ts_ns = seg->ts_ns;
	s->packets++;
	s->bytes += seg->payload_len;
	s->last_ts_ns = seg->ts_ns;
	s->last_frame = seg->frame;
	if (seg->flags & TH_SYN)
		s->syns++;
	if (seg->flags & TH_FIN)
		s->fins++;
	if (seg->flags & TH_RST)
		s->rsts++;
}

static uint32_t classify_flags(const struct tcp_segment *seg)
{
	uint16_t fl = seg->flags;

	if ((fl & TH_SYN) && (fl & (TH_FIN | TH_RST)))
		return SEG_BAD_FLAGS;
	if ((fl & TH_FIN) && (fl & TH_RST))
		return SEG_BAD_FLAGS;
	if (!(fl & (TH_SYN | TH_FIN | TH_RST | TH_ACK | TH_PUSH | TH_URG)))
		return SEG_BAD_FLAGS;
	return 0;
}

/* --- the predecessor's sequence space ---------------------------------------- */

/*
 * A bare ACK from a server that has not answered the new SYN yet, answering
 * that SYN with an ack that is not ISN+1: the tuple's old socket (CLOSE-WAIT,
 * ESTABLISHED, ...) sent an RFC 5961 §4 challenge ACK with its own snd_nxt and
 * rcv_nxt (Linux tcp_validate_incoming() syn_challenge, kernel-signatures.md
 * §2.1). The predecessor's recorded snd_nxt/rcv_nxt, when they match, prove it
 * even when the SYN was not the client's last segment. prev is kept in the new
 * connection's roles (the analyzer maps the old endpoints by address and port).
 */
static bool classify_old_challenge(const struct tcp_conn *c, int dir, const struct tcp_segment *seg)
{
	const struct tcp_endpoint *s = &c->ep[dir], *r = &c->ep[!dir];
	const struct predecessor *p = &c->prev;

	if (!classify_is_bare_ack(seg) || s->isn_known || !r->syn_seen)
		return false;
	if (p->id && p->seq_known[dir] && p->ack_known[dir] && seg->seq == p->nxt[dir] &&
	    seg->ack == p->ack[dir])
		return true;
	return (r->last_flags & (TH_SYN | TH_ACK | TH_RST)) == TH_SYN && r->isn_known &&
	       seg->ack != r->isn + 1;
}

/* The SYN-SENT client's RST answering that challenge ACK: seq = the challenge's
 * ack, ACK clear (Linux reset_and_undo then tcp_v4_send_reset(), §2.2). */
static bool classify_old_rst(const struct tcp_conn *c, int dir, const struct tcp_segment *seg)
{
	const struct tcp_endpoint *r = &c->ep[!dir];

	return (seg->flags & (TH_RST | TH_ACK | TH_SYN)) == TH_RST && r->last_old_space &&
	       (r->last_events & SEG_CHALLENGE_ACK) && seg->seq == r->old_ack;
}

/* --- SYN and SYN-ACK ----------------------------------------------------------- */

/* RFC 7323 §2.2: windows are scaled only when both SYNs carried the option;
 * each side shifts the windows it advertises by its own offer. */
static void classify_wscale(struct tcp_endpoint *s, struct tcp_endpoint *r)
{
	bool both = (s->syn_seen || s->synack_seen) && (r->syn_seen || r->synack_seen) &&
		    s->wscale_offered && r->wscale_offered;

	s->wscale = both ? s->wscale_offer : 0;
	r->wscale = both ? r->wscale_offer : 0;
}

static void classify_syn_options(struct tcp_endpoint *s, const struct tcp_segment *seg)
{
	const struct tcp_options *o = &seg->opt;

	s->mss = o->has_mss ? o->mss : 0;
	s->wscale_offered = o->has_wscale;
	s->wscale_offer = o->wscale > WSCALE_MAX ? WSCALE_MAX : o->wscale;
	s->sack_permitted = o->sack_permitted;
	s->timestamps = o->has_timestamps;
}

/*
 * A SYN-ACK with the ISN already sent: re-sent because the client's SYN came
 * again (the client's SYN after the previous SYN-ACK and shortly before this
 * one), or by the request's own timer (+1, +3, +7 s...).
 */
static uint32_t classify_synack_again(const struct tcp_endpoint *s, const struct tcp_endpoint *r,
				      const struct tcp_segment *seg)
{
	int64_t limit = SYNACK_DUP_MIN_NS, gap;

	gap = s->synack_gap_ns;
	if (gap > 0 && gap + gap / 2 > limit)
		limit = gap + gap / 2;
	if (r->syn_seen && r->last_syn_ts_ns > s->last_synack_ts_ns &&
	    seg->ts_ns - r->last_syn_ts_ns <= limit)
		return SEG_SYNACK_RETRANS_DUP;
	return SEG_SYNACK_RETRANS_TIMER;
}

static uint32_t classify_syn(struct tcp_endpoint *s, struct tcp_endpoint *r,
			     const struct tcp_segment *seg)
{
	bool synack = seg->flags & TH_ACK;
	bool again = s->isn_known && seg->seq == s->isn && (synack ? s->synack_seen : true);
	uint32_t ev = 0;

	if (again) {
		ev = synack ? classify_synack_again(s, r, seg) : SEG_SYN_RETRANS;
		s->retransmissions++;
	} else {
		/* First SYN, or a new ISN from the same end: start its space over. */
		s->isn = seg->seq;
		s->isn_known = true;
		s->nxt = seg->seq + classify_seg_len(seg);
		s->seq_known = true;
		s->hole = false;
	}
	if (!s->syn_seen && !s->synack_seen)
		classify_syn_options(s, seg);
	if (synack) {
		if (!s->synack_seen && r->syn_seen)
			s->synack_gap_ns = seg->ts_ns - r->last_syn_ts_ns;
		s->synack_seen = true;
		s->last_synack_ts_ns = seg->ts_ns;
	} else {
		s->syn_seen = true;
		s->last_syn_ts_ns = seg->ts_ns;
	}
	classify_wscale(s, r);
	return ev;
}

/* --- payload and FIN ------------------------------------------------------------ */

/*
 * Keep-alive (Linux tcp_xmit_probe_skb(): 0 bytes at snd_una - 1; Windows: 1
 * byte there) and zero-window probes (Linux: the same 0-byte segment while the
 * peer's window is zero; BSD/Windows: 1 byte of new data at snd_nxt, re-sent at
 * the same seq, which is nxt - 1 once we advanced nxt for it).
 * kernel-signatures.md §6.2, §8.4.
 */
static uint32_t classify_probe(struct tcp_endpoint *s, const struct tcp_endpoint *r,
			       const struct tcp_segment *seg)
{
	uint32_t len = seg->payload_len;
	bool below = seg->seq == s->nxt - 1;

	if (seg->flags & (TH_SYN | TH_FIN | TH_RST) || len > 1)
		return 0;
	/* An ACK at the FIN's seq comes from a stack that does not count its FIN
	 * in later segments, not from a keep-alive timer: none runs after close. */
	if (s->fin_sent && seg->seq == s->fin_seq)
		return 0;
	if (classify_peer_window_zero(r)) {
		bool linux_probe = len == 0 && (below || seg->seq == r->ack - 1);
		bool bsd_probe = len == 1 && (seg->seq == s->nxt || below);

		if (!linux_probe && !bsd_probe)
			return 0;
		s->window_probes++;
		if (seg->seq == s->nxt)
			s->nxt += len;
		return SEG_ZERO_WINDOW_PROBE;
	}
	/* One byte below nxt while it is not acknowledged yet is that byte
	 * again, not a probe. */
	if (!below || (len == 1 && r->ack_known && r->ack != s->nxt))
		return 0;
	s->keepalives++;
	return SEG_KEEPALIVE;
}

/* A segment beyond nxt: the capture missed what S sent in between. */
static uint32_t classify_gap(struct tcp_endpoint *s, const struct tcp_segment *seg, uint32_t end)
{
	s->missing_bytes += (uint32_t)seq_diff(seg->seq, s->nxt);
	s->hole = true;
	s->hole_start = s->nxt;
	s->hole_end = seg->seq;
	s->hole_ts_ns = seg->ts_ns;
	s->nxt = end;
	return SEG_PREV_NOT_CAPTURED;
}

/* Does [seq, end) fill the remembered hole soon enough to be reordering? */
static bool classify_fills_hole(const struct tcp_conn *c, const struct tcp_endpoint *s,
				const struct tcp_segment *seg, uint32_t end)
{
	int64_t limit = REORDER_MIN_NS;

	if (!s->hole || seq_lt(seg->seq, s->hole_start) || seq_gt(end, s->hole_end))
		return false;
	if (c->handshake_rtt_ns > limit)
		limit = c->handshake_rtt_ns;
	return seg->ts_ns - s->hole_ts_ns <= limit;
}

/* Gives the filled bytes back and shrinks the hole from the side filled; a
 * fill in the middle keeps only the lower part (one hole is remembered). */
static uint32_t classify_reorder(struct tcp_endpoint *s, const struct tcp_segment *seg,
				 uint32_t end)
{
	uint32_t filled = (uint32_t)seq_diff(end, seg->seq);

	s->out_of_order++;
	s->missing_bytes -= filled <= s->missing_bytes ? filled : s->missing_bytes;
	if (seg->seq == s->hole_start)
		s->hole_start = end;
	else
		s->hole_end = seg->seq;
	if (seq_geq(s->hole_start, s->hole_end))
		s->hole = false;
	return SEG_OUT_OF_ORDER;
}

static uint32_t classify_old_data(const struct tcp_conn *c, struct tcp_endpoint *s,
				  const struct tcp_endpoint *r, const struct tcp_segment *seg,
				  uint32_t end)
{
	uint32_t ev = SEG_RETRANSMISSION;

	if (classify_fills_hole(c, s, seg, end))
		return classify_reorder(s, seg, end);
	s->retransmissions++;
	if (r->ack_known && seq_leq(end, r->ack))
		ev |= SEG_SPURIOUS_RETRANS;
	s->nxt = seq_max(end, s->nxt);
	return ev;
}

static uint32_t classify_data(const struct tcp_conn *c, struct tcp_endpoint *s,
			      const struct tcp_endpoint *r, const struct tcp_segment *seg)
{
	uint32_t len = classify_seg_len(seg), end = seg->seq + len, ev;

	if (!s->seq_known) {
		/* Picked up mid-stream: this is where S's space starts for us. */
		s->nxt = end;
		s->seq_known = true;
		return 0;
	}
	ev = classify_probe(s, r, seg);
	if (ev)
		return ev;
	if (seq_gt(seg->seq, s->nxt))
		return classify_gap(s, seg, end);
	if (len == 0)
		return 0;
	if (seg->seq == s->nxt) {
		s->nxt = end;
		return SEG_NEW_DATA;
	}
	return classify_old_data(c, s, r, seg, end);
}

static uint32_t classify_fin(struct tcp_endpoint *s, const struct tcp_segment *seg)
{
	if (!s->fin_sent) {
		s->fin_sent = true;
		s->fin_seq = seg->seq + seg->payload_len + !!(seg->flags & TH_SYN);
		s->fin_ts_ns = seg->ts_ns;
		s->fin_frame = seg->frame;
	}
	return SEG_FIN;
}

/* --- RST ---------------------------------------------------------------------- */

/*
 * Where the RST falls in R's receive window (RFC 5961 §3.2, Linux
 * tcp_validate_incoming()): exactly at rcv_nxt resets, elsewhere in the window
 * draws a challenge ACK, outside it is dropped. R's rcv_nxt as observed is its
 * highest ack; before R acked anything, S's nxt is what R expects next. A SYN
 * sender's rcv_nxt is unknown, and RFC 9293 §3.10.7.3 has it accept an RST
 * whose ACK covers its SYN: a refusal (R. seq 0 ack ISN+1) is exact for it.
 * No bit at all when R's rcv_nxt cannot be known.
 */
static uint32_t classify_rst(const struct tcp_endpoint *s, const struct tcp_endpoint *r,
			     const struct tcp_segment *seg)
{
	uint32_t ev = 0, rcv_nxt;

	if (classify_rst_stateless(seg))
		ev |= SEG_RST_STATELESS;
	if (!r->ack_known && (seg->flags & TH_ACK) && r->isn_known && seg->ack == r->isn + 1)
		return ev | SEG_RST_EXACT;
	if (r->ack_known)
		rcv_nxt = r->ack;
	else if (s->seq_known)
		rcv_nxt = s->nxt;
	else
		return ev;
	if (seg->seq == rcv_nxt)
		return ev | SEG_RST_EXACT;
	if (r->window && seq_in(seg->seq, rcv_nxt, rcv_nxt + r->window))
		return ev | SEG_RST_IN_WINDOW;
	return ev | SEG_RST_OUT_OF_WINDOW;
}

/* --- the ACK field -------------------------------------------------------------- */

/* Wireshark's and Linux's notion: nothing new in it, same ack, same window,
 * while the peer has data outstanding (tcp_ack() "dup ack" accounting). */
static bool classify_is_dup_ack(const struct tcp_endpoint *s, const struct tcp_endpoint *r,
				const struct tcp_segment *seg)
{
	return s->ack_known && seg->ack == s->last_ack && seg->window == s->window_raw &&
	       seg->window != 0 && seg->seq == s->last_seq && r->seq_known &&
	       seq_gt(r->nxt, seg->ack);
}

/*
 * A bare ACK that answers the peer's keep-alive, or the challenge ACK of RFC
 * 5961 §3 answering an in-window inexact RST (seq = snd_nxt, ack = rcv_nxt,
 * kernel-signatures.md §7.5): the peer's latest segment was that trigger and S
 * has sent nothing since.
 */
static uint32_t classify_answer(const struct tcp_endpoint *s, const struct tcp_endpoint *r,
				const struct tcp_segment *seg)
{
	uint32_t trigger = r->last_events & s->peer_events;

	if (trigger & SEG_KEEPALIVE)
		return SEG_KEEPALIVE_ACK;
	if ((trigger & SEG_RST_IN_WINDOW) && s->seq_known && seg->seq == s->nxt && s->ack_known &&
	    seg->ack == s->ack)
		return SEG_CHALLENGE_ACK;
	return 0;
}

static uint32_t classify_ack(struct tcp_endpoint *s, struct tcp_endpoint *r,
			     const struct tcp_segment *seg)
{
	uint32_t ev = 0;
	bool plain = seg->payload_len == 0 && !(seg->flags & (TH_SYN | TH_FIN | TH_RST));

	/* R sent data the capture missed, and S got it. Not while R has sent
	 * nothing but its SYN: then nothing beyond ISN+1 exists, and such an ack
	 * is unacceptable (RFC 9293 §3.10.7.3), not a sign of lost frames. */
	if (r->seq_known && seq_gt(seg->ack, r->nxt) && (r->ack_known || !r->syn_seen)) {
		ev |= SEG_ACKED_UNSEEN;
		r->missing_bytes += (uint32_t)seq_diff(seg->ack, r->nxt);
		r->nxt = seg->ack;
	}
	if (!plain)
		return ev;
	ev |= classify_answer(s, r, seg);
	if (!(ev & SEG_CHALLENGE_ACK) && classify_is_dup_ack(s, r, seg)) {
		ev |= SEG_DUP_ACK;
		s->dup_acks++;
	}
	if (s->ack_known && seg->seq == s->last_seq && seg->ack == s->last_ack &&
	    seg->window != s->window_raw)
		ev |= SEG_WINDOW_UPDATE;
	return ev;
}

uint32_t classify_window_bytes(const struct tcp_endpoint *s, const struct tcp_segment *seg)
{
	/* s->wscale is 0 unless both ends offered scaling (classify_wscale). */
	return (seg->flags & TH_SYN) ? seg->window : (uint32_t)seg->window << s->wscale;
}

/* Window and ACK bookkeeping after the segment was judged. */
static void classify_record(struct tcp_endpoint *s, const struct tcp_segment *seg)
{
	s->last_seq = seg->seq;
	if (seg->opt.has_timestamps) {
		s->timestamps = true;
		s->tsval = seg->opt.tsval;
		s->tsecr = seg->opt.tsecr;
	}
	/* An RST's window is no advertisement (a stateless one says 0). */
	if (!(seg->flags & TH_RST)) {
		s->window_raw = seg->window;
		s->window = classify_window_bytes(s, seg);
	}
	if (!(seg->flags & TH_ACK))
		return;
	if (!s->ack_known || seq_gt(seg->ack, s->ack))
		s->ack = seg->ack;
	s->ack_known = true;
	s->last_ack = seg->ack;
}

static uint32_t classify_window(const struct tcp_endpoint *r, const struct tcp_segment *seg)
{
	uint32_t ev = 0;

	if (seg->window == 0 && !(seg->flags & (TH_SYN | TH_FIN | TH_RST)))
		ev |= SEG_ZERO_WINDOW;
	if (seg->payload_len && !(seg->flags & (TH_SYN | TH_RST)) && r->ack_known &&
	    seg->seq + seg->payload_len == r->ack + r->window)
		ev |= SEG_WINDOW_FULL;
	return ev;
}

/* Remembers what this segment was, for the peer's next answer. */
static void classify_remember(struct tcp_endpoint *s, struct tcp_endpoint *r,
			      const struct tcp_segment *seg, uint32_t ev, bool old_space)
{
	s->last_flags = seg->flags;
	s->last_events = ev;
	s->last_old_space = old_space;
	s->peer_events = 0;
	r->peer_events |= ev;
}

/* Segments of the tuple's previous incarnation: counted, nothing else. */
static uint32_t classify_old_space(struct tcp_conn *c, int dir, const struct tcp_segment *seg)
{
	struct tcp_endpoint *s = &c->ep[dir];
	uint32_t ev = 0;

	if (classify_old_challenge(c, dir, seg)) {
		ev = SEG_CHALLENGE_ACK;
		s->old_ack = seg->ack;
	} else if (classify_old_rst(c, dir, seg)) {
		/* Exact for the stale socket: it carries that socket's rcv_nxt. */
		ev = SEG_RST_EXACT;
		if (classify_rst_stateless(seg))
			ev |= SEG_RST_STATELESS;
	}
	if (ev)
		classify_remember(s, &c->ep[!dir], seg, ev, true);
	return ev;
}

uint32_t classify_segment(struct tcp_conn *c, int dir, const struct tcp_segment *seg)
{
	struct tcp_endpoint *s, *r;
	uint32_t ev;

	dir = dir == DIR_C2S ? DIR_C2S : DIR_S2C;
	s = &c->ep[dir];
	r = &c->ep[!dir];
	classify_count(s, seg);
	ev = classify_old_space(c, dir, seg);
	if (ev)
		return ev;

	ev = classify_flags(seg);
	if (seg->flags & TH_SYN)
		ev |= classify_syn(s, r, seg);
	else if (seg->flags & TH_RST)
		ev |= classify_rst(s, r, seg);
	else
		ev |= classify_data(c, s, r, seg);
	if (seg->flags & TH_FIN) {
		ev |= SEG_FIN;
		if (!(seg->flags & TH_RST))
			classify_fin(s, seg);
	}
	if (seg->flags & TH_ACK)
		ev |= classify_ack(s, r, seg);
	ev |= classify_window(r, seg);
	if (ev & SEG_ZERO_WINDOW)
		s->zero_windows++;
	classify_record(s, seg);
	classify_remember(s, r, seg, ev, false);
	return ev;
}

static const char *const seg_event_names[] = {
	"new_data",
	"retransmission",
	"spurious_retransmission",
	"out_of_order",
	"previous_segment_not_captured",
	"acked_unseen",
	"dup_ack",
	"window_update",
	"zero_window",
	"zero_window_probe",
	"keepalive",
	"keepalive_ack",
	"challenge_ack",
	"rst_exact",
	"rst_in_window",
	"rst_out_of_window",
	"rst_stateless",
	"syn_retransmission",
	"synack_retransmission_timer",
	"synack_retransmission_dup",
	"fin",
	"window_full",
	"bad_flags",
};

const char *seg_event_name(uint32_t bit)
{
	unsigned i = 0;

	if (bit == 0 || (bit & (bit - 1)))
		return NULL;
	while (!(bit & 1u)) {
		bit >>= 1;
		i++;
	}
	if (i >= sizeof(seg_event_names) / sizeof(seg_event_names[0]))
		return NULL;
	return seg_event_names[i];
}
