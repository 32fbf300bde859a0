/*
 * params.c — takes `name=value` words from the command line and the params an object describes,
 * and sets the values the loader writes into `.rodata` before load.  Values carry units like the
 * language does (3ms, 500us, 2s, 20_000ns; plain integers for int params; true/false for bools);
 * the type and range are checked here, so a bad value is refused before anything is loaded.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scxload.h"

static const struct {
	const char *suffix;
	int64_t ns;
} units[] = { { "ns", 1 }, { "us", 1000 }, { "ms", 1000000 }, { "s", 1000000000 } };

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/*
 * Parses a decimal number, stopping at the first other character; *END points there.  As in the
 * language, a `_` may stand only between two digits (1_000, not 1_ or 5_ms), and only an int may
 * have a sign, a `-` (the language's minus; it has no unary plus).  False if there are no digits
 * or it overflows.
 */
static bool parse_digits(const char *text, bool signed_int, int64_t *value, const char **end)
{
	bool negative = signed_int && *text == '-';
	if (negative)
		text++;
	uint64_t magnitude = 0;
	bool digits = false;
	for (; is_digit(*text) || (*text == '_' && digits && is_digit(text[1])); text++) {
		if (*text == '_')
			continue;
		digits = true;
		if (magnitude > (UINT64_MAX - 9) / 10)
			return false;
		magnitude = magnitude * 10 + (uint64_t)(*text - '0');
	}
	if (!digits || magnitude > (uint64_t)INT64_MAX)
		return false;
	*value = negative ? -(int64_t)magnitude : (int64_t)magnitude;
	*end = text;
	return true;
}

bool scxload_parse_duration(const char *text, int64_t *ns)
{
	int64_t count;
	const char *suffix;
	if (!parse_digits(text, false, &count, &suffix))
		return false;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(suffix, units[i].suffix))
			continue;
		if (count > INT64_MAX / units[i].ns || count < -(INT64_MAX / units[i].ns))
			return false;
		*ns = count * units[i].ns;
		return true;
	}
	return false;
}

void scxload_format_duration(int64_t ns, char *buf, size_t size)
{
	size_t unit = sizeof(units) / sizeof(units[0]);
	while (--unit > 0 && (ns == 0 || ns % units[unit].ns))
		;
	if (ns == 0)
		snprintf(buf, size, "0");
	else
		snprintf(buf, size, "%" PRId64 "%s", ns / units[unit].ns, units[unit].suffix);
}

void scxload_format_value(const struct scxload_param *param, int64_t value, char *buf, size_t size)
{
	switch (param->type) {
	case SCXLOAD_DURATION:
		scxload_format_duration(value, buf, size);
		break;
	case SCXLOAD_BOOL:
		snprintf(buf, size, "%s", value ? "true" : "false");
		break;
	case SCXLOAD_INT:
		snprintf(buf, size, "%" PRId64, value);
		break;
	}
}

void scxload_format_range(const struct scxload_param *param, char *buf, size_t size)
{
	char low[32], high[32];
	scxload_format_value(param, param->min, low, sizeof(low));
	scxload_format_value(param, param->max, high, sizeof(high));
	bool bounded_below = param->min != INT64_MIN, bounded_above = param->max != INT64_MAX;
	if (param->type == SCXLOAD_BOOL || (!bounded_below && !bounded_above))
		snprintf(buf, size, "%s", "");
	else if (!bounded_above)
		snprintf(buf, size, "at least %s", low);
	else if (!bounded_below)
		snprintf(buf, size, "at most %s", high);
	else
		snprintf(buf, size, "in %s .. %s", low, high);
}

static const char *type_name(enum scxload_param_type type)
{
	return type == SCXLOAD_INT ? "an int" : type == SCXLOAD_DURATION ? "a duration" : "a bool";
}

/* Edit distance between A and B (insertions, deletions, substitutions). */
static size_t edit_distance(const char *a, const char *b)
{
	size_t length_b = strlen(b);
	size_t *row = calloc(length_b + 1, sizeof(*row));
	if (!row)
		return SIZE_MAX;
	for (size_t j = 0; j <= length_b; j++)
		row[j] = j;
	for (size_t i = 1; a[i - 1]; i++) {
		size_t diagonal = row[0];
		row[0] = i;
		for (size_t j = 1; j <= length_b; j++) {
			size_t above = row[j];
			size_t best = diagonal + (a[i - 1] != b[j - 1]);
			if (above + 1 < best)
				best = above + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diagonal = above;
		}
	}
	size_t distance = row[length_b];
	free(row);
	return distance;
}

static void report_unknown(const struct scxload_object *object, const char *name)
{
	if (object->nr_params == 0) {
		scxload_error("unknown param '%s': policy '%s' has no params", name, object->policy);
		return;
	}
	const char *closest = NULL;
	size_t best = SIZE_MAX;
	for (int i = 0; i < object->nr_params; i++) {
		size_t distance = edit_distance(name, object->params[i].name);
		if (distance < best) {
			best = distance;
			closest = object->params[i].name;
		}
	}
	size_t allowed = strlen(name) / 3 > 2 ? strlen(name) / 3 : 2;
	if (best <= allowed) {
		scxload_error("unknown param '%s' in policy '%s'; did you mean '%s'?", name,
			      object->policy, closest);
		return;
	}
	char list[512] = "";
	for (int i = 0; i < object->nr_params; i++) {
		size_t used = strlen(list);
		snprintf(list + used, sizeof(list) - used, "%s%s", i ? ", " : "",
			 object->params[i].name);
	}
	scxload_error("unknown param '%s' in policy '%s' (its params: %s)", name, object->policy,
		      list);
}

/* Whether TEXT has the shape of an int or a duration (sign, digits, a unit) whatever its size. */
static bool shaped_like_number(const char *text)
{
	text += *text == '-';
	if (!is_digit(*text))
		return false;
	while (is_digit(*text) || (*text == '_' && is_digit(text[1])))
		text++;
	if (!*text)
		return true;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (!strcmp(text, units[i].suffix))
			return true;
	return false;
}

/* Parses TEXT as a value for PARAM; reports and returns false if it is the wrong kind. */
static bool parse_value(const struct scxload_param *param, const char *text, int64_t *value)
{
	const char *end;
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
		if (scxload_parse_duration(text, value))
			return true;
		if (parse_digits(text, false, value, &end) && !*end) {
			scxload_error("'%s' is a duration: give '%s' a unit (ns, us, ms or s), "
				      "e.g. %sms", param->name, text, text);
			return false;
		}
		break;
	case SCXLOAD_INT:
		if (parse_digits(text, true, value, &end) && !*end)
			return true;
		break;
	}
	const char *seen = "not a value";
	int64_t ignored;
	if (scxload_parse_duration(text, &ignored))
		seen = "a duration";
	else if (*text == '-' && scxload_parse_duration(text + 1, &ignored))
		seen = "negative, which a duration never is";
	else if (parse_digits(text, true, &ignored, &end) && !*end)
		seen = "an int";
	else if (!strcmp(text, "true") || !strcmp(text, "false"))
		seen = "a bool";
	else if (shaped_like_number(text))
		seen = strpbrk(text, "nums") ?
			       "longer than 64 bits of nanoseconds (292 years)" : "beyond 64 bits";
	else if (strchr(text, '_'))
		seen = "not a value ('_' may stand only between two digits, as in 1_000us)";
	const char *example = param->type == SCXLOAD_INT ? "an integer such as 4"
			      : param->type == SCXLOAD_DURATION ? "a duration such as 3ms"
			      : "true or false";
	scxload_error("'%s' is %s, but '%s' is %s: give %s", param->name,
		      type_name(param->type), text, seen, example);
	return false;
}

bool scxload_set_param(struct scxload_object *object, const char *assignment)
{
	const char *equals = strchr(assignment, '=');
	if (!equals || equals == assignment) {
		scxload_error("--set takes name=value, not '%s'", assignment);
		return false;
	}
	size_t length = (size_t)(equals - assignment);
	char *name = strndup(assignment, length);
	if (!name) {
		perror("strndup");
		exit(SCXLOAD_FAILED);
	}
	struct scxload_param *param = NULL;
	for (int i = 0; i < object->nr_params; i++)
		if (!strcmp(object->params[i].name, name))
			param = &object->params[i];
	if (!param) {
		report_unknown(object, name);
		free(name);
		return false;
	}
	free(name);
	int64_t value;
	if (!parse_value(param, equals + 1, &value))
		return false;
	if (value < param->min || value > param->max) {
		char range[80];
		scxload_format_range(param, range, sizeof(range));
		scxload_error("%s=%s is out of range: '%s' must be %s", param->name, equals + 1,
			      param->name, range);
		return false;
	}
	param->value = value;
	return true;
}
