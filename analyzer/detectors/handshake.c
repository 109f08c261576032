/*
 * handshake.c - the establishment detectors: handshake_ack_lost,
 * syncookie_handshake, self_connect and simultaneous_open (ANOMALIES.md).
 *
 * on_segment only records, in struct handshake_conn, the handshake segments
 * and what followed the server's SYN-ACK re-send; the verdicts are taken in
 * on_conn_end, when the whole connection is known. Across connections the
 * family keeps one bounded table: what each listener's SYN-ACKs normally
 * carry, the yardstick for a SYN cookie that dropped the client's options.
 *
 * Boundaries with the listener family: two or more timer-driven SYN-ACK
 * re-sends, or client data left unacknowledged while the server re-sends, is
 * accept_queue_overflow (kernel-signatures.md §1.9), never handshake_ack_lost.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "analyzer/analyzer.h"
#include "analyzer/classify.h"
#include "analyzer/detector.h"
#include "analyzer/detectors/explain.h"

#define NS_PER_MS 1000000LL

extern const struct detector detector_handshake;

/* Options of a SYN or SYN-ACK (hs_opts_t). */
enum {
	HS_OPT_MSS = 1u << 0,
	HS_OPT_WSCALE = 1u << 1,
	HS_OPT_SACK = 1u << 2,
	HS_OPT_TS = 1u << 3,
	HS_OPT_ECN = 1u << 4,	/* SYN: ECE and CWR; SYN-ACK: ECE (RFC 3168 setup) */
};

/* What one SYN-ACK said about its listener's habits (listener_vote). */
enum { HS_VOTE_NONE, HS_VOTE_WITH, HS_VOTE_WITHOUT };

/* Listeners remembered at once; a crafted capture with more only loses the
 * comparison for the ones pushed out, never memory. */
#define HS_LISTENERS 4096
#define HS_PROBE 8

/* TCP timestamp option bytes in every segment once negotiated (10 + 2 NOPs). */
#define HS_TS_OVERHEAD 12

/* Linux SYN cookie timestamps: the client's options sit in the low 6 bits,
 * and the value is rounded down to at most now (kernel-signatures.md §1.7). */
#define HS_COOKIE_TS_SPAN 64
/* How far behind the server's clock a SYN-ACK timestamp must be, beyond the
 * timing uncertainty, before it counts as a clue: a normal SYN-ACK carries the
 * current clock (sample noise is 0-1 tick). */
#define HS_COOKIE_TS_MIN_BEHIND 3
/* The option bits of a cookie TSval (cookie_init_timestamp(), §1.7): bits
 * 0-3 the client's window scale (0xF: none), bit 4 SACK, bit 5 ECN. */
#define HS_COOKIE_TS_WSCALE_NONE 0xfu
#define HS_COOKIE_TS_SACK (1u << 4)
#define HS_COOKIE_TS_ECN (1u << 5)
#define HS_MAX_WSCALE 14	/* TCP_MAX_WSCALE: the kernel clamps the offer */

/* Linux's first SYN-ACK re-send comes 1 s after the first (TCP_TIMEOUT_INIT,
 * §8.2); the samples show 1.018-1.02 s. Much later is another stack, or
 * TCP_DEFER_ACCEPT holding a bare ACK on purpose (§1.6). */
#define HS_GRID_MIN_NS (900 * NS_PER_MS)
#define HS_GRID_MAX_NS (1250 * NS_PER_MS)

/* No SYN-ACK timer fires sooner than TCP_RTO_MIN (200 ms, §0.4): a "re-send"
 * closer to the first is the capture's duplicate of it. */
#define HS_RESEND_MIN_NS (200 * NS_PER_MS)

/* Linux default net.ipv4.ip_local_port_range. */
#define HS_EPHEMERAL_LOW 32768
#define HS_EPHEMERAL_HIGH 60999

struct hs_listener {
	struct ip_addr addr;
	uint16_t port;
	bool used;
	uint32_t with;		/* SYN-ACKs returning every offered wscale/SACK */
	uint32_t without;	/* SYN-ACKs lacking one the client offered */
	uint8_t ttl_with;	/* IP TTL of the first SYN-ACK counted in with */
	bool ttl_with_mixed;	/* later ones came with another TTL */
};

struct hs_state {
	struct hs_listener slot[HS_LISTENERS];
};

/* --- the listener memory --------------------------------------------------------- */

static void *handshake_new_state(const struct analyzer *a)
{
	(void)a;
	return calloc(1, sizeof(struct hs_state));
}

static uint32_t handshake_hash(const struct ip_addr *addr, uint16_t port)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < sizeof(addr->bytes); i++)
		h = (h ^ addr->bytes[i]) * 16777619u;
	h = (h ^ (port & 0xff)) * 16777619u;
	h = (h ^ (port >> 8)) * 16777619u;
	return h;
}

/* The listener's record, made if create is set. Records are never removed,
 * so a probe run ends at the first free slot; when the run is full the home
 * slot is taken over (bounded and deterministic). */
static struct hs_listener *handshake_listener(struct hs_state *st, const struct ip_addr *addr,
					      uint16_t port, bool create)
{
	uint32_t h = handshake_hash(addr, port);
	struct hs_listener *l = NULL;

	if (!st)
		return NULL;
	for (uint32_t i = 0; i < HS_PROBE; i++) {
		l = &st->slot[(h + i) % HS_LISTENERS];
		if (!l->used)
			break;
		if (l->port == port && l->addr.family == addr->family &&
		    memcmp(l->addr.bytes, addr->bytes, sizeof(addr->bytes)) == 0)
			return l;
	}
	if (!create)
		return NULL;
	if (l->used)
		l = &st->slot[h % HS_LISTENERS];
	memset(l, 0, sizeof(*l));
	l->addr = *addr;
	l->port = port;
	l->used = true;
	return l;
}

/* Counts the first SYN-ACK of a connection: did it return what was offered? */
static void handshake_listener_vote(struct analyzer *a, struct tcp_conn *c)
{
	struct handshake_conn *h = &c->det.handshake;
	hs_opts_t offered = h->syn_opts & (HS_OPT_WSCALE | HS_OPT_SACK);
	struct hs_listener *l;

	if (!h->syn_frame || !offered || (c->flags & (CONN_SIMULTANEOUS_OPEN | CONN_SELF)))
		return;
	l = handshake_listener(analyzer_detector_state(a, &detector_handshake),
			       &c->ep[SERVER].addr, c->ep[SERVER].port, true);
	if (!l)
		return;
	if ((h->synack_opts & offered) == offered) {
		if (!l->with)
			l->ttl_with = h->synack_ttl;
		else if (l->ttl_with != h->synack_ttl)
			l->ttl_with_mixed = true;
		l->with++;
		h->listener_vote = HS_VOTE_WITH;
	} else {
		l->without++;
		h->listener_vote = HS_VOTE_WITHOUT;
	}
}

/* --- recording, per segment -------------------------------------------------------- */

static hs_opts_t handshake_opts(const struct tcp_segment *seg)
{
	const struct tcp_options *o = &seg->opt;
	uint16_t ecn = (seg->flags & TH_ACK) ? TH_ECE : TH_ECE | TH_CWR;

	return (o->has_mss ? HS_OPT_MSS : 0) | (o->has_wscale ? HS_OPT_WSCALE : 0) |
	       (o->sack_permitted ? HS_OPT_SACK : 0) | (o->has_timestamps ? HS_OPT_TS : 0) |
	       ((seg->flags & ecn) == ecn ? HS_OPT_ECN : 0);
}

static void handshake_syn(struct handshake_conn *h, const struct seg_view *v)
{
	const struct tcp_segment *seg = v->seg;

	if (v->dir == DIR_S2C) {
		if (!h->srv_syn_frame) {
			h->srv_syn_frame = seg->frame;
			h->srv_syn_ts_ns = seg->ts_ns;
		}
		return;
	}
	if (!h->syn_frame) {
		h->syn_frame = seg->frame;
		h->syn_ts_ns = seg->ts_ns;
		h->syn_opts = handshake_opts(seg);
		h->syn_wscale = seg->opt.has_wscale ? seg->opt.wscale : 0;
		h->syn_mss = seg->opt.has_mss ? seg->opt.mss : 0;
	}
	if (h->synack_frame)
		h->syn_after_synack = true;
	else
		h->syn_tsval = seg->opt.tsval;
}

static void handshake_synack(struct analyzer *a, struct tcp_conn *c, const struct seg_view *v)
{
	struct handshake_conn *h = &c->det.handshake;
	const struct tcp_segment *seg = v->seg;

	if (v->dir == DIR_C2S) {
		if (!h->cli_synack_frame) {
			h->cli_synack_frame = seg->frame;
			h->cli_synack_ts_ns = seg->ts_ns;
			h->cli_synack_ack = seg->ack;
		}
		return;
	}
	if (h->synack_frame && seg->ts_ns - h->synack_ts_ns < HS_RESEND_MIN_NS)
		return;		/* a copy of the first one (mirror port): no timer is that fast */
	if (!h->synack_frame) {
		h->synack_frame = seg->frame;
		h->synack_ts_ns = seg->ts_ns;
		h->synack_tsval = seg->opt.tsval;
		h->synack_ack = seg->ack;
		h->synack_opts = handshake_opts(seg);
		h->synack_ttl = seg->ip_ttl;
		handshake_listener_vote(a, c);
	} else if (v->events & SEG_SYNACK_RETRANS_TIMER) {
		if (!h->timer_resends) {
			h->resend_frame = seg->frame;
			h->resend_ts_ns = seg->ts_ns;
			h->resend_tsecr = seg->opt.tsecr;
			h->resend_has_ts = seg->opt.has_timestamps;
			h->data_before_resend = c->ep[CLIENT].bytes > 0;
		}
		if (h->timer_resends < UINT8_MAX)
			h->timer_resends++;
	} else if (v->events & SEG_SYNACK_RETRANS_DUP) {
		if (h->dup_resends < UINT8_MAX)
			h->dup_resends++;
	}
}

/* A client segment acknowledging the server's SYN: the handshake ACK before
 * any re-send, the answer to the re-send after it. */
static void handshake_from_client(struct tcp_conn *c, const struct seg_view *v)
{
	struct handshake_conn *h = &c->det.handshake;
	const struct tcp_segment *seg = v->seg;

	if (h->answer_frame && !h->progress_frame && (v->events & SEG_RETRANSMISSION))
		h->retrans_before_progress = true;
	if (!h->synack_frame || !(seg->flags & TH_ACK) || (seg->flags & TH_RST) ||
	    seg->ack != c->ep[SERVER].isn + 1)
		return;
	if (!h->timer_resends) {
		if (!h->ack_frame) {
			h->ack_frame = seg->frame;
			h->ack_ts_ns = seg->ts_ns;
			h->ack_tsval = seg->opt.tsval;
			h->ack_has_ts = seg->opt.has_timestamps;
		}
	} else if (!h->answer_frame) {
		h->answer_frame = seg->frame;
		h->answer_ts_ns = seg->ts_ns;
	}
}

static void handshake_from_server(struct tcp_conn *c, const struct seg_view *v)
{
	struct handshake_conn *h = &c->det.handshake;
	const struct tcp_segment *seg = v->seg;

	if (h->answer_frame && !h->progress_frame) {
		h->progress_frame = seg->frame;
		h->progress_ts_ns = seg->ts_ns;
		h->progress_rst = seg->flags & TH_RST;
	}
	if (!h->synack_frame || (seg->flags & TH_RST))
		return;
	if (!h->srv_ts_frame && seg->opt.has_timestamps) {
		h->srv_ts_frame = seg->frame;
		h->srv_ts_ns = seg->ts_ns;
		h->srv_tsval = seg->opt.tsval;
	}
	if (seg->payload_len > h->max_payload) {
		h->max_payload = seg->payload_len;
		h->max_payload_count = 1;
		h->max_payload_frame = seg->frame;
		h->max_payload_ts_ns = seg->ts_ns;
	} else if (seg->payload_len && seg->payload_len == h->max_payload) {
		h->max_payload_count++;
	}
}

static void handshake_on_segment(struct analyzer *a, struct tcp_conn *c, const struct seg_view *v)
{
	uint16_t fl = v->seg->flags & (TH_SYN | TH_ACK | TH_RST);

	if (fl == TH_SYN)
		handshake_syn(&c->det.handshake, v);
	else if (fl == (TH_SYN | TH_ACK))
		handshake_synack(a, c, v);
	else if (v->dir == DIR_C2S)
		handshake_from_client(c, v);
	else
		handshake_from_server(c, v);
}

/* --- self_connect (kernel-signatures.md §9) ---------------------------------------- */

static void handshake_self_connect(struct analyzer *a, struct tcp_conn *c)
{
	const struct handshake_conn *h = &c->det.handshake;
	const struct tcp_endpoint *cl = &c->ep[CLIENT], *sv = &c->ep[SERVER];
	bool same_isn = cl->isn_known && sv->isn_known && cl->isn == sv->isn && h->synack_frame;
	bool ephemeral = cl->port >= HS_EPHEMERAL_LOW && cl->port <= HS_EPHEMERAL_HIGH;
	char me[EXPLAIN_ADDR_MAX];
	struct finding f;

	finding_init(&f, KIND_SELF_CONNECT, c);
	f.confidence = same_isn ? 1.0 : 0.6;
	finding_frame(&f, h->syn_frame, h->syn_ts_ns);
	finding_frame(&f, h->synack_frame, h->synack_ts_ns);
	finding_frame(&f, h->ack_frame, h->ack_ts_ns);
	finding_frame(&f, c->last_frame, c->last_ts_ns);
	explain_ep(me, c, CLIENT);
	finding_text(&f, "endpoint", me);
	finding_int(&f, "port", cl->port);
	finding_bool(&f, "synack_repeats_syn_isn", same_isn);
	finding_bool(&f, "established", h->ack_frame != 0);
	finding_int(&f, "bytes_sent_to_itself", (int64_t)(cl->bytes + sv->bytes));
	finding_bool(&f, "port_in_default_ephemeral_range", ephemeral);
	finding_summary(&f, "%s connected to itself: a client got its own destination port as "
			"source port, with nothing listening there", me);
	finding_explain(&f,
		"Every packet of this connection goes from %s to %s. A program connect()ed to "
		"port %u on its own host while nothing listened there; the kernel picked %u as "
		"the local (ephemeral) port too, so the SYN came back to the same socket. %s"
		"That socket, in SYN-SENT, took its own SYN for a crossing SYN, moved to "
		"SYN-RECEIVED, answered itself with a SYN-ACK and went ESTABLISHED: the "
		"\"server\" it talks to is itself (the two endpoints shown here are one "
		"socket with one state%s), and it reads back whatever it writes (%llu bytes "
		"here). No other host is at fault: the "
		"service on port %u was down and the port lies inside the client's ephemeral "
		"range%s. Fix: move the service port out of net.ipv4.ip_local_port_range, or "
		"reserve it with net.ipv4.ip_local_reserved_ports; make clients check that "
		"getsockname() differs from getpeername() and retry. ",
		me, me, (unsigned)cl->port, (unsigned)cl->port,
		same_isn ? "The SYN-ACK repeats the SYN's own sequence number, which only a socket "
			   "answering itself does. " :
			   "The capture lacks the SYN-ACK that would prove one socket answered "
			   "itself; spoofed traffic with equal source and destination (a LAND "
			   "attack, from outside, with no local connect()) looks alike. ",
		cl->fin_sent ? ": its own FIN came back, so it went CLOSING, then TIME-WAIT" : "",
		(unsigned long long)(cl->bytes + sv->bytes), (unsigned)cl->port,
		ephemeral ? " (Linux default 32768-60999)" : " (it is outside the Linux default "
			    "32768-60999: check this host's setting)");
	analyzer_report(a, c, &f);
}

/* --- simultaneous_open (kernel-signatures.md §10.1) -------------------------------- */

/* Each crossing SYN acknowledged by the other end's SYN-ACK (§10.3). */
static bool handshake_both_synced(const struct tcp_conn *c, const struct handshake_conn *h)
{
	const struct tcp_endpoint *cl = &c->ep[CLIENT], *sv = &c->ep[SERVER];

	return h->synack_frame && h->cli_synack_frame && cl->isn_known && sv->isn_known &&
	       h->synack_ack == cl->isn + 1 && h->cli_synack_ack == sv->isn + 1;
}

/* The second end answered the SYN with a SYN and never sent a SYN-ACK; the
 * first end's SYN-ACK completed it: a "split handshake" (same RFC path). */
static bool handshake_split(const struct tcp_conn *c, const struct handshake_conn *h)
{
	return h->srv_syn_frame && !h->synack_frame && h->cli_synack_frame &&
	       c->ep[SERVER].isn_known && h->cli_synack_ack == c->ep[SERVER].isn + 1;
}

static void handshake_simultaneous_explain(struct finding *f, const struct tcp_conn *c,
					   bool both, bool split)
{
	const struct handshake_conn *h = &c->det.handshake;
	char ca[EXPLAIN_ADDR_MAX], sa[EXPLAIN_ADDR_MAX];

	explain_ep(ca, c, CLIENT);
	explain_ep(sa, c, SERVER);
	if (split)
		finding_explain(f, "%s answered the SYN of %s (frame %llu) with a bare SYN of its "
				"own (frame %llu) instead of a SYN-ACK, and %s completed the "
				"handshake with a SYN-ACK (frame %llu): a \"split handshake\". TCP "
				"allows it (it takes the simultaneous-open path), but Linux, BSD "
				"and Windows never answer a SYN that way; it is used to confuse "
				"firewalls and intrusion detection, which then take the wrong end "
				"for the client. Check what runs on %s. ", sa, ca,
				(unsigned long long)h->syn_frame, (unsigned long long)h->srv_syn_frame,
				ca, (unsigned long long)h->cli_synack_frame, sa);
	else
		finding_explain(f, "%s and %s each called connect() to the other at about the "
				"same time: their SYNs crossed (frames %llu and %llu). Each end, in "
				"SYN-SENT, received the other's SYN, moved to SYN-RECEIVED and "
				"answered with a SYN-ACK of its own; each became ESTABLISHED when "
				"the other's SYN-ACK or ACK arrived (RFC 9293 simultaneous open). "
				"%sThis is legal TCP and nobody is at fault; it is typical of "
				"peer-to-peer NAT traversal (TCP hole punching). If it is not "
				"expected, look for two programs that bind() fixed local ports and "
				"dial each other at the same moment (for instance both reconnecting "
				"after a failure). ", ca, sa, (unsigned long long)h->syn_frame,
				(unsigned long long)h->srv_syn_frame,
				both ? "Each SYN-ACK acknowledged the other end's SYN: both ends "
				       "synchronised. " :
				       "The capture does not show each SYN acknowledged by the "
				       "other end's SYN-ACK, so the outcome is not proven. ");
	finding_explain(f, "There is no real server: the report calls %s the client only because "
			"the capture saw its SYN first, so the roles can differ between "
			"captures of the same connection.", ca);
}

static void handshake_simultaneous(struct analyzer *a, struct tcp_conn *c)
{
	const struct handshake_conn *h = &c->det.handshake;
	const struct tcp_endpoint *cl = &c->ep[CLIENT], *sv = &c->ep[SERVER];
	char ca[EXPLAIN_ADDR_MAX], sa[EXPLAIN_ADDR_MAX];
	bool both = handshake_both_synced(c, h), split = handshake_split(c, h);
	struct finding f;

	finding_init(&f, KIND_SIMULTANEOUS_OPEN, c);
	f.confidence = both ? 1.0 : split ? 0.9 : 0.6;
	finding_frame(&f, h->syn_frame, h->syn_ts_ns);
	finding_frame(&f, h->srv_syn_frame, h->srv_syn_ts_ns);
	finding_frame(&f, h->cli_synack_frame, h->cli_synack_ts_ns);
	finding_frame(&f, h->synack_frame, h->synack_ts_ns);
	if (h->syn_frame && h->srv_syn_frame)
		finding_secs(&f, "syn_gap", h->srv_syn_ts_ns - h->syn_ts_ns);
	finding_int(&f, "first_syn_isn", cl->isn);
	finding_int(&f, "second_syn_isn", sv->isn);
	finding_bool(&f, "both_isns_acknowledged", both);
	finding_bool(&f, "split_handshake", split);
	finding_text(&f, "first_final_state", tcp_state_name(cl->state));
	finding_text(&f, "second_final_state", tcp_state_name(sv->state));
	explain_ep(ca, c, CLIENT);
	explain_ep(sa, c, SERVER);
	if (split)
		finding_summary(&f, "split handshake: %s answered the SYN of %s with a SYN, not a "
				"SYN-ACK", sa, ca);
	else
		finding_summary(&f, "simultaneous open: %s and %s both sent a SYN before either "
				"answered", ca, sa);
	handshake_simultaneous_explain(&f, c, both, split);
	analyzer_report(a, c, &f);
}

/* --- handshake_ack_lost (kernel-signatures.md §1.6, §8.2) ------------------------ */

/* One timer-driven re-send, answered, after which the server moved on before
 * the client had to re-send anything. */
static bool handshake_ack_lost_shape(const struct tcp_conn *c, const struct handshake_conn *h)
{
	if (c->flags & (CONN_SIMULTANEOUS_OPEN | CONN_SELF | CONN_MIDSTREAM))
		return false;
	/* A re-send answering a repeated SYN is no lost ACK: the client never
	 * got the SYN-ACK (§8.2); a second timer re-send is the listener's. */
	if (!h->synack_frame || h->timer_resends != 1 || h->dup_resends || h->syn_after_synack)
		return false;
	/* Client data left unacknowledged while the server re-sends is
	 * accept_queue_overflow (§1.9 rule 3b), the listener family's. */
	if (h->data_before_resend)
		return false;
	return h->answer_frame && h->progress_frame && !h->progress_rst &&
	       !h->retrans_before_progress;
}

/* Which client segment the re-sent SYN-ACK's TSecr names (§1.5). */
static const char *handshake_tsecr_echo(const struct handshake_conn *h)
{
	bool syn, ack;

	if (!h->resend_has_ts)
		return NULL;
	syn = h->syn_frame && (h->syn_opts & HS_OPT_TS) && h->resend_tsecr == h->syn_tsval;
	ack = h->ack_frame && h->ack_has_ts && h->resend_tsecr == h->ack_tsval;
	if (syn && ack)
		return "syn_and_handshake_ack";
	if (syn)
		return "syn";
	if (ack)
		return "handshake_ack";
	return "other";
}

/* Who dropped the ACK, as far as the capture point can tell (§0.3). */
static const char *handshake_where_lost(const struct tcp_conn *c, const struct handshake_conn *h)
{
	if (h->ack_frame) {
		if (explain_at(c, SERVER))
			return "The capture was taken at the server host and shows that ACK "
			       "arriving, so the network delivered it: the server host dropped "
			       "it before its TCP took it (a firewall rule, a conntrack INVALID "
			       "drop) or its TCP discarded it (a momentarily full accept queue). ";
		if (explain_at(c, CLIENT))
			return "The capture near the client shows that ACK leaving: it was lost "
			       "on the way or dropped at the server (firewall, full accept "
			       "queue); only a capture at the server can tell which. ";
		return "That ACK passed the capture point: it was lost beyond it, or dropped "
		       "at the server host (firewall, full accept queue). ";
	}
	if (explain_at(c, SERVER))
		return "No ACK reached the server before the re-send: the client's ACK, or the "
		       "first SYN-ACK on its way out, was lost in the network (or the round "
		       "trip is longer than the 1 s timer). ";
	if (explain_at(c, CLIENT))
		return "No ACK of the first SYN-ACK is in this capture taken near the client, "
		       "which probably missed it. ";
	return "No ACK of the first SYN-ACK is in the capture: it or the first SYN-ACK was "
	       "lost beyond the capture point (or the capture missed it). ";
}

/* What that TSecr says (§1.5, and samples/README.md: Linux 6.18 echoes the
 * SYN even after its TCP discarded the ACK). */
static const char *handshake_tsecr_meaning(const char *echo)
{
	if (strcmp(echo, "syn") == 0)
		return "the SYN's timestamp: older kernels then never had the ACK in TCP, but "
		       "Linux 6.x echoes the SYN even for ACKs its TCP discarded, so this is a "
		       "hint only. ";
	if (strcmp(echo, "handshake_ack") == 0)
		return "the ACK's timestamp: the server's TCP received the ACK and discarded it, "
		       "most likely a momentarily full accept queue. ";
	if (strcmp(echo, "syn_and_handshake_ack") == 0)
		return "the timestamp of both the SYN and the ACK (same millisecond), so it "
		       "cannot tell whether the server's TCP saw the ACK. ";
	return "neither the SYN's timestamp nor the ACK's. ";
}

static void handshake_ack_lost_figures(struct finding *f, const struct tcp_conn *c,
				       const struct handshake_conn *h, const char *echo)
{
	finding_secs(f, "added_delay", h->resend_ts_ns - h->synack_ts_ns);
	finding_bool(f, "first_ack_seen", h->ack_frame != 0);
	finding_text(f, "vantage", vantage_name(c->vantage));
	finding_secs(f, "client_answer_delay", h->answer_ts_ns - h->resend_ts_ns);
	finding_secs(f, "server_progress_delay", h->progress_ts_ns - h->answer_ts_ns);
	if (echo) {
		finding_int(f, "synack_resend_tsecr", h->resend_tsecr);
		if (h->syn_opts & HS_OPT_TS)
			finding_int(f, "syn_tsval", h->syn_tsval);
		if (h->ack_frame && h->ack_has_ts)
			finding_int(f, "first_ack_tsval", h->ack_tsval);
		finding_text(f, "tsecr_echoes", echo);
	}
}

static void handshake_ack_lost(struct analyzer *a, struct tcp_conn *c)
{
	const struct handshake_conn *h = &c->det.handshake;
	const char *echo = handshake_tsecr_echo(h);
	char ca[EXPLAIN_ADDR_MAX], sa[EXPLAIN_ADDR_MAX];
	int64_t delay = h->resend_ts_ns - h->synack_ts_ns;
	bool grid = delay >= HS_GRID_MIN_NS && delay <= HS_GRID_MAX_NS;
	struct finding f;

	finding_init(&f, KIND_HANDSHAKE_ACK_LOST, c);
	f.confidence = h->ack_frame ? 0.9 : 0.7;
	if (echo && strcmp(echo, "handshake_ack") == 0)
		f.confidence = 0.7;
	if (!grid)
		f.confidence = 0.6;
	finding_frame(&f, h->syn_frame, h->syn_ts_ns);
	finding_frame(&f, h->synack_frame, h->synack_ts_ns);
	finding_frame(&f, h->ack_frame, h->ack_ts_ns);
	finding_frame(&f, h->resend_frame, h->resend_ts_ns);
	finding_frame(&f, h->answer_frame, h->answer_ts_ns);
	finding_frame(&f, h->progress_frame, h->progress_ts_ns);
	handshake_ack_lost_figures(&f, c, h, echo);
	finding_bool(&f, "linux_first_resend_timing", grid);
	explain_ep(ca, c, CLIENT);
	explain_ep(sa, c, SERVER);
	finding_summary(&f, "handshake ACK %s: the server re-sent its SYN-ACK after %.3f s, then "
			"the connection went on normally", h->ack_frame ? "lost" : "missing",
			explain_secs(delay));
	if (h->ack_frame)
		finding_explain(&f, "The client %s answered the SYN-ACK (frame %llu) and believed "
				"the connection ESTABLISHED, but the server %s stayed in "
				"SYN-RECEIVED: it never took that ACK. ", ca,
				(unsigned long long)h->ack_frame, sa);
	else
		finding_explain(&f, "The server %s stayed in SYN-RECEIVED after its SYN-ACK "
				"(frame %llu): no ACK from the client %s reached it. ", sa,
				(unsigned long long)h->synack_frame, ca);
	finding_explain(&f, "%.3f s after its first SYN-ACK the server's timer re-sent it "
			"(frame %llu; Linux: +1, +3, +7 s... until an ACK arrives). The client "
			"ACKed it%s (frame %llu); the server completed the handshake and went on "
			"%.1f ms later (frame %llu). %s", explain_secs(delay),
			(unsigned long long)h->resend_frame, h->ack_frame ? " again" : "",
			(unsigned long long)h->answer_frame,
			(double)(h->progress_ts_ns - h->answer_ts_ns) / NS_PER_MS,
			(unsigned long long)h->progress_frame, handshake_where_lost(c, h));
	if (echo)
		finding_explain(&f, "The re-sent SYN-ACK's TSecr (%u) is %s", h->resend_tsecr,
				handshake_tsecr_meaning(echo));
	if (!grid)
		finding_explain(&f, "A first re-send this far from Linux's 1 s timer points at "
				"another stack, or at TCP_DEFER_ACCEPT (the server ignores a bare "
				"ACK on purpose until data comes). ");
	finding_explain(&f, "Cost: the server side started %.3f s late. One lost ACK is ordinary "
			"loss; if it recurs, check the server's firewall counters (nft list "
			"ruleset, iptables -L -v -n, conntrack -S), its nstat "
			"TcpExtListenOverflows/ListenDrops, and drops on the path (ip -s link).",
			explain_secs(delay));
	analyzer_report(a, c, &f);
}

/* --- syncookie_handshake (kernel-signatures.md §1.7, §8.2) ------------------------ */

struct hs_cookie {
	double confidence;
	int clues;
	bool missing_wscale;
	bool missing_sack;
	uint32_t others_with;
	uint32_t others_without;
	int64_t behind_ms;	/* > 0: the SYN-ACK TSval lags the server's clock */
	bool ts_decoded;	/* its low 6 bits are the cookie's option bits */
	bool ttl_differs;	/* other TTL than the listener's SYN-ACKs with options */
	uint8_t listener_ttl;
	uint32_t segment;	/* > 0: server segments capped at this msstab value */
};

static void handshake_cookie_clue(struct hs_cookie *k, double confidence)
{
	k->clues++;
	if (confidence > k->confidence)
		k->confidence = confidence;
}

/*
 * Without timestamps a Linux cookie has nowhere to keep the client's window
 * scale and SACK-permitted: tcp_clear_options() drops them and the SYN-ACK
 * carries only MSS (§1.7). Strong when the same listener returned them to
 * others; a listener that never does is configured so (or an old stack, a
 * load balancer), which says nothing about cookies.
 */
static void handshake_cookie_options(struct analyzer *a, const struct tcp_conn *c,
				     struct hs_cookie *k)
{
	const struct handshake_conn *h = &c->det.handshake;
	hs_opts_t offered = h->syn_opts & (HS_OPT_WSCALE | HS_OPT_SACK);
	const struct hs_listener *l;
	double conf = 0;

	l = handshake_listener(analyzer_detector_state(a, &detector_handshake),
			       &c->ep[SERVER].addr, c->ep[SERVER].port, false);
	/* Its own vote is in there, unless the record was taken over since. */
	if (l) {
		bool with = h->listener_vote == HS_VOTE_WITH;
		bool without = h->listener_vote == HS_VOTE_WITHOUT;

		k->others_with = l->with - (with && l->with);
		k->others_without = l->without - (without && l->without);
		k->listener_ttl = l->ttl_with;
		k->ttl_differs = k->others_with && !l->ttl_with_mixed &&
				 l->ttl_with != h->synack_ttl;
	}
	/* All of them go but MSS: one returned and one missing is the server's
	 * settings (tcp_sack=0, say), a cookie with timestamps keeps them, and
	 * a cookie always carries MSS (a bare SYN-ACK is crafted traffic). */
	if (!offered || (h->synack_opts & (offered | HS_OPT_TS)) || !(h->synack_opts & HS_OPT_MSS))
		return;
	/* Only against the listener's own habit: a lone MSS-only SYN-ACK is as
	 * often a load balancer, an appliance or an old stack (the corpus has
	 * them from Windows-era servers). A client that offered timestamps and
	 * got none: only a server with timestamps off would drop the rest. */
	if (!k->others_with)
		return;
	conf = (h->syn_opts & HS_OPT_TS) ? 0.6 : 0.9;
	/* Another TTL than its SYN-ACKs with options: another box answered
	 * for the address (a CDN or load-balancer node, a middlebox), whose
	 * settings say nothing about this listener's SYN queue. */
	if (k->ttl_differs)
		conf = 0.4;
	k->missing_wscale = offered & HS_OPT_WSCALE;
	k->missing_sack = offered & HS_OPT_SACK;
	handshake_cookie_clue(k, conf);
}

/*
 * The option bits a Linux cookie would put in the low 6 bits of this
 * SYN-ACK's TSval (cookie_init_timestamp(), §1.7): what the SYN-ACK agreed
 * to, with the client's own window scale. The per-host-pair offset ts_off is
 * added after, so they read back only where it is a multiple of 64 (zero
 * with tcp_timestamps=2, and seen on loopback); a random offset hides them,
 * which disproves nothing.
 */
static uint32_t handshake_cookie_ts_bits(const struct handshake_conn *h)
{
	uint32_t bits = HS_COOKIE_TS_WSCALE_NONE;

	if ((h->syn_opts & HS_OPT_WSCALE) && (h->synack_opts & HS_OPT_WSCALE))
		bits = h->syn_wscale > HS_MAX_WSCALE ? HS_MAX_WSCALE : h->syn_wscale;
	if ((h->syn_opts & HS_OPT_SACK) && (h->synack_opts & HS_OPT_SACK))
		bits |= HS_COOKIE_TS_SACK;
	if ((h->syn_opts & HS_OPT_ECN) && (h->synack_opts & HS_OPT_ECN))
		bits |= HS_COOKIE_TS_ECN;
	return bits;
}

/*
 * With timestamps the cookie SYN-ACK looks normal except for its TSval,
 * rounded down by up to 63 ms to carry the options: the server's next
 * timestamp jumps ahead of the time that passed. Only where the timing is
 * sharp enough to see it (at the server, or a short round trip).
 */
static void handshake_cookie_tsval(const struct tcp_conn *c, struct hs_cookie *k)
{
	const struct handshake_conn *h = &c->det.handshake;
	int64_t elapsed = h->srv_ts_ns - h->synack_ts_ns, elapsed_ms, adv, jitter_ms, behind;

	if (!(h->synack_opts & HS_OPT_TS) || !h->srv_ts_frame || elapsed < 0 ||
	    elapsed > 1000 * NS_PER_MS)
		return;
	if (explain_at(c, SERVER))
		jitter_ms = 0;
	else if (c->handshake_rtt_ns > 0)
		jitter_ms = (c->handshake_rtt_ns + NS_PER_MS - 1) / NS_PER_MS;
	else
		return;
	adv = (int32_t)(h->srv_tsval - h->synack_tsval);
	elapsed_ms = (elapsed + NS_PER_MS - 1) / NS_PER_MS;
	behind = adv - elapsed_ms;
	if (adv < 0 || behind < HS_COOKIE_TS_MIN_BEHIND + jitter_ms ||
	    adv > elapsed_ms + HS_COOKIE_TS_SPAN + jitter_ms)
		return;
	k->behind_ms = behind;
	k->ts_decoded = handshake_cookie_ts_bits(h) == (h->synack_tsval & (HS_COOKIE_TS_SPAN - 1));
	handshake_cookie_clue(k, k->ts_decoded ? 0.95 : 0.4);
}

/* The child's MSS comes from the cookie table (msstab), not the client's
 * offer: full-sized server segments stop at a table value below it. */
static void handshake_cookie_mss(const struct tcp_conn *c, struct hs_cookie *k)
{
	/* net/ipv4/syncookies.c and net/ipv6/syncookies.c msstab[] */
	static const uint32_t msstab4[] = { 536, 1300, 1440, 1460 };
	static const uint32_t msstab6[] = { 1280 - 60, 1480 - 60, 1500 - 60, 9000 - 60 };
	const struct handshake_conn *h = &c->det.handshake;
	bool ts = (h->syn_opts & HS_OPT_TS) && (h->synack_opts & HS_OPT_TS);
	uint32_t seg = h->max_payload + (ts ? HS_TS_OVERHEAD : 0);
	const uint32_t *msstab = c->ep[SERVER].addr.family == AF_INET6 ? msstab6 : msstab4;

	if (h->max_payload_count < 3 || !h->syn_mss || seg >= h->syn_mss)
		return;
	if ((h->synack_opts & HS_OPT_MSS) && seg >= c->ep[SERVER].mss)
		return;
	for (size_t i = 0; i < 4; i++) {
		if (seg == msstab[i]) {
			k->segment = seg;
			handshake_cookie_clue(k, 0.5);
		}
	}
}

static void handshake_cookie_figures(struct finding *f, const struct tcp_conn *c,
				     const struct hs_cookie *k)
{
	const struct handshake_conn *h = &c->det.handshake;

	finding_bool(f, "client_offered_wscale", h->syn_opts & HS_OPT_WSCALE);
	finding_bool(f, "client_offered_sack", h->syn_opts & HS_OPT_SACK);
	finding_bool(f, "client_offered_timestamps", h->syn_opts & HS_OPT_TS);
	finding_bool(f, "synack_wscale", h->synack_opts & HS_OPT_WSCALE);
	finding_bool(f, "synack_sack", h->synack_opts & HS_OPT_SACK);
	finding_bool(f, "synack_timestamps", h->synack_opts & HS_OPT_TS);
	finding_int(f, "listener_synacks_with_options", k->others_with);
	finding_int(f, "listener_synacks_without_options", k->others_without);
	finding_int(f, "synack_resends", h->timer_resends);
	if (k->behind_ms) {
		finding_int(f, "synack_tsval_behind_ms", k->behind_ms);
		finding_int(f, "synack_tsval_low_bits", h->synack_tsval & (HS_COOKIE_TS_SPAN - 1));
		finding_int(f, "cookie_option_bits", handshake_cookie_ts_bits(h));
		finding_bool(f, "synack_tsval_decodes", k->ts_decoded);
	}
	if (k->ttl_differs) {
		finding_int(f, "synack_ttl", h->synack_ttl);
		finding_int(f, "listener_synack_ttl", k->listener_ttl);
	}
	if (k->segment) {
		finding_int(f, "client_mss", h->syn_mss);
		finding_int(f, "server_segment_mss", k->segment);
	}
}

static void handshake_cookie_explain(struct finding *f, const struct tcp_conn *c,
				     const struct hs_cookie *k)
{
	const struct handshake_conn *h = &c->det.handshake;

	if (k->missing_wscale || k->missing_sack)
		finding_explain(f, "The SYN-ACK (frame %llu) carries no %s although the client "
				"offered %s, and no timestamps%s: a cookie without timestamps has "
				"nowhere to remember them. The same listener returned them in "
				"other SYN-ACKs of this capture. ", (unsigned long long)h->synack_frame,
				k->missing_wscale && k->missing_sack ? "window scale and no SACK" :
				k->missing_wscale ? "window scale" : "SACK-permitted",
				k->missing_wscale && k->missing_sack ? "both" : "it",
				(h->syn_opts & HS_OPT_TS) ? " (the client offered them too: the "
				"server must run with net.ipv4.tcp_timestamps=0)" : "");
	if (k->ttl_differs)
		finding_explain(f, "But this SYN-ACK came with IP TTL %u and the listener's "
				"SYN-ACKs with options with TTL %u: another box (a CDN or "
				"load-balancer node, a middlebox) probably answered, so this is "
				"weak. ", (unsigned)h->synack_ttl, (unsigned)k->listener_ttl);
	if (k->behind_ms && k->ts_decoded)
		finding_explain(f, "The SYN-ACK's timestamp is %lld ms behind the server's clock "
				"(frame %llu) and its low 6 bits (%u) are exactly the client's "
				"options as a Linux cookie encodes them (window scale %u%s%s): "
				"the kernel rounded it down to keep them there. ",
				(long long)k->behind_ms, (unsigned long long)h->srv_ts_frame,
				(unsigned)(h->synack_tsval & (HS_COOKIE_TS_SPAN - 1)),
				(unsigned)(handshake_cookie_ts_bits(h) & HS_COOKIE_TS_WSCALE_NONE),
				(handshake_cookie_ts_bits(h) & HS_COOKIE_TS_SACK) ? ", SACK" : "",
				(handshake_cookie_ts_bits(h) & HS_COOKIE_TS_ECN) ? ", ECN" : "");
	else if (k->behind_ms)
		finding_explain(f, "The SYN-ACK's timestamp is %lld ms behind the server's clock "
				"(frame %llu): a Linux cookie rounds it down to hide the client's "
				"options in its low bits. Otherwise a cookie SYN-ACK with "
				"timestamps looks normal, so this alone cannot prove it. ",
				(long long)k->behind_ms, (unsigned long long)h->srv_ts_frame);
	if (k->segment)
		finding_explain(f, "The server's segments stop at %u bytes of MSS (frame %llu) "
				"although the client offered %u: a cookie rounds the MSS down to "
				"a small table (IPv4 536/1300/1440/1460; path MTU discovery can "
				"look alike). ",
				k->segment, (unsigned long long)h->max_payload_frame,
				(unsigned)h->syn_mss);
}

static void handshake_syncookie(struct analyzer *a, struct tcp_conn *c)
{
	const struct handshake_conn *h = &c->det.handshake;
	char sa[EXPLAIN_ADDR_MAX];
	struct hs_cookie k;
	struct finding f;

	/* A cookie SYN-ACK is never re-sent by a timer: there is no request. */
	if ((c->flags & (CONN_SIMULTANEOUS_OPEN | CONN_SELF | CONN_MIDSTREAM)) || !h->syn_frame ||
	    !h->synack_frame || h->timer_resends)
		return;
	memset(&k, 0, sizeof(k));
	handshake_cookie_options(a, c, &k);
	handshake_cookie_tsval(c, &k);
	handshake_cookie_mss(c, &k);
	if (!k.clues)
		return;
	finding_init(&f, KIND_SYNCOOKIE_HANDSHAKE, c);
	f.confidence = k.clues > 1 && k.confidence < 0.9 ? k.confidence + 0.1 : k.confidence;
	if (k.ttl_differs && !k.ts_decoded && f.confidence > 0.5)
		f.confidence = 0.5;
	finding_frame(&f, h->syn_frame, h->syn_ts_ns);
	finding_frame(&f, h->synack_frame, h->synack_ts_ns);
	if (k.behind_ms)
		finding_frame(&f, h->srv_ts_frame, h->srv_ts_ns);
	if (k.segment)
		finding_frame(&f, h->max_payload_frame, h->max_payload_ts_ns);
	handshake_cookie_figures(&f, c, &k);
	explain_ep(sa, c, SERVER);
	finding_summary(&f, "%s answered with a SYN cookie%s: its SYN queue was under pressure",
			sa, k.missing_wscale || k.missing_sack ?
			", dropping the client's window scale/SACK" :
			k.ts_decoded ? "" : " (possibly)");
	finding_explain(&f, "The listener %s did not keep this handshake in its SYN queue: it "
			"answered with a SYN cookie, the connection encoded in the SYN-ACK, as "
			"Linux does when that queue is full (a SYN flood, or a listen backlog too "
			"small for the rate of connections) or always with tcp_syncookies=2. ", sa);
	handshake_cookie_explain(&f, c, &k);
	finding_explain(&f, "The client went ESTABLISHED as usual; the server made its socket "
			"only when the client's ACK proved the cookie, and a cookie SYN-ACK is "
			"never re-sent. %sCheck on the server: nstat TcpExtSyncookiesSent and "
			"TcpExtTCPReqQFullDoCookies, ss -ltn (listener queue), the listen() "
			"backlog, net.core.somaxconn, net.ipv4.tcp_max_syn_backlog.",
			k.missing_wscale || k.missing_sack ? "Without window scaling and SACK this "
			"connection is slower on long paths and recovers worse from loss. " : "");
	analyzer_report(a, c, &f);
}

/* --- the hooks ------------------------------------------------------------------------ */

static void handshake_on_conn_end(struct analyzer *a, struct tcp_conn *c)
{
	if (c->flags & CONN_SELF)
		handshake_self_connect(a, c);
	else if (c->flags & CONN_SIMULTANEOUS_OPEN)
		handshake_simultaneous(a, c);
	if (handshake_ack_lost_shape(c, &c->det.handshake))
		handshake_ack_lost(a, c);
	handshake_syncookie(a, c);
}

const struct detector detector_handshake = {
	.name = "handshake",
	.new_state = handshake_new_state,
	.free_state = free,
	.on_segment = handshake_on_segment,
	.on_conn_end = handshake_on_conn_end,
};
