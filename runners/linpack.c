/*
 * linpack: the classic LINPACK benchmark, written from the algorithm
 * definitions in the LINPACK Users' Guide (Dongarra, Bunch, Moler, Stewart,
 * SIAM 1979, chapter 1 and appendix B) and J. Dongarra, "Performance of
 * Various Computers Using Standard Linear Equations Software" (the report
 * that defines the benchmark):
 *
 *  - matgen: a dense n x n matrix from the linear congruential generator
 *    init = 3125 * init mod 65536 (init = 1325 at start), each entry
 *    (init - 32768) / 16384, stored by columns; b = the row sums of A, so
 *    the exact solution is x = (1, ..., 1);
 *  - dgefa: LU factorization by Gaussian elimination with partial
 *    pivoting, column oriented, through the level-1 BLAS idamax, dscal
 *    and daxpy (the reference BLAS of Dongarra, 3/11/78: unit-stride
 *    daxpy unrolled by 4, dscal by 5); solving A x = b (LINPACK's job 0)
 *    needs no ddot;
 *  - dgesl: the two triangular solves with the factors;
 *  - the operation count 2/3 n^3 + 2 n^2 for factor plus solve;
 *  - the normalized residual ||A x - b|| / (n ||A|| ||x|| eps), with the
 *    max norms and eps the machine epsilon, which is O(1) for a stable
 *    solve.
 * No netlib source is used.
 */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"
#include "common.h"

#define LINPACK_CMD "linpack"
#define LINPACK_DEFAULT_N 200
#define LINPACK_MAX_N 20000
/* The classic benchmark calls a residual below O(10) good; 100 leaves room
 * for large n while still catching a wrong factorization (which gives
 * values near 1e13). */
#define LINPACK_RESIDUAL_LIMIT 100.0

struct linpack_opts {
	long n;
	double min_time_s;	/* repeat factor + solve at least this long */
	int is_unrolled;	/* --blas unrolled (default) or rolled */
	char config[48];	/* "n=N+blas=rolled", the parts not default */
};

struct linpack_ctx {
	const struct linpack_opts *o;
	long lda;
	double *a0, *b0;	/* the generated system, kept for residuals */
	double *a, *b;		/* working copies, factored and solved */
	long *ipvt;
	double norm_a;		/* max |a_ij| */
};

static const char linpack_intro[] =
	"usage: bench linpack [--n N] [--min-time SEC] [--blas KIND] "
	"[common options]\n"
	"\n"
	"The classic LINPACK benchmark in double precision: solves A x = b for\n"
	"a dense N x N matrix from LINPACK's matgen generator (b = row sums,\n"
	"so x = 1) by dgefa (LU with partial pivoting, column oriented, with\n"
	"idamax/dscal/daxpy) and dgesl. The factor and solve are timed with\n"
	"CLOCK_MONOTONIC and repeated, from a fresh copy of A and b each time\n"
	"(untimed), until --min-time seconds have been timed. This is what\n"
	"netlib's linpackc times and counts (dgefa + dgesl, not matgen), with\n"
	"the classic C BLAS: daxpy unrolled by 4, dscal by 5, and vectors not\n"
	"declared restrict, so the compiler makes of them what it makes of\n"
	"linpackc's (scalar at -O2). linpackc reads CPU time, averages 1000\n"
	"dgefa and 1000 dgesl separately and prints the smaller of two such\n"
	"figures; see bench-linpack(1). Rows per run:\n"
	"  kflops         (2/3 N^3 + 2 N^2) * repetitions / seconds / 1000,\n"
	"                 unit KFLOPS, better higher\n"
	"  residual_norm  ||A x - b|| / (N ||A|| ||x|| eps), max norms, eps the\n"
	"                 double epsilon; no unit, better lower; the run fails\n"
	"                 when it is 100 or more (a stable solve gives O(1))\n"
	"\n"
	"Example: bench linpack --n 1000 --runs 5 -o linpack.csv\n"
	"\n"
	"Options:\n";

enum linpack_opt {
	LINPACK_OPT_N,
	LINPACK_OPT_MIN_TIME,
	LINPACK_OPT_BLAS
};

static const struct opt_spec linpack_options[] = {
	{ LINPACK_OPT_N, 0, "n", "N",
	  "order of the matrix, 2 to 20000 (default: 200;\n"
	  "100 compares with netlib's linpackc); sets\n"
	  "config to n=N unless it is 200 or --config is\n"
	  "given (n=N+blas=rolled with --blas rolled)" },
	{ LINPACK_OPT_MIN_TIME, 0, "min-time", "SEC",
	  "timed seconds per run, at least one factor and\n"
	  "solve (default: 0.05)" },
	{ LINPACK_OPT_BLAS, 0, "blas", "KIND",
	  "unrolled: daxpy unrolled by 4 and dscal by 5\n"
	  "as in the reference BLAS and linpackc\n"
	  "-DUNROLL; rolled: plain loops, as linpackc\n"
	  "-DROLL (default: unrolled); rolled adds\n"
	  "blas=rolled to config unless --config is given" },
	COMMON_VERSION_ROW,
};

static const char linpack_exit_help[] =
	"\n"
	"Exit status: 0 success, 1 runtime failure, singular matrix or\n"
	"residual too large, 2 bad usage or a matrix larger than memory (no\n"
	"rows written), 130 interrupted (finished rows kept).\n";

static const struct bench_doc linpack_doc = {
	LINPACK_CMD, linpack_intro, OPT_TABLE(linpack_options), 23,
	"Runs default to 10, warm-ups to 1.\n",
	linpack_exit_help, 1, BENCH_OPERANDS_NONE
};

/* ---- level-1 BLAS, unit stride ------------------------------------------- */

/* Index of the entry of largest magnitude, the first one on ties. */
static long idamax(long n, const double *x)
{
	long i, best = 0;
	double max = fabs(x[0]);

	for (i = 1; i < n; i++) {
		if (fabs(x[i]) > max) {
			max = fabs(x[i]);
			best = i;
		}
	}
	return best;
}

/* x *= alpha; the reference BLAS dscal unrolls by 5 after a clean-up loop
 * of n mod 5, and linpackc -DUNROLL does too. */
static void dscal(long n, double alpha, double *x, int is_unrolled)
{
	long i = 0, m = n % 5;

	if (!is_unrolled) {
		for (; i < n; i++)
			x[i] *= alpha;
		return;
	}
	for (; i < m; i++)
		x[i] *= alpha;
	for (; i < n; i += 5) {
		x[i] *= alpha;
		x[i + 1] *= alpha;
		x[i + 2] *= alpha;
		x[i + 3] *= alpha;
		x[i + 4] *= alpha;
	}
}

/*
 * y += alpha x: the inner loop of the benchmark, 2 flops per element. The
 * reference BLAS daxpy (Dongarra, 3/11/78) unrolls unit-stride loops by 4
 * after a clean-up loop of n mod 4; netlib's linpackc offers that form
 * (-DUNROLL) and the plain loop (-DROLL), so both are here (--blas).
 *
 * x and y are deliberately not restrict-qualified, as in the classic C
 * code: the compiler must allow for overlapping vectors, which decides
 * what it makes of the loop. With restrict, gcc 12 -O2 turns the unrolled
 * body into packed SSE2 (mulpd/addpd) and the benchmark ran 1.40 times
 * faster than linpackc built with the same flags: a different kernel from
 * the one LINPACK results report. Without it, the compiler treats this
 * loop as it treats linpackc's (scalar at -O2; at -O3 both vectorized
 * behind a run-time overlap check), so the two agree under any flags.
 */
static void daxpy(long n, double alpha, const double *x, double *y,
		  int is_unrolled)
{
	long i = 0, m = n % 4;

	if (alpha == 0.0)
		return;
	if (!is_unrolled) {
		for (; i < n; i++)
			y[i] += alpha * x[i];
		return;
	}
	for (; i < m; i++)
		y[i] += alpha * x[i];
	for (; i < n; i += 4) {
		y[i] += alpha * x[i];
		y[i + 1] += alpha * x[i + 1];
		y[i + 2] += alpha * x[i + 2];
		y[i + 3] += alpha * x[i + 3];
	}
}

/* ---- the algorithm ------------------------------------------------------- */

/* A(i, j) of a column-major matrix with leading dimension lda. */
#define AT(a, lda, i, j) ((a)[(size_t)(j) * (size_t)(lda) + (size_t)(i)])

/* LINPACK's matgen; returns max |a_ij|. */
static double matgen(double *a, long lda, long n, double *b)
{
	long init = 1325, i, j;
	double norm = 0;

	for (j = 0; j < n; j++) {
		for (i = 0; i < n; i++) {
			init = 3125 * init % 65536;
			AT(a, lda, i, j) = ((double)init - 32768.0) / 16384.0;
			if (fabs(AT(a, lda, i, j)) > norm)
				norm = fabs(AT(a, lda, i, j));
		}
	}
	for (i = 0; i < n; i++)
		b[i] = 0;
	for (j = 0; j < n; j++)
		for (i = 0; i < n; i++)
			b[i] += AT(a, lda, i, j);
	return norm;
}

/*
 * dgefa: for each column k, pick the pivot row l of largest magnitude,
 * swap it into place, scale the column below the diagonal by -1/pivot (the
 * multipliers), then update each later column j with a daxpy of column k
 * after swapping rows l and k of column j. Returns -1, or the index of a
 * zero pivot (the matrix is singular to working precision).
 */
static long dgefa(double *a, long lda, long n, long *ipvt, int is_unrolled)
{
	long k, j, l;
	double t;

	for (k = 0; k < n - 1; k++) {
		l = idamax(n - k, &AT(a, lda, k, k)) + k;
		ipvt[k] = l;
		if (AT(a, lda, l, k) == 0.0)
			return k;
		if (l != k) {
			t = AT(a, lda, l, k);
			AT(a, lda, l, k) = AT(a, lda, k, k);
			AT(a, lda, k, k) = t;
		}
		dscal(n - k - 1, -1.0 / AT(a, lda, k, k),
		      &AT(a, lda, k + 1, k), is_unrolled);
		for (j = k + 1; j < n; j++) {
			t = AT(a, lda, l, j);
			if (l != k) {
				AT(a, lda, l, j) = AT(a, lda, k, j);
				AT(a, lda, k, j) = t;
			}
			daxpy(n - k - 1, t, &AT(a, lda, k + 1, k),
			      &AT(a, lda, k + 1, j), is_unrolled);
		}
	}
	ipvt[n - 1] = n - 1;
	return AT(a, lda, n - 1, n - 1) == 0.0 ? n - 1 : -1;
}

/* dgesl for A x = b: forward elimination with L, then back substitution
 * with U, column oriented; b is overwritten by x. */
static void dgesl(const double *a, long lda, long n, const long *ipvt,
		  double *b, int is_unrolled)
{
	long k, l;
	double t;

	for (k = 0; k < n - 1; k++) {
		l = ipvt[k];
		t = b[l];
		if (l != k) {
			b[l] = b[k];
			b[k] = t;
		}
		daxpy(n - k - 1, t, &AT(a, lda, k + 1, k), &b[k + 1],
		      is_unrolled);
	}
	for (k = n - 1; k >= 0; k--) {
		b[k] /= AT(a, lda, k, k);
		daxpy(k, -b[k], &AT(a, lda, 0, k), &b[0], is_unrolled);
	}
}

/* ||A x - b|| / (n ||A|| ||x|| eps) with max norms, A and b original. */
static double residual_norm(const struct linpack_ctx *x)
{
	long n = x->o->n, i, j;
	double resid = 0, norm_x = 0, *r = x->a;

	/* x->a is free once the solve is done: reuse its first column. */
	for (i = 0; i < n; i++)
		r[i] = -x->b0[i];
	for (j = 0; j < n; j++)
		daxpy(n, x->b[j], &AT(x->a0, x->lda, 0, j), r, 0);
	for (i = 0; i < n; i++) {
		if (fabs(r[i]) > resid)
			resid = fabs(r[i]);
		if (fabs(x->b[i]) > norm_x)
			norm_x = fabs(x->b[i]);
	}
	return resid / ((double)n * x->norm_a * norm_x * DBL_EPSILON);
}

/* ---- runs ---------------------------------------------------------------- */

/* Fresh copies of A and b (untimed), then factor and solve (timed).
 * Returns the seconds, or -1 for a singular matrix. */
static double solve_once(struct linpack_ctx *x)
{
	long n = x->o->n;
	uint64_t t0;
	double seconds;

	memcpy(x->a, x->a0, (size_t)x->lda * (size_t)n * sizeof(double));
	memcpy(x->b, x->b0, (size_t)n * sizeof(double));
	t0 = now_ns();
	if (dgefa(x->a, x->lda, n, x->ipvt, x->o->is_unrolled) >= 0)
		return -1;
	dgesl(x->a, x->lda, n, x->ipvt, x->b, x->o->is_unrolled);
	seconds = (double)(now_ns() - t0) * 1e-9;
	return seconds;
}

static int linpack_run(void *ctx, long run, struct rows *out,
		       double *main_metric)
{
	struct linpack_ctx *x = ctx;
	double n = (double)x->o->n, seconds = 0, once, kflops, residual;
	double ops = 2.0 / 3.0 * n * n * n + 2.0 * n * n;
	long reps = 0;

	do {
		once = solve_once(x);
		if (once < 0) {
			bench_error(LINPACK_CMD, "the matrix is singular to "
				    "working precision (zero pivot)");
			return EXIT_RUNTIME;
		}
		seconds += once;
		reps++;
	} while (seconds < x->o->min_time_s && !bench_interrupted);
	residual = residual_norm(x);
	if (!(residual < LINPACK_RESIDUAL_LIMIT)) {
		bench_error(LINPACK_CMD, "normalized residual %g is not below "
			    "%g: the solution is wrong", residual,
			    LINPACK_RESIDUAL_LIMIT);
		return EXIT_RUNTIME;
	}
	if (seconds <= 0) {
		bench_error(LINPACK_CMD, "the solve took no measurable time "
			    "(raise --n or --min-time)");
		return EXIT_RUNTIME;
	}
	kflops = ops * (double)reps / seconds / 1000.0;
	*main_metric = kflops;
	if (out && (rows_add(out, "kflops", kflops, "KFLOPS", run, "higher") ||
		    rows_add(out, "residual_norm", residual, NULL, run,
			     "lower")))
		return EXIT_RUNTIME;
	return EXIT_OK;
}

/* ---- options and setup --------------------------------------------------- */

static int linpack_option(void *ctx, int id, const char *name,
			  const char *v, struct diag *err)
{
	struct linpack_opts *o = ctx;

	switch ((enum linpack_opt)id) {
	case LINPACK_OPT_N:
		return parse_long(err, name, v, 2, LINPACK_MAX_N, &o->n);
	case LINPACK_OPT_MIN_TIME:
		return parse_double(err, name, v, 0, 3600, &o->min_time_s);
	case LINPACK_OPT_BLAS:
		if (strcmp(v, "rolled") && strcmp(v, "unrolled")) {
			diag_set(err, NULL, 0, "--blas '%s' is not one of "
				 "unrolled, rolled", v);
			return STATUS_BADINPUT;
		}
		o->is_unrolled = !strcmp(v, "unrolled");
		return 0;
	}
	return 0;
}

/* Returns -1 to go on, else the exit status (0 after --help). */
static int linpack_parse(int argc, char **argv, struct bench_common *c,
			 struct linpack_opts *o)
{
	int status;

	memset(o, 0, sizeof(*o));
	o->n = LINPACK_DEFAULT_N;
	o->min_time_s = 0.05;
	o->is_unrolled = 1;
	if (common_parse(c, &linpack_doc, argc, argv, linpack_option, o, NULL,
			 &status))
		return status;
	if (*c->config)
		return -1;
	if (o->n != LINPACK_DEFAULT_N)
		snprintf(o->config, sizeof(o->config), "n=%ld", o->n);
	if (!o->is_unrolled)
		snprintf(o->config + strlen(o->config),
			 sizeof(o->config) - strlen(o->config), "%sblas=rolled",
			 *o->config ? "+" : "");
	if (*o->config)
		c->config = o->config;
	return -1;
}

/* Two n x (n + 1) matrices must fit in physical memory when it is known. */
static int check_memory(const struct linpack_opts *o)
{
	long pages = sysconf(_SC_PHYS_PAGES);
	double need = 2.0 * 8.0 * (double)o->n * (double)(o->n + 1);
	double have = (double)pages * (double)page_size();

	if (pages > 0 && need > have)
		return usage_error(LINPACK_CMD, "--n %ld needs %.0f MiB but "
				   "the machine has %.0f MiB", o->n,
				   need / 1048576, have / 1048576);
	return -1;
}

static void linpack_release(struct linpack_ctx *x)
{
	free(x->a0);
	free(x->b0);
	free(x->a);
	free(x->b);
	free(x->ipvt);
}

int cmd_linpack(int argc, char **argv)
{
	struct bench_common c;
	struct linpack_opts o;
	struct linpack_ctx x;
	size_t cells;
	int status;

	common_init(&c);
	status = linpack_parse(argc, argv, &c, &o);
	if (status < 0 && common_checked(&c))
		return EXIT_OK;
	if (status < 0)
		status = check_memory(&o);
	if (status >= 0)
		return status;
	memset(&x, 0, sizeof(x));
	x.o = &o;
	/* An odd leading dimension keeps the columns from mapping to the same
	 * cache sets when n is a power of two (the classic used 201). */
	x.lda = o.n + 1 - o.n % 2;
	cells = (size_t)x.lda * (size_t)o.n;
	x.a0 = malloc(cells * sizeof(double));
	x.a = malloc(cells * sizeof(double));
	x.b0 = malloc((size_t)o.n * sizeof(double));
	x.b = malloc((size_t)o.n * sizeof(double));
	x.ipvt = malloc((size_t)o.n * sizeof(long));
	status = EXIT_RUNTIME;
	if (!x.a0 || !x.a || !x.b0 || !x.b || !x.ipvt) {
		bench_error(LINPACK_CMD, "out of memory for n = %ld", o.n);
	} else {
		x.norm_a = matgen(x.a0, x.lda, o.n, x.b0);
		status = common_measure(&c, LINPACK_CMD, "linpack", 10, 1,
					linpack_run, &x, argc, argv);
	}
	linpack_release(&x);
	return status;
}
