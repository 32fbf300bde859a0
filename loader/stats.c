/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * stats.c — takes a loaded object and reads what its runtime keeps in the object's maps: the
 * stats, one counter per CPU summed into one total each (counts, or times in ns), the wait-time
 * histograms (waits.c), the params' current values, and the record of how the kernel stopped
 * the scheduler.  Prints them every interval by name (a line per group, with rates; times as
 * durations) or as one JSON object per line, and at the end a summary with the exit record and
 * the verifier's work; a kernel exit is also reported on stderr.
 */
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run.h"

/* --- reading the runtime's maps --------------------------------------------------------------- */

bool read_exit_record(const struct scxload_object *object, const struct loaded *loaded,
		      struct scxc_exit_info *record)
{
	*record = (struct scxc_exit_info){ 0 };
	if (!loaded->bss || object->exit_offset < 0)
		return false;
	size_t size = bpf_map__value_size(loaded->bss);
	if ((size_t)object->exit_offset + sizeof(*record) > size)
		return false;
	char *data = zeroed(size, 1);
	uint32_t key = 0;
	bool ok = !bpf_map_lookup_elem(bpf_map__fd(loaded->bss), &key, data);
	if (ok) {
		memcpy(record, data + object->exit_offset, sizeof(*record));
		record->reason[SCXC_EXIT_REASON_SIZE - 1] = '\0';
		record->message[SCXC_EXIT_MESSAGE_SIZE - 1] = '\0';
	}
	free(data);
	return ok;
}

const char *exit_kind_name(int32_t kind)
{
	switch (kind) {
	case 0: return "NONE";
	case 1: return "DONE";
	case 64: return "UNREG";
	case 65: return "UNREG_BPF";
	case 66: return "UNREG_KERN";
	case 67: return "SYSRQ";
	case 1024: return "ERROR";
	case 1025: return "ERROR_BPF";
	case 1026: return "ERROR_STALL";
	default: return kind >= SCX_EXIT_ERROR ? "ERROR (unknown kind)" : "unknown kind";
	}
}

void snapshot_init(const struct scxload_object *object, struct snapshot *snapshot)
{
	snapshot->stats = zeroed((size_t)object->nr_stats, sizeof(*snapshot->stats));
	snapshot->waits =
		zeroed((size_t)object->nr_classes * SCXC_WAIT_BUCKETS, sizeof(*snapshot->waits));
	snapshot->params = zeroed((size_t)object->nr_params, sizeof(*snapshot->params));
}

void snapshot_free(struct snapshot *snapshot)
{
	free(snapshot->stats);
	free(snapshot->waits);
	free(snapshot->params);
}

void snapshot_copy(const struct scxload_object *object, struct snapshot *to,
		   const struct snapshot *from)
{
	memcpy(to->stats, from->stats, sizeof(*to->stats) * (size_t)object->nr_stats);
	memcpy(to->waits, from->waits,
	       sizeof(*to->waits) * (size_t)object->nr_classes * SCXC_WAIT_BUCKETS);
	memcpy(to->params, from->params, sizeof(*to->params) * (size_t)object->nr_params);
}

/* Sums the per-CPU stats into TOTALS (object->nr_stats entries). */
static void read_stats(const struct scxload_object *object, const struct loaded *loaded,
		       uint64_t *totals)
{
	memset(totals, 0, sizeof(*totals) * (size_t)object->nr_stats);
	int cpus = libbpf_num_possible_cpus();
	if (!loaded->stats || !object->nr_stats || cpus <= 0)
		return;
	uint64_t *values = zeroed((size_t)cpus * (size_t)object->nr_stats, sizeof(*values));
	uint32_t key = 0;
	if (!bpf_map_lookup_elem(bpf_map__fd(loaded->stats), &key, values))
		for (int cpu = 0; cpu < cpus; cpu++)
			for (int i = 0; i < object->nr_stats; i++)
				totals[i] +=
					values[(size_t)cpu * (size_t)object->nr_stats + (size_t)i];
	free(values);
}

void read_snapshot(const struct scxload_object *object, const struct loaded *loaded,
		   struct snapshot *snapshot)
{
	read_stats(object, loaded, snapshot->stats);
	read_waits(object, loaded->waits, snapshot->waits);
	for (int i = 0; i < object->nr_params; i++)
		snapshot->params[i] = loaded->params_mapping.values
					      ? load_param(&loaded->params_mapping, i)
					      : object->params[i].value;
}

/* --- printing --------------------------------------------------------------------------------- */

void print_json_string(const char *text)
{
	putchar('"');
	for (const unsigned char *c = (const unsigned char *)text; *c; c++) {
		if (*c == '"' || *c == '\\')
			printf("\\%c", *c);
		else if (*c == '\n')
			printf("\\n");
		else if (*c < 0x20)
			printf("\\u%04x", *c);
		else
			putchar(*c);
	}
	putchar('"');
}

char *format_measured(uint64_t ns, char out[DURATION_TEXT_MAX])
{
	enum unit unit = UNIT_NS;
	while (unit < UNIT_S && (double)ns >= 999.5 * (double)unit_nanoseconds[unit])
		unit++;
	double value = (double)ns / (double)unit_nanoseconds[unit];
	int decimals = unit == UNIT_NS || value >= 99.95 ? 0 : value >= 9.995 ? 1 : 2;
	snprintf(out, DURATION_TEXT_MAX, "%.*f%s", decimals, value, unit_suffixes[unit]);
	return out;
}

/* "stats":{"NAME":N,...}: counts, and times in ns. */
static void print_json_stats(const struct scxload_object *object, const uint64_t *totals)
{
	printf("\"stats\":{");
	for (int i = 0; i < object->nr_stats; i++) {
		printf(i ? "," : "");
		print_json_string(object->stats[i].name);
		printf(":%" PRIu64, totals[i]);
	}
	printf("}");
}

/* ,"params":{"NAME":VALUE,...}: ints, durations in ns, bools as true or false. */
static void print_json_params(const struct scxload_object *object, const int64_t *values)
{
	printf(",\"params\":{");
	for (int i = 0; i < object->nr_params; i++) {
		printf(i ? "," : "");
		print_json_string(object->params[i].name);
		char cpus[SCXC_MAX_CPUS * 2 + 16];
		if (object->params[i].type == SCXLOAD_CPUSET) {
			scxload_format_cpulist(object->params[i].cpus, cpus, sizeof(cpus));
			printf(":");
			print_json_string(cpus);
		} else if (object->params[i].type == SCXLOAD_BOOL)
			printf(":%s", values[i] ? "true" : "false");
		else
			printf(":%" PRId64, values[i]);
	}
	printf("}");
}

/* The group of a stat is its name up to the last dot ("class.all" of "class.all.enqueued"). */
static size_t group_length(const char *name)
{
	const char *dot = strrchr(name, '.');
	return dot ? (size_t)(dot - name) : 0;
}

int label_width(const struct scxload_object *object)
{
	int width = object->nr_params ? (int)strlen("params") : 0;
	for (int i = 0; i < object->nr_stats; i++)
		if ((int)group_length(object->stats[i].name) > width)
			width = (int)group_length(object->stats[i].name);
	for (int i = 0; i < object->nr_classes; i++)
		if ((int)strlen("class.") + (int)strlen(object->classes[i].name) > width)
			width = (int)strlen("class.") + (int)strlen(object->classes[i].name);
	return width;
}

/* A line per stat group, each stat as "field total (rate/s)"; a time as a duration, its rate
 * as the time per second. */
static void print_stat_table(const struct scxload_object *object, const uint64_t *totals,
			     const uint64_t *previous, double seconds, int width)
{
	for (int i = 0; i < object->nr_stats; i++) {
		const char *name = object->stats[i].name;
		size_t group = group_length(name);
		bool same_group = i > 0 && group == group_length(object->stats[i - 1].name) &&
				  !strncmp(name, object->stats[i - 1].name, group);
		if (!same_group)
			printf("%s  %-*.*s", i ? "\n" : "", width, (int)group, name);
		double rate = seconds > 0 ? (double)(totals[i] - previous[i]) / seconds : 0;
		const char *field = name + (group ? group + 1 : 0);
		char total_text[DURATION_TEXT_MAX], rate_text[DURATION_TEXT_MAX];
		switch (object->stats[i].unit) {
		case SCXLOAD_COUNT:
			printf("  %s %" PRIu64 " (%.0f/s)", field, totals[i], rate);
			break;
		case SCXLOAD_NS:
			printf("  %s %s (%s/s)", field, format_measured(totals[i], total_text),
			       format_measured((uint64_t)rate, rate_text));
			break;
		}
	}
	if (object->nr_stats)
		printf("\n");
}

/* "params  slice 3ms  boost 4": the values the scheduler runs with now. */
static void print_param_line(const struct scxload_object *object, const int64_t *values, int width)
{
	if (!object->nr_params)
		return;
	printf("  %-*s", width, "params");
	for (int i = 0; i < object->nr_params; i++) {
		char text[SCXC_MAX_CPUS * 2 + 16];
		scxload_format_value(&object->params[i], values[i], text, sizeof(text));
		printf("  %s %s", object->params[i].name, text);
	}
	printf("\n");
}

/* The whole table: stats, waits and params. */
static void print_table(const struct scxload_object *object, const struct snapshot *now,
			const struct snapshot *previous, double seconds)
{
	int width = label_width(object);
	print_stat_table(object, now->stats, previous->stats, seconds, width);
	print_wait_lines(object, now->waits, previous->waits, seconds, width);
	print_param_line(object, now->params, width);
}

void print_interval(const struct scxload_object *object, const struct scxload_options *options,
		    const struct snapshot *now, const struct snapshot *previous, double elapsed,
		    double interval)
{
	if (options->json) {
		printf("{\"policy\":");
		print_json_string(object->policy);
		printf(",\"elapsed_s\":%.3f,", elapsed);
		print_json_stats(object, now->stats);
		print_json_waits(object, now->waits);
		print_json_params(object, now->params);
		printf("}\n");
	} else {
		printf("%s  %.1fs\n", object->policy, elapsed);
		print_table(object, now, previous, interval);
	}
	fflush(stdout);
}

/* "verified_insns":{"prog":N,...,"total":N} for the JSON summary. */
static void print_json_verified(const struct loaded *loaded)
{
	uint64_t total = 0;
	printf(",\"verified_insns\":{");
	for (int i = 0; i < loaded->nr_verified; i++) {
		print_json_string(loaded->verified[i].name);
		printf(":%u,", loaded->verified[i].insns);
		total += loaded->verified[i].insns;
	}
	printf("\"total\":%" PRIu64 "}", total);
}

void print_summary(const struct scxload_object *object, const struct scxload_options *options,
		   const struct loaded *loaded, const struct snapshot *now, double elapsed,
		   const char *ended, const struct scxc_exit_info *record)
{
	if (options->json) {
		printf("{\"policy\":");
		print_json_string(object->policy);
		printf(",\"summary\":true,\"elapsed_s\":%.3f,\"ended\":", elapsed);
		print_json_string(ended);
		printf(",\"switch\":\"%s\",", object->partial ? "partial" : "all");
		print_json_stats(object, now->stats);
		print_json_waits(object, now->waits);
		print_json_params(object, now->params);
		printf(",\"exit\":{\"kind\":%d,\"kind_name\":", record->kind);
		print_json_string(exit_kind_name(record->kind));
		printf(",\"code\":%" PRId64 ",\"reason\":", record->exit_code);
		print_json_string(record->reason);
		printf(",\"message\":");
		print_json_string(record->message);
		printf("}");
		print_json_verified(loaded);
		printf("}\n");
	} else {
		struct snapshot zero;
		snapshot_init(object, &zero);
		printf("%s: ran %.1fs; %s\n", object->policy, elapsed, ended);
		print_table(object, now, &zero, elapsed);
		snapshot_free(&zero);
	}
	fflush(stdout);
}

/* An error exit goes to stderr, as an error. */
void report_kernel_exit(const struct scxload_object *object, const struct scxc_exit_info *record)
{
	scxload_error("the kernel stopped '%s': %s (exit kind %d, %s)%s%s", object->policy,
		      *record->reason ? record->reason : "no reason given", record->kind,
		      exit_kind_name(record->kind), *record->message ? ": " : "", record->message);
}
