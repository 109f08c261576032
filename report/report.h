/*
 * report.h - findings and connections -> the outputs the user asked for.
 *
 * One struct report serves every output of a run (several -o in one run). The
 * analyzer's results stream in: each finalised connection is written to a
 * temporary spool at once, never held; findings, which are few, are held. When
 * the run ends, report_finish() writes each output to a temporary name next to
 * its destination and renames it into place, so a failed run never leaves half
 * a report. Only report/ knows JSON and HTML.
 *
 * Ownership: the report copies what it keeps; pointers passed in are borrowed
 * for the duration of the call.
 *
 * The connection spool is an unlinked file in $TMPDIR (else /tmp): point
 * TMPDIR at a disk when /tmp is a small tmpfs and the captures are large.
 */
#ifndef TCPAUTOPSY_REPORT_REPORT_H
#define TCPAUTOPSY_REPORT_REPORT_H

#include <stddef.h>

#include "analyzer/analyzer.h"
#include "analyzer/capture.h"
#include "analyzer/conn.h"
#include "analyzer/finding.h"

enum report_format {
	REPORT_TEXT,	/* terminal summary */
	REPORT_JSON,	/* the full JSON document */
	REPORT_NDJSON,	/* one JSON object per line and per connection or finding (ECS) */
	REPORT_HTML,	/* the page a person reads: verdict first, then evidence */
	REPORT_FORMAT_COUNT
};

struct report_output {
	enum report_format format;
	const char *path;	/* "-" writes to stdout */
};

struct report_options {
	const char *tool_version;
	int color;		/* text: 1 colour, 0 plain */
	/* The capture files as given, in order: capture index i is inputs[i]
	 * ("-" for stdin). NDJSON names the file on every line, and its
	 * connection lines are written before report_finish() brings the
	 * captures. May be NULL (the lines then say null). */
	const char *const *inputs;
	size_t ninputs;
};

struct report;

/* Guesses a format from a file name's extension (".html", ".htm", ".json",
 * ".ndjson", ".jsonl", ".txt", in any case); returns -1 when it cannot tell
 * (and for "-"). */
int report_format_from_path(const char *path);
const char *report_format_name(enum report_format f);
/* "html", "json", "ndjson", "text"; -1 if unknown */
int report_format_from_name(const char *name);

/* Opens the spool. Returns NULL and fills err when that fails. */
struct report *report_new(const struct report_output *outs, size_t nouts,
			  const struct report_options *opts, char *err, size_t errlen);
void report_free(struct report *r);

/* Analyzer sink callbacks (ctx is the struct report). */
void report_connection(void *ctx, const struct tcp_conn *c);
void report_finding(void *ctx, const struct finding *f);
void report_aggregate(void *ctx, const struct aggregate *g);

/* How many findings of severity s or worse have been reported (--fail-on). */
uint64_t report_findings_at_least(const struct report *r, enum severity s);

/* Writes every output. Returns 0, or -1 with err filled (naming the file).
 * One output failing does not stop the others; err holds the first failure.
 * captures may be NULL when ncaptures is 0, and stats NULL (all zero). Call it
 * once. */
int report_finish(struct report *r, struct capture_info *const *captures, size_t ncaptures,
		  const struct analyzer_stats *stats, char *err, size_t errlen);

#endif
