/*
 * listener_int.h - what the listener detector's files share, and only they:
 * listener.c (the table of listeners, the per-connection bookkeeping and the
 * hooks), listener_overflow.c (the accept queue's findings) and listener_syn.c
 * (the findings about SYNs).
 *
 * What one connection remembers is in listener.h, embedded in struct tcp_conn;
 * this is what the detector remembers across connections, in the state its
 * new_state() returns, and the calls between the files.
 */
#ifndef TCPAUTOPSY_ANALYZER_DETECTORS_LISTENER_INT_H
#define TCPAUTOPSY_ANALYZER_DETECTORS_LISTENER_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analyzer/conn.h"
#include "analyzer/finding.h"

struct analyzer;

#define NS_PER_S 1000000000LL
#define NS_PER_MS 1000000LL

#define LST_MAX 4096		/* listeners (and hosts) remembered */
#define LST_BUCKETS 8192
#define LST_SECS 1024		/* seconds of "answered a SYN" kept: more than the idle
				 * timeout plus a whole SYN retry schedule */
#define LST_CANDS 8		/* recent connections with unanswered SYNs */
#define LST_IDS 8		/* connection ids named in the roll-up */

/* §1.9: a listener is alive when it answered other SYNs within ±5 s; more than
 * 5 connections losing SYNs in 10 s is critical. §7.7: a refusal is worth a
 * warning when the port accepted SYNs within ±10 s. */
#define ALIVE_NS (5 * NS_PER_S)
#define BURST_NS (10 * NS_PER_S)
#define BURST_MIN 5
#define REFUSED_NEAR_NS (10 * NS_PER_S)

enum {
	LC_QUEUED = 1u << 0,	  /* counted among its listener's waiting handshakes */
	LC_SNAPSHOT = 1u << 1,	  /* queued_before taken */
	LC_SERVER_SPOKE = 1u << 2, /* server payload or FIN before any client data */
	LC_TSECR_ACK = 1u << 3,	  /* a re-sent S. echoed the ACK's or data's TSval (§1.5) */
	LC_TSECR_SYN = 1u << 4,	  /* ...or the SYN's */
	LC_RESEND_DATA = 1u << 5, /* a re-send came while client data was unacknowledged */
	LC_OVERFLOW = 1u << 6,	  /* the overflow rules held; the listener knows */
	LC_ALIVE = 1u << 7,	  /* the listener answered others while this one's SYNs waited */
	LC_HOST = 1u << 8,	  /* its server host is marked as sending */
	LC_REFUSED = 1u << 9,	  /* the first RST refused the SYN (R. ack ISN+1) */
	LC_CANDIDATE = 1u << 10,  /* counted among the listener's silent-SYN connections */
	LC_RST_ACK = 1u << 11,	  /* the first RST had the ACK flag */
	LC_RST_STATELESS = 1u << 12, /* ...and the stateless format (§0.1) */
	LC_ECHO_LAST = 1u << 13,  /* the first S. echoed the latest SYN's TSval */
	LC_ANSWER_FIN = 1u << 14, /* the server's first answer was a bare FIN */
	LC_REFUSED_EXACT = 1u << 15, /* the refusal had seq 0 and window 0 (§7.3) */
	LC_RST_PLAIN = 1u << 16,  /* the first RST had window 0 and no options (§0.1) */
	LC_CLIENT_FIN = 1u << 17, /* the client sent a FIN before the first RST */
	LC_SRV_NXT = 1u << 18,	  /* srv_nxt is known */
	LC_SRV_MISSED = 1u << 19, /* the server sent bytes the capture did not show */
	LC_CLIENT_ACKED = 1u << 20, /* the client ACKed while the server showed nothing */
};

/* What one overflowing listener adds up to (the run-end finding). */
struct lst_sum {
	uint32_t overflow, recovered, failed, reset, queued, dropped;
	int64_t first_ts, last_ts;
	int64_t first_overflow_ts;	/* the earliest overflowing handshake ACK */
	int32_t queued_then;		/* handshakes waiting at that moment, -1 unknown */
	uint32_t nids, nframes;
	uint64_t ids[LST_IDS];
	uint64_t frames[FINDING_MAX_FRAMES];
};

struct lst_entry {
	struct ip_addr addr;
	uint16_t port;			/* 0: a whole host (did it send anything?) */
	bool sent;
	bool overflowed;		/* some connection met the overflow rules */
	bool alive_set;
	bool linked;			/* in the LRU list */
	bool near_server;		/* it answered a SYN within 1 ms: server vantage */
	uint32_t gen;			/* changes when the slot is reused */
	uint32_t chain;			/* next in the hash bucket, index + 1 */
	uint32_t older, newer;		/* LRU links, index + 1 */
	int64_t alive_top;		/* latest second in alive[] */
	uint64_t alive[LST_SECS / 64];	/* seconds in which it answered a new SYN */
	int64_t last_accept_ns;
	int64_t cand[LST_CANDS];	/* first-SYN times of silent-SYN connections */
	uint32_t ncand;
	int32_t queued, peak_queued;	/* handshakes done, no answer yet */
	uint32_t answered;		/* requests it answered */
	int64_t cwin_start;		/* 10 s window of silent-SYN connections (uncapped) */
	uint32_t cwin_n;
	int64_t dwin_start;		/* 10 s window of reported SYN drops */
	uint32_t dwin_n, dpeak_n;	/* ...its count, and the largest one */
	int64_t dpeak_first, dpeak_last;
	uint32_t ndframes;
	uint64_t dframes[8];		/* first SYNs of the first drops */
	struct lst_sum sum;
};

struct lst_state {
	struct lst_entry e[LST_MAX];
	uint32_t bucket[LST_BUCKETS];	/* index + 1 */
	uint32_t n, gen, newest, oldest;
	int64_t now;			/* latest segment seen */
};

static inline unsigned listener_kept(unsigned n)
{
	return n < LISTENER_SYNS ? n : LISTENER_SYNS;
}

static inline int64_t listener_syn_ts(const struct listener_conn *lc, unsigned i)
{
	return lc->syn.ts_ns + (int64_t)lc->syn_off_us[i] * 1000;
}

/* listener.c: the table. lst_get() finds or makes the entry of an address and
 * port (port 0: the whole host), evicting the least recently used one. */
uint32_t lst_get(struct analyzer *a, struct lst_state *st, const struct ip_addr *addr,
		 uint16_t port);
/* The connection's listener, found once and then reached by its slot. */
struct lst_entry *listener_entry(struct analyzer *a, struct lst_state *st, struct tcp_conn *c);
/* Did the listener answer a new SYN in [from, to] (to the second)? */
bool lst_alive_any(const struct lst_entry *e, int64_t from, int64_t to);
/* The most silent-SYN connections in one 10 s window holding ts (ts's own included). */
uint8_t lst_burst(const struct lst_entry *e, int64_t ts);
/* The listener's roll-ups (accept queue, SYN drops), if it deserves them. */
void lst_summaries(struct analyzer *a, struct lst_entry *e);

/* listener.c: for the findings. Until when the capture shows the connection's
 * silence; offsets in seconds as text ("1.012 1.024 ..."). */
int64_t listener_covered(struct analyzer *a, const struct lst_state *st, const struct tcp_conn *c);
const char *listener_times(char *buf, size_t len, const uint32_t *off_us, unsigned n, bool gaps);

/* listener_overflow.c: the rules of §1.9, and what a listener's roll-up needs
 * from every finding about it. */
bool listener_is_overflow(const struct tcp_conn *c, int64_t now);
bool listener_is_reset(const struct tcp_conn *c);
void listener_sum_span(struct lst_sum *s, const struct finding *f);
/* listener_overflow.c: the findings (on_conn_end, on_run_end, eviction). */
void listener_overflow(struct analyzer *a, struct lst_state *st, struct tcp_conn *c);
void listener_overflow_reset(struct analyzer *a, struct lst_state *st, struct tcp_conn *c);
void listener_request(struct analyzer *a, struct lst_state *st, struct tcp_conn *c);
void listener_summary(struct analyzer *a, struct lst_entry *e);

/* listener_syn.c: the findings (on_conn_end). */
void listener_silent_syns(struct analyzer *a, struct lst_state *st, struct tcp_conn *c);
void listener_refused(struct analyzer *a, struct lst_state *st, struct tcp_conn *c);
void listener_syn_summary(struct analyzer *a, struct lst_entry *e);

#endif
