/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * toolchain.c — runs the external tools that turn emitted C into artefacts.
 *
 * Takes a BPF C file and makes a BPF object with clang (-target bpf, BTF on), and, on
 * request, a libbpf skeleton header with `bpftool gen skeleton`.  The tools' own messages
 * go straight to the user's terminal; a tool that cannot be started is named plainly.
 */
#include "stages.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

bool run_tool(char *const argv[], const char *output_path, const char *hint)
{
	posix_spawn_file_actions_t actions;
	posix_spawn_file_actions_init(&actions);
	if (output_path)
		posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, output_path,
						 O_WRONLY | O_CREAT | O_TRUNC, 0644);
	pid_t pid;
	int error = posix_spawnp(&pid, argv[0], &actions, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&actions);
	if (error) {
		fprintf(stderr, "scxc: cannot run '%s': %s\n", argv[0], strerror(error));
		fprintf(stderr, "scxc: %s\n", hint);
		return false;
	}
	int status;
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			fprintf(stderr, "scxc: waiting for '%s': %s\n", argv[0], strerror(errno));
			return false;
		}
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
		fprintf(stderr, "scxc: '%s' could not be executed\nscxc: %s\n", argv[0], hint);
		return false;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "scxc: '%s' failed (%s %d)\n", argv[0],
			WIFEXITED(status) ? "exit status" : "signal",
			WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
		return false;
	}
	return true;
}

bool build_object(const struct toolchain *tools, const char *c_path, const char *object_path)
{
	char include[4096], prefix_map[4096], compilation_dir[4096];
	snprintf(include, sizeof(include), "-I%s", tools->runtime_dir);
	/* The C file sits in a fresh temporary directory: name it "." in the debug info so
	 * the same policy always gives the same object bytes. */
	int directory_length = (int)(strrchr(c_path, '/') ? strrchr(c_path, '/') - c_path : 0);
	snprintf(prefix_map, sizeof(prefix_map), "-fdebug-prefix-map=%.*s=.", directory_length,
		 c_path);
	snprintf(compilation_dir, sizeof(compilation_dir), "-fdebug-compilation-dir=%s",
		 tools->source_dir);
	/* -mcpu=v3: 32-bit atomics and jumps; clang-16 crashes on some BPF code without it.
	 * -fwrapv: signed arithmetic wraps around, as the language promises, instead of being
	 * undefined behaviour the optimizer may assume away. */
	char *const argv[] = {
		(char *)tools->clang,
		"-target",
		"bpf",
		"-mcpu=v3",
		"-g",
		"-O2",
		"-std=gnu11",
		"-fwrapv",
		"-Wall",
		"-Wno-unused-function",
		include,
		prefix_map,
		compilation_dir,
		"-c",
		(char *)c_path,
		"-o",
		(char *)object_path,
		NULL,
	};
	return run_tool(argv, NULL,
			"scxc needs clang >= 16 (apt-get install clang-16), or --clang PATH");
}

bool build_skeleton(const struct toolchain *tools, const char *object_path, const char *name,
		    const char *header_path)
{
	char *const argv[] = {
		(char *)tools->bpftool, "gen", "skeleton", (char *)object_path, "name",
		(char *)name,		NULL,
	};
	if (run_tool(argv, header_path,
		     "install bpftool (apt-get install bpftool), or --bpftool PATH"))
		return true;
	unlink(header_path);
	return false;
}
