/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ops.bpf.h — the sched_ext callbacks of every scxc scheduler, and its struct_ops map.
 *
 * Takes the policy the emitted file defined above the include: its tables (scxc_queue_kind,
 * scxc_class_queue, scxc_dispatch_order, scxc_cpu_steps) and hooks (scxc_classify,
 * scxc_class_slice, scxc_class_weight).  Makes the callbacks and `scxc_ops`:
 *
 *   select_cpu  walks the CPU steps; an idle CPU gets the task directly, on its local DSQ
 *   enqueue     sorts the task into its class and inserts it into the class's queue
 *   dispatch    moves here the first task this CPU can run from the queues in dispatch
 *               order, but keeps the task whose slice ended if it is still the rightful next one
 *   running     notes the task's runtime so far and advances its queue's watermark
 *   stopping    charges the CPU time it used to its vtime, scaled by its weight
 *   enable      gives a task joining sched_ext its storage and a starting vtime
 *   init        creates one DSQ per queue (the loader marks it sleepable)
 *   exit        copies the kernel's exit info into scxc_exit for the loader
 *
 * Why dispatch looks at `prev`: when a running task's slice ends, the kernel calls dispatch
 * *before* it puts that task back into its queue.  A scheduler that only looks at its queues
 * then always picks the other task and two CPU hogs merely take turns, whatever their weights.
 * So dispatch charges `prev` for the time it ran and keeps it running with a fresh slice
 * while it is still first: no higher queue has work this CPU can run, and its vtime is not
 * past the head of its own queue (for a fifo queue: its queue is empty) or no task waiting
 * there can run on this CPU.  A queue holds tasks of every CPU, so "has work" means "has a
 * task this CPU may run": a higher queue whose only task is pinned to another CPU must not
 * hand this CPU to a lower queue while prev, of a higher one, could run on.
 */
#ifndef SCXC_OPS_BPF_H
#define SCXC_OPS_BPF_H

#include <bpf/bpf_tracing.h>

/*
 * Indices from the policy's tables, bounded so that the verifier can see they are.  The empty
 * asm hides from clang which classes scxc_classify() can return: when it can prove some never
 * are (after a condition it sees is always true, such as comm ~ "*"), it turns their branches in
 * the slice and weight choices into `unreachable`, and a program can then end without an exit
 * instruction, which the kernel refuses ("last insn is not an exit or jmp").
 */
static __always_inline u32 scxc_bound_class(s32 cls)
{
	asm volatile("" : "+r"(cls));
	return cls >= 0 && cls < SCXC_NR_CLASSES ? cls : SCXC_NR_CLASSES - 1;
}

static __always_inline u32 scxc_queue_of(u32 cls)
{
	return scxc_index(scxc_class_queue[scxc_index(cls, SCXC_NR_CLASSES)], SCXC_NR_QUEUES);
}

static __always_inline struct scxc_task *scxc_task_state(struct task_struct *p)
{
	return bpf_task_storage_get(&scxc_tasks, p, NULL, BPF_LOCAL_STORAGE_GET_F_CREATE);
}

/* A − B > 0 for vtimes, correct across wrap-around. */
static __always_inline bool scxc_vtime_after(u64 a, u64 b)
{
	return (s64)(a - b) > 0;
}

static __always_inline u64 scxc_slice_of(struct task_struct *p, u32 cls)
{
	s64 slice = scxc_class_slice(p, cls);

	return scxc_clamp(slice, SCXC_SLICE_MIN, SCXC_SLICE_MAX);
}

/*
 * Sorts P into its class, remembers the class's weight for it, and places its vtime: a task
 * that moved to another queue starts at that queue's watermark, and a task that slept comes
 * back at most one slice behind it.  Returns the class; *SLICE gets the class's slice.
 */
static __always_inline u32 scxc_settle(struct task_struct *p, struct scxc_task *task,
				       u64 *slice)
{
	u32 cls = scxc_bound_class(scxc_classify(p));
	u32 q = scxc_queue_of(cls);
	u64 watermark = scxc_queue_vtime[q];
	bool sorted_before = task->weight != 0;

	*slice = scxc_slice_of(p, cls);
	task->weight = scxc_clamp(scxc_class_weight(p, cls), SCXC_WEIGHT_MIN, SCXC_WEIGHT_MAX);
	if (sorted_before && scxc_queue_of(task->cls) != q)
		p->scx.dsq_vtime = watermark;
	else if (scxc_vtime_after(watermark - *slice, p->scx.dsq_vtime))
		p->scx.dsq_vtime = watermark - *slice;
	task->cls = cls;
	return cls;
}

/*
 * Charges P's vtime for the CPU time it used since the last charge, scaled by 100 / weight.
 * The kernel brings sum_exec_runtime up to date before it calls stopping and dispatch, and
 * it counts the time a task runs past its slice (up to the next tick), which the slice does not.
 */
static __always_inline void scxc_charge(struct task_struct *p, struct scxc_task *task)
{
	u64 runtime = p->se.sum_exec_runtime;

	if (task->weight && runtime > task->charged)
		p->scx.dsq_vtime += (runtime - task->charged) * SCX_WEIGHT_DFL / task->weight;
	task->charged = runtime;
}

static __always_inline void scxc_advance_watermark(struct task_struct *p, u32 q)
{
	if (scxc_queue_kind[q] == SCXC_QUEUE_VTIME &&
	    scxc_vtime_after(p->scx.dsq_vtime, scxc_queue_vtime[q]))
		scxc_queue_vtime[q] = p->scx.dsq_vtime;
}

SEC("struct_ops/select_cpu")
s32 BPF_PROG(scxc_select_cpu, struct task_struct *p, s32 prev_cpu, u64 wake_flags)
{
	struct scxc_task *task;
	s32 cpu = -1;
	u64 slice;
	u32 cls;
	int i;

	for (i = 0; i < SCXC_NR_CPU_STEPS && cpu < 0; i++) {
		switch (scxc_cpu_steps[i]) {
		case SCXC_CPU_IDLE_PREV:
			if (bpf_cpumask_test_cpu(prev_cpu, p->cpus_ptr) &&
			    scx_bpf_test_and_clear_cpu_idle(prev_cpu))
				cpu = prev_cpu;
			break;
		case SCXC_CPU_IDLE_ANY:
			cpu = scx_bpf_pick_idle_cpu(p->cpus_ptr, 0);
			break;
		case SCXC_CPU_PREV:
			return prev_cpu;
		}
	}
	if (cpu < 0)
		return prev_cpu;

	/* An idle CPU: the task skips the queues and goes straight to that CPU. */
	task = scxc_task_state(p);
	if (!task)
		return cpu;
	cls = scxc_settle(p, task, &slice);
	scxc_insert(p, SCX_DSQ_LOCAL, slice, 0);
	scxc_count(SCXC_STAT_CLASS_DIRECT(cls));
	return cpu;
}

SEC("struct_ops/enqueue")
void BPF_PROG(scxc_enqueue, struct task_struct *p, u64 enq_flags)
{
	struct scxc_task *task = scxc_task_state(p);
	u64 slice;
	u32 cls, q;
	s32 cpu;

	if (!task) {
		scxc_insert(p, SCX_DSQ_GLOBAL, SCX_SLICE_DFL, enq_flags);
		return;
	}
	cls = scxc_settle(p, task, &slice);
	q = scxc_queue_of(cls);
	if (scxc_queue_kind[q] == SCXC_QUEUE_VTIME)
		scxc_insert_vtime(p, q, slice, p->scx.dsq_vtime, enq_flags);
	else
		scxc_insert(p, q, slice, enq_flags);
	scxc_count(SCXC_STAT_CLASS_ENQUEUED(cls));
	scxc_count(SCXC_STAT_QUEUE_ENQUEUED(q));

	/* Wake an idle CPU to take it: no other path would until that CPU wakes anyway. */
	cpu = scx_bpf_pick_idle_cpu(p->cpus_ptr, 0);
	if (cpu >= 0)
		scx_bpf_kick_cpu(cpu, bpf_core_enum_value(enum scx_kick_flags, SCX_KICK_IDLE));
}

/* True if PREV, whose slice just ended, waits behind the head of its own queue Q: in a vtime
 * queue the head has the earlier vtime; in a fifo queue anyone waiting is ahead of it. */
static __always_inline bool scxc_prev_behind_head(struct task_struct *prev, u32 q)
{
	u64 head_vtime;

	if (scxc_queue_kind[q] == SCXC_QUEUE_FIFO)
		return scxc_queued(q) > 0;
	if (!scxc_dsq_head_vtime(q, &head_vtime))
		return false;
	return scxc_vtime_after(prev->scx.dsq_vtime, head_vtime);
}

/* PREV runs on with a fresh slice. */
static __always_inline void scxc_keep(struct task_struct *prev, struct scxc_task *task)
{
	u32 cls = scxc_bound_class(task->cls);

	prev->scx.slice = scxc_slice_of(prev, cls);
	scxc_advance_watermark(prev, scxc_queue_of(cls));
	scxc_count(SCXC_STAT_KEPT);
}

SEC("struct_ops/dispatch")
void BPF_PROG(scxc_dispatch, s32 cpu, struct task_struct *prev)
{
	u64 queued_flag = bpf_core_enum_value(enum scx_ent_flags, SCX_TASK_QUEUED);
	struct scxc_task *task = NULL;
	u32 prev_queue = SCXC_NR_QUEUES;	/* none: there is no prev that could run on */
	int i;

	if (prev && (prev->scx.flags & queued_flag)) {
		task = scxc_task_state(prev);
		if (task && task->weight) {
			scxc_charge(prev, task);
			prev_queue = scxc_queue_of(task->cls);
		}
	}

	for (i = 0; i < SCXC_NR_QUEUES; i++) {
		u32 q = scxc_dispatch_order[i];

		if (q == prev_queue && task) {
			/* What waits in prev's queue but cannot run on this CPU does not stop prev. */
			if (scxc_prev_behind_head(prev, q) && scxc_move_to_local(q)) {
				scxc_count(SCXC_STAT_QUEUE_DISPATCHED(q));
				return;
			}
			scxc_keep(prev, task);
			return;
		}
		if (scxc_move_to_local(q)) {
			scxc_count(SCXC_STAT_QUEUE_DISPATCHED(q));
			return;
		}
	}
}

SEC("struct_ops/running")
void BPF_PROG(scxc_running, struct task_struct *p)
{
	struct scxc_task *task = scxc_task_state(p);

	if (!task)
		return;
	task->charged = p->se.sum_exec_runtime;
	if (task->weight)
		scxc_advance_watermark(p, scxc_queue_of(task->cls));
}

SEC("struct_ops/stopping")
void BPF_PROG(scxc_stopping, struct task_struct *p, bool runnable)
{
	struct scxc_task *task = scxc_task_state(p);

	if (task)
		scxc_charge(p, task);
}

SEC("struct_ops/enable")
void BPF_PROG(scxc_enable, struct task_struct *p)
{
	struct scxc_task *task = scxc_task_state(p);
	u64 slice;

	if (!task)
		return;
	task->weight = 0;
	task->charged = p->se.sum_exec_runtime;
	p->scx.dsq_vtime = scxc_queue_vtime[scxc_queue_of(scxc_settle(p, task, &slice))];
}

SEC("struct_ops/init")
s32 BPF_PROG(scxc_init)
{
	s32 err;
	int q;

	for (q = 0; q < SCXC_NR_QUEUES; q++) {
		err = scx_bpf_create_dsq(q, -1);
		if (err)
			return err;
	}
	return 0;
}

/* Named for what it does: `scxc_exit` is the record it fills. */
SEC("struct_ops/exit")
void BPF_PROG(scxc_record_exit, struct scx_exit_info *info)
{
	scxc_exit.kind = BPF_CORE_READ(info, kind);
	scxc_exit.exit_code = BPF_CORE_READ(info, exit_code);
	bpf_probe_read_kernel_str(scxc_exit.reason, sizeof(scxc_exit.reason),
				  BPF_CORE_READ(info, reason));
	bpf_probe_read_kernel_str(scxc_exit.message, sizeof(scxc_exit.message),
				  BPF_CORE_READ(info, msg));
}

SEC(".struct_ops")
struct sched_ext_ops scxc_ops = {
	.select_cpu = (void *)scxc_select_cpu,
	.enqueue = (void *)scxc_enqueue,
	.dispatch = (void *)scxc_dispatch,
	.running = (void *)scxc_running,
	.stopping = (void *)scxc_stopping,
	.enable = (void *)scxc_enable,
	.init = (void *)scxc_init,
	.exit = (void *)scxc_record_exit,
	.name = SCXC_POLICY_NAME,
};

#endif
