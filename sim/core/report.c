// SPDX-License-Identifier: GPL-2.0-only
/*
 * report.c — the metrics of a run (see report.h).
 *
 * The weight-ideal share of a task is what weighted max-min fairness would give it: the CPUs are
 * shared in proportion to weight, but no task gets more than it asks for — one CPU for a hog, its
 * run/(run+sleep) duty for a task with phases (from the mean phase lengths), scaled by the part
 * of the run it was present for.  It ignores affinity.  Jain's index is taken over each task's
 * share divided by its ideal: 1 when every task gets its ideal in proportion.  Lateness is the
 * time from a wake-up (or arrival) to running, percentiles by nearest rank.
 */
#include <stdlib.h>
#include <string.h>

#include "checked.h"
#include "report.h"

struct task_figures {
	double share, ideal; /* in CPUs */
	u64 p50, p95, p99, max;
};

static int compare_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

static u64 rank(const u64 *sorted, size_t count, unsigned percent)
{
	size_t index = (count * percent + 99) / 100;

	return count ? sorted[index ? index - 1 : 0] : 0;
}

static double demand(const struct sim *sim, const struct sim_task *t)
{
	const struct workload_task *spec = t->spec;
	double run = 0, all = 0, present;
	int i;

	if (spec->start >= sim->now)
		return 0;
	present = (double)(sim->now - spec->start) / (double)sim->now;
	if (spec->hog)
		return present;
	for (i = 0; i < spec->nr_phases; i++) {
		double mean = (double)(spec->phases[i].min + spec->phases[i].max) / 2;

		all += mean;
		if (spec->phases[i].kind == PHASE_RUN)
			run += mean;
	}
	return present * run / all;
}

/* Weighted max-min fair shares of the CPUs: water-filling, the most modest demand first. */
static void ideal_shares(const struct sim *sim, struct task_figures *figures)
{
	int n = sim->nr_tasks, i, j, *order = checked(calloc((size_t)n, sizeof(*order)));
	double *need = checked(calloc((size_t)n, sizeof(*need))), capacity = sim->nr_cpus;
	double weights = 0;

	for (i = 0; i < n; i++) {
		need[i] = demand(sim, &sim->tasks[i]);
		order[i] = i;
		weights += need[i] > 0 ? sim->tasks[i].p.scx.weight : 0;
	}
	/* Sort by demand per unit of weight: those tasks are satisfied first. */
	for (i = 1; i < n; i++)
		for (j = i;
		     j > 0 && need[order[j]] / sim->tasks[order[j]].p.scx.weight <
				      need[order[j - 1]] / sim->tasks[order[j - 1]].p.scx.weight;
		     j--) {
			int swap = order[j];

			order[j] = order[j - 1];
			order[j - 1] = swap;
		}
	for (i = 0; i < n; i++) {
		int k = order[i];
		double weight = sim->tasks[k].p.scx.weight, fair;

		if (need[k] <= 0)
			continue;
		fair = weights > 0 ? capacity * weight / weights : 0;
		figures[k].ideal = need[k] < fair ? need[k] : fair;
		capacity -= figures[k].ideal;
		weights -= weight;
	}
	free(need);
	free(order);
}

static struct task_figures *measure(const struct sim *sim, double *jain)
{
	struct task_figures *figures = checked(calloc((size_t)sim->nr_tasks, sizeof(*figures)));
	double sum = 0, squares = 0;
	int i, counted = 0;

	ideal_shares(sim, figures);
	for (i = 0; i < sim->nr_tasks; i++) {
		const struct sim_task *t = &sim->tasks[i];
		u64 *sorted = checked(calloc(t->lateness.count + 1, sizeof(*sorted)));

		figures[i].share =
			sim->now ? (double)t->p.se.sum_exec_runtime / (double)sim->now : 0;
		if (t->lateness.count)
			memcpy(sorted, t->lateness.value, t->lateness.count * sizeof(*sorted));
		qsort(sorted, t->lateness.count, sizeof(*sorted), compare_u64);
		figures[i].p50 = rank(sorted, t->lateness.count, 50);
		figures[i].p95 = rank(sorted, t->lateness.count, 95);
		figures[i].p99 = rank(sorted, t->lateness.count, 99);
		figures[i].max = t->lateness.count ? sorted[t->lateness.count - 1] : 0;
		free(sorted);
		if (figures[i].ideal > 0) {
			double x = figures[i].share / figures[i].ideal;

			sum += x;
			squares += x * x;
			counted++;
		}
	}
	*jain = squares > 0 ? sum * sum / (counted * squares) : 0;
	return figures;
}

/* The policy's stats summed over the CPUs, as scxrun shows them. */
static u64 stat_value(const struct sim *sim, const struct policy *policy, int stat)
{
	u64 total = 0;
	int i, cpu;

	for (i = 0; i < sim->nr_maps; i++) {
		const struct sim_map *map = &sim->maps[i];

		if (map->definition != policy->stats_map || (u32)(stat + 1) * 8 > map->value_size)
			continue;
		for (cpu = 0; cpu < sim->nr_cpus; cpu++)
			total +=
				((const u64 *)((const char *)map->percpu +
					       (size_t)cpu * map->entries * map->value_size))[stat];
	}
	return total;
}

static double ms(u64 ns)
{
	return (double)ns / 1e6;
}

void report_text(FILE *out, const struct sim *sim, const struct policy *policy)
{
	double jain;
	struct task_figures *f = measure(sim, &jain);
	int i;

	fprintf(out,
		"scxsim: policy %s on %s: %d CPUs, tick %.3fms, %.3fs simulated, seed %llu"
		", %llu events\n",
		policy->name, sim->workload->path, sim->nr_cpus, ms(sim->workload->tick),
		(double)sim->now / 1e9, sim->seed, sim->events);
	if (sim->error[0])
		fprintf(out, "the run ended early at %.3fs: %s\n", (double)sim->now / 1e9,
			sim->error);
	fprintf(out, "\n%-15s %5s %4s %6s %7s %7s %6s %10s %9s %9s %9s %8s %5s\n", "task", "pid",
		"nice", "weight", "cpu%", "ideal%", "ratio", "wait ms", "late p50", "late p99",
		"late max", "switches", "migr");
	for (i = 0; i < sim->nr_tasks; i++) {
		const struct sim_task *t = &sim->tasks[i];

		fprintf(out,
			"%-15s %5d %4d %6u %7.2f %7.2f %6.3f %10.3f %9.3f %9.3f %9.3f %8llu"
			" %5llu\n",
			t->p.comm, t->p.pid, t->spec->nice, t->p.scx.weight, 100 * f[i].share,
			100 * f[i].ideal, f[i].ideal > 0 ? f[i].share / f[i].ideal : 0,
			ms(t->wait_ns), ms(f[i].p50), ms(f[i].p99), ms(f[i].max), t->switches,
			t->migrations);
	}
	fprintf(out, "\nlateness in ms from wake-up to running; cpu%% and ideal%% of one CPU\n");
	fprintf(out, "fairness (Jain's index over share/ideal): %.4f\n", jain);
	fprintf(out, "CPUs busy:");
	for (i = 0; i < sim->nr_cpus; i++)
		fprintf(out, " %d: %.2f%%", i,
			sim->now ? 100.0 * sim->cpus[i].busy_ns / sim->now : 0);
	fputc('\n', out);
	fprintf(out, "\npolicy stats:\n");
	for (i = 0; i < policy->nr_stats; i++)
		fprintf(out, "  %-32s %12llu%s\n", policy->stat_names[i],
			stat_value(sim, policy, i), policy->stat_is_ns[i] ? " ns" : "");
	free(f);
}

static void json_string(FILE *out, const char *text)
{
	fputc('"', out);
	for (; *text; text++) {
		if (*text == '"' || *text == '\\')
			fprintf(out, "\\%c", *text);
		else if ((unsigned char)*text < 0x20)
			fprintf(out, "\\u%04x", *text);
		else
			fputc(*text, out);
	}
	fputc('"', out);
}

void report_json(FILE *out, const struct sim *sim, const struct policy *policy)
{
	double jain;
	struct task_figures *f = measure(sim, &jain);
	int i;

	fprintf(out, "{\"policy\": ");
	json_string(out, policy->name);
	fprintf(out, ", \"workload\": ");
	json_string(out, sim->workload->path);
	fprintf(out,
		", \"cpus\": %d, \"tick_ns\": %llu, \"simulated_ns\": %llu"
		", \"seed\": %llu, \"events\": %llu, \"ended\": ",
		sim->nr_cpus, (unsigned long long)sim->workload->tick, sim->now, sim->seed,
		sim->events);
	if (sim->error[0])
		json_string(out, sim->error);
	else
		fprintf(out, "null");
	fprintf(out, ", \"fairness\": %.6f, \"cpu_busy_ns\": [", jain);
	for (i = 0; i < sim->nr_cpus; i++)
		fprintf(out, "%s%llu", i ? ", " : "", sim->cpus[i].busy_ns);
	fprintf(out, "], \"tasks\": [");
	for (i = 0; i < sim->nr_tasks; i++) {
		const struct sim_task *t = &sim->tasks[i];

		fprintf(out, "%s\n  {\"comm\": ", i ? "," : "");
		json_string(out, t->p.comm);
		fprintf(out,
			", \"pid\": %d, \"nice\": %d, \"weight\": %u, \"cpu_ns\": %llu, "
			"\"share\": %.6f, \"ideal\": %.6f, \"wait_ns\": %llu"
			", \"wakeups\": %llu, \"lateness_ns\": {\"p50\": %llu"
			", \"p95\": %llu, \"p99\": %llu, \"max\": %llu}, \"switches\": %llu"
			", \"migrations\": %llu}",
			t->p.pid, t->spec->nice, t->p.scx.weight, t->p.se.sum_exec_runtime,
			f[i].share, f[i].ideal, t->wait_ns, t->wakeups, f[i].p50, f[i].p95,
			f[i].p99, f[i].max, t->switches, t->migrations);
	}
	fprintf(out, "\n], \"stats\": {");
	for (i = 0; i < policy->nr_stats; i++) {
		fprintf(out, "%s\n  ", i ? "," : "");
		json_string(out, policy->stat_names[i]);
		fprintf(out, ": %llu", stat_value(sim, policy, i));
	}
	fprintf(out, "\n}}\n");
	free(f);
}
