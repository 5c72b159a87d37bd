/*
 * validate: a campaign file and the platform definitions checked whole
 * before anything runs. Unknown keys (with the nearest known one), types,
 * numbers out of range, empty and duplicate names, platforms the
 * definitions do not have, per-platform settings for platforms the
 * campaign does not run, benchmarks and arguments that bench rejects
 * (bench itself is asked, 'bench NAME ARGS --check', so that the two
 * never disagree), and accelerator claims a platform's kind cannot keep.
 *
 * Every finding names the line of the offending key or value (jsonpos.h)
 * and is collected, not printed: the caller prints them all, sorted by
 * line, and exits 2, having written nothing.
 */
#ifndef CAMPAIGN_VALIDATE_H
#define CAMPAIGN_VALIDATE_H

#include <stdio.h>

#include <jansson.h>

#include "campaign.h"

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
void verrs_release(struct verrs *e);

/* What the campaign is checked against. */
struct vinput {
	const char *file;		/* the campaign file */
	const struct platform_set *set;	/* every definition */
	const char *only_platforms;	/* --platforms LIST, or NULL */
	const char *bench;		/* bench to ask, NULL: do not ask */
	const char *servers_dir;	/* runners/servers */
};

/*
 * Read and check the campaign file. Returns 0 with *json the parsed file
 * (a new reference), or -1 with the findings in errs (errs->is_runtime
 * set when bench could not be run: exit 1, not 2). errs->file is set.
 */
int validate_campaign(const struct vinput *in, json_t **json,
		      struct verrs *errs);

/*
 * The platforms a campaign runs, in order: --platforms (only) when given
 * (any platform the definitions have, in the campaign file or not), else
 * the file's list. *n receives the count; the caller frees each string
 * and the array.
 */
char **validate_selection(json_t *json, const char *only, size_t *n);

/*
 * One platform definition (file, its text and its parsed object):
 * unknown keys, types, and the accelerator its kind can honour. 0, or -1
 * with "FILE:LINE: message" in err.
 */
int validate_platform(const char *file, const char *text, size_t len,
		      json_t *def, char *err, size_t err_size);

#endif
