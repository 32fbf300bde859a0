# SPDX-License-Identifier: GPL-2.0-only
# fair.sh — guest side of the vm test "fair-share": under fair.sched, a nice-0 and a nice-5 CPU hog
# share one CPU; the host checks that their CPU times are in the ratio of their weights.
. /scx/lib.sh
start_scheduler fair fair.bpf.o
fact fair.ops "$(active_ops)"
run_workload shares --duration 6s --warmup 500ms --cpu 0 --task name=hog0,hog --task name=hog5,nice=5,hog
stop_scheduler INT
