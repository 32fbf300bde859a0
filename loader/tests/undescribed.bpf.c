/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * undescribed.bpf.c — a test fixture: a BPF object without a `.scxc` section, which the loader
 * must refuse as "not an scxc object".
 */
const volatile long long some_setting = 1;
