/*
 * runners/protocol: every job round-trips through proto_job_encode and
 * proto_job_decode, hostile words included (commas, percent signs,
 * spaces, line breaks, quotes, bytes above 0x7f, empty words, words that
 * look like escapes), and the encoded text never holds a byte a kernel
 * command line would split or eat. Decoding errors are reported, not
 * truncated into a different job. The markers spell what protocol.h
 * documents (the text bin/campaign and tests/e2e/37-39 read).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "protocol.h"

/* Encode words, decode the text, compare word for word. */
static void round_trip(char *const *words, int n)
{
	struct proto_job job;
	struct diag err;
	char *text = proto_job_encode(words, n);
	const char *p;
	int i;

	for (p = text; *p; p++)
		if (!strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
			    "0123456789._/:=+-,%", *p))
			fail_msg("byte 0x%02x in the encoded job '%s'",
				 (unsigned char)*p, text);
	if (proto_job_decode(&job, text, &err) != 0)
		fail_msg("'%s' did not decode: %s", text, err.msg);
	assert_int_equal(job.argc, n + 1);
	assert_string_equal(job.argv[0], "bench");
	for (i = 0; i < n; i++)
		if (strcmp(job.argv[i + 1], words[i]) != 0)
			fail_msg("word %d: '%s' came back as '%s' (text '%s')",
				 i, words[i], job.argv[i + 1], text);
	assert_null(job.argv[n + 1]);
	free(text);
}

static void test_protocol_hostile_words(void **state)
{
	char *jobs[][6] = {
		{ "stream", "--size", "1M", NULL },
		{ "time", "--", "sh", "-c", "echo a, b; echo 100% done", NULL },
		{ "time", "--prepare", "rm -f 'x y' \"z\"\n", NULL },
		{ "http", "-H", "X-A: %41%2C", "http://127.0.0.1:80/?a=b&c", NULL },
		{ "syscall", "", ",", "%", NULL },
		{ "time", "--", "none", NULL },
		{ "imagesize", "\xc3\xa9t\xc3\xa9", "\x7f\x01\x1f\xff", NULL },
		{ "x", "%%", "%zz", "\\", "a b\tc", NULL },
	};
	size_t k;

	(void)state;
	for (k = 0; k < N_OF(jobs); k++) {
		int n = 0;

		while (jobs[k][n])
			n++;
		round_trip(jobs[k], n);
	}
}

/* Random words of every byte but NUL, reproducible (splitmix64). */
static void test_protocol_random_words(void **state)
{
	uint64_t seed = 17;
	char buf[8][40], *words[8];
	int round, i, j;

	(void)state;
	for (round = 0; round < 2000; round++) {
		int n = 1 + (int)(next_u64(&seed) % 8);

		for (i = 0; i < n; i++) {
			int len = (int)(next_u64(&seed) % 39);

			for (j = 0; j < len; j++)
				buf[i][j] = (char)(1 + next_u64(&seed) % 255);
			buf[i][len] = '\0';
			words[i] = buf[i];
		}
		/* A first word must name a command: non-empty, not "none". */
		if (!words[0][0] || !strcmp(words[0], "none"))
			words[0] = "stream";
		round_trip(words, n);
	}
}

static void test_protocol_no_job(void **state)
{
	struct proto_job job;
	struct diag err;
	char *text = proto_job_encode(NULL, 0);

	(void)state;
	assert_string_equal(text, "none");
	free(text);
	assert_int_equal(proto_job_decode(&job, "none", &err), 0);
	assert_int_equal(job.argc, 1);
	assert_int_equal(proto_job_decode(&job, "", &err), 0);
	assert_int_equal(job.argc, 1);
	/* The text ends at a space: the rest of a kernel command line. */
	assert_int_equal(proto_job_decode(&job, "syscall,--ops,3 quiet "
					  "panic=-1", &err), 0);
	assert_int_equal(job.argc, 4);
	assert_string_equal(job.argv[3], "3");
}

static void test_protocol_bad_jobs(void **state)
{
	struct proto_job job;
	struct diag err;
	char *long_text = malloc(PROTO_JOB_BYTES + 10), many[2 * 200 + 1];
	int i;

	(void)state;
	assert_int_equal(proto_job_decode(&job, "stream,%4", &err),
			 STATUS_BADINPUT);
	assert_string_equal(err.msg, "bad escape '%4' in the job");
	assert_int_equal(proto_job_decode(&job, "stream,%G0", &err),
			 STATUS_BADINPUT);
	assert_string_equal(err.msg, "bad escape '%G0' in the job");
	assert_non_null(long_text);
	memset(long_text, 'a', PROTO_JOB_BYTES + 9);
	long_text[PROTO_JOB_BYTES + 9] = '\0';
	assert_int_equal(proto_job_decode(&job, long_text, &err),
			 STATUS_BADINPUT);
	assert_string_equal(err.msg, "job longer than 8192 bytes");
	free(long_text);
	for (i = 0; i < 200; i++) {
		many[2 * i] = 'w';
		many[2 * i + 1] = ',';
	}
	many[2 * 200 - 1] = '\0';
	assert_int_equal(proto_job_decode(&job, many, &err), STATUS_BADINPUT);
	assert_string_equal(err.msg, "more than 128 words in the job");
}

/* The markers as protocol.h documents them. */
static void test_protocol_markers(void **state)
{
	(void)state;
	assert_string_equal(PROTO_GUEST "12" PROTO_CLOSE,
			    "@@BENCH-GUEST boottime_ns=12@@");
	assert_string_equal(PROTO_EVIDENCE, "@@BENCH-EVIDENCE ");
	assert_string_equal(PROTO_BEGIN, "@@BENCH-BEGIN@@");
	assert_string_equal(PROTO_END_RC "0" PROTO_CLOSE, "@@BENCH-END rc=0@@");
	assert_string_equal(PROTO_END, "@@BENCH-END");
	assert_string_equal(PROTO_READY, "@@BENCH-READY ");
	assert_string_equal(PROTO_SERVED, "@@BENCH-SERVED ");
	assert_int_equal(PROTO_LEN(PROTO_END_RC), 15);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_protocol_hostile_words),
		cmocka_unit_test(test_protocol_random_words),
		cmocka_unit_test(test_protocol_no_job),
		cmocka_unit_test(test_protocol_bad_jobs),
		cmocka_unit_test(test_protocol_markers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
