/*
 * input: the result files other benchmark tools write, read as tidy rows.
 *
 * hyperfine (--export-json, --export-csv), Google Benchmark JSON, `go test
 * -bench` text (benchstat's input), pytest-benchmark JSON, fio JSON, Catch2
 * v2 XML and plain numbers one per line (ministat's input). A file's format
 * is found from its first bytes (input_detect), or forced with --input. Each
 * format maps its fields to the tidy columns in one fixed way, documented
 * in analyze(1), INPUT FORMATS, and at the top of its input_*.c file.
 *
 * The rows go to the loader through a struct input_sink, which puts them
 * through the same header and row checks as CSV rows: grouping, units,
 * 'better', --lenient and the line of every message work alike for all
 * formats. What a tool writes about the run (CPU, date, commit, options)
 * becomes the host or config column of its rows, or the file's provenance
 * text (struct input_file.provenance), printed under "sources:".
 *
 * Memory: a text format holds one line at a time; a JSON format holds one
 * record (one hyperfine result, one fio job, ...) at a time, its arrays of
 * numbers as plain doubles (input_json.c), so a file costs what its values
 * cost in the dataset, not a tree of the whole document.
 *
 * Owns: nothing after input_read returns but in->provenance.
 * Must not: print, exit (except xmalloc's OOM exit), or know the dataset.
 *
 * Files: input.c (detection, the byte source, rows and messages),
 * input_json.c (the streaming JSON reader, yajl), input_hyperfine.c,
 * input_gbench.c, input_pytest.c, input_fio.c (one JSON format each),
 * input_gotest.c, input_numbers.c, input_catch2.c. The second half of this
 * header is for those files only.
 */
#ifndef ANALYZE_INPUT_H
#define ANALYZE_INPUT_H

#include <stddef.h>
#include <sys/types.h>

#include "diag.h"

enum input_format {
	INPUT_AUTO = 0,		/* find it from the content */
	INPUT_CSV,		/* tidy results CSV: load.c reads it */
	INPUT_HYPERFINE,	/* hyperfine --export-json */
	INPUT_HYPERFINE_CSV,	/* hyperfine --export-csv */
	INPUT_GBENCH,		/* Google Benchmark --benchmark_format=json */
	INPUT_GOTEST,		/* go test -bench output */
	INPUT_PYTEST,		/* pytest-benchmark --benchmark-json */
	INPUT_FIO,		/* fio --output-format=json */
	INPUT_CATCH2,		/* Catch2 v2 -r xml */
	INPUT_NUMBERS,		/* numbers one per line, as ministat reads */
	INPUT_N_FORMATS
};

/* The --input word of f ("csv", "hyperfine", ...), also used in messages. */
const char *input_format_name(enum input_format f);

/* The format named s ("auto" included), or -1 when s names none. */
int input_format_parse(const char *s);

/* The --input words, ", "-separated, for a usage message. */
const char *input_format_words(void);

/*
 * The format of a file whose first n bytes are head (the whole file when
 * is_eof). Never INPUT_AUTO; INPUT_CSV when nothing else fits, so that
 * the CSV checks explain what is wrong with anything unrecognized. JSON is
 * INPUT_HYPERFINE until its keys tell which tool wrote it (input_read
 * decides; every JSON format goes through input_json.c).
 */
enum input_format input_detect(const char *head, size_t n, int is_eof);

/*
 * Where rows go (the loader). row() receives a header first (line 0:
 * the column names, value NULL), then one call per row; every field is
 * NUL-terminated at len[i]. A row's 'value' and 'run' fields are empty
 * and their numbers come in *value (finite) and *run (-1: none): printing
 * and parsing them again would cost more than the rest of the row. It
 * returns 0, or the status that stops the file (its diagnostic is then in
 * the struct diag given to input_read). skip() reports a row the format
 * cannot read: fatal, or under --lenient a warning and a skipped row, as
 * the loader decides; it returns like row().
 */
struct input_sink {
	void *ctx;
	int (*row)(void *ctx, unsigned long line, const char *const *field,
		   const size_t *len, size_t n, const double *value,
		   const double *run);
	int (*skip)(void *ctx, unsigned long line, const char *msg);
};

/* One file to read; filled by the loader. */
struct input_file {
	const char *name;	/* as printed: path or "<stdin>" */
	const char *label;	/* --label, or NULL: name */
	int fd;			/* read from here after head */
	const char *head;	/* bytes already read from fd */
	size_t head_len;
	int is_eof;		/* head is the whole file */
	enum input_format format;	/* not AUTO or CSV */
	int is_forced;		/* --input named it: no guessing */
	unsigned column;	/* --column: 1-based field; 0: the first */
	const struct input_sink *sink;
	struct diag_list *warnings;	/* notes and warnings are added */
	/* OUT: what the file says about its run (tool, version, date,
	 * machine), malloc'ed, or NULL; the caller takes it. */
	char *provenance;
	/* Private to input*.c. */
	size_t head_off;
	unsigned long n_rows;	/* rows given to the sink */
	unsigned long n_skipped;	/* rows given to skip() */
};

/*
 * Read in->fd (after in->head) as in->format. Returns 0, STATUS_BADINPUT
 * with err set ("FILE:LINE: message", JSON messages name the JSON path),
 * or STATUS_RUNTIME on a read error. A file with no row is an error.
 */
int input_read(struct input_file *in, struct diag *err);

/* ======================================================================
 * For analyze/input*.c only.
 * ====================================================================== */

/* The columns every format's rows have, in this order, then its own. */
enum input_col {
	IC_PLATFORM, IC_BENCHMARK, IC_METRIC, IC_VALUE, IC_UNIT, IC_RUN,
	IC_BETTER, IC_CONFIG, IC_HOST, IC_N_STD
};
#define INPUT_MAX_EXTRA 4

/* One tidy row as a format builds it. NULL strings are empty fields. */
struct input_row {
	const char *platform, *benchmark, *metric, *unit, *config, *host;
	const char *better;	/* "lower", "higher" or NULL (from unit) */
	double value;		/* finite */
	long long run;		/* -1: none (the loader numbers it) */
	const char *extra[INPUT_MAX_EXTRA];	/* the format's own columns */
};

/* Bytes of the file after what was read: head first, then fd. Returns
 * the count (0 at the end), or -1 with err set (a read error). */
ssize_t input_fill(struct input_file *in, char *buf, size_t cap,
		   struct diag *err);

/* Send the header: the standard columns, then extras[0..n_extras-1]. */
int input_begin(struct input_file *in, const char *const *extras,
		size_t n_extras, struct diag *err);

/* Send one row (line: where it was read). Returns 0 or the sink's stop
 * status (err set by the loader). */
int input_emit(struct input_file *in, unsigned long line,
	       const struct input_row *row, size_t n_extras);

/* A row the format cannot use: skip() (fatal unless --lenient). */
int input_skip(struct input_file *in, unsigned long line, const char *fmt,
	       ...) __attribute__((format(printf, 3, 4)));

/* A fatal error of the file: sets err, returns STATUS_BADINPUT. */
int input_error(struct input_file *in, struct diag *err, unsigned long line,
		const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* A note or warning about the file (is_warning, as every loader note). */
void input_note(struct input_file *in, unsigned long line, const char *fmt,
		...) __attribute__((format(printf, 3, 4)));

/* Append "fmt" to the provenance text, "; "-separated (any length). */
void input_provenance(struct input_file *in, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The platform a tool's run had when nothing says otherwise. */
#define INPUT_DEFAULT_PLATFORM "native"

/* A growable string (NUL-terminated), for names and config texts. */
struct input_buf {
	char *s;
	size_t len, cap;
};
void input_buf_add(struct input_buf *b, const char *s, size_t n);
void input_buf_printf(struct input_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void input_buf_clear(struct input_buf *b);	/* keeps the memory */
void input_buf_release(struct input_buf *b);
/* b's text, "" when nothing was added. */
const char *input_buf_str(const struct input_buf *b);

/* s for a message: control characters escaped, cut after about 60 bytes
 * with "...". Returns buf. */
const char *input_show(char *buf, size_t size, const char *s);

/* A set of strings (owned copies), to notice a name seen before. */
struct input_strset {
	char **slot;		/* NULL: empty */
	size_t n, cap;		/* cap: a power of two */
};
/* Add s; returns 1 when it was there already. */
int input_strset_add(struct input_strset *set, const char *s);
int input_strset_has(const struct input_strset *set, const char *s);
void input_strset_release(struct input_strset *set);

/* Parse a whole decimal number s[0..n-1]; 0, or -1 if it is not one or
 * is not finite (1e999). */
int input_parse_double(const char *s, size_t n, double *out);

/* Lines of a text format, one at a time (input.c). */
#define INPUT_MAX_LINE (1u << 20)	/* bytes; longer is an error */
struct input_lines {
	struct input_file *in;
	char *buf;
	size_t len, start, cap;
	unsigned long line;	/* of the line last returned */
	int is_first;		/* a UTF-8 BOM may still be ahead */
};
void input_lines_init(struct input_lines *l, struct input_file *in);
/* The next line without its "\n" or "\r\n", NUL-terminated, in *s (valid
 * until the next call) and its length in *n. Returns 1, 0 at the end, or
 * a negative status with err set (read error, NUL byte, line too long). */
int input_lines_next(struct input_lines *l, char **s, size_t *n,
		     struct diag *err);
void input_lines_release(struct input_lines *l);

/* ---- input_json.c: one JSON document, a record at a time ------------- */

enum json_type {
	JSON_T_NULL, JSON_T_BOOL, JSON_T_NUMBER, JSON_T_STRING, JSON_T_OBJECT,
	JSON_T_ARRAY, JSON_T_NUMBERS
};

/*
 * A parsed JSON value. An array whose first element is a number is kept
 * as JSON_T_NUMBERS: plain doubles, and the first element that was not a
 * finite number is remembered (bad_*) instead of being stored, so a
 * million run times cost 8 MB, not a tree.
 */
struct json_node {
	enum json_type type;
	unsigned long line;		/* where the value starts */
	const char *key;		/* member name in its object, or NULL */
	union {
		int boolean;
		struct {
			double v;
			int is_finite;	/* 0: "1e999" and the like */
			const char *text;	/* as written */
		} num;
		struct {
			const char *s;	/* NUL-terminated (may hold NULs) */
			size_t len;
		} str;
		struct {
			struct json_node **items;	/* members or elements */
			size_t n, cap;
		} kids;
		struct {
			double *v;	/* the elements, all finite */
			size_t n, cap;
			/* The first element that is not a finite number
			 * (has_bad): none after it is kept. */
			int has_bad;
			size_t bad_index;
			unsigned long bad_line;
			enum json_type bad_type;	/* JSON_T_NUMBER: out of
							 * range (1e999) */
		} nums;
	} u;
};

/*
 * The document is a top-level object. Members whose key is a records key
 * ("results", "benchmarks", "jobs") holding an array are delivered one
 * element at a time to on_record (index from 0) and freed after; every
 * other member is delivered whole to on_member. on_records_end follows
 * the last record of an array (n records, line of its ']'), also for an
 * empty one. All return 0 or a status (err set) that stops the parse.
 * Record nodes live until on_record returns, members until json_read
 * returns. on_end runs after the closing '}' (last_line: the file's last).
 */
struct json_handler {
	void *ctx;
	int (*on_member)(void *ctx, const struct json_node *v);
	int (*on_record)(void *ctx, const char *key, size_t index,
			 const struct json_node *v);
	int (*on_records_end)(void *ctx, const char *key, size_t n,
			      unsigned long line);
	int (*on_end)(void *ctx, unsigned long last_line);
};

/* Parse in as JSON with h. Returns 0 or a status with err set. */
int json_read(struct input_file *in, const struct json_handler *h,
	      struct diag *err);

/* Member key of object o, or NULL (o may be NULL or not an object). */
const struct json_node *json_get(const struct json_node *o, const char *key);

/* "string", "number", ... for messages. */
const char *json_type_name(enum json_type t);

/* The names of the JSON formats' record keys and the format a document
 * is, from its first top-level key or its first record (input_json.c). */

/* ---- the formats ------------------------------------------------------- */

int input_hyperfine_json(struct input_file *in, struct diag *err);
int input_hyperfine_csv(struct input_file *in, struct diag *err);
int input_gbench(struct input_file *in, struct diag *err);
int input_pytest(struct input_file *in, struct diag *err);
int input_fio(struct input_file *in, struct diag *err);
int input_gotest(struct input_file *in, struct diag *err);
int input_numbers(struct input_file *in, struct diag *err);
int input_catch2(struct input_file *in, struct diag *err);

/*
 * The JSON formats, one handler each, and the dispatcher that picks one
 * when the format was only detected as "JSON": input_json_auto reads the
 * document and hands each member and record to the handler of the format
 * its first key or first record names.
 */
struct json_format {
	enum input_format format;
	/* ctx for the handler's callbacks; freed by release. */
	void *(*start)(struct input_file *in, struct diag *err);
	int (*on_member)(void *ctx, const struct json_node *v);
	int (*on_record)(void *ctx, const char *key, size_t index,
			 const struct json_node *v);
	int (*on_records_end)(void *ctx, const char *key, size_t n,
			      unsigned long line);
	int (*on_end)(void *ctx, unsigned long last_line);
	void (*release)(void *ctx);
};
extern const struct json_format input_json_hyperfine, input_json_gbench,
	input_json_pytest, input_json_fio;

int input_json_auto(struct input_file *in, struct diag *err);

#endif
