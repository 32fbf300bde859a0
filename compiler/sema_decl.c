/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * sema_decl.c — checks a parsed policy's declarations and annotates its tree (sema_check).
 *
 * Takes the AST with imports already spliced in.  It collects the names of params, queues
 * and classes into one namespace, checks each declaration (expressions through check_expr
 * of sema_expr.c) and the rules between them: one policy name first, unique names, param
 * defaults and ranges that are constants of the param's type, known class settings with
 * values of the right type and range, a catch-all class last, every queue dispatched, a CPU
 * chain without unreachable steps.  For a `cpu:` step, sema stores its enum cpu_step in the
 * step's ref_index.  Problems are reported to the sink, each with a hint or a note where one
 * helps; checking goes on after an error so one run reports as much as it can.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "checked.h"
#include "words.h"
#include "sema.h"
#include "stages.h"

#define MAX_POLICY_NAME 100

static const char *const symbol_kind_names[] = { "param", "queue", "class" };

/* policy NAME; must come first, exactly once. */
static void check_policy(struct checker *c)
{
	const struct decl *policy = NULL;
	for (int i = 0; i < c->ast->count; i++) {
		struct decl *decl = c->ast->decls[i];
		if (decl->kind != DECL_POLICY)
			continue;
		if (policy) {
			struct diagnostic *d =
				diag_error(c->sink, DIAG_DUPLICATE_POLICY, decl->span,
					   "a second policy declaration");
			diag_note(d, policy->span, "the policy is already named here");
			continue;
		}
		policy = decl;
		const struct setting *seen[POLICY_SETTING_COUNT];
		check_settings(c, &policy_settings, decl->policy.name, &decl->policy.settings,
			       seen);
		if (i != 0) {
			struct diagnostic *d =
				diag_error(c->sink, DIAG_POLICY_NOT_FIRST, decl->span,
					   "the policy declaration must come first");
			diag_note(d, c->ast->decls[0]->span, "this declaration comes before it");
		}
		if (strlen(decl->policy.name) > MAX_POLICY_NAME)
			diag_error(c->sink, DIAG_POLICY_NAME_TOO_LONG, decl->policy.name_span,
				   "the policy name is %zu characters long; at most %d are allowed",
				   strlen(decl->policy.name), MAX_POLICY_NAME);
	}
	if (!policy) {
		struct span start = { c->ast->file, 0, 0 };
		struct diagnostic *d = diag_error(c->sink, DIAG_MISSING_POLICY, start,
						  "missing policy declaration");
		diag_hint(d, "start the file with `policy NAME;`, e.g. policy fair;");
	}
}

static void add_symbol(struct checker *c, const char *name, struct span span, enum symbol_kind kind,
		       int index)
{
	const struct symbol *previous = find_symbol(c, name);
	if (previous) {
		struct diagnostic *d = diag_error(c->sink, DIAG_DUPLICATE_NAME, span,
						  "'%s' is already defined", name);
		diag_note(d, previous->span, "first defined here, as a %s",
			  symbol_kind_names[previous->kind]);
		return;
	}
	bool field = word_index(task_field_names, TASK_FIELD_COUNT, name) >= 0 ||
		     strcmp(name, "task") == 0;
	if (field || word_index(builtin_value_names, BUILTIN_VALUE_COUNT, name) >= 0) {
		struct diagnostic *d =
			diag_error(c->sink, DIAG_RESERVED_NAME, span,
				   field ? "'%s' is the name of a task field; a %s cannot use it"
					 : "'%s' is a builtin value; a %s cannot use its name",
				   name, symbol_kind_names[kind]);
		diag_hint(d, "choose another name");
		return;
	}
	c->symbols[c->symbol_count++] = (struct symbol){ name, kind, index, span };
}

static void collect_symbols(struct checker *c)
{
	struct ast *ast = c->ast;
	c->symbols = checked(calloc((size_t)ast->count + 1, sizeof(*c->symbols)));
	c->params = checked(calloc((size_t)ast->count + 1, sizeof(*c->params)));
	c->queues = checked(calloc((size_t)ast->count + 1, sizeof(*c->queues)));
	const char **queue_names = checked(calloc((size_t)ast->count + 1, sizeof(char *)));
	int classes = 0;
	for (int i = 0; i < ast->count; i++) {
		struct decl *decl = ast->decls[i];
		switch (decl->kind) {
		case DECL_PARAM:
			add_symbol(c, decl->param.name, decl->param.name_span, SYMBOL_PARAM,
				   c->param_count);
			decl->param.type = TYPE_UNKNOWN;
			c->params[c->param_count++] = &decl->param;
			break;
		case DECL_QUEUE:
			add_symbol(c, decl->queue.name, decl->queue.name_span, SYMBOL_QUEUE,
				   c->queue_count);
			queue_names[c->queue_count] = decl->queue.name;
			c->queues[c->queue_count++] = &decl->queue;
			break;
		case DECL_CLASS:
			add_symbol(c, decl->class_.name, decl->class_.name_span, SYMBOL_CLASS,
				   classes++);
			break;
		case DECL_IMPORT:
			diag_error(c->sink, DIAG_UNRESOLVED_IMPORT, decl->span,
				   "import '%s' was not resolved", decl->import.name);
			break;
		case DECL_POLICY:
		case DECL_CPU:
		case DECL_DISPATCH: break;
		}
	}
	c->queue_names = queue_names;
}

/* Checks a constant part of a param (default or range bound) against the param's type. */
static struct checked check_param_constant(struct checker *c, struct param_decl *param,
					   struct expr *expr, const char *role)
{
	struct checked value = check_expr(c, expr);
	if (value.type == TYPE_UNKNOWN || param->type == TYPE_UNKNOWN)
		return unknown_result;
	if (value.type != param->type) {
		struct diagnostic *d = diag_error(c->sink, DIAG_PARAM_TYPE_MISMATCH, expr->span,
						  "param '%s' is %s but its %s is %s", param->name,
						  a_type(param->type), role, a_type(value.type));
		if (param->type == TYPE_DURATION && value.type == TYPE_INT)
			hint_add_unit(d, expr, "give it a unit");
		return unknown_result;
	}
	if (!value.constant) /* an overflow, already reported */
		return unknown_result;
	if (value.type == TYPE_DURATION && value.value < 0) {
		char text[IR_VALUE_TEXT_MAX];
		diag_error(c->sink, DIAG_NEGATIVE_DURATION, expr->span,
			   "the %s of param '%s' is %s, but durations cannot "
			   "be negative",
			   role, param->name, ir_format_value(value.type, value.value, text));
		return unknown_result;
	}
	return value;
}

static void check_param(struct checker *c, struct param_decl *param)
{
	char context[160];
	snprintf(context, sizeof(context), "the default of param '%s'", param->name);
	c->constant_context = context;
	c->cpuset_allowed = true;
	struct checked value = check_expr(c, param->value);

	enum type declared = TYPE_UNKNOWN;
	if (param->type_name) {
		const char *type_names[PARAM_TYPE_COUNT];
		for (int i = 0; i < PARAM_TYPE_COUNT; i++)
			type_names[i] = type_name(param_types[i].type);
		int found = word_index(type_names, PARAM_TYPE_COUNT, param->type_name);
		if (found >= 0) {
			declared = param_types[found].type;
		} else {
			struct diagnostic *d =
				diag_error(c->sink, DIAG_UNKNOWN_TYPE, param->type_span,
					   "unknown type '%s'", param->type_name);
			diag_hint_name(d, param->type_name, type_names, PARAM_TYPE_COUNT,
				       "param types are", NULL);
		}
	}

	if (value.type == TYPE_STRING) {
		diag_error(c->sink, DIAG_STRING_PARAM, param->value->span,
			   "a param cannot be a string");
		value = unknown_result;
	}
	if (declared != TYPE_UNKNOWN && value.type != TYPE_UNKNOWN && declared != value.type) {
		char text[IR_VALUE_TEXT_MAX];
		const char *shown = value.constant && value.type != TYPE_CPUSET
					    ? ir_format_value(value.type, value.value, text)
					    : "value";
		struct diagnostic *d;
		if (declared == TYPE_DURATION && value.type == TYPE_INT) {
			d = diag_error(c->sink, DIAG_MISSING_UNIT, param->value->span,
				       "param '%s' is a duration but its default %s has no unit",
				       param->name, shown);
			if (value.constant)
				diag_hint(d, "write %" PRId64 "ms", value.value);
			else
				diag_hint(d, "give it a unit, e.g. multiply it by 1ms");
		} else {
			d = diag_error(c->sink, DIAG_PARAM_TYPE_MISMATCH, param->value->span,
				       "param '%s' is declared %s but its default %s is %s",
				       param->name, type_name(declared), shown, a_type(value.type));
		}
		diag_note(d, param->type_span, "declared %s here", type_name(declared));
		value = unknown_result;
	}
	param->type = declared != TYPE_UNKNOWN ? declared : value.type;
	if (param->type == TYPE_UNKNOWN)
		goto done;
	if (value.type != TYPE_UNKNOWN) {
		param->value->type = value.type;
		if (value.type == TYPE_DURATION && value.constant && value.value < 0) {
			char text[IR_VALUE_TEXT_MAX];
			diag_error(c->sink, DIAG_NEGATIVE_DURATION, param->value->span,
				   "the default of param '%s' is %s, but "
				   "durations cannot be negative",
				   param->name, ir_format_value(value.type, value.value, text));
			value = unknown_result;
		}
	}
	if (!param->low)
		goto done;

	struct span range = span_join(param->low->span, param->high->span);
	if (param->type == TYPE_BOOL || param->type == TYPE_CPUSET) {
		struct diagnostic *d = diag_error(c->sink, DIAG_BOOL_RANGE, range,
						  "%s param '%s' cannot have a range",
						  type_name(param->type), param->name);
		diag_hint(d, "%s",
			  param->type == TYPE_BOOL ? "a bool is always false or true"
						   : "a CPU set is any set of CPUs");
		goto done;
	}
	snprintf(context, sizeof(context), "the range of param '%s'", param->name);
	struct checked low = check_param_constant(c, param, param->low, "lower bound");
	struct checked high = check_param_constant(c, param, param->high, "upper bound");
	if (!low.constant || !high.constant)
		goto done;
	char low_text[IR_VALUE_TEXT_MAX], high_text[IR_VALUE_TEXT_MAX], text[IR_VALUE_TEXT_MAX];
	ir_format_value(param->type, low.value, low_text);
	ir_format_value(param->type, high.value, high_text);
	if (low.value > high.value) {
		struct diagnostic *d =
			diag_error(c->sink, DIAG_EMPTY_RANGE, range,
				   "the range of param '%s' is empty: %s is above %s", param->name,
				   low_text, high_text);
		diag_hint(d, "write the lower bound first: %s .. %s", high_text, low_text);
	} else if (value.constant && (value.value < low.value || value.value > high.value)) {
		struct diagnostic *d =
			diag_error(c->sink, DIAG_DEFAULT_OUT_OF_RANGE, param->value->span,
				   "the default %s of param '%s' is outside its range %s .. %s",
				   ir_format_value(param->type, value.value, text), param->name,
				   low_text, high_text);
		diag_note(d, range, "the range is given here");
	}
done:
	c->constant_context = NULL;
}

static void check_queue(struct checker *c, struct queue_decl *queue)
{
	const struct setting *seen[QUEUE_SETTING_COUNT];
	check_settings(c, &queue_settings, queue->name, &queue->settings, seen);
	check_queue_cpus(c, queue, seen);
	if (queue_kind_of(queue->kind) >= 0)
		return;
	struct diagnostic *d = diag_error(c->sink, DIAG_UNKNOWN_QUEUE_KIND, queue->kind_span,
					  "unknown queue kind '%s'", queue->kind);
	diag_hint_name(d, queue->kind, queue_kind_names, SCXC_NR_QUEUE_KINDS, "queue kinds are",
		       queue_kind_meanings);
}

/* The queue a checked class feeds (the only one when it names none), or NULL. */
static const struct queue_decl *queue_of_class(const struct checker *c,
					       const struct setting *queue_setting)
{
	if (!queue_setting)
		return c->queue_count == 1 ? c->queues[0] : NULL;
	if (!queue_setting->value || queue_setting->value->ref != REF_QUEUE)
		return NULL;
	return c->queues[queue_setting->value->ref_index];
}

/* A class of a deadline queue says what its tasks' deadlines are: a deadline, or a period. */
static void check_class_deadline(struct checker *c, const struct class_decl *class_,
				 const struct setting *const *seen)
{
	const struct queue_decl *queue = queue_of_class(c, seen[SETTING_QUEUE]);
	if (!queue || queue_kind_of(queue->kind) != SCXC_QUEUE_DEADLINE || seen[SETTING_DEADLINE] ||
	    seen[SETTING_PERIOD])
		return;
	struct diagnostic *d = diag_error(
		c->sink, DIAG_MISSING_DEADLINE, class_->name_span,
		"class '%s' feeds the deadline queue '%s' but gives its tasks no deadline",
		class_->name, queue->name);
	diag_note(d, queue->name_span, "'%s' orders its tasks by deadline", queue->name);
	diag_hint(d, "add e.g. `deadline = 16ms;` (from each wake-up) or `period = 16ms;`");
}

static void check_class(struct checker *c, struct class_decl *class_, int ordinal)
{
	if (class_->when) {
		struct checked when = check_expr(c, class_->when);
		c->always_matches[ordinal] = when.type == TYPE_BOOL && when.constant && when.value;
		if (when.type == TYPE_BOOL && when.constant && !when.value) {
			diag_warn(
				c->sink, WARN_NEVER_MATCHES, class_->when->span,
				"the condition of class '%s' is always false, so it never matches",
				class_->name);
		} else if (when.type == TYPE_STRING) {
			report_string_misuse(c, class_->when);
		} else if (when.type != TYPE_BOOL && when.type != TYPE_UNKNOWN) {
			struct diagnostic *d = diag_error(
				c->sink, DIAG_CONDITION_NOT_BOOL, class_->when->span,
				"the condition of class '%s' must be a bool, but this is %s",
				class_->name, a_type(when.type));
			if (is_number(when.type))
				diag_hint(d, "compare it, e.g. nice > 0");
		}
	}

	const struct setting *seen[CLASS_SETTING_COUNT];
	check_settings(c, &class_settings, class_->name, &class_->settings, seen);
	if (!seen[SETTING_QUEUE] && c->queue_count > 1) {
		struct diagnostic *d = diag_error(
			c->sink, DIAG_MISSING_QUEUE_SETTING, class_->name_span,
			"class '%s' does not say which queue its tasks go to", class_->name);
		diag_hint(d, "the policy has %d queues; add e.g. `queue = %s;`", c->queue_count,
			  c->queues[0]->name);
	}
	check_class_deadline(c, class_, seen);
}

/* The catch-all class (no `when`) is required and must be the last class; nothing may follow
 * it, nor a class whose condition is always true. */
static void check_class_order(struct checker *c, const struct decl *policy)
{
	const struct class_decl *taker = NULL, *last = NULL;
	bool has_catch_all = false;
	for (int i = 0, ordinal = 0; i < c->ast->count; i++) {
		const struct decl *decl = c->ast->decls[i];
		if (decl->kind != DECL_CLASS)
			continue;
		const struct class_decl *class_ = &decl->class_;
		has_catch_all = has_catch_all || !class_->when;
		last = class_;
		if (taker) {
			struct diagnostic *d =
				diag_error(c->sink, DIAG_UNREACHABLE_CLASS, class_->name_span,
					   "class '%s' can never match", class_->name);
			diag_note(
				d, taker->name_span,
				taker->when
					? "the condition of class '%s' before it is always true"
					: "class '%s' before it has no `when`, so it takes every task",
				taker->name);
			continue;
		}
		if (!class_->when || c->always_matches[ordinal])
			taker = class_;
		ordinal++;
	}
	if (has_catch_all)
		return;
	struct span where = last     ? last->name_span
			    : policy ? policy->policy.name_span
				     : (struct span){ c->ast->file, 0, 0 };
	struct diagnostic *d =
		last ? diag_error(c->sink, DIAG_MISSING_CATCH_ALL, where,
				  "no class matches every task: the last class '%s' has a "
				  "`when`",
				  last->name)
		     : diag_error(c->sink, DIAG_NO_CLASS, where, "the policy has no class");
	diag_hint(d, "end with a catch-all class without `when`, e.g. class rest { queue = %s; }",
		  c->queue_count ? c->queues[c->queue_count - 1]->name : "main");
}

/* The text of a CPU step as written, for messages and for matching cpu_step_names. */
static void cpu_step_text(const struct expr *step, char *out, size_t size)
{
	if (step->kind == EXPR_NAME)
		snprintf(out, size, "%s", step->name.name);
	else if (step->kind == EXPR_CALL && step->call.args->count == 1 &&
		 step->call.args->items[0]->kind == EXPR_NAME)
		snprintf(out, size, "%s(%s)", step->call.name,
			 step->call.args->items[0]->name.name);
	else if (step->kind == EXPR_CALL)
		snprintf(out, size, "%s(...)", step->call.name);
	else
		snprintf(out, size, "?");
}

/*
 * The step a misspelt TEXT most likely means when it names a step by another word: `llc` for
 * `idle(llc)`, `idle(cache)` or `idle(l3)` for `idle(llc)`, `idle(smt)` for `idle(core)`,
 * `idle(numa)` or `idle(socket)` for `idle(node)`; -1 if none.  Spelling distance alone would
 * take `idle(cache)` for `idle(core)`.
 */
static int cpu_step_by_other_word(const char *text)
{
	static const struct {
		const char *word;
		const char *step;
	} words[] = {
		{ "cache", "idle(llc)" }, { "l3", "idle(llc)" },       { "l2", "idle(llc)" },
		{ "smt", "idle(core)" },  { "sibling", "idle(core)" }, { "thread", "idle(core)" },
		{ "numa", "idle(node)" }, { "socket", "idle(node)" },  { "package", "idle(node)" },
		{ "last", "idle(prev)" }, { "cpu", "idle(any)" },
	};
	char inner[128], bare[140];
	if (sscanf(text, "idle(%127[^)])", inner) != 1) {
		snprintf(bare, sizeof(bare), "idle(%s)", text);
		return cpu_step_of(bare);
	}
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strncmp(inner, words[i].word, strlen(words[i].word)) == 0)
			return cpu_step_of(words[i].step);
	return -1;
}

static void check_cpu(struct checker *c, struct expr_list *steps)
{
	enum { step_count = SCXC_NR_CPU_STEP_KINDS };
	const struct expr *seen[step_count] = { NULL };
	const struct expr *final = NULL, *any = NULL;
	for (int i = 0; i < steps->count; i++) {
		struct expr *step = steps->items[i];
		char text[128];
		cpu_step_text(step, text, sizeof(text));
		int kind = cpu_step_of(text);
		if (kind < 0) {
			struct diagnostic *d =
				diag_error(c->sink, DIAG_UNKNOWN_CPU_STEP, step->span,
					   "unknown CPU selection step '%s'", text);
			int meant = cpu_step_by_other_word(text);
			if (meant >= 0)
				diag_hint(d, "did you mean '%s'?", cpu_step_names[meant]);
			else
				diag_hint_name(d, text, cpu_step_names, step_count, "the steps are",
					       NULL);
			continue;
		}
		step->ref_index = kind;
		if (seen[kind]) {
			struct diagnostic *d =
				diag_error(c->sink, DIAG_DUPLICATE_CPU_STEP, step->span,
					   "CPU step '%s' appears twice", text);
			diag_note(d, seen[kind]->span, "first here");
			continue;
		}
		seen[kind] = step;
		if (final) {
			struct diagnostic *d =
				diag_error(c->sink, DIAG_UNREACHABLE_CPU_STEP, step->span,
					   "CPU step '%s' can never be reached", text);
			diag_note(d, final->span, "'prev' always yields a CPU");
			continue;
		}
		switch ((enum scxc_cpu_step)kind) {
		case SCXC_CPU_PREV: final = step; break;
		case SCXC_CPU_IDLE_ANY: any = step; break;
		case SCXC_CPU_IDLE_PREV:
		case SCXC_CPU_IDLE_CORE:
		case SCXC_CPU_IDLE_LLC:
		case SCXC_CPU_IDLE_NODE:
			/* Each looks among the task's CPUs for an idle one, as idle(any) does. */
			if (any) {
				struct diagnostic *d = diag_warn(
					c->sink, WARN_IDLE_AFTER_ANY, step->span,
					"CPU step '%s' after 'idle(any)' never finds a CPU", text);
				diag_note(
					d, any->span,
					"it is tried only when this found none of the task's CPUs idle");
				diag_hint(d, "put it before idle(any)");
			}
			break;
		}
	}
}

/* A share group has two queues or more, each with a share in the contract's range. */
static void check_shares(struct checker *c, const struct dispatch_tier *tier)
{
	if (!tier->shares)
		return;
	if (tier->queues->count < 2) {
		struct diagnostic *d =
			diag_error(c->sink, DIAG_SHARE_GROUP_TOO_SMALL, tier->span,
				   "a share group needs two queues or more, but this has one");
		diag_hint(d, "write the queue alone, without parentheses and share: then %s",
			  tier->queues->items[0]->name.name);
	}
	for (int i = 0; i < tier->shares->count; i++) {
		struct expr *share = tier->shares->items[i];
		share->type = TYPE_INT;
		share->constant = true;
		share->value = share->integer.value;
		if (share->value >= SCXC_SHARE_MIN && share->value <= SCXC_SHARE_MAX)
			continue;
		struct diagnostic *d =
			diag_error(c->sink, DIAG_SHARE_OUT_OF_RANGE, share->span,
				   "a share of %" PRId64 " is out of range", share->value);
		diag_hint(d, "shares go from %d to %d; only their ratio counts, e.g. (a 3 : b 1)",
			  SCXC_SHARE_MIN, SCXC_SHARE_MAX);
	}
}

static void check_dispatch(struct checker *c, const struct decl *dispatch)
{
	const struct expr **placed = checked(calloc((size_t)c->queue_count + 1, sizeof(*placed)));
	for (int t = 0; t < dispatch->dispatch.count; t++) {
		struct expr_list *queues = dispatch->dispatch.tiers[t].queues;
		check_shares(c, &dispatch->dispatch.tiers[t]);
		for (int q = 0; q < queues->count; q++) {
			struct expr *item = queues->items[q];
			if (item->kind != EXPR_NAME) {
				diag_error(c->sink, DIAG_EXPECTED_QUEUE, item->span,
					   "expected a queue name");
				continue;
			}
			const struct symbol *symbol = find_symbol(c, item->name.name);
			if (!symbol || symbol->kind != SYMBOL_QUEUE) {
				struct diagnostic *d = diag_error(
					c->sink, DIAG_NOT_A_QUEUE, item->span,
					symbol ? "'%s' is not a queue" : "unknown queue '%s'",
					item->name.name);
				diag_hint_name(d, item->name.name, c->queue_names, c->queue_count,
					       NULL, NULL);
				continue;
			}
			item->ref = REF_QUEUE;
			item->ref_index = symbol->index;
			item->type = TYPE_QUEUE;
			if (placed[symbol->index]) {
				struct diagnostic *d = diag_error(
					c->sink, DIAG_DUPLICATE_DISPATCH, item->span,
					"queue '%s' is dispatched twice", item->name.name);
				diag_note(d, placed[symbol->index]->span, "first here");
				continue;
			}
			placed[symbol->index] = item;
		}
	}
	for (int i = 0; i < c->queue_count; i++) {
		if (placed[i])
			continue;
		struct diagnostic *d =
			diag_error(c->sink, DIAG_NEVER_DISPATCHED, dispatch->span,
				   "queue '%s' is never dispatched: its tasks would never run",
				   c->queues[i]->name);
		diag_note(d, c->queues[i]->name_span, "'%s' is declared here", c->queues[i]->name);
		diag_hint(d, "add it to the plan, e.g. `then %s`", c->queues[i]->name);
	}
	free(placed);
}

/* Reports each kind of declaration with more than its limit, at the first one too many;
 * true when all are within their limits (then checking the rest makes sense). */
static bool check_counts(const struct ast *ast, struct diag_sink *sink)
{
	static const struct {
		enum decl_kind kind;
		const char *name;
		int limit;
	} limits[] = {
		{ DECL_PARAM, "params", SCXC_MAX_PARAMS },
		{ DECL_QUEUE, "queues", SCXC_MAX_QUEUES },
		{ DECL_CLASS, "classes", SCXC_MAX_CLASSES },
	};
	bool ok = true;
	for (size_t k = 0; k < sizeof(limits) / sizeof(limits[0]); k++) {
		int count = 0;
		for (int i = 0; i < ast->count; i++) {
			if (ast->decls[i]->kind != limits[k].kind || ++count <= limits[k].limit)
				continue;
			diag_error(sink, DIAG_TOO_MANY_DECLARATIONS, ast->decls[i]->span,
				   "too many %s: a policy has at most %d", limits[k].name,
				   limits[k].limit);
			ok = false;
			break;
		}
	}
	return ok;
}

bool sema_check(struct ast *ast, struct diag_sink *sink)
{
	struct checker c = { .ast = ast, .sink = sink };
	int errors_before = sink->error_count;
	if (!check_counts(ast, sink))
		return false;
	collect_symbols(&c);
	check_policy(&c);
	c.param_used = checked(calloc((size_t)c.param_count + 1, sizeof(bool)));

	const struct decl *policy = NULL, *cpu = NULL, *dispatch = NULL;
	for (int i = 0; i < ast->count; i++) {
		struct decl *decl = ast->decls[i];
		switch (decl->kind) {
		case DECL_POLICY: policy = policy ? policy : decl; break;
		case DECL_PARAM: check_param(&c, &decl->param); break;
		case DECL_QUEUE: check_queue(&c, &decl->queue); break;
		case DECL_CPU:
		case DECL_DISPATCH: {
			const struct decl **first = decl->kind == DECL_CPU ? &cpu : &dispatch;
			if (*first) {
				struct diagnostic *d =
					diag_error(sink, DIAG_DUPLICATE_PLAN, decl->span,
						   "a second `%s:` line",
						   decl->kind == DECL_CPU ? "cpu" : "dispatch");
				diag_note(d, (*first)->span, "the first is here");
				break;
			}
			*first = decl;
			break;
		}
		case DECL_IMPORT:
		case DECL_CLASS: break;
		}
	}
	/* Classes after every param, so a class may use a param declared below it. */
	c.always_matches = checked(calloc((size_t)ast->count + 1, sizeof(bool)));
	for (int i = 0, ordinal = 0; i < ast->count; i++)
		if (ast->decls[i]->kind == DECL_CLASS)
			check_class(&c, &ast->decls[i]->class_, ordinal++);
	if (c.queue_count == 0 && policy) {
		struct diagnostic *d = diag_error(sink, DIAG_NO_QUEUE, policy->policy.name_span,
						  "policy '%s' has no queue", policy->policy.name);
		diag_hint(d, "declare one, e.g. queue main: fifo;");
	}
	check_class_order(&c, policy);
	if (cpu)
		check_cpu(&c, cpu->cpu);
	if (dispatch)
		check_dispatch(&c, dispatch);
	if (sink->error_count == errors_before && !sink->limit_reached)
		warn_useless(&c);

	free(c.always_matches);
	free(c.param_used);
	free(c.symbols);
	free(c.params);
	free(c.queues);
	free((void *)c.queue_names);
	return sink->error_count == errors_before && !sink->limit_reached;
}
