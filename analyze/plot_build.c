/*
 * plot_build: the figure script of one figure. Given its groups spread
 * over dimensions and laid out (plot_dims.c), stacks the components of a
 * boot figure, picks the unit shown, and writes the template variables
 * and datablocks. Never runs anything; see plot.c.
 */
#include "plot_priv.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const plot_kind_names[N_KINDS] = {
	"bars", "boot", "imagesize", "stream", "perplatform", "ratio", "dist"
};

/* ---- the script: quoting and datablocks --------------------------------- */

void plot_sc_printf(struct script *sc, const char *fmt, ...)
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
void plot_sc_quoted(struct script *sc, const char *val)
{
	const char *p;

	if (sc->status || sc_check_text(sc, val, 0))
		return;
	plot_sc_printf(sc, "'");
	for (p = val; *p; p++)
		plot_sc_printf(sc, *p == '\'' ? "''" : "%c", *p);
	plot_sc_printf(sc, "'");
}

static void sc_string(struct script *sc, const char *name, const char *val)
{
	plot_sc_printf(sc, "%s = ", name);
	plot_sc_quoted(sc, val);
	plot_sc_printf(sc, "\n");
}

static void sc_number(struct script *sc, const char *name, double v)
{
	plot_sc_printf(sc, "%s = %.17g\n", name, v);
}

/* One datablock of names, one double-quoted name per line. */
static void sc_names(struct script *sc, const char *block,
		     const struct strvec *sv)
{
	size_t i;

	plot_sc_printf(sc, "%s << EOD\n", block);
	for (i = 0; i < sv->n; i++)
		if (!sc_check_text(sc, sv->v[i], 1))
			plot_sc_printf(sc, "\"%s\"\n", sv->v[i]);
	plot_sc_printf(sc, "EOD\n");
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
	if (plot_dims_count(d, metric) == 1 &&
	    !plot_is_one_of(plot_dims_value(d, 0, metric), generic))
		what = plot_dims_value(d, 0, metric);
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
	const char *b = plot_key_of(ds, g, "benchmark");

	if (o->title)
		snprintf(buf, size, "%s", o->title);
	else if (plot_dims_count(d, 0) == 1 && strcmp(d->name[0], "benchmark"))
		snprintf(buf, size, "%s: %s", b, plot_dims_value(d, 0, 0));
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
		 plot_kind_names[f->kind]);
	plot_sc_printf(sc, "load ");
	plot_sc_quoted(sc, path);
	plot_sc_printf(sc, "\n");
}

/* One row of $bars (or $ratio): cluster series mean lo hi err "label". */
static void sc_bar(struct script *sc, size_t cl, size_t se, double mean,
		   double lo, double hi, int has_err, const char *label)
{
	if (!has_err)
		lo = hi = mean;
	if (sc_check_text(sc, label, 1))
		return;
	plot_sc_printf(sc, "%zu %zu %.17g %.17g %.17g %d \"%s\"\n", cl, se, mean,
		  lo, hi, has_err, label);
}

static void sc_runs(struct script *sc, const struct fig *f,
		    const struct layout *lo, double divisor)
{
	size_t i, j;

	plot_sc_printf(sc, "$runs << EOD\n");
	for (i = 0; i < f->d.n_groups; i++) {
		const struct group *g = fig_group(f, i);

		for (j = 0; j < g->n; j++)
			plot_sc_printf(sc, "%zu %zu %.17g %.17g\n", lo->cl[i],
				  lo->se[i], g->values[j] / divisor,
				  load_group_run(g, j));
	}
	plot_sc_printf(sc, "EOD\n");
}

/* bars, imagesize, stream, perplatform: grouped bars (templates/bars.gp). */
static void build_bars(struct script *sc, const struct fig *f)
{
	struct layout lo;
	struct shown sh;
	double max_abs = 0, elo, ehi;
	char label[64];
	size_t i;

	plot_layout_build(&lo, &f->d, (size_t)-1, 0);
	for (i = 0; i < f->d.n_groups; i++) {
		const struct summary *s = fig_sum(f, i);

		max_abs = fmax(max_abs, fabs(s->mean));
		if (error_bar(s, f->opt->errorbars, &elo, &ehi))
			max_abs = fmax(max_abs, fmax(fabs(elo), fabs(ehi)));
	}
	sh = fig_head(sc, f, max_abs);
	plot_sc_printf(sc, "$bars << EOD\n");
	for (i = 0; i < f->d.n_groups; i++) {
		const struct summary *s = fig_sum(f, i);
		int has = error_bar(s, f->opt->errorbars, &elo, &ehi);

		label_text(label, sizeof(label), s->mean / sh.divisor);
		sc_bar(sc, lo.cl[i], lo.se[i], s->mean / sh.divisor,
		       elo / sh.divisor, ehi / sh.divisor, has, label);
	}
	plot_sc_printf(sc, "EOD\n");
	sc_names(sc, "$clusters", &lo.clusters);
	sc_names(sc, "$series", &lo.series);
	if (f->kind == KIND_PERPLATFORM)
		sc_runs(sc, f, &lo, sh.divisor);
	sc_load(sc, f);
	plot_layout_release(&lo);
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
				(void)plot_strvec_intern(comps, m->v[i],
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
		(void)plot_strvec_intern(out, c, n);
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

	plot_layout_build(&st->lo, &f->d, mk, 1);
	boot_components(&f->d, mk, &st->comps);
	st->part = xcalloc(st->lo.clusters.n * (st->comps.n + 1),
			   sizeof(*st->part));
	st->total = xcalloc(st->lo.clusters.n, sizeof(*st->total));
	for (i = 0; i < f->d.n_groups; i++) {
		size_t j = plot_strvec_find(&st->comps,
					    plot_dims_value(&f->d, i, mk));

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
	plot_sc_printf(sc, "$stack << EOD\n");
	for (c = 0; c < st.lo.clusters.n; c++) {
		t = stack_total(&st, f, c, &lo, &hi, &has) / sh.divisor;
		label_text(label, sizeof(label), t);
		plot_sc_printf(sc, "%zu %.17g %.17g %.17g %d \"%s\"", c, t,
			  lo / sh.divisor, hi / sh.divisor, has, label);
		for (j = 0; j < st.comps.n; j++)
			plot_sc_printf(sc, " %.17g",
				  st.part[c * st.comps.n + j] / sh.divisor);
		plot_sc_printf(sc, "\n");
	}
	plot_sc_printf(sc, "EOD\n");
	sc_names(sc, "$clusters", &st.lo.clusters);
	component_names(&names, &st.comps, fig_group(f, 0)->unit);
	sc_names(sc, "$components", &names);
	sc_load(sc, f);
	plot_strvec_release(&names);
	plot_strvec_release(&st.comps);
	plot_layout_release(&st.lo);
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

	plot_layout_build(&lo, &f->d, (size_t)-1, 0);
	snprintf(ylabel, sizeof(ylabel), "ratio to %s (log scale)",
		 load_factor(ds, &ds->groups[c0->baseline]));
	if (f->opt->title)
		snprintf(title, sizeof(title), "%s", f->opt->title);
	else
		snprintf(title, sizeof(title), "mean of each %s / mean of %s",
			 ds->key_cols[ds->factor_index],
			 load_factor(ds, &ds->groups[c0->baseline]));
	sc_common(sc, f->tdir, title, ylabel, f->width);
	plot_sc_printf(sc, "$bars << EOD\n");
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
	plot_sc_printf(sc, "EOD\n");
	sc_names(sc, "$clusters", &lo.clusters);
	sc_names(sc, "$series", &lo.series);
	sc_load(sc, f);
	plot_layout_release(&lo);
}

/* dist: every run as a point over a box of the quartiles with whiskers to
 * min and max (templates/dist.gp). */
static void build_dist(struct script *sc, const struct fig *f)
{
	struct layout lo;
	struct shown sh;
	double max_abs = 0, dv;
	size_t i;

	plot_layout_build(&lo, &f->d, (size_t)-1, 1);
	for (i = 0; i < f->d.n_groups; i++)
		max_abs = fmax(max_abs, fmax(fabs(fig_sum(f, i)->max),
					     fabs(fig_sum(f, i)->min)));
	sh = fig_head(sc, f, max_abs);
	dv = sh.divisor;
	plot_sc_printf(sc, "$box << EOD\n");
	for (i = 0; i < f->d.n_groups; i++) {
		const struct summary *s = fig_sum(f, i);

		plot_sc_printf(sc, "%zu %.17g %.17g %.17g %.17g %.17g %.17g %zu\n",
			  lo.cl[i], s->min / dv, s->q1 / dv, s->median / dv,
			  s->q3 / dv, s->max / dv, s->mean / dv, s->n);
	}
	plot_sc_printf(sc, "EOD\n");
	sc_names(sc, "$clusters", &lo.clusters);
	sc_runs(sc, f, &lo, dv);
	sc_load(sc, f);
	plot_layout_release(&lo);
}

void plot_build(struct script *sc, const struct fig *f, const size_t *cmp_of)
{
	if (f->kind == KIND_BOOT)
		build_boot(sc, f);
	else if (f->kind == KIND_RATIO)
		build_ratio(sc, f, cmp_of);
	else if (f->kind == KIND_DIST)
		build_dist(sc, f);
	else
		build_bars(sc, f);
}
