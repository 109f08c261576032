/*
 * reuse.h - what the reuse detectors remember about one connection:
 * 4-tuple reuse (stale CLOSE-WAIT, TIME-WAIT, challenge ACKs).
 *
 * Embedded in struct tcp_conn (state.h) and zeroed with it: fixed size, no
 * pointers to anything that can go away.
 */
#ifndef TCPAUTOPSY_ANALYZER_DETECTORS_REUSE_H
#define TCPAUTOPSY_ANALYZER_DETECTORS_REUSE_H

#include <stdbool.h>
#include <stdint.h>

/* One segment kept as evidence: its frame number and time (frame 0: none). */
struct reuse_mark {
	uint64_t frame;
	int64_t ts_ns;
};

/*
 * The opening of the connection, up to the server's SYN-ACK: the client's
 * SYNs and what answered them when an older socket of the 4-tuple still
 * existed (a challenge or TIME-WAIT ACK in the old sequence space, the
 * client's RST, the retried SYN).
 */
struct reuse_open {
	struct reuse_mark syn;		/* first SYN */
	struct reuse_mark last_syn;
	struct reuse_mark retry;	/* first SYN after the first old-space ACK */
	struct reuse_mark chal;		/* first old-space ACK (challenge / TW ACK) */
	struct reuse_mark last_chal;
	struct reuse_mark rst;		/* first client RST at seq = that ACK's ack */
	struct reuse_mark last_rst;
	struct reuse_mark answer;	/* SYN-ACK, or R. refusing the SYN */
	uint32_t syns;			/* SYN transmissions (no ACK) */
	uint32_t challenges;
	uint32_t rsts;
	uint32_t others;		/* other server segments before the answer */
	uint32_t syn_tsval;		/* TSval of the latest SYN before the first ACK */
	uint32_t chal_seq;
	uint32_t chal_ack;
	uint32_t chal_tsecr;
	uint32_t synack_isn;
	bool syn_ts;			/* that SYN carried timestamps */
	bool chal_ts;
	bool chal_ipid0;		/* IPv4 ID 0 + DF: a kernel control-socket reply */
	bool refused;			/* answer is an R. (ack = ISN+1), not a SYN-ACK */
};

/*
 * In-window but inexact RSTs (RFC 5961 §3) and the challenge ACKs answering
 * them, in either direction; `rcv` is the side the latest RST was sent to.
 */
struct reuse_rst {
	struct reuse_mark trig;		/* latest such RST */
	struct reuse_mark first_trig;	/* the first one that was answered */
	struct reuse_mark first_chal;
	struct reuse_mark last_chal;
	struct reuse_mark confirm;	/* RST at exactly a challenge's ack */
	int64_t last_chal_ts[2];	/* per side: its latest challenge ACK */
	int64_t last_trig_ts[2];	/* per side: the latest RST sent to it */
	uint32_t snd_nxt[2];		/* per side: its snd_nxt after its latest non-RST */
	bool snd_known[2];
	uint32_t exp_seq;		/* the receiver's snd_nxt at the RST */
	uint32_t exp_ack;		/* ...its rcv_nxt as acknowledged */
	uint32_t exp_ack2;		/* ...and as the sender's stream says */
	uint32_t first_seq;		/* seq of the first answered RST */
	uint32_t first_rcv_nxt;
	uint32_t chal_ack[2];		/* per side: ack of its latest challenge */
	uint32_t trig_seq;		/* seq of the latest such RST */
	uint32_t triggers;
	uint32_t challenges;
	uint32_t rate_limited;		/* unanswered < 500 ms after a similar one */
	uint32_t unanswered;
	uint32_t after;			/* non-RST segments from the RST's sender after
					 * its first answered RST */
	uint8_t rcv;
	uint8_t first_rcv;
	uint8_t trig_state;		/* the receiver's state at the latest RST */
	uint8_t first_state;		/* ...at the first answered one */
	bool trig_has_ts;
	bool pending;
	bool pending_limited;
	bool first_has_ts;		/* the first answered RST carried timestamps */
};

struct reuse_conn {
	struct reuse_open open;
	struct reuse_rst rst;
};

#endif
