# SPDX-License-Identifier: GPL-2.0-only
# lib.sh — helpers for the vm suite's guest scripts (busybox sh, sourced from /scx in the VM).
#
# Takes nothing but the guest's /sys and the tools scxc-vm packs into /scx.  Makes small verbs for
# the scenarios: start a scheduler with its output captured in /out, wait for a sched_ext state,
# and record facts ("key value" lines in /out/facts) that the host side (vmtest.py) asserts on.

SCX=/sys/kernel/sched_ext

# fact KEY VALUE...: records an observation for the host.
fact() {
	key=$1
	shift
	echo "$key $*" >> /out/facts
	echo "vmtest: $key = $*"
}

state() { cat $SCX/state 2>/dev/null || echo missing; }
active_ops() { cat $SCX/root/ops 2>/dev/null; }

# wait_state STATE [TENTHS]: polls until sched_ext is in STATE (default: up to 15 s); false if not.
wait_state() {
	tries=0
	while [ "$(state)" != "$1" ]; do
		tries=$((tries + 1))
		[ $tries -le "${2:-150}" ] || return 1
		usleep 100000
	done
}

# start_scheduler LABEL OBJECT [SCXRUN-ARGS...]: runs scxrun in the background with JSON output in
# /out/LABEL.jsonl and its messages in /out/LABEL.err; sets $scheduler_pid.  Then waits until it is
# active (or has exited).
start_scheduler() {
	label=$1
	shift
	scxrun "$@" --json --interval 1s > /out/$label.jsonl 2> /out/$label.err &
	scheduler_pid=$!
	tries=0
	while [ "$(state)" != enabled ] && kill -0 $scheduler_pid 2>/dev/null; do
		tries=$((tries + 1))
		[ $tries -le 300 ] || break
		usleep 50000
	done
}

# stop_scheduler SIGNAL: sends SIGNAL to the running scxrun and records its exit status as
# LABEL.status, then the sched_ext state once it settles as LABEL.state_after.
stop_scheduler() {
	kill -$1 $scheduler_pid 2>/dev/null
	wait $scheduler_pid
	fact $label.status $?
	wait_state disabled 50
	fact $label.state_after "$(state)"
}

# run_workload NAME ARGS...: runs the workload program with its JSON in /out/NAME.json.
run_workload() {
	name=$1
	shift
	workload "$@" > /out/$name.json 2> /out/$name.err
	fact $name.status $?
}

# ipis: how many cross-CPU interrupts (rescheduling, function-call and irq-work IPIs) all CPUs have
# taken since boot, from /proc/interrupts.  A wasted wake-up of another CPU costs one of these.
ipis() {
	awk '/^ *(RES|CAL|IWI):/ { for (i = 2; i <= NF && $i ~ /^[0-9]+$/; i++) n += $i } END { print n + 0 }' \
		/proc/interrupts
}
