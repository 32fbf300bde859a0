/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * stages.h — the compiler's middle and back stages, in the order the driver runs them:
 *
 *   imports  AST of the main file → one AST with every `import` spliced in   (imports.c)
 *   sema     AST → the same AST, checked, annotated, constants folded  (sema_decl.c, sema_expr.c)
 *   lower    checked AST → IR tables with expression trees                   (lower.c)
 *   emit     IR → BPF C text                              (emit.c, emit_expr.c, emit_text.c)
 *   build    BPF C → BPF object, and optionally a skeleton header            (toolchain.c)
 *
 * The checking stages report problems to a diag_sink and return false when they found errors;
 * a checked tree lowers and emits without any.
 */
#ifndef SCXC_STAGES_H
#define SCXC_STAGES_H

#include <stdbool.h>
#include <stdio.h>

#include "ast.h"
#include "diag.h"
#include "ir.h"

struct search_path {
	const char *const *dirs; /* -I directories, then the stdlib directory */
	int count;
};

/* Replaces each `import NAME;` in AST by the declarations of NAME.sched, found in the
 * search path (and loaded into SOURCES).  Imported files may hold params, queues and
 * classes only.  Returns false on errors (missing file, cycle, forbidden declaration). */
bool resolve_imports(struct ast *ast, struct source_map *sources, const struct search_path *path,
		     struct diag_sink *sink);

/* Resolves names, checks types, units, ranges and the class rules; annotates AST. */
bool sema_check(struct ast *ast, struct diag_sink *sink);

/* Builds the IR from a checked AST, constants as sema folded them. */
struct ir_policy *lower_policy(const struct ast *ast, const char *source_path);

/* Writes the BPF C for POLICY; SOURCES supply the line numbers and policy text quoted in
 * comments.  Deterministic: the same IR gives the same bytes. */
void emit_c(const struct ir_policy *policy, const struct source_map *sources, FILE *out);

struct toolchain {
	const char *clang;	 /* path or name of clang (>= 16) */
	const char *bpftool;	 /* path or name of bpftool */
	const char *runtime_dir; /* directory that holds scxc/runtime.bpf.h */
	const char *source_dir;	 /* the policy's directory: debug info names it as the
					 * compilation directory, so BTF line info (and the
					 * verifier's log) can quote the policy's own lines */
};

/* Runs ARGV (ARGV[0] found in PATH), its stdout sent to OUTPUT_PATH when given; the tool's
 * own messages reach the user's terminal.  True when it exits with status 0; otherwise says
 * what failed, and HINT when it could not be started at all. */
bool run_tool(char *const argv[], const char *output_path, const char *hint);

/* Compiles C_PATH to OBJECT_PATH (clang -target bpf -g -O2).  On failure prints the
 * tool's own output and returns false. */
bool build_object(const struct toolchain *tools, const char *c_path, const char *object_path);
/* Runs `bpftool gen skeleton OBJECT name NAME > HEADER`. */
bool build_skeleton(const struct toolchain *tools, const char *object_path, const char *name,
		    const char *header_path);
/* Builds a standalone scheduler binary EXE_PATH with OBJECT_PATH built in: a skeleton of
 * the object compiled together with the loader library.  Prints the failure and returns
 * false if any tool fails. */
bool build_executable(const struct toolchain *tools, const char *object_path,
		      const char *policy_name, const char *exe_path);

#endif
