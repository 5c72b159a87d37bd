/*
 * plot: figures through gnuplot. Each figure is first written as a script
 * into memory (so bad text is found before gnuplot starts), then piped to
 * "gnuplot -d" whose standard error goes to a temporary file. The script
 * holds only what STYLE.md section 7 allows: the terminal, the output, one
 * assignment per template variable, the datablocks and the load of
 * templates/<kind>.gp. Every layout decision that needs the data (which
 * dimension forms clusters, series, stacks; the unit shown) is made here,
 * every drawing decision in the template.
 */
#include "plot.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

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

static const char *const kind_names[N_KINDS] = {
	"bars", "boot", "imagesize", "stream", "perplatform", "ratio", "dist"
};

/* ---- small helpers ------------------------------------------------------ */

static size_t strvec_find(const struct strvec *sv, const char *s)
{
	size_t i;

	for (i = 0; i < sv->n; i++)
		if (strcmp(sv->v[i], s) == 0)
			return i;
	return (size_t)-1;
}

/* Index of s in sv, appended (copied) when absent. */
static size_t strvec_intern(struct strvec *sv, const char *s, size_t len)
{
	char *copy = xstrndup(s, len);
	size_t i = strvec_find(sv, copy);

	if (i != (size_t)-1) {
		free(copy);
		return i;
	}
	if (sv->n == sv->cap) {
		sv->cap = sv->cap ? 2 * sv->cap : 8;
		sv->v = xreallocarray(sv->v, sv->cap, sizeof(*sv->v));
	}
	sv->v[sv->n] = copy;
	return sv->n++;
}

static void strvec_release(struct strvec *sv)
{
	size_t i;

	for (i = 0; i < sv->n; i++)
		free(sv->v[i]);
	free(sv->v);
	memset(sv, 0, sizeof(*sv));
}

static const char *key_of(const struct dataset *ds, const struct group *g,
			  const char *col)
{
	int k = load_key_index(ds, col);

	return k < 0 ? "" : g->key[k];
}

/* ---- the script: quoting and datablocks --------------------------------- */

static void sc_printf(struct script *sc, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void sc_printf(struct script *sc, const char *fmt, ...)
{
	va_list ap;

	if (sc->status)
		return;
	va_start(ap, fmt);
	if (vfprintf(sc->f, fmt, ap) < 0) {
		sc->status = STATUS_RUNTIME;
		diag_set(sc->err, NULL, 0, "cannot build a figure: %s",
			 strerror(errno));
	}
	va_end(ap);
}

/* Text gnuplot cannot carry safely: control characters anywhere, and the
 * double quote inside a datablock string (data files have no escape). */
static int sc_check_text(struct script *sc, const char *s, int in_data)
{
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p; p++) {
		if (*p < 0x20 || *p == 0x7f || (in_data && *p == '"')) {
			sc->status = STATUS_BADINPUT;
			diag_set(sc->err, NULL, 0,
				 "cannot plot the text '%s': it holds %s "
				 "(rename it in the CSV)", s, *p == '"' ?
				 "a double quote" : "a control character");
			return -1;
		}
	}
	return 0;
}

/* 'text' with ' doubled: single quotes run no backquoted command and
 * have no other escapes (STYLE.md section 6). */
static void sc_quoted(struct script *sc, const char *val)
{
	const char *p;

	if (sc->status || sc_check_text(sc, val, 0))
		return;
	sc_printf(sc, "'");
	for (p = val; *p; p++)
		sc_printf(sc, *p == '\'' ? "''" : "%c", *p);
	sc_printf(sc, "'");
}

static void sc_string(struct script *sc, const char *name, const char *val)
{
	sc_printf(sc, "%s = ", name);
	sc_quoted(sc, val);
	sc_printf(sc, "\n");
}

static void sc_number(struct script *sc, const char *name, double v)
{
	sc_printf(sc, "%s = %.17g\n", name, v);
}

/* One datablock of names, one double-quoted name per line. */
static void sc_names(struct script *sc, const char *block,
		     const struct strvec *sv)
{
	size_t i;

	sc_printf(sc, "%s << EOD\n", block);
	for (i = 0; i < sv->n; i++)
		if (!sc_check_text(sc, sv->v[i], 1))
			sc_printf(sc, "\"%s\"\n", sv->v[i]);
	sc_printf(sc, "EOD\n");
}

/* ---- dimensions and layout ---------------------------------------------- */

static size_t dims_find_or_add(struct dims *d, const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < d->n_dims; i++)
		if (strlen(d->name[i]) == len &&
		    strncmp(d->name[i], name, len) == 0)
			return i;
	if (d->n_dims == PLOT_MAX_DIMS)
		return (size_t)-1;
	d->name[d->n_dims] = xstrndup(name, len);
	return d->n_dims++;
}

/*
 * Record the value of group i in the dimension called name (len bytes);
 * with vals == NULL only the dimension is declared. Returns -1 when there
 * are more dimensions than a figure can show.
 */
static int dims_put(struct dims *d, size_t i, const char *name, size_t len,
		    const char *v, size_t vlen, int declare_only)
{
	size_t k = dims_find_or_add(d, name, len);

	if (k == (size_t)-1)
		return -1;
	if (!declare_only)
		d->val[i * PLOT_MAX_DIMS + k] =
			strvec_intern(&d->distinct[k], v, vlen);
	return 0;
}

/* A "k=v;k=v" config becomes one dimension per key; any other config is
 * the dimension "config". */
static int dims_config(struct dims *d, size_t i, const char *config,
		       int declare_only)
{
	const char *p = config;

	if (!*p || !strchr(p, '='))
		return dims_put(d, i, "config", 6, p, strlen(p), declare_only);
	while (*p) {
		size_t n = strcspn(p, ";");
		const char *eq = memchr(p, '=', n);

		if (!eq && dims_put(d, i, "config", 6, p, n, declare_only))
			return -1;
		if (eq && dims_put(d, i, p, (size_t)(eq - p), eq + 1,
				   n - (size_t)(eq - p) - 1, declare_only))
			return -1;
		p += n + (p[n] == ';');
	}
	return 0;
}

/* Every dimension value of group i (or only the dimension names). */
static int dims_group(struct dims *d, const struct dataset *ds, size_t i,
		      int with_benchmark, int declare_only)
{
	const struct group *g = &ds->groups[d->groups[i]];
	const char *factor = ds->key_cols[ds->factor_index];
	const char *m = key_of(ds, g, "metric"), *b = key_of(ds, g, "benchmark");
	size_t k;

	if (with_benchmark && dims_put(d, i, "benchmark", 9, b, strlen(b),
				       declare_only))
		return -1;
	if (dims_put(d, i, "metric", 6, m, strlen(m), declare_only))
		return -1;
	if (dims_config(d, i, key_of(ds, g, "config"), declare_only))
		return -1;
	for (k = 0; k < ds->n_key_cols; k++) {
		const char *c = ds->key_cols[k];

		if (k == ds->factor_index || !strcmp(c, "benchmark") ||
		    !strcmp(c, "metric") || !strcmp(c, "config") ||
		    !strcmp(c, "label"))
			continue;
		if (dims_put(d, i, c, strlen(c), g->key[k], strlen(g->key[k]),
			     declare_only))
			return -1;
	}
	if (declare_only)	/* the factor is declared last, by the caller */
		return 0;
	return dims_put(d, i, factor, strlen(factor), load_factor(ds, g),
			strlen(load_factor(ds, g)), 0);
}

static void dims_release(struct dims *d)
{
	size_t k;

	for (k = 0; k < d->n_dims; k++) {
		free(d->name[k]);
		strvec_release(&d->distinct[k]);
	}
	free(d->groups);
	free(d->val);
	memset(d, 0, sizeof(*d));
}

/* Spread groups[0..n-1] over dimensions. Takes ownership of groups. A
 * group without a value in a dimension (a config key it lacks) gets "". */
static int dims_build(struct dims *d, const struct dataset *ds,
		      size_t *groups, size_t n, int with_benchmark,
		      struct diag *err)
{
	const char *factor = ds->key_cols[ds->factor_index];
	size_t i, k;

	memset(d, 0, sizeof(*d));
	d->groups = groups;
	d->n_groups = n;
	d->val = xcalloc(n * PLOT_MAX_DIMS, sizeof(*d->val));
	for (i = 0; i < n; i++)
		if (dims_group(d, ds, i, with_benchmark, 1))
			goto too_many;
	if (dims_put(d, 0, factor, strlen(factor), "", 0, 1))
		goto too_many;
	for (k = 0; k < d->n_dims; k++)
		(void)strvec_intern(&d->distinct[k], "", 0);
	for (i = 0; i < n; i++)
		(void)dims_group(d, ds, i, with_benchmark, 0);
	return 0;
too_many:
	diag_set(err, NULL, 0, "too many grouping dimensions for one figure "
		 "(at most %d: fewer --by columns or config keys)",
		 PLOT_MAX_DIMS);
	return STATUS_BADINPUT;
}

/* Distinct values actually used in dimension k ("" was interned first so
 * that a missing key has an index; it only counts when some group has it). */
static size_t dims_count(const struct dims *d, size_t k)
{
	size_t i, used_empty = 0;

	for (i = 0; i < d->n_groups; i++)
		if (d->val[i * PLOT_MAX_DIMS + k] == 0)
			used_empty = 1;
	return d->distinct[k].n - 1 + used_empty;
}

static const char *dims_value(const struct dims *d, size_t i, size_t k)
{
	return d->distinct[k].v[d->val[i * PLOT_MAX_DIMS + k]];
}

/* Cluster name of group i: its values in the varying dimensions other than
 * skip1 and skip2, joined by a space, empty values left out. */
static void cluster_name(const struct dims *d, size_t i, size_t skip1,
			 size_t skip2, char *buf, size_t size)
{
	size_t k, len = 0;

	buf[0] = '\0';
	for (k = 0; k < d->n_dims && len < size; k++) {
		const char *v = dims_value(d, i, k);

		if (k == skip1 || k == skip2 || dims_count(d, k) < 2 || !*v)
			continue;
		len += (size_t)snprintf(buf + len, size - len, "%s%s",
					len ? " " : "", v);
	}
}

/*
 * Clusters and series: the series are the last varying dimension when two
 * or more vary (the factor, platform, when it varies), the clusters the
 * other varying dimensions; with one varying dimension it makes the
 * clusters. stack (or (size_t)-1) is a dimension kept out of both: the
 * components of a stacked bar. With no_series everything is a cluster.
 */
static void layout_build(struct layout *lo, const struct dims *d,
			 size_t stack, int no_series)
{
	size_t i, k, n_var = 0, series = (size_t)-1;
	char name[512];

	memset(lo, 0, sizeof(*lo));
	for (k = 0; k < d->n_dims; k++)
		if (k != stack && dims_count(d, k) >= 2) {
			n_var++;
			series = k;
		}
	if (n_var < 2 || no_series)
		series = (size_t)-1;
	lo->cl = xcalloc(d->n_groups, sizeof(*lo->cl));
	lo->se = xcalloc(d->n_groups, sizeof(*lo->se));
	for (i = 0; i < d->n_groups; i++) {
		cluster_name(d, i, stack, series, name, sizeof(name));
		if (!name[0])	/* nothing varies: name the bar by the factor */
			snprintf(name, sizeof(name), "%s",
				 dims_value(d, i, d->n_dims - 1));
		lo->cl[i] = strvec_intern(&lo->clusters, name, strlen(name));
		if (series == (size_t)-1)
			lo->se[i] = strvec_intern(&lo->series, "", 0);
		else
			lo->se[i] = strvec_intern(&lo->series,
				dims_value(d, i, series),
				strlen(dims_value(d, i, series)));
	}
}

static void layout_release(struct layout *lo)
{
	strvec_release(&lo->clusters);
	strvec_release(&lo->series);
	free(lo->cl);
	free(lo->se);
}

static int is_one_of(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (!strcmp(s, *list))
			return 1;
	return 0;
}

/* ---- units, labels, titles ---------------------------------------------- */

/* Units that scale by a fixed step, and the quantity they measure. The
 * axis shows the largest unit in which the biggest value is still >= 1. */
struct unit_family {
	const char *unit[4];
	double step;
	const char *quantity;
};

static const struct unit_family families[] = {
	{ { "ns", "us", "ms", "s" }, 1000, "time" },
	{ { "B", "KiB", "MiB", "GiB" }, 1024, "size" },
	{ { "kB", "MB", "GB", NULL }, 1000, "size" },
	{ { "KFLOPS", "MFLOPS", "GFLOPS", NULL }, 1000, "speed" },
	{ { "MB/s", "GB/s", NULL, NULL }, 1000, "bandwidth" },
	{ { "req/s", "kreq/s", "Mreq/s", NULL }, 1000, "throughput" },
	{ { "Mbps", "Gbps", NULL, NULL }, 1000, "rate" },
	{ { "cycles", NULL, NULL, NULL }, 1, "cycles" },
};

struct shown {
	double divisor;		/* value shown = value / divisor */
	const char *unit;	/* as printed ("µs" for "us") */
	const char *quantity;	/* "time", ...; NULL when unknown */
};

static struct shown unit_shown(const char *unit, double max_abs)
{
	struct shown sh = { 1, unit, NULL };
	size_t f, i;

	for (f = 0; f < sizeof(families) / sizeof(families[0]); f++) {
		const struct unit_family *fam = &families[f];

		for (i = 0; i < 4 && fam->unit[i]; i++)
			if (!strcmp(fam->unit[i], unit))
				break;
		if (i == 4 || !fam->unit[i])
			continue;
		sh.quantity = fam->quantity;
		while (i + 1 < 4 && fam->unit[i + 1] &&
		       max_abs / (sh.divisor * fam->step) >= 1) {
			sh.divisor *= fam->step;
			i++;
		}
		sh.unit = fam->unit[i];
		break;
	}
	if (!strcmp(sh.unit, "us"))
		sh.unit = "\xc2\xb5s";
	return sh;
}

/* The number printed on a bar: three significant digits, but never
 * exponent notation for big values (1234567 stays 1234567). */
static void label_text(char *buf, size_t size, double v)
{
	if (fabs(v) >= 1000)
		snprintf(buf, size, "%.0f", v);
	else
		snprintf(buf, size, "%.3g", v);
}

/* "time (ms), lower is better": the y axis of a figure of groups g. */
static void ylabel_text(char *buf, size_t size, const struct shown *sh,
			const struct group *g, const struct dims *d)
{
	size_t metric = 0;	/* metric is dimension 0 (1 with benchmark) */
	const char *what = sh->quantity;
	const char *better = g->better == BETTER_LOWER ? ", lower is better" :
			     g->better == BETTER_HIGHER ?
			     ", higher is better" : "";

	static const char *const generic[] = {
		"bytes", "seconds", "value", "kflops", "req_per_s", "rate",
		"cycles", "total_ms", "real", NULL
	};

	if (!strcmp(d->name[0], "benchmark"))
		metric = 1;
	/* A lone metric with a telling name (min_mem) says more than the
	 * quantity of its unit (size); "bytes" or "seconds" do not. */
	if (dims_count(d, metric) == 1 &&
	    !is_one_of(dims_value(d, 0, metric), generic))
		what = dims_value(d, 0, metric);
	if (!what)
		what = "value";
	if (!*sh->unit || !strcmp(what, sh->unit))
		snprintf(buf, size, "%s%s", what, better);
	else
		snprintf(buf, size, "%s (%s)%s", what, sh->unit, better);
}

/* Default title: the benchmark, and the metric when there is one. */
static void title_text(char *buf, size_t size, const struct plot_options *o,
		       const struct dataset *ds, const struct dims *d)
{
	const struct group *g = &ds->groups[d->groups[0]];
	const char *b = key_of(ds, g, "benchmark");

	if (o->title)
		snprintf(buf, size, "%s", o->title);
	else if (dims_count(d, 0) == 1 && strcmp(d->name[0], "benchmark"))
		snprintf(buf, size, "%s: %s", b, dims_value(d, 0, 0));
	else
		snprintf(buf, size, "%s", b);
}

/* Error bar of one group's mean, or none (returns 0). */
static int error_bar(const struct summary *s, enum plot_errorbars eb,
		     double *lo, double *hi)
{
	*lo = *hi = s->mean;
	if (s->n < 2 || eb == PLOT_ERRORBARS_NONE)
		return 0;
	if (eb == PLOT_ERRORBARS_RANGE) {
		*lo = s->min;
		*hi = s->max;
		return 1;
	}
	if (!s->has_ci)
		return 0;
	*lo = s->ci_lo;
	*hi = s->ci_hi;
	return 1;
}

/* Variables every template reads. */
static void sc_common(struct script *sc, const char *tdir, const char *title,
		      const char *ylabel, int width)
{
	sc_string(sc, "fig_templates", tdir);
	sc_string(sc, "fig_title", title);
	sc_string(sc, "fig_ylabel", ylabel);
	/* Characters of the body font across the figure (pngcairo's advance
	 * of DejaVu Sans is about 0.83 of the font size in pixels). */
	sc_number(sc, "fig_chars", floor(width / (PLOT_FONT_PX * 0.83)));
}

/* ---- figures ------------------------------------------------------------- */

struct fig {
	const struct report *r;
	const struct plot_options *opt;
	const char *tdir;	/* templates directory */
	enum kind kind;
	struct dims d;
	int width;
};

static const struct summary *fig_sum(const struct fig *f, size_t i)
{
	return &f->r->sums[f->d.groups[i]];
}

static const struct group *fig_group(const struct fig *f, size_t i)
{
	return &f->r->ds->groups[f->d.groups[i]];
}

/* fig_title, fig_ylabel and the rest, for values up to max_abs. */
static struct shown fig_head(struct script *sc, const struct fig *f,
			     double max_abs)
{
	struct shown sh = unit_shown(fig_group(f, 0)->unit, max_abs);
	char title[512], ylabel[512];

	title_text(title, sizeof(title), f->opt, f->r->ds, &f->d);
	ylabel_text(ylabel, sizeof(ylabel), &sh, fig_group(f, 0), &f->d);
	sc_common(sc, f->tdir, title, ylabel, f->width);
	return sh;
}

static void sc_load(struct script *sc, const struct fig *f)
{
	char path[DIAG_FILE_MAX + 32];

	snprintf(path, sizeof(path), "%s/%s.gp", f->tdir,
		 kind_names[f->kind]);
	sc_printf(sc, "load ");
	sc_quoted(sc, path);
	sc_printf(sc, "\n");
}

/* One row of $bars (or $ratio): cluster series mean lo hi err "label". */
static void sc_bar(struct script *sc, size_t cl, size_t se, double mean,
		   double lo, double hi, int has_err, const char *label)
{
	if (!has_err)
		lo = hi = mean;
	if (sc_check_text(sc, label, 1))
		return;
	sc_printf(sc, "%zu %zu %.17g %.17g %.17g %d \"%s\"\n", cl, se, mean,
		  lo, hi, has_err, label);
}

static void sc_runs(struct script *sc, const struct fig *f,
		    const struct layout *lo, double divisor)
{
	size_t i, j;

	sc_printf(sc, "$runs << EOD\n");
	for (i = 0; i < f->d.n_groups; i++) {
		const struct group *g = fig_group(f, i);

		for (j = 0; j < g->n; j++)
			sc_printf(sc, "%zu %zu %.17g %.17g\n", lo->cl[i],
				  lo->se[i], g->values[j] / divisor,
				  g->runs[j]);
	}
	sc_printf(sc, "EOD\n");
}

/* bars, imagesize, stream, perplatform: grouped bars (templates/bars.gp). */
static void build_bars(struct script *sc, const struct fig *f)
{
	struct layout lo;
	struct shown sh;
	double max_abs = 0, elo, ehi;
	char label[64];
	size_t i;

	layout_build(&lo, &f->d, (size_t)-1, 0);
	for (i = 0; i < f->d.n_groups; i++) {
		const struct summary *s = fig_sum(f, i);

		max_abs = fmax(max_abs, fabs(s->mean));
		if (error_bar(s, f->opt->errorbars, &elo, &ehi))
			max_abs = fmax(max_abs, fmax(fabs(elo), fabs(ehi)));
	}
	sh = fig_head(sc, f, max_abs);
	sc_printf(sc, "$bars << EOD\n");
	for (i = 0; i < f->d.n_groups; i++) {
		const struct summary *s = fig_sum(f, i);
		int has = error_bar(s, f->opt->errorbars, &elo, &ehi);

		label_text(label, sizeof(label), s->mean / sh.divisor);
		sc_bar(sc, lo.cl[i], lo.se[i], s->mean / sh.divisor,
		       elo / sh.divisor, ehi / sh.divisor, has, label);
	}
	sc_printf(sc, "EOD\n");
	sc_names(sc, "$clusters", &lo.clusters);
	sc_names(sc, "$series", &lo.series);
	if (f->kind == KIND_PERPLATFORM)
		sc_runs(sc, f, &lo, sh.divisor);
	sc_load(sc, f);
	layout_release(&lo);
}

/* Components of a stacked bar: the metrics but the total ones, the guest
 * part first so that it sits at the base as in EuroSys'21 fig. 10. */
static void boot_components(const struct dims *d, size_t mk,
			    struct strvec *comps)
{
	const struct strvec *m = &d->distinct[mk];
	size_t i, pass;

	memset(comps, 0, sizeof(*comps));
	for (pass = 0; pass < 2; pass++)
		for (i = 1; i < m->n; i++) {
			int is_guest = !strncmp(m->v[i], "guest", 5);

			if (strncmp(m->v[i], "total", 5) &&
			    is_guest == (pass == 0))
				(void)strvec_intern(comps, m->v[i],
						    strlen(m->v[i]));
		}
}

/* "vmm_ms" is shown as "vmm": the unit is on the axis. */
static void component_names(struct strvec *out, const struct strvec *comps,
			     const char *unit)
{
	size_t i, n, u = strlen(unit);

	memset(out, 0, sizeof(*out));
	for (i = 0; i < comps->n; i++) {
		const char *c = comps->v[i];

		n = strlen(c);
		if (u && n > u + 1 && c[n - u - 1] == '_' &&
		    !strcmp(c + n - u, unit))
			n -= u + 1;
		(void)strvec_intern(out, c, n);
	}
}

struct stack {
	struct layout lo;
	struct strvec comps;
	double *part;		/* part[c * comps.n + j]: mean of component j */
	size_t *total;		/* total[c]: 1 + group index of the total, or 0 */
};

static void stack_build(struct stack *st, const struct fig *f, size_t mk)
{
	size_t i;

	layout_build(&st->lo, &f->d, mk, 1);
	boot_components(&f->d, mk, &st->comps);
	st->part = xcalloc(st->lo.clusters.n * (st->comps.n + 1),
			   sizeof(*st->part));
	st->total = xcalloc(st->lo.clusters.n, sizeof(*st->total));
	for (i = 0; i < f->d.n_groups; i++) {
		size_t j = strvec_find(&st->comps, dims_value(&f->d, i, mk));

		if (j == (size_t)-1)
			st->total[st->lo.cl[i]] = i + 1;
		else
			st->part[st->lo.cl[i] * st->comps.n + j] =
				fig_sum(f, i)->mean;
	}
}

/* Total of bar c: the mean of its total metric when the data has one
 * (with its error bar), else the sum of the component means. */
static double stack_total(const struct stack *st, const struct fig *f,
			  size_t c, double *lo, double *hi, int *has_err)
{
	double sum = 0;
	size_t j;

	*has_err = 0;
	if (st->total[c]) {
		const struct summary *s = fig_sum(f, st->total[c] - 1);

		*has_err = error_bar(s, f->opt->errorbars, lo, hi);
		return s->mean;
	}
	for (j = 0; j < st->comps.n; j++)
		sum += st->part[c * st->comps.n + j];
	*lo = *hi = sum;
	return sum;
}

/* boot: stacked bars of the components (templates/boot.gp). */
static void build_boot(struct script *sc, const struct fig *f)
{
	struct stack st;
	struct strvec names;
	struct shown sh;
	double max_abs = 0, lo, hi, t;
	char label[64];
	size_t c, j;
	int has;

	stack_build(&st, f, strcmp(f->d.name[0], "metric") ? 1 : 0);
	for (c = 0; c < st.lo.clusters.n; c++) {
		t = stack_total(&st, f, c, &lo, &hi, &has);
		max_abs = fmax(max_abs, fmax(fabs(t), fabs(hi)));
	}
	sh = fig_head(sc, f, max_abs);
	sc_printf(sc, "$stack << EOD\n");
	for (c = 0; c < st.lo.clusters.n; c++) {
		t = stack_total(&st, f, c, &lo, &hi, &has) / sh.divisor;
		label_text(label, sizeof(label), t);
		sc_printf(sc, "%zu %.17g %.17g %.17g %d \"%s\"", c, t,
			  lo / sh.divisor, hi / sh.divisor, has, label);
		for (j = 0; j < st.comps.n; j++)
			sc_printf(sc, " %.17g",
				  st.part[c * st.comps.n + j] / sh.divisor);
		sc_printf(sc, "\n");
	}
	sc_printf(sc, "EOD\n");
	sc_names(sc, "$clusters", &st.lo.clusters);
	component_names(&names, &st.comps, fig_group(f, 0)->unit);
	sc_names(sc, "$components", &names);
	sc_load(sc, f);
	strvec_release(&names);
	strvec_release(&st.comps);
	layout_release(&st.lo);
	free(st.part);
	free(st.total);
}

/* ratio: each comparison's ratio of means with its Fieller interval, on a
 * log2 axis (templates/ratio.gp). The dims hold the comparisons' "other"
 * groups in the order of r->cmps (see ratio_groups). */
static void build_ratio(struct script *sc, const struct fig *f,
			const size_t *cmp_of)
{
	const struct dataset *ds = f->r->ds;
	const struct comparison *c0 = &f->r->cmps[cmp_of[0]];
	struct layout lo;
	char label[96], ylabel[512], title[512];
	size_t i;

	layout_build(&lo, &f->d, (size_t)-1, 0);
	snprintf(ylabel, sizeof(ylabel), "ratio to %s (log scale)",
		 load_factor(ds, &ds->groups[c0->baseline]));
	if (f->opt->title)
		snprintf(title, sizeof(title), "%s", f->opt->title);
	else
		snprintf(title, sizeof(title), "mean of each %s / mean of %s",
			 ds->key_cols[ds->factor_index],
			 load_factor(ds, &ds->groups[c0->baseline]));
	sc_common(sc, f->tdir, title, ylabel, f->width);
	sc_printf(sc, "$bars << EOD\n");
	for (i = 0; i < f->d.n_groups; i++) {
		const struct comparison *c = &f->r->cmps[cmp_of[i]];
		const struct ratio_ci *q = &c->ratio;

		cmp_wording(c, &ds->groups[c->baseline], label, sizeof(label));
		label[strcspn(label, "(")] = '\0';	/* bars are narrow */
		if (strlen(label) && label[strlen(label) - 1] == ' ')
			label[strlen(label) - 1] = '\0';
		sc_bar(sc, lo.cl[i], lo.se[i], q->ratio, q->lo, q->hi,
		       q->has_ci && q->is_bounded && q->lo > 0, label);
	}
	sc_printf(sc, "EOD\n");
	sc_names(sc, "$clusters", &lo.clusters);
	sc_names(sc, "$series", &lo.series);
	sc_load(sc, f);
	layout_release(&lo);
}

/* dist: every run as a point over a box of the quartiles with whiskers to
 * min and max (templates/dist.gp). */
static void build_dist(struct script *sc, const struct fig *f)
{
	struct layout lo;
	struct shown sh;
	double max_abs = 0, dv;
	size_t i;

	layout_build(&lo, &f->d, (size_t)-1, 1);
	for (i = 0; i < f->d.n_groups; i++)
		max_abs = fmax(max_abs, fmax(fabs(fig_sum(f, i)->max),
					     fabs(fig_sum(f, i)->min)));
	sh = fig_head(sc, f, max_abs);
	dv = sh.divisor;
	sc_printf(sc, "$box << EOD\n");
	for (i = 0; i < f->d.n_groups; i++) {
		const struct summary *s = fig_sum(f, i);

		sc_printf(sc, "%zu %.17g %.17g %.17g %.17g %.17g %.17g %zu\n",
			  lo.cl[i], s->min / dv, s->q1 / dv, s->median / dv,
			  s->q3 / dv, s->max / dv, s->mean / dv, s->n);
	}
	sc_printf(sc, "EOD\n");
	sc_names(sc, "$clusters", &lo.clusters);
	sc_runs(sc, f, &lo, dv);
	sc_load(sc, f);
	layout_release(&lo);
}

/* ---- running gnuplot ------------------------------------------------------ */

static int gnuplot_installed(void)
{
	const char *p = getenv("PATH");
	char path[DIAG_FILE_MAX];

	if (!p || !*p)
		p = "/usr/bin:/bin";
	while (*p) {
		size_t n = strcspn(p, ":");

		snprintf(path, sizeof(path), "%.*s%sgnuplot", (int)n,
			 n ? p : ".", n ? "/" : "/");
		if (access(path, X_OK) == 0)
			return 1;
		p += n + (p[n] == ':');
	}
	return 0;
}

static int has_templates(const char *dir)
{
	char path[DIAG_FILE_MAX + 16];

	snprintf(path, sizeof(path), "%s/bars.gp", dir);
	return access(path, R_OK) == 0;
}

/* dir = (directory of /proc/self/exe)/rel, or "" when unknown. */
static void exe_relative(char *dir, size_t size, const char *rel)
{
	char exe[DIAG_FILE_MAX - 64];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	char *slash;

	dir[0] = '\0';
	if (n <= 0)
		return;
	exe[n] = '\0';
	slash = strrchr(exe, '/');
	if (slash)
		*slash = '\0';
	snprintf(dir, size, "%s/%s", exe, rel);
}

/* --templates DIR, else $ANALYZE_TEMPLATES, else next to the binary (the
 * source tree's bin/../templates, then an install's share directory). */
static int find_templates(const struct plot_options *opt, char *dir,
			  size_t size, struct diag *err)
{
	const char *env = getenv("ANALYZE_TEMPLATES");
	char other[DIAG_FILE_MAX];

	if (opt->templates_dir || (env && *env)) {
		snprintf(dir, size, "%s", opt->templates_dir ?
			 opt->templates_dir : env);
		if (has_templates(dir))
			return 0;
		diag_set(err, NULL, 0, "no gnuplot templates in '%s' "
			 "(bars.gp is missing; %s)", dir, opt->templates_dir ?
			 "check --templates" : "check ANALYZE_TEMPLATES");
		return opt->templates_dir ? STATUS_BADINPUT : STATUS_RUNTIME;
	}
	exe_relative(dir, size, "../templates");
	if (dir[0] && has_templates(dir))
		return 0;
	exe_relative(other, sizeof(other), "../share/bench-toolkit/templates");
	if (other[0] && has_templates(other)) {
		snprintf(dir, size, "%s", other);
		return 0;
	}
	diag_set(err, NULL, 0, "cannot find the gnuplot templates (looked in "
		 "'%s' and '%s'; use --templates DIR or set ANALYZE_TEMPLATES)",
		 dir, other);
	return STATUS_RUNTIME;
}

/* The first lines of gnuplot's standard error (file errpath), each
 * prefixed "gnuplot: ": appended to msg on failure, else warnings. */
static void gnuplot_stderr(const char *errpath, struct diag *err,
			   struct diag_list *warnings)
{
	FILE *in = fopen(errpath, "r");
	char *line = NULL;
	size_t cap = 0, len;
	ssize_t n;

	if (!in)
		return;
	while ((n = getline(&line, &cap, in)) > 0) {
		line[strcspn(line, "\n")] = '\0';
		if (!line[strspn(line, " \t^")])
			continue;	/* blank, or the caret under a command */
		if (warnings) {
			diag_list_add(warnings, NULL, 0, "gnuplot: %s", line);
			continue;
		}
		len = strlen(err->msg);
		snprintf(err->msg + len, sizeof(err->msg) - len,
			 "\ngnuplot: %s", line + strspn(line, " \t"));
	}
	free(line);
	fclose(in);
}

static void terminal_line(struct script *sc, const struct plot_options *o,
			  int w, int h)
{
	const char *bg = "background '#ffffff'";

	if (!strcmp(o->term, "pdf"))
		sc_printf(sc, "set terminal pdfcairo size %.4gin,%.4gin "
			  "font '%s,%.4g'\n", w / PLOT_PDF_PX_PER_IN,
			  h / PLOT_PDF_PX_PER_IN, PLOT_FONT,
			  PLOT_FONT_PX * 72 / PLOT_PDF_PX_PER_IN);
	else if (!strcmp(o->term, "png"))
		sc_printf(sc, "set terminal pngcairo size %d,%d font '%s,%d' "
			  "%s\n", w, h, PLOT_FONT, PLOT_FONT_PX, bg);
	else
		sc_printf(sc, "set terminal svg size %d,%d font '%s,%d' %s\n",
			  w, h, PLOT_FONT, PLOT_FONT_PX, bg);
}

/* Pipe the terminal, output and body to gnuplot -d; 0 if it exited 0. */
static int pipe_gnuplot(const struct plot_options *o, int w, int h,
			const char *tmp, const char *errpath,
			const char *body, size_t len, struct diag *err)
{
	struct sigaction ign, old;
	struct script sc = { 0 };
	char cmd[DIAG_FILE_MAX + 64];
	int st = -1;

	/* errpath comes from mkstemp under TMPDIR: quote it for sh. */
	if (strchr(errpath, '\'') || snprintf(cmd, sizeof(cmd),
	    "gnuplot -d 2>'%s'", errpath) >= (int)sizeof(cmd)) {
		diag_set(err, NULL, 0, "unusable TMPDIR '%s'", errpath);
		return STATUS_RUNTIME;
	}
	/* A gnuplot that dies early must not kill us with SIGPIPE: the
	 * failed write and its exit status say what happened. */
	memset(&ign, 0, sizeof(ign));
	ign.sa_handler = SIG_IGN;
	sigemptyset(&ign.sa_mask);
	sigaction(SIGPIPE, &ign, &old);
	sc.err = err;
	sc.f = popen(cmd, "w");
	if (sc.f) {
		terminal_line(&sc, o, w, h);
		sc_printf(&sc, "set output ");
		sc_quoted(&sc, tmp);
		sc_printf(&sc, "\n");
		if (!sc.status && (fwrite(body, 1, len, sc.f) != len ||
				   fflush(sc.f) != 0))
			sc.status = STATUS_RUNTIME;
		st = pclose(sc.f);
	}
	sigaction(SIGPIPE, &old, NULL);
	if (!sc.f || st == -1) {
		diag_set(err, NULL, 0, "cannot run gnuplot: %s",
			 strerror(errno));
		return STATUS_RUNTIME;
	}
	if (WIFEXITED(st) && WEXITSTATUS(st) == 127) {
		diag_set(err, NULL, 0, "gnuplot is not installed (install the "
			 "Debian package gnuplot-nox)");
		return STATUS_RUNTIME;
	}
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0 || sc.status) {
		diag_set(err, NULL, 0, "gnuplot failed (%s %d)",
			 WIFEXITED(st) ? "exit status" : "signal",
			 WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
		return STATUS_RUNTIME;
	}
	return 0;
}

/* A new empty file for gnuplot's standard error; caller unlinks, frees. */
static char *stderr_file(void)
{
	const char *t = getenv("TMPDIR");
	char *path;
	int fd;

	if (!t || !*t)
		t = "/tmp";
	path = xmalloc(strlen(t) + sizeof("/analyze-gnuplot.XXXXXX"));
	strcpy(path, t);
	strcat(path, "/analyze-gnuplot.XXXXXX");
	fd = mkstemp(path);
	if (fd < 0) {
		free(path);
		return NULL;
	}
	close(fd);
	return path;
}

/*
 * Draw one figure: gnuplot writes a temporary file beside path, renamed
 * over path only when gnuplot exited 0 and wrote something, so a good
 * figure is never replaced by a broken one.
 */
static int run_gnuplot(const struct plot_options *o, int w, int h,
		       const char *body, size_t len, const char *path,
		       struct diag_list *written, struct diag *err)
{
	char *tmp = NULL, *errpath = stderr_file();
	FILE *f = util_atomic_open(path, &tmp);
	struct stat sb;
	int status;

	if (!f || !errpath) {
		diag_set(err, f ? NULL : path, 0, "cannot create %s: %s",
			 f ? "a temporary file" : "the figure", strerror(errno));
		util_atomic_abort(f, tmp);
		free(errpath);
		return STATUS_RUNTIME;
	}
	fclose(f);	/* gnuplot opens it again by name */
	status = pipe_gnuplot(o, w, h, tmp, errpath, body, len, err);
	if (!status && (stat(tmp, &sb) != 0 || sb.st_size == 0)) {
		diag_set(err, NULL, 0, "gnuplot wrote nothing to '%s'", path);
		status = STATUS_RUNTIME;
	}
	if (status)
		gnuplot_stderr(errpath, err, NULL);
	else if (written)
		gnuplot_stderr(errpath, err, written);
	if (!status && rename(tmp, path) != 0) {
		diag_set(err, path, 0, "cannot write the figure: %s",
			 strerror(errno));
		status = STATUS_RUNTIME;
	}
	if (status)
		unlink(tmp);
	else if (written) {
		diag_list_add(written, path, 0, "figure written");
		written->items[written->n - 1].is_warning = 0;
	}
	unlink(errpath);
	free(errpath);
	free(tmp);
	return status;
}

/* ---- which figures -------------------------------------------------------- */

/* Groups of one figure: same benchmark and unit. */
struct part {
	const char *bench, *unit;
	size_t *g;
	size_t n, cap;
};

static size_t parts_build(const struct dataset *ds, struct part **out)
{
	struct part *p = NULL;
	size_t n = 0, i, k;

	for (i = 0; i < ds->n_groups; i++) {
		const struct group *g = &ds->groups[i];
		const char *b = key_of(ds, g, "benchmark");

		for (k = 0; k < n; k++)
			if (!strcmp(p[k].bench, b) && !strcmp(p[k].unit, g->unit))
				break;
		if (k == n) {
			p = xreallocarray(p, n + 1, sizeof(*p));
			memset(&p[n++], 0, sizeof(*p));
			p[k].bench = b;
			p[k].unit = g->unit;
		}
		if (p[k].n == p[k].cap) {
			p[k].cap = p[k].cap ? 2 * p[k].cap : 8;
			p[k].g = xreallocarray(p[k].g, p[k].cap, sizeof(size_t));
		}
		p[k].g[p[k].n++] = i;
	}
	*out = p;
	return n;
}

/* The kind a figure gets unless --kind says otherwise. */
static enum kind auto_kind(const struct dims *d, const struct part *p)
{
	static const char *const per_platform[] = {
		"memsweep", "forksum", "linpack", NULL
	};
	static const char *const bandwidth[] = { "MB/s", "GB/s", NULL };

	if (!strcmp(p->bench, "boot") && dims_count(d, 0) >= 2)
		return KIND_BOOT;
	if (!strcmp(p->bench, "imagesize"))
		return KIND_IMAGESIZE;
	if (!strcmp(p->bench, "stream") && is_one_of(p->unit, bandwidth))
		return KIND_STREAM;
	if (is_one_of(p->bench, per_platform))
		return KIND_PERPLATFORM;
	return KIND_BARS;
}

/* Append s to buf as a file-name piece: letters, digits, '.', '_' and '-'
 * kept, runs of anything else become one '-'. */
static void slug_add(char *buf, size_t size, const char *s)
{
	size_t len = strlen(buf);

	if (len && len + 1 < size && buf[len - 1] != '-')
		buf[len++] = '-';
	for (; *s && len + 1 < size; s++) {
		int ok = (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
			 (*s >= '0' && *s <= '9') || *s == '.' || *s == '_';

		if (ok)
			buf[len++] = *s;
		else if (len && buf[len - 1] != '-')
			buf[len++] = '-';
	}
	while (len && buf[len - 1] == '-')
		len--;
	buf[len] = '\0';
}

/* Whether name already ends with the slug of s ("hermitcore-stream" and
 * "stream"), so that it is not repeated. */
static int ends_with_slug(const char *name, const char *s)
{
	char slug[256] = "";
	size_t n = strlen(name), k;

	slug_add(slug, sizeof(slug), s);
	k = strlen(slug);
	return k && n >= k && !strcmp(name + n - k, slug) &&
	       (n == k || name[n - k - 1] == '-');
}

/* Base name of the figures: --name, else the one input file's name
 * without .csv, else "figure". */
static void base_name(char *buf, size_t size, const struct plot_options *o,
		      const struct dataset *ds)
{
	const char *path, *slash;
	size_t i, len;

	buf[0] = '\0';
	if (o->name) {
		slug_add(buf, size, o->name);
		return;
	}
	for (i = 0; i < ds->n_groups; i++)
		if (ds->groups[i].in_several_sources ||
		    ds->groups[i].first_source != ds->groups[0].first_source)
			break;
	if (i < ds->n_groups || ds->n_sources == 0) {
		slug_add(buf, size, "figure");
		return;
	}
	path = ds->sources[ds->groups[0].first_source].path;
	slash = strrchr(path, '/');
	slug_add(buf, size, slash ? slash + 1 : path);
	len = strlen(buf);
	if (len > 4 && !strcmp(buf + len - 4, ".csv"))
		buf[len - 4] = '\0';
}

static int render(struct fig *f, const char *name, const size_t *cmp_of,
		  struct diag_list *written, struct diag *err)
{
	const struct plot_options *o = f->opt;
	struct script sc = { 0 };
	char path[DIAG_FILE_MAX];
	int status = 0;

	snprintf(path, sizeof(path), "%s/%s.%s", o->outdir ? o->outdir :
		 "plots", name, o->term ? o->term : "svg");
	sc.err = err;
	sc.f = open_memstream(&sc.buf, &sc.len);
	if (!sc.f) {
		diag_set(err, NULL, 0, "cannot build a figure: %s",
			 strerror(errno));
		return STATUS_RUNTIME;
	}
	if (f->kind == KIND_BOOT)
		build_boot(&sc, f);
	else if (f->kind == KIND_RATIO)
		build_ratio(&sc, f, cmp_of);
	else if (f->kind == KIND_DIST)
		build_dist(&sc, f);
	else
		build_bars(&sc, f);
	if (fclose(sc.f) != 0 && !sc.status) {
		diag_set(err, NULL, 0, "cannot build a figure: out of memory");
		sc.status = STATUS_RUNTIME;
	}
	if (!sc.status)
		status = run_gnuplot(o, f->width, o->height > 0 ? o->height :
				     f->kind == KIND_RATIO ? PLOT_HEIGHT_RATIO :
				     PLOT_HEIGHT, sc.buf, sc.len, path,
				     written, err);
	free(sc.buf);
	return sc.status ? sc.status : status;
}

/* One figure per (benchmark, unit); names get the benchmark (and unit)
 * when there are several, and the kind when --kind chose it. */
static int plot_parts(struct fig *f, struct diag_list *written,
		      struct diag *err)
{
	struct part *p;
	size_t n = parts_build(f->r->ds, &p), i, k, same;
	char base[256], name[512];
	int status = 0;

	base_name(base, sizeof(base), f->opt, f->r->ds);
	for (i = 0; i < n && !status; i++) {
		status = dims_build(&f->d, f->r->ds, p[i].g, p[i].n, 0, err);
		p[i].g = NULL;	/* owned by f->d now */
		if (status)
			break;
		if (!f->opt->kind)
			f->kind = auto_kind(&f->d, &p[i]);
		snprintf(name, sizeof(name), "%s", base);
		for (k = 0, same = 0; k < n; k++)
			same += !strcmp(p[k].bench, p[i].bench);
		if (n > 1 && !ends_with_slug(base, p[i].bench))
			slug_add(name, sizeof(name), p[i].bench);
		if (same > 1)
			slug_add(name, sizeof(name), *p[i].unit ? p[i].unit :
				 "nounit");
		if (f->opt->kind)
			slug_add(name, sizeof(name), kind_names[f->kind]);
		status = render(f, name, NULL, written, err);
		dims_release(&f->d);
	}
	for (i = 0; i < n; i++)
		free(p[i].g);
	free(p);
	return status;
}

/* One figure of every comparison whose ratio a log axis can show. */
static int plot_ratio(struct fig *f, struct diag_list *written,
		      struct diag *err)
{
	const struct report *r = f->r;
	size_t *groups = xcalloc(r->n_cmps, sizeof(*groups));
	size_t *cmp_of = xcalloc(r->n_cmps, sizeof(*cmp_of));
	size_t i, n = 0;
	char name[512];
	int status;

	for (i = 0; i < r->n_cmps; i++)
		if (isfinite(r->cmps[i].ratio.ratio) &&
		    r->cmps[i].ratio.ratio > 0) {
			groups[n] = r->cmps[i].other;
			cmp_of[n++] = i;
		}
	if (n == 0) {
		free(groups);
		free(cmp_of);
		diag_set(err, NULL, 0, "no ratio to plot: a ratio figure needs "
			 "groups that differ only in '%s' (see --baseline) "
			 "and positive means", r->ds->key_cols[r->ds->factor_index]);
		return STATUS_BADINPUT;
	}
	status = dims_build(&f->d, r->ds, groups, n, 1, err);
	if (!status) {
		base_name(name, sizeof(name), f->opt, r->ds);
		slug_add(name, sizeof(name), "ratio");
		status = render(f, name, cmp_of, written, err);
	}
	dims_release(&f->d);
	free(cmp_of);
	return status;
}

/* mkdir -p of the output directory. */
static int make_outdir(const char *dir, struct diag *err)
{
	char path[DIAG_FILE_MAX];
	struct stat sb;
	size_t i;

	snprintf(path, sizeof(path), "%s", dir);
	for (i = 1; path[i - 1]; i++) {
		char c = path[i];

		if (c != '/' && c != '\0')
			continue;
		path[i] = '\0';
		if (mkdir(path, 0777) != 0 && errno != EEXIST) {
			diag_set(err, path, 0, "cannot create the figure "
				 "directory: %s", strerror(errno));
			return STATUS_RUNTIME;
		}
		path[i] = c;
	}
	if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
		diag_set(err, dir, 0, "not a directory (-o names the directory "
			 "the figures go to)");
		return STATUS_BADINPUT;
	}
	return 0;
}

static int parse_kind(const char *name, enum kind *out, struct diag *err)
{
	int k;

	for (k = 0; k < N_KINDS; k++)
		if (!strcmp(name, kind_names[k])) {
			*out = (enum kind)k;
			return 0;
		}
	diag_set(err, NULL, 0, "unknown figure kind '%s' (one of bars, boot, "
		 "imagesize, stream, perplatform, ratio, dist)", name);
	return STATUS_BADINPUT;
}

int plot_figures(const struct report *r, const struct plot_options *opt,
		 struct diag_list *written, struct diag *err)
{
	struct plot_options o = *opt;
	char tdir[DIAG_FILE_MAX];
	struct fig f;
	int status;

	memset(&f, 0, sizeof(f));
	o.outdir = o.outdir ? o.outdir : "plots";
	o.term = o.term ? o.term : "svg";
	if (strcmp(o.term, "svg") && strcmp(o.term, "png") &&
	    strcmp(o.term, "pdf")) {
		diag_set(err, NULL, 0, "unknown terminal '%s' (one of svg, "
			 "png, pdf)", o.term);
		return STATUS_BADINPUT;
	}
	if (o.kind && (status = parse_kind(o.kind, &f.kind, err)))
		return status;
	if (!gnuplot_installed()) {
		diag_set(err, NULL, 0, "gnuplot is not installed (install the "
			 "Debian package gnuplot-nox)");
		return STATUS_RUNTIME;
	}
	if ((status = find_templates(&o, tdir, sizeof(tdir), err)) ||
	    (status = make_outdir(o.outdir, err)))
		return status;
	f.r = r;
	f.opt = &o;
	f.tdir = tdir;
	f.width = o.width > 0 ? o.width : PLOT_WIDTH;
	if (o.kind && f.kind == KIND_RATIO)
		return plot_ratio(&f, written, err);
	return plot_parts(&f, written, err);
}
