/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * number.c — reads and writes the language's number literals (see number.h).
 */
#include "number.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

const char *const unit_suffixes[] = { [UNIT_NONE] = "",
#define X(unit, suffix, ns) [unit] = suffix,
				      UNIT_LIST(X)
#undef X
};

const int64_t unit_nanoseconds[] = { [UNIT_NONE] = 1,
#define X(unit, suffix, ns) [unit] = ns,
				     UNIT_LIST(X)
#undef X
};

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

enum number_status read_number(const char *text, size_t length, struct number_literal *literal)
{
	*literal = (struct number_literal){ 0, UNIT_NONE, 0 };
	if (length == 0 || !is_digit(text[0]))
		return NUMBER_NO_DIGITS;
	if (text[0] == '0' && length > 1 && strchr("xXbBoO", text[1]))
		return NUMBER_NOT_DECIMAL;

	uint64_t magnitude = 0;
	bool too_large = false;
	size_t i = 0;
	for (; i < length; i++) {
		if (text[i] == '_' && i + 1 < length && is_digit(text[i + 1]))
			continue;
		if (!is_digit(text[i]))
			break;
		uint64_t digit = (uint64_t)(text[i] - '0');
		if (magnitude > ((uint64_t)INT64_MAX - digit) / 10)
			too_large = true;
		else
			magnitude = magnitude * 10 + digit;
	}
	literal->digits = i;
	if (i < length && text[i] == '_')
		return NUMBER_MISPLACED_UNDERSCORE;

	enum unit unit = UNIT_NONE;
	if (i < length) {
		size_t suffix_length = length - i;
#define X(name, suffix, ns) \
	if (suffix_length == strlen(suffix) && !memcmp(text + i, suffix, suffix_length)) \
		unit = name;
		UNIT_LIST(X)
#undef X
		if (unit == UNIT_NONE)
			return NUMBER_UNKNOWN_UNIT;
	}
	if (too_large || magnitude > (uint64_t)INT64_MAX / (uint64_t)unit_nanoseconds[unit]) {
		literal->unit = unit;
		return NUMBER_TOO_LARGE;
	}
	literal->value = (int64_t)magnitude * unit_nanoseconds[unit];
	literal->unit = unit;
	return NUMBER_OK;
}

char *format_duration(int64_t ns, char out[DURATION_TEXT_MAX])
{
	enum unit unit = UNIT_S;
	while (unit > UNIT_NS && (ns == 0 || ns % unit_nanoseconds[unit] != 0))
		unit--;
	snprintf(out, DURATION_TEXT_MAX, "%" PRId64 "%s", ns / unit_nanoseconds[unit],
		 unit_suffixes[unit]);
	return out;
}
