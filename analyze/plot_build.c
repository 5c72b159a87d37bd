/*
 * plot_build: the figure script of one figure. Given its groups spread
 * over dimensions and laid out (plot_dims.c), picks the unit shown,
 * orients ratios, stacks the components of a boot figure, asks the frame
 * (plot_frame.c) where everything goes, and writes the template
 * variables and datablocks. Never runs anything; see plot.c.
 */
#include "plot_priv.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

const char *const plot_kind_names[N_KINDS] = {
	"bars", "boot", "imagesize", "stream", "perplatform", "ratio", "dist"
};

/* ---- the script ------------------------------------------------------- */

static void sc_string(struct script *sc, const char *name, const char *val)
{
	plot_sc_printf(sc, "%s = ", name);
	plot_sc_text(sc, val);
	plot_sc_printf(sc, "\n");
}

static void sc_number(struct script *sc, const char *name, double v)
{
	plot_sc_printf(sc, "%s = %.17g\n", name, v);
}

static void sc_load(struct script *sc, const struct fig *f)
{
	char path[DIAG_FILE_MAX + 32];

	sc_string(sc, "fig_templates", f->tdir);
	snprintf(path, sizeof(path), "%s/%s.gp", f->tdir,
		 plot_kind_names[f->kind]);
	plot_sc_printf(sc, "load ");
	plot_sc_text(sc, path);
	plot_sc_printf(sc, "\n");
}

/* ---- units, labels, titles ---------------------------------------------- */

/* Units that scale by a fixed step, and the quantity they measure. The
 * axis shows the unit in which the biggest value is between 1 and one
 * step (it moves down as well as up: 0.004 s is 4 ms). */
struct unit_family {
	const char *unit[5];
	double step;
	const char *quantity;
};

static const struct unit_family families[] = {
	{ { "ns", "us", "ms", "s", NULL }, 1000, "time" },
	{ { "B", "KiB", "MiB", "GiB", "TiB" }, 1024, "size" },
	{ { "B", "kB", "MB", "GB", "TB" }, 1000, "size" },
	{ { "KFLOPS", "MFLOPS", "GFLOPS", "TFLOPS", NULL }, 1000, "speed" },
	{ { "kB/s", "MB/s", "GB/s", "TB/s", NULL }, 1000, "bandwidth" },
	{ { "req/s", "kreq/s", "Mreq/s", NULL, NULL }, 1000, "throughput" },
	{ { "kbps", "Mbps", "Gbps", NULL, NULL }, 1000, "rate" },
};

struct shown {
	double divisor;		/* value shown = value / divisor */
	char unit[64];		/* as printed ("µs" for "us") */
	const char *quantity;	/* "time", ...; NULL when unknown */
};

/* A unit of no family ("cycles", "pages", ""): SI prefixes by 1000 on
 * the unit's name while the values reach 10000. */
static void unit_generic(struct shown *sh, const char *unit, double max_abs)
{
	static const char *const prefix[] = { "", "k", "M", "G", "T", "P" };
	size_t i = 0;

	while (i + 1 < 6 && max_abs / sh->divisor >= 10000) {
		sh->divisor *= 1000;
		i++;
	}
	if (!i)
		snprintf(sh->unit, sizeof(sh->unit), "%s", unit);
	else if (*unit)
		snprintf(sh->unit, sizeof(sh->unit), "%s%s", prefix[i], unit);
	else
		snprintf(sh->unit, sizeof(sh->unit), "\xc3\x97" "10^%zu",
			 3 * i);
}

static struct shown unit_shown(const char *unit, double max_abs)
{
	struct shown sh = { 1, "", NULL };
	size_t f, i = 0;

	for (f = 0; f < sizeof(families) / sizeof(families[0]); f++) {
		const struct unit_family *fam = &families[f];

		for (i = 0; i < 5 && fam->unit[i]; i++)
			if (!strcmp(fam->unit[i], unit))
				break;
		if (i < 5 && fam->unit[i])
			break;
	}
	if (f == sizeof(families) / sizeof(families[0])) {
		unit_generic(&sh, unit, max_abs);
		return sh;
	}
	sh.quantity = families[f].quantity;
	while (i + 1 < 5 && families[f].unit[i + 1] &&
	       max_abs / (sh.divisor * families[f].step) >= 1) {
		sh.divisor *= families[f].step;
		i++;
	}
	while (i > 0 && max_abs > 0 && max_abs / sh.divisor < 1) {
		sh.divisor /= families[f].step;
		i--;
	}
	snprintf(sh.unit, sizeof(sh.unit), "%s", !strcmp(families[f].unit[i],
		 "us") ? "\xc2\xb5s" : families[f].unit[i]);
	return sh;
}

/* The number printed on a bar: three significant digits, but never
 * exponent notation for big values (1234567 stays 1234567). */
static void label_text(char *buf, size_t size, double v)
{
	if (fabs(v) >= 1000)
		snprintf(buf, size, "%.0f", v);
	else if (v != 0 && fabs(v) < 0.001)
		snprintf(buf, size, "%.2g", v);
	else
		snprintf(buf, size, "%.3g", v);
}

static const struct group *fig_group(const struct fig *f, size_t i)
{
	return &f->r->ds->groups[f->d.groups[i]];
}

static const struct summary *fig_sum(const struct fig *f, size_t i)
{
	return &f->r->sums[f->d.groups[i]];
}

/* "time (ms), lower is better": the y axis of the figure's groups. */
static char *ylabel_text(const struct shown *sh, const struct fig *f)
{
	static const char *const generic[] = {
		"bytes", "seconds", "value", "kflops", "req_per_s", "rate",
		"cycles", "total_ms", "real", NULL
	};
	const struct dims *d = &f->d;
	const struct group *g = fig_group(f, 0);
	size_t metric = strcmp(d->name[0], "benchmark") ? 0 : 1;
	const char *what = sh->quantity;
	const char *better = g->better == BETTER_LOWER ? ", lower is better" :
			     g->better == BETTER_HIGHER ?
			     ", higher is better" : "";
	char buf[512];

	/* A lone metric with a telling name (min_mem) says more than the
	 * quantity of its unit (size); "bytes" or "seconds" do not. */
	if (plot_dims_count(d, metric) == 1 &&
	    !plot_is_one_of(plot_dims_value(d, 0, metric), generic))
		what = plot_dims_value(d, 0, metric);
	if (!what && *sh->unit && strchr(fig_group(f, 0)->unit, '/') == NULL)
		what = sh->unit;	/* "cycles", "pages": the unit says it */
	if (!what || !*what)
		what = "value";
	if (!*sh->unit || !strcmp(what, sh->unit))
		snprintf(buf, sizeof(buf), "%s%s", what, better);
	else
		snprintf(buf, sizeof(buf), "%s (%s)%s", what, sh->unit, better);
	return plot_text_clean(buf);
}

/* Default title: the benchmark, and the metric when there is one. */
static char *title_text(const struct fig *f)
{
	const struct dataset *ds = f->r->ds;
	const char *b = plot_key_of(ds, fig_group(f, 0), "benchmark");
	char buf[1024];

	if (f->opt->title)
		snprintf(buf, sizeof(buf), "%s", f->opt->title);
	else if (plot_dims_count(&f->d, 0) == 1 &&
		 strcmp(f->d.name[0], "benchmark"))
		snprintf(buf, sizeof(buf), "%s: %s", b,
			 plot_dims_value(&f->d, 0, 0));
	else
		snprintf(buf, sizeof(buf), "%s", b);
	return plot_text_clean(buf);
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

/* The chart's cluster and key names, cleaned for drawing. */
static void chart_names(struct strvec *out, const struct strvec *in)
{
	size_t i;
	char *c;

	for (i = 0; i < in->n; i++) {
		c = plot_text_clean(in->v[i]);
		plot_strvec_push(out, c, strlen(c));
		free(c);
	}
}

/* Cells of the cluster x series grid that no group fills. */
static void chart_missing(struct chart *ch, const struct layout *lo,
			  size_t n_groups, const char *why)
{
	size_t nc = lo->clusters.n, ns = ch->n_slots, i;
	unsigned char *has;

	if (ns < 2)
		return;
	has = xcalloc(nc * ns, 1);
	for (i = 0; i < n_groups; i++)
		has[lo->cl[i] * ns + lo->se[i]] = 1;
	ch->missing = xcalloc(nc * ns, sizeof(*ch->missing));
	for (i = 0; i < nc * ns; i++)
		if (!has[i])
			ch->missing[ch->n_missing++] = i;
	if (ch->n_missing)
		plot_strvec_push(&ch->notes, why, strlen(why));
	free(has);
}

/* Lay the chart out and write the frame; f gets the canvas size. */
static void frame_out(struct script *sc, struct fig *f, struct frame *fr,
		      struct chart *ch, int default_h)
{
	plot_frame_layout(fr, ch, f->opt, default_h);
	f->width = fr->w;
	f->height = fr->h;
	plot_frame_write(sc, fr);
	sc_number(sc, "fig_nc", (double)(ch->clusters.n ? ch->clusters.n : 1));
}

/* Where a bar starts on the frame's axis: its base, or the bottom of a
 * log axis when the base cannot be shown. */
static double bar_base(const struct frame *fr, double base)
{
	if ((fr->y.scale == AXIS_LOG10 || fr->y.scale == AXIS_LOG2) &&
	    !(base > 0))
		return fr->y.lo;
	return base;
}

/* An error bar end kept on the axis. */
static double clamp(const struct frame *fr, double v)
{
	return fmax(fr->y.lo, fmin(fr->y.hi, v));
}

/* ---- bars, imagesize, stream, perplatform ------------------------------------ */

/* The unit of a bars figure. Over more than two decades (a log axis)
 * it is the one of the middle value, not of the largest: latencies of
 * 0.3 ms next to a run of 18 s read better in ms. */
static struct shown bars_unit(const struct fig *f)
{
	double max_abs = 0, min_abs = 0, m;
	size_t i;

	for (i = 0; i < f->d.n_groups; i++) {
		m = fabs(fig_sum(f, i)->mean);
		max_abs = fmax(max_abs, m);
		if (m > 0 && (min_abs == 0 || m < min_abs))
			min_abs = m;
	}
	return unit_shown(fig_group(f, 0)->unit, min_abs > 0 &&
			  max_abs > 100 * min_abs ? sqrt(min_abs * max_abs) :
			  max_abs);
}

/* $bars, and $runs for perplatform, in the unit of divisor dv. */
static void bars_write(struct script *sc, const struct fig *f,
		       const struct layout *lo, const struct frame *fr,
		       double dv)
{
	double elo, ehi;
	size_t i, j;
	int has;

	plot_sc_printf(sc, "$bars << EOD\n");
	for (i = 0; i < f->d.n_groups; i++) {
		const struct summary *s = fig_sum(f, i);

		has = error_bar(s, f->opt->errorbars, &elo, &ehi);
		plot_sc_printf(sc, "%zu %zu %.17g %.17g %.17g %d\n", lo->cl[i],
			       lo->se[i], s->mean / dv, clamp(fr, elo / dv),
			       clamp(fr, ehi / dv), has);
	}
	plot_sc_printf(sc, "EOD\n");
	if (f->kind != KIND_PERPLATFORM)
		return;
	plot_sc_printf(sc, "$runs << EOD\n");
	for (i = 0; i < f->d.n_groups; i++) {
		const struct group *g = fig_group(f, i);

		for (j = 0; j < g->n; j++)
			plot_sc_printf(sc, "%zu %zu %.17g %.17g\n", lo->cl[i],
				       lo->se[i], g->values[j] / dv,
				       load_group_run(g, j));
	}
	plot_sc_printf(sc, "EOD\n");
}

static void build_bars(struct script *sc, struct fig *f)
{
	struct layout lo;
	struct chart ch;
	struct frame fr;
	struct shown sh = bars_unit(f);
	double elo, ehi, dv = sh.divisor, end;
	char label[64];
	size_t i, j;

	memset(&ch, 0, sizeof(ch));
	plot_layout_build(&lo, &f->d, (size_t)-1, 0);
	chart_names(&ch.clusters, &lo.clusters);
	if (lo.series.n > 1)
		chart_names(&ch.keys, &lo.series);
	ch.n_slots = lo.series.n;
	ch.kind_axis = -1;
	ch.from_zero = 1;
	for (i = 0; i < f->d.n_groups; i++) {
		const struct summary *s = fig_sum(f, i);
		const struct group *g = fig_group(f, i);

		(void)error_bar(s, f->opt->errorbars, &elo, &ehi);
		plot_extent_add(&ch.ext, s->mean / dv);
		end = s->mean >= 0 ? fmax(s->mean, ehi) : fmin(s->mean, elo);
		for (j = 0; f->kind == KIND_PERPLATFORM && j < g->n; j++) {
			plot_extent_add(&ch.ext, g->values[j] / dv);
			end = s->mean >= 0 ? fmax(end, g->values[j]) :
			      fmin(end, g->values[j]);
		}
		label_text(label, sizeof(label), s->mean / dv);
		plot_chart_bar(&ch, lo.cl[i], lo.se[i], 0, end / dv, label);
	}
	chart_missing(&ch, &lo, f->d.n_groups, "n/a: no data for that series "
		      "in this category");
	ch.title = title_text(f);
	ch.ylabel = ylabel_text(&sh, f);
	frame_out(sc, f, &fr, &ch, PLOT_HEIGHT);
	sc_number(sc, "fig_ns", (double)ch.n_slots);
	sc_number(sc, "fig_base", bar_base(&fr, 0));
	bars_write(sc, f, &lo, &fr, dv);
	sc_load(sc, f);
	plot_frame_release(&fr);
	plot_chart_release(&ch);
	plot_layout_release(&lo);
}

/* ---- boot: stacked bars ---------------------------------------------------- */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Components of a stacked bar: the metrics but the total ones, in
 * alphabetical order from the base up, as EuroSys'21 stacks fig. 10
 * (guest, then VMM) and fig. 14 (alloc at the base ... virtio on top). */
static void boot_components(const struct dims *d, size_t mk,
			    struct strvec *comps)
{
	const struct strvec *m = &d->distinct[mk];
	size_t i;

	memset(comps, 0, sizeof(*comps));
	for (i = 1; i < m->n; i++)
		if (strncmp(m->v[i], "total", 5))
			(void)plot_strvec_intern(comps, m->v[i],
						 strlen(m->v[i]));
	if (comps->n > 1)
		qsort(comps->v, comps->n, sizeof(*comps->v), cmp_str);
}

/* "vmm_ms" is shown as "vmm": the unit is on the axis. */
static void component_names(struct strvec *out, const struct strvec *comps,
			     const char *unit)
{
	size_t i, n, u = strlen(unit);
	char *c;

	for (i = 0; i < comps->n; i++) {
		c = plot_text_clean(comps->v[i]);
		n = strlen(c);
		if (u && n > u + 1 && c[n - u - 1] == '_' &&
		    !strcmp(c + n - u, unit))
			n -= u + 1;
		plot_strvec_push(out, c, n);
		free(c);
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

/*
 * When the data has a total metric, the components stacked are the
 * largest set whose means add up to it (within 2%) in every bar: bench
 * boot also reports milestones (first_output_ms, exit_ms) that are not
 * parts of total_ms = vmm_ms + guest_ms. Keeps that set in st->comps
 * and st->part; returns -1 when no two components add up (the metrics
 * are then drawn side by side, not stacked).
 */
static int stack_parts(struct stack *st, const struct fig *f, size_t n_cl)
{
	size_t nk = st->comps.n, c, j, k, best_n = 0;
	unsigned long mask, best = 0;
	double *part;

	for (c = 0; c < n_cl; c++)
		if (!st->total[c])
			return 0;	/* no total: every metric is a part */
	if (nk > 16)
		return -1;
	for (mask = 1; mask < 1UL << nk; mask++) {
		size_t bits = 0;

		for (j = 0; j < nk; j++)
			bits += mask >> j & 1;
		if (bits < 2 || bits <= best_n)
			continue;
		for (c = 0; c < n_cl; c++) {
			double sum = 0, t = fig_sum(f, st->total[c] - 1)->mean;

			for (j = 0; j < nk; j++)
				if (mask >> j & 1)
					sum += st->part[c * nk + j];
			if (fabs(sum - t) > 0.02 * fabs(t))
				break;
		}
		if (c == n_cl) {
			best = mask;
			best_n = bits;
		}
	}
	if (!best)
		return -1;
	part = xcalloc(n_cl * (best_n + 1), sizeof(*part));
	for (c = 0; c < n_cl; c++)
		for (j = 0, k = 0; j < nk; j++)
			if (best >> j & 1)
				part[c * best_n + k++] = st->part[c * nk + j];
	for (j = 0, k = 0; j < nk; j++) {
		if (best >> j & 1)
			st->comps.v[k++] = st->comps.v[j];
		else
			free(st->comps.v[j]);
	}
	st->comps.n = best_n;
	free(st->part);
	st->part = part;
	return 0;
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

static void stack_release(struct stack *st)
{
	plot_strvec_release(&st->comps);
	plot_layout_release(&st->lo);
	free(st->part);
	free(st->total);
}

/* $stack: each bar's total, its error bar and its parts. */
static void stack_write(struct script *sc, const struct stack *st,
			const struct fig *f, const struct frame *fr, double dv)
{
	double lo, hi, t;
	size_t c, j, nk = st->comps.n;
	int has;

	plot_sc_printf(sc, "$stack << EOD\n");
	for (c = 0; c < st->lo.clusters.n; c++) {
		t = stack_total(st, f, c, &lo, &hi, &has) / dv;
		plot_sc_printf(sc, "%zu %.17g %.17g %.17g %d", c, t,
			       clamp(fr, lo / dv), clamp(fr, hi / dv), has);
		for (j = 0; j < nk; j++)
			plot_sc_printf(sc, " %.17g", st->part[c * nk + j] / dv);
		plot_sc_printf(sc, "\n");
	}
	plot_sc_printf(sc, "EOD\n");
}

static void build_boot(struct script *sc, struct fig *f)
{
	struct stack st;
	struct chart ch;
	struct frame fr;
	struct shown sh;
	double max_abs = 0, lo, hi, t, dv;
	char label[64];
	size_t c, j, n;
	int has;

	memset(&ch, 0, sizeof(ch));
	stack_build(&st, f, strcmp(f->d.name[0], "metric") ? 1 : 0);
	n = st.lo.clusters.n;
	if (stack_parts(&st, f, n) != 0) {
		stack_release(&st);
		f->kind = KIND_BARS;
		build_bars(sc, f);
		return;
	}
	for (c = 0; c < n; c++)
		max_abs = fmax(max_abs, fabs(stack_total(&st, f, c, &lo, &hi,
							 &has)));
	sh = unit_shown(fig_group(f, 0)->unit, max_abs);
	dv = sh.divisor;
	chart_names(&ch.clusters, &st.lo.clusters);
	component_names(&ch.keys, &st.comps, fig_group(f, 0)->unit);
	if (ch.keys.n < 2)
		plot_strvec_release(&ch.keys);
	ch.n_slots = 1;
	ch.kind_axis = -1;
	ch.from_zero = 1;
	ch.stacked = 1;
	for (c = 0; c < n; c++) {
		t = stack_total(&st, f, c, &lo, &hi, &has) / dv;
		plot_extent_add(&ch.ext, t);
		for (j = 0; j < st.comps.n; j++)
			plot_extent_add(&ch.ext, st.part[c * st.comps.n + j] /
					dv);
		if (c == 0 || t < ch.ext.min_bar)
			ch.ext.min_bar = t;
		label_text(label, sizeof(label), t);
		plot_chart_bar(&ch, c, 0, 0, fmax(t, hi / dv), label);
	}
	ch.title = title_text(f);
	ch.ylabel = ylabel_text(&sh, f);
	frame_out(sc, f, &fr, &ch, PLOT_HEIGHT);
	sc_number(sc, "fig_nk", (double)st.comps.n);
	stack_write(sc, &st, f, &fr, dv);
	sc_load(sc, f);
	plot_frame_release(&fr);
	plot_chart_release(&ch);
	stack_release(&st);
}

/* ---- ratio ------------------------------------------------------------------ */

/*
 * ratio: each comparison's ratio of means with its Fieller interval, on
 * a log2 axis, oriented so that up is always worse than the baseline:
 * a time's ratio as it is, a rate's inverted (2x less throughput is up,
 * like 2x more time). The dims hold the comparisons' "other" groups in
 * the order of cmp_of.
 */
/* y[0..2]: the ratio of c and its interval, up being worse: a rate's
 * (higher is better) inverted; the interval is the ratio itself when
 * there is none (n = 1) or it is unbounded. */
static void ratio_oriented(const struct comparison *c, const struct group *g,
			   double *y)
{
	const struct ratio_ci *q = &c->ratio;
	int inv = g->better == BETTER_HIGHER;
	int has = q->has_ci && q->is_bounded && q->lo > 0;

	y[0] = inv ? 1 / q->ratio : q->ratio;
	y[1] = !has ? y[0] : inv ? 1 / q->hi : q->lo;
	y[2] = !has ? y[0] : inv ? 1 / q->lo : q->hi;
}

static void build_ratio(struct script *sc, struct fig *f, const size_t *cmp_of)
{
	const struct dataset *ds = f->r->ds;
	const struct group *base = &ds->groups[f->r->cmps[cmp_of[0]].baseline];
	const char *bname = load_factor(ds, base);
	struct layout lo;
	struct chart ch;
	struct frame fr;
	char label[96], buf[512];
	double *y = xcalloc(f->d.n_groups * 3, sizeof(*y));
	size_t i;

	memset(&ch, 0, sizeof(ch));
	plot_layout_build(&lo, &f->d, (size_t)-1, 0);
	chart_names(&ch.clusters, &lo.clusters);
	if (lo.series.n > 1)
		chart_names(&ch.keys, &lo.series);
	ch.n_slots = lo.series.n;
	ch.kind_axis = AXIS_LOG2;
	ch.from_zero = 1;
	ch.base = 1;
	for (i = 0; i < f->d.n_groups; i++) {
		const struct comparison *c = &f->r->cmps[cmp_of[i]];

		ratio_oriented(c, fig_group(f, i), y + 3 * i);
		plot_extent_add(&ch.ext, y[3 * i]);
		cmp_wording(c, &ds->groups[c->baseline], label, sizeof(label));
		label[strcspn(label, "(")] = '\0';	/* bars are narrow */
		if (*label && label[strlen(label) - 1] == ' ')
			label[strlen(label) - 1] = '\0';
		plot_chart_bar(&ch, lo.cl[i], lo.se[i], 1, y[3 * i] >= 1 ?
			       y[3 * i + 2] : y[3 * i + 1], label);
	}
	snprintf(buf, sizeof(buf), "n/a: no ratio (that platform has no group "
		 "with %s's key, e.g. another config, or its mean is 0)",
		 bname);
	chart_missing(&ch, &lo, f->d.n_groups, buf);
	snprintf(buf, sizeof(buf), "times worse than %s (log scale; up is "
		 "worse)", bname);
	ch.ylabel = plot_text_clean(buf);
	if (f->opt->title)
		snprintf(buf, sizeof(buf), "%s", f->opt->title);
	else
		snprintf(buf, sizeof(buf), "each %s against %s",
			 ds->key_cols[ds->factor_index], bname);
	ch.title = plot_text_clean(buf);
	frame_out(sc, f, &fr, &ch, PLOT_HEIGHT_RATIO);
	sc_number(sc, "fig_ns", (double)ch.n_slots);
	sc_number(sc, "fig_base", 1);
	sc_number(sc, "fig_baseline", 1);
	plot_sc_printf(sc, "$bars << EOD\n");
	for (i = 0; i < f->d.n_groups; i++)
		plot_sc_printf(sc, "%zu %zu %.17g %.17g %.17g %d\n", lo.cl[i],
			       lo.se[i], y[3 * i], clamp(&fr, y[3 * i + 1]),
			       clamp(&fr, y[3 * i + 2]),
			       y[3 * i + 1] != y[3 * i + 2]);
	plot_sc_printf(sc, "EOD\n");
	sc_load(sc, f);
	free(y);
	plot_frame_release(&fr);
	plot_chart_release(&ch);
	plot_layout_release(&lo);
}

/* ---- dist ------------------------------------------------------------------- */

/* dist: every run as a point over a box of the quartiles with whiskers to
 * min and max (templates/dist.gp). */
static void build_dist(struct script *sc, struct fig *f)
{
	struct layout lo;
	struct chart ch;
	struct frame fr;
	struct shown sh;
	double max_abs = 0, dv;
	size_t i, j;

	memset(&ch, 0, sizeof(ch));
	plot_layout_build(&lo, &f->d, (size_t)-1, 1);
	for (i = 0; i < f->d.n_groups; i++)
		max_abs = fmax(max_abs, fmax(fabs(fig_sum(f, i)->max),
					     fabs(fig_sum(f, i)->min)));
	sh = unit_shown(fig_group(f, 0)->unit, max_abs);
	dv = sh.divisor;
	chart_names(&ch.clusters, &lo.clusters);
	ch.n_slots = 1;
	ch.kind_axis = -1;
	for (i = 0; i < f->d.n_groups; i++) {
		const struct group *g = fig_group(f, i);

		for (j = 0; j < g->n; j++)
			plot_extent_add(&ch.ext, g->values[j] / dv);
	}
	ch.title = title_text(f);
	ch.ylabel = ylabel_text(&sh, f);
	frame_out(sc, f, &fr, &ch, PLOT_HEIGHT);
	sc_number(sc, "fig_bw", 0.5);
	plot_sc_printf(sc, "$box << EOD\n");
	for (i = 0; i < f->d.n_groups; i++) {
		const struct summary *s = fig_sum(f, i);

		plot_sc_printf(sc, "%zu %.17g %.17g %.17g %.17g %.17g %.17g "
			       "%zu\n", lo.cl[i], s->min / dv, s->q1 / dv,
			       s->median / dv, s->q3 / dv, s->max / dv,
			       s->mean / dv, s->n);
	}
	plot_sc_printf(sc, "EOD\n$runs << EOD\n");
	for (i = 0; i < f->d.n_groups; i++) {
		const struct group *g = fig_group(f, i);

		for (j = 0; j < g->n; j++)
			plot_sc_printf(sc, "%zu 0 %.17g %.17g\n", lo.cl[i],
				       g->values[j] / dv,
				       load_group_run(g, j));
	}
	plot_sc_printf(sc, "EOD\n");
	sc_load(sc, f);
	plot_frame_release(&fr);
	plot_chart_release(&ch);
	plot_layout_release(&lo);
}

void plot_build(struct script *sc, struct fig *f, const size_t *cmp_of)
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
