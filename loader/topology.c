/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * topology.c — takes the machine's CPU topology from sysfs (/sys/devices/system: each CPU's
 * highest cache level and the CPUs sharing it, the NUMA nodes' CPU lists, the SMT siblings) and
 * makes the struct scxc_topology of runtime/scxc/topology.h, which it stores as the initial value
 * of an object's .rodata.topology before load.  Only a policy with a topology CPU step has that
 * section.  scxrun says what it found, and when a step acts as a plain one for want of caches,
 * nodes or SMT.  SCXRUN_TOPOLOGY points it at a fake directory of the same shape.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/libbpf.h>

#include "run.h"
#include "scxc/topology.h"

#define STRINGIFY_VALUE(x) #x
#define STRINGIFY(x) STRINGIFY_VALUE(x)

static const char *topology_dir(void)
{
	const char *dir = getenv("SCXRUN_TOPOLOGY");
	return dir && *dir ? dir : "/sys/devices/system";
}

/* The first line of FILE under the topology directory, in BUF; false if it cannot be read. */
static bool read_line(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static bool read_line(char *buf, size_t size, const char *fmt, ...)
{
	char name[256], path[512];
	va_list args;
	va_start(args, fmt);
	vsnprintf(name, sizeof(name), fmt, args);
	va_end(args);
	snprintf(path, sizeof(path), "%s/%s", topology_dir(), name);
	return read_first_line(path, buf, size);
}

/* Calls SEE(cpu, context) for each CPU of a list such as "0-3,8,10-11"; false if it is not one. */
static bool each_cpu(const char *list, void (*see)(int cpu, void *context), void *context)
{
	const char *at = list;
	while (*at) {
		char *end;
		long first = strtol(at, &end, 10), last = first;
		if (end == at || first < 0)
			return false;
		if (*end == '-') {
			at = end + 1;
			last = strtol(at, &end, 10);
			if (end == at || last < first)
				return false;
		}
		for (long cpu = first; cpu <= last && cpu < INT_MAX; cpu++)
			see((int)cpu, context);
		if (*end != ',' && *end != '\0')
			return false;
		at = *end ? end + 1 : end;
	}
	return true;
}

static void count_cpu(int cpu, void *context)
{
	(void)cpu;
	(*(unsigned *)context)++;
}

static void note_first(int cpu, void *context)
{
	int *first = context;
	if (*first < 0 || cpu < *first)
		*first = cpu;
}

static void note_highest(int cpu, void *context)
{
	int *highest = context;
	if (cpu > *highest)
		*highest = cpu;
}

/* The first CPU of CPU's last-level cache (the highest cache level it has), or -1. */
static int llc_leader(int cpu)
{
	int best_level = -1, leader = -1;
	char line[4096];
	for (int index = 0; index < 16; index++) {
		int level, first = -1;
		if (!read_line(line, sizeof(line), "cpu/cpu%d/cache/index%d/level", cpu, index))
			continue;
		level = atoi(line);
		if (level <= best_level ||
		    !read_line(line, sizeof(line), "cpu/cpu%d/cache/index%d/shared_cpu_list", cpu,
			       index) ||
		    !each_cpu(line, note_first, &first) || first < 0)
			continue;
		best_level = level;
		leader = first;
	}
	return leader;
}

/* Numbers domains 0, 1, … in the order of their first CPU's appearance. */
struct numbering {
	int key[SCXC_TOPOLOGY_MAX_DOMAINS];
	unsigned count;
	bool overflow;
};

static unsigned number_of(struct numbering *numbering, int key)
{
	for (unsigned i = 0; i < numbering->count; i++)
		if (numbering->key[i] == key)
			return i;
	if (numbering->count == SCXC_TOPOLOGY_MAX_DOMAINS) {
		numbering->overflow = true;
		return 0;
	}
	numbering->key[numbering->count] = key;
	return numbering->count++;
}

struct node_cpus {
	struct scxc_topology *topology;
	unsigned node;
};

static void place_in_node(int cpu, void *context)
{
	struct node_cpus *node = context;
	if ((unsigned)cpu < node->topology->nr_cpus)
		node->topology->node_of[cpu] = (unsigned char)node->node;
}

/* The nodes of /sys/devices/system/node/nodeN, numbered in the order of N; false if there are
 * more than the tables hold.  Without the directory (no NUMA) every CPU is in node 0. */
static bool read_nodes(struct scxc_topology *topology)
{
	char path[512], line[4096];
	snprintf(path, sizeof(path), "%s/node", topology_dir());
	DIR *dir = opendir(path);
	bool has[SCXC_TOPOLOGY_MAX_DOMAINS] = { false };
	bool fits = true;
	topology->nr_nodes = 1;
	if (!dir)
		return true;
	for (struct dirent *entry; (entry = readdir(dir));) {
		int id;
		char tail;
		if (sscanf(entry->d_name, "node%d%c", &id, &tail) != 1 || id < 0)
			continue;
		if (id >= SCXC_TOPOLOGY_MAX_DOMAINS)
			fits = false;
		else
			has[id] = true;
	}
	closedir(dir);
	if (!fits)
		return false;
	struct node_cpus node = { .topology = topology };
	for (int id = 0; id < SCXC_TOPOLOGY_MAX_DOMAINS; id++) {
		if (!has[id] || !read_line(line, sizeof(line), "node/node%d/cpulist", id) || !*line)
			continue; /* a node without CPUs (memory only) */
		each_cpu(line, place_in_node, &node);
		node.node++;
	}
	if (node.node > 1)
		topology->nr_nodes = node.node;
	return true;
}

/* Reads the topology into *TOPOLOGY; false (with *TOPOLOGY all zero, which the runtime reads as
 * one cache and node without SMT) if sysfs does not show it or it is beyond the tables. */
static bool read_topology(struct scxc_topology *topology, const char **why)
{
	char line[4096];
	int highest = -1;
	*topology = (struct scxc_topology){ 0 };
	if (!read_line(line, sizeof(line), "cpu/possible") ||
	    !each_cpu(line, note_highest, &highest) || highest < 0) {
		*why = "cannot read cpu/possible";
		return false;
	}
	if (highest >= SCXC_TOPOLOGY_MAX_CPUS) {
		*why = "more CPUs than the runtime's tables hold (" STRINGIFY(
			SCXC_TOPOLOGY_MAX_CPUS) ")";
		return false;
	}
	topology->nr_cpus = (unsigned)highest + 1;
	struct numbering llcs = { .count = 0 };
	for (unsigned cpu = 0; cpu < topology->nr_cpus; cpu++) {
		unsigned threads = 0;
		int leader = llc_leader((int)cpu);
		/* An offline CPU shows no caches: it joins the first cache until it comes back. */
		topology->llc_of[cpu] = (unsigned char)number_of(&llcs, leader < 0 ? 0 : leader);
		if (read_line(line, sizeof(line), "cpu/cpu%u/topology/thread_siblings_list", cpu) &&
		    each_cpu(line, count_cpu, &threads) && threads > topology->smt)
			topology->smt = threads;
	}
	topology->nr_llcs = llcs.count;
	if (llcs.overflow || !read_nodes(topology)) {
		*topology = (struct scxc_topology){ 0 };
		*why = "more caches or nodes than the runtime's tables hold (" STRINGIFY(
			SCXC_TOPOLOGY_MAX_DOMAINS) ")";
		return false;
	}
	return true;
}

/* "0-3, 4-7": the CPUs of each domain in OF, COUNT domains. */
static void describe_domains(char *out, size_t size, const struct scxc_topology *topology,
			     const unsigned char *of, unsigned count)
{
	size_t used = 0;
	*out = '\0';
	for (unsigned d = 0; d < count && used < size; d++) {
		int run_start = -1;
		used += (size_t)snprintf(out + used, size - used, "%s", d ? "; " : "");
		for (unsigned cpu = 0; cpu <= topology->nr_cpus && used < size; cpu++) {
			bool in = cpu < topology->nr_cpus && of[cpu] == d;
			if (in && run_start < 0)
				run_start = (int)cpu;
			if (in || run_start < 0)
				continue;
			bool first = used == 0 || out[used - 1] == ' ';
			if ((int)cpu - 1 == run_start)
				used += (size_t)snprintf(out + used, size - used, "%s%d",
							 first ? "" : ",", run_start);
			else
				used += (size_t)snprintf(out + used, size - used, "%s%d-%u",
							 first ? "" : ",", run_start, cpu - 1);
			run_start = -1;
		}
	}
}

static void report_topology(const struct scxc_topology *t)
{
	char llcs[512], nodes[512];
	describe_domains(llcs, sizeof(llcs), t, t->llc_of, t->nr_llcs);
	describe_domains(nodes, sizeof(nodes), t, t->node_of, t->nr_nodes);
	scxload_note("topology: %u CPUs; %u last-level cache%s (%s); %u NUMA node%s (%s); %s",
		     t->nr_cpus, t->nr_llcs, t->nr_llcs == 1 ? "" : "s", llcs, t->nr_nodes,
		     t->nr_nodes == 1 ? "" : "s", nodes, t->smt > 1 ? "SMT" : "no SMT");
	if (t->nr_llcs <= 1)
		scxload_note("one last-level cache: idle(llc) acts as idle(any)");
	if (t->nr_nodes <= 1)
		scxload_note("one NUMA node: idle(node) acts as idle(any)");
	if (t->smt <= 1)
		scxload_note(
			"no SMT: idle(core) takes any idle CPU, prev's first, then its cache's");
}

bool fill_topology(struct bpf_object *bpf, const char *label)
{
	struct bpf_map *map = bpf_object__find_map_by_name(bpf, SCXC_TOPOLOGY_SECTION);
	struct scxc_topology topology;
	const char *why = NULL;
	size_t size = 0;
	if (!map)
		return true; /* no topology step in the policy */
	if (!bpf_map__initial_value(map, &size) || size != sizeof(topology)) {
		scxload_error(
			"%s: its %s holds %zu bytes, not the %zu of a topology; the object is "
			"damaged",
			label, SCXC_TOPOLOGY_SECTION, size, sizeof(topology));
		return false;
	}
	if (read_topology(&topology, &why))
		report_topology(&topology);
	else
		scxload_note("topology unknown (%s): idle(core), idle(llc) and idle(node) act as "
			     "plain idle CPU steps",
			     why);
	int err = bpf_map__set_initial_value(map, &topology, sizeof(topology));
	if (err) {
		scxload_error("cannot set the topology of %s: %s", label, strerror(-err));
		return false;
	}
	return true;
}
