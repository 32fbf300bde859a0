/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * run.h — what run.c shares with the two files it leans on: one load of an object (struct
 * loaded), the stats and exit record stats.c reads and prints from it, and the libbpf messages
 * verifier_log.c captures during a load and shows when the load fails.  Private to the loader
 * library; its API is scxload.h.
 */
#ifndef SCXLOAD_RUN_H
#define SCXLOAD_RUN_H

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include "checked.h"
#include "scxc/contract.h"
#include "scxload.h"

/* The kernel's first error exit kind (enum scx_exit_kind): below it, the scheduler was unloaded. */
enum { SCX_EXIT_ERROR = 1024 };

enum { MAX_PROGRAMS = 32 };

struct bpf_map;
struct bpf_link;

/* One load of an object, from load to unload. */
struct loaded {
	struct bpf_object *bpf;
	struct bpf_map *stats;
	struct bpf_map *bss;
	struct bpf_link *ops_link; /* libbpf's handle; it only stored the ops value */
	int link_fd;		   /* the kernel's struct_ops link: the scheduler runs while open */
	struct scxload_verified verified[MAX_PROGRAMS]; /* the verifier's work, read after load */
	int nr_verified;
};

/* calloc that ends the program when memory runs out (the kernel's link goes with it). */
static inline void *zeroed(size_t count, size_t size)
{
	return checked(calloc(count ? count : 1, size));
}

/* --- verifier_log.c: libbpf's messages, shown when they explain a failure --------------------- */

/* From now on, keeps libbpf's warnings (the verifier's log comes as one); with VERBOSE, also
 * prints every message libbpf gives. */
void capture_libbpf_messages(bool verbose);
/* Forgets the messages kept so far: each load explains only its own failure. */
void clear_libbpf_log(void);
/* After a failed load: the end of the verifier's log or libbpf's complaints, and the policy line
 * the refused code came from. */
void explain_load_failure(const struct scxload_options *options);
void free_libbpf_log(void);

/* --- stats.c: the runtime's state, read from a loaded object and printed ---------------------- */

/* Copies the runtime's exit record out of .bss into RECORD; false if it cannot be read. */
bool read_exit_record(const struct scxload_object *object, const struct loaded *loaded,
		      struct scxc_exit_info *record);
/* The kernel's name of an exit kind ("DONE", "ERROR_STALL"). */
const char *exit_kind_name(int32_t kind);
/* Reports an error exit: "the kernel stopped 'POLICY': REASON (exit kind N, NAME): MESSAGE". */
void report_kernel_exit(const struct scxload_object *object, const struct scxc_exit_info *record);
/* Sums the per-CPU stats into TOTALS (object->nr_stats entries). */
void read_stats(const struct scxload_object *object, const struct loaded *loaded, uint64_t *totals);
/* The stats after ELAPSED seconds, with rates over the last INTERVAL seconds since PREVIOUS. */
void print_interval(const struct scxload_object *object, const struct scxload_options *options,
		    const uint64_t *totals, const uint64_t *previous, double elapsed,
		    double interval);
/* The last stats, how the run ENDED, the exit record and (JSON) the verifier's work. */
void print_summary(const struct scxload_object *object, const struct scxload_options *options,
		   const struct loaded *loaded, const uint64_t *totals, double elapsed,
		   const char *ended, const struct scxc_exit_info *record);

#endif
