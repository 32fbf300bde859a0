/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * described.bpf.c — a test fixture: a BPF object that carries a `.scxc` self-description and
 * the params variable, but no scheduler, so the loader's host-side checks can be tested.
 */
struct demo_params {
	long long slice;
	long long boost;
	long long strict;
	long long window;
};

const volatile struct demo_params scxc_params = { 5000000, 4, 0, 0 };

__attribute__((section(".scxc"), used)) static const char scxc_description[] =
	"scxc 1\n"
	"policy demo\n"
	"source demo.sched\n"
	"param slice duration 5000000 100000 1000000000\n"
	"param boost int 4 1 64\n"
	"param strict bool 0 0 1\n"
	"param window duration 0 0 9223372036854775807\n"
	"queue main vtime\n"
	"class all main\n"
	"future-record ignored by this loader\n"
	"stat class.all.enqueued\n"
	"stat class.all.direct\n"
	"stat queue.main.enqueued\n"
	"stat queue.main.dispatched\n"
	"stat kept\n";
