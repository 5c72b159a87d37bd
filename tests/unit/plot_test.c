/*
 * plot_text and plot_axis: text widths from DejaVu Sans' advances, label
 * wrapping, the gnuplot literal that can only be text, and the value
 * axis (scale chosen from the data, ticks, the symlog mapping). The
 * widths are checked against the font's own hmtx table as read by
 * scripts/font-widths.py (the advances of 'M', 'i', '0' and the space are
 * 863, 278, 636 and 318 thousandths of an em there; 'é' is 615, as 'e').
 * The figures as rendered are checked by tests/e2e/45, 48 and 49.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "plot_priv.h"

static void test_plot_text_width(void **state)
{
	(void)state;
	assert_rel(plot_text_width("M", 1000), 863, 1e-12, "M");
	assert_rel(plot_text_width("i", 1000), 278, 1e-12, "i");
	assert_rel(plot_text_width("10 0", 12), (636 * 3 + 318) * 0.012,
		   1e-12, "10 0 at 12 px");
	/* é is two bytes, one advance; a CJK character is a full em. */
	assert_rel(plot_text_width("\xc3\xa9", 1000), 615, 1e-12, "e acute");
	assert_rel(plot_text_width("\xe6\x97\xa5", 1000), 1000, 1e-12, "CJK");
	assert_rel(plot_text_px("Mi", 1, 1000), 863, 1e-12, "first byte");
}

static void test_plot_text_wrap(void **state)
{
	struct strvec l;
	double w = plot_text_width("requests=5000,", 12);

	(void)state;
	/* Breaks after commas, never more lines than allowed. */
	assert_int_equal(plot_text_wrap("requests=5000,connections=4", w, 12,
					3, &l), 0);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.v[0], "requests=5000,");
	assert_string_equal(l.v[1], "connections=4");
	plot_strvec_release(&l);
	assert_int_equal(plot_text_wrap("requests=5000,connections=4", w, 12,
					1, &l), -1);
	assert_int_equal(l.n, 0);
	/* Spaces win over the other break points, and are not kept. */
	assert_int_equal(plot_text_wrap("http req_per_s",
					plot_text_width("http req_per_", 12),
					12, 3, &l), 0);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.v[0], "http");
	assert_string_equal(l.v[1], "req_per_s");
	plot_strvec_release(&l);
	/* A word wider than the line does not fit at all. */
	assert_int_equal(plot_text_wrap("abcdefghij", 10, 12, 3, &l), -1);
	assert_int_equal(plot_text_wrap("", 10, 12, 3, &l), 0);
	assert_int_equal(l.n, 0);
}

static void test_plot_text_clean_and_cut(void **state)
{
	char *c = plot_text_clean("a\nb\tc\x01" "d");
	char *e = plot_text_ellipsis("abcdefghij", plot_text_width("abc", 12) +
				     plot_text_width("\xe2\x80\xa6", 12), 12);

	(void)state;
	assert_string_equal(c, "a b c?d");
	assert_string_equal(e, "abc\xe2\x80\xa6");
	free(c);
	free(e);
	e = plot_text_ellipsis("ab", 100, 12);
	assert_string_equal(e, "ab");
	free(e);
}

/* The literal plot_sc_text writes for s. */
static char *literal(const char *s)
{
	struct script sc = { 0 };
	struct diag err;

	sc.err = &err;
	sc.f = open_memstream(&sc.buf, &sc.len);
	assert_non_null(sc.f);
	plot_sc_text(&sc, s);
	assert_int_equal(fclose(sc.f), 0);
	assert_int_equal(sc.status, 0);
	return sc.buf;
}

static void test_plot_text_literal(void **state)
{
	char *l;

	(void)state;
	l = literal("'''b'");
	assert_string_equal(l, "\"\\0047\\0047\\0047b\\0047\"");
	free(l);
	l = literal("`touch x` @m $1 \"q\" \\");
	assert_string_equal(l, "\"\\0140touch x\\0140 \\0100m \\00441 "
			    "\\0042q\\0042 \\0134\"");
	free(l);
	l = literal("caf\xc3\xa9 (a=1, b<2)");
	assert_string_equal(l, "\"caf\xc3\xa9 (a=1, b<2)\"");
	free(l);
}

static void test_plot_axis_choose(void **state)
{
	struct extent e;
	struct axis a;

	(void)state;
	memset(&e, 0, sizeof(e));
	plot_extent_add(&e, 2);
	plot_extent_add(&e, 40);
	plot_axis_choose(&a, &e, 0);
	assert_int_equal(a.scale, AXIS_LINEAR);	/* within two decades */
	plot_extent_add(&e, 0.3);
	plot_axis_choose(&a, &e, 0);
	assert_int_equal(a.scale, AXIS_LOG10);	/* 0.3 .. 40: 133 times */
	plot_extent_add(&e, 0);
	plot_axis_choose(&a, &e, 0);
	assert_int_equal(a.scale, AXIS_SYMLOG);	/* and a zero */
	assert_rel(a.thresh, 0.1, 1e-12, "linear up to the decade of 0.3");
	/* Stacked: the shortest bar a tenth of the longest or less. */
	memset(&e, 0, sizeof(e));
	plot_extent_add(&e, 42.7);
	plot_extent_add(&e, 0.051);
	e.min_bar = 3.06;
	plot_axis_choose(&a, &e, 1);
	assert_int_equal(a.scale, AXIS_SYMLOG);
	assert_rel(a.thresh, 1, 1e-12, "EuroSys'21 fig. 10: linear to 1 ms");
	e.min_bar = 5;
	plot_axis_choose(&a, &e, 1);
	assert_int_equal(a.scale, AXIS_LINEAR);
}

static void test_plot_axis_ticks(void **state)
{
	struct axis a;
	double t;

	(void)state;
	memset(&a, 0, sizeof(a));
	a.scale = AXIS_LINEAR;
	a.lo = 0;
	a.hi = 47;
	plot_axis_ticks(&a, 220, 16);	/* >= 40 px apart: step 10 */
	assert_int_equal(a.n_ticks, 5);
	assert_string_equal(a.label[0], "0");
	assert_string_equal(a.label[4], "40");
	a.hi = 1.2;
	plot_axis_ticks(&a, 220, 16);	/* step 0.25 */
	assert_string_equal(a.label[1], "0.25");
	assert_string_equal(a.label[4], "1.00");
	a.scale = AXIS_LOG10;
	a.lo = 0.1;
	a.hi = 2e5;
	plot_axis_ticks(&a, 300, 16);	/* 10^-1 .. 10^5: powers of ten */
	assert_string_equal(a.label[0], "10\xe2\x81\xbb\xc2\xb9");
	a.lo = 1;
	a.hi = 1000;
	plot_axis_ticks(&a, 300, 16);	/* decimals, minor ticks between */
	assert_string_equal(a.label[0], "1");
	assert_string_equal(a.label[1], "");
	assert_rel(a.tick[1], 2, 1e-12, "minor tick at 2");
	a.scale = AXIS_SYMLOG;
	a.thresh = 1;
	a.lo = 0;
	a.hi = 50;
	plot_axis_ticks(&a, 300, 16);
	assert_int_equal(a.n_ticks, 3);	/* 0, 1, 10 */
	assert_rel(a.tick[2], 10, 1e-12, "10");
	for (t = -2.5; t <= 2.5; t += 0.5)
		assert_rel(plot_axis_t(&a, plot_axis_inv(&a, t)), t, 1e-12,
			   "symlog inverse");
	assert_rel(plot_axis_t(&a, 100), 3, 1e-12, "two decades past 1");
	assert_rel(plot_axis_t(&a, -0.5), -0.5, 1e-12, "linear part");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plot_text_width),
		cmocka_unit_test(test_plot_text_wrap),
		cmocka_unit_test(test_plot_text_clean_and_cut),
		cmocka_unit_test(test_plot_text_literal),
		cmocka_unit_test(test_plot_axis_choose),
		cmocka_unit_test(test_plot_axis_ticks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
