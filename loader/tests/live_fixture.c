/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * live_fixture.c — a stand-in for a running scxrun, for live.py: takes an scxc object whose
 * maps load without sched_ext (described.bpf.o: no programs), creates its maps in the kernel
 * with libbpf and publishes the live state exactly as scxrun does once its scheduler is active
 * (state.c), so that `scxrun set` and `scxrun get` can be tested on a real params map.  Then
 * answers lines on stdin: `values` prints the params as the map holds them (bpf_map_lookup_elem)
 * and as the read-only mapping the stats use sees them; `stop`, or the end of input, removes
 * the state and exits.
 * usage: live_fixture OBJECT.bpf.o
 */
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "run.h"

static int silent(enum libbpf_print_level level, const char *format, va_list args)
{
	(void)level, (void)format, (void)args;
	return 0;
}

int main(int argc, char **argv)
{
	struct scxload_object object;
	if (argc != 2 || !scxload_object_from_file(&object, argv[1]))
		return 1;
	libbpf_set_print(silent);
	struct bpf_object *bpf = bpf_object__open_file(argv[1], NULL);
	if (!bpf || bpf_object__load(bpf)) {
		printf("cannot load the maps of %s\n", argv[1]);
		return 77; /* no bpf() here: live.py skips the cases on a real map */
	}
	int fd = bpf_map__fd(bpf_object__find_map_by_name(bpf, PARAMS_SECTION));
	struct params_mapping mapping;
	if (!map_params(fd, object.nr_params, false, PARAMS_SECTION, &mapping) ||
	    !publish_state(&object, fd))
		return 1;
	printf("ready\n");
	fflush(stdout);
	char line[64];
	while (fgets(line, sizeof(line), stdin) && strcmp(line, "stop\n")) {
		int64_t values[8] = { 0 };
		uint32_t key = 0;
		bpf_map_lookup_elem(fd, &key, values);
		for (int i = 0; i < object.nr_params; i++)
			printf("%s%" PRId64, i ? " " : "", values[i]);
		printf(" |");
		for (int i = 0; i < object.nr_params; i++)
			printf(" %" PRId64, load_param(&mapping, i));
		printf("\n");
		fflush(stdout);
	}
	remove_state(object.policy);
	unmap_params(&mapping);
	bpf_object__close(bpf);
	scxload_object_free(&object);
	return 0;
}
