/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * run.c — takes a described scxc object and the run options, and runs the object as the kernel's
 * sched_ext scheduler: checks the machine in plain words before libbpf speaks, writes the params
 * into `.rodata`, loads (verifier_log.c explains a refusal), attaches in link mode so the kernel
 * drops the scheduler if we die, confirms in sysfs that it is active, has stats.c print the
 * stats every interval, and on the way out reports the kernel's exit record.  A restart request
 * in the exit code loads the object again.  The libbpf 1.1 workarounds are those of PLATFORM.md.
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

/* --- sysfs: is sched_ext there, and who is running -------------------------------------------- */

/* The sched_ext sysfs directory; SCXRUN_SYSFS replaces it in tests. */
static const char *sysfs_dir(void)
{
	const char *dir = getenv("SCXRUN_SYSFS");
	return dir && *dir ? dir : "/sys/kernel/sched_ext";
}

/* Reads the first line of sysfs file NAME into BUF; false if it cannot be read. */
static bool read_sysfs(const char *name, char *buf, size_t size)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", sysfs_dir(), name);
	FILE *file = fopen(path, "r");
	if (!file)
		return false;
	bool ok = fgets(buf, (int)size, file) != NULL;
	fclose(file);
	if (ok)
		buf[strcspn(buf, "\n")] = '\0';
	return ok;
}

/* Describes the active scheduler into BUF ("'name'" or "a scheduler"). */
static void describe_active(char *buf, size_t size)
{
	char name[128];
	if (read_sysfs("root/ops", name, sizeof(name)) && *name)
		snprintf(buf, size, "'%s'", name);
	else
		snprintf(buf, size, "a scheduler");
}

/* The checks that need no libbpf: sched_ext present, root, nobody else loaded. */
static bool preflight(const char *policy)
{
	char state[64], active[160];
	if (access(sysfs_dir(), F_OK)) {
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

static bool write_params(struct scxload_object *object, struct bpf_object *bpf)
{
	if (object->nr_params == 0)
		return true;
	struct bpf_map *rodata = bpf_object__find_map_by_name(bpf, ".rodata");
	size_t size = 0;
	const void *initial = rodata ? bpf_map__initial_value(rodata, &size) : NULL;
	size_t needed = (size_t)object->params_offset + 8 * (size_t)object->nr_params;
	if (!initial || size < needed) {
		scxload_error("%s: its .rodata cannot hold the %d params it describes",
			      object->label, object->nr_params);
		return false;
	}
	char *data = zeroed(size, 1);
	memcpy(data, initial, size);
	for (int i = 0; i < object->nr_params; i++) {
		int64_t value = object->params[i].value;
		memcpy(data + object->params_offset + 8 * i, &value, sizeof(value));
	}
	int err = bpf_map__set_initial_value(rodata, data, size);
	free(data);
	if (err) {
		scxload_error("cannot set the params of %s: %s", object->label, strerror(-err));
		return false;
	}
	return true;
}

static void unload(struct loaded *loaded)
{
	if (loaded->link_fd >= 0)
		close(loaded->link_fd);
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
	loaded->bss = bpf_object__find_map_by_name(loaded->bpf, ".bss");
	if (!ops || bpf_map__type(ops) != BPF_MAP_TYPE_STRUCT_OPS) {
		scxload_error("%s has no struct_ops map 'scxc_ops'", object->label);
		goto fail;
	}
	if (!write_params(object, loaded->bpf))
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
	if (loaded->stats && bpf_map__value_size(loaded->stats) != 8 * (unsigned)object->nr_stats) {
		scxload_error("%s: its stats map holds %u bytes, but it describes %d stats",
			      object->label, bpf_map__value_size(loaded->stats), object->nr_stats);
		goto fail;
	}

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

static enum outcome run_once(struct scxload_object *object, const struct scxload_options *options,
			     uint64_t *totals)
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
	if (outcome == RUNNING && !options->json)
		scxload_note("'%s' is the active sched_ext scheduler; Ctrl-C stops it",
			     object->policy);
	/* Times count from the moment the scheduler is active; loading takes a while. */
	struct timespec started;
	clock_gettime(CLOCK_MONOTONIC, &started);

	uint64_t *previous = zeroed((size_t)object->nr_stats, sizeof(*previous));
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
			read_stats(object, &loaded, totals);
			print_interval(object, options, totals, previous, elapsed,
				       elapsed - last_print);
			memcpy(previous, totals, sizeof(*totals) * (size_t)object->nr_stats);
			last_print = elapsed;
		}
	}
	free(previous);

	read_stats(object, &loaded, totals);
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
	print_summary(object, options, &loaded, totals, seconds_since(&started), ended, &record);
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

	struct sigaction action = { .sa_handler = on_signal };
	sigemptyset(&action.sa_mask);
	sigaction(SIGINT, &action, NULL);
	sigaction(SIGTERM, &action, NULL);

	uint64_t *totals = zeroed((size_t)object->nr_stats, sizeof(*totals));
	enum outcome outcome;
	for (;;) {
		outcome = run_once(object, options, totals);
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
	free(totals);
	free_libbpf_log();
	return outcome == FAILED	? SCXLOAD_FAILED
	       : outcome == KERNEL_EXIT ? SCXLOAD_KERNEL_EXIT
					: SCXLOAD_OK;
}
