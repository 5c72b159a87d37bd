/*
 * suggest: nearest names by edit distance (see suggest.h).
 */
#include "suggest.h"

#include <string.h>

size_t suggest_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	size_t row[64], prev[64];

	if (la >= 64 || lb >= 64)
		return (size_t)-1;
	for (j = 0; j <= lb; j++)
		prev[j] = j;
	for (i = 1; i <= la; i++) {
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			size_t sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
			size_t del = prev[j] + 1, ins = row[j - 1] + 1;

			row[j] = sub < del ? sub : del;
			if (ins < row[j])
				row[j] = ins;
		}
		memcpy(prev, row, (lb + 1) * sizeof(row[0]));
	}
	return prev[lb];
}

const char *suggest_nearest(const char *word, const char *const *cands,
			    size_t n)
{
	const char *best = NULL;
	size_t len = strlen(word), limit = len <= 3 ? 1 : 2;
	size_t best_d = limit + 1, d, i;

	for (i = 0; i < n; i++) {
		if (!cands[i])
			continue;
		d = suggest_distance(word, cands[i]);
		if (len >= 3 && !strncmp(cands[i], word, len))
			d = d < 1 ? d : 1;
		if (d < best_d) {
			best_d = d;
			best = cands[i];
		}
	}
	return best;
}
