/*
 * load: reads tidy results CSV (docs/data-contract.md) with libcsv in one
 * streaming pass, validates every row, converts units that convert exactly,
 * and files each value into its group. Reads the optional NAME.meta.json
 * sidecar with jansson (provenance only).
 *
 * Owns: struct dataset and everything reachable from it (groups, interned
 * strings, value arrays, sources, warnings). Memory grows with the number of
 * groups and the values they keep, never with the size of a file.
 * Must not: compute statistics, print, or exit (except xmalloc's OOM exit).
 */
#ifndef ANALYZE_LOAD_H
#define ANALYZE_LOAD_H

#include <stddef.h>

#include "diag.h"
#include "input.h"

enum better {
	BETTER_UNSET = 0,	/* no 'better' column and a unit that says nothing */
	BETTER_LOWER,
	BETTER_HIGHER
};

/* One sample: the values of every row that shares the group key. */
struct group {
	const char **key;	/* key[i] is the value of dataset->key_cols[i];
				 * interned, owned by the dataset; "" if absent */
	const char *unit;	/* interned; "" when the rows have no unit */
	enum better better;	/* explicit column, else derived from unit */
	double *values;		/* in input order, converted to 'unit' */
	/* The run of each value: the 'run' column, or the 0-based position
	 * in the group when the row has no run. Read with load_group_run:
	 * while the runs are consecutive (nearly always) they are not
	 * stored, runs is NULL and run i is run_first + i. */
	double *runs;
	double run_first;
	size_t n, cap;
	size_t first_source;	/* index into dataset->sources */
	unsigned long first_line;
	int in_several_sources;	/* rows came from more than one file */
};

/* One input file. */
struct source {
	char *path;		/* as given; "<stdin>" for "-" */
	char *provenance;	/* "source" of the .meta.json sidecar, or NULL */
	char *meta_path;	/* sidecar path when one was read, or NULL */
	char *label;		/* --label given for the file, or NULL */
	unsigned long n_rows;	/* data rows accepted */
	unsigned long n_skipped;	/* rows skipped under --lenient */
};

struct load_options {
	/* Columns that form a group, in order. NULL: platform, benchmark,
	 * metric, config. The factor column is appended if not among them. */
	const char *const *group_cols;
	size_t n_group_cols;
	/* The column compared by analyze (--factor). NULL: "platform".
	 * "file" names the input file when the CSV has no 'file' column. */
	const char *factor;
	int lenient;		/* row errors become warnings, row skipped */
};

struct load_index;		/* private: hash table and string pool */

struct dataset {
	char **key_cols;	/* grouping columns, factor included */
	size_t n_key_cols;
	size_t factor_index;	/* key_cols[factor_index] is the factor */
	struct group *groups;	/* in order of first appearance */
	size_t n_groups;
	struct source *sources;
	size_t n_sources;
	unsigned long n_rows, n_skipped;
	struct diag_list warnings;	/* notes and --lenient skips */
	struct load_index *index;
};

/* A new empty dataset; opt is copied. Free with load_free(). */
struct dataset *load_new(const struct load_options *opt);

/*
 * Read one CSV file ("-" is standard input) into ds. Returns 0, or
 * STATUS_BADINPUT with err set to the first bad row ("FILE:LINE: ...")
 * unless --lenient, or STATUS_RUNTIME on a read error. A file given twice
 * is read once, with a warning.
 */
int load_file(struct dataset *ds, const char *path, struct diag *err);

/* How to read one file; load_file_opts(). */
struct load_file_options {
	/* Its value of the 'file' key (--label); NULL: the name as given. */
	const char *label;
	/* --input: INPUT_AUTO finds the format from the content. */
	enum input_format format;
	unsigned column;	/* --column for plain numbers; 0: first */
};

/*
 * load_file with per-file options (fo may be NULL): a file of another
 * tool's format (input.h) is read through the same row checks as CSV.
 */
int load_file_opts(struct dataset *ds, const char *path,
		   const struct load_file_options *fo, struct diag *err);

/*
 * Checks that need every file: at least one data row overall. Call once
 * after the last load_file(). Returns 0 or STATUS_BADINPUT.
 */
int load_finish(struct dataset *ds, struct diag *err);

/* Index of column name in ds->key_cols, or -1. */
int load_key_index(const struct dataset *ds, const char *name);

/* Value of the factor column for g. */
const char *load_factor(const struct dataset *ds, const struct group *g);

/* The run of g's value i (i < g->n). */
static inline double load_group_run(const struct group *g, size_t i)
{
	return g->runs ? g->runs[i] : g->run_first + (double)i;
}

/* Removes values flagged in drop[] from g (keeps order). Returns how many
 * were removed. */
size_t load_group_drop(struct group *g, const unsigned char *drop);

void load_free(struct dataset *ds);

/* ANALYZE_LOAD_THREADS, a testing aid (analyze(1), ENVIRONMENT): 1 to 4
 * threads forced, or 0 (unset or anything else): chosen by size. */
int load_env_threads(void);

/*
 * Field helpers shared by load.c and load_field.c, exported for the unit
 * tests. None of them allocates; msg receives a complete diagnostic text
 * (no FILE:LINE prefix) when they fail.
 */

/* Parse a 'value' field s[0..len-1] (NUL-terminated): a finite decimal
 * number, no units, no hex, no nan/inf. Returns 0 with *out set, or -1
 * with msg filled ("value '12ms' is not a number (put units in ...)"). */
int load_parse_value(const char *s, size_t len, double *out,
		     char *msg, size_t msg_size);

/* Parse a 'run' field: a non-negative decimal integer below 2^53.
 * Returns 0 with *out set, or -1 with msg filled. */
int load_parse_run(const char *s, size_t len, double *out,
		   char *msg, size_t msg_size);

/* Express value v given in unit from in unit to. Returns 0 with *out set
 * when the units convert exactly (a known power-of-ten or power-of-two
 * factor: s/ms/us/ns, B/KB/MB/GB, KiB/MiB/GiB, rates, FLOPS), -1 when
 * they measure different things or are unknown and differ. */
int load_unit_convert(const char *from, const char *to, double v,
		      double *out);

/* 'better' implied by a unit: times, sizes and cycles are lower is
 * better; rates, throughputs and FLOPS higher; else BETTER_UNSET. */
enum better load_better_from_unit(const char *unit);

/* Offset of the first byte of s[0..len-1] that is not valid UTF-8
 * (overlong forms, surrogates and code points past U+10FFFF included),
 * or len when all of it is valid. */
size_t load_utf8_check(const unsigned char *s, size_t len);

/* Copy field s into buf for a diagnostic: control characters escaped
 * (\n, \t, \xNN), cut after about 60 bytes with "...". Returns buf. */
char *load_show(char *buf, size_t size, const char *s);

#endif
