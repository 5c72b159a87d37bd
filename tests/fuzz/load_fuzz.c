/*
 * load_fuzz: the libFuzzer target for analyze's whole pipeline, from bytes
 * of a CSV file to every output format:
 *
 *   load_file -> load_finish -> stats_summarize (--drop-outliers)
 *   -> cmp_build -> explain_build -> fmt_write (text, csv, comparisons
 *   csv, json, md, tex) and explain_fold
 *
 * as main.c runs it, under four option sets (below). The input goes into
 * a memfd opened by its /proc/self/fd path, so load_file reads it as the
 * regular file a user would give it, through the same open/fstat/read
 * path, and load_parallel can split it.
 *
 * Besides crashes, leaks and sanitizer reports there are two oracles:
 * load_parallel.c promises exactly the result of the serial read (groups,
 * values, warnings, first error), and linesplit.c's shortcut for plain
 * lines exactly the result of libcsv alone. Each option set runs serially,
 * split into 2 to 4 parts (ANALYZE_LOAD_THREADS, which splits a file of
 * any size), and serially with every line through libcsv
 * (ANALYZE_LOAD_SHORTCUT=0); the three transcripts (status, diagnostic,
 * warnings and every formatted output) must be byte for byte equal;
 * otherwise the target prints the two that differ and aborts.
 *
 * Built two ways (Makefile): with clang -fsanitize=fuzzer for `make fuzz`,
 * and with gcc + ASan/UBSan and tests/fuzz/replay.c as its main() for
 * `make check`, which replays tests/fuzz/corpus/.
 */
#define _GNU_SOURCE		/* memfd_create */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>

#include "compare.h"
#include "explain.h"
#include "format.h"
#include "load.h"
#include "report.h"
#include "stats.h"
#include "summaries.h"
#include "diag.h"
#include "xalloc.h"

#include "load_fuzz.h"

/* One way of running analyze on the input: its command line, in effect. */
struct fuzz_case {
	const char *name;
	int is_lenient;
	const char *factor;		/* --factor; NULL: platform */
	const char *const *by;		/* --by; NULL: the default key */
	size_t n_by;
	const char *baseline;		/* --baseline; NULL: first seen */
	enum cmp_test test;		/* --test */
	int is_drop_outliers;
	double level, target_ci;	/* --level, --target-ci */
	int is_two_files;		/* input split at its first NUL */
};

static const char *const by_config[] = { "platform", "benchmark", "config" };
static const char *const by_file[] = { "benchmark", "file" };

/*
 * The defaults; --lenient --factor file --test mwu --drop-outliers on two
 * files (the input cut at its first NUL byte, or twice the input when it
 * has none, so --factor file always has two values to compare);
 * --lenient --by platform,benchmark,config --factor config --level 0.99
 * on the same two files (groups found in both are pooled, with a
 * warning); and --by benchmark,file --baseline native --test mwu
 * --drop-outliers --level 0.5 (a baseline that may be missing, a key
 * without metric or unit, MWU's exact p-values on small samples).
 */
static const struct fuzz_case cases[] = {
	{ "default", 0, NULL, NULL, 0, NULL, CMP_TEST_WELCH, 0, 0.95, 0.05,
	  0 },
	{ "lenient-file-mwu", 1, "file", NULL, 0, NULL, CMP_TEST_MWU, 1,
	  0.95, 0.05, 1 },
	{ "by-config", 1, "config", by_config, 3, NULL, CMP_TEST_WELCH, 0,
	  0.99, 0.02, 1 },
	{ "by-file-native", 0, NULL, by_file, 2, "native", CMP_TEST_MWU, 1,
	  0.5, 0.2, 0 },
};

/* A memfd holding one input file, and the path load_file opens. */
struct memfile {
	int fd;
	char path[64];
};

static int memfile_open(struct memfile *m, const uint8_t *data, size_t size)
{
	size_t done = 0;

	m->fd = memfd_create("fuzz.csv", MFD_CLOEXEC);
	if (m->fd < 0)
		return -1;
	while (done < size) {
		ssize_t n = write(m->fd, data + done, size - done);

		if (n <= 0) {
			close(m->fd);
			return -1;
		}
		done += (size_t)n;
	}
	snprintf(m->path, sizeof(m->path), "/proc/self/fd/%d", m->fd);
	return 0;
}

static void print_finding(void *ctx, const char *line)
{
	fprintf(ctx, "  %s\n", line);
}

/* What main.c's compute() does: summaries, --drop-outliers, comparisons. */
static int compute(const struct fuzz_case *fc, struct dataset *ds,
		   struct summary *sums, struct comparison **cmps,
		   size_t *n_cmps, size_t *n_dropped, struct diag *err)
{
	struct cmp_options copt = { fc->baseline, fc->test, fc->level };

	if (summaries_compute(ds, fc->level, sums, err) != 0 ||
	    (fc->is_drop_outliers &&
	     summaries_drop_outliers(ds, fc->level, sums, n_dropped, err)))
		return STATUS_RUNTIME;
	return cmp_build(ds, sums, &copt, cmps, n_cmps, err);
}

/* Every table format, then the folded findings, into out. */
static void write_all(FILE *out, const struct report *r)
{
	static const enum fmt_kind kinds[] = {
		FMT_TEXT, FMT_CSV, FMT_CSV, FMT_JSON, FMT_MD, FMT_TEX
	};
	struct diag err;
	size_t k;

	for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		struct fmt_options fo = { kinds[k], k == 2, 1, "fuzz" };

		fprintf(out, "-- format %d%s\n", (int)kinds[k],
			k == 2 ? " comparisons" : "");
		if (fmt_write(out, r, &fo, &err) != 0)
			diag_print(out, "analyze", &err);
	}
	fprintf(out, "findings:%s\n", r->n_findings ? "" : " none");
	explain_fold(r, print_finding, out);
}

/* The pipeline after loading, its transcript into out. */
static void analyze_loaded(const struct fuzz_case *fc, struct dataset *ds,
			   FILE *out)
{
	struct summary *sums = xcalloc(ds->n_groups, sizeof(*sums));
	struct comparison *cmps = NULL;
	struct finding *findings = NULL;
	size_t n_cmps = 0, n_findings = 0, n_dropped = 0;
	struct explain_options eo = { fc->target_ci };
	struct report r;
	struct diag err;
	int rc;

	rc = compute(fc, ds, sums, &cmps, &n_cmps, &n_dropped, &err);
	fprintf(out, "compute %d\n", rc);
	if (rc == STATUS_BADINPUT)
		diag_print(out, "analyze", &err);
	if (rc == 0) {
		memset(&r, 0, sizeof(r));
		r.ds = ds;
		r.sums = sums;
		r.cmps = cmps;
		r.n_cmps = n_cmps;
		r.level = fc->level;
		r.test = fc->test;
		r.n_outliers_dropped = n_dropped;
		r.is_outliers_dropped = fc->is_drop_outliers;
		explain_build(&r, &eo, &findings, &n_findings);
		r.findings = findings;
		r.n_findings = n_findings;
		write_all(out, &r);
	}
	explain_free(findings);
	cmp_free(cmps);
	free(sums);
}

/*
 * One run of case fc on files[0..n_files-1], load split into 'threads'
 * parts (1: serial), with linesplit's shortcut or (is_libcsv_only) not.
 * Returns its transcript (caller frees).
 */
static char *run_case(const struct fuzz_case *fc, const struct memfile *files,
		      size_t n_files, int threads, int is_libcsv_only)
{
	struct load_options lopt = {
		fc->by, fc->n_by, fc->factor, fc->is_lenient
	};
	char env[2] = { (char)('0' + threads), '\0' };
	struct dataset *ds;
	struct diag err;
	char *text = NULL;
	size_t len = 0, i;
	FILE *out = open_memstream(&text, &len);
	int rc = 0;

	if (!out)
		abort();
	setenv("ANALYZE_LOAD_THREADS", env, 1);
	if (is_libcsv_only)
		setenv("ANALYZE_LOAD_SHORTCUT", "0", 1);
	else
		unsetenv("ANALYZE_LOAD_SHORTCUT");
	ds = load_new(&lopt);
	for (i = 0; i < n_files && rc == 0; i++)
		rc = load_file(ds, files[i].path, &err);
	if (rc == 0)
		rc = load_finish(ds, &err);
	fprintf(out, "load %d\n", rc);
	if (rc != 0)
		diag_print(out, "analyze", &err);
	for (i = 0; i < ds->warnings.n; i++)
		diag_print(out, "analyze", &ds->warnings.items[i]);
	if (rc == 0)
		analyze_loaded(fc, ds, out);
	load_free(ds);
	if (fclose(out) != 0)
		abort();
	return text;
}

/* Two transcripts of one case must be equal; else abort. */
static void expect_same(const struct fuzz_case *fc, const char *serial,
			const char *other, const char *what)
{
	if (strcmp(serial, other) == 0)
		return;
	fprintf(stderr, "load_fuzz: case %s: %s differs from the serial "
		"read\n--- serial\n%s\n--- %s\n%s\n", fc->name, what, serial,
		what, other);
	abort();
}

/* The serial read, the split read and libcsv alone must say the same. */
static void run_and_compare(const struct fuzz_case *fc,
			    const struct memfile *files, size_t n_files,
			    int threads)
{
	char *serial = run_case(fc, files, n_files, 1, 0);
	char *split = run_case(fc, files, n_files, threads, 0);
	char *plain = run_case(fc, files, n_files, 1, 1);

	expect_same(fc, serial, split, "the read in parts");
	expect_same(fc, serial, plain, "the read by libcsv alone");
	free(plain);
	/* For a person checking what the target runs: LOAD_FUZZ_PRINT=1. */
	if (getenv("LOAD_FUZZ_PRINT"))
		fprintf(stderr, "=== case %s\n%s", fc->name, serial);
	free(serial);
	free(split);
}

/* The files of case fc: the input, or its two halves around the first
 * NUL (the whole input twice when it has none). Returns how many. */
static size_t open_files(const struct fuzz_case *fc, const uint8_t *data,
			 size_t size, struct memfile *files)
{
	const uint8_t *nul = memchr(data, '\0', size);
	size_t cut = nul ? (size_t)(nul - data) : size;

	if (!fc->is_two_files)
		return memfile_open(&files[0], data, size) ? 0 : 1;
	if (memfile_open(&files[0], data, cut) != 0)
		return 0;
	if (memfile_open(&files[1], nul ? nul + 1 : data,
			 nul ? size - cut - 1 : size) != 0) {
		close(files[0].fd);
		return 0;
	}
	return 2;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* 2, 3 or 4 parts, chosen by the input so each gets tried. */
	int threads = 2 + (int)(size % 3);
	size_t c, i, n;

	/* As main() does: GSL's default handler aborts, and every GSL
	 * status is checked. */
	gsl_set_error_handler_off();
	for (c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		struct memfile files[2];

		n = open_files(&cases[c], data, size, files);
		if (n == 0)
			abort();
		run_and_compare(&cases[c], files, n, threads);
		for (i = 0; i < n; i++)
			close(files[i].fd);
	}
	return 0;
}
