/*
 * measure.c - run a command and report its wall time, CPU time and peak RSS.
 *
 *   measure [-o FILE] [-t SECONDS] -- COMMAND [ARG...]
 *
 * Prints one line, to stderr or to FILE:
 *   wall_s=<s> user_s=<s> sys_s=<s> maxrss_kb=<peak RSS of the child>
 *
 * This replaces GNU time, which is not installed everywhere: wait4() gives the
 * child's own rusage (ru_maxrss is in kilobytes on Linux), and the wall clock
 * is CLOCK_MONOTONIC so that clock adjustments cannot skew a run. With -t, the
 * child is killed after that many seconds so a benchmark can never hang.
 *
 * Exit status: the command's, 128 + signal if it was killed by one, 125 if
 * measure itself failed, 127 if the command could not be run.
 */
#define _DEFAULT_SOURCE		/* wait4() */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t timed_out;
static pid_t child;

/* Async-signal-safe: only kill() and a flag. The child stays in our process
 * group, so a ^C at the terminal reaches it as usual. */
static void on_alarm(int sig)
{
	(void)sig;
	timed_out = 1;
	kill(child, SIGKILL);
}

static void usage(void)
{
	fprintf(stderr, "usage: measure [-o FILE] [-t SECONDS] -- COMMAND [ARG...]\n");
}

static double tv_s(const struct timeval *tv)
{
	return (double)tv->tv_sec + (double)tv->tv_usec / 1e6;
}

int main(int argc, char **argv)
{
	const char *outpath = NULL;
	unsigned long limit = 0;
	struct timespec t0, t1;
	struct rusage ru;
	int status, c, rc;
	pid_t w;
	FILE *out;
	char *end;

	while ((c = getopt(argc, argv, "+o:t:h")) != -1) {
		switch (c) {
		case 'o':
			outpath = optarg;
			break;
		case 't':
			errno = 0;
			limit = strtoul(optarg, &end, 10);
			if (errno || end == optarg || *end || limit > 86400 * 7) {
				fprintf(stderr, "measure: bad time limit: %s\n", optarg);
				return 125;
			}
			break;
		case 'h':
			usage();
			return 0;
		default:
			usage();
			return 125;
		}
	}
	/* getopt() has consumed the "--" if there was one. */
	if (optind >= argc) {
		usage();
		return 125;
	}

	/* Open the report file first: failing after the run would waste it. */
	out = stderr;
	if (outpath) {
		out = fopen(outpath, "w");
		if (!out) {
			fprintf(stderr, "measure: %s: %s\n", outpath, strerror(errno));
			return 125;
		}
	}

	if (clock_gettime(CLOCK_MONOTONIC, &t0)) {
		perror("measure: clock_gettime");
		return 125;
	}
	child = fork();
	if (child < 0) {
		perror("measure: fork");
		return 125;
	}
	if (child == 0) {
		execvp(argv[optind], argv + optind);
		fprintf(stderr, "measure: %s: %s\n", argv[optind], strerror(errno));
		_exit(127);
	}
	if (limit) {
		struct sigaction sa;

		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_alarm;
		sigemptyset(&sa.sa_mask);
		sigaction(SIGALRM, &sa, NULL);
		alarm((unsigned)limit);
	}

	do
		w = wait4(child, &status, 0, &ru);
	while (w < 0 && errno == EINTR);
	if (clock_gettime(CLOCK_MONOTONIC, &t1)) {
		perror("measure: clock_gettime");
		return 125;
	}
	alarm(0);
	if (w < 0) {
		perror("measure: wait4");
		return 125;
	}

	fprintf(out, "wall_s=%.3f user_s=%.3f sys_s=%.3f maxrss_kb=%ld\n",
		(double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9,
		tv_s(&ru.ru_utime), tv_s(&ru.ru_stime), ru.ru_maxrss);
	if (outpath && fclose(out)) {
		fprintf(stderr, "measure: %s: %s\n", outpath, strerror(errno));
		return 125;
	}

	if (WIFEXITED(status)) {
		rc = WEXITSTATUS(status);
	} else {
		rc = 128 + WTERMSIG(status);
		fprintf(stderr, "measure: %s: %s%s\n", argv[optind], strsignal(WTERMSIG(status)),
			timed_out ? " (time limit reached)" : "");
	}
	return rc;
}
