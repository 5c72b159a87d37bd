/*
 * plot_axis: the value axis of a figure, decided from the data: linear,
 * logarithmic (base 10, or 2 for ratios) or symmetric-logarithmic
 * (linear near zero, logarithmic beyond, as matplotlib's "symlog" and
 * EuroSys'21 fig. 10), its range and its ticks with their labels. The
 * frame (plot_frame.c) maps values to pixels with plot_axis_t, the same
 * mapping templates/frame.gp gives gnuplot. Pure computation.
 */
#include "plot_priv.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* The axis coordinate of v: what is linear in pixels. */
double plot_axis_t(const struct axis *a, double v)
{
	double m = fabs(v);

	switch (a->scale) {
	case AXIS_LOG10:
		return log10(v > 0 ? v : a->lo);
	case AXIS_LOG2:
		return log2(v > 0 ? v : a->lo);
	case AXIS_SYMLOG:
		if (m <= a->thresh)
			return v / a->thresh;
		return (v < 0 ? -1 : 1) * (1 + log10(m / a->thresh));
	default:
		return v;
	}
}

double plot_axis_inv(const struct axis *a, double t)
{
	switch (a->scale) {
	case AXIS_LOG10:
		return pow(10, t);
	case AXIS_LOG2:
		return pow(2, t);
	case AXIS_SYMLOG:
		if (fabs(t) <= 1)
			return t * a->thresh;
		return (t < 0 ? -1 : 1) * a->thresh * pow(10, fabs(t) - 1);
	default:
		return t;
	}
}

/* 10^p as "0.001" .. "10000" when plain, else "10⁵" with superscript
 * digits (noenhanced text cannot raise them). */
static void power_label(char *buf, size_t size, int p, int plain)
{
	static const char *const sup[] = {
		"\xe2\x81\xb0", "\xc2\xb9", "\xc2\xb2", "\xc2\xb3",
		"\xe2\x81\xb4", "\xe2\x81\xb5", "\xe2\x81\xb6",
		"\xe2\x81\xb7", "\xe2\x81\xb8", "\xe2\x81\xb9"
	};
	char digits[16];
	size_t i, len;

	if (plain) {
		snprintf(buf, size, "%.*f", p < 0 ? -p : 0, pow(10, p));
		return;
	}
	snprintf(buf, size, "10%s", p < 0 ? "\xe2\x81\xbb" : "");
	snprintf(digits, sizeof(digits), "%d", p < 0 ? -p : p);
	for (i = 0; digits[i]; i++) {
		len = strlen(buf);
		snprintf(buf + len, size - len, "%s", sup[digits[i] - '0']);
	}
}

static void add_tick(struct axis *a, double v, const char *label)
{
	if (a->n_ticks == PLOT_MAX_TICKS)
		return;
	a->tick[a->n_ticks] = v;
	snprintf(a->label[a->n_ticks], sizeof(a->label[0]), "%s", label);
	a->n_ticks++;
}

/* Linear ticks 1, 2, 2.5 or 5 times a power of ten apart, at least
 * min_gap of axis coordinate apart. */
static void linear_ticks(struct axis *a, double lo, double hi, double min_gap)
{
	static const double steps[] = { 1, 2, 2.5, 5, 10 };
	double mag = pow(10, floor(log10(min_gap))), step = 0, v;
	int decimals;
	size_t i;
	char buf[32];

	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++)
		if (steps[i] * mag >= min_gap) {
			step = steps[i] * mag;
			break;
		}
	decimals = (int)fmax(0, -floor(log10(step) + 1e-9));
	if (fabs(step / pow(10, -decimals) - round(step / pow(10, -decimals)))
	    > 1e-6)
		decimals++;	/* 2.5, 0.25 */
	for (v = ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9;
	     v += step) {
		if (fabs(v) < step * 1e-9)
			v = 0;
		snprintf(buf, sizeof(buf), "%.*f", decimals, v);
		add_tick(a, v, buf);
	}
}

/* Ticks at powers of base; the minor ticks 2..9 between decades when a
 * decade is tall enough for them (base 10). One form for all the labels
 * of an axis: decimals from 0.001 to 10000, else powers of ten. */
static void log_ticks(struct axis *a, double t_lo, double t_hi,
		      double px_per_unit, double min_gap_px)
{
	int base = a->scale == AXIS_LOG2 ? 2 : 10;
	int every = (int)fmax(1, ceil(min_gap_px / px_per_unit));
	int p, m, plain = floor(t_lo) >= -3 && ceil(t_hi) <= 4;
	char buf[32];

	for (p = (int)floor(t_lo); p <= (int)ceil(t_hi); p++) {
		double v = pow(base, p);

		if (p % every == 0 && p >= t_lo - 1e-9 && p <= t_hi + 1e-9) {
			if (base == 2)
				snprintf(buf, sizeof(buf), p >= 0 ? "%.0f" :
					 "1/%.0f", p >= 0 ? v : 1 / v);
			else
				power_label(buf, sizeof(buf), p, plain);
			add_tick(a, v, buf);
		}
		if (base != 10 || px_per_unit < 60 || every > 1)
			continue;
		for (m = 2; m <= 9; m++) {
			double t = p + log10(m);

			if (t >= t_lo && t <= t_hi)
				add_tick(a, m * v, "");
		}
	}
}

/* Ticks of a symlog axis: 0, then ±thresh times powers of ten. */
static void symlog_ticks(struct axis *a, double t_lo, double t_hi,
			 double px_per_unit, double min_gap_px)
{
	int every = (int)fmax(1, ceil(min_gap_px / px_per_unit));
	int p0 = (int)floor(log10(a->thresh) + 1e-9), k, sign;
	double t_max = fmax(fabs(t_lo), fabs(t_hi));
	int plain = p0 >= -3 && p0 + (int)ceil(t_max) - 1 <= 4;
	char buf[32];

	if (t_lo <= 0 && t_hi >= 0)
		add_tick(a, 0, "0");
	for (sign = -1; sign <= 1; sign += 2)
		for (k = 0; k <= 400; k++) {
			double t = sign * (1 + k);

			if ((sign > 0 && t > t_hi + 1e-9) ||
			    (sign < 0 && t < t_lo - 1e-9))
				break;
			/* Every every-th decade, counted from 0 (which has a
			 * tick of its own) so that the first is far enough. */
			if (t < t_lo - 1e-9 || t > t_hi + 1e-9 ||
			    (k + 1) % every)
				continue;
			power_label(buf + 1, sizeof(buf) - 1, p0 + k, plain);
			buf[0] = '-';
			add_tick(a, plot_axis_inv(a, sign * (double)k + sign),
				 sign < 0 ? buf : buf + 1);
		}
}

/*
 * Ticks for an axis len_px long, labels at least min_gap_px apart (a
 * line of tick text): fills a->tick and a->label from a->lo, a->hi.
 */
void plot_axis_ticks(struct axis *a, double len_px, double min_gap_px)
{
	double t_lo = plot_axis_t(a, a->lo), t_hi = plot_axis_t(a, a->hi);
	double ppu = len_px / (t_hi > t_lo ? t_hi - t_lo : 1);

	a->n_ticks = 0;
	if (a->scale == AXIS_LINEAR)
		linear_ticks(a, a->lo, a->hi, fmax(min_gap_px * 1.6, 40) / ppu);
	else if (a->scale == AXIS_SYMLOG)
		symlog_ticks(a, t_lo, t_hi, ppu, min_gap_px);
	else
		log_ticks(a, t_lo, t_hi, ppu, min_gap_px);
}

/*
 * The scale for values spanning e: logarithmic when the positive values
 * span more than two decades (base 10; the ratio kind forces base 2),
 * symmetric-logarithmic when such a span includes zero or negative
 * values, else linear. stacked: bars made of parts from zero, where a
 * bar a tenth of the longest already squeezes its parts into a tenth
 * of the axis: symlog from one decade, linear up to the decade below
 * the shortest bar (EuroSys'21 fig. 10: 0 to 1 ms linear).
 */
void plot_axis_choose(struct axis *a, const struct extent *e, int stacked)
{
	double span;

	memset(a, 0, sizeof(*a));
	a->scale = AXIS_LINEAR;
	if (!(e->max_abs > 0) || !(e->min_abs_nonzero > 0))
		return;
	span = e->max_abs / e->min_abs_nonzero;
	if (stacked) {
		if (e->max_abs > 10 * e->min_bar && e->min_bar > 0) {
			a->scale = AXIS_SYMLOG;
			a->thresh = pow(10, floor(log10(e->min_bar)));
		}
		return;
	}
	if (span <= 100)
		return;
	if (e->min > 0) {
		a->scale = AXIS_LOG10;
		return;
	}
	/* At most six decades of log: what lies below is near zero on a
	 * figure anyway, and drawn on the linear part. */
	a->scale = AXIS_SYMLOG;
	a->thresh = pow(10, floor(log10(fmax(e->min_abs_nonzero,
					     e->max_abs / 1e6))));
}

void plot_extent_add(struct extent *e, double v)
{
	if (!isfinite(v))
		return;
	if (!e->n) {
		e->min = e->max = v;
	}
	e->min = fmin(e->min, v);
	e->max = fmax(e->max, v);
	e->max_abs = fmax(e->max_abs, fabs(v));
	if (v != 0 && (e->min_abs_nonzero == 0 ||
		       fabs(v) < e->min_abs_nonzero))
		e->min_abs_nonzero = fabs(v);
	e->n++;
}
