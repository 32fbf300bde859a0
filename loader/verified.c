/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * verified.c — takes a loaded libbpf object and reads back, for each of its programs, how many
 * instructions the kernel's verifier processed to accept it (bpf_prog_info.verified_insns,
 * Linux 5.16 and later).  That is the verifier's work, not the program's size: each branch the
 * verifier had to follow separately counts again.  scxrun prints it with --json and --verbose,
 * and the vm suite compares it between policies and the reference scheduler.
 */
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <stdio.h>
#include <string.h>

#include "scxload.h"

int scxload_read_verified(struct bpf_object *bpf, struct scxload_verified *out, int max)
{
	struct bpf_program *prog;
	int count = 0;
	bpf_object__for_each_program(prog, bpf)
	{
		if (count == max)
			break;
		int fd = bpf_program__fd(prog);
		struct bpf_prog_info info;
		uint32_t length = sizeof(info);
		memset(&info, 0, sizeof(info));
		if (fd < 0 || bpf_obj_get_info_by_fd(fd, &info, &length))
			continue;
		snprintf(out[count].name, sizeof(out[count].name), "%s", bpf_program__name(prog));
		out[count].insns = info.verified_insns;
		count++;
	}
	return count;
}
