/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * contract.h — what the compiler, the runtime and the loader must agree on, written once.
 *
 * Plain C with no BPF, kernel or libc types, so the emitter (compiler/), the BPF runtime
 * (runtime.bpf.h, ops.bpf.h) and the loader (loader/) all include this one file: the queue kinds,
 * the CPU-selection steps, the stats every class and queue has, the limits the runtime holds
 * values to, the version of the object's self-description and the layout of the exit record.
 * Each list is an X-macro: a new kind is one row here plus its meaning in the runtime, and
 * every switch over these enums has no `default`, so -Wswitch names each place still to do.
 * docs/object-format.md describes the contract; docs/hacking.md says how to extend it.
 */
#ifndef SCXC_CONTRACT_H
#define SCXC_CONTRACT_H

/* The first line of the `.scxc` self-description is "scxc <version>". */
#define SCXC_DESCRIPTION_VERSION 2

/* The number of rows of a list: SCXC_LIST_COUNT(SCXC_QUEUE_KIND_LIST).  Counts are kept out of
 * the enums, so that a switch over an enum handles exactly its kinds. */
#define SCXC_COUNT_ROW(...) +1
#define SCXC_LIST_COUNT(list) (0 list(SCXC_COUNT_ROW))

/*
 * Queue kinds: how a queue orders its tasks.  X(NAME, word in the language, what it means)
 * fifo: in arrival order, a task whose slice ends goes to the back; vtime: by virtual time, the
 * CPU time a task used divided by its weight; deadline: by absolute deadline, the time the task
 * became runnable plus its class's relative deadline (earliest deadline first).
 */
/* clang-format off */
#define SCXC_QUEUE_KIND_LIST(X) \
	X(FIFO, "fifo", "first come, first served") \
	X(VTIME, "vtime", "fair by weight") \
	X(DEADLINE, "deadline", "earliest deadline first")
/* clang-format on */

enum scxc_queue_kind {
#define X(name, word, meaning) SCXC_QUEUE_##name,
	SCXC_QUEUE_KIND_LIST(X)
#undef X
};
#define SCXC_NR_QUEUE_KINDS SCXC_LIST_COUNT(SCXC_QUEUE_KIND_LIST)

/* CPU-selection steps, tried in the policy's order.  X(NAME, text in the language) */
/* clang-format off */
#define SCXC_CPU_STEP_LIST(X) \
	X(IDLE_PREV, "idle(prev)")	/* the CPU the task last ran on, if it is idle */ \
	X(IDLE_ANY, "idle(any)")	/* any idle CPU the task may use */ \
	X(IDLE_CORE, "idle(core)")	/* an idle CPU of a wholly idle SMT core: prev's, its LLC's, any */ \
	X(IDLE_LLC, "idle(llc)")	/* an idle CPU sharing prev's last-level cache */ \
	X(IDLE_NODE, "idle(node)")	/* an idle CPU in prev's NUMA node */ \
	X(PREV, "prev")			/* the CPU it last ran on, idle or not: ends the chain */
/* clang-format on */

enum scxc_cpu_step {
#define X(name, text) SCXC_CPU_##name,
	SCXC_CPU_STEP_LIST(X)
#undef X
};
#define SCXC_NR_CPU_STEP_KINDS SCXC_LIST_COUNT(SCXC_CPU_STEP_LIST)

/*
 * Stats, counted per CPU in one array.  Its layout: each class's stats in class order, then each
 * queue's in queue order, then the policy's; the self-description names them in the same order
 * ("class.NAME.STAT", "queue.NAME.STAT", "STAT") with their unit.  X(NAME, word, unit), where
 * the unit is "count" (events) or "ns" (a total of time).
 */
/* clang-format off */
#define SCXC_CLASS_STAT_LIST(X) \
	X(ENQUEUED, "enqueued", "count")	/* a task of the class was queued */ \
	X(DIRECT, "direct", "count")		/* ... or sent straight to an idle CPU */ \
	X(MET, "met", "count")			/* a job (a wake-up's work) ended by its deadline */ \
	X(MISSED, "missed", "count")		/* ... or after it */ \
	X(LATENESS, "lateness", "ns")		/* the time the missed jobs ended past their deadlines */ \
	X(PREEMPTS, "preempts", "count")	/* a task of the class woke and took a CPU from lower work */
/* clang-format on */
/* clang-format off */
#define SCXC_QUEUE_STAT_LIST(X) \
	X(ENQUEUED, "enqueued", "count")	/* a task entered the queue */ \
	X(DISPATCHED, "dispatched", "count")	/* a CPU took a task from it */ \
	X(RESCUED, "rescued", "count")		/* ... ahead of everything, as it waited past its bound */ \
	X(MISFIT, "misfit", "count")		/* a task that may run on none of the queue's CPUs ran */
/* clang-format on */
/* clang-format off */
#define SCXC_POLICY_STAT_LIST(X) \
	X(KEPT, "kept", "count")		/* a task whose slice ended ran on: nothing came before it */ \
	X(RESORTED, "resorted", "count")	/* a task whose slice ended was sorted into another class */
/* clang-format on */

enum scxc_class_stat {
#define X(name, word, unit) SCXC_CLASS_STAT_##name,
	SCXC_CLASS_STAT_LIST(X)
#undef X
};
#define SCXC_NR_CLASS_STATS SCXC_LIST_COUNT(SCXC_CLASS_STAT_LIST)

enum scxc_queue_stat {
#define X(name, word, unit) SCXC_QUEUE_STAT_##name,
	SCXC_QUEUE_STAT_LIST(X)
#undef X
};
#define SCXC_NR_QUEUE_STATS SCXC_LIST_COUNT(SCXC_QUEUE_STAT_LIST)

enum scxc_policy_stat {
#define X(name, word, unit) SCXC_POLICY_STAT_##name,
	SCXC_POLICY_STAT_LIST(X)
#undef X
};
#define SCXC_NR_POLICY_STATS SCXC_LIST_COUNT(SCXC_POLICY_STAT_LIST)

/* Where each stat sits in the array of a policy with NR_CLASSES classes and NR_QUEUES queues. */
#define SCXC_CLASS_STAT_INDEX(cls, stat) (SCXC_NR_CLASS_STATS * (cls) + (stat))
#define SCXC_QUEUE_STAT_INDEX(nr_classes, q, stat) \
	(SCXC_NR_CLASS_STATS * (nr_classes) + SCXC_NR_QUEUE_STATS * (q) + (stat))
#define SCXC_POLICY_STAT_INDEX(nr_classes, nr_queues, stat) \
	(SCXC_NR_CLASS_STATS * (nr_classes) + SCXC_NR_QUEUE_STATS * (nr_queues) + (stat))
#define SCXC_STATS_COUNT(nr_classes, nr_queues) \
	SCXC_POLICY_STAT_INDEX(nr_classes, nr_queues, SCXC_NR_POLICY_STATS)

/*
 * Wait-time histograms, one per class: how long its tasks waited from being queued (a wake-up,
 * or a slice's end with others waiting) until they ran.  The per-CPU array map `scxc_waits` holds
 * one element of u32 count[classes][SCXC_WAIT_BUCKETS].  Bucket 0 counts waits under 1024 ns;
 * bucket b > 0 waits from SCXC_WAIT_BUCKET_FLOOR_NS(b) up to twice that; the last bucket has no
 * upper end.  Powers of two of 1024 ns keep the bucket a bit scan in BPF.
 */
#define SCXC_WAIT_BUCKETS 24
#define SCXC_WAIT_BUCKET_SHIFT 10
#define SCXC_WAIT_BUCKET_FLOOR_NS(b) ((b) ? 1ULL << (SCXC_WAIT_BUCKET_SHIFT + (b)-1) : 0ULL)

/* Limits.  The runtime holds every slice, weight, deadline and period a policy computes to these
 * ranges; the compiler refuses constants outside them and sizes beyond the table limits. */
#define SCXC_SLICE_MIN_NS 1000LL       /* 1us: shorter slices only burn CPU in switches */
#define SCXC_SLICE_MAX_NS 1000000000LL /* 1s: longer ones freeze everything else */
#define SCXC_WEIGHT_MIN 1	       /* sched_ext's own weight range */
#define SCXC_WEIGHT_MAX 10000
#define SCXC_DEADLINE_MIN_NS 1000LL	   /* 1us, as a slice */
#define SCXC_DEADLINE_MAX_NS 10000000000LL /* 10s: past the kernel's 30 s stall watchdog's reach */
#define SCXC_BOUND_MIN_NS 1000000LL /* 1ms: a starvation bound shorter than a tick means little */
#define SCXC_BOUND_MAX_NS 10000000000LL /* 10s, below the watchdog */
#define SCXC_SHARE_MIN 1		/* a queue's share in a dispatch group */
#define SCXC_SHARE_MAX 1000
#define SCXC_COMM_MAX 15    /* characters of a comm: the kernel's 16 less the NUL */
#define SCXC_GLOB_MAX 31    /* characters of a comm glob: one bit per position */
#define SCXC_MAX_PARAMS 256 /* keep the runtime's tables and its per-CPU */
#define SCXC_MAX_QUEUES 64  /* stats (one map value) small */
#define SCXC_MAX_CLASSES 256
#define SCXC_CGROUP_PATTERN_MAX 63 /* characters of a cgroup test's path or glob: a bit each */
#define SCXC_CGROUP_PATH_MAX 127   /* a longer cgroup path (as the runtime reads it) matches none */
#define SCXC_CGROUP_DEPTH_MAX 16   /* nor does a deeper one */
#define SCXC_CGROUP_TESTS_MAX 32   /* distinct cgroup tests per policy: a bit each */
#define SCXC_MAX_CPUS 512	   /* CPU ids a CPU set may name: 0 .. 511 */
#define SCXC_CPUSET_WORDS (SCXC_MAX_CPUS / 64) /* a CPU set as a bitmap of u64 words */

/* Why the scheduler stopped: ops.exit copies the kernel's exit info into the .bss variable
 * `scxc_exit`, and the loader reads it by this layout (the same on BPF and on 64-bit hosts). */
#define SCXC_EXIT_REASON_SIZE 128
#define SCXC_EXIT_MESSAGE_SIZE 1024

struct scxc_exit_info {
	__INT32_TYPE__ kind; /* the kernel's enum scx_exit_kind; 0: still running */
	__INT64_TYPE__ exit_code;
	char reason[SCXC_EXIT_REASON_SIZE];
	char message[SCXC_EXIT_MESSAGE_SIZE];
};

_Static_assert(sizeof(struct scxc_exit_info) ==
		       8 + 8 + SCXC_EXIT_REASON_SIZE + SCXC_EXIT_MESSAGE_SIZE,
	       "the exit record has one layout on every target");

#endif
