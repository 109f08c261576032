/*
 * outcome.h - how a connection turned out, in one word, for charts and
 * tables.
 *
 * conn_end says why the analyzer stopped tracking a connection (the capture
 * ended, the linger expired, the tuple was reused); a reader asks something
 * else: did it close cleanly, was it reset or refused, did it never get
 * established, is it still open or half closed? The answer comes from both
 * endpoints' final states and the connection's flags, in the order below, so
 * every connection has exactly one outcome.
 */
#ifndef TCPAUTOPSY_ANALYZER_OUTCOME_H
#define TCPAUTOPSY_ANALYZER_OUTCOME_H

#include "analyzer/conn.h"

enum conn_outcome {
	OUTCOME_CLOSED,		 /* FINs both ways, no reset */
	OUTCOME_RESET,		 /* an RST ended it after the handshake began */
	OUTCOME_REFUSED,	 /* the SYN was answered by an RST */
	OUTCOME_NOT_ESTABLISHED, /* the handshake never completed (no answer, lost ACK) */
	OUTCOME_HALF_CLOSED,	 /* one side closed, the other had not: CLOSE-WAIT, FIN-WAIT */
	OUTCOME_OPEN,		 /* both sides ESTABLISHED at the end */
	OUTCOME_COUNT
};

enum conn_outcome conn_outcome(const struct tcp_conn *c);

/* "closed", "reset", "refused", "not_established", "half_closed", "open". */
const char *conn_outcome_name(enum conn_outcome o);

/* A short phrase for a legend: "SYN answered by RST". */
const char *conn_outcome_meaning(enum conn_outcome o);

#endif
