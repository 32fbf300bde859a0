/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * parse.h — the front end's entry points: source text in, tokens or an AST out.
 *
 * The lexer (lexer.l) and parser (parser.y) are pure and reentrant; errors go to the
 * diagnostic sink, and the parser recovers at ';' and '}' so one run reports several.
 */
#ifndef SCXC_PARSE_H
#define SCXC_PARSE_H

#include <stdio.h>

#include "ast.h"
#include "diag.h"

/* Parses FILE of SOURCES.  Always returns a tree (possibly partial); check the sink. */
struct ast *parse_source(const struct source_map *sources, uint32_t file, struct diag_sink *sink);

/* Prints one token per line, "LINE:COL KIND 'text'", for --emit=tokens. */
void dump_tokens(const struct source_map *sources, uint32_t file, struct diag_sink *sink,
		 FILE *out);

#endif
