/*
 * detector.h - how an anomaly detector plugs into the analyzer.
 *
 * A detector is a set of hooks the analyzer calls as the capture is read: on
 * each classified segment, on each endpoint state change, when a connection is
 * finalised, and once at the end of the run. A detector never prints; it
 * reports through analyzer_report() (analyzer.h). Detectors are listed in
 * detectors.c; each lives in its own file named for its anomaly family.
 */
#ifndef TCPAUTOPSY_ANALYZER_DETECTOR_H
#define TCPAUTOPSY_ANALYZER_DETECTOR_H

#include "analyzer/conn.h"
#include "dissect/segment.h"

struct analyzer;

/* One segment as the analyzer understood it. */
struct seg_view {
	const struct tcp_segment *seg;
	int dir;			/* DIR_C2S or DIR_S2C */
	uint32_t events;		/* SEG_* bits (classify.h) */
	enum tcp_state before[2];	/* endpoint states before the segment */
	enum tcp_state after[2];	/* ...and after it */
};

struct detector {
	const char *name;
	void (*on_segment)(struct analyzer *a, struct tcp_conn *c, const struct seg_view *v);
	void (*on_conn_end)(struct analyzer *a, struct tcp_conn *c);
	void (*on_run_end)(struct analyzer *a);
};

/* The registered detectors, NULL-terminated (detectors.c). */
extern const struct detector *const detectors[];

#endif
