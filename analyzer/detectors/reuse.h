/*
 * reuse.h - what the reuse detectors remember about one connection:
 * 4-tuple reuse (stale CLOSE-WAIT, TIME-WAIT, challenge ACKs).
 *
 * Embedded in struct tcp_conn (state.h) and zeroed with it: fixed size, no
 * pointers to anything that can go away.
 */
#ifndef TCPAUTOPSY_ANALYZER_DETECTORS_REUSE_H
#define TCPAUTOPSY_ANALYZER_DETECTORS_REUSE_H

#include <stdbool.h>
#include <stdint.h>

struct reuse_conn {
	uint32_t placeholder;	/* replace with the family's fields */
};

#endif
