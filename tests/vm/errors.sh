# SPDX-License-Identifier: GPL-2.0-only
# errors.sh — guest side of the vm test "errors": a second scheduler is refused while one is active;
# SIGTERM detaches cleanly; an out-of-range --set is refused before anything loads; SIGKILL of
# scxrun leaves sched_ext disabled, and loading works again afterwards; a program the verifier
# refuses (refused.bpf.o, with a planted fault) is reported with its policy line.
. /scx/lib.sh

start_scheduler first fair.bpf.o
fact first.ops "$(active_ops)"
scxrun fifo.bpf.o > /out/second.out 2> /out/second.err
fact second.status $?
fact second.ops_after "$(active_ops)"
stop_scheduler TERM

fact range.enable_seq_before "$(cat $SCX/enable_seq)"
scxrun fair.bpf.o --set slice=1s > /out/range.out 2> /out/range.err
fact range.status $?
fact range.enable_seq_after "$(cat $SCX/enable_seq)"
fact range.state_after "$(state)"

start_scheduler killed fair.bpf.o
fact killed.state "$(state)"
kill -KILL $scheduler_pid
wait $scheduler_pid
wait_state disabled 50
fact killed.state_after "$(state)"

start_scheduler again fair.bpf.o
fact again.ops "$(active_ops)"
stop_scheduler INT

scxrun refused.bpf.o > /out/refused.out 2> /out/refused.err
fact refused.status $?
fact refused.state "$(state)"
