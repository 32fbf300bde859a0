/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * run.c — takes a described scxc object and the run options, and runs the object as the kernel's
 * sched_ext scheduler: checks the machine in plain words before libbpf speaks, writes the params
 * into `.data.params`, loads (verifier_log.c explains a refusal), attaches in link mode so the
 * kernel drops the scheduler if we die, confirms in sysfs that it is active, publishes the live
 * state `scxrun set` needs (state.c), has stats.c print the stats every interval, and on the way
 * out removes the live state and reports the kernel's exit record.  A restart request in the
 * exit code loads the object again, with the params as they were last.  The libbpf 1.1
 * workarounds are those of PLATFORM.md.
 */
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "run.h"

/* Missing from Debian 12's uapi headers; libbpf >= 1.2 handles link mode itself. */
enum { SCX_BPF_F_LINK = 1U << 13, SCX_ATTACH_STRUCT_OPS = 44 };

#define SCX_ECODE_ACT_RESTART (1ULL << 48)

enum { TICK_MS = 100, CONFIRM_MS = 2000 };

static volatile sig_atomic_t stop_signal;

static void on_signal(int signal_number)
{
	stop_signal = signal_number;
}

/* --- before libbpf ---------------------------------------------------------------------------- */

/* The checks that need no libbpf: sched_ext present, root, nobody else loaded. */
static bool preflight(const char *policy)
{
	char state[64], active[160];
	if (!sched_ext_present()) {
		scxload_error(
			"this kernel has no sched_ext (CONFIG_SCHED_CLASS_EXT); run it in a VM "
			"with `scxrun --vm X.bpf.o`");
		return false;
	}
	if (geteuid() != 0) {
		scxload_error("loading a scheduler needs root: run %s with sudo", scxload_progname);
		return false;
	}
	if (!read_sysfs("state", state, sizeof(state))) {
		scxload_error("cannot read %s/state: is sysfs mounted?", sysfs_dir());
		return false;
	}
	if (strcmp(state, "disabled")) {
		describe_active(active, sizeof(active));
		scxload_error(
			"another sched_ext scheduler is active (%s, state %s); stop it before "
			"loading '%s'",
			active, state, policy);
		return false;
	}
	return true;
}

/* --- load and attach -------------------------------------------------------------------------- */

/* Writes the params' values into the initial value of their map, .data.params. */
static bool write_params(struct scxload_object *object, struct loaded *loaded)
{
	if (object->nr_params == 0)
		return true;
	size_t size = 0;
	const void *initial = loaded->params ? bpf_map__initial_value(loaded->params, &size) : NULL;
	if (!initial || size < cpuset_offset(object, cpuset_param_count(object))) {
		scxload_error("%s: its %s cannot hold the %d params it describes", object->label,
			      PARAMS_SECTION, object->nr_params);
		return false;
	}
	char *data = zeroed(size, 1);
	memcpy(data, initial, size);
	for (int i = 0; i < object->nr_params; i++) {
		int64_t value = object->params[i].value;
		memcpy(data + 8 * i, &value, sizeof(value));
	}
	write_cpuset_params(object, data);
	int err = bpf_map__set_initial_value(loaded->params, data, size);
	free(data);
	if (err) {
		scxload_error("cannot set the params of %s: %s", object->label, strerror(-err));
		return false;
	}
	return true;
}

/* Whether the stats and wait-time maps have the sizes the description calls for. */
static bool check_map_sizes(const struct scxload_object *object, const struct loaded *loaded)
{
	unsigned waits_size = 4 * SCXC_WAIT_BUCKETS * (unsigned)object->nr_classes;
	if (loaded->stats && bpf_map__value_size(loaded->stats) != 8 * (unsigned)object->nr_stats) {
		scxload_error("%s: its stats map holds %u bytes, but it describes %d stats",
			      object->label, bpf_map__value_size(loaded->stats), object->nr_stats);
		return false;
	}
	if (!loaded->waits || bpf_map__type(loaded->waits) != BPF_MAP_TYPE_PERCPU_ARRAY ||
	    bpf_map__value_size(loaded->waits) != waits_size) {
		scxload_error("%s: its wait-time map '%s' is not a per-CPU array of %u bytes (%d "
			      "classes of %d buckets); the object is damaged",
			      object->label, WAITS_MAP, waits_size, object->nr_classes,
			      SCXC_WAIT_BUCKETS);
		return false;
	}
	return true;
}

static void unload(struct loaded *loaded)
{
	if (loaded->link_fd >= 0)
		close(loaded->link_fd);
	unmap_params(&loaded->params_mapping);
	if (loaded->ops_link) {
		/* The value was only stored: there is nothing for libbpf to detach. */
		bpf_link__disconnect(loaded->ops_link);
		bpf_link__destroy(loaded->ops_link);
	}
	bpf_object__close(loaded->bpf);
	*loaded = (struct loaded){ .link_fd = -1 };
}

static bool load(struct scxload_object *object, const struct scxload_options *options,
		 struct loaded *loaded)
{
	*loaded = (struct loaded){ .link_fd = -1 };
	clear_libbpf_log();
	LIBBPF_OPTS(bpf_object_open_opts, open_options, .object_name = object->policy);
	loaded->bpf = bpf_object__open_mem(object->elf, object->elf_size, &open_options);
	if (!loaded->bpf) {
		scxload_error("libbpf cannot open %s: %s", object->label, strerror(errno));
		explain_load_failure(options);
		return false;
	}
	struct bpf_map *ops = bpf_object__find_map_by_name(loaded->bpf, "scxc_ops");
	loaded->stats = bpf_object__find_map_by_name(loaded->bpf, "scxc_stats");
	loaded->waits = bpf_object__find_map_by_name(loaded->bpf, WAITS_MAP);
	loaded->params = bpf_object__find_map_by_name(loaded->bpf, PARAMS_SECTION);
	loaded->bss = bpf_object__find_map_by_name(loaded->bpf, ".bss");
	if (!ops || bpf_map__type(ops) != BPF_MAP_TYPE_STRUCT_OPS) {
		scxload_error("%s has no struct_ops map 'scxc_ops'", object->label);
		goto fail;
	}
	if (!check_map_sizes(object, loaded) ||
	    !check_cpusets(object, libbpf_num_possible_cpus()) || !write_params(object, loaded) ||
	    !fill_topology(loaded->bpf, object->label))
		goto fail;
	bpf_map__set_map_flags(ops, bpf_map__map_flags(ops) | SCX_BPF_F_LINK);
	struct bpf_program *init = bpf_object__find_program_by_name(loaded->bpf, "scxc_init");
	if (init)
		bpf_program__set_flags(init, bpf_program__flags(init) | BPF_F_SLEEPABLE);

	int err = bpf_object__load(loaded->bpf);
	if (err) {
		scxload_error("the kernel refused to load '%s': %s", object->policy,
			      strerror(-err));
		explain_load_failure(options);
		goto fail;
	}
	loaded->nr_verified = scxload_read_verified(loaded->bpf, loaded->verified, MAX_PROGRAMS);
	if (options->verbose)
		for (int i = 0; i < loaded->nr_verified; i++)
			scxload_note("the verifier processed %u instructions of %s",
				     loaded->verified[i].insns, loaded->verified[i].name);
	if (object->nr_params && !map_params(bpf_map__fd(loaded->params), object->nr_params, false,
					     PARAMS_SECTION, &loaded->params_mapping))
		goto fail;

	loaded->ops_link = bpf_map__attach_struct_ops(ops);
	if (!loaded->ops_link) {
		scxload_error("cannot store the ops of '%s': %s", object->policy, strerror(errno));
		explain_load_failure(options);
		goto fail;
	}
	loaded->link_fd = bpf_link_create(bpf_map__fd(ops), 0,
					  (enum bpf_attach_type)SCX_ATTACH_STRUCT_OPS, NULL);
	if (loaded->link_fd < 0) {
		int attach_errno = errno;
		if (attach_errno == EBUSY || attach_errno == EEXIST) {
			char active[160];
			describe_active(active, sizeof(active));
			scxload_error("another sched_ext scheduler is active (%s); stop it before "
				      "loading '%s'",
				      active, object->policy);
		} else {
			struct scxc_exit_info record;
			scxload_error("the kernel refused to attach '%s': %s", object->policy,
				      strerror(attach_errno));
			if (read_exit_record(object, loaded, &record) && record.kind != 0)
				report_kernel_exit(object, &record);
			else
				scxload_note("the kernel log (dmesg) may say why");
		}
		goto fail;
	}
	return true;
fail:
	unload(loaded);
	return false;
}

/* --- one load of the object, from attach to unload -------------------------------------------- */

/* RUNNING: active, until scxrun stops it (STOPPED) or the kernel does (KERNEL_EXIT, RESTART). */
enum outcome { RUNNING, STOPPED, KERNEL_EXIT, RESTART, FAILED };

static void sleep_ms(long ms)
{
	struct timespec pause = { ms / 1000, (ms % 1000) * 1000000L };
	nanosleep(&pause, NULL);
}

static double seconds_since(const struct timespec *start)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - start->tv_sec) + (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}

/* Waits until sysfs shows OBJECT active, or its exit record or CONFIRM_MS says otherwise. */
static enum outcome confirm_active(const struct scxload_object *object, const struct loaded *loaded,
				   struct scxc_exit_info *record)
{
	char state[64] = "", ops[128] = "";
	for (int waited = 0; waited <= CONFIRM_MS; waited += TICK_MS) {
		if (read_exit_record(object, loaded, record) && record->kind != 0)
			return (uint64_t)record->exit_code & SCX_ECODE_ACT_RESTART ? RESTART
										   : KERNEL_EXIT;
		if (read_sysfs("state", state, sizeof(state)) && !strcmp(state, "enabled") &&
		    read_sysfs("root/ops", ops, sizeof(ops)) && !strcmp(ops, object->policy))
			return RUNNING;
		sleep_ms(TICK_MS);
	}
	if (strcmp(state, "enabled"))
		scxload_error("'%s' attached, but sched_ext stays '%s' instead of 'enabled'",
			      object->policy, state);
	else
		scxload_error("'%s' attached, but the active scheduler is '%s'", object->policy,
			      ops);
	return FAILED;
}

static const char *how_it_ended(enum outcome outcome)
{
	if (outcome == RESTART)
		return "the policy asked for a restart";
	if (outcome == KERNEL_EXIT)
		return "stopped by the kernel";
	return stop_signal == SIGINT	? "stopped by SIGINT"
	       : stop_signal == SIGTERM ? "stopped by SIGTERM"
					: "--duration reached";
}

static enum outcome run_once(struct scxload_object *object, const struct scxload_options *options)
{
	struct loaded loaded;
	struct scxc_exit_info record;
	if (!load(object, options, &loaded))
		return FAILED;
	enum outcome outcome = confirm_active(object, &loaded, &record);
	if (outcome == FAILED) {
		unload(&loaded);
		return FAILED;
	}
	if (outcome == RUNNING)
		loaded.published =
			publish_state(object, object->nr_params ? bpf_map__fd(loaded.params) : -1);
	if (outcome == RUNNING && !options->json)
		scxload_note("'%s' is the active sched_ext scheduler, for %s; Ctrl-C stops it%s",
			     object->policy,
			     object->partial ? "the tasks that chose SCHED_EXT (switch partial)"
					     : "every task (switch all)",
			     loaded.published && object->nr_params
				     ? ", `scxrun set` changes its params"
				     : "");
	/* Times count from the moment the scheduler is active; loading takes a while. */
	struct timespec started;
	clock_gettime(CLOCK_MONOTONIC, &started);

	struct snapshot now, previous;
	snapshot_init(object, &now);
	snapshot_init(object, &previous);
	double last_print = seconds_since(&started);
	while (outcome == RUNNING && !stop_signal) {
		sleep_ms(TICK_MS);
		double elapsed = seconds_since(&started);
		if (read_exit_record(object, &loaded, &record) && record.kind != 0) {
			outcome = (uint64_t)record.exit_code & SCX_ECODE_ACT_RESTART ? RESTART
										     : KERNEL_EXIT;
			break;
		}
		bool finished =
			options->duration_ns && elapsed * 1e9 >= (double)options->duration_ns;
		if (finished)
			break; /* the summary shows the last numbers */
		if (elapsed - last_print >= (double)options->interval_ns / 1e9) {
			read_snapshot(object, &loaded, &now);
			print_interval(object, options, &now, &previous, elapsed,
				       elapsed - last_print);
			snapshot_copy(object, &previous, &now);
			last_print = elapsed;
		}
	}
	if (loaded.published)
		remove_state(object->policy);

	read_snapshot(object, &loaded, &now);
	/* A restart loads the params as `scxrun set` left them. */
	for (int i = 0; i < object->nr_params; i++)
		object->params[i].value = now.params[i];
	if (outcome == RUNNING) {
		outcome = STOPPED;
		close(loaded.link_fd); /* the kernel unregisters the scheduler here */
		loaded.link_fd = -1;
		read_exit_record(object, &loaded, &record);
	}
	const char *ended = how_it_ended(outcome);
	if (outcome == KERNEL_EXIT && record.kind >= SCX_EXIT_ERROR)
		report_kernel_exit(object, &record);
	else if (outcome == KERNEL_EXIT)
		scxload_note("the kernel unloaded '%s': %s (exit kind %d, %s)", object->policy,
			     *record.reason ? record.reason : "no reason", record.kind,
			     exit_kind_name(record.kind));
	print_summary(object, options, &loaded, &now, seconds_since(&started), ended, &record);
	snapshot_free(&now);
	snapshot_free(&previous);
	unload(&loaded);
	if (outcome == KERNEL_EXIT && record.kind < SCX_EXIT_ERROR)
		return STOPPED;
	return outcome;
}

int scxload_run(struct scxload_object *object, const struct scxload_options *options)
{
	capture_libbpf_messages(options->verbose);
	if (!preflight(object->policy))
		return SCXLOAD_FAILED;
	remove_stale_state(object->policy);

	struct sigaction action = { .sa_handler = on_signal };
	sigemptyset(&action.sa_mask);
	sigaction(SIGINT, &action, NULL);
	sigaction(SIGTERM, &action, NULL);

	enum outcome outcome;
	for (;;) {
		outcome = run_once(object, options);
		if (outcome != RESTART || stop_signal)
			break;
		scxload_note("'%s' asked to be restarted; loading it again", object->policy);
		/* The kernel finishes disabling the old instance asynchronously. */
		char state[64];
		for (int waited = 0;
		     waited < CONFIRM_MS && read_sysfs("state", state, sizeof(state)) &&
		     strcmp(state, "disabled");
		     waited += TICK_MS)
			sleep_ms(TICK_MS);
	}
	free_libbpf_log();
	return outcome == FAILED	? SCXLOAD_FAILED
	       : outcome == KERNEL_EXIT ? SCXLOAD_KERNEL_EXIT
					: SCXLOAD_OK;
}
