/*
 * input_gbench: Google Benchmark's JSON (--benchmark_format=json, or
 * --benchmark_out=FILE --benchmark_out_format=json).
 *
 * Google Benchmark's compare.py compares two such files, benchmark by
 * benchmark: here that is --factor file (with --label). Mapping of each
 * entry of "benchmarks" whose run_type is "iteration":
 *   platform   "native"
 *   benchmark  "run_name" ("name" in files before 1.5), e.g. BM_Sum/64
 *   metric     real_time, cpu_time, and every counter: bytes_per_second,
 *              items_per_second and the user's (any other number)
 *   unit       "time_unit" (ns, us, ms, s) for the times; B/s and items/s
 *              for the two rates; none for user counters
 *   run        "repetition_index" (--benchmark_repetitions)
 *   config     "label" (SetLabel) as label=TEXT
 *   host       context.host_name
 *   iterations "iterations", an extra column
 * The context (date, executable, CPUs, MHz, caches, load average, build
 * type) is the file's provenance. Aggregates (run_type "aggregate":
 * _mean, _median, _stddev, _cv, and BigO/RMS) are Google Benchmark's own
 * summaries of the repetitions above them and are not read again; only
 * when a benchmark has no repetition in the file
 * (--benchmark_report_aggregates_only) is its _mean read, as one row (n =
 * 1, no CI), with a note. A benchmark with error_occurred is skipped with
 * a note. Files before run_type existed are told by the name suffix.
 */
#include "input.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

/* A row of a _mean aggregate, kept until the end in case its benchmark
 * has no repetition rows. */
struct gb_mean {
	char *run_name, *metric, *unit, *config, *iterations;
	double value;
	unsigned long line;
};

struct gb {
	struct input_file *in;
	struct diag *err;
	int has_benchmarks;
	struct input_buf host;
	struct input_strset with_runs;	/* run_names with iteration rows */
	struct gb_mean *means;
	size_t n_means, cap_means;
	int is_bigo_noted;
};

static void *gb_start(struct input_file *in, struct diag *err)
{
	static const char *const extras[] = { "iterations" };
	struct gb *g = xcalloc(1, sizeof(*g));

	g->in = in;
	g->err = err;
	(void)input_begin(in, extras, 1, err);
	return g;
}

static void gb_release(void *ctx)
{
	struct gb *g = ctx;
	size_t i;

	for (i = 0; i < g->n_means; i++) {
		free(g->means[i].run_name);
		free(g->means[i].metric);
		free(g->means[i].unit);
		free(g->means[i].config);
		free(g->means[i].iterations);
	}
	free(g->means);
	input_strset_release(&g->with_runs);
	input_buf_release(&g->host);
	free(g);
}

/* A scalar or a list of scalars, as text. */
static void scalar_text(struct input_buf *b, const struct json_node *v)
{
	size_t i;

	switch (v->type) {
	case JSON_T_STRING: input_buf_add(b, v->u.str.s, v->u.str.len); break;
	case JSON_T_NUMBER: input_buf_printf(b, "%s", v->u.num.text); break;
	case JSON_T_BOOL:
		input_buf_printf(b, "%s", v->u.boolean ? "true" : "false");
		break;
	case JSON_T_NULL: input_buf_printf(b, "null"); break;
	case JSON_T_NUMBERS:
		for (i = 0; i < v->u.nums.n; i++)
			input_buf_printf(b, "%s%.6g", i ? " " : "",
					 v->u.nums.v[i]);
		break;
	case JSON_T_ARRAY:
	case JSON_T_OBJECT:
		for (i = 0; i < v->u.kids.n; i++) {
			const struct json_node *k = v->u.kids.items[i];

			if (i)
				input_buf_add(b, v->type == JSON_T_OBJECT ?
					      " " : ", ", v->type ==
					      JSON_T_OBJECT ? 1 : 2);
			if (k->key && v->type == JSON_T_OBJECT &&
			    k->type != JSON_T_OBJECT)
				input_buf_printf(b, "%s=", k->key);
			scalar_text(b, k);
		}
		break;
	}
}

/* "context": host_name is the host; everything is the provenance. */
static int gb_context(struct gb *g, const struct json_node *c)
{
	struct input_buf b = { 0 };
	const struct json_node *h = json_get(c, "host_name");
	const struct json_node *scaling = json_get(c, "cpu_scaling_enabled");
	size_t i;

	if (c->type != JSON_T_OBJECT)
		return input_error(g->in, g->err, c->line, "context: expected "
				   "an object, found %s",
				   json_type_name(c->type));
	if (h && h->type == JSON_T_STRING)
		input_buf_add(&g->host, h->u.str.s, h->u.str.len);
	input_buf_printf(&b, "Google Benchmark JSON: ");
	for (i = 0; i < c->u.kids.n; i++) {
		const struct json_node *k = c->u.kids.items[i];

		input_buf_printf(&b, "%s%s ", i ? "; " : "", k->key);
		scalar_text(&b, k);
	}
	input_provenance(g->in, "%s", input_buf_str(&b));
	input_buf_release(&b);
	if (scaling && scaling->type == JSON_T_BOOL && scaling->u.boolean)
		input_note(g->in, scaling->line, "context: CPU scaling was "
			   "enabled; Google Benchmark warns that real time "
			   "measurements may be noisy");
	return 0;
}

static int gb_member(void *ctx, const struct json_node *v)
{
	struct gb *g = ctx;

	if (!strcmp(v->key, "context"))
		return gb_context(g, v);
	if (!strcmp(v->key, "benchmarks"))
		return input_error(g->in, g->err, v->line, "benchmarks: "
				   "expected an array, found %s",
				   json_type_name(v->type));
	return 0;
}

/* Members that are not counters. */
static int is_field(const char *k)
{
	static const char *const fields[] = {
		"name", "run_name", "run_type", "family_index",
		"per_family_instance_index", "repetitions",
		"repetition_index", "threads", "iterations", "real_time",
		"cpu_time", "time_unit", "aggregate_name", "aggregate_unit",
		"label", "error_occurred", "error_message", "big_o",
		"complexity", "rms"
	};
	size_t i;

	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (!strcmp(k, fields[i]))
			return 1;
	return 0;
}

/* Google Benchmark's aggregate name suffixes (files without run_type). */
static const char *aggregate_suffix(const char *name)
{
	static const char *const sfx[] = {
		"_mean", "_median", "_stddev", "_cv", "_BigO", "_RMS"
	};
	size_t i, n = strlen(name), k;

	for (i = 0; i < sizeof(sfx) / sizeof(sfx[0]); i++) {
		k = strlen(sfx[i]);
		if (n > k && !strcmp(name + n - k, sfx[i]))
			return sfx[i] + 1;
	}
	return NULL;
}

static const struct json_node *gb_string(struct gb *g, size_t i,
					 const struct json_node *r,
					 const char *key, int *rc)
{
	const struct json_node *v = json_get(r, key);

	if (v && v->type != JSON_T_STRING) {
		*rc = input_error(g->in, g->err, v->line, "benchmarks[%zu].%s: "
				  "expected a string, found %s", i, key,
				  json_type_name(v->type));
		return NULL;
	}
	return v;
}

/* Check a number member used as a value. */
static int gb_number(struct gb *g, size_t i, const struct json_node *v)
{
	if (v->type != JSON_T_NUMBER)
		return input_error(g->in, g->err, v->line, "benchmarks[%zu].%s: "
				   "expected a number, found %s", i, v->key,
				   json_type_name(v->type));
	if (!v->u.num.is_finite)
		return input_error(g->in, g->err, v->line, "benchmarks[%zu].%s: "
				   "number '%s' out of range", i, v->key,
				   v->u.num.text);
	return 0;
}

static const char *metric_unit(const char *metric, const char *time_unit)
{
	if (!strcmp(metric, "real_time") || !strcmp(metric, "cpu_time"))
		return time_unit;
	if (!strcmp(metric, "bytes_per_second"))
		return "B/s";
	if (!strcmp(metric, "items_per_second"))
		return "items/s";
	return "";
}

static void keep_mean(struct gb *g, const struct input_row *row,
		      const char *run_name, unsigned long line)
{
	struct gb_mean *m;

	if (g->n_means == g->cap_means) {
		g->cap_means = g->cap_means ? 2 * g->cap_means : 16;
		g->means = xreallocarray(g->means, g->cap_means,
					 sizeof(*g->means));
	}
	m = &g->means[g->n_means++];
	m->run_name = xstrdup(run_name);
	m->metric = xstrdup(row->metric);
	m->unit = xstrdup(row->unit);
	m->config = xstrdup(row->config);
	m->iterations = xstrdup(row->extra[0]);
	m->value = row->value;
	m->line = line;
}

/* The rows of one benchmark entry: to the sink, or kept (a _mean). */
static int gb_rows(struct gb *g, size_t i, const struct json_node *r,
		   struct input_row *row, const char *time_unit,
		   int is_mean)
{
	size_t k;
	int rc = 0;

	for (k = 0; k < r->u.kids.n && !rc; k++) {
		const struct json_node *v = r->u.kids.items[k];

		if (!v->key || (is_field(v->key) && strcmp(v->key, "real_time") &&
				strcmp(v->key, "cpu_time")))
			continue;
		if ((rc = gb_number(g, i, v)))
			return rc;
		row->metric = v->key;
		row->unit = metric_unit(v->key, time_unit);
		row->value = v->u.num.v;
		if (is_mean)
			keep_mean(g, row, row->benchmark, v->line);
		else
			rc = input_emit(g->in, v->line, row, 1);
	}
	return rc;
}

static int gb_record(void *ctx, const char *key, size_t i,
		     const struct json_node *r)
{
	struct gb *g = ctx;
	const struct json_node *name, *run_name, *type, *agg, *unit, *label;
	const struct json_node *rep, *iters, *err_flag, *err_msg;
	struct input_buf config = { 0 };
	struct input_row row;
	char iter_text[48] = "", shown[128];
	const char *agg_name = NULL;
	int rc = 0;

	if (strcmp(key, "benchmarks"))
		return 0;
	g->has_benchmarks = 1;
	if (r->type != JSON_T_OBJECT)
		return input_error(g->in, g->err, r->line, "benchmarks[%zu]: "
				   "expected an object, found %s", i,
				   json_type_name(r->type));
	name = gb_string(g, i, r, "name", &rc);
	run_name = gb_string(g, i, r, "run_name", &rc);
	type = gb_string(g, i, r, "run_type", &rc);
	agg = gb_string(g, i, r, "aggregate_name", &rc);
	unit = gb_string(g, i, r, "time_unit", &rc);
	label = gb_string(g, i, r, "label", &rc);
	err_msg = gb_string(g, i, r, "error_message", &rc);
	if (rc)
		return rc;
	if (!name)
		return input_error(g->in, g->err, r->line, "benchmarks[%zu]: "
				   "no 'name'", i);
	err_flag = json_get(r, "error_occurred");
	if (err_flag && err_flag->type == JSON_T_BOOL && err_flag->u.boolean) {
		input_note(g->in, r->line, "benchmarks[%zu]: '%s' failed "
			   "(%s); not read", i,
			   input_show(shown, sizeof(shown), name->u.str.s),
			   err_msg ? err_msg->u.str.s : "no message");
		return 0;
	}
	if (type && strcmp(type->u.str.s, "iteration") &&
	    strcmp(type->u.str.s, "aggregate"))
		return input_error(g->in, g->err, type->line, "benchmarks[%zu]."
				   "run_type: '%s' is neither iteration nor "
				   "aggregate", i,
				   input_show(shown, sizeof(shown),
					      type->u.str.s));
	if (type ? !strcmp(type->u.str.s, "aggregate") :
	    aggregate_suffix(name->u.str.s) != NULL)
		agg_name = agg ? agg->u.str.s : aggregate_suffix(name->u.str.s);
	if (agg_name && strcmp(agg_name, "mean")) {
		if ((!strcmp(agg_name, "BigO") || !strcmp(agg_name, "RMS")) &&
		    !g->is_bigo_noted) {
			g->is_bigo_noted = 1;
			input_note(g->in, r->line, "benchmarks[%zu]: complexity "
				   "fits (BigO, RMS) are not read", i);
		}
		return 0;
	}
	rep = json_get(r, "repetition_index");
	iters = json_get(r, "iterations");
	if (iters && !gb_number(g, i, iters))
		snprintf(iter_text, sizeof(iter_text), "%.17g", iters->u.num.v);
	if (rep && (rc = gb_number(g, i, rep)))
		return rc;
	if (label)
		input_buf_printf(&config, "label=%s", label->u.str.s);
	memset(&row, 0, sizeof(row));
	row.platform = INPUT_DEFAULT_PLATFORM;
	row.benchmark = run_name ? run_name->u.str.s : name->u.str.s;
	row.config = input_buf_str(&config);
	row.host = input_buf_str(&g->host);
	row.run = rep && !agg_name ? (long long)rep->u.num.v : -1;
	row.extra[0] = iter_text;
	if (!agg_name)
		input_strset_add(&g->with_runs, row.benchmark);
	rc = gb_rows(g, i, r, &row, unit ? unit->u.str.s : "ns",
		     agg_name != NULL);
	input_buf_release(&config);
	return rc;
}

static int gb_records_end(void *ctx, const char *key, size_t n,
			      unsigned long line)
{
	struct gb *g = ctx;

	if (strcmp(key, "benchmarks"))
		return 0;
	g->has_benchmarks = 1;
	if (n == 0)
		return input_error(g->in, g->err, line, "benchmarks: empty "
				   "array (no benchmark ran)");
	return 0;
}

static int gb_end(void *ctx, unsigned long last_line)
{
	struct gb *g = ctx;
	struct input_row row;
	size_t i;
	int rc = 0, is_noted = 0;

	if (!g->has_benchmarks)
		return input_error(g->in, g->err, 0, "no 'benchmarks' array "
				   "(not a Google Benchmark JSON file)");
	memset(&row, 0, sizeof(row));
	row.platform = INPUT_DEFAULT_PLATFORM;
	row.host = input_buf_str(&g->host);
	row.run = -1;
	for (i = 0; i < g->n_means && !rc; i++) {
		struct gb_mean *m = &g->means[i];

		if (input_strset_has(&g->with_runs, m->run_name))
			continue;	/* the repetitions are read */
		if (!is_noted) {
			is_noted = 1;
			input_note(g->in, m->line, "'%s' and others have only "
				   "aggregates (--benchmark_report_aggregates_"
				   "only): each _mean is read as one row (n = 1, "
				   "no CI)", m->run_name);
		}
		row.benchmark = m->run_name;
		row.metric = m->metric;
		row.unit = m->unit;
		row.config = m->config;
		row.value = m->value;
		row.extra[0] = m->iterations;
		rc = input_emit(g->in, m->line, &row, 1);
	}
	if (!rc && g->in->n_rows == 0)
		rc = input_error(g->in, g->err, last_line, "benchmarks: no "
				 "result that could be read");
	return rc;
}

const struct json_format input_json_gbench = {
	INPUT_GBENCH, gb_start, gb_member, gb_record, gb_records_end, gb_end,
	gb_release
};

int input_gbench(struct input_file *in, struct diag *err)
{
	return input_json_auto(in, err);
}
