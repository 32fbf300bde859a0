/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * run.h — what the loader library's files share privately: one load of an object (struct
 * loaded), a moment's reading of the runtime's maps (struct snapshot) that stats.c and waits.c
 * print, the description parser, the sysfs checks, the live state a running scxrun publishes
 * for `scxrun set`, and the libbpf messages verifier_log.c captures during a load.  Its API is
 * scxload.h.
 */
#ifndef SCXLOAD_RUN_H
#define SCXLOAD_RUN_H

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include "checked.h"
#include "number.h"
#include "scxc/contract.h"
#include "scxload.h"

/* The kernel's first error exit kind (enum scx_exit_kind): below it, the scheduler was unloaded. */
enum { SCX_EXIT_ERROR = 1024 };

enum { MAX_PROGRAMS = 32 };

/* The section that holds scxc_params, and so the name of libbpf's map for it; the wait-time
 * histograms' map. */
#define PARAMS_SECTION ".data.params"
#define WAITS_MAP "scxc_waits"

struct bpf_map;
struct bpf_link;

/* The params map's value mapped into this process (libbpf makes .data maps BPF_F_MMAPABLE):
 * param i is the aligned 8-byte word values[i], read and written whole. */
struct params_mapping {
	int64_t *values; /* NULL: not mapped (the policy has no params) */
	size_t length;
};

/* One load of an object, from load to unload. */
struct loaded {
	struct bpf_object *bpf;
	struct bpf_map *stats;
	struct bpf_map *waits;
	struct bpf_map *params;
	struct bpf_map *bss;
	struct params_mapping params_mapping; /* the params, as they are now */
	struct bpf_link *ops_link;	      /* libbpf's handle; it only stored the ops value */
	int link_fd;	/* the kernel's struct_ops link: the scheduler runs while open */
	bool published; /* state.c made the live state for `scxrun set` */
	struct scxload_verified verified[MAX_PROGRAMS]; /* the verifier's work, read after load */
	int nr_verified;
};

/* The runtime's maps at one moment, each summed over the CPUs. */
struct snapshot {
	uint64_t *stats; /* object->nr_stats totals */
	uint64_t *waits; /* nr_classes × SCXC_WAIT_BUCKETS: how many waits fell in each bucket */
	int64_t *params; /* object->nr_params values */
};

/* calloc that ends the program when memory runs out (the kernel's link goes with it). */
static inline void *zeroed(size_t count, size_t size)
{
	return checked(calloc(count ? count : 1, size));
}

/* --- description.c: the `.scxc` text ---------------------------------------------------------- */

/* Reads the self-description TEXT (SIZE bytes, NUL-terminated within them) into OBJECT, whose
 * label names it in messages.  Reports the first bad record and returns false. */
bool parse_description(struct scxload_object *object, const char *text, size_t size);
/* The enum scxload_unit of a stat record's unit WORD ("count", "ns"), or -1. */
int scxload_unit_of(const char *word);

/* --- params.c: values as `--set` and `scxrun set` take them ----------------------------------- */

/* Whether WORD has the form NAME=VALUE; if not, says "COMMAND takes NAME=VALUE, not 'WORD'". */
bool assignment_form(const char *word, const char *command);
/* Reads ASSIGNMENT (NAME=VALUE, given to COMMAND) against OBJECT's params: the param's index
 * into *INDEX, its value into *VALUE, or a cpuset's CPUs into CPUS (SCXC_CPUSET_WORDS words; NULL
 * where a cpuset cannot change, as in a running scheduler).  Reports an unknown name, a wrong
 * value or one out of range, and returns false. */
bool parse_assignment(const struct scxload_object *object, const char *assignment,
		      const char *command, int *index, int64_t *value, uint64_t *cpus);
/* Prints "param NAME: TYPE = VALUE RANGE" to stdout, as --describe and `scxrun get` show it. */
void print_param(const struct scxload_param *param, int64_t value);

/* --- cpusets.c: CPU sets ---------------------------------------------------------------------- */

/* Checks every queue's set against a machine of NR_CPUS CPUs: warns about CPUs it does not have,
 * and reports a set with none of its CPUs there (false). */
bool check_cpusets(const struct scxload_object *object, int nr_cpus);
/* How many params are cpusets; where the bitmap of the SLOT-th lies in .data.params; writes
 * each one's CPUs there into DATA, the map's value. */
int cpuset_param_count(const struct scxload_object *object);
size_t cpuset_offset(const struct scxload_object *object, int slot);
void write_cpuset_params(const struct scxload_object *object, char *data);

/* --- sysfs.c: sched_ext as the kernel shows it ------------------------------------------------ */

/* The sched_ext sysfs directory; SCXRUN_SYSFS replaces it in tests. */
const char *sysfs_dir(void);
/* Whether the kernel has sched_ext at all. */
bool sched_ext_present(void);
/* Reads the first line of the file at PATH into BUF, without its newline; false if it cannot. */
bool read_first_line(const char *path, char *buf, size_t size);
/* Reads the first line of sysfs file NAME ("state", "root/ops") into BUF; false if it cannot. */
bool read_sysfs(const char *name, char *buf, size_t size);
/* Describes the active scheduler into BUF ("'name'" or "a scheduler"). */
void describe_active(char *buf, size_t size);
/* Whether the active sched_ext scheduler is POLICY. */
bool policy_active(const char *policy);

/* --- topology.c: the machine's topology for the topology CPU steps -------------------------- */

/* Fills the object's .rodata.topology, if it has one, from sysfs and says what it found; false
 * (having said why) if the section is not a topology. */
struct bpf_object;
bool fill_topology(struct bpf_object *bpf, const char *label);

/* --- live.c: the params map in memory --------------------------------------------------------- */

/* Maps the value of the params map FD (an array of one element, BPF_F_MMAPABLE, at least 8 ×
 * NR_PARAMS bytes), writable or read-only.  Reports why not, naming the map as WHAT, and
 * returns false. */
bool map_params(int fd, int nr_params, bool writable, const char *what,
		struct params_mapping *mapping);
void unmap_params(struct params_mapping *mapping);
/* Param I as the BPF side reads it: one aligned 8-byte load. */
int64_t load_param(const struct params_mapping *mapping, int i);

/* --- state.c: what a running scxrun publishes for `scxrun set` -------------------------------- */

/* Whether NAME can name a policy's state: letters, digits and '_' (the language's names). */
bool policy_name_ok(const char *name);
/* Publishes the live state of the running OBJECT, whose params map is PARAMS_FD: pins the map,
 * writes the description and scxrun's pid.  On failure says that `scxrun set` cannot reach the
 * scheduler, leaves nothing behind and returns false; the scheduler runs on regardless. */
bool publish_state(const struct scxload_object *object, int params_fd);
/* Removes POLICY's live state (before unload, or a stale one before a new load). */
void remove_state(const char *policy);
/* Before loading POLICY, with no scheduler active: removes a state some earlier scxrun of it
 * left behind (killed by SIGKILL), and says so. */
void remove_stale_state(const char *policy);
/* For `scxrun set`/`get`: reads the published description of the running POLICY into OBJECT
 * (free it with scxload_object_free() either way).  Reports a missing or stale state in plain
 * words and returns false. */
bool find_state(const char *policy, struct scxload_object *object);
/* Opens the pinned params map of POLICY; reports why not and returns -1. */
int open_pinned_params(const char *policy);

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
/* A snapshot for OBJECT, all zero; and its end. */
void snapshot_init(const struct scxload_object *object, struct snapshot *snapshot);
void snapshot_free(struct snapshot *snapshot);
void snapshot_copy(const struct scxload_object *object, struct snapshot *to,
		   const struct snapshot *from);
/* Reads the stats, the wait-time histograms and the params of LOADED into SNAPSHOT. */
void read_snapshot(const struct scxload_object *object, const struct loaded *loaded,
		   struct snapshot *snapshot);
/* Writes NS for people, to three digits in the largest unit it fills ("65.5us", "2.10ms"). */
char *format_measured(uint64_t ns, char out[DURATION_TEXT_MAX]);
/* Prints a JSON string, quoted and escaped. */
void print_json_string(const char *text);
/* The width of the first column of the stats table: its longest label. */
int label_width(const struct scxload_object *object);
/* The stats after ELAPSED seconds, with rates over the last INTERVAL seconds since PREVIOUS. */
void print_interval(const struct scxload_object *object, const struct scxload_options *options,
		    const struct snapshot *now, const struct snapshot *previous, double elapsed,
		    double interval);
/* The last stats, how the run ENDED, the exit record and (JSON) the verifier's work. */
void print_summary(const struct scxload_object *object, const struct scxload_options *options,
		   const struct loaded *loaded, const struct snapshot *now, double elapsed,
		   const char *ended, const struct scxc_exit_info *record);

/* --- waits.c: the wait-time histograms -------------------------------------------------------- */

/* Sums the per-CPU histograms of the map WAITS into SUMS (nr_classes × SCXC_WAIT_BUCKETS). */
void read_waits(const struct scxload_object *object, const struct bpf_map *waits, uint64_t *sums);
/* The bucket that holds the PERCENT-th percentile of the waits counted in BUCKETS (the smallest
 * bucket with at least PERCENT % of them at or below it), or -1 when there are none. */
int percentile_bucket(const uint64_t buckets[SCXC_WAIT_BUCKETS], int percent);
/* What a percentile in bucket B is reported as, in ns: the bucket's upper edge (its waits are
 * all shorter), or for the last, open-ended bucket its floor (they are all at least that). */
uint64_t percentile_ns(int bucket);
/* A line per class, "class.NAME  waits N (R/s)  p50 ≤ X  p99 ≤ Y", of the waits since PREVIOUS
 * (all of them when PREVIOUS is zero) over SECONDS, the label WIDTH wide. */
void print_wait_lines(const struct scxload_object *object, const uint64_t *now,
		      const uint64_t *previous, double seconds, int width);
/* ,"waits":{"CLASS":{"count":N,"p50_ns":N,"p99_ns":N,"buckets":[...]},...} */
void print_json_waits(const struct scxload_object *object, const uint64_t *sums);

#endif
