/*
 * explain.c - shared wording for findings (see explain.h).
 */
#include "config.h"

#include <stdio.h>
#include <sys/socket.h>

#include "analyzer/detectors/explain.h"
#include "dissect/dissect.h"

const char *explain_addr(char *buf, const struct ip_addr *a, uint16_t port)
{
	return ip_endpoint_format(a, port, buf, EXPLAIN_ADDR_MAX);
}

const char *explain_ep(char *buf, const struct tcp_conn *c, int side)
{
	return explain_addr(buf, &c->ep[side].addr, c->ep[side].port);
}

const char *explain_role(int side)
{
	return side == CLIENT ? "client" : "server";
}

const char *explain_s(uint64_t n)
{
	return n == 1 ? "" : "s";
}

double explain_secs(int64_t ns)
{
	return (double)ns / 1e9;
}

const char *explain_vantage(const struct tcp_conn *c)
{
	switch (c->vantage) {
	case VANTAGE_NEAR_CLIENT:
		return "The capture was taken near the client: what the server did is seen "
		       "one network trip late, and a segment lost on the way to the server "
		       "looks the same as one the server dropped. ";
	case VANTAGE_NEAR_SERVER:
		return "The capture was taken near the server: a segment seen here and never "
		       "acknowledged reached the server and was dropped by its own stack, not "
		       "by the network. ";
	case VANTAGE_SAME_HOST:
		return "Both endpoints are on the capturing host: nothing was lost in a "
		       "network, every drop was the kernel's own decision. ";
	case VANTAGE_MID_PATH:
		return "The capture was taken between the hosts (or with no measurable "
		       "delay to either): a segment seen here may still have been lost "
		       "beyond the capture point. ";
	default:
		return "Where the capture was taken could not be told (no complete "
		       "handshake timed). ";
	}
}

bool explain_at(const struct tcp_conn *c, int side)
{
	if (c->vantage == VANTAGE_SAME_HOST)
		return true;
	return c->vantage == (side == SERVER ? VANTAGE_NEAR_SERVER : VANTAGE_NEAR_CLIENT);
}
