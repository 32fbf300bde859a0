/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * report.c — takes what the loader has to say and writes it to stderr under the program's name:
 * "scxrun: error: …" for what went wrong, "scxrun: …" for what the user should know.  Stats
 * are not messages; they go to stdout (stats.c).
 */
#include <stdarg.h>
#include <stdio.h>

#include "scxload.h"

const char *scxload_progname = "scxrun";

static void report(const char *kind, const char *fmt, va_list args)
{
	fprintf(stderr, "%s: %s", scxload_progname, kind);
	vfprintf(stderr, fmt, args);
	fputc('\n', stderr);
}

void scxload_error(const char *fmt, ...)
{
	va_list args;
	va_start(args, fmt);
	report("error: ", fmt, args);
	va_end(args);
}

void scxload_note(const char *fmt, ...)
{
	va_list args;
	va_start(args, fmt);
	report("", fmt, args);
	va_end(args);
}
