/*
 * html_bins.c - the charts' counters, filled as connections are finalised
 * (see html_parts.h): fixed-size, whatever the capture.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "analyzer/outcome.h"
#include "report/html_parts.h"

#define US 1000LL
#define MS 1000000LL
#define SEC 1000000000LL

/* Handshake RTTs go from tens of microseconds (a LAN) to seconds (a lost
 * SYN): 1-2-5 steps. */
const int64_t html_rtt_edges[HTML_RTT_BINS] = {
	0,	   10 * US,  20 * US,  50 * US,	  100 * US, 200 * US, 500 * US,
	1 * MS,	   2 * MS,   5 * MS,   10 * MS,	  20 * MS,  50 * MS,  100 * MS,
	200 * MS,  500 * MS, 1 * SEC,  2 * SEC,	  5 * SEC,
};

/* Connections last from a refused SYN's microseconds to days: decades, then
 * the units people think in. */
const int64_t html_duration_edges[HTML_DURATION_BINS] = {
	0,	  1 * MS,    10 * MS,	100 * MS,     1 * SEC,	     10 * SEC,
	60 * SEC, 600 * SEC, 3600 * SEC, 6 * 3600 * SEC, 86400 * SEC,
};

const char *html_edge_label(int64_t ns, char *buf, size_t len)
{
	static const struct {
		int64_t unit;
		const char *name;
	} units[] = {
		{ 86400 * SEC, "d" }, { 3600 * SEC, "h" }, { 60 * SEC, "min" },
		{ SEC, "s" },	      { MS, "ms" },	   { US, "\xc2\xb5s" },
	};

	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (ns >= units[i].unit) {
			snprintf(buf, len, "%" PRId64 " %s", ns / units[i].unit, units[i].name);
			return buf;
		}
	}
	snprintf(buf, len, "0");
	return buf;
}

/* The bin of v among edges (the last one whose edge is <= v). */
static size_t html_log_bin(const int64_t *edges, size_t n, int64_t v)
{
	size_t i = 0;

	while (i + 1 < n && v >= edges[i + 1])
		i++;
	return i;
}

/* --- how a connection ended ------------------------------------------------ */

static const struct {
	const char *name, *meaning;
} html_outcomes[OUT_COUNT] = {
	[OUT_CLOSED] = { "closed", "closed normally at both ends" },
	[OUT_RESET] = { "reset", "ended by a reset (RST)" },
	[OUT_REFUSED] = { "refused", "the SYN was answered by a reset (RST)" },
	[OUT_CONNECTING] = { "not established", "the handshake never completed" },
	[OUT_OPEN] = { "open at the end", "still established when the capture ended" },
	[OUT_CLOSING] = { "closing at the end",
			  "one side had closed, the other not, when the capture ended" },
	[OUT_IDLE] = { "idle", "silent past --idle-timeout" },
	[OUT_REUSED] = { "replaced", "a new connection took its 4-tuple" },
	[OUT_EVICTED] = { "evicted", "the connection table was full (--max-connections)" },
};

enum html_outcome html_outcome_of(const struct tcp_conn *c)
{
	static const enum html_outcome from_tcp[OUTCOME_COUNT] = {
		[OUTCOME_CLOSED] = OUT_CLOSED,
		[OUTCOME_RESET] = OUT_RESET,
		[OUTCOME_REFUSED] = OUT_REFUSED,
		[OUTCOME_NOT_ESTABLISHED] = OUT_CONNECTING,
		[OUTCOME_HALF_CLOSED] = OUT_CLOSING,
		[OUTCOME_OPEN] = OUT_OPEN,
	};
	enum conn_outcome o;

	switch (c->end) {
	case END_IDLE:
		return OUT_IDLE;
	case END_REUSED:
		return OUT_REUSED;
	case END_EVICTED:
		return OUT_EVICTED;
	default:
		break;
	}
	o = conn_outcome(c);
	return (unsigned)o < OUTCOME_COUNT ? from_tcp[o] : OUT_CLOSING;
}

const char *html_outcome_name(enum html_outcome o)
{
	return (unsigned)o < OUT_COUNT ? html_outcomes[o].name : "?";
}

const char *html_outcome_meaning(enum html_outcome o)
{
	return (unsigned)o < OUT_COUNT ? html_outcomes[o].meaning : "?";
}

/* --- time bins that widen --------------------------------------------------- */

/* The widest a bin may become: the bins then span about 2^62 ns either way,
 * more than int64_t times can hold, so the arithmetic below cannot overflow. */
#define HTML_STEP_MAX (INT64_MAX / (4 * HTML_TIME_BINS))
#define HTML_FIRST_STEP (10 * MS)

/* Doubles the bins' width keeping their start: bin k moves to k / 2. */
static void html_widen_later(struct html_time_bins *t)
{
	for (int e = 0; e < OUT_COUNT; e++) {
		for (size_t k = 0; k < HTML_TIME_BINS / 2; k++)
			t->count[e][k] = t->count[e][2 * k] + t->count[e][2 * k + 1];
		memset(&t->count[e][HTML_TIME_BINS / 2], 0,
		       HTML_TIME_BINS / 2 * sizeof(t->count[e][0]));
	}
	t->step_ns *= 2;
}

/* Doubles the bins' width keeping their end: bin k moves to (N + k) / 2.
 * From the last bin down, so that no bin is overwritten before it is read. */
static void html_widen_earlier(struct html_time_bins *t)
{
	for (int e = 0; e < OUT_COUNT; e++) {
		for (size_t k = HTML_TIME_BINS / 2; k-- > 0;)
			t->count[e][HTML_TIME_BINS / 2 + k] =
				t->count[e][2 * k] + t->count[e][2 * k + 1];
		memset(&t->count[e][0], 0, HTML_TIME_BINS / 2 * sizeof(t->count[e][0]));
	}
	t->origin_ns -= (int64_t)HTML_TIME_BINS * t->step_ns;
	t->step_ns *= 2;
}

static size_t html_time_bin(struct html_time_bins *t, int64_t ts)
{
	if (!t->step_ns) {
		t->origin_ns = ts;
		t->step_ns = HTML_FIRST_STEP;
	}
	for (;;) {
		bool later = ts >= t->origin_ns;
		uint64_t off = later ? (uint64_t)ts - (uint64_t)t->origin_ns : 0;

		if (later && off / (uint64_t)t->step_ns < HTML_TIME_BINS)
			return (size_t)(off / (uint64_t)t->step_ns);
		/* A time absurdly far from the others shares the outermost bin. */
		if (t->step_ns > HTML_STEP_MAX ||
		    (!later && t->origin_ns < INT64_MIN + 2 * HTML_TIME_BINS * t->step_ns))
			return later ? HTML_TIME_BINS - 1 : 0;
		if (later)
			html_widen_later(t);
		else
			html_widen_earlier(t);
	}
}

size_t html_bins_cover(struct html_time_bins *t, int64_t ts)
{
	return t->step_ns ? html_time_bin(t, ts) : 0;
}

void html_bins_add(struct html_bins *b, const struct tcp_conn *c)
{
	int64_t duration = html_elapsed(c->first_ts_ns, c->last_ts_ns);

	b->starts.count[html_outcome_of(c)][html_time_bin(&b->starts, c->first_ts_ns)]++;
	if (c->handshake_rtt_ns >= 0)
		b->rtt[html_log_bin(html_rtt_edges, HTML_RTT_BINS, c->handshake_rtt_ns)]++;
	else
		b->no_rtt++;
	b->duration[html_log_bin(html_duration_edges, HTML_DURATION_BINS, duration)]++;
}
