/*
 * outcome.c - see outcome.h.
 */
#include "config.h"

#include "analyzer/outcome.h"

static const struct {
	const char *name;
	const char *meaning;
} outcomes[OUTCOME_COUNT] = {
	[OUTCOME_CLOSED] = { "closed", "FINs both ways" },
	[OUTCOME_RESET] = { "reset", "ended by an RST" },
	[OUTCOME_REFUSED] = { "refused", "SYN answered by an RST" },
	[OUTCOME_NOT_ESTABLISHED] = { "not_established", "handshake never completed" },
	[OUTCOME_HALF_CLOSED] = { "half_closed", "one side closed, the other not" },
	[OUTCOME_OPEN] = { "open", "still established" },
};

static bool state_closed(enum tcp_state s)
{
	return s == TCP_CLOSED || s == TCP_TIME_WAIT || s == TCP_LAST_ACK || s == TCP_CLOSING;
}

static bool state_connecting(enum tcp_state s)
{
	return s == TCP_SYN_SENT || s == TCP_SYN_RECEIVED;
}

enum conn_outcome conn_outcome(const struct tcp_conn *c)
{
	enum tcp_state cl = c->ep[CLIENT].state, sv = c->ep[SERVER].state;

	if (c->flags & CONN_RESET)
		/* No SYN-ACK ever seen: the RST answered the SYN itself. */
		return c->synack_ts_ns == 0 && !(c->flags & CONN_MIDSTREAM) ? OUTCOME_REFUSED
									    : OUTCOME_RESET;
	if (state_connecting(cl) || state_connecting(sv))
		return OUTCOME_NOT_ESTABLISHED;
	if (state_closed(cl) && state_closed(sv))
		return OUTCOME_CLOSED;
	if (cl == TCP_ESTABLISHED && sv == TCP_ESTABLISHED)
		return OUTCOME_OPEN;
	return OUTCOME_HALF_CLOSED;
}

const char *conn_outcome_name(enum conn_outcome o)
{
	return (unsigned)o < OUTCOME_COUNT ? outcomes[o].name : "unknown";
}

const char *conn_outcome_meaning(enum conn_outcome o)
{
	return (unsigned)o < OUTCOME_COUNT ? outcomes[o].meaning : "unknown";
}
