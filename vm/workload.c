/* SPDX-License-Identifier: GPL-2.0-only */
/* workload — a small, measurable load for testing schedulers.
 *
 * Takes task specifications on the command line (comm name, nice value, CPU, and a pattern: a CPU
 * hog, a loop that sleeps and runs in turn, or a member of a ring of tasks that pass one token
 * around through pipes), starts one thread per task, lets them run for a warm-up and then a measured
 * window, and prints one JSON document to stdout: per task, the CPU time it got in the window, the
 * CPUs it was seen on and how often it moved, for sleepers how late its wake-ups were (p50/p99/max
 * of the time past the intended wake time), for ring members how often the token reached them; and
 * per CPU, how busy /proc/stat says it was in the window.  Built static so it runs in scxc-vm's
 * initramfs.  Usage: workload --help.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
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

#include "number.h"
#include "scxc/contract.h"

#define NSEC_PER_SEC 1000000000LL
#define MAX_TASKS 64
#define RING_MAX 15	/* longest ring name */
#define SPIN_BLOCK 4096 /* a hog's loop iterations between looks at the stop flag and its CPU */
#define TOKEN_BYTE 't'	/* what a ring passes round */
#define STOP_BYTE 's'	/* what the controller puts in every ring pipe when the run is over */

struct task {
	/* What was asked for. */
	char name[SCXC_COMM_MAX + 1];
	int nice;
	int cpu;		 /* -1: not pinned */
	int64_t run_ns;		 /* CPU time per burst; with sleep_ns == 0 the task is a hog */
	int64_t sleep_ns;	 /* sleep between bursts; 0: never sleeps */
	char ring[RING_MAX + 1]; /* "": not in a ring */

	/* What happened. */
	pthread_t thread;
	int setup_error;    /* errno of a failed set-up step, reported by main */
	const char *failed; /* which step failed */
	int64_t cpu_start_ns, cpu_end_ns;
	int64_t *lateness_ns; /* wake-ups inside the window, in ns past the intended time */
	size_t nr_wakeups, lateness_capacity;
	cpu_set_t cpus_seen; /* CPUs it was sampled on inside the window */
	int last_cpu;	     /* the previous sample's CPU; -1: none yet */
	uint64_t migrations; /* samples that differed from the previous one */

	/* Ring plumbing, set by main before the threads start. */
	int pipe_fds[2]; /* this task's pipe: it reads [0]; its predecessor writes [1] */
	int next_fd;	 /* the write end of the next task's pipe */
	bool ring_first; /* injects the token */
	uint64_t passes; /* tokens received inside the window */
};

static struct task tasks[MAX_TASKS];
static int nr_tasks;
static pthread_barrier_t start_line;
static atomic_bool stop;
static atomic_bool in_window;		       /* set by the controller while it measures */
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

/* Spins until this thread has used `ns` more CPU time, or the run is over; notes its CPU as it goes. */
static void burn_cpu(struct task *t, int64_t ns)
{
	int64_t until = clock_ns(CLOCK_THREAD_CPUTIME_ID) + ns;
	while (!atomic_load_explicit(&stop, memory_order_relaxed) &&
	       clock_ns(CLOCK_THREAD_CPUTIME_ID) < until)
		note_cpu(t);
}

/* A hog: looks at its CPU every SPIN_BLOCK iterations (microseconds natively, well under a
 * millisecond under TCG). */
static void spin_forever(struct task *t)
{
	volatile uint64_t counter = 0;
	while (!atomic_load_explicit(&stop, memory_order_relaxed)) {
		for (int i = 0; i < SPIN_BLOCK; i++)
			counter++;
		note_cpu(t);
	}
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
		note_cpu(t);
		if (target >= window_start_ns && woke <= window_end_ns)
			record_lateness(t, woke - target);
		if (t->run_ns > 0)
			burn_cpu(t, t->run_ns);
	}
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
		if (!receive_byte(t->pipe_fds[0], &byte) || byte == STOP_BYTE ||
		    atomic_load_explicit(&stop, memory_order_relaxed))
			return;
		if (atomic_load_explicit(&in_window, memory_order_relaxed))
			t->passes++;
		note_cpu(t);
		if (t->run_ns > 0)
			burn_cpu(t, t->run_ns);
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
	if (t->ring[0])
		pass_token(t);
	else if (t->sleep_ns == 0)
		spin_forever(t);
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
	      "CPU, the CPUs it was seen on (cpus_seen) and how often it moved (migrations), for sleepers\n"
	      "the lateness of their wake-ups (p50, p99, max), for ring tasks how often the token reached\n"
	      "them (passes); and how busy each CPU was (cpu_busy, from /proc/stat) and their sum\n"
	      "(busy_total).  --name gives the controlling thread (which starts, times and stops the\n"
	      "tasks) a comm of its own, so that a policy can put it in a class that the tasks cannot\n"
	      "starve.\n"
	      "\n"
	      "SPEC is a comma-separated list of:\n"
	      "  name=COMM   the task's comm (at most 15 characters; default task0, task1, ...)\n"
	      "  nice=N      its nice value, -20..19 (default 0)\n"
	      "  cpu=N       pin it to CPU N (default: --cpu, else not pinned)\n"
	      "  hog         spin without ever sleeping (the default)\n"
	      "  sleep=DUR   sleep DUR, wake, run, repeat; wake-ups are timed\n"
	      "  ring=NAME   pass a token round the ring NAME (1 to 15 of A-Z a-z 0-9 _): the tasks of a\n"
	      "              ring, in command-line order, each wait for it, run, and hand it to the next\n"
	      "              (the last to the first); at least 2 tasks; not with hog or sleep=\n"
	      "  run=DUR     CPU time to use after each wake-up or token (default 0)\n"
	      "DUR is a whole number with a unit: ns, us, ms or s (e.g. 500us, 3s).\n"
	      "Example: workload --cpu 0 --task name=hog0,hog --task name=hog5,nice=5,hog --task name=s,sleep=1ms\n"
	      "         workload --task name=ping,ring=a --task name=pong,ring=a,run=50us\n",
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

/* A duration as the language writes it (number.h): 5ms, 1_500us, 2s. */
static bool parse_duration(const char *text, int64_t *ns)
{
	struct number_literal literal;
	if (read_number(text, strlen(text), &literal) != NUMBER_OK || literal.unit == UNIT_NONE)
		return false;
	*ns = literal.value;
	return true;
}

static bool valid_ring_name(const char *name)
{
	size_t length = strlen(name);
	return length >= 1 && length <= RING_MAX &&
	       strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_") ==
		       length;
}

static void parse_task(char *spec, struct task *t, int index, int default_cpu)
{
	bool hog = false;
	snprintf(t->name, sizeof t->name, "task%d", index);
	t->cpu = default_cpu;
	t->last_cpu = -1;
	t->pipe_fds[0] = t->pipe_fds[1] = t->next_fd = -1;
	for (char *save = NULL, *item = strtok_r(spec, ",", &save); item;
	     item = strtok_r(NULL, ",", &save)) {
		char *value = strchr(item, '=');
		if (value)
			*value++ = '\0';
		long number;
		if (strcmp(item, "hog") == 0 && !value) {
			t->sleep_ns = 0;
			hog = true;
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
		} else if (strcmp(item, "sleep") == 0 && value) {
			if (!parse_duration(value, &t->sleep_ns) || t->sleep_ns == 0)
				bad_usage("sleep=%s: want a positive duration such as 1ms", value);
		} else if (strcmp(item, "run") == 0 && value) {
			if (!parse_duration(value, &t->run_ns))
				bad_usage("run=%s: want a duration such as 2ms", value);
		} else if (strcmp(item, "ring") == 0 && value) {
			if (!valid_ring_name(value))
				bad_usage("ring name '%s' must have 1 to 15 of A-Z, a-z, 0-9 and _",
					  value);
			strcpy(t->ring, value);
		} else {
			bad_usage(
				"unknown task setting '%s' (know name=, nice=, cpu=, hog, sleep=, run=, ring=)",
				item);
		}
	}
	if (t->ring[0] && (hog || t->sleep_ns))
		bad_usage("task %s: ring=%s cannot be combined with %s", t->name, t->ring,
			  hog ? "hog" : "sleep=");
}

/* The task after task i in its ring (the rings close on themselves); -1 if it is alone. */
static int next_in_ring(int i)
{
	for (int k = 1; k < nr_tasks; k++) {
		int j = (i + k) % nr_tasks;
		if (strcmp(tasks[j].ring, tasks[i].ring) == 0)
			return j;
	}
	return -1;
}

/* Checks that every ring has 2 tasks or more; then gives each ring task its pipe and the write end
 * of its successor's.  Returns false (having said why) if a pipe cannot be made. */
static bool link_rings(void)
{
	for (int i = 0; i < nr_tasks; i++)
		if (tasks[i].ring[0] && next_in_ring(i) < 0)
			bad_usage("ring '%s' has only one task (%s): a ring needs at least 2",
				  tasks[i].ring, tasks[i].name);
	for (int i = 0; i < nr_tasks; i++) {
		if (tasks[i].ring[0] && pipe(tasks[i].pipe_fds) != 0) {
			fprintf(stderr, "workload: cannot make a pipe for ring %s: %s\n",
				tasks[i].ring, strerror(errno));
			return false;
		}
	}
	for (int i = 0; i < nr_tasks; i++) {
		if (!tasks[i].ring[0])
			continue;
		tasks[i].next_fd = tasks[next_in_ring(i)].pipe_fds[1];
		tasks[i].ring_first = true;
		for (int j = 0; j < i; j++)
			if (strcmp(tasks[j].ring, tasks[i].ring) == 0)
				tasks[i].ring_first = false;
	}
	return true;
}

/* Wakes every ring task out of its read (after `stop` is set), so that all of them can be joined. */
static void stop_rings(void)
{
	for (int i = 0; i < nr_tasks; i++)
		if (tasks[i].ring[0])
			send_byte(tasks[i].pipe_fds[1], STOP_BYTE);
}

static void close_rings(void)
{
	for (int i = 0; i < nr_tasks; i++) {
		if (tasks[i].ring[0]) {
			close(tasks[i].pipe_fds[0]);
			close(tasks[i].pipe_fds[1]);
		}
	}
}

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

static void print_task(struct task *t, int64_t window_ns, bool last)
{
	int64_t cpu_ns = t->cpu_end_ns - t->cpu_start_ns;
	if (t->nr_wakeups) /* qsort must not be given a null array, even an empty one */
		qsort(t->lateness_ns, t->nr_wakeups, sizeof *t->lateness_ns, compare_int64);
	printf("    {\"name\": ");
	print_json_string(t->name);
	printf(", \"nice\": %d, \"cpu\": %d, \"pattern\": \"%s\", ", t->nice, t->cpu,
	       t->ring[0]    ? "ring"
	       : t->sleep_ns ? "sleep"
			     : "hog");
	if (t->ring[0])
		printf("\"ring\": \"%s\", ", t->ring);
	printf("\"run_ns\": %lld, \"sleep_ns\": %lld,\n"
	       "     \"cpu_ns\": %lld, \"cpu_share\": %.4f, \"wakeups\": %zu, ",
	       (long long)t->run_ns, (long long)t->sleep_ns, (long long)cpu_ns,
	       window_ns > 0 ? (double)cpu_ns / (double)window_ns : 0.0, t->nr_wakeups);
	if (t->ring[0])
		printf("\"passes\": %" PRIu64 ", ", t->passes);
	printf("\"lateness_ns\": {\"p50\": %lld, \"p99\": %lld, \"max\": %lld},\n",
	       (long long)percentile(t->lateness_ns, t->nr_wakeups, 50),
	       (long long)percentile(t->lateness_ns, t->nr_wakeups, 99),
	       (long long)(t->nr_wakeups ? t->lateness_ns[t->nr_wakeups - 1] : 0));
	printf("     \"cpus_seen\": [");
	const char *separator = "";
	for (int cpu = 0; cpu < CPU_SETSIZE; cpu++) {
		if (CPU_ISSET(cpu, &t->cpus_seen)) {
			printf("%s%d", separator, cpu);
			separator = ", ";
		}
	}
	printf("], \"migrations\": %" PRIu64 "}%s\n", t->migrations, last ? "" : ",");
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

static void print_report(int64_t window_ns, int64_t warmup_ns)
{
	printf("{\n  \"window_ns\": %lld,\n  \"warmup_ns\": %lld,\n  \"nr_cpus\": %ld,\n",
	       (long long)window_ns, (long long)warmup_ns, sysconf(_SC_NPROCESSORS_ONLN));
	print_cpu_busy();
	printf("  \"tasks\": [\n");
	for (int i = 0; i < nr_tasks; i++)
		print_task(&tasks[i], window_ns, i + 1 == nr_tasks);
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
			bad_usage(strncmp(arg, "--", 2) == 0 ? "%s needs a value"
							     : "unexpected argument '%s'",
				  arg);
		const char *value = argv[++i];
		long number;
		if (strcmp(arg, "--duration") == 0) {
			if (!parse_duration(value, &window_ns) || window_ns == 0)
				bad_usage("--duration %s: want a positive duration such as 3s",
					  value);
		} else if (strcmp(arg, "--warmup") == 0) {
			if (!parse_duration(value, &warmup_ns))
				bad_usage("--warmup %s: want a duration such as 200ms", value);
		} else if (strcmp(arg, "--cpu") == 0) {
			if (!parse_int(value, 0, CPU_SETSIZE - 1, &number))
				bad_usage("--cpu %s: not a CPU number", value);
			default_cpu = (int)number;
		} else if (strcmp(arg, "--name") == 0) {
			if (!*value || strlen(value) > SCXC_COMM_MAX)
				bad_usage("--name %s: want a comm of 1 to %d characters", value,
					  SCXC_COMM_MAX);
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
	if (!link_rings())
		return 1;

	if (controller_name && prctl(PR_SET_NAME, controller_name, 0, 0, 0) != 0) {
		fprintf(stderr, "workload: cannot name the controlling thread: %s\n",
			strerror(errno));
		return 1;
	}

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

	window_start_ns = clock_ns(CLOCK_MONOTONIC) + warmup_ns;
	window_end_ns = window_start_ns + window_ns;
	pthread_barrier_wait(&start_line);

	sleep_until(window_start_ns);
	read_cpu_jiffies(&jiffies_start);
	int64_t started = clock_ns(CLOCK_MONOTONIC);
	sample_cpu_times(clocks, false);
	atomic_store(&in_window, true);
	sleep_until(window_end_ns);
	atomic_store(&in_window, false);
	int64_t ended = clock_ns(CLOCK_MONOTONIC);
	sample_cpu_times(clocks, true);
	if (jiffies_start.ok)
		read_cpu_jiffies(&jiffies_end);
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
	if (status == 0)
		print_report(ended - started, warmup_ns);
	for (int i = 0; i < nr_tasks; i++)
		free(tasks[i].lateness_ns);
	return status;
}
