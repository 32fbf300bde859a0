/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * fuzz_compiler.c — a libFuzzer target over the whole scxc front end.
 *
 * Takes arbitrary bytes as the text of one policy file and runs every stage the driver
 * runs before clang: tokens, parse, imports (no search directories), sema, lowering, then
 * the IR dump and the emitted C, and renders the diagnostics in both formats.  All output
 * goes to memory streams.  A crash, a sanitizer report or a leak is a finding; a
 * diagnostic is not.
 */
#define _DEFAULT_SOURCE /* open_memstream */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "diag.h"
#include "parse.h"
#include "stages.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static FILE *open_sink(char **buffer, size_t *length)
{
	FILE *out = open_memstream(buffer, length);
	if (!out)
		abort();
	return out;
}

static void compile_text(const uint8_t *data, size_t size, struct source_map *sources,
			 struct diag_sink *sink, FILE *out)
{
	int file = source_add(sources, "fuzz-input.sched", (const char *)data, size);
	struct diag_sink token_sink;
	diag_init(&token_sink, sources);
	dump_tokens(sources, (uint32_t)file, &token_sink, out);
	diag_free(&token_sink);

	struct ast *ast = parse_source(sources, (uint32_t)file, sink);
	if (!diag_has_errors(sink))
		ast_dump(ast, sources, out);
	struct search_path no_dirs = { NULL, 0 };
	struct ir_policy *policy = NULL;
	if (!diag_has_errors(sink) && resolve_imports(ast, sources, &no_dirs, sink) &&
	    sema_check(ast, sink)) {
		ast_dump(ast, sources, out);
		policy = lower_policy(ast, "fuzz-input.sched");
	}
	ast_free(ast);
	if (policy) {
		if (!diag_has_errors(sink)) {
			ir_dump(policy, out);
			emit_c(policy, sources, out);
		}
		ir_free(policy);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buffer = NULL;
	size_t length = 0;
	FILE *out = open_sink(&buffer, &length);
	struct source_map sources = { 0 };
	struct diag_sink sink;
	diag_init(&sink, &sources);
	compile_text(data, size, &sources, &sink, out);
	diag_render(&sink, out, DIAG_FORMAT_TEXT, false);
	diag_render(&sink, out, DIAG_FORMAT_JSON, true);
	diag_free(&sink);
	source_map_free(&sources);
	fclose(out);
	free(buffer);
	return 0;
}
