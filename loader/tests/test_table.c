/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * test_table.c — takes a made-up policy and a made-up moment of its maps (stats of both units,
 * waits, params) and checks what scxrun prints each interval: the table (a time as a duration,
 * its rate as time per second; a line of waits per class; the params' current values) and the
 * JSON line (times in ns, bools as true or false).
 */
#include <string.h>

#include "capture.h"
#include "check.h"
#include "run.h"

int main(void)
{
	struct scxload_param params[] = {
		{ .name = "slice", .type = SCXLOAD_DURATION, .min = 100000, .max = 100000000 },
		{ .name = "boost", .type = SCXLOAD_INT, .min = 1, .max = 64 },
		{ .name = "strict", .type = SCXLOAD_BOOL, .max = 1 },
	};
	struct scxload_stat stats[] = {
		{ "class.interactive.enqueued", SCXLOAD_COUNT },
		{ "class.interactive.lateness", SCXLOAD_NS },
		{ "queue.main.enqueued", SCXLOAD_COUNT },
		{ "kept", SCXLOAD_COUNT },
	};
	struct scxload_named classes[] = { { "interactive", "main" } };
	struct scxload_object object = { .policy = "demo",
					 .params = params,
					 .nr_params = 3,
					 .classes = classes,
					 .nr_classes = 1,
					 .stats = stats,
					 .nr_stats = 4 };
	struct scxload_options options = { 0 };
	struct snapshot now, previous;
	snapshot_init(&object, &now);
	snapshot_init(&object, &previous);
	uint64_t totals[] = { 342, 12500000, 342, 8 }, before[] = { 12, 2500000, 12, 0 };
	memcpy(now.stats, totals, sizeof(totals));
	memcpy(previous.stats, before, sizeof(before));
	now.waits[6] = 300; /* 32.8us .. 65.5us */
	now.waits[11] = 42; /* 1.05ms .. 2.10ms */
	now.params[0] = 3000000;
	now.params[1] = 4;
	now.params[2] = 1;

	struct capture capture = capture_start(1);
	print_interval(&object, &options, &now, &previous, 2.25, 2.0);
	char *text = capture_end(&capture);
	CHECK_TEXT("the table", text,
		   "demo  2.2s\n"
		   "  class.interactive  enqueued 342 (165/s)  lateness 12.5ms (5.00ms/s)\n"
		   "  queue.main         enqueued 342 (165/s)\n"
		   "                     kept 8 (4/s)\n"
		   "  class.interactive  waits 342 (171/s)  p50 ≤ 65.5us  p99 ≤ 2.10ms\n"
		   "  params             slice 3ms  boost 4  strict true\n");
	free(text);

	options.json = true;
	capture = capture_start(1);
	print_interval(&object, &options, &now, &previous, 2.25, 2.0);
	text = capture_end(&capture);
	CHECK_TEXT(
		"the JSON line", text,
		"{\"policy\":\"demo\",\"elapsed_s\":2.250,\"stats\":{\"class.interactive.enqueued\":"
		"342,\"class.interactive.lateness\":12500000,\"queue.main.enqueued\":342,\"kept\":8},"
		"\"waits\":{\"interactive\":{\"count\":342,\"p50_ns\":65536,\"p99_ns\":2097152,"
		"\"buckets\":[0,0,0,0,0,0,300,0,0,0,0,42,0,0,0,0,0,0,0,0,0,0,0,0]}},"
		"\"params\":{\"slice\":3000000,\"boost\":4,\"strict\":true}}\n");
	free(text);
	snapshot_free(&now);
	snapshot_free(&previous);
	return checks_passed("test_table");
}
