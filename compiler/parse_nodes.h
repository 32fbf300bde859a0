/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * parse_nodes.h — the node builders of the grammar's actions (parse_nodes.c), for parser.y.
 *
 * The types of their arguments (struct parser, struct number, struct name, struct range) are
 * the grammar's own, from the generated parser.h.
 */
#ifndef SCXC_PARSE_NODES_H
#define SCXC_PARSE_NODES_H

#include "parser.h"

struct expr *literal_int(struct number number, struct span span);
struct expr *cpuset_literal(struct expr_list *items, struct span span);
struct expr *name_expr(char *name, struct span span);
struct expr *unary(enum unary_op op, struct expr *operand, struct span span);
struct expr *binary(enum binary_op op, struct expr *left, struct expr *right, struct span span);
struct expr *limit_depth(struct parser *parser, struct expr *expr);
struct expr *range_test(struct expr *subject, struct expr *low, struct expr *high,
			struct span span);
struct expr *chained_comparison(struct parser *parser, struct expr *comparison, struct expr *rest,
				struct span span);
struct decl *policy_decl(char *name, struct span name_span, struct settings settings,
			 struct span span);
struct decl *import_decl(char *name, struct span name_span, struct span span);
struct decl *param_decl(char *name, struct span name_span, struct name type, struct expr *value,
			struct range range, struct span span);
struct decl *queue_decl(char *name, struct span name_span, char *kind, struct span kind_span,
			struct settings settings, struct span span);
struct dispatch_tier single_tier(char *queue, struct span span);
void add_share(struct expr_list *shares, char *queue, struct span queue_span, struct number share,
	       struct span share_span);
struct dispatch_tier share_group(struct expr_list *pairs, struct span span);

#endif
