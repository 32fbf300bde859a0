/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * wrong-version.bpf.c — a test fixture: a `.scxc` section of a format version this loader does
 * not read (version 1, before stats had units).
 */
__attribute__((section(".scxc"), used)) static const char scxc_description[] = "scxc 1\n"
									       "policy earlier\n";
