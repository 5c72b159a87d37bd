/*
 * syscall: the cost of four basic operations, as in the "basic benchmark"
 * of the HermitCore evaluation in the source documents (getpid 9 cycles on
 * KVM, 122 under QEMU; sched_yield 79; malloc of 1 MiB 5858; first write
 * to a page 3368):
 *
 *  getpid        syscall(SYS_getpid): a real kernel entry every time,
 *                never a value cached by libc;
 *  sched_yield   sched_yield() with nothing else runnable on the CPU
 *                (usually: a return from the scheduler);
 *  malloc        malloc(1 MiB) alone (the frees come after the timed
 *                loop), with glibc's mmap threshold pinned at 128 KiB by
 *                mallopt so that every block is a fresh mmap from the
 *                kernel; glibc would otherwise raise the threshold after
 *                the first free and serve the next blocks from its heap;
 *  write_access  the first write to a page of a fresh anonymous mapping:
 *                the page fault, zeroing and mapping of a 4 KiB page
 *                (transparent huge pages refused with MADV_NOHUGEPAGE).
 *
 * Each operation runs in --batches batches of --ops operations (malloc at
 * most 64 per batch, to bound the address space); a batch is timed as a
 * whole, in TSC cycles between serialized rdtsc reads and in CLOCK_MONOTONIC
 * nanoseconds, divided by its operation count; a run reports the median
 * over its batches, which ignores batches hit by an interrupt.
 */
#define _GNU_SOURCE		/* syscall(), MAP_ANONYMOUS, MADV_NOHUGEPAGE */
#include <errno.h>
#include <malloc.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "bench.h"
#include "common.h"

#define SYSCALL_CMD "syscall"
#define SYSCALL_MALLOC_BYTES (1u << 20)
#define SYSCALL_MALLOC_MAX_OPS 64
#define SYSCALL_MMAP_THRESHOLD (128 * 1024)

enum syscall_op { OP_GETPID, OP_YIELD, OP_MALLOC, OP_WRITE, OP_COUNT };

/* metric names: cycles, then nanoseconds */
static const char *const op_metric[OP_COUNT][2] = {
	{ "getpid", "getpid_ns" },
	{ "sched_yield", "sched_yield_ns" },
	{ "malloc", "malloc_ns" },
	{ "write_access", "write_access_ns" },
};

struct syscall_opts {
	long batches;
	long ops;
	size_t page_bytes;
};

/* Per-run scratch: per-batch costs, malloc'd blocks. */
struct syscall_ctx {
	const struct syscall_opts *o;
	double *cycles, *ns;	/* [batches] per-operation costs */
	void **blocks;		/* [SYSCALL_MALLOC_MAX_OPS] */
	pid_t pid;
};

static const char syscall_intro[] =
	"usage: bench syscall [--batches N] [--ops N] [common options]\n"
	"\n"
	"Cost per operation of four basic operations, after the HermitCore\n"
	"basic benchmark:\n"
	"  getpid        syscall(SYS_getpid), a real system call each time\n"
	"  sched_yield   sched_yield()\n"
	"  malloc        malloc(1 MiB) alone, each block a fresh mmap (glibc's\n"
	"                mmap threshold pinned at 128 KiB); freed untimed\n"
	"  write_access  first write to each 4 KiB page of a fresh anonymous\n"
	"                mapping (page fault + zeroing), no huge pages\n"
	"Each runs in --batches batches of --ops operations (malloc: at most\n"
	"64); a batch is timed whole with serialized rdtsc (cycles) and\n"
	"CLOCK_MONOTONIC (ns) and divided by its count. Rows per run, the\n"
	"median over the batches, better lower: getpid, sched_yield, malloc,\n"
	"write_access (unit cycles) and getpid_ns, sched_yield_ns, malloc_ns,\n"
	"write_access_ns (unit ns). Off x86 the cycles rows hold ns. Checks:\n"
	"getpid returns this process's id, sched_yield returns 0, malloc\n"
	"returns memory, each written byte reads back.\n"
	"\n"
	"Example: bench syscall --runs 10 --platform qemu-kvm -o syscall.csv\n"
	"\n"
	"Options:\n";

enum syscall_opt {
	SYSCALL_OPT_BATCHES,
	SYSCALL_OPT_OPS
};

static const struct opt_spec syscall_options[] = {
	{ SYSCALL_OPT_BATCHES, 0, "batches", "N",
	  "batches per operation and run (default: 100)" },
	{ SYSCALL_OPT_OPS, 0, "ops", "N",
	  "operations per batch (default: 1000)" },
	COMMON_VERSION_ROW,
};

static const char syscall_exit_help[] =
	"\n"
	"Exit status: 0 success, 1 runtime failure or failed check, 2 bad\n"
	"usage (no rows written), 130 interrupted (finished rows kept).\n";

static const struct bench_doc syscall_doc = {
	SYSCALL_CMD, syscall_intro, OPT_TABLE(syscall_options), 23,
	"Runs default to 5, warm-ups to 1.\n",
	syscall_exit_help, 1, BENCH_OPERANDS_NONE
};

/* ---- the operations ------------------------------------------------------ */

/* Each batch function runs n operations between the two clock pairs and
 * returns 0, or -1 after printing why. */

static int batch_getpid(struct syscall_ctx *x, long n, uint64_t t[4])
{
	long bad = 0;

	t[0] = now_ns();
	t[1] = tsc_begin();
	for (long i = 0; i < n; i++)
		bad += syscall(SYS_getpid) != x->pid;
	t[2] = tsc_end();
	t[3] = now_ns();
	if (!bad)
		return 0;
	bench_error(SYSCALL_CMD, "syscall(SYS_getpid) did not return the "
		    "process id %ld", (long)x->pid);
	return -1;
}

static int batch_yield(struct syscall_ctx *x, long n, uint64_t t[4])
{
	long bad = 0;

	(void)x;
	t[0] = now_ns();
	t[1] = tsc_begin();
	for (long i = 0; i < n; i++)
		bad += sched_yield() != 0;
	t[2] = tsc_end();
	t[3] = now_ns();
	if (!bad)
		return 0;
	bench_error(SYSCALL_CMD, "sched_yield failed: %s", strerror(errno));
	return -1;
}

static int batch_malloc(struct syscall_ctx *x, long n, uint64_t t[4])
{
	long i, got = 0;

	t[0] = now_ns();
	t[1] = tsc_begin();
	for (i = 0; i < n; i++)
		x->blocks[i] = malloc(SYSCALL_MALLOC_BYTES);
	t[2] = tsc_end();
	t[3] = now_ns();
	for (i = 0; i < n; i++) {
		got += x->blocks[i] != NULL;
		free(x->blocks[i]);
	}
	if (got == n)
		return 0;
	bench_error(SYSCALL_CMD, "malloc of 1 MiB failed (%ld of %ld)",
		    n - got, n);
	return -1;
}

static int batch_write(struct syscall_ctx *x, long n, uint64_t t[4])
{
	size_t ps = x->o->page_bytes, len = (size_t)n * ps;
	volatile unsigned char *buf;
	long bad = 0;

	buf = mmap(NULL, len, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED) {
		bench_error(SYSCALL_CMD, "cannot map %zu bytes: %s", len,
			    strerror(errno));
		return -1;
	}
#ifdef MADV_NOHUGEPAGE
	madvise((void *)buf, len, MADV_NOHUGEPAGE);
#endif
	t[0] = now_ns();
	t[1] = tsc_begin();
	for (long i = 0; i < n; i++)
		buf[(size_t)i * ps] = (unsigned char)(1 + i % 255);
	t[2] = tsc_end();
	t[3] = now_ns();
	for (long i = 0; i < n; i++)
		bad += buf[(size_t)i * ps] != (unsigned char)(1 + i % 255);
	munmap((void *)buf, len);
	if (!bad)
		return 0;
	bench_error(SYSCALL_CMD, "%ld written bytes did not read back", bad);
	return -1;
}

typedef int (*batch_fn)(struct syscall_ctx *x, long n, uint64_t t[4]);

static const batch_fn op_batch[OP_COUNT] = {
	batch_getpid, batch_yield, batch_malloc, batch_write
};

/* ---- runs ---------------------------------------------------------------- */

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(double *v, long n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static int syscall_run(void *ctx, long run, struct rows *out,
		       double *main_metric)
{
	struct syscall_ctx *x = ctx;
	uint64_t t[4];
	double cycles, ns;

	for (int op = 0; op < OP_COUNT; op++) {
		long n = x->o->ops;

		if (op == OP_MALLOC && n > SYSCALL_MALLOC_MAX_OPS)
			n = SYSCALL_MALLOC_MAX_OPS;
		for (long b = 0; b < x->o->batches; b++) {
			if (op_batch[op](x, n, t))
				return EXIT_RUNTIME;
			x->cycles[b] = (double)(t[2] - t[1]) / (double)n;
			x->ns[b] = (double)(t[3] - t[0]) / (double)n;
		}
		cycles = median(x->cycles, x->o->batches);
		ns = median(x->ns, x->o->batches);
		if (op == OP_GETPID)
			*main_metric = cycles;
		if (out && (rows_add(out, op_metric[op][0], cycles, "cycles",
				     run, "lower") ||
			    rows_add(out, op_metric[op][1], ns, "ns", run,
				     "lower")))
			return EXIT_RUNTIME;
	}
	return EXIT_OK;
}

/* ---- options and setup --------------------------------------------------- */

static int syscall_option(void *ctx, int id, const char *name,
			  const char *v, struct diag *err)
{
	struct syscall_opts *o = ctx;

	return parse_long(err, name, v, 1, 100000,
			  id == SYSCALL_OPT_BATCHES ? &o->batches : &o->ops);
}

/* Returns -1 to go on, else the exit status (0 after --help). */
static int syscall_parse(int argc, char **argv, struct bench_common *c,
			 struct syscall_opts *o)
{
	int status;

	o->batches = 100;
	o->ops = 1000;
	o->page_bytes = (size_t)page_size();
	if (common_parse(c, &syscall_doc, argc, argv, syscall_option, o, NULL,
			 &status))
		return status;
	return -1;
}

int cmd_syscall(int argc, char **argv)
{
	struct bench_common c;
	struct syscall_opts o;
	struct syscall_ctx x;
	int status;

	common_init(&c);
	status = syscall_parse(argc, argv, &c, &o);
	if (status >= 0)
		return status;
	if (common_checked(&c))
		return EXIT_OK;
	memset(&x, 0, sizeof(x));
	x.o = &o;
	x.pid = getpid();
	x.cycles = malloc((size_t)o.batches * sizeof(double));
	x.ns = malloc((size_t)o.batches * sizeof(double));
	x.blocks = malloc(SYSCALL_MALLOC_MAX_OPS * sizeof(void *));
	status = EXIT_RUNTIME;
	if (!x.cycles || !x.ns || !x.blocks) {
		bench_error(SYSCALL_CMD, "out of memory");
		goto fail;
	}
#ifdef M_MMAP_THRESHOLD
	/* Setting the threshold also turns off glibc's dynamic threshold. */
	if (!mallopt(M_MMAP_THRESHOLD, SYSCALL_MMAP_THRESHOLD))
		bench_error(SYSCALL_CMD, "warning: mallopt(M_MMAP_THRESHOLD) "
			    "failed: malloc may reuse freed blocks");
#endif
	status = common_measure(&c, SYSCALL_CMD, "syscall", 5, 1, syscall_run,
				&x, argc, argv);
fail:
	free(x.cycles);
	free(x.ns);
	free(x.blocks);
	return status;
}
