/*
 * tcp_state.c - each endpoint's RFC 9293 state, from the segments seen.
 *
 * A segment moves two endpoints: its sender, whose state it proves (a FIN from
 * it means it closed), and its receiver, whose state it changes only if it
 * arrived (presumed, marked so in the timeline, and taken back when the
 * receiver later sends something that contradicts it).
 *
 * One function per current state of an endpoint, chosen by one switch, as
 * Suricata's stream engine does; each is told what just happened to the
 * endpoint. The steps of one segment run in the order the receiving stack
 * would process them (RFC 9293 §3.10.7.4): what the sender's own segment says
 * about it, the ACK field at the receiver, the FIN, and the RST.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "analyzer/classify.h"
#include "analyzer/conn.h"
#include "analyzer/seq.h"
#include "analyzer/tcp_state.h"

#define NS_PER_SEC 1000000000LL

/* Linux TCP_TIMEWAIT_LEN: 60 s, not tunable (kernel-signatures.md §0.4). */
#define TIME_WAIT_NS (60 * NS_PER_SEC)

/* How many times one step may run again after taking a presumed state back;
 * bounds the work on a crafted capture. */
#define STATE_REDISPATCH_MAX 4

/* A SYN or SYN-ACK sent again with the same ISN (classify.c). */
#define STATE_SYN_AGAIN (SEG_SYN_RETRANS | SEG_SYNACK_RETRANS_TIMER | SEG_SYNACK_RETRANS_DUP)

/* What happened to the endpoint being moved. */
enum state_input {
	IN_SENT,     /* it sent this segment (SYN, ACK, data) */
	IN_SENT_FIN, /* ...and the segment carries its FIN */
	IN_SENT_RST, /* it sent an RST */
	IN_RCVD_ACK, /* it was sent this segment: the SYN-ACK / ACK field */
	IN_RCVD_FIN, /* ...an in-sequence FIN */
	IN_RCVD_RST, /* ...an RST */
};

struct state_ctx {
	const struct tcp_segment *seg;
	uint32_t events;
	struct tcp_endpoint *snd; /* the segment's sender */
	struct tcp_endpoint *rcv; /* its receiver */
};

static const char *const tcp_state_names[TCP_STATE_COUNT] = {
	[TCP_CLOSED] = "CLOSED",
	[TCP_SYN_SENT] = "SYN-SENT",
	[TCP_SYN_RECEIVED] = "SYN-RECEIVED",
	[TCP_ESTABLISHED] = "ESTABLISHED",
	[TCP_FIN_WAIT_1] = "FIN-WAIT-1",
	[TCP_FIN_WAIT_2] = "FIN-WAIT-2",
	[TCP_CLOSE_WAIT] = "CLOSE-WAIT",
	[TCP_CLOSING] = "CLOSING",
	[TCP_LAST_ACK] = "LAST-ACK",
	[TCP_TIME_WAIT] = "TIME-WAIT",
};

const char *tcp_state_name(enum tcp_state s)
{
	if ((unsigned)s >= TCP_STATE_COUNT)
		return "UNKNOWN";
	return tcp_state_names[s];
}

bool tcp_state_synchronized(enum tcp_state s)
{
	return s >= TCP_ESTABLISHED && s < TCP_STATE_COUNT;
}

/* --- helpers -------------------------------------------------------------------- */

static void state_enter(const struct state_ctx *x, struct tcp_endpoint *ep, enum tcp_state state,
			bool presumed)
{
	endpoint_set_state(ep, state, x->seg->ts_ns, x->seg->frame, x->seg->capture, presumed);
}

static struct tcp_endpoint *state_peer(const struct state_ctx *x, const struct tcp_endpoint *ep)
{
	return ep == x->snd ? x->rcv : x->snd;
}

static bool state_has(const struct state_ctx *x, uint16_t flag)
{
	return x->seg->flags & flag;
}

/* The segment's ACK field acceptably covers the SYN of `ep`: RFC 9293
 * §3.10.7.3/4, ISS < SEG.ACK =< SND.NXT. */
static bool state_acks_syn(const struct state_ctx *x, const struct tcp_endpoint *ep)
{
	return state_has(x, TH_ACK) && ep->isn_known && seq_gt(x->seg->ack, ep->isn) &&
	       (!ep->seq_known || seq_leq(x->seg->ack, ep->nxt));
}

/* The segment's ACK field covers the FIN of `ep`. */
static bool state_acks_fin(const struct state_ctx *x, const struct tcp_endpoint *ep)
{
	return state_has(x, TH_ACK) && ep->fin_sent && seq_geq(x->seg->ack, ep->fin_seq + 1);
}

/*
 * Would the receiver's stack accept this RST (Linux tcp_validate_incoming(),
 * tcp_reset_check(); RFC 5961 §3.2)? Exactly at rcv_nxt, or rcv_nxt - 1 once
 * the peer's FIN was received (CLOSE-WAIT, LAST-ACK, CLOSING: OS X sends its
 * RST at its FIN's seq), or we cannot tell where rcv_nxt is. An inexact
 * in-window RST draws a challenge ACK; an out-of-window one is dropped.
 */
static bool state_rst_accepted(const struct state_ctx *x, const struct tcp_endpoint *ep)
{
	const uint32_t where = SEG_RST_EXACT | SEG_RST_IN_WINDOW | SEG_RST_OUT_OF_WINDOW;

	if (x->events & SEG_RST_EXACT)
		return true;
	if (!(x->events & where))
		return true;
	return (ep->state == TCP_CLOSE_WAIT || ep->state == TCP_LAST_ACK ||
		ep->state == TCP_CLOSING) &&
	       ep->ack_known && x->seg->seq == ep->ack - 1;
}

/* Takes presumed states back until `target` (or nothing presumed is left),
 * then makes sure the endpoint is in `target`: what it just sent proves it. */
static void state_back_to(const struct state_ctx *x, struct tcp_endpoint *ep, enum tcp_state target)
{
	for (int i = 0; i < TIMELINE_MAX && ep->state != target; i++) {
		if (!endpoint_retract(ep))
			break;
	}
	state_enter(x, ep, target, false);
}

/*
 * Its SYN or SYN-ACK again while only presumed past it: it never got the
 * SYN-ACK (a SYN re-sent), or never took the handshake ACK (a SYN-ACK re-sent:
 * Linux keeps the request sock in SYN-RECEIVED when the accept queue is full
 * and re-sends the SYN-ACK on its timer, kernel-signatures.md §1.1), nor
 * anything presumed after it. Returns true when it handled the segment.
 */
static bool state_syn_again(const struct state_ctx *x, struct tcp_endpoint *ep)
{
	if (!(x->events & STATE_SYN_AGAIN) || !endpoint_presumed(ep))
		return false;
	if (state_has(x, TH_ACK))
		ep->handshake_ack_dropped = true;
	state_back_to(x, ep, state_has(x, TH_ACK) ? TCP_SYN_RECEIVED : TCP_SYN_SENT);
	return true;
}

/* An RST received: accepted ones close the endpoint (presumed). */
static void state_rcvd_rst(const struct state_ctx *x, struct tcp_endpoint *ep)
{
	if (state_rst_accepted(x, ep))
		state_enter(x, ep, TCP_CLOSED, true);
}

/* --- one function per state ------------------------------------------------------ */

/* Returns true when the step must run again on the state it went back to. */
static bool state_closed(const struct state_ctx *x, struct tcp_endpoint *ep, enum state_input in)
{
	switch (in) {
	case IN_SENT:
		/* It was only presumed CLOSED (an RST or last ACK we thought it
		 * got); sending anything but an RST says it did not. */
		if (endpoint_presumed(ep) && endpoint_retract(ep))
			return true;
		if (!state_has(x, TH_SYN))
			return false;
		state_enter(x, ep, state_has(x, TH_ACK) ? TCP_SYN_RECEIVED : TCP_SYN_SENT, false);
		return false;
	default:
		/* An RST from CLOSED is a stateless answer; nothing to receive. */
		return false;
	}
}

static bool state_syn_sent(const struct state_ctx *x, struct tcp_endpoint *ep, enum state_input in)
{
	switch (in) {
	case IN_SENT:
		endpoint_confirm(ep);
		if (state_has(x, TH_SYN)) {
			/* Its own SYN-ACK: it got the peer's crossing SYN (RFC 9293
			 * §3.5 simultaneous open). A bare SYN is a retry. */
			if (state_has(x, TH_ACK))
				state_enter(x, ep, TCP_SYN_RECEIVED, false);
			return false;
		}
		/* Acknowledging the peer's SYN: it got the SYN-ACK. */
		if (state_has(x, TH_ACK) &&
		    (!state_peer(x, ep)->isn_known || state_acks_syn(x, state_peer(x, ep))))
			state_enter(x, ep, TCP_ESTABLISHED, false);
		return false;
	case IN_SENT_RST:
		/* Linux reset_and_undo: an unacceptable ACK in SYN-SENT is answered
		 * by an RST and the SYN is retried (kernel-signatures.md §2.2). */
		return false;
	case IN_RCVD_ACK:
		if (state_has(x, TH_SYN) && state_acks_syn(x, ep))
			state_enter(x, ep, TCP_ESTABLISHED, true);
		return false;
	case IN_RCVD_RST:
		/* RFC 9293 §3.10.7.3: in SYN-SENT an RST counts only when its ACK
		 * covers our SYN: connection refused. */
		if (state_acks_syn(x, ep))
			state_enter(x, ep, TCP_CLOSED, true);
		return false;
	default:
		return false;
	}
}

static bool state_syn_received(const struct state_ctx *x, struct tcp_endpoint *ep,
			       enum state_input in)
{
	switch (in) {
	case IN_SENT:
		endpoint_confirm(ep);
		/* Anything but a SYN from it means a full socket exists: e.g. the
		 * server finally ACKs the client's data once the accept queue
		 * drained (kernel-signatures.md §1.3). */
		if (!state_has(x, TH_SYN))
			state_enter(x, ep, TCP_ESTABLISHED, false);
		return false;
	case IN_SENT_FIN:
		state_enter(x, ep, TCP_FIN_WAIT_1, false);
		return false;
	case IN_SENT_RST:
		state_enter(x, ep, TCP_CLOSED, false);
		return false;
	case IN_RCVD_ACK:
		/* Once it has shown that it throws handshake ACKs away (a full
		 * accept queue), only what it sends itself can prove it took one:
		 * presuming again would make its final state depend on whether
		 * the capture ends on the client's ACK or on its next SYN-ACK. */
		if (state_acks_syn(x, ep) && !ep->handshake_ack_dropped)
			state_enter(x, ep, TCP_ESTABLISHED, true);
		return false;
	case IN_RCVD_FIN:
		/* The FIN reaches the same full queue as the ACK did. */
		if (!ep->handshake_ack_dropped)
			state_enter(x, ep, TCP_CLOSE_WAIT, true);
		return false;
	case IN_RCVD_RST:
		/* A request socket dies on any in-window RST, silently. */
		if (x->events & (SEG_RST_EXACT | SEG_RST_IN_WINDOW) || state_rst_accepted(x, ep))
			state_enter(x, ep, TCP_CLOSED, true);
		return false;
	}
	return false;
}

/*
 * What every synchronized state does alike with an RST: its own closes it (an
 * active reset from its socket), and one it accepts closes it. Linux kills even
 * a TIME-WAIT mini-socket on an in-window RST (tcp_timewait_state_process(),
 * kernel-signatures.md §4.1; RFC 1337 assassination). An RST the peer will not
 * accept (not at its rcv_nxt) may be forged by a third party (§7.5, samples/
 * challenge-ack-rst.pcap): its "sender" is only presumed closed, and taken
 * back when it goes on talking.
 */
static bool state_sync_common(const struct state_ctx *x, struct tcp_endpoint *ep,
			      enum state_input in)
{
	if (in == IN_SENT_RST)
		state_enter(x, ep, TCP_CLOSED, !state_rst_accepted(x, state_peer(x, ep)));
	else if (in == IN_RCVD_RST)
		state_rcvd_rst(x, ep);
	return false;
}

static bool state_established(const struct state_ctx *x, struct tcp_endpoint *ep,
			      enum state_input in)
{
	switch (in) {
	case IN_SENT:
		endpoint_confirm(ep);
		/* Its ACK covers the peer's FIN, which we did not see arrive in
		 * sequence (a capture gap before it): it got it. */
		if (!state_has(x, TH_SYN) && state_acks_fin(x, state_peer(x, ep)))
			state_enter(x, ep, TCP_CLOSE_WAIT, false);
		return false;
	case IN_SENT_FIN:
		state_enter(x, ep, TCP_FIN_WAIT_1, false);
		return false;
	case IN_RCVD_FIN:
		state_enter(x, ep, TCP_CLOSE_WAIT, true);
		return false;
	default:
		return state_sync_common(x, ep, in);
	}
}

static bool state_fin_wait_1(const struct state_ctx *x, struct tcp_endpoint *ep,
			     enum state_input in)
{
	switch (in) {
	case IN_SENT:
		/* Its ACK covering the peer's FIN, which we did not see arrive in
		 * sequence: it got it. */
		if (state_acks_fin(x, state_peer(x, ep)))
			state_enter(x, ep, TCP_CLOSING, false);
		return false;
	case IN_RCVD_ACK:
		if (state_acks_fin(x, ep))
			state_enter(x, ep, TCP_FIN_WAIT_2, true);
		return false;
	case IN_RCVD_FIN:
		/* RFC 9293 §3.6: a FIN that does not acknowledge ours means both
		 * closed at once: CLOSING (kernel-signatures.md §10.2). */
		state_enter(x, ep, TCP_CLOSING, true);
		return false;
	default:
		return state_sync_common(x, ep, in);
	}
}

static bool state_fin_wait_2(const struct state_ctx *x, struct tcp_endpoint *ep,
			     enum state_input in)
{
	switch (in) {
	case IN_SENT:
		/* Its FIN again: the ACK of it never arrived. */
		if (state_has(x, TH_FIN) && endpoint_presumed(ep) && endpoint_retract(ep))
			return true;
		endpoint_confirm(ep);
		if (state_acks_fin(x, state_peer(x, ep)))
			state_enter(x, ep, TCP_TIME_WAIT, false);
		return false;
	case IN_RCVD_FIN:
		state_enter(x, ep, TCP_TIME_WAIT, true);
		return false;
	default:
		return state_sync_common(x, ep, in);
	}
}

/*
 * Presumed CLOSE-WAIT, and its own FIN does not acknowledge the peer's: it
 * closed before the peer's FIN reached it, a simultaneous close. It was
 * ESTABLISHED, its FIN made it FIN-WAIT-1, and the peer's FIN, already on its
 * way, makes it CLOSING (RFC 9293 §3.6 case 2).
 */
static void state_crossing_fin(const struct state_ctx *x, struct tcp_endpoint *ep)
{
	endpoint_retract(ep);
	state_enter(x, ep, TCP_FIN_WAIT_1, false);
	state_enter(x, ep, TCP_CLOSING, true);
}

static bool state_close_wait(const struct state_ctx *x, struct tcp_endpoint *ep,
			     enum state_input in)
{
	switch (in) {
	case IN_SENT:
		if (!state_has(x, TH_FIN) || !endpoint_presumed(ep) || !state_has(x, TH_ACK) ||
		    state_acks_fin(x, state_peer(x, ep)))
			endpoint_confirm(ep);
		return false;
	case IN_SENT_FIN:
		if (endpoint_presumed(ep))
			state_crossing_fin(x, ep);
		else
			state_enter(x, ep, TCP_LAST_ACK, false);
		return false;
	default:
		return state_sync_common(x, ep, in);
	}
}

/*
 * CLOSING and LAST-ACK both wait for the ACK of their own FIN, and leave for
 * `next` (TIME-WAIT, CLOSED) when it comes.
 */
static bool state_await_fin_ack(const struct state_ctx *x, struct tcp_endpoint *ep,
				enum state_input in, enum tcp_state next)
{
	switch (in) {
	case IN_SENT:
		endpoint_confirm(ep);
		return false;
	case IN_RCVD_ACK:
		if (state_acks_fin(x, ep))
			state_enter(x, ep, next, true);
		return false;
	default:
		return state_sync_common(x, ep, in);
	}
}

static bool state_closing(const struct state_ctx *x, struct tcp_endpoint *ep, enum state_input in)
{
	return state_await_fin_ack(x, ep, in, TCP_TIME_WAIT);
}

static bool state_last_ack(const struct state_ctx *x, struct tcp_endpoint *ep, enum state_input in)
{
	return state_await_fin_ack(x, ep, in, TCP_CLOSED);
}

static bool state_time_wait(const struct state_ctx *x, struct tcp_endpoint *ep, enum state_input in)
{
	switch (in) {
	case IN_SENT:
		endpoint_confirm(ep);
		return false;
	default:
		return state_sync_common(x, ep, in);
	}
}

/* --- dispatch --------------------------------------------------------------------- */

static bool state_dispatch_once(const struct state_ctx *x, struct tcp_endpoint *ep,
				enum state_input in)
{
	switch (ep->state) {
	case TCP_CLOSED:
		return state_closed(x, ep, in);
	case TCP_SYN_SENT:
		return state_syn_sent(x, ep, in);
	case TCP_SYN_RECEIVED:
		return state_syn_received(x, ep, in);
	case TCP_ESTABLISHED:
		return state_established(x, ep, in);
	case TCP_FIN_WAIT_1:
		return state_fin_wait_1(x, ep, in);
	case TCP_FIN_WAIT_2:
		return state_fin_wait_2(x, ep, in);
	case TCP_CLOSE_WAIT:
		return state_close_wait(x, ep, in);
	case TCP_CLOSING:
		return state_closing(x, ep, in);
	case TCP_LAST_ACK:
		return state_last_ack(x, ep, in);
	case TCP_TIME_WAIT:
		return state_time_wait(x, ep, in);
	case TCP_STATE_COUNT:
		break;
	}
	return false;
}

static void state_dispatch(const struct state_ctx *x, struct tcp_endpoint *ep, enum state_input in)
{
	for (int i = 0; i < STATE_REDISPATCH_MAX; i++) {
		if (!state_dispatch_once(x, ep, in))
			return;
	}
}

/* A FIN the receiver can take: not after a hole in the sender's stream. */
static bool state_fin_in_sequence(const struct state_ctx *x)
{
	return (x->events & SEG_FIN) && !(x->events & SEG_PREV_NOT_CAPTURED) &&
	       !(x->events & SEG_BAD_FLAGS);
}

void tcp_state_update(struct tcp_conn *c, int dir, const struct tcp_segment *seg, uint32_t events)
{
	struct state_ctx x;

	dir = dir == DIR_C2S ? DIR_C2S : DIR_S2C;
	x.seg = seg;
	x.events = events;
	x.snd = &c->ep[dir];
	x.rcv = &c->ep[!dir];

	/* The previous incarnation's challenge ACK and the RST answering it:
	 * neither socket of this connection moves (the client stays SYN-SENT and
	 * retries its SYN, the server has no socket for it yet). A challenge
	 * ACK inside this connection answers an RST that changed nothing. */
	if (x.snd->last_old_space || (events & SEG_CHALLENGE_ACK))
		return;
	if (seg->flags & TH_RST) {
		state_dispatch(&x, x.snd, IN_SENT_RST);
		state_dispatch(&x, x.rcv, IN_RCVD_RST);
		return;
	}
	if (!state_syn_again(&x, x.snd))
		state_dispatch(&x, x.snd, IN_SENT);
	state_dispatch(&x, x.rcv, IN_RCVD_ACK);
	if ((seg->flags & TH_FIN) && !(seg->flags & TH_SYN)) {
		state_dispatch(&x, x.snd, IN_SENT_FIN);
		if (state_fin_in_sequence(&x))
			state_dispatch(&x, x.rcv, IN_RCVD_FIN);
	}
}

/* TIME-WAIT ends 2*MSL after it began (Linux: 60 s, no packet); the change is
 * dated then, with no frame. */
void tcp_state_expire(struct tcp_conn *c, int64_t now_ns)
{
	for (int i = 0; i < 2; i++) {
		struct tcp_endpoint *ep = &c->ep[i];
		const struct timeline *t = &ep->timeline;
		const struct state_change *sc;

		if (ep->state != TCP_TIME_WAIT || !t->count)
			continue;
		sc = &t->at[t->count - 1];
		if (sc->state != TCP_TIME_WAIT || now_ns - sc->ts_ns < TIME_WAIT_NS)
			continue;
		endpoint_set_state(ep, TCP_CLOSED, sc->ts_ns + TIME_WAIT_NS, 0, sc->capture, false);
	}
}
