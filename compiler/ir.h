/*
 * ir.h — the policy as tables, which the emitter turns into C.
 *
 * Lowering turns the checked AST into this: params, queues and classes as arrays indexed by
 * small integers, a dispatch plan and a CPU-selection plan as ordered lists, and every
 * expression as a small typed tree over a closed set of operations (constants already
 * folded, `comm in (...)` already expanded, units already nanoseconds).  ir_dump() prints a
 * stable text form that the golden tests compare.
 */
#ifndef SCXC_IR_H
#define SCXC_IR_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "ast.h"
#include "source.h"
#include "scxc/contract.h"

/* Task attributes a policy can read.  X(enum, name in the language, type) */
#define TASK_FIELD_LIST(X) \
	X(FIELD_COMM, "comm", TYPE_STRING) \
	X(FIELD_PID, "pid", TYPE_INT) \
	X(FIELD_TGID, "tgid", TYPE_INT) \
	X(FIELD_UID, "uid", TYPE_INT) \
	X(FIELD_GID, "gid", TYPE_INT) \
	X(FIELD_NICE, "nice", TYPE_INT) \
	X(FIELD_WEIGHT, "weight", TYPE_INT) \
	X(FIELD_KTHREAD, "kthread", TYPE_BOOL)
enum task_field {
#define X(field, name, type) field,
	TASK_FIELD_LIST(X)
#undef X
	TASK_FIELD_COUNT
};
extern const char *const task_field_names[TASK_FIELD_COUNT];
extern const enum type task_field_types[TASK_FIELD_COUNT];

/* Values with no task: X(enum, name, type) */
#define BUILTIN_VALUE_LIST(X) \
	X(BUILTIN_NR_CPUS, "nr_cpus", TYPE_INT)
enum builtin_value {
#define X(value, name, type) value,
	BUILTIN_VALUE_LIST(X)
#undef X
	BUILTIN_VALUE_COUNT
};
extern const char *const builtin_value_names[BUILTIN_VALUE_COUNT];

/* Expression operations.  X(enum, number of args) */
#define IR_OP_LIST(X) \
	X(IR_CONST, 0)		/* value */ \
	X(IR_PARAM, 0)		/* index: param */ \
	X(IR_TASK_FIELD, 0)	/* index: enum task_field (not FIELD_COMM) */ \
	X(IR_NR_CPUS, 0) \
	X(IR_QUEUED, 0)		/* index: queue; number of tasks waiting in it */ \
	X(IR_COMM_EQ, 0)	/* text: task's comm equals it exactly */ \
	X(IR_COMM_GLOB, 0)	/* text: task's comm matches the glob (* and ?) */ \
	X(IR_NEG, 1) X(IR_NOT, 1) \
	X(IR_ADD, 2) X(IR_SUB, 2) X(IR_MUL, 2) X(IR_DIV, 2) X(IR_MOD, 2) \
	X(IR_EQ, 2) X(IR_NE, 2) X(IR_LT, 2) X(IR_LE, 2) X(IR_GT, 2) X(IR_GE, 2) \
	X(IR_AND, 2) X(IR_OR, 2) \
	X(IR_MIN, 2) X(IR_MAX, 2) \
	X(IR_CLAMP, 3)		/* clamp(x, low, high) */
enum ir_op {
#define X(op, arity) op,
	IR_OP_LIST(X)
#undef X
};
extern const char *const ir_op_names[];

/* Values are 64-bit signed; durations are nanoseconds; bools are 0 or 1. */
struct ir_expr {
	enum ir_op op;
	enum type type;			/* TYPE_INT, TYPE_DURATION or TYPE_BOOL */
	int64_t value;			/* IR_CONST */
	int index;			/* IR_PARAM, IR_TASK_FIELD, IR_QUEUED */
	char *text;			/* IR_COMM_EQ, IR_COMM_GLOB */
	struct ir_expr *args[3];
	struct span span;
};

struct ir_param {
	char *name;
	enum type type;			/* TYPE_INT, TYPE_DURATION or TYPE_BOOL */
	int64_t default_value, min, max;	/* the range is always present (type limits if unwritten) */
	struct span span;
};

/* Queue kinds and CPU steps are the contract's (scxc/contract.h), named as the language writes
 * them; *_of() finds a written name's entry, or -1. */
extern const char *const queue_kind_names[SCXC_NR_QUEUE_KINDS];
extern const char *const queue_kind_meanings[SCXC_NR_QUEUE_KINDS];	/* "fifo (first come, …)" */
extern const char *const cpu_step_names[SCXC_NR_CPU_STEP_KINDS];
int queue_kind_of(const char *word);
int cpu_step_of(const char *text);

struct ir_queue {
	char *name;
	enum scxc_queue_kind kind;
	struct span span;
};

struct ir_class {
	char *name;
	struct ir_expr *when;		/* NULL: matches every task (the catch-all) */
	int queue;
	struct ir_expr *slice;		/* duration; never NULL (the default is written in) */
	struct ir_expr *weight;		/* int; NULL: the task's own weight */
	struct span span;
};

/* Dispatch plan: tiers in strict priority order; each names its queues. */
struct ir_tier {
	int *queues;
	int queue_count;
	struct span span;
};

struct ir_policy {
	char *name;
	char *source_path;		/* as given on the command line (for comments only) */
	struct ir_param *params; int param_count;
	struct ir_queue *queues; int queue_count;
	struct ir_class *classes; int class_count;
	struct ir_tier *tiers; int tier_count;
	enum scxc_cpu_step *cpu_steps; int cpu_step_count;	/* tried in order */
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
