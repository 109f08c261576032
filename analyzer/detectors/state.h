/*
 * state.h - everything the detectors remember about one connection.
 *
 * One member per detector family, each defined in the family's own header, so
 * a family's bookkeeping changes without touching the others. It lives in
 * struct tcp_conn, so the memory is bounded by the open connections.
 */
#ifndef TCPAUTOPSY_ANALYZER_DETECTORS_STATE_H
#define TCPAUTOPSY_ANALYZER_DETECTORS_STATE_H

#include "analyzer/detectors/handshake.h"
#include "analyzer/detectors/listener.h"
#include "analyzer/detectors/liveness.h"
#include "analyzer/detectors/quality.h"
#include "analyzer/detectors/reuse.h"
#include "analyzer/detectors/teardown.h"

struct detect_state {
	struct listener_conn listener;
	struct handshake_conn handshake;
	struct reuse_conn reuse;
	struct teardown_conn teardown;
	struct liveness_conn liveness;
	struct quality_conn quality;
};

#endif
