# SPDX-License-Identifier: GPL-2.0-only
# time.sh — guest side of the vm test "time": deadlines, shares, starvation bounds, preemption,
# behaviour and live params, in one boot of 2 vCPUs.  Each scenario leaves the workload's JSON in
# /out; timing.py holds the expectations.
#   edf.P_R.S        a periodic task (period P, R of work, deadline = next release) beside two hogs,
#                    all on CPU 0, under S: edf.1 and edf.2 (its frame param set to P), fair
#   shares           two build hogs and two other hogs, unpinned, under shares.sched's 3 : 1
#   starve.S         two upper-tier hogs, unpinned, keep both CPUs busy beside a batch hog, under
#                    bounded.sched (100 ms bound) and the same policy without its bound
#   preempt.S        an interactive sleeper (2 ms sleeps, 100 us of work) beside a low-tier hog on
#                    CPU 0, under tiers (preempt), tiers without preempt, and the kernel's default
#   behaviour        a task that sleeps 1 ms and runs 100 us, then spins from 2 s on, beside a hog
#                    on CPU 0, under interactive.sched, in 250 ms slots
#   overrun          overrun.sched: two hogs overrunning 1-ms deadlines with 20-ms slices beside a
#                    sleeper (5 ms sleeps, 100 us of work), all on CPU 0
#   live             fair with slice=50ms: a sleeper beside a hog on CPU 0 in 250 ms slots; after
#                    2 s `scxrun set fair slice=2ms` from another shell, and an out-of-range value
. /scx/lib.sh

start_scheduler shares shares.bpf.o
run_workload shares --duration 3s --warmup 500ms \
	--task name=b_1,hog --task name=b_2,hog --task name=o_1,hog --task name=o_2,hog
stop_scheduler INT

# Two rounds of the scenarios whose assertions are about the tail (a longest wait, a p99): this
# guest runs under QEMU on a machine that is itself virtual, and a stall of the host moves a whole
# round's tail; the check takes each scheduler's better round (timing.py).
for round in 1 2; do
	for scheduler in bounded unbounded; do
		[ $scheduler = unbounded ] && [ $round = 2 ] && continue
		start_scheduler starve.$scheduler.$round $scheduler.bpf.o
		run_workload starve.$scheduler.$round --duration 3s --warmup 500ms \
			--task name=hi_1,hog --task name=hi_2,hog --task name=lo_1,hog
		stop_scheduler INT
	done

	for scheduler in tiers nopreempt default; do
		[ $scheduler = nopreempt ] && [ $round = 2 ] && continue
		[ $scheduler = default ] || start_scheduler preempt.$scheduler.$round $scheduler.bpf.o
		run_workload preempt.$scheduler.$round --duration 3s --warmup 500ms --cpu 0 \
			--task name=hi_nap,sleep=2ms,run=100us --task name=lo_hog,hog
		[ $scheduler = default ] || stop_scheduler INT
	done
done

start_scheduler behaviour interactive.bpf.o
run_workload behaviour --duration 4s --warmup 500ms --slot 250ms --cpu 0 \
	--task name=sw,sleep=1ms,run=100us,then=hog,at=2s --task name=bg,hog
stop_scheduler INT

# edf runs in two rounds as well (its misses are rare, and a host stall makes a round's few);
# fair, far from the bound, in one.
for case in 10ms_3ms 8ms_4ms; do
	period=${case%_*}
	run=${case#*_}
	for run_name in edf.1 edf.2 fair; do
		scheduler=${run_name%.*}
		if [ $scheduler = edf ]; then
			start_scheduler edf.$case.$run_name edf.bpf.o --set frame=$period
		else
			start_scheduler edf.$case.$run_name fair.bpf.o
		fi
		# Each window starts 1 s into the scenario, which runs after the others, not right
		# after boot.
		run_workload edf.$case.$run_name --duration 4s --warmup 1s --cpu 0 \
			--task name=rt_video,period=$period,run=$run --task name=hog1,hog --task name=hog2,hog
		stop_scheduler INT
	done
done

start_scheduler overrun overrun.bpf.o
run_workload overrun --duration 3s --warmup 500ms --cpu 0 \
	--task name=hog1,hog --task name=hog2,hog --task name=nap,sleep=5ms,run=100us
stop_scheduler INT

start_scheduler live fair.bpf.o --set slice=50ms
workload --duration 4s --warmup 500ms --slot 250ms --cpu 0 \
	--task name=nap,sleep=5ms,run=100us --task name=hog,hog > /out/live.json 2> /out/live.werr &
workload_pid=$!
sleep 2
usleep 500000
scxrun set fair slice=1s > /out/live.refused.out 2> /out/live.refused.err
fact live.refused.status $?
scxrun set fair slice=2ms > /out/live.set.out 2> /out/live.set.err
fact live.set.status $?
scxrun get fair > /out/live.get.out 2> /out/live.get.err
fact live.get.status $?
wait $workload_pid
fact live.workload.status $?
stop_scheduler INT
