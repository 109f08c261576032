/*
 * json_finding.h - report/ internals: a finding and a roll-up as JSON objects.
 */
#ifndef TCPAUTOPSY_REPORT_JSON_FINDING_H
#define TCPAUTOPSY_REPORT_JSON_FINDING_H

#include <cjson/cJSON.h>

#include "analyzer/aggregate.h"
#include "analyzer/finding.h"

/* NULL when out of memory. */
cJSON *json_finding(const struct finding *f);
cJSON *json_aggregate(const struct aggregate *g);

#endif
