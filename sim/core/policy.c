// SPDX-License-Identifier: GPL-2.0-only
/*
 * policy.c — builds a .sched policy for the host and loads it (see policy.h).
 *
 * Takes the policy's path, scxc and a host C compiler; makes a loaded struct policy.  The C is
 * compiled with the shim's directory before the runtime's: the runtime's kernel.bpf.h then
 * includes the shim's <bpf/bpf_helpers.h>, and nothing of the runtime is changed.  The shared
 * object's undefined kfuncs resolve against this executable (linked with --export-dynamic).
 * The self-description's `policy` and `stat` lines (docs/object-format.md) name the policy and
 * the stats array.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "checked.h"
#include "policy.h"

/* Runs ARGV and waits; true if it exited with 0. */
static bool run(char *const argv[])
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return false;
	if (pid == 0) {
		execvp(argv[0], argv);
		fprintf(stderr, "scxsim: error: cannot run %s\n", argv[0]);
		_exit(127);
	}
	return waitpid(pid, &status, 0) == pid && WIFEXITED(status) && !WEXITSTATUS(status);
}

static void read_description(struct policy *policy)
{
	const char *line = policy->description;

	while (line && *line) {
		const char *end = strchr(line, '\n');
		size_t length = end ? (size_t)(end - line) : strlen(line);
		char word[128];

		if (length < sizeof(word)) {
			memcpy(word, line, length);
			word[length] = '\0';
			if (!strncmp(word, "policy ", 7)) {
				snprintf(policy->name, sizeof(policy->name), "%s", word + 7);
			} else if (!strncmp(word, "stat ", 5) &&
				   policy->nr_stats < POLICY_MAX_STATS) {
				char *unit = strrchr(word + 5, ' ');

				if (unit) {
					*unit++ = '\0';
					policy->stat_is_ns[policy->nr_stats] = !strcmp(unit, "ns");
					policy->stat_names[policy->nr_stats++] =
						copy_text(word + 5, strlen(word + 5));
				}
			}
		}
		line = end ? end + 1 : NULL;
	}
}

bool policy_load(struct policy *policy, const char *path, const char *scxc, const char *cc)
{
	const char *tmp = getenv("TMPDIR");
	char c_file[sizeof(policy->directory) + 16], so_file[sizeof(policy->directory) + 16];

	*policy = (struct policy){ 0 };
	snprintf(policy->directory, sizeof(policy->directory), "%s/scxsim.XXXXXX",
		 tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(policy->directory)) {
		perror("scxsim: error: mkdtemp");
		return false;
	}
	snprintf(c_file, sizeof(c_file), "%s/policy.c", policy->directory);
	snprintf(so_file, sizeof(so_file), "%s/policy.so", policy->directory);
	char *emit[] = { (char *)scxc, (char *)path, "--emit=c", "-o", c_file, NULL };
	char *build[] = { (char *)cc,
			  "-std=gnu11",
			  "-O2",
			  "-fPIC",
			  "-shared",
			  "-Dpreserve_access_index=",
			  "-Wno-unknown-attributes",
			  "-I" SCXSIM_SHIM_DIR,
			  "-I" SCXSIM_RUNTIME_DIR,
			  "-o",
			  so_file,
			  c_file,
			  NULL };
	if (!run(emit))
		return false; /* scxc printed why */
	if (!run(build)) {
		fprintf(stderr, "scxsim: error: %s could not build %s for the host\n", cc, c_file);
		return false;
	}
	policy->handle = dlopen(so_file, RTLD_NOW | RTLD_LOCAL);
	if (!policy->handle) {
		fprintf(stderr, "scxsim: error: %s\n", dlerror());
		return false;
	}
	policy->ops = dlsym(policy->handle, "scxc_ops");
	policy->description = dlsym(policy->handle, "scxc_description");
	policy->stats_map = dlsym(policy->handle, "scxc_stats");
	if (!policy->ops || !policy->description || !policy->stats_map) {
		fprintf(stderr,
			"scxsim: error: %s lacks scxc_ops, scxc_description or scxc_stats\n",
			so_file);
		return false;
	}
	read_description(policy);
	return true;
}

void policy_unload(struct policy *policy)
{
	char file[sizeof(policy->directory) + 16];
	int i;

	if (policy->handle)
		dlclose(policy->handle);
	for (i = 0; i < policy->nr_stats; i++)
		free(policy->stat_names[i]);
	if (policy->directory[0]) {
		snprintf(file, sizeof(file), "%s/policy.c", policy->directory);
		unlink(file);
		snprintf(file, sizeof(file), "%s/policy.so", policy->directory);
		unlink(file);
		rmdir(policy->directory);
	}
	*policy = (struct policy){ 0 };
}
