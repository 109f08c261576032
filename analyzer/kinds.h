/*
 * kinds.h - the catalog of findings: one table, read by everything.
 *
 * Every kind of finding tcpautopsy can raise has a row here: its stable
 * identifier (ANOMALIES.md; the `kind` in JSON, a CSS class in HTML, a word a
 * dashboard filters on: never rename one), its usual severity and a one-line
 * description. `tcpautopsy --list-kinds`, the man page's table (checked by
 * tests/kinds.sh) and the JSON all come from this table, so they cannot
 * drift apart.
 */
#ifndef TCPAUTOPSY_ANALYZER_KINDS_H
#define TCPAUTOPSY_ANALYZER_KINDS_H

#include <stdbool.h>

enum severity {
	SEV_INFO,
	SEV_WARNING,
	SEV_CRITICAL,
};
const char *severity_name(enum severity s);	/* "info", "warning", "critical" */

enum finding_kind {
	/* The listener story. */
	KIND_ACCEPT_QUEUE_OVERFLOW,
	KIND_ACCEPT_QUEUE_OVERFLOW_RESET,
	KIND_LISTENER_SYN_DROP,
	KIND_REQUEST_UNANSWERED,
	/* Stale and leaked sockets. */
	KIND_SYN_TO_CLOSE_WAIT,
	KIND_SYN_TO_STALE_SOCKET,
	KIND_FIN_WAIT2_STALL,
	KIND_FIN_WAIT2_EXPIRED_RST,
	KIND_DATA_AFTER_CLOSE_RESET,
	KIND_CLOSE_WAIT_LEAK,
	KIND_ORPHAN_FIN_WAIT1_STALL,
	/* Establishment. */
	KIND_CONNECTION_REFUSED,
	KIND_SYN_UNANSWERED,
	KIND_HANDSHAKE_ACK_LOST,
	KIND_SYNCOOKIE_HANDSHAKE,
	KIND_SELF_CONNECT,
	KIND_SIMULTANEOUS_OPEN,
	/* Reuse of 4-tuples. */
	KIND_TIME_WAIT_REUSE,
	KIND_CHALLENGE_ACK,
	/* Transfer and liveness. */
	KIND_ZERO_WINDOW_STALL,
	KIND_RETRANSMISSION_TIMEOUT_DEATH,
	KIND_KEEPALIVE_DEAD_PEER,
	KIND_ABORTIVE_CLOSE,
	KIND_RST_NO_SOCKET,
	KIND_HALF_CLOSE,
	/* Capture quality: about the capture, never the network. */
	KIND_CAPTURE_MISSED_PACKETS,
	KIND_CAPTURE_MIDSTREAM,
	KIND_CAPTURE_TRUNCATED,
	KIND_CAPTURE_DUPLICATES,
	KIND_COUNT
};

struct kind_info {
	const char *id;		/* stable identifier */
	enum severity severity;	/* the usual severity; escalations are in `line` */
	const char *family;	/* "listener", "stale", "establishment", "reuse",
				 * "transfer", "capture" */
	const char *line;	/* one line: what it means (and when it escalates) */
	const char *scope;	/* what one finding is about: "connection",
				 * "listener", "capture" */
	bool table_only;	/* shown in the connection table, never raised */
};

const struct kind_info *kind_info(enum finding_kind k);	/* NULL when out of range */
const struct kind_info *kind_lookup(const char *id);	/* NULL when unknown */

#endif
