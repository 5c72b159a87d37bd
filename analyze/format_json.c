/*
 * The JSON form of the report (jansson), documented field by field in
 * man/analyze.1. Keys are inserted in a fixed order and jansson keeps
 * insertion order, so the output is stable. Doubles are written by jansson
 * with 17 significant digits: exact, if not the shortest.
 */
#include "format.h"

#include <math.h>
#include <stdlib.h>

#include <jansson.h>

#define NONE ((size_t)-1)
#define CHANGE_MAX 96

/* A number, or null where it is undefined (no CI with n = 1). */
static json_t *jnum(double x, int is_set)
{
	return is_set && isfinite(x) ? json_real(x) : json_null();
}

static json_t *jstr_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *jkey(const struct dataset *ds, const struct group *g,
		    size_t skip)
{
	json_t *o = json_object();
	size_t k;

	for (k = 0; k < ds->n_key_cols; k++)
		if (k != skip)
			json_object_set_new(o, ds->key_cols[k],
					    json_string(g->key[k]));
	return o;
}

static json_t *json_group(const struct report *r, size_t i)
{
	const struct group *g = &r->ds->groups[i];
	const struct summary *s = &r->sums[i];
	json_t *o = json_object();
	int ci = s->has_ci;

	json_object_set_new(o, "key", jkey(r->ds, g, NONE));
	json_object_set_new(o, "unit", json_string(g->unit));
	json_object_set_new(o, "better", jstr_or_null(fmt_better_word(g->better)));
	json_object_set_new(o, "n", json_integer((json_int_t)s->n));
	json_object_set_new(o, "mean", jnum(s->mean, 1));
	json_object_set_new(o, "sd", jnum(s->sd, ci));
	json_object_set_new(o, "sem", jnum(s->sem, ci));
	json_object_set_new(o, "ci_lo", jnum(s->ci_lo, ci));
	json_object_set_new(o, "ci_hi", jnum(s->ci_hi, ci));
	json_object_set_new(o, "min", jnum(s->min, 1));
	json_object_set_new(o, "q1", jnum(s->q1, 1));
	json_object_set_new(o, "median", jnum(s->median, 1));
	json_object_set_new(o, "q3", jnum(s->q3, 1));
	json_object_set_new(o, "max", jnum(s->max, 1));
	json_object_set_new(o, "cv", jnum(s->cv, ci));
	json_object_set_new(o, "mad", jnum(s->mad, 1));
	json_object_set_new(o, "outliers",
			    json_integer((json_int_t)s->n_outliers));
	return o;
}

static json_t *json_cmp(const struct report *r, size_t i)
{
	const struct dataset *ds = r->ds;
	const struct comparison *c = &r->cmps[i];
	const struct ratio_ci *q = &c->ratio;
	const struct group *b = &ds->groups[c->baseline];
	json_t *o = json_object();
	int t = c->has_test, ci = q->has_ci && q->is_bounded;
	char change[CHANGE_MAX];

	cmp_wording(c, b, change, sizeof(change));
	json_object_set_new(o, "key", jkey(ds, b, ds->factor_index));
	json_object_set_new(o, "baseline", json_string(load_factor(ds, b)));
	json_object_set_new(o, "other",
			    json_string(load_factor(ds, &ds->groups[c->other])));
	json_object_set_new(o, "baseline_group",
			    json_integer((json_int_t)c->baseline));
	json_object_set_new(o, "other_group",
			    json_integer((json_int_t)c->other));
	json_object_set_new(o, "ratio", jnum(q->ratio, 1));
	json_object_set_new(o, "ratio_lo", jnum(q->lo, ci));
	json_object_set_new(o, "ratio_hi", jnum(q->hi, ci));
	json_object_set_new(o, "ratio_bounded", q->has_ci ?
			    json_boolean(q->is_bounded) : json_null());
	json_object_set_new(o, "change", json_string(change));
	json_object_set_new(o, "test", !t ? json_null() : json_string(
			    c->test == CMP_TEST_MWU ? "mwu" : "welch"));
	json_object_set_new(o, "statistic", jnum(c->statistic, t));
	json_object_set_new(o, "df", jnum(c->df,
			    t && c->test == CMP_TEST_WELCH));
	json_object_set_new(o, "p", jnum(c->p, t));
	json_object_set_new(o, "p_holm", jnum(c->p_adjusted, t));
	json_object_set_new(o, "significant",
			    t ? json_boolean(c->is_significant) : json_null());
	return o;
}

static json_t *json_sources(const struct dataset *ds)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < ds->n_sources; i++) {
		const struct source *s = &ds->sources[i];
		json_t *o = json_object();

		json_object_set_new(o, "path", json_string(s->path));
		json_object_set_new(o, "rows", json_integer(
				    (json_int_t)s->n_rows));
		json_object_set_new(o, "skipped", json_integer(
				    (json_int_t)s->n_skipped));
		json_object_set_new(o, "provenance",
				    jstr_or_null(s->provenance));
		json_object_set_new(o, "meta", jstr_or_null(s->meta_path));
		json_array_append_new(a, o);
	}
	return a;
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

static json_t *jindex(size_t i)
{
	return i == NONE ? json_null() : json_integer((json_int_t)i);
}

static json_t *json_findings(const struct report *r)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < r->n_findings; i++) {
		const struct finding *fd = &r->findings[i];
		json_t *o = json_object();

		json_object_set_new(o, "kind",
				    json_string(finding_names[fd->kind]));
		json_object_set_new(o, "group", jindex(fd->group));
		json_object_set_new(o, "comparison", jindex(fd->comparison));
		json_object_set_new(o, "text", json_string(fd->text));
		json_array_append_new(a, o);
	}
	return a;
}

/* Warnings as the lines main printed on stderr, without the newline. */
static json_t *json_warnings(const struct dataset *ds)
{
	json_t *a = json_array();
	size_t i, len;
	char *buf;
	FILE *m;

	for (i = 0; i < ds->warnings.n; i++) {
		m = open_memstream(&buf, &len);
		if (!m)
			continue;
		diag_print(m, &ds->warnings.items[i]);
		if (fclose(m) == 0) {
			if (len && buf[len - 1] == '\n')
				buf[len - 1] = '\0';
			json_array_append_new(a, json_string(buf));
		}
		free(buf);
	}
	return a;
}

static json_t *json_array_of(const struct report *r, size_t n,
			     json_t *(*item)(const struct report *, size_t))
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < n; i++)
		json_array_append_new(a, item(r, i));
	return a;
}

int fmt_json(FILE *f, const struct report *r, const struct fmt_options *opt)
{
	const struct dataset *ds = r->ds;
	json_t *o = json_object(), *keys = json_array();
	size_t k;
	int rc;

	for (k = 0; k < ds->n_key_cols; k++)
		json_array_append_new(keys, json_string(ds->key_cols[k]));
	json_object_set_new(o, "tool", json_string("analyze"));
	json_object_set_new(o, "version", json_string(opt->version));
	json_object_set_new(o, "level", json_real(r->level));
	json_object_set_new(o, "test", json_string(
			    r->test == CMP_TEST_MWU ? "mwu" : "welch"));
	json_object_set_new(o, "ratio_ci", json_string("fieller"));
	json_object_set_new(o, "factor",
			    json_string(ds->key_cols[ds->factor_index]));
	json_object_set_new(o, "baseline", r->n_cmps ? json_string(
			    load_factor(ds, &ds->groups[r->cmps[0].baseline]))
			    : json_null());
	json_object_set_new(o, "key_columns", keys);
	json_object_set_new(o, "rows", json_integer((json_int_t)ds->n_rows));
	json_object_set_new(o, "skipped",
			    json_integer((json_int_t)ds->n_skipped));
	json_object_set_new(o, "outliers_dropped", r->is_outliers_dropped ?
			    json_integer((json_int_t)r->n_outliers_dropped) :
			    json_null());
	json_object_set_new(o, "sources", json_sources(ds));
	json_object_set_new(o, "groups",
			    json_array_of(r, ds->n_groups, json_group));
	json_object_set_new(o, "comparisons",
			    json_array_of(r, r->n_cmps, json_cmp));
	json_object_set_new(o, "findings", opt->is_explain ?
			    json_findings(r) : json_null());
	json_object_set_new(o, "warnings", json_warnings(ds));
	rc = json_dumpf(o, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(o);
	if (rc == 0 && fputc('\n', f) == EOF)
		rc = -1;
	return rc;
}
