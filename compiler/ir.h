/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ir.h — the policy as tables, which the emitter turns into C.
 *
 * Lowering turns the checked AST into this: params, queues and classes as arrays indexed by
 * small integers, a dispatch plan and a CPU-selection plan as ordered lists, and every
 * expression as a small typed tree over a closed set of operations (constants already
 * folded, `comm in (...)` already expanded, units already nanoseconds).  ir_dump() prints a
 * stable text form that the golden tests compare.  The vocabulary expressions are built
 * from is kept here as one table each, which sema, lowering and the emitter all read: task
 * fields, builtin values, IR operations, the language's functions and CPU steps.
 */
#ifndef SCXC_IR_H
#define SCXC_IR_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "ast.h"
#include "source.h"
#include "scxc/contract.h"

/*
 * Task attributes a policy can read.  X(enum, name in the language, type, behaviour): a
 * behaviour is measured by the runtime as the task runs (docs/language.md says how), so a
 * policy that reads one has its tasks sorted again when a slice ends, not only on wake-up.
 */
/* clang-format off */
#define TASK_FIELD_LIST(X) \
	X(FIELD_COMM, "comm", TYPE_STRING, false) \
	X(FIELD_CGROUP, "cgroup", TYPE_STRING, false) \
	X(FIELD_PARENT_COMM, "parent_comm", TYPE_STRING, false) \
	X(FIELD_PID, "pid", TYPE_INT, false) \
	X(FIELD_TGID, "tgid", TYPE_INT, false) \
	X(FIELD_UID, "uid", TYPE_INT, false) \
	X(FIELD_GID, "gid", TYPE_INT, false) \
	X(FIELD_NICE, "nice", TYPE_INT, false) \
	X(FIELD_WEIGHT, "weight", TYPE_INT, false) \
	X(FIELD_KTHREAD, "kthread", TYPE_BOOL, false) \
	X(FIELD_SCHED_POLICY, "sched_policy", TYPE_INT, false) \
	X(FIELD_AVG_RUN, "avg_run", TYPE_DURATION, true) \
	X(FIELD_WAKE_RATE, "wake_rate", TYPE_INT, true) \
	X(FIELD_AVG_WAIT, "avg_wait", TYPE_DURATION, true) \
	X(FIELD_CPU_TIME, "cpu_time", TYPE_DURATION, true)
/* clang-format on */
enum task_field {
#define X(field, name, type, behaviour) field,
	TASK_FIELD_LIST(X)
#undef X
};
enum { TASK_FIELD_COUNT = SCXC_LIST_COUNT(TASK_FIELD_LIST) };
extern const char *const task_field_names[TASK_FIELD_COUNT];
extern const enum type task_field_types[TASK_FIELD_COUNT];
extern const bool task_field_is_behaviour[TASK_FIELD_COUNT];

/* Values with no task: X(enum, name, type) */
/* clang-format off */
#define BUILTIN_VALUE_LIST(X) \
	X(BUILTIN_NR_CPUS, "nr_cpus", TYPE_INT)
/* clang-format on */
enum builtin_value {
#define X(value, name, type) value,
	BUILTIN_VALUE_LIST(X)
#undef X
};
enum { BUILTIN_VALUE_COUNT = SCXC_LIST_COUNT(BUILTIN_VALUE_LIST) };
extern const char *const builtin_value_names[BUILTIN_VALUE_COUNT];

/* Expression operations.  X(enum, name in the IR's text form, number of args) */
/* clang-format off */
#define IR_OP_LIST(X) \
	X(IR_CONST, "const", 0)		/* value */ \
	X(IR_PARAM, "param", 0)		/* index: param */ \
	X(IR_TASK_FIELD, "task", 0)	/* index: enum task_field (not FIELD_COMM) */ \
	X(IR_NR_CPUS, "nr-cpus", 0) \
	X(IR_QUEUED, "queued", 0)	/* index: queue; number of tasks waiting in it */ \
	X(IR_COMM_EQ, "comm-eq", 0)	/* text: comm (index: FIELD_COMM or FIELD_PARENT_COMM) is it */ \
	X(IR_COMM_GLOB, "comm-glob", 0)	/* text: task's comm matches the glob (* and ?) */ \
	X(IR_CGROUP_EQ, "cgroup-eq", 0)	/* text: task's cgroup v2 path is it */ \
	X(IR_CGROUP_GLOB, "cgroup-glob", 0) /* text: task's cgroup v2 path matches the glob */ \
	X(IR_NEG, "neg", 1) X(IR_NOT, "not", 1) \
	X(IR_ADD, "add", 2) X(IR_SUB, "sub", 2) X(IR_MUL, "mul", 2) X(IR_DIV, "div", 2) \
	X(IR_MOD, "mod", 2) \
	X(IR_EQ, "eq", 2) X(IR_NE, "ne", 2) X(IR_LT, "lt", 2) X(IR_LE, "le", 2) X(IR_GT, "gt", 2) \
	X(IR_GE, "ge", 2) \
	X(IR_AND, "and", 2) X(IR_OR, "or", 2) \
	X(IR_MIN, "min", 2) X(IR_MAX, "max", 2) \
	X(IR_CLAMP, "clamp", 3)		/* clamp(x, low, high) */
/* clang-format on */
enum ir_op {
#define X(op, name, arity) op,
	IR_OP_LIST(X)
#undef X
};
extern const char *const ir_op_names[];
extern const int ir_op_arity[]; /* how many args each operation takes */

/* What a function takes, and what type its result has. */
enum function_arguments {
	ARGUMENTS_NUMBERS,   /* ints or durations, all of one type */
	ARGUMENT_QUEUE_NAME, /* the name of one queue */
};
enum function_result {
	RESULT_ARGUMENT_TYPE, /* the type of its arguments */
	RESULT_INT,
};

/* The functions of the language: X(enum, name, fewest arguments, most arguments (0: any
 * number), what they are, the result's type, the IR operation a call becomes, the runtime's
 * function that computes it, what a call with the wrong arguments is told it takes).  A
 * function of any number of arguments applies its two-argument IR operation from the left:
 * min(a, b, c) is min(min(a, b), c). */
/* clang-format off */
#define FUNCTION_LIST(X) \
	X(FUNCTION_MIN, "min", 2, 0, ARGUMENTS_NUMBERS, RESULT_ARGUMENT_TYPE, IR_MIN, \
	  "scxc_min", "at least two arguments") \
	X(FUNCTION_MAX, "max", 2, 0, ARGUMENTS_NUMBERS, RESULT_ARGUMENT_TYPE, IR_MAX, \
	  "scxc_max", "at least two arguments") \
	X(FUNCTION_CLAMP, "clamp", 3, 3, ARGUMENTS_NUMBERS, RESULT_ARGUMENT_TYPE, IR_CLAMP, \
	  "scxc_clamp", "three arguments: clamp(value, low, high)") \
	X(FUNCTION_QUEUED, "queued", 1, 1, ARGUMENT_QUEUE_NAME, RESULT_INT, IR_QUEUED, \
	  "scxc_queued", "the name of one queue")
/* clang-format on */
enum function {
#define X(function, name, fewest, most, arguments, result, op, runtime_call, takes) function,
	FUNCTION_LIST(X)
#undef X
};
#define X(function, name, fewest, most, arguments, result, op, runtime_call, takes) +1
enum { FUNCTION_COUNT = 0 FUNCTION_LIST(X) }; /* apart, so switches need no case for it */
#undef X
struct function_info {
	const char *name;
	int fewest_args, most_args; /* most_args 0: any number */
	enum function_arguments arguments;
	enum function_result result;
	enum ir_op op;
	const char *runtime_call; /* e.g. "scxc_min" */
	const char *takes;	  /* "at least two arguments" */
};
extern const struct function_info functions[FUNCTION_COUNT];
extern const char *const function_names[FUNCTION_COUNT];

/* Values are 64-bit signed; durations are nanoseconds; bools are 0 or 1. */
struct ir_expr {
	enum ir_op op;
	enum type type; /* TYPE_INT, TYPE_DURATION or TYPE_BOOL */
	int64_t value;	/* IR_CONST */
	int index;	/* IR_PARAM, IR_TASK_FIELD, IR_QUEUED */
	char *text;	/* IR_COMM_EQ, IR_COMM_GLOB, IR_CGROUP_EQ, IR_CGROUP_GLOB */
	struct ir_expr *args[3];
	struct span span;
};

struct ir_param {
	char *name;
	enum type type; /* TYPE_INT, TYPE_DURATION or TYPE_BOOL */
	int64_t default_value, min,
		max;	/* the range is always present (type limits if unwritten) */
	uint64_t *cpus; /* TYPE_CPUSET: the default set (cpusets.h); NULL otherwise */
	struct span span;
};

/* Queue kinds and CPU steps are the contract's (scxc/contract.h), named as the language writes
 * them; *_of() finds a written name's entry, or -1. */
extern const char *const queue_kind_names[SCXC_NR_QUEUE_KINDS];
extern const char *const queue_kind_meanings[SCXC_NR_QUEUE_KINDS]; /* "fifo (first come, …)" */
extern const char *const cpu_step_names[SCXC_NR_CPU_STEP_KINDS];
int queue_kind_of(const char *word);
int cpu_step_of(const char *text);

struct ir_queue {
	char *name;
	enum scxc_queue_kind kind;
	int64_t starvation; /* ns: its bound, or the policy's; 0: none */
	uint64_t *cpus;	    /* its constant CPU set (cpusets.h); NULL: none, or a param's */
	int cpus_param;	    /* the cpuset param that gives its set, plus one; 0: none */
	bool reserve;	    /* its CPUs run nothing but it */
	bool spill;	    /* its tasks may use idle CPUs outside its set */
	struct span span;
};

struct ir_policy;
/* Whether queue Q runs on a set of CPUs; any queue of the policy (cpusets.c). */
bool ir_queue_has_cpus(const struct ir_queue *queue);
bool ir_any_cpus(const struct ir_policy *policy);
/* Lowers the cpus, reserve and spill settings of a queue's body into QUEUE (cpusets.c). */
void lower_queue_cpus(const struct settings *settings, struct ir_queue *queue);
/* Writes " cpus 2-3 reserve spill" or " cpus (param NAME)" for the IR dump; nothing without a
 * set. */
void ir_dump_queue_cpus(const struct ir_policy *policy, const struct ir_queue *queue, FILE *out);

struct ir_class {
	char *name;
	struct ir_expr *when; /* NULL: matches every task (the catch-all) */
	int queue;
	struct ir_expr *slice;	  /* duration; never NULL (the default is written in) */
	struct ir_expr *weight;	  /* int; NULL: the task's own weight */
	struct ir_expr *deadline; /* duration from each wake-up; NULL: none (or the period) */
	struct ir_expr *period;	  /* duration; NULL: none */
	bool preempt;		  /* its waking tasks may take a CPU from lower work */
	struct span span;
};

/* Dispatch plan: tiers in strict priority order; each names its queues, and a tier of several
 * queues shares the CPU between them by ratio. */
struct ir_tier {
	int *queues;
	int *shares; /* one per queue; NULL for a queue alone */
	int queue_count;
	struct span span;
};

struct ir_policy {
	char *name;
	char *source_path; /* as given on the command line (for comments only) */
	struct ir_param *params;
	int param_count;
	struct ir_queue *queues;
	int queue_count;
	struct ir_class *classes;
	int class_count;
	struct ir_tier *tiers;
	int tier_count;
	enum scxc_cpu_step *cpu_steps;
	int cpu_step_count;   /* tried in order */
	bool reads_behaviour; /* an expression reads a behaviour field: sort on slice ends too */
	bool partial;	      /* only tasks that chose SCHED_EXT are scheduled (switch partial) */
};

/* The IR operation of a binary AST operator (OP_ADD → IR_ADD, …, OP_OR → IR_OR). */
enum ir_op ir_op_for_binary(enum binary_op op);

/* Applies OP (arity 1–3, not a leaf) to constant ARGS with the run-time semantics: 64-bit
 * two's complement wrap-around, x / 0 = x % 0 = 0, bools 0 or 1.  Sets *OVERFLOWED when
 * the exact result does not fit in 64 bits (the wrapped value is still returned). */
int64_t ir_eval(enum ir_op op, const int64_t args[3], bool *overflowed);

/* Writes VALUE of TYPE as the language spells it: 42, 5ms, 1500us, true.  Durations use the
 * largest unit that divides them exactly.  Returns OUT. */
#define IR_VALUE_TEXT_MAX 32
char *ir_format_value(enum type type, int64_t value, char out[IR_VALUE_TEXT_MAX]);

void ir_free(struct ir_policy *policy);
void ir_expr_free(struct ir_expr *expr);

/* Stable text form for --emit=ir and the golden tests. */
void ir_dump(const struct ir_policy *policy, FILE *out);

#endif
