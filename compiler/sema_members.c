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

bool is_cgroup_field(const struct expr *expr)
{
	return (expr->kind == EXPR_NAME || expr->kind == EXPR_FIELD) &&
	       expr->ref == REF_TASK_FIELD && expr->ref_index == FIELD_CGROUP;
}

/* The characters of PATTERN as the runtime matches it: a run of '*' is one '*'. */
static size_t cgroup_pattern_length(const char *text, bool glob)
{
	size_t length = 0;
	for (size_t i = 0; text[i]; i++)
		length += !(glob && text[i] == '*' && i > 0 && text[i - 1] == '*');
	return length;
}

bool check_cgroup_string(struct checker *c, const struct expr *string, bool glob)
{
	const char *what = glob ? "pattern" : "path";
	if (string->kind != EXPR_STRING) {
		struct diagnostic *d = diag_error(c->sink, DIAG_COMM_NOT_STRING, string->span,
						  "cgroup can only be compared with a string");
		diag_hint(d, "write the path in quotes, e.g. \"/system.slice\"");
		return false;
	}
	const char *text = string->string.text;
	if (++c->cgroup_tests > SCXC_CGROUP_TESTS_MAX) {
		struct diagnostic *d = diag_error(c->sink, DIAG_TOO_MANY_CGROUP_TESTS, string->span,
						  "more than %d cgroup tests in one policy",
						  SCXC_CGROUP_TESTS_MAX);
		diag_hint(d, "the runtime keeps one bit per test for each task; match several "
			     "cgroups with one glob, e.g. cgroup ~ \"/services/*\"");
		return false;
	}
	if (text[0] != '/' && !(glob && text[0] == '*')) {
		struct diagnostic *d = diag_error(
			c->sink, DIAG_CGROUP_NOT_ABSOLUTE, string->span,
			"a cgroup %s starts with '/', the root of the cgroup2 hierarchy", what);
		diag_hint(d, "write \"/%s\" (as /proc/PID/cgroup shows it after \"0::\")", text);
		return false;
	}
	size_t length = cgroup_pattern_length(text, glob);
	if (length > SCXC_CGROUP_PATTERN_MAX) {
		struct diagnostic *d = diag_error(
			c->sink, DIAG_CGROUP_TOO_LONG, string->span,
			"this cgroup %s is %zu characters long; the runtime matches at most %d",
			what, length, SCXC_CGROUP_PATTERN_MAX);
		diag_hint(d, "match its start instead, e.g. cgroup ~ \"%.*s*\"",
			  SCXC_CGROUP_PATTERN_MAX - 1, text);
		return false;
	}
	const char *double_slash = strstr(text, "//");
	size_t end = strlen(text);
	if (double_slash || (end > 1 && text[end - 1] == '/')) {
		struct diagnostic *d = diag_error(
			c->sink, DIAG_CGROUP_NEVER_MATCHES, string->span,
			double_slash ? "a cgroup path never holds '//', so this never matches"
				     : "a cgroup path never ends with '/', so this never matches");
		diag_hint(d, "every level of a path is one name: \"/a/b\"; its descendants are "
			     "\"/a/b/*\"");
		return false;
	}
	return true;
}
