/*
 * test_progress.c - the progress bar and lines (cli/progress.c): what they
 * say, how they fit a line, when they are due, how the bar is erased.
 *
 * The clock is set by hand (struct progress is plain data) so that rates and
 * ETAs are exact; output goes to a temporary file, which is not a terminal,
 * so the bar has the default 80 columns.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/progress.h"
#include "tests/unit/check.h"

#define SEC 1000000000LL

static char test_dir[256];

static const char *test_path(const char *name)
{
	static char path[600];

	snprintf(path, sizeof(path), "%s/%s", test_dir, name);
	return path;
}

/* A file of n bytes; returns its path (a static buffer per slot). */
static const char *test_file(int slot, const char *name, size_t n)
{
	static char paths[3][600];
	FILE *f;

	snprintf(paths[slot], sizeof(paths[slot]), "%s", test_path(name));
	f = fopen(paths[slot], "wb");
	CHECK(f != NULL);
	for (size_t i = 0; f && i < n; i++)
		putc('x', f);
	if (f)
		fclose(f);
	return paths[slot];
}

/* Everything written to out so far, from the start; out is emptied. */
static char *test_take(FILE *out)
{
	static char buf[4096];
	size_t n;

	fflush(out);
	rewind(out);
	n = fread(buf, 1, sizeof(buf) - 1, out);
	buf[n] = '\0';
	rewind(out);
	CHECK(ftruncate(fileno(out), 0) == 0);
	return buf;
}

/* Pretends `secs` seconds have gone by since the start. */
static void test_at(struct progress *p, double secs)
{
	p->now_ns = p->start_ns + (int64_t)(secs * SEC);
}

static void test_lines_known(void)
{
	const char *a = test_file(0, "a.pcap", 1000), *b = test_file(1, "b.pcap", 3000);
	const char *files[] = { a, test_path("missing.pcap"), b };
	FILE *out = tmpfile();
	struct progress p;
	char want[1024];

	CHECK(out != NULL);
	if (!out)
		return;
	progress_start(&p, PROGRESS_LINES, out, files, 3);
	CHECK(p.known);
	CHECK_INT(p.total, 4000);

	progress_file(&p, a);
	test_at(&p, 1);
	progress_show(&p, 500);
	snprintf(want, sizeof(want),
		 "tcpautopsy: progress:  12%%  0.5/4.0 kB  0.0 MB/s  ETA 0:07  %s\n", a);
	CHECK_STR(test_take(out), want);
	progress_file_done(&p, 1000);

	/* A file that could not be opened adds nothing and moves nothing. */
	progress_file(&p, files[1]);
	progress_file_done(&p, 0);

	progress_file(&p, b);
	test_at(&p, 2);
	progress_show(&p, 3000);
	snprintf(want, sizeof(want),
		 "tcpautopsy: progress: 100%%  4.0/4.0 kB  0.0 MB/s  ETA 0:00  %s\n", b);
	CHECK_STR(test_take(out), want);
	progress_file_done(&p, 3000);

	/* A file that grew while it was read never goes past 100%. */
	progress_file(&p, b);
	progress_show(&p, 9000);
	CHECK(strncmp(test_take(out), "tcpautopsy: progress: 100%  4.0/4.0 kB", 38) == 0);
	progress_file_done(&p, 0);

	progress_end(&p);
	CHECK(strncmp(test_take(out), "tcpautopsy: progress: done: 4000 bytes read in ", 47) == 0);
	CHECK_INT(p.mode, PROGRESS_OFF);
	progress_end(&p);
	CHECK_STR(test_take(out), "");
	fclose(out);
}

static void test_lines_unknown(void)
{
	const char *a = test_file(0, "a.pcap", 1000);
	const char *files[] = { a, "-" };
	FILE *out = tmpfile();
	struct progress p;

	CHECK(out != NULL);
	if (!out)
		return;
	/* Standard input has no size: no percentage, no ETA. */
	progress_start(&p, PROGRESS_LINES, out, files, 2);
	CHECK(!p.known);
	progress_file(&p, a);
	progress_file_done(&p, 1000);
	progress_file(&p, "-");
	test_at(&p, 0.5);
	progress_show(&p, 2500000);
	CHECK_STR(test_take(out), "tcpautopsy: progress: 2.5 MB  5.0 MB/s  standard input\n");
	progress_file_done(&p, 2500000);
	progress_end(&p);
	CHECK(strncmp(test_take(out), "tcpautopsy: progress: done: 2501000 bytes read", 46) == 0);
	fclose(out);
}

/* The visible part of a bar: what follows the \r, up to the padding. */
static size_t test_bar_width(const char *s)
{
	size_t n = strlen(s);

	while (n && s[n - 1] == ' ')
		n--;
	return n && s[0] == '\r' ? n - 1 : n;
}

static void test_bar(void)
{
	const char *a = test_file(0, "bar.pcap", 2000000);
	char long_name[400], ctl[64];
	const char *files[] = { a };
	FILE *out = tmpfile();
	struct progress p;
	char *s;

	CHECK(out != NULL);
	if (!out)
		return;
	progress_start(&p, PROGRESS_BAR, out, files, 1);
	progress_file(&p, a);
	test_at(&p, 2);
	progress_show(&p, 500000);
	s = test_take(out);
	CHECK(strncmp(s, "\r[#####...............]   25%  0.5/2.0 MB  0.2 MB/s  ETA 0:06  ", 63) ==
	      0);
	CHECK(strchr(s, '\n') == NULL);
	/* 80 columns by default, less the last one. */
	CHECK(test_bar_width(s) <= 79);
	CHECK(strstr(s, "bar.pcap") != NULL);

	/* A long path is cut to the file's own name. */
	memset(long_name, 'd', sizeof(long_name));
	memcpy(long_name + sizeof(long_name) - 13, "/tail-x.pcap", 13);
	p.file = long_name;
	progress_show(&p, 500000);
	s = test_take(out);
	CHECK(strstr(s, "ETA 0:06  tail-x.pcap") != NULL);
	CHECK(strstr(s, "ddd") == NULL);

	/* A long file name keeps its end; the line still fits. */
	memset(long_name, 'e', sizeof(long_name));
	memcpy(long_name + sizeof(long_name) - 10, "-end.pcap", 10);
	progress_show(&p, 500000);
	s = test_take(out);
	CHECK_INT(test_bar_width(s), 79);
	CHECK(strstr(s, "ETA 0:06  ...eee") != NULL);
	CHECK(strncmp(s + 1 + 79 - 9, "-end.pcap", 9) == 0);

	/* Nor from the middle of a UTF-8 character. */
	for (size_t i = 0; i + 2 < sizeof(long_name); i += 2)
		memcpy(long_name + i, "\xc3\xa9", 2);
	long_name[sizeof(long_name) - 2] = 'x';
	long_name[sizeof(long_name) - 1] = '\0';
	progress_show(&p, 500000);
	s = test_take(out);
	CHECK(strstr(s, "ETA 0:06  ...\xc3\xa9") != NULL);

	/* A shorter line blanks out what the longer one left. */
	snprintf(ctl, sizeof(ctl), "x\x1b]0;y\x07z");
	p.file = ctl;
	progress_show(&p, 500000);
	s = test_take(out);
	CHECK(strstr(s, "  x?]0;y?z ") != NULL);
	CHECK(strchr(s, '\x1b') == NULL);
	CHECK_INT(strlen(s), 1 + 79);

	/* Erasing: spaces over everything drawn, the cursor back at the start. */
	progress_clear(&p);
	s = test_take(out);
	CHECK_INT(strlen(s), 1 + 79 + 1);
	CHECK(s[0] == '\r' && s[strlen(s) - 1] == '\r');
	CHECK(strspn(s + 1, " ") == strlen(s) - 2);
	CHECK_INT(p.drawn, 0);
	progress_clear(&p);
	CHECK_STR(test_take(out), "");

	/* The end of a bar is its erasure, with no last line. */
	progress_show(&p, 2000000);
	test_take(out);
	progress_end(&p);
	s = test_take(out);
	CHECK(s[0] == '\r' && strchr(s, '%') == NULL);
	fclose(out);
}

static void test_due(void)
{
	const char *files[] = { "-" };
	struct progress p;
	int due = 0;

	progress_start(&p, PROGRESS_OFF, stderr, files, 1);
	for (int i = 0; i < 3 * PROGRESS_EVERY; i++)
		due += progress_due(&p);
	CHECK_INT(due, 0);

	/* The clock is looked at once every PROGRESS_EVERY frames, and says yes
	 * only when the interval has passed. */
	progress_start(&p, PROGRESS_LINES, stderr, files, 1);
	for (int i = 0; i < 3 * PROGRESS_EVERY; i++)
		due += progress_due(&p);
	CHECK_INT(due, 0);
	p.last_ns -= 2 * SEC;
	for (int i = 1; i < PROGRESS_EVERY; i++)
		due += progress_due(&p);
	CHECK_INT(due, 0);
	CHECK(progress_due(&p));
	CHECK(p.now_ns == p.last_ns && p.now_ns > p.start_ns);
	for (int i = 0; i < PROGRESS_EVERY; i++)
		due += progress_due(&p);
	CHECK_INT(due, 0);
}

int main(void)
{
	const char *tmp = getenv("TMPDIR");

	snprintf(test_dir, sizeof(test_dir), "%s/test_progress.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(test_dir)) {
		perror("mkdtemp");
		return 99;
	}
	RUN(test_lines_known);
	RUN(test_lines_unknown);
	RUN(test_bar);
	RUN(test_due);
	unlink(test_path("a.pcap"));
	unlink(test_path("b.pcap"));
	unlink(test_path("bar.pcap"));
	rmdir(test_dir);
	return check_done("test_progress");
}
