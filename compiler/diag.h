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
 * or, with --error-format=json, one JSON object per diagnostic.  Diagnostics are shown sorted by
 * position, and the text form ends with a count ("2 errors, 1 warning").
 *
 * Warnings are for what compiles but cannot do what it says.  Each has a name: the user turns
 * it off (-Wno-NAME) or makes it an error (-Werror=NAME, or -Werror for all of them).
 */
#ifndef SCXC_DIAG_H
#define SCXC_DIAG_H

#include <stdbool.h>
#include <stdio.h>

#include "source.h"

#define DIAG_MAX_NOTES 4
#define DIAG_DEFAULT_ERROR_LIMIT 20

enum diag_level { DIAG_ERROR, DIAG_WARNING, DIAG_NOTE };

/* The named warnings.  X(enum, name, what it warns about) */
#define DIAG_WARNING_LIST(X) \
	X(WARN_NEVER_MATCHES, "never-matches", \
	  "a class that can never match: its condition is always false, or earlier classes cover it") \
	X(WARN_USELESS_WEIGHT, "useless-weight", \
	  "a weight that can have no effect: its queue is fifo, or every task there gets the same") \
	X(WARN_GLOB_EQUALS, "glob-equals", \
	  "comm == a string with glob characters, which compares them literally (use ~)") \
	X(WARN_UNUSED_PARAM, "unused-param", "a param that nothing uses")

enum diag_warning {
#define X(warning, name, meaning) warning,
	DIAG_WARNING_LIST(X)
#undef X
	DIAG_WARNING_COUNT
};
extern const char *const diag_warning_names[DIAG_WARNING_COUNT];
extern const char *const diag_warning_meanings[DIAG_WARNING_COUNT];

enum diag_warning_state { WARNING_ON, WARNING_OFF, WARNING_AS_ERROR };

struct diag_note {
	struct span span;
	char *message;
};

struct diagnostic {
	enum diag_level level;
	int warning;			/* the enum diag_warning it reports, or -1 */
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
	int error_count, warning_count;
	int error_limit;		/* stop recording errors past this many */
	enum diag_warning_state warnings[DIAG_WARNING_COUNT];
	bool limit_reached;
};

void diag_init(struct diag_sink *sink, const struct source_map *sources);
void diag_free(struct diag_sink *sink);

/* Records a diagnostic; returns it so a hint or notes can be attached.  Past the error
 * limit the diagnostic is dropped and a scratch object is returned (safe to decorate). */
struct diagnostic *diag_report(struct diag_sink *sink, enum diag_level level, struct span span,
			       const char *format, ...) __attribute__((format(printf, 4, 5)));
#define diag_error(sink, span, ...) diag_report((sink), DIAG_ERROR, (span), __VA_ARGS__)
/* Records warning WARNING, or an error if -Werror made it one; nothing if it is turned off (a
 * scratch object is returned then, as past the error limit). */
struct diagnostic *diag_warn(struct diag_sink *sink, enum diag_warning warning, struct span span,
			     const char *format, ...) __attribute__((format(printf, 4, 5)));
/* Applies one warning option: -Wall, -WNAME, -Wno-NAME, -Werror, -Werror=NAME.  False if it is
 * none of these; then PROBLEM says why ("unknown warning 'x'; did you mean 'y'?"). */
bool diag_configure_warning(struct diag_sink *sink, const char *option, char *problem,
			    size_t size);
void diag_hint(struct diagnostic *diagnostic, const char *format, ...)
	__attribute__((format(printf, 2, 3)));
void diag_note(struct diagnostic *diagnostic, struct span span, const char *format, ...)
	__attribute__((format(printf, 3, 4)));

bool diag_has_errors(const struct diag_sink *sink);

enum diag_format { DIAG_FORMAT_TEXT, DIAG_FORMAT_JSON };
/* Renders all recorded diagnostics, sorted by file and position (those of one place in the
 * order they were reported); the text form closes with "N errors, M warnings". */
void diag_render(const struct diag_sink *sink, FILE *out, enum diag_format format, bool color);

#endif
