/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * policy.h — a policy compiled for the host and loaded into this process.
 *
 * Takes a .sched file; makes its struct_ops table and its self-description, from a shared object
 * built in a temporary directory: scxc writes the C, the host compiler builds it against the shim
 * (sim/shim) and the unchanged runtime, and dlopen() loads it.  One shared object per policy, each
 * with its own globals and maps, so a later --compare can load two in one process (and run them
 * one after the other: the kfuncs reach the running simulation through sim_current).
 */
#ifndef SCXSIM_POLICY_H
#define SCXSIM_POLICY_H

#include <stdbool.h>

struct sched_ext_ops;

#define POLICY_MAX_STATS 256

struct policy {
	void *handle;
	char directory[256]; /* the temporary directory of its C and shared object */
	const struct sched_ext_ops *ops;
	const char *description;
	const void *stats_map; /* the definition of scxc_stats, the key of its storage */
	char name[128];
	int nr_stats;
	char *stat_names[POLICY_MAX_STATS];
	bool stat_is_ns[POLICY_MAX_STATS];
};

/* Compiles and loads PATH with the tools named; prints why not and returns false on failure. */
bool policy_load(struct policy *policy, const char *path, const char *scxc, const char *cc);
void policy_unload(struct policy *policy);

#endif
