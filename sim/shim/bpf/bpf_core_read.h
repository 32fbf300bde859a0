/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * bpf_core_read.h (scxsim) — libbpf's CO-RE reads, for the host.
 *
 * Takes nothing; makes BPF_CORE_READ() a plain chain of member accesses and
 * bpf_core_enum_value() the enumerator's own value: on the host there is no running kernel to
 * relocate against, and the simulator uses the placeholder values of kernel.bpf.h throughout.
 */
#ifndef SCXSIM_BPF_CORE_READ_H
#define SCXSIM_BPF_CORE_READ_H

#define SCXSIM_CORE_READ_1(src, a) ((src)->a)
#define SCXSIM_CORE_READ_2(src, a, b) ((src)->a->b)
#define SCXSIM_CORE_READ_3(src, a, b, c) ((src)->a->b->c)
#define SCXSIM_CORE_READ_PICK(_1, _2, _3, name, ...) name
#define BPF_CORE_READ(src, ...) \
	SCXSIM_CORE_READ_PICK(__VA_ARGS__, SCXSIM_CORE_READ_3, SCXSIM_CORE_READ_2, \
			      SCXSIM_CORE_READ_1, _) \
	(src, __VA_ARGS__)

#define bpf_core_enum_value(type, value) ((u64)(value))

#endif
