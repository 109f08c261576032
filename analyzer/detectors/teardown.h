/*
 * teardown.h - what the teardown detectors remember about one connection:
 * closing (FIN-WAIT-2 stalls, late resets, orphans, abortive closes, stateless resets).
 *
 * Embedded in struct tcp_conn (state.h) and zeroed with it: fixed size, no
 * pointers to anything that can go away.
 */
#ifndef TCPAUTOPSY_ANALYZER_DETECTORS_TEARDOWN_H
#define TCPAUTOPSY_ANALYZER_DETECTORS_TEARDOWN_H

#include <stdbool.h>
#include <stdint.h>

/* One segment kept as evidence: its frame number and time (frame 0: none). */
struct teardown_mark {
	uint64_t frame;
	int64_t ts_ns;
};

/* How many re-sends of a FIN (or zero-window probes) are listed as evidence. */
#define TEARDOWN_RESEND_FRAMES 4

/* What one endpoint did lately, as far as closing is concerned. */
struct teardown_side {
	struct teardown_mark last;	/* its latest segment (before an RST it sends) */
	uint32_t last_ack;		/* ...its ack field, valid when last_flags has ACK */
	uint32_t last_seq;
	uint32_t last_len;
	uint32_t last_events;		/* ...its SEG_* bits */
	uint16_t last_flags;
	bool sent_data;			/* it sent payload at some point */
	bool timer_driven;		/* its latest segment was a keep-alive, a probe or
					 * a re-send, and the peer has not answered since */
	uint32_t rcvd_since_send;	/* peer payload bytes since its own last data */
	bool after_rst;			/* it sent more than RSTs after its first RST */
	bool fin_acked;
	struct teardown_mark rcvd_first;/* the first of them */

	/* Orphan FIN-WAIT-1 (kernel-signatures.md §5): re-sends of the unacknowledged
	 * FIN (or data before it), and zero-window probes. */
	uint16_t fin_resends;
	uint16_t probes;		/* zero-window probes since it last sent new data */
	uint16_t probe_answers;		/* the peer's zero-window answers to them */
	int64_t fin_gap_first_ns;	/* FIN -> first re-send */
	int64_t fin_gap_last_ns;	/* the last gap between re-sends */
	int64_t probe_gap_ns;		/* the last gap between probes */
	int64_t probe_first_ns;		/* when the first of them was sent */
	struct teardown_mark fin_last;
	struct teardown_mark probe_last;
	uint64_t fin_frames[TEARDOWN_RESEND_FRAMES];
	uint64_t probe_frames[TEARDOWN_RESEND_FRAMES];
};

/* The half-closed period: one side's FIN acknowledged, the other still open. */
enum teardown_hc { HC_NONE, HC_OPEN, HC_DONE, HC_NEVER };
enum teardown_hc_end { HC_END_NONE, HC_END_FIN, HC_END_RST, HC_END_LATE_RESET, HC_END_CLOSER_RST };

struct teardown_halfclose {
	uint8_t state;			/* enum teardown_hc */
	uint8_t closer;			/* CLIENT or SERVER: whose FIN was ACKed */
	uint8_t ended_by;		/* enum teardown_hc_end */
	bool data_acked;		/* the closer ACKed data sent after its FIN */
	uint32_t data_segs;		/* data segments from the other side meanwhile */
	uint32_t open_nxt;		/* the other side's snd_nxt when it ACKed the FIN */
	struct teardown_mark fin_ack;	/* the other side's first ACK of the FIN */
	struct teardown_mark mark;	/* start of its current silence */
	int64_t last_gap_ns;		/* the latest silence it ended */
	struct teardown_mark gap_from;	/* its longest closed silence */
	struct teardown_mark gap_to;
	struct teardown_mark end;	/* its FIN / RST / late send, or the closer's RST */
	/* The closer's stateless RST at its FIN + 1, answering a late segment. */
	struct teardown_mark late_rst;
	struct teardown_mark late_seg;
	uint32_t late_len;
	uint16_t late_flags;
	uint32_t late_events;
};

/* The first RST of the connection that this family explains. */
struct teardown_rst {
	uint8_t side;			/* who sent it */
	uint8_t state;			/* its sender's state before it (enum tcp_state) */
	bool timer_gone;		/* no-socket: its sender had been re-sending */
	struct teardown_mark rst;
	struct teardown_mark trigger;	/* no-socket: the segment it answers */
	struct teardown_mark before;	/* its sender's previous segment */
	uint32_t seq;
	uint32_t trigger_len;
	uint32_t unread;		/* abortive: peer bytes since its last data */
	struct teardown_mark unread_first;
	int32_t in_flight;		/* abortive: peer bytes beyond the RST's ack */
	bool sent_data;
};

/* An orphan's host answering the peer with a stateless RST once it is gone. */
struct teardown_dead {
	uint8_t side;
	struct teardown_mark rst;
	struct teardown_mark trigger;	/* the peer segment that RST answered */
};

struct teardown_conn {
	struct teardown_side side[2];
	struct teardown_dead dead;
	struct teardown_halfclose hc;
	struct teardown_rst abort;	/* R. from an endpoint that never sent FIN */
	struct teardown_rst nosock;	/* stateless R on a connection believed live */
};

#endif
