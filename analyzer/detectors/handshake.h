/*
 * handshake.h - what the handshake detectors remember about one connection:
 * establishment (lost handshake ACK, SYN cookies, self-connect, simultaneous open).
 *
 * Embedded in struct tcp_conn (state.h) and zeroed with it: fixed size, no
 * pointers to anything that can go away.
 */
#ifndef TCPAUTOPSY_ANALYZER_DETECTORS_HANDSHAKE_H
#define TCPAUTOPSY_ANALYZER_DETECTORS_HANDSHAKE_H

#include <stdbool.h>
#include <stdint.h>

/* The options of one SYN or SYN-ACK, as bits (HS_OPT_*, handshake.c). */
typedef uint8_t hs_opts_t;

struct handshake_conn {
	/* The opening: the client's first SYN, the server's SYN in a
	 * simultaneous open, the first SYN-ACK of each side. */
	uint64_t syn_frame;
	uint64_t srv_syn_frame;
	uint64_t synack_frame;		/* the server's first SYN-ACK */
	uint64_t cli_synack_frame;	/* the client's own SYN-ACK (simultaneous open) */
	int64_t syn_ts_ns;
	int64_t srv_syn_ts_ns;
	int64_t synack_ts_ns;
	int64_t cli_synack_ts_ns;
	uint32_t syn_tsval;		/* TSval of the client's latest SYN before the SYN-ACK */
	uint32_t synack_tsval;
	uint32_t synack_ack;		/* ack of the server's first SYN-ACK */
	uint32_t cli_synack_ack;	/* ack of the client's own SYN-ACK */
	uint16_t syn_mss;
	hs_opts_t syn_opts;		/* what the client's SYN offered */
	uint8_t syn_wscale;		/* the shift it offered */
	hs_opts_t synack_opts;		/* what the first SYN-ACK carried (HS_OPT_ECN: ECE set) */
	uint8_t synack_ttl;		/* its IP TTL (Linux starts at 64) */
	bool syn_after_synack;		/* the client sent its SYN again after the SYN-ACK */

	/* The client's first ACK of the SYN-ACK, before any re-send. */
	uint64_t ack_frame;
	int64_t ack_ts_ns;
	uint32_t ack_tsval;
	bool ack_has_ts;

	/* SYN-ACK re-sends (classify.c tells the timer from a repeated SYN). */
	uint8_t timer_resends;
	uint8_t dup_resends;
	uint64_t resend_frame;		/* the first timer-driven one */
	int64_t resend_ts_ns;
	uint32_t resend_tsecr;
	bool resend_has_ts;
	bool data_before_resend;	/* the client had sent payload before it */

	/* After the re-send: the client's answer and the server's next move. */
	uint64_t answer_frame;
	int64_t answer_ts_ns;
	uint64_t progress_frame;	/* server's first non-SYN segment after the answer */
	int64_t progress_ts_ns;
	bool progress_rst;
	bool retrans_before_progress;	/* the client had to re-send data first */

	/* SYN-cookie clues: the server's first timestamped segment after the
	 * SYN-ACK, and the largest server segment (cookie MSS table). */
	uint64_t srv_ts_frame;
	int64_t srv_ts_ns;
	uint32_t srv_tsval;
	uint32_t max_payload;
	uint32_t max_payload_count;
	uint64_t max_payload_frame;
	int64_t max_payload_ts_ns;
	uint8_t listener_vote;		/* HS_VOTE_*: what it told the listener memory */
};

#endif
