/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * sim.h — the simulated machine: CPUs, tasks, dispatch queues and the event queue.
 *
 * Takes a parsed workload (workload.h) and a loaded policy (policy.h); makes the state the event
 * core (core.c) drives and the kfuncs (kfuncs.c) read and change.  One simulation runs at a time
 * in a process: the kfuncs find it through sim_current, set while it runs.
 */
#ifndef SCXSIM_SIM_H
#define SCXSIM_SIM_H

#include "kernel.h"
#include <stdint.h>

#include "workload.h"

#define SIM_MAX_MAPS 16
#define SIM_MAX_USER_DSQS 64
#define SIM_DSP_MAX_LOOPS 32 /* the kernel's SCX_DSP_MAX_LOOPS */

struct sim_task;

/* A dispatch queue: FIFO (local and global queues) or ordered by a key (vtime inserts). */
struct sim_dsq {
	u64 id;
	struct sim_task *head, *tail;
	u32 nr;
	bool exists;
};

enum sim_task_state { TASK_NEW, TASK_SLEEPING, TASK_WAITING, TASK_RUNNING, TASK_DONE };

/* A sample list that grows: each wake-up's lateness, in ns. */
struct sim_samples {
	u64 *value;
	size_t count, capacity;
};

struct sim_task {
	struct task_struct p; /* what the policy sees */
	struct cred cred;
	struct cpumask allowed;
	const struct workload_task *spec;
	enum sim_task_state state;
	int cpu;	     /* the CPU whose run queue it is on (task_cpu) */
	int phase;	     /* index into spec->phases */
	u64 remaining;	     /* run time left in the current run phase */
	u64 exec_start;	     /* when it last started running, or was last charged */
	u64 generation;	     /* the phase-end event for this run; stale ones are ignored */
	u64 waiting_since;   /* when it last began to wait for a CPU */
	u64 woke_at;	     /* when it last woke */
	bool woke;	     /* it woke and has not run since: its lateness is still to count */
	struct sim_dsq *dsq; /* the queue it waits in, or NULL */
	struct sim_task *dsq_prev, *dsq_next;
	u64 dsq_key;
	void *storage[SIM_MAX_MAPS];
	/* Metrics */
	u64 wait_ns, switches, migrations, wakeups;
	struct sim_samples lateness;
};

struct sim_cpu {
	int id;
	struct sim_task *curr;
	struct sim_dsq local;
	bool idle;	      /* its bit in the idle cpumask */
	bool resched_pending; /* a reschedule event is queued */
	u64 busy_ns;
};

enum sim_event_kind {
	EVENT_ARRIVE,
	EVENT_WAKE,
	EVENT_PHASE_END,
	EVENT_TICK,
	EVENT_RESCHED,
	EVENT_WATCHDOG
};

struct sim_event {
	u64 time;
	u64 seq;
	u64 generation;
	u32 kind;
	u32 target;
};

/* A registered map: its definition's address and its storage. */
struct sim_map {
	const void *definition;
	u32 value_size, entries;
	bool task_storage;
	void *percpu; /* entries * value_size bytes per CPU */
};

struct sim {
	const struct workload *workload;
	const struct sched_ext_ops *ops;
	u64 now, end, seed, rng;
	int nr_cpus, nr_tasks, this_cpu;
	struct sim_cpu *cpus;
	struct sim_task *tasks;
	struct sim_dsq global;
	struct sim_dsq user[SIM_MAX_USER_DSQS];
	struct sim_map maps[SIM_MAX_MAPS];
	int nr_maps;
	struct sim_event *heap;
	size_t heap_count, heap_capacity;
	u64 seq, events, pick_cursor, dispatched; /* dispatched: inserts, counted per dispatch */
	bool in_dispatch;
	char error[256]; /* why the run ended early (the kernel's exit reason); "" if it did not */
};

extern struct sim *sim_current;

/* core.c */
void sim_init(struct sim *sim, const struct workload *workload, const struct sched_ext_ops *ops,
	      u64 seed);
void sim_run(struct sim *sim);
void sim_free(struct sim *sim);
void sim_resched(struct sim *sim, int cpu);
void sim_fail(struct sim *sim, const char *reason);

/* events.c */
void sim_push(struct sim *sim, u64 time, enum sim_event_kind kind, u32 target, u64 generation);
bool sim_pop(struct sim *sim, struct sim_event *event);

/* dsq.c */
struct sim_dsq *sim_dsq(struct sim *sim, u64 id, int cpu);
void sim_dsq_insert(struct sim_dsq *dsq, struct sim_task *t, u64 key, bool ordered);
void sim_dsq_remove(struct sim_task *t);
struct sim_task *sim_dsq_first_for(struct sim_dsq *dsq, int cpu);

static inline struct sim_task *sim_task_of(const struct task_struct *p)
{
	return (struct sim_task *)((char *)p - offsetof(struct sim_task, p));
}

static inline bool sim_allowed(const struct sim_task *t, int cpu)
{
	return cpu >= 0 && cpu < 64 && (t->allowed.bits[0] >> cpu & 1);
}

#endif
