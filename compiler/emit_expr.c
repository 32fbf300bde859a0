/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * emit_expr.c — the policy's expressions in C, and the three policy hooks made of them.
 *
 * Takes the lowered classes (struct ir_policy) and the source map; writes scxc_classify,
 * scxc_class_slice and scxc_class_weight, and before them a small function for each condition
 * or value written in an imported module.
 *
 * The hooks come last in the file, under `#line` directives that name the policy line of each
 * line of code, so that clang's BTF line info (which the verifier quotes when it refuses a
 * program) points into the .sched file; scxrun picks that out of the verifier's log.  BTF takes
 * the file name from the function a line belongs to, so each hook's definition opens under a
 * `#line` too, a condition or value written in an imported module becomes a small function of
 * its own opened under the module's name, and nothing after the hooks but the runtime's own
 * header needs the C file's numbering.
 *
 * Expressions become plain C over the runtime's accessors, evaluated in signed 64 bits
 * (duration params are u64 in the params struct, so they are read through an (s64) cast);
 * division and remainder go through scxc_div/scxc_mod, which give 0 for a zero divisor,
 * the same semantics ir_eval gives the constants sema folds.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "emit.h"

/* A comm holds at most this many characters. */
#define COMM_MAX 15

/* ---- Expressions ------------------------------------------------------------------------ */

/* C precedence levels, loosest first. */
enum prec {
	PREC_NONE,
	PREC_OR,
	PREC_AND,
	PREC_EQUALITY,
	PREC_RELATION,
	PREC_ADD,
	PREC_MUL,
	PREC_UNARY,
	PREC_PRIMARY,
};

struct binary_form {
	const char *symbol;
	enum prec prec;
};

static struct binary_form binary_form(enum ir_op op)
{
	switch (op) {
	case IR_ADD: return (struct binary_form){ "+", PREC_ADD };
	case IR_SUB: return (struct binary_form){ "-", PREC_ADD };
	case IR_MUL: return (struct binary_form){ "*", PREC_MUL };
	case IR_EQ: return (struct binary_form){ "==", PREC_EQUALITY };
	case IR_NE: return (struct binary_form){ "!=", PREC_EQUALITY };
	case IR_LT: return (struct binary_form){ "<", PREC_RELATION };
	case IR_LE: return (struct binary_form){ "<=", PREC_RELATION };
	case IR_GT: return (struct binary_form){ ">", PREC_RELATION };
	case IR_GE: return (struct binary_form){ ">=", PREC_RELATION };
	case IR_AND: return (struct binary_form){ "&&", PREC_AND };
	case IR_OR: return (struct binary_form){ "||", PREC_OR };
	case IR_CONST:
	case IR_PARAM:
	case IR_TASK_FIELD:
	case IR_NR_CPUS:
	case IR_QUEUED:
	case IR_COMM_EQ:
	case IR_COMM_GLOB:
	case IR_CGROUP_EQ:
	case IR_CGROUP_GLOB:
	case IR_NEG:
	case IR_NOT:
	case IR_DIV:
	case IR_MOD:
	case IR_MIN:
	case IR_MAX:
	case IR_CLAMP: break;
	}
	return (struct binary_form){ NULL, PREC_PRIMARY }; /* not an infix operator in C */
}

/* The runtime function that computes OP, a language function (min, max, clamp), from the
 * function table. */
static const char *runtime_call(enum ir_op op)
{
	for (int f = 0; f < FUNCTION_COUNT; f++)
		if (functions[f].op == op)
			return functions[f].runtime_call;
	return NULL;
}

/* How a glob is tested: collapsed stars, or an exact test when it has no wildcard. */
enum glob_form { GLOB_MATCH, GLOB_EXACT, GLOB_NEVER };

static enum glob_form simplify_glob(const char *pattern, struct text *simplified)
{
	int literal = 0;
	bool wildcard = false;

	for (; *pattern; pattern++) {
		if (*pattern == '*' && simplified->length &&
		    simplified->data[simplified->length - 1] == '*')
			continue;
		if (*pattern == '*' || *pattern == '?')
			wildcard = true;
		if (*pattern != '*')
			literal++;
		text_add(simplified, pattern, 1);
	}
	if (literal > COMM_MAX)
		return GLOB_NEVER;
	return wildcard ? GLOB_MATCH : GLOB_EXACT;
}

static enum prec expr_prec(const struct ir_expr *x)
{
	if (x->op == IR_CONST)
		return x->value < 0 ? PREC_UNARY : PREC_PRIMARY;
	if (x->op == IR_NEG || x->op == IR_NOT)
		return PREC_UNARY;
	if (x->op == IR_PARAM && x->type == TYPE_DURATION)
		return PREC_UNARY; /* (s64)scxc_params.x */
	return binary_form(x->op).symbol ? binary_form(x->op).prec : PREC_PRIMARY;
}

static void text_expr(struct text *t, const struct emitter *e, const struct ir_expr *x,
		      enum prec context);

/* The precedence an operand of a binary operator at level PREC needs. */
static enum prec operand_context(enum prec prec, const struct ir_expr *operand, bool right)
{
	if (prec == PREC_OR && operand->op == IR_AND)
		return PREC_AND + 1;
	if (prec == PREC_EQUALITY || prec == PREC_RELATION)
		return PREC_ADD;
	return right ? prec + 1 : prec;
}

/* Writes X as an operand: parenthesised when it binds looser than CONTEXT requires, or
 * when it starts with a minus right after an arithmetic operator (a - (-b), a * (-b)). */
static void text_operand(struct text *t, const struct emitter *e, const struct ir_expr *x,
			 enum prec context)
{
	struct text inner = { 0 };
	char *s;

	text_expr(&inner, e, x, context);
	s = text_take(&inner);
	if (expr_prec(x) < context || (context >= PREC_MUL && s[0] == '-'))
		text_printf(t, "(%s)", s);
	else
		text_puts(t, s);
	free(s);
}

static void text_call(struct text *t, const struct emitter *e, const char *function,
		      const struct ir_expr *x, int arity)
{
	int i;

	text_printf(t, "%s(", function);
	for (i = 0; i < arity; i++) {
		if (i)
			text_puts(t, ", ");
		text_operand(t, e, x->args[i], PREC_NONE);
	}
	text_puts(t, ")");
}

/* Writes X in C.  CONTEXT is the precedence the surrounding operator needs (PREC_NONE at
 * the top); it matters only for the extra clarity parentheses added here. */
static void text_expr(struct text *t, const struct emitter *e, const struct ir_expr *x,
		      enum prec context)
{
	const struct ir_policy *policy = e->policy;
	struct binary_form form;
	struct text glob = { 0 };
	/* A comm test's task: P, or its parent (scxc/members.bpf.h) */
	const char *whose = x->index == FIELD_PARENT_COMM ? "scxc_task_parent(p)" : "p";

	switch (x->op) {
	case IR_CONST:
		if (x->type == TYPE_BOOL)
			text_puts(t, x->value ? "true" : "false");
		else if (x->value == INT64_MIN)
			text_puts(t, "(-9223372036854775807 - 1)");
		else
			text_printf(t, "%" PRId64, x->value);
		return;
	case IR_PARAM:
		if (x->type == TYPE_DURATION && context != PREC_NONE)
			text_puts(t, "(s64)");
		text_puts(t, "scxc_params.");
		text_param_member(t, &policy->params[x->index]);
		return;
	case IR_TASK_FIELD: text_printf(t, "scxc_task_%s(p)", task_field_names[x->index]); return;
	case IR_NR_CPUS: text_puts(t, "scxc_nr_cpus()"); return;
	case IR_QUEUED:
		text_printf(t, "%s(QUEUE_%s)", runtime_call(IR_QUEUED),
			    policy->queues[x->index].name);
		return;
	case IR_COMM_EQ:
		text_printf(t, "scxc_comm_eq(%s, \"", whose);
		text_c_string(t, x->text);
		text_puts(t, "\")");
		return;
	case IR_COMM_GLOB:
		switch (simplify_glob(x->text, &glob)) {
		case GLOB_NEVER:
			text_puts(t, "false"); /* more characters than a comm holds */
			break;
		case GLOB_EXACT:
			text_printf(t, "scxc_comm_eq(%s, \"", whose);
			text_c_string(t, glob.data ? glob.data : "");
			text_puts(t, "\")");
			break;
		case GLOB_MATCH:
			text_printf(t, "scxc_comm_glob(%s, \"", whose);
			text_c_string(t, glob.data ? glob.data : "");
			text_puts(t, "\")");
			break;
		}
		free(glob.data);
		return;
	case IR_CGROUP_EQ:
	case IR_CGROUP_GLOB:
		text_printf(t, "scxc_cgroup_test(p, %d)", cgroup_test_index(policy, x));
		return;
	case IR_NEG:
		text_puts(t, "-");
		text_operand(t, e, x->args[0], PREC_UNARY);
		return;
	case IR_NOT:
		text_puts(t, "!");
		text_operand(t, e, x->args[0], PREC_UNARY);
		return;
	case IR_DIV: text_call(t, e, "scxc_div", x, 2); return;
	case IR_MOD: text_call(t, e, "scxc_mod", x, 2); return;
	case IR_MIN:
	case IR_MAX:
	case IR_CLAMP: text_call(t, e, runtime_call(x->op), x, ir_op_arity[x->op]); return;
	case IR_ADD:
	case IR_SUB:
	case IR_MUL:
	case IR_EQ:
	case IR_NE:
	case IR_LT:
	case IR_LE:
	case IR_GT:
	case IR_GE:
	case IR_AND:
	case IR_OR: break;
	}

	/* Binary operators, left-associative, with parentheses where a reader would want them
	 * even if C does not: && inside ||, and comparisons inside comparisons. */
	form = binary_form(x->op);
	text_operand(t, e, x->args[0], operand_context(form.prec, x->args[0], false));
	text_printf(t, " %s ", form.symbol);
	text_operand(t, e, x->args[1], operand_context(form.prec, x->args[1], true));
}

/* The operands of a chain of OP (a || b || c), left to right. */
static void collect_chain(const struct ir_expr *x, enum ir_op op, const struct ir_expr **items,
			  int *count, int capacity)
{
	if (x->op == op && *count < capacity - 1) {
		collect_chain(x->args[0], op, items, count, capacity);
		collect_chain(x->args[1], op, items, count, capacity);
	} else {
		items[(*count)++] = x;
	}
}

/* Writes `\tif (COND)\n`, wrapping a long || or && chain after an operator. */
#define MAX_CHAIN 256
static void emit_if(const struct emitter *e, const struct ir_expr *cond)
{
	const struct ir_expr *items[MAX_CHAIN];
	enum ir_op op = cond->op == IR_AND ? IR_AND : IR_OR;
	int count = 0, i;
	size_t column;

	if (cond->op != IR_AND && cond->op != IR_OR) {
		struct text t = { 0 };
		char *s;

		text_expr(&t, e, cond, PREC_NONE);
		s = text_take(&t);
		fprintf(e->out, "\tif (%s)\n", s);
		free(s);
		return;
	}
	collect_chain(cond, op, items, &count, MAX_CHAIN);
	fputs("\tif (", e->out);
	column = 12;
	for (i = 0; i < count; i++) {
		struct text t = { 0 };
		char *s;

		text_operand(&t, e, items[i], PREC_AND + 1);
		if (i + 1 < count)
			text_puts(&t, op == IR_OR ? " ||" : " &&");
		s = text_take(&t);
		if (i > 0) {
			if (end_column(s, column + 1) > LINE_WIDTH) {
				fputc('\n', e->out);
				emit_line_mark(e, items[i]->span);
				fputs("\t    ", e->out);
				column = 12;
			} else {
				fputs(" ", e->out);
				column++;
			}
		}
		fputs(s, e->out);
		column = end_column(s, column);
		free(s);
	}
	fputs(")\n", e->out);
}

/* ---- The hooks -------------------------------------------------------------------------- */

/* Whether SPAN covers no text: the value is a default lowering supplied, not one written. */
static bool span_is_empty(struct span span)
{
	return span.end <= span.begin;
}

/* A span on the first line of the policy's own file: where the hooks' definitions open, and
 * what the hooks' lines that come from no one policy line are marked with. */
static struct span hooks_span(const struct emitter *e)
{
	return (struct span){ .file = policy_file(e) };
}

/* The line a hook's line of C is marked with: SPAN's, if it lies in the policy's own file. */
static struct span hook_line(const struct emitter *e, struct span span)
{
	return from_module(e, span) ? hooks_span(e) : span;
}

static void emit_classify(const struct emitter *e)
{
	const struct ir_policy *policy = e->policy;
	int i;

	fputs("\n/* The class of task P: the first whose condition holds. */\n", e->out);
	emit_line_mark(e, hooks_span(e));
	fputs("static __always_inline s32 scxc_classify(struct task_struct *p)\n{\n", e->out);
	for (i = 0; i < policy->class_count; i++) {
		const struct ir_class *class_ = &policy->classes[i];
		struct span at = hook_line(e, class_->when ? class_->when->span : class_->span);
		struct text comment = { 0 };
		char *c;

		text_location(&comment, e, class_->span);
		text_printf(&comment, ": class %s", class_->name);
		if (class_->when) {
			text_puts(&comment, " when ");
			text_quote(&comment, e, class_->when->span);
		}
		c = text_take(&comment);
		emit_comment_line(e, "\t", c);
		free(c);
		emit_line_mark(e, at);
		if (class_->when && i + 1 < policy->class_count) {
			if (from_module(e, class_->when->span))
				fprintf(e->out, "\tif (scxc_when_%s(p))\n", class_->name);
			else
				emit_if(e, class_->when);
			emit_line_mark(e, at);
			fprintf(e->out, "\t\treturn CLASS_%s;\n", class_->name);
		} else {
			fprintf(e->out, "\treturn CLASS_%s;\n", class_->name);
			break;
		}
	}
	fputs("}\n", e->out);
}

/* The settings a hook picks by class: what it is called, and what a class that does not set it
 * gets (its C and a comment that says what it means). */
struct by_class {
	const char *setting; /* "slice", "weight", "deadline", "period" */
	const char *absent_code;
	const char *absent_meaning;
};

static const struct by_class by_class_weight = { "weight", "scxc_task_weight(p)",
						 "the task's own weight" };
static const struct by_class by_class_slice = { "slice", NULL, NULL }; /* never absent */
static const struct by_class by_class_deadline = { "deadline", "0", "no deadline" };
static const struct by_class by_class_period = { "period", "0", "no period" };

static const struct ir_expr *class_value(const struct ir_class *class_, const struct by_class *hook)
{
	if (hook == &by_class_slice)
		return class_->slice;
	if (hook == &by_class_weight)
		return class_->weight;
	return hook == &by_class_deadline ? class_->deadline : class_->period;
}

/* One hook that picks a value by class. */
static void emit_by_class(const struct emitter *e, const struct by_class *hook)
{
	const struct ir_policy *policy = e->policy;
	const char *setting = hook->setting;
	int i;

	for (i = 0; i < policy->class_count; i++) {
		const struct ir_class *class_ = &policy->classes[i];
		const struct ir_expr *value = class_value(class_, hook);
		bool last = i + 1 == policy->class_count;
		struct text comment = { 0 }, code = { 0 };
		struct span at;
		char *c, *s;

		if (value && !span_is_empty(value->span)) {
			text_location(&comment, e, value->span);
			text_printf(&comment, ": %s: %s = ", class_->name, setting);
			text_quote(&comment, e, value->span);
		} else if (value) {
			char written[IR_VALUE_TEXT_MAX];

			text_location(&comment, e, class_->span);
			text_printf(&comment, ": %s: %s = %s (the default)", class_->name, setting,
				    ir_format_value(value->type, value->value, written));
		} else {
			text_printf(&comment, "%s: %s", class_->name, hook->absent_meaning);
		}
		if (value && from_module(e, value->span))
			text_printf(&code, "scxc_%s_%s(p)", setting, class_->name);
		else if (value)
			text_expr(&code, e, value, PREC_NONE);
		else
			text_puts(&code, hook->absent_code);
		c = text_take(&comment);
		s = text_take(&code);
		emit_comment_line(e, "\t", c);
		at = hook_line(e,
			       value && !span_is_empty(value->span) ? value->span : class_->span);
		if (!last) {
			emit_line_mark(e, at);
			fprintf(e->out, "\tif (cls == CLASS_%s)\n", class_->name);
		}
		emit_line_mark(e, at);
		if (!last)
			fputc('\t', e->out);
		emit_return(e, last ? 1 : 2, s, at);
		free(c);
		free(s);
	}
}

/* A condition or value written in an imported module, as a function opened under the module's
 * name: `scxc_when_CLASS`, `scxc_slice_CLASS`, `scxc_weight_CLASS`. */
static void emit_module_function(const struct emitter *e, const struct ir_class *class_,
				 const char *what, const struct ir_expr *x)
{
	struct emitter in_module = *e;
	struct text comment = { 0 }, code = { 0 };
	bool condition = !strcmp(what, "when");
	char *c, *s;

	in_module.function_file = x->span.file;
	text_location(&comment, e, x->span);
	text_printf(&comment, ": class %s %s%s", class_->name, what, condition ? " " : " = ");
	text_quote(&comment, e, x->span);
	c = text_take(&comment);
	fputc('\n', e->out);
	emit_comment_line(e, "", c);
	emit_line_mark(&in_module, x->span);
	fprintf(e->out, "static __always_inline %s scxc_%s_%s(struct task_struct *p)\n{\n",
		condition ? "bool" : "s64", what, class_->name);
	text_expr(&code, e, x, PREC_NONE);
	s = text_take(&code);
	emit_line_mark(&in_module, x->span);
	emit_return(&in_module, 1, s, x->span);
	fputs("}\n", e->out);
	free(c);
	free(s);
}

static void emit_module_functions(const struct emitter *e)
{
	const struct ir_policy *policy = e->policy;
	int i;

	for (i = 0; i < policy->class_count; i++) {
		const struct ir_class *class_ = &policy->classes[i];

		if (class_->when && i + 1 < policy->class_count &&
		    from_module(e, class_->when->span))
			emit_module_function(e, class_, "when", class_->when);
		if (from_module(e, class_->slice->span))
			emit_module_function(e, class_, "slice", class_->slice);
		if (class_->weight && from_module(e, class_->weight->span))
			emit_module_function(e, class_, "weight", class_->weight);
		if (class_->deadline && from_module(e, class_->deadline->span))
			emit_module_function(e, class_, "deadline", class_->deadline);
		if (class_->period && from_module(e, class_->period->span))
			emit_module_function(e, class_, "period", class_->period);
	}
}

/* The body of a hook whose setting a class may leave out: one line when no class sets it. */
static void emit_optional_hook(const struct emitter *e, const struct by_class *hook, bool none_set)
{
	if (!none_set) {
		emit_by_class(e, hook);
		return;
	}
	fprintf(e->out, "\t/* Every class: %s. */\n", hook->absent_meaning);
	emit_line_mark(e, hooks_span(e));
	fprintf(e->out, "\treturn %s;\n", hook->absent_code);
}

void emit_hooks(const struct emitter *e)
{
	const struct ir_policy *policy = e->policy;
	bool own_weights = true, default_slices = true, no_deadlines = true, no_periods = true;
	char written[IR_VALUE_TEXT_MAX];
	int i;

	for (i = 0; i < policy->class_count; i++) {
		own_weights = own_weights && !policy->classes[i].weight;
		default_slices = default_slices && span_is_empty(policy->classes[i].slice->span);
		no_deadlines = no_deadlines && !policy->classes[i].deadline;
		no_periods = no_periods && !policy->classes[i].period;
	}

	fputs("\n/*\n"
	      " * The hooks.  Each `#line` names the policy line the next line of C comes from, so the\n"
	      " * verifier's log (and scxrun, when the kernel refuses the program) quotes the policy.\n"
	      " */\n",
	      e->out);
	emit_module_functions(e);
	emit_classify(e);
	fputs("\n/* How long a task of class CLS runs before the next one's turn, in ns. */\n",
	      e->out);
	emit_line_mark(e, hooks_span(e));
	fputs("static __always_inline s64 scxc_class_slice(struct task_struct *p, s32 cls)\n{\n",
	      e->out);
	if (default_slices) {
		fprintf(e->out, "\t/* Every class: slice = %s (the default). */\n",
			ir_format_value(TYPE_DURATION, policy->classes[0].slice->value, written));
		emit_line_mark(e, hooks_span(e));
		fprintf(e->out, "\treturn %" PRId64 ";\n", policy->classes[0].slice->value);
	} else {
		emit_by_class(e, &by_class_slice);
	}
	fputs("}\n\n/* The weight a task of class CLS shares CPU time by (nice 0: 100). */\n",
	      e->out);
	emit_line_mark(e, hooks_span(e));
	fputs("static __always_inline s64 scxc_class_weight(struct task_struct *p, s32 cls)\n{\n",
	      e->out);
	emit_optional_hook(e, &by_class_weight, own_weights);
	fputs("}\n\n/* The relative deadline of a task of class CLS, from its wake-up, in ns; 0: none. */\n",
	      e->out);
	emit_line_mark(e, hooks_span(e));
	fputs("static __always_inline s64 scxc_class_deadline(struct task_struct *p, s32 cls)\n{\n",
	      e->out);
	emit_optional_hook(e, &by_class_deadline, no_deadlines);
	fputs("}\n\n/* The period of a task of class CLS: its jobs are released at least this far apart, in\n"
	      " * ns; 0: none. */\n",
	      e->out);
	emit_line_mark(e, hooks_span(e));
	fputs("static __always_inline s64 scxc_class_period(struct task_struct *p, s32 cls)\n{\n",
	      e->out);
	emit_optional_hook(e, &by_class_period, no_periods);
	fputs("}\n", e->out);
}
