/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * emit_cgroups.c — the tables of a policy's cgroup tests.
 *
 * Takes the IR's IR_CGROUP_EQ and IR_CGROUP_GLOB tests (in the classes' conditions); numbers the
 * distinct ones in the order the classes hold them, and writes for each the automaton that
 * scxc/cgroups.bpf.h runs over a task's cgroup path: one bit per position of the pattern, a mask
 * of the positions each character may take, of the '?' positions (any character) and of the '*'
 * positions (any run).  An exact path is a pattern whose every character is literal; a glob's runs
 * of '*' are one.  A policy without cgroup tests gets nothing, and its scheduler none of the
 * runtime's cgroup code.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "emit.h"

/* Calls VISIT for each cgroup test below EXPR, left to right; stops when it returns true. */
static bool each_test(const struct ir_expr *expr, bool (*visit)(const struct ir_expr *, void *),
		      void *data)
{
	if (!expr)
		return false;
	if (expr->op == IR_CGROUP_EQ || expr->op == IR_CGROUP_GLOB)
		return visit(expr, data);
	for (int i = 0; i < 3; i++)
		if (each_test(expr->args[i], visit, data))
			return true;
	return false;
}

static bool same_test(const struct ir_expr *a, const struct ir_expr *b)
{
	return a->op == b->op && !strcmp(a->text, b->text);
}

/* The distinct tests, gathered in order. */
struct tests {
	const struct ir_expr *items[SCXC_CGROUP_TESTS_MAX];
	int count;
	const struct ir_expr *wanted; /* cgroup_test_index: the test to find */
	int found;
};

static bool gather(const struct ir_expr *test, void *data)
{
	struct tests *tests = data;
	int i;
	for (i = 0; i < tests->count; i++)
		if (same_test(tests->items[i], test))
			break;
	if (i == tests->count && tests->count < SCXC_CGROUP_TESTS_MAX)
		tests->items[tests->count++] = test;
	if (tests->wanted && same_test(tests->wanted, test)) {
		tests->found = i;
		return true;
	}
	return false;
}

static void gather_all(const struct ir_policy *policy, struct tests *tests)
{
	for (int c = 0; c < policy->class_count; c++)
		if (each_test(policy->classes[c].when, gather, tests))
			return;
}

int cgroup_test_index(const struct ir_policy *policy, const struct ir_expr *test)
{
	struct tests tests = { .wanted = test, .found = -1 };
	gather_all(policy, &tests);
	return tests.found;
}

bool reads_cgroup(const struct ir_policy *policy)
{
	struct tests tests = { 0 };
	gather_all(policy, &tests);
	return tests.count > 0;
}

/* The automaton of one test: its positions, and which of them '*', '?' and each byte take. */
struct automaton {
	int length;
	uint64_t stars, any, chars[256];
};

static void build(const struct ir_expr *test, struct automaton *a)
{
	bool glob = test->op == IR_CGROUP_GLOB;
	memset(a, 0, sizeof(*a));
	for (const char *c = test->text; *c; c++) {
		if (glob && *c == '*' && c > test->text && c[-1] == '*')
			continue; /* a run of '*' is one */
		uint64_t bit = UINT64_C(1) << a->length++;
		if (glob && *c == '*')
			a->stars |= bit;
		else if (glob && *c == '?')
			a->any |= bit;
		else
			a->chars[(unsigned char)*c] |= bit;
	}
}

void emit_cgroup_tests(const struct emitter *e)
{
	struct tests tests = { 0 };
	struct commented_lines lines = { 0 };
	struct automaton a;
	gather_all(e->policy, &tests);
	if (!tests.count)
		return;
	fprintf(e->out,
		"\n/* Cgroup tests: bit K of a task's cgroup bits is test K, matched over the task's "
		"cgroup\n * path by scxc/cgroups.bpf.h (one bit per position of the pattern). */\n"
		"#define SCXC_NR_CGROUP_TESTS %d\n",
		tests.count);
	fputs("static const u8 scxc_cgroup_length[SCXC_NR_CGROUP_TESTS] = {\n", e->out);
	for (int k = 0; k < tests.count; k++) {
		struct text code = { 0 }, comment = { 0 };
		build(tests.items[k], &a);
		text_printf(&code, "\t%d,", a.length);
		text_printf(&comment, "%d: cgroup %s \"", k,
			    tests.items[k]->op == IR_CGROUP_GLOB ? "~" : "==");
		text_c_string(&comment, tests.items[k]->text);
		text_puts(&comment, "\"");
		lines_add(&lines, &code, &comment);
	}
	lines_flush(e, &lines);
	fputs("};\nstatic const u64 scxc_cgroup_stars[SCXC_NR_CGROUP_TESTS] = {", e->out);
	for (int k = 0; k < tests.count; k++) {
		build(tests.items[k], &a);
		fprintf(e->out, " %#" PRIx64 ",", a.stars);
	}
	fputs(" };\nstatic const u64 scxc_cgroup_any[SCXC_NR_CGROUP_TESTS] = {", e->out);
	for (int k = 0; k < tests.count; k++) {
		build(tests.items[k], &a);
		fprintf(e->out, " %#" PRIx64 ",", a.any);
	}
	fputs(" };\n/* Per test, by byte: the positions that byte takes. */\n"
	      "static const u64 scxc_cgroup_chars[SCXC_NR_CGROUP_TESTS][256] = {\n",
	      e->out);
	for (int k = 0; k < tests.count; k++) {
		build(tests.items[k], &a);
		fprintf(e->out, "\t[%d] = {", k);
		for (int c = 0; c < 256; c++)
			if (a.chars[c])
				fprintf(e->out, " [%d] = %#" PRIx64 ",", c, a.chars[c]);
		fputs(" },\n", e->out);
	}
	fputs("};\n\n#include <scxc/cgroups.bpf.h>\n", e->out);
}
