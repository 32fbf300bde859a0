// SPDX-License-Identifier: GPL-2.0-only
/*
 * core.c — the event core: a deterministic model of how sched_ext drives a scheduler.
 *
 * Takes a workload and the policy's struct_ops table (policy.c); makes a run: tasks arrive, run
 * their phases and sleep, and the callbacks are called as kernel/sched/ext.c calls them.  A
 * wake-up calls select_cpu (only for a task allowed more than one CPU), then runnable and
 * enqueue; a CPU whose run queue gains a task while it idles reschedules.  A reschedule keeps the
 * running task while its slice lasts; else takes its local queue, then the global queue, then
 * calls dispatch (up to 32 rounds while it inserts anything), and keeps the previous task if it
 * is still runnable and nothing else was found.  A task switched out with its slice used up gets
 * stopping(p, true) and enqueue(p, 0); one that sleeps gets stopping(p, false).  Slices are used
 * up continuously but expire only at ticks.  The watchdog ends the run when a task waits longer
 * than 30 s.  Time is simulated; same-time events run in the order they were made, and random
 * phase lengths come from one seeded generator, so a run depends only on its inputs.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checked.h"
#include "sim.h"

#define WATCHDOG_TIMEOUT_NS 30000000000ULL /* the kernel's default scx_watchdog_timeout */

/* The kernel's sched_prio_to_weight, nice -20 .. 19. */
static const u32 prio_to_weight[40] = {
	88761, 71755, 56483, 46273, 36291, 29154, 23254, 18705, 14949, 11916,
	9548,  7620,  6100,  4904,  3906,  3121,  2501,	 1991,	1586,  1277,
	1024,  820,   655,   526,   423,   335,	  272,	 215,	172,   137,
	110,   87,    70,    56,    45,	   36,	  29,	 23,	18,    15,
};

/* sched_ext's weight of a nice level: the CFS weight scaled so that nice 0 is 100, rounded. */
static u32 scx_weight(int nice)
{
	u32 weight = (prio_to_weight[nice + 20] * 100 + 512) / 1024;

	return weight < 1 ? 1 : weight;
}

static u64 next_random(struct sim *sim)
{
	/* splitmix64 */
	u64 z = (sim->rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static u64 draw(struct sim *sim, const struct workload_phase *phase)
{
	if (phase->max == phase->min)
		return phase->min;
	return phase->min + next_random(sim) % (phase->max - phase->min + 1);
}

void sim_fail(struct sim *sim, const char *reason)
{
	if (!sim->error[0])
		snprintf(sim->error, sizeof(sim->error), "%s", reason);
	sim->end = sim->now;
}

void sim_resched(struct sim *sim, int cpu)
{
	if (sim->cpus[cpu].resched_pending)
		return;
	sim->cpus[cpu].resched_pending = true;
	sim_push(sim, sim->now, EVENT_RESCHED, (u32)cpu, 0);
}

/* Moves T through its phases to the next run phase; returns how long it sleeps before it. */
static u64 next_run(struct sim *sim, struct sim_task *t)
{
	u64 sleep = 0;

	if (t->spec->hog) {
		t->remaining = UINT64_MAX;
		return 0;
	}
	for (;;) {
		const struct workload_phase *phase = &t->spec->phases[t->phase];
		u64 length = draw(sim, phase);

		t->phase = (t->phase + 1) % t->spec->nr_phases;
		if (phase->kind == PHASE_RUN) {
			t->remaining = length;
			return sleep;
		}
		sleep += length;
	}
}

/* The kernel's update_curr_scx(): charges the running task of C for the time since it was last
 * charged, and uses up its slice by as much. */
static void update_curr(struct sim *sim, struct sim_cpu *c)
{
	struct sim_task *t = c->curr;
	u64 delta = sim->now - t->exec_start;

	t->exec_start = sim->now;
	t->p.se.sum_exec_runtime += delta;
	t->p.scx.slice -= delta < t->p.scx.slice ? delta : t->p.scx.slice;
	if (t->remaining != UINT64_MAX)
		t->remaining -= delta < t->remaining ? delta : t->remaining;
	c->busy_ns += delta;
}

static int first_allowed(const struct sim_task *t)
{
	return __builtin_ctzll(t->allowed.bits[0]);
}

/* T becomes runnable: arrives (ENQ_FLAGS 0) or wakes (SCX_ENQ_WAKEUP). */
static void activate(struct sim *sim, struct sim_task *t, u64 enq_flags)
{
	int cpu = t->cpu;

	t->state = TASK_WAITING;
	t->waiting_since = sim->now;
	t->woke_at = sim->now;
	t->woke = true;
	t->wakeups++;
	sim->this_cpu = t->cpu;
	if (t->p.nr_cpus_allowed > 1)
		cpu = sim->ops->select_cpu(&t->p, t->cpu, 0);
	if (!sim_allowed(t, cpu) || cpu >= sim->nr_cpus)
		cpu = sim_allowed(t, t->cpu) ? t->cpu : first_allowed(t); /* select_fallback_rq */
	if (cpu != t->cpu) {
		t->cpu = cpu;
		t->migrations++;
	}
	t->p.scx.flags |= SCX_TASK_QUEUED;
	sim->this_cpu = cpu;
	sim->ops->runnable(&t->p, enq_flags);
	sim->ops->enqueue(&t->p, enq_flags);
	if (!sim->cpus[t->cpu].curr)
		sim_resched(sim, t->cpu); /* wakeup_preempt() on an idle CPU */
}

/* T starts running on C. */
static void start(struct sim *sim, struct sim_cpu *c, struct sim_task *t)
{
	sim_dsq_remove(t);
	c->curr = t;
	c->idle = false;
	t->state = TASK_RUNNING;
	t->exec_start = sim->now;
	t->wait_ns += sim->now - t->waiting_since;
	if (t->woke) {
		struct sim_samples *s = &t->lateness;

		if (s->count == s->capacity) {
			s->capacity = s->capacity ? 2 * s->capacity : 16;
			s->value = checked(realloc(s->value, s->capacity * sizeof(*s->value)));
		}
		s->value[s->count++] = sim->now - t->woke_at;
		t->woke = false;
	}
	t->switches++;
	t->generation++;
	sim->ops->running(&t->p);
	if (t->remaining != UINT64_MAX)
		sim_push(sim, sim->now + t->remaining, EVENT_PHASE_END, (u32)(t - sim->tasks),
			 t->generation);
}

/* Moves the first task of the global queue that C may run to C's local queue. */
static bool consume_global(struct sim *sim, struct sim_cpu *c)
{
	struct sim_task *t = sim_dsq_first_for(&sim->global, c->id);

	if (!t)
		return false;
	sim_dsq_remove(t);
	if (t->cpu != c->id) {
		t->cpu = c->id;
		t->migrations++;
	}
	sim_dsq_insert(&c->local, t, 0, false);
	return true;
}

/* The kernel's balance_scx() and pick_task_scx(): true to keep PREV running. */
static bool balance(struct sim *sim, struct sim_cpu *c, struct sim_task *prev, bool prev_on)
{
	int loops;

	if (prev_on && prev->p.scx.slice)
		return true;
	if (c->local.nr || consume_global(sim, c))
		return false;
	for (loops = 0;; loops++) {
		if (loops == SIM_DSP_MAX_LOOPS) {
			sim_resched(sim, c->id);
			break;
		}
		sim->dispatched = 0;
		sim->in_dispatch = true;
		sim->ops->dispatch(c->id, prev ? &prev->p : NULL);
		sim->in_dispatch = false;
		if (prev_on && prev->p.scx.slice)
			return true;
		if (c->local.nr || consume_global(sim, c))
			return false;
		if (!sim->dispatched)
			break;
	}
	return prev_on; /* nothing else: the previous task runs on */
}

static void schedule(struct sim *sim, struct sim_cpu *c)
{
	struct sim_task *prev = c->curr, *next;
	bool prev_on = prev && prev->state == TASK_RUNNING;

	sim->this_cpu = c->id;
	if (prev_on)
		update_curr(sim, c);
	if (balance(sim, c, prev, prev_on)) {
		if (!prev->p.scx.slice)
			prev->p.scx.slice = SCX_SLICE_DFL;
		return;
	}
	next = c->local.head;
	if (next)
		sim_dsq_remove(next);
	c->curr = NULL;
	if (prev_on) {
		/* put_prev_task_scx(): its slice is used up, so it goes back through enqueue. */
		prev->generation++;
		prev->state = TASK_WAITING;
		prev->waiting_since = sim->now;
		sim->ops->stopping(&prev->p, true);
		sim->this_cpu = c->id;
		sim->ops->enqueue(&prev->p, 0);
	}
	if (next) {
		sim->this_cpu = c->id;
		start(sim, c, next);
	} else {
		c->idle = true;
	}
}

/* The running task T has finished its run phase: it runs on into the next, or sleeps. */
static void phase_end(struct sim *sim, struct sim_task *t)
{
	struct sim_cpu *c = &sim->cpus[t->cpu];
	u64 sleep;

	sim->this_cpu = c->id;
	update_curr(sim, c);
	sleep = next_run(sim, t);
	if (!sleep) {
		sim_push(sim, sim->now + t->remaining, EVENT_PHASE_END, (u32)(t - sim->tasks),
			 t->generation);
		return;
	}
	t->generation++;
	t->state = TASK_SLEEPING;
	sim->ops->stopping(&t->p, false);
	t->p.scx.flags &= ~(u32)SCX_TASK_QUEUED;
	sim_push(sim, sim->now + sleep, EVENT_WAKE, (u32)(t - sim->tasks), 0);
	schedule(sim, c);
}

static void arrive(struct sim *sim, struct sim_task *t)
{
	u64 sleep;

	t->cpu = sim_allowed(t, (int)(t - sim->tasks) % sim->nr_cpus)
			 ? (int)(t - sim->tasks) % sim->nr_cpus
			 : first_allowed(t);
	sim->this_cpu = t->cpu;
	sim->ops->enable(&t->p);
	sleep = next_run(sim, t);
	if (!sleep) {
		activate(sim, t, 0);
		return;
	}
	t->state = TASK_SLEEPING;
	sim_push(sim, sim->now + sleep, EVENT_WAKE, (u32)(t - sim->tasks), 0);
}

static void tick(struct sim *sim)
{
	int cpu;

	for (cpu = 0; cpu < sim->nr_cpus; cpu++) {
		struct sim_cpu *c = &sim->cpus[cpu];

		if (!c->curr)
			continue;
		sim->events++;
		update_curr(sim, c);
		if (!c->curr->p.scx.slice)
			sim_resched(sim, cpu);
	}
	sim_push(sim, sim->now + sim->workload->tick, EVENT_TICK, 0, 0);
}

static void watchdog(struct sim *sim)
{
	int i;

	for (i = 0; i < sim->nr_tasks; i++) {
		struct sim_task *t = &sim->tasks[i];
		char reason[sizeof(sim->error)];

		if (t->state != TASK_WAITING || sim->now - t->waiting_since <= WATCHDOG_TIMEOUT_NS)
			continue;
		snprintf(reason, sizeof(reason),
			 "runnable task stall (%s[%d] failed to run for %llu.%03llus)", t->p.comm,
			 t->p.pid, (sim->now - t->waiting_since) / 1000000000,
			 (sim->now - t->waiting_since) / 1000000 % 1000);
		sim_fail(sim, reason);
		return;
	}
	sim_push(sim, sim->now + WATCHDOG_TIMEOUT_NS / 2, EVENT_WATCHDOG, 0, 0);
}

void sim_init(struct sim *sim, const struct workload *workload, const struct sched_ext_ops *ops,
	      u64 seed)
{
	u64 machine = workload->cpus < 64 ? (1ULL << workload->cpus) - 1 : ~0ULL;
	int i;

	*sim = (struct sim){ .workload = workload,
			     .ops = ops,
			     .seed = seed,
			     .rng = seed,
			     .nr_cpus = workload->cpus,
			     .nr_tasks = workload->nr_tasks,
			     .end = workload->duration };
	sim->global.id = SCX_DSQ_GLOBAL;
	sim->cpus = checked(calloc((size_t)sim->nr_cpus, sizeof(*sim->cpus)));
	for (i = 0; i < sim->nr_cpus; i++)
		sim->cpus[i] = (struct sim_cpu){ .id = i,
						 .idle = true,
						 .local = { .id = SCX_DSQ_LOCAL, .exists = true } };
	sim->tasks = checked(calloc((size_t)sim->nr_tasks, sizeof(*sim->tasks)));
	for (i = 0; i < sim->nr_tasks; i++) {
		struct sim_task *t = &sim->tasks[i];
		const struct workload_task *spec = &workload->tasks[i];

		t->spec = spec;
		t->allowed.bits[0] = (unsigned long)(spec->cpus & machine);
		t->cred.uid.val = spec->uid;
		t->cred.gid.val = spec->uid;
		t->p.pid = t->p.tgid = 1000 + i;
		t->p.static_prio = SCXC_DEFAULT_PRIO + spec->nice;
		t->p.real_cred = &t->cred;
		t->p.cpus_ptr = &t->allowed;
		t->p.nr_cpus_allowed = __builtin_popcountll(t->allowed.bits[0]);
		memcpy(t->p.comm, spec->comm, sizeof(spec->comm));
		t->p.scx.weight = scx_weight(spec->nice);
		sim_push(sim, spec->start, EVENT_ARRIVE, (u32)i, 0);
	}
	sim_push(sim, workload->tick, EVENT_TICK, 0, 0);
	sim_push(sim, WATCHDOG_TIMEOUT_NS / 2, EVENT_WATCHDOG, 0, 0);
}

void sim_run(struct sim *sim)
{
	struct sim_event event;
	s32 err;
	int i;

	sim_current = sim;
	err = sim->ops->init();
	if (err) {
		snprintf(sim->error, sizeof(sim->error), "ops.init() failed (%d)", err);
		return;
	}
	while (sim->now < sim->end && sim_pop(sim, &event) && event.time <= sim->end) {
		struct sim_task *t = &sim->tasks[event.target];

		sim->now = event.time;
		sim->events++;
		switch ((enum sim_event_kind)event.kind) {
		case EVENT_ARRIVE: arrive(sim, t); break;
		case EVENT_WAKE: activate(sim, t, SCX_ENQ_WAKEUP); break;
		case EVENT_PHASE_END:
			if (t->state == TASK_RUNNING && event.generation == t->generation)
				phase_end(sim, t);
			break;
		case EVENT_TICK: tick(sim); break;
		case EVENT_RESCHED:
			sim->cpus[event.target].resched_pending = false;
			schedule(sim, &sim->cpus[event.target]);
			break;
		case EVENT_WATCHDOG: watchdog(sim); break;
		}
	}
	if (!sim->error[0])
		sim->now = sim->end;
	for (i = 0; i < sim->nr_cpus; i++)
		if (sim->cpus[i].curr)
			update_curr(sim, &sim->cpus[i]);
	for (i = 0; i < sim->nr_tasks; i++)
		if (sim->tasks[i].state == TASK_WAITING)
			sim->tasks[i].wait_ns += sim->now - sim->tasks[i].waiting_since;
}

void sim_free(struct sim *sim)
{
	int i, j;

	for (i = 0; i < sim->nr_tasks; i++) {
		free(sim->tasks[i].lateness.value);
		for (j = 0; j < SIM_MAX_MAPS; j++)
			free(sim->tasks[i].storage[j]);
	}
	for (i = 0; i < sim->nr_maps; i++)
		free(sim->maps[i].percpu);
	free(sim->tasks);
	free(sim->cpus);
	free(sim->heap);
	if (sim_current == sim)
		sim_current = NULL;
}
