/*
 * plot_priv: what the parts of the plot module share, and nothing else
 * includes. plot_dims.c spreads a figure's groups over dimensions, lays
 * them out as clusters and series and keeps the chart a kind fills;
 * plot_sc.c writes script text; plot_text.c measures and wraps text;
 * plot_axis.c chooses the value axis and its ticks; plot_frame.c places
 * the plot area and every text; plot_build.c turns a figure into its script (units, bars,
 * datablocks); plot.c decides which figures to draw and runs gnuplot.
 */
#ifndef ANALYZE_PLOT_PRIV_H
#define ANALYZE_PLOT_PRIV_H

#include <stddef.h>

#include "plot.h"

#define PLOT_MAX_DIMS 16
#define PLOT_FONT "DejaVu Sans"
#define PLOT_FONT_PX 12
#define PLOT_WIDTH 480
#define PLOT_HEIGHT 336
/* Ratio bars grow both ways from 1 with labels at both ends. */
#define PLOT_HEIGHT_RATIO 440
/* The largest canvas the layout grows to by itself (--size is obeyed). */
#define PLOT_MAX_WIDTH 1600
/* The PDF is the same figure at 144 px per inch: 480 px is 3.33 in, one
 * column of a two-column paper, and the font scales with it. */
#define PLOT_PDF_PX_PER_IN 144.0
/* Height of a line of text, in ems: DejaVu Sans' ascent (0.928) plus
 * descent (0.236), rounded up; gnuplot centres a label's line on its
 * anchor (the baseline 0.326 em below it, observed in its SVG). */
#define PLOT_LINE_EM 1.2

/* A growable list of owned strings. */
struct strvec {
	char **v;
	size_t n, cap;
};

/* Groups of one figure, spread over named dimensions (metric, each key of
 * a "k=v;k=v" config, other grouping columns, then the factor). */
struct dims {
	size_t n_dims;
	char *name[PLOT_MAX_DIMS];
	struct strvec distinct[PLOT_MAX_DIMS];	/* values, first seen first */
	size_t *groups;		/* dataset indices of the figure's groups */
	size_t n_groups;
	size_t *val;		/* val[i * PLOT_MAX_DIMS + k]: index in
				 * distinct[k]; the factor is the last k */
};

/* Where each group goes: cluster (x position) and series (colour). */
struct layout {
	struct strvec clusters, series;
	size_t *cl, *se;	/* per group of the dims */
};

/* A figure script being written to memory; errors are sticky. */
struct script {
	FILE *f;
	char *buf;
	size_t len;
	int status;		/* 0, or the first STATUS_* met */
	struct diag *err;
};

enum kind {
	KIND_BARS, KIND_BOOT, KIND_IMAGESIZE, KIND_STREAM, KIND_PERPLATFORM,
	KIND_RATIO, KIND_DIST, N_KINDS
};

extern const char *const plot_kind_names[N_KINDS];

struct fig {
	const struct report *r;
	const struct plot_options *opt;
	const char *tdir;	/* templates directory */
	enum kind kind;
	struct dims d;
	int width, height;	/* the canvas, set by plot_build */
	size_t source;		/* the file drawn, or (size_t)-1: all */
	int several;		/* several files, drawn apart */
	size_t n_drawn;		/* figures written so far */
};

/* printf into the script; the first failure sticks in sc->status. */
void plot_sc_printf(struct script *sc, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Any text (a path) as a gnuplot string literal: plot_sc_text. */
void plot_sc_quoted(struct script *sc, const char *val);

/* s as a gnuplot string literal that can only be text (plot_sc.c). */
void plot_sc_text(struct script *sc, const char *s);

/* Index of s in sv, or (size_t)-1. */
size_t plot_strvec_find(const struct strvec *sv, const char *s);

/* Index of the first len bytes of s in sv, appended (as a copy sv owns)
 * when absent. */
size_t plot_strvec_intern(struct strvec *sv, const char *s, size_t len);

/* Frees the strings and the array; sv is left empty. */
void plot_strvec_release(struct strvec *sv);

/* Value of column col for group g ("" when it is not a grouping column). */
const char *plot_key_of(const struct dataset *ds, const struct group *g,
			const char *col);

/* Whether s is one of the NULL-terminated list. */
int plot_is_one_of(const char *s, const char *const *list);

/*
 * Spread groups[0..n-1] (dataset indices) over dimensions: the metric
 * (after the benchmark when with_benchmark), each key of a "k=v;k=v"
 * config, other grouping columns, the factor last. Takes ownership of
 * groups; release with plot_dims_release(). Returns 0 or STATUS_BADINPUT.
 */
int plot_dims_build(struct dims *d, const struct dataset *ds, size_t *groups,
		    size_t n, int with_benchmark, struct diag *err);
void plot_dims_release(struct dims *d);

/* Distinct values used in dimension k. */
size_t plot_dims_count(const struct dims *d, size_t k);

/* Value of the figure's group i in dimension k (owned by d). */
const char *plot_dims_value(const struct dims *d, size_t i, size_t k);

/*
 * Clusters and series of the groups of d: the series are the last varying
 * dimension when two or more vary, the clusters the others. stack (or
 * (size_t)-1) is a dimension kept out of both; with no_series everything
 * is a cluster. Release with plot_layout_release().
 */
void plot_layout_build(struct layout *lo, const struct dims *d,
		       size_t stack, int no_series);
void plot_layout_release(struct layout *lo);

/* Write the body of figure f (variables, datablocks, load) into sc and
 * set f->width and f->height; cmp_of maps the ratio kind's groups to
 * r->cmps. */
void plot_build(struct script *sc, struct fig *f, const size_t *cmp_of);

/* Append a copy of the first len bytes of s to sv, duplicates kept. */
void plot_strvec_push(struct strvec *sv, const char *s, size_t len);

/* ---- text (plot_text.c) ---------------------------------------------- */

/* Width in pixels of the first len bytes of s (one line, UTF-8) in the
 * body font at font_px; plot_text_width of all of s. */
double plot_text_px(const char *s, size_t len, double font_px);
double plot_text_width(const char *s, double font_px);

/* A copy of data text fit to draw (caller frees): line breaks and tabs
 * become spaces, other control characters '?'. */
char *plot_text_clean(const char *s);

/* s broken into at most max_lines lines of at most max_px (copies in
 * lines, caller releases); -1 (lines empty) when it does not fit. */
int plot_text_wrap(const char *s, double max_px, double font_px,
		   size_t max_lines, struct strvec *lines);

/* s cut to fit max_px with an ellipsis, as a copy (caller frees). */
char *plot_text_ellipsis(const char *s, double max_px, double font_px);


/* ---- the value axis (plot_axis.c) ---------------------------------- */

enum axis_scale { AXIS_LINEAR, AXIS_LOG10, AXIS_LOG2, AXIS_SYMLOG };

#define PLOT_MAX_TICKS 96

struct axis {
	enum axis_scale scale;
	double lo, hi;		/* the range shown */
	double thresh;		/* symlog: linear up to this magnitude */
	size_t n_ticks;
	double tick[PLOT_MAX_TICKS];
	char label[PLOT_MAX_TICKS][32];	/* "" for a minor tick */
};

/* Values a figure must show. */
struct extent {
	double min, max, max_abs, min_abs_nonzero;
	double min_bar;		/* stacked: the shortest bar's total */
	size_t n;
};

void plot_extent_add(struct extent *e, double v);
void plot_axis_choose(struct axis *a, const struct extent *e, int stacked);
double plot_axis_t(const struct axis *a, double v);
double plot_axis_inv(const struct axis *a, double t);
void plot_axis_ticks(struct axis *a, double len_px, double min_gap_px);

/* ---- the frame: canvas, plot area and every text (plot_frame.c) ---- */

/* One bar (or box) of a category chart, as the frame must know it to
 * make room for its value label. */
struct chart_bar {
	size_t cluster, slot;
	double from, to;	/* the bar's extent, to its error bar or
				 * farthest run (to < from: it grows down) */
	size_t label;		/* index in the chart's labels, or -1 */
};

/* What a kind asks of the frame. Strings are owned by the chart. */
struct chart {
	struct strvec clusters;	/* x categories, left to right */
	struct strvec keys;	/* key entries; none: no key */
	size_t n_slots;		/* bars side by side in a cluster */
	struct chart_bar *bars;
	size_t n_bars, cap_bars;
	size_t *missing;	/* cluster * n_slots + slot without data */
	size_t n_missing;
	struct extent ext;	/* every value drawn */
	int stacked;		/* parts of a bar from zero (boot) */
	int kind_axis;		/* -1: chosen from ext; else an axis_scale */
	int from_zero;		/* bars: the axis includes the base */
	double base;		/* what bars grow from (ratio: 1) */
	struct strvec labels;	/* value labels of the bars */
	struct strvec notes;	/* lines under the figure */
	char *title, *ylabel;
};

/* Add a bar; label (copied) may be NULL. */
void plot_chart_bar(struct chart *ch, size_t cluster, size_t slot,
		    double from, double to, const char *label);
void plot_chart_release(struct chart *ch);

struct ftext {		/* a text drawn at a point of the canvas */
	double x, y;	/* pixels from the top left */
	double angle;	/* degrees, counter-clockwise */
	int align;	/* 0 left, 1 centre, 2 right of the anchor */
	double font_px;
	size_t str;	/* index in the frame's strings */
};

struct fkey {		/* a key sample box: pixels, colour index */
	double x, y, w, h;
	size_t colour;
};

struct frame {
	int w, h;		/* canvas */
	double l, r, t, b;	/* plot area, pixels from the top left */
	struct axis y;
	double bw;		/* bar width, x units (a cluster is 1) */
	struct strvec strs;	/* fig_s1, fig_s2, ... */
	struct ftext *texts;
	size_t n_texts, cap_texts;
	struct fkey *keys;
	size_t n_keys, cap_keys;
};

/* Lay out chart ch on a canvas of the options' size (0: grown from the
 * default to fit); release with plot_frame_release. */
void plot_frame_layout(struct frame *fr, const struct chart *ch,
		       const struct plot_options *o, int default_h);
void plot_frame_release(struct frame *fr);

/* The frame as template variables and datablocks (templates/frame.gp). */
void plot_frame_write(struct script *sc, const struct frame *fr);

#endif
