/*
 * emit.c — IR → BPF C: the policy half of a sched_ext scheduler.
 *
 * Takes the lowered policy tables (struct ir_policy) and the source map; writes one C file
 * that defines the policy's sizes, includes the fixed runtime (scxc/runtime.bpf.h), defines
 * the params, the queue and class tables, the dispatch and CPU plans, the self-description and
 * the three policy hooks (scxc_classify, scxc_class_slice, scxc_class_weight), and then
 * includes the sched_ext callbacks (scxc/ops.bpf.h).  docs/object-format.md is the contract.
 *
 * The output is meant to be read: it follows the style of the kernel's tools/sched_ext, and
 * every table entry and hook line carries a comment with the policy line it came from, quoting
 * the policy's own text.  It is deterministic: file names appear without directories, and
 * nothing depends on the time, the environment or addresses.
 *
 * The hooks come last, under `#line` directives that name the policy line of each line of code,
 * so that clang's BTF line info (which the verifier quotes when it refuses a program) points
 * into the .sched file; scxrun picks that out of the verifier's log.  BTF takes the file name
 * from the function a line belongs to, so each hook's definition opens under a `#line` too,
 * a condition or value written in an imported module becomes a small function of its own
 * opened under the module's name, and nothing after the hooks but the runtime's own header
 * needs the C file's numbering.
 *
 * Expressions become plain C over the runtime's accessors, evaluated in signed 64 bits
 * (duration params are u64 in the params struct, so they are read through an (s64) cast);
 * division and remainder go through scxc_div/scxc_mod, which give 0 for a zero divisor,
 * the same semantics ir_eval folds constants with.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "checked.h"
#include "stages.h"

/* Lines longer than this are wrapped at `||`/`&&` operands (tabs count 8). */
#define LINE_WIDTH 100
/* A comm holds at most this many characters. */
#define COMM_MAX 15

struct emitter {
	const struct ir_policy *policy;
	const struct source_map *sources;
	FILE *out;
	uint32_t function_file;		/* the source file of the hook being written */
};

/* ---- Small text helpers ------------------------------------------------------------------ */

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

/* A growable string, for pieces whose length decides the layout. */
struct text {
	char *data;
	size_t length, capacity;
};

static void text_add(struct text *t, const char *s, size_t n)
{
	if (t->length + n + 1 > t->capacity) {
		t->capacity = (t->length + n + 1) * 2;
		t->data = checked(realloc(t->data, t->capacity));
	}
	memcpy(t->data + t->length, s, n);
	t->length += n;
	t->data[t->length] = '\0';
}

static void text_puts(struct text *t, const char *s)
{
	text_add(t, s, strlen(s));
}

static __attribute__((format(printf, 2, 3))) void text_printf(struct text *t, const char *format,
								 ...)
{
	va_list args;
	char *s;
	int n;

	va_start(args, format);
	n = vsnprintf(NULL, 0, format, args);
	va_end(args);
	s = checked(malloc((size_t)n + 1));
	va_start(args, format);
	vsnprintf(s, (size_t)n + 1, format, args);
	va_end(args);
	text_add(t, s, (size_t)n);
	free(s);
}

/* Takes the string out of T (the caller frees it); an empty text gives "". */
static char *text_take(struct text *t)
{
	char *s = t->data ? t->data : copy_text("", 0);

	t->data = NULL;
	t->length = t->capacity = 0;
	return s;
}

/* Appends S as the body of a C string literal. */
static void text_c_string(struct text *t, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			text_printf(t, "\\%c", c);
		else if (c == '\n')
			text_puts(t, "\\n");
		else if (c == '\t')
			text_puts(t, "\\t");
		else if (c < 0x20 || c >= 0x7f)
			text_printf(t, "\\%03o", c);
		else
			text_add(t, (const char *)&c, 1);
	}
}

/* Display width of S starting at column COLUMN (tabs advance to the next multiple of 8). */
static size_t end_column(const char *s, size_t column)
{
	for (; *s; s++)
		column = *s == '\t' ? (column / 8 + 1) * 8 : column + 1;
	return column;
}

/* ---- Source references ------------------------------------------------------------------ */

/* The id of the policy's own file (not an imported module's). */
static uint32_t policy_file(const struct emitter *e)
{
	int i;

	for (i = 0; i < e->sources->count; i++)
		if (!strcmp(e->sources->files[i].path, e->policy->source_path))
			return (uint32_t)i;
	return 0;
}

/* Whether SPAN was written in an imported module. */
static bool from_module(const struct emitter *e, struct span span)
{
	return (int)span.file < e->sources->count && span.file != policy_file(e);
}

/* Writes `#line N "FILE"` for the line SPAN starts on: the next line of C counts as that line of
 * the policy.  FILE has no directory, like every file name here; clang puts the policy's text
 * into BTF when it finds FILE in its debug compilation directory, and leaves it empty if not.
 * Writes nothing for a span outside the file of the hook being written: BTF would name the
 * hook's file with the other file's line number. */
static void emit_line_mark(const struct emitter *e, struct span span)
{
	struct text name = { 0 };
	int line, column;
	char *quoted;

	if ((int)span.file >= e->sources->count || span.file != e->function_file)
		return;
	source_position(e->sources, span.file, span.begin, &line, &column);
	text_c_string(&name, base_name(e->sources->files[span.file].path));
	quoted = text_take(&name);
	fprintf(e->out, "#line %d \"%s\"\n", line, quoted);
	free(quoted);
}

static bool span_is_empty(struct span span)
{
	return span.end <= span.begin;
}

/* "fair.sched:14" for the line SPAN starts on. */
static void text_location(struct text *t, const struct emitter *e, struct span span)
{
	const struct source_file *file;
	int line, column;

	if ((int)span.file >= e->sources->count) {
		text_puts(t, base_name(e->policy->source_path));
		return;
	}
	file = &e->sources->files[span.file];
	source_position(e->sources, span.file, span.begin, &line, &column);
	text_printf(t, "%s:%d", base_name(file->path), line);
}

/* The policy text SPAN covers, on one line: runs of white space become one space. */
static void text_quote(struct text *t, const struct emitter *e, struct span span)
{
	const struct source_file *file;
	bool space = false;
	uint32_t i;

	if ((int)span.file >= e->sources->count)
		return;
	file = &e->sources->files[span.file];
	for (i = span.begin; i < span.end && i < file->length; i++) {
		char c = file->text[i];

		if (isspace((unsigned char)c)) {
			space = true;
			continue;
		}
		if (space)
			text_puts(t, " ");
		space = false;
		text_add(t, &c, 1);
	}
}

/* Writes COMMENT as a comment and ends the line.  Quoted policy text can hold comment
 * delimiters (a glob such as kworker slash star): such a comment is written with //. */
static void write_comment(const struct emitter *e, const char *comment)
{
	if (strstr(comment, "*/") || strstr(comment, "/*"))
		fprintf(e->out, "// %s\n", comment);
	else
		fprintf(e->out, "/* %s */\n", comment);
}

/* Writes COMMENT as a comment on its own line, indented by INDENT. */
static void emit_comment_line(const struct emitter *e, const char *indent, const char *comment)
{
	fputs(indent, e->out);
	write_comment(e, comment);
}

/* ---- Names ------------------------------------------------------------------------------ */

/* Words a param cannot be called in C: keywords, and the runtime's type and value names. */
static bool reserved_in_c(const char *name)
{
	static const char *const words[] = {
		"auto", "bool", "break", "case", "char", "const", "continue", "default", "do",
		"double", "else", "enum", "extern", "false", "float", "for", "goto", "if", "inline",
		"int", "long", "register", "restrict", "return", "s16", "s32", "s64", "s8", "short",
		"signed", "sizeof", "static", "struct", "switch", "true", "typedef", "u16", "u32",
		"u64", "u8", "union", "unsigned", "void", "volatile", "while", "NULL",
	};
	size_t i;

	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (!strcmp(name, words[i]))
			return true;
	return name[0] == '_';
}

/* The member of struct scxc_params that holds PARAM: its name, with `_` added if C reserves it. */
static void text_param_member(struct text *t, const struct ir_param *param)
{
	text_puts(t, param->name);
	if (reserved_in_c(param->name))
		text_puts(t, "_");
}

static const char *type_word(enum type type)
{
	return type == TYPE_DURATION ? "duration" : type == TYPE_BOOL ? "bool" : "int";
}

/* ---- Expressions ------------------------------------------------------------------------ */

/* C precedence levels, loosest first. */
enum prec {
	PREC_NONE, PREC_OR, PREC_AND, PREC_EQUALITY, PREC_RELATION, PREC_ADD, PREC_MUL,
	PREC_UNARY, PREC_PRIMARY,
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
	default: return (struct binary_form){ NULL, PREC_PRIMARY };
	}
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
		return PREC_UNARY;	/* (s64)scxc_params.x */
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
	case IR_TASK_FIELD:
		text_printf(t, "scxc_task_%s(p)", task_field_names[x->index]);
		return;
	case IR_NR_CPUS:
		text_puts(t, "scxc_nr_cpus()");
		return;
	case IR_QUEUED:
		text_printf(t, "scxc_queued(QUEUE_%s)", policy->queues[x->index].name);
		return;
	case IR_COMM_EQ:
		text_puts(t, "scxc_comm_eq(p, \"");
		text_c_string(t, x->text);
		text_puts(t, "\")");
		return;
	case IR_COMM_GLOB:
		switch (simplify_glob(x->text, &glob)) {
		case GLOB_NEVER:
			text_puts(t, "false");	/* more characters than a comm holds */
			break;
		case GLOB_EXACT:
			text_puts(t, "scxc_comm_eq(p, \"");
			text_c_string(t, glob.data ? glob.data : "");
			text_puts(t, "\")");
			break;
		case GLOB_MATCH:
			text_puts(t, "scxc_comm_glob(p, \"");
			text_c_string(t, glob.data ? glob.data : "");
			text_puts(t, "\")");
			break;
		}
		free(glob.data);
		return;
	case IR_NEG:
		text_puts(t, "-");
		text_operand(t, e, x->args[0], PREC_UNARY);
		return;
	case IR_NOT:
		text_puts(t, "!");
		text_operand(t, e, x->args[0], PREC_UNARY);
		return;
	case IR_DIV:
		text_call(t, e, "scxc_div", x, 2);
		return;
	case IR_MOD:
		text_call(t, e, "scxc_mod", x, 2);
		return;
	case IR_MIN:
		text_call(t, e, "scxc_min", x, 2);
		return;
	case IR_MAX:
		text_call(t, e, "scxc_max", x, 2);
		return;
	case IR_CLAMP:
		text_call(t, e, "scxc_clamp", x, 3);
		return;
	default:
		break;
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

/* ---- The file --------------------------------------------------------------------------- */

static void emit_header(const struct emitter *e)
{
	const struct ir_policy *policy = e->policy;
	const char *source = base_name(policy->source_path);

	fprintf(e->out,
		"/* SPDX-License-Identifier: GPL-2.0-only */\n"
		"/*\n"
		" * %s — a sched_ext scheduler generated by scxc from %s.\n"
		" *\n"
		" * Do not edit: change %s and run `scxc %s --emit=c` again.  This file holds\n"
		" * the policy (params, queues, classes, dispatch and CPU plans); the sched_ext callbacks\n"
		" * that use it are the fixed runtime's, in scxc/ops.bpf.h.\n"
		" */\n"
		"#define SCXC_POLICY_NAME \"%s\"\n"
		"#define SCXC_NR_QUEUES %d\n"
		"#define SCXC_NR_CLASSES %d\n"
		"#define SCXC_NR_CPU_STEPS %d\n"
		"\n"
		"#include <scxc/runtime.bpf.h>\n",
		policy->name, source, source, source, policy->name, policy->queue_count,
		policy->class_count, policy->cpu_step_count);
}

/* Lines of code, each with a trailing comment (or none, if empty); the comments line up. */
struct commented_lines {
	char **code, **comment;
	int count;
};

/* Adds a line; takes CODE and COMMENT (texts the caller built). */
static void lines_add(struct commented_lines *lines, struct text *code, struct text *comment)
{
	lines->code = checked(realloc(lines->code, sizeof(char *) * (size_t)(lines->count + 1)));
	lines->comment = checked(realloc(lines->comment, sizeof(char *) * (size_t)(lines->count + 1)));
	lines->code[lines->count] = text_take(code);
	lines->comment[lines->count] = text_take(comment);
	lines->count++;
}

/* Writes the lines, each comment starting at the first tab stop past the longest code. */
static void lines_flush(const struct emitter *e, struct commented_lines *lines)
{
	size_t column = 0;
	int i;

	for (i = 0; i < lines->count; i++) {
		size_t end = (end_column(lines->code[i], 0) / 8 + 1) * 8;

		column = end > column ? end : column;
	}
	for (i = 0; i < lines->count; i++) {
		size_t at = end_column(lines->code[i], 0);

		fputs(lines->code[i], e->out);
		if (!lines->comment[i][0]) {
			fputc('\n', e->out);
			free(lines->code[i]);
			free(lines->comment[i]);
			continue;
		}
		while (at < column) {
			fputc('\t', e->out);
			at = (at / 8 + 1) * 8;
		}
		write_comment(e, lines->comment[i]);
		free(lines->code[i]);
		free(lines->comment[i]);
	}
	free(lines->code);
	free(lines->comment);
	*lines = (struct commented_lines){ 0 };
}

/* Appends a param's range, leaving out the bounds that are only its type's limits. */
static void text_range(struct text *t, const struct ir_param *param)
{
	char low[IR_VALUE_TEXT_MAX], high[IR_VALUE_TEXT_MAX];
	bool has_low = param->min != (param->type == TYPE_INT ? INT64_MIN : 0);
	bool has_high = param->max != INT64_MAX;

	if (param->type == TYPE_BOOL)
		return;
	ir_format_value(param->type, param->min, low);
	ir_format_value(param->type, param->max, high);
	if (has_low && has_high)
		text_printf(t, ", %s .. %s", low, high);
	else if (has_low)
		text_printf(t, ", at least %s", low);
	else if (has_high)
		text_printf(t, ", at most %s", high);
}

static void emit_params(const struct emitter *e)
{
	const struct ir_policy *policy = e->policy;
	struct commented_lines lines = { 0 };
	char value[IR_VALUE_TEXT_MAX];
	int i;

	if (!policy->param_count)
		return;
	fprintf(e->out, "\n/* Params, set at load time: scxrun %s.bpf.o --set NAME=VALUE */\n"
		"struct scxc_params {\n", policy->name);
	for (i = 0; i < policy->param_count; i++) {
		const struct ir_param *param = &policy->params[i];
		struct text code = { 0 }, comment = { 0 };

		text_printf(&code, "\t%s ", param->type == TYPE_DURATION ? "u64" : "s64");
		text_param_member(&code, param);
		text_puts(&code, ";");
		text_location(&comment, e, param->span);
		text_printf(&comment, ": %s", type_word(param->type));
		text_range(&comment, param);
		lines_add(&lines, &code, &comment);
	}
	lines_flush(e, &lines);
	fputs("};\n\nconst volatile struct scxc_params scxc_params = {\n", e->out);
	for (i = 0; i < policy->param_count; i++) {
		const struct ir_param *param = &policy->params[i];
		struct text code = { 0 }, comment = { 0 };

		text_puts(&code, "\t.");
		text_param_member(&code, param);
		text_printf(&code, " = %" PRId64 ",", param->default_value);
		if (param->type != TYPE_INT)
			text_puts(&comment, ir_format_value(param->type, param->default_value, value));
		lines_add(&lines, &code, &comment);
	}
	lines_flush(e, &lines);
	fputs("};\n", e->out);
}

/* The runtime's names of the contract's constants: SCXC_QUEUE_FIFO, SCXC_CPU_PREV, … */
static const char *const queue_kind_constants[SCXC_NR_QUEUE_KINDS] = {
#define X(name, word, meaning) [SCXC_QUEUE_##name] = "SCXC_QUEUE_" #name,
	SCXC_QUEUE_KIND_LIST(X)
#undef X
};

static const char *const cpu_step_constants[SCXC_NR_CPU_STEP_KINDS] = {
#define X(name, text) [SCXC_CPU_##name] = "SCXC_CPU_" #name,
	SCXC_CPU_STEP_LIST(X)
#undef X
};

static void emit_queues(const struct emitter *e)
{
	const struct ir_policy *policy = e->policy;
	struct commented_lines lines = { 0 };
	int i;

	fputs("\n/* Queues; queue N is the user DSQ with id N. */\nenum {\n", e->out);
	for (i = 0; i < policy->queue_count; i++) {
		const struct ir_queue *queue = &policy->queues[i];
		struct text code = { 0 }, comment = { 0 };

		text_printf(&code, "\tQUEUE_%s,", queue->name);
		text_location(&comment, e, queue->span);
		text_printf(&comment, ": queue %s: %s", queue->name, queue_kind_names[queue->kind]);
		lines_add(&lines, &code, &comment);
	}
	lines_flush(e, &lines);
	fputs("};\n\nstatic const u8 scxc_queue_kind[SCXC_NR_QUEUES] = {\n", e->out);
	for (i = 0; i < policy->queue_count; i++)
		fprintf(e->out, "\t[QUEUE_%s] = %s,\n", policy->queues[i].name,
			queue_kind_constants[policy->queues[i].kind]);
	fputs("};\n", e->out);
}

static void emit_classes(const struct emitter *e)
{
	const struct ir_policy *policy = e->policy;
	struct commented_lines lines = { 0 };
	int i;

	fputs("\n/* Classes, tried in this order; the first whose condition holds wins. */\n"
	      "enum {\n", e->out);
	for (i = 0; i < policy->class_count; i++) {
		const struct ir_class *class_ = &policy->classes[i];
		struct text code = { 0 }, comment = { 0 };

		text_printf(&code, "\tCLASS_%s,", class_->name);
		text_location(&comment, e, class_->span);
		text_printf(&comment, ": class %s%s", class_->name,
			    class_->when ? "" : " (catch-all)");
		lines_add(&lines, &code, &comment);
	}
	lines_flush(e, &lines);
	fputs("};\n\nstatic const u32 scxc_class_queue[SCXC_NR_CLASSES] = {\n", e->out);
	for (i = 0; i < policy->class_count; i++)
		fprintf(e->out, "\t[CLASS_%s] = QUEUE_%s,\n", policy->classes[i].name,
			policy->queues[policy->classes[i].queue].name);
	fputs("};\n", e->out);
}

static void emit_plans(const struct emitter *e)
{
	const struct ir_policy *policy = e->policy;
	struct commented_lines lines = { 0 };
	int i, j;

	fputs("\n/* Dispatch: the queues in strict priority, highest first. */\n"
	      "static const u32 scxc_dispatch_order[SCXC_NR_QUEUES] = {\n", e->out);
	for (i = 0; i < policy->tier_count; i++) {
		const struct ir_tier *tier = &policy->tiers[i];

		for (j = 0; j < tier->queue_count; j++)
			fprintf(e->out, "\tQUEUE_%s,\n", policy->queues[tier->queues[j]].name);
	}
	fputs("};\n\n/* CPU selection: the first step that finds a CPU wins. */\n"
	      "static const u8 scxc_cpu_steps[SCXC_NR_CPU_STEPS] = {\n", e->out);
	for (i = 0; i < policy->cpu_step_count; i++) {
		struct text code = { 0 }, comment = { 0 };

		text_printf(&code, "\t%s,", cpu_step_constants[policy->cpu_steps[i]]);
		text_puts(&comment, cpu_step_names[policy->cpu_steps[i]]);
		lines_add(&lines, &code, &comment);
	}
	lines_flush(e, &lines);
	fputs("};\n", e->out);
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

/* Ends the line, marks the next as line FROM of the policy, and indents it to COLUMN: tabs,
 * then spaces. */
static void continue_at(const struct emitter *e, struct span from, size_t column)
{
	size_t at;

	fputc('\n', e->out);
	emit_line_mark(e, from);
	for (at = 0; at + 8 <= column; at += 8)
		fputc('\t', e->out);
	for (; at < column; at++)
		fputc(' ', e->out);
}

/* Writes `return VALUE;` on a line indented by TABS tabs, of which the caller has written all
 * but the last.  A line too long whose VALUE is one call is broken after the commas between
 * the call's arguments, each continuation lined up under the first argument and marked as
 * line FROM of the policy. */
static void emit_return(const struct emitter *e, int tabs, const char *value, struct span from)
{
	size_t start = (size_t)tabs * 8 + strlen("return "), align, column, i, piece;
	const char *open = strchr(value, '('), *space = strchr(value, ' ');
	bool quoted = false;
	int depth = 0;

	fputs("\treturn ", e->out);
	if (end_column(value, start) + 1 <= LINE_WIDTH || !open || (space && space < open) ||
	    value[strlen(value) - 1] != ')') {
		fprintf(e->out, "%s;\n", value);
		return;
	}
	align = start + (size_t)(open - value) + 1;
	column = start;
	piece = 0;
	for (i = 0; value[i]; i++) {
		char c = value[i];

		if (c == '"' && i > 0 && value[i - 1] != '\\')
			quoted = !quoted;
		if (quoted)
			continue;
		depth += c == '(' ? 1 : c == ')' ? -1 : 0;
		if (depth != 1 || c != ',')
			continue;
		if (piece && column + (i + 1 - piece) > LINE_WIDTH) {
			continue_at(e, from, align);
			column = align;
			piece += value[piece] == ' ';
		}
		fwrite(value + piece, 1, i + 1 - piece, e->out);
		column += i + 1 - piece;
		piece = i + 1;
	}
	if (column + strlen(value + piece) + 1 > LINE_WIDTH) {
		continue_at(e, from, align);
		piece += value[piece] == ' ';
	}
	fprintf(e->out, "%s;\n", value + piece);
}

/* One hook that picks a value by class: SETTING is "slice" or "weight". */
static void emit_by_class(const struct emitter *e, const char *setting, bool slice)
{
	const struct ir_policy *policy = e->policy;
	int i;

	for (i = 0; i < policy->class_count; i++) {
		const struct ir_class *class_ = &policy->classes[i];
		const struct ir_expr *value = slice ? class_->slice : class_->weight;
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
			text_printf(&comment, "%s: the task's own weight", class_->name);
		}
		if (value && from_module(e, value->span))
			text_printf(&code, "scxc_%s_%s(p)", setting, class_->name);
		else if (value)
			text_expr(&code, e, value, PREC_NONE);
		else
			text_puts(&code, "scxc_task_weight(p)");
		c = text_take(&comment);
		s = text_take(&code);
		emit_comment_line(e, "\t", c);
		at = hook_line(e, value && !span_is_empty(value->span) ? value->span : class_->span);
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

		if (class_->when && i + 1 < policy->class_count && from_module(e, class_->when->span))
			emit_module_function(e, class_, "when", class_->when);
		if (from_module(e, class_->slice->span))
			emit_module_function(e, class_, "slice", class_->slice);
		if (class_->weight && from_module(e, class_->weight->span))
			emit_module_function(e, class_, "weight", class_->weight);
	}
}

static void emit_hooks(const struct emitter *e)
{
	const struct ir_policy *policy = e->policy;
	bool own_weights = true, default_slices = true;
	char written[IR_VALUE_TEXT_MAX];
	int i;

	for (i = 0; i < policy->class_count; i++) {
		own_weights = own_weights && !policy->classes[i].weight;
		default_slices = default_slices && span_is_empty(policy->classes[i].slice->span);
	}

	fputs("\n/*\n"
	      " * The hooks.  Each `#line` names the policy line the next line of C comes from, so the\n"
	      " * verifier's log (and scxrun, when the kernel refuses the program) quotes the policy.\n"
	      " */\n", e->out);
	emit_module_functions(e);
	emit_classify(e);
	fputs("\n/* How long a task of class CLS runs before the next one's turn, in ns. */\n", e->out);
	emit_line_mark(e, hooks_span(e));
	fputs("static __always_inline s64 scxc_class_slice(struct task_struct *p, s32 cls)\n{\n",
	      e->out);
	if (default_slices) {
		fprintf(e->out, "\t/* Every class: slice = %s (the default). */\n",
			ir_format_value(TYPE_DURATION, policy->classes[0].slice->value, written));
		emit_line_mark(e, hooks_span(e));
		fprintf(e->out, "\treturn %" PRId64 ";\n", policy->classes[0].slice->value);
	} else {
		emit_by_class(e, "slice", true);
	}
	fputs("}\n\n/* The weight a task of class CLS shares CPU time by (nice 0: 100). */\n", e->out);
	emit_line_mark(e, hooks_span(e));
	fputs("static __always_inline s64 scxc_class_weight(struct task_struct *p, s32 cls)\n{\n",
	      e->out);
	if (own_weights) {
		fputs("\t/* Every class: the task's own weight. */\n", e->out);
		emit_line_mark(e, hooks_span(e));
		fputs("\treturn scxc_task_weight(p);\n", e->out);
	} else {
		emit_by_class(e, "weight", false);
	}
	fputs("}\n", e->out);
}

/* The self-description (docs/object-format.md), one record per string-literal line; the stats
 * are named in the order of contract.h's layout. */
static void emit_description(const struct emitter *e)
{
	static const char *const class_stat_words[] = {
#define X(name, word) word,
		SCXC_CLASS_STAT_LIST(X)
	};
	static const char *const queue_stat_words[] = { SCXC_QUEUE_STAT_LIST(X) };
	static const char *const policy_stat_words[] = { SCXC_POLICY_STAT_LIST(X) };
#undef X
	const struct ir_policy *policy = e->policy;
	int i, k;

	fputs("\n/* What scxrun reads to set params and print stats by name. */\n"
	      "SCXC_DESCRIPTION(\n", e->out);
	fprintf(e->out, "\t\"scxc %d\\n\"\n", SCXC_DESCRIPTION_VERSION);
	fprintf(e->out, "\t\"policy %s\\n\"\n", policy->name);
	fprintf(e->out, "\t\"source %s\\n\"\n", base_name(policy->source_path));
	for (i = 0; i < policy->param_count; i++) {
		const struct ir_param *param = &policy->params[i];

		fprintf(e->out, "\t\"param %s %s %" PRId64 " %" PRId64 " %" PRId64 "\\n\"\n",
			param->name, type_word(param->type), param->default_value, param->min,
			param->max);
	}
	for (i = 0; i < policy->queue_count; i++)
		fprintf(e->out, "\t\"queue %s %s\\n\"\n", policy->queues[i].name,
			queue_kind_names[policy->queues[i].kind]);
	for (i = 0; i < policy->class_count; i++)
		fprintf(e->out, "\t\"class %s %s\\n\"\n", policy->classes[i].name,
			policy->queues[policy->classes[i].queue].name);
	for (i = 0; i < policy->class_count; i++)
		for (k = 0; k < SCXC_NR_CLASS_STATS; k++)
			fprintf(e->out, "\t\"stat class.%s.%s\\n\"\n", policy->classes[i].name,
				class_stat_words[k]);
	for (i = 0; i < policy->queue_count; i++)
		for (k = 0; k < SCXC_NR_QUEUE_STATS; k++)
			fprintf(e->out, "\t\"stat queue.%s.%s\\n\"\n", policy->queues[i].name,
				queue_stat_words[k]);
	for (k = 0; k < SCXC_NR_POLICY_STATS; k++)
		fprintf(e->out, "\t\"stat %s\\n\"\n", policy_stat_words[k]);
	fputs(");\n", e->out);
}

void emit_c(const struct ir_policy *policy, const struct source_map *sources, FILE *out)
{
	struct emitter e = { .policy = policy, .sources = sources, .out = out };

	e.function_file = policy_file(&e);
	emit_header(&e);
	emit_params(&e);
	emit_queues(&e);
	emit_classes(&e);
	emit_plans(&e);
	emit_description(&e);
	emit_hooks(&e);
	fputs("\n#include <scxc/ops.bpf.h>\n", out);
}
