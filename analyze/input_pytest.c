/*
 * input_pytest: pytest-benchmark's JSON (--benchmark-json=FILE, and the
 * files --benchmark-save/--benchmark-autosave keep in .benchmarks/).
 *
 * pytest-benchmark's "compare" puts saved runs side by side: here that is
 * --factor file (with --label). Mapping of each entry of "benchmarks":
 *   platform   "native"
 *   benchmark  "fullname" (test_mod.py::test_x), without its "[...]"
 *              parameter id when "params" says what it means
 *   metric     time, unit s: each round's time per call, from
 *              stats.data (--benchmark-json always writes it, saved runs
 *              with --benchmark-save-data); without it, stats.mean as one
 *              row (n = 1, no CI) with a note
 *   run        the round's index
 *   config     "params" as name=value joined by ','
 *   host       machine_info.node
 *   group      "group", and iterations: stats.iterations, extra columns
 * machine_info, commit_info, datetime, version, and each benchmark's
 * options and extra_info go to the file's provenance.
 */
#include "input.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

struct pt {
	struct input_file *in;
	struct diag *err;
	int has_benchmarks;
	int is_noted, is_options_kept;
	struct input_buf host, config, name;
};

static void *pt_start(struct input_file *in, struct diag *err)
{
	static const char *const extras[] = { "group", "iterations" };
	struct pt *p = xcalloc(1, sizeof(*p));

	p->in = in;
	p->err = err;
	(void)input_begin(in, extras, 2, err);
	input_provenance(in, "pytest-benchmark JSON");
	return p;
}

static void pt_release(void *ctx)
{
	struct pt *p = ctx;

	input_buf_release(&p->host);
	input_buf_release(&p->config);
	input_buf_release(&p->name);
	free(p);
}

/* v as short text: scalars as written, objects as k=v, arrays a b c. */
static void text_of(struct input_buf *b, const struct json_node *v)
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
			input_buf_printf(b, "%s%.17g", i ? " " : "",
					 v->u.nums.v[i]);
		break;
	case JSON_T_ARRAY:
	case JSON_T_OBJECT:
		for (i = 0; i < v->u.kids.n; i++) {
			const struct json_node *k = v->u.kids.items[i];

			if (i)
				input_buf_add(b, " ", 1);
			if (k->key)
				input_buf_printf(b, "%s=", k->key);
			text_of(b, k);
		}
		break;
	}
}

static int pt_member(void *ctx, const struct json_node *v)
{
	struct pt *p = ctx;
	struct input_buf b = { 0 };
	const struct json_node *node;

	if (!strcmp(v->key, "benchmarks"))
		return input_error(p->in, p->err, v->line, "benchmarks: "
				   "expected an array, found %s",
				   json_type_name(v->type));
	if (!strcmp(v->key, "machine_info") &&
	    (node = json_get(v, "node")) && node->type == JSON_T_STRING)
		input_buf_add(&p->host, node->u.str.s, node->u.str.len);
	input_buf_printf(&b, "%s ", v->key);
	text_of(&b, v);
	input_provenance(p->in, "%s", input_buf_str(&b));
	input_buf_release(&b);
	return 0;
}

/* The benchmark name and config of record r into p->name, p->config. */
static int pt_names(struct pt *p, size_t i, const struct json_node *r)
{
	const struct json_node *full = json_get(r, "fullname");
	const struct json_node *params = json_get(r, "params");
	size_t k, n;

	if (!full)
		full = json_get(r, "name");
	if (!full || full->type != JSON_T_STRING || !full->u.str.len)
		return input_error(p->in, p->err, full ? full->line : r->line,
				   "benchmarks[%zu].fullname: %s", i, full ?
				   "expected a non-empty string" : "missing");
	input_buf_clear(&p->name);
	input_buf_clear(&p->config);
	n = full->u.str.len;
	if (params && params->type == JSON_T_OBJECT && params->u.kids.n &&
	    full->u.str.s[n - 1] == ']') {
		const char *open = memchr(full->u.str.s, '[', n);

		if (open)
			n = (size_t)(open - full->u.str.s);
	}
	input_buf_add(&p->name, full->u.str.s, n);
	if (!params || params->type == JSON_T_NULL)
		return 0;
	if (params->type != JSON_T_OBJECT)
		return input_error(p->in, p->err, params->line, "benchmarks[%zu]"
				   ".params: expected an object, found %s", i,
				   json_type_name(params->type));
	for (k = 0; k < params->u.kids.n; k++) {
		const struct json_node *e = params->u.kids.items[k];

		input_buf_printf(&p->config, "%s%s=", k ? "," : "", e->key);
		text_of(&p->config, e);
	}
	return 0;
}

/* options (once) and extra_info (when not empty) to the provenance. */
static void pt_context(struct pt *p, const struct json_node *r)
{
	const struct json_node *opt = json_get(r, "options");
	const struct json_node *extra = json_get(r, "extra_info");
	struct input_buf b = { 0 };

	if (opt && opt->type == JSON_T_OBJECT && !p->is_options_kept) {
		p->is_options_kept = 1;
		input_buf_printf(&b, "options ");
		text_of(&b, opt);
		input_provenance(p->in, "%s", input_buf_str(&b));
		input_buf_clear(&b);
	}
	if (extra && extra->type == JSON_T_OBJECT && extra->u.kids.n) {
		input_buf_printf(&b, "%s extra_info ", input_buf_str(&p->name));
		text_of(&b, extra);
		input_provenance(p->in, "%s", input_buf_str(&b));
	}
	input_buf_release(&b);
}

static int pt_number(struct pt *p, size_t i, const struct json_node *v,
		     const char *what)
{
	if (!v)
		return input_error(p->in, p->err, 0, "benchmarks[%zu].stats.%s: "
				   "missing", i, what);
	if (v->type != JSON_T_NUMBER)
		return input_error(p->in, p->err, v->line, "benchmarks[%zu]."
				   "stats.%s: expected a number, found %s", i,
				   what, json_type_name(v->type));
	if (!v->u.num.is_finite)
		return input_error(p->in, p->err, v->line, "benchmarks[%zu]."
				   "stats.%s: number '%s' out of range", i,
				   what, v->u.num.text);
	return 0;
}

static int pt_record(void *ctx, const char *key, size_t i,
		     const struct json_node *r)
{
	struct pt *p = ctx;
	const struct json_node *stats, *data, *mean, *iters, *group;
	struct input_row row;
	char iter_text[48] = "";
	size_t k;
	int rc;

	if (strcmp(key, "benchmarks"))
		return 0;
	p->has_benchmarks = 1;
	if (r->type != JSON_T_OBJECT)
		return input_error(p->in, p->err, r->line, "benchmarks[%zu]: "
				   "expected an object, found %s", i,
				   json_type_name(r->type));
	if ((rc = pt_names(p, i, r)))
		return rc;
	pt_context(p, r);
	stats = json_get(r, "stats");
	if (!stats || stats->type != JSON_T_OBJECT)
		return input_error(p->in, p->err, stats ? stats->line : r->line,
				   "benchmarks[%zu].stats: %s", i, stats ?
				   "expected an object" : "missing");
	data = json_get(stats, "data");
	iters = json_get(stats, "iterations");
	if (iters && !pt_number(p, i, iters, "iterations"))
		snprintf(iter_text, sizeof(iter_text), "%.17g", iters->u.num.v);
	group = json_get(r, "group");
	memset(&row, 0, sizeof(row));
	row.platform = INPUT_DEFAULT_PLATFORM;
	row.benchmark = input_buf_str(&p->name);
	row.metric = "time";
	row.unit = "s";
	row.config = input_buf_str(&p->config);
	row.host = input_buf_str(&p->host);
	row.extra[0] = group && group->type == JSON_T_STRING ?
		       group->u.str.s : "";
	row.extra[1] = iter_text;
	if (data && data->type == JSON_T_NUMBERS) {
		if (data->u.nums.has_bad)
			return input_error(p->in, p->err, data->u.nums.bad_line,
					   "benchmarks[%zu].stats.data[%zu]: "
					   "%s%s", i, data->u.nums.bad_index,
					   data->u.nums.bad_type ==
					   JSON_T_NUMBER ? "number out of "
					   "range" : "expected a number, found ",
					   data->u.nums.bad_type ==
					   JSON_T_NUMBER ? "" : json_type_name(
					   data->u.nums.bad_type));
		for (k = 0, rc = 0; k < data->u.nums.n && !rc; k++) {
			row.value = data->u.nums.v[k];
			row.run = (long long)k;
			rc = input_emit(p->in, data->line, &row, 2);
		}
		return rc;
	}
	if (data && !(data->type == JSON_T_ARRAY && data->u.kids.n == 0))
		return input_error(p->in, p->err, data->line, "benchmarks[%zu]."
				   "stats.data: expected an array of numbers, "
				   "found %s", i, json_type_name(data->type));
	mean = json_get(stats, "mean");
	if ((rc = pt_number(p, i, mean, "mean")))
		return rc;
	if (!p->is_noted) {
		p->is_noted = 1;
		input_note(p->in, mean->line, "benchmarks[%zu]: no per-round "
			   "data (--benchmark-save keeps them with "
			   "--benchmark-save-data): each stats.mean is read as "
			   "one row (n = 1, no CI)", i);
	}
	row.value = mean->u.num.v;
	row.run = -1;
	return input_emit(p->in, mean->line, &row, 2);
}

static int pt_records_end(void *ctx, const char *key, size_t n,
			      unsigned long line)
{
	struct pt *p = ctx;

	if (strcmp(key, "benchmarks"))
		return 0;
	p->has_benchmarks = 1;
	if (n == 0)
		return input_error(p->in, p->err, line, "benchmarks: empty "
				   "array (no benchmark ran)");
	return 0;
}

static int pt_end(void *ctx, unsigned long last_line)
{
	struct pt *p = ctx;

	(void)last_line;
	if (!p->has_benchmarks)
		return input_error(p->in, p->err, 0, "no 'benchmarks' array "
				   "(not a pytest-benchmark JSON file)");
	return 0;
}

const struct json_format input_json_pytest = {
	INPUT_PYTEST, pt_start, pt_member, pt_record, pt_records_end, pt_end,
	pt_release
};

int input_pytest(struct input_file *in, struct diag *err)
{
	return input_json_auto(in, err);
}
