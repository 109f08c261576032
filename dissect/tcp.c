/*
 * tcp.c - the TCP header and its options.
 *
 * The cursor arrives narrowed to the IP payload, so what remains after the
 * header is exactly the payload bytes present in the frame; the IP layer's
 * declared length gives the payload's true size.
 */
#include "config.h"

#include "dissect/layers.h"

enum {
	TCP_MIN_HDR = 20,
	TCP_OPT_EOL = 0,
	TCP_OPT_NOP = 1,
	TCP_OPT_MSS = 2,
	TCP_OPT_WSCALE = 3,
	TCP_OPT_SACK_PERM = 4,
	TCP_OPT_SACK = 5,
	TCP_OPT_TIMESTAMP = 8,
	TCP_OPTLEN_MSS = 4,
	TCP_OPTLEN_WSCALE = 3,
	TCP_OPTLEN_SACK_PERM = 2,
	TCP_OPTLEN_TIMESTAMP = 10,
	TCP_SACK_BLOCK_LEN = 8,
};

static enum dissect_result tcp_malformed(enum dissect_malformed *why,
					 enum dissect_malformed reason)
{
	*why = reason;
	return DISSECT_MALFORMED;
}

/* SACK blocks; a length that is not 2 + 8n with 1 <= n <= 4 is invalid. */
static bool tcp_opt_sack(struct cursor *val, uint8_t vlen, struct tcp_options *opt)
{
	size_t n = vlen / TCP_SACK_BLOCK_LEN;

	if (vlen == 0 || vlen % TCP_SACK_BLOCK_LEN || n > TCP_MAX_SACK_BLOCKS)
		return false;
	for (size_t i = 0; i < n; i++) {
		cursor_be32(val, &opt->sack[i].left);
		cursor_be32(val, &opt->sack[i].right);
	}
	opt->sack_count = (uint8_t)n;
	return true;
}

/*
 * One option whose kind/length framing is sound. A known kind with the wrong
 * length is recorded as bad but does not stop the walk: its length still tells
 * where the next option starts, which is what Linux's parser relies on too.
 */
static void tcp_opt_one(uint8_t kind, struct cursor val, uint8_t vlen,
			struct tcp_options *opt)
{
	switch (kind) {
	case TCP_OPT_MSS:
		if (vlen + 2 != TCP_OPTLEN_MSS)
			break;
		opt->has_mss = cursor_be16(&val, &opt->mss);
		return;
	case TCP_OPT_WSCALE:
		if (vlen + 2 != TCP_OPTLEN_WSCALE)
			break;
		opt->has_wscale = cursor_u8(&val, &opt->wscale);
		return;
	case TCP_OPT_SACK_PERM:
		if (vlen + 2 != TCP_OPTLEN_SACK_PERM)
			break;
		opt->sack_permitted = true;
		return;
	case TCP_OPT_SACK:
		if (!tcp_opt_sack(&val, vlen, opt))
			break;
		return;
	case TCP_OPT_TIMESTAMP:
		if (vlen + 2 != TCP_OPTLEN_TIMESTAMP)
			break;
		cursor_be32(&val, &opt->tsval);
		opt->has_timestamps = cursor_be32(&val, &opt->tsecr);
		return;
	default:
		/* MPTCP, TFO, MD5, AccECN, experiments: skipped by length. */
		return;
	}
	opt->bad = true;
}

/*
 * Walks the option area. A length below 2 or running past the header breaks
 * the framing: nothing after it can be trusted, so the walk stops there.
 */
static void tcp_opt_parse(struct cursor opts, struct tcp_options *opt)
{
	uint8_t kind, len;

	while (cursor_u8(&opts, &kind)) {
		struct cursor val;

		if (kind == TCP_OPT_EOL)
			return;
		if (kind == TCP_OPT_NOP)
			continue;
		if (!cursor_u8(&opts, &len) || len < 2 ||
		    !cursor_sub(&opts, (size_t)len - 2, &val)) {
			opt->bad = true;
			return;
		}
		tcp_opt_one(kind, val, (uint8_t)(len - 2), opt);
	}
}

enum dissect_result tcp_decode(struct cursor *c, uint32_t ip_payload_len,
			       struct tcp_segment *seg, enum dissect_malformed *why)
{
	struct cursor fixed, opts;
	uint8_t off, flags;
	size_t hlen;

	if (ip_payload_len < TCP_MIN_HDR)
		return tcp_malformed(why, MAL_TCP_HEADER_LENGTH);
	if (!cursor_sub(c, TCP_MIN_HDR, &fixed))
		return tcp_malformed(why, MAL_TCP_TRUNCATED);
	cursor_be16(&fixed, &seg->sport);
	cursor_be16(&fixed, &seg->dport);
	cursor_be32(&fixed, &seg->seq);
	cursor_be32(&fixed, &seg->ack);
	cursor_u8(&fixed, &off);
	cursor_u8(&fixed, &flags);
	cursor_be16(&fixed, &seg->window);
	cursor_skip(&fixed, 2);			/* checksum: often offloaded */
	cursor_be16(&fixed, &seg->urgent);

	/* The low bit of the data offset byte was NS (RFC 3540) and is AE now
	 * (AccECN); the three bits between stay reserved. */
	seg->flags = (uint16_t)(flags | ((off & 0x01) ? TH_AE : 0));
	hlen = (size_t)(off >> 4) * 4;
	if (hlen < TCP_MIN_HDR || hlen > ip_payload_len)
		return tcp_malformed(why, MAL_TCP_HEADER_LENGTH);
	if (!cursor_sub(c, hlen - TCP_MIN_HDR, &opts))
		return tcp_malformed(why, MAL_TCP_TRUNCATED);
	if (seg->sport == 0 || seg->dport == 0)
		return tcp_malformed(why, MAL_TCP_ZERO_PORT);

	tcp_opt_parse(opts, &seg->opt);

	seg->payload_len = ip_payload_len - (uint32_t)hlen;
	seg->payload = c->p;
	/* Never more than payload_len: the IP layer clamped the cursor. */
	seg->payload_caplen = (uint32_t)cursor_left(c);
	return DISSECT_TCP;
}
