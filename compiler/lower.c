/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * lower.c — turns a checked AST into the IR tables the emitter reads.
 *
 * Takes a tree sema accepted (names resolved into `ref`, types set, constants folded into
 * `constant` and `value`, `cpu:` steps recorded in ref_index) and makes a struct ir_policy:
 * params with their folded defaults and ranges (the type's limits when none was written),
 * queues, classes, the dispatch tiers and the CPU chain.  Lowering reports nothing: every
 * error was sema's.  Expressions become small trees over the closed set of IR operations:
 * a subtree sema folded becomes one constant with sema's value, `true and X` becomes X,
 * the constant arguments of a min or max merge into one, `comm in (...)` becomes an
 * `or` of exact comparisons, `comm != "x"` a `not`, a glob without wildcards an exact
 * comparison, `x in (a, b)` an `or` of `==`, and min/max of many arguments a left-nested
 * chain.  The language's defaults are written in here, so later stages never guess: a
 * 20ms slice, the only queue, dispatch in declaration order, and the CPU chain
 * idle(prev), idle(any), prev.  Every IR node keeps the span of the text it came from.
 */
#include <stdlib.h>
#include <string.h>

#include "stages.h"
#include "checked.h"
#include "cpusets.h"

#define DEFAULT_SLICE_NS 20000000 /* 20ms, sched_ext's own default slice */

static struct ir_expr *leaf(enum ir_op op, enum type type, struct span span)
{
	struct ir_expr *expr = checked(calloc(1, sizeof(*expr)));
	expr->op = op;
	expr->type = type;
	expr->span = span;
	return expr;
}

static struct ir_expr *constant(enum type type, int64_t value, struct span span)
{
	struct ir_expr *expr = leaf(IR_CONST, type, span);
	expr->value = value;
	return expr;
}

/* OP over ARGS (NULL past its arity).  Nothing is folded here: sema has folded every constant
 * subtree already, and lower_expr() takes those values as they are. */
static struct ir_expr *operation(enum ir_op op, enum type type, struct span span, struct ir_expr *a,
				 struct ir_expr *b, struct ir_expr *c)
{
	struct ir_expr *expr = leaf(op, type, span);
	expr->args[0] = a;
	expr->args[1] = b;
	expr->args[2] = c;
	return expr;
}

static bool is_cgroup(const struct expr *expr)
{
	return expr->ref == REF_TASK_FIELD && expr->ref_index == FIELD_CGROUP;
}

/* SUBJECT (comm or cgroup) equals STRING, or matches it as a glob. */
static struct ir_expr *string_test(const struct expr *subject, bool glob, const struct expr *string,
				   struct span span)
{
	enum ir_op op = is_cgroup(subject) ? (glob ? IR_CGROUP_GLOB : IR_CGROUP_EQ)
					   : (glob ? IR_COMM_GLOB : IR_COMM_EQ);
	struct ir_expr *expr = leaf(op, TYPE_BOOL, span);
	expr->text = checked(strndup(string->string.text, string->string.length));
	expr->index = subject->ref_index; /* comm or parent_comm */
	return expr;
}

static bool is_string_field(const struct expr *expr)
{
	return expr->ref == REF_TASK_FIELD &&
	       (expr->ref_index == FIELD_COMM || expr->ref_index == FIELD_PARENT_COMM ||
		expr->ref_index == FIELD_CGROUP);
}

static struct ir_expr *lower_expr(const struct expr *expr);

static struct ir_expr *lower_reference(const struct expr *expr)
{
	struct ir_expr *result;
	switch (expr->ref) {
	case REF_PARAM:
		result = leaf(IR_PARAM, expr->type, expr->span);
		result->index = expr->ref_index;
		return result;
	case REF_TASK_FIELD:
		result = leaf(IR_TASK_FIELD, expr->type, expr->span);
		result->index = expr->ref_index;
		return result;
	case REF_BUILTIN: return leaf(IR_NR_CPUS, TYPE_INT, expr->span);
	case REF_NONE:
	case REF_QUEUE:
	case REF_FUNCTION: break;
	}
	abort(); /* sema resolves every name used as a value */
}

static struct ir_expr *lower_call(const struct expr *expr)
{
	const struct function_info *function = &functions[expr->ref_index];
	struct expr **args = expr->call.args->items;
	int count = expr->call.args->count;
	switch (function->arguments) {
	case ARGUMENT_QUEUE_NAME: {
		struct ir_expr *result = leaf(function->op, expr->type, expr->span);
		result->index = args[0]->ref_index;
		return result;
	}
	case ARGUMENTS_NUMBERS: break;
	}
	if (function->most_args)
		return operation(function->op, expr->type, expr->span, lower_expr(args[0]),
				 count > 1 ? lower_expr(args[1]) : NULL,
				 count > 2 ? lower_expr(args[2]) : NULL);
	/* A function of any number of arguments (min, max) is associative and commutative:
	 * every constant argument folds into the first one, and the rest nest to the left in the
	 * order written.  This is the one folding left to lowering: sema folds each constant
	 * subtree, but the constant arguments of a call that is not constant as a whole form no
	 * subtree of their own, so they are combined here, and nowhere else. */
	struct ir_expr *result = NULL, *constant_arg = NULL;
	for (int i = 0; i < count; i++) {
		struct ir_expr *arg = lower_expr(args[i]);
		if (arg->op == IR_CONST && constant_arg) {
			bool overflowed; /* never: min and max give one of their values */
			int64_t values[3] = { constant_arg->value, arg->value, 0 };
			constant_arg->value = ir_eval(function->op, values, &overflowed);
			ir_expr_free(arg);
			continue;
		}
		if (arg->op == IR_CONST)
			constant_arg = arg;
		result = result ? operation(function->op, expr->type, expr->span, result, arg, NULL)
				: arg;
	}
	return result;
}

static struct ir_expr *lower_binary(const struct expr *expr)
{
	const struct expr *left = expr->binary.left, *right = expr->binary.right;
	enum binary_op op = expr->binary.op;
	if (is_string_field(left) || is_string_field(right)) {
		struct ir_expr *equal =
			string_test(is_string_field(left) ? left : right, false,
				    is_string_field(left) ? right : left, expr->span);
		return op == OP_EQ ? equal
				   : operation(IR_NOT, TYPE_BOOL, expr->span, equal, NULL, NULL);
	}
	/* An `and` or `or` with a constant side that sema did not fold as a whole (true and X,
	 * false or X) is its other side. */
	if ((op == OP_AND || op == OP_OR) && (left->constant || right->constant))
		return lower_expr(left->constant ? right : left);
	return operation(ir_op_for_binary(op), expr->type, expr->span, lower_expr(left),
			 lower_expr(right), NULL);
}

/* X in (A, B, …) as (or (or (X == A) (X == B)) …), each test with its item's span (or, for
 * a single item, the span of the whole test).  A test of a constant against a constant is
 * left out: sema folds the whole list when one is true, so here each of them is false. */
static struct ir_expr *lower_in(const struct expr *expr)
{
	const struct expr *subject = expr->in.subject;
	struct ir_expr *result = NULL;
	if (expr->in.range) /* X in LOW .. HIGH: X >= LOW and X <= HIGH */
		return operation(IR_AND, TYPE_BOOL, expr->span,
				 operation(IR_GE, TYPE_BOOL, expr->span, lower_expr(subject),
					   lower_expr(expr->in.items->items[0]), NULL),
				 operation(IR_LE, TYPE_BOOL, expr->span, lower_expr(subject),
					   lower_expr(expr->in.items->items[1]), NULL),
				 NULL);
	for (int i = 0; i < expr->in.items->count; i++) {
		const struct expr *item = expr->in.items->items[i];
		struct span span = expr->in.items->count == 1 ? expr->span : item->span;
		if (subject->constant && item->constant)
			continue;
		struct ir_expr *test =
			is_string_field(subject)
				? string_test(subject, false, item, span)
				: operation(IR_EQ, TYPE_BOOL, span, lower_expr(subject),
					    lower_expr(item), NULL);
		result =
			result ? operation(IR_OR, TYPE_BOOL, expr->span, result, test, NULL) : test;
	}
	return result;
}

static struct ir_expr *lower_expr(const struct expr *expr)
{
	if (expr->constant)
		return constant(expr->type, expr->value, expr->span);
	switch (expr->kind) {
	case EXPR_NAME:
	case EXPR_FIELD: return lower_reference(expr);
	case EXPR_CALL: return lower_call(expr);
	case EXPR_UNARY:
		return operation(expr->unary.op == OP_NEG ? IR_NEG : IR_NOT, expr->type, expr->span,
				 lower_expr(expr->unary.operand), NULL, NULL);
	case EXPR_BINARY: return lower_binary(expr);
	case EXPR_IN: return lower_in(expr);
	case EXPR_MATCH: {
		const struct expr *pattern = expr->match.pattern;
		bool wildcard = memchr(pattern->string.text, '*', pattern->string.length) ||
				memchr(pattern->string.text, '?', pattern->string.length);
		return string_test(expr->match.subject, wildcard, pattern, expr->span);
	}
	case EXPR_INT:
	case EXPR_BOOL:	  /* literals are constants, taken above */
	case EXPR_STRING: /* strings appear only inside comm and cgroup tests */
	case EXPR_CPUSET: /* sets are lowered as queue settings, never as values */ break;
	}
	abort();
}

/* A param's default or range bound, which sema has checked to be a constant. */
static int64_t constant_value(const struct expr *expr)
{
	if (!expr->constant)
		abort();
	return expr->value;
}

/* The constant value of setting KIND of a body, or 0 when it is not set. */
static int64_t setting_value(const struct settings *settings, int kind)
{
	for (int i = 0; i < settings->count; i++)
		if (settings->items[i].kind == kind)
			return constant_value(settings->items[i].value);
	return 0;
}

/* Whether EXPR reads a task's behaviour (avg_run, wake_rate, …). */
static bool expr_reads_behaviour(const struct ir_expr *expr)
{
	if (!expr)
		return false;
	if (expr->op == IR_TASK_FIELD && task_field_is_behaviour[expr->index])
		return true;
	for (int i = 0; i < 3; i++)
		if (expr_reads_behaviour(expr->args[i]))
			return true;
	return false;
}

static bool reads_behaviour(const struct ir_policy *policy)
{
	for (int i = 0; i < policy->class_count; i++) {
		const struct ir_class *class_ = &policy->classes[i];
		if (expr_reads_behaviour(class_->when) || expr_reads_behaviour(class_->slice) ||
		    expr_reads_behaviour(class_->weight) ||
		    expr_reads_behaviour(class_->deadline) || expr_reads_behaviour(class_->period))
			return true;
	}
	return false;
}

static void lower_param(const struct decl *outer, struct ir_param *param)
{
	const struct param_decl *decl = &outer->param;
	param->name = checked(strdup(decl->name));
	param->type = decl->type;
	param->span = outer->span;
	param->default_value = constant_value(decl->value);
	if (decl->type == TYPE_CPUSET)
		param->cpus = cpuset_copy(decl->value->cpuset.bits);
	if (decl->low) {
		param->min = constant_value(decl->low);
		param->max = constant_value(decl->high);
	} else {
		for (int i = 0; i < PARAM_TYPE_COUNT; i++) {
			if (param_types[i].type != decl->type)
				continue;
			param->min = param_types[i].min;
			param->max = param_types[i].max;
		}
	}
}

static void lower_class(const struct decl *outer, struct ir_class *class_)
{
	const struct class_decl *decl = &outer->class_;
	class_->name = checked(strdup(decl->name));
	class_->span = outer->span;
	class_->when = decl->when ? lower_expr(decl->when) : NULL;
	class_->queue = 0; /* the only queue, unless a setting names one */
	for (int i = 0; i < decl->settings.count; i++) {
		const struct setting *setting = &decl->settings.items[i];
		switch ((enum class_setting)setting->kind) {
		case SETTING_QUEUE: class_->queue = setting->value->ref_index; break;
		case SETTING_SLICE: class_->slice = lower_expr(setting->value); break;
		case SETTING_WEIGHT: class_->weight = lower_expr(setting->value); break;
		case SETTING_DEADLINE: class_->deadline = lower_expr(setting->value); break;
		case SETTING_PERIOD: class_->period = lower_expr(setting->value); break;
		case SETTING_PREEMPT: class_->preempt = constant_value(setting->value) != 0; break;
		}
	}
	if (!class_->slice) {
		/* An empty span marks a written-in default (the emitter says "default"). */
		struct span nowhere = { decl->name_span.file, decl->name_span.begin,
					decl->name_span.begin };
		class_->slice = constant(TYPE_DURATION, DEFAULT_SLICE_NS, nowhere);
	}
}

static void lower_dispatch(struct ir_policy *policy, const struct decl *dispatch)
{
	if (!dispatch) {
		/* No plan written: strict priority in declaration order. */
		policy->tiers =
			checked(calloc((size_t)policy->queue_count + 1, sizeof(*policy->tiers)));
		for (int i = 0; i < policy->queue_count; i++) {
			struct ir_tier *tier = &policy->tiers[policy->tier_count++];
			tier->queues = checked(calloc(1, sizeof(int)));
			tier->queues[tier->queue_count++] = i;
			tier->span = policy->queues[i].span;
		}
		return;
	}
	policy->tiers =
		checked(calloc((size_t)dispatch->dispatch.count + 1, sizeof(*policy->tiers)));
	for (int t = 0; t < dispatch->dispatch.count; t++) {
		const struct dispatch_tier *written = &dispatch->dispatch.tiers[t];
		struct ir_tier *tier = &policy->tiers[policy->tier_count++];
		tier->queues = checked(calloc((size_t)written->queues->count + 1, sizeof(int)));
		if (written->shares)
			tier->shares =
				checked(calloc((size_t)written->queues->count + 1, sizeof(int)));
		for (int q = 0; q < written->queues->count; q++) {
			if (written->shares)
				tier->shares[q] = (int)constant_value(written->shares->items[q]);
			tier->queues[tier->queue_count++] = written->queues->items[q]->ref_index;
		}
		tier->span = written->span;
	}
}

static void lower_cpu(struct ir_policy *policy, const struct expr_list *steps)
{
	static const enum scxc_cpu_step default_steps[] = { SCXC_CPU_IDLE_PREV, SCXC_CPU_IDLE_ANY,
							    SCXC_CPU_PREV };
	int count = steps ? steps->count : 3;
	policy->cpu_steps = checked(calloc((size_t)count, sizeof(*policy->cpu_steps)));
	for (int i = 0; i < count; i++)
		policy->cpu_steps[i] =
			steps ? (enum scxc_cpu_step)steps->items[i]->ref_index : default_steps[i];
	policy->cpu_step_count = count;
}

struct ir_policy *lower_policy(const struct ast *ast, const char *source_path)
{
	struct ir_policy *policy = checked(calloc(1, sizeof(*policy)));
	size_t room = (size_t)ast->count + 1;
	policy->source_path = checked(strdup(source_path));
	policy->params = checked(calloc(room, sizeof(*policy->params)));
	policy->queues = checked(calloc(room, sizeof(*policy->queues)));
	policy->classes = checked(calloc(room, sizeof(*policy->classes)));

	const struct decl *dispatch = NULL;
	const struct expr_list *cpu = NULL;
	int64_t starvation = 0; /* the policy's bound, for queues without their own */
	for (int i = 0; i < ast->count; i++) {
		const struct decl *decl = ast->decls[i];
		switch (decl->kind) {
		case DECL_POLICY:
			policy->name = checked(strdup(decl->policy.name));
			starvation =
				setting_value(&decl->policy.settings, POLICY_SETTING_STARVATION);
			policy->partial =
				setting_value(&decl->policy.settings, POLICY_SETTING_PARTIAL);
			break;
		case DECL_PARAM: lower_param(decl, &policy->params[policy->param_count++]); break;
		case DECL_QUEUE: {
			struct ir_queue *queue = &policy->queues[policy->queue_count++];
			queue->name = checked(strdup(decl->queue.name));
			queue->kind = (enum scxc_queue_kind)queue_kind_of(decl->queue.kind);
			queue->starvation =
				setting_value(&decl->queue.settings, QUEUE_SETTING_STARVATION);
			lower_queue_cpus(&decl->queue.settings, queue);
			queue->span = decl->span;
			break;
		}
		case DECL_CLASS: lower_class(decl, &policy->classes[policy->class_count++]); break;
		case DECL_CPU: cpu = decl->cpu; break;
		case DECL_DISPATCH: dispatch = decl; break;
		case DECL_IMPORT: break;
		}
	}
	for (int q = 0; q < policy->queue_count; q++)
		if (!policy->queues[q].starvation)
			policy->queues[q].starvation = starvation;
	lower_dispatch(policy, dispatch);
	lower_cpu(policy, cpu);
	policy->reads_behaviour = reads_behaviour(policy);
	return policy;
}
