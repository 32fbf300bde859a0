/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * emit_text.c — the text the emitter is made of.
 *
 * Takes pieces of C and the source map; makes the layout the rest of the emitter shares: a
 * growable string for pieces whose length decides the layout, C string literals, `#line`
 * marks, the policy's own text quoted (with its file and line) in comments, code lines whose
 * trailing comments line up, `return` lines broken to fit, and the C names of params.  File
 * names appear without directories, so the output does not depend on where the policy was
 * compiled.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "checked.h"
#include "emit.h"

/* ---- Small text helpers ----------------------------------------------------------------- */

/* PATH without its directories. */
const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

void text_add(struct text *t, const char *s, size_t n)
{
	if (t->length + n + 1 > t->capacity) {
		t->capacity = (t->length + n + 1) * 2;
		t->data = checked(realloc(t->data, t->capacity));
	}
	memcpy(t->data + t->length, s, n);
	t->length += n;
	t->data[t->length] = '\0';
}

void text_puts(struct text *t, const char *s)
{
	text_add(t, s, strlen(s));
}

void text_printf(struct text *t, const char *format, ...)
{
	va_list args;
	char *s;
	int n;

	va_start(args, format);
	n = vsnprintf(NULL, 0, format, args);
	va_end(args);
	s = checked(malloc((size_t)n + 1));
	va_start(args, format);
	vsnprintf(s, (size_t)n + 1, format, args);
	va_end(args);
	text_add(t, s, (size_t)n);
	free(s);
}

/* Takes the string out of T (the caller frees it); an empty text gives "". */
char *text_take(struct text *t)
{
	char *s = t->data ? t->data : copy_text("", 0);

	t->data = NULL;
	t->length = t->capacity = 0;
	return s;
}

/* Appends S as the body of a C string literal. */
void text_c_string(struct text *t, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			text_printf(t, "\\%c", c);
		else if (c == '\n')
			text_puts(t, "\\n");
		else if (c == '\t')
			text_puts(t, "\\t");
		else if (c < 0x20 || c >= 0x7f)
			text_printf(t, "\\%03o", c);
		else
			text_add(t, (const char *)&c, 1);
	}
}

/* Display width of S starting at column COLUMN (tabs advance to the next multiple of 8). */
size_t end_column(const char *s, size_t column)
{
	for (; *s; s++)
		column = *s == '\t' ? (column / 8 + 1) * 8 : column + 1;
	return column;
}

/* ---- Source references ------------------------------------------------------------------ */

/* The id of the policy's own file (not an imported module's). */
uint32_t policy_file(const struct emitter *e)
{
	int i;

	for (i = 0; i < e->sources->count; i++)
		if (!strcmp(e->sources->files[i].path, e->policy->source_path))
			return (uint32_t)i;
	return 0;
}

/* Whether SPAN was written in an imported module. */
bool from_module(const struct emitter *e, struct span span)
{
	return (int)span.file < e->sources->count && span.file != policy_file(e);
}

/* Writes `#line N "FILE"` for the line SPAN starts on: the next line of C counts as that line of
 * the policy.  FILE has no directory, like every file name here; clang puts the policy's text
 * into BTF when it finds FILE in its debug compilation directory, and leaves it empty if not.
 * Writes nothing for a span outside the file of the hook being written: BTF would name the
 * hook's file with the other file's line number. */
void emit_line_mark(const struct emitter *e, struct span span)
{
	struct text name = { 0 };
	int line, column;
	char *quoted;

	if ((int)span.file >= e->sources->count || span.file != e->function_file)
		return;
	source_position(e->sources, span.file, span.begin, &line, &column);
	text_c_string(&name, base_name(e->sources->files[span.file].path));
	quoted = text_take(&name);
	fprintf(e->out, "#line %d \"%s\"\n", line, quoted);
	free(quoted);
}

/* "fair.sched:14" for the line SPAN starts on. */
void text_location(struct text *t, const struct emitter *e, struct span span)
{
	const struct source_file *file;
	int line, column;

	if ((int)span.file >= e->sources->count) {
		text_puts(t, base_name(e->policy->source_path));
		return;
	}
	file = &e->sources->files[span.file];
	source_position(e->sources, span.file, span.begin, &line, &column);
	text_printf(t, "%s:%d", base_name(file->path), line);
}

/* The policy text SPAN covers, on one line: runs of white space become one space. */
void text_quote(struct text *t, const struct emitter *e, struct span span)
{
	const struct source_file *file;
	bool space = false;
	uint32_t i;

	if ((int)span.file >= e->sources->count)
		return;
	file = &e->sources->files[span.file];
	for (i = span.begin; i < span.end && i < file->length; i++) {
		char c = file->text[i];

		if (isspace((unsigned char)c)) {
			space = true;
			continue;
		}
		if (space)
			text_puts(t, " ");
		space = false;
		text_add(t, &c, 1);
	}
}

/* Writes COMMENT as a comment and ends the line.  Quoted policy text can hold comment
 * delimiters (a glob such as kworker slash star): such a comment is written with //. */
static void write_comment(const struct emitter *e, const char *comment)
{
	if (strstr(comment, "*/") || strstr(comment, "/*"))
		fprintf(e->out, "// %s\n", comment);
	else
		fprintf(e->out, "/* %s */\n", comment);
}

/* Writes COMMENT as a comment on its own line, indented by INDENT. */
void emit_comment_line(const struct emitter *e, const char *indent, const char *comment)
{
	fputs(indent, e->out);
	write_comment(e, comment);
}

/* ---- Commented lines -------------------------------------------------------------------- */

/* Adds a line; takes CODE and COMMENT (texts the caller built). */
void lines_add(struct commented_lines *lines, struct text *code, struct text *comment)
{
	lines->code = checked(realloc(lines->code, sizeof(char *) * (size_t)(lines->count + 1)));
	lines->comment =
		checked(realloc(lines->comment, sizeof(char *) * (size_t)(lines->count + 1)));
	lines->code[lines->count] = text_take(code);
	lines->comment[lines->count] = text_take(comment);
	lines->count++;
}

/* Writes the lines, each comment starting at the first tab stop past the longest code. */
void lines_flush(const struct emitter *e, struct commented_lines *lines)
{
	size_t column = 0;
	int i;

	for (i = 0; i < lines->count; i++) {
		size_t end = (end_column(lines->code[i], 0) / 8 + 1) * 8;

		column = end > column ? end : column;
	}
	for (i = 0; i < lines->count; i++) {
		size_t at = end_column(lines->code[i], 0);

		fputs(lines->code[i], e->out);
		if (!lines->comment[i][0]) {
			fputc('\n', e->out);
			free(lines->code[i]);
			free(lines->comment[i]);
			continue;
		}
		while (at < column) {
			fputc('\t', e->out);
			at = (at / 8 + 1) * 8;
		}
		write_comment(e, lines->comment[i]);
		free(lines->code[i]);
		free(lines->comment[i]);
	}
	free(lines->code);
	free(lines->comment);
	*lines = (struct commented_lines){ 0 };
}

/* ---- Wrapped lines ---------------------------------------------------------------------- */

/* Ends the line, marks the next as line FROM of the policy, and indents it to COLUMN: tabs,
 * then spaces. */
static void continue_at(const struct emitter *e, struct span from, size_t column)
{
	size_t at;

	fputc('\n', e->out);
	emit_line_mark(e, from);
	for (at = 0; at + 8 <= column; at += 8)
		fputc('\t', e->out);
	for (; at < column; at++)
		fputc(' ', e->out);
}

/* Writes `return VALUE;` on a line indented by TABS tabs, of which the caller has written all
 * but the last.  A line too long whose VALUE is one call is broken after the commas between
 * the call's arguments, each continuation lined up under the first argument and marked as
 * line FROM of the policy. */
void emit_return(const struct emitter *e, int tabs, const char *value, struct span from)
{
	size_t start = (size_t)tabs * 8 + strlen("return "), align, column, i, piece;
	const char *open = strchr(value, '('), *space = strchr(value, ' ');
	bool quoted = false;
	int depth = 0;

	fputs("\treturn ", e->out);
	if (end_column(value, start) + 1 <= LINE_WIDTH || !open || (space && space < open) ||
	    value[strlen(value) - 1] != ')') {
		fprintf(e->out, "%s;\n", value);
		return;
	}
	align = start + (size_t)(open - value) + 1;
	column = start;
	piece = 0;
	for (i = 0; value[i]; i++) {
		char c = value[i];

		if (c == '"' && i > 0 && value[i - 1] != '\\')
			quoted = !quoted;
		if (quoted)
			continue;
		depth += c == '(' ? 1 : c == ')' ? -1 : 0;
		if (depth != 1 || c != ',')
			continue;
		if (piece && column + (i + 1 - piece) > LINE_WIDTH) {
			continue_at(e, from, align);
			column = align;
			piece += value[piece] == ' ';
		}
		fwrite(value + piece, 1, i + 1 - piece, e->out);
		column += i + 1 - piece;
		piece = i + 1;
	}
	if (column + strlen(value + piece) + 1 > LINE_WIDTH) {
		continue_at(e, from, align);
		piece += value[piece] == ' ';
	}
	fprintf(e->out, "%s;\n", value + piece);
}

/* ---- Names ------------------------------------------------------------------------------ */

/* Words a param cannot be called in C: keywords, and the runtime's type and value names. */
static bool reserved_in_c(const char *name)
{
	static const char *const words[] = {
		"auto",	    "bool",	"break",  "case",   "char",   "const",	"continue",
		"default",  "do",	"double", "else",   "enum",   "extern", "false",
		"float",    "for",	"goto",	  "if",	    "inline", "int",	"long",
		"register", "restrict", "return", "s16",    "s32",    "s64",	"s8",
		"short",    "signed",	"sizeof", "static", "struct", "switch", "true",
		"typedef",  "u16",	"u32",	  "u64",    "u8",     "union",	"unsigned",
		"void",	    "volatile", "while",  "NULL",
	};
	size_t i;

	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (!strcmp(name, words[i]))
			return true;
	return name[0] == '_';
}

/* The member of struct scxc_params that holds PARAM: its name, with `_` added if C reserves it. */
void text_param_member(struct text *t, const struct ir_param *param)
{
	text_puts(t, param->name);
	if (reserved_in_c(param->name))
		text_puts(t, "_");
}
