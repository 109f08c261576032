/*
 * detector.h - how an anomaly detector plugs into the analyzer.
 *
 * A detector is a set of hooks the analyzer calls as the capture is read: on
 * each classified segment (with both endpoints' states before and after it),
 * when a connection is finalised, and once at the end of the run. A detector
 * never prints; it fills a struct finding (finding.h) and reports it through
 * analyzer_report() (analyzer.h).
 *
 * Detectors live in analyzer/detectors/, one file per anomaly family, and are
 * listed once in detectors/registry.c. What a family remembers about one
 * connection is a struct in its own header, embedded in struct tcp_conn
 * (detectors/state.h): fixed size, zeroed with the connection, no allocation
 * per packet. What it remembers across connections (listeners, hosts) lives in
 * the state its new_state() returns, which must be bounded.
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
	/* Optional: state across connections, made once per analyzer; the
	 * analyzer frees it with free_state. */
	void *(*new_state)(const struct analyzer *a);
	void (*free_state)(void *state);
	void (*on_segment)(struct analyzer *a, struct tcp_conn *c, const struct seg_view *v);
	void (*on_conn_end)(struct analyzer *a, struct tcp_conn *c);
	void (*on_run_end)(struct analyzer *a);
};

/* The registered detectors, NULL-terminated (detectors/registry.c). */
extern const struct detector *const detectors[];

/* The state new_state() made for detector d in this analyzer (NULL if none). */
void *analyzer_detector_state(struct analyzer *a, const struct detector *d);

#endif
