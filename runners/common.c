/*
 * common: options, CSV rows, the repetition loop and the .meta.json sidecar
 * shared by every bench subcommand. Host facts and clocks are in host.c.
 */
#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

volatile sig_atomic_t bench_interrupted;

static const struct opt_spec common_rows[] = {
	{ COMMON_OPT_OUTPUT, 'o', "output", "FILE",
	  "write rows to FILE (and FILE's .meta.json)\n"
	  "instead of standard output" },
	{ COMMON_OPT_PLATFORM, 0, "platform", "NAME",
	  "value of the platform column (default: native)" },
	{ COMMON_OPT_CONFIG, 0, "config", "STR",
	  "value of the config column (default: empty)" },
	{ COMMON_OPT_RUNS, 0, "runs", "N", "measured repetitions" },
	{ COMMON_OPT_WARMUP, 0, "warmup", "N",
	  "unrecorded repetitions before them" },
	{ COMMON_OPT_UNTIL_CI, 0, "until-ci", "PCT",
	  "repeat until the 95% CI of the mean is within\n"
	  "+-PCT% of the mean (at least 3 runs)" },
	{ COMMON_OPT_MAX_RUNS, 0, "max-runs", "N",
	  "upper bound for --until-ci (default: 50)" },
	{ COMMON_OPT_VERBOSE, 0, "verbose", NULL,
	  "print host facts on standard error" },
	{ COMMON_OPT_PROGRESS, 0, "progress", NULL,
	  "show progress on standard error even when it\n"
	  "is not a terminal" },
	{ COMMON_OPT_CHECK, 0, "check", NULL,
	  "check the options and exit (0 valid, 2 not)\n"
	  "without measuring or writing anything" },
	{ COMMON_OPT_HELP, 'h', "help", NULL, "show this help" },
};

const struct opt_table common_opts = OPT_TABLE(common_rows);

/* Column of the help text of the common options. */
#define COMMON_HELP_COL 23

void common_init(struct bench_common *c)
{
	memset(c, 0, sizeof(*c));
	c->platform = "native";
	c->config = "";
	c->warmup = -1;
	c->max_runs = 50;
	c->is_progress = isatty(STDERR_FILENO);
}

static void vreport(const char *cmd, const char *fmt, va_list ap)
{
	fprintf(stderr, "bench %s: ", cmd);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void bench_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(cmd, fmt, ap);
	va_end(ap);
}

int usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(cmd, fmt, ap);
	va_end(ap);
	fprintf(stderr, "try 'bench %s --help'\n", cmd);
	return EXIT_BADINPUT;
}

int parse_long(struct diag *err, const char *opt, const char *arg, long min,
	       long max, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (end == arg || *end || errno || v < min || v > max) {
		diag_set(err, NULL, 0, "%s '%s' must be an integer from %ld "
			 "to %ld", opt, arg, min, max);
		return STATUS_BADINPUT;
	}
	*out = v;
	return 0;
}

int parse_double(struct diag *err, const char *opt, const char *arg,
		 double min, double max, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(arg, &end);
	if (end == arg || *end || errno || !isfinite(v) || v < min || v > max) {
		diag_set(err, NULL, 0, "%s '%s' must be a number from %g to %g",
			 opt, arg, min, max);
		return STATUS_BADINPUT;
	}
	*out = v;
	return 0;
}

int parse_size(struct diag *err, const char *opt, const char *arg,
	       uint64_t min, uint64_t max, uint64_t *out)
{
	char *end;
	unsigned long long v;
	unsigned shift = 0;

	errno = 0;
	v = strtoull(arg, &end, 10);
	if (end != arg && !errno && *arg != '-') {
		switch (*end) {
		case 'K': case 'k': shift = 10; end++; break;
		case 'M': case 'm': shift = 20; end++; break;
		case 'G': case 'g': shift = 30; end++; break;
		}
		if (shift && (*end == 'i' || *end == 'B'))
			end += (*end == 'i' && end[1] == 'B') ? 2 : 1;
		if (!*end && v <= (max >> shift) && (v << shift) >= min) {
			*out = (uint64_t)v << shift;
			return 0;
		}
	}
	diag_set(err, NULL, 0, "%s '%s' must be a size from %llu to %llu "
		 "bytes (suffixes K, M, G)", opt, arg,
		 (unsigned long long)min, (unsigned long long)max);
	return STATUS_BADINPUT;
}

int parse_units(struct diag *err, const char *opt, const char *arg,
		uint64_t unit_bytes, uint64_t min_bytes, uint64_t max_bytes,
		uint64_t *bytes)
{
	size_t len = strlen(arg);
	uint64_t min = (min_bytes + unit_bytes - 1) / unit_bytes;
	uint64_t max = max_bytes / unit_bytes;
	long n;

	if (max > LONG_MAX)
		max = LONG_MAX;
	if (len && arg[len - 1] >= '0' && arg[len - 1] <= '9') {
		if (parse_long(err, opt, arg, (long)min, (long)max, &n))
			return STATUS_BADINPUT;
		*bytes = (uint64_t)n * unit_bytes;
		return 0;
	}
	return parse_size(err, opt, arg, min_bytes, max_bytes, bytes);
}

int parse_mib(struct diag *err, const char *opt, const char *arg,
	      uint64_t min_bytes, uint64_t max_bytes, uint64_t *bytes)
{
	return parse_units(err, opt, arg, (uint64_t)1 << 20, min_bytes,
			   max_bytes, bytes);
}

/* A value of the platform or config column: one CSV field on one line. */
static int one_line(struct diag *err, const char *name, const char *v)
{
	if (!strpbrk(v, "\r\n"))
		return 0;
	diag_set(err, NULL, 0, "%s must not contain line breaks", name);
	return STATUS_BADINPUT;
}

/* A common option (id < 0, from any table). */
static int common_apply(struct bench_common *c, int id, const char *name,
			const char *v, struct diag *err)
{
	switch ((enum common_opt_id)id) {
	case COMMON_OPT_OUTPUT: c->output = v; return 0;
	case COMMON_OPT_PLATFORM: c->platform = v;
		return one_line(err, name, v);
	case COMMON_OPT_CONFIG: c->config = v;
		return one_line(err, name, v);
	case COMMON_OPT_RUNS:
		return parse_long(err, name, v, 1, 1000000, &c->runs);
	case COMMON_OPT_WARMUP:
		return parse_long(err, name, v, 0, 1000000, &c->warmup);
	case COMMON_OPT_MAX_RUNS:
		return parse_long(err, name, v, 3, 1000000, &c->max_runs);
	case COMMON_OPT_UNTIL_CI:
		return parse_double(err, name, v, 0.001, 100,
				    &c->until_ci_pct);
	case COMMON_OPT_VERBOSE: c->is_verbose = 1; return 0;
	case COMMON_OPT_PROGRESS: c->is_progress = 1; return 0;
	case COMMON_OPT_CHECK: c->is_check = 1; return 0;
	case COMMON_OPT_HELP: case COMMON_OPT_VERSION: break;
	}
	return 0;
}

static void print_help(const struct bench_doc *d)
{
	fputs(d->intro, stdout);
	opt_help(stdout, &d->opts, d->col, 0);
	fputs(d->notes, stdout);
	if (d->has_common) {
		fputs("\nCommon options:\n", stdout);
		opt_help(stdout, &common_opts, COMMON_HELP_COL, 0);
	}
	fputs(d->exit_help, stdout);
}

/* An operand at argv[p->i - 1]: 1 when it starts the command (the rest
 * of the line), 0 when taken, or STATUS_BADINPUT. */
static int operand(const struct bench_doc *d, const struct opt_parser *p,
		   bench_opt_fn fn, void *ctx, char ***command,
		   struct diag *err)
{
	switch (d->operands) {
	case BENCH_OPERANDS_ANY:
		return fn(ctx, BENCH_OPERAND, p->value, p->value, err);
	case BENCH_OPERANDS_COMMAND:
		*command = p->argv + p->i - 1;
		return 1;
	case BENCH_OPERANDS_AFTER_DASHDASH:
		if (p->is_after_dashdash) {
			*command = p->argv + p->i - 1;
			return 1;
		}
		break;
	case BENCH_OPERANDS_NONE:
		break;
	}
	diag_set(err, NULL, 0, "unknown option '%s'", p->value);
	return STATUS_BADINPUT;
}

int common_parse(struct bench_common *c, const struct bench_doc *d,
		 int argc, char **argv, bench_opt_fn fn, void *ctx,
		 char ***command, int *status)
{
	struct opt_table tables[2] = { d->opts, common_opts };
	struct opt_parser p;
	struct diag err;
	int ev = 0, rc = 0;

	if (command)
		*command = NULL;
	opt_init(&p, argc, argv, tables, d->has_common ? 2 : 1);
	while (rc == 0 && (ev = opt_next(&p, &err)) > 0) {
		if (ev == OPT_OPERAND) {
			rc = operand(d, &p, fn, ctx, command, &err);
		} else if (p.opt->id == COMMON_OPT_HELP) {
			print_help(d);
			*status = EXIT_OK;
			return -1;
		} else if (p.opt->id == COMMON_OPT_VERSION) {
			print_version();
			*status = EXIT_OK;
			return -1;
		} else if (p.opt->id < 0) {
			rc = common_apply(c, p.opt->id, p.name, p.value, &err);
		} else {
			rc = fn(ctx, p.opt->id, p.name, p.value, &err);
		}
	}
	if (rc == 0 && ev == 0)
		return 0;
	if (rc > 0)		/* the command starts: the rest is its */
		return 0;
	usage_error(d->cmd, "%s", err.msg);
	*status = EXIT_BADINPUT;
	return -1;
}

int common_checked(const struct bench_common *c)
{
	return c->is_check;
}

void print_version(void)
{
	printf("bench %s\n", TOOLKIT_VERSION);
}

/* ---- rows ------------------------------------------------------------- */

static const char csv_header[] =
	"platform,benchmark,metric,value,unit,run,better,config,host,"
	"timestamp\n";

/* Append s to buf as one CSV field (RFC 4180 quoting when needed). */
static size_t csv_field(char *buf, size_t at, size_t size, const char *s)
{
	int needs_quotes = s && strpbrk(s, ",\"\r\n") != NULL;

	if (!s)
		s = "";
	if (needs_quotes && at < size)
		buf[at++] = '"';
	for (; *s && at + 2 < size; s++) {
		if (*s == '"' && needs_quotes)
			buf[at++] = '"';
		buf[at++] = *s;
	}
	if (needs_quotes && at < size)
		buf[at++] = '"';
	return at;
}

/* Append s to buf verbatim (for text that is CSV-safe by construction). */
static size_t csv_raw(char *buf, size_t at, size_t size, const char *s)
{
	size_t len = strlen(s);

	if (at + len >= size)
		len = size - at - 1;
	memcpy(buf + at, s, len);
	return at + len;
}

static int write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/*
 * A row (or the header) whole or not at all. A write that stops part way
 * on a regular file (a full disk, a file size limit) is cut off again, so
 * the file still ends with the last whole row, on this error path as on
 * an interrupt (where each row is one write). Only what this write added
 * is cut: a file that grew beyond it meanwhile (another writer appending
 * to the same standard output) is left alone. A pipe takes a row, shorter
 * than PIPE_BUF, whole or not at all by itself.
 */
static int write_row(struct rows *r, const char *buf, size_t len)
{
	off_t at = r->is_regular ? lseek(r->fd, 0, SEEK_CUR) : -1;
	struct stat st;
	int saved;

	if (write_all(r->fd, buf, len) == 0)
		return 0;
	saved = errno;
	if (at >= 0 && fstat(r->fd, &st) == 0 && st.st_size > at &&
	    st.st_size - at <= (off_t)len && ftruncate(r->fd, at) == 0)
		lseek(r->fd, at, SEEK_SET);
	errno = saved;
	return -1;
}

int rows_open(struct rows *r, const char *cmd, const char *benchmark,
	      const struct bench_common *c)
{
	struct host_facts h;
	struct stat st;

	memset(r, 0, sizeof(*r));
	r->cmd = cmd;
	r->common = c;
	snprintf(r->benchmark, sizeof(r->benchmark), "%s", benchmark);
	if (gethostname(r->host, sizeof(r->host)) != 0)
		r->host[0] = '\0';
	r->host[sizeof(r->host) - 1] = '\0';
	if (c->is_verbose) {
		host_facts_read(&h);
		host_facts_print(stderr, &h);
	}
	if (!c->output || !strcmp(c->output, "-")) {
		r->fd = STDOUT_FILENO;
		r->is_stdout = 1;
	} else {
		r->fd = open(c->output, O_WRONLY | O_CREAT | O_TRUNC |
			     O_CLOEXEC, 0666);
		if (r->fd < 0) {
			bench_error(cmd, "cannot open '%s': %s", c->output,
				    strerror(errno));
			return -1;
		}
	}
	r->is_regular = fstat(r->fd, &st) == 0 && S_ISREG(st.st_mode);
	if (write_row(r, csv_header, sizeof(csv_header) - 1)) {
		bench_error(cmd, "cannot write '%s': %s",
			    r->is_stdout ? "<stdout>" : c->output,
			    strerror(errno));
		r->has_failed = 1;
		return -1;
	}
	return 0;
}

int rows_add(struct rows *r, const char *metric, double value,
	     const char *unit, long run, const char *better)
{
	char line[2048], num[64], stamp[32];
	size_t at = 0;
	time_t now = time(NULL);
	struct tm tm;

	if (r->has_failed)
		return -1;
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &tm);
	at = csv_field(line, at, sizeof(line), r->common->platform);
	line[at++] = ',';
	at = csv_field(line, at, sizeof(line), r->benchmark);
	line[at++] = ',';
	at = csv_field(line, at, sizeof(line), metric);
	snprintf(num, sizeof(num), ",%.10g,", value);
	at = csv_raw(line, at, sizeof(line) - 64, num);
	at = csv_field(line, at, sizeof(line), unit);
	if (run >= 0)
		snprintf(num, sizeof(num), ",%ld,", run);
	else
		snprintf(num, sizeof(num), ",,");
	at = csv_raw(line, at, sizeof(line) - 64, num);
	at = csv_field(line, at, sizeof(line), better);
	line[at++] = ',';
	at = csv_field(line, at, sizeof(line) - 300, r->common->config);
	line[at++] = ',';
	at = csv_field(line, at, sizeof(line) - 40, r->host);
	line[at++] = ',';
	at = csv_field(line, at, sizeof(line) - 2, stamp);
	line[at++] = '\n';
	if (write_row(r, line, at)) {
		bench_error(r->cmd, "cannot write a row: %s", strerror(errno));
		r->has_failed = 1;
		return -1;
	}
	r->n_rows++;
	return 0;
}

/* NAME.csv -> NAME.meta.json; anything else -> NAME.meta.json appended. */
static void meta_path(const char *output, char *buf, size_t size)
{
	size_t len = strlen(output);

	if (len > 4 && !strcmp(output + len - 4, ".csv"))
		len -= 4;
	snprintf(buf, size, "%.*s.meta.json", (int)len, output);
}

static int write_meta(const struct rows *r, int argc, char **argv)
{
	char path[4096];
	struct host_facts h;
	FILE *f;
	int i, failed;

	meta_path(r->common->output, path, sizeof(path));
	f = fopen(path, "w");
	if (!f) {
		bench_error(r->cmd, "cannot write '%s': %s", path,
			    strerror(errno));
		return -1;
	}
	host_facts_read(&h);
	fputs("{\n  \"source\": \"measured\",\n  \"tool\": \"bench ", f);
	fputs(TOOLKIT_VERSION "\",\n  \"benchmark\": ", f);
	json_string(f, r->benchmark);
	fputs(",\n  \"command_line\": [", f);
	for (i = 0; i < argc; i++) {
		fputs(i ? ", " : "", f);
		json_string(f, argv[i]);
	}
	fprintf(f, "],\n  \"rows\": %lu,\n  \"host\": {\n    \"cpu_model\": ",
		r->n_rows);
	json_string(f, h.cpu_model);
	fprintf(f, ",\n    \"cpus\": %ld,\n    \"kernel\": ", h.n_cpus);
	json_string(f, h.kernel);
	fputs(",\n    \"hostname\": ", f);
	json_string(f, h.hostname);
	fputs(",\n    \"cpuid_hypervisor\": ", f);
	json_string(f, h.hypervisor);
	fputs(",\n    \"sys_hypervisor\": ", f);
	json_string(f, h.sys_hypervisor);
	fputs(",\n    \"clocksource\": ", f);
	json_string(f, h.clocksource);
	fputs("\n  }\n}\n", f);
	failed = ferror(f);
	if (fclose(f) != 0 || failed) {
		bench_error(r->cmd, "cannot write '%s': %s", path,
			    strerror(errno));
		return -1;
	}
	return 0;
}

int rows_close(struct rows *r, int argc, char **argv)
{
	int failed = r->has_failed;

	if (!r->is_stdout && r->fd >= 0) {
		if (close(r->fd) != 0 && !failed) {
			bench_error(r->cmd, "cannot write '%s': %s",
				    r->common->output, strerror(errno));
			failed = 1;
		}
		r->fd = -1;
		if (!failed && write_meta(r, argc, argv))
			failed = 1;
	}
	return failed ? -1 : 0;
}

/* ---- repetitions ---------------------------------------------------------- */

/*
 * Two-sided 95% Student-t quantiles t(0.975, df) for df = 1..30, as printed
 * in standard tables (e.g. NIST/SEMATECH e-Handbook, table 1.4.7.2);
 * checked against scipy.stats.t.ppf(0.975, df) to 6 digits.
 */
static const double t975[30] = {
	12.706205, 4.302653, 3.182446, 2.776445, 2.570582, 2.446912,
	2.364624, 2.306004, 2.262157, 2.228139, 2.200985, 2.178813,
	2.160369, 2.144787, 2.131450, 2.119905, 2.109816, 2.100922,
	2.093024, 2.085963, 2.079614, 2.073873, 2.068658, 2.063899,
	2.059539, 2.055529, 2.051831, 2.048407, 2.045230, 2.042272
};

double t95(long df)
{
	/* Beyond the table: the Cornish-Fisher expansion of t in terms of
	 * the normal quantile z (Abramowitz & Stegun 26.7.5, three terms),
	 * within 1e-5 of scipy's t.ppf for df > 30. */
	const double z = 1.959963984540054;
	double z3 = z * z * z, z5 = z3 * z * z, z7 = z5 * z * z;
	double d = (double)df;

	if (df < 1)
		return INFINITY;
	if (df <= 30)
		return t975[df - 1];
	return z + (z3 + z) / (4 * d) + (5 * z5 + 16 * z3 + 3 * z) /
	       (96 * d * d) + (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) /
	       (384 * d * d * d);
}

/* Half-width of the 95% CI relative to |mean|, over v[0..n-1]. */
static double relative_halfwidth(const double *v, long n)
{
	double mean = 0, ss = 0;
	long i;

	for (i = 0; i < n; i++)
		mean += v[i];
	mean /= (double)n;
	for (i = 0; i < n; i++)
		ss += (v[i] - mean) * (v[i] - mean);
	if (mean == 0)
		return INFINITY;
	return t95(n - 1) * sqrt(ss / (double)(n - 1)) / sqrt((double)n) /
	       fabs(mean);
}

static void on_signal(int sig)
{
	(void)sig;
	bench_interrupted = 1;
}

static void catch_interrupts(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

static void show_progress(const struct bench_common *c, const char *cmd,
			  long run, long planned)
{
	if (!c->is_progress)
		return;
	if (planned > 0)
		fprintf(stderr, "\rbench %s: run %ld/%ld ", cmd, run + 1,
			planned);
	else
		fprintf(stderr, "\rbench %s: run %ld ", cmd, run + 1);
}

int common_repeat(const struct bench_common *c, const char *cmd,
		  long default_runs, long default_warmup, bench_run_fn fn,
		  void *ctx, struct rows *out)
{
	long warmup = c->warmup >= 0 ? c->warmup : default_warmup;
	long runs = c->runs > 0 ? c->runs : default_runs;
	int until_ci = c->until_ci_pct > 0;
	long limit = until_ci ? c->max_runs : runs, run, w;
	double *seen = NULL, rel = INFINITY, ignored;
	int status = EXIT_OK;

	catch_interrupts();
	if (until_ci && !(seen = malloc((size_t)limit * sizeof(*seen)))) {
		bench_error(cmd, "out of memory");
		return EXIT_RUNTIME;
	}
	for (w = 0; w < warmup && !bench_interrupted && !status; w++)
		status = fn(ctx, -1, NULL, &ignored);
	for (run = 0; run < limit && !bench_interrupted && !status; run++) {
		show_progress(c, cmd, run, until_ci ? 0 : limit);
		status = fn(ctx, run, out, until_ci ? &seen[run] : &ignored);
		if (status || !until_ci || run < 2)
			continue;
		rel = relative_halfwidth(seen, run + 1);
		if (rel <= c->until_ci_pct / 100) {
			run++;
			break;
		}
	}
	if (c->is_progress)
		fputc('\n', stderr);
	if (until_ci && !status && !bench_interrupted)
		fprintf(stderr, "bench %s: %ld runs, 95%% CI of the mean "
			"+-%.2f%% (target +-%g%%)%s\n", cmd, run, 100 * rel,
			c->until_ci_pct, rel <= c->until_ci_pct / 100 ? "" :
			": --max-runs reached before the target");
	free(seen);
	if (!status && bench_interrupted) {
		bench_error(cmd, "interrupted after %ld complete runs", run);
		status = EXIT_INTERRUPTED;
	}
	return status;
}

int common_measure(const struct bench_common *c, const char *cmd,
		   const char *benchmark, long default_runs,
		   long default_warmup, bench_run_fn fn, void *ctx, int argc,
		   char **argv)
{
	struct rows rows;
	int status;

	if (rows_open(&rows, cmd, benchmark, c))
		return EXIT_RUNTIME;
	status = common_repeat(c, cmd, default_runs, default_warmup, fn, ctx,
			       &rows);
	if (rows_close(&rows, argc, argv) && status == EXIT_OK)
		status = EXIT_RUNTIME;
	return status;
}
