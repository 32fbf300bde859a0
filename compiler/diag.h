/*
 * diag.h — diagnostics as data.
 *
 * Every stage reports problems here instead of printing: a level, a span, a message, an
 * optional hint ("did you mean 'weight'?") and notes that point at other places ("first
 * defined here").  diag_render() is the one place that turns them into text:
 *
 *   fair.sched:4:18: error: unknown task field 'wieght'
 *       4 |     slice = task.wieght * 2;
 *         |                  ^~~~~~
 *         = help: did you mean 'weight'?
 *
 * or, with --error-format=json, one JSON object per diagnostic.
 */
#ifndef SCXC_DIAG_H
#define SCXC_DIAG_H

#include <stdbool.h>
#include <stdio.h>

#include "source.h"

#define DIAG_MAX_NOTES 4
#define DIAG_DEFAULT_ERROR_LIMIT 20

enum diag_level { DIAG_ERROR, DIAG_WARNING, DIAG_NOTE };

struct diag_note {
	struct span span;
	char *message;
};

struct diagnostic {
	enum diag_level level;
	struct span span;
	char *message;
	char *hint;			/* NULL or "did you mean 'weight'?" */
	struct diag_note notes[DIAG_MAX_NOTES];
	int note_count;
};

struct diag_sink {
	const struct source_map *sources;
	struct diagnostic *items;
	int count, capacity;
	int error_count;
	int error_limit;		/* stop recording errors past this many */
	bool limit_reached;
};

void diag_init(struct diag_sink *sink, const struct source_map *sources);
void diag_free(struct diag_sink *sink);

/* Records a diagnostic; returns it so a hint or notes can be attached.  Past the error
 * limit the diagnostic is dropped and a scratch object is returned (safe to decorate). */
struct diagnostic *diag_report(struct diag_sink *sink, enum diag_level level, struct span span,
			       const char *format, ...) __attribute__((format(printf, 4, 5)));
#define diag_error(sink, span, ...) diag_report((sink), DIAG_ERROR, (span), __VA_ARGS__)
void diag_hint(struct diagnostic *diagnostic, const char *format, ...)
	__attribute__((format(printf, 2, 3)));
void diag_note(struct diagnostic *diagnostic, struct span span, const char *format, ...)
	__attribute__((format(printf, 3, 4)));

bool diag_has_errors(const struct diag_sink *sink);

enum diag_format { DIAG_FORMAT_TEXT, DIAG_FORMAT_JSON };
/* Renders all recorded diagnostics in the order they were reported. */
void diag_render(const struct diag_sink *sink, FILE *out, enum diag_format format, bool color);

#endif
