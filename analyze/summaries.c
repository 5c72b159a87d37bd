/*
 * summaries: every group's struct summary, what analyze computes between
 * loading and comparing, and --drop-outliers. main.c and the fuzz harness
 * (tests/fuzz/load_fuzz.c) both run it.
 */
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include "summaries.h"
#include "diag.h"
#include "xalloc.h"

/* Group i could not be summarized: err says where it starts. */
static int summary_error(const struct dataset *ds, size_t i, struct diag *err)
{
	const struct group *g = &ds->groups[i];

	diag_set(err, ds->sources[g->first_source].path, g->first_line,
		 "cannot summarize the group starting here (%zu values)",
		 g->n);
	return STATUS_RUNTIME;
}

/* Groups [from, to) summarized on one thread. */
struct summary_job {
	const struct dataset *ds;
	struct summary *sums;
	double level;
	size_t from, to;
	size_t failed;		/* first group that failed, or 'to' */
	pthread_t thread;
	int is_started;
};

static void *summarize_range(void *arg)
{
	struct summary_job *job = arg;
	double *work = NULL;
	size_t i, cap = 0;

	job->failed = job->to;
	for (i = job->from; i < job->to; i++) {
		const struct group *g = &job->ds->groups[i];

		if (stats_summarize_with(g->values, g->n, job->level,
					 &job->sums[i], &work, &cap) != 0) {
			job->failed = i;
			break;
		}
	}
	free(work);
	return NULL;
}

/* Below this many values one thread summarizes everything: starting
 * others would cost more than it saves. */
#define SUMMARY_PARALLEL_MIN 1000000
#define SUMMARY_MAX_THREADS 4

/* How many threads: one per online CPU (at most 4) for large inputs, or
 * as many as ANALYZE_LOAD_THREADS says (so that tests can compare). */
static size_t summary_threads(const struct dataset *ds)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	int forced = load_env_threads();

	if (forced)
		return (size_t)forced;
	if (ds->n_rows < SUMMARY_PARALLEL_MIN || cpus < 2)
		return 1;
	return cpus > SUMMARY_MAX_THREADS ? SUMMARY_MAX_THREADS : (size_t)cpus;
}

/*
 * Sorting each group is most of this, so on a large input the groups are
 * cut into runs of about equal numbers of values, one per thread; each
 * group is summarized exactly as on one thread, and the first failure in
 * group order is the one reported.
 */
int summaries_compute(const struct dataset *ds, double level,
		      struct summary *sums, struct diag *err)
{
	struct summary_job jobs[SUMMARY_MAX_THREADS];
	size_t k = summary_threads(ds), t, i = 0, seen = 0;

	for (t = 0; t < k; t++) {
		struct summary_job *job = &jobs[t];
		size_t share = (size_t)(ds->n_rows * (double)(t + 1) / k);

		job->ds = ds;
		job->sums = sums;
		job->level = level;
		job->from = i;
		while (i < ds->n_groups && (seen < share || t + 1 == k))
			seen += ds->groups[i++].n;
		job->to = i;
		job->is_started = t > 0 && pthread_create(&job->thread, NULL,
							  summarize_range,
							  job) == 0;
	}
	for (t = 0; t < k; t++) {
		if (jobs[t].is_started)
			pthread_join(jobs[t].thread, NULL);
		else
			summarize_range(&jobs[t]);
	}
	for (t = 0; t < k; t++)
		if (jobs[t].failed < jobs[t].to)
			return summary_error(ds, jobs[t].failed, err);
	return 0;
}

/* One pass only: dropping until nothing is flagged would eat into any
 * skewed sample. */
int summaries_drop_outliers(struct dataset *ds, double level,
			    struct summary *sums, size_t *n_dropped,
			    struct diag *err)
{
	size_t i;

	for (i = 0; i < ds->n_groups; i++) {
		struct group *g = &ds->groups[i];
		struct summary *s = &sums[i];
		unsigned char *flags;

		if (s->n_outliers == 0)
			continue;
		flags = xcalloc(g->n, 1);
		stats_outliers(g->values, g->n, s->median, s->mad, flags);
		*n_dropped += load_group_drop(g, flags);
		free(flags);
		if (stats_summarize(g->values, g->n, level, s) != 0)
			return summary_error(ds, i, err);
	}
	return 0;
}
