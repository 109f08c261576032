/*
 * catalog.h - the catalog of finding kinds and thresholds, for people and
 * programs (--list-kinds).
 *
 * Everything comes from the analyzer's tables (analyzer/kinds.c,
 * analyzer/thresholds.c): the man page's table is this output in man format,
 * and tests/kinds.sh checks that it is still the same.
 */
#ifndef TCPAUTOPSY_REPORT_CATALOG_H
#define TCPAUTOPSY_REPORT_CATALOG_H

#include <stdio.h>

#include "analyzer/analyzer.h"

enum catalog_format { CATALOG_TEXT, CATALOG_JSON, CATALOG_MAN };

/* "text", "json", "man" -> format; -1 when unknown. */
int catalog_format_from_name(const char *name);

/* Writes the kinds (id, severity, scope, one line) and the thresholds with
 * their current values (d). Returns 0, or -1 when writing failed. */
int catalog_write(FILE *out, enum catalog_format f, const struct detect_config *d);

#endif
