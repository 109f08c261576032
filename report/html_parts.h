/*
 * html_parts.h - report/ internals: the parts of the HTML report, and what
 * the writer gathers for them while connections stream past.
 *
 * A connection is seen once, when it is finalised, and never again: what the
 * page shows about connections is gathered then, in fixed-size structures,
 * so the writer's memory does not grow with the capture. The charts' bins
 * (html_bins.c) are counters; the connection table (html_connections.c) keeps
 * small copies of at most HTML_CONN_ROWS rows, never whole tcp_conns.
 *
 * The page, top to bottom: html_page.c (head, header, footer, script),
 * html_verdict.c, html_capture.c, html_findings.c (and html_finding.c for one
 * finding), html_listeners.c, html_charts.c, html_connections.c.
 */
#ifndef TCPAUTOPSY_REPORT_HTML_PARTS_H
#define TCPAUTOPSY_REPORT_HTML_PARTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "report/html_build.h"

/* --- gathered while connections stream (html_bins.c) ------------------------ */

/* How a connection ended, in an operator's words: from why the analyzer let
 * it go (idle, reused, evicted) and else from its TCP outcome
 * (analyzer/outcome.h). END_CAPTURE alone would call a connection in
 * TIME-WAIT "still open". */
enum html_outcome {
	OUT_CLOSED,		/* OUTCOME_CLOSED: FINs both ways, no reset */
	OUT_RESET,		/* OUTCOME_RESET: an RST ended it */
	OUT_REFUSED,		/* OUTCOME_REFUSED: the SYN was answered by an RST */
	OUT_CONNECTING,		/* OUTCOME_NOT_ESTABLISHED */
	OUT_OPEN,		/* OUTCOME_OPEN: both sides ESTABLISHED */
	OUT_CLOSING,		/* OUTCOME_HALF_CLOSED: FIN-WAIT, CLOSE-WAIT, ... */
	OUT_IDLE,
	OUT_REUSED,
	OUT_EVICTED,
	OUT_COUNT
};

enum html_outcome html_outcome_of(const struct tcp_conn *c);
/* "closed", "reset", "not established", ... ; and what it means, for a
 * chart's note. */
const char *html_outcome_name(enum html_outcome o);
const char *html_outcome_meaning(enum html_outcome o);

/* Connections over time, by how they ended. The bins' range is not known
 * until the end, so they start narrow and, when a connection falls outside,
 * merge pairwise and double their width (towards later or earlier times). */
#define HTML_TIME_BINS 64
struct html_time_bins {
	int64_t origin_ns;	/* start of bin 0 */
	int64_t step_ns;	/* 0 until the first connection */
	uint64_t count[OUT_COUNT][HTML_TIME_BINS];
};

/* Handshake RTT and connection duration on fixed logarithmic bins. */
#define HTML_RTT_BINS 19
#define HTML_DURATION_BINS 11
struct html_bins {
	struct html_time_bins starts;
	uint64_t rtt[HTML_RTT_BINS];
	uint64_t no_rtt;		/* connections without a complete handshake */
	uint64_t duration[HTML_DURATION_BINS];
};

void html_bins_add(struct html_bins *b, const struct tcp_conn *c);
/* Widens the time bins (when they hold a connection) until ts falls in them,
 * so that the chart can span the whole capture; the bin of ts. */
size_t html_bins_cover(struct html_time_bins *t, int64_t ts);
/* Lower edges of the log bins, in ns, and their labels ("10 µs"). */
extern const int64_t html_rtt_edges[HTML_RTT_BINS];
extern const int64_t html_duration_edges[HTML_DURATION_BINS];
const char *html_edge_label(int64_t ns, char *buf, size_t len);

/* --- the connection table's rows (html_connections.c) ----------------------- */

#define HTML_CONN_ROWS 1000

struct html_conn_row {
	uint64_t id;
	struct ip_addr client, server;
	uint16_t client_port, server_port;
	int64_t first_ts_ns, last_ts_ns;
	uint64_t packets[2], bytes[2];
	uint8_t state[2];
	uint8_t outcome;	/* enum html_outcome */
	bool half_close;
	uint8_t history_len;
	char history[HISTORY_MAX];
	uint8_t nfindings;
	uint64_t findings[CONN_MAX_FINDINGS];
};

/* A max-heap by id, so that the rows kept are those of the lowest ids. */
struct html_row_heap {
	struct html_conn_row *rows;
	size_t n, cap;
};

struct html_rows {
	struct html_row_heap with;	/* connections with findings */
	struct html_row_heap other;
	uint64_t total_with;		/* every connection with findings, kept or not */
};

/* Returns 0, or -1 when out of memory. */
int html_rows_add(struct html_rows *r, const struct tcp_conn *c);
void html_rows_free(struct html_rows *r);
/* Sorts what is kept into table order and lists the ids of the rows to show,
 * sorted (*ids, freed by the caller). Returns 0, or -1 when out of memory. */
int html_rows_prepare(struct html_rows *r, uint64_t **ids, size_t *nids);

struct html_writer {
	struct html_bins bins;
	struct html_rows rows;
};

/* --- the page's parts, in order --------------------------------------------- */

void html_head(struct html *h, xmlNodePtr root);
void html_header(struct html *h, xmlNodePtr body);
void html_verdict(struct html *h, xmlNodePtr main);
void html_capture(struct html *h, xmlNodePtr main);
void html_findings(struct html *h, xmlNodePtr main);
void html_listeners(struct html *h, xmlNodePtr main);
void html_charts(struct html *h, xmlNodePtr main);
void html_connections(struct html *h, xmlNodePtr main);
void html_footer(struct html *h, xmlNodePtr body);
void html_script(struct html *h, xmlNodePtr body);

/* html_findings.c: decides which findings get a place (and an anchor) on
 * the page; call it before any part links to a finding. Returns -1 when out
 * of memory. */
int html_findings_plan(struct html *h);
void html_findings_unplan(struct html *h);

/* html_listeners.c: the listeners whose roll-ups are warnings or worse,
 * each once, in the roll-ups' order (most severe first). Stores the first
 * max of them (their first roll-up) in first, and returns how many there
 * are in all. */
size_t html_troubled_listeners(const struct report_model *m, const struct aggregate **first,
			       size_t max);

/* html_finding.c: one finding in full, as an <article id="fID">. */
void html_finding_card(struct html *h, xmlNodePtr parent, const struct finding *f);
/* What a finding is about: its server ("192.0.2.2:8080", a bare address for
 * a host) or, for a capture finding, the capture's file name. */
void html_finding_where(const struct html *h, const struct finding *f, char *buf, size_t len);

#endif
