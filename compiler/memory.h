/*
 * memory.h — allocation that cannot fail quietly.
 *
 * The compiler has no sensible way to go on without memory, so every allocation goes
 * through checked(): it hands back the pointer, or says "out of memory" and aborts.
 */
#ifndef SCXC_MEMORY_H
#define SCXC_MEMORY_H

#include <stddef.h>

/* POINTER itself; prints "scxc: out of memory" and aborts if it is NULL. */
void *checked(void *pointer);
/* A NUL-terminated copy of the LENGTH bytes at TEXT. */
char *copy_text(const char *text, size_t length);

#endif
