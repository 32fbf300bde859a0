/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * parser.y — the grammar of .sched policies.
 *
 * Takes the lexer's tokens and makes the AST of compiler/ast.h, every node with the span of
 * the text it came from (spans are byte ranges; YYLLOC_DEFAULT joins them).  Syntax errors
 * name the tokens that could have come instead (bison's custom error reporting with LAC, so
 * the list is exact); the error rules then attach a hint for the construct being written
 * and resume at the next declaration or setting, so one run reports several mistakes.
 */
%define api.pure full
%define api.location.type {struct span}
%define parse.error custom
%define parse.lac full
/* Reduce without looking ahead only where nothing else can happen (after a declaration's
 * ';', after an error rule): errors then surface with the broken construct still on the
 * stack, so its own error rule recovers, and LAC checks every other reduction. */
%define lr.default-reduction consistent
%locations
%expect 0
%param {yyscan_t scanner}
%parse-param {struct parser *parser}

%code requires {
#include <stdbool.h>
#include <stdint.h>

#include "ast.h"
#include "diag.h"
#include "source.h"

#ifndef YY_TYPEDEF_YY_SCANNER_T
#define YY_TYPEDEF_YY_SCANNER_T
typedef void *yyscan_t;
#endif

/* What the lexer keeps between tokens (flex's "extra" data). */
struct scan_state {
	struct diag_sink *sink;
	uint32_t file;
	uint32_t offset;		/* where the next token starts */
	/* The last two tokens read (the parser's lookahead and the one before), for error
	 * messages; "bad" when the lexer reported an error while reading them. */
	struct span last, previous;
	int last_kind, previous_kind;
	bool last_bad, previous_bad;
	int errors_seen;		/* the sink's error count when the last token was read */
};

/* What the parser builds and reports into. */
struct parser {
	const struct source_map *sources;
	struct diag_sink *sink;
	struct scan_state *scan;
	struct ast *ast;
	int pending_error;		/* index in sink of a syntax error still without a hint, or -1 */
	bool pending_semicolon;		/* …and it looks like a forgotten ';' */
	bool unclosed_class;		/* a missing '}' was reported and the class is still open */
	bool error_silenced;		/* the last syntax error followed a lexical one: not reported */
};

struct number { int64_t value; enum unit unit; };
struct name { char *text; struct span span; };
struct range { struct expr *low, *high; };

/* A node's span runs from its first symbol to its last; an empty one sits where it would be. */
#define YYLLOC_DEFAULT(current, rhs, n) \
	do { \
		if (n) \
			(current) = span_join(YYRHSLOC(rhs, 1), YYRHSLOC(rhs, n)); \
		else \
			(current) = (struct span){ YYRHSLOC(rhs, 0).file, YYRHSLOC(rhs, 0).end, \
						   YYRHSLOC(rhs, 0).end }; \
	} while (0)
}

%code {
#include <stdlib.h>
#include <string.h>

#include "lexer.h"
#include "checked.h"
#include "words.h"

static void yyerror(const struct span *location, yyscan_t scanner, struct parser *parser,
		    const char *message);
static const char *declaration_hint(void);
static bool recover(struct parser *parser, int lookahead, bool in_class, const char *semicolon_hint,
		    const char *hint);
#include "parse_nodes.h"

/* Hints for the error rules: the first kind when a ';' seems to be missing, else the
 * shape of the construct that went wrong. */
#define DECLARATION_ENDS "every declaration ends with ';'"
#define SETTING_ENDS "every setting ends with ';'"
#define HINT_DECLARATION declaration_hint()
#define HINT_POLICY "the policy is named like this: policy fair; (or with settings: " \
	"policy fair { starvation = 100ms; })"
#define HINT_IMPORT "write 'import NAME;' or 'import \"path.sched\";'"
#define HINT_PARAM "a param is 'param NAME = VALUE;', with an optional ': TYPE' after the name " \
	"and 'in LOW .. HIGH' after the value"
#define HINT_QUEUE "a queue is 'queue NAME: KIND;' (fifo, vtime or deadline), with settings " \
	"in braces if any: 'queue low: vtime { starvation = 100ms; }'"
#define HINT_CLASS "a class is 'class NAME { ... }' or 'class NAME when CONDITION { ... }'"
#define HINT_SETTING "settings look like 'queue = main;' and 'slice = 5ms;'"
#define HINT_CPU "list the CPUs to try in order, like this: cpu: idle(prev), idle(any), prev;"
#define HINT_DISPATCH "list the queues from the highest priority down, like this: " \
	"dispatch: high, then low; (queues that share a tier go in parentheses with their shares: " \
	"then (normal 3 : low 1))"

/* For the error rules: hint, and resume reporting if recover() says so. */
#define RECOVER_DECLARATION(hint) \
	do { \
		if (recover(parser, yychar, false, DECLARATION_ENDS, (hint))) \
			yyerrok; \
	} while (0)
#define RECOVER_SETTING(hint) \
	do { \
		if (recover(parser, yychar, true, SETTING_ENDS, (hint))) \
			yyerrok; \
	} while (0)
}

%initial-action { @$ = (struct span){ parser->scan->file, 0, 0 }; }

%union {
	char *text;
	struct { char *text; size_t length; } string;
	struct number number;
	struct name name;
	struct range range;
	enum binary_op op;
	struct expr *expr;
	struct expr_list *list;
	struct setting setting;
	struct settings settings;
	struct dispatch_tier tier;
	struct decl *decl;
}

%destructor { free($$); } <text>
%destructor { free($$.text); } <string> <name>
%destructor { expr_free($$.low); expr_free($$.high); } <range>
%destructor { expr_free($$); } <expr>
%destructor { expr_list_free($$); } <list>
%destructor { free($$.key); expr_free($$.value); } <setting>
%destructor { settings_free(&$$); } <settings>
%destructor { expr_list_free($$.queues); expr_list_free($$.shares); } <tier>
%destructor { decl_free($$); } <decl>

/* The names in quotes are what error messages call the tokens; messages list expected
 * tokens in this order. */
%token SEMI "';'" COLON "':'" COMMA "','" DOT "'.'" DOTDOT "'..'"
       LPAREN "'('" RPAREN "')'" LBRACE "'{'" RBRACE "'}'" ASSIGN "'='"
       LBRACKET "'['" RBRACKET "']'"
       PLUS "'+'" MINUS "'-'" STAR "'*'" SLASH "'/'" PERCENT "'%'" TILDE "'~'"
       EQ "'=='" NE "'!='" LT "'<'" LE "'<='" GT "'>'" GE "'>='"
%token POLICY "'policy'" IMPORT "'import'" PARAM "'param'" QUEUE "'queue'" CLASS "'class'"
       WHEN "'when'" CPU "'cpu'" DISPATCH "'dispatch'" THEN "'then'" IN "'in'"
       AND "'and'" OR "'or'" NOT "'not'" TRUE "'true'" FALSE "'false'"
%token <text> IDENT "identifier"
%token <number> INTEGER "integer" DURATION "duration"
%token <string> STRING "string"

%type <decl> decl tiers
%type <settings> body settings
%type <name> param_type setting_key
%type <range> param_range
%type <setting> setting
%type <tier> tier
%type <list> cpu_steps arith_list call_args expr_list shares cpu_items cpu_list
%type <expr> cpu_item cpu_id
%type <expr> class_when expr conjunction negation comparison arith term unary primary operand
%type <expr> low_bound low_term low_unary
%type <op> compare

%%

file
	: %empty
	| decls
	;

/* Not empty itself, so the parser can recover from an error in the very first token. */
decls
	: decl				{ if ($1) ast_push(parser->ast, $1); }
	| decls decl			{ if ($2) ast_push(parser->ast, $2); }
	;

decl
	: POLICY IDENT SEMI		{ $$ = policy_decl($2, @2, (struct settings){ 0 }, @$); }
	| POLICY IDENT body		{ $$ = policy_decl($2, @2, $3, @$); }
	| IMPORT IDENT SEMI		{ $$ = import_decl($2, @2, @$); }
	| IMPORT STRING SEMI		{ $$ = import_decl($2.text, @2, @$); }
	| PARAM IDENT param_type ASSIGN arith param_range SEMI
					{ $$ = param_decl($2, @2, $3, $5, $6, @$); }
	| QUEUE IDENT COLON IDENT SEMI	{ $$ = queue_decl($2, @2, $4, @4, (struct settings){ 0 }, @$); }
	| QUEUE IDENT COLON IDENT body	{ $$ = queue_decl($2, @2, $4, @4, $5, @$); }
	| CLASS IDENT class_when body
		{
			$$ = decl_new(DECL_CLASS, @$);
			$$->class_.settings = $4;
			$$->class_.name = $2;
			$$->class_.name_span = @2;
			$$->class_.when = $3;
			$$->class_.span = @$;
		}
	| CPU COLON cpu_steps SEMI
		{
			$$ = decl_new(DECL_CPU, @$);
			$$->cpu = $3;
		}
	| DISPATCH COLON tiers SEMI	{ $$ = $3; $$->span = @$; }

	/* Recovery: a mistake skips to the next declaration (see recover() for where). */
	| error				{ $$ = NULL; RECOVER_DECLARATION(HINT_DECLARATION); }
	| error body			{ settings_free(&$2); $$ = NULL; RECOVER_DECLARATION(HINT_DECLARATION); }
	| POLICY error			{ $$ = NULL; RECOVER_DECLARATION(HINT_POLICY); }
	| IMPORT error			{ $$ = NULL; RECOVER_DECLARATION(HINT_IMPORT); }
	| PARAM error			{ $$ = NULL; RECOVER_DECLARATION(HINT_PARAM); }
	| QUEUE error			{ $$ = NULL; RECOVER_DECLARATION(HINT_QUEUE); }
	| CLASS error			{ $$ = NULL; RECOVER_DECLARATION(HINT_CLASS); }
	| CLASS error body		{ settings_free(&$3); $$ = NULL; RECOVER_DECLARATION(HINT_CLASS); }
	| CPU error			{ $$ = NULL; RECOVER_DECLARATION(HINT_CPU); }
	| DISPATCH error		{ $$ = NULL; RECOVER_DECLARATION(HINT_DISPATCH); }
	;

param_type
	: %empty			{ $$ = (struct name){ NULL, @$ }; }
	| COLON IDENT			{ $$ = (struct name){ $2, @2 }; }
	;

param_range
	: %empty			{ $$ = (struct range){ NULL, NULL }; }
	| IN arith DOTDOT arith		{ $$ = (struct range){ $2, $4 }; }
	;

class_when
	: %empty			{ $$ = NULL; }
	| WHEN expr			{ $$ = $2; }
	;

/* The body of a class, a queue or the policy: settings in braces. */
body
	: LBRACE RBRACE			{ $$ = (struct settings){ 0 }; parser->unclosed_class = false; }
	| LBRACE settings RBRACE	{ $$ = $2; parser->unclosed_class = false; }
	;

/* The body is built here, setting by setting; a broken setting is skipped. */
settings
	: setting			{ $$ = (struct settings){ 0 }; settings_add(&$$, $1); }
	| error				{ $$ = (struct settings){ 0 }; RECOVER_SETTING(HINT_SETTING); }
	| settings setting		{ $$ = $1; settings_add(&$$, $2); }
	| settings error		{ $$ = $1; RECOVER_SETTING(HINT_SETTING); }
	;

setting
	: setting_key ASSIGN expr SEMI	{ $$ = (struct setting){ $1.text, $1.span, $3, @$ }; }
	| setting_key SEMI		{ $$ = (struct setting){ $1.text, $1.span, NULL, @$ }; }
	;

setting_key
	: IDENT				{ $$ = (struct name){ $1, @1 }; }
	| QUEUE				{ $$ = (struct name){ checked(strdup("queue")), @1 }; }
	;

cpu_steps
	: expr				{ $$ = expr_list_new(); expr_list_push($$, $1); $$->span = @$; }
	| cpu_steps COMMA expr		{ $$ = $1; expr_list_push($$, $3); $$->span = @$; }
	;

/* Strict priority: each tier is tried only when the ones before it are empty. */
tiers
	: tier				{ $$ = decl_new(DECL_DISPATCH, @$); dispatch_add_tier($$, $1); }
	| tiers COMMA THEN tier		{ $$ = $1; dispatch_add_tier($$, $4); }
	| tiers THEN tier		{ $$ = $1; dispatch_add_tier($$, $3); }
	;

tier
	: IDENT				{ $$ = single_tier($1, @1); }
	| LPAREN shares RPAREN		{ $$ = share_group($2, @$); }
	;

/* A group that shares by ratio: (normal 3 : low 1).  Queue names and shares alternate. */
shares
	: IDENT INTEGER			{ $$ = expr_list_new(); add_share($$, $1, @1, $2, @2); }
	| shares COLON IDENT INTEGER	{ $$ = $1; add_share($$, $3, @3, $4, @4); }
	;

/* Expressions, loosest first.  Comparisons do not associate; param values and ranges use
 * `arith`, which is why `param x = 4 in 1 .. 16;` and `comm in (...)` do not collide. */
expr
	: expr OR conjunction		{ $$ = limit_depth(parser, binary(OP_OR, $1, $3, @$)); }
	| conjunction
	;

conjunction
	: conjunction AND negation	{ $$ = limit_depth(parser, binary(OP_AND, $1, $3, @$)); }
	| negation
	;

negation
	: NOT negation			{ $$ = limit_depth(parser, unary(OP_NOT, $2, @$)); }
	| comparison
	;

comparison
	: arith
	| arith compare arith		{ $$ = limit_depth(parser, binary($2, $1, $3, @$)); }
	| arith compare arith compare arith
		{
			struct expr *first = binary($2, $1, $3, span_join(@1, @3));
			$$ = limit_depth(parser, chained_comparison(parser, first, $5, @$));
		}
	| arith IN LPAREN arith_list RPAREN
		{
			$$ = expr_new(EXPR_IN, @$);
			$$->in.subject = $1;
			$$->in.items = $4;
			$$->in.items->span = span_join(@3, @5);
			$$ = limit_depth(parser, $$);
		}
	| arith IN low_bound DOTDOT arith { $$ = limit_depth(parser, range_test($1, $3, $5, @$)); }
	| arith TILDE STRING
		{
			$$ = expr_new(EXPR_MATCH, @$);
			$$->match.subject = $1;
			$$->match.pattern = expr_new(EXPR_STRING, @3);
			$$->match.pattern->string.text = $3.text;
			$$->match.pattern->string.length = $3.length;
			$$ = limit_depth(parser, $$);
		}
	;

compare
	: EQ				{ $$ = OP_EQ; }
	| NE				{ $$ = OP_NE; }
	| LT				{ $$ = OP_LT; }
	| LE				{ $$ = OP_LE; }
	| GT				{ $$ = OP_GT; }
	| GE				{ $$ = OP_GE; }
	;

arith_list
	: arith				{ $$ = expr_list_new(); expr_list_push($$, $1); }
	| arith_list COMMA arith	{ $$ = $1; expr_list_push($$, $3); }
	;

arith
	: arith PLUS term		{ $$ = limit_depth(parser, binary(OP_ADD, $1, $3, @$)); }
	| arith MINUS term		{ $$ = limit_depth(parser, binary(OP_SUB, $1, $3, @$)); }
	| term
	;

term
	: term STAR unary		{ $$ = limit_depth(parser, binary(OP_MUL, $1, $3, @$)); }
	| term SLASH unary		{ $$ = limit_depth(parser, binary(OP_DIV, $1, $3, @$)); }
	| term PERCENT unary		{ $$ = limit_depth(parser, binary(OP_MOD, $1, $3, @$)); }
	| unary
	;

unary
	: MINUS unary			{ $$ = limit_depth(parser, unary(OP_NEG, $2, @$)); }
	| primary
	;

/* A range's low bound is an `arith` that does not start with '(', which would open a list:
 * uid in 1000 .. 1999, pid in nr_cpus - 1 .. 100 */
low_bound
	: low_bound PLUS term		{ $$ = limit_depth(parser, binary(OP_ADD, $1, $3, @$)); }
	| low_bound MINUS term		{ $$ = limit_depth(parser, binary(OP_SUB, $1, $3, @$)); }
	| low_term
	;

low_term
	: low_term STAR unary		{ $$ = limit_depth(parser, binary(OP_MUL, $1, $3, @$)); }
	| low_term SLASH unary		{ $$ = limit_depth(parser, binary(OP_DIV, $1, $3, @$)); }
	| low_term PERCENT unary	{ $$ = limit_depth(parser, binary(OP_MOD, $1, $3, @$)); }
	| low_unary
	;

low_unary
	: MINUS unary			{ $$ = limit_depth(parser, unary(OP_NEG, $2, @$)); }
	| operand
	;

primary
	: operand
	| LPAREN expr RPAREN		{ $$ = $2; }
	;

operand
	: INTEGER			{ $$ = literal_int($1, @$); }
	| DURATION			{ $$ = literal_int($1, @$); }
	| STRING
		{
			$$ = expr_new(EXPR_STRING, @$);
			$$->string.text = $1.text;
			$$->string.length = $1.length;
		}
	| TRUE				{ $$ = expr_new(EXPR_BOOL, @$); $$->boolean = true; }
	| FALSE				{ $$ = expr_new(EXPR_BOOL, @$); $$->boolean = false; }
	| IDENT				{ $$ = name_expr($1, @$); }
	| IDENT DOT IDENT
		{
			$$ = expr_new(EXPR_FIELD, @$);
			$$->field.object = $1;
			$$->field.object_span = @1;
			$$->field.field = $3;
			$$->field.field_span = @3;
		}
	| IDENT LPAREN call_args RPAREN
		{
			$$ = expr_new(EXPR_CALL, @$);
			$$->call.name = $1;
			$$->call.name_span = @1;
			$$->call.args = $3;
			$$->call.args->span = span_join(@2, @4);
			$$ = limit_depth(parser, $$);
		}
	| LBRACKET cpu_items RBRACKET	{ $$ = cpuset_literal($2, @$); }
	;

/* A CPU set's items: CPU ids and ranges of them, [0-3, 6]; sema_cpusets.c checks them. */
cpu_items
	: %empty			{ $$ = expr_list_new(); }
	| cpu_list
	;

cpu_list
	: cpu_item			{ $$ = expr_list_new(); expr_list_push($$, $1); }
	| cpu_list COMMA cpu_item	{ $$ = $1; expr_list_push($$, $3); }
	;

cpu_item
	: cpu_id
	| cpu_id MINUS cpu_id		{ $$ = binary(OP_SUB, $1, $3, @$); }
	;

/* A duration is read too, so that sema can say a CPU has no unit. */
cpu_id
	: INTEGER			{ $$ = literal_int($1, @$); }
	| DURATION			{ $$ = literal_int($1, @$); }
	;

call_args
	: %empty			{ $$ = expr_list_new(); }
	| expr_list
	;

expr_list
	: expr				{ $$ = expr_list_new(); expr_list_push($$, $1); }
	| expr_list COMMA expr		{ $$ = $1; expr_list_push($$, $3); }
	;

%%

/* ---- syntax errors --------------------------------------------------------------------- */

#define MAX_LISTED 5

static bool is_keyword(yysymbol_kind_t kind)
{
	return kind >= YYSYMBOL_POLICY && kind <= YYSYMBOL_FALSE;
}

static bool expects(const yysymbol_kind_t *expected, int count, yysymbol_kind_t kind)
{
	for (int i = 0; i < count; i++)
		if (expected[i] == kind)
			return true;
	return false;
}

/* How a message names the token at SPAN: "'}'", "identifier 'x'", "end of file". */
static void describe_token(const struct parser *parser, yysymbol_kind_t kind, struct span span,
			   char *out, size_t size)
{
	const char *text = parser->sources->files[span.file].text + span.begin;
	int length = (int)(span.end - span.begin);
	const char *ellipsis = "";
	if (length > 40) {
		length = 37;
		ellipsis = "...";
	}
	switch (kind) {
	case YYSYMBOL_IDENT:
	case YYSYMBOL_INTEGER:
	case YYSYMBOL_DURATION:
		snprintf(out, size, "%s '%.*s%s'", yysymbol_name(kind), length, text, ellipsis);
		break;
	case YYSYMBOL_STRING:
		snprintf(out, size, "string %.*s%s", length, text, ellipsis);
		break;
	default:
		snprintf(out, size, "%s", yysymbol_name(kind));
	}
}

static bool starts_operand(yysymbol_kind_t kind)
{
	switch (kind) {
	case YYSYMBOL_IDENT: case YYSYMBOL_INTEGER: case YYSYMBOL_DURATION: case YYSYMBOL_STRING:
	case YYSYMBOL_TRUE: case YYSYMBOL_FALSE: case YYSYMBOL_LPAREN: case YYSYMBOL_MINUS:
	case YYSYMBOL_LBRACKET:
	case YYSYMBOL_NOT:
		return true;
	default:
		return false;
	}
}

static bool continues_operand(yysymbol_kind_t kind)
{
	switch (kind) {
	case YYSYMBOL_PLUS: case YYSYMBOL_MINUS: case YYSYMBOL_STAR: case YYSYMBOL_SLASH:
	case YYSYMBOL_PERCENT: case YYSYMBOL_EQ: case YYSYMBOL_NE: case YYSYMBOL_LT:
	case YYSYMBOL_LE: case YYSYMBOL_GT: case YYSYMBOL_GE: case YYSYMBOL_TILDE:
	case YYSYMBOL_AND: case YYSYMBOL_OR: case YYSYMBOL_DOT: case YYSYMBOL_LPAREN:
		return true;
	default:
		return false;
	}
}

/*
 * The names a message lists for the EXPECTED tokens.  The tokens that can start an
 * operand are summed up as "an expression"; after an operand, the operators that could
 * continue it are left out, so the list shows what would end it: "';' or 'in'".
 */
static int name_expected(const yysymbol_kind_t *expected, int count, const char **names)
{
	bool operand = expects(expected, count, YYSYMBOL_INTEGER);
	bool operator = expects(expected, count, YYSYMBOL_PLUS);
	int named = 0;
	if (operand)
		names[named++] = "an expression";
	for (int i = 0; i < count; i++) {
		if ((operand && starts_operand(expected[i])) ||
		    (operator && continues_operand(expected[i])))
			continue;
		names[named++] = yysymbol_name(expected[i]);
	}
	return named;
}

static bool is_unit_name(const struct parser *parser, struct span span)
{
	const char *text = parser->sources->files[span.file].text + span.begin;
	size_t length = span.end - span.begin;
	for (int unit = 1; unit <= UNIT_COUNT; unit++)
		if (strlen(unit_suffixes[unit]) == length && !memcmp(unit_suffixes[unit], text, length))
			return true;
	return false;
}

/* "a declaration starts with 'policy', …": the hint where a declaration should start, made once
 * from the keywords that start one. */
static const char *declaration_hint(void)
{
	static const yysymbol_kind_t starts[] = { YYSYMBOL_POLICY, YYSYMBOL_IMPORT, YYSYMBOL_PARAM,
						  YYSYMBOL_QUEUE,  YYSYMBOL_CLASS,  YYSYMBOL_CPU,
						  YYSYMBOL_DISPATCH };
	enum { COUNT = sizeof(starts) / sizeof(starts[0]) };
	static char hint[160];
	if (!hint[0]) {
		const char *names[COUNT];
		char listed[128];
		for (int i = 0; i < COUNT; i++)
			names[i] = yysymbol_name(starts[i]);
		snprintf(hint, sizeof(hint), "a declaration starts with %s",
			 join_words(listed, sizeof(listed), names, COUNT, "or", ""));
	}
	return hint;
}

/* The keyword among the EXPECTED tokens that the identifier at SPAN is likely a misspelling of
 * ("clas" → "class"), written into OUT; false if there is none. */
static bool misspelled_keyword(const struct parser *parser, const yysymbol_kind_t *expected,
			       int count, struct span span, char *out, size_t size)
{
	char word[32], spellings[YYNTOKENS][16];
	const char *keywords[YYNTOKENS];
	int keyword_count = 0;
	snprintf(word, sizeof(word), "%.*s", (int)(span.end - span.begin),
		 parser->sources->files[span.file].text + span.begin);
	for (int i = 0; i < count; i++) {
		if (!is_keyword(expected[i]))
			continue;
		/* Bison's name of a keyword token is the keyword in quotes: 'class'. */
		const char *quoted = yysymbol_name(expected[i]);
		snprintf(spellings[keyword_count], sizeof(spellings[0]), "%.*s",
			 (int)strlen(quoted) - 2, quoted + 1);
		keywords[keyword_count] = spellings[keyword_count];
		keyword_count++;
	}
	const char *suggestion = suggest_name(word, keywords, keyword_count);
	if (suggestion)
		snprintf(out, size, "%s", suggestion);
	return suggestion != NULL;
}

static int line_of(const struct parser *parser, struct span span, uint32_t offset)
{
	int line, column;
	source_position(parser->sources, span.file, offset, &line, &column);
	return line;
}

/* Whether the last token read is the first on its line. */
static bool starts_line(const struct parser *parser)
{
	const struct scan_state *scan = parser->scan;
	return scan->previous_kind == YYEOF ||
	       line_of(parser, scan->previous, scan->previous.end) <
		       line_of(parser, scan->last, scan->last.begin);
}

/*
 * Bison calls this at each syntax error (LAC has made the expected list exact).  The
 * message names what was expected (up to MAX_LISTED things, else just what was found);
 * a ';' missing at the end of a line is reported where it belongs.  Mistakes recognised
 * here get their hint now; the error rule that recovers adds one for the rest.  A token
 * the lexer already complained about gets no second complaint.
 */
static int yyreport_syntax_error(const yypcontext_t *context, yyscan_t scanner,
				 struct parser *parser)
{
	(void)scanner;
	const struct scan_state *scan = parser->scan;
	parser->pending_error = -1;
	parser->pending_semicolon = false;
	parser->error_silenced = scan->last_bad || scan->previous_bad;
	if (parser->error_silenced)
		return 0;

	yysymbol_kind_t expected[YYNTOKENS];
	int count = yypcontext_expected_tokens(context, expected, YYNTOKENS);
	if (count < 0)
		return count;
	yysymbol_kind_t found = yypcontext_token(context);
	struct span where = *yypcontext_location(context);
	bool has_before = scan->previous_kind != YYEOF;
	bool line_start = found == YYSYMBOL_YYEOF || starts_line(parser);
	bool semicolon = expects(expected, count, YYSYMBOL_SEMI);
	/* A declaration where a setting should be: the class above lacks its '}'.  Once said,
	 * the declarations that follow inside the open class are not reported again. */
	bool unclosed = is_keyword(found) && line_start && expects(expected, count, YYSYMBOL_RBRACE);
	if (unclosed && parser->unclosed_class)
		return 0;
	parser->unclosed_class = unclosed;

	/* "x = 1" in a condition: listing the tokens that end it would hide the '=='. */
	bool comparing = found == YYSYMBOL_ASSIGN && expects(expected, count, YYSYMBOL_EQ);
	const char *names[YYNTOKENS + 1];
	int named = comparing ? 0 : name_expected(expected, count, names);
	char found_text[80], expected_text[200], keyword[16];
	describe_token(parser, found, where, found_text, sizeof(found_text));
	join_words(expected_text, sizeof(expected_text), names, named, "or", "");

	int before_count = parser->sink->count;
	struct diagnostic *d;
	if (semicolon && line_start && has_before) {
		char before_text[80];
		describe_token(parser, YYTRANSLATE(scan->previous_kind), scan->previous, before_text,
			       sizeof(before_text));
		struct span after = { where.file, scan->previous.end, scan->previous.end };
		d = diag_error(parser->sink, DIAG_MISSING_SEMICOLON, after, "missing ';' after %s", before_text);
	} else if (named > 0 && named <= MAX_LISTED) {
		d = diag_error(parser->sink, DIAG_SYNTAX, where, "expected %s, found %s", expected_text, found_text);
	} else {
		d = diag_error(parser->sink, DIAG_SYNTAX, where, "unexpected %s", found_text);
	}

	const char *text = parser->sources->files[where.file].text;
	if (found == YYSYMBOL_IDENT && scan->previous_kind == INTEGER &&
	    scan->previous.end < where.begin && is_unit_name(parser, where)) {
		diag_hint(d, "write the unit right after the number, with no space: %.*s%.*s",
			  (int)(scan->previous.end - scan->previous.begin), text + scan->previous.begin,
			  (int)(where.end - where.begin), text + where.begin);
	} else if (expects(expected, count, YYSYMBOL_RPAREN) &&
		   (found == YYSYMBOL_SEMI || found == YYSYMBOL_LBRACE || found == YYSYMBOL_RBRACE)) {
		diag_hint(d, "is a ')' missing?");
	} else if (found == YYSYMBOL_DOT && scan->previous_kind == INTEGER &&
		   scan->previous.end == where.begin) {
		diag_hint(d, "numbers are whole: write 1.5ms as 1500us");
	} else if (comparing) {
		diag_hint(d, "to compare two values write '=='");
	} else if (unclosed) {
		diag_hint(d, "is the '}' that closes the class above missing?");
	} else if (is_keyword(found) && expects(expected, count, YYSYMBOL_IDENT)) {
		diag_hint(d, "%s is a keyword, so it cannot be used as a name", yysymbol_name(found));
	} else if (found == YYSYMBOL_IDENT &&
		   misspelled_keyword(parser, expected, count, where, keyword, sizeof(keyword))) {
		diag_hint(d, "did you mean '%s'?", keyword);
	} else if (expects(expected, count, YYSYMBOL_CLASS) && !semicolon) {
		/* Where a declaration may start (the error rule that recovers may belong to
		 * the declaration before, so the hint is given here). */
		diag_hint(d, "%s", HINT_DECLARATION);
	}

	parser->pending_error = parser->sink->count > before_count ? parser->sink->count - 1 : -1;
	parser->pending_semicolon = semicolon && (line_start || is_keyword(found));
	return 0;
}

/* Whether LOOKAHEAD is sure to be shifted once a broken declaration (or setting, when
 * IN_CLASS) has been reduced, so reporting can resume without looping on it. */
static bool starts_next(int lookahead, bool in_class)
{
	switch (lookahead) {
	case POLICY: case IMPORT: case PARAM: case CLASS: case CPU: case DISPATCH: case YYEOF:
		return !in_class;
	case IDENT: case RBRACE:
		return in_class;
	case QUEUE:
		return true;
	default:
		return false;
	}
}

/*
 * Called by the error rules once the parser has skipped the broken construct: gives the
 * syntax error just reported a hint about that construct, unless it has a better one.
 * Returns whether to report errors again at once (yyerrok).  Yes when the broken
 * construct was closed by its own '}' (no LOOKAHEAD read yet), or when parsing resumes
 * at the start of a line with a token that begins the next declaration or setting.  No
 * when it resumes in the middle of the broken line, or after a lexical error that may
 * have swallowed more than its line (an unterminated string): there bison's grace of
 * three tokens keeps one mistake from being reported twice.
 */
static bool recover(struct parser *parser, int lookahead, bool in_class, const char *semicolon_hint,
		    const char *hint)
{
	if (parser->pending_error >= 0) {
		struct diagnostic *d = &parser->sink->items[parser->pending_error];
		if (!d->hint)
			diag_hint(d, "%s", parser->pending_semicolon ? semicolon_hint : hint);
		parser->pending_error = -1;
	}
	bool silenced = parser->error_silenced;
	parser->error_silenced = false;
	if (lookahead == YYEMPTY)
		return true;
	return !silenced && starts_next(lookahead, in_class) && starts_line(parser);
}

/* Bison's own complaints: in custom mode only "memory exhausted", which means its stack
 * of nested constructs overflowed. */
static void yyerror(const struct span *location, yyscan_t scanner, struct parser *parser,
		    const char *message)
{
	(void)scanner, (void)message;
	struct diagnostic *d = diag_error(parser->sink, DIAG_TOO_DEEP, *location,
					  "nested too deeply (the parser holds %d levels)",
					  (int)YYMAXDEPTH);
	diag_hint(d, "simplify the expression, or split it into several params");
}
