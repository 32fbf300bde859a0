/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * emit_cpusets.c — the CPU sets of a policy, in its C: takes the lowered queues and cpuset params
 * and writes the tables scxc/cpusets.bpf.h builds its CPU masks from (each queue's constant set,
 * the param that gives it otherwise, reserve and spill), the cpuset params' bitmaps in
 * .data.params, and the self-description's `cpus` records that scxrun checks against the
 * machine.  A policy without sets gets none of it (SCXC_CPUSETS 0).
 */
#include <inttypes.h>
#include <stdlib.h>

#include "cpusets.h"
#include "emit.h"

/* The place of cpuset param P among the cpuset params: its bitmap is scxc_params.cpusets[it]. */
static int cpuset_slot(const struct ir_policy *policy, int p)
{
	int slot = 0;
	for (int i = 0; i < p; i++)
		slot += policy->params[i].cpus != NULL;
	return slot;
}

int emit_cpuset_param_count(const struct ir_policy *policy)
{
	return cpuset_slot(policy, policy->param_count);
}

/* "{ 0xc, 0, … }" without the trailing zero words: "{ 0xc }". */
static void text_bitmap(struct text *t, const uint64_t *bits)
{
	int words = SCXC_CPUSET_WORDS;
	while (words > 1 && !bits[words - 1])
		words--;
	text_puts(t, "{ ");
	for (int w = 0; w < words; w++)
		text_printf(t, "%s0x%" PRIx64, w ? ", " : "", bits[w]);
	text_puts(t, " }");
}

void emit_cpuset_params(const struct emitter *e)
{
	const struct ir_policy *policy = e->policy;
	char set[CPUSET_TEXT_MAX];
	int count = emit_cpuset_param_count(policy);

	if (!count)
		return;
	fputs("\t.cpusets = {\n", e->out);
	for (int i = 0; i < policy->param_count; i++) {
		const struct ir_param *param = &policy->params[i];
		struct text code = { 0 };

		if (!param->cpus)
			continue;
		text_printf(&code, "\t\t[%d] = ", cpuset_slot(policy, i));
		text_bitmap(&code, param->cpus);
		fprintf(e->out, "%s,\t/* %s: %s */\n", code.data, param->name,
			cpuset_format(param->cpus, set));
		free(text_take(&code));
	}
	fputs("\t},\n", e->out);
}

void emit_cpuset_member(const struct emitter *e)
{
	int count = emit_cpuset_param_count(e->policy);

	if (count)
		fprintf(e->out,
			"\tu64 cpusets[%d][SCXC_CPUSET_WORDS];\t/* the cpuset params' CPUs, fixed at load */\n",
			count);
}

void emit_cpusets(const struct emitter *e)
{
	const struct ir_policy *policy = e->policy;
	char set[CPUSET_TEXT_MAX];

	if (!ir_any_cpus(policy))
		return;
	fprintf(e->out, "\n#define SCXC_CPUSET_PARAMS %d\n", emit_cpuset_param_count(policy));
	fputs("\n/* CPU sets: where each queue's tasks run.  A constant set is a bitmap (bit c of word c / 64\n"
	      " * is CPU c); a set from a param names its bitmap in scxc_params.cpusets, plus one. */\n"
	      "static const u64 scxc_queue_cpus[SCXC_NR_QUEUES][SCXC_CPUSET_WORDS] = {\n",
	      e->out);
	for (int q = 0; q < policy->queue_count; q++) {
		const struct ir_queue *queue = &policy->queues[q];
		struct text code = { 0 };

		if (!queue->cpus)
			continue;
		text_printf(&code, "\t[QUEUE_%s] = ", queue->name);
		text_bitmap(&code, queue->cpus);
		fprintf(e->out, "%s,\t/* %s */\n", code.data, cpuset_format(queue->cpus, set));
		free(text_take(&code));
	}
	fputs("};\n", e->out);
	if (emit_cpuset_param_count(policy))
		fputs("\nstatic const u8 scxc_queue_cpus_param[SCXC_NR_QUEUES] = {\n", e->out);
	for (int q = 0; emit_cpuset_param_count(policy) && q < policy->queue_count; q++)
		if (policy->queues[q].cpus_param)
			fprintf(e->out, "\t[QUEUE_%s] = %d,\t/* %s */\n", policy->queues[q].name,
				cpuset_slot(policy, policy->queues[q].cpus_param - 1) + 1,
				policy->params[policy->queues[q].cpus_param - 1].name);
	if (emit_cpuset_param_count(policy))
		fputs("};\n", e->out);
	fputs("\n/* Reserved: the set's CPUs run nothing but the queues that hold them.  Spill: the\n"
	      " * queue's tasks may use idle CPUs outside its set when none inside is idle. */\n"
	      "static const bool scxc_queue_reserve[SCXC_NR_QUEUES] = {\n",
	      e->out);
	for (int q = 0; q < policy->queue_count; q++)
		if (ir_queue_has_cpus(&policy->queues[q]) && policy->queues[q].reserve)
			fprintf(e->out, "\t[QUEUE_%s] = true,\n", policy->queues[q].name);
	fputs("};\n\nstatic const bool scxc_queue_spill[SCXC_NR_QUEUES] = {\n", e->out);
	for (int q = 0; q < policy->queue_count; q++)
		if (ir_queue_has_cpus(&policy->queues[q]) && policy->queues[q].spill)
			fprintf(e->out, "\t[QUEUE_%s] = true,\n", policy->queues[q].name);
	fputs("};\n", e->out);
}

void emit_cpuset_description(const struct emitter *e)
{
	const struct ir_policy *policy = e->policy;
	char set[CPUSET_TEXT_MAX];

	for (int q = 0; q < policy->queue_count; q++) {
		const struct ir_queue *queue = &policy->queues[q];

		if (queue->cpus)
			fprintf(e->out, "\t\"cpus %s %s\\n\"\n", queue->name,
				cpuset_format(queue->cpus, set));
		else if (queue->cpus_param)
			fprintf(e->out, "\t\"cpus %s param %s\\n\"\n", queue->name,
				policy->params[queue->cpus_param - 1].name);
	}
}
