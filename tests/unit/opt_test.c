/*
 * lib/opt: every accepted form of an option (GNU getopt_long's and
 * POSIX's utility syntax guidelines: "--name=value", "--name value",
 * "-xVALUE", "-x VALUE", flag clusters, "-" an operand, "--" ending the
 * options), the three usage errors with their exact wording, the
 * did-you-mean rule, and the two layouts of --help.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "opt.h"

enum { T_QUIET, T_OUTPUT, T_LEVEL, T_DROP, T_FORMAT, T_LONG };

static const struct opt_spec rows[] = {
	{ T_QUIET, 'q', "quiet", NULL, "print nothing" },
	{ T_OUTPUT, 'o', "output", "PATH", "write to PATH\nnot stdout" },
	{ T_LEVEL, 0, "level", "L", "confidence level" },
	{ T_DROP, 0, "drop-outliers", NULL, "drop them" },
	{ T_FORMAT, 0, "format", "FMT", "text or csv" },
	{ T_LONG, 0, "a-very-long-option", "VALUE", "wide" },
};
static const struct opt_table table = OPT_TABLE(rows);

/* The events of parsing words, as "id=value" / "@operand", joined. */
static int parse(char **words, int n, char *out, size_t size,
		 struct diag *err)
{
	struct opt_parser p;
	size_t at = 0;
	int ev;

	out[0] = '\0';
	opt_init(&p, n, words, &table, 1);
	while ((ev = opt_next(&p, err)) > 0) {
		if (ev == OPT_OPERAND)
			at += (size_t)snprintf(out + at, size - at, "@%s ",
					       p.value);
		else
			at += (size_t)snprintf(out + at, size - at, "%d%s=%s ",
					       p.opt->id, p.name,
					       p.value ? p.value : "-");
	}
	return ev;
}

#define WORDS(...) ((char *[]){ "prog", __VA_ARGS__ })
#define N_WORDS(...) (int)(sizeof((char *[]){ "prog", __VA_ARGS__ }) / \
			   sizeof(char *))

static void expect(int n, char **words, const char *want)
{
	char got[512];
	struct diag err;

	assert_int_equal(parse(words, n, got, sizeof(got), &err), OPT_END);
	assert_string_equal(got, want);
}

static void expect_error(int n, char **words, const char *want)
{
	char got[512];
	struct diag err;

	assert_int_equal(parse(words, n, got, sizeof(got), &err),
			 STATUS_BADINPUT);
	assert_string_equal(err.msg, want);
	assert_string_equal(err.file, "");
}

#define EXPECT(want, ...) \
	expect(N_WORDS(__VA_ARGS__), WORDS(__VA_ARGS__), want)
#define EXPECT_ERROR(want, ...) \
	expect_error(N_WORDS(__VA_ARGS__), WORDS(__VA_ARGS__), want)

static void test_opt_forms(void **state)
{
	(void)state;
	EXPECT("1--output=x ", "--output=x");
	EXPECT("1--output=x ", "--output", "x");
	EXPECT("1--output= ", "--output=");
	EXPECT("1-o=x ", "-ox");
	EXPECT("1-o=x ", "-o", "x");
	EXPECT("0-q=- 1-o=x ", "-qo", "x");
	EXPECT("0-q=- 0-q=- ", "-qq");
	EXPECT("1--output=-5 ", "--output", "-5");	/* values may be "-..." */
	EXPECT("@- @a 0--quiet=- @b ", "-", "a", "--quiet", "b");
	EXPECT("0-q=- @--quiet @-q ", "-q", "--", "--quiet", "-q");
	EXPECT("@-- ", "--", "--");
}

static void test_opt_errors(void **state)
{
	(void)state;
	EXPECT_ERROR("option '--output' needs a value (PATH)", "--output");
	EXPECT_ERROR("option '-o' needs a value (PATH)", "-qo");
	EXPECT_ERROR("option '--quiet' takes no value", "--quiet=yes");
	EXPECT_ERROR("unknown option '-x'", "-qx");
	EXPECT_ERROR("unknown option '--zzzzzz'", "--zzzzzz");
	/* One or two edits, or a prefix of three letters or more. */
	EXPECT_ERROR("unknown option '--formt' (did you mean '--format'?)",
		     "--formt", "csv");
	EXPECT_ERROR("unknown option '--levle' (did you mean '--level'?)",
		     "--levle=2");
	EXPECT_ERROR("unknown option '--drop' (did you mean "
		     "'--drop-outliers'?)", "--drop");
	/* The error stops the parse: later words are not looked at. */
	EXPECT_ERROR("unknown option '--bogus'", "--bogus", "--output");
}

static void test_opt_suggest(void **state)
{
	(void)state;
	assert_ptr_equal(opt_suggest(&table, 1, "outptu"), &rows[1]);
	assert_ptr_equal(opt_suggest(&table, 1, "qiet"), &rows[0]);
	assert_null(opt_suggest(&table, 1, "xyzzy"));
	assert_null(opt_suggest(&table, 0, "output"));
}

static void help_of(unsigned flags, char *buf, size_t size)
{
	FILE *f = fmemopen(buf, size, "w");

	assert_non_null(f);
	opt_help(f, &table, 24, flags);
	assert_int_equal(fclose(f), 0);
}

static void test_opt_help_layout(void **state)
{
	char buf[1024];
	const char *rows_text =
		"  -q, --quiet           print nothing\n"
		"  -o, --output PATH     write to PATH\n"
		"                        not stdout\n"
		"      --level L         confidence level\n"
		"      --drop-outliers   drop them\n"
		"      --format FMT      text or csv\n";

	(void)state;
	help_of(0, buf, sizeof(buf));
	assert_memory_equal(buf, rows_text, strlen(rows_text));
	assert_string_equal(buf + strlen(rows_text),
			    "      --a-very-long-option VALUE  wide\n");
	help_of(OPT_HELP_WRAP, buf, sizeof(buf));
	assert_memory_equal(buf, rows_text, strlen(rows_text));
	assert_string_equal(buf + strlen(rows_text),
			    "      --a-very-long-option VALUE\n"
			    "                        wide\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_opt_forms),
		cmocka_unit_test(test_opt_errors),
		cmocka_unit_test(test_opt_suggest),
		cmocka_unit_test(test_opt_help_layout),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
