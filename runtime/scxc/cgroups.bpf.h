/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * cgroups.bpf.h — which of a policy's cgroup tests a task's cgroup passes.
 *
 * Takes the emitted tables of the tests (SCXC_NR_CGROUP_TESTS, scxc_cgroup_length, _stars, _any,
 * _chars; compiler/emit_cgroups.c), included right after them by a policy that tests `cgroup`;
 * makes scxc_cgroup_test(p, K), what the classifier calls.  A task's cgroup is its cgroup in the
 * cgroup2 hierarchy (p->cgroups->dfl_cgrp, whatever controllers are enabled), and its path the
 * names of its ancestors below the root, each after a '/' ("/" for the root itself), as
 * /proc/PID/cgroup shows it.  The path is built and run through every test's automaton only when
 * the task is seen in another cgroup than the last time (by the cgroup's id), so a cgroup created
 * after the scheduler loaded matches like any other; the answer, one bit per test, is kept in
 * the task's storage.  A path longer than SCXC_CGROUP_PATH_MAX characters, or deeper than
 * SCXC_CGROUP_DEPTH_MAX levels, passes no test.
 */
#ifndef SCXC_CGROUPS_BPF_H
#define SCXC_CGROUPS_BPF_H

#include "kernel.bpf.h"
#include <bpf/bpf_core_read.h>

#if !SCXC_CGROUPS || !defined(SCXC_NR_CGROUP_TESTS)
#error "included by a policy with cgroup tests, after their tables (compiler/emit_cgroups.c)"
#endif

/* The kernel's types, only the members read here (CO-RE relocates them; `___scxc` types are
 * matched to the kernel's type of the name before the suffix). */
struct kernfs_node {
	const char *name;
	u64 id;
} __ctx_access;

struct cgroup {
	int level;
	struct kernfs_node *kn;
	struct cgroup *ancestors[];
} __ctx_access;

struct css_set {
	struct cgroup *dfl_cgrp;
} __ctx_access;

struct task_struct___scxc {
	struct css_set *cgroups;
} __ctx_access;

/* The path being matched, and each test's live positions: too big for the stack. */
struct scxc_cgroup_scratch {
	char path[2 * (SCXC_CGROUP_PATH_MAX + 1)];
	u64 live[SCXC_NR_CGROUP_TESTS];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct scxc_cgroup_scratch);
} scxc_cgroup_scratch SEC(".maps");

/* What the tests said of the cgroup a task was last seen in. */
struct scxc_cgroup_seen {
	u64 id; /* the cgroup's id (its kernfs node's); 0: none yet */
	u64 bits;
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct scxc_cgroup_seen);
} scxc_cgroup_seen SEC(".maps");

/* Writes the path of the cgroup at CGRP (an address: read with probe reads) into S->path;
 * returns its length, or 0 if it is too long or deep, or unreadable. */
static __always_inline u32 scxc_cgroup_path(u64 cgrp, struct scxc_cgroup_scratch *s)
{
	struct cgroup *cg = (struct cgroup *)cgrp;
	int level = BPF_CORE_READ(cg, level), l;
	u32 length = 0;
	long n;

	if (level < 0 || level > SCXC_CGROUP_DEPTH_MAX)
		return 0;
	if (level == 0) {
		s->path[0] = '/';
		return 1;
	}
	for (l = 1; l <= SCXC_CGROUP_DEPTH_MAX && l <= level; l++) {
		struct cgroup *ancestor = NULL;
		const char *name;

		if (length >= SCXC_CGROUP_PATH_MAX)
			return 0;
		bpf_core_read(&ancestor, sizeof(ancestor), &cg->ancestors[l]);
		name = BPF_CORE_READ(ancestor, kn, name);
		s->path[length & SCXC_CGROUP_PATH_MAX] = '/';
		length++;
		/* SCXC_CGROUP_PATH_MAX + 1 is a power of two, and path[] twice that */
		n = bpf_probe_read_kernel_str(&s->path[length & SCXC_CGROUP_PATH_MAX],
					      SCXC_CGROUP_PATH_MAX + 1, name);
		if (n <= 1)
			return 0;
		length += n - 1;
	}
	return length <= SCXC_CGROUP_PATH_MAX ? length : 0;
}

/*
 * The tests the cgroup at CGRP passes, one bit each.  Each test is an automaton with a bit per
 * position of its pattern: a character moves each live position that takes it one on, a '*'
 * position stays live, and a live '*' also makes the position after it live (the empty run).
 * Global, so that the verifier checks it once and not at every call.
 */
__attribute__((noinline)) u64 scxc_cgroup_match(u64 cgrp)
{
	struct scxc_cgroup_scratch *s;
	u32 zero = 0, length, i, k;
	u64 bits = 0;

	s = bpf_map_lookup_elem(&scxc_cgroup_scratch, &zero);
	if (!s)
		return 0;
	length = scxc_cgroup_path(cgrp, s);
	if (!length)
		return 0;
	for (k = 0; k < SCXC_NR_CGROUP_TESTS; k++)
		s->live[k] = 1 | ((1 & scxc_cgroup_stars[k]) << 1);
	for (i = 0; i < SCXC_CGROUP_PATH_MAX && i < length; i++) {
		u8 c = s->path[i & SCXC_CGROUP_PATH_MAX];

		for (k = 0; k < SCXC_NR_CGROUP_TESTS; k++) {
			u64 live = s->live[k], stars = scxc_cgroup_stars[k], next;

			next = ((live & (scxc_cgroup_chars[k][c] | scxc_cgroup_any[k])) << 1) |
			       (live & stars);
			s->live[k] = next | ((next & stars) << 1);
		}
	}
	for (k = 0; k < SCXC_NR_CGROUP_TESTS; k++)
		bits |= ((s->live[k] >> (scxc_cgroup_length[k] & 63)) & 1) << k;
	return bits;
}

/* The tests P's cgroup passes: matched again only when P is seen in another cgroup. */
static __always_inline u64 scxc_task_cgroup_bits(struct task_struct *p)
{
	struct task_struct___scxc *t = (void *)p;
	struct cgroup *cgrp = BPF_CORE_READ(t, cgroups, dfl_cgrp);
	u64 id = BPF_CORE_READ(cgrp, kn, id);
	struct scxc_cgroup_seen *seen;

	seen = bpf_task_storage_get(&scxc_cgroup_seen, p, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!seen)
		return scxc_cgroup_match((u64)cgrp);
	if (seen->id != id) {
		seen->bits = scxc_cgroup_match((u64)cgrp);
		seen->id = id;
	}
	return seen->bits;
}

/* Whether P's cgroup passes test K (a constant). */
#define scxc_cgroup_test(p, k) ((scxc_task_cgroup_bits(p) >> (k)) & 1)

#endif
