/*
 * plot_priv: what the three parts of the plot module share, and nothing
 * else includes. plot_dims.c spreads a figure's groups over dimensions and
 * lays them out; plot_build.c turns that into a figure script (units,
 * labels, datablocks); plot.c decides which figures to draw and runs
 * gnuplot on their scripts.
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
/* The PDF is the same figure at 144 px per inch: 480 px is 3.33 in, one
 * column of a two-column paper, and the font scales with it. */
#define PLOT_PDF_PX_PER_IN 144.0

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
	int width;
};

/* printf into the script; the first failure sticks in sc->status. */
void plot_sc_printf(struct script *sc, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* 'text' with ' doubled (control characters rejected: STATUS_BADINPUT). */
void plot_sc_quoted(struct script *sc, const char *val);

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

/* Write the body of figure f (variables, datablocks, load) into sc;
 * cmp_of maps the ratio kind's groups to r->cmps. */
void plot_build(struct script *sc, const struct fig *f, const size_t *cmp_of);

#endif
