// SPDX-License-Identifier: GPL-2.0-only
/*
 * workload.c — reads a workload file (docs/scxsim.md, "Workload files").
 *
 * Takes a path; makes a struct workload, or errors in scxc's form: file:line:col, the line, a
 * caret under the word at fault and a hint.  Lines are a keyword and words separated by blanks;
 * `#` starts a comment.  Numbers and durations are read by common/number.c, as the language
 * reads them.  Sizes beyond the limits of workload.h are refused with the limit named.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checked.h"
#include "number.h"
#include "workload.h"

#define MAX_WORDS 64

/* The CPUs of a machine of N CPUs, one bit each. */
static uint64_t machine_cpus(int n)
{
	return n < 64 ? (1ULL << n) - 1 : ~0ULL;
}

struct word {
	const char *text;
	size_t length;
};

struct reader {
	struct workload *workload;
	const char *line;
	size_t line_length;
	int line_number;
	int errors;
};

static void error_at(struct reader *r, struct word word, const char *hint, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void error_at(struct reader *r, struct word word, const char *hint, const char *fmt, ...)
{
	int column = (int)(word.text - r->line) + 1;
	size_t i;
	va_list args;

	fprintf(stderr, "%s:%d:%d: error: ", r->workload->path, r->line_number, column);
	va_start(args, fmt);
	vfprintf(stderr, fmt, args);
	va_end(args);
	fprintf(stderr, "\n%5d | %.*s\n      | %*s^", r->line_number, (int)r->line_length, r->line,
		column - 1, "");
	for (i = 1; i < word.length; i++)
		fputc('~', stderr);
	fputc('\n', stderr);
	if (hint)
		fprintf(stderr, "      = help: %s\n", hint);
	r->errors++;
}

static bool is(struct word word, const char *text)
{
	return word.length == strlen(text) && !memcmp(word.text, text, word.length);
}

/* A plain integer with an optional minus, within LOW .. HIGH. */
static bool read_int(struct reader *r, struct word word, int64_t low, int64_t high, int64_t *out)
{
	bool negative = word.length > 1 && word.text[0] == '-';
	struct number_literal literal;

	if (read_number(word.text + negative, word.length - negative, &literal) != NUMBER_OK ||
	    literal.unit != UNIT_NONE) {
		error_at(r, word, NULL, "expected a whole number, not '%.*s'", (int)word.length,
			 word.text);
		return false;
	}
	*out = negative ? -literal.value : literal.value;
	if (*out < low || *out > high) {
		error_at(r, word, NULL,
			 "%" PRId64 " is out of range: the limit is %" PRId64 " .. %" PRId64, *out,
			 low, high);
		return false;
	}
	return true;
}

/* A duration with its unit, within LOW .. HIGH ns. */
static bool read_duration(struct reader *r, struct word word, uint64_t low, uint64_t high,
			  uint64_t *out)
{
	char low_text[DURATION_TEXT_MAX], high_text[DURATION_TEXT_MAX];
	struct number_literal literal;

	if (read_number(word.text, word.length, &literal) != NUMBER_OK ||
	    literal.unit == UNIT_NONE) {
		error_at(r, word, "write a duration with its unit: 500us, 4ms, 10s",
			 "expected a duration, not '%.*s'", (int)word.length, word.text);
		return false;
	}
	*out = (uint64_t)literal.value;
	if (*out < low || *out > high) {
		error_at(r, word, NULL, "%.*s is out of range: the limit is %s .. %s",
			 (int)word.length, word.text, format_duration((int64_t)low, low_text),
			 format_duration((int64_t)high, high_text));
		return false;
	}
	return true;
}

/* A duration or a range of them, MIN..MAX, drawn from uniformly by the seeded generator. */
static bool read_span(struct reader *r, struct word word, struct workload_phase *phase)
{
	const char *dots = NULL;
	struct word low = word, high;
	size_t i;

	for (i = 0; !dots && i + 1 < word.length; i++)
		if (word.text[i] == '.' && word.text[i + 1] == '.')
			dots = word.text + i;

	if (!dots)
		return read_duration(r, word, WORKLOAD_MIN_PHASE_NS, WORKLOAD_MAX_DURATION_NS,
				     &phase->min) &&
		       (phase->max = phase->min, true);
	low.length = (size_t)(dots - word.text);
	high = (struct word){ dots + 2, word.length - low.length - 2 };
	if (!read_duration(r, low, WORKLOAD_MIN_PHASE_NS, WORKLOAD_MAX_DURATION_NS, &phase->min) ||
	    !read_duration(r, high, WORKLOAD_MIN_PHASE_NS, WORKLOAD_MAX_DURATION_NS, &phase->max))
		return false;
	if (phase->max < phase->min) {
		error_at(r, word, "write the smaller duration first", "an empty range");
		return false;
	}
	return true;
}

/* A CPU list: 0-3,6 → bits 0, 1, 2, 3 and 6. */
static bool read_cpus(struct reader *r, struct word word, uint64_t *mask)
{
	const char *p = word.text, *end = word.text + word.length;

	*mask = 0;
	while (p < end) {
		char *after;
		unsigned long first = strtoul(p, &after, 10), last = first;

		if (after == p || !isdigit((unsigned char)*p))
			goto bad;
		if (after < end && *after == '-') {
			p = after + 1;
			last = strtoul(p, &after, 10);
			if (after == p || !isdigit((unsigned char)*p))
				goto bad;
		}
		if (last >= WORKLOAD_MAX_CPUS || first > last)
			goto bad;
		for (; first <= last; first++)
			*mask |= 1ULL << first;
		p = after;
		if (p < end && *p++ != ',')
			goto bad;
	}
	if (*mask)
		return true;
bad:
	error_at(r, word, "write CPUs as a list of numbers and ranges below 64: 0-3,6",
		 "expected a CPU list, not '%.*s'", (int)word.length, word.text);
	return false;
}

static void read_task(struct reader *r, struct word *words, int nr_words)
{
	struct workload *w = r->workload;
	struct workload_task task = { .cpus = ~0ULL, .line = r->line_number };
	int64_t count = 1, value;
	int i = 2;

	if (nr_words < 2 || words[1].length > WORKLOAD_COMM_MAX) {
		error_at(r, nr_words < 2 ? words[0] : words[1],
			 "a task is named as a comm is: 1 to 15 characters",
			 nr_words < 2 ? "a task needs a name"
				      : "a task's name is at most 15 characters");
		return;
	}
	memcpy(task.comm, words[1].text, words[1].length);
	for (; i < nr_words; i++) {
		struct word key = words[i], arg = i + 1 < nr_words ? words[i + 1] : key;
		bool has_arg = i + 1 < nr_words;

		if (is(key, "hog")) {
			task.hog = true;
			continue;
		}
		if (!has_arg &&
		    (is(key, "nice") || is(key, "uid") || is(key, "cpus") || is(key, "count") ||
		     is(key, "start") || is(key, "run") || is(key, "sleep"))) {
			error_at(r, key, NULL, "'%.*s' needs a value after it", (int)key.length,
				 key.text);
			return;
		}
		if (is(key, "nice")) {
			if (!read_int(r, arg, -20, 19, &value))
				return;
			task.nice = (int)value;
		} else if (is(key, "uid")) {
			if (!read_int(r, arg, 0, UINT32_MAX - 1, &value))
				return;
			task.uid = (uint32_t)value;
		} else if (is(key, "count")) {
			if (!read_int(r, arg, 1, WORKLOAD_MAX_TASKS, &count))
				return;
		} else if (is(key, "cpus")) {
			if (!read_cpus(r, arg, &task.cpus))
				return;
			if (!(task.cpus & machine_cpus(w->cpus))) {
				error_at(r, arg, "name CPUs below the `cpus` line's count",
					 "the machine has %d CPUs: none of these", w->cpus);
				return;
			}
		} else if (is(key, "start")) {
			if (!read_duration(r, arg, 0, WORKLOAD_MAX_DURATION_NS, &task.start))
				return;
		} else if (is(key, "run") || is(key, "sleep")) {
			struct workload_phase *phase = &task.phases[task.nr_phases];

			if (task.nr_phases == WORKLOAD_MAX_PHASES) {
				error_at(r, key, NULL, "a task has at most %d phases",
					 WORKLOAD_MAX_PHASES);
				return;
			}
			phase->kind = is(key, "run") ? PHASE_RUN : PHASE_SLEEP;
			if (!read_span(r, arg, phase))
				return;
			task.nr_phases++;
		} else {
			error_at(r, key,
				 "a task takes nice, uid, cpus, count, start, and hog or run "
				 "and sleep phases",
				 "unknown task setting '%.*s'", (int)key.length, key.text);
			return;
		}
		i++;
	}
	if (task.hog == (task.nr_phases > 0)) {
		error_at(r, words[1], "say `hog`, or give phases: run 2ms sleep 8ms",
			 task.hog ? "a hog has no phases" : "task '%s' has nothing to do",
			 task.comm);
		return;
	}
	if (!task.hog) {
		bool runs = false;

		for (i = 0; i < task.nr_phases; i++)
			runs |= task.phases[i].kind == PHASE_RUN;
		if (!runs) {
			error_at(r, words[1], "add a run phase", "task '%s' never runs", task.comm);
			return;
		}
	}
	if (w->nr_tasks + count > WORKLOAD_MAX_TASKS) {
		error_at(r, words[0], NULL, "too many tasks: the limit is %d", WORKLOAD_MAX_TASKS);
		return;
	}
	w->tasks = checked(realloc(w->tasks, (size_t)(w->nr_tasks + count) * sizeof(*w->tasks)));
	while (count--)
		w->tasks[w->nr_tasks++] = task;
}

static void read_line(struct reader *r)
{
	struct workload *w = r->workload;
	struct word words[MAX_WORDS];
	const char *p = r->line, *end = r->line + r->line_length;
	int nr_words = 0;
	int64_t value;

	while (p < end && *p != '#') {
		if (isspace((unsigned char)*p)) {
			p++;
			continue;
		}
		if (nr_words == MAX_WORDS) {
			error_at(r, (struct word){ p, 1 }, NULL, "a line has at most %d words",
				 MAX_WORDS);
			return;
		}
		words[nr_words].text = p;
		while (p < end && !isspace((unsigned char)*p) && *p != '#')
			p++;
		words[nr_words].length = (size_t)(p - words[nr_words].text);
		nr_words++;
	}
	if (!nr_words)
		return;
	if (is(words[0], "task")) {
		read_task(r, words, nr_words);
		return;
	}
	if (!is(words[0], "cpus") && !is(words[0], "tick") && !is(words[0], "duration")) {
		error_at(r, words[0], "a line starts with cpus, tick, duration or task",
			 "unknown keyword '%.*s'", (int)words[0].length, words[0].text);
		return;
	}
	if (nr_words != 2) {
		error_at(r, words[nr_words > 2 ? 2 : 0], NULL, "'%.*s' takes one value",
			 (int)words[0].length, words[0].text);
		return;
	}
	if (is(words[0], "cpus")) {
		if (!read_int(r, words[1], 1, WORKLOAD_MAX_CPUS, &value))
			return;
		w->cpus = (int)value;
		for (int i = 0; i < w->nr_tasks; i++) {
			if (!(w->tasks[i].cpus & machine_cpus(w->cpus))) {
				error_at(r, words[1],
					 "give the machine more CPUs, or the task others",
					 "task '%s' (line %d) may run on none of these %d CPUs",
					 w->tasks[i].comm, w->tasks[i].line, w->cpus);
				return;
			}
		}
	} else if (is(words[0], "tick")) {
		read_duration(r, words[1], WORKLOAD_MIN_TICK_NS, WORKLOAD_MAX_TICK_NS, &w->tick);
	} else {
		read_duration(r, words[1], 1000000, WORKLOAD_MAX_DURATION_NS, &w->duration);
	}
}

bool workload_read(struct workload *workload, const char *path)
{
	struct reader r = { .workload = workload };
	FILE *file = fopen(path, "r");
	char *line = NULL;
	size_t capacity = 0;
	ssize_t length;

	*workload = (struct workload){
		.path = path, .cpus = 2, .tick = 4000000, .duration = 10000000000ULL
	};
	if (!file) {
		fprintf(stderr, "scxsim: error: cannot read %s\n", path);
		return false;
	}
	while ((length = getline(&line, &capacity, file)) >= 0) {
		r.line = line;
		r.line_length = (size_t)length;
		while (r.line_length &&
		       (line[r.line_length - 1] == '\n' || line[r.line_length - 1] == '\r'))
			r.line_length--;
		r.line_number++;
		read_line(&r);
	}
	free(line);
	fclose(file);
	if (!r.errors && !workload->nr_tasks) {
		fprintf(stderr, "%s: error: the workload has no tasks\n", path);
		r.errors++;
	}
	return r.errors == 0;
}

void workload_free(struct workload *workload)
{
	free(workload->tasks);
	workload->tasks = NULL;
}

double workload_events(const struct workload *workload)
{
	double events = (double)workload->duration / (double)workload->tick * workload->cpus;
	int i, j;

	for (i = 0; i < workload->nr_tasks; i++) {
		const struct workload_task *task = &workload->tasks[i];
		double cycle = 0, runs = 0;

		if (task->hog || task->start >= workload->duration)
			continue;
		for (j = 0; j < task->nr_phases; j++) {
			cycle += (double)(task->phases[j].min + task->phases[j].max) / 2;
			runs += task->phases[j].kind == PHASE_RUN;
		}
		events += 3 * runs * (double)(workload->duration - task->start) / cycle;
	}
	return events;
}
