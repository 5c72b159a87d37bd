/*
 * load_read: one input file, from open() to its closing warnings. A
 * regular file large enough to gain from threads goes to load_parallel.c;
 * everything else (standard input, FIFOs, small files) is read here in one
 * serial pass: read() fills a fixed block and linesplit.c splits it (plain
 * lines itself, the others with libcsv).
 */
#include "load_priv.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xalloc.h"

void load_csv_init(struct linesplit *ls, struct reader *r)
{
	/* CSV_REPALL_NL reports line ends outside records, so blank lines
	 * and the '\n' of "\r\n" reach load_on_record and every line is
	 * counted. */
	csv_init(&ls->parser, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL |
		 CSV_REPALL_NL);
	/* libcsv grows its field buffer by 128 bytes by default: quadratic
	 * on a long quoted field. */
	csv_set_blk_size(&ls->parser, 64 * 1024);
	csv_set_realloc_func(&ls->parser, load_field_realloc);
	linesplit_init(ls, load_on_field, load_on_record, r, &r->status);
	ls->on_row = load_on_row;
	ls->is_libcsv_only = r->ix->is_libcsv_only;
	/* A NUL is an error where it is, not at the end of its line: an
	 * input of NULs (/dev/zero) has no line end. */
	ls->is_nul_stop = 1;
}

int load_feed(struct reader *r, struct linesplit *ls, char *s, size_t n)
{
	r->bytes_done += n;
	if (n > 0 && !r->status && linesplit_feed(ls, s, n) != n &&
	    !r->status) {
		if (ls->is_at_nul)
			load_nul_error(r, &ls->parser);
		else
			load_parse_error(r, &ls->parser, 0);
	}
	return r->status;
}

int load_feed_end(struct reader *r, struct linesplit *ls)
{
	if (!r->status && linesplit_fini(ls) != 0)
		load_parse_error(r, &ls->parser, 1);
	return r->status;
}

/* Read fd as CSV, starting with the have bytes already in block (the
 * head that told the format; is_eof: they are the whole file). block is
 * LOAD_BLOCK_SIZE bytes and LOAD_PAD more, owned by the caller. */
static void parse_fd(struct reader *r, int fd, char *block, size_t have,
		     int is_eof)
{
	struct linesplit ls;
	size_t start;
	int is_first = 1;

	load_csv_init(&ls, r);
	while (!r->status) {
		ssize_t n = 0;

		if (!is_eof && (have < 3 || !is_first)) {
			n = read(fd, block + have, LOAD_BLOCK_SIZE - have);
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0) {
				load_read_error(r);
				break;
			}
			is_eof = n == 0;
			have += (size_t)n;
		}
		start = 0;
		if (is_first) {
			if (have < 3 && !is_eof)
				continue;	/* a BOM may be split */
			is_first = 0;
			start = load_skip_bom(r, (unsigned char *)block, have);
			if (r->status)
				break;
		}
		load_feed(r, &ls, block + start, have - start);
		have = 0;
		if (is_eof)
			break;
	}
	load_feed_end(r, &ls);
	csv_free(&ls.parser);
}

static void file_error(struct reader *r, unsigned long line, const char *msg)
{
	diag_set(r->err, r->name, line, "%s", msg);
	r->status = STATUS_BADINPUT;
}

/* After the last row: file-level checks and the closing warnings. */
static void finish_file(struct reader *r)
{
	struct dataset *ds = r->ds;
	char key[512];
	size_t s;

	if (!r->has_header) {
		file_error(r, 0, "file is empty (expected a header line "
			   "naming platform, benchmark, metric and value)");
		return;
	}
	if (r->n_data == 0) {
		file_error(r, r->header_line, "no data rows after the header");
		return;
	}
	if (r->n_listed > LOAD_MAX_LISTED_SKIPS)
		diag_list_add(&ds->warnings, r->name, 0, "skipped %lu more bad "
			      "rows, not listed",
			      r->n_listed - LOAD_MAX_LISTED_SKIPS);
	for (s = 0; s < r->source; s++) {
		if (!r->shared[s])
			continue;
		load_key_text(ds, &ds->groups[r->shared_example[s]], key,
			      sizeof(key));
		diag_list_add(&ds->warnings, r->name, 0, "%zu group%s also "
			      "in '%s' (first: %s); the rows of both files "
			      "are pooled into one sample (use --factor file "
			      "to compare the files)", r->shared[s],
			      r->shared[s] == 1 ? "" : "s",
			      ds->sources[s].path, key);
	}
}

void load_read_error(struct reader *r)
{
	diag_set(r->err, r->name, 0, "read error: %s", strerror(errno));
	r->status = STATUS_RUNTIME;
}

void load_reader_release(struct reader *r)
{
	size_t i;

	for (i = 0; r->names && i < r->n_cols; i++)
		free(r->names[i]);
	free(r->names);
	free(r->buf);
	free(r->off);
	free(r->len);
	free(r->key_col);
	free(r->kv);
	free(r->kl);
	free(r->pend);
	free(r->pend_sorted);
	free(r->pend_count);
	free(r->key_run_first);
	free(r->key_run_last);
	free(r->join_buf);
	free(r->shared);
	free(r->shared_example);
	free(r->role);
}

/* Fill block with the file's first bytes, up to LOAD_BLOCK_SIZE or the
 * end (*is_eof), to tell its format. Returns the count or -1 (errno). */
static ssize_t read_head(int fd, char *block, int *is_eof)
{
	size_t have = 0;

	*is_eof = 0;
	while (have < LOAD_BLOCK_SIZE) {
		ssize_t n = read(fd, block + have, LOAD_BLOCK_SIZE - have);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0) {
			*is_eof = 1;
			break;
		}
		have += (size_t)n;
	}
	return (ssize_t)have;
}

/* A file of another tool's format (input.h), through the CSV row checks. */
static void read_foreign(struct reader *r, struct source *src, int fd,
			 const char *head, size_t n, int is_eof,
			 enum input_format format, int is_forced,
			 const struct load_file_options *fo)
{
	struct input_sink sink;
	struct input_file in;
	int rc;

	load_input_sink(r, &sink);
	memset(&in, 0, sizeof(in));
	in.name = r->name;
	in.label = fo && fo->label ? fo->label : NULL;
	in.fd = fd;
	in.head = head;
	in.head_len = n;
	in.is_eof = is_eof;
	in.format = format;
	in.is_forced = is_forced;
	in.column = fo ? fo->column : 0;
	in.sink = &sink;
	in.warnings = &r->ds->warnings;
	rc = input_read(&in, r->err);
	if (in.provenance && !src->provenance)
		src->provenance = in.provenance;
	else
		free(in.provenance);
	if (rc && !r->status)
		r->status = rc;
}

static int read_source(struct dataset *ds, const char *name,
		       const char *path, int fd, const struct stat *st,
		       const struct load_file_options *fo, struct diag *err)
{
	struct reader r;
	struct source *src;
	enum input_format format = fo ? fo->format : INPUT_AUTO;
	const char *key = fo && fo->label ? fo->label : name;
	char *block;
	ssize_t n;
	int is_eof;

	ds->sources = xreallocarray(ds->sources, ds->n_sources + 1,
				    sizeof(*ds->sources));
	src = &ds->sources[ds->n_sources];
	memset(src, 0, sizeof(*src));
	src->path = xstrdup(name);
	src->label = fo && fo->label ? xstrdup(fo->label) : NULL;
	memset(&r, 0, sizeof(r));
	r.source = ds->n_sources++;
	if (strcmp(path, "-") && load_read_sidecar(src, path, err))
		return STATUS_BADINPUT;
	r.ds = ds;
	r.ix = ds->index;
	r.err = err;
	r.name = src->path;
	r.line = 1;
	r.run = -1;
	r.file_key_len = strlen(key);
	r.file_key = load_intern(r.ix, key, r.file_key_len);
	r.shared = xcalloc(r.source + 1, sizeof(*r.shared));
	r.shared_example = xcalloc(r.source + 1, sizeof(*r.shared_example));
	if (S_ISREG(st->st_mode) && st->st_size > 0)
		r.bytes_total = (uint64_t)st->st_size;
	block = xmalloc(LOAD_BLOCK_SIZE + LOAD_PAD);
	n = read_head(fd, block, &is_eof);
	if (n < 0) {
		load_read_error(&r);
	} else {
		if (format == INPUT_AUTO)
			format = input_detect(block, (size_t)n, is_eof);
		/* --column is for plain numbers: a first field of text
		 * ("run1 12.5") is then a label, not a CSV header. */
		if (format == INPUT_CSV && fo && fo->column && fo->format ==
		    INPUT_AUTO)
			format = INPUT_NUMBERS;
		if (format != INPUT_CSV)
			read_foreign(&r, src, fd, block, (size_t)n, is_eof,
				     format, fo && fo->format != INPUT_AUTO,
				     fo);
		/* Only a regular file can be read at several offsets at
		 * once. */
		else if (!strcmp(path, "-") || !S_ISREG(st->st_mode) ||
			 !load_parallel(&r, fd, st->st_size))
			parse_fd(&r, fd, block, (size_t)n, is_eof);
	}
	free(block);
	load_flush(&r);
	if (!r.status)
		finish_file(&r);
	load_reader_release(&r);
	return r.status;
}

int load_file(struct dataset *ds, const char *path, struct diag *err)
{
	return load_file_opts(ds, path, NULL, err);
}

int load_file_opts(struct dataset *ds, const char *path,
		   const struct load_file_options *fo, struct diag *err)
{
	int is_stdin = !strcmp(path, "-");
	const char *name = is_stdin ? "<stdin>" : path;
	int fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	int status = STATUS_OK;

	if (fd < 0) {
		diag_set(err, name, 0, "cannot open: %s", strerror(errno));
		return STATUS_BADINPUT;
	}
	if (fstat(fd, &st) != 0) {
		diag_set(err, name, 0, "cannot stat: %s", strerror(errno));
		status = STATUS_RUNTIME;
	} else if (S_ISDIR(st.st_mode)) {
		diag_set(err, name, 0, "is a directory, not a CSV file");
		status = STATUS_BADINPUT;
	} else if (!load_seen_before(ds, name, is_stdin, &st)) {
		status = read_source(ds, name, path, fd, &st, fo, err);
	}
	if (!is_stdin)
		close(fd);
	return status;
}

int load_finish(struct dataset *ds, struct diag *err)
{
	if (ds->n_rows > 0)
		return STATUS_OK;
	if (ds->n_skipped)
		diag_set(err, NULL, 0, "no data rows left: --lenient skipped "
			 "all %lu rows as bad", ds->n_skipped);
	else
		diag_set(err, NULL, 0, "no data rows");
	return STATUS_BADINPUT;
}
