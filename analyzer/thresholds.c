/*
 * thresholds.c - the detectors' tunable limits (see thresholds.h).
 *
 * The defaults follow ANOMALIES.md and the Linux timers behind each rule
 * (kernel-signatures.md); a user with other timers (a 30 s tcp_fin_timeout,
 * say) changes them on the command line.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer/thresholds.h"

#define NS_PER_S 1000000000LL
#define FIELD(f) offsetof(struct detect_config, f)

const struct threshold_info thresholds[] = {
	{ "fin_wait2_stall", THRESHOLD_SECONDS, 60 * NS_PER_S, FIELD(fin_wait2_stall_ns),
	  "half-closed and idle this long is a fin_wait2_stall (shorter at the end of the capture: unresolved)" },
	{ "fin_wait2_critical", THRESHOLD_SECONDS, 300 * NS_PER_S, FIELD(fin_wait2_critical_ns),
	  "a fin_wait2_stall this long is critical" },
	{ "zero_window_stall", THRESHOLD_SECONDS, 5 * NS_PER_S, FIELD(zero_window_stall_ns),
	  "a zero window held this long is a zero_window_stall" },
	{ "zero_window_critical", THRESHOLD_SECONDS, 60 * NS_PER_S, FIELD(zero_window_critical_ns),
	  "a zero_window_stall this long is critical" },
	{ "request_unanswered", THRESHOLD_SECONDS, 2 * NS_PER_S, FIELD(request_unanswered_ns),
	  "a request ACKed by the server's kernel and not answered this long is request_unanswered" },
	{ "close_wait_leak", THRESHOLD_COUNT, 2, FIELD(close_wait_leak),
	  "sockets left in CLOSE-WAIT on one server address and port that make a close_wait_leak" },
	{ "syn_unanswered", THRESHOLD_COUNT, 2, FIELD(syn_unanswered),
	  "SYN transmissions without any answer that make a syn_unanswered" },
	{ "rto_death", THRESHOLD_COUNT, 3, FIELD(rto_death),
	  "re-sends of one segment with growing gaps, then silence, that make a retransmission_timeout_death" },
	{ "keepalive_dead", THRESHOLD_COUNT, 2, FIELD(keepalive_dead),
	  "unanswered keep-alive probes before the prober's reset that make a keepalive_dead_peer" },
	{ "orphan_fin", THRESHOLD_COUNT, 3, FIELD(orphan_fin),
	  "re-sends of a FIN never ACKed that make an orphan_fin_wait1_stall" },
};
const size_t nthresholds = sizeof(thresholds) / sizeof(thresholds[0]);

static int64_t *threshold_field(struct detect_config *d, const struct threshold_info *t)
{
	return (int64_t *)(void *)((char *)d + t->offset);
}

int64_t threshold_get(const struct detect_config *d, const struct threshold_info *t)
{
	return *(const int64_t *)(const void *)((const char *)d + t->offset);
}

void thresholds_default(struct detect_config *d)
{
	for (size_t i = 0; i < nthresholds; i++)
		*threshold_field(d, &thresholds[i]) = thresholds[i].def;
}

/* "90", "90s", "1.5m", "500ms", "2h" -> nanoseconds; -1 when not a duration. */
static int64_t threshold_parse_seconds(const char *v)
{
	static const struct { const char *suffix; double ns; } units[] = {
		{ "", 1e9 }, { "s", 1e9 }, { "ms", 1e6 }, { "m", 60e9 }, { "h", 3600e9 },
	};
	char *end;
	double x;

	errno = 0;
	x = strtod(v, &end);
	if (end == v || errno || !(x >= 0))
		return -1;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(end, units[i].suffix) == 0) {
			x *= units[i].ns;
			return x < 9e18 ? (int64_t)x : -1;
		}
	}
	return -1;
}

static int64_t threshold_parse_count(const char *v)
{
	char *end;
	long long n;

	errno = 0;
	n = strtoll(v, &end, 10);
	if (end == v || *end || errno || n < 1 || n > 1000000)
		return -1;
	return n;
}

int threshold_set(struct detect_config *d, const char *assignment, const char **why)
{
	const char *eq = strchr(assignment, '=');
	size_t len = eq ? (size_t)(eq - assignment) : 0;

	if (!eq) {
		*why = "expected NAME=VALUE";
		return -1;
	}
	for (size_t i = 0; i < nthresholds; i++) {
		const struct threshold_info *t = &thresholds[i];
		int64_t v;

		if (strlen(t->name) != len || strncmp(t->name, assignment, len) != 0)
			continue;
		v = t->unit == THRESHOLD_SECONDS ? threshold_parse_seconds(eq + 1)
						 : threshold_parse_count(eq + 1);
		if (v < 0) {
			*why = t->unit == THRESHOLD_SECONDS
				? "not a duration (examples: 90, 90s, 500ms, 5m)"
				: "not a count from 1 to 1000000";
			return -1;
		}
		*threshold_field(d, t) = v;
		return 0;
	}
	*why = "no such threshold (see --list-kinds)";
	return -1;
}
