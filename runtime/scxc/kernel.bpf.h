/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kernel.bpf.h — the few kernel types and constants an scxc scheduler uses, declared by hand.
 *
 * Takes nothing; makes the integer types, the BPF uapi constants the runtime needs, the
 * kfuncs every sched_ext kernel has, and the kernel structures it reads (task_struct, sched_entity, sched_ext_entity, cred, cpumask,
 * scx_exit_info, sched_ext_ops).  Instead of a 135k-line vmlinux.h, every structure lists only the members we
 * touch and carries preserve_access_index: libbpf relocates each member access against the
 * running kernel's BTF at load time (CO-RE), so member order and offsets here do not matter,
 * only names and types.  Enums whose values moved between kernel versions are declared with
 * placeholder values and read through bpf_core_enum_value(), never used directly.
 */
#ifndef SCXC_KERNEL_BPF_H
#define SCXC_KERNEL_BPF_H

typedef signed char s8;
typedef unsigned char u8;
typedef short s16;
typedef unsigned short u16;
typedef int s32;
typedef unsigned int u32;
typedef long long s64;
typedef unsigned long long u64;
typedef _Bool bool;
#define true 1
#define false 0
#define NULL ((void *)0)

/* The names libbpf's headers use. */
typedef s8 __s8;
typedef u8 __u8;
typedef s16 __s16;
typedef u16 __u16;
typedef s32 __s32;
typedef u32 __u32;
typedef s64 __s64;
typedef u64 __u64;
typedef u16 __be16;
typedef u32 __be32;
typedef u32 __wsum;

/* BPF uapi values (stable ABI, from include/uapi/linux/bpf.h). */
enum {
	BPF_MAP_TYPE_ARRAY = 2,
	BPF_MAP_TYPE_PERCPU_ARRAY = 6,
	BPF_MAP_TYPE_TASK_STORAGE = 29,
};
#define BPF_F_NO_PREALLOC (1U << 0)
#define BPF_LOCAL_STORAGE_GET_F_CREATE (1ULL << 0)

#define __ctx_access __attribute__((preserve_access_index))

/* Process flags are plain #defines in the kernel (no BTF) and have never moved. */
#define PF_KTHREAD 0x00200000

/* Static priority of nice 0 (MAX_RT_PRIO + 20): nice = static_prio - 120. */
#define SCXC_DEFAULT_PRIO 120

#define TASK_COMM_LEN 16

typedef struct {
	u32 val;
} __ctx_access kuid_t;

typedef struct {
	u32 val;
} __ctx_access kgid_t;

struct cred {
	kuid_t uid;
	kgid_t gid;
} __ctx_access;

struct cpumask {
	unsigned long bits[1];
} __ctx_access;

/* A cpumask a BPF program owns (kernel/bpf/cpumask.c); only ever handled through kfuncs. */
struct bpf_cpumask {
	struct cpumask cpumask;
} __ctx_access;

struct sched_ext_entity {
	u32 flags;
	u32 weight;
	u64 slice;
	u64 dsq_vtime;
} __ctx_access;

struct sched_entity {
	u64 sum_exec_runtime;
} __ctx_access;

struct task_struct {
	unsigned int flags;
	int static_prio;
	unsigned int policy;
	int pid;
	int tgid;
	const struct cred *real_cred;
	const struct cpumask *cpus_ptr;
	int nr_cpus_allowed;
	char comm[TASK_COMM_LEN];
	struct sched_entity se;
	struct sched_ext_entity scx;
} __ctx_access;

/* Read through bpf_core_enum_value(); the values here are only placeholders. */
enum scx_ent_flags {
	SCX_TASK_QUEUED = 1,
};

enum scx_pick_idle_cpu_flags {
	SCX_PICK_IDLE_CORE = 1,
};

enum scx_kick_flags {
	SCX_KICK_IDLE = 1,
	SCX_KICK_PREEMPT = 2,
};

enum scx_enq_flags {
	SCX_ENQ_WAKEUP = 1,
};

enum scx_exit_kind {
	SCX_EXIT_NONE = 0,
};

/* DSQ ids are stable across kernels: bit 63 marks the built-in queues. */
#define SCX_DSQ_FLAG_BUILTIN (1ULL << 63)
#define SCX_DSQ_GLOBAL (SCX_DSQ_FLAG_BUILTIN | 1)
#define SCX_DSQ_LOCAL (SCX_DSQ_FLAG_BUILTIN | 2)

/* The default slice and the weight of a nice-0 task. */
#define SCX_SLICE_DFL 20000000ULL
#define SCX_WEIGHT_DFL 100

struct scx_exit_info {
	enum scx_exit_kind kind;
	s64 exit_code;
	const char *reason;
	char *msg;
} __ctx_access;

/* The iterators' on-stack states; their sizes must match the kernel's. */
struct bpf_iter_scx_dsq {
	u64 __opaque[6];
} __attribute__((aligned(8)));

struct bpf_iter_num {
	u64 __opaque[1];
} __attribute__((aligned(8)));

/* Only the callbacks and fields the runtime sets: libbpf matches them by name. */
struct sched_ext_ops {
	s32 (*select_cpu)(struct task_struct *p, s32 prev_cpu, u64 wake_flags);
	void (*enqueue)(struct task_struct *p, u64 enq_flags);
	void (*dispatch)(s32 cpu, struct task_struct *prev);
	void (*runnable)(struct task_struct *p, u64 enq_flags);
	void (*running)(struct task_struct *p);
	void (*stopping)(struct task_struct *p, bool runnable);
	void (*enable)(struct task_struct *p);
	s32 (*init)(void);
	void (*exit)(struct scx_exit_info *info);
	u64 flags;
	char name[128];
} __ctx_access;

#include <bpf/bpf_helpers.h>

/* The kfuncs present in every kernel with sched_ext (compat.bpf.h bridges those renamed since). */
extern s32 scx_bpf_create_dsq(u64 dsq_id, s32 node) __ksym;
extern s32 scx_bpf_dsq_nr_queued(u64 dsq_id) __ksym;
extern bool scx_bpf_test_and_clear_cpu_idle(s32 cpu) __ksym;
extern s32 scx_bpf_pick_idle_cpu(const struct cpumask *cpus_allowed, u64 flags) __ksym;
extern void scx_bpf_kick_cpu(s32 cpu, u64 flags) __ksym;
extern u32 scx_bpf_nr_cpu_ids(void) __ksym;
extern s32 scx_bpf_task_cpu(const struct task_struct *p) __ksym;
extern const struct cpumask *scx_bpf_get_idle_cpumask(void) __ksym;
extern void scx_bpf_put_idle_cpumask(const struct cpumask *cpumask) __ksym;
extern bool bpf_cpumask_test_cpu(u32 cpu, const struct cpumask *cpumask) __ksym;
extern u32 bpf_cpumask_first(const struct cpumask *cpumask) __ksym;
extern const struct cpumask *scx_bpf_get_idle_smtmask(void) __ksym;
extern struct bpf_cpumask *bpf_cpumask_create(void) __ksym;
extern void bpf_cpumask_release(struct bpf_cpumask *cpumask) __ksym;
extern void bpf_cpumask_set_cpu(u32 cpu, struct bpf_cpumask *cpumask) __ksym;
extern bool bpf_cpumask_and(struct bpf_cpumask *dst, const struct cpumask *src1,
			    const struct cpumask *src2) __ksym;
extern bool bpf_cpumask_intersects(const struct cpumask *src1, const struct cpumask *src2) __ksym;
extern int bpf_iter_scx_dsq_new(struct bpf_iter_scx_dsq *it, u64 dsq_id, u64 flags) __ksym;
extern struct task_struct *bpf_iter_scx_dsq_next(struct bpf_iter_scx_dsq *it) __ksym;
extern void bpf_iter_scx_dsq_destroy(struct bpf_iter_scx_dsq *it) __ksym;
extern int bpf_iter_num_new(struct bpf_iter_num *it, int start, int end) __ksym;
extern int *bpf_iter_num_next(struct bpf_iter_num *it) __ksym;
extern void bpf_iter_num_destroy(struct bpf_iter_num *it) __ksym;

#endif
