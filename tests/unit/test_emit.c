/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * test_emit.c — unit test of the emitter (compiler/emit.c), on IR built by hand.
 *
 * Takes nothing; builds a small policy's IR directly (so it tests emit.c alone, not the
 * stages before it), emits it twice, and checks that the two outputs are the same bytes and
 * hold the lines docs/object-format.md and the runtime rely on: the sizes, the tables, the
 * hooks with their expressions, the comments quoting the policy, and the self-description.
 * Exits non-zero on the first group of failures, naming each.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stages.h"

static int failures;

#define CHECK(cond, ...) \
	do { \
		if (!(cond)) { \
			fprintf(stderr, "test_emit: FAIL: "); \
			fprintf(stderr, __VA_ARGS__); \
			fputc('\n', stderr); \
			failures++; \
		} \
	} while (0)

static const char source_text[] =
	"policy demo;\n"								   /* 1 */
	"param slice = 4ms in 1ms .. 50ms;\n"						   /* 2 */
	"param boost = 2;\n"								   /* 3 */
	"queue ui: fifo;\n"								   /* 4 */
	"queue bulk: vtime;\n"								   /* 5 */
	"class ui when comm == \"Xorg\" or nice < 0 { queue = ui; slice = slice * 2; }\n"  /* 6 */
	"class glob when comm ~ \"kworker/*\" and not kthread { queue = bulk; }\n"	   /* 7 */
	"class rest { queue = bulk; weight = task.weight / boost; slice = 3ms - -1ms; }\n" /* 8 */
	"param long = 1;\n";								   /* 9 */

static struct source_map sources;

/* The span of the first occurrence of TEXT in the source. */
static struct span span_of(const char *text)
{
	const char *at = strstr(source_text, text);

	if (!at)
		abort();
	return (struct span){ 0, (uint32_t)(at - source_text),
			      (uint32_t)(at - source_text + strlen(text)) };
}

static struct ir_expr *node(enum ir_op op, enum type type, struct ir_expr *a, struct ir_expr *b)
{
	struct ir_expr *x = calloc(1, sizeof(*x));

	if (!x)
		abort();
	x->op = op;
	x->type = type;
	x->args[0] = a;
	x->args[1] = b;
	return x;
}

static struct ir_expr *constant(enum type type, int64_t value)
{
	struct ir_expr *x = node(IR_CONST, type, NULL, NULL);

	x->value = value;
	return x;
}

static struct ir_expr *indexed(enum ir_op op, enum type type, int index)
{
	struct ir_expr *x = node(op, type, NULL, NULL);

	x->index = index;
	return x;
}

static struct ir_expr *comm(enum ir_op op, const char *text)
{
	struct ir_expr *x = node(op, TYPE_BOOL, NULL, NULL);

	x->text = strdup(text);
	return x;
}

static struct ir_policy *build_policy(void)
{
	static struct ir_param params[3];
	static struct ir_queue queues[2];
	static struct ir_class classes[3];
	static int tier_queues[2][1] = { { 0 }, { 1 } };
	static struct ir_tier tiers[2];
	static enum scxc_cpu_step steps[2] = { SCXC_CPU_IDLE_ANY, SCXC_CPU_PREV };
	static struct ir_policy policy;
	struct ir_expr *x;

	params[0] = (struct ir_param){ "slice", TYPE_DURATION, 4000000,
				       1000000, 50000000,      .span = span_of("param slice") };
	params[1] = (struct ir_param){ "boost",	  TYPE_INT,  2,
				       INT64_MIN, INT64_MAX, .span = span_of("param boost") };
	params[2] = (struct ir_param){ "long", TYPE_INT, 1, 0, 9, .span = span_of("param long") };
	queues[0] = (struct ir_queue){ "ui", SCXC_QUEUE_FIFO, 0, .span = span_of("queue ui") };
	queues[1] = (struct ir_queue){ "bulk", SCXC_QUEUE_VTIME, 0, .span = span_of("queue bulk") };

	/* class ui when comm == "Xorg" or nice < 0 { slice = slice * 2; } */
	x = node(IR_OR, TYPE_BOOL, comm(IR_COMM_EQ, "Xorg"),
		 node(IR_LT, TYPE_BOOL, indexed(IR_TASK_FIELD, TYPE_INT, FIELD_NICE),
		      constant(TYPE_INT, 0)));
	x->span = span_of("comm == \"Xorg\" or nice < 0");
	classes[0] = (struct ir_class){
		.name = "ui", .when = x, .queue = 0, .span = span_of("class ui")
	};
	x = node(IR_MUL, TYPE_DURATION, indexed(IR_PARAM, TYPE_DURATION, 0), constant(TYPE_INT, 2));
	x->span = span_of("slice * 2");
	classes[0].slice = x;

	/* class glob: a glob with a doubled star, and not kthread (default slice) */
	x = node(IR_AND, TYPE_BOOL, comm(IR_COMM_GLOB, "kworker/**"),
		 node(IR_NOT, TYPE_BOOL, indexed(IR_TASK_FIELD, TYPE_BOOL, FIELD_KTHREAD), NULL));
	x->span = span_of("comm ~ \"kworker/*\" and not kthread");
	classes[1] = (struct ir_class){
		.name = "glob", .when = x, .queue = 1, .span = span_of("class glob")
	};
	x = constant(TYPE_DURATION, 20000000);
	x->span = (struct span){ 0, span_of("glob").begin, span_of("glob").begin };
	classes[1].slice = x;

	/* class rest { weight = task.weight / boost; slice = 3ms - -1ms; } (not folded here) */
	classes[2] = (struct ir_class){ .name = "rest", .queue = 1, .span = span_of("class rest") };
	x = node(IR_DIV, TYPE_INT, indexed(IR_TASK_FIELD, TYPE_INT, FIELD_WEIGHT),
		 indexed(IR_PARAM, TYPE_INT, 1));
	x->span = span_of("task.weight / boost");
	classes[2].weight = x;
	x = node(IR_SUB, TYPE_DURATION, constant(TYPE_DURATION, 3000000),
		 constant(TYPE_DURATION, -1000000));
	x->span = span_of("3ms - -1ms");
	classes[2].slice = x;

	tiers[0] = (struct ir_tier){ tier_queues[0], NULL, 1, span_of("queue ui") };
	tiers[1] = (struct ir_tier){ tier_queues[1], NULL, 1, span_of("queue bulk") };
	policy = (struct ir_policy){
		.name = "demo",
		.source_path = "some/dir/demo.sched",
		.params = params,
		.param_count = 3,
		.queues = queues,
		.queue_count = 2,
		.classes = classes,
		.class_count = 3,
		.tiers = tiers,
		.tier_count = 2,
		.cpu_steps = steps,
		.cpu_step_count = 2,
	};
	return &policy;
}

static char *emit_to_string(const struct ir_policy *policy)
{
	char *text = NULL;
	size_t length = 0;
	FILE *out = open_memstream(&text, &length);

	if (!out)
		abort();
	emit_c(policy, &sources, out);
	fclose(out);
	return text;
}

static void expect_line(const char *text, const char *line)
{
	const char *at = text;
	size_t n = strlen(line);

	while ((at = strstr(at, line))) {
		bool starts = at == text || at[-1] == '\n';
		bool ends = at[n] == '\n';

		if (starts && ends)
			return;
		at += n;
	}
	CHECK(false, "no line `%s`", line);
}

int main(void)
{
	struct ir_policy *policy;
	char *first, *second;

	if (source_add(&sources, "some/dir/demo.sched", source_text, strlen(source_text)) != 0)
		abort();
	policy = build_policy();
	first = emit_to_string(policy);
	second = emit_to_string(policy);

	CHECK(!strcmp(first, second), "two runs give different output");
	CHECK(!strncmp(first, "/* SPDX-License-Identifier: GPL-2.0-only */\n", 44),
	      "the first line is not the SPDX line");
	CHECK(!strstr(first, "some/dir"), "a directory name leaked into the output");

	expect_line(first, " * demo — a sched_ext scheduler generated by scxc from demo.sched.");
	expect_line(first, "#define SCXC_POLICY_NAME \"demo\"");
	expect_line(first, "#define SCXC_NR_QUEUES 2");
	expect_line(first, "#define SCXC_NR_CLASSES 3");
	expect_line(first, "#define SCXC_NR_CPU_STEPS 2");
	expect_line(first, "#include <scxc/runtime.bpf.h>");
	expect_line(first, "#include <scxc/ops.bpf.h>");

	/* Params: u64 for durations, s64 for ints, defaults in the initialiser. */
	expect_line(first, "\tu64 slice;\t/* demo.sched:2: duration, 1ms .. 50ms */");
	expect_line(first, "\ts64 boost;\t/* demo.sched:3: int */");
	expect_line(first, "\t.boost = 2,");
	expect_line(first, "\ts64 long_;\t/* demo.sched:9: int, 0 .. 9 */"); /* a C keyword */
	expect_line(first, "volatile struct scxc_params scxc_params SEC(\".data.params\") = {");
	expect_line(first, "\t.slice = 4000000,\t/* 4ms */");

	/* Tables. */
	expect_line(first, "\t[QUEUE_ui] = SCXC_QUEUE_FIFO,");
	expect_line(first, "\t[QUEUE_bulk] = SCXC_QUEUE_VTIME,");
	expect_line(first, "\t[CLASS_glob] = QUEUE_bulk,");
	expect_line(first, "static const u32 scxc_dispatch_order[SCXC_NR_QUEUES] = {");
	expect_line(first, "\tSCXC_CPU_IDLE_ANY,\t/* idle(any) */");

	/* Hooks: conditions, comments quoting the policy, and expressions. */
	expect_line(first, "\t/* demo.sched:6: class ui when comm == \"Xorg\" or nice < 0 */");
	expect_line(first, "\tif (scxc_comm_eq(p, \"Xorg\") || scxc_task_nice(p) < 0)");
	expect_line(first, "\t\treturn CLASS_ui;");
	expect_line(first,
		    "\t// demo.sched:7: class glob when comm ~ \"kworker/*\" and not kthread");
	expect_line(first, "\tif (scxc_comm_glob(p, \"kworker/*\") && !scxc_task_kthread(p))");
	expect_line(first, "\treturn CLASS_rest;");
	expect_line(first, "\t\treturn (s64)scxc_params.slice * 2;");
	expect_line(first, "\t/* demo.sched:7: glob: slice = 20ms (the default) */");
	expect_line(first, "\treturn 3000000 - (-1000000);");
	expect_line(first, "\t/* ui: the task's own weight */");
	expect_line(first, "\treturn scxc_div(scxc_task_weight(p), scxc_params.boost);");

	/* The self-description. */
	expect_line(first, "\t\"scxc 2\\n\"");
	expect_line(first, "\t\"source demo.sched\\n\"");
	expect_line(first, "\t\"param slice duration 4000000 1000000 50000000\\n\"");
	expect_line(first, "\t\"param long int 1 0 9\\n\"");
	expect_line(first, "\t\"queue bulk vtime\\n\"");
	expect_line(first, "\t\"class glob bulk\\n\"");
	expect_line(first, "\t\"stat class.rest.direct count\\n\"");
	expect_line(first, "\t\"stat queue.bulk.dispatched count\\n\"");
	expect_line(first, "\t\"stat kept count\\n\"");
	expect_line(first, "\t\"stat class.rest.lateness ns\\n\"");

	if (failures) {
		fprintf(stderr, "test_emit: %d failures; the output was:\n%s", failures, first);
		return 1;
	}
	free(first);
	free(second);
	printf("test_emit: ok\n");
	return 0;
}
