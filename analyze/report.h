/*
 * report: what analyze has computed, handed to format and plot. A plain
 * aggregate with no behaviour of its own; main() fills and owns it.
 */
#ifndef ANALYZE_REPORT_H
#define ANALYZE_REPORT_H

#include <stddef.h>

#include "compare.h"
#include "load.h"
#include "stats.h"

enum finding_kind {
	FINDING_WITHIN_NOISE,	/* comparison not significant */
	FINDING_HIGH_CV,	/* CV > 5% */
	FINDING_TOO_FEW_RUNS,	/* CI wider than --target-ci */
	FINDING_TREND,		/* monotone trend over run (warm-up) */
	FINDING_KVM_LIKE_TCG,	/* kvm platform within noise of a tcg one */
	FINDING_OUTLIERS,	/* outliers flagged by the MAD rule */
	FINDING_SINGLE_RUN,	/* n = 1: no CI possible */
	FINDING_BIMODAL		/* the runs form two clusters */
};

struct finding {
	enum finding_kind kind;
	size_t group;		/* index into dataset->groups, or (size_t)-1 */
	size_t comparison;	/* index into report->cmps, or (size_t)-1 */
	char text[512];		/* one plain-language sentence or two */
};

struct report {
	const struct dataset *ds;
	const struct summary *sums;	/* one per ds->groups[i] */
	const struct comparison *cmps;
	size_t n_cmps;
	const struct finding *findings;	/* only with --explain */
	size_t n_findings;
	double level;
	enum cmp_test test;
	size_t n_outliers_dropped;	/* with --drop-outliers */
	int is_outliers_dropped;
};

#endif
