/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * bpf_helpers.h (scxsim) — libbpf's BPF-side macros and helpers, for the host.
 *
 * Takes nothing; makes what runtime/scxc/kernel.bpf.h expects from <bpf/bpf_helpers.h> when the
 * generated C is compiled for the host instead of for BPF: SEC() and the map-definition macros
 * become plain C (a map is a struct of typed pointers, as in libbpf, whose types the lookup
 * macros below read for sizes), kfuncs become ordinary extern functions that the scxsim
 * executable defines, and the helpers the runtime calls become calls into the simulator
 * (sim/core/kfuncs.c).  Sections are dropped: scxsim finds the description, the maps and the
 * struct_ops table by symbol with dlsym().
 */
#ifndef SCXSIM_BPF_HELPERS_H
#define SCXSIM_BPF_HELPERS_H

#define SEC(name)
#ifndef __always_inline /* glibc defines it too */
#define __always_inline inline __attribute__((always_inline))
#endif
#define __ksym
#define __weak __attribute__((weak))
#define __uint(name, val) int(*name)[val]
#define __type(name, val) __typeof__(val) *name

struct task_struct;

/* The simulator's side of the helpers; sizes come from the map's definition. */
void *scxsim_map_lookup(void *map, u32 value_size, u32 entries, u32 key, s32 cpu);
void *scxsim_task_storage(void *map, u32 value_size, struct task_struct *p, u64 flags);
u64 bpf_ktime_get_ns(void);
long bpf_probe_read_kernel(void *dst, u32 size, const void *unsafe_ptr);
long bpf_probe_read_kernel_str(void *dst, u32 size, const void *unsafe_ptr);

#define scxsim_map_entries(map) ((u32)(sizeof(*(map)->max_entries) / sizeof(int)))

/* A per-CPU array's entry on the CPU the callback runs on, or on CPU. */
#define bpf_map_lookup_elem(map, key) \
	((__typeof__((map)->value))scxsim_map_lookup( \
		(map), sizeof(*(map)->value), scxsim_map_entries(map), *(const u32 *)(key), -1))
#define bpf_map_lookup_percpu_elem(map, key, cpu) \
	((__typeof__((map)->value))scxsim_map_lookup((map), sizeof(*(map)->value), \
						     scxsim_map_entries(map), *(const u32 *)(key), \
						     (cpu)))
#define bpf_task_storage_get(map, task, init, flags) \
	((__typeof__((map)->value))scxsim_task_storage((map), sizeof(*(map)->value), (task), \
						       (flags)))

#endif
