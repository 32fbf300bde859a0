/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * sema_warn.c — warnings about a policy that compiles but cannot do what it says.
 *
 * Takes a policy sema has checked without errors and reports, each under its name (diag.h):
 * a class that can never match because an earlier class takes every task it would
 * (never-matches), a weight that can have no effect (useless-weight) and a param nothing uses
 * (unused-param).  The comparisons of comm with a glob-like string (glob-equals) are warned
 * about where sema_expr.c checks them.  These checks are sound but not complete: a warning is
 * never wrong, but not every useless line gets one.
 */
#include <stdlib.h>
#include <string.h>

#include "checked.h"
#include "ir.h"
#include "sema.h"

/* Whether A and B are the same expression, written the same way (names already resolved). */
static bool same_expr(const struct expr *a, const struct expr *b)
{
	if (a->kind != b->kind)
		return false;
	if (a->constant || b->constant)
		return a->constant && b->constant && a->value == b->value && a->type == b->type;
	switch (a->kind) {
	case EXPR_INT: return a->integer.value == b->integer.value;
	case EXPR_BOOL: return a->boolean == b->boolean;
	case EXPR_STRING:
		return a->string.length == b->string.length &&
		       !memcmp(a->string.text, b->string.text, a->string.length);
	case EXPR_NAME:
	case EXPR_FIELD: return a->ref == b->ref && a->ref_index == b->ref_index;
	case EXPR_CALL:
		if (a->ref_index != b->ref_index || a->call.args->count != b->call.args->count)
			return false;
		for (int i = 0; i < a->call.args->count; i++)
			if (!same_expr(a->call.args->items[i], b->call.args->items[i]))
				return false;
		return true;
	case EXPR_UNARY:
		return a->unary.op == b->unary.op && same_expr(a->unary.operand, b->unary.operand);
	case EXPR_BINARY:
		return a->binary.op == b->binary.op && same_expr(a->binary.left, b->binary.left) &&
		       same_expr(a->binary.right, b->binary.right);
	case EXPR_IN:
		if (a->in.range != b->in.range || !same_expr(a->in.subject, b->in.subject) ||
		    a->in.items->count != b->in.items->count)
			return false;
		for (int i = 0; i < a->in.items->count; i++)
			if (!same_expr(a->in.items->items[i], b->in.items->items[i]))
				return false;
		return true;
	case EXPR_MATCH:
		return same_expr(a->match.subject, b->match.subject) &&
		       same_expr(a->match.pattern, b->match.pattern);
	case EXPR_CPUSET: break; /* never inside a condition */
	}
	return false;
}

static bool is_binary(const struct expr *expr, enum binary_op op)
{
	return expr->kind == EXPR_BINARY && expr->binary.op == op;
}

/* Whether every task for which LATER holds is sure to satisfy EARLIER too: LATER is EARLIER,
 * or one of its `and` terms implies EARLIER, or it implies one of EARLIER's `or` terms. */
static bool implies(const struct expr *later, const struct expr *earlier)
{
	if (same_expr(later, earlier))
		return true;
	if (is_binary(earlier, OP_OR) &&
	    (implies(later, earlier->binary.left) || implies(later, earlier->binary.right)))
		return true;
	return is_binary(later, OP_AND) &&
	       (implies(later->binary.left, earlier) || implies(later->binary.right, earlier));
}

/* The classes in order. */
static int collect_classes(const struct checker *c, const struct class_decl **classes)
{
	int count = 0;
	for (int i = 0; i < c->ast->count; i++)
		if (c->ast->decls[i]->kind == DECL_CLASS)
			classes[count++] = &c->ast->decls[i]->class_;
	return count;
}

static void warn_covered_classes(struct checker *c, const struct class_decl **classes, int count)
{
	for (int later = 1; later < count; later++) {
		if (!classes[later]->when)
			continue;
		for (int earlier = 0; earlier < later; earlier++) {
			if (!classes[earlier]->when ||
			    !implies(classes[later]->when, classes[earlier]->when))
				continue;
			struct diagnostic *d =
				diag_warn(c->sink, WARN_NEVER_MATCHES, classes[later]->name_span,
					  "class '%s' can never match", classes[later]->name);
			diag_note(d, classes[earlier]->name_span,
				  "class '%s' before it takes every task its condition holds for",
				  classes[earlier]->name);
			break;
		}
	}
}

/* The checked setting KIND of a body, or NULL. */
static const struct setting *find_setting(const struct settings *settings, int kind)
{
	for (int i = 0; i < settings->count; i++)
		if (settings->items[i].value && settings->items[i].kind == kind)
			return &settings->items[i];
	return NULL;
}

/* The queue CLASS_'s tasks go to: its setting, or the only queue. */
static int queue_of(const struct class_decl *class_)
{
	const struct setting *queue = find_setting(&class_->settings, SETTING_QUEUE);
	return queue ? queue->value->ref_index : 0;
}

/*
 * A weight counts only against other weights in the same vtime queue.  In a fifo queue it
 * means nothing; in a vtime queue where every class gives the same constant weight, every task
 * there weighs the same, so the queue behaves as if no class set one.
 */
static void warn_useless_weights(struct checker *c, const struct class_decl **classes, int count)
{
	for (int q = 0; q < c->queue_count; q++) {
		const struct setting *first = NULL;
		bool all_same = true;
		int64_t value = 0;
		for (int i = 0; i < count; i++) {
			if (queue_of(classes[i]) != q)
				continue;
			const struct setting *weight =
				find_setting(&classes[i]->settings, SETTING_WEIGHT);
			const char *order = NULL;
			switch ((enum scxc_queue_kind)queue_kind_of(c->queues[q]->kind)) {
			case SCXC_QUEUE_FIFO: order = "fifo, which takes tasks in turn"; break;
			case SCXC_QUEUE_DEADLINE:
				order = "deadline, which orders tasks by deadline";
				break;
			case SCXC_QUEUE_VTIME: break;
			}
			if (order) {
				if (weight) {
					struct diagnostic *d = diag_warn(
						c->sink, WARN_USELESS_WEIGHT, weight->span,
						"class '%s' sets a weight, but its queue '%s' is %s "
						"whatever they weigh",
						classes[i]->name, c->queues[q]->name, order);
					diag_hint(d, "make '%s' a vtime queue, or drop the weight",
						  c->queues[q]->name);
				}
				continue;
			}
			if (!weight || !weight->value->constant ||
			    (first && weight->value->value != value)) {
				all_same = false;
				continue;
			}
			if (!first) {
				first = weight;
				value = weight->value->value;
			}
		}
		if (first && all_same) {
			struct diagnostic *d = diag_warn(
				c->sink, WARN_USELESS_WEIGHT, first->span,
				"every task in queue '%s' gets weight %lld, so weights make no "
				"difference there",
				c->queues[q]->name, (long long)value);
			diag_hint(d,
				  "give its classes different weights, or drop `weight =` so that "
				  "tasks keep their own (from nice)");
		}
	}
}

static void warn_unused_params(struct checker *c)
{
	for (int i = 0; i < c->param_count; i++) {
		if (c->param_used[i])
			continue;
		struct diagnostic *d =
			diag_warn(c->sink, WARN_UNUSED_PARAM, c->params[i]->name_span,
				  "param '%s' is never used", c->params[i]->name);
		diag_hint(d, "use it in a class's condition, slice or weight, or remove it");
	}
}

/* The first declaration of KIND, or NULL. */
static const struct decl *find_decl(const struct checker *c, enum decl_kind kind)
{
	for (int i = 0; i < c->ast->count; i++)
		if (c->ast->decls[i]->kind == kind)
			return c->ast->decls[i];
	return NULL;
}

/* Whether a queue of a tier before TIER can keep QUEUE from the CPUs it runs on: with CPU sets,
 * a queue is served first on its own set's CPUs (sema_cpusets.c). */
static bool starved_from_above(const struct checker *c, const struct decl *dispatch, int tier,
			       const struct queue_decl *queue)
{
	for (int t = 0; t < tier; t++) {
		const struct expr_list *queues =
			dispatch ? dispatch->dispatch.tiers[t].queues : NULL;
		for (int i = 0; i < (queues ? queues->count : 1); i++)
			if (queue_cpus_compete(c->queues[queues ? queues->items[i]->ref_index : t],
					       queue))
				return true;
	}
	return false;
}

/*
 * Every queue after the first tier runs only when the tiers before it have nothing for the CPU,
 * so without a starvation bound (its own or the policy's) its tasks may wait for ever.  The
 * queues of a share group cannot starve each other, but the group can be starved from above.
 */
static void warn_starving_queues(struct checker *c)
{
	const struct decl *policy = find_decl(c, DECL_POLICY);
	const struct decl *dispatch = find_decl(c, DECL_DISPATCH);
	if (policy && find_setting(&policy->policy.settings, POLICY_SETTING_STARVATION))
		return;
	int tiers = dispatch ? dispatch->dispatch.count : c->queue_count;
	for (int t = 1; t < tiers; t++) {
		const struct expr_list *queues =
			dispatch ? dispatch->dispatch.tiers[t].queues : NULL;
		for (int i = 0; i < (queues ? queues->count : 1); i++) {
			int q = queues ? queues->items[i]->ref_index : t;
			const struct queue_decl *queue = c->queues[q];
			if (find_setting(&queue->settings, QUEUE_SETTING_STARVATION) ||
			    !starved_from_above(c, dispatch, t, queue))
				continue;
			struct span where = queues ? queues->items[i]->span : queue->name_span;
			struct diagnostic *d = diag_warn(
				c->sink, WARN_MAY_STARVE, where,
				"queue '%s' can starve: it runs only when the queues dispatched before "
				"it have nothing for the CPU",
				queue->name);
			diag_hint(
				d,
				"bound the wait: `queue %s: %s { starvation = 100ms; }`, or for every "
				"queue `policy NAME { starvation = 100ms; }`",
				queue->name, queue->kind);
		}
	}
}

/* The tier of queue Q in the dispatch plan: the number of tiers before it. */
static int tier_of(const struct checker *c, int q)
{
	const struct decl *dispatch = find_decl(c, DECL_DISPATCH);
	if (!dispatch)
		return q;
	for (int t = 0; t < dispatch->dispatch.count; t++)
		for (int i = 0; i < dispatch->dispatch.tiers[t].queues->count; i++)
			if (dispatch->dispatch.tiers[t].queues->items[i]->ref_index == q)
				return t;
	return 0;
}

/* preempt = true takes a CPU from lower-priority work: work of a later tier, or of a later
 * deadline in a deadline queue.  A class of the last tier's non-deadline queue has none. */
static void warn_useless_preempt(struct checker *c, const struct class_decl **classes, int count)
{
	const struct decl *dispatch = find_decl(c, DECL_DISPATCH);
	int last_tier = (dispatch ? dispatch->dispatch.count : c->queue_count) - 1;
	for (int i = 0; i < count; i++) {
		const struct setting *preempt =
			find_setting(&classes[i]->settings, SETTING_PREEMPT);
		int q = queue_of(classes[i]);
		if (!preempt || !preempt->value->constant || !preempt->value->value ||
		    tier_of(c, q) < last_tier ||
		    queue_kind_of(c->queues[q]->kind) == SCXC_QUEUE_DEADLINE)
			continue;
		struct diagnostic *d = diag_warn(
			c->sink, WARN_USELESS_PREEMPT, preempt->span,
			"class '%s' can never preempt: no queue is dispatched after its queue '%s'",
			classes[i]->name, c->queues[q]->name);
		diag_hint(d,
			  "preemption takes a CPU from lower tiers; put '%s' before another queue "
			  "in `dispatch:`, or drop `preempt`",
			  c->queues[q]->name);
	}
}

void warn_useless(struct checker *c)
{
	const struct class_decl **classes =
		checked(calloc((size_t)c->ast->count + 1, sizeof(*classes)));
	int count = collect_classes(c, classes);
	warn_covered_classes(c, classes, count);
	warn_useless_weights(c, classes, count);
	warn_useless_preempt(c, classes, count);
	warn_starving_queues(c);
	warn_unused_params(c);
	free(classes);
}
