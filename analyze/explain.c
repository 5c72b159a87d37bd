/*
 * Plain-language findings. The thresholds are in explain.h; every sentence
 * names the group, what was seen (with the number behind it), why it
 * matters and what to do, in hyperfine's warning style.
 *
 * GSL is used here only for skewness and kurtosis (the bimodality
 * coefficient); everything else comes from stats and compare.
 */
#include "explain.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "strbuf.h"
#include "xalloc.h"

#define NONE ((size_t)-1)

/* "5" from EXPLAIN_HIGH_CV_PCT, for sentences put together at compile
 * time. */
#define STR_(x) #x
#define STR(x) STR_(x)

/* Advice shared by a group's finding and the folded line of many. */
#define CV_ADVICE "the runs are noisy; look for background load, " \
	"frequency scaling or runs too short to time"
#define MAD_RULE "the median/MAD rule (|x - median| > 3.5 * 1.4826 * MAD)"
#define OUTLIER_ADVICE "check those runs, or rerun with --drop-outliers"

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

	ARRAY_GROW(l->items, l->n + 1, l->cap);
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
	    "(now \xc2\xb1%.3g%%): run about %zu more", label, need,
	    100 * opt->target_ci, s->n, 100 * rel, need - s->n);
}

static void trend(const struct report *r, size_t i, const char *label,
		  struct finding_list *l)
{
	const struct group *g = &r->ds->groups[i];
	double tau, p, lo, hi, *spelled = NULL;
	const double *runs = g->runs;
	size_t k;

	if (!runs) {	/* implicit (struct group): written out for the test */
		spelled = xreallocarray(NULL, g->n, sizeof(*spelled));
		for (k = 0; k < g->n; k++)
			spelled[k] = load_group_run(g, k);
		runs = spelled;
	}
	if (stats_trend(runs, g->values, g->n, &tau, &p) == 0 &&
	    p < EXPLAIN_TREND_P && fabs(tau) >= EXPLAIN_TREND_TAU) {
		lo = hi = runs[0];
		for (k = 1; k < g->n; k++) {
			lo = fmin(lo, runs[k]);
			hi = fmax(hi, runs[k]);
		}
		add(l, FINDING_TREND, i, NONE,
		    "%s: values drift %s over runs %.15g..%.15g (Kendall tau "
		    "%.2f, p=%.2g): a warm-up effect? use --warmup or drop the "
		    "first runs", label, tau > 0 ? "upward" : "downward", lo, hi,
		    tau, p);
	}
	free(spelled);
}

/* ---- two clusters ---------------------------------------------------- */

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The clusters on either side of k in sorted x, and the smallest step
 * between distinct values. */
static void describe_split(const double *x, size_t n, size_t k,
			   struct explain_bimodal *out)
{
	double sd_low, sd_high, spread;
	size_t i;

	out->n_low = k;
	out->n_high = n - k;
	out->mean_low = stats_mean(x, k);
	out->mean_high = stats_mean(x + k, n - k);
	sd_low = stats_sd(x, k, out->mean_low);
	sd_high = stats_sd(x + k, n - k, out->mean_high);
	spread = sqrt(sd_low * sd_low + sd_high * sd_high);
	out->d = spread > 0 ? sqrt(2.0) * (out->mean_high - out->mean_low) /
		 spread : INFINITY;
	out->gap = x[k] - x[k - 1];
	out->resolution = INFINITY;
	for (i = 1; i < n; i++)
		if (x[i] > x[i - 1])
			out->resolution = fmin(out->resolution, x[i] - x[i - 1]);
}

int explain_bimodal(const double *x, size_t n, struct explain_bimodal *out)
{
	double *sorted, mean;
	size_t min;
	int is_separated;

	if (n < EXPLAIN_BIMODAL_MIN_N)
		return 0;
	min = (size_t)ceil(EXPLAIN_BIMODAL_MIN_SHARE * (double)n);
	if (min < EXPLAIN_BIMODAL_MIN_RUNS)
		min = EXPLAIN_BIMODAL_MIN_RUNS;
	sorted = xreallocarray(NULL, n, 2 * sizeof(*sorted));
	memcpy(sorted, x, n * sizeof(*x));
	qsort(sorted, n, sizeof(*sorted), cmp_double);
	if (sorted[0] == sorted[n - 1]) {
		free(sorted);
		return 0;
	}
	mean = stats_mean(sorted, n);
	out->bc = stats_bimodality_coefficient(sorted, n);
	describe_split(sorted, n, stats_best_split(sorted, n, min, sorted + n),
		       out);
	free(sorted);
	is_separated = out->d > EXPLAIN_BIMODAL_D_ALONE ||
		       (out->d > EXPLAIN_BIMODAL_D_SPLIT &&
			out->bc > EXPLAIN_BIMODAL_BC);
	return is_separated &&
	       out->mean_high - out->mean_low > EXPLAIN_HIGH_CV * fabs(mean) &&
	       out->gap > EXPLAIN_BIMODAL_RESOLUTIONS * out->resolution;
}

/* Returns whether group i's runs form two clusters. */
static int bimodal(const struct report *r, size_t i, const char *label,
		   struct finding_list *l)
{
	const struct group *g = &r->ds->groups[i];
	struct explain_bimodal b;

	if (!explain_bimodal(g->values, g->n, &b))
		return 0;
	add(l, FINDING_BIMODAL, i, NONE,
	    "%s: the runs form two clusters (%zu near %.4g, %zu near %.4g; "
	    "Ashman's D %.3g): a mean of %.4g describes neither; look for a "
	    "second mode (frequency scaling, NUMA placement, cache state) "
	    "before comparing", label, b.n_low, b.mean_low, b.n_high,
	    b.mean_high, b.d, r->sums[i].mean);
	return 1;
}

/* With two clusters the MAD rule measures from a centre that fits
 * neither, so it may flag a whole mode: dropping those runs would hide
 * the finding above, not clean the sample. */
static void outliers(const struct report *r, size_t i, const char *label,
		     int is_bimodal, struct finding_list *l)
{
	size_t n = r->sums[i].n_outliers;

	if (n == 0)
		return;
	if (is_bimodal)
		add(l, FINDING_OUTLIERS, i, NONE,
		    "%s: %zu outlier%s by " MAD_RULE ", but the runs form "
		    "two clusters, which a single centre does not fit: look "
		    "at the clusters before dropping any (--drop-outliers "
		    "could remove a mode)", label, n, n == 1 ? "" : "s");
	else
		add(l, FINDING_OUTLIERS, i, NONE,
		    "%s: %zu outlier%s by " MAD_RULE ": " OUTLIER_ADVICE,
		    label, n, n == 1 ? "" : "s");
}

static void group_findings(const struct report *r, size_t i,
			   const struct explain_options *opt,
			   struct finding_list *l)
{
	const struct summary *s = &r->sums[i];
	char label[256];
	int is_bimodal;

	fmt_group_label(r->ds, &r->ds->groups[i], NONE, label, sizeof(label));
	if (s->n == 1) {
		add(l, FINDING_SINGLE_RUN, i, NONE,
		    "%s: a single run, so no confidence interval and no test "
		    "are possible: repeat it to measure the noise", label);
		return;
	}
	if (s->cv > EXPLAIN_HIGH_CV)
		add(l, FINDING_HIGH_CV, i, NONE,
		    "%s: CV %.3g%% is high (above " STR(EXPLAIN_HIGH_CV_PCT)
		    "%%): " CV_ADVICE, label, 100 * s->cv);
	is_bimodal = bimodal(r, i, label, l);
	too_few_runs(r, i, opt, label, l);
	trend(r, i, label, l);
	outliers(r, i, label, is_bimodal, l);
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

/* ---- folding for a reader --------------------------------------------- */

/* Writes one group's entry in a folded list, its label given. */
typedef void (*fold_item_fn)(struct strbuf *sb, const struct report *r,
			     size_t group, const char *label);

/* Whether finding f of the rule's kind says something else than the
 * rule's advice, so it keeps a line of its own. */
typedef int (*fold_apart_fn)(const struct report *r,
			     const struct finding *f);

struct fold_rule {
	enum finding_kind kind;
	size_t max_groups;	/* fold when more groups than this */
	size_t max_listed;	/* name at most this many */
	const char *what;	/* "have a single run" */
	const char *advice;	/* after the list */
	fold_item_fn item;	/* NULL: the label alone */
	fold_apart_fn is_apart;	/* NULL: none is */
};

static void cv_item(struct strbuf *sb, const struct report *r, size_t group,
		    const char *label)
{
	strbuf_addf(sb, "%s %.3g%%", label, 100 * r->sums[group].cv);
}

static void outlier_item(struct strbuf *sb, const struct report *r,
			 size_t group, const char *label)
{
	strbuf_addf(sb, "%zu in %s", r->sums[group].n_outliers, label);
}

/* Outliers of a group with two clusters get other advice (outliers()).
 * group_findings() writes a group's findings together, the two-cluster
 * one before the outliers, so looking back through them is enough. */
static int is_bimodal_group(const struct report *r, const struct finding *f)
{
	const struct finding *p;

	for (p = f; p > r->findings && p[-1].group == f->group; p--)
		if (p[-1].kind == FINDING_BIMODAL)
			return 1;
	return 0;
}

static const struct fold_rule fold_rules[] = {
	{ FINDING_SINGLE_RUN, EXPLAIN_FOLD_SINGLE_RUN, EXPLAIN_FOLD_LISTED,
	  "have a single run", "no confidence interval and no test are "
	  "possible; repeat them to measure the noise", NULL, NULL },
	{ FINDING_HIGH_CV, EXPLAIN_FOLD_NUMBERED, SIZE_MAX,
	  "have a CV above " STR(EXPLAIN_HIGH_CV_PCT) "%", CV_ADVICE,
	  cv_item, NULL },
	{ FINDING_OUTLIERS, EXPLAIN_FOLD_NUMBERED, SIZE_MAX,
	  "have outliers by the median/MAD rule", OUTLIER_ADVICE,
	  outlier_item, is_bimodal_group },
};

#define N_FOLD_RULES (sizeof(fold_rules) / sizeof(fold_rules[0]))

/* g's non-empty key values joined by " / " as fmt_group_label does,
 * only those of columns where is_common[k] == want. */
static void sb_keys(struct strbuf *sb, const struct dataset *ds,
		    const struct group *g, const unsigned char *is_common,
		    int want)
{
	size_t k, start = sb->len;

	strbuf_addf(sb, "%s", "");	/* terminated even if nothing follows */
	for (k = 0; k < ds->n_key_cols; k++)
		if (is_common[k] == want && g->key[k][0])
			strbuf_addf(sb, "%s%s", sb->len > start ? " / " : "",
				    g->key[k]);
}

/* The rule that may fold f, or NULL when f keeps its own line. */
static const struct fold_rule *rule_of(const struct report *r,
				       const struct finding *f)
{
	const struct fold_rule *rule;

	for (rule = fold_rules; rule < fold_rules + N_FOLD_RULES; rule++)
		if (rule->kind == f->kind)
			return rule->is_apart && rule->is_apart(r, f) ?
			       NULL : rule;
	return NULL;
}

/* The groups of the findings rule folds, in order; *n_out of them. The
 * caller frees the array. */
static size_t *groups_of(const struct report *r, const struct fold_rule *rule,
			 size_t *n_out)
{
	size_t *g = xreallocarray(NULL, r->n_findings, sizeof(*g));
	size_t i, n = 0;

	for (i = 0; i < r->n_findings; i++)
		if (rule_of(r, &r->findings[i]) == rule)
			g[n++] = r->findings[i].group;
	*n_out = n;
	return g;
}

/* Which key columns every one of groups g[0..n-1] shares a value in:
 * said once ("16 groups of unikraft / imagesize") instead of per group. */
static unsigned char *common_columns(const struct dataset *ds,
				     const size_t *g, size_t n)
{
	unsigned char *is_common = xcalloc(ds->n_key_cols, 1);
	size_t k, j;

	for (k = 0; k < ds->n_key_cols; k++) {
		is_common[k] = 1;
		for (j = 1; j < n && is_common[k]; j++)
			is_common[k] = strcmp(ds->groups[g[0]].key[k],
					      ds->groups[g[j]].key[k]) == 0;
	}
	return is_common;
}

/* The one line for all findings of rule->kind, into sb (emptied). */
static void fold_line(const struct report *r, const struct fold_rule *rule,
		      struct strbuf *sb)
{
	const struct dataset *ds = r->ds;
	struct strbuf label = { NULL, 0, 0 };
	size_t n, j, listed, *g = groups_of(r, rule, &n);
	unsigned char *is_common = common_columns(ds, g, n);

	/* "and 1 more" would take the room of the name it hides */
	listed = n - 1 > rule->max_listed ? rule->max_listed : n;

	sb->len = 0;
	strbuf_addf(sb, "%zu groups", n);
	sb_keys(&label, ds, &ds->groups[g[0]], is_common, 1);
	if (label.len)
		strbuf_addf(sb, " of %s", label.buf);
	strbuf_addf(sb, " %s (", rule->what);
	for (j = 0; j < listed; j++) {
		label.len = 0;
		sb_keys(&label, ds, &ds->groups[g[j]], is_common, 0);
		strbuf_addf(sb, "%s", j ? ", " : "");
		if (rule->item)
			rule->item(sb, r, g[j], label.buf);
		else
			strbuf_addf(sb, "%s", label.buf);
	}
	if (listed < n)
		strbuf_addf(sb, " and %zu more", n - listed);
	strbuf_addf(sb, "): %s", rule->advice);
	strbuf_release(&label);
	free(is_common);
	free(g);
}

void explain_fold(const struct report *r, explain_line_fn emit, void *ctx)
{
	struct strbuf sb = { NULL, 0, 0 };
	size_t count[N_FOLD_RULES] = { 0 }, i, k;
	unsigned char is_done[N_FOLD_RULES] = { 0 };

	for (i = 0; i < r->n_findings; i++) {
		const struct fold_rule *rule = rule_of(r, &r->findings[i]);

		if (rule)
			count[rule - fold_rules]++;
	}
	/* the folded line takes the place of its kind's first finding */
	for (i = 0; i < r->n_findings; i++) {
		const struct fold_rule *rule = rule_of(r, &r->findings[i]);

		k = rule ? (size_t)(rule - fold_rules) : 0;
		if (!rule || count[k] <= rule->max_groups) {
			emit(ctx, r->findings[i].text);
		} else if (!is_done[k]) {
			is_done[k] = 1;
			fold_line(r, rule, &sb);
			emit(ctx, sb.buf);
		}
	}
	strbuf_release(&sb);
}

void explain_free(struct finding *findings)
{
	free(findings);
}
