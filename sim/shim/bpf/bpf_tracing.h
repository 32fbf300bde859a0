/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * bpf_tracing.h (scxsim) — libbpf's BPF_PROG, for the host.
 *
 * Takes nothing; makes BPF_PROG(name, args...) an ordinary C function with those arguments, so
 * the struct_ops table scxc_ops holds plain function pointers the simulator calls directly.
 */
#ifndef SCXSIM_BPF_TRACING_H
#define SCXSIM_BPF_TRACING_H

#define BPF_PROG(name, ...) name(__VA_ARGS__)

#endif
