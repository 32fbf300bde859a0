/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * options.c — option values and choices (see options.h).
 */
#include "options.h"

#include <string.h>

bool option_value(int argc, char **argv, int *i, const char *name, const char **value)
{
	size_t length = strlen(name);
	if (strncmp(argv[*i], name, length) != 0)
		return false;
	if (argv[*i][length] == '=') {
		*value = argv[*i] + length + 1;
		return true;
	}
	if (argv[*i][length] != '\0')
		return false;
	*value = *i + 1 < argc ? argv[++*i] : NULL;
	return true;
}
