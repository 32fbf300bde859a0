/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * test_common.c — unit tests of the library every scxc program shares: number literals and
 * durations, did-you-mean, word lists and option values.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "number.h"
#include "options.h"
#include "words.h"

static enum number_status read(const char *text, struct number_literal *literal)
{
	return read_number(text, strlen(text), literal);
}

static void test_numbers(void)
{
	struct number_literal n;
	CHECK(read("42", &n) == NUMBER_OK && n.value == 42 && n.unit == UNIT_NONE && n.digits == 2);
	CHECK(read("5ms", &n) == NUMBER_OK && n.value == 5000000 && n.unit == UNIT_MS &&
	      n.digits == 1);
	CHECK(read("1_000us", &n) == NUMBER_OK && n.value == 1000000 && n.unit == UNIT_US);
	CHECK(read("2s", &n) == NUMBER_OK && n.value == 2000000000);
	CHECK(read("9223372036854775807", &n) == NUMBER_OK && n.value == INT64_MAX);
	CHECK(read("9223372036854775808", &n) == NUMBER_TOO_LARGE && n.unit == UNIT_NONE);
	CHECK(read("9223372036s", &n) == NUMBER_OK);
	CHECK(read("9223372037s", &n) == NUMBER_TOO_LARGE && n.unit == UNIT_S);
	CHECK(read("5_ms", &n) == NUMBER_MISPLACED_UNDERSCORE);
	CHECK(read("1_", &n) == NUMBER_MISPLACED_UNDERSCORE);
	CHECK(read("1__0", &n) == NUMBER_MISPLACED_UNDERSCORE);
	CHECK(read("5msec", &n) == NUMBER_UNKNOWN_UNIT && n.digits == 1);
	CHECK(read("0x10", &n) == NUMBER_NOT_DECIMAL);
	CHECK(read("-5", &n) == NUMBER_NO_DIGITS);
	CHECK(read("_5", &n) == NUMBER_NO_DIGITS);
	CHECK(read("", &n) == NUMBER_NO_DIGITS);
}

static void test_durations(void)
{
	char text[DURATION_TEXT_MAX];
	CHECK(!strcmp(format_duration(5000000, text), "5ms"));
	CHECK(!strcmp(format_duration(1500000, text), "1500us"));
	CHECK(!strcmp(format_duration(2000000000, text), "2s"));
	CHECK(!strcmp(format_duration(7, text), "7ns"));
	CHECK(!strcmp(format_duration(0, text), "0ns"));
	CHECK(!strcmp(format_duration(-3000, text), "-3us"));
	CHECK(!strcmp(format_duration(INT64_MIN, text), "-9223372036854775808ns"));
	/* What is written reads back as the same value. */
	const int64_t values[] = { 1, 999, 1000, 123456789, 4000000000, INT64_MAX };
	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		struct number_literal n;
		CHECK(read(format_duration(values[i], text), &n) == NUMBER_OK &&
		      n.value == values[i]);
	}
}

static void test_suggestions(void)
{
	const char *const fields[] = { "comm", "pid", "tgid", "uid", "gid", "nice", "weight" };
	CHECK(suggest_name("wieght", fields, 7) &&
	      !strcmp(suggest_name("wieght", fields, 7), "weight"));
	CHECK(suggest_name("nise", fields, 7) && !strcmp(suggest_name("nise", fields, 7), "nice"));
	CHECK(suggest_name("pdi", fields, 7) && !strcmp(suggest_name("pdi", fields, 7), "pid"));
	CHECK(suggest_name("banana", fields, 7) == NULL);
	CHECK(suggest_name("x", fields, 0) == NULL);
	CHECK(word_index(fields, 7, "nice") == 5 && word_index(fields, 7, "nise") == -1);
}

static void test_word_lists(void)
{
	const char *const words[] = { "ns", "us", "ms", "s" };
	char out[64];
	CHECK(!strcmp(join_words(out, sizeof(out), words, 1, "and", ""), "ns"));
	CHECK(!strcmp(join_words(out, sizeof(out), words, 2, "or", ""), "ns or us"));
	CHECK(!strcmp(join_words(out, sizeof(out), words, 4, "and", ""), "ns, us, ms and s"));
	CHECK(!strcmp(join_words(out, sizeof(out), words, 3, "or", "'"), "'ns', 'us' or 'ms'"));
	CHECK(!strcmp(join_words(out, 8, words, 4, "and", ""), "ns, us,"));
	CHECK(!strcmp(join_words(out, sizeof(out), words, 0, "and", ""), ""));
}

static void test_options(void)
{
	char *argv[] = { "prog", "--emit=ir", "--emit", "c", "--emitter", "--emit", NULL };
	int argc = 6, i = 1;
	const char *value;
	CHECK(option_value(argc, argv, &i, "--emit", &value) && !strcmp(value, "ir") && i == 1);
	i = 2;
	CHECK(option_value(argc, argv, &i, "--emit", &value) && !strcmp(value, "c") && i == 3);
	i = 4;
	CHECK(!option_value(argc, argv, &i, "--emit", &value));
	i = 5;
	CHECK(option_value(argc, argv, &i, "--emit", &value) && value == NULL);
}

int main(void)
{
	test_numbers();
	test_durations();
	test_suggestions();
	test_word_lists();
	test_options();
	return checks_passed("test_common");
}
