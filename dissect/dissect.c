/*
 * dissect.c - one frame through the layers, and the counters that say what
 * became of it.
 *
 * Each layer consumes its header from one cursor over the captured bytes and
 * narrows it for the next; this file only chains them and keeps the books.
 */
#include "config.h"

#include <string.h>

#include "dissect/layers.h"

static const char *const dissect_malformed_names[MAL_COUNT] = {
	[MAL_LINK_TRUNCATED] = "link_truncated",
	[MAL_IP_TRUNCATED] = "ip_truncated",
	[MAL_IP_VERSION] = "ip_version",
	[MAL_IP_HEADER_LENGTH] = "ip_header_length",
	[MAL_IP_TOTAL_LENGTH] = "ip_total_length",
	[MAL_IPV6_EXT_HEADER] = "ipv6_ext_header",
	[MAL_TCP_TRUNCATED] = "tcp_truncated",
	[MAL_TCP_HEADER_LENGTH] = "tcp_header_length",
	[MAL_TCP_OPTIONS] = "tcp_options",
	[MAL_TCP_ZERO_PORT] = "tcp_zero_port",
};

const char *dissect_malformed_name(enum dissect_malformed m)
{
	if ((unsigned)m >= MAL_COUNT)
		return "unknown";
	return dissect_malformed_names[m];
}

bool dissect_linktype_supported(int linktype)
{
	return link_supported(linktype);
}

const char *dissect_linktype_description(int linktype)
{
	const char *d = link_description(linktype);

	return d ? d : "unsupported link type";
}

/*
 * Decodes the layers; on DISSECT_MALFORMED *why says which check failed. The
 * wire length, not the captured length, stands in for an IP length field of 0,
 * so that a TSO super-packet cut by the snap length keeps its true size.
 */
static enum dissect_result dissect_layers(const struct frame *f, struct tcp_segment *seg,
					  enum dissect_malformed *why)
{
	static const uint8_t dissect_empty[1];
	const uint8_t *data = f->data ? f->data : dissect_empty;
	uint32_t caplen = f->data ? f->caplen : 0;
	struct cursor c = cursor_make(data, caplen);
	size_t wire = f->wirelen > caplen ? f->wirelen : caplen;
	size_t link_len, wire_left;
	enum link_net net;
	struct ip_info ip;
	enum dissect_result r;

	r = link_decode(f->linktype, &c, &net, why);
	if (r != DISSECT_TCP)
		return r;
	link_len = (size_t)(c.p - data);
	wire_left = wire - link_len;	/* link_len <= caplen <= wire */

	r = ip_decode(&c, net, wire_left, &ip, why);
	if (r != DISSECT_TCP)
		return r;
	seg->src = ip.src;
	seg->dst = ip.dst;
	seg->ip_ttl = ip.ttl;
	seg->ip_df = ip.df;
	seg->ip_id = ip.id;

	r = tcp_decode(&c, ip.payload_len, seg, why);
	if (r != DISSECT_TCP)
		return r;
	seg->truncated = f->caplen < f->wirelen && seg->payload_caplen < seg->payload_len;
	return DISSECT_TCP;
}

enum dissect_result dissect_frame(const struct frame *f, struct tcp_segment *seg,
				  struct dissect_stats *stats)
{
	enum dissect_malformed why = MAL_COUNT;
	enum dissect_result r;

	memset(seg, 0, sizeof(*seg));
	seg->frame = f->number;
	seg->capture = f->capture;
	seg->ts_ns = f->ts_ns;

	r = dissect_layers(f, seg, &why);
	stats->frames++;
	switch (r) {
	case DISSECT_TCP:
		stats->tcp++;
		if (seg->opt.bad)
			stats->malformed[MAL_TCP_OPTIONS]++;
		if (seg->truncated)
			stats->truncated_tcp++;
		break;
	case DISSECT_NOT_TCP:
		stats->not_tcp++;
		break;
	case DISSECT_FRAGMENT:
		stats->fragments++;
		break;
	case DISSECT_UNSUPPORTED:
		stats->unsupported++;
		break;
	case DISSECT_MALFORMED:
		if ((unsigned)why < MAL_COUNT)
			stats->malformed[why]++;
		break;
	}
	return r;
}
