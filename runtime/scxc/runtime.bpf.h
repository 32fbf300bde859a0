/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * runtime.bpf.h — the fixed half of every scxc scheduler, as seen by the policy hooks.
 *
 * Takes the policy's sizes (SCXC_POLICY_NAME, SCXC_NR_QUEUES, SCXC_NR_CLASSES,
 * SCXC_NR_CPU_STEPS, defined by the emitted file before it includes this); makes the
 * vocabulary the emitted hooks are written in: task accessors (scxc_task_pid(p), …),
 * comm matching, queue lengths, arithmetic that cannot fault, the queue-kind and CPU-step
 * constants, and SCXC_DESCRIPTION().  It also holds the runtime's state — per-task storage,
 * each CPU's vtime clocks, the stats array and the exit record — which ops.bpf.h, included
 * after the hooks, drives.  docs/object-format.md is the contract.
 *
 * Everything kernel-specific (kfuncs, maps, SEC, CO-RE reads) lives here and in the headers
 * this includes; the hooks themselves stay plain C.
 */
#ifndef SCXC_RUNTIME_BPF_H
#define SCXC_RUNTIME_BPF_H

#if !defined(SCXC_POLICY_NAME) || !defined(SCXC_NR_QUEUES) || !defined(SCXC_NR_CLASSES) || \
	!defined(SCXC_NR_CPU_STEPS) || !defined(SCXC_READS_BEHAVIOUR) || \
	!defined(SCXC_PREEMPTS) || !defined(SCXC_SHARES) || !defined(SCXC_BOUNDS) || \
	!defined(SCXC_DEADLINES) || !defined(SCXC_CPUSETS)
#error "define the policy's sizes and features first (docs/object-format.md)"
#endif

#include "kernel.bpf.h"
#include <bpf/bpf_core_read.h>
#include "compat.bpf.h"
#include "contract.h"
#include "members.bpf.h"

char _license[] SEC("license") = "GPL";

/*
 * The self-description, a NUL-terminated text in the ELF section .scxc.  libbpf skips the
 * section when loading, so it never reaches the kernel; scxrun reads it from the file.
 */
#define SCXC_DESCRIPTION(text) const char scxc_description[] SEC(".scxc") = text

/* ---- Task accessors: what `task.X` reads ------------------------------------------------ */

static __always_inline s64 scxc_task_pid(struct task_struct *p)
{
	return p->pid;
}

static __always_inline s64 scxc_task_tgid(struct task_struct *p)
{
	return p->tgid;
}

static __always_inline s64 scxc_task_nice(struct task_struct *p)
{
	return p->static_prio - SCXC_DEFAULT_PRIO;
}

/* sched_ext's weight: nice 0 → 100, nice 5 → 33, 1 .. 10000. */
static __always_inline s64 scxc_task_weight(struct task_struct *p)
{
	return p->scx.weight;
}

/* The real user and group ids of the task's objective credentials. */
static __always_inline s64 scxc_task_uid(struct task_struct *p)
{
	return BPF_CORE_READ(p, real_cred, uid.val);
}

static __always_inline s64 scxc_task_gid(struct task_struct *p)
{
	return BPF_CORE_READ(p, real_cred, gid.val);
}

static __always_inline bool scxc_task_kthread(struct task_struct *p)
{
	return (p->flags & PF_KTHREAD) != 0;
}

/*
 * The task's comm as two little-endian words, and a string literal TEXT's first N bytes as
 * the same words plus a mask of which bytes count.  Comparing words under a mask is two
 * tests per name whatever its length, where a loop over characters would be one branch per
 * character for the verifier to walk.  TEXT is a constant, so clang folds the packing away.
 */
struct scxc_comm_words {
	u64 word[2];
};

/*
 * Two plain loads: the verifier lets a trusted task pointer be read in any piece that stays
 * inside a member, so the 16-byte comm needs no helper call.
 */
static __always_inline struct scxc_comm_words scxc_task_comm(struct task_struct *p)
{
	const u64 *words = (const u64 *)p->comm;
	struct scxc_comm_words comm = { { words[0], words[1] } };

	return comm;
}

/* The length of the string literal TEXT, or TASK_COMM_LEN if it has no NUL that early. */
static __always_inline int scxc_text_length(const char *text)
{
	int i;

#pragma unroll
	for (i = 0; i < TASK_COMM_LEN && text[i]; i++)
		;
	return i;
}

/* True if the comm's first N bytes are TEXT's first N bytes (N ≤ TASK_COMM_LEN). */
static __always_inline bool scxc_comm_starts(struct scxc_comm_words comm, const char *text, int n)
{
	u64 want[2] = {}, mask[2] = {};
	int i;

#pragma unroll
	for (i = 0; i < TASK_COMM_LEN; i++) {
		if (i < n) {
			want[i / 8] |= (u64)(u8)text[i] << (8 * (i % 8));
			mask[i / 8] |= 0xffULL << (8 * (i % 8));
		}
	}
	return ((comm.word[0] ^ want[0]) & mask[0]) == 0 &&
	       ((comm.word[1] ^ want[1]) & mask[1]) == 0;
}

/* True when the task's comm is exactly TEXT (a string literal): its bytes and then a NUL. */
static __always_inline bool scxc_comm_eq(struct task_struct *p, const char *text)
{
	int length = scxc_text_length(text);

	if (length >= TASK_COMM_LEN)
		return false; /* longer than any comm */
	return scxc_comm_starts(scxc_task_comm(p), text, length + 1);
}

/*
 * Glob matching (`*` any run, `?` one character) of the task's comm against PATTERN, a
 * string literal of at most SCXC_GLOB_MAX characters.  It runs the pattern as a set of
 * live positions (one bit each) over the comm's at most 16 characters: no backtracking, a
 * fixed bound on every loop.  The loops over pattern positions are unrolled and fold away,
 * since the pattern is a constant.  A step computes the next positions without a branch on
 * the character: were there one per pattern position, the verifier would walk every
 * combination of their outcomes, 16 characters deep, and a pattern like "**i??*?i*???*"
 * would exceed its million-instruction budget.
 */

/* Adds the positions reachable from live ones without reading a character: past stars. */
static __always_inline u64 scxc_glob_skip_stars(u64 live, const char *pattern)
{
	int j;

#pragma unroll
	for (j = 0; j < SCXC_GLOB_MAX && pattern[j]; j++)
		if (pattern[j] == '*')
			live |= (live & (1ULL << j)) << 1;
	return live;
}

static __always_inline int scxc_glob_length(const char *pattern)
{
	int j;

#pragma unroll
	for (j = 0; j < SCXC_GLOB_MAX && pattern[j]; j++)
		;
	return j;
}

/*
 * 1 if the bytes C and WANT are equal, else 0, without a branch.  The empty asm hides from
 * clang that C ^ WANT is below 256, which would let it turn this back into a comparison (and
 * so into a branch).
 */
static __always_inline u64 scxc_glob_same(u64 c, char want)
{
	u64 difference = c ^ (u8)want;

	asm volatile("" : "+r"(difference));
	return (difference - 1) >> 63;
}

/* N if PATTERN is N literal characters and then one final `*` (a prefix match), else -1. */
static __always_inline int scxc_glob_prefix(const char *pattern)
{
	int length = scxc_glob_length(pattern), j;

	if (length == 0 || pattern[length - 1] != '*')
		return -1;
#pragma unroll
	for (j = 0; j < SCXC_GLOB_MAX && j < length - 1; j++)
		if (pattern[j] == '*' || pattern[j] == '?')
			return -1;
	return length - 1 < TASK_COMM_LEN ? length - 1 : -1;
}

static __always_inline bool scxc_comm_glob(struct task_struct *p, const char *pattern)
{
	struct scxc_comm_words words = scxc_task_comm(p);
	u64 *comm = words.word;
	u64 live = scxc_glob_skip_stars(1, pattern);
	int prefix = scxc_glob_prefix(pattern);
	int i, j;

	/* The common "name*" needs no automaton: its prefix is compared as words. */
	if (prefix >= 0)
		return scxc_comm_starts(words, pattern, prefix);
	for (i = 0; i < TASK_COMM_LEN && live; i++) {
		u64 c = ((i < 8 ? comm[0] : comm[1]) >> (8 * (i & 7))) & 0xff;
		u64 next = 0;

		if (!c)
			break;
#pragma unroll
		for (j = 0; j < SCXC_GLOB_MAX && pattern[j]; j++) {
			u64 here = (live >> j) & 1;

			if (pattern[j] == '*')
				next |= here << j;
			else if (pattern[j] == '?')
				next |= here << (j + 1);
			else
				next |= (here & scxc_glob_same(c, pattern[j])) << (j + 1);
		}
		live = scxc_glob_skip_stars(next, pattern);
	}
	return (live >> scxc_glob_length(pattern)) & 1;
}

/* ---- Values without a task ------------------------------------------------------------ */

/* Number of tasks waiting in queue Q (its DSQ is user DSQ Q). */
static __always_inline s64 scxc_queued(u32 q)
{
	return scx_bpf_dsq_nr_queued(q);
}

static __always_inline s64 scxc_nr_cpus(void)
{
	return scx_bpf_nr_cpu_ids();
}

/* ---- Arithmetic: signed 64-bit, wrapping; x / 0 = x % 0 = 0 (as the compiler folds it) -- */

/* BPF before cpu v4 has only unsigned division: divide magnitudes, then restore the sign. */
static __always_inline u64 scxc_magnitude(s64 x)
{
	return x < 0 ? -(u64)x : (u64)x;
}

static __always_inline s64 scxc_div(s64 a, s64 b)
{
	u64 q;

	if (b == 0)
		return 0;
	q = scxc_magnitude(a) / scxc_magnitude(b);
	return (a < 0) != (b < 0) ? (s64)-q : (s64)q;
}

/* The remainder takes the sign of the dividend, as in C. */
static __always_inline s64 scxc_mod(s64 a, s64 b)
{
	u64 r;

	if (b == 0)
		return 0;
	r = scxc_magnitude(a) % scxc_magnitude(b);
	return a < 0 ? (s64)-r : (s64)r;
}

static __always_inline s64 scxc_min(s64 a, s64 b)
{
	return a < b ? a : b;
}

static __always_inline s64 scxc_max(s64 a, s64 b)
{
	return a > b ? a : b;
}

static __always_inline s64 scxc_clamp(s64 x, s64 low, s64 high)
{
	return x < low ? low : x > high ? high : x;
}

/* ---- Runtime state -------------------------------------------------------------------- */

/*
 * What the runtime remembers about each task.  Times are bpf_ktime_get_ns() (CLOCK_MONOTONIC).
 * A job is the work a task does from becoming runnable until it sleeps again.
 */
struct scxc_task {
	s32 cls;    /* the class it was sorted into when it last became runnable */
	u32 weight; /* the class's weight for it, 1 .. 10000; 0: not sorted yet */
	u32 queue;  /* the class's queue, kept so that no callback looks it up again */
	u64 slice;  /* the class's slice for it, in ns: decided with the class, renewed when kept */
	u64 charged; /* its total runtime when its vtime was last charged, in ns */
	bool direct; /* select_cpu found it an idle CPU: enqueue puts it straight there */

	/* Deadlines (scxc/jobs.bpf.h) */
	u64 release;	  /* when its current job was released */
	u64 job_deadline; /* that job's deadline; 0: its class gives none */
	u64 deadline;	  /* its place in a deadline queue: the job's deadline, a period later
			   * for each slice the job used up */
	u64 postpone;	  /* how far a used-up slice moves it: the period, else the deadline */

	/* Behaviour (scxc/jobs.bpf.h), each average moving a quarter of the way to each sample */
	u64 woke_at;	  /* when it last became runnable */
	u64 queued_at;	  /* when it last began to wait for a CPU; 0: not waiting */
	u64 burst;	  /* CPU time it used since it last became runnable */
	u64 avg_run;	  /* average burst, sampled when it sleeps and when a slice ends */
	u64 avg_wait;	  /* average wait for a CPU */
	u64 avg_wake_gap; /* average time between two wake-ups */
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct scxc_task);
} scxc_tasks SEC(".maps");

/*
 * The clocks a waking task is placed against (docs/runtime.md explains the model).  Each CPU has
 * one per vtime queue: the largest vtime a task of that queue had when it started running on the
 * CPU, or was kept running there.  A CPU always runs the earliest task it may, so its clock follows
 * the earliest tasks competing for that CPU, and nothing that runs elsewhere moves it: a task that
 * may run on that CPU only is placed against it.  Each queue has one more, moved the same way but
 * only by tasks that may run on several CPUs: the level of the competition they share.  A task
 * pinned to one CPU, whose vtime races ahead there (weight 1 is 100 ms of vtime per 1 ms of CPU),
 * so cannot drag the clock that tasks elsewhere are placed against.
 */
struct scxc_clocks {
	u64 vtime[SCXC_NR_QUEUES];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct scxc_clocks);
} scxc_clocks SEC(".maps");

/* Each vtime queue's own clock, for tasks that may run on several CPUs (see above).  It is moved
 * without a lock: when two CPUs race, it may end at the smaller of their two steps. */
u64 scxc_queue_clock[SCXC_NR_QUEUES];

/* How many tasks each fifo queue has taken: the next arrival's place in line. */
u64 scxc_queue_arrivals[SCXC_NR_QUEUES];

/* Stats, laid out as contract.h says: the classes', the queues', then the policy's. */
#define SCXC_CLASS_STAT(cls, stat) SCXC_CLASS_STAT_INDEX(cls, SCXC_CLASS_STAT_##stat)
#define SCXC_QUEUE_STAT(q, stat) SCXC_QUEUE_STAT_INDEX(SCXC_NR_CLASSES, q, SCXC_QUEUE_STAT_##stat)
#define SCXC_POLICY_STAT(stat) \
	SCXC_POLICY_STAT_INDEX(SCXC_NR_CLASSES, SCXC_NR_QUEUES, SCXC_POLICY_STAT_##stat)
#define SCXC_NR_STATS SCXC_STATS_COUNT(SCXC_NR_CLASSES, SCXC_NR_QUEUES)

struct scxc_stats_row {
	u64 count[SCXC_NR_STATS];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct scxc_stats_row);
} scxc_stats SEC(".maps");

/*
 * INDEX if it is below LIMIT, else 0: an array index the verifier can see is in bounds.
 * The first empty asm hides what clang knows about INDEX (say, that every entry of a table it
 * came from is in range), which would otherwise let it drop the test the verifier needs.  The
 * second hides the test's result: without it clang may fold the test into a later one (a
 * queue index checked against LIMIT and then looked up in the constant queue-kind table
 * became one range test of INDEX - 5), and the verifier of Linux 6.16 cannot carry a bound
 * through that arithmetic back to INDEX ("unbounded memory access"; 7.2 and 7.3 can).
 */
static __always_inline u32 scxc_index(u32 index, u32 limit)
{
	asm volatile("" : "+r"(index));
	index = index < limit ? index : 0;
	asm volatile("" : "+r"(index));
	return index;
}

/* Adds AMOUNT to STAT (a count or a time in ns) on this CPU. */
static __always_inline void scxc_add(u32 stat, u64 amount)
{
	u32 zero = 0;
	struct scxc_stats_row *row = bpf_map_lookup_elem(&scxc_stats, &zero);

	asm volatile("" : "+r"(stat));
	if (row && stat < SCXC_NR_STATS)
		row->count[stat] += amount;
}

static __always_inline void scxc_count(u32 stat)
{
	scxc_add(stat, 1);
}

/* Wait-time histograms, one per class, laid out as contract.h says. */
struct scxc_waits {
	u32 count[SCXC_NR_CLASSES][SCXC_WAIT_BUCKETS];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct scxc_waits);
} scxc_waits SEC(".maps");

/* Why the scheduler stopped, copied from the kernel's exit info for the loader. */
struct scxc_exit_info scxc_exit;

/* ---- Behaviour: what `task.avg_run` and the like read ----------------------------------- */

#define SCXC_NSEC_PER_SEC 1000000000ULL

/* P's storage if it has any yet (the hooks never create it: runnable does, before them). */
static __always_inline struct scxc_task *scxc_task_known(struct task_struct *p)
{
	return bpf_task_storage_get(&scxc_tasks, p, NULL, 0);
}

static __always_inline s64 scxc_task_avg_run(struct task_struct *p)
{
	struct scxc_task *task = scxc_task_known(p);

	return task ? task->avg_run : 0;
}

static __always_inline s64 scxc_task_avg_wait(struct task_struct *p)
{
	struct scxc_task *task = scxc_task_known(p);

	return task ? task->avg_wait : 0;
}

/*
 * Wake-ups per second: one second over the average gap between wake-ups, or over the time since
 * the last one if that is longer, so that a task that stopped sleeping (a hog) falls to 0.
 */
static __always_inline s64 scxc_task_wake_rate(struct task_struct *p)
{
	struct scxc_task *task = scxc_task_known(p);
	u64 gap, since;

	if (!task || !task->woke_at)
		return 0;
	gap = task->avg_wake_gap;
	since = bpf_ktime_get_ns() - task->woke_at;
	if (since > gap)
		gap = since;
	return gap ? SCXC_NSEC_PER_SEC / gap : 0;
}

/* Read by a helper, not a load: clang would merge a plain load of it with a load of the same
 * width from the task's storage in another branch (`deadline = avg_run` in one class, `deadline =
 * cpu_time` in another), which the verifier refuses ("same insn cannot be used with different
 * pointers"; random policy 215946309 on 6.16). */
static __always_inline s64 scxc_task_cpu_time(struct task_struct *p)
{
	u64 runtime = 0;

	bpf_probe_read_kernel(&runtime, sizeof(runtime), &p->se.sum_exec_runtime);
	return runtime;
}

#endif
