/*
 * liveness_int.h - what the liveness detector's files share, and only they:
 * liveness.c (the timing rules, the evidence lists and the hooks),
 * liveness_zero_window.c (zero_window_stall), liveness_rto.c
 * (retransmission_timeout_death) and liveness_keepalive.c (keepalive_dead_peer).
 *
 * What one connection remembers is in liveness.h, embedded in struct tcp_conn.
 * Each family records in on_segment and writes its finding in on_conn_end,
 * when the whole connection is known.
 */
#ifndef TCPAUTOPSY_ANALYZER_DETECTORS_LIVENESS_INT_H
#define TCPAUTOPSY_ANALYZER_DETECTORS_LIVENESS_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "analyzer/conn.h"
#include "analyzer/detector.h"
#include "analyzer/finding.h"

struct analyzer;

#define NS_PER_MS 1000000LL
#define NS_PER_S 1000000000LL

/* A repeat sooner than this is a copy of the frame (a mirror port's duplicate,
 * see quality.c), not a timer's work: no kernel timer fires that fast, so a
 * copy never counts as a re-send, a probe or an answer. */
#define LIVENESS_COPY_NS NS_PER_MS
/* TCP_RTO_MAX: the backoff stops doubling there (§0.4). */
#define LIVENESS_RTO_MAX_NS (120 * NS_PER_S)

/* Timing tolerance for timer-driven events, §8.5: max(20 ms, 10 %). */
static inline int64_t liveness_tolerance(int64_t ns)
{
	int64_t t = ns / 10;

	return t > 20 * NS_PER_MS ? t : 20 * NS_PER_MS;
}

/* A timer that doubles from `gap` up to TCP_RTO_MAX (RTO, persist probes,
 * §8.3-8.4) should have fired again within `silence`: the sender stopped. */
static inline bool liveness_overdue(int64_t gap, int64_t silence)
{
	int64_t next = 2 * gap > LIVENESS_RTO_MAX_NS ? LIVENESS_RTO_MAX_NS : 2 * gap;

	return silence >= next + liveness_tolerance(next);
}

/* A duration measured on the wire has reached a threshold. The wire shows a
 * stall a little shorter than the cause (a 5 s sleep in the reader closes the
 * window only once its buffer is full), hence the same tolerance. */
static inline bool liveness_reached(int64_t ns, int64_t threshold)
{
	return ns >= threshold - liveness_tolerance(threshold);
}

static inline const char *liveness_state(uint8_t s)
{
	return tcp_state_name((enum tcp_state)s);
}

/* Both endpoints' states after v, for "what each believed". */
static inline void liveness_states(uint8_t st[2], const struct seg_view *v)
{
	st[CLIENT] = (uint8_t)v->after[CLIENT];
	st[SERVER] = (uint8_t)v->after[SERVER];
}

/* Keeps seg as evidence. */
static inline void liveness_mark_seg(struct liveness_mark *m, const struct tcp_segment *seg)
{
	m->frame = seg->frame;
	m->ts = seg->ts_ns;
}

/* liveness.c: capture time "now", the latest frame of the capture being read. */
int64_t liveness_now(struct analyzer *a, const struct tcp_conn *c);

/* liveness.c: the i-th frame of a run (from 0; 0 starts the list again), and
 * the first min(n, LIVENESS_FRAMES) of a run of n as a finding's evidence,
 * latest_ts being the time of the run's latest frame. */
void liveness_frames_add(struct liveness_frames *fr, uint64_t i, uint64_t frame, int64_t ts);
void liveness_frames_report(struct finding *f, const struct liveness_frames *fr, uint64_t n,
			    int64_t latest_ts);

/* One segment, in this order (liveness.c), and the finding at the end of the
 * connection: liveness_zero_window.c, liveness_rto.c, liveness_keepalive.c. */
void liveness_zw_segment(struct analyzer *a, struct tcp_conn *c, const struct seg_view *v);
void liveness_zw_report(struct analyzer *a, struct tcp_conn *c);
void liveness_rto_segment(struct analyzer *a, struct tcp_conn *c, const struct seg_view *v);
void liveness_rto_report(struct analyzer *a, struct tcp_conn *c, int s);
void liveness_ka_segment(struct analyzer *a, struct tcp_conn *c, const struct seg_view *v);
void liveness_ka_report(struct analyzer *a, struct tcp_conn *c, int s);

#endif
