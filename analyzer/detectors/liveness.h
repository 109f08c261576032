/*
 * liveness.h - what the liveness detectors remember about one connection:
 * transfer and liveness (zero window, retransmission death, dead keep-alive peers).
 *
 * Embedded in struct tcp_conn (state.h) and zeroed with it: fixed size, no
 * pointers to anything that can go away.
 */
#ifndef TCPAUTOPSY_ANALYZER_DETECTORS_LIVENESS_H
#define TCPAUTOPSY_ANALYZER_DETECTORS_LIVENESS_H

#include <stdbool.h>
#include <stdint.h>

struct liveness_conn {
	uint32_t placeholder;	/* replace with the family's fields */
};

#endif
