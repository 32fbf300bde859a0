/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ast.h — the syntax tree the parser builds and sema annotates.
 *
 * The tree is the policy as written: names are still strings and every node has the span of
 * the text it came from.  Sema fills in the `type` and `ref` fields of expressions, the
 * value of every constant one (`constant`, `value`), and the resolved indices of
 * declarations; lowering then reads only checked trees.  The words the language gives a
 * meaning to in declarations are tables here (types, param types, class settings); those of
 * expressions that become IR (task fields, builtins, functions) are tables in ir.h.
 */
#ifndef SCXC_AST_H
#define SCXC_AST_H

#include <stdbool.h>
#include <stdint.h>

#include "number.h" /* enum unit: a literal's unit; its value is kept in nanoseconds */
#include "source.h"

/* Types of expressions (filled by sema).  X(enum, name, name with its article for messages) */
/* clang-format off */
#define TYPE_LIST(X) \
	X(TYPE_UNKNOWN, "<error>", "an invalid value") \
	X(TYPE_INT, "int", "an int") \
	X(TYPE_DURATION, "duration", "a duration") \
	X(TYPE_BOOL, "bool", "a bool") \
	X(TYPE_STRING, "string", "a string") \
	X(TYPE_QUEUE, "queue", "a queue") \
	X(TYPE_CPUSET, "cpuset", "a CPU set")
/* clang-format on */
enum type {
#define X(kind, name, with_article) kind,
	TYPE_LIST(X)
#undef X
};
const char *type_name(enum type type);
/* "an int", "a duration", … */
const char *a_type(enum type type);

/* The types a param may have, each with the range a param of it has when none is written:
 * X(type, lowest value, highest value). */
/* clang-format off */
#define PARAM_TYPE_LIST(X) \
	X(TYPE_INT, INT64_MIN, INT64_MAX) \
	X(TYPE_DURATION, 0, INT64_MAX) \
	X(TYPE_BOOL, 0, 1) \
	X(TYPE_CPUSET, 0, 0)
/* clang-format on */
struct param_type {
	enum type type;
	int64_t min, max;
};
#define X(type, min, max) +1
enum { PARAM_TYPE_COUNT = 0 PARAM_TYPE_LIST(X) };
#undef X
extern const struct param_type param_types[PARAM_TYPE_COUNT];

/*
 * Settings: KEY = VALUE; in a body.  Classes, queues and the policy each have a table:
 * X(enum, key, type of its value, whether it must be a constant, an example of it).
 */
/* clang-format off */
#define CLASS_SETTING_LIST(X) \
	X(SETTING_QUEUE, "queue", TYPE_QUEUE, true, "queue = main;") \
	X(SETTING_SLICE, "slice", TYPE_DURATION, false, "slice = 5ms;") \
	X(SETTING_WEIGHT, "weight", TYPE_INT, false, "weight = task.weight * 2;") \
	X(SETTING_DEADLINE, "deadline", TYPE_DURATION, false, "deadline = 16ms;") \
	X(SETTING_PERIOD, "period", TYPE_DURATION, false, "period = 16ms;") \
	X(SETTING_PREEMPT, "preempt", TYPE_BOOL, true, "preempt = true;")
/* clang-format on */
/* clang-format off */
#define QUEUE_SETTING_LIST(X) \
	X(QUEUE_SETTING_STARVATION, "starvation", TYPE_DURATION, true, "starvation = 100ms;") \
	X(QUEUE_SETTING_CPUS, "cpus", TYPE_CPUSET, false, "cpus = [2-3];") \
	X(QUEUE_SETTING_RESERVE, "reserve", TYPE_BOOL, true, "reserve = true;") \
	X(QUEUE_SETTING_SPILL, "spill", TYPE_BOOL, true, "spill = true;")
/* clang-format on */
/* clang-format off */
#define POLICY_SETTING_LIST(X) \
	X(POLICY_SETTING_STARVATION, "starvation", TYPE_DURATION, true, "starvation = 100ms;") \
	X(POLICY_SETTING_PARTIAL, "partial", TYPE_BOOL, true, "partial = true;")
/* clang-format on */
enum class_setting {
#define X(setting, key, type, constant, example) setting,
	CLASS_SETTING_LIST(X)
};
enum queue_setting { QUEUE_SETTING_LIST(X) };
enum policy_setting { POLICY_SETTING_LIST(X) };
#undef X
#define X(setting, key, type, constant, example) +1
enum { CLASS_SETTING_COUNT = 0 CLASS_SETTING_LIST(X) }; /* apart, so switches need no case */
enum { QUEUE_SETTING_COUNT = 0 QUEUE_SETTING_LIST(X) };
enum { POLICY_SETTING_COUNT = 0 POLICY_SETTING_LIST(X) };
#undef X

/* One table of settings: what a body of its owner may say. */
struct setting_table {
	const char *owner; /* "class", "queue", "policy" */
	int count;
	const char *const *keys;
	const enum type *types;
	const bool *constant; /* must the value be a constant? */
	const char *const *examples;
};
extern const struct setting_table class_settings, queue_settings, policy_settings;

/* clang-format off */
#define EXPR_KIND_LIST(X) \
	X(EXPR_INT)		/* 42, 5ms (value in ns when unit != UNIT_NONE) */ \
	X(EXPR_BOOL)		/* true, false */ \
	X(EXPR_STRING)		/* "pipewire", with escapes already decoded */ \
	X(EXPR_NAME)		/* slice, comm, nr_cpus, main — resolved by sema */ \
	X(EXPR_FIELD)		/* task.weight: object name and field name */ \
	X(EXPR_CALL)		/* min(a, b), queued(main), idle(prev) */ \
	X(EXPR_UNARY)		/* -x, not x */ \
	X(EXPR_BINARY)		/* a + b, a and b, a == b, … */ \
	X(EXPR_IN)		/* comm in ("a", "b") */ \
	X(EXPR_MATCH)		/* comm ~ "kworker*" */ \
	X(EXPR_CPUSET)		/* [0-3, 6] (sema_cpusets.c) */
/* clang-format on */
enum expr_kind {
#define X(kind) kind,
	EXPR_KIND_LIST(X)
#undef X
};

/* clang-format off */
#define BINARY_OP_LIST(X) \
	X(OP_ADD, "+") X(OP_SUB, "-") X(OP_MUL, "*") X(OP_DIV, "/") X(OP_MOD, "%") \
	X(OP_EQ, "==") X(OP_NE, "!=") X(OP_LT, "<") X(OP_LE, "<=") X(OP_GT, ">") X(OP_GE, ">=") \
	X(OP_AND, "and") X(OP_OR, "or")
/* clang-format on */
enum binary_op {
#define X(op, text) op,
	BINARY_OP_LIST(X)
#undef X
};
enum unary_op { OP_NEG, OP_NOT };
const char *binary_op_text(enum binary_op op);

/* What a name or field refers to once sema has resolved it. */
enum ref_kind {
	REF_NONE,
	REF_PARAM,	/* ref.index: param index */
	REF_QUEUE,	/* ref.index: queue index (only as queued()/cpu/dispatch argument) */
	REF_TASK_FIELD, /* ref.index: enum task_field */
	REF_BUILTIN,	/* ref.index: enum builtin_value (nr_cpus) */
	REF_FUNCTION,	/* ref.index: enum function (the callee of an EXPR_CALL) */
};

struct expr {
	enum expr_kind kind;
	struct span span;
	enum type type;	   /* set by sema */
	enum ref_kind ref; /* set by sema for EXPR_NAME / EXPR_FIELD / EXPR_CALL */
	int ref_index;
	bool constant; /* set by sema: the expression folds to `value` (ints and */
	int64_t value; /* durations in ns, bools 0 or 1) whatever the task */
	int depth;     /* levels of this tree, 1 for a leaf (set by the parser) */
	union {
		struct {
			int64_t value;
			enum unit unit;
		} integer;    /* EXPR_INT */
		bool boolean; /* EXPR_BOOL */
		struct {
			char *text;
			size_t length;
		} string; /* EXPR_STRING */
		struct {
			char *name;
		} name; /* EXPR_NAME */
		struct {
			char *object;
			struct span object_span;
			char *field;
			struct span field_span;
		} field; /* EXPR_FIELD */
		struct {
			char *name;
			struct span name_span;
			struct expr_list *args;
		} call; /* EXPR_CALL */
		struct {
			enum unary_op op;
			struct expr *operand;
		} unary;
		struct {
			enum binary_op op;
			struct expr *left, *right;
		} binary;
		struct {
			struct expr *subject;
			struct expr_list *items;
			bool range; /* X in A .. B: the items are A and B */
		} in;		    /* EXPR_IN */
		struct {
			struct expr *subject;
			struct expr *pattern;
		} match; /* EXPR_MATCH */
		struct {
			struct expr_list *items; /* EXPR_INT N, or EXPR_BINARY OP_SUB for N-M */
			uint64_t *bits; /* set by sema: SCXC_CPUSET_WORDS words, bit c is CPU c */
		} cpuset;		/* EXPR_CPUSET */
	};
};

/* The deepest expression tree the parser builds (`a + b + c` is 3 deep: each operator and
 * `not` adds a level, a call one per argument after the first).  It keeps every later
 * stage's recursion, and the nesting of the C they emit, far inside what the compiler's
 * stack and clang accept. */
#define MAX_EXPR_DEPTH 64
/* The most items one `X in (...)` list may hold. */
#define MAX_IN_ITEMS 256

struct expr_list {
	struct expr **items;
	int count, capacity;
	struct span span; /* from the opening to the closing bracket, if any */
};

/* param NAME [: TYPE] = DEFAULT [in LOW .. HIGH]; */
struct param_decl {
	char *name;
	struct span name_span;
	char *type_name;
	struct span type_span; /* NULL when inferred from the default */
	struct expr *value;
	struct expr *low, *high; /* NULL when no range was written */
	struct span span;
	enum type type; /* set by sema */
};

/* Inside a body: KEY = VALUE;  or a bare flag  KEY; */
struct setting {
	char *key;
	struct span key_span;
	struct expr *value; /* NULL for a bare flag */
	struct span span;
	int kind; /* set by sema from the key: an enum class_setting, queue_setting, … */
};

/* The settings of one body, in the order written. */
struct settings {
	struct setting *items;
	int count, capacity;
};

/* queue NAME: KIND;  or  queue NAME: KIND { SETTING... } */
struct queue_decl {
	char *name;
	struct span name_span;
	char *kind;
	struct span kind_span; /* "fifo", "vtime", "deadline" — checked by sema */
	struct settings settings;
	struct span span;
};

/* class NAME [when PREDICATE] { SETTING... } */
struct class_decl {
	char *name;
	struct span name_span;
	struct expr *when; /* NULL: the catch-all */
	struct settings settings;
	struct span span;
};

/* One step of the dispatch plan: a queue alone, or a group of queues that share by ratio,
 * "(normal 3 : low 1)". */
struct dispatch_tier {
	struct expr_list *queues; /* EXPR_NAME items */
	struct expr_list *shares; /* EXPR_INT items, one per queue; NULL for a queue alone */
	struct span span;
};

/* import NAME;  or  import "path"; */
struct import_decl {
	char *name;
	struct span span;
};

/* clang-format off */
#define DECL_KIND_LIST(X) X(DECL_POLICY) X(DECL_IMPORT) X(DECL_PARAM) X(DECL_QUEUE) \
	X(DECL_CLASS) X(DECL_CPU) X(DECL_DISPATCH)
/* clang-format on */
enum decl_kind {
#define X(kind) kind,
	DECL_KIND_LIST(X)
#undef X
};

struct decl {
	enum decl_kind kind;
	struct span span; /* the whole declaration, keyword to ';' or '}' */
	union {
		struct {
			char *name;
			struct span name_span;
			struct settings settings; /* policy NAME { SETTING... } */
		} policy;
		struct import_decl import;
		struct param_decl param;
		struct queue_decl queue;
		struct class_decl class_;
		struct expr_list *cpu; /* cpu: idle(prev), idle(any), prev; */
		struct {
			struct dispatch_tier *tiers;
			int count, capacity;
		} dispatch;
	};
};

/* A parsed file: its declarations in source order. */
struct ast {
	struct decl **decls;
	int count, capacity;
	uint32_t file;
};

/* Constructors used by the parser (all allocate; abort on out-of-memory). */
struct expr *expr_new(enum expr_kind kind, struct span span);
struct expr_list *expr_list_new(void);
void expr_list_push(struct expr_list *list, struct expr *item);
struct decl *decl_new(enum decl_kind kind, struct span span);
void settings_add(struct settings *settings, struct setting setting);
void settings_free(struct settings *settings);
void dispatch_add_tier(struct decl *dispatch, struct dispatch_tier tier);
void ast_push(struct ast *ast, struct decl *decl);

void expr_free(struct expr *expr);
void expr_list_free(struct expr_list *list);
void decl_free(struct decl *decl);
void ast_free(struct ast *ast);

/* Stable, indented text form for --emit=ast and tests. */
#include <stdio.h>
void ast_dump(const struct ast *ast, const struct source_map *sources, FILE *out);

#endif
