/*
 * dissect.h - bytes of one captured frame -> a struct tcp_segment, or a reason
 * it is not one.
 *
 * The dissector knows nothing of connections. It trusts nothing in the frame:
 * every read is checked against the captured length, the IP total length clamps
 * what TCP may read, and a frame that fails a check is counted by reason in the
 * caller's struct dissect_stats, never fatal. It allocates nothing.
 */
#ifndef TCPAUTOPSY_DISSECT_DISSECT_H
#define TCPAUTOPSY_DISSECT_DISSECT_H

#include "dissect/segment.h"

/* libpcap LINKTYPE_ values we decode (the DLT_ aliases differ for some). */
enum {
	LINKTYPE_NULL = 0,
	LINKTYPE_ETHERNET = 1,
	LINKTYPE_RAW = 101,
	LINKTYPE_LOOP = 108,
	LINKTYPE_LINUX_SLL = 113,
	LINKTYPE_IPV4 = 228,
	LINKTYPE_IPV6 = 229,
	LINKTYPE_LINUX_SLL2 = 276,
};

/* What one frame turned out to be. */
enum dissect_result {
	DISSECT_TCP,		/* *seg is filled */
	DISSECT_NOT_TCP,	/* a valid frame of another protocol (ARP, UDP, ICMP...) */
	DISSECT_FRAGMENT,	/* an IP fragment: counted, not reassembled */
	DISSECT_UNSUPPORTED,	/* a link type or encapsulation we do not decode */
	DISSECT_MALFORMED,	/* failed a check; the reason is counted */
};

/* Why a frame was malformed. Stable names (dissect_malformed_name) are JSON keys. */
enum dissect_malformed {
	MAL_LINK_TRUNCATED,	/* link-layer header cut short */
	MAL_IP_TRUNCATED,	/* IP header cut short */
	MAL_IP_VERSION,		/* version nibble does not match the link layer's claim */
	MAL_IP_HEADER_LENGTH,	/* IPv4 IHL < 5 or beyond the total length */
	MAL_IP_TOTAL_LENGTH,	/* total/payload length smaller than the headers */
	MAL_IPV6_EXT_HEADER,	/* IPv6 extension header chain cut short or too long */
	MAL_TCP_TRUNCATED,	/* TCP header (20 bytes + options) not captured */
	MAL_TCP_HEADER_LENGTH,	/* data offset < 5 or beyond the IP payload */
	MAL_TCP_OPTIONS,	/* option list malformed (the segment is still used) */
	MAL_TCP_ZERO_PORT,	/* source or destination port 0 */
	MAL_COUNT
};

/* Counters for one capture file, filled frame by frame. */
struct dissect_stats {
	uint64_t frames;	/* every frame, whatever its protocol */
	uint64_t tcp;		/* frames that produced a segment */
	uint64_t not_tcp;
	uint64_t fragments;
	uint64_t unsupported;
	uint64_t truncated_tcp;	/* TCP segments cut by the snap length */
	uint64_t malformed[MAL_COUNT];
};

/* The frame as libpcap hands it over. */
struct frame {
	int linktype;		/* LINKTYPE_* of the frame's interface */
	const uint8_t *data;
	uint32_t caplen;	/* bytes present in data */
	uint32_t wirelen;	/* bytes on the wire */
	uint64_t number;	/* 1-based, per file */
	uint32_t capture;	/* index of the file in the run, copied to the segment */
	int64_t ts_ns;
};

/* Decodes one frame. On DISSECT_TCP fills *seg. Always updates *stats
 * (frames, and the counter matching the result). A segment whose option list is
 * malformed is still returned as DISSECT_TCP, with seg->opt.bad set and
 * MAL_TCP_OPTIONS counted. */
enum dissect_result dissect_frame(const struct frame *f, struct tcp_segment *seg,
				  struct dissect_stats *stats);

/* True when we can decode this link type. */
bool dissect_linktype_supported(int linktype);

/* Stable names: "link_truncated", "ip_truncated", ... for JSON keys. */
const char *dissect_malformed_name(enum dissect_malformed m);

/* Human name of a link type ("Ethernet", "Linux cooked (SLL2)", ...) for reports;
 * the stable identifier is libpcap's pcap_datalink_val_to_name(). */
const char *dissect_linktype_description(int linktype);

/* Formats an address with inet_ntop into buf (at least 46 bytes). Returns buf. */
char *ip_addr_format(const struct ip_addr *a, char *buf, size_t len);

/* "192.0.2.1:8080", "[2001:db8::1]:8080", or the bare address when port is 0
 * (a whole host). Returns buf. */
char *ip_endpoint_format(const struct ip_addr *a, uint16_t port, char *buf, size_t len);

#endif
