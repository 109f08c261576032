/*
 * test_html_bins.c - what the HTML report gathers while connections stream
 * past: the time bins that widen both ways without losing or misplacing a
 * connection, the log bins, the kept connection rows (with findings first,
 * then the lowest ids, never more than the cap), and the UTF-8 cleaning every
 * string goes through.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/html_parts.h"
#include "report/utf8.h"
#include "tests/unit/check.h"

#define SEC INT64_C(1000000000)
#define T0 INT64_C(1795255480000000000)	/* 2026-11-21T10:04:40Z */

static struct tcp_conn *conn_at(uint64_t id, int64_t first, int64_t last, enum conn_end end)
{
	struct tcp_conn *c = calloc(1, sizeof(*c));

	if (!c)
		abort();
	c->id = id;
	c->first_ts_ns = first;
	c->last_ts_ns = last;
	c->end = end;
	c->handshake_rtt_ns = -1;
	c->ep[CLIENT].port = (uint16_t)(40000 + id % 20000);
	c->ep[SERVER].port = 8080;
	return c;
}

static uint64_t bins_total(const struct html_time_bins *t)
{
	uint64_t n = 0;

	for (int o = 0; o < OUT_COUNT; o++)
		for (size_t b = 0; b < HTML_TIME_BINS; b++)
			n += t->count[o][b];
	return n;
}

/* The bin a time falls in, by the bins' own origin and step. */
static size_t bin_of(const struct html_time_bins *t, int64_t ts)
{
	return (size_t)((ts - t->origin_ns) / t->step_ns);
}

/* Times arriving out of order, later and earlier than the first: every
 * connection is counted once, in the bin its start falls in. */
static void test_time_bins_widen(void)
{
	static const int64_t offsets[] = { 5, 6, 900, 2, 3600, 0, 1, 7200, 4, 300 };
	struct html_bins *b = calloc(1, sizeof(*b));
	size_t n = sizeof(offsets) / sizeof(offsets[0]);

	for (size_t i = 0; i < n; i++) {
		struct tcp_conn *c = conn_at(i + 1, T0 + offsets[i] * SEC, T0 + offsets[i] * SEC,
					     i % 2 ? END_CLOSED : END_RESET);

		if (!(i % 2)) {
			c->flags |= CONN_RESET;
			c->synack_ts_ns = c->first_ts_ns;	/* reset, not refused */
		}
		html_bins_add(b, c);
		free(c);
	}
	CHECK_INT(bins_total(&b->starts), n);
	CHECK(b->starts.origin_ns <= T0);
	CHECK(b->starts.origin_ns + HTML_TIME_BINS * b->starts.step_ns > T0 + 7200 * SEC);
	/* The step only ever doubles from 10 ms, and not needlessly far. */
	CHECK_INT(b->starts.step_ns % INT64_C(10000000), 0);
	CHECK_INT(b->starts.step_ns & (b->starts.step_ns / INT64_C(10000000) - 1), 0);
	CHECK(HTML_TIME_BINS * b->starts.step_ns <= 4 * 7200 * SEC);
	for (size_t i = 0; i < n; i++) {
		size_t bin = bin_of(&b->starts, T0 + offsets[i] * SEC);

		CHECK(b->starts.count[i % 2 ? OUT_CLOSED : OUT_RESET][bin] > 0);
	}
	free(b);
}

/* Times from the two ends of int64_t share the outer bins; nothing
 * overflows (UBSan watches) and nothing is lost. */
static void test_time_bins_extremes(void)
{
	static const int64_t times[] = { T0, INT64_MAX, INT64_MIN, 0, -1, INT64_MAX - 1, T0 };
	struct html_bins *b = calloc(1, sizeof(*b));
	size_t n = sizeof(times) / sizeof(times[0]);

	for (size_t i = 0; i < n; i++) {
		struct tcp_conn *c = conn_at(i + 1, times[i], INT64_MAX, END_CAPTURE);

		html_bins_add(b, c);
		free(c);
	}
	CHECK_INT(bins_total(&b->starts), n);
	/* A duration of centuries lands in the last duration bin. */
	CHECK(b->duration[HTML_DURATION_BINS - 1] > 0);
	free(b);
}

/* How a connection ended, in words: why the analyzer let it go first, then
 * a reset, then both sides' final states. A connection in TIME-WAIT when the
 * capture ended is closed, not "still open". */
static void test_outcomes(void)
{
	static const struct {
		enum conn_end end;
		uint32_t flags;
		enum tcp_state client, server;
		enum html_outcome want;
	} cases[] = {
		{ END_CAPTURE, 0, TCP_TIME_WAIT, TCP_CLOSED, OUT_CLOSED },
		{ END_CAPTURE, 0, TCP_CLOSED, TCP_TIME_WAIT, OUT_CLOSED },
		{ END_CLOSED, 0, TCP_CLOSED, TCP_CLOSED, OUT_CLOSED },
		{ END_CAPTURE, CONN_RESET, TCP_CLOSED, TCP_CLOSED, OUT_REFUSED },
		{ END_RESET, CONN_RESET | CONN_MIDSTREAM, TCP_CLOSED, TCP_ESTABLISHED, OUT_RESET },
		{ END_CAPTURE, 0, TCP_SYN_SENT, TCP_CLOSED, OUT_CONNECTING },
		{ END_CAPTURE, 0, TCP_ESTABLISHED, TCP_SYN_RECEIVED, OUT_CONNECTING },
		{ END_CAPTURE, 0, TCP_ESTABLISHED, TCP_ESTABLISHED, OUT_OPEN },
		{ END_CAPTURE, 0, TCP_FIN_WAIT_2, TCP_CLOSE_WAIT, OUT_CLOSING },
		{ END_CAPTURE, 0, TCP_FIN_WAIT_1, TCP_CLOSE_WAIT, OUT_CLOSING },
		{ END_CAPTURE, 0, TCP_FIN_WAIT_1, TCP_ESTABLISHED, OUT_CLOSING },
		{ END_CAPTURE, 0, TCP_TIME_WAIT, TCP_LAST_ACK, OUT_CLOSED },
		{ END_IDLE, 0, TCP_ESTABLISHED, TCP_ESTABLISHED, OUT_IDLE },
		{ END_REUSED, CONN_RESET, TCP_CLOSED, TCP_CLOSED, OUT_REUSED },
		{ END_EVICTED, 0, TCP_ESTABLISHED, TCP_ESTABLISHED, OUT_EVICTED },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct tcp_conn *c = conn_at(i + 1, T0, T0, cases[i].end);

		c->flags = cases[i].flags;
		c->ep[CLIENT].state = cases[i].client;
		c->ep[SERVER].state = cases[i].server;
		if (html_outcome_of(c) != cases[i].want)
			fprintf(stderr, "case %zu: %s, want %s\n", i, html_outcome_name(html_outcome_of(c)),
				html_outcome_name(cases[i].want));
		CHECK_INT(html_outcome_of(c), cases[i].want);
		free(c);
	}
	CHECK_STR(html_outcome_name(OUT_CLOSED), "closed");
	CHECK_STR(html_outcome_name(OUT_COUNT), "?");
}

/* The bins widen to cover the whole run without losing a connection; with
 * no connection there is nothing to widen. */
static void test_time_bins_cover(void)
{
	struct html_bins *b = calloc(1, sizeof(*b));
	struct tcp_conn *c = conn_at(1, T0 + 5 * SEC, T0 + 6 * SEC, END_CLOSED);
	size_t first, last;

	CHECK_INT(html_bins_cover(&b->starts, T0), 0);
	CHECK_INT(b->starts.step_ns, 0);
	html_bins_add(b, c);
	first = html_bins_cover(&b->starts, T0);
	last = html_bins_cover(&b->starts, T0 + 60 * SEC);
	CHECK(first < last);
	CHECK(b->starts.origin_ns <= T0);
	CHECK(b->starts.origin_ns + HTML_TIME_BINS * b->starts.step_ns > T0 + 60 * SEC);
	CHECK_INT(bins_total(&b->starts), 1);
	CHECK_INT(b->starts.count[OUT_CLOSED][bin_of(&b->starts, T0 + 5 * SEC)], 1);
	free(c);
	free(b);
}

static void test_log_bins(void)
{
	struct html_bins *b = calloc(1, sizeof(*b));
	static const int64_t rtts[] = { 0, 9999, 10000, 150000, 999999999, 1000000000, INT64_MAX };
	static const size_t want[] = { 0, 0, 1, 4, 15, 16, HTML_RTT_BINS - 1 };
	char label[32];

	for (size_t i = 0; i < sizeof(rtts) / sizeof(rtts[0]); i++) {
		struct tcp_conn *c = conn_at(i + 1, T0, T0 + 2 * SEC, END_CLOSED);

		c->handshake_rtt_ns = rtts[i];
		memset(b->rtt, 0, sizeof(b->rtt));
		html_bins_add(b, c);
		CHECK_INT(b->rtt[want[i]], 1);
		free(c);
	}
	CHECK_INT(b->duration[4], 7);	/* 2 s: in [1 s, 10 s) */
	CHECK_STR(html_edge_label(html_rtt_edges[1], label, sizeof(label)), "10 \xc2\xb5s");
	CHECK_STR(html_edge_label(html_duration_edges[6], label, sizeof(label)), "1 min");
	CHECK_STR(html_edge_label(html_duration_edges[HTML_DURATION_BINS - 1], label,
				  sizeof(label)), "1 d");
	free(b);
}

/* 3,000 connections finalised out of id order, every 7th with a finding: the
 * table keeps the 428 with findings and the lowest 572 other ids. */
static void test_rows(void)
{
	struct html_rows r;
	uint64_t *ids = NULL;
	size_t nids = 0, with = 0;

	memset(&r, 0, sizeof(r));
	for (uint64_t k = 0; k < 3000; k++) {
		uint64_t id = (k * 1237) % 3000 + 1;	/* a permutation of 1..3000 */
		struct tcp_conn *c = conn_at(id, T0, T0 + SEC, END_CLOSED);

		if (id % 7 == 0) {
			c->nfindings = 1;
			c->findings[0] = id * 10;
		}
		CHECK_INT(html_rows_add(&r, c), 0);
		free(c);
	}
	CHECK_INT(r.total_with, 428);
	CHECK_INT(html_rows_prepare(&r, &ids, &nids), 0);
	CHECK_INT(nids, HTML_CONN_ROWS);
	CHECK_INT(r.with.n, 428);
	CHECK_INT(r.other.n, HTML_CONN_ROWS - 428);
	for (size_t i = 0; i < r.with.n; i++) {
		CHECK_INT(r.with.rows[i].id, 7 * (i + 1));
		CHECK_INT(r.with.rows[i].findings[0], 70 * (i + 1));
		with += r.with.rows[i].nfindings;
	}
	CHECK_INT(with, 428);
	/* The others: 1..6, 8..13, ...: the lowest ids that are not multiples of 7. */
	CHECK_INT(r.other.rows[0].id, 1);
	CHECK_INT(r.other.rows[6].id, 8);
	CHECK_INT(r.other.rows[r.other.n - 1].id, 667);
	for (size_t i = 1; i < nids; i++)
		CHECK(ids[i - 1] < ids[i]);
	free(ids);
	html_rows_free(&r);
}

static void test_utf8(void)
{
	char *s;

	CHECK(utf8_clean_already("caf\xc3\xa9 \xe2\x86\x92 ok\t\n", 14, UTF8_NO_CONTROLS));
	CHECK(!utf8_clean_already("a\x01", 2, UTF8_NO_CONTROLS));
	CHECK(utf8_clean_already("a\x01", 2, 0));
	CHECK(!utf8_clean_already("\xc0\xaf", 2, 0));		/* overlong '/' */
	CHECK(!utf8_clean_already("\xed\xa0\x80", 3, 0));	/* a surrogate */
	CHECK(!utf8_clean_already("\xef\xbf\xbe", 3, UTF8_NO_CONTROLS)); /* U+FFFE */
	CHECK(!utf8_clean_already("\xc2\x85", 2, UTF8_NO_CONTROLS));	/* C1 NEL */
	s = utf8_clean("a\x01\xff<\xe2\x82", 6, UTF8_NO_CONTROLS);
	CHECK_STR(s, "a\xef\xbf\xbd\xef\xbf\xbd<\xef\xbf\xbd\xef\xbf\xbd");
	free(s);
}

int main(void)
{
	RUN(test_time_bins_widen);
	RUN(test_time_bins_extremes);
	RUN(test_time_bins_cover);
	RUN(test_outcomes);
	RUN(test_log_bins);
	RUN(test_rows);
	RUN(test_utf8);
	return check_done("test_html_bins");
}
