/*
 * liveness.c - transfer and liveness: a receiver that stops reading
 * (zero_window_stall), a sender that gives up re-sending into silence
 * (retransmission_timeout_death), and a keep-alive prober whose peer is gone
 * (keepalive_dead_peer). Rules: ANOMALIES.md "Data transfer and liveness",
 * kernel-signatures.md §5.2-5.3, §6, §8.3-8.5 and the consolidated table.
 *
 * This file holds what the three share: the capture clock, the evidence lists
 * and the hooks. Each family records per direction into struct liveness_conn
 * on every segment and writes its finding when the connection ends
 * (liveness_zero_window.c, liveness_rto.c, liveness_keepalive.c). Every rule
 * ignores a frame seen again within a millisecond of the first copy.
 */
#include "config.h"

#include <stdlib.h>

#include "analyzer/analyzer.h"
#include "analyzer/detectors/liveness_int.h"

extern const struct detector detector_liveness;

/* The latest capture time seen, to measure silence at the end of a connection. */
struct liveness_state {
	uint32_t capture;
	int64_t latest_ts;
};

static void *liveness_new_state(const struct analyzer *a)
{
	(void)a;
	return calloc(1, sizeof(struct liveness_state));
}

int64_t liveness_now(struct analyzer *a, const struct tcp_conn *c)
{
	struct liveness_state *st = analyzer_detector_state(a, &detector_liveness);
	const struct capture_info *ci = analyzer_capture(a);
	int64_t now = c->last_ts_ns;

	if (st && st->latest_ts > now)
		now = st->latest_ts;
	if (ci && ci->last_ts_ns > now)
		now = ci->last_ts_ns;
	return now;
}

/*
 * finding_frame() lists a frame once, by number, and widens the finding's span
 * to the time of each frame it lists: lo/hi is that span for the slots that
 * stay, counting neither frame 0 nor a number already listed (frame numbers
 * restart in each file of a run).
 */
void liveness_frames_add(struct liveness_frames *fr, uint64_t i, uint64_t frame, int64_t ts)
{
	if (i == 0) {
		fr->lo = INT64_MAX;
		fr->hi = INT64_MIN;
	}
	if (i >= LIVENESS_FRAMES - 1) {
		fr->frame[LIVENESS_FRAMES - 1] = frame;
		return;
	}
	fr->frame[i] = frame;
	if (!frame)
		return;
	for (uint64_t k = 0; k < i; k++)
		if (fr->frame[k] == frame)
			return;
	if (ts < fr->lo)
		fr->lo = ts;
	if (ts > fr->hi)
		fr->hi = ts;
}

/* Lists the slots that stay with the earliest of their times, the latest frame
 * with its own, then widens the span to the latest of the others: the same
 * frames and span as listing each with its time. */
void liveness_frames_report(struct finding *f, const struct liveness_frames *fr, uint64_t n,
			    int64_t latest_ts)
{
	if (n > LIVENESS_FRAMES)
		n = LIVENESS_FRAMES;
	for (uint64_t i = 0; i < n; i++)
		finding_frame(f, fr->frame[i], i < LIVENESS_FRAMES - 1 ? fr->lo : latest_ts);
	if (n && fr->lo <= fr->hi && fr->hi > f->last_ts_ns)
		f->last_ts_ns = fr->hi;
}

static void liveness_segment(struct analyzer *a, struct tcp_conn *c, const struct seg_view *v)
{
	struct liveness_state *st = analyzer_detector_state(a, &detector_liveness);

	if (st && (st->capture != v->seg->capture || v->seg->ts_ns > st->latest_ts)) {
		st->capture = v->seg->capture;
		st->latest_ts = v->seg->ts_ns;
	}
	liveness_zw_segment(a, c, v);
	liveness_rto_segment(a, c, v);
	liveness_ka_segment(a, c, v);
}

static void liveness_conn_end(struct analyzer *a, struct tcp_conn *c)
{
	liveness_zw_report(a, c);
	for (int side = CLIENT; side <= SERVER; side++) {
		liveness_rto_report(a, c, side);
		liveness_ka_report(a, c, side);
	}
}

const struct detector detector_liveness = {
	.name = "liveness",
	.new_state = liveness_new_state,
	.free_state = free,
	.on_segment = liveness_segment,
	.on_conn_end = liveness_conn_end,
};
