/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * checked.h — allocation that cannot fail quietly.
 *
 * Neither the compiler nor the loader has a sensible way to go on without memory, so every
 * allocation goes through checked(): it hands back the pointer, or says "out of memory" under
 * the program's name and exits with status 1.
 */
#ifndef SCXC_CHECKED_H
#define SCXC_CHECKED_H

#include <stddef.h>

/* How messages name the program ("scxc", "scxrun", "scx_fair"); set it from argv[0]. */
extern const char *program_name;

/* POINTER itself; prints "PROGRAM: out of memory" and exits with status 1 if it is NULL. */
void *checked(void *pointer);
/* A NUL-terminated copy of the LENGTH bytes at TEXT. */
char *copy_text(const char *text, size_t length);

#endif
