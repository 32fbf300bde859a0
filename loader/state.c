/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * state.c — takes a running scheduler (its object and the fd of its params map) and publishes
 * what `scxrun set` and `scxrun get` need to reach it from another process, which has no object
 * file: the params map pinned in bpffs, /sys/fs/bpf/scxc/POLICY/params (bpffs is mounted there
 * first if it is not), and in /run/scxc/POLICY/ the self-description (`description`, the
 * `.scxc` text: names, types and ranges) and the running scxrun's pid (`pid`).  The running
 * scxrun removes all of it when the scheduler stops, however it stops short of SIGKILL; what a
 * killed scxrun leaves is stale, and set and get say so in plain words: its pid is gone, or
 * the kernel's active scheduler is not POLICY.  The next scxrun of POLICY removes it before it
 * loads.  SCXRUN_RUNDIR replaces /run/scxc in tests.
 */
#include <bpf/bpf.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "run.h"

#define BPFFS "/sys/fs/bpf"
#define BPF_FS_MAGIC 0xcafe4a11

enum { POLICY_NAME_MAX = 64 };

/* Where the live state of one policy lives. */
struct state_paths {
	char run_dir[256];     /* /run/scxc */
	char dir[512];	       /* /run/scxc/POLICY */
	char description[600]; /* /run/scxc/POLICY/description */
	char pid[600];	       /* /run/scxc/POLICY/pid */
	char pin_dir[256];     /* /sys/fs/bpf/scxc/POLICY */
	char pin[300];	       /* /sys/fs/bpf/scxc/POLICY/params */
};

static void state_paths(const char *policy, struct state_paths *paths)
{
	const char *run_dir = getenv("SCXRUN_RUNDIR");
	snprintf(paths->run_dir, sizeof(paths->run_dir), "%s",
		 run_dir && *run_dir ? run_dir : "/run/scxc");
	snprintf(paths->dir, sizeof(paths->dir), "%s/%s", paths->run_dir, policy);
	snprintf(paths->description, sizeof(paths->description), "%s/description", paths->dir);
	snprintf(paths->pid, sizeof(paths->pid), "%s/pid", paths->dir);
	snprintf(paths->pin_dir, sizeof(paths->pin_dir), "%s/scxc/%s", BPFFS, policy);
	snprintf(paths->pin, sizeof(paths->pin), "%s/params", paths->pin_dir);
}

bool policy_name_ok(const char *name)
{
	size_t length = strlen(name);
	return length > 0 && length <= POLICY_NAME_MAX &&
	       strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") ==
		       length;
}

/* Makes directory PATH and those above it that are missing, each with MODE. */
static bool make_dirs(const char *path, mode_t mode)
{
	char partial[512];
	snprintf(partial, sizeof(partial), "%s", path);
	for (char *slash = strchr(partial + 1, '/');; slash = strchr(slash + 1, '/')) {
		if (slash)
			*slash = '\0';
		if (mkdir(partial, mode) && errno != EEXIST)
			return false;
		if (!slash)
			return true;
		*slash = '/';
	}
}

/* Writes TEXT to PATH (mode 0644 whatever the umask) by way of a temporary file, so that a
 * reader sees the whole text or none. */
static bool write_file(const char *path, const char *text)
{
	char temporary[700];
	snprintf(temporary, sizeof(temporary), "%s.new", path);
	int fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return false;
	size_t length = strlen(text), done = 0;
	while (done < length) {
		ssize_t wrote = write(fd, text + done, length - done);
		if (wrote < 0 && errno == EINTR)
			continue;
		if (wrote <= 0)
			break;
		done += (size_t)wrote;
	}
	bool ok = done == length && fchmod(fd, 0644) == 0;
	ok = close(fd) == 0 && ok && rename(temporary, path) == 0;
	if (!ok)
		unlink(temporary);
	return ok;
}

/* Mounts bpffs at /sys/fs/bpf unless it is there already. */
static bool mount_bpffs(void)
{
	struct statfs status;
	if (statfs(BPFFS, &status) == 0 && status.f_type == BPF_FS_MAGIC)
		return true;
	return mount("bpf", BPFFS, "bpf", 0, "mode=0700") == 0;
}

bool publish_state(const struct scxload_object *object, int params_fd)
{
	struct state_paths paths;
	char pid[32];
	if (!policy_name_ok(object->policy)) {
		scxload_note("`scxrun set` cannot reach '%s': a policy name of letters, digits and "
			     "'_' names its live state",
			     object->policy);
		return false;
	}
	state_paths(object->policy, &paths);
	snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());
	const char *failed = NULL;
	if (object->nr_params && !mount_bpffs())
		failed = "cannot mount bpffs at " BPFFS;
	else if (object->nr_params && !make_dirs(paths.pin_dir, 0700))
		failed = paths.pin_dir;
	else if (object->nr_params && bpf_obj_pin(params_fd, paths.pin))
		failed = paths.pin;
	else if (!make_dirs(paths.dir, 0755) || chmod(paths.run_dir, 0755) ||
		 chmod(paths.dir, 0755))
		failed = paths.dir;
	else if (!write_file(paths.pid, pid))
		failed = paths.pid;
	else if (!write_file(paths.description, object->description))
		failed = paths.description;
	if (!failed)
		return true;
	scxload_note("`scxrun set` cannot reach '%s': %s: %s", object->policy, failed,
		     strerror(errno));
	remove_state(object->policy);
	return false;
}

void remove_state(const char *policy)
{
	struct state_paths paths;
	state_paths(policy, &paths);
	unlink(paths.description);
	unlink(paths.pid);
	unlink(paths.pin);
	rmdir(paths.dir);
	rmdir(paths.pin_dir);
	/* The shared directories go when the last policy's state has gone. */
	rmdir(paths.run_dir);
	rmdir(BPFFS "/scxc");
}

/* Reads the pid PATH holds; 0 if it holds none. */
static long read_pid(const char *path)
{
	FILE *file = fopen(path, "r");
	long pid = 0;
	if (file && fscanf(file, "%ld", &pid) != 1)
		pid = 0;
	if (file)
		fclose(file);
	return pid;
}

static bool process_exists(long pid)
{
	return pid > 0 && (kill((pid_t)pid, 0) == 0 || errno == EPERM);
}

void remove_stale_state(const char *policy)
{
	struct state_paths paths;
	if (!policy_name_ok(policy))
		return;
	state_paths(policy, &paths);
	if (access(paths.dir, F_OK) && access(paths.pin, F_OK))
		return;
	remove_state(policy);
	scxload_note("removed the stale live state of '%s' (%s, %s) that an earlier scxrun left "
		     "behind",
		     policy, paths.dir, paths.pin_dir);
}

/* Reads the whole text of PATH, NUL-terminated, into *TEXT and its size with the NUL into
 * *SIZE; false (errno set) if it cannot. */
static bool read_text(const char *path, char **text, size_t *size)
{
	FILE *file = fopen(path, "r");
	if (!file)
		return false;
	size_t capacity = 4096, length = 0, got;
	*text = checked(malloc(capacity));
	while ((got = fread(*text + length, 1, capacity - length - 1, file)) > 0) {
		length += got;
		if (length + 1 == capacity)
			*text = checked(realloc(*text, capacity *= 2));
	}
	bool ok = !ferror(file);
	fclose(file);
	(*text)[length] = '\0';
	*size = length + 1;
	return ok;
}

/* Says that POLICY is not running, and what is. */
static void report_not_running(const char *policy, const struct state_paths *paths)
{
	char state[64], active[160];
	if (!read_sysfs("state", state, sizeof(state)) || !strcmp(state, "disabled")) {
		scxload_error("'%s' is not running: no sched_ext scheduler is active", policy);
		return;
	}
	describe_active(active, sizeof(active));
	if (policy_active(policy))
		scxload_error("'%s' is active, but no scxrun published its params (%s is "
			      "missing): `scxrun set` reaches schedulers that scxrun or an scxc "
			      "binary started",
			      policy, paths->dir);
	else
		scxload_error("'%s' is not running: the active sched_ext scheduler is %s", policy,
			      active);
}

bool find_state(const char *policy, struct scxload_object *object)
{
	struct state_paths paths;
	state_paths(policy, &paths);
	*object = (struct scxload_object){ .exit_offset = -1 };
	char *text = NULL;
	size_t size = 0;
	if (!read_text(paths.description, &text, &size)) {
		int read_errno = errno;
		free(text);
		if (read_errno == ENOENT)
			report_not_running(policy, &paths);
		else
			scxload_error("cannot read %s: %s", paths.description,
				      strerror(read_errno));
		return false;
	}
	long pid = read_pid(paths.pid);
	char state[64], active[160];
	bool ok = false;
	if (!process_exists(pid)) {
		scxload_error("the live state of '%s' in %s is stale: the scxrun that ran it (pid "
			      "%ld) is gone; the next scxrun of '%s' removes it",
			      policy, paths.dir, pid, policy);
	} else if (!policy_active(policy)) {
		bool idle =
			!read_sysfs("state", state, sizeof(state)) || !strcmp(state, "disabled");
		describe_active(active, sizeof(active));
		scxload_error("the live state of '%s' in %s is stale: scxrun (pid %ld) published "
			      "it, but %s%s",
			      policy, paths.dir, pid,
			      idle ? "no sched_ext scheduler is active"
				   : "the active sched_ext scheduler is ",
			      idle ? "" : active);
	} else {
		object->label = copy_text(paths.description, strlen(paths.description));
		ok = parse_description(object, text, size);
		if (ok && strcmp(object->policy, policy)) {
			scxload_error("%s describes policy '%s', not '%s'", paths.description,
				      object->policy, policy);
			ok = false;
		}
	}
	free(text);
	return ok;
}

int open_pinned_params(const char *policy)
{
	struct state_paths paths;
	state_paths(policy, &paths);
	int fd = bpf_obj_get(paths.pin);
	if (fd < 0)
		scxload_error("cannot open the params of '%s', pinned at %s: %s", policy, paths.pin,
			      strerror(errno));
	return fd;
}
