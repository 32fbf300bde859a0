/*
 * memory.c — checked allocation shared by every stage (see memory.h).
 */
#include "memory.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void *checked(void *pointer)
{
	if (!pointer) {
		fputs("scxc: out of memory\n", stderr);
		abort();
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
