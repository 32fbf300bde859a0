#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# expect.sh — runs COMMAND and checks its exit status and that its output (stdout and stderr
# together) contains TEXT; prints both on a mismatch.
# usage: expect.sh STATUS TEXT COMMAND [ARGS...]
status_wanted=$1
text=$2
shift 2
output=$("$@" 2>&1)
status=$?
if [ "$status" -ne "$status_wanted" ]; then
	printf 'exit status %s, wanted %s; output:\n%s\n' "$status" "$status_wanted" "$output"
	exit 1
fi
case $output in
*"$text"*) printf '%s\n' "$output" ;;
*) printf 'output lacks "%s":\n%s\n' "$text" "$output"; exit 1 ;;
esac
