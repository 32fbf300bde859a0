/* SPDX-License-Identifier: GPL-2.0-only */
/* workload — a small, measurable load for testing schedulers.
 *
 * Takes task specifications on the command line (comm name, nice value, CPU, scheduling policy and
 * a pattern: a CPU hog, a loop that sleeps and runs in turn, a member of a ring of tasks that pass
 * one token around through pipes, or a periodic task whose jobs have deadlines; a task may switch
 * once from its pattern to a hog or a sleeper at a given time), starts one thread per task, lets
 * them run for a warm-up and then a measured window, optionally cut into slots, and prints one
 * JSON document to stdout: per task, the CPU time it got in the window (and in each slot), the
 * CPUs it was seen on and how often it moved, the longest it was kept off the CPU while it spun,
 * for sleepers how late its wake-ups were (p50/p99/max of the time past the intended wake time),
 * for periodic tasks how many jobs missed their deadline and by how much, for ring members how
 * often the token reached them; and per CPU, how busy /proc/stat says it was in the window.  Built
 * static so it runs in scxc-vm's initramfs.  Usage: workload --help.  In short:
 *
 *   workload [--duration DUR] [--warmup DUR] [--slot DUR] [--cpu N] [--name COMM]
 *            [--cgroup PATH] [--move PATH@DUR] --task SPEC...
 *   SPEC: name=COMM, nice=N, cpu=N, policy=ext|batch|idle|normal, and one pattern: hog | sleep=DUR[,run=DUR]
 *         | ring=NAME[,run=DUR] | period=DUR,run=DUR[,deadline=DUR]; a task that is not in a ring
 *         may add then=hog or then=sleep:DUR[/run:DUR] with at=DUR, its switch after the warm-up.
 *   --slot DUR: a "slots" list per task (CPU time, wake-ups or jobs and their lateness per slot).
 *   Periodic tasks report jobs, missed, miss_ratio, lateness_p50/p99/max_ns (finish - deadline)
 *   and response_max_ns; every task max_gap_ns and policy_seen; a switching task phase_at_ns.
 *   --cgroup, --move: the process's cgroup2 group at the start, and a move in the window.
 *
 * This file is the controller: it starts the threads, times the warm-up, the window and its slots,
 * reads the tasks' CPU clocks at each boundary, waits for the periodic tasks' last jobs, stops and
 * joins the threads and has the report printed.  The command line is in workload_options.c, the
 * tasks' patterns in workload_tasks.c, the report in workload_report.c, the cgroup moves in
 * workload_cgroup.c.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>

#include "checked.h"
#include "workload.h"

struct task tasks[MAX_TASKS];
int nr_tasks;
int64_t run_start_ns, window_start_ns, window_end_ns;
pthread_barrier_t start_line;
atomic_bool stop;
atomic_bool in_window;

int64_t clock_ns(clockid_t clock)
{
	struct timespec ts;
	clock_gettime(clock, &ts);
	return ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
}

void sleep_until(int64_t monotonic_ns)
{
	struct timespec when = { .tv_sec = monotonic_ns / NSEC_PER_SEC,
				 .tv_nsec = monotonic_ns % NSEC_PER_SEC };
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &when, NULL) == EINTR)
		;
}

static struct options options;
static bool move_failed; /* the --move could not be made */

/* Makes the --move if it falls before UNTIL (monotonic) and is not made yet. */
static void move_if_due(int64_t until)
{
	int64_t at = window_start_ns + options.move_at_ns;
	if (!options.move_to || options.moved_at_ns >= 0 || at >= until)
		return;
	sleep_until(at);
	options.moved_at_ns = clock_ns(CLOCK_MONOTONIC) - window_start_ns;
	if (!join_cgroup(options.move_to, options.cgroup_seen[1]))
		move_failed = true;
}

/* Reads each task's CPU clock at (about) the same moment: slot boundary K. */
static void sample_cpu_times(const clockid_t *clocks, int k)
{
	for (int i = 0; i < nr_tasks; i++)
		tasks[i].cpu_at_ns[k] = clock_ns(clocks[i]);
}

int main(int argc, char **argv)
{
	program_name = "workload";
	parse_command_line(argc, argv, &options);
	if (!link_rings())
		return 1;

	if (options.controller_name && prctl(PR_SET_NAME, options.controller_name, 0, 0, 0) != 0) {
		fprintf(stderr, "workload: cannot name the controlling thread: %s\n",
			strerror(errno));
		return 1;
	}
	for (int i = 0; i < nr_tasks; i++)
		tasks[i].cpu_at_ns =
			checked(calloc((size_t)options.nr_slots + 1, sizeof *tasks[i].cpu_at_ns));
	if (options.cgroup && !join_cgroup(options.cgroup, options.cgroup_seen[0]))
		return 1;

	expect_drains();
	pthread_barrier_init(&start_line, NULL, (unsigned)nr_tasks + 1);
	for (int i = 0; i < nr_tasks; i++) {
		int err = pthread_create(&tasks[i].thread, NULL, task_main, &tasks[i]);
		if (err) {
			fprintf(stderr, "workload: cannot start task %s: %s\n", tasks[i].name,
				strerror(err));
			return 1;
		}
	}
	clockid_t clocks[MAX_TASKS];
	for (int i = 0; i < nr_tasks; i++)
		pthread_getcpuclockid(tasks[i].thread, &clocks[i]);

	run_start_ns = clock_ns(CLOCK_MONOTONIC);
	window_start_ns = run_start_ns + options.warmup_ns;
	window_end_ns = window_start_ns + options.window_ns;
	pthread_barrier_wait(&start_line);

	sleep_until(window_start_ns);
	read_cpu_start();
	int64_t started = clock_ns(CLOCK_MONOTONIC);
	sample_cpu_times(clocks, 0);
	atomic_store(&in_window, true);
	for (int k = 1; k < options.nr_slots; k++) {
		move_if_due(window_start_ns + k * options.slot_ns);
		sleep_until(window_start_ns + k * options.slot_ns);
		sample_cpu_times(clocks, k);
	}
	move_if_due(window_end_ns);
	sleep_until(window_end_ns);
	atomic_store(&in_window, false);
	int64_t ended = clock_ns(CLOCK_MONOTONIC);
	sample_cpu_times(clocks, options.nr_slots);
	read_cpu_end();
	wait_for_drains(window_end_ns + options.window_ns);
	atomic_store(&stop, true);
	stop_rings();
	for (int i = 0; i < nr_tasks; i++)
		pthread_join(tasks[i].thread, NULL);
	close_rings();

	int status = 0;
	for (int i = 0; i < nr_tasks; i++) {
		if (tasks[i].failed) {
			fprintf(stderr, "workload: task %s could not %s: %s\n", tasks[i].name,
				tasks[i].failed, strerror(tasks[i].setup_error));
			status = 1;
		}
	}
	if (move_failed)
		status = 1;
	if (status == 0)
		print_report(&options, ended - started);
	for (int i = 0; i < nr_tasks; i++) {
		free(tasks[i].events);
		free(tasks[i].cpu_at_ns);
	}
	return status;
}
