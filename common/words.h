/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * words.h — names from a table: where a word is in it, and for people the closest one to a
 * misspelling ("did you mean") and the whole list as a sentence ("ns, us, ms and s").  Every
 * hint that names the choices is generated from the table that defines them, so a new entry
 * shows up in every message.
 */
#ifndef SCXC_WORDS_H
#define SCXC_WORDS_H

#include <stddef.h>

/* The candidate closest to WORD, if it is close enough to be a likely misspelling (at most a
 * third of WORD's letters wrong, a swap of two neighbours counting as one), or NULL.  NULL
 * entries of CANDIDATES are skipped. */
const char *suggest_name(const char *word, const char *const *candidates, int count);

/* The index of WORD among the COUNT WORDS, or -1. */
int word_index(const char *const *words, int count, const char *word);

/* Writes the COUNT WORDS as "a", "a and b" or "a, b and c" (CONJUNCTION: "and", "or") into OUT,
 * each wrapped in QUOTE (e.g. "'" or ""), truncated to SIZE.  Returns OUT. */
char *join_words(char *out, size_t size, const char *const *words, int count,
		 const char *conjunction, const char *quote);

#endif
