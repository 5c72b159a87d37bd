/*
 * summaries: the statistics of every group of a loaded dataset (stats.h),
 * as analyze computes them before comparing.
 */
#ifndef ANALYZE_SUMMARIES_H
#define ANALYZE_SUMMARIES_H

#include <stddef.h>

#include "load.h"
#include "stats.h"
#include "diag.h"

/*
 * Group i's summary into sums[i] for every group, at confidence level.
 * A large input (a million values) is summarized on one thread per CPU,
 * at most 4; ANALYZE_LOAD_THREADS forces that many (analyze(1)). Returns
 * 0, or STATUS_RUNTIME with err naming where the first group that could
 * not be summarized starts.
 */
int summaries_compute(const struct dataset *ds, double level,
		      struct summary *sums, struct diag *err);

/*
 * --drop-outliers: in each group with outliers by the MAD rule
 * (stats_outliers on the full sample), drop them and summarize the group
 * again; *n_dropped grows by the values dropped. Returns as
 * summaries_compute.
 */
int summaries_drop_outliers(struct dataset *ds, double level,
			    struct summary *sums, size_t *n_dropped,
			    struct diag *err);

#endif
