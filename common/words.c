/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * words.c — did-you-mean and word lists (see words.h).
 */
#include "words.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define LONGEST_COMPARED 64

/* Edit distance counting a swap of two neighbours as one edit ("wieght" → "weight"). */
static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > LONGEST_COMPARED || lb > LONGEST_COMPARED)
		return SIZE_MAX;
	size_t d[LONGEST_COMPARED + 1][LONGEST_COMPARED + 1];
	for (size_t i = 0; i <= la; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= la; i++) {
		for (size_t j = 1; j <= lb; j++) {
			size_t best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
			if (d[i - 1][j] + 1 < best)
				best = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
		}
	}
	return d[la][lb];
}

const char *suggest_name(const char *word, const char *const *candidates, int count)
{
	size_t limit = strlen(word) / 3 > 1 ? strlen(word) / 3 : 1;
	const char *best = NULL;
	size_t best_distance = SIZE_MAX;
	for (int i = 0; i < count; i++) {
		if (!candidates[i])
			continue;
		size_t distance = edit_distance(word, candidates[i]);
		if (distance <= limit && distance < best_distance) {
			best = candidates[i];
			best_distance = distance;
		}
	}
	return best;
}

int word_index(const char *const *words, int count, const char *word)
{
	for (int i = 0; i < count; i++)
		if (words[i] && !strcmp(words[i], word))
			return i;
	return -1;
}

char *join_words(char *out, size_t size, const char *const *words, int count,
		 const char *conjunction, const char *quote)
{
	size_t used = 0;
	out[0] = '\0';
	for (int i = 0; i < count && used < size; i++) {
		bool last = i > 0 && i == count - 1;
		int written = snprintf(out + used, size - used, "%s%s%s%s%s%s",
				       i == 0 || last ? "" : ", ", last ? " " : "",
				       last ? conjunction : "", last ? " " : "", quote, words[i]);
		if (written < 0)
			break;
		used += (size_t)written;
		if (used < size)
			used += (size_t)snprintf(out + used, size - used, "%s", quote);
	}
	return out;
}
