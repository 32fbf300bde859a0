/*
 * source.c — loads policy files and maps byte offsets back to lines and columns.
 *
 * Takes paths (or in-memory text) and keeps each file whole in memory for the life of the
 * compilation, so spans stay valid and diagnostics can quote any line.
 */
#include "source.h"
#include "memory.h"

#include <errno.h>
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
	return map->count++;
}

int source_load(struct source_map *map, const char *path)
{
	FILE *in = fopen(path, "rb");
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
		if (got == 0)
			break;
	}
	int failed = ferror(in);
	int saved_errno = errno;
	fclose(in);
	if (failed) {
		free(text);
		errno = saved_errno ? saved_errno : EIO;
		return -1;
	}
	int id = source_add(map, path, text ? text : "", length);
	free(text);
	return id;
}

void source_map_free(struct source_map *map)
{
	for (int i = 0; i < map->count; i++) {
		free(map->files[i].path);
		free(map->files[i].text);
	}
	free(map->files);
	map->files = NULL;
	map->count = 0;
}

static uint32_t clamp_offset(const struct source_file *file, uint32_t offset)
{
	return offset > file->length ? (uint32_t)file->length : offset;
}

void source_position(const struct source_map *map, uint32_t file_id, uint32_t offset,
		     int *line, int *column)
{
	const struct source_file *file = &map->files[file_id];
	offset = clamp_offset(file, offset);
	int current_line = 1;
	uint32_t line_start = 0;
	for (uint32_t i = 0; i < offset; i++) {
		if (file->text[i] == '\n') {
			current_line++;
			line_start = i + 1;
		}
	}
	*line = current_line;
	*column = (int)(offset - line_start) + 1;
}

const char *source_line(const struct source_map *map, uint32_t file_id, uint32_t offset,
			size_t *length)
{
	const struct source_file *file = &map->files[file_id];
	offset = clamp_offset(file, offset);
	uint32_t start = offset;
	while (start > 0 && file->text[start - 1] != '\n')
		start--;
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
	return (struct span){ first.file, first.begin, last.end > first.begin ? last.end : first.end };
}
