// SPDX-License-Identifier: GPL-2.0-only
/*
 * events.c — the simulator's event queue: a binary min-heap of timed events.
 *
 * Takes events (a time, a kind, a target and a generation); gives them back earliest first, and
 * among events of one time in the order they were pushed, so that a run depends on nothing but
 * its inputs and its seed.
 */
#include <stdlib.h>

#include "checked.h"
#include "sim.h"

static bool before(const struct sim_event *a, const struct sim_event *b)
{
	return a->time != b->time ? a->time < b->time : a->seq < b->seq;
}

void sim_push(struct sim *sim, u64 time, enum sim_event_kind kind, u32 target, u64 generation)
{
	struct sim_event event = { time, sim->seq++, generation, kind, target };
	size_t i;

	if (sim->heap_count == sim->heap_capacity) {
		sim->heap_capacity = sim->heap_capacity ? 2 * sim->heap_capacity : 64;
		sim->heap = checked(realloc(sim->heap, sim->heap_capacity * sizeof(*sim->heap)));
	}
	for (i = sim->heap_count++; i > 0; i = (i - 1) / 2) {
		struct sim_event *parent = &sim->heap[(i - 1) / 2];

		if (!before(&event, parent))
			break;
		sim->heap[i] = *parent;
	}
	sim->heap[i] = event;
}

bool sim_pop(struct sim *sim, struct sim_event *event)
{
	struct sim_event last;
	size_t i = 0, child;

	if (!sim->heap_count)
		return false;
	*event = sim->heap[0];
	last = sim->heap[--sim->heap_count];
	while ((child = 2 * i + 1) < sim->heap_count) {
		if (child + 1 < sim->heap_count && before(&sim->heap[child + 1], &sim->heap[child]))
			child++;
		if (!before(&sim->heap[child], &last))
			break;
		sim->heap[i] = sim->heap[child];
		i = child;
	}
	sim->heap[i] = last;
	return true;
}
