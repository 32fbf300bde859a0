/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * sema_expr.c — checks expressions: names, types, units and constant folding.
 *
 * Takes one expression of a checked declaration, with the policy's names already collected
 * in the checker, and makes it safe to lower: every name is resolved (params, then task
 * fields, then builtins; queues where a queue is expected) and recorded in the expression's
 * `ref`, every expression gets its type, units are checked (durations never mix with plain
 * ints except by * and /), comm is only ever compared with strings that fit in it, and
 * constant parts are folded with the run-time arithmetic, so divisions by zero and
 * overflows are reported here.  Each problem goes to the sink with a hint where one helps;
 * the result of a broken expression has TYPE_UNKNOWN, so its parents stay quiet about it.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "checked.h"
#include "words.h"
#include "sema.h"
#include "stages.h"

/* ---- helpers shared with sema_decl.c ---------------------------------------------------- */

const struct symbol *find_symbol(const struct checker *c, const char *name)
{
	for (int i = 0; i < c->symbol_count; i++)
		if (strcmp(c->symbols[i].name, name) == 0)
			return &c->symbols[i];
	return NULL;
}

void hint_add_unit(struct diagnostic *d, const struct expr *int_expr, const char *intro)
{
	if (int_expr->kind == EXPR_INT)
		diag_hint(d, "%s, e.g. %" PRId64 "ms", intro, int_expr->integer.value);
	else
		diag_hint(d, "%s, e.g. multiply it by 1ms", intro);
}

/* ---- expressions ----------------------------------------------------------------------- */

static bool is_comm(const struct expr *expr)
{
	return (expr->kind == EXPR_NAME || expr->kind == EXPR_FIELD) &&
	       expr->ref == REF_TASK_FIELD &&
	       (expr->ref_index == FIELD_COMM || expr->ref_index == FIELD_PARENT_COMM);
}

static struct checked constant(enum type type, int64_t value)
{
	return (struct checked){ type, true, value };
}

static struct checked runtime(enum type type)
{
	return (struct checked){ type, false, 0 };
}

/* Folds OP over constant ARGS, reporting overflow at SPAN. */
static struct checked fold(struct checker *c, enum ir_op op, enum type type, const int64_t args[3],
			   struct span span)
{
	bool overflowed;
	int64_t value = ir_eval(op, args, &overflowed);
	if (overflowed) {
		struct diagnostic *d = diag_error(c->sink, DIAG_OVERFLOW, span,
						  "this constant overflows a 64-bit integer");
		diag_hint(d, "values are 64-bit signed integers; durations count nanoseconds");
		return runtime(type);
	}
	return constant(type, value);
}

/* Refuses names and run-time values while checking a constant; true if refused. */
static bool refuse_in_constant(struct checker *c, const struct expr *expr, const char *what)
{
	if (!c->constant_context)
		return false;
	struct diagnostic *d =
		diag_error(c->sink, DIAG_NOT_CONSTANT, expr->span, "%s must be a constant, but %s",
			   c->constant_context, what);
	diag_hint(d, "use numbers, units and arithmetic only, e.g. 5ms * 2");
	return true;
}

/* EXPR names a run-time value of TYPE, REF number INDEX; refused where a constant is needed,
 * because it IS ("a param", "a task field", "only known at run time"). */
static struct checked resolve_runtime_name(struct checker *c, struct expr *expr, enum ref_kind ref,
					   int index, const char *is, enum type type)
{
	char what[160];
	expr->ref = ref;
	expr->ref_index = index;
	snprintf(what, sizeof(what), "'%s' is %s", expr->name.name, is);
	if (refuse_in_constant(c, expr, what))
		return unknown_result;
	return runtime(type);
}

static struct checked check_name(struct checker *c, struct expr *expr)
{
	const char *name = expr->name.name;
	const struct symbol *symbol = find_symbol(c, name);
	if (symbol && symbol->kind == SYMBOL_PARAM) {
		c->param_used[symbol->index] = true;
		return resolve_runtime_name(c, expr, REF_PARAM, symbol->index, "a param",
					    c->params[symbol->index]->type);
	}
	int field = word_index(task_field_names, TASK_FIELD_COUNT, name);
	if (field >= 0)
		return resolve_runtime_name(c, expr, REF_TASK_FIELD, field, "a task field",
					    task_field_types[field]);
	int builtin = word_index(builtin_value_names, BUILTIN_VALUE_COUNT, name);
	if (builtin >= 0)
		return resolve_runtime_name(c, expr, REF_BUILTIN, builtin, "only known at run time",
					    TYPE_INT);
	if (symbol && symbol->kind == SYMBOL_QUEUE) {
		struct diagnostic *d = diag_error(c->sink, DIAG_NOT_A_VALUE, expr->span,
						  "queue '%s' is not a value", name);
		diag_hint(d, "use queued(%s) for the number of tasks waiting in it", name);
		return unknown_result;
	}
	if (symbol && symbol->kind == SYMBOL_CLASS) {
		diag_error(c->sink, DIAG_NOT_A_VALUE, expr->span, "class '%s' is not a value",
			   name);
		return unknown_result;
	}

	int count = c->param_count + TASK_FIELD_COUNT + BUILTIN_VALUE_COUNT;
	const char **candidates = checked(calloc((size_t)count, sizeof(*candidates)));
	int n = 0;
	for (int i = 0; i < c->param_count; i++)
		candidates[n++] = c->params[i]->name;
	for (int i = 0; i < TASK_FIELD_COUNT; i++)
		candidates[n++] = task_field_names[i];
	for (int i = 0; i < BUILTIN_VALUE_COUNT; i++)
		candidates[n++] = builtin_value_names[i];
	struct diagnostic *d =
		diag_error(c->sink, DIAG_UNKNOWN_NAME, expr->span, "unknown name '%s'", name);
	const char *suggestion = suggest_name(name, candidates, count);
	char fields[256], builtins[64];
	if (suggestion)
		diag_hint(d, "did you mean '%s'?", suggestion);
	else
		diag_hint(d, "a name here is a task field (%s), %s%s",
			  join_words(fields, sizeof(fields), task_field_names, TASK_FIELD_COUNT,
				     "or", ""),
			  join_words(builtins, sizeof(builtins), builtin_value_names,
				     BUILTIN_VALUE_COUNT, "or", ""),
			  c->param_count ? " or one of the policy's params" : "");
	free(candidates);
	return unknown_result;
}

static struct checked check_field(struct checker *c, struct expr *expr)
{
	static const char *const objects[] = { "task" };
	if (strcmp(expr->field.object, "task") != 0) {
		struct diagnostic *d =
			diag_error(c->sink, DIAG_UNKNOWN_OBJECT, expr->field.object_span,
				   "unknown object '%s'", expr->field.object);
		if (suggest_name(expr->field.object, objects, 1))
			diag_hint(d, "did you mean 'task'?");
		else
			diag_hint(d, "task attributes are written task.NAME, e.g. task.weight");
		return unknown_result;
	}
	int field = word_index(task_field_names, TASK_FIELD_COUNT, expr->field.field);
	if (field < 0) {
		struct diagnostic *d =
			diag_error(c->sink, DIAG_UNKNOWN_FIELD, expr->field.field_span,
				   "unknown task field '%s'", expr->field.field);
		diag_hint_name(d, expr->field.field, task_field_names, TASK_FIELD_COUNT,
			       "task fields are", NULL);
		return unknown_result;
	}
	expr->ref = REF_TASK_FIELD;
	expr->ref_index = field;
	char what[160];
	snprintf(what, sizeof(what), "'task.%s' is a task field", expr->field.field);
	if (refuse_in_constant(c, expr, what))
		return unknown_result;
	return runtime(task_field_types[field]);
}

/* The type of what FUNCTION gives for arguments of type ARGUMENTS. */
static enum type result_type(const struct function_info *function, enum type arguments)
{
	switch (function->result) {
	case RESULT_ARGUMENT_TYPE: return arguments;
	case RESULT_INT: return TYPE_INT;
	}
	abort();
}

/* Reports a call with a number of arguments FUNCTION does not take; NULL if it has one. */
static struct diagnostic *report_argument_count(struct checker *c, const struct expr *expr,
						const struct function_info *function)
{
	int count = expr->call.args->count;
	if (count >= function->fewest_args &&
	    (!function->most_args || count <= function->most_args))
		return NULL;
	return diag_error(c->sink, DIAG_ARGUMENT_COUNT, expr->span, "%s() takes %s", function->name,
			  function->takes);
}

/* queued(Q): the name of a queue. */
static struct checked check_queue_argument(struct checker *c, struct expr *expr,
					   const struct function_info *function)
{
	struct diagnostic *d = report_argument_count(c, expr, function);
	if (!d && expr->call.args->items[0]->kind != EXPR_NAME)
		d = diag_error(c->sink, DIAG_ARGUMENT_COUNT, expr->span, "%s() takes %s",
			       function->name, function->takes);
	if (d) {
		diag_hint(d, "e.g. %s(%s)", function->name,
			  c->queue_count ? c->queues[0]->name : "main");
		return unknown_result;
	}
	struct expr *arg = expr->call.args->items[0];
	const struct symbol *symbol = find_symbol(c, arg->name.name);
	if (!symbol || symbol->kind != SYMBOL_QUEUE) {
		struct diagnostic *d = diag_error(c->sink, DIAG_NOT_A_QUEUE, arg->span,
						  "'%s' is not a queue", arg->name.name);
		diag_hint_name(d, arg->name.name, c->queue_names, c->queue_count, NULL, NULL);
		return unknown_result;
	}
	arg->ref = REF_QUEUE;
	arg->ref_index = symbol->index;
	arg->type = TYPE_QUEUE;
	char what[160];
	snprintf(what, sizeof(what), "%s() is only known at run time", function->name);
	if (refuse_in_constant(c, expr, what))
		return unknown_result;
	return runtime(result_type(function, TYPE_QUEUE));
}

/* min(a, b, …), max(a, b, …), clamp(x, low, high): numbers of one type. */
static struct checked check_number_arguments(struct checker *c, struct expr *expr,
					     const struct function_info *function)
{
	const char *name = function->name;
	struct expr_list *args = expr->call.args;
	if (report_argument_count(c, expr, function))
		return unknown_result;
	enum type type = TYPE_UNKNOWN;
	bool failed = false, all_constant = true;
	for (int i = 0; i < args->count; i++) {
		struct checked arg = check_expr(c, args->items[i]);
		if (arg.type == TYPE_UNKNOWN) {
			failed = true;
		} else if (!is_number(arg.type)) {
			diag_error(c->sink, DIAG_ARGUMENT_TYPE, args->items[i]->span,
				   "%s() takes ints or durations, not %s", name, a_type(arg.type));
			failed = true;
		} else if (type == TYPE_UNKNOWN) {
			type = arg.type;
		} else if (arg.type != type) {
			struct diagnostic *d = diag_error(
				c->sink, DIAG_UNIT_MISMATCH, args->items[i]->span,
				"%s() mixes %s and %s", name, a_type(type), a_type(arg.type));
			diag_hint(d, "give every argument the same unit");
			failed = true;
		}
		all_constant = all_constant && arg.constant;
	}
	if (failed)
		return unknown_result;
	enum type result = result_type(function, type);
	if (!all_constant)
		return runtime(result);
	struct expr **items = args->items;
	if (function->most_args) {
		int64_t values[3] = { 0, 0, 0 };
		for (int i = 0; i < args->count; i++)
			values[i] = items[i]->value;
		return fold(c, function->op, result, values, expr->span);
	}
	/* Any number of arguments: the two-argument operation folds them from the left. */
	struct checked folded = constant(result, items[0]->value);
	for (int i = 1; i < args->count && folded.constant; i++) {
		int64_t values[3] = { folded.value, items[i]->value, 0 };
		folded = fold(c, function->op, result, values, expr->span);
	}
	return folded;
}

static struct checked check_call(struct checker *c, struct expr *expr)
{
	const char *name = expr->call.name;
	int found = word_index(function_names, FUNCTION_COUNT, name);
	if (found >= 0) {
		const struct function_info *function = &functions[found];
		expr->ref = REF_FUNCTION;
		expr->ref_index = found;
		switch (function->arguments) {
		case ARGUMENTS_NUMBERS: return check_number_arguments(c, expr, function);
		case ARGUMENT_QUEUE_NAME: return check_queue_argument(c, expr, function);
		}
		abort();
	}
	if (strcmp(name, "idle") == 0) {
		struct diagnostic *d = diag_error(c->sink, DIAG_NOT_A_VALUE, expr->span,
						  "idle(...) is a CPU selection step, not a value");
		diag_hint(d, "CPU steps belong in the `cpu:` line, e.g. cpu: idle(prev), prev;");
		return unknown_result;
	}
	struct diagnostic *d = diag_error(c->sink, DIAG_UNKNOWN_FUNCTION, expr->call.name_span,
					  "unknown function '%s'", name);
	diag_hint_name(d, name, function_names, FUNCTION_COUNT, "the functions are", NULL);
	return unknown_result;
}

/* Checks a string literal compared with comm: it must fit in a task's comm. */
static bool check_comm_string(struct checker *c, const struct expr *string)
{
	if (string->kind != EXPR_STRING) {
		struct diagnostic *d = diag_error(c->sink, DIAG_COMM_NOT_STRING, string->span,
						  "comm can only be compared with a string");
		diag_hint(d, "write the name in quotes, e.g. \"bash\"");
		return false;
	}
	if (string->string.length > SCXC_COMM_MAX) {
		struct diagnostic *d =
			diag_error(c->sink, DIAG_COMM_TOO_LONG, string->span,
				   "this name is %zu characters long, so comm can never equal it",
				   string->string.length);
		diag_hint(d,
			  "the kernel keeps only the first %d characters of a command name; "
			  "match a prefix instead, e.g. comm ~ \"%.*s*\"",
			  SCXC_COMM_MAX, SCXC_COMM_MAX - 1, string->string.text);
		return false;
	}
	const char *wildcard = strpbrk(string->string.text, "*?");
	if (wildcard) {
		struct diagnostic *d = diag_warn(
			c->sink, WARN_GLOB_EQUALS, string->span,
			"comm is compared with \"%s\" character by character, so '%c' matches only "
			"a '%c'",
			string->string.text, *wildcard, *wildcard);
		diag_hint(d, "to match a pattern, write comm ~ \"%s\"", string->string.text);
	}
	return true;
}

void report_string_misuse(struct checker *c, const struct expr *expr)
{
	if (is_cgroup_field(expr)) {
		struct diagnostic *d = diag_error(c->sink, DIAG_STRING_MISUSE, expr->span,
						  "cgroup is a string and can only be compared");
		diag_hint(d, "use cgroup == \"/path\", cgroup in (\"/a\", \"/b\") or "
			     "cgroup ~ \"/services/*\"");
	} else if (is_comm(expr)) {
		struct diagnostic *d = diag_error(c->sink, DIAG_STRING_MISUSE, expr->span,
						  "comm is a string and can only be compared");
		diag_hint(d, "use comm == \"name\", comm != \"name\", comm in (\"a\", \"b\") "
			     "or comm ~ \"glob*\"");
	} else {
		diag_error(c->sink, DIAG_STRING_MISUSE, expr->span,
			   "a string can only be compared with comm or cgroup");
	}
}

static struct checked check_comm_equality(struct checker *c, struct expr *expr, struct checked left,
					  struct checked right)
{
	struct expr *l = expr->binary.left, *r = expr->binary.right;
	if (left.type == TYPE_UNKNOWN || right.type == TYPE_UNKNOWN)
		return unknown_result;
	if (is_cgroup_field(l) || is_cgroup_field(r))
		return check_cgroup_string(c, is_cgroup_field(l) ? r : l, false)
			       ? runtime(TYPE_BOOL)
			       : unknown_result;
	if (is_comm(l) && check_comm_string(c, r))
		return runtime(TYPE_BOOL);
	if (is_comm(r) && check_comm_string(c, l))
		return runtime(TYPE_BOOL);
	if (!is_comm(l) && !is_comm(r))
		report_string_misuse(c, left.type == TYPE_STRING ? l : r);
	return unknown_result;
}

/* Reports arithmetic on LT and RT that mixes their units in a way the language has no
 * meaning for. */
static void report_unit_mismatch(struct checker *c, const struct expr *expr, enum type lt,
				 enum type rt)
{
	const struct expr *int_side = lt == TYPE_INT ? expr->binary.left : expr->binary.right;
	struct diagnostic *d;
	switch (expr->binary.op) {
	case OP_ADD:
		d = diag_error(c->sink, DIAG_UNIT_MISMATCH, expr->span, "cannot add %s and %s",
			       a_type(lt), a_type(rt));
		hint_add_unit(d, int_side, "give the int a unit");
		return;
	case OP_SUB:
		d = diag_error(c->sink, DIAG_UNIT_MISMATCH, expr->span,
			       "cannot subtract %s from %s", a_type(rt), a_type(lt));
		hint_add_unit(d, int_side, "give the int a unit");
		return;
	case OP_MUL:
		d = diag_error(c->sink, DIAG_UNIT_MISMATCH, expr->span,
			       "cannot multiply two durations");
		diag_hint(d, "divide one by a unit to get a count, e.g. slice / 1ms");
		return;
	case OP_DIV:
		d = diag_error(c->sink, DIAG_UNIT_MISMATCH, expr->span,
			       "cannot divide an int by a duration");
		diag_hint(d, "a duration divided by a duration is an int; an int cannot "
			     "be divided by a time");
		return;
	case OP_MOD:
		d = diag_error(c->sink, DIAG_UNIT_MISMATCH, expr->span,
			       "cannot take the remainder of %s by %s", a_type(lt), a_type(rt));
		hint_add_unit(d, int_side, "give the int a unit");
		return;
	case OP_EQ:
	case OP_NE:
	case OP_LT:
	case OP_LE:
	case OP_GT:
	case OP_GE:
	case OP_AND:
	case OP_OR: break;
	}
	abort(); /* not arithmetic */
}

static struct checked check_arithmetic(struct checker *c, struct expr *expr, struct checked left,
				       struct checked right)
{
	enum binary_op op = expr->binary.op;
	enum type lt = left.type, rt = right.type, result = TYPE_UNKNOWN;
	switch (op) {
	case OP_ADD:
	case OP_SUB:
		if (lt == rt)
			result = lt;
		break;
	case OP_MUL:
		if (lt == TYPE_INT || rt == TYPE_INT)
			result = lt == TYPE_INT ? rt : lt;
		break;
	case OP_DIV:
		if (rt == TYPE_INT)
			result = lt;
		else if (lt == TYPE_DURATION)
			result = TYPE_INT;
		break;
	case OP_MOD:
		if (lt == rt)
			result = lt;
		break;
	case OP_EQ:
	case OP_NE:
	case OP_LT:
	case OP_LE:
	case OP_GT:
	case OP_GE:
	case OP_AND:
	case OP_OR: abort(); /* check_binary sends only arithmetic here */
	}
	if (result == TYPE_UNKNOWN) {
		report_unit_mismatch(c, expr, lt, rt);
		return unknown_result;
	}

	if ((op == OP_DIV || op == OP_MOD) && right.constant && right.value == 0) {
		struct diagnostic *d = diag_error(c->sink, DIAG_DIVISION_BY_ZERO, expr->span,
						  op == OP_DIV ? "division by zero"
							       : "remainder of a division by zero");
		diag_hint(d, "the divisor is always 0");
		return unknown_result;
	}
	if (left.constant && right.constant) {
		int64_t args[3] = { left.value, right.value, 0 };
		return fold(c, ir_op_for_binary(op), result, args, expr->span);
	}
	return runtime(result);
}

static struct checked check_comparison(struct checker *c, struct expr *expr, struct checked left,
				       struct checked right)
{
	enum binary_op op = expr->binary.op;
	if (left.type != right.type) {
		struct diagnostic *d = diag_error(c->sink, DIAG_COMPARE_MISMATCH, expr->span,
						  "cannot compare %s and %s", a_type(left.type),
						  a_type(right.type));
		if (is_number(left.type) && is_number(right.type))
			hint_add_unit(
				d, left.type == TYPE_INT ? expr->binary.left : expr->binary.right,
				"give the int a unit");
		return unknown_result;
	}
	if (left.type == TYPE_BOOL && op != OP_EQ && op != OP_NE) {
		diag_error(c->sink, DIAG_COMPARE_MISMATCH, expr->span,
			   "'%s' orders numbers; bools can only be compared "
			   "with == and !=",
			   binary_op_text(op));
		return unknown_result;
	}
	if (left.constant && right.constant) {
		int64_t args[3] = { left.value, right.value, 0 };
		return fold(c, ir_op_for_binary(op), TYPE_BOOL, args, expr->span);
	}
	return runtime(TYPE_BOOL);
}

static struct checked check_binary(struct checker *c, struct expr *expr)
{
	enum binary_op op = expr->binary.op;
	struct expr *l = expr->binary.left, *r = expr->binary.right;
	struct checked left = check_expr(c, l), right = check_expr(c, r);
	if ((op == OP_EQ || op == OP_NE) && !check_policy_name(c, l, r, &right))
		check_policy_name(c, r, l, &left);

	if (op == OP_AND || op == OP_OR) {
		bool failed = left.type == TYPE_UNKNOWN || right.type == TYPE_UNKNOWN;
		for (int side = 0; side < 2; side++) {
			struct expr *operand = side ? r : l;
			enum type type = side ? right.type : left.type;
			if (type != TYPE_BOOL && type != TYPE_UNKNOWN) {
				struct diagnostic *d =
					diag_error(c->sink, DIAG_OPERAND_TYPE, operand->span,
						   "'%s' needs a bool on each side, but this is %s",
						   binary_op_text(op), a_type(type));
				if (is_number(type))
					diag_hint(d, "compare it, e.g. nice > 0");
				failed = true;
			}
		}
		if (failed)
			return unknown_result;
		if (left.constant && right.constant) {
			int64_t args[3] = { left.value, right.value, 0 };
			return fold(c, ir_op_for_binary(op), TYPE_BOOL, args, expr->span);
		}
		/* true or X is true, false and X is false, whatever X is. */
		int64_t decisive = op == OP_OR;
		if ((left.constant && left.value == decisive) ||
		    (right.constant && right.value == decisive))
			return constant(TYPE_BOOL, decisive);
		return runtime(TYPE_BOOL);
	}

	if ((op == OP_EQ || op == OP_NE) && (left.type == TYPE_STRING || right.type == TYPE_STRING))
		return check_comm_equality(c, expr, left, right);
	if (left.type == TYPE_UNKNOWN || right.type == TYPE_UNKNOWN)
		return unknown_result;
	if (left.type == TYPE_STRING || right.type == TYPE_STRING) {
		report_string_misuse(c, left.type == TYPE_STRING ? l : r);
		return unknown_result;
	}
	if (op >= OP_EQ)
		return check_comparison(c, expr, left, right);
	for (int side = 0; side < 2; side++) {
		enum type type = side ? right.type : left.type;
		if (!is_number(type)) {
			diag_error(c->sink, DIAG_OPERAND_TYPE, (side ? r : l)->span,
				   "'%s' needs numbers, but this is %s", binary_op_text(op),
				   a_type(type));
			return unknown_result;
		}
	}
	return check_arithmetic(c, expr, left, right);
}

static struct checked check_unary(struct checker *c, struct expr *expr)
{
	struct expr *operand_expr = expr->unary.operand;
	struct checked operand = check_expr(c, operand_expr);
	if (operand.type == TYPE_UNKNOWN)
		return unknown_result;
	if (operand.type == TYPE_STRING) {
		report_string_misuse(c, operand_expr);
		return unknown_result;
	}
	bool negate = expr->unary.op == OP_NEG;
	if (negate ? !is_number(operand.type) : operand.type != TYPE_BOOL) {
		diag_error(c->sink, DIAG_OPERAND_TYPE, operand_expr->span,
			   negate ? "'-' needs a number, but this is %s"
				  : "'not' needs a bool, but this is %s",
			   a_type(operand.type));
		return unknown_result;
	}
	if (operand.constant) {
		int64_t args[3] = { operand.value, 0, 0 };
		return fold(c, negate ? IR_NEG : IR_NOT, operand.type, args, expr->span);
	}
	return runtime(operand.type);
}

/* X in (A, B, …): comm against strings, or a number against numbers of its type. */
static struct checked check_in(struct checker *c, struct expr *expr)
{
	struct checked subject = check_expr(c, expr->in.subject);
	struct expr_list *items = expr->in.items;
	if (expr->in.range)
		return check_range(c, expr, subject);
	if (subject.type == TYPE_UNKNOWN)
		return unknown_result;
	if (is_comm(expr->in.subject) || is_cgroup_field(expr->in.subject)) {
		bool ok = true, cgroup = is_cgroup_field(expr->in.subject);
		for (int i = 0; i < items->count; i++)
			ok = (cgroup ? check_cgroup_string(c, items->items[i], false)
				     : check_comm_string(c, items->items[i])) &&
			     ok;
		for (int i = 0; i < items->count; i++)
			items->items[i]->type = TYPE_STRING;
		return ok ? runtime(TYPE_BOOL) : unknown_result;
	}
	if (!is_number(subject.type)) {
		if (subject.type == TYPE_STRING)
			report_string_misuse(c, expr->in.subject);
		else
			diag_error(c->sink, DIAG_OPERAND_TYPE, expr->in.subject->span,
				   "'in' needs comm or a number on its left, but this is %s",
				   a_type(subject.type));
		return unknown_result;
	}
	/* It folds as the `X == A or X == B or ...` it stands for: one test that is constantly
	 * true makes it true, and it is false only when every test is constantly false. */
	bool ok = true, some_test_true = false, every_test_constant = true;
	for (int i = 0; i < items->count; i++) {
		struct checked item = check_expr(c, items->items[i]);
		check_policy_name(c, expr->in.subject, items->items[i], &item);
		if (item.type == TYPE_UNKNOWN) {
			ok = false;
		} else if (item.type != subject.type) {
			struct diagnostic *d =
				diag_error(c->sink, DIAG_COMPARE_MISMATCH, items->items[i]->span,
					   "this list holds %s but is matched against %s",
					   a_type(item.type), a_type(subject.type));
			if (is_number(item.type))
				diag_hint(d, "give every item the unit of the value on the left");
			ok = false;
		}
		bool test_constant = subject.constant && item.constant;
		every_test_constant = every_test_constant && test_constant;
		some_test_true = some_test_true || (test_constant && item.value == subject.value);
	}
	if (!ok)
		return unknown_result;
	if (some_test_true || every_test_constant)
		return constant(TYPE_BOOL, some_test_true);
	return runtime(TYPE_BOOL);
}

static struct checked check_match(struct checker *c, struct expr *expr)
{
	struct checked subject = check_expr(c, expr->match.subject);
	struct expr *pattern = expr->match.pattern;
	if (subject.type == TYPE_UNKNOWN)
		return unknown_result;
	if (is_cgroup_field(expr->match.subject)) {
		pattern->type = TYPE_STRING;
		return check_cgroup_string(c, pattern, true) ? runtime(TYPE_BOOL) : unknown_result;
	}
	if (!is_comm(expr->match.subject)) {
		struct diagnostic *d = diag_error(
			c->sink, DIAG_OPERAND_TYPE, expr->match.subject->span,
			"'~' matches comm against a pattern, but this is %s", a_type(subject.type));
		diag_hint(d, "e.g. comm ~ \"kworker*\"");
		return unknown_result;
	}
	if (pattern->kind != EXPR_STRING) {
		struct diagnostic *d = diag_error(c->sink, DIAG_COMM_NOT_STRING, pattern->span,
						  "the pattern after '~' must be a string");
		diag_hint(d, "e.g. comm ~ \"kworker*\"");
		return unknown_result;
	}
	pattern->type = TYPE_STRING;
	size_t fixed = 0;
	for (size_t i = 0; i < pattern->string.length; i++)
		fixed += pattern->string.text[i] != '*';
	if (fixed > SCXC_COMM_MAX) {
		struct diagnostic *d = diag_error(
			c->sink, DIAG_COMM_TOO_LONG, pattern->span,
			"this pattern needs at least %zu characters, so comm can never match it",
			fixed);
		diag_hint(d, "the kernel keeps only the first %d characters of a command name",
			  SCXC_COMM_MAX);
		return unknown_result;
	}
	if (pattern->string.length > SCXC_GLOB_MAX) {
		struct diagnostic *d =
			diag_error(c->sink, DIAG_GLOB_TOO_LONG, pattern->span,
				   "this pattern is %zu characters long; a pattern has at most %d",
				   pattern->string.length, SCXC_GLOB_MAX);
		diag_hint(d, "'**' matches the same as '*'");
		return unknown_result;
	}
	return runtime(TYPE_BOOL);
}

struct checked check_expr(struct checker *c, struct expr *expr)
{
	struct checked result = unknown_result;
	bool cpuset_allowed = c->cpuset_allowed;
	c->cpuset_allowed = false;
	switch (expr->kind) {
	case EXPR_INT:
		result = constant(expr->integer.unit == UNIT_NONE ? TYPE_INT : TYPE_DURATION,
				  expr->integer.value);
		break;
	case EXPR_BOOL: result = constant(TYPE_BOOL, expr->boolean); break;
	case EXPR_STRING: result = runtime(TYPE_STRING); break;
	case EXPR_NAME: result = check_name(c, expr); break;
	case EXPR_FIELD: result = check_field(c, expr); break;
	case EXPR_CALL: result = check_call(c, expr); break;
	case EXPR_UNARY: result = check_unary(c, expr); break;
	case EXPR_BINARY: result = check_binary(c, expr); break;
	case EXPR_IN: result = check_in(c, expr); break;
	case EXPR_MATCH: result = check_match(c, expr); break;
	case EXPR_CPUSET: result = check_cpuset(c, expr); break;
	}
	if (result.type == TYPE_CPUSET && !cpuset_allowed) {
		report_cpuset_misuse(c, expr);
		result = unknown_result;
	}
	expr->type = result.type;
	expr->constant = result.constant;
	expr->value = result.value;
	return result;
}
