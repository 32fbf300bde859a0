# SPDX-License-Identifier: GPL-2.0-only
# guest.sh — the benchmark's guest side (busybox sh in the VM; sources tests/vm/lib.sh).
#
# Takes the schedulers' objects in /scx (NAME.bpf.o) and /scx/bench.conf (ROUNDS, SCHEDULERS,
# SECONDS, CPUS); makes in /out, for each round and scheduler ("default" is the kernel's own):
#   NAME.R.load.jsonl    scxrun's output of a bare load (its summary holds the verifier's work)
#   NAME.R.cyclic.txt    cyclictest's histogram (non-empty buckets): a SCHED_OTHER thread waking
#                        every 1 ms beside one hog per CPU (the wake-up latency people measure)
#   NAME.R.spread.json   the workload program: 2 hogs each of nice 0, 5 and 10 per 2 CPUs
#   NAME.R.hackbench.txt hackbench's time for 2 groups x 100 loops (messaging throughput)
#   NAME.R.pingpong.json two threads on CPUs 0 and 1 passing a token (round trips)
# Rounds take the schedulers in turn, so that the host's drift touches each alike.
. /scx/lib.sh
. /scx/bench.conf
mkdir -p /dev/shm

hogs=""
cpu=0
while [ $cpu -lt "$CPUS" ]; do
	hogs="$hogs --task name=load$cpu,cpu=$cpu,hog"
	cpu=$((cpu + 1))
done
spread=""
n=0
while [ $n -lt $((CPUS / 2)) ]; do
	spread="$spread --task name=n0_$n,hog --task name=n5_$n,nice=5,hog --task name=n10_$n,nice=10,hog"
	spread="$spread --task name=m0_$n,hog --task name=m5_$n,nice=5,hog --task name=m10_$n,nice=10,hog"
	n=$((n + 1))
done

for round in $(seq 1 "$ROUNDS"); do
	for scheduler in $SCHEDULERS; do
		run=$scheduler.$round
		if [ $scheduler != default ]; then
			start_scheduler $run.load $scheduler.bpf.o
			stop_scheduler INT
			start_scheduler $run.sched $scheduler.bpf.o
		fi
		workload --duration $((SECONDS + 1))s --warmup 0ms $hogs > /dev/null 2>&1 &
		load_pid=$!
		usleep 300000
		# A histogram of 1-us buckets up to 100 ms, its empty buckets left out.
		cyclictest -q -m -t 1 -i 1000 -D "$SECONDS" --policy=other -h 100000 2> /out/$run.cyclic.err |
			awk '/^#/ || $2 + 0 > 0' > /out/$run.cyclic.txt
		wait $load_pid
		run_workload $run.spread --duration "${SECONDS}s" --warmup 500ms $spread
		hackbench -g 2 -l 100 > /out/$run.hackbench.txt 2>&1
		fact $run.hackbench.status $?
		run_workload $run.pingpong --duration 2s --warmup 0ms \
			--task name=ping,cpu=0,ring=pp --task name=pong,cpu=1,ring=pp
		[ $scheduler = default ] || stop_scheduler INT
	done
done
