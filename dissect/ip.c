/*
 * ip.c - IPv4 and IPv6 headers, IPv6 extension header chains.
 *
 * The job that matters most here is the readable end: after the IP header the
 * cursor is narrowed to what the IP length fields declare, so Ethernet padding
 * never turns into TCP payload, while the declared length itself is passed on
 * so that a frame cut by the snap length still reports its true payload size.
 */
#include "config.h"

#include <string.h>
#include <sys/socket.h>

#include "dissect/layers.h"

enum {
	IP_PROTO_HOPOPTS = 0,
	IP_PROTO_TCP = 6,
	IP_PROTO_ROUTING = 43,
	IP_PROTO_FRAGMENT = 44,
	IP_PROTO_AH = 51,
	IP_PROTO_DSTOPTS = 60,
};

enum {
	IP4_MIN_HDR = 20,
	IP4_ADDR_LEN = 4,
	IP4_FLAG_DF = 0x4000,
	IP4_FLAG_MF = 0x2000,
	IP4_OFFSET_MASK = 0x1fff,
	IP6_HDR_LEN = 40,
	IP6_ADDR_LEN = 16,
	IP6_FRAG_HDR_LEN = 8,
	IP6_OPT_PAD1 = 0,
	IP6_OPT_JUMBO = 0xc2,
};

static enum dissect_result ip_malformed(enum dissect_malformed *why,
					enum dissect_malformed reason)
{
	*why = reason;
	return DISSECT_MALFORMED;
}

static uint32_t ip_len32(size_t n)
{
	return n > UINT32_MAX ? UINT32_MAX : (uint32_t)n;
}

/*
 * IPv4. A total length of 0 is what a capture taken before TCP segmentation
 * offload shows (the NIC fills it in later), and BIG TCP does the same above
 * 64 KiB: like Wireshark and tcpdump we then take the frame's own length.
 */
static enum dissect_result ip_v4(struct cursor *c, size_t wire_left, struct ip_info *ip,
				 enum dissect_malformed *why)
{
	struct cursor fixed, opts;
	/* cursor_sub() below guarantees every read from `fixed`; GCC cannot see
	 * that through the cursor at -O2 and warns, hence the zeros. */
	uint8_t vihl = 0, proto = 0;
	uint16_t total = 0, frag = 0;
	size_t hlen, len;

	if (!cursor_sub(c, IP4_MIN_HDR, &fixed))
		return ip_malformed(why, MAL_IP_TRUNCATED);
	cursor_u8(&fixed, &vihl);
	cursor_skip(&fixed, 1);			/* TOS */
	cursor_be16(&fixed, &total);
	cursor_be16(&fixed, &ip->id);
	cursor_be16(&fixed, &frag);
	cursor_u8(&fixed, &ip->ttl);
	cursor_u8(&fixed, &proto);
	cursor_skip(&fixed, 2);			/* checksum */
	ip->src.family = AF_INET;
	cursor_bytes(&fixed, ip->src.bytes, IP4_ADDR_LEN);
	ip->dst.family = AF_INET;
	cursor_bytes(&fixed, ip->dst.bytes, IP4_ADDR_LEN);
	ip->df = (frag & IP4_FLAG_DF) != 0;

	hlen = (size_t)(vihl & 0x0f) * 4;
	if (hlen < IP4_MIN_HDR)
		return ip_malformed(why, MAL_IP_HEADER_LENGTH);
	len = total ? total : wire_left;
	if (len < IP4_MIN_HDR)
		return ip_malformed(why, MAL_IP_TOTAL_LENGTH);
	if (hlen > len)
		return ip_malformed(why, MAL_IP_HEADER_LENGTH);
	if (!cursor_sub(c, hlen - IP4_MIN_HDR, &opts))	/* options: not decoded */
		return ip_malformed(why, MAL_IP_TRUNCATED);

	ip->payload_len = ip_len32(len - hlen);
	cursor_clamp(c, len - hlen);

	if (proto != IP_PROTO_TCP)
		return DISSECT_NOT_TCP;
	if ((frag & IP4_FLAG_MF) || (frag & IP4_OFFSET_MASK))
		return DISSECT_FRAGMENT;
	return DISSECT_TCP;
}

/*
 * Looks for the Jumbo Payload option (RFC 2675) in a hop-by-hop header's option
 * area. Returns true and the length (which counts from the end of the fixed
 * IPv6 header) when present and well formed.
 */
static bool ip_v6_jumbo(struct cursor opts, uint32_t *jumbo)
{
	uint8_t type, len;

	while (cursor_u8(&opts, &type)) {
		if (type == IP6_OPT_PAD1)
			continue;
		if (!cursor_u8(&opts, &len))
			return false;
		if (type == IP6_OPT_JUMBO && len == 4)
			return cursor_be32(&opts, jumbo);
		if (!cursor_skip(&opts, len))
			return false;
	}
	return false;
}

/* Size in bytes of the extension header whose length byte is `hlen`. */
static size_t ip_v6_ext_size(uint8_t type, uint8_t hlen)
{
	if (type == IP_PROTO_FRAGMENT)
		return IP6_FRAG_HDR_LEN;
	if (type == IP_PROTO_AH)
		return ((size_t)hlen + 2) * 4;	/* RFC 4302: in 4-octet units, minus 2 */
	return ((size_t)hlen + 1) * 8;		/* RFC 8200: in 8-octet units, minus 1 */
}

/*
 * Walks the extension header chain up to the upper-layer header. `len` is what
 * follows the fixed header by the payload length field (or the wire, when that
 * field is 0). A fragment header with offset 0 and M clear is an atomic
 * fragment (RFC 6946): a whole packet, decoded as such. For a real fragment we
 * still walk the first fragment's headers to learn whether it carries TCP.
 */
static enum dissect_result ip_v6_chain(struct cursor *c, uint8_t nh, size_t len,
				       bool may_be_jumbo, struct ip_info *ip,
				       enum dissect_malformed *why)
{
	bool fragment = false;
	size_t used = 0;

	for (int n = 0;; n++) {
		struct cursor peek = *c;
		struct cursor ext;
		uint8_t next, hlen;
		uint16_t offlg;
		uint32_t jumbo;
		size_t size;

		switch (nh) {
		case IP_PROTO_TCP:
			ip->payload_len = ip_len32(len - used);
			return fragment ? DISSECT_FRAGMENT : DISSECT_TCP;
		case IP_PROTO_HOPOPTS:
		case IP_PROTO_ROUTING:
		case IP_PROTO_FRAGMENT:
		case IP_PROTO_AH:
		case IP_PROTO_DSTOPTS:
			break;
		default:
			/* UDP, ICMPv6, ESP, no next header, tunnels... */
			return DISSECT_NOT_TCP;
		}
		if (n >= IP6_MAX_EXT_HEADERS)
			return ip_malformed(why, MAL_IPV6_EXT_HEADER);
		if (len - used < 2)
			return ip_malformed(why, MAL_IP_TOTAL_LENGTH);
		if (!cursor_u8(&peek, &next) || !cursor_u8(&peek, &hlen))
			return ip_malformed(why, MAL_IPV6_EXT_HEADER);
		size = ip_v6_ext_size(nh, hlen);
		if (size > len - used)
			return ip_malformed(why, MAL_IP_TOTAL_LENGTH);
		if (!cursor_sub(c, size, &ext))
			return ip_malformed(why, MAL_IPV6_EXT_HEADER);
		used += size;

		if (nh == IP_PROTO_HOPOPTS && may_be_jumbo) {
			cursor_skip(&ext, 2);
			if (ip_v6_jumbo(ext, &jumbo)) {
				if (jumbo < used)
					return ip_malformed(why, MAL_IP_TOTAL_LENGTH);
				len = jumbo;
				cursor_clamp(c, len - used);
			}
		} else if (nh == IP_PROTO_FRAGMENT) {
			cursor_skip(&ext, 2);
			cursor_be16(&ext, &offlg);
			if (offlg & 0xfff9) {
				fragment = true;
				/* Past the first fragment the next header is the
				 * original packet's, but its bytes are elsewhere. */
				if (offlg & 0xfff8)
					return next == IP_PROTO_TCP ? DISSECT_FRAGMENT
								    : DISSECT_NOT_TCP;
			}
		}
		nh = next;
	}
}

/*
 * IPv6. A payload length of 0 means a jumbogram (the hop-by-hop Jumbo Payload
 * option carries the length) or a BIG TCP packet whose jumbo option Linux
 * stripped before the capture point; the wire length stands in until the
 * option, if any, is found.
 */
static enum dissect_result ip_v6(struct cursor *c, size_t wire_left, struct ip_info *ip,
				 enum dissect_malformed *why)
{
	struct cursor fixed;
	uint16_t plen;
	uint8_t nh;
	size_t len;

	if (!cursor_sub(c, IP6_HDR_LEN, &fixed))
		return ip_malformed(why, MAL_IP_TRUNCATED);
	cursor_skip(&fixed, 4);			/* version, class, flow label */
	cursor_be16(&fixed, &plen);
	cursor_u8(&fixed, &nh);
	cursor_u8(&fixed, &ip->ttl);
	ip->src.family = AF_INET6;
	cursor_bytes(&fixed, ip->src.bytes, IP6_ADDR_LEN);
	ip->dst.family = AF_INET6;
	cursor_bytes(&fixed, ip->dst.bytes, IP6_ADDR_LEN);

	if (plen)
		len = plen;
	else
		len = wire_left > IP6_HDR_LEN ? wire_left - IP6_HDR_LEN : 0;
	cursor_clamp(c, len);
	return ip_v6_chain(c, nh, len, plen == 0, ip, why);
}

enum dissect_result ip_decode(struct cursor *c, enum link_net net, size_t wire_left,
			      struct ip_info *ip, enum dissect_malformed *why)
{
	struct cursor peek = *c;
	uint8_t first;

	memset(ip, 0, sizeof(*ip));
	if (!cursor_u8(&peek, &first))
		return ip_malformed(why, MAL_IP_TRUNCATED);
	switch (first >> 4) {
	case 4:
		if (net == LINK_NET_IPV6)
			break;
		return ip_v4(c, wire_left, ip, why);
	case 6:
		if (net == LINK_NET_IPV4)
			break;
		return ip_v6(c, wire_left, ip, why);
	default:
		break;
	}
	return ip_malformed(why, MAL_IP_VERSION);
}
