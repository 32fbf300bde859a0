# SPDX-License-Identifier: GPL-2.0-only
# examples.sh — guest side of the vm test "examples": each example policy in turn (examples.list:
# "OBJECT-STEM POLICY-NAME" lines) loads through scxrun, becomes the active scheduler, runs under a
# mixed workload (one task in SCHED_EXT, which partial.sched schedules alone), and stops on SIGINT.
. /scx/lib.sh
while read -r stem policy <&3; do
	fact $stem.state_before "$(state)"
	# pinned.sched's runners default to CPUs 2-3, which a guest of fewer CPUs lacks (scxrun refuses
	# such a set): give them CPU 1 there.
	set --
	[ $stem = pinned ] && [ "$(nproc)" -lt 4 ] && set -- --set ci_cpus=1
	start_scheduler $stem $stem.bpf.o "$@"
	fact $stem.state "$(state)"
	fact $stem.ops "$(active_ops)"
	run_workload $stem.workload --duration 2s --warmup 0ms \
		--task name=hog0,cpu=0,hog --task name=hog5,nice=5,cpu=0,hog \
		--task name=hi_hog,hog --task name=lo_hog,hog --task name=sleeper,sleep=1ms,run=100us \
		--task name=ext_nap,policy=ext,sleep=1ms,run=100us
	stop_scheduler INT
done 3< /scx/examples.list
