/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * checked.c — checked allocation for every program of scxc (see checked.h).
 */
#include "checked.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *program_name = "scxc";

void *checked(void *pointer)
{
	if (!pointer) {
		fprintf(stderr, "%s: out of memory\n", program_name);
		exit(EXIT_FAILURE);
	}
	return pointer;
}

char *copy_text(const char *text, size_t length)
{
	char *copy = checked(malloc(length + 1));
	memcpy(copy, text, length);
	copy[length] = '\0';
	return copy;
}
