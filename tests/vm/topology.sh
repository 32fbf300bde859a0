# SPDX-License-Identifier: GPL-2.0-only
# topology.sh — guest side of the vm test "topology", booted as 2 sockets x 2 cores x 2 threads
# (scxc-vm --topology 2x2x2).  Records what the kernel shows of the topology (each CPU's SMT
# siblings, the CPUs sharing its last-level cache, each NUMA node's CPUs), then runs one workload
# under each policy: a hog pinned to CPU 1 (so core 0-1 is half busy) and a 2 ms sleeper that
# starts on CPU 0 (the hog's sibling) and may run anywhere; its wake-ups are counted by CPU.  Under
# the topology steps it runs again allowed only CPUs 0, 2 and 4.
#   topo_core  cpu: idle(core), idle(any), prev;     topo_prev  cpu: idle(prev), idle(any), prev;
#   topo_llc   cpu: idle(llc), idle(any), prev;      topo_node  cpu: idle(node), idle(any), prev;
#   topo_any   cpu: idle(any), prev;
# Booted with 2 plain vCPUs instead (one cache, one node, no SMT), it runs idle(core) and idle(llc)
# once each, as the plain steps they become there.
. /scx/lib.sh
fact cpus "$(nproc)"
if [ "$(nproc)" -eq 2 ]; then
	for policy in topo_core topo_llc; do
		start_scheduler $policy $policy.bpf.o
		fact $policy.ops "$(active_ops)"
		run_workload $policy.run --duration 1s --warmup 300ms \
			--task name=hog,cpu=1,hog --task name=sleeper,start=0,sleep=2ms
		stop_scheduler INT
	done
	exit 0
fi
for dir in /sys/devices/system/cpu/cpu[0-9]*; do
	cpu=${dir##*/cpu}
	fact cpu$cpu.siblings "$(cat $dir/topology/thread_siblings_list)"
	best=-1
	for index in $dir/cache/index*; do
		level=$(cat $index/level)
		if [ "$level" -gt "$best" ]; then
			best=$level
			llc=$(cat $index/shared_cpu_list)
		fi
	done
	fact cpu$cpu.llc "$llc"
done
for dir in /sys/devices/system/node/node[0-9]*; do
	fact ${dir##*/}.cpus "$(cat $dir/cpulist)"
done

for policy in topo_core topo_prev topo_llc topo_node topo_any; do
	start_scheduler $policy $policy.bpf.o
	fact $policy.ops "$(active_ops)"
	run_workload $policy.run --duration 2s --warmup 300ms \
		--task name=hog,cpu=1,hog --task name=sleeper,start=0,sleep=2ms
	case $policy in
	topo_core | topo_llc | topo_node)
		# The same with the sleeper allowed only CPUs 0, 2 and 4: the steps stay inside them.
		run_workload $policy.limited --duration 1s --warmup 300ms \
			--task name=hog,cpu=1,hog --task name=sleeper,cpus=0+2+4,start=0,sleep=2ms
		;;
	esac
	stop_scheduler INT
done
