/*
 * capture.c - what the connections say about a capture file as a whole.
 */
#include "config.h"

#include "analyzer/capture.h"

/*
 * A single misplaced connection (a retransmitted handshake, a host with a slow
 * stack) must not turn a clear verdict into "mixed", hence a qualified majority
 * of 80% rather than unanimity. Votes for UNKNOWN (no timing verdict) and MIXED
 * (capture level only) carry no opinion and are left out of the total.
 */
enum vantage capture_vantage(const struct capture_info *ci)
{
	uint64_t total = 0;

	for (int v = 0; v < VANTAGE_COUNT; v++) {
		if (v != VANTAGE_UNKNOWN && v != VANTAGE_MIXED)
			total += ci->vantage_votes[v];
	}
	if (total == 0)
		return VANTAGE_UNKNOWN;
	for (int v = 0; v < VANTAGE_COUNT; v++) {
		if (v == VANTAGE_UNKNOWN || v == VANTAGE_MIXED)
			continue;
		if (ci->vantage_votes[v] * 5 >= total * 4)
			return (enum vantage)v;
	}
	return VANTAGE_MIXED;
}

/* Called for every frame, so the common case (the type is already known) is a
 * short scan. When the table is full the type cannot be recorded and false is
 * returned, so a caller acting on "new" does not act on every frame. */
bool capture_add_linktype(struct capture_info *ci, int linktype)
{
	for (uint32_t i = 0; i < ci->nlinktypes; i++) {
		if (ci->linktypes[i] == linktype)
			return false;
	}
	if (ci->nlinktypes >= CAPTURE_MAX_LINKTYPES)
		return false;
	ci->linktypes[ci->nlinktypes++] = linktype;
	return true;
}
