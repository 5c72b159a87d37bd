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

#include "platform.h"
#include "verrs.h"

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

/* The campaign file parsed as validate_campaign parses it (a regular
 * file of bounded size, a byte order mark skipped, duplicate keys
 * refused), without checking its contents; NULL with the finding in
 * errs (whose file the caller sets). */
json_t *validate_load(const char *file, struct verrs *errs);

/* Why word, an sbatch argument from the campaign's slurm.sbatch or from
 * --sbatch-arg, must not be given: what campaign submit sets itself (the
 * array, the log, one node per task to itself, --wait) or has a key for
 * (partition, time, account, constraint, qos). NULL when it may. */
const char *validate_sbatch_arg(const char *word);

#endif
