/*
 * check.h - the unit tests' whole framework: CHECK() records a failure with its
 * file and line and carries on, so one run shows every broken expectation;
 * check_done() turns the tally into the exit status automake's harness reads.
 */
#ifndef TCPAUTOPSY_TESTS_CHECK_H
#define TCPAUTOPSY_TESTS_CHECK_H

#include <stdio.h>
#include <string.h>

static int check_failures;
static int check_count;

#define CHECK(cond)                                                                  \
	do {                                                                         \
		check_count++;                                                       \
		if (!(cond)) {                                                       \
			check_failures++;                                            \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__,       \
				__LINE__, #cond);                                    \
		}                                                                    \
	} while (0)

#define CHECK_INT(got, want)                                                         \
	do {                                                                         \
		long long check_g_ = (long long)(got), check_w_ = (long long)(want); \
		check_count++;                                                       \
		if (check_g_ != check_w_) {                                          \
			check_failures++;                                            \
			fprintf(stderr, "%s:%d: %s is %lld, expected %lld\n",        \
				__FILE__, __LINE__, #got, check_g_, check_w_);       \
		}                                                                    \
	} while (0)

#define CHECK_STR(got, want)                                                         \
	do {                                                                         \
		const char *check_g_ = (got), *check_w_ = (want);                    \
		check_count++;                                                       \
		if (!check_g_ || strcmp(check_g_, check_w_) != 0) {                 \
			check_failures++;                                            \
			fprintf(stderr, "%s:%d: %s is \"%s\", expected \"%s\"\n",    \
				__FILE__, __LINE__, #got,                            \
				check_g_ ? check_g_ : "(null)", check_w_);           \
		}                                                                    \
	} while (0)

/* Runs one test function, naming it when it fails. */
#define RUN(test)                                                                    \
	do {                                                                         \
		int check_before_ = check_failures;                                  \
		test();                                                              \
		if (check_failures != check_before_)                                 \
			fprintf(stderr, "FAIL: %s\n", #test);                        \
	} while (0)

static inline int check_done(const char *name)
{
	fprintf(stderr, "%s: %d checks, %d failed\n", name, check_count, check_failures);
	return check_failures ? 1 : 0;
}

#endif
