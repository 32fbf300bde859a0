/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * sema_settings.c — checks the settings of a body: a class's, a queue's or the policy's.
 *
 * Takes one body and the table of what its owner may set (ast.h); makes the diagnostics for an
 * unknown key, a key set twice, a key without a value, a value of the wrong type, a value that
 * must be a constant and is not, and a constant outside the range the runtime holds it to; and
 * records, per key, the setting that set it, for the owner's own checks (which queue a class
 * feeds, whether a deadline queue's class gives a deadline).
 */
#include <inttypes.h>

#include "ir.h"
#include "sema.h"
#include "words.h"

/* What a constant value of one setting may be, and how an error about it is worded. */
struct setting_range {
	int64_t min, max;
	enum diag_code code;
	const char *noun; /* "a slice of 2s is out of range" */
	const char *hint; /* "slices go from 1us to 1s" */
};

static const struct setting_range slice_range = { SCXC_SLICE_MIN_NS, SCXC_SLICE_MAX_NS,
						  DIAG_SLICE_OUT_OF_RANGE, "a slice",
						  "slices go from 1us to 1s" };
static const struct setting_range weight_range = {
	SCXC_WEIGHT_MIN, SCXC_WEIGHT_MAX, DIAG_WEIGHT_OUT_OF_RANGE, "a weight",
	"weights go from 1 to 10000; a nice-0 task has 100"
};
static const struct setting_range deadline_range = { SCXC_DEADLINE_MIN_NS, SCXC_DEADLINE_MAX_NS,
						     DIAG_DEADLINE_OUT_OF_RANGE, "a deadline",
						     "deadlines and periods go from 1us to 10s" };
static const struct setting_range period_range = { SCXC_DEADLINE_MIN_NS, SCXC_DEADLINE_MAX_NS,
						   DIAG_DEADLINE_OUT_OF_RANGE, "a period",
						   "deadlines and periods go from 1us to 10s" };
static const struct setting_range bound_range = {
	SCXC_BOUND_MIN_NS, SCXC_BOUND_MAX_NS, DIAG_BOUND_OUT_OF_RANGE, "a starvation bound",
	"bounds go from 1ms to 10s, below the kernel's 30 s watchdog"
};

/* The range of setting KIND of TABLE, or NULL when any value of its type will do. */
static const struct setting_range *range_of(const struct setting_table *table, int kind)
{
	if (table == &class_settings) {
		switch ((enum class_setting)kind) {
		case SETTING_SLICE: return &slice_range;
		case SETTING_WEIGHT: return &weight_range;
		case SETTING_DEADLINE: return &deadline_range;
		case SETTING_PERIOD: return &period_range;
		case SETTING_QUEUE:
		case SETTING_PREEMPT: return NULL;
		}
	} else if (table == &queue_settings) {
		switch ((enum queue_setting)kind) {
		case QUEUE_SETTING_STARVATION: return &bound_range;
		case QUEUE_SETTING_CPUS:
		case QUEUE_SETTING_RESERVE:
		case QUEUE_SETTING_SPILL: return NULL;
		}
	} else {
		switch ((enum policy_setting)kind) {
		case POLICY_SETTING_STARVATION: return &bound_range;
		case POLICY_SETTING_PARTIAL: return NULL;
		}
	}
	return NULL;
}

/* queue = NAME: resolves NAME to a declared queue. */
static void check_queue_value(struct checker *c, struct setting *setting)
{
	struct expr *value = setting->value;
	if (value->kind != EXPR_NAME) {
		struct diagnostic *d = diag_error(c->sink, DIAG_EXPECTED_QUEUE, value->span,
						  "expected a queue name");
		diag_hint(d, "e.g. queue = %s;", c->queue_count ? c->queues[0]->name : "main");
		return;
	}
	const struct symbol *symbol = find_symbol(c, value->name.name);
	if (symbol && symbol->kind == SYMBOL_QUEUE) {
		value->ref = REF_QUEUE;
		value->ref_index = symbol->index;
		value->type = TYPE_QUEUE;
		return;
	}
	struct diagnostic *d;
	if (symbol) {
		d = diag_error(c->sink, DIAG_NOT_A_QUEUE, value->span, "'%s' is a %s, not a queue",
			       value->name.name, symbol->kind == SYMBOL_PARAM ? "param" : "class");
		diag_note(d, symbol->span, "'%s' is defined here", value->name.name);
		return;
	}
	d = diag_error(c->sink, DIAG_UNKNOWN_QUEUE, value->span, "unknown queue '%s'",
		       value->name.name);
	if (!diag_hint_name(d, value->name.name, c->queue_names, c->queue_count, NULL, NULL) &&
	    c->queue_count == 0)
		diag_hint(d, "declare it, e.g. queue %s: fifo;", value->name.name);
}

/* A number or bool setting: its type, whether it had to be a constant, and its range. */
static void check_value(struct checker *c, const struct setting_table *table,
			struct setting *setting)
{
	enum type wanted = table->types[setting->kind];
	c->cpuset_allowed = wanted == TYPE_CPUSET;
	struct checked value = check_expr(c, setting->value);
	char text[IR_VALUE_TEXT_MAX];
	if (value.type == TYPE_UNKNOWN)
		return;
	if (value.type != wanted) {
		struct diagnostic *d = diag_error(c->sink, DIAG_SETTING_TYPE, setting->value->span,
						  "%s must be %s, but this is %s", setting->key,
						  a_type(wanted), a_type(value.type));
		if (wanted == TYPE_DURATION && value.type == TYPE_INT)
			hint_add_unit(d, setting->value, "give it a unit");
		else if (wanted == TYPE_INT && value.type == TYPE_DURATION)
			diag_hint(
				d,
				"divide a duration by a duration to get an int, e.g. slice / 1ms");
		else if (wanted == TYPE_BOOL || wanted == TYPE_CPUSET)
			diag_hint(d, "e.g. %s", table->examples[setting->kind]);
		return;
	}
	if (table->constant[setting->kind] && !value.constant) {
		struct diagnostic *d = diag_error(
			c->sink, DIAG_SETTING_NOT_CONSTANT, setting->value->span,
			"%s must be a constant: the compiler builds it into the scheduler's tables",
			setting->key);
		diag_hint(d, "e.g. %s", table->examples[setting->kind]);
		return;
	}
	const struct setting_range *range = range_of(table, setting->kind);
	if (range && value.constant && (value.value < range->min || value.value > range->max)) {
		struct diagnostic *d = diag_error(c->sink, range->code, setting->value->span,
						  "%s of %s is out of range", range->noun,
						  ir_format_value(wanted, value.value, text));
		diag_hint(d, "%s", range->hint);
	}
}

void check_settings(struct checker *c, const struct setting_table *table, const char *owner,
		    struct settings *settings, const struct setting **seen)
{
	for (int i = 0; i < table->count; i++)
		seen[i] = NULL;
	for (int i = 0; i < settings->count; i++) {
		struct setting *setting = &settings->items[i];
		int key = word_index(table->keys, table->count, setting->key);
		if (key < 0) {
			struct diagnostic *d =
				diag_error(c->sink, DIAG_UNKNOWN_SETTING, setting->key_span,
					   "unknown %s setting '%s'", table->owner, setting->key);
			char intro[32];
			snprintf(intro, sizeof(intro), "a %s sets", table->owner);
			diag_hint_name(d, setting->key, table->keys, table->count, intro, NULL);
			continue;
		}
		setting->kind = key;
		if (seen[key]) {
			struct diagnostic *d = diag_error(c->sink, DIAG_DUPLICATE_SETTING,
							  setting->span, "%s '%s' sets %s twice",
							  table->owner, owner, setting->key);
			diag_note(d, seen[key]->span, "first set here");
			continue;
		}
		seen[key] = setting;
		if (!setting->value) {
			struct diagnostic *d =
				diag_error(c->sink, DIAG_MISSING_VALUE, setting->span,
					   "'%s' needs a value", setting->key);
			diag_hint(d, "e.g. %s", table->examples[key]);
			continue;
		}
		if (table->types[key] == TYPE_QUEUE)
			check_queue_value(c, setting);
		else
			check_value(c, table, setting);
	}
}
