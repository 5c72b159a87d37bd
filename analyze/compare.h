/*
 * compare: two-sample comparisons of groups that differ only in the factor
 * column (--factor, default platform) against a baseline value of it.
 * Ratio of means with a Fieller confidence interval, Welch's t-test or the
 * Mann-Whitney U test (scipy.stats.mannwhitneyu's default method), Holm's
 * step-down adjustment over all comparisons printed, and the
 * "1.73x faster" wording that honours 'better'.
 *
 * Owns: the comparison array it returns (free with cmp_free). Reads the
 * dataset and summaries, never changes them. Must not print.
 */
#ifndef ANALYZE_COMPARE_H
#define ANALYZE_COMPARE_H

#include <stddef.h>

#include "load.h"
#include "stats.h"

enum cmp_test {
	CMP_TEST_WELCH = 0,	/* default */
	CMP_TEST_MWU
};

struct welch_result {
	double t, df, p;	/* two-sided p */
};

struct mwu_result {
	double u;		/* U statistic of the first sample (scipy's U1) */
	double p;		/* two-sided */
	int is_exact;		/* exact distribution used */
};

/*
 * Ratio of means num/den with Fieller's confidence interval (Fieller 1954;
 * independent samples, Welch-Satterthwaite degrees of freedom). When the
 * denominator's mean is not significantly different from 0 the interval is
 * unbounded: is_bounded = 0 (lo = -inf, hi = +inf). When the denominator's
 * mean is 0 there is no ratio: ratio is NaN, has_ci = 0, and cmp_ratio
 * returns -1.
 */
struct ratio_ci {
	double ratio, lo, hi;
	int has_ci;		/* both samples have n >= 2 */
	int is_bounded;
};

/* Welch's unequal-variance t-test. Returns -1 unless both n >= 2. When
 * both variances are 0 the p-value is 1 for equal means, 0 otherwise. */
int cmp_welch(const struct summary *a, const struct summary *b,
	      struct welch_result *out);

/* Mann-Whitney U, two-sided, as scipy.stats.mannwhitneyu(x, y) with its
 * defaults: exact when min(na, nb) <= 8 and there are no ties, else the
 * normal approximation with tie and continuity corrections. Returns -1
 * unless both n >= 1. */
int cmp_mwu(const double *a, size_t na, const double *b, size_t nb,
	    struct mwu_result *out);

int cmp_ratio(const struct summary *num, const struct summary *den,
	      double level, struct ratio_ci *out);

/* Holm (1979) step-down adjusted p-values of p[0..n-1] into adj. */
void cmp_holm(const double *p, size_t n, double *adj /* OUT */);

struct comparison {
	size_t baseline;	/* index into dataset->groups */
	size_t other;		/* index into dataset->groups */
	struct ratio_ci ratio;	/* mean(other) / mean(baseline) */
	int has_test;		/* p-value computed (enough data) */
	enum cmp_test test;
	double statistic;	/* t or U, of other against baseline:
				 * t > 0 and U > n_o n_b / 2 mean other is
				 * larger; t is +-inf when both samples
				 * are constant with different means */
	double df;		/* Welch df; 0 for MWU */
	double p;		/* raw two-sided p */
	double p_adjusted;	/* Holm over all comparisons with has_test */
	int is_exact;		/* MWU exact distribution */
	int is_significant;	/* p_adjusted < 1 - level */
};

struct cmp_options {
	const char *baseline;	/* factor value; NULL: first seen */
	enum cmp_test test;
	double level;
};

/*
 * Build every comparison: for each group whose factor value is the
 * baseline, each other group with the same key apart from the factor.
 * Returns 0, or STATUS_BADINPUT (err set) if the baseline value does not
 * occur. *out is owned by the caller (cmp_free).
 */
int cmp_build(const struct dataset *ds, const struct summary *sums,
	      const struct cmp_options *opt, struct comparison **out,
	      size_t *n_out, struct diag *err);

void cmp_free(struct comparison *cmps);

/*
 * "1.73x faster", "2.10x slower", "1.20x smaller", "1.05x higher",
 * "0.4% slower" (differences below half a percent) or "no change" into
 * buf, from the ratio and the group's 'better' and unit: time-like units
 * say faster/slower, sizes smaller/larger, rates
 * faster/slower, anything else better/worse (or higher/lower when 'better'
 * is unknown).
 */
void cmp_wording(const struct comparison *c, const struct group *baseline,
		 char *buf, size_t size);

#endif
