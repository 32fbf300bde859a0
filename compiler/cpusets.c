/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * cpusets.c — takes CPU sets as bitmaps (cpusets.h) and makes copies of them and their text in
 * the kernel's cpulist syntax, runs of CPUs as ranges: "0-3,6,8-9"; and the IR of a
 * queue's set: lowered from its settings, and dumped.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checked.h"
#include "cpusets.h"
#include "ir.h"

uint64_t *cpuset_new(void)
{
	return checked(calloc(SCXC_CPUSET_WORDS, sizeof(uint64_t)));
}

uint64_t *cpuset_copy(const uint64_t *bits)
{
	uint64_t *copy = cpuset_new();
	memcpy(copy, bits, SCXC_CPUSET_WORDS * sizeof(uint64_t));
	return copy;
}

char *cpuset_format(const uint64_t *bits, char out[CPUSET_TEXT_MAX])
{
	size_t used = 0;
	out[0] = '\0';
	for (int cpu = 0; cpu < SCXC_MAX_CPUS; cpu++) {
		if (!cpuset_has(bits, cpu))
			continue;
		int last = cpu;
		while (last + 1 < SCXC_MAX_CPUS && cpuset_has(bits, last + 1))
			last++;
		const char *comma = used ? "," : "";
		if (last == cpu)
			used += (size_t)snprintf(out + used, CPUSET_TEXT_MAX - used, "%s%d", comma,
						 cpu);
		else
			used += (size_t)snprintf(out + used, CPUSET_TEXT_MAX - used, "%s%d-%d",
						 comma, cpu, last);
		cpu = last;
	}
	return out;
}

bool ir_queue_has_cpus(const struct ir_queue *queue)
{
	return queue->cpus || queue->cpus_param;
}

bool ir_any_cpus(const struct ir_policy *policy)
{
	for (int q = 0; q < policy->queue_count; q++)
		if (ir_queue_has_cpus(&policy->queues[q]))
			return true;
	return false;
}

void lower_queue_cpus(const struct settings *settings, struct ir_queue *queue)
{
	for (int i = 0; i < settings->count; i++) {
		const struct expr *value = settings->items[i].value;
		switch ((enum queue_setting)settings->items[i].kind) {
		case QUEUE_SETTING_CPUS:
			if (value->kind == EXPR_CPUSET)
				queue->cpus = cpuset_copy(value->cpuset.bits);
			else
				queue->cpus_param = value->ref_index + 1;
			break;
		case QUEUE_SETTING_RESERVE: queue->reserve = value->value; break;
		case QUEUE_SETTING_SPILL: queue->spill = value->value; break;
		case QUEUE_SETTING_STARVATION: break;
		}
	}
}

void ir_dump_queue_cpus(const struct ir_policy *policy, const struct ir_queue *queue, FILE *out)
{
	char set[CPUSET_TEXT_MAX];
	if (queue->cpus)
		fprintf(out, " cpus %s", cpuset_format(queue->cpus, set));
	else if (queue->cpus_param)
		fprintf(out, " cpus (param %s)", policy->params[queue->cpus_param - 1].name);
	else
		return;
	fprintf(out, "%s%s", queue->reserve ? " reserve" : "", queue->spill ? " spill" : "");
}
