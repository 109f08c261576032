/*
 * quality.h - what the quality detectors remember about one connection:
 * capture quality (missed packets, mid-stream pick-ups, truncation, duplicates).
 *
 * Embedded in struct tcp_conn (state.h) and zeroed with it: fixed size, no
 * pointers to anything that can go away.
 */
#ifndef TCPAUTOPSY_ANALYZER_DETECTORS_QUALITY_H
#define TCPAUTOPSY_ANALYZER_DETECTORS_QUALITY_H

#include <stdbool.h>
#include <stdint.h>

struct quality_conn {
	uint32_t placeholder;	/* replace with the family's fields */
};

#endif
