/*
 * format: writes the report as an aligned text table (the default, for a
 * terminal), CSV, JSON (jansson), GitHub markdown or a LaTeX booktabs
 * tabular. Text, markdown and LaTeX share one cell grid per table; CSV and
 * JSON carry every number at full precision.
 *
 * Reads the report, never changes it; never calls plot. Must not print
 * anywhere but the stream it is given, nor exit.
 */
#ifndef ANALYZE_FORMAT_H
#define ANALYZE_FORMAT_H

#include <stdio.h>

#include "report.h"
#include "diag.h"

enum fmt_kind {
	FMT_TEXT = 0,
	FMT_CSV,
	FMT_JSON,
	FMT_MD,
	FMT_TEX
};

struct fmt_options {
	enum fmt_kind kind;
	int is_comparisons;	/* csv only: the comparisons table instead
				 * of the groups table */
	int is_explain;		/* findings were asked for (print them,
				 * or say there are none) */
	const char *version;	/* written into json as "version" */
};

/*
 * Write r to f in opt->kind. Returns 0, or STATUS_RUNTIME with err set
 * when a write fails (the caller decides what happens to the file).
 */
int fmt_write(FILE *f, const struct report *r, const struct fmt_options *opt,
	      struct diag *err);

/*
 * A short label for group g: its non-empty key values joined by " / ",
 * e.g. "native / memsweep / seconds", leaving out key column skip (pass
 * (size_t)-1 to keep all), into buf (always terminated). Shared with
 * explain so findings and tables name groups alike.
 */
void fmt_group_label(const struct dataset *ds, const struct group *g,
		     size_t skip, char *buf, size_t size);

/* "lower", "higher", or NULL when unset. */
const char *fmt_better_word(enum better b);

/*
 * The JSON writer behind fmt_write (format_json.c); returns 0 or -1 when
 * a write fails. Not for other callers.
 */
int fmt_json(FILE *f, const struct report *r, const struct fmt_options *opt);

/*
 * x (finite) as the JSON writer writes a number, which is how jansson
 * writes a real: "%.17g", ".0" appended when that has no '.' or 'e', the
 * exponent without '+' and leading zeros. Returns the length written into
 * buf (NUL-terminated), or -1 when size is too small. For the unit tests.
 */
int fmt_json_number(char *buf, size_t size, double x);

#endif
