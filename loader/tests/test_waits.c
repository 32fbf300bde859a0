/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * test_waits.c — takes wait-time histograms made up for the purpose and checks what scxrun
 * reports of them: the bucket a percentile falls in, the time that bucket is reported as (its
 * upper edge; the floor of the last, open-ended one), how times are written for people, and
 * the text and JSON scxrun prints per class.
 */
#include <string.h>

#include "capture.h"
#include "check.h"
#include "run.h"

static void check_measured(uint64_t ns, const char *wanted)
{
	char text[DURATION_TEXT_MAX];
	CHECK_TEXT("format_measured", format_measured(ns, text), wanted);
}

int main(void)
{
	uint64_t buckets[SCXC_WAIT_BUCKETS] = { 0 };

	CHECK(percentile_bucket(buckets, 50) == -1); /* no waits */
	buckets[4] = 1;
	CHECK(percentile_bucket(buckets, 50) == 4);
	CHECK(percentile_bucket(buckets, 99) == 4);
	/* 100 waits: 98 in bucket 2, one in 5, one in 10. */
	buckets[4] = 0;
	buckets[2] = 98;
	buckets[5] = 1;
	buckets[10] = 1;
	CHECK(percentile_bucket(buckets, 50) == 2);
	CHECK(percentile_bucket(buckets, 98) == 2);
	CHECK(percentile_bucket(buckets, 99) == 5);
	CHECK(percentile_bucket(buckets, 100) == 10);
	/* Exactly half at or below bucket 1: the median is there. */
	memset(buckets, 0, sizeof(buckets));
	buckets[1] = 50;
	buckets[3] = 50;
	CHECK(percentile_bucket(buckets, 50) == 1);
	CHECK(percentile_bucket(buckets, 51) == 3);
	/* One wait in the last bucket among 99 short ones: p99 short, p100 open-ended. */
	memset(buckets, 0, sizeof(buckets));
	buckets[0] = 99;
	buckets[SCXC_WAIT_BUCKETS - 1] = 1;
	CHECK(percentile_bucket(buckets, 99) == 0);
	CHECK(percentile_bucket(buckets, 100) == SCXC_WAIT_BUCKETS - 1);

	CHECK(percentile_ns(0) == 1024);
	CHECK(percentile_ns(1) == 2048);
	CHECK(percentile_ns(6) == 65536);
	CHECK(percentile_ns(SCXC_WAIT_BUCKETS - 2) ==
	      SCXC_WAIT_BUCKET_FLOOR_NS(SCXC_WAIT_BUCKETS - 1));
	CHECK(percentile_ns(SCXC_WAIT_BUCKETS - 1) ==
	      SCXC_WAIT_BUCKET_FLOOR_NS(SCXC_WAIT_BUCKETS - 1));

	check_measured(0, "0ns");
	check_measured(999, "999ns");
	check_measured(1024, "1.02us");
	check_measured(65536, "65.5us");
	check_measured(999999, "1.00ms");
	check_measured(2097152, "2.10ms");
	check_measured(250000000, "250ms");
	check_measured(4294967296ULL, "4.29s");
	check_measured(123456789012ULL, "123s");

	/* Two classes; the interval's waits are now - previous. */
	struct scxload_named classes[] = { { "ui", "q" }, { "batch", "q" } };
	struct scxload_object object = { .classes = classes, .nr_classes = 2 };
	uint64_t now[2 * SCXC_WAIT_BUCKETS] = { 0 }, previous[2 * SCXC_WAIT_BUCKETS] = { 0 };
	now[6] = 100;
	now[7] = 20;
	previous[6] = 20;
	now[SCXC_WAIT_BUCKETS + SCXC_WAIT_BUCKETS - 1] = 3;
	struct capture capture = capture_start(1);
	print_wait_lines(&object, now, previous, 2.0, 11);
	char *text = capture_end(&capture);
	CHECK_TEXT("wait lines", text,
		   "  class.ui     waits 120 (50/s)  p50 ≤ 65.5us  p99 ≤ 131us\n"
		   "  class.batch  waits 3 (2/s)  p50 ≥ 4.29s  p99 ≥ 4.29s\n");
	free(text);
	memset(now + SCXC_WAIT_BUCKETS, 0, SCXC_WAIT_BUCKETS * sizeof(*now));
	capture = capture_start(1);
	print_json_waits(&object, now);
	text = capture_end(&capture);
	CHECK_TEXT(
		"JSON waits", text,
		",\"waits\":{\"ui\":{\"count\":120,\"p50_ns\":65536,\"p99_ns\":131072,\"buckets\":"
		"[0,0,0,0,0,0,100,20,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0]},"
		"\"batch\":{\"count\":0,\"p50_ns\":null,\"p99_ns\":null,\"buckets\":"
		"[0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0]}}");
	free(text);
	return checks_passed("test_waits");
}
