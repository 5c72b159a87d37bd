/*
 * slurm: a campaign run across the nodes of a Slurm cluster. 'campaign
 * submit' checks the campaign as 'run' does, stages the static bench, the
 * launcher, the platform and server definitions and the campaign into a
 * shared directory, and submits one job array: task K runs the
 * repetitions r with r mod N = K (each repetition whole, in the run
 * order, so that every node compares every platform on itself), one unit
 * at a time, with the node to itself (--exclusive), writing its own
 * shard CSV and meta (the node's host name is in every row). 'campaign
 * collect' merges the shards into the one CSV and meta, checking that
 * every unit is there exactly once and complete; what is missing is
 * reported by unit, and 'submit --resume' submits only the tasks that
 * have units missing, which then run only those.
 *
 * The shared directory (default: OUT without .csv, plus .slurm):
 *   campaign.json   the campaign as submitted
 *   plan.json       tasks, slices, options, job ids
 *   job.sh          the batch script of every task
 *   stage/          bin/bench, bin/campaign, runners/platforms, servers
 *   shard-K.csv     task K's rows (+ shard-K.meta.json)
 *   logs/           each task's standard output and error
 */
#ifndef CAMPAIGN_SLURM_H
#define CAMPAIGN_SLURM_H

#include "run.h"

struct slurm_options {
	const char *partition, *time, *account, *constraint, *qos;
	long tasks;		/* 0: the campaign's, else one per repetition */
	char **sbatch;		/* --sbatch-arg, n_sbatch of them */
	int n_sbatch;
	const char *shared_dir;	/* NULL: beside the output */
	int is_wait;		/* sbatch --wait, then collect */
};

/* 'campaign submit': returns an exit status, having printed why. */
int slurm_submit(const struct run_options *o, const struct slurm_options *s);

/* 'campaign collect': merge the shards of the campaign whose output is
 * o->output; 0 when every unit is there, 1 when some are missing (the
 * merged CSV then holds the others), 2 bad usage. */
int slurm_collect(const struct run_options *o, const struct slurm_options *s);

#endif
