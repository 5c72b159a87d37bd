/*
 * input_hyperfine: hyperfine's --export-json and --export-csv files.
 *
 * hyperfine compares commands, and analyze compares platforms, so the
 * command is the platform: `analyze h.json` compares the commands of one
 * hyperfine run, against the first, with no option. Mapping of each entry
 * of "results":
 *   platform   "command" (the -n/--command-name when one was given)
 *   benchmark  "hyperfine"
 *   metric     real (each entry of "times"), user and sys ("user" and
 *              "system": one row per run when they are arrays, else their
 *              means as one row), max_rss ("memory_usage_byte", per run)
 *   unit       s (B for max_rss); run: the index in "times"
 *   config     "parameters" of --parameter-scan/-L as "name=value" joined
 *              by ',' (compare them with --factor config --by
 *              benchmark,metric)
 *   exit_code  "exit_codes"[run], an extra column (--by ...,exit_code
 *              splits them); runs that exited non-zero get a note
 * The CSV export holds one line of summaries per command: its mean is read
 * as an n = 1 real row (and user, system as n = 1 user, sys rows), with a
 * note that --export-json keeps the runs a CI needs; parameter_NAME
 * columns become the config.
 *
 * The CSV export is split with libcsv, as tidy CSV is (load.c).
 */
#include "input.h"
#include "xalloc.h"

#include <csv.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- JSON ------------------------------------------------------------------- */

struct hf {
	struct input_file *in;
	struct diag *err;
	int has_results;
	int is_mean_noted;	/* the note on user/system means was given */
	struct input_strset commands;	/* seen: a command given twice */
	struct input_buf config;
};

static void *hf_start(struct input_file *in, struct diag *err)
{
	static const char *const extras[] = { "exit_code" };
	struct hf *h = xcalloc(1, sizeof(*h));

	h->in = in;
	h->err = err;
	(void)input_begin(in, extras, 1, err);
	input_provenance(in, "hyperfine --export-json");
	return h;
}

static void hf_release(void *ctx)
{
	struct hf *h = ctx;

	input_strset_release(&h->commands);
	input_buf_release(&h->config);
	free(h);
}

static int hf_member(void *ctx, const struct json_node *v)
{
	struct hf *h = ctx;

	if (!strcmp(v->key, "results"))
		return input_error(h->in, h->err, v->line, "results: expected "
				   "an array, found %s", json_type_name(v->type));
	return 0;
}

/* An array of per-run numbers of result i, n of them (n_runs: as many as
 * times, or 0 for any). Returns 0, 1 when absent, or a status. */
static int run_array(struct hf *h, size_t i, const struct json_node *r,
		     const char *key, size_t n_runs,
		     const struct json_node **out)
{
	const struct json_node *a = json_get(r, key);

	*out = NULL;
	/* user and system are means (numbers) before per-run arrays. */
	if (!a || (a->type == JSON_T_NUMBER && n_runs &&
		   (!strcmp(key, "user") || !strcmp(key, "system"))))
		return 1;
	if (a->type == JSON_T_ARRAY && a->u.kids.n == 0 && n_runs == 0)
		return input_error(h->in, h->err, a->line, "results[%zu].%s: "
				   "empty array (no runs)", i, key);
	if (a->type == JSON_T_ARRAY && a->u.kids.n > 0)
		return input_error(h->in, h->err, a->u.kids.items[0]->line,
				   "results[%zu].%s[0]: expected a number, "
				   "found %s", i, key,
				   json_type_name(a->u.kids.items[0]->type));
	if (a->type != JSON_T_NUMBERS && a->type != JSON_T_ARRAY)
		return input_error(h->in, h->err, a->line, "results[%zu].%s: "
				   "expected an array of numbers, found %s", i,
				   key, json_type_name(a->type));
	if (a->type == JSON_T_NUMBERS && a->u.nums.has_bad)
		return input_error(h->in, h->err, a->u.nums.bad_line,
				   "results[%zu].%s[%zu]: %s%s", i, key,
				   a->u.nums.bad_index,
				   a->u.nums.bad_type == JSON_T_NUMBER ?
				   "number out of range" :
				   "expected a number, found ",
				   a->u.nums.bad_type == JSON_T_NUMBER ? "" :
				   json_type_name(a->u.nums.bad_type));
	if (n_runs && (a->type == JSON_T_ARRAY || a->u.nums.n != n_runs))
		return input_error(h->in, h->err, a->line, "results[%zu].%s: "
				   "%zu entries for %zu runs in 'times'", i, key,
				   a->type == JSON_T_ARRAY ? 0 : a->u.nums.n,
				   n_runs);
	*out = a;
	return 0;
}

/* "name=value,..." of "parameters" into h->config. */
static int parameters(struct hf *h, size_t i, const struct json_node *r)
{
	const struct json_node *p = json_get(r, "parameters");
	size_t k;

	input_buf_clear(&h->config);
	if (!p || p->type == JSON_T_NULL)
		return 0;
	if (p->type != JSON_T_OBJECT)
		return input_error(h->in, h->err, p->line, "results[%zu]."
				   "parameters: expected an object, found %s",
				   i, json_type_name(p->type));
	for (k = 0; k < p->u.kids.n; k++) {
		const struct json_node *e = p->u.kids.items[k];
		const char *val;

		if (e->type == JSON_T_STRING)
			val = e->u.str.s;
		else if (e->type == JSON_T_NUMBER)
			val = e->u.num.text;
		else
			return input_error(h->in, h->err, e->line, "results[%zu]"
					   ".parameters.%s: expected a string, "
					   "found %s", i, e->key,
					   json_type_name(e->type));
		input_buf_printf(&h->config, "%s%s=%s", k ? "," : "", e->key,
				 val);
	}
	return 0;
}

/* Notes on a command given twice and on runs that failed. */
static void hf_notes(struct hf *h, size_t i, const char *command,
		     const struct json_node *codes, unsigned long line)
{
	struct input_buf key = { 0 };
	char shown[128];
	size_t k, n_bad = 0;
	int is_twice;

	/* The same name with other parameters is another group. */
	input_buf_add(&key, command, strlen(command));
	input_buf_add(&key, "\n", 1);
	input_buf_add(&key, h->config.s ? h->config.s : "", h->config.len);
	is_twice = input_strset_add(&h->commands, input_buf_str(&key));
	input_buf_release(&key);
	if (is_twice)
		input_note(h->in, line, "results[%zu]: command '%s' was also "
			   "benchmarked earlier in the file; the runs of both "
			   "are pooled", i,
			   input_show(shown, sizeof(shown), command));
	for (k = 0; codes && k < codes->u.nums.n; k++)
		n_bad += codes->u.nums.v[k] != 0;
	if (n_bad)
		input_note(h->in, line, "results[%zu]: %zu of %zu runs of '%s' "
			   "exited with a non-zero status (hyperfine -i); they "
			   "are kept, with their status in the exit_code "
			   "column", i, n_bad, codes->u.nums.n,
			   input_show(shown, sizeof(shown), command));
}

/* One row per run of a per-run array a (metric), or one row of a mean. */
static int hf_emit(struct hf *h, struct input_row *row, const char *metric,
		   const char *unit, const struct json_node *a,
		   const struct json_node *codes)
{
	char code[32] = "";
	double last = 0;
	size_t k;
	int rc = 0;

	row->metric = metric;
	row->unit = unit;
	row->extra[0] = code;
	for (k = 0; a && k < a->u.nums.n && !rc; k++) {
		row->value = a->u.nums.v[k];
		row->run = (long long)k;
		/* Nearly all runs share one status: print it once. */
		if (codes && (k == 0 || codes->u.nums.v[k] != last)) {
			last = codes->u.nums.v[k];
			snprintf(code, sizeof(code), "%.17g", last);
		}
		rc = input_emit(h->in, a->line, row, 1);
	}
	return rc;
}

/* "user"/"system" as a mean (hyperfine up to 1.18): one n = 1 row. */
static int hf_mean(struct hf *h, size_t i, struct input_row *row,
		   const struct json_node *r, const char *key,
		   const char *metric)
{
	const struct json_node *m = json_get(r, key);

	if (!m || m->type == JSON_T_NUMBERS || m->type == JSON_T_ARRAY)
		return 0;
	if (m->type != JSON_T_NUMBER)
		return input_error(h->in, h->err, m->line, "results[%zu].%s: "
				   "expected a number, found %s", i, key,
				   json_type_name(m->type));
	if (!m->u.num.is_finite)
		return input_error(h->in, h->err, m->line, "results[%zu].%s: "
				   "number '%s' out of range", i, key,
				   m->u.num.text);
	if (!h->is_mean_noted) {
		h->is_mean_noted = 1;
		input_note(h->in, m->line, "results[%zu].%s: user and system "
			   "times are means over the runs in this hyperfine "
			   "version: read as one row each (n = 1, no CI)", i,
			   key);
	}
	row->metric = metric;
	row->unit = "s";
	row->value = m->u.num.v;
	row->run = -1;
	row->extra[0] = "";
	return input_emit(h->in, m->line, row, 1);
}

static int hf_record(void *ctx, const char *key, size_t i,
		     const struct json_node *r)
{
	struct hf *h = ctx;
	const struct json_node *cmd, *times, *codes, *user, *sys, *mem;
	struct input_row row;
	size_t n;
	int rc;

	if (strcmp(key, "results"))
		return 0;
	h->has_results = 1;
	if (r->type != JSON_T_OBJECT)
		return input_error(h->in, h->err, r->line, "results[%zu]: "
				   "expected an object, found %s", i,
				   json_type_name(r->type));
	cmd = json_get(r, "command");
	if (!cmd || cmd->type != JSON_T_STRING)
		return input_error(h->in, h->err, cmd ? cmd->line : r->line,
				   "results[%zu].command: %s", i, cmd ?
				   "expected a string" : "missing (the "
				   "command benchmarked)");
	if (!cmd->u.str.len)
		return input_error(h->in, h->err, cmd->line, "results[%zu]."
				   "command: empty", i);
	rc = run_array(h, i, r, "times", 0, &times);
	if (rc == 1)
		return input_error(h->in, h->err, r->line, "results[%zu]: no "
				   "'times' array (hyperfine 1.6 and later "
				   "write one per run; the summaries alone "
				   "give no CI)", i);
	n = rc ? 0 : times->u.nums.n;
	if (rc || (rc = run_array(h, i, r, "exit_codes", n, &codes)) < 0 ||
	    (rc = run_array(h, i, r, "user", n, &user)) < 0 ||
	    (rc = run_array(h, i, r, "system", n, &sys)) < 0 ||
	    (rc = run_array(h, i, r, "memory_usage_byte", n, &mem)) < 0 ||
	    (rc = parameters(h, i, r)))
		return rc;
	hf_notes(h, i, cmd->u.str.s, codes, r->line);
	memset(&row, 0, sizeof(row));
	row.platform = cmd->u.str.s;
	row.benchmark = "hyperfine";
	row.config = input_buf_str(&h->config);
	if ((rc = hf_emit(h, &row, "real", "s", times, codes)) ||
	    (rc = hf_emit(h, &row, "user", "s", user, codes)) ||
	    (rc = hf_emit(h, &row, "sys", "s", sys, codes)) ||
	    (rc = hf_emit(h, &row, "max_rss", "B", mem, codes)) ||
	    (rc = hf_mean(h, i, &row, r, "user", "user")) ||
	    (rc = hf_mean(h, i, &row, r, "system", "sys")))
		return rc;
	return 0;
}

static int hf_records_end(void *ctx, const char *key, size_t n,
			      unsigned long line)
{
	struct hf *h = ctx;

	if (strcmp(key, "results"))
		return 0;
	h->has_results = 1;
	if (n == 0)
		return input_error(h->in, h->err, line, "results: empty "
				   "array (no command was benchmarked)");
	return 0;
}

static int hf_end(void *ctx, unsigned long last_line)
{
	struct hf *h = ctx;

	(void)last_line;
	if (!h->has_results)
		return input_error(h->in, h->err, 0, "no 'results' array (not "
				   "a hyperfine --export-json file)");
	return 0;
}

const struct json_format input_json_hyperfine = {
	INPUT_HYPERFINE, hf_start, hf_member, hf_record, hf_records_end,
	hf_end, hf_release
};

int input_hyperfine_json(struct input_file *in, struct diag *err)
{
	return input_json_auto(in, err);
}

/* ---- CSV ------------------------------------------------------------------ */

/* hyperfine's CSV columns, in the order it writes them. */
static const char *const csv_cols[] = {
	"command", "mean", "stddev", "median", "user", "system", "min", "max"
};
#define N_CSV_COLS (sizeof(csv_cols) / sizeof(csv_cols[0]))

struct hfcsv {
	struct input_file *in;
	struct diag *err;
	int status;
	unsigned long line, row_line;
	char **field;			/* the record being read */
	size_t *len;
	size_t n, cap;
	char **param;			/* parameter_NAME columns: NAME */
	size_t n_cols;
	struct input_buf config;
	int is_noted;
};

static void csv_field_cb(void *s, size_t n, void *data)
{
	struct hfcsv *c = data;
	const char *f = s;
	size_t i;

	if (c->status)
		return;
	if (c->n == 0)
		c->row_line = c->line;
	if (memchr(f, '\0', n)) {
		c->status = input_error(c->in, c->err, c->row_line, "NUL byte "
					"in field %zu (is this a binary or "
					"UTF-16 file?)", c->n + 1);
		return;
	}
	if (c->n == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 16;
		c->field = xreallocarray(c->field, c->cap, sizeof(*c->field));
		c->len = xreallocarray(c->len, c->cap, sizeof(*c->len));
	}
	c->field[c->n] = xstrndup(f, n);
	c->len[c->n++] = n;
	for (i = 0; i < n; i++)
		if (f[i] == '\n')
			c->line++;
}

static int csv_header(struct hfcsv *c)
{
	size_t i;

	if (c->n < N_CSV_COLS)
		return input_error(c->in, c->err, c->row_line, "hyperfine CSV "
				   "header has %zu columns, expected at least "
				   "%zu (%s,...)", c->n, N_CSV_COLS, csv_cols[0]);
	for (i = 0; i < N_CSV_COLS; i++)
		if (strcmp(c->field[i], csv_cols[i]))
			return input_error(c->in, c->err, c->row_line, "column "
					   "%zu is '%.60s', expected '%s' (a "
					   "hyperfine --export-csv header)",
					   i + 1, c->field[i], csv_cols[i]);
	c->n_cols = c->n;
	c->param = xcalloc(c->n, sizeof(*c->param));
	for (i = N_CSV_COLS; i < c->n; i++) {
		if (strncmp(c->field[i], "parameter_", 10))
			return input_error(c->in, c->err, c->row_line, "column "
					   "%zu is '%.60s', expected "
					   "'parameter_NAME'", i + 1,
					   c->field[i]);
		c->param[i] = xstrdup(c->field[i] + 10);
	}
	return 0;
}

static int csv_row(struct hfcsv *c)
{
	static const char *const metric[] = { "real", "user", "sys" };
	static const size_t col[] = { 1, 4, 5 };
	char shown[128];
	struct input_row row;
	double v[3];
	size_t i;
	int rc;

	if (c->n != c->n_cols)
		return input_skip(c->in, c->row_line, "expected %zu fields, "
				  "found %zu", c->n_cols, c->n);
	for (i = 0; i < 3; i++)
		if (input_parse_double(c->field[col[i]], c->len[col[i]],
				       &v[i]))
			return input_skip(c->in, c->row_line, "column '%s': "
					  "'%s' is not a finite number",
					  csv_cols[col[i]],
					  input_show(shown, sizeof(shown),
						     c->field[col[i]]));
	input_buf_clear(&c->config);
	for (i = N_CSV_COLS; i < c->n; i++)
		input_buf_printf(&c->config, "%s%s=%s", i > N_CSV_COLS ?
				 "," : "", c->param[i], c->field[i]);
	if (!c->is_noted) {
		c->is_noted = 1;
		input_note(c->in, c->row_line, "hyperfine's CSV export holds "
			   "only summaries: each mean is read as one row (n = "
			   "1, no CI); --export-json keeps the runs a CI "
			   "needs");
	}
	memset(&row, 0, sizeof(row));
	row.platform = c->field[0];
	row.benchmark = "hyperfine";
	row.unit = "s";
	row.run = -1;
	row.config = input_buf_str(&c->config);
	for (i = 0, rc = 0; i < 3 && !rc; i++) {
		row.metric = metric[i];
		row.value = v[i];
		rc = input_emit(c->in, c->row_line, &row, 0);
	}
	return rc;
}

static void csv_record_cb(int ch, void *data)
{
	struct hfcsv *c = data;
	size_t i;

	if (!c->status && c->n > 0)
		c->status = c->param ? csv_row(c) : csv_header(c);
	for (i = 0; i < c->n; i++)
		free(c->field[i]);
	c->n = 0;
	if (ch == '\n' || ch == '\r')
		c->line++;
}

int input_hyperfine_csv(struct input_file *in, struct diag *err)
{
	struct csv_parser p;
	struct hfcsv c;
	char block[65536];
	ssize_t n;
	size_t i;

	memset(&c, 0, sizeof(c));
	c.in = in;
	c.err = err;
	c.line = 1;
	c.status = input_begin(in, NULL, 0, err);
	input_provenance(in, "hyperfine --export-csv (summaries only)");
	csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL);
	while (!c.status && (n = input_fill(in, block, sizeof(block), err))) {
		if (n < 0) {
			c.status = STATUS_RUNTIME;
		} else if (csv_parse(&p, block, (size_t)n, csv_field_cb,
				     csv_record_cb, &c) != (size_t)n &&
			   !c.status) {
			c.status = input_error(in, err, c.line, "malformed CSV "
					       "(a stray or unterminated "
					       "'\"')");
		}
	}
	if (!c.status && csv_fini(&p, csv_field_cb, csv_record_cb, &c))
		c.status = input_error(in, err, c.line, "unterminated quoted "
				       "field");
	csv_free(&p);
	for (i = 0; i < c.n; i++)
		free(c.field[i]);
	for (i = 0; c.param && i < c.n_cols; i++)
		free(c.param[i]);
	free(c.param);
	free(c.field);
	free(c.len);
	input_buf_release(&c.config);
	if (!c.status && in->n_rows == 0 && in->n_skipped == 0)
		c.status = input_error(in, err, c.line, "no commands after the "
				       "header");
	return c.status;
}
