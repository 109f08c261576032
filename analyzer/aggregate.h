/*
 * aggregate.h - findings rolled up per listener and per host.
 *
 * A capture with 2,000 leaked sockets must read as one problem of one
 * listener, not 2,000 alarms. Every connection finding is counted here under
 * its server address and port (the listener) and its server address (the
 * host); sockets left in CLOSE-WAIT are also counted over time, and a listener
 * with enough of them gets one close_wait_leak finding. The groups are handed
 * to the sink at the end of the run, most severe and most frequent first.
 *
 * Memory is bounded: at most AGG_MAX_GROUPS groups; a finding for a further
 * group is still reported on its own, only not rolled up.
 */
#ifndef TCPAUTOPSY_ANALYZER_AGGREGATE_H
#define TCPAUTOPSY_ANALYZER_AGGREGATE_H

#include <stdbool.h>
#include <stdint.h>

#include "analyzer/finding.h"

#define AGG_MAX_GROUPS 16384
#define AGG_MAX_IDS 32		/* finding and connection ids kept per group */
#define AGG_SERIES 64		/* points in a leak's count over time */
#define AGG_MAX_FRAMES 24	/* = FINDING_MAX_FRAMES */
#define AGG_FRAMES_PER_FINDING 4

/* How many sockets were left in CLOSE-WAIT at a point in time. */
struct leak_point {
	int64_t ts_ns;		/* end of the interval */
	int64_t open;
};

struct aggregate {
	const char *scope;	/* "listener" or "host" */
	enum finding_kind code;
	const char *kind;
	enum severity severity;	/* the highest among its findings */
	struct ip_addr server;
	uint16_t server_port;	/* 0 for a host */
	uint64_t count;		/* findings */
	uint32_t listeners;	/* distinct ports, for a host */
	int64_t first_ts_ns;
	int64_t last_ts_ns;
	uint32_t nids;		/* the first findings, with their connections */
	uint64_t finding_ids[AGG_MAX_IDS];
	uint64_t connection_ids[AGG_MAX_IDS];
	uint64_t summary_finding; /* the finding that sums the group up, 0 none */

	/* Evidence frames of its first findings (AGG_FRAMES_PER_FINDING each), all
	 * from the capture of the first one, for the finding that sums it up. */
	uint32_t capture;
	uint32_t nframes;
	uint64_t frames[AGG_MAX_FRAMES];

	/* CLOSE-WAIT sockets over time (close_wait_leak groups only). */
	int64_t series_origin_ns;
	int64_t series_step_ns;
	uint32_t nseries;
	struct leak_point series[AGG_SERIES];
	int64_t peak_open;
	int64_t open_at_end;
};

struct aggregates;

struct aggregates *aggregates_new(void);
void aggregates_free(struct aggregates *g);

/* Counts one finding (connection findings only; others are ignored). */
void aggregates_add(struct aggregates *g, const struct finding *f);

/* Number of groups, and group i in report order (after aggregates_sort()). */
void aggregates_sort(struct aggregates *g);
uint32_t aggregates_count(const struct aggregates *g);
struct aggregate *aggregates_get(struct aggregates *g, uint32_t i);
/* Fills the count-over-time series of a close_wait_leak group. */
void aggregate_finish_series(struct aggregate *ag);

/* Names f as the finding that sums ag up; ag is then at least as severe. A
 * group is otherwise as severe as its worst finding: a leak below the
 * close_wait_leak threshold stays at its sockets' severity. */
void aggregate_set_summary(struct aggregate *ag, const struct finding *f);
/* ...of every one: once every connection finding has been counted. */
void aggregates_finish(struct aggregates *g);

#endif
