/*
 * layers.h - how the dissector's layer files hand a frame to each other.
 * Internal: included only by the .c files of dissect/.
 *
 * Each layer takes the cursor positioned at its header, checks and consumes it,
 * and leaves the cursor at the next layer's header, narrowed when the layer knows
 * where its payload ends. A layer answers with a dissect_result; DISSECT_TCP
 * from link_decode() and ip_decode() means "carry on to the next layer", and
 * DISSECT_MALFORMED always comes with *why set.
 */
#ifndef TCPAUTOPSY_DISSECT_LAYERS_H
#define TCPAUTOPSY_DISSECT_LAYERS_H

#include <stdbool.h>
#include <stdint.h>

#include "dissect/cursor.h"
#include "dissect/dissect.h"
#include "dissect/segment.h"

/* The network protocol the link layer says follows it. Raw IP link types say
 * only "IP", and the version nibble decides. */
enum link_net {
	LINK_NET_IPV4,
	LINK_NET_IPV6,
	LINK_NET_IP_ANY,
};

/* At most this many VLAN tags, or MPLS labels, are peeled off one frame; real
 * networks stack two or three, and the bound keeps a crafted frame from looping. */
#define LINK_MAX_TAGS 8

/* At most this many IPv6 extension headers before the upper-layer header. */
#define IP6_MAX_EXT_HEADERS 8

/* What the IP layer learned, for the segment and for TCP's length checks. */
struct ip_info {
	struct ip_addr src;
	struct ip_addr dst;
	uint8_t ttl;
	bool df;
	uint16_t id;
	/* Bytes the IP header(s) say follow them: the upper-layer header and its
	 * data, present or not. */
	uint32_t payload_len;
};

/* True when link_decode() knows this link type. */
bool link_supported(int linktype);

/* Human name of a link type, or NULL when we do not decode it. */
const char *link_description(int linktype);

/* Consumes the link-layer header of a `linktype` frame and tells which network
 * protocol follows. DISSECT_TCP means "an IP packet follows" (*net is set);
 * DISSECT_NOT_TCP a valid frame of another protocol; DISSECT_UNSUPPORTED a link
 * type or encapsulation we do not decode. */
enum dissect_result link_decode(int linktype, struct cursor *c, enum link_net *net,
				enum dissect_malformed *why);

/* Consumes the IP header (IPv4 options, IPv6 extension headers) and narrows the
 * cursor to the IP payload. `wire_left` is how many bytes the frame had on the
 * wire from the IP header on; it stands in for a length field of 0 (TSO, BIG TCP,
 * jumbograms without the option). DISSECT_TCP means "a TCP header follows". */
enum dissect_result ip_decode(struct cursor *c, enum link_net net, size_t wire_left,
			      struct ip_info *ip, enum dissect_malformed *why);

/* Decodes the TCP header and options into *seg (ports, seq, ack, flags, window,
 * urgent, opt, payload*), given the IP payload length the IP layer declared.
 * A malformed option list sets seg->opt.bad and still returns DISSECT_TCP. */
enum dissect_result tcp_decode(struct cursor *c, uint32_t ip_payload_len,
			       struct tcp_segment *seg, enum dissect_malformed *why);

#endif
