/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * source.c — loads policy files and maps byte offsets back to lines and columns.
 *
 * Takes paths (or "-", standard input, or in-memory text) and keeps each file whole in memory
 * for the life of the compilation, so spans stay valid and diagnostics can quote any line.
 */
#include "source.h"
#include "checked.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int source_add(struct source_map *map, const char *path, const char *text, size_t length)
{
	map->files = checked(realloc(map->files, (size_t)(map->count + 1) * sizeof(*map->files)));
	struct source_file *file = &map->files[map->count];
	file->path = checked(strdup(path));
	file->text = checked(malloc(length + 1));
	memcpy(file->text, text, length);
	file->text[length] = '\0';
	file->length = length;
	/* Lines are indexed once, so turning an offset into a position is a binary search:
	 * a lexer asking for every token's line stays linear in the file's size. */
	file->line_count = 1;
	for (size_t i = 0; i < length; i++)
		file->line_count += text[i] == '\n';
	file->line_starts = checked(malloc(file->line_count * sizeof(*file->line_starts)));
	file->line_starts[0] = 0;
	uint32_t line = 1;
	for (size_t i = 0; i < length; i++)
		if (text[i] == '\n')
			file->line_starts[line++] = (uint32_t)(i + 1);
	return map->count++;
}

const char *source_display_name(const char *path)
{
	return strcmp(path, SOURCE_STDIN) ? path : SOURCE_STDIN_NAME;
}

int source_load(struct source_map *map, const char *path)
{
	bool from_stdin = !strcmp(path, SOURCE_STDIN);
	FILE *in = from_stdin ? stdin : fopen(path, "rb");
	if (!in)
		return -1;
	char *text = NULL;
	size_t length = 0, capacity = 0;
	for (;;) {
		if (length == capacity) {
			capacity = capacity ? capacity * 2 : 4096;
			text = checked(realloc(text, capacity));
		}
		size_t got = fread(text + length, 1, capacity - length, in);
		length += got;
		if (got == 0 || length > SOURCE_MAX_BYTES)
			break;
	}
	int failed = ferror(in);
	int saved_errno = failed ? errno : length > SOURCE_MAX_BYTES ? EFBIG : 0;
	if (!from_stdin)
		fclose(in);
	if (saved_errno || failed) {
		free(text);
		errno = saved_errno ? saved_errno : EIO;
		return -1;
	}
	int id = source_add(map, source_display_name(path), text ? text : "", length);
	free(text);
	return id;
}

void source_map_free(struct source_map *map)
{
	for (int i = 0; i < map->count; i++) {
		free(map->files[i].path);
		free(map->files[i].text);
		free(map->files[i].line_starts);
	}
	free(map->files);
	map->files = NULL;
	map->count = 0;
}

static uint32_t clamp_offset(const struct source_file *file, uint32_t offset)
{
	return offset > file->length ? (uint32_t)file->length : offset;
}

void source_position(const struct source_map *map, uint32_t file_id, uint32_t offset, int *line,
		     int *column)
{
	const struct source_file *file = &map->files[file_id];
	offset = clamp_offset(file, offset);
	uint32_t low = 0, high = file->line_count; /* the line is in [low, high) */
	while (high - low > 1) {
		uint32_t middle = low + (high - low) / 2;
		if (file->line_starts[middle] <= offset)
			low = middle;
		else
			high = middle;
	}
	*line = (int)low + 1;
	*column = (int)(offset - file->line_starts[low]) + 1;
}

const char *source_line(const struct source_map *map, uint32_t file_id, uint32_t offset,
			size_t *length)
{
	const struct source_file *file = &map->files[file_id];
	int line, column;
	source_position(map, file_id, offset, &line, &column);
	offset = clamp_offset(file, offset);
	uint32_t start = file->line_starts[line - 1];
	uint32_t end = offset;
	while (end < file->length && file->text[end] != '\n')
		end++;
	if (end > start && file->text[end - 1] == '\r')
		end--;
	*length = end - start;
	return file->text + start;
}

struct span span_join(struct span first, struct span last)
{
	return (struct span){ first.file, first.begin,
			      last.end > first.begin ? last.end : first.end };
}
