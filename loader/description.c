/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * description.c — takes the text of an object's `.scxc` self-description (from the object file,
 * or from the copy a running scxrun publishes for `scxrun set`) and fills a struct
 * scxload_object with what it says: the policy name, its params with their types and ranges,
 * its queues and classes, and its stats with their units (docs/object-format.md).  Each bad
 * record is named by its line and what is wrong with it; record kinds this loader does not know
 * are skipped, as later format versions may add them.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run.h"
#include "words.h"

enum { MAX_FIELDS = 6 };

/* The words of the units a stat record may name, by enum scxload_unit. */
static const char *const unit_words[] = { [SCXLOAD_COUNT] = "count", [SCXLOAD_NS] = "ns" };
enum { NR_UNITS = sizeof(unit_words) / sizeof(unit_words[0]) };

int scxload_unit_of(const char *word)
{
	return word_index(unit_words, NR_UNITS, word);
}

/* Splits LINE in place at single spaces into at most MAX_FIELDS fields; the last takes the rest. */
static int split_fields(char *line, char *fields[MAX_FIELDS])
{
	int count = 0;
	while (*line && count < MAX_FIELDS) {
		fields[count++] = line;
		if (count == MAX_FIELDS)
			break;
		char *space = strchr(line, ' ');
		if (!space)
			break;
		*space = '\0';
		line = space + 1;
	}
	return count;
}

static bool parse_int(const char *text, int64_t *value)
{
	char *end;
	errno = 0;
	long long parsed = strtoll(text, &end, 10);
	if (errno || end == text || *end)
		return false;
	*value = parsed;
	return true;
}

static void *grow(void *array, int count, size_t element)
{
	return checked(realloc(array, (size_t)(count + 1) * element));
}

static char *copy(const char *text)
{
	return copy_text(text, strlen(text));
}

/* Says what is wrong with record LINE_NUMBER of OBJECT's description; returns false. */
static bool __attribute__((format(printf, 3, 4)))
bad_record(const struct scxload_object *object, int line_number, const char *fmt, ...)
{
	char detail[512];
	va_list args;
	va_start(args, fmt);
	vsnprintf(detail, sizeof(detail), fmt, args);
	va_end(args);
	scxload_error("%s: malformed .scxc record on line %d: %s", object->label, line_number,
		      detail);
	return false;
}

static bool parse_param(struct scxload_object *object, int line_number, char *fields[], int count)
{
	static const char *const numbers[] = { "default", "minimum", "maximum" };
	struct scxload_param param = { 0 };
	int64_t *values[] = { &param.def, &param.min, &param.max };
	char why[160];
	if (count == 4 && !strcmp(fields[2], "cpuset") && !strchr(fields[3], ' ')) {
		param.type = SCXLOAD_CPUSET;
		param.cpus = zeroed(SCXC_CPUSET_WORDS, sizeof(uint64_t));
		if (!scxload_parse_cpulist(fields[3], param.cpus, why, sizeof(why))) {
			free(param.cpus);
			return bad_record(object, line_number, "param %s: %s", fields[1], why);
		}
		param.name = copy(fields[1]);
		object->params = grow(object->params, object->nr_params, sizeof(param));
		object->params[object->nr_params++] = param;
		return true;
	}
	if (count != 6 || strchr(fields[5], ' '))
		return bad_record(object, line_number,
				  "param: wanted 'param NAME TYPE DEFAULT MIN MAX'");
	if (!strcmp(fields[2], "int"))
		param.type = SCXLOAD_INT;
	else if (!strcmp(fields[2], "duration"))
		param.type = SCXLOAD_DURATION;
	else if (!strcmp(fields[2], "bool"))
		param.type = SCXLOAD_BOOL;
	else
		return bad_record(object, line_number, "param %s: unknown type '%s'", fields[1],
				  fields[2]);
	for (int i = 0; i < 3; i++)
		if (!parse_int(fields[3 + i], values[i]))
			return bad_record(object, line_number,
					  "param %s: the %s '%s' is not a number", fields[1],
					  numbers[i], fields[3 + i]);
	if (param.min > param.max || param.def < param.min || param.def > param.max)
		return bad_record(object, line_number,
				  "param %s: the default %s is not in %s .. %s", fields[1],
				  fields[3], fields[4], fields[5]);
	param.name = copy(fields[1]);
	param.value = param.def;
	object->params = grow(object->params, object->nr_params, sizeof(param));
	object->params[object->nr_params++] = param;
	return true;
}

static bool add_named(const struct scxload_object *object, int line_number,
		      struct scxload_named **array, int *count, char *fields[], int nr_fields,
		      const char *form)
{
	if (nr_fields != 3 || strchr(fields[2], ' '))
		return bad_record(object, line_number, "%s: wanted '%s'", fields[0], form);
	*array = grow(*array, *count, sizeof(**array));
	(*array)[(*count)++] = (struct scxload_named){ copy(fields[1]), copy(fields[2]) };
	return true;
}

/* Whether KIND is one of the contract's queue kinds; says which are if not. */
static bool known_queue_kind(const struct scxload_object *object, int line_number, const char *kind)
{
	static const char *const kinds[] = {
#define X(name, word, meaning) word,
		SCXC_QUEUE_KIND_LIST(X)
#undef X
	};
	char known[128];
	if (word_index(kinds, SCXC_NR_QUEUE_KINDS, kind) >= 0)
		return true;
	return bad_record(object, line_number, "unknown queue kind '%s' (this scxrun knows %s)",
			  kind,
			  join_words(known, sizeof(known), kinds, SCXC_NR_QUEUE_KINDS, "and", "'"));
}

/* `cpus QUEUE CPULIST` or `cpus QUEUE param NAME`: a queue's CPU set. */
static bool parse_cpus(struct scxload_object *object, int line_number, char *fields[], int count)
{
	struct scxload_cpus set = { .param = -1 };
	char why[160];
	if (count == 4 && !strcmp(fields[2], "param") && !strchr(fields[3], ' ')) {
		for (int i = 0; i < object->nr_params; i++)
			if (!strcmp(object->params[i].name, fields[3]) &&
			    object->params[i].type == SCXLOAD_CPUSET)
				set.param = i;
		if (set.param < 0)
			return bad_record(object, line_number, "cpus %s: no cpuset param '%s'",
					  fields[1], fields[3]);
	} else if (count == 3 && !strchr(fields[2], ' ')) {
		set.bits = zeroed(SCXC_CPUSET_WORDS, sizeof(uint64_t));
		if (!scxload_parse_cpulist(fields[2], set.bits, why, sizeof(why))) {
			free(set.bits);
			return bad_record(object, line_number, "cpus %s: %s", fields[1], why);
		}
	} else {
		return bad_record(object, line_number,
				  "cpus: wanted 'cpus QUEUE CPULIST' or 'cpus QUEUE param NAME'");
	}
	set.queue = copy(fields[1]);
	object->cpusets = grow(object->cpusets, object->nr_cpusets, sizeof(set));
	object->cpusets[object->nr_cpusets++] = set;
	return true;
}

/* `stat NAME UNIT`: a stat and what it counts. */
static bool parse_stat(struct scxload_object *object, int line_number, char *fields[], int count)
{
	char known[64];
	if (count != 3 || strchr(fields[2], ' '))
		return bad_record(object, line_number, "stat: wanted 'stat NAME UNIT'");
	int unit = scxload_unit_of(fields[2]);
	if (unit < 0)
		return bad_record(
			object, line_number, "stat %s: unknown unit '%s' (this scxrun knows %s)",
			fields[1], fields[2],
			join_words(known, sizeof(known), unit_words, NR_UNITS, "and", "'"));
	object->stats = grow(object->stats, object->nr_stats, sizeof(*object->stats));
	object->stats[object->nr_stats++] =
		(struct scxload_stat){ copy(fields[1]), (enum scxload_unit)unit };
	return true;
}

/* The first byte of LINE no record holds (a control character), or NULL. */
static const char *stray_byte(const char *line)
{
	for (const unsigned char *c = (const unsigned char *)line; *c; c++)
		if (*c < 0x20 || *c == 0x7f)
			return (const char *)c;
	return NULL;
}

/* Reads one record, LINE (number LINE_NUMBER, the version line done); false if it is bad. */
static bool parse_record(struct scxload_object *object, int line_number, char *line)
{
	const char *stray = stray_byte(line);
	if (stray)
		return bad_record(object, line_number, "it holds byte 0x%02x, which no record has",
				  (unsigned char)*stray);
	if (!strncmp(line, "source ", strlen("source "))) {
		if (!object->source)
			object->source = copy(line + strlen("source "));
		return true;
	}
	char *fields[MAX_FIELDS];
	int count = split_fields(line, fields);
	if (count == 0)
		return true;
	if (!strcmp(fields[0], "policy") && count == 2 && !object->policy) {
		object->policy = copy(fields[1]);
		return true;
	}
	if (!strcmp(fields[0], "policy"))
		return bad_record(object, line_number,
				  object->policy ? "a second policy record"
						 : "policy: wanted 'policy NAME'");
	if (!strcmp(fields[0], "switch") && count == 2 &&
	    (!strcmp(fields[1], "partial") || !strcmp(fields[1], "all"))) {
		object->partial = !strcmp(fields[1], "partial");
		return true;
	}
	if (!strcmp(fields[0], "switch"))
		return bad_record(object, line_number,
				  "switch: wanted 'switch partial' or 'switch all'");
	if (!strcmp(fields[0], "param"))
		return parse_param(object, line_number, fields, count);
	if (!strcmp(fields[0], "queue"))
		return add_named(object, line_number, &object->queues, &object->nr_queues, fields,
				 count, "queue NAME KIND") &&
		       known_queue_kind(object, line_number, fields[2]);
	if (!strcmp(fields[0], "class"))
		return add_named(object, line_number, &object->classes, &object->nr_classes, fields,
				 count, "class NAME QUEUE");
	if (!strcmp(fields[0], "stat"))
		return parse_stat(object, line_number, fields, count);
	if (!strcmp(fields[0], "cpus"))
		return parse_cpus(object, line_number, fields, count);
	return true; /* a record kind of a later format version */
}

bool parse_description(struct scxload_object *object, const char *text, size_t size)
{
	if (!size || !memchr(text, '\0', size)) {
		scxload_error("%s: the .scxc section is not a NUL-terminated text", object->label);
		return false;
	}
	char version_line[32];
	snprintf(version_line, sizeof(version_line), "scxc %d", SCXC_DESCRIPTION_VERSION);
	object->description = copy(text);
	char *buffer = copy(text);
	char *next = buffer;
	bool ok = true;
	for (int line_number = 1; ok && next && *next; line_number++) {
		char *line = next;
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		const char *stray = stray_byte(line);
		if (line_number > 1) {
			ok = parse_record(object, line_number, line);
		} else if (stray) {
			scxload_error(
				"%s: the .scxc section does not start with a version line (it "
				"holds byte 0x%02x); the object is damaged",
				object->label, (unsigned char)*stray);
			ok = false;
		} else if (strcmp(line, version_line)) {
			scxload_error("%s: unsupported self-description '%s' (this scxrun reads "
				      "'%s'; rebuild the object with the matching scxc)",
				      object->label, line, version_line);
			ok = false;
		}
	}
	free(buffer);
	if (ok && !object->policy) {
		scxload_error("%s: the .scxc section names no policy", object->label);
		ok = false;
	}
	return ok;
}
