/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * verifier_log.c — takes libbpf's messages while run.c loads an object, and makes of them what
 * explains a refusal: the end of the verifier's log (all of it with --verbose), or libbpf's own
 * complaints when there is no log, and the policy line the refused code came from, found by
 * the line info the log quotes (scxload_policy_line_of_log).  Without a failure nothing of it
 * is shown, except to --verbose, which sees every message as libbpf gives it.
 */
#include <bpf/libbpf.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run.h"

enum { VERIFIER_TAIL_LINES = 20 };

/* --- libbpf's messages: captured, and shown only when they explain a failure ------------------ */

static struct captured_log {
	char *text;
	size_t length, capacity;
	bool verbose;
} libbpf_log;

/* Keeps libbpf's warnings (the verifier's log comes as one); with --verbose, also prints all. */
static int capture_libbpf(enum libbpf_print_level level, const char *format, va_list args)
{
	va_list copy;
	if (libbpf_log.verbose) {
		va_copy(copy, args);
		vfprintf(stderr, format, copy);
		va_end(copy);
	}
	if (level == LIBBPF_DEBUG)
		return 0;
	va_copy(copy, args);
	int needed = vsnprintf(NULL, 0, format, copy);
	va_end(copy);
	if (needed <= 0)
		return 0;
	if (libbpf_log.length + (size_t)needed + 1 > libbpf_log.capacity) {
		size_t capacity = (libbpf_log.length + (size_t)needed + 1) * 2;
		char *grown = realloc(libbpf_log.text, capacity);
		if (!grown)
			return 0;
		libbpf_log.text = grown;
		libbpf_log.capacity = capacity;
	}
	vsnprintf(libbpf_log.text + libbpf_log.length, (size_t)needed + 1, format, args);
	libbpf_log.length += (size_t)needed;
	return needed;
}

void capture_libbpf_messages(bool verbose)
{
	libbpf_log.verbose = verbose;
	libbpf_set_print(capture_libbpf);
}

void clear_libbpf_log(void)
{
	libbpf_log.length = 0;
	if (libbpf_log.text)
		libbpf_log.text[0] = '\0';
}

/* Prints the last LINES lines of TEXT[0..LENGTH), each indented. */
static void print_tail(const char *text, size_t length, int lines)
{
	const char *start = text, *end = text + length;
	while (end > text && end[-1] == '\n')
		end--;
	int seen = 0;
	for (const char *p = end; p > text; p--)
		if (p[-1] == '\n' && ++seen == lines) {
			start = p;
			break;
		}
	while (start < end) {
		const char *newline = memchr(start, '\n', (size_t)(end - start));
		const char *line_end = newline ? newline : end;
		fprintf(stderr, "  %.*s\n", (int)(line_end - start), start);
		start = line_end + 1;
	}
}

/* --- the policy line a verifier log quotes ---------------------------------------------------- */

/* A source line the verifier quotes from BTF line info: "; TEXT @ FILE:LINE", TEXT possibly
 * empty (clang did not find the file).  Fills the pieces and returns true if LINE is one. */
struct quoted_source {
	const char *text, *file;
	int text_length, file_length;
	long line;
};

static bool parse_quoted_source(const char *line, size_t length, struct quoted_source *quoted)
{
	if (length < 2 || line[0] != ';' || line[1] != ' ')
		return false;
	const char *at = NULL;
	for (const char *p = line; p + 3 <= line + length; p++)
		if (!memcmp(p, " @ ", 3))
			at = p;
	if (!at)
		return false;
	const char *colon = NULL;
	for (const char *p = at + 3; p < line + length; p++)
		if (*p == ':')
			colon = p;
	if (!colon || colon == at + 3 || colon + 1 == line + length)
		return false;
	long number = 0;
	for (const char *p = colon + 1; p < line + length; p++) {
		if (*p < '0' || *p > '9' || number > 100000000)
			return false;
		number = number * 10 + (*p - '0');
	}
	const char *text = line + 2, *text_end = at;
	while (text < text_end && (*text == ' ' || *text == '\t'))
		text++;
	while (text_end > text && (text_end[-1] == ' ' || text_end[-1] == '\t'))
		text_end--;
	*quoted = (struct quoted_source){
		.text = text,
		.text_length = (int)(text_end - text),
		.file = at + 3,
		.file_length = (int)(colon - (at + 3)),
		.line = number,
	};
	return true;
}

static bool names_policy_file(const struct quoted_source *quoted)
{
	static const char suffix[] = ".sched";
	size_t suffix_length = sizeof(suffix) - 1;
	return (size_t)quoted->file_length > suffix_length &&
	       !memcmp(quoted->file + quoted->file_length - suffix_length, suffix, suffix_length);
}

bool scxload_policy_line_of_log(const char *log, size_t length, char *message, size_t size)
{
	struct quoted_source last = { 0 }, policy = { 0 };
	bool any = false;
	const char *end = log + length;
	/* From the end back: the last quoted line, then the last quoted line of a policy. */
	while (end > log) {
		const char *start = end;
		while (start > log && start[-1] != '\n')
			start--;
		struct quoted_source quoted;
		if (parse_quoted_source(start, (size_t)(end - start), &quoted)) {
			if (!any)
				last = quoted;
			any = true;
			if (names_policy_file(&quoted)) {
				policy = quoted;
				break;
			}
		}
		end = start > log ? start - 1 : log;
	}
	if (!policy.file)
		return false;
	char where[256] = "";
	if (last.file != policy.file)
		snprintf(where, sizeof(where), " in %.*s:%ld, reached from", last.file_length,
			 last.file, last.line);
	else
		snprintf(where, sizeof(where), " from");
	snprintf(message, size, "the verifier refused code%s %.*s:%ld%s%.*s%s", where,
		 policy.file_length, policy.file, policy.line, policy.text_length ? ": `" : "",
		 policy.text_length, policy.text, policy.text_length ? "`" : "");
	return true;
}

/* --- the refusal, explained ------------------------------------------------------------------- */

/* After a failed load: the end of the verifier's log if libbpf printed one (all of it came
 * with --verbose), else libbpf's own complaints; then the policy line the refused code came
 * from, when the log names one. */
void explain_load_failure(const struct scxload_options *options)
{
	if (!libbpf_log.length)
		return;
	const char *log = libbpf_log.text;
	const char *begin = strstr(log, "-- BEGIN PROG LOAD LOG --");
	if (begin) {
		/* libbpf's line names the program: "libbpf: prog 'NAME': -- BEGIN PROG LOAD LOG --". */
		const char *name = begin;
		while (name > log && name[-1] != '\n')
			name--;
		name = strstr(name, "prog '");
		int name_length = 0;
		if (name && name < begin) {
			name += strlen("prog '");
			name_length = (int)strcspn(name, "'");
		}
		begin = strchr(begin, '\n');
		begin = begin ? begin + 1 : log + libbpf_log.length;
		const char *end = strstr(begin, "-- END PROG LOAD LOG --");
		size_t length = end ? (size_t)(end - begin) : strlen(begin);
		if (!options->verbose) {
			fprintf(stderr,
				"The verifier rejected program '%.*s'; the end of its log "
				"(--verbose shows all of it):\n",
				name_length, name_length ? name : "");
			print_tail(begin, length, VERIFIER_TAIL_LINES);
		}
		char policy_line[1024];
		if (scxload_policy_line_of_log(begin, length, policy_line, sizeof(policy_line)))
			scxload_note("%s", policy_line);
		return;
	}
	if (options->verbose)
		return;
	fprintf(stderr, "libbpf said:\n");
	print_tail(log, libbpf_log.length, VERIFIER_TAIL_LINES);
}

void free_libbpf_log(void)
{
	free(libbpf_log.text);
	libbpf_log = (struct captured_log){ 0 };
}
