# SPDX-License-Identifier: GPL-2.0-only
# stall.sh — guest side of the vm test "stall": stall.sched never runs a task named starve* while a
# first-tier hog shares its CPU, so the kernel's watchdog (30 s) throws the scheduler out and scxrun
# must report it and exit non-zero.
. /scx/lib.sh
start_scheduler stall stall.bpf.o
fact stall.ops "$(active_ops)"
workload --duration 60s --warmup 0ms --cpu 0 --task name=hog,hog --task name=starve0,hog > /dev/null 2>&1 &
workload_pid=$!
wait $scheduler_pid
fact stall.status $?
kill $workload_pid 2>/dev/null
wait_state disabled 50
fact stall.state_after "$(state)"
