/*
 * memsweep: seconds for a fixed workload of one-byte writes, one per page,
 * across a buffer much larger than the TLB reach, in an order that gives
 * the prefetchers nothing to follow. It stresses page faults, the TLB and
 * the page walk: the costs that nested or emulated paging multiply (the
 * course benchmark measured ~5 s natively and ~140 s under QEMU, with its
 * own buffer size and pass count).
 *
 * The access pattern, exactly (also in --help and bench-memsweep(1)):
 * P = buffer size / page size pages; S = the largest prime <= min(1021,
 * P - 1) that does not divide P (1 when P < 3), so S and P are coprime and
 * k -> (p + k S) mod P visits every page once. Pass p = 0, 1, ... writes
 * the byte 1 + (page + p) mod 255 at offset 64 (p mod (page size / 64))
 * of each page, pages in that order: successive writes land S pages
 * (about 4 MiB) apart, and each pass uses a different cache line.
 */
#define _GNU_SOURCE		/* MAP_ANONYMOUS, madvise(MADV_NOHUGEPAGE) */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "bench.h"
#include "common.h"

#define MEMSWEEP_CMD "memsweep"
#define MEMSWEEP_MAX_STRIDE 1021
#define MEMSWEEP_LINE 64

struct memsweep_opts {
	uint64_t size_bytes;
	long passes;
	size_t page_bytes;
	size_t n_pages;
	size_t stride_pages;
};

static const char memsweep_intro[] =
	"usage: bench memsweep [--size BYTES] [--passes N] [common options]\n"
	"\n"
	"Seconds to map a fresh anonymous buffer of --size bytes (transparent\n"
	"huge pages refused with MADV_NOHUGEPAGE), write one byte per page in\n"
	"each of --passes passes, and unmap it, on CLOCK_MONOTONIC (a checksum\n"
	"pass in between is not timed). With P pages and S the largest prime\n"
	"<= min(1021, P - 1) not dividing P, pass p writes the byte\n"
	"1 + (page + p) mod 255 at offset 64 * (p mod (page size / 64)) of\n"
	"page (p + k S) mod P for k = 0 .. P - 1: every page once per pass,\n"
	"successive writes S pages apart (prefetchers cannot follow), a new\n"
	"cache line each pass. The first pass also takes the page faults.\n"
	"One row per run: metric seconds, unit s, better lower. Self-check:\n"
	"the sum of the bytes last written at each touched offset must equal\n"
	"the sum computed from the formula (every page visited exactly once\n"
	"per pass). The course benchmark this follows measured ~5 s natively\n"
	"and ~140 s under QEMU with its own size; compare platforms, not\n"
	"those numbers.\n"
	"\n"
	"Example: bench memsweep --size 1G --passes 8 --runs 5 -o sweep.csv\n"
	"\n"
	"Options:\n";

enum memsweep_opt {
	MEMSWEEP_OPT_SIZE,
	MEMSWEEP_OPT_PASSES
};

static const struct opt_spec memsweep_options[] = {
	{ MEMSWEEP_OPT_SIZE, 0, "size", "BYTES",
	  "buffer size, K/M/G suffixes (default: 256M)" },
	{ MEMSWEEP_OPT_PASSES, 0, "passes", "N",
	  "passes over the buffer (default: 16)" },
	COMMON_VERSION_ROW,
};

static const char memsweep_exit_help[] =
	"\n"
	"Exit status: 0 success, 1 runtime failure or failed checksum,\n"
	"2 bad usage or a buffer larger than memory (no rows written),\n"
	"130 interrupted (finished rows kept).\n";

static const struct bench_doc memsweep_doc = {
	MEMSWEEP_CMD, memsweep_intro, OPT_TABLE(memsweep_options), 23,
	"Runs default to 5, warm-ups to 1.\n",
	memsweep_exit_help, 1, BENCH_OPERANDS_NONE
};

/* ---- the access pattern -------------------------------------------------- */

static int is_prime(size_t n)
{
	if (n < 2)
		return 0;
	for (size_t d = 2; d * d <= n; d++)
		if (n % d == 0)
			return 0;
	return 1;
}

/* The largest prime <= min(1021, pages - 1) not dividing pages: coprime
 * with pages, so the stride walks a full cycle. */
static size_t choose_stride(size_t pages)
{
	size_t s = pages > MEMSWEEP_MAX_STRIDE + 1 ? MEMSWEEP_MAX_STRIDE :
		   pages - 1;

	for (; s >= 2; s--)
		if (is_prime(s) && pages % s != 0)
			return s;
	return 1;
}

static unsigned char sweep_value(size_t page, long pass)
{
	return (unsigned char)(1 + (page + (size_t)pass) % 255);
}

static size_t pass_offset(const struct memsweep_opts *o, long pass)
{
	return MEMSWEEP_LINE * ((size_t)pass % (o->page_bytes / MEMSWEEP_LINE));
}

static void sweep_pass(const struct memsweep_opts *o, unsigned char *buf,
		       long pass)
{
	size_t n = o->n_pages, s = o->stride_pages, off = pass_offset(o, pass);
	size_t page = (size_t)pass % n;

	for (size_t k = 0; k < n; k++) {
		buf[page * o->page_bytes + off] = sweep_value(page, pass);
		page += s;
		if (page >= n)
			page -= n;
	}
}

/*
 * The passes that wrote last at each offset are the final
 * page_bytes / 64 ones. Their bytes, read in page order, must sum to what
 * the formula gives; a page skipped or visited twice in a pass changes it.
 */
static int checksum_ok(const struct memsweep_opts *o,
		       const unsigned char *buf)
{
	long lines = (long)(o->page_bytes / MEMSWEEP_LINE), p;
	uint64_t got = 0, want = 0;

	for (p = o->passes > lines ? o->passes - lines : 0; p < o->passes;
	     p++) {
		size_t off = pass_offset(o, p);

		for (size_t page = 0; page < o->n_pages; page++) {
			got += buf[page * o->page_bytes + off];
			want += sweep_value(page, p);
		}
	}
	if (got == want)
		return 1;
	bench_error(MEMSWEEP_CMD, "checksum failed: the touched bytes sum "
		    "to %llu, expected %llu", (unsigned long long)got,
		    (unsigned long long)want);
	return 0;
}

/* ---- runs ---------------------------------------------------------------- */

static int memsweep_run(void *ctx, long run, struct rows *out,
			double *main_metric)
{
	const struct memsweep_opts *o = ctx;
	size_t len = o->n_pages * o->page_bytes;
	uint64_t t0, t1, t2, t3;
	unsigned char *buf;
	int is_ok;

	t0 = now_ns();
	buf = mmap(NULL, len, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED) {
		bench_error(MEMSWEEP_CMD, "cannot map %zu bytes: %s", len,
			    strerror(errno));
		return EXIT_RUNTIME;
	}
#ifdef MADV_NOHUGEPAGE
	/* Huge pages would divide the TLB misses by 512: this benchmark is
	 * about 4 KiB pages. Failure (no THP support) changes nothing. */
	madvise(buf, len, MADV_NOHUGEPAGE);
#endif
	for (long p = 0; p < o->passes; p++)
		sweep_pass(o, buf, p);
	t1 = now_ns();
	is_ok = checksum_ok(o, buf);
	t2 = now_ns();
	munmap(buf, len);
	t3 = now_ns();
	if (!is_ok)
		return EXIT_RUNTIME;
	*main_metric = (double)((t1 - t0) + (t3 - t2)) * 1e-9;
	if (out && rows_add(out, "seconds", *main_metric, "s", run, "lower"))
		return EXIT_RUNTIME;
	return EXIT_OK;
}

/* ---- options and setup --------------------------------------------------- */

static int memsweep_option(void *ctx, int id, const char *name,
			   const char *v, struct diag *err)
{
	struct memsweep_opts *o = ctx;

	if (id == MEMSWEEP_OPT_SIZE)
		return parse_size(err, name, v, 2 * o->page_bytes,
				  (uint64_t)1 << 46, &o->size_bytes);
	return parse_long(err, name, v, 1, 100000, &o->passes);
}

/* Returns -1 to go on, else the exit status (0 after --help). */
static int memsweep_parse(int argc, char **argv, struct bench_common *c,
			  struct memsweep_opts *o)
{
	int status;

	memset(o, 0, sizeof(*o));
	o->size_bytes = 256ULL << 20;
	o->passes = 16;
	o->page_bytes = (size_t)page_size();
	if (common_parse(c, &memsweep_doc, argc, argv, memsweep_option, o,
			 NULL, &status))
		return status;
	return -1;
}

/* The buffer must fit in physical memory when the system can say. */
static int check_size(struct memsweep_opts *o)
{
	long pages = sysconf(_SC_PHYS_PAGES);
	double have = (double)pages * (double)o->page_bytes;

	if (o->size_bytes % o->page_bytes)
		return usage_error(MEMSWEEP_CMD, "--size %llu is not a "
				   "multiple of the page size (%zu)",
				   (unsigned long long)o->size_bytes,
				   o->page_bytes);
	if (pages > 0 && (double)o->size_bytes > have)
		return usage_error(MEMSWEEP_CMD, "--size %.0f MiB exceeds the "
				   "machine's %.0f MiB",
				   (double)o->size_bytes / 1048576,
				   have / 1048576);
	o->n_pages = (size_t)(o->size_bytes / o->page_bytes);
	o->stride_pages = choose_stride(o->n_pages);
	return -1;
}

int cmd_memsweep(int argc, char **argv)
{
	struct bench_common c;
	struct memsweep_opts o;
	int status;

	common_init(&c);
	status = memsweep_parse(argc, argv, &c, &o);
	if (status < 0 && common_checked(&c))
		return EXIT_OK;
	if (status < 0)
		status = check_size(&o);
	if (status >= 0)
		return status;
	if (c.is_verbose)
		fprintf(stderr, "bench memsweep: %zu pages of %zu bytes, "
			"stride %zu pages, %ld passes\n", o.n_pages,
			o.page_bytes, o.stride_pages, o.passes);
	return common_measure(&c, MEMSWEEP_CMD, "memsweep", 5, 1, memsweep_run,
			      &o, argc, argv);
}
