/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * sema_cpusets.c — checks CPU sets: the literals `[0-3, 6]` and the queue settings that use them.
 *
 * Takes a CPU-set literal and makes its bitmap (cpusets.h) on the expression, or the errors for
 * an item with a unit, a range written backwards, a CPU named twice, a CPU past the contract's
 * SCXC_MAX_CPUS and an empty set.  A set is a value only where a set is wanted (a queue's `cpus`,
 * a param's default): anywhere else it is an error.  For a queue it warns about `reserve` and
 * `spill` without `cpus`, which have nothing to act on, and tells the may-starve warning which
 * queues dispatched earlier can keep a CPU from it.
 */
#include <inttypes.h>
#include <stdlib.h>

#include "cpusets.h"
#include "sema.h"

/* Reads one item's bound: a plain CPU id below SCXC_MAX_CPUS; reports it otherwise. */
static bool cpu_id(struct checker *c, const struct expr *item, int *cpu)
{
	if (item->integer.unit != UNIT_NONE) {
		struct diagnostic *d = diag_error(c->sink, DIAG_BAD_CPUSET, item->span,
						  "a CPU is a number, not a duration");
		diag_hint(d, "write CPU ids without a unit, e.g. [0-3]");
		return false;
	}
	if (item->integer.value >= SCXC_MAX_CPUS) {
		struct diagnostic *d =
			diag_error(c->sink, DIAG_CPU_OUT_OF_RANGE, item->span,
				   "CPU %" PRId64 " is beyond the %d CPUs a set may name",
				   item->integer.value, SCXC_MAX_CPUS);
		diag_hint(d, "CPU ids go from 0 to %d", SCXC_MAX_CPUS - 1);
		return false;
	}
	*cpu = (int)item->integer.value;
	return true;
}

struct checked check_cpuset(struct checker *c, struct expr *expr)
{
	struct expr_list *items = expr->cpuset.items;
	bool ok = true;
	free(expr->cpuset.bits);
	expr->cpuset.bits = cpuset_new();
	if (!items->count) {
		struct diagnostic *d = diag_error(c->sink, DIAG_EMPTY_CPUSET, expr->span,
						  "a CPU set needs at least one CPU");
		diag_hint(d, "e.g. [0] or [2-3]");
		return unknown_result;
	}
	for (int i = 0; i < items->count; i++) {
		struct expr *item = items->items[i];
		bool range = item->kind == EXPR_BINARY;
		const struct expr *low = range ? item->binary.left : item;
		const struct expr *high = range ? item->binary.right : item;
		int first, last;
		item->type = TYPE_INT;
		if (!cpu_id(c, low, &first) || (range && !cpu_id(c, high, &last))) {
			ok = false;
			continue;
		}
		if (!range)
			last = first;
		if (first > last) {
			struct diagnostic *d =
				diag_error(c->sink, DIAG_BAD_CPUSET, item->span,
					   "the range %d-%d runs backwards", first, last);
			diag_hint(d, "write the lower CPU first: %d-%d", last, first);
			ok = false;
			continue;
		}
		for (int cpu = first; cpu <= last; cpu++) {
			if (!cpuset_has(expr->cpuset.bits, cpu)) {
				cpuset_add(expr->cpuset.bits, cpu);
				continue;
			}
			struct diagnostic *d = diag_error(c->sink, DIAG_BAD_CPUSET, item->span,
							  "CPU %d is in this set twice", cpu);
			diag_hint(d, "name each CPU once");
			ok = false;
			break;
		}
	}
	return ok ? (struct checked){ TYPE_CPUSET, true, 0 } : unknown_result;
}

void report_cpuset_misuse(struct checker *c, const struct expr *expr)
{
	struct diagnostic *d =
		diag_error(c->sink, DIAG_CPUSET_MISUSE, expr->span,
			   "a CPU set can only be a queue's `cpus` or a param's default");
	diag_hint(d, "e.g. queue ci: fifo { cpus = [2-3]; }");
}

void check_queue_cpus(struct checker *c, const struct queue_decl *queue,
		      const struct setting *const *seen)
{
	static const enum queue_setting needing_cpus[] = { QUEUE_SETTING_RESERVE,
							   QUEUE_SETTING_SPILL };
	if (seen[QUEUE_SETTING_CPUS])
		return;
	for (size_t i = 0; i < sizeof(needing_cpus) / sizeof(needing_cpus[0]); i++) {
		const struct setting *setting = seen[needing_cpus[i]];
		if (!setting || !setting->value || !setting->value->constant ||
		    !setting->value->value)
			continue;
		struct diagnostic *d = diag_warn(c->sink, WARN_NO_CPUS, setting->span,
						 "queue '%s' has no `cpus`, so `%s` does nothing",
						 queue->name, setting->key);
		diag_hint(d, "give it a set, e.g. cpus = [2-3];");
	}
}

/* The checked value of QUEUE's cpus setting, or NULL when it has none. */
static const struct expr *cpus_of(const struct queue_decl *queue)
{
	for (int i = 0; i < queue->settings.count; i++)
		if (queue->settings.items[i].kind == QUEUE_SETTING_CPUS)
			return queue->settings.items[i].value;
	return NULL;
}

bool queue_cpus_compete(const struct queue_decl *earlier, const struct queue_decl *later)
{
	const struct expr *a = cpus_of(earlier), *b = cpus_of(later);
	if (!a || !b)
		return !a && !b;
	if (a->kind != EXPR_CPUSET || b->kind != EXPR_CPUSET || !a->cpuset.bits || !b->cpuset.bits)
		return true; /* a param's set may be any */
	for (int w = 0; w < SCXC_CPUSET_WORDS; w++)
		if (a->cpuset.bits[w] & b->cpuset.bits[w])
			return true;
	return false;
}
