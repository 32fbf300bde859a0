/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * diag.c — collects diagnostics as data and renders them, in one place, as text or JSON.
 *
 * Takes reports from every stage (level, span, message, hint, notes) and makes either the
 * human form — `file:line:col: error: …`, the source line, a caret under the span and a
 * `= help:` line — or one JSON object per line for editors.
 */
#include "diag.h"
#include "checked.h"
#include "words.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static char *format_message(const char *format, va_list args)
{
	va_list copy;
	va_copy(copy, args);
	int length = vsnprintf(NULL, 0, format, copy);
	va_end(copy);
	char *text = checked(malloc((size_t)length + 1));
	vsnprintf(text, (size_t)length + 1, format, args);
	return text;
}

void diag_init(struct diag_sink *sink, const struct source_map *sources)
{
	*sink = (struct diag_sink){ .sources = sources, .error_limit = DIAG_DEFAULT_ERROR_LIMIT };
}

static void free_diagnostic(struct diagnostic *diagnostic)
{
	free(diagnostic->message);
	free(diagnostic->hint);
	for (int i = 0; i < diagnostic->note_count; i++)
		free(diagnostic->notes[i].message);
	*diagnostic = (struct diagnostic){ 0 };
}

void diag_free(struct diag_sink *sink)
{
	for (int i = 0; i < sink->count; i++)
		free_diagnostic(&sink->items[i]);
	free(sink->items);
	sink->items = NULL;
	sink->count = sink->capacity = 0;
}

const char *const diag_code_names[DIAG_CODE_COUNT] = {
#define X(code, name) [code] = name,
	DIAG_ERROR_LIST(X)
#undef X
};

const char *const diag_warning_names[DIAG_WARNING_COUNT] = {
#define X(warning, name, meaning) [warning] = name,
	DIAG_WARNING_LIST(X)
#undef X
};

const char *const diag_warning_meanings[DIAG_WARNING_COUNT] = {
#define X(warning, name, meaning) [warning] = meaning,
	DIAG_WARNING_LIST(X)
#undef X
};

/* Reports past the error limit, and turned-off warnings, land here and are thrown away on the
 * next one. */
static struct diagnostic discarded;

static struct diagnostic *record(struct diag_sink *sink, enum diag_level level, int code,
				 int warning, struct span span, const char *format, va_list args)
{
	if (sink->limit_reached ||
	    (level == DIAG_ERROR && sink->error_count >= sink->error_limit)) {
		if (level == DIAG_ERROR)
			sink->limit_reached = true;
		free_diagnostic(&discarded);
		return &discarded;
	}
	if (sink->count == sink->capacity) {
		sink->capacity = sink->capacity ? sink->capacity * 2 : 8;
		sink->items = checked(
			realloc(sink->items, (size_t)sink->capacity * sizeof(*sink->items)));
	}
	struct diagnostic *diagnostic = &sink->items[sink->count++];
	*diagnostic = (struct diagnostic){ .level = level,
					   .code = code,
					   .warning = warning,
					   .span = span,
					   .message = format_message(format, args) };
	if (level == DIAG_ERROR)
		sink->error_count++;
	else if (level == DIAG_WARNING)
		sink->warning_count++;
	return diagnostic;
}

struct diagnostic *diag_error(struct diag_sink *sink, enum diag_code code, struct span span,
			      const char *format, ...)
{
	va_list args;
	va_start(args, format);
	struct diagnostic *diagnostic = record(sink, DIAG_ERROR, (int)code, -1, span, format, args);
	va_end(args);
	return diagnostic;
}

struct diagnostic *diag_warn(struct diag_sink *sink, enum diag_warning warning, struct span span,
			     const char *format, ...)
{
	enum diag_level level = DIAG_WARNING;
	switch (sink->warnings[warning]) {
	case WARNING_OFF: free_diagnostic(&discarded); return &discarded;
	case WARNING_AS_ERROR: level = DIAG_ERROR; break;
	case WARNING_ON: break;
	}
	va_list args;
	va_start(args, format);
	struct diagnostic *diagnostic = record(sink, level, -1, (int)warning, span, format, args);
	va_end(args);
	return diagnostic;
}

bool diag_configure_warning(struct diag_sink *sink, const char *option, char *problem, size_t size)
{
	enum diag_warning_state state = WARNING_ON;
	const char *name = option + 2;
	if (!strcmp(option, "-Wall") || !strcmp(option, "-Werror")) {
		for (int i = 0; i < DIAG_WARNING_COUNT; i++)
			sink->warnings[i] = option[2] == 'a' ? WARNING_ON : WARNING_AS_ERROR;
		return true;
	}
	if (!strncmp(option, "-Wno-", 5)) {
		state = WARNING_OFF;
		name = option + 5;
	} else if (!strncmp(option, "-Werror=", 8)) {
		state = WARNING_AS_ERROR;
		name = option + 8;
	}
	for (int i = 0; i < DIAG_WARNING_COUNT; i++) {
		if (!strcmp(name, diag_warning_names[i])) {
			sink->warnings[i] = state;
			return true;
		}
	}
	const char *suggestion = suggest_name(name, diag_warning_names, DIAG_WARNING_COUNT);
	char names[256];
	if (suggestion)
		snprintf(problem, size, "unknown warning '%s' in '%s'; did you mean '%s'?", name,
			 option, suggestion);
	else
		snprintf(problem, size, "unknown warning '%s' in '%s' (the warnings are %s)", name,
			 option,
			 join_words(names, sizeof(names), diag_warning_names, DIAG_WARNING_COUNT,
				    "and", ""));
	return false;
}

void diag_hint(struct diagnostic *diagnostic, const char *format, ...)
{
	va_list args;
	va_start(args, format);
	free(diagnostic->hint);
	diagnostic->hint = format_message(format, args);
	va_end(args);
}

bool diag_hint_name(struct diagnostic *diagnostic, const char *word, const char *const *names,
		    int count, const char *listing, const char *const *listed)
{
	const char *suggestion = suggest_name(word, names, count);
	char all[512];
	if (suggestion)
		diag_hint(diagnostic, "did you mean '%s'?", suggestion);
	else if (listing)
		diag_hint(diagnostic, "%s %s", listing,
			  join_words(all, sizeof(all), listed ? listed : names, count, "and", ""));
	return suggestion != NULL;
}

void diag_note(struct diagnostic *diagnostic, struct span span, const char *format, ...)
{
	if (diagnostic->note_count == DIAG_MAX_NOTES)
		return;
	va_list args;
	va_start(args, format);
	diagnostic->notes[diagnostic->note_count++] =
		(struct diag_note){ .span = span, .message = format_message(format, args) };
	va_end(args);
}

bool diag_has_errors(const struct diag_sink *sink)
{
	return sink->error_count > 0 || sink->limit_reached;
}

/* ---- text ------------------------------------------------------------------------------ */

struct palette {
	const char *bold, *error, *warning, *note, *help, *gutter, *reset;
};

static const struct palette plain = { "", "", "", "", "", "", "" };
static const struct palette ansi = { "\033[1m",	   "\033[1;31m", "\033[1;35m", "\033[1;36m",
				     "\033[1;32m", "\033[1;34m", "\033[0m" };

static const char *const level_names[] = {
	[DIAG_ERROR] = "error",
	[DIAG_WARNING] = "warning",
	[DIAG_NOTE] = "note",
};

static const char *level_colour(const struct palette *colour, enum diag_level level)
{
	return level == DIAG_ERROR     ? colour->error
	       : level == DIAG_WARNING ? colour->warning
				       : colour->note;
}

/* The quoted line and a caret under the span (to the end of the line if the span runs on).
 * Control bytes other than tab are shown as '?', so a NUL cannot cut the line short and an
 * escape byte cannot reach the terminal; the caret columns stay the same. */
static void render_excerpt(const struct source_map *sources, struct span span, int line,
			   const struct palette *colour, FILE *out)
{
	size_t line_length;
	const char *text = source_line(sources, span.file, span.begin, &line_length);
	fprintf(out, "%s%5d |%s ", colour->gutter, line, colour->reset);
	for (size_t i = 0; i < line_length; i++) {
		unsigned char byte = (unsigned char)text[i];
		fputc((byte < ' ' && byte != '\t') || byte == 0x7f ? '?' : byte, out);
	}
	fputc('\n', out);

	size_t column = (size_t)(sources->files[span.file].text + span.begin - text);
	if (column > line_length)
		column = line_length;
	size_t width = span.end > span.begin ? span.end - span.begin : 1;
	if (column + width > line_length)
		width = line_length > column ? line_length - column : 1;

	fprintf(out, "%s      |%s ", colour->gutter, colour->reset);
	for (size_t i = 0; i < column; i++)
		fputc(text[i] == '\t' ? '\t' : ' ', out);
	fprintf(out, "%s^", colour->error);
	for (size_t i = 1; i < width; i++)
		fputc('~', out);
	fprintf(out, "%s\n", colour->reset);
}

/* " [-Wname]" or " [-Werror=name]" after a warning's message, so the user sees how to turn it
 * off; "" for an error or a note. */
static const char *warning_option(int warning, enum diag_level level, char *out, size_t size)
{
	if (warning < 0)
		return "";
	snprintf(out, size, " [-W%s%s]", level == DIAG_ERROR ? "error=" : "",
		 diag_warning_names[warning]);
	return out;
}

/* "file:line:col: level: message", then the quoted line and its caret. */
static void render_located(const struct source_map *sources, struct span span,
			   enum diag_level level, const char *message, const char *option,
			   const struct palette *colour, FILE *out)
{
	int line, column;
	source_position(sources, span.file, span.begin, &line, &column);
	fprintf(out, "%s%s:%d:%d:%s %s%s:%s %s%s%s%s\n", colour->bold,
		sources->files[span.file].path, line, column, colour->reset,
		level_colour(colour, level), level_names[level], colour->reset, colour->bold,
		message, option, colour->reset);
	render_excerpt(sources, span, line, colour, out);
}

static void render_text(const struct diag_sink *sink, const struct diagnostic *const *sorted,
			FILE *out, const struct palette *colour)
{
	for (int i = 0; i < sink->count; i++) {
		const struct diagnostic *diagnostic = sorted[i];
		char option[64];
		render_located(sink->sources, diagnostic->span, diagnostic->level,
			       diagnostic->message,
			       warning_option(diagnostic->warning, diagnostic->level, option,
					      sizeof(option)),
			       colour, out);
		if (diagnostic->hint)
			fprintf(out, "%s      =%s %shelp:%s %s\n", colour->gutter, colour->reset,
				colour->help, colour->reset, diagnostic->hint);
		for (int n = 0; n < diagnostic->note_count; n++)
			render_located(sink->sources, diagnostic->notes[n].span, DIAG_NOTE,
				       diagnostic->notes[n].message, "", colour, out);
	}
	if (sink->limit_reached)
		fprintf(out, "%s%s:%s too many errors; stopped after %d\n", colour->error,
			level_names[DIAG_ERROR], colour->reset, sink->error_limit);
	if (sink->error_count && sink->warning_count)
		fprintf(out, "%d error%s, %d warning%s\n", sink->error_count,
			sink->error_count == 1 ? "" : "s", sink->warning_count,
			sink->warning_count == 1 ? "" : "s");
	else if (sink->error_count || sink->warning_count)
		fprintf(out, "%d %s%s\n", sink->error_count + sink->warning_count,
			sink->error_count ? "error" : "warning",
			sink->error_count + sink->warning_count == 1 ? "" : "s");
}

/* ---- JSON ------------------------------------------------------------------------------ */

static void json_string(const char *text, FILE *out)
{
	fputc('"', out);
	for (const unsigned char *c = (const unsigned char *)text; *c; c++) {
		if (*c == '"' || *c == '\\')
			fprintf(out, "\\%c", *c);
		else if (*c == '\n')
			fputs("\\n", out);
		else if (*c < 0x20)
			fprintf(out, "\\u%04x", *c);
		else
			fputc(*c, out);
	}
	fputc('"', out);
}

static void json_location(const struct source_map *sources, struct span span, FILE *out)
{
	int line, column, end_line, end_column;
	source_position(sources, span.file, span.begin, &line, &column);
	source_position(sources, span.file, span.end > span.begin ? span.end : span.begin,
			&end_line, &end_column);
	fputs("\"file\":", out);
	json_string(sources->files[span.file].path, out);
	fprintf(out, ",\"line\":%d,\"column\":%d,\"end_line\":%d,\"end_column\":%d", line, column,
		end_line, end_column);
}

static void render_json(const struct diag_sink *sink, const struct diagnostic *const *sorted,
			FILE *out)
{
	for (int i = 0; i < sink->count; i++) {
		const struct diagnostic *diagnostic = sorted[i];
		fprintf(out, "{\"severity\":\"%s\",\"code\":\"%s\",",
			level_names[diagnostic->level],
			diagnostic->warning >= 0 ? diag_warning_names[diagnostic->warning]
						 : diag_code_names[diagnostic->code]);
		json_location(sink->sources, diagnostic->span, out);
		fputs(",\"message\":", out);
		json_string(diagnostic->message, out);
		if (diagnostic->hint) {
			fputs(",\"hint\":", out);
			json_string(diagnostic->hint, out);
		}
		fputs(",\"notes\":[", out);
		for (int n = 0; n < diagnostic->note_count; n++) {
			fputs(n ? ",{" : "{", out);
			json_location(sink->sources, diagnostic->notes[n].span, out);
			fputs(",\"message\":", out);
			json_string(diagnostic->notes[n].message, out);
			fputc('}', out);
		}
		fputs("]}\n", out);
	}
	if (sink->limit_reached)
		fprintf(out,
			"{\"severity\":\"error\",\"code\":\"too-many-errors\","
			"\"message\":\"too many errors; stopped after %d\","
			"\"notes\":[]}\n",
			sink->error_limit);
}

/* File, then position, then the order of reporting. */
static int by_position(const void *a, const void *b)
{
	const struct diagnostic *x = *(const struct diagnostic *const *)a;
	const struct diagnostic *y = *(const struct diagnostic *const *)b;
	if (x->span.file != y->span.file)
		return x->span.file < y->span.file ? -1 : 1;
	if (x->span.begin != y->span.begin)
		return x->span.begin < y->span.begin ? -1 : 1;
	return x < y ? -1 : x > y;
}

void diag_render(const struct diag_sink *sink, FILE *out, enum diag_format format, bool color)
{
	const struct diagnostic **sorted =
		checked(calloc((size_t)sink->count + 1, sizeof(*sorted)));
	for (int i = 0; i < sink->count; i++)
		sorted[i] = &sink->items[i];
	qsort(sorted, (size_t)sink->count, sizeof(*sorted), by_position);
	switch (format) {
	case DIAG_FORMAT_JSON: render_json(sink, sorted, out); break;
	case DIAG_FORMAT_TEXT: render_text(sink, sorted, out, color ? &ansi : &plain); break;
	}
	free(sorted);
}
