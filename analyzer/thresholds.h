/*
 * thresholds.h - the detectors' tunable limits, by name.
 *
 * One table names every field of struct detect_config, with its unit, its
 * default and one line of help; the command line (--threshold NAME=VALUE),
 * --list-kinds and the man page all read it.
 */
#ifndef TCPAUTOPSY_ANALYZER_THRESHOLDS_H
#define TCPAUTOPSY_ANALYZER_THRESHOLDS_H

#include <stddef.h>
#include <stdint.h>

#include "analyzer/analyzer.h"

enum threshold_unit { THRESHOLD_SECONDS, THRESHOLD_COUNT };

struct threshold_info {
	const char *name;	/* as given to --threshold */
	enum threshold_unit unit;
	int64_t def;		/* default: nanoseconds or a count */
	size_t offset;		/* of the int64_t field in struct detect_config */
	const char *help;
};

extern const struct threshold_info thresholds[];
extern const size_t nthresholds;

/* Fills every threshold with its default. */
void thresholds_default(struct detect_config *d);

/* Sets one threshold from "NAME=VALUE"; seconds accept a unit suffix (ms, s,
 * m, h). Returns 0, or -1 with *why set to what was wrong. */
int threshold_set(struct detect_config *d, const char *assignment, const char **why);

/* The current value of a threshold. */
int64_t threshold_get(const struct detect_config *d, const struct threshold_info *t);

#endif
