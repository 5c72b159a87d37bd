/*
 * plan: the units of a campaign in the order they run, the slices a
 * Slurm array splits them into, and 'campaign run --dry-run': the plan
 * printed with an estimate of its duration, from earlier runs of the same
 * units (a campaign's .meta.json records each unit's time) or else from a
 * short calibration run, each labelled with where it came from.
 */
#ifndef CAMPAIGN_PLAN_H
#define CAMPAIGN_PLAN_H

#include <stddef.h>

#include <jansson.h>

#include "run_priv.h"

/* One unit: repetition, benchmark index, platform index. */
struct plan_unit {
	long rep;
	size_t bi;
	size_t pi;
	char key[160];		/* "rREP:bINDEX:PLATFORM", the job column */
};

/*
 * The units in run order: repetition by repetition; in each, the
 * benchmarks in file order; for each benchmark the platforms in list
 * order rotated by the repetition (so that a drift over the campaign is
 * spread over every platform instead of looking like a platform effect).
 * With slice_n > 0 only the repetitions rep with rep % slice_n ==
 * slice_k. Returns the count; *out (caller frees) holds them.
 */
size_t plan_units(long repetitions, size_t n_benches,
		  char *const *platforms, size_t n_platforms, long slice_k,
		  long slice_n, struct plan_unit **out);

/* Whether repetition rep belongs to the slice of o (--slice K/N). */
int plan_in_slice(const struct run_options *o, long rep);

/* Record the wall time of the unit just run (the last entry of the
 * meta's "runs") and, once, the campaign's setup time: what --dry-run
 * estimates from. */
void plan_note_unit(json_t *meta, double wall_s);
void plan_note_setup(json_t *meta, double setup_s);

/* The dry run: print the plan and the estimate on standard output.
 * Returns an exit status. */
int plan_dry_run(struct ctx *x);

#endif
