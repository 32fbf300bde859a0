/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * capture.h — for the loader's unit tests: takes what a piece of code writes to stdout or stderr
 * (FD 1 or 2) while it runs and makes it a string, so a test can check the message or the line
 * the loader prints.
 */
#ifndef SCXLOAD_TEST_CAPTURE_H
#define SCXLOAD_TEST_CAPTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

struct capture {
	FILE *file;
	int fd, saved;
};

/* From now on, what goes to FD (1 or 2) goes to a temporary file instead. */
static inline struct capture capture_start(int fd)
{
	struct capture capture = { tmpfile(), fd, -1 };
	if (!capture.file)
		abort();
	fflush(fd == 1 ? stdout : stderr);
	capture.saved = dup(fd);
	dup2(fileno(capture.file), fd);
	return capture;
}

/* Puts FD back and returns what was written to it meanwhile (free it). */
static inline char *capture_end(struct capture *capture)
{
	fflush(capture->fd == 1 ? stdout : stderr);
	dup2(capture->saved, capture->fd);
	close(capture->saved);
	long size = ftell(capture->file);
	char *text = calloc((size_t)(size > 0 ? size : 0) + 1, 1);
	rewind(capture->file);
	if (!text || (size > 0 && fread(text, 1, (size_t)size, capture->file) != (size_t)size))
		abort();
	fclose(capture->file);
	return text;
}

#endif
