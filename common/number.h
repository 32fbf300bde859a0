/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * number.h — the language's number literals, read and written in one place.
 *
 * The lexer reads `5ms` and `1_000` with read_number(); `scxrun --set` and the workload program
 * read their values with it too, so all of them accept exactly the same text.  format_duration()
 * writes a duration back in the largest unit that keeps it exact, as every message and dump does.
 */
#ifndef SCXC_NUMBER_H
#define SCXC_NUMBER_H

#include <stddef.h>
#include <stdint.h>

/* The units of a duration, smallest first.  X(enum, suffix, nanoseconds) */
/* clang-format off */
#define UNIT_LIST(X) \
	X(UNIT_NS, "ns", 1) \
	X(UNIT_US, "us", 1000) \
	X(UNIT_MS, "ms", 1000000) \
	X(UNIT_S, "s", 1000000000)
/* clang-format on */

enum unit {
	UNIT_NONE, /* a plain integer */
#define X(unit, suffix, ns) unit,
	UNIT_LIST(X)
#undef X
};
#define UNIT_COUNT UNIT_S /* units proper: unit_suffixes[1 .. UNIT_COUNT] */

/* Each unit's suffix ("" for UNIT_NONE) and length in nanoseconds (1 for UNIT_NONE). */
extern const char *const unit_suffixes[];
extern const int64_t unit_nanoseconds[];

enum number_status {
	NUMBER_OK,
	NUMBER_NO_DIGITS,	     /* the text does not start with a digit */
	NUMBER_NOT_DECIMAL,	     /* 0x…, 0b…, 0o… */
	NUMBER_MISPLACED_UNDERSCORE, /* a '_' not between two digits: 1_, 5_ms */
	NUMBER_TOO_LARGE,	     /* beyond 2^63 - 1 (in nanoseconds, for a duration) */
	NUMBER_UNKNOWN_UNIT,	     /* digits followed by something that is no unit */
};

struct number_literal {
	int64_t value; /* nanoseconds when unit != UNIT_NONE */
	enum unit unit;
	size_t digits; /* how many bytes the digits (and '_'s) take */
};

/*
 * Reads the LENGTH bytes at TEXT as one literal: decimal digits, a '_' only between two digits,
 * then nothing or a unit.  There is no sign: the language's minus is an operator.  Fills *LITERAL
 * (value 0 unless NUMBER_OK; digits is set whenever the text starts with one).
 */
enum number_status read_number(const char *text, size_t length, struct number_literal *literal);

/* Room for any int64_t with a unit and its NUL. */
#define DURATION_TEXT_MAX 24

/* Writes NS as the language writes it, in the largest unit that keeps it exact: 5ms, 1500us,
 * 0ns.  Returns OUT. */
char *format_duration(int64_t ns, char out[DURATION_TEXT_MAX]);

#endif
