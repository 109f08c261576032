/*
 * registry.c - the anomaly detectors, in the order they run.
 *
 * Each detector lives in its own file, named for its anomaly family, and is
 * listed here once. The analyzer calls every hook of every entry; the order is
 * fixed so that findings are numbered the same way on every run. The leak
 * roll-up runs last: it reads what the others reported.
 */
#include "config.h"

#include <stddef.h>

#include "analyzer/detector.h"

extern const struct detector detector_listener;
extern const struct detector detector_handshake;
extern const struct detector detector_reuse;
extern const struct detector detector_teardown;
extern const struct detector detector_liveness;
extern const struct detector detector_quality;
extern const struct detector detector_leak;

const struct detector *const detectors[] = {
	&detector_listener,
	&detector_handshake,
	&detector_reuse,
	&detector_teardown,
	&detector_liveness,
	&detector_quality,
	&detector_leak,
	NULL
};
