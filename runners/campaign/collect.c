/*
 * collect: 'campaign collect', the shards of a Slurm campaign merged into
 * the one CSV and meta (see slurm.h). The CSV holds every complete unit
 * once, in run order; the meta holds every shard's runs with the node
 * each ran on, and the units that are missing, each with why.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "atomic.h"
#include "diag.h"
#include "meta.h"
#include "run.h"
#include "shards.h"
#include "slurm.h"
#include "strbuf.h"
#include "util.h"
#include "validate.h"
#include "verrs.h"
#include "xalloc.h"

static const char *state_word(enum unit_state s)
{
	switch (s) {
	case UNIT_MISSING: return "missing";
	case UNIT_SHORT: return "incomplete";
	case UNIT_TWICE: return "doubled";
	default: return "complete";
	}
}

/* Why a unit is not complete, for the message and the meta. */
static char *why_not(const struct sdir *d, size_t i)
{
	const struct unit_status *st = &d->status[i];
	const struct shard *s = &d->shards[st->task];

	if (st->state == UNIT_SHORT)
		return xasprintf("%ld of its %ld rows", st->rows,
				 st->rows_meta);
	if (st->state == UNIT_TWICE && st->other_task >= 0)
		return xasprintf("its rows are also in %s/shard-%ld.csv, "
				 "another task's shard (a copy, or a task run "
				 "with the wrong index)", d->dir,
				 st->other_task);
	if (st->state == UNIT_TWICE)
		return xasprintf("%ld rows where its run wrote %ld, or rows "
				 "in another task's shard", st->rows,
				 st->rows_meta);
	if (st->why)
		return xasprintf("its run failed: %s", st->why);
	if (!s->meta)
		return xstrdup("task never wrote its shard (not run yet, "
			       "cancelled before it started, or failed)");
	return xstrdup("not run (the task was cancelled or stopped before "
		       "it, or its platform could not run on the node)");
}

/* The merged meta (new reference). */
static json_t *merged_meta(const struct sdir *d, json_t *missing)
{
	json_t *m = json_object(), *runs = json_array(), *shards = json_array();
	json_t *hosts = json_object(), *plats = json_object(), *r, *e, *h;
	const char *name;
	char stamp[32], *path;
	time_t now = time(NULL);
	struct tm tm;
	size_t i;
	long k;

	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &tm);
	json_object_set_new(m, "source", json_string("measured"));
	json_object_set_new(m, "tool", json_string("campaign collect "
						   TOOLKIT_VERSION));
	json_object_set_new(m, "collected", json_string(stamp));
	json_object_set(m, "campaign_file", json_object_get(d->plan,
							    "campaign_file"));
	json_object_set(m, "campaign", json_object_get(d->plan, "campaign"));
	e = json_copy(d->plan);
	json_object_del(e, "campaign");
	json_object_set_new(m, "slurm", e);
	for (k = 0; k < d->tasks; k++) {
		json_t *sm = d->shards[k].meta;

		e = json_object();
		json_object_set_new(e, "task", json_integer(k));
		path = shards_csv(d, k);
		json_object_set_new(e, "csv", json_string(path));
		free(path);
		h = json_object_get(sm, "host");
		json_object_set(e, "host", h ? h : json_null());
		json_object_set(e, "started", json_object_get(sm, "started"));
		if ((name = json_string_value(json_object_get(h, "hostname"))))
			json_object_set(hosts, name, h);
		json_array_foreach(json_object_get(sm, "runs"), i, r) {
			r = json_deep_copy(r);
			json_object_set_new(r, "task", json_integer(k));
			json_object_set(r, "node", json_object_get(h,
								   "hostname"));
			json_array_append_new(runs, r);
		}
		json_object_foreach(json_object_get(sm, "platforms"), name, r)
			if (!json_object_get(plats, name))
				json_object_set(plats, name, r);
		json_array_append_new(shards, e);
	}
	json_object_set_new(m, "hosts", hosts);
	json_object_set_new(m, "shards", shards);
	json_object_set_new(m, "platforms", plats);
	if ((e = json_object_get(d->shards[0].meta, "extra_columns")))
		json_object_set(m, "extra_columns", e);
	json_object_set_new(m, "runs", runs);
	json_object_set(m, "missing", missing);
	return m;
}

static int write_merged(const struct sdir *d, const char *csv,
			const char *meta_path, json_t *missing)
{
	const struct shard_row *row;
	struct strbuf sb = { 0 };
	json_t *m;
	long count, j;
	size_t i;
	int rc = 0;
	char *text;

	strbuf_addstr(&sb, csv_out_header);
	for (i = 0; i < d->n_units; i++) {
		if (d->status[i].state != UNIT_COMPLETE)
			continue;
		row = shards_rows(d, i, &count);
		for (j = 0; j < count; j++) {
			strbuf_addstr(&sb, row[j].line);
			strbuf_add(&sb, "\n", 1);
		}
	}
	if (atomic_write_file(csv, sb.buf, sb.len)) {
		fprintf(stderr, "campaign: cannot write '%s': %s\n", csv,
			strerror(errno));
		rc = -1;
	}
	m = merged_meta(d, missing);
	text = json_dumps(m, JSON_INDENT(2));
	if (!rc && (!text || atomic_write_file(meta_path, text,
					       strlen(text)))) {
		fprintf(stderr, "campaign: cannot write '%s': %s\n",
			meta_path, strerror(errno));
		rc = -1;
	}
	free(text);
	json_decref(m);
	strbuf_release(&sb);
	return rc;
}

static char *meta_path_of(const char *csv)
{
	size_t len = strlen(csv);

	if (len > 4 && !strcmp(csv + len - 4, ".csv"))
		len -= 4;
	return xasprintf("%.*s.meta.json", (int)len, csv);
}

/* The campaign given to collect is the one submitted into d: another
 * campaign's shards must not be merged under its name. 0 or an exit
 * status (why printed). */
static int check_same(const struct run_options *o, const struct sdir *d)
{
	struct verrs errs = { 0 };
	json_t *c;
	int rc = 0;

	errs.file = o->campaign_file;
	if (!(c = validate_load(o->campaign_file, &errs))) {
		verrs_print(&errs, stderr);
		verrs_release(&errs);
		return EXIT_BADINPUT;
	}
	if (!json_equal(c, json_object_get(d->plan, "campaign"))) {
		fprintf(stderr, "campaign: %s is not the campaign submitted "
			"into '%s' (that is %s/campaign.json): collect with the "
			"file submitted, or give the --shared-dir of this "
			"campaign's submission\n", o->campaign_file, d->dir,
			d->dir);
		rc = EXIT_BADINPUT;
	}
	json_decref(c);
	return rc;
}

int slurm_collect(const struct run_options *o, const struct slurm_options *s)
{
	char *dir = shards_dir(o->output, s->shared_dir), *why, *meta;
	json_t *missing = json_array(), *e;
	struct sdir d;
	size_t i, n_complete = 0;
	long k;
	int rc = EXIT_RUNTIME;

	if (shards_open(&d, dir) || (rc = check_same(o, &d))) {
		shards_release(&d);
		free(dir);
		json_decref(missing);
		return EXIT_BADINPUT;
	}
	rc = EXIT_RUNTIME;
	shards_read(&d);
	for (k = 0; k < d.tasks; k++) {
		if (d.shards[k].is_bad)
			fprintf(stderr, "campaign: %s/shard-%ld.csv is not a "
				"campaign CSV: its units count as missing\n",
				d.dir, k);
		if (d.shards[k].irregular)
			fprintf(stderr, "campaign: %s/shard-%ld.csv is not a "
				"regular file but %s: its units count as "
				"missing\n", d.dir, k, d.shards[k].irregular);
		if (d.shards[k].meta_error)
			fprintf(stderr, "campaign: %s/shard-%ld.meta.json is "
				"not JSON (%s): the rows of its units are not "
				"checked against their runs\n", d.dir, k,
				d.shards[k].meta_error);
	}
	for (i = 0; i < d.n_units; i++) {
		if (d.status[i].state == UNIT_COMPLETE) {
			n_complete++;
			continue;
		}
		why = why_not(&d, i);
		fprintf(stderr, "campaign: unit %s %s (task %ld, %s/shard-%ld"
			".csv): %s\n", d.units[i].key,
			state_word(d.status[i].state), d.status[i].task, d.dir,
			d.status[i].task, why);
		e = json_object();
		json_object_set_new(e, "job", json_string(d.units[i].key));
		json_object_set_new(e, "task", json_integer(d.status[i].task));
		json_object_set_new(e, "state", json_string(
				    state_word(d.status[i].state)));
		json_object_set_new(e, "why", json_string(why));
		json_array_append_new(missing, e);
		free(why);
	}
	meta = meta_path_of(o->output);
	if (write_merged(&d, o->output, meta, missing) == 0) {
		fprintf(stderr, "campaign: %s: %zu of %zu units from %ld "
			"shards%s\n", o->output, n_complete, d.n_units,
			d.tasks, n_complete == d.n_units ? "" :
			"; run the missing ones with 'campaign submit "
			"--resume'");
		rc = n_complete == d.n_units ? EXIT_OK :
		     EXIT_RUNTIME;
	}
	free(meta);
	json_decref(missing);
	shards_release(&d);
	free(dir);
	return rc;
}
