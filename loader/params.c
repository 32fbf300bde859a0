/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * params.c — takes `name=value` words (from --set, or `scxrun set`) and the params an object
 * describes, and makes the values the loader writes into `.data.params`, before load or while
 * the scheduler runs.  Values carry units like the language does (3ms, 500us, 2s, 20_000ns;
 * plain integers for int params; true/false for bools); the type and range are checked here, so
 * a bad value is refused before anything is loaded or changed.  Also writes a param as
 * --describe and `scxrun get` show it.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checked.h"
#include "number.h"
#include "run.h"
#include "words.h"

/* Reads TEXT as a whole literal of the language (number.h): a duration with its unit, or an
 * int, which alone may carry a '-' (the language's minus).  Returns its status. */
static enum number_status read_value(const char *text, struct number_literal *literal,
				     bool *negative)
{
	*negative = *text == '-';
	text += *negative;
	enum number_status status = read_number(text, strlen(text), literal);
	if (*negative)
		literal->value = -literal->value;
	return status;
}

bool scxload_parse_duration(const char *text, int64_t *ns)
{
	struct number_literal literal;
	if (read_number(text, strlen(text), &literal) != NUMBER_OK || literal.unit == UNIT_NONE)
		return false;
	*ns = literal.value;
	return true;
}

void scxload_format_duration(int64_t ns, char *buf, size_t size)
{
	char text[DURATION_TEXT_MAX];
	snprintf(buf, size, "%s", format_duration(ns, text));
}

void scxload_format_value(const struct scxload_param *param, int64_t value, char *buf, size_t size)
{
	switch (param->type) {
	case SCXLOAD_DURATION: scxload_format_duration(value, buf, size); break;
	case SCXLOAD_BOOL: snprintf(buf, size, "%s", value ? "true" : "false"); break;
	case SCXLOAD_INT: snprintf(buf, size, "%" PRId64, value); break;
	case SCXLOAD_CPUSET: scxload_format_cpulist(param->cpus, buf, size); break;
	}
}

void scxload_format_range(const struct scxload_param *param, char *buf, size_t size)
{
	char low[32], high[32];
	scxload_format_value(param, param->min, low, sizeof(low));
	scxload_format_value(param, param->max, high, sizeof(high));
	bool bounded_below = param->min != INT64_MIN, bounded_above = param->max != INT64_MAX;
	if (param->type == SCXLOAD_BOOL || param->type == SCXLOAD_CPUSET ||
	    (!bounded_below && !bounded_above))
		snprintf(buf, size, "%s", "");
	else if (!bounded_above)
		snprintf(buf, size, "at least %s", low);
	else if (!bounded_below)
		snprintf(buf, size, "at most %s", high);
	else
		snprintf(buf, size, "in %s .. %s", low, high);
}

static const char *type_word(enum scxload_param_type type)
{
	static const char *const words[] = { [SCXLOAD_INT] = "int",
					     [SCXLOAD_DURATION] = "duration",
					     [SCXLOAD_BOOL] = "bool",
					     [SCXLOAD_CPUSET] = "cpuset" };
	return words[type];
}

static const char *type_name(enum scxload_param_type type)
{
	static const char *const names[] = { [SCXLOAD_INT] = "an int",
					     [SCXLOAD_DURATION] = "a duration",
					     [SCXLOAD_BOOL] = "a bool",
					     [SCXLOAD_CPUSET] = "a CPU set" };
	return names[type];
}

static void report_unknown(const struct scxload_object *object, const char *name)
{
	if (object->nr_params == 0) {
		scxload_error("unknown param '%s': policy '%s' has no params", name,
			      object->policy);
		return;
	}
	const char **names = checked(calloc((size_t)object->nr_params, sizeof(*names)));
	for (int i = 0; i < object->nr_params; i++)
		names[i] = object->params[i].name;
	const char *closest = suggest_name(name, names, object->nr_params);
	char list[512];
	if (closest)
		scxload_error("unknown param '%s' in policy '%s'; did you mean '%s'?", name,
			      object->policy, closest);
	else
		scxload_error("unknown param '%s' in policy '%s' (its params: %s)", name,
			      object->policy,
			      join_words(list, sizeof(list), names, object->nr_params, "and", ""));
	free(names);
}

/* What TEXT is, for a message that refuses it. */
static const char *what_it_is(const char *text)
{
	struct number_literal literal;
	bool negative;
	switch (read_value(text, &literal, &negative)) {
	case NUMBER_OK:
		if (literal.unit == UNIT_NONE)
			return "an int";
		return negative ? "negative, which a duration never is" : "a duration";
	case NUMBER_TOO_LARGE:
		return literal.unit == UNIT_NONE ? "beyond 64 bits"
						 : "longer than 64 bits of nanoseconds (292 years)";
	case NUMBER_MISPLACED_UNDERSCORE:
		return "not a value ('_' may stand only between two digits, as in 1_000us)";
	case NUMBER_NO_DIGITS:
	case NUMBER_NOT_DECIMAL:
	case NUMBER_UNKNOWN_UNIT: break;
	}
	if (!strcmp(text, "true") || !strcmp(text, "false"))
		return "a bool";
	return "not a value";
}

/* Parses TEXT as a value for PARAM; reports and returns false if it is the wrong kind. */
static bool parse_value(const struct scxload_param *param, const char *text, int64_t *value)
{
	struct number_literal literal;
	bool negative;
	bool number = read_value(text, &literal, &negative) == NUMBER_OK;
	switch (param->type) {
	case SCXLOAD_BOOL:
		if (!strcmp(text, "true") || !strcmp(text, "1"))
			*value = 1;
		else if (!strcmp(text, "false") || !strcmp(text, "0"))
			*value = 0;
		else
			break;
		return true;
	case SCXLOAD_DURATION:
		if (number && !negative && literal.unit != UNIT_NONE) {
			*value = literal.value;
			return true;
		}
		if (number && !negative) {
			char units[32];
			scxload_error("'%s' is a duration: give '%s' a unit (%s), e.g. %sms",
				      param->name, text,
				      join_words(units, sizeof(units), unit_suffixes + 1,
						 UNIT_COUNT, "or", ""),
				      text);
			return false;
		}
		break;
	case SCXLOAD_INT:
		if (number && literal.unit == UNIT_NONE) {
			*value = literal.value;
			return true;
		}
		break;
	case SCXLOAD_CPUSET: break; /* read by parse_cpuset */
	}
	const char *example = param->type == SCXLOAD_INT	? "an integer such as 4"
			      : param->type == SCXLOAD_DURATION ? "a duration such as 3ms"
								: "true or false";
	scxload_error("'%s' is %s, but '%s' is %s: give %s", param->name, type_name(param->type),
		      text, what_it_is(text), example);
	return false;
}

bool assignment_form(const char *word, const char *command)
{
	const char *equals = strchr(word, '=');
	if (equals && equals != word)
		return true;
	scxload_error("%s takes name=value, not '%s'", command, word);
	return false;
}

/* A cpuset param's new CPUs, into CPUS; refused where the set cannot change (CPUS NULL). */
static bool parse_cpuset(const struct scxload_param *param, const char *text, uint64_t *cpus)
{
	char why[160];
	if (!cpus) {
		scxload_error(
			"'%s' is a CPU set, which is fixed when the scheduler loads: stop it and "
			"load it again with --set %s=%s",
			param->name, param->name, text);
		return false;
	}
	if (scxload_parse_cpulist(text, cpus, why, sizeof(why)))
		return true;
	scxload_error("'%s' is a CPU set, but '%s' is not a CPU list: %s; give CPUs and ranges "
		      "such as 0-3,6",
		      param->name, text, why);
	return false;
}

bool parse_assignment(const struct scxload_object *object, const char *assignment,
		      const char *command, int *index, int64_t *value, uint64_t *cpus)
{
	if (!assignment_form(assignment, command))
		return false;
	const char *equals = strchr(assignment, '=');
	char *name = copy_text(assignment, (size_t)(equals - assignment));
	*index = -1;
	for (int i = 0; i < object->nr_params; i++)
		if (!strcmp(object->params[i].name, name))
			*index = i;
	if (*index < 0)
		report_unknown(object, name);
	free(name);
	if (*index < 0)
		return false;
	const struct scxload_param *param = &object->params[*index];
	if (param->type == SCXLOAD_CPUSET) {
		*value = 0;
		return parse_cpuset(param, equals + 1, cpus);
	}
	if (!parse_value(param, equals + 1, value))
		return false;
	if (*value < param->min || *value > param->max) {
		char range[80];
		scxload_format_range(param, range, sizeof(range));
		scxload_error("%s=%s is out of range: '%s' must be %s", param->name, equals + 1,
			      param->name, range);
		return false;
	}
	return true;
}

bool scxload_set_param(struct scxload_object *object, const char *assignment)
{
	int index;
	int64_t value;
	uint64_t cpus[SCXC_CPUSET_WORDS];
	if (!parse_assignment(object, assignment, "--set", &index, &value, cpus))
		return false;
	object->params[index].value = value;
	if (object->params[index].type == SCXLOAD_CPUSET)
		memcpy(object->params[index].cpus, cpus, sizeof(cpus));
	return true;
}

void print_param(const struct scxload_param *param, int64_t value)
{
	char text[SCXC_MAX_CPUS * 2 + 16], range[80];
	scxload_format_value(param, value, text, sizeof(text));
	scxload_format_range(param, range, sizeof(range));
	printf("param %s: %s = %s%s%s\n", param->name, type_word(param->type), text,
	       *range ? " " : "", range);
}
