/*
 * explain: the two-cluster test (explain_bimodal) against an independent
 * computation, and the folding of repeated findings for readers
 * (explain_fold) on a report built by hand (no loader).
 *
 * Reference values: scipy 1.10.1 / numpy 1.24.2 (Debian 12,
 * /usr/bin/python3). For a sorted sample x of n runs:
 *   g = scipy.stats.skew(x, bias=False)
 *   k = scipy.stats.kurtosis(x, bias=False)
 *   bc = (g*g + 1) / (k + 3*(n-1)**2 / ((n-2)*(n-3)))
 * the split i minimizing ((L-L.mean())**2).sum() + ((R-R.mean())**2).sum()
 * over L = x[:i], R = x[i:], max(3, ceil(0.2 n)) <= i <= n - that, and
 *   D = sqrt(2) * (R.mean() - L.mean()) / sqrt(L.std(ddof=1)**2
 *                                             + R.std(ddof=1)**2)
 * written as a plain loop in Python, not from the code under test.
 * Expected sentences are written out by hand from the wording in
 * explain.c's header comment and explain.h.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "explain.h"

/* ---- explain_bimodal ------------------------------------------------- */

/* 12 boots near 40 ms and 14 near 80 ms, shuffled (numpy
 * default_rng(2026): normal(40, 1.2) and normal(80, 2), rounded to 0.1);
 * also tests/data/explain-bimodal.csv, platform 'twomode'. */
static const double two_modes[] = {
	79.0, 80.3, 40.9, 81.1, 79.8, 83.6, 79.5, 79.7, 78.8, 79.9, 39.7,
	79.7, 39.6, 79.2, 41.7, 39.0, 40.6, 40.4, 77.3, 40.8, 40.3, 39.6,
	39.7, 81.3, 37.7, 81.3
};

static void test_explain_bimodal_two_clusters(void **state)
{
	struct explain_bimodal b;

	(void)state;
	assert_int_equal(explain_bimodal(two_modes, N_OF(two_modes), &b), 1);
	assert_rel(b.bc, 0.8073031524608862, 1e-12, "bc");
	assert_rel(b.d, 31.37072307806387, 1e-12, "D");
	assert_int_equal(b.n_low, 12);
	assert_int_equal(b.n_high, 14);
	assert_rel(b.mean_low, 40.0, 1e-13, "mean_low");
	assert_rel(b.mean_high, 80.03571428571426, 1e-13, "mean_high");
	assert_rel(b.gap, 35.6, 1e-12, "gap");
	assert_rel(b.resolution, 0.1, 1e-9, "resolution");
}

/* The input is read, never sorted in place. */
static void test_explain_bimodal_leaves_input(void **state)
{
	double x[N_OF(two_modes)];
	struct explain_bimodal b;

	(void)state;
	memcpy(x, two_modes, sizeof(x));
	explain_bimodal(x, N_OF(x), &b);
	assert_memory_equal(x, two_modes, sizeof(x));
}

/* numpy default_rng(2026) after the above: normal(60, 3), rounded to
 * 0.1. Best split 15 | 11 with D 3.167 (below 5); BC 0.484. */
static void test_explain_bimodal_normal_is_not(void **state)
{
	static const double x[] = {
		57.5, 64.3, 61.8, 62.2, 66.6, 57.6, 67.7, 69.5, 64.9, 62.5,
		58.0, 63.0, 58.7, 59.9, 59.1, 60.9, 63.9, 58.3, 57.0, 57.0,
		57.1, 55.7, 57.3, 63.9, 58.2, 60.8
	};
	struct explain_bimodal b;

	(void)state;
	assert_int_equal(explain_bimodal(x, N_OF(x), &b), 0);
	assert_rel(b.bc, 0.48414156784716106, 1e-12, "bc");
	assert_rel(b.d, 3.167123236215938, 1e-12, "D");
	assert_int_equal(b.n_low, 15);
}

/*
 * A skewed right tail is not a second mode: firecracker's vmm_ms in
 * datasets/eurosys21-fig10-boot.csv, 24 boots near 1.45 ms and 2 slow
 * ones (4.8, 5.2). BC is 0.899, far above 5/9, but the 20% split puts 6
 * runs on the right and D is only 1.06.
 */
static void test_explain_bimodal_skewed_tail_is_not(void **state)
{
	static const double x[] = {
		5.226, 1.814, 1.576, 1.596, 1.425, 1.398, 1.474, 1.426, 1.498,
		1.467, 1.426, 1.412, 1.498, 1.575, 1.505, 1.482, 1.494, 1.363,
		1.495, 1.451, 1.438, 1.352, 1.478, 4.788, 1.517, 1.399
	};
	struct explain_bimodal b;

	(void)state;
	assert_int_equal(explain_bimodal(x, N_OF(x), &b), 0);
	assert_rel(b.bc, 0.8992591665098353, 1e-12, "bc");
	assert_rel(b.d, 1.0625107432609235, 1e-12, "D");
	assert_int_equal(b.n_low, 20);
	assert_int_equal(b.n_high, 6);
}

/*
 * Ten runs, five near 40 and five near 80 (numpy default_rng(2026), as
 * above): BC 0.5536 is just below 5/9, as the small-sample correction
 * holds balanced halves of 10 runs; D 23.8 > 8 decides alone.
 */
static void test_explain_bimodal_ten_runs_by_d_alone(void **state)
{
	static const double x[] = {
		37.9, 42.7, 79.7, 78.8, 80.9, 40.2, 82.2, 39.2, 38.5, 78.7
	};
	struct explain_bimodal b;

	(void)state;
	assert_int_equal(explain_bimodal(x, N_OF(x), &b), 1);
	assert_rel(b.bc, 0.553622843636623, 1e-12, "bc");
	assert_true(b.bc < EXPLAIN_BIMODAL_BC);
	assert_rel(b.d, 23.786488031058383, 1e-12, "D");
	assert_int_equal(b.n_low, 5);
	assert_rel(b.mean_high, 80.06, 1e-13, "mean_high");
}

/* Nine runs are too few to say anything: 0, and *out left alone. */
static void test_explain_bimodal_needs_ten_runs(void **state)
{
	static const double x[] = {
		37.9, 42.7, 79.7, 78.8, 80.9, 40.2, 82.2, 39.2, 38.5
	};
	struct explain_bimodal b;

	(void)state;
	b.n_low = 12345;
	assert_int_equal(explain_bimodal(x, N_OF(x), &b), 0);
	assert_int_equal(b.n_low, 12345);
}

static void test_explain_bimodal_constant_is_not(void **state)
{
	double x[12];
	struct explain_bimodal b;
	size_t i;

	(void)state;
	for (i = 0; i < N_OF(x); i++)
		x[i] = 7.25;
	assert_int_equal(explain_bimodal(x, N_OF(x), &b), 0);
}

/*
 * Whole milliseconds: six boots of 10 ms and six of 11 ms are one value
 * rounded, not two modes. D is infinite (no spread in either cluster),
 * BC 0.629 and the clusters 9.5% apart, so only the resolution rule
 * (gap 1 = one step) keeps it quiet.
 */
static void test_explain_bimodal_rounding_is_not(void **state)
{
	static const double x[] = {
		10, 11, 10, 11, 10, 11, 10, 11, 10, 11, 10, 11
	};
	struct explain_bimodal b;

	(void)state;
	assert_int_equal(explain_bimodal(x, N_OF(x), &b), 0);
	assert_rel(b.bc, 0.6293706293706295, 1e-12, "bc");
	assert_true(isinf(b.d));
	assert_rel(b.gap, 1.0, 0, "gap");
	assert_rel(b.resolution, 1.0, 0, "resolution");
}

/* Two tight clusters only 0.5% apart: D 35.4, BC 0.623, but the mean
 * still describes both within the 5% rule. */
static void test_explain_bimodal_close_modes_are_not(void **state)
{
	static const double x[] = {
		100.00, 100.01, 99.99, 100.02, 99.98, 100.00,
		100.50, 100.51, 100.49, 100.52, 100.48, 100.50
	};
	struct explain_bimodal b;

	(void)state;
	assert_int_equal(explain_bimodal(x, N_OF(x), &b), 0);
	assert_rel(b.d, 35.35533905932938, 1e-9, "D");
	assert_rel(b.bc, 0.622758576870729, 1e-9, "bc");
}

/* ---- explain_fold ---------------------------------------------------- */

#define MAX_GROUPS 8

static char *key_cols[] = { "platform", "benchmark", "metric" };
static const char *const platforms[MAX_GROUPS] = {
	"native", "docker", "qemu", "kvm", "fc", "osv", "rump", "hx"
};

struct fixture {
	const char *keys[MAX_GROUPS][3];
	struct group groups[MAX_GROUPS];
	struct dataset ds;
	struct summary sums[MAX_GROUPS];
	struct finding findings[2 * MAX_GROUPS];
	struct report r;
	char out[4096];	/* the lines emitted, each ending in '\n' */
};

/* Groups platform / memsweep / seconds, one per platform, with CV
 * 0.05 + 0.01 (i + 1) and i + 1 outliers. */
static void fixture_init(struct fixture *fx, size_t n_groups)
{
	size_t i;

	memset(fx, 0, sizeof(*fx));
	for (i = 0; i < n_groups; i++) {
		fx->keys[i][0] = platforms[i];
		fx->keys[i][1] = "memsweep";
		fx->keys[i][2] = "seconds";
		fx->groups[i].key = fx->keys[i];
		fx->groups[i].unit = "s";
		fx->sums[i].cv = 0.05 + 0.01 * (double)(i + 1);
		fx->sums[i].n_outliers = i + 1;
	}
	fx->ds.key_cols = key_cols;
	fx->ds.n_key_cols = N_OF(key_cols);
	fx->ds.groups = fx->groups;
	fx->ds.n_groups = n_groups;
	fx->r.ds = &fx->ds;
	fx->r.sums = fx->sums;
	fx->r.findings = fx->findings;
	fx->r.level = 0.95;
}

static void add_finding(struct fixture *fx, enum finding_kind kind,
			size_t group)
{
	struct finding *f = &fx->findings[fx->r.n_findings++];

	f->kind = kind;
	f->group = group;
	f->comparison = (size_t)-1;
	snprintf(f->text, sizeof(f->text), "finding %d of %s", (int)kind,
		 platforms[group]);
}

static void collect(void *ctx, const char *line)
{
	struct fixture *fx = ctx;
	size_t len = strlen(fx->out);

	snprintf(fx->out + len, sizeof(fx->out) - len, "%s\n", line);
}

static void test_explain_fold_single_runs(void **state)
{
	struct fixture fx;
	size_t i;

	(void)state;
	fixture_init(&fx, 5);
	for (i = 0; i < 5; i++)
		add_finding(&fx, FINDING_SINGLE_RUN, i);
	explain_fold(&fx.r, collect, &fx);
	assert_string_equal(fx.out,
		"5 groups of memsweep / seconds have a single run (native, "
		"docker, qemu and 2 more): no confidence interval and no test "
		"are possible; repeat them to measure the noise\n");
}

/* Naming the fourth takes the room "and 1 more" would. */
static void test_explain_fold_names_one_more(void **state)
{
	struct fixture fx;
	size_t i;

	(void)state;
	fixture_init(&fx, 4);
	for (i = 0; i < 4; i++)
		add_finding(&fx, FINDING_SINGLE_RUN, i);
	explain_fold(&fx.r, collect, &fx);
	assert_string_equal(fx.out,
		"4 groups of memsweep / seconds have a single run (native, "
		"docker, qemu, kvm): no confidence interval and no test are "
		"possible; repeat them to measure the noise\n");
}

/* Three single runs, five high CVs: at the limits, each keeps its own
 * line, in order. */
static void test_explain_fold_keeps_few(void **state)
{
	struct fixture fx;
	size_t i;

	(void)state;
	fixture_init(&fx, 5);
	for (i = 0; i < 3; i++)
		add_finding(&fx, FINDING_SINGLE_RUN, i);
	for (i = 0; i < 5; i++)
		add_finding(&fx, FINDING_HIGH_CV, i);
	explain_fold(&fx.r, collect, &fx);
	assert_string_equal(fx.out,
		"finding 6 of native\nfinding 6 of docker\nfinding 6 of qemu\n"
		"finding 1 of native\nfinding 1 of docker\nfinding 1 of qemu\n"
		"finding 1 of kvm\nfinding 1 of fc\n");
}

/*
 * Six high CVs and six outlier counts among other findings: each kind
 * becomes one line where its first finding was, listing every group with
 * its number; the others keep their place. Columns that differ between
 * the groups (platform only) name them; the rest is said once.
 */
static void test_explain_fold_lists_numbers(void **state)
{
	struct fixture fx;
	size_t i;

	(void)state;
	fixture_init(&fx, 6);
	for (i = 0; i < 6; i++) {
		add_finding(&fx, FINDING_HIGH_CV, i);
		if (i == 2)
			add_finding(&fx, FINDING_TREND, i);
		add_finding(&fx, FINDING_OUTLIERS, i);
	}
	explain_fold(&fx.r, collect, &fx);
	assert_string_equal(fx.out,
		"6 groups of memsweep / seconds have a CV above 5% (native 6%, "
		"docker 7%, qemu 8%, kvm 9%, fc 10%, osv 11%): the runs are "
		"noisy; look for background load, frequency scaling or runs "
		"too short to time\n"
		"6 groups of memsweep / seconds have outliers by the "
		"median/MAD rule (1 in native, 2 in docker, 3 in qemu, 4 in "
		"kvm, 5 in fc, 6 in osv): check those runs, or rerun with "
		"--drop-outliers\n"
		"finding 3 of qemu\n");
}

/* The outliers of a group whose runs form two clusters get other advice
 * (a whole mode may be flagged), so they keep their own line, after the
 * two-cluster finding, and are not counted in the folded line. */
static void test_explain_fold_bimodal_outliers_apart(void **state)
{
	struct fixture fx;
	size_t i;

	(void)state;
	fixture_init(&fx, 7);
	for (i = 0; i < 7; i++) {
		if (i == 2)
			add_finding(&fx, FINDING_BIMODAL, i);
		add_finding(&fx, FINDING_OUTLIERS, i);
	}
	explain_fold(&fx.r, collect, &fx);
	assert_string_equal(fx.out,
		"6 groups of memsweep / seconds have outliers by the "
		"median/MAD rule (1 in native, 2 in docker, 4 in kvm, 5 in fc, "
		"6 in osv, 7 in rump): check those runs, or rerun with "
		"--drop-outliers\n"
		"finding 7 of qemu\nfinding 5 of qemu\n");
}

/* When groups differ in more than one column, each is named by all the
 * columns that differ, and an empty value is left out. */
static void test_explain_fold_names_differing_columns(void **state)
{
	struct fixture fx;
	size_t i;

	(void)state;
	fixture_init(&fx, 4);
	fx.keys[1][1] = "forksum";
	fx.keys[2][2] = "";
	for (i = 0; i < 4; i++)
		add_finding(&fx, FINDING_SINGLE_RUN, i);
	explain_fold(&fx.r, collect, &fx);
	assert_string_equal(fx.out,
		"4 groups have a single run (native / memsweep / seconds, "
		"docker / forksum / seconds, qemu / memsweep, kvm / memsweep / "
		"seconds): no confidence interval and no test are possible; "
		"repeat them to measure the noise\n");
}

static void test_explain_fold_nothing(void **state)
{
	struct fixture fx;

	(void)state;
	fixture_init(&fx, 1);
	explain_fold(&fx.r, collect, &fx);
	assert_string_equal(fx.out, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_explain_bimodal_two_clusters),
		cmocka_unit_test(test_explain_bimodal_leaves_input),
		cmocka_unit_test(test_explain_bimodal_normal_is_not),
		cmocka_unit_test(test_explain_bimodal_skewed_tail_is_not),
		cmocka_unit_test(test_explain_bimodal_ten_runs_by_d_alone),
		cmocka_unit_test(test_explain_bimodal_needs_ten_runs),
		cmocka_unit_test(test_explain_bimodal_constant_is_not),
		cmocka_unit_test(test_explain_bimodal_rounding_is_not),
		cmocka_unit_test(test_explain_bimodal_close_modes_are_not),
		cmocka_unit_test(test_explain_fold_single_runs),
		cmocka_unit_test(test_explain_fold_names_one_more),
		cmocka_unit_test(test_explain_fold_keeps_few),
		cmocka_unit_test(test_explain_fold_lists_numbers),
		cmocka_unit_test(test_explain_fold_bimodal_outliers_apart),
		cmocka_unit_test(test_explain_fold_names_differing_columns),
		cmocka_unit_test(test_explain_fold_nothing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
