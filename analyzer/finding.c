/*
 * finding.c - stable names for what findings carry.
 */
#include "config.h"

#include "analyzer/finding.h"

/* The names are part of the JSON and HTML output: never change one. */
const char *severity_name(enum severity s)
{
	switch (s) {
	case SEV_INFO:
		return "info";
	case SEV_WARNING:
		return "warning";
	case SEV_CRITICAL:
		return "critical";
	}
	return "unknown";
}
