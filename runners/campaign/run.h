/*
 * run: 'campaign run': the campaign loop over units (repetition x
 * benchmark x platform), the output CSV and its meta, and the KVM probe
 * boot of 'campaign platforms'. run_priv.h holds what its modules (unit,
 * served, plan, resume, validate) share.
 *
 * Owns: nothing the caller sees. Must not: decide the exit status of
 * another command.
 */
#ifndef CAMPAIGN_RUN_H
#define CAMPAIGN_RUN_H

#include "platform.h"

struct run_options {
	const char *campaign_file;
	const char *output;	/* CSV path */
	const char *platforms_dir;
	const char *kernel;	/* --kernel, NULL: find one */
	const char *only_platforms;	/* --platforms a,b, NULL: the file's */
	const char *bench;	/* path of bench */
	double timeout_s;	/* --timeout, 0: the file's / platform's */
	int is_resume, is_force, is_progress, skip_unavailable;
	int is_dry_run;		/* --dry-run: the plan and an estimate */
	int no_calibrate;	/* --no-calibrate: history only */
	const char *estimate_from;	/* --estimate-from CSV, NULL: output */
	long slice_k, slice_n;	/* --slice K/N: repetitions = K mod N */
	char **with;		/* --with PROGRAM, n_with of them */
	int n_with;
	int argc;
	char **argv;		/* the launcher's command line, for meta */
};

/* Run a campaign. Returns an exit status (enum exit_status), having
 * printed every diagnostic. */
int run_campaign(const struct run_options *o);

/* Boot each available KVM VM platform of set once with no job (see
 * unit_probe); a failure makes it unavailable with the reason. 0, or -1
 * when the images could not be built (message printed). */
int run_probe_set(struct platform_set *set, const char *kernel,
		  const char *bench);

#endif
