// SPDX-License-Identifier: GPL-2.0-only
/*
 * workload_cgroup.c — the workload's place in the cgroup2 hierarchy.
 *
 * Takes --cgroup PATH and --move PATH@DUR (paths from the root of the cgroup2 mount at
 * /sys/fs/cgroup); makes the moves: the whole process (every task thread with it, since cgroup2
 * keeps a process's threads together outside threaded subtrees) goes into PATH before the tasks
 * start, and into the --move group DUR after the window starts.  A group that does not exist yet
 * is made.  The report says where the process was and when it moved, as /proc/self/cgroup shows
 * it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "workload.h"

#define CGROUP_ROOT "/sys/fs/cgroup"

/* Checks a cgroup path given on the command line: absolute, no "..", not too long. */
bool cgroup_path_ok(const char *path)
{
	return path[0] == '/' && !strstr(path, "..") && strlen(path) < CGROUP_PATH_MAX;
}

/* Makes /sys/fs/cgroup PATH and its parents; true if it exists afterwards. */
static bool make_group(const char *path)
{
	char dir[sizeof(CGROUP_ROOT) + CGROUP_PATH_MAX];
	snprintf(dir, sizeof dir, "%s%s", CGROUP_ROOT, path);
	for (char *slash = dir + sizeof(CGROUP_ROOT); (slash = strchr(slash + 1, '/'));) {
		*slash = '\0';
		mkdir(dir, 0755);
		*slash = '/';
	}
	return mkdir(dir, 0755) == 0 || errno == EEXIST;
}

/* Where /proc/self/cgroup puts the process ("/ci"), into WHERE. */
static void current_group(char where[CGROUP_PATH_MAX])
{
	char line[CGROUP_PATH_MAX + 8] = "";
	FILE *file = fopen("/proc/self/cgroup", "r");
	where[0] = '\0';
	if (!file)
		return;
	while (fgets(line, sizeof line, file)) {
		if (strncmp(line, "0::", 3) == 0) {
			line[strcspn(line, "\n")] = '\0';
			size_t length = strnlen(line + 3, CGROUP_PATH_MAX - 1);
			memcpy(where, line + 3, length);
			where[length] = '\0';
		}
	}
	fclose(file);
}

bool join_cgroup(const char *path, char where[CGROUP_PATH_MAX])
{
	char procs[sizeof(CGROUP_ROOT) + CGROUP_PATH_MAX + 16];
	snprintf(procs, sizeof procs, "%s%s/cgroup.procs", CGROUP_ROOT, path);
	FILE *file = make_group(path) ? fopen(procs, "w") : NULL;
	bool ok = file && fprintf(file, "%d\n", (int)getpid()) > 0;
	if (file && fclose(file) != 0)
		ok = false;
	if (!ok)
		fprintf(stderr, "workload: cannot move into the cgroup %s (%s): %s\n", path, procs,
			strerror(errno));
	current_group(where);
	return ok;
}
