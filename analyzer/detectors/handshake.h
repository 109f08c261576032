/*
 * handshake.h - what the handshake detectors remember about one connection:
 * establishment (refused, unanswered, lost ACK, SYN cookies, self-connect, simultaneous open).
 *
 * Embedded in struct tcp_conn (state.h) and zeroed with it: fixed size, no
 * pointers to anything that can go away.
 */
#ifndef TCPAUTOPSY_ANALYZER_DETECTORS_HANDSHAKE_H
#define TCPAUTOPSY_ANALYZER_DETECTORS_HANDSHAKE_H

#include <stdbool.h>
#include <stdint.h>

struct handshake_conn {
	uint32_t placeholder;	/* replace with the family's fields */
};

#endif
