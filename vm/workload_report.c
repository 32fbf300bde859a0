/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * workload_report.c — the workload program's measurements of the machine and its JSON report.
 *
 * Takes the tasks' measurements (after their threads are joined) and reads /proc/stat at the
 * window's start and end; makes one JSON document on stdout: the window, each CPU's busyness, and
 * per task its CPU time, CPUs, migrations, longest gap, wake-up lateness, periodic jobs and, with
 * --slot, the same per slot.  Percentiles are of the sorted samples, the p-th at (n - 1) * p / 100.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "checked.h"
#include "workload.h"

/* --- CPU busyness from /proc/stat ------------------------------------------------------------ */

struct cpu_jiffies {
	bool ok; /* read, with at least one cpuN line */
	int nr;	 /* highest CPU number seen + 1 */
	bool present[CPU_SETSIZE];
	uint64_t total[CPU_SETSIZE]; /* user nice system idle iowait irq softirq steal */
	uint64_t idle[CPU_SETSIZE];  /* idle + iowait */
};

static struct cpu_jiffies jiffies_start, jiffies_end;

/* Reads the per-CPU lines of /proc/stat; on failure warns and leaves j->ok false. */
static void read_cpu_jiffies(struct cpu_jiffies *j)
{
	memset(j, 0, sizeof *j);
	FILE *f = fopen("/proc/stat", "r");
	if (!f) {
		fprintf(stderr, "workload: warning: cannot read /proc/stat: %s; no cpu_busy\n",
			strerror(errno));
		return;
	}
	char line[512];
	while (fgets(line, sizeof line, f)) {
		/* "cpu " is the sum over all CPUs; "cpuN " one CPU. */
		if (strncmp(line, "cpu", 3) != 0 || line[3] < '0' || line[3] > '9')
			continue;
		unsigned cpu;
		uint64_t v[8] = { 0 };
		int n = sscanf(line + 3,
			       "%u %" SCNu64 " %" SCNu64 " %" SCNu64 " %" SCNu64 " %" SCNu64
			       " %" SCNu64 " %" SCNu64 " %" SCNu64,
			       &cpu, &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]);
		if (n < 5 || cpu >= CPU_SETSIZE)
			continue;
		j->present[cpu] = true;
		j->total[cpu] = v[0] + v[1] + v[2] + v[3] + v[4] + v[5] + v[6] + v[7];
		j->idle[cpu] = v[3] + v[4];
		if ((int)cpu >= j->nr)
			j->nr = (int)cpu + 1;
	}
	fclose(f);
	j->ok = j->nr > 0;
	if (!j->ok)
		fprintf(stderr, "workload: warning: no per-CPU lines in /proc/stat; no cpu_busy\n");
}

void read_cpu_start(void)
{
	read_cpu_jiffies(&jiffies_start);
}

void read_cpu_end(void)
{
	if (jiffies_start.ok)
		read_cpu_jiffies(&jiffies_end);
}

/* The fraction of CPU `cpu`'s jiffies in the window that were neither idle nor iowait; 0 for a CPU
 * missing from either reading. */
static double cpu_busy(int cpu)
{
	if (!jiffies_start.present[cpu] || !jiffies_end.present[cpu])
		return 0.0;
	int64_t total = (int64_t)(jiffies_end.total[cpu] - jiffies_start.total[cpu]);
	int64_t busy = (int64_t)((jiffies_end.total[cpu] - jiffies_end.idle[cpu]) -
				 (jiffies_start.total[cpu] - jiffies_start.idle[cpu]));
	if (total <= 0 || busy <= 0)
		return 0.0;
	return busy >= total ? 1.0 : (double)busy / (double)total;
}

/* --- Statistics of a task's events ------------------------------------------------------------ */

struct lateness {
	size_t n;
	size_t missed; /* jobs that finished after their deadline */
	int64_t p50, p99, max;
};

static int compare_int64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

/* The lateness of T's events from FIRST to LIMIT (exclusive) that are jobs (JOBS) or wake-ups
 * (!JOBS), or both (BOTH); SCRATCH has room for all of T's events. */
static struct lateness lateness_of(const struct task *t, size_t first, size_t limit, bool jobs,
				   bool both, int64_t *scratch)
{
	struct lateness l = { 0 };
	for (size_t i = first; i < limit; i++) {
		if (!both && t->events[i].job != jobs)
			continue;
		scratch[l.n++] = t->events[i].lateness_ns;
		l.missed += t->events[i].job && t->events[i].lateness_ns > 0;
	}
	if (l.n == 0)
		return l;
	qsort(scratch, l.n, sizeof *scratch, compare_int64);
	l.p50 = scratch[(l.n - 1) * 50 / 100];
	l.p99 = scratch[(l.n - 1) * 99 / 100];
	l.max = scratch[l.n - 1];
	return l;
}

/* --- The JSON document ----------------------------------------------------------------------- */

/* Prints `text` as a JSON string (a task name may hold quotes or backslashes). */
static void print_json_string(const char *text)
{
	putchar('"');
	for (const unsigned char *c = (const unsigned char *)text; *c; c++) {
		if (*c == '"' || *c == '\\')
			printf("\\%c", *c);
		else if (*c < 0x20)
			printf("\\u%04x", *c);
		else
			putchar(*c);
	}
	putchar('"');
}

static const char *pattern_name(enum pattern pattern)
{
	switch (pattern) {
	case PATTERN_HOG: return "hog";
	case PATTERN_SLEEP: return "sleep";
	case PATTERN_RING: return "ring";
	case PATTERN_PERIODIC: return "periodic";
	}
	return "?";
}

static void print_jobs(const struct task *t, int64_t *scratch)
{
	struct lateness jobs = lateness_of(t, 0, t->nr_events, true, false, scratch);
	printf("     \"period_ns\": %lld, \"deadline_ns\": %lld, \"jobs\": %zu, \"missed\": %zu, "
	       "\"miss_ratio\": %.4f,\n"
	       "     \"lateness_p50_ns\": %lld, \"lateness_p99_ns\": %lld, \"lateness_max_ns\": %lld, "
	       "\"response_max_ns\": %lld,\n",
	       (long long)t->period_ns, (long long)t->deadline_ns, jobs.n, jobs.missed,
	       jobs.n ? (double)jobs.missed / (double)jobs.n : 0.0, (long long)jobs.p50,
	       (long long)jobs.p99, (long long)jobs.max,
	       (long long)(jobs.n ? jobs.max + t->deadline_ns : 0));
}

/* Per slot: CPU time, and the events whose intended time (a job's release) falls in it. */
static void print_slots(const struct task *t, const struct options *options, int64_t *scratch)
{
	printf(",\n     \"slots\": [");
	size_t first = 0;
	for (int k = 0; k < options->nr_slots; k++) {
		int64_t end = (int64_t)(k + 1) * options->slot_ns;
		size_t limit = first;
		while (limit < t->nr_events && t->events[limit].at_ns < end)
			limit++;
		struct lateness l = lateness_of(t, first, limit, false, true, scratch);
		printf("%s\n       {\"cpu_ns\": %lld, \"wakeups\": %zu, \"lateness_p50_ns\": %lld, "
		       "\"lateness_max_ns\": %lld",
		       k ? "," : "", (long long)(t->cpu_at_ns[k + 1] - t->cpu_at_ns[k]), l.n,
		       (long long)l.p50, (long long)l.max);
		if (t->pattern == PATTERN_PERIODIC)
			printf(", \"missed\": %zu", l.missed);
		putchar('}');
		first = limit;
	}
	printf("]");
}

static int compare_event_times(const void *a, const void *b)
{
	int64_t x = ((const struct event *)a)->at_ns, y = ((const struct event *)b)->at_ns;
	return (x > y) - (x < y);
}

static void print_task(struct task *t, const struct options *options, int64_t window_ns, bool last)
{
	if (t->nr_events) /* qsort must not be given a null array, even an empty one */
		qsort(t->events, t->nr_events, sizeof *t->events, compare_event_times);
	int64_t cpu_ns = t->cpu_at_ns[options->nr_slots] - t->cpu_at_ns[0];
	int64_t *scratch = checked(malloc((t->nr_events ? t->nr_events : 1) * sizeof *scratch));
	struct lateness wakeups = lateness_of(t, 0, t->nr_events, false, false, scratch);

	printf("    {\"name\": ");
	print_json_string(t->name);
	printf(", \"nice\": %d, \"cpu\": %d, \"policy\": \"%s\", \"policy_seen\": \"%s\", "
	       "\"pattern\": \"%s\", ",
	       t->nice, t->cpu, policy_name(t->policy), policy_name(t->policy_seen),
	       pattern_name(t->pattern));
	if (t->pattern == PATTERN_RING)
		printf("\"ring\": \"%s\", ", t->ring);
	printf("\"run_ns\": %lld, \"sleep_ns\": %lld,\n", (long long)t->run_ns,
	       (long long)t->sleep_ns);
	if (t->phased)
		printf("     \"then\": {\"pattern\": \"%s\", \"run_ns\": %lld, \"sleep_ns\": %lld}, "
		       "\"phase_at_ns\": %lld,\n",
		       pattern_name(t->then_pattern), (long long)t->then_run_ns,
		       (long long)t->then_sleep_ns, (long long)t->phase_at_ns);
	printf("     \"cpu_ns\": %lld, \"cpu_share\": %.4f, \"wakeups\": %zu, ", (long long)cpu_ns,
	       window_ns > 0 ? (double)cpu_ns / (double)window_ns : 0.0, wakeups.n);
	if (t->pattern == PATTERN_RING)
		printf("\"passes\": %" PRIu64 ", ", t->passes);
	printf("\"lateness_ns\": {\"p50\": %lld, \"p99\": %lld, \"max\": %lld},\n",
	       (long long)wakeups.p50, (long long)wakeups.p99, (long long)wakeups.max);
	if (t->pattern == PATTERN_PERIODIC)
		print_jobs(t, scratch);
	printf("     \"max_gap_ns\": %lld, \"cpus_seen\": [", (long long)t->max_gap_ns);
	const char *separator = "";
	for (int cpu = 0; cpu < CPU_SETSIZE; cpu++) {
		if (CPU_ISSET(cpu, &t->cpus_seen)) {
			printf("%s%d", separator, cpu);
			separator = ", ";
		}
	}
	printf("], \"migrations\": %" PRIu64 ", \"wakeups_by_cpu\": {", t->migrations);
	separator = "";
	for (int cpu = 0; cpu < WAKE_CPUS; cpu++) {
		if (t->woke_on[cpu]) {
			printf("%s\"%d\": %" PRIu32, separator, cpu, t->woke_on[cpu]);
			separator = ", ";
		}
	}
	printf("}, \"wake_moves\": [");
	separator = "";
	for (int from = 0; from < MOVE_CPUS; from++) {
		for (int to = 0; to < MOVE_CPUS; to++) {
			if (t->woke_moves[from][to]) {
				printf("%s[%d, %d, %" PRIu32 "]", separator, from, to,
				       t->woke_moves[from][to]);
				separator = ", ";
			}
		}
	}
	printf("]");
	if (options->slot_ns)
		print_slots(t, options, scratch);
	printf("}%s\n", last ? "" : ",");
	free(scratch);
}

/* cpu_busy: one fraction per CPU, 0 up to the highest CPU in /proc/stat; empty if it was unread. */
static void print_cpu_busy(void)
{
	double sum = 0.0;
	printf("  \"cpu_busy\": [");
	if (jiffies_start.ok && jiffies_end.ok) {
		int nr = jiffies_end.nr > jiffies_start.nr ? jiffies_end.nr : jiffies_start.nr;
		for (int cpu = 0; cpu < nr; cpu++) {
			double busy = cpu_busy(cpu);
			printf("%s%.3f", cpu ? ", " : "", busy);
			sum += busy;
		}
	}
	printf("],\n  \"busy_total\": %.3f,\n", sum);
}

void print_report(const struct options *options, int64_t window_ns)
{
	printf("{\n");
	if (options->cgroup || options->move_to) {
		printf("  \"cgroup\": {\"start\": ");
		print_json_string(options->cgroup ? options->cgroup_seen[0] : "");
		printf(", \"moved\": ");
		print_json_string(options->move_to ? options->cgroup_seen[1] : "");
		printf(", \"moved_at_ns\": %lld},\n", (long long)options->moved_at_ns);
	}
	printf("  \"window_ns\": %lld,\n  \"warmup_ns\": %lld,\n", (long long)window_ns,
	       (long long)options->warmup_ns);
	if (options->slot_ns)
		printf("  \"slot_ns\": %lld,\n  \"nr_slots\": %d,\n", (long long)options->slot_ns,
		       options->nr_slots);
	printf("  \"nr_cpus\": %ld,\n", sysconf(_SC_NPROCESSORS_ONLN));
	print_cpu_busy();
	printf("  \"tasks\": [\n");
	for (int i = 0; i < nr_tasks; i++)
		print_task(&tasks[i], options, window_ns, i + 1 == nr_tasks);
	printf("  ]\n}\n");
}
