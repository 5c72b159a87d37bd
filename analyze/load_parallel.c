/*
 * load_parallel: a large regular file read in parts on several threads,
 * with exactly the result of the serial read (load_read.c): the same
 * groups in the same order of first appearance, the values of each group
 * in file order, the same warnings in the same order and, on bad input,
 * the same first error with the same FILE:LINE.
 *
 * How:
 * - The calling thread reads the header (after a BOM) with the file's own
 *   reader. The rest is cut at '\n' bytes into one part per online CPU
 *   (at most MAX_PARTS). Each later part gets its own reader, libcsv
 *   parser, 256 KiB block (pread, never mmap: memory must not grow with
 *   the file) and private dataset, and runs on its own thread while the
 *   calling thread reads the first part into the real dataset.
 * - A cut is only right if it falls between records. Rather than count
 *   '"' bytes from the start of the file first (an extra pass over the
 *   data before any thread can start), each part checks when it ends that
 *   its parser is outside any record: as the bytes before the cut were
 *   parsed from the start of the file (or from a cut already proven), this
 *   is exact even for malformed quoting. A part after a wrong cut is
 *   discarded and read again in order.
 * - Parts are merged in file order. Line numbers in a part count from its
 *   start; the merge adds the lines of everything before it. A part's
 *   groups are looked up in the real dataset: a group seen before keeps
 *   its unit and 'better', and the part is merged only when its rows
 *   agree with them (then each of its rows got the same verdict a serial
 *   read would have given). A row that was checked against its group and
 *   failed stops a part at once (its message would cite a line of the
 *   part's own first row). Such a part, a part after a wrong cut, one
 *   that could not start or hit a read error is read again in order by
 *   the calling thread from its first byte to the end of the file; the
 *   parts after it are discarded. That costs time only on odd files
 *   (mixed units in a group, quoted line breaks around a cut).
 */
#include "load_priv.h"

#include <errno.h>
#include <malloc.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xalloc.h"

#define MAX_PARTS 4
/* Smaller files are read serially: starting a thread, copying the header
 * and merging cost more than half of reading a few megabytes. */
#define PARALLEL_MIN_BYTES ((off_t)4 << 20)

struct part {
	struct reader r;	/* is_part set: lines count from the start */
	struct dataset *ds;	/* private: this part's groups only */
	struct diag err;	/* r.err: the part's first fatal error */
	int fd;
	off_t start, end;	/* bytes [start, end); end < 0: to EOF */
	pthread_t thread;
	int is_started;		/* its thread was created */
	int is_at_boundary;	/* it ended outside any record */
};

static int parts_wanted(const struct load_index *ix, off_t size)
{
	long n;

	if (ix->n_threads)
		return ix->n_threads;
	if (size < PARALLEL_MIN_BYTES)
		return 1;
	n = sysconf(_SC_NPROCESSORS_ONLN);
	return n < 1 ? 1 : n > MAX_PARTS ? MAX_PARTS : (int)n;
}

/* pread until n bytes or end of file. Returns the bytes read, or -1 with
 * a read error set in r. */
static ssize_t read_at(struct reader *r, int fd, char *buf, size_t n,
		       off_t off)
{
	size_t have = 0;

	while (have < n) {
		ssize_t got = pread(fd, buf + have, n - have,
				    off + (off_t)have);

		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			load_read_error(r);
			return -1;
		}
		if (got == 0)
			break;
		have += (size_t)got;
	}
	return (ssize_t)have;
}

/* Parse bytes [from, to) of fd (to < 0: to the end of the file). */
static void feed_range(struct reader *r, struct linesplit *ls, int fd,
		       char *block, off_t from, off_t to)
{
	while (!r->status && (to < 0 || from < to)) {
		size_t want = LOAD_BLOCK_SIZE;
		ssize_t got;

		if (to >= 0 && to - from < (off_t)want)
			want = (size_t)(to - from);
		got = read_at(r, fd, block, want, from);
		if (got <= 0)
			break;
		load_feed(r, ls, block, (size_t)got);
		from += got;
	}
}

/* Read from 'from' to the end of the file in order, then end the input. */
static void read_rest(struct reader *r, struct linesplit *ls, int fd,
		      char *block, off_t from)
{
	feed_range(r, ls, fd, block, from, -1);
	load_feed_end(r, ls);
}

/*
 * Parse the BOM and the header, one line at a time so that nothing after
 * the header is parsed. Returns the offset of the first byte not parsed.
 */
static off_t read_header(struct reader *r, struct linesplit *ls, int fd,
			 char *block)
{
	ssize_t have = read_at(r, fd, block, LOAD_BLOCK_SIZE, 0);
	size_t pos;

	if (have < 0)
		return 0;
	pos = load_skip_bom(r, (unsigned char *)block, (size_t)have);
	while (!r->has_header && !r->status && pos < (size_t)have) {
		const char *nl = memchr(block + pos, '\n', (size_t)have - pos);
		size_t end = nl ? (size_t)(nl - block) + 1 : (size_t)have;

		load_feed(r, ls, block + pos, end - pos);
		pos = end;
	}
	return (off_t)pos;
}

/* Offset just past the first '\n' at or after pos, or -1 when there is
 * none before size. */
static off_t cut_after(struct reader *r, int fd, char *block, off_t pos,
		       off_t size)
{
	while (pos < size) {
		ssize_t got = read_at(r, fd, block, LOAD_BLOCK_SIZE, pos);
		const char *nl;

		if (got <= 0)
			return -1;
		nl = memchr(block, '\n', (size_t)got);
		if (nl)
			return pos + (nl - block) + 1;
		pos += got;
	}
	return -1;
}

/* Where the parts start: starts[0] = from, then cuts at about equal
 * distances, each just after a '\n'. Returns how many parts. */
static int plan_parts(struct reader *r, int fd, char *block, off_t from,
		      off_t size, int n, off_t *starts)
{
	int m = 1, i;

	starts[0] = from;
	for (i = 1; i < n && !r->status; i++) {
		off_t target = from + (size - from) / n * i;
		off_t cut;

		if (target < starts[m - 1])
			target = starts[m - 1];
		cut = cut_after(r, fd, block, target, size);
		if (cut < 0 || cut >= size)
			break;
		starts[m++] = cut;
	}
	return m;
}

/* The header, as the file's reader parsed it, for a part's reader. */
static void copy_header(struct reader *to, const struct reader *from,
			size_t n_key_cols)
{
	size_t i;

	to->has_header = 1;
	to->header_line = from->header_line;
	to->n_cols = from->n_cols;
	to->names = xcalloc(from->n_cols, sizeof(*to->names));
	for (i = 0; i < from->n_cols; i++)
		to->names[i] = xstrdup(from->names[i]);
	to->role = xcalloc(from->n_cols, 1);
	memcpy(to->role, from->role, from->n_cols);
	to->col_platform = from->col_platform;
	to->col_benchmark = from->col_benchmark;
	to->col_metric = from->col_metric;
	to->col_value = from->col_value;
	to->col_unit = from->col_unit;
	to->col_run = from->col_run;
	to->col_better = from->col_better;
	to->key_col = xcalloc(n_key_cols, sizeof(*to->key_col));
	memcpy(to->key_col, from->key_col, n_key_cols * sizeof(*to->key_col));
	to->key_first = from->key_first;
	to->key_last = from->key_last;
	to->key_tail = from->key_tail;
	to->n_key_runs = from->n_key_runs;
	to->key_run_first = xcalloc(n_key_cols, sizeof(long));
	to->key_run_last = xcalloc(n_key_cols, sizeof(long));
	memcpy(to->key_run_first, from->key_run_first,
	       from->n_key_runs * sizeof(long));
	memcpy(to->key_run_last, from->key_run_last,
	       from->n_key_runs * sizeof(long));
	to->kv = xcalloc(n_key_cols, sizeof(*to->kv));
	to->kl = xcalloc(n_key_cols, sizeof(*to->kl));
	/* Read only while the threads run; owned by the real dataset. */
	to->file_key = from->file_key;
	to->file_key_len = from->file_key_len;
}

static void part_init(struct part *pt, const struct reader *r, int fd,
		      off_t start, off_t end, off_t size)
{
	struct reader *pr = &pt->r;

	memset(pt, 0, sizeof(*pt));
	pt->ds = load_part_new(r->ds);
	pt->fd = fd;
	pt->start = start;
	pt->end = end;
	pr->ds = pt->ds;
	pr->ix = pt->ds->index;
	pr->err = &pt->err;
	pr->name = r->name;
	pr->source = r->source;
	pr->is_part = 1;
	pr->line = 1;
	pr->bytes_total = (uint64_t)((end < 0 ? size : end) - start);
	pr->run = -1;
	pr->shared = xcalloc(r->source + 1, sizeof(*pr->shared));
	pr->shared_example = xcalloc(r->source + 1,
				     sizeof(*pr->shared_example));
	copy_header(pr, r, r->ds->n_key_cols);
}

static void *part_main(void *arg)
{
	struct part *pt = arg;
	struct reader *r = &pt->r;
	struct linesplit ls;
	char *block = xmalloc(LOAD_BLOCK_SIZE + LOAD_PAD);

	load_csv_init(&ls, r);
	if (pt->end < 0) {
		read_rest(r, &ls, pt->fd, block, pt->start);
	} else {
		feed_range(r, &ls, pt->fd, block, pt->start, pt->end);
		pt->is_at_boundary = !r->status && !ls.parser.quoted &&
				     r->n_fields == 0;
	}
	load_flush(r);
	csv_free(&ls.parser);
	free(block);
	return NULL;
}

/* Would a serial read have given this part's rows the same verdicts? */
static int part_is_mergeable(const struct reader *r, const struct part *pt)
{
	const struct dataset *pds = pt->ds;
	size_t i;

	if (!pt->is_started || pt->r.status == STATUS_RUNTIME)
		return 0;
	if (!pt->r.status && pt->end >= 0 && !pt->is_at_boundary)
		return 0;
	for (i = 0; i < pds->n_groups; i++) {
		const struct group *l = &pds->groups[i];
		const struct group *g = load_group_find(r->ds, l->key,
						load_key_lengths(pds, l));
		const struct group_extra *le, *ge;

		if (!g)
			continue;
		if (strcmp(l->unit, g->unit))
			return 0;
		le = load_group_extra(pds, l);
		ge = load_group_extra(r->ds, g);
		if (le->better_line && ge->better_line &&
		    l->better != g->better)
			return 0;
	}
	return 1;
}

/* Can l's runs stay implicit after g's (struct group)? A run of -1 (a
 * row without one in a part) is only known at the merge. */
static int runs_continue(const struct group *g, const struct group *l)
{
	if (g->runs || l->runs || l->run_first < 0)
		return 0;
	return g->n == 0 || l->run_first == g->run_first + (double)g->n;
}

/* Append the values of l (a part's group) to g; a run of -1 is the row's
 * position in g. l's arrays are taken over when g has none. */
static void append_values(struct group *g, struct group *l)
{
	size_t base = g->n, i;
	int is_implicit = runs_continue(g, l);

	if (is_implicit) {
		if (g->n == 0)
			g->run_first = l->run_first;
	} else {
		if (!g->runs && g->cap)
			load_group_spell_runs(g);
		if (!l->runs)
			load_group_spell_runs(l);
	}
	if (g->cap == 0) {
		g->values = l->values;
		g->runs = l->runs;
		g->cap = l->cap;
		l->values = l->runs = NULL;
		l->cap = 0;
	} else {
		if (g->cap - g->n < l->n) {
			g->cap = g->n + l->n;
			g->values = xreallocarray(g->values, g->cap,
						  sizeof(double));
			if (!is_implicit)
				g->runs = xreallocarray(g->runs, g->cap,
							sizeof(double));
		}
		memcpy(g->values + base, l->values, l->n * sizeof(double));
		if (!is_implicit)
			memcpy(g->runs + base, l->runs,
			       l->n * sizeof(double));
		/* Free now, not with the part: the memory can serve the
		 * next group's growth, and the peak stays near one copy. */
		free(l->values);
		free(l->runs);
		l->values = l->runs = NULL;
		l->cap = 0;
	}
	for (i = 0; !is_implicit && i < l->n; i++)
		if (g->runs[base + i] < 0)
			g->runs[base + i] = (double)(base + i);
	g->n = base + l->n;
}

/* File the rows of l, a group of a part whose first line is line_off + 1,
 * as the serial read would have: create or find its group, set its unit
 * and 'better', note a group shared with an earlier file. */
static void merge_group(struct reader *r, const struct dataset *pds,
			struct group *l, unsigned long line_off)
{
	const struct group_extra *le = load_group_extra(pds, l);
	struct group_extra *ge;
	struct group *g;
	int is_new;

	g = load_group_get(r->ds, l->key, load_key_lengths(pds, l), NULL, 0,
			   r->source, l->first_line + line_off, &is_new);
	ge = load_group_extra(r->ds, g);
	if (is_new) {
		g->unit = load_intern(r->ix, l->unit, le->unit_len);
		ge->unit_len = le->unit_len;
		g->better = l->better;
	}
	if (le->better_line && !ge->better_line) {
		g->better = l->better;
		ge->better_source = r->source;
		ge->better_line = le->better_line + line_off;
	}
	load_note_shared(r, g);
	append_values(g, l);
}

/* The part's skipped-row warnings after the file's, within the file's
 * limit of listed skips; counts of rows and skips. */
static void merge_counts(struct reader *r, const struct part *pt,
			 unsigned long line_off)
{
	const struct dataset *pds = pt->ds;
	struct source *src = &r->ds->sources[r->source];
	size_t i;

	for (i = 0; i < pds->warnings.n; i++) {
		const struct diag *d = &pds->warnings.items[i];

		if (r->n_listed < LOAD_MAX_LISTED_SKIPS)
			diag_list_add(&r->ds->warnings, d->file,
				      d->line ? d->line + line_off : 0, "%s",
				      d->msg);
		r->n_listed++;
	}
	r->n_listed += pt->r.n_listed - pds->warnings.n;
	r->n_data += pt->r.n_data;
	r->ds->n_rows += pds->n_rows;
	r->ds->n_skipped += pds->n_skipped;
	src->n_rows += pds->sources[r->source].n_rows;
	src->n_skipped += pds->sources[r->source].n_skipped;
}

static void merge_part(struct reader *r, struct part *pt)
{
	unsigned long line_off = r->line - 1;
	size_t i;

	for (i = 0; i < pt->ds->n_groups; i++)
		merge_group(r, pt->ds, &pt->ds->groups[i], line_off);
	merge_counts(r, pt, line_off);
	r->line += pt->r.line - 1;
	if (pt->r.status) {
		*r->err = pt->err;
		if (r->err->line)
			r->err->line += line_off;
		r->status = pt->r.status;
	}
}

/* Parts 1..m-1 on their threads, part 0 here, then the merge in order. */
static void read_parts(struct reader *r, struct linesplit *ls, int fd,
		       char *block, const off_t *starts, int m, off_t size)
{
	struct part *parts = xcalloc((size_t)m, sizeof(*parts));
	int i, is_cut_ok;

	for (i = 1; i < m; i++) {
		part_init(&parts[i], r, fd, starts[i],
			  i + 1 < m ? starts[i + 1] : -1, size);
		parts[i].is_started = pthread_create(&parts[i].thread, NULL,
						     part_main, &parts[i]) == 0;
	}
	/* Part 0 ends at starts[1]; the header was given already. */
	r->bytes_total = (uint64_t)starts[1];
	feed_range(r, ls, fd, block, starts[0], starts[1]);
	load_flush(r);	/* the parts are merged into these groups */
	is_cut_ok = !r->status && !ls->parser.quoted && r->n_fields == 0;
	for (i = 1; i < m; i++)
		if (parts[i].is_started)
			pthread_join(parts[i].thread, NULL);
	for (i = 1; i < m && !r->status; i++) {
		if (!is_cut_ok || !part_is_mergeable(r, &parts[i])) {
			read_rest(r, ls, fd, block, starts[i]);
			break;
		}
		merge_part(r, &parts[i]);
	}
	for (i = 1; i < m; i++) {
		load_reader_release(&parts[i].r);
		load_free(parts[i].ds);
	}
	free(parts);
}

int load_parallel(struct reader *r, int fd, off_t size)
{
	int n = parts_wanted(r->ix, size), m = 1;
	struct linesplit ls;
	off_t starts[MAX_PARTS], from;
	char *block;

	if (n < 2)
		return 0;
#ifdef M_ARENA_MAX
	/* glibc gives each thread its own arena: the arrays a part frees
	 * at the merge could then not serve the merged arrays, and the peak
	 * RSS would grow by about the parts' share of the values (153 MB
	 * instead of 122 MB for 5 million values). One arena: the threads
	 * allocate only when an array grows, so they rarely contend. */
	mallopt(M_ARENA_MAX, 1);
#endif
	block = xmalloc(LOAD_BLOCK_SIZE + LOAD_PAD);
	load_csv_init(&ls, r);
	from = read_header(r, &ls, fd, block);
	if (!r->status && r->has_header)
		m = plan_parts(r, fd, block, from, size, n, starts);
	if (!r->status) {
		if (m >= 2)
			read_parts(r, &ls, fd, block, starts, m, size);
		else
			read_rest(r, &ls, fd, block, from);
	}
	csv_free(&ls.parser);
	free(block);
	return 1;
}
