/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * cpusets.c — CPU sets on the loader's side: takes the kernel's cpulist syntax ("0-3,6", as
 * --set gives a cpuset param, each CPU once, as the language's set literals hold them) and the sets an object describes (its `cpus` records, and the
 * cpuset params they name), and makes the bitmaps written into `.data.params`, the text they are
 * shown as, and the check against the machine before load: a CPU of a set that the machine does
 * not have is a warning, a set with none of its CPUs on the machine a refusal.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "number.h"
#include "run.h"

static bool has_cpu(const uint64_t *bits, int cpu)
{
	return bits[cpu / 64] >> (cpu % 64) & 1;
}

/* Reads a CPU id at *TEXT with the language's number reader (so `1_0` is 10 in both, and `1ms`
 * no CPU in either), moving past it; false if there is none or it is past the limit. */
static bool read_cpu(const char **text, int *cpu, char *why, size_t size)
{
	struct number_literal literal;
	size_t length =
		strspn(*text, "0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ");
	if (!length || **text < '0' || **text > '9') {
		snprintf(why, size, "expected a CPU number at '%s'", *text);
		return false;
	}
	enum number_status status = read_number(*text, length, &literal);
	if (status == NUMBER_OK && literal.unit != UNIT_NONE) {
		snprintf(why, size, "a CPU is a number, not a duration ('%.*s')", (int)length,
			 *text);
		return false;
	}
	if (status == NUMBER_TOO_LARGE || (status == NUMBER_OK && literal.value >= SCXC_MAX_CPUS)) {
		snprintf(why, size, "CPU %.*s is beyond the %d CPUs a set may name", (int)length,
			 *text, SCXC_MAX_CPUS);
		return false;
	}
	if (status != NUMBER_OK) {
		snprintf(why, size, "'%.*s' is not a CPU number", (int)length, *text);
		return false;
	}
	*cpu = (int)literal.value;
	*text += length;
	return true;
}

bool scxload_parse_cpulist(const char *text, uint64_t *bits, char *why, size_t size)
{
	memset(bits, 0, SCXC_CPUSET_WORDS * sizeof(uint64_t));
	if (!*text) {
		snprintf(why, size, "an empty list names no CPU");
		return false;
	}
	while (*text) {
		int first, last;
		if (!read_cpu(&text, &first, why, size))
			return false;
		last = first;
		if (*text == '-') {
			text++;
			if (!read_cpu(&text, &last, why, size))
				return false;
			if (last < first) {
				snprintf(why, size, "the range %d-%d runs backwards", first, last);
				return false;
			}
		}
		for (int cpu = first; cpu <= last; cpu++) {
			if (has_cpu(bits, cpu)) {
				snprintf(why, size, "CPU %d is in the list twice", cpu);
				return false;
			}
			bits[cpu / 64] |= 1ULL << (cpu % 64);
		}
		if (*text && *text != ',') {
			snprintf(why, size, "expected ',' or '-' at '%s'", text);
			return false;
		}
		text += *text == ',';
		if (text[-1] == ',' && !*text) {
			snprintf(why, size, "the list ends with ','");
			return false;
		}
	}
	return true;
}

void scxload_format_cpulist(const uint64_t *bits, char *buf, size_t size)
{
	size_t used = 0;
	buf[0] = '\0';
	for (int cpu = 0; cpu < SCXC_MAX_CPUS && used < size; cpu++) {
		if (!has_cpu(bits, cpu))
			continue;
		int last = cpu;
		while (last + 1 < SCXC_MAX_CPUS && has_cpu(bits, last + 1))
			last++;
		const char *comma = used ? "," : "";
		if (last == cpu)
			used += (size_t)snprintf(buf + used, size - used, "%s%d", comma, cpu);
		else
			used += (size_t)snprintf(buf + used, size - used, "%s%d-%d", comma, cpu,
						 last);
		cpu = last;
	}
}

/* The CPUs queue set SET stands for now: its own, or its param's as --set left them. */
static const uint64_t *cpus_now(const struct scxload_object *object, const struct scxload_cpus *set)
{
	return set->param >= 0 ? object->params[set->param].cpus : set->bits;
}

bool check_cpusets(const struct scxload_object *object, int nr_cpus)
{
	bool ok = true;
	for (int i = 0; i < object->nr_cpusets; i++) {
		const struct scxload_cpus *set = &object->cpusets[i];
		const uint64_t *bits = cpus_now(object, set);
		uint64_t missing[SCXC_CPUSET_WORDS] = { 0 };
		bool any_present = false, any_missing = false;
		for (int cpu = 0; cpu < SCXC_MAX_CPUS; cpu++) {
			if (!has_cpu(bits, cpu))
				continue;
			if (cpu < nr_cpus) {
				any_present = true;
				continue;
			}
			missing[cpu / 64] |= 1ULL << (cpu % 64);
			any_missing = true;
		}
		char text[SCXC_MAX_CPUS * 2 + 16], gone[SCXC_MAX_CPUS * 2 + 16];
		scxload_format_cpulist(bits, text, sizeof(text));
		scxload_format_cpulist(missing, gone, sizeof(gone));
		if (!any_present) {
			scxload_error(
				"queue '%s' has no CPU on this machine: its set is %s, and the "
				"machine has CPUs 0-%d; give it CPUs that exist%s%s%s",
				set->queue, text, nr_cpus - 1, set->param >= 0 ? " (--set " : "",
				set->param >= 0 ? object->params[set->param].name : "",
				set->param >= 0 ? "=LIST)" : "");
			ok = false;
		} else if (any_missing) {
			scxload_note(
				"warning: queue '%s' runs on CPUs %s, but CPUs %s of its set do "
				"not exist on this machine (it has CPUs 0-%d)",
				set->queue, text, gone, nr_cpus - 1);
		}
	}
	return ok;
}

void write_cpuset_params(const struct scxload_object *object, char *data)
{
	int slot = 0;
	for (int i = 0; i < object->nr_params; i++) {
		if (object->params[i].type != SCXLOAD_CPUSET)
			continue;
		memcpy(data + cpuset_offset(object, slot++), object->params[i].cpus,
		       SCXC_CPUSET_WORDS * sizeof(uint64_t));
	}
}

size_t cpuset_offset(const struct scxload_object *object, int slot)
{
	return 8 * (size_t)object->nr_params + (size_t)slot * SCXC_CPUSET_WORDS * sizeof(uint64_t);
}

int cpuset_param_count(const struct scxload_object *object)
{
	int count = 0;
	for (int i = 0; i < object->nr_params; i++)
		count += object->params[i].type == SCXLOAD_CPUSET;
	return count;
}
