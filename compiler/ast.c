/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ast.c — building, freeing and printing the syntax tree.
 *
 * Takes the pieces the parser recognises and makes heap nodes of compiler/ast.h; holds the
 * tables of ast.h's vocabulary (type names, param types, class settings); frees whole
 * trees (also the partial ones error recovery leaves behind); and prints a tree as stable,
 * indented text with each node's line:column, for `scxc --emit=ast` and the tests:
 *
 *   class interactive @21:1
 *     when: or @21:26
 *       in @21:26
 *         name comm @21:26
 *         string "Xorg" @21:35
 */
#include "ast.h"
#include "checked.h"

#include <stdlib.h>
#include <string.h>

/* Makes room for one more item in a growing array of ITEM_SIZE-byte items. */
static void *grow(void *items, int count, int *capacity, size_t item_size)
{
	if (count < *capacity)
		return items;
	*capacity = *capacity ? *capacity * 2 : 4;
	return checked(realloc(items, (size_t)*capacity * item_size));
}

const char *type_name(enum type type)
{
	static const char *const names[] = {
#define X(kind, name, with_article) [kind] = name,
		TYPE_LIST(X)
#undef X
	};
	return names[type];
}

const char *a_type(enum type type)
{
	static const char *const names[] = {
#define X(kind, name, with_article) [kind] = with_article,
		TYPE_LIST(X)
#undef X
	};
	return names[type];
}

const struct param_type param_types[PARAM_TYPE_COUNT] = {
#define X(type, min, max) { type, min, max },
	PARAM_TYPE_LIST(X)
#undef X
};

/* Each settings table as arrays indexed by its enum, and the struct that names them. */
#define SETTING_TABLE(table, owner_word, LIST, COUNT) \
	static const char *const table##_keys[COUNT] = { LIST(SETTING_KEY) }; \
	static const enum type table##_types[COUNT] = { LIST(SETTING_TYPE) }; \
	static const bool table##_constant[COUNT] = { LIST(SETTING_CONSTANT) }; \
	static const char *const table##_examples[COUNT] = { LIST(SETTING_EXAMPLE) }; \
	const struct setting_table table = { owner_word,       COUNT, \
					     table##_keys,     table##_types, \
					     table##_constant, table##_examples }
#define SETTING_KEY(setting, key, type, constant, example) [setting] = key,
#define SETTING_TYPE(setting, key, type, constant, example) [setting] = type,
#define SETTING_CONSTANT(setting, key, type, constant, example) [setting] = constant,
#define SETTING_EXAMPLE(setting, key, type, constant, example) [setting] = example,
SETTING_TABLE(class_settings, "class", CLASS_SETTING_LIST, CLASS_SETTING_COUNT);
SETTING_TABLE(queue_settings, "queue", QUEUE_SETTING_LIST, QUEUE_SETTING_COUNT);
SETTING_TABLE(policy_settings, "policy", POLICY_SETTING_LIST, POLICY_SETTING_COUNT);

const char *binary_op_text(enum binary_op op)
{
	static const char *const texts[] = {
#define X(op, text) [op] = text,
		BINARY_OP_LIST(X)
#undef X
	};
	return texts[op];
}

/* ---- building -------------------------------------------------------------------------- */

struct expr *expr_new(enum expr_kind kind, struct span span)
{
	struct expr *expr = checked(calloc(1, sizeof(*expr)));
	expr->kind = kind;
	expr->span = span;
	expr->type = TYPE_UNKNOWN;
	expr->ref = REF_NONE;
	expr->depth = 1;
	return expr;
}

struct expr_list *expr_list_new(void)
{
	return checked(calloc(1, sizeof(struct expr_list)));
}

void expr_list_push(struct expr_list *list, struct expr *item)
{
	list->items = grow(list->items, list->count, &list->capacity, sizeof(*list->items));
	list->items[list->count++] = item;
}

struct decl *decl_new(enum decl_kind kind, struct span span)
{
	struct decl *decl = checked(calloc(1, sizeof(*decl)));
	decl->kind = kind;
	decl->span = span;
	return decl;
}

void settings_add(struct settings *settings, struct setting setting)
{
	settings->items = grow(settings->items, settings->count, &settings->capacity,
			       sizeof(*settings->items));
	settings->items[settings->count++] = setting;
}

void settings_free(struct settings *settings)
{
	for (int i = 0; i < settings->count; i++) {
		free(settings->items[i].key);
		expr_free(settings->items[i].value);
	}
	free(settings->items);
	*settings = (struct settings){ 0 };
}

void dispatch_add_tier(struct decl *dispatch, struct dispatch_tier tier)
{
	dispatch->dispatch.tiers =
		grow(dispatch->dispatch.tiers, dispatch->dispatch.count,
		     &dispatch->dispatch.capacity, sizeof(*dispatch->dispatch.tiers));
	dispatch->dispatch.tiers[dispatch->dispatch.count++] = tier;
}

void ast_push(struct ast *ast, struct decl *decl)
{
	ast->decls = grow(ast->decls, ast->count, &ast->capacity, sizeof(*ast->decls));
	ast->decls[ast->count++] = decl;
}

/* ---- freeing --------------------------------------------------------------------------- */

void expr_free(struct expr *expr)
{
	if (!expr)
		return;
	switch (expr->kind) {
	case EXPR_INT:
	case EXPR_BOOL: break;
	case EXPR_STRING: free(expr->string.text); break;
	case EXPR_NAME: free(expr->name.name); break;
	case EXPR_FIELD:
		free(expr->field.object);
		free(expr->field.field);
		break;
	case EXPR_CALL:
		free(expr->call.name);
		expr_list_free(expr->call.args);
		break;
	case EXPR_UNARY: expr_free(expr->unary.operand); break;
	case EXPR_BINARY:
		expr_free(expr->binary.left);
		expr_free(expr->binary.right);
		break;
	case EXPR_IN:
		expr_free(expr->in.subject);
		expr_list_free(expr->in.items);
		break;
	case EXPR_MATCH:
		expr_free(expr->match.subject);
		expr_free(expr->match.pattern);
		break;
	case EXPR_CPUSET:
		expr_list_free(expr->cpuset.items);
		free(expr->cpuset.bits);
		break;
	}
	free(expr);
}

void expr_list_free(struct expr_list *list)
{
	if (!list)
		return;
	for (int i = 0; i < list->count; i++)
		expr_free(list->items[i]);
	free(list->items);
	free(list);
}

void decl_free(struct decl *decl)
{
	if (!decl)
		return;
	switch (decl->kind) {
	case DECL_POLICY:
		free(decl->policy.name);
		settings_free(&decl->policy.settings);
		break;
	case DECL_IMPORT: free(decl->import.name); break;
	case DECL_PARAM:
		free(decl->param.name);
		free(decl->param.type_name);
		expr_free(decl->param.value);
		expr_free(decl->param.low);
		expr_free(decl->param.high);
		break;
	case DECL_QUEUE:
		free(decl->queue.name);
		free(decl->queue.kind);
		settings_free(&decl->queue.settings);
		break;
	case DECL_CLASS:
		free(decl->class_.name);
		expr_free(decl->class_.when);
		settings_free(&decl->class_.settings);
		break;
	case DECL_CPU: expr_list_free(decl->cpu); break;
	case DECL_DISPATCH:
		for (int i = 0; i < decl->dispatch.count; i++) {
			expr_list_free(decl->dispatch.tiers[i].queues);
			expr_list_free(decl->dispatch.tiers[i].shares);
		}
		free(decl->dispatch.tiers);
		break;
	}
	free(decl);
}

void ast_free(struct ast *ast)
{
	if (!ast)
		return;
	for (int i = 0; i < ast->count; i++)
		decl_free(ast->decls[i]);
	free(ast->decls);
	free(ast);
}

/* ---- printing -------------------------------------------------------------------------- */

struct printer {
	const struct source_map *sources;
	uint32_t file; /* positions in other files also name the file */
	FILE *out;
};

static void indent(const struct printer *p, int depth)
{
	for (int i = 0; i < depth; i++)
		fputs("  ", p->out);
}

/* " @LINE:COL", or " @PATH:LINE:COL" for a node that came from another (imported) file. */
static void position(const struct printer *p, struct span span)
{
	int line, column;
	source_position(p->sources, span.file, span.begin, &line, &column);
	if (span.file == p->file)
		fprintf(p->out, " @%d:%d\n", line, column);
	else
		fprintf(p->out, " @%s:%d:%d\n", p->sources->files[span.file].path, line, column);
}

static void print_string(const struct printer *p, const char *text, size_t length)
{
	fputc('"', p->out);
	for (size_t i = 0; i < length; i++) {
		unsigned char c = (unsigned char)text[i];
		if (c == '"' || c == '\\')
			fprintf(p->out, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", p->out);
		else if (c == '\t')
			fputs("\\t", p->out);
		else if (c < ' ' || c == 0x7f)
			fprintf(p->out, "\\x%02x", c);
		else
			fputc(c, p->out);
	}
	fputc('"', p->out);
}

/* A duration in the unit it was written in: 5000000 ns written as 5ms prints "5ms". */
static void print_integer(const struct printer *p, const struct expr *expr)
{
	enum unit unit = expr->integer.unit;
	if (unit == UNIT_NONE)
		fprintf(p->out, "int %lld", (long long)expr->integer.value);
	else
		fprintf(p->out, "duration %lld%s",
			(long long)(expr->integer.value / unit_nanoseconds[unit]),
			unit_suffixes[unit]);
}

static void print_expr(const struct printer *p, const struct expr *expr, int depth,
		       const char *label);

static void print_list(const struct printer *p, const struct expr_list *list, int depth)
{
	for (int i = 0; i < list->count; i++)
		print_expr(p, list->items[i], depth, NULL);
}

/* One node per line: "LABEL: WHAT @LINE:COL", children indented below it.  Types appear
 * once sema has set them. */
static void print_expr(const struct printer *p, const struct expr *expr, int depth,
		       const char *label)
{
	indent(p, depth);
	if (label)
		fprintf(p->out, "%s: ", label);
	switch (expr->kind) {
	case EXPR_INT: print_integer(p, expr); break;
	case EXPR_BOOL: fprintf(p->out, "bool %s", expr->boolean ? "true" : "false"); break;
	case EXPR_STRING:
		fputs("string ", p->out);
		print_string(p, expr->string.text, expr->string.length);
		break;
	case EXPR_NAME: fprintf(p->out, "name %s", expr->name.name); break;
	case EXPR_FIELD:
		fprintf(p->out, "field %s.%s", expr->field.object, expr->field.field);
		break;
	case EXPR_CALL: fprintf(p->out, "call %s", expr->call.name); break;
	case EXPR_UNARY: fputs(expr->unary.op == OP_NEG ? "neg" : "not", p->out); break;
	case EXPR_BINARY: fputs(binary_op_text(expr->binary.op), p->out); break;
	case EXPR_IN: fputs(expr->in.range ? "in .." : "in", p->out); break;
	case EXPR_MATCH: fputs("~", p->out); break;
	case EXPR_CPUSET: fputs("cpuset", p->out); break;
	}
	if (expr->type != TYPE_UNKNOWN)
		fprintf(p->out, " : %s", type_name(expr->type));
	position(p, expr->span);

	switch (expr->kind) {
	case EXPR_CALL: print_list(p, expr->call.args, depth + 1); break;
	case EXPR_UNARY: print_expr(p, expr->unary.operand, depth + 1, NULL); break;
	case EXPR_BINARY:
		print_expr(p, expr->binary.left, depth + 1, NULL);
		print_expr(p, expr->binary.right, depth + 1, NULL);
		break;
	case EXPR_IN:
		print_expr(p, expr->in.subject, depth + 1, NULL);
		print_list(p, expr->in.items, depth + 1);
		break;
	case EXPR_MATCH:
		print_expr(p, expr->match.subject, depth + 1, NULL);
		print_expr(p, expr->match.pattern, depth + 1, NULL);
		break;
	case EXPR_CPUSET: print_list(p, expr->cpuset.items, depth + 1); break;
	default: break;
	}
}

static void print_settings(const struct printer *p, const struct settings *settings)
{
	for (int i = 0; i < settings->count; i++) {
		const struct setting *setting = &settings->items[i];
		indent(p, 1);
		fprintf(p->out, "setting %s", setting->key);
		position(p, setting->span);
		if (setting->value)
			print_expr(p, setting->value, 2, NULL);
	}
}

static void print_decl(const struct printer *p, const struct decl *decl)
{
	switch (decl->kind) {
	case DECL_POLICY:
		fprintf(p->out, "policy %s", decl->policy.name);
		position(p, decl->span);
		print_settings(p, &decl->policy.settings);
		break;
	case DECL_IMPORT:
		fprintf(p->out, "import %s", decl->import.name);
		position(p, decl->span);
		break;
	case DECL_PARAM:
		fprintf(p->out, "param %s", decl->param.name);
		if (decl->param.type_name)
			fprintf(p->out, ": %s", decl->param.type_name);
		position(p, decl->span);
		print_expr(p, decl->param.value, 1, "value");
		if (decl->param.low) {
			print_expr(p, decl->param.low, 1, "low");
			print_expr(p, decl->param.high, 1, "high");
		}
		break;
	case DECL_QUEUE:
		fprintf(p->out, "queue %s: %s", decl->queue.name, decl->queue.kind);
		position(p, decl->span);
		print_settings(p, &decl->queue.settings);
		break;
	case DECL_CLASS:
		fprintf(p->out, "class %s", decl->class_.name);
		position(p, decl->span);
		if (decl->class_.when)
			print_expr(p, decl->class_.when, 1, "when");
		print_settings(p, &decl->class_.settings);
		break;
	case DECL_CPU:
		fputs("cpu", p->out);
		position(p, decl->span);
		print_list(p, decl->cpu, 1);
		break;
	case DECL_DISPATCH:
		fputs("dispatch", p->out);
		position(p, decl->span);
		for (int i = 0; i < decl->dispatch.count; i++) {
			indent(p, 1);
			fputs("tier", p->out);
			position(p, decl->dispatch.tiers[i].span);
			print_list(p, decl->dispatch.tiers[i].queues, 2);
			if (decl->dispatch.tiers[i].shares)
				print_list(p, decl->dispatch.tiers[i].shares, 2);
		}
		break;
	}
}

void ast_dump(const struct ast *ast, const struct source_map *sources, FILE *out)
{
	struct printer printer = { sources, ast->file, out };
	for (int i = 0; i < ast->count; i++)
		print_decl(&printer, ast->decls[i]);
}
