/*
 * compare_test: analyze/compare.c against independent references.
 *
 * Every p-value, statistic and interval below was computed with scipy
 * 1.10.1 / numpy 1.24.2 (Debian 12, /usr/bin/python3); the exact call is
 * quoted beside each number. Where scipy has no function (Welch df,
 * Fieller's interval, Holm) the formula was written out in Python from
 * its published definition, cited here and in compare.c. scipy's t.ppf is
 * good to about 1e-9 (see stats_test.c), so results that go through a t
 * quantile are compared at 1e-7; the rest at 1e-9 or tighter.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "compare.h"
#include "load.h"
#include "stats.h"

static struct summary summarize(const double *x, size_t n)
{
	struct summary s;

	assert_int_equal(stats_summarize(x, n, 0.95, &s), 0);
	return s;
}

/* ---- Welch ------------------------------------------------------------ */

/*
 * a = [10.2, 11.5, 9.8, 10.9, 12.1, 10.4, 11.0],
 * b = [14.1, 13.2, 15.8, 12.9, 16.5, 14.7, 13.3, 15.1, 17.2, 12.4, 14.0]
 * scipy.stats.ttest_ind(a, b, equal_var=False):
 *   statistic -6.560978633939038, pvalue 7.601386976216339e-06
 * df (va + vb)^2 / (va^2 / 6 + vb^2 / 10), va = a.var(ddof=1) / 7,
 *   vb = b.var(ddof=1) / 11: 15.529143824482556
 */
static void test_cmp_welch_unequal(void **state)
{
	const double a[] = { 10.2, 11.5, 9.8, 10.9, 12.1, 10.4, 11.0 };
	const double b[] = { 14.1, 13.2, 15.8, 12.9, 16.5, 14.7, 13.3, 15.1,
			     17.2, 12.4, 14.0 };
	struct summary sa = summarize(a, N_OF(a)), sb = summarize(b, N_OF(b));
	struct welch_result w;

	(void)state;
	assert_int_equal(cmp_welch(&sa, &sb, &w), 0);
	assert_rel(w.t, -6.560978633939038, 1e-12, "t");
	assert_rel(w.df, 15.529143824482556, 1e-12, "df");
	assert_rel(w.p, 7.601386976216339e-06, 1e-9, "p");
	/* Swapping the samples flips t only. */
	assert_int_equal(cmp_welch(&sb, &sa, &w), 0);
	assert_rel(w.t, 6.560978633939038, 1e-12, "t swapped");
	assert_rel(w.p, 7.601386976216339e-06, 1e-9, "p swapped");
}

/*
 * c = [10.1, 10.3, 9.9, 10.0, 10.4, 10.2],
 * d = [10.2, 10.0, 10.5, 9.8, 10.3, 10.1, 10.6, 9.9]
 * scipy.stats.ttest_ind(c, d, equal_var=False): statistic
 * -0.19924242151983615, pvalue 0.8454380862363743; df by the formula
 * above 11.895732956664002.
 */
static void test_cmp_welch_no_difference(void **state)
{
	const double c[] = { 10.1, 10.3, 9.9, 10.0, 10.4, 10.2 };
	const double d[] = { 10.2, 10.0, 10.5, 9.8, 10.3, 10.1, 10.6, 9.9 };
	struct summary sc = summarize(c, N_OF(c)), sd = summarize(d, N_OF(d));
	struct welch_result w;

	(void)state;
	assert_int_equal(cmp_welch(&sc, &sd, &w), 0);
	assert_rel(w.t, -0.19924242151983615, 1e-11, "t");
	assert_rel(w.df, 11.895732956664002, 1e-12, "df");
	assert_rel(w.p, 0.8454380862363743, 1e-9, "p");
}

/* The header's contract for constant samples and too few values. */
static void test_cmp_welch_degenerate(void **state)
{
	const double five[] = { 5, 5, 5 }, six[] = { 6, 6, 6, 6 };
	const double one[] = { 1 };
	struct summary s5 = summarize(five, 3), s6 = summarize(six, 4);
	struct summary s1 = summarize(one, 1);
	struct welch_result w;

	(void)state;
	assert_int_equal(cmp_welch(&s5, &s5, &w), 0);
	assert_true(w.p == 1.0 && w.t == 0.0);
	assert_int_equal(cmp_welch(&s5, &s6, &w), 0);
	assert_true(w.p == 0.0 && w.t < 0.0);
	assert_int_equal(cmp_welch(&s1, &s6, &w), -1);
	assert_int_equal(cmp_welch(&s6, &s1, &w), -1);
}

/* ---- Mann-Whitney U ---------------------------------------------------- */

static void check_mwu(const double *x, size_t nx, const double *y,
		      size_t ny, double u, double p, int is_exact)
{
	struct mwu_result m;

	assert_int_equal(cmp_mwu(x, nx, y, ny, &m), 0);
	assert_rel(m.u, u, 1e-15, "U1");
	assert_rel(m.p, p, 1e-10, "p");
	assert_int_equal(m.is_exact, is_exact);
}

/*
 * Exact, small, no ties. x = [1.1, 2.3, 0.7, 3.9, 2.8],
 * y = [4.2, 3.1, 5.6, 4.8, 3.3, 6.0]:
 * scipy.stats.mannwhitneyu(x, y): statistic 2.0, pvalue
 * 0.017316017316017316 (= 2 * 4 / 462); mannwhitneyu(y, x): 28.0, same p.
 */
static void test_cmp_mwu_exact_small(void **state)
{
	const double x[] = { 1.1, 2.3, 0.7, 3.9, 2.8 };
	const double y[] = { 4.2, 3.1, 5.6, 4.8, 3.3, 6.0 };

	(void)state;
	check_mwu(x, 5, y, 6, 2.0, 0.017316017316017316, 1);
	check_mwu(y, 6, x, 5, 28.0, 0.017316017316017316, 1);
}

/*
 * One sample above 8, the other at most 8, no ties: still exact.
 * x = [5.1, 6.3, 4.8, 7.2, 5.9, 6.8, 5.5, 7.9, 6.1, 5.0, 6.6, 7.5],
 * y = [4.1, 5.2, 3.9, 6.0, 4.4]: scipy.stats.mannwhitneyu(x, y):
 * statistic 52.0, pvalue 0.019392372333548805.
 */
static void test_cmp_mwu_exact_one_large(void **state)
{
	const double x[] = { 5.1, 6.3, 4.8, 7.2, 5.9, 6.8, 5.5, 7.9, 6.1,
			     5.0, 6.6, 7.5 };
	const double y[] = { 4.1, 5.2, 3.9, 6.0, 4.4 };

	(void)state;
	check_mwu(x, N_OF(x), y, N_OF(y), 52.0, 0.019392372333548805, 1);
}

/*
 * 8 against 40 (no ties): the lower tail reaches past U = n + 1, where
 * the Gaussian-binomial recurrence subtracts. x8, y40 drawn with
 * numpy.random.default_rng(7) (normal(10, 2, 8), normal(11, 2, 40),
 * rounded to 3 decimals); scipy.stats.mannwhitneyu(x8, y40): statistic
 * 124.0, pvalue 0.33269512307219773.
 */
static void test_cmp_mwu_exact_8_40(void **state)
{
	const double x[] = { 10.002, 10.597, 9.452, 8.219, 9.091, 8.017,
			     10.12, 12.68 };
	const double y[] = {
		10.016, 9.759, 11.98, 11.714, 11.211, 9.139, 10.941, 12.391,
		8.312, 10.085, 7.198, 8.421, 7.317, 10.53, 8.465, 11.543,
		11.314, 10.626, 5.966, 9.923, 10.903, 11.227, 7.94, 10.044,
		9.043, 9.382, 13.122, 9.385, 10.935, 12.769, 9.833, 10.777,
		11.221, 11.128, 8.55, 11.152, 13.718, 7.906, 12.719, 11.239
	};

	(void)state;
	check_mwu(x, N_OF(x), y, N_OF(y), 124.0, 0.33269512307219773, 1);
}

/*
 * Ties force the normal approximation with tie and continuity
 * corrections. x = [3, 4, 4, 5, 6, 6, 7, 8, 9, 9],
 * y = [1, 2, 3, 3, 4, 5, 5, 6, 7, 2, 1]: scipy.stats.mannwhitneyu(x, y):
 * statistic 88.5, pvalue 0.019333977268831674.
 */
static void test_cmp_mwu_asymptotic_ties(void **state)
{
	const double x[] = { 3, 4, 4, 5, 6, 6, 7, 8, 9, 9 };
	const double y[] = { 1, 2, 3, 3, 4, 5, 5, 6, 7, 2, 1 };

	(void)state;
	check_mwu(x, N_OF(x), y, N_OF(y), 88.5, 0.019333977268831674, 0);
}

/*
 * Both samples above 8 without ties: normal approximation, tie term 0.
 * x10, y9 from the same generator (normal(0, 1, 10), normal(0.8, 1, 9),
 * 4 decimals); scipy.stats.mannwhitneyu(x10, y9): statistic 30.0,
 * pvalue 0.23644471557230384.
 */
static void test_cmp_mwu_asymptotic_no_ties(void **state)
{
	const double x[] = { -0.6415, 2.0004, 0.7623, -1.1993, 0.0745, 0.5767,
			     -0.1888, 0.6829, -0.0665, 0.6672 };
	const double y[] = { 2.2385, 0.1243, 1.0031, 0.3367, 0.9273, -0.3872,
			     0.2207, 0.6038, 1.6988 };

	(void)state;
	check_mwu(x, N_OF(x), y, N_OF(y), 30.0, 0.23644471557230384, 0);
}

/*
 * Identical samples: scipy.stats.mannwhitneyu([1, 2, 3, 4, 5],
 * [1, 2, 3, 4, 5]): statistic 12.5, pvalue 1.0 (ties: asymptotic).
 * One value each, [7] vs [3]: statistic 1.0, pvalue 1.0 (exact).
 * All values tied: no evidence either way, p = 1.
 */
static void test_cmp_mwu_identical(void **state)
{
	const double x[] = { 1, 2, 3, 4, 5 }, c[] = { 2, 2, 2, 2 };

	(void)state;
	check_mwu(x, 5, x, 5, 12.5, 1.0, 0);
	check_mwu((const double[]){ 7 }, 1, (const double[]){ 3 }, 1, 1.0,
		  1.0, 1);
	check_mwu(c, 4, c, 3, 6.0, 1.0, 0);
}

static void test_cmp_mwu_empty(void **state)
{
	const double x[] = { 1 };
	struct mwu_result m;

	(void)state;
	assert_int_equal(cmp_mwu(x, 0, x, 1, &m), -1);
	assert_int_equal(cmp_mwu(x, 1, x, 0, &m), -1);
}

/* ---- Holm ------------------------------------------------------------- */

/*
 * R's p.adjust(p, "holm") written out in numpy:
 *   o = np.argsort(p, kind='stable'); ro = np.argsort(o)
 *   np.minimum(1, np.maximum.accumulate((n - np.arange(n)) * p[o]))[ro]
 * p = [0.01, 0.04, 0.03, 0.005, 0.20, 0.04]
 *   -> [0.05, 0.12, 0.12, 0.03, 0.2, 0.12]
 * p = [0.5, 0.6, 0.01] -> [1.0, 1.0, 0.03] (capped at 1)
 */
static void test_cmp_holm_known_vector(void **state)
{
	const double p[] = { 0.01, 0.04, 0.03, 0.005, 0.20, 0.04 };
	const double want[] = { 0.05, 0.12, 0.12, 0.03, 0.2, 0.12 };
	const double p2[] = { 0.5, 0.6, 0.01 }, want2[] = { 1.0, 1.0, 0.03 };
	double adj[6];
	size_t i;

	(void)state;
	cmp_holm(p, 6, adj);
	for (i = 0; i < 6; i++)
		assert_rel(adj[i], want[i], 1e-14, "holm");
	cmp_holm(p2, 3, adj);
	for (i = 0; i < 3; i++)
		assert_rel(adj[i], want2[i], 1e-14, "holm capped");
	cmp_holm(p, 1, adj);
	assert_true(adj[0] == 0.01);
	cmp_holm(p, 0, adj);	/* nothing to do, nothing written */
}

/* ---- Fieller ---------------------------------------------------------- */

/*
 * Fieller's limits in Python from the formula in compare.c (Franz 2007):
 *   A, B = num.mean(), den.mean(); R = A / B
 *   va = num.var(ddof=1) / len(num); vb = den.var(ddof=1) / len(den)
 *   df = (va + R*R*vb)**2 / (va**2 / (len(num) - 1)
 *        + (R*R*vb)**2 / (len(den) - 1))
 *   t = stats.t.ppf(0.5 + level / 2, df); g = t*t*vb / B**2
 *   half = t / abs(B) * np.sqrt((1 - g) * va + R*R*vb)
 *   lo, hi = (R - half) / (1 - g), (R + half) / (1 - g)
 * num = [2.41, 2.38, 2.45, 2.50, 2.36, 2.44, 2.47],
 * den = [1.21, 1.25, 1.19, 1.22, 1.24, 1.20], level 0.95:
 *   R 1.9945280437756494, lo 1.9469706857213975, hi 2.0432528378171018
 *   (delta method R -+ t |R| sqrt(va/A^2 + vb/B^2): 1.94640, 2.04266,
 *   within 0.03% as it should be for CVs near 2%)
 * num = [30, 34, 29, 35, 31], den = [1, 3, 2, 2.5, 1.5], level 0.90:
 *   R 15.9, lo 11.494866486556553, hi 25.303931611155974 (g = 0.136:
 *   asymmetric, where the delta method's 9.92..21.88 is not)
 */
static void test_cmp_ratio_fieller_bounded(void **state)
{
	const double num[] = { 2.41, 2.38, 2.45, 2.50, 2.36, 2.44, 2.47 };
	const double den[] = { 1.21, 1.25, 1.19, 1.22, 1.24, 1.20 };
	const double n3[] = { 30, 34, 29, 35, 31 };
	const double d3[] = { 1, 3, 2, 2.5, 1.5 };
	struct summary sn = summarize(num, 7), sd = summarize(den, 6);
	struct ratio_ci q;

	(void)state;
	assert_int_equal(cmp_ratio(&sn, &sd, 0.95, &q), 0);
	assert_true(q.has_ci && q.is_bounded);
	assert_rel(q.ratio, 1.9945280437756494, 1e-14, "ratio");
	assert_rel(q.lo, 1.9469706857213975, 1e-7, "lo");
	assert_rel(q.hi, 2.0432528378171018, 1e-7, "hi");
	/* sanity: the delta method agrees to 1e-3 on this easy case */
	assert_rel(q.lo, 1.9463975491063799, 1e-3, "lo vs delta");
	assert_rel(q.hi, 2.0426585384449187, 1e-3, "hi vs delta");
	sn = summarize(n3, 5);
	sd = summarize(d3, 5);
	assert_int_equal(cmp_ratio(&sn, &sd, 0.90, &q), 0);
	assert_true(q.has_ci && q.is_bounded);
	assert_rel(q.ratio, 15.9, 1e-14, "ratio 3");
	assert_rel(q.lo, 11.494866486556553, 1e-7, "lo 3");
	assert_rel(q.hi, 25.303931611155974, 1e-7, "hi 3");
}

/*
 * den = [0.5, -0.3, 1.2, -0.8, 0.9]: mean 0.3 is not significantly
 * different from 0; with num = [5, 6, 5.5, 7] the same Python gives
 * g = 11.84 >= 1, an unbounded confidence set. R = 19.583333333333336.
 */
static void test_cmp_ratio_fieller_unbounded(void **state)
{
	const double num[] = { 5.0, 6.0, 5.5, 7.0 };
	const double den[] = { 0.5, -0.3, 1.2, -0.8, 0.9 };
	struct summary sn = summarize(num, 4), sd = summarize(den, 5);
	struct ratio_ci q;

	(void)state;
	assert_int_equal(cmp_ratio(&sn, &sd, 0.95, &q), 0);
	assert_true(q.has_ci);
	assert_false(q.is_bounded);
	assert_rel(q.ratio, 19.583333333333336, 1e-14, "ratio");
}

/* n = 1: a ratio but no interval; zero baseline mean: no ratio; both
 * constant: the ratio is exact, the interval a point. */
static void test_cmp_ratio_degenerate(void **state)
{
	const double one[] = { 4 }, two[] = { 2, 2, 2 };
	const double zero[] = { -1, 1 };
	struct summary s1 = summarize(one, 1), s2 = summarize(two, 3);
	struct summary s0 = summarize(zero, 2);
	struct ratio_ci q;

	(void)state;
	assert_int_equal(cmp_ratio(&s1, &s2, 0.95, &q), 0);
	assert_true(q.ratio == 2.0 && !q.has_ci);
	assert_int_equal(cmp_ratio(&s2, &s0, 0.95, &q), -1);
	assert_true(isnan(q.ratio) && !q.has_ci);
	s1 = summarize((const double[]){ 4, 4 }, 2);
	assert_int_equal(cmp_ratio(&s1, &s2, 0.95, &q), 0);
	assert_true(q.has_ci && q.is_bounded);
	assert_true(q.ratio == 2.0 && q.lo == 2.0 && q.hi == 2.0);
}

/* ---- cmp_build -------------------------------------------------------- */

/*
 * Six groups, key (platform, benchmark, metric, config), factor platform:
 *   0 native   stream   triad    [10.0, 10.5, 9.8, 10.2, 10.1]
 *   1 qemu-kvm stream   triad    [10.4, 10.9, 10.6, 10.8, 10.3]
 *   2 native   memsweep seconds  [5.0, 5.2, 4.9, 5.1]
 *   3 qemu-tcg memsweep seconds  [140, 150, 138, 145]
 *   4 qemu-kvm stream   copy     [3.0, 3.1, 2.9]  (no native copy)
 *   5 qemu-tcg stream   triad    [30, 33, 29, 31, 35, 32]
 */
struct fixture {
	char *cols[4];
	const char *keys[6][4];
	double values[6][6];
	size_t n[6];
	struct group groups[6];
	struct summary sums[6];
	struct dataset ds;
};

static const char *const fx_keys[6][4] = {
	{ "native", "stream", "triad", "" },
	{ "qemu-kvm", "stream", "triad", "" },
	{ "native", "memsweep", "seconds", "" },
	{ "qemu-tcg", "memsweep", "seconds", "" },
	{ "qemu-kvm", "stream", "copy", "" },
	{ "qemu-tcg", "stream", "triad", "" },
};

static const double fx_values[6][6] = {
	{ 10.0, 10.5, 9.8, 10.2, 10.1 },
	{ 10.4, 10.9, 10.6, 10.8, 10.3 },
	{ 5.0, 5.2, 4.9, 5.1 },
	{ 140, 150, 138, 145 },
	{ 3.0, 3.1, 2.9 },
	{ 30, 33, 29, 31, 35, 32 },
};

static const size_t fx_n[6] = { 5, 5, 4, 4, 3, 6 };

static int fixture_setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	size_t i, k;

	if (!f)
		return -1;
	f->cols[0] = "platform";
	f->cols[1] = "benchmark";
	f->cols[2] = "metric";
	f->cols[3] = "config";
	for (i = 0; i < 6; i++) {
		for (k = 0; k < 4; k++)
			f->keys[i][k] = fx_keys[i][k];
		memcpy(f->values[i], fx_values[i], sizeof(fx_values[i]));
		f->groups[i].key = f->keys[i];
		f->groups[i].unit = i == 2 || i == 3 ? "s" : "MB/s";
		f->groups[i].better = i == 2 || i == 3 ? BETTER_LOWER :
				      BETTER_HIGHER;
		f->groups[i].values = f->values[i];
		f->groups[i].n = f->groups[i].cap = fx_n[i];
		if (stats_summarize(f->values[i], fx_n[i], 0.95,
				    &f->sums[i]) != 0)
			return -1;
	}
	f->ds.key_cols = f->cols;
	f->ds.n_key_cols = 4;
	f->ds.factor_index = 0;
	f->ds.groups = f->groups;
	f->ds.n_groups = 6;
	*state = f;
	return 0;
}

static int fixture_teardown(void **state)
{
	free(*state);
	return 0;
}

/*
 * Default baseline: native, the first factor value seen. Comparisons in
 * group order of the other side: (0, 1), (2, 3), (0, 5); group 4 has no
 * native cell and is skipped. scipy.stats.ttest_ind(other, base,
 * equal_var=False): p = 0.018312532988389172, 1.6062404063597017e-05,
 * 1.5925903400249863e-06; t(0, 1) = 2.954195783503979; Holm (numpy as in
 * test_cmp_holm_known_vector): 0.018312532988389172,
 * 3.2124808127194035e-05, 4.777771020074959e-06.
 */
static void test_cmp_build_default_baseline(void **state)
{
	struct fixture *f = *state;
	struct cmp_options opt = { NULL, CMP_TEST_WELCH, 0.95 };
	struct comparison *c;
	struct diag err;
	size_t n;

	assert_int_equal(cmp_build(&f->ds, f->sums, &opt, &c, &n, &err), 0);
	assert_int_equal(n, 3);
	assert_true(c[0].baseline == 0 && c[0].other == 1);
	assert_true(c[1].baseline == 2 && c[1].other == 3);
	assert_true(c[2].baseline == 0 && c[2].other == 5);
	assert_true(c[0].has_test && c[1].has_test && c[2].has_test);
	assert_rel(c[0].statistic, 2.954195783503979, 1e-12, "t");
	assert_rel(c[0].p, 0.018312532988389172, 1e-9, "p0");
	assert_rel(c[1].p, 1.6062404063597017e-05, 1e-9, "p1");
	assert_rel(c[2].p, 1.5925903400249863e-06, 1e-9, "p2");
	assert_rel(c[0].p_adjusted, 0.018312532988389172, 1e-9, "holm0");
	assert_rel(c[1].p_adjusted, 3.2124808127194035e-05, 1e-9, "holm1");
	assert_rel(c[2].p_adjusted, 4.777771020074959e-06, 1e-9, "holm2");
	assert_true(c[0].is_significant && c[1].is_significant);
	assert_rel(c[0].ratio.ratio, 1.0474308300395256, 1e-14, "ratio0");
	assert_rel(c[1].ratio.ratio, 28.366336633663366, 1e-14, "ratio1");
	assert_rel(c[2].ratio.ratio, 3.129117259552042, 1e-14, "ratio2");
	assert_true(c[0].df > 0.0 && c[0].test == CMP_TEST_WELCH);
	cmp_free(c);
}

/*
 * --baseline qemu-kvm --test mwu: only the stream/triad cell has a
 * qemu-kvm group; stream/copy has nothing else and memsweep no baseline.
 * scipy.stats.mannwhitneyu(other, base): (1, 0) statistic 2.0, pvalue
 * 0.031746031746031744; (1, 5) statistic 30.0, pvalue
 * 0.004329004329004329; both exact. Holm: 0.031746031746031744,
 * 0.008658008658008658.
 */
static void test_cmp_build_explicit_baseline_mwu(void **state)
{
	struct fixture *f = *state;
	struct cmp_options opt = { "qemu-kvm", CMP_TEST_MWU, 0.95 };
	struct comparison *c;
	struct diag err;
	size_t n;

	assert_int_equal(cmp_build(&f->ds, f->sums, &opt, &c, &n, &err), 0);
	assert_int_equal(n, 2);
	assert_true(c[0].baseline == 1 && c[0].other == 0);
	assert_true(c[1].baseline == 1 && c[1].other == 5);
	assert_true(c[0].test == CMP_TEST_MWU && c[0].is_exact);
	assert_true(c[0].statistic == 2.0 && c[1].statistic == 30.0);
	assert_true(c[0].df == 0.0);
	assert_rel(c[0].p, 0.031746031746031744, 1e-12, "p0");
	assert_rel(c[1].p, 0.004329004329004329, 1e-12, "p1");
	assert_rel(c[0].p_adjusted, 0.031746031746031744, 1e-12, "holm0");
	assert_rel(c[1].p_adjusted, 0.008658008658008658, 1e-12, "holm1");
	cmp_free(c);
}

static void test_cmp_build_unknown_baseline(void **state)
{
	struct fixture *f = *state;
	struct cmp_options opt = { "xen-hvm", CMP_TEST_WELCH, 0.95 };
	struct comparison dummy, *c = &dummy;
	struct diag err;
	size_t n = 99;

	assert_int_equal(cmp_build(&f->ds, f->sums, &opt, &c, &n, &err),
			 STATUS_BADINPUT);
	assert_null(c);
	assert_int_equal(n, 0);
	assert_string_equal(err.msg, "baseline 'xen-hvm' does not occur in "
			    "column 'platform' (values: 'native', "
			    "'qemu-kvm', 'qemu-tcg')");
	opt.baseline = NULL;
	opt.level = 1.5;
	assert_int_equal(cmp_build(&f->ds, f->sums, &opt, &c, &n, &err),
			 STATUS_BADINPUT);
}

/* A group of one value gets a ratio but no test, and stays out of Holm. */
static void test_cmp_build_single_run_untested(void **state)
{
	struct fixture *f = *state;
	struct cmp_options opt = { NULL, CMP_TEST_WELCH, 0.95 };
	struct comparison *c;
	struct diag err;
	size_t n;

	f->groups[5].n = 1;
	assert_int_equal(stats_summarize(f->values[5], 1, 0.95, &f->sums[5]),
			 0);
	assert_int_equal(cmp_build(&f->ds, f->sums, &opt, &c, &n, &err), 0);
	assert_int_equal(n, 3);
	assert_false(c[2].has_test);
	assert_false(c[2].ratio.has_ci);
	assert_true(c[2].ratio.ratio == 30.0 / f->sums[0].mean);
	/* Holm over the two tested ones: 2 * 1.6062404063597017e-05 and
	 * max(that, 1 * 0.018312532988389172). */
	assert_rel(c[0].p_adjusted, 0.018312532988389172, 1e-9, "holm0");
	assert_rel(c[1].p_adjusted, 3.2124808127194035e-05, 1e-9, "holm1");
	cmp_free(c);
}

/* ---- wording ---------------------------------------------------------- */

static void check_word(double ratio, const char *unit, enum better better,
		       const char *want)
{
	struct comparison c;
	struct group g;
	char buf[64];

	memset(&c, 0, sizeof(c));
	memset(&g, 0, sizeof(g));
	c.ratio.ratio = ratio;
	g.unit = unit;
	g.better = better;
	cmp_wording(&c, &g, buf, sizeof(buf));
	assert_string_equal(buf, want);
}

static void test_cmp_wording_units(void **state)
{
	(void)state;
	/* times: a ratio below 1 is faster, shown as its inverse */
	check_word(0.5, "s", BETTER_LOWER, "2.00x faster");
	check_word(2.1, "ms", BETTER_LOWER, "2.10x slower");
	check_word(28.366, "s", BETTER_LOWER, "28.4x slower");
	check_word(1.0 / 173.2, "cycles", BETTER_LOWER,
			    "173x faster");
	check_word(0.8, "ns", BETTER_LOWER, "1.25x faster");
	/* sizes */
	check_word(1 / 1.2, "MiB", BETTER_LOWER,
			    "1.20x smaller");
	check_word(3.0, "B", BETTER_LOWER, "3.00x larger");
	/* rates: higher is faster */
	check_word(1.73, "MB/s", BETTER_HIGHER, "1.73x faster");
	check_word(0.5, "req/s", BETTER_HIGHER, "2.00x slower");
	check_word(1.5, "KFLOPS", BETTER_HIGHER,
			    "1.50x faster");
	/* other units follow 'better' */
	check_word(1.5, "score", BETTER_HIGHER, "1.50x better");
	check_word(1.5, "errors", BETTER_LOWER, "1.50x worse");
	check_word(0.5, "errors", BETTER_LOWER, "2.00x better");
	check_word(1.23, "", BETTER_UNSET, "1.23x higher");
	check_word(1 / 1.23, "", BETTER_UNSET, "1.23x lower");
}

static void test_cmp_wording_edges(void **state)
{
	(void)state;
	check_word(1.0, "s", BETTER_LOWER, "no change");
	/* below 0.5% the factor would read 1.00x: percent instead */
	check_word(1.004, "s", BETTER_LOWER, "0.4% slower");
	check_word(1 / 1.004, "MB/s", BETTER_HIGHER, "0.4% slower");
	check_word(0.99995, "B", BETTER_LOWER, "0.005% smaller");
	check_word(1.006, "s", BETTER_LOWER, "1.01x slower");
	/* 9.996 rounds to 10.0, not "10.00" */
	check_word(9.996, "s", BETTER_LOWER, "10.0x slower");
	check_word(NAN, "s", BETTER_LOWER,
			    "no ratio (baseline mean is 0)");
	check_word(-0.5, "s", BETTER_LOWER, "ratio -0.5");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cmp_welch_unequal),
		cmocka_unit_test(test_cmp_welch_no_difference),
		cmocka_unit_test(test_cmp_welch_degenerate),
		cmocka_unit_test(test_cmp_mwu_exact_small),
		cmocka_unit_test(test_cmp_mwu_exact_one_large),
		cmocka_unit_test(test_cmp_mwu_exact_8_40),
		cmocka_unit_test(test_cmp_mwu_asymptotic_ties),
		cmocka_unit_test(test_cmp_mwu_asymptotic_no_ties),
		cmocka_unit_test(test_cmp_mwu_identical),
		cmocka_unit_test(test_cmp_mwu_empty),
		cmocka_unit_test(test_cmp_holm_known_vector),
		cmocka_unit_test(test_cmp_ratio_fieller_bounded),
		cmocka_unit_test(test_cmp_ratio_fieller_unbounded),
		cmocka_unit_test(test_cmp_ratio_degenerate),
		cmocka_unit_test_setup_teardown(test_cmp_build_default_baseline,
						fixture_setup,
						fixture_teardown),
		cmocka_unit_test_setup_teardown(
			test_cmp_build_explicit_baseline_mwu, fixture_setup,
			fixture_teardown),
		cmocka_unit_test_setup_teardown(
			test_cmp_build_unknown_baseline, fixture_setup,
			fixture_teardown),
		cmocka_unit_test_setup_teardown(
			test_cmp_build_single_run_untested, fixture_setup,
			fixture_teardown),
		cmocka_unit_test(test_cmp_wording_units),
		cmocka_unit_test(test_cmp_wording_edges),
	};

	gsl_set_error_handler_off();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
