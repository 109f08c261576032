/*
 * segment.h - what the dissector tells the rest of tcpautopsy about one TCP frame.
 *
 * Ownership: a struct tcp_segment is filled by dissect_frame() and owned by the
 * caller; `payload` points into the caller's frame buffer and is valid only until
 * the next frame is read. Nothing here allocates.
 */
#ifndef TCPAUTOPSY_DISSECT_SEGMENT_H
#define TCPAUTOPSY_DISSECT_SEGMENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* An IPv4 or IPv6 address. IPv4 uses the first 4 bytes, the rest stay zero, so
 * two addresses compare equal with memcmp on the whole struct. */
struct ip_addr {
	uint8_t family; /* AF_INET or AF_INET6 */
	uint8_t pad[3];
	uint8_t bytes[16];
};

/* TCP header flags, as on the wire (low byte) plus NS/AE in bit 8. */
enum {
	TH_FIN = 0x01,
	TH_SYN = 0x02,
	TH_RST = 0x04,
	TH_PUSH = 0x08,
	TH_ACK = 0x10,
	TH_URG = 0x20,
	TH_ECE = 0x40,
	TH_CWR = 0x80,
	TH_AE = 0x100,
};

#define TCP_MAX_SACK_BLOCKS 4

struct sack_block {
	uint32_t left;
	uint32_t right;
};

/* Parsed TCP options. A has_* flag is set only when the option was present with
 * a valid length; a malformed option list stops parsing and sets `bad`. */
struct tcp_options {
	bool has_mss;
	bool has_wscale;
	bool sack_permitted;
	bool has_timestamps;
	bool bad;		/* option list malformed (bad length, runs past header) */
	uint8_t wscale;		/* shift as sent, not clamped (RFC 7323 says clamp to 14) */
	uint8_t sack_count;	/* number of valid entries in sack[] */
	uint16_t mss;
	uint32_t tsval;
	uint32_t tsecr;
	struct sack_block sack[TCP_MAX_SACK_BLOCKS];
};

struct tcp_segment {
	/* Where the frame came from. */
	uint64_t frame;		/* frame number in its file, counting from 1 */
	uint32_t capture;	/* index of that file among the files of the run */
	int64_t ts_ns;		/* capture time, ns since the Unix epoch (UTC) */

	/* Network layer. */
	struct ip_addr src;
	struct ip_addr dst;
	uint8_t ip_ttl;		/* TTL or hop limit */
	bool ip_df;		/* IPv4 don't-fragment (always false on IPv6) */
	uint16_t ip_id;		/* IPv4 identification (0 on IPv6) */

	/* TCP header. */
	uint16_t sport;
	uint16_t dport;
	uint32_t seq;
	uint32_t ack;		/* meaningful only when flags has TH_ACK */
	uint16_t flags;		/* TH_* */
	uint16_t window;	/* raw, not scaled: scaling is connection state */
	uint16_t urgent;
	struct tcp_options opt;

	/* Payload. len is what the IP header says the segment carries, even when
	 * the snap length cut the frame short; caplen is what is really present. */
	uint32_t payload_len;
	uint32_t payload_caplen;
	const uint8_t *payload;
	bool truncated;		/* the snap length cut into this segment */
};

#endif
