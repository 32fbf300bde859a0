/*
 * sema.c — checks a parsed policy and annotates its tree.
 *
 * Takes the AST with imports already spliced in and makes it safe to lower: every name is
 * resolved (params, then task fields, then builtins; queues where a queue is expected) and
 * recorded in the expression's `ref`, every expression gets its type, units are checked
 * (durations never mix with plain ints except by * and /), constant parts are folded with
 * the run-time arithmetic so ranges and divisions by zero are caught here, and the rules
 * of the declarations hold: one policy name first, unique names, a catch-all class last,
 * every queue dispatched, a CPU chain without unreachable steps.  For a `cpu:` step, sema
 * stores its enum cpu_step in the step's ref_index.  Problems are reported to the sink,
 * each with a hint or a note where one helps; checking goes on after an error so one run
 * reports as much as it can.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "stages.h"
#include "checked.h"
#include "words.h"

#define MAX_POLICY_NAME 100
/* Keep the runtime's tables, per-queue loops and per-CPU stats (2 counters per class and per
 * queue in one map value) small. */
#define MAX_PARAMS 256
#define MAX_QUEUES 64
#define MAX_CLASSES 256

enum symbol_kind { SYMBOL_PARAM, SYMBOL_QUEUE, SYMBOL_CLASS };
static const char *const symbol_kind_names[] = { "param", "queue", "class" };

struct symbol {
	const char *name;
	enum symbol_kind kind;
	int index;			/* among the declarations of its kind */
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
};

/* "an int", "a duration", … for messages. */
static const char *a_type(enum type type)
{
	switch (type) {
	case TYPE_INT: return "an int";
	case TYPE_DURATION: return "a duration";
	case TYPE_BOOL: return "a bool";
	case TYPE_STRING: return "a string";
	case TYPE_QUEUE: return "a queue";
	case TYPE_UNKNOWN: break;
	}
	return "an invalid value";
}

static bool is_number(enum type type)
{
	return type == TYPE_INT || type == TYPE_DURATION;
}

static const struct symbol *find_symbol(const struct checker *c, const char *name)
{
	for (int i = 0; i < c->symbol_count; i++)
		if (strcmp(c->symbols[i].name, name) == 0)
			return &c->symbols[i];
	return NULL;
}

static int find_in(const char *const *names, int count, const char *name)
{
	for (int i = 0; i < count; i++)
		if (strcmp(names[i], name) == 0)
			return i;
	return -1;
}

static bool is_comm(const struct expr *expr)
{
	return (expr->kind == EXPR_NAME || expr->kind == EXPR_FIELD) &&
	       expr->ref == REF_TASK_FIELD && expr->ref_index == FIELD_COMM;
}

/* A hint that turns an int into a duration: "write 5ms" for a literal. */
static void hint_add_unit(struct diagnostic *d, const struct expr *int_expr, const char *intro)
{
	if (int_expr->kind == EXPR_INT)
		diag_hint(d, "%s, e.g. %" PRId64 "ms", intro, int_expr->integer.value);
	else
		diag_hint(d, "%s, e.g. multiply it by 1ms", intro);
}

/* ---- expressions ----------------------------------------------------------------------- */

static struct checked check_expr(struct checker *c, struct expr *expr);

static struct checked constant(enum type type, int64_t value)
{
	return (struct checked){ type, true, value };
}

static struct checked runtime(enum type type)
{
	return (struct checked){ type, false, 0 };
}

/* Folds OP over constant ARGS, reporting overflow at SPAN. */
static struct checked fold(struct checker *c, enum ir_op op, enum type type,
			   const int64_t args[3], struct span span)
{
	bool overflowed;
	int64_t value = ir_eval(op, args, &overflowed);
	if (overflowed) {
		struct diagnostic *d = diag_error(c->sink, span,
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
	struct diagnostic *d = diag_error(c->sink, expr->span, "%s must be a constant, but %s",
					  c->constant_context, what);
	diag_hint(d, "use numbers, units and arithmetic only, e.g. 5ms * 2");
	return true;
}

static struct checked check_name(struct checker *c, struct expr *expr)
{
	const char *name = expr->name.name;
	char what[160];
	const struct symbol *symbol = find_symbol(c, name);
	if (symbol && symbol->kind == SYMBOL_PARAM) {
		expr->ref = REF_PARAM;
		expr->ref_index = symbol->index;
		snprintf(what, sizeof(what), "'%s' is a param", name);
		if (refuse_in_constant(c, expr, what))
			return unknown_result;
		return runtime(c->params[symbol->index]->type);
	}
	int field = find_in(task_field_names, TASK_FIELD_COUNT, name);
	if (field >= 0) {
		expr->ref = REF_TASK_FIELD;
		expr->ref_index = field;
		snprintf(what, sizeof(what), "'%s' is a task field", name);
		if (refuse_in_constant(c, expr, what))
			return unknown_result;
		return runtime(task_field_types[field]);
	}
	int builtin = find_in(builtin_value_names, BUILTIN_VALUE_COUNT, name);
	if (builtin >= 0) {
		expr->ref = REF_BUILTIN;
		expr->ref_index = builtin;
		snprintf(what, sizeof(what), "'%s' is only known at run time", name);
		if (refuse_in_constant(c, expr, what))
			return unknown_result;
		return runtime(TYPE_INT);
	}
	if (symbol && symbol->kind == SYMBOL_QUEUE) {
		struct diagnostic *d = diag_error(c->sink, expr->span,
						  "queue '%s' is not a value", name);
		diag_hint(d, "use queued(%s) for the number of tasks waiting in it", name);
		return unknown_result;
	}
	if (symbol && symbol->kind == SYMBOL_CLASS) {
		diag_error(c->sink, expr->span, "class '%s' is not a value", name);
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
	struct diagnostic *d = diag_error(c->sink, expr->span, "unknown name '%s'", name);
	const char *suggestion = suggest_name(name, candidates, count);
	if (suggestion)
		diag_hint(d, "did you mean '%s'?", suggestion);
	free(candidates);
	return unknown_result;
}

static struct checked check_field(struct checker *c, struct expr *expr)
{
	static const char *const objects[] = { "task" };
	if (strcmp(expr->field.object, "task") != 0) {
		struct diagnostic *d = diag_error(c->sink, expr->field.object_span,
						  "unknown object '%s'", expr->field.object);
		if (suggest_name(expr->field.object, objects, 1))
			diag_hint(d, "did you mean 'task'?");
		else
			diag_hint(d, "task attributes are written task.NAME, e.g. task.weight");
		return unknown_result;
	}
	int field = find_in(task_field_names, TASK_FIELD_COUNT, expr->field.field);
	if (field < 0) {
		struct diagnostic *d = diag_error(c->sink, expr->field.field_span,
						  "unknown task field '%s'", expr->field.field);
		const char *suggestion = suggest_name(expr->field.field, task_field_names,
						      TASK_FIELD_COUNT);
		if (suggestion)
			diag_hint(d, "did you mean '%s'?", suggestion);
		else
			diag_hint(d, "task fields are comm, pid, tgid, uid, gid, nice, weight and kthread");
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

static struct checked check_queued(struct checker *c, struct expr *expr)
{
	struct expr_list *args = expr->call.args;
	if (args->count != 1 || args->items[0]->kind != EXPR_NAME) {
		struct diagnostic *d = diag_error(c->sink, expr->span,
						  "queued() takes the name of one queue");
		diag_hint(d, "e.g. queued(%s)", c->queue_count ? c->queues[0]->name : "main");
		return unknown_result;
	}
	struct expr *arg = args->items[0];
	const struct symbol *symbol = find_symbol(c, arg->name.name);
	if (!symbol || symbol->kind != SYMBOL_QUEUE) {
		struct diagnostic *d = diag_error(c->sink, arg->span, "'%s' is not a queue",
						  arg->name.name);
		const char *suggestion = suggest_name(arg->name.name, c->queue_names,
						      c->queue_count);
		if (suggestion)
			diag_hint(d, "did you mean '%s'?", suggestion);
		return unknown_result;
	}
	arg->ref = REF_QUEUE;
	arg->ref_index = symbol->index;
	arg->type = TYPE_QUEUE;
	if (refuse_in_constant(c, expr, "queued() is only known at run time"))
		return unknown_result;
	return runtime(TYPE_INT);
}

/* min(a, b, …), max(a, b, …), clamp(x, low, high): numbers of one type. */
static struct checked check_min_max_clamp(struct checker *c, struct expr *expr, enum ir_op op)
{
	const char *name = expr->call.name;
	struct expr_list *args = expr->call.args;
	if (op == IR_CLAMP ? args->count != 3 : args->count < 2) {
		diag_error(c->sink, expr->span, op == IR_CLAMP ?
			   "clamp() takes three arguments: clamp(value, low, high)" :
			   "%s() takes at least two arguments", name);
		return unknown_result;
	}
	enum type type = TYPE_UNKNOWN;
	bool failed = false, all_constant = true;
	int64_t values[3] = { 0, 0, 0 };
	struct checked result = unknown_result;
	for (int i = 0; i < args->count; i++) {
		struct checked arg = check_expr(c, args->items[i]);
		if (arg.type == TYPE_UNKNOWN) {
			failed = true;
		} else if (!is_number(arg.type)) {
			diag_error(c->sink, args->items[i]->span,
				   "%s() takes ints or durations, not %s", name, a_type(arg.type));
			failed = true;
		} else if (type == TYPE_UNKNOWN) {
			type = arg.type;
		} else if (arg.type != type) {
			struct diagnostic *d = diag_error(c->sink, args->items[i]->span,
				"%s() mixes %s and %s", name, a_type(type), a_type(arg.type));
			diag_hint(d, "give every argument the same unit");
			failed = true;
		}
		all_constant = all_constant && arg.constant;
		if (failed || !all_constant)
			continue;
		/* min and max fold pairwise from the left, as lowering builds them. */
		if (op == IR_CLAMP) {
			values[i] = arg.value;
		} else if (i == 0) {
			values[0] = arg.value;
		} else {
			values[1] = arg.value;
			result = fold(c, op, type, values, expr->span);
			values[0] = result.value;
		}
	}
	if (failed)
		return unknown_result;
	if (!all_constant)
		return runtime(type);
	return op == IR_CLAMP ? fold(c, op, type, values, expr->span) : constant(type, values[0]);
}

static struct checked check_call(struct checker *c, struct expr *expr)
{
	static const char *const functions[] = { "min", "max", "clamp", "queued" };
	const char *name = expr->call.name;
	if (strcmp(name, "min") == 0)
		return check_min_max_clamp(c, expr, IR_MIN);
	if (strcmp(name, "max") == 0)
		return check_min_max_clamp(c, expr, IR_MAX);
	if (strcmp(name, "clamp") == 0)
		return check_min_max_clamp(c, expr, IR_CLAMP);
	if (strcmp(name, "queued") == 0)
		return check_queued(c, expr);
	if (strcmp(name, "idle") == 0) {
		struct diagnostic *d = diag_error(c->sink, expr->span,
						  "idle(...) is a CPU selection step, not a value");
		diag_hint(d, "CPU steps belong in the `cpu:` line, e.g. cpu: idle(prev), prev;");
		return unknown_result;
	}
	struct diagnostic *d = diag_error(c->sink, expr->call.name_span,
					  "unknown function '%s'", name);
	const char *suggestion = suggest_name(name, functions, 4);
	if (suggestion)
		diag_hint(d, "did you mean '%s'?", suggestion);
	else
		diag_hint(d, "the functions are min, max, clamp and queued");
	return unknown_result;
}

/* Checks a string literal compared with comm: it must fit in a task's comm. */
static bool check_comm_string(struct checker *c, const struct expr *string)
{
	if (string->kind != EXPR_STRING) {
		struct diagnostic *d = diag_error(c->sink, string->span,
						  "comm can only be compared with a string");
		diag_hint(d, "write the name in quotes, e.g. \"bash\"");
		return false;
	}
	if (string->string.length > SCXC_COMM_MAX) {
		struct diagnostic *d = diag_error(c->sink, string->span,
			"this name is %zu characters long, so comm can never equal it",
			string->string.length);
		diag_hint(d, "the kernel keeps only the first %d characters of a command name; "
			  "match a prefix instead, e.g. comm ~ \"%.*s*\"", SCXC_COMM_MAX,
			  SCXC_COMM_MAX - 1, string->string.text);
		return false;
	}
	return true;
}

/* A string or comm used where only numbers or bools make sense. */
static void report_string_misuse(struct checker *c, const struct expr *expr)
{
	if (is_comm(expr)) {
		struct diagnostic *d = diag_error(c->sink, expr->span,
						  "comm is a string and can only be compared");
		diag_hint(d, "use comm == \"name\", comm != \"name\", comm in (\"a\", \"b\") "
			  "or comm ~ \"glob*\"");
	} else {
		diag_error(c->sink, expr->span, "a string can only be compared with comm");
	}
}

static struct checked check_comm_equality(struct checker *c, struct expr *expr,
					  struct checked left, struct checked right)
{
	struct expr *l = expr->binary.left, *r = expr->binary.right;
	if (left.type == TYPE_UNKNOWN || right.type == TYPE_UNKNOWN)
		return unknown_result;
	if (is_comm(l) && check_comm_string(c, r))
		return runtime(TYPE_BOOL);
	if (is_comm(r) && check_comm_string(c, l))
		return runtime(TYPE_BOOL);
	if (!is_comm(l) && !is_comm(r))
		report_string_misuse(c, left.type == TYPE_STRING ? l : r);
	return unknown_result;
}

static struct checked check_arithmetic(struct checker *c, struct expr *expr,
				       struct checked left, struct checked right)
{
	enum binary_op op = expr->binary.op;
	struct expr *l = expr->binary.left, *r = expr->binary.right;
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
	default:
		abort();
	}
	if (result == TYPE_UNKNOWN) {
		struct diagnostic *d;
		switch (op) {
		case OP_ADD:
			d = diag_error(c->sink, expr->span, "cannot add %s and %s", a_type(lt), a_type(rt));
			break;
		case OP_SUB:
			d = diag_error(c->sink, expr->span, "cannot subtract %s from %s",
				       a_type(rt), a_type(lt));
			break;
		case OP_MUL:
			d = diag_error(c->sink, expr->span, "cannot multiply two durations");
			diag_hint(d, "divide one by a unit to get a count, e.g. slice / 1ms");
			return unknown_result;
		case OP_DIV:
			d = diag_error(c->sink, expr->span, "cannot divide an int by a duration");
			diag_hint(d, "a duration divided by a duration is an int; an int cannot "
				  "be divided by a time");
			return unknown_result;
		default:
			d = diag_error(c->sink, expr->span, "cannot take the remainder of %s by %s",
				       a_type(lt), a_type(rt));
			break;
		}
		hint_add_unit(d, lt == TYPE_INT ? l : r, "give the int a unit");
		return unknown_result;
	}

	if ((op == OP_DIV || op == OP_MOD) && right.constant && right.value == 0) {
		struct diagnostic *d = diag_error(c->sink, expr->span, op == OP_DIV ?
						  "division by zero" : "remainder of a division by zero");
		diag_hint(d, "the divisor is always 0");
		return unknown_result;
	}
	if (left.constant && right.constant) {
		int64_t args[3] = { left.value, right.value, 0 };
		return fold(c, ir_op_for_binary(op), result, args, expr->span);
	}
	return runtime(result);
}

static struct checked check_comparison(struct checker *c, struct expr *expr,
				       struct checked left, struct checked right)
{
	enum binary_op op = expr->binary.op;
	if (left.type != right.type) {
		struct diagnostic *d = diag_error(c->sink, expr->span, "cannot compare %s and %s",
						  a_type(left.type), a_type(right.type));
		if (is_number(left.type) && is_number(right.type))
			hint_add_unit(d, left.type == TYPE_INT ? expr->binary.left : expr->binary.right,
				      "give the int a unit");
		return unknown_result;
	}
	if (left.type == TYPE_BOOL && op != OP_EQ && op != OP_NE) {
		diag_error(c->sink, expr->span, "'%s' orders numbers; bools can only be compared "
			   "with == and !=", binary_op_text(op));
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

	if (op == OP_AND || op == OP_OR) {
		bool failed = left.type == TYPE_UNKNOWN || right.type == TYPE_UNKNOWN;
		for (int side = 0; side < 2; side++) {
			struct expr *operand = side ? r : l;
			enum type type = side ? right.type : left.type;
			if (type != TYPE_BOOL && type != TYPE_UNKNOWN) {
				struct diagnostic *d = diag_error(c->sink, operand->span,
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

	if ((op == OP_EQ || op == OP_NE) &&
	    (left.type == TYPE_STRING || right.type == TYPE_STRING))
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
			diag_error(c->sink, (side ? r : l)->span,
				   "'%s' needs numbers, but this is %s", binary_op_text(op), a_type(type));
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
		diag_error(c->sink, operand_expr->span, negate ?
			   "'-' needs a number, but this is %s" : "'not' needs a bool, but this is %s",
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
	if (subject.type == TYPE_UNKNOWN)
		return unknown_result;
	if (is_comm(expr->in.subject)) {
		bool ok = true;
		for (int i = 0; i < items->count; i++)
			ok = check_comm_string(c, items->items[i]) && ok;
		for (int i = 0; i < items->count; i++)
			items->items[i]->type = TYPE_STRING;
		return ok ? runtime(TYPE_BOOL) : unknown_result;
	}
	if (!is_number(subject.type)) {
		if (subject.type == TYPE_STRING)
			report_string_misuse(c, expr->in.subject);
		else
			diag_error(c->sink, expr->in.subject->span,
				   "'in' needs comm or a number on its left, but this is %s",
				   a_type(subject.type));
		return unknown_result;
	}
	bool ok = true, all_constant = subject.constant, found = false;
	for (int i = 0; i < items->count; i++) {
		struct checked item = check_expr(c, items->items[i]);
		if (item.type == TYPE_UNKNOWN) {
			ok = false;
		} else if (item.type != subject.type) {
			struct diagnostic *d = diag_error(c->sink, items->items[i]->span,
				"this list holds %s but is matched against %s",
				a_type(item.type), a_type(subject.type));
			if (is_number(item.type))
				diag_hint(d, "give every item the unit of the value on the left");
			ok = false;
		}
		all_constant = all_constant && item.constant;
		found = found || (item.constant && item.value == subject.value);
	}
	if (!ok)
		return unknown_result;
	return all_constant ? constant(TYPE_BOOL, found) : runtime(TYPE_BOOL);
}

static struct checked check_match(struct checker *c, struct expr *expr)
{
	struct checked subject = check_expr(c, expr->match.subject);
	struct expr *pattern = expr->match.pattern;
	if (subject.type == TYPE_UNKNOWN)
		return unknown_result;
	if (!is_comm(expr->match.subject)) {
		struct diagnostic *d = diag_error(c->sink, expr->match.subject->span,
						  "'~' matches comm against a pattern, but this is %s",
						  a_type(subject.type));
		diag_hint(d, "e.g. comm ~ \"kworker*\"");
		return unknown_result;
	}
	if (pattern->kind != EXPR_STRING) {
		struct diagnostic *d = diag_error(c->sink, pattern->span,
						  "the pattern after '~' must be a string");
		diag_hint(d, "e.g. comm ~ \"kworker*\"");
		return unknown_result;
	}
	pattern->type = TYPE_STRING;
	size_t fixed = 0;
	for (size_t i = 0; i < pattern->string.length; i++)
		fixed += pattern->string.text[i] != '*';
	if (fixed > SCXC_COMM_MAX) {
		struct diagnostic *d = diag_error(c->sink, pattern->span,
			"this pattern needs at least %zu characters, so comm can never match it", fixed);
		diag_hint(d, "the kernel keeps only the first %d characters of a command name",
			  SCXC_COMM_MAX);
		return unknown_result;
	}
	if (pattern->string.length > SCXC_GLOB_MAX) {
		struct diagnostic *d = diag_error(c->sink, pattern->span,
			"this pattern is %zu characters long; a pattern has at most %d",
			pattern->string.length, SCXC_GLOB_MAX);
		diag_hint(d, "'**' matches the same as '*'");
		return unknown_result;
	}
	return runtime(TYPE_BOOL);
}

static struct checked check_expr(struct checker *c, struct expr *expr)
{
	struct checked result = unknown_result;
	switch (expr->kind) {
	case EXPR_INT:
		result = constant(expr->integer.unit == UNIT_NONE ? TYPE_INT : TYPE_DURATION,
				  expr->integer.value);
		break;
	case EXPR_BOOL:
		result = constant(TYPE_BOOL, expr->boolean);
		break;
	case EXPR_STRING:
		result = runtime(TYPE_STRING);
		break;
	case EXPR_NAME:
		result = check_name(c, expr);
		break;
	case EXPR_FIELD:
		result = check_field(c, expr);
		break;
	case EXPR_CALL:
		result = check_call(c, expr);
		break;
	case EXPR_UNARY:
		result = check_unary(c, expr);
		break;
	case EXPR_BINARY:
		result = check_binary(c, expr);
		break;
	case EXPR_IN:
		result = check_in(c, expr);
		break;
	case EXPR_MATCH:
		result = check_match(c, expr);
		break;
	}
	expr->type = result.type;
	return result;
}

/* ---- declarations ---------------------------------------------------------------------- */

/* policy NAME; must come first, exactly once. */
static void check_policy(struct checker *c)
{
	const struct decl *policy = NULL;
	for (int i = 0; i < c->ast->count; i++) {
		const struct decl *decl = c->ast->decls[i];
		if (decl->kind != DECL_POLICY)
			continue;
		if (policy) {
			struct diagnostic *d = diag_error(c->sink, decl->span,
							  "a second policy declaration");
			diag_note(d, policy->span, "the policy is already named here");
			continue;
		}
		policy = decl;
		if (i != 0) {
			struct diagnostic *d = diag_error(c->sink, decl->span,
				"the policy declaration must come first");
			diag_note(d, c->ast->decls[0]->span, "this declaration comes before it");
		}
		if (strlen(decl->policy.name) > MAX_POLICY_NAME)
			diag_error(c->sink, decl->policy.name_span,
				   "the policy name is %zu characters long; at most %d are allowed",
				   strlen(decl->policy.name), MAX_POLICY_NAME);
	}
	if (!policy) {
		struct span start = { c->ast->file, 0, 0 };
		struct diagnostic *d = diag_error(c->sink, start, "missing policy declaration");
		diag_hint(d, "start the file with `policy NAME;`, e.g. policy fair;");
	}
}

static void add_symbol(struct checker *c, const char *name, struct span span,
		       enum symbol_kind kind, int index)
{
	const struct symbol *previous = find_symbol(c, name);
	if (previous) {
		struct diagnostic *d = diag_error(c->sink, span, "'%s' is already defined", name);
		diag_note(d, previous->span, "first defined here, as a %s",
			  symbol_kind_names[previous->kind]);
		return;
	}
	if (find_in(task_field_names, TASK_FIELD_COUNT, name) >= 0 || strcmp(name, "task") == 0) {
		struct diagnostic *d = diag_error(c->sink, span,
			"'%s' is the name of a task field; a %s cannot use it", name,
			symbol_kind_names[kind]);
		diag_hint(d, "choose another name");
		return;
	}
	if (find_in(builtin_value_names, BUILTIN_VALUE_COUNT, name) >= 0) {
		struct diagnostic *d = diag_error(c->sink, span,
			"'%s' is a builtin value; a %s cannot use its name", name,
			symbol_kind_names[kind]);
		diag_hint(d, "choose another name");
		return;
	}
	c->symbols[c->symbol_count++] = (struct symbol){ name, kind, index, span };
}

static void collect_symbols(struct checker *c)
{
	struct ast *ast = c->ast;
	c->symbols = checked(calloc((size_t)ast->count + 1, sizeof(*c->symbols)));
	c->params = checked(calloc((size_t)ast->count + 1, sizeof(*c->params)));
	c->queues = checked(calloc((size_t)ast->count + 1, sizeof(*c->queues)));
	const char **queue_names = checked(calloc((size_t)ast->count + 1, sizeof(char *)));
	int classes = 0;
	for (int i = 0; i < ast->count; i++) {
		struct decl *decl = ast->decls[i];
		switch (decl->kind) {
		case DECL_PARAM:
			add_symbol(c, decl->param.name, decl->param.name_span, SYMBOL_PARAM,
				   c->param_count);
			decl->param.type = TYPE_UNKNOWN;
			c->params[c->param_count++] = &decl->param;
			break;
		case DECL_QUEUE:
			add_symbol(c, decl->queue.name, decl->queue.name_span, SYMBOL_QUEUE,
				   c->queue_count);
			queue_names[c->queue_count] = decl->queue.name;
			c->queues[c->queue_count++] = &decl->queue;
			break;
		case DECL_CLASS:
			add_symbol(c, decl->class_.name, decl->class_.name_span, SYMBOL_CLASS,
				   classes++);
			break;
		case DECL_IMPORT:
			diag_error(c->sink, decl->span, "import '%s' was not resolved",
				   decl->import.name);
			break;
		case DECL_POLICY: case DECL_CPU: case DECL_DISPATCH:
			break;
		}
	}
	c->queue_names = queue_names;
}

/* Checks a constant part of a param (default or range bound) against the param's type. */
static struct checked check_param_constant(struct checker *c, struct param_decl *param,
					   struct expr *expr, const char *role)
{
	struct checked value = check_expr(c, expr);
	if (value.type == TYPE_UNKNOWN || param->type == TYPE_UNKNOWN)
		return unknown_result;
	if (value.type != param->type) {
		struct diagnostic *d = diag_error(c->sink, expr->span,
			"param '%s' is %s but its %s is %s", param->name, a_type(param->type),
			role, a_type(value.type));
		if (param->type == TYPE_DURATION && value.type == TYPE_INT)
			hint_add_unit(d, expr, "give it a unit");
		return unknown_result;
	}
	if (!value.constant)		/* an overflow, already reported */
		return unknown_result;
	if (value.type == TYPE_DURATION && value.value < 0) {
		char text[IR_VALUE_TEXT_MAX];
		diag_error(c->sink, expr->span, "the %s of param '%s' is %s, but durations cannot "
			   "be negative", role, param->name, ir_format_value(value.type, value.value, text));
		return unknown_result;
	}
	return value;
}

static void check_param(struct checker *c, struct param_decl *param)
{
	static const char *const type_names[] = { "int", "duration", "bool" };
	static const enum type types[] = { TYPE_INT, TYPE_DURATION, TYPE_BOOL };
	char context[160];
	snprintf(context, sizeof(context), "the default of param '%s'", param->name);
	c->constant_context = context;
	struct checked value = check_expr(c, param->value);

	enum type declared = TYPE_UNKNOWN;
	if (param->type_name) {
		int found = find_in(type_names, 3, param->type_name);
		if (found >= 0) {
			declared = types[found];
		} else {
			struct diagnostic *d = diag_error(c->sink, param->type_span,
							  "unknown type '%s'", param->type_name);
			const char *suggestion = suggest_name(param->type_name, type_names, 3);
			if (suggestion)
				diag_hint(d, "did you mean '%s'?", suggestion);
			else
				diag_hint(d, "param types are int, duration and bool");
		}
	}

	if (value.type == TYPE_STRING) {
		diag_error(c->sink, param->value->span, "a param cannot be a string");
		value = unknown_result;
	}
	if (declared != TYPE_UNKNOWN && value.type != TYPE_UNKNOWN && declared != value.type) {
		char text[IR_VALUE_TEXT_MAX];
		const char *shown = value.constant ? ir_format_value(value.type, value.value, text) :
			"value";
		struct diagnostic *d;
		if (declared == TYPE_DURATION && value.type == TYPE_INT) {
			d = diag_error(c->sink, param->value->span,
				       "param '%s' is a duration but its default %s has no unit",
				       param->name, shown);
			if (value.constant)
				diag_hint(d, "write %" PRId64 "ms", value.value);
			else
				diag_hint(d, "give it a unit, e.g. multiply it by 1ms");
		} else {
			d = diag_error(c->sink, param->value->span,
				       "param '%s' is declared %s but its default %s is %s",
				       param->name, type_name(declared), shown, a_type(value.type));
		}
		diag_note(d, param->type_span, "declared %s here", type_name(declared));
		value = unknown_result;
	}
	param->type = declared != TYPE_UNKNOWN ? declared : value.type;
	if (param->type == TYPE_UNKNOWN)
		goto done;
	if (value.type != TYPE_UNKNOWN) {
		param->value->type = value.type;
		if (value.type == TYPE_DURATION && value.constant && value.value < 0) {
			char text[IR_VALUE_TEXT_MAX];
			diag_error(c->sink, param->value->span, "the default of param '%s' is %s, but "
				   "durations cannot be negative", param->name,
				   ir_format_value(value.type, value.value, text));
			value = unknown_result;
		}
	}
	if (!param->low)
		goto done;

	struct span range = span_join(param->low->span, param->high->span);
	if (param->type == TYPE_BOOL) {
		struct diagnostic *d = diag_error(c->sink, range, "bool param '%s' cannot have a range",
						  param->name);
		diag_hint(d, "a bool is always false or true");
		goto done;
	}
	snprintf(context, sizeof(context), "the range of param '%s'", param->name);
	struct checked low = check_param_constant(c, param, param->low, "lower bound");
	struct checked high = check_param_constant(c, param, param->high, "upper bound");
	if (!low.constant || !high.constant)
		goto done;
	char low_text[IR_VALUE_TEXT_MAX], high_text[IR_VALUE_TEXT_MAX], text[IR_VALUE_TEXT_MAX];
	ir_format_value(param->type, low.value, low_text);
	ir_format_value(param->type, high.value, high_text);
	if (low.value > high.value) {
		struct diagnostic *d = diag_error(c->sink, range,
			"the range of param '%s' is empty: %s is above %s", param->name, low_text,
			high_text);
		diag_hint(d, "write the lower bound first: %s .. %s", high_text, low_text);
	} else if (value.constant && (value.value < low.value || value.value > high.value)) {
		struct diagnostic *d = diag_error(c->sink, param->value->span,
			"the default %s of param '%s' is outside its range %s .. %s",
			ir_format_value(param->type, value.value, text), param->name, low_text,
			high_text);
		diag_note(d, range, "the range is given here");
	}
done:
	c->constant_context = NULL;
}

static void check_queue(struct checker *c, struct queue_decl *queue)
{
	char kinds[256];
	if (queue_kind_of(queue->kind) >= 0)
		return;
	struct diagnostic *d = diag_error(c->sink, queue->kind_span, "unknown queue kind '%s'",
					  queue->kind);
	const char *suggestion = suggest_name(queue->kind, queue_kind_names, SCXC_NR_QUEUE_KINDS);
	if (suggestion)
		diag_hint(d, "did you mean '%s'?", suggestion);
	else
		diag_hint(d, "queue kinds are %s", join_words(kinds, sizeof(kinds), queue_kind_meanings,
							     SCXC_NR_QUEUE_KINDS, "and", ""));
}

static void check_setting_queue(struct checker *c, struct setting *setting)
{
	struct expr *value = setting->value;
	if (value->kind != EXPR_NAME) {
		struct diagnostic *d = diag_error(c->sink, value->span, "expected a queue name");
		diag_hint(d, "e.g. queue = %s;", c->queue_count ? c->queues[0]->name : "main");
		return;
	}
	const struct symbol *symbol = find_symbol(c, value->name.name);
	if (symbol && symbol->kind == SYMBOL_QUEUE) {
		value->ref = REF_QUEUE;
		value->ref_index = symbol->index;
		value->type = TYPE_QUEUE;
		return;
	}
	struct diagnostic *d;
	if (symbol) {
		d = diag_error(c->sink, value->span, "'%s' is a %s, not a queue", value->name.name,
			       symbol_kind_names[symbol->kind]);
		diag_note(d, symbol->span, "'%s' is defined here", value->name.name);
		return;
	}
	d = diag_error(c->sink, value->span, "unknown queue '%s'", value->name.name);
	const char *suggestion = suggest_name(value->name.name, c->queue_names, c->queue_count);
	if (suggestion)
		diag_hint(d, "did you mean '%s'?", suggestion);
	else if (c->queue_count == 0)
		diag_hint(d, "declare it, e.g. queue %s: fifo;", value->name.name);
}

static void check_setting_slice(struct checker *c, struct setting *setting)
{
	struct checked slice = check_expr(c, setting->value);
	char text[IR_VALUE_TEXT_MAX];
	if (slice.type == TYPE_UNKNOWN)
		return;
	if (slice.type != TYPE_DURATION) {
		struct diagnostic *d = diag_error(c->sink, setting->value->span,
						  "slice must be a duration, but this is %s",
						  a_type(slice.type));
		if (slice.type == TYPE_INT)
			hint_add_unit(d, setting->value, "give it a unit");
		return;
	}
	if (slice.constant && (slice.value < SCXC_SLICE_MIN_NS || slice.value > SCXC_SLICE_MAX_NS)) {
		struct diagnostic *d = diag_error(c->sink, setting->value->span,
			"a slice of %s is out of range", ir_format_value(TYPE_DURATION, slice.value, text));
		diag_hint(d, "slices go from 1us to 1s");
	}
}

static void check_setting_weight(struct checker *c, struct setting *setting)
{
	struct checked weight = check_expr(c, setting->value);
	if (weight.type == TYPE_UNKNOWN)
		return;
	if (weight.type != TYPE_INT) {
		struct diagnostic *d = diag_error(c->sink, setting->value->span,
						  "weight must be an int, but this is %s",
						  a_type(weight.type));
		if (weight.type == TYPE_DURATION)
			diag_hint(d, "divide a duration by a duration to get an int, e.g. slice / 1ms");
		return;
	}
	if (weight.constant && (weight.value < SCXC_WEIGHT_MIN || weight.value > SCXC_WEIGHT_MAX)) {
		struct diagnostic *d = diag_error(c->sink, setting->value->span,
						  "a weight of %" PRId64 " is out of range", weight.value);
		diag_hint(d, "weights go from %d to %d; a nice-0 task has 100", SCXC_WEIGHT_MIN, SCXC_WEIGHT_MAX);
	}
}

static void check_class(struct checker *c, struct class_decl *class_, int ordinal)
{
	static const char *const keys[] = { "queue", "slice", "weight" };
	if (class_->when) {
		struct checked when = check_expr(c, class_->when);
		c->always_matches[ordinal] = when.type == TYPE_BOOL && when.constant && when.value;
		if (when.type == TYPE_BOOL && when.constant && !when.value) {
			diag_report(c->sink, DIAG_WARNING, class_->when->span,
				    "the condition of class '%s' is always false, so it never matches",
				    class_->name);
		} else if (when.type == TYPE_STRING) {
			report_string_misuse(c, class_->when);
		} else if (when.type != TYPE_BOOL && when.type != TYPE_UNKNOWN) {
			struct diagnostic *d = diag_error(c->sink, class_->when->span,
				"the condition of class '%s' must be a bool, but this is %s",
				class_->name, a_type(when.type));
			if (is_number(when.type))
				diag_hint(d, "compare it, e.g. nice > 0");
		}
	}

	const struct setting *seen[3] = { NULL, NULL, NULL };
	for (int i = 0; i < class_->setting_count; i++) {
		struct setting *setting = &class_->settings[i];
		int key = find_in(keys, 3, setting->key);
		if (key < 0) {
			struct diagnostic *d = diag_error(c->sink, setting->key_span,
							  "unknown class setting '%s'", setting->key);
			const char *suggestion = suggest_name(setting->key, keys, 3);
			if (suggestion)
				diag_hint(d, "did you mean '%s'?", suggestion);
			else
				diag_hint(d, "a class sets queue, slice and weight");
			continue;
		}
		if (seen[key]) {
			struct diagnostic *d = diag_error(c->sink, setting->span,
				"class '%s' sets %s twice", class_->name, setting->key);
			diag_note(d, seen[key]->span, "first set here");
			continue;
		}
		seen[key] = setting;
		if (!setting->value) {
			struct diagnostic *d = diag_error(c->sink, setting->span,
							  "'%s' needs a value", setting->key);
			diag_hint(d, "%s", key == 0 ? "e.g. queue = main;" :
				  key == 1 ? "e.g. slice = 5ms;" : "e.g. weight = task.weight * 2;");
			continue;
		}
		if (key == 0)
			check_setting_queue(c, setting);
		else if (key == 1)
			check_setting_slice(c, setting);
		else
			check_setting_weight(c, setting);
	}

	if (!seen[0] && c->queue_count > 1) {
		struct diagnostic *d = diag_error(c->sink, class_->name_span,
			"class '%s' does not say which queue its tasks go to", class_->name);
		diag_hint(d, "the policy has %d queues; add e.g. `queue = %s;`", c->queue_count,
			  c->queues[0]->name);
	}
}

/* The catch-all class (no `when`) is required and must be the last class; nothing may follow
 * it, nor a class whose condition is always true. */
static void check_class_order(struct checker *c, const struct decl *policy)
{
	const struct class_decl *taker = NULL, *last = NULL;
	bool has_catch_all = false;
	for (int i = 0, ordinal = 0; i < c->ast->count; i++) {
		const struct decl *decl = c->ast->decls[i];
		if (decl->kind != DECL_CLASS)
			continue;
		const struct class_decl *class_ = &decl->class_;
		has_catch_all = has_catch_all || !class_->when;
		last = class_;
		if (taker) {
			struct diagnostic *d = diag_error(c->sink, class_->name_span,
							  "class '%s' can never match", class_->name);
			diag_note(d, taker->name_span, taker->when ?
				  "the condition of class '%s' before it is always true" :
				  "class '%s' before it has no `when`, so it takes every task",
				  taker->name);
			continue;
		}
		if (!class_->when || c->always_matches[ordinal])
			taker = class_;
		ordinal++;
	}
	if (has_catch_all)
		return;
	struct span where = last ? last->name_span : policy ? policy->policy.name_span :
		(struct span){ c->ast->file, 0, 0 };
	struct diagnostic *d = last ?
		diag_error(c->sink, where, "no class matches every task: the last class '%s' has a "
			   "`when`", last->name) :
		diag_error(c->sink, where, "the policy has no class");
	diag_hint(d, "end with a catch-all class without `when`, e.g. class rest { queue = %s; }",
		  c->queue_count ? c->queues[c->queue_count - 1]->name : "main");
}

/* The text of a CPU step as written, for messages and for matching cpu_step_names. */
static void cpu_step_text(const struct expr *step, char *out, size_t size)
{
	if (step->kind == EXPR_NAME)
		snprintf(out, size, "%s", step->name.name);
	else if (step->kind == EXPR_CALL && step->call.args->count == 1 &&
		 step->call.args->items[0]->kind == EXPR_NAME)
		snprintf(out, size, "%s(%s)", step->call.name, step->call.args->items[0]->name.name);
	else if (step->kind == EXPR_CALL)
		snprintf(out, size, "%s(...)", step->call.name);
	else
		snprintf(out, size, "?");
}

static void check_cpu(struct checker *c, struct expr_list *steps)
{
	enum { step_count = SCXC_NR_CPU_STEP_KINDS };
	const struct expr *seen[step_count] = { NULL };
	char names[256];
	const struct expr *final = NULL;
	for (int i = 0; i < steps->count; i++) {
		struct expr *step = steps->items[i];
		char text[128];
		cpu_step_text(step, text, sizeof(text));
		int kind = find_in(cpu_step_names, step_count, text);
		if (kind < 0) {
			struct diagnostic *d = diag_error(c->sink, step->span,
							  "unknown CPU selection step '%s'", text);
			const char *suggestion = suggest_name(text, cpu_step_names, step_count);
			if (suggestion)
				diag_hint(d, "did you mean '%s'?", suggestion);
			else
				diag_hint(d, "the steps are %s",
					  join_words(names, sizeof(names), cpu_step_names,
						     step_count, "and", ""));
			continue;
		}
		step->ref_index = kind;
		if (seen[kind]) {
			struct diagnostic *d = diag_error(c->sink, step->span,
							  "CPU step '%s' appears twice", text);
			diag_note(d, seen[kind]->span, "first here");
			continue;
		}
		seen[kind] = step;
		if (final) {
			struct diagnostic *d = diag_error(c->sink, step->span,
							  "CPU step '%s' can never be reached", text);
			diag_note(d, final->span, "'prev' always yields a CPU");
			continue;
		}
		switch ((enum scxc_cpu_step)kind) {
		case SCXC_CPU_PREV:
			final = step;
			break;
		case SCXC_CPU_IDLE_PREV: case SCXC_CPU_IDLE_ANY:
			break;
		}
	}
}

static void check_dispatch(struct checker *c, const struct decl *dispatch)
{
	const struct expr **placed = checked(calloc((size_t)c->queue_count + 1,
							 sizeof(*placed)));
	for (int t = 0; t < dispatch->dispatch.count; t++) {
		struct expr_list *queues = dispatch->dispatch.tiers[t].queues;
		for (int q = 0; q < queues->count; q++) {
			struct expr *item = queues->items[q];
			if (item->kind != EXPR_NAME) {
				diag_error(c->sink, item->span, "expected a queue name");
				continue;
			}
			const struct symbol *symbol = find_symbol(c, item->name.name);
			if (!symbol || symbol->kind != SYMBOL_QUEUE) {
				struct diagnostic *d = diag_error(c->sink, item->span,
					symbol ? "'%s' is not a queue" : "unknown queue '%s'",
					item->name.name);
				const char *suggestion = suggest_name(item->name.name, c->queue_names,
								      c->queue_count);
				if (suggestion)
					diag_hint(d, "did you mean '%s'?", suggestion);
				continue;
			}
			item->ref = REF_QUEUE;
			item->ref_index = symbol->index;
			item->type = TYPE_QUEUE;
			if (placed[symbol->index]) {
				struct diagnostic *d = diag_error(c->sink, item->span,
					"queue '%s' is dispatched twice", item->name.name);
				diag_note(d, placed[symbol->index]->span, "first here");
				continue;
			}
			placed[symbol->index] = item;
		}
	}
	for (int i = 0; i < c->queue_count; i++) {
		if (placed[i])
			continue;
		struct diagnostic *d = diag_error(c->sink, dispatch->span,
			"queue '%s' is never dispatched: its tasks would never run", c->queues[i]->name);
		diag_note(d, c->queues[i]->name_span, "'%s' is declared here", c->queues[i]->name);
		diag_hint(d, "add it to the plan, e.g. `then %s`", c->queues[i]->name);
	}
	free(placed);
}

/* Reports each kind of declaration with more than its limit, at the first one too many;
 * true when all are within their limits (then checking the rest makes sense). */
static bool check_counts(const struct ast *ast, struct diag_sink *sink)
{
	static const struct { enum decl_kind kind; const char *name; int limit; } limits[] = {
		{ DECL_PARAM, "params", SCXC_MAX_PARAMS },
		{ DECL_QUEUE, "queues", SCXC_MAX_QUEUES },
		{ DECL_CLASS, "classes", SCXC_MAX_CLASSES },
	};
	bool ok = true;
	for (size_t k = 0; k < sizeof(limits) / sizeof(limits[0]); k++) {
		int count = 0;
		for (int i = 0; i < ast->count; i++) {
			if (ast->decls[i]->kind != limits[k].kind || ++count <= limits[k].limit)
				continue;
			diag_error(sink, ast->decls[i]->span, "too many %s: a policy has at most %d",
				   limits[k].name, limits[k].limit);
			ok = false;
			break;
		}
	}
	return ok;
}

bool sema_check(struct ast *ast, struct diag_sink *sink)
{
	struct checker c = { .ast = ast, .sink = sink };
	int errors_before = sink->error_count;
	if (!check_counts(ast, sink))
		return false;
	check_policy(&c);
	collect_symbols(&c);

	const struct decl *policy = NULL, *cpu = NULL, *dispatch = NULL;
	for (int i = 0; i < ast->count; i++) {
		struct decl *decl = ast->decls[i];
		switch (decl->kind) {
		case DECL_POLICY:
			policy = policy ? policy : decl;
			break;
		case DECL_PARAM:
			check_param(&c, &decl->param);
			break;
		case DECL_QUEUE:
			check_queue(&c, &decl->queue);
			break;
		case DECL_CPU:
		case DECL_DISPATCH: {
			const struct decl **first = decl->kind == DECL_CPU ? &cpu : &dispatch;
			if (*first) {
				struct diagnostic *d = diag_error(sink, decl->span, "a second `%s:` line",
					decl->kind == DECL_CPU ? "cpu" : "dispatch");
				diag_note(d, (*first)->span, "the first is here");
				break;
			}
			*first = decl;
			break;
		}
		case DECL_IMPORT: case DECL_CLASS:
			break;
		}
	}
	/* Classes after every param, so a class may use a param declared below it. */
	c.always_matches = checked(calloc((size_t)ast->count + 1, sizeof(bool)));
	for (int i = 0, ordinal = 0; i < ast->count; i++)
		if (ast->decls[i]->kind == DECL_CLASS)
			check_class(&c, &ast->decls[i]->class_, ordinal++);
	if (c.queue_count == 0 && policy) {
		struct diagnostic *d = diag_error(sink, policy->policy.name_span,
						  "policy '%s' has no queue", policy->policy.name);
		diag_hint(d, "declare one, e.g. queue main: fifo;");
	}
	check_class_order(&c, policy);
	if (cpu)
		check_cpu(&c, cpu->cpu);
	if (dispatch)
		check_dispatch(&c, dispatch);

	free(c.always_matches);
	free(c.symbols);
	free(c.params);
	free(c.queues);
	free((void *)c.queue_names);
	return sink->error_count == errors_before && !sink->limit_reached;
}
