/*
 * lib/path: the search execvp(3) does. The expected answers are POSIX's
 * (XBD 8.3, PATH: "A zero-length prefix ... shall indicate the current
 * working directory ... as two adjacent colons, or as an initial or
 * trailing colon"), which bash's `command -v` also gives ("./prog" for
 * PATH=":", "/x:", ":/x" or "/x::/y"). Each test runs in a fresh
 * directory holding a/prog (executable), b/prog (not executable), c/prog
 * (a directory) and ./prog (executable).
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"
#include "path.h"

static char dir[PATH_MAX], old_cwd[PATH_MAX];

static void make_file(const char *name, mode_t mode)
{
	FILE *f = fopen(name, "w");

	assert_non_null(f);
	fputs("#!/bin/sh\n", f);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(chmod(name, mode), 0);
}

static int setup(void **state)
{
	const char *tmp = getenv("TMPDIR");

	(void)state;
	snprintf(dir, sizeof(dir), "%s/path_test.XXXXXX", tmp ? tmp : "/tmp");
	if (!getcwd(old_cwd, sizeof(old_cwd)) || !mkdtemp(dir) ||
	    chdir(dir) != 0)
		return -1;
	if (mkdir("a", 0755) || mkdir("b", 0755) || mkdir("c", 0755) ||
	    mkdir("c/prog", 0755))
		return -1;
	make_file("a/prog", 0755);
	make_file("b/prog", 0644);
	make_file("prog", 0755);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink("a/prog");
	unlink("b/prog");
	unlink("prog");
	rmdir("c/prog");
	rmdir("a");
	rmdir("b");
	rmdir("c");
	if (chdir(old_cwd) != 0)
		return -1;
	return rmdir(dir);
}

static void expect(const char *path, const char *want)
{
	char *got = path_search_in("prog", path);

	if (!path)
		path = "(unset)";
	if (!want) {
		if (got)
			fail_msg("PATH '%s': found '%s', expected nothing",
				 path, got);
		return;
	}
	if (!got)
		fail_msg("PATH '%s': found nothing, expected '%s'", path,
			 want);
	if (strcmp(got, want) != 0)
		fail_msg("PATH '%s': found '%s', expected '%s'", path, got,
			 want);
	free(got);
}

static void test_path_empty_entries_are_cwd(void **state)
{
	(void)state;
	expect("", "./prog");
	expect(":", "./prog");
	expect("/nonexistent:", "./prog");
	expect(":/nonexistent", "./prog");
	expect("/nonexistent::/nonexistent2", "./prog");
	/* Before this module, campaign turned an empty entry into "/prog". */
	expect("/nonexistent", NULL);
}

static void test_path_first_executable_file_wins(void **state)
{
	(void)state;
	expect("a", "a/prog");
	expect("b:c:a", "a/prog");	/* not executable, a directory */
	expect("b:c", NULL);
	expect("a:", "a/prog");
	expect(":a", "./prog");
}

static void test_path_slash_is_not_searched(void **state)
{
	char *got;

	(void)state;
	got = path_search_in("a/prog", "/nonexistent");
	assert_non_null(got);
	assert_string_equal(got, "a/prog");
	free(got);
	assert_null(path_search_in("b/prog", NULL));
	assert_null(path_search_in("c/prog", NULL));
	assert_null(path_search_in("", "a"));
}

static void test_path_default_when_unset(void **state)
{
	char *got = path_search_in("sh", NULL), cs[256];

	(void)state;
	/* The default is what execvp uses: confstr's _CS_PATH. */
	assert_true(confstr(_CS_PATH, cs, sizeof(cs)) > 0);
	assert_string_equal(PATH_DEFAULT, cs);
	assert_non_null(got);
	assert_string_equal(got, "/bin/sh");
	free(got);
	expect(NULL, NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_path_empty_entries_are_cwd,
						setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_path_first_executable_file_wins, setup, teardown),
		cmocka_unit_test_setup_teardown(test_path_slash_is_not_searched,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_path_default_when_unset,
						setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
