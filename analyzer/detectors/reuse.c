/*
 * reuse.c - the reuse detectors: a new SYN meeting an older socket of its
 * 4-tuple, and challenge ACKs (ANOMALIES.md "Reuse of 4-tuples" and the seed
 * syn_to_close_wait; kernel-signatures.md §2, §3, §7.5).
 *
 * on_segment only records: the opening of each connection up to the server's
 * answer (the client's SYNs, the ACK in the old sequence space that classify.c
 * marks SEG_CHALLENGE_ACK, the client's RST at that ACK's ack, the retried SYN)
 * and, for the whole connection, in-window inexact RSTs with the challenge
 * ACKs answering them. on_conn_end decides, most specific first, against the
 * predecessor the analyzer linked (c->prev): syn_to_close_wait, time_wait_reuse,
 * syn_to_stale_socket, and challenge_ack when none of them applies.
 */
#include "config.h"

#include <stdio.h>
#include <sys/socket.h>

#include "analyzer/analyzer.h"
#include "analyzer/classify.h"
#include "analyzer/detector.h"
#include "analyzer/detectors/explain.h"
#include "analyzer/seq.h"

#define NS_PER_MS 1000000LL
#define NS_PER_S 1000000000LL

/* Linux TCP_TIMEWAIT_LEN (kernel-signatures.md §0.4): a TIME-WAIT older than
 * this is gone, and a reuse after it is Wireshark's benign "port reused". */
#define REUSE_TIME_WAIT_NS (60 * NS_PER_S)

/* net.ipv4.tcp_invalid_ratelimit: one challenge or dup ACK per 500 ms per
 * socket (§0.2); a trigger that soon after another may go unanswered. */
#define REUSE_RATELIMIT_NS (500 * NS_PER_MS)

/* A challenge ACK leaves within microseconds of the trigger at the
 * receiver's host, one round trip later at the other end (§2.9): allow two
 * round trips plus scheduling noise, or a fixed bound without a timed
 * handshake. */
#define REUSE_ANSWER_MIN_NS (50 * NS_PER_MS)
#define REUSE_ANSWER_UNKNOWN_NS (250 * NS_PER_MS)

/* A SYN resent this long after the first is the 1 s initial RTO (RFC 6298)
 * of the client, give or take scheduling and a lost challenge ACK. */
#define REUSE_RETRY_1S_MIN_NS (900 * NS_PER_MS)
#define REUSE_RETRY_1S_MAX_NS (1200 * NS_PER_MS)

/* An added connect() delay this long makes time_wait_reuse a warning. */
#define REUSE_COSTLY_NS NS_PER_S

/* Linux TIME-WAIT recycling: new ISN = tw_snd_nxt + 65535 + 2 (§3.1, §3.2). */
#define REUSE_TW_ISN_STEP 65537u

/* Linux timestamps tick once per ms (tcp_clock_ms()); used to date a stale
 * socket from its TSecr, an estimate (§2.1, consolidated guidance 2). */
#define REUSE_TS_TICK_NS NS_PER_MS

enum reuse_tw_how {
	TW_ACCEPTED_ISN,	/* SYN-ACK ISN = old snd_nxt + 65537 */
	TW_ACCEPTED,
	TW_ACK_RESET_RETRY,
	TW_SILENT_DROP,
	TW_REFUSED,
	TW_CLIENT_REUSE,	/* the client's own TIME-WAIT (tcp_tw_reuse) */
};

/* --- recording --------------------------------------------------------------- */

static void reuse_mark(struct reuse_mark *m, const struct tcp_segment *seg)
{
	m->frame = seg->frame;
	m->ts_ns = seg->ts_ns;
}

static void reuse_open_syn(struct reuse_open *o, const struct tcp_segment *seg)
{
	if (!o->syns++)
		reuse_mark(&o->syn, seg);
	else if (o->challenges && !o->retry.frame)
		reuse_mark(&o->retry, seg);
	reuse_mark(&o->last_syn, seg);
	/* The SYN the first old-space ACK answers, for dating the stale socket. */
	if (!o->challenges) {
		o->syn_ts = seg->opt.has_timestamps;
		o->syn_tsval = seg->opt.tsval;
	}
}

static void reuse_open_chal(struct reuse_open *o, const struct tcp_segment *seg)
{
	if (!o->challenges++) {
		reuse_mark(&o->chal, seg);
		o->chal_seq = seg->seq;
		o->chal_ack = seg->ack;
		o->chal_ts = seg->opt.has_timestamps;
		o->chal_tsecr = seg->opt.tsecr;
		/* §0.1: the control socket that answers for TIME-WAIT and request
		 * socks sends IPv4 ID 0 with DF; a full socket does not. */
		o->chal_ipid0 = seg->src.family == AF_INET && seg->ip_id == 0 && seg->ip_df;
	}
	reuse_mark(&o->last_chal, seg);
}

/* The client's SYNs and what answered them, until the SYN-ACK or refusal. */
static void reuse_open_seg(struct tcp_conn *c, const struct seg_view *v)
{
	struct reuse_open *o = &c->det.reuse.open;
	const struct tcp_segment *seg = v->seg;
	uint16_t fl = seg->flags & (TH_SYN | TH_ACK | TH_RST);

	if (o->answer.frame)
		return;
	if (v->dir == DIR_C2S) {
		if (fl == TH_SYN) {
			reuse_open_syn(o, seg);
		} else if (fl == TH_RST && o->challenges && seg->seq == o->chal_ack) {
			/* §2.2: SYN-SENT answers the unacceptable ACK with R seq = its ack. */
			if (!o->rsts++)
				reuse_mark(&o->rst, seg);
			reuse_mark(&o->last_rst, seg);
		}
		return;
	}
	if (!o->syns)
		return;
	if ((v->events & SEG_CHALLENGE_ACK) && c->ep[SERVER].last_old_space) {
		reuse_open_chal(o, seg);
	} else if (fl == (TH_SYN | TH_ACK)) {
		reuse_mark(&o->answer, seg);
		o->synack_isn = seg->seq;
	} else if (fl == (TH_RST | TH_ACK) && c->ep[CLIENT].isn_known &&
		   seg->ack == c->ep[CLIENT].isn + 1) {
		reuse_mark(&o->answer, seg);
		o->refused = true;
	} else {
		o->others++;
	}
}

static int64_t reuse_answer_limit(const struct tcp_conn *c)
{
	if (c->handshake_rtt_ns > 0)
		return REUSE_ANSWER_MIN_NS + 2 * c->handshake_rtt_ns;
	return REUSE_ANSWER_UNKNOWN_NS;
}

/* The pending RST got no challenge ACK: forgiven when rate limited. */
static void reuse_rst_settle(struct reuse_rst *w)
{
	if (!w->pending)
		return;
	w->pending = false;
	if (w->pending_limited)
		w->rate_limited++;
	else
		w->unanswered++;
}

/* A bare ACK from the RST's receiver repeating its snd_nxt and rcv_nxt soon
 * after it (§7.5): classify.c's SEG_CHALLENGE_ACK, or the same numbers when
 * other segments came in between. */
static bool reuse_rst_answered(const struct reuse_rst *w, const struct tcp_conn *c,
			       const struct seg_view *v)
{
	const struct tcp_segment *seg = v->seg;

	if (!w->pending || v->dir != w->rcv)
		return false;
	if ((seg->flags & (TH_SYN | TH_FIN | TH_RST | TH_ACK)) != TH_ACK || seg->payload_len)
		return false;
	if (seg->ts_ns - w->trig.ts_ns > reuse_answer_limit(c))
		return false;
	if (v->events & SEG_CHALLENGE_ACK)
		return true;
	return seg->seq == w->exp_seq && (seg->ack == w->exp_ack || seg->ack == w->exp_ack2);
}

static void reuse_rst_challenge(struct reuse_rst *w, const struct seg_view *v)
{
	if (!w->challenges++) {
		w->first_trig = w->trig;
		w->first_seq = w->trig_seq;
		w->first_rcv_nxt = w->exp_ack;
		w->first_has_ts = w->trig_has_ts;
		w->first_rcv = w->rcv;
		w->first_state = w->trig_state;
		reuse_mark(&w->first_chal, v->seg);
	}
	w->pending = false;
	reuse_mark(&w->last_chal, v->seg);
	w->last_chal_ts[v->dir] = v->seg->ts_ns;
	w->chal_ack[v->dir] = v->seg->ack;
}

/* An in-window RST that is not exact: a challenge ACK is due from its
 * receiver unless one left (or a similar trigger came) < 500 ms before. */
static void reuse_rst_trigger(struct reuse_rst *w, const struct tcp_conn *c,
			      const struct seg_view *v)
{
	const struct tcp_segment *seg = v->seg;
	int rcv = !v->dir;
	const struct tcp_endpoint *r = &c->ep[rcv];
	int64_t t = seg->ts_ns;

	reuse_rst_settle(w);
	w->triggers++;
	w->pending = r->seq_known && r->ack_known;
	w->pending_limited =
		(w->last_chal_ts[rcv] && t - w->last_chal_ts[rcv] < REUSE_RATELIMIT_NS) ||
		(w->last_trig_ts[rcv] && t - w->last_trig_ts[rcv] < REUSE_RATELIMIT_NS);
	w->last_trig_ts[rcv] = t;
	w->rcv = (uint8_t)rcv;
	w->trig_state = (uint8_t)v->before[rcv];
	reuse_mark(&w->trig, seg);
	w->trig_seq = seg->seq;
	w->trig_has_ts = seg->opt.has_timestamps;
	w->exp_seq = r->nxt;
	w->exp_ack = r->ack;
	w->exp_ack2 = c->ep[v->dir].nxt;
}

/* An RST at exactly its sender's snd_nxt is exact for a receiver that got
 * the sender's data, even if the receiver has not acknowledged it yet (its
 * rcv_nxt as the capture knows it lags): RFC 5961 §3.2 accepts it and no
 * challenge ACK is due. */
static bool reuse_rst_exact(const struct reuse_rst *w, const struct seg_view *v)
{
	return w->snd_known[v->dir] && v->seg->seq == w->snd_nxt[v->dir];
}

static void reuse_rst_seg(struct tcp_conn *c, const struct seg_view *v)
{
	struct reuse_rst *w = &c->det.reuse.rst;
	const struct tcp_segment *seg = v->seg;
	int rcv = !v->dir;

	if (c->ep[v->dir].last_old_space)
		return;	/* the predecessor's space: the opening's business */
	if (reuse_rst_answered(w, c, v)) {
		reuse_rst_challenge(w, v);
		return;
	}
	if (w->pending && (v->dir == w->rcv || seg->ts_ns - w->trig.ts_ns > reuse_answer_limit(c)))
		reuse_rst_settle(w);
	if (w->challenges && v->dir != w->first_rcv && !(seg->flags & TH_RST))
		w->after++;
	if (!(seg->flags & TH_RST)) {
		w->snd_known[v->dir] = c->ep[v->dir].seq_known;
		w->snd_nxt[v->dir] = c->ep[v->dir].nxt;
		return;
	}
	/* The peer confirms with an RST at exactly the challenge's ack (§7.5). */
	if (w->challenges && !w->confirm.frame && w->last_chal_ts[rcv] &&
	    seg->seq == w->chal_ack[rcv])
		reuse_mark(&w->confirm, seg);
	else if ((v->events & SEG_RST_IN_WINDOW) && !reuse_rst_exact(w, v))
		reuse_rst_trigger(w, c, v);
}

static void reuse_on_segment(struct analyzer *a, struct tcp_conn *c, const struct seg_view *v)
{
	(void)a;
	reuse_open_seg(c, v);
	reuse_rst_seg(c, v);
}

/* --- shared wording and evidence ------------------------------------------------ */

/* Adds the marks as evidence frames in capture order (n <= 12). */
static void reuse_frames(struct finding *f, const struct reuse_mark *m, int n)
{
	struct reuse_mark s[12];
	int k = 0;

	for (int i = 0; i < n && i < 12; i++) {
		int j = k;

		if (!m[i].frame)
			continue;
		while (j > 0 && s[j - 1].frame > m[i].frame) {
			s[j] = s[j - 1];
			j--;
		}
		s[j] = m[i];
		k++;
	}
	for (int i = 0; i < k; i++)
		finding_frame(f, s[i].frame, s[i].ts_ns);
}

static void reuse_open_frames(struct finding *f, const struct reuse_open *o)
{
	const struct reuse_mark m[] = { o->syn, o->chal, o->rst, o->retry, o->answer,
					o->last_syn, o->last_chal, o->last_rst };

	reuse_frames(f, m, (int)(sizeof(m) / sizeof(m[0])));
}

static bool reuse_connected(const struct reuse_open *o)
{
	return o->answer.frame && !o->refused;
}

static const char *reuse_outcome(const struct reuse_open *o)
{
	if (o->answer.frame)
		return o->refused ? "refused" : "connected";
	return o->syns >= 2 ? "timed_out" : "unresolved";
}

/* Time the connect() lost: until its last SYN before the answer was sent
 * (the one that got through, when one did). */
static int64_t reuse_added_delay(const struct reuse_open *o)
{
	return o->last_syn.ts_ns - o->syn.ts_ns;
}

static void reuse_open_figures(struct finding *f, const struct reuse_open *o)
{
	finding_text(f, "outcome", reuse_outcome(o));
	finding_int(f, "syn_transmissions", o->syns);
	if (o->challenges) {
		finding_int(f, "challenge_acks", o->challenges);
		finding_int(f, "challenge_seq", o->chal_seq);
		finding_int(f, "challenge_ack", o->chal_ack);
	}
	finding_int(f, "client_resets", o->rsts);
	finding_secs(f, "added_delay", reuse_added_delay(o));
	if (reuse_connected(o))
		finding_secs(f, "connect_time", o->answer.ts_ns - o->syn.ts_ns);
}

/* What the observed retry delay says of the client's stack (§2.2, §2.9): an
 * immediate resend after its RST is Linux 5.6 and later, 1 s is the SYN
 * retransmission timer of older Linux and most other stacks; anything else
 * is only named. */
static const char *reuse_retry_text(int64_t delay)
{
	if (delay < REUSE_RATELIMIT_NS)
		return " (a resend that quick follows the client's own RST at once, as "
		       "Linux does since 5.6)";
	if (delay >= REUSE_RETRY_1S_MIN_NS && delay <= REUSE_RETRY_1S_MAX_NS)
		return " (the client's 1 s SYN retransmission timer, as in Linux before 5.6 "
		       "and most other stacks)";
	return " (the client's own SYN retransmission timer)";
}

/* How the client's connect() went on after the ACK from the stale socket. */
static void reuse_explain_connect(struct finding *f, const struct reuse_open *o)
{
	double delay = explain_secs(reuse_added_delay(o)) * 1e3;

	bool retried = reuse_connected(o) && o->syns >= 2;

	if (o->rsts)
		finding_explain(f, "The client answered with an RST at seq %u%s", o->chal_ack,
				retried ? ", which killed it, and its" : ". ");
	if (retried)
		finding_explain(f, "%s SYN, sent again %.1f ms after the first, reached the "
				"listener: connect() took %.1f ms instead of one round trip%s. ",
				o->rsts ? "" : "Its", delay,
				explain_secs(o->answer.ts_ns - o->syn.ts_ns) * 1e3,
				reuse_retry_text(reuse_added_delay(o)));
	else if (reuse_connected(o))
		finding_explain(f, "The listener then answered with a SYN-ACK %.1f ms after "
				"the SYN, without a second SYN. ",
				explain_secs(o->answer.ts_ns - o->syn.ts_ns) * 1e3);
	else if (o->refused)
		finding_explain(f, "The next SYN was refused (R. ack = ISN+1). ");
	else if (o->syns < 2)
		finding_explain(f, "The capture ends before the outcome. ");
}

/* Why a connect() through a stale socket failed (§2.4 failure variant); the
 * vantage tells on which side of the capture the ACKs or RSTs were lost. */
static void reuse_explain_failure(struct finding *f, struct analyzer *a, const struct tcp_conn *c)
{
	const struct reuse_open *o = &c->det.reuse.open;
	struct capture_info *ci = analyzer_capture(a);
	enum vantage v = c->vantage;

	if (o->answer.frame || o->syns < 2)
		return;
	if (v == VANTAGE_UNKNOWN && ci)
		v = capture_vantage(ci);
	if (!o->challenges)
		finding_explain(f, "None of the %u SYNs got an answer, although the stale socket "
				"answers every SYN with a challenge ACK (at most one per 500 ms): "
				"the ACKs were lost before the capture point or dropped by a "
				"firewall on the server; the capture shows only SYNs, hence the "
				"lower confidence. ", o->syns);
	else if (!o->rsts)
		finding_explain(f, "%s (a stateful firewall or conntrack marks such out-of-state "
				"packets INVALID). ",
				v == VANTAGE_NEAR_SERVER ?
				"Challenge ACKs left the server but no RST came back: they were "
				"lost on the way or dropped on the client's side" :
				v == VANTAGE_NEAR_CLIENT ?
				"The challenge ACKs reached the client's host but its TCP never "
				"answered: a firewall on the client dropped them before TCP" :
				"No RST answered the challenge ACKs: the ACKs or the RSTs were "
				"dropped");
	else
		finding_explain(f, "Every new SYN met the stale socket again: the client's "
				"RSTs never reached the server's TCP (lost, or dropped by a "
				"firewall). ");
	finding_explain(f, "The stale socket survives and connect() fails with ETIMEDOUT "
			"(about 130 s with tcp_syn_retries=6). ");
}

/* --- syn_to_close_wait ------------------------------------------------------------ */

static void reuse_close_wait(struct analyzer *a, struct tcp_conn *c)
{
	const struct reuse_open *o = &c->det.reuse.open;
	const struct predecessor *p = &c->prev;
	int64_t since = p->since_ns[SERVER] ? p->since_ns[SERVER] : o->syn.ts_ns;
	char cl[EXPLAIN_ADDR_MAX], sv[EXPLAIN_ADDR_MAX];
	struct finding f;

	finding_init(&f, KIND_SYN_TO_CLOSE_WAIT, c);
	f.related = p->id;
	f.confidence = o->challenges ? 1.0 : 0.6;
	reuse_open_frames(&f, o);
	f.leaked = true;
	f.leaked_since_ns = since;
	f.leaked_until_ns = reuse_connected(o) && o->rsts ? o->last_rst.ts_ns : 0;
	finding_text(&f, "stale_state", "CLOSE-WAIT");
	finding_secs(&f, "stale_socket_age", o->syn.ts_ns - since);
	finding_secs(&f, "gap_since_previous", p->gap_ns);
	reuse_open_figures(&f, o);
	explain_ep(cl, c, CLIENT);
	explain_ep(sv, c, SERVER);

	finding_summary(&f, "New SYN from port %u met %s's stale CLOSE-WAIT socket (%.3f s old, "
			"connection %llu): %s %.3f s", (unsigned)c->ep[CLIENT].port, sv,
			explain_secs(o->syn.ts_ns - since),
			(unsigned long long)p->id, reuse_connected(o) ?
			"challenge ACK, RST, retry: connect() took" :
			"connect() still failing after",
			explain_secs(reuse_connected(o) ? o->answer.ts_ns - o->syn.ts_ns :
							  reuse_added_delay(o)));
	finding_explain(&f, "%s still held the previous connection on this 4-tuple (connection "
			"%llu) in CLOSE-WAIT: the client's FIN had been acknowledged %.3f s "
			"before, but the server application never called close(), so no FIN "
			"ever left the server. The client %s had dropped its own side long ago "
			"and reused the port: its new SYN (SYN-SENT) met the stale socket",
			sv, (unsigned long long)p->id, explain_secs(o->syn.ts_ns - since), cl);
	if (o->challenges)
		finding_explain(&f, ", which answered with a challenge ACK carrying the old "
				"connection's numbers (seq %u, ack %u; RFC 5961 §4) instead of a "
				"SYN-ACK. ", o->chal_seq, o->chal_ack);
	else
		finding_explain(&f, ". ");
	reuse_explain_connect(&f, o);
	reuse_explain_failure(&f, a, c);
	finding_explain(&f, "The fault is the server application's: it leaks sockets in "
			"CLOSE-WAIT, each holding a file descriptor, and clients pay with slow or "
			"failed connects whenever they reuse a port. %sCheck on the server: "
			"`ss -tan state close-wait '( sport = :%u )'`, the code path that handles "
			"read() returning 0, nstat TcpExtTCPSYNChallenge.",
			explain_vantage(c), (unsigned)c->ep[SERVER].port);
	analyzer_report(a, c, &f);
}

/* --- syn_to_stale_socket ------------------------------------------------------------ */

/* The stale socket's TSecr is the TSval of the last client segment it took;
 * Linux keeps one TS offset per address pair, so the new SYN's TSval runs on
 * the same clock (kernel-signatures.md consolidated guidance 2). */
static bool reuse_ts_age(const struct reuse_open *o, int64_t *age)
{
	int32_t d = (int32_t)(o->syn_tsval - o->chal_tsecr);

	if (!o->syn_ts || !o->chal_ts || o->chal_tsecr == 0 || d <= 0)
		return false;
	*age = (int64_t)d * REUSE_TS_TICK_NS;
	return true;
}

/* What is known of the earlier connection the challenge ACK belongs to. */
static void reuse_stale_prev(struct finding *f, const struct tcp_conn *c, bool match)
{
	const struct predecessor *p = &c->prev;

	if (match)
		finding_explain(f, "It repeats the last numbers of the server in connection %llu, "
				"the earlier one on this 4-tuple, which was %s then. ",
				(unsigned long long)p->id, tcp_state_name(p->state[SERVER]));
	else
		finding_explain(f, "%s, so its state is not known: most often CLOSE-WAIT (the "
				"server application never closed it after the client's FIN), or "
				"ESTABLISHED toward a client that rebooted or sits behind a NAT "
				"that reused the port. ",
				p->id ? "It does not match the connection seen earlier on this "
					"4-tuple (the capture missed part of it)" :
					"That connection is not in the capture");
}

static void reuse_stale_figures(struct finding *f, const struct tcp_conn *c, bool match,
				const int64_t *age)
{
	const struct reuse_open *o = &c->det.reuse.open;

	finding_text(f, "stale_state", match ? tcp_state_name(c->prev.state[SERVER]) : "unknown");
	finding_int(f, "syn_isn", c->ep[CLIENT].isn);
	if (age) {
		finding_secs(f, "estimated_age", *age);
		finding_bool(f, "age_is_estimate", true);
		finding_int(f, "challenge_tsecr", o->chal_tsecr);
		finding_int(f, "syn_tsval", o->syn_tsval);
	}
	reuse_open_figures(f, o);
}

/* The end of the summary, as the evidence's outcome says. */
static const char *reuse_stale_outcome(const struct reuse_open *o)
{
	if (reuse_connected(o))
		return o->syns >= 2 ? "connect() delayed" : "connected";
	if (o->refused)
		return "connect() refused";
	return o->syns >= 2 ? "connect() fails" : "outcome not captured";
}

/* A socket that never reached ESTABLISHED in the earlier connection is not
 * stale: a request socket (SYN-RECEIVED) answering a SYN whose ISN differs
 * is the handshake going wrong, not an old connection surviving. */
static bool reuse_prev_unsynced(const struct tcp_conn *c, bool match)
{
	enum tcp_state st = c->prev.state[SERVER];

	return match && (st == TCP_SYN_RECEIVED || st == TCP_SYN_SENT || st == TCP_CLOSED);
}

/* Hand-built traffic (test suites' packet generators): SYN ISN 0 answered
 * by an ACK with seq 0 and ack 0. No real stack picks ISN 0 and keeps
 * snd_nxt and rcv_nxt at 0 too (RFC 6528), so it proves nothing. */
static bool reuse_crafted(const struct tcp_conn *c)
{
	const struct reuse_open *o = &c->det.reuse.open;

	return c->ep[CLIENT].isn == 0 && o->chal_seq == 0 && o->chal_ack == 0;
}

/*
 * syn_to_stale_socket, or only challenge_ack (trigger "syn") when the client
 * did not reset the socket and no earlier connection proves what it was.
 */
static void reuse_stale(struct analyzer *a, struct tcp_conn *c, bool match)
{
	const struct reuse_open *o = &c->det.reuse.open;
	const struct predecessor *p = &c->prev;
	bool generic = !o->rsts && !match;
	char cl[EXPLAIN_ADDR_MAX], sv[EXPLAIN_ADDR_MAX];
	int64_t age = 0;
	bool dated = reuse_ts_age(o, &age);
	struct finding f;

	if (reuse_prev_unsynced(c, match) || reuse_crafted(c))
		return;
	finding_init(&f, generic ? KIND_CHALLENGE_ACK : KIND_SYN_TO_STALE_SOCKET, c);
	f.related = p->id;
	f.confidence = match ? 0.9 : generic ? 0.8 : 0.7;
	reuse_open_frames(&f, o);
	/* Not counted as a CLOSE-WAIT leak: nothing proves the socket was in
	 * CLOSE-WAIT (a matching CLOSE-WAIT predecessor goes to syn_to_close_wait). */
	f.leaked = false;
	if (generic)
		finding_text(&f, "trigger", "syn");
	reuse_stale_figures(&f, c, match, dated ? &age : NULL);
	explain_ep(cl, c, CLIENT);
	explain_ep(sv, c, SERVER);

	if (generic)
		finding_summary(&f, "SYN from port %u drew a challenge ACK (ack %u, not "
				"ISN+1) from %s", (unsigned)c->ep[CLIENT].port, o->chal_ack, sv);
	else if (dated)
		finding_summary(&f, "New SYN from port %u met a stale socket on %s (about %.1f s "
				"old, estimated): challenge ACK, %s%s",
				(unsigned)c->ep[CLIENT].port, sv, explain_secs(age),
				o->rsts ? "RST, " : "", reuse_stale_outcome(o));
	else
		finding_summary(&f, "New SYN from port %u met a stale socket on %s: challenge ACK, "
				"%s%s", (unsigned)c->ep[CLIENT].port, sv, o->rsts ? "RST, " : "",
				reuse_stale_outcome(o));
	finding_explain(&f, "%s's new SYN (SYN-SENT, ISN %u) was answered not by a SYN-ACK but by "
			"a bare ACK (seq %u, ack %u, not ISN+1): a challenge ACK (RFC 5961 §4) "
			"from a socket on %s that still believed an earlier connection on this "
			"4-tuple was open. ", cl, c->ep[CLIENT].isn, o->chal_seq, o->chal_ack, sv);
	reuse_stale_prev(&f, c, match);
	if (dated)
		finding_explain(&f, "Its TSecr is %.3f s older than the SYN's TSval: the socket "
				"last took a segment from this client about that long ago (an "
				"estimate: one 1 ms timestamp clock per host pair, as Linux "
				"keeps). ", explain_secs(age));
	if (generic)
		finding_explain(&f, "The client did not reset it in the capture, so what became "
				"of that socket is not known; a firewall dropping such ACKs makes "
				"connect() time out. ");
	reuse_explain_connect(&f, o);
	reuse_explain_failure(&f, a, c);
	finding_explain(&f, "The server side kept a socket its peer had forgotten; if it was "
			"CLOSE-WAIT, the application leaks sockets. %sCheck on the server: "
			"`ss -tan '( sport = :%u and dport = :%u )'`, nstat TcpExtTCPSYNChallenge.",
			explain_vantage(c), (unsigned)c->ep[SERVER].port,
			(unsigned)c->ep[CLIENT].port);
	analyzer_report(a, c, &f);
}

/* --- time_wait_reuse ------------------------------------------------------------------ */

static enum reuse_tw_how reuse_tw_how(const struct tcp_conn *c, int side)
{
	const struct reuse_open *o = &c->det.reuse.open;
	const struct predecessor *p = &c->prev;

	if (side == CLIENT)
		return TW_CLIENT_REUSE;
	if (o->challenges)
		return TW_ACK_RESET_RETRY;
	if (o->refused)
		return TW_REFUSED;
	if (o->answer.frame && o->syns < 2)
		return p->seq_known[SERVER] && o->synack_isn == p->nxt[SERVER] + REUSE_TW_ISN_STEP ?
			       TW_ACCEPTED_ISN : TW_ACCEPTED;
	return TW_SILENT_DROP;
}

/* How the stack answered the SYN (§3.1, §3.3, §3.4): a stable name for the
 * figures, words for the summary, and the explanation. */
static const struct {
	const char *name;
	const char *words;
	const char *text;
} reuse_tw[] = {
	[TW_ACCEPTED_ISN] = { "accepted_via_timewait", "accepted (ISN = old + 65537)", "The SYN looked newer than the old "
		"connection (higher sequence number or timestamp), so the TIME-WAIT socket let "
		"it through (RFC 6191): the SYN-ACK came at once with ISN = the old connection's "
		"last sequence number + 65537, the exact mark of Linux recycling a TIME-WAIT "
		"socket. Nothing was lost; this is the normal outcome between Linux hosts. " },
	[TW_ACCEPTED] = { "accepted", "accepted", "The server answered with a SYN-ACK at once; its ISN is "
		"not the old sequence number + 65537, so the server is not Linux or its "
		"TIME-WAIT was already gone. Nothing was lost. " },
	[TW_ACK_RESET_RETRY] = { "tw_ack_reset_retry", "answered by the old ACK, reset, retried",
		"The SYN looked older than the old "
		"connection (sequence number below what it had received, no newer timestamp), "
		"so the TIME-WAIT socket answered with a bare ACK carrying the old connection's "
		"sequence numbers instead of a SYN-ACK. " },
	[TW_SILENT_DROP] = { "tw_silent_drop", "ignored, re-sent", "The server ignored the SYN, as FreeBSD does with "
		"a SYN that does not look newer than its TIME-WAIT, and the client had to send "
		"it again. " },
	[TW_REFUSED] = { "tw_refused", "refused", "The server refused the SYN (R. ack = ISN+1), as a "
		"TIME-WAIT socket still in its FIN-WAIT-2 phase does: the client got "
		"ECONNREFUSED. " },
	[TW_CLIENT_REUSE] = { "client_tw_reuse", "the client's own TIME-WAIT reused", "The client reused its own TIME-WAIT 4-tuple, "
		"which Linux allows with timestamps on (net.ipv4.tcp_tw_reuse; default: "
		"loopback only). " },
};

static void reuse_time_wait(struct analyzer *a, struct tcp_conn *c, int side)
{
	const struct reuse_open *o = &c->det.reuse.open;
	const struct predecessor *p = &c->prev;
	enum reuse_tw_how how = reuse_tw_how(c, side);
	int64_t cost = reuse_added_delay(o), age = o->syn.ts_ns - p->since_ns[side];
	char cl[EXPLAIN_ADDR_MAX], tw[EXPLAIN_ADDR_MAX];
	bool costly = cost >= REUSE_COSTLY_NS || (!o->answer.frame && o->syns >= 2);
	struct finding f;

	finding_init(&f, KIND_TIME_WAIT_REUSE, c);
	f.related = p->id;
	if (costly || how == TW_REFUSED)
		f.severity = SEV_WARNING;
	f.confidence = how == TW_ACCEPTED ? 0.8 : how == TW_SILENT_DROP ? 0.7 : 1.0;
	reuse_open_frames(&f, o);
	finding_text(&f, "how", reuse_tw[how].name);
	finding_text(&f, "time_wait_side", explain_role(side));
	finding_secs(&f, "time_wait_age", age);
	finding_secs(&f, "gap_since_previous", p->gap_ns);
	finding_int(&f, "old_snd_nxt", p->nxt[side]);
	if (o->answer.frame && !o->refused) {
		finding_int(&f, "synack_isn", o->synack_isn);
		finding_bool(&f, "isn_is_old_plus_65537", how == TW_ACCEPTED_ISN);
	}
	if (o->challenges)
		finding_bool(&f, "tw_ack_ip_id_zero", o->chal_ipid0);
	reuse_open_figures(&f, o);
	explain_ep(cl, c, CLIENT);
	explain_ep(tw, c, side);

	finding_summary(&f, "SYN from port %u reused a 4-tuple in TIME-WAIT at the %s (%.3f s "
			"old): %s, %.3f s added", (unsigned)c->ep[CLIENT].port,
			explain_role(side),
			explain_secs(age), reuse_tw[how].words, explain_secs(cost));
	finding_explain(&f, "The previous connection on this 4-tuple (connection %llu) was closed "
			"first by the %s, so %s kept it in TIME-WAIT (for %.3f s when the new SYN "
			"came, %.3f s after that connection's last packet; Linux keeps TIME-WAIT "
			"60 s). The client %s sent a new SYN (SYN-SENT) from the same port. ",
			(unsigned long long)p->id, explain_role(side), tw,
			explain_secs(age), explain_secs(p->gap_ns), cl);
	finding_explain(&f, "%s", reuse_tw[how].text);
	if (how == TW_ACK_RESET_RETRY && o->chal_ipid0)
		finding_explain(&f, "Its IP ID 0 shows the kernel's TIME-WAIT mini-socket sent "
				"it. ");
	if (how == TW_ACK_RESET_RETRY)
		reuse_explain_connect(&f, o);
	if (how == TW_CLIENT_REUSE && p->seq_known[CLIENT] &&
	    c->ep[CLIENT].isn == p->nxt[CLIENT] + REUSE_TW_ISN_STEP)
		finding_explain(&f, "Its ISN is the old one's last sequence number + 65537, "
				"the mark of that reuse. ");
	if (costly)
		finding_explain(&f, "It cost connect() %.3f s%s. ", explain_secs(cost),
				o->answer.frame ? "" : " and it had not connected when the "
						       "capture ended");
	if (side == SERVER)
		finding_explain(&f, "Neither end is broken: the client reuses a fixed port "
				"(bind() before connect()) or a NAT reuses ports quickly, and the "
				"server closes first, so TIME-WAIT sits on the server. %s",
				how == TW_ACCEPTED_ISN || how == TW_ACCEPTED ? "" :
				"To avoid the cost: let the client pick ephemeral ports, keep TCP "
				"timestamps on (net.ipv4.tcp_timestamps) so a newer SYN is "
				"recognised, or let the client close first. ");
	finding_explain(&f, "%s", explain_vantage(c));
	analyzer_report(a, c, &f);
}

/* --- challenge_ack ------------------------------------------------------------------ */

static void reuse_rst_figures(struct finding *f, const struct reuse_rst *w)
{
	finding_text(f, "trigger", "inexact_rst");
	finding_int(f, "triggers", w->triggers);
	finding_int(f, "challenge_acks", w->challenges);
	finding_int(f, "rate_limited", w->rate_limited);
	finding_int(f, "unanswered", w->unanswered);
	finding_int(f, "rst_seq", w->first_seq);
	finding_int(f, "rcv_nxt", w->first_rcv_nxt);
	finding_int(f, "rst_offset", seq_diff(w->first_seq, w->first_rcv_nxt));
	finding_int(f, "reply_delay_us", (w->first_chal.ts_ns - w->first_trig.ts_ns) / 1000);
	finding_bool(f, "reset_confirmed", w->confirm.frame != 0);
	finding_bool(f, "connection_continued", w->after > 0);
	finding_bool(f, "rst_had_timestamps", w->first_has_ts);
}

static void reuse_rst_report(struct analyzer *a, struct tcp_conn *c)
{
	const struct reuse_rst *w = &c->det.reuse.rst;
	const struct reuse_mark m[] = { w->first_trig, w->first_chal, w->trig, w->last_chal,
					w->confirm };
	char snd[EXPLAIN_ADDR_MAX], rcv[EXPLAIN_ADDR_MAX];
	struct finding f;

	if (!w->challenges)
		return;
	finding_init(&f, KIND_CHALLENGE_ACK, c);
	f.confidence = 0.9;
	reuse_frames(&f, m, (int)(sizeof(m) / sizeof(m[0])));
	reuse_rst_figures(&f, w);
	explain_ep(snd, c, !w->first_rcv);
	explain_ep(rcv, c, w->first_rcv);
	finding_summary(&f, "In-window RST to %s (seq %+d from its rcv_nxt) drew %u challenge "
			"ACK%s; %s", rcv, seq_diff(w->first_seq, w->first_rcv_nxt),
			(unsigned)w->challenges, w->challenges > 1 ? "s" : "",
			w->confirm.frame ? "the peer confirmed the reset" :
					   "the connection survived");
	finding_explain(&f, "An RST from %s reached %s (%s) with seq %u: inside the receive "
			"window but not the next expected byte (rcv_nxt %u). Since RFC 5961 "
			"(Linux 3.6) a stack does not trust such an RST: it answered with a "
			"challenge ACK (seq = its snd_nxt, ack = its rcv_nxt) for the real peer "
			"to confirm. ", snd, rcv, tcp_state_name((enum tcp_state)w->first_state),
			w->first_seq, w->first_rcv_nxt);
	if (w->confirm.frame)
		finding_explain(&f, "The peer answered with an RST at exactly that ack: it really "
				"had aborted (data it sent was lost in flight), and the connection "
				"died one round trip later than the first RST. ");
	else if (w->after)
		finding_explain(&f, "No RST at the exact number followed and %s kept sending "
				"normally: the RST did not come from its socket. It was "
				"injected (a firewall, IDS or attacker resetting connections%s) "
				"or is a late RST of an earlier connection. ", snd,
				w->first_has_ts || !c->ep[!w->first_rcv].timestamps ? "" :
				"; it carried no TCP timestamps, unlike the connection's own "
				"segments");
	if (w->triggers > w->challenges)
		finding_explain(&f, "%u of %u such RSTs drew a challenge ACK; %u came within "
				"500 ms of another (the rate limit, "
				"net.ipv4.tcp_invalid_ratelimit) and %u went unanswered "
				"otherwise. ", (unsigned)w->challenges,
				(unsigned)w->triggers, (unsigned)w->rate_limited,
				(unsigned)w->unanswered);
	finding_explain(&f, "%s%s", w->confirm.frame ?
			"Check why the peer aborted (SO_LINGER 0, or close() with unread data) "
			"and why its data was lost. " :
			"Nothing to fix when the connection went on; if such RSTs recur, find "
			"the device sending them (their TTL and IP ID against the endpoint's) "
			"and watch nstat TcpExtTCPChallengeACK. ", explain_vantage(c));
	analyzer_report(a, c, &f);
}

/* --- deciding ---------------------------------------------------------------------- */

/* The side of the predecessor still in TIME-WAIT (younger than 60 s) when
 * the SYN came, or -1. The server's counts first: it answers the SYN. */
static int reuse_tw_side(const struct tcp_conn *c)
{
	const struct predecessor *p = &c->prev;
	int64_t syn = c->det.reuse.open.syn.ts_ns;

	for (int side = SERVER; side >= CLIENT; side--) {
		if (p->state[side] == TCP_TIME_WAIT && p->since_ns[side] &&
		    syn - p->since_ns[side] < REUSE_TIME_WAIT_NS)
			return side;
	}
	return -1;
}

/* A challenge ACK answered the SYN: whose socket, in what state? */
static void reuse_challenged(struct analyzer *a, struct tcp_conn *c)
{
	const struct reuse_open *o = &c->det.reuse.open;
	const struct predecessor *p = &c->prev;
	bool match = p->id && p->seq_known[SERVER] && p->ack_known[SERVER] &&
		     o->chal_seq == p->nxt[SERVER] && o->chal_ack == p->ack[SERVER];

	if (match && p->state[SERVER] == TCP_TIME_WAIT)
		reuse_time_wait(a, c, SERVER);
	else if (match && p->state[SERVER] == TCP_CLOSE_WAIT)
		reuse_close_wait(a, c);
	else
		reuse_stale(a, c, match);
}

static void reuse_opening_report(struct analyzer *a, struct tcp_conn *c)
{
	const struct reuse_open *o = &c->det.reuse.open;
	const struct predecessor *p = &c->prev;
	int side;

	if (!o->syns)
		return;
	if (o->challenges) {
		reuse_challenged(a, c);
		return;
	}
	if (!p->id)
		return;
	/* Only SYNs, never answered, though the stale socket answers one SYN per
	 * 500 ms at least (§0.2, §2.4 failure variant). */
	if (p->state[SERVER] == TCP_CLOSE_WAIT && !o->answer.frame && !o->others &&
	    o->syns >= 2 && o->last_syn.ts_ns - o->syn.ts_ns >= REUSE_RATELIMIT_NS) {
		reuse_close_wait(a, c);
		return;
	}
	side = reuse_tw_side(c);
	if (side < 0 || (side == SERVER && !o->answer.frame && o->syns < 2))
		return;
	reuse_time_wait(a, c, side);
}

static void reuse_on_conn_end(struct analyzer *a, struct tcp_conn *c)
{
	reuse_rst_settle(&c->det.reuse.rst);
	reuse_opening_report(a, c);
	reuse_rst_report(a, c);
}

const struct detector detector_reuse = {
	.name = "reuse",
	.on_segment = reuse_on_segment,
	.on_conn_end = reuse_on_conn_end,
};
