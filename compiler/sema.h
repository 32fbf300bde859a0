/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * sema.h — what the two halves of sema share (private to sema_expr.c and sema_decl.c).
 *
 * sema_decl.c walks the declarations, collects the policy's names into the checker's symbol
 * table and calls check_expr() of sema_expr.c for every expression it meets; sema_expr.c
 * reads that table to resolve names and returns, for each expression, a struct checked: its
 * type and, when it is a constant, the value it folds to (which check_expr also records on
 * the expression for lowering).  The helpers below are the few both halves use.
 */
#ifndef SCXC_SEMA_H
#define SCXC_SEMA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ast.h"
#include "diag.h"

enum symbol_kind { SYMBOL_PARAM, SYMBOL_QUEUE, SYMBOL_CLASS };

/* A declared name: params, queues and classes share one namespace. */
struct symbol {
	const char *name;
	enum symbol_kind kind;
	int index; /* among the declarations of its kind */
	struct span span;
};

/* What an expression turned out to be: its type, and its value if it is a constant. */
struct checked {
	enum type type;
	bool constant;
	int64_t value;
};

static const struct checked unknown_result = { TYPE_UNKNOWN, false, 0 };

struct checker {
	struct ast *ast;
	struct diag_sink *sink;
	struct symbol *symbols;
	int symbol_count;
	struct param_decl **params;
	int param_count;
	struct queue_decl **queues;
	int queue_count;
	const char *const *queue_names;
	/* Set while checking a param's default or range: names and run-time values are refused. */
	const char *constant_context;
	/* Per class, in order: whether its condition folded to a constant true. */
	bool *always_matches;
	/* Per param: whether an expression outside the params names it. */
	bool *param_used;
	int cgroup_tests; /* strings compared with cgroup so far (sema_members.c) */
	/* Set just before checking a value that may be a CPU set (a queue's cpus, a param's
	 * default); check_expr clears it for everything below. */
	bool cpuset_allowed;
};

/* Checks EXPR and everything below it; sets its type, and its constant value if it has one. */
struct checked check_expr(struct checker *c, struct expr *expr);

/* Checks the SETTINGS of the body of OWNER (a name) against TABLE; SEEN[k] is then the setting
 * that set key k, or NULL (sema_settings.c). */
void check_settings(struct checker *c, const struct setting_table *table, const char *owner,
		    struct settings *settings, const struct setting **seen);

/* CPU sets (sema_cpusets.c): a literal [0-3, 6], which gets its bitmap; the error for a set
 * where none may be; the warnings about a queue's reserve and spill without cpus; which queues
 * can starve which. */
struct checked check_cpuset(struct checker *c, struct expr *expr);
void report_cpuset_misuse(struct checker *c, const struct expr *expr);
void check_queue_cpus(struct checker *c, const struct queue_decl *queue,
		      const struct setting *const *seen);
/* Whether a queue dispatched EARLIER can take a CPU that LATER would run on, in the same pass of
 * dispatch (cpusets.bpf.h): both without a set, or with sets that share a CPU. */
bool queue_cpus_compete(const struct queue_decl *earlier, const struct queue_decl *later);

/* Reports, as named warnings, what a policy checked without errors cannot do (sema_warn.c). */
void warn_useless(struct checker *c);

/* sema_members.c: X in LOW .. HIGH, whose SUBJECT checked already; and a policy name in
 * quotes compared with sched_policy (SUBJECT), which becomes its SCHED_* number in place: true
 * if OPERAND was one (then *CHECKED is the number, or unknown after an error). */
struct checked check_range(struct checker *c, struct expr *expr, struct checked subject);
bool check_policy_name(struct checker *c, const struct expr *subject, struct expr *operand,
		       struct checked *checked);
/* sema_members.c: whether EXPR is the task's cgroup; checks a string compared with it (GLOB: the
 * pattern of `cgroup ~`), reporting what can never match; false after an error. */
bool is_cgroup_field(const struct expr *expr);
bool check_cgroup_string(struct checker *c, const struct expr *string, bool glob);

/* Reports a string or comm used where only numbers or bools make sense. */
void report_string_misuse(struct checker *c, const struct expr *expr);

static inline bool is_number(enum type type)
{
	return type == TYPE_INT || type == TYPE_DURATION;
}

/* The declared param, queue or class called NAME, or NULL. */
const struct symbol *find_symbol(const struct checker *c, const char *name);

/* A hint that turns an int into a duration: "INTRO, e.g. 5ms" for a literal 5. */
void hint_add_unit(struct diagnostic *d, const struct expr *int_expr, const char *intro);

#endif
