# tiers.sh — guest side of the vm test "tiers": on one CPU under tiers.sched, a high-tier hog alone,
# then beside a low-tier hog (it must not slow down), then a high-tier task that sleeps half the
# time beside the low-tier hog (which must get the time the high tier leaves).
. /scx/lib.sh
start_scheduler tiers tiers.bpf.o
fact tiers.ops "$(active_ops)"
run_workload alone --duration 2s --cpu 0 --task name=hi_hog,hog
run_workload contended --duration 2s --cpu 0 --task name=hi_hog,hog --task name=lo_hog,hog
run_workload sleeping --duration 2s --cpu 0 --task name=hi_nap,sleep=4ms,run=4ms --task name=lo_hog,hog
stop_scheduler INT
