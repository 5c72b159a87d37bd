/*
 * lib/diag: the three shapes of a diagnostic line in docs/conventions.md
 * ("FILE:LINE: message", "FILE: message", "TOOL: message", with
 * "warning: " after the location), truncation of overlong text, and the
 * status to exit status mapping (0, 1, 2).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "diag.h"

/* What diag_print writes, into buf. */
static void printed(const char *tool, const struct diag *d, char *buf,
		    size_t size)
{
	FILE *f = fmemopen(buf, size, "w");

	assert_non_null(f);
	diag_print(f, tool, d);
	assert_int_equal(fclose(f), 0);
}

static void test_diag_print_shapes(void **state)
{
	struct diag d;
	char buf[256];

	(void)state;
	diag_set(&d, "runs.csv", 14, "value '%s' is not a number", "12ms");
	printed("analyze", &d, buf, sizeof(buf));
	assert_string_equal(buf, "runs.csv:14: value '12ms' is not a number\n");
	diag_set(&d, "runs.csv", 0, "cannot read");
	printed("analyze", &d, buf, sizeof(buf));
	assert_string_equal(buf, "runs.csv: cannot read\n");
	diag_set(&d, NULL, 7, "no input file");
	printed("bench stream", &d, buf, sizeof(buf));
	assert_string_equal(buf, "bench stream: no input file\n");
	d.is_warning = 1;
	printed("campaign", &d, buf, sizeof(buf));
	assert_string_equal(buf, "campaign: warning: no input file\n");
}

static void test_diag_truncates(void **state)
{
	struct diag d;
	char *big = malloc(2 * DIAG_FILE_MAX);

	(void)state;
	assert_non_null(big);
	memset(big, 'x', 2 * DIAG_FILE_MAX - 1);
	big[2 * DIAG_FILE_MAX - 1] = '\0';
	diag_set(&d, big, 1, "%s", big);
	assert_int_equal(strlen(d.file), DIAG_FILE_MAX - 1);
	assert_int_equal(strlen(d.msg), DIAG_MSG_MAX - 1);
	free(big);
}

static void test_diag_list(void **state)
{
	struct diag_list l = { NULL, 0, 0 };
	int i;

	(void)state;
	for (i = 0; i < 100; i++)
		diag_list_add(&l, "f.csv", (unsigned long)i + 2, "row %d", i);
	assert_int_equal(l.n, 100);
	assert_true(l.items[99].is_warning);
	assert_int_equal(l.items[99].line, 101);
	assert_string_equal(l.items[42].msg, "row 42");
	diag_list_release(&l);
	assert_null(l.items);
	assert_int_equal(l.n, 0);
}

static void test_diag_status_exit(void **state)
{
	(void)state;
	assert_int_equal(status_exit(STATUS_OK), 0);
	assert_int_equal(status_exit(STATUS_RUNTIME), 1);
	assert_int_equal(status_exit(STATUS_BADINPUT), 2);
	assert_int_equal(EXIT_INTERRUPTED, 128 + 2);	/* 128 + SIGINT */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_diag_print_shapes),
		cmocka_unit_test(test_diag_truncates),
		cmocka_unit_test(test_diag_list),
		cmocka_unit_test(test_diag_status_exit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
