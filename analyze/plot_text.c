/*
 * plot_text: text as the figures draw it. Measures a line in the body
 * font (DejaVu Sans: its advance widths are in the table below), wraps
 * and abbreviates labels to a width (writing text into a script is
 * plot_sc.c's). Pure functions: no I/O.
 */
#include "plot_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

/*
 * Advance widths of DejaVu Sans 2.37 (Debian fonts-dejavu-core) for
 * U+0020..U+024F, in thousandths of an em, 0 where the font has no glyph.
 * Made by
 *   scripts/font-widths.py /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
 * (the font's hmtx and cmap tables). Kerning only ever narrows a line
 * of this font, so a width summed from advances is an upper bound.
 */
static const unsigned short advance[0x250 - 0x20] = {
	318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838,
	318, 361, 318, 337, 636, 636, 636, 636, 636, 636, 636, 636,
	636, 636, 337, 337, 838, 838, 838, 531, 1000, 684, 686, 698,
	770, 632, 575, 775, 752, 295, 295, 656, 557, 863, 748, 787,
	603, 787, 695, 635, 611, 732, 684, 989, 685, 611, 685, 390,
	337, 390, 838, 500, 500, 613, 635, 550, 635, 615, 352, 635,
	634, 278, 278, 579, 278, 974, 634, 612, 635, 635, 411, 521,
	392, 634, 592, 818, 592, 592, 525, 636, 337, 636, 838, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 318, 401, 636, 636,
	636, 636, 337, 500, 500, 1000, 471, 612, 838, 361, 1000, 500,
	500, 838, 401, 401, 500, 636, 636, 318, 500, 401, 471, 612,
	969, 969, 969, 531, 684, 684, 684, 684, 684, 684, 974, 698,
	632, 632, 632, 632, 295, 295, 295, 295, 775, 748, 787, 787,
	787, 787, 787, 838, 787, 732, 732, 732, 732, 611, 605, 630,
	613, 613, 613, 613, 613, 613, 982, 550, 615, 615, 615, 615,
	278, 278, 278, 278, 612, 634, 612, 612, 612, 612, 612, 838,
	612, 634, 634, 634, 634, 592, 635, 592, 684, 613, 684, 613,
	684, 613, 698, 550, 698, 550, 698, 550, 698, 550, 770, 635,
	775, 635, 632, 615, 632, 615, 632, 615, 632, 615, 632, 615,
	775, 635, 775, 635, 775, 635, 775, 635, 752, 634, 916, 695,
	295, 278, 295, 278, 295, 278, 295, 278, 295, 278, 590, 556,
	295, 278, 656, 579, 579, 557, 278, 557, 278, 557, 375, 557,
	342, 562, 284, 748, 634, 748, 634, 748, 634, 813, 748, 634,
	787, 612, 787, 612, 787, 612, 1070, 1023, 695, 411, 695, 411,
	695, 411, 635, 521, 635, 521, 635, 521, 635, 521, 611, 392,
	611, 392, 611, 392, 732, 634, 732, 634, 732, 634, 732, 634,
	732, 634, 732, 634, 989, 818, 611, 592, 611, 685, 525, 685,
	525, 685, 525, 352, 635, 735, 686, 635, 686, 635, 703, 698,
	550, 775, 819, 686, 635, 612, 632, 787, 614, 575, 352, 775,
	687, 984, 354, 295, 746, 579, 278, 592, 974, 748, 634, 787,
	913, 612, 949, 759, 652, 635, 695, 635, 521, 632, 336, 392,
	611, 392, 611, 858, 634, 764, 721, 744, 730, 685, 525, 666,
	666, 578, 525, 636, 666, 578, 510, 635, 295, 492, 459, 295,
	1422, 1299, 1154, 835, 787, 457, 931, 924, 797, 684, 613, 295,
	278, 787, 612, 732, 634, 732, 634, 732, 634, 732, 634, 732,
	634, 615, 684, 613, 684, 613, 974, 982, 775, 635, 775, 635,
	656, 579, 787, 612, 787, 612, 666, 578, 278, 1422, 1299, 1154,
	775, 635, 1113, 682, 748, 634, 684, 613, 974, 982, 787, 612,
	684, 613, 684, 613, 632, 615, 632, 615, 295, 278, 295, 278,
	787, 612, 787, 612, 695, 411, 695, 411, 732, 634, 732, 634,
	635, 521, 611, 392, 627, 521, 752, 634, 735, 838, 698, 610,
	685, 525, 684, 613, 632, 615, 787, 612, 787, 612, 787, 612,
	787, 612, 611, 592, 475, 843, 477, 278, 998, 998, 684, 698,
	550, 557, 611, 521, 525, 603, 479, 686, 732, 684, 632, 615,
	295, 278, 781, 635, 695, 411, 611, 592,
};

/* Width of a code point the table lacks: a full em, the widest a glyph
 * of DejaVu Sans or of a fallback font (CJK) is, so that a label in a
 * script the table does not cover gets too much room rather than too
 * little. */
#define WIDE_EM 1000

/* The code point at *p (UTF-8; any invalid byte counts as one wide
 * character), *p moved past it. */
static unsigned long next_cp(const unsigned char **p)
{
	const unsigned char *s = *p;
	unsigned long c = s[0];
	int n = c < 0x80 ? 0 : (c & 0xe0) == 0xc0 ? 1 : (c & 0xf0) == 0xe0 ?
		2 : (c & 0xf8) == 0xf0 ? 3 : -1;
	int i;

	if (n < 0) {
		*p = s + 1;
		return 0xfffd;
	}
	c = n ? c & (0x3f >> n) : c;
	for (i = 1; i <= n; i++) {
		if ((s[i] & 0xc0) != 0x80) {
			*p = s + 1;
			return 0xfffd;
		}
		c = c << 6 | (s[i] & 0x3f);
	}
	*p = s + n + 1;
	return c;
}

static unsigned cp_em(unsigned long c)
{
	if (c >= 0x20 && c < 0x250 && advance[c - 0x20])
		return advance[c - 0x20];
	return WIDE_EM;
}

double plot_text_px(const char *s, size_t len, double font_px)
{
	const unsigned char *p = (const unsigned char *)s;
	const unsigned char *end = p + len;
	unsigned long em = 0;

	while (p < end && *p)
		em += cp_em(next_cp(&p));
	return (double)em * font_px / 1000.0;
}

double plot_text_width(const char *s, double font_px)
{
	return plot_text_px(s, strlen(s), font_px);
}

char *plot_text_clean(const char *s)
{
	char *out = xstrdup(s), *p;

	for (p = out; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = (*p == '\n' || *p == '\t' || *p == '\r') ? ' ' : '?';
	return out;
}

/* A place where a label may break: after one of these (a config
 * "k=v,k=v" breaks after its commas, a path after its slashes). */
static int is_break_after(char c, int spaces_only)
{
	if (spaces_only)
		return c == ' ';
	return c == ' ' || c == ',' || c == ';' || c == '/' || c == '-' ||
	       c == '_' || c == '=' || c == '+' || c == '|' || c == ':' ||
	       c == ')' || c == '.';
}

/*
 * Break s into at most max_lines lines of at most max_px each, at the
 * break points above (a line never ends in its space). Fills
 * lines->v with copies (caller releases). Returns 0, or -1 when s does
 * not fit (lines is then empty).
 */
static int wrap_at(const char *s, double max_px, double font_px,
		   size_t max_lines, struct strvec *lines, int spaces_only)
{
	size_t len = strlen(s), start = 0;

	memset(lines, 0, sizeof(*lines));
	while (start < len) {
		size_t end = start, last_ok = 0, i;

		while (start < len && s[start] == ' ')
			start++;
		if (start == len)
			break;
		/* The longest run from start that fits, ending at a break. */
		for (i = start; i < len; i++) {
			size_t stop = i + 1;

			if (plot_text_px(s + start, stop - start, font_px) >
			    max_px)
				break;
			if (stop == len || is_break_after(s[i], spaces_only))
				last_ok = stop;
		}
		if (!last_ok || lines->n == max_lines) {
			plot_strvec_release(lines);
			return -1;
		}
		end = last_ok;
		i = end;
		while (i > start && s[i - 1] == ' ')
			i--;
		plot_strvec_push(lines, s + start, i - start);
		start = end;
	}
	return 0;
}

/* Words first ("http req_per_s" breaks at its space), then anywhere a
 * break point allows. */
int plot_text_wrap(const char *s, double max_px, double font_px,
		   size_t max_lines, struct strvec *lines)
{
	if (wrap_at(s, max_px, font_px, max_lines, lines, 1) == 0)
		return 0;
	return wrap_at(s, max_px, font_px, max_lines, lines, 0);
}

/* The first bytes of s that fit in max_px with "…" added, as a copy. */
char *plot_text_ellipsis(const char *s, double max_px, double font_px)
{
	static const char dots[] = "\xe2\x80\xa6";
	double room = max_px - plot_text_width(dots, font_px);
	const unsigned char *p = (const unsigned char *)s, *q;
	char *out;
	size_t n;

	if (plot_text_width(s, font_px) <= max_px)
		return xstrdup(s);
	while (*p) {
		q = p;
		(void)next_cp(&q);
		if (plot_text_px(s, (size_t)(q - (const unsigned char *)s),
				 font_px) > room)
			break;
		p = q;
	}
	n = (size_t)(p - (const unsigned char *)s);
	out = xmalloc(n + sizeof(dots));
	memcpy(out, s, n);
	memcpy(out + n, dots, sizeof(dots));
	return out;
}
