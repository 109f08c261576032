/*
 * listener.h - what the listener detectors remember about one connection:
 * the listener story (accept queue, SYN drops, unanswered requests).
 *
 * Embedded in struct tcp_conn (state.h) and zeroed with it: fixed size, no
 * pointers to anything that can go away.
 */
#ifndef TCPAUTOPSY_ANALYZER_DETECTORS_LISTENER_H
#define TCPAUTOPSY_ANALYZER_DETECTORS_LISTENER_H

#include <stdbool.h>
#include <stdint.h>

struct listener_conn {
	uint32_t placeholder;	/* replace with the family's fields */
};

#endif
