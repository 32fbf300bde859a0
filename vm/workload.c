/* workload — a small, measurable load for testing schedulers.
 *
 * Takes task specifications on the command line (comm name, nice value, CPU, and a pattern: a CPU
 * hog, or a loop that sleeps and runs in turn), starts one thread per task, lets them run for a
 * warm-up and then a measured window, and prints one JSON document to stdout: per task, the CPU time
 * it got in the window and, for sleepers, how late its wake-ups were (p50/p99/max of the time past
 * the intended wake time).  Built static so it runs in scxc-vm's initramfs.  Usage: workload --help.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define NSEC_PER_SEC 1000000000LL
#define MAX_TASKS 64
#define COMM_MAX 15 /* the kernel keeps 15 characters of a task's name */

struct task {
	/* What was asked for. */
	char name[COMM_MAX + 1];
	int nice;
	int cpu;          /* -1: not pinned */
	int64_t run_ns;   /* CPU time per burst; with sleep_ns == 0 the task is a hog */
	int64_t sleep_ns; /* sleep between bursts; 0: never sleeps */

	/* What happened. */
	pthread_t thread;
	int setup_error;     /* errno of a failed set-up step, reported by main */
	const char *failed;  /* which step failed */
	int64_t cpu_start_ns, cpu_end_ns;
	int64_t *lateness_ns; /* wake-ups inside the window, in ns past the intended time */
	size_t nr_wakeups, lateness_capacity;
};

static struct task tasks[MAX_TASKS];
static int nr_tasks;
static pthread_barrier_t start_line;
static atomic_bool stop;
static int64_t window_start_ns, window_end_ns; /* CLOCK_MONOTONIC; written before the barrier */

static int64_t clock_ns(clockid_t clock)
{
	struct timespec ts;
	clock_gettime(clock, &ts);
	return ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
}

static struct timespec timespec_of(int64_t ns)
{
	return (struct timespec){ .tv_sec = ns / NSEC_PER_SEC, .tv_nsec = ns % NSEC_PER_SEC };
}

static void sleep_until(int64_t monotonic_ns)
{
	struct timespec when = timespec_of(monotonic_ns);
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &when, NULL) == EINTR)
		;
}

/* Spins until this thread has used `ns` more CPU time, or the run is over. */
static void burn_cpu(int64_t ns)
{
	int64_t until = clock_ns(CLOCK_THREAD_CPUTIME_ID) + ns;
	while (!atomic_load_explicit(&stop, memory_order_relaxed) &&
	       clock_ns(CLOCK_THREAD_CPUTIME_ID) < until)
		;
}

static void spin_forever(void)
{
	volatile uint64_t counter = 0;
	while (!atomic_load_explicit(&stop, memory_order_relaxed))
		for (int i = 0; i < 10000; i++)
			counter++;
}

static void record_lateness(struct task *t, int64_t lateness)
{
	if (t->nr_wakeups == t->lateness_capacity) {
		size_t capacity = t->lateness_capacity ? 2 * t->lateness_capacity : 1024;
		int64_t *grown = realloc(t->lateness_ns, capacity * sizeof *grown);
		if (!grown)
			return; /* keep the samples so far */
		t->lateness_ns = grown;
		t->lateness_capacity = capacity;
	}
	t->lateness_ns[t->nr_wakeups++] = lateness;
}

static void sleep_and_run(struct task *t)
{
	while (!atomic_load_explicit(&stop, memory_order_relaxed)) {
		int64_t target = clock_ns(CLOCK_MONOTONIC) + t->sleep_ns;
		sleep_until(target);
		int64_t woke = clock_ns(CLOCK_MONOTONIC);
		if (target >= window_start_ns && woke <= window_end_ns)
			record_lateness(t, woke - target);
		if (t->run_ns > 0)
			burn_cpu(t->run_ns);
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
		}
	}
}

static void *task_main(void *arg)
{
	struct task *t = arg;
	set_up(t);
	pthread_barrier_wait(&start_line);
	if (t->failed)
		return NULL;
	if (t->sleep_ns == 0)
		spin_forever();
	else
		sleep_and_run(t);
	return NULL;
}

/* --- Command line ---------------------------------------------------------------------------- */

static void usage(FILE *out)
{
	fputs("usage: workload [--duration DUR] [--warmup DUR] [--cpu N] [--name COMM] --task SPEC...\n"
	      "\n"
	      "Runs one thread per --task for the warm-up and then the measured DURation (default 3s;\n"
	      "warm-up 200ms), and prints JSON: each task's CPU time in the window and its share of one\n"
	      "CPU, and for sleepers the lateness of their wake-ups (p50, p99, max).  --name gives the\n"
	      "controlling thread (which starts, times and stops the tasks) a comm of its own, so that a\n"
	      "policy can put it in a class that the tasks cannot starve.\n"
	      "\n"
	      "SPEC is a comma-separated list of:\n"
	      "  name=COMM   the task's comm (at most 15 characters; default task0, task1, ...)\n"
	      "  nice=N      its nice value, -20..19 (default 0)\n"
	      "  cpu=N       pin it to CPU N (default: --cpu, else not pinned)\n"
	      "  hog         spin without ever sleeping (the default)\n"
	      "  sleep=DUR   sleep DUR, wake, run, repeat; wake-ups are timed\n"
	      "  run=DUR     CPU time to use after each wake-up (default 0)\n"
	      "DUR is a whole number with a unit: ns, us, ms or s (e.g. 500us, 3s).\n"
	      "Example: workload --cpu 0 --task name=hog0,hog --task name=hog5,nice=5,hog --task name=s,sleep=1ms\n",
	      out);
}

static _Noreturn void bad_usage(const char *fmt, const char *what)
{
	fputs("workload: ", stderr);
	fprintf(stderr, fmt, what);
	fputs("\nTry 'workload --help'.\n", stderr);
	exit(2);
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

static bool parse_duration(const char *text, int64_t *ns)
{
	static const struct { const char *unit; int64_t scale; } units[] = {
		{ "ns", 1 }, { "us", 1000 }, { "ms", 1000000 }, { "s", NSEC_PER_SEC },
	};
	char *end;
	errno = 0;
	long long v = strtoll(text, &end, 10);
	if (end == text || errno != 0 || v < 0 || *text == '-' || *text == '+')
		return false;
	for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
		if (strcmp(end, units[i].unit) == 0) {
			if (v > INT64_MAX / units[i].scale)
				return false;
			*ns = v * units[i].scale;
			return true;
		}
	}
	return false;
}

static void parse_task(char *spec, struct task *t, int index, int default_cpu)
{
	snprintf(t->name, sizeof t->name, "task%d", index);
	t->cpu = default_cpu;
	for (char *save = NULL, *item = strtok_r(spec, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
		char *value = strchr(item, '=');
		if (value)
			*value++ = '\0';
		long number;
		if (strcmp(item, "hog") == 0 && !value) {
			t->sleep_ns = 0;
		} else if (strcmp(item, "name") == 0 && value) {
			if (*value == '\0' || strlen(value) > COMM_MAX)
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
		} else if (strcmp(item, "sleep") == 0 && value) {
			if (!parse_duration(value, &t->sleep_ns) || t->sleep_ns == 0)
				bad_usage("sleep=%s: want a positive duration such as 1ms", value);
		} else if (strcmp(item, "run") == 0 && value) {
			if (!parse_duration(value, &t->run_ns))
				bad_usage("run=%s: want a duration such as 2ms", value);
		} else {
			bad_usage("unknown task setting '%s' (know name=, nice=, cpu=, hog, sleep=, run=)", item);
		}
	}
}

/* --- Report ---------------------------------------------------------------------------------- */

static int compare_int64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

static int64_t percentile(const int64_t *sorted, size_t n, int p)
{
	return n ? sorted[(n - 1) * (size_t)p / 100] : 0;
}

static void print_report(int64_t window_ns, int64_t warmup_ns)
{
	printf("{\n  \"window_ns\": %lld,\n  \"warmup_ns\": %lld,\n  \"nr_cpus\": %ld,\n  \"tasks\": [\n",
	       (long long)window_ns, (long long)warmup_ns, sysconf(_SC_NPROCESSORS_ONLN));
	for (int i = 0; i < nr_tasks; i++) {
		struct task *t = &tasks[i];
		int64_t cpu_ns = t->cpu_end_ns - t->cpu_start_ns;
		qsort(t->lateness_ns, t->nr_wakeups, sizeof *t->lateness_ns, compare_int64);
		printf("    {\"name\": \"%s\", \"nice\": %d, \"cpu\": %d, \"pattern\": \"%s\", "
		       "\"run_ns\": %lld, \"sleep_ns\": %lld,\n"
		       "     \"cpu_ns\": %lld, \"cpu_share\": %.4f, \"wakeups\": %zu, "
		       "\"lateness_ns\": {\"p50\": %lld, \"p99\": %lld, \"max\": %lld}}%s\n",
		       t->name, t->nice, t->cpu, t->sleep_ns ? "sleep" : "hog", (long long)t->run_ns,
		       (long long)t->sleep_ns, (long long)cpu_ns, window_ns > 0 ? (double)cpu_ns / (double)window_ns : 0.0,
		       t->nr_wakeups, (long long)percentile(t->lateness_ns, t->nr_wakeups, 50),
		       (long long)percentile(t->lateness_ns, t->nr_wakeups, 99),
		       (long long)(t->nr_wakeups ? t->lateness_ns[t->nr_wakeups - 1] : 0),
		       i + 1 < nr_tasks ? "," : "");
	}
	printf("  ]\n}\n");
}

/* Reads each task's CPU clock at (about) the same moment. */
static void sample_cpu_times(clockid_t *clocks, bool at_end)
{
	for (int i = 0; i < nr_tasks; i++) {
		int64_t ns = clock_ns(clocks[i]);
		if (at_end)
			tasks[i].cpu_end_ns = ns;
		else
			tasks[i].cpu_start_ns = ns;
	}
}

int main(int argc, char **argv)
{
	int64_t window_ns = 3 * NSEC_PER_SEC, warmup_ns = 200 * 1000000LL;
	int default_cpu = -1;
	const char *controller_name = NULL;
	char *specs[MAX_TASKS];

	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];
		if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
			usage(stdout);
			return 0;
		}
		if (i + 1 >= argc)
			bad_usage(strncmp(arg, "--", 2) == 0 ? "%s needs a value" : "unexpected argument '%s'", arg);
		const char *value = argv[++i];
		long number;
		if (strcmp(arg, "--duration") == 0) {
			if (!parse_duration(value, &window_ns) || window_ns == 0)
				bad_usage("--duration %s: want a positive duration such as 3s", value);
		} else if (strcmp(arg, "--warmup") == 0) {
			if (!parse_duration(value, &warmup_ns))
				bad_usage("--warmup %s: want a duration such as 200ms", value);
		} else if (strcmp(arg, "--cpu") == 0) {
			if (!parse_int(value, 0, CPU_SETSIZE - 1, &number))
				bad_usage("--cpu %s: not a CPU number", value);
			default_cpu = (int)number;
		} else if (strcmp(arg, "--name") == 0) {
			if (!*value || strlen(value) > 15)
				bad_usage("--name %s: want a comm of 1 to 15 characters", value);
			controller_name = value;
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
	/* Parse after all options, so --cpu applies to every task wherever it stands. */
	for (int i = 0; i < nr_tasks; i++)
		parse_task(specs[i], &tasks[i], i, default_cpu);

	if (controller_name && prctl(PR_SET_NAME, controller_name, 0, 0, 0) != 0) {
		fprintf(stderr, "workload: cannot name the controlling thread: %s\n", strerror(errno));
		return 1;
	}

	pthread_barrier_init(&start_line, NULL, (unsigned)nr_tasks + 1);
	for (int i = 0; i < nr_tasks; i++) {
		int err = pthread_create(&tasks[i].thread, NULL, task_main, &tasks[i]);
		if (err) {
			fprintf(stderr, "workload: cannot start task %s: %s\n", tasks[i].name, strerror(err));
			return 1;
		}
	}
	clockid_t clocks[MAX_TASKS];
	for (int i = 0; i < nr_tasks; i++)
		pthread_getcpuclockid(tasks[i].thread, &clocks[i]);

	window_start_ns = clock_ns(CLOCK_MONOTONIC) + warmup_ns;
	window_end_ns = window_start_ns + window_ns;
	pthread_barrier_wait(&start_line);

	sleep_until(window_start_ns);
	int64_t started = clock_ns(CLOCK_MONOTONIC);
	sample_cpu_times(clocks, false);
	sleep_until(window_end_ns);
	int64_t ended = clock_ns(CLOCK_MONOTONIC);
	sample_cpu_times(clocks, true);
	atomic_store(&stop, true);
	for (int i = 0; i < nr_tasks; i++)
		pthread_join(tasks[i].thread, NULL);

	int status = 0;
	for (int i = 0; i < nr_tasks; i++) {
		if (tasks[i].failed) {
			fprintf(stderr, "workload: task %s could not %s: %s\n", tasks[i].name, tasks[i].failed,
				strerror(tasks[i].setup_error));
			status = 1;
		}
	}
	if (status == 0)
		print_report(ended - started, warmup_ns);
	for (int i = 0; i < nr_tasks; i++)
		free(tasks[i].lateness_ns);
	return status;
}
