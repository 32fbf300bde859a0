/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * exe.c — takes a built BPF object and makes a standalone scheduler binary (`scxc X.sched --exe`)
 * that behaves like `scxrun X.bpf.o` with the object built in.
 *
 * In a temporary directory it writes the object's bpftool skeleton (which embeds the ELF bytes)
 * and the object's BTF types as C (which the skeleton's declarations of global variables need),
 * then compiles the loader kit's standalone.c with the host C compiler ($CC, else cc) and links
 * the loader library and libbpf.  The kit (scxload.h, standalone.c, libscxload.a) is found in
 * $SCXC_LOADER_DIR, else installed beside the data (../share/scxc/loader from the executable),
 * else in the build tree (../loader from the executable).
 */
#include "stages.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"

static bool kit_complete(const char *dir)
{
	const char *files[] = { "scxload.h", "standalone.c", "libscxload.a" };
	char path[PATH_MAX];
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		if (access(path, R_OK))
			return false;
	}
	return true;
}

/* Finds the loader kit into DIR (PATH_MAX bytes); reports and returns false if it is missing. */
static bool find_loader_kit(char *dir)
{
	const char *override = getenv("SCXC_LOADER_DIR");
	if (override && *override) {
		snprintf(dir, PATH_MAX, "%s", override);
		if (kit_complete(dir))
			return true;
		fprintf(stderr,
			"scxc: SCXC_LOADER_DIR=%s lacks scxload.h, standalone.c or "
			"libscxload.a\n",
			override);
		return false;
	}
	char exe[PATH_MAX - 64];
	ssize_t length = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (length > 0) {
		exe[length] = '\0';
		*strrchr(exe, '/') = '\0';
		snprintf(dir, PATH_MAX, "%s/%s/loader", exe, SCXC_INSTALLED_DATA);
		if (kit_complete(dir))
			return true;
		snprintf(dir, PATH_MAX, "%s/../loader", exe);
		if (kit_complete(dir))
			return true;
	}
	fprintf(stderr,
		"scxc: cannot find the loader library (libscxload.a, scxload.h, "
		"standalone.c) for --exe; set SCXC_LOADER_DIR, or build/install scxc fully\n");
	return false;
}

bool build_executable(const struct toolchain *tools, const char *object_path,
		      const char *policy_name, const char *exe_path)
{
	char kit[PATH_MAX];
	if (!find_loader_kit(kit))
		return false;
	const char *tmp = getenv("TMPDIR");
	char work[PATH_MAX];
	snprintf(work, sizeof(work), "%s/scxc-exe.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(work)) {
		fprintf(stderr, "scxc: cannot create a temporary directory: %s\n", strerror(errno));
		return false;
	}
	char skeleton[PATH_MAX + 32], types[PATH_MAX + 32], include_work[PATH_MAX + 8],
		include_kit[PATH_MAX + 8], main_c[PATH_MAX + 32], library[PATH_MAX + 32];
	snprintf(skeleton, sizeof(skeleton), "%s/scxc_embedded.skel.h", work);
	snprintf(types, sizeof(types), "%s/scxc_embedded.types.h", work);
	snprintf(include_work, sizeof(include_work), "-I%s", work);
	snprintf(include_kit, sizeof(include_kit), "-I%s", kit);
	snprintf(main_c, sizeof(main_c), "%s/standalone.c", kit);
	snprintf(library, sizeof(library), "%s/libscxload.a", kit);

	char *const dump[] = { (char *)tools->bpftool, "btf",	 "dump", "file",
			       (char *)object_path,    "format", "c",	 NULL };
	const char *cc = getenv("CC");
	char *const compile[] = { (char *)(cc && *cc ? cc : "cc"),
				  "-O2",
				  include_work,
				  include_kit,
				  main_c,
				  library,
				  "-lbpf",
				  "-lelf",
				  "-lz",
				  "-o",
				  (char *)exe_path,
				  NULL };
	bool ok = build_skeleton(tools, object_path, "scxc_embedded", skeleton) &&
		  run_tool(dump, types,
			   "install bpftool (apt-get install bpftool), or --bpftool PATH") &&
		  run_tool(compile, NULL,
			   "--exe needs a C compiler (apt-get install gcc), or set CC");
	if (!ok)
		fprintf(stderr, "scxc: could not build the standalone binary for policy '%s'\n",
			policy_name);
	unlink(skeleton);
	unlink(types);
	rmdir(work);
	return ok;
}
