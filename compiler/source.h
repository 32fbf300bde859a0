/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * source.h — the policy files a compilation reads, and the spans that point into them.
 *
 * Every AST node and diagnostic carries a span: a file id and a byte range.  Bytes become
 * line:column only when a diagnostic is rendered, so the front end never tracks lines itself.
 */
#ifndef SCXC_SOURCE_H
#define SCXC_SOURCE_H

#include <stddef.h>
#include <stdint.h>

struct span {
	uint32_t file;	/* index into the source map */
	uint32_t begin; /* byte offset of the first byte */
	uint32_t end;	/* byte offset one past the last byte */
};

struct source_file {
	char *path; /* as the user named it (shown in diagnostics) */
	char *text; /* whole file, NUL-terminated */
	size_t length;
	uint32_t *line_starts; /* byte offset of each line's first byte, ascending */
	uint32_t line_count;
};

struct source_map {
	struct source_file *files;
	int count;
};

/* The largest policy file read; a longer one (or an endless one, like /dev/zero) is
 * refused with errno EFBIG. */
#define SOURCE_MAX_BYTES (16u << 20)
#define SOURCE_MAX_TEXT "16 MiB"

/* The path that names standard input, and the name diagnostics give it. */
#define SOURCE_STDIN "-"
#define SOURCE_STDIN_NAME "<stdin>"

/* The name a policy read from PATH goes by: PATH itself, or SOURCE_STDIN_NAME. */
const char *source_display_name(const char *path);
/* Reads PATH (SOURCE_STDIN: standard input) into the map; returns its file id, or -1 with
 * errno set. */
int source_load(struct source_map *map, const char *path);
/* Adds an in-memory text (tests, fuzzing); returns its file id. */
int source_add(struct source_map *map, const char *path, const char *text, size_t length);
void source_map_free(struct source_map *map);

/* 1-based line and column (in bytes) of OFFSET in FILE. */
void source_position(const struct source_map *map, uint32_t file, uint32_t offset, int *line,
		     int *column);
/* The text of the line holding OFFSET, without its newline: start and length. */
const char *source_line(const struct source_map *map, uint32_t file, uint32_t offset,
			size_t *length);

struct span span_join(struct span first, struct span last);

#endif
