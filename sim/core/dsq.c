// SPDX-License-Identifier: GPL-2.0-only
/*
 * dsq.c — dispatch queues: the global queue, each CPU's local queue and the policy's own.
 *
 * Takes a task and a queue; makes the kernel's two orders: FIFO (scx_bpf_dsq_insert) and by
 * vtime, smallest first, equal keys in arrival order (scx_bpf_dsq_insert_vtime; the kernel keeps
 * those in a red-black tree, this a list searched from its tail, where new keys mostly go).
 */
#include "sim.h"

/* The queue ID names from CPU's point of view (SCX_DSQ_LOCAL: CPU's local queue); NULL if none. */
struct sim_dsq *sim_dsq(struct sim *sim, u64 id, int cpu)
{
	if (id == SCX_DSQ_GLOBAL)
		return &sim->global;
	if (id == SCX_DSQ_LOCAL)
		return cpu >= 0 && cpu < sim->nr_cpus ? &sim->cpus[cpu].local : NULL;
	if (id < SIM_MAX_USER_DSQS && sim->user[id].exists)
		return &sim->user[id];
	return NULL;
}

void sim_dsq_insert(struct sim_dsq *dsq, struct sim_task *t, u64 key, bool ordered)
{
	struct sim_task *after = dsq->tail;

	if (ordered)
		while (after && (s64)(after->dsq_key - key) > 0)
			after = after->dsq_prev;
	t->dsq = dsq;
	t->dsq_key = key;
	t->dsq_prev = after;
	t->dsq_next = after ? after->dsq_next : dsq->head;
	if (t->dsq_next)
		t->dsq_next->dsq_prev = t;
	else
		dsq->tail = t;
	if (after)
		after->dsq_next = t;
	else
		dsq->head = t;
	dsq->nr++;
}

void sim_dsq_remove(struct sim_task *t)
{
	struct sim_dsq *dsq = t->dsq;

	if (!dsq)
		return;
	if (t->dsq_prev)
		t->dsq_prev->dsq_next = t->dsq_next;
	else
		dsq->head = t->dsq_next;
	if (t->dsq_next)
		t->dsq_next->dsq_prev = t->dsq_prev;
	else
		dsq->tail = t->dsq_prev;
	dsq->nr--;
	t->dsq = NULL;
	t->dsq_prev = t->dsq_next = NULL;
}

/* The first task of DSQ that may run on CPU, as the kernel's consume_dispatch_q() takes it. */
struct sim_task *sim_dsq_first_for(struct sim_dsq *dsq, int cpu)
{
	struct sim_task *t;

	for (t = dsq->head; t; t = t->dsq_next)
		if (sim_allowed(t, cpu))
			return t;
	return NULL;
}
