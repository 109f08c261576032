/*
 * conn.h - one TCP connection seen from both of its endpoints.
 *
 * struct tcp_conn owns two struct tcp_endpoint records, ep[CLIENT] and
 * ep[SERVER]: the client is the endpoint that sent the first SYN (guessed when
 * the capture starts mid-connection). A segment travels in direction dir: its
 * sender is ep[dir], its receiver ep[!dir], so DIR_C2S == CLIENT.
 *
 * Ownership: connections live in the flow table's pool (flow_table.h); every
 * pointer handed to a sink or detector is valid only during that call.
 */
#ifndef TCPAUTOPSY_ANALYZER_CONN_H
#define TCPAUTOPSY_ANALYZER_CONN_H

#include <stdbool.h>
#include <stdint.h>

#include "analyzer/detectors/state.h"
#include "analyzer/packet_log.h"
#include "analyzer/tcp_state.h"
#include "dissect/segment.h"

enum { CLIENT = 0, SERVER = 1 };
enum { DIR_C2S = 0, DIR_S2C = 1 };

/* One state change of one endpoint. */
struct state_change {
	int64_t ts_ns;
	uint64_t frame;		/* frame that caused it (0 when inferred from time) */
	uint32_t capture;	/* index of the capture file that frame is in */
	uint8_t state;		/* enum tcp_state entered */
	uint8_t presumed;	/* inferred from a segment sent TO the endpoint */
};

/* A compact timeline: the first changes and the most recent ones. An endpoint
 * passes through at most ~8 states in a normal life; when more happen, the
 * middle ones are dropped and counted. */
#define TIMELINE_MAX 12
struct timeline {
	uint8_t count;
	uint32_t elided;
	struct state_change at[TIMELINE_MAX];
};

struct tcp_endpoint {
	struct ip_addr addr;
	uint16_t port;

	enum tcp_state state;
	struct timeline timeline;

	/* Sequence space of what this endpoint sends. */
	bool isn_known;		/* its SYN or SYN-ACK was seen */
	bool seq_known;		/* some segment from it was seen: nxt is valid */
	uint32_t isn;
	uint32_t nxt;		/* highest seq + len (+SYN/FIN) sent: snd_nxt as observed */
	bool fin_sent;
	uint32_t fin_seq;	/* seq of its FIN */
	int64_t fin_ts_ns;	/* when its FIN was first seen */
	uint64_t fin_frame;

	/* What it acknowledges and advertises: its receive side. */
	bool ack_known;
	uint32_t ack;		/* highest ack it sent: its rcv_nxt as observed */
	uint32_t last_ack;	/* ack of its previous segment (dup-ACK detection) */
	uint32_t last_seq;	/* seq of its previous segment */
	uint32_t window;	/* last advertised window, scaled, in bytes */
	uint16_t window_raw;

	/* Options from its SYN / SYN-ACK. */
	bool wscale_offered;
	uint8_t wscale_offer;	/* shift it offered (clamped to 14) */
	uint8_t wscale;		/* shift applied to its windows: 0 unless both offered */
	bool sack_permitted;
	bool timestamps;	/* it sent the timestamp option */
	uint16_t mss;		/* 0 when not offered */
	uint32_t tsval;		/* its latest TSval */
	uint32_t tsecr;		/* its latest TSecr */

	/* Counters. */
	uint64_t packets;
	uint64_t bytes;		/* payload bytes, retransmissions included */
	uint64_t missing_bytes; /* sequence space skipped (not captured) */
	uint32_t retransmissions;
	uint32_t out_of_order;
	uint32_t dup_acks;
	uint32_t zero_windows;
	uint32_t keepalives;
	uint32_t window_probes;
	uint32_t syns;
	uint32_t fins;
	uint32_t rsts;

	int64_t first_ts_ns;
	int64_t last_ts_ns;
	uint64_t last_frame;

	/* Timeline: the state the last compacted-away entry left it in (conn.c). */
	uint8_t elided_state;

	/* Handshake segments it sent (classify.c), for telling a timer-driven
	 * SYN-ACK retransmission from one answering a repeated SYN. Times are
	 * valid when the matching *_seen is set. */
	bool syn_seen;		/* it sent a SYN without ACK */
	bool synack_seen;	/* it sent a SYN-ACK */
	int64_t last_syn_ts_ns;	/* its latest SYN (no ACK) */
	int64_t last_synack_ts_ns; /* its latest SYN-ACK */
	int64_t synack_gap_ns;	/* its first SYN-ACK - the peer's latest SYN before it
				 * (0 when that SYN was not seen) */
	bool handshake_ack_dropped; /* it re-sent its SYN-ACK after being sent the
				     * handshake ACK: its stack drops them (tcp_state.c) */

	/* The latest gap in what it sent, for out-of-order timing (classify.c). */
	bool hole;		/* [hole_start, hole_end) not seen yet */
	uint32_t hole_start;
	uint32_t hole_end;
	int64_t hole_ts_ns;	/* when the gap was first seen */

	/* Its latest segment and what the peer did since (classify.c). */
	uint16_t last_flags;	/* TH_* of its latest segment */
	uint32_t last_events;	/* SEG_* of its latest segment */
	uint32_t peer_events;	/* SEG_* of the peer's segments since it last sent */
	bool last_old_space;	/* its latest segment was in the predecessor's sequence
				 * space (challenge ACK after a new SYN, or the RST
				 * answering it): it did not touch this connection */
	uint32_t old_ack;	/* ack of its latest such challenge ACK */
};

/* Where the capture was taken, from handshake timing (ANOMALIES.md): a tap near
 * the client sees the SYN-ACK one RTT after the SYN and the ACK at once. */
enum vantage {
	VANTAGE_UNKNOWN,
	VANTAGE_NEAR_CLIENT,
	VANTAGE_NEAR_SERVER,
	VANTAGE_MID_PATH,
	VANTAGE_SAME_HOST,	/* both ends on the capturing host (loopback) */
	VANTAGE_MIXED,		/* capture level only: connections disagree */
	VANTAGE_COUNT
};
const char *vantage_name(enum vantage v);	/* "near_client", ... */

struct tcp_conn;

/* The vantage one connection's handshake timing points at (vantage.c):
 * SAME_HOST for loopback or identical addresses, UNKNOWN without a complete
 * handshake (SYN, SYN-ACK and the client's ACK of it). */
enum vantage vantage_infer(const struct tcp_conn *c);

/* Why a connection was finalised. */
enum conn_end {
	END_CAPTURE,		/* still open when the capture ended */
	END_CLOSED,		/* both sides closed and lingered */
	END_RESET,		/* reset and lingered */
	END_IDLE,		/* nothing seen for the idle limit */
	END_REUSED,		/* a new connection took the 4-tuple */
	END_EVICTED,		/* the table was full and it was the least recently active */
	END_COUNT
};
const char *conn_end_name(enum conn_end e);

enum {
	CONN_MIDSTREAM = 1u << 0,	/* picked up without its SYN */
	CONN_ROLES_GUESSED = 1u << 1,	/* client/server chosen by heuristic */
	CONN_SIMULTANEOUS_OPEN = 1u << 2,
	CONN_SELF = 1u << 3,		/* both endpoints are the same address and port */
	CONN_RESET = 1u << 4,		/* an RST ended it */
	CONN_HALF_CLOSE = 1u << 5,	/* data flowed after one side's FIN was ACKed */
};

/* Zeek-style history: upper case client, lower case server (see history.c). */
#define HISTORY_MAX 48
struct history {
	char s[HISTORY_MAX];
	uint8_t len;
	uint8_t seen[2];	/* per-direction "already recorded" bits */
	uint32_t last_seq[2][4];/* seq of the last S/H, F, R letters for repeat rules */
	uint32_t logcount[2][3];/* counts behind the logarithmic letters T, G, W */
};

/* The earlier use of this 4-tuple, as it was when the new SYN arrived. */
struct predecessor {
	uint64_t id;		/* 0: none in the capture */
	int64_t gap_ns;		/* new SYN time - predecessor's last packet */
	int64_t end_ts_ns;
	enum tcp_state state[2];/* its client's and server's states at that moment */
	int64_t since_ns[2];	/* ...and since when (0 when never changed) */
	uint32_t nxt[2];	/* each side's snd_nxt then (for challenge-ACK matching) */
	uint32_t ack[2];	/* each side's rcv_nxt then */
	bool seq_known[2];
	bool ack_known[2];
};

#define CONN_MAX_FINDINGS 8

struct tcp_conn {
	uint64_t id;		/* 1, 2, ... in order of first packet */
	struct tcp_endpoint ep[2];
	uint32_t flags;		/* CONN_* */

	int64_t first_ts_ns;
	int64_t last_ts_ns;
	uint64_t first_frame;
	uint64_t last_frame;
	uint32_t first_capture;	/* capture file index of first_frame */
	uint32_t last_capture;

	/* Handshake times (0 when not seen) and what they tell. */
	int64_t syn_ts_ns;
	int64_t synack_ts_ns;
	int64_t hs_ack_ts_ns;	/* client's ACK of the SYN-ACK */
	int64_t handshake_rtt_ns; /* SYN to that ACK; -1 when incomplete */
	enum vantage vantage;

	struct history history;
	struct predecessor prev;

	enum conn_end end;

	/* Finding ids raised on this connection (issue: findings reference
	 * connections and connections list their findings). */
	uint32_t nfindings;
	uint64_t findings[CONN_MAX_FINDINGS];

	bool closing;		/* closed or reset: finalise after the linger time */

	/* Its packets in brief, for its findings' ladder diagrams (analyzer.c). */
	struct packet_log plog;

	struct detect_state det;	/* the detectors' own bookkeeping */

	/* Flow-table bookkeeping: written by flow_table.c only, and kept by
	 * conn_init(), which initialises what the connection is, not where the
	 * table holds it. */
	struct conn_links {
		struct tcp_conn *lru_prev;
		struct tcp_conn *lru_next;
		struct tcp_conn *older;	/* live earlier incarnation of the same tuple */
		uint32_t slot;
	} links;
};

/* Initialises a connection for a first segment from `sender` to `receiver`;
 * the roles are decided by the caller (analyzer.c). c->links is left alone. */
void conn_init(struct tcp_conn *c, uint64_t id, const struct ip_addr *client,
	       uint16_t cport, const struct ip_addr *server, uint16_t sport);

/* Direction of a segment within c: DIR_C2S when it comes from the client (in
 * a self-connection, unless it is a SYN-ACK). */
int conn_dir(const struct tcp_conn *c, const struct tcp_segment *seg);

/* Appends a state change to an endpoint's timeline (keeping it compact) and
 * sets the endpoint's state. Takes back the last change instead when `state`
 * undoes a presumed change (see tcp_state.h). */
void endpoint_set_state(struct tcp_endpoint *ep, enum tcp_state state, int64_t ts_ns,
			uint64_t frame, uint32_t capture, bool presumed);

/* Removes the last timeline entry if it was presumed, restoring the previous
 * state. Returns true if something was taken back. */
bool endpoint_retract(struct tcp_endpoint *ep);

/* Clears the presumed mark of the endpoint's current state: it sent something
 * consistent with it. */
void endpoint_confirm(struct tcp_endpoint *ep);

/* True when the endpoint's current state is only presumed. */
bool endpoint_presumed(const struct tcp_endpoint *ep);

/* Records the segment's letters in the history string. */
void history_add(struct history *h, int dir, const struct tcp_segment *seg, uint32_t events);

/* Puts '^' first: the roles were guessed (Zeek's "direction flipped"). */
void history_mark_guessed(struct history *h);

#endif
