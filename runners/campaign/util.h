/*
 * util: what several campaign modules share: {name} templates, the CSV
 * field helpers and headers, a growable argv, the path of bench beside
 * the launcher, a monotonic clock. Out of memory is fatal (lib/xalloc.h).
 *
 * Owns: nothing beyond what each function says it returns. Must not: print
 * or exit.
 */
#ifndef CAMPAIGN_UTIL_H
#define CAMPAIGN_UTIL_H

#include <stddef.h>

#include "strbuf.h"

/* bench's own CSV header, and the campaign CSV's (two extra columns:
 * accel, job). */
extern const char csv_bench_header[];
extern const char csv_out_header[];

/* A growable argv, NULL-terminated; av_free releases every string. */
struct argvec {
	char **v;
	int n;
};
void av_add(struct argvec *a, const char *s);
void av_free(struct argvec *a);

/* Template variables: NULL-terminated name/value pairs. */
struct tvar {
	const char *name;
	const char *value;
};

/*
 * Expand {name} (letters, digits, '_') in tmpl from vars; other braces
 * are text; names listed in keep (NULL-terminated,
 * may be NULL) are left as they are. Returns a new string (caller frees),
 * or NULL with *bad set to the unknown name (a static copy, at most 63
 * bytes) when a placeholder is unknown.
 */
char *template_expand(const char *tmpl, const struct tvar *vars,
		      const char *const *keep, char bad[64]);

/* Split one CSV line (no line break) into fields; returns the count, at
 * most max; the fields point into line, which is modified. */
int csv_split(char *line, char **fields, int max);
/* Append s as one CSV field (quoted when needed). */
void csv_put(struct strbuf *sb, const char *s);

/* Directory of the running executable's sibling 'bench': caller frees. */
char *find_bench(const char *argv0);

double mono_s(void);

#endif
