/*
 * shards: the shared directory of a Slurm campaign, its plan and the
 * state of every unit in the tasks' shards (see shards.h).
 */
#define _GNU_SOURCE		/* getline */
#include "shards.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "atomic.h"
#include "meta.h"
#include "plan.h"
#include "run_priv.h"
#include "strbuf.h"
#include "util.h"
#include "xalloc.h"

char *shards_dir(const char *output, const char *shared_dir)
{
	char cwd[PATH_MAX], *rel;
	size_t len;

	if (shared_dir)
		rel = xstrdup(shared_dir);
	else {
		len = strlen(output);
		if (len > 4 && !strcmp(output + len - 4, ".csv"))
			len -= 4;
		rel = xasprintf("%.*s.slurm", (int)len, output);
	}
	if (rel[0] == '/' || !getcwd(cwd, sizeof(cwd)))
		return rel;
	output = rel;
	rel = xasprintf("%s/%s", cwd, output);
	free((char *)output);
	return rel;
}

char *shards_csv(const struct sdir *d, long task)
{
	return xasprintf("%s/shard-%ld.csv", d->dir, task);
}

char *shards_meta(const struct sdir *d, long task)
{
	return xasprintf("%s/shard-%ld.meta.json", d->dir, task);
}

void shards_units(struct sdir *d, long repetitions, size_t n_benches)
{
	free(d->units);
	d->n_units = plan_units(repetitions, n_benches, d->platforms,
				d->n_platforms, 0, 0, &d->units);
}

int shards_open(struct sdir *d, const char *dir)
{
	char *path = xasprintf("%s/plan.json", dir);
	json_error_t je;
	json_t *p, *v;
	size_t i;

	memset(d, 0, sizeof(*d));
	d->dir = xstrdup(dir);
	d->plan = json_load_file(path, 0, &je);
	if (!d->plan) {
		fprintf(stderr, "campaign: %s: %s (was the campaign submitted "
			"with 'campaign submit'?)\n", path, je.text);
		free(path);
		return -1;
	}
	free(path);
	p = json_object_get(d->plan, "platforms");
	d->tasks = (long)json_integer_value(json_object_get(d->plan,
							    "tasks"));
	d->platforms = xcalloc(json_array_size(p) + 1, sizeof(char *));
	json_array_foreach(p, i, v)
		d->platforms[d->n_platforms++] = xstrdup(json_string_value(v));
	shards_units(d, (long)json_integer_value(json_object_get(d->plan,
		     "repetitions")), (size_t)json_integer_value(
		     json_object_get(d->plan, "benchmarks")));
	return d->tasks > 0 && d->n_platforms ? 0 : -1;
}

/* ---- reading shards --------------------------------------------------- */

static int by_key(const void *a, const void *b)
{
	const struct shard_row *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	return c ? c : (x->seq > y->seq) - (x->seq < y->seq);
}

/* The 12th field of a campaign row: its unit (a copy). */
static char *row_key(const char *line)
{
	char *copy = xstrdup(line), *f[MAX_FIELDS + 1], *key;

	key = csv_split(copy, f, MAX_FIELDS) == 12 ? xstrdup(f[11]) : NULL;
	free(copy);
	return key;
}

/* path for reading when it is a regular file; NULL when it cannot be
 * opened, or is something else (then *kind says what, e.g. "a FIFO").
 * O_NONBLOCK: a FIFO put where a shard should be is not waited on. */
static FILE *open_regular(const char *path, const char **kind)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	struct stat st;
	FILE *f;

	*kind = NULL;
	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		*kind = S_ISDIR(st.st_mode) ? "a directory" :
			S_ISFIFO(st.st_mode) ? "a FIFO" :
			S_ISCHR(st.st_mode) ? "a character device" :
			"not a file";
		close(fd);
		return NULL;
	}
	if (!(f = fdopen(fd, "r")))
		close(fd);
	return f;
}

static void read_meta(const struct sdir *d, long task, struct shard *s)
{
	char *path = shards_meta(d, task);
	const char *kind;
	json_error_t je;
	FILE *f = open_regular(path, &kind);

	if (f) {
		s->meta = json_loadf(f, 0, &je);
		if (!s->meta)
			s->meta_error = xasprintf("line %d: %s", je.line,
						  je.text);
		fclose(f);
	} else if (kind) {
		s->meta_error = xasprintf("it is %s", kind);
	}
	free(path);
}

static void read_shard(const struct sdir *d, long task, struct shard *s)
{
	char *path = shards_csv(d, task), *line = NULL, *key;
	size_t cap = 0, n = 0;
	FILE *f;
	ssize_t len;

	memset(s, 0, sizeof(*s));
	f = open_regular(path, &s->irregular);
	while (f && (len = getline(&line, &cap, f)) > 0) {
		line[strcspn(line, "\r\n")] = '\0';
		if (n++ == 0) {
			s->is_bad = strncmp(line, csv_out_header,
					    strlen(csv_out_header) - 1) != 0;
			if (s->is_bad)
				break;
			continue;
		}
		if (!(key = row_key(line)))
			continue;	/* a cut line: its unit is short */
		s->rows = xreallocarray(s->rows, s->n_rows + 1,
					sizeof(*s->rows));
		s->rows[s->n_rows].key = key;
		s->rows[s->n_rows].line = xstrdup(line);
		s->rows[s->n_rows].seq = s->n_rows;
		s->n_rows++;
	}
	if (f)
		fclose(f);
	free(line);
	free(path);
	if (s->n_rows)
		qsort(s->rows, s->n_rows, sizeof(*s->rows), by_key);
	read_meta(d, task, s);
}

/* The first row of key in s, and how many there are. */
static const struct shard_row *rows_of(const struct shard *s,
				       const char *key, long *count)
{
	struct shard_row probe = { (char *)key, NULL, 0 };
	const struct shard_row *r;
	size_t lo = 0, hi = s->n_rows, mid;

	while (lo < hi) {	/* the first row not below (key, 0) */
		mid = (lo + hi) / 2;
		if (by_key(&s->rows[mid], &probe) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*count = 0;
	for (r = s->rows + lo; r < s->rows + s->n_rows &&
	     !strcmp(r->key, key); r++)
		(*count)++;
	return *count ? s->rows + lo : NULL;
}

/* What the shard's meta says of key: the rows of its last successful
 * run (-1: none), and the reason of its last failed one. */
static long meta_rows(const struct shard *s, const char *key,
		      const char **why)
{
	json_t *r;
	size_t i;
	long rows = -1;
	const char *st;

	*why = NULL;
	json_array_foreach(json_object_get(s->meta, "runs"), i, r) {
		if (strcmp(json_string_value(json_object_get(r, "job")) ?
			   json_string_value(json_object_get(r, "job")) : "",
			   key))
			continue;
		st = json_string_value(json_object_get(r, "status"));
		if (st && !strcmp(st, "ok"))
			rows = (long)json_integer_value(json_object_get(r,
								       "rows"));
		else
			*why = json_string_value(json_object_get(r, "reason"));
	}
	return rows;
}

void shards_read(struct sdir *d)
{
	struct unit_status *st;
	long k, task, other;
	size_t i;

	d->shards = xcalloc((size_t)d->tasks + 1, sizeof(*d->shards));
	for (k = 0; k < d->tasks; k++)
		read_shard(d, k, &d->shards[k]);
	d->status = xcalloc(d->n_units + 1, sizeof(*d->status));
	for (i = 0; i < d->n_units; i++) {
		st = &d->status[i];
		task = st->task = d->units[i].rep % d->tasks;
		st->other_task = -1;
		rows_of(&d->shards[task], d->units[i].key, &st->rows);
		st->rows_meta = meta_rows(&d->shards[task], d->units[i].key,
					  &st->why);
		if (!st->rows)
			st->state = UNIT_MISSING;
		else if (st->rows_meta < 0 || st->rows == st->rows_meta)
			st->state = UNIT_COMPLETE;
		else
			st->state = st->rows < st->rows_meta ? UNIT_SHORT :
				    UNIT_TWICE;
		for (k = 0; k < d->tasks; k++)
			if (k != task && (rows_of(&d->shards[k],
					  d->units[i].key, &other), other)) {
				st->state = UNIT_TWICE;
				if (st->other_task < 0)
					st->other_task = k;
			}
	}
}

/* ---- dropping partial units ------------------------------------------- */

int shards_drop_partial(struct sdir *d, long task)
{
	struct shard *s = &d->shards[task];
	struct strbuf sb = { 0 };
	struct shard_row **keep;
	size_t i, j, n = 0;
	char *path;
	int rc, is_dropped = 0;

	keep = xcalloc(s->n_rows + 1, sizeof(*keep));
	for (i = 0; i < s->n_rows; i++) {
		for (j = 0; j < d->n_units; j++)
			if (!strcmp(d->units[j].key, s->rows[i].key))
				break;
		if (j < d->n_units && d->status[j].task == task &&
		    d->status[j].state == UNIT_COMPLETE)
			keep[n++] = &s->rows[i];
		else
			is_dropped = 1;
	}
	if (!is_dropped) {
		free(keep);
		return 0;
	}
	/* Back in the order the task wrote them. */
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && keep[j - 1]->seq > keep[j]->seq; j--) {
			struct shard_row *t = keep[j];

			keep[j] = keep[j - 1];
			keep[j - 1] = t;
		}
	strbuf_addstr(&sb, csv_out_header);
	for (i = 0; i < n; i++) {
		strbuf_addstr(&sb, keep[i]->line);
		strbuf_add(&sb, "\n", 1);
	}
	path = shards_csv(d, task);
	rc = atomic_write_file(path, sb.buf, sb.len);
	if (rc)
		fprintf(stderr, "campaign: cannot rewrite '%s': %s\n", path,
			strerror(errno));
	free(path);
	free(keep);
	strbuf_release(&sb);
	return rc;
}

void shards_release(struct sdir *d)
{
	size_t i, k;

	for (k = 0; d->shards && k < (size_t)d->tasks; k++) {
		for (i = 0; i < d->shards[k].n_rows; i++) {
			free(d->shards[k].rows[i].key);
			free(d->shards[k].rows[i].line);
		}
		free(d->shards[k].rows);
		json_decref(d->shards[k].meta);
		free(d->shards[k].meta_error);
	}
	for (i = 0; i < d->n_platforms; i++)
		free(d->platforms[i]);
	free(d->platforms);
	free(d->shards);
	free(d->status);
	free(d->units);
	json_decref(d->plan);
	free(d->dir);
	memset(d, 0, sizeof(*d));
}

/* Used by collect: the rows of unit i in its task's shard. */
const struct shard_row *shards_rows(const struct sdir *d, size_t i,
				    long *count)
{
	return rows_of(&d->shards[d->status[i].task], d->units[i].key, count);
}
