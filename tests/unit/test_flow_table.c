/*
 * test_flow_table.c - the flow table: lookup from both directions, IPv4/IPv6
 * keys, incarnations, pool reuse with flat memory, the two activity lists, the
 * cap, and probe chains surviving many deletions.
 */
#include "config.h"

#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#include "analyzer/flow_table.h"
#include "tests/unit/check.h"

static struct ip_addr test_v4(uint32_t a)
{
	struct ip_addr ip;

	memset(&ip, 0, sizeof(ip));
	ip.family = AF_INET;
	ip.bytes[0] = (uint8_t)(a >> 24);
	ip.bytes[1] = (uint8_t)(a >> 16);
	ip.bytes[2] = (uint8_t)(a >> 8);
	ip.bytes[3] = (uint8_t)a;
	return ip;
}

/* An IPv6 address whose first four bytes are `a` and the rest zero: the same
 * bytes as test_v4(a), so only the family tells them apart. */
static struct ip_addr test_v6(uint32_t a, uint8_t last)
{
	struct ip_addr ip = test_v4(a);

	ip.family = AF_INET6;
	ip.bytes[15] = last;
	return ip;
}

static struct tcp_segment test_seg(struct ip_addr src, uint16_t sport, struct ip_addr dst,
				   uint16_t dport)
{
	struct tcp_segment s;

	memset(&s, 0, sizeof(s));
	s.src = src;
	s.sport = sport;
	s.dst = dst;
	s.dport = dport;
	return s;
}

static struct tcp_segment test_reverse(const struct tcp_segment *s)
{
	return test_seg(s->dst, s->dport, s->src, s->sport);
}

/* Key number n: distinct for every n < 2^32. */
static struct tcp_segment test_key(uint32_t n)
{
	return test_seg(test_v4(0x0a000000u | (n >> 16)), (uint16_t)(1024 + (n & 0xffff)),
			test_v4(0xc0000202u), 80);
}

static void test_both_directions(void)
{
	struct flow_table *t = flow_table_new(16);
	struct tcp_segment s = test_seg(test_v4(0x0a000001), 40000, test_v4(0x0a000002), 80);
	struct tcp_segment r = test_reverse(&s);
	struct tcp_conn *c;

	CHECK(t != NULL);
	CHECK(flow_table_find(t, &s) == NULL);
	c = flow_table_insert(t, &s);
	CHECK(c != NULL);
	CHECK(flow_table_find(t, &s) == c);
	CHECK(flow_table_find(t, &r) == c);
	CHECK_INT(flow_table_count(t), 1);

	/* Same addresses, other ports: another tuple. */
	r.sport = 81;
	CHECK(flow_table_find(t, &r) == NULL);
	/* Ports swapped between the addresses: another tuple too. */
	r = test_seg(test_v4(0x0a000001), 80, test_v4(0x0a000002), 40000);
	CHECK(flow_table_find(t, &r) == NULL);
	flow_table_free(t);
}

static void test_families(void)
{
	struct flow_table *t = flow_table_new(16);
	struct tcp_segment s4 = test_seg(test_v4(0x0a000001), 1000, test_v4(0x0a000002), 80);
	struct tcp_segment s6 = test_seg(test_v6(0x0a000001, 0), 1000, test_v6(0x0a000002, 0), 80);
	struct tcp_segment s6b = test_seg(test_v6(0x0a000001, 1), 1000, test_v6(0x0a000001, 2), 80);
	struct tcp_conn *c4, *c6, *c6b;

	c4 = flow_table_insert(t, &s4);
	CHECK(flow_table_find(t, &s6) == NULL);
	c6 = flow_table_insert(t, &s6);
	c6b = flow_table_insert(t, &s6b);
	CHECK(c4 && c6 && c6b && c4 != c6 && c6 != c6b);
	CHECK(flow_table_find(t, &s4) == c4);
	struct tcp_segment r6 = test_reverse(&s6);
	struct tcp_segment r6b = test_reverse(&s6b);
	CHECK(flow_table_find(t, &r6) == c6);
	CHECK(flow_table_find(t, &r6b) == c6b);
	CHECK_INT(flow_table_count(t), 3);
	flow_table_remove(t, c4);
	CHECK(flow_table_find(t, &s4) == NULL);
	CHECK(flow_table_find(t, &s6) == c6);
	flow_table_free(t);
}

static void test_incarnations(void)
{
	struct flow_table *t = flow_table_new(16);
	struct tcp_segment s = test_seg(test_v4(0x0a000001), 5555, test_v4(0x0a000002), 80);
	struct tcp_segment r = test_reverse(&s);
	struct tcp_conn *a, *b, *c;

	a = flow_table_insert(t, &s);
	a->id = 1;
	b = flow_table_insert(t, &r);
	b->id = 2;
	CHECK(a && b && a != b);
	CHECK(flow_table_find(t, &s) == b);
	CHECK(b->links.older == a);
	CHECK(a->links.older == NULL);
	CHECK_INT(flow_table_count(t), 2);

	/* Removing the newest one brings the older back as the tuple's record. */
	flow_table_remove(t, b);
	CHECK(flow_table_find(t, &s) == a);
	CHECK(a->links.older == NULL);
	CHECK_INT(a->id, 1);

	/* Removing the older one leaves the newest alone. */
	b = flow_table_insert(t, &s);
	CHECK(b->links.older == a);
	flow_table_remove(t, a);
	CHECK(flow_table_find(t, &r) == b);
	CHECK(b->links.older == NULL);

	/* Three deep: remove the middle one, then the newest. */
	a = b;
	b = flow_table_insert(t, &s);
	c = flow_table_insert(t, &s);
	CHECK(c->links.older == b && b->links.older == a);
	flow_table_remove(t, b);
	CHECK(c->links.older == a);
	CHECK(flow_table_find(t, &s) == c);
	flow_table_remove(t, c);
	CHECK(flow_table_find(t, &s) == a);
	flow_table_remove(t, a);
	CHECK(flow_table_find(t, &s) == NULL);
	CHECK_INT(flow_table_count(t), 0);
	flow_table_free(t);
}

/* A steady 1,000 live connections, one opened and one closed per step. */
static void test_pool_reuse(void)
{
	enum { LIVE = 1000, CYCLES = 1000000 };
	static struct tcp_conn *ring[LIVE];
	struct flow_table *t = flow_table_new(4096);
	size_t warm = 0;
	int lost = 0;

	for (uint32_t n = 0; n < LIVE; n++) {
		struct tcp_segment s = test_key(n);

		ring[n] = flow_table_insert(t, &s);
		ring[n]->id = n;
	}
	for (uint32_t n = LIVE; n < LIVE + CYCLES; n++) {
		struct tcp_segment s = test_key(n);
		struct tcp_conn *c = ring[n % LIVE];

		CHECK(flow_table_oldest(t, FLOW_OPEN) == c);
		flow_table_remove(t, c);
		c = flow_table_insert(t, &s);
		if (!c) {
			lost++;
			break;
		}
		c->id = n;
		ring[n % LIVE] = c;
		if (n == 2 * LIVE)
			warm = flow_table_bytes(t);
	}
	CHECK_INT(lost, 0);
	CHECK_INT(flow_table_count(t), LIVE);
	CHECK_INT(flow_table_bytes(t), warm);
	/* Memory follows the 1,000 live records, not the 4,096 cap. */
	CHECK(flow_table_bytes(t) < 2 * LIVE * sizeof(struct tcp_conn) + 65536);
	for (uint32_t i = 0; i < LIVE; i++) {
		struct tcp_segment s = test_key(CYCLES + i);

		CHECK(flow_table_find(t, &s) == ring[(CYCLES + i) % LIVE]);
	}
	flow_table_free(t);
}

static void test_lists(void)
{
	struct flow_table *t = flow_table_new(16);
	struct tcp_segment s[4];
	struct tcp_conn *c[4];

	for (int i = 0; i < 4; i++) {
		s[i] = test_key((uint32_t)i);
		c[i] = flow_table_insert(t, &s[i]);
	}
	CHECK(flow_table_oldest(t, FLOW_OPEN) == c[0]);
	CHECK(flow_table_oldest(t, FLOW_CLOSING) == NULL);
	CHECK(flow_table_newer(c[0]) == c[1]);
	CHECK(flow_table_newer(c[3]) == NULL);

	flow_table_touch(t, c[0]);
	CHECK(flow_table_oldest(t, FLOW_OPEN) == c[1]);
	CHECK(flow_table_newer(c[3]) == c[0]);

	/* Closing moves a record to the other list, newest there. */
	c[2]->closing = true;
	flow_table_touch(t, c[2]);
	c[1]->closing = true;
	flow_table_touch(t, c[1]);
	CHECK(flow_table_oldest(t, FLOW_CLOSING) == c[2]);
	CHECK(flow_table_newer(c[2]) == c[1]);
	CHECK(flow_table_newer(c[1]) == NULL);
	CHECK(flow_table_oldest(t, FLOW_OPEN) == c[3]);
	CHECK(flow_table_newer(c[3]) == c[0]);
	CHECK(flow_table_newer(c[0]) == NULL);

	flow_table_touch(t, c[2]);
	CHECK(flow_table_oldest(t, FLOW_CLOSING) == c[1]);

	/* Removal unlinks from whichever list holds the record. */
	flow_table_remove(t, c[1]);
	CHECK(flow_table_oldest(t, FLOW_CLOSING) == c[2]);
	flow_table_remove(t, c[2]);
	CHECK(flow_table_oldest(t, FLOW_CLOSING) == NULL);
	flow_table_remove(t, c[3]);
	CHECK(flow_table_oldest(t, FLOW_OPEN) == c[0]);
	flow_table_remove(t, c[0]);
	CHECK(flow_table_oldest(t, FLOW_OPEN) == NULL);

	/* An older incarnation is on the lists like any record. */
	struct tcp_conn *a = flow_table_insert(t, &s[0]);
	struct tcp_conn *b = flow_table_insert(t, &s[0]);
	CHECK(flow_table_oldest(t, FLOW_OPEN) == a);
	CHECK(flow_table_newer(a) == b);
	flow_table_free(t);
}

static void test_cap(void)
{
	struct flow_table *t = flow_table_new(10);
	struct tcp_segment s;
	struct tcp_conn *first = NULL;
	int made = 0;

	CHECK_INT(flow_table_capacity(t), 10);
	for (uint32_t n = 0; n < 10; n++) {
		s = test_key(n);
		struct tcp_conn *c = flow_table_insert(t, &s);

		if (c)
			made++;
		if (n == 0)
			first = c;
	}
	CHECK_INT(made, 10);
	s = test_key(10);
	CHECK(flow_table_insert(t, &s) == NULL);
	/* A new incarnation counts against the cap too. */
	s = test_key(3);
	CHECK(flow_table_insert(t, &s) == NULL);
	CHECK_INT(flow_table_count(t), 10);

	flow_table_remove(t, first);
	s = test_key(10);
	CHECK(flow_table_insert(t, &s) != NULL);
	CHECK(flow_table_insert(t, &s) == NULL);
	flow_table_free(t);
}

static uint32_t test_rand(uint32_t *state)
{
	*state = *state * 1664525u + 1013904223u;
	return *state >> 8;
}

/*
 * Fill the table to its final load (half the slots) so probe runs are long and
 * keys collide on their home slots, then delete and re-add in a scrambled order:
 * every live key must stay findable and every removed one gone.
 */
static void test_collisions(void)
{
	enum { N = 4096 };
	static struct tcp_conn *live[N];
	struct flow_table *t = flow_table_new(N);
	uint32_t rng = 12345;
	int missing = 0, ghosts = 0;

	for (uint32_t n = 0; n < N; n++) {
		struct tcp_segment s = test_key(n * 7919u);

		live[n] = flow_table_insert(t, &s);
		live[n]->id = n;
	}
	CHECK_INT(flow_table_count(t), N);
	for (int round = 0; round < 20; round++) {
		for (int k = 0; k < N / 2; k++) {
			uint32_t n = test_rand(&rng) % N;
			struct tcp_segment s = test_key(n * 7919u);

			if (live[n]) {
				flow_table_remove(t, live[n]);
				live[n] = NULL;
			} else {
				live[n] = flow_table_insert(t, &s);
				if (live[n])
					live[n]->id = n;
			}
		}
		for (uint32_t n = 0; n < N; n++) {
			struct tcp_segment s = test_key(n * 7919u);
			struct tcp_segment r = test_reverse(&s);
			struct tcp_conn *f = flow_table_find(t, &r);

			if (live[n] && (f != live[n] || f->id != n))
				missing++;
			if (!live[n] && f)
				ghosts++;
		}
	}
	CHECK_INT(missing, 0);
	CHECK_INT(ghosts, 0);
	flow_table_free(t);
}

int main(void)
{
	RUN(test_both_directions);
	RUN(test_families);
	RUN(test_incarnations);
	RUN(test_pool_reuse);
	RUN(test_lists);
	RUN(test_cap);
	RUN(test_collisions);
	return check_done("test_flow_table");
}
