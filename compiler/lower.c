/*
 * lower.c — turns a checked AST into the IR tables the emitter reads.
 *
 * Takes a tree sema accepted (names resolved into `ref`, types set, `cpu:` steps recorded
 * in ref_index) and makes a struct ir_policy: params with folded defaults and ranges (the
 * type's limits when none was written), queues, classes, the dispatch tiers and the CPU
 * chain.  Expressions become small trees over the closed set of IR operations: constant
 * subtrees are folded with ir_eval (the run-time arithmetic), `comm in (...)` becomes an
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

#define DEFAULT_SLICE_NS 20000000	/* 20ms, sched_ext's own default slice */

struct lowerer {
	struct diag_sink *sink;
	bool failed;
};

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

/* Builds OP over ARGS, folding it to a constant when every argument is one. */
static struct ir_expr *operation(struct lowerer *l, enum ir_op op, enum type type,
				 struct span span, struct ir_expr *a, struct ir_expr *b,
				 struct ir_expr *c)
{
	struct ir_expr *expr = leaf(op, type, span);
	struct ir_expr *args[3] = { a, b, c };
	int64_t values[3] = { 0, 0, 0 };
	bool all_constant = true;
	for (int i = 0; i < 3; i++) {
		expr->args[i] = args[i];
		if (args[i]) {
			all_constant = all_constant && args[i]->op == IR_CONST;
			values[i] = args[i]->value;
		}
	}
	if ((op == IR_DIV || op == IR_MOD) && b->op == IR_CONST && b->value == 0) {
		diag_error(l->sink, span, "division by zero");
		l->failed = true;
		return expr;
	}
	if ((op == IR_AND || op == IR_OR) && !all_constant && (a->op == IR_CONST || b->op == IR_CONST)) {
		/* One constant side: true or X is true, true and X is X (and so on). */
		struct ir_expr *fixed = a->op == IR_CONST ? a : b, *other = fixed == a ? b : a;
		bool decides = fixed->value == (op == IR_OR);
		expr->args[0] = expr->args[1] = NULL;
		ir_expr_free(expr);
		ir_expr_free(decides ? other : fixed);
		if (!decides)
			return other;
		fixed->span = span;
		return fixed;
	}
	if (!all_constant)
		return expr;
	bool overflowed;
	int64_t value = ir_eval(op, values, &overflowed);
	if (overflowed) {
		diag_error(l->sink, span, "this constant overflows a 64-bit integer");
		l->failed = true;
		return expr;
	}
	ir_expr_free(expr);
	return constant(type, value, span);
}

static struct ir_expr *comm_test(enum ir_op op, const struct expr *string, struct span span)
{
	struct ir_expr *expr = leaf(op, TYPE_BOOL, span);
	expr->text = checked(strndup(string->string.text, string->string.length));
	return expr;
}

static bool is_comm(const struct expr *expr)
{
	return expr->ref == REF_TASK_FIELD && expr->ref_index == FIELD_COMM;
}

static struct ir_expr *lower_expr(struct lowerer *l, const struct expr *expr);

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
	case REF_BUILTIN:
		return leaf(IR_NR_CPUS, TYPE_INT, expr->span);
	case REF_NONE: case REF_QUEUE:
		break;
	}
	abort();	/* sema resolves every name used as a value */
}

static struct ir_expr *lower_call(struct lowerer *l, const struct expr *expr)
{
	const char *name = expr->call.name;
	struct expr **args = expr->call.args->items;
	if (strcmp(name, "queued") == 0) {
		struct ir_expr *result = leaf(IR_QUEUED, TYPE_INT, expr->span);
		result->index = args[0]->ref_index;
		return result;
	}
	if (strcmp(name, "clamp") == 0)
		return operation(l, IR_CLAMP, expr->type, expr->span, lower_expr(l, args[0]),
				 lower_expr(l, args[1]), lower_expr(l, args[2]));
	/* min and max are associative and commutative: every constant argument folds into the
	 * first one, and the rest nest to the left in the order written. */
	enum ir_op op = strcmp(name, "min") == 0 ? IR_MIN : IR_MAX;
	struct ir_expr *result = NULL, *constant_arg = NULL;
	for (int i = 0; i < expr->call.args->count; i++) {
		struct ir_expr *arg = lower_expr(l, args[i]);
		if (arg->op == IR_CONST && constant_arg) {
			bool overflowed;
			int64_t values[3] = { constant_arg->value, arg->value, 0 };
			constant_arg->value = ir_eval(op, values, &overflowed);
			ir_expr_free(arg);
			continue;
		}
		if (arg->op == IR_CONST)
			constant_arg = arg;
		result = result ? operation(l, op, expr->type, expr->span, result, arg, NULL) : arg;
	}
	return result;
}

static struct ir_expr *lower_binary(struct lowerer *l, const struct expr *expr)
{
	const struct expr *left = expr->binary.left, *right = expr->binary.right;
	enum binary_op op = expr->binary.op;
	if (is_comm(left) || is_comm(right)) {
		struct ir_expr *equal = comm_test(IR_COMM_EQ, is_comm(left) ? right : left,
						  expr->span);
		return op == OP_EQ ? equal :
			operation(l, IR_NOT, TYPE_BOOL, expr->span, equal, NULL, NULL);
	}
	return operation(l, ir_op_for_binary(op), expr->type, expr->span, lower_expr(l, left),
			 lower_expr(l, right), NULL);
}

/* X in (A, B, …) as (or (or (X == A) (X == B)) …), each test with its item's span (or, for
 * a single item, the span of the whole test). */
static struct ir_expr *lower_in(struct lowerer *l, const struct expr *expr)
{
	const struct expr *subject = expr->in.subject;
	struct ir_expr *result = NULL;
	for (int i = 0; i < expr->in.items->count; i++) {
		const struct expr *item = expr->in.items->items[i];
		struct span span = expr->in.items->count == 1 ? expr->span : item->span;
		struct ir_expr *test = is_comm(subject) ?
			comm_test(IR_COMM_EQ, item, span) :
			operation(l, IR_EQ, TYPE_BOOL, span, lower_expr(l, subject),
				  lower_expr(l, item), NULL);
		result = result ? operation(l, IR_OR, TYPE_BOOL, expr->span, result, test, NULL) :
			test;
	}
	return result;
}

static struct ir_expr *lower_expr(struct lowerer *l, const struct expr *expr)
{
	switch (expr->kind) {
	case EXPR_INT:
		return constant(expr->type, expr->integer.value, expr->span);
	case EXPR_BOOL:
		return constant(TYPE_BOOL, expr->boolean, expr->span);
	case EXPR_NAME:
	case EXPR_FIELD:
		return lower_reference(expr);
	case EXPR_CALL:
		return lower_call(l, expr);
	case EXPR_UNARY:
		return operation(l, expr->unary.op == OP_NEG ? IR_NEG : IR_NOT, expr->type,
				 expr->span, lower_expr(l, expr->unary.operand), NULL, NULL);
	case EXPR_BINARY:
		return lower_binary(l, expr);
	case EXPR_IN:
		return lower_in(l, expr);
	case EXPR_MATCH: {
		const struct expr *pattern = expr->match.pattern;
		bool wildcard = memchr(pattern->string.text, '*', pattern->string.length) ||
				memchr(pattern->string.text, '?', pattern->string.length);
		return comm_test(wildcard ? IR_COMM_GLOB : IR_COMM_EQ, pattern, expr->span);
	}
	case EXPR_STRING:
		break;
	}
	abort();	/* strings appear only inside comm tests, handled above */
}

/* A param's default or range bound: a constant after folding. */
static int64_t lower_constant(struct lowerer *l, const struct expr *expr)
{
	struct ir_expr *folded = lower_expr(l, expr);
	int64_t value = folded->value;
	if (folded->op != IR_CONST) {
		diag_error(l->sink, expr->span, "this is not a constant");
		l->failed = true;
	}
	ir_expr_free(folded);
	return value;
}

static void lower_param(struct lowerer *l, const struct decl *outer, struct ir_param *param)
{
	const struct param_decl *decl = &outer->param;
	param->name = checked(strdup(decl->name));
	param->type = decl->type;
	param->span = outer->span;
	param->default_value = lower_constant(l, decl->value);
	if (decl->low) {
		param->min = lower_constant(l, decl->low);
		param->max = lower_constant(l, decl->high);
	} else {
		param->min = decl->type == TYPE_INT ? INT64_MIN : 0;
		param->max = decl->type == TYPE_BOOL ? 1 : INT64_MAX;
	}
}

static void lower_class(struct lowerer *l, const struct decl *outer, struct ir_class *class_)
{
	const struct class_decl *decl = &outer->class_;
	class_->name = checked(strdup(decl->name));
	class_->span = outer->span;
	class_->when = decl->when ? lower_expr(l, decl->when) : NULL;
	class_->queue = 0;		/* the only queue, unless a setting names one */
	for (int i = 0; i < decl->setting_count; i++) {
		const struct setting *setting = &decl->settings[i];
		if (strcmp(setting->key, "queue") == 0)
			class_->queue = setting->value->ref_index;
		else if (strcmp(setting->key, "slice") == 0)
			class_->slice = lower_expr(l, setting->value);
		else if (strcmp(setting->key, "weight") == 0)
			class_->weight = lower_expr(l, setting->value);
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
		policy->tiers = checked(calloc((size_t)policy->queue_count + 1,
						     sizeof(*policy->tiers)));
		for (int i = 0; i < policy->queue_count; i++) {
			struct ir_tier *tier = &policy->tiers[policy->tier_count++];
			tier->queues = checked(calloc(1, sizeof(int)));
			tier->queues[tier->queue_count++] = i;
			tier->span = policy->queues[i].span;
		}
		return;
	}
	policy->tiers = checked(calloc((size_t)dispatch->dispatch.count + 1,
					     sizeof(*policy->tiers)));
	for (int t = 0; t < dispatch->dispatch.count; t++) {
		const struct dispatch_tier *written = &dispatch->dispatch.tiers[t];
		struct ir_tier *tier = &policy->tiers[policy->tier_count++];
		tier->queues = checked(calloc((size_t)written->queues->count + 1, sizeof(int)));
		for (int q = 0; q < written->queues->count; q++)
			tier->queues[tier->queue_count++] = written->queues->items[q]->ref_index;
		tier->span = written->span;
	}
}

static void lower_cpu(struct ir_policy *policy, const struct expr_list *steps)
{
	static const enum scxc_cpu_step default_steps[] = {
		SCXC_CPU_IDLE_PREV, SCXC_CPU_IDLE_ANY, SCXC_CPU_PREV
	};
	int count = steps ? steps->count : 3;
	policy->cpu_steps = checked(calloc((size_t)count, sizeof(*policy->cpu_steps)));
	for (int i = 0; i < count; i++)
		policy->cpu_steps[i] = steps ? (enum scxc_cpu_step)steps->items[i]->ref_index :
			default_steps[i];
	policy->cpu_step_count = count;
}

struct ir_policy *lower_policy(const struct ast *ast, const char *source_path,
			       struct diag_sink *sink)
{
	struct ir_policy *policy = checked(calloc(1, sizeof(*policy)));
	struct lowerer l = { .sink = sink };
	size_t room = (size_t)ast->count + 1;
	policy->source_path = checked(strdup(source_path));
	policy->params = checked(calloc(room, sizeof(*policy->params)));
	policy->queues = checked(calloc(room, sizeof(*policy->queues)));
	policy->classes = checked(calloc(room, sizeof(*policy->classes)));

	const struct decl *dispatch = NULL;
	const struct expr_list *cpu = NULL;
	for (int i = 0; i < ast->count; i++) {
		const struct decl *decl = ast->decls[i];
		switch (decl->kind) {
		case DECL_POLICY:
			policy->name = checked(strdup(decl->policy.name));
			break;
		case DECL_PARAM:
			lower_param(&l, decl, &policy->params[policy->param_count++]);
			break;
		case DECL_QUEUE: {
			struct ir_queue *queue = &policy->queues[policy->queue_count++];
			queue->name = checked(strdup(decl->queue.name));
			queue->kind = (enum scxc_queue_kind)queue_kind_of(decl->queue.kind);
			queue->span = decl->span;
			break;
		}
		case DECL_CLASS:
			lower_class(&l, decl, &policy->classes[policy->class_count++]);
			break;
		case DECL_CPU:
			cpu = decl->cpu;
			break;
		case DECL_DISPATCH:
			dispatch = decl;
			break;
		case DECL_IMPORT:
			break;
		}
	}
	lower_dispatch(policy, dispatch);
	lower_cpu(policy, cpu);
	if (l.failed) {
		ir_free(policy);
		return NULL;
	}
	return policy;
}
