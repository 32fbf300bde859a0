/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * test_sema.c — unit tests of the middle of the compiler: imports, sema, lowering, IR.
 *
 * Takes small policies written inline, runs them through parse → imports → sema → lower,
 * and checks what comes out: the types and folded values in the IR, the defaults written
 * in, the expansions of comm tests, the run-time arithmetic of ir_eval, and for wrong
 * policies the number and text of the errors.  Prints one line per failed check and exits
 * non-zero if there was any.
 */
#define _XOPEN_SOURCE 700 /* mkdtemp */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "parse.h"
#include "stages.h"

static int failures;

#define CHECK(condition) check((condition), #condition, __FILE__, __LINE__)

static bool check(bool condition, const char *text, const char *file, int line)
{
	if (!condition) {
		fprintf(stderr, "%s:%d: check failed: %s\n", file, line, text);
		failures++;
	}
	return condition;
}

/* One compilation of an inline policy, kept whole so tests can inspect every part. */
struct run {
	struct source_map sources;
	struct diag_sink sink;
	struct ir_policy *policy;
};

static void compile_file(struct run *run, int file, const char *const *dirs, int dir_count)
{
	diag_init(&run->sink, &run->sources);
	struct ast *ast = parse_source(&run->sources, (uint32_t)file, &run->sink);
	struct search_path path = { dirs, dir_count };
	if (!diag_has_errors(&run->sink) &&
	    resolve_imports(ast, &run->sources, &path, &run->sink) && sema_check(ast, &run->sink))
		run->policy = lower_policy(ast, run->sources.files[file].path);
	ast_free(ast);
}

static void compile(struct run *run, const char *text)
{
	*run = (struct run){ 0 };
	int file = source_add(&run->sources, "test.sched", text, strlen(text));
	compile_file(run, file, NULL, 0);
}

static void finish(struct run *run)
{
	ir_free(run->policy);
	diag_free(&run->sink);
	source_map_free(&run->sources);
}

static bool has_error(const struct run *run, const char *message)
{
	for (int i = 0; i < run->sink.count; i++)
		if (run->sink.items[i].level == DIAG_ERROR &&
		    strcmp(run->sink.items[i].message, message) == 0)
			return true;
	return false;
}

static void dump_errors(const struct run *run)
{
	for (int i = 0; i < run->sink.count; i++)
		fprintf(stderr, "    got: %s%s%s\n", run->sink.items[i].message,
			run->sink.items[i].hint ? " | help: " : "",
			run->sink.items[i].hint ? run->sink.items[i].hint : "");
}

/* Compiles TEXT and expects exactly ERRORS errors, one of them MESSAGE (and HINT, if given). */
static void expect_error(const char *text, int errors, const char *message, const char *hint)
{
	struct run run;
	compile(&run, text);
	bool ok = CHECK(run.policy == NULL) && CHECK(run.sink.error_count == errors) &&
		  CHECK(has_error(&run, message));
	if (ok && hint) {
		bool found = false;
		for (int i = 0; i < run.sink.count; i++)
			found = found || (run.sink.items[i].hint &&
					  strcmp(run.sink.items[i].hint, hint) == 0);
		ok = CHECK(found);
	}
	if (!ok) {
		fprintf(stderr, "  for: %s\n  wanted: %s\n", text, message);
		dump_errors(&run);
	}
	finish(&run);
}

static struct ir_policy *expect_ok(struct run *run, const char *text)
{
	compile(run, text);
	if (!CHECK(run->policy != NULL)) {
		fprintf(stderr, "  for: %s\n", text);
		dump_errors(run);
	}
	return run->policy;
}

static void test_params(void)
{
	struct run run;
	struct ir_policy *policy = expect_ok(&run, "policy p;\n"
						   "param n = 4;\n"
						   "param d: duration = 2 * 1500us in 1us .. 1s;\n"
						   "param b = true;\n"
						   "param r = -3 in -10 .. 10;\n"
						   "queue q: fifo;\n"
						   "class rest { slice = d; }\n");
	if (!policy)
		return;
	CHECK(policy->param_count == 4);
	CHECK(policy->params[0].type == TYPE_INT && policy->params[0].default_value == 4);
	CHECK(policy->params[0].min == INT64_MIN && policy->params[0].max == INT64_MAX);
	CHECK(policy->params[1].type == TYPE_DURATION &&
	      policy->params[1].default_value == 3000000);
	CHECK(policy->params[1].min == 1000 && policy->params[1].max == 1000000000);
	CHECK(policy->params[2].type == TYPE_BOOL && policy->params[2].default_value == 1);
	CHECK(policy->params[2].min == 0 && policy->params[2].max == 1);
	CHECK(policy->params[3].default_value == -3 && policy->params[3].min == -10);
	CHECK(policy->classes[0].slice->op == IR_PARAM && policy->classes[0].slice->index == 1);
	finish(&run);
}

static void test_defaults(void)
{
	struct run run;
	struct ir_policy *policy = expect_ok(
		&run, "policy d;\nqueue a: fifo;\nqueue b: vtime;\n"
		      "class x when nice < 0 { queue = b; }\nclass rest { queue = a; }\n");
	if (!policy)
		return;
	CHECK(strcmp(policy->name, "d") == 0);
	CHECK(policy->queue_count == 2 && policy->queues[1].kind == SCXC_QUEUE_VTIME);
	CHECK(policy->classes[0].queue == 1 && policy->classes[1].queue == 0);
	CHECK(policy->classes[0].slice->op == IR_CONST &&
	      policy->classes[0].slice->value == 20000000 &&
	      policy->classes[0].slice->type == TYPE_DURATION);
	CHECK(policy->classes[0].weight == NULL && policy->classes[1].when == NULL);
	CHECK(policy->tier_count == 2 && policy->tiers[0].queues[0] == 0 &&
	      policy->tiers[1].queues[0] == 1);
	CHECK(policy->cpu_step_count == 3 && policy->cpu_steps[0] == SCXC_CPU_IDLE_PREV &&
	      policy->cpu_steps[1] == SCXC_CPU_IDLE_ANY && policy->cpu_steps[2] == SCXC_CPU_PREV);
	finish(&run);

	policy = expect_ok(&run, "policy d;\nqueue only: vtime;\nclass rest {}\n"
				 "dispatch: only;\ncpu: idle(any), prev;\n");
	if (policy) {
		CHECK(policy->classes[0].queue == 0);
		CHECK(policy->cpu_step_count == 2 && policy->cpu_steps[0] == SCXC_CPU_IDLE_ANY);
	}
	finish(&run);
}

static void test_folding_and_expansion(void)
{
	struct run run;
	struct ir_policy *policy = expect_ok(
		&run,
		"policy f;\nparam k = 3;\nqueue q: vtime;\n"
		"class a when comm in (\"x\", \"y\", \"z\") { slice = 10ms / 4 + 3 * 1us; }\n"
		"class b when comm != \"bash\" { weight = 7 % 4 * 25; }\n"
		"class c when comm ~ \"cron\" or comm ~ \"k*\" { slice = min(5ms, 2ms, 3ms); }\n"
		"class d when uid in (0, k) { slice = 1ms * (8ms / 1ms); weight = clamp(250, 1, 100); }\n"
		"class rest { slice = -(-k) * 1ms; }\n");
	if (!policy)
		return;
	const struct ir_class *classes = policy->classes;
	CHECK(classes[0].slice->op == IR_CONST && classes[0].slice->value == 2503000);
	const struct ir_expr *in = classes[0].when;
	CHECK(in->op == IR_OR && in->args[0]->op == IR_OR && in->args[1]->op == IR_COMM_EQ &&
	      strcmp(in->args[1]->text, "z") == 0 && strcmp(in->args[0]->args[0]->text, "x") == 0);
	CHECK(classes[1].when->op == IR_NOT && classes[1].when->args[0]->op == IR_COMM_EQ);
	CHECK(classes[1].weight->op == IR_CONST && classes[1].weight->value == 75);
	CHECK(classes[2].when->args[0]->op == IR_COMM_EQ &&
	      classes[2].when->args[1]->op == IR_COMM_GLOB);
	CHECK(classes[2].slice->op == IR_CONST && classes[2].slice->value == 2000000);
	CHECK(classes[3].when->op == IR_OR && classes[3].when->args[1]->op == IR_EQ &&
	      classes[3].when->args[1]->args[1]->op == IR_PARAM);
	CHECK(classes[3].slice->value == 8000000 && classes[3].weight->value == 100);
	CHECK(classes[4].slice->op == IR_MUL && classes[4].slice->args[0]->op == IR_NEG &&
	      classes[4].slice->type == TYPE_DURATION);
	finish(&run);
}

static void test_eval(void)
{
	bool overflowed;
	CHECK(ir_eval(IR_ADD, (int64_t[3]){ INT64_MAX, 1, 0 }, &overflowed) == INT64_MIN &&
	      overflowed);
	CHECK(ir_eval(IR_DIV, (int64_t[3]){ 7, 0, 0 }, &overflowed) == 0 && !overflowed);
	CHECK(ir_eval(IR_MOD, (int64_t[3]){ 7, 0, 0 }, &overflowed) == 0 && !overflowed);
	CHECK(ir_eval(IR_DIV, (int64_t[3]){ INT64_MIN, -1, 0 }, &overflowed) == INT64_MIN &&
	      overflowed);
	CHECK(ir_eval(IR_MOD, (int64_t[3]){ INT64_MIN, -1, 0 }, &overflowed) == 0);
	CHECK(ir_eval(IR_DIV, (int64_t[3]){ -7, 2, 0 }, &overflowed) == -3);
	CHECK(ir_eval(IR_CLAMP, (int64_t[3]){ 5, 1, 3 }, &overflowed) == 3);
	CHECK(ir_eval(IR_CLAMP, (int64_t[3]){ 0, 1, 3 }, &overflowed) == 1);
	CHECK(ir_eval(IR_NEG, (int64_t[3]){ INT64_MIN, 0, 0 }, &overflowed) == INT64_MIN &&
	      overflowed);
	char text[IR_VALUE_TEXT_MAX];
	CHECK(strcmp(ir_format_value(TYPE_DURATION, 1500000, text), "1500us") == 0);
	CHECK(strcmp(ir_format_value(TYPE_DURATION, 2000000000, text), "2s") == 0);
	CHECK(strcmp(ir_format_value(TYPE_DURATION, 0, text), "0ns") == 0);
	CHECK(strcmp(ir_format_value(TYPE_DURATION, -5000000, text), "-5ms") == 0);
	CHECK(strcmp(ir_format_value(TYPE_INT, -42, text), "-42") == 0);
	CHECK(strcmp(ir_format_value(TYPE_BOOL, 1, text), "true") == 0);
}

static void test_errors(void)
{
	const char *head = "policy e;\nqueue main: vtime;\n";
	char text[1024];
#define WITH_HEAD(body) (snprintf(text, sizeof(text), "%s%s", head, body), text)
	expect_error(WITH_HEAD("class rest { slice = 1ms * task.wieght; }"), 1,
		     "unknown task field 'wieght'", "did you mean 'weight'?");
	expect_error(WITH_HEAD("class rest { slice = 5ms + 2; }"), 1,
		     "cannot add a duration and an int", "give the int a unit, e.g. 2ms");
	expect_error(WITH_HEAD("class rest { slice = 5ms - nice; }"), 1,
		     "cannot subtract an int from a duration",
		     "give the int a unit, e.g. multiply it by 1ms");
	expect_error(WITH_HEAD("class rest { slice = 5ms * 2ms; }"), 1,
		     "cannot multiply two durations", NULL);
	expect_error(WITH_HEAD("class rest { weight = 5 / 1ms; }"), 1,
		     "cannot divide an int by a duration", NULL);
	expect_error(WITH_HEAD("class x when nice > 1ms { }\nclass rest {}"), 1,
		     "cannot compare an int and a duration", NULL);
	expect_error(WITH_HEAD("class x when nice and pid > 1 { }\nclass rest {}"), 1,
		     "'and' needs a bool on each side, but this is an int", NULL);
	expect_error(WITH_HEAD("class x when not nice { }\nclass rest {}"), 1,
		     "'not' needs a bool, but this is an int", NULL);
	expect_error(WITH_HEAD("class x when comm + 1 > 2 { }\nclass rest {}"), 1,
		     "comm is a string and can only be compared", NULL);
	expect_error(WITH_HEAD("class x when comm ~ \"0123456789abcdef\" { }\nclass rest {}"), 1,
		     "this pattern needs at least 16 characters, so comm can never match it", NULL);
	expect_error(WITH_HEAD("class x when pid ~ \"a*\" { }\nclass rest {}"), 1,
		     "'~' matches comm against a pattern, but this is an int", NULL);
	expect_error(WITH_HEAD("class x when pid in (1, 2ms) { }\nclass rest {}"), 1,
		     "this list holds a duration but is matched against an int", NULL);
	expect_error(WITH_HEAD("class x when comm in (\"a\", 3) { }\nclass rest {}"), 1,
		     "comm can only be compared with a string", NULL);
	expect_error(WITH_HEAD("class rest { slice = max(1ms); }"), 1,
		     "max() takes at least two arguments", NULL);
	expect_error(WITH_HEAD("class rest { slice = clamp(1ms, 2ms); }"), 1,
		     "clamp() takes three arguments: clamp(value, low, high)", NULL);
	expect_error(WITH_HEAD("class rest { weight = queued(mian); }"), 1, "'mian' is not a queue",
		     "did you mean 'main'?");
	expect_error(WITH_HEAD("class rest { weight = main; }"), 1, "queue 'main' is not a value",
		     "use queued(main) for the number of tasks "
		     "waiting in it");
	expect_error(WITH_HEAD("class rest { weight = idle(any); }"), 1,
		     "idle(...) is a CPU selection step, not a value", NULL);
	expect_error(WITH_HEAD("class rest { slice = 1ms / 0; }"), 1, "division by zero", NULL);
	expect_error(WITH_HEAD("class rest { weight = pid % (3 - 3); }"), 1,
		     "remainder of a division by zero", NULL);
	expect_error(WITH_HEAD("class rest { weight = 9223372036854775807 * 2 / 2; }"), 1,
		     "this constant overflows a 64-bit integer", NULL);
	expect_error(WITH_HEAD("class rest { weight = 10001; }"), 1,
		     "a weight of 10001 is out of range", NULL);
	expect_error(WITH_HEAD("class rest { slice = 500ns; }"), 1,
		     "a slice of 500ns is out of range", "slices go from 1us to 1s");
	expect_error(WITH_HEAD("class rest { slice = 5; }"), 1,
		     "slice must be a duration, but this is an int", "give it a unit, e.g. 5ms");
	expect_error(WITH_HEAD("class rest { weight = 5ms; }"), 1,
		     "weight must be an int, but this is a duration", NULL);
	expect_error(WITH_HEAD("class rest { slice; }"), 1, "'slice' needs a value", NULL);
	expect_error(WITH_HEAD("class rest { preempt; }"), 1, "'preempt' needs a value",
		     "e.g. preempt = true;");
	expect_error(WITH_HEAD("class rest { urgent = true; }"), 1,
		     "unknown class setting 'urgent'",
		     "a class sets queue, slice, weight, deadline, period and preempt");
	expect_error(WITH_HEAD("class rest { queue = nice; }"), 1, "unknown queue 'nice'", NULL);
	expect_error(WITH_HEAD("param p = 1;\nclass rest { queue = p; }"), 1,
		     "'p' is a param, not a queue", NULL);
	expect_error(WITH_HEAD("param p = nice;\nclass rest {}"), 1,
		     "the default of param 'p' must be a constant, but 'nice' is a task field",
		     NULL);
	expect_error(WITH_HEAD("param p = 1;\nparam q = p;\nclass rest {}"), 1,
		     "the default of param 'q' must be a constant, but 'p' is a param", NULL);
	expect_error(WITH_HEAD("param p = 1 in 0 .. nr_cpus;\nclass rest {}"), 1,
		     "the range of param 'p' must be a constant, but 'nr_cpus' is only known at "
		     "run time",
		     NULL);
	expect_error(WITH_HEAD("param p: duration = 5;\nclass rest {}"), 1,
		     "param 'p' is a duration but its default 5 has no unit", "write 5ms");
	expect_error(WITH_HEAD("param p: int = 5ms;\nclass rest {}"), 1,
		     "param 'p' is declared int but its default 5ms is a duration", NULL);
	expect_error(WITH_HEAD("param p: boool = true;\nclass rest {}"), 1, "unknown type 'boool'",
		     "did you mean 'bool'?");
	expect_error(WITH_HEAD("param p = 5ms in 1 .. 10ms;\nclass rest {}"), 1,
		     "param 'p' is a duration but its lower bound is an int", NULL);
	expect_error(WITH_HEAD("param p = -5ms;\nclass rest {}"), 1,
		     "the default of param 'p' is -5ms, but durations cannot be negative", NULL);
	expect_error(WITH_HEAD("param p = true in 0 .. 1;\nclass rest {}"), 1,
		     "bool param 'p' cannot have a range", NULL);
	expect_error(WITH_HEAD("param p = 11 in 1 .. 10;\nclass rest {}"), 1,
		     "the default 11 of param 'p' is outside its range 1 .. 10", NULL);
	expect_error(WITH_HEAD("param p = \"x\";\nclass rest {}"), 1, "a param cannot be a string",
		     NULL);
	expect_error(WITH_HEAD("param main = 1;\nclass rest {}"), 1, "'main' is already defined",
		     NULL);
	expect_error(WITH_HEAD("param pid = 1;\nclass rest {}"), 1,
		     "'pid' is the name of a task field; a param cannot use it", NULL);
	expect_error(WITH_HEAD("queue nr_cpus: fifo;\nclass rest { queue = main; }"), 1,
		     "'nr_cpus' is a builtin value; a queue cannot use its name", NULL);
	expect_error(WITH_HEAD("class rest {}\nclass late {}"), 1, "class 'late' can never match",
		     NULL);
	expect_error(
		WITH_HEAD("class a when nice > 0 {}"), 1,
		"no class matches every task: the last class 'a' has a `when`",
		"end with a catch-all class without `when`, e.g. class rest { queue = main; }");
	expect_error("policy e;\nqueue main: fifo;\n", 1, "the policy has no class", NULL);
	expect_error("policy e;\nclass rest {}\n", 1, "policy 'e' has no queue", NULL);
	expect_error(WITH_HEAD("queue b: fifo;\nclass rest {}"), 1,
		     "class 'rest' does not say which queue its tasks go to", NULL);
	expect_error(WITH_HEAD("queue b: fifo;\nclass rest { queue = b; }\ndispatch: b;"), 1,
		     "queue 'main' is never dispatched: its tasks would never run", NULL);
	expect_error(WITH_HEAD("class rest {}\ndispatch: main, then main;"), 1,
		     "queue 'main' is dispatched twice", NULL);
	expect_error(WITH_HEAD("class rest {}\ndispatch: mian;"), 2, "unknown queue 'mian'",
		     "did you mean 'main'?");
	expect_error(WITH_HEAD("class rest {}\ncpu: prev, idle(any);"), 1,
		     "CPU step 'idle(any)' can never be reached", NULL);
	expect_error(WITH_HEAD("class rest {}\ncpu: idle(prev), idle(prev);"), 1,
		     "CPU step 'idle(prev)' appears twice", NULL);
	expect_error(WITH_HEAD("class rest {}\ncpu: idle(prv);"), 1,
		     "unknown CPU selection step 'idle(prv)'", "did you mean 'idle(prev)'?");
	expect_error(WITH_HEAD("class rest {}\ncpu: prev;\ncpu: prev;"), 1, "a second `cpu:` line",
		     NULL);
	expect_error(WITH_HEAD("queue x: lifo;\nclass rest { queue = main; }"), 1,
		     "unknown queue kind 'lifo'", "did you mean 'fifo'?");
	expect_error("queue main: fifo;\nclass rest {}\n", 1, "missing policy declaration", NULL);
	expect_error("queue main: fifo;\npolicy late;\nclass rest {}\n", 1,
		     "the policy declaration must come first", NULL);
	expect_error(WITH_HEAD("class rest { slice = 5ms; slice = 6ms; }"), 1,
		     "class 'rest' sets slice twice", NULL);
	expect_error(WITH_HEAD("class rest { slice = mni(1ms, 2ms); }"), 1,
		     "unknown function 'mni'", "did you mean 'min'?");
	expect_error(WITH_HEAD("class x when tsk.pid > 1 {}\nclass rest {}"), 1,
		     "unknown object 'tsk'", "did you mean 'task'?");
	expect_error(WITH_HEAD("class x when nicee > 1 {}\nclass rest {}"), 1,
		     "unknown name 'nicee'", "did you mean 'nice'?");
	expect_error(WITH_HEAD("class x when \"a\" == \"a\" {}\nclass rest {}"), 1,
		     "a string can only be compared with comm or cgroup", NULL);
	expect_error(WITH_HEAD("class x when kthread < true {}\nclass rest {}"), 1,
		     "'<' orders numbers; bools can only be compared with == and !=", NULL);
	expect_error(WITH_HEAD("class a when 1 < 2 or kthread {}\nclass rest {}"), 1,
		     "class 'rest' can never match", NULL);
	/* An `in` list folds as the `or` of `==` it stands for. */
	expect_error(WITH_HEAD("class a when 5 in (nice, 5) {}\nclass rest {}"), 1,
		     "class 'rest' can never match", NULL);
#undef WITH_HEAD
}

static void test_warnings(void)
{
	struct run run;
	struct ir_policy *policy =
		expect_ok(&run, "policy w;\nqueue q: fifo;\n"
				"class never when 1 > 2 and kthread {}\nclass rest {}\n");
	CHECK(run.sink.count == 1 && run.sink.items[0].level == DIAG_WARNING &&
	      strcmp(run.sink.items[0].message, "the condition of class 'never' is always false, "
						"so it never matches") == 0);
	if (policy)
		CHECK(policy->classes[0].when->op == IR_CONST &&
		      policy->classes[0].when->value == 0);
	finish(&run);

	/* Constant tests of an `in` that is not constant as a whole are all false: left out. */
	policy = expect_ok(&run, "policy w;\nqueue q: fifo;\n"
				 "class a when 5 in (6, nice) and true {}\nclass rest {}\n");
	CHECK(run.sink.count == 0);
	if (policy)
		CHECK(policy->classes[0].when->op == IR_EQ &&
		      policy->classes[0].when->args[0]->op == IR_CONST &&
		      policy->classes[0].when->args[1]->op == IR_TASK_FIELD);
	finish(&run);
}

static void write_file(const char *dir, const char *name, const char *text)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *out = fopen(path, "w");
	if (!CHECK(out != NULL))
		return;
	fputs(text, out);
	fclose(out);
}

static void test_imports(void)
{
	char dir[] = "/tmp/scxc-test-sema-XXXXXX";
	if (!CHECK(mkdtemp(dir) != NULL))
		return;
	char lib[600], main_path[600];
	snprintf(lib, sizeof(lib), "%s/lib", dir);
	snprintf(main_path, sizeof(main_path), "%s/main.sched", dir);
	CHECK(mkdir(lib, 0700) == 0);
	write_file(lib, "extra.sched",
		   "queue extra: fifo;\nclass extras when nice > 0 "
		   "{ queue = extra; }\n");
	write_file(lib, "bad.sched", "policy nested;\n");
	write_file(dir, "local.sched", "import extra;\nparam local_slice = 3ms;\n");
	const char *dirs[] = { lib };

	struct run run = { 0 };
	write_file(dir, "main.sched",
		   "policy m;\nimport \"local.sched\";\nimport extra;\n"
		   "queue main: vtime;\nclass rest { queue = main; slice = local_slice; }\n");
	compile_file(&run, source_load(&run.sources, main_path), dirs, 1);
	if (CHECK(run.policy != NULL)) {
		CHECK(run.policy->queue_count == 2 &&
		      strcmp(run.policy->queues[0].name, "extra") == 0);
		CHECK(run.policy->class_count == 2 && run.policy->param_count == 1);
		CHECK(run.sources.count == 3);
	} else {
		dump_errors(&run);
	}
	finish(&run);

	run = (struct run){ 0 };
	write_file(dir, "main.sched",
		   "policy m;\nimport extr;\nqueue main: vtime;\nclass rest {}\n");
	compile_file(&run, source_load(&run.sources, main_path), dirs, 1);
	CHECK(run.policy == NULL && has_error(&run, "cannot find module 'extr'"));
	CHECK(run.sink.count == 1 && run.sink.items[0].hint &&
	      strncmp(run.sink.items[0].hint, "did you mean 'extra'?", 21) == 0);
	finish(&run);

	run = (struct run){ 0 };
	write_file(dir, "main.sched",
		   "policy m;\nimport bad;\nqueue main: vtime;\nclass rest {}\n");
	compile_file(&run, source_load(&run.sources, main_path), dirs, 1);
	CHECK(run.policy == NULL && has_error(&run, "an imported module may declare only params, "
						    "queues and classes"));
	finish(&run);

	run = (struct run){ 0 };
	write_file(dir, "main.sched",
		   "policy m;\nimport \"main.sched\";\nqueue q: fifo;\n"
		   "class rest {}\n");
	compile_file(&run, source_load(&run.sources, main_path), dirs, 1);
	CHECK(run.policy == NULL && run.sink.error_count == 1 && run.sink.items[0].message &&
	      strncmp(run.sink.items[0].message, "import cycle", 12) == 0);
	finish(&run);

	char command[700];
	snprintf(command, sizeof(command), "rm -rf '%s'", dir);
	CHECK(system(command) == 0);
}

int main(void)
{
	test_params();
	test_defaults();
	test_folding_and_expansion();
	test_eval();
	test_errors();
	test_warnings();
	test_imports();
	if (failures)
		fprintf(stderr, "test_sema: %d check(s) failed\n", failures);
	else
		puts("test_sema: all checks passed");
	return failures ? 1 : 0;
}
