/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * workload.h — what the parts of the workload program share.
 *
 * A task as the command line asked for it and as its thread measured it; the run's times, which
 * the controller sets before the threads start; and each part's entry points: the command line
 * (workload_options.c), the task threads and their patterns (workload_tasks.c), the JSON report
 * (workload_report.c) and the controller that times the run (workload.c).
 */
#ifndef SCXC_WORKLOAD_H
#define SCXC_WORKLOAD_H

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "scxc/contract.h"

#ifndef SCHED_EXT
#define SCHED_EXT 7
#endif

#define NSEC_PER_SEC 1000000000LL
#define CGROUP_PATH_MAX 256 /* a cgroup path the workload takes or reports */
#define MAX_TASKS 64
#define MAX_SLOTS 10000
#define RING_MAX 15   /* longest ring name */
#define WAKE_CPUS 256 /* CPUs whose wake-ups a sleeper counts (wakeups_by_cpu) */
#define MOVE_CPUS 64  /* CPUs whose moves from one wake-up to the next it counts (wake_moves) */

enum pattern {
	PATTERN_HOG,	  /* spins, never sleeps */
	PATTERN_SLEEP,	  /* sleeps, wakes, runs, repeats */
	PATTERN_RING,	  /* waits for a token, runs, hands it on */
	PATTERN_PERIODIC, /* a job of run_ns at every period_ns, due deadline_ns after its release */
};

/* One timed event inside the window: a sleeper's wake-up or a periodic task's job. */
struct event {
	int64_t at_ns;	     /* window-relative: the wake-up's intended time, the job's release */
	int64_t lateness_ns; /* wake-up: past the intended time; job: completion - deadline */
	bool job;
};

struct task {
	/* What was asked for. */
	char name[SCXC_COMM_MAX + 1];
	int nice;
	int cpu;       /* -1: not pinned */
	int start_cpu; /* start=: runs first on this CPU, then wherever it may; -1: none */
	bool limited;  /* cpus= was given: it may run only on `allowed` */
	cpu_set_t allowed;
	int policy; /* policy=P: the SCHED_* it switches to (SCHED_OTHER: it keeps its own) */
	enum pattern pattern;
	int64_t run_ns;		   /* CPU time per burst or job */
	int64_t sleep_ns;	   /* PATTERN_SLEEP: sleep between bursts */
	int64_t period_ns;	   /* PATTERN_PERIODIC: time between releases */
	int64_t deadline_ns;	   /* PATTERN_PERIODIC: a job's deadline after its release */
	char ring[RING_MAX + 1];   /* PATTERN_RING: the ring's name */
	bool phased;		   /* then= and at= were given */
	enum pattern then_pattern; /* the second phase: PATTERN_HOG or PATTERN_SLEEP */
	int64_t then_run_ns, then_sleep_ns;
	int64_t phase_at_ns; /* window-relative time of the switch */

	/* What happened. */
	pthread_t thread;
	int setup_error;      /* errno of a failed set-up step, reported by main */
	const char *failed;   /* which step failed */
	int64_t *cpu_at_ns;   /* thread CPU time at the slot boundaries: [0] window start ... end */
	struct event *events; /* in the order they happened */
	size_t nr_events, events_capacity;
	cpu_set_t cpus_seen;	     /* CPUs it was sampled on inside the window */
	int last_cpu;		     /* the previous sample's CPU; -1: none yet */
	uint64_t migrations;	     /* samples that differed from the previous one */
	uint32_t woke_on[WAKE_CPUS]; /* PATTERN_SLEEP: the timed wake-ups, by the CPU woken on */
	uint32_t woke_moves[MOVE_CPUS]
			   [MOVE_CPUS]; /* ... by the CPU of the wake-up before and this */
	int last_woke;	    /* the CPU of its previous wake-up, in the window or before; -1: none */
	int64_t max_gap_ns; /* longest interval in the window between two looks at the clock */
	bool drained;	    /* PATTERN_PERIODIC: done with the jobs released in the window */
	int policy_seen; /* its policy as the kernel reported it at the end (sched_getscheduler) */

	/* Ring plumbing, set by main before the threads start. */
	int pipe_fds[2]; /* this task's pipe: it reads [0]; its predecessor writes [1] */
	int next_fd;	 /* the write end of the next task's pipe */
	bool ring_first; /* injects the token */
	uint64_t passes; /* tokens received inside the window */
};

/* What the command line asked of the run as a whole. */
struct options {
	int64_t window_ns, warmup_ns;
	int64_t slot_ns; /* 0: no --slot */
	int nr_slots;	 /* window_ns / slot_ns; 1 without --slot */
	const char *controller_name;
	const char *cgroup;  /* --cgroup: the group the process starts in; NULL: stays */
	const char *move_to; /* --move PATH@DUR: the group it moves to; NULL: none */
	int64_t move_at_ns;  /* window-relative time of the move */
	char cgroup_seen
		[2]
		[CGROUP_PATH_MAX]; /* where /proc/self/cgroup put it: at the start, after the move */
	int64_t moved_at_ns;	   /* window-relative time the move was made */
};

extern struct task tasks[MAX_TASKS];
extern int nr_tasks;

/* The run's times (CLOCK_MONOTONIC), written by the controller before the threads pass the start
 * line: the run starts (periodic releases count from here), the warm-up ends and the window
 * starts, the window ends. */
extern int64_t run_start_ns, window_start_ns, window_end_ns;
extern pthread_barrier_t start_line;
extern atomic_bool stop;
extern atomic_bool in_window; /* set by the controller while it measures */

int64_t clock_ns(clockid_t clock);
void sleep_until(int64_t monotonic_ns);

/* workload_options.c: fills `tasks` and *OPTIONS from the command line; prints the help and exits 0
 * on --help; on bad input says why and exits 2. */
void parse_command_line(int argc, char **argv, struct options *options);

/* workload_tasks.c */
void *task_main(void *task);
bool link_rings(void); /* gives ring tasks their pipes; false (having said why) on failure */
void stop_rings(void); /* wakes ring tasks out of their reads once `stop` is set */
void close_rings(void);
void expect_drains(void); /* before the threads start: count the periodic tasks */
/* Waits until every periodic task has finished the jobs released in the window, or until
 * LIMIT_NS (CLOCK_MONOTONIC). */
void wait_for_drains(int64_t limit_ns);

/* workload_report.c */
void read_cpu_start(void); /* /proc/stat at window start and end */
void read_cpu_end(void);
void print_report(const struct options *options, int64_t window_ns);

/* policy=P: the SCHED_* number of "normal", "batch", "idle" or "ext", else -1; and a number's
 * name ("normal", …, or "other" for one the workload never asks for) (workload_options.c). */
int policy_number(const char *name);
const char *policy_name(int policy);

/* workload_cgroup.c: a cgroup path from the command line is absolute and short enough; moves
 * the whole process into PATH (made if missing) and writes where it then is into WHERE. */
bool cgroup_path_ok(const char *path);
bool join_cgroup(const char *path, char where[CGROUP_PATH_MAX]);

#endif
