/*
 * gencap.c - deterministic synthetic TCP capture for the benchmark.
 *
 * Writes a classic little-endian pcap (microseconds, Ethernet) of many short
 * Linux-like TCP connections, a fixed number of them open at once, seen from
 * the server side. The same options always give the same bytes, so anyone can
 * rerun the benchmark on the same input without shipping a large file.
 *
 * Each connection: SYN / SYN-ACK / ACK with Linux's option layout, a request,
 * the server's ACK, a response of a few MSS-sized segments, the client's
 * delayed ACKs, a keep-alive idle, then the server's FIN, the client's FIN and
 * the last ACK. Every 50th connection loses its last response segment after
 * the capture point, so the server retransmits it on RTO; every 200th is reset
 * by the client instead of closed.
 *
 * Connections live in "slots" (as many as are open at once); a small binary
 * heap orders the slots by the time of their next packet, so the file is in
 * time order however the connections interleave. Nothing is allocated per
 * packet: each frame is built in one reusable buffer and the payload comes
 * from a constant pattern whose checksum is precomputed.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SNAPLEN		262144u
#define LINKTYPE_ETHERNET 1u

#define MSS		1460u
#define SEG_PAYLOAD	(MSS - 12u)	/* TCP timestamps take 12 bytes of each segment */
#define MAX_REQUEST	640u
#define MAX_SEGS	7u

#define ETH_LEN		14u
#define IP_LEN		20u
#define TCP_LEN		20u
#define HDR_MAX		(ETH_LEN + IP_LEN + TCP_LEN + 40u)

/* Start of the capture: 2024-01-01T00:00:00Z, fixed for reproducibility. */
#define EPOCH_US	(UINT64_C(1704067200) * 1000000u)

#define TH_FIN		0x01u
#define TH_SYN		0x02u
#define TH_RST		0x04u
#define TH_PSH		0x08u
#define TH_ACK		0x10u

enum dir {
	C2S,
	S2C
};

/* One packet of a connection's script, fully decided when the connection
 * starts: the writer only has to fill in headers. */
struct step {
	uint64_t t_us;		/* absolute capture time */
	uint32_t seq;
	uint32_t ack;
	uint16_t len;		/* TCP payload bytes */
	uint8_t dir;		/* enum dir */
	uint8_t flags;
};

/* At most: 3 handshake + request + ACK + 7 segments + 1 retransmission +
 * 5 client ACKs + 3 closing = 21. */
#define MAX_STEPS	24

struct slot {
	struct step steps[MAX_STEPS];
	unsigned nsteps;
	unsigned next;		/* index of the next step to write */
	uint64_t conn;		/* connection number, for addresses and options */
	uint32_t cip, sip;
	uint16_t cport, sport;
	uint16_t ipid[2];	/* per direction, like a Linux socket's counter */
	uint32_t ts_off[2];	/* per-connection TSval offsets (Linux randomises them) */
	uint32_t ts_last[2];	/* last TSval sent per direction, echoed by the peer */
	uint8_t ttl[2];
	uint16_t win[2];	/* scaled window after the handshake */
};

struct gen {
	FILE *out;
	uint64_t nconns;	/* total to write */
	uint64_t started;	/* connections handed to slots so far */
	uint32_t nslots;
	uint64_t hold_us;	/* mean keep-alive idle before the close */
	struct slot *slots;
	uint32_t *heap;		/* slot indexes, earliest next packet first */
	uint32_t heap_len;
	uint64_t frames;
	uint64_t bytes;
	uint64_t first_us, last_us;
	uint32_t pattern_sum[SEG_PAYLOAD + 1];	/* ones'-complement prefix sums */
	uint8_t pattern[SEG_PAYLOAD];
	uint8_t frame[16 + HDR_MAX];	/* record header + frame headers */
};

/* Server ports: none of them is bound to an application dissector in
 * Wireshark, so tshark does the same job as tcpautopsy (Ethernet, IPv4, TCP). */
static const uint16_t server_ports[] = { 8000, 8001, 8443, 9001 };

/* splitmix64's finaliser: a cheap, well-mixed hash of a counter, so every
 * "random" choice is a pure function of the connection number. */
static uint64_t mix64(uint64_t x)
{
	x += UINT64_C(0x9e3779b97f4a7c15);
	x = (x ^ (x >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	x = (x ^ (x >> 27)) * UINT64_C(0x94d049bb133111eb);
	return x ^ (x >> 31);
}

static void put_le16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static void put_be16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* Ones'-complement sum of big-endian 16-bit words, not yet folded. len must
 * be even except for the last chunk of a checksum. */
static uint32_t sum16(const uint8_t *p, size_t len, uint32_t sum)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	return sum;
}

static uint16_t fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffffu) + (sum >> 16);
	return (uint16_t)~sum;
}

/* --- the slot heap --------------------------------------------------------- */

static uint64_t slot_time(const struct gen *g, uint32_t s)
{
	const struct slot *sl = &g->slots[s];

	return sl->steps[sl->next].t_us;
}

/* Ties break on the slot number so the output never depends on heap history
 * in a way that could change between builds. */
static int heap_less(const struct gen *g, uint32_t a, uint32_t b)
{
	uint64_t ta = slot_time(g, a), tb = slot_time(g, b);

	return ta < tb || (ta == tb && a < b);
}

static void heap_down(struct gen *g, uint32_t i)
{
	for (;;) {
		uint32_t l = 2 * i + 1, r = l + 1, m = i, tmp;

		if (l < g->heap_len && heap_less(g, g->heap[l], g->heap[m]))
			m = l;
		if (r < g->heap_len && heap_less(g, g->heap[r], g->heap[m]))
			m = r;
		if (m == i)
			return;
		tmp = g->heap[i];
		g->heap[i] = g->heap[m];
		g->heap[m] = tmp;
		i = m;
	}
}

static void heap_up(struct gen *g, uint32_t i)
{
	while (i > 0) {
		uint32_t p = (i - 1) / 2, tmp;

		if (!heap_less(g, g->heap[i], g->heap[p]))
			return;
		tmp = g->heap[i];
		g->heap[i] = g->heap[p];
		g->heap[p] = tmp;
		i = p;
	}
}

/* --- building one connection's script ------------------------------------- */

static struct step *add_step(struct slot *sl, uint64_t t, enum dir d, uint8_t flags,
			     uint32_t seq, uint32_t ack, uint16_t len)
{
	struct step *st = &sl->steps[sl->nsteps++];

	st->t_us = t;
	st->dir = (uint8_t)d;
	st->flags = flags;
	st->seq = seq;
	st->ack = ack;
	st->len = len;
	return st;
}

/* Client n's ephemeral port. Linux hands out 32768-60999; the few ports there
 * that Wireshark maps to an application protocol are skipped (as if they were
 * in ip_local_reserved_ports) so tshark never parses our filler as, say,
 * EtherNet/IP and both tools dissect exactly the same layers. */
static uint16_t client_port(uint64_t n)
{
	static const uint16_t reserved[] = { 34980, 44321, 44322, 44818, 48049, 48898, 57000 };
	uint32_t range = 60999 - 32768 + 1 - (uint32_t)(sizeof(reserved) / sizeof(reserved[0]));
	uint32_t port = 32768 + (uint32_t)(n % range);
	size_t i;

	/* Reserved ports are sorted: each one at or below the candidate pushes
	 * it up by one. */
	for (i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++)
		if (port >= reserved[i])
			port++;
	return (uint16_t)port;
}

/*
 * Scripts connection n, starting at t0, into sl. Times are in microseconds as
 * seen at the server: its own packets leave a few microseconds after what
 * triggered them, the client's answers come one RTT after the server's packet.
 */
static void script_conn(const struct gen *g, struct slot *sl, uint64_t n, uint64_t t0)
{
	uint64_t h = mix64(n), h2 = mix64(h);
	uint32_t rtt = 300 + (uint32_t)(h % 400);		/* 0.3 - 0.7 ms */
	uint32_t req = 180 + (uint32_t)((h >> 10) % (MAX_REQUEST - 180));
	uint32_t nsegs = 3 + (uint32_t)((h >> 20) % (MAX_SEGS - 2));
	uint32_t tail = 200 + (uint32_t)((h >> 28) % (SEG_PAYLOAD - 200));
	uint32_t app = 200 + (uint32_t)((h >> 40) % 3000);	/* server think time */
	uint64_t hold = g->hold_us / 2 + h2 % (g->hold_us + 1);
	int lost = n % 50 == 49, reset = n % 200 == 199;
	uint32_t ci = 1 + (uint32_t)((n / 2) % 254);
	uint32_t cisn = (uint32_t)h2, sisn = (uint32_t)(h2 >> 32);
	uint32_t c_nxt, s_nxt, s_base, acked = 0, i;
	uint64_t t, t_seg[MAX_SEGS], t_last = 0;

	sl->conn = n;
	sl->nsteps = 0;
	sl->next = 0;
	/* Alternate the two client networks, walk the hosts, then the ports. */
	sl->cip = (n & 1) ? 0xcb007100u | ci : 0xc6336400u | ci;	/* 203.0.113.x / 198.51.100.x */
	sl->cport = client_port(n / 508);
	sl->sip = 0xc0000201u + (uint32_t)((h >> 44) % 8);			/* 192.0.2.1-8 */
	sl->sport = server_ports[(h >> 50) % (sizeof(server_ports) / sizeof(server_ports[0]))];
	sl->ipid[C2S] = (uint16_t)(h2 >> 16);
	sl->ipid[S2C] = (uint16_t)(h2 >> 48);
	sl->ts_off[C2S] = (uint32_t)mix64(h2);
	sl->ts_off[S2C] = (uint32_t)mix64(h2 ^ 0x5a5a);
	sl->ts_last[C2S] = sl->ts_last[S2C] = 0;
	sl->ttl[C2S] = (uint8_t)(64 - 6 - (h >> 56) % 10);	/* a few hops away */
	sl->ttl[S2C] = 64;
	sl->win[C2S] = 502;	/* 64256 >> 7 */
	sl->win[S2C] = 509;	/* 65152 >> 7 */

	/* Handshake. */
	add_step(sl, t0, C2S, TH_SYN, cisn, 0, 0);
	t = t0 + 15;
	add_step(sl, t, S2C, TH_SYN | TH_ACK, sisn, cisn + 1, 0);
	t += rtt;
	c_nxt = cisn + 1;
	s_nxt = sisn + 1;
	add_step(sl, t, C2S, TH_ACK, c_nxt, s_nxt, 0);

	/* Request, and the server's immediate ACK (quick-ack mode early on). */
	t += 40;
	add_step(sl, t, C2S, TH_PSH | TH_ACK, c_nxt, s_nxt, (uint16_t)req);
	c_nxt += req;
	add_step(sl, t + 20, S2C, TH_ACK, s_nxt, c_nxt, 0);

	/* Response: one initial-window flight, ~1 Gb/s on the wire. */
	t += app;
	s_base = s_nxt;
	for (i = 0; i < nsegs; i++) {
		uint32_t len = i + 1 < nsegs ? SEG_PAYLOAD : tail;

		t_seg[i] = t;
		/* The lost tail segment is still captured: the loss is
		 * downstream of the server. */
		add_step(sl, t, S2C, i + 1 < nsegs ? TH_ACK : TH_PSH | TH_ACK,
			 s_nxt, c_nxt, (uint16_t)len);
		s_nxt += len;
		t += 12;
	}

	/*
	 * The client ACKs every second segment and the odd last one. The ACKs
	 * are added after the flight because they arrive one RTT later, which
	 * is after the whole flight left; the scripts must stay in time order.
	 */
	for (i = 1; i <= nsegs; i++) {
		uint32_t upto;

		if (i % 2 && i != nsegs)
			continue;
		if (lost && i == nsegs) {
			/* The last segment never arrives: ACK what did,
			 * unless that was already ACKed. */
			if (i - 1 == 0 || acked == s_base + (i - 1) * SEG_PAYLOAD)
				break;
			upto = s_base + (i - 1) * SEG_PAYLOAD;
			add_step(sl, t_seg[i - 2] + rtt, C2S, TH_ACK, c_nxt, upto, 0);
			acked = upto;
			break;
		}
		upto = i == nsegs ? s_nxt : s_base + i * SEG_PAYLOAD;
		t_last = t_seg[i - 1] + rtt;
		add_step(sl, t_last, C2S, TH_ACK, c_nxt, upto, 0);
		acked = upto;
	}
	if (lost) {
		/* Linux's minimum RTO is 200 ms plus the RTT estimate. */
		t = t_seg[nsegs - 1] + 200000 + 2 * rtt;
		add_step(sl, t, S2C, TH_PSH | TH_ACK, s_nxt - tail, c_nxt, (uint16_t)tail);
		t_last = t + rtt;
		add_step(sl, t_last, C2S, TH_ACK, c_nxt, s_nxt, 0);
	}

	/* Keep-alive idle, then the server closes (or the client aborts). */
	t = t_last + hold;
	if (reset) {
		add_step(sl, t, C2S, TH_RST | TH_ACK, c_nxt, s_nxt, 0);
		return;
	}
	add_step(sl, t, S2C, TH_FIN | TH_ACK, s_nxt, c_nxt, 0);
	s_nxt++;
	t += rtt;
	add_step(sl, t, C2S, TH_FIN | TH_ACK, c_nxt, s_nxt, 0);
	c_nxt++;
	add_step(sl, t + 15, S2C, TH_ACK, s_nxt, c_nxt, 0);
}

/* --- writing frames ----------------------------------------------------- */

static int write_global_header(FILE *out)
{
	uint8_t h[24];

	put_le32(h, 0xa1b2c3d4u);	/* microsecond pcap, written little-endian */
	put_le16(h + 4, 2);
	put_le16(h + 6, 4);
	put_le32(h + 8, 0);		/* thiszone */
	put_le32(h + 12, 0);		/* sigfigs */
	put_le32(h + 16, SNAPLEN);
	put_le32(h + 20, LINKTYPE_ETHERNET);
	return fwrite(h, sizeof(h), 1, out) == 1 ? 0 : -1;
}

/* Builds and writes the slot's next step. Returns -1 on a write error. */
static int write_step(struct gen *g, struct slot *sl)
{
	/* Locally administered: the server's NIC and its gateway router. */
	static const uint8_t server_mac[6] = { 0x02, 0x00, 0x5e, 0x20, 0x00, 0x02 };
	static const uint8_t router_mac[6] = { 0x02, 0x00, 0x5e, 0x10, 0x00, 0x01 };
	const struct step *st = &sl->steps[sl->next];
	enum dir d = (enum dir)st->dir;
	uint8_t *rec = g->frame, *eth = rec + 16, *ip = eth + ETH_LEN, *tcp = ip + IP_LEN;
	uint8_t *opt = tcp + TCP_LEN;
	uint32_t optlen, tsval, tsecr, ms, hdrlen, caplen, sum;
	uint32_t src = d == C2S ? sl->cip : sl->sip, dst = d == C2S ? sl->sip : sl->cip;
	uint64_t rel = st->t_us - EPOCH_US;

	/* Linux ticks TCP timestamps in milliseconds. */
	ms = (uint32_t)(rel / 1000);
	tsval = sl->ts_off[d] + ms;
	tsecr = st->flags == TH_SYN ? 0 : sl->ts_last[!d];
	sl->ts_last[d] = tsval;

	/* Options in the order Linux sends them. */
	if (st->flags & TH_SYN) {
		opt[0] = 2;
		opt[1] = 4;
		put_be16(opt + 2, MSS);
		opt[4] = 4;	/* SACK permitted */
		opt[5] = 2;
		opt[6] = 8;	/* timestamps */
		opt[7] = 10;
		put_be32(opt + 8, tsval);
		put_be32(opt + 12, tsecr);
		opt[16] = 1;	/* NOP */
		opt[17] = 3;	/* window scale 7 */
		opt[18] = 3;
		opt[19] = 7;
		optlen = 20;
	} else {
		opt[0] = 1;
		opt[1] = 1;
		opt[2] = 8;
		opt[3] = 10;
		put_be32(opt + 4, tsval);
		put_be32(opt + 8, tsecr);
		optlen = 12;
	}

	/* Ethernet. */
	memcpy(eth, d == C2S ? server_mac : router_mac, 6);
	memcpy(eth + 6, d == C2S ? router_mac : server_mac, 6);
	put_be16(eth + 12, 0x0800);

	/* IPv4, DF, with its header checksum. */
	ip[0] = 0x45;
	ip[1] = 0;
	put_be16(ip + 2, (uint16_t)(IP_LEN + TCP_LEN + optlen + st->len));
	put_be16(ip + 4, sl->ipid[d]++);
	put_be16(ip + 6, 0x4000);
	ip[8] = sl->ttl[d];
	ip[9] = 6;
	put_be16(ip + 10, 0);
	put_be32(ip + 12, src);
	put_be32(ip + 16, dst);
	put_be16(ip + 10, fold(sum16(ip, IP_LEN, 0)));

	/* TCP. */
	put_be16(tcp, d == C2S ? sl->cport : sl->sport);
	put_be16(tcp + 2, d == C2S ? sl->sport : sl->cport);
	put_be32(tcp + 4, st->seq);
	put_be32(tcp + 8, st->flags & TH_ACK ? st->ack : 0);
	tcp[12] = (uint8_t)(((TCP_LEN + optlen) / 4) << 4);
	tcp[13] = st->flags;
	/* Windows in SYNs are never scaled. */
	put_be16(tcp + 14, st->flags & TH_SYN ? (d == C2S ? 64240 : 65160) : sl->win[d]);
	put_be16(tcp + 16, 0);
	put_be16(tcp + 18, 0);
	/* Pseudo-header + header + the precomputed payload sum: the header is
	 * a multiple of 4 bytes, so the payload starts on an even offset. */
	sum = (src >> 16) + (src & 0xffff) + (dst >> 16) + (dst & 0xffff);
	sum += 6 + TCP_LEN + optlen + st->len;
	sum = sum16(tcp, TCP_LEN + optlen, sum);
	sum += g->pattern_sum[st->len];
	put_be16(tcp + 16, fold(sum));

	/* Record header. */
	hdrlen = ETH_LEN + IP_LEN + TCP_LEN + optlen;
	caplen = hdrlen + st->len;
	put_le32(rec, (uint32_t)(st->t_us / 1000000));
	put_le32(rec + 4, (uint32_t)(st->t_us % 1000000));
	put_le32(rec + 8, caplen);
	put_le32(rec + 12, caplen);

	if (fwrite(rec, 16 + hdrlen, 1, g->out) != 1)
		return -1;
	if (st->len && fwrite(g->pattern, st->len, 1, g->out) != 1)
		return -1;
	g->frames++;
	g->bytes += 16 + caplen;
	if (g->frames == 1)
		g->first_us = st->t_us;
	g->last_us = st->t_us;
	sl->next++;
	return 0;
}

/* The fixed payload, and the ones'-complement sum of every prefix of it, so a
 * segment's checksum costs nothing per payload byte (every segment's payload
 * is a prefix of the pattern). */
static void init_pattern(struct gen *g)
{
	uint32_t i;

	for (i = 0; i < SEG_PAYLOAD; i++)
		g->pattern[i] = (uint8_t)(0x20 + (i * 7 + i / 95) % 95);
	g->pattern_sum[0] = 0;
	for (i = 1; i <= SEG_PAYLOAD; i++) {
		/* An odd length pads its last byte with zero on the right. */
		uint32_t w = (i & 1) ? (uint32_t)g->pattern[i - 1] << 8 : g->pattern[i - 1];

		g->pattern_sum[i] = g->pattern_sum[i - 1] + w;
	}
}

/* Hands the next connection to slot s, starting no earlier than t, or takes
 * the slot out of the heap when all connections have been started. Slot s is
 * always the heap's top: only the earliest slot ever finishes a script. */
static void refill(struct gen *g, uint32_t s, uint64_t t)
{
	if (g->started == g->nconns) {
		g->heap[0] = g->heap[--g->heap_len];
		heap_down(g, 0);
		return;
	}
	script_conn(g, &g->slots[s], g->started++, t);
	heap_down(g, 0);
}

static int generate(struct gen *g)
{
	uint64_t lifetime, t;
	uint32_t i;

	if (write_global_header(g->out))
		return -1;
	/*
	 * Stagger the first connections over one mean lifetime so arrivals are
	 * spread evenly from the start instead of in a burst.
	 */
	lifetime = g->hold_us + 5000;
	for (i = 0; i < g->nslots && g->started < g->nconns; i++) {
		t = EPOCH_US + lifetime * i / g->nslots;
		script_conn(g, &g->slots[i], g->started++, t);
		g->heap[g->heap_len] = i;
		heap_up(g, g->heap_len++);
	}
	while (g->heap_len) {
		uint32_t s = g->heap[0];
		struct slot *sl = &g->slots[s];

		if (write_step(g, sl))
			return -1;
		if (sl->next < sl->nsteps) {
			heap_down(g, 0);
			continue;
		}
		/* The slot's client comes back after a short pause. */
		t = sl->steps[sl->nsteps - 1].t_us + 1000 + mix64(~sl->conn) % 50000;
		refill(g, s, t);
	}
	return 0;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: gencap [-n CONNECTIONS] [-c OPEN_AT_ONCE] [-k HOLD_MS] [-o FILE]\n"
		"  -n  connections to write (default 20000)\n"
		"  -c  connections open at once, interleaved (default 200)\n"
		"  -k  mean keep-alive idle before the close, ms (default 12000)\n"
		"  -o  output file, '-' for stdout (default)\n"
		"Writes a deterministic pcap; prints frames and bytes to stderr.\n");
}

static int parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *v)
{
	char *end;
	unsigned long long x;

	errno = 0;
	x = strtoull(s, &end, 10);
	if (errno || end == s || *end || *s == '-' || x < min || x > max)
		return -1;
	*v = x;
	return 0;
}

int main(int argc, char **argv)
{
	static struct gen g;
	static char iobuf[1 << 20];
	const char *path = "-";
	uint64_t n = 20000, open = 200, hold_ms = 12000;
	int c, rc;

	while ((c = getopt(argc, argv, "n:c:k:o:h")) != -1) {
		switch (c) {
		case 'n':
			if (parse_u64(optarg, 0, UINT64_C(1) << 40, &n))
				goto bad;
			break;
		case 'c':
			if (parse_u64(optarg, 1, 1000000, &open))
				goto bad;
			break;
		case 'k':
			if (parse_u64(optarg, 0, 86400000, &hold_ms))
				goto bad;
			break;
		case 'o':
			path = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc)
		goto bad_usage;

	g.nconns = n;
	g.nslots = (uint32_t)open;
	g.hold_us = hold_ms * 1000;
	g.slots = calloc(open, sizeof(*g.slots));
	g.heap = calloc(open, sizeof(*g.heap));
	if (!g.slots || !g.heap) {
		fprintf(stderr, "gencap: out of memory\n");
		return 1;
	}
	init_pattern(&g);

	if (strcmp(path, "-") == 0) {
		if (isatty(STDOUT_FILENO)) {
			fprintf(stderr, "gencap: refusing to write a capture to a terminal (use -o)\n");
			return 2;
		}
		g.out = stdout;
	} else {
		g.out = fopen(path, "wb");
		if (!g.out) {
			fprintf(stderr, "gencap: %s: %s\n", path, strerror(errno));
			return 1;
		}
	}
	/* Large writes: one syscall per MiB instead of per stdio buffer. */
	setvbuf(g.out, iobuf, _IOFBF, sizeof(iobuf));

	rc = generate(&g);
	if (fflush(g.out) || rc || ferror(g.out)) {
		fprintf(stderr, "gencap: %s: write error: %s\n", path, strerror(errno));
		return 1;
	}
	if (g.out != stdout && fclose(g.out)) {
		fprintf(stderr, "gencap: %s: %s\n", path, strerror(errno));
		return 1;
	}
	fprintf(stderr, "gencap: connections=%" PRIu64 " frames=%" PRIu64 " bytes=%" PRIu64
		" duration_s=%.3f\n", n, g.frames, g.bytes + 24,
		g.frames ? (double)(g.last_us - g.first_us) / 1e6 : 0.0);
	free(g.slots);
	free(g.heap);
	return 0;

bad:
	fprintf(stderr, "gencap: bad value for -%c: %s\n", c, optarg);
	return 2;
bad_usage:
	usage(stderr);
	return 2;
}
