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

#include "dissect/segment.h"

enum severity {
	SEV_INFO,
	SEV_WARNING,
	SEV_CRITICAL,
};
const char *severity_name(enum severity s);	/* "info", "warning", "critical" */

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
	const char *kind;	/* identifier from ANOMALIES.md, a string literal */
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

	uint32_t nevidence;
	struct evidence evidence[FINDING_MAX_EVIDENCE];

	char summary[192];	/* one line */
	char explanation[1536];	/* plain language: what each endpoint believed, who is
				 * at fault, the likely cause, what to check */
};

#endif
