/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * parse_nodes.c — the syntax-tree nodes the grammar's actions build (parser.y).
 *
 * Takes what a rule matched (names, numbers, spans, subtrees) and makes the AST node for it;
 * the two that check as they build, limit_depth and chained_comparison, report into the
 * parser's sink.  Kept out of parser.y so that the grammar file holds the grammar and its
 * error reporting.
 */
#include <stdlib.h>

#include "parse_nodes.h"

struct expr *literal_int(struct number number, struct span span)
{
	struct expr *expr = expr_new(EXPR_INT, span);
	expr->integer.value = number.value;
	expr->integer.unit = number.unit;
	return expr;
}

struct expr *cpuset_literal(struct expr_list *items, struct span span)
{
	struct expr *expr = expr_new(EXPR_CPUSET, span);
	expr->cpuset.items = items;
	items->span = span;
	return expr;
}

struct expr *name_expr(char *name, struct span span)
{
	struct expr *expr = expr_new(EXPR_NAME, span);
	expr->name.name = name;
	return expr;
}

struct expr *unary(enum unary_op op, struct expr *operand, struct span span)
{
	struct expr *expr = expr_new(EXPR_UNARY, span);
	expr->unary.op = op;
	expr->unary.operand = operand;
	return expr;
}

struct expr *binary(enum binary_op op, struct expr *left, struct expr *right, struct span span)
{
	struct expr *expr = expr_new(EXPR_BINARY, span);
	expr->binary.op = op;
	expr->binary.left = left;
	expr->binary.right = right;
	return expr;
}

static int deepest(int depth, const struct expr_list *list)
{
	for (int i = 0; i < list->count; i++)
		if (list->items[i]->depth > depth)
			depth = list->items[i]->depth;
	return depth;
}

/* Sets EXPR's depth from its operands' (a call of N arguments counts as N - 1 levels more),
 * and limits the items of an `in` list.  A tree deeper than MAX_EXPR_DEPTH is reported once
 * and replaced by a stub deeper than the limit, which keeps the enclosing trees quiet and
 * small: however long the input, no tree grows past the limit. */
struct expr *limit_depth(struct parser *parser, struct expr *expr)
{
	int below = 0, more = 0;
	switch (expr->kind) {
	case EXPR_UNARY: below = expr->unary.operand->depth; break;
	case EXPR_BINARY:
		below = expr->binary.left->depth > expr->binary.right->depth
				? expr->binary.left->depth
				: expr->binary.right->depth;
		break;
	case EXPR_CALL: /* min(a, b, c) becomes min(min(a, b), c) */
		below = deepest(0, expr->call.args);
		more = expr->call.args->count > 1 ? expr->call.args->count - 1 : 0;
		break;
	case EXPR_IN:
		below = deepest(expr->in.subject->depth, expr->in.items);
		if (below <= MAX_EXPR_DEPTH && expr->in.items->count > MAX_IN_ITEMS) {
			diag_error(parser->sink, DIAG_IN_LIST_TOO_LONG, expr->in.items->span,
				   "more than %d items in one 'in' list", MAX_IN_ITEMS);
			below = MAX_EXPR_DEPTH + 1; /* reported: only the stub is left */
		}
		break;
	default: break;
	}
	bool reported = below > MAX_EXPR_DEPTH; /* an operand is a stub already */
	if (!reported && below + more < MAX_EXPR_DEPTH) {
		expr->depth = below + more + 1;
		return expr;
	}
	if (!reported) {
		struct diagnostic *d =
			diag_error(parser->sink, DIAG_TOO_DEEP, expr->span,
				   "expression nested more than %d levels deep", MAX_EXPR_DEPTH);
		diag_hint(d, "each operator, 'not' and call argument after the first adds a level; "
			     "split the expression into params");
	}
	struct expr *stub = expr_new(EXPR_BOOL, expr->span);
	stub->depth = MAX_EXPR_DEPTH + 1;
	expr_free(expr);
	return stub;
}

/* X in LOW .. HIGH: an `in` whose two items are the bounds. */
struct expr *range_test(struct expr *subject, struct expr *low, struct expr *high, struct span span)
{
	struct expr *expr = expr_new(EXPR_IN, span);
	expr->in.subject = subject;
	expr->in.items = expr_list_new();
	expr_list_push(expr->in.items, low);
	expr_list_push(expr->in.items, high);
	expr->in.items->span = span_join(low->span, high->span);
	expr->in.range = true;
	return expr;
}

/* `a < b < c` reads well but means nothing here: report it and keep `a < b`. */
struct expr *chained_comparison(struct parser *parser, struct expr *comparison, struct expr *rest,
				struct span span)
{
	struct diagnostic *d = diag_error(parser->sink, DIAG_CHAINED_COMPARISON, span,
					  "comparisons cannot be chained");
	diag_hint(d, "join two comparisons with 'and': a < b and b < c");
	expr_free(rest);
	return comparison;
}

struct decl *policy_decl(char *name, struct span name_span, struct settings settings,
			 struct span span)
{
	struct decl *decl = decl_new(DECL_POLICY, span);
	decl->policy.name = name;
	decl->policy.settings = settings;
	decl->policy.name_span = name_span;
	return decl;
}

/* The import's own span is its name or quoted path, so sema can tell the two apart. */
struct decl *import_decl(char *name, struct span name_span, struct span span)
{
	struct decl *decl = decl_new(DECL_IMPORT, span);
	decl->import.name = name;
	decl->import.span = name_span;
	return decl;
}

struct decl *param_decl(char *name, struct span name_span, struct name type, struct expr *value,
			struct range range, struct span span)
{
	struct decl *decl = decl_new(DECL_PARAM, span);
	decl->param.name = name;
	decl->param.name_span = name_span;
	decl->param.type_name = type.text;
	decl->param.type_span = type.span;
	decl->param.value = value;
	decl->param.low = range.low;
	decl->param.high = range.high;
	decl->param.span = span;
	return decl;
}

struct decl *queue_decl(char *name, struct span name_span, char *kind, struct span kind_span,
			struct settings settings, struct span span)
{
	struct decl *decl = decl_new(DECL_QUEUE, span);
	decl->queue.settings = settings;
	decl->queue.name = name;
	decl->queue.name_span = name_span;
	decl->queue.kind = kind;
	decl->queue.kind_span = kind_span;
	decl->queue.span = span;
	return decl;
}

struct dispatch_tier single_tier(char *queue, struct span span)
{
	struct dispatch_tier tier = { expr_list_new(), NULL, span };
	expr_list_push(tier.queues, name_expr(queue, span));
	tier.queues->span = span;
	return tier;
}

/* Queue names and shares are gathered into one list while parsing, alternating; a share
 * group splits them (share_group). */
void add_share(struct expr_list *shares, char *queue, struct span queue_span, struct number share,
	       struct span share_span)
{
	expr_list_push(shares, name_expr(queue, queue_span));
	expr_list_push(shares, literal_int(share, share_span));
}

struct dispatch_tier share_group(struct expr_list *pairs, struct span span)
{
	struct dispatch_tier tier = { expr_list_new(), expr_list_new(), span };
	for (int i = 0; i + 1 < pairs->count; i += 2) {
		expr_list_push(tier.queues, pairs->items[i]);
		expr_list_push(tier.shares, pairs->items[i + 1]);
	}
	free(pairs->items);
	free(pairs);
	tier.queues->span = tier.shares->span = span;
	return tier;
}
