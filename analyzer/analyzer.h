/*
 * analyzer.h - segments in, finalised connections and findings out.
 *
 * One pass: the driver feeds every TCP segment of every capture file, in file
 * order, and tells the analyzer when time passes and when a file begins and ends.
 * A connection is finalised - handed to the sink and forgotten - when it has
 * closed or been reset and lingered, has been idle past the idle limit (capture
 * time, not wall time), was replaced by a new incarnation of its 4-tuple, was
 * evicted from a full table, or the run ends. Memory is bounded by the
 * connections open at once.
 *
 * Files follow each other as one timeline when each starts after the previous
 * one ended (rotated captures: a connection split across files is stitched);
 * when a file starts earlier, it is another view of the traffic, so every open
 * connection is finalised first and the analysis starts afresh.
 *
 * Ownership: the analyzer owns its connections; the const pointers it passes to
 * the sink are valid only during the call. The capture_info structs belong to
 * the caller and must outlive analyzer_finish().
 */
#ifndef TCPAUTOPSY_ANALYZER_ANALYZER_H
#define TCPAUTOPSY_ANALYZER_ANALYZER_H

#include <stdint.h>

#include "analyzer/capture.h"
#include "analyzer/conn.h"
#include "analyzer/finding.h"
#include "dissect/segment.h"

/* What the detectors need to call something a finding (thresholds.c holds
 * their names, units, defaults and descriptions). */
struct detect_config {
	int64_t fin_wait2_stall_ns;	/* half-closed and idle this long: fin_wait2_stall */
	int64_t fin_wait2_critical_ns;	/* ...critical from this long */
	int64_t zero_window_stall_ns;	/* zero window this long: zero_window_stall */
	int64_t zero_window_critical_ns;/* ...critical from this long */
	int64_t request_unanswered_ns;	/* request ACKed, no answer this long */
	int64_t close_wait_leak;	/* leaked sockets on one server ip:port: close_wait_leak */
	int64_t syn_unanswered;		/* SYN transmissions without answer: syn_unanswered */
	int64_t rto_death;		/* re-sends of one segment before silence */
	int64_t keepalive_dead;		/* unanswered keep-alive probes before the reset */
	int64_t orphan_fin;		/* re-sends of an unACKed FIN: orphan_fin_wait1_stall */
};

struct analyzer_config {
	int64_t idle_timeout_ns;	/* finalise a connection silent this long (default 600 s) */
	int64_t linger_ns;		/* keep a closed/reset one this long for late
					 * segments (default 60 s, one TIME-WAIT) */
	uint32_t max_connections;	/* live records at once (default 1,000,000) */
	struct detect_config detect;
};

/* Fills *cfg with the documented defaults. */
void analyzer_config_default(struct analyzer_config *cfg);

struct aggregate;

/* Where results go. connection and finding are required; aggregate (the
 * roll-ups per listener and host, at the end of the run) is optional. */
struct analyzer_sink {
	void *ctx;
	void (*connection)(void *ctx, const struct tcp_conn *c);
	void (*finding)(void *ctx, const struct finding *f);
	void (*aggregate)(void *ctx, const struct aggregate *g);
};

struct analyzer_stats {
	uint64_t connections;		/* finalised so far */
	uint64_t findings;
	uint64_t evicted;		/* finalised early because the table was full */
	uint64_t segments;
	uint32_t peak_open;		/* most connections live at once */
};

struct analyzer;

/* Returns NULL when out of memory. */
struct analyzer *analyzer_new(const struct analyzer_config *cfg, const struct analyzer_sink *sink);
void analyzer_free(struct analyzer *a);

/* A capture file begins; ci->first_ts_ns must already be set from its first
 * frame (0 if it has none). Decides whether it continues the previous one.
 * Nothing happens when a file ends: the next one may continue its connections,
 * so the caller only keeps ci->last_ts_ns up to date. */
void analyzer_begin_capture(struct analyzer *a, struct capture_info *ci);

/* Capture time has reached ts_ns: call it for every frame that is not handed
 * to analyzer_segment(), so that idle connections expire while other traffic
 * flows. */
void analyzer_clock(struct analyzer *a, int64_t ts_ns);

/* One TCP segment of the current capture; moves the clock to its time first. */
void analyzer_segment(struct analyzer *a, const struct tcp_segment *seg);

/* The run ended: finalises every open connection and runs the end-of-run
 * detectors. */
void analyzer_finish(struct analyzer *a);

const struct analyzer_stats *analyzer_stats(const struct analyzer *a);

/* For detectors: numbers a finding, attaches it to its connection, and passes
 * it to the sink. */
void analyzer_report(struct analyzer *a, struct tcp_conn *c, struct finding *f);

/* For detectors: the findings rolled up so far (aggregate.h). */
struct aggregates *analyzer_aggregates(struct analyzer *a);

/* For detectors: the analyzer's configuration and the current capture. */
const struct analyzer_config *analyzer_config(const struct analyzer *a);
struct capture_info *analyzer_capture(struct analyzer *a);

#endif
