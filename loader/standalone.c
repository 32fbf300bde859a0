/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * standalone.c — main() of a per-policy binary (`scxc X.sched --exe -o scx_X`): takes the object
 * built in by the bpftool skeleton header scxc_embedded.skel.h and behaves like
 * `scxrun X.bpf.o`, without the object operand.  compiler/exe.c compiles this file beside two
 * generated headers: the skeleton, and the object's own BTF types as C
 * (`bpftool btf dump file X.bpf.o format c`), which the skeleton's declarations of the
 * object's global variables (struct scxc_params, struct scxc_exit_info, …) need.
 */
#define BPF_NO_PRESERVE_ACCESS_INDEX /* plain C types: no clang-only attribute pragmas */
#include "scxc_embedded.types.h"
#include "scxc_embedded.skel.h"
#include "scxload.h"

int main(int argc, char **argv)
{
	struct scxload_embedded object;
	object.data = scxc_embedded__elf_bytes(&object.size);
	return scxload_main(argc, argv, &object);
}
