/*
 * detectors.c - the registry of anomaly detectors, in the order they run.
 *
 * Each detector lives in its own file, named for its anomaly family, and is
 * listed here once. The analyzer calls every hook of every entry; the order is
 * fixed so that findings are numbered the same way on every run.
 */
#include "config.h"

#include <stddef.h>

#include "analyzer/detector.h"

const struct detector *const detectors[] = {
	NULL
};
