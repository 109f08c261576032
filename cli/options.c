/*
 * options.c - getopt_long over argv into struct options.
 *
 * GNU getopt permutes argv, so capture files may come before or after the
 * options (`tcpautopsy a.pcap -o r.json` and `tcpautopsy -o r.json a.pcap`).
 * "-" on its own is a positional argument (stdin), as with tcpdump -r -.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer/kinds.h"
#include "analyzer/thresholds.h"
#include "cli/options.h"

/* Longer than any capture anyone keeps, short enough to stay far from int64
 * overflow once turned into nanoseconds. */
#define OPTIONS_MAX_SECONDS (10.0 * 365 * 24 * 3600)

enum {
	OPT_IDLE_TIMEOUT = 256,
	OPT_LINGER,
	OPT_MAX_CONNECTIONS,
	OPT_STATS,
	OPT_LIST_KINDS,
	OPT_COLOR,
	OPT_PROGRESS,
	OPT_FAIL_ON,
};

static const struct option options_long[] = {
	{ "read", required_argument, NULL, 'r' },
	{ "filter", required_argument, NULL, 'f' },
	{ "output", required_argument, NULL, 'o' },
	{ "format", required_argument, NULL, 'F' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "idle-timeout", required_argument, NULL, OPT_IDLE_TIMEOUT },
	{ "linger", required_argument, NULL, OPT_LINGER },
	{ "max-connections", required_argument, NULL, OPT_MAX_CONNECTIONS },
	{ "stats", no_argument, NULL, OPT_STATS },
	{ "threshold", required_argument, NULL, 'T' },
	{ "list-kinds", optional_argument, NULL, OPT_LIST_KINDS },
	{ "color", required_argument, NULL, OPT_COLOR },
	{ "progress", no_argument, NULL, OPT_PROGRESS },
	{ "fail-on", required_argument, NULL, OPT_FAIL_ON },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

void options_usage(void)
{
	fputs("Usage: tcpautopsy [OPTION]... FILE...\n"
	      "Rebuild every TCP connection in pcap/pcapng captures from both endpoints'\n"
	      "points of view and explain what went wrong.\n"
	      "\n"
	      "FILE is a pcap or pcapng capture; - reads standard input. Several files are\n"
	      "analysed in order, as one run.\n"
	      "\n"
	      "  -r, --read FILE            read FILE (as tcpdump -r; same as a bare FILE)\n"
	      "  -f, --filter EXPR          analyse only frames matching the pcap-filter(7)\n"
	      "                             expression; other frames are still counted\n"
	      "  -o, --output FILE          write a report to FILE (repeatable); the format\n"
	      "                             comes from the extension (.html, .json,\n"
	      "                             .ndjson, .jsonl, .txt) or -F; - writes to standard\n"
	      "                             output (text unless -F says otherwise)\n"
	      "  -F, --format FORMAT        html, json, ndjson or text, for every output\n"
	      "  -q, --quiet                do not print warnings, the 'wrote' lines or the\n"
	      "                             progress bar\n"
	      "      --color WHEN           colour the text summary: auto (when standard\n"
	      "                             output is a terminal and NO_COLOR is unset),\n"
	      "                             always (even with NO_COLOR) or never\n"
	      "      --progress             show progress on standard error even when it is\n"
	      "                             not a terminal (then a line a second); without\n"
	      "                             it, a bar is shown on a terminal unless -q\n"
	      "      --fail-on SEVERITY     exit with status 3 when a finding of SEVERITY\n"
	      "                             (info, warning or critical) or worse exists\n"
	      "      --idle-timeout SECONDS finalise a connection silent this long (600)\n"
	      "      --linger SECONDS       keep a closed connection this long for late\n"
	      "                             segments (60)\n"
	      "      --max-connections N    connections tracked at once (1000000)\n"
	      "      --stats                print frames, segments, connections, time and\n"
	      "                             memory to standard error at the end\n"
	      "  -T, --threshold NAME=VALUE change a detector's threshold (repeatable),\n"
	      "                             e.g. -T fin_wait2_stall=30s\n"
	      "      --list-kinds[=FORMAT]  print every kind of finding and every threshold\n"
	      "                             (FORMAT text, json or man) and exit\n"
	      "  -h, --help                 print this help and exit\n"
	      "  -V, --version              print the version and exit\n"
	      "\n"
	      "Without -o, a text summary is printed on standard output.\n"
	      "\n"
	      "Exit status:\n"
	      "  0  success\n"
	      "  1  usage error: bad option, bad filter, nothing to read, unknown output format\n"
	      "  2  an input file could not be read or was damaged (reports are still written\n"
	      "     for what was read)\n"
	      "  3  --fail-on: a finding of that severity or worse, and no error\n"
	      "  4  an output could not be written, or out of memory\n"
	      "  Errors win: 4 over 2, 2 over 3.\n"
	      "\n"
	      "Examples:\n"
	      "  tcpautopsy capture.pcap -o report.json\n"
	      "  tcpautopsy -r capture.pcapng -f 'tcp port 443'\n"
	      "  zcat capture.pcap.gz | tcpautopsy -\n"
	      "  tcpautopsy --fail-on critical capture.pcap -o report.json   # in CI\n"
	      "\n"
	      "See tcpautopsy(1) for the report's contents.\n",
	      stdout);
}

/* Appends one string to a growing array of argv pointers. */
static int options_push(const char ***list, size_t *n, const char *s)
{
	const char **grown = realloc(*list, (*n + 1) * sizeof(**list));

	if (!grown)
		return -1;
	grown[(*n)++] = s;
	*list = grown;
	return 0;
}

/* Seconds as the user writes them ("30", "0.5") -> nanoseconds. */
static int options_seconds(const char *name, const char *arg, bool allow_zero, int64_t *ns)
{
	char *end;
	double s;

	errno = 0;
	s = strtod(arg, &end);
	if (errno || end == arg || *end != '\0' || !isfinite(s) || s < 0 ||
	    (s == 0 && !allow_zero) || s > OPTIONS_MAX_SECONDS) {
		fprintf(stderr, "tcpautopsy: --%s: '%s' is not a number of seconds %s\n", name, arg,
			allow_zero ? "(0 or more)" : "(more than 0)");
		return -1;
	}
	/* s is at most OPTIONS_MAX_SECONDS and not negative: no overflow. */
	*ns = (int64_t)(s * 1e9 + 0.5);
	return 0;
}

static int options_count(const char *arg, uint32_t *out)
{
	char *end;
	unsigned long long n;

	errno = 0;
	n = strtoull(arg, &end, 10);
	if (errno || end == arg || *end != '\0' || arg[0] == '-' || n == 0 || n > UINT32_MAX) {
		fprintf(stderr,
			"tcpautopsy: --max-connections: '%s' is not a number from 1 to %u\n", arg,
			(unsigned)UINT32_MAX);
		return -1;
	}
	*out = (uint32_t)n;
	return 0;
}

/* --fail-on SEVERITY: the severity names are the report's. */
static int options_fail_on(struct options *o, const char *arg)
{
	for (int s = SEV_INFO; s <= SEV_CRITICAL; s++) {
		if (strcmp(arg, severity_name((enum severity)s)) == 0) {
			o->fail_on = s;
			return EXIT_OK;
		}
	}
	fprintf(stderr,
		"tcpautopsy: --fail-on: unknown severity '%s': use info, warning or critical\n",
		arg);
	return EXIT_USAGE;
}

static int options_color(struct options *o, const char *arg)
{
	static const char *const names[] = {
		[COLOR_AUTO] = "auto",
		[COLOR_ALWAYS] = "always",
		[COLOR_NEVER] = "never",
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcmp(arg, names[i]) == 0) {
			o->color = (enum color_when)i;
			return EXIT_OK;
		}
	}
	fprintf(stderr, "tcpautopsy: --color: unknown value '%s': use auto, always or never\n",
		arg);
	return EXIT_USAGE;
}

static int options_threshold(struct options *o, const char *arg)
{
	const char *why = "";

	if (threshold_set(&o->analyzer.detect, arg, &why) == 0)
		return EXIT_OK;
	fprintf(stderr, "tcpautopsy: --threshold '%s': %s\n", arg, why);
	return EXIT_USAGE;
}

/* Handles one option character; returns EXIT_OK or an exit status. */
static int options_one(struct options *o, int c, const char *arg)
{
	switch (c) {
	case 'r':
		return options_push(&o->files, &o->nfiles, arg) ? EXIT_OUTPUT : EXIT_OK;
	case 'o':
		return options_push(&o->outputs, &o->noutputs, arg) ? EXIT_OUTPUT : EXIT_OK;
	case 'f':
		o->filter = arg;
		return EXIT_OK;
	case 'F':
		o->format = arg;
		return EXIT_OK;
	case 'q':
		o->quiet = true;
		return EXIT_OK;
	case OPT_IDLE_TIMEOUT:
		if (options_seconds("idle-timeout", arg, false, &o->analyzer.idle_timeout_ns))
			return EXIT_USAGE;
		return EXIT_OK;
	case OPT_LINGER:
		if (options_seconds("linger", arg, true, &o->analyzer.linger_ns))
			return EXIT_USAGE;
		return EXIT_OK;
	case OPT_MAX_CONNECTIONS:
		if (options_count(arg, &o->analyzer.max_connections))
			return EXIT_USAGE;
		return EXIT_OK;
	case OPT_STATS:
		o->stats = true;
		return EXIT_OK;
	case 'T':
		return options_threshold(o, arg);
	case OPT_COLOR:
		return options_color(o, arg);
	case OPT_PROGRESS:
		o->progress = true;
		return EXIT_OK;
	case OPT_FAIL_ON:
		return options_fail_on(o, arg);
	case OPT_LIST_KINDS:
		o->list_kinds = arg ? arg : "text";
		return EXIT_OK;
	case 'h':
		o->help = true;
		return EXIT_OK;
	case 'V':
		o->version = true;
		return EXIT_OK;
	default:
		/* getopt has already said what was wrong. */
		fputs("Try 'tcpautopsy --help' for more information.\n", stderr);
		return EXIT_USAGE;
	}
}

int options_parse(struct options *o, int argc, char **argv)
{
	int c, rc;

	memset(o, 0, sizeof(*o));
	analyzer_config_default(&o->analyzer);
	o->color = COLOR_AUTO;
	o->fail_on = OPTIONS_NO_FAIL_ON;
	opterr = 1;
	while ((c = getopt_long(argc, argv, "r:f:o:F:T:qhV", options_long, NULL)) != -1) {
		rc = options_one(o, c, optarg);
		if (rc == EXIT_OUTPUT)
			fputs("tcpautopsy: out of memory\n", stderr);
		if (rc != EXIT_OK)
			return rc;
	}
	for (; optind < argc; optind++)
		if (options_push(&o->files, &o->nfiles, argv[optind])) {
			fputs("tcpautopsy: out of memory\n", stderr);
			return EXIT_OUTPUT;
		}
	if (o->help || o->version || o->list_kinds)
		return EXIT_OK;
	if (o->nfiles == 0) {
		fputs("tcpautopsy: no capture to read: give a FILE, or - for standard input\n"
		      "Try 'tcpautopsy --help' for more information.\n",
		      stderr);
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

void options_free(struct options *o)
{
	free(o->files);
	free(o->outputs);
	o->files = NULL;
	o->outputs = NULL;
	o->nfiles = 0;
	o->noutputs = 0;
}
