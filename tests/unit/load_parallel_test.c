/*
 * 2026-11-25 (performance): the loader's speed-ups must not change
 * a single bit of what it loads.
 *
 * - load_parse_value's fast path (Clinger's exact powers of ten) must
 *   return the double glibc's strtod returns (correctly rounded, so an
 *   independent reference) for every decimal it accepts: checked on two
 *   million random decimal strings built to sit on the fast path's edges
 *   (mantissas near 2^53, 19 and 20 significant digits, exponents near
 *   +-22, leading and trailing zeros, signs).
 * - A file read in 2, 3 or 4 parts (ANALYZE_LOAD_THREADS) must give the
 *   dataset of the serial read: groups in order, every value and run bit
 *   for bit in order, sources, counts and warnings. The file has rows
 *   without a 'run' (their run is their position in the group, which a
 *   later part only learns at the merge), quoted fields with line breaks
 *   around the cuts, bad rows under --lenient, and a second file sharing
 *   groups with the first.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "load.h"

static unsigned pick(uint64_t *state, unsigned n)
{
	return (unsigned)(next_u64(state) % n);
}

/* Digits of a mantissa: random, or the decimal digits of a number near
 * 2^53 = 9007199254740992 (the fast path's limit), or long runs. */
static size_t mantissa_digits(uint64_t *st, char *d)
{
	size_t n = 0, want;

	switch (pick(st, 4)) {
	case 0:
		n = (size_t)snprintf(d, 32, "%llu", (unsigned long long)
				     (UINT64_C(9007199254740992) - 8 +
				      pick(st, 17)));
		break;
	case 1:
		want = 18 + pick(st, 4);	/* 18..21 digits */
		for (; n < want; n++)
			d[n] = (char)('0' + (n ? pick(st, 10) : 1 + pick(st, 9)));
		break;
	default:
		want = 1 + pick(st, 17);
		for (; n < want; n++)
			d[n] = (char)('0' + pick(st, 10));
		break;
	}
	if (pick(st, 5) == 0)	/* trailing zeros */
		for (want = n + 1 + pick(st, 6); n < want; n++)
			d[n] = '0';
	d[n] = '\0';
	return n;
}

/* A random decimal in the contract's syntax: [-+]digits[.digits][e[-+]N]. */
static void random_decimal(uint64_t *st, char *buf, size_t size)
{
	char d[64];
	size_t n = mantissa_digits(st, d), o = 0, dot;
	unsigned form = pick(st, 3);

	if (pick(st, 4) == 0)
		buf[o++] = pick(st, 2) ? '-' : '+';
	if (pick(st, 6) == 0)	/* leading zeros */
		for (dot = 1 + pick(st, 3); dot > 0; dot--)
			buf[o++] = '0';
	dot = form == 0 ? n : pick(st, (unsigned)n + 1);
	memcpy(buf + o, d, dot);
	o += dot;
	if (dot < n) {
		buf[o++] = '.';
		memcpy(buf + o, d + dot, n - dot);
		o += n - dot;
	}
	if (form == 2 || pick(st, 3) == 0)
		o += (size_t)snprintf(buf + o, size - o, "e%s%d",
				      pick(st, 2) ? "-" : pick(st, 2) ? "+" : "",
				      (int)pick(st, 31));
	buf[o] = '\0';
}

static void test_load_parallel_value_matches_strtod(void **state)
{
	uint64_t st = 20261125;
	char s[128], msg[512];
	long i, n_checked = 0;

	(void)state;
	for (i = 0; i < 2000000; i++) {
		double got, want;

		random_decimal(&st, s, sizeof(s));
		want = strtod(s, NULL);
		if (load_parse_value(s, strlen(s), &got, msg, sizeof(msg))) {
			/* The only refusals of well-formed decimals: out of
			 * range, which these exponents cannot reach. */
			fail_msg("'%s' refused: %s", s, msg);
		}
		if (memcmp(&got, &want, sizeof(got)))
			fail_msg("'%s': %.17g, strtod %.17g", s, got, want);
		n_checked++;
	}
	assert_int_equal(n_checked, 2000000);
}

/* Hand-picked edges: exact powers, 2^53 and 2^53 + 1 (not a double: must
 * round to even like strtod), 22 and 23 as exponents, negative zero. */
static void test_load_parallel_value_edges(void **state)
{
	static const char *const cases[] = {
		"9007199254740992", "9007199254740993", "9007199254740993e1",
		"1e22", "1e23", "1e-22", "1e-23", "123456789e-22",
		"4.35679e22", "-0", "-0.0e5", "0.1", "0.3", "2.5e-3",
		"1234567890123456789", "12345678901234567890",
		"0.000000000000000000000001", "179769313486231570e291"
	};
	char msg[512];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		double got, want = strtod(cases[i], NULL);

		assert_int_equal(load_parse_value(cases[i], strlen(cases[i]),
						  &got, msg, sizeof(msg)), 0);
		if (memcmp(&got, &want, sizeof(got)))
			fail_msg("'%s': %.17g, strtod %.17g", cases[i], got,
				 want);
	}
}

/* ---- serial and parallel datasets ------------------------------------- */

/* Rows of 5 platforms x 4 benchmarks; every 7th row has no run (its run is
 * its position), every 1000th a bad value; quoted notes with line breaks
 * on rows near every twelfth of the rows. */
static void write_file(const char *path, long rows, uint64_t seed)
{
	static const char *const plats[] = {
		"native", "qemu-kvm", "qemu-tcg", "container", "firecracker"
	};
	static const char *const benches[] = {
		"stream", "memsweep", "forksum", "boot"
	};
	FILE *f = fopen(path, "w");
	uint64_t st = seed;
	long i;

	assert_non_null(f);
	fputs("platform,benchmark,metric,value,unit,run,note\n", f);
	for (i = 0; i < rows; i++) {
		long near = (i * 12 + rows / 2) / rows * rows / 12;
		int is_hot = labs(i - near) < 200;

		fprintf(f, "%s,%s,time,", plats[pick(&st, 5)],
			benches[pick(&st, 4)]);
		if (i % 1000 == 999)
			fputs("12ms", f);
		else
			fprintf(f, "%.17g", (double)(next_u64(&st) >> 11) /
				1e9);
		if (i % 7 == 0)
			fprintf(f, ",s,,");
		else
			fprintf(f, ",s,%ld,", i);
		fputs(is_hot ? "\"a, b\n\"\"c\"\"\"\n" : "n\n", f);
	}
	assert_int_equal(fclose(f), 0);
}

/*
 * Rows whose runs count up per group (0, 1, 2, ...), which the loader
 * keeps implicit (struct group), and the cases that break the count: group
 * 3 skips ten runs every 4000 rows, group 7 restarts at 0 halfway, group 11
 * rows have no run, group 13 appears once near each tenth of the file
 * without a run. Two that meet at a merge whatever the number of parts (2
 * to 4, so the first quarter and the last are in different parts): group
 * 9 is nine lines at 10% of the file with runs 0..8 and nine at 90% with
 * runs 500..508, each part's piece consecutive but not the whole; group
 * 14 is one line at 90% without a run, the group's first.
 */
static void write_counting_file(const char *path, long rows, uint64_t seed)
{
	FILE *f = fopen(path, "w");
	uint64_t st = seed;
	long i, counter[16] = { 0 };

	assert_non_null(f);
	fputs("platform,benchmark,metric,value,run\n", f);
	for (i = 0; i < rows; i++) {
		long g = i % (rows / 10) == 500 ? 13 : (long)pick(&st, 13);

		if (g == 9)
			g = 10;
		if (labs(i - rows / 10 - 4) <= 4 || labs(i - rows * 9 / 10 - 4) <= 4) {
			g = 9;
			counter[9] = (i - rows / 10) % 500 + (i > rows / 2) * 500;
		}
		if (i == rows * 9 / 10 + 20)
			g = 14;
		if (g == 3 && i % 4000 == 0)
			counter[3] += 10;
		if (g == 7 && i == rows / 2)
			counter[7] = 0;
		fprintf(f, "p%ld,b,m,%.17g,", g, (double)(next_u64(&st) >> 11)
			/ 1e9);
		if (g == 11 || g == 13 || g == 14)
			fputs("\n", f);
		else
			fprintf(f, "%ld\n", counter[g]++);
	}
	assert_int_equal(fclose(f), 0);
}

static struct dataset *load_with(const char *threads, const char *a,
				 const char *b)
{
	struct load_options opt = { NULL, 0, NULL, 1 };
	struct dataset *ds;
	struct diag err;

	assert_int_equal(setenv("ANALYZE_LOAD_THREADS", threads, 1), 0);
	ds = load_new(&opt);	/* reads the variable */
	assert_int_equal(load_file(ds, a, &err), 0);
	assert_int_equal(load_file(ds, b, &err), 0);
	assert_int_equal(load_finish(ds, &err), 0);
	unsetenv("ANALYZE_LOAD_THREADS");
	return ds;
}

static void assert_same_group(const struct dataset *x,
			      const struct group *g, const struct group *h)
{
	size_t k;

	for (k = 0; k < x->n_key_cols; k++)
		assert_string_equal(g->key[k], h->key[k]);
	assert_string_equal(g->unit, h->unit);
	assert_int_equal(g->better, h->better);
	assert_int_equal(g->first_source, h->first_source);
	assert_int_equal(g->first_line, h->first_line);
	assert_int_equal(g->in_several_sources, h->in_several_sources);
	assert_int_equal(g->n, h->n);
	assert_memory_equal(g->values, h->values, g->n * sizeof(double));
	for (k = 0; k < g->n; k++)
		assert_true(load_group_run(g, k) == load_group_run(h, k));
}

static void assert_same_dataset(const struct dataset *x,
				const struct dataset *y)
{
	size_t i;

	assert_int_equal(x->n_groups, y->n_groups);
	for (i = 0; i < x->n_groups; i++)
		assert_same_group(x, &x->groups[i], &y->groups[i]);
	assert_int_equal(x->n_rows, y->n_rows);
	assert_int_equal(x->n_skipped, y->n_skipped);
	assert_int_equal(x->n_sources, y->n_sources);
	for (i = 0; i < x->n_sources; i++) {
		assert_int_equal(x->sources[i].n_rows, y->sources[i].n_rows);
		assert_int_equal(x->sources[i].n_skipped,
				 y->sources[i].n_skipped);
	}
	assert_int_equal(x->warnings.n, y->warnings.n);
	for (i = 0; i < x->warnings.n; i++) {
		assert_string_equal(x->warnings.items[i].file,
				    y->warnings.items[i].file);
		assert_int_equal(x->warnings.items[i].line,
				 y->warnings.items[i].line);
		assert_string_equal(x->warnings.items[i].msg,
				    y->warnings.items[i].msg);
	}
}

/*
 * Two files made by write_fn (rows[0] and rows[1] rows, seeds seed and
 * seed + 1), read serially: check_fn asserts they hold what the test is
 * about; then reads in 2, 3 and 4 parts must give the same dataset.
 */
static void check_parts(void (*write_fn)(const char *, long, uint64_t),
			const long rows[2], uint64_t seed,
			void (*check_fn)(const struct dataset *))
{
	char a[] = "/tmp/load_parallel_a_XXXXXX";
	char b[] = "/tmp/load_parallel_b_XXXXXX";
	struct dataset *serial, *par;
	const char *const modes[] = { "2", "3", "4" };
	int fa = mkstemp(a), fb = mkstemp(b);
	size_t i;

	assert_true(fa >= 0 && fb >= 0);
	close(fa);
	close(fb);
	write_fn(a, rows[0], seed);
	write_fn(b, rows[1], seed + 1);
	serial = load_with("1", a, b);
	check_fn(serial);
	for (i = 0; i < 3; i++) {
		par = load_with(modes[i], a, b);
		assert_same_dataset(serial, par);
		load_free(par);
	}
	load_free(serial);
	unlink(a);
	unlink(b);
}

/* 60 skipped rows (20 listed, then one count), groups in both files,
 * implicit runs. */
static void check_mixed(const struct dataset *serial)
{
	assert_int_equal(serial->n_skipped, 80);
	assert_int_equal(serial->n_groups, 20);
	assert_true(serial->groups[0].in_several_sources);
}

static void test_load_parallel_same_dataset(void **state)
{
	const long rows[2] = { 60000, 20000 };

	(void)state;
	check_parts(write_file, rows, 1, check_mixed);
}

/* Groups 3, 7 (and those continued by the second file) are spelled out,
 * others not: the test must see both kinds. */
static void check_counted(const struct dataset *serial)
{
	size_t i, n_implicit = 0;

	assert_int_equal(serial->n_groups, 15);
	for (i = 0; i < serial->n_groups; i++)
		n_implicit += serial->groups[i].runs == NULL;
	assert_true(n_implicit > 0 && n_implicit < serial->n_groups);
}

static void test_load_parallel_counted_runs(void **state)
{
	const long rows[2] = { 80000, 30000 };

	(void)state;
	check_parts(write_counting_file, rows, 3, check_counted);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_load_parallel_value_matches_strtod),
		cmocka_unit_test(test_load_parallel_value_edges),
		cmocka_unit_test(test_load_parallel_same_dataset),
		cmocka_unit_test(test_load_parallel_counted_runs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
