/*
 * Plain-language findings. The thresholds are in explain.h; every sentence
 * names the group, what was seen (with the number behind it), why it
 * matters and what to do, in hyperfine's warning style.
 */
#include "explain.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"

#define NONE ((size_t)-1)

struct finding_list {
	struct finding *items;
	size_t n, cap;
};

static void add(struct finding_list *l, enum finding_kind kind, size_t group,
		size_t cmp, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static void add(struct finding_list *l, enum finding_kind kind, size_t group,
		size_t cmp, const char *fmt, ...)
{
	struct finding *f;
	va_list ap;

	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 8;
		l->items = xreallocarray(l->items, l->cap, sizeof(*l->items));
	}
	f = &l->items[l->n++];
	f->kind = kind;
	f->group = group;
	f->comparison = cmp;
	va_start(ap, fmt);
	vsnprintf(f->text, sizeof(f->text), fmt, ap);
	va_end(ap);
}

static const char *test_name(enum cmp_test t)
{
	return t == CMP_TEST_MWU ? "Mann-Whitney" : "Welch";
}

/* Platform names as the seeds and the campaign launcher write them. */
static int is_kvm(const char *platform)
{
	return strstr(platform, "kvm") != NULL;
}

static int is_emulated(const char *platform)
{
	return strstr(platform, "tcg") != NULL || strcmp(platform, "qemu") == 0;
}

/* Same key in every column but skip. */
static int same_key_but(const struct dataset *ds, const struct group *a,
			const struct group *b, size_t skip)
{
	size_t k;

	for (k = 0; k < ds->n_key_cols; k++)
		if (k != skip && strcmp(a->key[k], b->key[k]) != 0)
			return 0;
	return 1;
}

/*
 * Whether kvm (a) and emulated (b) results are alike: not different by
 * Welch's test at the report's level when both have runs to spare, else
 * single runs within EXPLAIN_SINGLE_RUN_CLOSE of each other. Writes how
 * close ("within noise", "within 5%") and the evidence.
 */
static int alike(const struct report *r, size_t a, size_t b, char *how,
		 size_t how_size, char *why, size_t why_size)
{
	const struct summary *sa = &r->sums[a], *sb = &r->sums[b];
	struct welch_result w;

	if (sa->n >= 2 && sb->n >= 2) {
		if (cmp_welch(sa, sb, &w) != 0 || w.p < 1 - r->level)
			return 0;
		snprintf(how, how_size, "within noise");
		snprintf(why, why_size, "means %.6g and %.6g, Welch p=%.2g",
			 sa->mean, sb->mean, w.p);
		return 1;
	}
	if (sb->mean == 0 ||
	    fabs(sa->mean / sb->mean - 1) > EXPLAIN_SINGLE_RUN_CLOSE)
		return 0;
	snprintf(how, how_size, "within %.0f%%",
		 100 * EXPLAIN_SINGLE_RUN_CLOSE);
	snprintf(why, why_size, "%.6g and %.6g; too few runs to see the "
		 "noise", sa->mean, sb->mean);
	return 1;
}

static void kvm_like_tcg(const struct report *r, struct finding_list *l)
{
	const struct dataset *ds = r->ds;
	int pi = load_key_index(ds, "platform");
	size_t a, b;
	char label[256], how[32], why[160];

	if (pi < 0)
		return;
	for (a = 0; a < ds->n_groups; a++) {
		const struct group *ga = &ds->groups[a];

		if (!is_kvm(ga->key[pi]))
			continue;
		for (b = 0; b < ds->n_groups; b++) {
			const struct group *gb = &ds->groups[b];

			if (!is_emulated(gb->key[pi]) ||
			    !same_key_but(ds, ga, gb, (size_t)pi) ||
			    !alike(r, a, b, how, sizeof(how), why,
				   sizeof(why)))
				continue;
			fmt_group_label(ds, ga, (size_t)pi, label,
					sizeof(label));
			add(l, FINDING_KVM_LIKE_TCG, a, NONE,
			    "%s is %s of %s for %s (%s): hardware "
			    "virtualization was probably not active; check "
			    "that /dev/kvm exists and QEMU ran with -accel "
			    "kvm", ga->key[pi], how, gb->key[pi], label, why);
		}
	}
}

static void too_few_runs(const struct report *r, size_t i,
			 const struct explain_options *opt, const char *label,
			 struct finding_list *l)
{
	const struct summary *s = &r->sums[i];
	double rel;
	size_t need;

	if (!s->has_ci || s->mean == 0)
		return;
	rel = (s->ci_hi - s->ci_lo) / 2 / fabs(s->mean);
	if (rel <= opt->target_ci)
		return;
	need = stats_runs_needed(s, opt->target_ci);
	if (need <= s->n)
		return;
	add(l, FINDING_TOO_FEW_RUNS, i, NONE,
	    "%s: needs about %zu runs for a \xc2\xb1%.3g%% CI; has %zu "
	    "(now \xc2\xb1%.3g%%)", label, need, 100 * opt->target_ci, s->n,
	    100 * rel);
}

static void trend(const struct report *r, size_t i, const char *label,
		  struct finding_list *l)
{
	const struct group *g = &r->ds->groups[i];
	double tau, p, lo, hi;
	size_t k;

	if (stats_trend(g->runs, g->values, g->n, &tau, &p) != 0 ||
	    !(p < EXPLAIN_TREND_P) || fabs(tau) < EXPLAIN_TREND_TAU)
		return;
	lo = hi = g->runs[0];
	for (k = 1; k < g->n; k++) {
		lo = fmin(lo, g->runs[k]);
		hi = fmax(hi, g->runs[k]);
	}
	add(l, FINDING_TREND, i, NONE,
	    "%s: values drift %s over runs %.15g..%.15g (Kendall tau %.2f, "
	    "p=%.2g): a warm-up effect? use --warmup or drop the first runs",
	    label, tau > 0 ? "upward" : "downward", lo, hi, tau, p);
}

static void group_findings(const struct report *r, size_t i,
			   const struct explain_options *opt,
			   struct finding_list *l)
{
	const struct summary *s = &r->sums[i];
	char label[256];

	fmt_group_label(r->ds, &r->ds->groups[i], NONE, label, sizeof(label));
	if (s->n == 1) {
		add(l, FINDING_SINGLE_RUN, i, NONE,
		    "%s: a single run, so no confidence interval and no test "
		    "are possible: repeat it to measure the noise", label);
		return;
	}
	if (s->cv > EXPLAIN_HIGH_CV)
		add(l, FINDING_HIGH_CV, i, NONE,
		    "%s: CV %.3g%% is high (above %.0f%%): the runs are "
		    "noisy; look for background load, frequency scaling or "
		    "runs too short to time", label, 100 * s->cv,
		    100 * EXPLAIN_HIGH_CV);
	too_few_runs(r, i, opt, label, l);
	trend(r, i, label, l);
	if (s->n_outliers)
		add(l, FINDING_OUTLIERS, i, NONE,
		    "%s: %zu outlier%s by the median/MAD rule "
		    "(|x - median| > 3.5 * 1.4826 * MAD): check those runs, "
		    "or rerun with --drop-outliers", label, s->n_outliers,
		    s->n_outliers == 1 ? "" : "s");
}

static void within_noise(const struct report *r, size_t c,
			 struct finding_list *l)
{
	const struct comparison *cmp = &r->cmps[c];
	const struct dataset *ds = r->ds;
	char label[256], holm[48] = "";

	if (!cmp->has_test || cmp->is_significant)
		return;
	fmt_group_label(ds, &ds->groups[cmp->other], NONE, label,
			sizeof(label));
	if (r->n_cmps > 1)
		snprintf(holm, sizeof(holm), ", Holm-adjusted %.2g",
			 cmp->p_adjusted);
	add(l, FINDING_WITHIN_NOISE, cmp->other, c,
	    "%s vs %s: ratio %.4g is within noise (%s p=%.2g%s): no "
	    "difference proven at %.15g%% confidence",
	    label, load_factor(ds, &ds->groups[cmp->baseline]),
	    cmp->ratio.ratio, test_name(cmp->test), cmp->p, holm,
	    100 * r->level);
}

void explain_build(const struct report *r, const struct explain_options *opt,
		   struct finding **out, size_t *n_out)
{
	struct finding_list l = { NULL, 0, 0 };
	size_t i;

	kvm_like_tcg(r, &l);
	for (i = 0; i < r->ds->n_groups; i++)
		group_findings(r, i, opt, &l);
	for (i = 0; i < r->n_cmps; i++)
		within_noise(r, i, &l);
	*out = l.items;
	*n_out = l.n;
}

void explain_free(struct finding *findings)
{
	free(findings);
}
