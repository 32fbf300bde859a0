/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * test_diag.c — unit tests of spans, diagnostic rendering and named warnings.
 *
 * Renders diagnostics into memory and compares them with the exact text users see.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "diag.h"
#include "source.h"

static char *render(const struct diag_sink *sink, enum diag_format format)
{
	char *text = NULL;
	size_t length = 0;
	FILE *out = open_memstream(&text, &length);
	diag_render(sink, out, format, false);
	fclose(out);
	return text;
}

static struct span span_of(const struct source_map *map, const char *needle)
{
	const char *at = strstr(map->files[0].text, needle);
	uint32_t begin = (uint32_t)(at - map->files[0].text);
	return (struct span){ 0, begin, begin + (uint32_t)strlen(needle) };
}

static const char policy[] = "policy fair;\n"
			     "queue main: vtime;\n"
			     "class all {\n"
			     "\tslice = task.wieght * 2;\n"
			     "}\n";

static void test_positions(void)
{
	struct source_map map = { 0 };
	source_add(&map, "fair.sched", policy, strlen(policy));
	int line, column;
	source_position(&map, 0, span_of(&map, "wieght").begin, &line, &column);
	CHECK(line == 4 && column == 15);
	size_t length;
	const char *text = source_line(&map, 0, span_of(&map, "main").begin, &length);
	CHECK(length == strlen("queue main: vtime;") && !strncmp(text, "queue main", 10));
	source_position(&map, 0, (uint32_t)strlen(policy), &line, &column);
	CHECK(line == 6 && column == 1);
	source_map_free(&map);
}

static void test_text_rendering(void)
{
	struct source_map map = { 0 };
	source_add(&map, "fair.sched", policy, strlen(policy));
	struct diag_sink sink;
	diag_init(&sink, &map);
	struct diagnostic *error = diag_error(&sink, DIAG_UNKNOWN_FIELD, span_of(&map, "wieght"),
					      "unknown task field '%s'", "wieght");
	diag_hint(error, "did you mean '%s'?", "weight");
	diag_note(error, span_of(&map, "main"), "queue declared here");
	CHECK(diag_has_errors(&sink));
	char *text = render(&sink, DIAG_FORMAT_TEXT);
	CHECK_TEXT("text", text,
		   "fair.sched:4:15: error: unknown task field 'wieght'\n"
		   "    4 | \tslice = task.wieght * 2;\n"
		   "      | \t             ^~~~~~\n"
		   "      = help: did you mean 'weight'?\n"
		   "fair.sched:2:7: note: queue declared here\n"
		   "    2 | queue main: vtime;\n"
		   "      |       ^~~~\n"
		   "1 error\n");
	free(text);

	text = render(&sink, DIAG_FORMAT_JSON);
	CHECK_TEXT(
		"json", text,
		"{\"severity\":\"error\",\"code\":\"unknown-field\",\"file\":\"fair.sched\","
		"\"line\":4,\"column\":15,"
		"\"end_line\":4,\"end_column\":21,\"message\":\"unknown task field 'wieght'\","
		"\"hint\":\"did you mean 'weight'?\",\"notes\":[{\"file\":\"fair.sched\",\"line\":2,"
		"\"column\":7,\"end_line\":2,\"end_column\":11,\"message\":\"queue declared here\"}]}\n");
	free(text);
	diag_free(&sink);
	source_map_free(&map);
}

static void test_error_limit(void)
{
	struct source_map map = { 0 };
	source_add(&map, "x.sched", "x", 1);
	struct diag_sink sink;
	diag_init(&sink, &map);
	sink.error_limit = 2;
	struct span first_byte = { 0, 0, 1 };
	for (int i = 0; i < 5; i++)
		diag_hint(diag_error(&sink, DIAG_SYNTAX, first_byte, "error %d", i), "hint");
	CHECK(sink.count == 2 && sink.limit_reached);
	char *text = render(&sink, DIAG_FORMAT_TEXT);
	CHECK(strstr(text, "error: too many errors; stopped after 2\n") != NULL);
	CHECK(strstr(text, "error 2") == NULL);
	free(text);
	diag_free(&sink);
	source_map_free(&map);
}

/* Renders SINK as text into a string the caller frees. */
static char *rendered(const struct diag_sink *sink)
{
	char *text = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&text, &size);
	diag_render(sink, out, DIAG_FORMAT_TEXT, false);
	fclose(out);
	return text;
}

/* Warnings carry their name, obey -Wno-/-Werror, and everything is shown by position. */
static void test_warnings(void)
{
	struct source_map map = { 0 };
	source_add(&map, "fair.sched", policy, strlen(policy));
	struct diag_sink sink;
	char problem[256];

	diag_init(&sink, &map);
	diag_error(&sink, DIAG_UNKNOWN_FIELD, span_of(&map, "wieght"), "late error");
	diag_warn(&sink, WARN_UNUSED_PARAM, span_of(&map, "main"), "early warning");
	char *text = rendered(&sink);
	CHECK(strstr(text, "fair.sched:2:7: warning: early warning [-Wunused-param]\n") == text);
	CHECK(strstr(text, "fair.sched:4:15: error: late error\n") != NULL);
	CHECK(strstr(text, "\n1 error, 1 warning\n") != NULL);
	free(text);
	diag_free(&sink);

	diag_init(&sink, &map);
	CHECK(diag_configure_warning(&sink, "-Wno-unused-param", problem, sizeof(problem)));
	CHECK(diag_configure_warning(&sink, "-Werror=glob-equals", problem, sizeof(problem)));
	diag_warn(&sink, WARN_UNUSED_PARAM, span_of(&map, "main"), "turned off");
	CHECK(sink.count == 0 && !diag_has_errors(&sink));
	diag_warn(&sink, WARN_GLOB_EQUALS, span_of(&map, "main"), "now an error");
	CHECK(diag_has_errors(&sink));
	text = rendered(&sink);
	CHECK(strstr(text, "error: now an error [-Werror=glob-equals]\n") != NULL);
	free(text);
	CHECK(diag_configure_warning(&sink, "-Werror", problem, sizeof(problem)));
	CHECK(sink.warnings[WARN_NEVER_MATCHES] == WARNING_AS_ERROR);
	CHECK(diag_configure_warning(&sink, "-Wall", problem, sizeof(problem)));
	CHECK(sink.warnings[WARN_NEVER_MATCHES] == WARNING_ON);
	CHECK(!diag_configure_warning(&sink, "-Wunused-parm", problem, sizeof(problem)));
	CHECK(strstr(problem, "did you mean 'unused-param'?") != NULL);
	CHECK(!diag_configure_warning(&sink, "-Wbanana", problem, sizeof(problem)));
	CHECK(strstr(problem, "the warnings are never-matches, ") != NULL);
	diag_free(&sink);
	source_map_free(&map);
}

int main(void)
{
	test_warnings();
	test_positions();
	test_text_rendering();
	test_error_limit();
	return checks_passed("test_diag");
}
