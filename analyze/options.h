/*
 * options: the command line of analyze, parsed into the one struct config
 * that main() holds and passes down as const. Also the --help text, so the
 * options, their help and their defaults live in one table.
 *
 * Owns: the arrays inside struct config (files, by); free with
 * options_release(). Must not: read input, print anything but --help and
 * --version, or exit.
 */
#ifndef ANALYZE_OPTIONS_H
#define ANALYZE_OPTIONS_H

#include <stddef.h>
#include <stdio.h>

#include "compare.h"
#include "format.h"
#include "load.h"
#include "plot.h"
#include "diag.h"

struct config {
	const char **files;	/* borrowed from argv; the array is owned */
	size_t n_files;
	/* Per file (parallel to files): --label (borrowed from argv, or
	 * NULL), the --input in force before it, --column. */
	struct load_file_options *file_opts;
	enum fmt_kind format;
	int is_comparisons;	/* --comparisons: csv of the comparisons */
	const char *output;	/* -o: table file, or figure dir with --plot */
	double level;		/* confidence level, 0 < level < 1 */
	const char *baseline;	/* NULL: first factor value seen */
	const char *factor;	/* NULL: platform */
	const char **by;	/* --by items, each owned; NULL: default */
	size_t n_by;
	enum cmp_test test;
	int is_drop_outliers;
	int is_lenient;
	int is_explain;
	double target_ci;	/* relative CI half-width, e.g. 0.05 */
	int is_plot;
	const char *kind, *term, *title, *templates_dir;
	int width, height;	/* --size; 0 when not given */
	enum plot_errorbars errorbars;
	double plot_timeout_s;	/* --plot-timeout; < 0 when not given */
	int is_progress;
	int is_quiet;
	enum input_format input;	/* --input in force while parsing */
	const char *pending_label;	/* --label not yet given a FILE */
	unsigned column;		/* --column; 0: the first */
};

enum options_action {
	OPTIONS_RUN = 0,	/* analyze the files */
	OPTIONS_HELP,		/* --help was given */
	OPTIONS_VERSION		/* --version was given */
};

/*
 * Parse argv into cfg (defaults first). Returns an options_action, or
 * STATUS_BADINPUT with err set to the one-line usage problem (no "try"
 * line: main adds it). cfg must be released in every case.
 */
int options_parse(int argc, char **argv, struct config *cfg,
		  struct diag *err);

void options_release(struct config *cfg);

/* The --help text (synopsis, paragraph, example, options, exit status). */
void options_help(FILE *f);

#endif
