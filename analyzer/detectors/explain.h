/*
 * explain.h - words and figures every detector's explanation uses.
 *
 * Explanations are read by an operator at 3 a.m.: addresses written the way
 * ss and tcpdump write them, durations in seconds, and the capture's vantage
 * point said plainly, because it changes who dropped what.
 */
#ifndef TCPAUTOPSY_ANALYZER_DETECTORS_EXPLAIN_H
#define TCPAUTOPSY_ANALYZER_DETECTORS_EXPLAIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analyzer/conn.h"

#define EXPLAIN_ADDR_MAX 64

/* "192.0.2.2:8080" or "[2001:db8::2]:8080" into buf (EXPLAIN_ADDR_MAX). */
const char *explain_addr(char *buf, const struct ip_addr *a, uint16_t port);
/* The same for one endpoint of c (CLIENT or SERVER). */
const char *explain_ep(char *buf, const struct tcp_conn *c, int side);

/* "client" or "server": the name of side (CLIENT or SERVER) in a finding's fields. */
const char *explain_role(int side);

/* "s" unless n is 1, for "%u SYN%s": summaries read "1 SYN", "4 SYNs". */
const char *explain_s(uint64_t n);

/* Nanoseconds as seconds, for "%.3f s" in explanations. */
double explain_secs(int64_t ns);

/* One sentence on where the capture was taken and what that means, ending
 * with a space: "The capture was taken near the server, so ... ". */
const char *explain_vantage(const struct tcp_conn *c);

/* True when the capture point is at (or on the host of) endpoint side: a
 * segment seen there and not acknowledged reached that host. */
bool explain_at(const struct tcp_conn *c, int side);

#endif
