/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * parse.c — the front end's entry points: one source file in, an AST or a token listing out.
 *
 * Sets up the reentrant flex scanner over the file's bytes and runs the bison parser on it
 * (parse_source), or runs the scanner alone and prints each token with its position
 * (dump_tokens, for `scxc --emit=tokens`).  Problems go to the diagnostic sink.
 */
#include <limits.h>
#include <stdlib.h>

#include "parse.h"
#include "parser.h"
#include "lexer.h"
#include "checked.h"

/* The names --emit=tokens prints, one per token kind of parser.y. */
/* clang-format off */
#define TOKEN_LIST(X) \
	X(POLICY) X(IMPORT) X(PARAM) X(QUEUE) X(CLASS) X(WHEN) X(CPU) X(DISPATCH) X(THEN) \
	X(IN) X(AND) X(OR) X(NOT) X(TRUE) X(FALSE) \
	X(SEMI) X(COLON) X(COMMA) X(DOT) X(DOTDOT) X(LPAREN) X(RPAREN) X(LBRACE) X(RBRACE) \
	X(ASSIGN) X(PLUS) X(MINUS) X(STAR) X(SLASH) X(PERCENT) X(TILDE) \
	X(EQ) X(NE) X(LT) X(LE) X(GT) X(GE) \
	X(IDENT) X(INTEGER) X(DURATION) X(STRING)
/* clang-format on */

static const char *token_kind_name(int kind)
{
	switch (kind) {
#define X(token) \
	case token: return #token;
		TOKEN_LIST(X)
#undef X
	case YYEOF: return "EOF";
	}
	return "UNKNOWN";
}

/* A scanner reading FILE from memory; false (and a diagnostic) if it cannot be made. */
static bool start_scanner(const struct source_map *sources, uint32_t file, struct scan_state *scan,
			  yyscan_t *scanner, YY_BUFFER_STATE *buffer)
{
	const struct source_file *source = &sources->files[file];
	if (source->length > INT_MAX) {
		struct diagnostic *d =
			diag_error(scan->sink, DIAG_FILE_TOO_LARGE, ((struct span){ file, 0, 0 }),
				   "the file is too large to be a policy");
		diag_hint(d, "a policy file must be smaller than 2 GiB");
		return false;
	}
	if (yylex_init_extra(scan, scanner) != 0)
		checked(NULL);
	*buffer = yy_scan_bytes(source->text, (int)source->length, *scanner);
	return true;
}

static void stop_scanner(yyscan_t scanner, YY_BUFFER_STATE buffer)
{
	yy_delete_buffer(buffer, scanner);
	yylex_destroy(scanner);
}

struct ast *parse_source(const struct source_map *sources, uint32_t file, struct diag_sink *sink)
{
	struct ast *ast = checked(calloc(1, sizeof(*ast)));
	ast->file = file;
	struct scan_state scan = { .sink = sink, .file = file };
	yyscan_t scanner;
	YY_BUFFER_STATE buffer;
	if (!start_scanner(sources, file, &scan, &scanner, &buffer))
		return ast;
	struct parser parser = {
		.sources = sources,
		.sink = sink,
		.scan = &scan,
		.ast = ast,
		.pending_error = -1,
	};
	yyparse(scanner, &parser);
	stop_scanner(scanner, buffer);
	return ast;
}

void dump_tokens(const struct source_map *sources, uint32_t file, struct diag_sink *sink, FILE *out)
{
	struct scan_state scan = { .sink = sink, .file = file };
	yyscan_t scanner;
	YY_BUFFER_STATE buffer;
	if (!start_scanner(sources, file, &scan, &scanner, &buffer))
		return;
	const char *text = sources->files[file].text;
	int kind;
	do {
		YYSTYPE value;
		struct span span;
		kind = yylex(&value, &span, scanner);
		int line, column;
		source_position(sources, file, span.begin, &line, &column);
		fprintf(out, "%d:%d %s '%.*s'\n", line, column, token_kind_name(kind),
			(int)(span.end - span.begin), text + span.begin);
		if (kind == IDENT)
			free(value.text);
		else if (kind == STRING)
			free(value.string.text);
	} while (kind != YYEOF);
	stop_scanner(scanner, buffer);
}
