/*
 * explain: turns the report into plain-language findings (--explain): a
 * difference within noise, a high CV, too few runs for the CI asked for,
 * a monotone trend over runs (warm-up), runs in two clusters (bimodal), a
 * KVM platform within noise of an emulated one (hardware virtualization
 * probably off), single runs and outliers. Each finding says what was
 * seen, why it matters and what to do. For a reader it also folds many
 * findings that say the same thing into one line (explain_fold).
 *
 * Owns: the finding array it returns (free with explain_free). Reads the
 * report, never changes it. Must not print or exit: lines for a reader go
 * to a callback.
 */
#ifndef ANALYZE_EXPLAIN_H
#define ANALYZE_EXPLAIN_H

#include <stddef.h>

#include "report.h"

/* A CV above this is "high": 5%, the project's rule of thumb for
 * repeated timing runs on an idle machine. The percentage is a
 * macro of its own so sentences can say it without a format argument. */
#define EXPLAIN_HIGH_CV_PCT 5
#define EXPLAIN_HIGH_CV (EXPLAIN_HIGH_CV_PCT / 100.0)

/* A trend is reported when Kendall's p < 0.05 and |tau| >= 0.5. */
#define EXPLAIN_TREND_P 0.05
#define EXPLAIN_TREND_TAU 0.5

/* Single runs of kvm and tcg this close (relative) count as "alike". */
#define EXPLAIN_SINGLE_RUN_CLOSE 0.05

/*
 * Two clusters of runs (explain_bimodal). A sample of at least MIN_N runs
 * is split where the within-cluster sum of squares is least, each side
 * holding at least MIN_SHARE of the runs and MIN_RUNS runs (fewer are
 * outliers, not a mode). It is bimodal when the clusters are
 *  - separated: Ashman's D > D_SPLIT and Sarle's bimodality coefficient
 *    above 5/9, or D > D_ALONE whatever the coefficient;
 *  - far enough apart to matter: cluster means more than EXPLAIN_HIGH_CV
 *    of the overall mean apart (closer, the mean still describes both);
 *  - apart by more than the data's resolution: the gap between them is
 *    over RESOLUTIONS times the smallest step between distinct values
 *    (integer milliseconds one step apart are rounding, not modes).
 * Why these numbers: Ashman, Bird and Zepf (1994, AJ 108:2348) need D > 2
 * for two normal components to separate, but our split is chosen to
 * separate, so a normal sample split at its mean already scores about 2.65
 * (half-normal means +-0.798 sd, sds 0.603 sd). On 2000 simulated samples
 * each of 10, 15, 26, 50 and 100 runs (numpy, through explain_bimodal),
 * these rules flagged at most 5.1% of normal, uniform, gamma, exponential,
 * lognormal (sigma <= 1.5) and Pareto (alpha 1.5) samples, the worst at 15
 * runs, and at most 1.6% from 26 runs on; none of normal samples rounded
 * to whole units. Half-and-half mixtures of N(40, 2) and N(80, 4) were
 * flagged in 87% of samples of 10 runs and 99% to 100% from 15 on. Runs
 * with 10% of them at twice the time were flagged in up to 16% of samples
 * of 15 runs, where 3 slow runs of 15 are a second mode indeed.
 * The coefficient alone flags many skewed unimodal samples (Pfister et al.
 * 2013, Front. Psychol. 4:700), and its small-sample correction holds even
 * two exactly separated halves of 10 runs to 0.566, barely above 5/9:
 * hence D_ALONE.
 */
#define EXPLAIN_BIMODAL_MIN_N 10
#define EXPLAIN_BIMODAL_MIN_SHARE 0.2
#define EXPLAIN_BIMODAL_MIN_RUNS 3
#define EXPLAIN_BIMODAL_BC (5.0 / 9.0)
#define EXPLAIN_BIMODAL_D_SPLIT 5.0
#define EXPLAIN_BIMODAL_D_ALONE 8.0
#define EXPLAIN_BIMODAL_RESOLUTIONS 2.0

/* Findings of one kind are folded into one line for a reader when more
 * groups than these share them: single runs say the same about every
 * group; CVs and outlier counts differ, so they need more to be worth a
 * list. Other kinds stay one line per group (their numbers differ). */
#define EXPLAIN_FOLD_SINGLE_RUN 3
#define EXPLAIN_FOLD_LISTED 3	/* single runs named before "and N more" */
#define EXPLAIN_FOLD_NUMBERED 5

struct explain_bimodal {
	double bc;		/* Sarle's bimodality coefficient */
	double d;		/* Ashman's D of the two clusters */
	size_t n_low, n_high;	/* runs in the lower and upper cluster */
	double mean_low, mean_high;
	double gap;		/* between the clusters' nearest runs */
	double resolution;	/* smallest step between distinct values */
};

/*
 * Whether x[0..n-1] (any order, unchanged) form two clusters by the rules
 * above: 1 if so, else 0. *out is filled whenever n >= MIN_N and the
 * values are not all equal, so callers can see why a sample was not
 * flagged; otherwise it is left alone.
 */
int explain_bimodal(const double *x, size_t n, struct explain_bimodal *out);

struct explain_options {
	double target_ci;	/* wanted CI half-width / |mean|, e.g. 0.05 */
};

/*
 * Findings for r in a stable order: the KVM-like-TCG checks first (the
 * most consequential), then each group's in group order, then each
 * comparison within noise. *out is owned by the caller (explain_free);
 * it is NULL when there are none.
 */
void explain_build(const struct report *r, const struct explain_options *opt,
		   struct finding **out, size_t *n_out);

void explain_free(struct finding *findings);

/* Receives one line for a reader, without a newline. */
typedef void (*explain_line_fn)(void *ctx, const char *line);

/*
 * r's findings as lines for a reader, in order, to emit(ctx, line): when
 * more groups than the EXPLAIN_FOLD_ limits share a foldable kind (single
 * run, high CV, outliers), one line takes the place of the first of them
 * and names the groups, saying what they have in common once (e.g. "16
 * groups of unikraft / imagesize / bytes have a single run (app=hello,
 * app=nginx, app=redis and 13 more): ..."); the rest are left out. JSON
 * keeps one finding per group and does not call this.
 */
void explain_fold(const struct report *r, explain_line_fn emit, void *ctx);

#endif
