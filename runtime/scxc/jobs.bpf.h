/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * jobs.bpf.h — a task's jobs and how it behaves: deadlines, the behaviour averages, waits.
 *
 * Takes the task storage and the policy's deadline and period hooks (runtime.bpf.h, the
 * emitted file); makes the bookkeeping the callbacks of ops.bpf.h do at four moments of a task's
 * life: a job starts (it becomes runnable), it starts running after a wait, a slice ends while
 * it still has work, and the job ends (it sleeps).  From them come the job's deadline and its
 * place in a deadline queue, the class stats met, missed and lateness, the wait histograms,
 * and the behaviour the policy reads (task.avg_run, task.wake_rate, task.avg_wait).
 *
 * A job's deadline is its release plus the class's relative deadline (or its period, if it
 * gives only that).  Without a period a job is released when the task wakes; with one, jobs
 * are released at least a period apart, so a task that wakes early waits for its turn.  A job
 * that uses up a slice without ending is postponed by a period (or by its relative deadline):
 * its place in a deadline queue moves back, so that no task takes more than a slice per period
 * ahead of other deadlines — the constant-bandwidth rule of Linux's SCHED_DEADLINE.  Met and
 * missed compare the end of the job with its own deadline, before any postponement.
 */
#ifndef SCXC_JOBS_BPF_H
#define SCXC_JOBS_BPF_H

/* AVG moved a quarter of the way to SAMPLE. */
static __always_inline u64 scxc_average(u64 avg, u64 sample)
{
	return avg - (avg >> 2) + (sample >> 2);
}

/* 1 if V > LIMIT, else 0, for V and LIMIT below 2^63, without a branch: a branch would double
 * the paths the verifier walks through everything after it, and these come six in a row. */
static __always_inline u64 scxc_above(u64 v, u64 limit)
{
	u64 difference = limit - v;

	asm volatile("" : "+r"(difference));
	return difference >> 63;
}

/* The bucket of a wait of NS nanoseconds: the bit length of NS / 1024, at most the last. */
static __always_inline u32 scxc_wait_bucket(u64 ns)
{
	u64 v = ns >> SCXC_WAIT_BUCKET_SHIFT, bits = 0, step;

	step = scxc_above(v, 0xffffffffULL) << 5;
	v >>= step;
	bits += step;
	step = scxc_above(v, 0xffffULL) << 4;
	v >>= step;
	bits += step;
	step = scxc_above(v, 0xffULL) << 3;
	v >>= step;
	bits += step;
	step = scxc_above(v, 0xfULL) << 2;
	v >>= step;
	bits += step;
	step = scxc_above(v, 0x3ULL) << 1;
	v >>= step;
	bits += step;
	step = scxc_above(v, 0x1ULL);
	v >>= step;
	bits += step + v;
	return bits < SCXC_WAIT_BUCKETS ? bits : SCXC_WAIT_BUCKETS - 1;
}

static __always_inline u64 scxc_clamp_deadline(s64 ns)
{
	return ns > 0 ? scxc_clamp(ns, SCXC_DEADLINE_MIN_NS, SCXC_DEADLINE_MAX_NS) : 0;
}

/* P became runnable at NOW for a new job (a wake-up, or its first time): the gap since its
 * last wake-up is a sample of how often it wakes.  Before it is sorted, so the policy sees it. */
static __always_inline void scxc_note_wakeup(struct scxc_task *task, u64 now)
{
	if (SCXC_READS_BEHAVIOUR && task->woke_at)
		task->avg_wake_gap = scxc_average(task->avg_wake_gap, now - task->woke_at);
	task->woke_at = now;
	task->burst = 0;
}

/* P, sorted into class CLS, releases a new job at NOW (see above); in a deadline queue, its
 * deadline is its place there (a class with no deadline for it waits behind all others). */
static __always_inline void scxc_job_release(struct task_struct *p, struct scxc_task *task, u32 cls,
					     u64 now)
{
	bool in_deadline_queue =
		scxc_queue_kind[scxc_index(task->queue, SCXC_NR_QUEUES)] == SCXC_QUEUE_DEADLINE;
	u64 relative, period, release = now;

	relative = scxc_clamp_deadline(scxc_class_deadline(p, cls));
	period = scxc_clamp_deadline(scxc_class_period(p, cls));
	if (!relative)
		relative = period;
	if (!relative) {
		task->job_deadline = 0;
		task->postpone = 0;
		if (in_deadline_queue)
			p->scx.dsq_vtime = now + SCXC_DEADLINE_MAX_NS;
		return;
	}
	if (period && task->release && release - task->release < period)
		release = task->release + period;
	task->release = release;
	task->job_deadline = release + relative;
	task->deadline = task->job_deadline;
	task->postpone = period ? period : relative;
	if (in_deadline_queue)
		p->scx.dsq_vtime = task->deadline;
}

/* P's slice ended while it still has work: its burst so far is a sample of how long it runs,
 * and its job, if it has a deadline, is postponed (see above) — to no earlier than the present
 * plus the postponement, as SCHED_DEADLINE does when it refills a task whose deadline has passed:
 * otherwise a task that never sleeps, with a slice far longer than its period, keeps a deadline
 * in the past and runs ahead of every task that wakes, for ever.  The postponement is 0 without
 * a deadline, and only a deadline queue orders by it. */
static __always_inline void scxc_job_slice_end(struct task_struct *p, struct scxc_task *task)
{
	u64 now;

	if (SCXC_READS_BEHAVIOUR)
		task->avg_run = scxc_average(task->avg_run, task->burst);
	if (!SCXC_DEADLINES)
		return;
	now = bpf_ktime_get_ns();
	task->deadline += task->postpone;
	if (scxc_vtime_after(now, task->deadline))
		task->deadline = now + task->postpone;
	if (scxc_queue_kind[scxc_index(task->queue, SCXC_NR_QUEUES)] == SCXC_QUEUE_DEADLINE)
		p->scx.dsq_vtime = task->deadline;
}

/* P of class CLS sleeps at NOW: its job is over.  Met or missed is counted as one stat or the
 * other and the lateness added either way (0 when met), so that no branch doubles the paths. */
static __always_inline void scxc_job_end(struct scxc_task *task, u32 cls, u64 now)
{
	u64 late;

	if (SCXC_READS_BEHAVIOUR)
		task->avg_run = scxc_average(task->avg_run, task->burst);
	task->burst = 0;
	if (!SCXC_DEADLINES || !task->job_deadline)
		return;
	late = scxc_above(now, task->job_deadline);
	scxc_count(SCXC_CLASS_STAT(cls, MET) +
		   late * (SCXC_CLASS_STAT_MISSED - SCXC_CLASS_STAT_MET));
	scxc_add(SCXC_CLASS_STAT(cls, LATENESS), late * (now - task->job_deadline));
	task->job_deadline = 0;
}

/* A task of class CLS that waited for a CPU since it was queued starts running at NOW. */
static __always_inline void scxc_wait_end(struct scxc_task *task, u32 cls, u64 now)
{
	struct scxc_waits *waits;
	u32 zero = 0, bucket;
	u64 wait;

	if (!task->queued_at)
		return;
	wait = now - task->queued_at;
	task->queued_at = 0;
	if (SCXC_READS_BEHAVIOUR)
		task->avg_wait = scxc_average(task->avg_wait, wait);
	waits = bpf_map_lookup_elem(&scxc_waits, &zero);
	bucket = scxc_wait_bucket(wait);
	if (waits && cls < SCXC_NR_CLASSES && bucket < SCXC_WAIT_BUCKETS)
		waits->count[cls][bucket]++;
}

#endif
