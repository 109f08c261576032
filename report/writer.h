/*
 * writer.h - report/ internals: what report.c keeps for every output, and the
 * ops table each output format implements.
 *
 * report.c holds what every format needs once per run (the held findings, the
 * tallies of final state pairs and of severities) in a struct report_model and
 * dispatches the analyzer's callbacks to one writer per output. A writer keeps
 * only what its format needs beyond the model (the JSON writers: their
 * connection spool) and, at the end, writes the whole output to the FILE it is
 * given. report.c owns that FILE: it checks the stream for write errors and
 * renames it into place.
 *
 * Errors: a writer fills err with "what failed: why" and returns -1; report.c
 * prefixes the output's path.
 */
#ifndef TCPAUTOPSY_REPORT_WRITER_H
#define TCPAUTOPSY_REPORT_WRITER_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "analyzer/aggregate.h"
#include "report/report.h"

/* Final states are tallied per (client, server) pair; an out-of-range state
 * lands in the last slot, so the array stays 11x11 whatever the input. */
#define REPORT_STATE_SLOTS (TCP_STATE_COUNT + 1)

struct report_model {
	const struct report_options *opts;	/* the report's own copy */

	uint64_t connections;			/* finalised connections seen */
	uint64_t final_states[REPORT_STATE_SLOTS][REPORT_STATE_SLOTS];

	struct finding *findings;		/* copies, sorted by id at finish */
	size_t nfindings;
	uint64_t severities[SEV_CRITICAL + 1];	/* the findings, by severity */

	struct aggregate *aggregates;		/* copies, in the analyzer's order
						 * (most severe, most frequent first) */
	size_t naggregates;

	/* Given to report_finish(). */
	struct capture_info *const *captures;
	size_t ncaptures;
	const struct analyzer_stats *stats;	/* never NULL at finish */
};

struct writer_ops {
	const char *name;

	/* Returns the writer's state, or NULL with err filled. */
	void *(*open)(char *err, size_t errlen);
	/* Optional hook, called for every connection as it is finalised. */
	int (*on_connection)(void *w, const struct report_model *m, const struct tcp_conn *c,
			     char *err, size_t errlen);
	/* Writes the whole output to out. */
	int (*finish)(void *w, const struct report_model *m, FILE *out, char *err,
		      size_t errlen);
	void (*free)(void *w);
};

extern const struct writer_ops writer_json;
extern const struct writer_ops writer_ndjson;
extern const struct writer_ops writer_html;
extern const struct writer_ops writer_text;

/* The slot of a state in report_model.final_states. */
unsigned report_state_slot(enum tcp_state s);
/* tcp_state_name() for a slot; "UNKNOWN" for the overflow slot. */
const char *report_state_slot_name(unsigned slot);

#endif
