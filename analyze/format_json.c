/*
 * The JSON form of the report, documented field by field in man/analyze.1.
 * Members are written in a fixed order, so the output is stable.
 *
 * It is written as it is made, with the layout jansson's json_dumpf gives
 * with JSON_INDENT(2) (two spaces a level, members and items one a line,
 * "name": value, an empty object or array as {} or []), which is how it
 * was first written. A jansson tree of the whole report took about 5 KB
 * per group and many small writes (5 GB, and most of the time, for a
 * million groups). Numbers are written as jansson writes a real (%.17g,
 * then ".0" when that reads as an integer, the exponent without '+' or
 * leading zeros: exact, if not the shortest); a string needing an escape
 * is escaped by jansson itself.
 */
#include "format.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "xalloc.h"

#define NONE ((size_t)-1)
#define CHANGE_MAX 96
#define MAX_DEPTH 8

/* The writer: a buffer of its own, as the pieces are a few bytes each
 * and a stdio call per piece (with its lock) was most of the time. */
#define JW_BUF 65536

struct jw {
	FILE *f;
	int depth;		/* open objects and arrays */
	size_t n[MAX_DEPTH];	/* members or items written at each depth */
	int is_error;
	size_t used;
	char buf[JW_BUF];
};

static void flush(struct jw *w)
{
	if (w->used && fwrite(w->buf, 1, w->used, w->f) != w->used)
		w->is_error = 1;
	w->used = 0;
}

static void put(struct jw *w, const char *s, size_t n)
{
	if (w->used + n > JW_BUF) {
		flush(w);
		if (n > JW_BUF) {
			if (fwrite(s, 1, n, w->f) != n)
				w->is_error = 1;
			return;
		}
	}
	memcpy(w->buf + w->used, s, n);
	w->used += n;
}

static void puts0(struct jw *w, const char *s)
{
	put(w, s, strlen(s));
}

/* ",\n" after the previous member or item, or "\n" before the first;
 * then the indentation of the current depth. */
static void next_line(struct jw *w)
{
	static const char spaces[2 * MAX_DEPTH + 1] = "                ";

	if (w->n[w->depth - 1]++)
		put(w, ",", 1);
	put(w, "\n", 1);
	put(w, spaces, 2 * (size_t)w->depth);
}

static void open_(struct jw *w, const char *bracket)
{
	if (w->depth == MAX_DEPTH) {
		w->is_error = 1;
		return;
	}
	puts0(w, bracket);
	w->n[w->depth++] = 0;
}

static void close_(struct jw *w, const char *bracket)
{
	static const char spaces[2 * MAX_DEPTH + 1] = "                ";

	w->depth--;
	if (w->n[w->depth]) {
		put(w, "\n", 1);
		put(w, spaces, 2 * (size_t)w->depth);
	}
	puts0(w, bracket);
}

static void string_(struct jw *w, const char *s);

/* The next member's name (a member name needs no escaping check of its
 * own: it is escaped as any string). */
static void name(struct jw *w, const char *s)
{
	next_line(w);
	string_(w, s);
	put(w, ": ", 2);
}

/* Does s need jansson (an escape, or bytes that must be valid UTF-8)? */
static int is_plain(const char *s, size_t *len)
{
	const unsigned char *p = (const unsigned char *)s;

	for (; *p; p++)
		if (*p < 0x20 || *p == '"' || *p == '\\' || *p >= 0x7f)
			return 0;
	*len = (size_t)(p - (const unsigned char *)s);
	return 1;
}

/* A string; null when it is not valid UTF-8 (jansson refuses those). */
static void string_(struct jw *w, const char *s)
{
	json_t *js;
	char *text;
	size_t len;

	if (is_plain(s, &len)) {
		put(w, "\"", 1);
		put(w, s, len);
		put(w, "\"", 1);
		return;
	}
	js = json_string(s);
	text = js ? json_dumps(js, JSON_ENCODE_ANY) : NULL;
	puts0(w, text ? text : "null");
	free(text);
	json_decref(js);
}

static void str_or_null(struct jw *w, const char *s)
{
	if (s)
		string_(w, s);
	else
		puts0(w, "null");
}

int fmt_json_number(char *buf, size_t size, double x)
{
	int n = snprintf(buf, size, "%.17g", x);
	char *e, *digits, *end;

	if (n < 0 || (size_t)n + 3 > size)
		return -1;
	if (!strchr(buf, '.') && !strchr(buf, 'e')) {
		memcpy(buf + n, ".0", 3);
		n += 2;
	}
	e = strchr(buf, 'e');
	if (e) {
		digits = e + 1;
		if (*digits == '+') {
			memmove(digits, digits + 1, (size_t)(buf + n - digits));
			n--;
		} else if (*digits == '-') {
			digits++;
		}
		for (end = digits; *end == '0' && end[1]; end++)
			;
		if (end != digits) {
			memmove(digits, end, (size_t)(buf + n - end) + 1);
			n -= (int)(end - digits);
		}
	}
	return n;
}

/* A number, or null where it is undefined (no CI with n = 1). */
static void num(struct jw *w, double x, int is_set)
{
	char buf[40];
	int n = is_set && isfinite(x) ? fmt_json_number(buf, sizeof(buf), x)
		: -1;

	if (n < 0)
		puts0(w, "null");
	else
		put(w, buf, (size_t)n);
}

static void integer(struct jw *w, uintmax_t v)
{
	char buf[32];
	int n = snprintf(buf, sizeof(buf), "%" PRIuMAX, v);

	put(w, buf, (size_t)n);
}

static void boolean(struct jw *w, int v)
{
	puts0(w, v ? "true" : "false");
}

static void num_member(struct jw *w, const char *s, double x, int is_set)
{
	name(w, s);
	num(w, x, is_set);
}

static void key_member(struct jw *w, const struct dataset *ds,
		       const struct group *g, size_t skip)
{
	size_t k;

	name(w, "key");
	open_(w, "{");
	for (k = 0; k < ds->n_key_cols; k++) {
		if (k == skip)
			continue;
		name(w, ds->key_cols[k]);
		string_(w, g->key[k]);
	}
	close_(w, "}");
}

static void group_item(struct jw *w, const struct report *r, size_t i)
{
	const struct group *g = &r->ds->groups[i];
	const struct summary *s = &r->sums[i];
	int ci = s->has_ci;

	next_line(w);
	open_(w, "{");
	key_member(w, r->ds, g, NONE);
	name(w, "unit");
	string_(w, g->unit);
	name(w, "better");
	str_or_null(w, fmt_better_word(g->better));
	name(w, "n");
	integer(w, s->n);
	num_member(w, "mean", s->mean, 1);
	num_member(w, "sd", s->sd, ci);
	num_member(w, "sem", s->sem, ci);
	num_member(w, "ci_lo", s->ci_lo, ci);
	num_member(w, "ci_hi", s->ci_hi, ci);
	num_member(w, "min", s->min, 1);
	num_member(w, "q1", s->q1, 1);
	num_member(w, "median", s->median, 1);
	num_member(w, "q3", s->q3, 1);
	num_member(w, "max", s->max, 1);
	num_member(w, "cv", s->cv, ci);
	num_member(w, "mad", s->mad, 1);
	name(w, "outliers");
	integer(w, s->n_outliers);
	close_(w, "}");
}

static void cmp_item(struct jw *w, const struct report *r, size_t i)
{
	const struct dataset *ds = r->ds;
	const struct comparison *c = &r->cmps[i];
	const struct ratio_ci *q = &c->ratio;
	const struct group *b = &ds->groups[c->baseline];
	int t = c->has_test, ci = q->has_ci && q->is_bounded;
	char change[CHANGE_MAX];

	cmp_wording(c, b, change, sizeof(change));
	next_line(w);
	open_(w, "{");
	key_member(w, ds, b, ds->factor_index);
	name(w, "baseline");
	string_(w, load_factor(ds, b));
	name(w, "other");
	string_(w, load_factor(ds, &ds->groups[c->other]));
	name(w, "baseline_group");
	integer(w, c->baseline);
	name(w, "other_group");
	integer(w, c->other);
	num_member(w, "ratio", q->ratio, 1);
	num_member(w, "ratio_lo", q->lo, ci);
	num_member(w, "ratio_hi", q->hi, ci);
	name(w, "ratio_bounded");
	if (q->has_ci)
		boolean(w, q->is_bounded);
	else
		puts0(w, "null");
	name(w, "change");
	string_(w, change);
	name(w, "test");
	str_or_null(w, !t ? NULL : c->test == CMP_TEST_MWU ? "mwu" : "welch");
	num_member(w, "statistic", c->statistic, t);
	num_member(w, "df", c->df, t && c->test == CMP_TEST_WELCH);
	num_member(w, "p", c->p, t);
	num_member(w, "p_holm", c->p_adjusted, t);
	name(w, "significant");
	if (t)
		boolean(w, c->is_significant);
	else
		puts0(w, "null");
	close_(w, "}");
}

static void sources(struct jw *w, const struct dataset *ds)
{
	size_t i;

	name(w, "sources");
	open_(w, "[");
	for (i = 0; i < ds->n_sources; i++) {
		const struct source *s = &ds->sources[i];

		next_line(w);
		open_(w, "{");
		name(w, "path");
		string_(w, s->path);
		name(w, "rows");
		integer(w, s->n_rows);
		name(w, "skipped");
		integer(w, s->n_skipped);
		name(w, "provenance");
		str_or_null(w, s->provenance);
		name(w, "meta");
		str_or_null(w, s->meta_path);
		close_(w, "}");
	}
	close_(w, "]");
}

static const char *const finding_names[] = {
	[FINDING_WITHIN_NOISE] = "within_noise",
	[FINDING_HIGH_CV] = "high_cv",
	[FINDING_TOO_FEW_RUNS] = "too_few_runs",
	[FINDING_TREND] = "trend",
	[FINDING_KVM_LIKE_TCG] = "kvm_like_tcg",
	[FINDING_OUTLIERS] = "outliers",
	[FINDING_SINGLE_RUN] = "single_run",
	[FINDING_BIMODAL] = "bimodal"
};

static void index_or_null(struct jw *w, size_t i)
{
	if (i == NONE)
		puts0(w, "null");
	else
		integer(w, i);
}

static void findings(struct jw *w, const struct report *r)
{
	size_t i;

	name(w, "findings");
	open_(w, "[");
	for (i = 0; i < r->n_findings; i++) {
		const struct finding *fd = &r->findings[i];

		next_line(w);
		open_(w, "{");
		name(w, "kind");
		string_(w, finding_names[fd->kind]);
		name(w, "group");
		index_or_null(w, fd->group);
		name(w, "comparison");
		index_or_null(w, fd->comparison);
		name(w, "text");
		string_(w, fd->text);
		close_(w, "}");
	}
	close_(w, "]");
}

/* Warnings as the lines main printed on stderr, without the newline. */
static void warnings(struct jw *w, const struct dataset *ds)
{
	size_t i, len;
	char *buf;
	FILE *m;

	name(w, "warnings");
	open_(w, "[");
	for (i = 0; i < ds->warnings.n; i++) {
		m = open_memstream(&buf, &len);
		if (!m) {
			w->is_error = 1;
			continue;
		}
		diag_print(m, "analyze", &ds->warnings.items[i]);
		if (fclose(m) == 0) {
			if (len && buf[len - 1] == '\n')
				buf[len - 1] = '\0';
			next_line(w);
			string_(w, buf);
		} else {
			w->is_error = 1;
		}
		free(buf);
	}
	close_(w, "]");
}

int fmt_json(FILE *f, const struct report *r, const struct fmt_options *opt)
{
	const struct dataset *ds = r->ds;
	struct jw *w = xmalloc(sizeof(*w));
	size_t i, k;
	int rc;

	w->f = f;
	w->depth = 0;
	w->is_error = 0;
	w->used = 0;

	open_(w, "{");
	name(w, "tool");
	string_(w, "analyze");
	name(w, "version");
	string_(w, opt->version);
	num_member(w, "level", r->level, 1);
	name(w, "test");
	string_(w, r->test == CMP_TEST_MWU ? "mwu" : "welch");
	name(w, "ratio_ci");
	string_(w, "fieller");
	name(w, "factor");
	string_(w, ds->key_cols[ds->factor_index]);
	name(w, "baseline");
	str_or_null(w, r->n_cmps ?
		    load_factor(ds, &ds->groups[r->cmps[0].baseline]) : NULL);
	name(w, "key_columns");
	open_(w, "[");
	for (k = 0; k < ds->n_key_cols; k++) {
		next_line(w);
		string_(w, ds->key_cols[k]);
	}
	close_(w, "]");
	name(w, "rows");
	integer(w, ds->n_rows);
	name(w, "skipped");
	integer(w, ds->n_skipped);
	name(w, "outliers_dropped");
	if (r->is_outliers_dropped)
		integer(w, r->n_outliers_dropped);
	else
		puts0(w, "null");
	sources(w, ds);
	name(w, "groups");
	open_(w, "[");
	for (i = 0; i < ds->n_groups && !w->is_error; i++)
		group_item(w, r, i);
	close_(w, "]");
	name(w, "comparisons");
	open_(w, "[");
	for (i = 0; i < r->n_cmps && !w->is_error; i++)
		cmp_item(w, r, i);
	close_(w, "]");
	if (opt->is_explain) {
		findings(w, r);
	} else {
		name(w, "findings");
		puts0(w, "null");
	}
	warnings(w, ds);
	close_(w, "}");
	put(w, "\n", 1);
	flush(w);
	rc = w->is_error ? -1 : 0;
	free(w);
	return rc;
}
