/*
 * test_packet_log.c - the bounded log of packet notes (analyzer/packet_log.c):
 * which notes it keeps, which it lets go, and how a note is found.
 */
#include "config.h"

#include <string.h>

#include "analyzer/packet_log.h"
#include "tests/unit/check.h"

static struct packet_log plog;

static void add(uint32_t capture, uint64_t frame, bool notable)
{
	struct packet_note n;

	memset(&n, 0, sizeof(n));
	n.frame = frame;
	n.capture = capture;
	n.seq = (uint32_t)frame * 10 + capture;	/* tells notes apart */
	packet_log_add(&plog, &n, notable);
}

static bool kept(uint64_t frame)
{
	return packet_log_find(&plog, 0, frame) != NULL;
}

/* Frames first+1 .. first+n, notable or not. */
static void add_run(uint64_t first, uint64_t n, bool notable)
{
	for (uint64_t f = first + 1; f <= first + n; f++)
		add(0, f, notable);
}

/* The first packets stay whatever follows, notable or not. */
static void test_first_kept(void)
{
	memset(&plog, 0, sizeof(plog));
	add_run(0, PACKET_LOG_FIRST, false);
	add_run(PACKET_LOG_FIRST, 200, true);
	add_run(PACKET_LOG_FIRST + 200, 200, false);
	for (uint64_t f = 1; f <= PACKET_LOG_FIRST; f++)
		CHECK(kept(f));
	CHECK_INT(plog.nfirst, PACKET_LOG_FIRST);
}

/* Past the first, the notable ring keeps the latest PACKET_LOG_NOTABLE
 * notable packets, and plain ones never push them out. */
static void test_notable_ring_wraps(void)
{
	uint64_t base = PACKET_LOG_FIRST, extra = 5;

	memset(&plog, 0, sizeof(plog));
	add_run(0, base, false);
	add_run(base, PACKET_LOG_NOTABLE + extra, true);
	add_run(base + PACKET_LOG_NOTABLE + extra, 3 * PACKET_LOG_RECENT, false);
	for (uint64_t f = base + 1; f <= base + extra; f++)
		CHECK(!kept(f));
	for (uint64_t f = base + extra + 1; f <= base + PACKET_LOG_NOTABLE + extra; f++)
		CHECK(kept(f));
}

/* Plain packets past the first share the recent ring: the latest
 * PACKET_LOG_RECENT stay, and notable ones never push them out. */
static void test_recent_ring_wraps(void)
{
	uint64_t base = PACKET_LOG_FIRST, n = 2 * PACKET_LOG_RECENT + 3;

	memset(&plog, 0, sizeof(plog));
	add_run(0, base, true);		/* notable, but the first go to first */
	add_run(base, n, false);
	add_run(base + n, 3 * PACKET_LOG_NOTABLE, true);
	for (uint64_t f = base + 1; f <= base + n - PACKET_LOG_RECENT; f++)
		CHECK(!kept(f));
	for (uint64_t f = base + n - PACKET_LOG_RECENT + 1; f <= base + n; f++)
		CHECK(kept(f));
	CHECK_INT(plog.nnotable, 3 * PACKET_LOG_NOTABLE);
}

/* Frame numbers restart with each capture file: the capture decides. */
static void test_find_by_capture_and_frame(void)
{
	const struct packet_note *n;

	memset(&plog, 0, sizeof(plog));
	add(0, 5, false);			/* first */
	add_run(100, PACKET_LOG_FIRST - 1, false);
	add(1, 5, false);			/* recent */
	add(1, 7, true);			/* notable */
	n = packet_log_find(&plog, 1, 5);
	CHECK(n != NULL);
	CHECK(n && n->capture == 1 && n->seq == 51);
	n = packet_log_find(&plog, 0, 5);
	CHECK(n && n->capture == 0 && n->seq == 50);
	n = packet_log_find(&plog, 1, 7);
	CHECK(n && n->capture == 1 && n->frame == 7);
	CHECK(packet_log_find(&plog, 2, 5) == NULL);
	CHECK(packet_log_find(&plog, 0, 999) == NULL);
}

/* Frame 0 means "no note": never found, in an empty log or a full one. */
static void test_frame_zero_never_found(void)
{
	memset(&plog, 0, sizeof(plog));
	CHECK(packet_log_find(&plog, 0, 0) == NULL);
	add(0, 0, false);
	add_run(0, PACKET_LOG_SLOTS, true);
	CHECK(packet_log_find(&plog, 0, 0) == NULL);
	CHECK(kept(1));
}

int main(void)
{
	RUN(test_first_kept);
	RUN(test_notable_ring_wraps);
	RUN(test_recent_ring_wraps);
	RUN(test_find_by_capture_and_frame);
	RUN(test_frame_zero_never_found);
	return check_done("test_packet_log");
}
