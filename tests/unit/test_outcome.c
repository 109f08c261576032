/*
 * test_outcome.c - one outcome per connection (analyzer/outcome.c), from the
 * conversations every operator knows.
 */
#include "config.h"

#include "tests/unit/check.h"
#include "tests/unit/feed.h"

/* Runs one conversation on a fresh analyzer and returns its only outcome. */
static enum conn_outcome outcome_of(void (*talk)(const struct feed_tuple *t))
{
	struct feed_tuple t = feed_tuple(40000, 8080);

	feed_start();
	talk(&t);
	feed_finish();
	CHECK_INT(feed.nconns, 1);
	return feed.nconns == 1 ? feed.outcome[0] : OUTCOME_COUNT;
}

static void talk_healthy(const struct feed_tuple *t)
{
	feed_healthy(t, 1000, 5000, T0);
}

static void talk_refused(const struct feed_tuple *t)
{
	feed_send(t, FROM_C, TH_SYN, 1000, 0, 0, T0);
	feed_send(t, FROM_S, TH_RST | TH_ACK, 0, 1001, 0, T0 + 1 * MS);
}

static void talk_unanswered(const struct feed_tuple *t)
{
	feed_send(t, FROM_C, TH_SYN, 1000, 0, 0, T0);
	feed_send(t, FROM_C, TH_SYN, 1000, 0, 0, T0 + 1 * NS);
}

static void talk_open(const struct feed_tuple *t)
{
	feed_exchange(t, 1000, 5000, T0);
}

static void talk_half_closed(const struct feed_tuple *t)
{
	feed_client_closes(t, 1000, 5000, T0);
}

static void talk_reset(const struct feed_tuple *t)
{
	feed_exchange(t, 1000, 5000, T0);
	feed_send(t, FROM_S, TH_RST | TH_ACK, 5201, 1101, 0, T0 + 10 * MS);
}

static void talk_ack_lost(const struct feed_tuple *t)
{
	feed_send(t, FROM_C, TH_SYN, 1000, 0, 0, T0);
	feed_send(t, FROM_S, TH_SYN | TH_ACK, 5000, 1001, 0, T0 + 1 * MS);
}

int main(void)
{
	CHECK_STR(conn_outcome_name(outcome_of(talk_healthy)), "closed");
	CHECK_STR(conn_outcome_name(outcome_of(talk_refused)), "refused");
	CHECK_STR(conn_outcome_name(outcome_of(talk_unanswered)), "not_established");
	CHECK_STR(conn_outcome_name(outcome_of(talk_ack_lost)), "not_established");
	CHECK_STR(conn_outcome_name(outcome_of(talk_open)), "open");
	CHECK_STR(conn_outcome_name(outcome_of(talk_half_closed)), "half_closed");
	CHECK_STR(conn_outcome_name(outcome_of(talk_reset)), "reset");

	/* Every outcome has a name and a meaning; out of range is "unknown". */
	for (int o = 0; o < OUTCOME_COUNT; o++) {
		CHECK(conn_outcome_name((enum conn_outcome)o)[0] != '\0');
		CHECK(conn_outcome_meaning((enum conn_outcome)o)[0] != '\0');
	}
	CHECK_STR(conn_outcome_name(OUTCOME_COUNT), "unknown");
	return check_done("test_outcome");
}
