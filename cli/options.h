/*
 * options.h - the command line, parsed into one struct and nothing else.
 *
 * Parsing does no I/O beyond printing usage errors: files are not opened and
 * the filter is not compiled here, so every check that needs libpcap or the
 * report layer stays in the driver.
 *
 * Ownership: every string in struct options points into argv; the arrays are
 * allocated by options_parse() and released by options_free().
 */
#ifndef TCPAUTOPSY_CLI_OPTIONS_H
#define TCPAUTOPSY_CLI_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>

#include "analyzer/analyzer.h"

/* Exit statuses, documented in --help, tcpautopsy(1) and README.md. */
enum {
	EXIT_OK = 0,
	EXIT_USAGE = 1,	  /* bad option, bad filter, nothing to read, bad format */
	EXIT_INPUT = 2,	  /* an input could not be read or was damaged */
	EXIT_FAIL_ON = 3, /* --fail-on: a finding that severe, and no error */
	EXIT_OUTPUT = 4,  /* an output could not be written, or out of memory */
};

/* --color=WHEN */
enum color_when {
	COLOR_AUTO,   /* stdout is a terminal and NO_COLOR is unset or empty */
	COLOR_ALWAYS, /* whatever the terminal and NO_COLOR say */
	COLOR_NEVER,
};

/* --fail-on's value when it is not given. */
#define OPTIONS_NO_FAIL_ON (-1)

struct options {
	const char **files; /* captures in command-line order; "-" is stdin */
	size_t nfiles;
	const char **outputs; /* -o paths in order; "-" is stdout */
	size_t noutputs;
	const char *format; /* -F: forces every output's format; NULL = guess */
	const char *filter; /* -f: a pcap-filter(7) expression, or NULL */
	bool quiet;
	bool stats;
	bool progress; /* --progress: a progress report even without a terminal */
	enum color_when color;
	int fail_on; /* an enum severity, or OPTIONS_NO_FAIL_ON */
	bool help;
	bool version;
	const char *list_kinds;	/* --list-kinds[=FORMAT]: "text", "json", "man"; NULL */
	struct analyzer_config analyzer;
};

/* Parses argv. Returns EXIT_OK, or EXIT_USAGE after printing what was wrong
 * (or EXIT_OUTPUT when out of memory). On success with help or version set,
 * the caller prints and stops. */
int options_parse(struct options *o, int argc, char **argv);
void options_free(struct options *o);

/* Prints the --help text to stdout. */
void options_usage(void);

#endif
