/*
 * liveness.c - the liveness detectors (see ANOMALIES.md and
 * reference/kernel-signatures.md for the rules).
 */
#include "config.h"

#include "analyzer/analyzer.h"
#include "analyzer/detector.h"
#include "analyzer/detectors/explain.h"

const struct detector detector_liveness = {
	.name = "liveness",
};
