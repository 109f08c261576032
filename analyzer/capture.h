/*
 * capture.h - the facts about one capture file that a report shows.
 *
 * The driver fills the file's identity and reading outcome, the dissector its
 * frame counters, the analyzer what the connections said about it (vantage).
 * The struct is owned by the driver and outlives the run's report.
 */
#ifndef TCPAUTOPSY_ANALYZER_CAPTURE_H
#define TCPAUTOPSY_ANALYZER_CAPTURE_H

#include <stdbool.h>
#include <stdint.h>

#include "analyzer/conn.h"
#include "dissect/dissect.h"

#define CAPTURE_MAX_LINKTYPES 8

struct capture_info {
	uint32_t index;			/* position in the run, from 0 */
	char file[1024];		/* as given on the command line ("-" for stdin) */
	char format[16];		/* "pcap", "pcapng" */
	bool nanosecond;		/* pcap with nanosecond timestamps */
	uint32_t snaplen;
	uint32_t nlinktypes;
	int linktypes[CAPTURE_MAX_LINKTYPES];

	struct dissect_stats stats;	/* frames, tcp, malformed by reason, ... */
	uint64_t filtered;		/* frames the BPF filter rejected (in stats.frames
					 * too, never dissected) */
	int64_t first_ts_ns;		/* 0 when the file had no frame */
	int64_t last_ts_ns;
	bool continued;			/* joined to the previous file as one timeline */

	/* Connections whose handshake was seen in this file, by inferred vantage. */
	uint64_t vantage_votes[VANTAGE_COUNT];

	/* Reading stopped early: what went wrong, after which frame. */
	bool damaged;
	uint64_t damaged_after_frame;
	char error[256];
};

/* The capture's overall vantage: the one at least 80% of the connections with
 * a verdict agree on, VANTAGE_MIXED when they disagree, VANTAGE_UNKNOWN when no
 * connection had a complete handshake. */
enum vantage capture_vantage(const struct capture_info *ci);

/* Returns true (and records it) when the link type is new for this capture. */
bool capture_add_linktype(struct capture_info *ci, int linktype);

#endif
