/*
 * load: the checks of tidy results CSV (docs/data-contract.md) behind
 * libcsv's callbacks.
 *
 * One pass per file (load_read.c, or load_parallel.c for a large regular
 * file): a fixed block at a time, libcsv splits it into fields
 * (load_on_field) and records (load_on_record); each record is checked and
 * its value filed into a group found through a hash of the key fields. Memory
 * is the row being parsed, the groups, their values and the interned
 * strings: nothing grows with the size of a file except the values kept.
 *
 * Decisions the contract leaves open, made here:
 * - Blank lines (empty or only spaces/tabs) are skipped silently anywhere.
 * - An empty 'run' field means the row has no run index; an empty 'better'
 *   field means "derive it from the unit", as if the column were absent.
 * - A quoting error (stray or unterminated '"') stops the file even under
 *   --lenient: after it libcsv cannot tell where the next row starts.
 * - Under --lenient the first LOAD_MAX_LISTED_SKIPS skipped rows of a file are
 *   listed one per warning, the rest counted in one closing warning, so a
 *   file of bad rows cannot fill memory with warnings.
 * - A grouping column missing from a file is an error, except 'config' (an
 *   optional column of the default key, "" when absent) and 'file' (the
 *   input path when the CSV has no such column).
 */
#include "load_priv.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "xalloc.h"

enum { KEY_ABSENT = -1, KEY_FILE = -2 };

/* What on_field does with a column of a data row. Fields of other columns
 * are only checked (encoding, line breaks), never copied. */
enum column_role {
	ROLE_KEEP = 1 << 0,	/* copied: key, unit, required words */
	ROLE_VALUE = 1 << 1,	/* parsed at once */
	ROLE_RUN = 1 << 2,
	ROLE_BETTER = 1 << 3
};

/* ---- row errors ---------------------------------------------------------- */

/*
 * A bad data row: fatal, or under --lenient a warning and a skipped row.
 * The message is about the record starting at r->row_line.
 */
static void row_error(struct reader *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void row_error(struct reader *r, const char *fmt, ...)
{
	char msg[DIAG_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!r->ix->is_lenient) {
		diag_set(r->err, r->name, r->row_line, "%s", msg);
		r->status = STATUS_BADINPUT;
		return;
	}
	r->ds->n_skipped++;
	r->ds->sources[r->source].n_skipped++;
	if (r->n_listed++ < LOAD_MAX_LISTED_SKIPS)
		diag_list_add(&r->ds->warnings, r->name, r->row_line,
			      "skipped row: %s", msg);
}

/* A file-level error: fatal even under --lenient. */
static void file_error(struct reader *r, unsigned long line,
		       const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void file_error(struct reader *r, unsigned long line,
		       const char *fmt, ...)
{
	char msg[DIAG_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	diag_set(r->err, r->name, line, "%s", msg);
	r->status = STATUS_BADINPUT;
}

static const char *field(const struct reader *r, size_t i)
{
	return (r->row_in_place ? r->row_in_place : r->buf) + r->off[i];
}

/* "column 'unit'", or "field 12" past the header's columns. */
static const char *column_name(const struct reader *r, size_t i,
			       char *buf, size_t size)
{
	char shown[256];

	if (r->has_header && i < r->n_cols)
		snprintf(buf, size, "column '%s'",
			 load_show(shown, sizeof(shown), r->names[i]));
	else
		snprintf(buf, size, "field %zu", i + 1);
	return buf;
}

/* The message for the row's first NUL or invalid UTF-8 byte. */
static void encoding_message(const struct reader *r, char *msg, size_t size)
{
	char col[320];

	column_name(r, r->bad_field, col, sizeof(col));
	if (r->bad_kind == 1)
		snprintf(msg, size, "NUL byte in %s at byte %zu of the field "
			 "(is this a binary or UTF-16 file?)", col,
			 r->bad_offset + 1);
	else
		snprintf(msg, size, "invalid UTF-8 in %s: byte 0x%02x at "
			 "byte %zu of the field (save the file as UTF-8)", col,
			 r->bad_byte, r->bad_offset + 1);
}

/* Where the record being parsed starts. */
static unsigned long record_line(struct reader *r)
{
	if (r->n_fields == 0)
		r->row_line = r->line;
	return r->row_line;
}

static void row_too_long(struct reader *r)
{
	file_error(r, record_line(r), "row longer than 1 MiB (%zu bytes; "
		   "is this a results CSV?)", LOAD_MAX_ROW_BYTES);
}

/* ---- header -------------------------------------------------------------- */

static long find_col(const struct reader *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->n_cols; i++)
		if (!strcmp(r->names[i], name))
			return (long)i;
	return -1;
}

static int check_required(struct reader *r)
{
	static const char *const required[] = {
		"platform", "benchmark", "metric", "value"
	};
	size_t i, j;
	char shown[256];

	for (i = 0; i < 4; i++) {
		if (find_col(r, required[i]) >= 0)
			continue;
		for (j = 0; j < r->n_cols; j++)
			if (!strcasecmp(r->names[j], required[i]))
				break;
		if (j < r->n_cols)
			file_error(r, r->row_line, "missing required column "
				   "'%s' (found '%s': column names are lower "
				   "case)", required[i], load_show(shown,
				   sizeof(shown), r->names[j]));
		else
			file_error(r, r->row_line, "missing required column "
				   "'%s'", required[i]);
		return -1;
	}
	return 0;
}

/*
 * Adjacent key columns, in key order, then at most one absent (an empty
 * 'config'): a row's joined key (struct group_slot) is then the span of
 * its fields from the first key column to the NUL after the last, which
 * it has in its line (load_on_row) or in its kept fields (keep_field).
 */
static void key_span(struct reader *r)
{
	size_t k, n = r->ds->n_key_cols, m = 0;

	/* The runs of adjacent columns, for when there is no one span. */
	r->key_run_first = xcalloc(n, sizeof(long));
	r->key_run_last = xcalloc(n, sizeof(long));
	for (k = 0; k < n; k++) {
		long col = r->key_col[k];

		if (m && col >= 0 && r->key_run_last[m - 1] >= 0 &&
		    col == r->key_run_last[m - 1] + 1) {
			r->key_run_last[m - 1] = col;
			continue;
		}
		r->key_run_first[m] = r->key_run_last[m] = col;
		m++;
	}
	r->n_key_runs = m;

	r->key_first = r->key_col[0];
	r->key_last = -1;
	for (k = 0; k < n && r->key_col[k] == r->key_first + (long)k &&
	     r->key_first >= 0; k++)
		r->key_last = r->key_col[k];
	r->key_tail = n - k;
	if (r->key_last < 0 || r->key_tail > 1 ||
	    (r->key_tail == 1 && r->key_col[n - 1] != KEY_ABSENT))
		r->key_first = r->key_last = -1;
}

static int map_key_columns(struct reader *r)
{
	const struct dataset *ds = r->ds;
	size_t k;
	char shown[256];

	r->key_col = xcalloc(ds->n_key_cols, sizeof(*r->key_col));
	r->kv = xcalloc(ds->n_key_cols, sizeof(*r->kv));
	r->kl = xcalloc(ds->n_key_cols, sizeof(*r->kl));
	for (k = 0; k < ds->n_key_cols; k++) {
		const char *name = ds->key_cols[k];

		r->key_col[k] = find_col(r, name);
		if (r->key_col[k] >= 0)
			continue;
		if (!strcmp(name, "file")) {
			r->key_col[k] = KEY_FILE;
		} else if (!strcmp(name, "config")) {
			r->key_col[k] = KEY_ABSENT;
		} else {
			file_error(r, r->row_line, "no column '%s' for %s "
				   "(the file's header does not name it)",
				   load_show(shown, sizeof(shown), name),
				   k == ds->factor_index ? "--factor" : "--by");
			return -1;
		}
	}
	key_span(r);
	return 0;
}

static void set_roles(struct reader *r)
{
	size_t k;

	r->role = xcalloc(r->n_cols, 1);
	for (k = 0; k < r->ds->n_key_cols; k++)
		if (r->key_col[k] >= 0)
			r->role[r->key_col[k]] |= ROLE_KEEP;
	r->role[r->col_platform] |= ROLE_KEEP;
	r->role[r->col_benchmark] |= ROLE_KEEP;
	r->role[r->col_metric] |= ROLE_KEEP;
	r->role[r->col_value] |= ROLE_VALUE;
	if (r->col_unit >= 0)
		r->role[r->col_unit] |= ROLE_KEEP;
	if (r->col_run >= 0)
		r->role[r->col_run] |= ROLE_RUN;
	if (r->col_better >= 0)
		r->role[r->col_better] |= ROLE_BETTER;
}

static void process_header(struct reader *r)
{
	size_t i, j;
	char shown[256];

	if (r->bad_kind) {
		char msg[DIAG_MSG_MAX];

		encoding_message(r, msg, sizeof(msg));
		file_error(r, r->row_line, "%s", msg);
		return;
	}
	r->has_header = 1;
	r->header_line = r->row_line;
	r->n_cols = r->n_fields;
	r->names = xcalloc(r->n_cols, sizeof(*r->names));
	for (i = 0; i < r->n_cols; i++) {
		r->names[i] = xstrdup(field(r, i));
		if (!r->names[i][0]) {
			file_error(r, r->row_line, "column %zu has no name "
				   "(every column needs one)", i + 1);
			return;
		}
		for (j = 0; j < i; j++) {
			if (strcmp(r->names[j], r->names[i]))
				continue;
			file_error(r, r->row_line, "duplicate column '%s' "
				   "(columns %zu and %zu)", load_show(shown,
				   sizeof(shown), r->names[i]), j + 1, i + 1);
			return;
		}
	}
	if (check_required(r) || map_key_columns(r))
		return;
	r->col_platform = find_col(r, "platform");
	r->col_benchmark = find_col(r, "benchmark");
	r->col_metric = find_col(r, "metric");
	r->col_value = find_col(r, "value");
	r->col_unit = find_col(r, "unit");
	r->col_run = find_col(r, "run");
	r->col_better = find_col(r, "better");
	set_roles(r);
}

/* ---- data rows ----------------------------------------------------------- */

static void row_key(struct reader *r)
{
	size_t k;

	for (k = 0; k < r->ds->n_key_cols; k++) {
		long col = r->key_col[k];

		if (col >= 0) {
			r->kv[k] = field(r, (size_t)col);
			r->kl[k] = r->len[col];
		} else if (col == KEY_FILE) {
			r->kv[k] = r->file_key;
			r->kl[k] = r->file_key_len;
		} else {
			r->kv[k] = "";
			r->kl[k] = 0;
		}
	}
}

/*
 * Everything about a row that does not depend on its group, in a fixed
 * order: the field count, encoding, required words, value, run, better.
 * Returns 0, or -1 with msg filled.
 */
static int check_row(const struct reader *r, char *msg, size_t size)
{
	static const char *const names[] = { "platform", "benchmark", "metric" };
	const long cols[] = { r->col_platform, r->col_benchmark, r->col_metric };
	size_t i;

	if (r->n_fields != r->n_cols) {
		snprintf(msg, size, "expected %zu fields, found %zu",
			 r->n_cols, r->n_fields);
		return -1;
	}
	if (r->bad_kind) {
		encoding_message(r, msg, size);
		return -1;
	}
	for (i = 0; i < 3; i++) {
		if (r->len[cols[i]])
			continue;
		snprintf(msg, size, "'%s' is empty (every row needs one)",
			 names[i]);
		return -1;
	}
	if (r->is_value_bad || r->is_run_bad || r->is_better_bad) {
		snprintf(msg, size, "%s", r->is_value_bad ? r->value_msg :
			 r->is_run_bad ? r->run_msg : r->better_msg);
		return -1;
	}
	return 0;
}

/*
 * In a later part of a file read in parallel a group's first row in the
 * part may not be the group's first row, so its unit and 'better' are not
 * final, and a message would cite the wrong line: stop the part, which is
 * then read again in order (load_parallel.c). Returns 1 in a part.
 */
static int part_conflict(struct reader *r)
{
	if (!r->is_part)
		return 0;
	r->is_conflict = 1;
	r->status = STATUS_RUNTIME;
	return 1;
}

static const char *better_word(enum better b)
{
	return b == BETTER_LOWER ? "lower" : "higher";
}

/*
 * Checks against an existing group: the unit converts to the group's
 * (*value converted in place), an explicit 'better' agrees with the one
 * seen first. Returns 0 or -1 (row_error called, g unchanged).
 */
static int check_group(struct reader *r, const struct group *g,
		       const char *unit, size_t unit_len, enum better better,
		       double *value)
{
	const struct group_extra *ex = &r->ix->extra[g - r->ds->groups];
	const char *gfile = r->ds->sources[g->first_source].path;
	char u[256], gu[256];

	if ((unit_len != ex->unit_len ||
	     !load_bytes_equal(unit, g->unit, unit_len)) &&
	    (!unit[0] || !g->unit[0] ||
	     load_unit_convert(unit, g->unit, *value, value))) {
		if (part_conflict(r))
			return -1;
		load_show(u, sizeof(u), unit);
		load_show(gu, sizeof(gu), g->unit);
		if (!g->unit[0])
			row_error(r, "unit '%s', but this group has no unit "
				  "since %s:%lu (use one unit per group)", u,
				  gfile, g->first_line);
		else if (!unit[0])
			row_error(r, "no unit, but this group has unit '%s' "
				  "since %s:%lu (use one unit per group)", gu,
				  gfile, g->first_line);
		else
			row_error(r, "unit '%s' does not convert to '%s', the "
				  "unit of this group since %s:%lu (use one "
				  "unit per group)", u, gu, gfile,
				  g->first_line);
		return -1;
	}
	if (better != BETTER_UNSET && ex->better_line && better != g->better) {
		if (part_conflict(r))
			return -1;
		row_error(r, "better '%s' conflicts with '%s' given for this "
			  "group at %s:%lu", better_word(better),
			  better_word(g->better),
			  r->ds->sources[ex->better_source].path,
			  ex->better_line);
		return -1;
	}
	return 0;
}

void load_note_shared(struct reader *r, struct group *g)
{
	struct group_extra *ex = &r->ix->extra[g - r->ds->groups];

	if (ex->last_source == r->source)
		return;
	ex->last_source = r->source;
	if (g->first_source == r->source)
		return;
	g->in_several_sources = 1;
	if (r->shared[g->first_source]++ == 0)
		r->shared_example[g->first_source] = (size_t)(g - r->ds->groups);
}

/* The row's group, created when new. The key values (row_key) are only
 * gathered for a new group or for a key that is not one span of the row
 * (key_span). */
static struct group *row_group(struct reader *r, int *is_new)
{
	const char *joined = NULL;
	size_t len = 0;
	struct group *g;

	if (r->key_first >= 0) {
		joined = field(r, (size_t)r->key_first);
		len = r->off[r->key_last] + r->len[r->key_last] -
		      r->off[r->key_first] + r->key_tail;
		g = load_group_find_joined(r->ds, joined, len);
		if (g) {
			*is_new = 0;
			return g;
		}
	}
	row_key(r);
	return load_group_get(r->ds, r->kv, r->kl, joined, len, r->source,
			      r->row_line, is_new);
}

/*
 * How many values g, which is full, should get room for. Growing by half
 * each time copies every value about twice and leaves the memory of the
 * smaller arrays behind. When g's rows have been coming at a steady rate
 * over a good part of this reader's input, the rows still to come will
 * most likely bring it the same share: room for that (and 1/16 more) is
 * usually the last growth. The estimate is held to at most 4 times the
 * values so far, and made only after 1/32 of the input, so that a group
 * whose rows all come early cannot reserve much that it never fills.
 */
static size_t grow_target(const struct reader *r, const struct group *g)
{
	double lines, span, left, want;

	if (!r->bytes_total || r->bytes_done >= r->bytes_total ||
	    g->first_source != r->source || r->row_line <= g->first_line ||
	    g->n < 64)
		return 0;
	/* Lines in the whole input, estimated from how far it is. */
	lines = (double)r->line * (double)r->bytes_total /
		(double)r->bytes_done;
	span = (double)(r->row_line - g->first_line);
	left = lines - (double)r->row_line;
	if (span * 32 < lines || left <= 0)
		return 0;
	want = (double)g->n * (1 + left / span) * 1.0625;
	if (want > 4.0 * (double)g->n)
		want = 4.0 * (double)g->n;
	return (size_t)want;
}

/* One pending value into its group (load_flush). */
static inline void file_now(struct reader *r, const struct pending_value *p)
{
	struct group *g = &r->ds->groups[p->group];
	double run = p->run == LOAD_RUN_POSITION ? (double)g->n : p->run;

	if (g->n == g->cap)
		load_group_reserve(g, grow_target(r, g));
	load_group_append(g, p->value, run);
}

void load_flush(struct reader *r)
{
	size_t n = r->n_pend, n_groups = r->ds->n_groups, i, at;
	size_t *count = r->pend_count;
	struct pending_value *sorted = r->pend_sorted;

	r->n_pend = 0;
	/* Groups of a value or two in the list gain nothing from sorting
	 * (and a million groups would make it cost): in order, then. */
	if (n_groups > n / 4) {
		for (i = 0; i < n; i++)
			file_now(r, &r->pend[i]);
		return;
	}
	if (r->pend_count_cap < n_groups + 1) {
		r->pend_count_cap = n_groups + 1;
		r->pend_count = count = xreallocarray(r->pend_count,
						      n_groups + 1,
						      sizeof(*count));
	}
	if (!sorted)
		r->pend_sorted = sorted = xreallocarray(NULL, LOAD_PENDING,
							sizeof(*sorted));
	/* A counting sort, stable: each group's values keep their order. */
	memset(count, 0, (n_groups + 1) * sizeof(*count));
	for (i = 0; i < n; i++)
		count[r->pend[i].group + 1]++;
	for (i = 1; i <= n_groups; i++)
		count[i] += count[i - 1];
	for (i = 0; i < n; i++)
		sorted[count[r->pend[i].group]++] = r->pend[i];
	/* count[g] is now where group g + 1 starts: each group at once. */
	for (i = 0, at = 0; at < n; i++) {
		struct group *g = &r->ds->groups[i];
		size_t end = count[i], want;

		if (end == at)
			continue;
		if (g->cap - g->n < end - at) {
			want = grow_target(r, g);
			load_group_reserve(g, want > g->n + (end - at) ? want :
					   g->n + (end - at));
		}
		for (; at < end; at++)
			file_now(r, &sorted[at]);
	}
}

/* File value (and its run; < 0: none) into g: pending (LOAD_PENDING). */
static inline void file_value(struct reader *r, struct group *g,
			      double value, double run)
{
	struct pending_value *p;

	if (r->n_pend == LOAD_PENDING)
		load_flush(r);
	if (!r->pend)
		r->pend = xreallocarray(NULL, LOAD_PENDING, sizeof(*r->pend));
	p = &r->pend[r->n_pend++];
	p->group = (size_t)(g - r->ds->groups);
	p->value = value;
	/* A part does not know how many rows of g came before it. */
	p->run = run >= 0 ? run : r->is_part ? -1 : LOAD_RUN_POSITION;
}

static void process_row(struct reader *r)
{
	char msg[DIAG_MSG_MAX];
	double value = r->value, run = r->run;
	enum better better = r->better;
	const char *unit = "";
	size_t unit_len = 0;
	struct group *g;
	struct group_extra *ex;
	int is_new;

	if (check_row(r, msg, sizeof(msg))) {
		row_error(r, "%s", msg);
		return;
	}
	if (r->col_unit >= 0) {
		unit = field(r, (size_t)r->col_unit);
		unit_len = r->len[r->col_unit];
	}
	g = row_group(r, &is_new);
	ex = &r->ix->extra[g - r->ds->groups];
	if (is_new) {
		g->unit = load_intern(r->ix, unit, unit_len);
		ex->unit_len = unit_len;
		g->better = load_better_from_unit(unit);
	} else if (check_group(r, g, unit, unit_len, better, &value)) {
		return;
	}
	if (better != BETTER_UNSET && !ex->better_line) {
		g->better = better;
		ex->better_source = r->source;
		ex->better_line = r->row_line;
	}
	load_note_shared(r, g);
	file_value(r, g, value, run);
	r->ds->sources[r->source].n_rows++;
	r->ds->n_rows++;
}

/* ---- libcsv callbacks ---------------------------------------------------- */

/* Nonzero when some byte of s is a control character or not ASCII: the
 * rare fields that need the careful scan. Eight bytes at a time: a byte
 * below 0x20 borrows into its top bit when 0x20 is subtracted. */
static int needs_scan(const unsigned char *s, size_t n)
{
	const uint64_t k20 = UINT64_C(0x2020202020202020);
	const uint64_t k80 = UINT64_C(0x8080808080808080);
	uint64_t w;
	size_t i = 0;

	for (; i + 8 <= n; i += 8) {
		memcpy(&w, s + i, 8);
		if (((w - k20) | w) & k80)
			return 1;
	}
	/* The tail padded with spaces, which pass. */
	w = load_tail_word((const char *)s + i, n - i, k20);
	return (((w - k20) | w) & k80) != 0;
}

/* Line breaks inside a quoted field, NUL bytes and invalid UTF-8. */
static void scan_field(struct reader *r, const unsigned char *s, size_t n)
{
	size_t i, bad = n;

	for (i = 0; i < n; i++) {
		if (s[i] == '\n' || (s[i] == '\r' && (i + 1 == n ||
						      s[i + 1] != '\n')))
			r->line++;
		else if (s[i] == '\0' && bad == n)
			bad = i;
	}
	if (r->bad_kind)
		return;
	if (bad < n) {
		r->bad_kind = 1;
	} else if ((bad = load_utf8_check(s, n)) < n) {
		r->bad_kind = 2;
	} else {
		return;
	}
	r->bad_field = r->n_fields - 1;
	r->bad_offset = bad;
	r->bad_byte = s[bad];
}

static void keep_field(struct reader *r, const char *s, size_t n)
{
	if (r->buf_cap - r->buf_len < n + 1) {
		while (r->buf_cap - r->buf_len < n + 1)
			r->buf_cap = r->buf_cap ? 2 * r->buf_cap : 1024;
		r->buf = xreallocarray(r->buf, r->buf_cap + LOAD_PAD, 1);
	}
	/* CSV_APPEND_NULL: s[n] is '\0', copied along. */
	load_copy_short(r->buf + r->buf_len, s, n + 1);
	r->off[r->n_fields - 1] = r->buf_len;
	r->buf_len += n + 1;
}

static void better_error(struct reader *r, const char *s)
{
	char shown[256];

	r->is_better_bad = 1;
	snprintf(r->better_msg, sizeof(r->better_msg), "unknown better '%s' "
		 "(use 'lower' or 'higher')", load_show(shown, sizeof(shown), s));
}

static void parse_field(struct reader *r, const char *s, size_t n,
			unsigned role)
{
	if (role & ROLE_VALUE)
		r->is_value_bad = load_parse_value(s, n, &r->value,
						   r->value_msg,
						   sizeof(r->value_msg)) != 0;
	if ((role & ROLE_RUN) && n)
		r->is_run_bad = load_parse_run(s, n, &r->run, r->run_msg,
					       sizeof(r->run_msg)) != 0;
	if (!(role & ROLE_BETTER) || n == 0)
		return;
	if (n == 5 && !memcmp(s, "lower", 5)) {
		r->better = BETTER_LOWER;
	} else if (n == 6 && !memcmp(s, "higher", 6)) {
		r->better = BETTER_HIGHER;
	} else {
		better_error(r, s);
	}
}

void load_on_field(void *s, size_t n, void *data)
{
	struct reader *r = data;
	size_t i = r->n_fields;
	unsigned role;

	if (r->status)
		return;
	if (i == 0)
		r->row_line = r->line;
	r->is_after_cr = 0;
	if (i == r->cap_fields) {
		r->cap_fields = r->cap_fields ? 2 * r->cap_fields : 16;
		r->off = xreallocarray(r->off, r->cap_fields, sizeof(*r->off));
		r->len = xreallocarray(r->len, r->cap_fields, sizeof(*r->len));
	}
	r->len[i] = n;
	r->n_fields = i + 1;
	r->row_bytes += n + (i > 0);
	if (r->row_bytes > LOAD_MAX_ROW_BYTES) {
		row_too_long(r);
		return;
	}
	if (needs_scan(s, n))
		scan_field(r, s, n);
	role = !r->has_header ? ROLE_KEEP : i < r->n_cols ? r->role[i] : 0;
	if (role & ROLE_KEEP)
		keep_field(r, s, n);
	if (role & (ROLE_VALUE | ROLE_RUN | ROLE_BETTER))
		parse_field(r, s, n, role);
}

/* ---- the usual row ------------------------------------------------------ */

/* Field i of a plain line s[0..n-1] with commas (now NULs) at comma[]:
 * where it starts, and its length. */
static inline const char *row_field(const char *s, size_t n,
				    const uint32_t *comma, size_t n_commas,
				    long i, size_t *len)
{
	size_t start = i ? comma[i - 1] + 1 : 0;
	size_t end = (size_t)i < n_commas ? comma[i] : n;

	*len = end - start;
	return s + start;
}

/*
 * A run: up to 15 digits, as load_parse_run reads it. Returns 0, or -1
 * for anything else (the general path then says what is wrong).
 */
static inline int plain_run(const char *s, size_t len, double *out)
{
	uint64_t v = 0;
	size_t i;

	if (len == 0 || len > 15)
		return -1;
	for (i = 0; i < len; i++) {
		unsigned d = (unsigned)(unsigned char)s[i] - '0';

		if (d > 9)
			return -1;
		v = v * 10 + d;
	}
	*out = (double)v;
	return 0;
}

/*
 * The group of a plain row whose key columns are not one span: its key
 * joined (struct group_slot) with one copy per run of adjacent key columns
 * (the NULs between the fields of a run are in the line already).
 */
static struct group *find_by_runs(struct reader *r, const char *s, size_t n,
				  const uint32_t *comma, size_t n_commas)
{
	size_t i, len, need = n + r->file_key_len + r->n_key_runs + LOAD_PAD;
	const char *f, *last;
	char *o;

	if (r->join_cap < need) {
		r->join_cap = need > 256 ? need : 256;
		r->join_buf = xreallocarray(r->join_buf, r->join_cap, 1);
	}
	o = r->join_buf;
	for (i = 0; i < r->n_key_runs; i++) {
		long first = r->key_run_first[i];

		if (i)
			*o++ = '\0';
		if (first >= 0) {
			f = row_field(s, n, comma, n_commas, first, &len);
			last = row_field(s, n, comma, n_commas,
					 r->key_run_last[i], &len);
			len += (size_t)(last - f);
			load_copy_padded(o, f, len);
			o += len;
		} else if (first == KEY_FILE) {
			load_copy_padded(o, r->file_key, r->file_key_len);
			o += r->file_key_len;
		}
	}
	return load_group_find_joined(r->ds, r->join_buf,
				      (size_t)(o - r->join_buf));
}

/*
 * The usual data row, a plain line of an existing group that agrees with
 * it in every way, filed at once: the value and run parse by the light
 * rules, the required words are there, the unit is the group's very
 * spelling, an explicit 'better' is the one the group already has, and
 * the group has had rows from this file before. Everything then is what
 * process_row would do, with nothing to check or report. Returns 0 when
 * the row was filed, -1 (nothing changed) when it needs the general path,
 * which decides and says everything else.
 */
static int fast_row(struct reader *r, const char *s, size_t n,
		    const uint32_t *comma, size_t n_commas)
{
	static const char no_unit[LOAD_PAD] = "";	/* padded, as the line */
	const char *f, *unit = no_unit;
	size_t len, unit_len = 0;
	enum better better = BETTER_UNSET;
	double value, run = -1;
	struct group *g;
	struct group_extra *ex;

	row_field(s, n, comma, n_commas, r->col_platform, &len);
	if (!len)
		return -1;
	row_field(s, n, comma, n_commas, r->col_benchmark, &len);
	if (!len)
		return -1;
	row_field(s, n, comma, n_commas, r->col_metric, &len);
	if (!len)
		return -1;
	f = row_field(s, n, comma, n_commas, r->col_value, &len);
	if (load_plain_decimal_padded(f, len, &value) != 0)
		return -1;
	if (r->col_run >= 0) {
		f = row_field(s, n, comma, n_commas, r->col_run, &len);
		if (len && plain_run(f, len, &run) != 0)
			return -1;
	}
	if (r->col_better >= 0) {
		/* Padded as the line is, for load_equal_padded. */
		static const char lower[LOAD_PAD] = "lower";
		static const char higher[LOAD_PAD] = "higher";

		f = row_field(s, n, comma, n_commas, r->col_better, &len);
		if (len == 5 && load_equal_padded(f, lower, 5))
			better = BETTER_LOWER;
		else if (len == 6 && load_equal_padded(f, higher, 6))
			better = BETTER_HIGHER;
		else if (len)
			return -1;
	}
	if (r->col_unit >= 0)
		unit = row_field(s, n, comma, n_commas, r->col_unit, &unit_len);
	if (r->key_first >= 0) {
		size_t last_len;
		const char *last = row_field(s, n, comma, n_commas,
					     r->key_last, &last_len);

		f = row_field(s, n, comma, n_commas, r->key_first, &len);
		g = load_group_find_joined(r->ds, f, (size_t)(last - f) +
					   last_len + r->key_tail);
	} else {
		g = find_by_runs(r, s, n, comma, n_commas);
	}
	if (!g)
		return -1;
	ex = &r->ix->extra[g - r->ds->groups];
	if (unit_len != ex->unit_len || !load_equal_padded(unit, g->unit,
							   unit_len) ||
	    (better != BETTER_UNSET &&
	     (!ex->better_line || better != g->better)) ||
	    ex->last_source != r->source)
		return -1;
	/* The row is filed: what load_on_row and load_on_record would do. */
	r->row_line = r->line;
	r->is_after_cr = 0;
	r->n_data++;
	file_value(r, g, value, run);
	r->ds->sources[r->source].n_rows++;
	r->ds->n_rows++;
	r->line++;
	return 0;
}

/*
 * A plain data row whole (linesplit.h): the usual row at once (fast_row),
 * or else what load_on_field would do for each of its fields, without
 * copying them (they stay valid in the line until the record ends) or
 * scanning them (a plain ASCII line has no control character), then the
 * end of the record. Anything unusual (the header, a wrong field count, a
 * byte above 0x7f) goes field by field, where the messages are made.
 */
int load_on_row(char *s, size_t n, const uint32_t *comma, int k,
		int is_ascii, void *data)
{
	struct reader *r = data;
	size_t i, start = 0, end;
	unsigned role;

	if (r->status || !r->has_header || !is_ascii || r->n_fields || !n ||
	    (size_t)k + 1 != r->n_cols || r->cap_fields < r->n_cols)
		return -1;
	if (fast_row(r, s, n, comma, (size_t)k) == 0)
		return 0;
	r->row_line = r->line;
	r->is_after_cr = 0;
	r->row_in_place = s;
	for (i = 0; i < r->n_cols; i++) {
		end = i < (size_t)k ? comma[i] : n;
		r->off[i] = start;
		r->len[i] = end - start;
		role = r->role[i];
		if (role & (ROLE_VALUE | ROLE_RUN | ROLE_BETTER))
			parse_field(r, s + start, end - start, role);
		start = end + 1;
	}
	r->n_fields = r->n_cols;
	load_on_record('\n', r);
	return 0;
}

/* End of a record (c is '\n', '\r', or -1 at the end of the input), or
 * with CSV_REPALL_NL a line end outside any record (n_fields == 0): a
 * blank line or the '\n' of a "\r\n". */
void load_on_record(int c, void *data)
{
	struct reader *r = data;

	if (r->n_fields > 0 && !r->status) {
		if (!r->has_header) {
			process_header(r);
		} else {
			r->n_data++;
			process_row(r);
		}
	}
	r->n_fields = 0;
	r->row_bytes = 0;
	r->buf_len = 0;
	r->row_in_place = NULL;
	r->bad_kind = 0;
	r->is_value_bad = r->is_run_bad = r->is_better_bad = 0;
	r->run = -1;
	r->better = BETTER_UNSET;
	if (c == '\n') {
		if (!r->is_after_cr)
			r->line++;
		r->is_after_cr = 0;
	} else if (c == '\r') {
		r->line++;
		r->is_after_cr = 1;
	}
}

/* ---- rows of another format (input.h) ----------------------------------- */

/* The header (line 0) or one row, field by field as libcsv gives them;
 * the row's value and run come as numbers (input.h), in place of the
 * empty fields. */
static int sink_row(void *ctx, unsigned long line, const char *const *field,
		    const size_t *len, size_t n, const double *value,
		    const double *run)
{
	struct reader *r = ctx;
	size_t i;

	if (r->status)
		return r->status;
	r->line = line;
	for (i = 0; i < n; i++)
		load_on_field((void *)field[i], len[i], r);
	if (value && r->has_header) {
		r->value = *value;
		r->is_value_bad = 0;
		r->run = *run;
		r->is_run_bad = 0;
	}
	load_on_record(-1, r);
	return r->status;
}

static int sink_skip(void *ctx, unsigned long line, const char *msg)
{
	struct reader *r = ctx;

	if (r->status)
		return r->status;
	r->row_line = line;
	r->n_data++;
	row_error(r, "%s", msg);
	return r->status;
}

void load_input_sink(struct reader *r, struct input_sink *sink)
{
	sink->ctx = r;
	sink->row = sink_row;
	sink->skip = sink_skip;
}

/* ---- parse errors and the byte order mark ------------------------------- */

/* One byte of slack: the check before each byte wants room for it and
 * for CSV_APPEND_NULL's terminator, so a field of exactly the limit is
 * parsed whole and the row check in load_on_field decides. */
void *load_field_realloc(void *p, size_t size)
{
	return size > LOAD_MAX_ROW_BYTES + 2 ? NULL : realloc(p, size);
}

void load_nul_error(struct reader *r, const struct csv_parser *p)
{
	char col[320];

	column_name(r, r->n_fields, col, sizeof(col));
	file_error(r, record_line(r), "NUL byte in %s at byte %zu of the "
		   "field (is this a binary or UTF-16 file?)", col,
		   p->entry_pos + 1);
}

/* libcsv stopped with an error: a quoting problem (CSV_STRICT) in the
 * record that starts at row_line, or out of memory. */
void load_parse_error(struct reader *r, struct csv_parser *p,
		      int at_end)
{
	char col[320];

	if (csv_error(p) == CSV_ENOMEM &&
	    csv_get_buffer_size(p) > LOAD_MAX_ROW_BYTES) {
		row_too_long(r);
		return;
	}
	if (csv_error(p) != CSV_EPARSE) {
		diag_set(r->err, NULL, 0, "out of memory");
		r->status = STATUS_RUNTIME;
		return;
	}
	record_line(r);
	column_name(r, r->n_fields, col, sizeof(col));
	if (at_end)
		file_error(r, r->row_line, "unterminated quoted field in %s: "
			   "its opening '\"' is never closed", col);
	else if (!p->quoted)
		file_error(r, r->row_line, "stray '\"' in unquoted %s (quote "
			   "the whole field and write '\"' as '\"\"')", col);
	else
		file_error(r, r->row_line, "text after the closing '\"' of "
			   "%s (write '\"' inside a quoted field as '\"\"')",
			   col);
}

/* Skip a UTF-8 byte order mark; refuse UTF-16 and UTF-32 (their BOMs). */
size_t load_skip_bom(struct reader *r, const unsigned char *b, size_t n)
{
	if (n >= 3 && b[0] == 0xef && b[1] == 0xbb && b[2] == 0xbf)
		return 3;
	if (n >= 2 && ((b[0] == 0xff && b[1] == 0xfe) ||
		       (b[0] == 0xfe && b[1] == 0xff)))
		file_error(r, 0, "file is UTF-16 or UTF-32 (save it as UTF-8)");
	return 0;
}
