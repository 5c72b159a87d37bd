/*
 * stream: sustainable memory bandwidth of the four STREAM kernels, written
 * from the definitions of John D. McCalpin's STREAM benchmark
 * (https://www.cs.virginia.edu/stream/ref.html, "STREAM: Sustainable Memory
 * Bandwidth in High Performance Computers"):
 *
 *   Copy   c[j] = a[j]                  2 x 8 bytes counted per element
 *   Scale  b[j] = q * c[j]              2 x 8 bytes
 *   Add    c[j] = a[j] + b[j]           3 x 8 bytes
 *   Triad  a[j] = b[j] + q * c[j]       3 x 8 bytes
 *
 * with q = 3, arrays of doubles each at least 4 times the last-level cache
 * (STREAM's rule 1), rates in MB/s of 10^6 bytes, the first of --ntimes
 * iterations discarded, and the final arrays checked against the values
 * the same recurrence gives on scalars (STREAM's checkSTREAMresults: the
 * average absolute error relative to the expected value must not exceed
 * 1e-13 for doubles). No STREAM source is used.
 */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

#include "bench.h"
#include "common.h"

#define STREAM_CMD "stream"
#define STREAM_SCALAR 3.0
#define STREAM_EPSILON 1e-13	/* STREAM's epsilon for 8-byte reals */
#define STREAM_NKERNELS 4
/* At least one element per thread: the minimum size is the thread limit. */
#define STREAM_MIN_ELEMENTS 1024
#define STREAM_MAX_THREADS STREAM_MIN_ELEMENTS
#define STREAM_FALLBACK_LLC (32ULL << 20)

static const char *const kernel_names[STREAM_NKERNELS] = {
	"copy", "scale", "add", "triad"
};

/* Arrays read plus written per element: STREAM's byte counting. */
static const int kernel_arrays[STREAM_NKERNELS] = { 2, 2, 3, 3 };

struct stream_opts {
	uint64_t n;		/* elements per array */
	long ntimes;		/* iterations per run, the first discarded */
	long threads;
	uint64_t llc_bytes;	/* detected last-level cache */
	char llc_source[64];	/* where llc_bytes came from */
	char config[32];	/* "threads=N" when --config is not given */
};

/* One run's shared state; workers read it, thread 0 writes times[]. */
struct stream_ctx {
	const struct stream_opts *o;
	double *a, *b, *c;
	double *times_s;	/* [ntimes][4] seconds of each kernel */
	pthread_barrier_t barrier;
	pthread_mutex_t lock;
	pthread_cond_t gate;
	int is_started, is_aborted;
};

struct stream_worker {
	struct stream_ctx *ctx;
	long id;
	pthread_t thread;
};

static const char stream_intro[] =
	"usage: bench stream [--size N] [--ntimes N] [--threads N] "
	"[common options]\n"
	"\n"
	"Measures the sustainable memory bandwidth of STREAM's four kernels on\n"
	"three arrays of N doubles (a, b, c; q = 3):\n"
	"  copy  c[j] = a[j]            16 bytes counted per element\n"
	"  scale b[j] = q*c[j]          16 bytes\n"
	"  add   c[j] = a[j] + b[j]     24 bytes\n"
	"  triad a[j] = b[j] + q*c[j]   24 bytes\n"
	"Each run does --ntimes iterations of the four kernels, each kernel\n"
	"timed with CLOCK_MONOTONIC; the first iteration is discarded (as in\n"
	"STREAM) and every other one gives a row per kernel: metric copy,\n"
	"scale, add or triad, unit MB/s (10^6 bytes per second), better\n"
	"higher. The run column numbers the iterations of all runs. After each\n"
	"run the arrays are checked as STREAM checks them: the mean absolute\n"
	"error against the scalar recurrence, relative to the expected value,\n"
	"must be at most 1e-13. The main metric for --until-ci is the run's\n"
	"best triad rate. The arrays lie back to back, as STREAM's static\n"
	"arrays do, and scale, add and triad loop over blocks of 8 elements so\n"
	"that the compiler vectorizes them as it does STREAM's constant-count\n"
	"loops (see bench-stream(1)).\n"
	"\n"
	"Example: bench stream --threads 2 --runs 3 -o stream.csv\n"
	"\n"
	"Options:\n";

enum stream_opt {
	STREAM_OPT_SIZE,
	STREAM_OPT_NTIMES,
	STREAM_OPT_THREADS
};

static const struct opt_spec stream_options[] = {
	{ STREAM_OPT_SIZE, 0, "size", "N",
	  "elements per array, or bytes per array with a\n"
	  "K, M or G suffix (default: 4 times the\n"
	  "last-level cache from CPUID or /sys, 32 MiB\n"
	  "assumed when neither says)" },
	{ STREAM_OPT_NTIMES, 0, "ntimes", "N",
	  "iterations per run, at least 2 (default: 10)" },
	{ STREAM_OPT_THREADS, 0, "threads", "N",
	  "threads, each a static slice of the arrays,\n"
	  "a barrier around each kernel (default: 1); sets\n"
	  "config to threads=N unless --config is given" },
	COMMON_VERSION_ROW,
};

static const char stream_exit_help[] =
	"\n"
	"Exit status: 0 success, 1 runtime failure or failed validation,\n"
	"2 bad usage or arrays larger than memory (no rows written),\n"
	"130 interrupted (finished rows kept).\n";

static const struct bench_doc stream_doc = {
	STREAM_CMD, stream_intro, OPT_TABLE(stream_options), 23,
	"Runs default to 1, warm-ups to 0.\n",
	stream_exit_help, 1, BENCH_OPERANDS_NONE
};

/* ---- last-level cache ---------------------------------------------------- */

/* The last-level cache so far: the largest data or unified cache of the
 * highest level seen. */
struct llc {
	long level;
	uint64_t size_bytes;
};

static void llc_consider(struct llc *best, long level, uint64_t size_bytes)
{
	if (level > best->level ||
	    (level == best->level && size_bytes > best->size_bytes)) {
		best->level = level;
		best->size_bytes = size_bytes;
	}
}

#if defined(__x86_64__) || defined(__i386__)
/*
 * Deterministic cache parameters: CPUID leaf 4 (Intel) or 0x8000001D (AMD,
 * when TOPOEXT is set). Size = ways * partitions * line size * sets, each
 * field stored minus one (Intel SDM vol. 2A, CPUID leaf 04H; AMD APM vol. 3,
 * CPUID Fn8000_001D). Returns the largest data or unified cache of the
 * highest level, or 0.
 */
static uint64_t llc_from_cpuid(void)
{
	unsigned eax, ebx, ecx, edx, leaf = 4, i;
	struct llc best = { 0, 0 };
	uint64_t size;

	if (!__get_cpuid(0, &eax, &ebx, &ecx, &edx))
		return 0;
	if (ebx == 0x68747541 || ebx == 0x6f677948) {	/* "Auth", "Hygo" */
		if (!__get_cpuid(0x80000001, &eax, &ebx, &ecx, &edx) ||
		    !(ecx & (1u << 22)))
			return 0;
		leaf = 0x8000001D;
	} else if (eax < 4) {
		return 0;
	}
	for (i = 0; i < 32; i++) {
		__cpuid_count(leaf, i, eax, ebx, ecx, edx);
		if ((eax & 0x1f) == 0)
			break;
		if ((eax & 0x1f) == 2)	/* instruction cache */
			continue;
		size = (uint64_t)(((ebx >> 22) & 0x3ff) + 1) *
		       (((ebx >> 12) & 0x3ff) + 1) * ((ebx & 0xfff) + 1) *
		       ((uint64_t)ecx + 1);
		llc_consider(&best, (long)((eax >> 5) & 7), size);
	}
	return best.size_bytes;
}
#else
static uint64_t llc_from_cpuid(void)
{
	return 0;
}
#endif

/* The first line of /sys/devices/system/cpu/cpu0/cache/indexI/FIELD into
 * buf; 0, or -1 when the file cannot be read. */
static int cache_field(int i, const char *field, char *buf, size_t size)
{
	char path[96];
	FILE *f;
	int rc;

	snprintf(path, sizeof(path),
		 "/sys/devices/system/cpu/cpu0/cache/index%d/%s", i, field);
	if (!(f = fopen(path, "r")))
		return -1;
	rc = fgets(buf, (int)size, f) ? 0 : -1;
	fclose(f);
	return rc;
}

/* /sys/devices/system/cpu/cpu0/cache/indexI/{type,level,size}: "Data",
 * "3", "32768K". */
static uint64_t llc_from_sys(void)
{
	char type[64], level[16], size[32], *unit;
	struct llc best = { 0, 0 };
	uint64_t bytes;
	int i;

	for (i = 0; i < 16 && cache_field(i, "type", type, sizeof(type)) == 0;
	     i++) {
		if (!strncmp(type, "Instruction", 11) ||
		    cache_field(i, "level", level, sizeof(level)) ||
		    cache_field(i, "size", size, sizeof(size)))
			continue;
		bytes = strtoull(size, &unit, 10);
		bytes <<= *unit == 'M' ? 20 : *unit == 'K' ? 10 : 0;
		llc_consider(&best, strtol(level, NULL, 10), bytes);
	}
	return best.size_bytes;
}

static void detect_llc(struct stream_opts *o)
{
	o->llc_bytes = llc_from_cpuid();
	snprintf(o->llc_source, sizeof(o->llc_source), "CPUID");
	if (!o->llc_bytes) {
		o->llc_bytes = llc_from_sys();
		snprintf(o->llc_source, sizeof(o->llc_source), "/sys");
	}
	if (!o->llc_bytes) {
		o->llc_bytes = STREAM_FALLBACK_LLC;
		snprintf(o->llc_source, sizeof(o->llc_source), "assumed");
	}
}

/* ---- options ------------------------------------------------------------- */

/* Elements for a plain number, bytes / 8 with a K, M or G suffix. */
/* Three arrays must fit in physical memory when the system can say. */
static int check_memory(const struct stream_opts *o)
{
	long pages = sysconf(_SC_PHYS_PAGES);
	double need = 3.0 * 8.0 * (double)o->n;
	double have = (double)pages * (double)page_size();

	if (pages > 0 && need > have)
		return usage_error(STREAM_CMD, "three arrays of %llu doubles "
				   "need %.0f MiB but the machine has %.0f MiB "
				   "(lower --size)", (unsigned long long)o->n,
				   need / 1048576, have / 1048576);
	return -1;
}

static int stream_option(void *ctx, int id, const char *name,
			 const char *v, struct diag *err)
{
	struct stream_opts *o = ctx;
	uint64_t bytes;

	switch ((enum stream_opt)id) {
	case STREAM_OPT_SIZE:
		/* elements, or bytes with a suffix */
		if (parse_units(err, name, v, 8, STREAM_MIN_ELEMENTS * 8,
				(uint64_t)8 << 40, &bytes))
			return STATUS_BADINPUT;
		o->n = bytes / 8;
		return 0;
	case STREAM_OPT_NTIMES:
		return parse_long(err, name, v, 2, 100000, &o->ntimes);
	case STREAM_OPT_THREADS:
		return parse_long(err, name, v, 1, STREAM_MAX_THREADS,
				  &o->threads);
	}
	return 0;
}

/* Returns -1 to go on, else the exit status (0 after --help). */
static int stream_parse(int argc, char **argv, struct bench_common *c,
			struct stream_opts *o)
{
	int status;

	memset(o, 0, sizeof(*o));
	o->ntimes = 10;
	o->threads = 1;
	if (common_parse(c, &stream_doc, argc, argv, stream_option, o, NULL,
			 &status))
		return status;
	detect_llc(o);
	if (!o->n)
		o->n = (4 * o->llc_bytes + 7) / 8;
	if (o->threads > 1 && !*c->config) {
		snprintf(o->config, sizeof(o->config), "threads=%ld",
			 o->threads);
		c->config = o->config;
	}
	return check_memory(o);
}

/* ---- the kernels --------------------------------------------------------- */

/*
 * Scale, Add and Triad step through their slice STREAM_BLOCK elements at a
 * time, with an inner loop of a constant count and a scalar tail. Why:
 * STREAM's loops run to a compile-time array size, and gcc -O2 (its very
 * cheap vectorizer cost model) vectorizes a loop only when no scalar
 * epilogue is needed, which a constant count multiple of the vector width
 * guarantees. A plain loop to a run-time bound stays scalar at -O2, and
 * scalar code moves the same bytes at another rate: on the AMD EPYC this
 * was measured on, Add 6% and Triad 10% slower, Scale 5% faster than
 * STREAM's loop on the same arrays. The constant inner loop gets the same
 * vector code STREAM gets under the same flags; 8 doubles is a whole
 * number of vectors up to 64-byte AVX-512 ones. Copy stays a plain loop:
 * gcc turns it into a memcpy call, as it does STREAM's.
 */
#define STREAM_BLOCK 8

static void kernel_copy(double *restrict c, const double *restrict a,
			size_t lo, size_t hi)
{
	for (size_t j = lo; j < hi; j++)
		c[j] = a[j];
}

static void kernel_scale(double *restrict b, const double *restrict c,
			 size_t lo, size_t hi)
{
	size_t j = lo;

	for (; hi - j >= STREAM_BLOCK; j += STREAM_BLOCK)
		for (size_t i = 0; i < STREAM_BLOCK; i++)
			b[j + i] = STREAM_SCALAR * c[j + i];
	for (; j < hi; j++)
		b[j] = STREAM_SCALAR * c[j];
}

static void kernel_add(double *restrict c, const double *restrict a,
		       const double *restrict b, size_t lo, size_t hi)
{
	size_t j = lo;

	for (; hi - j >= STREAM_BLOCK; j += STREAM_BLOCK)
		for (size_t i = 0; i < STREAM_BLOCK; i++)
			c[j + i] = a[j + i] + b[j + i];
	for (; j < hi; j++)
		c[j] = a[j] + b[j];
}

static void kernel_triad(double *restrict a, const double *restrict b,
			 const double *restrict c, size_t lo, size_t hi)
{
	size_t j = lo;

	for (; hi - j >= STREAM_BLOCK; j += STREAM_BLOCK)
		for (size_t i = 0; i < STREAM_BLOCK; i++)
			a[j + i] = b[j + i] + STREAM_SCALAR * c[j + i];
	for (; j < hi; j++)
		a[j] = b[j] + STREAM_SCALAR * c[j];
}

static void run_kernel(struct stream_ctx *x, int k, size_t lo, size_t hi)
{
	switch (k) {
	case 0: kernel_copy(x->c, x->a, lo, hi); break;
	case 1: kernel_scale(x->b, x->c, lo, hi); break;
	case 2: kernel_add(x->c, x->a, x->b, lo, hi); break;
	default: kernel_triad(x->a, x->b, x->c, lo, hi); break;
	}
}

/*
 * One thread's share: its slice is initialized by the thread itself (first
 * touch places the pages near it) in the order the compiled STREAM touches
 * them: gcc -O2 splits STREAM's a = 1, b = 2, c = 0 loop into an a and b
 * loop and a memset of c. The order of first touches decides where the
 * pages lie: on the EPYC VM bench was compared on, stream.c built so that
 * its loop stays one had Scale/Add within a run at 0.98 against 0.95.
 * Then every kernel runs between two barriers, and thread 0 times the span
 * between them, so a kernel's time covers the slowest thread, like
 * STREAM's OpenMP parallel loops.
 */
static void *worker_main(void *arg)
{
	struct stream_worker *w = arg;
	struct stream_ctx *x = w->ctx;
	size_t n = x->o->n, nt = (size_t)x->o->threads;
	size_t lo = n * (size_t)w->id / nt, hi = n * ((size_t)w->id + 1) / nt;
	uint64_t t0 = 0;

	pthread_mutex_lock(&x->lock);
	while (!x->is_started && !x->is_aborted)
		pthread_cond_wait(&x->gate, &x->lock);
	pthread_mutex_unlock(&x->lock);
	if (x->is_aborted)
		return NULL;
	for (size_t j = lo; j < hi; j++) {
		x->a[j] = 1.0;
		x->b[j] = 2.0;
	}
	memset(x->c + lo, 0, (hi - lo) * sizeof(double));
	for (long it = 0; it < x->o->ntimes; it++) {
		for (int k = 0; k < STREAM_NKERNELS; k++) {
			pthread_barrier_wait(&x->barrier);
			if (w->id == 0)
				t0 = now_ns();
			run_kernel(x, k, lo, hi);
			pthread_barrier_wait(&x->barrier);
			if (w->id == 0)
				x->times_s[it * STREAM_NKERNELS + k] =
					(double)(now_ns() - t0) * 1e-9;
		}
	}
	return NULL;
}

/* Start threads 1..N-1, run thread 0 here, join. Returns 0 or -1. */
static int run_threads(struct stream_ctx *x, struct stream_worker *w)
{
	long i, n = x->o->threads, created;
	int err = 0;

	x->is_started = x->is_aborted = 0;
	pthread_mutex_lock(&x->lock);
	for (created = 1; created < n; created++) {
		w[created].ctx = x;
		w[created].id = created;
		err = pthread_create(&w[created].thread, NULL, worker_main,
				     &w[created]);
		if (err)
			break;
	}
	if (err)
		x->is_aborted = 1;
	else
		x->is_started = 1;
	pthread_cond_broadcast(&x->gate);
	pthread_mutex_unlock(&x->lock);
	w[0].ctx = x;
	w[0].id = 0;
	if (!err)
		worker_main(&w[0]);
	for (i = 1; i < created; i++)
		pthread_join(w[i].thread, NULL);
	if (err)
		bench_error(STREAM_CMD, "cannot start thread %ld of %ld: %s",
			    created + 1, n, strerror(err));
	return err ? -1 : 0;
}

/* ---- validation and rows ------------------------------------------------- */

/* Mean absolute error of v[] against the expected value, relative to it. */
static double relative_error(const double *v, size_t n, double expected)
{
	double sum = 0;

	for (size_t j = 0; j < n; j++)
		sum += fabs(v[j] - expected);
	return sum / (double)n / fabs(expected);
}

static int validate(const struct stream_ctx *x)
{
	double aj = 1.0, bj = 2.0, cj = 0.0, err[3];
	static const char names[3] = { 'a', 'b', 'c' };
	int bad = 0;

	for (long it = 0; it < x->o->ntimes; it++) {
		cj = aj;
		bj = STREAM_SCALAR * cj;
		cj = aj + bj;
		aj = bj + STREAM_SCALAR * cj;
	}
	err[0] = relative_error(x->a, x->o->n, aj);
	err[1] = relative_error(x->b, x->o->n, bj);
	err[2] = relative_error(x->c, x->o->n, cj);
	for (int i = 0; i < 3; i++) {
		if (!(err[i] <= STREAM_EPSILON)) {
			bench_error(STREAM_CMD, "validation failed: array %c "
				    "has a mean relative error of %g (limit "
				    "%g)", names[i], err[i], STREAM_EPSILON);
			bad = 1;
		}
	}
	return bad ? -1 : 0;
}

static int stream_run(void *ctx, long run, struct rows *out,
		      double *main_metric)
{
	struct stream_ctx *x = ctx;
	struct stream_worker *w;
	long it, per_run = x->o->ntimes - 1;
	double bytes, rate, best_triad = 0;
	int k, failed;

	w = calloc((size_t)x->o->threads, sizeof(*w));
	if (!w) {
		bench_error(STREAM_CMD, "out of memory");
		return EXIT_RUNTIME;
	}
	failed = run_threads(x, w);
	free(w);
	if (failed)
		return EXIT_RUNTIME;
	if (validate(x))
		return EXIT_RUNTIME;
	for (it = 1; it < x->o->ntimes; it++) {
		for (k = 0; k < STREAM_NKERNELS; k++) {
			double t = x->times_s[it * STREAM_NKERNELS + k];

			if (t <= 0) {
				bench_error(STREAM_CMD, "a kernel took no "
					    "measurable time (raise --size)");
				return EXIT_RUNTIME;
			}
			bytes = 8.0 * kernel_arrays[k] * (double)x->o->n;
			rate = 1e-6 * bytes / t;
			if (k == 3 && rate > best_triad)
				best_triad = rate;
			if (out && rows_add(out, kernel_names[k], rate, "MB/s",
					    run * per_run + it - 1, "higher"))
				return EXIT_RUNTIME;
		}
	}
	*main_metric = best_triad;
	return EXIT_OK;
}

/* ---- setup --------------------------------------------------------------- */

/*
 * a, b and c back to back in one page-aligned block, as STREAM's static
 * arrays lie (with its default OFFSET of 0): their positions within a
 * page differ by 8 N bytes modulo 4096, not by 0 as three separately
 * page-aligned arrays would. Sets x->a, x->b, x->c; returns -1 when out
 * of memory.
 */
static int alloc_arrays(struct stream_ctx *x, uint64_t n)
{
	void *p = NULL;

	if (posix_memalign(&p, 4096, 3 * (size_t)n * sizeof(double)))
		return -1;
	x->a = p;
	x->b = x->a + n;
	x->c = x->b + n;
	return 0;
}

static void report_size(const struct stream_opts *o)
{
	double array_mib = 8.0 * (double)o->n / 1048576;
	double llc_mib = (double)o->llc_bytes / 1048576;

	if (!strcmp(o->llc_source, "assumed"))
		bench_error(STREAM_CMD, "warning: neither CPUID nor /sys "
			    "gives the last-level cache; assuming %.0f MiB",
			    llc_mib);
	if (8.0 * (double)o->n < 4.0 * (double)o->llc_bytes)
		bench_error(STREAM_CMD, "warning: arrays of %.1f MiB are "
			    "smaller than 4 times the last-level cache "
			    "(%.1f MiB, %s): the rates include cache hits",
			    array_mib, llc_mib, o->llc_source);
}

int cmd_stream(int argc, char **argv)
{
	struct bench_common c;
	struct stream_opts o;
	struct stream_ctx x;
	int status;

	common_init(&c);
	status = stream_parse(argc, argv, &c, &o);
	if (status >= 0)
		return status;
	if (common_checked(&c))
		return EXIT_OK;
	memset(&x, 0, sizeof(x));
	x.o = &o;
	x.times_s = calloc((size_t)o.ntimes * STREAM_NKERNELS, sizeof(double));
	status = EXIT_RUNTIME;
	if (alloc_arrays(&x, o.n) || !x.times_s) {
		bench_error(STREAM_CMD, "out of memory for three arrays of "
			    "%llu doubles", (unsigned long long)o.n);
		goto fail;
	}
	if (pthread_barrier_init(&x.barrier, NULL, (unsigned)o.threads))
		goto fail;
	pthread_mutex_init(&x.lock, NULL);
	pthread_cond_init(&x.gate, NULL);
	report_size(&o);
	status = common_measure(&c, STREAM_CMD, "stream", 1, 0, stream_run, &x,
				argc, argv);
	pthread_cond_destroy(&x.gate);
	pthread_mutex_destroy(&x.lock);
	pthread_barrier_destroy(&x.barrier);
fail:
	free(x.a);	/* the block holding b and c too */
	free(x.times_s);
	return status;
}
