/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ops.bpf.h — the sched_ext callbacks of every scxc scheduler, and its struct_ops map.
 *
 * Takes the policy the emitted file defined above the include: its feature flags, tables
 * (scxc_queue_kind, scxc_class_queue, scxc_class_preempt, scxc_dispatch_order, scxc_cpu_steps, …)
 * and hooks (scxc_classify, scxc_class_slice, scxc_class_weight, scxc_class_deadline,
 * scxc_class_period).  Makes the callbacks and `scxc_ops`; the plan, jobs and preemption they
 * drive are in plan.bpf.h, jobs.bpf.h and preempt.bpf.h:
 *
 *   select_cpu  walks the CPU steps; an idle CPU found is remembered for enqueue
 *   runnable    sorts a task that becomes runnable into its class, once per wake-up, places its
 *               vtime against its one CPU's clock, or its queue's if it may move, and on a
 *               wake-up releases a job (its deadline) and notes how often the task wakes
 *   enqueue     puts the task on the idle CPU select_cpu found, else into its class's queue;
 *               wakes an idle CPU only when nothing else will, and when none is idle lets a
 *               waking task of a preempting class take a CPU from lower work
 *   dispatch    a starving queue's head first; else the first task this CPU can run from the
 *               plan's tiers (a share group by its shares), but keeps the task whose slice ended
 *               if it is still the rightful next one, with its slice (or class) computed again
 *   running     notes the task's runtime so far and its wait, what this CPU runs, the clocks
 *   stopping    charges the CPU time it used (vtime, burst, share clock); a task that sleeps
 *               ends its job
 *   enable      gives a task joining sched_ext its storage
 *   init        creates one DSQ per queue (the loader marks it sleepable), and the cpumasks of
 *               the caches and nodes when a CPU step needs them (topology.bpf.h)
 *   exit        copies the kernel's exit info into scxc_exit for the loader
 *
 * Why the class is decided in runnable: the kernel calls runnable whenever a task becomes
 * runnable (a wake-up, a new task, a change of nice or affinity), before enqueue, and whether
 * or not select_cpu ran (a task allowed only one CPU never passes through select_cpu).  So the
 * policy's classifier, the largest piece of code, is compiled into one callback and runs once
 * per wake-up; enqueue and dispatch read the class from the task's storage.
 *
 * Why dispatch looks at `prev`: when a running task's slice ends, the kernel calls dispatch
 * *before* it puts that task back into its queue.  A scheduler that only looks at its queues
 * then always picks the other task and two CPU hogs merely take turns, whatever their weights.
 * So dispatch charges `prev` for the time it ran and keeps it running with a fresh slice
 * while it is still first: no higher queue has work this CPU can run, and no task of its own
 * queue that this CPU may run comes before it (in a vtime queue: has an earlier vtime; in a
 * fifo queue: waits at all).  A queue holds tasks of every CPU, so "has work" means "has a
 * task this CPU may run": a higher queue whose only task is pinned to another CPU must not
 * hand this CPU to a lower queue while prev, of a higher one, could run on.
 *
 * Why there are two kinds of vtime clock: see runtime.bpf.h and docs/runtime.md.  One clock
 * per queue that every task moves (say, to the largest vtime that ran) is dragged ahead by a
 * low-weight task pinned to another CPU (weight 1 is 100 ms of vtime per 1 ms of CPU), and a task
 * waking here would then be placed behind everyone it competes with here, and wait seconds.
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

/*
 * FIELD of a task's storage, read back from memory.  To the verifier a value loaded from a map is
 * any value in its range, so after a decision stored this way the paths that led to each outcome
 * (one per class, say) become one again, instead of each being checked through the rest of the
 * callback.  The volatile keeps clang from reusing the value it just stored.
 */
#define scxc_reread(field) (*(volatile typeof(field) *)&(field))

static __always_inline u32 scxc_queue_of(u32 cls)
{
	return scxc_index(scxc_class_queue[scxc_index(cls, SCXC_NR_CLASSES)], SCXC_NR_QUEUES);
}

/* The queue a task was sorted into, as kept in its storage, bounded for the verifier. */
static __always_inline u32 scxc_stored_queue(u32 queue)
{
	return scxc_index(queue, SCXC_NR_QUEUES);
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

#include "jobs.bpf.h"
#include "cpusets.bpf.h"
#include "plan.bpf.h"
#include "preempt.bpf.h"
#include "topology.bpf.h"

static __always_inline u64 scxc_slice_of(struct task_struct *p, u32 cls)
{
	s64 slice = scxc_class_slice(p, cls);

	return scxc_clamp(slice, SCXC_SLICE_MIN_NS, SCXC_SLICE_MAX_NS);
}

/* CPU's clocks, one per queue; NULL only if CPU is out of range. */
static __always_inline struct scxc_clocks *scxc_clocks_of(s32 cpu)
{
	u32 zero = 0;

	return bpf_map_lookup_percpu_elem(&scxc_clocks, &zero, cpu);
}

/* *CLOCK moves up to VTIME, never back. */
static __always_inline void scxc_raise(u64 *clock, u64 vtime)
{
	if (scxc_vtime_after(vtime, *clock))
		*clock = vtime;
}

/* Whether queue Q orders by vtime, and so has clocks a waking task is placed against. */
static __always_inline bool scxc_queue_has_clock(u32 q)
{
	switch ((enum scxc_queue_kind)scxc_queue_kind[q]) {
	case SCXC_QUEUE_VTIME: return true;
	case SCXC_QUEUE_FIFO:
	case SCXC_QUEUE_DEADLINE: break;
	}
	return false;
}

/*
 * P, of queue Q, starts or keeps running on CPU: CPU's clock for Q moves up to P's vtime, and so
 * does Q's own clock if P may run on other CPUs too.  The CPU is named, not taken to be the one
 * this runs on: running can be called from another CPU that holds the task's run queue (a change
 * of a running task's class or affinity).
 */
static __always_inline void scxc_advance_clocks(struct task_struct *p, u32 q, s32 cpu)
{
	struct scxc_clocks *clocks = scxc_clocks_of(cpu);

	if (!scxc_queue_has_clock(q))
		return;
	if (clocks)
		scxc_raise(&clocks->vtime[q], p->scx.dsq_vtime);
	if (p->nr_cpus_allowed > 1)
		scxc_raise(&scxc_queue_clock[q], p->scx.dsq_vtime);
}

/*
 * Places the vtime of P, which has just become runnable in queue Q: a task that may run on one
 * CPU only against that CPU's clock (the tasks it competes with are the ones that run there), any
 * other against the queue's clock.  A task new to the queue starts at the clock; a task that slept
 * comes back at most one SLICE behind it, so that sleeping banks no more credit than that.
 */
static __always_inline void scxc_place(struct task_struct *p, u32 q, bool new_to_queue, u64 slice)
{
	struct scxc_clocks *clocks;
	u64 clock;

	if (!scxc_queue_has_clock(q))
		return;
	if (p->nr_cpus_allowed > 1) {
		clock = scxc_queue_clock[q];
	} else {
		/* Its one CPU, which is not always the CPU it is on: it may just have been pinned. */
		clocks = scxc_clocks_of(bpf_cpumask_first(p->cpus_ptr));
		if (!clocks)
			return;
		clock = clocks->vtime[q];
	}
	if (new_to_queue)
		p->scx.dsq_vtime = clock;
	else if (scxc_vtime_after(clock - slice, p->scx.dsq_vtime))
		p->scx.dsq_vtime = clock - slice;
}

/*
 * Charges the CPU time P used since the last charge: to its burst, to its queue's share clock,
 * and, in a vtime queue, to its vtime, scaled by 100 / weight.  The kernel brings
 * sum_exec_runtime up to date before it calls stopping and dispatch, and it counts the time a
 * task runs past its slice (up to the next tick), which the slice does not.
 */
static __always_inline void scxc_charge(struct task_struct *p, struct scxc_task *task)
{
	u64 runtime = p->se.sum_exec_runtime, used;
	u32 q = scxc_stored_queue(task->queue);

	if (task->weight && runtime > task->charged) {
		used = runtime - task->charged;
		if (SCXC_READS_BEHAVIOUR)
			task->burst += used;
		scxc_charge_share(q, used);
		if (scxc_queue_has_clock(q))
			p->scx.dsq_vtime += used * SCX_WEIGHT_DFL / task->weight;
	}
	task->charged = runtime;
}

/*
 * Where P goes in queue Q.  Every queue is ordered by a key, smallest first: a vtime queue by
 * vtime, a deadline queue by deadline (which jobs.bpf.h keeps in the same field), a fifo queue by
 * arrival (a count of the tasks the queue ever took).  One insertion for every kind keeps
 * enqueue one path, and a new ordering is a new key.
 */
static __always_inline u64 scxc_order_key(struct task_struct *p, u32 q)
{
	switch ((enum scxc_queue_kind)scxc_queue_kind[q]) {
	case SCXC_QUEUE_VTIME:
	case SCXC_QUEUE_DEADLINE: return p->scx.dsq_vtime;
	case SCXC_QUEUE_FIFO: break;
	}
	return __sync_fetch_and_add(&scxc_queue_arrivals[q], 1);
}

/*
 * Wakes an idle CPU for P, just queued, when nothing else would run it soon; true if an idle CPU
 * will run it.  Not when P may run on one CPU only (false: the kernel wakes that CPU itself if it
 * is idle, and a preempting task's kick of it then only wakes it sooner), nor when the CPU whose
 * run queue it joined is idle: a second CPU woken for the same task finds nothing to do (a wasted
 * wake-up that costs a cross-CPU interrupt on every message between two pinned threads).
 */
static __always_inline bool scxc_wake_idle_cpu(struct task_struct *p, u32 q)
{
	const struct cpumask *idle, *allowed = p->cpus_ptr;
	s32 cpu = scx_bpf_task_cpu(p);
	bool joined_idle;

	if (p->nr_cpus_allowed <= 1)
		return false;
	idle = scx_bpf_get_idle_cpumask();
	joined_idle = bpf_cpumask_test_cpu(cpu, idle);
	scx_bpf_put_idle_cpumask(idle);
	if (joined_idle && (!SCXC_CPUSETS || scxc_serves(q, cpu)))
		return true;
	if (SCXC_CPUSETS)
		allowed = scxc_allowed_cpus(p, q, false);
	cpu = allowed ? scx_bpf_pick_idle_cpu(allowed, 0) : -1;
	if (SCXC_CPUSETS && cpu < 0 && scxc_spills(q)) {
		allowed = scxc_allowed_cpus(p, q, true);
		cpu = allowed ? scx_bpf_pick_idle_cpu(allowed, 0) : -1;
	}
	if (cpu < 0)
		return false;
	scx_bpf_kick_cpu(cpu, bpf_core_enum_value(enum scx_kick_flags, SCX_KICK_IDLE));
	return true;
}

SEC("struct_ops/select_cpu")
s32 BPF_PROG(scxc_select_cpu, struct task_struct *p, s32 prev_cpu, u64 wake_flags)
{
	const struct cpumask *allowed = p->cpus_ptr;
	struct scxc_task *task;
	s32 cpu = -1;
	u32 q = 0;
	int i;

	if (SCXC_CPUSETS) {
		/* Only the CPUs that serve its queue (as last sorted): cpusets.bpf.h. */
		task = scxc_task_state(p);
		q = task && task->weight ? scxc_stored_queue(task->queue) : SCXC_NR_QUEUES;
		if (q < SCXC_NR_QUEUES)
			allowed = scxc_allowed_cpus(p, q, false);
		if (!allowed)
			return prev_cpu;
	}
	for (i = 0; i < SCXC_NR_CPU_STEPS && cpu < 0; i++) {
		switch ((enum scxc_cpu_step)scxc_cpu_steps[i]) {
		case SCXC_CPU_IDLE_PREV:
			if (bpf_cpumask_test_cpu(prev_cpu, allowed) &&
			    scx_bpf_test_and_clear_cpu_idle(prev_cpu))
				cpu = prev_cpu;
			break;
		case SCXC_CPU_IDLE_ANY:
			cpu = scx_bpf_pick_idle_cpu(allowed, 0);
			if (SCXC_CPUSETS && cpu < 0 && q < SCXC_NR_QUEUES && scxc_spills(q)) {
				/* Its own variable: `allowed` must stay a mask for the steps after. */
				const struct cpumask *spill = scxc_allowed_cpus(p, q, true);

				cpu = spill ? scx_bpf_pick_idle_cpu(spill, 0) : -1;
			}
			break;
		case SCXC_CPU_IDLE_CORE: cpu = scxc_pick_core(allowed, prev_cpu); break;
		case SCXC_CPU_IDLE_LLC: cpu = scxc_pick_llc(allowed, prev_cpu); break;
		case SCXC_CPU_IDLE_NODE: cpu = scxc_pick_node(allowed, prev_cpu); break;
		case SCXC_CPU_PREV: return prev_cpu;
		}
	}
	if (cpu < 0)
		return prev_cpu;

	/*
	 * An idle CPU, now claimed: the task will skip the queues and go straight to it.  The
	 * insertion waits for enqueue, which the kernel calls next, after runnable has sorted
	 * the task into its class (and so knows its slice).
	 */
	task = scxc_task_state(p);
	if (task)
		task->direct = true;
	return cpu;
}

/*
 * Sorts P into its class: its queue, weight and slice, and its vtime placed in its queue.  Called
 * when it becomes runnable and, in a policy that reads behaviour, when a slice ends.  True if its
 * class changed.
 */
static __always_inline bool scxc_sort(struct task_struct *p, struct scxc_task *task)
{
	bool new_to_queue;
	s32 old_cls = task->cls;
	u32 cls, q;

	cls = scxc_bound_class(scxc_classify(p));
	q = scxc_queue_of(cls);
	new_to_queue = task->weight == 0 || task->queue != q;
	task->queue = q;
	task->cls = cls;
	/*
	 * Read back (see scxc_reread), here and for the placement after the slice and weight
	 * choices: what follows is checked once, not once per class.
	 */
	cls = scxc_bound_class(scxc_reread(task->cls));
	task->weight = scxc_clamp(scxc_class_weight(p, cls), SCXC_WEIGHT_MIN, SCXC_WEIGHT_MAX);
	task->slice = scxc_slice_of(p, cls);
	scxc_place(p, scxc_stored_queue(scxc_reread(task->queue)), new_to_queue,
		   scxc_reread(task->slice));
	return old_cls != (s32)cls;
}

SEC("struct_ops/runnable")
void BPF_PROG(scxc_runnable, struct task_struct *p, u64 enq_flags)
{
	struct scxc_task *task = scxc_task_state(p);
	/* The clock is read only by policies that use it: under a message-passing load every
	 * helper call of a wake-up shows in the round trip. */
	bool timed = SCXC_READS_BEHAVIOUR || SCXC_DEADLINES;
	u64 now = timed ? bpf_ktime_get_ns() : 0;

	if (!task)
		return;
	if (timed && ((enq_flags & bpf_core_enum_value(enum scx_enq_flags, SCX_ENQ_WAKEUP)) ||
		      !task->woke_at))
		scxc_note_wakeup(task, now);
	/* Whether this starts a job is read back from the storage, not carried in a register:
	 * the classifier is then checked once, not once for each answer. */
	scxc_sort(p, task);
	if (SCXC_DEADLINES && scxc_reread(task->woke_at) == now)
		scxc_job_release(p, task, scxc_bound_class(scxc_reread(task->cls)), now);
}

SEC("struct_ops/enqueue")
void BPF_PROG(scxc_enqueue, struct task_struct *p, u64 enq_flags)
{
	struct scxc_task *task = scxc_task_state(p);
	u32 cls, q;
	u64 now;

	if (SCXC_CPUSETS && task && !task->weight)
		/* Its storage could not be made when it became runnable (runnable found none): sorted
		 * now, so that its queue's CPU set holds it, which the global queue would not. */
		scxc_sort(p, task);
	if (!task || !task->weight) {
		/* Not sorted (its storage could not be made): the kernel's global queue runs it. */
		scxc_insert(p, SCX_DSQ_GLOBAL, SCX_SLICE_DFL, enq_flags);
		return;
	}
	cls = scxc_bound_class(task->cls);
	now = bpf_ktime_get_ns();
	task->queued_at = now;
	q = scxc_stored_queue(task->queue);
	if (task->direct) {
		/* The idle CPU select_cpu claimed: its run queue is the one P joins.  With CPU sets,
		 * only if it serves the queue P was sorted into since. */
		task->direct = false;
		if (!SCXC_CPUSETS || scxc_serves(q, scx_bpf_task_cpu(p))) {
			scxc_insert(p, SCX_DSQ_LOCAL, task->slice, enq_flags);
			scxc_count(SCXC_CLASS_STAT(cls, DIRECT));
			return;
		}
	}
	if (SCXC_CPUSETS && scxc_misfit(p, q)) {
		/* No CPU that serves its queue may run it: it runs where it is, never stalls. */
		scxc_insert(p, SCX_DSQ_LOCAL, task->slice, enq_flags);
		scxc_count(SCXC_QUEUE_STAT(q, MISFIT));
		return;
	}
	scxc_count(SCXC_CLASS_STAT(cls, ENQUEUED));
	scxc_count(SCXC_QUEUE_STAT(q, ENQUEUED));
	if (SCXC_BOUNDS)
		scxc_note_waiting(q, now);
	scxc_insert_vtime(p, q, task->slice, scxc_order_key(p, q), enq_flags);
	if (scxc_wake_idle_cpu(p, q) || !SCXC_PREEMPTS || !scxc_class_preempt[cls] ||
	    !(enq_flags & bpf_core_enum_value(enum scx_enq_flags, SCX_ENQ_WAKEUP)))
		return;
	if (scxc_preempt(p, q))
		scxc_count(SCXC_CLASS_STAT(cls, PREEMPTS));
}

/* True if a task of queue Q that CPU may run comes before PREV, whose slice just ended: in a
 * vtime queue it has an earlier vtime; in a fifo queue it waits at all. */
static __always_inline bool scxc_prev_behind(struct task_struct *prev, u32 q, s32 cpu)
{
	u64 first_vtime;

	if (!scxc_dsq_first_for(q, cpu, &first_vtime))
		return false;
	switch ((enum scxc_queue_kind)scxc_queue_kind[q]) {
	case SCXC_QUEUE_VTIME:
	case SCXC_QUEUE_DEADLINE: return scxc_vtime_after(prev->scx.dsq_vtime, first_vtime);
	case SCXC_QUEUE_FIFO: break;
	}
	return true;
}

/*
 * Dispatch's last step, when it has come to the queue of PREV, whose slice ended on CPU and which
 * is still runnable: the first task of that queue that CPU may run takes over if it comes before
 * PREV; else PREV runs on with a fresh slice, as long as its class gave it when it woke.
 */
static __always_inline void scxc_dispatch_prev(struct task_struct *prev, s32 cpu, u64 now)
{
	struct scxc_task *task = scxc_task_state(prev);
	u32 q;

	if (!task)
		return;
	q = scxc_stored_queue(task->queue);
	if (scxc_prev_behind(prev, q, cpu) && scxc_take(q, now))
		return;
	prev->scx.slice = task->slice;
	scxc_advance_clocks(prev, q, cpu);
	scxc_count(SCXC_POLICY_STAT(KEPT));
}

/*
 * Dispatch: a starving queue first (plan.bpf.h), then the plan's tiers down to prev's own.  PREV,
 * when its slice ended and it is still runnable, is charged first; its slice's end counts in its
 * behaviour and its job's deadline, and its slice is computed again (live params change it), or
 * in a policy that reads behaviour, its whole class.
 */
SEC("struct_ops/dispatch")
void BPF_PROG(scxc_dispatch, s32 cpu, struct task_struct *prev)
{
	u64 queued_flag = bpf_core_enum_value(enum scx_ent_flags, SCX_TASK_QUEUED);
	u32 prev_queue = SCXC_NR_QUEUES; /* none: there is no prev that could run on */
	u64 now = SCXC_BOUNDS ? bpf_ktime_get_ns() : 0; /* only the starvation stamps read it */
	struct scxc_task *task;

	if (prev && (prev->scx.flags & queued_flag)) {
		task = scxc_task_state(prev);
		if (task && task->weight) {
			scxc_charge(prev, task);
			scxc_job_slice_end(prev, task);
			/* Sorted again, or at least its slice: a param may have changed. */
			if (!SCXC_READS_BEHAVIOUR && !SCXC_CGROUPS)
				task->slice = scxc_slice_of(prev, scxc_bound_class(task->cls));
			else if (scxc_sort(prev, task))
				scxc_count(SCXC_POLICY_STAT(RESORTED));
			prev_queue = scxc_stored_queue(scxc_reread(task->queue));
		}
	}
	if (SCXC_BOUNDS && scxc_rescue(cpu, now))
		return;
	scxc_follow_plan(prev, prev_queue, cpu, now);
}

SEC("struct_ops/running")
void BPF_PROG(scxc_running, struct task_struct *p)
{
	struct scxc_task *task = scxc_task_state(p);
	s32 cpu = scx_bpf_task_cpu(p);

	if (!task)
		return;
	task->charged = p->se.sum_exec_runtime;
	if (!task->weight)
		return;
	scxc_wait_end(task, scxc_bound_class(task->cls), bpf_ktime_get_ns());
	if (SCXC_PREEMPTS)
		scxc_note_running(p, scxc_stored_queue(task->queue), cpu);
	/* Last: the clocks take a path per queue kind, which nothing after them should double. */
	scxc_advance_clocks(p, scxc_stored_queue(scxc_reread(task->queue)), cpu);
}

SEC("struct_ops/stopping")
void BPF_PROG(scxc_stopping, struct task_struct *p, bool runnable)
{
	struct scxc_task *task = scxc_task_state(p);

	if (!task)
		return;
	scxc_charge(p, task);
	if (!runnable && task->weight)
		scxc_job_end(task, scxc_bound_class(task->cls),
			     SCXC_DEADLINES ? bpf_ktime_get_ns() : 0);
}

/* Unsorted until it first becomes runnable, which places it at its CPU's clock. */
SEC("struct_ops/enable")
void BPF_PROG(scxc_enable, struct task_struct *p)
{
	struct scxc_task *task = scxc_task_state(p);

	if (!task)
		return;
	*task = (struct scxc_task){ .charged = p->se.sum_exec_runtime };
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
	err = scxc_topology_init();
	if (err)
		return err;
#if SCXC_CPUSETS
	return scxc_cpusets_init();
#else
	return 0;
#endif
}

/* Named for what it does: `scxc_exit` is the record it fills. */
SEC("struct_ops/exit")
void BPF_PROG(scxc_record_exit, struct scx_exit_info *info)
{
	scxc_exit.kind = info->kind;
	scxc_exit.exit_code = info->exit_code;
	bpf_probe_read_kernel_str(scxc_exit.reason, sizeof(scxc_exit.reason), info->reason);
	bpf_probe_read_kernel_str(scxc_exit.message, sizeof(scxc_exit.message), info->msg);
}

SEC(".struct_ops")
struct sched_ext_ops scxc_ops = {
	.select_cpu = (void *)scxc_select_cpu,
	.enqueue = (void *)scxc_enqueue,
	.dispatch = (void *)scxc_dispatch,
	.runnable = (void *)scxc_runnable,
	.running = (void *)scxc_running,
	.stopping = (void *)scxc_stopping,
	.enable = (void *)scxc_enable,
	.init = (void *)scxc_init,
	.exit = (void *)scxc_record_exit,
	.flags = SCXC_OPS_FLAGS,
	.name = SCXC_POLICY_NAME,
};

#endif
