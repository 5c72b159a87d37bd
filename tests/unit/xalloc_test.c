/*
 * lib/xalloc: the copies are exact, zero sizes still give distinct
 * memory, ARRAY_GROW grows geometrically, and a failure (an overflowing count) ends the process with
 * status 1 and "PROGRAM: out of memory", checked in a child process.
 */
#define _GNU_SOURCE		/* program_invocation_short_name */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testutil.h"
#include "xalloc.h"

static void test_copies(void **state)
{
	const char text[] = "a,b\0hidden";
	char *all = xstrdup(text);
	char *part = xstrndup(text, 2);
	char *none = xstrndup(text, 0);

	(void)state;
	assert_string_equal(all, "a,b");
	assert_string_equal(part, "a,");
	assert_string_equal(none, "");
	free(all);
	free(part);
	free(none);
}

static void test_zero_sizes(void **state)
{
	char *a = xmalloc(0), *b = xcalloc(0, 8), *c = xreallocarray(NULL, 0, 8);
	unsigned char *z = xcalloc(64, 2);

	(void)state;
	assert_non_null(a);
	assert_non_null(b);
	assert_non_null(c);
	assert_ptr_not_equal(a, b);
	assert_ptr_not_equal(b, c);
	for (size_t i = 0; i < 128; i++)
		assert_int_equal(z[i], 0);
	free(a);
	free(b);
	free(c);
	free(z);
}

static void test_growth_keeps_contents(void **state)
{
	int *v = NULL;

	(void)state;
	for (size_t n = 1; n <= 4096; n *= 2) {
		v = xreallocarray(v, n, sizeof(*v));
		for (size_t i = n / 2; i < n; i++)
			v[i] = (int)i;
	}
	for (size_t i = 0; i < 4096; i++)
		assert_int_equal(v[i], (int)i);
	v = xrealloc(v, 0);
	assert_non_null(v);
	free(v);
}

/* ARRAY_GROW: capacity at least what is asked, growing geometrically
 * (so few reallocations), contents kept. */
static void test_array_grow(void **state)
{
	long *v = NULL;
	size_t cap = 0, n_reallocs = 0, n;

	(void)state;
	for (n = 0; n < 100000; n++) {
		size_t before = cap;

		ARRAY_GROW(v, n + 1, cap);
		assert_true(cap >= n + 1);
		if (cap != before) {
			n_reallocs++;
			assert_true(before == 0 || cap >= before + before / 2);
		}
		v[n] = (long)n * 3;
	}
	for (n = 0; n < 100000; n++)
		assert_int_equal(v[n], (long)n * 3);
	assert_true(n_reallocs < 30);	/* log(100000) / log(1.5) = 28.4 */
	ARRAY_GROW(v, 10, cap);		/* already room: unchanged */
	assert_true(cap >= 100000);
	ARRAY_GROW(v, 500000, cap);	/* a jump past 1.5x: exactly need */
	assert_true(cap >= 500000);
	free(v);
}

static void test_xasprintf(void **state)
{
	char *s = xasprintf("%s-%03d-%.2f", "run", 7, 2.5);

	(void)state;
	assert_string_equal(s, "run-007-2.50");
	free(s);
}

/* The child's exit status and what it wrote on stderr for an allocation
 * of n elements of size bytes each. */
static int die_in_child(size_t n, size_t size, char *msg, size_t msg_size)
{
	int fds[2], status;
	ssize_t got;
	pid_t pid;

	assert_int_equal(pipe(fds), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		dup2(fds[1], STDERR_FILENO);
		close(fds[0]);
		free(xreallocarray(NULL, n, size));
		_exit(0);
	}
	close(fds[1]);
	got = read(fds[0], msg, msg_size - 1);
	msg[got > 0 ? got : 0] = '\0';
	close(fds[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

static void test_overflow_dies(void **state)
{
	char msg[256], want[256];

	(void)state;
	snprintf(want, sizeof(want), "%s: out of memory\n",
		 program_invocation_short_name);
	assert_int_equal(die_in_child(SIZE_MAX / 2 + 2, 2, msg, sizeof(msg)),
			 1);
	assert_string_equal(msg, want);
	/* A zero element size never overflows, whatever the count. (A
	 * product that fits but cannot be allocated is not tried: ASan
	 * aborts on such a request instead of returning NULL.) */
	assert_int_equal(die_in_child(SIZE_MAX, 0, msg, sizeof(msg)), 0);
	assert_string_equal(msg, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_copies),
		cmocka_unit_test(test_zero_sizes),
		cmocka_unit_test(test_growth_keeps_contents),
		cmocka_unit_test(test_array_grow),
		cmocka_unit_test(test_xasprintf),
		cmocka_unit_test(test_overflow_dies),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
