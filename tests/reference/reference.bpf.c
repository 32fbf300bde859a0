/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A hand-written weighted-fair sched_ext scheduler: the reference that scxc's generated
 * schedulers are measured against (throughput, fairness, verifier cost).  It is written the way
 * the kernel's tools/sched_ext examples are, and shares no code with scxc's runtime (only its
 * declarations of the kernel's types and kfuncs), so that a difference between the two is a
 * difference in what scxc generates.
 *
 * The model is one global DSQ ordered by virtual time:
 *
 * - A task's vtime (p->scx.dsq_vtime) advances by the CPU time it actually used, scaled by
 *   100 / p->scx.weight, so a nice-0 task (weight 100) is charged 1 ns per ns and a nice-5 task
 *   (weight 33) about 3 ns per ns.  The time used is read from p->se.sum_exec_runtime, which also
 *   counts the time a task ran past its slice until the next tick; the slice alone would miss it.
 *
 * - When a task's slice ends the kernel calls ops.dispatch() *before* it puts the task back on
 *   the DSQ.  A scheduler that only looks at the DSQ then always picks the other task, and two
 *   hogs sharing a CPU merely take turns whatever their weights.  So dispatch charges prev and
 *   lets it run on with a fresh slice while no task this CPU could run has an earlier vtime.
 *
 * - Each CPU keeps a clock: the largest vtime a task had when it started running there (or was
 *   kept running there).  A waking task that may run on one CPU only is placed at most one slice
 *   behind that CPU's clock, so a sleeper cannot bank credit.  The clock is per CPU on purpose:
 *   with one global clock, a low-weight task whose vtime races ahead on CPU 0 (a nice-19 task is
 *   charged 100 ns per ns) would drag every task waking on CPU 1 seconds into the future, where
 *   it would wait behind everything else.  A task that may run on several CPUs is placed against
 *   a shared clock instead, moved the same way but only by such tasks: it competes with them,
 *   wherever they run, and a task pinned to one CPU cannot drag it.
 *
 * - An idle CPU found at wake-up gets the task directly on its local DSQ.  Otherwise the task
 *   waits in the global DSQ and, if no CPU is going to look there soon, an idle one is kicked.
 *
 * So that scxc's generic loader (scxrun) can run it with no code of its own, it follows scxc's
 * object format (docs/object-format.md): the .scxc self-description, the params in .data.params at
 * `scxc_params`, the per-CPU stats map `scxc_stats`, the exit record `scxc_exit` in .bss, the
 * struct_ops map `scxc_ops` and the sleepable init program `scxc_init`.
 *
 * Needs Linux 6.13 or later (scx_bpf_dsq_insert*, scx_bpf_dsq_move_to_local) and libbpf 1.1.
 */

/*
 * The kernel types and the kfuncs every sched_ext kernel has, declared by hand instead of a
 * vmlinux.h (runtime/scxc/kernel.bpf.h: declarations only, no scheduling code), and the
 * kfuncs renamed in 6.13, under their new names.
 */
#include <scxc/kernel.bpf.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include <scxc/contract.h>

extern void scx_bpf_dsq_insert(struct task_struct *p, u64 dsq_id, u64 slice, u64 enq_flags) __ksym;
extern void scx_bpf_dsq_insert_vtime(struct task_struct *p, u64 dsq_id, u64 slice, u64 vtime,
				     u64 enq_flags) __ksym;
extern bool scx_bpf_dsq_move_to_local(u64 dsq_id) __ksym;

/* libbpf 1.1 knows neither SEC("struct_ops.s/") nor SCX_OPS_DEFINE(): spell them out. */
#define BPF_STRUCT_OPS(name, args...) SEC("struct_ops/" #name) BPF_PROG(name, ##args)

char _license[] SEC("license") = "GPL";

/*
 * What scxrun reads from the file before it loads anything.  The stat lines name the entries
 * of scxc_stats, in order.
 */
const char scxc_description[] SEC(".scxc") = "scxc 2\n"
					     "policy reference\n"
					     "source reference.bpf.c\n"
					     "param slice duration 5000000 100000 100000000\n"
					     "queue main vtime\n"
					     "class all main\n"
					     "stat enqueued count\n"
					     "stat direct count\n"
					     "stat dispatched count\n"
					     "stat kept count\n";

/* The knobs, one u64 per `param` line, in a writable section of their own: scxrun writes them
 * there before load, and `scxrun set` while the scheduler runs. */
volatile struct {
	u64 slice; /* ns a task runs before the CPU reconsiders */
} scxc_params SEC(".data.params") = {
	.slice = 5000000,
};

/* The one shared DSQ, ordered by vtime. */
#define MAIN_DSQ 0

/*
 * How far dispatch looks down the DSQ for a task this CPU may run before it gives up and keeps
 * prev.  Tasks pinned elsewhere are rarely this many deep, and the bound keeps the verifier's
 * walk of the loop short.
 */
#define DISPATCH_SCAN_MAX 64

enum reference_stat {
	STAT_ENQUEUED,	 /* inserted into the shared DSQ */
	STAT_DIRECT,	 /* sent straight to an idle CPU at wake-up */
	STAT_DISPATCHED, /* moved from the shared DSQ to a CPU */
	STAT_KEPT,	 /* prev ran on with a fresh slice */
	NR_STATS,
};

struct reference_stats {
	u64 count[NR_STATS];
};

/* Per CPU so that counting needs no atomics; scxrun sums the CPUs. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct reference_stats);
} scxc_stats SEC(".maps");

/* Each CPU's clock: the largest vtime that started running (or was kept running) there. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, u64);
} cpu_clock SEC(".maps");

struct task_ctx {
	u64 charged_runtime; /* p->se.sum_exec_runtime when its vtime was last charged */
	u64 queued_at;	     /* when it was last queued or sent to an idle CPU; 0: not waiting */
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct task_ctx);
} task_ctxs SEC(".maps");

/* How long tasks waited for a CPU: the one class's histogram, as scxc's contract lays it out. */
struct waits {
	u32 count[SCXC_WAIT_BUCKETS];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct waits);
} scxc_waits SEC(".maps");

/* Why the scheduler stopped, for scxrun, in the layout scxc's contract gives it. */
struct scxc_exit_info scxc_exit;

static void stat_inc(u32 idx)
{
	u32 zero = 0;
	struct reference_stats *stats = bpf_map_lookup_elem(&scxc_stats, &zero);

	if (stats && idx < NR_STATS)
		stats->count[idx]++;
}

/* HALF if V has a bit at HALF or above, else 0, for V below 2^63.  The empty asm keeps clang from
 * turning the sign-bit arithmetic back into a comparison, which would be a branch: six in a row
 * would give the verifier 64 paths to walk through the rest of running. */
static __always_inline u64 bits_above(u64 v, u64 half)
{
	u64 difference = (1ULL << half) - 1 - v;

	asm volatile("" : "+r"(difference));
	return (difference >> 63) * half;
}

/* The histogram bucket of a wait of NS ns: the bit length of NS / 1024, at most the last. */
static u32 wait_bucket(u64 ns)
{
	u64 v = ns >> SCXC_WAIT_BUCKET_SHIFT, bits = 0, step;

	step = bits_above(v, 32);
	v >>= step;
	bits += step;
	step = bits_above(v, 16);
	v >>= step;
	bits += step;
	step = bits_above(v, 8);
	v >>= step;
	bits += step;
	step = bits_above(v, 4);
	v >>= step;
	bits += step;
	step = bits_above(v, 2);
	v >>= step;
	bits += step;
	step = bits_above(v, 1);
	v >>= step;
	bits += step + v;
	return bits < SCXC_WAIT_BUCKETS ? bits : SCXC_WAIT_BUCKETS - 1;
}

/* TCTX's task was queued at queued_at and runs now: its wait goes into the histogram. */
static void note_wait(struct task_ctx *tctx)
{
	struct waits *waits;
	u32 zero = 0, bucket;

	if (!tctx->queued_at)
		return;
	bucket = wait_bucket(bpf_ktime_get_ns() - tctx->queued_at);
	tctx->queued_at = 0;
	waits = bpf_map_lookup_elem(&scxc_waits, &zero);
	if (waits && bucket < SCXC_WAIT_BUCKETS)
		waits->count[bucket]++;
}

/* P starts to wait for a CPU now. */
static void note_queued(struct task_struct *p)
{
	struct task_ctx *tctx =
		bpf_task_storage_get(&task_ctxs, p, NULL, BPF_LOCAL_STORAGE_GET_F_CREATE);

	if (tctx)
		tctx->queued_at = bpf_ktime_get_ns();
}

/* Vtimes are compared through their difference, so that wrap-around does not matter. */
static inline bool vtime_before(u64 a, u64 b)
{
	return (s64)(a - b) < 0;
}

/*
 * CPU's clock.  Callbacks do not always run on the CPU they concern (running can be called
 * from another CPU holding the task's runqueue lock), so the clock is looked up by CPU number,
 * never as "this CPU's".
 */
static u64 *clock_of(s32 cpu)
{
	u32 zero = 0;

	return bpf_map_lookup_percpu_elem(&cpu_clock, &zero, cpu);
}

/* The clock for tasks that may run on several CPUs. */
static u64 shared_clock;

/* Moves CPU's clock forward to P's vtime, and the shared one if P may run elsewhere too. */
static void advance_clocks(struct task_struct *p, s32 cpu)
{
	u64 *clock = clock_of(cpu);

	if (clock && vtime_before(*clock, p->scx.dsq_vtime))
		*clock = p->scx.dsq_vtime;
	if (p->nr_cpus_allowed > 1 && vtime_before(shared_clock, p->scx.dsq_vtime))
		shared_clock = p->scx.dsq_vtime;
}

/*
 * The clock P is placed against: its one CPU's (which need not be the CPU it is on: it may just
 * have been pinned), or the shared one.
 */
static u64 *placement_clock(struct task_struct *p)
{
	if (p->nr_cpus_allowed > 1)
		return &shared_clock;
	return clock_of(bpf_cpumask_first(p->cpus_ptr));
}

/*
 * Charges P's vtime for the CPU time it used since the last charge, in proportion to the
 * inverse of its weight.  The weight is read now rather than remembered, so a renice takes
 * effect from the next charge.
 */
static void charge(struct task_struct *p, struct task_ctx *tctx)
{
	u64 runtime = p->se.sum_exec_runtime;
	u32 weight = p->scx.weight;

	if (weight && runtime > tctx->charged_runtime)
		p->scx.dsq_vtime += (runtime - tctx->charged_runtime) * SCX_WEIGHT_DFL / weight;
	tctx->charged_runtime = runtime;
}

s32 BPF_STRUCT_OPS(reference_select_cpu, struct task_struct *p, s32 prev_cpu, u64 wake_flags)
{
	s32 cpu = prev_cpu;

	/* The previous CPU first: its caches may still hold the task's data. */
	if (!bpf_cpumask_test_cpu(prev_cpu, p->cpus_ptr) ||
	    !scx_bpf_test_and_clear_cpu_idle(prev_cpu)) {
		cpu = scx_bpf_pick_idle_cpu(p->cpus_ptr, 0);
		if (cpu < 0)
			return prev_cpu;
	}

	/*
	 * The CPU was idle, so nothing it could run was waiting, and it is now claimed for this
	 * task: the task needs no place in the vtime order.  ops.enqueue() is skipped.
	 */
	scx_bpf_dsq_insert(p, SCX_DSQ_LOCAL, scxc_params.slice, 0);
	stat_inc(STAT_DIRECT);
	note_queued(p);
	return cpu;
}

void BPF_STRUCT_OPS(reference_enqueue, struct task_struct *p, u64 enq_flags)
{
	const struct cpumask *idle;
	bool home_idle;
	s32 cpu;

	scx_bpf_dsq_insert_vtime(p, MAIN_DSQ, scxc_params.slice, p->scx.dsq_vtime, enq_flags);
	stat_inc(STAT_ENQUEUED);
	note_queued(p);

	/*
	 * Somebody has to come and take the task.  The kernel already wakes the CPU whose runqueue
	 * the task joined if that CPU is idle, and a task that may run on one CPU only has no
	 * other choice (such a task never passes through ops.select_cpu(), and its CPU is the one
	 * the kernel wakes).  Otherwise a busy CPU would only notice it at its next slice end, so
	 * kick an idle one, if any, without disturbing a busy one.
	 */
	if (p->nr_cpus_allowed == 1)
		return;

	cpu = scx_bpf_task_cpu(p);
	idle = scx_bpf_get_idle_cpumask();
	home_idle = bpf_cpumask_test_cpu(cpu, idle);
	scx_bpf_put_idle_cpumask(idle);
	if (home_idle)
		return;

	cpu = scx_bpf_pick_idle_cpu(p->cpus_ptr, 0);
	if (cpu >= 0)
		scx_bpf_kick_cpu(cpu, bpf_core_enum_value(enum scx_kick_flags, SCX_KICK_IDLE));
}

/*
 * The vtime of the first task in the shared DSQ that may run on CPU, into *VTIME; false if
 * there is none within the first DISPATCH_SCAN_MAX.  That is the task that
 * scx_bpf_dsq_move_to_local() would bring here.
 *
 * The bound is a numeric iterator rather than a counter (this is what bpf_for() expands to in
 * newer libbpf): the verifier sees a counter's exact value and would check the loop body once
 * per value, 64 times; a numeric iterator's value is opaque to it, so the body is checked
 * until its state stops changing, about twice.
 */
static bool first_vtime_for(s32 cpu, u64 *vtime)
{
	struct bpf_iter_scx_dsq it;
	struct bpf_iter_num scan;
	struct task_struct *p;
	bool found = false;

	/* Both iterators must be destroyed, even when creating them failed. */
	bpf_iter_scx_dsq_new(&it, MAIN_DSQ, 0);
	bpf_iter_num_new(&scan, 0, DISPATCH_SCAN_MAX);
	while (bpf_iter_num_next(&scan)) {
		p = bpf_iter_scx_dsq_next(&it);
		if (!p)
			break;
		if (bpf_cpumask_test_cpu(cpu, p->cpus_ptr)) {
			*vtime = p->scx.dsq_vtime;
			found = true;
			break;
		}
	}
	bpf_iter_num_destroy(&scan);
	bpf_iter_scx_dsq_destroy(&it);
	return found;
}

void BPF_STRUCT_OPS(reference_dispatch, s32 cpu, struct task_struct *prev)
{
	u64 queued = bpf_core_enum_value(enum scx_ent_flags, SCX_TASK_QUEUED);
	struct task_ctx *tctx;
	u64 first;

	/*
	 * PREV's slice ended but it is still runnable: the kernel has not put it back on the DSQ
	 * yet, so it must be weighed against the DSQ here.  It runs on while nothing this CPU
	 * could take instead has an earlier vtime.
	 */
	if (prev && (prev->scx.flags & queued)) {
		tctx = bpf_task_storage_get(&task_ctxs, prev, NULL, 0);
		if (tctx) {
			charge(prev, tctx);
			if (!first_vtime_for(cpu, &first) ||
			    !vtime_before(first, prev->scx.dsq_vtime)) {
				prev->scx.slice = scxc_params.slice;
				advance_clocks(prev, cpu);
				stat_inc(STAT_KEPT);
				return;
			}
		}
	}

	/* The kernel takes the first task this CPU may run: the one first_vtime_for() saw. */
	if (scx_bpf_dsq_move_to_local(MAIN_DSQ))
		stat_inc(STAT_DISPATCHED);
}

/*
 * P wakes up (or otherwise becomes runnable) on the runqueue of scx_bpf_task_cpu(p).  It may
 * keep up to one slice of credit against that CPU's clock, no more: a task that slept for a
 * long time must not then hold the CPU for as long as it slept.
 */
void BPF_STRUCT_OPS(reference_runnable, struct task_struct *p, u64 enq_flags)
{
	u64 *clock = placement_clock(p);
	u64 floor;

	if (!clock)
		return;
	floor = *clock - scxc_params.slice;
	if (vtime_before(p->scx.dsq_vtime, floor))
		p->scx.dsq_vtime = floor;
}

void BPF_STRUCT_OPS(reference_running, struct task_struct *p)
{
	struct task_ctx *tctx;

	/* The clocks reach the vtime of whatever starts running (see advance_clocks()). */
	advance_clocks(p, scx_bpf_task_cpu(p));

	/* Charging starts from here; the time before was charged already (or not ours). */
	tctx = bpf_task_storage_get(&task_ctxs, p, NULL, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!tctx)
		return;
	tctx->charged_runtime = p->se.sum_exec_runtime;
	note_wait(tctx);
}

void BPF_STRUCT_OPS(reference_stopping, struct task_struct *p, bool runnable)
{
	struct task_ctx *tctx = bpf_task_storage_get(&task_ctxs, p, NULL, 0);

	if (tctx)
		charge(p, tctx);
}

/* A task joins the scheduler: it starts level with the clock of the CPU it is on. */
void BPF_STRUCT_OPS(reference_enable, struct task_struct *p)
{
	struct task_ctx *tctx;
	u64 *clock = placement_clock(p);

	p->scx.dsq_vtime = clock ? *clock : 0;
	tctx = bpf_task_storage_get(&task_ctxs, p, NULL, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (tctx)
		tctx->charged_runtime = p->se.sum_exec_runtime;
}

/*
 * Named for scxrun, which marks the program called scxc_init sleepable before load:
 * scx_bpf_create_dsq() may sleep, and libbpf 1.1 cannot say so with SEC("struct_ops.s/").
 */
s32 BPF_STRUCT_OPS(scxc_init)
{
	return scx_bpf_create_dsq(MAIN_DSQ, -1);
}

/* Keeps the kernel's reason for stopping the scheduler where scxrun reads it. */
void BPF_STRUCT_OPS(reference_exit, struct scx_exit_info *ei)
{
	scxc_exit.kind = ei->kind;
	scxc_exit.exit_code = ei->exit_code;
	bpf_probe_read_kernel_str(scxc_exit.reason, sizeof(scxc_exit.reason), ei->reason);
	bpf_probe_read_kernel_str(scxc_exit.message, sizeof(scxc_exit.message), ei->msg);
}

SEC(".struct_ops")
struct sched_ext_ops scxc_ops = {
	.select_cpu = (void *)reference_select_cpu,
	.enqueue = (void *)reference_enqueue,
	.dispatch = (void *)reference_dispatch,
	.runnable = (void *)reference_runnable,
	.running = (void *)reference_running,
	.stopping = (void *)reference_stopping,
	.enable = (void *)reference_enable,
	.init = (void *)scxc_init,
	.exit = (void *)reference_exit,
	.name = "reference",
};
