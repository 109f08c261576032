/*
 * tcp_state.h - the RFC 9293 state of each endpoint of a connection, inferred
 * from the segments seen.
 *
 * Each endpoint has its own state; the two are kept apart on purpose, because
 * the failures this tool explains are the moments they disagree (client
 * ESTABLISHED while the server is still SYN-RECEIVED; client gone while the
 * server sits in CLOSE-WAIT).
 *
 * What an endpoint SENDS proves its state (a FIN from it means it closed). What
 * it is SENT is presumed received; such a transition is marked presumed and is
 * taken back when the endpoint later sends something that contradicts it (a
 * server that re-sends its SYN-ACK never accepted the handshake ACK).
 */
#ifndef TCPAUTOPSY_ANALYZER_TCP_STATE_H
#define TCPAUTOPSY_ANALYZER_TCP_STATE_H

#include "dissect/segment.h"

enum tcp_state {
	TCP_CLOSED,
	TCP_SYN_SENT,
	TCP_SYN_RECEIVED,
	TCP_ESTABLISHED,
	TCP_FIN_WAIT_1,
	TCP_FIN_WAIT_2,
	TCP_CLOSE_WAIT,
	TCP_CLOSING,
	TCP_LAST_ACK,
	TCP_TIME_WAIT,
	TCP_STATE_COUNT
};

/* RFC 9293 spelling: "SYN-SENT", "FIN-WAIT-1", "CLOSE-WAIT", ... */
const char *tcp_state_name(enum tcp_state s);

/* True for the states in which both ISNs are known to the endpoint
 * (RFC 9293 "synchronized states"). */
bool tcp_state_synchronized(enum tcp_state s);

struct tcp_conn;

/* Moves both endpoints' states for one segment sent by c->ep[dir], after the
 * sequence analysis (classify.h) has recorded it. `events` are its SEG_* bits.
 * Records every change in the endpoints' timelines. */
void tcp_state_update(struct tcp_conn *c, int dir, const struct tcp_segment *seg,
		      uint32_t events);

/* Applies the passage of capture time up to now_ns: TIME-WAIT lasts 2*MSL
 * (60 s on Linux) and then the endpoint is CLOSED. */
void tcp_state_expire(struct tcp_conn *c, int64_t now_ns);

#endif
