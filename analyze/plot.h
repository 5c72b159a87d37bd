/*
 * plot: figures through gnuplot, driven over a pipe (popen "gnuplot -d")
 * with inline datablocks and the templates in templates/<kind>.gp. Writes
 * each figure under a temporary name in the output directory and renames it
 * on success. Reads the report, never changes it; never calls format.
 */
#ifndef ANALYZE_PLOT_H
#define ANALYZE_PLOT_H

#include "report.h"
#include "diag.h"

enum plot_errorbars {
	PLOT_ERRORBARS_CI = 0,	/* CI of the mean when n > 1 (default) */
	PLOT_ERRORBARS_RANGE,	/* min..max */
	PLOT_ERRORBARS_NONE
};

struct plot_options {
	const char *outdir;	/* default "plots" */
	const char *term;	/* "svg" (default), "png", "pdf" */
	const char *kind;	/* NULL: chosen from the data; else a template
				 * name such as "bars", "boot", "ratio" */
	const char *title;	/* NULL: derived from the data */
	const char *name;	/* base file name; NULL: derived */
	int width, height;	/* pixels; 0: default 480x336 (ratio 480x440).
				 * The PDF is the same figure at 144 px per
				 * inch (480 px = 3.33 in, one column) */
	enum plot_errorbars errorbars;
	const char *templates_dir;	/* NULL: found next to the binary */
	int is_verbose;
	double timeout_s;	/* gnuplot's limit per figure; <= 0: none */
};

/* gnuplot draws a figure in well under a second: a limit 100 times that
 * only stops one that hangs (--plot-timeout changes it). */
#define PLOT_TIMEOUT_DEFAULT_S 120

/*
 * Draw the figures the report calls for (or opt->kind). Returns 0,
 * STATUS_BADINPUT (err set; e.g. a kind the data cannot fill), or
 * STATUS_RUNTIME (gnuplot missing or failing, write error). Names of the
 * files written are appended to written (caller releases) when non-NULL:
 * entries with is_warning == 0 are figures (file = its path); entries
 * with is_warning == 1 are warnings gnuplot printed although it
 * succeeded (msg "gnuplot: ...", no file), for stderr via diag_print.
 * On failure, err->msg holds gnuplot's own lines after the first, each
 * on a line of its own prefixed "gnuplot: ".
 */
int plot_figures(const struct report *r, const struct plot_options *opt,
		 struct diag_list *written, struct diag *err);

#endif
