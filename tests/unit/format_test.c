/*
 * format: escaping and edge cases the end-to-end goldens do not reach,
 * on a report built by hand (no loader). Expected strings are written out
 * by hand from RFC 4180 (CSV quoting), the LaTeX special characters and
 * GitHub-flavoured markdown's backslash escapes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "format.h"
#include "stats.h"

static char *key_cols[] = { "platform", "benchmark", "metric", "config" };
static const char *const key_a[] = { "native", "bench", "m", "a,b \"q\"" };
static const char *const key_b[] = {
	"uni_k", "bench", "m", "50% {x} ~y^ $z #1 \\p & a|b <d>"
};

struct fixture {
	double va[3], vb[3];
	struct group groups[2];
	struct source source;
	struct dataset ds;
	struct summary sums[2];
	struct comparison cmp;
	struct report r;
};

static void fixture_init(struct fixture *fx)
{
	const double a[] = { 1.0, 2.0, 3.0 }, b[] = { 2.0, 4.0, 6.0 };
	size_t i;

	memset(fx, 0, sizeof(*fx));
	memcpy(fx->va, a, sizeof(a));
	memcpy(fx->vb, b, sizeof(b));
	for (i = 0; i < 2; i++) {
		fx->groups[i].key = (const char **)(i ? key_b : key_a);
		fx->groups[i].unit = "s";
		fx->groups[i].better = BETTER_LOWER;
		fx->groups[i].values = i ? fx->vb : fx->va;
		fx->groups[i].n = 3;
		assert_int_equal(stats_summarize(fx->groups[i].values, 3, 0.95,
						 &fx->sums[i]), 0);
	}
	fx->source.path = "t.csv";
	fx->source.n_rows = 6;
	fx->ds.key_cols = key_cols;
	fx->ds.n_key_cols = 4;
	fx->ds.factor_index = 0;
	fx->ds.groups = fx->groups;
	fx->ds.n_groups = 2;
	fx->ds.sources = &fx->source;
	fx->ds.n_sources = 1;
	fx->ds.n_rows = 6;
	fx->cmp.baseline = 0;
	fx->cmp.other = 1;
	fx->cmp.ratio.ratio = 2.0;
	fx->r.ds = &fx->ds;
	fx->r.sums = fx->sums;
	fx->r.cmps = &fx->cmp;
	fx->r.n_cmps = 1;
	fx->r.level = 0.95;
}

/* The report in kind as a string (caller frees). */
static char *render(const struct report *r, enum fmt_kind kind,
		    int is_comparisons)
{
	struct fmt_options o = { kind, is_comparisons, 0, "0.0.0" };
	struct diag err;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(fmt_write(f, r, &o, &err), 0);
	assert_int_equal(fclose(f), 0);
	return buf;
}

static void test_format_csv_quotes_fields(void **state)
{
	struct fixture fx;
	char *out;

	(void)state;
	fixture_init(&fx);
	out = render(&fx.r, FMT_CSV, 0);
	/* RFC 4180 2.6 and 2.7: quote the field, double the quote */
	assert_non_null(strstr(out, "\nnative,bench,m,\"a,b \"\"q\"\"\",s,"
			       "lower,3,2,1,"));
	free(out);
	out = render(&fx.r, FMT_CSV, 1);
	/* no comma, quote or line end: written as is */
	assert_non_null(strstr(out, "\nuni_k,bench,m,50% {x} ~y^ $z #1 "
			       "\\p & a|b <d>,native,2,"));
	free(out);
}

static void test_format_tex_escapes_specials(void **state)
{
	struct fixture fx;
	char *out;

	(void)state;
	fixture_init(&fx);
	out = render(&fx.r, FMT_TEX, 0);
	assert_non_null(strstr(out, "uni\\_k & 50\\% \\{x\\} "
			       "\\textasciitilde{}y\\textasciicircum{} \\$z "
			       "\\#1 \\textbackslash{}p \\& a\\textbar{}b "
			       "\\textless{}d\\textgreater{} & 3 & 4.000 & "
			       "$\\pm$5.0 & "));
	assert_non_null(strstr(out, "\\begin{tabular}{llrrrrrrrrr}\n"
			       "\\toprule\n"));
	free(out);
}

static void test_format_md_escapes_pipes(void **state)
{
	struct fixture fx;
	char *out;

	(void)state;
	fixture_init(&fx);
	out = render(&fx.r, FMT_MD, 0);
	assert_non_null(strstr(out, "| uni_k | 50% {x} ~y^ $z #1 \\\\p & "
			       "a\\|b \\<d> | 3 | 4.000 | "));
	free(out);
}

/* A ratio to a zero baseline mean is NaN: "undefined", JSON null, an
 * empty CSV cell; never "nan". */
static void test_format_nan_ratio_is_undefined(void **state)
{
	struct fixture fx;
	char *out;

	(void)state;
	fixture_init(&fx);
	fx.cmp.ratio.ratio = NAN;
	out = render(&fx.r, FMT_TEXT, 0);
	assert_non_null(strstr(out, "  undefined  "));
	assert_null(strstr(out, "nan"));
	free(out);
	out = render(&fx.r, FMT_JSON, 0);
	assert_non_null(strstr(out, "\"ratio\": null,"));
	free(out);
	out = render(&fx.r, FMT_CSV, 1);
	assert_non_null(strstr(out, ",native,,"));
	free(out);
}

/* sd of {1, 2, 3} is 1 (hand): half-width t(0.975, 2) / sqrt(3) =
 * 4.302653 / 1.732051 = 2.484 -> "±2.5" at 2 significant digits. */
static void test_format_text_rounds_ci(void **state)
{
	struct fixture fx;
	char *out;

	(void)state;
	fixture_init(&fx);
	out = render(&fx.r, FMT_TEXT, 0);
	assert_non_null(strstr(out, "\xc2\xb1" "2.5  "));
	assert_non_null(strstr(out, "common: benchmark bench, metric m, "
			       "unit s\n"));
	free(out);
}

static void test_format_group_label_skips(void **state)
{
	struct fixture fx;
	const char *key[] = { "native", "bench", "m", "" };
	char buf[64];

	(void)state;
	fixture_init(&fx);
	fx.groups[0].key = key;
	fmt_group_label(&fx.ds, &fx.groups[0], (size_t)-1, buf, sizeof(buf));
	assert_string_equal(buf, "native / bench / m");
	fmt_group_label(&fx.ds, &fx.groups[0], 0, buf, sizeof(buf));
	assert_string_equal(buf, "bench / m");
	fmt_group_label(&fx.ds, &fx.groups[0], (size_t)-1, buf, 8);
	assert_string_equal(buf, "native ");
}

/* A write that fails (a full device) is STATUS_RUNTIME, not success. */
static void test_format_write_error_is_runtime(void **state)
{
	struct fixture fx;
	struct fmt_options o = { FMT_TEXT, 0, 0, "0.0.0" };
	struct diag err;
	FILE *f = fopen("/dev/full", "w");

	(void)state;
	if (!f)
		skip();
	fixture_init(&fx);
	assert_int_equal(fmt_write(f, &fx.r, &o, &err), STATUS_RUNTIME);
	assert_non_null(strstr(err.msg, "cannot write the report"));
	fclose(f);
}

/* splitmix64, for reproducible doubles of every exponent. */
static uint64_t next_bits(uint64_t *state)
{
	uint64_t z = (*state += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

static void expect_jansson_number(double x)
{
	char mine[40], *theirs;
	json_t *j = json_real(x);

	assert_non_null(j);
	theirs = json_dumps(j, JSON_ENCODE_ANY);
	assert_non_null(theirs);
	assert_true(fmt_json_number(mine, sizeof(mine), x) ==
		    (int)strlen(mine));
	assert_string_equal(mine, theirs);
	free(theirs);
	json_decref(j);
}

/* The streaming JSON writer spells every number as jansson spells a real
 * (the reference: jansson's own json_dumps): edge cases, then random bit
 * patterns over every exponent and random short decimals. */
static void test_format_json_number_is_janssons(void **state)
{
	static const double edge[] = {
		0.0, -0.0, 1.0, -1.0, 0.95, 0.1, 1e22, 1e21, 1e17, 1e16,
		123456789012345678.0, 1e-4, 1e-5, 0.00012, 1e-300, 1e300,
		5e-324, 2.2250738585072014e-308, 1.7976931348623157e308,
		1e100, 1e-100, 3.0e-7, 12.5, 1e7, 100.0
	};
	uint64_t st = 1, bits;
	size_t i;
	double x;

	(void)state;
	for (i = 0; i < sizeof(edge) / sizeof(edge[0]); i++)
		expect_jansson_number(edge[i]);
	for (i = 0; i < 20000; i++) {
		bits = next_bits(&st);
		memcpy(&x, &bits, sizeof(x));
		if (isfinite(x))
			expect_jansson_number(x);
		expect_jansson_number((double)(next_bits(&st) % 1000000) /
				      pow(10, (double)(next_bits(&st) % 9)));
	}
}

/* The JSON report has the very layout jansson gives the same document:
 * parsed by jansson and dumped again with JSON_INDENT(2), it is byte for
 * byte the same; strings with quotes, backslashes, control characters and
 * UTF-8 come back as they were. */
static void test_format_json_is_janssons_layout(void **state)
{
	static const char *const key_c[] = {
		"t\tab\t", "q\"uote\\", "ctl\x01\x1f/\x7f", "caf\xc3\xa9"
	};
	struct fixture fx;
	json_error_t je;
	json_t *doc, *key;
	char *out, *again;
	size_t k;

	(void)state;
	fixture_init(&fx);
	fx.groups[1].key = (const char **)key_c;
	out = render(&fx.r, FMT_JSON, 0);
	doc = json_loads(out, 0, &je);
	assert_non_null(doc);
	again = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	assert_non_null(again);
	assert_int_equal(strlen(out), strlen(again) + 1);	/* + '\n' */
	assert_memory_equal(out, again, strlen(again));
	key = json_object_get(json_array_get(json_object_get(doc, "groups"),
					     1), "key");
	for (k = 0; k < 4; k++)
		assert_string_equal(json_string_value(json_object_get(key,
					key_cols[k])), key_c[k]);
	free(again);
	json_decref(doc);
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format_csv_quotes_fields),
		cmocka_unit_test(test_format_tex_escapes_specials),
		cmocka_unit_test(test_format_md_escapes_pipes),
		cmocka_unit_test(test_format_nan_ratio_is_undefined),
		cmocka_unit_test(test_format_text_rounds_ci),
		cmocka_unit_test(test_format_group_label_skips),
		cmocka_unit_test(test_format_write_error_is_runtime),
		cmocka_unit_test(test_format_json_number_is_janssons),
		cmocka_unit_test(test_format_json_is_janssons_layout),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
