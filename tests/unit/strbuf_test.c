/*
 * lib/strbuf: appends keep every byte (NULs included) and the final NUL,
 * formatted appends of any length match snprintf, and detach/release
 * leave an empty buffer. References: the same text built with snprintf
 * into a large enough array.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "strbuf.h"

static void test_strbuf_add_keeps_bytes(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	assert_null(sb.buf);
	strbuf_add(&sb, "", 0);
	assert_non_null(sb.buf);
	assert_string_equal(sb.buf, "");
	strbuf_add(&sb, "a\0b", 3);
	strbuf_addstr(&sb, "cd");
	assert_int_equal(sb.len, 5);
	assert_memory_equal(sb.buf, "a\0bcd", 6);
	assert_true(sb.cap > sb.len);
	strbuf_release(&sb);
	assert_null(sb.buf);
	assert_int_equal(sb.len, 0);
	strbuf_release(&sb);	/* again: a no-op */
}

static void test_strbuf_addf_matches_snprintf(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	static char want[200000];
	size_t at = 0;
	int i;

	(void)state;
	/* Many appends, some longer than any capacity reached so far. */
	for (i = 0; i < 2000; i++) {
		const char *word = i % 97 ? "x" : "a longer piece of text "
			"that is appended now and then, 0123456789";

		strbuf_addf(&sb, "%d:%s;", i, word);
		at += (size_t)snprintf(want + at, sizeof(want) - at, "%d:%s;",
				       i, word);
	}
	assert_int_equal(sb.len, at);
	assert_string_equal(sb.buf, want);
	strbuf_release(&sb);
}

static void test_strbuf_detach(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	char *s;

	(void)state;
	s = strbuf_detach(&sb);	/* nothing added: still a string */
	assert_string_equal(s, "");
	free(s);
	strbuf_addf(&sb, "%s=%.3f", "pi", 3.14159);
	s = strbuf_detach(&sb);
	assert_string_equal(s, "pi=3.142");
	assert_null(sb.buf);
	assert_int_equal(sb.len, 0);
	assert_int_equal(sb.cap, 0);
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strbuf_add_keeps_bytes),
		cmocka_unit_test(test_strbuf_addf_matches_snprintf),
		cmocka_unit_test(test_strbuf_detach),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
