/*
 * teardown.h - what the teardown detectors remember about one connection:
 * closing (FIN-WAIT-2 stalls, late resets, orphans, abortive closes, stateless resets).
 *
 * Embedded in struct tcp_conn (state.h) and zeroed with it: fixed size, no
 * pointers to anything that can go away.
 */
#ifndef TCPAUTOPSY_ANALYZER_DETECTORS_TEARDOWN_H
#define TCPAUTOPSY_ANALYZER_DETECTORS_TEARDOWN_H

#include <stdbool.h>
#include <stdint.h>

struct teardown_conn {
	uint32_t placeholder;	/* replace with the family's fields */
};

#endif
