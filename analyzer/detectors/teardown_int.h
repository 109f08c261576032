/*
 * teardown_int.h - what the teardown detector's files share, and only they:
 * teardown.c (the per-connection bookkeeping and the hooks),
 * teardown_fin_wait2.c (the half-closed period's findings) and
 * teardown_abort.c (the orphans' and the resets' findings).
 *
 * What one connection remembers is in teardown.h, embedded in struct tcp_conn.
 */
#ifndef TCPAUTOPSY_ANALYZER_DETECTORS_TEARDOWN_INT_H
#define TCPAUTOPSY_ANALYZER_DETECTORS_TEARDOWN_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "analyzer/classify.h"
#include "analyzer/conn.h"
#include "analyzer/finding.h"

struct analyzer;

#define NS_PER_MS 1000000LL
#define NS_PER_S 1000000000LL

static inline void teardown_frame(struct finding *f, const struct teardown_mark *m)
{
	finding_frame(f, m->frame, m->ts_ns);
}

static inline bool teardown_is_probe(uint32_t events)
{
	return events & (SEG_KEEPALIVE | SEG_ZERO_WINDOW_PROBE);
}

/* Explanations name each endpoint once with its address, then by its role. */
static inline const char *teardown_who(int side)
{
	return side == CLIENT ? "the client" : "the server";
}

static inline const char *teardown_Who(int side)
{
	return side == CLIENT ? "The client" : "The server";
}

/* teardown.c: for the findings. "the client 192.0.2.1:50952" (or "The client
 * ...") into buf (EXPLAIN_ADDR_MAX + 16); the end of the time the capture is
 * known to cover, for this connection. */
const char *teardown_intro(char *buf, const struct tcp_conn *c, int side, bool cap);
int64_t teardown_coverage(struct analyzer *a, const struct tcp_conn *c);

/* teardown_abort.c: the findings (on_conn_end). */
void teardown_report_orphans(struct analyzer *a, struct tcp_conn *c);
void teardown_report_abort(struct analyzer *a, struct tcp_conn *c);
void teardown_report_nosock(struct analyzer *a, struct tcp_conn *c);

/* teardown_fin_wait2.c: the findings (on_conn_end). teardown_report_stall()
 * returns whether its finding marked the socket as leaked, so that
 * teardown_report_late() does not count it twice. */
bool teardown_report_stall(struct analyzer *a, struct tcp_conn *c);
void teardown_report_late(struct analyzer *a, struct tcp_conn *c, bool leak_marked);

#endif
