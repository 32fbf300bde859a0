// SPDX-License-Identifier: GPL-2.0-only
/*
 * kfuncs.c — the kernel's side of every call the generated C and the runtime make.
 *
 * Takes the simulation that runs (sim_current) and a call from the policy's shared object; makes
 * the kfuncs of runtime/scxc/kernel.bpf.h and compat.bpf.h (each checked against the runtime's
 * own prototype, see kernel.h) and the helpers of the shim (sim/shim/bpf/bpf_helpers.h): DSQ
 * inserts and moves with the kernel's rules (a local queue the task may not run on sends it to
 * the global queue; vtime order is refused on built-in queues), the idle cpumask and its claims,
 * kicks, the iterators, per-CPU arrays and task storage.  The old names of the insert and consume
 * kfuncs (6.12) are left undefined, so the runtime's weak references to them stay NULL and it
 * calls the new ones, as it does on the kernels scxc supports.
 */
#include <stdlib.h>
#include <string.h>

#include "checked.h"
#include "sim.h"

struct sim *sim_current;

#define EINVAL_ 22
#define EEXIST_ 17
#define EBUSY_ 16

static struct sim_map *map_of(const void *definition, u32 value_size, u32 entries, bool storage)
{
	struct sim *sim = sim_current;
	struct sim_map *map;
	int i;

	for (i = 0; i < sim->nr_maps; i++)
		if (sim->maps[i].definition == definition)
			return &sim->maps[i];
	if (sim->nr_maps == SIM_MAX_MAPS) {
		sim_fail(sim, "the policy uses more maps than scxsim models");
		return NULL;
	}
	map = &sim->maps[sim->nr_maps++];
	*map = (struct sim_map){ definition, value_size, entries, storage, NULL };
	if (!storage)
		map->percpu = checked(calloc((size_t)sim->nr_cpus * entries, value_size));
	return map;
}

void *scxsim_map_lookup(void *definition, u32 value_size, u32 entries, u32 key, s32 cpu)
{
	struct sim_map *map = map_of(definition, value_size, entries, false);

	if (cpu < 0)
		cpu = sim_current->this_cpu;
	if (!map || key >= entries || cpu >= sim_current->nr_cpus)
		return NULL;
	return (char *)map->percpu + ((size_t)cpu * entries + key) * value_size;
}

void *scxsim_task_storage(void *definition, u32 value_size, struct task_struct *p, u64 flags)
{
	struct sim_map *map = map_of(definition, value_size, 1, true);
	struct sim_task *t = sim_task_of(p);
	void **slot;

	if (!map)
		return NULL;
	slot = &t->storage[map - sim_current->maps];
	if (!*slot && (flags & BPF_LOCAL_STORAGE_GET_F_CREATE))
		*slot = checked(calloc(1, value_size));
	return *slot;
}

u64 bpf_ktime_get_ns(void)
{
	return sim_current->now;
}

long bpf_probe_read_kernel(void *dst, u32 size, const void *unsafe_ptr)
{
	memcpy(dst, unsafe_ptr, size);
	return 0;
}

long bpf_probe_read_kernel_str(void *dst, u32 size, const void *unsafe_ptr)
{
	size_t length = unsafe_ptr ? strnlen(unsafe_ptr, size ? size - 1 : 0) : 0;

	if (!size)
		return 0;
	memcpy(dst, unsafe_ptr ? unsafe_ptr : "", length);
	((char *)dst)[length] = '\0';
	return (long)length + 1;
}

/* ---- DSQs ---------------------------------------------------------------------------------- */

s32 scx_bpf_create_dsq(u64 dsq_id, s32 node)
{
	(void)node;
	if (dsq_id >= SIM_MAX_USER_DSQS)
		return -EINVAL_;
	if (sim_current->user[dsq_id].exists)
		return -EEXIST_;
	sim_current->user[dsq_id] = (struct sim_dsq){ .id = dsq_id, .exists = true };
	return 0;
}

s32 scx_bpf_dsq_nr_queued(u64 dsq_id)
{
	struct sim_dsq *dsq = sim_dsq(sim_current, dsq_id, sim_current->this_cpu);

	return dsq ? (s32)dsq->nr : -2; /* -ENOENT */
}

/* Puts T on CPU's run queue, counting a migration when that is another CPU's. */
static void move_to_cpu(struct sim_task *t, int cpu)
{
	if (t->cpu != cpu) {
		t->cpu = cpu;
		t->migrations++;
	}
}

static void insert(struct task_struct *p, u64 dsq_id, u64 slice, u64 vtime, bool ordered)
{
	struct sim *sim = sim_current;
	struct sim_task *t = sim_task_of(p);
	int cpu = sim->in_dispatch ? sim->this_cpu : t->cpu;
	struct sim_dsq *dsq = sim_dsq(sim, dsq_id, cpu);

	if (!dsq) {
		sim_fail(sim,
			 "invalid DSQ ID (scx_bpf_dsq_insert to a queue that was not created)");
		return;
	}
	if (ordered && dsq->id != dsq_id) {
		sim_fail(sim, "cannot use vtime ordering for built-in DSQs");
		return;
	}
	p->scx.slice = slice ? slice : (p->scx.slice ? p->scx.slice : 1);
	if (ordered)
		p->scx.dsq_vtime = vtime;
	if (dsq_id == SCX_DSQ_LOCAL) {
		if (!sim_allowed(t, cpu))
			dsq = &sim->global;
		else
			move_to_cpu(t, cpu);
	}
	sim_dsq_remove(t);
	sim_dsq_insert(dsq, t, ordered ? vtime : 0, ordered);
	sim->dispatched++;
	if (dsq == &sim->cpus[t->cpu].local && !sim->cpus[t->cpu].curr)
		sim_resched(sim, t->cpu);
}

void scx_bpf_dsq_insert(struct task_struct *p, u64 dsq_id, u64 slice, u64 enq_flags)
{
	(void)enq_flags;
	insert(p, dsq_id, slice, 0, false);
}

void scx_bpf_dsq_insert_vtime(struct task_struct *p, u64 dsq_id, u64 slice, u64 vtime,
			      u64 enq_flags)
{
	(void)enq_flags;
	insert(p, dsq_id, slice, vtime, true);
}

bool scx_bpf_dsq_move_to_local(u64 dsq_id)
{
	struct sim *sim = sim_current;
	struct sim_dsq *dsq = sim_dsq(sim, dsq_id, sim->this_cpu);
	struct sim_task *t;

	if (!dsq || dsq_id == SCX_DSQ_LOCAL || !sim->in_dispatch)
		return false;
	t = sim_dsq_first_for(dsq, sim->this_cpu);
	if (!t)
		return false;
	sim_dsq_remove(t);
	move_to_cpu(t, sim->this_cpu);
	sim_dsq_insert(&sim->cpus[sim->this_cpu].local, t, 0, false);
	sim->dispatched++;
	return true;
}

/* ---- CPUs ---------------------------------------------------------------------------------- */

u32 scx_bpf_nr_cpu_ids(void)
{
	return (u32)sim_current->nr_cpus;
}

s32 scx_bpf_task_cpu(const struct task_struct *p)
{
	return sim_task_of(p)->cpu;
}

bool scx_bpf_test_and_clear_cpu_idle(s32 cpu)
{
	struct sim *sim = sim_current;
	bool idle;

	if (cpu < 0 || cpu >= sim->nr_cpus)
		return false;
	idle = sim->cpus[cpu].idle;
	sim->cpus[cpu].idle = false;
	return idle;
}

/* Each search starts after the CPU the last one found, as the kernel's
 * cpumask_any_and_distribute() does, so that wake-ups spread over the idle CPUs. */
s32 scx_bpf_pick_idle_cpu(const struct cpumask *cpus_allowed, u64 flags)
{
	struct sim *sim = sim_current;
	int i;

	(void)flags;
	for (i = 1; i <= sim->nr_cpus; i++) {
		int cpu = (int)((sim->pick_cursor + (u64)i) % (u64)sim->nr_cpus);

		if ((cpus_allowed->bits[0] >> cpu & 1) && sim->cpus[cpu].idle) {
			sim->cpus[cpu].idle = false;
			sim->pick_cursor = (u64)cpu;
			return cpu;
		}
	}
	return -EBUSY_;
}

static struct cpumask idle_mask;

const struct cpumask *scx_bpf_get_idle_cpumask(void)
{
	int cpu;

	idle_mask.bits[0] = 0;
	for (cpu = 0; cpu < sim_current->nr_cpus; cpu++)
		if (sim_current->cpus[cpu].idle)
			idle_mask.bits[0] |= 1UL << cpu;
	return &idle_mask;
}

void scx_bpf_put_idle_cpumask(const struct cpumask *cpumask)
{
	(void)cpumask;
}

void scx_bpf_kick_cpu(s32 cpu, u64 flags)
{
	struct sim *sim = sim_current;
	struct sim_cpu *c;

	if (cpu < 0 || cpu >= sim->nr_cpus)
		return;
	c = &sim->cpus[cpu];
	if ((flags & SCX_KICK_IDLE) && c->curr)
		return;
	if ((flags & SCX_KICK_PREEMPT) && c->curr)
		c->curr->p.scx.slice = 0;
	sim_resched(sim, cpu);
}

bool bpf_cpumask_test_cpu(u32 cpu, const struct cpumask *cpumask)
{
	return cpu < 64 && (cpumask->bits[0] >> cpu & 1);
}

u32 bpf_cpumask_first(const struct cpumask *cpumask)
{
	return cpumask->bits[0] ? (u32)__builtin_ctzl(cpumask->bits[0]) : 64;
}

/* The machine has no SMT siblings here: every idle CPU is a whole idle core. */
const struct cpumask *scx_bpf_get_idle_smtmask(void)
{
	return scx_bpf_get_idle_cpumask();
}

/* Cpumasks a program owns (CPU sets, topology domains): one word, as the model's CPUs are at most
 * 64.  A failed allocation is a NULL, as in the kernel. */
struct bpf_cpumask *bpf_cpumask_create(void)
{
	return calloc(1, sizeof(struct bpf_cpumask));
}

void bpf_cpumask_release(struct bpf_cpumask *cpumask)
{
	free(cpumask);
}

void bpf_cpumask_set_cpu(u32 cpu, struct bpf_cpumask *cpumask)
{
	if (cpu < 64)
		cpumask->cpumask.bits[0] |= 1UL << cpu;
}

bool bpf_cpumask_and(struct bpf_cpumask *dst, const struct cpumask *src1, const struct cpumask *src2)
{
	dst->cpumask.bits[0] = src1->bits[0] & src2->bits[0];
	return dst->cpumask.bits[0] != 0;
}

bool bpf_cpumask_intersects(const struct cpumask *src1, const struct cpumask *src2)
{
	return (src1->bits[0] & src2->bits[0]) != 0;
}

/* ---- Iterators ----------------------------------------------------------------------------- */

struct dsq_iter {
	struct sim_task *next;
};

struct num_iter {
	int cur, end;
};

_Static_assert(sizeof(struct dsq_iter) <= sizeof(struct bpf_iter_scx_dsq), "fits the kernel's");
_Static_assert(sizeof(struct num_iter) <= sizeof(struct bpf_iter_num), "fits the kernel's");

int bpf_iter_scx_dsq_new(struct bpf_iter_scx_dsq *it, u64 dsq_id, u64 flags)
{
	struct sim_dsq *dsq = sim_dsq(sim_current, dsq_id, sim_current->this_cpu);
	struct dsq_iter *state = (struct dsq_iter *)it;

	(void)flags;
	state->next = dsq ? dsq->head : NULL;
	return dsq ? 0 : -EINVAL_;
}

struct task_struct *bpf_iter_scx_dsq_next(struct bpf_iter_scx_dsq *it)
{
	struct dsq_iter *state = (struct dsq_iter *)it;
	struct sim_task *t = state->next;

	if (!t)
		return NULL;
	state->next = t->dsq_next;
	return &t->p;
}

void bpf_iter_scx_dsq_destroy(struct bpf_iter_scx_dsq *it)
{
	(void)it;
}

int bpf_iter_num_new(struct bpf_iter_num *it, int start, int end)
{
	struct num_iter *state = (struct num_iter *)it;

	state->cur = start - 1;
	state->end = end;
	return 0;
}

int *bpf_iter_num_next(struct bpf_iter_num *it)
{
	struct num_iter *state = (struct num_iter *)it;

	if (state->cur + 1 >= state->end)
		return NULL;
	state->cur++;
	return &state->cur;
}

void bpf_iter_num_destroy(struct bpf_iter_num *it)
{
	(void)it;
}
