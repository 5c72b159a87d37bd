/*
 * resume: which units of an existing output are finished, and the repair
 * of what an interrupted or failed campaign left (--resume).
 *
 * A unit's rows are appended whole, fsynced, and only then recorded in
 * the meta as "ok" with their count (unit.c, run.c). So a unit is done
 * when its rows are all in the CSV and the meta's last record of it says
 * ok with that many rows. Anything else in the file was left by a crash
 * or a full disk part way: a torn last line (no newline), rows of a unit
 * never recorded as finished, fewer rows than recorded, a line that is
 * not a campaign row. With is_repair those are removed, so the unit runs
 * again and the CSV holds only whole units: usually all of it is at the
 * end and the file is cut there; otherwise it is rewritten without them.
 *
 * A meta without run records (deleted, never written) cannot vouch for
 * any unit: every unit with rows then counts as done, as the rows are the
 * only record left, and campaign says so.
 */
#define _GNU_SOURCE		/* memrchr */
#include "resume.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "atomic.h"
#include "meta.h"
#include "run_priv.h"
#include "strbuf.h"
#include "util.h"
#include "xalloc.h"

/* What the meta says of a key: its last record (or none). */
struct record {
	const char *key;
	int is_ok;
	long long n_rows;
};

/* The job keys of the CSV, in order of first row, with their counts. */
struct key_rows {
	char *key;
	long long n_rows;
	int is_done;
};

struct scan {
	struct key_rows *keys;
	size_t n_keys;
	struct record *recs;
	size_t n_recs;
	int has_records;
};

static struct key_rows *key_of(struct scan *s, const char *key)
{
	size_t i;

	for (i = 0; i < s->n_keys; i++)
		if (!strcmp(s->keys[i].key, key))
			return &s->keys[i];
	s->keys = xrealloc(s->keys, (s->n_keys + 1) * sizeof(*s->keys));
	s->keys[s->n_keys] = (struct key_rows){ xstrdup(key), 0, 0 };
	return &s->keys[s->n_keys++];
}

static const struct record *record_of(const struct scan *s, const char *key)
{
	size_t i = s->n_recs;

	while (i-- > 0)
		if (!strcmp(s->recs[i].key, key))
			return &s->recs[i];
	return NULL;
}

/* The meta's run records, in order; s->recs borrows from *meta. */
static void read_records(const char *meta_path, json_t **meta,
			 struct scan *s)
{
	json_t *runs, *r;
	size_t i;

	*meta = json_load_file(meta_path, 0, NULL);
	runs = json_object_get(*meta, "runs");
	if (!json_is_array(runs))
		return;
	s->has_records = 1;
	s->recs = xcalloc(json_array_size(runs) + 1, sizeof(*s->recs));
	json_array_foreach(runs, i, r) {
		const char *key = json_string_value(json_object_get(r, "job"));
		const char *st = json_string_value(json_object_get(r,
								   "status"));

		if (!key)
			continue;
		s->recs[s->n_recs++] = (struct record){
			key, st && !strcmp(st, "ok"),
			json_integer_value(json_object_get(r, "rows"))
		};
	}
}

/* The whole file, NUL-terminated; NULL with errno on failure. */
static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "re");
	char *buf = NULL;
	size_t cap = 0, n;

	*len = 0;
	if (!f)
		return NULL;
	for (;;) {
		if (cap - *len < 65536) {
			cap = cap ? 2 * cap : 65536;
			buf = xrealloc(buf, cap + 1);
		}
		n = fread(buf + *len, 1, cap - *len, f);
		*len += n;
		if (n == 0)
			break;
	}
	if (ferror(f)) {
		free(buf);
		fclose(f);
		return NULL;
	}
	fclose(f);
	buf[*len] = '\0';
	return buf;
}

/* The job key of the row line[0..n) (a copy split in place), or NULL
 * when it is not a 12-field campaign row. */
static const char *row_key(const char *line, size_t n, char *copy)
{
	char *fields[MAX_FIELDS + 1];

	memcpy(copy, line, n);
	copy[n] = '\0';
	return csv_split(copy, fields, MAX_FIELDS) == MAX_FIELDS ?
	       fields[MAX_FIELDS - 1] : NULL;
}

/* Lines of buf (after the header), through fn; a last line without its
 * newline is not passed (it is torn). */
static void each_row(const char *buf, size_t len, size_t header_len,
		     void (*fn)(void *, const char *, size_t, size_t),
		     void *ctx)
{
	size_t at = header_len;
	const char *nl;

	while (at < len && (nl = memchr(buf + at, '\n', len - at))) {
		fn(ctx, buf + at, (size_t)(nl - (buf + at)), at);
		at = (size_t)(nl - buf) + 1;
	}
}

static void count_row(void *ctx, const char *line, size_t n, size_t at)
{
	struct scan *s = ctx;
	char *copy = xmalloc(n + 1);
	const char *key = row_key(line, n, copy);

	(void)at;
	if (key)
		key_of(s, key)->n_rows++;
	free(copy);
}

/* Is the row a kept one (its unit done)? */
static int is_kept(const struct scan *s, const char *line, size_t n)
{
	char *copy = xmalloc(n + 1);
	const char *key = row_key(line, n, copy);
	size_t i;
	int kept = 0;

	for (i = 0; key && i < s->n_keys; i++)
		if (!strcmp(s->keys[i].key, key))
			kept = s->keys[i].is_done;
	free(copy);
	return kept;
}

struct cut {
	const struct scan *s;
	size_t first_bad, last_good_end, n_bad;
	struct strbuf kept;
	int is_collect;
};

static void judge_row(void *ctx, const char *line, size_t n, size_t at)
{
	struct cut *c = ctx;

	if (is_kept(c->s, line, n)) {
		c->last_good_end = at + n + 1;
		if (c->is_collect)
			strbuf_add(&c->kept, line, n + 1);
		return;
	}
	if (!c->n_bad++)
		c->first_bad = at;
}

/* Remove from the file what no done unit owns; 0 or -1 (printed). */
static int repair(const char *path, const char *buf, size_t len,
		  size_t header_len, const struct scan *s)
{
	struct cut c = { .s = s, .first_bad = len, .last_good_end = 0 };
	size_t torn = 0, n_units = 0, i, keep;
	int fd, rc = 0;

	if (len > header_len && buf[len - 1] != '\n') {
		const char *nl = memrchr(buf, '\n', len);

		torn = len - (nl ? (size_t)(nl - buf) + 1 : 0);
	}
	each_row(buf, len, header_len, judge_row, &c);
	for (i = 0; i < s->n_keys; i++)
		n_units += !s->keys[i].is_done;
	if (!c.n_bad && !torn)
		return 0;
	keep = c.n_bad ? c.first_bad : len - torn;
	if (c.n_bad && c.last_good_end > c.first_bad) {
		/* Done rows after bad ones: write the file without them. */
		c.is_collect = 1;
		c.n_bad = 0;
		strbuf_add(&c.kept, buf, header_len);
		each_row(buf, len, header_len, judge_row, &c);
		rc = atomic_write_file(path, c.kept.buf, c.kept.len);
		strbuf_release(&c.kept);
	} else {
		fd = open(path, O_WRONLY | O_CLOEXEC);
		rc = fd < 0 || ftruncate(fd, (off_t)keep) || fsync(fd);
		if (fd >= 0 && close(fd) && !rc)
			rc = -1;
	}
	if (rc) {
		fprintf(stderr, "campaign: cannot repair '%s' for --resume: "
			"%s\n", path, strerror(errno));
		return -1;
	}
	if (torn)
		fprintf(stderr, "campaign: %s: cut a torn last line (%zu "
			"bytes of a row never finished)\n", path, torn);
	if (c.n_bad)
		fprintf(stderr, "campaign: %s: removed %zu rows of %zu "
			"unit%s not recorded as finished; %s again\n", path,
			c.n_bad, n_units, n_units == 1 ? "" : "s",
			n_units == 1 ? "it runs" : "they run");
	return 0;
}

static void scan_release(struct scan *s)
{
	size_t i;

	for (i = 0; i < s->n_keys; i++)
		free(s->keys[i].key);
	free(s->keys);
	free(s->recs);
}

int resume_scan(struct ctx *x, int is_repair)
{
	const char *path = x->o->output, *nl;
	size_t len, header_len, i;
	struct scan s = { 0 };
	json_t *meta = NULL;
	char *buf = slurp(path, &len), *meta_path;
	const struct record *rec;
	int rc = 0;

	if (!buf)
		return 0;	/* nothing to resume */
	nl = memchr(buf, '\n', len);
	header_len = nl ? (size_t)(nl - buf) + 1 : len;
	if (header_len != strlen(csv_out_header) ||
	    memcmp(buf, csv_out_header, header_len)) {
		fprintf(stderr, "%s:1: not a campaign CSV (header differs): "
			"cannot --resume it\n", path);
		free(buf);
		return -1;
	}
	meta_path = meta_path_for(path);
	read_records(meta_path, &meta, &s);
	each_row(buf, len, header_len, count_row, &s);
	for (i = 0; i < s.n_keys; i++) {
		rec = record_of(&s, s.keys[i].key);
		s.keys[i].is_done = !s.has_records ||
			(rec && rec->is_ok && rec->n_rows == s.keys[i].n_rows);
		if (s.keys[i].is_done)
			resume_add_done(x, s.keys[i].key);
	}
	if (!s.has_records && s.n_keys)
		fprintf(stderr, "campaign: %s has no run records: the rows "
			"of each unit in '%s' are taken as complete\n",
			meta_path, path);
	if (is_repair)
		rc = repair(path, buf, len, header_len, &s);
	scan_release(&s);
	json_decref(meta);
	free(meta_path);
	free(buf);
	return rc;
}

void resume_add_done(struct ctx *x, const char *key)
{
	size_t i;

	for (i = 0; i < x->n_done; i++)
		if (!strcmp(x->done[i], key))
			return;
	x->done = xrealloc(x->done, (x->n_done + 1) * sizeof(*x->done));
	x->done[x->n_done++] = xstrdup(key);
}

int resume_is_done(const struct ctx *x, const char *key)
{
	size_t i;

	for (i = 0; i < x->n_done; i++)
		if (!strcmp(x->done[i], key))
			return 1;
	return 0;
}

int resume_read_done(struct ctx *x)
{
	return resume_scan(x, 0);
}
