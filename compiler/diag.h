/* SPDX-License-Identifier: GPL-2.0-only */
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

#include "scxc/contract.h" /* SCXC_LIST_COUNT */
#include "source.h"

#define DIAG_MAX_NOTES 4
#define DIAG_DEFAULT_ERROR_LIMIT 20

enum diag_level { DIAG_ERROR, DIAG_WARNING, DIAG_NOTE };

/* Error codes: stable names for programs reading --error-format=json (docs/diagnostics.md lists
 * them).  Several messages may share a code when they report the same kind of mistake.
 * X(enum, code) — lexer, parser and imports first, then sema's, alphabetically. */
/* clang-format off */
#define DIAG_ERROR_LIST(X) \
	X(DIAG_FILE_TOO_LARGE, "file-too-large") \
	X(DIAG_SINGLE_QUOTES, "single-quotes") \
	X(DIAG_NOT_DECIMAL, "not-decimal") \
	X(DIAG_MISPLACED_UNDERSCORE, "misplaced-underscore") \
	X(DIAG_INTEGER_TOO_LARGE, "integer-too-large") \
	X(DIAG_DURATION_TOO_LARGE, "duration-too-large") \
	X(DIAG_UNKNOWN_UNIT, "unknown-unit") \
	X(DIAG_UNTERMINATED_STRING, "unterminated-string") \
	X(DIAG_INVALID_BYTE, "invalid-byte") \
	X(DIAG_UNKNOWN_ESCAPE, "unknown-escape") \
	X(DIAG_TYPOGRAPHIC_QUOTE, "typographic-quote") \
	X(DIAG_INVALID_CHARACTER, "invalid-character") \
	X(DIAG_C_OPERATOR, "c-operator") \
	X(DIAG_SYNTAX, "syntax") \
	X(DIAG_MISSING_SEMICOLON, "missing-semicolon") \
	X(DIAG_CHAINED_COMPARISON, "chained-comparison") \
	X(DIAG_IN_LIST_TOO_LONG, "in-list-too-long") \
	X(DIAG_TOO_DEEP, "too-deep") \
	X(DIAG_IMPORT_NOT_FOUND, "import-not-found") \
	X(DIAG_IMPORT_CYCLE, "import-cycle") \
	X(DIAG_IMPORT_UNREADABLE, "import-unreadable") \
	X(DIAG_IMPORT_TOO_DEEP, "import-too-deep") \
	X(DIAG_IMPORT_FORBIDDEN, "import-forbidden") \
	X(DIAG_UNRESOLVED_IMPORT, "unresolved-import") \
	X(DIAG_ARGUMENT_COUNT, "argument-count") \
	X(DIAG_ARGUMENT_TYPE, "argument-type") \
	X(DIAG_BOOL_RANGE, "bool-range") \
	X(DIAG_COMM_NOT_STRING, "comm-not-string") \
	X(DIAG_COMM_TOO_LONG, "comm-too-long") \
	X(DIAG_COMPARE_MISMATCH, "compare-mismatch") \
	X(DIAG_CPU_OUT_OF_RANGE, "cpu-out-of-range") \
	X(DIAG_CPUSET_MISUSE, "cpuset-misuse") \
	X(DIAG_CONDITION_NOT_BOOL, "condition-not-bool") \
	X(DIAG_BAD_CPUSET, "bad-cpuset") \
	X(DIAG_BOUND_OUT_OF_RANGE, "bound-out-of-range") \
	X(DIAG_CGROUP_NEVER_MATCHES, "cgroup-never-matches") \
	X(DIAG_CGROUP_NOT_ABSOLUTE, "cgroup-not-absolute") \
	X(DIAG_CGROUP_TOO_LONG, "cgroup-too-long") \
	X(DIAG_TOO_MANY_CGROUP_TESTS, "too-many-cgroup-tests") \
	X(DIAG_DEADLINE_OUT_OF_RANGE, "deadline-out-of-range") \
	X(DIAG_DEFAULT_OUT_OF_RANGE, "default-out-of-range") \
	X(DIAG_DIVISION_BY_ZERO, "division-by-zero") \
	X(DIAG_DUPLICATE_CPU_STEP, "duplicate-cpu-step") \
	X(DIAG_DUPLICATE_DISPATCH, "duplicate-dispatch") \
	X(DIAG_DUPLICATE_NAME, "duplicate-name") \
	X(DIAG_DUPLICATE_PLAN, "duplicate-plan") \
	X(DIAG_DUPLICATE_POLICY, "duplicate-policy") \
	X(DIAG_DUPLICATE_SETTING, "duplicate-setting") \
	X(DIAG_EMPTY_CPUSET, "empty-cpuset") \
	X(DIAG_EMPTY_RANGE, "empty-range") \
	X(DIAG_EXPECTED_QUEUE, "expected-queue") \
	X(DIAG_GLOB_TOO_LONG, "glob-too-long") \
	X(DIAG_MISSING_CATCH_ALL, "missing-catch-all") \
	X(DIAG_MISSING_DEADLINE, "missing-deadline") \
	X(DIAG_MISSING_POLICY, "missing-policy") \
	X(DIAG_MISSING_QUEUE_SETTING, "missing-queue-setting") \
	X(DIAG_MISSING_UNIT, "missing-unit") \
	X(DIAG_MISSING_VALUE, "missing-value") \
	X(DIAG_NEGATIVE_DURATION, "negative-duration") \
	X(DIAG_NEVER_DISPATCHED, "never-dispatched") \
	X(DIAG_NO_CLASS, "no-class") \
	X(DIAG_NO_QUEUE, "no-queue") \
	X(DIAG_NOT_A_QUEUE, "not-a-queue") \
	X(DIAG_NOT_A_VALUE, "not-a-value") \
	X(DIAG_NOT_CONSTANT, "not-constant") \
	X(DIAG_OPERAND_TYPE, "operand-type") \
	X(DIAG_OVERFLOW, "overflow") \
	X(DIAG_PARAM_TYPE_MISMATCH, "param-type-mismatch") \
	X(DIAG_POLICY_NAME_TOO_LONG, "policy-name-too-long") \
	X(DIAG_POLICY_NOT_FIRST, "policy-not-first") \
	X(DIAG_RESERVED_NAME, "reserved-name") \
	X(DIAG_SETTING_NOT_CONSTANT, "setting-not-constant") \
	X(DIAG_SETTING_TYPE, "setting-type") \
	X(DIAG_SHARE_GROUP_TOO_SMALL, "share-group-too-small") \
	X(DIAG_SHARE_OUT_OF_RANGE, "share-out-of-range") \
	X(DIAG_SLICE_OUT_OF_RANGE, "slice-out-of-range") \
	X(DIAG_STRING_MISUSE, "string-misuse") \
	X(DIAG_STRING_PARAM, "string-param") \
	X(DIAG_TOO_MANY_DECLARATIONS, "too-many-declarations") \
	X(DIAG_UNIT_MISMATCH, "unit-mismatch") \
	X(DIAG_UNKNOWN_CPU_STEP, "unknown-cpu-step") \
	X(DIAG_UNKNOWN_FIELD, "unknown-field") \
	X(DIAG_UNKNOWN_FUNCTION, "unknown-function") \
	X(DIAG_UNKNOWN_NAME, "unknown-name") \
	X(DIAG_UNKNOWN_OBJECT, "unknown-object") \
	X(DIAG_UNKNOWN_QUEUE, "unknown-queue") \
	X(DIAG_UNKNOWN_QUEUE_KIND, "unknown-queue-kind") \
	X(DIAG_UNKNOWN_SETTING, "unknown-setting") \
	X(DIAG_UNKNOWN_SCHED_POLICY, "unknown-sched-policy") \
	X(DIAG_UNKNOWN_TYPE, "unknown-type") \
	X(DIAG_UNREACHABLE_CLASS, "unreachable-class") \
	X(DIAG_UNREACHABLE_CPU_STEP, "unreachable-cpu-step") \
	X(DIAG_WEIGHT_OUT_OF_RANGE, "weight-out-of-range")
/* clang-format on */

enum diag_code {
#define X(code, name) code,
	DIAG_ERROR_LIST(X)
#undef X
};
#define X(code, name) +1
enum { DIAG_CODE_COUNT = 0 DIAG_ERROR_LIST(X) }; /* apart, so switches need no case */
#undef X
extern const char *const diag_code_names[DIAG_CODE_COUNT];

/* The named warnings.  X(enum, name, what it warns about) */
/* clang-format off */
#define DIAG_WARNING_LIST(X) \
	X(WARN_NEVER_MATCHES, "never-matches", \
	  "a class that can never match: its condition is always false, or earlier classes cover it") \
	X(WARN_USELESS_WEIGHT, "useless-weight", \
	  "a weight that can have no effect: its queue is fifo, or every task there gets the same") \
	X(WARN_GLOB_EQUALS, "glob-equals", \
	  "comm == a string with glob characters, which compares them literally (use ~)") \
	X(WARN_UNUSED_PARAM, "unused-param", "a param that nothing uses") \
	X(WARN_MAY_STARVE, "may-starve", \
	  "a queue dispatched after others, with no starvation bound: it may never run") \
	X(WARN_USELESS_PREEMPT, "useless-preempt", \
	  "preempt = true in a class that no running task could ever give way to") \
	X(WARN_NO_CPUS, "no-cpus", "reserve or spill on a queue without a cpus set, which does nothing") \
	X(WARN_IDLE_AFTER_ANY, "idle-after-any", \
	  "an idle CPU step after idle(any): when idle(any) finds no idle CPU, it finds none either")
/* clang-format on */

enum diag_warning {
#define X(warning, name, meaning) warning,
	DIAG_WARNING_LIST(X)
#undef X
};
enum { DIAG_WARNING_COUNT = SCXC_LIST_COUNT(DIAG_WARNING_LIST) };
extern const char *const diag_warning_names[DIAG_WARNING_COUNT];
extern const char *const diag_warning_meanings[DIAG_WARNING_COUNT];

enum diag_warning_state { WARNING_ON, WARNING_OFF, WARNING_AS_ERROR };

struct diag_note {
	struct span span;
	char *message;
};

struct diagnostic {
	enum diag_level level;
	int code;    /* its enum diag_code, or -1 for a warning */
	int warning; /* the enum diag_warning it reports, or -1 */
	struct span span;
	char *message;
	char *hint; /* NULL or "did you mean 'weight'?" */
	struct diag_note notes[DIAG_MAX_NOTES];
	int note_count;
};

struct diag_sink {
	const struct source_map *sources;
	struct diagnostic *items;
	int count, capacity;
	int error_count, warning_count;
	int error_limit; /* stop recording errors past this many */
	enum diag_warning_state warnings[DIAG_WARNING_COUNT];
	bool limit_reached;
};

void diag_init(struct diag_sink *sink, const struct source_map *sources);
void diag_free(struct diag_sink *sink);

/* Records error CODE; returns it so a hint or notes can be attached.  Past the error
 * limit the diagnostic is dropped and a scratch object is returned (safe to decorate). */
struct diagnostic *diag_error(struct diag_sink *sink, enum diag_code code, struct span span,
			      const char *format, ...) __attribute__((format(printf, 4, 5)));
/* Records warning WARNING, or an error if -Werror made it one; nothing if it is turned off (a
 * scratch object is returned then, as past the error limit). */
struct diagnostic *diag_warn(struct diag_sink *sink, enum diag_warning warning, struct span span,
			     const char *format, ...) __attribute__((format(printf, 4, 5)));
/* Applies one warning option: -Wall, -WNAME, -Wno-NAME, -Werror, -Werror=NAME.  False if it is
 * none of these; then PROBLEM says why ("unknown warning 'x'; did you mean 'y'?"). */
bool diag_configure_warning(struct diag_sink *sink, const char *option, char *problem, size_t size);
void diag_hint(struct diagnostic *diagnostic, const char *format, ...)
	__attribute__((format(printf, 2, 3)));
/* Hints the one of the COUNT NAMES closest to WORD ("did you mean 'nice'?") and returns true; if
 * none is close and LISTING is given, lists them all after it instead ("task fields are comm,
 * pid and nice"), or LISTED, when given, in place of the names ("fifo (first come, …)"). */
bool diag_hint_name(struct diagnostic *diagnostic, const char *word, const char *const *names,
		    int count, const char *listing, const char *const *listed);
void diag_note(struct diagnostic *diagnostic, struct span span, const char *format, ...)
	__attribute__((format(printf, 3, 4)));

bool diag_has_errors(const struct diag_sink *sink);

enum diag_format { DIAG_FORMAT_TEXT, DIAG_FORMAT_JSON };
/* Renders all recorded diagnostics, sorted by file and position (those of one place in the
 * order they were reported); the text form closes with "N errors, M warnings". */
void diag_render(const struct diag_sink *sink, FILE *out, enum diag_format format, bool color);

#endif
