/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * sysfs.c — takes nothing but the running kernel, and says what its sysfs shows of sched_ext
 * (/sys/kernel/sched_ext): whether the kernel has it, its state ("enabled", "disabled", …) and
 * the name of the active scheduler (root/ops).  The loader checks these before loading, and
 * `scxrun set` before it changes a running scheduler.  SCXRUN_SYSFS points the tests at a fake
 * directory of the same shape.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "run.h"

const char *sysfs_dir(void)
{
	const char *dir = getenv("SCXRUN_SYSFS");
	return dir && *dir ? dir : "/sys/kernel/sched_ext";
}

bool sched_ext_present(void)
{
	return access(sysfs_dir(), F_OK) == 0;
}

bool read_first_line(const char *path, char *buf, size_t size)
{
	FILE *file = fopen(path, "r");
	if (!file)
		return false;
	bool ok = fgets(buf, (int)size, file) != NULL;
	fclose(file);
	if (ok)
		buf[strcspn(buf, "\n")] = '\0';
	return ok;
}

bool read_sysfs(const char *name, char *buf, size_t size)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", sysfs_dir(), name);
	return read_first_line(path, buf, size);
}

void describe_active(char *buf, size_t size)
{
	char name[128];
	if (read_sysfs("root/ops", name, sizeof(name)) && *name)
		snprintf(buf, size, "'%s'", name);
	else
		snprintf(buf, size, "a scheduler");
}

bool policy_active(const char *policy)
{
	char state[64], ops[128];
	return read_sysfs("state", state, sizeof(state)) && !strcmp(state, "enabled") &&
	       read_sysfs("root/ops", ops, sizeof(ops)) && !strcmp(ops, policy);
}
