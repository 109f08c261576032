/*
 * test_reuse.c - the reuse detectors (analyzer/detectors/reuse.c), fed with
 * conversations written after reference/kernel-signatures.md.
 */
#include "config.h"

#include "tests/unit/check.h"
#include "tests/unit/feed.h"

/* A healthy request/response, closed by the client: nothing to report. */
static void test_healthy_is_silent(void)
{
	struct feed_tuple t = feed_tuple(40000, 8080);
	uint32_t c = 1000, s = 5000;

	feed_start();
	feed_send(&t, FROM_C, TH_SYN, c, 0, 0, T0);
	feed_send(&t, FROM_S, TH_SYN | TH_ACK, s, c + 1, 0, T0 + 1 * MS);
	feed_send(&t, FROM_C, TH_ACK, c + 1, s + 1, 0, T0 + 2 * MS);
	feed_send(&t, FROM_C, TH_ACK | TH_PUSH, c + 1, s + 1, 100, T0 + 3 * MS);
	feed_send(&t, FROM_S, TH_ACK | TH_PUSH, s + 1, c + 101, 200, T0 + 4 * MS);
	feed_send(&t, FROM_C, TH_ACK | TH_FIN, c + 101, s + 201, 0, T0 + 5 * MS);
	feed_send(&t, FROM_S, TH_ACK | TH_FIN, s + 201, c + 102, 0, T0 + 6 * MS);
	feed_send(&t, FROM_C, TH_ACK, c + 102, s + 202, 0, T0 + 7 * MS);
	feed_finish();
	CHECK_INT(feed.nfindings, 0);
	CHECK_INT(feed.nconns, 1);
}

int main(void)
{
	RUN(test_healthy_is_silent);
	return check_done("test_reuse");
}
