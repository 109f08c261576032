/*
 * listener_syn.c - SYNs that got no handshake (ANOMALIES.md; kernel-signatures.md
 * §1.4, §1.9, §7.3, §7.7, §8.1, §8.5): listener_syn_drop (a live listener
 * ignored them), syn_unanswered (nothing answered at all) and
 * connection_refused (a reset answered them).
 *
 * Whether a silent SYN is a drop or a filter depends on the listener, not on
 * the connection: listener.c keeps the seconds in which each listener answered
 * other SYNs. The gaps between the client's SYN retransmissions name its stack
 * (§8.1). A drop also counts in its listener's accept-queue roll-up
 * (listener_overflow.c): Linux drops SYNs while that queue is full.
 */
#include "config.h"

#include "analyzer/analyzer.h"
#include "analyzer/detectors/explain.h"
#include "analyzer/detectors/listener_int.h"

static double listener_gap(const struct listener_conn *lc, unsigned i)
{
	return (double)(lc->syn_off_us[i] - lc->syn_off_us[i - 1]) / 1e6;
}

static void listener_syn_frames(struct finding *f, const struct listener_conn *lc, unsigned n)
{
	for (unsigned i = 0; i < listener_kept(n); i++)
		finding_frame(f, lc->syn.frame + lc->syn_frame[i], listener_syn_ts(lc, i));
}

static bool listener_near(double x, double t)
{
	return x >= t * 0.8 - 0.05 && x <= t * 1.25 + 0.05;
}

/* §8.1: the gaps between SYN retransmissions fingerprint the client's stack. */
static const char *listener_stack(const struct listener_conn *lc, unsigned n)
{
	double g0, g1;

	n = listener_kept(n);
	if (n < 2)
		return "unknown (one SYN)";
	g0 = listener_gap(lc, 1);
	g1 = n >= 3 ? listener_gap(lc, 2) : 0;
	if (listener_near(g0, 1.0)) {
		if (n < 3)
			return "1 s initial timeout (Linux >= 3.1, BSD, macOS)";
		if (listener_near(g1, 1.0))
			return "Linux >= 6.5 (linear 1 s retries) or macOS/BSD";
		if (listener_near(g1, 2.0))
			return "Linux 3.1-6.4 (doubling from 1 s)";
	} else if (listener_near(g0, 3.0) && (n < 3 || listener_near(g1, 6.0))) {
		return "Windows or Linux < 3.1 (doubling from 3 s)";
	}
	return "unusual (tuned timeout, or a middlebox re-sending)";
}

/* --- silent SYNs: listener_syn_drop, syn_unanswered -------------------------------- */

/* cand[] holds the latest LST_CANDS only: past that, count the uncapped window. */
static void listener_burst_fix(const struct lst_entry *e, struct listener_conn *lc)
{
	if (lc->burst >= LST_CANDS && lc->syn.ts_ns >= e->cwin_start && e->cwin_n > lc->burst)
		lc->burst = e->cwin_n > 255 ? 255 : (uint8_t)e->cwin_n;
}

/* The drops reported on a listener, in tumbling 10 s windows, for its roll-up. */
static void listener_drop_window(struct lst_entry *e, const struct listener_conn *lc)
{
	int64_t t = lc->syn.ts_ns;

	if (!e->dwin_n || t - e->dwin_start > BURST_NS || e->dwin_start - t > BURST_NS) {
		e->dwin_start = t;
		e->dwin_n = 0;
	}
	e->dwin_n++;
	if (e->dwin_n > e->dpeak_n) {
		e->dpeak_n = e->dwin_n;
		e->dpeak_first = e->dwin_start < t ? e->dwin_start : t;
		if (t > e->dpeak_last || e->dwin_n == 1)
			e->dpeak_last = t;
	}
	if (e->ndframes < 8)
		e->dframes[e->ndframes++] = lc->syn.frame;
}

/* §1.9: more than 5 connections losing SYNs on one listener within 10 s. */
void listener_syn_summary(struct analyzer *a, struct lst_entry *e)
{
	char srv[EXPLAIN_ADDR_MAX];
	struct finding f;

	finding_init(&f, KIND_LISTENER_SYN_DROP, NULL);
	f.scope = "listener";
	f.severity = SEV_CRITICAL;
	f.server = e->addr;
	f.server_port = e->port;
	f.confidence = 1.0;
	for (uint32_t i = 0; i < e->ndframes; i++)
		finding_frame(&f, e->dframes[i], e->dpeak_first);
	f.first_ts_ns = e->dpeak_first;
	f.last_ts_ns = e->dpeak_last;
	finding_int(&f, "connections_syns_dropped", e->sum.dropped);
	finding_int(&f, "peak_connections_in_10s", e->dpeak_n);
	finding_secs(&f, "peak_span", e->dpeak_last - e->dpeak_first);
	explain_addr(srv, &e->addr, e->port);
	finding_summary(&f, "%s: SYNs of %u connections dropped within %.3f s (%u in all)", srv,
			e->dpeak_n, explain_secs(e->dpeak_last - e->dpeak_first), e->sum.dropped);
	finding_explain(&f, "On %s, %u connections had SYNs ignored within %.3f s (first SYNs), "
		"while the listener answered others: its accept or SYN queue was full. Linux drops "
		"SYNs without a word then, and every client waits for its retransmission timer "
		"(1 s, then 2 s, ...). Check `nstat -az TcpExtListenDrops TcpExtListenOverflows "
		"TcpExtTCPReqQFullDrop` on the server, raise the listen() backlog and "
		"net.core.somaxconn, and accept connections faster.", srv, e->dpeak_n,
		explain_secs(e->dpeak_last - e->dpeak_first));
	analyzer_report(a, NULL, &f);
}

/* §1.4 C, §1.9: SYNs a live listener never answered (its queue was full). */
static void listener_syn_drop(struct analyzer *a, struct tcp_conn *c, struct lst_entry *e,
			      bool connected)
{
	struct listener_conn *lc = &c->det.listener;
	unsigned silent = connected ? lc->nsyn_silent - 1u : lc->nsyn;
	char cli[EXPLAIN_ADDR_MAX], srv[EXPLAIN_ADDR_MAX], gaps[64];
	bool alive = lc->bits & LC_ALIVE, echo = lc->bits & LC_ECHO_LAST;
	struct finding f;

	/* A burst is the listener roll-up's to call critical (listener_syn_summary). */
	finding_init(&f, KIND_LISTENER_SYN_DROP, c);
	listener_burst_fix(e, lc);
	f.confidence = alive ? (echo || !connected ? 1.0 : 0.9) : 0.6;
	listener_syn_frames(&f, lc, lc->nsyn_silent);
	if (connected)
		finding_frame(&f, lc->synack.frame, lc->synack.ts_ns);
	listener_times(gaps, sizeof(gaps), lc->syn_off_us, listener_kept(lc->nsyn_silent), true);
	finding_int(&f, "syn_transmissions", lc->nsyn_silent);
	finding_int(&f, "syns_unanswered", silent);
	finding_text(&f, "syn_gaps", gaps);
	if (connected)
		finding_secs(&f, "connect_delay", lc->synack.ts_ns - lc->syn.ts_ns);
	finding_bool(&f, "connected", connected);
	if (connected && c->ep[CLIENT].timestamps)
		finding_bool(&f, "synack_echoes_last_syn", echo);
	finding_bool(&f, "other_handshakes_nearby", alive);
	finding_int(&f, "syn_drop_connections_in_10s", lc->burst ? lc->burst : 1);
	finding_text(&f, "client_stack", listener_stack(lc, lc->nsyn_silent));
	explain_ep(cli, c, CLIENT);
	explain_ep(srv, c, SERVER);
	if (connected)
		finding_summary(&f, "%u SYN%s ignored by a live listener, connect() delayed "
				"%.3f s", silent, explain_s(silent),
				explain_secs(lc->synack.ts_ns - lc->syn.ts_ns));
	else
		finding_summary(&f, "%u SYN%s ignored by a live listener, never answered",
				silent, explain_s(silent));
	finding_explain(&f, "The client %s (SYN-SENT) sent the same SYN %u times (gaps %s s) "
		"and %u of them got no answer at all, ", cli, (unsigned)lc->nsyn_silent, gaps,
		silent);
	if (alive)
		finding_explain(&f, "while %s answered other clients' SYNs within 5 s: the host "
			"and its listener were up. ", srv);
	else
		finding_explain(&f, "although %s was there to answer the last one. ", srv);
	finding_explain(&f, "Linux drops a SYN without a word while the listener's accept queue "
		"is full (and when its SYN queue is full without syncookies), so the client can "
		"only wait for its retransmission timer. ");
	if (connected)
		finding_explain(&f, "The SYN-ACK came %.3f s after the first SYN%s: connect() "
			"took that long. ", explain_secs(lc->synack.ts_ns - lc->syn.ts_ns),
			echo ? " and echoes the last SYN's TSval, proving the earlier ones were "
			"never answered" : "");
	else
		finding_explain(&f, "No answer came in the capture: connect() fails with "
			"ETIMEDOUT when the client's SYN retries run out. ");
	if (lc->burst >= BURST_MIN)
		finding_explain(&f, "At least %u connections lost SYNs on this listener within "
				"10 s. ",
				(unsigned)lc->burst);
	finding_explain(&f, "%sThe server is overloaded: check `nstat -az TcpExtListenDrops "
		"TcpExtListenOverflows TcpExtTCPReqQFullDrop` on it, raise the listen() backlog "
		"and net.core.somaxconn, and accept connections faster.", explain_vantage(c));
	analyzer_report(a, c, &f);
	e->sum.dropped++;
	listener_sum_span(&e->sum, &f);
	listener_drop_window(e, lc);
}

/* §8.1, §8.5: SYNs nobody answered, on a port nothing shows alive. */
static void listener_syn_unanswered(struct analyzer *a, struct lst_state *st, struct tcp_conn *c)
{
	struct listener_conn *lc = &c->det.listener;
	unsigned n = listener_kept(lc->nsyn);
	int64_t last = listener_syn_ts(lc, n - 1), seen = listener_covered(a, st, c) - last;
	double lastgap = n >= 2 ? listener_gap(lc, n - 1) : 1.0;
	bool host = st->e[lst_get(a, st, &c->ep[SERVER].addr, 0)].sent;
	bool covered = (double)seen >= 2.0 * lastgap * 1e9;
	char cli[EXPLAIN_ADDR_MAX], srv[EXPLAIN_ADDR_MAX], gaps[64];
	struct finding f;

	finding_init(&f, KIND_SYN_UNANSWERED, c);
	f.confidence = !host ? 0.6 : covered ? 1.0 : 0.75;
	listener_syn_frames(&f, lc, lc->nsyn);
	listener_times(gaps, sizeof(gaps), lc->syn_off_us, n, true);
	finding_int(&f, "syn_transmissions", lc->nsyn);
	finding_text(&f, "syn_gaps", gaps);
	finding_secs(&f, "syn_span", last - lc->syn.ts_ns);
	finding_text(&f, "client_stack", listener_stack(lc, lc->nsyn));
	finding_secs(&f, "seen_after_last_syn", seen);
	finding_bool(&f, "client_gave_up", covered);
	finding_bool(&f, "server_host_seen_sending", host);
	explain_ep(cli, c, CLIENT);
	explain_ep(srv, c, SERVER);
	finding_summary(&f, "%u SYNs over %.3f s, no answer at all (client: %s)",
			(unsigned)lc->nsyn, explain_secs(last - lc->syn.ts_ns),
			listener_stack(lc, lc->nsyn));
	finding_explain(&f, "The client %s (SYN-SENT) sent the same SYN %u times over %.3f s "
		"(gaps %s s) and got nothing back: no SYN-ACK, no RST. The schedule points at %s "
		"(Linux >= 6.5 re-sends at 1 s intervals 5 times then doubles, 3.1-6.4 doubles "
		"from 1 s, Windows from 3 s). ", cli, (unsigned)lc->nsyn,
		explain_secs(last - lc->syn.ts_ns), gaps, listener_stack(lc, lc->nsyn));
	if (covered)
		finding_explain(&f, "The capture runs %.3f s past the last SYN without another: "
			"the client gave up (connect() failed with ETIMEDOUT). ",
			explain_secs(seen));
	else
		finding_explain(&f, "The capture ends %.3f s after the last SYN, so the client may "
			"have kept trying and an answer may have come later. ", explain_secs(seen));
	if (!host)
		finding_explain(&f, "Nothing at all from %s is in the capture, so its answers may "
			"have taken another path (asymmetric routing) or been filtered out of the "
			"capture. ", srv);
	if (analyzer_capture(a) && capture_vantage(analyzer_capture(a)) == VANTAGE_NEAR_SERVER)
		finding_explain(&f, "The capture was taken at the server: the SYNs reached its "
			"host and its stack stayed silent, so a local firewall or policy rule "
			"(nft/iptables DROP, blackhole route, `ip rule`) threw them away. ");
	if (lst_alive_any(listener_entry(a, st, c), lc->syn.ts_ns - ALIVE_NS, last + ALIVE_NS))
		finding_explain(&f, "Other handshakes on %s were answered within 5 s; seen from "
			"the client's side a busy listener dropping SYNs cannot be told from a "
			"loss or a filter on the way (or a middlebox answering for the server). ",
			srv);
	else
		finding_explain(&f, "No other handshake on %s was answered within 5 s, so this is "
			"not a busy listener dropping SYNs. ", srv);
	finding_explain(&f, "The port may be filtered (firewall DROP), the host is "
		"down or unreachable, or replies are lost on the way back. Check the firewalls on "
		"the path and on the server (`nft list ruleset`, `iptables -L -v -n`), routing "
		"(`ip route get`, `ip rule`) and `ss -ltn` on the server.");
	analyzer_report(a, c, &f);
}

static bool listener_server_side(struct analyzer *a, const struct tcp_conn *c,
				 const struct lst_entry *e)
{
	const struct capture_info *ci = analyzer_capture(a);

	return e->near_server || c->vantage == VANTAGE_NEAR_SERVER ||
	       c->vantage == VANTAGE_SAME_HOST ||
	       (ci && capture_vantage(ci) == VANTAGE_NEAR_SERVER);
}

/* SYNs that went unanswered: dropped by a live listener, or never answered by
 * anything. */
void listener_silent_syns(struct analyzer *a, struct lst_state *st, struct tcp_conn *c)
{
	struct listener_conn *lc = &c->det.listener;
	struct lst_entry *e = listener_entry(a, st, c);
	unsigned last = listener_kept(lc->nsyn_silent) - 1;

	/* The client ACKed a server sequence the capture never showed: answered. */
	if (lc->bits & LC_CLIENT_ACKED)
		return;
	if (lc->reply_frame) {
		/* §1.9: answered in the end by a SYN-ACK, after two SYNs or more
		 * were lost; a live listener or the TSecr echo says it ignored them. */
		if (lc->reply_frame == lc->synack.frame && lc->nsyn_silent >= 3 &&
		    (lc->bits & (LC_ALIVE | LC_ECHO_LAST)))
			listener_syn_drop(a, c, e, true);
		return;
	}
	/* Never answered: only the server's own capture shows the listener
	 * ignoring them; from elsewhere loss or a filter look the same (§1.9). */
	if (listener_server_side(a, c, e) &&
	    lst_alive_any(e, lc->syn.ts_ns - ALIVE_NS, listener_syn_ts(lc, last) + ALIVE_NS)) {
		uint8_t b = lst_burst(e, lc->syn.ts_ns);

		lc->bits |= LC_ALIVE;
		lc->burst = b > lc->burst ? b : lc->burst;
		listener_syn_drop(a, c, e, false);
	} else if (lc->nsyn >= analyzer_config(a)->detect.syn_unanswered) {
		listener_syn_unanswered(a, st, c);
	}
}

/* --- connection_refused ------------------------------------------------------------ */

/* §7.3, §7.7: SYN answered by R. ack ISN+1: nothing listened. */
void listener_refused(struct analyzer *a, struct lst_state *st, struct tcp_conn *c)
{
	struct listener_conn *lc = &c->det.listener;
	struct lst_entry *e = listener_entry(a, st, c);
	bool nearby = lst_alive_any(e, lc->rst.ts_ns - REFUSED_NEAR_NS,
				    lc->rst.ts_ns + REFUSED_NEAR_NS);
	int64_t before = lc->accept_before_ns ? lc->rst.ts_ns - lc->accept_before_ns : -1;
	char cli[EXPLAIN_ADDR_MAX], srv[EXPLAIN_ADDR_MAX];
	struct finding f;

	finding_init(&f, KIND_CONNECTION_REFUSED, c);
	if (nearby)
		f.severity = SEV_WARNING;
	f.confidence = (lc->bits & LC_REFUSED_EXACT) ? 1.0 : 0.9;
	if (c->prev.id)
		f.related = c->prev.id;
	listener_syn_frames(&f, lc, lc->nsyn);
	finding_frame(&f, lc->rst.frame, lc->rst.ts_ns);
	finding_secs(&f, "rst_after", lc->rst_gap_ns);
	finding_int(&f, "syn_transmissions", lc->nsyn);
	finding_int(&f, "rst_ack", c->ep[CLIENT].isn + 1u);
	finding_bool(&f, "port_accepted_nearby", nearby);
	if (before >= 0)
		finding_secs(&f, "last_accept_before", before);
	finding_text(&f, "client_state", "CLOSED");
	explain_ep(cli, c, CLIENT);
	explain_ep(srv, c, SERVER);
	if (nearby)
		finding_summary(&f, "connection refused while the port accepted other "
				"connections within 10 s");
	else
		finding_summary(&f, "connection refused (SYN answered by RST)");
	finding_explain(&f, "The SYN of %s was answered %.3f ms later by `R.` (ack = its "
		"ISN+1%s): nothing listened on %s, so the server's kernel refused the connection. "
		"The client's connect() failed at once with ECONNREFUSED and it went back to "
		"CLOSED; the server kept no state. ", cli, (double)lc->rst_gap_ns / 1e6,
		(lc->bits & LC_REFUSED_EXACT) ? ", seq 0, window 0" : "", srv);
	if (nearby && !(before >= 0 && before <= REFUSED_NEAR_NS))
		finding_explain(&f, "The same port accepted other connections within 10 s after "
			"this one: the listener was not there yet (the service was starting or "
			"restarting), or a firewall REJECT rule applied for a while. ");
	else if (nearby)
		finding_explain(&f, "Yet the same port accepted other connections within 10 s of "
			"this one%s: the listener was there and went away, i.e. the service was "
			"restarting or crashed, its socket was closed and opened again (deploy, "
			"systemd restart, a worker of an SO_REUSEPORT group exiting), or a "
			"firewall REJECT rule applied for a while. Clients connecting in that gap "
			"fail. Check the service's restart history (`journalctl`, `systemctl "
			"status`) and keep the listening socket open across restarts (socket "
			"activation, graceful reload). ",
			" (the last one just before it)");
	else
		finding_explain(&f, "Nothing in the capture shows this port accepting connections "
			"nearby: the service is not running, listens on another address or port, "
			"or a firewall rejects with tcp-reset. Check `ss -ltn 'sport = :%u'` on "
			"the server. ", (unsigned)c->ep[SERVER].port);
	if (c->vantage != VANTAGE_UNKNOWN)
		finding_explain(&f, "%s", explain_vantage(c));
	analyzer_report(a, c, &f);
}
