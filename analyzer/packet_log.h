/*
 * packet_log.h - a connection's packets in brief, so a finding can show its
 * evidence as a ladder diagram without a second pass over the capture.
 *
 * Detectors name their evidence by frame number, often long after the packet
 * went by. Each connection therefore keeps a small fixed log of packet notes:
 * its first packets (the handshake and the first request), a ring of notable
 * ones (SYN, FIN, RST, retransmissions, zero windows, probes, state changes)
 * and a ring of the most recent. When a finding is reported, the analyzer
 * copies the notes of its frames into it (finding.packets). A frame whose note
 * was overwritten stays a bare frame number: the log is bounded, by design.
 *
 * Memory: PACKET_LOG_SLOTS notes per open connection; nothing is allocated.
 * A zeroed struct packet_log is an empty log (conn_init() zeroes it).
 */
#ifndef TCPAUTOPSY_ANALYZER_PACKET_LOG_H
#define TCPAUTOPSY_ANALYZER_PACKET_LOG_H

#include <stdbool.h>
#include <stdint.h>

/* One packet as a ladder diagram draws it. frame == 0 means "no note". */
struct packet_note {
	uint64_t frame;
	int64_t ts_ns;
	uint32_t capture;	/* capture file index of frame */
	uint32_t seq;		/* relative to the sender's ISN when seq_relative */
	uint32_t ack;		/* relative to the receiver's ISN when ack_relative;
				 * meaningful only with TH_ACK in flags */
	uint32_t len;		/* payload length (as the IP header says) */
	uint32_t window;	/* advertised window in bytes, scaled when known */
	uint32_t events;	/* SEG_* bits from classify.h */
	uint16_t flags;		/* TH_* */
	uint8_t dir;		/* DIR_C2S or DIR_S2C */
	uint8_t state_after[2];	/* enum tcp_state of CLIENT, SERVER after it */
	bool seq_relative;
	bool ack_relative;
};

#define PACKET_LOG_FIRST 8
#define PACKET_LOG_NOTABLE 20
#define PACKET_LOG_RECENT 12
#define PACKET_LOG_SLOTS (PACKET_LOG_FIRST + PACKET_LOG_NOTABLE + PACKET_LOG_RECENT)

struct packet_log {
	struct packet_note first[PACKET_LOG_FIRST];
	struct packet_note notable[PACKET_LOG_NOTABLE];	/* ring */
	struct packet_note recent[PACKET_LOG_RECENT];	/* ring */
	uint32_t nfirst;
	uint32_t nnotable;	/* ever added: the ring's next slot is n % size */
	uint32_t nrecent;
};

/* Records a packet: into `first` while it has room, else into the notable
 * ring when notable is true, else into the recent ring. */
void packet_log_add(struct packet_log *l, const struct packet_note *n, bool notable);

/* The note of (capture, frame), or NULL when it is not (or no longer) kept. */
const struct packet_note *packet_log_find(const struct packet_log *l, uint32_t capture,
					  uint64_t frame);

#endif
