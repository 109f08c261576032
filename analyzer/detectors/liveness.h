/*
 * liveness.h - what the liveness detectors remember about one connection:
 * transfer and liveness (zero window, retransmission death, dead keep-alive peers).
 *
 * Embedded in struct tcp_conn (state.h) and zeroed with it: fixed size, no
 * pointers to anything that can go away. Records are indexed by the endpoint
 * they are about (CLIENT or SERVER): zw.cur[R] is the zero window R
 * advertises, rto[S] and ka[S] what S re-sends or probes.
 *
 * Every connection carries all of it, so nothing is kept twice and flags are
 * bits; but frame numbers and times stay 64 bits wide: a file can hold more
 * than 2^32 frames, a stall can last days, and times have nanoseconds that
 * the findings' figures are rounded from.
 */
#ifndef TCPAUTOPSY_ANALYZER_DETECTORS_LIVENESS_H
#define TCPAUTOPSY_ANALYZER_DETECTORS_LIVENESS_H

#include <stdbool.h>
#include <stdint.h>

/* One segment kept as evidence: its frame number and capture time. */
struct liveness_mark {
	uint64_t frame;
	int64_t ts;
};

/* Evidence frames a run keeps: the first ones and, in the last slot, the latest. */
#define LIVENESS_FRAMES 6

/*
 * The frames of a run (re-sends, probes). The owner counts the run, so the
 * list holds no count. A frame's time only widens the finding's time span,
 * so the list keeps the span of the frames that stay for good (every slot
 * but the last, which each new frame overwrites once the list is full); the
 * latest frame's time is the owner's last_ts.
 */
struct liveness_frames {
	uint64_t frame[LIVENESS_FRAMES];
	int64_t lo, hi;			/* span of frame[0 .. LIVENESS_FRAMES - 2] */
};

/* How a zero-window episode ended. */
enum { LIVENESS_ZW_OPEN, LIVENESS_ZW_REOPENED, LIVENESS_ZW_RESET };

/* One period during which an endpoint R kept advertising a zero window. */
struct liveness_zw_episode {
	struct liveness_mark start;
	struct liveness_mark last_zero;	/* R's latest zero advertisement */
	struct liveness_mark first_probe, last_probe;
	uint64_t end_frame;		/* window reopened / reset */
	/* R answers probes only while the episode lasts, and it ends once. */
	union {
		int64_t last_answer_ts;	/* while active */
		int64_t end_ts;		/* once ended */
	};
	uint64_t reset_frame;		/* the sender's RST after the reopening */
	int64_t probe_gap;		/* between the last two probes */
	uint32_t reopen_window;		/* scaled window of the reopening segment */
	uint32_t probes, answered;
	uint32_t rate_limited;		/* unanswered, < 500 ms after the previous answer */
	uint32_t ack;			/* R's ack when the window closed */
	uint32_t outstanding;		/* sender's bytes beyond that ack then */
	uint8_t state[2];		/* both endpoints' states when it began */
	unsigned int side : 1;		/* R: CLIENT or SERVER */
	unsigned int active : 1;
	unsigned int probe_pending : 1;	/* the sender probed; no answer from R yet */
	unsigned int resumed : 1;	/* the sender sent new data after the reopening */
	unsigned int end : 2;		/* LIVENESS_ZW_* */
};

/* Zero windows on a connection: the one in progress per receiving side, and
 * the longest finished one of either side (best.side is its receiver). */
struct liveness_zw {
	struct liveness_zw_episode cur[2];
	struct liveness_zw_episode best;
	uint32_t episodes;			/* zero windows of any length */
	uint32_t stalls;			/* ...of at least the threshold */
};

/* The same segment re-sent by the retransmission timer (kernel-signatures.md §8.3). */
struct liveness_rto {
	/* The current run of re-sends of one segment: `count` re-sends (copies
	 * of a frame not counted), listed in `frames` after the original when
	 * from_original. */
	uint32_t count;
	uint32_t seq, len;
	uint32_t outstanding;		/* sender's bytes beyond the peer's ack */
	uint32_t head_seq;		/* see head */
	uint32_t gaps_ms[LIVENESS_FRAMES]; /* the schedule, first gaps */
	uint8_t state[2];		/* both endpoints' states when it began */
	uint8_t ngaps;
	unsigned int head_valid : 1;
	unsigned int from_original : 1;	/* the original transmission is head */
	unsigned int backoff_ok : 1;	/* every gap at least the previous one */
	unsigned int dead : 1;		/* frozen: the sender gave up (proven silence) */
	/* The oldest new data not yet acknowledged (at head_seq): what an RTO
	 * re-sends. */
	struct liveness_mark head;
	struct liveness_mark peer_later; /* the peer's segment after the death */
	int64_t first_ts, last_ts;	/* original (or first re-send), latest re-send */
	int64_t first_gap, last_gap;
	struct liveness_frames frames;
};

/* Keep-alive probes the peer does not answer (§6.1-6.3). */
struct liveness_ka {
	uint32_t unanswered;		/* consecutive probes with nothing from the peer,
					 * listed in frames */
	uint32_t answered;		/* probes answered before them */
	int64_t last_ts;
	int64_t min_gap, max_gap;
	int64_t last_answer_ts;
	struct liveness_mark rst;
	struct liveness_frames frames;
	uint8_t state[2];
	unsigned int dead : 1;		/* the prober reset the connection after them */
	unsigned int rst_ack : 1;	/* ...with ACK set */
};

struct liveness_conn {
	struct liveness_zw zw;
	struct liveness_rto rto[2];
	struct liveness_ka ka[2];
};

#endif
