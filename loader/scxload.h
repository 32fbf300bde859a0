/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * scxload.h — the scxc loader library: takes an scxc BPF object (a file or bytes built into the
 * program) and command-line words, and runs it as the kernel's sched_ext scheduler.
 *
 *   report.c       messages to stderr under the program's name, errors and notes
 *   object.c       reads the object's ELF file, finds its `.scxc` section and the runtime's
 *                  variables
 *   description.c  reads the `.scxc` self-description (docs/object-format.md) and validates it
 *   params.c       parses `name=value` for `--set` and `scxrun set` (units, types, ranges,
 *                  "did you mean")
 *   cpusets.c      CPU sets: the kernel's cpulist syntax, and the sets checked against the
 *                  machine before load
 *   sysfs.c        what the kernel's sysfs says about sched_ext: present, state, active ops
 *   run.c          preflight checks, load, attach in link mode, the run loop, restarts
 *   verifier_log.c libbpf's messages kept during a load; a refusal explained by the end of the
 *                  verifier's log and the policy line it names
 *   stats.c        the runtime's stats, params and exit record, read from its maps; the stats
 *                  table, the JSON lines and the summary
 *   waits.c        the wait-time histograms: summed over CPUs, their percentiles, printed
 *   state.c        the live state a running scxrun publishes for `scxrun set`/`get` (a pinned
 *                  params map, the description and scxrun's pid), found again and cleaned up
 *   live.c         the params map mapped into memory, and the `scxrun set`/`get` commands
 *   verified.c     how much work the verifier did for each program
 *   cli.c          the command line shared by `scxrun` and the standalone per-policy binaries
 *   topology.c     the machine's caches, NUMA nodes and SMT from sysfs, for a policy's
 *                  topology CPU steps (runtime/scxc/topology.h)
 *
 * run.h is what these files share privately.  Messages go to stderr prefixed with the
 * program's name; stats go to stdout.
 */
#ifndef SCXLOAD_H
#define SCXLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Exit statuses of scxrun and of standalone binaries. */
enum scxload_status {
	SCXLOAD_OK = 0,		 /* stopped by a signal or --duration; unloaded cleanly */
	SCXLOAD_FAILED = 1,	 /* could not load or attach: environment, object, verifier */
	SCXLOAD_USAGE = 2,	 /* bad command line, including a refused --set */
	SCXLOAD_KERNEL_EXIT = 3, /* the kernel threw the scheduler out with an error */
};

/* The program name used to prefix messages ("scxrun", "scx_fair"). */
extern const char *scxload_progname;

/* Prints "PROG: error: MESSAGE" to stderr. */
void scxload_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints "PROG: MESSAGE" to stderr: something to know that is not an error. */
void scxload_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

enum scxload_param_type { SCXLOAD_INT, SCXLOAD_DURATION, SCXLOAD_BOOL, SCXLOAD_CPUSET };

struct scxload_param {
	char *name;
	enum scxload_param_type type;
	int64_t def, min, max; /* durations in ns; bools 0/1; a cpuset's are 0 */
	int64_t value;	       /* the default until --set changes it */
	uint64_t *cpus;	       /* a cpuset's CPUs (SCXC_CPUSET_WORDS words, bit c: CPU c) */
};

/* A queue's CPU set, from a `cpus` record: its own CPUs, or the cpuset param that gives them. */
struct scxload_cpus {
	char *queue;
	uint64_t *bits; /* NULL when a param gives them */
	int param;	/* the param's index; -1: none */
};

struct scxload_named {
	char *name;
	char *detail; /* a queue's kind, a class's queue */
};

/* What a stat counts: events, or a total of time in ns. */
enum scxload_unit { SCXLOAD_COUNT, SCXLOAD_NS };

struct scxload_stat {
	char *name;
	enum scxload_unit unit;
};

/* An object and what its `.scxc` section says about it. */
struct scxload_object {
	char *label; /* how messages name it: the path, or the program */
	void *elf;   /* the whole ELF file */
	size_t elf_size;
	char *description; /* the `.scxc` text, as the object holds it */
	char *policy;
	char *source;
	bool partial; /* `switch partial`: only the tasks that chose SCHED_EXT */
	struct scxload_param *params;
	int nr_params;
	struct scxload_named *queues;
	int nr_queues;
	struct scxload_named *classes;
	int nr_classes;
	struct scxload_stat *stats;
	int nr_stats;
	struct scxload_cpus *cpusets;
	int nr_cpusets;
	/* Where the exit record scxc_exit lives in .bss, from the ELF symbol table (-1: absent).
	 * The params, scxc_params, are the whole of the section .data.params. */
	long exit_offset;
};

/* Reads PATH and its self-description.  Reports a plain error and returns false for a
 * missing or unreadable file, a file that is not ELF, not BPF, has no valid `.scxc`, or lacks
 * a variable or map of the runtime that the loader needs. */
bool scxload_object_from_file(struct scxload_object *object, const char *path);
/* The same for an object built into the program; DATA is copied. */
bool scxload_object_from_memory(struct scxload_object *object, const char *label, const void *data,
				size_t size);
void scxload_object_free(struct scxload_object *object);

/* Applies one `name=value` to OBJECT's params, or reports why not and returns false. */
bool scxload_set_param(struct scxload_object *object, const char *assignment);
/* Parses a duration with a unit (ns, us, ms, s) into *NS; false if it is not one. */
bool scxload_parse_duration(const char *text, int64_t *ns);
/* Writes NS in the largest unit that keeps it exact ("5ms", "1500us", "0"). */
void scxload_format_duration(int64_t ns, char *buf, size_t size);
/* Reads TEXT in the kernel's cpulist syntax ("0-3,6") into BITS (SCXC_CPUSET_WORDS words); says
 * why not into WHY and returns false.  Writes BITS the same way (empty: ""). */
bool scxload_parse_cpulist(const char *text, uint64_t *bits, char *why, size_t size);
void scxload_format_cpulist(const uint64_t *bits, char *buf, size_t size);

/* Writes a param value in the form --set accepts. */
void scxload_format_value(const struct scxload_param *param, int64_t value, char *buf, size_t size);
/* Writes PARAM's range ("in 1ms .. 1s", "at least 0", "at most 10"), or "" when it has none. */
void scxload_format_range(const struct scxload_param *param, char *buf, size_t size);

struct scxload_options {
	int64_t interval_ns; /* how often to print stats */
	int64_t duration_ns; /* stop after this long; 0: run until a signal */
	bool json;	     /* one JSON object per line instead of a table */
	bool verbose;	     /* all of libbpf's messages and the whole verifier log */
};

/* From the verifier's log of a refused program: the policy line the refused code came from,
 * read from the last line the log quotes from a .sched file ("; TEXT @ fair.sched:12", from the
 * BTF line info the emitter's `#line` directives give).  Writes the sentence scxrun prints
 * ("the verifier refused code from fair.sched:12: `TEXT`"; "... code in ops.bpf.h:80,
 * reached from fair.sched:12 ..." when later quoted lines are the runtime's) into MESSAGE and
 * returns true; false when the log quotes no policy line. */
bool scxload_policy_line_of_log(const char *log, size_t length, char *message, size_t size);

/* The verifier's work for one program: the instructions it processed to accept it. */
struct scxload_verified {
	char name[64];
	uint32_t insns;
};

struct bpf_object;
/* Fills OUT with up to MAX loaded programs of BPF and their verifier work; returns how many. */
int scxload_read_verified(struct bpf_object *bpf, struct scxload_verified *out, int max);

/* Checks the machine, loads, attaches and runs OBJECT until a signal, the duration, or a
 * kernel-side exit; loads again when the kernel asks for a restart.  Returns the exit status. */
int scxload_run(struct scxload_object *object, const struct scxload_options *options);

/* An object built into a standalone binary. */
struct scxload_embedded {
	const void *data;
	size_t size;
};

/* `scxrun set POLICY NAME=VALUE...` and `scxrun get POLICY` (ARGV[0] is "set" or "get"): change
 * or show the params of the scheduler a running scxrun published.  Returns the exit status. */
int scxload_live_main(int argc, char **argv);

/* The whole command line of scxrun (EMBEDDED NULL: the object is the first operand, and `--vm`,
 * `set` and `get` are available) or of a standalone binary (EMBEDDED: the built-in object).
 * Returns the status. */
int scxload_main(int argc, char **argv, const struct scxload_embedded *embedded);

#endif
