/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * check.h — what the unit tests check with: CHECK(condition) and CHECK_TEXT(what, actual,
 * expected) report a failure with its file and line and count it in `failures`;
 * checks_passed() ends a test program: it prints the count and gives main()'s exit status.
 */
#ifndef SCXC_TEST_CHECK_H
#define SCXC_TEST_CHECK_H

#include <stdio.h>
#include <string.h>

static int failures;

#define CHECK(condition) \
	do { \
		if (!(condition)) { \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, \
				#condition); \
			failures++; \
		} \
	} while (0)

static inline void check_text(const char *file, int line, const char *what, const char *actual,
			      const char *expected)
{
	if (strcmp(actual, expected) != 0) {
		fprintf(stderr, "%s:%d: %s: expected\n---\n%s\n---\ngot\n---\n%s\n---\n", file,
			line, what, expected, actual);
		failures++;
	}
}
#define CHECK_TEXT(what, actual, expected) \
	check_text(__FILE__, __LINE__, (what), (actual), (expected))

/* main()'s exit status: 0 if every check passed. */
static inline int checks_passed(const char *program)
{
	if (failures)
		fprintf(stderr, "%s: %d check(s) failed\n", program, failures);
	return failures != 0;
}

#endif
