/*
 * test_dissect.c - dissect/ against frames built byte by byte here: every link
 * type, tags and encapsulations, IPv4 options, IPv6 extension headers,
 * fragments, every malformed reason, truncation, every TCP option, and garbage
 * of every small size for every link type.
 */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#include "dissect/dissect.h"
#include "tests/unit/check.h"

/* A frame under construction. */
struct pkt {
	uint8_t b[2048];
	size_t n;
};

static void put8(struct pkt *p, unsigned v)
{
	if (p->n < sizeof(p->b))
		p->b[p->n++] = (uint8_t)v;
}

static void put16(struct pkt *p, unsigned v)
{
	put8(p, v >> 8);
	put8(p, v);
}

static void put32(struct pkt *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p, v & 0xffff);
}

static void putn(struct pkt *p, const void *src, size_t n)
{
	const uint8_t *s = src;

	for (size_t i = 0; i < n; i++)
		put8(p, s[i]);
}

static void fill(struct pkt *p, unsigned byte, size_t n)
{
	for (size_t i = 0; i < n; i++)
		put8(p, byte);
}

static void set16(struct pkt *p, size_t at, unsigned v)
{
	p->b[at] = (uint8_t)(v >> 8);
	p->b[at + 1] = (uint8_t)v;
}

/* --- link layers ------------------------------------------------------------ */

static void eth(struct pkt *p, unsigned type)
{
	static const uint8_t macs[12] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 };

	putn(p, macs, sizeof(macs));
	put16(p, type);
}

static void sll(struct pkt *p, unsigned proto)
{
	put16(p, 0);		/* packet type: to us */
	put16(p, 1);		/* ARPHRD_ETHER */
	put16(p, 6);
	fill(p, 0xaa, 8);
	put16(p, proto);
}

static void sll2(struct pkt *p, unsigned proto)
{
	put16(p, proto);
	put16(p, 0);
	put32(p, 3);		/* ifindex */
	put16(p, 1);
	put8(p, 0);
	put8(p, 6);
	fill(p, 0xbb, 8);
}

static void null_le(struct pkt *p, uint32_t fam)
{
	put8(p, fam);
	put8(p, fam >> 8);
	put8(p, fam >> 16);
	put8(p, fam >> 24);
}

/* --- IP --------------------------------------------------------------------- */

enum { TCP = 6, UDP = 17 };

static const uint8_t v4src[4] = { 192, 0, 2, 1 }, v4dst[4] = { 198, 51, 100, 7 };
static const uint8_t v6src[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
static const uint8_t v6dst[16] = { 0x20, 0x01, 0x0d, 0xb8, [14] = 0xab, [15] = 2 };

/* IPv4 header with `optlen` option bytes (a multiple of 4); total length is
 * patched by ip4_end(). Returns the header's offset. */
static size_t ip4_opts(struct pkt *p, unsigned proto, unsigned frag, const uint8_t *opts,
		       size_t optlen)
{
	size_t at = p->n;

	put8(p, 0x40 | (unsigned)(5 + optlen / 4));
	put8(p, 0);
	put16(p, 0);		/* total length, patched */
	put16(p, 0x1234);	/* id */
	put16(p, frag);
	put8(p, 64);		/* ttl */
	put8(p, proto);
	put16(p, 0);
	putn(p, v4src, 4);
	putn(p, v4dst, 4);
	putn(p, opts, optlen);
	return at;
}

static size_t ip4(struct pkt *p, unsigned proto)
{
	return ip4_opts(p, proto, 0x4000, NULL, 0);
}

static void ip4_end(struct pkt *p, size_t at)
{
	set16(p, at + 2, (unsigned)(p->n - at));
}

static size_t ip6(struct pkt *p, unsigned nh)
{
	size_t at = p->n;

	put32(p, 0x60000000);
	put16(p, 0);		/* payload length, patched */
	put8(p, nh);
	put8(p, 57);		/* hop limit */
	putn(p, v6src, 16);
	putn(p, v6dst, 16);
	return at;
}

static void ip6_end(struct pkt *p, size_t at)
{
	set16(p, at + 4, (unsigned)(p->n - at - 40));
}

/* An 8-byte extension header of the 8-octet kind (HBH, routing, dest opts). */
static void ext8(struct pkt *p, unsigned next)
{
	put8(p, next);
	put8(p, 0);
	put8(p, 1);		/* PadN */
	put8(p, 4);
	put32(p, 0);
}

static void frag6(struct pkt *p, unsigned next, unsigned offset8, bool more)
{
	put8(p, next);
	put8(p, 0);
	put16(p, (offset8 << 3) | (more ? 1 : 0));
	put32(p, 0xdeadbeef);
}

/* --- TCP -------------------------------------------------------------------- */

static void tcp_opts(struct pkt *p, unsigned sport, unsigned dport, unsigned flags,
		     const uint8_t *opts, size_t optlen)
{
	put16(p, sport);
	put16(p, dport);
	put32(p, 1000);		/* seq */
	put32(p, 2000);		/* ack */
	put8(p, (unsigned)((5 + optlen / 4) << 4) | ((flags & 0x100) ? 1 : 0));
	put8(p, flags & 0xff);
	put16(p, 65535);
	put16(p, 0);
	put16(p, 0);
	putn(p, opts, optlen);
}

static void tcp(struct pkt *p, unsigned flags)
{
	tcp_opts(p, 40000, 80, flags, NULL, 0);
}

/* A complete TCP/IPv4 or TCP/IPv6 packet with `payload` data bytes. */
static void ip_tcp(struct pkt *p, bool v6, size_t payload)
{
	size_t at = v6 ? ip6(p, TCP) : ip4(p, TCP);

	tcp(p, 0x18);
	fill(p, 'x', payload);
	if (v6)
		ip6_end(p, at);
	else
		ip4_end(p, at);
}

/* --- running the dissector ---------------------------------------------------- */

static struct dissect_stats stats;
static struct tcp_segment seg;

static enum dissect_result run_cut(int linktype, const struct pkt *p, size_t caplen)
{
	struct frame f = { linktype, p->b, (uint32_t)caplen, (uint32_t)p->n, 7, 3, 1234567 };

	memset(&stats, 0, sizeof(stats));
	return dissect_frame(&f, &seg, &stats);
}

static enum dissect_result run(int linktype, const struct pkt *p)
{
	return run_cut(linktype, p, p->n);
}

/* True when the frame is malformed for exactly this reason, counted once. */
static bool mal_cut(int linktype, const struct pkt *p, size_t caplen, enum dissect_malformed m)
{
	uint64_t total = 0;

	if (run_cut(linktype, p, caplen) != DISSECT_MALFORMED)
		return false;
	for (int i = 0; i < MAL_COUNT; i++)
		total += stats.malformed[i];
	return stats.malformed[m] == 1 && total == 1 && stats.frames == 1 && stats.tcp == 0;
}

static bool mal(int linktype, const struct pkt *p, enum dissect_malformed m)
{
	return mal_cut(linktype, p, p->n, m);
}

/* True when the frame decodes to the standard segment built by ip_tcp(). */
static bool is_std_tcp(int linktype, const struct pkt *p, bool v6)
{
	const uint8_t *want = v6 ? v6src : v4src;

	return run(linktype, p) == DISSECT_TCP && stats.tcp == 1 &&
	       seg.src.family == (v6 ? AF_INET6 : AF_INET) &&
	       memcmp(seg.src.bytes, want, v6 ? 16 : 4) == 0 && seg.sport == 40000 &&
	       seg.dport == 80 && seg.seq == 1000 && seg.ack == 2000;
}

/* --- tests ------------------------------------------------------------------- */

static void test_ethernet_ipv4_syn(void)
{
	static const uint8_t opts[] = { 2, 4, 0x05, 0xb4,	/* MSS 1460 */
					4, 2,			/* SACK permitted */
					8, 10, 0, 0, 0, 9, 0, 0, 0, 0,	/* TS 9 0 */
					1,			/* NOP */
					3, 3, 7 };		/* WS 7 */
	struct pkt p = { .n = 0 };
	char buf[64];
	size_t at;

	eth(&p, 0x0800);
	at = ip4(&p, TCP);
	tcp_opts(&p, 40000, 80, 0x02, opts, sizeof(opts));
	ip4_end(&p, at);

	CHECK_INT(run(LINKTYPE_ETHERNET, &p), DISSECT_TCP);
	CHECK_INT(stats.frames, 1);
	CHECK_INT(stats.tcp, 1);
	CHECK_INT(seg.frame, 7);
	CHECK_INT(seg.capture, 3);
	CHECK_INT(seg.ts_ns, 1234567);
	CHECK_STR(ip_addr_format(&seg.src, buf, sizeof(buf)), "192.0.2.1");
	CHECK_STR(ip_addr_format(&seg.dst, buf, sizeof(buf)), "198.51.100.7");
	CHECK_INT(seg.ip_ttl, 64);
	CHECK_INT(seg.ip_id, 0x1234);
	CHECK(seg.ip_df);
	CHECK_INT(seg.sport, 40000);
	CHECK_INT(seg.dport, 80);
	CHECK_INT(seg.seq, 1000);
	CHECK_INT(seg.ack, 2000);
	CHECK_INT(seg.flags, TH_SYN);
	CHECK_INT(seg.window, 65535);
	CHECK_INT(seg.urgent, 0);
	CHECK(seg.opt.has_mss && seg.opt.mss == 1460);
	CHECK(seg.opt.sack_permitted);
	CHECK(seg.opt.has_timestamps && seg.opt.tsval == 9 && seg.opt.tsecr == 0);
	CHECK(seg.opt.has_wscale && seg.opt.wscale == 7);
	CHECK(!seg.opt.bad);
	CHECK_INT(seg.payload_len, 0);
	CHECK_INT(seg.payload_caplen, 0);
	CHECK(!seg.truncated);
}

static void test_ethernet_padding(void)
{
	struct pkt p = { .n = 0 };

	eth(&p, 0x0800);
	ip_tcp(&p, false, 0);		/* 14 + 40 = 54 bytes */
	fill(&p, 0, 60 - p.n);		/* the NIC pads to the 60-byte minimum */
	CHECK_INT(p.n, 60);
	CHECK(is_std_tcp(LINKTYPE_ETHERNET, &p, false));
	CHECK_INT(seg.payload_len, 0);
	CHECK_INT(seg.payload_caplen, 0);
	CHECK(!seg.truncated);

	/* Same with a 2-byte payload: 4 bytes of padding remain outside it. */
	p.n = 0;
	eth(&p, 0x0800);
	ip_tcp(&p, false, 2);
	fill(&p, 0, 60 - p.n);
	CHECK(is_std_tcp(LINKTYPE_ETHERNET, &p, false));
	CHECK_INT(seg.payload_len, 2);
	CHECK_INT(seg.payload_caplen, 2);
	CHECK(seg.payload && seg.payload[0] == 'x' && seg.payload[1] == 'x');

	/* IPv6 frames are never padded, but a captured FCS trails them too. */
	p.n = 0;
	eth(&p, 0x86dd);
	ip_tcp(&p, true, 1);
	put32(&p, 0xfc5fc5fc);
	CHECK(is_std_tcp(LINKTYPE_ETHERNET, &p, true));
	CHECK_INT(seg.payload_len, 1);
	CHECK_INT(seg.payload_caplen, 1);
}

static void test_snaplen_truncation(void)
{
	struct pkt p = { .n = 0 };

	eth(&p, 0x0800);
	ip_tcp(&p, false, 100);
	CHECK_INT(run(LINKTYPE_ETHERNET, &p), DISSECT_TCP);
	CHECK_INT(seg.payload_len, 100);
	CHECK_INT(seg.payload_caplen, 100);
	CHECK(!seg.truncated);
	CHECK_INT(stats.truncated_tcp, 0);

	/* Snap length 84: 14 + 20 + 20 + 30 payload bytes. */
	CHECK_INT(run_cut(LINKTYPE_ETHERNET, &p, 84), DISSECT_TCP);
	CHECK_INT(seg.payload_len, 100);
	CHECK_INT(seg.payload_caplen, 30);
	CHECK(seg.truncated);
	CHECK_INT(stats.truncated_tcp, 1);

	/* Cut exactly after the TCP header. */
	CHECK_INT(run_cut(LINKTYPE_ETHERNET, &p, 54), DISSECT_TCP);
	CHECK_INT(seg.payload_len, 100);
	CHECK_INT(seg.payload_caplen, 0);
	CHECK(seg.truncated);

	/* Cut inside the TCP header: not a segment. */
	CHECK(mal_cut(LINKTYPE_ETHERNET, &p, 53, MAL_TCP_TRUNCATED));
	CHECK(mal_cut(LINKTYPE_ETHERNET, &p, 34, MAL_TCP_TRUNCATED));
	CHECK(mal_cut(LINKTYPE_ETHERNET, &p, 33, MAL_IP_TRUNCATED));
	CHECK(mal_cut(LINKTYPE_ETHERNET, &p, 13, MAL_LINK_TRUNCATED));

	/* The IP header claims more than the frame had on the wire: the snap
	 * length did not cut it, so it is not "truncated", but the sizes still
	 * tell the truth about what is missing. */
	CHECK_INT(run_cut(LINKTYPE_ETHERNET, &p, 84), DISSECT_TCP);
	p.n = 84;
	CHECK_INT(run(LINKTYPE_ETHERNET, &p), DISSECT_TCP);
	CHECK_INT(seg.payload_len, 100);
	CHECK_INT(seg.payload_caplen, 30);
	CHECK(!seg.truncated);
	CHECK_INT(stats.truncated_tcp, 0);

	/* IPv6 cut by the snap length keeps the declared size too. */
	p.n = 0;
	eth(&p, 0x86dd);
	ip_tcp(&p, true, 500);
	CHECK_INT(run_cut(LINKTYPE_ETHERNET, &p, 96), DISSECT_TCP);
	CHECK_INT(seg.payload_len, 500);
	CHECK_INT(seg.payload_caplen, 96 - 14 - 40 - 20);
	CHECK(seg.truncated);
}

static void test_vlan_tags(void)
{
	static const unsigned tpids[] = { 0x8100, 0x88a8, 0x9100 };
	struct pkt p = { .n = 0 };

	for (size_t i = 0; i < 3; i++) {
		p.n = 0;
		eth(&p, tpids[i]);
		put16(&p, 100);
		put16(&p, 0x0800);
		ip_tcp(&p, false, 3);
		CHECK(is_std_tcp(LINKTYPE_ETHERNET, &p, false));
		CHECK_INT(seg.payload_len, 3);
	}

	/* QinQ: 802.1ad outer, 802.1Q inner, IPv6. */
	p.n = 0;
	eth(&p, 0x88a8);
	put16(&p, 10);
	put16(&p, 0x8100);
	put16(&p, 20);
	put16(&p, 0x86dd);
	ip_tcp(&p, true, 0);
	CHECK(is_std_tcp(LINKTYPE_ETHERNET, &p, true));

	/* Eight tags are decoded, nine are not. */
	p.n = 0;
	eth(&p, 0x8100);
	for (int i = 0; i < 7; i++) {
		put16(&p, (unsigned)i);
		put16(&p, 0x8100);
	}
	put16(&p, 7);
	put16(&p, 0x0800);
	ip_tcp(&p, false, 0);
	CHECK(is_std_tcp(LINKTYPE_ETHERNET, &p, false));
	p.n = 0;
	eth(&p, 0x8100);
	for (int i = 0; i < 9; i++) {
		put16(&p, (unsigned)i);
		put16(&p, 0x8100);
	}
	put16(&p, 9);
	put16(&p, 0x0800);
	ip_tcp(&p, false, 0);
	CHECK_INT(run(LINKTYPE_ETHERNET, &p), DISSECT_UNSUPPORTED);
	CHECK_INT(stats.unsupported, 1);

	/* A tag cut short. */
	p.n = 0;
	eth(&p, 0x8100);
	put16(&p, 5);
	CHECK(mal(LINKTYPE_ETHERNET, &p, MAL_LINK_TRUNCATED));
	put8(&p, 0x08);
	CHECK(mal(LINKTYPE_ETHERNET, &p, MAL_LINK_TRUNCATED));

	/* VLAN-tagged ARP. */
	p.n = 0;
	eth(&p, 0x8100);
	put16(&p, 5);
	put16(&p, 0x0806);
	fill(&p, 0, 28);
	CHECK_INT(run(LINKTYPE_ETHERNET, &p), DISSECT_NOT_TCP);
}

static void test_ethernet_encapsulations(void)
{
	struct pkt p = { .n = 0 };

	/* 802.3 length + LLC/SNAP + IPv4. */
	eth(&p, 60);
	put8(&p, 0xaa);
	put8(&p, 0xaa);
	put8(&p, 0x03);
	fill(&p, 0, 3);
	put16(&p, 0x0800);
	ip_tcp(&p, false, 0);
	CHECK(is_std_tcp(LINKTYPE_ETHERNET, &p, false));

	/* 802.3 + LLC for STP. */
	p.n = 0;
	eth(&p, 39);
	put8(&p, 0x42);
	put8(&p, 0x42);
	put8(&p, 0x03);
	fill(&p, 0, 35);
	CHECK_INT(run(LINKTYPE_ETHERNET, &p), DISSECT_NOT_TCP);

	/* PPPoE session, two-byte and compressed one-byte PPP protocol. */
	p.n = 0;
	eth(&p, 0x8864);
	put16(&p, 0x1100);
	put16(&p, 0x0001);
	put16(&p, 42);
	put16(&p, 0x0021);
	ip_tcp(&p, false, 0);
	CHECK(is_std_tcp(LINKTYPE_ETHERNET, &p, false));
	p.n = 0;
	eth(&p, 0x8864);
	put16(&p, 0x1100);
	put16(&p, 0x0001);
	put16(&p, 42);
	put8(&p, 0x57);
	ip_tcp(&p, true, 0);
	CHECK(is_std_tcp(LINKTYPE_ETHERNET, &p, true));
	p.n = 0;
	eth(&p, 0x8864);
	put16(&p, 0x1100);
	put16(&p, 0x0001);
	put16(&p, 42);
	put16(&p, 0xc021);	/* LCP */
	fill(&p, 0, 20);
	CHECK_INT(run(LINKTYPE_ETHERNET, &p), DISSECT_NOT_TCP);
	p.n = 0;
	eth(&p, 0x8864);
	put16(&p, 0x1100);
	CHECK(mal(LINKTYPE_ETHERNET, &p, MAL_LINK_TRUNCATED));

	/* MPLS: two labels, then IPv4; one label then a pseudowire. */
	p.n = 0;
	eth(&p, 0x8847);
	put32(&p, 0x00010040);
	put32(&p, 0x00020140);
	ip_tcp(&p, false, 0);
	CHECK(is_std_tcp(LINKTYPE_ETHERNET, &p, false));
	p.n = 0;
	eth(&p, 0x8847);
	put32(&p, 0x00020140);
	put32(&p, 0);		/* control word */
	fill(&p, 0, 40);
	CHECK_INT(run(LINKTYPE_ETHERNET, &p), DISSECT_NOT_TCP);
	p.n = 0;
	eth(&p, 0x8847);
	put32(&p, 0x00010040);
	CHECK(mal(LINKTYPE_ETHERNET, &p, MAL_LINK_TRUNCATED));
}

static void test_linux_cooked(void)
{
	struct pkt p = { .n = 0 };

	sll(&p, 0x0800);
	ip_tcp(&p, false, 5);
	CHECK(is_std_tcp(LINKTYPE_LINUX_SLL, &p, false));
	CHECK_INT(seg.payload_len, 5);
	p.n = 0;
	sll(&p, 0x86dd);
	ip_tcp(&p, true, 5);
	CHECK(is_std_tcp(LINKTYPE_LINUX_SLL, &p, true));
	p.n = 0;
	sll(&p, 0x0806);
	fill(&p, 0, 28);
	CHECK_INT(run(LINKTYPE_LINUX_SLL, &p), DISSECT_NOT_TCP);
	p.n = 0;
	sll(&p, 0x0800);
	CHECK(mal_cut(LINKTYPE_LINUX_SLL, &p, 15, MAL_LINK_TRUNCATED));

	p.n = 0;
	sll2(&p, 0x0800);
	ip_tcp(&p, false, 5);
	CHECK(is_std_tcp(LINKTYPE_LINUX_SLL2, &p, false));
	p.n = 0;
	sll2(&p, 0x86dd);
	ip_tcp(&p, true, 5);
	CHECK(is_std_tcp(LINKTYPE_LINUX_SLL2, &p, true));
	CHECK_INT(seg.payload_len, 5);
	p.n = 0;
	sll2(&p, 0x88cc);	/* LLDP */
	fill(&p, 0, 30);
	CHECK_INT(run(LINKTYPE_LINUX_SLL2, &p), DISSECT_NOT_TCP);
	p.n = 0;
	sll2(&p, 0x0800);
	CHECK(mal_cut(LINKTYPE_LINUX_SLL2, &p, 19, MAL_LINK_TRUNCATED));

	/* A cooked capture that kept a VLAN tag. */
	p.n = 0;
	sll(&p, 0x8100);
	put16(&p, 7);
	put16(&p, 0x0800);
	ip_tcp(&p, false, 0);
	CHECK(is_std_tcp(LINKTYPE_LINUX_SLL, &p, false));
}

static void test_bsd_loopback(void)
{
	static const uint32_t v6fams[] = { 24, 28, 30 };
	struct pkt p = { .n = 0 };

	/* DLT_NULL written by a little-endian host... */
	null_le(&p, 2);
	ip_tcp(&p, false, 1);
	CHECK(is_std_tcp(LINKTYPE_NULL, &p, false));
	/* ...and by a big-endian one. */
	p.n = 0;
	put32(&p, 2);
	ip_tcp(&p, false, 1);
	CHECK(is_std_tcp(LINKTYPE_NULL, &p, false));
	for (size_t i = 0; i < 3; i++) {
		p.n = 0;
		null_le(&p, v6fams[i]);
		ip_tcp(&p, true, 1);
		CHECK(is_std_tcp(LINKTYPE_NULL, &p, true));
		p.n = 0;
		put32(&p, v6fams[i]);
		ip_tcp(&p, true, 1);
		CHECK(is_std_tcp(LINKTYPE_NULL, &p, true));
	}
	p.n = 0;
	null_le(&p, 7);		/* AF_ISO or whatever: not ours */
	fill(&p, 0x45, 40);
	CHECK_INT(run(LINKTYPE_NULL, &p), DISSECT_NOT_TCP);
	/* The family says IPv4, the packet is IPv6. */
	p.n = 0;
	null_le(&p, 2);
	ip_tcp(&p, true, 0);
	CHECK(mal(LINKTYPE_NULL, &p, MAL_IP_VERSION));
	p.n = 0;
	null_le(&p, 2);
	CHECK(mal_cut(LINKTYPE_NULL, &p, 3, MAL_LINK_TRUNCATED));

	/* DLT_LOOP: network byte order only. */
	p.n = 0;
	put32(&p, 2);
	ip_tcp(&p, false, 1);
	CHECK(is_std_tcp(LINKTYPE_LOOP, &p, false));
	p.n = 0;
	put32(&p, 24);
	ip_tcp(&p, true, 1);
	CHECK(is_std_tcp(LINKTYPE_LOOP, &p, true));
	p.n = 0;
	null_le(&p, 2);		/* little-endian in a LOOP file is not AF_INET */
	ip_tcp(&p, false, 1);
	CHECK_INT(run(LINKTYPE_LOOP, &p), DISSECT_NOT_TCP);
	p.n = 0;
	put16(&p, 0);
	CHECK(mal(LINKTYPE_LOOP, &p, MAL_LINK_TRUNCATED));
}

static void test_raw_ip(void)
{
	static const int raw[] = { LINKTYPE_RAW, 12, 14 };
	struct pkt p4 = { .n = 0 }, p6 = { .n = 0 }, bad = { .n = 0 };

	ip_tcp(&p4, false, 9);
	ip_tcp(&p6, true, 9);
	ip_tcp(&bad, false, 0);
	bad.b[0] = 0x55;	/* version 5 */
	for (size_t i = 0; i < 3; i++) {
		CHECK(is_std_tcp(raw[i], &p4, false));
		CHECK_INT(seg.payload_len, 9);
		CHECK(is_std_tcp(raw[i], &p6, true));
		CHECK_INT(seg.payload_len, 9);
		CHECK(mal(raw[i], &bad, MAL_IP_VERSION));
		CHECK(mal_cut(raw[i], &p4, 0, MAL_IP_TRUNCATED));
	}
	CHECK(is_std_tcp(LINKTYPE_IPV4, &p4, false));
	CHECK(mal(LINKTYPE_IPV4, &p6, MAL_IP_VERSION));
	CHECK(is_std_tcp(LINKTYPE_IPV6, &p6, true));
	CHECK(mal(LINKTYPE_IPV6, &p4, MAL_IP_VERSION));
	CHECK(mal_cut(LINKTYPE_IPV4, &p4, 0, MAL_IP_TRUNCATED));
	CHECK(mal_cut(LINKTYPE_IPV6, &p6, 39, MAL_IP_TRUNCATED));
	/* Ethernet type 0x0800 carrying an IPv6 packet. */
	bad.n = 0;
	eth(&bad, 0x0800);
	ip_tcp(&bad, true, 0);
	CHECK(mal(LINKTYPE_ETHERNET, &bad, MAL_IP_VERSION));
}

static void test_linktypes(void)
{
	static const int ok[] = { 0, 1, 12, 14, 101, 108, 113, 228, 229, 276 };
	static const int no[] = { -1, 9, 105, 127, 192, 275, 277, 65535, 1 << 30 };
	struct pkt p = { .n = 0 };

	ip_tcp(&p, false, 0);
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		CHECK(dissect_linktype_supported(ok[i]));
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
		CHECK(!dissect_linktype_supported(no[i]));
		CHECK_INT(run(no[i], &p), DISSECT_UNSUPPORTED);
		CHECK_INT(stats.unsupported, 1);
		CHECK(dissect_linktype_description(no[i]) != NULL);
	}
	CHECK_STR(dissect_linktype_description(LINKTYPE_ETHERNET), "Ethernet");
	CHECK_STR(dissect_linktype_description(LINKTYPE_LINUX_SLL2), "Linux cooked (SLL2)");
	CHECK_STR(dissect_linktype_description(LINKTYPE_LINUX_SLL), "Linux cooked (SLL)");
}

static void test_not_tcp(void)
{
	static const unsigned v4protos[] = { UDP, 1, 4, 41, 47, 50, 132 };
	static const unsigned v6protos[] = { UDP, 58, 59, 50, 4, 41 };
	struct pkt p = { .n = 0 };
	size_t at;

	eth(&p, 0x0806);
	fill(&p, 0, 46);
	CHECK_INT(run(LINKTYPE_ETHERNET, &p), DISSECT_NOT_TCP);
	CHECK_INT(stats.not_tcp, 1);
	CHECK_INT(stats.frames, 1);
	for (size_t i = 0; i < sizeof(v4protos) / sizeof(v4protos[0]); i++) {
		p.n = 0;
		eth(&p, 0x0800);
		at = ip4(&p, v4protos[i]);
		fill(&p, 0, 8);
		ip4_end(&p, at);
		CHECK_INT(run(LINKTYPE_ETHERNET, &p), DISSECT_NOT_TCP);
	}
	for (size_t i = 0; i < sizeof(v6protos) / sizeof(v6protos[0]); i++) {
		p.n = 0;
		at = ip6(&p, v6protos[i]);
		fill(&p, 0, 8);
		ip6_end(&p, at);
		CHECK_INT(run(LINKTYPE_IPV6, &p), DISSECT_NOT_TCP);
	}
	/* UDP behind extension headers. */
	p.n = 0;
	at = ip6(&p, 0);
	ext8(&p, 60);
	ext8(&p, UDP);
	fill(&p, 0, 8);
	ip6_end(&p, at);
	CHECK_INT(run(LINKTYPE_IPV6, &p), DISSECT_NOT_TCP);
}

static void test_ipv4_options(void)
{
	static const uint8_t rr[12] = { 7, 11, 4, 0, 0, 0, 0, 0, 0, 0, 0, 1 };
	static const uint8_t max[40] = { 1, 1, 1, 1, [39] = 0 };
	struct pkt p = { .n = 0 };
	size_t at;

	at = ip4_opts(&p, TCP, 0, rr, sizeof(rr));
	tcp(&p, 0x10);
	fill(&p, 'y', 7);
	ip4_end(&p, at);
	CHECK(is_std_tcp(LINKTYPE_RAW, &p, false));
	CHECK_INT(seg.payload_len, 7);
	CHECK_INT(seg.payload_caplen, 7);
	CHECK(seg.payload && seg.payload[0] == 'y');
	CHECK(!seg.ip_df);

	p.n = 0;
	at = ip4_opts(&p, TCP, 0, max, sizeof(max));	/* IHL 15 */
	tcp(&p, 0x10);
	ip4_end(&p, at);
	CHECK(is_std_tcp(LINKTYPE_RAW, &p, false));
	CHECK_INT(seg.payload_len, 0);
	CHECK(mal_cut(LINKTYPE_RAW, &p, 59, MAL_IP_TRUNCATED));
	CHECK(mal_cut(LINKTYPE_RAW, &p, 20, MAL_IP_TRUNCATED));
}

static void test_ipv4_fragments(void)
{
	struct pkt p = { .n = 0 };
	size_t at;

	/* First fragment: MF set. */
	at = ip4_opts(&p, TCP, 0x2000, NULL, 0);
	tcp(&p, 0x18);
	fill(&p, 0, 16);
	ip4_end(&p, at);
	CHECK_INT(run(LINKTYPE_RAW, &p), DISSECT_FRAGMENT);
	CHECK_INT(stats.fragments, 1);
	CHECK_INT(stats.tcp, 0);
	/* Last fragment: offset only. */
	p.n = 0;
	at = ip4_opts(&p, TCP, 0x0005, NULL, 0);
	fill(&p, 0, 16);
	ip4_end(&p, at);
	CHECK_INT(run(LINKTYPE_RAW, &p), DISSECT_FRAGMENT);
	/* Middle fragment, DF noise: still a fragment. */
	p.n = 0;
	at = ip4_opts(&p, TCP, 0x2003, NULL, 0);
	fill(&p, 0, 16);
	ip4_end(&p, at);
	CHECK_INT(run(LINKTYPE_RAW, &p), DISSECT_FRAGMENT);
	/* DF alone is not a fragment. */
	p.n = 0;
	at = ip4_opts(&p, TCP, 0x4000, NULL, 0);
	tcp(&p, 0x18);
	ip4_end(&p, at);
	CHECK_INT(run(LINKTYPE_RAW, &p), DISSECT_TCP);
	CHECK(seg.ip_df);
	/* A UDP fragment is simply not TCP. */
	p.n = 0;
	at = ip4_opts(&p, UDP, 0x2000, NULL, 0);
	fill(&p, 0, 16);
	ip4_end(&p, at);
	CHECK_INT(run(LINKTYPE_RAW, &p), DISSECT_NOT_TCP);
}

static void test_ipv4_tso_zero_length(void)
{
	struct pkt p = { .n = 0 };

	eth(&p, 0x0800);
	ip_tcp(&p, false, 1500);
	set16(&p, 14 + 2, 0);
	CHECK_INT(run(LINKTYPE_ETHERNET, &p), DISSECT_TCP);
	CHECK_INT(seg.payload_len, 1500);
	CHECK_INT(seg.payload_caplen, 1500);
	CHECK(!seg.truncated);
	/* Cut by the snap length: the wire length still tells the size. */
	CHECK_INT(run_cut(LINKTYPE_ETHERNET, &p, 100), DISSECT_TCP);
	CHECK_INT(seg.payload_len, 1500);
	CHECK_INT(seg.payload_caplen, 100 - 54);
	CHECK(seg.truncated);
}

static void test_ipv6_ext_headers(void)
{
	struct pkt p = { .n = 0 };
	char buf[64];
	size_t at;

	eth(&p, 0x86dd);
	at = ip6(&p, 0);		/* hop-by-hop */
	ext8(&p, 43);			/* -> routing */
	put8(&p, 60);			/* routing, 24 bytes -> dest opts */
	put8(&p, 2);
	fill(&p, 0, 22);
	ext8(&p, 51);			/* -> AH */
	put8(&p, TCP);			/* AH: 4 + 12 ICV = 24 bytes, length 4 */
	put8(&p, 4);
	fill(&p, 0, 22);
	tcp(&p, 0x18);
	fill(&p, 'z', 11);
	ip6_end(&p, at);
	CHECK(is_std_tcp(LINKTYPE_ETHERNET, &p, true));
	CHECK_INT(seg.payload_len, 11);
	CHECK_INT(seg.payload_caplen, 11);
	CHECK_INT(seg.ip_ttl, 57);
	CHECK_INT(seg.ip_id, 0);
	CHECK(!seg.ip_df);
	CHECK_STR(ip_addr_format(&seg.src, buf, sizeof(buf)), "2001:db8::1");
	CHECK_STR(ip_addr_format(&seg.dst, buf, sizeof(buf)), "2001:db8::ab02");
}

static void test_ipv6_fragments(void)
{
	struct pkt p = { .n = 0 };
	size_t at;

	/* First fragment. */
	at = ip6(&p, 44);
	frag6(&p, TCP, 0, true);
	tcp(&p, 0x18);
	fill(&p, 0, 16);
	ip6_end(&p, at);
	CHECK_INT(run(LINKTYPE_IPV6, &p), DISSECT_FRAGMENT);
	CHECK_INT(stats.fragments, 1);
	/* Later fragment. */
	p.n = 0;
	at = ip6(&p, 44);
	frag6(&p, TCP, 100, false);
	fill(&p, 0, 16);
	ip6_end(&p, at);
	CHECK_INT(run(LINKTYPE_IPV6, &p), DISSECT_FRAGMENT);
	/* First fragment with a destination options header after it. */
	p.n = 0;
	at = ip6(&p, 44);
	frag6(&p, 60, 0, true);
	ext8(&p, TCP);
	tcp(&p, 0x18);
	ip6_end(&p, at);
	CHECK_INT(run(LINKTYPE_IPV6, &p), DISSECT_FRAGMENT);
	/* Atomic fragment (RFC 6946): a whole packet. */
	p.n = 0;
	at = ip6(&p, 44);
	frag6(&p, TCP, 0, false);
	tcp(&p, 0x18);
	fill(&p, 'a', 4);
	ip6_end(&p, at);
	CHECK(is_std_tcp(LINKTYPE_IPV6, &p, true));
	CHECK_INT(seg.payload_len, 4);
	CHECK_INT(stats.fragments, 0);
	/* A UDP fragment. */
	p.n = 0;
	at = ip6(&p, 44);
	frag6(&p, UDP, 3, true);
	fill(&p, 0, 16);
	ip6_end(&p, at);
	CHECK_INT(run(LINKTYPE_IPV6, &p), DISSECT_NOT_TCP);
}

static void test_ipv6_jumbo(void)
{
	struct pkt p = { .n = 0 };
	size_t at;

	/* Jumbo Payload option: the length includes the hop-by-hop header. */
	at = ip6(&p, 0);
	put8(&p, TCP);
	put8(&p, 0);
	put8(&p, 0xc2);
	put8(&p, 4);
	put32(&p, 8 + 20 + 70000);
	tcp(&p, 0x18);
	fill(&p, 'j', 100);		/* the rest was cut by the snap length */
	set16(&p, at + 4, 0);
	CHECK_INT(run(LINKTYPE_IPV6, &p), DISSECT_TCP);
	CHECK_INT(seg.payload_len, 70000);
	CHECK_INT(seg.payload_caplen, 100);
	/* The option, not the frame, says where the packet ends. */
	p.b[at + 40 + 4] = 0;
	p.b[at + 40 + 5] = 0;
	p.b[at + 40 + 6] = 0;
	p.b[at + 40 + 7] = 8 + 20 + 50;
	CHECK_INT(run(LINKTYPE_IPV6, &p), DISSECT_TCP);
	CHECK_INT(seg.payload_len, 50);
	CHECK_INT(seg.payload_caplen, 50);
	/* A jumbo length shorter than the header it sits in. */
	p.b[at + 40 + 7] = 4;
	p.b[at + 40 + 6] = 0;
	p.b[at + 40 + 5] = 0;
	p.b[at + 40 + 4] = 0;
	CHECK(mal(LINKTYPE_IPV6, &p, MAL_IP_TOTAL_LENGTH));

	/* BIG TCP: payload length 0, no option, the frame is the packet. */
	p.n = 0;
	eth(&p, 0x86dd);
	at = ip6(&p, TCP);
	tcp(&p, 0x18);
	fill(&p, 'b', 1200);
	CHECK(is_std_tcp(LINKTYPE_ETHERNET, &p, true));
	CHECK_INT(seg.payload_len, 1200);
	CHECK_INT(seg.payload_caplen, 1200);
	(void)at;
}

static void test_ipv6_ext_limits(void)
{
	struct pkt p = { .n = 0 };
	size_t at;

	/* Eight extension headers are fine, nine are too many. */
	at = ip6(&p, 60);
	for (int i = 0; i < 7; i++)
		ext8(&p, 60);
	ext8(&p, TCP);
	tcp(&p, 0x18);
	ip6_end(&p, at);
	CHECK(is_std_tcp(LINKTYPE_IPV6, &p, true));
	p.n = 0;
	at = ip6(&p, 60);
	for (int i = 0; i < 8; i++)
		ext8(&p, 60);
	ext8(&p, TCP);
	tcp(&p, 0x18);
	ip6_end(&p, at);
	CHECK(mal(LINKTYPE_IPV6, &p, MAL_IPV6_EXT_HEADER));

	/* A header cut by the snap length. */
	p.n = 0;
	at = ip6(&p, 0);
	ext8(&p, TCP);
	tcp(&p, 0x18);
	ip6_end(&p, at);
	CHECK(mal_cut(LINKTYPE_IPV6, &p, 45, MAL_IPV6_EXT_HEADER));
	CHECK(mal_cut(LINKTYPE_IPV6, &p, 41, MAL_IPV6_EXT_HEADER));
	/* A header longer than the payload length allows. */
	set16(&p, at + 4, 6);
	CHECK(mal(LINKTYPE_IPV6, &p, MAL_IP_TOTAL_LENGTH));
	set16(&p, at + 4, 1);
	CHECK(mal(LINKTYPE_IPV6, &p, MAL_IP_TOTAL_LENGTH));
	/* Room for the extension header, not for TCP. */
	set16(&p, at + 4, 8 + 19);
	CHECK(mal(LINKTYPE_IPV6, &p, MAL_TCP_HEADER_LENGTH));
}

static void test_malformed_ip(void)
{
	struct pkt p = { .n = 0 };

	ip_tcp(&p, false, 10);
	p.b[0] = 0x44;			/* IHL 4 */
	CHECK(mal(LINKTYPE_RAW, &p, MAL_IP_HEADER_LENGTH));
	p.b[0] = 0x4f;			/* IHL 15 > total length 50 */
	set16(&p, 2, 50);
	CHECK(mal(LINKTYPE_RAW, &p, MAL_IP_HEADER_LENGTH));
	p.b[0] = 0x45;
	set16(&p, 2, 19);
	CHECK(mal(LINKTYPE_RAW, &p, MAL_IP_TOTAL_LENGTH));
	set16(&p, 2, 1);
	CHECK(mal(LINKTYPE_RAW, &p, MAL_IP_TOTAL_LENGTH));
	set16(&p, 2, 20);		/* header only: no room for TCP */
	CHECK(mal(LINKTYPE_RAW, &p, MAL_TCP_HEADER_LENGTH));
	set16(&p, 2, 39);
	CHECK(mal(LINKTYPE_RAW, &p, MAL_TCP_HEADER_LENGTH));
	CHECK(mal_cut(LINKTYPE_RAW, &p, 19, MAL_IP_TRUNCATED));
	p.n = 0;
	eth(&p, 0x0800);
	ip_tcp(&p, false, 0);
	CHECK(mal_cut(LINKTYPE_ETHERNET, &p, 14, MAL_IP_TRUNCATED));
	CHECK(mal_cut(LINKTYPE_ETHERNET, &p, 33, MAL_IP_TRUNCATED));
}

static void test_malformed_tcp(void)
{
	struct pkt p = { .n = 0 };
	size_t at;

	ip_tcp(&p, false, 30);
	p.b[32] = 0x40;			/* data offset 4 */
	CHECK(mal(LINKTYPE_RAW, &p, MAL_TCP_HEADER_LENGTH));
	p.b[32] = 0xf0;			/* 60 bytes, IP payload has 50 */
	CHECK(mal(LINKTYPE_RAW, &p, MAL_TCP_HEADER_LENGTH));
	p.b[32] = 0xc0;			/* 48 bytes of 50: fits; the 'x' options */
	CHECK_INT(run(LINKTYPE_RAW, &p), DISSECT_TCP);	/* run past the header */
	CHECK_INT(seg.payload_len, 2);
	CHECK(seg.opt.bad);
	CHECK(mal_cut(LINKTYPE_RAW, &p, 67, MAL_TCP_TRUNCATED));
	p.b[32] = 0x50;
	CHECK(mal_cut(LINKTYPE_RAW, &p, 39, MAL_TCP_TRUNCATED));
	CHECK(mal_cut(LINKTYPE_RAW, &p, 20, MAL_TCP_TRUNCATED));

	p.n = 0;
	at = ip4(&p, TCP);
	tcp_opts(&p, 0, 80, 0x02, NULL, 0);
	ip4_end(&p, at);
	CHECK(mal(LINKTYPE_RAW, &p, MAL_TCP_ZERO_PORT));
	p.n = 0;
	at = ip6(&p, TCP);
	tcp_opts(&p, 1234, 0, 0x02, NULL, 0);
	ip6_end(&p, at);
	CHECK(mal(LINKTYPE_RAW, &p, MAL_TCP_ZERO_PORT));
}

static void test_tcp_flags(void)
{
	static const unsigned flags[] = { TH_FIN, TH_SYN, TH_RST, TH_PUSH, TH_ACK, TH_URG,
					  TH_ECE, TH_CWR, TH_AE, 0x1ff, 0 };
	struct pkt p = { .n = 0 };
	size_t at;

	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
		p.n = 0;
		at = ip4(&p, TCP);
		tcp(&p, flags[i]);
		ip4_end(&p, at);
		CHECK_INT(run(LINKTYPE_RAW, &p), DISSECT_TCP);
		CHECK_INT(seg.flags, flags[i]);
	}
	/* Reserved bits do not leak into the flags. */
	p.b[32] |= 0x0e;
	CHECK_INT(run(LINKTYPE_RAW, &p), DISSECT_TCP);
	CHECK_INT(seg.flags, 0);
	/* The urgent pointer. */
	set16(&p, 38, 77);
	CHECK_INT(run(LINKTYPE_RAW, &p), DISSECT_TCP);
	CHECK_INT(seg.urgent, 77);
}

/* Decodes a SYN carrying these option bytes (padded to 4 with EOL). */
static enum dissect_result with_opts(const uint8_t *opts, size_t n)
{
	static struct pkt p;
	uint8_t buf[40] = { 0 };
	size_t at;

	memcpy(buf, opts, n);
	p.n = 0;
	at = ip4(&p, TCP);
	tcp_opts(&p, 40000, 80, 0x02, buf, (n + 3) & ~(size_t)3);
	fill(&p, 'p', 3);
	ip4_end(&p, at);
	return run(LINKTYPE_RAW, &p);
}

static void test_tcp_options(void)
{
	static const uint8_t sack1[] = { 1, 1, 5, 10, 0, 0, 0, 1, 0, 0, 0, 2 };
	static const uint8_t sack4[] = { 1, 1, 5, 34, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3,
					 0, 0, 0, 4, 0, 0, 0, 5, 0, 0, 0, 6, 0, 0, 0, 7,
					 0xff, 0xff, 0xff, 0xff };
	static const uint8_t unknown[] = { 30, 6, 1, 2, 3, 4, 34, 2, 2, 4, 0x02, 0x18 };
	static const uint8_t eol[] = { 0, 2, 4, 0x05, 0xb4 };
	static const uint8_t ws15[] = { 3, 3, 15, 1 };
	static const uint8_t nops[] = { 1, 1, 1, 1 };

	CHECK_INT(with_opts(sack1, sizeof(sack1)), DISSECT_TCP);
	CHECK_INT(seg.opt.sack_count, 1);
	CHECK(seg.opt.sack[0].left == 1 && seg.opt.sack[0].right == 2);
	CHECK(!seg.opt.bad);
	CHECK_INT(with_opts(sack4, sizeof(sack4)), DISSECT_TCP);
	CHECK_INT(seg.opt.sack_count, 4);
	CHECK(seg.opt.sack[3].left == 7 && seg.opt.sack[3].right == 0xffffffffu);
	CHECK(!seg.opt.bad);
	CHECK_INT(stats.malformed[MAL_TCP_OPTIONS], 0);
	/* Unknown kinds are skipped by their length. */
	CHECK_INT(with_opts(unknown, sizeof(unknown)), DISSECT_TCP);
	CHECK(seg.opt.has_mss && seg.opt.mss == 0x0218);
	CHECK(!seg.opt.bad);
	/* Nothing after EOL counts. */
	CHECK_INT(with_opts(eol, sizeof(eol)), DISSECT_TCP);
	CHECK(!seg.opt.has_mss);
	CHECK(!seg.opt.bad);
	/* A window scale is kept as sent; RFC 7323 clamping is the caller's. */
	CHECK_INT(with_opts(ws15, sizeof(ws15)), DISSECT_TCP);
	CHECK(seg.opt.has_wscale && seg.opt.wscale == 15);
	CHECK_INT(with_opts(nops, sizeof(nops)), DISSECT_TCP);
	CHECK(!seg.opt.bad && !seg.opt.has_mss && !seg.opt.has_timestamps);
	CHECK_INT(seg.payload_len, 3);
}

/* True when these options decode to a segment flagged bad, counted once. */
static bool opts_bad(const uint8_t *opts, size_t n)
{
	return with_opts(opts, n) == DISSECT_TCP && seg.opt.bad && stats.tcp == 1 &&
	       stats.malformed[MAL_TCP_OPTIONS] == 1 && seg.payload_len == 3;
}

static void test_tcp_options_malformed(void)
{
	static const uint8_t len0[] = { 2, 0, 2, 4 };
	static const uint8_t len1[] = { 8, 1, 1, 1 };
	static const uint8_t past[] = { 1, 1, 8, 10, 0, 0, 0, 0 };
	static const uint8_t nolen[] = { 1, 1, 1, 2 };
	static const uint8_t mss3[] = { 2, 3, 5, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2 };
	static const uint8_t sack_empty[] = { 5, 2, 2, 4, 5, 0xb4 };
	static const uint8_t sack_odd[] = { 5, 11, 0, 0, 0, 1, 0, 0, 0, 2, 0 };
	static const uint8_t ts9[] = { 8, 9, 0, 0, 0, 1, 0, 0, 0, 1, 1, 1 };
	static const uint8_t ws2[] = { 3, 2, 4, 2 };

	CHECK(opts_bad(len0, sizeof(len0)));
	CHECK(!seg.opt.has_mss);
	CHECK(opts_bad(len1, sizeof(len1)));
	CHECK(!seg.opt.has_timestamps);
	CHECK(opts_bad(past, sizeof(past)));
	CHECK(!seg.opt.has_timestamps);
	CHECK(opts_bad(nolen, sizeof(nolen)));
	/* A known kind with a wrong length: bad, and the walk goes on. */
	CHECK(opts_bad(mss3, sizeof(mss3)));
	CHECK(!seg.opt.has_mss);
	CHECK(seg.opt.has_timestamps && seg.opt.tsval == 1 && seg.opt.tsecr == 2);
	CHECK(opts_bad(sack_empty, sizeof(sack_empty)));
	CHECK_INT(seg.opt.sack_count, 0);
	CHECK(seg.opt.has_mss && seg.opt.mss == 1460);
	CHECK(opts_bad(sack_odd, sizeof(sack_odd)));
	CHECK_INT(seg.opt.sack_count, 0);
	CHECK(opts_bad(ts9, sizeof(ts9)));
	CHECK(!seg.opt.has_timestamps);
	CHECK(opts_bad(ws2, sizeof(ws2)));
	CHECK(!seg.opt.has_wscale && seg.opt.sack_permitted);
}

static void test_names(void)
{
	static const char *const want[MAL_COUNT] = {
		"link_truncated", "ip_truncated", "ip_version", "ip_header_length",
		"ip_total_length", "ipv6_ext_header", "tcp_truncated",
		"tcp_header_length", "tcp_options", "tcp_zero_port",
	};
	struct ip_addr a;
	char buf[64];

	for (int i = 0; i < MAL_COUNT; i++)
		CHECK_STR(dissect_malformed_name((enum dissect_malformed)i), want[i]);
	CHECK(dissect_malformed_name(MAL_COUNT) != NULL);
	CHECK(dissect_malformed_name((enum dissect_malformed)-1) != NULL);

	memset(&a, 0, sizeof(a));
	a.family = AF_INET6;
	CHECK_STR(ip_addr_format(&a, buf, sizeof(buf)), "::");
	a.family = AF_INET;
	a.bytes[0] = 10;
	a.bytes[3] = 255;
	CHECK_STR(ip_addr_format(&a, buf, sizeof(buf)), "10.0.0.255");
	CHECK_STR(ip_addr_format(&a, buf, 4), "");	/* too small: empty, not cut */
}

static void test_null_frame(void)
{
	struct frame f = { LINKTYPE_ETHERNET, NULL, 0, 0, 1, 0, 0 };

	memset(&stats, 0, sizeof(stats));
	CHECK_INT(dissect_frame(&f, &seg, &stats), DISSECT_MALFORMED);
	CHECK_INT(stats.malformed[MAL_LINK_TRUNCATED], 1);
	f.linktype = LINKTYPE_RAW;
	CHECK_INT(dissect_frame(&f, &seg, &stats), DISSECT_MALFORMED);
	CHECK_INT(stats.malformed[MAL_IP_TRUNCATED], 1);
	CHECK_INT(stats.frames, 2);
}

/* Every counter a frame can land in; each frame lands in exactly one. */
static uint64_t counted(const struct dissect_stats *s)
{
	uint64_t n = s->tcp + s->not_tcp + s->fragments + s->unsupported;

	for (int i = 0; i < MAL_COUNT; i++)
		if (i != MAL_TCP_OPTIONS)
			n += s->malformed[i];
	return n;
}

/* Checks one frame of garbage: no crash (ASan), one counter, sane segment. */
static void garbage_one(int linktype, const uint8_t *data, size_t caplen, uint32_t wirelen,
			struct dissect_stats *total, int *insane)
{
	struct frame f = { linktype, data, (uint32_t)caplen, wirelen, 1, 0, 0 };
	struct tcp_segment s;
	enum dissect_result r = dissect_frame(&f, &s, total);

	if (r == DISSECT_TCP &&
	    (s.payload_caplen > s.payload_len ||
	     (s.payload_caplen && (s.payload < data ||
				   s.payload + s.payload_caplen > data + caplen))))
		(*insane)++;
}

static void test_garbage_frames(void)
{
	static const int types[] = { 0, 1, 12, 14, 101, 108, 113, 228, 229, 276 };
	static uint8_t buf[80];
	struct dissect_stats total;
	struct pkt good = { .n = 0 };
	uint32_t rnd = 12345;
	int insane = 0;
	uint64_t frames = 0;

	memset(&total, 0, sizeof(total));
	for (size_t t = 0; t < sizeof(types) / sizeof(types[0]); t++) {
		for (size_t len = 0; len <= sizeof(buf); len++) {
			/* Patterns: zeros, ones, IPv4/IPv6-looking, random. */
			for (int pat = 0; pat < 8; pat++) {
				for (size_t i = 0; i < len; i++) {
					rnd = rnd * 1103515245u + 12345u;
					buf[i] = pat == 0 ? 0 : pat == 1 ? 0xff
						: pat == 2 ? 0x45 : pat == 3 ? 0x60
						: (uint8_t)(rnd >> 16);
				}
				garbage_one(types[t], buf, len, (uint32_t)len, &total, &insane);
				garbage_one(types[t], buf, len, 0xffffffffu, &total, &insane);
				frames += 2;
			}
			/* A real frame for this link type, cut to every length. */
			good.n = 0;
			switch (types[t]) {
			case 0:
				null_le(&good, 2);
				break;
			case 1:
				eth(&good, 0x0800);
				break;
			case 108:
				put32(&good, 2);
				break;
			case 113:
				sll(&good, 0x0800);
				break;
			case 276:
				sll2(&good, 0x0800);
				break;
			default:
				break;
			}
			ip_tcp(&good, types[t] == 229, 20);
			garbage_one(types[t], good.b, len < good.n ? len : good.n, (uint32_t)good.n,
				    &total, &insane);
			frames++;
		}
	}
	CHECK_INT(insane, 0);
	CHECK_INT(total.frames, frames);
	CHECK_INT(counted(&total), frames);
	CHECK(total.tcp > 0 && total.not_tcp > 0);
}

int main(void)
{
	RUN(test_ethernet_ipv4_syn);
	RUN(test_ethernet_padding);
	RUN(test_snaplen_truncation);
	RUN(test_vlan_tags);
	RUN(test_ethernet_encapsulations);
	RUN(test_linux_cooked);
	RUN(test_bsd_loopback);
	RUN(test_raw_ip);
	RUN(test_linktypes);
	RUN(test_not_tcp);
	RUN(test_ipv4_options);
	RUN(test_ipv4_fragments);
	RUN(test_ipv4_tso_zero_length);
	RUN(test_ipv6_ext_headers);
	RUN(test_ipv6_fragments);
	RUN(test_ipv6_jumbo);
	RUN(test_ipv6_ext_limits);
	RUN(test_malformed_ip);
	RUN(test_malformed_tcp);
	RUN(test_tcp_flags);
	RUN(test_tcp_options);
	RUN(test_tcp_options_malformed);
	RUN(test_names);
	RUN(test_null_frame);
	RUN(test_garbage_frames);
	return check_done("test_dissect");
}
