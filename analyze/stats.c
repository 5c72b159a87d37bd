/*
 * stats: per-sample statistics (see stats.h for the contract).
 *
 * Accuracy is the point of this file. The mean is a compensated sum
 * divided by n; the variance is the corrected two-pass formula, never a
 * sum of squares minus a squared sum (that formula loses every digit on
 * NIST's NumAcc4). Quantiles, sorting and distribution quantiles come from
 * GSL. gsl_set_error_handler_off() is in effect: GSL's cdf functions then
 * return NaN on a domain error, so every result they give is checked with
 * isfinite() before use.
 */
#include "stats.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "diag.h"
#include "xalloc.h"

/*
 * Iglewicz and Hoaglin (1993), "How to Detect and Handle Outliers", ASQC
 * Basic References in Quality Control vol. 16: an observation is an
 * outlier when its modified z-score 0.6745 (x - median) / MAD exceeds 3.5.
 * 1.4826 = 1 / 0.6745 = 1 / Phi^-1(3/4) makes the MAD a consistent
 * estimator of the normal sd; the same constants as hyperfine's
 * src/outlier_detection.rs.
 */
#define OUTLIER_Z 3.5
#define MAD_TO_SD 1.4826

/*
 * Neumaier's improved Kahan-Babuska summation (Neumaier 1974, ZAMM 54,
 * 39-51): the running compensation also captures the low part when the
 * addend is larger than the sum, so the error bound does not grow with n.
 */
struct ksum {
	double sum, comp;
};

static void ksum_add(struct ksum *k, double x)
{
	double t = k->sum + x;

	if (fabs(k->sum) >= fabs(x))
		k->comp += (k->sum - t) + x;
	else
		k->comp += (x - t) + k->sum;
	k->sum = t;
}

static double neumaier_sum(const double *x, size_t n)
{
	struct ksum k = { 0.0, 0.0 };
	size_t i;

	for (i = 0; i < n; i++)
		ksum_add(&k, x[i]);
	return k.sum + k.comp;
}

double stats_mean(const double *x, size_t n)
{
	if (n == 0)
		return 0.0;
	return neumaier_sum(x, n) / (double)n;
}

/*
 * Corrected two-pass algorithm (Chan, Golub and LeVeque 1983, "Algorithms
 * for computing the sample variance", The American Statistician 37(3),
 * 242-247): S = sum (x - m)^2 - (sum (x - m))^2 / n. The second term
 * removes, to first order, the error of the computed mean m. Both sums are
 * compensated. Mathematically S >= 0; a rounding residue below 0 is 0.
 */
double stats_sd(const double *x, size_t n, double mean)
{
	struct ksum ss = { 0.0, 0.0 }, dsum = { 0.0, 0.0 };
	double d, s;
	size_t i;

	if (n < 2)
		return 0.0;
	for (i = 0; i < n; i++) {
		d = x[i] - mean;
		ksum_add(&dsum, d);
		ksum_add(&ss, d * d);
	}
	d = dsum.sum + dsum.comp;
	s = (ss.sum + ss.comp) - d * d / (double)n;
	if (!(s > 0.0))
		return 0.0;
	return sqrt(s / (double)(n - 1));
}

/*
 * t with P(|T| <= t) = level for Student's t with df degrees of freedom:
 * the (1 + level) / 2 quantile. NaN when the arguments are out of range
 * (callers check isfinite).
 */
double stats_t_quantile(double level, double df)
{
	double t;

	if (!(level > 0.0 && level < 1.0) || !(df > 0.0))
		return NAN;
	t = gsl_cdf_tdist_Pinv(0.5 + level / 2.0, df);
	return isfinite(t) ? t : NAN;
}

/* MAD == 0: more than half the values are equal; the rule would flag
 * every other value, so it flags nothing. */
static int is_outlier(double x, double median, double mad)
{
	return mad > 0.0 && fabs(x - median) > OUTLIER_Z * MAD_TO_SD * mad;
}

size_t stats_outliers(const double *x, size_t n, double median, double mad,
		      unsigned char *flags)
{
	size_t i, count = 0;

	for (i = 0; i < n; i++) {
		flags[i] = (unsigned char)is_outlier(x[i], median, mad);
		count += flags[i];
	}
	return count;
}

static size_t count_outliers(const double *x, size_t n, double median,
			     double mad)
{
	size_t i, count = 0;

	for (i = 0; i < n; i++)
		count += (size_t)is_outlier(x[i], median, mad);
	return count;
}

/*
 * Sorting is most of analyze's time on large files, so it is not GSL's
 * heapsort: an LSD radix sort on the IEEE-754 bit patterns, mapped so that
 * unsigned order is numeric order (flip every bit of a negative number,
 * only the sign bit of a positive one; Knuth TAOCP 5.2.5, the key mapping
 * of Terdiman's "Radix Sort Revisited"), most significant bits first
 * (sort_keys): linear, and faster than gsl_sort by far on 5000 values.
 * -0.0 sorts
 * before +0.0, which compare equal, so no statistic changes. Short arrays
 * keep gsl_sort: the 8 x 256 counters would dominate.
 */
#define RADIX_MIN_N 256

static uint64_t sort_key(double d)
{
	uint64_t u;

	memcpy(&u, &d, sizeof(u));
	return (u >> 63) ? ~u : u | UINT64_C(0x8000000000000000);
}

static double sort_unkey(uint64_t k)
{
	uint64_t u = (k >> 63) ? k & ~UINT64_C(0x8000000000000000) : ~k;
	double d;

	memcpy(&d, &u, sizeof(d));
	return d;
}

/* Sort keys[0..n-1]: LSD passes of one byte, skipping a byte that every
 * key shares; tmp holds n keys. */
static void radix_keys(uint64_t *keys, size_t n, uint64_t *tmp)
{
	uint64_t *in = keys;
	size_t i, count[257];
	unsigned shift;

	for (shift = 0; shift < 64; shift += 8) {
		uint64_t *swap;

		memset(count, 0, sizeof(count));
		for (i = 0; i < n; i++)
			count[((keys[i] >> shift) & 0xff) + 1]++;
		if (count[((keys[0] >> shift) & 0xff) + 1] == n)
			continue;	/* every key shares this byte */
		for (i = 0; i < 256; i++)
			count[i + 1] += count[i];
		for (i = 0; i < n; i++)
			tmp[count[(keys[i] >> shift) & 0xff]++] = keys[i];
		swap = keys;
		keys = tmp;
		tmp = swap;
	}
	if (keys != in)
		memcpy(in, keys, n * sizeof(*keys));
}

static void insertion_keys(uint64_t *k, size_t n)
{
	size_t i, j;

	for (i = 1; i < n; i++) {
		uint64_t v = k[i];

		for (j = i; j > 0 && k[j - 1] > v; j--)
			k[j] = k[j - 1];
		k[j] = v;
	}
}

/*
 * Sort keys[0..n-1], tmp holding n: one pass into n / 2 buckets (at most
 * 2^MSD_BITS) of equal width between the smallest and the largest key
 * (the keys of a sample's values are close together), which leaves a few
 * keys a bucket for an insertion sort, and a bucket of more than
 * MSD_SMALL (values in tight clusters) to the LSD passes. Four passes over
 * the keys instead of up to sixteen.
 */
#define MSD_BITS 11	/* at most: 2048 buckets */
#define MSD_SMALL 32

static void sort_keys(uint64_t *keys, size_t n, uint64_t *tmp)
{
	size_t count[(1u << MSD_BITS) + 1], i, at, n_buckets;
	uint64_t lo = keys[0], hi = keys[0];
	int shift = 0, bits = 1;

	for (i = 1; i < n; i++) {
		lo = keys[i] < lo ? keys[i] : lo;
		hi = keys[i] > hi ? keys[i] : hi;
	}
	if (lo == hi)
		return;
	/* About two keys a bucket: bits = log2(n) - 1, at most MSD_BITS. */
	while (bits < MSD_BITS && (size_t)4 << bits <= n)
		bits++;
	while (((hi - lo) >> shift) >> bits)
		shift++;
	n_buckets = (size_t)((hi - lo) >> shift) + 1;
	memset(count, 0, (n_buckets + 1) * sizeof(*count));
	for (i = 0; i < n; i++)
		count[((keys[i] - lo) >> shift) + 1]++;
	for (i = 0; i < n_buckets; i++)
		count[i + 1] += count[i];
	for (i = 0; i < n; i++)
		tmp[count[(keys[i] - lo) >> shift]++] = keys[i];
	/* count[b] is now the end of bucket b */
	for (i = 0, at = 0; i < n_buckets; i++) {
		size_t size = count[i] - at;

		if (size > MSD_SMALL)
			radix_keys(tmp + at, size, keys + at);
		else if (size > 1)
			insertion_keys(tmp + at, size);
		at = count[i];
	}
	memcpy(keys, tmp, n * sizeof(*keys));
}

/* Sort x[0..n-1] ascending; keys and tmp hold n values each. */
static void radix_sort(double *x, size_t n, uint64_t *keys, uint64_t *tmp)
{
	size_t i;

	for (i = 0; i < n; i++)
		keys[i] = sort_key(x[i]);
	sort_keys(keys, n, tmp);
	for (i = 0; i < n; i++)
		x[i] = sort_unkey(keys[i]);
}

/*
 * The n / 2 + 1 smallest of |sorted[i] - m| in ascending order into dev
 * (all a median of the n deviations reads), in O(n): the deviations fall
 * to the left of m and rise to its right, so the two runs merge. The
 * merge picks a side without a branch: which side is smaller is as good
 * as random, and a mispredicted branch per value was the merge's cost.
 */
static void sorted_abs_dev(const double *sorted, size_t n, double m,
			   double *dev)
{
	size_t right = 0, k;
	size_t left;

	while (right < n && sorted[right] < m)
		right++;
	left = right;		/* sorted[0..left-1] < m <= sorted[right..] */
	for (k = 0; k <= n / 2; k++) {
		double dl = left > 0 ? m - sorted[left - 1] : INFINITY;
		double dr = right < n ? sorted[right] - m : INFINITY;
		size_t is_left = dl <= dr;

		dev[k] = dr < dl ? dr : dl;	/* minsd, no branch */
		left -= is_left;
		right += 1 - is_left;
	}
}

/*
 * Order statistics of x: min, max, median, quartiles (GSL's
 * gsl_stats_quantile_from_sorted_data is Hyndman and Fan's type 7, the
 * default of R and numpy) and the unscaled MAD. work holds 4n doubles.
 */
static void order_stats(const double *x, size_t n, double *work,
			struct summary *out)
{
	double *sorted = work, *dev = work + n;

	memcpy(sorted, x, n * sizeof(*x));
	if (n < RADIX_MIN_N)
		gsl_sort(sorted, 1, n);
	else
		radix_sort(sorted, n, (uint64_t *)(work + 2 * n),
			   (uint64_t *)(work + 3 * n));
	out->min = sorted[0];
	out->max = sorted[n - 1];
	out->median = gsl_stats_median_from_sorted_data(sorted, 1, n);
	out->q1 = gsl_stats_quantile_from_sorted_data(sorted, 1, n, 0.25);
	out->q3 = gsl_stats_quantile_from_sorted_data(sorted, 1, n, 0.75);
	sorted_abs_dev(sorted, n, out->median, dev);
	out->mad = gsl_stats_median_from_sorted_data(dev, 1, n);
}

/* Student-t interval mean +- t * sd / sqrt(n); collapses to the mean when
 * sd == 0 (no 0 * inf, no NaN). Returns -1 if GSL fails. */
static int mean_ci(struct summary *s)
{
	double t, half;

	s->ci_lo = s->ci_hi = s->mean;
	s->has_ci = s->n >= 2;
	if (!s->has_ci || s->sd == 0.0)
		return 0;
	t = stats_t_quantile(s->level, (double)(s->n - 1));
	if (!isfinite(t))
		return -1;
	half = t * s->sem;
	s->ci_lo = s->mean - half;
	s->ci_hi = s->mean + half;
	return 0;
}

int stats_summarize(const double *x, size_t n, double level,
		    struct summary *out)
{
	double *work = NULL;
	size_t cap = 0;
	int rc = stats_summarize_with(x, n, level, out, &work, &cap);

	free(work);
	return rc;
}

int stats_summarize_with(const double *x, size_t n, double level,
			 struct summary *out, double **work, size_t *work_cap)
{
	size_t i;

	memset(out, 0, sizeof(*out));
	if (n == 0 || !(level > 0.0 && level < 1.0))
		return -1;
	for (i = 0; i < n; i++)
		if (!isfinite(x[i]))
			return -1;
	out->n = n;
	out->level = level;
	out->mean = stats_mean(x, n);
	out->sd = stats_sd(x, n, out->mean);
	out->sem = out->sd / sqrt((double)n);
	out->cv = out->mean != 0.0 ? out->sd / fabs(out->mean) : 0.0;
	if (*work_cap < 4 * n) {
		free(*work);
		*work = xreallocarray(NULL, n, 4 * sizeof(**work));
		*work_cap = 4 * n;
	}
	order_stats(x, n, *work, out);
	out->n_outliers = count_outliers(x, n, out->median, out->mad);
	return mean_ci(out);
}

/* Is the CI half-width t(level, n - 1) * sd / sqrt(n) at most target with
 * n runs? -1 if GSL fails. */
static int is_enough(size_t n, double sd, double level, double target)
{
	double t = stats_t_quantile(level, (double)(n - 1));

	if (!isfinite(t))
		return -1;
	return t * sd / sqrt((double)n) <= target;
}

/*
 * The half-width t(n - 1) sd / sqrt(n) strictly decreases with n, so the
 * smallest sufficient n is found by doubling then bisection. Because t > z
 * (the normal quantile), n >= (z sd / target)^2 is a valid lower bound.
 * Counts beyond 2^52 saturate at SIZE_MAX (no benchmark runs that often;
 * doubles stop counting exactly there).
 */
size_t stats_runs_needed(const struct summary *s, double rel_halfwidth)
{
	const double cap = 4503599627370496.0;	/* 2^52 */
	double target, z, lo_d;
	size_t lo, hi;
	int ok;

	if (s->n < 2 || s->mean == 0.0 || !(rel_halfwidth > 0.0) ||
	    !isfinite(rel_halfwidth) || !(s->level > 0.0 && s->level < 1.0))
		return 0;
	if (s->sd == 0.0)
		return 2;
	target = rel_halfwidth * fabs(s->mean);
	z = gsl_cdf_ugaussian_Pinv(0.5 + s->level / 2.0);
	if (!isfinite(z))
		return 0;
	lo_d = floor(z * s->sd / target * (z * s->sd / target));
	if (!(lo_d < cap))
		return SIZE_MAX;
	lo = lo_d < 2.0 ? 2 : (size_t)lo_d;
	hi = lo;
	while ((ok = is_enough(hi, s->sd, s->level, target)) == 0) {
		lo = hi + 1;
		if ((double)hi * 2.0 >= cap)
			return SIZE_MAX;
		hi *= 2;
	}
	if (ok < 0)
		return 0;
	while (lo < hi) {	/* invariant: hi is enough, lo - 1 is not */
		size_t mid = lo + (hi - lo) / 2;

		ok = is_enough(mid, s->sd, s->level, target);
		if (ok < 0)
			return 0;
		if (ok)
			hi = mid;
		else
			lo = mid + 1;
	}
	return hi;
}

/* ---- Kendall's tau, O(n log n) (Knight 1966, JASA 61, 436-439) ------- */

struct rank_pair {
	double r, x;
};

static int pair_cmp(const void *pa, const void *pb)
{
	const struct rank_pair *a = pa, *b = pb;

	if (a->r != b->r)
		return a->r < b->r ? -1 : 1;
	if (a->x != b->x)
		return a->x < b->x ? -1 : 1;
	return 0;
}

/* Sorts a[0..n-1] ascending (stable merge sort) and returns the number of
 * pairs i < j with a[i] > a[j] it had to exchange: with a sorted by run
 * (then value), those are exactly the discordant pairs. */
static uint64_t sort_count_swaps(double *a, double *tmp, size_t n)
{
	size_t h = n / 2, i = 0, j, k = 0;
	uint64_t swaps;

	if (n < 2)
		return 0;
	swaps = sort_count_swaps(a, tmp, h) +
		sort_count_swaps(a + h, tmp, n - h);
	j = h;
	while (i < h && j < n) {
		if (a[j] < a[i]) {
			tmp[k++] = a[j++];
			swaps += h - i;
		} else {
			tmp[k++] = a[i++];
		}
	}
	while (i < h)
		tmp[k++] = a[i++];
	while (j < n)
		tmp[k++] = a[j++];
	memcpy(a, tmp, n * sizeof(*a));
	return swaps;
}

/* Tie statistics of one sorted variable, named as in
 * scipy.stats.kendalltau: pairs = sum t(t-1)/2, v0 = sum t(t-1)(t-2),
 * v1 = sum t(t-1)(2t+5), over the tied groups of size t. */
struct ties {
	double pairs, v0, v1;
};

static void add_tie(struct ties *tie, double t)
{
	tie->pairs += t * (t - 1.0) / 2.0;
	tie->v0 += t * (t - 1.0) * (t - 2.0);
	tie->v1 += t * (t - 1.0) * (2.0 * t + 5.0);
}

static void count_ties(const double *sorted, size_t n, struct ties *tie)
{
	size_t i = 0, j;

	memset(tie, 0, sizeof(*tie));
	while (i < n) {
		for (j = i + 1; j < n && sorted[j] == sorted[i]; j++)
			;
		add_tie(tie, (double)(j - i));
		i = j;
	}
}

/* Pairs tied in both run and value; p is sorted by (run, value). */
static double joint_tie_pairs(const struct rank_pair *p, size_t n)
{
	double pairs = 0.0, t;
	size_t i = 0, j;

	while (i < n) {
		for (j = i + 1; j < n && pair_cmp(&p[i], &p[j]) == 0; j++)
			;
		t = (double)(j - i);
		pairs += t * (t - 1.0) / 2.0;
		i = j;
	}
	return pairs;
}

/*
 * z statistic of S = concordant - discordant: Var(S) with ties is
 * Kendall (1970), "Rank Correlation Methods", 4th ed., ch. 4, as in
 * scipy.stats.kendalltau(method='asymptotic') (scipy 1.10
 * _stats_py.py): ((m (2n + 5) - xv1 - yv1) / 18 + 2 xpairs ypairs / m
 * + xv0 yv0 / (9 m (n - 2))) with m = n (n - 1).
 */
static double kendall_z(double s, size_t n, const struct ties *tr,
			const struct ties *tx)
{
	double nd = (double)n, m = nd * (nd - 1.0), var;

	var = (m * (2.0 * nd + 5.0) - tr->v1 - tx->v1) / 18.0 +
	      2.0 * tr->pairs * tx->pairs / m +
	      tr->v0 * tx->v0 / (9.0 * m * (nd - 2.0));
	return s / sqrt(var);
}

/*
 * Kendall's tau-b between runs and x. When every run or every value is
 * the same there is no order to correlate: tau = 0 and p = 1 (scipy
 * returns NaN there; a NaN would leak into reports).
 */
int stats_trend(const double *runs, const double *x, size_t n,
		double *tau, double *p)
{
	struct rank_pair *pr;
	struct ties tr, tx;
	double *xs, *tmp, tot, joint, s;
	uint64_t discordant;
	size_t i;

	*tau = 0.0;
	*p = 1.0;
	if (n < 4)
		return -1;
	pr = xreallocarray(NULL, n, sizeof(*pr));
	xs = xreallocarray(NULL, n, 2 * sizeof(*xs));
	tmp = xs + n;
	for (i = 0; i < n; i++) {
		pr[i].r = runs[i];
		pr[i].x = x[i];
	}
	qsort(pr, n, sizeof(*pr), pair_cmp);
	for (i = 0; i < n; i++) {
		xs[i] = pr[i].r;
		tmp[i] = pr[i].x;
	}
	count_ties(xs, n, &tr);
	joint = joint_tie_pairs(pr, n);
	memcpy(xs, tmp, n * sizeof(*xs));
	discordant = sort_count_swaps(xs, tmp, n);
	count_ties(xs, n, &tx);
	free(pr);
	free(xs);
	tot = (double)n * ((double)n - 1.0) / 2.0;
	if (tr.pairs == tot || tx.pairs == tot)
		return 0;
	s = tot - tr.pairs - tx.pairs + joint - 2.0 * (double)discordant;
	*tau = s / sqrt(tot - tr.pairs) / sqrt(tot - tx.pairs);
	*tau = fmin(1.0, fmax(-1.0, *tau));
	*p = 2.0 * gsl_cdf_ugaussian_Q(fabs(kendall_z(s, n, &tr, &tx)));
	if (!isfinite(*p))
		*p = 1.0;
	*p = fmin(1.0, *p);
	return 0;
}

/* ---- two clusters, for explain's bimodality check ------------------- */

/*
 * Sarle's bimodality coefficient (SAS/STAT User's Guide, PROC CLUSTER):
 * (G1^2 + 1) / (G2 + 3 (n-1)^2 / ((n-2)(n-3))), with G1 and G2 the
 * bias-corrected skewness and excess kurtosis of SAS and SPSS (Joanes and
 * Gill 1998, The Statistician 47:183; scipy's skew and kurtosis with
 * bias=False). GSL divides the third and fourth central moments by the
 * n - 1 sample sd (gsl_stats_skew, gsl_stats_kurtosis in the GSL manual),
 * so its values are first scaled back to the moment ratios g1 = m3/m2^1.5
 * and g2 = m4/m2^2 - 3. Needs n >= 4 and values not all equal.
 */
double stats_bimodality_coefficient(const double *x, size_t n)
{
	double nn = (double)n, r = nn / (nn - 1);
	double g1 = gsl_stats_skew(x, 1, n) * pow(r, 1.5);
	double g2 = (gsl_stats_kurtosis(x, 1, n) + 3) * r * r - 3;
	double G1 = g1 * sqrt(nn * (nn - 1)) / (nn - 2);
	double c = (nn - 1) / ((nn - 2) * (nn - 3));
	double G2 = c * ((nn + 1) * g2 + 6);

	return (G1 * G1 + 1) / (G2 + 3 * (nn - 1) * c);
}

/* Welford's running mean and sum of squared deviations (Knuth, TAOCP 2,
 * 4.2.2): accurate where sums of squares would cancel. */
struct welford {
	size_t n;
	double mean, m2;
};

static void welford_add(struct welford *w, double x)
{
	double d = x - w->mean;

	w->n++;
	w->mean += d / (double)w->n;
	w->m2 += d * (x - w->mean);
}

/*
 * Where sorted x[0..n-1] splits into x[0..k-1] and x[k..n-1] with the
 * least within-cluster sum of squares, both sides at least min long
 * (2 <= 2 * min <= n). In one dimension the best two clusters are
 * contiguous in sorted order (Fisher 1958, JASA 53:789), so trying every
 * k is exact. m2_right (n doubles) is scratch.
 */
size_t stats_best_split(const double *x, size_t n, size_t min,
			double *m2_right)
{
	struct welford w = { 0, 0.0, 0.0 };
	double best = INFINITY;
	size_t k, at = min;

	for (k = n; k-- > 0;) {
		welford_add(&w, x[k]);
		m2_right[k] = w.m2;
	}
	w = (struct welford){ 0, 0.0, 0.0 };
	for (k = 0; k + min <= n; k++) {
		if (k >= min && w.m2 + m2_right[k] < best) {
			best = w.m2 + m2_right[k];
			at = k;
		}
		welford_add(&w, x[k]);
	}
	return at;
}
