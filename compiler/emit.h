/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * emit.h — what the parts of the emitter share (private to emit*.c).
 *
 * emit.c writes the file and its tables, emit_expr.c the expressions and the policy hooks,
 * emit_text.c the text they are made of: a growable string, comments lined up after code,
 * C string literals, `#line` marks and the quoting of policy text.
 */
#ifndef SCXC_EMIT_H
#define SCXC_EMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "ir.h"
#include "source.h"

/* Lines longer than this are wrapped (tabs count 8). */
#define LINE_WIDTH 100

struct emitter {
	const struct ir_policy *policy;
	const struct source_map *sources;
	FILE *out;
	uint32_t function_file; /* the source file of the hook being written */
};

/* A growable string, for pieces whose length decides the layout. */
struct text {
	char *data;
	size_t length, capacity;
};

/* Appends the N bytes at S to T. */
void text_add(struct text *t, const char *s, size_t n);
/* Appends the string S to T. */
void text_puts(struct text *t, const char *s);
/* Appends printf's text to T. */
__attribute__((format(printf, 2, 3))) void text_printf(struct text *t, const char *format, ...);
/* Takes the string out of T (the caller frees it); an empty text gives "". */
char *text_take(struct text *t);
/* Appends S as the body of a C string literal. */
void text_c_string(struct text *t, const char *s);

/* PATH without its directories. */
const char *base_name(const char *path);
/* Display width of S starting at column COLUMN (tabs advance to the next multiple of 8). */
size_t end_column(const char *s, size_t column);

/* The id of the policy's own file (not an imported module's). */
uint32_t policy_file(const struct emitter *e);
/* Whether SPAN was written in an imported module. */
bool from_module(const struct emitter *e, struct span span);
/* Writes `#line N "FILE"` for the line SPAN starts on, if SPAN lies in the hook's own file. */
void emit_line_mark(const struct emitter *e, struct span span);
/* Appends "fair.sched:14" for the line SPAN starts on. */
void text_location(struct text *t, const struct emitter *e, struct span span);
/* Appends the policy text SPAN covers, on one line. */
void text_quote(struct text *t, const struct emitter *e, struct span span);
/* Writes COMMENT as a comment on its own line, indented by INDENT. */
void emit_comment_line(const struct emitter *e, const char *indent, const char *comment);

/* Lines of code, each with a trailing comment (or none, if empty); the comments line up. */
struct commented_lines {
	char **code, **comment;
	int count;
};

/* Adds a line; takes CODE and COMMENT (texts the caller built). */
void lines_add(struct commented_lines *lines, struct text *code, struct text *comment);
/* Writes the lines, each comment starting at the first tab stop past the longest code. */
void lines_flush(const struct emitter *e, struct commented_lines *lines);

/* Writes `return VALUE;` at TABS tabs, broken after a call's commas if too long. */
void emit_return(const struct emitter *e, int tabs, const char *value, struct span from);

/* Appends the member of struct scxc_params that holds PARAM. */
void text_param_member(struct text *t, const struct ir_param *param);

/* Writes the policy hooks, each line under the `#line` of the policy line it comes from. */
void emit_hooks(const struct emitter *e);

/* emit_cgroups.c: the bit of a cgroup test (IR_CGROUP_EQ or IR_CGROUP_GLOB) among the policy's
 * distinct ones, in the order the classes hold them; their tables and the runtime that matches
 * them, for a policy with any (emitted before the hooks); and whether it has any. */
int cgroup_test_index(const struct ir_policy *policy, const struct ir_expr *test);
void emit_cgroup_tests(const struct emitter *e);
bool reads_cgroup(const struct ir_policy *policy);
/* CPU sets (emit_cpusets.c): how many params are sets; the params' bitmap member and its
 * initializer; the queues' tables; the description's `cpus` records. */
int emit_cpuset_param_count(const struct ir_policy *policy);
void emit_cpuset_member(const struct emitter *e);
void emit_cpuset_params(const struct emitter *e);
void emit_cpusets(const struct emitter *e);
void emit_cpuset_description(const struct emitter *e);

#endif
