/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * scxrun.c — the generic loader's main(): takes `scxrun OBJECT.bpf.o [options]` and runs any
 * scxc object as the sched_ext scheduler (everything is in the loader library, see scxload.h).
 */
#include "scxload.h"

int main(int argc, char **argv)
{
	return scxload_main(argc, argv, NULL);
}
