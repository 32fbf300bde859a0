/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * test_parse.c — unit tests of the lexer and parser.
 *
 * Parses small snippets and checks the tree they make (shape, precedence, spans, decoded
 * values), the syntax and lexical errors they report (message, place, hint, several per
 * run), the token and tree dumps, and that every policy in examples/ parses cleanly.
 * Run from the source root (meson does), so examples/ is found.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ast.h"
#include "check.h"
#include "diag.h"
#include "parse.h"
#include "source.h"

/* One parsed snippet with everything it owns. */
struct parsed {
	struct source_map sources;
	struct diag_sink sink;
	struct ast *ast;
};

static struct parsed *parse_text(const char *text)
{
	struct parsed *p = calloc(1, sizeof(*p));
	int file = source_add(&p->sources, "test.sched", text, strlen(text));
	diag_init(&p->sink, &p->sources);
	p->ast = parse_source(&p->sources, (uint32_t)file, &p->sink);
	return p;
}

static void parsed_free(struct parsed *p)
{
	ast_free(p->ast);
	diag_free(&p->sink);
	source_map_free(&p->sources);
	free(p);
}

/* The text a span covers, for span checks: "5ms", "slice". */
static const char *span_text(const struct parsed *p, struct span span)
{
	static char buffer[256];
	size_t length = span.end - span.begin;
	if (length >= sizeof(buffer))
		length = sizeof(buffer) - 1;
	memcpy(buffer, p->sources.files[span.file].text + span.begin, length);
	buffer[length] = '\0';
	return buffer;
}

/* Compact prefix form of an expression: "(or a (and b c))". */
static void show(const struct expr *e, FILE *out)
{
	switch (e->kind) {
	case EXPR_INT:
		fprintf(out, "%lld%s", (long long)e->integer.value,
			e->integer.unit == UNIT_NONE ? "" : "ns");
		break;
	case EXPR_BOOL: fputs(e->boolean ? "true" : "false", out); break;
	case EXPR_STRING: fprintf(out, "\"%s\"", e->string.text); break;
	case EXPR_NAME: fputs(e->name.name, out); break;
	case EXPR_FIELD: fprintf(out, "%s.%s", e->field.object, e->field.field); break;
	case EXPR_CALL:
		fprintf(out, "(%s", e->call.name);
		for (int i = 0; i < e->call.args->count; i++) {
			fputc(' ', out);
			show(e->call.args->items[i], out);
		}
		fputc(')', out);
		break;
	case EXPR_UNARY:
		fputs(e->unary.op == OP_NEG ? "(neg " : "(not ", out);
		show(e->unary.operand, out);
		fputc(')', out);
		break;
	case EXPR_BINARY:
		fprintf(out, "(%s ", binary_op_text(e->binary.op));
		show(e->binary.left, out);
		fputc(' ', out);
		show(e->binary.right, out);
		fputc(')', out);
		break;
	case EXPR_IN:
		fputs("(in ", out);
		show(e->in.subject, out);
		for (int i = 0; i < e->in.items->count; i++) {
			fputc(' ', out);
			show(e->in.items->items[i], out);
		}
		fputc(')', out);
		break;
	case EXPR_MATCH:
		fputs("(~ ", out);
		show(e->match.subject, out);
		fputc(' ', out);
		show(e->match.pattern, out);
		fputc(')', out);
		break;
	case EXPR_CPUSET:
		fputs("[", out);
		for (int i = 0; i < e->cpuset.items->count; i++) {
			fputs(i ? " " : "", out);
			show(e->cpuset.items->items[i], out);
		}
		fputc(']', out);
		break;
	}
}

/* Parses "policy p; param v = EXPR;" or a class predicate and returns the shape. */
static void check_shape(int line, const char *text, int decl_index, const char *expected)
{
	struct parsed *p = parse_text(text);
	char *shape = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&shape, &size);
	if (p->sink.count > 0) {
		fprintf(out, "<error: %s>", p->sink.items[0].message);
	} else if (decl_index < p->ast->count) {
		const struct decl *decl = p->ast->decls[decl_index];
		show(decl->kind == DECL_PARAM ? decl->param.value : decl->class_.when, out);
	}
	fclose(out);
	check_text(__FILE__, line, text, shape, expected);
	free(shape);
	parsed_free(p);
}
#define CHECK_PARAM(expr_text, expected) \
	check_shape(__LINE__, "policy p; param v = " expr_text ";", 1, (expected))
#define CHECK_WHEN(expr_text, expected) \
	check_shape(__LINE__, "policy p; class c when " expr_text " { }", 1, (expected))

static void test_precedence(void)
{
	CHECK_WHEN("a or b and c", "(or a (and b c))");
	CHECK_WHEN("a and b or c", "(or (and a b) c)");
	CHECK_WHEN("a or b or c", "(or (or a b) c)");
	CHECK_WHEN("not a == b", "(not (== a b))");
	CHECK_WHEN("not not a and b", "(and (not (not a)) b)");
	CHECK_WHEN("a + 1 < b * 2", "(< (+ a 1) (* b 2))");
	CHECK_WHEN("comm in (\"a\", \"b\") or comm ~ \"k*\"",
		   "(or (in comm \"a\" \"b\") (~ comm \"k*\"))");
	CHECK_WHEN("task.nice >= -5", "(>= task.nice (neg 5))");
	CHECK_PARAM("-x * y", "(* (neg x) y)");
	CHECK_PARAM("[0-3, 6]", "[(- 0 3) 6]");
	CHECK_PARAM("[5, 7-8]", "[5 (- 7 8)]");
	CHECK_PARAM("[]", "[]");
	CHECK_PARAM("a - b - c", "(- (- a b) c)");
	CHECK_PARAM("a - b * c % d", "(- a (% (* b c) d))");
	CHECK_PARAM("(a - b) * c", "(* (- a b) c)");
	CHECK_PARAM("--x", "(neg (neg x))");
	CHECK_PARAM("clamp(20ms / max(1, queued(q)), 1ms, 5ms)",
		    "(clamp (/ 20000000ns (max 1 (queued q))) 1000000ns 5000000ns)");
	CHECK_PARAM("f()", "(f)");
	CHECK_PARAM("(1 < 2)", "(< 1 2)");
}

static void test_literals(void)
{
	CHECK_PARAM("1_000_000", "1000000");
	CHECK_PARAM("9223372036854775807", "9223372036854775807");
	CHECK_PARAM("7ns", "7ns");
	CHECK_PARAM("3us", "3000ns");
	CHECK_PARAM("5ms", "5000000ns");
	CHECK_PARAM("2s", "2000000000ns");
	CHECK_PARAM("9223372036s", "9223372036000000000ns");
	CHECK_PARAM("true", "true");
	CHECK_PARAM("\"a\\\"b\\\\c\\td\"", "\"a\"b\\c\td\"");

	struct parsed *p = parse_text("policy p; param v = 250us;");
	const struct expr *value = p->ast->decls[1]->param.value;
	CHECK(value->kind == EXPR_INT && value->integer.unit == UNIT_US &&
	      value->integer.value == 250000);
	parsed_free(p);

	p = parse_text("policy p; param v = \"x\\ny\";");
	value = p->ast->decls[1]->param.value;
	CHECK(value->kind == EXPR_STRING && value->string.length == 3 &&
	      memcmp(value->string.text, "x\ny", 3) == 0);
	parsed_free(p);
}

static void test_declarations_and_spans(void)
{
	struct parsed *p = parse_text("policy demo;\n"
				      "import common;\n"
				      "import \"lib/x.sched\";\n"
				      "param slice: duration = 5ms in 100us .. 100ms;\n"
				      "queue main: vtime;\n"
				      "class hot when comm ~ \"h*\" {\n"
				      "    queue = main;\n"
				      "    slice = slice * 2;\n"
				      "    preempt;\n"
				      "}\n"
				      "cpu: idle(prev), prev;\n"
				      "dispatch: main, then other then last;\n");
	CHECK(p->sink.count == 0);
	CHECK(p->ast->count == 8);
	if (p->ast->count != 8) {
		parsed_free(p);
		return;
	}
	struct decl **d = p->ast->decls;

	CHECK(d[0]->kind == DECL_POLICY && strcmp(d[0]->policy.name, "demo") == 0);
	CHECK_TEXT("policy span", span_text(p, d[0]->span), "policy demo;");
	CHECK_TEXT("policy name span", span_text(p, d[0]->policy.name_span), "demo");

	CHECK(d[1]->kind == DECL_IMPORT && strcmp(d[1]->import.name, "common") == 0);
	CHECK_TEXT("import span", span_text(p, d[1]->import.span), "common");
	CHECK(d[2]->kind == DECL_IMPORT && strcmp(d[2]->import.name, "lib/x.sched") == 0);
	CHECK_TEXT("import path span", span_text(p, d[2]->import.span), "\"lib/x.sched\"");
	CHECK_TEXT("import decl span", span_text(p, d[2]->span), "import \"lib/x.sched\";");

	const struct param_decl *param = &d[3]->param;
	CHECK(d[3]->kind == DECL_PARAM && strcmp(param->name, "slice") == 0);
	CHECK(param->type_name && strcmp(param->type_name, "duration") == 0);
	CHECK_TEXT("param span", span_text(p, d[3]->span),
		   "param slice: duration = 5ms in 100us .. 100ms;");
	CHECK_TEXT("param type span", span_text(p, param->type_span), "duration");
	CHECK_TEXT("param value span", span_text(p, param->value->span), "5ms");
	CHECK_TEXT("param low span", span_text(p, param->low->span), "100us");
	CHECK_TEXT("param high span", span_text(p, param->high->span), "100ms");

	CHECK(d[4]->kind == DECL_QUEUE && strcmp(d[4]->queue.kind, "vtime") == 0);
	CHECK_TEXT("queue name span", span_text(p, d[4]->queue.name_span), "main");
	CHECK_TEXT("queue kind span", span_text(p, d[4]->queue.kind_span), "vtime");

	const struct class_decl *class_ = &d[5]->class_;
	CHECK(d[5]->kind == DECL_CLASS && strcmp(class_->name, "hot") == 0);
	CHECK(class_->when && class_->when->kind == EXPR_MATCH);
	CHECK_TEXT("class when span", span_text(p, class_->when->span), "comm ~ \"h*\"");
	CHECK(class_->settings.count == 3);
	CHECK(strcmp(class_->settings.items[0].key, "queue") == 0);
	CHECK_TEXT("setting span", span_text(p, class_->settings.items[1].span),
		   "slice = slice * 2;");
	CHECK_TEXT("setting key span", span_text(p, class_->settings.items[1].key_span), "slice");
	CHECK_TEXT("setting value span", span_text(p, class_->settings.items[1].value->span),
		   "slice * 2");
	CHECK(strcmp(class_->settings.items[2].key, "preempt") == 0 &&
	      !class_->settings.items[2].value);
	CHECK(strncmp(span_text(p, d[5]->span), "class hot", 9) == 0);
	CHECK(p->sources.files[0].text[d[5]->span.end - 1] == '}');

	const struct expr_list *cpu = d[6]->cpu;
	CHECK(d[6]->kind == DECL_CPU && cpu->count == 2);
	CHECK(cpu->items[0]->kind == EXPR_CALL && cpu->items[1]->kind == EXPR_NAME);
	CHECK_TEXT("call span", span_text(p, cpu->items[0]->span), "idle(prev)");
	CHECK_TEXT("call name span", span_text(p, cpu->items[0]->call.name_span), "idle");
	CHECK_TEXT("call args span", span_text(p, cpu->items[0]->call.args->span), "(prev)");

	CHECK(d[7]->kind == DECL_DISPATCH && d[7]->dispatch.count == 3);
	CHECK_TEXT("tier span", span_text(p, d[7]->dispatch.tiers[1].span), "other");
	CHECK(d[7]->dispatch.tiers[2].queues->count == 1 &&
	      strcmp(d[7]->dispatch.tiers[2].queues->items[0]->name.name, "last") == 0);
	parsed_free(p);

	p = parse_text("policy p;\nclass c when task.weight in (1, 2) { }");
	const struct expr *when = p->ast->decls[1]->class_.when;
	CHECK(when->kind == EXPR_IN);
	CHECK_TEXT("field object span", span_text(p, when->in.subject->field.object_span), "task");
	CHECK_TEXT("field name span", span_text(p, when->in.subject->field.field_span), "weight");
	CHECK_TEXT("in list span", span_text(p, when->in.items->span), "(1, 2)");
	parsed_free(p);
}

/* Parses TEXT and checks its diagnostics, each rendered as "LINE:COL: MESSAGE [HINT]". */
static void check_errors(int line, const char *text, const char *expected)
{
	struct parsed *p = parse_text(text);
	char actual[4096] = "";
	size_t used = 0;
	for (int i = 0; i < p->sink.count && used < sizeof(actual); i++) {
		const struct diagnostic *d = &p->sink.items[i];
		int at_line, at_column;
		source_position(&p->sources, d->span.file, d->span.begin, &at_line, &at_column);
		used += (size_t)snprintf(actual + used, sizeof(actual) - used, "%s%d:%d: %s [%s]",
					 i ? "\n" : "", at_line, at_column, d->message,
					 d->hint ? d->hint : "");
	}
	check_text(__FILE__, line, text, actual, expected);
	parsed_free(p);
}
#define CHECK_ERRORS(text, expected) check_errors(__LINE__, (text), (expected))

static void test_syntax_errors(void)
{
	CHECK_ERRORS(
		"policy p;\nparam x = 4 }\n",
		"2:13: expected ';' or 'in', found '}' [a param is 'param NAME = VALUE;', with an "
		"optional ': TYPE' after the name and 'in LOW .. HIGH' after the value]");
	/* A forgotten ';' is reported right after the token it should follow. */
	CHECK_ERRORS("policy p\nqueue q: fifo;\n",
		     "1:9: missing ';' after identifier 'p' [every declaration ends with ';']");
	CHECK_ERRORS("policy p;\nclass c {\n    slice = 2ms\n    queue = q;\n}\n",
		     "3:16: missing ';' after duration '2ms' [every setting ends with ';']");
	/* Two mistakes in one file: both are reported, and nothing else. */
	CHECK_ERRORS(
		"policy p;\nqueue q fifo;\nparam = 3;\nclass c { queue = q; }\n",
		"2:9: expected ':', found identifier 'fifo' [a queue is 'queue NAME: KIND;' (fifo, "
		"vtime or deadline), with settings in braces if any: 'queue low: vtime { starvation = "
		"100ms; }']\n"
		"3:7: expected identifier, found '=' [a param is 'param NAME = VALUE;', with an "
		"optional ': TYPE' after the name and 'in LOW .. HIGH' after the value]");
	CHECK_ERRORS("policy p;\nclass c when nice = 0 { }\n",
		     "2:19: unexpected '=' [to compare two values write '==']");
	CHECK_ERRORS("policy p;\nparam s = 5 ms;\n",
		     "2:13: expected ';' or 'in', found identifier 'ms' "
		     "[write the unit right after the number, with no space: 5ms]");
	CHECK_ERRORS(
		"policy p;\nqueue in: fifo;\n",
		"2:7: expected identifier, found 'in' ['in' is a keyword, so it cannot be used as "
		"a name]");
	CHECK_ERRORS(
		"policy p;\nclass c when a < b < c { }\n",
		"2:14: comparisons cannot be chained [join two comparisons with 'and': a < b and "
		"b < c]");
	CHECK_ERRORS(
		"policy p;\ndispatch: a, b;\n",
		"2:14: expected 'then', found identifier 'b' [list the queues from the highest "
		"priority down, like this: dispatch: high, then low; (queues that share a tier go in "
		"parentheses with their shares: then (normal 3 : low 1))]");
	CHECK_ERRORS("policy p;\nclass c { 5; queue = q; }\n",
		     "2:11: expected '}', 'queue' or identifier, found integer '5' "
		     "[settings look like 'queue = main;' and 'slice = 5ms;']");
	CHECK_ERRORS("policy p;\nclass c {\n    queue = q;\nclass d { }\n",
		     "4:1: expected '}', 'queue' or identifier, found 'class' "
		     "[is the '}' that closes the class above missing?]");
	CHECK_ERRORS("policy p;\nqueue q: fifo;\nsetting = 3;\n",
		     "3:1: unexpected identifier 'setting' [a declaration starts with 'policy', "
		     "'import', 'param', 'queue', 'class', 'cpu' or 'dispatch']");
	CHECK_ERRORS("policy p;\ncpu: ;\n",
		     "2:6: expected an expression, found ';' [list the CPUs to try in order, like "
		     "this: cpu: idle(prev), idle(any), prev;]");
	CHECK_ERRORS(
		"policy p;\nparam x = 1.5ms;\n",
		"2:12: expected ';' or 'in', found '.' [numbers are whole: write 1.5ms as 1500us]");
	CHECK_ERRORS("policy p;\nparam x = 1;\nparam y = 2",
		     "3:12: missing ';' after integer '2' [every declaration ends with ';']");
}

static void test_lexical_errors(void)
{
	CHECK_ERRORS("policy p;\nparam x = 5h;\n",
		     "2:12: unknown unit 'h' [units are ns, us, ms and s, written right after the "
		     "number: 5ms]");
	CHECK_ERRORS(
		"policy p;\nparam x = 5msec;\n",
		"2:12: unknown unit 'msec' [units are ns, us, ms and s, written right after the "
		"number: 5ms]");
	CHECK_ERRORS(
		"policy p;\nparam x = 9223372036854775808;\n",
		"2:11: integer literal is too large [the largest integer is 9223372036854775807]");
	CHECK_ERRORS(
		"policy p;\nparam x = 9223372037s;\n",
		"2:11: duration is too large [durations are kept in nanoseconds; the longest is "
		"9223372036s (about 292 years)]");
	/* The unterminated string is the only complaint: the ';' it swallowed is not. */
	CHECK_ERRORS(
		"policy p;\nclass c when comm == \"abc { }\nqueue q: fifo;\n",
		"2:22: unterminated string [a string ends with '\"' on the line where it starts]");
	CHECK_ERRORS(
		"policy p;\nparam x = \"a\\qb\";\n",
		"2:13: unknown escape '\\q' in a string [the escapes are \\\" \\\\ \\n and \\t]");
	CHECK_ERRORS(
		"policy p;\nparam x = 1 @ 2;\n",
		"2:13: invalid character '@' [outside strings and comments a policy holds only "
		"names, numbers and the operators of the language]");
	CHECK_ERRORS("policy p;\nclass c when a && b { }\n",
		     "2:16: '&&' is not an operator here [write 'and']");
	CHECK_ERRORS("policy p;\nclass c when comm == 'x' { }\n",
		     "2:22: strings are written in double quotes [write \"x\"]");
	CHECK_ERRORS(
		"policy p;\nparam x = 1__0;\n",
		"2:11: misplaced '_' in a number ['_' may only stand between two digits, as in "
		"1_000_000]");
	CHECK_ERRORS(
		"policy p;\nparam x = 0x10;\n",
		"2:11: only decimal numbers are supported [write the number in decimal, with '_' "
		"between digit groups if it helps: 1_000_000]");
}

static char *capture(void (*print)(struct parsed *p, FILE *out), const char *text)
{
	struct parsed *p = parse_text(text);
	char *buffer = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&buffer, &size);
	print(p, out);
	fclose(out);
	parsed_free(p);
	return buffer;
}

static void print_tokens(struct parsed *p, FILE *out)
{
	dump_tokens(&p->sources, 0, &p->sink, out);
}

static void print_ast(struct parsed *p, FILE *out)
{
	ast_dump(p->ast, &p->sources, out);
}

static void test_dumps(void)
{
	char *tokens = capture(print_tokens, "policy p;\n  x = 5ms..\"s\" # c\n");
	CHECK_TEXT("tokens", tokens,
		   "1:1 POLICY 'policy'\n"
		   "1:8 IDENT 'p'\n"
		   "1:9 SEMI ';'\n"
		   "2:3 IDENT 'x'\n"
		   "2:5 ASSIGN '='\n"
		   "2:7 DURATION '5ms'\n"
		   "2:10 DOTDOT '..'\n"
		   "2:12 STRING '\"s\"'\n"
		   "3:1 EOF ''\n");
	free(tokens);

	char *tree = capture(print_ast, "policy p;\n"
					"param s = 5ms in 1ms .. 1s;\n"
					"queue q: fifo;\n"
					"class c when not kthread or comm ~ \"a\\n\" {\n"
					"  slice = -s * 2;\n"
					"  queue = q;\n"
					"}\n"
					"cpu: idle(prev), prev;\n"
					"dispatch: q;\n");
	CHECK_TEXT("ast", tree,
		   "policy p @1:1\n"
		   "param s @2:1\n"
		   "  value: duration 5ms @2:11\n"
		   "  low: duration 1ms @2:18\n"
		   "  high: duration 1s @2:25\n"
		   "queue q: fifo @3:1\n"
		   "class c @4:1\n"
		   "  when: or @4:14\n"
		   "    not @4:14\n"
		   "      name kthread @4:18\n"
		   "    ~ @4:29\n"
		   "      name comm @4:29\n"
		   "      string \"a\\n\" @4:36\n"
		   "  setting slice @5:3\n"
		   "    * @5:11\n"
		   "      neg @5:11\n"
		   "        name s @5:12\n"
		   "      int 2 @5:16\n"
		   "  setting queue @6:3\n"
		   "    name q @6:11\n"
		   "cpu @8:1\n"
		   "  call idle @8:6\n"
		   "    name prev @8:11\n"
		   "  name prev @8:18\n"
		   "dispatch @9:1\n"
		   "  tier @9:11\n"
		   "    name q @9:11\n");
	free(tree);
}

/* Every policy in examples/ parses with no diagnostics. */
static void test_examples(void)
{
	DIR *dir = opendir("examples");
	CHECK(dir != NULL);
	if (!dir)
		return;
	int parsed = 0;
	struct dirent *entry;
	while ((entry = readdir(dir))) {
		size_t length = strlen(entry->d_name);
		if (length < 6 || strcmp(entry->d_name + length - 6, ".sched") != 0)
			continue;
		char path[512];
		snprintf(path, sizeof(path), "examples/%s", entry->d_name);
		struct source_map sources = { 0 };
		struct diag_sink sink;
		diag_init(&sink, &sources);
		int file = source_load(&sources, path);
		CHECK(file >= 0);
		if (file >= 0) {
			struct ast *ast = parse_source(&sources, (uint32_t)file, &sink);
			if (sink.count != 0) {
				fprintf(stderr, "%s does not parse cleanly:\n", path);
				diag_render(&sink, stderr, DIAG_FORMAT_TEXT, false);
				failures++;
			}
			CHECK(ast->count > 0 && ast->decls[0]->kind == DECL_POLICY);
			ast_free(ast);
			parsed++;
		}
		diag_free(&sink);
		source_map_free(&sources);
	}
	closedir(dir);
	CHECK(parsed >= 3);
}

int main(void)
{
	test_precedence();
	test_literals();
	test_declarations_and_spans();
	test_syntax_errors();
	test_lexical_errors();
	test_dumps();
	test_examples();
	return checks_passed("test_parse");
}
