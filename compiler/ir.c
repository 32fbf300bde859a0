/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ir.c — the IR's name tables, its constant arithmetic, and its stable text dump.
 *
 * Takes the tables lowering builds (struct ir_policy) and makes three things: the tables
 * of ir.h's vocabulary (task fields, builtins, operations, functions, CPU steps) that every
 * stage from sema on reads; the one definition of the run-time arithmetic (ir_eval), with
 * which sema folds constants (and lowering merges the constant arguments of a min or max),
 * so a folded value is always the value the scheduler would compute; and the text form of
 * `scxc --emit=ir`, which the golden tests compare byte for byte.
 */
#include "cpusets.h"
#include "ir.h"
#include "number.h"
#include "words.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

const char *const task_field_names[TASK_FIELD_COUNT] = {
#define X(field, name, type, behaviour) [field] = name,
	TASK_FIELD_LIST(X)
#undef X
};

const enum type task_field_types[TASK_FIELD_COUNT] = {
#define X(field, name, type, behaviour) [field] = type,
	TASK_FIELD_LIST(X)
#undef X
};

const bool task_field_is_behaviour[TASK_FIELD_COUNT] = {
#define X(field, name, type, behaviour) [field] = behaviour,
	TASK_FIELD_LIST(X)
#undef X
};

const char *const builtin_value_names[BUILTIN_VALUE_COUNT] = {
#define X(value, name, type) [value] = name,
	BUILTIN_VALUE_LIST(X)
#undef X
};

const char *const ir_op_names[] = {
#define X(op, name, arity) [op] = name,
	IR_OP_LIST(X)
#undef X
};

const int ir_op_arity[] = {
#define X(op, name, arity) [op] = arity,
	IR_OP_LIST(X)
#undef X
};

const struct function_info functions[FUNCTION_COUNT] = {
#define X(function, name, fewest, most, arguments, result, op, runtime_call, takes) \
	[function] = { name, fewest, most, arguments, result, op, runtime_call, takes },
	FUNCTION_LIST(X)
#undef X
};

const char *const function_names[FUNCTION_COUNT] = {
#define X(function, name, fewest, most, arguments, result, op, runtime_call, takes) \
	[function] = name,
	FUNCTION_LIST(X)
#undef X
};

const char *const queue_kind_names[SCXC_NR_QUEUE_KINDS] = {
#define X(name, word, meaning) [SCXC_QUEUE_##name] = word,
	SCXC_QUEUE_KIND_LIST(X)
#undef X
};

const char *const queue_kind_meanings[SCXC_NR_QUEUE_KINDS] = {
#define X(name, word, meaning) [SCXC_QUEUE_##name] = word " (" meaning ")",
	SCXC_QUEUE_KIND_LIST(X)
#undef X
};

const char *const cpu_step_names[SCXC_NR_CPU_STEP_KINDS] = {
#define X(name, text) [SCXC_CPU_##name] = text,
	SCXC_CPU_STEP_LIST(X)
#undef X
};

int queue_kind_of(const char *word)
{
	return word_index(queue_kind_names, SCXC_NR_QUEUE_KINDS, word);
}

int cpu_step_of(const char *text)
{
	return word_index(cpu_step_names, SCXC_NR_CPU_STEP_KINDS, text);
}

enum ir_op ir_op_for_binary(enum binary_op op)
{
	switch (op) {
	case OP_ADD: return IR_ADD;
	case OP_SUB: return IR_SUB;
	case OP_MUL: return IR_MUL;
	case OP_DIV: return IR_DIV;
	case OP_MOD: return IR_MOD;
	case OP_EQ: return IR_EQ;
	case OP_NE: return IR_NE;
	case OP_LT: return IR_LT;
	case OP_LE: return IR_LE;
	case OP_GT: return IR_GT;
	case OP_GE: return IR_GE;
	case OP_AND: return IR_AND;
	case OP_OR: return IR_OR;
	}
	abort(); /* not an operator */
}

int64_t ir_eval(enum ir_op op, const int64_t args[3], bool *overflowed)
{
	int64_t a = args[0], b = args[1], result;
	*overflowed = false;
	switch (op) {
	case IR_NEG: *overflowed = a == INT64_MIN; return (int64_t)(0 - (uint64_t)a);
	case IR_NOT: return !a;
	case IR_ADD: *overflowed = __builtin_add_overflow(a, b, &result); return result;
	case IR_SUB: *overflowed = __builtin_sub_overflow(a, b, &result); return result;
	case IR_MUL: *overflowed = __builtin_mul_overflow(a, b, &result); return result;
	case IR_DIV:
		if (b == 0)
			return 0;
		if (a == INT64_MIN && b == -1) {
			*overflowed = true;
			return INT64_MIN;
		}
		return a / b;
	case IR_MOD:
		if (b == 0 || b == -1)
			return 0;
		return a % b;
	case IR_EQ: return a == b;
	case IR_NE: return a != b;
	case IR_LT: return a < b;
	case IR_LE: return a <= b;
	case IR_GT: return a > b;
	case IR_GE: return a >= b;
	case IR_AND: return a && b;
	case IR_OR: return a || b;
	case IR_MIN: return a < b ? a : b;
	case IR_MAX: return a > b ? a : b;
	case IR_CLAMP:
		/* clamp(x, low, high) = min(max(x, low), high): high wins if the bounds cross. */
		result = a > b ? a : b;
		return result < args[2] ? result : args[2];
	case IR_CONST:
	case IR_PARAM:
	case IR_TASK_FIELD:
	case IR_NR_CPUS:
	case IR_QUEUED:
	case IR_COMM_EQ:
	case IR_COMM_GLOB:
	case IR_CGROUP_EQ:
	case IR_CGROUP_GLOB: break;
	}
	abort(); /* leaves have no arguments to evaluate */
}

char *ir_format_value(enum type type, int64_t value, char out[IR_VALUE_TEXT_MAX])
{
	switch (type) {
	case TYPE_BOOL:
		snprintf(out, IR_VALUE_TEXT_MAX, "%s", value ? "true" : "false");
		return out;
	case TYPE_DURATION: {
		char duration[DURATION_TEXT_MAX];
		snprintf(out, IR_VALUE_TEXT_MAX, "%s", format_duration(value, duration));
		return out;
	}
	case TYPE_UNKNOWN:
	case TYPE_INT:
	case TYPE_STRING:
	case TYPE_QUEUE:
	case TYPE_CPUSET: break; /* a set is not one number: cpuset_format() writes it */
	}
	snprintf(out, IR_VALUE_TEXT_MAX, "%" PRId64, value);
	return out;
}

void ir_expr_free(struct ir_expr *expr)
{
	if (!expr)
		return;
	for (int i = 0; i < ir_op_arity[expr->op]; i++)
		ir_expr_free(expr->args[i]);
	free(expr->text);
	free(expr);
}

void ir_free(struct ir_policy *policy)
{
	if (!policy)
		return;
	free(policy->name);
	free(policy->source_path);
	for (int i = 0; i < policy->param_count; i++) {
		free(policy->params[i].name);
		free(policy->params[i].cpus);
	}
	free(policy->params);
	for (int i = 0; i < policy->queue_count; i++) {
		free(policy->queues[i].name);
		free(policy->queues[i].cpus);
	}
	free(policy->queues);
	for (int i = 0; i < policy->class_count; i++) {
		struct ir_class *class_ = &policy->classes[i];
		free(class_->name);
		ir_expr_free(class_->when);
		ir_expr_free(class_->slice);
		ir_expr_free(class_->weight);
		ir_expr_free(class_->deadline);
		ir_expr_free(class_->period);
	}
	free(policy->classes);
	for (int i = 0; i < policy->tier_count; i++) {
		free(policy->tiers[i].queues);
		free(policy->tiers[i].shares);
	}
	free(policy->tiers);
	free(policy->cpu_steps);
	free(policy);
}

static void dump_string(const char *text, FILE *out)
{
	fputc('"', out);
	for (const unsigned char *c = (const unsigned char *)text; *c; c++) {
		switch (*c) {
		case '"': fputs("\\\"", out); break;
		case '\\': fputs("\\\\", out); break;
		case '\n': fputs("\\n", out); break;
		case '\t': fputs("\\t", out); break;
		default:
			if (*c < 0x20 || *c == 0x7f)
				fprintf(out, "\\x%02x", *c);
			else
				fputc(*c, out);
		}
	}
	fputc('"', out);
}

/* One expression as an S-expression: constants as written in the language, everything
 * else as (operation arguments...). */
static void dump_expr(const struct ir_policy *policy, const struct ir_expr *expr, FILE *out)
{
	char value[IR_VALUE_TEXT_MAX];
	switch (expr->op) {
	case IR_CONST: fputs(ir_format_value(expr->type, expr->value, value), out); return;
	case IR_PARAM: fprintf(out, "(param %s)", policy->params[expr->index].name); return;
	case IR_TASK_FIELD: fprintf(out, "(task %s)", task_field_names[expr->index]); return;
	case IR_QUEUED: fprintf(out, "(queued %s)", policy->queues[expr->index].name); return;
	case IR_COMM_EQ:
	case IR_COMM_GLOB:
	case IR_CGROUP_EQ:
	case IR_CGROUP_GLOB:
		fprintf(out, "(%s%s ", expr->index == FIELD_PARENT_COMM ? "parent-" : "",
			ir_op_names[expr->op]);
		dump_string(expr->text, out);
		fputc(')', out);
		return;
	case IR_NR_CPUS:
	case IR_NEG:
	case IR_NOT:
	case IR_ADD:
	case IR_SUB:
	case IR_MUL:
	case IR_DIV:
	case IR_MOD:
	case IR_EQ:
	case IR_NE:
	case IR_LT:
	case IR_LE:
	case IR_GT:
	case IR_GE:
	case IR_AND:
	case IR_OR:
	case IR_MIN:
	case IR_MAX:
	case IR_CLAMP:
		fprintf(out, "(%s", ir_op_names[expr->op]);
		for (int i = 0; i < ir_op_arity[expr->op]; i++) {
			fputc(' ', out);
			dump_expr(policy, expr->args[i], out);
		}
		fputc(')', out);
	}
}

void ir_dump(const struct ir_policy *policy, FILE *out)
{
	char low[IR_VALUE_TEXT_MAX], high[IR_VALUE_TEXT_MAX], value[IR_VALUE_TEXT_MAX];
	fprintf(out, "policy %s\n", policy->name);

	for (int i = 0; i < policy->param_count; i++) {
		const struct ir_param *param = &policy->params[i];
		if (param->cpus) {
			char set[CPUSET_TEXT_MAX];
			fprintf(out, "param %s: cpuset = %s\n", param->name,
				cpuset_format(param->cpus, set));
			continue;
		}
		fprintf(out, "param %s: %s = %s in %s .. %s\n", param->name, type_name(param->type),
			ir_format_value(param->type, param->default_value, value),
			ir_format_value(param->type, param->min, low),
			ir_format_value(param->type, param->max, high));
	}

	for (int i = 0; i < policy->queue_count; i++) {
		fprintf(out, "queue %s: %s", policy->queues[i].name,
			queue_kind_names[policy->queues[i].kind]);
		if (policy->queues[i].starvation)
			fprintf(out, " starvation %s",
				ir_format_value(TYPE_DURATION, policy->queues[i].starvation,
						value));
		ir_dump_queue_cpus(policy, &policy->queues[i], out);
		fputc('\n', out);
	}

	for (int i = 0; i < policy->class_count; i++) {
		const struct ir_class *class_ = &policy->classes[i];
		fprintf(out, "class %s\n", class_->name);
		fputs("  when ", out);
		if (class_->when)
			dump_expr(policy, class_->when, out);
		else
			fputs("always", out);
		fprintf(out, "\n  queue %s\n  slice ", policy->queues[class_->queue].name);
		dump_expr(policy, class_->slice, out);
		fputs("\n  weight ", out);
		if (class_->weight)
			dump_expr(policy, class_->weight, out);
		else
			fputs("own", out);
		if (class_->deadline) {
			fputs("\n  deadline ", out);
			dump_expr(policy, class_->deadline, out);
		}
		if (class_->period) {
			fputs("\n  period ", out);
			dump_expr(policy, class_->period, out);
		}
		fputs(class_->preempt ? "\n  preempt\n" : "\n", out);
	}

	fputs("dispatch ", out);
	for (int i = 0; i < policy->tier_count; i++) {
		const struct ir_tier *tier = &policy->tiers[i];
		fputs(i ? ", then " : "", out);
		if (!tier->shares) {
			fputs(policy->queues[tier->queues[0]].name, out);
			continue;
		}
		for (int q = 0; q < tier->queue_count; q++)
			fprintf(out, "%s%s %d", q ? " : " : "(",
				policy->queues[tier->queues[q]].name, tier->shares[q]);
		fputc(')', out);
	}
	if (policy->reads_behaviour)
		fputs("\nsorted again when a slice ends (reads behaviour)", out);
	if (policy->partial)
		fputs("\nswitch partial (only the tasks that chose SCHED_EXT)", out);
	fputs("\ncpu ", out);
	for (int i = 0; i < policy->cpu_step_count; i++)
		fprintf(out, "%s%s", i ? ", " : "", cpu_step_names[policy->cpu_steps[i]]);
	fputc('\n', out);
}
