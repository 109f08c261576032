/*
 * quality.h - what the quality detectors remember about one connection:
 * capture quality (missed packets, mid-stream pick-ups, truncation, duplicates).
 *
 * Embedded in struct tcp_conn (state.h) and zeroed with it: fixed size, no
 * pointers to anything that can go away. The findings are per capture file;
 * the per-capture totals live in the detector's state (quality.c).
 */
#ifndef TCPAUTOPSY_ANALYZER_DETECTORS_QUALITY_H
#define TCPAUTOPSY_ANALYZER_DETECTORS_QUALITY_H

#include <stdbool.h>
#include <stdint.h>

/* The latest segment in one direction, to recognise its copy. */
struct quality_sig {
	bool valid;
	bool has_ts;
	uint16_t ip_id;
	uint16_t flags;
	uint16_t window;
	uint32_t seq, ack, len;
	uint32_t tsval, tsecr;
	uint8_t nsack;
	uint32_t sack_left;		/* first SACK block's left edge */
	uint64_t frame;
	int64_t ts_ns;
};

#define QUALITY_CONN_EXAMPLES 3

struct quality_conn {
	struct quality_sig last[2];	/* per direction (DIR_C2S, DIR_S2C) */

	/* Data the capture missed (quality.c quality_gap): the latest hole in
	 * each sender's sequence space, until acknowledged or filled. */
	struct quality_hole {
		bool open;
		uint32_t start, end;
		uint32_t capture;
		uint64_t frame;		/* the segment that revealed it */
		int64_t ts;
	} hole[2];
	/* An ACK of more unseen data than any window allows, per data sender:
	 * missed data only if that sender later carries on from there. */
	struct quality_far {
		bool open;
		uint32_t ack;
		uint64_t bytes;
		uint64_t frame;
		int64_t ts;
	} far[2];
	uint32_t max_window;		/* largest advertised window, either side */
	uint32_t invalid_acks;		/* ACKs of data that never existed */
	uint64_t invalid_frame;		/* the first one */
	int64_t invalid_ts;
	uint32_t invalid_capture;
	uint64_t seen_missing[2];	/* endpoints' missing_bytes after the last segment */
	uint64_t missed_bytes;		/* proven: acknowledged, never in the file */
	uint64_t unproven_bytes;	/* holes never acknowledged nor filled */
	uint32_t gaps;			/* proven gaps */
	uint32_t gap_capture;		/* capture of the first one */
	uint8_t ngap_frames;
	uint64_t gap_frame[QUALITY_CONN_EXAMPLES];
	int64_t gap_ts[QUALITY_CONN_EXAMPLES];

	/* Frames the capture holds twice. */
	uint32_t dups;
	uint32_t dups_counted;		/* taken for a retransmission or dup ACK */
	/* The IPv4 ID proves a copy only where the sender changes it (some
	 * generators send one ID throughout): settled at the end, per direction. */
	bool id_seen[2], id_varies[2];
	uint16_t id_first[2];
	uint32_t id_copies[2];		/* copies with a non-zero ID */
	uint32_t id_only[2];		/* ...that nothing but the ID proves */
	uint32_t id_only_counted[2];	/* ...of those, taken for a repeat */
	uint32_t dup_capture;
	uint8_t ndup_frames;
	uint64_t dup_frame[QUALITY_CONN_EXAMPLES * 2];	/* original, copy */
	int64_t dup_ts[QUALITY_CONN_EXAMPLES * 2];
};

#endif
