/*
 * The command line of analyze. One table holds every option with its help
 * text, so --help, the parser and the "did you mean" suggestions cannot
 * drift apart (lib/opt.h parses it).
 */
#include "options.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "opt.h"
#include "xalloc.h"

enum opt_id {
	OPT_FORMAT, OPT_COMPARISONS, OPT_OUTPUT, OPT_LEVEL, OPT_BASELINE,
	OPT_FACTOR, OPT_BY, OPT_TEST, OPT_DROP_OUTLIERS, OPT_LENIENT,
	OPT_EXPLAIN, OPT_TARGET_CI, OPT_PLOT, OPT_KIND, OPT_TERM, OPT_TITLE,
	OPT_SIZE, OPT_ERRORBARS, OPT_TEMPLATES, OPT_PLOT_TIMEOUT, OPT_PROGRESS,
	OPT_QUIET, OPT_INPUT, OPT_LABEL, OPT_COLUMN, OPT_HELP, OPT_VERSION
};

/* In --help order. Help lines stay within 80 columns (tested by e2e). */
static const struct opt_spec opt_table[] = {
	{ OPT_FORMAT, 0, "format", "FMT",
	  "text, csv, json, md or tex (default: text)" },
	{ OPT_COMPARISONS, 0, "comparisons", NULL,
	  "with --format csv: write the comparisons\n"
	  "table instead of the groups table" },
	{ OPT_OUTPUT, 'o', "output", "PATH",
	  "write the table to PATH, replaced only when\n"
	  "complete (default: standard output); with\n"
	  "--plot the figure directory (default: plots)" },
	{ OPT_LEVEL, 0, "level", "L",
	  "confidence level of CIs and tests (default: 0.95)" },
	{ OPT_BASELINE, 0, "baseline", "VALUE",
	  "factor value compared against (default: the\n"
	  "first one seen)" },
	{ OPT_FACTOR, 0, "factor", "COLUMN",
	  "column whose values are compared: platform,\n"
	  "config, host, file, ... (default: platform)" },
	{ OPT_BY, 0, "by", "COLUMNS",
	  "comma list of grouping columns (default:\n"
	  "platform,benchmark,metric,config)" },
	{ OPT_TEST, 0, "test", "TEST",
	  "welch (Welch's t-test) or mwu (Mann-Whitney U)\n"
	  "(default: welch)" },
	{ OPT_DROP_OUTLIERS, 0, "drop-outliers", NULL,
	  "drop values with |x - median| > 3.5 * 1.4826 *\n"
	  "MAD before summarizing (default: only flag)" },
	{ OPT_LENIENT, 0, "lenient", NULL,
	  "skip bad rows with a warning instead of failing" },
	{ OPT_EXPLAIN, 0, "explain", NULL,
	  "add findings in plain words: noise, high CV,\n"
	  "too few runs, warm-up trends, two clusters,\n"
	  "outliers, KVM like TCG" },
	{ OPT_TARGET_CI, 0, "target-ci", "PCT",
	  "CI half-width --explain asks for, in % of the\n"
	  "mean (default: 5%)" },
	{ OPT_PLOT, 0, "plot", NULL,
	  "draw figures with gnuplot instead of a table" },
	{ OPT_KIND, 0, "kind", "KIND",
	  "figure kind, a template name: bars, ratio, ...\n"
	  "(default: chosen from the data)" },
	{ OPT_TERM, 0, "term", "TERM",
	  "svg, png or pdf (default: svg)" },
	{ OPT_TITLE, 0, "title", "T",
	  "figure title (default: from the data)" },
	{ OPT_SIZE, 0, "size", "WxH",
	  "figure size in pixels (default: the template's)" },
	{ OPT_ERRORBARS, 0, "errorbars", "BARS",
	  "ci, range or none (default: ci)" },
	{ OPT_TEMPLATES, 0, "templates", "DIR",
	  "gnuplot templates directory (default: next to\n"
	  "the binary)" },
	{ OPT_PLOT_TIMEOUT, 0, "plot-timeout", "SECONDS",
	  "kill gnuplot when one figure takes longer\n"
	  "(default: 120; 0: no limit)" },
	{ OPT_PROGRESS, 0, "progress", NULL,
	  "report each file read on standard error\n"
	  "(default: files >= 64 MiB, on a terminal)" },
	{ OPT_QUIET, 'q', "quiet", NULL,
	  "print no warnings or notes" },
	{ OPT_INPUT, 0, "input", "FORMAT",
	  "read the files after it as FORMAT: auto, csv,\n"
	  "hyperfine, hyperfine-csv, gbench, gotest,\n"
	  "pytest, fio, catch2, numbers (default: auto,\n"
	  "found from each file's content)" },
	{ OPT_LABEL, 0, "label", "NAME",
	  "name the next FILE NAME: its value of the\n"
	  "'file' column (--factor file), as benchstat's\n"
	  "NAME=FILE" },
	{ OPT_COLUMN, 0, "column", "N",
	  "plain numbers: read the N-th blank-separated\n"
	  "field of each line, as ministat -C (default: 1)" },
	{ OPT_HELP, 'h', "help", NULL, "show this help and exit" },
	{ OPT_VERSION, 0, "version", NULL, "show the version and exit" },
};

static const struct opt_table opts = OPT_TABLE(opt_table);

/* Column where help text starts; options longer than this wrap. */
#define HELP_COL 26

static const char synopsis[] = "analyze [options] FILE...";

void options_help(FILE *f)
{
	fprintf(f, "usage: %s\n\n", synopsis);
	fputs("Reads tidy benchmark results (CSV with platform, benchmark, "
	      "metric, value\n"
	      "columns; '-' is standard input), summarizes each group of "
	      "repeated runs\n"
	      "(n, mean, Student-t CI, sd, CV, median, outliers) and compares "
	      "each value\n"
	      "of the factor with the baseline: ratio of means with a Fieller "
	      "CI, Welch's\n"
	      "t-test or Mann-Whitney U, Holm-adjusted p-values. It also "
	      "reads what\n"
	      "hyperfine, Google Benchmark, go test -bench, pytest-benchmark, "
	      "fio and\n"
	      "Catch2 write, and plain numbers (ministat's input), found from "
	      "the content.\n\n", f);
	fputs("EXAMPLE\n"
	      "  analyze --baseline native --explain --target-ci 2% "
	      "runs.csv\n\n", f);
	fputs("OPTIONS\n", f);
	opt_help(f, &opts, HELP_COL, OPT_HELP_WRAP);
	fputs("\nEXIT STATUS\n"
	      "  0  success\n"
	      "  1  runtime failure: I/O error, out of memory, gnuplot "
	      "missing or failing\n"
	      "  2  bad usage or bad input: options, CSV rows, sidecar "
	      "files, other\n"
	      "     tools' files\n", f);
}

/* A finite double filling all of s; pct accepts a trailing '%' (set to 1
 * when present). Returns -1 otherwise. */
static int parse_double(const char *s, double *out, int *pct)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (end == s || errno == ERANGE || !isfinite(v))
		return -1;
	if (pct)
		*pct = 0;
	if (*end == '%' && pct) {
		*pct = 1;
		end++;
	}
	if (*end)
		return -1;
	*out = v;
	return 0;
}

static int parse_level(const char *v, struct config *cfg, struct diag *err)
{
	double x;
	int pct;

	if (parse_double(v, &x, &pct) == 0) {
		if (pct)
			x /= 100;
		if (x > 0 && x < 1) {
			cfg->level = x;
			return 0;
		}
	}
	diag_set(err, NULL, 0,
		 "--level '%s' is not a level between 0 and 1 (e.g. 0.95 or 95%%)", v);
	return STATUS_BADINPUT;
}

static int parse_target(const char *v, struct config *cfg, struct diag *err)
{
	double x;
	int pct;

	if (parse_double(v, &x, &pct) == 0 && x > 0 && x < 100) {
		cfg->target_ci = x / 100;
		return 0;
	}
	diag_set(err, NULL, 0,
		 "--target-ci '%s' is not a percentage above 0 (e.g. 2%%)", v);
	return STATUS_BADINPUT;
}

static int parse_size(const char *v, struct config *cfg, struct diag *err)
{
	char *end;
	long w, h;

	errno = 0;
	w = strtol(v, &end, 10);
	if (end != v && *end == 'x' && w > 0 && w <= 100000 && !errno) {
		const char *hs = end + 1;

		h = strtol(hs, &end, 10);
		if (end != hs && !*end && h > 0 && h <= 100000 && !errno) {
			cfg->width = (int)w;
			cfg->height = (int)h;
			return 0;
		}
	}
	diag_set(err, NULL, 0,
		 "--size '%s' is not WIDTHxHEIGHT in pixels (e.g. 800x500)",
		 v);
	return STATUS_BADINPUT;
}

static int parse_plot_timeout(const char *v, struct config *cfg,
			      struct diag *err)
{
	double x;

	/* Up to a year: poll(2) counts milliseconds in an int. */
	if (parse_double(v, &x, NULL) == 0 && x >= 0 && x <= 366 * 86400.0) {
		cfg->plot_timeout_s = x;
		return 0;
	}
	diag_set(err, NULL, 0, "--plot-timeout '%s' is not a number of "
		 "seconds (e.g. 600, or 0 for no limit)", v);
	return STATUS_BADINPUT;
}

/* Split "a,b,c" into cfg->by; empty items are an error. */
static int parse_by(const char *v, struct config *cfg, struct diag *err)
{
	const char *p = v;

	while (cfg->n_by)
		free((char *)cfg->by[--cfg->n_by]);
	for (;;) {
		size_t n = strcspn(p, ",");

		if (n == 0) {
			diag_set(err, NULL, 0,
				 "--by '%s' has an empty column name "
				 "(e.g. --by platform,benchmark)", v);
			return STATUS_BADINPUT;
		}
		cfg->by = xreallocarray(cfg->by, cfg->n_by + 1,
					sizeof(*cfg->by));
		cfg->by[cfg->n_by++] = xstrndup(p, n);
		if (!p[n])
			return 0;
		p += n + 1;
	}
}

static int parse_input(const char *v, struct config *cfg, struct diag *err)
{
	int f = input_format_parse(v);

	if (f < 0) {
		diag_set(err, NULL, 0, "--input '%s' is not one of %s", v,
			 input_format_words());
		return STATUS_BADINPUT;
	}
	cfg->input = (enum input_format)f;
	return 0;
}

static int parse_column(const char *v, struct config *cfg, struct diag *err)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(v, &end, 10);
	if (end == v || *end || errno || n < 1 || n > 100000) {
		diag_set(err, NULL, 0, "--column '%s' is not a field number "
			 "from 1 (e.g. --column 2)", v);
		return STATUS_BADINPUT;
	}
	cfg->column = (unsigned)n;
	return 0;
}

/* A FILE argument, with the --label and --input before it. */
static void add_file(struct config *cfg, const char *path)
{
	struct load_file_options *fo = &cfg->file_opts[cfg->n_files];

	fo->label = cfg->pending_label;
	fo->format = cfg->input;
	cfg->pending_label = NULL;
	cfg->files[cfg->n_files++] = path;
}

/* Index of v in the NULL-terminated words, or -1 with err set. */
static int parse_word(const char *opt, const char *v,
		      const char *const *words, struct diag *err)
{
	char list[128] = "";
	size_t len = 0;
	int i;

	for (i = 0; words[i]; i++) {
		if (strcmp(v, words[i]) == 0)
			return i;
		len += (size_t)snprintf(list + len, sizeof(list) - len,
					"%s%s", i ? ", " : "", words[i]);
		if (len >= sizeof(list))
			len = sizeof(list) - 1;
	}
	diag_set(err, NULL, 0, "--%s '%s' is not one of %s", opt, v, list);
	return -1;
}

static const char *const format_words[] = {
	"text", "csv", "json", "md", "tex", NULL
};
static const char *const test_words[] = { "welch", "mwu", NULL };
static const char *const term_words[] = { "svg", "png", "pdf", NULL };
static const char *const bars_words[] = { "ci", "range", "none", NULL };

/* Apply option o with value v (NULL for flags). */
static int apply(const struct opt_spec *o, const char *v, struct config *cfg,
		 struct diag *err)
{
	int i;

	switch ((enum opt_id)o->id) {
	case OPT_FORMAT:
		/* format_words is in the order of enum fmt_kind */
		if ((i = parse_word(o->long_name, v, format_words, err)) < 0)
			return STATUS_BADINPUT;
		cfg->format = (enum fmt_kind)i;
		return 0;
	case OPT_TEST:
		if ((i = parse_word(o->long_name, v, test_words, err)) < 0)
			return STATUS_BADINPUT;
		cfg->test = i == 0 ? CMP_TEST_WELCH : CMP_TEST_MWU;
		return 0;
	case OPT_TERM:
		if (parse_word(o->long_name, v, term_words, err) < 0)
			return STATUS_BADINPUT;
		cfg->term = v;
		return 0;
	case OPT_ERRORBARS:
		if ((i = parse_word(o->long_name, v, bars_words, err)) < 0)
			return STATUS_BADINPUT;
		cfg->errorbars = i == 0 ? PLOT_ERRORBARS_CI :
				 i == 1 ? PLOT_ERRORBARS_RANGE :
				 PLOT_ERRORBARS_NONE;
		return 0;
	case OPT_LEVEL: return parse_level(v, cfg, err);
	case OPT_TARGET_CI: return parse_target(v, cfg, err);
	case OPT_SIZE: return parse_size(v, cfg, err);
	case OPT_PLOT_TIMEOUT: return parse_plot_timeout(v, cfg, err);
	case OPT_BY: return parse_by(v, cfg, err);
	case OPT_OUTPUT: cfg->output = v; return 0;
	case OPT_BASELINE: cfg->baseline = v; return 0;
	case OPT_FACTOR: cfg->factor = v; return 0;
	case OPT_KIND: cfg->kind = v; return 0;
	case OPT_TITLE: cfg->title = v; return 0;
	case OPT_TEMPLATES: cfg->templates_dir = v; return 0;
	case OPT_COMPARISONS: cfg->is_comparisons = 1; return 0;
	case OPT_DROP_OUTLIERS: cfg->is_drop_outliers = 1; return 0;
	case OPT_LENIENT: cfg->is_lenient = 1; return 0;
	case OPT_EXPLAIN: cfg->is_explain = 1; return 0;
	case OPT_PLOT: cfg->is_plot = 1; return 0;
	case OPT_PROGRESS: cfg->is_progress = 1; return 0;
	case OPT_QUIET: cfg->is_quiet = 1; return 0;
	case OPT_INPUT: return parse_input(v, cfg, err);
	case OPT_LABEL:
		if (!*v) {
			diag_set(err, NULL, 0, "--label needs a non-empty NAME");
			return STATUS_BADINPUT;
		}
		cfg->pending_label = v;
		return 0;
	case OPT_COLUMN: return parse_column(v, cfg, err);
	case OPT_HELP: return OPTIONS_HELP;
	case OPT_VERSION: return OPTIONS_VERSION;
	}
	return 0;
}

/* Options that mean nothing in the mode chosen are usage errors: a silent
 * no-op would let a user believe a figure was sized or a CSV changed. */
static int check_combinations(const struct config *cfg, struct diag *err)
{
	static const char *const plot_only[] = {
		"kind", "term", "title", "size", "errorbars", "templates",
		"plot-timeout"
	};
	const int given[] = {
		cfg->kind != NULL, cfg->term != NULL, cfg->title != NULL,
		cfg->width != 0, cfg->errorbars != PLOT_ERRORBARS_CI,
		cfg->templates_dir != NULL, cfg->plot_timeout_s >= 0
	};
	size_t k;

	if (!cfg->is_plot)
		for (k = 0; k < sizeof(given) / sizeof(given[0]); k++)
			if (given[k]) {
				diag_set(err, NULL, 0, "option '--%s' needs "
					 "'--plot'", plot_only[k]);
				return STATUS_BADINPUT;
			}
	if (cfg->is_comparisons && (cfg->format != FMT_CSV || cfg->is_plot)) {
		diag_set(err, NULL, 0,
			 "option '--comparisons' needs '--format csv'");
		return STATUS_BADINPUT;
	}
	if (cfg->is_plot && cfg->format != FMT_TEXT) {
		diag_set(err, NULL, 0, "options '--plot' and '--format' "
			 "exclude each other (a figure has no table format)");
		return STATUS_BADINPUT;
	}
	if (cfg->n_files == 0) {
		diag_set(err, NULL, 0, "no input file (use '-' for standard "
			 "input)");
		return STATUS_BADINPUT;
	}
	return 0;
}

static void config_init(struct config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->format = FMT_TEXT;
	cfg->level = 0.95;
	cfg->test = CMP_TEST_WELCH;
	cfg->target_ci = 0.05;
	cfg->errorbars = PLOT_ERRORBARS_CI;
	cfg->plot_timeout_s = -1;
}

int options_parse(int argc, char **argv, struct config *cfg,
		  struct diag *err)
{
	struct opt_parser p;
	size_t i;
	int ev, rc;

	config_init(cfg);
	cfg->files = xcalloc((size_t)(argc > 0 ? argc : 1),
			     sizeof(*cfg->files));
	cfg->file_opts = xcalloc((size_t)(argc > 0 ? argc : 1),
				 sizeof(*cfg->file_opts));
	opt_init(&p, argc, argv, &opts, 1);
	while ((ev = opt_next(&p, err)) > 0) {
		if (ev == OPT_OPERAND) {
			add_file(cfg, p.value);
			continue;
		}
		/* --help and --version win over anything after them,
		 * a usage error over anything before. */
		rc = apply(p.opt, p.value, cfg, err);
		if (rc != 0)
			return rc;
	}
	if (ev < 0)
		return ev;
	rc = check_combinations(cfg, err);
	if (!rc && cfg->pending_label) {
		diag_set(err, NULL, 0, "--label '%s' is not followed by a FILE "
			 "(--label NAME FILE)", cfg->pending_label);
		rc = STATUS_BADINPUT;
	}
	for (i = 0; !rc && i < cfg->n_files; i++)
		cfg->file_opts[i].column = cfg->column;
	return rc ? rc : OPTIONS_RUN;
}

void options_release(struct config *cfg)
{
	while (cfg->n_by)
		free((char *)cfg->by[--cfg->n_by]);
	free(cfg->by);
	free(cfg->files);
	free(cfg->file_opts);
	cfg->file_opts = NULL;
	cfg->by = NULL;
	cfg->files = NULL;
	cfg->n_files = 0;
}
