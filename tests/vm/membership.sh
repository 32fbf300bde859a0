# SPDX-License-Identifier: GPL-2.0-only
# membership.sh — guest side of the vm test "membership".  Under partial.sched (switch partial),
# two SCHED_EXT hogs share CPU 1 (fav_ext in the class with three times the weight) while an
# ordinary sleeper named like the favoured class runs on CPU 0: it must keep the kernel's
# scheduler.  The same policy with `partial = false` (full.bpf.o) then takes the sleeper too.  Last,
# under members.sched, a SCHED_BATCH hog and an ordinary one share CPU 1: the batch hog is in the
# class of weight 10.
. /scx/lib.sh
phase_tasks="--task name=fav_ext,policy=ext,cpu=1,hog --task name=oth_ext,policy=ext,cpu=1,hog
	--task name=fav_nap,cpu=0,sleep=2ms,run=1ms"

start_scheduler partial partial.bpf.o
fact partial.ops "$(active_ops)"
fact partial.switch_all "$(cat $SCX/switch_all)"
run_workload partial_run --duration 3s --warmup 500ms $phase_tasks
stop_scheduler INT

start_scheduler full full.bpf.o
fact full.ops "$(active_ops)"
fact full.switch_all "$(cat $SCX/switch_all)"
run_workload full_run --duration 3s --warmup 500ms $phase_tasks
stop_scheduler INT

start_scheduler members members.bpf.o
fact members.ops "$(active_ops)"
run_workload members_run --duration 3s --warmup 500ms --cpu 1 --task name=b_hog,policy=batch,hog \
	--task name=n_hog,hog
stop_scheduler INT
