# SPDX-License-Identifier: GPL-2.0-only
# cpusets.sh — guest side of the vm test "cpusets": pinned.sched (CI runners on CPUs 2-3, lent)
# and its variant with `reserve = true`, on 4 vCPUs; each scenario leaves the workload's JSON in
# /out and cpusets.py holds the expectations.
#   confined   pinned: four unpinned ci_ hogs beside two other hogs
#   lent       pinned: no runner, six other hogs
#   misfit     pinned: a runner allowed only CPU 0 (outside its set) beside three other hogs;
#              then `scxrun set` refuses to change ci_cpus live, and `scxrun get` shows it
#   narrowed   pinned with --set ci_cpus=3: four ci_ hogs
#   reserved   reserve: six other hogs and one allowed only CPU 2 (inside the reserved set)
#   missing    pinned with --set ci_cpus=3-5 (CPUs 4-5 do not exist: a warning) and
#              --set ci_cpus=8-9 (no CPU of the set exists: refused)
. /scx/lib.sh
fact cpus "$(nproc)"
hogs="--task name=other_a,hog --task name=other_b,hog --task name=other_c,hog"

start_scheduler pinned pinned.bpf.o
fact pinned.ops "$(active_ops)"
run_workload confined --duration 2s --warmup 300ms \
	--task name=ci_a,hog --task name=ci_b,hog --task name=ci_c,hog --task name=ci_d,hog \
	--task name=other_a,hog --task name=other_b,hog
run_workload lent --duration 2s --warmup 300ms $hogs \
	--task name=other_d,hog --task name=other_e,hog --task name=other_f,hog
run_workload misfit --duration 2s --warmup 300ms $hogs --task name=ci_pinned,cpu=0,hog
scxrun set pinned ci_cpus=1 > /out/live_set.out 2> /out/live_set.err
fact live_set.status $?
scxrun get pinned > /out/live_get.out 2>&1
fact live_get.status $?
stop_scheduler INT

start_scheduler narrowed pinned.bpf.o --set ci_cpus=3
fact narrowed.ops "$(active_ops)"
run_workload narrowed.run --duration 2s --warmup 300ms \
	--task name=ci_a,hog --task name=ci_b,hog --task name=ci_c,hog --task name=ci_d,hog
stop_scheduler INT

start_scheduler reserve reserve.bpf.o
fact reserve.ops "$(active_ops)"
run_workload reserved --duration 2s --warmup 300ms $hogs \
	--task name=other_d,hog --task name=other_e,hog --task name=other_f,hog \
	--task name=other_on2,cpu=2,hog
stop_scheduler INT

start_scheduler missing pinned.bpf.o --set ci_cpus=3-5
fact missing.ops "$(active_ops)"
stop_scheduler INT
scxrun pinned.bpf.o --set ci_cpus=8-9 --duration 1s > /out/absent.out 2> /out/absent.err
fact absent.status $?
