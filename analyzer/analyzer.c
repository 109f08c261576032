/*
 * analyzer.c - the engine: segments in, connections and findings out.
 *
 * For each segment: find the tuple's connection (or create one, deciding who
 * is the client), decide whether a SYN starts a new incarnation of the tuple,
 * run the sequence analysis and the two endpoints' state machines, time the
 * handshake, and hand the result to every detector. Connections are finalised
 * from the oldest end of two activity lists: closing ones after the linger
 * time, open ones after the idle time, so the work per frame is O(1) when
 * nothing expires.
 *
 * Everything is ordered by capture time, frame order and connection ids, never
 * by pointer values or the wall clock, so two runs give the same output.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "analyzer/aggregate.h"
#include "analyzer/analyzer.h"
#include "analyzer/classify.h"
#include "analyzer/detector.h"
#include "analyzer/flow_table.h"
#include "analyzer/thresholds.h"

#define NS_PER_S 1000000000LL
#define ANALYZER_IDLE_NS (600 * NS_PER_S)
#define ANALYZER_LINGER_NS (60 * NS_PER_S)
#define ANALYZER_MAX_CONNS 1000000u

/* Linux's default net.ipv4.ip_local_port_range. */
#define EPHEMERAL_LOW 32768
#define EPHEMERAL_HIGH 60999

struct analyzer {
	struct analyzer_config cfg;
	struct analyzer_sink sink;
	struct analyzer_stats stats;
	struct flow_table *table;

	bool clock_set;
	int64_t now;			/* capture time: only moves forward */
	uint64_t last_id;		/* connection ids handed out */
	struct capture_info *cur;	/* the capture being read */
	bool finished;

	struct aggregates *agg;		/* findings per listener and host */
	void **det_state;		/* per detector, in registry order */
	size_t running;			/* index of the detector whose hook runs */
};

static void analyzer_finalise(struct analyzer *a, struct tcp_conn *c, enum conn_end why);

void analyzer_config_default(struct analyzer_config *cfg)
{
	cfg->idle_timeout_ns = ANALYZER_IDLE_NS;
	cfg->linger_ns = ANALYZER_LINGER_NS;
	cfg->max_connections = ANALYZER_MAX_CONNS;
	thresholds_default(&cfg->detect);
}

static size_t analyzer_ndetectors(void)
{
	size_t n = 0;

	while (detectors[n])
		n++;
	return n;
}

/* A detector nearly always asks for its own state from its own hook, on every
 * segment: that one is found without scanning the registry. */
void *analyzer_detector_state(struct analyzer *a, const struct detector *d)
{
	if (detectors[a->running] == d)
		return a->det_state[a->running];
	for (size_t i = 0; detectors[i]; i++)
		if (detectors[i] == d)
			return a->det_state[i];
	return NULL;
}

static bool analyzer_new_detectors(struct analyzer *a)
{
	size_t n = analyzer_ndetectors();

	a->det_state = calloc(n + 1, sizeof(*a->det_state));
	if (!a->det_state)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (detectors[i]->new_state && !(a->det_state[i] = detectors[i]->new_state(a)))
			return false;
	}
	return true;
}

static void analyzer_free_detectors(struct analyzer *a)
{
	if (!a->det_state)
		return;
	for (size_t i = 0; detectors[i]; i++)
		if (detectors[i]->free_state && a->det_state[i])
			detectors[i]->free_state(a->det_state[i]);
	free(a->det_state);
}

struct analyzer *analyzer_new(const struct analyzer_config *cfg, const struct analyzer_sink *sink)
{
	struct analyzer *a = calloc(1, sizeof(*a));

	if (!a)
		return NULL;
	if (cfg)
		a->cfg = *cfg;
	else
		analyzer_config_default(&a->cfg);
	a->sink = *sink;
	a->table = flow_table_new(a->cfg.max_connections);
	a->agg = aggregates_new();
	if (!a->table || !a->agg || !analyzer_new_detectors(a)) {
		analyzer_free(a);
		return NULL;
	}
	return a;
}

void analyzer_free(struct analyzer *a)
{
	if (!a)
		return;
	flow_table_free(a->table);
	aggregates_free(a->agg);
	analyzer_free_detectors(a);
	free(a);
}

const struct analyzer_stats *analyzer_stats(const struct analyzer *a)
{
	return &a->stats;
}

const struct analyzer_config *analyzer_config(const struct analyzer *a)
{
	return &a->cfg;
}

struct capture_info *analyzer_capture(struct analyzer *a)
{
	return a->cur;
}

/*
 * Copies the note of each of f's frames from c's packet log or, failing that,
 * from the live earlier incarnations of its tuple, which a finding about a
 * reused tuple may cite. A frame whose note is gone keeps a zeroed one.
 */
static void analyzer_fill_packets(const struct tcp_conn *c, struct finding *f)
{
	uint32_t n = f->nframes < FINDING_MAX_FRAMES ? f->nframes : FINDING_MAX_FRAMES;

	memset(f->packets, 0, sizeof(f->packets));
	for (uint32_t i = 0; c && i < n; i++) {
		for (const struct tcp_conn *k = c; k; k = k->links.older) {
			const struct packet_note *note =
				packet_log_find(&k->plog, f->capture, f->frames[i]);

			if (note) {
				f->packets[i] = *note;
				break;
			}
		}
	}
}

void analyzer_report(struct analyzer *a, struct tcp_conn *c, struct finding *f)
{
	analyzer_fill_packets(c, f);
	f->id = ++a->stats.findings;
	if (c && c->nfindings < CONN_MAX_FINDINGS)
		c->findings[c->nfindings++] = f->id;
	aggregates_add(a->agg, f);
	a->sink.finding(a->sink.ctx, f);
}

struct aggregates *analyzer_aggregates(struct analyzer *a)
{
	return a->agg;
}

/* Hands the roll-ups to the sink, most severe first. A host group is only
 * worth a line when several of its listeners share the problem; otherwise it
 * repeats its one listener's group. */
static void analyzer_emit_aggregates(struct analyzer *a)
{
	aggregates_sort(a->agg);
	for (uint32_t i = 0; i < aggregates_count(a->agg); i++) {
		struct aggregate *ag = aggregates_get(a->agg, i);

		if (ag->server_port == 0 && ag->listeners < 2)
			continue;
		if (a->sink.aggregate)
			a->sink.aggregate(a->sink.ctx, ag);
	}
}

/* --- finalisation ------------------------------------------------------------ */

static bool analyzer_both_closed(const struct tcp_conn *c)
{
	for (int i = 0; i < 2; i++) {
		if (c->ep[i].state != TCP_CLOSED && c->ep[i].state != TCP_TIME_WAIT)
			return false;
	}
	return true;
}

/*
 * Closed on both sides, or reset: an RST of this segment took an endpoint to
 * CLOSED (the state machine accepted it), which sets CONN_RESET. Worked out
 * afresh after every segment: when a presumed close is taken back, or a retried
 * handshake revives the tuple, no RST ended the connection after all.
 */
static void analyzer_update_closing(struct analyzer *a, struct tcp_conn *c,
				    const struct seg_view *v)
{
	bool closed_now = false;

	for (int i = 0; i < 2; i++) {
		if (v->before[i] != TCP_CLOSED && v->after[i] == TCP_CLOSED)
			closed_now = true;
	}
	if (closed_now && (v->seg->flags & TH_RST))
		c->flags |= CONN_RESET;
	if (c->ep[CLIENT].state != TCP_CLOSED && c->ep[SERVER].state != TCP_CLOSED)
		c->flags &= ~(uint32_t)CONN_RESET;
	c->closing = analyzer_both_closed(c) || (c->flags & CONN_RESET);
	flow_table_touch(a->table, c);
}

/*
 * The one way a connection leaves the analyzer. Its live older incarnation
 * goes first, so the sink sees a tuple's connections in id order; it was
 * replaced, hence END_REUSED, unless the whole run or capture is ending.
 */
static void analyzer_finalise(struct analyzer *a, struct tcp_conn *c, enum conn_end why)
{
	if (c->links.older)
		analyzer_finalise(a, c->links.older, why == END_CAPTURE ? END_CAPTURE : END_REUSED);
	tcp_state_expire(c, a->now);
	c->end = why;
	for (size_t i = 0; detectors[i]; i++) {
		if (detectors[i]->on_conn_end) {
			a->running = i;
			detectors[i]->on_conn_end(a, c);
		}
	}
	a->sink.connection(a->sink.ctx, c);
	a->stats.connections++;
	flow_table_remove(a->table, c);
}

static int analyzer_cmp_id(const void *x, const void *y)
{
	const struct tcp_conn *const *p = x, *const *q = y;

	return (*p)->id < (*q)->id ? -1 : (*p)->id > (*q)->id;
}

/*
 * Finalises every live connection in ascending id order. The order makes the
 * output independent of table layout; an older incarnation always has a
 * smaller id than its successor, so it is finalised before it is reached
 * through c->links.older. Without memory for the array, list order is the fallback.
 */
static void analyzer_finalise_all(struct analyzer *a, enum conn_end why)
{
	uint32_t n = flow_table_count(a->table), k = 0;
	struct tcp_conn **all;
	struct tcp_conn *c;

	if (n == 0)
		return;
	all = malloc((size_t)n * sizeof(*all));
	if (!all) {
		for (int l = 0; l < FLOW_LISTS; l++) {
			while ((c = flow_table_oldest(a->table, (enum flow_list)l)))
				analyzer_finalise(a, c, why);
		}
		return;
	}
	for (int l = 0; l < FLOW_LISTS; l++) {
		for (c = flow_table_oldest(a->table, (enum flow_list)l); c && k < n;
		     c = flow_table_newer(c))
			all[k++] = c;
	}
	qsort(all, k, sizeof(*all), analyzer_cmp_id);
	for (uint32_t i = 0; i < k; i++)
		analyzer_finalise(a, all[i], why);
	free(all);
}

/* --- time ------------------------------------------------------------------- */

/* Finalises from the oldest end of one list while its records are older than
 * the limit; stops at the first that is not. */
static void analyzer_expire_list(struct analyzer *a, enum flow_list which, int64_t limit_ns)
{
	struct tcp_conn *c;

	while ((c = flow_table_oldest(a->table, which)) && c->last_ts_ns < a->now - limit_ns) {
		enum conn_end why = END_IDLE;

		if (which == FLOW_CLOSING)
			why = (c->flags & CONN_RESET) ? END_RESET : END_CLOSED;
		analyzer_finalise(a, c, why);
	}
}

void analyzer_clock(struct analyzer *a, int64_t ts_ns)
{
	if (!a->clock_set || ts_ns > a->now) {
		a->now = ts_ns;
		a->clock_set = true;
	}
	analyzer_expire_list(a, FLOW_CLOSING, a->cfg.linger_ns);
	analyzer_expire_list(a, FLOW_OPEN, a->cfg.idle_timeout_ns);
}

/*
 * A file that starts before the previous one ended is not the next part of
 * the timeline but another view of the same traffic (two interfaces, a copy):
 * mixing it into the open connections would replay segments as duplicates.
 */
void analyzer_begin_capture(struct analyzer *a, struct capture_info *ci)
{
	if (a->cur) {
		int64_t prev_end = a->cur->last_ts_ns ? a->cur->last_ts_ns : a->now;

		if (ci->first_ts_ns && ci->first_ts_ns < prev_end) {
			analyzer_finalise_all(a, END_CAPTURE);
			a->clock_set = false;
			a->now = 0;
		} else {
			ci->continued = true;
		}
	}
	a->cur = ci;
}

void analyzer_finish(struct analyzer *a)
{
	if (a->finished)
		return;
	a->finished = true;
	analyzer_finalise_all(a, END_CAPTURE);
	/* Every connection finding is in: run-end ones are never per connection. */
	aggregates_finish(a->agg);
	for (size_t i = 0; detectors[i]; i++) {
		if (detectors[i]->on_run_end) {
			a->running = i;
			detectors[i]->on_run_end(a);
		}
	}
	analyzer_emit_aggregates(a);
}

/* --- new connections ---------------------------------------------------------- */

static bool analyzer_is_syn(const struct tcp_segment *seg)
{
	return (seg->flags & (TH_SYN | TH_ACK)) == TH_SYN;
}

static bool analyzer_is_synack(const struct tcp_segment *seg)
{
	return (seg->flags & (TH_SYN | TH_ACK)) == (TH_SYN | TH_ACK);
}

/* A record for the segment's tuple; when the table is full, the least recently
 * active connection (closing ones first: they are done anyway) makes room. */
static struct tcp_conn *analyzer_insert(struct analyzer *a, const struct tcp_segment *seg)
{
	struct tcp_conn *c, *victim;

	while (!(c = flow_table_insert(a->table, seg))) {
		victim = flow_table_oldest(a->table, FLOW_CLOSING);
		if (!victim)
			victim = flow_table_oldest(a->table, FLOW_OPEN);
		if (!victim)
			return NULL;	/* out of memory with nothing to give back */
		a->stats.evicted++;
		analyzer_finalise(a, victim, END_EVICTED);
	}
	if (flow_table_count(a->table) > a->stats.peak_open)
		a->stats.peak_open = flow_table_count(a->table);
	return c;
}

/* Initialises a record the flow table has just inserted for seg's tuple. */
static void analyzer_conn_init(struct analyzer *a, struct tcp_conn *c, const struct ip_addr *client,
			       uint16_t cport, const struct ip_addr *server, uint16_t sport,
			       const struct tcp_segment *seg)
{
	conn_init(c, ++a->last_id, client, cport, server, sport);
	c->first_ts_ns = seg->ts_ns;
	c->first_frame = seg->frame;
	c->first_capture = seg->capture;
	c->vantage = vantage_infer(c);	/* same_host is known before any handshake */
}

static bool analyzer_ephemeral(uint16_t port)
{
	return port >= EPHEMERAL_LOW && port <= EPHEMERAL_HIGH;
}

/* Mid-stream pick-up: which end is the server, judged by the ports alone. */
static bool analyzer_guess_dst_is_server(const struct tcp_segment *seg)
{
	uint16_t s = seg->sport, d = seg->dport;

	if ((s < 1024) != (d < 1024))
		return d < 1024;
	if (analyzer_ephemeral(s) != analyzer_ephemeral(d))
		return !analyzer_ephemeral(d);
	if (s != d)
		return d < s;
	return true;	/* no clue: the receiver of the first segment we saw */
}

static void analyzer_presume_established(struct tcp_conn *c, const struct tcp_segment *seg)
{
	c->flags |= CONN_MIDSTREAM | CONN_ROLES_GUESSED;
	for (int i = 0; i < 2; i++)
		endpoint_set_state(&c->ep[i], TCP_ESTABLISHED, seg->ts_ns, seg->frame,
				   seg->capture, true);
	history_mark_guessed(&c->history);
}

/* A SYN-ACK first: the client must have sent the SYN it answers, with the ISN
 * one below the SYN-ACK's ack. */
static void analyzer_presume_syn_sent(struct tcp_conn *c, const struct tcp_segment *seg)
{
	struct tcp_endpoint *cl = &c->ep[CLIENT];

	endpoint_set_state(cl, TCP_SYN_SENT, seg->ts_ns, seg->frame, seg->capture, true);
	cl->isn = seg->ack - 1;
	cl->isn_known = true;
	cl->nxt = seg->ack;
	cl->seq_known = true;
}

static struct tcp_conn *analyzer_new_conn(struct analyzer *a, const struct tcp_segment *seg)
{
	struct tcp_conn *c = analyzer_insert(a, seg);

	if (!c)
		return NULL;
	if (analyzer_is_syn(seg)) {
		analyzer_conn_init(a, c, &seg->src, seg->sport, &seg->dst, seg->dport, seg);
	} else if (analyzer_is_synack(seg)) {
		analyzer_conn_init(a, c, &seg->dst, seg->dport, &seg->src, seg->sport, seg);
		analyzer_presume_syn_sent(c, seg);
	} else if (analyzer_guess_dst_is_server(seg)) {
		analyzer_conn_init(a, c, &seg->src, seg->sport, &seg->dst, seg->dport, seg);
		analyzer_presume_established(c, seg);
	} else {
		analyzer_conn_init(a, c, &seg->dst, seg->dport, &seg->src, seg->sport, seg);
		analyzer_presume_established(c, seg);
	}
	return c;
}

/* --- incarnations ------------------------------------------------------------- */

/*
 * Does a SYN (no ACK) continue c, or open the tuple's next incarnation?
 * From the client it continues c only as a retransmission (same ISN). From the
 * server it continues c only as a simultaneous open: the client still in
 * SYN-SENT and nothing yet from the server. Marks the simultaneous open.
 */
static bool analyzer_starts_incarnation(struct tcp_conn *c, const struct tcp_segment *seg)
{
	const struct tcp_endpoint *cl = &c->ep[CLIENT], *sv = &c->ep[SERVER];

	if (!analyzer_is_syn(seg))
		return false;
	if (conn_dir(c, seg) == DIR_C2S)
		return !cl->isn_known || seg->seq != cl->isn;
	if (sv->seq_known || sv->packets || cl->state != TCP_SYN_SENT)
		return true;
	c->flags |= CONN_SIMULTANEOUS_OPEN;
	return false;
}

/* Index in old of the endpoint at addr:port, which holds `role` in the new
 * connection (a self-connection's ends only differ by role). */
static int analyzer_old_side(const struct tcp_conn *old, const struct ip_addr *addr,
			     uint16_t port, int role)
{
	const struct tcp_endpoint *cl = &old->ep[CLIENT];

	if (old->flags & CONN_SELF)
		return role;
	return cl->port == port && memcmp(&cl->addr, addr, sizeof(*addr)) == 0 ? CLIENT : SERVER;
}

/* The old connection as the new SYN found it, in the new connection's roles:
 * the SYN's sender is the new client. */
static void analyzer_fill_prev(struct predecessor *p, const struct tcp_conn *old,
			       const struct tcp_segment *seg)
{
	int side[2];

	side[CLIENT] = analyzer_old_side(old, &seg->src, seg->sport, CLIENT);
	side[SERVER] = analyzer_old_side(old, &seg->dst, seg->dport, SERVER);
	memset(p, 0, sizeof(*p));
	p->id = old->id;
	p->gap_ns = seg->ts_ns - old->last_ts_ns;
	p->end_ts_ns = old->last_ts_ns;
	for (int role = 0; role < 2; role++) {
		const struct tcp_endpoint *ep = &old->ep[side[role]];

		p->state[role] = ep->state;
		if (ep->timeline.count)
			p->since_ns[role] = ep->timeline.at[ep->timeline.count - 1].ts_ns;
		p->nxt[role] = ep->nxt;
		p->ack[role] = ep->ack;
		p->seq_known[role] = ep->seq_known;
		p->ack_known[role] = ep->ack_known;
	}
}

/*
 * Sets an endpoint of the old connection CLOSED at this frame, unless it is.
 * The old connection keeps its place on the activity lists: nothing was seen
 * FROM it, and moving it would make its finalisation depend on unrelated
 * traffic. It ends with the new handshake (END_REUSED) or, like any other,
 * by linger, idle time or the end of the run.
 */
static void analyzer_close_old(struct tcp_conn *old, int side, const struct tcp_segment *seg,
			       bool presumed)
{
	if (old->ep[side].state != TCP_CLOSED)
		endpoint_set_state(&old->ep[side], TCP_CLOSED, seg->ts_ns, seg->frame,
				   seg->capture, presumed);
}

/*
 * A SYN opened the tuple's next incarnation. The old connection stays live: a
 * stale socket on the other side (CLOSE-WAIT, TIME-WAIT) is still there until
 * the new handshake shows it is gone. Only the SYN's sender is known to have
 * dropped its old socket: it would not reuse the tuple otherwise.
 */
static struct tcp_conn *analyzer_new_incarnation(struct analyzer *a, struct tcp_conn *old,
						 const struct tcp_segment *seg)
{
	struct predecessor prev;
	struct tcp_conn *nu;

	if (old->links.older)
		analyzer_finalise(a, old->links.older, END_REUSED);

	/* Record what the predecessor looked like before anything changes it, and
	 * before making room in a full table can evict it. */
	analyzer_fill_prev(&prev, old, seg);
	analyzer_close_old(old, analyzer_old_side(old, &seg->src, seg->sport, CLIENT), seg, false);

	nu = analyzer_insert(a, seg);
	if (!nu)
		return NULL;
	analyzer_conn_init(a, nu, &seg->src, seg->sport, &seg->dst, seg->dport, seg);
	nu->prev = prev;
	return nu;
}

/*
 * What the new connection's segments say about the stale socket of the old
 * one (kernel-signatures.md §2.3, §3.4): the new client's RST carrying the old
 * server's rcv_nxt is accepted by that socket and kills it; a SYN-ACK from the
 * new server proves the old socket is gone, so the old connection is done.
 */
static void analyzer_stale_effects(struct analyzer *a, struct tcp_conn *c, int dir,
				   const struct tcp_segment *seg)
{
	struct tcp_conn *old = c->links.older;
	int side;

	if (!old || old->id != c->prev.id)
		return;
	side = analyzer_old_side(old, &c->ep[SERVER].addr, c->ep[SERVER].port, SERVER);
	if (dir == DIR_C2S && (seg->flags & (TH_RST | TH_ACK)) == TH_RST &&
	    c->prev.ack_known[SERVER] && seg->seq == c->prev.ack[SERVER]) {
		analyzer_close_old(old, side, seg, true);
	} else if (dir == DIR_S2C && analyzer_is_synack(seg)) {
		analyzer_close_old(old, side, seg, false);
		analyzer_finalise(a, old, END_REUSED);
	}
}

/* --- per segment ---------------------------------------------------------------- */

/* The handshake's three times: the latest client SYN before the first
 * SYN-ACK, the first SYN-ACK, the client's first ACK of the server's ISN. */
static void analyzer_handshake(struct analyzer *a, struct tcp_conn *c, int dir,
			       const struct tcp_segment *seg)
{
	const struct tcp_endpoint *sv = &c->ep[SERVER];

	if (c->hs_ack_ts_ns)
		return;
	if (dir == DIR_C2S && analyzer_is_syn(seg) && !c->synack_ts_ns) {
		c->syn_ts_ns = seg->ts_ns;
	} else if (dir == DIR_S2C && analyzer_is_synack(seg) && !c->synack_ts_ns) {
		c->synack_ts_ns = seg->ts_ns;
	} else if (dir == DIR_C2S && c->synack_ts_ns &&
		   (seg->flags & (TH_SYN | TH_RST | TH_ACK)) == TH_ACK && sv->isn_known &&
		   seg->ack == sv->isn + 1) {
		c->hs_ack_ts_ns = seg->ts_ns;
		c->vantage = vantage_infer(c);
		if (!c->syn_ts_ns)
			return;	/* picked up at the SYN-ACK: not a whole handshake */
		c->handshake_rtt_ns = c->hs_ack_ts_ns - c->syn_ts_ns;
		if (a->cur)
			a->cur->vantage_votes[c->vantage]++;
	}
}

static void analyzer_run_detectors(struct analyzer *a, struct tcp_conn *c,
				   const struct seg_view *v)
{
	for (size_t i = 0; detectors[i]; i++) {
		if (detectors[i]->on_segment) {
			a->running = i;
			detectors[i]->on_segment(a, c, v);
		}
	}
}

/* Events a detector may cite long after the packet went by: they earn the
 * packet a slot in the log's notable ring (packet_log.h). */
static const uint32_t analyzer_notable_events =
	SEG_RETRANSMISSION | SEG_SPURIOUS_RETRANS | SEG_OUT_OF_ORDER | SEG_PREV_NOT_CAPTURED |
	SEG_ACKED_UNSEEN | SEG_DUP_ACK | SEG_WINDOW_UPDATE | SEG_ZERO_WINDOW |
	SEG_ZERO_WINDOW_PROBE | SEG_KEEPALIVE | SEG_KEEPALIVE_ACK | SEG_CHALLENGE_ACK |
	SEG_RST_EXACT | SEG_RST_IN_WINDOW | SEG_RST_OUT_OF_WINDOW | SEG_RST_STATELESS |
	SEG_SYN_RETRANS | SEG_SYNACK_RETRANS_TIMER | SEG_SYNACK_RETRANS_DUP | SEG_FIN |
	SEG_BAD_FLAGS;

/*
 * Notes the segment in c's packet log with both states after it, before the
 * detectors run, so a finding raised on this very segment finds its note.
 * seq and ack are made relative to the ISNs when those are known and the
 * segment is in this connection's sequence space: a challenge ACK answering
 * a new SYN, and the RST answering that, carry the predecessor's numbers.
 */
static void analyzer_log_packet(struct tcp_conn *c, const struct seg_view *v)
{
	const struct tcp_segment *seg = v->seg;
	const struct tcp_endpoint *s = &c->ep[v->dir], *r = &c->ep[!v->dir];
	bool own_space = !s->last_old_space, has_ack = seg->flags & TH_ACK;
	struct packet_note n = {
		.frame = seg->frame,
		.ts_ns = seg->ts_ns,
		.capture = seg->capture,
		.seq = seg->seq,
		.ack = has_ack ? seg->ack : 0,
		.len = seg->payload_len,
		.window = classify_window_bytes(s, seg),
		.events = v->events,
		.flags = seg->flags,
		.dir = (uint8_t)v->dir,
		.state_after = { (uint8_t)v->after[CLIENT], (uint8_t)v->after[SERVER] },
		.seq_relative = own_space && s->isn_known,
		.ack_relative = own_space && has_ack && r->isn_known,
	};
	bool notable = (seg->flags & (TH_SYN | TH_FIN | TH_RST)) ||
		       (v->events & analyzer_notable_events) ||
		       v->before[CLIENT] != v->after[CLIENT] || v->before[SERVER] != v->after[SERVER];

	if (n.seq_relative)
		n.seq -= s->isn;
	if (n.ack_relative)
		n.ack -= r->isn;
	packet_log_add(&c->plog, &n, notable);
}

/* Data from a side that has already taken its peer's FIN (CLOSE-WAIT) is
 * a half-close in use: shutdown(SHUT_WR) on one side, the other still
 * answering. Worth showing in the connection table, never a finding. */
static void analyzer_half_close(struct tcp_conn *c, int dir, const struct tcp_segment *seg,
				uint32_t events)
{
	if (seg->payload_len > 0 && (events & SEG_NEW_DATA) &&
	    c->ep[dir].state == TCP_CLOSE_WAIT)
		c->flags |= CONN_HALF_CLOSE;
}

static void analyzer_process(struct analyzer *a, struct tcp_conn *c, const struct tcp_segment *seg)
{
	struct seg_view v;

	memset(&v, 0, sizeof(v));
	v.seg = seg;
	v.dir = conn_dir(c, seg);
	for (int i = 0; i < 2; i++)
		v.before[i] = c->ep[i].state;

	v.events = classify_segment(c, v.dir, seg);
	tcp_state_update(c, v.dir, seg, v.events);
	history_add(&c->history, v.dir, seg, v.events);
	c->last_ts_ns = seg->ts_ns;
	c->last_frame = seg->frame;
	c->last_capture = seg->capture;
	analyzer_handshake(a, c, v.dir, seg);
	analyzer_stale_effects(a, c, v.dir, seg);
	analyzer_half_close(c, v.dir, seg, v.events);

	for (int i = 0; i < 2; i++)
		v.after[i] = c->ep[i].state;
	analyzer_log_packet(c, &v);
	analyzer_run_detectors(a, c, &v);
	analyzer_update_closing(a, c, &v);
}

void analyzer_segment(struct analyzer *a, const struct tcp_segment *seg)
{
	struct tcp_conn *c;

	analyzer_clock(a, seg->ts_ns);
	a->stats.segments++;
	c = flow_table_find(a->table, seg);
	if (!c)
		c = analyzer_new_conn(a, seg);
	else if (analyzer_starts_incarnation(c, seg))
		c = analyzer_new_incarnation(a, c, seg);
	if (c)
		analyzer_process(a, c, seg);
}
