# SPDX-License-Identifier: GPL-2.0-only
# tiers.sh — guest side of the vm test "tiers": on one CPU under tiers.sched, a high-tier hog alone,
# then beside a low-tier hog (it must not slow down), then a high-tier task that sleeps half the
# time beside the low-tier hog (which must get the time the high tier leaves).  Last, on both CPUs:
# two high-tier hogs pinned to CPU 1 keep one of them always waiting in the high queue, where
# CPU 0 cannot take it; CPU 0 must still run its own high-tier hog, not the low-tier one.  With
# high-tier work on both CPUs nothing of a lower tier runs, so the workload's own controlling
# thread is named into the high tier too (--name hi_control), or it could never end the phase.
. /scx/lib.sh
start_scheduler tiers tiers.bpf.o
fact tiers.ops "$(active_ops)"
run_workload alone --duration 2s --cpu 0 --task name=hi_hog,hog
run_workload contended --duration 2s --cpu 0 --task name=hi_hog,hog --task name=lo_hog,hog
run_workload sleeping --duration 2s --cpu 0 --task name=hi_nap,sleep=4ms,run=4ms --task name=lo_hog,hog
run_workload pinned --duration 2s --name hi_control --task name=hi_a,cpu=1,hog --task name=hi_b,cpu=1,hog \
	--task name=hi_c,cpu=0,hog --task name=lo_pin,cpu=0,hog
stop_scheduler INT
