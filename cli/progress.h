/*
 * progress.h - how far the run has read, on standard error, for a person
 * waiting on large captures.
 *
 * Two ways to show it. On a terminal, a bar redrawn in place with \r at most
 * ten times a second and erased (overwritten with spaces) before anything else
 * is printed, so the summary and the error lines are never garbled. When
 * standard error is not a terminal and --progress asked for it anyway (a log
 * file, a CI job), a plain line a second and a last line at the end: \r would
 * leave a log full of carriage returns.
 *
 * Nothing is drawn before the first interval has passed, so a short run shows
 * no bar at all.
 *
 * Percentage and ETA need the total, the sum of the input files' sizes, which
 * is known only when every input is a regular file; with standard input or a
 * pipe, the bytes read and the rate are shown instead.
 *
 * Cost: the driver calls progress_due() for every frame. It counts frames and
 * looks at the monotonic clock once every PROGRESS_EVERY frames, so a frame
 * costs an increment and a test; the bytes read are asked for only when a line
 * is drawn.
 *
 * Ownership: struct progress keeps only counters; the file names it is given
 * are borrowed until the next progress_file() or progress_end().
 */
#ifndef TCPAUTOPSY_CLI_PROGRESS_H
#define TCPAUTOPSY_CLI_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Frames between two looks at the clock: a power of two. */
#define PROGRESS_EVERY 2048

enum progress_mode {
	PROGRESS_OFF,
	PROGRESS_BAR,	/* a terminal: redrawn in place, erased at the end */
	PROGRESS_LINES, /* anything else: a line a second, a last line */
};

struct progress {
	enum progress_mode mode;
	FILE *out;
	int fd;				   /* out's descriptor, for the terminal width */
	uint32_t frames;		   /* counted towards the next look at the clock */
	int64_t interval_ns;		   /* between two lines */
	int64_t start_ns, last_ns, now_ns; /* monotonic */

	bool known;	    /* every input is a regular file: total is right */
	uint64_t total;	    /* the inputs' sizes when the run began */
	uint64_t done_size; /* sizes of the files finished */
	uint64_t done_read; /* bytes read from the files finished */
	uint64_t file_size; /* the current file's size (known only) */
	const char *file;   /* the current file, as given; NULL between files */
	size_t drawn;	    /* columns of the bar on screen, to erase */
};

/* Starts the clock. The inputs are looked at (stat) to sum their sizes;
 * "-" is standard input. */
void progress_start(struct progress *p, enum progress_mode mode, FILE *out,
		    const char *const *files, size_t nfiles);

/* A file begins / has been read up to position bytes (its last position). */
void progress_file(struct progress *p, const char *path);
void progress_file_done(struct progress *p, uint64_t position);

/* True once every PROGRESS_EVERY frames when a line is due: then the caller
 * passes the current file's position to progress_show(). */
bool progress_clock_due(struct progress *p);
static inline bool progress_due(struct progress *p)
{
	if (p->mode == PROGRESS_OFF || (++p->frames & (PROGRESS_EVERY - 1)) != 0)
		return false;
	return progress_clock_due(p);
}
void progress_show(struct progress *p, uint64_t position);

/* Erases the bar before another message goes to standard error; the next
 * line due draws it again. */
void progress_clear(struct progress *p);

/* The run's reading is over: erases the bar, or prints the last line. */
void progress_end(struct progress *p);

#endif
