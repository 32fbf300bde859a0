/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * plan.bpf.h — the dispatch plan: tiers in strict order, groups of queues that share a tier by
 * ratio, and starvation bounds.
 *
 * Takes the policy's plan tables (scxc_dispatch_order, scxc_queue_tier, scxc_queue_share,
 * scxc_queue_starvation) and ops.bpf.h's scxc_dispatch_prev(); makes the clocks and stamps the
 * plan keeps, and the two steps dispatch takes:
 *
 *   scxc_rescue   a queue with a starvation bound that has not been served for longer than the
 *                 bound gives its first task (that this CPU may run) before anything else;
 *   scxc_follow_plan  otherwise the tiers in order: a queue alone gives its first task, or lets
 *                 prev (whose slice ended) run on; a share group gives from the member that is
 *                 furthest behind its share.
 *
 * Shares are kept with one clock per queue of a group: the CPU time its tasks used, divided by
 * its share.  The member with the smallest clock that has work goes next, so over any stretch
 * in which the members stay busy their CPU times follow the ratio.  A member that had no work
 * does not bank the time it missed: when another member is served, an idle member's clock is
 * pulled up to at most SCXC_SHARE_LAG_NS of its own CPU time behind.
 */
#ifndef SCXC_PLAN_BPF_H
#define SCXC_PLAN_BPF_H

#define SCXC_SHARE_SCALE 1000ULL       /* clock units per ns, before dividing by the share */
#define SCXC_SHARE_LAG_NS 100000000ULL /* 100 ms */

/* Each share-group queue's clock: its tasks' CPU time × SCXC_SHARE_SCALE / its share. */
u64 scxc_share_clock[SCXC_NR_QUEUES];

/* When each queue last gave a task to a CPU, or last became non-empty (bpf_ktime_get_ns()). */
u64 scxc_queue_served[SCXC_NR_QUEUES];

/* Charges RUNTIME ns of CPU time, used by a task of queue Q, to Q's share clock. */
static __always_inline void scxc_charge_share(u32 q, u64 runtime)
{
	u32 share;

	q = scxc_index(q, SCXC_NR_QUEUES);
	share = scxc_queue_share[q];
	if (SCXC_SHARES && share)
		__sync_fetch_and_add(&scxc_share_clock[q], runtime * SCXC_SHARE_SCALE / share);
}

/* A task is about to wait in queue Q: if Q was empty, its starvation clock starts now.  Without
 * a branch (which would double the paths through the rest of enqueue): the stamp moves to NOW
 * by a mask that is all ones when Q is empty. */
static __always_inline void scxc_note_waiting(u32 q, u64 now)
{
	u64 empty = scx_bpf_dsq_nr_queued(q) == 0, mask;

	asm volatile("" : "+r"(empty));
	mask = -empty;
	q = scxc_index(q, SCXC_NR_QUEUES);
	scxc_queue_served[q] = (now & mask) | (scxc_queue_served[q] & ~mask);
}

/* Moves the first task of queue Q that this CPU may run to it; false if there is none. */
static __always_inline bool scxc_take(u32 q, u64 now)
{
	q = scxc_index(q, SCXC_NR_QUEUES);
	if (!scxc_move_to_local(q))
		return false;
	scxc_queue_served[q] = now;
	scxc_count(SCXC_QUEUE_STAT(q, DISPATCHED));
	return true;
}

static __always_inline bool scxc_rescue(s32 cpu, u64 now)
{
	u32 q;

#pragma unroll
	for (q = 0; q < SCXC_NR_QUEUES; q++) {
		u64 bound = scxc_queue_starvation[q];

		if (!bound || now - scxc_queue_served[q] <= bound || !scx_bpf_dsq_nr_queued(q) ||
		    (SCXC_CPUSETS && !scxc_serves(q, cpu)))
			continue;
		if (scxc_take(q, now)) {
			scxc_count(SCXC_QUEUE_STAT(q, RESCUED));
			return true;
		}
	}
	return false;
}

/* Whether the queue at place I of the plan is in the same tier as the one before it. */
static __always_inline bool scxc_continues_tier(int i)
{
	return i > 0 && scxc_queue_tier[scxc_dispatch_order[i]] ==
				scxc_queue_tier[scxc_dispatch_order[i - 1]];
}

/* An idle member M of the group starting at FIRST falls no further behind SERVED's clock than
 * its own SCXC_SHARE_LAG_NS. */
static __always_inline void scxc_limit_lag(int first, u32 served)
{
	u64 clock = scxc_share_clock[served];
	int j;

	for (j = first; j < SCXC_NR_QUEUES && (j == first || scxc_continues_tier(j)); j++) {
		u32 m = scxc_index(scxc_dispatch_order[j], SCXC_NR_QUEUES);
		u64 lag = SCXC_SHARE_LAG_NS * SCXC_SHARE_SCALE / (scxc_queue_share[m] ?: 1);

		if (scxc_vtime_after(clock - lag, scxc_share_clock[m]))
			scxc_share_clock[m] = clock - lag;
	}
}

static __always_inline void scxc_dispatch_prev(struct task_struct *prev, s32 cpu, u64 now);

/*
 * The share group that starts at place FIRST of the plan gives CPU its next task: from the
 * member with the smallest clock that has work (prev's queue counts, when prev may run on); if
 * that member has nothing this CPU may run, from the others in plan order.  False if none gave.
 */
static __always_inline bool scxc_dispatch_group(struct task_struct *prev, u32 prev_queue, s32 cpu,
						int first, int pass, u64 now)
{
	u32 best = SCXC_NR_QUEUES;
	bool in_pass = !SCXC_CPUSETS;
	int j;

	/* With CPU sets, a group is served whole, in the first pass that takes from a member; its
	 * members are those that CPU serves at all. */
	for (j = first;
	     SCXC_CPUSETS && j < SCXC_NR_QUEUES && (j == first || scxc_continues_tier(j)); j++)
		if (scxc_takes_from(cpu, pass, scxc_dispatch_order[j]))
			in_pass = true;
	if (!in_pass)
		return false;
	for (j = first; j < SCXC_NR_QUEUES && (j == first || scxc_continues_tier(j)); j++) {
		u32 m = scxc_index(scxc_dispatch_order[j], SCXC_NR_QUEUES);

		if ((m != prev_queue && !scx_bpf_dsq_nr_queued(m)) ||
		    (SCXC_CPUSETS && !scxc_takes_from(cpu, -1, m)))
			continue;
		if (best == SCXC_NR_QUEUES ||
		    scxc_vtime_after(scxc_share_clock[best], scxc_share_clock[m]))
			best = m;
	}
	if (best == SCXC_NR_QUEUES)
		return false;
	if (best == prev_queue) {
		scxc_dispatch_prev(prev, cpu, now);
		return true;
	}
	if (scxc_take(best, now)) {
		scxc_limit_lag(first, best);
		return true;
	}
	for (j = first; j < SCXC_NR_QUEUES && (j == first || scxc_continues_tier(j)); j++) {
		u32 m = scxc_dispatch_order[j];

		if (SCXC_CPUSETS && !scxc_takes_from(cpu, -1, m))
			continue;
		if (m == prev_queue) {
			scxc_dispatch_prev(prev, cpu, now);
			return true;
		}
		if (m != best && scxc_take(m, now))
			return true;
	}
	return false;
}

/* The tiers in order, down to prev's own (PREV_QUEUE is SCXC_NR_QUEUES when there is no prev
 * that could run on): the first that gives CPU a task, or lets prev run on, ends the walk.  With
 * CPU sets, the walk is made in passes, each over the queues that pass serves on CPU
 * (cpusets.bpf.h): those whose set holds it first. */
static __always_inline void scxc_follow_plan(struct task_struct *prev, u32 prev_queue, s32 cpu,
					     u64 now)
{
	int pass, i;

	if (SCXC_CPUSETS && !SCXC_SHARES) {
		/* The CPU's own order of the plan's queues (cpusets.bpf.h), walked once. */
		for (i = 0; i < SCXC_NR_QUEUES; i++) {
			u32 q = scxc_cpu_order_at(cpu, i);

			if (q >= SCXC_NR_QUEUES)
				return;
			if (q == prev_queue) {
				scxc_dispatch_prev(prev, cpu, now);
				return;
			}
			if (scxc_take(q, now))
				return;
		}
		return;
	}

	for (pass = 0; pass < SCXC_DISPATCH_PASSES; pass++) {
		for (i = 0; i < SCXC_NR_QUEUES; i++) {
			u32 q = scxc_dispatch_order[i];

			if (SCXC_SHARES && scxc_queue_share[scxc_index(q, SCXC_NR_QUEUES)]) {
				if (!scxc_continues_tier(i) &&
				    scxc_dispatch_group(prev, prev_queue, cpu, i, pass, now))
					return;
				continue;
			}
			if (SCXC_CPUSETS && !scxc_takes_from(cpu, pass, q))
				continue;
			if (q == prev_queue) {
				scxc_dispatch_prev(prev, cpu, now);
				return;
			}
			if (scxc_take(q, now))
				return;
		}
	}
}

#endif
