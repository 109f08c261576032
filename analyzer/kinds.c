/*
 * kinds.c - the catalog of findings (see kinds.h).
 *
 * The lines are read by operators in `--list-kinds` and the man page: they say
 * what happened in words, and when the severity rises.
 */
#include "config.h"

#include <stddef.h>
#include <string.h>

#include "analyzer/kinds.h"

static const struct kind_info kinds[KIND_COUNT] = {
	[KIND_ACCEPT_QUEUE_OVERFLOW] = { "accept_queue_overflow", SEV_CRITICAL, "listener",
		"the listen backlog was full: the handshake ACK and data were dropped, the server re-sent its SYN-ACK",
		"connection", false },
	[KIND_ACCEPT_QUEUE_OVERFLOW_RESET] = { "accept_queue_overflow_reset", SEV_CRITICAL, "listener",
		"the listen backlog was full and the server answered the handshake ACK with RST (tcp_abort_on_overflow)",
		"connection", false },
	[KIND_LISTENER_SYN_DROP] = { "listener_syn_drop", SEV_WARNING, "listener",
		"a live listener ignored SYNs while it answered others: its queues were full",
		"connection", false },
	[KIND_REQUEST_UNANSWERED] = { "request_unanswered", SEV_INFO, "listener",
		"the server's kernel ACKed the request but no answer came for long (warning when the listener also overflows)",
		"connection", false },
	[KIND_SYN_TO_CLOSE_WAIT] = { "syn_to_close_wait", SEV_CRITICAL, "stale",
		"a new SYN met the old socket of the 4-tuple still in CLOSE-WAIT: challenge ACK, RST, delayed connect",
		"connection", false },
	[KIND_SYN_TO_STALE_SOCKET] = { "syn_to_stale_socket", SEV_WARNING, "stale",
		"a new SYN was answered by a challenge ACK from a stale synchronized socket (earlier connection not captured)",
		"connection", false },
	[KIND_FIN_WAIT2_STALL] = { "fin_wait2_stall", SEV_WARNING, "stale",
		"one side closed, the other never did: FIN-WAIT-2 against CLOSE-WAIT (critical past 300 s)",
		"connection", false },
	[KIND_FIN_WAIT2_EXPIRED_RST] = { "fin_wait2_expired_rst", SEV_WARNING, "stale",
		"the CLOSE-WAIT side finally sent, but the closer's FIN-WAIT-2 had expired: RST",
		"connection", false },
	[KIND_DATA_AFTER_CLOSE_RESET] = { "data_after_close_reset", SEV_WARNING, "stale",
		"data sent after the peer had fully closed was answered by RST (close() instead of shutdown())",
		"connection", false },
	[KIND_CLOSE_WAIT_LEAK] = { "close_wait_leak", SEV_CRITICAL, "stale",
		"an application leaves sockets in CLOSE-WAIT: it leaks descriptors (per server address and port)",
		"listener", false },
	[KIND_ORPHAN_FIN_WAIT1_STALL] = { "orphan_fin_wait1_stall", SEV_WARNING, "stale",
		"a FIN was re-sent with backoff and never ACKed: an orphaned socket in FIN-WAIT-1",
		"connection", false },
	[KIND_CONNECTION_REFUSED] = { "connection_refused", SEV_INFO, "establishment",
		"SYN answered by RST: nothing listened (warning when the port accepted other SYNs nearby)",
		"connection", false },
	[KIND_SYN_UNANSWERED] = { "syn_unanswered", SEV_WARNING, "establishment",
		"SYNs re-sent and never answered: filtered port, dead host or lost route",
		"connection", false },
	[KIND_HANDSHAKE_ACK_LOST] = { "handshake_ack_lost", SEV_INFO, "establishment",
		"one timer-driven SYN-ACK re-send, then a normal connection: one handshake ACK was lost",
		"connection", false },
	[KIND_SYNCOOKIE_HANDSHAKE] = { "syncookie_handshake", SEV_INFO, "establishment",
		"the SYN-ACK was a SYN cookie: the listener's SYN queue was under pressure",
		"connection", false },
	[KIND_SELF_CONNECT] = { "self_connect", SEV_WARNING, "establishment",
		"a socket connected to itself (source and destination address and port are equal)",
		"connection", false },
	[KIND_SIMULTANEOUS_OPEN] = { "simultaneous_open", SEV_INFO, "establishment",
		"both ends sent a SYN before either answered: a simultaneous open",
		"connection", false },
	[KIND_TIME_WAIT_REUSE] = { "time_wait_reuse", SEV_INFO, "reuse",
		"a SYN reused a 4-tuple still in TIME-WAIT at one end (warning when it cost 1 s or more)",
		"connection", false },
	[KIND_CHALLENGE_ACK] = { "challenge_ack", SEV_INFO, "reuse",
		"a bare ACK with the old sequence numbers answered a SYN or an inexact RST (RFC 5961)",
		"connection", false },
	[KIND_ZERO_WINDOW_STALL] = { "zero_window_stall", SEV_WARNING, "transfer",
		"the receiver advertised a zero window for long while the sender probed (critical from 60 s)",
		"connection", false },
	[KIND_RETRANSMISSION_TIMEOUT_DEATH] = { "retransmission_timeout_death", SEV_CRITICAL, "transfer",
		"the same segment was re-sent with doubling gaps, then silence: the sender gave up",
		"connection", false },
	[KIND_KEEPALIVE_DEAD_PEER] = { "keepalive_dead_peer", SEV_WARNING, "transfer",
		"keep-alive probes went unanswered, then the prober reset the connection: the peer is gone",
		"connection", false },
	[KIND_ABORTIVE_CLOSE] = { "abortive_close", SEV_INFO, "transfer",
		"an endpoint closed with RST instead of FIN (warning when it had unread data)",
		"connection", false },
	[KIND_RST_NO_SOCKET] = { "rst_no_socket", SEV_WARNING, "transfer",
		"a stateless RST: the peer no longer had a socket for this connection",
		"connection", false },
	[KIND_HALF_CLOSE] = { "half_close", SEV_INFO, "transfer",
		"data kept flowing after one side's FIN (shutdown): normal, shown in the connection table",
		"connection", true },
	[KIND_CAPTURE_MISSED_PACKETS] = { "capture_missed_packets", SEV_INFO, "capture",
		"the capture missed packets the endpoints exchanged (ACKed data never seen)",
		"capture", false },
	[KIND_CAPTURE_MIDSTREAM] = { "capture_midstream", SEV_INFO, "capture",
		"connections were picked up mid-stream: their start is not in the capture",
		"capture", false },
	[KIND_CAPTURE_TRUNCATED] = { "capture_truncated", SEV_INFO, "capture",
		"frames were cut by the snap length, or the file ended in the middle of a frame",
		"capture", false },
	[KIND_CAPTURE_DUPLICATES] = { "capture_duplicates", SEV_INFO, "capture",
		"frames appear twice (a mirror port copying both directions): counts are doubled",
		"capture", false },
};

const struct kind_info *kind_info(enum finding_kind k)
{
	if ((unsigned)k >= KIND_COUNT)
		return NULL;
	return &kinds[k];
}

const struct kind_info *kind_lookup(const char *id)
{
	for (size_t k = 0; k < KIND_COUNT; k++)
		if (strcmp(kinds[k].id, id) == 0)
			return &kinds[k];
	return NULL;
}
