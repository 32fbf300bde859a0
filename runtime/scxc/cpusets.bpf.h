/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * cpusets.bpf.h — CPU sets: the CPUs a queue's tasks run on.
 *
 * Takes the policy's CPU-set tables (scxc_queue_cpus, scxc_queue_cpus_param, scxc_queue_reserve,
 * scxc_queue_spill, and the cpuset params' bitmaps in scxc_params.cpusets; emit_cpusets.c) and
 * makes, at init, each queue's set as a bitmap and as bpf_cpumask kptrs, and the tests the
 * callbacks ask:
 *
 *   select_cpu  picks only among the CPUs that serve the task's queue, within its own affinity
 *               (scxc_allowed_cpus: a per-CPU scratch mask holds the intersection);
 *   enqueue     a task that may run on none of the CPUs that serve its queue (a kernel thread
 *               pinned to a reserved CPU, a task whose affinity lies outside its queue's set)
 *               goes straight to its CPU's local queue: it must never wait for a CPU that will
 *               not take it (scxc_misfit, counted as queue.NAME.misfit);
 *   dispatch    on CPU c, three passes over the plan: the queues whose set holds c; then, unless
 *               a reserving queue holds c, the queues without a set (c is lent); then the
 *               spilling queues whose set does not hold c.  Init writes each CPU's order of
 *               queues (scxc_cpu_order), which dispatch walks once; a plan with a share group
 *               walks the passes (scxc_takes_from), each group whole.
 *
 * A CPU serves queue Q when Q's set holds it, or when Q spills and no reserving queue holds it;
 * a queue without a set is served by every CPU no reserving queue holds.  All of it is behind
 * SCXC_CPUSETS: a policy without sets has none of this code for the verifier to walk.
 */
#ifndef SCXC_CPUSETS_BPF_H
#define SCXC_CPUSETS_BPF_H

/* Dispatch walks the plan once without CPU sets, in three passes with them. */
#define SCXC_DISPATCH_PASSES (SCXC_CPUSETS ? 3 : 1)

#if SCXC_CPUSETS

/* Each queue's set, built at init from its table or its param; whether it has one; the CPUs that
 * some reserving queue holds, and whether there are any. */
u64 scxc_queue_bits[SCXC_NR_QUEUES][SCXC_CPUSET_WORDS];
bool scxc_queue_confined[SCXC_NR_QUEUES];
u64 scxc_reserved_bits[SCXC_CPUSET_WORDS];
bool scxc_any_reserved;

/* The masks: queue Q's set at SCXC_MASK_SET + Q, the CPUs that serve it at SCXC_MASK_SERVE + Q,
 * and CPU C's scratch mask, where select_cpu and enqueue intersect one with an affinity, at
 * SCXC_MASK_SCRATCH + C (callbacks run with interrupts off, so one per CPU is enough). */
enum {
	SCXC_MASK_SET = 0,
	SCXC_MASK_SERVE = SCXC_NR_QUEUES,
	SCXC_MASK_SCRATCH = 2 * SCXC_NR_QUEUES,
};

struct scxc_mask {
	struct bpf_cpumask __kptr *mask;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2 * SCXC_NR_QUEUES + SCXC_MAX_CPUS);
	__type(key, u32);
	__type(value, struct scxc_mask);
} scxc_masks SEC(".maps");

/* Word W of queue Q's set as the policy gives it: a param's bitmap, or the constant table. */
static __always_inline u64 scxc_given_word(u32 q, u32 w)
{
#if SCXC_CPUSET_PARAMS
	u32 slot = scxc_queue_cpus_param[q];

	if (slot)
		return scxc_params.cpusets[scxc_index(slot - 1, SCXC_CPUSET_PARAMS)][w];
#endif
	return scxc_queue_cpus[q][w];
}

static __always_inline bool scxc_bit(const u64 *bits, s32 cpu)
{
	u32 c = cpu;

	if (cpu < 0 || c >= SCXC_MAX_CPUS)
		return false;
	return (bits[scxc_index(c / 64, SCXC_CPUSET_WORDS)] >> (c % 64)) & 1;
}

static __always_inline bool scxc_cpu_reserved(s32 cpu)
{
	return scxc_bit(scxc_reserved_bits, cpu);
}

static __always_inline bool scxc_spills(u32 q)
{
	return scxc_queue_spill[scxc_index(q, SCXC_NR_QUEUES)];
}

/* Whether CPU serves queue Q (see the top of this file). */
static __always_inline bool scxc_serves(u32 q, s32 cpu)
{
	q = scxc_index(q, SCXC_NR_QUEUES);
	if (!scxc_queue_confined[q])
		return !scxc_cpu_reserved(cpu);
	return scxc_bit(scxc_queue_bits[q], cpu) ||
	       (scxc_queue_spill[q] && !scxc_cpu_reserved(cpu));
}

/* Whether dispatch's pass PASS on CPU takes from queue Q: 0, the queues whose set holds CPU; 1,
 * the queues without a set; 2, the spilling queues whose set does not hold it.  Passes 1 and 2
 * do not run on a reserved CPU.  Asked at init, for scxc_pass_queues. */
static __always_inline bool scxc_pass_takes(u32 q, s32 cpu, int pass)
{
	bool holds;

	q = scxc_index(q, SCXC_NR_QUEUES);
	holds = scxc_queue_confined[q] && scxc_bit(scxc_queue_bits[q], cpu);
	if (pass && scxc_cpu_reserved(cpu))
		return false;
	switch (pass) {
	case 0: return holds;
	case 1: return !scxc_queue_confined[q];
	default: return scxc_queue_confined[q] && scxc_queue_spill[q] && !holds;
	}
}

/* For each CPU and pass of dispatch, the queues the pass takes from there (bit q: queue q; there
 * are at most 64), and the queues any pass takes from there. */
u64 scxc_pass_queues[SCXC_MAX_CPUS][SCXC_DISPATCH_PASSES];
u64 scxc_cpu_queues[SCXC_MAX_CPUS];

/* Each CPU's order of the queues it takes from, the passes one after another, and its length: the
 * plan a CPU follows when no tier is a share group. */
u8 scxc_cpu_order[SCXC_MAX_CPUS][SCXC_NR_QUEUES];
u32 scxc_cpu_order_length[SCXC_MAX_CPUS];

/* The queue at place I of CPU's order, or SCXC_NR_QUEUES past its end (read from memory: any
 * queue, to the verifier, so each place of the walk is checked once). */
static __always_inline u32 scxc_cpu_order_at(s32 cpu, int i)
{
	u32 c = cpu;

	if (cpu < 0 || c >= SCXC_MAX_CPUS)
		return SCXC_NR_QUEUES;
	c = scxc_index(c, SCXC_MAX_CPUS);
	if (i >= scxc_reread(scxc_cpu_order_length[c]))
		return SCXC_NR_QUEUES;
	return scxc_reread(scxc_cpu_order[c][scxc_index(i, SCXC_NR_QUEUES)]);
}

/*
 * Whether pass PASS of dispatch on CPU takes from queue Q (PASS < 0: any pass).  The word is read
 * from memory at each test and nothing of it stays in a register: were it kept, the verifier would
 * learn one bit of it on each side of every test, could never find two walks of the plan alike,
 * and would walk 2^N of them.
 */
static __always_inline bool scxc_takes_from(s32 cpu, int pass, u32 q)
{
	u32 c = cpu;
	u64 queues;

	if (cpu < 0 || c >= SCXC_MAX_CPUS)
		return false;
	c = scxc_index(c, SCXC_MAX_CPUS);
	queues = pass < 0
			 ? scxc_reread(scxc_cpu_queues[c])
			 : scxc_reread(scxc_pass_queues[c][scxc_index(pass, SCXC_DISPATCH_PASSES)]);
	return (queues >> (q & 63)) & 1;
}

/* Mask SLOT, or NULL before init made it. */
static __always_inline struct bpf_cpumask *scxc_mask(u32 slot)
{
	struct scxc_mask *entry = bpf_map_lookup_elem(&scxc_masks, &slot);

	return entry ? entry->mask : NULL;
}

/*
 * The CPUs select_cpu may give P, of queue Q: its affinity within Q's set (OUTSIDE false) or
 * within all the CPUs that serve Q (OUTSIDE true: where a spilling task may go), in this CPU's
 * scratch mask.  A queue without a set gets its affinity less the reserved CPUs (its own, while
 * no queue reserves any).  NULL if a mask is missing.
 */
static __always_inline const struct cpumask *scxc_allowed_cpus(struct task_struct *p, u32 q,
							       bool outside)
{
	struct bpf_cpumask *scratch, *from;

	q = scxc_index(q, SCXC_NR_QUEUES);
	if (!scxc_queue_confined[q] && !scxc_any_reserved)
		return p->cpus_ptr;
	scratch = scxc_mask(SCXC_MASK_SCRATCH + (bpf_get_smp_processor_id() & (SCXC_MAX_CPUS - 1)));
	from = scxc_mask((outside || !scxc_queue_confined[q] ? SCXC_MASK_SERVE : SCXC_MASK_SET) +
			 q);
	if (!scratch || !from)
		return NULL;
	bpf_cpumask_and(scratch, &from->cpumask, p->cpus_ptr);
	return &scratch->cpumask;
}

/* Whether P, of queue Q, may run on none of the CPUs that serve Q. */
static __always_inline bool scxc_misfit(struct task_struct *p, u32 q)
{
	struct bpf_cpumask *serve = scxc_mask(SCXC_MASK_SERVE + scxc_index(q, SCXC_NR_QUEUES));

	return serve && !bpf_cpumask_intersects(&serve->cpumask, p->cpus_ptr);
}

/* Makes mask SLOT: queue Q's set, or (SERVE) the CPUs that serve it; with Q = SCXC_NR_QUEUES, an
 * empty scratch mask. */
static __always_inline s32 scxc_make_mask(u32 slot, u32 q, bool serve)
{
	struct bpf_cpumask *mask = bpf_cpumask_create(), *old;
	u32 nr_cpus = scx_bpf_nr_cpu_ids();
	struct bpf_iter_num it;
	struct scxc_mask *entry;
	int *cpu;

	if (!mask)
		return -12; /* ENOMEM */
	bpf_iter_num_new(&it, 0, nr_cpus < SCXC_MAX_CPUS ? nr_cpus : SCXC_MAX_CPUS);
	while (q < SCXC_NR_QUEUES && (cpu = bpf_iter_num_next(&it))) {
		if (serve ? scxc_serves(q, *cpu) : scxc_bit(scxc_queue_bits[q], *cpu))
			bpf_cpumask_set_cpu(*cpu, mask);
	}
	bpf_iter_num_destroy(&it);
	entry = bpf_map_lookup_elem(&scxc_masks, &slot);
	if (!entry) {
		bpf_cpumask_release(mask);
		return -2; /* ENOENT */
	}
	old = bpf_kptr_xchg(&entry->mask, mask);
	if (old)
		bpf_cpumask_release(old);
	return 0;
}

/*
 * At init, for CPU C: whether pass PASS takes from queue Q, into the tables; taken in plan order,
 * pass by pass, Q also goes next into C's order.  Everything goes through memory, so that the
 * verifier walks each of these steps once, not each combination of their outcomes.
 */
static __always_inline void scxc_note_pass(u32 c, int pass, u32 q)
{
	u64 takes = scxc_pass_takes(q, c, pass);
	u32 n;

	c = scxc_index(c, SCXC_MAX_CPUS);
	scxc_pass_queues[c][scxc_index(pass, SCXC_DISPATCH_PASSES)] |= takes << (q & 63);
	scxc_cpu_queues[c] |= takes << (q & 63);
	n = scxc_reread(scxc_cpu_order_length[c]);
	if (takes && n < SCXC_NR_QUEUES) {
		scxc_cpu_order[c][n] = q;
		scxc_cpu_order_length[c] = n + 1;
	}
}

/* At init: which queues each pass of dispatch takes from on each of the first NR_CPUS CPUs. */
static __always_inline void scxc_fill_pass_queues(u32 nr_cpus)
{
	struct bpf_iter_num it;
	int *cpu, pass, i;

	bpf_iter_num_new(&it, 0, nr_cpus);
	while ((cpu = bpf_iter_num_next(&it))) {
		u32 c = *cpu;

		if (c >= SCXC_MAX_CPUS)
			break;
		for (pass = 0; pass < SCXC_DISPATCH_PASSES; pass++)
			for (i = 0; i < SCXC_NR_QUEUES; i++)
				scxc_note_pass(c, pass, scxc_dispatch_order[i]);
	}
	bpf_iter_num_destroy(&it);
}

/* At init: the bitmaps, then every mask, then the passes' queues. */
static __always_inline s32 scxc_cpusets_init(void)
{
	u32 nr_cpus = scx_bpf_nr_cpu_ids();
	u32 q, w;
	s32 err;

	for (q = 0; q < SCXC_NR_QUEUES; q++) {
		for (w = 0; w < SCXC_CPUSET_WORDS; w++) {
			u64 word = scxc_given_word(q, w);

			scxc_queue_bits[q][w] = word;
			if (word)
				scxc_queue_confined[q] = true;
			if (scxc_queue_reserve[q] && word) {
				scxc_reserved_bits[w] |= word;
				scxc_any_reserved = true;
			}
		}
	}
	for (q = 0; q < SCXC_NR_QUEUES; q++) {
		err = scxc_make_mask(SCXC_MASK_SET + q, q, false);
		if (!err)
			err = scxc_make_mask(SCXC_MASK_SERVE + q, q, true);
		if (err)
			return err;
	}
	for (w = 0; w < SCXC_MAX_CPUS && w < nr_cpus; w++) {
		err = scxc_make_mask(SCXC_MASK_SCRATCH + w, SCXC_NR_QUEUES, false);
		if (err)
			return err;
	}
	scxc_fill_pass_queues(nr_cpus < SCXC_MAX_CPUS ? nr_cpus : SCXC_MAX_CPUS);
	return 0;
}

#else /* !SCXC_CPUSETS: every CPU serves every queue, in dispatch's one pass */

static __always_inline bool scxc_spills(u32 q)
{
	return false;
}

static __always_inline bool scxc_serves(u32 q, s32 cpu)
{
	return true;
}

static __always_inline bool scxc_takes_from(s32 cpu, int pass, u32 q)
{
	return true;
}

static __always_inline u32 scxc_cpu_order_at(s32 cpu, int i)
{
	return SCXC_NR_QUEUES;
}

static __always_inline const struct cpumask *scxc_allowed_cpus(struct task_struct *p, u32 q,
							       bool outside)
{
	return p->cpus_ptr;
}

static __always_inline bool scxc_misfit(struct task_struct *p, u32 q)
{
	return false;
}

#endif /* SCXC_CPUSETS */

#endif
