/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * sema_members.c — checking the tests of who a task is beyond its comm: ranges
 * (`uid in 1000 .. 1999`) and the names of scheduling policies (`sched_policy == "batch"`).
 *
 * Takes expressions that check_expr() (sema_expr.c) meets and checks them with the same rules
 * as comparisons: a range is `X >= LOW and X <= HIGH`, so its bounds have X's type and fold
 * like it.  A policy name in quotes becomes the kernel's SCHED_* number in the tree itself, so
 * lowering and the emitter only ever see a comparison of ints.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "ir.h"
#include "sema.h"

/* The kernel's scheduling policies (include/uapi/linux/sched.h), as sched_policy names them. */
#define SCHED_POLICY_LIST(X) \
	X("normal", 0) \
	X("fifo", 1) X("rr", 2) X("batch", 3) X("idle", 5) X("deadline", 6) X("ext", 7)
static const char *const policy_names[] = {
#define X(name, number) name,
	SCHED_POLICY_LIST(X)
#undef X
};
static const int64_t policy_numbers[] = {
#define X(name, number) number,
	SCHED_POLICY_LIST(X)
#undef X
};
enum { POLICY_NAME_COUNT = sizeof(policy_names) / sizeof(policy_names[0]) };

static bool is_sched_policy(const struct expr *expr)
{
	return (expr->kind == EXPR_NAME || expr->kind == EXPR_FIELD) &&
	       expr->ref == REF_TASK_FIELD && expr->ref_index == FIELD_SCHED_POLICY;
}

bool check_policy_name(struct checker *c, const struct expr *subject, struct expr *operand,
		       struct checked *checked)
{
	if (!is_sched_policy(subject) || operand->kind != EXPR_STRING)
		return false;
	for (int i = 0; i < POLICY_NAME_COUNT; i++) {
		if (strcmp(operand->string.text, policy_names[i]))
			continue;
		free(operand->string.text);
		operand->kind = EXPR_INT;
		operand->integer.value = policy_numbers[i];
		operand->integer.unit = UNIT_NONE;
		*checked = check_expr(c, operand);
		return true;
	}
	struct diagnostic *d = diag_error(c->sink, DIAG_UNKNOWN_SCHED_POLICY, operand->span,
					  "unknown scheduling policy \"%s\"", operand->string.text);
	diag_hint_name(d, operand->string.text, policy_names, POLICY_NAME_COUNT, "the policies are",
		       NULL);
	*checked = unknown_result;
	return true;
}

struct checked check_range(struct checker *c, struct expr *expr, struct checked subject)
{
	struct expr *bounds[2] = { expr->in.items->items[0], expr->in.items->items[1] };
	struct checked low = check_expr(c, bounds[0]), high = check_expr(c, bounds[1]);
	if (subject.type == TYPE_UNKNOWN || low.type == TYPE_UNKNOWN || high.type == TYPE_UNKNOWN)
		return unknown_result;
	if (!is_number(subject.type)) {
		if (subject.type == TYPE_STRING) {
			report_string_misuse(c, expr->in.subject);
		} else {
			struct diagnostic *d = diag_error(
				c->sink, DIAG_OPERAND_TYPE, expr->in.subject->span,
				"'in LOW .. HIGH' needs a number on its left, but this is %s",
				a_type(subject.type));
			diag_hint(d, "e.g. uid in 1000 .. 1999");
		}
		return unknown_result;
	}
	bool ok = true;
	for (int i = 0; i < 2; i++) {
		enum type type = i ? high.type : low.type;
		if (type == subject.type)
			continue;
		struct diagnostic *d = diag_error(c->sink, DIAG_COMPARE_MISMATCH, bounds[i]->span,
						  "this bound is %s but is matched against %s",
						  a_type(type), a_type(subject.type));
		if (is_number(type))
			diag_hint(d, "both bounds must have the type of the value on the left");
		ok = false;
	}
	if (!ok)
		return unknown_result;
	if (low.constant && high.constant && low.value > high.value) {
		char from[IR_VALUE_TEXT_MAX], to[IR_VALUE_TEXT_MAX];
		struct diagnostic *d =
			diag_error(c->sink, DIAG_EMPTY_RANGE, expr->in.items->span,
				   "the range %s .. %s is empty, so this test is always false",
				   ir_format_value(low.type, low.value, from),
				   ir_format_value(high.type, high.value, to));
		diag_hint(d, "write the lower bound first: %s .. %s", to, from);
		return unknown_result;
	}
	if (subject.constant && low.constant && high.constant)
		return (struct checked){
			TYPE_BOOL, true, low.value <= subject.value && subject.value <= high.value
		};
	return (struct checked){ TYPE_BOOL, false, 0 };
}
