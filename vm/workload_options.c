/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * workload_options.c — the workload program's command line.
 *
 * Takes argv; makes the run's options (struct options) and one struct task per --task, checked:
 * every value in range, one pattern per task, the settings that go with it, rings of two tasks or
 * more, a phase switch inside the window, --slot dividing the window.  Prints the help on --help;
 * on bad input it names the problem on stderr and exits with status 2.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "number.h"
#include "workload.h"

/* The longest duration taken: a day keeps every sum of times far from overflowing. */
#define MAX_DURATION_NS (86400 * NSEC_PER_SEC)

static void usage(FILE *out)
{
	fputs("usage: workload [--duration DUR] [--warmup DUR] [--slot DUR] [--cpu N] [--name COMM]\n"
	      "                [--cgroup PATH] [--move PATH@DUR]\n"
	      "                --task SPEC...\n"
	      "\n"
	      "Runs one thread per --task for the warm-up and then the measured DURation (default 3s;\n"
	      "warm-up 200ms), and prints JSON: each task's CPU time in the window and its share of one\n"
	      "CPU, the CPUs it was seen on (cpus_seen) and how often it moved (migrations), the longest\n"
	      "wall-clock interval between two looks at the clock while it spun, i.e. the longest it was\n"
	      "kept off its CPU (max_gap_ns), for sleepers the lateness of their wake-ups (p50, p99,\n"
	      "max) and the CPUs they woke on (wakeups_by_cpu; wake_moves: by the CPU before too),\n"
	      "for periodic tasks their jobs and deadlines, for ring tasks how often the token reached\n"
	      "them (passes); and how busy each CPU was (cpu_busy, from /proc/stat) and their sum\n"
	      "(busy_total).  --name gives the controlling thread (which starts, times and stops the\n"
	      "tasks) a comm of its own, so that a policy can put it in a class that the tasks cannot\n"
	      "starve.\n"
	      "\n"
	      "--cgroup PATH moves the whole process (every task) into the cgroup2 group PATH (from the\n"
	      "root of /sys/fs/cgroup, made if missing) before the tasks start; --move PATH@DUR moves it\n"
	      "into PATH at DUR after the window starts.  The report gives \"cgroup\": where\n"
	      "/proc/self/cgroup put it at the start and after the move, and when the move was made.\n"
	      "\n"
	      "--slot DUR cuts the window into slots of DUR (it must divide --duration; at most 10000)\n"
	      "and gives each task a list \"slots\", one entry per slot: the CPU time it got (cpu_ns);\n"
	      "the wake-ups of a sleeper whose intended time falls in the slot, or the jobs of a\n"
	      "periodic task released in it (wakeups), and their lateness (lateness_p50_ns,\n"
	      "lateness_max_ns); for periodic tasks how many of those jobs missed their deadline\n"
	      "(missed).  The controller wakes at every slot boundary to read the tasks' CPU clocks.\n"
	      "\n",
	      out);
	fputs("SPEC is a comma-separated list of:\n"
	      "  name=COMM   the task's comm (at most 15 characters; default task0, task1, ...)\n"
	      "  nice=N      its nice value, -20..19 (default 0)\n"
	      "  cpu=N       pin it to CPU N (default: --cpu, else not pinned)\n"
	      "  cpus=LIST   let it run only on these CPUs: numbers and ranges joined by +, e.g.\n"
	      "              0+2+4-7 (not with cpu=)\n"
	      "  start=N     run first on CPU N, then on any CPU it may (not with cpu=): where a\n"
	      "              scheduler that keeps a task on its previous CPU would keep it\n"
	      "  policy=P    ext: the thread switches to SCHED_EXT (if the kernel refuses, workload\n"
	      "              says so and exits with status 1); batch, idle: to SCHED_BATCH or\n"
	      "              SCHED_IDLE; normal: it keeps its policy (default).  The report gives the\n"
	      "              policy the kernel reports for it at the end (policy_seen)\n"
	      "and one pattern:\n"
	      "  hog         spin without ever sleeping (the default)\n"
	      "  sleep=DUR   sleep DUR, wake, run, repeat; wake-ups are timed\n"
	      "  ring=NAME   pass a token round the ring NAME (1 to 15 of A-Z a-z 0-9 _): the tasks of a\n"
	      "              ring, in command-line order, each wait for it, run, and hand it to the next\n"
	      "              (the last to the first); at least 2 tasks\n"
	      "  period=DUR  release a job at every DUR from the start of the run, at fixed times; each\n"
	      "              job uses run= of CPU time and is due deadline= after its release.  A job\n"
	      "              that ends after the next release is followed at once by the next one: no\n"
	      "              release is skipped, so an overloaded task falls further and further behind\n"
	      "  deadline=DUR  with period= only: positive, may differ from the period (default: it)\n"
	      "  run=DUR     CPU time to use after each wake-up or token, or per job (default 0)\n"
	      "A task other than a ring task can switch to a second pattern once:\n"
	      "  then=NEXT   the second pattern: hog, sleep:DUR or sleep:DUR/run:DUR (a sleeper)\n"
	      "  at=DUR      the time of the switch, counted from the end of the warm-up (the start of\n"
	      "              the window); it must fall inside the window.  then= and at= go together\n"
	      "DUR is a whole number with a unit: ns, us, ms or s (e.g. 500us, 3s); at most a day.\n"
	      "\n",
	      out);
	fputs("A periodic task reports, for its jobs released in the window: jobs, missed (finished\n"
	      "after the deadline), miss_ratio, the lateness of their finish past the deadline\n"
	      "(lateness_p50_ns, lateness_p99_ns, lateness_max_ns: negative when early) and the longest\n"
	      "time from a release to its job's finish (response_max_ns).  After the window the run\n"
	      "goes on until the periodic tasks have finished those jobs, for at most another\n"
	      "--duration; a job still unfinished then, or when its task switches pattern, counts as\n"
	      "missed, finished at that moment, if its deadline has passed, and else not at all.  A task\n"
	      "that switches reports the switch's time in the window (phase_at_ns), to split its slots.\n"
	      "\n"
	      "Example: workload --cpu 0 --task name=hog0,hog --task name=hog5,nice=5,hog --task name=s,sleep=1ms\n"
	      "         workload --task name=ping,ring=a --task name=pong,ring=a,run=50us\n"
	      "         workload --slot 250ms --task name=video,period=10ms,run=3ms,cpu=0 \\\n"
	      "                  --task name=sw,cpu=1,sleep=1ms,run=100us,then=hog,at=1s\n",
	      out);
}

__attribute__((format(printf, 1, 2))) static _Noreturn void bad_usage(const char *fmt, ...)
{
	va_list args;
	va_start(args, fmt);
	fputs("workload: ", stderr);
	vfprintf(stderr, fmt, args);
	fputs("\nTry 'workload --help'.\n", stderr);
	va_end(args);
	exit(2);
}

static const struct {
	const char *name;
	int policy;
} policies[] = { { "normal", SCHED_OTHER },
		 { "batch", SCHED_BATCH },
		 { "idle", SCHED_IDLE },
		 { "ext", SCHED_EXT } };

int policy_number(const char *name)
{
	for (size_t i = 0; i < sizeof policies / sizeof policies[0]; i++)
		if (strcmp(name, policies[i].name) == 0)
			return policies[i].policy;
	return -1;
}

const char *policy_name(int policy)
{
	for (size_t i = 0; i < sizeof policies / sizeof policies[0]; i++)
		if (policies[i].policy == policy)
			return policies[i].name;
	return "other";
}

static bool parse_int(const char *text, long low, long high, long *value)
{
	char *end;
	errno = 0;
	long v = strtol(text, &end, 10);
	if (end == text || *end != '\0' || errno != 0 || v < low || v > high)
		return false;
	*value = v;
	return true;
}

/* A duration as the language writes it (number.h): 5ms, 1_500us, 2s; at most a day. */
static bool parse_duration(const char *text, int64_t *ns)
{
	struct number_literal literal;
	if (read_number(text, strlen(text), &literal) != NUMBER_OK || literal.unit == UNIT_NONE ||
	    literal.value > MAX_DURATION_NS)
		return false;
	*ns = literal.value;
	return true;
}

/* The duration TEXT of the setting or option named by PREFIX ("sleep=", "--duration "), positive
 * if POSITIVE; else says what is wrong, with EXAMPLE, and exits. */
static int64_t duration_or_exit(const char *prefix, const char *text, bool positive,
				const char *example)
{
	int64_t ns;
	if (parse_duration(text, &ns) && (ns > 0 || !positive))
		return ns;
	struct number_literal literal;
	if (read_number(text, strlen(text), &literal) == NUMBER_OK && literal.unit != UNIT_NONE &&
	    literal.value > MAX_DURATION_NS)
		bad_usage("%s%s: longer than a day, the longest duration workload takes", prefix,
			  text);
	bad_usage("%s%s: want a %sduration such as %s", prefix, text, positive ? "positive " : "",
		  example);
}

static bool valid_ring_name(const char *name)
{
	size_t length = strlen(name);
	return length >= 1 && length <= RING_MAX &&
	       strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_") ==
		       length;
}

/* --move PATH@DUR: the group and the window-relative time of the move. */
static void parse_move(const char *value, struct options *options)
{
	const char *at = strrchr(value, '@');
	static char path[CGROUP_PATH_MAX];
	if (!at || (size_t)(at - value) >= sizeof path)
		bad_usage("--move %s: want PATH@DUR, such as /services@2s", value);
	snprintf(path, sizeof path, "%.*s", (int)(at - value), value);
	if (!cgroup_path_ok(path))
		bad_usage("--move %s: want a path from the cgroup2 root, such as /services@2s",
			  value);
	options->move_to = path;
	options->move_at_ns = duration_or_exit("--move ", at + 1, false, "2s");
}

/* then=: "hog", or "sleep:DUR" with an optional "/run:DUR". */
static void parse_then(char *text, struct task *t)
{
	static const char want[] =
		"want hog, sleep:DUR or sleep:DUR/run:DUR (e.g. sleep:1ms/run:100us)";
	char copy[128];
	snprintf(copy, sizeof copy, "%s", text);
	t->phased = true;
	t->then_run_ns = t->then_sleep_ns = 0;
	if (strcmp(text, "hog") == 0) {
		t->then_pattern = PATTERN_HOG;
		return;
	}
	t->then_pattern = PATTERN_SLEEP;
	for (char *save = NULL, *part = strtok_r(text, "/", &save); part;
	     part = strtok_r(NULL, "/", &save)) {
		char *value = strchr(part, ':');
		if (!value)
			bad_usage("task %s: then=%s: %s", t->name, copy, want);
		*value++ = '\0';
		int64_t ns;
		if (!parse_duration(value, &ns))
			bad_usage(
				"task %s: then=%s: '%s' is not a duration of at most a day, such as 1ms",
				t->name, copy, value);
		if (strcmp(part, "sleep") == 0 && ns > 0)
			t->then_sleep_ns = ns;
		else if (strcmp(part, "sleep") == 0)
			bad_usage("task %s: then=%s: the sleep must be positive", t->name, copy);
		else if (strcmp(part, "run") == 0)
			t->then_run_ns = ns;
		else
			bad_usage("task %s: then=%s: %s", t->name, copy, want);
	}
	if (t->then_sleep_ns == 0)
		bad_usage("task %s: then=%s: %s", t->name, copy, want);
}

/* What a pattern's setting is called in messages. */
static const char *pattern_setting(enum pattern pattern)
{
	switch (pattern) {
	case PATTERN_HOG: return "hog";
	case PATTERN_SLEEP: return "sleep=";
	case PATTERN_RING: return "ring=";
	case PATTERN_PERIODIC: return "period=";
	}
	return "?";
}

/* Notes that a task's spec chose PATTERN; a second, different pattern is an error. */
static void choose_pattern(struct task *t, enum pattern pattern, bool *chosen)
{
	if (*chosen && t->pattern != pattern) {
		/* The ring's own message names the ring, as it always has. */
		if (t->pattern == PATTERN_RING || pattern == PATTERN_RING)
			bad_usage(
				"task %s: ring=%s cannot be combined with %s", t->name, t->ring,
				pattern_setting(t->pattern == PATTERN_RING ? pattern : t->pattern));
		bad_usage("task %s: %s cannot be combined with %s", t->name,
			  pattern_setting(t->pattern), pattern_setting(pattern));
	}
	t->pattern = pattern;
	*chosen = true;
}

/* A cpus= list: CPU numbers and FIRST-LAST ranges joined by '+'; false if it is not one. */
static bool parse_cpu_list(const char *text, cpu_set_t *set)
{
	CPU_ZERO(set);
	while (*text) {
		char *end;
		long first = strtol(text, &end, 10), last = first;
		if (end == text || first < 0)
			return false;
		if (*end == '-') {
			text = end + 1;
			last = strtol(text, &end, 10);
			if (end == text || last < first)
				return false;
		}
		if (last >= CPU_SETSIZE || (*end != '+' && *end != '\0'))
			return false;
		for (long cpu = first; cpu <= last; cpu++)
			CPU_SET((int)cpu, set);
		text = *end ? end + 1 : end;
	}
	return CPU_COUNT(set) > 0;
}

static void parse_task(char *spec, struct task *t, int index, int default_cpu,
		       const struct options *options)
{
	bool chosen = false, deadline_given = false, at_given = false;
	snprintf(t->name, sizeof t->name, "task%d", index);
	t->cpu = default_cpu;
	t->start_cpu = -1;
	t->last_woke = -1;
	t->last_cpu = -1;
	t->pipe_fds[0] = t->pipe_fds[1] = t->next_fd = -1;
	t->pattern = PATTERN_HOG;
	for (char *save = NULL, *item = strtok_r(spec, ",", &save); item;
	     item = strtok_r(NULL, ",", &save)) {
		char *value = strchr(item, '=');
		if (value)
			*value++ = '\0';
		long number;
		if (strcmp(item, "hog") == 0 && !value) {
			choose_pattern(t, PATTERN_HOG, &chosen);
		} else if (strcmp(item, "name") == 0 && value) {
			if (*value == '\0' || strlen(value) > SCXC_COMM_MAX)
				bad_usage("task name '%s' must have 1 to 15 characters", value);
			strcpy(t->name, value);
		} else if (strcmp(item, "nice") == 0 && value) {
			if (!parse_int(value, -20, 19, &number))
				bad_usage("nice value '%s' is not a number from -20 to 19", value);
			t->nice = (int)number;
		} else if (strcmp(item, "cpu") == 0 && value) {
			if (!parse_int(value, 0, CPU_SETSIZE - 1, &number))
				bad_usage("CPU '%s' is not a CPU number", value);
			t->cpu = (int)number;
		} else if (strcmp(item, "start") == 0 && value) {
			if (!parse_int(value, 0, CPU_SETSIZE - 1, &number))
				bad_usage("start=%s: not a CPU number", value);
			t->start_cpu = (int)number;
		} else if (strcmp(item, "cpus") == 0 && value) {
			if (!parse_cpu_list(value, &t->allowed))
				bad_usage("cpus=%s: want CPU numbers and ranges joined by +, e.g. "
					  "0+2+4-7",
					  value);
			t->limited = true;
		} else if (strcmp(item, "policy") == 0 && value) {
			t->policy = policy_number(value);
			if (t->policy < 0)
				bad_usage("policy=%s: want ext, batch, idle or normal", value);
		} else if (strcmp(item, "sleep") == 0 && value) {
			t->sleep_ns = duration_or_exit("sleep=", value, true, "1ms");
			choose_pattern(t, PATTERN_SLEEP, &chosen);
		} else if (strcmp(item, "run") == 0 && value) {
			t->run_ns = duration_or_exit("run=", value, false, "2ms");
		} else if (strcmp(item, "ring") == 0 && value) {
			if (!valid_ring_name(value))
				bad_usage("ring name '%s' must have 1 to 15 of A-Z, a-z, 0-9 and _",
					  value);
			strcpy(t->ring, value);
			choose_pattern(t, PATTERN_RING, &chosen);
		} else if (strcmp(item, "period") == 0 && value) {
			t->period_ns = duration_or_exit("period=", value, true, "10ms");
			choose_pattern(t, PATTERN_PERIODIC, &chosen);
		} else if (strcmp(item, "deadline") == 0 && value) {
			t->deadline_ns = duration_or_exit("deadline=", value, true, "10ms");
			deadline_given = true;
		} else if (strcmp(item, "then") == 0 && value) {
			parse_then(value, t);
		} else if (strcmp(item, "at") == 0 && value) {
			t->phase_at_ns = duration_or_exit("at=", value, false, "2s");
			at_given = true;
		} else {
			bad_usage(
				"unknown task setting '%s' (know name=, nice=, cpu=, cpus=, start=, policy=, "
				"hog, sleep=, ring=, period=, deadline=, run=, then=, at=)",
				item);
		}
	}
	if (t->limited && t->cpu >= 0)
		bad_usage("task %s: cpus= goes only with a task that is not pinned (cpu= or --cpu)",
			  t->name);
	if (t->limited && t->start_cpu >= 0 && !CPU_ISSET(t->start_cpu, &t->allowed))
		bad_usage("task %s: start=%d is not one of its cpus=", t->name, t->start_cpu);
	if (t->start_cpu >= 0 && t->cpu >= 0)
		bad_usage(
			"task %s: start= goes only with a task that is not pinned (cpu= or --cpu)",
			t->name);
	if (deadline_given && t->pattern != PATTERN_PERIODIC)
		bad_usage("task %s: deadline= goes only with period=", t->name);
	if (t->pattern == PATTERN_PERIODIC && !deadline_given)
		t->deadline_ns = t->period_ns;
	if (t->phased && !at_given)
		bad_usage("task %s: then= needs at=, the time of the switch after the warm-up",
			  t->name);
	if (at_given && !t->phased)
		bad_usage("task %s: at= needs then=, the pattern to switch to", t->name);
	if (t->phased && t->pattern == PATTERN_RING)
		bad_usage("task %s: a ring task cannot switch pattern (then=)", t->name);
	if (t->phased && t->pattern == PATTERN_HOG && t->then_pattern == PATTERN_HOG)
		bad_usage("task %s: then=hog: the task is a hog already", t->name);
	if (at_given && t->phase_at_ns >= options->window_ns) {
		char at[DURATION_TEXT_MAX], window[DURATION_TEXT_MAX];
		bad_usage("task %s: at=%s is not inside the window (--duration %s)", t->name,
			  format_duration(t->phase_at_ns, at),
			  format_duration(options->window_ns, window));
	}
}

/* Every ring needs 2 tasks or more. */
static void check_rings(void)
{
	for (int i = 0; i < nr_tasks; i++) {
		if (tasks[i].pattern != PATTERN_RING)
			continue;
		int members = 0;
		for (int j = 0; j < nr_tasks; j++)
			members += tasks[j].pattern == PATTERN_RING &&
				   strcmp(tasks[j].ring, tasks[i].ring) == 0;
		if (members < 2)
			bad_usage("ring '%s' has only one task (%s): a ring needs at least 2",
				  tasks[i].ring, tasks[i].name);
	}
}

static void check_slot(struct options *options)
{
	char slot[DURATION_TEXT_MAX], window[DURATION_TEXT_MAX];
	format_duration(options->slot_ns, slot);
	format_duration(options->window_ns, window);
	if (options->window_ns % options->slot_ns != 0)
		bad_usage("--slot %s does not divide --duration %s into whole slots", slot, window);
	if (options->window_ns / options->slot_ns > MAX_SLOTS)
		bad_usage("--slot %s: too many slots in --duration %s (at most %d)", slot, window,
			  MAX_SLOTS);
	options->nr_slots = (int)(options->window_ns / options->slot_ns);
}

void parse_command_line(int argc, char **argv, struct options *options)
{
	*options = (struct options){ .window_ns = 3 * NSEC_PER_SEC,
				     .warmup_ns = 200 * 1000000LL,
				     .nr_slots = 1,
				     .moved_at_ns = -1 };
	int default_cpu = -1;
	char *specs[MAX_TASKS];

	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];
		if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
			usage(stdout);
			exit(0);
		}
		if (i + 1 >= argc)
			bad_usage(strncmp(arg, "--", 2) == 0 ? "%s needs a value"
							     : "unexpected argument '%s'",
				  arg);
		const char *value = argv[++i];
		long number;
		if (strcmp(arg, "--duration") == 0) {
			options->window_ns = duration_or_exit("--duration ", value, true, "3s");
		} else if (strcmp(arg, "--warmup") == 0) {
			options->warmup_ns = duration_or_exit("--warmup ", value, false, "200ms");
		} else if (strcmp(arg, "--slot") == 0) {
			options->slot_ns = duration_or_exit("--slot ", value, true, "250ms");
		} else if (strcmp(arg, "--cpu") == 0) {
			if (!parse_int(value, 0, CPU_SETSIZE - 1, &number))
				bad_usage("--cpu %s: not a CPU number", value);
			default_cpu = (int)number;
		} else if (strcmp(arg, "--name") == 0) {
			if (!*value || strlen(value) > SCXC_COMM_MAX)
				bad_usage("--name %s: want a comm of 1 to %d characters", value,
					  SCXC_COMM_MAX);
			options->controller_name = value;
		} else if (strcmp(arg, "--cgroup") == 0) {
			if (!cgroup_path_ok(value))
				bad_usage(
					"--cgroup %s: want a path from the cgroup2 root, such as /ci",
					value);
			options->cgroup = value;
		} else if (strcmp(arg, "--move") == 0) {
			parse_move(value, options);
		} else if (strcmp(arg, "--task") == 0) {
			if (nr_tasks == MAX_TASKS)
				bad_usage("%s: too many tasks (at most 64)", value);
			specs[nr_tasks++] = argv[i];
		} else {
			bad_usage("unknown option '%s'", arg);
		}
	}
	if (nr_tasks == 0)
		bad_usage("%s", "no tasks: give at least one --task");
	if (options->slot_ns)
		check_slot(options);
	if (options->move_to && options->move_at_ns >= options->window_ns)
		bad_usage("--move %s: the move must fall inside the window (--duration)",
			  options->move_to);
	/* Parse after all options, so --cpu and --duration apply to every task wherever they
	 * stand. */
	for (int i = 0; i < nr_tasks; i++)
		parse_task(specs[i], &tasks[i], i, default_cpu, options);
	check_rings();
}
