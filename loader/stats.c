/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * stats.c — takes a loaded object and reads what its runtime keeps in the object's maps: the
 * stats, one counter per CPU summed into one total each, and the record of how the kernel
 * stopped the scheduler.  Prints the stats every interval by name (a line per group, with rates)
 * or as one JSON object per line, and at the end a summary with the exit record and the
 * verifier's work; a kernel exit is also reported on stderr.
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

void read_stats(const struct scxload_object *object, const struct loaded *loaded, uint64_t *totals)
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

/* --- printing --------------------------------------------------------------------------------- */

static void print_json_string(const char *text)
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

static void print_json_stats(const struct scxload_object *object, const uint64_t *totals)
{
	printf("\"stats\":{");
	for (int i = 0; i < object->nr_stats; i++) {
		printf(i ? "," : "");
		print_json_string(object->stats[i]);
		printf(":%" PRIu64, totals[i]);
	}
	printf("}");
}

/* The group of a stat is its name up to the last dot ("class.all" of "class.all.enqueued"). */
static size_t group_length(const char *name)
{
	const char *dot = strrchr(name, '.');
	return dot ? (size_t)(dot - name) : 0;
}

/* One block: a line per stat group, each stat as "field total (rate/s)". */
static void print_stat_table(const struct scxload_object *object, const uint64_t *totals,
			     const uint64_t *previous, double seconds)
{
	int width = 0;
	for (int i = 0; i < object->nr_stats; i++)
		if ((int)group_length(object->stats[i]) > width)
			width = (int)group_length(object->stats[i]);
	for (int i = 0; i < object->nr_stats; i++) {
		const char *name = object->stats[i];
		size_t group = group_length(name);
		bool same_group = i > 0 && group == group_length(object->stats[i - 1]) &&
				  !strncmp(name, object->stats[i - 1], group);
		if (!same_group)
			printf("%s  %-*.*s", i ? "\n" : "", width, (int)group, name);
		double rate = seconds > 0 ? (double)(totals[i] - previous[i]) / seconds : 0;
		printf("  %s %" PRIu64 " (%.0f/s)", name + (group ? group + 1 : 0), totals[i],
		       rate);
	}
	if (object->nr_stats)
		printf("\n");
}

void print_interval(const struct scxload_object *object, const struct scxload_options *options,
		    const uint64_t *totals, const uint64_t *previous, double elapsed,
		    double interval)
{
	if (options->json) {
		printf("{\"policy\":");
		print_json_string(object->policy);
		printf(",\"elapsed_s\":%.3f,", elapsed);
		print_json_stats(object, totals);
		printf("}\n");
	} else {
		printf("%s  %.1fs\n", object->policy, elapsed);
		print_stat_table(object, totals, previous, interval);
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
		   const struct loaded *loaded, const uint64_t *totals, double elapsed,
		   const char *ended, const struct scxc_exit_info *record)
{
	if (options->json) {
		printf("{\"policy\":");
		print_json_string(object->policy);
		printf(",\"summary\":true,\"elapsed_s\":%.3f,\"ended\":", elapsed);
		print_json_string(ended);
		printf(",");
		print_json_stats(object, totals);
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
		uint64_t *zero = zeroed((size_t)object->nr_stats, sizeof(*zero));
		printf("%s: ran %.1fs; %s\n", object->policy, elapsed, ended);
		print_stat_table(object, totals, zero, elapsed);
		free(zero);
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
