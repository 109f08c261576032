/*
 * conn.c - a connection's two endpoints and their state timelines.
 *
 * A timeline keeps the first TIMELINE_HEAD changes of an endpoint's life and
 * the most recent ones: the beginning says how the connection was set up, the
 * end says how it died, and the middle of a long flapping life is counted, not
 * kept. Presumed changes (inferred from what the endpoint was sent) can be taken
 * back; the state the endpoint had before the oldest kept recent change is
 * remembered so that taking back survives compaction.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "analyzer/conn.h"

/* Entries kept from the start of the life; the rest of the array is a window
 * on the most recent changes. */
#define TIMELINE_HEAD (TIMELINE_MAX / 2)

void conn_init(struct tcp_conn *c, uint64_t id, const struct ip_addr *client, uint16_t cport,
	       const struct ip_addr *server, uint16_t sport)
{
	struct conn_links links = c->links;	/* the flow table's, not ours */

	/* Everything else starts empty, the packet log included: a pooled
	 * record must not lend a new incarnation its predecessor's notes. */
	memset(c, 0, sizeof(*c));
	c->links = links;
	c->id = id;
	c->ep[CLIENT].addr = *client;
	c->ep[CLIENT].port = cport;
	c->ep[SERVER].addr = *server;
	c->ep[SERVER].port = sport;
	c->ep[CLIENT].state = TCP_CLOSED;
	c->ep[SERVER].state = TCP_CLOSED;
	c->handshake_rtt_ns = -1;
	c->vantage = VANTAGE_UNKNOWN;
	c->end = END_CAPTURE;
	if (cport == sport && memcmp(client, server, sizeof(*client)) == 0)
		c->flags |= CONN_SELF;
}

/*
 * A self-connection has one address and port for both ends, so addresses
 * cannot tell its directions apart: there a SYN-ACK is the server's answer and
 * everything else is taken as the client's.
 */
int conn_dir(const struct tcp_conn *c, const struct tcp_segment *seg)
{
	const struct tcp_endpoint *cl = &c->ep[CLIENT];

	if (c->flags & CONN_SELF)
		return (seg->flags & (TH_SYN | TH_ACK)) == (TH_SYN | TH_ACK) ? DIR_S2C : DIR_C2S;
	if (seg->sport == cl->port && memcmp(&seg->src, &cl->addr, sizeof(seg->src)) == 0)
		return DIR_C2S;
	return DIR_S2C;
}

/* The state the endpoint was in before its latest timeline entry: the entry
 * before it, or, when the entries before it in the recent window were
 * compacted away, the state the last of those left it in. */
static enum tcp_state endpoint_prev_state(const struct tcp_endpoint *ep)
{
	const struct timeline *t = &ep->timeline;

	if (t->count == TIMELINE_HEAD + 1 && t->elided)
		return (enum tcp_state)ep->elided_state;
	if (t->count >= 2)
		return (enum tcp_state)t->at[t->count - 2].state;
	return TCP_CLOSED;
}

/* True when the endpoint's current state comes from a presumed entry (the
 * entry must still describe the current state: after a retraction past a
 * compacted stretch it may not). */
static bool endpoint_last_presumed(const struct tcp_endpoint *ep)
{
	const struct timeline *t = &ep->timeline;

	return t->count && t->at[t->count - 1].presumed && t->at[t->count - 1].state == ep->state;
}

bool endpoint_presumed(const struct tcp_endpoint *ep)
{
	return endpoint_last_presumed(ep);
}

/* Drops the oldest of the recent entries to make room: the head stays, the
 * window of recent changes slides. */
static void endpoint_compact(struct tcp_endpoint *ep)
{
	struct timeline *t = &ep->timeline;

	ep->elided_state = t->at[TIMELINE_HEAD].state;
	memmove(&t->at[TIMELINE_HEAD], &t->at[TIMELINE_HEAD + 1],
		(TIMELINE_MAX - TIMELINE_HEAD - 1) * sizeof(t->at[0]));
	t->count--;
	t->elided++;
}

void endpoint_set_state(struct tcp_endpoint *ep, enum tcp_state state, int64_t ts_ns,
			uint64_t frame, uint32_t capture, bool presumed)
{
	struct timeline *t = &ep->timeline;
	struct state_change *sc;

	if (state == ep->state) {
		if (!presumed)
			endpoint_confirm(ep);
		return;
	}
	/* Going back to where a presumed change came from: the endpoint never
	 * made that change, so it leaves no trace in the timeline. */
	if (endpoint_last_presumed(ep) && endpoint_prev_state(ep) == state) {
		endpoint_retract(ep);
		return;
	}
	if (t->count == TIMELINE_MAX)
		endpoint_compact(ep);
	sc = &t->at[t->count++];
	sc->ts_ns = ts_ns;
	sc->frame = frame;
	sc->capture = capture;
	sc->state = (uint8_t)state;
	sc->presumed = presumed;
	ep->state = state;
}

bool endpoint_retract(struct tcp_endpoint *ep)
{
	struct timeline *t = &ep->timeline;

	if (!endpoint_last_presumed(ep))
		return false;
	ep->state = endpoint_prev_state(ep);
	t->count--;
	return true;
}

void endpoint_confirm(struct tcp_endpoint *ep)
{
	if (endpoint_last_presumed(ep))
		ep->timeline.at[ep->timeline.count - 1].presumed = 0;
}

/* clang-format off */
static const char *const conn_end_names[END_COUNT] = {
	[END_CAPTURE] = "capture_end",
	[END_CLOSED] = "closed",
	[END_RESET] = "reset",
	[END_IDLE] = "idle",
	[END_REUSED] = "reused",
	[END_EVICTED] = "evicted",
};
/* clang-format on */

const char *conn_end_name(enum conn_end e)
{
	if ((unsigned)e >= END_COUNT)
		return "unknown";
	return conn_end_names[e];
}
