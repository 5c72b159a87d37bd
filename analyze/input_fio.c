/*
 * input_fio: fio's --output-format=json (json+ too: its latency bins are
 * not read).
 *
 * Each job is one measurement; jobs of the same name (numjobs=N without
 * group_reporting, or fio run again into another file) are its
 * repetitions. Mapping, for each job and each of read, write and trim that
 * did any I/O:
 *   platform   "native"
 *   benchmark  "jobname"
 *   metric     DIR: bandwidth (bw_bytes, unit B/s; bw in KiB/s for fio
 *              before 3.0); DIR_iops (unit IO/s); DIR_clat_pP for every
 *              completion-latency percentile P of clat_ns (DIR_clat_mean
 *              too), unit ns (clat in us for old fio); usr_cpu, sys_cpu
 *              (unit %)
 *   config     "global options" then "job options" (but the job's name)
 *              as name=value joined by ',': what the job ran
 *   run        none: the loader numbers jobs of one name 0, 1, ...
 * fio's version, time and disk_util go to the provenance. A job whose
 * "error" is not 0 is skipped with a note.
 */
#include "input.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct fio {
	struct input_file *in;
	struct diag *err;
	int has_jobs;
	const struct json_node *globals;	/* "global options" (lives
						 * as long as the document) */
	struct input_buf config, metric;
};

static void *fio_start(struct input_file *in, struct diag *err)
{
	struct fio *f = xcalloc(1, sizeof(*f));

	f->in = in;
	f->err = err;
	(void)input_begin(in, NULL, 0, err);
	input_provenance(in, "fio JSON");
	return f;
}

static void fio_release(void *ctx)
{
	struct fio *f = ctx;

	input_buf_release(&f->config);
	input_buf_release(&f->metric);
	free(f);
}

/* Options object o as name=value,... appended to b, but skip (a name
 * left out) and the names that object over has (its own value wins). */
static void options_text(struct input_buf *b, const struct json_node *o,
			 const char *skip, const struct json_node *over)
{
	size_t i;

	for (i = 0; o && o->type == JSON_T_OBJECT && i < o->u.kids.n; i++) {
		const struct json_node *v = o->u.kids.items[i];

		if ((skip && !strcmp(v->key, skip)) || json_get(over, v->key))
			continue;
		input_buf_printf(b, "%s%s=", b->len ? "," : "", v->key);
		if (v->type == JSON_T_STRING)
			input_buf_add(b, v->u.str.s, v->u.str.len);
		else if (v->type == JSON_T_NUMBER)
			input_buf_printf(b, "%s", v->u.num.text);
	}
}

static int fio_member(void *ctx, const struct json_node *v)
{
	struct fio *f = ctx;
	size_t i;

	if (!strcmp(v->key, "jobs"))
		return input_error(f->in, f->err, v->line, "jobs: expected an "
				   "array, found %s", json_type_name(v->type));
	if (!strcmp(v->key, "global options")) {
		f->globals = v;
		return 0;
	}
	if (v->type == JSON_T_STRING) {
		input_provenance(f->in, "%s %s", v->key, v->u.str.s);
	} else if (v->type == JSON_T_NUMBER) {
		input_provenance(f->in, "%s %s", v->key, v->u.num.text);
	} else if (!strcmp(v->key, "disk_util") && v->type == JSON_T_ARRAY) {
		for (i = 0; i < v->u.kids.n; i++) {
			const struct json_node *d = v->u.kids.items[i];
			const struct json_node *n = json_get(d, "name");
			const struct json_node *u = json_get(d, "util");

			if (n && n->type == JSON_T_STRING && u &&
			    u->type == JSON_T_NUMBER)
				input_provenance(f->in, "disk %s util %s%%",
						 n->u.str.s, u->u.num.text);
		}
	}
	return 0;
}

/* A number member of object o, or NULL; a present non-number or an
 * out-of-range one is an error (*rc). */
static const struct json_node *num(struct fio *f, const struct json_node *o,
				   const char *key, const char *path, int *rc)
{
	const struct json_node *v = json_get(o, key);

	if (!v || *rc)
		return NULL;
	if (v->type != JSON_T_NUMBER)
		*rc = input_error(f->in, f->err, v->line, "%s.%s: expected a "
				  "number, found %s", path, key,
				  json_type_name(v->type));
	else if (!v->u.num.is_finite)
		*rc = input_error(f->in, f->err, v->line, "%s.%s: number '%s' "
				  "out of range", path, key, v->u.num.text);
	return *rc ? NULL : v;
}

static int emit(struct fio *f, struct input_row *row, const char *metric,
		const char *unit, const char *better,
		const struct json_node *v)
{
	row->metric = metric;
	row->unit = unit;
	row->better = better;
	row->value = v->u.num.v;
	return input_emit(f->in, v->line, row, 0);
}

/* "99.000000" -> "99", "99.900000" -> "99.9". */
static void percentile_name(struct input_buf *b, const char *dir,
			    const char *p)
{
	size_t n = strlen(p);

	if (memchr(p, '.', n)) {
		while (n > 0 && p[n - 1] == '0')
			n--;
		if (n > 0 && p[n - 1] == '.')
			n--;
	}
	input_buf_clear(b);
	input_buf_printf(b, "%s_clat_p%.*s", dir, (int)n, p);
}

/* The rows of one direction (read, write, trim) of job j. */
static int direction(struct fio *f, size_t j, const struct json_node *job,
		     const char *dir, struct input_row *row)
{
	const struct json_node *d = json_get(job, dir), *v, *clat, *pct;
	char path[64], iops[16], mean[24];
	const char *lat_unit = "ns";
	size_t k;
	int rc = 0;

	if (!d)
		return 0;
	snprintf(path, sizeof(path), "jobs[%zu].%s", j, dir);
	if (d->type != JSON_T_OBJECT)
		return input_error(f->in, f->err, d->line, "%s: expected an "
				   "object, found %s", path,
				   json_type_name(d->type));
	v = num(f, d, "total_ios", path, &rc);
	if (!v)
		v = num(f, d, "io_bytes", path, &rc);
	if (rc || !v || v->u.num.v == 0)
		return rc;	/* this direction did no I/O */
	if ((v = num(f, d, "bw_bytes", path, &rc)))
		rc = emit(f, row, dir, "B/s", "higher", v);
	else if (!rc && (v = num(f, d, "bw", path, &rc)))
		rc = emit(f, row, dir, "KiB/s", "higher", v);
	snprintf(iops, sizeof(iops), "%s_iops", dir);
	if (!rc && (v = num(f, d, "iops", path, &rc)))
		rc = emit(f, row, iops, "IO/s", "higher", v);
	clat = json_get(d, "clat_ns");
	if (!clat) {
		clat = json_get(d, "clat");	/* fio 2: microseconds */
		lat_unit = "us";
	}
	if (rc || !clat || clat->type != JSON_T_OBJECT)
		return rc;
	snprintf(mean, sizeof(mean), "%s_clat_mean", dir);
	if ((v = num(f, clat, "mean", path, &rc)))
		rc = emit(f, row, mean, lat_unit, "lower", v);
	pct = json_get(clat, "percentile");
	for (k = 0; !rc && pct && pct->type == JSON_T_OBJECT &&
	     k < pct->u.kids.n; k++) {
		v = pct->u.kids.items[k];
		if (v->type != JSON_T_NUMBER || !v->u.num.is_finite)
			return input_error(f->in, f->err, v->line, "%s.clat."
					   "percentile.%s: expected a number",
					   path, v->key);
		percentile_name(&f->metric, dir, v->key);
		rc = emit(f, row, input_buf_str(&f->metric), lat_unit,
			  "lower", v);
	}
	return rc;
}

static int fio_record(void *ctx, const char *key, size_t j,
		      const struct json_node *job)
{
	static const char *const dirs[] = { "read", "write", "trim" };
	struct fio *f = ctx;
	const struct json_node *name, *error, *v;
	struct input_row row;
	char path[32], shown[128];
	size_t k;
	int rc = 0;

	if (strcmp(key, "jobs"))
		return 0;
	f->has_jobs = 1;
	snprintf(path, sizeof(path), "jobs[%zu]", j);
	if (job->type != JSON_T_OBJECT)
		return input_error(f->in, f->err, job->line, "%s: expected an "
				   "object, found %s", path,
				   json_type_name(job->type));
	name = json_get(job, "jobname");
	if (!name || name->type != JSON_T_STRING || !name->u.str.len)
		return input_error(f->in, f->err, name ? name->line : job->line,
				   "%s.jobname: %s", path, name ?
				   "expected a non-empty string" : "missing");
	error = num(f, job, "error", path, &rc);
	if (rc)
		return rc;
	if (error && error->u.num.v != 0) {
		input_note(f->in, error->line, "%s: job '%s' failed with error "
			   "%s; not read", path,
			   input_show(shown, sizeof(shown), name->u.str.s),
			   error->u.num.text);
		return 0;
	}
	input_buf_clear(&f->config);
	options_text(&f->config, f->globals, NULL, json_get(job, "job options"));
	options_text(&f->config, json_get(job, "job options"), "name", NULL);
	memset(&row, 0, sizeof(row));
	row.platform = INPUT_DEFAULT_PLATFORM;
	row.benchmark = name->u.str.s;
	row.config = input_buf_str(&f->config);
	row.run = -1;
	for (k = 0; k < 3 && !rc; k++)
		rc = direction(f, j, job, dirs[k], &row);
	if (!rc && (v = num(f, job, "usr_cpu", path, &rc)))
		rc = emit(f, &row, "usr_cpu", "%", "lower", v);
	if (!rc && (v = num(f, job, "sys_cpu", path, &rc)))
		rc = emit(f, &row, "sys_cpu", "%", "lower", v);
	return rc;
}

static int fio_records_end(void *ctx, const char *key, size_t n,
			      unsigned long line)
{
	struct fio *f = ctx;

	if (strcmp(key, "jobs"))
		return 0;
	f->has_jobs = 1;
	if (n == 0)
		return input_error(f->in, f->err, line, "jobs: empty "
				   "array (no job ran)");
	return 0;
}

static int fio_end(void *ctx, unsigned long last_line)
{
	struct fio *f = ctx;

	if (!f->has_jobs)
		return input_error(f->in, f->err, 0, "no 'jobs' array (not a "
				   "fio --output-format=json file)");
	if (f->in->n_rows == 0 && f->in->n_skipped == 0)
		return input_error(f->in, f->err, last_line, "jobs: no job did "
				   "any I/O");
	return 0;
}

const struct json_format input_json_fio = {
	INPUT_FIO, fio_start, fio_member, fio_record, fio_records_end,
	fio_end, fio_release
};

int input_fio(struct input_file *in, struct diag *err)
{
	return input_json_auto(in, err);
}
