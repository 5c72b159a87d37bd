/*
 * explain: turns the report into plain-language findings (--explain): a
 * difference within noise, a high CV, too few runs for the CI asked for,
 * a monotone trend over runs (warm-up), a KVM platform within noise of an
 * emulated one (hardware virtualization probably off), single runs and
 * outliers. Each finding says what was seen, why it matters and what to do.
 *
 * Owns: the finding array it returns (free with explain_free). Reads the
 * report, never changes it. Must not print or exit.
 */
#ifndef ANALYZE_EXPLAIN_H
#define ANALYZE_EXPLAIN_H

#include <stddef.h>

#include "report.h"

/* A CV above this is "high": 5%, the project's rule of thumb for
 * repeated timing runs on an idle machine (issue 3). */
#define EXPLAIN_HIGH_CV 0.05

/* A trend is reported when Kendall's p < 0.05 and |tau| >= 0.5. */
#define EXPLAIN_TREND_P 0.05
#define EXPLAIN_TREND_TAU 0.5

/* Single runs of kvm and tcg this close (relative) count as "alike". */
#define EXPLAIN_SINGLE_RUN_CLOSE 0.05

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

#endif
