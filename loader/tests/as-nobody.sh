#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# as-nobody.sh — runs SCXRUN on OBJECT as the unprivileged user nobody, with SYSFS as its fake
# /sys/kernel/sched_ext.  All three are copied into a fresh world-readable directory first, so
# the test does not depend on who may read the checkout (a clone under a private directory).
# usage: as-nobody.sh SCXRUN OBJECT SYSFS
scratch=$(mktemp -d) || exit 1
trap 'rm -rf "$scratch"' EXIT
cp "$1" "$scratch/scxrun" && cp "$2" "$scratch/object.bpf.o" && cp -r "$3" "$scratch/sysfs" || exit 1
chmod -R a+rX "$scratch"
SCXRUN_SYSFS=$scratch/sysfs setpriv --reuid=65534 --regid=65534 --clear-groups \
	"$scratch/scxrun" "$scratch/object.bpf.o"
