/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kernel.h — the runtime's own kernel declarations, seen from host C.
 *
 * Takes runtime/scxc/kernel.bpf.h and compat.bpf.h (with the shim's <bpf/…> headers before
 * them); makes them includable beside libc: kernel.bpf.h defines bool, true, false and NULL
 * itself, so libc's macros for them are dropped first, and the CO-RE attribute, which means
 * nothing on the host, is defined away.  The simulator thus uses the very task_struct, enums and
 * kfunc prototypes the generated C is compiled against, and the compiler checks each kfunc it
 * defines against the runtime's declaration.
 */
#ifndef SCXSIM_KERNEL_H
#define SCXSIM_KERNEL_H

#include <stddef.h>
#include <stdbool.h>

#undef bool
#undef true
#undef false
#undef NULL
#define preserve_access_index
/* compat.bpf.h tests a kfunc's address as a pointer, which ISO C does not define. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpedantic"
#include "scxc/kernel.bpf.h"
#include "scxc/compat.bpf.h"
#pragma GCC diagnostic pop
#undef preserve_access_index

#endif
