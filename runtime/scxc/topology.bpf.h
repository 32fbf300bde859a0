/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * topology.bpf.h — the CPU steps that follow the machine's topology: idle(core), idle(llc) and
 * idle(node).
 *
 * Takes the policy's SCXC_TOPOLOGY flag and the struct scxc_topology that the loader fills from
 * sysfs before load (topology.h, section .rodata.topology).  Makes, in a policy with the flag,
 * scxc_topology_init(), which init calls to build one cpumask per last-level cache and per NUMA
 * node and a scratch cpumask per CPU, and the steps select_cpu calls: scxc_pick_core(),
 * scxc_pick_llc() and scxc_pick_node().  A policy without the flag has none of the maps or code.
 *
 * Every step looks only at the CPUs the task may run on (its own, narrowed to its queue's CPU set
 * by cpusets.bpf.h): the domain's cpumask is ANDed with them into this CPU's scratch mask, and the kernel picks (and claims) an idle CPU there.  One
 * cache, one node or no SMT (or a table nobody filled) makes the step the plain one: idle(llc)
 * and idle(node) then pick any idle CPU, and idle(core) any idle CPU, prev's first; the kernel's
 * SCX_PICK_IDLE_CORE finds nothing on a machine without SMT, so it is not asked then.
 */
#ifndef SCXC_TOPOLOGY_BPF_H
#define SCXC_TOPOLOGY_BPF_H

#ifndef SCXC_TOPOLOGY
#error "define SCXC_TOPOLOGY (0 or 1) first (docs/object-format.md)"
#endif

#include "topology.h"

/* The errors init may return (errno values). */
#define SCXC_ENOENT 2
#define SCXC_ENOMEM 12
#define SCXC_EINVAL 22

#if SCXC_TOPOLOGY

const volatile struct scxc_topology scxc_topology SEC(SCXC_TOPOLOGY_SECTION) = {};

struct scxc_mask_slot {
	struct bpf_cpumask __kptr *mask;
};

/* The domains' cpumasks: last-level cache L at key L, NUMA node N at SCXC_NODE_KEY(N). */
#define SCXC_NODE_KEY(node) (SCXC_TOPOLOGY_MAX_DOMAINS + (node))
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2 * SCXC_TOPOLOGY_MAX_DOMAINS);
	__type(key, u32);
	__type(value, struct scxc_mask_slot);
} scxc_domains SEC(".maps");

/* Each CPU's scratch mask, where a step ANDs a domain with the task's CPUs (select_cpu runs with
 * preemption off, so one CPU never uses its mask twice at once). */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, SCXC_TOPOLOGY_MAX_CPUS);
	__type(key, u32);
	__type(value, struct scxc_mask_slot);
} scxc_scratch SEC(".maps");

/* Stores MASK (a reference the caller owns) in slot KEY of MAP; releases what was there. */
static __always_inline s32 scxc_store_mask(void *map, u32 key, struct bpf_cpumask *mask)
{
	struct scxc_mask_slot *slot = bpf_map_lookup_elem(map, &key);

	if (!slot) {
		bpf_cpumask_release(mask);
		return -SCXC_ENOENT;
	}
	mask = bpf_kptr_xchg(&slot->mask, mask);
	if (mask)
		bpf_cpumask_release(mask);
	return 0;
}

/* Builds the cpumasks of COUNT domains, domain D at key BASE + D, from OF: the domain of each of
 * the first scxc_topology.nr_cpus CPUs.  Runs once, at init. */
static __always_inline s32 scxc_build_domains(u32 base, u32 count, const volatile unsigned char *of)
{
	struct bpf_iter_num domains, cpus;
	struct bpf_cpumask *mask;
	int *d, *c;
	s32 err = 0;

	bpf_iter_num_new(&domains, 0, count < SCXC_TOPOLOGY_MAX_DOMAINS ? count : 0);
	while (!err && (d = bpf_iter_num_next(&domains))) {
		mask = bpf_cpumask_create();
		if (!mask) {
			err = -SCXC_ENOMEM;
			break;
		}
		bpf_iter_num_new(&cpus, 0, scxc_topology.nr_cpus);
		while ((c = bpf_iter_num_next(&cpus))) {
			u32 cpu = scxc_index(*c, SCXC_TOPOLOGY_MAX_CPUS);

			if (of[cpu] == *d)
				bpf_cpumask_set_cpu(cpu, mask);
		}
		bpf_iter_num_destroy(&cpus);
		err = scxc_store_mask(&scxc_domains, base + *d, mask);
	}
	bpf_iter_num_destroy(&domains);
	return err;
}

/* The cpumasks of the caches and nodes, and a scratch mask for every possible CPU. */
static __always_inline s32 scxc_topology_init(void)
{
	u32 nr_cpu_ids = scx_bpf_nr_cpu_ids();
	struct bpf_iter_num cpus;
	struct bpf_cpumask *mask;
	s32 err;
	int *c;

	if (scxc_topology.nr_cpus > SCXC_TOPOLOGY_MAX_CPUS)
		return -SCXC_EINVAL;
	err = scxc_build_domains(0, scxc_topology.nr_llcs, scxc_topology.llc_of);
	if (!err)
		err = scxc_build_domains(SCXC_NODE_KEY(0), scxc_topology.nr_nodes,
					 scxc_topology.node_of);
	bpf_iter_num_new(&cpus, 0,
			 nr_cpu_ids < SCXC_TOPOLOGY_MAX_CPUS ? nr_cpu_ids : SCXC_TOPOLOGY_MAX_CPUS);
	while (!err && (c = bpf_iter_num_next(&cpus))) {
		mask = bpf_cpumask_create();
		err = mask ? scxc_store_mask(&scxc_scratch, *c, mask) : -SCXC_ENOMEM;
	}
	bpf_iter_num_destroy(&cpus);
	return err;
}

static __always_inline struct bpf_cpumask *scxc_mask_at(void *map, u32 key)
{
	struct scxc_mask_slot *slot = bpf_map_lookup_elem(map, &key);

	return slot ? slot->mask : NULL;
}

/* An idle CPU of ALLOWED (the CPUs the task may run on) in the domain at KEY, claimed; -1 if none.  FLAGS go to the
 * kernel's pick (SCX_PICK_IDLE_CORE: only CPUs whose whole core is idle). */
static __always_inline s32 scxc_pick_idle_in(const struct cpumask *allowed, u32 key, u64 flags)
{
	struct bpf_cpumask *domain = scxc_mask_at(&scxc_domains, key);
	struct bpf_cpumask *scratch = scxc_mask_at(&scxc_scratch, bpf_get_smp_processor_id());

	if (!domain || !scratch ||
	    !bpf_cpumask_and(scratch, allowed, (const struct cpumask *)domain))
		return -1;
	return scx_bpf_pick_idle_cpu((const struct cpumask *)scratch, flags);
}

/* The key of CPU's cache in scxc_domains (of its node, with NODE); -1 if the tables do not
 * describe CPU. */
static __always_inline s32 scxc_domain_of(s32 cpu, bool node)
{
	u32 i;

	if (cpu < 0 || cpu >= scxc_topology.nr_cpus)
		return -1;
	i = scxc_index(cpu, SCXC_TOPOLOGY_MAX_CPUS);
	return node ? SCXC_NODE_KEY(scxc_topology.node_of[i]) : scxc_topology.llc_of[i];
}

/* idle(llc): an idle CPU of ALLOWED that shares PREV's last-level cache. */
static __always_inline s32 scxc_pick_llc(const struct cpumask *allowed, s32 prev)
{
	s32 key = scxc_domain_of(prev, false);

	if (scxc_topology.nr_llcs <= 1)
		return scx_bpf_pick_idle_cpu(allowed, 0);
	return key < 0 ? -1 : scxc_pick_idle_in(allowed, key, 0);
}

/* idle(node): an idle CPU of ALLOWED in PREV's NUMA node. */
static __always_inline s32 scxc_pick_node(const struct cpumask *allowed, s32 prev)
{
	s32 key = scxc_domain_of(prev, true);

	if (scxc_topology.nr_nodes <= 1)
		return scx_bpf_pick_idle_cpu(allowed, 0);
	return key < 0 ? -1 : scxc_pick_idle_in(allowed, key, 0);
}

/*
 * idle(core): an idle CPU of ALLOWED whose whole SMT core is idle: PREV, if its core is; else one
 * in PREV's last-level cache; else any.  Without SMT every idle CPU is a whole idle core, and the
 * same order picks plain idle CPUs.
 */
static __always_inline s32 scxc_pick_core(const struct cpumask *allowed, s32 prev)
{
	bool smt = scxc_topology.smt > 1;
	u64 flags = smt ? bpf_core_enum_value(enum scx_pick_idle_cpu_flags, SCX_PICK_IDLE_CORE) : 0;
	bool core_idle = true;
	const struct cpumask *idle;
	s32 cpu, key;

	if (prev >= 0 && bpf_cpumask_test_cpu(prev, allowed)) {
		if (smt) {
			idle = scx_bpf_get_idle_smtmask();
			core_idle = bpf_cpumask_test_cpu(prev, idle);
			scx_bpf_put_idle_cpumask(idle);
		}
		if (core_idle && scx_bpf_test_and_clear_cpu_idle(prev))
			return prev;
	}
	key = scxc_domain_of(prev, false);
	if (scxc_topology.nr_llcs > 1 && key >= 0) {
		cpu = scxc_pick_idle_in(allowed, key, flags);
		if (cpu >= 0)
			return cpu;
	}
	return scx_bpf_pick_idle_cpu(allowed, flags);
}

#else /* !SCXC_TOPOLOGY: no topology step in the policy */

/* Nothing to build.  The steps are never called: scxc emits SCXC_TOPOLOGY 1 for any policy that
 * has one of them, so select_cpu's table never names them here.  Telling clang so lets it drop
 * their cases from select_cpu's switch: not even a comparison is left for the verifier. */
static __always_inline s32 scxc_topology_init(void)
{
	return 0;
}

static __always_inline s32 scxc_pick_core(const struct cpumask *allowed, s32 prev)
{
	__builtin_unreachable();
}

static __always_inline s32 scxc_pick_llc(const struct cpumask *allowed, s32 prev)
{
	__builtin_unreachable();
}

static __always_inline s32 scxc_pick_node(const struct cpumask *allowed, s32 prev)
{
	__builtin_unreachable();
}

#endif /* SCXC_TOPOLOGY */

#endif
