/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * described.bpf.c — a test fixture: a BPF object that carries a `.scxc` self-description, the
 * params variable in its own section and the wait-time map, but no scheduler, so the loader's
 * host-side checks can be tested.
 */
struct demo_params {
	long long slice;
	long long boost;
	long long strict;
	long long window;
};

volatile struct demo_params scxc_params
	__attribute__((section(".data.params"))) = { 5000000, 4, 0, 0 };

/* As bpf_helpers.h's __uint and __type write it: a per-CPU array (6) of one element, one class
 * of 24 buckets. */
struct {
	int (*type)[6];
	int (*max_entries)[1];
	unsigned int *key;
	unsigned int (*value)[1][24];
} scxc_waits __attribute__((section(".maps"), used));

__attribute__((section(".scxc"), used)) static const char scxc_description[] =
	"scxc 2\n"
	"policy demo\n"
	"source demo.sched\n"
	"param slice duration 5000000 100000 1000000000\n"
	"param boost int 4 1 64\n"
	"param strict bool 0 0 1\n"
	"param window duration 0 0 9223372036854775807\n"
	"queue main vtime\n"
	"class all main\n"
	"future-record ignored by this loader\n"
	"stat class.all.enqueued count\n"
	"stat class.all.lateness ns\n"
	"stat queue.main.enqueued count\n"
	"stat queue.main.dispatched count\n"
	"stat kept count\n";
