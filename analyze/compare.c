/*
 * compare: two-sample comparisons against a baseline (see compare.h).
 *
 * Conventions shared by every function here: "other" is compared with
 * "baseline", the ratio is mean(other) / mean(baseline), Welch's t is
 * mean(other) - mean(baseline) over its standard error, and the
 * Mann-Whitney U is U1 of the other sample, as
 * scipy.stats.ttest_ind(other, baseline, equal_var=False) and
 * scipy.stats.mannwhitneyu(other, baseline) report them.
 * gsl_set_error_handler_off() is in effect: every GSL result is checked
 * with isfinite() before use.
 */
#include "compare.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include "xalloc.h"

/*
 * The exact Mann-Whitney distribution needs one double per value of U up
 * to min(U, n1 n2 - U). Past 2^24 of them (128 MiB; one sample of at most
 * 8 against more than 4 million values) the normal approximation is used
 * instead and is_exact says so; it is accurate to many digits there.
 */
#define MWU_EXACT_MAX_TERMS ((size_t)1 << 24)

/* scipy.stats.mannwhitneyu's method='auto' uses the exact distribution
 * when the smaller sample has at most 8 values and there are no ties. */
#define MWU_EXACT_MAX_N 8

/* ---- Welch's t-test --------------------------------------------------- */

/* Squared standard error of a summary's mean, s^2 / n. */
static double var_of_mean(const struct summary *s)
{
	return s->sd * s->sd / (double)s->n;
}

/*
 * Welch-Satterthwaite degrees of freedom of a sum of two independent
 * variance estimates wa (from na values) and wb (from nb values):
 * (wa + wb)^2 / (wa^2 / (na - 1) + wb^2 / (nb - 1)). Both the t-test and
 * the pivot of Fieller's interval use it. Satterthwaite (1946),
 * Biometrics Bulletin 2, 110-114.
 * The ratio does not change when both are scaled: variances far from 1,
 * whose squares would overflow (above about 1e154, inf / inf, and the
 * t-test was lost: tests/fuzz, 2026-11-25, bug-fuzz-welch-df-overflow)
 * or underflow, are divided by the larger first. Only those: scaling
 * moves the last bit of everyday results.
 */
#define DF_SCALE_ABOVE 1e100
#define DF_SCALE_BELOW 1e-100

static double satterthwaite_df(double wa, size_t na, double wb, size_t nb)
{
	double m = fmax(wa, wb);

	if (isfinite(m) && (m > DF_SCALE_ABOVE ||
			    (m > 0.0 && m < DF_SCALE_BELOW))) {
		wa /= m;
		wb /= m;
	}
	return (wa + wb) * (wa + wb) / (wa * wa / (double)(na - 1) +
					wb * wb / (double)(nb - 1));
}

/*
 * Welch (1947), Biometrika 34, 28-35: t = (m_a - m_b) / sqrt(v_a + v_b)
 * with v = s^2 / n, and the Welch-Satterthwaite degrees of freedom
 * (v_a + v_b)^2 / (v_a^2 / (n_a - 1) + v_b^2 / (n_b - 1)); two-sided
 * p = 2 Q_t(|t|), as R's t.test and scipy's ttest_ind(equal_var=False).
 */
int cmp_welch(const struct summary *a, const struct summary *b,
	      struct welch_result *out)
{
	double va, vb, se2;

	memset(out, 0, sizeof(*out));
	if (a->n < 2 || b->n < 2)
		return -1;
	va = var_of_mean(a);
	vb = var_of_mean(b);
	se2 = va + vb;
	if (se2 == 0.0) {
		/* Both samples constant: no noise to weigh the difference
		 * against. Equal means cannot differ, different ones
		 * certainly do; t is then +-infinity, as in scipy, and df
		 * the pooled n_a + n_b - 2 (Welch's is 0/0). */
		out->df = (double)(a->n + b->n - 2);
		out->t = a->mean == b->mean ? 0.0 :
			 copysign(INFINITY, a->mean - b->mean);
		out->p = a->mean == b->mean ? 1.0 : 0.0;
		return 0;
	}
	out->t = (a->mean - b->mean) / sqrt(se2);
	out->df = satterthwaite_df(va, a->n, vb, b->n);
	out->p = 2.0 * gsl_cdf_tdist_Q(fabs(out->t), out->df);
	if (!isfinite(out->p))
		return -1;
	out->p = fmin(1.0, out->p);
	return 0;
}

/* ---- Mann-Whitney U ----------------------------------------------------- */

struct tagged {
	double v;
	int is_a;
};

static int tagged_cmp(const void *pa, const void *pb)
{
	const struct tagged *a = pa, *b = pb;

	return a->v < b->v ? -1 : a->v > b->v;
}

/* Rank sum of sample a in the pooled sample (mid-ranks for ties) and
 * the tie term sum(t^3 - t) over the groups of tied values. */
static void rank_sum(const double *a, size_t na, const double *b, size_t nb,
		     double *r1, double *tie_term)
{
	size_t n = na + nb, i, j, k;
	struct tagged *all = xreallocarray(NULL, n, sizeof(*all));
	double t, mid;

	for (i = 0; i < na; i++)
		all[i] = (struct tagged){ a[i], 1 };
	for (i = 0; i < nb; i++)
		all[na + i] = (struct tagged){ b[i], 0 };
	qsort(all, n, sizeof(*all), tagged_cmp);
	*r1 = 0.0;
	*tie_term = 0.0;
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && all[j].v == all[i].v; j++)
			;
		t = (double)(j - i);
		mid = ((double)i + 1.0 + (double)j) / 2.0;	/* 1-based */
		for (k = i; k < j; k++)
			if (all[k].is_a)
				*r1 += mid;
		*tie_term += t * t * t - t;
	}
	free(all);
}

/*
 * P(U <= k) for samples of m <= n values without ties. The number of
 * arrangements with U = u is the coefficient of q^u in the Gaussian
 * binomial [m + n choose m]_q = prod_{i=1..m} (1 - q^(n+i)) / (1 - q^i)
 * (Mann and Whitney 1947, Ann. Math. Stat. 18, 50-60; Andrews, "The
 * Theory of Partitions", 1976, ch. 3: partitions in an m x n box).
 * Built one factor at a time up to degree k only: dividing by
 * (1 - q^i) is a running sum with stride i, multiplying by
 * (1 - q^(n+i)) a subtraction. Coefficients below n + 1
 * are never subtracted from, so the lower tail, the part a p-value
 * needs, stays exact even when the counts exceed 2^53.
 */
static double mwu_exact_cdf(size_t k, size_t m, size_t n)
{
	double *c = xcalloc(k + 1, sizeof(*c));
	double total = 1.0, sum = 0.0;
	size_t i, j;

	c[0] = 1.0;
	for (i = 1; i <= m; i++) {
		for (j = i; j <= k; j++)
			c[j] += c[j - i];
		for (j = k; j >= n + i; j--)	/* stops at n + i - 1 >= 0 */
			c[j] -= c[j - n - i];
		/* C(n + i, i) = C(n + i - 1, i - 1) (n + i) / i */
		total = total * (double)(n + i) / (double)i;
	}
	for (j = 0; j <= k; j++)
		sum += c[j];
	free(c);
	return sum / total;
}

/*
 * Normal approximation of scipy's _get_mwu_z (scipy 1.10
 * stats/_mannwhitneyu.py): z = (U - n1 n2 / 2 - 1/2) / s,
 * s^2 = n1 n2 / 12 ((n + 1) - sum(t^3 - t) / (n (n - 1))), the
 * continuity-corrected upper tail of U = max(U1, U2), doubled. All values
 * tied (s = 0) means no evidence either way: p = 1.
 */
static double mwu_asymptotic_p(double u, double na, double nb,
			       double tie_term)
{
	double n = na + nb, s2, z;

	s2 = na * nb / 12.0 * ((n + 1.0) - tie_term / (n * (n - 1.0)));
	if (!(s2 > 0.0))
		return 1.0;
	z = (u - na * nb / 2.0 - 0.5) / sqrt(s2);
	return 2.0 * gsl_cdf_ugaussian_Q(z);
}

int cmp_mwu(const double *a, size_t na, const double *b, size_t nb,
	    struct mwu_result *out)
{
	double r1, tie_term, u1, u, p, prod;
	size_t small, large, k;

	memset(out, 0, sizeof(*out));
	if (na < 1 || nb < 1)
		return -1;
	rank_sum(a, na, b, nb, &r1, &tie_term);
	prod = (double)na * (double)nb;
	u1 = r1 - (double)na * ((double)na + 1.0) / 2.0;
	u = fmax(u1, prod - u1);
	out->u = u1;
	small = na < nb ? na : nb;
	large = na < nb ? nb : na;
	/* u >= prod / 2, so k = prod - u is the short lower tail. */
	k = (size_t)llround(prod - u);
	if (small <= MWU_EXACT_MAX_N && tie_term == 0.0 &&
	    k < MWU_EXACT_MAX_TERMS) {
		/* scipy: p = 2 sf(U) = 2 P(U' >= U) = 2 cdf(n1 n2 - U) */
		p = 2.0 * mwu_exact_cdf(k, small, large);
		out->is_exact = 1;
	} else {
		p = mwu_asymptotic_p(u, (double)na, (double)nb, tie_term);
	}
	if (!isfinite(p))
		return -1;
	out->p = fmin(1.0, fmax(0.0, p));
	return 0;
}

/* ---- ratio of means: Fieller's interval ------------------------------- */

/*
 * Fieller (1954), "Some problems in interval estimation", JRSS B 16,
 * 175-185; the form below is that of Franz (2007), "Ratios: a short
 * guide to confidence limits and proper use", arXiv:0710.2024, with the
 * covariance 0 of independent samples. With a = mean(num), b = mean(den),
 * R = a / b, v_a = s_a^2 / n_a, v_b = s_b^2 / n_b and
 * g = t^2 v_b / b^2, the limits are
 *     (R -+ (t / |b|) sqrt((1 - g) v_a + R^2 v_b)) / (1 - g).
 * If g >= 1 the denominator is not significantly different from 0 at
 * this level and the confidence set is unbounded.
 *
 * t is the Student quantile with the Welch-Satterthwaite degrees of
 * freedom of the pivot a - R b, (v_a + R^2 v_b)^2 /
 * (v_a^2 / (n_a - 1) + R^4 v_b^2 / (n_b - 1)), evaluated at the estimate
 * R, as R's mratios::ttestratio(var.equal = FALSE) does after Tamhane
 * and Logan (2004, J. Biopharm. Stat. 14). Using Welch's df of
 * a - b instead would weigh the two variances on different scales
 * whenever R is far from 1.
 */
static void fieller(double a, double b, double va, double vb, double t,
		    struct ratio_ci *out)
{
	double r = a / b, g = t * t * vb / (b * b), half;

	if (g >= 1.0) {
		out->is_bounded = 0;
		out->lo = -INFINITY;
		out->hi = INFINITY;
		return;
	}
	half = t / fabs(b) * sqrt((1.0 - g) * va + r * r * vb);
	out->is_bounded = 1;
	out->lo = (r - half) / (1.0 - g);
	out->hi = (r + half) / (1.0 - g);
}

int cmp_ratio(const struct summary *num, const struct summary *den,
	      double level, struct ratio_ci *out)
{
	double va, vb, r, wa, wb, df, t;

	memset(out, 0, sizeof(*out));
	if (den->mean == 0.0) {
		out->ratio = NAN;	/* no ratio to a zero baseline */
		return -1;
	}
	r = out->ratio = num->mean / den->mean;
	out->lo = out->hi = r;
	if (num->n < 2 || den->n < 2 || !(level > 0.0 && level < 1.0))
		return 0;
	out->has_ci = 1;
	out->is_bounded = 1;
	va = var_of_mean(num);
	vb = var_of_mean(den);
	wa = va;
	wb = r * r * vb;
	if (wa + wb == 0.0)
		return 0;	/* both constant: the ratio is exact */
	df = satterthwaite_df(wa, num->n, wb, den->n);
	t = stats_t_quantile(level, df);
	if (!isfinite(t)) {
		out->has_ci = 0;
		return -1;
	}
	fieller(num->mean, den->mean, va, vb, t, out);
	return 0;
}

/* ---- Holm's step-down adjustment -------------------------------------- */

struct p_index {
	double p;
	size_t i;
};

static int p_index_cmp(const void *pa, const void *pb)
{
	const struct p_index *a = pa, *b = pb;

	if (a->p != b->p)
		return a->p < b->p ? -1 : 1;
	return a->i < b->i ? -1 : a->i > b->i;
}

/*
 * Holm (1979), "A simple sequentially rejective multiple test procedure",
 * Scand. J. Statist. 6, 65-70; adjusted as R's p.adjust(method = "holm"):
 * with p sorted ascending, adj_(j) = min(1, max_{i <= j} (n - i + 1) p_(i))
 * (1-based), so adjusted values never decrease along the sorted order.
 */
void cmp_holm(const double *p, size_t n, double *adj)
{
	struct p_index *s;
	double run = 0.0, v;
	size_t j;

	if (n == 0)
		return;
	s = xreallocarray(NULL, n, sizeof(*s));
	for (j = 0; j < n; j++)
		s[j] = (struct p_index){ p[j], j };
	qsort(s, n, sizeof(*s), p_index_cmp);
	for (j = 0; j < n; j++) {
		v = (double)(n - j) * s[j].p;
		run = fmax(run, v);
		adj[s[j].i] = fmin(1.0, run);
	}
	free(s);
}

/* ---- building every comparison ---------------------------------------- */

/* A group seen through its cell: every key column but the factor. */
struct cell_ref {
	const struct group *g;
	size_t index;		/* into dataset->groups */
	size_t n_keys, factor;
};

static int cell_cmp(const void *pa, const void *pb)
{
	const struct cell_ref *a = pa, *b = pb;
	size_t k;
	int c;

	for (k = 0; k < a->n_keys; k++) {
		if (k == a->factor)
			continue;
		c = strcmp(a->g->key[k], b->g->key[k]);
		if (c)
			return c;
	}
	return 0;
}

static const char *factor_of(const struct dataset *ds, const struct group *g)
{
	return g->key[ds->factor_index];
}

/* The factor values that occur, for an error message. */
static void list_factor_values(const struct dataset *ds, char *buf,
			       size_t size)
{
	size_t i, j, len = 0;
	int is_new, w;

	buf[0] = '\0';
	for (i = 0; i < ds->n_groups && len < size; i++) {
		const char *v = factor_of(ds, &ds->groups[i]);

		for (is_new = 1, j = 0; j < i && is_new; j++)
			is_new = strcmp(v, factor_of(ds, &ds->groups[j])) != 0;
		if (!is_new)
			continue;
		w = snprintf(buf + len, size - len, "%s'%s'",
			     len ? ", " : "", v);
		if (w < 0)
			break;
		len += (size_t)w;
	}
}

/* Baseline groups sorted by cell, for bsearch. Caller frees. */
static struct cell_ref *baseline_cells(const struct dataset *ds,
				       const char *baseline, size_t *n_out)
{
	struct cell_ref *refs = xreallocarray(NULL, ds->n_groups,
					      sizeof(*refs));
	size_t i, n = 0;

	for (i = 0; i < ds->n_groups; i++) {
		const struct group *g = &ds->groups[i];

		if (strcmp(factor_of(ds, g), baseline) != 0)
			continue;
		refs[n++] = (struct cell_ref){ g, i, ds->n_key_cols,
					       ds->factor_index };
	}
	qsort(refs, n, sizeof(*refs), cell_cmp);
	*n_out = n;
	return refs;
}

/* One comparison of group other against group base. */
static void compare_pair(const struct dataset *ds, const struct summary *sums,
			 const struct cmp_options *opt, size_t base,
			 size_t other, struct comparison *c)
{
	const struct group *gb = &ds->groups[base], *go = &ds->groups[other];
	struct welch_result w;
	struct mwu_result m;

	memset(c, 0, sizeof(*c));
	c->baseline = base;
	c->other = other;
	c->test = opt->test;
	c->p = c->p_adjusted = 1.0;
	(void)cmp_ratio(&sums[other], &sums[base], opt->level, &c->ratio);
	if (opt->test == CMP_TEST_MWU) {
		if (cmp_mwu(go->values, go->n, gb->values, gb->n, &m) == 0) {
			c->has_test = 1;
			c->statistic = m.u;
			c->p = m.p;
			c->is_exact = m.is_exact;
		}
	} else if (cmp_welch(&sums[other], &sums[base], &w) == 0) {
		c->has_test = 1;
		c->statistic = w.t;
		c->df = w.df;
		c->p = w.p;
	}
}

/* Holm over the comparisons that have a p-value; the rest keep p = 1. */
static void adjust_all(struct comparison *cmps, size_t n, double level)
{
	double *p = xreallocarray(NULL, n ? n : 1, 2 * sizeof(*p));
	double *adj = p + (n ? n : 1);
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		if (cmps[i].has_test)
			p[k++] = cmps[i].p;
	cmp_holm(p, k, adj);
	for (i = 0, k = 0; i < n; i++) {
		if (!cmps[i].has_test)
			continue;
		cmps[i].p_adjusted = adj[k++];
		cmps[i].is_significant = cmps[i].p_adjusted < 1.0 - level;
	}
	free(p);
}

int cmp_build(const struct dataset *ds, const struct summary *sums,
	      const struct cmp_options *opt, struct comparison **out,
	      size_t *n_out, struct diag *err)
{
	const char *baseline;
	struct cell_ref *bases, key;
	const struct cell_ref *hit;
	size_t n_bases, i, n = 0;
	char seen[512];

	*out = NULL;
	*n_out = 0;
	if (!(opt->level > 0.0 && opt->level < 1.0)) {
		diag_set(err, NULL, 0, "confidence level %g is not between "
			 "0 and 1 (try 0.95)", opt->level);
		return STATUS_BADINPUT;
	}
	if (ds->n_groups == 0)
		return 0;
	baseline = opt->baseline ? opt->baseline :
		   factor_of(ds, &ds->groups[0]);
	bases = baseline_cells(ds, baseline, &n_bases);
	if (n_bases == 0) {
		list_factor_values(ds, seen, sizeof(seen));
		diag_set(err, NULL, 0, "baseline '%s' does not occur in "
			 "column '%s' (values: %s)", baseline,
			 ds->key_cols[ds->factor_index], seen);
		free(bases);
		return STATUS_BADINPUT;
	}
	*out = xreallocarray(NULL, ds->n_groups, sizeof(**out));
	for (i = 0; i < ds->n_groups; i++) {
		key = (struct cell_ref){ &ds->groups[i], i, ds->n_key_cols,
					 ds->factor_index };
		if (!strcmp(factor_of(ds, key.g), baseline))
			continue;
		hit = bsearch(&key, bases, n_bases, sizeof(*bases), cell_cmp);
		if (hit)
			compare_pair(ds, sums, opt, hit->index, i,
				     &(*out)[n++]);
	}
	free(bases);
	adjust_all(*out, n, opt->level);
	*n_out = n;
	return 0;
}

void cmp_free(struct comparison *cmps)
{
	free(cmps);
}

/* ---- wording ---------------------------------------------------------- */

enum unit_kind {
	UNIT_OTHER = 0,
	UNIT_TIME,		/* lower is faster */
	UNIT_SIZE,		/* lower is smaller */
	UNIT_RATE		/* higher is faster */
};

static int is_one_of(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (!strcmp(s, *list))
			return 1;
	return 0;
}

/* FLOPS in any case and prefix (KFLOPS, Mflops, ...). */
static int mentions_flops(const char *unit)
{
	const char *p;

	for (p = unit; *p; p++)
		if (!strncmp(p, "FLOPS", 5) || !strncmp(p, "flops", 5) ||
		    !strncmp(p, "Flops", 5))
			return 1;
	return 0;
}

static enum unit_kind unit_kind(const char *unit)
{
	static const char *const times[] = {
		"s", "ms", "us", "\xc2\xb5s", "ns", "cycles", NULL
	};
	static const char *const sizes[] = {
		"B", "KB", "kB", "KiB", "MB", "MiB", "GB", "GiB", "TB", "TiB",
		NULL
	};

	if (!unit)
		return UNIT_OTHER;
	if (is_one_of(unit, times))
		return UNIT_TIME;
	if (is_one_of(unit, sizes))
		return UNIT_SIZE;
	if (strstr(unit, "/s") || mentions_flops(unit))
		return UNIT_RATE;
	return UNIT_OTHER;
}

/* The word for a ratio above 1 (is_up) or below it. */
static const char *change_word(enum unit_kind kind, enum better better,
			       int is_up)
{
	switch (kind) {
	case UNIT_TIME:
		return is_up ? "slower" : "faster";
	case UNIT_RATE:
		return is_up ? "faster" : "slower";
	case UNIT_SIZE:
		return is_up ? "larger" : "smaller";
	case UNIT_OTHER:
		break;
	}
	if (better == BETTER_LOWER)
		return is_up ? "worse" : "better";
	if (better == BETTER_HIGHER)
		return is_up ? "better" : "worse";
	return is_up ? "higher" : "lower";
}

/* Factors from this on are written "1.73e+06": "%.0f" of 1e60 is 61
 * digits, most of them noise (found by tests/fuzz, 2026-11-25). */
#define FACTOR_EXP_MIN 1e6

/* f >= 1 to 3 significant digits: "1.73", "17.3", "173", "1730",
 * "1.73e+06". */
static void factor_text(double f, char *buf, size_t size)
{
	char g[32];
	double rounded;

	snprintf(g, sizeof(g), "%.3g", f);
	rounded = strtod(g, NULL);
	if (rounded < 10.0)
		snprintf(buf, size, "%.2f", rounded);
	else if (rounded < 100.0)
		snprintf(buf, size, "%.1f", rounded);
	else if (rounded < FACTOR_EXP_MIN)
		snprintf(buf, size, "%.0f", rounded);
	else
		snprintf(buf, size, "%s", g);
}

/*
 * The factor is always >= 1: a ratio of 0.5 on a time reads "2.00x
 * faster", never "0.50x slower". Ratios that are not positive (means of
 * different signs, a zero mean) have no "times" reading and are printed
 * as they are, and so are ratios below 1 / DBL_MAX, whose factor is
 * infinite (a subnormal mean against a normal one).
 */
void cmp_wording(const struct comparison *c, const struct group *baseline,
		 char *buf, size_t size)
{
	double r = c->ratio.ratio;
	char num[48];
	int is_up;

	if (size == 0)
		return;
	if (!isfinite(r)) {
		snprintf(buf, size, "no ratio (baseline mean is 0)");
		return;
	}
	if (r <= 0.0 || !isfinite(1.0 / r)) {
		snprintf(buf, size, "ratio %.3g", r);
		return;
	}
	if (r == 1.0) {
		snprintf(buf, size, "no change");
		return;
	}
	is_up = r > 1.0;
	factor_text(is_up ? r : 1.0 / r, num, sizeof(num));
	/* "1.00x slower" hides a real difference that the verdict may call
	 * significant: below half a percent say it in percent. */
	if (!strcmp(num, "1.00"))
		snprintf(num, sizeof(num), "%.2g%%", 100 * fabs(r - 1.0));
	else
		snprintf(num + strlen(num), sizeof(num) - strlen(num), "x");
	snprintf(buf, size, "%s %s", num,
		 change_word(unit_kind(baseline->unit), baseline->better,
			     is_up));
}
