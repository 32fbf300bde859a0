# SPDX-License-Identifier: GPL-2.0-only
# smp.sh — guest side of the vm tests "smp2" and "smp4": the runtime on more than one CPU, in one
# boot of 2 or 4 vCPUs.  Each scenario runs its workload under one scheduler and leaves the
# workload's JSON in /out; vmtest.py holds the expectations.
#   disturbed   fair: a 1 ms sleeper and a nice-0 and a nice-5 hog on CPU 1, while a nice-19
#               task on CPU 0 burns 1 ms every 50 ms (a low weight drags a shared vtime clock)
#   spread      fair, 4 vCPUs only: 8 unpinned hogs of nice 0, 5 and 10 share the machine by weight
#   affinity    fair and fifo, 4 vCPUs only: a hog allowed only CPU 2 beside hogs pinned to
#               CPU 3 (the queue's head, which CPU 2 cannot run) and unpinned hogs
#   pingpong    2 vCPUs only: two threads pinned to CPUs 0 and 1 pass a token through pipes;
#               rounds alternate between the reference scheduler, fair and the kernel's own, so
#               that the ratios compare like with like however the host's speed drifts; the
#               cross-CPU interrupts taken during each run are counted too
#   cost        fair, tiers and fifo load once more so that every policy's verifier work is recorded
. /scx/lib.sh
cpus=$(nproc)
fact cpus "$cpus"

start_scheduler fair fair.bpf.o
fact fair.ops "$(active_ops)"
run_workload disturbed --duration 4s --warmup 500ms \
	--task name=sleeper,cpu=1,sleep=1ms --task name=hog0,cpu=1,hog --task name=hog5,cpu=1,nice=5,hog \
	--task name=bg19,cpu=0,nice=19,sleep=49ms,run=1ms
if [ "$cpus" -ge 4 ]; then
	run_workload spread --duration 6s --warmup 1s \
		--task name=n0a,hog --task name=n0b,hog --task name=n0c,hog \
		--task name=n5a,nice=5,hog --task name=n5b,nice=5,hog --task name=n5c,nice=5,hog \
		--task name=n10a,nice=10,hog --task name=n10b,nice=10,hog
	affinity="--duration 3s --warmup 500ms --task name=only2,cpu=2,hog
		--task name=on3a,cpu=3,hog --task name=on3b,cpu=3,hog --task name=on3c,cpu=3,hog
		--task name=free0,hog --task name=free1,hog --task name=free2,hog"
	run_workload affinity $affinity
fi
stop_scheduler INT

if [ "$cpus" -ge 4 ]; then
	start_scheduler fifo fifo.bpf.o
	fact fifo.ops "$(active_ops)"
	run_workload fifo_affinity $affinity
	stop_scheduler INT
fi

if [ "$cpus" -eq 2 ]; then
	for round in 1 2 3 4 5 6; do
		for scheduler in reference fair default; do
			# (lib.sh's functions use $name and $label themselves)
			run=pingpong.$round.$scheduler
			[ $scheduler = default ] || start_scheduler $run $scheduler.bpf.o
			before=$(ipis)
			run_workload $run.ring --duration 2s --warmup 0ms \
				--task name=ping,cpu=0,ring=pp --task name=pong,cpu=1,ring=pp
			fact $run.ipis $(($(ipis) - before))
			[ $scheduler = default ] || stop_scheduler INT
		done
	done
fi

for policy in reference fair tiers fifo; do
	start_scheduler cost.$policy $policy.bpf.o
	stop_scheduler INT
done
