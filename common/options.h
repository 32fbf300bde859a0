/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * options.h — the command-line convention scxc's programs share: an option's value given as
 * `--name=value` or `--name value`.
 */
#ifndef SCXC_OPTIONS_H
#define SCXC_OPTIONS_H

#include <stdbool.h>

/* Whether ARGV[*I] is the option NAME, written `NAME=VALUE` or `NAME VALUE` (then *I moves on to
 * the value).  *VALUE is the value, or NULL when NAME is the last word and has none. */
bool option_value(int argc, char **argv, int *i, const char *name, const char **value);

#endif
