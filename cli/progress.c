/*
 * progress.c - the progress bar and the progress lines on standard error.
 */
#include "config.h"

#include <inttypes.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/progress.h"

#define PROGRESS_BAR_NS	     100000000LL  /* ten redraws a second at most */
#define PROGRESS_LINES_NS    1000000000LL /* a line a second in a log */
#define PROGRESS_COLUMNS     80		  /* when the terminal does not say */
#define PROGRESS_MAX_COLUMNS 400	  /* what one line may fill */
#define PROGRESS_CELLS	     20		  /* inside the [....] bar */
#define PROGRESS_MIN_NAME    8		  /* below this, the file name is left out */
#define PROGRESS_LINE_NAME   256	  /* the file name in a log line */

static int64_t progress_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* A regular file's size. Standard input, a pipe or a device has none: false.
 * A file that cannot be looked at counts as empty: it will be reported as
 * unreadable, and the other files still make a total. */
static bool progress_size(const char *path, uint64_t *size)
{
	struct stat st;

	*size = 0;
	if (strcmp(path, "-") == 0)
		return false;
	if (stat(path, &st) != 0)
		return true;
	if (!S_ISREG(st.st_mode))
		return false;
	*size = (uint64_t)st.st_size;
	return true;
}

void progress_start(struct progress *p, enum progress_mode mode, FILE *out,
		    const char *const *files, size_t nfiles)
{
	uint64_t size;

	memset(p, 0, sizeof(*p));
	p->mode = mode;
	if (mode == PROGRESS_OFF)
		return;
	p->out = out;
	p->fd = fileno(out);
	p->interval_ns = mode == PROGRESS_BAR ? PROGRESS_BAR_NS : PROGRESS_LINES_NS;
	p->start_ns = p->last_ns = p->now_ns = progress_now_ns();
	p->known = true;
	for (size_t i = 0; i < nfiles; i++) {
		if (!progress_size(files[i], &size))
			p->known = false;
		p->total = size > UINT64_MAX - p->total ? UINT64_MAX : p->total + size;
	}
	if (p->total == 0)
		p->known = false;
}

void progress_file(struct progress *p, const char *path)
{
	if (p->mode == PROGRESS_OFF)
		return;
	p->file = path;
	progress_size(path, &p->file_size);
}

void progress_file_done(struct progress *p, uint64_t position)
{
	if (p->mode == PROGRESS_OFF)
		return;
	p->done_read += position;
	p->done_size += p->file_size;
	p->file_size = 0;
	p->file = NULL;
}

bool progress_clock_due(struct progress *p)
{
	int64_t now = progress_now_ns();

	if (now - p->last_ns < p->interval_ns)
		return false;
	p->now_ns = p->last_ns = now;
	return true;
}

/* kB, MB or GB (powers of ten, like the rate), chosen by the larger figure so
 * that "12.3/40.1 MB" shares one unit. */
static double progress_unit(uint64_t ref, const char **name)
{
	if (ref >= 1000000000) {
		*name = "GB";
		return 1e9;
	}
	if (ref >= 1000000) {
		*name = "MB";
		return 1e6;
	}
	*name = "kB";
	return 1e3;
}

static void progress_eta(double secs, char *buf, size_t len)
{
	uint64_t s;

	if (secs < 0 || secs > 99.0 * 3600) {
		snprintf(buf, len, "--:--");
		return;
	}
	s = (uint64_t)(secs + 0.5);
	if (s >= 3600)
		snprintf(buf, len, "%" PRIu64 ":%02u:%02u", s / 3600, (unsigned)(s / 60 % 60),
			 (unsigned)(s % 60));
	else
		snprintf(buf, len, "%u:%02u", (unsigned)(s / 60), (unsigned)(s % 60));
}

/* "31%  12.3/40.1 MB  85.1 MB/s  ETA 0:03", or without a total
 * "12.3 MB  85.1 MB/s". Returns the fraction done (0 when unknown). */
static double progress_status(const struct progress *p, uint64_t position, char *buf, size_t len)
{
	uint64_t read = p->done_read + position, done;
	double secs = (double)(p->now_ns - p->start_ns) / 1e9;
	double rate = secs > 0 ? (double)read / secs : 0, frac, unit;
	const char *uname;
	char eta[32];

	if (!p->known) {
		unit = progress_unit(read, &uname);
		snprintf(buf, len, "%.1f %s  %.1f MB/s", (double)read / unit, uname, rate / 1e6);
		return 0;
	}
	done = p->done_size + (position < p->file_size ? position : p->file_size);
	if (done > p->total)
		done = p->total;
	frac = (double)done / (double)p->total;
	progress_eta(rate > 0 ? (double)(p->total - done) / rate : -1, eta, sizeof(eta));
	unit = progress_unit(p->total, &uname);
	snprintf(buf, len, "%3u%%  %.1f/%.1f %s  %.1f MB/s  ETA %s", (unsigned)(frac * 100),
		 (double)done / unit, (double)p->total / unit, uname, rate / 1e6, eta);
	return frac;
}

/* The current file's name in at most room bytes, control characters shown as
 * '?' (a crafted name must not drive the terminal). A path too long for the
 * room is cut to its last part, the file's own name; a name still too long
 * keeps its end behind "...". */
static void progress_name(const struct progress *p, size_t room, char *buf, size_t len)
{
	const char *name = !p->file ? "" : strcmp(p->file, "-") == 0 ? "standard input" : p->file;
	const char *base = strrchr(name, '/');
	size_t n = strlen(name), from = 0, o = 0;

	if (room >= len)
		room = len - 1;
	if (n > room && base && base[1] && strlen(base + 1) <= room) {
		from = (size_t)(base + 1 - name);
	} else if (n > room && room > 3) {
		from = n - (room - 3);
		/* Not from the middle of a UTF-8 sequence. */
		while (from < n && ((unsigned char)name[from] & 0xc0) == 0x80)
			from++;
		memcpy(buf, "...", 3);
		o = 3;
	} else if (n > room) {
		n = room;
	}
	for (size_t i = from; i < n && o < room; i++) {
		unsigned char ch = (unsigned char)name[i];

		buf[o++] = ch < 0x20 || ch == 0x7f ? '?' : (char)ch;
	}
	buf[o] = '\0';
}

/* The terminal's width, less one column: writing the last one makes some
 * terminals wrap, and the \r would then redraw on the next line. */
static size_t progress_columns(const struct progress *p)
{
	struct winsize ws;
	size_t cols = PROGRESS_COLUMNS;

	if (ioctl(p->fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		cols = ws.ws_col;
	if (cols > PROGRESS_MAX_COLUMNS)
		cols = PROGRESS_MAX_COLUMNS;
	return cols > 1 ? cols - 1 : 1;
}

static void progress_write(const struct progress *p, const char *s, size_t n)
{
	fwrite(s, 1, n, p->out);
	fflush(p->out);
}

/* "\r[#####...]  31%  ...  name", padded over what the last bar left. */
static void progress_bar(struct progress *p, uint64_t position)
{
	char line[PROGRESS_MAX_COLUMNS + 8], status[128], name[PROGRESS_MAX_COLUMNS + 1];
	size_t cols = progress_columns(p), n = 0, cells;
	double frac = progress_status(p, position, status, sizeof(status));

	line[n++] = '\r';
	if (p->known && PROGRESS_CELLS + 4 + strlen(status) <= cols) {
		cells = (size_t)(frac * PROGRESS_CELLS);
		line[n++] = '[';
		for (size_t i = 0; i < PROGRESS_CELLS; i++)
			line[n++] = i < cells ? '#' : '.';
		line[n++] = ']';
		line[n++] = ' ';
		line[n++] = ' ';
	}
	n += (size_t)snprintf(line + n, sizeof(line) - n, "%.*s", (int)(cols - (n - 1)), status);
	if (n - 1 + 2 + PROGRESS_MIN_NAME <= cols) {
		progress_name(p, cols - (n - 1) - 2, name, sizeof(name));
		n += (size_t)snprintf(line + n, sizeof(line) - n, "  %s", name);
	}
	/* Blank out the rest of a longer earlier bar. */
	for (size_t w = n - 1; w < p->drawn && n < sizeof(line); w++)
		line[n++] = ' ';
	p->drawn = n - 1;
	progress_write(p, line, n);
}

static void progress_line(struct progress *p, uint64_t position)
{
	char status[128], name[PROGRESS_LINE_NAME + 1];

	progress_status(p, position, status, sizeof(status));
	progress_name(p, PROGRESS_LINE_NAME, name, sizeof(name));
	fprintf(p->out, "tcpautopsy: progress: %s  %s\n", status, name);
	fflush(p->out);
}

void progress_show(struct progress *p, uint64_t position)
{
	if (p->mode == PROGRESS_BAR)
		progress_bar(p, position);
	else if (p->mode == PROGRESS_LINES)
		progress_line(p, position);
}

void progress_clear(struct progress *p)
{
	char blank[PROGRESS_MAX_COLUMNS + 2];

	if (p->mode != PROGRESS_BAR || !p->drawn)
		return;
	blank[0] = '\r';
	memset(blank + 1, ' ', p->drawn);
	blank[p->drawn + 1] = '\r';
	progress_write(p, blank, p->drawn + 2);
	p->drawn = 0;
}

void progress_end(struct progress *p)
{
	double secs;

	if (p->mode == PROGRESS_LINES) {
		secs = (double)(progress_now_ns() - p->start_ns) / 1e9;
		fprintf(p->out,
			"tcpautopsy: progress: done: %" PRIu64
			" bytes read in %.2f s (%.1f MB/s)\n",
			p->done_read, secs, secs > 0 ? (double)p->done_read / secs / 1e6 : 0.0);
		fflush(p->out);
	}
	progress_clear(p);
	p->mode = PROGRESS_OFF;
}
