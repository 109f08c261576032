/*
 * listener.h - what the listener detectors remember about one connection:
 * the listener story (accept queue, SYN drops, unanswered requests), plus
 * the SYNs nobody answered and the refusals.
 *
 * Embedded in struct tcp_conn (state.h) and zeroed with it: fixed size, no
 * pointers to anything that can go away. Repeated segments are kept as
 * offsets from the first one: microseconds, and frame numbers.
 */
#ifndef TCPAUTOPSY_ANALYZER_DETECTORS_LISTENER_H
#define TCPAUTOPSY_ANALYZER_DETECTORS_LISTENER_H

#include <stdbool.h>
#include <stdint.h>

#define LISTENER_SYNS 12	/* client SYN transmissions remembered (Linux >= 6.5 sends 11) */
#define LISTENER_RESENDS 5	/* SYN-ACK re-sends remembered */

/* One segment of interest: 0 frame = not seen. */
struct listener_mark {
	uint64_t frame;
	int64_t ts_ns;
};

struct listener_conn {
	/* The listener entry (listener_int.h) this connection counts in. */
	uint32_t slot;
	uint32_t gen;			/* 0: none yet */
	uint32_t qgen;			/* entry it is counted as queued in, 0: none */
	uint32_t bits;			/* LC_* (listener_int.h) */

	/* The client's SYNs with one ISN, and how many came before the server
	 * sent anything at all on this connection. */
	uint8_t nsyn;
	uint8_t nsyn_silent;
	uint32_t syn_tsval_last;
	uint32_t syn_optsig;			/* the SYN's options but its timestamp */
	uint32_t srv_nxt;			/* the highest server sequence seen */
	uint32_t cli_isn1;			/* the client's SYN's seq + 1 */
	uint32_t syn_off_us[LISTENER_SYNS];	/* after the first SYN */
	uint32_t syn_frame[LISTENER_SYNS];	/* frames after the first SYN's */
	struct listener_mark syn;		/* the first SYN */
	uint64_t reply_frame;			/* the server's first segment */
	struct listener_mark synack;		/* its first SYN-ACK */
	struct listener_mark rst;		/* its first RST */
	uint32_t rst_seq;
	int64_t rst_gap_ns;			/* since the client's segment before it */
	uint8_t nrst;

	/* After the handshake: the client's ACK and request, what the server
	 * re-sent, acknowledged and answered. */
	uint8_t nresend;		/* timer-driven SYN-ACKs after the handshake ACK */
	uint8_t nanswered;		/* ...followed by a bare client ACK */
	uint8_t ndata;			/* client data sent before the server ACKed any */
	uint32_t resend_off_us[LISTENER_RESENDS];	/* after the first SYN-ACK */
	uint32_t resend_frame[LISTENER_RESENDS];	/* frames after the first SYN-ACK's */
	uint32_t answer_frame[LISTENER_RESENDS];	/* ...the client's answers */
	struct listener_mark hs_ack;		/* the client's handshake ACK (or first data) */
	struct listener_mark data;		/* its first payload */
	struct listener_mark data_last;		/* its latest payload the server had not ACKed */
	uint32_t data_bytes;			/* bytes sent before the server ACKed any */
	uint32_t tsval_ack, tsval_data, tsval_isn1; /* client TSvals the S. may echo */
	struct listener_mark data_ack;		/* server's first ACK covering client data */
	struct listener_mark recovered;		/* server's first non-SYN segment after a re-send */
	struct listener_mark wait;		/* server ACK of all client data, no answer yet */
	struct listener_mark answer;		/* server's first payload or FIN */
	int64_t last_c_ts_ns;			/* the client's latest segment */
	int64_t accept_before_ns;		/* listener's latest accepted SYN before the RST */
	int32_t queued_before;			/* handshakes waiting when its own completed */
	uint8_t burst;				/* SYN-drop connections in 10 s around this one */
};

#endif
