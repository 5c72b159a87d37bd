/*
 * shards: what 'campaign submit' and 'campaign collect' share about the
 * shared directory of a Slurm campaign (see slurm.h): its plan.json, the
 * units each array task owns, and what the tasks' shards hold. Private
 * to slurm.c and collect.c.
 *
 * A unit is complete in a shard when its rows are there and, if the
 * shard's meta recorded the unit's run, exactly as many as the meta's
 * last successful run of it says: a unit is appended in one write(2)
 * (run.c), so a shorter count means a write cut short (a full disk), a
 * longer one a unit written twice.
 */
#ifndef CAMPAIGN_SHARDS_H
#define CAMPAIGN_SHARDS_H

#include <jansson.h>

#include "plan.h"

/* One row of a shard: its unit and the whole line (no line break). */
struct shard_row {
	char *key;
	char *line;
	size_t seq;		/* order in the shard */
};

struct shard {
	struct shard_row *rows;	/* sorted by key, then seq */
	size_t n_rows;
	json_t *meta;		/* the shard's .meta.json, or NULL */
	int is_bad;		/* not a campaign CSV (header differs) */
	const char *irregular;	/* what the CSV is when not a regular file
				 * ("a FIFO"), else NULL */
	char *meta_error;	/* why a meta that exists is unreadable */
};

enum unit_state {
	UNIT_MISSING,		/* no rows */
	UNIT_COMPLETE,
	UNIT_SHORT,		/* fewer rows than its run wrote */
	UNIT_TWICE		/* more rows, or rows in another task's shard */
};

struct unit_status {
	enum unit_state state;
	long task;
	long rows, rows_meta;	/* in the shard; by the meta (-1: none) */
	const char *why;	/* the meta's reason for a failed run */
	long other_task;	/* a task whose shard also has its rows, or -1 */
};

/* The shared directory of a campaign and its plan. */
struct sdir {
	char *dir;
	json_t *plan;		/* plan.json, or NULL before the first submit */
	long tasks;
	struct plan_unit *units;	/* every unit, in run order */
	size_t n_units;
	char **platforms;
	size_t n_platforms;
	struct shard *shards;	/* per task, after shards_read */
	struct unit_status *status;	/* per unit, after shards_read */
};

/* The directory for output (or shared_dir when given), absolute; caller
 * frees. */
char *shards_dir(const char *output, const char *shared_dir);
/* Set up d from dir's plan.json; 0, or -1 with why printed. */
int shards_open(struct sdir *d, const char *dir);
/* Fill d->units from the plan's repetitions, benchmarks, platforms. */
void shards_units(struct sdir *d, long repetitions, size_t n_benches);
/* Read every task's shard and judge every unit. */
void shards_read(struct sdir *d);
/* The shard paths of task k (caller frees). */
char *shards_csv(const struct sdir *d, long task);
char *shards_meta(const struct sdir *d, long task);
/* Rewrite task k's shard without the rows of its short and doubled
 * units, so that run --resume runs them again. 0 or -1 (printed). */
int shards_drop_partial(struct sdir *d, long task);
/* The rows of unit i (d->units[i]) in its task's shard, *count of
 * them (borrowed from d). */
const struct shard_row *shards_rows(const struct sdir *d, size_t i,
				    long *count);
void shards_release(struct sdir *d);

#endif
