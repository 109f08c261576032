/*
 * finding.h - what a detector reports: one diagnosis with its evidence.
 *
 * A finding is plain data: the detector that raises it fills every field and
 * hands it to the analyzer, which numbers it and passes it to the sink. The
 * report never re-derives TCP facts from it; everything a person needs (the
 * frames, the figures, the explanation) travels in the finding.
 */
#ifndef TCPAUTOPSY_ANALYZER_FINDING_H
#define TCPAUTOPSY_ANALYZER_FINDING_H

#include <stdbool.h>
#include <stdint.h>

#include "analyzer/kinds.h"
#include "analyzer/packet_log.h"
#include "dissect/segment.h"


#define FINDING_MAX_FRAMES 24
#define FINDING_MAX_EVIDENCE 16

/* One figure behind an explanation: "synack_retransmissions": 4. */
enum evidence_type { EVIDENCE_INT, EVIDENCE_REAL, EVIDENCE_TEXT, EVIDENCE_BOOL };
struct evidence {
	const char *name;	/* stable key, a string literal */
	enum evidence_type type;
	union {
		int64_t i;
		double r;
		bool b;
		char text[64];
	} v;
};

struct finding {
	uint64_t id;		/* set by the analyzer: 1, 2, ... */
	enum finding_kind code;
	const char *kind;	/* identifier from ANOMALIES.md (kinds.c) */
	const char *scope;	/* "connection", "listener", "host", "capture" */
	enum severity severity;
	double confidence;	/* 0..1 */
	int64_t first_ts_ns;
	int64_t last_ts_ns;

	uint64_t connection;	/* connection id; 0 for a finding about a listener/host */
	uint64_t related;	/* an earlier connection involved (e.g. the stale one); 0 none */
	bool has_client;	/* false for aggregates (a whole listener or host) */
	struct ip_addr client;
	uint16_t client_port;
	struct ip_addr server;
	uint16_t server_port;	/* 0 for a finding about a whole host */

	uint32_t capture;	/* capture file the frames are in */
	uint32_t nframes;
	uint64_t frames[FINDING_MAX_FRAMES];
	/* packets[i] describes frames[i] when packets[i].frame != 0: filled by
	 * the analyzer from the connection's packet log (packet_log.h) when the
	 * finding is reported, for the ladder diagram. */
	struct packet_note packets[FINDING_MAX_FRAMES];

	uint32_t nevidence;
	struct evidence evidence[FINDING_MAX_EVIDENCE];

	/* The endpoint this finding shows left in CLOSE-WAIT by its application,
	 * for the close_wait_leak roll-up: since when, and until when (0 when it
	 * still was at the end of the capture). */
	bool leaked;
	int64_t leaked_since_ns;
	int64_t leaked_until_ns;

	char summary[192];	/* one line */
	char explanation[1536];	/* plain language: what each endpoint believed, who is
				 * at fault, the likely cause, what to check */
};

struct tcp_conn;

/* Starts a finding of kind k about connection c (NULL for a listener, host or
 * capture finding): kind, scope, usual severity, confidence 1, the endpoints
 * and the capture. Everything else starts empty. */
void finding_init(struct finding *f, enum finding_kind k, const struct tcp_conn *c);

/* Adds an evidence frame (ignored once full, or when already listed) and
 * widens [first_ts_ns, last_ts_ns] to its time. */
void finding_frame(struct finding *f, uint64_t frame, int64_t ts_ns);

/* Adds a figure; ignored once full. name must be a string literal. */
void finding_int(struct finding *f, const char *name, int64_t v);
void finding_real(struct finding *f, const char *name, double v);
void finding_bool(struct finding *f, const char *name, bool v);
void finding_text(struct finding *f, const char *name, const char *v);
/* A duration in seconds with millisecond precision, from nanoseconds. */
void finding_secs(struct finding *f, const char *name, int64_t ns);

/* Sets the one-line summary / appends to the explanation (printf style;
 * truncated to fit, never overflowing). */
void finding_summary(struct finding *f, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void finding_explain(struct finding *f, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
