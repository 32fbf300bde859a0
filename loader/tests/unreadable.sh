#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# unreadable.sh — runs `SCXRUN OBJECT --describe` on a copy of OBJECT that nobody may read
# (mode 000).  As root, who reads anything, scxrun runs as the user nobody from a copy in a
# world-readable scratch directory; otherwise as the caller.
# usage: unreadable.sh SCXRUN OBJECT
scratch=$(mktemp -d) || exit 1
trap 'chmod -R u+rwX "$scratch"; rm -rf "$scratch"' EXIT
cp "$1" "$scratch/scxrun" && cp "$2" "$scratch/object.bpf.o" || exit 1
chmod a+rx "$scratch" "$scratch/scxrun"
chmod 000 "$scratch/object.bpf.o"
if [ "$(id -u)" -eq 0 ]; then
	setpriv --reuid=65534 --regid=65534 --clear-groups "$scratch/scxrun" "$scratch/object.bpf.o" --describe
else
	"$scratch/scxrun" "$scratch/object.bpf.o" --describe
fi
