/*
 * leak.c - close_wait_leak: one finding per listener whose application leaves
 * sockets in CLOSE-WAIT (ANOMALIES.md).
 *
 * The per-connection detectors mark each finding that shows a socket left in
 * CLOSE-WAIT (finding.leaked: a FIN-WAIT-2 stall, a SYN that met the stale
 * socket, a late reset); aggregate.c counts them per server address and port,
 * with their number over time. At the end of the run every listener with at
 * least the close_wait_leak threshold of them gets one critical finding, so a
 * capture of 2,000 leaked sockets reads as one problem with 2,000 pieces of
 * evidence.
 */
#include "config.h"

#include <stdio.h>

#include "analyzer/aggregate.h"
#include "analyzer/analyzer.h"
#include "analyzer/detector.h"
#include "analyzer/detectors/explain.h"

static void leak_figures(struct finding *f, const struct aggregate *ag)
{
	finding_int(f, "leaked_sockets", (int64_t)ag->count);
	finding_int(f, "peak_close_wait", ag->peak_open);
	finding_int(f, "still_close_wait_at_end", ag->open_at_end);
	finding_secs(f, "window", ag->last_ts_ns - ag->first_ts_ns);
	if (ag->last_ts_ns > ag->first_ts_ns)
		finding_real(f, "per_minute",
			     (double)(int64_t)((double)ag->count * 60e9 /
					       (double)(ag->last_ts_ns - ag->first_ts_ns) * 100.0 + 0.5) /
				     100.0);
	finding_int(f, "first_connection", (int64_t)ag->connection_ids[0]);
}

static void leak_report(struct analyzer *a, struct aggregate *ag)
{
	struct finding f;
	char srv[EXPLAIN_ADDR_MAX];

	finding_init(&f, KIND_CLOSE_WAIT_LEAK, NULL);
	f.server = ag->server;
	f.server_port = ag->server_port;
	f.capture = ag->capture;
	for (uint32_t i = 0; i < ag->nframes; i++)
		finding_frame(&f, ag->frames[i], ag->first_ts_ns);
	f.first_ts_ns = ag->first_ts_ns;	/* the span is the sockets', not the frames' */
	f.last_ts_ns = ag->last_ts_ns;
	f.confidence = ag->count >= 5 ? 1.0 : 0.9;
	leak_figures(&f, ag);
	explain_addr(srv, &ag->server, ag->server_port);

	finding_summary(&f, "%s leaves sockets in CLOSE-WAIT: %llu connections, %lld still open at the end",
			srv, (unsigned long long)ag->count, (long long)ag->open_at_end);
	finding_explain(&f,
		"On %s, %llu connections were closed by their peers (the peer's FIN was acknowledged) "
		"but the application on %s never closed its side: each socket sat in CLOSE-WAIT "
		"(at most %lld at once in this capture, %lld still there when it ended). "
		"The peers believed the connections were finished; the server's kernel kept them, "
		"and every one holds a file descriptor until the process closes it. "
		"This is an application bug, not a network problem: a code path that returns "
		"without close() (typically an error or timeout path), or a connection pool that "
		"never notices the peer closed. Left alone it ends in EMFILE (\"too many open "
		"files\") and a failing or crashed service. "
		"Check: `ss -tan state close-wait '( sport = :%u )'` on the server, the process's "
		"descriptor count (`ls /proc/PID/fd | wc -l`) against its limit, and the code that "
		"handles read() returning 0. The evidence frames are the first of the "
		"individual sockets' findings.",
		srv, (unsigned long long)ag->count, srv, (long long)ag->peak_open,
		(long long)ag->open_at_end, (unsigned)ag->server_port);
	analyzer_report(a, NULL, &f);
	aggregate_set_summary(ag, &f);
}

static void leak_run_end(struct analyzer *a)
{
	struct aggregates *g = analyzer_aggregates(a);
	int64_t min = analyzer_config(a)->detect.close_wait_leak;

	for (uint32_t i = 0; i < aggregates_count(g); i++) {
		struct aggregate *ag = aggregates_get(g, i);

		if (ag->code == KIND_CLOSE_WAIT_LEAK && ag->server_port != 0 &&
		    (int64_t)ag->count >= min)
			leak_report(a, ag);
	}
}

const struct detector detector_leak = {
	.name = "leak",
	.on_run_end = leak_run_end,
};
