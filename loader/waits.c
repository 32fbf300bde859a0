/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * waits.c — takes the runtime's wait-time histograms (the per-CPU map scxc_waits: for each class,
 * how many of its tasks' waits from being queued to running fell in each of SCXC_WAIT_BUCKETS
 * power-of-two buckets, contract.h) and makes what scxrun shows of them: the counts summed over
 * CPUs, each class's number of waits and its median and 99th percentile, as a line per class of
 * the stats table or as JSON.  A percentile is reported as the upper edge of the bucket it falls
 * in ("p99 ≤ 2.10ms": every wait in that bucket was shorter), never interpolated within it; in
 * the last bucket, which has no upper edge, as its floor ("p99 ≥ 4.29s").
 */
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "run.h"

void read_waits(const struct scxload_object *object, const struct bpf_map *waits, uint64_t *sums)
{
	size_t per_cpu = (size_t)object->nr_classes * SCXC_WAIT_BUCKETS;
	memset(sums, 0, sizeof(*sums) * per_cpu);
	int cpus = libbpf_num_possible_cpus();
	if (!waits || !per_cpu || cpus <= 0)
		return;
	uint32_t *values = zeroed((size_t)cpus * per_cpu, sizeof(*values));
	uint32_t key = 0;
	if (!bpf_map_lookup_elem(bpf_map__fd(waits), &key, values))
		for (size_t cpu = 0; cpu < (size_t)cpus; cpu++)
			for (size_t i = 0; i < per_cpu; i++)
				sums[i] += values[cpu * per_cpu + i];
	free(values);
}

static uint64_t count_waits(const uint64_t buckets[SCXC_WAIT_BUCKETS])
{
	uint64_t count = 0;
	for (int b = 0; b < SCXC_WAIT_BUCKETS; b++)
		count += buckets[b];
	return count;
}

int percentile_bucket(const uint64_t buckets[SCXC_WAIT_BUCKETS], int percent)
{
	uint64_t count = count_waits(buckets), below = 0;
	if (!count)
		return -1;
	for (int b = 0; b < SCXC_WAIT_BUCKETS; b++) {
		below += buckets[b];
		if (below * 100 >= count * (uint64_t)percent)
			return b;
	}
	return SCXC_WAIT_BUCKETS - 1;
}

uint64_t percentile_ns(int bucket)
{
	if (bucket == SCXC_WAIT_BUCKETS - 1)
		return SCXC_WAIT_BUCKET_FLOOR_NS(bucket);
	return SCXC_WAIT_BUCKET_FLOOR_NS(bucket + 1);
}

/* "  pPERCENT ≤ X" for the waits in BUCKETS (of which there are some). */
static void print_percentile(const uint64_t buckets[SCXC_WAIT_BUCKETS], int percent)
{
	char text[DURATION_TEXT_MAX];
	int bucket = percentile_bucket(buckets, percent);
	printf("  p%d %s %s", percent, bucket == SCXC_WAIT_BUCKETS - 1 ? "≥" : "≤",
	       format_measured(percentile_ns(bucket), text));
}

void print_wait_lines(const struct scxload_object *object, const uint64_t *now,
		      const uint64_t *previous, double seconds, int width)
{
	for (int c = 0; c < object->nr_classes; c++) {
		uint64_t recent[SCXC_WAIT_BUCKETS];
		for (int b = 0; b < SCXC_WAIT_BUCKETS; b++)
			recent[b] = now[c * SCXC_WAIT_BUCKETS + b] -
				    previous[c * SCXC_WAIT_BUCKETS + b];
		uint64_t count = count_waits(recent);
		printf("  class.%-*s  waits %" PRIu64 " (%.0f/s)", width - (int)strlen("class."),
		       object->classes[c].name, count_waits(now + c * SCXC_WAIT_BUCKETS),
		       seconds > 0 ? (double)count / seconds : 0);
		if (count) {
			print_percentile(recent, 50);
			print_percentile(recent, 99);
		}
		printf("\n");
	}
}

/* A percentile for JSON: its value in ns, or null without waits. */
static void print_json_percentile(const uint64_t buckets[SCXC_WAIT_BUCKETS], int percent)
{
	int bucket = percentile_bucket(buckets, percent);
	if (bucket < 0)
		printf(",\"p%d_ns\":null", percent);
	else
		printf(",\"p%d_ns\":%" PRIu64, percent, percentile_ns(bucket));
}

void print_json_waits(const struct scxload_object *object, const uint64_t *sums)
{
	printf(",\"waits\":{");
	for (int c = 0; c < object->nr_classes; c++) {
		const uint64_t *buckets = sums + c * SCXC_WAIT_BUCKETS;
		printf(c ? "," : "");
		print_json_string(object->classes[c].name);
		printf(":{\"count\":%" PRIu64, count_waits(buckets));
		print_json_percentile(buckets, 50);
		print_json_percentile(buckets, 99);
		printf(",\"buckets\":[");
		for (int b = 0; b < SCXC_WAIT_BUCKETS; b++)
			printf("%s%" PRIu64, b ? "," : "", buckets[b]);
		printf("]}");
	}
	printf("}");
}
