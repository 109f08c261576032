/*
 * main.c - the driver: options -> capture files -> dissector -> analyzer ->
 * report.
 *
 * It owns the run's order of events and its exit status, and nothing else:
 * every TCP fact comes from analyzer/, every byte of output from report/.
 * Problems with a file (cannot open, damaged) are said on stderr once, stored
 * in that file's capture_info for the report, and the run carries on with the
 * next file; problems inside packets never reach stderr.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "analyzer/analyzer.h"
#include "analyzer/capture.h"
#include "cli/options.h"
#include "cli/progress.h"
#include "cli/source.h"
#include "dissect/dissect.h"
#include "report/catalog.h"
#include "report/report.h"

struct run {
	struct options opt;
	struct report_output *outs;
	size_t nouts;
	struct capture_info **captures;
	size_t ncaptures;
	struct analyzer *analyzer;
	struct report *report;
	int status; /* the worst exit status so far */
	struct timespec start;
	struct progress progress;
};

/* Keeps the most serious error: output/memory (4) over input (2) over 0.
 * --fail-on's 3 is decided last, by run_fail_on(). */
static void run_status(struct run *r, int status)
{
	if (status > r->status)
		r->status = status;
}

static const char *run_name(const char *path)
{
	return strcmp(path, "-") == 0 ? "standard input" : path;
}

static int run_out_of_memory(struct run *r)
{
	progress_clear(&r->progress);
	fputs("tcpautopsy: out of memory\n", stderr);
	run_status(r, EXIT_OUTPUT);
	return EXIT_OUTPUT;
}

/* The format of one -o: -F wins, then the extension; stdout defaults to text. */
static int run_output_format(const struct options *o, const char *path)
{
	int f;

	if (o->format)
		return report_format_from_name(o->format);
	if (strcmp(path, "-") == 0)
		return REPORT_TEXT;
	f = report_format_from_path(path);
	if (f < 0)
		fprintf(stderr,
			"tcpautopsy: %s: unknown output format: name it .html, .json, "
			".ndjson or .txt, or give -F html, -F json, -F ndjson or -F text\n",
			path);
	return f;
}

/* Turns the -o list (or its absence) into report outputs. */
static int run_outputs(struct run *r)
{
	const struct options *o = &r->opt;
	size_t i, n = o->noutputs ? o->noutputs : 1;
	int f;

	if (o->format && report_format_from_name(o->format) < 0) {
		fprintf(stderr, "tcpautopsy: -F: unknown format '%s': use html, json, ndjson or text\n",
			o->format);
		return EXIT_USAGE;
	}
	r->outs = calloc(n, sizeof(*r->outs));
	if (!r->outs)
		return run_out_of_memory(r);
	for (i = 0; i < n; i++) {
		r->outs[i].path = o->noutputs ? o->outputs[i] : "-";
		f = run_output_format(o, r->outs[i].path);
		if (f < 0)
			return EXIT_USAGE;
		r->outs[i].format = (enum report_format)f;
	}
	r->nouts = n;
	return EXIT_OK;
}

/* --color=auto: colour only for a person: stdout is a terminal, NO_COLOR is
 * unset or empty, and no text output goes to a file, which would keep the
 * escape codes. --color=always is taken at its word, files included. */
static int run_color(const struct run *r)
{
	const char *nc = getenv("NO_COLOR");
	size_t i;

	if (r->opt.color != COLOR_AUTO)
		return r->opt.color == COLOR_ALWAYS;
	if (!isatty(STDOUT_FILENO) || (nc && nc[0]))
		return 0;
	for (i = 0; i < r->nouts; i++)
		if (r->outs[i].format == REPORT_TEXT && strcmp(r->outs[i].path, "-") != 0)
			return 0;
	return 1;
}

/* A bar on a terminal unless -q; --progress asks for it anywhere (then as
 * lines, since a file or a pipe would keep every \r). */
static enum progress_mode run_progress_mode(const struct options *o)
{
	bool tty = isatty(STDERR_FILENO);

	if (o->progress)
		return tty ? PROGRESS_BAR : PROGRESS_LINES;
	return tty && !o->quiet ? PROGRESS_BAR : PROGRESS_OFF;
}

static int run_setup(struct run *r)
{
	struct report_options ropts = { .tool_version = PACKAGE_VERSION };
	/* The analyzer's results go straight to the report. */
	struct analyzer_sink sink = {
		.connection = report_connection,
		.finding = report_finding,
		.aggregate = report_aggregate,
	};
	char err[512];
	int rc;

	if (r->opt.filter && source_check_filter(r->opt.filter, err, sizeof(err)) != 0) {
		fprintf(stderr, "tcpautopsy: bad filter '%s': %s\n", r->opt.filter, err);
		return EXIT_USAGE;
	}
	rc = run_outputs(r);
	if (rc != EXIT_OK)
		return rc;
	ropts.color = run_color(r);
	/* Each file becomes the capture of the same index (run_new_capture). */
	ropts.inputs = r->opt.files;
	ropts.ninputs = r->opt.nfiles;
	r->report = report_new(r->outs, r->nouts, &ropts, err, sizeof(err));
	if (!r->report) {
		fprintf(stderr, "tcpautopsy: cannot start the report: %s\n", err);
		return EXIT_OUTPUT;
	}
	sink.ctx = r->report;
	r->analyzer = analyzer_new(&r->opt.analyzer, &sink);
	if (!r->analyzer)
		return run_out_of_memory(r);
	progress_start(&r->progress, run_progress_mode(&r->opt), stderr, r->opt.files,
		       r->opt.nfiles);
	return EXIT_OK;
}

/* A new capture_info, appended to the run's list (the report lists every file
 * given, readable or not, so its index is its position on the command line). */
static struct capture_info *run_new_capture(struct run *r, const char *path)
{
	struct capture_info **grown, *ci;

	ci = calloc(1, sizeof(*ci));
	grown = realloc(r->captures, (r->ncaptures + 1) * sizeof(*grown));
	if (!ci || !grown) {
		free(ci);
		if (grown)
			r->captures = grown;
		run_out_of_memory(r);
		return NULL;
	}
	r->captures = grown;
	ci->index = (uint32_t)r->ncaptures;
	snprintf(ci->file, sizeof(ci->file), "%s", path);
	r->captures[r->ncaptures++] = ci;
	return ci;
}

/* A file that could not be used at all: say so and keep the reason. */
static void run_file_error(struct run *r, struct capture_info *ci, const char *path,
			   const char *err)
{
	progress_clear(&r->progress);
	fprintf(stderr, "tcpautopsy: %s: %s\n", run_name(path), err);
	ci->damaged = true;
	ci->damaged_after_frame = 0;
	snprintf(ci->error, sizeof(ci->error), "%s", err);
	run_status(r, EXIT_INPUT);
}

static void run_describe(struct run *r, struct capture_info *ci, const struct source *src,
			 const char *path)
{
	const char *name;

	snprintf(ci->format, sizeof(ci->format), "%s", src->format);
	ci->nanosecond = src->nanosecond;
	ci->snaplen = src->snaplen;
	capture_add_linktype(ci, src->linktype);
	if (dissect_linktype_supported(src->linktype) || r->opt.quiet)
		return;
	name = pcap_datalink_val_to_name(src->dlt);
	progress_clear(&r->progress);
	fprintf(stderr,
		"tcpautopsy: %s: link type %s (%d) is not supported: "
		"its frames are counted but not analysed\n",
		run_name(path), name ? name : "unknown", src->linktype);
}

/* One frame: capture time always moves on; rejected frames are counted and
 * go no further. */
static void run_frame(struct run *r, const struct source *src, struct capture_info *ci,
		      const struct source_frame *sf, uint64_t number)
{
	struct tcp_segment seg;
	struct frame f = {
		.linktype = src->linktype,
		.data = sf->data,
		.caplen = sf->caplen,
		.wirelen = sf->wirelen,
		.number = number,
		.capture = ci->index,
		.ts_ns = sf->ts_ns,
	};

	if (!source_accept(src, sf)) {
		ci->stats.frames++;
		ci->filtered++;
		analyzer_clock(r->analyzer, sf->ts_ns);
		return;
	}
	/* Every frame moves capture time on; analyzer_segment() does it itself. */
	if (dissect_frame(&f, &seg, &ci->stats) == DISSECT_TCP)
		analyzer_segment(r->analyzer, &seg);
	else
		analyzer_clock(r->analyzer, sf->ts_ns);
}

/* libpcap 1.10 refuses a pcapng file whose interfaces differ in link type or
 * snap length, a limit of the library rather than damage in the file. */
static const char *run_damage_hint(const char *err)
{
	if (strstr(err, "different from the"))
		return "; libpcap reads a pcapng file only when all its interfaces share one "
		       "link type and snap length: split it per interface (tshark -r FILE "
		       "-Y frame.interface_id==0 -w part0.pcapng)";
	return "";
}

static void run_damaged(struct run *r, struct capture_info *ci, const char *path, uint64_t frames,
			const char *err)
{
	progress_clear(&r->progress);
	if (frames == 0)
		fprintf(stderr, "tcpautopsy: %s: cannot read frame 1: %s%s\n", run_name(path), err,
			run_damage_hint(err));
	else
		fprintf(stderr,
			"tcpautopsy: %s: damaged after frame %" PRIu64 ": %s%s "
			"(the frames before it are analysed)\n",
			run_name(path), frames, err, run_damage_hint(err));
	ci->damaged = true;
	ci->damaged_after_frame = frames;
	snprintf(ci->error, sizeof(ci->error), "%s", err);
	run_status(r, EXIT_INPUT);
}

/* Reads every frame of an open file into the analyzer. */
static void run_frames(struct run *r, struct source *src, struct capture_info *ci, const char *path)
{
	struct source_frame sf;
	enum source_status st;
	uint64_t number = 0;
	char err[256];

	st = source_next(src, &sf, err, sizeof(err));
	ci->first_ts_ns = st == SOURCE_FRAME ? sf.ts_ns : 0;
	ci->last_ts_ns = ci->first_ts_ns;
	analyzer_begin_capture(r->analyzer, ci);
	while (st == SOURCE_FRAME) {
		number++;
		run_frame(r, src, ci, &sf, number);
		if (progress_due(&r->progress))
			progress_show(&r->progress, source_position(src));
		/* Clocks step back in real captures; the file ends at its latest time. */
		if (sf.ts_ns > ci->last_ts_ns)
			ci->last_ts_ns = sf.ts_ns;
		st = source_next(src, &sf, err, sizeof(err));
	}
	if (st == SOURCE_ERROR)
		run_damaged(r, ci, path, number, err);
}

static void run_file(struct run *r, const char *path)
{
	struct capture_info *ci = run_new_capture(r, path);
	struct source src;
	char err[512], why[PCAP_ERRBUF_SIZE + 64];

	if (!ci)
		return;
	progress_file(&r->progress, path);
	if (source_open(&src, path, err, sizeof(err)) != 0) {
		run_file_error(r, ci, path, err);
		progress_file_done(&r->progress, 0);
		return;
	}
	run_describe(r, ci, &src, path);
	if (r->opt.filter && source_set_filter(&src, r->opt.filter, why, sizeof(why)) != 0) {
		snprintf(err, sizeof(err), "cannot apply the filter '%s': %s", r->opt.filter, why);
		run_file_error(r, ci, path, err);
	} else {
		run_frames(r, &src, ci, path);
	}
	progress_file_done(&r->progress, source_position(&src));
	source_close(&src);
}

static const char *run_plural(uint64_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

static void run_wrote(const struct run *r, const struct analyzer_stats *st)
{
	size_t i;

	if (r->opt.quiet || r->opt.noutputs == 0)
		return;
	for (i = 0; i < r->nouts; i++) {
		if (strcmp(r->outs[i].path, "-") == 0)
			continue;
		fprintf(stderr, "tcpautopsy: wrote %s (%" PRIu64 " %s, %" PRIu64 " %s)\n",
			r->outs[i].path, st->connections,
			run_plural(st->connections, "connection", "connections"), st->findings,
			run_plural(st->findings, "finding", "findings"));
	}
}

/* --stats: the one place wall-clock time appears (reports stay deterministic). */
static void run_print_stats(const struct run *r, const struct analyzer_stats *st)
{
	struct timespec now;
	struct rusage ru;
	uint64_t frames = 0;
	double secs;
	size_t i;

	for (i = 0; i < r->ncaptures; i++)
		frames += r->captures[i]->stats.frames;
	clock_gettime(CLOCK_MONOTONIC, &now);
	secs = (double)(now.tv_sec - r->start.tv_sec) +
	       (double)(now.tv_nsec - r->start.tv_nsec) / 1e9;
	memset(&ru, 0, sizeof(ru));
	getrusage(RUSAGE_SELF, &ru);
	fprintf(stderr,
		"tcpautopsy: stats: frames=%" PRIu64 " tcp_segments=%" PRIu64
		" connections=%" PRIu64 " elapsed_s=%.3f frames_per_s=%.0f"
		" peak_rss_kib=%ld\n",
		frames, st->segments, st->connections, secs, secs > 0 ? (double)frames / secs : 0.0,
		ru.ru_maxrss);
}

/* --fail-on: exit status 3 when a finding of that severity or worse was
 * raised, but only for a run without errors: a 2 or a 4 means the report is
 * incomplete or missing, which a pipeline must hear about first. */
static void run_fail_on(struct run *r)
{
	uint64_t n;

	if (r->opt.fail_on == OPTIONS_NO_FAIL_ON)
		return;
	n = report_findings_at_least(r->report, (enum severity)r->opt.fail_on);
	if (!n)
		return;
	if (!r->opt.quiet)
		fprintf(stderr,
			"tcpautopsy: --fail-on %s: %" PRIu64 " %s of severity %s or worse\n",
			severity_name((enum severity)r->opt.fail_on), n,
			run_plural(n, "finding", "findings"),
			severity_name((enum severity)r->opt.fail_on));
	if (r->status == EXIT_OK)
		r->status = EXIT_FAIL_ON;
}

static void run_finish(struct run *r)
{
	const struct analyzer_stats *st;
	char err[1024];

	analyzer_finish(r->analyzer);
	st = analyzer_stats(r->analyzer);
	if (report_finish(r->report, (struct capture_info *const *)r->captures, r->ncaptures, st,
			  err, sizeof(err)) != 0) {
		fprintf(stderr, "tcpautopsy: %s\n", err);
		run_status(r, EXIT_OUTPUT);
	} else {
		run_wrote(r, st);
	}
	if (r->opt.stats)
		run_print_stats(r, st);
	run_fail_on(r);
}

static void run_free(struct run *r)
{
	size_t i;

	if (r->analyzer)
		analyzer_free(r->analyzer);
	if (r->report)
		report_free(r->report);
	for (i = 0; i < r->ncaptures; i++)
		free(r->captures[i]);
	free(r->captures);
	free(r->outs);
	options_free(&r->opt);
}

static void run_version(void)
{
	printf("tcpautopsy %s\n%s\n", PACKAGE_VERSION, pcap_lib_version());
}

/* --list-kinds[=FORMAT], with the thresholds as this command line set them. */
static int run_list_kinds(const struct options *o)
{
	int f = catalog_format_from_name(o->list_kinds);

	if (f < 0) {
		fprintf(stderr, "tcpautopsy: --list-kinds: unknown format '%s' (text, json, man)\n",
			o->list_kinds);
		return EXIT_USAGE;
	}
	if (catalog_write(stdout, (enum catalog_format)f, &o->analyzer.detect) < 0) {
		fprintf(stderr, "tcpautopsy: writing the catalog failed\n");
		return EXIT_OUTPUT;
	}
	return EXIT_OK;
}

int main(int argc, char **argv)
{
	struct run r;
	size_t i;
	int rc;

	memset(&r, 0, sizeof(r));
	clock_gettime(CLOCK_MONOTONIC, &r.start);
	rc = options_parse(&r.opt, argc, argv);
	if (rc == EXIT_OK && r.opt.help)
		options_usage();
	else if (rc == EXIT_OK && r.opt.version)
		run_version();
	else if (rc == EXIT_OK && r.opt.list_kinds)
		rc = run_list_kinds(&r.opt);
	else if (rc == EXIT_OK)
		rc = run_setup(&r);
	if (rc != EXIT_OK || r.opt.help || r.opt.version || r.opt.list_kinds) {
		run_free(&r);
		return rc;
	}
	for (i = 0; i < r.opt.nfiles && r.status != EXIT_OUTPUT; i++)
		run_file(&r, r.opt.files[i]);
	/* The bar goes before the summary, which may share its terminal. */
	progress_end(&r.progress);
	if (r.status != EXIT_OUTPUT)
		run_finish(&r);
	rc = r.status;
	run_free(&r);
	return rc;
}
