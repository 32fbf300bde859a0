/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * preempt.bpf.h — what each CPU is running, and taking a CPU from lower-priority work.
 *
 * Takes the policy's dispatch tiers and class table (the emitted file); makes a per-CPU record
 * of the priority of the task each CPU runs (noted by running), and
 * scxc_preempt(), which enqueue calls for a waking task of a class with `preempt = true` when
 * no CPU it may use is idle: it finds a CPU it may use that runs lower-priority work, the one it
 * last ran on first, and kicks that CPU with SCX_KICK_PREEMPT.  The kernel then ends the running
 * task's slice at once, and that CPU's dispatch takes the highest-priority work there is,
 * which the woken task is (or something better still).
 *
 * Priority is the dispatch plan's: a task of an earlier tier comes before one of a later tier;
 * in one deadline queue, an earlier deadline comes first.  Tasks of one vtime or fifo queue never
 * preempt each other, and nothing preempts a task of a share group's own tier: shares are kept
 * by turns, not by preemption.
 */
#ifndef SCXC_PREEMPT_BPF_H
#define SCXC_PREEMPT_BPF_H

/*
 * What one CPU runs, as its last running callback saw it: the tier + 1 (0: nothing yet), the
 * queue and the deadline-queue key.  Nothing clears it when the task stops: a CPU that went idle
 * since is woken by a kick as well as a busy one is preempted, and clearing it in stopping left
 * it empty when the kernel kept a task running without calling running again.
 */
struct scxc_running {
	u32 rank;
	u32 queue;
	u64 deadline;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct scxc_running);
} scxc_cpu_running SEC(".maps");

static __always_inline struct scxc_running *scxc_running_on(s32 cpu)
{
	u32 zero = 0;

	return bpf_map_lookup_percpu_elem(&scxc_cpu_running, &zero, cpu);
}

/* P, in queue Q, starts running on CPU. */
static __always_inline void scxc_note_running(struct task_struct *p, u32 q, s32 cpu)
{
	struct scxc_running *running = scxc_running_on(cpu);

	if (!running)
		return;
	running->rank = scxc_queue_tier[scxc_index(q, SCXC_NR_QUEUES)] + 1;
	running->queue = q;
	running->deadline = p->scx.dsq_vtime;
}

/* Whether RUNNING, what a CPU runs, is lower work than a task of queue Q with deadline-queue key
 * KEY: of a later tier, or of the same deadline queue with a later deadline.  Not an idle CPU or
 * one running a task that is not ours (the kick for idle CPUs handles those). */
static __always_inline bool scxc_below(const struct scxc_running *running, u32 q, u64 key)
{
	u32 rank;

	q = scxc_index(q, SCXC_NR_QUEUES);
	rank = scxc_queue_tier[q] + 1;
	if (!running->rank)
		return false;
	if (running->rank > rank)
		return true;
	return running->queue == q && scxc_queue_kind[q] == SCXC_QUEUE_DEADLINE &&
	       scxc_vtime_after(running->deadline, key);
}

/* Kicks a CPU that P, just queued in Q, may use and that runs lower work than P, trying the CPU
 * it last ran on first (its caches may still hold it); false if there is none. */
static __always_inline bool scxc_preempt(struct task_struct *p, u32 q)
{
	u32 nr_cpus = scx_bpf_nr_cpu_ids(), prev = scx_bpf_task_cpu(p);
	struct bpf_iter_num scan;
	s32 victim = -1;
	int *i;

	/* An iterator, not a counter: the verifier checks the body about twice, not per CPU. */
	bpf_iter_num_new(&scan, 0, nr_cpus);
	while ((i = bpf_iter_num_next(&scan))) {
		s32 cpu = (prev + (u32)*i) % nr_cpus;
		struct scxc_running *running;

		if (!bpf_cpumask_test_cpu(cpu, p->cpus_ptr))
			continue;
		running = scxc_running_on(cpu);
		if (running && scxc_below(running, q, p->scx.dsq_vtime)) {
			victim = cpu;
			break;
		}
	}
	bpf_iter_num_destroy(&scan);
	if (victim < 0)
		return false;
	scx_bpf_kick_cpu(victim, bpf_core_enum_value(enum scx_kick_flags, SCX_KICK_PREEMPT));
	return true;
}

#endif
