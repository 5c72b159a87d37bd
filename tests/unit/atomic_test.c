/*
 * lib/atomic: a committed file has exactly the bytes written and the mode
 * of a plain new file (0666 less the umask, as open(2) with O_CREAT would
 * give) or of the file it replaces, an aborted or failed write leaves the
 * old file as it was, no temporary file is left behind in either case, a
 * directory is refused and a device written in place.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"
#include "atomic.h"

static char dir[PATH_MAX], target[PATH_MAX + 16];

static int setup(void **state)
{
	const char *tmp = getenv("TMPDIR");

	(void)state;
	snprintf(dir, sizeof(dir), "%s/atomic_test.XXXXXX",
		 tmp ? tmp : "/tmp");
	if (!mkdtemp(dir))
		return -1;
	snprintf(target, sizeof(target), "%s/out.txt", dir);
	return 0;
}

static size_t n_entries(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t n = 0;

	assert_non_null(d);
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

static int teardown(void **state)
{
	(void)state;
	unlink(target);
	return rmdir(dir);
}

static void read_back(char *buf, size_t size)
{
	FILE *f = fopen(target, "r");
	size_t n;

	assert_non_null(f);
	n = fread(buf, 1, size - 1, f);
	buf[n] = '\0';
	fclose(f);
}

static void test_atomic_commit_replaces(void **state)
{
	char *tmp, buf[64];
	struct stat st;
	mode_t um = umask(022);
	FILE *f;

	(void)state;
	assert_int_equal(atomic_write_file(target, "old\n", 4), 0);
	f = atomic_open(target, &tmp);
	assert_non_null(f);
	assert_int_equal(n_entries(), 2);	/* the old file and tmp */
	fputs("new\n", f);
	read_back(buf, sizeof(buf));
	assert_string_equal(buf, "old\n");	/* not yet replaced */
	assert_int_equal(atomic_commit(f, tmp, target), 0);
	read_back(buf, sizeof(buf));
	assert_string_equal(buf, "new\n");
	assert_int_equal(stat(target, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0644);
	assert_int_equal(n_entries(), 1);
	umask(um);
}

static void test_atomic_abort_keeps_old(void **state)
{
	char *tmp, buf[64];
	FILE *f;

	(void)state;
	assert_int_equal(atomic_write_file(target, "old\n", 4), 0);
	f = atomic_open(target, &tmp);
	assert_non_null(f);
	fputs("partial", f);
	atomic_abort(f, tmp);
	read_back(buf, sizeof(buf));
	assert_string_equal(buf, "old\n");
	assert_int_equal(n_entries(), 1);
	atomic_abort(NULL, NULL);	/* nothing to do */
}

static void test_atomic_missing_directory(void **state)
{
	char path[PATH_MAX + 32], *tmp = NULL;

	(void)state;
	snprintf(path, sizeof(path), "%s/no/such/file", dir);
	errno = 0;
	assert_null(atomic_open(path, &tmp));
	assert_int_equal(errno, ENOENT);
	assert_int_equal(atomic_write_file(path, "x", 1), -1);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(n_entries(), 0);
}

static void test_atomic_directory_refused(void **state)
{
	char *tmp = NULL;

	(void)state;
	assert_int_equal(mkdir(target, 0755), 0);
	errno = 0;
	assert_null(atomic_open(target, &tmp));
	assert_int_equal(errno, EISDIR);
	assert_int_equal(n_entries(), 1);	/* only the directory */
	assert_int_equal(rmdir(target), 0);
}

/* A replaced file keeps its mode (a private 0600 file stays private). */
static void test_atomic_keeps_mode(void **state)
{
	struct stat st;

	(void)state;
	assert_int_equal(atomic_write_file(target, "old\n", 4), 0);
	assert_int_equal(chmod(target, 0600), 0);
	assert_int_equal(atomic_write_file(target, "new\n", 4), 0);
	assert_int_equal(stat(target, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
}

/* A device is written where it is: /dev/null stays a device. */
static void test_atomic_device_in_place(void **state)
{
	struct stat st;

	(void)state;
	assert_int_equal(atomic_write_file("/dev/null", "x", 1), 0);
	assert_int_equal(stat("/dev/null", &st), 0);
	assert_true(S_ISCHR(st.st_mode));
	assert_int_equal(n_entries(), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_atomic_commit_replaces,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_atomic_abort_keeps_old,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_atomic_missing_directory,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_atomic_directory_refused,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_atomic_keeps_mode,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_atomic_device_in_place,
						setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
