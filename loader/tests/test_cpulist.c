/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * test_cpulist.c — takes CPU lists in the kernel's syntax, good and bad, and checks what
 * scxload_parse_cpulist() makes of them (the bitmap, or why not) and that
 * scxload_format_cpulist() writes a bitmap back in the same syntax.
 */
#include <string.h>

#include "check.h"
#include "run.h"

/* Parses TEXT and writes the result back: "=" then the list, or "!" then why it was refused. */
static void check_list(const char *text, const char *wanted)
{
	uint64_t bits[SCXC_CPUSET_WORDS];
	char why[160], shown[SCXC_MAX_CPUS * 4], got[SCXC_MAX_CPUS * 4 + 2];
	if (scxload_parse_cpulist(text, bits, why, sizeof(why))) {
		scxload_format_cpulist(bits, shown, sizeof(shown));
		snprintf(got, sizeof(got), "=%s", shown);
	} else {
		snprintf(got, sizeof(got), "!%s", why);
	}
	CHECK_TEXT(text, got, wanted);
}

int main(void)
{
	check_list("0", "=0");
	check_list("2-3", "=2-3");
	check_list("0-1,4", "=0-1,4");
	check_list("6,0-3", "=0-3,6");
	check_list("1,2,3,5", "=1-3,5");
	check_list("0-3,2", "!CPU 2 is in the list twice"); /* as in the language */
	check_list("1_0", "=10");
	check_list("1ms", "!a CPU is a number, not a duration ('1ms')");
	check_list("0x10", "!'0x10' is not a CPU number");
	check_list("99999999999999999999",
		   "!CPU 99999999999999999999 is beyond the 512 CPUs a set may name");
	check_list("63-64,511", "=63-64,511");
	check_list("", "!an empty list names no CPU");
	check_list("512", "!CPU 512 is beyond the 512 CPUs a set may name");
	check_list("3-1", "!the range 3-1 runs backwards");
	check_list("1,", "!the list ends with ','");
	check_list("a", "!expected a CPU number at 'a'");
	check_list("1-", "!expected a CPU number at ''");
	check_list("1 2", "!expected ',' or '-' at ' 2'");
	check_list("-1", "!expected a CPU number at '-1'");
	return checks_passed("test_cpulist");
}
