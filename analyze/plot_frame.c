/*
 * plot_frame: where everything of a category chart goes. Given the
 * clusters, series, bars and notes a kind asks for (struct chart), picks
 * the canvas size (grown with the number of categories and series), the
 * plot area, the value axis (plot_axis.c) and the place, size and angle
 * of every text: title, axis label, tick labels, category labels
 * (wrapped, slanted, or abbreviated with a key), value labels, the
 * legend and the notes under the figure. Texts are measured with the
 * body font's own widths (plot_text.c) and placed so that none overlaps
 * another, covers a bar or leaves the canvas; gnuplot only draws them
 * where this file says (templates/frame.gp).
 */
#include "plot_priv.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

#define PAD 8.0		/* canvas edge to any text */
#define GAP 4.0		/* between neighbouring texts */
#define TITLE_PX 13.0
#define BODY_PX 12.0	/* axis and tick labels, category labels */
#define KEY_PX 11.0
#define VALUE_PX 10.0
#define NOTE_PX 10.0
#define TICK_PX 5.0	/* tick marks, outside the plot area */
#define MIN_PLOT_PX 180.0
#define SIN45 0.70710678118654752

static double lh(double px)
{
	return px * PLOT_LINE_EM;
}

/* ---- the frame's texts ----------------------------------------------- */

static void add_text(struct frame *fr, double x, double y, double angle,
		     int align, double px, const char *s)
{
	struct ftext *t;

	if (!*s)
		return;
	if (fr->n_texts == fr->cap_texts) {
		fr->cap_texts = fr->cap_texts ? 2 * fr->cap_texts : 32;
		fr->texts = xreallocarray(fr->texts, fr->cap_texts,
					  sizeof(*fr->texts));
	}
	t = &fr->texts[fr->n_texts++];
	t->x = x;
	t->y = y;
	t->angle = angle;
	t->align = align;
	t->font_px = px;
	t->str = plot_strvec_intern(&fr->strs, s, strlen(s));
}

static void add_key(struct frame *fr, double x, double y, double w, double h,
		    size_t colour)
{
	struct fkey *k;

	if (fr->n_keys == fr->cap_keys) {
		fr->cap_keys = fr->cap_keys ? 2 * fr->cap_keys : 8;
		fr->keys = xreallocarray(fr->keys, fr->cap_keys,
					 sizeof(*fr->keys));
	}
	k = &fr->keys[fr->n_keys++];
	k->x = x;
	k->y = y;
	k->w = w;
	k->h = h;
	k->colour = colour;
}

void plot_frame_release(struct frame *fr)
{
	plot_strvec_release(&fr->strs);
	free(fr->texts);
	free(fr->keys);
	memset(fr, 0, sizeof(*fr));
}

/* Lines of s wrapped to max_px, at most max_lines, the last one cut
 * with an ellipsis when even that many do not hold it. */
static void wrap_or_cut(const char *s, double max_px, double px,
			size_t max_lines, struct strvec *out)
{
	size_t n;
	char *cut;

	for (n = 1; n <= max_lines; n++)
		if (plot_text_wrap(s, max_px, px, n, out) == 0)
			return;
	if (plot_text_wrap(s, max_px, px, 64, out) == 0 && out->n > max_lines) {
		while (out->n > max_lines) {
			free(out->v[--out->n]);
		}
		cut = xmalloc(strlen(out->v[max_lines - 1]) + 8);
		sprintf(cut, "%s \xe2\x80\xa6", out->v[max_lines - 1]);
		free(out->v[max_lines - 1]);
		out->v[max_lines - 1] = plot_text_ellipsis(cut, max_px, px);
		free(cut);
		return;
	}
	plot_strvec_release(out);
	cut = plot_text_ellipsis(s, max_px, px);
	plot_strvec_push(out, cut, strlen(cut));
	free(cut);
}

/* ---- category labels ---------------------------------------------------- */

enum xmode { X_FLAT, X_SLANT, X_UPRIGHT };

struct xlab {
	enum xmode mode;
	struct strvec *lines;	/* per cluster, X_FLAT */
	struct strvec names;	/* per cluster: the text drawn */
	size_t every;		/* a label at every k-th cluster */
	double height;		/* below the plot area */
	int abbreviated;	/* names are "A", "B", ...: notes say what */
};

static void xlab_release(struct xlab *x, size_t nc)
{
	size_t i;

	if (x->lines)
		for (i = 0; i < nc; i++)
			plot_strvec_release(&x->lines[i]);
	free(x->lines);
	plot_strvec_release(&x->names);
	memset(x, 0, sizeof(*x));
}

/* "A" .. "Z", "AA" .. : the short name of cluster i. */
static void abbrev(char *buf, size_t size, size_t i)
{
	char tmp[16];
	size_t n = 0, k;

	do {
		tmp[n++] = (char)('A' + i % 26);
		i = i / 26;
	} while (i-- > 0 && n < sizeof(tmp));
	for (k = 0; k < n && k + 1 < size; k++)
		buf[k] = tmp[n - 1 - k];
	buf[k] = '\0';
}

static double max_width(const struct strvec *sv, double px)
{
	double m = 0;
	size_t i;

	for (i = 0; i < sv->n; i++)
		m = fmax(m, plot_text_width(sv->v[i], px));
	return m;
}

/* Try the names as they are in slots slot_px wide, labels rotated no
 * longer than max_rot_px: 0 when one of the modes holds them. */
static int xlab_try(struct xlab *x, double slot_px, double max_rot_px)
{
	double wmax = max_width(&x->names, BODY_PX);
	double h = lh(BODY_PX);
	size_t i, nc = x->names.n, lines = 1;

	x->every = 1;
	x->lines = xcalloc(nc, sizeof(*x->lines));
	for (i = 0; i < nc; i++)
		if (plot_text_wrap(x->names.v[i], slot_px - 3 * GAP, BODY_PX, 3,
				   &x->lines[i]) != 0)
			break;
		else
			lines = lines > x->lines[i].n ? lines : x->lines[i].n;
	if (i == nc) {
		x->mode = X_FLAT;
		x->height = GAP + lines * h;
		return 0;
	}
	for (i = 0; i < nc; i++)
		plot_strvec_release(&x->lines[i]);
	free(x->lines);
	x->lines = NULL;
	if (wmax > max_rot_px)
		return -1;
	if (slot_px * SIN45 >= h + 1) {
		x->mode = X_SLANT;
		x->height = GAP + (wmax + h) * SIN45;
		return 0;
	}
	x->mode = X_UPRIGHT;
	x->height = GAP + wmax;
	/* Upright lines one text height apart need that much per slot. */
	x->every = (size_t)ceil((h + 1) / slot_px);
	return 0;
}

/* Lay out the category labels of ch for slots slot_px wide. */
static void xlab_layout(struct xlab *x, const struct chart *ch,
			double slot_px, double max_rot_px)
{
	size_t i;
	char buf[16];

	memset(x, 0, sizeof(*x));
	for (i = 0; i < ch->clusters.n; i++)
		plot_strvec_push(&x->names, ch->clusters.v[i],
				 strlen(ch->clusters.v[i]));
	if (xlab_try(x, slot_px, max_rot_px) == 0)
		return;
	plot_strvec_release(&x->names);
	for (i = 0; i < ch->clusters.n; i++) {
		abbrev(buf, sizeof(buf), i);
		plot_strvec_push(&x->names, buf, strlen(buf));
	}
	x->abbreviated = 1;
	(void)xlab_try(x, slot_px, 1e9);
}

/* How far left of the plot area the slanted labels reach. */
static double xlab_overhang(const struct xlab *x, double slot_px)
{
	double m = 0, w;
	size_t i;

	if (x->mode != X_SLANT)
		return 0;
	for (i = 0; i < x->names.n; i++) {
		w = (plot_text_width(x->names.v[i], BODY_PX) +
		     lh(BODY_PX) / 2) * SIN45 + 2;
		m = fmax(m, w - (i + 0.5) * slot_px);
	}
	return m;
}

/* ---- the key ------------------------------------------------------------ */

struct keylay {
	struct strvec *lines;	/* per entry */
	double *x, *y;		/* entry's sample box, top left */
	double height;
};

#define KEY_BOX_W 14.0
#define KEY_BOX_H 9.0

static void key_layout(struct keylay *k, const struct chart *ch, double w,
		       double top)
{
	size_t n = ch->keys.n, i, row_start = 0, j;
	double avail = w - 2 * PAD, x = 0, y = top, row_h = 0;
	double *ew;

	memset(k, 0, sizeof(*k));
	if (n == 0)
		return;
	k->lines = xcalloc(n, sizeof(*k->lines));
	k->x = xcalloc(n, sizeof(*k->x));
	k->y = xcalloc(n, sizeof(*k->y));
	ew = xcalloc(n, sizeof(*ew));
	for (i = 0; i < n; i++) {
		wrap_or_cut(ch->keys.v[i], avail - KEY_BOX_W - GAP, KEY_PX, 3,
			    &k->lines[i]);
		ew[i] = KEY_BOX_W + GAP + max_width(&k->lines[i], KEY_PX);
	}
	/* Rows filled left to right, each centred on the canvas. */
	for (i = 0; i <= n; i++) {
		if (i < n && (i == row_start || x + 3 * GAP + ew[i] <= avail)) {
			x += (i == row_start ? 0 : 3 * GAP) + ew[i];
			row_h = fmax(row_h, k->lines[i].n * lh(KEY_PX));
			continue;
		}
		{
			double cx = PAD + (avail - x) / 2;

			for (j = row_start; j < i; j++) {
				k->x[j] = cx;
				k->y[j] = y + (lh(KEY_PX) - KEY_BOX_H) / 2;
				cx += ew[j] + 3 * GAP;
			}
		}
		y += row_h + 2;
		if (i == n)
			break;
		row_start = i;
		x = ew[i];
		row_h = k->lines[i].n * lh(KEY_PX);
	}
	k->height = y - top;
	free(ew);
}

static void key_release(struct keylay *k, size_t n)
{
	size_t i;

	if (k->lines)
		for (i = 0; i < n; i++)
			plot_strvec_release(&k->lines[i]);
	free(k->lines);
	free(k->x);
	free(k->y);
}

/* ---- the value axis and its room for labels ------------------------------ */

struct vlab {
	int mode;		/* 0 none, 1 flat, 2 upright */
	double need_px;		/* beyond a bar's end */
};

/* Value labels: flat when each fits its bar, upright when a line of
 * them does, else none (the numbers are in analyze's table). */
static struct vlab value_labels(const struct chart *ch, double bar_px,
				double slot_px, double plot_h)
{
	struct vlab v = { 0, 0 };
	double wmax = max_width(&ch->labels, VALUE_PX);
	double room = ch->n_slots == 1 ? slot_px - GAP : bar_px - 1;

	if (ch->labels.n == 0)
		return v;
	if (wmax <= room) {
		v.mode = 1;
		v.need_px = lh(VALUE_PX) + 3;
	} else if (lh(VALUE_PX) <= bar_px - 1 && wmax <= plot_h * 0.4) {
		v.mode = 2;
		v.need_px = wmax + 3;
	}
	return v;
}

/* The values the axis must hold: the data, each bar's far end (a log
 * axis only what it can show), the base bars grow from (on a log axis
 * the decade below the smallest value when the base is 0); a single
 * value gets room around it. */
static void data_range(const struct axis *a, const struct chart *ch,
		       double *lo_out, double *hi_out)
{
	int is_log = a->scale == AXIS_LOG10 || a->scale == AXIS_LOG2;
	double lo = ch->ext.min, hi = ch->ext.max, e, b, d;
	size_t i;

	for (i = 0; i < ch->n_bars; i++) {
		e = ch->bars[i].to;
		if (!is_log || e > 0) {
			lo = fmin(lo, e);
			hi = fmax(hi, e);
		}
	}
	if (ch->from_zero && !is_log) {
		lo = fmin(lo, ch->base);
		hi = fmax(hi, ch->base);
	}
	if (is_log && ch->from_zero) {
		b = a->scale == AXIS_LOG2 ? 2 : 10;
		lo = fmin(lo, ch->base > 0 ? ch->base : hi);
		hi = fmax(hi, ch->base > 0 ? ch->base : lo);
		if (ch->base <= 0)
			lo = pow(b, floor(log(lo) / log(b) - 1e-9));
	}
	if (!(hi > lo)) {	/* all equal (or one value) */
		d = lo != 0 ? fabs(lo) * 0.5 : 1;
		if (is_log) {
			lo /= 2;
			hi *= 2;
		} else {
			hi = lo + d;
			lo = (lo == 0 || !ch->from_zero) ? lo - d * (lo != 0) : lo;
			if (lo > 0 && ch->from_zero)
				lo = 0;
		}
	}
	*lo_out = lo;
	*hi_out = hi;
}

/* Range of the axis: the data range, at least one step of a log axis,
 * 5% beyond, and room past each bar's end for its label (need_px of
 * plot_h). */
static void axis_range(struct axis *a, const struct chart *ch,
		       double plot_h, double need_px)
{
	int is_log = a->scale == AXIS_LOG10 || a->scale == AXIS_LOG2;
	int pad_lo;
	double t_lo, t_hi, lo, hi, t_base;
	size_t i, pass;

	data_range(a, ch, &lo, &hi);
	a->lo = lo;
	a->hi = hi;
	t_lo = plot_axis_t(a, lo);
	t_hi = plot_axis_t(a, hi);
	t_base = ch->base > 0 || !is_log ? plot_axis_t(a, ch->base) : t_lo;
	/* Bars sit on the base: no room below it, only below bars that
	 * grow down past it. */
	pad_lo = !ch->from_zero || t_lo < t_base - 1e-12;
	/* A log axis shows at least one step of its base (ratios all near
	 * 1 still get the ticks 1 and 2), grown away from the base. */
	if (is_log && t_hi - t_lo < 1) {
		if (ch->from_zero && ch->base > 0 && t_lo >= t_base - 1e-12)
			t_hi = t_lo + 1;
		else if (ch->from_zero && ch->base > 0)
			t_lo = t_hi - 1;
		else {
			t_lo -= (1 - (t_hi - t_lo)) / 2;
			t_hi = t_lo + 1;
		}
	}
	/* Each end's room depends on the span, which the other end
	 * changes: a few passes. */
	for (pass = 0; pass < 3; pass++) {
		double span = t_hi - t_lo > 0 ? t_hi - t_lo : 1;
		double nt_lo = t_lo, nt_hi = t_hi;

		for (i = 0; i < ch->n_bars; i++) {
			const struct chart_bar *b = &ch->bars[i];
			double f = ((b->label != (size_t)-1 ? need_px : 0) + 2) /
				   plot_h * span;

			if (is_log && b->to <= 0)
				continue;
			if (b->to >= b->from)
				nt_hi = fmax(nt_hi, plot_axis_t(a, b->to) + f);
			else
				nt_lo = fmin(nt_lo, plot_axis_t(a, b->to) - f);
		}
		if (pad_lo)
			nt_lo = fmin(nt_lo, plot_axis_t(a, lo) - 0.05 * span);
		nt_hi = fmax(nt_hi, plot_axis_t(a, hi) + 0.05 * span);
		t_lo = fmin(t_lo, nt_lo);
		t_hi = fmax(t_hi, nt_hi);
	}
	a->lo = plot_axis_inv(a, t_lo);
	a->hi = plot_axis_inv(a, t_hi);
}

static double tick_width(const struct axis *a)
{
	double m = 0;
	size_t i;

	for (i = 0; i < a->n_ticks; i++)
		m = fmax(m, plot_text_width(a->label[i], BODY_PX));
	return m;
}

/* Pixel row of value v. */
static double py(const struct frame *fr, double v)
{
	double t0 = plot_axis_t(&fr->y, fr->y.lo), t1 = plot_axis_t(&fr->y,
								     fr->y.hi);

	return fr->b - (plot_axis_t(&fr->y, v) - t0) / (t1 - t0) *
	       (fr->b - fr->t);
}

/* Pixel column of position x (cluster c's centre is c). */
static double px(const struct frame *fr, size_t nc, double x)
{
	return fr->l + (x + 0.5) / (double)nc * (fr->r - fr->l);
}

/* ---- layout ------------------------------------------------------------- */

struct lay {
	struct xlab x;
	struct keylay key;
	struct strvec title, ylabel, notes;
	struct vlab v;
};

static void lay_release(struct lay *L, const struct chart *ch)
{
	xlab_release(&L->x, ch->clusters.n);
	key_release(&L->key, ch->keys.n);
	plot_strvec_release(&L->title);
	plot_strvec_release(&L->ylabel);
	plot_strvec_release(&L->notes);
	memset(L, 0, sizeof(*L));
}

/* The canvas width that gives each cluster room for its bars and a
 * short label side by side. */
static int natural_width(const struct chart *ch, int w0)
{
	double bar = ch->labels.n ? 14 : 9;
	double share = ch->n_slots > 1 ? 0.8 : 0.6;
	double need = ch->n_slots * bar / share;
	double label = fmin(max_width(&ch->clusters, BODY_PX) + 2 * GAP, 90);
	double w = 90 + 2 * PAD + ch->clusters.n * fmax(need, label);

	if (w < w0)
		return w0;
	return w > PLOT_MAX_WIDTH ? PLOT_MAX_WIDTH : (int)ceil(w);
}

/* One pass: everything from the canvas width and a left margin. */
/* Append s to out wrapped to max_px in the note font. */
static void note_add(struct strvec *out, const char *s, double max_px,
		     size_t max_lines)
{
	struct strvec tmp;
	size_t i;

	wrap_or_cut(s, max_px, NOTE_PX, max_lines, &tmp);
	for (i = 0; i < tmp.n; i++)
		plot_strvec_push(out, tmp.v[i], strlen(tmp.v[i]));
	plot_strvec_release(&tmp);
}

/* The lines under the figure: the chart's notes, then what each
 * abbreviated category name stands for. */
static void note_lines(struct lay *L, const struct chart *ch, double w)
{
	size_t i;
	char *line;

	for (i = 0; i < ch->notes.n; i++)
		note_add(&L->notes, ch->notes.v[i], w - 2 * PAD, 6);
	for (i = 0; L->x.abbreviated && i < ch->clusters.n; i++) {
		line = xmalloc(strlen(ch->clusters.v[i]) + 24);
		sprintf(line, "%s: %s", L->x.names.v[i], ch->clusters.v[i]);
		note_add(&L->notes, line, w - 2 * PAD, 3);
		free(line);
	}
}

static void lay_pass(struct lay *L, struct frame *fr, const struct chart *ch,
		     double left, int fixed_h, int default_h)
{
	size_t nc = ch->clusters.n ? ch->clusters.n : 1;
	double w = fr->w, slot, top, bottom, plot_h, note_y;

	lay_release(L, ch);
	fr->l = left;
	fr->r = w - PAD - 4;
	slot = (fr->r - fr->l) / (double)nc;
	wrap_or_cut(ch->title ? ch->title : "", w - 2 * PAD, TITLE_PX, 3,
		    &L->title);
	top = PAD + L->title.n * lh(TITLE_PX) + GAP + 2;
	xlab_layout(&L->x, ch, slot, fmax(default_h * 0.4, 110));
	key_layout(&L->key, ch, w, 0);
	note_lines(L, ch, w);
	note_y = L->notes.n ? GAP + L->notes.n * lh(NOTE_PX) : 0;
	bottom = TICK_PX + L->x.height + (L->key.height ? GAP + 2 +
		 L->key.height : 0) + note_y + PAD;
	if (fixed_h) {
		plot_h = fr->h - top - bottom;
	} else {
		plot_h = default_h - top - bottom;
		if (plot_h < MIN_PLOT_PX)
			plot_h = MIN_PLOT_PX;
		fr->h = (int)ceil(top + plot_h + bottom);
	}
	if (plot_h < 40)
		plot_h = 40;
	fr->t = top;
	fr->b = top + plot_h;
	/* The axis label: one line, else two, along the plot's height. */
	wrap_or_cut(ch->ylabel ? ch->ylabel : "", plot_h - 2, BODY_PX, 2,
		    &L->ylabel);
	fr->bw = ch->n_slots > 1 ? 0.8 / (double)ch->n_slots : 0.6;
	L->v = value_labels(ch, fr->bw * slot, slot, plot_h);
	axis_range(&fr->y, ch, plot_h, L->v.mode ? L->v.need_px : 0);
	plot_axis_ticks(&fr->y, plot_h, lh(BODY_PX) + 2);
}

/* Where the plot area's left edge must be for the axis label, the tick
 * labels and the slanted category labels. */
static double needed_left(const struct lay *L, const struct frame *fr,
			  size_t nc)
{
	double ticks = tick_width(&fr->y);
	double l = PAD + L->ylabel.n * lh(BODY_PX) + GAP + ticks + TICK_PX + 3;
	double slot = (fr->r - fr->l) / (double)(nc ? nc : 1);

	return fmax(l, PAD + xlab_overhang(&L->x, slot));
}

/* Texts of the category labels, under the plot area. */
static void place_xlabels(struct frame *fr, const struct lay *L, size_t nc)
{
	double y0 = fr->b + TICK_PX, h = lh(BODY_PX);
	size_t i, j;

	for (i = 0; i < L->x.names.n; i++) {
		double x = px(fr, nc, (double)i);

		if (i % L->x.every)
			continue;
		if (L->x.mode == X_FLAT)
			for (j = 0; j < L->x.lines[i].n; j++)
				add_text(fr, x, y0 + GAP + (j + 0.5) * h, 0, 1,
					 BODY_PX, L->x.lines[i].v[j]);
		else if (L->x.mode == X_SLANT)
			add_text(fr, x + h / 2 * SIN45, y0 + GAP + h / 2 * SIN45,
				 45, 2, BODY_PX, L->x.names.v[i]);
		else
			add_text(fr, x, y0 + GAP, 90, 2, BODY_PX,
				 L->x.names.v[i]);
	}
}

/* The value label of each bar, just past its end. */
static void place_values(struct frame *fr, const struct chart *ch,
			 const struct lay *L)
{
	size_t nc = ch->clusters.n ? ch->clusters.n : 1, i;
	double ns = (double)ch->n_slots;

	if (!L->v.mode)
		return;
	for (i = 0; i < ch->n_bars; i++) {
		const struct chart_bar *b = &ch->bars[i];
		double x, y, up = b->to >= b->from;
		const char *s;

		if (b->label == (size_t)-1)
			continue;
		s = ch->labels.v[b->label];
		x = px(fr, nc, (double)b->cluster + (ch->n_slots > 1 ?
			(b->slot - (ns - 1) / 2.0) * fr->bw : 0));
		if ((fr->y.scale == AXIS_LOG10 || fr->y.scale == AXIS_LOG2) &&
		    b->to <= 0)
			y = fr->b;
		else
			y = py(fr, b->to);
		if (L->v.mode == 1)
			add_text(fr, x, up ? y - 3 - lh(VALUE_PX) / 2 :
				 y + 3 + lh(VALUE_PX) / 2, 0, 1, VALUE_PX, s);
		else
			add_text(fr, x, up ? y - 3 : y + 3, 90, up ? 0 : 2,
				 VALUE_PX, s);
	}
}

/* "n/a" where a cluster lacks a series: upright from the base. */
static void place_missing(struct frame *fr, const struct chart *ch)
{
	size_t nc = ch->clusters.n ? ch->clusters.n : 1, i;
	double ns = (double)ch->n_slots, base, bar_px;
	int is_log = fr->y.scale == AXIS_LOG10 || fr->y.scale == AXIS_LOG2;

	bar_px = fr->bw * (fr->r - fr->l) / (double)nc;
	base = is_log && ch->base <= 0 ? fr->b : py(fr, is_log ? ch->base :
			fmin(fmax(0, fr->y.lo), fr->y.hi));
	for (i = 0; i < ch->n_missing; i++) {
		size_t c = ch->missing[i] / ch->n_slots;
		size_t s = ch->missing[i] % ch->n_slots;
		double x = px(fr, nc, (double)c + (s - (ns - 1) / 2.0) *
			      fr->bw);

		if (bar_px >= plot_text_width("n/a", VALUE_PX) + 2)
			add_text(fr, x, base - 3 - lh(VALUE_PX) / 2, 0, 1,
				 VALUE_PX, "n/a");
		else if (bar_px >= lh(VALUE_PX))
			add_text(fr, x, base - 3, 90, 0, VALUE_PX, "n/a");
	}
}

static void place_all(struct frame *fr, const struct chart *ch,
		      const struct lay *L)
{
	size_t nc = ch->clusters.n ? ch->clusters.n : 1, i, j;
	double y, h;

	for (i = 0; i < L->title.n; i++)
		add_text(fr, fr->w / 2.0, PAD + (i + 0.5) * lh(TITLE_PX), 0, 1,
			 TITLE_PX, L->title.v[i]);
	for (i = 0; i < L->ylabel.n; i++)
		add_text(fr, PAD + (i + 0.5) * lh(BODY_PX), (fr->t + fr->b) / 2,
			 90, 1, BODY_PX, L->ylabel.v[i]);
	for (i = 0; i < fr->y.n_ticks; i++)
		add_text(fr, fr->l - TICK_PX - 3, py(fr, fr->y.tick[i]), 0, 2,
			 BODY_PX, fr->y.label[i]);
	place_xlabels(fr, L, nc);
	place_values(fr, ch, L);
	place_missing(fr, ch);
	y = fr->b + TICK_PX + L->x.height + GAP + 2;
	for (i = 0; i < ch->keys.n; i++) {
		add_key(fr, L->key.x[i], y + L->key.y[i], KEY_BOX_W, KEY_BOX_H,
			i);
		for (j = 0; j < L->key.lines[i].n; j++)
			add_text(fr, L->key.x[i] + KEY_BOX_W + GAP,
				 y + L->key.y[i] + KEY_BOX_H / 2 +
				 j * lh(KEY_PX), 0, 0, KEY_PX,
				 L->key.lines[i].v[j]);
	}
	y += L->key.height;
	h = lh(NOTE_PX);
	for (i = 0; i < L->notes.n; i++)
		add_text(fr, PAD, y + GAP + (i + 0.5) * h, 0, 0, NOTE_PX,
			 L->notes.v[i]);
}

void plot_frame_layout(struct frame *fr, const struct chart *ch,
		       const struct plot_options *o, int default_h)
{
	struct lay L;
	double left = 60, need;
	size_t pass;

	memset(fr, 0, sizeof(*fr));
	memset(&L, 0, sizeof(L));
	fr->w = o->width > 0 ? o->width : natural_width(ch, PLOT_WIDTH);
	fr->h = o->height > 0 ? o->height : default_h;
	plot_axis_choose(&fr->y, &ch->ext, ch->stacked);
	if (ch->kind_axis >= 0) {
		fr->y.scale = (enum axis_scale)ch->kind_axis;
		fr->y.thresh = 0;
	}
	for (pass = 0; pass < 4; pass++) {
		lay_pass(&L, fr, ch, left, o->height > 0, default_h);
		need = needed_left(&L, fr, ch->clusters.n);
		if (fabs(need - left) < 0.5)
			break;
		left = need;
	}
	place_all(fr, ch, &L);
	lay_release(&L, ch);
}

/* ---- writing it ----------------------------------------------------------- */

/* v as %.17g that gnuplot's string to number conversion (real() of a
 * word of a datablock) reads: it rejects "1e-08", an exponent without a
 * decimal point in the mantissa, and takes "1.0e-08". */
static void number_word(char *buf, size_t size, double v)
{
	char *e;

	snprintf(buf, size, "%.17g", v);
	e = strchr(buf, 'e');
	if (e && !memchr(buf, '.', (size_t)(e - buf)) &&
	    strlen(buf) + 3 < size) {
		memmove(e + 2, e, strlen(e) + 1);
		e[0] = '.';
		e[1] = '0';
	}
}

void plot_frame_write(struct script *sc, const struct frame *fr)
{
	char num[48];
	size_t i;
	char name[32];

	plot_sc_printf(sc, "fig_width = %d\nfig_height = %d\n", fr->w, fr->h);
	plot_sc_printf(sc, "fig_l = %.17g\nfig_r = %.17g\nfig_t = %.17g\n"
		       "fig_b = %.17g\n", fr->l, fr->r, fr->t, fr->b);
	plot_sc_printf(sc, "fig_yscale = %d\nfig_ylo = %.17g\nfig_yhi = %.17g\n"
		       "fig_ythresh = %.17g\nfig_bw = %.17g\n", (int)fr->y.scale,
		       fr->y.lo, fr->y.hi, fr->y.thresh > 0 ? fr->y.thresh : 1,
		       fr->bw);
	for (i = 0; i < fr->strs.n; i++) {
		snprintf(name, sizeof(name), "fig_s%zu = ", i + 1);
		plot_sc_printf(sc, "%s", name);
		plot_sc_text(sc, fr->strs.v[i]);
		plot_sc_printf(sc, "\n");
	}
	plot_sc_printf(sc, "$yticks << EOD\n");
	for (i = 0; i < fr->y.n_ticks; i++) {
		number_word(num, sizeof(num), fr->y.tick[i]);
		plot_sc_printf(sc, "%s %d\n", num, fr->y.label[i][0] ? 0 : 1);
	}
	plot_sc_printf(sc, "EOD\n$texts << EOD\n");
	for (i = 0; i < fr->n_texts; i++) {
		const struct ftext *t = &fr->texts[i];

		plot_sc_printf(sc, "%.2f %.2f %g %d %g %zu\n", t->x, t->y,
			       t->angle, t->align, t->font_px, t->str + 1);
	}
	plot_sc_printf(sc, "EOD\n$keys << EOD\n");
	for (i = 0; i < fr->n_keys; i++) {
		const struct fkey *k = &fr->keys[i];

		plot_sc_printf(sc, "%.2f %.2f %.2f %.2f %zu\n", k->x, k->y,
			       k->w, k->h, k->colour);
	}
	plot_sc_printf(sc, "EOD\n");
}
