/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * workload.h — what a workload file describes: the machine and its tasks.
 *
 * Takes nothing; makes the parsed form of a workload file (docs/scxsim.md, "Workload files"),
 * which workload.c reads and the event core runs, and the limits it holds a file to.
 */
#ifndef SCXSIM_WORKLOAD_H
#define SCXSIM_WORKLOAD_H

#include <stdbool.h>
#include <stdint.h>

#define WORKLOAD_MAX_CPUS 64
#define WORKLOAD_MAX_TASKS 4096
#define WORKLOAD_MAX_PHASES 16
#define WORKLOAD_MAX_DURATION_NS (3600ULL * 1000000000ULL) /* one hour of simulated time */
#define WORKLOAD_MIN_PHASE_NS 1000ULL			   /* 1us: shorter phases are noise */
#define WORKLOAD_MIN_TICK_NS 100000ULL			   /* 100us (HZ=10000) */
#define WORKLOAD_MAX_TICK_NS 100000000ULL		   /* 100ms (HZ=10) */
#define WORKLOAD_COMM_MAX 15
/* About two minutes at 8 M events/s: a run that would take longer is refused, not started. */
#define WORKLOAD_MAX_EVENTS 1e9

enum workload_phase_kind { PHASE_RUN, PHASE_SLEEP };

/* One phase: run or sleep for a time drawn uniformly from min .. max (equal: fixed). */
struct workload_phase {
	enum workload_phase_kind kind;
	uint64_t min, max;
};

struct workload_task {
	char comm[WORKLOAD_COMM_MAX + 1];
	int nice;
	uint32_t uid;
	uint64_t cpus; /* allowed CPUs, one bit each */
	uint64_t start;
	bool hog; /* runs without end: no phases */
	int nr_phases;
	struct workload_phase phases[WORKLOAD_MAX_PHASES];
	int line; /* where the file defines it */
};

struct workload {
	const char *path;
	int cpus;
	uint64_t tick, duration;
	int nr_tasks;
	struct workload_task *tasks;
};

/* Reads PATH into *WORKLOAD; prints each error as file:line:col with the line and a caret, and
 * returns false if there was one. */
bool workload_read(struct workload *workload, const char *path);
void workload_free(struct workload *workload);

/* Roughly how many events simulating WORKLOAD takes: its busy CPUs' ticks, and for each task
 * with phases three (a wake-up, the end of the run, a reschedule) per run phase. */
double workload_events(const struct workload *workload);

#endif
