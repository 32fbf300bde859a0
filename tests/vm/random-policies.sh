# SPDX-License-Identifier: GPL-2.0-only
# random-policies.sh — guest side of the vm test "random-policies": each generated policy in turn
# (random-policies.list: "OBJECT-STEM POLICY-NAME" lines) loads through scxrun, becomes the active
# scheduler, schedules a short mixed workload (tasks named and niced so that the random classes
# match some of them; one in SCHED_EXT, for policies in partial mode), and unloads on SIGINT.  A policy that does not load is recorded and the
# next one tried, so one boot reports every rejection.
. /scx/lib.sh
while read -r stem policy <&3; do
	fact $stem.state_before "$(state)"
	start_scheduler $stem $stem.bpf.o
	fact $stem.state "$(state)"
	fact $stem.ops "$(active_ops)"
	run_workload $stem.workload --duration 200ms --warmup 0ms \
		--task name=hog0,hog --task name=hog5,nice=5,hog --task name=bash,nice=-5,sleep=1ms,run=100us \
		--task name=sleeper,sleep=2ms --task name=ext_nap,policy=ext,sleep=1ms,run=100us
	stop_scheduler INT
done 3< /scx/random-policies.list
