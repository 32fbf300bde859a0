# SPDX-License-Identifier: GPL-2.0-only
# membership.sh — guest side of the vm test "membership".  Under partial.sched (switch partial),
# two SCHED_EXT hogs share CPU 1 (fav_ext in the class with three times the weight) while an
# ordinary sleeper named like the favoured class runs on CPU 0: it must keep the kernel's
# scheduler.  The same policy with `partial = false` (full.bpf.o) then takes the sleeper too.  Last,
# under members.sched, a SCHED_BATCH hog and an ordinary one share CPU 1: the batch hog is in the
# class of weight 10, the other in the class of the shell's children (parent_comm).  Then under layered.sched two workloads hog CPU 1, one started in /ci and one
# in /services/web; 2 s into its window, the /ci one moves itself to /services/batch, which it
# makes then, after the scheduler loaded.  Last, a policy at the cgroup limits.
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
fact shell.comm "$(cat /proc/$$/comm)"
run_workload members_run --duration 3s --warmup 500ms --cpu 1 --task name=b_hog,policy=batch,hog \
	--task name=n_hog,hog
stop_scheduler INT

mkdir -p /sys/fs/cgroup/ci /sys/fs/cgroup/services/web
start_scheduler layered layered.bpf.o
fact layered.ops "$(active_ops)"
workload --cgroup /ci --move /services/batch@2s --duration 4s --warmup 500ms --slot 500ms --cpu 1 \
	--task name=ci_hog,hog > /out/ci_run.json 2> /out/ci_run.err &
ci_pid=$!
workload --cgroup /services/web --duration 4s --warmup 500ms --slot 500ms --cpu 1 \
	--task name=web_hog,hog > /out/web_run.json 2> /out/web_run.err &
web_pid=$!
wait $ci_pid
fact ci_run.status $?
wait $web_pid
fact web_run.status $?
stop_scheduler INT

# A policy at the cgroup limits (32 tests of 63 characters) loads, and a task in /limits/deep,
# whose path is matched against every test, lands in its class.
start_scheduler limits cgroup-limits.bpf.o
fact limits.ops "$(active_ops)"
run_workload limits_run --cgroup /limits/deep --duration 1s --warmup 200ms --cpu 1 \
	--task name=deep_hog,hog --task name=deep_nap,sleep=5ms,run=1ms
stop_scheduler INT
