/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * members.bpf.h — who a task is, beyond its comm: its scheduling policy, and which tasks the
 * scheduler takes at all.
 *
 * Takes the optional SCXC_SWITCH_PARTIAL and SCXC_CGROUPS of the emitted file (1: the policy says
 * `partial = true;`, or tests `cgroup`); makes scxc_task_sched_policy(p), what `sched_policy` reads,
 * scxc_task_parent(p), whose comm `parent_comm` tests, and SCXC_OPS_FLAGS, the
 * ops flags: in partial mode only the tasks whose policy is SCHED_EXT run under the scheduler
 * (SCX_OPS_SWITCH_PARTIAL), the others keep the kernel's own.
 */
#ifndef SCXC_MEMBERS_BPF_H
#define SCXC_MEMBERS_BPF_H

#include "kernel.bpf.h"

#ifndef SCXC_SWITCH_PARTIAL
#define SCXC_SWITCH_PARTIAL 0
#endif
/* 1: a class tests the task's cgroup (scxc/cgroups.bpf.h, which the emitted file then includes
 * after its tables); its tasks are sorted again when a slice ends, so a task moved to another
 * cgroup changes class by its next slice end or wake-up. */
#ifndef SCXC_CGROUPS
#define SCXC_CGROUPS 0
#endif

/* enum scx_ops_flags: 1 << 3 in every kernel with sched_ext (6.12 .. 7.3).  A struct_ops map's
 * value is built by the compiler, where CO-RE cannot relocate an enum, so it is written here. */
#define SCXC_SCX_OPS_SWITCH_PARTIAL (1ULL << 3)
#define SCXC_OPS_FLAGS (SCXC_SWITCH_PARTIAL ? SCXC_SCX_OPS_SWITCH_PARTIAL : 0)

/* The parent a task has now (the process that waits for it), whose comm `parent_comm` tests: a
 * kernel type of the name before `___` (CO-RE), for the one member read from it. */
struct task_struct___scxc_parent {
	struct task_struct *real_parent;
} __ctx_access;

static __always_inline struct task_struct *scxc_task_parent(struct task_struct *p)
{
	return ((struct task_struct___scxc_parent *)p)->real_parent;
}

/* The task's scheduling policy, a SCHED_* number (SCHED_EXT is 7). */
static __always_inline s64 scxc_task_sched_policy(struct task_struct *p)
{
	return p->policy;
}

#endif
