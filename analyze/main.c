/*
 * analyze: tidy benchmark results in, statistics, comparisons and figures
 * out. main() owns the one struct config, runs the pipeline
 *
 *   load every file -> load_finish -> stats per group (drop outliers)
 *   -> cmp_build -> explain -> fmt_write | plot_figures
 *
 * prints every diagnostic and decides the exit status: 0 ok, 1 runtime
 * failure, 2 bad usage or bad input (docs/conventions.md). The modules only
 * return statuses and fill a struct diag.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/stat.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>

#include "atomic.h"
#include "cleanup.h"
#include "compare.h"
#include "diag.h"
#include "explain.h"
#include "format.h"
#include "load.h"
#include "options.h"
#include "plot.h"
#include "report.h"
#include "stats.h"
#include "summaries.h"
#include "xalloc.h"

#ifndef TOOLKIT_VERSION
#error "TOOLKIT_VERSION must be defined by the build (see Makefile)"
#endif

/* What one run computes; released by results_release(). */
struct results {
	struct dataset *ds;
	struct summary *sums;
	struct comparison *cmps;
	size_t n_cmps;
	struct finding *findings;
	size_t n_findings;
	size_t n_dropped;
};

static void print_warnings(const struct config *cfg,
			   const struct dataset *ds)
{
	size_t i;

	if (cfg->is_quiet)
		return;
	for (i = 0; i < ds->warnings.n; i++)
		diag_print(stderr, "analyze", &ds->warnings.items[i]);
}

/*
 * Progress: every file with --progress; on a terminal without it, only
 * files large enough to take a noticeable time (64 MiB is about a quarter
 * of a second here), so that small interactive runs stay quiet.
 */
#define PROGRESS_MIN_BYTES (64L << 20)

static void show_progress(const struct config *cfg, size_t i)
{
	const char *name = cfg->files[i];
	struct stat st;
	int has_size = strcmp(name, "-") && stat(name, &st) == 0 &&
		       S_ISREG(st.st_mode);

	if (!cfg->is_progress && !(isatty(STDERR_FILENO) && has_size &&
				   st.st_size >= PROGRESS_MIN_BYTES))
		return;
	if (has_size && st.st_size >= 1000000)
		fprintf(stderr, "analyze: reading %s (%.0f MB, %zu of %zu)\n",
			name, (double)st.st_size / 1e6, i + 1, cfg->n_files);
	else
		fprintf(stderr, "analyze: reading %s (%zu of %zu)\n",
			strcmp(name, "-") ? name : "<stdin>", i + 1,
			cfg->n_files);
}

static int load_all(const struct config *cfg, struct dataset *ds,
		    struct diag *err)
{
	size_t i;
	int rc;

	for (i = 0; i < cfg->n_files; i++) {
		show_progress(cfg, i);
		rc = load_file_opts(ds, cfg->files[i], &cfg->file_opts[i],
				    err);
		if (rc != 0)
			return rc;
	}
	return load_finish(ds, err);
}

static int compute(const struct config *cfg, struct results *res,
		   struct diag *err)
{
	struct cmp_options copt = { cfg->baseline, cfg->test, cfg->level };
	struct dataset *ds = res->ds;

	res->sums = xcalloc(ds->n_groups, sizeof(*res->sums));
	if (summaries_compute(ds, cfg->level, res->sums, err) != 0)
		return STATUS_RUNTIME;
	if (cfg->is_drop_outliers &&
	    summaries_drop_outliers(ds, cfg->level, res->sums, &res->n_dropped,
				    err))
		return STATUS_RUNTIME;
	return cmp_build(ds, res->sums, &copt, &res->cmps, &res->n_cmps, err);
}

static void report_init(struct report *r, const struct config *cfg,
			const struct results *res)
{
	memset(r, 0, sizeof(*r));
	r->ds = res->ds;
	r->sums = res->sums;
	r->cmps = res->cmps;
	r->n_cmps = res->n_cmps;
	r->findings = res->findings;
	r->n_findings = res->n_findings;
	r->level = cfg->level;
	r->test = cfg->test;
	r->n_outliers_dropped = res->n_dropped;
	r->is_outliers_dropped = cfg->is_drop_outliers;
}

/* The table to standard output, or atomically to -o PATH. */
static int write_table(const struct config *cfg, const struct report *r,
		       struct diag *err)
{
	struct fmt_options fo = {
		cfg->format, cfg->is_comparisons, cfg->is_explain,
		TOOLKIT_VERSION
	};
	char *tmp = NULL;
	FILE *f;
	int rc;

	if (!cfg->output || strcmp(cfg->output, "-") == 0)
		return fmt_write(stdout, r, &fo, err);
	f = atomic_open(cfg->output, &tmp);
	if (!f) {
		diag_set(err, cfg->output, 0, "cannot create a file beside "
			 "it to write into: %s", strerror(errno));
		return STATUS_RUNTIME;
	}
	rc = fmt_write(f, r, &fo, err);
	if (rc != 0) {
		int saved = errno;

		atomic_abort(f, tmp);
		/* A write error: say where (a full disk, /dev/full). */
		if (rc == STATUS_RUNTIME && saved)
			diag_set(err, cfg->output, 0, "cannot write: %s",
				 strerror(saved));
		return rc;
	}
	if (atomic_commit(f, tmp, cfg->output) != 0) {
		diag_set(err, cfg->output, 0, "cannot write: %s",
			 strerror(errno));
		return STATUS_RUNTIME;
	}
	return 0;
}

/* One line of --explain under the figures, as the text table has it. */
static void print_finding(void *ctx, const char *line)
{
	fprintf(ctx, "  %s\n", line);
}

/* --plot: figures; their paths on standard output, one per line, then
 * the findings of --explain (there is no table to hold them), in the
 * text form. */
static int write_figures(const struct config *cfg, const struct report *r,
			 struct diag *err)
{
	struct plot_options po;
	struct diag_list written = { NULL, 0, 0 };
	size_t i;
	int rc;

	memset(&po, 0, sizeof(po));
	po.outdir = cfg->output ? cfg->output : "plots";
	po.term = cfg->term ? cfg->term : "svg";
	po.kind = cfg->kind;
	po.title = cfg->title;
	po.width = cfg->width;
	po.height = cfg->height;
	po.errorbars = cfg->errorbars;
	po.templates_dir = cfg->templates_dir;
	po.is_verbose = cfg->is_progress;
	po.timeout_s = cfg->plot_timeout_s >= 0 ? cfg->plot_timeout_s :
		       PLOT_TIMEOUT_DEFAULT_S;
	rc = plot_figures(r, &po, &written, err);
	/* plot lists each figure (file set, not a warning) and passes on
	 * what gnuplot said as warnings, in the order they happened. */
	for (i = 0; i < written.n; i++) {
		const struct diag *d = &written.items[i];

		if (!d->is_warning && d->file[0])
			printf("%s\n", d->file);
		else if (!cfg->is_quiet)
			diag_print(stderr, "analyze", d);
	}
	diag_list_release(&written);
	if (rc == 0 && cfg->is_explain) {
		printf("findings:%s\n", r->n_findings ? "" : " none");
		explain_fold(r, print_finding, stdout);
	}
	return rc;
}

static void results_release(struct results *res)
{
	explain_free(res->findings);
	cmp_free(res->cmps);
	free(res->sums);
	load_free(res->ds);
}

static int run(const struct config *cfg)
{
	struct load_options lopt = {
		cfg->by, cfg->n_by, cfg->factor, cfg->is_lenient
	};
	struct results res;
	struct report r;
	struct diag err;
	int rc;

	memset(&res, 0, sizeof(res));
	res.ds = load_new(&lopt);
	rc = load_all(cfg, res.ds, &err);
	print_warnings(cfg, res.ds);
	if (rc == 0)
		rc = compute(cfg, &res, &err);
	if (rc == 0) {
		report_init(&r, cfg, &res);
		if (cfg->is_explain) {
			struct explain_options eo = { cfg->target_ci };

			explain_build(&r, &eo, &res.findings, &res.n_findings);
			r.findings = res.findings;
			r.n_findings = res.n_findings;
		}
		rc = cfg->is_plot ? write_figures(cfg, &r, &err) :
		     write_table(cfg, &r, &err);
	}
	if (rc != 0)
		diag_print(stderr, "analyze", &err);
	results_release(&res);
	return rc;
}

/* A full disk or a closed pipe on standard output is a failure too. */
static int close_stdout(int status)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "analyze: cannot write standard output: %s\n",
			strerror(errno));
		return status ? status : EXIT_RUNTIME;
	}
	return status;
}

int main(int argc, char **argv)
{
	struct config cfg;
	struct diag err;
	int rc, status;

	/* GSL's default handler aborts; every GSL status is checked. */
	gsl_set_error_handler_off();
	/* Ctrl-C, a kill or a hangup removes our temporary files. */
	cleanup_install();
	rc = options_parse(argc, argv, &cfg, &err);
	if (rc == OPTIONS_HELP) {
		options_help(stdout);
		status = EXIT_OK;
	} else if (rc == OPTIONS_VERSION) {
		printf("analyze %s\n", TOOLKIT_VERSION);
		status = EXIT_OK;
	} else if (rc < 0) {
		diag_print(stderr, "analyze", &err);
		fputs("try 'analyze --help'\n", stderr);
		status = EXIT_BADINPUT;
	} else {
		status = status_exit(run(&cfg));
	}
	options_release(&cfg);
	return close_stdout(status);
}
