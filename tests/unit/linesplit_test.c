/*
 * linesplit must be indistinguishable from libcsv: for any input, cut into
 * blocks anywhere, the callbacks it makes (each field's bytes, length and
 * terminating NUL; each record end with its character) are exactly those
 * libcsv makes on its own with the options load_csv_init() sets, and it
 * stops at the same error after the same callbacks. The reference is
 * libcsv itself, fed the same bytes in different blocks.
 *
 * Inputs: hand-picked edge cases (empty lines, "\r\n", quoted line breaks,
 * spaces and tabs libcsv trims, stray quotes, NUL and non-ASCII bytes, a
 * line of more fields than the shortcut takes, no final '\n'), then random
 * inputs from two generators: bytes drawn mostly from CSV's special
 * characters, and mostly plain rows with an occasional special byte, each
 * fed in random block sizes. The whole-row callback is checked too: the
 * row it gets (fields, NUL-terminated in place; is_ascii) must be the one
 * the field callbacks would have described.
 *
 * This file is also built with -DLINESPLIT_PORTABLE (the byte loop used
 * where SSE2 is missing) as linesplit_portable_test.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "linesplit.h"

/* The callbacks seen, as text: "F<len>:<bytes>|" per field (the bytes
 * escaped), "R<c>|" per record end, "E" after an error. */
struct transcript {
	char *text;
	size_t len, cap;
	int is_row_mode;	/* on_row takes rows whose line is even */
	size_t n_rows_taken;
};

static void put(struct transcript *t, const char *s, size_t n)
{
	if (t->cap - t->len < n + 1) {
		while (t->cap - t->len < n + 1)
			t->cap = t->cap ? 2 * t->cap : 4096;
		t->text = realloc(t->text, t->cap);
		assert_non_null(t->text);
	}
	memcpy(t->text + t->len, s, n);
	t->len += n;
	t->text[t->len] = '\0';
}

static void on_field(void *s, size_t n, void *data)
{
	struct transcript *t = data;
	const unsigned char *b = s;
	char tmp[8];
	size_t i;

	/* CSV_APPEND_NULL: every field arrives NUL-terminated. */
	assert_int_equal(b[n], 0);
	snprintf(tmp, sizeof(tmp), "F%zu:", n);
	put(t, tmp, strlen(tmp));
	for (i = 0; i < n; i++) {
		snprintf(tmp, sizeof(tmp), "%02x", b[i]);
		put(t, tmp, 2);
	}
	put(t, "|", 1);
}

static void on_record(int c, void *data)
{
	struct transcript *t = data;
	char tmp[16];

	snprintf(tmp, sizeof(tmp), "R%d|", c);
	put(t, tmp, strlen(tmp));
}

/* Takes every other row it is offered, and writes it as the field and
 * record callbacks would have: the two paths must read the same. */
static int on_row(char *s, size_t n, const uint32_t *comma, int k,
		  int is_ascii, void *data)
{
	struct transcript *t = data;
	size_t start = 0, i, end;
	int expect_ascii = 1, j = 0;

	/* NULs exactly where the commas were, in order; nothing else below
	 * '#' (the bytes that send a line to libcsv). */
	for (i = 0; i < n; i++) {
		if ((unsigned char)s[i] > 0x7f)
			expect_ascii = 0;
		if (j < k && comma[j] == i) {
			assert_int_equal(s[i], '\0');
			j++;
		} else {
			assert_true((unsigned char)s[i] > '"');
		}
	}
	assert_int_equal(j, k);
	assert_int_equal(is_ascii, expect_ascii);
	assert_int_equal(s[n], '\0');
	if (t->n_rows_taken++ % 2)
		return -1;
	for (i = 0; i <= (size_t)k; i++) {
		end = i < (size_t)k ? comma[i] : n;
		assert_int_equal(s[end], '\0');
		if (n > 0)
			on_field(s + start, end - start, t);
		start = end + 1;
	}
	on_record('\n', t);
	return 0;
}

static void parser_init(struct csv_parser *p)
{
	/* As load_csv_init() (analyze/load_read.c). */
	assert_int_equal(csv_init(p, CSV_STRICT | CSV_STRICT_FINI |
				  CSV_APPEND_NULL | CSV_REPALL_NL), 0);
	csv_set_blk_size(p, 64 * 1024);
}

/* The input in blocks of random sizes (1..max_block) through libcsv
 * alone (is_ref) or linesplit; the transcript, with "E" on an error. */
static char *run(const char *in, size_t n, int is_ref, int is_row_mode,
		 size_t max_block, uint64_t seed)
{
	struct transcript t = { NULL, 0, 0, is_row_mode, 0 };
	struct linesplit ls;
	char *copy = malloc(n + 1);
	size_t pos = 0, len, got;
	int is_error = 0;

	assert_non_null(copy);
	memcpy(copy, in, n);
	put(&t, "", 0);
	parser_init(&ls.parser);
	linesplit_init(&ls, on_field, on_record, &t, NULL);
	if (is_row_mode)
		ls.on_row = on_row;
	while (pos < n && !is_error) {
		len = 1 + next_u64(&seed) % max_block;
		if (len > n - pos)
			len = n - pos;
		if (is_ref)
			got = csv_parse(&ls.parser, copy + pos, len, on_field,
					on_record, &t);
		else
			got = linesplit_feed(&ls, copy + pos, len);
		is_error = got != len;
		pos += len;
	}
	if (!is_error)
		is_error = is_ref ? csv_fini(&ls.parser, on_field, on_record,
					     &t) != 0 : linesplit_fini(&ls) != 0;
	if (is_error) {
		put(&t, "E", 1);
		assert_int_equal(csv_error(&ls.parser), CSV_EPARSE);
	}
	csv_free(&ls.parser);
	free(copy);
	return t.text;
}

/* linesplit (plain and whole-row) against libcsv on one input, in blocks
 * of several sizes. */
static void check_same(const char *in, size_t n, uint64_t seed)
{
	static const size_t blocks[] = { 1, 3, 17, 64, 4096 };
	char *ref = run(in, n, 1, 0, n + 1, seed);
	size_t b;
	int mode;

	for (b = 0; b < N_OF(blocks); b++) {
		for (mode = 0; mode < 2; mode++) {
			char *got = run(in, n, 0, mode, blocks[b], seed + b);

			if (strcmp(got, ref) != 0)
				fail_msg("input of %zu bytes, blocks <= %zu, "
					 "row mode %d:\nlibcsv:    %s\n"
					 "linesplit: %s", n, blocks[b], mode,
					 ref, got);
			free(got);
		}
	}
	free(ref);
}

static void test_edge_cases(void **state)
{
	static const char *const cases[] = {
		"", "\n", "\n\n\n", "a", "a\n", ",", ",\n", ",,\n", "a,b,c\n",
		"a,b\nc,d", "a,,b\n,\n", "a\r\nb\r\n", "a\rb\r", "\r\n\r\n",
		"a,\"b\nc\",d\ne,f\n", "\"a\",b\n", "\"\"\n", "\"a\"\"b\"\n",
		" a , b \n", "\ta\t,b\n", "  \n", "a, \n", " ,\n",
		"a,b\"c\n", "\"a\"b\n", "\"open\n", "a,b\n\"x\n",
		"caf\xc3\xa9,1\n", "\xff\xfe,2\n", "!x,#y,~z\n",
		"\"a\nb\"\n\"c\n\"\n", "x\n\"q\nq\"\ny\n",
		"h1,h2\n1,2\n3,4\n5,6\n7,8\n",
	};
	size_t i;

	(void)state;
	for (i = 0; i < N_OF(cases); i++)
		check_same(cases[i], strlen(cases[i]), i);
}

/* NUL bytes are data to libcsv: lengths, not terminators. */
static void test_nul_bytes(void **state)
{
	static const char in[] = "a\0b,c\n\0,\0\n\"x\0\",y\n";

	(void)state;
	check_same(in, sizeof(in) - 1, 7);
}

/* More fields than the shortcut takes in one line, and long fields. */
static void test_long_lines(void **state)
{
	char *in = malloc(70000);
	size_t n = 0, i;

	(void)state;
	assert_non_null(in);
	for (i = 0; i < 300; i++)
		n += (size_t)sprintf(in + n, "%zu,", i);
	in[n++] = '\n';
	for (i = 0; i < 255; i++)
		n += (size_t)sprintf(in + n, "%zu,", i);
	n += (size_t)sprintf(in + n, "last\n");
	for (i = 0; i < 60000; i++)
		in[n++] = (char)('a' + i % 26);
	in[n++] = '\n';
	check_same(in, n, 11);
	free(in);
}

/* Random bytes, mostly CSV's special characters. */
static void test_random_bytes(void **state)
{
	static const char alphabet[] = "ab1,,,\"\"\n\n\r \t\0\xc3\xa9!#";
	uint64_t rng = 42;
	char in[200];
	int c;

	(void)state;
	for (c = 0; c < 3000; c++) {
		size_t n = next_u64(&rng) % sizeof(in), i;

		for (i = 0; i < n; i++)
			in[i] = alphabet[next_u64(&rng) % (sizeof(alphabet) - 1)];
		check_same(in, n, (uint64_t)c);
	}
}

/* Mostly plain rows of a results file, now and then a special byte. */
static void test_random_rows(void **state)
{
	static const char specials[] = "\"\r \t\0\xe2";
	uint64_t rng = 7;
	char in[4096];
	int c;

	(void)state;
	for (c = 0; c < 1500; c++) {
		size_t n = 0, rows = 1 + next_u64(&rng) % 30, r, f;

		for (r = 0; r < rows && n < sizeof(in) - 200; r++) {
			size_t fields = 1 + next_u64(&rng) % 12;

			for (f = 0; f < fields; f++) {
				size_t len = next_u64(&rng) % 14, i;

				for (i = 0; i < len; i++)
					in[n++] = (char)('0' + next_u64(&rng) % 60);
				if (next_u64(&rng) % 40 == 0)
					in[n++] = specials[next_u64(&rng) %
							   (sizeof(specials) - 1)];
				if (f + 1 < fields)
					in[n++] = ',';
			}
			if (next_u64(&rng) % 25 == 0)
				in[n++] = '\r';
			in[n++] = '\n';
		}
		check_same(in, n, (uint64_t)c);
	}
}

/*
 * 2026-12-02: with is_nul_stop, linesplit stops at the first NUL
 * byte, returning its offset with is_at_nul set, after exactly the
 * callbacks libcsv makes on the bytes before it (an input of NULs has no
 * line end, so waiting for one grew memory without bound). The reference
 * is libcsv fed the input up to that NUL.
 */
static char *run_to_nul(const char *in, size_t n, int is_ref,
			size_t max_block, uint64_t seed, size_t *stop)
{
	struct transcript t = { NULL, 0, 0, 0, 0 };
	struct linesplit ls;
	char *copy = malloc(n + 1);
	const char *nul = memchr(in, '\0', n);
	size_t pos = 0, len, got, end = nul ? (size_t)(nul - in) : n;

	assert_non_null(copy);
	memcpy(copy, in, n);
	put(&t, "", 0);
	parser_init(&ls.parser);
	linesplit_init(&ls, on_field, on_record, &t, NULL);
	ls.is_nul_stop = !is_ref;
	*stop = n;
	while (pos < (is_ref ? end : n)) {
		len = 1 + next_u64(&seed) % max_block;
		if (len > (is_ref ? end : n) - pos)
			len = (is_ref ? end : n) - pos;
		got = is_ref ? csv_parse(&ls.parser, copy + pos, len, on_field,
					 on_record, &t) :
		      linesplit_feed(&ls, copy + pos, len);
		if (got != len) {
			*stop = pos + got;
			break;
		}
		pos += len;
	}
	if (is_ref && *stop == n)
		*stop = end;
	if (!is_ref)
		assert_int_equal(ls.is_at_nul, nul && *stop == end);
	csv_free(&ls.parser);
	free(copy);
	return t.text;
}

static void test_bug_16_nul_stop(void **state)
{
	static const char alphabet[] = "ab1,,,\"\"\n\n\r \t\0\xc3\xa9!#";
	static const size_t blocks[] = { 1, 5, 64, 4096 };
	uint64_t rng = 16;
	char in[200];
	int c;
	size_t b;

	(void)state;
	for (c = 0; c < 2000; c++) {
		size_t n = next_u64(&rng) % sizeof(in), i, ref_stop, stop;
		char *ref;

		for (i = 0; i < n; i++)
			in[i] = alphabet[next_u64(&rng) % (sizeof(alphabet) - 1)];
		ref = run_to_nul(in, n, 1, n + 1, (uint64_t)c, &ref_stop);
		for (b = 0; b < N_OF(blocks); b++) {
			char *got = run_to_nul(in, n, 0, blocks[b],
					       (uint64_t)c + b, &stop);

			/* A parse error before the NUL stops both there. */
			if (strcmp(got, ref) != 0 || stop != ref_stop)
				fail_msg("input of %zu bytes, blocks <= %zu: "
					 "stopped at %zu, libcsv at %zu\n"
					 "libcsv:    %s\nlinesplit: %s", n,
					 blocks[b], stop, ref_stop, ref, got);
			free(got);
		}
		free(ref);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_edge_cases),
		cmocka_unit_test(test_nul_bytes),
		cmocka_unit_test(test_long_lines),
		cmocka_unit_test(test_random_bytes),
		cmocka_unit_test(test_random_rows),
		cmocka_unit_test(test_bug_16_nul_stop),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
