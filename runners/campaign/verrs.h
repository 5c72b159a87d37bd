/*
 * verrs: the findings of the checks of a campaign file, a platform
 * definition or the command line, each with its line, printed together
 * sorted by line ("FILE:LINE: message").
 *
 * Owns: the messages of a struct verrs (verrs_release). Must not: stop at
 * the first finding (at most 50 are kept).
 */
#ifndef CAMPAIGN_VERRS_H
#define CAMPAIGN_VERRS_H

#include <stddef.h>
#include <stdio.h>

/* One finding; line 0: none (a command-line option, a whole file). */
struct verr {
	long line;
	char *msg;
};

/* The findings about one file (NULL: the command line). */
struct verrs {
	const char *file;
	struct verr *items;
	size_t n;
	int is_runtime;		/* bench --check could not be run at all */
};

void verrs_add(struct verrs *e, long line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* "FILE:LINE: message" (or "FILE: message", or "campaign: message" for
 * the command line) for each, sorted by line. */
void verrs_print(const struct verrs *e, FILE *f);
/* Whether no more findings would be kept (a checker may stop looking). */
int verrs_full(const struct verrs *e);
void verrs_release(struct verrs *e);

#endif
