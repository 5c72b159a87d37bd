/*
 * suggest: the "did you mean" of every tool. Given a word that named
 * nothing (a command, an option, a key of a JSON file, a platform), the
 * candidate nearest to it. libc only, no allocation: bench links it
 * -static.
 */
#ifndef LIB_SUGGEST_H
#define LIB_SUGGEST_H

#include <stddef.h>

/* Levenshtein distance of a and b; (size_t)-1 when either is 64 bytes or
 * longer (names are short; nothing that long is a typo of a name). */
size_t suggest_distance(const char *a, const char *b);

/*
 * The candidate nearest to word, or NULL when none is near: at most 2
 * edits away (1 for words of 3 characters or fewer, which any short word
 * is 2 edits from), or word being a prefix of it of at least 3
 * characters. cands holds n candidates (NULL entries are skipped); the
 * first of equally near ones wins. Returns a pointer into cands.
 */
const char *suggest_nearest(const char *word, const char *const *cands,
			    size_t n);

#endif
