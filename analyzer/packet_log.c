/*
 * packet_log.c - the bounded log of a connection's packet notes.
 *
 * The first packets are kept for good: they hold the handshake, which most
 * findings cite. After them, a notable packet may only displace an older
 * notable one, so a burst of plain data cannot push a retransmission or a
 * FIN out of the log; plain packets share a smaller ring of their own, for
 * the findings that cite "the latest segment".
 */
#include "config.h"

#include <stddef.h>

#include "analyzer/packet_log.h"

void packet_log_add(struct packet_log *l, const struct packet_note *n, bool notable)
{
	/* The counters may wrap after 2^32 packets: the slot stays in range,
	 * only the ring's order hiccups once. */
	if (l->nfirst < PACKET_LOG_FIRST)
		l->first[l->nfirst++] = *n;
	else if (notable)
		l->notable[l->nnotable++ % PACKET_LOG_NOTABLE] = *n;
	else
		l->recent[l->nrecent++ % PACKET_LOG_RECENT] = *n;
}

/* Unused slots are zeroed (conn_init) and frame 0 is never looked up, so a
 * ring is scanned whole: no count to trust after it wraps. */
static const struct packet_note *packet_log_scan(const struct packet_note *notes, uint32_t size,
						 uint32_t capture, uint64_t frame)
{
	for (uint32_t i = 0; i < size; i++)
		if (notes[i].frame == frame && notes[i].capture == capture)
			return &notes[i];
	return NULL;
}

const struct packet_note *packet_log_find(const struct packet_log *l, uint32_t capture,
					  uint64_t frame)
{
	const struct packet_note *n;

	if (frame == 0)
		return NULL;	/* "no note", never a frame */
	n = packet_log_scan(l->first, PACKET_LOG_FIRST, capture, frame);
	if (!n)
		n = packet_log_scan(l->notable, PACKET_LOG_NOTABLE, capture, frame);
	if (!n)
		n = packet_log_scan(l->recent, PACKET_LOG_RECENT, capture, frame);
	return n;
}
