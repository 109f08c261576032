/*
 * test_findings.c - what every finding goes through: the catalog of kinds,
 * the thresholds, the finding builder, and the roll-up per listener and host
 * with the close_wait_leak count over time.
 */
#include "config.h"

#include <string.h>

#include "analyzer/aggregate.h"
#include "analyzer/kinds.h"
#include "analyzer/thresholds.h"
#include "tests/unit/check.h"
#include "tests/unit/feed.h"

static void test_kinds_table_is_complete(void)
{
	for (int k = 0; k < KIND_COUNT; k++) {
		const struct kind_info *ki = kind_info((enum finding_kind)k);

		CHECK(ki && ki->id && ki->line && ki->family && ki->scope);
		if (!ki || !ki->id)
			continue;
		CHECK(kind_lookup(ki->id) == ki);
		/* Identifiers are lower-case words joined by '_': CSS classes too. */
		CHECK(strspn(ki->id, "abcdefghijklmnopqrstuvwxyz0123456789_") == strlen(ki->id));
	}
	CHECK(kind_info(KIND_COUNT) == NULL);
	CHECK(kind_lookup("no_such_kind") == NULL);
	CHECK_STR(kind_info(KIND_ACCEPT_QUEUE_OVERFLOW)->id, "accept_queue_overflow");
	CHECK_STR(kind_info(KIND_CLOSE_WAIT_LEAK)->scope, "listener");
}

static void test_thresholds(void)
{
	struct detect_config d;
	const char *why = NULL;

	thresholds_default(&d);
	CHECK_INT(d.fin_wait2_stall_ns, 60 * NS);
	CHECK_INT(d.zero_window_stall_ns, 5 * NS);
	CHECK_INT(threshold_set(&d, "fin_wait2_stall=90", &why), 0);
	CHECK_INT(d.fin_wait2_stall_ns, 90 * NS);
	CHECK_INT(threshold_set(&d, "zero_window_stall=500ms", &why), 0);
	CHECK_INT(d.zero_window_stall_ns, 500 * MS);
	CHECK_INT(threshold_set(&d, "fin_wait2_critical=5m", &why), 0);
	CHECK_INT(d.fin_wait2_critical_ns, 300 * NS);
	CHECK_INT(threshold_set(&d, "close_wait_leak=10", &why), 0);
	CHECK_INT(d.close_wait_leak, 10);
	CHECK_INT(threshold_set(&d, "close_wait_leak=1.5", &why), -1);
	CHECK_INT(threshold_set(&d, "close_wait_leak=0", &why), -1);
	CHECK_INT(threshold_set(&d, "fin_wait2_stall=-3", &why), -1);
	CHECK_INT(threshold_set(&d, "fin_wait2_stall=3 parsecs", &why), -1);
	CHECK_INT(threshold_set(&d, "nonsense=3", &why), -1);
	CHECK_STR(why, "no such threshold (see --list-kinds)");
	CHECK_INT(threshold_set(&d, "fin_wait2_stall", &why), -1);
	CHECK_INT(threshold_set(&d, "fin_wait2_stallx=3", &why), -1);
}

static void test_finding_builder(void)
{
	struct finding f;

	finding_init(&f, KIND_ZERO_WINDOW_STALL, NULL);
	CHECK_STR(f.kind, "zero_window_stall");
	CHECK_STR(f.scope, "connection");
	CHECK_INT(f.severity, SEV_WARNING);
	CHECK(!f.has_client);
	finding_frame(&f, 7, 2000);
	finding_frame(&f, 3, 1000);
	finding_frame(&f, 7, 2000);	/* listed once */
	finding_frame(&f, 0, 5);	/* no frame: ignored */
	CHECK_INT(f.nframes, 2);
	CHECK_INT(f.first_ts_ns, 1000);
	CHECK_INT(f.last_ts_ns, 2000);
	for (int i = 0; i < 40; i++)
		finding_frame(&f, 100 + (uint64_t)i, 3000 + i);
	CHECK_INT(f.nframes, FINDING_MAX_FRAMES);
	CHECK_INT(f.last_ts_ns, 3039);	/* times still widen when frames are full */
	finding_secs(&f, "gap", 1234567890);
	CHECK(f.evidence[0].type == EVIDENCE_REAL && f.evidence[0].v.r == 1.235);
	for (int i = 0; i < 40; i++)
		finding_int(&f, "n", i);
	CHECK_INT(f.nevidence, FINDING_MAX_EVIDENCE);
	finding_summary(&f, "%0300d", 1);
	CHECK_INT(strlen(f.summary), sizeof(f.summary) - 1);
	for (int i = 0; i < 30; i++)
		finding_explain(&f, "%0100d", i);
	CHECK_INT(strlen(f.explanation), sizeof(f.explanation) - 1);
}

/* Three leaked sockets on one listener, one on another: the roll-up counts
 * them per listener and per host, the leak series goes up and down, and the
 * listener past the threshold gets one close_wait_leak finding. */
static void test_aggregates_and_leak(void)
{
	struct aggregates *g = aggregates_new();
	struct finding f;
	uint16_t ports[4] = { 80, 80, 80, 443 };

	for (int i = 0; i < 4; i++) {
		finding_init(&f, KIND_FIN_WAIT2_STALL, NULL);
		f.id = (uint64_t)i + 1;
		f.connection = (uint64_t)i + 10;
		f.has_client = true;
		f.server = feed_v4(0xc0000202);
		f.server_port = ports[i];
		f.first_ts_ns = T0 + i * NS;
		f.last_ts_ns = T0 + (i + 60) * NS;
		f.leaked = true;
		f.leaked_since_ns = T0 + i * 10 * NS;
		f.leaked_until_ns = i == 0 ? T0 + 100 * NS : 0;
		f.nframes = 1;
		f.frames[0] = 100 + (uint64_t)i;
		aggregates_add(g, &f);
	}
	/* Below the threshold a leak group is as severe as its sockets' findings
	 * (fin_wait2_stall: warning);
	 * the leak finding that sums the :80 group up (critical) raises it. */
	for (uint32_t i = 0; i < aggregates_count(g); i++) {
		struct aggregate *ag = aggregates_get(g, i);

		CHECK_INT(ag->severity, SEV_WARNING);
		if (ag->code == KIND_CLOSE_WAIT_LEAK && ag->server_port == 80) {
			struct finding leak;

			finding_init(&leak, KIND_CLOSE_WAIT_LEAK, NULL);
			leak.id = 99;
			aggregate_set_summary(ag, &leak);
			CHECK_INT(ag->summary_finding, 99);
			CHECK_INT(ag->severity, SEV_CRITICAL);
		}
	}
	aggregates_sort(g);
	/* listener :80 stall, listener :80 leak, listener :443 stall and leak,
	 * host stall. */
	CHECK_INT(aggregates_count(g), 5);
	for (uint32_t i = 0; i < aggregates_count(g); i++) {
		struct aggregate *ag = aggregates_get(g, i);

		if (ag->server_port == 0) {
			CHECK_INT(ag->listeners, 2);
			CHECK_INT(ag->count, 4);
		}
		if (ag->code == KIND_CLOSE_WAIT_LEAK && ag->server_port == 80) {
			aggregate_finish_series(ag);
			CHECK_INT(ag->count, 3);
			CHECK_INT(ag->open_at_end, 2);
			CHECK_INT(ag->peak_open, 3);
			CHECK(ag->nseries > 0);
			CHECK_INT(ag->series[ag->nseries - 1].open, 2);
			CHECK_INT(ag->first_ts_ns, T0);
			/* Its findings' evidence frames, for the leak finding. */
			CHECK_INT(ag->nframes, 3);
			CHECK_INT(ag->frames[0], 100);
			CHECK_INT(ag->frames[2], 102);
		}
	}
	/* Most severe first: the :80 leak, summed up by a critical finding. */
	CHECK(aggregates_get(g, 0)->code == KIND_CLOSE_WAIT_LEAK);
	CHECK_INT(aggregates_get(g, 0)->server_port, 80);
	aggregates_free(g);
}

/* A leak series far longer than its buckets: the buckets widen, the sum holds. */
static void test_leak_series_widens(void)
{
	struct aggregates *g = aggregates_new();
	struct finding f;

	for (int i = 0; i < 500; i++) {
		finding_init(&f, KIND_SYN_TO_CLOSE_WAIT, NULL);
		f.id = (uint64_t)i + 1;
		f.has_client = true;
		f.server = feed_v4(0xc0000202);
		f.server_port = 80;
		f.first_ts_ns = f.last_ts_ns = T0 + i * 60 * NS;
		f.leaked = true;
		f.leaked_since_ns = T0 + i * 60 * NS;
		f.leaked_until_ns = i % 2 ? T0 + i * 60 * NS + 30 * NS : 0;
		aggregates_add(g, &f);
	}
	aggregates_sort(g);
	for (uint32_t i = 0; i < aggregates_count(g); i++) {
		struct aggregate *ag = aggregates_get(g, i);

		if (ag->code != KIND_CLOSE_WAIT_LEAK)
			continue;
		aggregate_finish_series(ag);
		CHECK(ag->nseries <= AGG_SERIES);
		CHECK_INT(ag->series[ag->nseries - 1].open, 250);
		CHECK_INT(ag->open_at_end, 250);
		CHECK(ag->series[ag->nseries - 1].ts_ns >= T0 + 499 * 60 * NS);
		CHECK_INT(ag->nids, AGG_MAX_IDS);
	}
	aggregates_free(g);
}

int main(void)
{
	RUN(test_kinds_table_is_complete);
	RUN(test_thresholds);
	RUN(test_finding_builder);
	RUN(test_aggregates_and_leak);
	RUN(test_leak_series_widens);
	return check_done("test_findings");
}
