/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * topology.h — the machine's topology as the loader hands it to the runtime, written once.
 *
 * Plain C, like contract.h: the loader (loader/topology.c) fills a struct scxc_topology from sysfs
 * and stores it as the initial value of the object's .rodata.topology section before load; the
 * runtime (topology.bpf.h) reads it, frozen, to build a cpumask per last-level cache and per NUMA
 * node at init and to find prev's at each wake-up.  Only a policy with a topology CPU step
 * (SCXC_TOPOLOGY) has the section.  All zero (no loader filled it) reads as one cache, one node
 * and no SMT: the topology steps then act as the plain ones.
 */
#ifndef SCXC_TOPOLOGY_H
#define SCXC_TOPOLOGY_H

/* The section the runtime keeps its struct scxc_topology in, and so libbpf's map for it. */
#define SCXC_TOPOLOGY_SECTION ".rodata.topology"

/* CPUs the tables describe (a CPU beyond them has no cache or node: the steps skip its domain),
 * and caches or nodes (numbered 0 .. 255). */
#define SCXC_TOPOLOGY_MAX_CPUS 1024
#define SCXC_TOPOLOGY_MAX_DOMAINS 256

struct scxc_topology {
	unsigned int nr_cpus;  /* llc_of and node_of describe CPUs 0 .. nr_cpus - 1 */
	unsigned int nr_llcs;  /* last-level caches, numbered 0 .. nr_llcs - 1 */
	unsigned int nr_nodes; /* NUMA nodes, numbered 0 .. nr_nodes - 1 */
	unsigned int smt;      /* the most hardware threads of one core; 0 or 1: no SMT */
	unsigned char llc_of[SCXC_TOPOLOGY_MAX_CPUS];
	unsigned char node_of[SCXC_TOPOLOGY_MAX_CPUS];
};

#endif
