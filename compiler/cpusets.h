/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * cpusets.h — CPU sets as the compiler keeps them, from the literal sema checks to the tables
 * the emitter writes: SCXC_CPUSET_WORDS 64-bit words, bit c of word c / 64 standing for CPU c
 * (the same bitmap the runtime and the loader read).  cpusets.c writes one in the kernel's
 * cpulist syntax ("0-3,6"), as the IR dump, the emitted comments and scxrun show it.
 */
#ifndef SCXC_CPUSETS_H
#define SCXC_CPUSETS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "scxc/contract.h"

/* Room for any set written as a cpulist: at most every other CPU, "0,2,4,…,510". */
#define CPUSET_TEXT_MAX (SCXC_MAX_CPUS * 2 + 16)

/* A new, empty set (checked allocation). */
uint64_t *cpuset_new(void);
uint64_t *cpuset_copy(const uint64_t *bits);
static inline bool cpuset_has(const uint64_t *bits, int cpu)
{
	return bits[cpu / 64] >> (cpu % 64) & 1;
}
static inline void cpuset_add(uint64_t *bits, int cpu)
{
	bits[cpu / 64] |= 1ULL << (cpu % 64);
}
/* Writes BITS as the kernel's cpulist ("0-3,6"; "" when empty) into OUT; returns OUT. */
char *cpuset_format(const uint64_t *bits, char out[CPUSET_TEXT_MAX]);

#endif
