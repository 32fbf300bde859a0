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
#define SCXC_DESCRIPTION_VERSION 1

/* The number of rows of a list: SCXC_LIST_COUNT(SCXC_QUEUE_KIND_LIST).  Counts are kept out of
 * the enums, so that a switch over an enum handles exactly its kinds. */
#define SCXC_COUNT_ROW(...) +1
#define SCXC_LIST_COUNT(list) (0 list(SCXC_COUNT_ROW))

/*
 * Queue kinds: how a queue orders its tasks.  X(NAME, word in the language, what it means)
 * fifo: in arrival order, a task whose slice ends goes to the back; vtime: by virtual time, the
 * CPU time a task used divided by its weight.
 */
/* clang-format off */
#define SCXC_QUEUE_KIND_LIST(X) \
	X(FIFO, "fifo", "first come, first served") \
	X(VTIME, "vtime", "fair by weight")
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
 * ("class.NAME.STAT", "queue.NAME.STAT", "STAT").  X(NAME, word)
 */
/* clang-format off */
#define SCXC_CLASS_STAT_LIST(X) \
	X(ENQUEUED, "enqueued")		/* a task of the class was queued */ \
	X(DIRECT, "direct")		/* ... or sent straight to an idle CPU */
/* clang-format on */
/* clang-format off */
#define SCXC_QUEUE_STAT_LIST(X) \
	X(ENQUEUED, "enqueued")		/* a task entered the queue */ \
	X(DISPATCHED, "dispatched")	/* a CPU took a task from it */
/* clang-format on */
/* clang-format off */
#define SCXC_POLICY_STAT_LIST(X) \
	X(KEPT, "kept")			/* a task whose slice ended ran on: nothing came before it */
/* clang-format on */

enum scxc_class_stat {
#define X(name, word) SCXC_CLASS_STAT_##name,
	SCXC_CLASS_STAT_LIST(X)
#undef X
};
#define SCXC_NR_CLASS_STATS SCXC_LIST_COUNT(SCXC_CLASS_STAT_LIST)

enum scxc_queue_stat {
#define X(name, word) SCXC_QUEUE_STAT_##name,
	SCXC_QUEUE_STAT_LIST(X)
#undef X
};
#define SCXC_NR_QUEUE_STATS SCXC_LIST_COUNT(SCXC_QUEUE_STAT_LIST)

enum scxc_policy_stat {
#define X(name, word) SCXC_POLICY_STAT_##name,
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

/* Limits.  The runtime holds every slice and weight a policy computes to these ranges; the
 * compiler refuses constants outside them and sizes beyond the table limits. */
#define SCXC_SLICE_MIN_NS 1000LL       /* 1us: shorter slices only burn CPU in switches */
#define SCXC_SLICE_MAX_NS 1000000000LL /* 1s: longer ones freeze everything else */
#define SCXC_WEIGHT_MIN 1	       /* sched_ext's own weight range */
#define SCXC_WEIGHT_MAX 10000
#define SCXC_COMM_MAX 15    /* characters of a comm: the kernel's 16 less the NUL */
#define SCXC_GLOB_MAX 31    /* characters of a comm glob: one bit per position */
#define SCXC_MAX_PARAMS 256 /* keep the runtime's tables and its per-CPU */
#define SCXC_MAX_QUEUES 64  /* stats (one map value) small */
#define SCXC_MAX_CLASSES 256

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
