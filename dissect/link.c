/*
 * link.c - link-layer headers: Ethernet (with VLAN tags and LLC/SNAP), Linux
 * cooked SLL and SLL2, BSD loopback NULL and LOOP, and the raw IP link types.
 *
 * The link layer only says which network protocol follows; it never narrows the
 * cursor, because Ethernet padding is removed later by the IP total length.
 */
#include "config.h"

#include "dissect/layers.h"

/* Old files and pcap_datalink() on most systems give DLT_RAW as 12 (14 on
 * OpenBSD) instead of LINKTYPE_RAW. */
#define LINK_DLT_RAW 12
#define LINK_DLT_RAW_OPENBSD 14

enum {
	ETHERTYPE_IPV4 = 0x0800,
	ETHERTYPE_IPV6 = 0x86dd,
	ETHERTYPE_VLAN = 0x8100,	/* 802.1Q */
	ETHERTYPE_QINQ = 0x88a8,	/* 802.1ad */
	ETHERTYPE_QINQ_OLD = 0x9100,	/* pre-standard QinQ */
	ETHERTYPE_MPLS = 0x8847,
	ETHERTYPE_MPLS_MCAST = 0x8848,
	ETHERTYPE_PPPOE_SESSION = 0x8864,
	ETHERTYPE_MIN = 0x0600,		/* below this the field is an 802.3 length */
};

enum {
	PPP_PROTO_IPV4 = 0x0021,
	PPP_PROTO_IPV6 = 0x0057,
	MPLS_BOTTOM_OF_STACK = 0x100,	/* S bit of a label stack entry */
};

/* Address families in BSD loopback headers: AF_INET is 2 everywhere, AF_INET6
 * differs per OS (OpenBSD/NetBSD 24, FreeBSD 28, Darwin 30). */
enum {
	LINK_BSD_AF_INET = 2,
	LINK_BSD_AF_INET6_BSD = 24,
	LINK_BSD_AF_INET6_FREEBSD = 28,
	LINK_BSD_AF_INET6_DARWIN = 30,
};

enum {
	ETHER_HDR_LEN = 14,
	VLAN_TAG_LEN = 4,
	SLL_HDR_LEN = 16,
	SLL_PROTO_OFF = 14,
	SLL2_HDR_LEN = 20,
	PPPOE_HDR_LEN = 6,
};

bool link_supported(int linktype)
{
	return link_description(linktype) != NULL;
}

const char *link_description(int linktype)
{
	switch (linktype) {
	case LINKTYPE_NULL:
		return "BSD loopback";
	case LINKTYPE_ETHERNET:
		return "Ethernet";
	case LINKTYPE_RAW:
	case LINK_DLT_RAW:
	case LINK_DLT_RAW_OPENBSD:
		return "Raw IP";
	case LINKTYPE_LOOP:
		return "OpenBSD loopback";
	case LINKTYPE_LINUX_SLL:
		return "Linux cooked (SLL)";
	case LINKTYPE_IPV4:
		return "Raw IPv4";
	case LINKTYPE_IPV6:
		return "Raw IPv6";
	case LINKTYPE_LINUX_SLL2:
		return "Linux cooked (SLL2)";
	default:
		return NULL;
	}
}

/*
 * An 802.3 frame (length instead of type) carries IP only behind LLC/SNAP with
 * the Ethernet OUI; everything else there (STP, CDP, IPX...) is not TCP.
 */
static enum dissect_result link_llc_snap(struct cursor *c, uint16_t *type,
					 enum dissect_malformed *why)
{
	uint8_t dsap, ssap, ctl, oui[3];

	if (!cursor_u8(c, &dsap) || !cursor_u8(c, &ssap) || !cursor_u8(c, &ctl)) {
		*why = MAL_LINK_TRUNCATED;
		return DISSECT_MALFORMED;
	}
	if (dsap != 0xaa || ssap != 0xaa || ctl != 0x03)
		return DISSECT_NOT_TCP;
	if (!cursor_bytes(c, oui, sizeof(oui)) || !cursor_be16(c, type)) {
		*why = MAL_LINK_TRUNCATED;
		return DISSECT_MALFORMED;
	}
	return oui[0] || oui[1] || oui[2] ? DISSECT_NOT_TCP : DISSECT_TCP;
}

/* PPPoE session (RFC 2516): its 6-byte header, then a PPP protocol number. */
static enum dissect_result link_pppoe(struct cursor *c, enum link_net *net,
				      enum dissect_malformed *why)
{
	uint8_t hi, lo;
	uint16_t proto;

	if (!cursor_skip(c, PPPOE_HDR_LEN) || !cursor_u8(c, &hi)) {
		*why = MAL_LINK_TRUNCATED;
		return DISSECT_MALFORMED;
	}
	/* Protocol-field compression (RFC 1661 6.5): protocol numbers are odd
	 * in their low byte and even in their high byte, so an odd first byte
	 * is a one-byte protocol field. */
	if (hi & 1) {
		proto = hi;
	} else if (cursor_u8(c, &lo)) {
		proto = (uint16_t)(hi << 8 | lo);
	} else {
		*why = MAL_LINK_TRUNCATED;
		return DISSECT_MALFORMED;
	}
	switch (proto) {
	case PPP_PROTO_IPV4:
		*net = LINK_NET_IPV4;
		return DISSECT_TCP;
	case PPP_PROTO_IPV6:
		*net = LINK_NET_IPV6;
		return DISSECT_TCP;
	default:
		return DISSECT_NOT_TCP;	/* LCP, IPCP, CHAP... */
	}
}

/*
 * MPLS label stack (RFC 3032). Nothing in the stack names the payload; like
 * Wireshark's fallback we take IP when its version nibble says so, and call
 * anything else (Ethernet pseudowires, control words) not TCP.
 */
static enum dissect_result link_mpls(struct cursor *c, enum link_net *net,
				     enum dissect_malformed *why)
{
	struct cursor peek;
	uint32_t entry = 0;
	uint8_t first;

	for (int n = 0; !(entry & MPLS_BOTTOM_OF_STACK); n++) {
		if (n >= LINK_MAX_TAGS)
			return DISSECT_UNSUPPORTED;
		if (!cursor_be32(c, &entry)) {
			*why = MAL_LINK_TRUNCATED;
			return DISSECT_MALFORMED;
		}
	}
	peek = *c;
	if (cursor_u8(&peek, &first) && ((first >> 4) == 4 || (first >> 4) == 6)) {
		*net = LINK_NET_IP_ANY;
		return DISSECT_TCP;
	}
	return DISSECT_NOT_TCP;
}

/*
 * Follows an Ethernet type field through any stack of VLAN tags (and, for
 * Ethernet proper, LLC/SNAP) to the network protocol. Cooked captures can keep
 * VLAN tags too, so SLL and SLL2 come through here as well.
 */
static enum dissect_result link_ethertype(struct cursor *c, uint16_t type, bool llc,
					  enum link_net *net, enum dissect_malformed *why)
{
	int tags = 0;

	for (;;) {
		if (type == ETHERTYPE_VLAN || type == ETHERTYPE_QINQ ||
		    type == ETHERTYPE_QINQ_OLD) {
			/* A deeper stack than this is not a network, it is an attack
			 * on our loop; we do not decode it. */
			if (++tags > LINK_MAX_TAGS)
				return DISSECT_UNSUPPORTED;
			if (!cursor_skip(c, VLAN_TAG_LEN - 2) || !cursor_be16(c, &type)) {
				*why = MAL_LINK_TRUNCATED;
				return DISSECT_MALFORMED;
			}
			continue;
		}
		if (llc && type < ETHERTYPE_MIN) {
			enum dissect_result r = link_llc_snap(c, &type, why);

			if (r != DISSECT_TCP)
				return r;
			llc = false;	/* SNAP does not nest */
			continue;
		}
		break;
	}

	switch (type) {
	case ETHERTYPE_IPV4:
		*net = LINK_NET_IPV4;
		return DISSECT_TCP;
	case ETHERTYPE_IPV6:
		*net = LINK_NET_IPV6;
		return DISSECT_TCP;
	case ETHERTYPE_PPPOE_SESSION:
		return link_pppoe(c, net, why);
	case ETHERTYPE_MPLS:
	case ETHERTYPE_MPLS_MCAST:
		return link_mpls(c, net, why);
	default:
		/* ARP, LLDP, PPPoE discovery...: a frame we do not look inside. */
		return DISSECT_NOT_TCP;
	}
}

static enum dissect_result link_ethernet(struct cursor *c, enum link_net *net,
					 enum dissect_malformed *why)
{
	uint16_t type;

	if (!cursor_skip(c, ETHER_HDR_LEN - 2) || !cursor_be16(c, &type)) {
		*why = MAL_LINK_TRUNCATED;
		return DISSECT_MALFORMED;
	}
	return link_ethertype(c, type, true, net, why);
}

static enum dissect_result link_sll(struct cursor *c, enum link_net *net,
				    enum dissect_malformed *why)
{
	struct cursor hdr;
	uint16_t proto;

	if (!cursor_sub(c, SLL_HDR_LEN, &hdr)) {
		*why = MAL_LINK_TRUNCATED;
		return DISSECT_MALFORMED;
	}
	cursor_skip(&hdr, SLL_PROTO_OFF);
	cursor_be16(&hdr, &proto);
	return link_ethertype(c, proto, false, net, why);
}

static enum dissect_result link_sll2(struct cursor *c, enum link_net *net,
				     enum dissect_malformed *why)
{
	struct cursor hdr;
	uint16_t proto;

	if (!cursor_sub(c, SLL2_HDR_LEN, &hdr)) {
		*why = MAL_LINK_TRUNCATED;
		return DISSECT_MALFORMED;
	}
	cursor_be16(&hdr, &proto);
	return link_ethertype(c, proto, false, net, why);
}

static enum dissect_result link_bsd_family(uint32_t family, enum link_net *net)
{
	switch (family) {
	case LINK_BSD_AF_INET:
		*net = LINK_NET_IPV4;
		return DISSECT_TCP;
	case LINK_BSD_AF_INET6_BSD:
	case LINK_BSD_AF_INET6_FREEBSD:
	case LINK_BSD_AF_INET6_DARWIN:
		*net = LINK_NET_IPV6;
		return DISSECT_TCP;
	default:
		return DISSECT_NOT_TCP;
	}
}

/*
 * DLT_NULL stores the family in the capturing host's byte order, which the file
 * does not record. Families are small numbers, so a value with its high half set
 * must have been written by a host of the other order.
 */
static enum dissect_result link_null(struct cursor *c, enum link_net *net,
				     enum dissect_malformed *why)
{
	uint32_t family;

	if (!cursor_le32(c, &family)) {
		*why = MAL_LINK_TRUNCATED;
		return DISSECT_MALFORMED;
	}
	if (family & 0xffff0000u)
		family = (family >> 24) | ((family >> 8) & 0xff00u) |
			 ((family << 8) & 0xff0000u) | (family << 24);
	return link_bsd_family(family, net);
}

static enum dissect_result link_loop(struct cursor *c, enum link_net *net,
				     enum dissect_malformed *why)
{
	uint32_t family;

	if (!cursor_be32(c, &family)) {
		*why = MAL_LINK_TRUNCATED;
		return DISSECT_MALFORMED;
	}
	return link_bsd_family(family, net);
}

enum dissect_result link_decode(int linktype, struct cursor *c, enum link_net *net,
				enum dissect_malformed *why)
{
	switch (linktype) {
	case LINKTYPE_ETHERNET:
		return link_ethernet(c, net, why);
	case LINKTYPE_LINUX_SLL:
		return link_sll(c, net, why);
	case LINKTYPE_LINUX_SLL2:
		return link_sll2(c, net, why);
	case LINKTYPE_NULL:
		return link_null(c, net, why);
	case LINKTYPE_LOOP:
		return link_loop(c, net, why);
	case LINKTYPE_RAW:
	case LINK_DLT_RAW:
	case LINK_DLT_RAW_OPENBSD:
		*net = LINK_NET_IP_ANY;
		return DISSECT_TCP;
	case LINKTYPE_IPV4:
		*net = LINK_NET_IPV4;
		return DISSECT_TCP;
	case LINKTYPE_IPV6:
		*net = LINK_NET_IPV6;
		return DISSECT_TCP;
	default:
		return DISSECT_UNSUPPORTED;
	}
}
