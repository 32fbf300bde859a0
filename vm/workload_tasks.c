/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * workload_tasks.c — the task threads of the workload program and their patterns.
 *
 * Takes a task as workload_options.c filled it in and the run's times from the controller; sets
 * the thread up (comm, nice value, CPU, SCHED_EXT), waits at the start line, then runs its pattern
 * — a hog, a sleeper, a ring member or a periodic task with deadlines — and, if it has two phases,
 * switches to the second at its time.  Makes the task's measurements: its wake-ups and jobs inside
 * the window (struct event), the CPUs it was seen on, its migrations and the longest gap between
 * two looks at the clock while it spun.  Also the ring pipes and the controller's wait for the
 * periodic tasks to finish the jobs released in the window.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "workload.h"

/* A hog's loop iterations between looks at the clock, the stop flag and its CPU. */
#define SPIN_BLOCK 4096
/* The longest a task sleeps without looking at the stop flag. */
#define NAP_MAX_NS (100 * 1000000LL)
#define TOKEN_BYTE 't' /* what a ring passes round */
#define STOP_BYTE 's'  /* what the controller puts in every ring pipe when the run is over */
#define FOREVER INT64_MAX

/* The periodic tasks that have not yet finished the jobs released in the window. */
static pthread_mutex_t drain_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t drain_done;
static int pending_drains;

static bool stopping(void)
{
	return atomic_load_explicit(&stop, memory_order_relaxed);
}

/* Sleeps until WHEN (CLOCK_MONOTONIC) or, for a long sleep, until the run is over: in naps of at
 * most NAP_MAX_NS, so that the controller never waits long to join a thread. */
static void nap_until(int64_t when)
{
	for (;;) {
		int64_t now = clock_ns(CLOCK_MONOTONIC);
		if (now >= when || stopping())
			return;
		sleep_until(when - now > NAP_MAX_NS ? now + NAP_MAX_NS : when);
	}
}

/* Inside the window, notes which CPU the task is on now. */
static void note_cpu(struct task *t)
{
	if (!atomic_load_explicit(&in_window, memory_order_relaxed))
		return;
	int cpu = sched_getcpu();
	if (cpu < 0 || cpu >= CPU_SETSIZE)
		return;
	CPU_SET(cpu, &t->cpus_seen);
	if (t->last_cpu >= 0 && cpu != t->last_cpu)
		t->migrations++;
	t->last_cpu = cpu;
}

/* A look at the clock (CLOCK_MONOTONIC, through the vDSO) at NOW by a task that has been running
 * since its previous look at *LAST: the part of that interval inside the window may be the
 * longest it was kept off its CPU. */
static void look(struct task *t, int64_t *last, int64_t now)
{
	int64_t from = *last > window_start_ns ? *last : window_start_ns;
	int64_t to = now < window_end_ns ? now : window_end_ns;
	if (to - from > t->max_gap_ns)
		t->max_gap_ns = to - from;
	*last = now;
}

static void record(struct task *t, int64_t at, int64_t lateness, bool job)
{
	if (t->nr_events == t->events_capacity) {
		size_t capacity = t->events_capacity ? 2 * t->events_capacity : 1024;
		struct event *grown = realloc(t->events, capacity * sizeof *grown);
		if (!grown)
			return; /* keep the samples so far */
		t->events = grown;
		t->events_capacity = capacity;
	}
	t->events[t->nr_events++] = (struct event){ .at_ns = at - window_start_ns,
						    .lateness_ns = lateness,
						    .job = job };
}

/* Spins until this thread has used NS more CPU time (true), or until the run is over or UNTIL
 * (CLOCK_MONOTONIC) has come (false); notes its CPU and the gaps as it goes. */
static bool burn_cpu(struct task *t, int64_t ns, int64_t until)
{
	int64_t used = clock_ns(CLOCK_THREAD_CPUTIME_ID) + ns;
	int64_t last = clock_ns(CLOCK_MONOTONIC);
	while (!stopping()) {
		if (clock_ns(CLOCK_THREAD_CPUTIME_ID) >= used)
			return true;
		int64_t now = clock_ns(CLOCK_MONOTONIC);
		look(t, &last, now);
		if (now >= until)
			return false;
		note_cpu(t);
	}
	return false;
}

/* A hog until UNTIL: looks at the clock and its CPU every SPIN_BLOCK iterations (microseconds
 * natively, well under a millisecond under TCG). */
static void spin(struct task *t, int64_t until)
{
	volatile uint64_t counter = 0;
	int64_t last = clock_ns(CLOCK_MONOTONIC);
	while (!stopping()) {
		for (int i = 0; i < SPIN_BLOCK; i++)
			counter++;
		int64_t now = clock_ns(CLOCK_MONOTONIC);
		look(t, &last, now);
		if (now >= until)
			return;
		note_cpu(t);
	}
}

/* Sleeps SLEEP_NS, wakes, burns RUN_NS, repeats, until UNTIL; times the wake-ups whose intended
 * time is in the window. */
static void sleep_and_run(struct task *t, int64_t sleep_ns, int64_t run_ns, int64_t until)
{
	while (!stopping()) {
		int64_t target = clock_ns(CLOCK_MONOTONIC) + sleep_ns;
		if (target >= until) {
			nap_until(until);
			return;
		}
		nap_until(target);
		int64_t woke = clock_ns(CLOCK_MONOTONIC);
		note_cpu(t);
		int cpu = sched_getcpu();
		if (target >= window_start_ns && woke <= window_end_ns) {
			if (cpu >= 0 && cpu < WAKE_CPUS)
				t->woke_on[cpu]++;
			if (cpu >= 0 && cpu < MOVE_CPUS && t->last_woke >= 0 &&
			    t->last_woke < MOVE_CPUS)
				t->woke_moves[t->last_woke][cpu]++;
			record(t, target, woke - target, false);
		}
		t->last_woke = cpu;
		if (run_ns > 0 && !burn_cpu(t, run_ns, until))
			return;
	}
}

/* The controller may end the run once every periodic task has said this. */
static void mark_drained(struct task *t)
{
	if (t->drained)
		return;
	t->drained = true;
	pthread_mutex_lock(&drain_lock);
	if (--pending_drains == 0)
		pthread_cond_signal(&drain_done);
	pthread_mutex_unlock(&drain_lock);
}

static int64_t release_of(const struct task *t, int64_t k)
{
	return run_start_ns + k * t->period_ns;
}

/* The periodic phase (which releases jobs until UNTIL) ended at END with job K unfinished: jobs K
 * and later released in the window and before END whose deadline has passed count as missed,
 * completed at END (so their lateness is a lower bound); those still within their deadline are not
 * counted. */
static void abandon_jobs(struct task *t, int64_t k, int64_t end, int64_t until)
{
	for (;; k++) {
		int64_t release = release_of(t, k);
		if (release >= end || release >= until || release >= window_end_ns)
			return;
		int64_t deadline = release + t->deadline_ns;
		if (release >= window_start_ns && deadline < end)
			record(t, release, end - deadline, true);
	}
}

/* Releases job k at run_start_ns + k * period_ns, sleeping until then if it is ahead; each job
 * burns run_ns.  A job that ends after the next release is followed at once by the next one:
 * no release is skipped.  Records the jobs released in the window; until UNTIL. */
static void run_jobs(struct task *t, int64_t until)
{
	for (int64_t k = 0;; k++) {
		int64_t release = release_of(t, k);
		if (release >= until)
			break;
		if (release >= window_end_ns)
			mark_drained(t);
		if (clock_ns(CLOCK_MONOTONIC) < release) {
			nap_until(release);
			note_cpu(t);
		}
		if (!burn_cpu(t, t->run_ns, until)) {
			abandon_jobs(t, k, clock_ns(CLOCK_MONOTONIC), until);
			break;
		}
		int64_t done = clock_ns(CLOCK_MONOTONIC);
		if (release >= window_start_ns && release < window_end_ns)
			record(t, release, done - (release + t->deadline_ns), true);
	}
	mark_drained(t);
}

/* Ring pipes carry single bytes: at most the token and one stop byte are ever in a pipe, so a write
 * never blocks. */
static void send_byte(int fd, char byte)
{
	while (write(fd, &byte, 1) < 0 && errno == EINTR)
		;
}

static bool receive_byte(int fd, char *byte)
{
	ssize_t n;
	while ((n = read(fd, byte, 1)) < 0 && errno == EINTR)
		;
	return n == 1;
}

/* A ring member: waits for the token, runs, hands it on.  Ends on the controller's stop byte (or on
 * the token arriving after the stop), so no member stays blocked in read. */
static void pass_token(struct task *t)
{
	if (t->ring_first)
		send_byte(t->next_fd, TOKEN_BYTE);
	for (;;) {
		char byte;
		if (!receive_byte(t->pipe_fds[0], &byte) || byte == STOP_BYTE || stopping())
			return;
		if (atomic_load_explicit(&in_window, memory_order_relaxed))
			t->passes++;
		note_cpu(t);
		if (t->run_ns > 0)
			burn_cpu(t, t->run_ns, FOREVER);
		send_byte(t->next_fd, TOKEN_BYTE);
	}
}

/* Sets a task up as asked; on failure notes the step and errno for main to report. */
static void set_up(struct task *t)
{
	if (prctl(PR_SET_NAME, t->name, 0, 0, 0) != 0) {
		t->failed = "set the name";
		t->setup_error = errno;
		return;
	}
	if (setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), t->nice) != 0) {
		t->failed = "set the nice value";
		t->setup_error = errno;
		return;
	}
	if (t->cpu >= 0) {
		cpu_set_t set;
		CPU_ZERO(&set);
		CPU_SET(t->cpu, &set);
		if (sched_setaffinity(0, sizeof set, &set) != 0) {
			t->failed = "pin to its CPU";
			t->setup_error = errno;
			return;
		}
	}
	if (t->limited && sched_setaffinity(0, sizeof t->allowed, &t->allowed) != 0) {
		t->failed = "limit it to its CPUs (cpus=)";
		t->setup_error = errno;
		return;
	}
	if (t->start_cpu >= 0) {
		/* Pinning moves the thread there at once; then it may go anywhere it could before. */
		cpu_set_t allowed, start;
		CPU_ZERO(&start);
		CPU_SET(t->start_cpu, &start);
		if (sched_getaffinity(0, sizeof allowed, &allowed) != 0 ||
		    sched_setaffinity(0, sizeof start, &start) != 0 ||
		    sched_getcpu() != t->start_cpu ||
		    sched_setaffinity(0, sizeof allowed, &allowed) != 0) {
			t->failed = "start on its CPU (start=)";
			t->setup_error = errno;
			return;
		}
	}
	if (t->policy != SCHED_OTHER &&
	    sched_setscheduler(0, t->policy, &(struct sched_param){ 0 }) != 0) {
		t->failed = t->policy != SCHED_EXT ? "switch to its policy"
			    : errno == EINVAL
				    ? "switch to SCHED_EXT (policy=ext; has the kernel sched_ext?)"
				    : "switch to SCHED_EXT (policy=ext)";
		t->setup_error = errno;
	}
}

static void run_pattern(struct task *t, enum pattern pattern, int64_t sleep_ns, int64_t run_ns,
			int64_t until)
{
	switch (pattern) {
	case PATTERN_HOG: spin(t, until); break;
	case PATTERN_SLEEP: sleep_and_run(t, sleep_ns, run_ns, until); break;
	case PATTERN_RING: pass_token(t); break;
	case PATTERN_PERIODIC: run_jobs(t, until); break;
	}
}

void *task_main(void *arg)
{
	struct task *t = arg;
	set_up(t);
	/* Sleep once under the new name and settings: a scheduler sorts a task when it becomes
	 * runnable, and a thread that arrives last at the barrier would never have slept since its
	 * renaming. */
	sleep_until(clock_ns(CLOCK_MONOTONIC) + 1000000);
	pthread_barrier_wait(&start_line);
	if (!t->failed) {
		int64_t until = t->phased ? window_start_ns + t->phase_at_ns : FOREVER;
		run_pattern(t, t->pattern, t->sleep_ns, t->run_ns, until);
		if (t->phased)
			run_pattern(t, t->then_pattern, t->then_sleep_ns, t->then_run_ns, FOREVER);
	}
	t->policy_seen = sched_getscheduler(0);
	if (t->pattern == PATTERN_PERIODIC)
		mark_drained(t);
	return NULL;
}

void expect_drains(void)
{
	pthread_condattr_t attr;
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&drain_done, &attr);
	pthread_condattr_destroy(&attr);
	for (int i = 0; i < nr_tasks; i++)
		if (tasks[i].pattern == PATTERN_PERIODIC)
			pending_drains++;
}

void wait_for_drains(int64_t limit_ns)
{
	struct timespec limit = { .tv_sec = limit_ns / NSEC_PER_SEC,
				  .tv_nsec = limit_ns % NSEC_PER_SEC };
	pthread_mutex_lock(&drain_lock);
	while (pending_drains > 0)
		if (pthread_cond_timedwait(&drain_done, &drain_lock, &limit) == ETIMEDOUT)
			break;
	pthread_mutex_unlock(&drain_lock);
}

/* The task after task i in its ring (the rings close on themselves); -1 if it is alone. */
static int next_in_ring(int i)
{
	for (int k = 1; k < nr_tasks; k++) {
		int j = (i + k) % nr_tasks;
		if (tasks[j].pattern == PATTERN_RING && strcmp(tasks[j].ring, tasks[i].ring) == 0)
			return j;
	}
	return -1;
}

bool link_rings(void)
{
	for (int i = 0; i < nr_tasks; i++) {
		if (tasks[i].pattern == PATTERN_RING && pipe(tasks[i].pipe_fds) != 0) {
			fprintf(stderr, "workload: cannot make a pipe for ring %s: %s\n",
				tasks[i].ring, strerror(errno));
			return false;
		}
	}
	for (int i = 0; i < nr_tasks; i++) {
		if (tasks[i].pattern != PATTERN_RING)
			continue;
		tasks[i].next_fd = tasks[next_in_ring(i)].pipe_fds[1];
		tasks[i].ring_first = true;
		for (int j = 0; j < i; j++)
			if (tasks[j].pattern == PATTERN_RING &&
			    strcmp(tasks[j].ring, tasks[i].ring) == 0)
				tasks[i].ring_first = false;
	}
	return true;
}

void stop_rings(void)
{
	for (int i = 0; i < nr_tasks; i++)
		if (tasks[i].pattern == PATTERN_RING)
			send_byte(tasks[i].pipe_fds[1], STOP_BYTE);
}

void close_rings(void)
{
	for (int i = 0; i < nr_tasks; i++) {
		if (tasks[i].pattern == PATTERN_RING) {
			close(tasks[i].pipe_fds[0]);
			close(tasks[i].pipe_fds[1]);
		}
	}
}
