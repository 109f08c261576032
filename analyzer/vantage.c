/*
 * vantage.c - where a capture was taken, from one connection's handshake.
 *
 * A host answers its own packets within microseconds, while the remote side's
 * answers come a round trip later (kernel-signatures.md §0.3). So at the
 * client, SYN -> SYN-ACK takes an RTT and SYN-ACK -> ACK almost nothing; at the
 * server it is the other way round; on a tap in the middle both gaps are parts
 * of the RTT. A factor of 4 between the gaps separates the cases while leaving
 * room for delayed ACKs and scheduling noise.
 */
#include "config.h"

#include <string.h>
#include <sys/socket.h>

#include "analyzer/conn.h"

#define VANTAGE_RATIO 4

const char *vantage_name(enum vantage v)
{
	switch (v) {
	case VANTAGE_UNKNOWN:
		return "unknown";
	case VANTAGE_NEAR_CLIENT:
		return "near_client";
	case VANTAGE_NEAR_SERVER:
		return "near_server";
	case VANTAGE_MID_PATH:
		return "mid_path";
	case VANTAGE_SAME_HOST:
		return "same_host";
	case VANTAGE_MIXED:
		return "mixed";
	case VANTAGE_COUNT:
		break;
	}
	return "unknown";
}

/* 127.0.0.0/8, ::1, and 127/8 mapped into IPv6 (::ffff:127.x.y.z). */
static bool vantage_loopback(const struct ip_addr *a)
{
	static const uint8_t mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
	static const uint8_t one[16] = { [15] = 1 };

	if (a->family == AF_INET)
		return a->bytes[0] == 127;
	if (a->family != AF_INET6)
		return false;
	if (memcmp(a->bytes, one, sizeof(one)) == 0)
		return true;
	return memcmp(a->bytes, mapped, sizeof(mapped)) == 0 && a->bytes[12] == 127;
}

static bool vantage_same_host(const struct tcp_conn *c)
{
	const struct ip_addr *ca = &c->ep[CLIENT].addr, *sa = &c->ep[SERVER].addr;

	if (ca->family == sa->family && memcmp(ca->bytes, sa->bytes, sizeof(ca->bytes)) == 0)
		return true;
	return vantage_loopback(ca) && vantage_loopback(sa);
}

/*
 * Both gaps zero means the clock resolution hid the RTT: no verdict rather
 * than a guess. A negative gap (frames out of time order) is no verdict either.
 */
enum vantage vantage_infer(const struct tcp_conn *c)
{
	int64_t d1, d2;

	if (vantage_same_host(c))
		return VANTAGE_SAME_HOST;
	if (!c->syn_ts_ns || !c->synack_ts_ns || !c->hs_ack_ts_ns)
		return VANTAGE_UNKNOWN;
	d1 = c->synack_ts_ns - c->syn_ts_ns;
	d2 = c->hs_ack_ts_ns - c->synack_ts_ns;
	if (d1 < 0 || d2 < 0 || (d1 == 0 && d2 == 0))
		return VANTAGE_UNKNOWN;
	if (d1 >= VANTAGE_RATIO * d2)
		return VANTAGE_NEAR_CLIENT;
	if (d2 >= VANTAGE_RATIO * d1)
		return VANTAGE_NEAR_SERVER;
	return VANTAGE_MID_PATH;
}
