/*
 * stats: per-sample statistics. Pure functions: arrays in, a result struct
 * out; nothing is allocated that outlives a call, nothing is printed.
 * Accurate algorithms only (never variance from sums of squares): the NIST
 * StRD univariate datasets are the acceptance test (tests/unit/stats_test.c).
 * Quantiles come from GSL; t quantiles from gsl_cdf_tdist_Pinv at any level.
 */
#ifndef ANALYZE_STATS_H
#define ANALYZE_STATS_H

#include <stddef.h>

struct summary {
	size_t n;
	double mean;
	double sd;		/* sample sd (n - 1); 0 when n < 2 */
	double min, max;
	double median, q1, q3;	/* linear interpolation between order
				 * statistics (R type 7, numpy default) */
	double cv;		/* sd / |mean|; 0 when n < 2 or mean == 0 */
	double mad;		/* median absolute deviation (unscaled) */
	int has_ci;		/* n >= 2 */
	double level;		/* confidence level of the CI, e.g. 0.95 */
	double sem;		/* sd / sqrt(n) */
	double ci_lo, ci_hi;	/* Student-t CI of the mean; = mean when
				 * sd == 0; undefined unless has_ci */
	size_t n_outliers;	/* by the median/MAD rule below */
};

/*
 * Summarize x[0..n-1] (any order, n >= 1) at confidence level
 * (0 < level < 1). Returns 0, or -1 if n == 0 or the level is invalid.
 */
int stats_summarize(const double *x, size_t n, double level,
		    struct summary *out);

/*
 * The same with scratch memory the caller keeps between calls (*work, of
 * *work_cap doubles, grown as needed; both start NULL and 0, free(*work)
 * after the last call): summarizing many groups then allocates once, not
 * once per group (4n doubles, which the allocator would map and unmap
 * anew each time for large n).
 */
int stats_summarize_with(const double *x, size_t n, double level,
			 struct summary *out, double **work, size_t *work_cap);

/* Mean and sample sd with compensated two-pass algorithms. */
double stats_mean(const double *x, size_t n);
double stats_sd(const double *x, size_t n, double mean);

/*
 * Outliers by the modified z-score of Iglewicz and Hoaglin (1993):
 * |x - median| > 3.5 * 1.4826 * MAD. With MAD == 0 nothing is flagged.
 * Sets flags[i] to 1 for each outlier and returns their number.
 */
size_t stats_outliers(const double *x, size_t n, double median, double mad,
		      unsigned char *flags /* OUT: n entries */);

/* Two-sided Student-t quantile for a CI at level with df degrees of
 * freedom, i.e. t such that P(|T| <= t) = level. */
double stats_t_quantile(double level, double df);

/*
 * Runs needed for the CI half-width to be at most rel_halfwidth * |mean|
 * (e.g. 0.02), given the sd seen so far; iterates because t depends on n.
 * Returns 0 if the sample cannot say (n < 2 or mean == 0).
 */
size_t stats_runs_needed(const struct summary *s, double rel_halfwidth);

/*
 * Monotone trend of x over runs (e.g. warm-up): Kendall's tau between run
 * and value, with its two-sided p-value (normal approximation with tie
 * correction). Returns -1 when n < 4.
 */
int stats_trend(const double *runs, const double *x, size_t n,
		double *tau /* OUT */, double *p /* OUT */);

/*
 * Sarle's bimodality coefficient of x[0..n-1] (n >= 4, values not all
 * equal): above 5/9 suggests two modes, but strong skew alone can get
 * there (explain.c combines it with a split).
 */
double stats_bimodality_coefficient(const double *x, size_t n);

/*
 * Where sorted x[0..n-1] splits into two clusters x[0..k-1], x[k..n-1]
 * with the least within-cluster sum of squares, each side at least min
 * long (2 <= 2 * min <= n); returns k. m2_right: n doubles of scratch.
 */
size_t stats_best_split(const double *x, size_t n, size_t min,
			double *m2_right /* OUT: scratch */);

#endif
