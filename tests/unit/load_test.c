/*
 * Unit tests of analyze/load.c, load_set.c and load_field.c: grouping, key
 * values, units, runs, 'better', stdin, --lenient, CRLF and BOM, line
 * numbers after quoted multi-line fields, sidecars, files given twice, and
 * a generated 200,000-row file. Expected values are written out by hand
 * from the CSV text in each test (or computed by the test's own formula
 * for the generated file), never taken from the loader.
 */
#define _GNU_SOURCE		/* setresuid, setresgid for the unreadable test */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "load.h"

#define HEADER "platform,benchmark,metric,value,unit,run,better,config\n"

struct fixture {
	char dir[256];
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	const char *tmp = getenv("TMPDIR");

	if (!f)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "%s/load_test.XXXXXX",
		 tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(f->dir)) {
		free(f);
		return -1;
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[300];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	if (system(cmd) != 0)
		return -1;
	free(f);
	return 0;
}

/* Write n bytes of text to DIR/name; returns the path (static buffer per
 * call site is avoided: the caller passes path). */
static void put(const struct fixture *f, const char *name, const char *text,
		size_t n, char *path, size_t size)
{
	FILE *fp;

	snprintf(path, size, "%s/%s", f->dir, name);
	fp = fopen(path, "wb");
	assert_non_null(fp);
	assert_int_equal(fwrite(text, 1, n, fp), n);
	assert_int_equal(fclose(fp), 0);
}

/* Load one file with default options; returns the status, *out the set. */
static int load_one(const struct fixture *f, const char *text, size_t n,
		    const struct load_options *opt, struct dataset **out,
		    struct diag *err)
{
	char path[512];
	int st;

	put(f, "in.csv", text, n, path, sizeof(path));
	*out = load_new(opt);
	st = load_file(*out, path, err);
	if (st == 0)
		st = load_finish(*out, err);
	return st;
}

static int load_text(void **state, const char *text, struct dataset **out,
		     struct diag *err)
{
	return load_one(*state, text, strlen(text), NULL, out, err);
}

/* "FILE:LINE: msg" with the fixture's directory cut off the file name. */
static void assert_diag(const struct diag *d, unsigned long line,
			const char *msg)
{
	assert_int_equal(d->line, line);
	assert_string_equal(d->msg, msg);
}

/* text is bad input: status 2 and msg at line, as assert_diag. */
static void assert_bad_text(void **state, const char *text,
			    unsigned long line, const char *msg)
{
	struct dataset *ds;
	struct diag err;

	assert_int_equal(load_text(state, text, &ds, &err), STATUS_BADINPUT);
	assert_diag(&err, line, msg);
	load_free(ds);
}

static void test_load_groups(void **state)
{
	struct dataset *ds;
	struct diag err;
	const char *csv = HEADER
		"native,stream,triad,10,MB/s,0,,\n"
		"kvm,stream,triad,20,MB/s,0,,\n"
		"native,stream,triad,11,MB/s,1,,\n"
		"native,stream,copy,5,MB/s,0,,\n"
		"native,stream,triad,12,MB/s,2,,threads=2\n";

	assert_int_equal(load_text(state, csv, &ds, &err), 0);
	/* Groups in order of first appearance; config is part of the key. */
	assert_int_equal(ds->n_groups, 4);
	assert_int_equal(ds->n_rows, 5);
	assert_int_equal(ds->groups[0].n, 2);
	assert_true(ds->groups[0].values[0] == 10.0);
	assert_true(ds->groups[0].values[1] == 11.0);
	assert_int_equal(ds->groups[0].first_line, 2);
	assert_string_equal(load_factor(ds, &ds->groups[1]), "kvm");
	assert_int_equal(ds->groups[1].first_line, 3);
	assert_string_equal(ds->groups[2].key[2], "copy");
	assert_string_equal(ds->groups[3].key[3], "threads=2");
	assert_int_equal(ds->groups[3].first_line, 6);
	/* Equal key strings are interned once. */
	assert_ptr_equal(ds->groups[0].key[1], ds->groups[1].key[1]);
	load_free(ds);
}

static void test_load_key_values(void **state)
{
	static const char *const by[] = { "benchmark", "host" };
	struct load_options opt = { by, 2, "file", 0 };
	struct dataset *ds;
	struct diag err;
	const char *csv = "value,host,metric,benchmark,platform\n"
		"1,a,m,b,p\n2,b,m,b,p\n3,a,m,b,q\n";

	assert_int_equal(load_one(*state, csv, strlen(csv), &opt, &ds, &err),
			 0);
	/* key_cols: the --by columns, then the factor appended. */
	assert_int_equal(ds->n_key_cols, 3);
	assert_string_equal(ds->key_cols[2], "file");
	assert_int_equal(ds->factor_index, 2);
	assert_int_equal(load_key_index(ds, "host"), 1);
	assert_int_equal(load_key_index(ds, "platform"), -1);
	/* Grouped by benchmark and host only: rows 1 and 3 share a group. */
	assert_int_equal(ds->n_groups, 2);
	assert_int_equal(ds->groups[0].n, 2);
	assert_true(ds->groups[0].values[1] == 3.0);
	assert_string_equal(ds->groups[1].key[1], "b");
	/* 'file' is not a column: it holds the input path. */
	assert_non_null(strstr(load_factor(ds, &ds->groups[0]), "/in.csv"));
	load_free(ds);
}

static void test_load_missing_by_column(void **state)
{
	static const char *const by[] = { "platform", "host" };
	struct load_options opt = { by, 2, NULL, 0 };
	struct dataset *ds;
	struct diag err;
	const char *csv = "platform,benchmark,metric,value\np,b,m,1\n";

	assert_int_equal(load_one(*state, csv, strlen(csv), &opt, &ds, &err),
			 STATUS_BADINPUT);
	assert_diag(&err, 1, "no column 'host' for --by (the file's header "
		    "does not name it)");
	load_free(ds);
}

static void test_load_unit_conversion(void **state)
{
	struct dataset *ds;
	struct diag err;
	double v;
	const char *csv = HEADER
		"p,b,m,1.5,s,,,\n"
		"p,b,m,250,ms,,,\n"
		"p,b,m,3000000,us,,,\n"
		"p,b,n,1,KiB,,,\n"
		"p,b,n,2048,B,,,\n"
		"p,b,n,1,MB,,,\n";

	assert_int_equal(load_text(state, csv, &ds, &err), 0);
	/* Converted to the unit the group saw first: 250 ms = 0.25 s. */
	assert_string_equal(ds->groups[0].unit, "s");
	assert_true(ds->groups[0].values[1] == 0.25);
	assert_true(ds->groups[0].values[2] == 3.0);
	/* 2048 B = 2 KiB; 1 MB = 10^6 / 1024 KiB = 976.5625 KiB exactly. */
	assert_string_equal(ds->groups[1].unit, "KiB");
	assert_true(ds->groups[1].values[1] == 2.0);
	assert_true(ds->groups[1].values[2] == 976.5625);
	load_free(ds);

	/* Rates: 1 GB/s = 1000 MB/s; bits: 8 Mbps = 1 MB/s. */
	assert_int_equal(load_unit_convert("GB/s", "MB/s", 1.5, &v), 0);
	assert_true(v == 1500.0);
	assert_int_equal(load_unit_convert("Mbps", "MB/s", 8, &v), 0);
	assert_true(v == 1.0);
	assert_int_equal(load_unit_convert("GFLOPS", "KFLOPS", 2, &v), 0);
	assert_true(v == 2e6);
	assert_int_equal(load_unit_convert("ms", "MB", 1, &v), -1);
	assert_int_equal(load_unit_convert("req/s", "ops/s", 1, &v), -1);
	assert_int_equal(load_unit_convert("widgets", "widgets", 7, &v), 0);
	assert_true(v == 7.0);
}

static void test_load_unit_mismatch(void **state)
{
	struct dataset *ds;
	struct diag err;
	const char *csv = HEADER
		"p,b,m,1,ms,,,\n"
		"q,b,m,1,,,,\n"
		"p,b,m,1,cycles,,,\n";

	assert_int_equal(load_text(state, csv, &ds, &err), STATUS_BADINPUT);
	assert_int_equal(err.line, 4);
	assert_non_null(strstr(err.msg, "unit 'cycles' does not convert to "
			       "'ms', the unit of this group since "));
	assert_non_null(strstr(err.msg, "/in.csv:2 (use one unit per group)"));
	load_free(ds);
}

/*
 * Runs that count up by one are not stored (struct group): group p holds
 * 5,6,7 (implicit from 5), q holds 0,1 then 9 (stored from the break on,
 * the earlier ones written out), r has no run column values (positions
 * 0,1: implicit). Dropping a value from an implicit group keeps the runs
 * of the values left.
 */
static void test_load_runs_implicit(void **state)
{
	struct dataset *ds;
	struct diag err;
	const unsigned char drop[] = { 0, 1, 0 };
	const char *csv = HEADER
		"p,b,m,1,,5,,\n"
		"q,b,m,1,,0,,\n"
		"p,b,m,2,,6,,\n"
		"q,b,m,2,,1,,\n"
		"r,b,m,1,,,,\n"
		"p,b,m,3,,7,,\n"
		"q,b,m,3,,9,,\n"
		"r,b,m,2,,,,\n";

	assert_int_equal(load_text(state, csv, &ds, &err), 0);
	assert_int_equal(ds->n_groups, 3);
	assert_null(ds->groups[0].runs);
	assert_true(load_group_run(&ds->groups[0], 0) == 5.0);
	assert_true(load_group_run(&ds->groups[0], 2) == 7.0);
	assert_non_null(ds->groups[1].runs);
	assert_true(load_group_run(&ds->groups[1], 0) == 0.0);
	assert_true(load_group_run(&ds->groups[1], 1) == 1.0);
	assert_true(load_group_run(&ds->groups[1], 2) == 9.0);
	assert_null(ds->groups[2].runs);
	assert_true(load_group_run(&ds->groups[2], 1) == 1.0);
	assert_int_equal(load_group_drop(&ds->groups[0], drop), 1);
	assert_true(load_group_run(&ds->groups[0], 0) == 5.0);
	assert_true(load_group_run(&ds->groups[0], 1) == 7.0);
	assert_true(ds->groups[0].values[1] == 3.0);
	load_free(ds);
}

/*
 * A row's group is found by its key joined into one string, taken from
 * its line when the key columns are adjacent (load_on_row), from the
 * copies of its fields when it went through libcsv, or joined from the
 * values otherwise (struct group_slot): the same key must find the same
 * group every way. Each file has one group, reached by a plain row, a
 * quoted one, one with spaces (trimmed by libcsv), a CRLF one and a plain
 * one again (filed by fast_row: by its span, or joined run by run).
 */
static void test_load_key_paths_agree(void **state)
{
	static const char *const by_pbm[] = { "platform", "benchmark",
					      "metric" };
	static const char *const by_mp[] = { "metric", "platform" };
	static const char *const by_pcm[] = { "platform", "config", "metric" };
	static const char *const by_fbp[] = { "file", "benchmark",
					      "platform" };
	static const char *const files[] = {
		/* config absent: the key ends with an empty value */
		"platform,benchmark,metric,value\n"
		"p,b,m,1\n\"p\",b,\"m\",2\n p ,b, m ,3\np,b,m,4\r\np,b,m,5\n",
		/* config present, adjacent to the others */
		"value,platform,benchmark,metric,config\n"
		"1,p,b,m,c\n2,\"p\",b,m,\"c\"\n3, p ,b,m,c \n4,p,b,m,c\r\n"
		"5,p,b,m,c\n",
		/* config present, apart */
		"platform,benchmark,metric,value,config\n"
		"p,b,m,1,c\n\"p\",b,m,2,c\n p,b,m ,3,c\np,b,m,4,c\r\n"
		"p,b,m,5,c\n",
	};
	struct load_options opts[] = {
		{ NULL, 0, NULL, 0 },
		{ by_pbm, 3, NULL, 0 },
		{ by_mp, 2, NULL, 0 },
		{ by_pcm, 3, NULL, 0 },
		{ by_fbp, 3, NULL, 0 },
	};
	size_t i, o;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		for (o = 0; o < sizeof(opts) / sizeof(opts[0]); o++) {
			struct dataset *ds;
			struct diag err;

			assert_int_equal(load_one(*state, files[i],
						  strlen(files[i]), &opts[o],
						  &ds, &err), 0);
			if (ds->n_groups != 1 || ds->groups[0].n != 5)
				fail_msg("file %zu, options %zu: %zu groups, "
					 "the first of %zu rows", i, o,
					 ds->n_groups, ds->groups[0].n);
			load_free(ds);
		}
	}
}

static void test_load_run_column(void **state)
{
	struct dataset *ds;
	struct diag err;
	const char *csv = HEADER
		"p,b,m,1,,7,,\n"
		"p,b,m,2,,,,\n"
		"p,b,m,3,,0,,\n";

	assert_int_equal(load_text(state, csv, &ds, &err), 0);
	/* An empty run is the 0-based position in the group. */
	assert_true(load_group_run(&ds->groups[0], 0) == 7.0);
	assert_true(load_group_run(&ds->groups[0], 1) == 1.0);
	assert_true(load_group_run(&ds->groups[0], 2) == 0.0);
	load_free(ds);

	assert_bad_text(state, HEADER "p,b,m,1,,1.5,,\n", 2,
			"run '1.5' is not a non-negative integer");
	assert_bad_text(state, HEADER "p,b,m,1,,-2,,\n", 2,
			"run '-2' is not a non-negative integer");
}

static void test_load_better_from_unit(void **state)
{
	struct dataset *ds;
	struct diag err;
	const char *csv = HEADER
		"p,b,a,1,ms,,,\n"
		"p,b,c,1,MB/s,,,\n"
		"p,b,d,1,widgets,,,\n"
		"p,b,e,1,ms,,higher,\n"
		"p,b,f,1,,,,\n"
		"p,b,f,1,,,lower,\n";

	assert_int_equal(load_better_from_unit("s"), BETTER_LOWER);
	assert_int_equal(load_better_from_unit("ns"), BETTER_LOWER);
	assert_int_equal(load_better_from_unit("cycles"), BETTER_LOWER);
	assert_int_equal(load_better_from_unit("KiB"), BETTER_LOWER);
	assert_int_equal(load_better_from_unit("B"), BETTER_LOWER);
	assert_int_equal(load_better_from_unit("MB/s"), BETTER_HIGHER);
	assert_int_equal(load_better_from_unit("req/s"), BETTER_HIGHER);
	assert_int_equal(load_better_from_unit("KFLOPS"), BETTER_HIGHER);
	assert_int_equal(load_better_from_unit("GFLOPS"), BETTER_HIGHER);
	assert_int_equal(load_better_from_unit("Mbps"), BETTER_HIGHER);
	assert_int_equal(load_better_from_unit("widgets"), BETTER_UNSET);
	assert_int_equal(load_better_from_unit(""), BETTER_UNSET);

	assert_int_equal(load_text(state, csv, &ds, &err), 0);
	assert_int_equal(ds->groups[0].better, BETTER_LOWER);
	assert_int_equal(ds->groups[1].better, BETTER_HIGHER);
	assert_int_equal(ds->groups[2].better, BETTER_UNSET);
	/* The column wins over the unit; a later explicit word counts. */
	assert_int_equal(ds->groups[3].better, BETTER_HIGHER);
	assert_int_equal(ds->groups[4].better, BETTER_LOWER);
	load_free(ds);

	assert_int_equal(load_text(state, HEADER "p,b,m,1,,,lower,\n"
				   "p,b,m,2,,,,\np,b,m,3,,,higher,\n", &ds,
				   &err), STATUS_BADINPUT);
	assert_int_equal(err.line, 4);
	assert_non_null(strstr(err.msg, "better 'higher' conflicts with "
			       "'lower' given for this group at "));
	load_free(ds);
	assert_bad_text(state, HEADER "p,b,m,1,,,faster,\n", 2,
			"unknown better 'faster' (use 'lower' or 'higher')");
}

static void test_load_stdin(void **state)
{
	struct fixture *f = *state;
	char path[512];
	struct dataset *ds = load_new(NULL);
	struct diag err;
	int saved = dup(STDIN_FILENO), fd;
	const char *csv = HEADER "p,b,m,1,,,,\np,b,m,x,,,,\n";

	put(f, "stdin.csv", csv, strlen(csv), path, sizeof(path));
	fd = open(path, O_RDONLY);
	assert_true(fd >= 0 && saved >= 0);
	assert_int_equal(dup2(fd, STDIN_FILENO), STDIN_FILENO);
	close(fd);
	assert_int_equal(load_file(ds, "-", &err), STATUS_BADINPUT);
	assert_int_equal(dup2(saved, STDIN_FILENO), STDIN_FILENO);
	close(saved);
	/* Standard input is named "<stdin>" in every diagnostic. */
	assert_string_equal(err.file, "<stdin>");
	assert_diag(&err, 3, "value 'x' is not a number");
	assert_string_equal(ds->sources[0].path, "<stdin>");
	load_free(ds);
}

static void test_load_lenient_counts(void **state)
{
	struct load_options opt = { NULL, 0, NULL, 1 };
	struct dataset *ds;
	struct diag err;
	const char *csv = HEADER
		"p,b,m,1,,,,\n"
		"p,b,m,12ms,,,,\n"
		"p,b,m,2,,,\n"
		"p,b,m,3,,,,\n"
		",b,m,4,,,,\n";

	assert_int_equal(load_one(*state, csv, strlen(csv), &opt, &ds, &err),
			 0);
	assert_int_equal(ds->n_rows, 2);
	assert_int_equal(ds->n_skipped, 3);
	assert_int_equal(ds->sources[0].n_rows, 2);
	assert_int_equal(ds->sources[0].n_skipped, 3);
	assert_int_equal(ds->groups[0].n, 2);
	assert_true(ds->groups[0].values[1] == 3.0);
	assert_int_equal(ds->warnings.n, 3);
	assert_int_equal(ds->warnings.items[0].line, 3);
	assert_true(ds->warnings.items[0].is_warning);
	assert_string_equal(ds->warnings.items[0].msg, "skipped row: value "
			    "'12ms' is not a number (put units in the 'unit' "
			    "column)");
	assert_string_equal(ds->warnings.items[1].msg,
			    "skipped row: expected 8 fields, found 7");
	assert_int_equal(ds->warnings.items[2].line, 6);
	load_free(ds);

	/* Every row bad: load_finish refuses. */
	assert_int_equal(load_one(*state, HEADER "p,b,m,x,,,,\n",
				  strlen(HEADER "p,b,m,x,,,,\n"), &opt, &ds,
				  &err), STATUS_BADINPUT);
	assert_string_equal(err.file, "");
	assert_string_equal(err.msg, "no data rows left: --lenient skipped "
			    "all 1 rows as bad");
	load_free(ds);
}

static void test_load_crlf_bom(void **state)
{
	struct dataset *ds;
	struct diag err;
	static const char csv[] = "\xef\xbb\xbf" "platform,benchmark,metric,"
		"value\r\np,b,m,1\r\n\r\np,b,m,2\r\np,b,m,oops\r\n";

	assert_int_equal(load_one(*state, csv, sizeof(csv) - 1, NULL, &ds,
				  &err), STATUS_BADINPUT);
	/* BOM skipped (else 'platform' would be missing); CRLF counted once
	 * per line, the blank line counted: the bad row is on line 5. */
	assert_diag(&err, 5, "value 'oops' is not a number");
	assert_int_equal(ds->groups[0].n, 2);
	load_free(ds);
}

static void test_load_multiline_line_numbers(void **state)
{
	struct dataset *ds;
	struct diag err;
	const char *csv = HEADER
		"p,b,m,1,,,,\"two\nlines\"\n"
		"p,b,m,2,,,,\"three\r\nlines\r\nhere\"\n"
		"p,b,m,,,,,\n";

	assert_int_equal(load_text(state, csv, &ds, &err), STATUS_BADINPUT);
	/* Rows start on lines 2, 4 and 7. */
	assert_diag(&err, 7, "value is empty");
	assert_int_equal(ds->groups[1].first_line, 4);
	assert_string_equal(ds->groups[1].key[3], "three\r\nlines\r\nhere");
	load_free(ds);
}

static void test_load_quote_errors(void **state)
{
	assert_bad_text(state, HEADER "p,b,m,1,,,,\np,\"b\nx,m,1,,,,\n", 3,
			"unterminated quoted field in column "
			"'benchmark': its opening '\"' is never closed");
	assert_bad_text(state, HEADER "p,b\"x,m,1,,,,\n", 2,
			"stray '\"' in unquoted column 'benchmark' "
			"(quote the whole field and write '\"' as '\"\"')");
}

static void test_load_encoding(void **state)
{
	struct dataset *ds;
	struct diag err;
	static const char nul[] = HEADER "p,b\0c,m,1,,,,\n";
	/* Valid and invalid sequences from RFC 3629 section 4 and Markus
	 * Kuhn's UTF-8 decoder stress test (sections 3-5). */
	static const unsigned char ok[] = "a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80";
	static const unsigned char overlong[] = "ab\xc0\xaf";
	static const unsigned char surrogate[] = "\xed\xa0\x80";
	static const unsigned char too_big[] = "x\xf4\x90\x80\x80";
	static const unsigned char cut[] = "xy\xe2\x82";

	assert_int_equal(load_utf8_check(ok, sizeof(ok) - 1), sizeof(ok) - 1);
	assert_int_equal(load_utf8_check(overlong, 4), 2);
	assert_int_equal(load_utf8_check(surrogate, 3), 0);
	assert_int_equal(load_utf8_check(too_big, 5), 1);
	assert_int_equal(load_utf8_check(cut, 4), 2);

	assert_int_equal(load_one(*state, nul, sizeof(nul) - 1, NULL, &ds,
				  &err), STATUS_BADINPUT);
	assert_diag(&err, 2, "NUL byte in column 'benchmark' at byte 2 of "
		    "the field (is this a binary or UTF-16 file?)");
	load_free(ds);
	assert_bad_text(state, HEADER "p,b,m\xff,1,,,,\n", 2,
			"invalid UTF-8 in column 'metric': byte 0xff "
			"at byte 2 of the field (save the file as UTF-8)");
}

static void test_load_parse_value(void **state)
{
	char msg[256];
	double v;
	size_t i;
	/* Expected doubles are C literals: the compiler's correctly rounded
	 * conversion is the independent reference. */
	static const struct { const char *s; double v; } good[] = {
		{ "12", 12.0 }, { "-0.5", -0.5 }, { "1e3", 1e3 },
		{ "0.1", 0.1 }, { "+7.", 7.0 }, { ".25", 0.25 },
		{ "1.7976931348623157e308", 1.7976931348623157e308 },
		{ "123456789012345678901", 123456789012345678901.0 },
		{ "2.2250738585072014e-308", 2.2250738585072014e-308 },
		{ "4.9406564584124654e-324", 4.9406564584124654e-324 },
		{ "0.000000000000000000000000001", 1e-27 },
		{ "9007199254740993", 9007199254740993.0 },
		{ "3.14159265358979323846", 3.14159265358979323846 },
		{ "1E-22", 1e-22 }, { "0e999999", 0.0 },
	};
	static const struct { const char *s, *msg; } bad[] = {
		{ "", "value is empty" },
		{ "12ms", "value '12ms' is not a number (put units in the "
		  "'unit' column)" },
		{ "nan", "value 'nan' is not a finite number" },
		{ "-Infinity", "value '-Infinity' is not a finite number" },
		{ "1e999", "value '1e999' is out of range (larger than "
		  "1.8e308)" },
		{ "1e-999", "value '1e-999' is too small: it underflows to 0" },
		{ "0x1p3", "value '0x1p3' is not a decimal number" },
		{ "1,5", "value '1,5' is not a number (use '.' as the decimal "
		  "point and no thousands separator)" },
		{ " 1", "value ' 1' is not a number (remove the spaces around "
		  "it)" },
		{ "abc", "value 'abc' is not a number" },
		{ "1e", "value '1e' is not a number (put units in the 'unit' "
		  "column)" },
		{ "--1", "value '--1' is not a number" },
		{ "1\n2", "value '1\\n2' is not a number" },
	};

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		assert_int_equal(load_parse_value(good[i].s, strlen(good[i].s),
						  &v, msg, sizeof(msg)), 0);
		assert_true(v == good[i].v);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(load_parse_value(bad[i].s, strlen(bad[i].s),
						  &v, msg, sizeof(msg)), -1);
		assert_string_equal(msg, bad[i].msg);
	}
}

/* splitmix64: reproducible random input. */
static uint64_t next_rand(uint64_t *state)
{
	uint64_t z = (*state += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

/*
 * Random decimals of every shape the fast and the general path of
 * load_parse_value take ("[-+]digits[.digits][e[-+]digits]", up to 24
 * digits, exponents up to 3 digits) read as glibc's strtod reads them
 * (correctly rounded: the independent reference), sign of zero included.
 */
static void test_load_parse_value_random(void **state)
{
	uint64_t st = 18;
	char s[64], msg[256];
	double v, ref;
	size_t i, j, n, n_int, n_frac;

	(void)state;
	for (i = 0; i < 200000; i++) {
		n = 0;
		if (next_rand(&st) % 4 == 0)
			s[n++] = next_rand(&st) % 2 ? '-' : '+';
		n_int = next_rand(&st) % 13;
		n_frac = next_rand(&st) % 12;
		for (j = 0; j < n_int; j++)
			s[n++] = (char)('0' + next_rand(&st) % 10);
		if (n_frac || next_rand(&st) % 8 == 0)
			s[n++] = '.';
		for (j = 0; j < n_frac; j++)
			s[n++] = (char)('0' + next_rand(&st) % 10);
		if (n_int + n_frac == 0)
			s[n++] = '7';
		if (next_rand(&st) % 3 == 0)
			n += (size_t)snprintf(s + n, sizeof(s) - n, "%s%s%d",
					      next_rand(&st) % 2 ? "e" : "E",
					      next_rand(&st) % 3 == 0 ? "+" :
					      next_rand(&st) % 2 ? "-" : "",
					      (int)(next_rand(&st) % 40));
		s[n] = '\0';
		ref = strtod(s, NULL);
		if (ref == 0 && strspn(s, "+-0.eE") != n)
			continue;	/* underflow: an error here */
		assert_int_equal(load_parse_value(s, n, &v, msg, sizeof(msg)),
				 0);
		if (v != ref || signbit(v) != signbit(ref))
			fail_msg("'%s': %.17g, strtod %.17g", s, v, ref);
	}
}

/*
 * The same through the loader: random values in plain rows of one group,
 * so that every row after the first is filed by fast_row with its
 * branch-free reading of the value (load_plain_decimal_padded), each
 * compared with strtod.
 */
static void test_load_fast_values(void **state)
{
	enum { N = 20000 };
	uint64_t st = 7;
	char *text = malloc((size_t)N * 48 + 64), *p = text;
	char **vals = malloc(N * sizeof(*vals));
	struct dataset *ds;
	struct diag err;
	size_t i, j, n_int, n_frac;

	assert_non_null(text);
	assert_non_null(vals);
	p += sprintf(p, "platform,benchmark,metric,value\n");
	for (i = 0; i < N; i++) {
		p += sprintf(p, "p,b,m,");
		vals[i] = p;
		if (next_rand(&st) % 5 == 0)
			*p++ = next_rand(&st) % 2 ? '-' : '+';
		n_int = next_rand(&st) % 11;
		n_frac = next_rand(&st) % 11;
		for (j = 0; j < n_int; j++)
			*p++ = (char)('0' + next_rand(&st) % 10);
		if (n_frac || n_int == 0)
			*p++ = '.';
		for (j = 0; j < n_frac || (n_int == 0 && j == 0); j++)
			*p++ = (char)('0' + next_rand(&st) % 10);
		if (next_rand(&st) % 6 == 0)
			p += sprintf(p, "e%d", (int)(next_rand(&st) % 9) - 4);
		*p++ = '\n';
	}
	*p = '\0';
	assert_int_equal(load_one(*state, text, (size_t)(p - text), NULL, &ds,
				  &err), 0);
	assert_int_equal(ds->n_groups, 1);
	assert_int_equal(ds->groups[0].n, N);
	for (i = 0; i < N; i++) {
		double ref = strtod(vals[i], NULL), v = ds->groups[0].values[i];

		if (v != ref || signbit(v) != signbit(ref))
			fail_msg("row %zu: %.17g, strtod %.17g", i, v, ref);
	}
	load_free(ds);
	free(vals);
	free(text);
}

static void test_load_show(void **state)
{
	char buf[256], in[128], want[128];
	size_t i;

	(void)state;
	assert_string_equal(load_show(buf, sizeof(buf), "a\tb\r\n\x01"),
			    "a\\tb\\r\\n\\x01");
	/* "x" and 40 two-byte characters: byte 60 splits the 30th 'é', so
	 * the text stops after 29 of them. */
	strcpy(in, "x");
	for (i = 0; i < 40; i++)
		strcat(in, "\xc3\xa9");
	strcpy(want, "x");
	for (i = 0; i < 29; i++)
		strcat(want, "\xc3\xa9");
	strcat(want, "...");
	assert_string_equal(load_show(buf, sizeof(buf), in), want);
}

static void test_load_header_errors(void **state)
{
	assert_bad_text(state, "", 0,
			"file is empty (expected a header line naming "
			"platform, benchmark, metric and value)");
	assert_bad_text(state, HEADER, 1, "no data rows after the header");
	assert_bad_text(state, "platform,benchmark,metric\np,b,m\n", 1,
			"missing required column 'value'");
	assert_bad_text(state, "platform,value,benchmark,metric,"
			"value\np,1,b,m,2\n", 1,
			"duplicate column 'value' (columns 2 and 5)");
}

static void test_load_sidecar(void **state)
{
	struct fixture *f = *state;
	char csv_path[512], meta_path[512];
	struct dataset *ds;
	struct diag err;
	const char *csv = HEADER "p,b,m,1,,,,\n";
	const char *meta = "{\"source\": \"course seed, answers A\"}\n";
	const char *bad = "{\n  \"source\": \"x\",\n  \"notes\": [1, 2\n}\n";

	put(f, "run.csv", csv, strlen(csv), csv_path, sizeof(csv_path));
	put(f, "run.meta.json", meta, strlen(meta), meta_path,
	    sizeof(meta_path));
	ds = load_new(NULL);
	assert_int_equal(load_file(ds, csv_path, &err), 0);
	assert_string_equal(ds->sources[0].provenance, "course seed, answers A");
	assert_string_equal(ds->sources[0].meta_path, meta_path);
	load_free(ds);

	/* jansson 2.14's own text and line: the unclosed array meets '}' on
	 * line 4. */
	put(f, "run.meta.json", bad, strlen(bad), meta_path,
	    sizeof(meta_path));
	ds = load_new(NULL);
	assert_int_equal(load_file(ds, csv_path, &err), STATUS_BADINPUT);
	assert_string_equal(err.file, meta_path);
	assert_int_equal(err.line, 4);
	assert_string_equal(err.msg, "']' expected near '}'");
	load_free(ds);
}

static void test_load_same_file_twice(void **state)
{
	struct fixture *f = *state;
	char a[512], b[512], link_path[600];
	struct dataset *ds = load_new(NULL);
	struct diag err;
	const char *csv_a = HEADER "p,b,m,1,,,,\np,b,n,1,,,,\n";
	const char *csv_b = HEADER "q,b,m,1,,,,\np,b,n,2,,,,\np,b,m,3,,,,\n";

	put(f, "a.csv", csv_a, strlen(csv_a), a, sizeof(a));
	put(f, "b.csv", csv_b, strlen(csv_b), b, sizeof(b));
	snprintf(link_path, sizeof(link_path), "%s/link.csv", f->dir);
	assert_int_equal(symlink(a, link_path), 0);
	assert_int_equal(load_file(ds, a, &err), 0);
	assert_int_equal(load_file(ds, a, &err), 0);
	assert_int_equal(load_file(ds, link_path, &err), 0);
	assert_int_equal(load_file(ds, b, &err), 0);
	assert_int_equal(ds->n_sources, 2);
	assert_int_equal(ds->n_rows, 5);
	assert_int_equal(ds->warnings.n, 3);
	assert_string_equal(ds->warnings.items[0].msg,
			    "file given twice; its rows are counted once");
	assert_non_null(strstr(ds->warnings.items[1].msg, "same file as '"));
	/* Two groups of a.csv reappear in b.csv: pooled, with a note. */
	assert_string_equal(ds->warnings.items[2].file, b);
	assert_non_null(strstr(ds->warnings.items[2].msg, "2 groups also in '"));
	assert_non_null(strstr(ds->warnings.items[2].msg, "(first: p/b/n)"));
	assert_int_equal(ds->groups[0].n, 2);
	assert_true(ds->groups[0].in_several_sources);
	assert_false(ds->groups[2].in_several_sources);
	load_free(ds);
}

static void test_load_open_errors(void **state)
{
	struct fixture *f = *state;
	struct dataset *ds = load_new(NULL);
	struct diag err;
	char path[512];

	snprintf(path, sizeof(path), "%s/none.csv", f->dir);
	assert_int_equal(load_file(ds, path, &err), STATUS_BADINPUT);
	assert_diag(&err, 0, "cannot open: No such file or directory");
	assert_int_equal(load_file(ds, f->dir, &err), STATUS_BADINPUT);
	assert_diag(&err, 0, "is a directory, not a CSV file");
	load_free(ds);
}

/* Root reads a mode-000 file anyway: the child drops to 'nobody' first. */
static void test_load_unreadable(void **state)
{
	struct fixture *f = *state;
	char path[512];
	const char *csv = HEADER "p,b,m,1,,,,\n";
	pid_t pid;
	int status;

	put(f, "secret.csv", csv, strlen(csv), path, sizeof(path));
	assert_int_equal(chmod(path, 0), 0);
	assert_int_equal(chmod(f->dir, 0755), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct dataset *ds;
		struct diag err;

		if (geteuid() == 0 && (setresgid(65534, 65534, 65534) ||
				       setresuid(65534, 65534, 65534)))
			_exit(77);
		ds = load_new(NULL);
		status = load_file(ds, path, &err);
		_exit(status == STATUS_BADINPUT && !strcmp(err.msg,
			"cannot open: Permission denied") ? 0 : 1);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	if (WEXITSTATUS(status) == 77)
		skip();
	assert_int_equal(WEXITSTATUS(status), 0);
}

static void test_load_group_drop(void **state)
{
	struct dataset *ds;
	struct diag err;
	const unsigned char drop[] = { 0, 1, 0, 1 };

	assert_int_equal(load_text(state, HEADER "p,b,m,1,,,,\np,b,m,2,,,,\n"
				   "p,b,m,3,,,,\np,b,m,4,,,,\n", &ds, &err), 0);
	assert_int_equal(load_group_drop(&ds->groups[0], drop), 2);
	assert_int_equal(ds->groups[0].n, 2);
	assert_true(ds->groups[0].values[0] == 1.0);
	assert_true(ds->groups[0].values[1] == 3.0);
	assert_true(load_group_run(&ds->groups[0], 1) == 2.0);
	load_free(ds);
}

/*
 * 200,000 generated rows over 50 groups: row i goes to group i % 50 with
 * value i. Group g then holds 4,000 values g, g+50, ..., whose sum is
 * 4000 g + 50 * (0 + 1 + ... + 3999) = 4000 g + 399,900,000.
 */
static void test_load_200k_rows(void **state)
{
	struct fixture *f = *state;
	char path[512], line[128];
	struct dataset *ds = load_new(NULL);
	struct diag err;
	FILE *fp;
	size_t i, g;

	snprintf(path, sizeof(path), "%s/big.csv", f->dir);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(HEADER, fp);
	for (i = 0; i < 200000; i++) {
		snprintf(line, sizeof(line), "plat%zu,bench,m%zu,%zu,ms,%zu,,"
			 "\n", i % 5, i % 50, i, i / 50);
		fputs(line, fp);
	}
	assert_int_equal(fclose(fp), 0);
	assert_int_equal(load_file(ds, path, &err), 0);
	assert_int_equal(ds->n_rows, 200000);
	assert_int_equal(ds->n_groups, 50);
	for (g = 0; g < 50; g++) {
		double sum = 0;

		assert_int_equal(ds->groups[g].n, 4000);
		for (i = 0; i < ds->groups[g].n; i++)
			sum += ds->groups[g].values[i];
		assert_true(sum == 4000.0 * (double)g + 399900000.0);
		assert_true(load_group_run(&ds->groups[g], 3999) == 3999.0);
		assert_int_equal(ds->groups[g].first_line, g + 2);
	}
	load_free(ds);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_load_groups, setup, teardown),
		cmocka_unit_test_setup_teardown(test_load_runs_implicit, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_load_key_paths_agree, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_load_key_values, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_load_missing_by_column,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_load_unit_conversion, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_load_unit_mismatch, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_load_run_column, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_load_better_from_unit,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_load_stdin, setup, teardown),
		cmocka_unit_test_setup_teardown(test_load_lenient_counts, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_load_crlf_bom, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_load_multiline_line_numbers,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_load_quote_errors, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_load_encoding, setup,
						teardown),
		cmocka_unit_test(test_load_parse_value),
		cmocka_unit_test(test_load_parse_value_random),
		cmocka_unit_test_setup_teardown(test_load_fast_values, setup,
						teardown),
		cmocka_unit_test(test_load_show),
		cmocka_unit_test_setup_teardown(test_load_header_errors, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_load_sidecar, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_load_same_file_twice, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_load_open_errors, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_load_unreadable, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_load_group_drop, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_load_200k_rows, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
