/*
 * Output formats. Text, markdown and LaTeX render the same two cell grids
 * (groups, comparisons) built once by build_groups() and build_cmps(); they
 * differ only in separators and escaping. CSV and JSON write raw numbers at
 * full precision instead of the rounded cells.
 */
#include "format.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "explain.h"
#include "xalloc.h"

#define NONE ((size_t)-1)
#define CELL_MAX 96

/* ---- cells ------------------------------------------------------------ */

/*
 * x with sig significant digits, without an exponent in the range people
 * read at a glance (1e-4 <= |x| < 1e9): 5.012, 140.3, 0.02130, 123457.
 */
static void num(char *buf, size_t size, double x, int sig)
{
	int e;

	if (!isfinite(x)) {	/* a ratio to a zero baseline mean */
		snprintf(buf, size, "undefined");
		return;
	}
	if (x == 0) {
		snprintf(buf, size, "0");
		return;
	}
	e = (int)floor(log10(fabs(x)));
	if (e >= sig - 1 && e < 9)
		snprintf(buf, size, "%.0f", x);
	else if (e >= -4 && e < sig - 1)
		snprintf(buf, size, "%.*f", sig - 1 - e, x);
	else
		snprintf(buf, size, "%.*g", sig, x);
}

/* Significant digits: 4 for values, as ministat's tables read; 2 for the
 * CI half-width and p-values, as the GUM (JCGM 100:2008, 7.2.6) advises
 * for uncertainties; 2 for CV%. */
#define SIG_VALUE 4
#define SIG_UNCERTAINTY 2

struct table {
	size_t ncols, nrows;
	size_t cap;		/* cells allocated */
	char **cells;		/* row-major, owned; row 0 is the header */
	unsigned char *is_right;	/* per column: right-aligned numbers */
	/* Per key column of the dataset: shown (is_shown), decided once
	 * for the table: deciding it again for every row would compare
	 * every group with the first one for each row, quadratic in the
	 * number of groups. */
	unsigned char *is_key_shown;
};

static void table_init(struct table *t, size_t ncols)
{
	t->ncols = ncols;
	t->nrows = t->cap = 0;
	t->cells = NULL;
	t->is_right = xcalloc(ncols, 1);
	t->is_key_shown = NULL;
}

/* Append an empty row; returns its index. */
static size_t table_row(struct table *t)
{
	size_t i;

	ARRAY_GROW(t->cells, (t->nrows + 1) * t->ncols, t->cap);
	for (i = 0; i < t->ncols; i++)
		t->cells[t->nrows * t->ncols + i] = NULL;
	return t->nrows++;
}

static void table_set(struct table *t, size_t row, size_t col,
		      const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void table_set(struct table *t, size_t row, size_t col,
		      const char *fmt, ...)
{
	char buf[CELL_MAX * 4];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	free(t->cells[row * t->ncols + col]);
	t->cells[row * t->ncols + col] = xstrdup(buf);
}

static const char *cell(const struct table *t, size_t row, size_t col)
{
	const char *c = t->cells[row * t->ncols + col];

	return c ? c : "";
}

static void table_release(struct table *t)
{
	size_t i;

	for (i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	free(t->is_right);
	free(t->is_key_shown);
	t->cells = NULL;
}

/* ---- what varies ---------------------------------------------------- */

/* Key column k takes more than one value over the groups. */
static int is_varying(const struct dataset *ds, size_t k)
{
	size_t i;

	for (i = 1; i < ds->n_groups; i++)
		if (strcmp(ds->groups[i].key[k], ds->groups[0].key[k]) != 0)
			return 1;
	return 0;
}

static int is_unit_varying(const struct dataset *ds)
{
	size_t i;

	for (i = 1; i < ds->n_groups; i++)
		if (strcmp(ds->groups[i].unit, ds->groups[0].unit) != 0)
			return 1;
	return 0;
}

/* Key columns shown in a table: those that vary, and the factor (always
 * in the groups table, as its own column in the comparisons table). */
static int is_shown(const struct dataset *ds, size_t k, int with_factor)
{
	if (k == ds->factor_index)
		return with_factor;
	return is_varying(ds, k);
}

static size_t n_tested(const struct report *r)
{
	size_t i, n = 0;

	for (i = 0; i < r->n_cmps; i++)
		n += r->cmps[i].has_test != 0;
	return n;
}

static const char *test_label(enum cmp_test t)
{
	return t == CMP_TEST_MWU ? "MWU" : "Welch";
}

const char *fmt_better_word(enum better b)
{
	return b == BETTER_LOWER ? "lower" : b == BETTER_HIGHER ? "higher" :
	       NULL;
}

void fmt_group_label(const struct dataset *ds, const struct group *g,
		     size_t skip, char *buf, size_t size)
{
	size_t k, len = 0;

	buf[0] = '\0';
	for (k = 0; k < ds->n_key_cols && len < size; k++) {
		if (k == skip || !g->key[k][0])
			continue;
		len += (size_t)snprintf(buf + len, size - len, "%s%s",
					len ? " / " : "", g->key[k]);
	}
}

/* ---- the two grids ------------------------------------------------- */

/* Both grids open with the key columns that are shown (is_shown), then
 * n_more of their own. Sets up t with the header row holding the key
 * column names; returns the first column after them. */
static size_t grid_start(struct table *t, const struct dataset *ds,
			 size_t n_more)
{
	unsigned char *is_key_shown = xcalloc(ds->n_key_cols, 1);
	size_t k, col = 0, ncols = n_more;

	for (k = 0; k < ds->n_key_cols; k++) {
		is_key_shown[k] = (unsigned char)is_shown(ds, k, 1);
		ncols += is_key_shown[k];
	}
	table_init(t, ncols);
	t->is_key_shown = is_key_shown;
	table_row(t);
	for (k = 0; k < ds->n_key_cols; k++)
		if (is_key_shown[k])
			table_set(t, 0, col++, "%s", ds->key_cols[k]);
	return col;
}

/* Appends a row holding g's shown key values; *col is set to the first
 * column after them. Returns the row. */
static size_t grid_row(struct table *t, const struct dataset *ds,
		       const struct group *g, size_t *col)
{
	size_t k, row = table_row(t);

	*col = 0;
	for (k = 0; k < ds->n_key_cols; k++)
		if (t->is_key_shown[k])
			table_set(t, row, (*col)++, "%s", g->key[k]);
	return row;
}

static void group_numbers(struct table *t, size_t row, size_t col,
			  const struct summary *s)
{
	char a[CELL_MAX];

	table_set(t, row, col++, "%zu", s->n);
	num(a, sizeof(a), s->mean, SIG_VALUE);
	table_set(t, row, col++, "%s", a);
	if (s->has_ci) {
		num(a, sizeof(a), (s->ci_hi - s->ci_lo) / 2, SIG_UNCERTAINTY);
		table_set(t, row, col++, "\xc2\xb1%s", a);
		num(a, sizeof(a), s->sd, SIG_VALUE);
		table_set(t, row, col++, "%s", a);
		num(a, sizeof(a), 100 * s->cv, SIG_UNCERTAINTY);
		table_set(t, row, col++, "%s", a);
	} else {
		table_set(t, row, col++, "n=1, no CI");
		table_set(t, row, col++, "-");
		table_set(t, row, col++, "-");
	}
	num(a, sizeof(a), s->median, SIG_VALUE);
	table_set(t, row, col++, "%s", a);
	num(a, sizeof(a), s->min, SIG_VALUE);
	table_set(t, row, col++, "%s", a);
	num(a, sizeof(a), s->max, SIG_VALUE);
	table_set(t, row, col++, "%s", a);
	table_set(t, row, col, "%zu", s->n_outliers);
}

static void build_groups(const struct report *r, struct table *t)
{
	static const char *const heads[] = {
		"n", "mean", NULL, "sd", "CV%", "median", "min", "max",
		"outliers"
	};
	const struct dataset *ds = r->ds;
	int is_unit = is_unit_varying(ds);
	size_t i, col = grid_start(t, ds, 9 + (size_t)is_unit);

	if (is_unit)
		table_set(t, 0, col++, "unit");
	for (i = 0; i < 9; i++, col++) {
		t->is_right[col] = 1;
		if (heads[i])
			table_set(t, 0, col, "%s", heads[i]);
		else
			table_set(t, 0, col, "\xc2\xb1%.15g%% CI",
				  100 * r->level);
	}
	for (i = 0; i < ds->n_groups; i++) {
		const struct group *g = &ds->groups[i];
		size_t row = grid_row(t, ds, g, &col);

		if (is_unit)
			table_set(t, row, col++, "%s", g->unit);
		group_numbers(t, row, col, &r->sums[i]);
	}
}

static void cmp_cells(const struct report *r, const struct comparison *c,
		      struct table *t, size_t row, size_t col, int with_holm)
{
	char a[CELL_MAX], b[CELL_MAX];

	num(a, sizeof(a), c->ratio.ratio, SIG_VALUE);
	table_set(t, row, col++, "%s", a);
	if (!c->ratio.has_ci) {
		table_set(t, row, col++, "n=1, no CI");
	} else if (!c->ratio.is_bounded) {
		table_set(t, row, col++, "unbounded");
	} else {
		num(a, sizeof(a), c->ratio.lo, SIG_VALUE);
		num(b, sizeof(b), c->ratio.hi, SIG_VALUE);
		table_set(t, row, col++, "[%s, %s]", a, b);
	}
	cmp_wording(c, &r->ds->groups[c->baseline], a, sizeof(a));
	table_set(t, row, col++, "%s", a);
	if (!c->has_test) {
		table_set(t, row, col++, "-");
		if (with_holm)
			table_set(t, row, col++, "-");
		table_set(t, row, col, "no test (n=1)");
		return;
	}
	table_set(t, row, col++, "%.2g", c->p);
	if (with_holm)
		table_set(t, row, col++, "%.2g", c->p_adjusted);
	table_set(t, row, col, "%s at %.15g%% confidence",
		  c->is_significant ? "difference" : "no difference proven",
		  100 * r->level);
}

static void build_cmps(const struct report *r, struct table *t)
{
	const struct dataset *ds = r->ds;
	int with_holm = n_tested(r) > 1;
	size_t i, col = grid_start(t, ds, 5 + (size_t)with_holm);

	t->is_right[col] = 1;
	table_set(t, 0, col++, "ratio");
	table_set(t, 0, col++, "%.15g%% CI", 100 * r->level);
	table_set(t, 0, col++, "change");
	t->is_right[col] = 1;
	table_set(t, 0, col++, "p (%s)", test_label(r->test));
	if (with_holm) {
		t->is_right[col] = 1;
		table_set(t, 0, col++, "p (Holm)");
	}
	table_set(t, 0, col, "verdict");
	for (i = 0; i < r->n_cmps; i++) {
		const struct comparison *c = &r->cmps[i];
		size_t row = grid_row(t, ds, &ds->groups[c->other], &col);

		cmp_cells(r, c, t, row, col, with_holm);
	}
}

/* ---- rendering the grids ------------------------------------------- */

/* Columns a UTF-8 string takes: its bytes that start a code point. */
static size_t width(const char *s)
{
	size_t w = 0;

	for (; *s; s++)
		w += ((unsigned char)*s & 0xc0) != 0x80;
	return w;
}

static void text_table(FILE *f, const struct table *t)
{
	size_t *w = xcalloc(t->ncols, sizeof(*w));
	size_t r, c;

	for (r = 0; r < t->nrows; r++)
		for (c = 0; c < t->ncols; c++)
			if (width(cell(t, r, c)) > w[c])
				w[c] = width(cell(t, r, c));
	for (r = 0; r < t->nrows; r++) {
		for (c = 0; c < t->ncols; c++) {
			const char *s = cell(t, r, c);
			int pad = (int)(w[c] - width(s));
			int is_last = c + 1 == t->ncols;

			if (c)
				fputs("  ", f);
			if (t->is_right[c])
				fprintf(f, "%*s%s", pad, "", s);
			else
				fprintf(f, "%s%*s", s, is_last ? 0 : pad, "");
		}
		fputc('\n', f);
	}
	free(w);
}

/* GFM: a backslash escapes any ASCII punctuation; these would otherwise
 * end a cell, start emphasis or code, or open an HTML tag. */
static void md_cell(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (strchr("|\\*`<", *s))
			fputc('\\', f);
		fputc(*s, f);
	}
}

static void md_table(FILE *f, const struct table *t)
{
	size_t r, c;

	for (r = 0; r < t->nrows; r++) {
		for (c = 0; c < t->ncols; c++) {
			fputs(c ? " | " : "| ", f);
			md_cell(f, cell(t, r, c));
		}
		fputs(" |\n", f);
		if (r == 0) {
			for (c = 0; c < t->ncols; c++)
				fputs(t->is_right[c] ? "|---:" : "|:---", f);
			fputs("|\n", f);
		}
	}
}

/* LaTeX text mode: the ten special characters; | < > which the default
 * OT1 encoding prints as other glyphs; and UTF-8 plus-minus. */
static void tex_cell(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': case '%': case '$': case '#': case '_':
		case '{': case '}':
			fprintf(f, "\\%c", *s);
			break;
		case '~': fputs("\\textasciitilde{}", f); break;
		case '^': fputs("\\textasciicircum{}", f); break;
		case '\\': fputs("\\textbackslash{}", f); break;
		case '|': fputs("\\textbar{}", f); break;
		case '<': fputs("\\textless{}", f); break;
		case '>': fputs("\\textgreater{}", f); break;
		default:
			if (strncmp(s, "\xc2\xb1", 2) == 0) {
				fputs("$\\pm$", f);
				s++;
			} else {
				fputc(*s, f);
			}
		}
	}
}

static void tex_table(FILE *f, const struct table *t)
{
	size_t r, c;

	fputs("\\begin{tabular}{", f);
	for (c = 0; c < t->ncols; c++)
		fputc(t->is_right[c] ? 'r' : 'l', f);
	fputs("}\n\\toprule\n", f);
	for (r = 0; r < t->nrows; r++) {
		for (c = 0; c < t->ncols; c++) {
			if (c)
				fputs(" & ", f);
			tex_cell(f, cell(t, r, c));
		}
		fputs(" \\\\\n", f);
		if (r == 0)
			fputs("\\midrule\n", f);
	}
	fputs("\\bottomrule\n\\end{tabular}\n", f);
}

static void render(FILE *f, enum fmt_kind kind, const struct table *t)
{
	if (kind == FMT_MD)
		md_table(f, t);
	else if (kind == FMT_TEX)
		tex_table(f, t);
	else
		text_table(f, t);
}

/* Build one of the two grids, write it and free it. */
static void write_grid(FILE *f, enum fmt_kind kind, const struct report *r,
		       void (*build)(const struct report *, struct table *))
{
	struct table t;

	build(r, &t);
	render(f, kind, &t);
	table_release(&t);
	fputc('\n', f);
}

/* ---- prose around the tables (text, md, tex) ------------------------ */

/* One line of prose: a plain line, or a list item when is_item. LaTeX
 * gets comments, so the output stays a fragment to \input. */
static void line(FILE *f, enum fmt_kind kind, int is_item, const char *fmt,
		 ...) __attribute__((format(printf, 4, 5)));

static void line(FILE *f, enum fmt_kind kind, int is_item, const char *fmt,
		 ...)
{
	va_list ap;

	if (kind == FMT_TEX)
		fputs(is_item ? "%   " : "% ", f);
	else if (is_item)
		fputs(kind == FMT_MD ? "- " : "  ", f);
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fputc('\n', f);
}

static void sources(FILE *f, enum fmt_kind kind, const struct dataset *ds)
{
	size_t i;

	line(f, kind, 0, "sources:");
	if (kind == FMT_MD)
		fputc('\n', f);
	for (i = 0; i < ds->n_sources; i++) {
		const struct source *s = &ds->sources[i];
		char skipped[64] = "";

		if (s->n_skipped)
			snprintf(skipped, sizeof(skipped), " (%lu skipped)",
				 s->n_skipped);
		if (s->provenance)
			line(f, kind, 1, "%s: %lu rows%s; source: %s", s->path,
			     s->n_rows, skipped, s->provenance);
		else if (s->meta_path)
			line(f, kind, 1, "%s: %lu rows%s; source: not given "
			     "in %s", s->path, s->n_rows, skipped,
			     s->meta_path);
		else
			line(f, kind, 1, "%s: %lu rows%s; source: not "
			     "recorded (no .meta.json)", s->path, s->n_rows,
			     skipped);
	}
	if (kind == FMT_MD)
		fputc('\n', f);	/* else the next line joins the list */
}

/* "common: benchmark memsweep, metric seconds, unit s": what every group
 * shares, said once instead of in every row. */
static void common(FILE *f, enum fmt_kind kind, const struct dataset *ds)
{
	char buf[1024];
	size_t k, len = 0;
	const char *unit = ds->groups[0].unit;

	for (k = 0; k < ds->n_key_cols && len < sizeof(buf); k++) {
		if (is_shown(ds, k, 1) || !ds->groups[0].key[k][0])
			continue;
		len += (size_t)snprintf(buf + len, sizeof(buf) - len,
					"%s%s %s", len ? ", " : "",
					ds->key_cols[k], ds->groups[0].key[k]);
	}
	if (!is_unit_varying(ds) && unit[0] && len < sizeof(buf))
		len += (size_t)snprintf(buf + len, sizeof(buf) - len,
					"%sunit %s", len ? ", " : "", unit);
	if (len)
		line(f, kind, 0, "common: %s", buf);
}

static void group_notes(FILE *f, enum fmt_kind kind, const struct report *r)
{
	line(f, kind, 0, "mean \xc2\xb1 half-width of the %.15g%% Student-t "
	     "CI; outliers: |x - median| > 3.5 * 1.4826 * MAD, %s",
	     100 * r->level, r->is_outliers_dropped ? "dropped" : "flagged");
	if (r->is_outliers_dropped)
		line(f, kind, 0, "dropped %zu outlier%s before summarizing",
		     r->n_outliers_dropped,
		     r->n_outliers_dropped == 1 ? "" : "s");
}

static int any_unbounded(const struct report *r)
{
	size_t i;

	for (i = 0; i < r->n_cmps; i++)
		if (r->cmps[i].ratio.has_ci && !r->cmps[i].ratio.is_bounded)
			return 1;
	return 0;
}

static void cmp_notes(FILE *f, enum fmt_kind kind, const struct report *r)
{
	size_t n = n_tested(r);
	char holm[64] = "";

	line(f, kind, 0, "ratio: mean / baseline mean; CI by Fieller's "
	     "theorem (Welch-Satterthwaite df)");
	if (any_unbounded(r))
		line(f, kind, 0, "unbounded: the baseline mean is not "
		     "significantly different from 0, so no finite CI exists");
	if (n > 1)
		snprintf(holm, sizeof(holm), ", Holm-adjusted over %zu "
			 "comparisons", n);
	if (r->test == CMP_TEST_MWU)
		line(f, kind, 0, "p: Mann-Whitney U, two-sided (exact when "
		     "both n <= 8 without ties)%s", holm);
	else
		line(f, kind, 0, "p: Welch's t-test, two-sided%s", holm);
}

struct finding_sink {
	FILE *f;
	enum fmt_kind kind;
};

static void finding_line(void *ctx, const char *text)
{
	const struct finding_sink *sink = ctx;

	line(sink->f, sink->kind, 1, "%s", text);
}

/* Many findings that say the same thing are folded into one line for a
 * reader (explain_fold); JSON keeps them all. */
static void findings(FILE *f, enum fmt_kind kind, const struct report *r)
{
	struct finding_sink sink = { f, kind };

	fputc('\n', f);
	if (r->n_findings == 0) {
		line(f, kind, 0, "findings: none");
		return;
	}
	line(f, kind, 0, "findings:");
	if (kind == FMT_MD)
		fputc('\n', f);
	explain_fold(r, finding_line, &sink);
}

/* The whole report as text, md or tex. */
static void write_doc(FILE *f, enum fmt_kind kind, const struct report *r,
		      int is_explain)
{
	const struct dataset *ds = r->ds;

	sources(f, kind, ds);
	common(f, kind, ds);
	fputc('\n', f);
	write_grid(f, kind, r, build_groups);
	group_notes(f, kind, r);
	fputc('\n', f);
	if (r->n_cmps == 0) {
		line(f, kind, 0, "no comparisons: no two groups differ only "
		     "in %s", ds->key_cols[ds->factor_index]);
	} else {
		line(f, kind, 0, "comparisons against %s %s:",
		     ds->key_cols[ds->factor_index],
		     load_factor(ds, &ds->groups[r->cmps[0].baseline]));
		fputc('\n', f);
		write_grid(f, kind, r, build_cmps);
		cmp_notes(f, kind, r);
	}
	if (is_explain)
		findings(f, kind, r);
}

/* ---- CSV -------------------------------------------------------------- */

/* RFC 4180: quote a field holding a comma, quote, CR or LF. */
static void csv_str(FILE *f, const char *s, int is_last)
{
	if (strpbrk(s, ",\"\r\n")) {
		fputc('"', f);
		for (; *s; s++) {
			if (*s == '"')
				fputc('"', f);
			fputc(*s, f);
		}
		fputc('"', f);
	} else {
		fputs(s, f);
	}
	fputc(is_last ? '\n' : ',', f);
}

/* The shortest of %.15g..%.17g that reads back as the same double, so a
 * CSV of 0.95 says 0.95 and no digit is ever lost. */
static void csv_num(FILE *f, double x, int is_set)
{
	char buf[40];
	int p;

	if (!is_set || !isfinite(x)) {
		fputc(',', f);
		return;
	}
	for (p = 15; p < 17; p++) {
		snprintf(buf, sizeof(buf), "%.*g", p, x);
		if (strtod(buf, NULL) == x)
			break;
	}
	if (p == 17)	/* %.17g is exact */
		snprintf(buf, sizeof(buf), "%.17g", x);
	fputs(buf, f);
	fputc(',', f);
}

/* The first fields of a line: the key column names (g NULL, the header)
 * or group g's key values. */
static void csv_keys(FILE *f, const struct dataset *ds, const struct group *g)
{
	size_t k;

	for (k = 0; k < ds->n_key_cols; k++)
		csv_str(f, g ? g->key[k] : ds->key_cols[k], 0);
}

static void csv_groups(FILE *f, const struct report *r)
{
	const struct dataset *ds = r->ds;
	size_t i;

	csv_keys(f, ds, NULL);
	fputs("unit,better,n,mean,sd,sem,level,ci_lo,ci_hi,min,q1,median,q3,"
	      "max,cv,mad,outliers\n", f);
	for (i = 0; i < ds->n_groups; i++) {
		const struct group *g = &ds->groups[i];
		const struct summary *s = &r->sums[i];
		const char *b = fmt_better_word(g->better);

		csv_keys(f, ds, g);
		csv_str(f, g->unit, 0);
		csv_str(f, b ? b : "", 0);
		fprintf(f, "%zu,", s->n);
		csv_num(f, s->mean, 1);
		csv_num(f, s->sd, s->has_ci);
		csv_num(f, s->sem, s->has_ci);
		csv_num(f, r->level, 1);
		csv_num(f, s->ci_lo, s->has_ci);
		csv_num(f, s->ci_hi, s->has_ci);
		csv_num(f, s->min, 1);
		csv_num(f, s->q1, 1);
		csv_num(f, s->median, 1);
		csv_num(f, s->q3, 1);
		csv_num(f, s->max, 1);
		csv_num(f, s->cv, s->has_ci);
		csv_num(f, s->mad, 1);
		fprintf(f, "%zu\n", s->n_outliers);
	}
}

static void csv_cmps(FILE *f, const struct report *r)
{
	const struct dataset *ds = r->ds;
	size_t i;
	char change[CELL_MAX];

	csv_keys(f, ds, NULL);
	fputs("baseline,ratio,ratio_lo,ratio_hi,ratio_bounded,change,test,"
	      "statistic,df,p,p_holm,significant\n", f);
	for (i = 0; i < r->n_cmps; i++) {
		const struct comparison *c = &r->cmps[i];
		const struct ratio_ci *q = &c->ratio;
		int is_ci = q->has_ci && q->is_bounded;

		csv_keys(f, ds, &ds->groups[c->other]);
		csv_str(f, load_factor(ds, &ds->groups[c->baseline]), 0);
		csv_num(f, q->ratio, 1);
		csv_num(f, q->lo, is_ci);
		csv_num(f, q->hi, is_ci);
		fputs(!q->has_ci ? "," : q->is_bounded ? "1," : "0,", f);
		cmp_wording(c, &ds->groups[c->baseline], change,
			    sizeof(change));
		csv_str(f, change, 0);
		csv_str(f, !c->has_test ? "" : c->test == CMP_TEST_MWU ?
			"mwu" : "welch", 0);
		csv_num(f, c->statistic, c->has_test);
		csv_num(f, c->df, c->has_test && c->test == CMP_TEST_WELCH);
		csv_num(f, c->p, c->has_test);
		csv_num(f, c->p_adjusted, c->has_test);
		fputs(!c->has_test ? "\n" : c->is_significant ? "1\n" : "0\n",
		      f);
	}
}

int fmt_write(FILE *f, const struct report *r, const struct fmt_options *opt,
	      struct diag *err)
{
	int rc = 0;

	switch (opt->kind) {
	case FMT_CSV:
		if (opt->is_comparisons)
			csv_cmps(f, r);
		else
			csv_groups(f, r);
		break;
	case FMT_JSON:
		rc = fmt_json(f, r, opt);
		break;
	case FMT_TEXT:
	case FMT_MD:
	case FMT_TEX:
		write_doc(f, opt->kind, r, opt->is_explain);
		break;
	}
	if (rc != 0 || fflush(f) != 0 || ferror(f)) {
		diag_set(err, NULL, 0, "cannot write the report: %s",
			 errno ? strerror(errno) : "write error");
		return STATUS_RUNTIME;
	}
	return 0;
}
