/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * live.c — takes the params map of a running scheduler and maps its value into memory, where
 * each param is one aligned 8-byte word: the running scxrun reads them there for its stats, and
 * `scxrun set POLICY NAME=VALUE...` writes them there, each with one 8-byte store, so the BPF
 * side (which reads a param with one 8-byte load) sees either the old value or the new one,
 * never a mix.  `scxrun set` finds the scheduler through the live state its scxrun published
 * (state.c), checks every NAME=VALUE with the code and messages of --set before it changes
 * anything, and prints what it changed; `scxrun get POLICY` prints the values as they are.
 */
#include <bpf/bpf.h>
#include <errno.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "run.h"

bool map_params(int fd, int nr_params, bool writable, const char *what,
		struct params_mapping *mapping)
{
	struct bpf_map_info info;
	uint32_t length = sizeof(info);
	memset(&info, 0, sizeof(info));
	*mapping = (struct params_mapping){ 0 };
	if (bpf_obj_get_info_by_fd(fd, &info, &length)) {
		scxload_error("cannot read what %s is: %s", what, strerror(errno));
		return false;
	}
	if (info.type != BPF_MAP_TYPE_ARRAY || info.max_entries != 1 ||
	    info.value_size < 8 * (uint32_t)nr_params || !(info.map_flags & BPF_F_MMAPABLE) ||
	    strcmp(info.name, PARAMS_SECTION)) {
		scxload_error("%s is not a params map of %d params (map '%s', type %u, %u entries "
			      "of %u bytes, flags %#x)",
			      what, nr_params, info.name, info.type, info.max_entries,
			      info.value_size, info.map_flags);
		return false;
	}
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t size = (info.value_size + page - 1) / page * page;
	void *memory =
		mmap(NULL, size, writable ? PROT_READ | PROT_WRITE : PROT_READ, MAP_SHARED, fd, 0);
	if (memory == MAP_FAILED) {
		scxload_error("cannot map %s into memory: %s", what, strerror(errno));
		return false;
	}
	*mapping = (struct params_mapping){ memory, size };
	return true;
}

void unmap_params(struct params_mapping *mapping)
{
	if (mapping->values)
		munmap(mapping->values, mapping->length);
	*mapping = (struct params_mapping){ 0 };
}

int64_t load_param(const struct params_mapping *mapping, int i)
{
	return __atomic_load_n(&mapping->values[i], __ATOMIC_RELAXED);
}

/* Opens POLICY's pinned params map and maps it; false (reported) if it cannot. */
static bool map_pinned(const char *policy, int nr_params, bool writable,
		       struct params_mapping *mapping)
{
	char what[128];
	int fd = open_pinned_params(policy);
	if (fd < 0)
		return false;
	snprintf(what, sizeof(what), "the pinned params of '%s'", policy);
	bool ok = map_params(fd, nr_params, writable, what, mapping);
	close(fd); /* the mapping holds the map */
	return ok;
}

/* Checks every assignment first, then stores each as one 8-byte word and says what changed. */
static int set_params(const struct scxload_object *object, char **assignments, int count,
		      const char *command)
{
	int *indices = zeroed((size_t)count, sizeof(*indices));
	int64_t *values = zeroed((size_t)count, sizeof(*values));
	int status = SCXLOAD_OK;
	for (int i = 0; i < count; i++)
		if (!parse_assignment(object, assignments[i], command, &indices[i], &values[i],
				      NULL))
			status = SCXLOAD_USAGE;
	struct params_mapping mapping;
	if (status == SCXLOAD_OK && !map_pinned(object->policy, object->nr_params, true, &mapping))
		status = SCXLOAD_FAILED;
	for (int i = 0; status == SCXLOAD_OK && i < count; i++) {
		const struct scxload_param *param = &object->params[indices[i]];
		char old[32], new[32];
		scxload_format_value(param, load_param(&mapping, indices[i]), old, sizeof(old));
		__atomic_store_n(&mapping.values[indices[i]], values[i], __ATOMIC_RELAXED);
		scxload_format_value(param, values[i], new, sizeof(new));
		printf("%s: %s -> %s\n", param->name, old, new);
	}
	if (status == SCXLOAD_OK)
		unmap_params(&mapping);
	free(indices);
	free(values);
	return status;
}

static int get_params(const struct scxload_object *object)
{
	struct params_mapping mapping;
	if (!object->nr_params) {
		printf("'%s' has no params\n", object->policy);
		return SCXLOAD_OK;
	}
	if (!map_pinned(object->policy, object->nr_params, false, &mapping))
		return SCXLOAD_FAILED;
	for (int i = 0, slot = 0; i < object->nr_params; i++) {
		if (object->params[i].type == SCXLOAD_CPUSET &&
		    mapping.length >= cpuset_offset(object, slot + 1))
			memcpy(object->params[i].cpus,
			       (const char *)mapping.values + cpuset_offset(object, slot++),
			       SCXC_CPUSET_WORDS * sizeof(uint64_t));
		print_param(&object->params[i], load_param(&mapping, i));
	}
	unmap_params(&mapping);
	return SCXLOAD_OK;
}

int scxload_live_main(int argc, char **argv)
{
	bool set = !strcmp(argv[0], "set");
	const char *form = set ? "POLICY NAME=VALUE..." : "POLICY";
	char command[64];
	snprintf(command, sizeof(command), "%s %s", scxload_progname, argv[0]);
	const char *policy = NULL;
	char **assignments = zeroed((size_t)argc, sizeof(*assignments));
	int count = 0;
	bool bad = false;
	for (int i = 1; i < argc && !bad; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			printf("usage: %s %s\n%s\n", command, form,
			       set ? "Changes params of the running scheduler POLICY, which scxrun "
				     "started, without reloading it."
				   : "Shows the params of the running scheduler POLICY as they are now.");
			free(assignments);
			return SCXLOAD_OK;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			scxload_error("unknown option '%s' (usage: %s %s)", argv[i], command, form);
			bad = true;
		} else if (!policy) {
			policy = argv[i];
		} else if (set) {
			bad = !assignment_form(argv[i], command);
			assignments[count++] = argv[i];
		} else {
			scxload_error("unexpected argument '%s' (usage: %s %s)", argv[i], command,
				      form);
			bad = true;
		}
	}
	if (!bad && !policy) {
		scxload_error("%s needs the policy's name: %s %s", command, command, form);
		bad = true;
	} else if (!bad && !policy_name_ok(policy)) {
		scxload_error("'%s' is not a policy name (letters, digits and '_')", policy);
		bad = true;
	} else if (!bad && set && !count) {
		scxload_error("%s %s: give at least one NAME=VALUE to change", command, policy);
		bad = true;
	}
	if (bad) {
		free(assignments);
		return SCXLOAD_USAGE;
	}
	int status = SCXLOAD_FAILED;
	struct scxload_object object = { 0 };
	if (geteuid() != 0)
		scxload_error("%s needs root to reach a running scheduler: run it with sudo",
			      command);
	else if (!sched_ext_present())
		scxload_error("this kernel has no sched_ext (CONFIG_SCHED_CLASS_EXT), so no "
			      "scheduler '%s' runs here",
			      policy);
	else if (find_state(policy, &object))
		status = set ? set_params(&object, assignments, count, command)
			     : get_params(&object);
	scxload_object_free(&object);
	free(assignments);
	return status;
}
